"""How long the rule interpreter takes on a body with many bad items (every item refused on its own).

    /tmp/venv/bin/python bench/bench_rules.py --items 1000 3000 20000

Each size is an Image 4.0 body (``/omni-image/kling-image-4.0``) of one prompt and N reference items
without a ``url``: ``catalog.refusals`` names each (N + 1 refusals). The interpreter asks, before every
rule, whether a field it reads was already refused; with the refusals indexed (``_interp._Found``) the
time grows with N, where rescanning the list made it grow with N^2 (3,000 items: 12.8 s). Reported: the
median of ``--runs`` runs per size, and the time per item.
"""

from __future__ import annotations

import argparse
import statistics
import time

from klingkit import catalog


def body(items: int) -> dict[str, object]:
    contents = [{"type": "prompt", "text": "a cat"}] + [{"type": "refer_image"} for _ in range(items)]
    return {"model_name": catalog.image4.IMAGE, "contents": contents}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 3000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'items':>7} {'refusals':>9} {'median s':>9} {'us/item':>8}")
    for n in args.items:
        request = body(n)
        times, found = [], 0
        for _ in range(args.runs):
            start = time.perf_counter()
            found = len(catalog.refusals("omni-image-new", request))
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        print(f"{n:>7} {found:>9} {median:>9.3f} {median / n * 1e6:>8.1f}")


if __name__ == "__main__":
    main()
