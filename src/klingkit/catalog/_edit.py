"""Multi-element video editing: add, swap or remove things in a video, through a selection session.

Source: ``kling-api.md`` §2.14 (paths, ``edit_mode``, ``session_id``; H for the names), §6.1 (kling-v1-6),
§7.2 (kling-v1-6 multi-element editing 0.6 / 1.0 units a second, std / pro; H). The step bodies are not in
the reference; the names below are confidence L: ``init-selection`` {``video_id`` or ``video_url``} ->
{``session_id``, ``frames``, ``fps``}; ``add-selection`` / ``delete-selection`` {``session_id``,
``frame_index``, ``points`` [{x, y} in 0-1]}; ``clear-selection`` / ``preview-selection``
{``session_id``}; then the task ``POST /v1/videos/multi-elements`` {``model_name`` kling-v1-6,
``session_id``, ``edit_mode`` addition|swap|removal, ``prompt``, ``negative_prompt``, ``image_list``
[{``image``}], ``mode`` std|pro, ``duration`` 5|10}. The session steps answer at once and cost nothing.
These are the facts; the task's rules are the table :data:`klingkit.catalog.rules._edit.MULTI_ELEMENTS`
(the session steps keep their own small check, :func:`check_points`: they are not creates).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._refusal import Refusal
from ._types import Endpoint

EDIT = Endpoint("multi-elements", "/v1/videos/multi-elements", "legacy", "video", "video")
ENDPOINTS = (EDIT,)
STEPS = ("init-selection", "add-selection", "delete-selection", "clear-selection", "preview-selection")
STEP_PATH = "/v1/videos/multi-elements/{step}"
MODELS = ("kling-v1-6",)
EDIT_MODES = ("addition", "swap", "removal")
MODES = ("std", "pro")
DURATIONS = (5, 10)
DEFAULT_DURATION = 5  # seconds, when an edit names none (L)
UNITS_PER_SECOND = {"std": 0.6, "pro": 1.0}  # §7.2 (the price row: catalog.prices)
IMAGES_MAX = 4
POINTS_MAX = 10
PROMPT_MAX = 2500
SESSION_HOURS = 24  # like identify-face sessions (L)


def check_points(body: Any) -> list[Refusal]:
    """Reasons to refuse an add/delete-selection body."""
    if not isinstance(body, Mapping):
        return [Refusal("body", type(body).__name__, "a JSON object")]
    out: list[Refusal] = []
    if not isinstance(body.get("session_id"), str) or not body.get("session_id"):
        out.append(Refusal("session_id", body.get("session_id"), "the id init-selection answered"))
    frame = body.get("frame_index")
    if isinstance(frame, bool) or not isinstance(frame, int) or frame < 0:
        out.append(Refusal("frame_index", frame, "a frame number, 0 or more"))
    points = body.get("points")
    if not isinstance(points, list) or not 1 <= len(points) <= POINTS_MAX:
        out.append(Refusal("points", points, f"1-{POINTS_MAX} points {{x, y}} between 0 and 1"))
        return out
    for i, p in enumerate(points):
        ok = isinstance(p, Mapping) and all(
            isinstance(p.get(k), (int, float)) and not isinstance(p.get(k), bool) and 0 <= p[k] <= 1
            for k in "xy"
        )
        if not ok:
            out.append(Refusal(f"points[{i}]", p, "{x, y} between 0 and 1 (a share of the width and height)"))
    return out


def seconds(body: Mapping[str, Any]) -> float:
    """How long the edited video is (what its price counts): ``duration``, or the default."""
    return float(body.get("duration") or DEFAULT_DURATION)
