"""The main job end to end, on real parts over loopback: a temporary Prefect API,
the province simulator, DuckDB, and a fake Slack Web API spoken to by slack-sdk."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from prefect.client.orchestration import get_client
from typer.testing import CliRunner

from flows.cli import app
from flows.plans import load_plans
from flows.sync_all import sync_all
from simulator.generator import generate_dossiers
from simulator.server import start_in_thread
from tasks.settings import PROJECT_ROOT
from tests.fakes.slack import FakeSlack

pytestmark = pytest.mark.e2e
PERIODS = ["2026-09", "2026-10"]
PLANS = load_plans(PROJECT_ROOT / "flows" / "plans")
TOKEN = "xoxb-e2e-token"


@pytest.fixture(scope="module")
def services(prefect_api, tmp_path_factory) -> Iterator[tuple[FakeSlack, Path]]:
    data_dir = tmp_path_factory.mktemp("data")
    channels = tuple(p.slack_channel for p in PLANS.values())
    with (
        pytest.MonkeyPatch.context() as env,
        start_in_thread() as simulator,
        FakeSlack(token=TOKEN, channels=channels) as slack,
    ):
        env.setenv("PLAN06_DATA_DIR", str(data_dir))
        env.setenv("PLAN06_SIMULATOR_URL", simulator.url)
        env.setenv("PLAN06_SIMULATOR_TOKEN", simulator.token)
        env.setenv("SLACK_BOT_TOKEN", TOKEN)
        env.setenv("SLACK_API_URL", slack.url)
        yield slack, data_dir


@pytest.fixture(scope="module")
def first_run(services) -> dict:
    return sync_all(periods=PERIODS)


def snapshot(data_dir: Path) -> dict[str, list]:
    con = duckdb.connect(str(data_dir / "plan06.duckdb"), read_only=True)
    try:
        return {
            "dossiers": con.execute(
                "SELECT plan_id, period, count(*), count(DISTINCT dossier_code)"
                " FROM core.dossiers GROUP BY ALL ORDER BY ALL"
            ).fetchall(),
            "kpis": con.execute(
                "SELECT * EXCLUDE (batch_ids) FROM marts.dossier_kpis ORDER BY ALL"
            ).fetchall(),
            "progress": con.execute(
                "SELECT * EXCLUDE (batch_ids) FROM marts.target_progress ORDER BY ALL"
            ).fetchall(),
            "quarantine": con.execute(
                "SELECT plan_id, period, natural_key, expectation, reason FROM ops.quarantine"
                " ORDER BY ALL"
            ).fetchall(),
        }
    finally:
        con.close()


def test_every_plan_and_period_is_published_with_quarantine(first_run, services):
    _, data_dir = services
    snap = snapshot(data_dir)
    published = {(plan, period) for plan, period, _, _ in snap["dossiers"]}
    assert published == {(p, period) for p in PLANS for period in PERIODS}
    for _, _, rows, distinct in snap["dossiers"]:
        assert rows == distinct > 500
    # the simulator sends ~1% bad rows: each is kept with a readable reason
    assert len(snap["quarantine"]) > 0
    assert all(reason for *_, reason in snap["quarantine"])


def test_each_plan_message_reached_slack_once_in_vietnamese(first_run, services):
    slack, _ = services
    posts = [c for c in slack.posts if c.method == "chat.postMessage"]
    sent = sorted(
        (c.channel, period)
        for c in posts
        for period in PERIODS
        if f"{period[5:]}/{period[:4]}" in c.text
    )
    assert sent == sorted((p.slack_channel, period) for p in PLANS.values() for period in PERIODS)
    for call in posts:
        assert "Kế hoạch phối hợp" in call.text
        assert 0 < len(call.blocks) <= 50


def test_no_personal_data_reaches_slack(first_run, services):
    slack, _ = services
    names, ids = set(), set()
    for plan in PLANS.values():
        province = plan.sources["dvc"].simulator_province
        for period in PERIODS:
            for record in generate_dossiers(province, period):
                names.add(record["ChuHoSo"])
                ids.add(record["SoGiayToChuHoSo"])
    for call in slack.posts:
        payload = json.dumps([call.text, call.blocks], ensure_ascii=False)
        without_links = re.sub(r"https?://\S+", "", payload)
        assert not re.search(r"\d{9,12}", without_links)
        assert not any(name in payload for name in names if name)
        assert not any(i in payload for i in ids if i)


def test_flow_runs_are_recorded_by_the_prefect_api(first_run):
    async def runs() -> list:
        async with get_client() as client:
            return await client.read_flow_runs()

    import asyncio

    found = asyncio.run(runs())
    names = sorted(r.name for r in found if r.state and r.state.is_completed())
    for plan in PLANS:
        for period in PERIODS:
            assert f"{plan} {period}" in names


def test_status_json_lists_every_plan_with_targets(first_run, services):
    result = CliRunner().invoke(app, ["status", "--json"])
    assert result.exit_code == 0, result.output
    plans = {p["plan_id"]: p for p in json.loads(result.output)["plans"]}
    assert set(plans) == set(PLANS)
    for plan_id, plan in plans.items():
        assert plan["period"] == PERIODS[-1]
        assert {t["target_id"] for t in plan["targets"]} == {t.id for t in PLANS[plan_id].targets}
        for t in plan["targets"]:
            assert 0 <= t["current"] <= 1
            assert isinstance(t["on_track"], bool)


def test_rerun_gives_the_same_numbers_no_duplicates_and_no_new_post(first_run, services):
    slack, data_dir = services
    before, posts_before = snapshot(data_dir), len(slack.posts)
    sync_all(periods=PERIODS)
    assert snapshot(data_dir) == before
    assert len(slack.posts) == posts_before
