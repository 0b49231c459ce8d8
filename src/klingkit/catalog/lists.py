"""What a person can choose, as lists: model names per kind, voices, effect scenes, and the nearest names.

A public view over the catalog's records for listings and did-you-mean suggestions (the CLI's
``klingkit voices``, ``klingkit effects`` and model-typo refusals); it adds no fact of its own.
"""

from __future__ import annotations

import difflib

from . import _effects as effects
from ._data import (
    IMAGE_MODELS,
    MODE_RESOLUTION,
    NEW_VIDEO_MODELS,
    OMNI_IMAGE_MODELS,
    OMNI_VIDEO_MODELS,
    VIDEO_MODELS,
    VOICES,
)

__all__ = ["effect_scenes", "model_names", "nearest", "voice_language", "voices"]


def model_names(kind: str = "all") -> list[str]:
    """Model names of ``kind`` (``video``, ``image`` or ``all``), in catalog order."""
    video = [m.name for m in (*VIDEO_MODELS, *OMNI_VIDEO_MODELS)] + [m.name for m in NEW_VIDEO_MODELS]
    image = [m.name for m in (*IMAGE_MODELS, *OMNI_IMAGE_MODELS)]
    names = {"video": video, "image": image}.get(kind, video + image)
    return list(dict.fromkeys(names))


def nearest(name: str, choices: list[str], n: int = 3) -> list[str]:
    """The ``n`` choices closest to ``name`` (a typo's likely meaning), best first."""
    return difflib.get_close_matches(name, choices, n=n, cutoff=0.5)


def voices() -> list[tuple[str, str]]:
    """Every preset voice as ``(voice_id, language)``, language by language."""
    return [(vid, lang) for lang, ids in VOICES.items() for vid in ids]


def voice_language(voice_id: str) -> str | None:
    """The first language whose voice list holds ``voice_id``, or None for a voice the catalog lacks."""
    for lang, ids in VOICES.items():
        if voice_id in ids:
            return lang
    return None


def effect_scenes() -> list[tuple[str, int, bool]]:
    """Every effect scene as ``(name, images it takes, retired)``, from the effects data (with the user's)."""
    return [(s.name, s.images, s.retired is not None) for s in effects.scenes()]


def modes_in_words(modes: tuple[str, ...] | list[str], last: str = "or") -> str:
    """``std (720p) or pro (1080p)``: quality modes with the resolution each maps to (``MODE_RESOLUTION``),
    for help texts and tool descriptions that would otherwise type the mapping."""
    words = [m if MODE_RESOLUTION.get(m, m) == m else f"{m} ({MODE_RESOLUTION[m]})" for m in modes]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"
