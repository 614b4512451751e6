"""Kinds of dataset, as data: warehouse/datasets/<id>.yaml is the one contract of a kind.

A kind lists its fields (the names every source is mapped onto, the
National Public Service Portal's where there is one), each with a type, the
staged column it becomes, and a default for a missing value. From that one
list plan06 derives what used to be written four times: the canonical landed
shape every source is converted to (tasks/sources/canonical.py), the staging
SQL (tasks/load/staging_sql.py), the core table of a new kind and the
baseline expectations (key not null and unique, flag value sets). What is
genuinely special to a kind stays beside it: `derived` columns (SQL over the
typed columns) and the checks of its GX suite.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tasks.settings import PROJECT_ROOT

DATASETS_DIR = PROJECT_ROOT / "warehouse" / "datasets"
IDENTIFIER = r"^[a-z_][a-z0-9_]{0,62}$"
FIELD_NAME = r"^[A-Za-z][A-Za-z0-9_]{0,62}$"

# code: an identifier (trimmed, NFC); text: free text (trimmed, NFC); int;
# flag: 0/1 landed, a boolean staged; timestamp: local Vietnam time;
# json: a list of objects with typed `items`; citizen_id: a CCCD/CMND, landed
# raw (spaces removed) and staged only as its keyed pseudonym `<as>_pseudonym`.
FieldType = Literal["code", "text", "int", "flag", "timestamp", "json", "citizen_id"]
ItemType = Literal["code", "text", "int", "flag"]

SQL_TYPES = {"code": "VARCHAR", "text": "VARCHAR", "int": "INTEGER", "flag": "BOOLEAN",
             "timestamp": "TIMESTAMP"}  # fmt: skip


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KindField(_Strict):
    """One field of the kind: what sources map onto, and the staged column it becomes."""

    name: str = Field(pattern=FIELD_NAME, description="the field sources are mapped onto")
    type: FieldType
    as_: str = Field(alias="as", pattern=IDENTIFIER, description="the staged column")
    default: int | str | None = Field(default=None, description="staged value when missing")
    keep: bool = Field(default=True, description="false: only used by `derived` columns")
    required: bool = Field(default=False, description="core column is NOT NULL")
    items: dict[str, ItemType] | None = Field(default=None, description="json: item fields")

    @model_validator(mode="after")
    def _items_for_json(self) -> KindField:
        if (self.type == "json") != (self.items is not None):
            raise ValueError(f"{self.name}: `items` is given for a json field, and only then")
        return self


class DatasetKind(_Strict):
    id: str = Field(pattern=IDENTIFIER)
    description: str
    core_table: str = Field(pattern=IDENTIFIER)
    key: list[str] = Field(min_length=1, description="staged columns of the natural key")
    latest_by: str | None = Field(
        default=None, pattern=IDENTIFIER, description="of repeated keys, keep the latest by this"
    )
    fields: list[KindField] = Field(min_length=1)
    derived: dict[str, str] = Field(default_factory=dict, description="column: SQL expression")

    @model_validator(mode="after")
    def _names_are_consistent(self) -> DatasetKind:
        names = [f.name for f in self.fields]
        columns = [f.as_ for f in self.fields] + list(self.derived)
        for label, values in (("field", names), ("column", columns)):
            if repeated := sorted({v for v in values if values.count(v) > 1}):
                raise ValueError(f"{label}(s) named twice: {', '.join(repeated)}")
        if not all(re.match(IDENTIFIER, c) for c in self.derived):
            raise ValueError("derived column names must be snake_case")
        if missing := [k for k in self.key if k not in self.staged_columns]:
            raise ValueError(f"key column(s) not staged: {', '.join(missing)}")
        return self

    @property
    def field_names(self) -> list[str]:
        """The kind's fields, in order: the columns of its landed shape."""
        return [f.name for f in self.fields]

    @property
    def key_columns(self) -> list[str]:
        return self.key

    def field(self, name: str) -> KindField:
        return next(f for f in self.fields if f.name == name)

    def of_type(self, *types: str) -> list[KindField]:
        return [f for f in self.fields if f.type in types]

    @property
    def staged_columns(self) -> list[str]:
        """Columns of the staged table a core row is made of (besides batch columns)."""
        kept = [
            f"{f.as_}_pseudonym" if f.type == "citizen_id" else f.as_
            for f in self.fields
            if f.keep and f.type != "json"
        ]
        return kept + list(self.derived)


@cache
def dataset_kinds() -> dict[str, DatasetKind]:
    kinds = {}
    for path in sorted(DATASETS_DIR.glob("*.yaml")):
        try:
            kind = DatasetKind.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except ValueError as exc:
            raise ValueError(f"{path}: invalid dataset kind: {exc}") from exc
        kinds[kind.id] = kind
    return kinds


def dataset_kind(kind_id: str) -> DatasetKind:
    try:
        return dataset_kinds()[kind_id]
    except KeyError:
        known = ", ".join(dataset_kinds())
        raise ValueError(f"unknown dataset kind {kind_id!r}; known: {known}") from None
