"""``klingkit mcp``: how long a generate call takes to answer, against how long its task runs.

Starts the sandbox (every task takes ``--task-seconds``) and the installed ``klingkit mcp`` over stdio and
over streamable HTTP, then times ``--calls`` generate_video calls each (distinct idempotency keys) with
the official SDK's client: wall time from sending the call to having its answer (the handle). Also times
``task_status`` (reads what the follower learned) and, as the baseline, ``models`` (offline, no Kling
request).

Then the cost of following: ``--follows`` generate calls made at once over stdio by a client that declares
MCP Tasks, each followed to its saved file; the sandbox counts the status requests the server sent, per
task, and the wall time from the call to its result beyond the task's own ``--task-seconds`` (the lag).
Twice on one server: first on a kind of task it never saw finish, then again once it has.

    python bench/bench_mcp.py [--calls 10] [--task-seconds 30] [--follows 10] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio

from klingkit.sandbox import Sandbox
from mcp import Client, StdioServerParameters


def _exe() -> str:
    beside = Path(sys.executable).with_name("klingkit")
    return str(beside) if beside.exists() else (shutil.which("klingkit") or "klingkit")


async def _time_calls(client: Client, calls: int, tag: str) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"models": [], "generate_video": [], "task_status": []}
    for i in range(calls):
        t0 = time.perf_counter()
        await client.call_tool("models", {})
        times["models"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        answer = await client.call_tool(
            "generate_video", {"prompt": f"bench {tag} {i}", "idempotency_key": f"{tag}-{i}-{time.time()}"}
        )
        times["generate_video"].append(time.perf_counter() - t0)
        handle = answer.structured_content or {}
        assert not answer.is_error and handle.get("status") in ("submitted", "processing"), handle
        t0 = time.perf_counter()
        await client.call_tool("task_status", {"handle": handle["external_id"]})
        times["task_status"].append(time.perf_counter() - t0)
    return times


async def _follow_cost(
    client: Client, sb: Sandbox, follows: int, task_seconds: float, tag: str
) -> dict[str, float]:
    before = int(sb.counters()["status_queries"])
    lags: list[float] = []

    async def one(i: int) -> None:
        t0 = time.perf_counter()
        answer = await client.call_tool("generate_video", {"prompt": f"follow {tag} {i}"})
        assert not answer.is_error and (answer.structured_content or {}).get("status") == "succeeded"
        lags.append(time.perf_counter() - t0 - task_seconds)

    async with anyio.create_task_group() as group:
        for i in range(follows):
            group.start_soon(one, i)
    sent = int(sb.counters()["status_queries"]) - before
    return {"status_requests": sent, "per_task": sent / follows, "median_lag_s": statistics.median(lags)}


def _summary(times: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    return {
        k: {"median_ms": statistics.median(v) * 1000, "max_ms": max(v) * 1000, "n": len(v)}
        for k, v in times.items()
    }


async def main(calls: int, task_seconds: float, follows: int) -> dict[str, Any]:
    results: dict[str, Any] = {"task_seconds": task_seconds}
    with Sandbox(time_scale=0.0, seed=0) as sb, tempfile.TemporaryDirectory() as tmp:
        sb.configure(task_seconds=task_seconds, concurrency={"video": 1000})
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KLING_", "KLINGKIT_"))}
        env.update(KLINGKIT_HOME=tmp, KLING_API_KEY=sb.api_key)
        args = ["mcp", "--base-url", sb.base_url, "--output-dir", f"{tmp}/out"]
        params = StdioServerParameters(command=_exe(), args=args, env=env)
        async with Client(params, read_timeout_seconds=120) as client:
            results["stdio"] = _summary(await _time_calls(client, calls, "stdio"))
        if follows:
            from klingkit.mcp._tasks import tasks_client

            ext = tasks_client(max_wait=task_seconds * 10 + 60)
            async with Client(params, extensions=[ext], read_timeout_seconds=120) as client:
                results["follow_new_kind"] = await _follow_cost(client, sb, follows, task_seconds, "a")
                results["follow_seen_kind"] = await _follow_cost(client, sb, follows, task_seconds, "b")
        log = Path(tmp) / "http.log"
        with log.open("w") as sink:
            proc = subprocess.Popen([_exe(), *args, "--http", "--port", "0"], env=env, stderr=sink)
        try:
            while not (found := re.search(r"(http://\S+/mcp)", log.read_text())):
                time.sleep(0.05)
            async with Client(found.group(1), read_timeout_seconds=120) as client:
                results["http"] = _summary(await _time_calls(client, calls, "http"))
        finally:
            proc.terminate()
            proc.wait(10)
        results["sandbox_creates"] = sb.counters()["creates"]
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--task-seconds", type=float, default=30.0)
    parser.add_argument("--follows", type=int, default=10, help="concurrent follows to count (0: skip)")
    parser.add_argument("--json", metavar="PATH")
    ns = parser.parse_args()
    out = anyio.run(main, ns.calls, ns.task_seconds, ns.follows)
    for transport in ("stdio", "http"):
        for tool, s in out[transport].items():
            print(
                f"{transport:5} {tool:15} median {s['median_ms']:7.1f} ms  max {s['max_ms']:7.1f} ms  (n={s['n']})"
            )
    for key in ("follow_new_kind", "follow_seen_kind"):
        if key in out:
            f = out[key]
            print(
                f"{ns.follows} follows ({key[7:].replace('_', ' ')}): {f['status_requests']} status requests, "
                f"{f['per_task']:.2f} per task, median lag {f['median_lag_s']:.2f} s"
            )
    print(f"each task runs {out['task_seconds']:g} s; creates seen by the sandbox: {out['sandbox_creates']}")
    if ns.json:
        Path(ns.json).write_text(json.dumps(out, indent=1))
