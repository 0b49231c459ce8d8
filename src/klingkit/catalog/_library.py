"""The elements and voices library: what ``element_list``, ``voice_list`` and Kling 4.0's ``element`` /
``voice`` items point at.

Source: ``kling-api.md`` §2.14 (paths: H for the names, M for ``/v1/general/*``), §3.2 (the element and
voice output objects, H), §7.2 (custom voice 0.05 units a call, H). The create bodies are not in the
reference; the field names below mirror the output objects (confidence L). Creating is a task (its result
holds the element or voice); listing and deleting answer at once.

* element: ``POST /v1/general/advanced-custom-elements`` {``name``, ``description``, ``element_type``,
  ``references`` [{``image_url``}] (1-4), ``tags``} -> ``task_result.elements[]`` {id, name, description,
  element_type, references, owned_by, status, tags}; presets ``GET /v1/general/advanced-presets-elements``;
  ``POST /v1/general/delete-elements`` {``element_ids``}.
* voice: ``POST /v1/general/custom-voices`` {``name``, ``audio_url`` or ``audio_file`` (a 5-30 s sample)}
  -> ``task_result.voices[]`` {id, name, url, owned_by, status}; presets ``GET /v1/general/presets-voices``;
  ``POST /v1/general/delete-voices`` {``voice_ids``}.

These are the facts; the create rules are the tables of :mod:`klingkit.catalog.rules._library` (deleting,
not a create, keeps its own small check, :func:`check_delete`).

Unknown ids: Kling refuses a create whose element or voice id is neither a preset nor one of the account's
own (L: the answer's code is not in the reference; the sandbox answers 400/1201 naming the field and id).
The client cannot know an account's custom ids without asking, so its policy (``UNKNOWN_IDS``) is to send
an id it does not know as given, without a warning (a custom id is the normal case); the server decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._refusal import Refusal
from ._types import Endpoint

ELEMENTS = Endpoint("custom-elements", "/v1/general/advanced-custom-elements", "legacy", "video", "element")
VOICES = Endpoint("custom-voices", "/v1/general/custom-voices", "legacy", "audio", "voice")
ENDPOINTS = (ELEMENTS, VOICES)
PRESET_ELEMENTS_PATH = "/v1/general/advanced-presets-elements"
DELETE_ELEMENTS_PATH = "/v1/general/delete-elements"
PRESET_VOICES_PATH = "/v1/general/presets-voices"
DELETE_VOICES_PATH = "/v1/general/delete-voices"
CONFIDENCE = "L"  # create bodies; the paths are M

ELEMENT_TYPES = ("character", "object", "scene")
NAME_MAX = 20
DESCRIPTION_MAX = 200
ELEMENT_REFERENCES = (1, 4)
VOICE_SAMPLE_SECONDS = (5.0, 30.0)
DELETE_MAX = 50
UNKNOWN_IDS = "send"  # the client's policy for ids outside the presets: sent as given, the server decides
ELEMENT_UNITS = 0.0  # L: no price published for creating an element
VOICE_UNITS = 0.05  # §7.2: custom voice, per call (H)

# A few preset elements, so the sandbox and the docs have something to list (ids and names: L).
PRESET_ELEMENTS: tuple[dict[str, Any], ...] = (
    {"id": "preset-element-1001", "name": "Astronaut", "element_type": "character", "owned_by": "kling"},
    {"id": "preset-element-1002", "name": "Red sports car", "element_type": "object", "owned_by": "kling"},
    {"id": "preset-element-1003", "name": "Neon alley", "element_type": "scene", "owned_by": "kling"},
)


def check_delete(body: Any, key: str) -> list[Refusal]:
    """Reasons to refuse a delete body (``element_ids`` or ``voice_ids``)."""
    ids = body.get(key) if isinstance(body, Mapping) else None
    if (
        not isinstance(ids, list)
        or not 1 <= len(ids) <= DELETE_MAX
        or not all(isinstance(i, str) and i for i in ids)
    ):
        return [Refusal(key, ids, f"a list of 1-{DELETE_MAX} ids (strings)")]
    return []


# Where create bodies name library items: legacy lists and 2026 / 4.0 ``contents`` items.
_LISTS = (("element_list", "element"), ("voice_list", "voice"))


def ids_in(body: Any) -> list[tuple[str, str, Any]]:
    """Every library id a create body names, as ``(field, kind, id)``: ``element_list[i].element_id``,
    ``voice_list[i].voice_id`` and ``contents[i].element_id`` / ``.voice_id`` (2026 and 4.0 items)."""
    if not isinstance(body, Mapping):
        return []
    found: list[tuple[str, str, Any]] = []
    for key, kind in _LISTS:
        items = body.get(key)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, Mapping) and f"{kind}_id" in item:
                found.append((f"{key}[{i}].{kind}_id", kind, item[f"{kind}_id"]))
    contents = body.get("contents")
    for i, item in enumerate(contents if isinstance(contents, list) else []):
        typed = item.get("type") if isinstance(item, Mapping) else None
        if typed in ("element", "voice") and f"{typed}_id" in item:
            found.append((f"contents[{i}].{typed}_id", str(typed), item[f"{typed}_id"]))
    return found


def preset_ids(kind: str) -> frozenset[str]:
    """The preset element or voice ids (a voice preset is any TTS voice of any language)."""
    if kind == "element":
        return frozenset(str(p["id"]) for p in PRESET_ELEMENTS)
    from ._names import VOICES as TTS_VOICES

    return frozenset(v for voices in TTS_VOICES.values() for v in voices)
