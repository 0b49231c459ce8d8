"""The run flags every spending command takes, and how a command reads the media paths it is given.

``video``, ``image``, ``extend``, ``omni``, ``edit`` and every other command that creates a paid task take
the same flags (``-o``, ``--dry-run``, ``--max-cost``, ``-y``, ``--max-wait``, ...), so a user learns them
once; a test holds every spending command to them.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

from klingkit import defaults

from ._exit import CLIError
from ._globals import global_option
from ._guard import DEFAULT_CONFIRM_ABOVE_USD, Guard

F = TypeVar("F", bound=Callable[..., Any])

PRICE_ONLY_PROMPT = "(no prompt: priced only)"


def generate_options(func: F) -> F:
    """Options every generate command shares; the command receives ``guard: Guard``."""

    @click.option(
        "-o", "--output", metavar="PATH", help="File or directory to save to. [default: current directory]"
    )
    @click.option("--dry-run", is_flag=True, help="Validate and price only; send nothing.")
    @click.option(
        "--max-cost",
        type=click.FloatRange(min=0),
        metavar="USD",
        help="Refuse if the estimate is above USD dollars.",
    )
    @click.option(
        "-y", "--yes", is_flag=True, help="Do not ask before an expensive task (needed without a terminal)."
    )
    @click.option(
        "--confirm-above",
        type=click.FloatRange(min=0),
        metavar="USD",
        help=f"Ask for confirmation above this estimate. [default: {DEFAULT_CONFIRM_ABOVE_USD:g}, "
        "env KLINGKIT_CONFIRM_ABOVE]",
    )
    @click.option("--no-download", is_flag=True, help="Wait, but do not save the outputs (print their URLs).")
    @click.option("--force", is_flag=True, help="Overwrite an existing -o file (else refused before paying).")
    @click.option(
        "--max-wait",
        type=click.FloatRange(min=1),
        metavar="SECONDS",
        help=f"Stop waiting after this long (the task keeps running; exit 8). [default: {defaults.MAX_WAIT:g}]",
    )
    @click.option("--callback-url", metavar="URL", help="Ask Kling to call URL on every status change.")
    @click.option(
        "--allow-unknown-model",
        is_flag=True,
        help="Send a model name the catalog does not know (otherwise refused with a did-you-mean).",
    )
    @functools.wraps(func)
    def wrapper(
        *args: Any,
        output: str | None,
        dry_run: bool,
        max_cost: float | None,
        yes: bool,
        confirm_above: float | None,
        no_download: bool,
        force: bool,
        max_wait: float | None,
        callback_url: str | None,
        allow_unknown_model: bool,
        **kwargs: Any,
    ) -> Any:
        guard = Guard(
            dry_run=dry_run,
            max_cost=max_cost,
            yes=yes or bool(global_option("yes", False)),
            confirm_above=confirm_above,
            download=not no_download,
            output=output,
            max_wait=max_wait,
            force=force,
            callback_url=callback_url,
            allow_unknown_model=allow_unknown_model,
        )
        return func(*args, guard=guard, **kwargs)

    return wrapper  # type: ignore[return-value]


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _media(value: str | None, flag: str = "-i/--image") -> str | None:
    """A local path is expanded; URLs and other strings pass through (the library reads the file)."""
    if value is None:
        return None
    if _is_url(value):
        return value
    expanded = os.path.expanduser(value)
    if not os.path.exists(expanded):
        raise CLIError(
            f"invalid {flag} {value!r}: no such file; nothing was sent",
            type="ValidationError",
            hint=f"give {flag} a path to an existing file or an http(s) URL",
        )
    return expanded


def _drop_none(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None}
