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
from pathlib import Path
from typing import Any

import pytest

from klingkit.sandbox import Sandbox
from mcp import Client, StdioServerParameters

TASK_SECONDS = 3.0
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


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "outputs"


def mcp_args(sb: Sandbox, out_dir: Path, *extra: str) -> list[str]:
    return ["mcp", "--base-url", sb.base_url, "--output-dir", str(out_dir), *extra]


@asynccontextmanager
async def stdio_client(sb: Sandbox, home: Path, out_dir: Path, *extra: str) -> AsyncIterator[Client]:
    params = StdioServerParameters(
        command=klingkit_command(), args=mcp_args(sb, out_dir, *extra), env=server_env(sb, home)
    )
    async with Client(params, read_timeout_seconds=60) as client:
        yield client


@asynccontextmanager
async def http_server(sb: Sandbox, home: Path, out_dir: Path, *extra: str) -> AsyncIterator[str]:
    """Start ``klingkit mcp --http --port 0``; yields its URL (read from the line it prints)."""
    args = [klingkit_command(), *mcp_args(sb, out_dir, "--http", "--port", "0", *extra)]
    proc = subprocess.Popen(args, env=server_env(sb, home), stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        found = re.search(r"(http://\S+/mcp)", line)
        assert found, f"no URL in {line!r}"
        yield found.group(1)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def payload(result: Any) -> dict[str, Any]:
    """The JSON object a tool answered with (structured content, else the text)."""
    if result.structured_content is not None:
        return dict(result.structured_content)
    data = json.loads(result.content[0].text)
    assert isinstance(data, dict)
    return data


def creates(sb: Sandbox) -> int:
    return int(sb.counters()["creates"])


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
