"""What a lead sees in the Prefect UI after a run: task runs named by dataset,
runs tagged with plan and province, sync-all named after its periods with a
portfolio artifact in Vietnamese that links to PLAN06_REPORTS_URL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterKey,
    FlowRunFilter,
    FlowRunFilterId,
    FlowRunFilterName,
)
from prefect.client.schemas.sorting import ArtifactSort, FlowRunSort

from flows.plans import load_plans
from flows.sync_all import sync_all
from simulator.server import start_in_thread
from tasks.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e
PLAN, PERIOD = "binh-duong-cu-tru-dat-dai", "2026-10"
PLANS = load_plans(PROJECT_ROOT / "flows" / "plans")
REPORTS_URL = "https://reports.plan06.example/bao-cao"


@pytest.fixture(scope="module")
def ran(prefect_api, tmp_path_factory) -> Iterator[None]:
    with (
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
    names = [f"sync-all {PERIOD}", f"{PLAN} {PERIOD}"]
    with get_client(sync_client=True) as client:  # the session's API: other tests ran too
        found = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=names)),
            sort=FlowRunSort.START_TIME_DESC,
        )
        runs = {}
        for run in found:  # the latest run of each name is this module's
            runs.setdefault(run.name, run)
        plan_run = runs[f"{PLAN} {PERIOD}"]
        task_runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[plan_run.id]))
        )
        task_names = {t.name for t in task_runs}
    assert f"sync-all {PERIOD}" in runs  # named after its periods
    tags = set(plan_run.tags)
    assert {f"plan:{PLAN}", f"province:{plan.partner.name}"} <= tags
    # ...and its task runs none: a tagged task run asks the API for tag limits
    # as it starts, ~2 s on the embedded API when that meets a write (sync_plan)
    assert [t.tags for t in task_runs] == [[]] * len(task_runs)
    for dataset in plan.datasets:
        assert {f"pull {dataset.id}", f"validate {dataset.id}"} <= task_names
    # one publish for the plan's period (issue 14): every batch, marts and outbox at once
    assert {f"prepare {PLAN}", f"publish {PLAN} {PERIOD}"} <= task_names


def test_sync_all_publishes_a_vietnamese_portfolio_artifact_linking_the_reports(ran):
    with get_client(sync_client=True) as client:
        # the latest of each key: the session's API holds other tests' artifacts too
        (artifact,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["portfolio"])),
            sort=ArtifactSort.CREATED_DESC,
            limit=1,
        )
        (report,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[f"{PLAN}-report"])),
            sort=ArtifactSort.CREATED_DESC,
            limit=1,
        )
    text = artifact.data
    assert PLANS[PLAN].name in text and "tháng 10/2026" in text and "Đã công bố" in text
    assert f"{REPORTS_URL}/plan-{PLAN}.html" in text and "file://" not in text
    assert "Hồ sơ TTHC" in report.data and "(met)" not in report.data
    assert f"{REPORTS_URL}/" in report.data and "file://" not in report.data
