"""Load the DuckLake and postgres extensions from their PyPI packages.

There is no network here but the package registries, so `INSTALL ducklake`
(which downloads from DuckDB's extension site) is not an option: the binaries
come from `duckdb-extension-ducklake` and `duckdb-extension-postgres`, pinned
to the duckdb build in pyproject.toml. A binary loads only into the exact
duckdb version it was built for, hence the check with one sentence.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

import duckdb

# extension name -> (Python package, file in the package, name DuckDB requires)
# The postgres package ships postgres.duckdb_extension, but DuckDB derives the
# entry point from the file name and only loads it as postgres_scanner.
EXTENSIONS = {
    "postgres": ("duckdb_extension_postgres", "postgres.duckdb_extension", "postgres_scanner"),
    "ducklake": ("duckdb_extension_ducklake", "ducklake.duckdb_extension", "ducklake"),
    "httpfs": ("duckdb_extension_httpfs", "httpfs.duckdb_extension", "httpfs"),  # s3:// only
}
# the standard AWS variables -> DuckDB's S3 secret parameters
S3_SECRET_FROM_ENV = {
    "AWS_ACCESS_KEY_ID": "KEY_ID",
    "AWS_SECRET_ACCESS_KEY": "SECRET",
    "AWS_SESSION_TOKEN": "SESSION_TOKEN",
    "AWS_REGION": "REGION",
    "AWS_ENDPOINT_URL": "ENDPOINT",  # an S3-compatible store (MinIO, Ceph): host[:port]
}


class ExtensionMismatchError(RuntimeError):
    """An extension binary was built for another duckdb version than the one installed."""


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionMismatchError(
            f"the Python package {package.replace('_', '-')} is not installed: install the"
            f" version pinned in pyproject.toml (the same as duckdb {duckdb.__version__})."
        )
    return Path(next(iter(spec.submodule_search_locations)))


def check_versions(duckdb_version: str, package: str, built_for: list[str]) -> None:
    """Raise the one-sentence error unless the package has a build for duckdb_version."""
    if f"v{duckdb_version}" in built_for:
        return
    found = ", ".join(sorted(built_for)) or "no version"
    dist = package.replace("_", "-")
    raise ExtensionMismatchError(
        f"duckdb {duckdb_version} is installed but {dist} carries extensions built for"
        f" {found}: pin duckdb and {dist} to the same version (pyproject.toml pins both)."
    )


def extension_file(name: str, duckdb_version: str | None = None) -> Path:
    """The package's binary of extension `name` for this duckdb (checked)."""
    package, filename, _ = EXTENSIONS[name]
    version = duckdb_version or duckdb.__version__
    root = _package_dir(package) / "extensions"
    built_for = [p.name for p in root.iterdir() if p.is_dir()] if root.is_dir() else []
    check_versions(version, package, built_for)
    return root / f"v{version}" / filename


def _loadable(name: str) -> Path:
    """A path whose file name DuckDB accepts; the symlink is made atomically
    (workers start at once and race here), once per duckdb version."""
    source = extension_file(name)
    wanted = EXTENSIONS[name][2] + ".duckdb_extension"
    if source.name == wanted:
        return source
    cache = Path(tempfile.gettempdir()) / f"plan06-duckdb-extensions-{os.getuid()}"
    target = cache / f"v{duckdb.__version__}" / wanted
    if target.exists() and target.resolve() == source.resolve():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{wanted}.{os.getpid()}")
    partial.unlink(missing_ok=True)
    partial.symlink_to(source)
    os.replace(partial, target)  # atomic: a racing worker sees the old link or the new one
    return target


def load_lake_extensions(con: duckdb.DuckDBPyConnection, s3: bool = False) -> None:
    """LOAD postgres (the catalog's client) then ducklake into this connection;
    with s3, httpfs too and an S3 secret from the AWS_* environment variables."""
    for name in ("postgres", "ducklake", *(["httpfs"] if s3 else [])):
        con.execute(f"LOAD '{_loadable(name)}'")
    if s3:
        params = [f"{key} '{os.environ[var].replace(chr(39), chr(39) * 2)}'"
                  for var, key in S3_SECRET_FROM_ENV.items() if os.environ.get(var)]  # fmt: skip
        if "AWS_ENDPOINT_URL" in os.environ:
            params.append("URL_STYLE 'path'")
        try:
            con.execute(
                f"CREATE OR REPLACE SECRET plan06_s3 (TYPE s3{''.join(', ' + p for p in params)})"
            )
        except duckdb.Error:  # its text may quote the statement, keys included
            raise RuntimeError(
                "DuckDB refused the S3 secret made from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,"
                " AWS_REGION and AWS_ENDPOINT_URL: check their values."
            ) from None
