"""The money guards of a generate command, run before anything is sent: the estimate shown in words,
``--max-cost`` and the confirmation above ``--confirm-above`` (or ``KLINGKIT_CONFIRM_ABOVE``)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

import click

from klingkit import defaults

from ._exit import CLIError, ExitCode
from ._session import Session

CONFIRM_ABOVE_ENV = "KLINGKIT_CONFIRM_ABOVE"
DEFAULT_CONFIRM_ABOVE_USD = defaults.CONFIRM_ABOVE_USD
"""An estimate above this many US dollars asks for confirmation (``-y`` skips it)."""


@dataclass
class Guard:
    """The money options of a generate command."""

    dry_run: bool = False
    max_cost: float | None = None
    yes: bool = False
    confirm_above: float | None = None
    download: bool = True
    output: str | None = None
    max_wait: float | None = None
    force: bool = False  # overwrite an existing -o file
    callback_url: str | None = None
    allow_unknown_model: bool = False


def _confirm_threshold(guard: Guard) -> float:
    if guard.confirm_above is not None:
        return guard.confirm_above
    raw = os.environ.get(CONFIRM_ABOVE_ENV)
    if raw is None or not raw.strip():
        return DEFAULT_CONFIRM_ABOVE_USD
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also refuses nan
        raise CLIError(
            f"invalid {CONFIRM_ABOVE_ENV}={raw!r}: allowed a number of US dollars >= 0; nothing was sent",
            hint=f"export {CONFIRM_ABOVE_ENV}=2 (or unset it for the default "
            f"${DEFAULT_CONFIRM_ABOVE_USD:g}), or pass --confirm-above USD",
        )
    return value


def units_text(units: float, pack: str, exact: bool = True) -> str:
    """``1 video unit``, ``up to 3.5 video units`` (an estimate that is an upper bound says so)."""
    word = "unit" if units == 1 else "units"
    return f"{'' if exact else 'up to '}{units:g} {pack} {word}"


def _estimate_json(est: Any) -> dict[str, Any]:
    return {
        "units": est.units,
        "usd": est.usd,
        "pack": est.pack,
        "exact": est.exact,
        "basis": est.basis,
    }


def check_cost(session: Session, est: Any, guard: Guard) -> None:
    """``--max-cost`` and the confirmation prompt; raise CLIError(COST_GUARD) to refuse."""
    if guard.max_cost is not None and est.usd > guard.max_cost:
        raise CLIError(
            f"the estimate ${est.usd:.2f} ({units_text(est.units, est.pack)}) is above --max-cost "
            f"${guard.max_cost:.2f}",
            exit_code=ExitCode.COST_GUARD,
            type="CostLimitExceeded",
            hint="raise --max-cost, or choose a shorter duration, a cheaper mode or model "
            "(`klingkit cost ...` compares them)",
        )
    threshold = _confirm_threshold(guard)
    if guard.dry_run or guard.yes or est.usd <= threshold:
        return
    if not sys.stdin.isatty():
        raise CLIError(
            f"the estimate ${est.usd:.2f} is above ${threshold:.2f} and there is no terminal to confirm",
            exit_code=ExitCode.COST_GUARD,
            type="ConfirmationRequired",
            hint="pass -y to confirm in scripts (with --max-cost as a ceiling)",
        )
    if not click.confirm(
        f"This will cost about ${est.usd:.2f} ({units_text(est.units, est.pack)}). Continue?",
        default=False,
        err=True,
    ):
        raise CLIError(
            "not confirmed; nothing was sent",
            exit_code=ExitCode.COST_GUARD,
            type="NotConfirmed",
            hint="pass -y to skip the question",
        )
