"""Names, not ids: the Vietnamese (or English) label of a dataset, scope, status
or severity, read from catalogue.yaml so a wording fix is a data edit."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import yaml

CATALOGUE = Path(__file__).with_name("catalogue.yaml")
KINDS = ("datasets", "scopes", "statuses", "severities")


@cache
def _catalogue() -> dict[str, dict[str, tuple[str, str]]]:
    raw = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    return {
        kind: {
            k: tuple(unicodedata.normalize("NFC", v) for v in pair) for k, pair in raw[kind].items()
        }
        for kind in KINDS
    }


def name(kind: str, key: str | None, lang: str = "vi") -> str:
    """The label of `key` among `kind` (datasets, scopes, statuses, severities)."""
    if key is None:
        return "—"
    pair = _catalogue()[kind].get(key)
    return key if pair is None else pair[0 if lang == "vi" else 1]


def dataset(key: str, lang: str = "vi") -> str:
    return name("datasets", key, lang)


def scope(key: str, lang: str = "vi") -> str:
    return name("scopes", key, lang)


def status(key: str, lang: str = "vi") -> str:
    return name("statuses", key, lang)


def severity(key: str, lang: str = "vi") -> str:
    return name("severities", key, lang)


# the statuses of marts.target_progress (warehouse/seeds/progress.yaml); a target
# that action is needed on is behind or overdue
TARGET_STATUSES = ("met", "on_track", "behind", "overdue", "no_data", "no_trend")
NEEDS_ACTION = ("behind", "overdue")


def target_status(met: bool, on_track: bool, status: str | None = None) -> str:
    """The target's status: the mart's when it has one, else from met / on track."""
    if status in TARGET_STATUSES:
        return status
    return "met" if met else "on_track" if on_track else "behind"


def target_state(met: bool, on_track: bool, lang: str = "vi", status: str | None = None) -> str:
    return name("statuses", target_status(met, on_track, status), lang)
