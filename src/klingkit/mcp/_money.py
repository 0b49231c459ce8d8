"""The server's money rules for agents: a budget per MCP session, a per-call cap, and a confirmation
threshold, all checked against the estimate before anything is sent (US dollars at list price)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from klingkit import defaults

from ._errors import ToolError

STDIO_SESSION = "stdio"
"""The one session of a stdio server (the process serves a single client)."""
STATELESS_SESSION = "stateless"
"""2026-07-28 HTTP requests carry no session: they share this one budget."""


def estimate_json(est: Any) -> dict[str, Any]:
    return {"units": est.units, "pack": est.pack, "usd": est.usd, "exact": est.exact, "basis": est.basis}


@dataclass
class Guards:
    """The server's money rules (US dollars at list price); the budget is per MCP session.

    A session is a stdio server's one client, or one HTTP session (``Mcp-Session-Id``, handshake-era
    clients). 2026-07-28 HTTP requests are stateless (the protocol has no sessions) and share one budget.
    """

    budget_usd: float | None = None  # each session
    max_call_usd: float | None = None  # one call
    confirm_above_usd: float = defaults.CONFIRM_ABOVE_USD  # above this a call needs confirm=true
    spent: dict[str, float] = field(default_factory=dict)  # session -> estimates of the tasks it created

    def spent_usd(self, session: str = STDIO_SESSION) -> float:
        return self.spent.get(session, 0.0)

    def charge(self, session: str, usd: float) -> None:
        """Reserve (or, negative, release) ``usd`` of ``session``'s budget."""
        self.spent[session] = self.spent.get(session, 0.0) + usd

    def to_json(self, session: str = STDIO_SESSION) -> dict[str, Any]:
        spent = self.spent_usd(session)
        left = None if self.budget_usd is None else round(self.budget_usd - spent, 4)
        return {
            "session_budget_usd": self.budget_usd,
            "spent_usd": round(spent, 4),
            "remaining_usd": left,
            "max_call_usd": self.max_call_usd,
            "confirm_above_usd": self.confirm_above_usd,
        }

    def check(self, est: Any, confirm: bool, session: str) -> None:
        """Refuse a call whose estimate breaks a rule (the refusal names the estimate and the way out)."""
        spent = self.spent_usd(session)
        price = f"${est.usd:.2f} ({est.units:g} {est.pack} units)"
        if self.max_call_usd is not None and est.usd > self.max_call_usd:
            raise ToolError(
                "cost_limit",
                f"the estimate {price} is above this server's per-call limit ${self.max_call_usd:.2f}; "
                "nothing was sent",
                "choose a shorter duration, a cheaper mode or model (use the estimate tool to compare)",
                estimate=estimate_json(est),
            )
        if self.budget_usd is not None and spent + est.usd > self.budget_usd + 1e-9:
            raise ToolError(
                "budget",
                f"this session's budget is exhausted: {price} asked, ${self.budget_usd - spent:.2f} of "
                f"${self.budget_usd:.2f} left; nothing was sent",
                "ask the user to restart the server with a larger --budget, or choose a cheaper request",
                estimate=estimate_json(est),
                budget=self.to_json(session),
            )
        if est.usd > self.confirm_above_usd and not confirm:
            raise ToolError(
                "confirmation_required",
                f"this call would cost about {price}, above ${self.confirm_above_usd:.2f}; nothing was sent",
                "show the user the estimate and, if they agree, call again with the same arguments and "
                "confirm=true",
                estimate=estimate_json(est),
            )
