"""Reference lists the simulator draws from (procedures, statuses, names).

Kept in `catalog.yaml` so that a reviewer can correct a procedure code or a
name without touching code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

CATALOG_YAML = Path(__file__).with_name("catalog.yaml")


class Procedure(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    code: str = Field(pattern=r"^\d\.\d{6}$")
    name: str
    days: int = Field(ge=1)


class Domain(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    procedures: tuple[Procedure, ...] = Field(min_length=1)
    components: tuple[str, ...] = Field(min_length=1)


class Statuses(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    weights: dict[str, float]
    unfinished: frozenset[str]
    with_result: frozenset[str]


class Names(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    family: dict[str, float]
    middle_male: tuple[str, ...]
    middle_female: tuple[str, ...]
    given_male: tuple[str, ...]
    given_female: tuple[str, ...]


class Catalog(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    domains: dict[str, Domain]
    statuses: Statuses
    names: Names


@lru_cache(maxsize=1)
def load_catalog(path: Path = CATALOG_YAML) -> Catalog:
    """Parse and validate `catalog.yaml` once per process."""
    return Catalog.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
