"""SQL models by layer: staging (per batch), marts (per plan)."""

from __future__ import annotations

from pathlib import Path

MODELS_DIR = Path(__file__).parent


def model_sql(layer: str, name: str) -> str:
    """The text of warehouse/models/<layer>/<name>.sql."""
    return (MODELS_DIR / layer / f"{name}.sql").read_text(encoding="utf-8")
