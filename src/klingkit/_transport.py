"""The one retry loop. ``RequestLoop`` (pure: no sending, no sleeping) decides after every answer or
failure; ``SyncTransport`` and ``AsyncTransport`` only build, send and sleep.

Creates are sent with ``idempotent=False``: an *ambiguous* failure (read timeout, dropped connection after
sending, 5xx) is never re-sent here but surfaced as ``AmbiguousSend`` so the client can look the task up
by its external id. Unambiguous failures (connect refused, 1302/1303, 1003/1004) are retried as usual.
"""

from __future__ import annotations

import json as jsonlib
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from . import _constants as C
from ._auth import Auth
from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ErrorContext,
    KlingError,
    RateLimitError,
    make_api_error,
)
from ._logging import logger, trim_url
from ._retry import Action, classify, parse_retry_after, plan_retry
from ._wire import Envelope, parse_envelope

__all__ = ["AmbiguousSend", "AsyncTransport", "RequestLoop", "Step", "SyncTransport"]

# Failures where the request never left this machine: always safe to send again.
_PRE_SEND = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures that say nothing about the network: retrying cannot help.
_FATAL = (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.ProxyError, httpx.InvalidURL)


class AmbiguousSend(Exception):
    """Internal: a non-idempotent request (a create) may or may not have reached Kling. ``error`` is what
    the caller would have seen; ``retryable`` whether sending again could succeed."""

    def __init__(self, error: KlingError, retryable: bool) -> None:
        super().__init__(str(error))
        self.error = error
        self.retryable = retryable


@dataclass(frozen=True)
class Step:
    """What the loop says to do next: return ``result``, raise ``error``, or sleep ``delay`` and resend."""

    result: Envelope | None = None
    error: BaseException | None = None
    delay: float = 0.0


