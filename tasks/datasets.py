"""Kinds of dataset, as data: warehouse/datasets/<id>.yaml.

A kind says which fields a source sends (landed as text), which staging model
types them (warehouse/models/staging/<model>.sql, building table `staged`),
which core table receives them and by which natural key. Pull, stage,
validate and publish are the same code for every kind.
"""

from __future__ import annotations

import re
from functools import cache

import yaml
from pydantic import BaseModel, ConfigDict, Field

from tasks.settings import PROJECT_ROOT

DATASETS_DIR = PROJECT_ROOT / "warehouse" / "datasets"
IDENTIFIER = r"^[a-z_][a-z0-9_]{0,62}$"


class DatasetKind(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=IDENTIFIER)
    description: str
    fields: list[str] = Field(min_length=1)
    staging_model: str = Field(pattern=IDENTIFIER)
    core_table: str = Field(pattern=IDENTIFIER)
    natural_key: list[str] = Field(min_length=1)

    @property
    def key_columns(self) -> list[str]:
        if not all(re.match(IDENTIFIER, c) for c in self.natural_key):
            raise ValueError(f"dataset {self.id}: natural_key columns must be snake_case")
        return self.natural_key


@cache
def dataset_kinds() -> dict[str, DatasetKind]:
    kinds = {}
    for path in sorted(DATASETS_DIR.glob("*.yaml")):
        kind = DatasetKind.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        kinds[kind.id] = kind
    return kinds


def dataset_kind(dataset_id: str) -> DatasetKind:
    try:
        return dataset_kinds()[dataset_id]
    except KeyError:
        known = ", ".join(dataset_kinds())
        raise ValueError(f"unknown dataset {dataset_id!r}; known: {known}") from None
