"""The one refusal type of the catalog: every rule, old route or 2026-H2 wire body, refuses with it.

It lives in a leaf module (no klingkit imports) so that the fact modules (``_kling4``, ``_image4``,
``_drive``, ...) and the rules package can all use it without importing each other. The client raises it as
``klingkit.ValidationError``; the sandbox answers it as 400/1201.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["Refusal"]


class Refusal(ValueError):
    """A request the rules refuse: ``field``, the ``value`` given, what is ``allowed`` and a ``suggestion``
    (the nearest model that allows it, or a plain-words fix). ``policy`` names the catalog policy behind a
    refusal a server would not make. The client raises it as ``klingkit.ValidationError``; the sandbox
    answers it as 400/1201.

    Rules that read a whole body (the 2026-H2 routes) return a list of them, so a server can name several
    problems at once; the contract raises the first, carrying them all in ``all`` (as the interpreter of
    the rule tables does for every other route).
    """

    def __init__(
        self, field: str, value: Any, allowed: Any, suggestion: str | None = None, *, policy: str = ""
    ) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        self.suggestion = suggestion or ""
        self.policy = policy
        self.all: list[Refusal] = [self]  # every refusal of the request, this one first (see raise_all)
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        if isinstance(allowed, str) or not isinstance(allowed, Sequence):
            text = str(allowed)
        else:
            text = ", ".join(str(i) for i in allowed)
        line = f"invalid {field}={shown}: allowed {text}"
        super().__init__(line + (f"; {self.suggestion}" if self.suggestion else ""))
