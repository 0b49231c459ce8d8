"""What one ``klingkit`` run shares across commands: the global options, the typed argv, and warnings.

Global options (``--json``, ``--sandbox``, ``--base-url``, ``--region``, ``--debug``, ``-y``) are accepted
by the root group *and* by each command, so they work before or after the subcommand; a command reads
the root's values through :func:`global_option`. Python warnings (from the library) are printed as one
``Warning: ...`` line on stderr in the CLI's words, each message once.

Imported by ``klingkit --help``: nothing heavy here.
"""

from __future__ import annotations

import sys
import warnings
from typing import Any

import click

REGION_CHOICES = ("global", "cn", "legacy")  # keys of klingkit.catalog.REGIONS (checked by a test)

_ARGV: list[str] = []
_SEEN: set[str] = set()


def remember_argv(args: list[str]) -> None:
    """Keep the arguments as typed, to print command lines that would work (``Try: klingkit ...``)."""
    _ARGV[:] = args


def typed_argv() -> list[str]:
    """The arguments of this run after ``klingkit``, as typed (empty when not run from the console)."""
    return list(_ARGV)


def global_option(name: str, default: Any = None) -> Any:
    """The value of a root option (given before the subcommand), or ``default``."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return default
    value = ctx.find_root().params.get(name)
    return default if value is None else value


def warn_once(message: str) -> None:
    """``Warning: message`` on stderr, in CLI words; a message already shown in this run is not repeated."""
    from ._terms import cli_words

    text = cli_words(message)
    if text in _SEEN:
        return
    _SEEN.add(text)
    click.echo(f"Warning: {text}", file=sys.stderr)


def _show(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    warn_once(str(message))


def install_warning_printer() -> None:
    """Print every Python warning of this process as one CLI-style line (no source paths, no code)."""
    warnings.showwarning = _show  # the filters stay Python's (ResourceWarning and the like stay hidden)
