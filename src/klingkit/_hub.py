"""One status hub per client: every wait registers its tasks here, and one schedule plans the status
requests for all tasks in flight.

Waits (``wait``, ``wait_many``, ``as_completed``, ``iter_status``, from any number of coroutines or threads)
add a :class:`Watch` and sleep on it. A driver (``_drive``: a thread for ``Kling``, an asyncio task for
``AsyncKling``) asks :meth:`StatusHub.plan` which tasks are due, sends one coalesced round for them, and
hands the answers to :meth:`StatusHub.apply`, which delivers fresh tasks to the watches and schedules each
task's next check (``_retry.next_check``, from the catalog's typical time). This class holds the decisions
and the shared state behind one lock; it never sends or sleeps.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timezone

from . import _constants as C
from ._hub_pace import PaceBook, explore_gap, finished_seconds, pace_key
from ._models import Task
from ._retry import next_check
from ._status import _merge, _Query, legacy_page_is_cheaper, plan_status_queries
from .catalog import ENDPOINTS, typical_seconds


@dataclass(eq=False)
class Watch:
    """One wait's registration: the ids it waits for, fresh states delivered to it, and its deadline
    (monotonic seconds). ``signal`` wakes the waiting thread or coroutine."""

    ids: tuple[str, ...]
    deadline: float | None
    fixed: float | None
    signal: Callable[[], None] = lambda: None
    inbox: list[dict[str, Task]] = field(default_factory=list)  # deliveries in order, each check's states
    errors: list[BaseException] = field(default_factory=list)
    expired: bool = False
    broken: BaseException | None = None  # the driver itself failed: raise this in the waiter
    floor: float | None = None  # a throughput wait's least seconds between two checks of one task


@dataclass
class _Track:
    """One task in flight: its latest state and its place in the schedule."""

    task: Task
    born: float  # monotonic time the task started (its server created_at when trusted)
    typical: tuple[float, float] | None
    next_due: float
    last_check: float | None = None
    watches: int = 0


def typical_of(task: Task) -> tuple[float, float] | None:
    """The catalog's typical (min, max) seconds for ``task``, from its route and parameters."""
    feature = task.feature
    if feature not in ENDPOINTS:
        return None
    params = task.params or {}

    def number(key: str) -> float | None:
        try:
            return float(params[key]) if params.get(key) is not None else None
        except (TypeError, ValueError):
            return None

    count = number("n")
    low, high = typical_seconds(
        feature,
        model=task.model,
        mode=str(params["mode"]) if params.get("mode") else None,
        resolution=str(params["resolution"]) if params.get("resolution") else None,
        duration=number("duration"),
        count=int(count) if count else None,
    )
    return (low, high) if high > 0 else None


def task_age(task: Task, wall_now: float) -> float:
    """Seconds the task has existed by the server's ``created_at`` (0 when unknown or untrustworthy)."""
    created = task.created_at
    if created is None:
        return 0.0
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    age = wall_now - created.timestamp()
    return age if 0.0 <= age <= C.TASK_AGE_TRUSTED else 0.0


