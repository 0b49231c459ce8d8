"""The error tree. Every error klingkit raises on purpose is a ``KlingError``::

    KlingError
    ├── CredentialsError            no usable API key / AK-SK pair, or a refused base URL
    ├── ValidationError             a parameter was refused before anything was sent (field, value, allowed, suggestion)
    ├── APIError                    Kling answered with an error (http_status, code, message, request_id, retryable, hint)
    │   ├── AuthenticationError     401, codes 1000-1004
    │   ├── PermissionDeniedError   403 / 1103, 1304 (IP whitelist)
    │   ├── BadRequestError         400 / 1200, 1201
    │   ├── ContentPolicyError      1300, 1301 (nothing was charged)
    │   ├── NotFoundError           404 / 1202, 1203
    │   ├── RateLimitError          1302, 1303, bare 429 (.retry_after)
    │   ├── QuotaError              1100, 1101, 1102 (account, arrears, resource pack used up)
    │   └── ServerError             5xx / 5000-5002
    ├── APIConnectionError          the request did not get an answer
    │   ├── APITimeoutError
    │   ├── CreateUnresolvedError   a create without external id got no answer and the task list cannot
    │   │                           tell which task it made (.fingerprint, .candidates); nothing re-sent
    │   └── TaskUnknownError        a create may have reached Kling and lookups could not tell (.external_id)
    ├── TaskFailedError             the task ended in ``failed`` (.task); failed tasks are not charged
    ├── TaskTimeoutError            ``max_wait`` ran out while the task is still running (.task, .elapsed)
    ├── DownloadError               an output could not be fetched or written
    │   └── OutputExistsError       the target file is not ours (another task's, or the user's); untouched
    ├── WebhookVerificationError    a callback's signature is missing, stale or wrong (.reason)
    ├── LedgerError                 the ledger could not be opened or written
    ├── BatchInputError             a batch file cannot be read at all (also a ValueError)
    └── BatchBusyError              another live runner holds this batch's lease (.batch_id, .owner)

Other modules raise these classes and re-export them where they were first defined
(``klingkit.webhooks.WebhookVerificationError``, ``klingkit.jobs.ledger.LedgerError``, ...).

``str(error)`` is one line that says what happened and what to do, with the request id when there is one.
No secret ever appears in an error message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from ._models import Task

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BatchBusyError",
    "BatchInputError",
    "ContentPolicyError",
    "CredentialsError",
    "DownloadError",
    "ErrorContext",
    "KlingError",
    "LedgerError",
    "NotFoundError",
    "OutputExistsError",
    "PermissionDeniedError",
    "QuotaError",
    "RateLimitError",
    "ServerError",
    "TaskFailedError",
    "TaskTimeoutError",
    "TaskUnknownError",
    "ValidationError",
    "WebhookVerificationError",
    "error_class",
    "hint_for",
    "make_api_error",
]


class KlingError(Exception):
    """Base class of every error klingkit raises on purpose."""


class CredentialsError(KlingError):
    """No usable credentials (or base URL) could be found; the message names every way to provide them."""


class ValidationError(KlingError, ValueError):
    """A parameter was refused before anything was sent (no request, no charge).

    ``field`` is the parameter name, ``value`` what was given, ``allowed`` a description or list of what is
    accepted and ``suggestion`` the closest valid value or a plain-words fix (may be empty). ``policy``
    names the catalog policy behind a refusal a server would not make (``undocumented-field``), else "".
    ``all`` holds every problem the rules found in the request (this one first; its message says each).
    """

    def __init__(
        self, field: str, value: Any, allowed: Any, suggestion: str | None = None, *, policy: str = ""
    ) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        self.suggestion = suggestion or ""
        self.policy = policy
        self.all: tuple[ValidationError, ...] = (self,)  # every problem of the request, this one first
        super().__init__(self._line())

    def _line(self) -> str:
        shown = repr(self.value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        allowed = self.allowed
        if isinstance(allowed, Sequence) and not isinstance(allowed, str):
            allowed = ", ".join(str(a) for a in allowed)
        line = f"invalid {self.field}={shown}: allowed {allowed}"
        if self.suggestion:
            line += f"; {self.suggestion}"
        return line


class APIError(KlingError):
    """Kling answered with an error.

    ``http_status`` (int or None), ``code`` (Kling's business code or None), ``message`` (Kling's words),
    ``request_id`` (from the body, else the ``x-request-id`` header), ``retryable`` (whether sending the
    same request later can succeed) and ``hint`` (what to do, in plain words).
    """

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        code: int | None = None,
        request_id: str | None = None,
        retryable: bool = False,
        hint: str = "",
        body: Any = None,
    ) -> None:
        self.message = message
        self.http_status = http_status
        self.code = code
        self.request_id = request_id
        self.retryable = retryable
        self.hint = hint
        self.body = body
        super().__init__(message)

    def __str__(self) -> str:
        where = []
        if self.code is not None:
            where.append(f"code {self.code}")
        if self.http_status is not None:
            where.append(f"HTTP {self.http_status}")
        head = f"Kling API error ({', '.join(where)})" if where else "Kling API error"
        line = f"{head}: {self.message or 'no message'}"
        if self.hint:
            line += f". {self.hint}"
        if self.request_id:
            line += f" [request_id={self.request_id}]"
        return line


class AuthenticationError(APIError):
    """401 / codes 1000-1004: the credentials were refused."""


class PermissionDeniedError(APIError):
    """403 / 1103 (no access to this API or model) and 1304 (IP whitelist)."""


class BadRequestError(APIError):
    """400 / 1200, 1201: Kling refused a parameter."""


class ContentPolicyError(APIError):
    """1300 / 1301: the input tripped Kling's content policy; nothing was charged."""


