"""Dry run: show a Block Kit message in the terminal when no Slack token is set.

The rendering is an approximation of what Slack shows, good enough for a lead
to read the numbers: bold and code spans, mentions as @ID, links as label (url).
"""

from __future__ import annotations

import re
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from tasks.notify.compose.slack_text import SlackMessage

_EMOJI = {
    ":white_check_mark:": "✅",
    ":large_blue_circle:": "🔵",
    ":warning:": "⚠️",
    ":no_entry:": "⛔",
    ":x:": "❌",
    ":boom:": "💥",
    ":hourglass:": "⌛",
    ":hourglass_flowing_sand:": "⏳",
}
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&"}


def render_message(
    message: SlackMessage, channel: str, console: Console, file_name: str | None = None
) -> None:
    """Print one message as a rich Panel titled with its channel (and attached file)."""
    parts = [_block(b) for b in message.blocks]
    if file_name:
        parts.append(Text(f"[{file_name}]", style="dim"))
    body = Group(*(p for p in parts if p is not None)) if parts else Text(message.text)
    console.print(Panel(body, title=f"Slack → {channel} (dry run)", expand=False))


def _block(block: dict[str, Any]) -> RenderableType | None:
    kind = block.get("type")
    if kind == "header":
        return Text(block["text"]["text"], style="bold")
    if kind == "divider":
        return Rule(style="dim")
    if kind == "section":
        return Text.from_markup(_mrkdwn(block["text"]["text"]) + "\n")  # Slack spaces blocks
    if kind == "context":
        texts = [e.get("text", "") for e in block.get("elements", [])]
        return Text.from_markup(_mrkdwn("  ".join(texts)), style="dim")
    return None  # block kinds we never build are ignored, not guessed at


def _mrkdwn(text: str) -> str:
    """Translate the bits of Slack mrkdwn we emit into rich markup."""
    text = re.sub(r"<!subteam\^([^|>]+)(?:\|[^>]*)?>", r"@\1", text)
    text = re.sub(r"<([^|>]+)\|([^>]+)>", r"\2 (\1)", text)
    for code, char in _EMOJI.items():
        text = text.replace(code, char)
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    text = escape(text)  # from here on, brackets in data cannot act as rich markup
    text = re.sub(r"```\n?(.*?)```", lambda m: m.group(1), text, flags=re.S)
    text = re.sub(r"`([^`\n]+)`", r"[cyan]\1[/cyan]", text)
    return re.sub(r"\*([^*\n]+)\*", r"[bold]\1[/bold]", text)
