"""What the scale test checks in a phase's warehouse once its runs are through.

Per triggered (plan, dataset, period) slice: it has a published batch (else
lost); the slice's core rows point only to its published batches (else
duplicates: a half or a second copy of a slice), and to exactly one when the
dataset replaces its slice (an incremental dataset, pulled by update stamp,
upserts rows by key, so its rows may come from several published batches).
Over all core facts: no natural key twice. `fingerprint` is the core content
without batch ids, to compare a phase that had a kill and reruns with a clean
one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from flows.plans import load_plans
from tasks.datasets import dataset_kind
from tests.scale.stack import Warehouse


@dataclass
class Findings:
    slices: int = 0
    lost: int = 0
    duplicates: int = 0
    duplicate_keys: int = 0
    conflicts_retried: int = 0
    retries_known: bool = False


@contextmanager
def reading(warehouse: Warehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the phase's warehouse, whichever the backend."""
    if warehouse.backend == "ducklake":
        import os

        from warehouse import db

        os.environ |= {k: v for k, v in warehouse.env.items() if k.startswith("PLAN06_")}
        from tasks.settings import load_settings

        con = db.open_reader(load_settings(), 60)  # the backend branch's reader
    else:
        con = duckdb.connect(str(warehouse.data_dir / "plan06.duckdb"), read_only=True)
    try:
        yield con
    finally:
        con.close()


def _incremental(plan, dataset) -> bool:
    return getattr(plan.sources[dataset.source], "updated_field", None) is not None


def _retries(con: duckdb.DuckDBPyConnection) -> tuple[int, bool]:
    """DuckLake commit conflicts retried, if ops.batches records them (the backend's key)."""
    columns = {c for (c,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database()"
        " AND schema_name = 'ops' AND table_name = 'batches'").fetchall()}  # fmt: skip
    if "commit_retries" in columns:
        return int(con.execute("SELECT coalesce(sum(commit_retries), 0) FROM ops.batches")
                   .fetchone()[0]), True  # fmt: skip
    if "summary" in columns:
        (total,) = con.execute(
            "SELECT coalesce(sum(try_cast(json_extract(summary, '$.commit_retries') AS BIGINT)),"
            " 0), count(json_extract(summary, '$.commit_retries')) FROM ops.batches"
        ).fetchone()[:1]
        return int(total), True
    return 0, False


def check_warehouse(warehouse: Warehouse, pairs: list[tuple[str, str]]) -> Findings:
    plans = load_plans(Path(warehouse.env["PLAN06_PLANS_DIR"]))
    found = Findings()
    with reading(warehouse) as con:
        tables: dict[str, list[str]] = {}
        for plan_id, period in pairs:
            plan = plans[plan_id]
            for dataset in plan.datasets:
                found.slices += 1
                kind = dataset_kind(dataset.kind_id)
                tables[kind.core_table] = ["plan_id", *kind.key]
                batches = dict(con.execute(
                    "SELECT batch_id, rows_published FROM ops.batches WHERE plan_id = ? AND"
                    " dataset = ? AND period = ? AND status = 'published'",
                    [plan_id, dataset.id, period],
                ).fetchall())  # fmt: skip
                published = set(batches)
                pointed = {b for (b,) in con.execute(
                    f"SELECT DISTINCT batch_id FROM core.{kind.core_table}"
                    " WHERE plan_id = ? AND period = ?", [plan_id, period]).fetchall()}  # fmt: skip
                if not published or (not pointed and any(batches.values())):
                    found.lost += 1
                    continue
                stray = pointed - published
                many = len(pointed) > 1 and not _incremental(plan, dataset)
                found.duplicates += bool(stray) or many
        for table, key in tables.items():
            columns = ", ".join(key)
            (twice,) = con.execute(
                f"SELECT count(*) - count(DISTINCT ({columns})) FROM core.{table}"
            ).fetchone()
            found.duplicate_keys += twice
        found.duplicates += found.duplicate_keys
        found.conflicts_retried, found.retries_known = _retries(con)
    return found


def fingerprint(warehouse: Warehouse, tables: list[str],
                pairs: list[tuple[str, str]]) -> dict[str, tuple[int, int]]:  # fmt: skip
    """Per core table: (rows, order-free checksum) of the pairs' rows without batch ids."""
    keys = sorted({f"{plan}|{period}" for plan, period in pairs})
    with reading(warehouse) as con:
        return {
            t: con.execute(
                f"SELECT count(*), coalesce(sum(hash(x::VARCHAR)::HUGEINT), 0)"
                f" FROM (SELECT * EXCLUDE (batch_id) FROM core.{t}"
                f" WHERE plan_id || '|' || period IN (SELECT unnest(?))) AS x",
                [keys],
            ).fetchone()
            for t in tables
        }


def core_tables(warehouse: Warehouse) -> list[str]:
    plans = load_plans(Path(warehouse.env["PLAN06_PLANS_DIR"]))
    return sorted({dataset_kind(d.kind_id).core_table for p in plans.values() for d in p.datasets})
