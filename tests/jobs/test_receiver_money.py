"""The receiver under abuse: a replay after a restart, malformed input (4xx, never 500), slow bodies, and
a 2026-model task re-fetched on its own route."""

from __future__ import annotations

import asyncio
import json
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


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from klingkit.sandbox import Sandbox

    with Sandbox(time_scale=0.0, seed=1) as sb:
        yield sb


@pytest.fixture
async def client(sandbox: Any) -> AsyncIterator[AsyncKling]:
    c = AsyncKling(api_key=sandbox.api_key, base_url=sandbox.base_url)
    try:
        yield c
    finally:
        await c.close()


def _http(receiver: Receiver) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(receiver)), base_url="http://r")


async def _task(client: AsyncKling, ledger: Ledger, eid: str, **params: Any) -> Any:
    spec = prepare(params.pop("feature", "images/generations"), **params).with_external_id(eid)
    ledger.record_pending(eid, feature=spec.feature, family=spec.family, route=spec.path)
    task = await client.submit(spec)
    ledger.record_task(eid, task)
    return task


def _body(task: Any, eid: str) -> bytes:
    return json.dumps(
        {"task_id": task.id, "task_status": "succeed", "task_info": {"external_task_id": eid}}
    ).encode()


async def test_a_replay_after_a_restart_is_still_refused(client: AsyncKling, tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    with Ledger(path) as ledger:
        task = await _task(client, ledger, "kk-replay-1", prompt="a kite")
        body = _body(task, "kk-replay-1")
        headers = sign_headers(body, SECRET)
        first = Receiver(ledger=ledger, client=client, secret=SECRET, out_dir=tmp_path, download=False)
        async with _http(first) as http:
            assert (await http.post("/", content=body, headers=headers)).status_code == 200
    with Ledger(path) as ledger:  # a new process: nothing in memory
        second = Receiver(ledger=ledger, client=client, secret=SECRET, out_dir=tmp_path, download=False)
        async with _http(second) as http:
            again = await http.post("/", content=body, headers=headers)
        assert again.status_code == 409, again.text


@pytest.mark.parametrize(
    "case",
    [
        "huge-timestamp",
        "negative-timestamp",
        "text-timestamp",
        "deep-json",
        "not-json",
        "not-utf8",
        "list-body",
    ],
)
async def test_malformed_input_is_a_4xx_never_a_500(client: AsyncKling, tmp_path: Path, case: str) -> None:
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        receiver = Receiver(ledger=ledger, client=client, secret=SECRET, out_dir=tmp_path, download=False)
        body = b'{"task_id": "1"}'
        if case == "deep-json":
            body = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
        elif case == "not-json":
            body = b"{nope"
        elif case == "not-utf8":
            body = b'{"task_id": "\xff\xfe"}'
        elif case == "list-body":
            body = b"[1, 2, 3]"
        headers = sign_headers(body, SECRET)
        if case == "huge-timestamp":
            headers["webhook-timestamp"] = "9" * 400
        elif case == "negative-timestamp":
            headers["webhook-timestamp"] = "-99999999999999999999"
        elif case == "text-timestamp":
            headers["webhook-timestamp"] = "soon"
        insecure = Receiver(ledger=ledger, client=client, secret=None, out_dir=tmp_path, download=False)
        for r in (receiver, insecure):
            async with _http(r) as http:
                resp = await http.post("/", content=body, headers=headers)
            assert 400 <= resp.status_code < 500, (r.secret, resp.status_code, resp.text)


async def test_a_slow_body_is_cut_off(client: AsyncKling, tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        receiver = Receiver(ledger=ledger, client=client, secret=SECRET, out_dir=tmp_path, download=False,
                            read_timeout=0.3)  # fmt: skip

        async def trickle() -> AsyncIterator[bytes]:
            yield b'{"task_id":'
            await asyncio.sleep(5)
            yield b'"1"}'

        async with _http(receiver) as http:
            resp = await asyncio.wait_for(http.post("/", content=trickle()), timeout=3)
        assert resp.status_code == 408


async def test_a_2026_model_task_is_refetched_on_its_route(client: AsyncKling, tmp_path: Path) -> None:
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        task = await _task(client, ledger, "kk-recv-26", feature="text2video", prompt="x", model="kling-2.6")
        receiver = Receiver(ledger=ledger, client=client, secret=SECRET, out_dir=tmp_path / "out")
        body = json.dumps({"id": task.id, "status": "succeeded", "external_task_id": "kk-recv-26"}).encode()
        async with _http(receiver) as http:
            resp = await http.post("/", content=body, headers=sign_headers(body, SECRET))
        assert resp.status_code == 200, resp.text
        await receiver.drain()
        rec = ledger.get("kk-recv-26")
        assert rec is not None and rec.status == "succeeded" and rec.files
