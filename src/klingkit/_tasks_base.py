"""What ``client.tasks`` does, written once for both clients: its reads as request steps (``_steps``), which
the blocking shell (``_tasks``) and the async one (``_tasks_async``) only drive; the shells differ in that,
and in how a wait sleeps on the client's status hub.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Generic, TypeVar

from ._base import _BaseKling, _query_chunks
from ._models import Page, Task
from ._status import _PROBE_MISS, _Probe
from ._steps import Steps, _Call
from ._wire import parse_tasks
from .catalog import NEW_TASKS_PATH, PAGE_NUM

ClientT = TypeVar("ClientT", bound=_BaseKling)


class _TasksBase(Generic[ClientT]):
    """The parts of ``client.tasks`` that do not depend on how requests are sent."""

    def __init__(self, client: ClientT) -> None:
        self._client = client

    def _probe_steps(self, probe: _Probe) -> Steps[Task]:
        """Try the probe's routes in turn; a route that does not know the id is skipped unless strict."""
        for q in probe.queries:
            try:
                task = probe.read(q, (yield _Call(q.method, q.path, q.params, family=q.family)))
            except _PROBE_MISS:
                if probe.strict:
                    raise
                continue
            if task is not None:
                return task
        raise self._client._not_found(probe.missing)

    @staticmethod
    def _query_steps(
        task_ids: Sequence[str] | str | None, external_ids: Sequence[str] | None
    ) -> Steps[builtins.list[Task]]:
        key, chunks = _query_chunks(task_ids, external_ids)
        tasks: list[Task] = []
        for chunk in chunks:
            data = yield _Call("GET", NEW_TASKS_PATH, {key: chunk}, family="new")
            tasks.extend(parse_tasks(data, family="new"))
        return tasks

    def _list_steps(self, feature: str, page: int, page_size: int, cursor: str | None) -> Steps[Page[Task]]:
        method, path, params, body = self._client._list_request(feature, page, page_size, cursor)
        data = yield _Call(method, path, params, body)
        return self._client._list_page(feature, page, page_size, data)

    @staticmethod
    def _next_page(result: Page[Task], page: int) -> tuple[int, str | None] | None:
        """The page after ``result`` (number and cursor) for ``iter``, or None at the end."""
        if not result.has_more or not result.items or page >= PAGE_NUM[1]:
            return None
        return page + 1, result.next_cursor

    def resolve(self, task: Task) -> None:
        """Hand a task state learned elsewhere (a verified callback) to any pending wait, which returns it
        without polling again."""
        self._client._hub.resolve(task)

    def notify(self, task_id: str) -> None:
        """Wake pending waits so they check status now (an unverified callback: re-fetch, don't trust)."""
        self._client._hub.notify(task_id, self._client._monotonic())
