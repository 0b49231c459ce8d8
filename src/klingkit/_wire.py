"""Pure parsing of Kling's JSON into ``Task``: legacy (``task_id``, ``succeed``, ``task_result``), 2026
(``id``, ``succeeded``, ``outputs``, ``billing``) and solutions. Missing fields, extra fields and ``null``
never crash the parser; unknown statuses become ``TaskStatus.UNKNOWN``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from ._models import Output, Task, TaskStatus

__all__ = ["Envelope", "detect_family", "parse_envelope", "parse_status", "parse_task", "parse_tasks"]

_STATUS = {
    "submitted": TaskStatus.SUBMITTED,
    "processing": TaskStatus.PROCESSING,
    "succeed": TaskStatus.SUCCEEDED,
    "succeeded": TaskStatus.SUCCEEDED,
    "success": TaskStatus.SUCCEEDED,
    "failed": TaskStatus.FAILED,
    "fail": TaskStatus.FAILED,
}
_DEFAULT_FORMAT = {"video": "mp4", "image": "png", "audio": "mp3", "face": "png", "voice": "mp3"}
_KNOWN_EXT = {"mp4", "mov", "webm", "png", "jpg", "jpeg", "webp", "gif", "mp3", "wav", "m4a", "aac"}


@dataclass(frozen=True)
class Envelope:
    """Kling's ``{code, message, request_id, data}`` wrapper. ``code`` is None when the body had none."""

    code: int | None
    message: str
    request_id: str | None
    data: Any
    raw: Any


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    return None


def parse_envelope(body: Any, header_request_id: str | None = None) -> Envelope:
    """Split a response body into its envelope fields; tolerant of non-dict bodies."""
    if not isinstance(body, Mapping):
        return Envelope(None, "", header_request_id, None, body)
    rid = body.get("request_id")
    message = body.get("message")
    if message is None:
        message = body.get("msg")
    return Envelope(
        code=_int_or_none(body.get("code")),
        message=str(message) if message is not None else "",
        request_id=str(rid) if rid else header_request_id,
        data=body.get("data"),
        raw=body,
    )


def parse_status(value: Any) -> TaskStatus:
    """``succeed``/``succeeded`` -> SUCCEEDED and so on; anything else -> UNKNOWN."""
    if not isinstance(value, str):
        return TaskStatus.UNKNOWN
    return _STATUS.get(value.strip().lower(), TaskStatus.UNKNOWN)


