"""Videos, Images and Audio: thin resource classes over ``prepare`` and ``client.submit``.

No logic lives here: every method validates, prices and builds through ``klingkit._requests.prepare`` and
hands the :class:`~klingkit._requests.RequestSpec` to the client, which sends it with an external id and
returns the :class:`~klingkit._models.Task`. The async classes are the same methods awaiting
``client.submit``; a parity test keeps the signatures identical.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, Protocol

from typing_extensions import Unpack

from ._params import (
    AdvancedLipSyncParams,
    EffectsParams,
    ExpandParams,
    IdentifyFaceParams,
    ImageGenerationParams,
    ImageToVideoParams,
    LipSyncParams,
    MultiImageToImageParams,
    MultiImageToVideoParams,
    OmniImageParams,
    OmniVideoParams,
    TextToAudioParams,
    TextToVideoParams,
    TryOnParams,
    TtsParams,
    VideoExtendParams,
    VideoToAudioParams,
)
from ._requests import RequestSpec, prepare

if TYPE_CHECKING:
    from ._models import Task

__all__ = ["AsyncAudio", "AsyncImages", "AsyncVideos", "Audio", "Images", "Videos"]


class _Client(Protocol):
    strict: bool

    def submit(self, spec: RequestSpec) -> Task: ...


class _AsyncClient(Protocol):
    strict: bool

    def submit(self, spec: RequestSpec) -> Awaitable[Task]: ...


class _Resource:
    def __init__(self, client: _Client) -> None:
        self._client = client


class _AsyncResource:
    def __init__(self, client: _AsyncClient) -> None:
        self._client = client


class Videos(_Resource):
    """Video generation: ``client.videos``."""

    def text_to_video(self, **params: Unpack[TextToVideoParams]) -> Task:
        """Text to video (``/v1/videos/text2video``; a 2026 model name such as ``kling-3.0`` uses ``/text-to-video/{model}``)."""
        return self._client.submit(prepare("text_to_video", strict=self._client.strict, **params))

    def image_to_video(self, **params: Unpack[ImageToVideoParams]) -> Task:
        """Image to video (``/v1/videos/image2video``; a 2026 model name uses ``/image-to-video/{model}``)."""
        return self._client.submit(prepare("image_to_video", strict=self._client.strict, **params))

    def multi_image_to_video(self, **params: Unpack[MultiImageToVideoParams]) -> Task:
        """1-4 reference images to video (``/v1/videos/multi-image2video``)."""
        return self._client.submit(prepare("multi_image_to_video", strict=self._client.strict, **params))

    def extend(self, **params: Unpack[VideoExtendParams]) -> Task:
        """Extend a Kling video by 4-5 s (``/v1/videos/video-extend``)."""
        return self._client.submit(prepare("extend", strict=self._client.strict, **params))

    def lip_sync(self, **params: Unpack[LipSyncParams]) -> Task:
        """Classic lip-sync to a text or an audio (``/v1/videos/lip-sync``)."""
        return self._client.submit(prepare("lip_sync", strict=self._client.strict, **params))

    def identify_face(self, **params: Unpack[IdentifyFaceParams]) -> Task:
        """Find the faces in a video for advanced lip-sync (answers at once; ``session_id`` valid 24 h)."""
        return self._client.submit(prepare("identify_face", strict=self._client.strict, **params))

    def advanced_lip_sync(self, **params: Unpack[AdvancedLipSyncParams]) -> Task:
        """Lip-sync chosen faces to audio (``/v1/videos/advanced-lip-sync``); times in ms."""
        return self._client.submit(prepare("advanced_lip_sync", strict=self._client.strict, **params))

    def effects(self, **params: Unpack[EffectsParams]) -> Task:
        """A video effect scene on one image or two (``/v1/videos/effects``)."""
        return self._client.submit(prepare("effects", strict=self._client.strict, **params))

    def omni(self, **params: Unpack[OmniVideoParams]) -> Task:
        """Omni video: text, image, element and video references (``/v1/videos/omni-video``; a 2026
        name, ``kling-3.0-omni``/``kling-o1``, goes to ``/omni-video/{model}``)."""
        return self._client.submit(prepare("omni_video", strict=self._client.strict, **params))

    def avatar(self, **params: Any) -> Task:
        """A talking portrait: ``image`` plus ``sound_file`` (path, bytes or URL; 2-300 s) or ``audio_id``
        (from ``audio.tts``), optional ``prompt`` and ``mode`` std|pro (``/v1/videos/avatar/image2video``).
        The video lasts as long as the audio, priced per second (``catalog.drive``)."""
        return self._client.submit(prepare("avatar", strict=self._client.strict, **params))

    def motion_control(self, **params: Any) -> Task:
        """A character ``image`` driven by a reference ``video`` (``/v1/videos/motion-control``; model
        ``kling-v2-6`` or ``kling-v3``, or ``kling-3.0`` on ``/motion-control/kling-3.0``). The video has the
        reference's length. Field names are confidence L (see ``klingkit.catalog.drive``)."""
        return self._client.submit(prepare("motion_control", strict=self._client.strict, **params))


