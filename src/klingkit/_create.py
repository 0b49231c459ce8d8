"""Creating a task without ever creating it twice: the external id, and recovery after an ambiguous failure.

An external id is chosen before the create request leaves. When a create may have reached Kling (a 5xx, a
dropped connection), the task is looked up by that id, and the create is sent again only while Kling does
not have it. A lookup that cannot answer (1302, 5xx, no answer) is asked again with backoff within its
own budget; if it still cannot tell, :class:`TaskUnknownError` says so (the task may exist: never "rejected",
never created again blindly). A create refused because its external id already exists is the same task:
it is looked up and adopted. ``_Create`` holds the decisions (pure apart from logging); ``submit_sync`` and
``submit_async`` are the thin twins that send and sleep.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from . import _constants as C
from ._exceptions import (
    APIConnectionError,
    APIError,
    KlingError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TaskUnknownError,
)
from ._logging import logger
from ._models import Task, TaskStatus
from ._reconcile import Fingerprint, fingerprint, reconcile_async, reconcile_sync
from ._status import _external_lookup, _external_match, _Query
from ._transport import AmbiguousSend
from ._wire import Envelope, parse_task
from .catalog import ENDPOINTS, takes_external_id

if TYPE_CHECKING:
    from ._client import AsyncKling, Kling


class SpecLike(Protocol):
    """What ``submit`` needs from ``klingkit._requests.RequestSpec``."""

    @property
    def feature(self) -> str: ...
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def body(self) -> dict[str, Any]: ...
    @property
    def family(self) -> str: ...
    @property
    def external_id(self) -> str | None: ...
    @property
    def params(self) -> Mapping[str, Any]: ...

    def with_external_id(self, eid: str) -> Any: ...


def new_external_id() -> str:
    """A fresh external task id: ``kk-`` + 32 hex digits (unique per account, as Kling requires)."""
    return f"{C.EXTERNAL_ID_PREFIX}{uuid.uuid4().hex}"


def _spec_model(spec: SpecLike) -> str | None:
    model = getattr(spec, "model", None)
    if isinstance(model, str) and model:
        return model
    params = spec.params or {}
    for key in ("model_name", "model"):
        if isinstance(params.get(key), str):
            return str(params[key])
    body_model = spec.body.get("model_name") if isinstance(spec.body, Mapping) else None
    if isinstance(body_model, str):
        return body_model
    ep = ENDPOINTS.get(spec.feature)
    if ep is not None and ep.model_in_path and spec.path.startswith(ep.path + "/"):
        return spec.path[len(ep.path) + 1 :]
    return None


def _decorate(task: Task, spec: SpecLike, eid: str) -> Task:
    task.feature = task.feature or spec.feature
    task.family = spec.family
    task.params = dict(spec.params or {})
    # Record what was actually asked for, defaults included, so sidecars and the ledger say "std, 5 s".
    for key in ("mode", "duration"):
        value = getattr(spec, key, None)
        if value is not None:
            task.params.setdefault(key, value)
    task.model = task.model or _spec_model(spec)
    task.external_id = task.external_id or eid
    return task


class _Create:
    """The decisions of one create across ambiguous failures (pure apart from logging): look the task
    up by its external id, and send again only while Kling does not have it."""

    def __init__(self, spec: SpecLike, eid: str, max_retries: int) -> None:
        self.spec = spec
        self.eid = eid
        self.max_retries = max_retries
        self.lookups = 0
        # Kling 4.0 takes no external id: a lost answer is found through the task list (_reconcile).
        self.by_listing = not takes_external_id(getattr(spec, "model", None))
        self.options: dict[str, Any] = {"params": getattr(spec, "query", None), "json": spec.body,
                                        "idempotent": False, "family": spec.family}  # fmt: skip

    def created(self, env: Envelope) -> Task:
        task = parse_task(env.data, feature=self.spec.feature, family=self.spec.family)
        if getattr(self.spec, "sync", False) and task.status is TaskStatus.UNKNOWN:
            task.status = TaskStatus.SUCCEEDED
        return _decorate(task, self.spec, self.eid)

    def lookup(self, amb: AmbiguousSend) -> _Query:
        """The request that finds the task if the create reached Kling."""
        spec = self.spec
        logger.info("create %s %s may have reached Kling (%s); looking up %s", spec.method, spec.path,
                    amb.error, self.eid)  # fmt: skip
        return _external_lookup(spec.feature, spec.family, self.eid, spec.path)

    def found(self, task: Task) -> Task:
        return _decorate(task, self.spec, self.eid)

    def fingerprint(self, sent_ms: int) -> Fingerprint:
        """What identifies this create in the task list when it carries no external id."""
        logger.info("create %s %s carries no external id; reconciling through the task list",
                    self.spec.method, self.spec.path)  # fmt: skip
        return fingerprint(self.spec, sent_ms)

    def retry(self, amb: AmbiguousSend) -> float:
        """Kling does not have the task: the seconds to wait before sending again, or raise."""
        self.lookups += 1
        if not amb.retryable or self.lookups > self.max_retries:
            raise amb.error from None
        return C.BACKOFF_BASE * self.lookups

    def exists(self, exc: APIError) -> _Query | None:
        """The lookup that adopts the task when Kling refused the create because our external id is
        already taken (a create whose answer was lost, then sent again), else None."""
        if "already exist" not in (exc.message or str(exc)).lower():
            return None
        spec = self.spec
        logger.info("create %s %s: external id %s already exists; adopting that task", spec.method,
                    spec.path, self.eid)  # fmt: skip
        return _external_lookup(spec.feature, spec.family, self.eid, spec.path)

    def undecided(self, exc: KlingError, tries: int) -> float:
        """A lookup of a create that may exist could not answer: the seconds to wait before asking
        again, or raise TaskUnknownError once the lookup's own budget is spent."""
        transient = isinstance(exc, (RateLimitError, ServerError, APIConnectionError))
        if not transient or tries >= lookup_attempts(self.max_retries):
            raise TaskUnknownError(
                f"the create of {self.eid} may have reached Kling, and looking it up failed {tries} "
                f"time(s) ({exc}); it may exist and be billed, so it was not sent again",
                external_id=self.eid,
                feature=self.spec.feature,
            ) from exc
        retry_after = getattr(exc, "retry_after", None)
        delay = min(C.BACKOFF_BASE * 2 ** (tries - 1), C.CREATE_LOOKUP_BACKOFF_CAP)
        return max(delay, float(retry_after)) if isinstance(retry_after, (int, float)) else float(delay)