class StatusHub:
    """The shared state of every wait on one client; thread-safe; all times are the client's monotonic
    clock, passed in by the driver (pure apart from the lock)."""

    def __init__(self, wall: Callable[[], float] = time.time) -> None:
        self.lock = threading.Lock()
        self.watches: list[Watch] = []
        self.tracks: dict[str, _Track] = {}
        self.depth: dict[str, int] = {}  # legacy feature -> rows down the list our oldest task was seen
        self.unlisted: set[str] = set()  # legacy ids a list page did not show: single GETs for them
        self.wake: Callable[[], None] = lambda: None  # wakes the driver's sleep; set by the driver
        self._wall = wall
        self._pushed: dict[str, Task] = {}  # states from callbacks for tasks no wait holds yet
        self._gather_at: float | None = None  # when the pending first round of new waits goes out
        self.pace = PaceBook()  # how long each kind of task took, from those seen finishing
        self.sent = 0  # status requests the driver sent for the waits (for reports and benchmarks)

    # --- waits come and go ----------------------------------------------------------------------

    def add(self, watch: Watch, tasks: Sequence[Task], now: float) -> None:
        """Register a wait; its unfinished tasks get a status check within ``POLL_GATHER`` (shared with
        every wait that starts meanwhile) unless another wait has just checked them."""
        with self.lock:
            self.watches.append(watch)
            for task in tasks:
                pushed = self._pushed.pop(task.id, None)
                if pushed is not None:
                    task = _merge(task, pushed)
                if task.done:
                    watch.inbox.append({task.id: task})
                    continue
                track = self.tracks.get(task.id)
                # Waits that start within POLL_GATHER of each other share one first round.
                if self._gather_at is None or self._gather_at < now:
                    self._gather_at = now + C.POLL_GATHER
                if track is None:
                    age = task_age(task, self._wall())
                    track = _Track(task, now - age, typical_of(task), self._gather_at)
                    self.tracks[task.id] = track
                    if watch.floor is not None and task.created_at is not None:
                        # A throughput wait hands over a task it has just seen (a create's answer, with
                        # the server's created_at): its first check follows the schedule from its age.
                        track.next_due = now + self._gap(track, age, watch.fixed, watch.floor)
                elif track.last_check is None or now - track.last_check > self._floor(track):
                    track.next_due = min(track.next_due, self._gather_at)
                track.watches += 1
        if watch.inbox:
            watch.signal()
        self.wake()

    def remove(self, watch: Watch) -> None:
        """Unregister a wait (finished, timed out, cancelled); tasks no other wait holds are dropped."""
        with self.lock:
            if watch not in self.watches:
                return
            self.watches.remove(watch)
            for tid in watch.ids:
                track = self.tracks.get(tid)
                if track is not None:
                    track.watches -= 1
                    if track.watches <= 0:
                        del self.tracks[tid]

    def idle(self) -> bool:
        return not self.watches

    # --- callbacks --------------------------------------------------------------------------------

    def resolve(self, task: Task) -> None:
        """A verified state from elsewhere (a callback): delivered to the waits without a request."""
        with self.lock:
            track = self.tracks.get(task.id)
            if track is None:
                self._pushed[task.id] = task
                return
            track.task = _merge(track.task, task)
            watches = self._deliver({task.id: track.task})
        for w in watches:
            w.signal()
        self.wake()

    def notify(self, task_id: str, now: float) -> None:
        """An unverified hint that ``task_id`` changed: check it now (re-fetch, don't trust)."""
        with self.lock:
            track = self.tracks.get(task_id)
            if track is not None:
                track.next_due = min(track.next_due, now)
        self.wake()

    # --- the schedule -------------------------------------------------------------------------------

    def _due(self, track: _Track) -> float:
        deadlines = [
            w.deadline
            for w in self.watches
            if w.deadline is not None and not w.expired and track.task.id in w.ids
        ]
        return min([track.next_due, *deadlines])

    def plan(self, now: float) -> tuple[list[_Query], float | None]:
        """The status requests to send now (for every due task, plus tasks due soon that ride along at
        no extra request), or none and the monotonic time of the next due check (None: nothing waits)."""
        with self.lock:
            active = {tid for w in self.watches if not w.expired for tid in w.ids}
            live = {tid: t for tid, t in self.tracks.items() if tid in active and not t.task.done}
            if not live:
                return [], None
            due_at = {tid: self._due(t) for tid, t in live.items()}
            due = [tid for tid, at in due_at.items() if at <= now]
            if not due:
                return [], min(due_at.values())
            chosen = set(due)
            # Riders: tasks due soon (within half their interval, and not checked in the last POLL_FLOOR)
            # join a request that is sent anyway: free places among a /tasks request's 20 ids, or a legacy
            # list page that serves its whole feature.
            spare = self._spare_places(live, chosen)
            for tid in sorted(live, key=lambda t: due_at[t]):
                track = live[tid]
                group = _group(track.task)
                if tid in chosen or spare.get(group, 0) <= 0:
                    continue
                if track.last_check is None:  # never checked: a first look is never wasted
                    chosen.add(tid)
                    spare[group] -= 1
                    continue
                last = track.last_check
                floor = self._floor(track)
                if due_at[tid] - now <= 0.5 * max(due_at[tid] - last, 0.0) and now - last >= floor:
                    chosen.add(tid)
                    spare[group] -= 1
            tasks = [live[tid].task for tid in live if tid in chosen]
            return plan_status_queries(tasks, self.depth, self.unlisted), None

    def apply(
        self,
        asked: Sequence[str],
        found: Mapping[str, Task],
        errors: Sequence[BaseException],
        now: float,
        fixed_default: float | None,
    ) -> None:
        """Take one round's answers: deliver fresh states, schedule each asked task's next check, and
        end the waits whose deadline has passed."""
        with self.lock:
            fresh: dict[str, Task] = {}
            learned: list[_Track] = []
            shared = self._sharing()
            for tid in asked:
                track = self.tracks.get(tid)
                if track is None:
                    continue
                track.last_check = now
                if tid in found:
                    was_done = track.task.done
                    track.task = _merge(track.task, found[tid])
                    fresh[tid] = track.task
                    age = task_age(track.task, self._wall())  # the server's clock, when it tells
                    if age > 0:
                        track.born = min(track.born, now - age)
                    if track.task.done and not was_done:
                        learned.append(track)
                fixed = self._fixed(tid, fixed_default)
                gain = min(float(shared.get(_group(track.task), 1)), C.POLL_SHARED_GAIN)
                track.next_due = now + self._gap(track, now - track.born, fixed, self._floor(track), gain)
            for track in learned:
                self._learn(track, now)
            signal = self._deliver(fresh)
            for w in self.watches:
                if errors and any(t in w.ids for t in asked):
                    w.errors.extend(errors)
                if w.deadline is not None and w.deadline <= now and not w.expired:
                    w.expired = True
                    signal.append(w)
        for w in dict.fromkeys(signal):
            w.signal()

    def fail_all(self, exc: BaseException) -> None:
        """The driver broke (a bug, not a status error): every wait raises ``exc``."""
        with self.lock:
            watches = list(self.watches)
            for w in watches:
                w.broken = exc
        for w in watches:
            w.signal()

    def expire_due(self, now: float) -> None:
        """End waits whose deadline passed while nothing of theirs could be checked."""
        with self.lock:
            ended = [
                w for w in self.watches if w.deadline is not None and w.deadline <= now and not w.expired
            ]
            for w in ended:
                w.expired = True
        for w in ended:
            w.signal()

    def _deliver(self, fresh: Mapping[str, Task]) -> list[Watch]:
        out = []
        for w in self.watches:
            got = {tid: task for tid, task in fresh.items() if tid in w.ids}
            if got:
                w.inbox.append(got)
                out.append(w)
        return out

    def _fixed(self, tid: str, default: float | None) -> float | None:
        chosen = [w.fixed for w in self.watches if w.fixed is not None and tid in w.ids]
        return min(chosen) if chosen else default

    def _spare_places(self, live: Mapping[str, _Track], chosen: set[str]) -> dict[str, int]:
        """Free places, per group, in the requests the chosen tasks already need."""
        counts: dict[str, int] = {}
        for tid in chosen:
            group = _group(live[tid].task)
            counts[group] = counts.get(group, 0) + 1
        spare = {}
        for group, n in counts.items():
            if not group.startswith("legacy:"):
                spare[group] = -n % C.TASKS_QUERY_BATCH
                continue
            feature = group.split(":", 1)[1]
            waiting = sum(
                1 for t in live.values() if _group(t.task) == group and t.task.id not in self.unlisted
            )
            if legacy_page_is_cheaper(waiting, self.depth.get(feature)):
                spare[group] = waiting  # a page serves every task of the feature
        return spare

    def _floor(self, track: _Track) -> float:
        """The least seconds between two checks of ``track``: the lowest floor of the throughput waits
        holding it; else 2 s, or the seeds' 5 s for a task of unknown route."""
        chosen = [w.floor for w in self.watches if w.floor is not None and track.task.id in w.ids]
        if chosen:
            return max(min(chosen), C.POLL_MIN)
        return C.POLL_FLOOR if track.typical is not None else C.POLL_FLOOR_UNKNOWN

    def _learn(self, done: _Track, now: float) -> None:
        """A task was seen finished: one more sample of its kind's pace. On the first, the throughput
        waits' tasks of that kind (explored until now) are brought forward to the start of the learned
        range (now, if they are past it)."""
        first = self.pace.typical(done.task) is None
        self.pace.observe(done.task, finished_seconds(done.task))
        key = pace_key(done.task)
        learned = self.pace.typical(done.task)
        if not first or key is None or learned is None:
            return
        for track in self.tracks.values():
            if track.task.done or pace_key(track.task) != key or not self._throughput(track):
                continue
            if self._fixed(track.task.id, None) is not None:
                continue
            track.next_due = min(track.next_due, max(now, track.born + learned[0]))

    def _throughput(self, track: _Track) -> bool:
        return any(w.floor is not None and track.task.id in w.ids for w in self.watches)

    def _sharing(self) -> dict[str, int]:
        """How many waited-for tasks one status request serves, per group: up to 20 ids on ``/tasks``;
        on a legacy route every task of the feature when a list page is the cheaper way, else one."""
        counts: dict[str, int] = {}
        for track in self.tracks.values():
            if not track.task.done:
                group = _group(track.task)
                counts[group] = counts.get(group, 0) + 1
        out = {}
        for group, n in counts.items():
            if group.startswith("legacy:"):
                out[group] = n if legacy_page_is_cheaper(n, self.depth.get(group.split(":", 1)[1])) else 1
            else:
                out[group] = min(n, C.TASKS_QUERY_BATCH)
        return out

    def _gap(self, track: _Track, age: float, fixed: float | None, floor: float, gain: float = 1.0) -> float:
        """Seconds to ``track``'s next check: the pace learned for its kind when there is one, else the
        catalog's; a throughput wait on a kind never seen finishing explores (``_hub_pace``)."""
        if fixed is not None:
            return next_check(age, None, fixed, floor)
        learned = self.pace.typical(track.task)
        if learned is not None:
            return next_check(age, learned, None, floor, learned=True, gain=gain)
        if self._throughput(track):
            return explore_gap(age, floor)
        return next_check(age, track.typical, None, floor, gain=gain)


def _group(task: Task) -> str:
    """Tasks one status request can serve together: a 2026/solutions family, or one legacy feature."""
    family = task.family or (ENDPOINTS[task.feature].family if task.feature in ENDPOINTS else "legacy")
    return family if family in ("new", "solutions") else f"legacy:{task.feature}"
