"""The parameters a run takes, checked before anything else: `PlanId`, and
`require_plan` that says which plan ids exist when one does not.

A plan id is a slug (`PLAN_ID_PATTERN`, also the server's JSON schema) and must
name a plan file of PLAN06_PLANS_DIR. Periods are `flows.periods.Period`.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema

from flows.periods import checked_period
from flows.plans import PlanSpec, load_plans
from tasks.settings import load_settings

PLAN_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"


class UnknownPlanError(ValueError):
    """A run names a plan no plan file defines."""


def checked_plan_id(text: str) -> str:
    if not re.fullmatch(PLAN_ID_PATTERN, text):
        raise ValueError(
            f"plan id {text[:80]!r} must be lower-case letters, digits and dashes (2-63)"
        )
    return text


PlanId = Annotated[
    str,
    AfterValidator(checked_plan_id),
    WithJsonSchema({"type": "string", "pattern": PLAN_ID_PATTERN}),
]


def require_plan(plan_id: str) -> PlanSpec:
    """The plan of `plan_id`; UnknownPlanError naming the plans that exist otherwise."""
    settings = load_settings()
    plans = load_plans(settings.plans_dir)
    if plan_id not in plans:
        raise UnknownPlanError(
            f"plan {plan_id!r} does not exist in {settings.plans_dir}:"
            f" the plans are {', '.join(sorted(plans)) or 'none'}"
        )
    return plans[plan_id]


def valid_run_parameters(params: dict) -> bool:
    """Whether a run's plan_id and period pass the checks (a refused run alerts nobody)."""
    try:
        checked_plan_id(str(params.get("plan_id", "")))
        checked_period(str(params.get("period", "")))
    except ValueError:
        return False
    return True
