"""What a batch leaves in its ``--out`` folder so that a lost ledger loses nothing.

The ledger is a cache of the truth: with a new ``KLINGKIT_HOME`` a rerun finds the rows' tasks on Kling.
Two facts it needs are not on Kling, so the batch also writes them next to its outputs, in ``.klingkit/``:

* ``batch-<id16>.json``: when the batch first ran. Lost-ledger discovery on legacy routes pages back
  through the account's task list only that far (a new batch reads one page, not 30 days of tasks).
* ``row-<external id>.json``: for a row sent without an external id (Kling 4.0 takes none), the request's
  fingerprint before its create leaves, then the task id once known. Without it such a task could only be
  told apart from another by the time it was sent, which the lost ledger held.

Writes are atomic (temporary file + rename) and best effort: the ledger stays the first record.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

__all__ = ["MARKS_DIR", "batch_started", "mark_batch", "read_claim", "write_claim"]

MARKS_DIR = ".klingkit"


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write(path: Path, data: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)


def _batch_path(out_dir: Path, batch_id: str) -> Path:
    return out_dir / MARKS_DIR / f"batch-{batch_id[:16]}.json"


def _claim_path(out_dir: Path, external_id: str) -> Path:
    return out_dir / MARKS_DIR / f"row-{re.sub(r'[^A-Za-z0-9._-]', '_', external_id)}.json"


def batch_started(out_dir: Path, batch_id: str) -> datetime | None:
    """When the batch first ran into ``out_dir`` (UTC), or None when nothing there says so."""
    data = _read(_batch_path(out_dir, batch_id))
    if not data or data.get("batch_id") != batch_id:
        return None
    try:
        started = datetime.fromisoformat(str(data.get("started_at")))
    except ValueError:
        return None
    return started if started.tzinfo else started.replace(tzinfo=timezone.utc)


def mark_batch(out_dir: Path, batch_id: str, started: datetime) -> None:
    """Record when the batch first ran (kept if already there)."""
    if batch_started(out_dir, batch_id) is None:
        _write(_batch_path(out_dir, batch_id), {"batch_id": batch_id, "started_at": started.isoformat()})


def read_claim(out_dir: Path, external_id: str) -> dict[str, Any] | None:
    """What ``write_claim`` recorded for a row (``fingerprint``, ``task_id``), or None."""
    data = _read(_claim_path(out_dir, external_id))
    return data if data and data.get("external_id") == external_id else None


def write_claim(out_dir: Path, external_id: str, **values: Any) -> None:
    """Add ``values`` (``fingerprint=``, ``task_id=``) to a row's claim."""
    data = read_claim(out_dir, external_id) or {"external_id": external_id}
    data.update({k: v for k, v in values.items() if v is not None})
    _write(_claim_path(out_dir, external_id), data)