def _str(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    s = str(value)
    return s if s else None


def _float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _time(value: Any) -> datetime | None:
    f = _float(value)
    if f is None or f <= 0:
        return None
    if f > 1e11:  # Kling sends Unix milliseconds; tolerate seconds
        f /= 1000.0
    try:
        return datetime.fromtimestamp(f, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def _dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [dict(v) for v in value if isinstance(v, Mapping)]


def _format(url: str | None, kind: str) -> str | None:
    if url:
        path = urlsplit(url).path
        ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
        if ext in _KNOWN_EXT:
            return "jpg" if ext == "jpeg" else ext
    return _DEFAULT_FORMAT.get(kind)


def _output(
    kind: str, item: Mapping[str, Any], url_key: str = "url", duration_key: str = "duration"
) -> Output:
    url = _str(item.get(url_key))
    return Output(
        kind=kind,
        url=url,
        watermark_url=_str(item.get("watermark_url")),
        id=_str(item.get("id")),
        duration=_float(item.get(duration_key)),
        format=_format(url, kind),
        raw=dict(item),
    )


def _audio_outputs(item: Mapping[str, Any], legacy: bool) -> list[Output]:
    pairs = (("url_mp3", "duration_mp3", "mp3"), ("url_wav", "duration_wav", "wav"))
    if not legacy:
        pairs = (("mp3_url", "mp3_duration", "mp3"), ("wav_url", "wav_duration", "wav"))
    outs = []
    for url_key, dur_key, fmt in pairs:
        if item.get(url_key):
            out = _output("audio", item, url_key, dur_key)
            out.format = fmt
            outs.append(out)
    if not outs and item.get("url"):  # TTS answers {id, url, duration}
        outs.append(_output("audio", item))
    return outs


def _number(outputs: list[Output]) -> list[Output]:
    for i, out in enumerate(outputs):
        out.index = i
    return outputs


def detect_family(data: Mapping[str, Any]) -> str:
    """``legacy`` when the object has legacy keys (``task_id``/``task_status``/``task_result``), else ``new``."""
    legacy_keys = ("task_id", "task_status", "task_result", "task_info")
    return "legacy" if any(k in data for k in legacy_keys) else "new"


def _parse_legacy(data: Mapping[str, Any]) -> Task:
    info = _dict(data.get("task_info"))
    result = _dict(data.get("task_result"))
    outputs: list[Output] = []
    for item in _list(result.get("videos")):
        outputs.append(_output("video", item))
    for item in _list(result.get("images")) + _list(result.get("series_images")):
        numbered = sorted(
            (k for k in item if k.startswith("url_") and k[4:].isdigit()), key=lambda k: int(k[4:])
        )
        if numbered and not item.get("url"):  # AI multi-shot's list shape: one item, url_1..url_3 (M)
            outputs.extend(_output("image", item, url_key=k) for k in numbered)
        else:
            outputs.append(_output("image", item))
    for item in _list(result.get("audios")):
        outputs.extend(_audio_outputs(item, legacy=True))
    for kind in ("element", "voice"):  # the elements/voices library: an id (and a voice's sample url)
        outputs.extend(_output(kind, item) for item in _list(result.get(kind + "s")))
    # identify-face (sync) answers {session_id, face_data[]}: faces are outputs of a finished "task"
    for item in _list(data.get("face_data")):
        face = _output("face", item, url_key="face_image")
        face.id = _str(item.get("face_id"))
        outputs.append(face)
    parent = _dict(info.get("parent_video"))
    status = parse_status(data.get("task_status"))
    task_id = _str(data.get("task_id")) or _str(data.get("session_id")) or ""
    if "task_status" not in data and ("session_id" in data or result):
        status = TaskStatus.SUCCEEDED  # a sync endpoint's answer is already finished
    return Task(
        id=task_id,
        status=status,
        external_id=_str(info.get("external_task_id")) or _str(data.get("external_task_id")),
        message=_str(data.get("task_status_msg")) or "",
        created_at=_time(data.get("created_at")),
        updated_at=_time(data.get("updated_at")),
        outputs=_number(outputs),
        units=_float(data.get("final_unit_deduction")),
        parent_video=_output("video", parent) if parent else None,
        family="legacy",
        model=_str(data.get("model_name")),
        raw=dict(data),
    )


def _billing_units(billing: list[dict[str, Any]]) -> float | None:
    amounts = [_float(b.get("amount")) for b in billing if str(b.get("charge_type", "")).lower() == "unit"]
    known = [a for a in amounts if a is not None]
    return round(sum(known), 6) if known else None


def _parse_new(data: Mapping[str, Any], family: str) -> Task:
    outputs: list[Output] = []
    for item in _list(data.get("outputs")):
        kind = str(item.get("type") or "unknown").lower()
        if kind == "audio":
            outputs.extend(_audio_outputs(item, legacy=False))
        else:
            outputs.append(_output(kind, item))
    return Task(
        id=_str(data.get("id")) or _str(data.get("task_id")) or "",
        status=parse_status(data.get("status")),
        external_id=_str(data.get("external_id")) or _str(data.get("external_task_id")),
        message=_str(data.get("message")) or "",
        created_at=_time(data.get("create_time")),
        updated_at=_time(data.get("update_time")),
        outputs=_number(outputs),
        units=_billing_units(_list(data.get("billing"))),
        family=family,
        model=_str(data.get("model")) or _str(data.get("model_name")),
        raw=dict(data),
    )


def parse_task(data: Any, *, feature: str | None = None, family: str | None = None) -> Task:
    """Parse one task object (the envelope's ``data``, a list item or a callback body) into a Task.

    ``family`` is detected from the keys when not given (a ``solutions`` task looks like a ``new`` one, so
    callers that know pass it). ``feature`` is recorded on the Task for later queries.
    """
    obj = _dict(data)
    detected = detect_family(obj)
    task = _parse_legacy(obj) if detected == "legacy" else _parse_new(obj, family or "new")
    if family and detected == "legacy" and family != "legacy":
        task.family = family
    task.feature = feature
    return task


def parse_tasks(data: Any, *, feature: str | None = None, family: str | None = None) -> list[Task]:
    """Parse a list of task objects (a legacy list page, a ``/tasks`` answer or a cursor page)."""
    if isinstance(data, Mapping):
        inner = data.get("result", data.get("list"))
        data = inner if isinstance(inner, list) else [data]
    if not isinstance(data, list):
        return []
    return [parse_task(item, feature=feature, family=family) for item in data if isinstance(item, Mapping)]
