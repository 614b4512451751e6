"""Land rows the way a pull does (text landing, then the canonical typed file), for tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from flows.plans import load_plans
from tasks.datasets import dataset_kind
from tasks.settings import PROJECT_ROOT
from tasks.sources.canonical import Canon, canonicalise
from tasks.sources.file_drop import pull_file_drop
from tasks.sources.http_api import Landed, pull_to_landing
from tasks.sources.http_api.client import Page, PageRequest
from tasks.sources.http_api.landing import RecordMapper, land_pages
from tasks.sources.mapping import DatasetMapping
from tasks.sources.specs import FileDropSource, Paginator

DONG_NAI = load_plans(PROJECT_ROOT / "flows" / "plans")["dong-nai-cu-tru-dat-dai"]
LAND = next(d for d in DONG_NAI.datasets if d.id == "land_parcels")  # the CP1258 CSV drop
LAND_HEADERS = {h: f for f, h in LAND.source_names(dataset_kind("land_parcels")).items()}


def land_records(records: list[dict[str, Any]], target: Path, kind_id: str = "dossiers") -> Path:
    """One API page of records in the kind's own field names; fields no record has are NULL."""
    kind = dataset_kind(kind_id)
    present = {k for r in records for k in r}
    mapping = DatasetMapping(columns={f: f for f in kind.field_names if f in present})
    raw = target.with_suffix(".raw.parquet")
    mapper = RecordMapper("test", mapping.source_names(kind))
    land_pages([Page(1, records, len(records), None)], raw, mapper, kind.field_names)
    canonicalise(Canon("test", kind, mapping, typed_cells=False), raw, target)
    raw.unlink()
    return target


def land_drop(
    root: Path, source: FileDropSource, target: Path, known: set | None = None,
    period: str = "2026-10", label: str = "test/land_parcels",
) -> Landed:  # fmt: skip
    """Pull a land-parcel drop as the Đồng Nai plan maps it, typed as a run lands it."""
    kind = dataset_kind("land_parcels")
    raw = target.with_suffix(".raw.parquet")
    stamps = frozenset(f.name for f in kind.of_type("timestamp"))
    landed = pull_file_drop(root, source, label, period, raw, LAND_HEADERS, kind.field_names,
                            set(known or ()), stamps)  # fmt: skip
    if landed.skipped:
        return replace(landed, path=target)
    canonicalise(Canon(label, kind, LAND, typed_cells=source.format != "csv"), raw, target)
    raw.unlink()
    return replace(landed, path=target)


PORTAL_PAGINATORS = {  # the seed plans' paginators for the simulator's portal shape
    "page": Paginator(type="page_number", size_param="page_size", total_records_path="total"),
    "offset": Paginator(type="offset", total_path="total"),
    "cursor": Paginator(
        type="json_link", next_url_path="next", size_param="limit", total_records_path="total"
    ),
}


def portal_request(
    label: str, base_url: str, endpoint: str, token: str, period: str, page_size: int,
    style: str = "page", **options: Any,
) -> PageRequest:  # fmt: skip
    """A request for the portal-shaped simulator API, paged as the seed plans page it."""
    return PageRequest(label, base_url, endpoint, token, {"period": period},
                       PORTAL_PAGINATORS[style], page_size, **options)  # fmt: skip


SUPPLEMENT_FIELDS = {"SoLanBoSung", "NgayYeuCauBoSung", "NgayNhanBoSung"}
# Hand-made dossiers (tests/builders.py) carry every portal field but the supplement ones.
PORTAL_MAPPER = RecordMapper(
    "test-plan/dossiers",
    {f: f for f in dataset_kind("dossiers").field_names if f not in SUPPLEMENT_FIELDS},
    frozenset({"ChuHoSo"}),  # the applicant's name: never landed
)


def pull_portal(
    request: PageRequest, target: Path, timeout_s: float = 30.0, kind_id: str = "dossiers"
) -> Landed:
    """pull_to_landing with the portal's own field names (a text landing file)."""
    kind = dataset_kind(kind_id)
    mapper = RecordMapper(
        request.label, DatasetMapping().source_names(kind), frozenset({"ChuHoSo"})
    )
    return pull_to_landing(request, target, mapper, kind.field_names, timeout_s)
