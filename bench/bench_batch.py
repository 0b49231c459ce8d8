"""Batch makespan against the ideal: N rows, sandbox concurrency C, every task takes exactly T seconds.

    /tmp/venv/bin/python bench/bench_batch.py --rows 200 --concurrency 5 --task-seconds 2

The sandbox runs in its own process (so it does not share the GIL with the runner); the runner runs
here, in-process, through ``klingkit.jobs.batch.BatchRunner`` and ``AsyncKling``. Reported: makespan vs
the ideal ``ceil(N / C) * T`` (target <= 1.05x; the scheduling makespan, until the last task is known
finished, and the whole run with the download tail), status requests per task (the runner's count and the
sandbox's), creates (must equal N) and the runner's peak RSS and peak traced Python memory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import httpx

from klingkit import AsyncKling, prepare
from klingkit.jobs.batch import BatchRunner, load_plan
from klingkit.jobs.ledger import Ledger

_SANDBOX = """
import json, sys, time
from klingkit.sandbox import Sandbox
with Sandbox(time_scale=0.0, seed=0) as sb:
    print(json.dumps({"base_url": sb.base_url, "api_key": sb.api_key}), flush=True)
    while True:
        time.sleep(3600)
"""


async def _run(args: argparse.Namespace, base_url: str, api_key: str, work: Path) -> dict[str, object]:
    rows = work / "rows.jsonl"
    rows.write_text(
        "".join(
            json.dumps({"kind": args.kind, "prompt": f"bench shot {i}", "output": f"r{i:03d}"}) + "\n"
            for i in range(args.rows)
        )
    )
    plan = load_plan(rows, base_url=base_url, prepare=prepare)
    assert not plan.errors, plan.errors
    client = AsyncKling(api_key=api_key, base_url=base_url)
    ledger = Ledger(work / "ledger.sqlite3")
    runner = BatchRunner(
        client,
        ledger,
        plan,
        out_dir=work / "out",
        concurrency=args.concurrency,
        base_url=base_url,
        sandbox=True,
    )
    # When each row's task is known to have ended (the scheduling makespan, before the download tail:
    # the sandbox renders every image on its first download, ~0.1-0.2 s of its CPU each).
    settled: list[float] = []
    settle = runner._settle

    def timed_settle(row: Any, task: Any) -> None:
        settled.append(time.monotonic())
        settle(row, task)

    runner._settle = timed_settle  # type: ignore[method-assign]
    tracemalloc.start()
    t0 = time.monotonic()
    result = await runner.run()
    makespan = time.monotonic() - t0
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    await client.close()
    ledger.close()
    return {
        "ok": result.ok,
        "makespan": makespan,
        "tasks_makespan": max(settled) - t0 if settled else makespan,
        "runner_status_requests": runner.status_requests,
        "traced_peak_mib": traced_peak / 2**20,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=5)
    ap.add_argument("--task-seconds", type=float, default=2.0)
    ap.add_argument("--kind", default="image", choices=["image", "video"])
    args = ap.parse_args()
    proc = subprocess.Popen([sys.executable, "-c", _SANDBOX], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        pack = "image" if args.kind == "image" else "video"
        admin = httpx.Client(base_url=info["base_url"])
        admin.post(
            "/_sandbox/config",
            json={"task_seconds": args.task_seconds, "concurrency": {pack: args.concurrency}},
        ).raise_for_status()
        with tempfile.TemporaryDirectory() as tmp:
            out = asyncio.run(_run(args, info["base_url"], info["api_key"], Path(tmp)))
        counters = admin.get("/_sandbox/counters").json()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    ideal = math.ceil(args.rows / args.concurrency) * args.task_seconds
    makespan = float(out["makespan"])  # type: ignore[arg-type]
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows={args.rows} concurrency={args.concurrency} T={args.task_seconds}s kind={args.kind}")
    print(f"all succeeded: {out['ok']}; creates: {counters['creates']}; requests: {counters['requests']}")
    tasks = float(out["tasks_makespan"])  # type: ignore[arg-type]
    print(f"tasks makespan (last task known finished) {tasks:.2f} s vs ideal {ideal:.2f} s = {tasks / ideal:.3f}x "
          "(target <= 1.05x)")  # fmt: skip
    print(f"makespan with downloads {makespan:.2f} s = {makespan / ideal:.3f}x ideal")
    print(
        f"status requests per task: runner {int(out['runner_status_requests']) / args.rows:.3f}, "  # type: ignore[call-overload]
        f"sandbox {counters['status_queries'] / args.rows:.3f}"
    )
    print(
        f"peak RSS of the runner process {rss_mib:.1f} MiB; peak traced Python memory {out['traced_peak_mib']:.1f} MiB"
    )


if __name__ == "__main__":
    main()
