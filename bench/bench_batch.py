"""Batch makespan against the ideal: N rows, sandbox concurrency C, every task takes exactly T seconds.

    /tmp/venv/bin/python bench/bench_batch.py --rows 200 --concurrency 5 --task-seconds 2 --runs 3

Each run runs two runners over the same rows, one after the other, each against a fresh sandbox in its own
process (so it does not share the GIL with the runner):

* ``baseline``: the least a client can do against this sandbox: C raw httpx loops, each creating a task,
  sleeping exactly T, then asking for its own task every 20 ms until it is done, and downloading its file
  (no ledger, no sidecar, no fsync). Its makespan over the ideal is the sandbox's cost;
* ``klingkit``: ``klingkit.jobs.batch.BatchRunner`` with ``AsyncKling``. Its makespan over the baseline's is
  the client's own cost;
* ``on-loop`` (with ``--compare-ledger-on-loop``): the same runner with its ledger calls made on its event
  loop, as before they had a thread of their own (``jobs/_batch_ledger.py``); the two klingkit runners swap
  places every run, so neither always runs on the warmer machine.

Reported per run and as medians: the scheduling makespan (until the last task is known finished) and the
whole run with its download tail, each over the ideal ``ceil(N / C) * T`` (target <= 1.05x) and over the
baseline; status requests per task (the runner's count and the sandbox's); CPU seconds of the runner and of
the sandbox during each runner (so a slow sandbox shows as the sandbox's, not the client's); creates (must
equal N); the bench's peak RSS (and with ``--trace-memory``, which slows the runner, the runner's peak
traced Python memory). ``--render-processes 0`` renders outputs in
the sandbox's serving process (its threads), as before render workers existed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import httpx

import klingkit.jobs.batch as batch_module
from klingkit import AsyncKling, prepare
from klingkit.jobs.batch import BatchRunner, load_plan
from klingkit.jobs.ledger import Ledger

_SANDBOX = """
import json, sys, time
from klingkit.sandbox import Sandbox
workers = int(sys.argv[1])
with Sandbox(time_scale=0.0, seed=0, **({"render_processes": workers} if workers else {})) as sb:
    print(json.dumps({"base_url": sb.base_url, "api_key": sb.api_key}), flush=True)
    while True:
        time.sleep(3600)
