"""Downloads: atomic (``<target>.part`` + fsync + ``os.replace``), resumable (``Range``), checked against
``Content-Length``, capped in size and redirects, fetched by an HTTP client that carries no credentials.

An expired or forbidden URL (403/404/410) makes the task be queried again for fresh URLs, once. Each file
gets a JSON sidecar ``<file>.json`` describing the task (never credentials, never inline base64).
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from . import _constants as C
from ._config import _is_loopback
from ._download_part import (
    ProgressFn,
    _Expired,
    _finish,
    _Incomplete,
    _load_part,
    _part_identity,
    _part_info_path,
    _State,
)
from ._exceptions import DownloadError, OutputExistsError
from ._logging import logger, trim_url
from ._models import Output, Task
from ._sidecar import _already_there, _write_sidecar, clear_foreign, plan_targets, sidecar_data

__all__ = [
    "OutputExistsError",
    "ProgressFn",
    "clear_foreign",
    "download_async",
    "download_sync",
    "plan_targets",
    "sidecar_data",
]


def check_url(url: str | None, task_id: str) -> str:
    """Refuse missing URLs and anything but https (plain http only for loopback hosts)."""
    if not url:
        raise DownloadError(f"task {task_id} has no URL for this output", task_id=task_id)
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(parts.hostname or "")):
        return url
    raise DownloadError(
        f"refusing to download {trim_url(url)}: only https URLs are fetched", url=trim_url(url)
    )


def _fresh_url(task: Task, output: Output) -> str | None:
    for out in task.outputs:
        if out.index == output.index and out.kind == output.kind:
            return out.url
    return None


def _client_options() -> dict[str, Any]:
    return {
        "follow_redirects": True,
        "max_redirects": C.DOWNLOAD_MAX_REDIRECTS,
        "timeout": httpx.Timeout(C.DOWNLOAD_TIMEOUT, connect=C.CONNECT_TIMEOUT),
        "headers": {"User-Agent": C.USER_AGENT},
    }


def new_download_client(
    transport: httpx.BaseTransport | None = None, verify: ssl.SSLContext | bool = True
) -> httpx.Client:
    """An HTTP client without credentials, with redirect and time caps. ``verify``: see
    :func:`klingkit._localca.verify_for` (the https sandbox's outputs come from its own CA)."""
    return httpx.Client(transport=transport, verify=verify, **_client_options())


def new_async_download_client(
    transport: httpx.AsyncBaseTransport | None = None, verify: ssl.SSLContext | bool = True
) -> httpx.AsyncClient:
    """The async twin of :func:`new_download_client`."""
    return httpx.AsyncClient(transport=transport, verify=verify, **_client_options())


def _precheck(task: Task, dest: str | os.PathLike[str]) -> list[tuple[Output, Path]]:
    if not task.succeeded:
        raise DownloadError(
            f"task {task.id} is {task.status.value}; nothing to download yet", task_id=task.id
        )
    targets = plan_targets(task, dest)
    if not targets:
        raise DownloadError(f"task {task.id} has no downloadable outputs", task_id=task.id)
    return targets


class _File:
    """One output being fetched: its target, ``.part`` file, byte accounting and current URL."""

    def __init__(self, output: Output, target: Path, url: str, state: _State,
                 identity: Mapping[str, Any]) -> None:  # fmt: skip
        self.output = output
        self.target = target
        self.part = state.part
        self.state = state
        self.url = url
        self.identity = dict(identity)
        self.failures = 0

    def _write_info(self) -> None:
        """Label the ``.part`` with what it belongs to (task, output, length, validator)."""
        info = {**self.identity, "total": self.state.total, "etag": self.state.etag}
        path = _part_info_path(self.part)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(info), encoding="utf-8")
        os.replace(tmp, path)

    def headers(self) -> dict[str, str]:
        return self.state.request_headers()

    @contextmanager
    def sink(
        self, status: int, headers: Mapping[str, str], durable: bool = True
    ) -> Iterator[Callable[[bytes], None]]:
        """Open the ``.part`` file as the answer's headers say; yields a chunk writer and fsyncs when the
        body was read whole (raises _Expired or DownloadError before opening). ``durable=False`` leaves
        the fsync to :meth:`sync` (the async loop runs it in a thread: an fsync blocks for milliseconds)."""
        mode = self.state.on_headers(status, headers, self.url)
        self._write_info()
        # A large buffer: few write calls for a video of hundreds of megabytes.
        with open(self.part, "ab" if mode == "append" else "wb", buffering=C.DOWNLOAD_BUFFER) as f:

            def write(chunk: bytes) -> None:
                f.write(chunk)
                self.state.add(len(chunk), self.url)

            yield write
            f.flush()
            if durable:
                os.fsync(f.fileno())

    def sync(self) -> None:
        """Make the ``.part`` file's bytes durable (after ``sink(..., durable=False)``)."""
        fd = os.open(self.part, os.O_RDWR)  # writable: Windows fsyncs only those
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class _Run:
    """The decisions of one ``download_*`` call (no network, no sleeping): which files to fetch, what an
    expired URL or a dropped body means, and where each finished file goes."""

    def __init__(self, task: Task, dest: str | os.PathLike[str], *, on_progress: ProgressFn | None,
                 sidecar: bool, force: bool, max_bytes: int) -> None:  # fmt: skip
        self.targets = _precheck(task, dest)
        self.task = task
        self.on_progress = on_progress
        self.sidecar = sidecar
        self.force = force
        self.max_bytes = max_bytes
        self.refreshed = False
        self.paths: list[Path] = []

    def files(self) -> Iterator[_File]:
        """The files still to fetch, in order; files already present are recorded and skipped."""
        for output, target in self.targets:
            if _already_there(self.task, target, self.force, self.sidecar):
                self.paths.append(target)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            part = target.with_name(target.name + ".part")
            identity = _part_identity(self.task, output)
            if self.force and part.is_file():
                part.unlink()
            info = _load_part(part, identity)
            state = _State(part, self.on_progress, self.max_bytes, info)
            yield _File(output, target, check_url(output.url, self.task.id), state, identity)

    def expired(self, file: _File) -> None:
        """The URL was refused: raise if it already was after a refresh, else ask for one."""
        if self.refreshed:
            raise DownloadError(
                f"{trim_url(file.url)} is expired or forbidden even after asking Kling for a fresh URL "
                "(outputs are deleted after 30 days)",
                url=trim_url(file.url),
                task_id=self.task.id,
            ) from None
        self.refreshed = True
        logger.info("download URL refused for task %s; querying the task for fresh URLs", self.task.id)

    def fresh(self, file: _File, task: Task) -> None:
        """Take the re-queried task's URL for ``file``."""
        self.task = _merge(self.task, task)
        file.url = check_url(_fresh_url(self.task, file.output), self.task.id)

    def dropped(self, file: _File, exc: Exception) -> float:
        """The body broke off: the seconds to wait before resuming, or DownloadError when out of tries."""
        file.failures += 1
        if file.failures > C.DOWNLOAD_RESUME_ATTEMPTS:
            raise DownloadError(
                f"download of {trim_url(file.url)} kept failing ({type(exc).__name__}); "
                f"{file.state.done} bytes kept in {file.part}, run again to resume",
                url=trim_url(file.url),
                task_id=self.task.id,
            ) from None
        logger.info("download of %s dropped at %d bytes; resuming", trim_url(file.url), file.state.done)
        return min(0.5 * file.failures, 2.0)

    def finished(self, file: _File) -> None:
        # The sidecar goes first: a kill between the two leaves a sidecar without its file (downloaded
        # again next time), never a file that looks like the user's own.
        if self.sidecar:
            _write_sidecar(self.task, file.output, file.target, file.part.stat().st_size)
        _finish(file.part, file.target)
        _part_info_path(file.part).unlink(missing_ok=True)
        self.paths.append(file.target)


