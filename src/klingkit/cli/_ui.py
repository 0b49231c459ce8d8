"""What the command prints: results on stdout, progress and errors on stderr, or one JSON object.

Rules: with ``--json`` stdout carries exactly one JSON object (the result or the error envelope) and
nothing else; progress always goes to stderr. On a terminal progress is a live ``rich`` line (when rich
is installed); otherwise it is a few plain lines, one per change of state. ``-q`` silences progress.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

import click

from ._exit import ErrorReport


def _rich_available() -> bool:
    try:
        import rich  # noqa: F401
    except ImportError:
        return False
    return True


class UI:
    """The printer for one command run."""

    def __init__(
        self,
        *,
        json_mode: bool = False,
        quiet: bool = False,
        debug: bool = False,
        sandbox: bool = False,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.json_mode = json_mode
        self.quiet = quiet
        self.debug = debug
        self.sandbox = sandbox
        self.out = stdout or sys.stdout
        self.err = stderr or sys.stderr
        self._emitted = False

    # --- progress (stderr) ----------------------------------------------------------------------------

    @property
    def live(self) -> bool:
        """True when progress is drawn live (a terminal, rich installed, not quiet)."""
        return not self.quiet and self.err.isatty() and _rich_available()

    def info(self, message: str) -> None:
        """One progress or context line on stderr (silenced by -q)."""
        if not self.quiet:
            click.echo(message, file=self.err)

    def warn(self, message: str) -> None:
        """A warning on stderr (shown even with -q)."""
        click.echo(f"warning: {message}", file=self.err)

    def debug_line(self, message: str) -> None:
        """A line shown only with --debug."""
        if self.debug:
            click.echo(f"debug: {message}", file=self.err)

    @contextmanager
    def status(self, label: str) -> Iterator[StatusLine]:
        """A live status line while waiting for a task; yields a :class:`StatusLine` to update."""
        line = StatusLine(self, label)
        try:
            yield line
        finally:
            line.close()

    # --- results (stdout) -----------------------------------------------------------------------------

    def emit_json(self, payload: Mapping[str, Any]) -> None:
        """Write the one JSON object of this run to stdout (only the first call writes)."""
        if self._emitted:
            return
        self._emitted = True
        self.out.write(json.dumps(payload, default=str, ensure_ascii=False) + "\n")
        self.out.flush()

    def result(self, payload: Mapping[str, Any], lines: Sequence[str]) -> None:
        """A successful result: ``payload`` as JSON with ``--json``, else ``lines`` on stdout."""
        if self.json_mode:
            self.emit_json({"ok": True, **payload})
            return
        prefix = "[sandbox] " if self.sandbox else ""
        for text in lines:
            click.echo(prefix + text if text else text, file=self.out)

    def error(self, report: ErrorReport, extra: Mapping[str, Any] | None = None) -> None:
        """An error: the ``{"ok": false, ...}`` envelope with ``--json``, else plain words on stderr."""
        extra = dict(extra or {})
        if report.task_id and "task_id" not in extra:
            extra["task_id"] = report.task_id
        if self.json_mode:
            self.emit_json({"ok": False, "error": report.to_json(), **extra})
            return
        where = []
        if report.code is not None:
            where.append(f"code {report.code}")
        if report.request_id:
            where.append(f"request {report.request_id}")
        tail = f" ({', '.join(where)})" if where else ""
        click.echo(f"Error: {report.message}{tail}", file=self.err)
        if report.hint:
            click.echo(f"Fix: {report.hint}", file=self.err)
        resume = extra.get("resume")
        if resume and resume not in report.hint:
            click.echo(f"Resume: {resume}", file=self.err)


class StatusLine:
    """A task's progress: a rich status on a terminal, else one plain line per change."""

    def __init__(self, ui: UI, label: str) -> None:
        self.ui = ui
        self.label = label
        self.started = time.monotonic()
        self._last = ""
        self._progress: Any = None
        self._task_id: Any = None
        if ui.live:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=Console(file=ui.err),
                transient=True,
            )
            self._progress.start()
            self._task_id = self._progress.add_task(label, total=None)

    def update(self, state: str) -> None:
        """Show ``state`` (e.g. ``processing``); plain mode prints only when it changes."""
        if self._progress is not None:
            self._progress.update(self._task_id, description=f"{self.label}: {state}")
            return
        if state != self._last:
            self._last = state
            elapsed = time.monotonic() - self.started
            self.ui.info(f"{self.label}: {state} ({elapsed:.0f} s)")

    def bytes(self, done: int, total: int | None) -> None:
        """Show download progress in bytes."""
        if self._progress is not None:
            self._progress.update(self._task_id, total=total, completed=done)

    def close(self) -> None:
        """Stop drawing."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def human_size(n: float) -> str:
    """``1536`` -> ``1.5 KiB``."""
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"  # pragma: no cover
