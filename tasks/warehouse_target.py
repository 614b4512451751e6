"""Where the warehouse lives, read from PLAN06_WAREHOUSE and PLAN06_LAKE_DATA_PATH.

A file path selects the single DuckDB file (the default); ducklake:postgres:<libpq
DSN> selects DuckLake with its catalog in PostgreSQL. The DSN may carry a
password: it is a SecretStr, and every message shows it through mask_dsn.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, SecretStr

DUCKLAKE_PREFIX = "ducklake:postgres:"


def mask_dsn(text: str) -> str:
    """The text with every catalog password hidden (key/value DSNs and URLs)."""
    text = re.sub(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", r"\1***", text, flags=re.I)
    return re.sub(r"(://[^:/@\s]+:)[^@\s]+@", r"\1***@", text)


class WarehouseConfigError(ValueError):
    """PLAN06_WAREHOUSE / PLAN06_LAKE_DATA_PATH cannot be used as set."""


class WarehouseTarget(BaseModel):
    """Where the warehouse lives: one DuckDB file, or DuckLake (PostgreSQL catalog + data path)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["file", "ducklake"]
    path: Path | None = None  # kind == "file"
    dsn: SecretStr | None = None  # kind == "ducklake": libpq DSN of the catalog
    data_path: str | None = None  # kind == "ducklake": folder or s3:// URL of the Parquet files

    @property
    def is_lake(self) -> bool:
        return self.kind == "ducklake"

    def describe(self) -> str:
        """What to name in messages: the file, or the lake with its password masked."""
        if self.kind == "file":
            return str(self.path)
        dsn = self.dsn.get_secret_value() if self.dsn else ""
        return f"DuckLake {mask_dsn(dsn)!r} (data {self.data_path})"


def warehouse_target(data_dir: Path) -> WarehouseTarget:
    """PLAN06_WAREHOUSE: a file path (default data/plan06.duckdb), or
    ducklake:postgres:<libpq DSN> together with PLAN06_LAKE_DATA_PATH."""
    value = os.environ.get("PLAN06_WAREHOUSE", "").strip()
    if not value.startswith("ducklake:"):
        return WarehouseTarget(
            kind="file", path=Path(value or data_dir / "plan06.duckdb").expanduser()
        )
    if not value.startswith(DUCKLAKE_PREFIX) or not value[len(DUCKLAKE_PREFIX) :].strip():
        raise WarehouseConfigError(
            f"PLAN06_WAREHOUSE={mask_dsn(value)!r}: a DuckLake warehouse is written"
            " ducklake:postgres:<libpq DSN> (e.g. ducklake:postgres:dbname=lake host=db)."
        )
    data_path = os.environ.get("PLAN06_LAKE_DATA_PATH", "").strip()
    if not data_path:
        raise WarehouseConfigError(
            "PLAN06_WAREHOUSE names a DuckLake but PLAN06_LAKE_DATA_PATH is unset: set it to the"
            " folder (or s3:// URL) every worker sees, where the lake keeps its Parquet files."
        )
    if "://" not in data_path:
        data_path = str(Path(data_path).expanduser().resolve()) + "/"
    dsn = SecretStr(value[len(DUCKLAKE_PREFIX) :].strip())
    return WarehouseTarget(kind="ducklake", dsn=dsn, data_path=data_path)
