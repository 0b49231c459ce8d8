"""Rendering outputs in worker processes, so the process that answers requests never waits on a render.

A render is a tenth of a second of CPU (an image) to seconds (a 1080p clip). Done in a thread of the serving
process, it takes the GIL in turns with the event loop, and every create and status answer slows down while
outputs are downloaded (``bench/bench_batch.py --concurrency 20``: the creates' median latency doubled and
the batch's makespan grew by about a fifth). With ``render_processes=N`` (``Sandbox(render_processes=2)``)
each render goes to one of N long-lived ``python -m klingkit.sandbox._render_worker`` processes, started
on the first render. A worker that cannot start or dies leaves its render to the calling thread, as
without workers. Jobs and answers are JSON lines on the worker's stdin and stdout; a worker exits when its
stdin closes, so workers never outlive their sandbox's process.

A plain subprocess, not ``multiprocessing``: spawning would re-run the user's ``__main__`` (a script that
starts a sandbox without an ``if __name__ == "__main__"`` guard), and forking a process that runs the
server's threads is unsafe.
"""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import sys
import threading
from typing import IO, Any


class RenderPool:
    """Up to ``size`` worker processes; ``run`` blocks the calling thread (a request's worker thread)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._idle: queue.Queue[subprocess.Popen[str]] = queue.Queue()
        self._all: list[subprocess.Popen[str]] = []
        self._lock = threading.Lock()
        self._failed = False  # a worker could not start here: stop trying

    def run(self, job: dict[str, Any]) -> bool:
        """Render ``job`` (see ``_outputs.render_job``) in a worker. False when no worker could do it (the
        caller renders it itself); a render error is raised as RuntimeError naming the worker's error."""
        proc = self._take()
        if proc is None:
            return False
        stdin, stdout = _pipes(proc)
        try:
            stdin.write(json.dumps(job) + "\n")
            stdin.flush()
            line = stdout.readline()
        except (OSError, ValueError):
            line = ""
        if not line:  # the worker died (killed, out of memory): forget it
            with self._lock:
                if proc in self._all:
                    self._all.remove(proc)
            proc.kill()
            _end(proc)
            return False
        self._idle.put(proc)
        error = json.loads(line).get("error")
        if error:
            raise RuntimeError(f"render failed in the sandbox's worker: {error}")
        return True

    def _take(self) -> subprocess.Popen[str] | None:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._failed:
                return None
            if len(self._all) < self.size:
                try:
                    proc = subprocess.Popen(
                        [sys.executable, "-m", "klingkit.sandbox._render_worker"],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        text=True,
                        start_new_session=True,  # Ctrl-C on `sandbox serve` is the server's to handle
                    )
                except OSError:
                    self._failed = True
                    return None
                self._all.append(proc)
                return proc
        return self._idle.get()

    def close(self) -> None:
        """End every worker (they also end on their own when this process exits)."""
        with self._lock:
            procs, self._all = self._all, []
        for proc in procs:
            _end(proc)


def _end(proc: subprocess.Popen[str]) -> None:
    """Close the worker's pipes (its stdin's end is its signal to exit) and reap it."""
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            with contextlib.suppress(OSError):  # a dead worker's unflushed stdin
                pipe.close()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _pipes(proc: subprocess.Popen[str]) -> tuple[IO[str], IO[str]]:
    assert proc.stdin is not None and proc.stdout is not None
    return proc.stdin, proc.stdout


def main() -> None:
    """The worker: one JSON job per line in, one JSON answer per line out."""
    from ._outputs import render_job

    for line in sys.stdin:
        try:
            render_job(json.loads(line))
            answer: dict[str, Any] = {"ok": True}
        except Exception as exc:  # the sandbox reports it; the worker lives on for the next job
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
