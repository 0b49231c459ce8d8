"""Client benchmarks against the sandbox on 127.0.0.1 (run on demand, never in the test suite).

    /tmp/venv/bin/python bench/bench_client.py [--quick] [--only NAME ...]

Each scenario runs in its own sandbox (all at once, so the whole run takes about as long as its longest
tasks) and is counted at that server, beside an independent-polling baseline in the same run:

- overhead: median ``client.account.costs()`` vs a raw ``httpx.Client.get`` (target <= 1.2x);
- single: one ~40 s task per client (an image request for 5 images: the catalog's typical 30-60 s), the
  default schedule vs a plain 3 s poll loop (targets: <= 10 requests, median lag <= 5% + 0.5 s);
- gather: 40 separate ``wait`` calls under ``asyncio.gather`` (kling-3.0 videos, task times spread over
  the catalog's typical range) vs 40 independent 3 s pollers (target <= 1.5 requests per task);
- threads: the same with 40 threads calling the sync ``wait``;
- as_completed: delivery lag of each task (yield time - server finish) vs ``wait_many``'s, for kling-3.0
  videos (~2 min) and for 20-60 s image requests (1-9 images; target: median <= 2.5 s);
- legacy: status bytes while waiting on 3 legacy tasks on an account with 600 finished ones
  (target <= 100 KB), vs the old 500-row list page;
- import: the library's cold import (``import klingkit`` and both clients) in fresh interpreters.

Task times are the sandbox's default (the catalog's typical time, time_scale=1), varied per task with
``task_seconds`` so that nothing lines up with a poll period; ``--quick`` scales them by 0.3 and tells
nobody (the client's schedule then finds tasks earlier than it expects: lag grows, requests shrink).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from klingkit import AsyncKling, Kling, Task, catalog
from klingkit.sandbox import Sandbox

SCALE = 1.0


def bench_overhead(n: int) -> str:
    with Sandbox(time_scale=0.0, seed=0) as sb:
        now = int(time.time() * 1000)
        params = {"start_time": now - 86_400_000, "end_time": now}
        headers = {"Authorization": f"Bearer {sb.api_key}", "Content-Type": "application/json"}
        raw_times, kit_times = [], []
        with (
            httpx.Client(base_url=sb.base_url) as raw,
            Kling(api_key=sb.api_key, base_url=sb.base_url) as kit,
        ):
            for _ in range(20):
                raw.get("/account/costs", params=params, headers=headers)
                kit.account.costs(params["start_time"], params["end_time"])
            for _ in range(n):  # interleaved, so drift in the server affects both equally
                t0 = time.perf_counter()
                raw.get("/account/costs", params=params, headers=headers).json()
                raw_times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                kit.account.costs(params["start_time"], params["end_time"])
                kit_times.append(time.perf_counter() - t0)
    r, k = statistics.median(raw_times), statistics.median(kit_times)
    return f"overhead: raw httpx {r * 1e3:.3f} ms, klingkit {k * 1e3:.3f} ms, ratio {k / r:.2f}x"


def _lag(task: Task, at: float | None = None) -> float:
    assert task.updated_at is not None
    return (time.time() if at is None else at) - task.updated_at.timestamp()


def _status_count(sb: Any) -> int:
    return int(sb.counters()["status_queries"])


def _spread(central: float, rng: random.Random) -> float:
    return central * rng.uniform(0.8, 1.3) * SCALE


def _videos(sb: Any, client: Kling, n: int, rng: random.Random) -> list[Task]:
    central = catalog.task_seconds("text-to-video", model="kling-3.0")
    tasks = []
    for i in range(n):
        sb.configure(task_seconds=_spread(central, rng))
        tasks.append(client.videos.text_to_video(prompt=f"fox {i}", model_name="kling-3.0", duration=5))
    return tasks


def _images(sb: Any, client: Kling, n: int, rng: random.Random) -> list[Task]:
    central = catalog.task_seconds("images/generations", count=5)
    tasks = []
    for i in range(n):
        sb.configure(task_seconds=central * rng.uniform(0.9, 1.1) * SCALE)
        tasks.append(client.images.generate(prompt=f"kite {i}", model_name="kling-v2-1", n=5))
    return tasks


def _poll_every(client: Kling, task: Task, seconds: float) -> Task:
    while True:
        time.sleep(seconds)
        current = client.tasks.get(task)
        if current.done:
            return current


def _threads(targets: list[Callable[[], None]]) -> None:
    threads = [threading.Thread(target=t) for t in targets]
    for th in threads:
        th.start()
    for th in threads:
        th.join()


def _summary(name: str, n: int, used: int, lags: list[float], seconds: list[float]) -> str:
    share = statistics.median(lag / s for lag, s in zip(lags, seconds, strict=True)) * 100
    return (f"{name:<28} {used / n:6.2f} status requests/task   median lag {statistics.median(lags):5.2f} s "
            f"({share:4.1f}% of the task)   p90 lag {sorted(lags)[int(0.9 * (len(lags) - 1))]:5.2f} s")  # fmt: skip


def _task_seconds(task: Task) -> float:
    assert task.updated_at is not None and task.created_at is not None
    return (task.updated_at - task.created_at).total_seconds()


def bench_single(samples: int, kit: bool) -> str:
    """Each sample: its own client and task, waited alone (no coalescing between samples)."""
    rng = random.Random(1)
    with Sandbox(time_scale=1.0, seed=1) as sb:
        sb.configure(concurrency={"image": 10_000})
        clients = [Kling(api_key=sb.api_key, base_url=sb.base_url) for _ in range(samples)]
        tasks = [_images(sb, c, 1, rng)[0] for c in clients]
        before = _status_count(sb)
        done: list[Task] = [Task(id="")] * samples
        lags: list[float] = [0.0] * samples

        def run(i: int) -> None:
            c, t = clients[i], tasks[i]
            done[i] = c.tasks.wait(t) if kit else _poll_every(c, t, 3.0)
            lags[i] = _lag(done[i])

        _threads([lambda i=i: run(i) for i in range(samples)])
        used = _status_count(sb) - before
        for c in clients:
            c.close()
    name = "single ~40 s, klingkit" if kit else "single ~40 s, 3 s poll loop"
    return _summary(name, samples, used, lags, [_task_seconds(t) for t in done])


def bench_gather(n: int, kit: bool) -> str:
    rng = random.Random(2)
    with Sandbox(time_scale=1.0, seed=2) as sb:
        sb.configure(concurrency={"video": 10_000})
        with Kling(api_key=sb.api_key, base_url=sb.base_url) as maker:
            tasks = _videos(sb, maker, n, rng)
        lags: list[float] = []
        finished: list[Task] = []

        async def go() -> None:
            async with AsyncKling(api_key=sb.api_key, base_url=sb.base_url) as client:

                async def one(task: Task) -> None:
                    if kit:
                        t = await client.tasks.wait(task)
                    else:
                        while True:
                            await asyncio.sleep(3.0)
                            t = await client.tasks.get(task)
                            if t.done:
                                break
                    lags.append(_lag(t))
                    finished.append(t)

                await asyncio.gather(*(one(t) for t in tasks))

        before = _status_count(sb)
        asyncio.run(go())
        used = _status_count(sb) - before
    name = f"gather {n} waits, klingkit" if kit else f"gather {n}, 3 s pollers"
    return _summary(name, n, used, lags, [_task_seconds(t) for t in finished])


def bench_threads(n: int) -> str:
    rng = random.Random(3)
    with Sandbox(time_scale=1.0, seed=3) as sb:
        sb.configure(concurrency={"video": 10_000})
        with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
            tasks = _videos(sb, client, n, rng)
            finished: list[Task] = []
            lags: list[float] = []

            def one(task: Task) -> None:
                t = client.tasks.wait(task)
                lags.append(_lag(t))
                finished.append(t)

            before = _status_count(sb)
            _threads([lambda t=t: one(t) for t in tasks])
            used = _status_count(sb) - before
    return _summary(f"threads {n} waits, klingkit", n, used, lags, [_task_seconds(t) for t in finished])


def _short_images(sb: Any, client: Kling, n: int, rng: random.Random) -> list[Task]:
    """Image requests for 1-9 images: 20-60 s tasks (the issue's measurement), spread by the sandbox."""
    tasks = []
    for i in range(n):
        count = rng.randint(1, 9)
        sb.configure(
            task_seconds=catalog.task_seconds("images/generations", count=count)
            * rng.uniform(0.8, 1.3)
            * SCALE
        )
        tasks.append(client.images.generate(prompt=f"kite {i}", model_name="kling-v2-1", n=count))
    return tasks


def bench_as_completed(n: int, kind: str) -> list[str]:
    rng = random.Random(4)
    make = _videos if kind == "video" else _short_images
    with Sandbox(time_scale=1.0, seed=4) as sb:
        sb.configure(concurrency={"video": 10_000, "image": 10_000})
        with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
            tasks = make(sb, client, n, rng)
            before = _status_count(sb)
            delivered = [(t, _lag(t)) for t in client.tasks.as_completed(tasks)]
            used = _status_count(sb) - before
        # wait_many on the same kind of tasks: every task reaches the caller when the last one ends.
        with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
            more = make(sb, client, n, random.Random(4))
            before = _status_count(sb)
            result = client.tasks.wait_many(more)
            back = time.time()
            used_many = _status_count(sb) - before
    ac = _summary(f"as_completed {n} {kind}s", n, used, [lag for _, lag in delivered],
                  [_task_seconds(t) for t, _ in delivered])  # fmt: skip
    wm = _summary(f"wait_many {n} {kind}s (delivery)", n, used_many, [_lag(t, back) for t in result],
                  [_task_seconds(t) for t in result])  # fmt: skip
    return [ac, wm]


def bench_legacy(finished: int) -> list[str]:
    out = []
    with Sandbox(time_scale=0.0, seed=5) as sb:
        sb.configure(concurrency={"image": 10_000})
        with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
            for i in range(finished):
                client.images.generate(prompt=f"old {i}", model_name="kling-v2-1")
            central = catalog.task_seconds("images/generations")
            sb.configure(task_seconds=central * SCALE)
            mine = [client.images.generate(prompt=f"new {i}", model_name="kling-v2-1") for i in range(3)]
            seen: list[int] = []

            def count(response: httpx.Response) -> None:
                if response.request.method == "GET":
                    response.read()
                    seen.append(len(response.content))

            client._http.event_hooks["response"].append(count)
            before = _status_count(sb)
            client.tasks.wait_many(mine)
            used = _status_count(sb) - before
            client._http.event_hooks["response"].remove(count)
            page = client._http.get(
                "/v1/images/generations", params={"pageNum": 1, "pageSize": 500},
                headers={"Authorization": f"Bearer {sb.api_key}"},
            ).content  # fmt: skip
    out.append(f"legacy 3 tasks, {finished} finished on the account: {used} status requests, "
               f"{sum(seen) / 1024:.1f} KB of status answers (target <= 100 KB)")  # fmt: skip
    out.append(f"  (one 500-row list page, the old coalesced check, is {len(page) / 1024:.0f} KB per round)")
    return out


# Peak RSS from /proc (VmHWM starts again at exec; ru_maxrss would carry the forking parent's).
_HWM = "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))"
_IMPORT = (
    "import time; t0 = time.perf_counter(); import klingkit; from klingkit import AsyncKling, Kling; "
    "print(time.perf_counter() - t0); " + _HWM
)


def bench_import(runs: int) -> str:
    """The library's cold import (``import klingkit`` and its two clients) in fresh interpreters, beside
    ``python -c pass``'s memory: median wall time of the import and peak RSS."""
    times, rss, floor = [], [], []
    for _ in range(runs):  # interleaved, so machine noise hits both alike
        out = subprocess.run([sys.executable, "-c", _IMPORT], capture_output=True, text=True, check=True)
        seconds, kib = out.stdout.split()
        times.append(float(seconds))
        rss.append(int(kib) / 1024)
        floor.append(int(subprocess.run([sys.executable, "-c", _HWM], capture_output=True, text=True,
                                        check=True).stdout) / 1024)  # fmt: skip
    return (f"cold import: klingkit + clients {statistics.median(times) * 1e3:.0f} ms, peak RSS "
            f"{statistics.median(rss):.1f} MiB (a bare interpreter {statistics.median(floor):.1f} MiB)")  # fmt: skip


def main() -> None:
    global SCALE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="task times x0.3 and fewer samples")
    parser.add_argument(
        "--only", nargs="*", default=None, help="overhead single gather threads ac ac_short legacy import"
    )
    args = parser.parse_args()
    if args.quick:
        SCALE = 0.3
    n = 20 if args.quick else 40
    samples = 5 if args.quick else 10
    jobs: dict[str, Callable[[], Any]] = {
        "overhead": lambda: bench_overhead(100 if args.quick else 300),
        "single": lambda: [bench_single(samples, True), bench_single(samples, False)],
        "gather": lambda: [bench_gather(n, True), bench_gather(n, False)],
        "threads": lambda: bench_threads(n),
        "ac": lambda: bench_as_completed(n, "video"),
        "ac_short": lambda: bench_as_completed(n, "image"),
        "legacy": lambda: bench_legacy(100 if args.quick else 600),
        "import": lambda: bench_import(5 if args.quick else 15),
    }
    chosen = args.only or list(jobs)
    results: dict[str, Any] = {}
    started = time.time()
    _threads([lambda k=k: results.update({k: jobs[k]()}) for k in chosen])
    for key in chosen:
        value = results.get(key)
        for line in value if isinstance(value, list) else [value]:
            print(line)
    print(f"(wall {time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