class AsyncVideos(_AsyncResource):
    """Video generation: ``client.videos``. (async)"""

    async def text_to_video(self, **params: Unpack[TextToVideoParams]) -> Task:
        """Text to video (``/v1/videos/text2video``; a 2026 model name such as ``kling-3.0`` uses ``/text-to-video/{model}``)."""
        return await self._client.submit(prepare("text_to_video", strict=self._client.strict, **params))

    async def image_to_video(self, **params: Unpack[ImageToVideoParams]) -> Task:
        """Image to video (``/v1/videos/image2video``; a 2026 model name uses ``/image-to-video/{model}``)."""
        return await self._client.submit(prepare("image_to_video", strict=self._client.strict, **params))

    async def multi_image_to_video(self, **params: Unpack[MultiImageToVideoParams]) -> Task:
        """1-4 reference images to video (``/v1/videos/multi-image2video``)."""
        return await self._client.submit(
            prepare("multi_image_to_video", strict=self._client.strict, **params)
        )

    async def extend(self, **params: Unpack[VideoExtendParams]) -> Task:
        """Extend a Kling video by 4-5 s (``/v1/videos/video-extend``)."""
        return await self._client.submit(prepare("extend", strict=self._client.strict, **params))

    async def lip_sync(self, **params: Unpack[LipSyncParams]) -> Task:
        """Classic lip-sync to a text or an audio (``/v1/videos/lip-sync``)."""
        return await self._client.submit(prepare("lip_sync", strict=self._client.strict, **params))

    async def identify_face(self, **params: Unpack[IdentifyFaceParams]) -> Task:
        """Find the faces in a video for advanced lip-sync (answers at once; ``session_id`` valid 24 h)."""
        return await self._client.submit(prepare("identify_face", strict=self._client.strict, **params))

    async def advanced_lip_sync(self, **params: Unpack[AdvancedLipSyncParams]) -> Task:
        """Lip-sync chosen faces to audio (``/v1/videos/advanced-lip-sync``); times in ms."""
        return await self._client.submit(prepare("advanced_lip_sync", strict=self._client.strict, **params))

    async def effects(self, **params: Unpack[EffectsParams]) -> Task:
        """A video effect scene on one image or two (``/v1/videos/effects``)."""
        return await self._client.submit(prepare("effects", strict=self._client.strict, **params))

    async def omni(self, **params: Unpack[OmniVideoParams]) -> Task:
        """Omni video: text, image, element and video references (``/v1/videos/omni-video``; a 2026
        name, ``kling-3.0-omni``/``kling-o1``, goes to ``/omni-video/{model}``)."""
        return await self._client.submit(prepare("omni_video", strict=self._client.strict, **params))

    async def avatar(self, **params: Any) -> Task:
        """A talking portrait: ``image`` plus ``sound_file`` (path, bytes or URL; 2-300 s) or ``audio_id``
        (from ``audio.tts``), optional ``prompt`` and ``mode`` std|pro (``/v1/videos/avatar/image2video``).
        The video lasts as long as the audio, priced per second (``catalog.drive``)."""
        return await self._client.submit(prepare("avatar", strict=self._client.strict, **params))

    async def motion_control(self, **params: Any) -> Task:
        """A character ``image`` driven by a reference ``video`` (``/v1/videos/motion-control``; model
        ``kling-v2-6`` or ``kling-v3``, or ``kling-3.0`` on ``/motion-control/kling-3.0``). The video has the
        reference's length. Field names are confidence L (see ``klingkit.catalog.drive``)."""
        return await self._client.submit(prepare("motion_control", strict=self._client.strict, **params))


