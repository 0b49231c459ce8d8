"""``client.tasks`` on :class:`~klingkit.AsyncKling`: the async twin of ``_tasks``."""

from __future__ import annotations

import asyncio
import builtins
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._base import _query_chunks
from ._exceptions import KlingError
from ._models import Page, Task
from ._reconcile import Fingerprint
from ._status import _PROBE_MISS, _Probe, _Query, plan_status_queries, read_status_answer
from ._wait import ProgressCallback, _outcome, _WaitState
from ._wire import Envelope, parse_tasks
from .catalog._data import NEW_TASKS_PATH, PAGE_NUM

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

    async def _one(self, q: _Query) -> tuple[dict[str, Task], builtins.list[_Query]] | BaseException:
        try:
            if q.kind == "probe":
                return {q.ids[0]: await self.get(q.ids[0])}, []
            return read_status_answer(q, (await self._send(q)).data)
        except KlingError as exc:
            return exc

    async def _round(self, state: _WaitState) -> None:
        queries = plan_status_queries(state.pending())
        found: dict[str, Task] = {}
        while queries:
            answers = await asyncio.gather(*(self._one(q) for q in queries))
            queries = []
            for answer in answers:
                if isinstance(answer, BaseException):
                    state.failed(answer)
                    continue
                found.update(answer[0])
                queries.extend(answer[1])
        state.update(found, self._client._monotonic())

    async def _sleep(self, delay: float) -> None:
        c = self._client
        if c._custom_sleep:
            await c._sleep(delay)
            return
        loop = asyncio.get_running_loop()
        event = asyncio.Event()

        def wake() -> None:
            loop.call_soon_threadsafe(event.set)

        c._hub.add_waker(wake)
        try:
            await asyncio.wait_for(event.wait(), delay)
        except asyncio.TimeoutError:
            pass
        finally:
            c._hub.remove_waker(wake)

    async def _run(self, state: _WaitState) -> _WaitState:
        c = self._client
        while True:
            if c._settled(state):
                return state
            await self._round(state)
            if not state.pending() or c._settled(state):
                return state
            delay = state.next_delay(c._monotonic())
            if delay is None:
                return state
            await self._sleep(delay)

    async def _start(self, tasks: Sequence[Task | str]) -> builtins.list[Task]:
        return [t if isinstance(t, Task) else await self.get(t) for t in tasks]

    async def wait(
        self,
        task: Task | str,
        max_wait: float | None = None,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Task:
        """Wait until the task ends and return it. ``max_wait`` (s, default the client's 1800) bounds the
        whole wait; status checks start ``poll_interval`` (default 2 s) apart and grow x1.5 up to 15 s.
        Raises TaskFailedError, or TaskTimeoutError (the task keeps running and is billed)."""
        state = self._client._wait_state(await self._start([task]), max_wait, poll_interval, on_progress)
        final = (await self._run(state)).tasks[0]
        return _outcome(final, state, self._client._monotonic())

    async def wait_many(
        self,
        tasks: Sequence[Task | str],
        max_wait: float | None = None,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        raise_on_error: bool = False,
    ) -> builtins.list[Task]:
        """Wait for several tasks with coalesced status requests (one ``/tasks`` call per 20 ids, one list
        page per legacy feature). Returns the tasks in order: finished, or still running when ``max_wait``
        ran out. With ``raise_on_error`` a failure or timeout raises as in :meth:`wait`."""
        state = self._client._wait_state(await self._start(tasks), max_wait, poll_interval, on_progress)
        await self._run(state)
        return self._client._outcomes(state, raise_on_error)

    async def iter_status(
        self, task: Task | str, max_wait: float | None = None, poll_interval: float | None = None
    ) -> AsyncIterator[Task]:
        """Yield the task after every status check until it ends or ``max_wait`` runs out; never raises
        for failed tasks or transient errors (for progress displays)."""
        c = self._client
        first = task if isinstance(task, Task) else await self.get(task)
        state = c._wait_state([first], max_wait, poll_interval, None)
        yield first
        while not state.tasks[0].done:
            delay = state.next_delay(c._monotonic())
            if delay is None:
                return
            await self._sleep(delay)
            c._apply_resolved(state)
            if not state.tasks[0].done:
                await self._round(state)
            yield state.tasks[0]

    def resolve(self, task: Task) -> None:
        """Hand a task state learned elsewhere (a verified callback) to any pending wait, which returns it
        without polling again."""
        self._client._hub.put(task)

    def notify(self, task_id: str) -> None:
        """Wake pending waits so they check status now (an unverified callback: re-fetch, don't trust)."""
        self._client._hub.put(None, task_id)
