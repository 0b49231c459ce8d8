"""The ledger: a local SQLite record of every paid task, written before its create request is sent.

Why it exists: a Kling task costs money the moment the create request is accepted, and a terminal that
closes (or a process that is killed) must not lose it. The CLI writes a ``pending`` row keyed by the
task's ``external_task_id`` *before* the create leaves, then updates the row through the task's life.
``klingkit tasks wait <external id>`` can always find the task again from that row.

Where: ``$KLINGKIT_HOME/ledger.sqlite3`` when ``KLINGKIT_HOME`` is set, else the user data directory
(``platformdirs.user_data_dir("klingkit")``).

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

Two processes may use one ledger at once: the database runs in WAL mode with a busy timeout, and every
write is one short ``BEGIN IMMEDIATE`` transaction. A batch row's task is keyed by its external id
(derived from what the row asks for), so a row can be recorded at most once per attempt.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import LedgerError

__all__ = [
    "DONE_STATUSES",
    "JSON_COLUMNS",
    "MIGRATIONS",
    "BatchRecord",
    "Ledger",
    "LedgerError",
    "TaskRecord",
    "default_home",
    "default_path",
    "record_before_send",
]

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


def default_home() -> Path:
    """The klingkit data directory: ``$KLINGKIT_HOME`` if set, else the user data directory."""
    env = os.environ.get("KLINGKIT_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs  # lazy: only needed when KLINGKIT_HOME is unset

    return Path(platformdirs.user_data_dir("klingkit", appauthor=False))


def default_path() -> Path:
    """Where the ledger lives: ``<home>/ledger.sqlite3`` (see :func:`default_home`)."""
    return default_home() / "ledger.sqlite3"


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


class Ledger:
    """The task ledger. Open one per process; it is safe to share a file between processes.

    ``path`` defaults to :func:`default_path`. Use as a context manager or call :meth:`close`.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, busy_timeout: float = 30.0) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
            self._db.row_factory = sqlite3.Row
            self._db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")  # durable across a killed process in WAL
            self._migrate()
        except sqlite3.Error as exc:
            raise LedgerError(f"cannot open the ledger at {self.path}: {exc}") from exc

    # --- plumbing ------------------------------------------------------------------------------------

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise LedgerError(f"cannot write the ledger at {self.path}: {exc}") from exc

    def _read(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return list(self._db.execute(sql, args))
            except sqlite3.Error as exc:
                raise LedgerError(f"cannot read the ledger at {self.path}: {exc}") from exc

    def _migrate(self) -> None:
        with self._write() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = {r[0] for r in db.execute("SELECT version FROM schema_migrations")}
            for version, name, statements in MIGRATIONS:
                if version in done:
                    continue
                for sql in statements:
                    db.execute(sql)
                db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, _now()),
                )

    def schema_version(self) -> int:
        """The highest applied migration number."""
        rows = self._read("SELECT MAX(version) FROM schema_migrations")
        return int(rows[0][0] or 0)

    # --- tasks ---------------------------------------------------------------------------------------

    def record_pending(
        self,
        external_id: str,
        *,
        feature: str,
        family: str | None = None,
        model: str | None = None,
        mode: str | None = None,
        duration: float | None = None,
        prompt: str | None = None,
        params: Mapping[str, Any] | None = None,
        estimate_units: float | None = None,
        estimate_usd: float | None = None,
        base_url: str | None = None,
        sandbox: bool = False,
        batch_id: str | None = None,
        row_index: int | None = None,
        route: str | None = None,
        status: str = "pending",
        fingerprint: Mapping[str, Any] | None = None,
    ) -> bool:
        """Record a task about to be created (status ``pending``). Call it *before* sending the create.

        ``feature``, ``family`` and ``route`` say where the create goes (the route's catalog feature, its
        wire family and its path, e.g. ``text-to-video``, ``new``, ``/text-to-video/kling-2.6``): every
        later lookup, download and webhook re-fetch asks that route. Returns False (and changes nothing)
        when ``external_id`` is already recorded.
        """
        now = _now()
        row = {
            "external_id": external_id,
            "feature": feature,
            "family": family,
            "model": model,
            "mode": mode,
            "duration": duration,
            "prompt": prompt,
            "params": _plain(params) if params is not None else None,
            "status": status,
            "route": route,
            "fingerprint": _plain(fingerprint) if fingerprint is not None else None,
            "estimate_units": estimate_units,
            "estimate_usd": estimate_usd,
            "base_url": base_url,
            "sandbox": sandbox,
            "batch_id": batch_id,
            "row_index": row_index,
            "created_at": now,
            "updated_at": now,
        }
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self._write() as db:
            cur = db.execute(
                f"INSERT OR IGNORE INTO tasks ({cols}) VALUES ({marks})",
                [_encode(k, v) for k, v in row.items()],
            )
            return cur.rowcount == 1

    def update(self, external_id: str, **values: Any) -> None:
        """Set columns of one task (``status=``, ``task_id=``, ``files=[...]``, ``error={...}``, ...)."""
        unknown = set(values) - _UPDATABLE
        if unknown:
            raise ValueError(f"not ledger task columns: {', '.join(sorted(unknown))}")
        if not values:
            return
        values["updated_at"] = _now()
        sets = ", ".join(f"{k} = ?" for k in values)
        args = [_encode(k, v) for k, v in values.items()]
        with self._write() as db:
            cur = db.execute(f"UPDATE tasks SET {sets} WHERE external_id = ?", [*args, external_id])
            if cur.rowcount != 1:
                raise KeyError(external_id)

    def record_task(self, external_id: str, task: Any) -> None:
        """Copy what a library ``Task`` says (id, status, message, units, outputs, model) into the row.

        ``task`` is duck-typed so this module does not import the client.
        """
        values: dict[str, Any] = {
            "task_id": getattr(task, "id", None),
            "status": _plain(getattr(task, "status", None)) or "unknown",
            "message": getattr(task, "message", None) or None,
        }
        units = getattr(task, "units", None)
        if units is not None:
            values["units"] = float(units)
        outputs = getattr(task, "outputs", None)
        if outputs:
            values["outputs"] = _plain(list(outputs))
        model = getattr(task, "model", None)
        if model:
            values["model"] = model
        self.update(external_id, **{k: v for k, v in values.items() if v is not None or k == "message"})

    def add_files(self, external_id: str, paths: Sequence[str | os.PathLike[str]]) -> list[str]:
        """Append saved file paths to a task's ``files`` (deduplicated); returns the new list."""
        with self._write() as db:
            row = db.execute("SELECT files FROM tasks WHERE external_id = ?", (external_id,)).fetchone()
            if row is None:
                raise KeyError(external_id)
            files: list[str] = json.loads(row[0]) if row[0] else []
            for p in paths:
                s = str(Path(p).resolve())
                if s not in files:
                    files.append(s)
            db.execute(
                "UPDATE tasks SET files = ?, updated_at = ? WHERE external_id = ?",
                (json.dumps(files), _now(), external_id),
            )
            return files

    def get(self, key: str) -> TaskRecord | None:
        """The task whose external id, or else task id, is ``key``; None when unknown."""
        rows = self._read("SELECT * FROM tasks WHERE external_id = ?", (key,))
        if not rows:
            rows = self._read(
                "SELECT * FROM tasks WHERE task_id = ? ORDER BY created_at DESC LIMIT 1", (key,)
            )
        return _task_from_row(rows[0]) if rows else None

    def find(
        self,
        search: str | None = None,
        *,
        status: str | Sequence[str] | None = None,
        feature: str | None = None,
        batch_id: str | None = None,
        unfinished: bool = False,
        include_abandoned: bool = True,
        limit: int | None = 50,
        newest_first: bool = True,
    ) -> list[TaskRecord]:
        """Tasks matching every given filter.

        ``search`` matches (case-insensitively, as a substring) the prompt, external id, task id, model,
        feature or batch id. ``unfinished`` keeps tasks not yet succeeded/failed/rejected.
        """
        where: list[str] = []
        args: list[Any] = []
        if search:
            like = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            cols = ("prompt", "external_id", "task_id", "model", "feature", "batch_id")
            where.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in cols) + ")")
            args.extend([like] * len(cols))
        if status:
            statuses = [status] if isinstance(status, str) else list(status)
            where.append(f"status IN ({', '.join('?' for _ in statuses)})")
            args.extend(statuses)
        if feature:
            where.append("feature = ?")
            args.append(feature)
        if batch_id:
            where.append("batch_id = ?")
            args.append(batch_id)
        if unfinished:
            where.append(f"status NOT IN ({', '.join('?' for _ in DONE_STATUSES)})")
            args.extend(sorted(DONE_STATUSES))
        if not include_abandoned:
            where.append("abandoned = 0")
        sql = "SELECT * FROM tasks"
        if where:
            sql += " WHERE " + " AND ".join(where)
        order = "DESC" if newest_first else "ASC"
        by_row = f"row_index {order}, " if batch_id else ""  # a batch reads in its input order
        sql += f" ORDER BY {by_row}created_at {order}, rowid {order}"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(int(limit))
        return [_task_from_row(r) for r in self._read(sql, args)]

    def abandon(self, key: str) -> TaskRecord | None:
        """Stop tracking a task locally (``cancel-wait``); the task itself keeps running on the server."""
        rec = self.get(key)
        if rec is not None:
            self.update(rec.external_id, abandoned=True)
            rec = self.get(rec.external_id)
        return rec

    # --- batches -------------------------------------------------------------------------------------

    def create_batch(
        self, batch_id: str, *, source: str | None = None, options: Mapping[str, Any] | None = None
    ) -> bool:
        """Record a batch (status ``created``). Returns False if ``batch_id`` already exists."""
        now = _now()
        with self._write() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO batches (batch_id, source, options, created_at, status, updated_at) "
                "VALUES (?, ?, ?, ?, 'created', ?)",
                (batch_id, source, _encode("options", _plain(options)), now, now),
            )
            return cur.rowcount == 1

    def get_batch(self, batch_id: str) -> BatchRecord | None:
        """The batch called ``batch_id``, or None."""
        rows = self._read("SELECT * FROM batches WHERE batch_id = ?", (batch_id,))
        return _batch_from_row(rows[0]) if rows else None

    def list_batches(self, limit: int | None = 50) -> list[BatchRecord]:
        """Batches, newest first."""
        sql = "SELECT * FROM batches ORDER BY created_at DESC"
        args: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            args.append(int(limit))
        return [_batch_from_row(r) for r in self._read(sql, args)]

    def update_batch(self, batch_id: str, **values: Any) -> None:
        """Set ``status``, ``source`` or ``options`` of a batch."""
        unknown = set(values) - _BATCH_UPDATABLE
        if unknown:
            raise ValueError(f"not ledger batch columns: {', '.join(sorted(unknown))}")
        values["updated_at"] = _now()
        sets = ", ".join(f"{k} = ?" for k in values)
        args = [_encode(k, _plain(v)) for k, v in values.items()]
        with self._write() as db:
            cur = db.execute(f"UPDATE batches SET {sets} WHERE batch_id = ?", [*args, batch_id])
            if cur.rowcount != 1:
                raise KeyError(batch_id)

    def acquire_lease(self, batch_id: str, owner: str, seconds: float, *, now: float | None = None) -> bool:
        """Take (or renew) the lease on a batch for ``seconds``; False while another live owner holds it."""
        t = time.time() if now is None else now
        with self._write() as db:
            cur = db.execute(
                "UPDATE batches SET lease_owner = ?, lease_until = ?, updated_at = ? WHERE batch_id = ? "
                "AND (lease_owner IS NULL OR lease_owner = ? OR lease_until IS NULL OR lease_until < ?)",
                (owner, t + seconds, _now(), batch_id, owner, t),
            )
            return cur.rowcount == 1

    def release_lease(self, batch_id: str, owner: str) -> None:
        """Give the lease up if ``owner`` holds it."""
        with self._write() as db:
            db.execute(
                "UPDATE batches SET lease_owner = NULL, lease_until = NULL, updated_at = ? "
                "WHERE batch_id = ? AND lease_owner = ?",
                (_now(), batch_id, owner),
            )

    def remember_message(self, message_id: str, *, now: float, keep: float) -> bool:
        """Record a webhook message id; False when it was already seen (a replay). Ids older than
        ``keep`` seconds are forgotten (a replayed timestamp that old is refused by its age anyway)."""
        with self._write() as db:
            db.execute("DELETE FROM webhook_seen WHERE seen_at < ?", (now - keep,))
            cur = db.execute(
                "INSERT OR IGNORE INTO webhook_seen (message_id, seen_at) VALUES (?, ?)", (message_id, now)
            )
            return cur.rowcount == 1

    def forget_message(self, message_id: str) -> None:
        """Drop a webhook message id (its handling failed: the sender's retry must be accepted)."""
        with self._write() as db:
            db.execute("DELETE FROM webhook_seen WHERE message_id = ?", (message_id,))

    def batch_tasks(self, batch_id: str) -> list[TaskRecord]:
        """The tasks of a batch in row order."""
        return self.find(batch_id=batch_id, limit=None, newest_first=False)


