"""A batch of Kling 4.0 rows against the sandbox: rows carry no external id on the wire, so the ledger
keeps each request's fingerprint; a run killed after sending is resumed by adopting the task from the task
list, never by creating it again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from klingkit import AsyncKling, prepare
from klingkit.jobs._batch_rows import batch_id_for, parse_rows, plan_batch
from klingkit.jobs.batch import BatchRunner
from klingkit.jobs.ledger import Ledger

pytestmark = pytest.mark.integration


def _plan(tmp_path: Path, base_url: str) -> Any:
    rows = [{"kind": "video", "model": "kling-4.0", "prompt": f"shot {i}", "duration": 3, "output": f"s{i}"}
            for i in (1, 2)]  # fmt: skip
    parsed = parse_rows("\n".join(json.dumps(r) for r in rows).encode(), base_dir=tmp_path)
    bid = batch_id_for(str(tmp_path / "b.jsonl"), target=base_url)
    return plan_batch(parsed, batch_id=bid, source="b.jsonl", prepare=prepare)


async def test_resume_adopts_a_4_0_row_sent_before_the_crash(sb: Any, tmp_path: Path) -> None:
    plan = _plan(tmp_path, sb.base_url)
    assert not plan.errors, plan.errors
    async with AsyncKling(api_key=sb.api_key, base_url=sb.base_url) as client:
        with Ledger(tmp_path / "l.sqlite3") as ledger:
            # A previous run recorded row 1 with its fingerprint, sent it, and died before the answer.
            ledger.create_batch(plan.batch_id)
            first = plan.rows[0]
            spec = first.spec.with_external_id(first.spec.external_id or "kk-row-1")
            from klingkit import request_fingerprint

            ledger.record_pending(spec.external_id, feature=spec.feature, batch_id=plan.batch_id, row_index=1,
                                  fingerprint=request_fingerprint(spec).to_dict(), route=spec.path)  # fmt: skip
            async with AsyncKling(api_key=sb.api_key, base_url=sb.base_url) as previous_process:
                sent = await previous_process.submit(spec)
            runner = BatchRunner(client, ledger, plan, out_dir=tmp_path / "out", backoff_floor=0.01)
            result = await runner.run()
            assert result.ok
            assert ledger.get(spec.external_id).task_id == sent.id  # type: ignore[union-attr]
    assert sb.counters()["creates"] == 2  # row 1 adopted, row 2 created once
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir() if p.suffix == ".mp4") == [".mp4", ".mp4"]
