"""Start-up cost of the ``klingkit`` command: wall time and peak memory, against a floor and a peer.

Measures, in one run and interleaved (so machine noise hits every command alike):

- ``python -c pass`` (the floor: an interpreter that does nothing),
- ``klingkit --help``, ``klingkit --version``,
- ``klingkit video "..." --dry-run`` (validates and prices a request; no network, no keys),
- ``kling --help`` from PyPI's ``kling-pro-cli`` (a click + httpx + pydantic + rich CLI), installed by
  this script into a throwaway virtual environment under /tmp.

Each figure is the median of ``--runs`` runs; peak memory is the child's own max RSS (``wait4``).
Target: ``klingkit --help`` at most 0.6x the peer's time.

    python bench/bench_cli.py [--runs 15] [--no-peer] [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PEER_PACKAGE = "kling-pro-cli"
PEER_VENV = Path(tempfile.gettempdir()) / "klingkit-bench-peer-venv"
TARGET_RATIO = 0.6


def klingkit_command() -> str:
    """The installed ``klingkit`` script next to this interpreter, else on PATH."""
    beside = Path(sys.executable).with_name("klingkit")
    if beside.exists():
        return str(beside)
    found = shutil.which("klingkit")
    if not found:
        sys.exit("klingkit is not installed in this environment (pip install -e .)")
    return found


def install_peer() -> tuple[str | None, str]:
    """Install the peer CLI in a throwaway venv; returns (path to ``kling`` or None, a note)."""
    kling = PEER_VENV / "bin" / "kling"
    if kling.exists():
        return str(kling), f"{PEER_PACKAGE} {_peer_version()} (cached venv {PEER_VENV})"
    try:
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True, capture_output=True)
        pip = [
            str(PEER_VENV / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ]
        subprocess.run([*pip, PEER_PACKAGE], check=True, capture_output=True, timeout=600)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        text = detail.decode(errors="replace").strip().splitlines()[-1:] if detail else [str(exc)]
        return None, f"could not install {PEER_PACKAGE}: {' '.join(text)}"
    if not kling.exists():
        return None, f"{PEER_PACKAGE} installed but has no `kling` script"
    return str(kling), f"{PEER_PACKAGE} {_peer_version()} (venv {PEER_VENV})"


def _peer_version() -> str:
    shown = subprocess.run(
        [str(PEER_VENV / "bin" / "python"), "-m", "pip", "show", PEER_PACKAGE], capture_output=True, text=True
    ).stdout
    return next((ln.split(":", 1)[1].strip() for ln in shown.splitlines() if ln.startswith("Version:")), "?")


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, exit status) of one run of ``argv``."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024.0, proc.returncode  # ru_maxrss is KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15, help="runs per command (median reported)")
    parser.add_argument("--no-peer", action="store_true", help="skip installing and timing kling-pro-cli")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()

    kk = klingkit_command()
    home = Path(tempfile.mkdtemp(prefix="klingkit-bench-home-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KLING_", "KLINGKIT_"))}
    env["KLINGKIT_HOME"] = str(home)
    commands: dict[str, list[str]] = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "klingkit --help": [kk, "--help"],
        "klingkit --version": [kk, "--version"],
        "klingkit video --dry-run": [kk, "video", "sunset over ocean", "-d", "10", "-m", "pro", "--dry-run"],
    }
    peer_note = "skipped (--no-peer)"
    if not args.no_peer:
        peer, peer_note = install_peer()
        if peer:
            commands["kling --help (peer)"] = [peer, "--help"]

    for name, argv in commands.items():  # warm the file cache; check each command works
        _, _, code = run_once(argv, env)
        if code != 0:
            sys.exit(f"{name} exited with {code}")

    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, argv in commands.items():
            wall, rss, _ = run_once(argv, env)
            samples[name].append((wall, rss))

    figures: dict[str, dict[str, float]] = {}
    for name, runs in samples.items():
        figures[name] = {
            "median_ms": statistics.median(w for w, _ in runs) * 1000,
            "min_ms": min(w for w, _ in runs) * 1000,
            "peak_rss_mib": statistics.median(r for _, r in runs),
        }
    floor = figures["python -c pass"]["median_ms"]
    peer_ms = figures.get("kling --help (peer)", {}).get("median_ms")

    print(f"klingkit CLI start-up, median of {args.runs} runs (interleaved); python {sys.version.split()[0]}")
    print(f"peer: {peer_note}")
    print(f"{'command':<26} {'median ms':>10} {'min ms':>8} {'peak MiB':>9} {'x floor':>8} {'x peer':>7}")
    for name, f in figures.items():
        vs_peer = f"{f['median_ms'] / peer_ms:.2f}" if peer_ms else "-"
        print(
            f"{name:<26} {f['median_ms']:>10.1f} {f['min_ms']:>8.1f} {f['peak_rss_mib']:>9.1f} "
            f"{f['median_ms'] / floor:>8.2f} {vs_peer:>7}"
        )
    verdict: dict[str, Any] = {"target": f"klingkit --help <= {TARGET_RATIO}x peer"}
    if peer_ms:
        ratio = figures["klingkit --help"]["median_ms"] / peer_ms
        verdict.update(ratio=round(ratio, 3), met=ratio <= TARGET_RATIO)
        print(
            f"target klingkit --help <= {TARGET_RATIO}x peer: {ratio:.2f}x -> {'met' if ratio <= TARGET_RATIO else 'NOT met'}"
        )
    else:
        print("target not checked: the peer could not be measured")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {"runs": args.runs, "peer": peer_note, "figures": figures, "verdict": verdict}, indent=2
            )
        )
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
