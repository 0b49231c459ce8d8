"""Fixtures: the installed ``klingkit mcp`` driven by the official MCP SDK's client, against a sandbox.

The sandbox runs in the test process (so the test reads its counters and injects faults); the server is
the installed command in a subprocess, pointed at the sandbox with ``--base-url`` and the sandbox's key.

``h`` gives a test its own sandbox, klingkit home (ledger) and server. ``hs`` shares one sandbox and one
stdio server (one process, one ledger, one output folder) among a module's tests whose state allows it:
its counters count from the test's start and the faults a test sets are cleared after it. A module using
``hs`` runs its tests on one event loop (``pytest.mark.asyncio(loop_scope="module")``).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from klingkit.sandbox import Sandbox
from mcp import Client, StdioServerParameters

from ..installed import klingkit_command

TASK_SECONDS = 2.0
"""Every sandbox task takes this long: longer than a generate call may take to answer."""


@pytest.fixture
def sb() -> Iterator[Sandbox]:
    with Sandbox(time_scale=0.0, seed=0) as sandbox:
        sandbox.configure(task_seconds=TASK_SECONDS, concurrency={"video": 20, "image": 20, "audio": 20})
        yield sandbox


def server_env(sb: Sandbox, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KLING_", "KLINGKIT_"))}
    env.update(
        KLINGKIT_HOME=str(home),
        KLING_API_KEY=sb.api_key,
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
    )
    return env


@dataclass
class Harness:
    """One test's sandbox, klingkit home and output folder, and the ways to reach ``klingkit mcp``."""

    sb: Sandbox
    home: Path
    out_dir: Path
    exe: str = field(default_factory=klingkit_command)

    def env(self) -> dict[str, str]:
        return server_env(self.sb, self.home)

    def args(self, *extra: str) -> list[str]:
        return ["mcp", "--base-url", self.sb.base_url, "--output-dir", str(self.out_dir), *extra]

    def stdio_params(self, *extra: str) -> StdioServerParameters:
        """How the SDK's client starts ``klingkit mcp`` (stdio) for this test."""
        return StdioServerParameters(command=self.exe, args=self.args(*extra), env=self.env())

    @asynccontextmanager
    async def stdio(self, *extra: str) -> AsyncIterator[Client]:
        """The SDK's client talking to ``klingkit mcp`` over stdio."""
        async with Client(self.stdio_params(*extra), read_timeout_seconds=60) as client:
            yield client

    @asynccontextmanager
    async def http_server(self, *extra: str) -> AsyncIterator[str]:
        """Start ``klingkit mcp --http --port 0``; yields its URL (read from the line it prints)."""
        argv = [self.exe, *self.args("--http", "--port", "0", *extra)]
        log = self.home / "mcp-http.log"  # a file, not a pipe: a chatty server can never block on it
        with log.open("w") as sink:
            proc = subprocess.Popen(argv, env=self.env(), stderr=sink, text=True)
        try:
            deadline = time.monotonic() + 60
            while not (found := re.search(r"(http://\S+/mcp)", log.read_text())):
                assert proc.poll() is None, f"klingkit mcp --http exited: {log.read_text()}"
                assert time.monotonic() < deadline, f"no URL printed: {log.read_text()}"
                time.sleep(0.05)
            yield found.group(1)
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    @asynccontextmanager
    async def http(self, *extra: str) -> AsyncIterator[Client]:
        """The SDK's client talking to ``klingkit mcp --http`` over streamable HTTP."""
        async with self.http_server(*extra) as url, Client(url, read_timeout_seconds=60) as client:
            yield client

    def creates(self) -> int:
        """Creates the sandbox received (server side; for a shared sandbox, during this test)."""
        return int(self.sb.counters()["creates"])


@pytest.fixture
def h(sb: Sandbox, tmp_path: Path) -> Harness:
    home = tmp_path / "home"
    home.mkdir()
    return Harness(sb, home, tmp_path / "outputs")


class SandboxView:
    """A shared sandbox as one test sees it: counters from the test's start (everything else passes)."""

    def __init__(self, sb: Sandbox) -> None:
        self._sb = sb
        self._start = sb.counters()

    def counters(self) -> dict[str, Any]:
        now = self._sb.counters()
        return {k: _since(v, self._start.get(k)) for k, v in now.items()}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sb, name)


def _since(value: Any, start: Any) -> Any:
    if isinstance(value, dict):
        return {k: _since(v, (start or {}).get(k)) for k, v in value.items()}
    if isinstance(value, int) and isinstance(start, int):
        return value - start
    return value


@dataclass
class SharedHarness(Harness):
    """A test's view of the module's shared server: ``stdio()`` hands out its client (already open)."""

    client: Any = None

    @asynccontextmanager
    async def stdio(self, *extra: str) -> AsyncIterator[Client]:
        assert not extra, "a shared server runs with the module's options: use the h fixture"
        yield self.client


@pytest.fixture(scope="module")
def shared_sb() -> Iterator[Sandbox]:
    with Sandbox(time_scale=0.0, seed=0) as sandbox:
        sandbox.configure(task_seconds=TASK_SECONDS, concurrency={"video": 20, "image": 20, "audio": 20})
        yield sandbox


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_server(
    shared_sb: Sandbox, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[SharedHarness]:
    """One ``klingkit mcp`` (stdio) and its client for a whole module. A task of its own holds the
    client open (its transport's task group must be left in the task that entered it)."""
    home = tmp_path_factory.mktemp("mcp-shared")
    shared = SharedHarness(shared_sb, home / "home", home / "outputs")
    shared.home.mkdir()
    opened: asyncio.Future[Client] = asyncio.get_running_loop().create_future()
    stop = asyncio.Event()

    async def hold() -> None:
        try:
            async with Harness.stdio(shared) as client:
                opened.set_result(client)
                await stop.wait()
        except BaseException as exc:
            if not opened.done():
                opened.set_exception(exc)
            raise

    holder = asyncio.create_task(hold())
    shared.client = await opened
    yield shared
    stop.set()
    await holder


@pytest.fixture
def hs(shared_server: SharedHarness) -> Iterator[SharedHarness]:
    """This test's view of the module's shared server and sandbox (see the module docstring)."""
    view = SharedHarness(
        SandboxView(shared_server.sb),  # type: ignore[arg-type]
        shared_server.home,
        shared_server.out_dir,
        client=shared_server.client,
    )
    yield view
    shared_server.sb.set_faults([])


def payload(result: Any) -> dict[str, Any]:
    """The JSON object a tool answered with (structured content, else the text)."""
    if result.structured_content is not None:
        return dict(result.structured_content)
    data = json.loads(result.content[0].text)
    assert isinstance(data, dict)
    return data


async def until_done(client: Client, handle: str, limit: float = 60.0) -> dict[str, Any]:
    """Call task_status until the task is done (what an agent without MCP Tasks does)."""
    import anyio

    deadline = time.monotonic() + limit
    while True:
        status = payload(await client.call_tool("task_status", {"handle": handle}))
        if status["done"]:
            return status
        assert time.monotonic() < deadline, f"task {handle} not done after {limit} s: {status}"
        await anyio.sleep(0.5)


@pytest.fixture
def tools() -> Any:
    """The helpers above, for test modules (conftest is not importable under importlib mode)."""
    from types import SimpleNamespace

    return SimpleNamespace(payload=payload, until_done=until_done)
