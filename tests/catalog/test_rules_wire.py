"""The rule kinds of wire bodies (``rules/_vocab_wire.py``), run by the one interpreter: dotted paths, object
and list shapes that end a table, typed items with per-type counts and rules, decoded media facts and
@mentions. Each test is a small table a route could hold and the refusals a user would read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from klingkit.catalog.rules import Checks
from klingkit.catalog.rules._interp import Ctx, refusals
from klingkit.catalog.rules._vocab import (
    Field,
    Forbid,
    Items,
    Media,
    Mentions,
    Refuse,
    Require,
    Rule,
    Shape,
    Tally,
    Typed,
)

TYPES = ("prompt", "image", "element")


def _found(rules: tuple[Rule, ...], body: Any, **ctx: Any) -> list[tuple[str, Any, Any, str]]:
    return [(r.field, r.value, r.allowed, r.suggestion) for r in refusals(rules, Ctx(body, **ctx), Checks())]


def test_dotted_paths_read_inside_objects_and_a_broken_step_reads_as_absent() -> None:
    table: tuple[Rule, ...] = (Field("settings.resolution", enum=("720p", "1080p")),)
    assert _found(table, {"settings": {"resolution": "4k"}}) == [
        ("settings.resolution", "4k", "720p, 1080p", "")
    ]
    assert _found(table, {"settings": {"resolution": "720p"}}) == []
    assert _found(table, {"settings": "x"}) == [] and _found(table, {}) == []


def test_a_shape_with_stop_ends_the_table_and_empty_counts_as_absent() -> None:
    table: tuple[Rule, ...] = (
        Shape("options", "object"),
        Shape("settings", "object", stop=True),
        Require("prompt", "a prompt"),
    )
    assert [f for f, *_ in _found(table, {"options": 3, "settings": [1]})] == ["options", "settings"]
    # An empty value is absent, so the table goes on to the missing prompt.
    assert _found(table, {"settings": []}) == [("prompt", None, "a prompt", "")]
    listed: tuple[Rule, ...] = (Shape("contents", "list", "a non-empty array", required=True),)
    assert _found(listed, {"contents": []}) == [("contents", [], "a non-empty array", "")]
    assert _found(listed, {"contents": {"type": "x"}})[0][:2] == ("contents", {"type": "x"})


def test_forbid_can_judge_presence_by_key_so_a_null_is_refused() -> None:
    table: tuple[Rule, ...] = (
        Forbid(
            "options.callback_url", "absent", present=lambda x: "callback_url" in (x.get("options") or {})
        ),
    )
    assert _found(table, {"options": {"callback_url": None}}) == [
        ("options.callback_url", None, "absent", "")
    ]
    assert _found(table, {"options": {}}) == []


def test_typed_items_are_refused_by_index_and_counted_per_type() -> None:
    table: tuple[Rule, ...] = (
        Typed("contents", TYPES),
        Tally("contents", ("prompt",), hi=1, each=True, shown="a second prompt", allowed="one prompt"),
        Tally("contents", ("prompt",), lo=1, shown="no prompt", allowed="one {{type: prompt}} item"),
        Tally("contents", ("image",), hi=lambda x: 1, what="images"),
        Tally("contents", ("image", "element"), lo=2, hi=2, what="inputs"),
    )
    body = {"contents": ["x", {"type": "video"}, {"type": "image"}, {"type": "image"}, {"type": "image"}]}
    assert _found(table, body) == [
        ("contents[0].type", None, "prompt, image, element", ""),
        ("contents[1].type", "video", "prompt, image, element", ""),
        ("contents", "no prompt", "one {type: prompt} item", ""),
        ("contents", "3 images", "at most 1 images", ""),
        ("contents", "3 inputs", "exactly 2 inputs", ""),
    ]
    two = {"contents": [{"type": "prompt"}, {"type": "image"}, {"type": "prompt"}, {"type": "element"}]}
    assert _found(table, two) == [("contents[2]", "a second prompt", "one prompt", "")]


def test_each_types_rules_run_on_its_items_in_order_with_the_item_named() -> None:
    url = Require("url", "a URL")
    table: tuple[Rule, ...] = (
        Items("contents", {"prompt": (Field("text", max_len=5, required=True),)}, first=True),
        Items("contents", {"image": (url,), "element": (Require("id", "an id"),)}),
        Items("contents", {"image": (Refuse("url", when=lambda x: x.body != x.p, allowed="-"),)}, first=True),
    )
    body = {
        "contents": [
            {"type": "image"},
            {"type": "prompt", "text": "far too long"},
            {"type": "element"},
            {"type": "prompt", "text": "also far too long"},
            {"type": "image", "url": "u"},
        ]
    }
    assert [f for f, *_ in _found(table, body)] == [
        "contents[1].text",  # the first prompt only
        "contents[0].url",
        "contents[2].id",
    ]  # the third table saw the whole body beside the item, and its url was refused already


def test_media_refuses_every_limit_decoding_found_broken() -> None:
    @dataclass
    class Facts:
        seconds: float | None = None
        fps: float | None = None
        width: int | None = None
        height: int | None = None

    rule = Media(
        "url", what="videos", seconds=(3, 30), fps_min=24, side=(700, 4000), pixels_max=8_000_000,
        aspect=(0.4, 2.5), aspect_text="2:5 to 5:2", why="input video",
    )  # fmt: skip
    table: tuple[Rule, ...] = (Items("contents", {"video": (rule,)}),)
    body = {"contents": [{"type": "video"}, {"type": "video"}, {"type": "video"}]}
    media = {
        "contents[0]": Facts(seconds=31, fps=23.976, width=3000, height=3000),
        "contents[1]": Facts(seconds=2.5, width=4000, height=1000),
        "contents[2]": Facts(),  # nothing known: nothing checked
    }
    assert _found(table, body, media=media) == [
        ("contents[0].url", "31 s", "videos of 3-30 s", "input video"),
        ("contents[0].url", "23.976 fps", "at least 24 fps", "input video"),
        ("contents[0].url", "3000x3000", "at most 8,000,000 pixels", "input video"),
        ("contents[1].url", "2.5 s", "videos of 3-30 s", "input video"),
        ("contents[1].url", "4000x1000", "2:5 to 5:2", "input video"),
    ]
    ok = {"contents[0]": Facts(seconds=5, fps=23.995, width=1280, height=720)}
    assert _found(table, {"contents": [{"type": "video"}]}, media=ok) == []
    # Outside Items the facts are looked up by the rule's own name.
    assert _found(
        (Media("sound_file", what="audio", seconds=(2, 300)),), {}, media={"sound_file": Facts(1)}
    ) == [("sound_file", "1 s", "audio of 2-300 s", "")]


def _prompt(x: Ctx) -> Any:
    return x.get("prompt")


def test_every_mention_names_an_item_whose_id_is_unique_and_no_prefix_of_another() -> None:
    table: tuple[Rule, ...] = (
        Mentions("prompt", text=_prompt, find=lambda t: [w[1:] for w in t.split() if w[:1] == "@"]),
    )
    items = [
        {"type": "element", "id": "hero"},
        {"type": "voice", "id": "hero2"},
        {"type": "element", "id": "hero"},
    ]
    found = _found(table, {"prompt": "@hero meets @villain", "contents": items})
    assert found == [
        ("contents[0].id", "hero", "an id that is not the start of another id", "@hero would be read inside @hero2"),
        ("contents[2].id", "hero", "an id no other item has", ""),
        ("contents[2].id", "hero", "an id that is not the start of another id", "@hero would be read inside @hero2"),
        ("prompt", "@villain", "@hero, @hero2, @hero", "every @id must name an element or voice"),
    ]  # fmt: skip
    assert _found(table, {"prompt": "@x"}) == [
        (
            "prompt",
            "@x",
            "no @ids (no element or voice items given)",
            "every @id must name an element or voice",
        )
    ]
    assert _found(table, {"prompt": "@hero", "contents": items[:1]}) == []
