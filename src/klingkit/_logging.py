"""The ``klingkit`` logger: silent by default, switched on by ``KLINGKIT_LOG=debug|info``.

Secrets never reach a record: a filter scrubs bearer tokens and JWTs from every message and argument, and
URLs are logged without their (signed) query strings.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from . import _constants as C

__all__ = ["RedactingFilter", "logger", "redact", "redact_headers", "setup_from_env", "trim_url"]

logger = logging.getLogger("klingkit")
logger.addHandler(logging.NullHandler())

_BEARER = re.compile(r"(?i)(bearer\s+)[^\s'\",]+")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}")
_SENSITIVE = frozenset({"authorization", "cookie", "set-cookie", "x-api-key", "proxy-authorization"})


def trim_url(url: str) -> str:
    """``url`` without its query string and fragment (signed CDN URLs carry credentials there)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable url>"
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with bearer tokens, JWTs and any of ``secrets`` replaced by ``[redacted]``."""
    text = _BEARER.sub(r"\1[redacted]", text)
    text = _JWT.sub("[redacted-jwt]", text)
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
    return text


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``headers`` with Authorization (and cookies) replaced by ``[redacted]``."""
    return {k: ("[redacted]" if k.lower() in _SENSITIVE else v) for k, v in headers.items()}


class RedactingFilter(logging.Filter):
    """Scrubs tokens from a record's message and string arguments; attached to the klingkit logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, Mapping):
            record.args = {k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True


logger.addFilter(RedactingFilter())
_configured = False


def setup_from_env(env: Mapping[str, str] | None = None) -> None:
    """Attach a stderr handler when ``KLINGKIT_LOG`` is ``debug`` or ``info`` (once per process).

    Does nothing when the application already configured handlers for ``klingkit``; never touches the
    ``httpx`` logger.
    """
    global _configured
    env = os.environ if env is None else env
    level_name = env.get(C.ENV_LOG, "").strip().lower()
    if _configured or level_name not in ("debug", "info"):
        return
    _configured = True
    if any(not isinstance(h, logging.NullHandler) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s klingkit %(levelname)s %(message)s"))
    handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if level_name == "debug" else logging.INFO)


def debug_enabled() -> bool:
    """Whether DEBUG records would be emitted (skip building them otherwise)."""
    return logger.isEnabledFor(logging.DEBUG)


def log(level: int, msg: str, *args: Any) -> None:
    """Log through the klingkit logger (which redacts)."""
    logger.log(level, msg, *args)
