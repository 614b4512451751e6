"""Plan files as `plan06 serve` reads them: scaffolded by `plans new`, checked with line
numbers by `plans check`, and turned into scheduled deployments in Asia/Ho_Chi_Minh."""

from __future__ import annotations

import json
import shutil

import yaml
from typer.testing import CliRunner

from flows.cli import app
from flows.plans import load_plans
from tasks.settings import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "flows" / "plans"
FOURTH = PROJECT_ROOT / "tests" / "fixtures" / "plans" / "dong-nai-dvc-truc-tuyen.yaml"


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(app, list(args), env=env)


def test_plans_check_names_the_line_of_each_error(tmp_path):
    text = (SEEDS / "kien-giang-phu-quoc.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    kpi_line = next(i for i, line in enumerate(lines) if "kpi:" in line)
    lines[kpi_line] = lines[kpi_line].split("kpi:")[0] + "kpi: not_a_kpi"
    (tmp_path / "kien-giang-phu-quoc.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke("plans", "check", env={"PLAN06_PLANS_DIR": str(tmp_path)})
    assert result.exit_code == 1
    assert f"line {kpi_line + 1}: targets.0.kpi: " in result.output
    assert "unknown kpi 'not_a_kpi'" in result.output


def test_plans_check_points_a_wrong_reference_at_its_line(tmp_path):
    text = (SEEDS / "kien-giang-phu-quoc.yaml").read_text(encoding="utf-8")
    group = next(line for line in text.splitlines() if "task_group:" in line)
    text = text.replace(group, group.split(":")[0] + ": to-khong-co", 1)
    (tmp_path / "kien-giang-phu-quoc.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index(group.split(":")[0] + ": to-khong-co") + 1
    result = invoke("plans", "check", env={"PLAN06_PLANS_DIR": str(tmp_path)})
    assert result.exit_code == 1 and f"line {line}: targets.0.task_group" in result.output


def test_plans_new_scaffolds_a_plan_that_checks_and_a_suite_for_a_new_dataset(tmp_path):
    plans, suites = tmp_path / "plans", tmp_path / "expectations"
    shutil.copytree(PROJECT_ROOT / "expectations", suites)
    (suites / "dossiers.json").unlink()  # as if the dataset had no suite yet
    env = {"PLAN06_PLANS_DIR": str(plans), "PLAN06_EXPECTATIONS_DIR": str(suites)}
    args = [
        "plans",
        "new",
        "--id",
        "an-giang-dvc",
        "--name",
        "Dịch vụ công — An Giang",
        "--partner",
        "An Giang",
        "--unit-code",
        "91",
        "--domain",
        "cu_tru,dat_dai",
        "--channel",
        "C09AGKHPH06",
        "--dataset",
        "dossiers",
        "--province",
        "kien-giang",
        "--cron",
        "0 8 * * 1",
    ]
    result = invoke(*args, env=env)
    assert result.exit_code == 0, result.output
    plan = load_plans(plans)["an-giang-dvc"]
    assert plan.schedule.cron == "0 8 * * 1" and plan.schedule.timezone == "Asia/Ho_Chi_Minh"
    assert [t.scope for t in plan.targets] == ["cu_tru", "dat_dai"]
    suite = json.loads((suites / "dossiers.json").read_text(encoding="utf-8"))
    assert suite["expectations"][0]["severity"] == "critical"
    again = invoke(*args, env=env)
    assert again.exit_code == 1 and "exists already" in again.output


def test_plans_new_refuses_an_unknown_dataset_and_writes_nothing(tmp_path):
    env = {"PLAN06_PLANS_DIR": str(tmp_path)}
    result = invoke(
        "plans",
        "new",
        "--id",
        "x-plan",
        "--name",
        "X",
        "--partner",
        "X",
        "--unit-code",
        "91",
        "--domain",
        "cu_tru",
        "--channel",
        "C09XXXXXX",
        "--dataset",
        "no_such_kind",
        "--province",
        "kien-giang",
        env=env,
    )
    assert result.exit_code == 1 and "unknown dataset kind 'no_such_kind'" in result.output
    assert list(tmp_path.iterdir()) == []


def test_each_active_plan_becomes_a_deployment_on_its_own_schedule(monkeypatch, tmp_path):
    from flows.serve import build_deployments

    shutil.copytree(SEEDS, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.py"))
    shutil.copy(FOURTH, tmp_path)
    monkeypatch.setenv("PLAN06_PLANS_DIR", str(tmp_path))
    deployments = {d.name: d for d in build_deployments()}
    plans = load_plans(tmp_path)
    assert set(deployments) == {*plans, "rerun", "backfill", "watchdog", "weekly"}
    (upkeep,) = deployments["weekly"].schedules  # the warehouse's upkeep, Sunday night
    assert (upkeep.schedule.cron, upkeep.schedule.timezone) == ("0 2 * * 0", "Asia/Ho_Chi_Minh")
    for plan in plans.values():
        (schedule,) = deployments[plan.id].schedules
        assert schedule.schedule.cron == plan.schedule.cron
        assert schedule.schedule.timezone == "Asia/Ho_Chi_Minh"
        assert deployments[plan.id].parameters == {"plan_id": plan.id}
    fourth = yaml.safe_load(FOURTH.read_text(encoding="utf-8"))
    assert deployments[fourth["id"]].tags == ["plan06", fourth["id"]]


def test_the_work_pool_example_schedules_each_seed_plan_as_its_file_says():
    config = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    by_name = {d["name"]: d for d in config["deployments"]}
    for plan in load_plans(SEEDS).values():
        (schedule,) = by_name[plan.id]["schedules"]
        assert schedule == {"cron": plan.schedule.cron, "timezone": plan.schedule.timezone}
        assert by_name[plan.id]["parameters"] == {"plan_id": plan.id}
    assert {"rerun", "backfill", "watchdog"} <= set(by_name)
    from flows.serve import MAINTAIN_SCHEDULE  # the same upkeep schedule as `plan06 serve`

    (upkeep,) = by_name["weekly"]["schedules"]
    assert upkeep == {"cron": MAINTAIN_SCHEDULE.cron, "timezone": MAINTAIN_SCHEDULE.timezone}
    assert by_name["weekly"]["entrypoint"] == "flows/maintain.py:maintain"
