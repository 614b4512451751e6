"""Errors of a pull, split by whether trying again can help."""

from __future__ import annotations


class SourceError(RuntimeError):
    """A pull failed; the message names plan, dataset and URL path, never a token."""


class TransientSourceError(SourceError):
    """429, 5xx, timeouts, resets: worth retrying later."""


class PermanentSourceError(SourceError):
    """401, 403, 404, a malformed page or schema: retrying will not help."""


def is_transient(exc: BaseException) -> bool:
    return isinstance(exc, TransientSourceError)


class IntegrityError(TransientSourceError):
    """Pages repeated or skipped: the whole pull is restarted, nothing is kept."""
