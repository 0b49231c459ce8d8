"""The shapes of the catalog's records."""

from __future__ import annotations

from dataclasses import dataclass, field

ModeDuration = tuple[str, int]
# The most common shape of a model row, so each row in ``_models`` states only how it differs.
STD_PRO = ("std", "pro")
FIVE_TEN = (5, 10)
HD_FULL_HD = {"std": "720p", "pro": "1080p"}
END_FRAME_PRO = (("pro", 5), ("pro", 10))


@dataclass(frozen=True)
class VideoModel:
    """A legacy (``model_name``) video model and what it accepts.

    Durations are in seconds; ``price`` is units per second of output, keyed by audio variant
    (``silent``, ``audio``, ``voice``, ``video_input``) and then by mode.
    """

    name: str
    price: dict[str, dict[str, float]]
    text_to_video: bool = True
    image_to_video: bool = True
    modes: tuple[str, ...] = STD_PRO
    durations: tuple[int, ...] = FIVE_TEN
    resolution: dict[str, str] = field(default_factory=lambda: dict(HD_FULL_HD))
    fps_t2v: int = 24
    fps_i2v: int = 24
    end_frame: tuple[ModeDuration, ...] = ()
    end_frame_silent_only: bool = False
    end_frame_only: bool = False  # image_tail may be sent without image (end-frame-only generation)
    camera_t2v: tuple[ModeDuration, ...] = ()
    camera_i2v: tuple[ModeDuration, ...] = ()
    camera_types_i2v: tuple[str, ...] = ()
    motion_brush: tuple[ModeDuration, ...] = ()
    cfg_scale: bool = False
    sound_modes: tuple[str, ...] = ()
    voice_modes: tuple[str, ...] = ()
    multi_shot: bool = False
    elements: bool = False
    multi_image: bool = False
    single_mode: bool = False
    new_name: str | None = None

    @property
    def sound(self) -> bool:
        """Whether the model can generate an audio track at all."""
        return bool(self.sound_modes)

    def fps(self, image_to_video: bool) -> int:
        """Frames per second of this model's output."""
        return self.fps_i2v if image_to_video else self.fps_t2v


@dataclass(frozen=True)
class NewVideoModel:
    """A video model on the 2026 routes, addressed by name in the path (``/text-to-video/kling-3.0``)."""

    name: str
    price_row: str
    prompt_max: int
    resolutions: tuple[str, ...] = ("720p", "1080p")
    durations: tuple[int, ...] = FIVE_TEN
    audio: tuple[str, ...] = ("native", "off")
    text_to_video: bool = True
    image_to_video: bool = True
    native_audio_resolutions: tuple[str, ...] = ()
    multi_shot: bool = False
    last_frame: bool = True


@dataclass(frozen=True)
class ImageModel:
    """An image model; prices are units per output image."""

    name: str
    price_t2i: float
    price_i2i: float
    aspect_ratios: tuple[str, ...]
    text_to_image: bool = True
    image_to_image: bool = True
    resolutions: tuple[str, ...] = ("1k",)
    price_multi: float = 0
    price_4k: float = 0
    image_reference: bool = False
    fidelity: bool = False
    multi_image: bool = False
    elements: bool = False


@dataclass(frozen=True)
class Endpoint:
    """One create route.

    ``family`` is ``legacy`` (``/v1/...``, ``task_id``/``succeed``), ``new`` (model in the path, queried
    through ``/tasks``) or ``solutions`` (queried through ``/solutions``). ``pack`` is the resource-pack
    type that pays and whose concurrency the task holds; ``output`` is what the task produces.
    """

    feature: str
    path: str
    family: str
    pack: str
    output: str
    sync: bool = False
    model_in_path: bool = False
    extra: dict[str, str] = field(default_factory=dict)
