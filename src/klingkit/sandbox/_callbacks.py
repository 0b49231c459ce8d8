"""Callbacks: a POST to the task's ``callback_url`` on every status change, signed when a secret is set.

Signing follows Standard Webhooks as Kling documents it: headers ``webhook-id`` (a numeric id, unique per
message and the same for every retry of it), ``webhook-timestamp`` (Unix seconds) and ``webhook-signature`` (``v1,<base64 HMAC-SHA256
of "id.timestamp.body">``, keyed by the base64 part of the ``whsec_`` secret).

Delivery: each transition is sent once, in order, when the clock reaches it; a failed delivery is retried
twice (after 0.5 s and 1 s) and then given up. A callback is a hint (receivers re-query), so giving up
loses nothing a client relies on.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable
from typing import Any

import httpx

from ._store import TaskStore
from ._tasks import TaskRecord

log = logging.getLogger("klingkit.sandbox")

RETRY_DELAYS = (0.5, 1.0)  # seconds between delivery attempts
TIMEOUT = 10.0  # seconds for one delivery
IDLE_TICK = 1.0  # seconds between looks when nothing is scheduled (keeps config changes cheap to notice)


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value for ``body`` (raw bytes) sent at ``timestamp`` (Unix seconds)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


class CallbackSender:
    """Runs on the server's event loop; :meth:`wake` after creating a task with a callback URL."""

    def __init__(
        self,
        store: TaskStore,
        clock: Callable[[], float],
        payload: Callable[[TaskRecord, str], dict[str, Any]],
        secret: Callable[[], str | None],
    ) -> None:
        self._store = store
        self._clock = clock
        self._payload = payload  # (task, status entered) -> JSON body
        self._secret = secret
        self._wakeup: asyncio.Event | None = None
        self._in_flight: set[str] = set()
        self._jobs: set[asyncio.Task[None]] = set()
        self.sent = 0
        self.failed = 0

    def wake(self) -> None:
        """Look at the schedule now (safe to call from the event loop only)."""
        if self._wakeup is not None:
            self._wakeup.set()

    async def run(self) -> None:
        """Deliver callbacks until cancelled."""
        self._wakeup = asyncio.Event()
        async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False) as client:
            try:
                while True:
                    wait = self._start_due(client)
                    self._wakeup.clear()
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(self._wakeup.wait(), timeout=wait)
            finally:
                for job in list(self._jobs):
                    job.cancel()
                if self._jobs:
                    await asyncio.gather(*self._jobs, return_exceptions=True)

    def _start_due(self, client: httpx.AsyncClient) -> float:
        """Start deliveries that are due; return the seconds until the next one."""
        now_ms = int(self._clock() * 1000)
        next_ms: int | None = None
        for task in self._store.callbacks_due():
            if task.id in self._in_flight:
                continue
            pending = [(s, t) for s, t in task.transitions() if s not in task.callbacks_sent]
            if not pending:
                continue
            if pending[0][1] <= now_ms:
                self._in_flight.add(task.id)
                job = asyncio.get_running_loop().create_task(self._deliver(client, task.id))
                self._jobs.add(job)
                job.add_done_callback(self._jobs.discard)
            else:
                next_ms = pending[0][1] if next_ms is None else min(next_ms, pending[0][1])
        if next_ms is None:
            return IDLE_TICK
        return min(IDLE_TICK, max(0.0, (next_ms - now_ms) / 1000))

    async def _deliver(self, client: httpx.AsyncClient, task_id: str) -> None:
        try:
            while True:
                task = self._store.get(task_id)
                if task is None or not task.callback_url:
                    return
                now_ms = int(self._clock() * 1000)
                due = [(s, t) for s, t in task.transitions() if s not in task.callbacks_sent and t <= now_ms]
                if not due:
                    return
                status = due[0][0]
                ok = await self._post(client, task, status)
                self.sent += ok
                self.failed += not ok
                task.callbacks_sent.append(status)
                self._store.save(task)
        finally:
            self._in_flight.discard(task_id)
            self.wake()

    async def _post(self, client: httpx.AsyncClient, task: TaskRecord, status: str) -> bool:
        assert task.callback_url
        body = json.dumps(self._payload(task, status), separators=(",", ":"), ensure_ascii=False).encode()
        # A plain numeric id, as in Kling's samples (A.12), the same for every retry of this message.
        message_id = str(10**18 + secrets.randbelow(9 * 10**18))
        for attempt in range(len(RETRY_DELAYS) + 1):
            headers = {"Content-Type": "application/json; charset=utf-8"}
            secret = self._secret()
            if secret:
                timestamp = int(self._clock())
                headers["webhook-id"] = message_id
                headers["webhook-timestamp"] = str(timestamp)
                headers["webhook-signature"] = sign(secret, message_id, timestamp, body)
            try:
                response = await client.post(task.callback_url, content=body, headers=headers)
                if 200 <= response.status_code < 300:
                    return True
                reason = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                reason = type(exc).__name__
            if attempt < len(RETRY_DELAYS):
                await asyncio.sleep(RETRY_DELAYS[attempt])
        log.info("callback for task %s (%s) not delivered: %s", task.id, status, reason)
        return False
