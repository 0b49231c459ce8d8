"""The ledger's database plumbing: where the file lives, the connection, short write transactions and
the migrations. :class:`~klingkit.jobs.ledger.Ledger` builds its tables' operations on this.

Two processes may use one ledger at once: the database runs in WAL mode with a busy timeout, and every
write is one short ``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from ..errors import LedgerError
from ._ledger_schema import MIGRATIONS, _now

_DB = TypeVar("_DB", bound="LedgerDB")


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


class LedgerDB:
    """The open database behind a :class:`~klingkit.jobs.ledger.Ledger` (connection, locking, migrations)."""

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

    def __enter__(self: _DB) -> _DB:
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
