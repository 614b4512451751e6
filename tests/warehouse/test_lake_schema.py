"""The lake's schema equals the single file's: what makes stripping the keys safe."""

from __future__ import annotations

import re

import duckdb

from tasks.settings import load_settings
from warehouse.db import open_writer, setup_warehouse
from warehouse.schema import migrate, strip_keys

COLUMNS = (
    "SELECT schema_name, table_name, column_index, column_name, data_type, is_nullable,"
    # DuckLake keeps a default as text: 0 reads back as '0' (the same value once cast)
    " trim(coalesce(column_default, 'NULL'), '''') FROM duckdb_columns()"
    " WHERE database_name = current_database() ORDER BY schema_name, table_name, column_index"
)
TABLES = (
    "SELECT schema_name, table_name FROM duckdb_tables()"
    " WHERE database_name = current_database() ORDER BY ALL"
)
VIEWS = (
    "SELECT schema_name, view_name FROM duckdb_views()"
    " WHERE database_name = current_database() AND NOT internal ORDER BY ALL"
)


def test_every_table_and_view_has_the_same_columns_and_types_in_order(lake_env):
    single = duckdb.connect()
    migrate(single)
    settings = load_settings()
    setup_warehouse(settings)
    lake = open_writer(settings)
    try:
        for query in (TABLES, VIEWS, COLUMNS):
            assert lake.execute(query).fetchall() == single.execute(query).fetchall()
        assert len(single.execute(VIEWS).fetchall()) > 0  # views are compared, not skipped
    finally:
        lake.close()
        single.close()


def test_keys_are_stripped_inline_and_per_table_but_not_in_comments():
    sql = """
    -- PRIMARY KEY (plan_id) is mentioned here, in a comment
    CREATE TABLE a (id VARCHAR PRIMARY KEY, code VARCHAR UNIQUE, n INTEGER NOT NULL);
    /* a block comment, UNIQUE (x) */
    CREATE TABLE b (
        plan_id VARCHAR NOT NULL,
        period VARCHAR NOT NULL,
        unique_units INTEGER,
        PRIMARY KEY (plan_id, period)
    );
    CREATE TABLE c (k VARCHAR, CONSTRAINT c_key UNIQUE (k));
    """
    stripped = strip_keys(sql)
    assert not re.search(r"\bPRIMARY\b|\bUNIQUE\b", stripped, re.I)
    assert "id VARCHAR NOT NULL," in stripped  # a key column stays NOT NULL
    assert "unique_units INTEGER" in stripped  # a name containing the word is kept
    con = duckdb.connect()
    con.execute(stripped)
    assert con.execute("SELECT count(*) FROM duckdb_constraints() WHERE constraint_type IN"
                       " ('PRIMARY KEY', 'UNIQUE')").fetchone() == (0,)  # fmt: skip
