"""How fast the sandbox answers: creates, queries, /tasks, and first downloads (which render media).

Run on demand, never in the suite:

    /tmp/venv/bin/python bench/bench_sandbox.py [--n 300]

Prints one line per measurement: requests per second, and median / 95th percentile latency in ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import httpx

from klingkit.sandbox import Sandbox


def measure(label: str, n: int, call: Callable[[int], object]) -> None:
    latencies = []
    start = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        call(i)
        latencies.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - start
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    print(
        f"{label:<44} {n / elapsed:8.0f} req/s   median {statistics.median(latencies):6.2f} ms   p95 {p95:6.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300, help="requests per measurement")
    args = parser.parse_args()
    with Sandbox(time_scale=0.0, seed=0) as sb:
        sb.configure(concurrency={"video": 10**6, "image": 10**6}, balances={"video": 1e9, "image": 1e9})
        api = httpx.Client(base_url=sb.base_url, headers={"Authorization": f"Bearer {sb.api_key}"})
        ids: list[str] = []
        measure(
            "POST /v1/videos/text2video",
            args.n,
            lambda i: ids.append(
                api.post("/v1/videos/text2video", json={"prompt": f"p{i}"}).json()["data"]["task_id"]
            ),
        )
        measure(
            "GET /v1/videos/text2video/{id}", args.n, lambda i: api.get(f"/v1/videos/text2video/{ids[i]}")
        )
        measure(
            "GET /v1/videos/text2video?pageSize=30",
            args.n // 3,
            lambda i: api.get("/v1/videos/text2video", params={"pageSize": 30}),
        )
        new: list[str] = []
        measure(
            "POST /text-to-video/kling-3.0",
            args.n,
            lambda i: new.append(
                api.post("/text-to-video/kling-3.0", json={"prompt": f"p{i}"}).json()["data"]["id"]
            ),
        )
        measure(
            "GET /tasks?task_ids=<20 ids>",
            args.n // 3,
            lambda i: api.get("/tasks", params={"task_ids": ",".join(new[i % 10 * 20 : (i % 10 + 1) * 20])}),
        )
        measure("POST /tasks (limit 100)", args.n // 3, lambda i: api.post("/tasks", json={"limit": 100}))
        first = api.get(f"/v1/videos/text2video/{ids[0]}").json()["data"]["task_result"]["videos"][0]["url"]
        measure("first download: 5 s 720p text-to-video (render)", 1, lambda i: httpx.get(first))
        measure("cached download of the same file", 20, lambda i: httpx.get(first))
        api.close()


if __name__ == "__main__":
    main()
