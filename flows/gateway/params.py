"""What a lead may ask for, checked with the flows' own parameter types before
Prefect is called: `Rerun` (sync-plan/rerun) and `Backfill` (backfill/backfill).

A request with any other field is refused, not ignored: a lead sending
`job_variables` or `tags` should learn that they do nothing here. Each refusal
is one sentence, in English for the JSON API and in Vietnamese for the page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, StrictBool, ValidationError

from flows.periods import Period, period_range
from flows.run_params import PlanId, UnknownPlanError, require_plan


class Refused(ValueError):
    """A request the gateway does not pass on; `en` and `vi` are the same sentence."""

    def __init__(self, en: str, vi: str) -> None:
        super().__init__(en)
        self.en, self.vi = en, vi


class Rerun(BaseModel):
    """One plan and one period, exactly the parameters of `sync-plan/rerun`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    plan_id: PlanId
    period: Period

    @property
    def months(self) -> str:
        return self.period


class Backfill(BaseModel):
    """The parameters of `backfill/backfill` (flows/backfill.py), nothing more."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    plan_id: PlanId
    first: Period
    last: Period
    force: StrictBool = False
    dry_run: StrictBool = False

    @property
    def months(self) -> str:
        return f"{self.first}..{self.last}"


def checked(kind: type[Rerun] | type[Backfill], body: Any) -> Rerun | Backfill:
    """The request as its model, once its plan exists and its range is not empty."""
    if not isinstance(body, dict):
        raise Refused(
            "the body must be a JSON object", "Nội dung yêu cầu phải là một đối tượng JSON."
        )
    try:
        request = kind.model_validate(body)
    except ValidationError as exc:
        raise _refusal(kind, exc.errors()[0]) from exc
    try:
        require_plan(request.plan_id)
    except UnknownPlanError as exc:
        raise Refused(
            str(exc),
            f"Không có kế hoạch phối hợp {request.plan_id!r}: hãy chọn một kế hoạch có sẵn.",
        ) from exc
    if isinstance(request, Backfill):
        _check_range(request)
    return request


# A lead's backfill is bounded: one request must not queue a century of runs
# (2000-01..2099-12 is 1,200 sync-plan runs on the workers). An operator with
# the admin string can still run a longer one (`plan06 backfill`).
MAX_BACKFILL_MONTHS = 24


def _check_range(request: Backfill) -> None:
    try:
        months = period_range(request.first, request.last)
    except ValueError as exc:
        raise Refused(
            f"{exc}: first must not be after last",
            f"Khoảng kỳ báo cáo trống: {request.first} ở sau {request.last}.",
        ) from exc
    if len(months) > MAX_BACKFILL_MONTHS:
        raise Refused(
            f"{request.first}..{request.last} is {len(months)} months: a lead may backfill at"
            f" most {MAX_BACKFILL_MONTHS} at once; ask an operator for a longer range",
            f"Khoảng {request.first}..{request.last} có {len(months)} tháng: mỗi lần chỉ chạy lại"
            f" tối đa {MAX_BACKFILL_MONTHS} tháng; khoảng dài hơn xin nhờ quản trị viên.",
        )
    this_month = date.today().strftime("%Y-%m")
    if request.last > this_month:
        raise Refused(
            f"last ({request.last}) is after this month ({this_month}): a month not begun"
            " has no data",
            f"Kỳ cuối {request.last} ở sau tháng hiện tại {this_month}: tháng chưa đến chưa có"
            " dữ liệu.",
        )


def _refusal(kind: type[BaseModel], error: Any) -> Refused:
    """One sentence for pydantic's first error, in both languages."""
    field = ".".join(str(part) for part in error["loc"]) or "body"
    fields = ", ".join(kind.model_fields)
    if error["type"] == "extra_forbidden":
        return Refused(
            f"the field {field[:40]!r} is not accepted: this call takes only {fields}",
            f"Không chấp nhận trường {field[:40]!r}: chỉ nhận {fields}.",
        )
    if error["type"] == "missing":
        return Refused(
            f"the field {field!r} is missing: this call takes {fields}",
            f"Thiếu trường {field!r}: cần có {fields}.",
        )
    if error["type"] == "value_error":  # the flows' own sentences (periods.py, run_params.py)
        return Refused(str(error["ctx"]["error"]), VALUE_VI.get(field, GENERIC_VI).format(field))
    return Refused(f"the field {field!r} is invalid: {error['msg']}", GENERIC_VI.format(field))


GENERIC_VI = "Giá trị của trường {0!r} không hợp lệ."
VALUE_VI = {
    "plan_id": "Mã kế hoạch chỉ gồm chữ thường, chữ số và dấu gạch ngang (2–63 ký tự).",
    **{
        name: "Kỳ báo cáo phải là một tháng viết YYYY-MM, năm 2000–2099, ví dụ 2026-10."
        for name in ("period", "first", "last")
    },
}
