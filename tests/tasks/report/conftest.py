"""A warehouse written by hand, with numbers a reader can check on the pages: two plans,
three months, quarantined rows, a rejected batch, 766 scores and a failing partner link."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.plans import PlanSpec, load_plans
from tasks.load.plans import sync_plan_dimensions
from tasks.settings import PROJECT_ROOT
from warehouse.db import connect, migrate

PLANS = load_plans(PROJECT_ROOT / "flows" / "plans")
BD, KG = PLANS["binh-duong-cu-tru-dat-dai"], PLANS["kien-giang-phu-quoc"]
PERIODS = ["2026-08", "2026-09", "2026-10"]
NOW = datetime(2026, 11, 20, 9, 0)
RAW_ID = "074123456789"  # in a quarantined record: must never reach a page
SCORES = [
    ("25741", 88.5, "tot", "Tốt"),
    ("25744", 70.25, "kha", "Khá"),
    ("25747", 55.0, "trung_binh", "Trung bình"),
]


def add_progress(con: duckdb.DuckDBPyConnection, plan: PlanSpec) -> None:
    for t in plan.targets:
        for i, period in enumerate(PERIODS):
            value = round(t.value - 0.15 + 0.05 * i, 4)
            con.execute(
                "INSERT INTO marts.target_progress BY NAME SELECT ? AS plan_id, ? AS target_id,"
                " ? AS period, ? AS kpi, ? AS scope, ? AS current_value, ? AS target_value,"
                " ? AS due_date, false AS met, ? AS on_track, ? AS task_group_id",
                [plan.id, t.id, period, t.kpi, t.scope, value, t.value, t.due, i > 0, t.task_group],
            )


def add_batch(con, plan, period, status, rows_in, quarantined, finished, validation=()) -> str:
    batch_id = f"{plan.id}__dossiers__{period}__0000"
    con.execute(
        "INSERT INTO ops.batches BY NAME SELECT ? AS batch_id, ? AS plan_id, 'dossiers' AS dataset,"
        " ? AS period, ? AS status, ? AS rows_in, ? AS rows_published, ? AS rows_quarantined,"
        " 'x' AS checksum, ? AS validation, ? AS started_at, ? AS finished_at",
        [
            batch_id,
            plan.id,
            period,
            status,
            rows_in,
            0 if status == "rejected" else rows_in - quarantined,
            quarantined,
            json.dumps(list(validation), ensure_ascii=False),
            finished,
            finished,
        ],
    )
    return batch_id


def add_quarantine(con, batch_id, plan, period, row_number, reason) -> None:
    con.execute(
        "INSERT INTO ops.quarantine_log BY NAME SELECT ? AS batch_id, ? AS plan_id,"
        " 'dossiers' AS dataset, ? AS period, ? AS row_number, 'k' AS natural_key,"
        " 'expect_column_values_to_match_regex' AS expectation, 'dossier_code' AS column_name,"
        " 'warning' AS severity,"
        " ? AS reason, ? AS record",
        [batch_id, plan.id, period, row_number, reason, json.dumps({"applicant": RAW_ID})],
    )


def add_scores(con) -> None:
    for unit, score, band, band_vi in SCORES:
        con.execute(
            "INSERT INTO marts.score_766 BY NAME SELECT ? AS plan_id, ? AS unit_code,"
            " '2026-10' AS period, ? AS score, ? AS band_id, ? AS band_vi, [] AS batch_ids",
            [BD.id, unit, score, band, band_vi],
        )
        con.execute(
            "INSERT INTO marts.dossier_kpis BY NAME SELECT ? AS plan_id, ? AS unit_code,"
            " 'cu_tru' AS domain, '2026-10' AS period, 200 AS dossiers_received,"
            " ? AS dossiers_digitised, 100 AS dossiers_with_result, ? AS dossiers_e_result,"
            " 0 AS dossiers_synced, 0 AS dossiers_online, 0 AS dossiers_judged,"
            " 0 AS dossiers_on_time, 0 AS dossiers_reused, [] AS batch_ids",
            [BD.id, unit, int(score * 2), int(score)],
        )


def build(con: duckdb.DuckDBPyConnection) -> None:
    migrate(con)
    for plan in (BD, KG):
        sync_plan_dimensions(con, plan)
        add_progress(con, plan)
    for day, period in enumerate(PERIODS, start=1):
        batch = add_batch(con, BD, period, "published", 1000, 2, datetime(2026, 11, day, 7))
        add_quarantine(con, batch, BD, period, 7, "Mã hồ sơ sai định dạng")
        add_quarantine(con, batch, BD, period, 9, "Ngày hẹn trả trước ngày tiếp nhận")
    empty = {"severity": "critical", "success": False, "reason": "Lô dữ liệu rỗng"}
    add_batch(con, KG, "2026-10", "rejected", 0, 0, datetime(2026, 10, 2, 7), [empty])
    con.execute(
        "INSERT INTO ops.pull_failures VALUES (?, 'dvc', 'dossiers', '2026-10',"
        " 'PermanentSourceError: 401 Unauthorized', NULL, ?)",
        [KG.id, datetime(2026, 11, 15, 7)],
    )
    add_scores(con)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Iterator[duckdb.DuckDBPyConnection]:
    path: Path = tmp_path_factory.mktemp("wh") / "plan06.duckdb"
    con = connect(path)
    build(con)
    yield con
    con.close()


@pytest.fixture(scope="module")
def reports(warehouse, tmp_path_factory):
    from tasks.report.html import write_reports

    out = tmp_path_factory.mktemp("reports")
    return write_reports(warehouse, [BD, KG], out, NOW)


__all__ = ["BD", "KG", "NOW", "PERIODS", "RAW_ID", "SCORES", "date"]
