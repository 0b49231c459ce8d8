"""The contract tests' server: a sandbox at full speed with the source media the cases refer to, one per test
module (``test_agreement`` keeps its own, which also hands out the sandbox for its counters)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from klingkit.sandbox import Sandbox

from .agreement import Sources, prepare_sources, start


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[httpx.Client, Sources]]:
    with Sandbox(time_scale=0.0) as sb:
        api = start(sb)
        with api:
            yield api, prepare_sources(sb, api)
