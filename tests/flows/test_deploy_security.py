"""A deployment an auditor would sign, on real `prefect server` processes:

- `plan06 serve` and `plan06 pool` refuse an API without authentication (no
  PREFECT_API_URL, or a server without PREFECT_SERVER_API_AUTH_STRING) unless
  --insecure, and proceed against a server with basic auth;
- a run's `job_variables` cannot replace the command, env or folder of a worker
  of the locked pool, while the same override runs on a default pool (control);
- the served `sync-plan/rerun` deployment refuses a bad period when the run is created.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from prefect.client.orchestration import SyncPrefectClient

from tests.flows.test_serve_e2e import free_port, healthy, server_env, stop, wait_for

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent
AUTH = "user:pass"
ROOT = Path(__file__).resolve().parents[2]  # this checkout: the probe flow's folder
STEP = "prefect.deployments.steps.set_working_directory"
REFUSED = "answers callers without credentials, so anyone reaching it can run commands"


def start_server(home: Path, port: int, env: dict[str, str]) -> subprocess.Popen:
    log = (home / "server.log").open("w")
    command = [BIN / "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=log, stderr=log)


@contextmanager
def open_and_auth_servers(
    tmp_path_factory, processes: list[subprocess.Popen]
) -> Iterator[dict[str, dict[str, str]]]:
    """Two servers started at once: "open" (no auth string) and "auth" (basic auth),
    the clients' environments of each; the caller may add processes to stop."""
    envs = {}
    for name in ("open", "auth"):
        home, data = tmp_path_factory.mktemp(f"{name}-home"), tmp_path_factory.mktemp(name)
        port = free_port()
        extra = {"PREFECT_SERVER_API_AUTH_STRING": AUTH} if name == "auth" else {}
        env = server_env(home, data, port, PYTHONPATH=str(ROOT), **extra)
        env.pop("PREFECT_API_AUTH_STRING", None)
        processes.append(start_server(home, port, env))
        env.pop("PREFECT_SERVER_API_AUTH_STRING", None)  # clients do not hold the server's
        envs[name] = env | ({"PREFECT_API_AUTH_STRING": AUTH} if name == "auth" else {})
    try:
        for env in envs.values():
            wait_for(lambda e=env: healthy(e["PREFECT_API_URL"]), "a Prefect server", 120)
        yield envs
    finally:
        for process in processes:
            stop(process)


@pytest.fixture(scope="module")
def servers(tmp_path_factory) -> Iterator[dict[str, dict[str, str]]]:
    with open_and_auth_servers(tmp_path_factory, []) as envs:
        yield envs


