"""Fixtures for the end-to-end tests: the installed ``klingkit`` command against an in-process sandbox."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from klingkit.sandbox import Sandbox

from ..installed import klingkit_command


@dataclass
class FakeClock:
    """Wall clock plus an offset the test can move forward (the sandbox reads task status off it)."""

    offset: float = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


def wait_for(predicate: Callable[[], object], timeout: float = 30.0) -> None:
    """Wait until ``predicate()`` is true (checked every 50 ms); fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


@dataclass
class Result:
    """A finished command run."""

    code: int
    stdout: str
    stderr: str

    def ok(self) -> dict[str, Any]:
        """The ``--json`` answer of a run that succeeded (exit 0, ``"ok": true``)."""
        assert self.code == 0, (self.stdout, self.stderr)
        obj = self.json()
        assert obj["ok"] is True, obj
        return obj

    def json(self) -> dict[str, Any]:
        """The single JSON object on stdout (fails if there is anything else)."""
        lines = [ln for ln in self.stdout.splitlines() if ln.strip()]
        assert len(lines) == 1, f"stdout is not exactly one JSON line: {self.stdout!r}"
        obj = json.loads(lines[0])
        assert isinstance(obj, dict)
        return obj


@dataclass
class CLI:
    """Runs ``klingkit`` as a subprocess pointed at the test's sandbox, in an isolated home and cwd."""

    exe: str
    sandbox: Sandbox
    home: Path
    cwd: Path
    clock: FakeClock
    env: dict[str, str] = field(default_factory=dict)

    def environ(self) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("KLING_", "KLINGKIT_"))
        }  # no real keys leak in
        env.update(
            KLINGKIT_HOME=str(self.home),
            KLING_API_KEY=self.sandbox.api_key,
            XDG_CONFIG_HOME=str(self.home / "config"),
            NO_COLOR="1",
        )
        env.update(self.env)
        return env

    def args(self, args: Sequence[str], base_url: bool = True) -> list[str]:
        out = [self.exe, *args]
        if base_url:
            out += ["--base-url", self.sandbox.base_url]
        return out

    def run(self, *args: str, base_url: bool = True, timeout: float = 60) -> Result:
        proc = subprocess.run(
            self.args(args, base_url),
            capture_output=True,
            text=True,
            env=self.environ(),
            cwd=self.cwd,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def start(self, *args: str, base_url: bool = True) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.args(args, base_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.environ(),
            cwd=self.cwd,
            stdin=subprocess.DEVNULL,
        )

    def creates(self) -> int:
        return int(self.sandbox.counters().get("creates", 0))


@pytest.fixture(scope="module")
def _sandbox() -> Iterator[tuple[Sandbox, FakeClock]]:
    clock = FakeClock()
    with Sandbox(time_scale=0.0, seed=0, clock=clock) as sb:
        yield sb, clock


@pytest.fixture
def cli(_sandbox: tuple[Sandbox, FakeClock], tmp_path: Path) -> Iterator[CLI]:
    sb, clock = _sandbox
    sb.reset()
    clock.offset = 0.0
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    yield CLI(klingkit_command(), sb, home, work, clock)
    sb.reset()


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    """A 640x480 PNG start frame."""
    from PIL import Image

    path = tmp_path / "photo.png"
    img = Image.new("RGB", (640, 480))
    for x in range(0, 640, 40):
        for y in range(0, 480, 40):
            img.paste((x % 256, y % 256, (x + y) % 256), (x, y, x + 40, y + 40))
    img.save(path)
    return path
