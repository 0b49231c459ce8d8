"""Avatar, motion control, elements, voices and multi-element editing as rule tables: what the tables decide
that the hand-written checks they replaced did not (each a deliberate change, found by the differential fuzz
of old vs new), and the server-only facts they read."""

from __future__ import annotations

from klingkit import catalog
from klingkit.catalog import rules

ROUTES = (
    "avatar",
    "motion-control",
    "motion-control-new",
    "custom-elements",
    "custom-voices",
    "multi-elements",
)


def test_each_route_is_a_table_the_interpreter_reads() -> None:
    for feature in ROUTES:
        assert rules.TABLES[feature], feature


def test_an_unknown_motion_model_no_longer_hides_the_bodys_other_faults() -> None:
    body = {"model_name": "kling-v1", "image_url": 3, "video_url": "v", "character_orientation": "up"}
    found = catalog.refusals("motion-control", body)
    assert [r.field for r in found] == ["model_name", "image_url", "character_orientation"]
    assert found[0].value == "kling-v1" and found[0].allowed == "kling-v2-6, kling-v3"
    # The 2026 route's resolution rule reads the model's row: silent for a model the route does not take.
    new = {"model_name": "kling-v3", "contents": [], "settings": {"resolution": "4k"}}
    assert [r.field for r in catalog.refusals("motion-control-new", new)] == [
        "model_name",
        "contents[type=image].url",
        "contents[type=video].url",
    ]
    assert [r.field for r in catalog.refusals("motion-control-new", {**new, "model_name": "kling-3.0"})][
        -1
    ] == ("settings.resolution")


def test_one_bad_image_list_is_one_refusal_not_two() -> None:
    body = {"session_id": "s", "edit_mode": "swap", "prompt": "a cat", "image_list": [{"image": "i"}] * 5}
    found = catalog.refusals("multi-elements", body)
    assert [(r.field, r.allowed) for r in found] == [("image_list", "at most 4 images")]


def test_what_only_a_server_knows_is_refused_by_the_server_alone() -> None:
    removal = {"session_id": "s", "edit_mode": "removal"}
    assert catalog.refusals("multi-elements", removal) == []  # a client cannot know the session
    [empty] = catalog.refusals("multi-elements", removal, known=catalog.Known(selections=0))
    assert (empty.field, empty.value, empty.policy) == ("session_id", "no selection", catalog.SERVER_STATE)
    assert catalog.refusals("multi-elements", removal, known=catalog.Known(selections=1)) == []
    voice = {"name": "n", "audio_file": "aGVsbG8="}
    assert catalog.refusals("custom-voices", voice) == []
    [short] = catalog.refusals("custom-voices", voice, known=catalog.Known(media_seconds=4.5))
    assert (short.field, short.value, short.allowed) == ("audio_file", "4.5 s", "a sample of 5-30 s")
    avatar = {"image": "i", "audio_id": "a", "mode": "pro"}
    [long] = catalog.refusals("avatar", avatar, known=catalog.Known(media_seconds=301))
    assert (long.field, long.allowed) == ("audio_id", "audio of 2-300 s")
    # The motion reference's length depends on the orientation asked for (image 3-10 s, video 3-30 s).
    motion = {"model_name": "kling-v3", "image_url": "i", "video_url": "v"}
    twelve = catalog.Known(media_seconds=12)
    assert [r.allowed for r in catalog.refusals("motion-control", motion, known=twelve)] == [
        "a reference video of 3-10 s"
    ]
    assert (
        catalog.refusals("motion-control", {**motion, "character_orientation": "video"}, known=twelve) == []
    )


def test_a_malformed_value_is_refused_not_a_crash() -> None:
    # The old checks raised TypeError on an unhashable mode and priced an empty-list orientation by crashing.
    assert [
        r.field for r in catalog.refusals("motion-control", {"image_url": "i", "video_url": "v", "mode": []})
    ] == ["mode"]
    checked = catalog.check(
        "motion-control", {"image_url": "i", "video_url": "v", "character_orientation": []}
    )
    assert checked.estimate.units > 0 and checked.estimate.exact is False


def test_a_2026_motion_body_of_the_wrong_shape_is_refused_once() -> None:
    items = [{"type": "image", "url": "i"}, {"type": "video", "url": "v"}]
    ok = {"model_name": "kling-3.0", "contents": items}
    assert catalog.refusals("motion-control-new", ok) == []
    # settings="1080p" was read as no settings, made and billed at 720p; now it is refused, once.
    [settings] = catalog.refusals("motion-control-new", {**ok, "settings": "1080p"})
    assert (settings.field, settings.value, settings.allowed) == ("settings", "1080p", "an object")
    [contents] = catalog.refusals("motion-control-new", {**ok, "contents": "i v"})
    assert (contents.field, contents.allowed) == ("contents", "a list of {type, url|text} items")


def test_every_edit_image_is_an_object_with_an_image() -> None:
    # The catalog states it (the sandbox alone refused it, by hand, after the rules had accepted).
    body = {"session_id": "s", "edit_mode": "swap", "prompt": "a cat"}
    found = catalog.refusals("multi-elements", {**body, "image_list": [1, {"image": 3}, {"image": "ok"}]})
    assert [(r.field, r.value) for r in found] == [("image_list[0].image", None), ("image_list[1].image", 3)]
    assert found[0].suggestion == "required"
    assert catalog.refusals("multi-elements", {**body, "image_list": [{"image": "ok"}]}) == []
