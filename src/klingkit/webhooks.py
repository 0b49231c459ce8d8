"""Kling callbacks: Standard Webhooks signatures and the two payload shapes.

Since 2026 Kling signs callbacks the Standard Webhooks way (reference §5, test vector in A.12)::

    webhook-id: 9876543210
    webhook-timestamp: 1781080794                      (Unix seconds)
    webhook-signature: v1,<base64 HMAC-SHA256>          (space-separated list while a secret rotates)

The signed content is ``"{webhook-id}.{webhook-timestamp}.{raw body}"`` and the HMAC key is the base64
decoding of the secret without its ``whsec_`` prefix.

Use :func:`verify` on the *raw* request body before parsing it, then :func:`parse_callback` to read it.
Treat the parsed task as a hint: fetch the task by id before acting on it (``client.tasks.get(task.id)``),
and remember ``webhook-id`` values to ignore replays. :mod:`klingkit.jobs.receiver` does all of this.

Secrets never appear in error messages.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._exceptions import WebhookVerificationError

if TYPE_CHECKING:
    from ._models import Task

__all__ = [
    "DEFAULT_TOLERANCE",
    "WebhookVerificationError",
    "callback_ids",
    "check_secret",
    "parse_callback",
    "sign",
    "sign_headers",
    "verify",
]

DEFAULT_TOLERANCE = 300  # seconds; Kling: reject when |now - webhook-timestamp| > 5 minutes
_SECRET_PREFIX = "whsec_"


def _key(secret: str) -> bytes:
    raw = secret[len(_SECRET_PREFIX) :] if secret.startswith(_SECRET_PREFIX) else secret
    try:
        return base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        # Never echo the secret itself.
        raise ValueError("webhook secret is not valid base64 (expected 'whsec_<base64>')") from None


def check_secret(secret: str) -> None:
    """Raise ValueError (never echoing the secret) unless ``secret`` is a usable ``whsec_<base64>`` key."""
    _key(secret)


def sign(body: bytes, secret: str, *, msg_id: str, timestamp: int) -> str:
    """The ``webhook-signature`` value (``v1,<base64>``) for ``body`` sent at ``timestamp`` (Unix seconds)."""
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def sign_headers(
    body: bytes, secret: str, *, msg_id: str | None = None, timestamp: int | None = None
) -> dict[str, str]:
    """The three Standard Webhooks headers for ``body``, as a sender (or a test) would set them.

    ``msg_id`` defaults to a random id and ``timestamp`` (Unix seconds) to now.
    """
    if msg_id is None:
        msg_id = (
            "msg_"
            + base64.b32encode(hashlib.sha256(body + str(time.time_ns()).encode()).digest())[:26]
            .decode("ascii")
            .lower()
        )
    if timestamp is None:
        timestamp = int(time.time())
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(body, secret, msg_id=msg_id, timestamp=timestamp),
    }


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is not None:
        return value
    for key, val in headers.items():  # header names are case-insensitive
        if key.lower() == name:
            return val
    return None


def verify(
    body: bytes,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """Check a callback's Standard Webhooks signature; raise :class:`WebhookVerificationError` if it fails.

    ``body`` must be the raw bytes as received. ``headers`` may use any letter case. The timestamp must be
    within ``tolerance`` seconds of ``now`` (Unix seconds, default the current time) in *both* directions,
    and at least one ``v1,`` value of ``webhook-signature`` (a space-separated list during a secret
    rotation) must match, compared in constant time. Returns None on success.
    """
    msg_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    if not msg_id or not stamp or not signatures:
        raise WebhookVerificationError(
            "missing webhook-id, webhook-timestamp or webhook-signature header", "missing_headers"
        )
    try:
        timestamp = int(stamp.strip())
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not an integer", "bad_timestamp") from None
    current = time.time() if now is None else now
    if timestamp < current - tolerance:
        raise WebhookVerificationError(
            f"webhook-timestamp is {int(current - timestamp)} s old (tolerance {tolerance} s)", "too_old"
        )
    if timestamp > current + tolerance:
        raise WebhookVerificationError(
            f"webhook-timestamp is {int(timestamp - current)} s in the future (tolerance {tolerance} s)",
            "too_new",
        )
    expected = sign(body, secret, msg_id=msg_id, timestamp=timestamp).encode("ascii")
    seen_v1 = False
    matched = False
    for candidate in signatures.split():
        version, _, _value = candidate.partition(",")
        if version != "v1":
            continue
        seen_v1 = True
        # Keep comparing after a match so the time taken does not reveal which entry matched.
        matched |= hmac.compare_digest(candidate.encode("ascii", "replace"), expected)
    if not seen_v1:
        raise WebhookVerificationError("webhook-signature has no v1 signature", "no_signature")
    if not matched:
        raise WebhookVerificationError("webhook signature does not match", "bad_signature")


def _load(body: bytes | str | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(body, Mapping):
        return dict(body)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"callback body is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("callback body is not a JSON object")
    return data


def callback_ids(body: bytes | str | Mapping[str, Any]) -> tuple[str, str | None]:
    """``(task_id, external_id)`` named by a callback body of either shape; ValueError if it names none.

    Legacy bodies (A.11) carry ``task_id`` and ``task_info.external_task_id``; 2026 bodies (A.13) carry
    ``id`` and ``external_id``.
    """
    data = _load(body)
    if "task_id" in data or "task_status" in data:
        info = data.get("task_info") or {}
        task_id, external = (
            data.get("task_id"),
            info.get("external_task_id") if isinstance(info, dict) else None,
        )
    else:
        task_id, external = data.get("id"), data.get("external_id")
    if not isinstance(task_id, (str, int)) or str(task_id) == "":
        raise ValueError("callback body names no task id")
    return str(task_id), (str(external) if external else None)


def parse_callback(body: bytes | str | Mapping[str, Any]) -> Task:
    """A :class:`klingkit.Task` from a callback body, legacy (A.11) or 2026 (A.13) shape.

    The result is only as trustworthy as the request it came from: verify the signature first, and
    re-fetch the task by id before paying attention to its status or outputs.
    """
    from . import _wire

    data = _load(body)
    callback_ids(data)  # raises ValueError when the body names no task
    family = "legacy" if ("task_id" in data or "task_status" in data) else "new"
    return _wire.parse_task(data, family=family)
