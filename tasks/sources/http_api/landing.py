"""Land an API pull as one Parquet file: the raw layer of a batch.

Rows are written page by page (one row group each), so memory stays flat
whatever the size; the file appears under its final name only when the last
page has arrived, so a failed pull leaves nothing that looks complete.
Fields are landed as text, exactly as delivered: typing and checks happen in
staging, where a bad value can be quarantined with its reason instead of
failing the batch. The applicant's name is never landed (not needed: data
minimisation); the citizen ID is, and staging pseudonymises it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tasks.sources.http_api.errors import PermanentSourceError

# Fields of a dossier as the API sends them (National Public Service Portal names).
DOSSIER_FIELDS = (
    "MaHoSo",
    "MaTTHC",
    "MaDonVi",
    "LinhVuc",
    "KenhThucHien",
    "MucDoDVC",
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "TrangThaiHoSo",
    "SoGiayToChuHoSo",
    "ThanhPhanHoSo",
    "MaKetQua",
    "DuongDanTepTinKetQua",
    "KetQuaDuocSoHoa",
    "DongBoDVCQG",
    "NgayCapNhat",
)
LANDED_SCHEMA = pa.schema(
    [pa.field("_row", pa.int64()), pa.field("_page", pa.int32())]
    + [pa.field(name, pa.string()) for name in DOSSIER_FIELDS]
)


def _as_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def page_table(records: list[dict], page: int, first_row: int, where: str) -> pa.Table:
    """One page as an Arrow table of text columns; a non-object row fails the page."""
    columns: dict[str, list] = {name: [] for name in DOSSIER_FIELDS}
    for i, record in enumerate(records):
        if not isinstance(record, dict):
            raise PermanentSourceError(f"{where}: page {page} row {i + 1} is not an object")
        for name in DOSSIER_FIELDS:
            columns[name].append(_as_text(record.get(name)))
    rows = list(range(first_row, first_row + len(records)))
    arrays = [pa.array(rows, pa.int64()), pa.array([page] * len(records), pa.int32())]
    arrays += [pa.array(columns[name], pa.string()) for name in DOSSIER_FIELDS]
    return pa.Table.from_arrays(arrays, schema=LANDED_SCHEMA)


def land_pages(pages: Iterable[dict], target: Path, where: str) -> tuple[int, int | None]:
    """Write every page to `target`; returns (rows landed, total the API reported)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".parquet.part")
    rows, reported_total = 0, None
    try:
        with pq.ParquetWriter(partial, LANDED_SCHEMA, compression="zstd") as writer:
            for body in pages:
                page = int(body.get("page") or 0)
                reported_total = body.get("total", reported_total)
                table = page_table(body["data"], page, rows + 1, where)
                writer.write_table(table)
                rows += table.num_rows
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return rows, reported_total
