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
    """Raise ValidationError (policy ``undocumented-field``) for the first of ``params`` not in ``allowed``."""
    unknown = sorted(set(params) - set(allowed))
    if not unknown:
        return
    name = unknown[0]
    close = difflib.get_close_matches(name, sorted(allowed), n=1)
    raise ValidationError(
        name,
        "...",  # a value we know nothing of is not echoed (it may be a file's bytes or a key)
        f"the parameters of {route}: {', '.join(sorted(allowed))}",
        f"did you mean {close[0]!r}?" if close else "unknown parameter",
        policy=catalog.UNDOCUMENTED_FIELD,
    )
