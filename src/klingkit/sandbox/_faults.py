"""Faults a test can ask for: error answers, slow answers, dropped requests and lost responses.

A rule is ``{"fault", "route", "probability", "count", "delay"}``. ``route`` is ``create`` (any POST
that makes a task), ``query`` (task reads and lists), ``any``, or a path prefix such as
``/v1/videos/text2video``. The first rule that matches and wins its coin toss fires; ``count`` caps how
often a rule fires (None: forever). The coin is a seeded RNG, so a run is repeatable.

``drop``: the request is not processed and the connection closes without an answer.
``lost_response``: the request *is* processed (a task may be created) and then the connection closes
without an answer, the ambiguous failure a client must recover from by external id.
``slow``: the answer comes ``delay`` seconds late. Error faults answer with that Kling code.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Any

from klingkit.catalog import ERROR_CODES

ERROR_FAULTS = ("5000", "5001", "5002", "1302", "1303")
FAULTS = (*ERROR_FAULTS, "slow", "drop", "lost_response")


@dataclass
class FaultRule:
    """One parsed rule; ``fired`` counts how often it has fired."""

    fault: str
    route: str = "any"
    probability: float = 1.0
    count: int | None = None
    delay: float = 0.0
    fired: int = 0

    @property
    def code(self) -> int | None:
        """The Kling error code this rule answers with, if it is an error fault."""
        return int(self.fault) if self.fault in ERROR_FAULTS else None

    def matches(self, kind: str, path: str) -> bool:
        if self.count is not None and self.fired >= self.count:
            return False
        if self.route == "any":
            return True
        if self.route in ("create", "query"):
            return self.route == kind
        return path.startswith(self.route)


def parse_rules(body: Any) -> tuple[int | None, list[FaultRule]]:
    """Read ``{"seed": n, "rules": [...]}``; ValueError says what is wrong with which rule."""
    if not isinstance(body, dict) or not isinstance(body.get("rules"), list):
        raise ValueError('expected {"seed": n, "rules": [...]}')
    seed = body.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise ValueError("seed must be an integer")
    rules = []
    for i, raw in enumerate(body["rules"]):
        if not isinstance(raw, dict):
            raise ValueError(f"rules[{i}] must be an object")
        fault = str(raw.get("fault"))
        if fault not in FAULTS:
            raise ValueError(f"rules[{i}].fault must be one of {', '.join(FAULTS)}")
        route = raw.get("route", "any")
        if not isinstance(route, str) or not (route in ("create", "query", "any") or route.startswith("/")):
            raise ValueError(f"rules[{i}].route must be create, query, any or a path starting with /")
        probability = raw.get("probability", 1.0)
        count = raw.get("count")
        delay = raw.get("delay", 0.0)
        if not isinstance(probability, (int, float)) or not 0 <= probability <= 1:
            raise ValueError(f"rules[{i}].probability must be within [0, 1]")
        if count is not None and (not isinstance(count, int) or count < 0):
            raise ValueError(f"rules[{i}].count must be a non-negative integer or null")
        if not isinstance(delay, (int, float)) or delay < 0:
            raise ValueError(f"rules[{i}].delay must be a non-negative number of seconds")
        rules.append(FaultRule(fault, route, float(probability), count, float(delay)))
    return seed, rules


class FaultPlan:
    """The active rules and the tally of faults injected."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._rng = random.Random(seed)
        self.injected: dict[str, int] = {}

    def set(self, seed: int | None, rules: list[FaultRule]) -> None:
        with self._lock:
            self._rules = rules
            if seed is not None:
                self._rng = random.Random(seed)

    def clear(self) -> None:
        with self._lock:
            self._rules = []

    def rules(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(vars(r)) for r in self._rules]

    def pick(self, kind: str, path: str) -> FaultRule | None:
        """The rule that fires for this request, if any (its ``fired`` and the tally are counted)."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(kind, path) and self._rng.random() < rule.probability:
                    rule.fired += 1
                    self.injected[rule.fault] = self.injected.get(rule.fault, 0) + 1
                    return rule
            return None


assert all(int(code) in ERROR_CODES for code in ERROR_FAULTS)
