"""`plan06 gateway` as an auditor would check it, on real `prefect server` processes:

a lead with the right password creates a rerun or a backfill whose run carries
exactly the flow's parameters and no job_variables; a wrong login, an extra
field or a bad value creates nothing; no other path or method goes through;
the gateway refuses to start against an API without authentication or without
lead accounts; the Vietnamese page lists the plans and starts a rerun.
"""

from __future__ import annotations

import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from flows.plans import load_plans
from tests.flows.test_deploy_security import (
    AUTH,
    BIN,
    REFUSED,
    ROOT,
    client,
    one_line,
    open_and_auth_servers,
    plan06,
)
from tests.flows.test_serve_e2e import free_port, stop, wait_for

pytestmark = pytest.mark.e2e
LEAD, PASSWORD = "lan", "mật khẩu của Lan 2026"  # not ASCII: the login is UTF-8
LOGIN = (LEAD, PASSWORD)
PLAN = "binh-duong-cu-tru-dat-dai"
# rerun and backfill as `plan06 serve` builds them, and watchdog (another deployment)
# without its schedule, so that every run on the server is one a test created
APPLY = """
from flows.serve import build_deployments
for deployment in build_deployments():
    if deployment.name in ("rerun", "backfill", "watchdog"):
        deployment.schedules = []
        deployment.apply()
"""


@dataclass(frozen=True)
class Gateway:
    url: str
    env: dict[str, str]  # the gateway's own: the admin auth string, the lead accounts
    open_env: dict[str, str]  # a client of a server without an auth string
    log: Path


@pytest.fixture(scope="module")
def gw(tmp_path_factory) -> Iterator[Gateway]:
    """Two servers ("open", "auth"), the deployments on "auth", and the gateway in front."""
    processes: list[subprocess.Popen] = []  # the gateway joins the servers, stopped with them
    with open_and_auth_servers(tmp_path_factory, processes) as envs:
        hashed = _run(envs["auth"], [BIN / "plan06", "gateway", "hash-password"], PASSWORD)
        env = envs["auth"] | {"PLAN06_GATEWAY_USERS": f"other:{hashed},{LEAD}:{hashed}"}
        _run(env, [BIN / "python", "-c", APPLY])
        port, log = free_port(), tmp_path_factory.mktemp("gateway") / "gateway.log"
        processes.append(_start_gateway(env, port, log))
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: _answers(url), "the gateway", 60)
        yield Gateway(url, env, envs["open"], log)