def plan06(env: dict[str, str], *args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN / "plan06", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def one_line(text: str) -> str:
    return " ".join(text.split())


def client(env: dict[str, str]) -> SyncPrefectClient:
    headers = {"Authorization": "Basic dXNlcjpwYXNz"} if "PREFECT_API_AUTH_STRING" in env else {}
    return SyncPrefectClient(env["PREFECT_API_URL"], httpx_settings={"headers": headers})


def test_serve_refuses_without_a_prefect_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env |= {"PREFECT_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    result = plan06(env, "serve")
    assert result.returncode == 1
    assert "PREFECT_API_URL is not set" in one_line(result.stderr)
    assert "--insecure" in result.stderr and "Traceback" not in result.stderr
    assert plan06(env, "serve", "--insecure", "--check").returncode == 0


@pytest.mark.parametrize("command", ["serve", "pool"])
def test_serve_and_pool_refuse_a_server_without_authentication(servers, command):
    result = plan06(servers["open"], command)
    assert result.returncode == 1, result.stdout
    sentence = one_line(result.stderr)
    assert REFUSED in sentence, sentence
    assert "PREFECT_SERVER_API_AUTH_STRING on the server" in sentence
    assert "PREFECT_API_AUTH_STRING for its clients" in sentence and "--insecure" in sentence
    assert "Traceback" not in result.stderr


def test_insecure_lets_a_local_trial_through(servers):
    result = plan06(servers["open"], "serve", "--insecure", "--check")
    assert result.returncode == 0, result.stderr
    assert "--insecure" in result.stdout


def test_wrong_credentials_are_refused_with_a_sentence(servers):
    result = plan06(servers["auth"] | {"PREFECT_API_AUTH_STRING": "user:wrong"}, "serve")
    assert result.returncode == 1
    assert "refused this client's credentials (HTTP 401)" in one_line(result.stderr)


def test_serve_proceeds_against_a_server_with_authentication(servers, tmp_path):
    env = servers["auth"]
    check = plan06(env, "serve", "--check")
    assert check.returncode == 0, check.stderr
    assert "requires authentication" in check.stdout
    log = tmp_path / "serve.log"  # it proceeds: the deployments it serves appear
    process = subprocess.Popen(
        [BIN / "plan06", "serve", "--watchdog-every", "3600"],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        with client(env) as api:
            wait_for(lambda: len(api.read_deployments()) >= 6, "the served deployments", 120)
            rerun = api.read_deployment_by_name("sync-plan/rerun")
            # the served deployment's schema carries the Period pattern: the server refuses
            with pytest.raises(Exception, match=r"period|pattern|does not match"):
                api.create_flow_run_from_deployment(
                    rerun.id, parameters={"plan_id": "binh-duong-cu-tru-dat-dai",
                                          "period": "<!channel>"},
                )  # fmt: skip
    finally:
        stop(process)


# ---- the locked work pool --------------------------------------------------


def deploy_probe(api: SyncPrefectClient, pool: str) -> str:
    from tests.flows.deploy_probe import probe

    flow_id = api.create_flow(probe)
    return str(
        api.create_deployment(
            flow_id,
            name=pool,
            work_pool_name=pool,
            entrypoint="tests/flows/deploy_probe.py:probe",
            path=str(ROOT),
            pull_steps=[
                {"prefect.deployments.steps.set_working_directory": {"directory": str(ROOT)}}
            ],
            enforce_parameter_schema=False,
        )
    )


def start_worker(env: dict[str, str], pool: str, log: Path) -> subprocess.Popen:
    env = env | {"PREFECT_WORKER_QUERY_SECONDS": "1", "PREFECT_WORKER_PREFETCH_SECONDS": "5"}
    return subprocess.Popen(
        [BIN / "prefect", "worker", "start", "--pool", pool, "--type", "process"],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )


def test_a_run_cannot_override_the_command_env_or_folder_of_the_locked_pool(servers, tmp_path):
    started = time.monotonic()
    env = servers["auth"]
    made = plan06(env, "pool", "--name", "plan06")
    assert made.returncode == 0, made.stderr
    control = subprocess.run(
        [BIN / "prefect", "work-pool", "create", "default-template", "--type", "process"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert control.returncode == 0, control.stderr
    workers = [start_worker(env, p, tmp_path / f"{p}.log") for p in ("plan06", "default-template")]
    try:
        with client(env) as api:
            pool = api.read_work_pool("plan06")
            assert not {"command", "env", "working_dir"} & set(
                pool.base_job_template["variables"]["properties"]
            )
            runs = {}
            for name in ("plan06", "default-template"):
                pwned, marker = tmp_path / f"pwned-{name}", tmp_path / f"ran-{name}"
                override = {"command": f"touch {pwned}", "env": {"X": "y"},
                            "working_dir": str(tmp_path)}  # fmt: skip
                runs[name] = api.create_flow_run_from_deployment(
                    deploy_probe(api, name),
                    parameters={"marker": str(marker)},
                    job_variables=override,
                ).id

            def final(name: str):
                state = api.read_flow_run(runs[name]).state
                return state if state and state.is_final() else None

            locked = wait_for(lambda: final("plan06"), "the locked pool's run", 150)
            assert locked.is_completed(), locked
            wait_for(lambda: (tmp_path / "pwned-default-template").exists(), "the control", 60)
    finally:
        for worker in workers:
            stop(worker)
    assert not (tmp_path / "pwned-plan06").exists()
    assert (tmp_path / "ran-plan06").read_text() == f"X= cwd={ROOT}"
    assert time.monotonic() - started < 180
