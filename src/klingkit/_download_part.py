"""Resumable ``.part`` files of a download: what a leftover part belongs to (task, output, length,
ETag), the byte accounting across resumes and the final durable rename.

A ``.part`` of another task is discarded, never completed as ours; a complete one is renamed without a
request; a 416 answer restarts the file from byte 0 once.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ._exceptions import DownloadError
from ._logging import trim_url
from ._models import Output, Task

ProgressFn = Callable[[int, "int | None"], None]
_EXPIRED = frozenset({403, 404, 410})


class _Expired(Exception):
    """The URL answered 403/404/410: ask Kling for a fresh one."""


class _Incomplete(Exception):
    """The body ended before Content-Length: resume with Range."""


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
