"""The progress of one task on stderr: status, elapsed time, the typical duration, download bytes.

On a terminal one line is redrawn every second and cut to the terminal's width, most useful facts first
(status and clock, then the typical time, then the label and id), so it fits 40 columns. Without a
terminal (CI logs, pipes) a plain line is printed when the status changes and every 30 seconds
(``KLINGKIT_PROGRESS_EVERY``), so a long task never looks hung. ``-q`` and ``--json`` keep it quiet
unless stderr is wanted.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from typing import TYPE_CHECKING, TextIO

from klingkit import defaults

if TYPE_CHECKING:
    from ._ui import UI

PLAIN_EVERY_ENV = "KLINGKIT_PROGRESS_EVERY"
PLAIN_EVERY_SECONDS = defaults.PROGRESS_EVERY
_SPINNER = "|/-\\"


def clock(seconds: float) -> str:
    """``75`` -> ``1m15s``; ``3725`` -> ``1h02m``; under a minute ``42s``."""
    s = max(0, int(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def human_bytes(n: float) -> str:
    """``1536`` -> ``1.5 KiB``."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"  # pragma: no cover


def fit(parts: list[str], width: int) -> str:
    """Join ``parts`` (most important first) with spaces, dropping the ones that no longer fit."""
    line = ""
    for part in parts:
        candidate = f"{line} {part}" if line else part
        if len(candidate) <= width:
            line = candidate
    return line


class Progress:
    """One task's progress line (``with ui.status(...)``); update it with :meth:`update` and :meth:`bytes`."""

    def __init__(self, ui: UI, label: str, task_id: str | None = None, typical: float | None = None) -> None:
        self.ui = ui
        self.label = label
        self.task_id = task_id
        self.typical = typical
        self.started = time.monotonic()
        self.state = ""
        self.done_bytes: int | None = None
        self.total_bytes: int | None = None
        self._out: TextIO = ui.err
        self.quiet = ui.quiet
        self.tty = not self.quiet and self._out.isatty()
        self._printed = ""
        self._last_plain = 0.0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._tick = 0
        try:
            self.every = float(os.environ.get(PLAIN_EVERY_ENV, PLAIN_EVERY_SECONDS))
        except ValueError:
            self.every = PLAIN_EVERY_SECONDS
        self._thread: threading.Thread | None = None
        if not self.quiet:
            self._thread = threading.Thread(target=self._run, name="klingkit-progress", daemon=True)
            self._thread.start()

    # --- what is shown ----------------------------------------------------------------------------

    def parts(self) -> list[str]:
        """The facts of the line, most important first."""
        elapsed = time.monotonic() - self.started
        out = [self.state or "waiting"]
        if self.done_bytes is not None:
            have = human_bytes(self.done_bytes)
            if self.total_bytes:
                pct = 100 * self.done_bytes / self.total_bytes
                out = [f"downloading {have}/{human_bytes(self.total_bytes)} {pct:.0f}%"]
            else:
                out = [f"downloading {have}"]
            out.append(clock(elapsed))
        else:
            out.append(clock(elapsed))
            if self.typical:
                out.append(f"(typically ~{clock(self.typical)})")
        out.append(self.label)
        if self.task_id:
            out.append(self.task_id)
        return out

    def render(self, width: int) -> str:
        """The line at ``width`` columns (a terminal line keeps its last column free)."""
        return fit(self.parts(), width)

    def plain(self) -> str:
        """The line without a terminal: label and id first, as a log line reads best."""
        parts = [p for p in self.parts() if p not in (self.label, self.task_id)]
        head = f"{self.label} {self.task_id}" if self.task_id else self.label
        return f"{head}: {parts[0]}, " + " ".join(parts[1:])

    # --- drawing ----------------------------------------------------------------------------------

    def _draw(self) -> None:
        with self._lock:
            if self.quiet:
                return
            if self.tty:
                width = shutil.get_terminal_size((80, 24)).columns - 1
                spin = _SPINNER[self._tick % len(_SPINNER)]
                self._tick += 1
                text = spin + " " + self.render(width - 2)
                self._out.write("\r\x1b[2K" + text)
                self._out.flush()
                self._printed = text
                return
            now = time.monotonic()
            key = f"{self.state}|{self.done_bytes is None}"
            if key != self._printed or now - self._last_plain >= self.every:
                self._out.write(self.plain() + "\n")
                self._out.flush()
                self._printed, self._last_plain = key, now

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self._draw()

    def update(self, state: str) -> None:
        """A new status (``submitted``, ``processing``...)."""
        if state != self.state:
            self.state = state
            self._draw()

    def bytes(self, done: int, total: int | None) -> None:
        """Download progress in bytes (``total`` None when unknown)."""
        first = self.done_bytes is None
        self.done_bytes, self.total_bytes = done, total
        if first:
            self._draw()

    def close(self) -> None:
        """Stop drawing and clear the terminal line."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
        with self._lock:
            if self.tty and self._printed:
                self._out.write("\r\x1b[2K")
                self._out.flush()
            self.quiet = True
