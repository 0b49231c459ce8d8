"""The client's reading of the catalog's rules (:mod:`klingkit.catalog.rules`): the same rules the sandbox
runs, with each :class:`~klingkit.catalog.rules.Refusal` raised as a :class:`ValidationError`.

Unknown model names pass with a warning (``Checks.warnings``) unless ``strict`` (policy ``unknown-name``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ._exceptions import ValidationError
from .catalog import rules
from .catalog.rules import *  # noqa: F403  (the rules are this module's vocabulary)
from .catalog.rules import Refusal

__all__ = [*rules.__all__, "refused_as_validation_error"]

T = TypeVar("T")


def refused_as_validation_error(refusal: Refusal) -> ValidationError:
    """The client's error for a catalog refusal: same field, value, allowed, suggestion and policy.

    When the rules refused several fields (``refusal.all``), the error is the first one's, its ``all``
    holds one ValidationError per refusal and its message says every problem, a line each.
    """
    errors = [
        ValidationError(r.field, r.value, r.allowed, r.suggestion or None, policy=r.policy)
        for r in refusal.all
    ]
    first = errors[0]
    if len(errors) > 1:
        first.all = tuple(errors)
        first.args = ("\n".join(str(e) for e in errors),)
    return first


def run(rule: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call a rule, raising ValidationError instead of Refusal."""
    try:
        return rule(*args, **kwargs)
    except Refusal as r:
        raise refused_as_validation_error(r) from None


def page(page_num: int, page_size: int) -> None:  # type: ignore[no-redef]
    """Legacy list queries: ``pageNum`` 1..1000, ``pageSize`` 1..500 (ValidationError otherwise)."""
    run(rules.page, page_num, page_size)
