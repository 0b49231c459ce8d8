"""The sandbox server's state, shared by every route (``app.state.sandbox``): tasks, config, counters,
output URLs, and the admission of new tasks (balance, concurrency, duplicate external ids)."""

from __future__ import annotations

import hashlib
import hmac
import random
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from klingkit import catalog as facts

from . import _validation
from ._callbacks import CallbackSender
from ._config import SESSION_SECONDS, SandboxConfig
from ._errors import KlingFailure, invalid
from ._faults import FaultPlan
from ._outputs import MediaFiles
from ._store import TaskStore
from ._tasks import FAILED, SUCCEEDED, OutputFile, TaskRecord, callback_body

POLICY_BLOCK_WORD = "sandbox-policy-block"
RISK_FAIL_WORD = "sandbox-risk-fail"
SUBMITTED_SHARE = 0.15  # part of a task's time spent queued as "submitted"


@dataclass
class Counters:
    """What ``GET /_sandbox/counters`` reports (``tasks`` and ``callbacks_sent`` are read live)."""

    requests: dict[str, int] = field(default_factory=dict)
    creates: int = 0
    duplicate_external_ids: int = 0
    status_queries: int = 0


def _id_rng(seed: int | None) -> random.Random:
    """Seeded: a reproducible id sequence. Unseeded: fresh OS randomness, so ids never repeat across
    sandbox states (a user's history never shows two tasks under one id)."""
    return random.Random(seed) if seed is not None else random.Random()


