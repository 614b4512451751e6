"""Stage a landed batch into its own DuckDB file, typed and pseudonymised.

Each batch gets data/staging/<batch_id>.duckdb: Great Expectations validates
that file through its SQL engine, and publish reads it, so the warehouse is
untouched until the single publishing transaction.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tasks.load.pseudonym import padded_keys
from warehouse.models import model_sql


def stage_batch(landed: Path, staged: Path, key: bytes, model: str) -> int:
    """Build table `staged` of the staging file from the landed Parquet; returns its rows."""
    staged.parent.mkdir(parents=True, exist_ok=True)
    staged.unlink(missing_ok=True)
    ipad, opad = padded_keys(key)
    con = duckdb.connect(str(staged))
    try:
        con.execute(
            model_sql("staging", model),
            {"landed_path": str(landed), "hmac_ipad": ipad, "hmac_opad": opad},
        )
        (rows,) = con.execute("SELECT count(*) FROM staged").fetchone()
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return int(rows)