"""


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and its live children (render workers)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / 100.0
    return total


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rows(args: argparse.Namespace) -> list[dict[str, str]]:
    return [{"kind": args.kind, "prompt": f"bench shot {i}", "output": f"r{i:03d}"} for i in range(args.rows)]


async def _baseline(args: argparse.Namespace, base_url: str, api_key: str, work: Path) -> dict[str, float]:
    """C independent loops of create, sleep T, poll every 20 ms, start the download: what the sandbox allows."""
    specs = [prepare(r["kind"] if r["kind"] != "image" else "images/generations", prompt=r["prompt"])
             for r in _rows(args)]  # fmt: skip
    todo = list(reversed(specs))
    known_done: list[float] = []
    polls = 0
    out = work / "baseline"
    out.mkdir()
    headers = {"authorization": f"Bearer {api_key}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=60) as http:

        async def fetch(url: str, dest: Path) -> None:
            dest.write_bytes((await http.get(url)).content)

        fetches: list[asyncio.Task[None]] = []

        async def loop() -> None:
            nonlocal polls
            while todo:
                spec = todo.pop()
                created = (await http.post(spec.path, json=spec.body)).json()["data"]
                await asyncio.sleep(args.task_seconds)
                while True:
                    polls += 1
                    data = (await http.get(f"{spec.path}/{created['task_id']}")).json()["data"]
                    if data["task_status"] in ("succeed", "failed"):
                        break
                    await asyncio.sleep(0.02)
                known_done.append(time.monotonic())
                for item in data.get("task_result", {}).get("images", []):  # downloads overlap the next task
                    dest = out / f"{created['task_id']}-{item.get('index', 0)}.png"
                    fetches.append(asyncio.ensure_future(fetch(item["url"], dest)))

        t0 = time.monotonic()
        await asyncio.gather(*(loop() for _ in range(args.concurrency)))
        await asyncio.gather(*fetches)
        makespan = time.monotonic() - t0
    return {"makespan": makespan, "tasks_makespan": max(known_done) - t0, "status_requests": polls}


class _OnLoop:
    """The runner's ledger calls made where they are asked for, on the event loop (the runner before
    ``LedgerThread``): the same calls, in the same order, each blocking the loop while SQLite works."""

    async def call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    def later(self, fn: Any, *args: Any, **kwargs: Any) -> None:
        with contextlib.suppress(KeyError):
            fn(*args, **kwargs)

    def check(self) -> None:
        pass

    async def drain(self) -> None:
        pass

    def close(self) -> None:
        pass


async def _run_on_loop(
    args: argparse.Namespace, base_url: str, api_key: str, work: Path
) -> dict[str, object]:
    names = vars(batch_module)  # the runner makes its LedgerThread from this module's name
    threaded, names["LedgerThread"] = names["LedgerThread"], _OnLoop
    try:
        return await _run(args, base_url, api_key, work)
    finally:
        names["LedgerThread"] = threaded


async def _lag_probe(lags: list[float]) -> None:
    """How late the event loop wakes a 5 ms sleeper, all run long: the time the loop was held by work."""
    loop = asyncio.get_running_loop()
    while True:
        start = loop.time()
        await asyncio.sleep(0.005)
        lags.append(max(0.0, loop.time() - start - 0.005))


async def _run(args: argparse.Namespace, base_url: str, api_key: str, work: Path) -> dict[str, object]:
    rows = work / "rows.jsonl"
    rows.write_text("".join(json.dumps(r) + "\n" for r in _rows(args)))
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
    if args.trace_memory:
        tracemalloc.start()
    lags: list[float] = []
    probe = asyncio.ensure_future(_lag_probe(lags))
    t0 = time.monotonic()
    result = await runner.run()
    makespan = time.monotonic() - t0
    probe.cancel()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    await client.close()
    ledger.close()
    return {
        "ok": result.ok,
        "makespan": makespan,
        "tasks_makespan": max(settled) - t0 if settled else makespan,
        "status_requests": result.status_requests,
        "traced_peak_mib": traced_peak / 2**20,
        "lag_max_ms": 1000 * max(lags, default=0.0),
        "lag_p99_ms": 1000 * (statistics.quantiles(lags, n=100)[98] if len(lags) > 100 else 0.0),
    }


def _start_sandbox(args: argparse.Namespace) -> tuple[subprocess.Popen[str], dict[str, str], httpx.Client]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _SANDBOX, str(args.render_processes)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    info = json.loads(proc.stdout.readline())
    admin = httpx.Client(base_url=info["base_url"])
    pack = "image" if args.kind == "image" else "video"
    admin.post(
        "/_sandbox/config", json={"task_seconds": args.task_seconds, "concurrency": {pack: args.concurrency}}
    ).raise_for_status()
    return proc, info, admin


def _one_run(args: argparse.Namespace, index: int = 0) -> dict[str, dict[str, float]]:
    """The baseline, then klingkit (and on-loop, alternating with it), each on a fresh sandbox and measured
    with both processes' CPU."""
    results: dict[str, dict[str, float]] = {}
    ours = ["klingkit", "on-loop"] if args.compare_ledger_on_loop else ["klingkit"]
    if index % 2:
        ours.reverse()
    runners = {"baseline": _baseline, "klingkit": _run, "on-loop": _run_on_loop}
    for who in ("baseline", *ours):
        proc, info, admin = _start_sandbox(args)
        try:
            sandbox_cpu, own_cpu = _cpu_of(proc.pid), _own_cpu()
            before = admin.get("/_sandbox/counters").json()
            with tempfile.TemporaryDirectory() as tmp:
                runner = runners[who]
                out = asyncio.run(runner(args, info["base_url"], info["api_key"], Path(tmp)))  # type: ignore[operator]
            after = admin.get("/_sandbox/counters").json()
            out = dict(out)
            out["sandbox_cpu"] = _cpu_of(proc.pid) - sandbox_cpu
            out["runner_cpu"] = _own_cpu() - own_cpu
            out["creates"] = after["creates"] - before["creates"]
            out["sandbox_status"] = after["status_queries"] - before["status_queries"]
            results[who] = out
        finally:
            admin.close()
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=10)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=5)
    ap.add_argument("--task-seconds", type=float, default=2.0)
    ap.add_argument("--kind", default="image", choices=["image"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--trace-memory", action="store_true", help="trace Python memory (slows the runner)")
    ap.add_argument("--compare-ledger-on-loop", action="store_true",
                    help="also run klingkit with its ledger calls on the event loop (before/after, interleaved)")  # fmt: skip
    ap.add_argument(
        "--render-processes", type=int, default=2, help="the sandbox's render workers (0: threads)"
    )
    args = ap.parse_args()
    ideal = math.ceil(args.rows / args.concurrency) * args.task_seconds
    print(f"rows={args.rows} concurrency={args.concurrency} T={args.task_seconds}s kind={args.kind} "
          f"ideal={ideal:.2f}s sandbox render_processes={args.render_processes}")  # fmt: skip
    runs = []
    for i in range(args.runs):
        r = _one_run(args, i)
        runs.append(r)
        for who, out in r.items():
            print(
                f"run {i + 1} {who:8s}: tasks {out['tasks_makespan']:.2f} s = {out['tasks_makespan'] / ideal:.3f}x "
                f"ideal; with downloads {out['makespan']:.2f} s = {out['makespan'] / ideal:.3f}x; "
                f"status/task {out['status_requests'] / args.rows:.3f} (sandbox {out['sandbox_status'] / args.rows:.3f}); "
                f"CPU runner {out['runner_cpu']:.2f} s, sandbox {out['sandbox_cpu']:.2f} s; creates {out['creates']:.0f}"
            )  # fmt: skip

    def med(who: str, key: str) -> float:
        return statistics.median(float(r[who][key]) for r in runs)

    print(f"medians of {args.runs} runs:")
    for key, label in (("tasks_makespan", "tasks makespan (last task known finished)"),
                       ("makespan", "makespan with downloads")):  # fmt: skip
        b, k = med("baseline", key), med("klingkit", key)
        print(
            f"  {label}: klingkit {k:.2f} s = {k / ideal:.3f}x ideal (target <= 1.05x); baseline {b:.2f} s = "
            f"{b / ideal:.3f}x ideal (the sandbox's cost); klingkit / baseline = {k / b:.3f}x (the client's cost)"
        )
    if args.compare_ledger_on_loop:
        for key, label in (("tasks_makespan", "tasks makespan"), ("makespan", "makespan with downloads")):
            t, o = med("klingkit", key), med("on-loop", key)
            print(f"  ledger on the loop (before) vs on its thread (after), {label}: {o / ideal:.3f}x vs "
                  f"{t / ideal:.3f}x ideal ({o:.2f} s vs {t:.2f} s)")  # fmt: skip
        print(f"  event loop held (a 5 ms sleeper woken late): on-loop p99 {med('on-loop', 'lag_p99_ms'):.1f} ms, "
              f"max {med('on-loop', 'lag_max_ms'):.1f} ms; thread p99 {med('klingkit', 'lag_p99_ms'):.1f} ms, "
              f"max {med('klingkit', 'lag_max_ms'):.1f} ms")  # fmt: skip
        print(f"  CPU seconds of the runner: on-loop {med('on-loop', 'runner_cpu'):.2f}, "
              f"thread {med('klingkit', 'runner_cpu'):.2f}")  # fmt: skip
    print(f"  CPU seconds: runner klingkit {med('klingkit', 'runner_cpu'):.2f} vs baseline "
          f"{med('baseline', 'runner_cpu'):.2f}; sandbox during klingkit {med('klingkit', 'sandbox_cpu'):.2f} "
          f"vs during baseline {med('baseline', 'sandbox_cpu'):.2f}")  # fmt: skip
    print(f"  status requests per task: klingkit {med('klingkit', 'status_requests') / args.rows:.3f}, "
          f"baseline {med('baseline', 'status_requests') / args.rows:.3f}")  # fmt: skip
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    traced = f"{med('klingkit', 'traced_peak_mib'):.1f} MiB" if args.trace_memory else "not traced"
    print(f"  peak RSS of the bench process {rss_mib:.1f} MiB; klingkit runner's peak traced memory {traced}")


if __name__ == "__main__":
    main()
