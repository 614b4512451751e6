"""How the next page of a provincial API is found: the `paginator:` of an http_api source.

The types and their parameter names are dlt's rest_api ones, so a data
engineer who knows dlt reads a plan's source at once; the behaviour of each is
in tasks/sources/http_api/paginators.py.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

PAGINATOR_KEYS = {
    "page_number": {"page_param", "size_param", "base_page", "total_path"},
    "offset": {"offset_param", "limit_param", "total_path"},
    "cursor": {"cursor_path", "cursor_param", "size_param"},
    "json_link": {"next_url_path", "size_param"},
    "header_link": {"links_next_key", "size_param"},
    "single_page": set(),
}
COMMON_PAGINATOR_KEYS = {"type", "total_records_path", "total_records_header"}


class Paginator(BaseModel):
    """How the next page is found, in the words of dlt's rest_api paginators."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["page_number", "offset", "cursor", "json_link", "header_link", "single_page"]
    page_param: str = "page"
    size_param: str | None = None  # page_number: the page-size parameter, if the API takes one
    base_page: int = Field(default=1, ge=0)
    total_path: str | None = None  # page_number: total pages; offset: total records
    offset_param: str = "offset"
    limit_param: str = "limit"
    cursor_path: str = "cursors.next"
    cursor_param: str = "cursor"
    next_url_path: str = "next"
    links_next_key: str = "next"
    total_records_path: str | None = None  # JSONPath of the record total, checked on arrival
    total_records_header: str | None = None  # or a response header carrying it

    @model_validator(mode="after")
    def _keys_fit_the_type(self) -> Paginator:
        allowed = PAGINATOR_KEYS[self.type] | COMMON_PAGINATOR_KEYS
        if stray := sorted(self.model_fields_set - allowed):
            raise ValueError(
                f"{', '.join(stray)} do(es) not apply to a {self.type} paginator"
                f" (it takes: {', '.join(sorted(allowed - {'type'}))})"
            )
        return self

    @property
    def records_total(self) -> str | None:
        """JSONPath of the total number of records, if the API reports one."""
        return self.total_records_path or (self.total_path if self.type == "offset" else None)
