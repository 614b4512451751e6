"""A private PostgreSQL 15 cluster on 127.0.0.1, for the DuckLake catalog in tests.

Debian's PostgreSQL 15 server is on these machines but not running; CI is
root, and `initdb` refuses root, so as root the cluster belongs to the
`postgres` system user (runuser). Trust authentication on loopback only: the
cluster lives as long as the test session or the scale test.

    python -m tests.pg_cluster start DIR   # prints the libpq DSN
    python -m tests.pg_cluster stop DIR
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("PLAN06_PG_BIN", "/usr/lib/postgresql/15/bin"))
USER = "plan06"
DATABASE = "plan06"


@dataclass(frozen=True)
class Cluster:
    directory: Path
    port: int

    @property
    def dsn(self) -> str:
        """libpq key/value DSN, as DuckDB's postgres and ducklake extensions take it."""
        return f"dbname={DATABASE} host=127.0.0.1 port={self.port} user={USER}"

    @property
    def sqlalchemy_url(self) -> str:
        """The same database as an asyncpg URL (a Prefect server's database)."""
        return f"postgresql+asyncpg://{USER}@127.0.0.1:{self.port}/{DATABASE}"


def available() -> bool:
    return (PG_BIN / "initdb").exists()


def _as_owner(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(args: list[str]) -> None:
    done = subprocess.run(_as_owner(args), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed: {done.stderr.strip() or done.stdout}")


def start(directory: Path, port: int | None = None) -> Cluster:
    """initdb (once) and start a cluster under `directory`; returns it when it accepts."""
    if not available():
        raise RuntimeError(f"no PostgreSQL server binaries in {PG_BIN} (apt install postgresql-15)")
    directory.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
    data = directory / "data"
    port = port or _free_port()
    if not data.exists():
        _run([str(PG_BIN / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8"])
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=200"
    log = directory / "server.log"
    _run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"])
    cluster = Cluster(directory, port)
    (directory / "port").write_text(str(port))
    deadline = time.monotonic() + 30
    while True:
        done = subprocess.run(
            [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, "-d",
             "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode == 0:
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"PostgreSQL on port {port} did not start: see {log}")
        time.sleep(0.3)
    if done.stdout.strip() != "1":
        _run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, DATABASE])
    return cluster


def create_database(cluster: Cluster, name: str) -> str:
    """A fresh database in the cluster (one per test); returns its DSN."""
    _run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", USER, name])
    return f"dbname={name} host=127.0.0.1 port={cluster.port} user={USER}"


def stop(directory: Path) -> None:
    data = directory / "data"
    if (data / "postmaster.pid").exists():
        _run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])


if __name__ == "__main__":
    command, folder = sys.argv[1], Path(sys.argv[2]).resolve()
    if command == "start":
        print(start(folder).dsn)
    elif command == "stop":
        stop(folder)
    else:
        sys.exit("usage: python -m tests.pg_cluster start|stop DIR")
