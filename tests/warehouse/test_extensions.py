"""The extension binaries come from their packages; a version mismatch is one sentence."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.extensions import (
    ExtensionMismatchError,
    check_versions,
    extension_file,
    load_lake_extensions,
)


def test_a_mismatch_names_both_versions_and_what_to_pin():
    with pytest.raises(ExtensionMismatchError) as caught:
        check_versions("1.5.6", "duckdb_extension_ducklake", ["v1.5.5"])
    assert str(caught.value) == (
        "duckdb 1.5.6 is installed but duckdb-extension-ducklake carries extensions built for"
        " v1.5.5: pin duckdb and duckdb-extension-ducklake to the same version"
        " (pyproject.toml pins both)."
    )


def test_the_installed_packages_match_the_installed_duckdb():
    assert extension_file("ducklake").exists() and extension_file("postgres").exists()
    with pytest.raises(ExtensionMismatchError, match=r"duckdb 9\.9\.9 is installed but"):
        extension_file("postgres", duckdb_version="9.9.9")  # as if duckdb had been upgraded alone
    con = duckdb.connect()
    load_lake_extensions(con)
    load_lake_extensions(con)  # twice (every opening does it): the cached link is reused
    loaded = con.execute(
        "SELECT extension_name FROM duckdb_extensions() WHERE loaded ORDER BY 1"
    ).fetchall()
    assert {("ducklake",), ("postgres_scanner",)} <= set(loaded)
