"""How a source's records map onto a dataset kind: the dataset's columns, values and formats.

One direction only: kind field <- source field. For an API the source field
is a field name or a JSONPath into the record (`ho_so.ma`, `$.thoiGian.nop`);
for a file drop it is a header. Unmapped kind fields are NULL; a dataset that
declares no `columns` maps every kind field from the source field of the same
name (the National Public Service Portal's shape).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tasks.datasets import DatasetKind
from tasks.sources.jsonpath import MappingError, record_getter, top_level

__all__ = ["DatasetMapping", "MappingError", "record_getter", "source_text", "top_level"]

# iso8601: 2026-10-25, 2026-10-25T08:30:00, ...+07:00 or Z; epoch_ms / epoch_s:
# Unix time of the instant; excel: a serial day number (1900 system). Anything
# else must be a strptime pattern such as "%d/%m/%Y %H:%M".
NAMED_FORMATS = ("iso8601", "epoch_ms", "epoch_s", "excel")
UNPARSED_FLOOR = 5  # this many unreadable values are row defects, never a failed pull


def check_format(value: str) -> str:
    if value not in NAMED_FORMATS and "%" not in value:
        raise ValueError(
            f"unknown date format {value!r}: use one of {', '.join(NAMED_FORMATS)} "
            "or a strptime pattern such as '%d/%m/%Y'"
        )
    return value


class DatasetMapping(BaseModel):
    """The mapping keys of a plan's dataset entry (kept apart from where the data is)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: dict[str, str] | None = Field(default=None, description="kind field <- source")
    components: dict[str, str] | None = Field(
        default=None, description="item field of the kind's list field <- source item field"
    )
    values: dict[str, dict[str | int | bool, int | str]] = Field(
        default_factory=dict, description="per kind field: source value -> kind value"
    )
    formats: dict[str, str | list[str]] = Field(
        default_factory=dict, description="per timestamp field, or `default`"
    )
    ignore_fields: list[str] = Field(
        default_factory=list,
        description="source fields deliberately not landed (e.g. a name): not schema drift",
    )
    max_unparsed_share: float = Field(
        default=0.01, ge=0, le=1, description="share of unreadable values that fails the pull"
    )

    @field_validator("formats")
    @classmethod
    def _known_formats(cls, formats: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
        for value in formats.values():
            for one in [value] if isinstance(value, str) else value:
                check_format(one)
        return formats

    def mapping_errors(self, kind: DatasetKind) -> list[str]:
        """Keys that name no field of the kind, as `key: reason` lines."""
        fields, errors = set(kind.field_names), []
        lists = kind.of_type("json")
        items = {i for f in lists for i in (f.items or {})}
        for name in self.columns or {}:
            if name not in fields:
                errors.append(f"columns.{name}: not a field of kind {kind.id}")
        for name in self.components or {}:
            if name not in items:
                errors.append(f"components.{name}: not an item field of kind {kind.id}")
        for name in self.values:
            if name not in fields | items:
                errors.append(f"values.{name}: not a field of kind {kind.id}")
        stamps = {f.name for f in kind.of_type("timestamp")}
        for name in self.formats:
            if name != "default" and name not in stamps:
                errors.append(f"formats.{name}: not a timestamp field of kind {kind.id}")
        if self.components is not None and not lists:
            errors.append(f"components: kind {kind.id} has no list field")
        return [f"{e} (fields: {', '.join(kind.field_names)})" for e in errors]

    def source_names(self, kind: DatasetKind) -> dict[str, str]:
        """kind field -> source field or path, for every mapped field."""
        if self.columns is None:
            return {name: name for name in kind.field_names}
        return dict(self.columns)

    def item_names(self, items: dict[str, str]) -> dict[str, str]:
        """item field -> source item field (same names unless `components` maps them)."""
        return dict(self.components) if self.components is not None else {i: i for i in items}

    def value_map(self, field: str) -> dict[str, int | str] | None:
        """The field's value map with source values as text ('true', '1', 'Có' -> lower)."""
        mapping = self.values.get(field)
        if mapping is None:
            return None
        return {source_text(k).lower(): v for k, v in mapping.items()}

    def formats_of(self, field: str, default: str) -> list[str]:
        value = self.formats.get(field, self.formats.get("default", default))
        return [value] if isinstance(value, str) else list(value)


def source_text(value: Any) -> str | None:
    """A source value as landed text: JSON booleans spelled as JSON, lists as JSON."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
