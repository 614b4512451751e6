"""Where a plan's dataset comes from: the `sources:` entries of a plan file.

Two kinds: `http_api` (a provincial system's API, described in the words of
dlt's rest_api source: paginator, data_selector, params, auth) and
`file_drop` (files staff export into a folder: format, encoding, dialect
pinned per source, never guessed). How the records map onto the dataset kind
(columns, values, formats) is the dataset's, not the source's
(tasks/sources/mapping.py). Secrets and locations are names of environment
variables only.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tasks.sources.paginator_spec import Paginator

SLUG = r"^[a-z0-9][a-z0-9_-]{0,62}$"
ENV_NAME = r"^[A-Z][A-Z0-9_]{0,127}$"
FIELD_NAME = r"^[A-Za-z][A-Za-z0-9_]{0,62}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


TEMPLATES = ("period", "period_start", "period_end", "updated_since")


class HttpApiSource(_Strict):
    kind: Literal["http_api"]
    url_env: str = Field(pattern=ENV_NAME, description="env var with the API base URL")
    token_env: str = Field(pattern=ENV_NAME, description="env var with the token or API key")
    simulator_province: str = Field(pattern=SLUG, description="used when url_env is unset")
    paginator: Paginator
    page_size: int = Field(default=500, ge=1, le=1000)
    data_selector: str = Field(default="data", description="JSONPath of the records in a page")
    params: dict[str, str] = Field(
        default_factory=lambda: {"period": "{period}"},
        description="query parameters; templates {period} {period_start} {period_end}"
        " {updated_since} (a parameter whose template has no value is left out)",
    )
    auth: Literal["bearer", "api_key"] = "bearer"
    api_key_header: str = Field(default="X-API-Key", pattern=r"^[A-Za-z][A-Za-z0-9-]{0,63}$")
    updated_field: str | None = Field(
        default=None,
        pattern=FIELD_NAME,
        description="kind field with the update stamp: set it to pull incrementally",
    )
    timeout_s: float = Field(default=30.0, gt=0, le=300)

    @model_validator(mode="before")
    @classmethod
    def _old_keys(cls, data: Any) -> Any:
        if isinstance(data, dict) and "pagination" in data:
            raise ValueError(
                "`pagination` is replaced by `paginator: {type: page_number | offset | cursor"
                " | json_link | header_link | single_page, ...}` (see the README's source keys)"
            )
        return data

    @field_validator("params")
    @classmethod
    def _known_templates(cls, params: dict[str, str]) -> dict[str, str]:
        for name, template in params.items():
            for used in re.findall(r"{([^{}]*)}", template):
                if used not in TEMPLATES:
                    raise ValueError(
                        f"params.{name}: unknown template {{{used}}}; known:"
                        f" {', '.join('{' + t + '}' for t in TEMPLATES)}"
                    )
        return params

    @model_validator(mode="after")
    def _incremental_needs_a_param(self) -> HttpApiSource:
        if self.updated_field and not any("{updated_since}" in v for v in self.params.values()):
            raise ValueError(
                "updated_field is set but no params entry uses {updated_since}: the pull"
                " would not be incremental (e.g. params: {updated_since: '{updated_since}'})"
            )
        return self


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
    ignore_columns: list[str] = Field(default_factory=list, description="headers not loaded")
    max_bytes: int = Field(default=256 * 2**20, gt=0, description="larger files are refused")
    bulk_min_bytes: int = Field(
        default=64 * 2**20,
        ge=0,
        description="UTF-8 CSV and Parquet files this big or bigger are read by DuckDB in bulk",
    )

    @model_validator(mode="before")
    @classmethod
    def _old_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        old = sorted({"columns", "date_columns", "date_format"} & set(data))
        if old and isinstance(data, dict):
            raise ValueError(
                f"{', '.join(old)}: the mapping moved to the dataset: `columns:` (kind field:"
                " file header), `formats:` (per field or `default:`) and `values:`"
            )
        return data

    @field_validator("path")
    @classmethod
    def _relative_glob(cls, path: str) -> str:
        if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path) or "\0" in path:
            raise ValueError("must be relative to the drop root (no absolute path, no NUL)")
        if ".." in re.split(r"[\\/]", path):
            raise ValueError("must stay under the drop root (no '..')")
        return path


__all__ = ["FileDropSource", "HttpApiSource", "Paginator", "SourceSpec"]

SourceSpec = Annotated[HttpApiSource | FileDropSource, Field(discriminator="kind")]


def dataset_source_errors(index: int, endpoint: str | None, source: object) -> list[str]:
    """An http_api dataset needs an endpoint; a file_drop one takes its path from the source."""
    if isinstance(source, HttpApiSource) and endpoint is None:
        return [f"datasets.{index}.endpoint: required for an http_api source (e.g. /api/v1/...)"]
    if isinstance(source, FileDropSource) and endpoint is not None:
        return [f"datasets.{index}.endpoint: a file_drop source has no endpoint; set its path"]
    return []
