"""What the command prints: results on stdout, progress and errors on stderr, or one JSON object.

Rules: with ``--json`` stdout carries exactly one JSON object (the result or the error envelope) and
nothing else; progress always goes to stderr. Progress is drawn by :mod:`._progress`: a
line redrawn in place on a terminal, else plain lines on each change and every 30 s. ``-q`` silences progress.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

import click

from ._exit import ErrorReport
from ._progress import Progress


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

    def info(self, message: str) -> None:
        """One progress or context line on stderr (silenced by -q)."""
        if not self.quiet:
            click.echo(message, file=self.err)

    def warn(self, message: str) -> None:
        """``Warning: ...`` on stderr in CLI words, once per run (shown even with -q)."""
        from ._globals import warn_once

        warn_once(message)

    def debug_line(self, message: str) -> None:
        """A line shown only with --debug."""
        if self.debug:
            click.echo(f"debug: {message}", file=self.err)

    @contextmanager
    def status(
        self, label: str, task_id: str | None = None, typical: float | None = None
    ) -> Iterator[Progress]:
        """The progress line of a task while waiting or downloading (see :mod:`._progress`)."""
        line = Progress(self, label, task_id, typical)
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
        if report.command:
            click.echo(f"Try: {report.command}", file=self.err)
        resume = extra.get("resume")
        if resume and resume not in report.hint:
            click.echo(f"Resume: {resume}", file=self.err)
