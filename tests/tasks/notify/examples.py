"""Regenerate docs/examples/slack/ from the notify builders and sample digests
(numbers are illustrative; the plan id, channel and task group are the seed plan's):

    python -m tests.tasks.notify.examples docs/examples/slack
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from rich.console import Console

from tasks.notify.compose.alerts import build_alert
from tasks.notify.compose.chart import progress_chart
from tasks.notify.compose.leads import build_leads_digest
from tasks.notify.compose.messages import SlackMessage, build_plan_message
from tasks.notify.compose.replies import build_reply
from tasks.notify.facts.models import Alert, LeadsDigest, PlanStanding, TaskGroup
from tasks.notify.render.terminal import render_message
from tasks.plans import load_plans
from tasks.settings import PROJECT_ROOT
from tests.tasks.notify.conftest import digest, kpi

PLANS = load_plans(PROJECT_ROOT / "flows" / "plans")
BD, DN = PLANS["binh-duong-cu-tru-dat-dai"], PLANS["dong-nai-cu-tru-dat-dai"]
GROUP = BD.task_groups[0]
GROUPS = [
    TaskGroup(
        id=GROUP.id,
        name=GROUP.name,
        slack_channel=GROUP.slack_channel,
        slack_usergroup_id=GROUP.slack_usergroup_id or "S0CUTRU",
    )
]
RUN = "http://127.0.0.1:4200/runs/flow-run/0b6c5e2a-4f1d-4a8e-9d0e-2f6c1b7a9e31"
REPORT = "https://reports.example/datadocs/binh-duong-cu-tru-dat-dai__dossiers__2026-10__ab12.html"


def sample():
    kpis = [
        kpi(task_group_id=GROUP.id),
        kpi(
            "t2",
            current=0.93,
            previous=0.9,
            target=0.9,
            met=True,
            on_track=True,
            forecast_date=None,
            kpi="e_result_rate",
            label_vi="Tỷ lệ cấp kết quả điện tử",
            label_en="E-result rate",
            task_group_id=GROUP.id,
        ),
    ]
    return digest(
        kpis,
        plan_id=BD.id,
        plan_name=BD.name,
        partner_name=BD.partner.name,
        task_groups=GROUPS,
        flow_run_url=RUN,
    )


def alert(what: str, **extra: object) -> Alert:
    base = dict(
        what=what,
        plan_id=BD.id,
        plan_name=BD.name,
        partner_name=BD.partner.name,
        period="2026-10",
        task_groups=GROUPS,
        flow_run_url=RUN,
    )
    return Alert(**{**base, **extra})


def leads() -> LeadsDigest:
    bd = PlanStanding(
        plan_id=BD.id,
        plan_name=BD.name,
        period="2026-10",
        kpis=[kpi(current=0.74, previous=0.70)],
        history={"t1": [("2026-08", 0.66), ("2026-09", 0.70), ("2026-10", 0.74)]},
    )
    dn = PlanStanding(
        plan_id=DN.id,
        plan_name=DN.name,
        period="2026-10",
        kpis=[
            kpi(
                "t3",
                kpi="e_result_rate",
                label_vi="Tỷ lệ cấp kết quả điện tử",
                label_en="E-result rate",
                scope="dat_dai",
                current=0.82,
                previous=0.79,
                target=0.8,
                met=True,
                on_track=True,
                forecast_date=None,
            )
        ],
        history={"t3": [("2026-08", 0.75), ("2026-10", 0.82)]},
    )
    return LeadsDigest(week="2026-W48", plans=[bd, dn])


def messages() -> dict[str, tuple[SlackMessage, str]]:
    root = sample()
    return {
        "1_plan_root_running_vi": (
            build_plan_message(root.model_copy(update={"in_progress": True})),
            BD.slack_channel,
        ),
        "2_plan_root_final_vi": (build_plan_message(root), BD.slack_channel),
        "3_plan_root_final_en": (build_plan_message(root, "en"), BD.slack_channel),
        "4_thread_reply_vi": (
            build_reply(
                root,
                [
                    ("targets", "t1", "on_track", "behind"),
                    ("datasets", "land_parcels", "published", "missing"),
                ],
            ),
            BD.slack_channel,
        ),
        "5_alert_rejected_vi": (
            build_alert(
                alert(
                    "rejected",
                    dataset="dossiers",
                    reasons=["Mã đơn vị (MaDonVi) không thuộc địa bàn của kế hoạch"],
                    report_url=REPORT,
                )
            ),
            BD.slack_channel,
        ),
        "6_alert_failed_vi": (
            build_alert(alert("failed", reasons=["HTTPStatusError: 503 Service Unavailable"])),
            BD.slack_channel,
        ),
        "7_alert_crashed_en": (build_alert(alert("crashed"), "en"), BD.slack_channel),
        "8_alert_late_vi": (
            build_alert(
                alert(
                    "late", dataset="land_parcels", due=date(2026, 11, 10), today=date(2026, 11, 12)
                )
            ),
            BD.slack_channel,
        ),
        "9_leads_digest_vi": (build_leads_digest(leads()), "C0LEADS"),
    }


def write(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, (message, channel) in messages().items():
        (out / f"{name}.json").write_text(
            json.dumps(
                {"text": message.text, "blocks": message.blocks}, ensure_ascii=False, indent=2
            )
            + "\n",
            encoding="utf-8",
        )
        console = Console(record=True, width=110, force_terminal=False)
        file_name = "tien-do-2026-W48.png" if name.startswith("9_") else None
        render_message(message, channel, console, file_name=file_name)
        (out / f"{name}.txt").write_text(console.export_text(), encoding="utf-8")
    (out / "9_leads_digest_chart.png").write_bytes(progress_chart(leads()))


if __name__ == "__main__":
    write(Path(sys.argv[1]))
