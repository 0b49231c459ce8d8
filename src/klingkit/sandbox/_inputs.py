"""Which fields of a create body may hold a media URL, route by route, with the catalog's limits for each.

A field is a path into the body (``("contents", "*", "url")``, ``*`` for each item of a list) and, for the
2026 ``contents[]``, the item types it applies to. ``_fetch`` fetches what these paths hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from klingkit import catalog
from klingkit.catalog import drive, image4, kling4, library, multishot

Path = tuple[str | int, ...]  # a path into the body; "*" stands for each item of a list
Seconds = tuple[float, float]


@dataclass(frozen=True)
class Input:
    """A media field that may hold a URL.

    ``types``: only list items whose ``type`` is one of these (the 2026 ``contents[]``). ``aspect``:
    images have their aspect ratio checked (the reference states none for end frames and try-on).
    ``seconds``: the allowed length of a video or audio (the catalog's), or a function of the body when
    it depends on another field. ``inline``: the fetched bytes replace the URL in the body, so the route
    plans the task exactly as for base64 (else the URL stays, and a video's probe shapes the plan).
    """

    path: Path
    kind: str = "image"  # image | video | audio
    types: tuple[str, ...] = ()
    aspect: bool = True
    seconds: Seconds | Callable[[Any], Seconds] | None = None
    inline: bool = True
    max_bytes: int = catalog.IMAGE_MAX_BYTES
    formats: tuple[str, ...] = catalog.IMAGE_FORMATS

    def limits(self, body: Any) -> Seconds | None:
        return self.seconds(body) if callable(self.seconds) else self.seconds


def _video(
    path: Path,
    seconds: Seconds | Callable[[Any], Seconds],
    *,
    types: tuple[str, ...] = (),
    inline: bool = True,
    max_bytes: int = catalog.VIDEO_INPUT_MAX_BYTES,
) -> Input:
    return Input(path, "video", types, seconds=seconds, inline=inline, max_bytes=max_bytes)


def _audio(path: Path, seconds: Seconds | None = None, *, inline: bool = True) -> Input:
    return Input(path, "audio", seconds=seconds, inline=inline, max_bytes=catalog.AUDIO_MAX_BYTES)


CONTENT_URL: Path = ("contents", "*", "url")


def _content_image(*types: str, aspect: bool = True, max_bytes: int = catalog.IMAGE_MAX_BYTES_NEW) -> Input:
    """An image in the 2026 ``contents[]`` (up to the 2026 routes' larger size)."""
    return Input(CONTENT_URL, types=types, aspect=aspect, max_bytes=max_bytes)


def _motion_seconds(new: bool) -> Callable[[Any], Seconds]:
    """The reference video's length range, which depends on ``character_orientation``."""

    def limits(body: Any) -> Seconds:
        orientation = drive.motion_fields(body, new).get("orientation") or "image"
        return drive.MOTION_VIDEO_SECONDS.get(orientation, drive.MOTION_VIDEO_SECONDS["video"])

    return limits


INPUTS: dict[str, tuple[Input, ...]] = {
    "image2video": (Input(("image",)), Input(("image_tail",), aspect=False)),
    "multi-image2video": (Input(("image_list", "*", "image")),),
    "images/generations": (Input(("image",)),),
    "multi-image2image": (
        Input(("subject_image_list", "*", "subject_image")),
        Input(("scene_image",)),
        Input(("style_image",)),
    ),
    "editing/expand": (Input(("image",)),),
    "kolors-virtual-try-on": (Input(("human_image",), aspect=False), Input(("cloth_image",), aspect=False)),
    "effects": (Input(("input", "image")), Input(("input", "images", "*"))),
    "omni-image": (Input(("image_list", "*", "image")),),
    "omni-video": (
        Input(("image_list", "*", "image_url")),
        _video(("video_list", "*", "video_url"), catalog.OMNI_REFERENCE_VIDEO_SECONDS),
    ),
    "lip-sync": (
        _video(("input", "video_url"), catalog.LIPSYNC_VIDEO_SECONDS, inline=False),
        _audio(("input", "audio_url"), inline=False),
    ),
    "identify-face": (_video(("video_url",), catalog.IDENTIFY_FACE_VIDEO_SECONDS, inline=False),),
    "advanced-lip-sync": (_audio(("face_choose", "*", "sound_file"), catalog.LIPSYNC_SOUND_SECONDS),),
    "video-to-audio": (_video(("video_url",), catalog.VIDEO_TO_AUDIO_DURATION, inline=False),),
    # The 2026 routes: kling-3.0 and Kling 4.0 share the paths and differ in their contents types.
    "image-to-video": (
        _content_image("first_frame", "middle_frame"),
        _content_image("last_frame", aspect=False),
    ),
    "omni-video-new": (
        _content_image("first_frame", "refer_image"),
        _content_image("last_frame", aspect=False),
        _video(CONTENT_URL, catalog.OMNI_REFERENCE_VIDEO_SECONDS, types=("video",)),
        _video(
            CONTENT_URL,
            kling4.VIDEO_SECONDS,
            types=("feature_video", "base_video"),
            max_bytes=kling4.VIDEO_MAX_BYTES,
        ),
    ),
    "virtual_try_on": (
        Input(
            CONTENT_URL,
            types=("product_image", "person_image"),
            aspect=False,
            formats=catalog.TRYON_SOLUTION_FORMATS,
        ),
    ),
    # Late 2026: the avatar lasts as long as its audio; motion control as long as its reference video.
    "avatar": (Input(("image",)), _audio(("sound_file",), drive.AVATAR_AUDIO_SECONDS)),
    "motion-control": (Input(("image_url",)), _video(("video_url",), _motion_seconds(new=False))),
    "motion-control-new": (
        _content_image("image", max_bytes=catalog.IMAGE_MAX_BYTES),
        _video(CONTENT_URL, _motion_seconds(new=True), types=("video",)),
    ),
    "omni-image-new": (
        _content_image(
            "refer_image", "style_refer_image", "subject_refer_image", max_bytes=image4.IMAGE_MAX_BYTES
        ),
    ),
    "image-recognize": (Input(("image",)),),
    "ai-multi-shot": (Input((multishot.IMAGE_FIELD,)),),
    # An element keeps its reference URLs and a voice its sample URL, so these are checked, not inlined.
    "custom-elements": (Input(("references", "*", "image_url"), inline=False),),
    "custom-voices": (_audio(("audio_url",), library.VOICE_SAMPLE_SECONDS, inline=False),),
}


def get(body: Any, path: Path) -> Any:
    """The value at ``path`` (concrete: no ``*``), or None."""
    for key in path:
        if isinstance(key, int):
            body = body[key] if isinstance(body, list) and key < len(body) else None
        elif isinstance(body, dict):
            body = body.get(key)
        else:
            return None
    return body


def _expand(body: Any, path: Path) -> list[Path]:
    """The concrete paths a path with ``*`` stands for in ``body``."""
    if "*" not in path:
        return [path]
    star = path.index("*")
    items = get(body, path[:star])
    if not isinstance(items, list):
        return []
    return [p for i in range(len(items)) for p in _expand(body, (*path[:star], i, *path[star + 1 :]))]


def set_copy(body: Any, path: Path, value: Any) -> Any:
    """A copy of ``body`` with ``path`` set (the original is left as the client sent it)."""
    head, *rest = path
    copy: Any = list(body) if isinstance(body, list) else dict(body)
    copy[head] = set_copy(copy[head], tuple(rest), value) if rest else value
    return copy


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def url_fields(feature: str, body: Any) -> list[tuple[Path, Input]]:
    """Every (concrete path, field) of a create ``body`` on ``feature``'s route that holds a URL."""
    found = []
    for spec in INPUTS.get(feature, ()):
        for path in _expand(body, spec.path):
            item = get(body, path[:-1])
            if spec.types and not (isinstance(item, dict) and item.get("type") in spec.types):
                continue
            if _is_url(get(body, path)):
                found.append((path, spec))
    return found
