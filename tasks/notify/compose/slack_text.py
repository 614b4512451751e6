"""Slack mrkdwn pieces shared by every message kind (pure, no I/O).

Only counts, rates, ids and links go out: free text is escaped and scrubbed of
long digit runs so a stray CCCD (12 digits) or CMND (9 digits) cannot leak.
Every message is NFC and within Slack's limits: 50 blocks, 3,000 characters
per text block, 150 per header, a plain-text fallback in `text`.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Any

from pydantic import BaseModel, ConfigDict

MAX_BLOCKS, MAX_SECTION, MAX_HEADER, MAX_TEXT = 50, 3000, 150, 3000


class SlackMessage(BaseModel):
    """What chat.postMessage / chat.update receive: fallback text and blocks."""

    model_config = ConfigDict(frozen=True)

    text: str
    blocks: list[dict[str, Any]]


def message(text: str, blocks: list[dict[str, Any]]) -> SlackMessage:
    """A message clipped to Slack's limits and normalised to NFC."""
    if len(blocks) > MAX_BLOCKS:  # keep the head and the links at the end
        blocks = [*blocks[: MAX_BLOCKS - 1], blocks[-1]]
    return SlackMessage(text=nfc(clip(text, MAX_TEXT)), blocks=nfc(blocks))


def content_hash(msg: SlackMessage) -> str:
    """sha256 of the canonical JSON of a message: equal content, equal hash."""
    doc = json.dumps(msg.model_dump(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(doc.encode("utf-8")).hexdigest()


def scrub(s: str) -> str:
    """Never forward what could be a CCCD (12 digits) or CMND (9 digits)."""
    return re.sub(r"\d{9,}", "…", unicodedata.normalize("NFC", s))


def safe(s: str) -> str:
    """Scrubbed and escaped for mrkdwn, where &, < and > are control characters."""
    return scrub(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(s: str, limit: int) -> str:
    return s if len(s) <= limit else s[: limit - 1] + "…"


def header(text: str) -> dict[str, Any]:
    """A header block: plain text, so no escaping, clipped to 150 characters."""
    return {"type": "header", "text": {"type": "plain_text", "text": clip(scrub(text), MAX_HEADER)}}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION)}}


def context(*parts: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": p} for p in parts if p]}


def link(url: str | None, label: str) -> str:
    """A link we build on purpose; `label` comes escaped (safe), the URL cannot close it."""
    if not url:
        return ""
    for char, code in (("|", "%7C"), ("<", "%3C"), (">", "%3E"), (" ", "%20")):
        url = url.replace(char, code)
    return f"<{url}|{label}>"


def mention(usergroup_id: str | None, name: str) -> str:
    """A task group: its Slack user group mentioned on purpose, else its name in bold."""
    if usergroup_id and re.fullmatch(r"[A-Z0-9]+", usergroup_id):
        return f"<!subteam^{usergroup_id}>"
    return f"*{safe(name)}*"


def table(rows: list[tuple[str, ...]], limit: int = MAX_SECTION) -> str:
    """A monospace table in a code block, columns padded; rows that do not fit are cut."""
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)) for r in rows]
    body, kept = "", 0
    for line in lines:
        if len(body) + len(line) + 24 > limit:  # fences and the "… +N" line
            break
        body, kept = body + line.rstrip() + "\n", kept + 1
    return f"```\n{body}```" + (f"\n… +{len(lines) - kept}" if kept < len(lines) else "")


def nfc(obj: Any) -> Any:
    if isinstance(obj, str):
        return unicodedata.normalize("NFC", obj)
    if isinstance(obj, list):
        return [nfc(x) for x in obj]
    if isinstance(obj, dict):
        return {k: nfc(v) for k, v in obj.items()}
    return obj
