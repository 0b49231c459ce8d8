"""The parameters of every create endpoint, typed: one ``TypedDict`` per endpoint.

Field names are the API's own (``model_name``, ``negative_prompt``, ``image_tail``...), so the reference
tables read straight across. Where the API nests (``input`` on lip-sync and effects, ``settings`` and
``options`` on the 2026 routes) the parameters are flat and the request builder nests them.

Media fields take a :data:`MediaInput`: a path to a local file, ``bytes``, an ``http(s)`` URL (passed
through), a ``PIL.Image.Image`` or a base64 string; local data is sent as raw base64 (no ``data:`` prefix).

The ``Literal`` enums mirror the catalog (``klingkit.catalog``); a test keeps them in step. Model names
are plain ``str`` on purpose: the catalog knows which exist, and a model newer than this library passes
with a warning instead of a type error.

Units: ``duration`` in seconds; ``sound_*_time`` in milliseconds; ratios and volumes are plain factors.
"""

# The enums below are not in __all__ but are read by name (tests keep them in step with the catalog).
from ._params_common import (
    AspectRatio,
    CameraConfig,
    CameraControl,
    CameraType,
    DynamicMask,
    ElementRef,
    ImageAspectRatio,
    MediaInput,
    Mode,
    MultiPromptItem,
    TrajectoryPoint,
    VoiceRef,
    WatermarkInfo,
)
from ._params_common import BoolLike as BoolLike
from ._params_common import Duration as Duration
from ._params_common import ImageReference as ImageReference
from ._params_common import ImageResolution as ImageResolution
from ._params_common import LipSyncAudioType as LipSyncAudioType
from ._params_common import LipSyncMode as LipSyncMode
from ._params_common import NewAudio as NewAudio
from ._params_common import OmniImageAspectRatio as OmniImageAspectRatio
from ._params_common import Resolution as Resolution
from ._params_common import ShotType as ShotType
from ._params_common import Sound as Sound
from ._params_common import VoiceLanguage as VoiceLanguage
from ._params_image import (
    ExpandParams,
    ImageGenerationParams,
    MultiImageToImageParams,
    OmniImageListItem,
    OmniImageParams,
    TextToAudioParams,
    TryOnParams,
    TtsParams,
    VideoToAudioParams,
)
from ._params_video import (
    AdvancedLipSyncParams,
    EffectsParams,
    FaceChoice,
    IdentifyFaceParams,
    ImageToVideoParams,
    LipSyncParams,
    MultiImageToVideoParams,
    OmniVideoImage,
    OmniVideoParams,
    OmniVideoRef,
    TextToVideoParams,
    VideoExtendParams,
)

__all__ = [
    "AdvancedLipSyncParams",
    "AspectRatio",
    "CameraConfig",
    "CameraControl",
    "CameraType",
    "DynamicMask",
    "EffectsParams",
    "ElementRef",
    "ExpandParams",
    "FaceChoice",
    "IdentifyFaceParams",
    "ImageAspectRatio",
    "ImageGenerationParams",
    "ImageToVideoParams",
    "LipSyncParams",
    "MediaInput",
    "Mode",
    "MultiImageToImageParams",
    "MultiImageToVideoParams",
    "MultiPromptItem",
    "OmniImageListItem",
    "OmniImageParams",
    "OmniVideoImage",
    "OmniVideoParams",
    "OmniVideoRef",
    "TextToAudioParams",
    "TextToVideoParams",
    "TrajectoryPoint",
    "TryOnParams",
    "TtsParams",
    "VideoExtendParams",
    "VideoToAudioParams",
    "VoiceRef",
    "WatermarkInfo",
]

# Their public home is this module (docs, reprs, ``td.__module__``), wherever the class is written.
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type):
        _obj.__module__ = __name__
