"""Downloads: atomic (``<target>.part`` + fsync + ``os.replace``), resumable (``Range``), checked against
``Content-Length``, capped in size and redirects, fetched by an HTTP client that carries no credentials.

An expired or forbidden URL (403/404/410) makes the task be queried again for fresh URLs, once. Each file
gets a JSON sidecar ``<file>.json`` describing the task (never credentials, never inline base64).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from . import _constants as C
from ._config import _is_loopback
from ._exceptions import DownloadError
from ._logging import logger, trim_url
from ._models import Output, Task
from ._version import __version__

__all__ = ["download_async", "download_sync", "elide_blobs", "plan_targets", "sidecar_data"]

ProgressFn = Callable[[int, "int | None"], None]
_EXPIRED = frozenset({403, 404, 410})
_SECRET_KEY = re.compile(r"(?i)(api_?key|secret|token|authorization|password|access_key)")
_B64 = re.compile(r"^[A-Za-z0-9+/=\s_-]+$")


class _Expired(Exception):
    """The URL answered 403/404/410: ask Kling for a fresh one."""


class _Incomplete(Exception):
    """The body ended before Content-Length: resume with Range."""


# --- pure helpers -----------------------------------------------------------------------------------


def _is_blob(value: str) -> bool:
    if value.startswith("data:") and ";base64," in value[:100]:
        return True
    return (
        len(value) >= C.SIDECAR_BLOB_MIN
        and not value.startswith(("http://", "https://"))
        and bool(_B64.match(value[:4096]))
    )


def _blob_size(value: str) -> int:
    payload = value.split(",", 1)[1] if value.startswith("data:") else value
    try:
        return len(base64.b64decode(payload, validate=False))
    except (binascii.Error, ValueError):
        return len(payload) * 3 // 4


def elide_blobs(obj: Any) -> Any:
    """A JSON-safe copy of ``obj`` with base64 blobs replaced by ``<base64 N bytes>``, bytes by
    ``<bytes N>``, and credential-like keys dropped."""
    if isinstance(obj, Mapping):
        return {str(k): elide_blobs(v) for k, v in obj.items() if not _SECRET_KEY.search(str(k))}
    if isinstance(obj, (list, tuple)):
        return [elide_blobs(v) for v in obj]
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return f"<bytes {len(obj)}>"
    if isinstance(obj, str):
        return f"<base64 {_blob_size(obj)} bytes>" if _is_blob(obj) else obj
    if obj is None or isinstance(obj, (bool, int, float)):
        return obj
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    return repr(obj)[:200]


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


def plan_targets(task: Task, dest: str | os.PathLike[str]) -> list[tuple[Output, Path]]:
    """Where each downloadable output goes.

    ``dest`` is a directory when it exists as one or has no suffix: files are named
    ``<task_id>.<ext>`` (one output) or ``<task_id>_<index>.<ext>``. Otherwise it is a file path; with
    several outputs the index is added to its stem.
    """
    outputs = [o for o in task.outputs if o.url]
    path = Path(dest).expanduser()
    as_dir = path.is_dir() or (not path.suffix and not path.exists())
    safe_id = re.sub(r"[^A-Za-z0-9._-]", "_", task.id or "task")
    targets = []
    for out in outputs:
        ext = out.format or "bin"
        if as_dir:
            name = f"{safe_id}.{ext}" if len(outputs) == 1 else f"{safe_id}_{out.index}.{ext}"
            targets.append((out, path / name))
        elif len(outputs) == 1:
            targets.append((out, path))
        else:
            targets.append((out, path.with_name(f"{path.stem}_{out.index}.{ext}")))
    return targets


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def sidecar_data(task: Task, output: Output, path: Path, nbytes: int) -> dict[str, Any]:
    """The JSON sidecar for one downloaded file."""
    params = elide_blobs(task.params)
    return {
        "task_id": task.id,
        "external_id": task.external_id,
        "feature": task.feature,
        "family": task.family,
        "model": task.model or params.get("model_name") or params.get("model"),
        "mode": params.get("mode") or params.get("resolution"),
        "duration": params.get("duration"),
        "prompt": params.get("prompt"),
        "params": params,
        "status": task.status.value,
        "message": task.message,
        "units": task.units,
        "created_at": _iso(task.created_at),
        "updated_at": _iso(task.updated_at),
        "output": {
            "kind": output.kind,
            "index": output.index,
            "id": output.id,
            "format": output.format,
            "duration": output.duration,
            "source_url": trim_url(output.url) if output.url else None,
        },
        "file": path.name,
        "bytes": nbytes,
        "downloaded_at": datetime.now(timezone.utc).isoformat(),
        "klingkit": __version__,
    }


def _sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _write_sidecar(task: Task, output: Output, path: Path) -> None:
    data = sidecar_data(task, output, path, path.stat().st_size)
    tmp = path.with_name(path.name + ".json.part")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, _sidecar_path(path))


def _already_there(task: Task, path: Path, force: bool) -> bool:
    if force or not path.exists():
        return False
    side = _sidecar_path(path)
    if side.exists():
        try:
            other = json.loads(side.read_text(encoding="utf-8")).get("task_id")
        except (OSError, ValueError):
            other = None
        if other not in (None, task.id):
            raise DownloadError(
                f"{path} exists and belongs to task {other}; pass force=True to overwrite it", task_id=task.id
            )
    return path.stat().st_size > 0


class _State:
    """Byte accounting of one file across resumes (pure)."""

    def __init__(self, part: Path, on_progress: ProgressFn | None, max_bytes: int) -> None:
        self.part = part
        self.done = part.stat().st_size if part.exists() else 0
        self.total: int | None = None
        self.on_progress = on_progress
        self.max_bytes = max_bytes

    def request_headers(self) -> dict[str, str]:
        return {"Range": f"bytes={self.done}-"} if self.done else {}

    def on_headers(self, status: int, headers: Mapping[str, str], url: str) -> str:
        """``append`` or ``truncate`` the .part file; raises _Expired or DownloadError."""
        if status in _EXPIRED:
            raise _Expired()
        if status == 416 and self.total is not None and self.done >= self.total:
            return "append"
        length = headers.get("content-length")
        if status == 206:
            m = re.match(r"bytes (\d+)-\d+/(\d+|\*)", headers.get("content-range", ""))
            if m and int(m.group(1)) == self.done:
                self.total = int(m.group(2)) if m.group(2) != "*" else None
                mode = "append"
            else:
                raise DownloadError(
                    f"server sent a range that does not match the file so far: {trim_url(url)}"
                )
        elif 200 <= status < 300:
            self.done = 0
            self.total = int(length) if length and length.isdigit() else None
            mode = "truncate"
        else:
            raise DownloadError(f"HTTP {status} while downloading {trim_url(url)}", url=trim_url(url))
        if self.total is not None and self.total > self.max_bytes:
            raise DownloadError(
                f"{trim_url(url)} is {self.total} bytes, over the {self.max_bytes}-byte cap",
                url=trim_url(url),
            )
        return mode

    def add(self, n: int, url: str) -> None:
        self.done += n
        if self.done > self.max_bytes:
            raise DownloadError(f"{trim_url(url)} exceeds the {self.max_bytes}-byte cap", url=trim_url(url))
        if self.on_progress is not None:
            self.on_progress(self.done, self.total)

    def check_complete(self) -> None:
        if self.total is not None and self.done < self.total:
            raise _Incomplete()
        if self.total is not None and self.done > self.total:
            raise DownloadError(f"got {self.done} bytes, more than the announced {self.total}")


def _finish(part: Path, target: Path) -> None:
    os.replace(part, target)
    if hasattr(os, "O_DIRECTORY"):  # make the rename durable; best effort
        try:
            fd = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)


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


def new_download_client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """An HTTP client without credentials, with redirect and time caps."""
    return httpx.Client(transport=transport, **_client_options())


def new_async_download_client(transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """The async twin of :func:`new_download_client`."""
    return httpx.AsyncClient(transport=transport, **_client_options())


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

    def __init__(self, output: Output, target: Path, url: str, state: _State) -> None:
        self.output = output
        self.target = target
        self.part = state.part
        self.state = state
        self.url = url
        self.failures = 0

    def headers(self) -> dict[str, str]:
        return self.state.request_headers()

    @contextmanager
    def sink(self, status: int, headers: Mapping[str, str]) -> Iterator[Callable[[bytes], None]]:
        """Open the ``.part`` file as the answer's headers say; yields a chunk writer and fsyncs when the
        body was read whole (raises _Expired or DownloadError before opening)."""
        mode = self.state.on_headers(status, headers, self.url)
        with open(self.part, "ab" if mode == "append" else "wb") as f:

            def write(chunk: bytes) -> None:
                f.write(chunk)
                self.state.add(len(chunk), self.url)

            yield write
            f.flush()
            os.fsync(f.fileno())


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
            if _already_there(self.task, target, self.force):
                self.paths.append(target)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            part = target.with_name(target.name + ".part")
            if self.force:
                part.unlink(missing_ok=True)
            state = _State(part, self.on_progress, self.max_bytes)
            yield _File(output, target, check_url(output.url, self.task.id), state)

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
        _finish(file.part, file.target)
        if self.sidecar:
            _write_sidecar(self.task, file.output, file.target)
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
        while True:
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
        while True:
            try:
                async with http.stream("GET", file.url, headers=file.headers()) as response:
                    with file.sink(response.status_code, response.headers) as write:
                        async for chunk in response.aiter_bytes():
                            write(chunk)
                file.state.check_complete()
                break
            except _Expired:
                run.expired(file)
                run.fresh(file, await refresh())
            except (httpx.TransportError, _Incomplete) as exc:
                await sleep(run.dropped(file, exc))
        run.finished(file)
    return run.paths


def _merge(old: Task, new: Task) -> Task:
    """A re-queried task keeps what only the client knew (params, feature, model)."""
    new.params = new.params or old.params
    new.feature = new.feature or old.feature
    new.family = new.family or old.family
    new.model = new.model or old.model
    new.external_id = new.external_id or old.external_id
    return new
