"""A task's life and its two wire shapes.

A task's whole future is fixed when it is created: it is ``submitted`` until ``processing_ms``,
``processing`` until ``done_ms``, then ``outcome``. Its status is read off the clock, so no worker has to
move it along, restarts cost nothing, and concurrency is "tasks whose ``done_ms`` is still ahead".
Times are Unix milliseconds, as on the wire.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

SUBMITTED, PROCESSING, SUCCEEDED, FAILED = "submitted", "processing", "succeeded", "failed"

# Output URL for (output id, file extension); built per request so it carries the caller's host.
UrlFor = Callable[[str, str], str]


@dataclass
class OutputFile:
    """One file a task produces, rendered on its first download.

    ``kind`` is ``video``, ``image`` or ``audio``; ``render`` holds the JSON-able recipe the renderer
    needs (size, duration, prompt, seed ...). ``duration`` is in seconds.
    """

    id: str
    kind: str
    index: int = 0
    duration: float | None = None
    render: dict[str, Any] = field(default_factory=dict)


@dataclass
class TaskRecord:
    """Everything the sandbox knows about a task."""

    id: str
    external_id: str | None
    feature: str
    family: str  # legacy | new | solutions
    pack: str
    model: str | None
    weight: int  # concurrency slots held while running (an image task holds n)
    units: float  # charged on success
    created_ms: int
    processing_ms: int
    done_ms: int
    outcome: str  # succeeded | failed
    message: str = ""
    callback_url: str | None = None
    watermark: bool = False
    outputs: list[OutputFile] = field(default_factory=list)
    parent_video: dict[str, Any] | None = None  # {id, duration}; the url is built when shown
    billing: dict[str, Any] = field(default_factory=dict)  # model, resolution, duration ... for exports
    callbacks_sent: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def status_at(self, now_ms: int) -> str:
        """The status at ``now_ms``, in the 2026 vocabulary."""
        if now_ms >= self.done_ms:
            return self.outcome
        if now_ms >= self.processing_ms:
            return PROCESSING
        return SUBMITTED

    def updated_at(self, now_ms: int) -> int:
        """When the status last changed, as of ``now_ms``."""
        if now_ms >= self.done_ms:
            return self.done_ms
        if now_ms >= self.processing_ms:
            return self.processing_ms
        return self.created_ms

    def transitions(self) -> list[tuple[str, int]]:
        """Every status the task passes through, with the time it is entered."""
        return [(SUBMITTED, self.created_ms), (PROCESSING, self.processing_ms), (self.outcome, self.done_ms)]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TaskRecord:
        data = dict(data)
        data["outputs"] = [OutputFile(**o) for o in data.get("outputs", [])]
        return cls(**data)


def _seconds(value: float | None) -> str:
    """Durations travel as strings of seconds ("5", "9.5")."""
    return f"{value:g}" if value is not None else ""


def _units(value: float) -> str:
    return f"{round(value, 4):g}"


def _legacy_outputs(task: TaskRecord, url_for: UrlFor) -> dict[str, Any]:
    videos: list[dict[str, Any]] = []
    images: list[dict[str, Any]] = []
    audios: list[dict[str, Any]] = []
    library: dict[str, list[dict[str, Any]]] = {}
    for out in task.outputs:
        if out.kind == "video":
            video = {"id": out.id, "url": url_for(out.id, "mp4"), "duration": _seconds(out.duration)}
            if task.watermark:
                video["watermark_url"] = url_for(out.id + "-wm", "mp4")
            videos.append(video)
        elif out.kind == "image":
            image: dict[str, Any] = {"index": out.index, "url": url_for(out.id, "png")}
            if task.watermark:
                image["watermark_url"] = url_for(out.id + "-wm", "png")
            images.append(image)
        elif out.kind in ("element", "voice"):  # the library (2026-H2): metadata, a voice has a sample
            entry = {"id": out.id, **out.render.get("meta", {})}
            if out.kind == "voice":
                entry["url"] = url_for(out.id, "mp3")
            library.setdefault(out.kind + "s", []).append(entry)
        elif task.feature == "tts":
            audios.append({"id": out.id, "url": url_for(out.id, "mp3"), "duration": _seconds(out.duration)})
        else:
            audios.append(
                {
                    "id": out.id,
                    "url_mp3": url_for(out.id, "mp3"),
                    "url_wav": url_for(out.id, "wav"),
                    "duration_mp3": _seconds(out.duration),
                    "duration_wav": _seconds(out.duration),
                }
            )
    result: dict[str, Any] = {}
    if videos:
        result["videos"] = videos
    if images:
        result["images"] = images
    if audios:
        result["audios"] = audios
    result.update(library)
    return result


def _moment(task: TaskRecord, now_ms: int, status: str | None) -> tuple[str, int]:
    """(status, updated time): as of ``now_ms``, or as of entering ``status`` (callbacks name it, since
    several transitions can share one millisecond)."""
    if status is None:
        return task.status_at(now_ms), task.updated_at(now_ms)
    return status, dict(task.transitions())[status]


def legacy_view(task: TaskRecord, now_ms: int, url_for: UrlFor, status: str | None = None) -> dict[str, Any]:
    """The ``data`` object of a legacy query (and the body of a legacy callback)."""
    status, updated = _moment(task, now_ms, status)
    info: dict[str, Any] = {}
    if task.external_id:
        info["external_task_id"] = task.external_id
    if task.parent_video:
        pid = task.parent_video["id"]
        info["parent_video"] = {
            "id": pid,
            "url": url_for(pid, "mp4"),
            "duration": _seconds(task.parent_video.get("duration")),
        }
    data: dict[str, Any] = {
        "task_id": task.id,
        "task_status": "succeed" if status == SUCCEEDED else status,
        "task_status_msg": task.message if status == FAILED else "",
        "task_info": info,
        "created_at": task.created_ms,
        "updated_at": updated,
    }
    if task.feature not in ("tts",):
        data["watermark_info"] = {"enabled": task.watermark}
    if status == SUCCEEDED:
        data["task_result"] = _legacy_outputs(task, url_for)
        data["final_unit_deduction"] = _units(task.units)
    elif status == FAILED:
        data["final_unit_deduction"] = "0"
    return data


def legacy_callback(task: TaskRecord, url_for: UrlFor, status: str) -> dict[str, Any]:
    """A legacy callback body, key for key as kling-api.md A.11: every field on every status (no
    ``watermark_info``, which A.11 does not list), ``final_unit_deduction`` "0" and an empty result list
    until the task has succeeded (see ``_policy.CHOICES["callback_before_terminal"]``)."""
    data = legacy_view(task, task.done_ms, url_for, status)
    data.pop("watermark_info", None)
    if status != SUCCEEDED:
        kinds = {f"{o.kind}s" for o in task.outputs} or {"videos"}
        data["task_result"] = {kind: [] for kind in sorted(kinds)}
        data["final_unit_deduction"] = "0"
    order = ("task_id", "task_status", "task_status_msg", "created_at", "updated_at", "final_unit_deduction")
    return {**{k: data[k] for k in order}, "task_info": data["task_info"], "task_result": data["task_result"]}


def legacy_created(task: TaskRecord) -> dict[str, Any]:
    """The ``data`` object of a legacy create answer."""
    info = {"external_task_id": task.external_id} if task.external_id else {}
    return {
        "task_id": task.id,
        "task_status": SUBMITTED,
        "task_info": info,
        "created_at": task.created_ms,
        "updated_at": task.created_ms,
    }


def _new_outputs(task: TaskRecord, url_for: UrlFor) -> list[dict[str, Any]]:
    outputs: list[dict[str, Any]] = []
    for out in task.outputs:
        if out.kind == "video":
            item = {"type": "video", "id": out.id, "url": url_for(out.id, "mp4")}
            if task.watermark:
                item["watermark_url"] = url_for(out.id + "-wm", "mp4")
            item["duration"] = _seconds(out.duration)
        elif out.kind == "image":
            item = {"type": "image", "url": url_for(out.id, "png")}
            if task.watermark:
                item["watermark_url"] = url_for(out.id + "-wm", "png")
            item["group_id"] = task.id
        else:
            item = {
                "type": "audio",
                "id": out.id,
                "mp3_url": url_for(out.id, "mp3"),
                "wav_url": url_for(out.id, "wav"),
                "mp3_duration": _seconds(out.duration),
                "wav_duration": _seconds(out.duration),
            }
        outputs.append(item)
    return outputs


def new_view(task: TaskRecord, now_ms: int, url_for: UrlFor, status: str | None = None) -> dict[str, Any]:
    """One task as ``/tasks`` and ``/solutions`` show it (and the body of a 2026 callback)."""
    status, updated = _moment(task, now_ms, status)
    data: dict[str, Any] = {
        "id": task.id,
        "status": status,
        "message": task.message if status == FAILED else "",
        "create_time": task.created_ms,
        "update_time": updated,
        "external_id": task.external_id or "",
        "outputs": _new_outputs(task, url_for) if status == SUCCEEDED else [],
        "billing": [],
    }
    if status == SUCCEEDED:
        data["billing"] = [
            {"charge_type": "unit", "amount": _units(task.units), "package_type": package_type(task.pack)}
        ]
    return data


def new_created(task: TaskRecord) -> dict[str, Any]:
    """The ``data`` object of a 2026 create answer."""
    return {
        "id": task.id,
        "status": SUBMITTED,
        "message": "",
        "create_time": task.created_ms,
        "update_time": task.created_ms,
        "external_id": task.external_id or "",
    }


def package_type(pack: str) -> str:
    """``billing[].package_type``: A.13 lists only video|image|audio, so try-on (billed per image)
    reports ``image`` (``_policy.CHOICES["tryon_package_type"]``)."""
    return "image" if pack == "tryon" else pack


def callback_body(task: TaskRecord, url_for: UrlFor, status: str) -> dict[str, Any]:
    """The callback for entering ``status``: A.11 for legacy routes, A.13 for 2026 ones."""
    if task.family == "legacy":
        return legacy_callback(task, url_for, status)
    return new_view(task, task.done_ms, url_for, status)


def view(task: TaskRecord, now_ms: int, url_for: UrlFor, status: str | None = None) -> dict[str, Any]:
    """The task in its own family's shape (as of ``now_ms``, or as it entered ``status``)."""
    shape = legacy_view if task.family == "legacy" else new_view
    return shape(task, now_ms, url_for, status)