def lookup_attempts(max_retries: int) -> int:
    """How many times a create that may exist is looked up before it is declared unknown."""
    return 2 + 2 * max(0, max_retries)


def prepare_spec(spec: SpecLike) -> tuple[Any, str]:
    """The spec with its external id set (a fresh one when it had none), and that id."""
    eid = spec.external_id or new_external_id()
    spec = spec.with_external_id(eid)  # always: the body must carry the id, whatever the spec held
    for warning in getattr(spec, "warnings", ()) or ():
        logger.debug("%s: %s", spec.feature, warning)
    return spec, eid


def submit_sync(client: Kling, spec: Any) -> Task:
    """``Kling.submit``: send the create; after an ambiguous failure, look up before sending again."""
    spec, eid = prepare_spec(spec)
    create = _Create(spec, eid, client.max_retries)
    while True:
        sent_ms = int(client._wall() * 1000)
        try:
            client._inflight += create.by_listing  # creates without external id still awaiting an answer
            try:
                task = create.created(client._transport.request(spec.method, spec.path, **create.options))
            finally:
                client._inflight -= create.by_listing
            client._claimed.add(task.id)
            return task
        except AmbiguousSend as amb:
            if create.by_listing:
                found = reconcile_sync(client, create.fingerprint(sent_ms), client._claimed, False)
            else:
                found = _lookup_sync(client, create, create.lookup(amb))
            if found is not None:
                client._claimed.add(found.id)
                return create.found(found)
            client._sleep(create.retry(amb))
        except APIError as exc:
            q = create.exists(exc)
            found = _lookup_sync(client, create, q) if q is not None else None
            if found is None:
                raise
            return create.found(found)


def _lookup_sync(client: Kling, create: _Create, q: _Query) -> Task | None:
    tries = 0
    while True:
        tries += 1
        try:
            env = client._transport.request(q.method, q.path, params=q.params, family=q.family)
        except NotFoundError:
            return None
        except KlingError as exc:
            client._sleep(create.undecided(exc, tries))
            continue
        return _external_match(q, env.data)


async def submit_async(client: AsyncKling, spec: Any) -> Task:
    """``AsyncKling.submit``: the async twin of :func:`submit_sync`."""
    spec, eid = prepare_spec(spec)
    create = _Create(spec, eid, client.max_retries)
    while True:
        sent_ms = int(client._wall() * 1000)
        try:
            client._inflight += create.by_listing  # creates without external id still awaiting an answer
            try:
                task = create.created(
                    await client._transport.request(spec.method, spec.path, **create.options)
                )
            finally:
                client._inflight -= create.by_listing
            client._claimed.add(task.id)
            return task
        except AmbiguousSend as amb:
            if create.by_listing:
                found = await reconcile_async(client, create.fingerprint(sent_ms), client._claimed, False)
            else:
                found = await _lookup_async(client, create, create.lookup(amb))
            if found is not None:
                client._claimed.add(found.id)
                return create.found(found)
            await client._sleep(create.retry(amb))
        except APIError as exc:
            q = create.exists(exc)
            found = await _lookup_async(client, create, q) if q is not None else None
            if found is None:
                raise
            return create.found(found)


async def _lookup_async(client: AsyncKling, create: _Create, q: _Query) -> Task | None:
    tries = 0
    while True:
        tries += 1
        try:
            env = await client._transport.request(q.method, q.path, params=q.params, family=q.family)
        except NotFoundError:
            return None
        except KlingError as exc:
            await client._sleep(create.undecided(exc, tries))
            continue
        return _external_match(q, env.data)
