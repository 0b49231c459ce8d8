"""From a Kling answer (HTTP status, business code, message) to the right error of the tree, with a hint
that says in plain words what to do (§4's code table)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ContentPolicyError,
    NotFoundError,
    PermissionDeniedError,
    QuotaError,
    RateLimitError,
    ServerError,
)

# --- mapping a Kling answer to an error -----------------------------------------------------------


@dataclass(frozen=True)
class ErrorContext:
    """What the hints need to know about the caller, never the secrets themselves.

    ``credentials_source`` describes where the key came from ("environment KLING_API_KEY"),
    ``auth_kind`` is ``api_key`` or ``jwt``, ``region`` the region name when the base URL is a known one,
    ``family`` the route family of the request (``legacy``/``new``/``solutions``) when known.
    """

    credentials_source: str = ""
    auth_kind: str = ""
    base_url: str = ""
    region: str | None = None
    family: str | None = None


_CODE_CLASS: dict[int, type[APIError]] = {
    **dict.fromkeys((1000, 1001, 1002, 1003, 1004), AuthenticationError),
    **dict.fromkeys((1100, 1101, 1102), QuotaError),
    1103: PermissionDeniedError,
    1200: BadRequestError,
    1201: BadRequestError,
    1202: NotFoundError,
    1203: NotFoundError,
    1300: ContentPolicyError,
    1301: ContentPolicyError,
    1302: RateLimitError,
    1303: RateLimitError,
    1304: PermissionDeniedError,
    **dict.fromkeys((5000, 5001, 5002), ServerError),
}

_STATUS_CLASS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: BadRequestError,
    429: RateLimitError,
}


def error_class(http_status: int | None, code: int | None) -> type[APIError]:
    """The APIError subclass for a (HTTP status, Kling code) pair; the code wins when it is known."""
    if code is not None and code in _CODE_CLASS:
        return _CODE_CLASS[code]
    if http_status is not None:
        if http_status in _STATUS_CLASS:
            return _STATUS_CLASS[http_status]
        if http_status >= 500:
            return ServerError
    return APIError


def _auth_hint(code: int | None, ctx: ErrorContext) -> str:
    parts = []
    if code == 1001:
        parts.append("no Authorization header was sent")
    elif code in (1003, 1004):
        parts.append(
            "the signed token was not yet valid or expired even after re-signing: check this machine's clock"
        )
    else:
        parts.append("the key was refused")
    if ctx.credentials_source:
        parts.append(f"credentials came from {ctx.credentials_source}")
    if ctx.family == "new" and ctx.auth_kind == "jwt":
        parts.append(
            "the 2026 model-in-path routes accept only a static API key (KLING_API_KEY), not an AK/SK pair"
        )
    if ctx.region in ("global", "cn", "legacy"):
        other = "cn (api-beijing)" if ctx.region != "cn" else "global (api-singapore)"
        parts.append(
            f"the region is {ctx.region} ({ctx.base_url}); keys are per site, so a key from the other "
            f"console needs region {other}"
        )
    elif ctx.base_url:
        parts.append(f"base URL {ctx.base_url}")
    return "; ".join(parts)


def hint_for(http_status: int | None, code: int | None, ctx: ErrorContext | None = None) -> str:
    """A plain-words fix for an error, using ``ctx`` (never secrets) to be specific."""
    ctx = ctx or ErrorContext()
    if code in (1000, 1001, 1002, 1003, 1004) or (code is None and http_status == 401):
        return _auth_hint(code, ctx)
    fixed = {
        1100: "your Kling account has a problem: check it in the developer console",
        1101: "your account is in arrears (postpaid): recharge in the developer console",
        1102: "the resource pack for this kind of task is used up or expired: buy or top up a pack in the "
        "Kling developer console (this is a billing error, not a rate limit; retrying will not help)",
        1103: "this key may not use this API or model: check the account's permissions in the console",
        1200: "Kling refused the request parameters: check them against the docs",
        1201: "Kling refused a parameter value: the message says which",
        1202: "wrong HTTP method or route for this endpoint",
        1203: "the task, model or resource does not exist (tasks are only found on the route that created "
        "them, and outputs are deleted after 30 days)",
        1300: "the request tripped a platform policy; nothing was charged",
        1301: "the input tripped Kling's content policy: change the prompt or media and submit again; "
        "no credits were charged",
        1302: "requests are too fast: slow down and retry later",
        1303: "the concurrency limit of your resource pack is reached (a task holds a slot until it ends): "
        "wait for running tasks to finish, or buy a pack with more concurrency",
        1304: "this IP address is not on the account's whitelist: contact Kling support or use an allowed IP",
        5000: "Kling had an internal error: retry later",
        5001: "Kling is temporarily unavailable (usually maintenance): retry later",
        5002: "Kling timed out internally (usually a backlog): retry later",
    }
    if code is not None and code in fixed:
        return fixed[code]
    if http_status == 429:
        return "too many requests: retry later"
    if http_status is not None and http_status >= 500:
        return "Kling had a server problem: retry later"
    if http_status == 404:
        return "not found: check the task id and the route (feature) it was created on"
    return ""


def make_api_error(
    http_status: int | None,
    code: int | None,
    message: str | None,
    request_id: str | None,
    *,
    retryable: bool = False,
    ctx: ErrorContext | None = None,
    retry_after: float | None = None,
    body: Any = None,
) -> APIError:
    """Build the right APIError subclass for a Kling answer, with its hint."""
    from ._logging import redact  # a server echoing the Authorization header must not leak it

    message = redact(message or "")
    cls = error_class(http_status, code)
    kwargs: dict[str, Any] = {
        "http_status": http_status,
        "code": code,
        "request_id": request_id,
        "retryable": retryable,
        "hint": hint_for(http_status, code, ctx),
        "body": body,
    }
    if cls is RateLimitError:
        return RateLimitError(message or "rate limited", retry_after=retry_after, **kwargs)
    return cls(message or "", **kwargs)
