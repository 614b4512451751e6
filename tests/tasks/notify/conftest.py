"""Shared fixtures for the notify tests: digests, an outbox in DuckDB, a fake Slack."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime

import duckdb
import pytest

from tasks.notify.compose.messages import SlackMessage, build_plan_message, content_hash
from tasks.notify.facts.models import DatasetStatus, KpiProgress, PlanDigest, TaskGroup
from tests.fakes.slack import FakeSlack
from warehouse.db import migrate


def kpi(target_id: str = "t1", **changes: object) -> KpiProgress:
    """A KPI 72% of a 90% target, behind, owned by task group tg-cu-tru."""
    base = dict(
        target_id=target_id,
        kpi="digitisation_rate",
        label_vi="Tỷ lệ số hóa hồ sơ",
        label_en="Dossier digitisation rate",
        scope="cu_tru",
        current=0.72,
        previous=0.699,
        target=0.9,
        due_date=date(2026, 12, 31),
        on_track=False,
        met=False,
        forecast_date=date(2027, 3, 1),
        task_group_id="tg-cu-tru",
    )
    return KpiProgress(**{**base, **changes})


def digest(kpis: list[KpiProgress] | None = None, **changes: object) -> PlanDigest:
    """The Bình Dương plan for period 2026-10."""
    base = dict(
        plan_id="binh-duong-cu-tru-dat-dai",
        plan_name="Số hóa và tái sử dụng dữ liệu cư trú, đất đai",
        partner_name="Bình Dương",
        period="2026-10",
        datasets=[
            DatasetStatus(
                dataset="dossiers",
                status="published",
                rows_in=12345,
                rows_published=12000,
                rows_quarantined=345,
                top_reasons=[("thiếu ngày hẹn trả", 300), ("mã hồ sơ sai định dạng", 45)],
            ),
            DatasetStatus(
                dataset="land_parcels",
                status="missing",
                rows_in=0,
                rows_published=0,
                rows_quarantined=0,
            ),
        ],
        kpis=[kpi()] if kpis is None else kpis,
        task_groups=[
            TaskGroup(
                id="tg-cu-tru",
                name="Tổ công tác cư trú",
                slack_channel="C0PLAN1",
                slack_usergroup_id="S0CUTRU",
            )
        ],
        flow_run_url="http://127.0.0.1:4200/runs/flow-run/abc-def",
    )
    return PlanDigest(**{**base, **changes})


@pytest.fixture
def outbox() -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(":memory:")
    migrate(con)  # the outbox as the real migrations make it, not a copy of its DDL
    yield con
    con.close()


Enqueue = Callable[..., str]


@pytest.fixture
def enqueue(outbox: duckdb.DuckDBPyConnection) -> Enqueue:
    """Write a pending outbox row the way the lead's notify step does."""
    seq = iter(range(1_000))

    def _enqueue(channel: str = "C0PLAN1", message: SlackMessage | None = None) -> str:
        n = next(seq)
        message = message or build_plan_message(digest(period=f"2026-{n % 12 + 1:02d}"))
        key = f"plan-{n}:2026-10:plan_status"
        now = datetime(2026, 11, 1, 8, 0, n)
        outbox.execute(
            "INSERT INTO ops.outbox (message_key, plan_id, period, kind, channel, text, blocks,"
            " content_hash, status, created_at, updated_at)"
            " VALUES (?, ?, '2026-10', 'plan_status', ?, ?, ?, ?, 'pending', ?, ?)",
            [
                key,
                f"plan-{n}",
                channel,
                message.text,
                json.dumps(message.blocks),
                content_hash(message),
                now,
                now,
            ],
        )
        return key

    return _enqueue


def row(con: duckdb.DuckDBPyConnection, key: str) -> dict[str, object]:
    """One outbox row as a dict."""
    cur = con.execute("SELECT * FROM ops.outbox WHERE message_key = ?", [key])
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone(), strict=True))


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(channels=("C0PLAN1", "C0PLAN2")) as server:
        yield server
