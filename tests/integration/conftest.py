"""One sandbox per module, over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    sandbox_mod = pytest.importorskip("klingkit.sandbox")
    with sandbox_mod.Sandbox(time_scale=0.0, seed=0) as sb:
        yield sb


@pytest.fixture
def sb(sandbox: Any) -> Any:
    """The module's sandbox with faults cleared and state reset for each test."""
    sandbox.clear_faults()
    sandbox.reset()
    return sandbox
