"""The plan06 process work pool, with its base job template locked.

deploy/work-pool-template.json is Prefect's default process template with
`command`, `env` and `working_dir` taken out of the variables: a run's
`job_variables` can no longer replace the command a worker runs, add to its
environment or move it to another folder (the worker ignores what the template
does not declare). The command is the worker's own (it runs the deployment's
flow), the environment is the worker's own, and the flow's folder is the one the
deployment's pull step sets (prefect.yaml: $PLAN06_HOME).

The job configuration has no `env` key at all: Prefect merges a run's `env`
into a dict-valued one even when the variables do not declare `env` (seen in
prefect 3.9: `from_template_and_values` deep-merges it), so the heartbeat
(PREFECT_FLOWS_HEARTBEAT_FREQUENCY) is set in the worker's environment instead.
"""

from __future__ import annotations

import json
from typing import Any

from tasks.settings import PROJECT_ROOT

POOL_TEMPLATE = PROJECT_ROOT / "deploy" / "work-pool-template.json"
LOCKED = ("command", "env", "working_dir")


def locked_template() -> dict[str, Any]:
    """The template, checked to declare none of the variables a run must not set."""
    template = json.loads(POOL_TEMPLATE.read_text(encoding="utf-8"))
    if open_ := sorted(set(LOCKED) & set(template["variables"]["properties"])):
        raise ValueError(f"{POOL_TEMPLATE} lets a run override {', '.join(open_)}: remove them")
    if "env" in template["job_configuration"]:  # a run's env is merged into it (see above)
        raise ValueError(f"{POOL_TEMPLATE}: remove `env` from the job configuration")
    return template


def apply_pool(name: str) -> None:
    """Create the process pool `name` with the locked template, or lock the existing one."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate

    pool = WorkPoolCreate(name=name, type="process", base_job_template=locked_template())
    with get_client(sync_client=True) as client:
        client.create_work_pool(pool, overwrite=True)
