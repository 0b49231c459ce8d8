"""Issue 12: the command line in its users' words. One test (or more) per point of the issue, each
running the exact command a user typed, through the installed ``klingkit`` against a sandbox."""

from __future__ import annotations

import json
import shlex
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from klingkit.sandbox import Sandbox

from .conftest import CLI, FakeClock, Result, klingkit_command

pytestmark = pytest.mark.e2e


def _refused(res: Result, *words: str) -> str:
    """A refusal: exit 2, and stderr names every word (flag, value, what is allowed)."""
    assert res.code == 2, (res.code, res.stdout, res.stderr)
    for word in words:
        assert word in res.stderr, (word, res.stderr)
    return res.stderr


def _try_line(stderr: str) -> list[str]:
    (line,) = [ln for ln in stderr.splitlines() if ln.startswith("Try: klingkit ")]
    return shlex.split(line[len("Try: klingkit ") :])


def _video_size(path: Path) -> tuple[int, int]:
    import av

    with av.open(str(path)) as container:
        ctx = container.streams.video[0].codec_context
        return ctx.width, ctx.height


@pytest.fixture
def own_cli(tmp_path: Path) -> Any:
    """A CLI on a sandbox of its own: the shared one reuses output ids (and their cached renders) after
    a reset, which would hand a test another test's clip."""
    clock = FakeClock()
    with Sandbox(time_scale=0.0, seed=12, clock=clock) as sb:
        (tmp_path / "home").mkdir()
        (tmp_path / "work").mkdir()
        yield CLI(klingkit_command(), sb, tmp_path / "home", tmp_path / "work", clock)


# 1. The README's own cost example works.
def test_1_cost_example_from_the_readme_prices_without_a_prompt(cli: CLI) -> None:
    res = cli.run("cost", "video", "-d", "10", "-m", "pro", "--model", "kling-v3")
    assert res.code == 0, res.stderr
    assert "kling-v3" in res.stdout and "10 s" in res.stdout and "$" in res.stdout
    assert cli.creates() == 0


# 2. A model typo is refused locally with a did-you-mean, in dry runs too; --allow-unknown-model sends it.
def test_2_model_typo_is_refused_with_did_you_mean(cli: CLI) -> None:
    for extra in ((), ("--dry-run",)):
        res = cli.run("video", "x", "--model", "kling-v2-66", *extra)
        err = _refused(res, "--model kling-v2-66", "did you mean kling-v2-6")
        assert "$1.40" not in res.stdout + err
    assert cli.creates() == 0
    obj = json.loads(cli.run("video", "x", "--model", "kling-v2-66", "--json").stdout)
    assert obj["error"]["flag"] == "--model" and "kling-v2-6" in obj["error"]["try"]
    res = cli.run("video", "x", "--model", "kling-v2-66", "--allow-unknown-model", "--dry-run")
    assert res.code == 0 and "up to" in res.stdout and "Warning:" in res.stderr


# 3. Warnings: one line each, in the CLI's style, once; no source paths; no GetPassWarning.
def test_3_warnings_are_one_line_once_without_source_paths(cli: CLI, photo: Path) -> None:
    res = cli.run("effect", "brand_new_scene", "-i", str(photo), "--dry-run")  # a scene the catalog lacks
    warnings = [ln for ln in res.stderr.splitlines() if "brand_new_scene" in ln]
    assert res.code == 0 and len(warnings) == 1 and warnings[0].startswith("Warning: SCENE"), res.stderr
    assert ".py:" not in res.stderr and "UserWarning" not in res.stderr and "effect_scene=" not in res.stderr
    res = cli.run("video", "x", "--model", "kling-v2-66", "--allow-unknown-model", "--dry-run")
    assert sum("Warning: " in ln for ln in res.stderr.splitlines()) == 1, res.stderr
    assert "model_name=" not in res.stderr and "--model kling-v2-66" in res.stderr
    env = cli.environ()
    del env["KLING_API_KEY"]
    import subprocess

    proc = subprocess.run(
        [cli.exe, "auth", "set"], input="piped-key\n", capture_output=True, text=True, env=env, timeout=30
    )
    assert proc.returncode == 0 and "Warning" not in proc.stderr and "piped-key" not in proc.stderr


