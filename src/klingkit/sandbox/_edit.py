"""Multi-element video editing in the sandbox: the selection session steps (answer at once, kept in the
store's meta so a reset clears them) and the edit task's plan. Rules: ``klingkit.catalog.edit``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from klingkit import catalog
from klingkit.catalog import edit

from ._errors import invalid, not_found
from ._http import gate, read_json, state_of
from ._plan import Body, Context, Plan, _checked, _image_value, _video_output, _video_work
from ._state import SandboxState

_META = "edit_sessions"
_URL_SECONDS = 5.0


def _sessions(sb: SandboxState) -> dict[str, Any]:
    found = sb.store.get_meta(_META)
    return found if isinstance(found, dict) else {}


def _session(sb: SandboxState, body: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    sessions = _sessions(sb)
    sid = body.get("session_id") if isinstance(body, dict) else None
    if not isinstance(sid, str) or sid not in sessions:
        raise not_found(f"session_id {sid} does not exist (or expired)")
    return sessions, sessions[sid]


def _refuse(refusals: list[Any]) -> None:
    if refusals:
        raise invalid("; ".join(str(r) for r in refusals[:3]))


def _init(sb: SandboxState, body: Any) -> Any:
    data = Body(body)
    video_id, url = data.data.get("video_id"), data.data.get("video_url")
    if bool(video_id) == bool(url):
        raise invalid("exactly one of video_id and video_url is required")
    seconds = _URL_SECONDS
    if video_id:
        found = sb.find_video(str(video_id))
        if found is None:
            raise not_found(f"video_id {video_id} does not exist")
        seconds = float(found["duration"] or _URL_SECONDS)
    sid = sb.new_id()
    sessions = _sessions(sb)
    sessions[sid] = {"seconds": seconds, "selections": [], "created_ms": sb.now_ms()}
    sb.store.set_meta(_META, sessions)
    return {"session_id": sid, "fps": 24, "frames": int(seconds * 24), "duration": f"{seconds:g}"}


def _points(body: Any) -> list[list[float]]:
    return [[int(body["frame_index"]), float(p["x"]), float(p["y"])] for p in body["points"]]


def _add(sb: SandboxState, body: Any) -> Any:
    _refuse(edit.check_points(body))
    sessions, session = _session(sb, body)
    if body["frame_index"] >= int(session["seconds"] * 24):
        raise invalid(f"frame_index {body['frame_index']} is past the video's last frame")
    session["selections"] += _points(body)
    sb.store.set_meta(_META, sessions)
    return {"session_id": body["session_id"], "selections": len(session["selections"])}


def _delete(sb: SandboxState, body: Any) -> Any:
    _refuse(edit.check_points(body))
    sessions, session = _session(sb, body)
    gone = _points(body)
    session["selections"] = [
        s for s in session["selections"]
        if not any(s[0] == g[0] and abs(s[1] - g[1]) < 1e-6 and abs(s[2] - g[2]) < 1e-6 for g in gone)
    ]  # fmt: skip
    sb.store.set_meta(_META, sessions)
    return {"session_id": body["session_id"], "selections": len(session["selections"])}


def _clear(sb: SandboxState, body: Any) -> Any:
    sessions, session = _session(sb, body)
    session["selections"] = []
    sb.store.set_meta(_META, sessions)
    return {"session_id": body["session_id"], "selections": 0}


def _preview(sb: SandboxState, body: Any) -> Any:
    _, session = _session(sb, body)
    points = [{"frame_index": int(f), "x": x, "y": y} for f, x, y in session["selections"]]
    return {"session_id": body["session_id"], "selections": points}


_STEPS: dict[str, Callable[[SandboxState, Any], Any]] = {
    "init-selection": _init,
    "add-selection": _add,
    "delete-selection": _delete,
    "clear-selection": _clear,
    "preview-selection": _preview,
}


def routes() -> list[Route]:
    """The five session steps, ``POST /v1/videos/multi-elements/{step}`` (the edit task's create, get and
    list routes come from the catalog endpoint)."""

    def step_route(step: str) -> Route:
        path = edit.STEP_PATH.format(step=step)

        async def route(request: Request) -> Response:
            async def handle(request: Request) -> Any:
                return _STEPS[step](state_of(request), await read_json(request))

            return await gate(request, "any", f"POST {path}", False, handle)

        return Route(path, route, methods=["POST"])

    return [step_route(step) for step in edit.STEPS]


def plan_edit(ctx: Context, data: Any, _model: str | None) -> Plan:
    body = Body(data)
    session = ctx.find_edit_session(str(body.data.get("session_id"))) if ctx.find_edit_session else None
    if body.has("session_id") and session is None:
        raise not_found(f"session_id {body.data.get('session_id')} does not exist (or expired)")
    known = catalog.Known(selections=len(session["selections"]) if session else None)
    ok = _checked("multi-elements", body.data, known)  # the catalog's contract, with the session's state
    source = None
    for i, item in enumerate(body.data.get("image_list") or []):
        ref = _image_value(
            ctx, f"image_list[{i}].image", item.get("image") if isinstance(item, dict) else None
        )
        source = source or ref.get("file")
    units, seconds = ok.estimate.units, float(ok.duration or 0)
    resolution = "1080p" if body.data.get("mode") == "pro" else "720p"
    width, height = (1920, 1080) if resolution == "1080p" else (1280, 720)
    plan = Plan("multi-elements", "legacy", "video", str(body.data.get("model_name") or edit.MODELS[0]),
                units=units, weight=1, work_seconds=_video_work(seconds, resolution),
                outputs=[_video_output(width, height, 24, seconds, audio=False,
                                       prompt=str(body.data.get("prompt") or body.data["edit_mode"]),
                                       first_frame=source)],
                billing={"mode": body.data.get("mode") or "std", "duration": seconds})  # fmt: skip
    from ._plan import _options

    _options(plan, body)
    return plan


PLANS: dict[str, Callable[[Context, Any, str | None], Plan]] = {"multi-elements": plan_edit}


def find_session(sb: SandboxState, session_id: str) -> dict[str, Any] | None:
    """An edit session by id (for the edit task's plan), or None."""
    found = _sessions(sb).get(session_id)
    return found if isinstance(found, dict) else None