class NotFoundError(APIError):
    """404 / 1202, 1203: no such route, model or task."""


class RateLimitError(APIError):
    """1302 (too fast), 1303 (concurrency of the resource pack) or a bare 429.

    ``retry_after`` is the delay the server asked for in seconds, when it sent one.
    """

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class QuotaError(APIError):
    """1100-1102: account problem, arrears, or the resource pack is used up or expired (arrives as 429)."""


class ServerError(APIError):
    """5xx / 5000-5002: Kling had a problem; retrying later usually works."""


class APIConnectionError(KlingError):
    """The request got no answer (connection refused or dropped, DNS, TLS)."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        self.retryable = retryable
        super().__init__(message)


class APITimeoutError(APIConnectionError):
    """The request timed out (``timeout`` applies per request)."""


class CreateUnresolvedError(APIConnectionError):
    """A create that carries no external id (Kling 4.0) got no answer, and the task list cannot say which
    task it made: ``candidates`` are the task ids that could be it, ``fingerprint`` (a dict) what identifies
    the request. Nothing was sent again; the task is ``unknown`` until
    ``client.tasks.reconcile(fingerprint)`` decides (or you adopt a candidate by hand)."""

    def __init__(
        self, message: str, *, fingerprint: dict[str, Any], candidates: tuple[str, ...] = ()
    ) -> None:
        self.fingerprint = fingerprint
        self.candidates = candidates
        super().__init__(message, retryable=False)


class TaskUnknownError(APIConnectionError):
    """A create may have reached Kling (its answer was lost) and looking it up by ``external_id`` kept
    failing (rate limits, 5xx, no answer). The task may exist and be billed: it is never created again
    blindly; look it up later (``client.tasks.get_by_external_id``; CLI ``klingkit tasks wait``)."""

    def __init__(self, message: str, *, external_id: str, feature: str | None = None) -> None:
        self.external_id = external_id
        self.feature = feature
        super().__init__(message, retryable=True)


class TaskFailedError(KlingError):
    """The task ended in ``failed``. ``task`` is the final Task; failed tasks are not charged."""

    def __init__(self, task: Task) -> None:
        self.task = task
        reason = task.message or "no reason given"
        line = f"task {task.id} failed: {reason}. Failed tasks are not charged"
        if "risk control" in reason.lower() or "content" in reason.lower():
            line += "; the input tripped Kling's content checks, change the prompt or media and submit again"
        super().__init__(line)


class TaskTimeoutError(KlingError):
    """``max_wait`` ran out while the task was still running. ``task`` is its last known state,
    ``elapsed`` the seconds waited. The task keeps running on Kling's side (and is billed if it succeeds).
    """

    def __init__(self, task: Task, elapsed: float) -> None:
        self.task = task
        self.elapsed = elapsed
        super().__init__(
            f"task {task.id} is still {task.status.value} after {elapsed:.0f} s of waiting; it keeps running "
            f"on Kling's side and is billed if it succeeds. Resume with client.tasks.wait({task.id!r}) "
            f"or `klingkit tasks wait {task.id}`"
        )


class DownloadError(KlingError):
    """An output could not be fetched or written. ``url`` is shown without its query string."""

    def __init__(self, message: str, *, url: str | None = None, task_id: str | None = None) -> None:
        self.url = url
        self.task_id = task_id
        super().__init__(message)


class OutputExistsError(DownloadError):
    """The target file exists and is not an output of this task (another task's file, or the user's own
    file without a klingkit sidecar). It is left untouched; ``path`` names it."""

    def __init__(self, message: str, *, path: Path, task_id: str | None = None) -> None:
        self.path = path
        super().__init__(message, task_id=task_id)


class WebhookVerificationError(KlingError):
    """A callback's signature headers are missing, malformed, stale or do not match the secret.

    ``reason`` is a short machine-readable word: ``missing_headers``, ``bad_timestamp``, ``too_old``,
    ``too_new``, ``no_signature`` or ``bad_signature``. The message never contains the secret.
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class LedgerError(KlingError):
    """The ledger could not be opened or written (disk full, permissions, a corrupt file)."""


class BatchInputError(KlingError, ValueError):
    """The batch file cannot be read at all (not JSONL/CSV, no rows)."""


class BatchBusyError(KlingError):
    """Another live runner holds this batch's lease."""

    def __init__(self, batch_id: str, owner: str) -> None:
        super().__init__(
            f"batch {batch_id[:16]} is being run by another klingkit process ({owner}); "
            "wait for it to finish, or stop it and run the command again"
        )
        self.batch_id = batch_id
        self.owner = owner


# The mapping of a Kling answer to one of these classes (with its hint) lives in _error_map; re-exported.
from ._error_map import ErrorContext, error_class, hint_for, make_api_error  # noqa: E402
