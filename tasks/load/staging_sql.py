"""The staging model of a kind, generated from its contract (warehouse/datasets/<kind>.yaml).

Staging reads the canonical landed batch (`landed`, already typed, defaults
applied: see tasks/sources/canonical.py), so it only renames, computes
the kind's `derived` columns, numbers repeated keys and replaces each citizen
ID with its keyed HMAC-SHA256 pseudonym ($hmac_ipad/$hmac_opad are the padded
key, tasks/load/pseudonym.py): the raw ID never leaves this query. Every kind
gets the same shape, the way a dbt macro gives every model the same cast.
"""

from __future__ import annotations

from tasks.datasets import SQL_TYPES, DatasetKind, KindField

# HMAC-SHA256 from its definition: DuckDB has sha256 but no hmac.
PSEUDONYM = (
    "CASE WHEN {id} <> '' THEN sha256($hmac_opad::BLOB"
    " || unhex(sha256($hmac_ipad::BLOB || encode({id})))) END"
)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _column(f: KindField) -> str:
    # defaults are applied when landing (canonical_sql.py): missing, not unreadable
    value = _q(f.name)
    if f.type in ("flag", "int"):  # landed 0/1 and BIGINT; staged as the contract's types
        value = f"({value})::{SQL_TYPES[f.type]}"
    return f"{value} AS {f.as_}"


def _repeated_keys(kind: DatasetKind) -> str:
    """(row_number, key_copy) of the rows whose key is repeated: 1 is the copy kept.

    Numbered on a narrow projection of the keys that repeat only: a window over
    every staged row carries every column through its sort (at 1 M rows it was
    a third of staging), and almost every key is unique."""
    keys = ", ".join(kind.key)
    order = f"{kind.latest_by} DESC NULLS LAST, row_number" if kind.latest_by else "row_number DESC"
    present = " AND ".join(f"{k} IS NOT NULL" for k in kind.key)
    return (
        f"SELECT row_number, row_number() OVER (PARTITION BY {keys} ORDER BY {order}) AS key_copy"
        f" FROM derived WHERE {present} AND ({keys}) IN"
        f" (SELECT ({keys}) FROM derived WHERE {present} GROUP BY ALL HAVING count(*) > 1)"
    )


def uses_pseudonym_key(kind: DatasetKind) -> bool:
    return bool(kind.of_type("citizen_id"))


def staging_sql(kind: DatasetKind) -> str:
    """CREATE TABLE staged AS ... for one batch of the kind."""
    renamed = ",\n        ".join(_column(f) for f in kind.fields)
    derived = "".join(f",\n        {sql.strip()} AS {name}" for name, sql in kind.derived.items())
    hidden = [f.as_ for f in kind.fields if f.type in ("citizen_id", "json") or not f.keep]
    pseudonyms = "".join(
        f",\n    {PSEUDONYM.format(id=f.as_)} AS {f.as_}_pseudonym"
        for f in kind.of_type("citizen_id")
    )
    exclude = f" EXCLUDE ({', '.join(hidden)})" if hidden else ""
    return f"""-- Grain: one landed {kind.id} row of one batch (generated from its kind contract).
CREATE TABLE staged AS
WITH renamed AS NOT MATERIALIZED (
    SELECT
        _row AS row_number,
        _source AS source_ref,
        _defect AS parse_defect,
        {renamed}
    FROM landed
),

derived AS NOT MATERIALIZED (
    SELECT *{derived}
    FROM renamed
),

repeated AS (
    {_repeated_keys(kind)}
)

-- 1 for the copy of a repeated key that is kept (and every unique key), 2.. for the others
SELECT
    derived.*{exclude}{pseudonyms},
    coalesce(repeated.key_copy, 1) AS key_copy
FROM derived
LEFT JOIN repeated USING (row_number)
"""