def _run(env: dict[str, str], command: list, stdin: str = "") -> str:
    done = subprocess.run(command, env=env, input=stdin, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _start_gateway(env: dict[str, str], port: int, log: Path, *args: str) -> subprocess.Popen:
    command = [BIN / "plan06", "gateway", "--port", str(port), *args]
    return subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 401
    except httpx.HTTPError:
        return False


def run_ids(gw: Gateway) -> set[UUID]:
    with client(gw.env) as api:
        return {run.id for run in api.read_flow_runs()}


def post(gw: Gateway, path: str, body: object, auth: tuple[str, str] = LOGIN) -> httpx.Response:
    return httpx.post(f"{gw.url}{path}", json=body, auth=auth, timeout=30)


# ---- what a lead may do ------------------------------------------------------


def test_a_lead_reruns_one_plan_and_period_with_nothing_else(gw):
    answer = post(gw, "/runs/rerun", {"plan_id": PLAN, "period": "2026-10"})
    assert answer.status_code == 201, answer.text
    run_id = answer.json()["flow_run_id"]
    with client(gw.env) as api:
        run = api.read_flow_run(UUID(run_id))
        rerun = api.read_deployment_by_name("sync-plan/rerun")
    assert run.parameters == {"plan_id": PLAN, "period": "2026-10"}
    assert run.deployment_id == rerun.id and not run.job_variables
    assert {"plan06-gateway", f"lead:{LEAD}"} <= set(run.tags)
    status = httpx.get(f"{gw.url}/runs/{run_id}", auth=LOGIN).json()
    assert status["deployment"] == "sync-plan/rerun" and status["state"] == "Scheduled", status
    assert set(status) == {"id", "deployment", "state", "start_time", "end_time"}
    line = f"lead={LEAD} deployment=sync-plan/rerun plan={PLAN} period=2026-10 flow_run={run_id}"
    log = gw.log.read_text()
    assert line in log
    assert PASSWORD not in log and AUTH not in log and "scrypt:" not in log


def test_a_lead_backfills_with_the_flows_parameters_only(gw):
    body = {"plan_id": PLAN, "first": "2026-01", "last": "2026-03", "dry_run": True}
    answer = post(gw, "/runs/backfill", body)
    assert answer.status_code == 201, answer.text
    with client(gw.env) as api:
        run = api.read_flow_run(UUID(answer.json()["flow_run_id"]))
        backfill = api.read_deployment_by_name("backfill/backfill")
    assert run.parameters == body | {"force": False}
    assert run.deployment_id == backfill.id and not run.job_variables
    before = run_ids(gw)
    empty = post(gw, "/runs/backfill", body | {"first": "2026-04"})
    assert empty.status_code == 422 and "empty range" in empty.json()["error"]
    assert post(gw, "/runs/backfill", body | {"force": "yes"}).status_code == 422
    century = post(gw, "/runs/backfill", body | {"first": "2000-01", "last": "2099-12"})
    assert century.status_code == 422 and "at most 24" in century.json()["error"]
    ahead = f"{date.today().year + 1}-01"
    future = post(gw, "/runs/backfill", body | {"first": ahead, "last": ahead})
    assert future.status_code == 422 and "after this month" in future.json()["error"]
    assert run_ids(gw) == before


# ---- what nobody gets through -------------------------------------------------


@pytest.mark.parametrize(
    "auth",
    [None, (LEAD, "wrong password"), ("nobody", PASSWORD), ("", ""), ("lan", "")],
    ids=["none", "wrong-password", "unknown-lead", "empty", "no-password"],
)
def test_a_wrong_login_is_refused_and_creates_nothing(gw, auth):
    before = run_ids(gw)
    body = {"plan_id": PLAN, "period": "2026-10"}
    answer = httpx.post(f"{gw.url}/runs/rerun", json=body, auth=auth, timeout=30)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Basic")
    assert httpx.get(f"{gw.url}/", auth=auth, timeout=30).status_code == 401
    assert run_ids(gw) == before


def test_a_malformed_authorization_header_is_refused(gw):
    for header in ("Basic !!!", "Bearer " + AUTH, "Basic " + "bGFu"):  # "lan", no colon
        answer = httpx.get(f"{gw.url}/", headers={"Authorization": header})
        assert answer.status_code == 401, header


@pytest.mark.parametrize(
    "extra",
    [
        {"job_variables": {"command": "env", "env": {"X": "y"}}},
        {"parameters": {"plan_id": PLAN, "period": "2026-10", "deliver": False}},
        {"tags": ["admin"]},
        {"work_queue_name": "default"},
        {"deliver": False},
    ],
    ids=lambda extra: next(iter(extra)),
)
def test_extra_fields_are_refused_and_never_reach_the_server(gw, extra):
    before = run_ids(gw)
    answer = post(gw, "/runs/rerun", {"plan_id": PLAN, "period": "2026-10", **extra})
    assert answer.status_code == 422
    field = next(iter(extra))
    assert answer.json() == {
        "error": f"the field {field!r} is not accepted: this call takes only plan_id, period"
    }
    assert run_ids(gw) == before
    with client(gw.env) as api:
        assert not any(run.job_variables for run in api.read_flow_runs())


@pytest.mark.parametrize(
    ("body", "sentence"),
    [
        ({"plan_id": PLAN, "period": "2025-13"}, "must be a month written YYYY-MM, e.g. 2026-10"),
        ({"plan_id": PLAN, "period": "1999-12"}, "is outside 2000..2099: check the year"),
        ({"plan_id": "<!channel>", "period": "2026-10"}, "must be lower-case letters, digits"),
        ({"plan_id": "khong-co-ke-hoach", "period": "2026-10"}, "does not exist in"),
        ({"plan_id": PLAN}, "the field 'period' is missing"),
        ({"plan_id": PLAN, "period": 202610}, "the field 'period' is invalid"),
        (["not", "an", "object"], "the body must be a JSON object"),
    ],
    ids=["month-13", "year", "mention", "unknown-plan", "missing", "number", "list"],
)
def test_bad_values_are_refused_with_one_sentence(gw, body, sentence):
    before = run_ids(gw)
    answer = post(gw, "/runs/rerun", body)
    assert answer.status_code == 422
    assert sentence in answer.json()["error"], answer.json()
    assert "\n" not in answer.json()["error"] and "Traceback" not in answer.text
    assert run_ids(gw) == before


def test_a_body_that_is_not_json_is_refused(gw):
    before = run_ids(gw)
    form = httpx.post(f"{gw.url}/runs/rerun", data={"plan_id": PLAN, "period": "2026-10"},
                      auth=LOGIN)  # fmt: skip
    assert form.status_code == 415  # also what stops another site's form
    broken = httpx.post(f"{gw.url}/runs/rerun", content=b"{", auth=LOGIN,
                        headers={"Content-Type": "application/json"})  # fmt: skip
    assert broken.status_code == 422 and broken.json() == {"error": "the body is not valid JSON"}
    huge = post(gw, "/runs/rerun", {"plan_id": PLAN, "period": "x" * 10_000})
    assert huge.status_code == 413
    assert run_ids(gw) == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/api/deployments/{rerun}"),
        ("POST", "/api/deployments/{rerun}/create_flow_run"),
        ("PATCH", "/api/deployments/{rerun}"),
        ("GET", "/api/admin/version"),
        ("POST", "/api/work_pools/"),
        ("GET", "/api/deployments/filter"),
        ("PATCH", "/runs/rerun"),
        ("GET", "/runs/rerun"),
        ("PUT", "/"),
        ("DELETE", "/runs/{rerun}"),
        ("POST", "/runs/{rerun}"),
        ("GET", "/docs"),
    ],
)
def test_no_other_path_or_method_goes_through(gw, method, path):
    with client(gw.env) as api:
        rerun = api.read_deployment_by_name("sync-plan/rerun").id
        before = api.read_deployment(rerun)
    body = {"job_variables": {"command": "env"}, "parameters": {}}
    answer = httpx.request(method, gw.url + path.format(rerun=rerun), json=body, auth=LOGIN)
    assert answer.status_code in (404, 405), (method, path, answer.text)
    assert "version" not in answer.text.lower()
    with client(gw.env) as api:
        assert api.read_deployment(rerun).updated == before.updated


