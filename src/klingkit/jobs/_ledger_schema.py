"""The ledger's schema: numbered migrations, column encoding and the record types read back.

Schema (numbered migrations, recorded in ``schema_migrations``):
``tasks``
    ``external_id`` (primary key), ``task_id``, ``feature``, ``family``, ``model``, ``mode``,
    ``duration`` (seconds), ``prompt``, ``params`` (JSON, blobs elided), ``status``, ``message``,
    ``units`` (charged), ``estimate_units``, ``estimate_usd``, ``outputs`` (JSON), ``files`` (JSON list of
    saved paths), ``error`` (JSON), ``batch_id``, ``row_index``, ``base_url``, ``created_at``,
    ``updated_at`` (ISO 8601, UTC), ``sandbox`` (0/1); migration 2 adds ``abandoned`` (0/1, set by
    ``klingkit tasks cancel-wait``); migration 3 adds ``route`` (the path the create was sent to); migration
    4 adds ``fingerprint`` (JSON: route, body hash, time sent; for creates that carry no external id).
``webhook_seen`` (migration 3)
    ``message_id`` (primary key), ``seen_at`` (Unix seconds): callbacks already accepted, so a replay
    is refused even after the receiver restarts.
``batches``
    ``batch_id`` (primary key), ``source``, ``options`` (JSON), ``created_at``, ``status``,
    ``lease_owner``, ``lease_until`` (Unix seconds); migration 2 adds ``updated_at``.

Status vocabulary: ``pending`` (recorded, the create not yet answered: the task may or may not exist),
``rejected`` (the API refused the create: no task exists, nothing was charged), then the library's
``TaskStatus`` values ``submitted``, ``processing``, ``succeeded``, ``failed``, ``unknown``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from datetime import datetime, timezone
from typing import Any

DONE_STATUSES = frozenset({"succeeded", "failed", "rejected"})
"""Statuses after which a task will not change any more."""

JSON_COLUMNS = frozenset({"params", "outputs", "files", "error", "options", "fingerprint"})

# Numbered migrations: (version, description, statements). Never edit a released entry; append one.
MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (
        1,
        "tasks and batches",
        (
            """CREATE TABLE tasks (
                external_id    TEXT PRIMARY KEY,
                task_id        TEXT,
                feature        TEXT NOT NULL,
                family         TEXT,
                model          TEXT,
                mode           TEXT,
                duration       REAL,
                prompt         TEXT,
                params         TEXT,
                status         TEXT NOT NULL DEFAULT 'pending',
                message        TEXT,
                units          REAL,
                estimate_units REAL,
                estimate_usd   REAL,
                outputs        TEXT,
                files          TEXT,
                error          TEXT,
                batch_id       TEXT,
                row_index      INTEGER,
                base_url       TEXT,
                created_at     TEXT NOT NULL,
                updated_at     TEXT NOT NULL,
                sandbox        INTEGER NOT NULL DEFAULT 0
            )""",
            "CREATE INDEX tasks_task_id ON tasks(task_id)",
            "CREATE INDEX tasks_created_at ON tasks(created_at)",
            "CREATE UNIQUE INDEX tasks_batch_row ON tasks(batch_id, row_index) WHERE batch_id IS NOT NULL",
            """CREATE TABLE batches (
                batch_id    TEXT PRIMARY KEY,
                source      TEXT,
                options     TEXT,
                created_at  TEXT NOT NULL,
                status      TEXT NOT NULL DEFAULT 'created',
                lease_owner TEXT,
                lease_until REAL
            )""",
        ),
    ),
    (
        2,
        "abandoned flag on tasks, updated_at on batches",
        (
            "ALTER TABLE tasks ADD COLUMN abandoned INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE batches ADD COLUMN updated_at TEXT",
        ),
    ),
    (
        3,
        "route of each task; batch rows keyed by external id; webhook replay memory",
        (
            # Where the create went (``/text-to-video/kling-2.6``): lookups must use the same route.
            "ALTER TABLE tasks ADD COLUMN route TEXT",
            # A row's identity is its external id now; row numbers move when a file is edited.
            "DROP INDEX IF EXISTS tasks_batch_row",
            "CREATE INDEX tasks_batch_row ON tasks(batch_id, row_index)",
            "CREATE TABLE webhook_seen (message_id TEXT PRIMARY KEY, seen_at REAL NOT NULL)",
        ),
    ),
    (
        4,
        "request fingerprint for creates that carry no external id (Kling 4.0)",
        # JSON {route, body_sha256, sent_ms, product_type, output, seconds}, written before the create
        # leaves; a lost answer is then found through the task list (klingkit._reconcile).
        ("ALTER TABLE tasks ADD COLUMN fingerprint TEXT",),
    ),
)

_TASK_COLUMNS = (
    "external_id",
    "task_id",
    "feature",
    "family",
    "model",
    "mode",
    "duration",
    "prompt",
    "params",
    "status",
    "message",
    "units",
    "estimate_units",
    "estimate_usd",
    "outputs",
    "files",
    "error",
    "batch_id",
    "row_index",
    "base_url",
    "created_at",
    "updated_at",
    "sandbox",
    "abandoned",
    "route",
    "fingerprint",
)
_UPDATABLE = frozenset(_TASK_COLUMNS) - {"external_id", "created_at", "updated_at"}
_BATCH_UPDATABLE = frozenset({"source", "options", "status"})


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _encode(column: str, value: Any) -> Any:
    if column in JSON_COLUMNS:
        return None if value is None else json.dumps(value, default=str, ensure_ascii=False)
    if column in ("sandbox", "abandoned"):
        return 1 if value else 0
    if hasattr(value, "value") and isinstance(value.value, str):  # a str enum such as TaskStatus
        return value.value
    return value


def _decode(column: str, value: Any) -> Any:
    if column in JSON_COLUMNS and value is not None:
        return json.loads(value)
    if column in ("sandbox", "abandoned"):
        return bool(value)
    return value


@dataclass
class TaskRecord:
    """One row of the ``tasks`` table, JSON columns decoded."""

    external_id: str
    feature: str
    status: str
    created_at: str
    updated_at: str
    task_id: str | None = None
    family: str | None = None
    model: str | None = None
    mode: str | None = None
    duration: float | None = None
    prompt: str | None = None
    params: dict[str, Any] | None = None
    message: str | None = None
    units: float | None = None
    estimate_units: float | None = None
    estimate_usd: float | None = None
    outputs: list[dict[str, Any]] | None = None
    files: list[str] = field(default_factory=list)
    error: dict[str, Any] | None = None
    batch_id: str | None = None
    row_index: int | None = None
    base_url: str | None = None
    sandbox: bool = False
    abandoned: bool = False
    route: str | None = None
    fingerprint: dict[str, Any] | None = None

    @property
    def done(self) -> bool:
        """True once the task can no longer change (succeeded, failed or rejected)."""
        return self.status in DONE_STATUSES

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every column."""
        return asdict(self)


@dataclass
class BatchRecord:
    """One row of the ``batches`` table."""

    batch_id: str
    created_at: str
    status: str
    source: str | None = None
    options: dict[str, Any] | None = None
    lease_owner: str | None = None
    lease_until: float | None = None
    updated_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of every column."""
        return asdict(self)


def _task_from_row(row: sqlite3.Row) -> TaskRecord:
    values = {k: _decode(k, row[k]) for k in row.keys()}  # noqa: SIM118 (sqlite3.Row)
    values["files"] = values.get("files") or []
    return TaskRecord(**values)


def _batch_from_row(row: sqlite3.Row) -> BatchRecord:
    return BatchRecord(**{k: _decode(k, row[k]) for k in row.keys()})  # noqa: SIM118


def _plain(value: Any) -> Any:
    """Dataclasses and enums to JSON-ready values (drops bulky ``raw`` payloads)."""
    if is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _plain(getattr(value, f.name)) for f in fields(value) if f.name != "raw"}
        return out
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    return value
