"""Two command-line forms click does not have by itself.

* ``--images A B C``: an option that takes every following value up to the next option, as people type a
  list of files (``GreedyCommand``). It is read as ``--images A --images B --images C``, so the command
  sees a plain ``multiple=True`` option. Put the prompt before it (or use ``-p``): after ``--images`` every
  word is a file.
* ``klingkit image expand ...`` next to ``klingkit image "a prompt"``: a command that stays a command (its
  options, usage and help are unchanged) but hands its arguments to a named subcommand when the first one is
  that name (``WithSubcommands``). A prompt that is exactly such a name is given with ``-p``.
"""

from __future__ import annotations

import importlib
from typing import Any

import click


class GreedyCommand(click.Command):
    """A command whose ``greedy`` options take all the values that follow them."""

    def __init__(self, *args: Any, greedy: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.greedy = greedy

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, spread(args, self.greedy))


def spread(args: list[str], greedy: tuple[str, ...]) -> list[str]:
    """``--images A B --x`` -> ``--images A --images B --x`` (``--`` ends the list, as usual). A greedy flag
    with no value is left alone, so click still says it needs one."""
    out: list[str] = []
    current: str | None = None
    for i, arg in enumerate(args):
        if arg == "--":
            return out + args[i:]
        if arg.startswith("-") and arg != "-":
            name, eq, value = arg.partition("=")
            current = name if name in greedy else None
            out += [name, value] if current and eq else [arg]
        elif current:
            out += [arg] if out and out[-1] == current else [current, arg]
        else:
            out.append(arg)
    return out


class WithSubcommands(click.Command):
    """A command that also dispatches ``NAME ...`` to a subcommand (``{name: "module:attribute"}``, imported
    on first use so ``klingkit --help`` stays light)."""

    def __init__(self, *args: Any, subcommands: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subcommands = dict(subcommands or {})

    def subcommand(self, name: str) -> click.Command:
        module, _, attribute = self.subcommands[name].partition(":")
        found = getattr(importlib.import_module(module), attribute)
        if not isinstance(found, click.Command):
            raise TypeError(f"{module}.{attribute} is not a click command")
        return found

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        if args and args[0] in self.subcommands:
            sub = self.subcommand(args[0])
            return sub.make_context(f"{info_name} {args[0]}", args[1:], parent=parent, **extra)
        return super().make_context(info_name, args, parent=parent, **extra)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help(ctx, formatter)
        if self.subcommands:
            with formatter.section("Subcommands"):
                formatter.write_dl(
                    [
                        (f"{ctx.command_path} {n}", self.subcommand(n).get_short_help_str(70))
                        for n in self.subcommands
                    ]
                )


def complete_subcommands(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    """Tab completion in the first argument's place: the command's subcommand names."""
    names = getattr(ctx.command, "subcommands", {})
    return [name for name in names if name.startswith(incomplete)]
