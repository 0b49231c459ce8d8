"""``Kling`` and ``AsyncKling``: the two clients, built from the shared base and the resource twins.

The pure parts live elsewhere, once: configuration and request helpers in ``_base``, status planning in
``_status``, wait bookkeeping in ``_wait``, create recovery in ``_create``; the tasks and account resources
in ``_tasks``, ``_tasks_async`` and ``_account``. These classes only wire them to an HTTP client and a
sleep; a parity test keeps their public signatures identical.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from . import _constants as C
from ._account import Account, AsyncAccount
from ._base import _BaseKling
from ._create import new_external_id, submit_async, submit_sync
from ._download import (
    ProgressFn,
    download_async,
    download_sync,
    new_async_download_client,
    new_download_client,
)
from ._drive import AsyncDriver, SyncDriver
from ._localca import verify_for
from ._models import Task
from ._tasks import Tasks
from ._tasks_async import AsyncTasks
from ._transport import AsyncTransport, SyncTransport

__all__ = ["Account", "AsyncAccount", "AsyncKling", "AsyncTasks", "Kling", "Tasks", "new_external_id"]


class Kling(_BaseKling):
    """The Kling API client (blocking). See the module docs of :mod:`klingkit` for an example.

    Credentials: arguments > environment > config file. ``timeout`` is per HTTP request (s), ``max_wait``
    bounds a whole wait (s), ``poll_interval`` fixes the spacing of status checks (s; by default they follow
    each task's typical time from the catalog).
    ``transport`` lets tests pass ``httpx.MockTransport``; ``clock`` (Unix seconds) and ``sleep`` are
    injectable too.
    """

    def __init__(
        self,
        api_key: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        base_url: str | None = None,
        region: str | None = None,
        timeout: float | httpx.Timeout = C.DEFAULT_TIMEOUT,
        max_retries: int = C.DEFAULT_MAX_RETRIES,
        max_wait: float | None = C.DEFAULT_MAX_WAIT,
        poll_interval: float | None = None,
        strict: bool = False,
        transport: Any = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Any] | None = None,
    ) -> None:
        super().__init__(api_key, access_key, secret_key, base_url, region, timeout, max_retries, max_wait,
                         poll_interval, strict, clock)  # fmt: skip
        self._custom_sleep = sleep is not None
        self._sleep: Callable[[float], Any] = sleep or time.sleep
        verify = verify_for(self.base_url)  # the https sandbox's local CA, for loopback hosts only
        self._http = httpx.Client(base_url=self.base_url, timeout=self.timeout, transport=transport,
                                  headers=self._headers, follow_redirects=False, verify=verify)  # fmt: skip
        self._download_http = new_download_client(transport, verify)
        self._transport = SyncTransport(self._http, self._auth, self._ctx, sleep=self._sleep,
                                        max_retries=max_retries, now=clock, rand=lambda: self._rand())  # fmt: skip
        self._driver = SyncDriver(self, self._hub)
        self.tasks = Tasks(self)
        self.account = Account(self)
        from ._resources import Audio, Images, Videos  # the endpoint layer (imports the catalog rules)

        self.videos = Videos(self)
        self.images = Images(self)
        self.audio = Audio(self)
        from ._edit import Edits
        from ._library import Elements, Voices

        self.edits = Edits(self)

        self.elements = Elements(self)
        self.voices = Voices(self)

    def submit(self, spec: Any) -> Task:
        """Create a task from a prepared request (``klingkit.prepare(...)``) and return it (finished for
        sync endpoints). An external id is set before sending; after an ambiguous failure the task is
        looked up by it and re-submitted only when Kling does not have it: never created twice."""
        return submit_sync(self, spec)

    def download(
        self,
        task: Task | str,
        dest: str | Path = ".",
        on_progress: ProgressFn | None = None,
        sidecar: bool = True,
        force: bool = False,
    ) -> list[Path]:
        """Save every output of a succeeded task under ``dest`` (a directory, or a file path for a single
        output) and return the paths. Atomic and resumable; the file host never sees credentials;
        ``on_progress(bytes_done, total_or_None)``; a JSON sidecar ``<file>.json`` is written unless
        ``sidecar=False``; existing files are kept unless ``force``."""
        current = task if isinstance(task, Task) else self.tasks.get(task)
        if not current.succeeded:
            current = self.tasks.get(current)
        return download_sync(self._download_http, current, dest, refresh=lambda: self.tasks.get(current),
                             on_progress=on_progress, sidecar=sidecar, force=force,
                             sleep=self._sleep)  # fmt: skip

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()
        self._download_http.close()

    def __enter__(self) -> Kling:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


async def _asleep(delay: float) -> None:
    await asyncio.sleep(delay)


class AsyncKling(_BaseKling):
    """The Kling API client for asyncio; the same API as :class:`Kling`, with ``await``."""

    def __init__(
        self,
        api_key: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        base_url: str | None = None,
        region: str | None = None,
        timeout: float | httpx.Timeout = C.DEFAULT_TIMEOUT,
        max_retries: int = C.DEFAULT_MAX_RETRIES,
        max_wait: float | None = C.DEFAULT_MAX_WAIT,
        poll_interval: float | None = None,
        strict: bool = False,
        transport: Any = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[Any]] | None = None,
    ) -> None:
        super().__init__(api_key, access_key, secret_key, base_url, region, timeout, max_retries, max_wait,
                         poll_interval, strict, clock)  # fmt: skip
        self._custom_sleep = sleep is not None
        self._sleep: Callable[[float], Awaitable[Any]] = sleep or _asleep
        verify = verify_for(self.base_url)  # the https sandbox's local CA, for loopback hosts only
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout, transport=transport,
                                       headers=self._headers, follow_redirects=False, verify=verify)  # fmt: skip
        self._download_http = new_async_download_client(transport, verify)
        self._transport = AsyncTransport(self._http, self._auth, self._ctx, sleep=self._sleep,
                                         max_retries=max_retries, now=clock, rand=lambda: self._rand())  # fmt: skip
        self._driver = AsyncDriver(self, self._hub)
        self.tasks = AsyncTasks(self)
        self.account = AsyncAccount(self)
        from ._resources import AsyncAudio, AsyncImages, AsyncVideos

        self.videos = AsyncVideos(self)
        self.images = AsyncImages(self)
        self.audio = AsyncAudio(self)
        from ._edit import AsyncEdits
        from ._library import AsyncElements, AsyncVoices

        self.edits = AsyncEdits(self)

        self.elements = AsyncElements(self)
        self.voices = AsyncVoices(self)

    async def submit(self, spec: Any) -> Task:
        """Create a task from a prepared request (``klingkit.prepare(...)``) and return it (finished for
        sync endpoints). An external id is set before sending; after an ambiguous failure the task is
        looked up by it and re-submitted only when Kling does not have it: never created twice."""
        return await submit_async(self, spec)

    async def download(
        self,
        task: Task | str,
        dest: str | Path = ".",
        on_progress: ProgressFn | None = None,
        sidecar: bool = True,
        force: bool = False,
    ) -> list[Path]:
        """Save every output of a succeeded task under ``dest`` (a directory, or a file path for a single
        output) and return the paths. Atomic and resumable; the file host never sees credentials;
        ``on_progress(bytes_done, total_or_None)``; a JSON sidecar ``<file>.json`` is written unless
        ``sidecar=False``; existing files are kept unless ``force``."""
        current = task if isinstance(task, Task) else await self.tasks.get(task)
        if not current.succeeded:
            current = await self.tasks.get(current)

        async def refresh() -> Task:
            return await self.tasks.get(current)

        async def sleep(delay: float) -> None:
            await self._sleep(delay)

        return await download_async(self._download_http, current, dest, refresh=refresh,
                                    on_progress=on_progress, sidecar=sidecar, force=force,
                                    sleep=sleep)  # fmt: skip

    async def close(self) -> None:
        """Close the HTTP connections."""
        await self._http.aclose()
        await self._download_http.aclose()

    async def __aenter__(self) -> AsyncKling:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