class SandboxState:
    """The server's state, shared by every route (``app.state.sandbox``)."""

    def __init__(self, config: SandboxConfig, clock: Callable[[], float]) -> None:
        self.initial = config.copy()
        self.config = config
        self.clock = clock
        self.store = TaskStore(config.state)
        saved = self.store.get_meta("config")
        if saved:
            self.config.update(saved)
        self._tmp: str | None = None
        if config.media_dir is not None:
            media_root = config.media_dir
        elif config.state is not None:
            media_root = config.state.with_name(config.state.name + ".media")
        else:
            self._tmp = tempfile.mkdtemp(prefix="klingkit-sandbox-")
            media_root = Path(self._tmp)
        self.media = MediaFiles(media_root, lambda: self.config.seed, config.render_processes)
        self.faults = FaultPlan(config.seed)
        self.counters = Counters()
        self.rng = _id_rng(config.id_seed)
        self.lock = threading.Lock()
        self.base_url = ""  # set by the server runner; else learnt from the first request
        # With TLS or a public host name, result URLs always use this base (a host name, never the IP
        # literal a client may have dialled); else they follow the request's own host.
        self.public_base_url: str | None = None
        # The sandbox's own origins, set by the server runner: input URLs there are always fetched.
        self.own_urls: tuple[str, ...] = ()
        self.callbacks = CallbackSender(
            self.store, clock, self._callback_body, lambda: self.config.webhook_secret
        )
        self.started_ms = self.store.get_meta("started_ms") or self.now_ms()
        self.store.set_meta("started_ms", self.started_ms)

    def close(self) -> None:
        self.media.close()
        self.store.close()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    def new_id(self) -> str:
        """An 18-digit numeric id like Kling's, from the seeded RNG (so runs repeat), never reused."""
        while True:
            candidate = str(self.rng.randrange(10**17, 10**18))
            if not self.store.exists(candidate):
                return candidate

    def request_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    # --- output URLs ------------------------------------------------------------------------------

    def _cdn_key(self) -> bytes:
        return hashlib.sha256(b"cdn:" + self.config.secret_key.encode()).digest()

    def url_signature(self, name: str, expires: int) -> str:
        return hmac.new(self._cdn_key(), f"{name}:{expires}".encode(), hashlib.sha256).hexdigest()[:32]

    def url_maker(self, base: str) -> Callable[[str, str], str]:
        """Builds output URLs under ``base``; with a ``url_ttl`` they carry an expiry and a signature."""
        ttl = self.config.url_ttl
        expires = int(self.clock() + ttl) if ttl is not None else None

        def url_for(file_id: str, ext: str) -> str:
            name = f"{file_id}.{ext}"
            url = f"{base}/_cdn/{quote(name)}"
            if expires is not None:
                url += f"?expires={expires}&sig={self.url_signature(name, expires)}"
            return url

        return url_for

    def _callback_body(self, task: TaskRecord, status: str) -> dict[str, Any]:
        return callback_body(task, self.url_maker(self.public_base_url or self.base_url), status)

    # --- lookups for validation -----------------------------------------------------------------

    def find_video(self, video_id: str) -> dict[str, Any] | None:
        found = self.store.find_output(video_id)
        if found is None:
            return None
        task, out = found
        now = self.now_ms()
        if out.kind != "video" or task.status_at(now) != SUCCEEDED or self.expired(task, now):
            return None
        return {"duration": out.duration, "model": task.model, "mode": task.billing.get("mode", "std")}

    def find_audio(self, audio_id: str) -> dict[str, Any] | None:
        """A finished audio output (TTS, text-to-audio) by id: ``{"duration"}``, or None."""
        found = self.store.find_output(audio_id)
        if found is None:
            return None
        task, out = found
        now = self.now_ms()
        if out.kind != "audio" or task.status_at(now) != SUCCEEDED or self.expired(task, now):
            return None
        return {"duration": out.duration}

    def find_session(self, session_id: str) -> dict[str, Any] | None:
        task = self.store.get(session_id)
        if task is None or task.feature != "identify-face":
            return None
        if self.now_ms() - task.created_ms > SESSION_SECONDS * 1000:
            return None
        return {**task.extra, "parent_video": task.parent_video}

    def expired(self, task: TaskRecord, now_ms: int) -> bool:
        return now_ms > task.done_ms + self.config.retention_seconds * 1000

    def context(self) -> _validation.Context:
        from . import _edit

        return _validation.Context(
            self.media.keep_input,
            self.find_video,
            self.find_session,
            self.find_audio,
            lambda sid: _edit.find_session(self, sid),
            self.has_library_item,
        )

    def has_library_item(self, kind: str, item_id: str) -> bool:
        """Whether ``item_id`` is a custom element or voice created here and not deleted."""
        found = self.store.find_output(item_id)
        if found is None or found[1].kind != kind:
            return False
        return bool(found[1].render.get("meta", {}).get("status") != "deleted")

    # --- creating tasks -------------------------------------------------------------------------

    def create(self, plan: _validation.Plan, body: Any, sync: bool, failure: str | None = None) -> TaskRecord:
        """Admit and store a planned task, or raise the failure Kling would answer with. ``failure``: the
        task is admitted but will fail with this message (an input URL that could not be used)."""
        words = " ".join(_validation.texts(body))
        if POLICY_BLOCK_WORD in words:
            raise KlingFailure(1301)
        with self.lock:
            now = self.now_ms()
            if plan.external_id and self.store.get_by_external_id(plan.external_id) is not None:
                self.counters.duplicate_external_ids += 1
                raise invalid(f"external_task_id {plan.external_id} already exists")
            charged, reserved = self.store.units(plan.pack, now)
            if plan.units > self.config.balances.get(plan.pack, 0.0) - charged - reserved + 1e-9:
                raise KlingFailure(1102, "Account balance not enough")
            limit = self.config.concurrency.get(plan.pack, 1)
            if plan.weight and self.store.slots_in_use(plan.pack, now, plan.model) + plan.weight > limit:
                raise KlingFailure(1303)
            if sync:
                total = 0.0
            elif self.config.task_seconds is not None:
                total = self.config.task_seconds
            else:
                total = plan.work_seconds * self.config.time_scale
            message = facts.RISK_CONTROL_MESSAGE if RISK_FAIL_WORD in words else failure or ""
            task_id = self.new_id()
            outputs = [
                OutputFile(self.new_id(), o.kind, o.render.get("index", 0), o.duration, o.render)
                for o in plan.outputs
            ]
            task = TaskRecord(
                id=task_id,
                external_id=plan.external_id,
                feature=plan.feature,
                family=plan.family,
                pack=plan.pack,
                model=plan.model,
                weight=plan.weight,
                units=plan.units,
                created_ms=now,
                processing_ms=now + round(total * SUBMITTED_SHARE * 1000),
                done_ms=now + round(total * 1000),
                outcome=FAILED if message else SUCCEEDED,
                message=message,
                callback_url=plan.callback_url,
                watermark=plan.watermark,
                outputs=outputs,
                parent_video=plan.parent_video,
                billing=plan.billing,
                extra=plan.extra,
            )
            self.store.insert(task)
            self.counters.creates += 1
        if task.callback_url:
            self.callbacks.wake()
        return task

    def reset(self) -> None:
        self.store.clear()
        self.media.clear()
        self.config = self.initial.copy()
        self.faults = FaultPlan(self.config.seed)
        self.counters = Counters()
        self.rng = _id_rng(self.config.id_seed)
        self.callbacks.sent = self.callbacks.failed = 0
        self.started_ms = self.now_ms()
        self.store.set_meta("started_ms", self.started_ms)

    def save_config(self) -> None:
        self.store.set_meta("config", self.config.tunables())