def test_a_run_of_another_deployment_is_not_shown(gw):
    with client(gw.env) as api:
        watchdog = api.read_deployment_by_name("watchdog/watchdog")
        assert not watchdog.schedules  # no scheduler's run among those counted above
        other = api.create_flow_run_from_deployment(watchdog.id).id
    assert httpx.get(f"{gw.url}/runs/{other}", auth=LOGIN).status_code == 404
    assert httpx.get(f"{gw.url}/runs/{UUID(int=7)}", auth=LOGIN).status_code == 404


# ---- refusing to start --------------------------------------------------------


def test_the_gateway_refuses_an_api_without_authentication(gw):
    users = {"PLAN06_GATEWAY_USERS": gw.env["PLAN06_GATEWAY_USERS"]}
    result = plan06(gw.open_env | users, "gateway", "--port", str(free_port()))
    assert result.returncode == 1, result.stdout
    assert REFUSED in one_line(result.stderr) and "--insecure" in result.stderr
    assert "Traceback" not in result.stderr


def test_insecure_lets_a_local_trial_start(gw, tmp_path):
    env = gw.open_env | {"PLAN06_GATEWAY_USERS": gw.env["PLAN06_GATEWAY_USERS"]}
    port = free_port()
    process = _start_gateway(env, port, tmp_path / "insecure.log", "--insecure")
    try:
        wait_for(lambda: _answers(f"http://127.0.0.1:{port}"), "the --insecure gateway", 60)
    finally:
        stop(process)
    assert "--insecure, the Prefect API is not checked" in (tmp_path / "insecure.log").read_text()


