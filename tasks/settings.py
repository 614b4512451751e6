"""The only place that reads the environment.

Every knob of plan06 is an environment variable (or a Prefect Secret block for
secrets in a deployment); everything else receives a `Settings` value. The
defaults are the embedded ones: a DuckDB file under `data/`, the bundled
simulator, dry-run Slack. See the README's configuration reference.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, SecretStr

from tasks.warehouse_target import (  # noqa: F401  (importers name them from here)
    DUCKLAKE_PREFIX,
    WarehouseConfigError,
    WarehouseTarget,
    mask_dsn,
    warehouse_target,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Telemetry must be off before prefect or great_expectations are imported:
# there is no network here but the package registries, and a telemetry call
# to an unreachable host only makes every run wait.
for _name, _value in {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
}.items():
    os.environ.setdefault(_name, _value)

# The key that pseudonymises citizen IDs in the demo. It is public, so it is
# accepted only when the job runs on the embedded simulator.
DEMO_PSEUDONYM_KEY = "plan06-demo-key-not-for-production-use-0000000000000000"


DEFAULT_WAREHOUSE_WAIT_SECONDS = 600.0


class Settings(BaseModel):
    """Resolved configuration of one process."""

    model_config = ConfigDict(frozen=True)

    data_dir: Path
    warehouse: WarehouseTarget
    plans_dir: Path
    expectations_dir: Path
    slack_bot_token: SecretStr | None
    slack_api_url: str | None
    pseudonym_key: SecretStr | None
    language: str
    prefect_ui_url: str | None
    reports_url: str | None = None  # where data/reports/ is served (validation reports)
    digest_channel: str | None = None  # Slack channel of the leads' weekly digest
    landing_retention_days: int = 7  # raw landing kept after publish; 0 = purge at once
    # how long a writer waits for another process holding the single file
    warehouse_wait_seconds: float = DEFAULT_WAREHOUSE_WAIT_SECONDS
    # DuckLake: how far back time travel reaches; `plan06 db maintain` expires older snapshots
    lake_snapshot_days: int = 7

    @property
    def warehouse_path(self) -> Path:
        """The single file's path; code that means 'the warehouse' uses open_writer/open_reader."""
        if self.warehouse.path is None:
            raise ValueError(
                f"the warehouse is {self.warehouse.describe()}, not a file: this code path"
                " supports the single-file backend only (open it with warehouse.db.open_writer)."
            )
        return self.warehouse.path

    @property
    def landing_dir(self) -> Path:
        return self.data_dir / "landing"

    @property
    def staging_dir(self) -> Path:
        return self.data_dir / "staging"

    @property
    def reports_dir(self) -> Path:
        """Static HTML reports and GX Data Docs (what PLAN06_REPORTS_URL serves)."""
        return self.data_dir / "reports"


def _path(name: str, default: Path) -> Path:
    return Path(os.environ.get(name) or default).expanduser()


def _secret(name: str) -> SecretStr | None:
    value = os.environ.get(name)
    return SecretStr(value) if value else None


def load_settings() -> Settings:
    """Read the environment now (tests change it between calls)."""
    data_dir = _path("PLAN06_DATA_DIR", PROJECT_ROOT / "data")
    return Settings(
        data_dir=data_dir,
        warehouse=warehouse_target(data_dir),
        plans_dir=_path("PLAN06_PLANS_DIR", PROJECT_ROOT / "flows" / "plans"),
        expectations_dir=_path("PLAN06_EXPECTATIONS_DIR", PROJECT_ROOT / "expectations"),
        slack_bot_token=_secret("SLACK_BOT_TOKEN"),
        slack_api_url=os.environ.get("SLACK_API_URL") or None,
        pseudonym_key=_secret("PLAN06_PSEUDONYM_KEY"),
        language=os.environ.get("PLAN06_LANGUAGE", "vi"),
        prefect_ui_url=os.environ.get("PREFECT_UI_URL") or None,
        reports_url=os.environ.get("PLAN06_REPORTS_URL") or None,
        digest_channel=os.environ.get("PLAN06_DIGEST_CHANNEL") or None,
        landing_retention_days=_days("PLAN06_LANDING_RETENTION_DAYS", 7),
        warehouse_wait_seconds=_seconds(
            "PLAN06_WAREHOUSE_WAIT_SECONDS", DEFAULT_WAREHOUSE_WAIT_SECONDS
        ),
        lake_snapshot_days=_days("PLAN06_LAKE_SNAPSHOT_DAYS", 7),
    )


# DuckDB takes 80% of the machine's memory by default, and at 10 M rows its
# staging, validation and publishing queries used up to 14 GB. With a limit it
# spills to disk instead (a little slower): the whole run stays under 2 GB.
DEFAULT_DUCKDB_MEMORY_LIMIT = "1GB"


def duckdb_config() -> dict[str, str]:
    """Settings of every DuckDB connection plan06 opens (PLAN06_DUCKDB_MEMORY_LIMIT)."""
    limit = os.environ.get("PLAN06_DUCKDB_MEMORY_LIMIT", "").strip() or DEFAULT_DUCKDB_MEMORY_LIMIT
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", limit, re.IGNORECASE):
        raise WarehouseConfigError(
            f"PLAN06_DUCKDB_MEMORY_LIMIT={limit!r}: expected a size such as 1GB or 512MB"
        )
    return {"memory_limit": limit}


def _days(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise WarehouseConfigError(f"{name}={text!r}: expected a whole number of days (0 or more)")
    return int(text)


def _seconds(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value < 0:
        raise ValueError(f"{name}={text!r}: expected a number of seconds (0 or more)")
    return value


def env_value(name: str) -> str | None:
    """A value a plan file names by its variable (source URLs and tokens)."""
    return os.environ.get(name) or None


@cache
def warned_demo_key() -> bool:
    """Remember we warned once that the demo pseudonym key is in use."""
    return True
