"""``client.tasks`` on :class:`~klingkit.AsyncKling`: the async twin of ``_tasks``."""

from __future__ import annotations

import asyncio
import builtins
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._models import Page, Task
from ._reconcile import Fingerprint
from ._steps import Steps, T, arun_steps, share_docs
from ._tasks import Tasks
from ._tasks_base import _TasksBase
from ._wait import ProgressCallback, _Delivery, _outcome, _WaitState

if TYPE_CHECKING:
    from ._client import AsyncKling  # noqa: F401  (named in the base class below)


class AsyncTasks(_TasksBase["AsyncKling"]):
    """The async twin of :class:`Tasks`: ``client.tasks`` on :class:`AsyncKling` (same methods, awaited;
    their docstrings are :class:`Tasks`'s)."""

    async def _run(self, steps: Steps[T]) -> T:
        return await arun_steps(self._client._transport, steps)

    async def get(self, task_or_id: Task | str, feature: str | None = None) -> Task:
        return await self._run(self._probe_steps(self._client._get_probe(task_or_id, feature)))

    async def get_by_external_id(self, external_id: str, feature: str | None = None) -> Task:
        return await self._run(self._probe_steps(self._client._external_probe(external_id, feature)))

    async def query(
        self, task_ids: Sequence[str] | str | None = None, external_ids: Sequence[str] | None = None
    ) -> builtins.list[Task]:
        return await self._run(self._query_steps(task_ids, external_ids))

    async def reconcile(
        self, fingerprint: Fingerprint | Mapping[str, Any], claimed: Iterable[str] = ()
    ) -> Task:
        from ._reconcile import reconcile_async

        task = await reconcile_async(self._client, fingerprint, [*claimed, *self._client._claimed], True)
        assert task is not None  # raise_absent=True: None is raised as NotFoundError
        return task

    async def list(
        self, feature: str, page: int = 1, page_size: int = 30, cursor: str | None = None
    ) -> Page[Task]:
        return await self._run(self._list_steps(feature, page, page_size, cursor))

    async def iter(self, feature: str, page_size: int = 100) -> AsyncIterator[Task]:
        at: tuple[int, str | None] | None = (1, None)
        while at is not None:
            result = await self.list(feature, page=at[0], page_size=page_size, cursor=at[1])
            for task in result.items:
                yield task
            at = self._next_page(result, at[0])

    async def _start(self, tasks: Sequence[Task | str]) -> builtins.list[Task]:
        return [t if isinstance(t, Task) else await self.get(t) for t in tasks]

    async def _follow(
        self, state: _WaitState, max_wait: float | None, poll_interval: float | None, floor: float | None
    ) -> AsyncGenerator[bool, None]:
        """Register ``state``'s tasks with the client's hub and apply each delivery; yields after each
        one, True once the wait's deadline has passed. Unregisters when closed or cancelled."""
        c = self._client
        loop = asyncio.get_running_loop()
        event = asyncio.Event()

        def signal() -> None:
            with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
                loop.call_soon_threadsafe(event.set)

        watch = c._watch(state, max_wait, poll_interval, floor, signal)
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
        self, state: _WaitState, max_wait: float | None, poll_interval: float | None, floor: float | None
    ) -> AsyncGenerator[Task, None]:
        delivery = _Delivery(state)
        for task in delivery.finished():
            yield task
        if not state.pending():
            return
        follow = self._follow(state, max_wait, poll_interval, floor)
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
        poll_floor: float | None = None,
    ) -> AsyncIterator[Task]:
        state = self._client._wait_state(await self._start(tasks), on_progress)
        completed = self._completed(state, max_wait, poll_interval, poll_floor)
        try:
            async for task in completed:
                yield task
        finally:
            await completed.aclose()

    async def _drain(
        self, state: _WaitState, max_wait: float | None, poll_interval: float | None, floor: float | None
    ) -> None:
        completed = self._completed(state, max_wait, poll_interval, floor)
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
        poll_floor: float | None = None,
    ) -> Task:
        state = self._client._wait_state(await self._start([task]), on_progress)
        await self._drain(state, max_wait, poll_interval, poll_floor)
        return _outcome(state.tasks[0], state, self._client._monotonic())

    async def wait_many(
        self,
        tasks: Sequence[Task | str],
        max_wait: float | None = None,
        poll_interval: float | None = None,
        on_progress: ProgressCallback | None = None,
        raise_on_error: bool = False,
        poll_floor: float | None = None,
    ) -> builtins.list[Task]:
        state = self._client._wait_state(await self._start(tasks), on_progress)
        await self._drain(state, max_wait, poll_interval, poll_floor)
        return self._client._outcomes(state, raise_on_error)

    async def iter_status(
        self,
        task: Task | str,
        max_wait: float | None = None,
        poll_interval: float | None = None,
        poll_floor: float | None = None,
    ) -> AsyncIterator[Task]:
        first = task if isinstance(task, Task) else await self.get(task)
        state = self._client._wait_state([first], None)
        yield first
        if first.done:
            return
        follow = self._follow(state, max_wait, poll_interval, poll_floor)
        try:
            async for expired in follow:
                yield state.tasks[0]
                if expired or state.tasks[0].done:
                    return
        finally:
            await follow.aclose()


share_docs(AsyncTasks, Tasks)
