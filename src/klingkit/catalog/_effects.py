"""Effect scenes and their prices, as data that can change without a new klingkit.

Kling adds scenes and changes effect prices every few weeks (``kling-2026-h2.md`` §4: about 15 new scenes
and 10 price changes in Aug-Sep 2026, H). So the scenes live in ``effects.json`` next to this module, and a
user file in the same shape is read on top of it: ``$KLINGKIT_EFFECTS`` when set, else
``$KLINGKIT_HOME/effects.json`` when it exists. Only the keys it gives change (a scene's ``units``, a new
scene, ``retired``). The client's estimate, its checks, the sandbox's billing and ``klingkit effects`` read
this module; the MCP ``apply_effect`` tool offers the packaged scenes as examples and judges a scene
when it is called, against this data read again (so a scene added to the user's file while the server
runs is accepted).

A scene: ``images`` (1, or 2 for a two-person scene: left and right), ``units`` (a call; when absent the
price of its image count from ``default_units``, and the estimate is then not exact), ``retired`` (a date:
refused) with ``instead`` (the scene to use). A scene not in the data passes with a warning, priced as a
single-image scene, like an unknown model.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "EffectsDataError",
    "Scene",
    "data_files",
    "packaged_names",
    "reload",
    "scene",
    "scenes",
    "units_for_images",
]

PACKAGED = Path(__file__).with_name("effects.json")
ENV = "KLINGKIT_EFFECTS"


@dataclass(frozen=True)
class Scene:
    """One effect scene as the data states it."""

    name: str
    images: int
    units: float
    exact: bool  # the price is the scene's own (else the default for its image count)
    retired: str | None = None
    instead: str | None = None
    known: bool = True


class EffectsDataError(ValueError):
    """An effects data file that cannot be read (named, with what is wrong)."""


def data_files() -> list[Path]:
    """The files read, in order: the packaged data, then the user's file when there is one."""
    files = [PACKAGED]
    named = os.environ.get(ENV)
    if named:
        files.append(Path(named).expanduser())
    else:
        home = os.environ.get("KLINGKIT_HOME")
        if home and (Path(home) / "effects.json").is_file():
            files.append(Path(home) / "effects.json")
    return files


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EffectsDataError(f"effects data {path}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("scenes", {}), dict):
        raise EffectsDataError(f'effects data {path}: expected {{"scenes": {{NAME: {{...}}}}}}')
    return data


def _merge(files: tuple[Path, ...]) -> tuple[dict[str, float], dict[str, dict[str, Any]]]:
    defaults: dict[str, float] = {}
    table: dict[str, dict[str, Any]] = {}
    for path in files:
        data = _read(path)
        defaults.update({str(k): float(v) for k, v in dict(data.get("default_units", {})).items()})
        for name, fields in data.get("scenes", {}).items():
            if not isinstance(fields, dict):
                raise EffectsDataError(f"effects data {path}: scene {name!r} is not an object")
            table.setdefault(str(name), {}).update(fields)
    for name, fields in table.items():
        images, units = fields.get("images", 1), fields.get("units")
        if images not in (1, 2) or not (units is None or (isinstance(units, (int, float)) and units > 0)):
            raise EffectsDataError(
                f"effects data: scene {name!r} needs images 1 or 2 and units > 0: {fields}"
            )
    return defaults, table


@lru_cache(maxsize=1)
def _loaded(files: tuple[Path, ...]) -> tuple[dict[str, float], dict[str, dict[str, Any]]]:
    return _merge(files)


def reload() -> None:
    """Forget what was read (the next look-up reads the files again)."""
    _loaded.cache_clear()


def units_for_images(images: int) -> float:
    """The price of a scene of ``images`` images that states no price of its own."""
    defaults, _ = _loaded(tuple(data_files()))
    return defaults[str(images)]


def scene(name: str) -> Scene:
    """The scene ``name`` (an unknown one is a single-image scene at the default price, ``known=False``)."""
    defaults, table = _loaded(tuple(data_files()))
    fields = table.get(name)
    if fields is None:
        return Scene(name, 1, defaults["1"], exact=False, known=False)
    images = int(fields.get("images", 1))
    own = fields.get("units")
    return Scene(name, images, float(own) if own is not None else defaults[str(images)], exact=own is not None,
                 retired=fields.get("retired"), instead=fields.get("instead"))  # fmt: skip


def scenes() -> list[Scene]:
    """Every scene in the data, in its order."""
    _, table = _loaded(tuple(data_files()))
    return [scene(name) for name in table]


def packaged_names(images: int, *, retired: bool = False) -> tuple[str, ...]:
    """Scene names of the packaged data alone (for the constants the catalog exports at import)."""
    _, table = _merge((PACKAGED,))
    return tuple(
        n for n, f in table.items() if f.get("images", 1) == images and bool(f.get("retired")) == retired
    )
