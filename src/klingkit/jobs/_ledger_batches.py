"""The ledger's batch side: the ``batches`` table, the runner's lease and the webhook replay memory."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from ._ledger_db import LedgerDB
from ._ledger_schema import _BATCH_UPDATABLE, BatchRecord, _batch_from_row, _encode, _now, _plain


class BatchTables(LedgerDB):
    """Batches, leases and seen webhook messages (mixed into :class:`~klingkit.jobs.ledger.Ledger`)."""

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
