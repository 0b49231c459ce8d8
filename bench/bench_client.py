"""Client benchmarks against the sandbox on 127.0.0.1 (run on demand, never in the test suite).

    /tmp/venv/bin/python bench/bench_client.py [--requests 300] [--quick]

1. overhead: median time of ``client.account.costs()`` versus a raw ``httpx.Client.get`` of the same route
   with the same headers (target: <= 1.2x);
2. status requests per task while waiting on 1, 20 and 100 concurrent tasks, ``wait_many`` versus
   independent ``wait`` per task in threads (target with 100 tasks: <= 1/10 of independent polling);
3. lag between the server finishing a task (its ``updated_at``) and ``wait`` returning, default schedule
   versus a fixed 3 s poll loop (the common choice of other clients).
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from typing import Any

import httpx

from klingkit import Kling, Task
from klingkit.sandbox import Sandbox


def bench_overhead(sb: Any, n: int) -> None:
    now = int(time.time() * 1000)
    params = {"start_time": now - 86_400_000, "end_time": now}
    headers = {"Authorization": f"Bearer {sb.api_key}", "Content-Type": "application/json"}
    raw_times, kit_times = [], []
    with httpx.Client(base_url=sb.base_url) as raw, Kling(api_key=sb.api_key, base_url=sb.base_url) as kit:
        for _ in range(20):  # warm up both connection pools
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
    print(
        f"overhead: raw httpx median {r * 1e3:.3f} ms, klingkit median {k * 1e3:.3f} ms, ratio {k / r:.2f}x"
    )


def _create(client: Kling, n: int) -> list[Task]:
    return [
        client.videos.text_to_video(prompt=f"fox {i}", model_name="kling-3.0", duration=5) for i in range(n)
    ]


def bench_polling(sb: Any, sizes: list[int], task_seconds: float) -> None:
    sb.configure(task_seconds=task_seconds, concurrency={"video": 10_000})
    for n in sizes:
        with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:
            tasks = _create(client, n)
            before = sb.counters()["status_queries"]
            client.tasks.wait_many(tasks)
            coalesced = sb.counters()["status_queries"] - before

            tasks = _create(client, n)
            before = sb.counters()["status_queries"]
            threads = [threading.Thread(target=client.tasks.wait, args=(t,)) for t in tasks]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            independent = sb.counters()["status_queries"] - before
        print(
            f"polling {n:>3} tasks: wait_many {coalesced / n:.2f} status requests/task, independent waits "
            f"{independent / n:.2f}/task, ratio {coalesced / independent:.3f}"
        )


def _lag(task: Task) -> float:
    assert task.updated_at is not None
    return time.time() - task.updated_at.timestamp()


def bench_lag(sb: Any, samples: int, task_seconds: float) -> None:
    sb.configure(task_seconds=task_seconds, concurrency={"video": 10_000})
    kit_lags: list[float] = []
    fixed_lags: list[float] = []
    with Kling(api_key=sb.api_key, base_url=sb.base_url) as client:

        def kit_wait(task: Task) -> None:
            kit_lags.append(_lag(client.tasks.wait(task)))

        def fixed_wait(task: Task) -> None:
            while True:
                time.sleep(3.0)
                current = client.tasks.get(task)
                if current.done:
                    fixed_lags.append(_lag(current))
                    return

        for target in (kit_wait, fixed_wait):
            threads = [threading.Thread(target=target, args=(t,)) for t in _create(client, samples)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
    k, f = statistics.median(kit_lags), statistics.median(fixed_lags)
    print(f"lag after the server finished (task {task_seconds:.1f} s): wait median {k:.2f} s "
          f"({100 * k / task_seconds:.1f}% of the task; target <= 5%), fixed 3 s poll "
          f"median {f:.2f} s, ratio {k / f:.2f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="smaller runs")
    parser.add_argument("--lag-only", action="store_true", help="only the finish-to-return lag")
    args = parser.parse_args()
    with Sandbox(time_scale=0.0, seed=0) as sb:
        if not args.lag_only:
            bench_overhead(sb, 50 if args.quick else args.requests)
            bench_polling(sb, [1, 20] if args.quick else [1, 20, 100], task_seconds=20.0)
        for seconds in (7.0, 30.0):
            bench_lag(sb, 5 if args.quick else 20, task_seconds=seconds)


if __name__ == "__main__":
    main()
