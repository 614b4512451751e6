"""The coordination plans: one YAML file per plan in this folder.

The model that checks them lives in tasks/plans.py (tasks need it, and
imports go flows -> tasks); this package is where the plan files live.
"""

from __future__ import annotations

from pathlib import Path

from tasks.plans import PlanFileError, PlanSpec, known_kpis, load_plan, load_plans

PLANS_DIR = Path(__file__).parent

__all__ = ["PLANS_DIR", "PlanFileError", "PlanSpec", "known_kpis", "load_plan", "load_plans"]
