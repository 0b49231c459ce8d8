"""The installed ``klingkit video --images``, ``klingkit image expand``, ``klingkit image omni`` and
``klingkit multishot`` against the sandbox over HTTP: saved media opened with a real decoder, creates
counted on the server, and refusals that send nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def _refused(res: Any, *words: str) -> str:
    assert res.code == 2, (res.stdout, res.stderr)
    message = str(json.loads(res.stdout)["error"]["message"])
    assert all(w in message for w in words), message
    return message


def _posts(cli: Any, route: str) -> int:
    return int(cli.sandbox.counters()["requests"].get(f"POST {route}", 0))


def _three(cli: Any, photo: Path) -> list[str]:
    from PIL import Image

    names = []
    for i, colour in enumerate(((200, 30, 30), (30, 200, 30), (30, 30, 200))):
        path = cli.cwd / f"person{i}.png"
        Image.new("RGB", (640, 480), colour).save(path)
        names.append(path.name)
    return names


def test_video_images_makes_one_multi_image_video(cli: Any, photo: Path) -> None:
    av = pytest.importorskip("av")
    names = _three(cli, photo)
    out = cli.run(
        "video", "three friends meet", "--images", *names, "-d", "10", "-o", "meet.mp4", "--json"
    ).ok()
    with av.open(out["files"][0]) as container:
        video = container.streams.video[0]
        assert float(container.duration or 0) / 1e6 == pytest.approx(10.0, abs=0.15) and video.frames != 0
    assert out["model"] == "kling-v1-6" and out["units"] == pytest.approx(4.0)  # 0.4 units/s, std
    assert cli.creates() == 1 and _posts(cli, "/v1/videos/multi-image2video") == 1


def test_video_images_refuses_before_sending(cli: Any, photo: Path) -> None:
    names = _three(cli, photo)
    _refused(cli.run("video", "x", "--images", *names, *names, "--json"), "--images", "6 images", "1 to 4")
    _refused(cli.run("video", "x", "--images", *names, "-i", names[0], "--json"), "-i/--image", "--images")
    _refused(cli.run("video", "x", "--images", *names, "--model", "kling-v2-6", "--json"), "kling-v2-6")
    _refused(cli.run("video", "x", "--images", "missing.png", "--json"), "--images", "missing.png")
    assert cli.creates() == 0


def test_image_expand_outpaints_to_the_asked_size(cli: Any, photo: Path) -> None:
    from PIL import Image

    out = cli.run("image", "expand", str(photo), "--left", "0.5", "--right", "0.5", "--up", "0.25",
                  "-o", "wide.png", "--json").ok()  # fmt: skip
    with Image.open(out["files"][0]) as img:
        img.load()
        assert img.size == (1280, 600)  # 640 x (1 + 0.5 + 0.5), 480 x (1 + 0.25)
    assert out["units"] == pytest.approx(8.0) and _posts(cli, "/v1/images/editing/expand") == 1


def test_image_expand_refuses_too_much_and_nothing(cli: Any, photo: Path) -> None:
    _refused(cli.run("image", "expand", str(photo), "--left", "2", "--right", "2", "--json"), "3x")
    _refused(cli.run("image", "expand", str(photo), "--json"), "every side is 0")
    res = cli.run("image", "expand", str(photo), "--up", "2.5", "--json")
    assert res.code == 2 and "--up" in res.stdout + res.stderr
    assert cli.creates() == 0


def test_image_omni_saves_every_image(cli: Any, photo: Path) -> None:
    from PIL import Image

    out = cli.run("image", "omni", "the scene as a clay diorama", "--ref", str(photo), "-n", "2",
                  "-o", "omni/", "--json").ok()  # fmt: skip
    assert len(out["files"]) == 2 and out["units"] == pytest.approx(16.0)
    for file in out["files"]:
        with Image.open(file) as img:
            img.load()
    assert _posts(cli, "/v1/images/omni-image") == 1


def test_image_omni_kling_image_4_series_at_4k(cli: Any) -> None:
    from PIL import Image

    out = cli.run("image", "omni", "three views of a teapot", "--model", "kling-image-4.0", "--series", "3",
                  "--resolution", "4k", "-o", "views/", "--json").ok()  # fmt: skip
    assert len(out["files"]) == 3 and out["units"] == pytest.approx(48.0)  # 16 units an image at 4k (L)
    with Image.open(out["files"][0]) as img:
        assert max(img.size) == 4096
    assert _posts(cli, "/omni-image/kling-image-4.0") == 1 and cli.creates() == 1


def test_image_omni_refuses_before_sending(cli: Any, photo: Path) -> None:
    _refused(cli.run("image", "omni", "x", "--skill", "webpage", "--json"), "--skill", "kling-long-image-4.0")
    _refused(cli.run("image", "omni", "x", "--resolution", "4k", "--json"), "--resolution", "4k")
    _refused(cli.run("image", "omni", "x", "--series", "many", "--json"), "--series", "many")
    assert cli.creates() == 0


def test_image_still_takes_a_prompt_and_names_its_subcommands(cli: Any) -> None:
    out = cli.run("image", "a lighthouse at dusk", "--dry-run", "--json").ok()
    assert out["request"]["path"] == "/v1/images/generations"
    helped = cli.run("image", "--help")
    assert (
        helped.code == 0
        and "klingkit image expand" in helped.stdout
        and "klingkit image omni" in helped.stdout
    )
    assert cli.creates() == 0


def test_multishot_saves_three_views_of_the_picture(cli: Any, photo: Path) -> None:
    from PIL import Image

    out = cli.run("multishot", str(photo), "-o", "views/", "--json").ok()
    assert len(out["files"]) == 3 and out["units"] == pytest.approx(20.0)
    for file in out["files"]:
        with Image.open(file) as img:
            img.load()
            assert img.size == (640, 480)
    assert _posts(cli, "/v1/general/ai-multi-shot") == 1 and cli.creates() == 1


def test_multishot_dry_run_prices_and_sends_nothing(cli: Any, photo: Path) -> None:
    out = cli.run("multishot", str(photo), "--dry-run", "--json").ok()
    assert out["request"]["path"] == "/v1/general/ai-multi-shot" and out["units"] == pytest.approx(20.0)
    _refused(cli.run("multishot", "nothing.png", "--json"), "IMAGE", "nothing.png")
    assert cli.creates() == 0


@pytest.mark.parametrize(
    ("words", "cword", "offered"),
    [
        ("klingkit image ex", "2", "expand"),
        ("klingkit image o", "2", "omni"),
        ("klingkit image expand --le", "3", "--left"),
    ],
)
def test_tab_offers_the_image_subcommands_and_their_options(
    cli: Any, words: str, cword: str, offered: str
) -> None:
    import subprocess

    env = {**cli.environ(), "_KLINGKIT_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": cword}
    got = subprocess.run([cli.exe], env=env, capture_output=True, text=True, timeout=30)
    assert offered in [line.split(",", 1)[-1] for line in got.stdout.splitlines()], got.stdout  # "plain,WORD"
