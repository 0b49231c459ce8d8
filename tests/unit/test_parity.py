"""Kling and AsyncKling (and every resource twin) expose the same public methods and signatures."""

from __future__ import annotations

import inspect
from typing import Any

import httpx
import pytest

from klingkit import AsyncKling, Kling


def public_methods(obj: Any) -> dict[str, inspect.Signature]:
    out = {}
    for name in dir(obj):
        if name.startswith("_"):
            continue
        attr = getattr(obj, name)
        if callable(attr) and not inspect.isclass(attr):
            out[name] = inspect.signature(attr)
    return out


def strip_annotations(sig: inspect.Signature) -> list[tuple[str, Any, Any]]:
    return [(p.name, p.kind, p.default) for p in sig.parameters.values()]


def resource_attributes(client: Any) -> list[str]:
    """Attributes of a client that are resource objects (discovered, so new resources are checked too)."""
    return sorted(
        name
        for name, value in vars(client).items()
        if not name.startswith("_") and type(value).__module__.startswith("klingkit.")
    )


@pytest.fixture
def pair() -> Any:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"code": 0, "data": {}}))
    sync = Kling(api_key="k", transport=transport)
    async_ = AsyncKling(api_key="k", transport=transport)
    yield sync, async_
    sync.close()


def test_clients_have_the_same_public_methods(pair: Any) -> None:
    sync, async_ = pair
    s, a = public_methods(sync), public_methods(async_)
    assert set(s) == set(a)
    for name in s:
        assert strip_annotations(s[name]) == strip_annotations(a[name]), name


def test_constructors_match() -> None:
    assert strip_annotations(inspect.signature(Kling)) == strip_annotations(inspect.signature(AsyncKling))


def test_every_resource_has_an_identical_twin(pair: Any) -> None:
    sync, async_ = pair
    names = resource_attributes(sync)
    assert names == resource_attributes(async_)
    assert {"tasks", "account"} <= set(names)
    for name in names:
        s, a = public_methods(getattr(sync, name)), public_methods(getattr(async_, name))
        assert set(s) == set(a), name
        for method in s:
            assert strip_annotations(s[method]) == strip_annotations(a[method]), f"{name}.{method}"
            if method not in ("resolve", "notify"):  # these hand over state, they never wait
                a_fn = getattr(getattr(async_, name), method)
                assert inspect.iscoroutinefunction(a_fn) or inspect.isasyncgenfunction(a_fn), (
                    f"{name}.{method}"
                )


def test_import_klingkit_is_light() -> None:
    import subprocess
    import sys

    code = "import sys, klingkit; print(any(m in sys.modules for m in ('httpx', 'jwt', 'PIL', 'av')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
