"""`plan06 sources probe`: look at one page of a source and propose the dataset's mapping.

The proposal matches the source's field names (nested ones as dotted paths,
headers with their diacritics removed) to the kind's fields by spelling, and
reads value shapes: a date's format from its samples, a yes/no field's value
map from the spellings it uses. It is a start for a data engineer to check,
never applied silently: `--write` puts it in the plan file for review.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from tasks.datasets import DatasetKind
from tasks.sources.mapping import source_text
from tasks.sources.probe_match import assign, normalise

_STAMP_SHAPES = (  # (regex of a sample, the format that reads it)
    (r"\d{14}", "%Y%m%d%H%M%S"),
    (r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?", "iso8601"),
    (r"1\d{12}", "epoch_ms"),
    (r"1\d{9}", "epoch_s"),
    (r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}", "%d/%m/%Y %H:%M:%S"),
    (r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", "%d/%m/%Y %H:%M"),
    (r"\d{2}/\d{2}/\d{4}", "%d/%m/%Y"),
)
_YES = {"true", "1", "có", "co", "yes", "x", "đã", "y"}
_NO = {"false", "0", "không", "khong", "no", "chưa", "n"}


def flatten(record: dict, prefix: str = "") -> dict[str, Any]:
    """Field paths of a record: nested objects become `a.b`; lists stay whole."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out |= flatten(value, f"{path}.")
        else:
            out[path] = value
    return out


# Fields that hold a person's name: their samples are never shown, even masked.
PERSON_NAME_FIELDS = {"hoten", "hovaten", "fullname", "name", "chuhoso", "tennguoinop"}


def mask(value: Any, path: str = "") -> str:
    """A sample for the terminal, digits masked: shapes are what matter here."""
    if normalise(path.split(".")[-1]) in PERSON_NAME_FIELDS:
        return "(họ tên: ẩn)"
    return re.sub(r"\d", "9", str(value))[:48]


def stamp_format(samples: list[str]) -> str | None:
    for pattern, fmt in _STAMP_SHAPES:
        if samples and all(re.fullmatch(pattern, s.strip()) for s in samples):
            return fmt
    return None


def flag_values(samples: list[str]) -> dict[str, int] | None:
    """A value map when the spellings are a yes/no pair other than 0/1."""
    seen = {s.strip() for s in samples}
    if not seen or seen <= {"0", "1"}:
        return None
    if all(s.lower() in _YES | _NO for s in seen):
        return {s: 1 if s.lower() in _YES else 0 for s in sorted(seen)}
    return None


@dataclass
class Proposal:
    columns: dict[str, str] = field(default_factory=dict)  # kind field <- source path
    formats: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, int]] = field(default_factory=dict)
    components: dict[str, str] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)  # kind fields to map by hand
    unused: list[str] = field(default_factory=list)  # source fields nothing maps


def propose(kind: DatasetKind, records: list[dict]) -> Proposal:
    """The mapping a data engineer would start from, for these sample records."""
    flat = [flatten(r) for r in records if isinstance(r, dict)]
    paths = list(dict.fromkeys(p for r in flat for p in r))
    chosen = assign(kind.field_names, paths)
    proposal = Proposal(unmatched=[n for n in kind.field_names if n not in chosen])
    for f in kind.fields:
        if (path := chosen.get(f.name)) is None:
            continue
        proposal.columns[f.name] = path
        samples = [source_text(r[path]) or "" for r in flat if r.get(path) not in (None, "")]
        samples = samples[:50]
        if f.type == "timestamp" and (fmt := stamp_format(samples)):
            proposal.formats[f.name] = fmt
        if f.type == "flag" and (values := flag_values(samples)):
            proposal.values[f.name] = values
        if f.type == "json":
            _propose_items(proposal, f.items or {}, [r.get(path) for r in flat])
    proposal.unused = [p for p in paths if p not in chosen.values()]
    if len(set(proposal.formats.values())) == 1:  # one format for every date: say it once
        proposal.formats = {"default": next(iter(proposal.formats.values()))}
    return proposal


def _as_list(value: Any) -> list:
    """A list field as delivered: a JSON list, or a file cell holding its JSON text."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return value if isinstance(value, list) else []


def _propose_items(proposal: Proposal, items: dict[str, str], lists: list[Any]) -> None:
    elements = [e for v in lists for e in _as_list(v) if isinstance(e, dict)]
    keys = list(dict.fromkeys(k for e in elements for k in e))
    for name, key in assign(list(items), keys, cutoff=0.5).items():
        proposal.components[name] = key
        samples = [str(e[key]) for e in elements if e.get(key) not in (None, "")]
        if items[name] == "flag" and (values := flag_values(samples)):
            proposal.values[name] = values


def find_records(body: Any, path: str = "") -> str | None:
    """The JSONPath of the first list of objects in a page (for data_selector)."""
    if isinstance(body, list) and body and all(isinstance(r, dict) for r in body[:5]):
        return path or "$"
    if isinstance(body, dict):
        for key, value in body.items():
            if (found := find_records(value, f"{path}.{key}" if path else key)) is not None:
                return found
    return None
