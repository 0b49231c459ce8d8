"""The shape of a registry row: an :class:`Operation` and its :class:`Param` s (see :mod:`._registry`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._build import Build, ResolveVideo

__all__ = ["Opens", "Operation", "P", "Param", "op"]

Opens = Callable[[Any, Mapping[str, Any], ResolveVideo], Awaitable[dict[str, Any]]]
"""A free step some operations take with the (async) client right before their create, after every money
check: ``(client, arguments, resolve_video) -> extra library params`` (an edit's selection session)."""


@dataclass(frozen=True)
class Param:
    """One argument: its name, JSON schema, whether it is required and the CLI's spelling of it."""

    name: str
    schema: dict[str, Any]
    required: bool = False
    flag: str | None = None


@dataclass(frozen=True)
class Operation:
    """One thing klingkit can do for a person or an agent.

    ``paid`` operations create a Kling task (priced before sending); the others are free. ``build`` maps
    the arguments to ``(catalog feature, library params)``, which ``klingkit.prepare`` validates and prices.
    """

    name: str
    title: str
    summary: str
    paid: bool
    params: tuple[Param, ...] = ()
    cli: str | None = None
    build: Build | None = field(default=None, compare=False)
    network: bool = True  # False: answered from the catalog alone (offline)
    # a free first step, taken just before the create (an edit opens its selection session)
    opens: Opens | None = field(default=None, compare=False)

    def input_schema(self) -> dict[str, Any]:
        """The JSON Schema (an object) of this operation's arguments."""
        return {
            "type": "object",
            "properties": {p.name: dict(p.schema) for p in self.params},
            "required": [p.name for p in self.params if p.required],
            "additionalProperties": False,
        }

    def param(self, name: str) -> Param:
        """The parameter called ``name``; KeyError naming this operation's parameters otherwise."""
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(
            f"{self.name} has no parameter {name!r}; it has {', '.join(p.name for p in self.params)}"
        )

    def request(
        self, args: Mapping[str, Any], resolve_video: ResolveVideo = str
    ) -> tuple[str, dict[str, Any]]:
        """``(feature, params)`` for ``klingkit.prepare``; None values are left out."""
        if self.build is None:
            raise TypeError(f"{self.name} does not create a task")
        feature, params = self.build(args, resolve_video)
        return feature, {k: v for k, v in params.items() if v is not None}


def P(name: str, schema: dict[str, Any], flag: str | None = None, required: bool = False) -> Param:
    return Param(name, schema, required, flag)


def op(
    name: str,
    title: str,
    cli: str,
    build: Build | None,
    summary: str,
    *params: Param,
    offline: bool = False,
    opens: Opens | None = None,
) -> Operation:
    """One registry row (see the module docstring of :mod:`._registry`)."""
    return Operation(name, title, summary, build is not None, params, cli, build, not offline, opens)
