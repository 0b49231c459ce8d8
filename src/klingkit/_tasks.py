"""``client.tasks`` on :class:`~klingkit.Kling`: read, list and wait for tasks (blocking)."""

from __future__ import annotations

import builtins
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
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
    from ._client import Kling


class Tasks:
    """Read and wait for tasks: ``client.tasks``."""

    def __init__(self, client: Kling) -> None:
        self._client = client

    def _send(self, q: _Query) -> Envelope:
        return self._client._transport.request(q.method, q.path, params=q.params, family=q.family)

    def get(self, task_or_id: Task | str, feature: str | None = None) -> Task:
        """The current state of a task. Without ``feature`` (and for a bare id), ``/tasks`` is tried first,
        then the legacy query route of every feature. Raises NotFoundError when no route knows it."""
        return self._probe(self._client._get_probe(task_or_id, feature))

    def get_by_external_id(self, external_id: str, feature: str | None = None) -> Task:
        """The task created with ``external_id``. ``feature`` picks the route (default: ``/tasks``, then
        every legacy route). Raises NotFoundError."""
        return self._probe(self._client._external_probe(external_id, feature))

    def _probe(self, probe: _Probe) -> Task:
        for q in probe.queries:
            try:
                task = probe.read(q, self._send(q).data)
            except _PROBE_MISS:
                if probe.strict:
                    raise
                continue
            if task is not None:
                return task
        raise self._client._not_found(probe.missing)

    def query(
        self, task_ids: Sequence[str] | str | None = None, external_ids: Sequence[str] | None = None
    ) -> list[Task]:
        """2026 tasks by id or external id through ``GET /tasks`` (20 per request)."""
        key, chunks = _query_chunks(task_ids, external_ids)
        tasks: list[Task] = []
        for chunk in chunks:
            env = self._client._transport.request("GET", NEW_TASKS_PATH, params={key: chunk}, family="new")
            tasks.extend(parse_tasks(env.data, family="new"))
        return tasks

    def reconcile(self, fingerprint: Fingerprint | Mapping[str, Any], claimed: Iterable[str] = ()) -> Task:
        """The task that a create without external id (Kling 4.0) made, found from its ``fingerprint``
        through the task list (``POST /tasks``: one request per 500 tasks created around the send).
        ``claimed``: ids of tasks known to belong to other creates (the ledger's). Raises NotFoundError
        when no task can be it, CreateUnresolvedError when several can (nothing is ever sent)."""
        from ._reconcile import reconcile_sync

        task = reconcile_sync(self._client, fingerprint, [*claimed, *self._client._claimed], True)
        assert task is not None  # raise_absent=True: None is raised as NotFoundError
        return task

    def list(self, feature: str, page: int = 1, page_size: int = 30, cursor: str | None = None) -> Page[Task]:
        """One page of the tasks created on ``feature``'s route (legacy: ``pageNum`` 1-1000, ``pageSize``
        1-500; 2026/solutions: a cursor list)."""
        method, path, params, body = self._client._list_request(feature, page, page_size, cursor)
        env = self._client._transport.request(method, path, params=params, json=body)
        return self._client._list_page(feature, page, page_size, env.data)

    def iter(self, feature: str, page_size: int = 100) -> Iterator[Task]:
        """Every task of ``feature``, page after page."""
        page, cursor = 1, None
        while True:
            result = self.list(feature, page=page, page_size=page_size, cursor=cursor)
            yield from result.items
            if not result.has_more or not result.items or page >= PAGE_NUM[1]:
                return
            page, cursor = page + 1, result.next_cursor

    def _round(self, state: _WaitState) -> None:
        """One coalesced round of status requests for every pending task; errors are remembered, not
        raised (the wait goes on until ``max_wait``)."""
        c = self._client
        queries = plan_status_queries(state.pending())
        found: dict[str, Task] = {}
        while queries:
            q = queries.pop(0)
            try:
                if q.kind == "probe":
                    found[q.ids[0]] = self.get(q.ids[0])
                    continue
                got, follow = read_status_answer(q, self._send(q).data)
            except KlingError as exc:
                state.failed(exc)
                continue
            found.update(got)
            queries.extend(follow)
        state.update(found, c._monotonic())

    def _sleep(self, delay: float) -> None:
        c = self._client
        if c._custom_sleep:
            c._sleep(delay)
            return
        event = threading.Event()
        c._hub.add_waker(event.set)
        try:
            event.wait(delay)
        finally:
            c._hub.remove_waker(event.set)

    def _run(self, state: _WaitState) -> _WaitState:
        c = self._client
        while True:
            if c._settled(state):
                return state
            self._round(state)
            if not state.pending() or c._settled(state):
                return state
            delay = state.next_delay(c._monotonic())
            if delay is None:
                return state
            self._sleep(delay)

    def _start(self, tasks: Sequence[Task | str]) -> builtins.list[Task]:
        return [t if isinstance(t, Task) else self.get(t) for t in tasks]

    def wait(
        self,
        task: Task | str,
        max_wait: float | None = None,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Task:
        """Wait until the task ends and return it. ``max_wait`` (s, default the client's 1800) bounds the
        whole wait; status checks start ``poll_interval`` (default 2 s) apart and grow x1.5 up to 15 s.
        Raises TaskFailedError, or TaskTimeoutError (the task keeps running and is billed)."""
        state = self._client._wait_state(self._start([task]), max_wait, poll_interval, on_progress)
        final = self._run(state).tasks[0]
        return _outcome(final, state, self._client._monotonic())

    def wait_many(
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
        state = self._client._wait_state(self._start(tasks), max_wait, poll_interval, on_progress)
        self._run(state)
        return self._client._outcomes(state, raise_on_error)

    def iter_status(
        self, task: Task | str, max_wait: float | None = None, poll_interval: float | None = None
    ) -> Iterator[Task]:
        """Yield the task after every status check until it ends or ``max_wait`` runs out; never raises
        for failed tasks or transient errors (for progress displays)."""
        c = self._client
        first = task if isinstance(task, Task) else self.get(task)
        state = c._wait_state([first], max_wait, poll_interval, None)
        yield first
        while not state.tasks[0].done:
            delay = state.next_delay(c._monotonic())
            if delay is None:
                return
            self._sleep(delay)
            c._apply_resolved(state)
            if not state.tasks[0].done:
                self._round(state)
            yield state.tasks[0]

    def resolve(self, task: Task) -> None:
        """Hand a task state learned elsewhere (a verified callback) to any pending wait, which returns it
        without polling again."""
        self._client._hub.put(task)

    def notify(self, task_id: str) -> None:
        """Wake pending waits so they check status now (an unverified callback: re-fetch, don't trust)."""
        self._client._hub.put(None, task_id)
