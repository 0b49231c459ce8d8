"""Option habits people bring from other tools: ``-p/--prompt``, ``--prompt-file``, ``-`` for stdin,
``-d 10s``, and a hint to quote a prompt typed as several words."""

from __future__ import annotations

import functools
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ._exit import CLIError

F = TypeVar("F", bound=Callable[..., Any])


class Seconds(click.ParamType):  # type: ignore[type-arg]
    """Seconds as ``10``, ``10s``, ``10 s`` or ``10sec`` (whole seconds unless ``fractional``), optionally
    one of ``choices`` or within ``low..high`` (the catalog's, through the operation registry)."""

    name = "seconds"

    def __init__(
        self,
        fractional: bool = False,
        *,
        choices: list[int] | None = None,
        low: float | None = None,
        high: float | None = None,
    ) -> None:
        self.fractional = fractional
        self.choices = choices
        self.min, self.max = low, high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = self._seconds(value, param, ctx)
        if self.choices is not None and number not in self.choices:
            self.fail(f"{value!r}: no model takes {number:g} s (allowed: {self._allowed()})", param, ctx)
        if (self.min is not None and number < self.min) or (self.max is not None and number > self.max):
            self.fail(f"{value!r}: allowed {self.min:g}..{self.max:g} seconds", param, ctx)
        return number

    def _allowed(self) -> str:
        found = sorted(self.choices or [])
        runs: list[str] = []
        for n in found:  # 3, 4, ... 15 -> "3..15"
            if runs and n - 1 == int(runs[-1].split("..")[-1]):
                runs[-1] = f"{runs[-1].split('..')[0]}..{n}"
            else:
                runs.append(str(n))
        return ", ".join(runs)

    def _seconds(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, (int, float)):
            return value
        text = str(value).strip().lower()
        for suffix in ("seconds", "second", "secs", "sec", "s"):
            if text.endswith(suffix):
                text = text[: -len(suffix)].strip()
                break
        try:
            number = float(text)
        except ValueError:
            self.fail(f"{value!r} is not a number of seconds (e.g. 5, 10 or 10s)", param, ctx)
        if self.fractional:
            return number
        if number != int(number):
            self.fail(f"{value!r}: whole seconds only (e.g. 5 or 10)", param, ctx)
        return int(number)


def prompt_options(
    required: bool = True, complete: Callable[[click.Context, click.Parameter, str], list[str]] | None = None
) -> Callable[[F], F]:
    """PROMPT as an argument, ``-p/--prompt`` or ``--prompt-file``; ``-`` reads it from stdin.

    The command receives ``prompt: str | None`` (None only when ``required`` is False and none was given).
    ``complete`` offers words for PROMPT's place on tab (a command's subcommand names).
    """

    def deco(func: F) -> F:
        @click.argument("prompt_arg", metavar="[PROMPT]", required=False, shell_complete=complete)
        @click.option("-p", "--prompt", "prompt_opt", metavar="TEXT", help="The prompt ('-' reads stdin).")
        @click.option(
            "--prompt-file",
            type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
            help="Read the prompt from a file ('-' for stdin).",
        )
        @functools.wraps(func)
        def wrapper(
            *args: Any, prompt_arg: str | None, prompt_opt: str | None, prompt_file: Path | None, **kw: Any
        ) -> Any:
            given = [v for v in (prompt_arg, prompt_opt) if v is not None]
            if len(given) + (prompt_file is not None) > 1:
                raise CLIError(
                    "the prompt was given twice (as PROMPT, -p or --prompt-file)",
                    hint='give it once: klingkit video "a red fox" (or -p TEXT, or --prompt-file FILE)',
                )
            text: str | None = given[0] if given else None
            if prompt_file is not None:
                text = "-" if str(prompt_file) == "-" else _read(prompt_file)
            if text == "-":
                text = sys.stdin.read()
            if text is not None:
                text = text.strip()
            return func(*args, prompt=text, **kw)

        return wrapper  # type: ignore[return-value]

    return deco


def _read(path: Path) -> str:
    try:
        return path.expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CLIError(
            f"invalid --prompt-file {str(path)!r}: {getattr(exc, 'strerror', None) or exc}",
            hint="give a readable UTF-8 text file, or '-' to read stdin",
        ) from None


def quote_hint(message: str, argv: list[str]) -> str | None:
    """For ``Got unexpected extra arguments (red fox)``: the command line with the words quoted."""
    if "unexpected extra argument" not in message or "(" not in message:
        return None
    extras = message[message.rindex("(") + 1 : message.rindex(")")].split(" ")
    n = len(extras)
    for start in range(len(argv) - n):
        if argv[start + 1 : start + 1 + n] == extras and not argv[start].startswith("-"):
            fixed = [*argv[:start], " ".join(argv[start : start + 1 + n]), *argv[start + 1 + n :]]
            return "klingkit " + shlex.join(fixed)
    return None
