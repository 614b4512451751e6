"""Replace a few small configuration tables (scoring, progress) only when they differ.

Every marts refresh syncs them from their YAML. Rewriting them each time made
every two publishes that overlap on DuckLake conflict on these tables (both
delete the same rows: one is rolled back and retried), and on a fresh lake,
where they start empty, two first publishes each deleted nothing and both
inserted: every row twice, so a group's points counted twice. Written only
when the rows differ, and `plan06 setup` fills them, so neither happens: a
lead's edit of the YAML is still the next refresh's rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import duckdb


def replace_rows(con: duckdb.DuckDBPyConnection, wanted: Mapping[str, Sequence[Sequence]]) -> bool:
    """Make each table hold exactly its rows (caller's transaction); True if written."""
    if all(_holds(con, table, rows) for table, rows in wanted.items()):
        return False
    for table, rows in wanted.items():
        con.execute(f"DELETE FROM {table}")
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            con.executemany(f"INSERT INTO {table} VALUES ({marks})", [list(r) for r in rows])
    return True


def _holds(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Sequence]) -> bool:
    # a multiset of tuples: 2 == 2.0 in Python, so an INTEGER read back equals the
    # number given; a value that does not compare equal only costs a rewrite
    stored = con.execute(f"SELECT * FROM {table}").fetchall()
    return Counter(stored) == Counter(tuple(r) for r in rows)