def record_before_send(
    ledger: Ledger,
    external_id: str,
    spec: Any,
    *,
    base_url: str | None,
    sandbox: bool,
    prompt: str | None = None,
    batch_id: str | None = None,
    row_index: int | None = None,
    fingerprint: Mapping[str, Any] | None = None,
    duration: float | None = None,
) -> bool:
    """The one way a task is recorded before its create request leaves (the CLI and the batch both call
    it): where it goes (the route's feature, family and path, the model), what it asks for and what it
    should cost, read from ``spec`` (a ``klingkit.prepare`` result, duck-typed). Returns False when the
    external id was already recorded (a create may have been sent before: look it up first)."""
    params = getattr(spec, "params", None) or {}
    est = getattr(spec, "estimate", None)
    model = getattr(spec, "model", None) or params.get("model_name") or params.get("model")
    if duration is None:
        duration = getattr(spec, "duration", None)
    if duration is None:
        duration = params.get("duration")
    try:
        seconds = float(duration) if duration is not None else None
    except (TypeError, ValueError):
        seconds = None
    return ledger.record_pending(
        external_id,
        feature=str(spec.feature),
        family=getattr(spec, "family", None),
        route=getattr(spec, "path", None),
        model=model,
        mode=getattr(spec, "mode", None) or params.get("mode"),
        duration=seconds,
        prompt=prompt if prompt is not None else (params.get("prompt") or params.get("text")),
        params=params,
        estimate_units=float(est.units) if est is not None else None,
        estimate_usd=float(est.usd) if est is not None else None,
        base_url=base_url,
        sandbox=sandbox,
        batch_id=batch_id,
        row_index=row_index,
        fingerprint=fingerprint,
    )