# 4. Global options before the subcommand.
def test_4_global_options_work_before_the_subcommand(cli: CLI) -> None:
    obj = cli.run(
        "--json", "--base-url", cli.sandbox.base_url, "video", "x", "--dry-run", base_url=False
    ).ok()
    assert obj["dry_run"] is True
    res = cli.run("--sandbox", "video", "x", "--dry-run", base_url=False)
    assert res.code == 0 and res.stdout.startswith("[sandbox]"), res.stderr
    obj = cli.run("--json", "-y", "video", "x", "-o", "g.mp4").ok()
    assert Path(obj["files"][0]).name == "g.mp4"
    res = cli.run("--json", "video", "x", "--nope", base_url=False)
    assert res.code == 2 and "--nope" in json.loads(res.stdout)["error"]["message"]
    obj = cli.run("--json", "cost", "video", "-d", "10", base_url=False).ok()
    assert obj["duration"] == 10


# 5. The resume line keeps -o; a --max-wait timeout prints one resume line.
def test_5_resume_line_keeps_the_output_path(cli: CLI) -> None:
    cli.sandbox.configure(task_seconds=600)
    proc = cli.start("video", "long one", "-o", "out/long.mp4")
    deadline = time.monotonic() + 30
    while "processing" not in (cli.sandbox.counters() or {}) and cli.creates() == 0:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    (line,) = [ln for ln in err.splitlines() if ln.startswith("Resume: ")]
    args = shlex.split(line[len("Resume: klingkit ") :])
    assert args[:2] == ["tasks", "wait"] and args[3:5] == ["-o", "out/long.mp4"]
    cli.clock.advance(601)
    out = cli.run(*args, "--json").ok()
    assert out["files"] == [str((cli.cwd / "out" / "long.mp4").resolve())]
    res = cli.run("video", "slow", "-o", "slow.mp4", "--max-wait", "1")
    assert res.code == 8
    resumes = {ln.split("klingkit ", 1)[1] for ln in res.stderr.splitlines() if "klingkit tasks wait" in ln}
    assert len(resumes) == 1 and next(iter(resumes)).endswith("-o slow.mp4"), res.stderr


# 6. extend/lipsync take the file klingkit made.
def test_6_extend_and_lipsync_take_a_file_klingkit_made(cli: CLI) -> None:
    cli.run("video", "sunset", "--model", "kling-v1-6", "-o", "sunset.mp4", "--json").ok()
    obj = cli.run("extend", "sunset.mp4", "-o", "longer.mp4", "--json").ok()
    assert Path(obj["files"][0]).exists()
    obj = cli.run(
        "lipsync", "sunset.mp4", "--text", "hello", "--voice", "genshin_vindi2", "-o", "t.mp4", "--json"
    ).ok()
    assert Path(obj["files"][0]).exists()
    (cli.home / "ledger.sqlite3").unlink()  # the sidecar beside the file is enough
    obj = cli.run("extend", "sunset.mp4", "-o", "again.mp4", "--json").ok()
    assert Path(obj["files"][0]).exists()
    (cli.cwd / "other.mp4").write_bytes(b"\x00" * 64)
    _refused(cli.run("extend", "other.mp4"), "did not make")


