"""Callbacks: one POST per status change, in order, in the route family's shape, signed on request."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from standardwebhooks import Webhook

from klingkit.sandbox import Sandbox
from klingkit.sandbox._callbacks import sign

from .conftest import ManualClock, data


class Receiver:
    """A webhook endpoint on 127.0.0.1 that records what it is sent."""

    def __init__(self) -> None:
        self.calls: list[tuple[dict[str, str], bytes]] = []
        received = self.calls

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, n: int, timeout: float = 10.0) -> list[tuple[dict[str, str], dict[str, Any]]]:
        deadline = time.monotonic() + timeout
        while len(self.calls) < n and time.monotonic() < deadline:
            time.sleep(0.02)
        return [(h, json.loads(b)) for h, b in self.calls]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()


def test_official_signature_vector() -> None:
    body = b'{"id":"1234567890","status":"succeeded","message":"","create_time":1781080778802,"update_time":1781080794151}'
    got = sign("whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI=", "9876543210", 1781080794, body)
    assert got == "v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4="


def test_legacy_callbacks_for_each_transition(
    sandbox: Sandbox, api: httpx.Client, clock: ManualClock, receiver: Receiver
) -> None:
    sandbox.configure(task_seconds=20)
    task_id = data(api.post("/v1/videos/text2video", json={"prompt": "x", "callback_url": receiver.url}))[
        "task_id"
    ]
    first = receiver.wait_for(1)
    assert [b["task_status"] for _, b in first] == ["submitted"]
    assert "webhook-signature" not in first[0][0]  # no secret, no signature
    clock.advance(20)
    calls = receiver.wait_for(3)
    assert [b["task_status"] for _, b in calls] == ["submitted", "processing", "succeed"]
    final = calls[-1][1]
    assert final["task_id"] == task_id and final["task_result"]["videos"][0]["url"].startswith(
        sandbox.base_url
    )
    # The receiver records a call before answering it; the sender counts it once the answer arrives.
    deadline = time.monotonic() + 10
    while sandbox.counters()["callbacks_sent"] < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sandbox.counters()["callbacks_sent"] == 3


def test_new_callbacks_are_signed_with_the_webhook_secret(
    sandbox: Sandbox, api: httpx.Client, receiver: Receiver
) -> None:
    secret = "whsec_" + "c2FuZGJveC13ZWJob29rLXNlY3JldC0wMTIzNDU2Nzg5"
    sandbox.configure(webhook_secret=secret)
    body = {"prompt": "x", "settings": {"duration": 5}, "options": {"callback_url": receiver.url}}
    task_id = data(api.post("/text-to-video/kling-3.0", json=body))["id"]
    calls = receiver.wait_for(3)
    assert [b["status"] for _, b in calls] == ["submitted", "processing", "succeeded"]
    for headers, raw in receiver.calls:
        Webhook(secret).verify(raw, headers)  # raises if the signature is wrong
    assert calls[-1][1]["id"] == task_id and calls[-1][1]["outputs"][0]["type"] == "video"
    assert len({h["webhook-id"] for h, _ in calls}) == 3
