"""One task model for both API generations: ``Task``, ``Output``, ``TaskStatus``, ``Page``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, Generic, TypeVar

__all__ = ["Output", "Page", "Task", "TaskStatus"]


class TaskStatus(str, Enum):
    """Where a task is. Legacy ``succeed`` and 2026 ``succeeded`` are both ``SUCCEEDED``; a status
    klingkit does not know yet is ``UNKNOWN`` (the raw value stays in ``Task.raw``)."""

    SUBMITTED = "submitted"
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    UNKNOWN = "unknown"

    @property
    def done(self) -> bool:
        """True for ``succeeded`` and ``failed``."""
        return self in (TaskStatus.SUCCEEDED, TaskStatus.FAILED)


@dataclass
class Output:
    """One produced file. ``kind`` is ``video``/``image``/``audio``/``voice``/``element``/``face``;
    ``duration`` in seconds; ``index`` the position among the task's outputs; ``format`` the file type
    (``mp4``, ``png``, ``mp3``, ``wav``...). Output URLs expire: Kling deletes outputs after 30 days."""

    kind: str
    url: str | None = None
    watermark_url: str | None = None
    id: str | None = None
    index: int = 0
    duration: float | None = None
    format: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class Task:
    """A Kling task, whichever route created it.

    ``units`` is what Kling charged (``final_unit_deduction`` / ``billing[]``), None until known;
    ``created_at``/``updated_at`` are UTC datetimes; ``feature`` is the catalog endpoint key
    (``text2video``), ``family`` ``legacy``/``new``/``solutions``; ``params`` are the caller's parameters
    when this client created the task (blobs elided); ``raw`` is the wire object as received.
    """

    id: str
    status: TaskStatus = TaskStatus.UNKNOWN
    external_id: str | None = None
    message: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    outputs: list[Output] = field(default_factory=list)
    units: float | None = None
    parent_video: Output | None = None
    feature: str | None = None
    family: str | None = None
    model: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        """True once the task succeeded or failed."""
        return self.status.done

    @property
    def succeeded(self) -> bool:
        """True when the task succeeded."""
        return self.status is TaskStatus.SUCCEEDED

    @property
    def videos(self) -> list[Output]:
        """The video outputs."""
        return [o for o in self.outputs if o.kind == "video"]

    @property
    def images(self) -> list[Output]:
        """The image outputs."""
        return [o for o in self.outputs if o.kind == "image"]

    @property
    def audios(self) -> list[Output]:
        """The audio outputs (an mp3 and a wav of the same audio are two outputs)."""
        return [o for o in self.outputs if o.kind == "audio"]


T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """One page of a listing. ``next_cursor`` (cursor lists) or ``page`` + 1 (legacy lists) gets the next
    one; ``has_more`` is a best guess for legacy lists (a full page)."""

    items: list[T]
    page: int | None = None
    page_size: int | None = None
    next_cursor: str | None = None
    has_more: bool = False
    count: int | None = None
