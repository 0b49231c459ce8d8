"""The shared pieces of the endpoint parameters (:mod:`klingkit._params`): media inputs, the enums
that mirror the catalog, and the small objects several endpoints take (camera, elements, voices).
No ``from __future__ import annotations`` here: the TypedDicts are read at run time."""

import os
from typing import TYPE_CHECKING, Literal, TypeAlias, Union

from typing_extensions import Required, TypedDict

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

MediaInput: TypeAlias = Union[str, bytes, "os.PathLike[str]", "PILImage"]
"""A path, raw bytes, an http(s) URL, a PIL image or a base64 string."""

Mode = Literal["std", "pro", "4k", "standard", "professional"]
"""Quality mode: ``std`` (720p), ``pro`` (1080p), ``4k`` (kling-v3); the long spellings are aliases."""
AspectRatio = Literal["16:9", "9:16", "1:1"]
ImageAspectRatio = Literal["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9"]
OmniImageAspectRatio = Literal["16:9", "9:16", "1:1", "4:3", "3:4", "3:2", "2:3", "21:9", "auto"]
Sound = Literal["on", "off"]
NewAudio = Literal["native", "off"]
Resolution = Literal["720p", "1080p", "4k"]
ImageResolution = Literal["1k", "2k", "4k"]
CameraType = Literal["simple", "down_back", "forward_up", "right_turn_forward", "left_turn_forward"]
ShotType = Literal["customize", "intelligence"]
ImageReference = Literal["subject", "face"]
VoiceLanguage = Literal["zh", "en"]
LipSyncMode = Literal["text2video", "audio2video"]
LipSyncAudioType = Literal["file", "url"]
Duration = int | float | str
"""Seconds; legacy routes send it as a string (``"5"``), 2026 routes as an integer."""
BoolLike = bool | Literal["true", "false"]
"""A boolean; the strings ``"true"``/``"false"`` (as in the official multi-shot sample) are accepted."""


class WatermarkInfo(TypedDict):
    """``{"enabled": true}`` also produces a watermarked copy (``watermark_url``)."""

    enabled: bool


class CameraConfig(TypedDict, total=False):
    """Camera movement for ``type="simple"``: exactly one axis non-zero, each in [-10, 10]."""

    horizontal: float
    vertical: float
    pan: float
    tilt: float
    roll: float
    zoom: float


class CameraControl(TypedDict, total=False):
    """``type`` plus, only for ``simple``, a :class:`CameraConfig`."""

    type: Required[CameraType]
    config: CameraConfig | None


class MultiPromptItem(TypedDict, total=False):
    """One shot of a multi-shot video: ``duration`` seconds (>= 1), ``prompt`` <= 512 characters.

    ``index`` (1-based) is filled in from the position when left out.
    """

    index: int
    prompt: Required[str]
    duration: Required[Duration]


class ElementRef(TypedDict):
    """A reference to a saved element (subject), by id."""

    element_id: int | str


class VoiceRef(TypedDict):
    """A voice for voice control; the prompt refers to it as ``<<<voice_1>>>``."""

    voice_id: str


class TrajectoryPoint(TypedDict):
    """A motion-brush point in pixels, origin at the bottom-left of the image."""

    x: int
    y: int


class DynamicMask(TypedDict):
    """A motion-brush region (``mask`` image) and its path (2-77 points for 5 s)."""

    mask: MediaInput
    trajectories: list[TrajectoryPoint]


class _Common(TypedDict, total=False):
    model: str
    """Short for ``model_name`` (on the endpoints that take a model)."""
    callback_url: str
    """Where the service POSTs status changes."""
    external_task_id: str
    """Your own unique id for the task; klingkit generates one when absent."""
    watermark_info: WatermarkInfo
    """``{"enabled": True}`` also produces a watermarked copy."""
