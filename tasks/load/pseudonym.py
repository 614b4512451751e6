"""Keyed pseudonyms for citizen IDs (HMAC-SHA256).

A CCCD has only about 10^6 possible values once province, year and sex are
known, so a plain hash is reversed in under a second; a keyed HMAC is not,
as long as the key stays out of the warehouse, Prefect and logs. DuckDB has
sha256 but no hmac function, so staging computes HMAC from its definition,
H((K ^ opad) || H((K ^ ipad) || m)), with the two padded keys passed as
parameters: the ID is pseudonymised inside the same query that reads it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from pydantic import SecretStr

from tasks.settings import DEMO_PSEUDONYM_KEY

_BLOCK = 64  # SHA-256 block size in bytes
logger = logging.getLogger(__name__)


class MissingPseudonymKeyError(RuntimeError):
    """No key: the job refuses to store anything derived from citizen IDs."""


def resolve_key(configured: SecretStr | None, demo: bool) -> bytes:
    """The HMAC key: PLAN06_PSEUDONYM_KEY, or the public demo key on the simulator only."""
    if configured is not None:
        key = configured.get_secret_value().encode()
        if not demo and hmac.compare_digest(key, DEMO_PSEUDONYM_KEY.encode()):
            raise MissingPseudonymKeyError(
                "PLAN06_PSEUDONYM_KEY is the public demo key: pseudonyms made with it are "
                "reversible. Set a random key (e.g. `openssl rand -hex 32`)."
            )
        if len(key) < 32:
            raise MissingPseudonymKeyError("PLAN06_PSEUDONYM_KEY must be at least 32 bytes")
        return key
    if demo:
        return DEMO_PSEUDONYM_KEY.encode()
    raise MissingPseudonymKeyError(
        "PLAN06_PSEUDONYM_KEY is not set: plan06 will not store citizen-ID pseudonyms "
        "made with the public demo key outside the simulator. Set a random key of at "
        "least 32 bytes (e.g. `openssl rand -hex 32`) in the environment."
    )


def padded_keys(key: bytes) -> tuple[bytes, bytes]:
    """(K ^ ipad, K ^ opad) for the SQL HMAC."""
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def pseudonym(key: bytes, citizen_id: str) -> str:
    """The same pseudonym in Python (tests and one-off lookups)."""
    return hmac.new(key, citizen_id.encode(), hashlib.sha256).hexdigest()
