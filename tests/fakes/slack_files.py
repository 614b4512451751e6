"""files_upload_v2 in the fake Slack: get an upload URL, POST the bytes, complete."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request


async def args_of(request: Request) -> dict[str, Any]:
    """Slack accepts JSON, form and query arguments alike; so does the fake."""
    raw = (await request.body()).decode("utf-8")
    args: dict[str, Any] = dict(request.query_params)
    if raw and "json" in request.headers.get("content-type", ""):
        args.update(json.loads(raw))
    elif raw:
        args.update(parse_qsl(raw))
    return args


class FilesMixin:
    """Pending uploads by file id; `files` maps each completed file id to its bytes."""

    def __init__(self) -> None:
        self.files: dict[str, dict[str, Any]] = {}
        self._uploads: dict[str, dict[str, Any]] = {}

    def upload_url(self, args: dict[str, Any]) -> tuple[int, dict, dict]:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return 200, {"ok": False, "error": "invalid_arguments"}, {}
        file_id = f"F{len(self._uploads) + 1:08d}"
        self._uploads[file_id] = {"name": args["filename"], "length": int(args["length"])}
        url = f"{self.base}/upload/{file_id}"  # type: ignore[attr-defined]
        return 200, {"ok": True, "upload_url": url, "file_id": file_id}, {}

    def receive_file(self, file_id: str, data: bytes) -> bool:
        upload = self._uploads.get(file_id)
        if upload is None or len(data) != upload["length"]:
            return False
        upload["data"] = data
        return True

    def complete_upload(self, args: dict[str, Any]) -> tuple[int, dict, dict]:
        files = json.loads(args.get("files") or "[]")
        channel, thread_ts = args.get("channel_id", ""), args.get("thread_ts")
        if error := self.channel_error(channel):  # type: ignore[attr-defined]
            return error
        if not files or any("data" not in self._uploads.get(f["id"], {}) for f in files):
            return 200, {"ok": False, "error": "file_upload_not_completed"}, {}
        store = self.messages.setdefault(channel, {})  # type: ignore[attr-defined]
        if thread_ts and thread_ts not in store:
            return 200, {"ok": False, "error": "thread_not_found"}, {}
        shared = []
        for f in files:
            upload = self._uploads[f["id"]]
            self.files[f["id"]] = {
                **upload,
                "title": f.get("title"),
                "channel": channel,
                "thread_ts": thread_ts,
            }
            shared.append({"id": f["id"], "name": upload["name"], "title": f.get("title")})
        return 200, {"ok": True, "files": shared}, {}