# 7. -r 9:16 on image-to-video gives a portrait clip; --fit pad and keep.
def test_7_ratio_on_image_to_video_gives_that_shape(own_cli: CLI, photo: Path) -> None:
    cli = own_cli
    res = cli.run("video", "animate scene", "-i", str(photo), "-d", "5", "-r", "9:16", "-o", "p.mp4")
    assert res.code == 0, res.stderr
    assert "cropped photo.png (640x480) to 9:16" in res.stderr and "ignored" not in res.stderr
    w, h = _video_size(cli.cwd / "p.mp4")
    assert h > w and abs(w / h - 9 / 16) < 0.02
    res = cli.run("video", "pad me", "-i", str(photo), "-r", "1:1", "--fit", "pad", "-o", "sq.mp4")
    assert res.code == 0 and "padded" in res.stderr
    w, h = _video_size(cli.cwd / "sq.mp4")
    assert abs(w - h) <= 2
    res = cli.run("video", "keep me", "-i", str(photo), "-r", "9:16", "--fit", "keep", "-o", "k.mp4")
    assert res.code == 0 and "--fit keep" in res.stderr
    w, h = _video_size(cli.cwd / "k.mp4")
    assert w > h


# 8. Errors in CLI terms, with the command line that works.
@pytest.mark.parametrize(
    ("args", "words", "fixed"),
    [
        (("video", "x", "--sound", "-m", "std"), ("--sound", "allowed"), ("-m", "pro")),
        (("video", "x", "--multi-shot"), ("--multi-shot",), ("--model", "kling-v3")),
        (("video", "x", "-d", "7"), ("-d/--duration 7", "allowed 5, 10"), ("--model",)),
        (("video", "x", "-i", "photo.png", "--tail", "photo.png"), ("--tail",), ()),
    ],
)
def test_8_refusals_name_the_flag_and_print_a_working_command(
    cli: CLI, photo: Path, args: tuple[str, ...], words: tuple[str, ...], fixed: tuple[str, ...]
) -> None:
    args = tuple(str(photo) if a == "photo.png" else a for a in args)
    res = cli.run(*args, base_url=False)
    err = _refused(res, *words)
    for python_word in ("sound='on'", "multi_shot=True", "image_tail", "voice_id=None", "feature=", "Kling("):
        assert python_word not in err, err
    assert "Fix: " in err
    fixed_args = _try_line(err)
    joined = " ".join(fixed_args)
    assert " ".join(fixed) in joined
    again = cli.run(*fixed_args, "--dry-run", base_url=False)
    assert again.code == 0, (fixed_args, again.stderr)
    assert cli.creates() == 0


# 9. Voices and effects are listed; --voice marked required; the language follows the voice.
def test_9_voices_and_effects_are_discoverable(cli: CLI) -> None:
    voices = cli.run("voices", "--json", base_url=False).ok()["voices"]
    english = next(v["voice_id"] for v in voices if v["language"] == "en")
    assert {"bullet_time", "hug_pro"} <= {
        e["scene"] for e in cli.run("effects", "--json", base_url=False).ok()["effects"]
    }
    assert "required with --text" in cli.run("lipsync", "--help", base_url=False).stdout
    obj = cli.run("audio", "tts", "Hello there", "--voice", english, "-o", "hi.mp3", "--json").ok()
    assert obj["files"]
    only_zh = next(v["voice_id"] for v in voices if v["language"] == "zh" and v["voice_id"] not in
                   {x["voice_id"] for x in voices if x["language"] == "en"})  # fmt: skip
    assert cli.run("audio", "tts", "你好", "--voice", only_zh, "--dry-run", "--json").ok()["dry_run"]


