"""What the Prefect UI shows of a run: tags per plan and province, and names
that say which periods a run covers (not Prefect's random two words)."""

from __future__ import annotations

from prefect.client.orchestration import get_client
from prefect.runtime import flow_run

from flows.periods import last_periods
from flows.plans import PlanSpec


def plan_tags(plan: PlanSpec) -> list[str]:
    """Filters a lead uses on the Runs page: one plan, or every plan of a province."""
    return [f"plan:{plan.id}", f"province:{plan.partner.name}"]


def tag_this_run(tags: list[str]) -> None:
    """Add tags to the running flow run, however it was started (CLI, subflow,
    deployment): a tags() block only reaches runs created inside it."""
    if not flow_run.id:
        return
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(flow_run.id)
        client.update_flow_run(flow_run.id, tags=sorted({*run.tags, *tags}))


def periods_label(periods: list[str]) -> str:
    chosen = sorted(periods)
    return chosen[0] if len(chosen) == 1 else f"{chosen[0]}..{chosen[-1]}"


def sync_all_name() -> str:
    """`sync-all 2026-08..2026-10`: the run named after its periods."""
    return f"sync-all {periods_label(flow_run.parameters.get('periods') or last_periods(3))}"
