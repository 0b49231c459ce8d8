"""``client.edits``: multi-element video editing (add, swap or remove things in a video).

The common case is one call, :meth:`Edits.edit`: open a selection session on the video, mark what to
change (points on a frame), and start the edit task. For full control the session steps are methods too:
``init``, ``add``, ``delete``, ``clear``, ``preview``, then ``create``. Facts and rules:
``klingkit.catalog.edit`` (paths H, step bodies L); the edit task costs 0.6 (std) / 1.0 (pro) units a
second; the steps are free.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._exceptions import ValidationError
from ._requests import prepare
from ._validation import refused_as_validation_error
from .catalog import edit as facts

if TYPE_CHECKING:
    from ._client import AsyncKling, Kling
    from ._models import Task

__all__ = ["AsyncEdits", "Edits"]

Point = tuple[float, float]


def _step(step: str) -> str:
    return facts.STEP_PATH.format(step=step)


def _init_body(video: str) -> dict[str, Any]:
    """A video id (digits, from an earlier Kling task) or an http(s) URL."""
    if video.startswith(("http://", "https://")):
        return {"video_url": video}
    if not video:
        raise ValidationError("video", video, "a Kling video id or an http(s) URL")
    return {"video_id": video}


def _points_body(session_id: str, frame: int, points: Sequence[Point]) -> dict[str, Any]:
    body = {"session_id": session_id, "frame_index": frame,
            "points": [{"x": float(x), "y": float(y)} for x, y in points]}  # fmt: skip
    refusals = facts.check_points(body)
    if refusals:
        raise refused_as_validation_error(refusals[0])
    return body


class Edits:
    """Multi-element editing (blocking): ``client.edits``."""

    def __init__(self, client: Kling) -> None:
        self._client = client

    def _post(self, step: str, body: dict[str, Any]) -> dict[str, Any]:
        env = self._client._transport.request("POST", _step(step), json=body, family="legacy")
        return dict(env.data or {})

    def init(self, video: str) -> dict[str, Any]:
        """Open a selection session on ``video`` (a Kling video id or URL): ``{session_id, frames, fps}``."""
        return self._post("init-selection", _init_body(video))

    def add(self, session_id: str, frame: int, points: Sequence[Point]) -> dict[str, Any]:
        """Mark what to change: ``points`` (x, y as shares of width and height, 0-1) on frame ``frame``."""
        return self._post("add-selection", _points_body(session_id, frame, points))

    def delete(self, session_id: str, frame: int, points: Sequence[Point]) -> dict[str, Any]:
        """Unmark points added before."""
        return self._post("delete-selection", _points_body(session_id, frame, points))

    def clear(self, session_id: str) -> dict[str, Any]:
        """Unmark everything."""
        return self._post("clear-selection", {"session_id": session_id})

    def preview(self, session_id: str) -> dict[str, Any]:
        """What the session has marked."""
        return self._post("preview-selection", {"session_id": session_id})

    def create(self, **params: Any) -> Task:
        """The edit task: ``session_id``, ``edit_mode`` addition|swap|removal, ``prompt``, ``images``,
        ``mode`` std|pro, ``duration`` 5|10 (``/v1/videos/multi-elements``)."""
        return self._client.submit(prepare("multi_elements", strict=self._client.strict, **params))

    def edit(
        self, video: str, edit_mode: str, points: Sequence[Point] = (), frame: int = 0, **params: Any
    ) -> Task:
        """One call for the common case: open a session on ``video``, mark ``points`` on ``frame``, and
        start the ``edit_mode`` task (``prompt``, ``images``, ``mode``, ``duration`` as in :meth:`create`).
        Validated before anything is sent."""
        prepare("multi_elements", session_id="(checked)", edit_mode=edit_mode, **params)  # refuse early
        session = self.init(video)["session_id"]
        if points:
            self.add(session, frame, points)
        return self.create(session_id=session, edit_mode=edit_mode, **params)


class AsyncEdits:
    """Multi-element editing (async twin of :class:`Edits`): ``client.edits``."""

    def __init__(self, client: AsyncKling) -> None:
        self._client = client

    async def _post(self, step: str, body: dict[str, Any]) -> dict[str, Any]:
        env = await self._client._transport.request("POST", _step(step), json=body, family="legacy")
        return dict(env.data or {})

    async def init(self, video: str) -> dict[str, Any]:
        """Open a selection session on ``video`` (a Kling video id or URL): ``{session_id, frames, fps}``."""
        return await self._post("init-selection", _init_body(video))

    async def add(self, session_id: str, frame: int, points: Sequence[Point]) -> dict[str, Any]:
        """Mark what to change: ``points`` (x, y as shares of width and height, 0-1) on frame ``frame``."""
        return await self._post("add-selection", _points_body(session_id, frame, points))

    async def delete(self, session_id: str, frame: int, points: Sequence[Point]) -> dict[str, Any]:
        """Unmark points added before."""
        return await self._post("delete-selection", _points_body(session_id, frame, points))

    async def clear(self, session_id: str) -> dict[str, Any]:
        """Unmark everything."""
        return await self._post("clear-selection", {"session_id": session_id})

    async def preview(self, session_id: str) -> dict[str, Any]:
        """What the session has marked."""
        return await self._post("preview-selection", {"session_id": session_id})

    async def create(self, **params: Any) -> Task:
        """The edit task: ``session_id``, ``edit_mode`` addition|swap|removal, ``prompt``, ``images``,
        ``mode`` std|pro, ``duration`` 5|10 (``/v1/videos/multi-elements``)."""
        return await self._client.submit(prepare("multi_elements", strict=self._client.strict, **params))

    async def edit(
        self, video: str, edit_mode: str, points: Sequence[Point] = (), frame: int = 0, **params: Any
    ) -> Task:
        """One call for the common case: open a session on ``video``, mark ``points`` on ``frame``, and
        start the ``edit_mode`` task (``prompt``, ``images``, ``mode``, ``duration`` as in :meth:`create`).
        Validated before anything is sent."""
        prepare("multi_elements", session_id="(checked)", edit_mode=edit_mode, **params)  # refuse early
        session = (await self.init(video))["session_id"]
        if points:
            await self.add(session, frame, points)
        return await self.create(session_id=session, edit_mode=edit_mode, **params)
