"""Where a plan's dataset comes from: the `sources:` entries of a plan file.

Two kinds: `http_api` (a provincial system's API: paging style, auth style,
optional incremental pulls) and `file_drop` (files staff export into a folder:
format, encoding, dialect, date format and column map pinned per source, never
guessed). Secrets and locations are names of environment variables only.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SLUG = r"^[a-z0-9][a-z0-9_-]{0,62}$"
ENV_NAME = r"^[A-Z][A-Z0-9_]{0,127}$"
FIELD_NAME = r"^[A-Za-z][A-Za-z0-9_]{0,62}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HttpApiSource(_Strict):
    kind: Literal["http_api"]
    url_env: str = Field(pattern=ENV_NAME, description="env var with the API base URL")
    token_env: str = Field(pattern=ENV_NAME, description="env var with the token or API key")
    simulator_province: str = Field(pattern=SLUG, description="used when url_env is unset")
    page_size: int = Field(default=500, ge=1, le=1000)
    pagination: Literal["page", "offset", "cursor"] = "page"
    auth: Literal["bearer", "api_key"] = "bearer"
    api_key_header: str = Field(default="X-API-Key", pattern=r"^[A-Za-z][A-Za-z0-9-]{0,63}$")
    updated_field: str | None = Field(
        default=None,
        pattern=FIELD_NAME,
        description="source field with the update stamp: set it to pull incrementally",
    )
    timeout_s: float = Field(default=30.0, gt=0, le=300)


class FileDropSource(_Strict):
    kind: Literal["file_drop"]
    root_env: str = Field(pattern=ENV_NAME, description="env var with the drop root folder")
    simulator_province: str = Field(pattern=SLUG, description="used when root_env is unset")
    path: str = Field(description="glob under the root; {period} is replaced by YYYY-MM")
    format: Literal["csv", "xlsx", "parquet"]
    encoding: Literal["utf-8", "utf-16", "cp1258"] = "utf-8"
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    quotechar: str = Field(default='"', min_length=1, max_length=1)
    sheet: str | None = None
    date_format: str = Field(default="%d/%m/%Y", description="strptime format of date cells")
    date_columns: list[str] = Field(default_factory=list, description="fields holding dates")
    columns: dict[str, str] = Field(min_length=1, description="file header -> dataset field")
    ignore_columns: list[str] = Field(default_factory=list, description="headers not loaded")
    max_bytes: int = Field(default=256 * 2**20, gt=0, description="larger files are refused")
    bulk_min_bytes: int = Field(
        default=64 * 2**20,
        ge=0,
        description="UTF-8 CSV and Parquet files this big or bigger are read by DuckDB in bulk",
    )

    @field_validator("path")
    @classmethod
    def _relative_glob(cls, path: str) -> str:
        if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path) or "\0" in path:
            raise ValueError("must be relative to the drop root (no absolute path, no NUL)")
        if ".." in re.split(r"[\\/]", path):
            raise ValueError("must stay under the drop root (no '..')")
        return path


SourceSpec = Annotated[HttpApiSource | FileDropSource, Field(discriminator="kind")]


def dataset_source_errors(index: int, endpoint: str | None, source: object) -> list[str]:
    """An http_api dataset needs an endpoint; a file_drop one takes its path from the source."""
    if isinstance(source, HttpApiSource) and endpoint is None:
        return [f"datasets.{index}.endpoint: required for an http_api source (e.g. /api/v1/...)"]
    if isinstance(source, FileDropSource) and endpoint is not None:
        return [f"datasets.{index}.endpoint: a file_drop source has no endpoint; set its path"]
    return []
