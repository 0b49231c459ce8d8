"""``client.tasks`` on :class:`~klingkit.Kling`: read, list and wait for tasks (blocking)."""

from __future__ import annotations

import builtins
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._base import _query_chunks
from ._models import Page, Task
from ._reconcile import Fingerprint
from ._status import _PROBE_MISS, _Probe, _Query
from ._wait import ProgressCallback, _Delivery, _outcome, _WaitState
from ._wire import Envelope, parse_tasks
from .catalog import NEW_TASKS_PATH, PAGE_NUM

if TYPE_CHECKING:
    from ._client import Kling

_WAKE_CHECK = 1.0  # s: a waiting thread wakes this often even without news (signals, Ctrl-C)


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

    def _start(self, tasks: Sequence[Task | str]) -> builtins.list[Task]:
        return [t if isinstance(t, Task) else self.get(t) for t in tasks]

    def _follow(
        self, state: _WaitState, max_wait: float | None, poll_interval: float | None
    ) -> Iterator[bool]:
        """Register ``state``'s tasks with the client's hub and apply each delivery; yields after each
        one, True once the wait's deadline has passed. Unregisters when closed."""
        c = self._client
        event = threading.Event()
        watch = c._watch(state, max_wait, poll_interval, event.set)
        c._hub.add(watch, state.tasks, c._monotonic())
        c._driver.ensure()
        try:
            while True:
                while not event.wait(_WAKE_CHECK):  # a timeout, so Ctrl-C and signals get through
                    pass
                event.clear()
                yield from c._take(watch, state)
        finally:
            c._hub.remove(watch)

    def _completed(
        self, state: _WaitState, max_wait: float | None, poll_interval: float | None
    ) -> Iterator[Task]:
        delivery = _Delivery(state)
        yield from delivery.finished()
        if not state.pending():
            return
        for expired in self._follow(state, max_wait, poll_interval):
            yield from delivery.finished()
            if not state.pending():
                return
            if expired:
                yield from delivery.rest()
                return

    def as_completed(
        self,
        tasks: Sequence[Task | str],
        max_wait: float | None = None,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Iterator[Task]:
        """Yield each task as soon as it is known to have ended (succeeded or failed: look at its
        ``status``; nothing is raised for a failed task). Status requests are shared with every other
        wait on this client. When ``max_wait`` (s, default the client's) runs out, the tasks still
        running are yielded last, unfinished. Leaving the loop early stops following the rest."""
        state = self._client._wait_state(self._start(tasks), on_progress)
        yield from self._completed(state, max_wait, poll_interval)

    def wait(
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
        state = self._client._wait_state(self._start([task]), on_progress)
        for _ in self._completed(state, max_wait, poll_interval):
            pass
        return _outcome(state.tasks[0], state, self._client._monotonic())

    def wait_many(
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
        state = self._client._wait_state(self._start(tasks), on_progress)
        for _ in self._completed(state, max_wait, poll_interval):
            pass
        return self._client._outcomes(state, raise_on_error)

    def iter_status(
        self, task: Task | str, max_wait: float | None = None, poll_interval: float | None = None
    ) -> Iterator[Task]:
        """Yield the task after every status check until it ends or ``max_wait`` runs out; never raises
        for failed tasks or transient errors (for progress displays)."""
        first = task if isinstance(task, Task) else self.get(task)
        state = self._client._wait_state([first], None)
        yield first
        if first.done:
            return
        for expired in self._follow(state, max_wait, poll_interval):
            yield state.tasks[0]
            if expired or state.tasks[0].done:
                return

    def resolve(self, task: Task) -> None:
        """Hand a task state learned elsewhere (a verified callback) to any pending wait, which returns it
        without polling again."""
        self._client._hub.resolve(task)

    def notify(self, task_id: str) -> None:
        """Wake pending waits so they check status now (an unverified callback: re-fetch, don't trust)."""
        self._client._hub.notify(task_id, self._client._monotonic())
