"""Slack from the flows, under a real Prefect API: the failure hook's alert, late data by
the plan's calendar, and the leads' weekly digest with its chart (files_upload_v2)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from prefect import flow

from flows.delivery import on_run_failed
from flows.digest import leads_digest
from tasks.plans import load_plans
from tasks.settings import PROJECT_ROOT
from tests.fakes.slack import FakeSlack
from warehouse.db import open_warehouse

PLAN = "binh-duong-cu-tru-dat-dai"
TOKEN = "xoxb-flows-token"


@pytest.fixture(scope="module")
def env(prefect_api, tmp_path_factory):
    data, plans = tmp_path_factory.mktemp("data"), tmp_path_factory.mktemp("plans")
    seed = (PROJECT_ROOT / "flows" / "plans" / f"{PLAN}.yaml").read_text(encoding="utf-8")
    (plans / f"{PLAN}.yaml").write_text(seed + "data_due_day: 10\n", encoding="utf-8")
    _progress(data / "plan06.duckdb")
    with (
        pytest.MonkeyPatch.context() as mp,
        FakeSlack(token=TOKEN, channels=("C07BDKHPH06", "C0LEADS")) as slack,
    ):
        for name, value in {
            "PLAN06_DATA_DIR": str(data),
            "PLAN06_PLANS_DIR": str(plans),
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_API_URL": slack.url,
            "PLAN06_DIGEST_CHANNEL": "C0LEADS",
            "PREFECT_UI_URL": "http://127.0.0.1:4200",
        }.items():
            mp.setenv(name, value)
        yield slack


def _progress(path: Path) -> None:
    """Two periods of one target in marts.target_progress, as the marts would write them."""
    con = open_warehouse(path)
    for period, value, previous in (("2026-09", 0.70, None), ("2026-10", 0.74, 0.70)):
        con.execute(
            "INSERT INTO marts.target_progress BY NAME SELECT ? AS plan_id, 'so-hoa-ho-so-cu-tru'"
            " AS target_id, ? AS period, 'digitisation_rate' AS kpi, 'cu_tru' AS scope,"
            " ? AS current_value, ? AS previous_value, 0.9 AS target_value,"
            " DATE '2026-12-31' AS due_date, NULL AS forecast_date, false AS met,"
            " false AS on_track, 'to-cu-tru' AS task_group_id",
            [PLAN, period, value, previous],
        )
    con.close()


@flow(on_failure=[on_run_failed])
def failing_run(plan_id: str, period: str) -> None:
    raise RuntimeError("partner API answered HTTP 503 for /api/v1/dossiers")


def test_a_failed_run_alerts_once_however_often_it_fails(env) -> None:
    for _ in range(2):
        with pytest.raises(RuntimeError):
            failing_run(PLAN, "2026-10")
    posts = [p for p in env.posts if "thất bại" in p.text]
    assert [p.method for p in posts] == ["chat.postMessage", "chat.update"]
    body = posts[-1].blocks[0]["text"]["text"]
    # officials get a plain sentence; the English error stays in the linked run's log
    assert "HTTP 503" not in body and "lỗi kỹ thuật" in body
    context = [e["text"] for e in posts[-1].blocks[-1]["elements"]]
    assert "127.0.0.1:4200/runs/flow-run/" in context[1]
    assert "plan06 run binh-duong-cu-tru-dat-dai --period 2026-10" in context[-1]


def test_weekly_digest_with_chart_and_late_data(env) -> None:
    leads_digest(today=date(2026, 11, 26))
    leads_digest(today=date(2026, 11, 27))  # same week: nothing new
    digest = [p for p in env.posts if p.channel == "C0LEADS"]
    assert len(digest) == 1 and "tuần 48/2026" in digest[0].text
    blocks = "\n".join(b["text"]["text"] for b in digest[0].blocks if "text" in b)
    assert "74,0%" in blocks and "+4,0" in blocks and "Chỉ tiêu có nguy cơ không đạt" in blocks
    (chart,) = env.files.values()
    assert chart["data"].startswith(b"\x89PNG") and chart["thread_ts"] == digest[0].ts
    late = [p for p in env.posts if "Chưa nhận được dữ liệu" in p.text]
    datasets = load_plans(Path(os.environ["PLAN06_PLANS_DIR"]))[PLAN].datasets
    assert [p.method for p in late] == ["chat.postMessage"] * len(datasets)  # once each
    assert all("đúng hạn (10/11/2026)" in p.text for p in late)
    assert "<!subteam^S07BDCUTRU>" in late[0].text
