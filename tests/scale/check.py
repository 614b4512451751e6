"""What the scale test checks in a phase's warehouse once its runs are through.

Per triggered (plan, dataset, period) slice: it has a published batch (else
lost); the slice's core rows point only to its published batches (else
duplicates: a half or a second copy of a slice), and to exactly one when the
dataset replaces its slice (an incremental dataset, pulled by update stamp,
upserts rows by key, so its rows may come from several published batches).
Over all core facts: no natural key twice; over the rows runs share (a plan's
dimensions, mart refresh stamp and mart rows, written by each of its periods;
the scoring and progress rules, by every refresh), none twice: DuckLake has no
keys to refuse a second copy.
`fingerprint` is the core content
without batch ids, to compare a phase that had a kill and reruns with a clean
one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from flows.plans import load_plans
from tasks.datasets import dataset_kind
from tasks.settings import load_settings
from tests.scale.stack import Warehouse
from warehouse import db

# rows that runs of different slices share, by their key (the single file's PRIMARY
# KEYs): a plan's, whatever the period, and the scoring and progress rules, everyone's
SHARED_KEYS = {
    "core.plans": "plan_id",
    "core.task_groups": "plan_id, task_group_id",
    "core.targets": "plan_id, target_id",
    "ops.mart_refreshes": "plan_id",
    "core.score_groups": "group_id",
    "core.score_indicators": "indicator_id",
    "core.score_bands": "band_id",
    "core.progress_settings": "setting",
    "core.target_statuses": "status",
    "core.completion_classes": "class_id",
    "core.dossier_rules": "rule, value",
}


@dataclass
class Findings:
    slices: int = 0
    lost: int = 0
    duplicates: int = 0
    duplicate_keys: int = 0
    conflicts_retried: int = 0


@contextmanager
def reading(warehouse: Warehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only snapshot of the phase's warehouse, through plan06's own reader."""
    os.environ |= {k: v for k, v in warehouse.env.items() if k.startswith("PLAN06_")}
    con = db.open_reader(load_settings(), 60)
    try:
        yield con
    finally:
        con.close()


def _incremental(plan, dataset) -> bool:
    return getattr(plan.sources[dataset.source], "updated_field", None) is not None


def _retries(con: duckdb.DuckDBPyConnection) -> int:
    """DuckLake commits retried after a conflict (ops.batches.commit_retries, migration 0040)."""
    return int(
        con.execute("SELECT coalesce(sum(commit_retries), 0) FROM ops.batches").fetchone()[0]
    )


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
        found.duplicate_keys += shared_rows_twice(con)
        found.duplicates += found.duplicate_keys
        found.conflicts_retried = _retries(con)
    return found


def shared_rows_twice(con: duckdb.DuckDBPyConnection) -> int:
    """Shared rows twice: by key, and in the marts whole rows."""
    twice = 0
    for table, key in SHARED_KEYS.items():
        twice += con.execute(f"SELECT count(*) - count(DISTINCT ({key})) FROM {table}").fetchone()[
            0
        ]
    marts = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        " AND schema_name = 'marts' ORDER BY 1"
    ).fetchall()
    for (mart,) in marts:
        twice += con.execute(
            f"SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT * FROM marts.{mart}))"
            f" FROM marts.{mart}"
        ).fetchone()[0]
    return twice


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
