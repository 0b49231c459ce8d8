"""The bookkeeping of waits, pure apart from a lock: states pushed by callbacks (``_Hub``), one wait's
progress and poll schedule (``_WaitState``), and what a finished wait returns or raises (``_outcome``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ._exceptions import TaskFailedError, TaskTimeoutError
from ._logging import logger
from ._models import Task, TaskStatus
from ._retry import poll_delay
from ._status import _merge

ProgressCallback = Callable[[Task, float], None]


class _Hub:
    """Task states pushed by callbacks (``tasks.resolve``) and wake-ups for waiting loops; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._resolved: dict[str, Task] = {}
        self._wakers: list[Callable[[], None]] = []

    def put(self, task: Task | None, task_id: str | None = None) -> None:
        with self._lock:
            if task is not None:
                self._resolved[task.id] = task
            wakers = list(self._wakers)
        for wake in wakers:
            wake()

    def take(self, task_id: str) -> Task | None:
        with self._lock:
            return self._resolved.pop(task_id, None)

    def add_waker(self, wake: Callable[[], None]) -> None:
        with self._lock:
            self._wakers.append(wake)

    def remove_waker(self, wake: Callable[[], None]) -> None:
        with self._lock:
            if wake in self._wakers:
                self._wakers.remove(wake)


@dataclass
class _WaitState:
    """The bookkeeping of one wait over several tasks (pure: the caller passes the time)."""

    tasks: list[Task]
    started: float
    max_wait: float | None
    initial: float
    rand: Callable[[], float]
    on_progress: ProgressCallback | None = None
    polls: int = 0
    errors: int = 0
    last_error: BaseException | None = None
    fixed_interval: bool = False
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

    def remaining(self, now: float) -> float | None:
        return None if self.max_wait is None else self.max_wait - (now - self.started)

    def next_delay(self, now: float) -> float | None:
        """Seconds to sleep before the next round, or None when the budget is spent."""
        remaining = self.remaining(now)
        if remaining is not None and remaining <= 0:
            return None
        elapsed = None if self.fixed_interval else now - self.started
        delay = poll_delay(self.polls, self.initial, rand=self.rand, remaining=remaining, elapsed=elapsed)
        self.polls += 1
        return delay


def _outcome(task: Task, state: _WaitState, now: float) -> Task:
    if task.status is TaskStatus.FAILED:
        raise TaskFailedError(task)
    if not task.done:
        raise TaskTimeoutError(task, now - state.started)
    return task
