"""File-drop sources: files staff export (CSV, XLSX, Parquet) into a folder per plan.

A batch is every current file of the (plan, dataset, period) slice. Files are
known by a SHA-256 in ops.file_ledger (of their cells for XLSX: identity.py):
when every file of the slice is already there, nothing is loaded again; when
one is new or changed (same name, new content = a new version), the slice is
reloaded from the current files and the old version is marked superseded.
Files that cannot be read are quarantined whole, with the reason; bad rows
land with file:line and their defect, so validation quarantines them with that
reference. `plan06 files retry` (retry.py) has a refused file read again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import httpx

from tasks.plans import DatasetSpec, PlanSpec
from tasks.settings import env_value
from tasks.sources.file_drop.bulk import is_bulk, land_bulk_file
from tasks.sources.file_drop.identity import file_identity
from tasks.sources.file_drop.landing import FileOutcome, land_files
from tasks.sources.file_drop.paths import matching_files, unsafe_reason
from tasks.sources.file_drop.readers import read_rows
from tasks.sources.http_api import SIMULATOR_URL_ENV, Landed
from tasks.sources.http_api.errors import PermanentSourceError
from tasks.sources.specs import FileDropSource

SIMULATOR_DROP_ROOT_ENV = "PLAN06_SIMULATOR_DROP_ROOT"


def resolve_drop(plan: PlanSpec, dataset: DatasetSpec) -> tuple[Path, FileDropSource, bool]:
    """(root, source, is_simulator): the partner's drop folder, else the simulator's."""
    source = plan.sources[dataset.source]
    assert isinstance(source, FileDropSource)
    if (root := env_value(source.root_env)) is not None:
        return Path(root), source, False
    simulated = env_value(SIMULATOR_DROP_ROOT_ENV) or _ask_simulator()
    if simulated is None:
        raise PermanentSourceError(
            f"{plan.id}/{dataset.id}: {source.root_env} is not set and no simulator is running; "
            f"set {source.root_env} to the drop folder, or use `plan06 run`"
        )
    return Path(simulated) / source.simulator_province, source, True


def _ask_simulator() -> str | None:
    """The bundled simulator writes its drops on this machine and says where."""
    url = env_value(SIMULATOR_URL_ENV)
    if url is None:
        return None
    answer = httpx.get(f"{url.rstrip('/')}/_drops", timeout=5.0, trust_env=False)
    return answer.json().get("root") if answer.is_success else None


def pull_file_drop(
    root: Path, source: FileDropSource, label: str, period: str, target: Path,
    header_fields: dict[str, str], fields: Sequence[str], known: set[tuple[str, str]],
    date_fields: frozenset[str] = frozenset(),
) -> Landed:  # fmt: skip
    """Land the slice's files unless every one is already in the ledger (`known`).

    `header_fields` is file header -> kind field; `fields` the kind's fields;
    `date_fields` the timestamp fields (a workbook's serial numbers there are dates)."""
    pattern = source.path.replace("{period}", period)
    files = matching_files(root, pattern)
    if not files:
        raise PermanentSourceError(
            f"{label}: no file matches {pattern!r} under the drop root: "
            "has the file for this period been dropped?"
        )
    real_root = root.resolve()
    names = [str(p.relative_to(real_root)) for p in files]
    unsafe = {n: r for n, p in zip(names, files, strict=True) if (r := unsafe_reason(real_root, p))}

    def identity(path: Path) -> str:  # XLSX by its cells: a re-save is not a new version
        return file_identity(path, source.format)

    current = {(n, identity(p)) for n, p in zip(names, files, strict=True) if n not in unsafe}
    if current <= known and not unsafe.keys() - {n for n, _ in known}:
        return Landed(target, 0, None, pattern, skipped="every file already loaded")
    # big UTF-8 CSV and Parquet files are copied by DuckDB (bulk.py), the rest read row by row
    readable = [
        (n, p, None if is_bulk(p, source) else read_rows(p, n, source, header_fields, date_fields))
        for n, p in zip(names, files, strict=True)
        if n not in unsafe
    ]

    def bulk(path: Path, name: str, page: int, part: Path) -> int:
        return land_bulk_file(path, name, page, part, source, header_fields, fields)

    outcomes = land_files(readable, target, fields, bulk, identity)
    outcomes += [FileOutcome(n, "-", 0, "quarantined", r, 0) for n, r in unsafe.items()]
    rows = sum(o.rows_landed for o in outcomes)
    state = {"files": [o.__dict__ for o in outcomes]}
    return Landed(target, rows, None, pattern, source_state=state)
