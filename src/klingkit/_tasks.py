"""``client.tasks`` on :class:`~klingkit.Kling`: read, list and wait for tasks (blocking)."""

from __future__ import annotations

import builtins
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._models import Page, Task
from ._reconcile import Fingerprint
from ._steps import Steps, T, run_steps
from ._tasks_base import _TasksBase
from ._wait import ProgressCallback, _Delivery, _outcome, _WaitState

if TYPE_CHECKING:
    from ._client import Kling  # noqa: F401  (named in the base class below)

_WAKE_CHECK = 1.0  # s: a waiting thread wakes this often even without news (signals, Ctrl-C)


class Tasks(_TasksBase["Kling"]):
    """Read and wait for tasks: ``client.tasks``."""

    def _run(self, steps: Steps[T]) -> T:
        return run_steps(self._client._transport, steps)

    def get(self, task_or_id: Task | str, feature: str | None = None) -> Task:
        """The current state of a task. Without ``feature`` (and for a bare id), ``/tasks`` is tried first,
        then the legacy query route of every feature. Raises NotFoundError when no route knows it."""
        return self._run(self._probe_steps(self._client._get_probe(task_or_id, feature)))

    def get_by_external_id(self, external_id: str, feature: str | None = None) -> Task:
        """The task created with ``external_id``. ``feature`` picks the route (default: ``/tasks``, then
        every legacy route). Raises NotFoundError."""
        return self._run(self._probe_steps(self._client._external_probe(external_id, feature)))

    def query(
        self, task_ids: Sequence[str] | str | None = None, external_ids: Sequence[str] | None = None
    ) -> builtins.list[Task]:
        """2026 tasks by id or external id through ``GET /tasks`` (20 per request)."""
        return self._run(self._query_steps(task_ids, external_ids))

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
        return self._run(self._list_steps(feature, page, page_size, cursor))

    def iter(self, feature: str, page_size: int = 100) -> Iterator[Task]:
        """Every task of ``feature``, page after page."""
        at: tuple[int, str | None] | None = (1, None)
        while at is not None:
            result = self.list(feature, page=at[0], page_size=page_size, cursor=at[1])
            yield from result.items
            at = self._next_page(result, at[0])

    def _start(self, tasks: Sequence[Task | str]) -> builtins.list[Task]:
        return [t if isinstance(t, Task) else self.get(t) for t in tasks]

    def _follow(
        self, state: _WaitState, max_wait: float | None, poll_interval: float | None, floor: float | None
    ) -> Iterator[bool]:
        """Register ``state``'s tasks with the client's hub and apply each delivery; yields after each
        one, True once the wait's deadline has passed. Unregisters when closed."""
        c = self._client
        event = threading.Event()
        watch = c._watch(state, max_wait, poll_interval, floor, event.set)
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
        self, state: _WaitState, max_wait: float | None, poll_interval: float | None, floor: float | None
    ) -> Iterator[Task]:
        delivery = _Delivery(state)
        yield from delivery.finished()
        if not state.pending():
            return
        for expired in self._follow(state, max_wait, poll_interval, floor):
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
        poll_floor: float | None = None,
    ) -> Iterator[Task]:
        """Yield each task as soon as it is known to have ended (succeeded or failed: look at its
        ``status``; nothing is raised for a failed task). Status requests are shared with every other
        wait on this client. When ``max_wait`` (s, default the client's) runs out, the tasks still
        running are yielded last, unfinished. Leaving the loop early stops following the rest.

        ``poll_floor`` (s) is the least time between two checks of one task (default 2 s): a throughput
        caller that starts new work as each task ends passes less. Checks follow the pace this client
        learned from tasks of the same kind it saw finish, else the catalog's typical time; with a
        ``poll_floor``, a kind never seen finishing is checked from 1 s on, at half the task's age."""
        state = self._client._wait_state(self._start(tasks), on_progress)
        yield from self._completed(state, max_wait, poll_interval, poll_floor)

    def wait(
        self,
        task: Task | str,
        max_wait: float | None = None,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        poll_floor: float | None = None,
    ) -> Task:
        """Wait until the task ends and return it. ``max_wait`` (s, default the client's, ``defaults.MAX_WAIT``) bounds the
        whole wait. Checks follow the task's typical time from the catalog (none early, closer near its
        typical finish, never closer than ``defaults.POLL_FLOOR`` or ``poll_floor``) unless ``poll_interval`` (s) fixes the
        spacing; waits running at once share their status requests. Raises TaskFailedError, or TaskTimeoutError (the
        task keeps running and is billed)."""
        state = self._client._wait_state(self._start([task]), on_progress)
        for _ in self._completed(state, max_wait, poll_interval, poll_floor):
            pass
        return _outcome(state.tasks[0], state, self._client._monotonic())

    def wait_many(
        self,
        tasks: Sequence[Task | str],
        max_wait: float | None = None,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        raise_on_error: bool = False,
        poll_floor: float | None = None,
    ) -> builtins.list[Task]:
        """Wait for several tasks with coalesced status requests (one ``/tasks`` call per 20 ids; for
        legacy routes a list page or one query per task, whichever costs less). Returns the tasks in
        order: finished, or still running when ``max_wait`` ran out. With ``raise_on_error`` a failure
        or timeout raises as in :meth:`wait`. Built on :meth:`as_completed`."""
        state = self._client._wait_state(self._start(tasks), on_progress)
        for _ in self._completed(state, max_wait, poll_interval, poll_floor):
            pass
        return self._client._outcomes(state, raise_on_error)

    def iter_status(
        self,
        task: Task | str,
        max_wait: float | None = None,
        poll_interval: float | None = None,
        poll_floor: float | None = None,
    ) -> Iterator[Task]:
        """Yield the task after every status check until it ends or ``max_wait`` runs out; never raises
        for failed tasks or transient errors (for progress displays and followers; ``poll_floor`` as in
        :meth:`as_completed`)."""
        first = task if isinstance(task, Task) else self.get(task)
        state = self._client._wait_state([first], None)
        yield first
        if first.done:
            return
        for expired in self._follow(state, max_wait, poll_interval, poll_floor):
            yield state.tasks[0]
            if expired or state.tasks[0].done:
                return