# --- the two thin loops -------------------------------------------------------------------------


def download_sync(
    http: httpx.Client,
    task: Task,
    dest: str | os.PathLike[str],
    *,
    refresh: Callable[[], Task],
    on_progress: ProgressFn | None = None,
    sidecar: bool = True,
    force: bool = False,
    max_bytes: int = C.DOWNLOAD_MAX_BYTES,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Path]:
    """Download every output of ``task``; returns the written (or already present) file paths."""
    run = _Run(task, dest, on_progress=on_progress, sidecar=sidecar, force=force, max_bytes=max_bytes)
    for file in run.files():
        while not file.state.complete:
            try:
                with (
                    http.stream("GET", file.url, headers=file.headers()) as response,
                    file.sink(response.status_code, response.headers) as write,
                ):
                    for chunk in response.iter_bytes():
                        write(chunk)
                file.state.check_complete()
                break
            except _Expired:
                run.expired(file)
                run.fresh(file, refresh())
            except (httpx.TransportError, _Incomplete) as exc:
                sleep(run.dropped(file, exc))
        run.finished(file)
    return run.paths


async def download_async(
    http: httpx.AsyncClient,
    task: Task,
    dest: str | os.PathLike[str],
    *,
    refresh: Callable[[], Awaitable[Task]],
    on_progress: ProgressFn | None = None,
    sidecar: bool = True,
    force: bool = False,
    max_bytes: int = C.DOWNLOAD_MAX_BYTES,
    sleep: Callable[[float], Awaitable[None]],
) -> list[Path]:
    """The async twin of :func:`download_sync`."""
    run = _Run(task, dest, on_progress=on_progress, sidecar=sidecar, force=force, max_bytes=max_bytes)
    for file in run.files():
        while not file.state.complete:
            try:
                async with http.stream("GET", file.url, headers=file.headers()) as response:
                    with file.sink(response.status_code, response.headers, durable=False) as write:
                        async for chunk in response.aiter_bytes():
                            write(chunk)
                file.state.check_complete()
                await asyncio.to_thread(file.sync)  # off the event loop: other tasks keep running
                break
            except _Expired:
                run.expired(file)
                run.fresh(file, await refresh())
            except (httpx.TransportError, _Incomplete) as exc:
                await sleep(run.dropped(file, exc))
        await asyncio.to_thread(run.finished, file)  # sidecar, rename, directory fsync
    return run.paths


def _merge(old: Task, new: Task) -> Task:
    """A re-queried task keeps what only the client knew (params, feature, model)."""
    new.params = new.params or old.params
    new.feature = new.feature or old.feature
    new.family = new.family or old.family
    new.model = new.model or old.model
    new.external_id = new.external_id or old.external_id
    return new
