"""Downloads: atomic (``<target>.part`` + fsync + ``os.replace``), resumable (``Range``), checked against
``Content-Length``, capped in size and redirects, fetched by an HTTP client that carries no credentials.

An expired or forbidden URL (403/404/410) makes the task be queried again for fresh URLs, once. Each file
gets a JSON sidecar ``<file>.json`` describing the task (never credentials, never inline base64).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import os
import re
import ssl
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
from ._exceptions import DownloadError, OutputExistsError
from ._logging import logger, trim_url
from ._models import Output, Task
from ._version import __version__

__all__ = [
    "OutputExistsError",
    "clear_foreign",
    "download_async",
    "download_sync",
    "elide_blobs",
    "plan_targets",
    "sidecar_data",
]

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


def _write_sidecar(task: Task, output: Output, path: Path, nbytes: int) -> None:
    data = sidecar_data(task, output, path, nbytes)
    tmp = path.with_name(path.name + ".json.part")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, _sidecar_path(path))


def _owner(path: Path) -> tuple[bool, str | None]:
    """(has a readable sidecar, the task id it names)."""
    try:
        data = json.loads(_sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False, None
    other = data.get("task_id") if isinstance(data, dict) else None
    return isinstance(other, str), other if isinstance(other, str) else None


def _already_there(task: Task, path: Path, force: bool, sidecar: bool) -> bool:
    """True when ``path`` already holds this task's output; raises OutputExistsError when it holds
    something else (never overwritten without ``force``)."""
    if force or not path.exists():
        return False
    known, other = _owner(path)
    if known and other != task.id:
        raise OutputExistsError(
            f"{path} already exists and belongs to task {other}; it was left untouched",
            path=path,
            task_id=task.id,
        )
    if not known and sidecar:
        # No sidecar: the user's own file (or one saved without a sidecar). Never taken for ours.
        raise OutputExistsError(
            f"{path} already exists and is not a saved output of task {task.id}; it was left untouched",
            path=path,
            task_id=task.id,
        )
    return path.stat().st_size > 0


def clear_foreign(task: Task, dest: str | os.PathLike[str]) -> list[Path]:
    """Delete target files under ``dest`` that are not outputs of ``task`` (the ``--force`` choice), so
    that a later download writes there; this task's own files are kept. Returns the deleted paths."""
    removed = []
    for _output, target in plan_targets(task, dest):
        if target.is_file() and _owner(target)[1] != task.id:
            target.unlink()
            _sidecar_path(target).unlink(missing_ok=True)
            removed.append(target)
    return removed


def _part_info_path(part: Path) -> Path:
    return part.with_name(part.name + "-info")


def _part_identity(task: Task, output: Output) -> dict[str, Any]:
    return {"task_id": task.id, "output_id": output.id, "index": output.index, "kind": output.kind}


def _load_part(part: Path, identity: Mapping[str, Any]) -> dict[str, Any] | None:
    """What a leftover ``.part`` says it is; the part (and its info) are deleted unless they belong to
    this very output (a ``.part`` of another task must never be completed as ours)."""
    info_path = _part_info_path(part)
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        info = None
    ok = isinstance(info, dict) and all(info.get(k) == v for k, v in identity.items())
    if ok and part.is_file():
        return dict(info)
    if part.is_file() or (part.exists() and not part.is_dir()):
        part.unlink()
    info_path.unlink(missing_ok=True)
    return None


class _State:
    """Byte accounting of one file across resumes (pure)."""

    def __init__(self, part: Path, on_progress: ProgressFn | None, max_bytes: int,
                 info: Mapping[str, Any] | None = None) -> None:  # fmt: skip
        self.part = part
        self.done = part.stat().st_size if part.is_file() else 0
        total = (info or {}).get("total")
        self.total: int | None = total if isinstance(total, int) else None
        etag = (info or {}).get("etag")
        self.etag: str | None = etag if isinstance(etag, str) else None
        self.on_progress = on_progress
        self.max_bytes = max_bytes

    @property
    def complete(self) -> bool:
        """The ``.part`` already holds every announced byte: verify and rename, request nothing."""
        return self.total is not None and self.done == self.total and self.done > 0

    def request_headers(self) -> dict[str, str]:
        if not self.done:
            return {}
        headers = {"Range": f"bytes={self.done}-"}
        if self.etag:
            headers["If-Range"] = self.etag  # a changed file comes back whole (200), not spliced
        return headers

    def on_headers(self, status: int, headers: Mapping[str, str], url: str) -> str:
        """``append`` or ``truncate`` the .part file; raises _Expired, _Incomplete or DownloadError."""
        if status in _EXPIRED:
            raise _Expired()
        if status == 416:
            # Our Range is past the file's end: the .part is not a prefix of this file. Start again
            # from byte 0 instead of asking the same range forever.
            self.done, self.total, self.etag = 0, None, None
            self.part.unlink(missing_ok=True)
            raise _Incomplete()
        length = headers.get("content-length")
        self.etag = headers.get("etag") or self.etag
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