class Images(_Resource):
    """Image generation: ``client.images``."""

    def generate(self, **params: Unpack[ImageGenerationParams]) -> Task:
        """Text to image, or image to image with ``image`` (``/v1/images/generations``); ``n`` images."""
        return self._client.submit(prepare("generate", strict=self._client.strict, **params))

    def multi_image(self, **params: Unpack[MultiImageToImageParams]) -> Task:
        """1-4 subjects plus scene/style images to image (``/v1/images/multi-image2image``)."""
        return self._client.submit(prepare("multi_image", strict=self._client.strict, **params))

    def expand(self, **params: Unpack[ExpandParams]) -> Task:
        """Outpaint an image by ratios of its size (``/v1/images/editing/expand``)."""
        return self._client.submit(prepare("expand", strict=self._client.strict, **params))

    def try_on(self, **params: Unpack[TryOnParams]) -> Task:
        """Virtual try-on: legacy kolors route, or the 2026 solution with ``solution=True``."""
        return self._client.submit(prepare("try_on", strict=self._client.strict, **params))

    def omni(self, **params: Unpack[OmniImageParams]) -> Task:
        """Omni image: references, elements, series (``/v1/images/omni-image``)."""
        return self._client.submit(prepare("omni_image", strict=self._client.strict, **params))

    def recognize(self, **params: Any) -> Task:
        """Segment ``image`` (``type`` object_seg|head_seg|face_seg|cloth_seg) at once
        (``/v1/videos/image-recognize``, ``catalog.recognize``): the finished task's image output is the mask."""
        return self._client.submit(prepare("recognize", strict=self._client.strict, **params))

    def multi_shot(self, **params: Any) -> Task:
        """AI multi-shot: views of the subject in ``image`` (a frontal picture) from other angles, for an
        element's references (``/v1/general/ai-multi-shot``, ``catalog.multishot``); the outputs are images."""
        return self._client.submit(prepare("ai_multi_shot", strict=self._client.strict, **params))


class AsyncImages(_AsyncResource):
    """Image generation: ``client.images``. (async)"""

    async def generate(self, **params: Unpack[ImageGenerationParams]) -> Task:
        """Text to image, or image to image with ``image`` (``/v1/images/generations``); ``n`` images."""
        return await self._client.submit(prepare("generate", strict=self._client.strict, **params))

    async def multi_image(self, **params: Unpack[MultiImageToImageParams]) -> Task:
        """1-4 subjects plus scene/style images to image (``/v1/images/multi-image2image``)."""
        return await self._client.submit(prepare("multi_image", strict=self._client.strict, **params))

    async def expand(self, **params: Unpack[ExpandParams]) -> Task:
        """Outpaint an image by ratios of its size (``/v1/images/editing/expand``)."""
        return await self._client.submit(prepare("expand", strict=self._client.strict, **params))

    async def try_on(self, **params: Unpack[TryOnParams]) -> Task:
        """Virtual try-on: legacy kolors route, or the 2026 solution with ``solution=True``."""
        return await self._client.submit(prepare("try_on", strict=self._client.strict, **params))

    async def omni(self, **params: Unpack[OmniImageParams]) -> Task:
        """Omni image: references, elements, series (``/v1/images/omni-image``)."""
        return await self._client.submit(prepare("omni_image", strict=self._client.strict, **params))

    async def recognize(self, **params: Any) -> Task:
        """Segment ``image`` (``type`` object_seg|head_seg|face_seg|cloth_seg) at once
        (``/v1/videos/image-recognize``, ``catalog.recognize``): the finished task's image output is the mask."""
        return await self._client.submit(prepare("recognize", strict=self._client.strict, **params))

    async def multi_shot(self, **params: Any) -> Task:
        """AI multi-shot: views of the subject in ``image`` (a frontal picture) from other angles, for an
        element's references (``/v1/general/ai-multi-shot``, ``catalog.multishot``); the outputs are images."""
        return await self._client.submit(prepare("ai_multi_shot", strict=self._client.strict, **params))


class Audio(_Resource):
    """Audio generation: ``client.audio``."""

    def text_to_audio(self, **params: Unpack[TextToAudioParams]) -> Task:
        """Sound from a text prompt, 3.0-10.0 s (``/v1/audio/text-to-audio``)."""
        return self._client.submit(prepare("text_to_audio", strict=self._client.strict, **params))

    def video_to_audio(self, **params: Unpack[VideoToAudioParams]) -> Task:
        """Sound effects and music for a video (``/v1/audio/video-to-audio``)."""
        return self._client.submit(prepare("video_to_audio", strict=self._client.strict, **params))

    def tts(self, **params: Unpack[TtsParams]) -> Task:
        """Text to speech (answers at once; ``/v1/audio/tts``)."""
        return self._client.submit(prepare("tts", strict=self._client.strict, **params))


class AsyncAudio(_AsyncResource):
    """Audio generation: ``client.audio``. (async)"""

    async def text_to_audio(self, **params: Unpack[TextToAudioParams]) -> Task:
        """Sound from a text prompt, 3.0-10.0 s (``/v1/audio/text-to-audio``)."""
        return await self._client.submit(prepare("text_to_audio", strict=self._client.strict, **params))

    async def video_to_audio(self, **params: Unpack[VideoToAudioParams]) -> Task:
        """Sound effects and music for a video (``/v1/audio/video-to-audio``)."""
        return await self._client.submit(prepare("video_to_audio", strict=self._client.strict, **params))

    async def tts(self, **params: Unpack[TtsParams]) -> Task:
        """Text to speech (answers at once; ``/v1/audio/tts``)."""
        return await self._client.submit(prepare("tts", strict=self._client.strict, **params))
