"""Where a message points: the Prefect flow run, a batch's validation report, due dates.

Validation reports are written under data/reports/datadocs/<batch_id>.html
(tasks/report); Slack readers cannot open files on the job's machine, so a
report is linked only when PLAN06_REPORTS_URL says where data/reports/ is served.
"""

from __future__ import annotations

from datetime import date


def report_url(base_url: str | None, batch_id: str | None) -> str | None:
    """The validation report of a batch at the served reports base, else no link."""
    if not base_url or not batch_id:
        return None
    return f"{base_url.rstrip('/')}/datadocs/{batch_id}.html"


def flow_run_url(ui_url: str | None, flow_run_id: str | None) -> str | None:
    """The flow run's page in the Prefect UI (PREFECT_UI_URL), else no link."""
    if not ui_url or not flow_run_id:
        return None
    return f"{ui_url.rstrip('/')}/runs/flow-run/{flow_run_id}"


def data_due(period: str, due_day: int | None) -> date | None:
    """A month's data is due by `due_day` of the next month (the plan's calendar)."""
    if due_day is None:
        return None
    year, mon = (int(x) for x in period.split("-"))
    return date(year + mon // 12, mon % 12 + 1, due_day)


def due_period(today: date, due_day: int) -> str:
    """The latest period whose data was due before `today`."""
    year, mon = today.year, today.month - (1 if today.day > due_day else 2)
    if mon <= 0:
        year, mon = year - 1, mon + 12
    return f"{year:04d}-{mon:02d}"