class RequestLoop:
    """The decisions of one logical request across its attempts (pure apart from logging)."""

    def __init__(
        self,
        auth: Auth,
        method: str,
        path: str,
        *,
        idempotent: bool = True,
        max_retries: int = C.DEFAULT_MAX_RETRIES,
        ctx: ErrorContext | None = None,
        now: Callable[[], float] = time.time,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.auth = auth
        self.method = method
        self.path = path
        self.idempotent = idempotent
        self.max_retries = max(0, max_retries)
        self.ctx = ctx or ErrorContext()
        self.now = now
        self.rand = rand
        self.retries = 0
        self.resigned = False

    def headers(self) -> dict[str, str]:
        """Headers for the next attempt; the token is fetched fresh (a cached JWT, re-signed when due)."""
        return {"Authorization": self.auth.header()}

    def _retry(self, error: KlingError, kind: str, retry_after: float | None, why: str) -> Step:
        plan = plan_retry(self.retries, self.max_retries, kind, retry_after, self.rand)
        if plan.give_up == "retry_after_too_long" and isinstance(error, RateLimitError):
            error.retry_after = retry_after
            return Step(error=error)
        if plan.give_up:
            return Step(error=error)
        self.retries += 1
        logger.info(
            "retrying %s %s after %s in %.2f s (retry %d/%d)",
            self.method,
            self.path,
            why,
            plan.delay,
            self.retries,
            self.max_retries,
        )
        return Step(delay=plan.delay)

    def on_response(self, status: int, headers: Mapping[str, str], content: bytes) -> Step:
        """Decide after an HTTP answer."""
        header_rid = headers.get("x-request-id") or headers.get("request-id")
        try:
            body: Any = jsonlib.loads(content) if content else None
        except ValueError:
            body = None
        env = parse_envelope(body, header_rid)
        decision = classify(status, env.code)
        logger.debug(
            "%s %s -> %d code=%s request_id=%s retries=%d",
            self.method,
            self.path,
            status,
            env.code,
            env.request_id,
            self.retries,
        )
        if decision.action is Action.SUCCESS:
            if not isinstance(body, Mapping):
                return Step(
                    error=APIError(
                        "Kling answered with something that is not a JSON object",
                        http_status=status,
                        request_id=header_rid,
                    )
                )
            return Step(result=env)
        retry_after = parse_retry_after(headers, self.now())
        message = env.message or (f"HTTP {status}" if body is None else "")
        retryable = decision.action in (Action.RETRY, Action.RESIGN)
        error = make_api_error(
            status,
            env.code,
            message,
            env.request_id,
            retryable=retryable,
            ctx=self.ctx,
            retry_after=retry_after,
            body=body,
        )
        if decision.action is Action.RESIGN:
            if self.auth.can_resign and not self.resigned:
                self.resigned = True
                self.auth.invalidate()
                logger.info(
                    "%s %s: token refused (code %s), re-signing once", self.method, self.path, env.code
                )
                return Step(delay=0.0)
            error.retryable = False
            return Step(error=error)
        if decision.ambiguous and not self.idempotent:
            return Step(error=AmbiguousSend(error, retryable))
        if decision.action is Action.RETRY:
            return self._retry(error, decision.backoff, retry_after, f"HTTP {status} code {env.code}")
        return Step(error=error)

    def on_answer(self, response: httpx.Response) -> Step:
        """Decide after an ``httpx`` answer."""
        return self.on_response(response.status_code, response.headers, response.content)

    def on_exception(self, exc: Exception) -> Step:
        """Decide after a transport failure (no HTTP answer)."""
        where = f"{self.method} {trim_url(self.path)}"
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        if isinstance(exc, _FATAL):
            return Step(error=APIConnectionError(f"{where} failed: {detail}", retryable=False))
        if isinstance(exc, httpx.TimeoutException):
            error: APIConnectionError = APITimeoutError(f"{where} timed out: {detail}")
        else:
            error = APIConnectionError(f"{where} got no answer: {detail}")
        logger.debug("%s failed: %s (retries=%d)", where, detail, self.retries)
        if not isinstance(exc, _PRE_SEND) and not self.idempotent:
            return Step(error=AmbiguousSend(error, True))
        return self._retry(error, "default", None, type(exc).__name__)


def _outcome(step: Step) -> Envelope | None:
    """Raise the step's error, else its result (None: sleep ``step.delay`` and send again)."""
    if step.error is not None:
        raise step.error
    return step.result


def _clean(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if params is None:
        return None
    return {k: v for k, v in params.items() if v is not None}


class _BaseTransport:
    def __init__(
        self,
        auth: Auth,
        ctx: ErrorContext,
        *,
        max_retries: int,
        now: Callable[[], float] | None = None,
        rand: Callable[[], float] | None = None,
    ) -> None:
        self.auth = auth
        self.ctx = ctx
        self.max_retries = max_retries
        self.now = now or time.time
        self.rand = rand or random.random

    def _loop(
        self, method: str, path: str, idempotent: bool, family: str | None, max_retries: int | None
    ) -> RequestLoop:
        ctx = self.ctx if family is None else ErrorContext(**{**self.ctx.__dict__, "family": family})
        return RequestLoop(
            self.auth,
            method,
            path,
            idempotent=idempotent,
            max_retries=self.max_retries if max_retries is None else max_retries,
            ctx=ctx,
            now=self.now,
            rand=self.rand,
        )


class SyncTransport(_BaseTransport):
    """Sends requests through an ``httpx.Client`` with the shared retry loop."""

    def __init__(self, http: httpx.Client, auth: Auth, ctx: ErrorContext, *, sleep: Callable[[float], None],
                 max_retries: int, now: Callable[[], float] | None = None,
                 rand: Callable[[], float] | None = None) -> None:  # fmt: skip
        super().__init__(auth, ctx, max_retries=max_retries, now=now, rand=rand)
        self.http = http
        self.sleep = sleep

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool = True,
        family: str | None = None,
        max_retries: int | None = None,
    ) -> Envelope:
        """Send and retry per the policy; returns the envelope of a successful answer."""
        loop = self._loop(method, path, idempotent, family, max_retries)
        while True:
            request = self.http.build_request(
                method, path, params=_clean(params), json=json, headers=loop.headers()
            )
            try:
                step = loop.on_answer(self.http.send(request))
            except httpx.TransportError as exc:
                step = loop.on_exception(exc)
            result = _outcome(step)
            if result is not None:
                return result
            if step.delay > 0:
                self.sleep(step.delay)


class AsyncTransport(_BaseTransport):
    """The async twin of :class:`SyncTransport` (``httpx.AsyncClient``)."""

    def __init__(self, http: httpx.AsyncClient, auth: Auth, ctx: ErrorContext, *,
                 sleep: Callable[[float], Awaitable[None]], max_retries: int,
                 now: Callable[[], float] | None = None, rand: Callable[[], float] | None = None) -> None:  # fmt: skip
        super().__init__(auth, ctx, max_retries=max_retries, now=now, rand=rand)
        self.http = http
        self.sleep = sleep

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool = True,
        family: str | None = None,
        max_retries: int | None = None,
    ) -> Envelope:
        """Send and retry per the policy; returns the envelope of a successful answer."""
        loop = self._loop(method, path, idempotent, family, max_retries)
        while True:
            request = self.http.build_request(
                method, path, params=_clean(params), json=json, headers=loop.headers()
            )
            try:
                step = loop.on_answer(await self.http.send(request))
            except httpx.TransportError as exc:
                step = loop.on_exception(exc)
            result = _outcome(step)
            if result is not None:
                return result
            if step.delay > 0:
                await self.sleep(step.delay)
