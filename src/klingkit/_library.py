"""``client.elements`` and ``client.voices``: the library that ``element_list``, ``voice_list`` and Kling
4.0's ``element``/``voice`` items refer to.

``create(...)`` is a task (wait for it; its output holds the new id), ``list(kind)`` reads the presets
and/or your own (answers at once), ``delete(ids)`` answers at once. Facts and rules:
``klingkit.catalog.library`` (paths M, create bodies L).
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._exceptions import ValidationError
from ._requests import prepare
from .catalog import library

if TYPE_CHECKING:
    from ._client import AsyncKling, Kling
    from ._models import Task

__all__ = ["AsyncElements", "AsyncVoices", "Elements", "Voices"]

_KINDS = ("all", "preset", "custom")


class _Plan:
    """The pure part shared by the four classes: which routes a call uses and how to read them."""

    def __init__(self, item: str) -> None:
        self.item = item  # "element" or "voice"
        self.feature = "custom-elements" if item == "element" else "custom-voices"
        self.create = "create_element" if item == "element" else "create_voice"
        self.presets = library.PRESET_ELEMENTS_PATH if item == "element" else library.PRESET_VOICES_PATH
        self.delete_path = library.DELETE_ELEMENTS_PATH if item == "element" else library.DELETE_VOICES_PATH
        self.key = f"{item}_ids"

    def check_kind(self, kind: str) -> None:
        if kind not in _KINDS:
            raise ValidationError("kind", kind, ", ".join(_KINDS))

    def preset_items(self, data: Any) -> builtins.list[dict[str, Any]]:
        items = (
            data if isinstance(data, list) else (data or {}).get("list", []) if isinstance(data, dict) else []
        )
        return [{**dict(i), "source": "preset"} for i in items if isinstance(i, dict)]

    def custom_items(self, tasks: Sequence[Task]) -> builtins.list[dict[str, Any]]:
        out = []
        for task in tasks:
            for o in task.outputs:
                if o.kind == self.item and o.raw.get("status") != "deleted":
                    out.append({**o.raw, "source": "custom", "task_id": task.id})
        return out

    def delete_body(self, ids: Sequence[str] | str) -> dict[str, Any]:
        chosen = [ids] if isinstance(ids, str) else [str(i) for i in ids]
        refusals = library.check_delete({self.key: chosen}, self.key)
        if refusals:
            raise ValidationError(self.key, chosen, refusals[0].allowed)
        return {self.key: chosen}


class _Library:
    def __init__(self, client: Kling, item: str) -> None:
        self._client = client
        self._plan = _Plan(item)

    def create(self, **params: Any) -> Task:
        """Create one (a task; wait for it, then its output's ``id`` is the new id)."""
        return self._client.submit(prepare(self._plan.create, strict=self._client.strict, **params))

    def list(self, kind: str = "all") -> builtins.list[dict[str, Any]]:
        """Presets and/or your own (``kind``: all, preset, custom), each a dict with ``id``, ``name``,
        ``source`` (preset|custom) and the service's other fields. Deleted ones are left out."""
        self._plan.check_kind(kind)
        found: builtins.list[dict[str, Any]] = []
        if kind in ("all", "preset"):
            env = self._client._transport.request("GET", self._plan.presets, family="legacy")
            found += self._plan.preset_items(env.data)
        if kind in ("all", "custom"):
            found += self._plan.custom_items(builtins.list(self._client.tasks.iter(self._plan.feature)))
        return found

    def delete(self, ids: Sequence[str] | str) -> builtins.list[str]:
        """Delete your own by id (presets cannot be deleted); returns the ids deleted."""
        body = self._plan.delete_body(ids)
        env = self._client._transport.request("POST", self._plan.delete_path, json=body, family="legacy")
        return [str(i) for i in (env.data or {}).get("deleted", [])]


class _AsyncLibrary:
    def __init__(self, client: AsyncKling, item: str) -> None:
        self._client = client
        self._plan = _Plan(item)

    async def create(self, **params: Any) -> Task:
        """Create one (a task; wait for it, then its output's ``id`` is the new id)."""
        return await self._client.submit(prepare(self._plan.create, strict=self._client.strict, **params))

    async def list(self, kind: str = "all") -> builtins.list[dict[str, Any]]:
        """Presets and/or your own (``kind``: all, preset, custom), each a dict with ``id``, ``name``,
        ``source`` (preset|custom) and the service's other fields. Deleted ones are left out."""
        self._plan.check_kind(kind)
        found: builtins.list[dict[str, Any]] = []
        if kind in ("all", "preset"):
            env = await self._client._transport.request("GET", self._plan.presets, family="legacy")
            found += self._plan.preset_items(env.data)
        if kind in ("all", "custom"):
            found += self._plan.custom_items([t async for t in self._client.tasks.iter(self._plan.feature)])
        return found

    async def delete(self, ids: Sequence[str] | str) -> builtins.list[str]:
        """Delete your own by id (presets cannot be deleted); returns the ids deleted."""
        body = self._plan.delete_body(ids)
        env = await self._client._transport.request(
            "POST", self._plan.delete_path, json=body, family="legacy"
        )
        return [str(i) for i in (env.data or {}).get("deleted", [])]


class Elements(_Library):
    """Elements (characters, objects, scenes) for ``element_list`` and 4.0 ``element`` items:
    ``client.elements.create(name=..., images=[...])``, ``.list()``, ``.delete(ids)``."""

    def __init__(self, client: Kling) -> None:
        super().__init__(client, "element")


class Voices(_Library):
    """Custom and preset voices for ``voice_list`` and 4.0 ``voice`` items:
    ``client.voices.create(name=..., audio=...)``, ``.list()``, ``.delete(ids)``."""

    def __init__(self, client: Kling) -> None:
        super().__init__(client, "voice")


class AsyncElements(_AsyncLibrary):
    """Elements (async twin of :class:`Elements`)."""

    def __init__(self, client: AsyncKling) -> None:
        super().__init__(client, "element")


class AsyncVoices(_AsyncLibrary):
    """Voices (async twin of :class:`Voices`)."""

    def __init__(self, client: AsyncKling) -> None:
        super().__init__(client, "voice")
