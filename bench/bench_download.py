"""Download speed against curl: one large file from a local HTTP server (run on demand, never in the suite).

    /tmp/venv/bin/python bench/bench_download.py [--mib 300] [--runs 3]

Needs the ``curl`` command (Debian/Ubuntu: ``apt-get install -y curl``). A file of ``--mib`` MiB is served by
``python -m http.server`` in its own process on 127.0.0.1; each client runs in its own process, one after
the other, ``--runs`` times: curl (``-o``), plain httpx (stream to a file, no fsync), and
``Kling.download`` (atomic ``.part`` + fsync + rename + JSON sidecar), and curl followed by ``sync FILE``
(the same durability as klingkit's fsync: on a file larger than the page cache's dirty limit the disk, not
the client, sets the pace). Reported: median wall time, the
ratio to curl (target <= 1.2x) and each process's peak RSS (flat memory: it must not grow with the file).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_HTTPX = """
import json, resource, sys, time, httpx
url, out = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
with httpx.Client() as c, c.stream("GET", url) as r, open(out, "wb") as f:
    for chunk in r.iter_raw():
        f.write(chunk)
print(json.dumps({"wall": time.perf_counter() - t0, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

_KLINGKIT = """
import json, resource, sys, time
from klingkit import Kling, Output, Task, TaskStatus
url, out = sys.argv[1], sys.argv[2]
task = Task(id="bench", status=TaskStatus.SUCCEEDED, feature="text2video", family="legacy",
            outputs=[Output(kind="video", url=url, format="mp4")])
with Kling(api_key="bench", base_url="http://127.0.0.1:9") as client:
    t0 = time.perf_counter()
    client.download(task, out, force=True)
    wall = time.perf_counter() - t0
print(json.dumps({"wall": wall, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _curl(url: str, out: Path, *, durable: bool = False) -> dict[str, float]:
    t0 = time.perf_counter()
    subprocess.run(["curl", "-sS", "-o", str(out), url], check=True)
    if durable:  # what klingkit also pays: the file's bytes forced to disk (coreutils `sync FILE` = fsync)
        subprocess.run(["sync", str(out)], check=True)
    return {"wall": time.perf_counter() - t0, "rss": 0.0}


def _py(code: str, url: str, out: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", code, url, str(out)], capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mib", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if shutil.which("curl") is None:
        sys.exit("curl is not installed: apt-get install -y curl (Debian/Ubuntu), then run again")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        served = root / "www"
        served.mkdir()
        block = os.urandom(1 << 20)
        with open(served / "clip.mp4", "wb") as f:
            for _ in range(args.mib):
                f.write(block)
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "http.server",
                str(port),
                "--bind",
                "127.0.0.1",
                "--directory",
                str(served),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/clip.mp4"
            for _ in range(50):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            results: dict[str, list[dict[str, float]]] = {
                "curl": [],
                "curl+sync": [],
                "httpx": [],
                "klingkit": [],
            }
            clients = {
                "curl": lambda: _curl(url, root / "curl.mp4"),
                "curl+sync": lambda: _curl(url, root / "curl-sync.mp4", durable=True),
                "httpx": lambda: _py(_HTTPX, url, root / "httpx.mp4"),
                "klingkit": lambda: _py(_KLINGKIT, url, out),
            }
            out = root / "kk"
            out.mkdir(exist_ok=True)
            names = list(clients)
            for run in range(args.runs):
                # Interleaved, and the order rotated each run, so the machine's drift affects all alike; the
                # page cache is flushed (untimed) before each client, so nobody pays the writeback of the
                # previous client's gigabyte (that made whoever ran last look slow).
                for name in names[run % len(names) :] + names[: run % len(names)]:
                    os.sync()
                    results[name].append(clients[name]())
                assert (out / "bench.mp4").stat().st_size == args.mib << 20
        finally:
            server.terminate()
            server.wait(timeout=10)
    curl = statistics.median(r["wall"] for r in results["curl"])
    print(f"{args.mib} MiB over loopback from python -m http.server, median of {args.runs} runs")
    for name, runs in results.items():
        wall = statistics.median(r["wall"] for r in runs)
        rss = max(r["rss"] for r in runs) / 1024
        rss_text = f", peak RSS {rss:.0f} MiB" if rss else ""
        print(f"  {name:<10} {wall:6.2f} s  {args.mib / wall:7.0f} MiB/s  {wall / curl:5.2f}x curl{rss_text}")


if __name__ == "__main__":
    main()
