"""How a failure reaches an agent: a tool error with a kind, Kling's code, plain words and what to do.

The kinds an agent can branch on: ``validation`` (fix the named field; nothing was sent), ``billing``
(1100-1102: not a rate limit, do not retry), ``content_policy`` (1300/1301: never retry the same input),
``rate_limit`` (1302/1303: stop and try later), ``auth``, ``not_found``, ``task_failed``, ``network``
(the create may have arrived: follow the handle, never call generate again), ``server``, ``budget``,
``confirmation_required``, ``cost_limit``, ``idempotency_conflict``, ``download``.
"""

from __future__ import annotations

from typing import Any

from klingkit import errors as E


class ToolError(Exception):
    """A refusal or failure to hand back to the agent as an MCP tool error (``isError``)."""

    def __init__(self, kind: str, message: str, hint: str, **facts: Any) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.hint = hint
        self.facts = {k: v for k, v in facts.items() if v is not None}

    def to_json(self) -> dict[str, Any]:
        return {"error": {"kind": self.kind, "message": self.message, "what_to_do": self.hint, **self.facts}}


_NETWORK_HINT = (
    "the request may or may not have reached Kling: follow the returned external_id with task_status; "
    "do not call the generate tool again (that could pay twice)"
)


def from_exception(exc: BaseException, **facts: Any) -> ToolError:
    """Map a library error (or anything else) to a :class:`ToolError`."""
    if isinstance(exc, ToolError):
        exc.facts.update({k: v for k, v in facts.items() if v is not None})
        return exc
    if isinstance(exc, E.ValidationError):
        return ToolError(
            "validation",
            str(exc),
            "fix this argument and call again; nothing was sent and nothing was charged"
            + (f" ({exc.suggestion})" if exc.suggestion else ""),
            field=exc.field,
            value=exc.value if isinstance(exc.value, (str, int, float, bool)) else repr(exc.value),
            allowed=exc.allowed if isinstance(exc.allowed, (str, list, tuple)) else str(exc.allowed),
            **facts,
        )
    if isinstance(exc, E.APIError):
        kind = "server"
        hint = exc.hint
        if isinstance(exc, E.QuotaError):
            kind = "billing"
            hint = (
                f"{exc.hint or 'the account cannot pay for this task'}. This is a billing problem, not "
                "a rate limit: do not retry; tell the user to top up the resource pack"
            )
        elif isinstance(exc, E.ContentPolicyError):
            kind = "content_policy"
            hint = (
                "Kling's content policy refused this input; nothing was charged. Do not retry with the "
                "same input: change the prompt or media first"
            )
        elif isinstance(exc, E.RateLimitError):
            kind = "rate_limit"
            hint = f"{exc.hint}. Stop and try again later; do not retry in a loop"
        elif isinstance(exc, (E.AuthenticationError, E.PermissionDeniedError)):
            kind = "auth"
        elif isinstance(exc, E.NotFoundError):
            kind = "not_found"
        elif isinstance(exc, E.BadRequestError):
            kind = "bad_request"
        elif isinstance(exc, E.ServerError):
            hint = f"{exc.hint}. " + _NETWORK_HINT if "external_id" in facts else exc.hint
        return ToolError(
            kind,
            exc.message or str(exc),
            hint or "see the message",
            code=exc.code,
            http_status=exc.http_status,
            request_id=exc.request_id,
            **facts,
        )
    if isinstance(exc, E.TaskFailedError):
        return ToolError(
            "task_failed",
            str(exc),
            "the task failed and was not charged; if the reason is a content check, change the input",
            task_id=exc.task.id,
            **facts,
        )
    if isinstance(exc, E.APIConnectionError):
        hint = _NETWORK_HINT if "external_id" in facts else "check the network and the base URL, then retry"
        return ToolError("network", str(exc), hint, **facts)
    if isinstance(exc, E.DownloadError):
        return ToolError(
            "download", str(exc), "the task is paid and kept: call task_result again to retry saving", **facts
        )
    if isinstance(exc, E.CredentialsError):
        return ToolError("auth", str(exc), "set KLING_API_KEY (or run `klingkit auth set`)", **facts)
    if isinstance(exc, E.KlingError):
        return ToolError("error", str(exc), "see the message", **facts)
    return ToolError(
        "internal", f"{type(exc).__name__}: {exc}", "this is a klingkit bug; please report it", **facts
    )
