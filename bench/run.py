"""`make bench`: plan06 against DuckDB's own limit and against the peer stack.

For each size (ROWS, default 1 M and 10 M) generate dossier file drops, CSV and
Parquet (bench/generate.py), then time on the same files, each step in its own
process so its peak memory is its own, REPS times (default 3), medians:
1. limit: DuckDB alone, CREATE TABLE AS SELECT * FROM read_csv / read_parquet;
2. plan06: the sync-plan flow on the drop (bench/plan06_path.py), CSV and Parquet,
   and, up to 1 M rows, as many of the simulator's dossiers through the HTTP source;
3. peer: dlt merge into DuckDB plus the same GX suite on pandas (bench/peer.py);
4. rerun: plan06 again on the unchanged CSV (measured by plan06_path.py).
Then Prefect's own cost per task (bench/prefect_overhead.py). Prints that, then
one line per size for the CSV drop and one for the Parquet drop, last, and writes
the figures to data/bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.generate import generate  # noqa: E402

BENCH_DIR = Path(os.environ.get("PLAN06_BENCH_DIR", ROOT / "data" / "bench"))
PERIOD = "2026-10"
REPS = int(os.environ.get("REPS", "3"))
# The HTTP source (JSON pages of 1,000) is far slower than a file drop: 10 M
# rows would take minutes a repetition, so it is timed up to this size
# (bench/http_speed.py times the pull alone).
HTTP_MAX_ROWS = 1_000_000


def measured(args: list[str]) -> tuple[dict[str, float], float]:
    """Run a bench step in a child; its key=value figures and its peak RSS in MB."""
    child = subprocess.Popen(
        [sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, cwd=ROOT,
    )  # fmt: skip
    assert child.stdout is not None
    out = child.stdout.read()
    # wait4, not wait: the child's own peak RSS (ru_maxrss, KiB on Linux)
    _, status, usage = os.wait4(child.pid, 0)
    if code := os.waitstatus_to_exitcode(status):
        raise RuntimeError(
            f"{' '.join(args)} failed with exit code {code}; run it alone to see why"
        )
    figures = {}
    for part in out.split():
        name, _, value = part.partition("=")
        try:
            figures[name] = float(value)
        except ValueError:
            continue
    return figures, usage.ru_maxrss / 1024


def median_of(label: str, args: list[str], key: str) -> tuple[float, float, dict[str, float]]:
    """Median of `key` over REPS runs, the largest peak RSS, the median run's figures."""
    runs = []
    for rep in range(1, REPS + 1):
        started = time.perf_counter()
        runs.append(measured(args))
        took = time.perf_counter() - started
        print(f"  {label} {rep}/{REPS}: {runs[-1][0][key]:.1f} s ({took:.0f} s with start-up)",
              file=sys.stderr)  # fmt: skip
    runs.sort(key=lambda r: r[0][key])
    middle = runs[len(runs) // 2]
    return statistics.median(r[0][key] for r in runs), max(r[1] for r in runs), middle[0]


def _pull_seconds(steps: dict[str, float], flow_s: float) -> float:
    """The HTTP pull task's own time (paging, mapping, landing, typing), else the flow's."""
    pulls = [v for k, v in steps.items() if k.startswith("step_pull")]
    return sum(pulls) if pulls else flow_s


def bench_size(rows: int) -> dict[str, float]:
    folder = BENCH_DIR / f"rows-{rows}"
    csv_path, parquet_path = folder / "dossiers.csv", folder / "dossiers.parquet"
    if not (csv_path.exists() and parquet_path.exists()):
        print(f"generating {rows:,} dossiers in {folder}", file=sys.stderr)
        generate(rows, PERIOD, folder)
    print(f"{rows:,} rows, {REPS} repetition(s) of each:", file=sys.stderr)
    limit_s, limit_mb, _ = median_of("limit csv", ["bench/limit.py", str(csv_path)], "seconds")
    limit_pq_s, _, _ = median_of("limit parquet", ["bench/limit.py", str(parquet_path)], "seconds")
    work = str(folder / "plan06")
    plan06_s, plan06_mb, steps = median_of(
        "plan06 csv", ["bench/plan06_path.py", str(csv_path), work, PERIOD], "plan06_s"
    )
    plan06_pq_s, plan06_pq_mb, pq_steps = median_of(
        "plan06 parquet", ["bench/plan06_path.py", str(parquet_path), work, PERIOD], "plan06_s"
    )
    http = {}
    if rows <= HTTP_MAX_ROWS:
        http_s, http_mb, http_steps = median_of(
            "plan06 http", ["bench/plan06_path.py", f"http:{rows}", work, PERIOD], "plan06_s"
        )
        http = {"plan06_http_s": http_s, "plan06_http_peak_rss_mb": http_mb}
        http |= {f"http_{k}": v for k, v in http_steps.items() if k.startswith("step_")}
        http["http_rows_per_s"] = rows / _pull_seconds(http_steps, http_s)
    peer_s, peer_mb, peer = median_of(
        "peer", ["bench/peer.py", str(csv_path), str(folder / "peer"), PERIOD], "peer_s"
    )
    return {
        "rows": rows,
        "plan06_s": plan06_s,
        "limit_s": limit_s,
        "peer_s": peer_s,
        "ratio_limit": plan06_s / limit_s,
        "ratio_peer": plan06_s / peer_s,
        "rerun_ratio": steps["rerun_s"] / plan06_s,
        "peak_rss_mb": plan06_mb,
        "plan06_parquet_s": plan06_pq_s,
        "limit_parquet_s": limit_pq_s,
        "ratio_limit_parquet": plan06_pq_s / limit_pq_s,
        "rerun_ratio_parquet": pq_steps["rerun_s"] / plan06_pq_s,
        "plan06_parquet_peak_rss_mb": plan06_pq_mb,
        "limit_peak_rss_mb": limit_mb,
        "peer_peak_rss_mb": peer_mb,
        "reps": REPS,
        **http,
        **{k: v for k, v in steps.items() if k != "plan06_s"},
        **{f"parquet_{k}": v for k, v in pq_steps.items() if k.startswith("step_")},
        **{k: v for k, v in peer.items() if k != "peer_s"},
    }


def line(r: dict[str, float]) -> str:
    return (
        f"rows={int(r['rows'])} plan06_s={r['plan06_s']:.1f} limit_s={r['limit_s']:.1f} "
        f"peer_s={r['peer_s']:.1f} ratio_limit={r['ratio_limit']:.2f} "
        f"ratio_peer={r['ratio_peer']:.2f} rerun_ratio={r['rerun_ratio']:.3f} "
        f"peak_rss_mb={r['peak_rss_mb']:.0f}"
        + (f" http_rows_per_s={r['http_rows_per_s']:.0f}" if "http_rows_per_s" in r else "")
    )


def parquet_line(r: dict[str, float]) -> str:
    """The same figures on the Parquet drop (the peer reads the CSV only: no ratio_peer)."""
    return (
        f"rows={int(r['rows'])} drop=parquet plan06_s={r['plan06_parquet_s']:.1f}"
        f" limit_s={r['limit_parquet_s']:.1f} ratio_limit={r['ratio_limit_parquet']:.2f}"
        f" rerun_ratio={r['rerun_ratio_parquet']:.3f}"
        f" peak_rss_mb={r['plan06_parquet_peak_rss_mb']:.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="a size (repeatable)")
    sizes = parser.parse_args().rows
    if not sizes:
        sizes = [int(os.environ["ROWS"])] if os.environ.get("ROWS") else [1_000_000, 10_000_000]
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    results = [bench_size(rows) for rows in sizes]
    print("Prefect's cost per task against a local server:", file=sys.stderr)
    overhead, _ = measured(["bench/prefect_overhead.py"])
    for r in results:
        r["prefect_overhead_ms_per_task"] = overhead["prefect_overhead_ms_per_task"]
    out = BENCH_DIR / "results.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"figures: {out}", file=sys.stderr)
    print(f"prefect_overhead_ms_per_task={overhead['prefect_overhead_ms_per_task']:.1f}")
    for r in results:
        print(line(r))
    for r in results:
        print(parquet_line(r))


if __name__ == "__main__":
    main()
