"""What each tool does, without the protocol, for one server process: :class:`Service` joins the
generate tools (:mod:`._generate`), status and results (:mod:`._results`) and the free local tools, over
one client, one ledger, one output folder, the money rules (:mod:`._money`) and the background follower
(:mod:`._follow`). The server module only turns these into MCP tools."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio

from ._errors import from_exception
from ._follow import KLING_CANNOT_CANCEL as KLING_CANNOT_CANCEL
from ._follow import Follower
from ._generate import Generating
from ._money import STATELESS_SESSION as STATELESS_SESSION
from ._money import STDIO_SESSION as STDIO_SESSION
from ._money import Guards as Guards
from ._results import Progress as Progress
from ._results import Results

if TYPE_CHECKING:
    from klingkit import AsyncKling
    from klingkit.jobs.ledger import Ledger


@dataclass
class Service(Generating, Results):
    """The tools' behaviour for one server process; money is counted per session (see :class:`Guards`)."""

    client: Callable[[], AsyncKling]
    ledger: Ledger
    output_dir: Path
    guards: Guards = field(default_factory=Guards)
    base_url: str | None = None
    sandbox: bool = False

    def __post_init__(self) -> None:
        self.follower = Follower(self.client, self.ledger, self.output_dir)
        self._key_locks: dict[str, anyio.Lock] = {}

    # --- free, local -------------------------------------------------------------------------------

    async def balance(self) -> dict[str, Any]:
        try:
            result = await self.client().account.costs()
        except Exception as exc:
            raise from_exception(exc) from exc
        return {"account": json.loads(json.dumps(result, default=str))}
