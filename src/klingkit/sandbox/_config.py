"""The sandbox's settings: credentials, clocks, packs, and the knobs ``/_sandbox/config`` can turn.

Units: times in seconds unless a name ends in ``_ms``; balances in resource-pack units.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_ACCESS_KEY = "sandbox-access-key"
DEFAULT_SECRET_KEY = "sandbox-secret-key-0123456789abcdef"
DEFAULT_API_KEY = "sandbox-api-key"

# A fresh sandbox account: pack concurrency as Kling's historic pack tiers (video 5, image 9), and enough
# units for a good afternoon of experiments.
DEFAULT_CONCURRENCY: dict[str, int] = {"video": 5, "image": 9, "tryon": 5, "audio": 5}
DEFAULT_BALANCES: dict[str, float] = {"video": 1000.0, "image": 10000.0, "tryon": 1000.0, "audio": 1000.0}

RETENTION_SECONDS = 30 * 24 * 3600  # outputs are cleared after 30 days (kling-api.md §7.3)
SESSION_SECONDS = 24 * 3600  # identify-face sessions stay valid for 24 h (§2.5)

# Settings that POST /_sandbox/config may change, with the type each must have.
_TUNABLE: dict[str, type | tuple[type, ...]] = {
    "time_scale": (int, float),
    "task_seconds": (int, float, type(None)),
    "concurrency": dict,
    "balances": dict,
    "url_ttl": (int, float, type(None)),
    "retention_seconds": (int, float),
    "webhook_secret": (str, type(None)),
}


@dataclass
class SandboxConfig:
    """How a sandbox behaves.

    ``time_scale`` multiplies the model-based task time (1.0 = about as long as the real service takes,
    0.0 = tasks are done as soon as they are created). ``task_seconds``, when set, replaces the model-based
    time with a fixed one (still scaled by nothing). ``url_ttl`` makes output URLs expire that many seconds
    after a query hands them out (None: they live as long as the output). ``state`` is a SQLite file that
    keeps tasks across restarts (None: memory only). ``webhook_secret`` (``whsec_...``) signs callbacks.
    ``seed`` drives rendered media and fault coin tosses; ``id_seed`` makes the task-id sequence
    reproducible (None, the default: ids never repeat across sandboxes, so a user's ledger and history
    never see one id twice). ``private_urls`` lets input URLs on loopback or private addresses be fetched
    (``Sandbox`` and ``serve`` turn it on when they listen on loopback; see ``_fetch_net``); it cannot be
    changed over HTTP. ``render_processes`` > 0 renders outputs in that many worker processes instead of the
    serving process's threads (for load tests: a render then never slows the answers).
    """

    time_scale: float = 1.0
    seed: int = 0
    id_seed: int | None = None  # None: task ids unique across sandboxes (fresh randomness per state)
    task_seconds: float | None = None
    concurrency: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_CONCURRENCY))
    balances: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_BALANCES))
    url_ttl: float | None = None
    retention_seconds: float = RETENTION_SECONDS
    webhook_secret: str | None = None
    private_urls: bool = False
    state: Path | None = None
    media_dir: Path | None = None
    render_processes: int = 0  # > 0: outputs render in that many worker processes (``_render_worker``)
    access_key: str = DEFAULT_ACCESS_KEY
    secret_key: str = DEFAULT_SECRET_KEY
    api_key: str = DEFAULT_API_KEY

    def update(self, changes: dict[str, Any]) -> None:
        """Apply the settings in ``changes``; ValueError names the first one that is unknown or ill-typed."""
        for key, value in changes.items():
            expected = _TUNABLE.get(key)
            if expected is None:
                raise ValueError(f"unknown setting {key!r}; settable: {', '.join(sorted(_TUNABLE))}")
            if isinstance(value, bool) or not isinstance(value, expected):
                raise ValueError(f"setting {key!r} has the wrong type: {type(value).__name__}")
            if key in ("time_scale", "retention_seconds") and isinstance(value, (int, float)) and value < 0:
                raise ValueError(f"setting {key!r} must be >= 0")
        for key, value in changes.items():
            if key == "concurrency":
                self.concurrency = {**self.concurrency, **{k: int(v) for k, v in value.items()}}
            elif key == "balances":
                self.balances = {**self.balances, **{k: float(v) for k, v in value.items()}}
            else:
                setattr(self, key, float(value) if isinstance(value, int) else value)

    def public(self) -> dict[str, Any]:
        """The settings as JSON, without credentials or the webhook secret."""
        out = {k: getattr(self, k) for k in _TUNABLE if k != "webhook_secret"}
        out["seed"] = self.seed
        out["webhook_secret_set"] = self.webhook_secret is not None
        out["state"] = str(self.state) if self.state else None
        return out

    def tunables(self) -> dict[str, Any]:
        """The settable part, for persisting next to the tasks (includes the webhook secret)."""
        return {k: getattr(self, k) for k in _TUNABLE}

    def copy(self) -> SandboxConfig:
        """A deep-enough copy (the dicts are copied)."""
        return dataclasses.replace(self, concurrency=dict(self.concurrency), balances=dict(self.balances))
