"""The physical limit: DuckDB alone, CREATE TABLE AS SELECT * FROM read_csv(...)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import duckdb


def main() -> None:
    source = Path(sys.argv[1])
    reader = "read_parquet" if source.suffix == ".parquet" else "read_csv"
    with tempfile.TemporaryDirectory() as folder:
        con = duckdb.connect(str(Path(folder) / "limit.duckdb"))
        con.execute("SET enable_progress_bar = false")
        started = time.perf_counter()
        con.execute(f"CREATE TABLE dossiers AS SELECT * FROM {reader}(?)", [str(source)])
        con.execute("CHECKPOINT")
        seconds = time.perf_counter() - started
        con.close()
    print(f"seconds={seconds:.3f}")


if __name__ == "__main__":
    main()
