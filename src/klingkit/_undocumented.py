"""A parameter the route does not document: refused before sending, under the catalog's
``undocumented-field`` policy (a server would ignore it, and a misspelt parameter silently ignored costs
money), naming the route's parameters and the closest one."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from typing import Any

from . import catalog
from ._exceptions import ValidationError

__all__ = ["refuse_undocumented"]


def refuse_undocumented(params: Mapping[str, Any], allowed: Collection[str], route: str) -> None:
    """Raise ValidationError (policy ``undocumented-field``) naming every one of ``params`` not in
    ``allowed`` (in name order; the first is the error, all are in its ``all`` and its message)."""
    unknown = sorted(set(params) - set(allowed))
    if not unknown:
        return
    listed = ", ".join(sorted(allowed))
    errors = []
    for name in unknown:
        close = difflib.get_close_matches(name, sorted(allowed), n=1)
        errors.append(
            ValidationError(
                name,
                "...",  # a value we know nothing of is not echoed (it may be a file's bytes or a key)
                f"the parameters of {route}: {listed}",
                f"did you mean {close[0]!r}?" if close else "unknown parameter",
                policy=catalog.UNDOCUMENTED_FIELD,
            )
        )
    first = errors[0]
    if len(errors) > 1:
        first.all = tuple(errors)
        first.args = ("\n".join(str(e) for e in errors),)
    raise first
