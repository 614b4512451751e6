"""What a lead sees in the Prefect UI after a run: task runs named by dataset,
runs tagged with plan and province, sync-all named after its periods with a
portfolio artifact in Vietnamese that links to PLAN06_REPORTS_URL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from prefect.testing.utilities import prefect_test_harness

from flows.plans import load_plans
from flows.sync_all import sync_all
from simulator.server import start_in_thread
from tasks.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e
PLAN, PERIOD = "binh-duong-cu-tru-dat-dai", "2026-10"
PLANS = load_plans(PROJECT_ROOT / "flows" / "plans")
REPORTS_URL = "https://reports.plan06.example/bao-cao"


@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> Iterator[None]:
    with (
        prefect_test_harness(server_startup_timeout=60),
        pytest.MonkeyPatch.context() as env,
        start_in_thread(drop_periods=[PERIOD]) as simulator,
    ):
        env.setenv("PLAN06_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        env.setenv("PLAN06_SIMULATOR_URL", simulator.url)
        env.setenv("PLAN06_SIMULATOR_TOKEN", simulator.token)
        env.setenv("PLAN06_REPORTS_URL", REPORTS_URL)
        env.delenv("SLACK_BOT_TOKEN", raising=False)
        sync_all(periods=[PERIOD], plan_ids=[PLAN])
        yield


def test_task_runs_carry_the_dataset_and_runs_the_plan_and_province(ran):
    plan = PLANS[PLAN]
    with get_client(sync_client=True) as client:
        runs = {r.name: r for r in client.read_flow_runs()}
        task_names = {t.name for t in client.read_task_runs()}
    assert f"sync-all {PERIOD}" in runs  # named after its periods
    tags = set(runs[f"{PLAN} {PERIOD}"].tags)
    assert {f"plan:{PLAN}", f"province:{plan.partner.name}"} <= tags
    for dataset in plan.datasets:
        assert {f"pull {dataset.id}", f"validate {dataset.id}", f"publish {dataset.id}"} <= (
            task_names
        )


def test_sync_all_publishes_a_vietnamese_portfolio_artifact_linking_the_reports(ran):
    with get_client(sync_client=True) as client:
        (artifact,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["portfolio"]))
        )
        (report,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[f"{PLAN}-report"]))
        )
    text = artifact.data
    assert PLANS[PLAN].name in text and "tháng 10/2026" in text and "Đã công bố" in text
    assert f"{REPORTS_URL}/plan-{PLAN}.html" in text and "file://" not in text
    assert "Hồ sơ TTHC" in report.data and "(met)" not in report.data
    assert f"{REPORTS_URL}/" in report.data and "file://" not in report.data
