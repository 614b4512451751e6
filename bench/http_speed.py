"""Rows per second of the HTTP source against the bulk simulator, through the real pull.

A bulk simulator (simulator/bulk.py) serves N dossiers in its own process;
a fresh client process runs tasks/sources/pull.py `pull_source` for the
benchmark's HTTP plan (bench/plans/bench-dossiers-http.yaml): paging,
retries, integrity checks, mapping, the text landing and the canonical
typing pass, exactly what the flow calls. The client reports its own peak
RSS (getrusage), so the server's memory is not counted in it.

    python -m bench.http_speed --rows 200000 1000000

Measured on the shared 2-core machine (issue 15, 2 Dec 2026; load_1m 3-6, so
wall times vary by ~1.7x from run to run; CPU seconds are steadier):
before  1 M: 3,490-8,476 rows/s, client CPU ~80 s, server CPU ~21 s, 625-639 MB
after   1 M: 13,113-19,162 rows/s, client CPU 38-48 s, server CPU 4-5 s, 625-648 MB
of which the canonical typing pass (DuckDB) is 17-36 s of the 52-76 s.
3 Dec 2026, 1 M, without the read-ahead thread, so the parts add up (33.5 s):
GET 5.7 s (mostly the simulator building pages), orjson parse 7.4 s, page
fingerprint 2.9 s, records to Arrow columns 7.7 s, Parquet writes 1.1 s,
typing pass 6.6 s. Parse, fingerprint and columns hold the GIL, so a second
thread cannot overlap them: past ~40 k rows/s the JSON must reach Arrow
without Python objects (e.g. DuckDB's read_json on the raw pages).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.pull_memory import _free_port, _wait

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "bench" / "plans" / "bench-dossiers-http.yaml"


def client(url: str) -> None:
    """Pull the benchmark plan's dossiers once; print the figures as key=value."""
    from tasks.plans import load_plan
    from tasks.sources import pull
    from tasks.sources.pull import pull_source

    typing_s = 0.0
    canonicalise = pull.canonicalise

    def timed_canonicalise(*args: object) -> int:  # the typing pass's share of pull_s
        nonlocal typing_s
        started = time.perf_counter()
        try:
            return canonicalise(*args)  # type: ignore[arg-type]
        finally:
            typing_s += time.perf_counter() - started

    pull.canonicalise = timed_canonicalise  # type: ignore[assignment]

    os.environ.update(PLAN06_BENCH_API_URL=url, PLAN06_BENCH_API_TOKEN="bench")
    plan = load_plan(PLAN)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        landed, _ = pull_source(plan, plan.datasets[0], "2026-10", Path(folder) / "b.parquet", {})
        seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"rows={landed.rows} http_rows_per_s={landed.rows / seconds:.0f}"
        f" peak_rss_mb={usage.ru_maxrss / 1024:.0f} pull_s={seconds:.2f}"
        f" typing_s={typing_s:.2f} client_cpu_s={usage.ru_utime + usage.ru_stime:.1f}"
    )


def _cpu_seconds(pid: int) -> float:
    """A process's CPU time so far (utime + stime): the server's share, whatever the load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(rows: int) -> str:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "simulator.bulk", "--rows", str(rows), "--port", str(port)],
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}/bulk"
    try:
        _wait(url)
        command = [sys.executable, "-m", "bench.http_speed", "--client", url]
        before = _cpu_seconds(server.pid)
        done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
        server_s = _cpu_seconds(server.pid) - before
        return f"{done.stdout.strip().splitlines()[-1]} server_cpu_s={server_s:.1f}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[200_000, 1_000_000])
    parser.add_argument("--client", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client(args.client)
        return
    for rows in args.rows:
        load = os.getloadavg()[0]  # the machine is shared: say how busy it was
        print(f"{measure(rows)} load_1m={load:.1f}", flush=True)


if __name__ == "__main__":
    main()
