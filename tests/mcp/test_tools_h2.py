"""The tools added for the 2026-H2 routes, over stdio with the official MCP SDK's client, against the
sandbox over HTTP: video editing, image recognition, AI multi-shot, image expand, omni image (Image 4.0 and
Long Image 4.0), Kling 4.0 omni video and Try-On 3.0's options.

For each: the schema carries the catalog's values, estimate prices what the library prices (nothing sent),
the generate call answers with a handle, the saved result decodes, and the same idempotency key creates
nothing new (counted on the sandbox)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import av
import pytest
from PIL import Image

from klingkit import catalog, ops, prepare

pytestmark = pytest.mark.integration


def _pictures(folder: Path) -> tuple[str, str]:
    person = folder / "person.png"
    Image.new("RGB", (768, 1024), (150, 110, 80)).save(person)
    thing = folder / "thing.png"
    Image.new("RGB", (640, 640), (40, 90, 200)).save(thing)
    return str(person), str(thing)


def _decodes(entry: dict[str, Any]) -> str:
    """The kind of a saved file, after opening it with a real decoder (Pillow, PyAV)."""
    path = entry["path"]
    assert Path(path).stat().st_size == entry["bytes"] > 0, entry
    if path.endswith((".mp4", ".mov")):
        with av.open(path) as container:
            assert container.streams.video and container.duration, path
            next(container.decode(video=0))
        return "video"
    with Image.open(path) as img:
        img.load()
        assert img.width > 0 and img.height > 0
    return "image"


async def test_new_tools_carry_the_catalogs_values(h: Any) -> None:
    async with h.stdio() as client:
        listed = {t.name: t.input_schema["properties"] for t in (await client.list_tools()).tools}
    assert set(listed) == set(ops.OPERATIONS)
    edit = listed["edit_video"]
    assert edit["mode"]["enum"] == list(catalog.edit.MODES)
    assert edit["duration"]["enum"] == list(catalog.edit.DURATIONS)
    assert edit["points"]["maxItems"] == catalog.edit.POINTS_MAX and "idempotency_key" in edit
    assert listed["recognize_image"]["kind"]["enum"] == list(catalog.recognize.KINDS)
    expand = listed["expand_image"]
    assert (expand["left"]["minimum"], expand["left"]["maximum"]) == (
        catalog.EXPAND_RATIO_MIN,
        catalog.EXPAND_RATIO_MAX,
    )
    omni_image = listed["omni_image"]
    assert set(catalog.image4.MODELS) <= set(omni_image["model"]["enum"])
    assert omni_image["skill"]["enum"] == list(catalog.image4.SKILLS)
    assert set(catalog.image4.RESOLUTIONS) <= set(omni_image["resolution"]["enum"])
    omni_video = listed["omni_video"]
    assert omni_video["model"]["enum"] == list(catalog.kling4.MODELS)
    assert omni_video["aspect_ratio"]["enum"] == list(catalog.kling4.ASPECT_RATIOS)
    assert omni_video["refs"]["maxItems"] == catalog.kling4.OMNI_IMAGES_MAX
    assert omni_video["elements"]["maxItems"] == catalog.kling4.OMNI_ELEMENTS_MAX
    try_on = listed["try_on"]
    assert {"solution", *catalog.tryon.SETTINGS} <= set(try_on)
    assert all(kind in try_on["garment_image"]["description"] for kind in catalog.tryon.GARMENT_PHOTOS)
    # honest about ids decided at call time: presets are examples, not the only values allowed
    for tool, name in (("text_to_speech", "voice_id"), ("lip_sync", "voice_id"), ("apply_effect", "scene")):
        assert "enum" not in listed[tool][name] and listed[tool][name]["examples"], (tool, name)
    assert catalog.VOICES["en"][0] in listed["text_to_speech"]["voice_id"]["examples"]


def _cases(person: str, thing: str) -> list[tuple[str, dict[str, Any], str]]:
    """(tool, arguments, kind of the first saved file)."""
    return [
        ("recognize_image", {"image": person, "kind": "head_seg"}, "image"),
        ("multi_shot", {"image": person}, "image"),
        ("expand_image", {"image": thing, "left": 0.5, "right": 0.25, "prompt": "more sea"}, "image"),
        ("omni_image", {"prompt": "the cat from image 1 in clay", "refs": [thing], "n": 1}, "image"),
        ("omni_image", {"prompt": "a teapot", "model": "kling-image-4.0", "resolution": "2k"}, "image"),
        (
            "omni_image",
            {"prompt": "a page for tea", "model": "kling-long-image-4.0", "skill": "webpage", "style": thing},
            "image",
        ),
        ("omni_video", {"prompt": "a turntable of image 1", "refs": [thing], "duration": 3}, "video"),
        ("try_on", {"person_image": person, "garment_image": thing, "keep_background": False}, "image"),
    ]


async def test_each_new_tool_estimates_creates_once_and_saves_files_that_decode(
    h: Any, tools: Any, tmp_path: Path
) -> None:
    person, thing = _pictures(tmp_path)
    cases = _cases(person, thing)
    async with h.stdio() as client:
        answers = []
        for i, (name, args, _) in enumerate(cases):
            quote = tools.payload(await client.call_tool("estimate", {"operation": name, "arguments": args}))
            assert quote["sent"] is False and h.creates() == i, quote
            feature, params = ops.get(name).request(args)
            expected = prepare(feature, **params).estimate.units
            assert round(quote["estimate"]["units"], 6) == round(expected, 6), (name, quote)
            first = await client.call_tool(name, {**args, "idempotency_key": f"h2-{i}"})
            assert not first.is_error, tools.payload(first)
            again = tools.payload(await client.call_tool(name, {**args, "idempotency_key": f"h2-{i}"}))
            answers.append(tools.payload(first))
            assert again["task_id"] == answers[-1]["task_id"] and again["already_created"] is True
            assert h.creates() == i + 1, name  # the repeat created nothing
        results = [
            tools.payload(
                await client.call_tool("task_result", {"handle": a["external_id"], "wait_seconds": 40})
            )
            for a in answers
        ]
    for (name, _args, kind), answer, result in zip(cases, answers, results, strict=True):
        assert answer["estimate"]["units"] > 0 and answer["budget"], name
        assert result["status"] == "succeeded", (name, result)
        assert result["files"], (name, result)
        assert {_decodes(f) for f in result["files"]} == {kind}, name
    assert [a["operation"] for a in answers] == [c[0] for c in cases]
    assert len(results[1]["files"]) == catalog.multishot.VIEWS  # three views of the subject
    assert answers[-1]["status"] in ("submitted", "processing")  # answered before the task finished
    assert h.creates() == len(cases)
    routes = h.sb.counters()
    assert routes["creates"] == len(cases), routes


async def test_edit_video_opens_its_session_only_when_it_sends_and_once(
    h: Any, tools: Any, tmp_path: Path
) -> None:
    _, thing = _pictures(tmp_path)
    async with h.stdio() as client:
        source = tools.payload(
            await client.call_tool("generate_video", {"prompt": "a dog on a lawn", "model": "kling-v1-6"})
        )
        await tools.until_done(client, source["external_id"])
        edit = {"video": source["external_id"], "swap": thing, "points": ["0.5,0.5"], "prompt": "a cat"}
        quote = tools.payload(
            await client.call_tool("estimate", {"operation": "edit_video", "arguments": edit})
        )
        assert (
            h.creates() == 1
            and round(quote["estimate"]["units"], 6) == 5 * catalog.edit.UNITS_PER_SECOND["std"]
        ), quote
        bad = await client.call_tool("edit_video", {**edit, "remove": True})
        assert bad.is_error and h.creates() == 1
        assert "exactly one of add" in json.dumps(tools.payload(bad))
        first = tools.payload(await client.call_tool("edit_video", {**edit, "idempotency_key": "edit-1"}))
        again = tools.payload(await client.call_tool("edit_video", {**edit, "idempotency_key": "edit-1"}))
        result = tools.payload(
            await client.call_tool("task_result", {"handle": first["external_id"], "wait_seconds": 40})
        )
    assert again["task_id"] == first["task_id"] and again["already_created"] is True
    assert h.creates() == 2  # the source video and one edit
    assert result["status"] == "succeeded", result
    assert {_decodes(f) for f in result["files"]} == {"video"}


async def test_custom_voice_ids_pass_the_schema_and_the_sandbox_judges_them(
    h: Any, tools: Any, tmp_path: Path
) -> None:
    async with h.stdio() as client:
        unknown = await client.call_tool("text_to_speech", {"text": "hello", "voice_id": "my-voice-404"})
        preset = tools.payload(
            await client.call_tool("text_to_speech", {"text": "hello", "voice_id": catalog.VOICES["en"][0]})
        )
    assert unknown.is_error, tools.payload(unknown)  # refused by the server (the sandbox), not the schema
    assert preset["task_id"]


async def test_an_effect_scene_added_while_the_server_runs_is_accepted(
    h: Any, tools: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, thing = _pictures(tmp_path)
    user_file = tmp_path / "effects.json"
    user_file.write_text(json.dumps({"scenes": {}}))
    os.environ["KLINGKIT_EFFECTS"] = str(user_file)  # the server process reads it (copied into its env)
    try:
        params = h.stdio_params()
        params.env = {**(params.env or {}), "KLINGKIT_EFFECTS": str(user_file)}
        from mcp import Client

        async with Client(params, read_timeout_seconds=60) as client:
            before = await client.call_tool("estimate", {"operation": "apply_effect",
                                                         "arguments": {"scene": "neon_dream", "images": [thing]}})  # fmt: skip
            user_file.write_text(json.dumps({"scenes": {"neon_dream": {"images": 1, "units": 3}}}))
            after = tools.payload(await client.call_tool("estimate", {"operation": "apply_effect",
                                                                      "arguments": {"scene": "neon_dream", "images": [thing]}}))  # fmt: skip
    finally:
        del os.environ["KLINGKIT_EFFECTS"]
    err = tools.payload(before)["error"]
    assert before.is_error and err["field"] == "scene" and "KLINGKIT_EFFECTS" in err["what_to_do"], err
    assert after["estimate"]["units"] == 3
    assert h.creates() == 0


async def test_free_tools_take_the_cli_commands_switches(h: Any, tools: Any) -> None:
    """list_tasks filters as `klingkit history --unfinished/--batch` does; models as `--kind`."""
    async with h.stdio() as client:
        made = tools.payload(await client.call_tool("generate_image", {"prompt": "a lighthouse"}))
        await tools.until_done(client, made["external_id"])
        every = tools.payload(await client.call_tool("list_tasks", {}))
        unfinished = tools.payload(await client.call_tool("list_tasks", {"unfinished": True}))
        other_batch = tools.payload(await client.call_tool("list_tasks", {"batch": "no-such-batch"}))
        images = tools.payload(await client.call_tool("models", {"kind": "image"}))
        bad = await client.call_tool("models", {"kind": "audio"})
    assert [t["external_id"] for t in every["tasks"]] == [made["external_id"]]
    assert unfinished["tasks"] == [] and other_batch["tasks"] == []
    assert images["video_models"] == [] and images["image_models"]
    assert bad.is_error
