"""The import rules of the design (shared/design.md, docs/ARCHITECTURE.md), checked on the source.

Layers, top to bottom: ``cli``/``mcp``/``ops`` (people and agents) -> ``jobs`` -> the library (``klingkit``,
``klingkit._*``, ``errors``, ``webhooks``, ``config``, ``download``) -> ``catalog``. Arrows point down only.
The ``sandbox`` stands beside them and imports only the catalog, as a real server shares nothing with its
clients but the contract; only the top layer starts it (``--sandbox``). A layer uses another layer's public
names only: no ``klingkit._config`` from the CLI, no ``catalog._data`` outside the catalog.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import klingkit

SRC = Path(klingkit.__file__).parent
TOP = {"cli", "mcp", "ops"}
SUBPACKAGES = TOP | {"jobs", "sandbox", "catalog"}

# Leaf modules that import nothing of klingkit and that both sides of the wire need: the local CA the sandbox
# issues its certificate from and the client trusts on loopback (one place for its path and its rules).
SHARED_LEAVES = {"klingkit._localca"}

# What each layer may import besides itself.
ALLOWED: dict[str, set[str]] = {
    "top": {"top", "jobs", "library", "catalog", "sandbox"},
    "jobs": {"library", "catalog"},
    "library": {"catalog"},
    "catalog": set(),
    "sandbox": {"catalog"},
}


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in SUBPACKAGES:
        return "top" if parts[1] in TOP else parts[1]
    return "library"


def owner(module: str) -> str:
    """The package a private name belongs to (``klingkit.cli`` for ``klingkit.cli._run``)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 and parts[1] in SUBPACKAGES else "klingkit"


def imports() -> Iterator[tuple[str, str, int]]:
    """(importing module, imported module or name, line) for every klingkit import in the source."""
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        module = ".".join(rel.parts).removesuffix(".__init__")
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield module, alias.name, node.lineno
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                if target != "klingkit":  # ``from klingkit import x``: judged by the name x below
                    yield module, target, node.lineno
                for alias in node.names:
                    yield module, f"{target}.{alias.name}", node.lineno


def _private_part(target: str) -> bool:
    return any(p.startswith("_") and not p.startswith("__") for p in target.split(".")[1:])


def test_arrows_point_down_and_the_sandbox_shares_only_the_catalog() -> None:
    wrong = []
    for module, target, line in imports():
        if target.split(".")[0] != "klingkit":
            continue
        a, b = layer(module), layer(target)
        if a == "sandbox" and any(target.startswith(leaf) for leaf in SHARED_LEAVES):
            continue
        if a != b and b not in ALLOWED[a]:
            wrong.append(f"{module}:{line} ({a}) imports {target} ({b})")
    assert not wrong, "\n".join(wrong)


def test_no_layer_imports_another_layers_private_modules() -> None:
    wrong = []
    for module, target, line in imports():
        if target.split(".")[0] != "klingkit" or owner(module) == owner(target):
            continue
        if any(target.startswith(leaf) for leaf in SHARED_LEAVES):
            continue
        if _private_part(target):
            wrong.append(f"{module}:{line} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_the_catalog_is_read_through_its_public_door() -> None:
    wrong = [
        f"{m}:{line} imports {t}"
        for m, t, line in imports()
        if t.startswith("klingkit.catalog._") and not m.startswith("klingkit.catalog")
    ]
    assert not wrong, "\n".join(wrong)


def test_shared_leaves_import_nothing_of_klingkit() -> None:
    for module, target, line in imports():
        if module in SHARED_LEAVES:
            assert not target.startswith("klingkit"), f"{module}:{line} imports {target}"


def test_the_rules_see_real_imports() -> None:
    # The walk must find the imports it judges, or the tests above would pass on nothing.
    found = {(m, t) for m, t, _ in imports()}
    assert ("klingkit.sandbox._validation", "klingkit.catalog") in found
    assert any(m.startswith("klingkit.cli") and t.startswith("klingkit.jobs") for m, t in found)
    assert layer("klingkit.cli.generate") == "top" and layer("klingkit._requests") == "library"
    assert _private_part("klingkit.catalog._data") and not _private_part("klingkit.__version__")
