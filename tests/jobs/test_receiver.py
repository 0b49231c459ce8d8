"""The webhook receiver against a real sandbox (in-process) and a real ledger."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from klingkit import AsyncKling, prepare
from klingkit.jobs.ledger import Ledger
from klingkit.jobs.receiver import Receiver, create_app
from klingkit.webhooks import sign_headers

pytestmark = pytest.mark.integration

SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI="


@pytest.fixture
def sandbox() -> Iterator[Any]:
    from klingkit.sandbox import Sandbox

    with Sandbox(time_scale=0.0, seed=1) as sb:
        yield sb


@pytest.fixture
async def setup(sandbox: Any, tmp_path: Path) -> AsyncIterator[tuple[Receiver, httpx.AsyncClient, Ledger]]:
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    client = AsyncKling(api_key=sandbox.api_key, base_url=sandbox.base_url)
    receiver = Receiver(
        ledger=ledger, client=client, secret=SECRET, out_dir=tmp_path / "out", max_body=64 * 1024
    )
    http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(receiver)), base_url="http://receiver"
    )
    try:
        yield receiver, http, ledger
    finally:
        await http.aclose()
        await client.close()
        ledger.close()


async def _task(receiver: Receiver, ledger: Ledger, eid: str) -> str:
    spec = prepare("images/generations", prompt="a lighthouse at dusk").with_external_id(eid)
    ledger.record_pending(eid, feature="images/generations", family="legacy")
    task = await receiver.client.submit(spec)
    ledger.record_task(eid, task)
    return str(task.id)


def _legacy_body(task_id: str, eid: str) -> bytes:
    # The body claims more than is true (a fake URL): the receiver must not trust it.
    return json.dumps(
        {
            "task_id": task_id,
            "task_status": "succeed",
            "task_info": {"external_task_id": eid},
            "task_result": {"images": [{"index": 0, "url": "https://attacker.invalid/x.png"}]},
        }
    ).encode()


async def test_valid_callback_refetches_and_downloads_without_polling(
    setup: tuple[Receiver, httpx.AsyncClient, Ledger], sandbox: Any
) -> None:
    receiver, http, ledger = setup
    task_id = await _task(receiver, ledger, "kk-recv-1")
    before = sandbox.counters()["status_queries"]
    body = _legacy_body(task_id, "kk-recv-1")
    resp = await http.post("/kling/callback", content=body, headers=sign_headers(body, SECRET))
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "succeeded"
    await receiver.drain()
    rec = ledger.get("kk-recv-1")
    assert rec is not None and rec.status == "succeeded"
    assert len(rec.files) == 1 and Path(rec.files[0]).stat().st_size > 0
    assert "attacker" not in json.dumps(rec.outputs)
    assert sandbox.counters()["status_queries"] - before == 1  # the one re-fetch, no polling


async def test_new_shape_is_accepted(setup: tuple[Receiver, httpx.AsyncClient, Ledger]) -> None:
    receiver, http, ledger = setup
    task_id = await _task(receiver, ledger, "kk-recv-2")
    body = json.dumps(
        {"id": task_id, "status": "processing", "external_id": "kk-recv-2", "outputs": []}
    ).encode()
    resp = await http.post("/", content=body, headers=sign_headers(body, SECRET))
    assert resp.status_code == 200, resp.text
    await receiver.drain()


async def test_refusals(setup: tuple[Receiver, httpx.AsyncClient, Ledger], sandbox: Any) -> None:
    receiver, http, ledger = setup
    task_id = await _task(receiver, ledger, "kk-recv-3")
    body = _legacy_body(task_id, "kk-recv-3")
    good = sign_headers(body, SECRET, msg_id="msg-1")

    bad_sig = dict(good, **{"webhook-signature": "v1,K5oZfzeVuQvI4x1jrjAgMlkpJDoe1JhVmAbjR6eKeTM="})
    r = await http.post("/", content=body, headers=bad_sig)
    assert (r.status_code, r.json()["error"]) == (401, "bad_signature")

    stale = sign_headers(body, SECRET, msg_id="msg-2", timestamp=int(time.time()) - 360)
    r = await http.post("/", content=body, headers=stale)
    assert (r.status_code, r.json()["error"]) == (401, "too_old")

    r = await http.post("/", content=body, headers=good)
    assert r.status_code == 200
    r = await http.post("/", content=body, headers=good)
    assert (r.status_code, r.json()["error"]) == (409, "replayed")

    unknown = _legacy_body("999999999999999999", "kk-not-ours")
    r = await http.post("/", content=unknown, headers=sign_headers(unknown, SECRET))
    assert (r.status_code, r.json()["error"]) == (404, "unknown_task")

    huge = b'{"task_id": "1", "pad": "' + b"x" * (70 * 1024) + b'"}'
    r = await http.post("/", content=huge, headers=sign_headers(huge, SECRET))
    assert r.status_code == 413

    r = await http.post("/", content=body, headers={"content-type": "application/json"})
    assert (r.status_code, r.json()["error"]) == (401, "missing_headers")
    await receiver.drain()
    assert SECRET.removeprefix("whsec_") not in json.dumps(receiver.refused)
