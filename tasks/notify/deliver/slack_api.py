"""The Slack Web API calls delivery makes, with slack-sdk and its retry handlers.

Least privilege: the bot token needs chat:write (messages, updates, replies)
and files:write (the digest's chart), nothing else. Errors become sentences a
person can act on (`explain`); a bad token or an unreachable Slack aborts the
drain (`Abort`), anything else fails one message and keeps it for next time.
"""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

SLACK_API_URL = "https://slack.com/api/"
SCOPES = ("chat:write", "files:write")
TOKEN_ERRORS = {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"}
_FORMAT = {"msg_too_long", "msg_blocks_too_long", "invalid_blocks", "invalid_blocks_format"}


class Abort(Exception):
    """Nothing else can get through on this run (bad token, Slack unreachable)."""


def make_client(token: str, base_url: str | None = None) -> WebClient:
    """A WebClient that also retries 429 (honouring Retry-After) and 500/503."""
    url = base_url or SLACK_API_URL
    return WebClient(
        token=token,
        base_url=url if url.endswith("/") else f"{url}/",
        timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def explain(err: SlackApiError, channel: str) -> str:
    """Turn a Slack error code into what a person should do about it."""
    code, status = err.response.get("error", "unknown"), err.response.status_code
    if code in TOKEN_ERRORS:
        return f"Slack rejected the bot token ({code}): check SLACK_BOT_TOKEN"
    if code == "not_in_channel":
        return f"invite the bot to channel {channel} (/invite), then rerun"
    if code == "channel_not_found":
        return f"channel {channel} not found: check the plan's slack_channel (private: invite)"
    if code == "is_archived":
        return f"channel {channel} is archived: unarchive it or change the plan's slack_channel"
    if code == "missing_scope":
        needed = err.response.get("needed") or " and ".join(SCOPES)
        return f"the bot token lacks the {needed} scope: add it and reinstall the Slack app"
    if code in _FORMAT:
        return f"Slack refused the message format ({code}): a builder bug, the row is kept"
    if code == "ratelimited" or status == 429:
        return f"Slack still rate-limited channel {channel} after retries: retry next run"
    if status >= 500:
        return f"Slack server error HTTP {status} after retries: retry next run"
    return f"Slack error {code} (HTTP {status})"


def call(client: WebClient, where: str, method: str, **args: Any) -> Any:
    """One API call; token and network failures raise Abort, others SlackApiError."""
    try:
        return getattr(client, method)(**args)
    except SlackApiError as err:
        if err.response.get("error") in TOKEN_ERRORS:
            raise Abort(explain(err, where)) from err
        raise
    except (OSError, SlackClientError) as err:  # URLError and timeouts are OSErrors
        raise Abort(f"Slack unreachable ({type(err).__name__}): retry next run") from err


def post(
    client: WebClient, channel: str, text: str, blocks: list, thread_ts: str | None, broadcast: bool
) -> str:
    """chat.postMessage, in a thread when `thread_ts`; returns the new message's ts."""
    extra = {"thread_ts": thread_ts, "reply_broadcast": broadcast} if thread_ts else {}
    resp = call(
        client, channel, "chat_postMessage", channel=channel, text=text, blocks=blocks, **extra
    )
    return str(resp["ts"])


def update(client: WebClient, channel: str, ts: str, text: str, blocks: list) -> bool:
    """chat.update in place; False when the message is gone (deleted in Slack)."""
    try:
        call(client, channel, "chat_update", channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as err:
        if err.response.get("error") != "message_not_found":
            raise
        return False
    return True


def upload(client: WebClient, channel: str, thread_ts: str, name: str, data: bytes) -> str:
    """files_upload_v2 into the message's thread; returns the file id."""
    resp = call(
        client,
        channel,
        "files_upload_v2",
        channel=channel,
        thread_ts=thread_ts,
        file=data,
        filename=name,
        title=name.rsplit(".", 1)[0],
    )
    return str(resp["file"]["id"])
