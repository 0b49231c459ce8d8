"""CLI options and arguments made from the operation registry (:mod:`klingkit.ops`).

A generate command names the operation parameter each option stands for; its type, allowed values, range,
default and help come from that parameter's schema (which comes from the catalog), so the CLI and the MCP
tools cannot drift (``tests/mcp/test_cli_agrees.py`` checks every spelled parameter). The command keeps its
hand-tuned spellings (``-r/--ratio``), metavars and, where it says more, its own help sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from klingkit import ops

from ._options import Seconds

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["Allowed", "click_type", "ops_argument", "ops_option"]


class Allowed(click.ParamType):  # type: ignore[type-arg]
    """One of ``choices`` (listed in help and completion); ``lenient`` lets other values through, for the
    library to judge (a model the catalog does not know yet, a camera written as JSON)."""

    name = "choice"

    def __init__(self, choices: list[str], *, lenient: bool = False) -> None:
        self.choices = choices
        self.lenient = lenient

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value)
        if self.lenient or text in self.choices:
            return text
        shown = ", ".join(self.choices[:12]) + (", ..." if len(self.choices) > 12 else "")
        self.fail(f"{text!r} is not one of: {shown}", param, ctx)

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(c) for c in self.choices if c.startswith(incomplete)]


def click_type(
    schema: dict[str, Any], *, lenient: bool = False, seconds: bool = False, also: Sequence[str] = ()
) -> Any:
    """The click type of one JSON schema: a choice, a range, seconds (``10s``) or text; ``also`` adds
    other accepted spellings of the allowed values (the catalog's aliases) after them."""
    if schema.get("type") == "array":
        return click_type(schema["items"], lenient=lenient, seconds=seconds)
    low, high = schema.get("minimum"), schema.get("maximum")
    if "enum" in schema:
        values = [*schema["enum"], *also]
        if seconds:
            return Seconds(choices=[int(v) for v in values])
        if lenient or len(values) > 12:  # long lists: a metavar, not a [a|b|...] usage line
            return Allowed([str(v) for v in values], lenient=lenient)
        return click.Choice([str(v) for v in values], case_sensitive=False)
    if "examples" in schema:  # known values offered, any other passed on (judged when the call is made)
        return Allowed([str(v) for v in schema["examples"]], lenient=True)
    if seconds:
        return Seconds(fractional=schema.get("type") == "number", low=low, high=high)
    if schema.get("type") == "integer":
        return click.IntRange(low, high)
    if schema.get("type") == "number":
        return click.FloatRange(low, high) if low is not None or high is not None else float
    return None


def _help(schema: dict[str, Any], given: str | None, default_given: bool) -> str:
    text = given or str(schema.get("description", "")).rstrip()
    if "default" in schema and not default_given and "[default:" not in text:
        text += f" [default: {schema['default']}]"
    return text


def ops_option(
    operation: str,
    name: str,
    *decls: str,
    lenient: bool = False,
    seconds: bool = False,
    also: Sequence[str] = (),
    take_default: bool = False,
    **attrs: Any,
) -> Callable[[F], F]:
    """``click.option(*decls)`` for parameter ``name`` of ``operation``, typed and described by its schema.

    ``attrs`` may override the help sentence, metavar or default (``take_default``: the schema's default
    becomes click's, for commands that need a value; else unset means the library's); booleans become flags, arrays
    ``multiple=True``; required when the parameter is. A ``[default: X]`` from the schema is added to the help unless a default is given.
    """
    param = ops.get(operation).param(name)
    schema, kind = param.schema, param.schema.get("type")
    attrs.setdefault("required", param.required)
    if take_default and "default" in schema:
        attrs.setdefault("default", schema["default"])
        attrs.setdefault("show_default", True)
    if kind == "boolean":
        attrs.setdefault("is_flag", True)
        if any("/" in d for d in decls):  # --x/--no-x: unset means the model's own default
            attrs.setdefault("default", None)
    else:
        found = click_type(schema, lenient=lenient, seconds=seconds, also=also)
        if found is not None:
            attrs.setdefault("type", found)
        if kind == "array":
            attrs["multiple"] = True
    attrs["help"] = _help(schema, attrs.get("help"), "default" in attrs and attrs["default"] is not None)
    return click.option(*decls, **attrs)


def ops_argument(
    operation: str, name: str, *decls: str, lenient: bool = False, **attrs: Any
) -> Callable[[F], F]:
    """``click.argument(*decls)`` for parameter ``name`` of ``operation`` (its allowed values as the type)."""
    schema = ops.get(operation).param(name).schema
    found = click_type(schema, lenient=lenient)
    if found is not None:
        attrs.setdefault("type", found)
    return click.argument(*decls, **attrs)
