"""What a source remembers between runs, in the warehouse: watermarks and the file ledger.

Written in the transaction that publishes the batch, so the state never runs
ahead of (or behind) the data it describes.
"""

from __future__ import annotations

import duckdb


def read_watermark(
    con: duckdb.DuckDBPyConnection, plan: str, dataset: str, period: str
) -> str | None:
    row = con.execute(
        "SELECT watermark FROM ops.watermarks WHERE plan_id = ? AND dataset = ? AND period = ?",
        [plan, dataset, period],
    ).fetchone()
    return row[0] if row else None


def known_files(con: duckdb.DuckDBPyConnection, plan: str, dataset: str) -> set[tuple[str, str]]:
    rows = con.execute(
        # a file marked `retry` (plan06 files retry) is read again as if new
        "SELECT file_path, sha256 FROM ops.file_ledger WHERE plan_id = ? AND dataset = ?"
        " AND status NOT IN ('superseded', 'retry')",
        [plan, dataset],
    ).fetchall()
    return {(path, digest) for path, digest in rows}


def save_source_state(
    con: duckdb.DuckDBPyConnection, batch: tuple[str, str, str, str], state: dict, published: bool
) -> None:
    """Advance the watermark (published batches only) and record the batch's files.

    Runs inside the publishing transaction: the state moves with the data."""
    batch_id, plan, dataset, period = batch
    if published and state.get("watermark"):
        # delete + insert, not INSERT OR REPLACE: DuckLake has no keys to conflict on
        con.execute(
            "DELETE FROM ops.watermarks WHERE plan_id = ? AND dataset = ? AND period = ?",
            [plan, dataset, period],
        )
        con.execute(
            "INSERT INTO ops.watermarks VALUES (?, ?, ?, ?, ?, current_localtimestamp())",
            [plan, dataset, period, state["watermark"], batch_id],
        )
    for f in state.get("files", []):
        _record_file(con, (batch_id, plan, dataset, period), f, published)
    refused = [f"{f['file_path']}: {f['reason']}" for f in state.get("files", [])
               if f["status"] == "quarantined"]  # fmt: skip
    if refused:  # the batch's audit row says why its files were refused, first
        con.execute(
            "UPDATE ops.batches SET reason = ?::VARCHAR || coalesce('; ' || reason, '')"
            " WHERE batch_id = ?",
            ["; ".join(refused), batch_id],
        )


def _record_file(
    con: duckdb.DuckDBPyConnection, batch: tuple[str, str, str, str], f: dict, published: bool
) -> None:
    batch_id, plan, dataset, period = batch
    status = f["status"] if published or f["status"] == "quarantined" else "rejected"
    con.execute(
        "UPDATE ops.file_ledger SET status = 'superseded' WHERE plan_id = ? AND dataset = ?"
        " AND file_path = ? AND sha256 <> ? AND status <> 'superseded'",
        [plan, dataset, f["file_path"], f["sha256"]],
    )
    # the same content keeps its version number; new content is the next version
    (version,) = con.execute(
        "SELECT coalesce(max(version) FILTER (WHERE sha256 = ?), count(*) + 1)"
        " FROM ops.file_ledger WHERE plan_id = ? AND dataset = ? AND file_path = ?",
        [f["sha256"], plan, dataset, f["file_path"]],
    ).fetchone()
    con.execute(
        "DELETE FROM ops.file_ledger WHERE plan_id = ? AND dataset = ? AND file_path = ?"
        " AND sha256 = ?",
        [plan, dataset, f["file_path"], f["sha256"]],
    )
    con.execute(
        "INSERT INTO ops.file_ledger"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, current_localtimestamp())",
        [plan, dataset, period, f["file_path"], f["sha256"], f["size_bytes"], version,
         status, f["reason"], f["rows_landed"], batch_id],
    )  # fmt: skip