# 10. -o NAME.ext is honoured.
def test_10_output_name_and_format_are_honoured(cli: CLI) -> None:
    obj = cli.run("audio", "text", "rain on a roof", "-d", "5", "-o", "rain.mp3", "--json").ok()
    names = sorted(Path(f).name for f in obj["files"])
    assert "rain.mp3" in names and all(n.startswith("rain.") for n in names)
    assert (cli.cwd / "rain.mp3").read_bytes()[:3] in (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")
    cli.run("image", "a lighthouse", "-o", "pic.jpg", "--json").ok()
    from PIL import Image

    with Image.open(cli.cwd / "pic.jpg") as img:
        assert img.format == "JPEG"
    assert json.loads((cli.cwd / "pic.jpg.json").read_text())["file"] == "pic.jpg"
    assert not list(cli.cwd.glob("*.png"))
    err = _refused(cli.run("video", "x", "-o", "clip.mov"), "-o clip.mov", ".mp4")
    assert "clip.mp4" in err
    assert cli.creates() == 2


# 15. Habits from other tools: -p, --prompt-file, '-' for stdin, a hint to quote, -i on image,
# --callback-url on every generate command, -d 10s.
def test_15_prompt_habits(cli: CLI, photo: Path) -> None:
    import subprocess

    assert (
        cli.run("video", "-p", "a red fox", "--dry-run", "--json").ok()["request"]["params"]["prompt"]
        == "a red fox"
    )
    (cli.cwd / "prompt.txt").write_text("a fox from a file\n")
    obj = cli.run("video", "--prompt-file", "prompt.txt", "--dry-run", "--json").ok()
    assert obj["request"]["params"]["prompt"] == "a fox from a file"
    proc = subprocess.run(
        cli.args(["video", "-", "--dry-run", "--json"]),
        input="a fox from stdin\n", capture_output=True, text=True, env=cli.environ(), cwd=cli.cwd, timeout=60,
    )  # fmt: skip
    assert json.loads(proc.stdout)["request"]["params"]["prompt"] == "a fox from stdin"
    res = cli.run("video", "a", "red", "fox", "--dry-run", base_url=False)
    assert res.code == 2 and "quotes" in res.stderr
    assert _try_line(res.stderr)[:2] == ["video", "a red fox"]
    obj = cli.run("image", "the same, in winter", "-i", str(photo), "--dry-run", "--json").ok()
    assert obj["request"]["params"]["image"]
    obj = cli.run("video", "x", "--callback-url", "https://example.com/hook", "--dry-run", "--json").ok()
    assert obj["request"]["params"]["callback_url"] == "https://example.com/hook"
    assert cli.run("video", "x", "-d", "10s", "--dry-run", "--json").ok()["duration"] == 10
    _refused(cli.run("video", "x", "-d", "ten"), "-d", "seconds")
    assert cli.creates() == 0


# 16. Wording: units, "up to", lip-sync summary, camera in words, help and models.
def test_16_wording(cli: CLI, photo: Path) -> None:
    res = cli.run("video", "x", "--model", "kling-v1", "-d", "5", "--dry-run")
    assert "Estimate: 1 video unit, $0.14" in res.stdout, res.stdout
    cli.run("video", "sunset", "--model", "kling-v1-6", "-o", "s.mp4", "--json").ok()
    res = cli.run("extend", "s.mp4", "--dry-run")
    assert "up to " in res.stdout, res.stdout
    res = cli.run("lipsync", "s.mp4", "--text", "hi", "--voice", "genshin_vindi2", "-o", "t.mp4")
    assert res.code == 0 and "text2video" not in res.stdout, res.stdout
    res = cli.run(
        "video",
        "x",
        "-i",
        str(photo),
        "--model",
        "kling-v1-5",
        "-m",
        "pro",
        "--camera",
        "zoom_in",
        "-o",
        "c.mp4",
    )
    assert res.code == 0 and "camera simple zoom=5" in res.stdout + res.stderr
    assert "{" not in res.stdout + res.stderr
    help_text = cli.run("video", "--help", base_url=False).stdout
    assert help_text.count("left_turn_forward") == 1
    models = cli.run("models", base_url=False).stdout
    assert "kling-3.0-turbo    2026 route" in models and "priced like kling-3.0-turbo" not in models
    assert "Done in " in res.stdout


# 11. tasks list covers every kind, with date, kind, model and prompt; history --batch takes the short id.
def test_11_tasks_list_and_history_batch(cli: CLI) -> None:
    cli.run("video", "a red fox", "--no-download", "--json").ok()
    cli.run("image", "a lighthouse", "--no-download", "--json").ok()
    res = cli.run("tasks", "list")
    assert res.code == 0, res.stderr
    fox = next(ln for ln in res.stdout.splitlines() if "a red fox" in ln)
    assert "video" in fox and "kling-v2-6" in fox and fox[:4].isdigit()
    assert any("image" in ln and "a lighthouse" in ln for ln in res.stdout.splitlines())
    only = cli.run("tasks", "list", "--kind", "image", "--json").ok()["tasks"]
    assert [t["prompt"] for t in only] == ["a lighthouse"]
    assert "text2video" not in cli.run("tasks", "list", "--help", base_url=False).stdout
    (cli.cwd / "rows.jsonl").write_text('{"kind": "image", "prompt": "row one"}\n')
    res = cli.run("batch", "rows.jsonl", "-o", "shots", "-y")
    assert res.code == 0, res.stderr
    short = res.stderr.split("batch ", 1)[1].split(":", 1)[0]
    rows = cli.run("history", "--batch", short, "--json", base_url=False).ok()["tasks"]
    assert [r["prompt"] for r in rows] == ["row one"]


# 12. Batch: units per pack, -o for the folder, row keys in row words, Ctrl-C prints how to resume.
def test_12_batch_in_row_words(cli: CLI) -> None:
    (cli.cwd / "bad.jsonl").write_text('{"kind": "video", "prompt": "a", "ratioo": "9:16"}\n')
    err = _refused(cli.run("batch", "bad.jsonl"), "unknown column 'ratioo'", "did you mean 'ratio'")
    assert "aspect_ratio" not in err
    (cli.cwd / "mix.jsonl").write_text(
        '{"kind": "video", "prompt": "a"}\n{"kind": "image", "prompt": "b"}\n{"kind": "video", "prompt": "c"}\n'
    )
    res = cli.run("batch", "mix.jsonl", "-o", "mixed", "-y")
    assert res.code == 0, res.stderr
    summary = res.stdout.strip().splitlines()[-1]
    assert "3 video units" in summary and "image unit" in summary, summary
    assert (cli.cwd / "mixed").is_dir()
    assert "``" not in cli.run("batch", "--help", base_url=False).stdout
    cli.sandbox.configure(task_seconds=600)
    (cli.cwd / "slow.jsonl").write_text('{"kind": "video", "prompt": "slow"}\n')
    proc = cli.start("batch", "slow.jsonl", "-o", "slow", "-y")
    deadline = time.monotonic() + 30
    while cli.creates() < 4:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Resume: klingkit batch slow.jsonl -o slow -y" in err and "Error: interrupted" in err


def test_12_batch_eta_never_rises_while_nothing_finishes() -> None:
    from klingkit.cli.batch import _ProgressLine
    from klingkit.jobs.batch import Progress

    line = _ProgressLine(quiet=True)
    snap = dict(total=4, running=3, queued=0, failed=0, units=0.0, window=4)
    first = line._eta(Progress(done=1, eta=30.0, elapsed=10.0, **snap))  # type: ignore[arg-type]
    time.sleep(0.05)
    later = line._eta(Progress(done=1, eta=60.0, elapsed=20.0, **snap))  # type: ignore[arg-type]
    assert first is not None and later is not None and later <= first


# 14. Set-up errors say what is wrong, where, and exit 2 (not "credentials" or "a bug").
def test_14_setup_errors_name_the_setting(cli: CLI) -> None:
    cli.env["KLING_REGION"] = "mars"
    res = cli.run("account", base_url=False)
    assert res.code == 2 and "mars" in res.stderr and "KLING_REGION" in res.stderr, res.stderr
    assert "KLING_API_KEY" not in res.stderr
    del cli.env["KLING_REGION"]
    (cli.cwd / "afile").write_text("")
    cli.env["KLINGKIT_HOME"] = str(cli.cwd / "afile" / "home")
    res = cli.run("video", "x")
    assert res.code == 2 and "KLINGKIT_HOME" in res.stderr and "afile" in res.stderr, res.stderr
    del cli.env["KLINGKIT_HOME"]
    (cli.cwd / "bad.toml").write_text('api_key = "x\n[[')
    cli.env["KLINGKIT_CONFIG"] = str(cli.cwd / "bad.toml")
    res = cli.run("account", base_url=False)
    assert res.code == 2 and "line 1" in res.stderr and "column" in res.stderr, res.stderr
    del cli.env["KLINGKIT_CONFIG"]
    cli.env["KLINGKIT_CONFIRM_ABOVE"] = "abc"
    _refused(cli.run("video", "x"), "KLINGKIT_CONFIRM_ABOVE", "abc")
    del cli.env["KLINGKIT_CONFIRM_ABOVE"]
    _refused(cli.run("video", "x", "--max-cost", "-1"), "--max-cost")
    _refused(cli.run("history", "--status", "bogus", base_url=False), "--status", "bogus")
    assert cli.creates() == 0


def test_14_webhook_serve_logs_callbacks_and_keeps_the_secret_off_the_command_line(cli: CLI) -> None:
    import socket
    import urllib.error
    import urllib.request

    _refused(cli.run("webhook", "serve", "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "--secret")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cli.env["KLINGKIT_WEBHOOK_SECRET"] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    proc = cli.start("webhook", "serve", "--port", str(port))
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                req = urllib.request.Request(f"http://127.0.0.1:{port}/", data=b'{"task_id": "1"}')
                urllib.request.urlopen(req, timeout=5)
            except urllib.error.HTTPError:
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
                continue
            break
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert "callback POST /: refused (4" in err, err
    assert "whsec_" not in err


# 13. Progress: status, elapsed, typical time, bytes and percent, a line every interval without a
# terminal, 40 columns on a terminal, and a final line with the time taken and the cost.
def test_13_progress_without_a_terminal(cli: CLI) -> None:
    cli.sandbox.configure(task_seconds=3)
    cli.env["KLINGKIT_PROGRESS_EVERY"] = "1"
    cli.env["KLINGKIT_POLL_EVERY"] = "1"  # the sandbox's task is done in 3 s: check as often (documented)
    res = cli.run("video", "a slow fox", "-o", "fox.mp4")
    assert res.code == 0, res.stderr
    waiting = [ln for ln in res.stderr.splitlines() if ": processing," in ln or ": submitted," in ln]
    assert len(waiting) >= 2, res.stderr  # a heartbeat, not silence
    assert all("(typically ~" in ln for ln in waiting)
    assert any("%" in ln and "KiB" in ln for ln in res.stderr.splitlines() if "downloading" in ln), res.stderr
    done = res.stdout.strip().splitlines()[-1]
    assert done.startswith("Done in ") and "video units ($" in done


def test_13_progress_fits_40_columns_on_a_terminal(cli: CLI) -> None:
    import os
    import pty
    import re
    import subprocess

    cli.sandbox.configure(task_seconds=3)
    cli.env["KLINGKIT_POLL_EVERY"] = "1"  # the sandbox's task is done in 3 s: check as often (documented)
    env = {**cli.environ(), "COLUMNS": "40", "LINES": "20"}
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        cli.args(["video", "a fox on a terminal", "-o", "t.mp4"]),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower, env=env, cwd=cli.cwd,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    assert proc.returncode == 0
    screen = b"".join(chunks).decode("utf-8", "replace")
    drawn = [re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", part) for part in screen.replace("\r\n", "\n").split("\r")]
    status = [d for d in drawn if "processing" in d or "submitted" in d]
    assert status, screen
    for line in (ln for d in drawn for ln in d.split("\n")):
        if "processing" in line or "downloading" in line:
            assert len(line) <= 40, line
    assert any(re.search(r"(submitted|processing) \d+s", d) for d in status), status
