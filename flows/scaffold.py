"""`plan06 plans new`: write a plan file from a few answers, and a starter GX suite for
a dataset kind that has none, then check the plan like `plan06 plans check` does.

The file is written only if it passes the check; the targets are placeholders
(one digitisation target per domain) for the data engineer to edit.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from tasks.datasets import dataset_kind
from tasks.plans import load_plan


@dataclass(frozen=True)
class PlanAnswers:
    plan_id: str
    name: str
    partner: str
    unit_code: str
    domains: list[str]
    channel: str
    datasets: list[str]
    simulator_province: str
    cron: str = "0 7 * * 1"


def _env_prefix(answers: PlanAnswers) -> str:
    return "PLAN06_" + answers.plan_id.upper().replace("-", "_")


def plan_document(answers: PlanAnswers) -> dict:
    """The plan as data, in the order a reader expects."""
    due = date(date.today().year + 1, 12, 31)
    groups = [
        {
            "id": f"to-{d}".replace("_", "-"),
            "name": f"Tổ công tác {d}",
            "slack_channel": answers.channel,
        }
        for d in answers.domains
    ]
    return {
        "id": answers.plan_id,
        "name": answers.name,
        "partner": {"name": answers.partner, "unit_code": answers.unit_code},
        "signed_on": date.today(),
        "domains": answers.domains,
        "slack_channel": answers.channel,
        "task_groups": groups,
        "sources": {
            "main": {
                "kind": "http_api",
                "url_env": f"{_env_prefix(answers)}_URL",
                "token_env": f"{_env_prefix(answers)}_TOKEN",
                "simulator_province": answers.simulator_province,
                # the portal's shape; describe the partner's own API here (README: Source keys)
                "paginator": {
                    "type": "page_number",
                    "size_param": "page_size",
                    "total_records_path": "total",
                },
            }
        },
        "datasets": [
            {"id": d, "source": "main", "endpoint": f"/api/v1/{d}", "suite": d}
            for d in answers.datasets
        ],
        "targets": [
            {
                "id": f"so-hoa-{g['id'][3:]}",
                "kpi": "digitisation_rate",
                "scope": d,
                "value": 0.9,
                "due": due,
                "task_group": g["id"],
            }
            for d, g in zip(answers.domains, groups, strict=True)
        ],
        "schedule": {"cron": answers.cron, "timezone": "Asia/Ho_Chi_Minh"},
    }


def starter_suite(dataset_id: str) -> dict:
    """A suite GX reads: at least one row (critical), a natural key present (warning)."""
    kind = dataset_kind(dataset_id)
    key_checks = [
        {
            "type": "expect_column_values_to_not_be_null",
            "kwargs": {"column": column},
            "severity": "warning",
            "meta": {"reason_vi": f"Thiếu {column}", "reason_en": f"Missing {column}"},
        }
        for column in kind.key_columns
    ]
    rows = {
        "type": "expect_table_row_count_to_be_between",
        "kwargs": {"min_value": 1},
        "severity": "critical",
        "meta": {"reason_vi": "Lô dữ liệu rỗng", "reason_en": "Empty batch"},
    }
    return {"name": dataset_id, "expectations": [rows, *key_checks], "meta": {}}


def scaffold_plan(answers: PlanAnswers, plans_dir: Path, suites_dir: Path) -> list[Path]:
    """Write the plan (checked first) and any missing suite; returns the files written."""
    target = plans_dir / f"{answers.plan_id}.yaml"
    if target.exists():
        raise FileExistsError(f"{target} exists already: edit it, or choose another --id")
    plans_dir.mkdir(parents=True, exist_ok=True)
    draft = plans_dir / f".{answers.plan_id}.yaml.draft"
    text = f"# {answers.name}\n" + yaml.safe_dump(
        plan_document(answers), allow_unicode=True, sort_keys=False
    )
    draft.write_text(text, encoding="utf-8")
    written = []
    try:
        for dataset_id in answers.datasets:
            suite = suites_dir / f"{dataset_id}.json"
            if not suite.exists():
                suite.write_text(
                    json.dumps(starter_suite(dataset_id), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8",
                )
                written.append(suite)
        os.replace(draft, target)
        load_plan(target)
    except Exception:
        target.unlink(missing_ok=True)
        raise
    finally:
        draft.unlink(missing_ok=True)
    return [target, *written]
