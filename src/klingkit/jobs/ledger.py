"""The ledger: a local SQLite record of every paid task, written before its create request is sent.

Why it exists: a Kling task costs money the moment the create request is accepted, and a terminal that
closes (or a process that is killed) must not lose it. The CLI writes a ``pending`` row keyed by the
task's ``external_task_id`` *before* the create leaves, then updates the row through the task's life.
``klingkit tasks wait <external id>`` can always find the task again from that row.

Where: ``$KLINGKIT_HOME/ledger.sqlite3`` when ``KLINGKIT_HOME`` is set, else the user data directory
(``platformdirs.user_data_dir("klingkit")``).

The schema and its migrations: :mod:`klingkit.jobs._ledger_schema`.

Two processes may use one ledger at once: the database runs in WAL mode with a busy timeout, and every
write is one short ``BEGIN IMMEDIATE`` transaction. A batch row's task is keyed by its external id
(derived from what the row asks for), so a row can be recorded at most once per attempt.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import LedgerError
from ._ledger_batches import BatchTables
from ._ledger_db import default_home, default_path
from ._ledger_schema import (
    _UPDATABLE,
    DONE_STATUSES,
    JSON_COLUMNS,
    MIGRATIONS,
    BatchRecord,
    TaskRecord,
    _encode,
    _now,
    _plain,
    _task_from_row,
)

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


class Ledger(BatchTables):
    """The task ledger. Open one per process; it is safe to share a file between processes.

    ``path`` defaults to :func:`default_path`. Use as a context manager or call :meth:`close`.
    """

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
