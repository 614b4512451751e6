"""Stage a landed batch into its own DuckDB file, typed and pseudonymised.

Each batch gets data/staging/<batch_id>.duckdb: Great Expectations validates
that file through its SQL engine, and publish reads it, so the warehouse is
untouched until the single publishing transaction.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tasks.datasets import DatasetKind
from tasks.load.pseudonym import padded_keys
from tasks.load.staging_sql import staging_sql, uses_pseudonym_key
from tasks.private_files import private_dir, private_file
from tasks.settings import duckdb_config

# The staging models read `landed`: the landing file with every row numbered
# and referenced. Rows a reader numbered itself keep their _row (the same as
# their position); rows DuckDB copied in bulk (file_drop/bulk.py) take their
# position in the file, and their reference ("name:" or "name:row ") gains
# their line or row within their file.
LANDED_VIEW = """
CREATE TEMP VIEW landed AS
-- A malformed CSV line is landed after its file's rows with its own line:
-- the k-th good row comes after the i-th such line (r_i) when r_i - i <= k.
WITH malformed AS (
    SELECT _page, split_part(_source, ':', -1)::BIGINT
        - row_number() OVER (PARTITION BY _page ORDER BY file_row_number) AS rank_key
    FROM read_parquet({path}, file_row_number = true)
    WHERE _row IS NULL AND _defect IS NOT NULL
        AND NOT ends_with(_source, ':') AND NOT ends_with(_source, ':row ')
),
counted AS (
    SELECT *, file_row_number - ({first_row}) + 1 AS k,
        _row IS NULL AND (ends_with(_source, ':') OR ends_with(_source, ':row '))
        AS numbered_here
    FROM read_parquet({path}, file_row_number = true)
)
SELECT c.* EXCLUDE (file_row_number, numbered_here, k) REPLACE (
    coalesce(c._row, c.file_row_number + 1) AS _row,
    -- "name:" is a CSV line (the header is line 1), "name:row " a Parquet row
    CASE WHEN c.numbered_here AND ends_with(c._source, ':')
            THEN c._source || (c.k + 1 {malformed_before})::VARCHAR
        WHEN c.numbered_here THEN c._source || c.k::VARCHAR
        ELSE c._source END AS _source
)
FROM counted AS c
"""
MALFORMED_BEFORE = """+ (SELECT count(*) FROM malformed AS m
    WHERE m._page = c._page AND m.rank_key <= c.k)"""
# Where each bulk file's rows start, and whether any file had malformed lines:
# asked first (two narrow scans) so the view above needs no join.
BULK_PAGES = """
SELECT _page, min(file_row_number),
    count(*) FILTER (_defect IS NOT NULL AND NOT ends_with(_source, ':')
        AND NOT ends_with(_source, ':row ')) > 0
FROM read_parquet({path}, file_row_number = true)
WHERE _row IS NULL GROUP BY _page
"""


def landed_view(con: duckdb.DuckDBPyConnection, landed: Path) -> None:
    """Create the temp view `landed` over the landing file (LANDED_VIEW)."""
    path = "'" + str(landed).replace("'", "''") + "'"  # a view takes no parameters
    pages = con.execute(BULK_PAGES.format(path=path)).fetchall()
    first_row = " ".join(f"WHEN {page} THEN {first}" for page, first, _ in pages)
    con.execute(
        LANDED_VIEW.format(
            path=path,
            first_row=f"CASE _page {first_row} END" if pages else "NULL",
            # left out when there is none: DuckDB would still group every row for it
            malformed_before=MALFORMED_BEFORE if any(bad for _, _, bad in pages) else "",
        )
    )


def stage_batch(landed: Path, staged: Path, key: bytes, kind: DatasetKind) -> int:
    """Build table `staged` of the staging file from the landed Parquet; returns its rows."""
    private_dir(staged.parent)
    staged.unlink(missing_ok=True)
    ipad, opad = padded_keys(key)
    con = duckdb.connect(str(staged), config=duckdb_config())
    try:
        con.execute("SET enable_progress_bar = false")  # it would land in the task's log
        landed_view(con, landed)
        params = {"hmac_ipad": ipad, "hmac_opad": opad} if uses_pseudonym_key(kind) else None
        con.execute(staging_sql(kind), params)
        con.execute("DROP VIEW landed")
        (rows,) = con.execute("SELECT count(*) FROM staged").fetchone()
        con.execute("CHECKPOINT")
    finally:
        con.close()
    private_file(staged)
    return int(rows)
