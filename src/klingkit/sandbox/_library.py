"""The elements and voices library in the sandbox: create tasks (planned here, checked by the catalog's
``klingkit.catalog.library`` rules), preset lists, and deletes (``routes()``, registered in ``_app``).

A created element is a task whose result holds ``elements[]``; a custom voice's result holds ``voices[]``
with a rendered sample (``url``). Deleting marks the item ``deleted`` in its task (the custom lists still
show the task, with that status); presets cannot be deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from klingkit import catalog as facts
from klingkit.catalog import library

from ._errors import invalid, not_found
from ._http import gate, read_json, state_of
from ._plan import Body, Context, OutputPlan, Plan, _checked, _image_value
from ._plan_build import media_seconds


def _refuse(refusals: list[Any]) -> None:
    if refusals:
        raise invalid("; ".join(str(r) for r in refusals[:3]))


def refuse_unknown_ids(ctx: Context, body: Any) -> None:
    """A create naming an element or voice that is neither a preset nor a live custom one of this
    sandbox is refused with 400/1201, naming the field and the id (the ids come from the catalog)."""
    if ctx.has_library_item is None:
        return
    for field, kind, item_id in library.ids_in(body):
        if isinstance(item_id, bool) or not isinstance(item_id, (str, int)):
            continue  # a malformed id is the route rules' refusal
        if str(item_id) in library.preset_ids(kind) or ctx.has_library_item(kind, str(item_id)):
            continue
        raise invalid(f"{field}: {kind} {item_id} does not exist (neither a preset nor one of your {kind}s)")


def element(ctx: Context, data: Any, _model: str | None) -> Plan:
    body = Body(data)
    ok = _checked("custom-elements", body.data)  # the catalog's contract
    refs = []
    for i, ref in enumerate(body.data["references"]):
        url = ref["image_url"]
        _image_value(ctx, f"references[{i}].image_url", url)
        refs.append(
            {"image_url": url if url.startswith(("http://", "https://")) else f"uploaded image {i + 1}"}
        )
    meta = {
        "name": body.data["name"],
        "description": body.data.get("description") or "",
        "element_type": body.data.get("element_type") or "character",
        "references": refs,
        "owned_by": "user",
        "status": "available",
        "tags": list(body.data.get("tags") or []),
    }
    plan = Plan("custom-elements", "legacy", "video", None, units=ok.estimate.units, weight=0, work_seconds=20,
                outputs=[OutputPlan("element", None, {"meta": meta})])  # fmt: skip
    _options(plan, body)
    return plan


def voice(ctx: Context, data: Any, _model: str | None) -> Plan:
    body = Body(data)
    seconds = media_seconds(ctx, "audio_file", body.data.get("audio_file"), "audio")
    ok = _checked("custom-voices", body.data, facts.Known(media_seconds=seconds))  # the catalog's contract
    sample = min(seconds or 6.0, 6.0)
    meta = {"name": body.data["name"], "owned_by": "user", "status": "available"}
    plan = Plan("custom-voices", "legacy", "audio", None, units=ok.estimate.units, weight=0, work_seconds=30,
                outputs=[OutputPlan("voice", sample, {"meta": meta, "prompt": body.data["name"]})])  # fmt: skip
    _options(plan, body)
    return plan


def _options(plan: Plan, body: Body) -> None:
    from ._plan import _options as read_options

    read_options(plan, body)


PLANS: dict[str, Callable[[Context, Any, str | None], Plan]] = {
    "custom-elements": element,
    "custom-voices": voice,
}


def _presets_elements() -> list[dict[str, Any]]:
    return [{**p, "status": "available", "description": "", "tags": []} for p in library.PRESET_ELEMENTS]


def _presets_voices() -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for language, voices in facts.VOICES.items():
        for voice_id in voices:
            entry = seen.setdefault(voice_id, {"id": voice_id, "name": voice_id, "owned_by": "kling",
                                               "status": "available", "languages": []})  # fmt: skip
            entry["languages"].append(language)
    return list(seen.values())


def _delete(kind: str, key: str, presets: Callable[[], list[dict[str, Any]]]) -> Callable[..., Any]:
    async def handle(request: Request) -> Any:
        sb = state_of(request)
        body = await read_json(request)
        _refuse(library.check_delete(body, key))
        preset_ids = {p["id"] for p in presets()}
        deleted = []
        for item_id in body[key]:
            if item_id in preset_ids:
                raise invalid(f"{key}: {item_id} is a preset {kind}; only your own can be deleted")
            found = sb.store.find_output(item_id)
            if found is None or found[1].kind != kind:
                raise not_found(f"{kind} {item_id} does not exist")
            task, out = found
            out.render.setdefault("meta", {})["status"] = "deleted"
            sb.store.save(task)
            deleted.append(item_id)
        return {"deleted": deleted}

    return handle


def routes() -> list[Route]:
    """Preset lists and deletes (the create and custom-list routes come from the catalog endpoints)."""

    def listing(presets: Callable[[], list[dict[str, Any]]], label: str) -> Callable[[Request], Any]:
        async def route(request: Request) -> Response:
            async def handle(request: Request) -> Any:
                return presets()

            return await gate(request, "query", label, False, handle)

        return route

    def deleting(kind: str, key: str, presets: Callable[[], list[dict[str, Any]]], label: str) -> Any:
        handler = _delete(kind, key, presets)

        async def route(request: Request) -> Response:
            return await gate(request, "any", label, False, handler)

        return route

    return [
        Route(library.PRESET_ELEMENTS_PATH, listing(_presets_elements, f"GET {library.PRESET_ELEMENTS_PATH}"),
              methods=["GET"]),
        Route(library.PRESET_VOICES_PATH, listing(_presets_voices, f"GET {library.PRESET_VOICES_PATH}"),
              methods=["GET"]),
        Route(library.DELETE_ELEMENTS_PATH,
              deleting("element", "element_ids", _presets_elements, f"POST {library.DELETE_ELEMENTS_PATH}"),
              methods=["POST"]),
        Route(library.DELETE_VOICES_PATH,
              deleting("voice", "voice_ids", _presets_voices, f"POST {library.DELETE_VOICES_PATH}"),
              methods=["POST"]),
    ]  # fmt: skip


def recognize_image(ctx: Context, data: Any, _model: str | None) -> Plan:
    """``/v1/videos/image-recognize``: a mask the size of the image, at once (catalog rules)."""
    body = Body(data)
    ok = _checked("image-recognize", body.data)  # the catalog's contract
    image = _image_value(ctx, "image", body.data["image"])
    width, height = image.get("width", 1024), image.get("height", 1024)
    mask = OutputPlan(
        "image", None, {"width": width, "height": height, "prompt": body.data["type"], "index": 0}
    )
    plan = Plan("image-recognize", "legacy", "video", None, units=ok.estimate.units, weight=0, work_seconds=0,
                outputs=[mask])  # fmt: skip
    plan.external_id = body.text("external_task_id", 256) or None
    return plan


PLANS["image-recognize"] = recognize_image
