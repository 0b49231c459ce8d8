"""The waiter's side of a wait, pure: one wait's task states and progress (``_WaitState``), the order in
which ``as_completed`` hands tasks out (``_Delivery``), what a finished wait returns or raises
(``_outcome``). The status requests themselves belong to the client's hub (``_hub``, ``_drive``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ._exceptions import TaskFailedError, TaskTimeoutError
from ._logging import logger
from ._models import Task, TaskStatus
from ._status import _merge

ProgressCallback = Callable[[Task, float], None]


@dataclass
class _WaitState:
    """The waiter's side of one wait over several tasks: their latest states, progress callbacks and
    logging (pure: the caller passes the time). The status requests are the hub's."""

    tasks: list[Task]
    started: float
    on_progress: ProgressCallback | None = None
    errors: int = 0
    last_error: BaseException | None = None
    _seen: dict[str, TaskStatus] = field(default_factory=dict)

    def pending(self) -> list[Task]:
        return [t for t in self.tasks if not t.done]

    def update(self, found: Mapping[str, Task], now: float) -> None:
        for i, old in enumerate(self.tasks):
            new = found.get(old.id)
            if new is None or old.done:
                continue
            new = _merge(old, new)
            self.tasks[i] = new
            if self._seen.get(new.id) is not new.status:
                logger.info("task %s: %s after %.1f s", new.id, new.status.value, now - self.started)
                self._seen[new.id] = new.status
            if self.on_progress is not None:
                self.on_progress(new, now - self.started)

    def failed(self, exc: BaseException) -> None:
        """A status check failed: remembered, not raised (the wait goes on until ``max_wait``)."""
        self.errors += 1
        self.last_error = exc
        logger.info("status check failed (%s); will retry", exc)


class _Delivery:
    """Which tasks of a wait to hand out next, each once (``as_completed``): finished ones as they
    finish; when the wait ends (deadline), the ones still running, in the caller's order."""

    def __init__(self, state: _WaitState) -> None:
        self.state = state
        self.given: set[int] = set()

    def finished(self) -> list[Task]:
        out = []
        for i, task in enumerate(self.state.tasks):
            if task.done and i not in self.given:
                self.given.add(i)
                out.append(task)
        return out

    def rest(self) -> list[Task]:
        out = [t for i, t in enumerate(self.state.tasks) if i not in self.given]
        self.given.update(range(len(self.state.tasks)))
        return out


def _outcome(task: Task, state: _WaitState, now: float) -> Task:
    if task.status is TaskStatus.FAILED:
        raise TaskFailedError(task)
    if not task.done:
        raise TaskTimeoutError(task, now - state.started)
    return task
