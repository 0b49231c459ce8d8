"""Fixtures: the installed ``klingkit mcp`` driven by the official MCP SDK's client, against a sandbox.

The sandbox runs in the test process (so the test reads its counters and injects faults); the server is
the installed command in a subprocess, pointed at the sandbox with ``--base-url`` and the sandbox's key.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from klingkit.sandbox import Sandbox
from mcp import Client, StdioServerParameters

TASK_SECONDS = 2.0
"""Every sandbox task takes this long: longer than a generate call may take to answer."""


def klingkit_command() -> str:
    beside = Path(sys.executable).with_name("klingkit")
    if beside.exists():
        return str(beside)
    found = shutil.which("klingkit")
    if found is None:
        pytest.skip("the klingkit console script is not installed")
    return found


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
        """Creates the sandbox received (server side)."""
        return int(self.sb.counters()["creates"])


@pytest.fixture
def h(sb: Sandbox, tmp_path: Path) -> Harness:
    home = tmp_path / "home"
    home.mkdir()
    return Harness(sb, home, tmp_path / "outputs")


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
