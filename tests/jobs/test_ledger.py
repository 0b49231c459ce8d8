"""The ledger keeps every paid task findable: recorded before the create, updated, searchable, shared."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import pytest

from klingkit.jobs.ledger import MIGRATIONS, Ledger, default_path


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    led = Ledger(tmp_path / "ledger.sqlite3")
    yield led  # type: ignore[misc]
    led.close()


def test_default_path_follows_klingkit_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLINGKIT_HOME", str(tmp_path / "home"))
    assert default_path() == tmp_path / "home" / "ledger.sqlite3"
    with Ledger() as led:
        assert led.path.exists()


def test_migrations_are_numbered_recorded_and_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite3"
    with Ledger(path) as led:
        assert led.schema_version() == MIGRATIONS[-1][0]
    with Ledger(path) as led:  # reopening applies nothing twice
        assert led.schema_version() == MIGRATIONS[-1][0]
    db = sqlite3.connect(path)
    versions = [r[0] for r in db.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == [m[0] for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_upgrade_from_version_1_keeps_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
    for sql in MIGRATIONS[0][2]:
        db.execute(sql)
    db.execute("INSERT INTO schema_migrations VALUES (1, 'x', 'now')")
    db.execute(
        "INSERT INTO tasks (external_id, feature, status, created_at, updated_at) "
        "VALUES ('e1', 'text2video', 'pending', 't', 't')"
    )
    db.commit()
    db.close()
    with Ledger(path) as led:
        rec = led.get("e1")
        assert rec is not None and rec.abandoned is False and rec.status == "pending"


def test_pending_row_then_life_cycle(ledger: Ledger) -> None:
    assert ledger.record_pending(
        "ext-1",
        feature="text2video",
        family="legacy",
        model="kling-v2-6",
        mode="std",
        duration=5,
        prompt="sunset over ocean",
        params={"prompt": "sunset over ocean", "duration": 5},
        estimate_units=1.5,
        estimate_usd=0.21,
        base_url="http://127.0.0.1:1",
        sandbox=True,
    )
    rec = ledger.get("ext-1")
    assert rec is not None
    assert rec.status == "pending" and rec.task_id is None and rec.sandbox is True and not rec.done
    assert rec.params == {"prompt": "sunset over ocean", "duration": 5}

    ledger.update("ext-1", task_id="T1", status="submitted")
    assert ledger.get("T1") is not None  # found by task id too
    ledger.add_files("ext-1", ["a.mp4"])
    files = ledger.add_files("ext-1", ["a.mp4", "b.mp4"])
    assert [Path(f).name for f in files] == ["a.mp4", "b.mp4"]
    ledger.update("ext-1", status="succeeded", units=1.5)
    rec = ledger.get("ext-1")
    assert rec is not None and rec.done and rec.units == 1.5 and rec.created_at <= rec.updated_at


def test_record_pending_twice_changes_nothing(ledger: Ledger) -> None:
    assert ledger.record_pending("e", feature="text2video", prompt="a")
    assert not ledger.record_pending("e", feature="text2video", prompt="b")
    rec = ledger.get("e")
    assert rec is not None and rec.prompt == "a"


def test_batch_row_recorded_at_most_once(ledger: Ledger) -> None:
    # A batch row's identity is its external id (what it asks for); its row number may move when
    # the file is edited, so two ids may pass through one row number, but one id is recorded once.
    assert ledger.create_batch("B", source="rows.csv", options={"max_cost": 3})
    assert not ledger.create_batch("B")
    assert ledger.record_pending("e1", feature="text2video", batch_id="B", row_index=0)
    assert not ledger.record_pending("e1", feature="text2video", batch_id="B", row_index=5)
    assert ledger.record_pending("e3", feature="text2video", batch_id="B", row_index=1)
    assert [r.external_id for r in ledger.batch_tasks("B")] == ["e1", "e3"]
    assert ledger.get("e1").row_index == 0  # type: ignore[union-attr]
    batch = ledger.get_batch("B")
    assert batch is not None and batch.options == {"max_cost": 3} and batch.status == "created"
    ledger.update_batch("B", status="done")
    assert [b.status for b in ledger.list_batches()] == ["done"]


def test_leases_exclude_a_second_owner_until_expiry(ledger: Ledger) -> None:
    ledger.create_batch("B")
    assert ledger.acquire_lease("B", "p1", 60, now=1000)
    assert not ledger.acquire_lease("B", "p2", 60, now=1010)
    assert ledger.acquire_lease("B", "p1", 60, now=1010)  # renewal
    assert ledger.acquire_lease("B", "p2", 60, now=1071)  # expired
    ledger.release_lease("B", "p2")
    assert ledger.acquire_lease("B", "p3", 60, now=1072)


class _Status(str, Enum):
    succeeded = "succeeded"


@dataclass
class _Output:
    kind: str
    url: str
    raw: dict[str, object] = field(default_factory=dict)


@dataclass
class _Task:
    id: str
    status: _Status
    message: str
    units: float | None
    outputs: list[_Output]
    model: str | None = "kling-v2-6"


def test_record_task_copies_a_library_task(ledger: Ledger) -> None:
    ledger.record_pending("e", feature="text2video")
    task = _Task("T9", _Status.succeeded, "", 2.0, [_Output("video", "http://x/v.mp4", {"big": 1})])
    ledger.record_task("e", task)
    rec = ledger.get("e")
    assert rec is not None
    assert (rec.task_id, rec.status, rec.units, rec.model) == ("T9", "succeeded", 2.0, "kling-v2-6")
    assert rec.outputs == [{"kind": "video", "url": "http://x/v.mp4"}]  # raw payload dropped


def test_find_searches_and_filters(ledger: Ledger) -> None:
    ledger.record_pending("e1", feature="text2video", prompt="sunset over ocean", model="kling-v2-6")
    ledger.record_pending("e2", feature="images/generations", prompt="a red fox", model="kling-v2")
    ledger.record_pending("e3", feature="text2video", prompt="100% off_sale")
    ledger.update("e2", status="succeeded")
    assert [r.external_id for r in ledger.find("OCEAN")] == ["e1"]
    assert [r.external_id for r in ledger.find("%")] == ["e3"]  # wildcards are literal
    assert [r.external_id for r in ledger.find("_")] == ["e3"]
    assert {r.external_id for r in ledger.find(unfinished=True)} == {"e1", "e3"}
    assert [r.external_id for r in ledger.find(status="succeeded")] == ["e2"]
    assert [r.external_id for r in ledger.find(feature="text2video", newest_first=False)] == ["e1", "e3"]
    ledger.abandon("e1")
    assert {r.external_id for r in ledger.find(unfinished=True, include_abandoned=False)} == {"e3"}
    assert len(ledger.find(limit=1)) == 1


def test_update_rejects_unknown_columns_and_ids(ledger: Ledger) -> None:
    ledger.record_pending("e", feature="text2video")
    with pytest.raises(ValueError, match="nonsense"):
        ledger.update("e", nonsense=1)
    with pytest.raises(KeyError):
        ledger.update("missing", status="failed")


_WRITER = """
import sys
from klingkit.jobs.ledger import Ledger
path, start = sys.argv[1], int(sys.argv[2])
with Ledger(path) as led:
    for i in range(start, start + 40):
        led.record_pending(f"p{i}", feature="text2video", prompt=str(i))
        led.update(f"p{i}", status="submitted", task_id=f"T{i}")
"""


def test_two_processes_write_one_ledger(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.sqlite3")
    Ledger(path).close()
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, path, str(n)]) for n in (0, 1000)]
    assert [p.wait(60) for p in procs] == [0, 0]
    with Ledger(path) as led:
        rows = led.find(limit=None)
        assert len(rows) == 80 and all(r.status == "submitted" for r in rows)
