"""Driven video: avatars (a portrait driven by audio) and motion control (a character driven by a video).

Sources: ``kling-api.md`` §2.14 (paths, avatar fields; H for the paths, M for the fields), §7.2 (prices,
H), ``kling-2026-h2.md`` §3. Motion control's body is not in the reference: the field names below follow
the platforms that mirror Kling's shape (``image_url``, ``video_url``, ``character_orientation``,
``keep_original_sound``; confidence L), and so do its limits. These are the facts; the rules that read
them are the tables of :mod:`klingkit.catalog.rules._drive`, which the client and the sandbox both run
through ``catalog.check``, so they cannot disagree.

Avatar: ``POST /v1/videos/avatar/image2video`` {``image``, ``audio_id`` XOR ``sound_file`` (2-300 s),
``prompt``, ``mode`` std|pro}; the video lasts as long as the audio; 0.4 (std) / 0.8 (pro) units a second.

Motion control: ``POST /v1/videos/motion-control`` {``model_name`` kling-v2-6|kling-v3, ``image_url``,
``video_url``, ``prompt``, ``mode`` std|pro, ``character_orientation`` image|video,
``keep_original_sound`` yes|no} and the 2026 ``POST /motion-control/kling-3.0`` {``contents[]`` of
``prompt``/``image``/``video`` items, ``settings{resolution, character_orientation,
keep_original_sound}``, ``options``}; the video has the reference video's length; not at 4K; priced per
second from the "motion control" rows (v3 0.9/1.2, v2-6 0.5/0.8 units/s at 720p/1080p).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._types import Endpoint

__all__ = [
    "AVATAR",
    "MOTION",
    "MOTION_MODELS",
    "MOTION_NEW",
]

AVATAR = Endpoint("avatar", "/v1/videos/avatar/image2video", "legacy", "video", "video")
MOTION = Endpoint("motion-control", "/v1/videos/motion-control", "legacy", "video", "video")
MOTION_NEW = Endpoint("motion-control-new", "/motion-control", "new", "video", "video", model_in_path=True)
ENDPOINTS = (AVATAR, MOTION, MOTION_NEW)

AVATAR_MODES = ("std", "pro")
AVATAR_DEFAULT_MODE = "std"  # an avatar request without a mode (M)
AVATAR_UNITS_PER_SECOND = {"std": 0.4, "pro": 0.8}  # §7.2, H
AVATAR_AUDIO_SECONDS = (2.0, 300.0)  # §2.14, M
AVATAR_PROMPT_MAX = 2500  # the legacy prompt limit (assumed; the avatar page is not in the reference)
AVATAR_FPS = 24  # L


@dataclass(frozen=True)
class MotionModel:
    """A model that motion control accepts; ``units_per_second`` by resolution (§7.2)."""

    name: str
    route: str  # "legacy" (model_name in the body) or "new" (model in the path)
    units_per_second: dict[str, float]


MOTION_MODELS: dict[str, MotionModel] = {
    m.name: m
    for m in (
        MotionModel("kling-v2-6", "legacy", {"720p": 0.5, "1080p": 0.8}),
        MotionModel("kling-v3", "legacy", {"720p": 0.9, "1080p": 1.2}),
        MotionModel("kling-3.0", "new", {"720p": 0.9, "1080p": 1.2}),
    )
}
MOTION_DEFAULT_MODEL = "kling-v2-6"
MOTION_MODES = {"std": "720p", "pro": "1080p"}
MOTION_ORIENTATIONS = ("image", "video")
# The reference video's length (L): up to 10 s when the character keeps the image's orientation, 30 s
# when it follows the video's.
MOTION_VIDEO_SECONDS = {"image": (3.0, 10.0), "video": (3.0, 30.0)}
MOTION_PROMPT_MAX = 2500
KEEP_SOUND = ("yes", "no")


def _motion_model(name: str | None, new: bool) -> MotionModel | None:
    model = MOTION_MODELS.get(name or ("kling-3.0" if new else MOTION_DEFAULT_MODEL))
    if model is None or (model.route == "new") != new:
        return None
    return model


def motion_resolution(body: Mapping[str, Any], new: bool) -> str:
    """The output resolution a motion-control body asks for (std/720p by default)."""
    if new:
        settings = body.get("settings") or {}
        return str(settings.get("resolution") or "720p") if isinstance(settings, Mapping) else "720p"
    return MOTION_MODES.get(str(body.get("mode") or "std"), "720p")


def motion_fields(body: Mapping[str, Any], new: bool) -> dict[str, Any]:
    """The motion-control fields of either shape, flat: image, video, prompt, orientation, keep_sound."""
    if not new:
        return {
            "image": body.get("image_url"),
            "video": body.get("video_url"),
            "prompt": body.get("prompt"),
            "orientation": body.get("character_orientation"),
            "keep_sound": body.get("keep_original_sound"),
        }
    flat: dict[str, Any] = {}
    contents = body.get("contents")
    for item in contents if isinstance(contents, list) else []:
        if isinstance(item, Mapping) and item.get("type") in ("image", "video"):
            flat[str(item["type"])] = item.get("url")
        elif isinstance(item, Mapping) and item.get("type") == "prompt":
            flat["prompt"] = item.get("text")
    settings = body.get("settings") or {}
    if isinstance(settings, Mapping):
        flat["orientation"] = settings.get("character_orientation")
        flat["keep_sound"] = settings.get("keep_original_sound")
    return flat
