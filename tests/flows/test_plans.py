"""Plan files: the seed plans load, and each kind of mistake is named precisely."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from flows.cli import app
from flows.plans import PlanFileError, load_plan, load_plans
from tasks.settings import PROJECT_ROOT

SEED_DIR = PROJECT_ROOT / "flows" / "plans"
SEED_IDS = {"binh-duong-cu-tru-dat-dai", "dong-nai-cu-tru-dat-dai", "kien-giang-phu-quoc"}
PLAN_ID = "binh-duong-cu-tru-dat-dai"
Mutation = Callable[[dict[str, Any]], None]


def seed_data() -> dict[str, Any]:
    return yaml.safe_load((SEED_DIR / f"{PLAN_ID}.yaml").read_text(encoding="utf-8"))


def put(dotted: str, value: Any) -> Mutation:
    """Set the field at a dotted path such as `targets.0.kpi`."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in dotted.split(".")]
        node: Any = data
        for part in parents:
            node = node[part]
        node[last] = value

    return mutate


def rename(old: str, new: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data[new] = data.pop(old)

    return mutate


def write_plan(folder: Path, data: dict[str, Any], name: str = PLAN_ID) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def bad_plan(folder: Path, mutation: Mutation) -> Path:
    data = seed_data()
    mutation(data)
    return write_plan(folder / "plans", data)


def plans_check(plans_dir: Path) -> Result:
    return CliRunner().invoke(app, ["plans", "check"], env={"PLAN06_PLANS_DIR": str(plans_dir)})


def flat(text: str) -> str:
    """Output with line wrapping undone (rich wraps long lines at spaces)."""
    return " ".join(text.split())


# (mutation, field path, reason): each breaks exactly one rule of a valid plan.
BAD_PLANS = [
    pytest.param(
        put("targets.0.kpi", "bogus_rate"),
        "targets.0.kpi",
        "unknown kpi 'bogus_rate'",
        id="unknown-kpi",
    ),
    pytest.param(
        put("targets.1.value", 1.5),
        "targets.1.value",
        "less than or equal to 1",
        id="target-above-1",
    ),
    pytest.param(
        put("targets.0.task_group", "to-khong-co"),
        "targets.0.task_group",
        "unknown task group 'to-khong-co'",
        id="unknown-task-group",
    ),
    pytest.param(
        put("targets.0.scope", "giao_thong"),
        "targets.0.scope",
        "'giao_thong' is not a plan domain",
        id="scope-not-a-domain",
    ),
    pytest.param(
        put("datasets.0.source", "cong-khac"),
        "datasets.0.source",
        "unknown source 'cong-khac'",
        id="unknown-source",
    ),
    pytest.param(
        rename("targets", "targetz"), "targetz", "Extra inputs are not permitted", id="typo-field"
    ),
    pytest.param(
        put("slack_channel", "#general"),
        "slack_channel",
        "should match pattern",
        id="bad-slack-channel",
    ),
    pytest.param(
        put("task_groups.1.slack_channel", "c07-dat-dai"),
        "task_groups.1.slack_channel",
        "should match pattern",
        id="bad-task-group-channel",
    ),
]


def without_marks(params: list[Any]) -> list[Any]:
    return [pytest.param(*p.values, id=p.id) for p in params]


def test_every_seed_plan_loads() -> None:
    plans = load_plans(SEED_DIR)
    assert set(plans) == SEED_IDS == {p.stem for p in SEED_DIR.glob("*.yaml")}
    assert all(plan.active and plan.targets for plan in plans.values())


def test_plans_check_lists_every_seed_plan() -> None:
    result = plans_check(SEED_DIR)
    assert result.exit_code == 0, result.output
    for plan_id in SEED_IDS:
        assert f"ok {plan_id}:" in result.output


@pytest.mark.parametrize(("mutation", "field", "reason"), without_marks(BAD_PLANS))
def test_a_bad_plan_is_refused_with_its_file_and_reason(
    tmp_path: Path, mutation: Mutation, field: str, reason: str
) -> None:
    path = bad_plan(tmp_path, mutation)
    with pytest.raises(PlanFileError) as caught:
        load_plan(path)
    assert str(path) in str(caught.value) and reason in str(caught.value)


@pytest.mark.parametrize(("mutation", "field", "reason"), BAD_PLANS)
def test_a_bad_plan_error_names_the_field(
    tmp_path: Path, mutation: Mutation, field: str, reason: str
) -> None:
    with pytest.raises(PlanFileError) as caught:
        load_plan(bad_plan(tmp_path, mutation))
    assert f"{field}: " in str(caught.value)


@pytest.mark.parametrize(("mutation", "field", "reason"), without_marks(BAD_PLANS))
def test_plans_check_exits_1_naming_the_file_and_reason(
    tmp_path: Path, mutation: Mutation, field: str, reason: str
) -> None:
    path = bad_plan(tmp_path, mutation)
    result = plans_check(path.parent)
    assert result.exit_code == 1
    assert str(path) in flat(result.output) and reason in flat(result.output)


def test_the_file_name_must_equal_the_plan_id(tmp_path: Path) -> None:
    path = write_plan(tmp_path, seed_data(), name="ke-hoach-khac")
    with pytest.raises(PlanFileError, match="must equal the file name 'ke-hoach-khac'") as caught:
        load_plan(path)
    assert str(path) in str(caught.value)


def test_invalid_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "hong.yaml"
    path.write_text("id: hong\ndomains: [cu_tru, dat_dai\nname: x\n", encoding="utf-8")
    with pytest.raises(PlanFileError, match="not valid YAML") as caught:
        load_plan(path)
    assert str(path) in str(caught.value) and "line 3" in str(caught.value)
    assert plans_check(tmp_path).exit_code == 1


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "danh-sach.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(PlanFileError, match="expected a mapping"):
        load_plan(path)


def test_a_folder_without_plans_fails(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="no plan files"):
        load_plans(tmp_path)
    assert plans_check(tmp_path).exit_code == 1


def test_plans_check_prints_the_error_verbatim(tmp_path: Path) -> None:
    path = bad_plan(tmp_path, put("task_groups.0.id", "To Cu Tru"))
    with pytest.raises(PlanFileError) as caught:
        load_plan(path)
    pattern_line = next(line for line in str(caught.value).splitlines() if "pattern" in line)
    assert pattern_line.strip() in plans_check(path.parent).output


def test_a_plan_file_with_a_non_slug_name_is_not_silently_skipped(tmp_path: Path) -> None:
    write_plan(tmp_path, seed_data())
    bad = write_plan(tmp_path, seed_data(), name="Kien_Giang Phu Quoc")
    with pytest.raises(PlanFileError, match="rename it") as caught:
        load_plans(tmp_path)
    assert str(bad) in str(caught.value)
    result = plans_check(tmp_path)
    assert result.exit_code == 1 and "Kien_Giang Phu Quoc.yaml" in result.output


# What a run would trip on later, caught by `plans check` before any pull.
PREFLIGHT = [
    pytest.param(put("schedule.cron", "0 7 * *"), {}, "schedule.cron: '0 7 * *'", id="cron"),
    pytest.param(
        put("schedule.timezone", "Asia/Saigon_City"), {}, "unknown time zone", id="timezone"
    ),
    pytest.param(
        put("partner.unit_code", "99"), {}, "'99' is not a province code", id="unknown-province"
    ),
    pytest.param(
        put("sources.dvc.simulator_province", "ha-noi"), {},
        "the simulator does not know 'ha-noi'", id="simulator-province",
    ),
    pytest.param(
        lambda data: None, {"PLAN06_BINH_DUONG_DVC_URL": "https://dvc.binhduong.gov.vn"},
        "a source of this plan is real: PLAN06_PSEUDONYM_KEY is not set", id="real-without-key",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("mutation", "env", "reason"), PREFLIGHT)
def test_plans_check_finds_what_a_run_would_trip_on(tmp_path, monkeypatch, mutation, env, reason):
    monkeypatch.delenv("PLAN06_PSEUDONYM_KEY", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = bad_plan(tmp_path, mutation)
    result = CliRunner().invoke(
        app, ["plans", "check"], env={"PLAN06_PLANS_DIR": str(path.parent), **env}
    )
    assert result.exit_code == 1
    assert f"error {PLAN_ID}: a run would fail:" in flat(result.output)
    assert reason in flat(result.output)
