"""An ASGI receiver for Kling callbacks (``klingkit webhook serve``), on Starlette.

For every POST (any path) it:

1. refuses bodies over ``max_body`` bytes (413) and bodies not read whole within ``read_timeout``
   seconds (408), so a slow sender cannot hold a connection open;
2. verifies the Standard Webhooks signature when a secret is set (401 for a bad signature or a timestamp
   more than ``tolerance`` seconds away from now; 400 for a header that is not a timestamp at all);
3. refuses a ``webhook-id`` it has already accepted (409): ids are remembered *in the ledger* for twice
   the tolerance, longer than a replayed request could still pass the timestamp check, so a restarted
   receiver still refuses a replay;
4. reads the task id from either payload shape, and refuses tasks the ledger does not know (404): the
   receiver only acts on tasks this machine created;
5. treats the body as a hint: re-fetches the task by id from the API, records what the API says in the
   ledger and, once it succeeded, downloads the outputs in the background (next to the batch's other
   files for a batch row, else into ``out_dir``); answers 200 without waiting for the download.

A failure to reach the API answers 502 and forgets the ``webhook-id`` so that the sender's retry works.
Malformed input of any kind (a huge timestamp, JSON nested a hundred thousand levels deep, bytes that are
not UTF-8) is answered with a 4xx, never a 500.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..webhooks import DEFAULT_TOLERANCE, WebhookVerificationError, callback_ids, verify
from .ledger import Ledger, TaskRecord

__all__ = ["MAX_BODY", "READ_TIMEOUT", "Receiver", "create_app"]

MAX_BODY = 1024 * 1024  # bytes; a Kling callback is a few kilobytes
READ_TIMEOUT = 10.0  # seconds to receive a whole body

log = logging.getLogger("klingkit.receiver")


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


class Receiver:
    """The receiver's state: the ledger, an ``AsyncKling``-like client, replay memory, downloads."""

    def __init__(
        self,
        *,
        ledger: Ledger,
        client: Any,
        secret: str | None,
        out_dir: str | Path = ".",
        tolerance: int = DEFAULT_TOLERANCE,
        max_body: int = MAX_BODY,
        read_timeout: float = READ_TIMEOUT,
        download: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.ledger = ledger
        self.client = client
        self.secret = secret
        self.out_dir = Path(out_dir)
        self.tolerance = tolerance
        self.max_body = max_body
        self.read_timeout = read_timeout
        self.download = download
        self.clock = clock
        self._jobs: set[asyncio.Task[None]] = set()
        self._downloading: set[str] = set()
        self.accepted = 0
        self.refused: dict[str, int] = {}

    # --- replay memory -------------------------------------------------------------------------------

    def _remember(self, msg_id: str) -> bool:
        return self.ledger.remember_message(msg_id, now=self.clock(), keep=2 * self.tolerance)

    def _forget(self, msg_id: str | None) -> None:
        if msg_id:
            self.ledger.forget_message(msg_id)

    # --- handling ------------------------------------------------------------------------------------

    def _refuse(self, status: int, reason: str, message: str) -> JSONResponse:
        self.refused[reason] = self.refused.get(reason, 0) + 1
        log.info("callback refused (%s): %s", reason, message)
        return JSONResponse({"ok": False, "error": reason, "message": message}, status_code=status)

    async def _body(self, request: Request) -> bytes:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_body:
            raise _TooLarge
        chunks: list[bytes] = []

        async def read() -> None:
            size = 0
            async for chunk in request.stream():
                size += len(chunk)
                if size > self.max_body:
                    raise _TooLarge
                chunks.append(chunk)

        try:
            await asyncio.wait_for(read(), timeout=self.read_timeout)
        except asyncio.TimeoutError:
            raise _TooSlow from None
        return b"".join(chunks)

    async def handle(self, request: Request) -> JSONResponse:
        """Answer one callback POST (see the module docstring for the steps and status codes)."""
        try:
            body = await self._body(request)
        except _TooLarge:
            return self._refuse(413, "too_large", f"body larger than {self.max_body} bytes")
        except _TooSlow:
            return self._refuse(408, "too_slow", f"body not received within {self.read_timeout:g} s")
        if self.secret:
            try:
                verify(body, request.headers, self.secret, tolerance=self.tolerance, now=self.clock())
            except WebhookVerificationError as exc:
                return self._refuse(401, exc.reason, str(exc))
            except (ValueError, OverflowError, TypeError) as exc:  # a header no sender could mean
                return self._refuse(400, "bad_headers", f"malformed webhook headers: {type(exc).__name__}")
        msg_id = request.headers.get("webhook-id")
        if msg_id and not self._remember(msg_id):
            return self._refuse(409, "replayed", f"webhook-id {msg_id} was already received")
        try:
            task_id, external_id = callback_ids(body)
        except (ValueError, RecursionError, TypeError) as exc:  # not JSON, nested too deep, wrong shape
            self._forget(msg_id)
            return self._refuse(400, "bad_body", " ".join(str(exc).split())[:200] or type(exc).__name__)
        rec = (self.ledger.get(external_id) if external_id else None) or self.ledger.get(task_id)
        if rec is None or (rec.task_id and rec.task_id != task_id):
            self._forget(msg_id)
            return self._refuse(404, "unknown_task", f"task {task_id} is not in the local ledger")
        try:
            task = await self.client.tasks.get(task_id, feature=rec.feature)
        except Exception as exc:  # the API is the source of truth; without it, ask the sender to retry
            self._forget(msg_id)
            return self._refuse(502, "refetch_failed", f"could not re-fetch task {task_id}: {exc}")
        self.ledger.record_task(rec.external_id, task)
        status = str(getattr(task.status, "value", task.status))
        if status == "succeeded" and self.download and not self._has_files(rec.external_id):
            self._start_download(rec, task)
        self.accepted += 1
        return JSONResponse({"ok": True, "task_id": task_id, "status": status})

    # --- downloads -----------------------------------------------------------------------------------

    def _has_files(self, external_id: str) -> bool:
        rec = self.ledger.get(external_id)
        return bool(rec and rec.files and all(Path(f).exists() for f in rec.files))

    def _dest(self, rec: TaskRecord, task: Any) -> Path:
        outputs = [o for o in task.outputs if o.url]
        ext = (outputs[0].format if outputs else None) or "bin"
        if rec.batch_id and rec.row_index is not None:
            batch = self.ledger.get_batch(rec.batch_id)
            options = (batch.options if batch else None) or {}
            names = options.get("names") or {}
            name = names.get(str(rec.row_index))
            if options.get("out") and name:
                return Path(options["out"]) / f"{name}.{ext}"
        return self.out_dir / f"{task.id}.{ext}"

    def _start_download(self, rec: TaskRecord, task: Any) -> None:
        if rec.external_id in self._downloading:
            return
        self._downloading.add(rec.external_id)

        async def run() -> None:
            try:
                paths = await self.client.download(task, self._dest(rec, task), sidecar=True)
                files = [str(p) for p in paths if not str(p).endswith(".json")]
                self.ledger.add_files(rec.external_id, files)
            except Exception as exc:  # the batch runner (or `klingkit tasks download`) can fetch it later
                log.warning("download of task %s failed: %s", task.id, exc)
            finally:
                self._downloading.discard(rec.external_id)

        job = asyncio.ensure_future(run())
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)

    async def drain(self) -> None:
        """Wait for the downloads started so far (tests, shutdown)."""
        while self._jobs:
            await asyncio.gather(*list(self._jobs), return_exceptions=True)


def create_app(receiver: Receiver) -> Starlette:
    """The Starlette app: ``POST /<any path>`` for callbacks, ``GET /healthz`` for a liveness check."""

    async def callback(request: Request) -> JSONResponse:
        return await receiver.handle(request)

    async def health(_request: Request) -> JSONResponse:
        return JSONResponse({"ok": True, "accepted": receiver.accepted, "refused": receiver.refused})

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await receiver.drain()

    app = Starlette(
        routes=[
            Route("/healthz", health, methods=["GET"]),
            Route("/{path:path}", callback, methods=["POST"]),
        ],
        lifespan=lifespan,
    )
    app.state.receiver = receiver
    return app
