"""What a batch run reports: the progress snapshot, each row's result, the totals, and the report files."""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Progress:
    """A snapshot for the progress line. ``units`` are units charged so far; ``eta`` seconds or None."""

    total: int
    done: int
    running: int
    queued: int
    failed: int
    units: float
    eta: float | None
    window: int
    elapsed: float


@dataclass
class RowResult:
    """How one row ended. ``status``: ``succeeded``, ``failed`` or ``not_started`` (the run stopped)."""

    row: int
    name: str
    status: str
    external_id: str
    task_id: str | None = None
    files: list[str] = field(default_factory=list)
    units: float | None = None
    estimate_units: float | None = None
    attempts: int = 1
    error: str | None = None
    error_kind: str | None = None  # policy | validation | transient | download | account

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return dict(self.__dict__)


@dataclass
class BatchResult:
    """The outcome of a run: one :class:`RowResult` per row, in row order, plus totals."""

    batch_id: str
    rows: list[RowResult]
    elapsed: float
    stopped: str | None = None  # why the run stopped early (an account problem), else None
    status_requests: int = 0

    @property
    def ok(self) -> bool:
        """True when every row succeeded."""
        return all(r.status == "succeeded" for r in self.rows)

    @property
    def units(self) -> float:
        """Units charged for the rows of this batch (as reported by the API)."""
        return round(sum(r.units or 0.0 for r in self.rows), 4)

    def counts(self) -> dict[str, int]:
        """Rows per status."""
        out: dict[str, int] = {}
        for r in self.rows:
            out[r.status] = out.get(r.status, 0) + 1
        return out


def write_reports(result: BatchResult, out_dir: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write ``batch-<id16>.report.json`` and ``.report.csv`` into ``out_dir``; returns both paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"batch-{result.batch_id[:16]}.report"
    json_path, csv_path = out / f"{stem}.json", out / f"{stem}.csv"
    doc = {
        "batch_id": result.batch_id,
        "ok": result.ok,
        "counts": result.counts(),
        "units": result.units,
        "elapsed_seconds": round(result.elapsed, 3),
        "stopped": result.stopped,
        "rows": [r.to_dict() for r in result.rows],
    }
    tmp = out / f"{stem}.json.part"
    tmp.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, json_path)
    tmp = out / f"{stem}.csv.part"
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "row",
                "name",
                "status",
                "task_id",
                "external_id",
                "files",
                "units",
                "attempts",
                "error",
            ]
        )
        for r in result.rows:
            writer.writerow(
                [
                    r.row,
                    r.name,
                    r.status,
                    r.task_id or "",
                    r.external_id,
                    " ".join(r.files),
                    "" if r.units is None else r.units,
                    r.attempts,
                    r.error or "",
                ]
            )
    os.replace(tmp, csv_path)
    return json_path, csv_path
