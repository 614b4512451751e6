"""Soak: the main job in a loop, with the simulator's faults and random SIGKILLs (issue 16).

`make soak SOAK_MINUTES=N` (not part of `make test`): one clean run first; then,
for N minutes, `plan06 run --simulator-faults all` on a second data directory,
SIGKILLed at a random moment in about half of the runs; then one last run to
let it converge. The second warehouse must equal the clean one, and it prints:

    soak_minutes=.. runs=.. kills=.. partial=0 lost=0 duplicates=0 leaked_ids=0

partial: a current batch whose core rows are not all there; lost / duplicates:
core fact rows of the clean run missing, or a natural key twice; leaked_ids: a
citizen ID or owner name the simulator handed out, found in any warehouse text or
report file outside the landing area (the only place raw IDs may be).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

import duckdb

PERIODS = ["--period", "2026-10"]
FACTS = {  # core table: its natural key
    "dossiers": "plan_id, dossier_code",
    "land_parcels": "plan_id, parcel_id",
    "residence_records": "plan_id, record_id",
    "civil_status_registers": "plan_id, register_code",
    "judicial_records": "plan_id, unit_code, report_period",
}
PROVINCES = ("binh-duong", "dong-nai", "kien-giang")  # the seed plans' simulator provinces
ID_LIKE = re.compile(r"\d{9}|\d{12}")


def citizen_ids() -> set[str]:
    """Every CCCD/CMND and owner name the simulator hands out for the soak's periods: what
    must never be found outside the landing area (a byte count of 9 digits is no leak)."""
    from simulator.datasets import KINDS, generate_records
    from simulator.generator import generate_dossiers

    found: set[str] = set()
    for province in PROVINCES:
        for period in PERIODS[1::2]:
            records = generate_dossiers(province, period)
            records += [r for k in KINDS for r in generate_records(k, province, period)]
            for record in records:
                found |= {v for v in record.values() if isinstance(v, str) and ID_LIKE.fullmatch(v)}
                found |= {record["ChuHoSo"]} if record.get("ChuHoSo") else set()
    return found


def plan06(data: Path, faults: bool) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "PLAN06_"))}
    env |= {"PLAN06_DATA_DIR": str(data), "PLAN06_LANDING_RETENTION_DAYS": "0"}
    args = [str(Path(sys.executable).parent / "plan06"), "run", *PERIODS]
    args += ["--simulator-faults", "all"] if faults else []
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_to_end(data: Path, faults: bool) -> None:
    if plan06(data, faults).wait() != 0:
        raise SystemExit(f"plan06 run failed on {data}")


def facts(con: duckdb.DuckDBPyConnection) -> dict[str, set[tuple]]:
    return {t: set(con.execute(f"SELECT * EXCLUDE (batch_id) FROM core.{t}").fetchall())
            for t in FACTS}  # fmt: skip


def check(clean: Path, soaked: Path) -> dict[str, int]:
    with (
        duckdb.connect(str(clean / "plan06.duckdb"), read_only=True) as a,
        duckdb.connect(str(soaked / "plan06.duckdb"), read_only=True) as b,
    ):
        want, got = facts(a), facts(b)
        lost = sum(len(want[t] - got[t]) for t in FACTS)
        duplicates = sum(b.execute(f"SELECT count(*) - count(DISTINCT ({k})) FROM core.{t}")
                         .fetchone()[0] for t, k in FACTS.items())  # fmt: skip
        partial = sum(b.execute(
            f"SELECT count(*) FROM (SELECT batch_id, rows_published FROM ops.batches WHERE"
            f" status = 'published' AND dataset = ? QUALIFY row_number() OVER (PARTITION BY"
            f" plan_id, period ORDER BY finished_at DESC) = 1) AS last LEFT JOIN (SELECT"
            f" batch_id, count(*) AS n FROM core.{t} GROUP BY ALL) USING (batch_id)"
            f" WHERE coalesce(n, 0) <> rows_published", [t],
        ).fetchone()[0] for t in FACTS)  # fmt: skip
        ids = citizen_ids()
        return {"partial": partial, "lost": lost, "duplicates": duplicates,
                "leaked_ids": leaked_ids(b, ids) + leaked_files(soaked, ids)}  # fmt: skip


def _count(text: str, ids: set[str]) -> int:
    """IDs as whole numbers in the text, and owner names anywhere in it."""
    found = len(set(re.findall(r"\d+", text)) & ids)
    return found + len(_names(frozenset(i for i in ids if not i.isdigit())).findall(text))


@cache
def _names(names: frozenset[str]) -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)) or "(?!)")


def leaked_ids(con: duckdb.DuckDBPyConnection, ids: set[str]) -> int:
    columns = con.execute(
        "SELECT schema_name, table_name, column_name FROM duckdb_columns() WHERE"
        " database_name = current_database() AND schema_name IN ('core', 'marts', 'ops')"
        " AND data_type IN ('VARCHAR', 'JSON')"
    ).fetchall()
    found = 0
    for schema, table, column in columns:
        values = con.execute(f'SELECT DISTINCT "{column}"::VARCHAR FROM {schema}."{table}"')
        found += sum(_count(v, ids) for (v,) in values.fetchall() if v)
    return found


def leaked_files(data: Path, ids: set[str]) -> int:
    texts = [p for p in data.rglob("*") if p.suffix in (".html", ".json", ".md", ".txt", ".log")]
    return sum(_count(p.read_text(errors="replace"), ids) for p in texts
               if "landing" not in p.parts)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--data", type=Path, default=Path("data/soak"))
    parser.add_argument("--seed", type=int, default=16)
    options = parser.parse_args()
    rng, clean, soaked = random.Random(options.seed), options.data / "clean", options.data / "soak"
    run_to_end(clean, faults=False)
    deadline, runs, kills = time.monotonic() + options.minutes * 60, 0, 0
    while time.monotonic() < deadline:
        run, runs = plan06(soaked, faults=True), runs + 1
        if rng.random() < 0.5:  # kill the run alone: its Prefect server is the next run's job
            try:
                run.wait(timeout=rng.uniform(2, 45))
            except subprocess.TimeoutExpired:
                os.kill(run.pid, signal.SIGKILL)
                kills += 1
        run.wait()
    run_to_end(soaked, faults=True)  # converge: a rerun after a kill must match
    figures = check(clean, soaked)
    print(f"soak_minutes={options.minutes:g} runs={runs + 1} kills={kills} "
          + " ".join(f"{k}={v}" for k, v in figures.items()))  # fmt: skip
    sys.exit(1 if any(figures.values()) else 0)


if __name__ == "__main__":
    main()
