"""The gateway's only calls to Prefect, with the admin credentials of its own
environment (PREFECT_API_URL, PREFECT_API_AUTH_STRING): create a run of one of
two deployments, read the state of such a run, list the runs it created.

A run is created with its parameters and two tags, nothing else: no
job_variables, work queue, state or name, which a worker would act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags
from prefect.client.schemas.objects import FlowRun
from prefect.client.schemas.sorting import FlowRunSort
from prefect.exceptions import ObjectNotFound

RERUN, BACKFILL = "sync-plan/rerun", "backfill/backfill"
DEPLOYMENTS = (RERUN, BACKFILL)
TAG = "plan06-gateway"  # every run the gateway creates, so its page can list them


class DeploymentMissingError(Exception):
    """A deployment the gateway triggers is not on the Prefect API."""


@dataclass(frozen=True)
class RunView:
    """What a lead may see of a run."""

    id: UUID
    deployment: str
    state: str
    lead: str
    parameters: dict[str, Any]
    start_time: datetime | None
    end_time: datetime | None
    expected_start_time: datetime | None

    def as_json(self) -> dict[str, Any]:
        times = {k: getattr(self, k) for k in ("start_time", "end_time")}
        return {
            "id": str(self.id),
            "deployment": self.deployment,
            "state": self.state,
            **{k: v.isoformat() if v else None for k, v in times.items()},
        }


async def create_run(deployment: str, parameters: dict[str, Any], lead: str) -> UUID:
    """A run of `deployment` (of DEPLOYMENTS) with exactly `parameters`, tagged with its lead."""
    if deployment not in DEPLOYMENTS:  # a programming error: leads never name a deployment
        raise ValueError(f"the gateway triggers only {', '.join(DEPLOYMENTS)}, not {deployment}")
    async with get_client() as client:
        ids = await _deployment_ids(client)
        run = await client.create_flow_run_from_deployment(
            ids[deployment], parameters=parameters, tags=[TAG, f"lead:{lead}"]
        )
    return run.id


async def read_run(run_id: UUID) -> RunView | None:
    """The run, when it exists and belongs to one of DEPLOYMENTS (else None: not ours to show)."""
    async with get_client() as client:
        names = {v: k for k, v in (await _deployment_ids(client)).items()}
        try:
            run = await client.read_flow_run(run_id)
        except ObjectNotFound:
            return None
    return _view(run, names) if run.deployment_id in names else None


async def recent_runs(limit: int = 15) -> list[RunView]:
    """The last runs the gateway created, newest first."""
    async with get_client() as client:
        names = {v: k for k, v in (await _deployment_ids(client)).items()}
        runs = await client.read_flow_runs(
            flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[TAG])),
            sort=FlowRunSort.EXPECTED_START_TIME_DESC,
            limit=limit,
        )
    return [_view(r, names) for r in runs if r.deployment_id in names]


async def _deployment_ids(client: Any) -> dict[str, UUID]:
    # Read by name each time: `plan06 serve` or `prefect deploy` may (re)create them.
    ids = {}
    for name in DEPLOYMENTS:
        try:
            ids[name] = (await client.read_deployment_by_name(name)).id
        except ObjectNotFound as exc:
            raise DeploymentMissingError(
                f"the deployment {name} is not on the Prefect API:"
                " start `plan06 serve` or run `prefect deploy --all`, then try again"
            ) from exc
    return ids


def _view(run: FlowRun, names: dict[UUID, str]) -> RunView:
    leads = [t.removeprefix("lead:") for t in run.tags if t.startswith("lead:")]
    return RunView(
        id=run.id,
        deployment=names[run.deployment_id],  # type: ignore[index]
        state=run.state.name if run.state else "Unknown",
        lead=leads[0] if leads else "",
        parameters=dict(run.parameters),
        start_time=run.start_time,
        end_time=run.end_time,
        expected_start_time=run.expected_start_time,
    )
