"""The client and the sandbox agree on every generated request: same accept/refuse, same price.

Thousands of requests are generated from the catalog (``agreement.py``); each goes through
``klingkit.prepare`` and, over HTTP on 127.0.0.1, through the sandbox. A difference is allowed only where a
named catalog policy states it (``catalog.POLICIES``); a price must equal an exact estimate and never exceed
an inexact one.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from klingkit import catalog
from klingkit.sandbox import Sandbox

from .agreement import (
    GROUPS,
    Outcome,
    Sources,
    disagreements,
    prepare_sources,
    price_differences,
    run_group,
    start,
)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Sandbox, httpx.Client, Sources]]:
    with Sandbox(time_scale=0.0) as sb:
        api = start(sb)
        with api:
            yield sb, api, prepare_sources(sb, api)


def _show(items: list[Outcome]) -> str:
    lines = []
    for o in items[:20]:
        side = "client" if o.client_ok else "sandbox"
        why = o.server_error if o.client_ok else o.client_error
        lines.append(
            f"{o.case.feature} {o.case.name}: only {side} accepts ({why}); est {o.estimate} "
            f"exact={o.exact} charged {o.charged}"
        )
    return "\n".join(lines)


@pytest.mark.parametrize("group", list(GROUPS))
def test_client_and_sandbox_agree(server: tuple[Sandbox, httpx.Client, Sources], group: str) -> None:
    sb, api, src = server
    outcomes = run_group(sb, api, src, group)
    assert len(outcomes) >= 9
    assert any(o.client_ok and o.server_ok for o in outcomes), "nothing accepted: the harness is broken"
    assert disagreements(outcomes) == [], _show(disagreements(outcomes))
    assert price_differences(outcomes) == [], _show(price_differences(outcomes))
    # Every difference that remains is one the catalog names.
    for o in outcomes:
        if o.client_ok != o.server_ok:
            assert o.policy in catalog.POLICIES
    # Every charge was compared: a succeeded task the billing export lacks would hide a price.
    priced = [o for o in outcomes if o.client_ok and o.server_ok]
    # (tts and identify-face answer at once; a custom element has no published price and bills nothing)
    billed = [o for o in priced if o.case.feature not in ("tts", "identify-face") and o.estimate]
    assert all(o.charged is not None for o in billed)


def test_the_suite_covers_thousands_of_requests(server: tuple[Sandbox, httpx.Client, Sources]) -> None:
    _, _, src = server
    total = sum(1 for make in GROUPS.values() for _ in make(src))
    assert total >= 3000
