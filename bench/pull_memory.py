"""Peak memory of pulling dossiers over HTTP into landing: must stay flat.

For each size, a bulk simulator (simulator/bulk.py) runs in its own process
and a fresh client process pulls every page through the real HTTP source
(tasks/sources/http_api: client, retries, integrity checks, Parquet landing);
the client reports its own peak RSS (getrusage), so one size's peak cannot
leak into the next.

    make bench-pull          # 100 k, 1 M and 5 M dossiers
    python -m bench.pull_memory --sizes 1000000
"""

from __future__ import annotations

import argparse
import json
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tasks.datasets import dataset_kind
from tasks.sources.http_api import pull_to_landing
from tasks.sources.http_api.client import PageRequest
from tasks.sources.http_api.landing import RecordMapper
from tasks.sources.specs import Paginator

PAGE_SIZE = 1000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def client(url: str) -> None:
    """Pull everything into a temporary landing file; print rows, seconds, peak RSS."""
    with tempfile.TemporaryDirectory() as folder:
        paginator = Paginator(type="page_number", size_param="page_size",
                              total_records_path="total")  # fmt: skip
        request = PageRequest("bench/dossiers", url, "/api/v1/dossiers", "-",
                              {"period": "2026-10"}, paginator, PAGE_SIZE)  # fmt: skip
        kind = dataset_kind("dossiers")
        mapper = RecordMapper("bench/dossiers", {f: f for f in kind.field_names}, frozenset())
        started = time.monotonic()
        landed = pull_to_landing(request, Path(folder) / "batch.parquet", mapper,
                                 kind.field_names)  # fmt: skip
        seconds = time.monotonic() - started
        size = landed.path.stat().st_size
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"rows": landed.rows, "seconds": round(seconds, 1)}
    figures |= {"peak_rss_mb": round(peak_mb, 1), "parquet_mb": round(size / 2**20, 1)}
    print(json.dumps(figures))


def _wait(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/api/v1/dossiers", params={"page_size": 1}, trust_env=False)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("bulk simulator did not start")


def measure(rows: int) -> dict:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "simulator.bulk", "--rows", str(rows), "--port", str(port)]
    )
    url = f"http://127.0.0.1:{port}/bulk"
    try:
        _wait(url)
        out = subprocess.run(
            [sys.executable, "-m", "bench.pull_memory", "--client", url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return json.loads(out.strip().splitlines()[-1])
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000, 5_000_000])
    parser.add_argument("--client", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client(args.client)
        return
    print(f"{'dossiers':>10} {'seconds':>8} {'rows/s':>8} {'peak RSS MB':>12} {'parquet MB':>11}")
    for size in args.sizes:
        r = measure(size)
        print(
            f"{r['rows']:>10,} {r['seconds']:>8} {r['rows'] / r['seconds']:>8,.0f}"
            f" {r['peak_rss_mb']:>12} {r['parquet_mb']:>11}",
            flush=True,
        )


if __name__ == "__main__":
    main()
