"""Kling's error answer: an HTTP status and a business ``code`` from the catalog's table."""

from __future__ import annotations

from klingkit.catalog import ERROR_CODES


class KlingFailure(Exception):
    """Raised anywhere in a request; the app turns it into ``{"code", "message", "request_id"}``.

    The HTTP status comes from the catalog's error table (``1303`` -> 429), so it cannot drift from the
    documented pairing.
    """

    def __init__(self, code: int, message: str | None = None) -> None:
        status, meaning = ERROR_CODES[code]
        super().__init__(message or meaning)
        self.code = code
        self.status = status
        self.message = message or meaning


def invalid(message: str) -> KlingFailure:
    """A 400/1201 "invalid parameters" failure with ``message`` saying which field and why."""
    return KlingFailure(1201, message)


def not_found(message: str = "The requested resource does not exist") -> KlingFailure:
    """A 404/1203 failure (unknown task, model or video)."""
    return KlingFailure(1203, message)
