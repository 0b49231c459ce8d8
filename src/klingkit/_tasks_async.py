"""``client.tasks`` on :class:`~klingkit.AsyncKling`: the async twin of ``_tasks``."""

from __future__ import annotations

import asyncio
import builtins
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._base import _query_chunks
from ._models import Page, Task
from ._reconcile import Fingerprint
from ._status import _PROBE_MISS, _Probe, _Query
from ._wait import ProgressCallback, _Delivery, _outcome, _WaitState
from ._wire import Envelope, parse_tasks
from .catalog import NEW_TASKS_PATH, PAGE_NUM

if TYPE_CHECKING:
    from ._client import AsyncKling


class AsyncTasks:
    """The async twin of :class:`Tasks`: ``client.tasks`` on :class:`AsyncKling`."""

    def __init__(self, client: AsyncKling) -> None:
        self._client = client

    async def _send(self, q: _Query) -> Envelope:
        return await self._client._transport.request(q.method, q.path, params=q.params, family=q.family)

    async def get(self, task_or_id: Task | str, feature: str | None = None) -> Task:
        """The current state of a task. Without ``feature`` (and for a bare id), ``/tasks`` is tried first,
        then the legacy query route of every feature. Raises NotFoundError when no route knows it."""
        return await self._probe(self._client._get_probe(task_or_id, feature))

    async def get_by_external_id(self, external_id: str, feature: str | None = None) -> Task:
        """The task created with ``external_id``. ``feature`` picks the route (default: ``/tasks``, then
        every legacy route). Raises NotFoundError."""
        return await self._probe(self._client._external_probe(external_id, feature))

    async def _probe(self, probe: _Probe) -> Task:
        for q in probe.queries:
            try:
                task = probe.read(q, (await self._send(q)).data)
            except _PROBE_MISS:
                if probe.strict:
                    raise
                continue
            if task is not None:
                return task
        raise self._client._not_found(probe.missing)

    async def query(
        self, task_ids: Sequence[str] | str | None = None, external_ids: Sequence[str] | None = None
    ) -> list[Task]:
        """2026 tasks by id or external id through ``GET /tasks`` (20 per request)."""
        key, chunks = _query_chunks(task_ids, external_ids)
        tasks: list[Task] = []
        for chunk in chunks:
            env = await self._client._transport.request(
                "GET", NEW_TASKS_PATH, params={key: chunk}, family="new"
            )
            tasks.extend(parse_tasks(env.data, family="new"))
        return tasks

    async def reconcile(
        self, fingerprint: Fingerprint | Mapping[str, Any], claimed: Iterable[str] = ()
    ) -> Task:
        """The task that a create without external id (Kling 4.0) made, found from its ``fingerprint``
        through the task list (``POST /tasks``: one request per 500 tasks created around the send).
        ``claimed``: ids of tasks known to belong to other creates (the ledger's). Raises NotFoundError
        when no task can be it, CreateUnresolvedError when several can (nothing is ever sent)."""
        from ._reconcile import reconcile_async

        task = await reconcile_async(self._client, fingerprint, [*claimed, *self._client._claimed], True)
        assert task is not None  # raise_absent=True: None is raised as NotFoundError
        return task

    async def list(
        self, feature: str, page: int = 1, page_size: int = 30, cursor: str | None = None
    ) -> Page[Task]:
        """One page of the tasks created on ``feature``'s route (legacy: ``pageNum`` 1-1000, ``pageSize``
        1-500; 2026/solutions: a cursor list)."""
        method, path, params, body = self._client._list_request(feature, page, page_size, cursor)
        env = await self._client._transport.request(method, path, params=params, json=body)
        return self._client._list_page(feature, page, page_size, env.data)

    async def iter(self, feature: str, page_size: int = 100) -> AsyncIterator[Task]:
        """Every task of ``feature``, page after page."""
        page, cursor = 1, None
        while True:
            result = await self.list(feature, page=page, page_size=page_size, cursor=cursor)
            for task in result.items:
                yield task
            if not result.has_more or not result.items or page >= PAGE_NUM[1]:
                return
            page, cursor = page + 1, result.next_cursor

    async def _start(self, tasks: Sequence[Task | str]) -> builtins.list[Task]:
        return [t if isinstance(t, Task) else await self.get(t) for t in tasks]

    async def _follow(
        self, state: _WaitState, max_wait: float | None, poll_interval: float | None
    ) -> AsyncGenerator[bool, None]:
        """Register ``state``'s tasks with the client's hub and apply each delivery; yields after each
        one, True once the wait's deadline has passed. Unregisters when closed or cancelled."""
        c = self._client
        loop = asyncio.get_running_loop()
        event = asyncio.Event()

        def signal() -> None:
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
                loop.call_soon_threadsafe(event.set)

        watch = c._watch(state, max_wait, poll_interval, signal)
        c._hub.add(watch, state.tasks, c._monotonic())
        c._driver.ensure()
        try:
            while True:
                await event.wait()
                event.clear()
                for expired in c._take(watch, state):
                    yield expired
        finally:
            c._hub.remove(watch)

    async def _completed(
        self, state: _WaitState, max_wait: float | None, poll_interval: float | None
    ) -> AsyncGenerator[Task, None]:
        delivery = _Delivery(state)
        for task in delivery.finished():
            yield task
        if not state.pending():
            return
        follow = self._follow(state, max_wait, poll_interval)
        try:
            async for expired in follow:
                for task in delivery.finished():
                    yield task
                if not state.pending():
                    return
                if expired:
                    for task in delivery.rest():
                        yield task
                    return
        finally:
            await follow.aclose()

    async def as_completed(
        self,
        tasks: Sequence[Task | str],
        max_wait: float | None = None,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> AsyncIterator[Task]:
        """Yield each task as soon as it is known to have ended (succeeded or failed: look at its
        ``status``; nothing is raised for a failed task). Status requests are shared with every other
        wait on this client. When ``max_wait`` (s, default the client's) runs out, the tasks still
        running are yielded last, unfinished. Leaving the loop early stops following the rest."""
        state = self._client._wait_state(await self._start(tasks), on_progress)
        completed = self._completed(state, max_wait, poll_interval)
        try:
            async for task in completed:
                yield task
        finally:
            await completed.aclose()

    async def _drain(self, state: _WaitState, max_wait: float | None, poll_interval: float | None) -> None:
        completed = self._completed(state, max_wait, poll_interval)
        try:
            async for _ in completed:
                pass
        finally:
            await completed.aclose()

    async def wait(
        self,
        task: Task | str,
        max_wait: float | None = None,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Task:
        """Wait until the task ends and return it. ``max_wait`` (s, default the client's 1800) bounds the
        whole wait. Checks follow the task's typical time from the catalog (none early, closer near its
        typical finish, never closer than 2 s) unless ``poll_interval`` (s) fixes the spacing; waits
        running at once share their status requests. Raises TaskFailedError, or TaskTimeoutError (the
        task keeps running and is billed)."""
        state = self._client._wait_state(await self._start([task]), on_progress)
        await self._drain(state, max_wait, poll_interval)
        return _outcome(state.tasks[0], state, self._client._monotonic())

    async def wait_many(
        self,
        tasks: Sequence[Task | str],
        max_wait: float | None = None,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        raise_on_error: bool = False,
    ) -> builtins.list[Task]:
        """Wait for several tasks with coalesced status requests (one ``/tasks`` call per 20 ids; for
        legacy routes a list page or one query per task, whichever costs less). Returns the tasks in
        order: finished, or still running when ``max_wait`` ran out. With ``raise_on_error`` a failure
        or timeout raises as in :meth:`wait`. Built on :meth:`as_completed`."""
        state = self._client._wait_state(await self._start(tasks), on_progress)
        await self._drain(state, max_wait, poll_interval)
        return self._client._outcomes(state, raise_on_error)

    async def iter_status(
        self, task: Task | str, max_wait: float | None = None, poll_interval: float | None = None
    ) -> AsyncIterator[Task]:
        """Yield the task after every status check until it ends or ``max_wait`` runs out; never raises
        for failed tasks or transient errors (for progress displays)."""
        first = task if isinstance(task, Task) else await self.get(task)
        state = self._client._wait_state([first], None)
        yield first
        if first.done:
            return
        follow = self._follow(state, max_wait, poll_interval)
        try:
            async for expired in follow:
                yield state.tasks[0]
                if expired or state.tasks[0].done:
                    return
        finally:
            await follow.aclose()

    def resolve(self, task: Task) -> None:
        """Hand a task state learned elsewhere (a verified callback) to any pending wait, which returns it
        without polling again."""
        self._client._hub.resolve(task)

    def notify(self, task_id: str) -> None:
        """Wake pending waits so they check status now (an unverified callback: re-fetch, don't trust)."""
        self._client._hub.notify(task_id, self._client._monotonic())
