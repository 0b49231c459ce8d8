"""The parameters of the image, try-on and sound endpoints: one ``TypedDict`` per endpoint
(conventions in :mod:`klingkit._params`)."""

from typing import Literal

from typing_extensions import Required, TypedDict

from ._params_common import (
    ElementRef,
    ImageAspectRatio,
    ImageReference,
    ImageResolution,
    MediaInput,
    OmniImageAspectRatio,
    VoiceLanguage,
    _Common,
)


class ImageGenerationParams(_Common, total=False):
    """``POST /v1/images/generations``: text-to-image, or image-to-image with ``image``."""

    model_name: str
    prompt: Required[str]
    negative_prompt: str
    """Not with ``image``."""
    image: MediaInput
    image_reference: ImageReference
    image_fidelity: float
    """0..1."""
    human_fidelity: float
    """0..1; only with ``image_reference="subject"``."""
    element_list: list[ElementRef]
    resolution: ImageResolution
    n: int
    """1..9 images."""
    aspect_ratio: ImageAspectRatio


class MultiImageToImageParams(_Common, total=False):
    """``POST /v1/images/multi-image2image``: 1-4 subjects, optional scene and style images."""

    model_name: str
    prompt: str
    negative_prompt: str
    subject_image_list: Required[list[MediaInput]]
    """1-4 images (``{"subject_image": ...}`` dicts are accepted too)."""
    scene_image: MediaInput
    style_image: MediaInput
    n: int
    aspect_ratio: ImageAspectRatio


class ExpandParams(_Common, total=False):
    """``POST /v1/images/editing/expand``: ratios of the original height/width, each 0..2, area <= 3x."""

    image: Required[MediaInput]
    up_expansion_ratio: Required[float]
    down_expansion_ratio: Required[float]
    left_expansion_ratio: Required[float]
    right_expansion_ratio: Required[float]
    prompt: str
    n: int


class TryOnParams(_Common, total=False):
    """Virtual try-on.

    Legacy ``POST /v1/images/kolors-virtual-try-on``: ``human_image`` + ``cloth_image``. The 2026 solution
    ``POST /solutions/virtual_try_on`` (``solution=True``, or ``person_image``/``product_image`` given):
    ``person_image`` + ``product_image`` and the ``keep_*`` switches (default true).
    """

    model_name: str
    human_image: MediaInput
    cloth_image: MediaInput
    solution: bool
    person_image: MediaInput
    product_image: MediaInput
    keep_face: bool
    keep_pose: bool
    keep_background: bool


class OmniImageListItem(TypedDict):
    """An omni-image reference image."""

    image: MediaInput


class OmniImageParams(_Common, total=False):
    """``POST /v1/images/omni-image`` (kling-image-o1, kling-v3-omni)."""

    model_name: str
    prompt: Required[str]
    image_list: list[MediaInput | OmniImageListItem]
    element_list: list[ElementRef]
    resolution: ImageResolution
    result_type: Literal["single", "series"]
    series_amount: int | Literal["auto"]
    """2..9 or ``auto`` (``result_type="series"``)."""
    n: int
    aspect_ratio: OmniImageAspectRatio


class TextToAudioParams(_Common, total=False):
    """``POST /v1/audio/text-to-audio``: ``prompt`` <= 200 characters, ``duration`` 3.0..10.0 s."""

    prompt: Required[str]
    duration: Required[float]


class VideoToAudioParams(_Common, total=False):
    """``POST /v1/audio/video-to-audio``: ``video_id`` XOR ``video_url`` (3-20 s); prompts <= 200."""

    video_id: str
    video_url: MediaInput
    sound_effect_prompt: str
    bgm_prompt: str
    asmr_mode: bool


class TtsParams(TypedDict, total=False):
    """``POST /v1/audio/tts`` (answers at once): ``text`` <= 1000 characters, speed 0.8..2.0."""

    text: Required[str]
    voice_id: Required[str]
    voice_language: VoiceLanguage
    voice_speed: float
    external_task_id: str
    callback_url: str