@pytest.mark.parametrize(
    ("users", "sentence"),
    [
        (None, "plan06 gateway has no lead accounts: set PLAN06_GATEWAY_USERS to name:hash"),
        ("", "plan06 gateway has no lead accounts"),
        ("lan:abc", "the account 'lan' of PLAN06_GATEWAY_USERS is malformed"),
        ("Lan Anh:scrypt:1:2:3:4:5", "entry 1 of PLAN06_GATEWAY_USERS has the name 'Lan Anh'"),
    ],
    ids=["unset", "empty", "not-a-hash", "bad-name"],
)
def test_the_gateway_refuses_to_start_without_lead_accounts(gw, users, sentence):
    env = {k: v for k, v in gw.env.items() if k != "PLAN06_GATEWAY_USERS"}
    env |= {} if users is None else {"PLAN06_GATEWAY_USERS": users}
    result = plan06(env, "gateway", "--port", str(free_port()))
    assert result.returncode == 1
    assert sentence in one_line(result.stderr) and "Traceback" not in result.stderr
    assert "hash-password" in result.stderr


# ---- the page ---------------------------------------------------------------


def test_the_page_lists_the_plans_in_vietnamese(gw):
    answer = httpx.get(f"{gw.url}/", auth=LOGIN)
    assert answer.status_code == 200
    page = answer.text
    assert unicodedata.is_normalized("NFC", page)
    assert "Chạy lại một kế hoạch phối hợp" in page and "Kỳ báo cáo" in page
    for plan in load_plans(ROOT / "flows" / "plans").values():
        assert plan.name in page
    assert answer.headers["x-frame-options"] == "DENY"


def test_the_form_starts_a_rerun(gw):
    answer = httpx.post(f"{gw.url}/", data={"plan_id": PLAN, "period": "2026-09"}, auth=LOGIN)
    assert answer.status_code == 200, answer.text
    assert "Đã tạo lượt chạy" in answer.text
    with client(gw.env) as api:
        runs = [r for r in api.read_flow_runs() if r.parameters.get("period") == "2026-09"]
    assert [r.parameters for r in runs] == [{"plan_id": PLAN, "period": "2026-09"}]
    assert str(runs[0].id) in answer.text  # the page lists the runs it started
    assert "tháng 09/2026" in answer.text  # in Vietnamese, as the reports write a month


def test_the_form_refuses_a_bad_month_in_vietnamese(gw):
    before = run_ids(gw)
    answer = httpx.post(f"{gw.url}/", data={"plan_id": PLAN, "period": "2025-13"}, auth=LOGIN)
    assert answer.status_code == 422
    assert "Kỳ báo cáo phải là một tháng viết YYYY-MM" in answer.text
    extra = {"plan_id": PLAN, "period": "2026-09", "job_variables": "x"}
    assert httpx.post(f"{gw.url}/", data=extra, auth=LOGIN).status_code == 422
    assert run_ids(gw) == before


def test_a_form_of_another_site_is_refused(gw):
    before = run_ids(gw)
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}):
        answer = httpx.post(
            f"{gw.url}/", data={"plan_id": PLAN, "period": "2026-08"}, auth=LOGIN, headers=headers
        )
        assert answer.status_code == 403, headers
    assert run_ids(gw) == before
