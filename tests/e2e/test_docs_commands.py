"""The docs cannot drift from the code: every ``klingkit ...`` line in the README's fenced blocks and every
example at the end of a command's ``--help`` is run here, through the installed command, against the
test's sandbox. Commands that would spend get ``--dry-run``; placeholders are filled with files and tasks
made for the purpose; servers are started and stopped."""

from __future__ import annotations

import re
import shlex
import signal
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from klingkit.cli import cli as root

from .conftest import CLI

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SPENDS = {
    "video",
    "image",
    "extend",
    "lipsync",
    "effect",
    "tryon",
    "audio",
    "batch",
    "omni",
    "avatar",
    "motion",
    "edit",
}
SERVES = ("webhook serve", "sandbox serve", "mcp")


def _strip(line: str) -> list[str]:
    """The ``klingkit ...`` commands of one line: comments dropped, ``a; b`` split."""
    line = re.sub(r"\s+#.*$", "", line.strip())
    return [part.strip() for part in line.split("; ") if part.strip().startswith("klingkit ")]


def readme_lines() -> list[str]:
    out: list[str] = []
    fence: str | None = None
    for raw in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if raw.startswith("```"):
            fence = None if fence is not None else (raw[3:].strip() or "bash")
            continue
        if fence in ("bash", "sh", "console"):
            out += _strip(raw)
    return out


def _commands(cmd: click.Command, path: str) -> Iterator[tuple[str, click.Command]]:
    yield path, cmd
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd)
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            if sub is not None:
                yield from _commands(sub, f"{path} {name}")
    for name in getattr(cmd, "subcommands", {}):  # a command with subcommands (`klingkit image expand`)
        yield from _commands(cmd.subcommand(name), f"{path} {name}")


def help_examples() -> list[str]:
    out: list[str] = []
    for _, cmd in _commands(root, "klingkit"):
        epilog = cmd.epilog or ""
        if "Examples:" in epilog:
            for ln in epilog.split("Examples:", 1)[1].splitlines():
                out += _strip(ln)
    return list(dict.fromkeys(out))


def test_every_command_i_own_ends_its_help_with_examples() -> None:
    others = (
        "klingkit sandbox",
        "klingkit mcp",
        "klingkit skill",
        "klingkit webhook",
    )  # other issues' modules
    missing = [
        path
        for path, cmd in _commands(root, "klingkit")
        if path != "klingkit" and not path.startswith(others) and "Examples:" not in (cmd.epilog or "")
    ]
    assert not missing, f"commands without examples in --help: {missing}"


@pytest.fixture(scope="module")
def _docs_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CLI]:
    """One sandbox, home and set of files for every documented line (made once: the suite stays fast)."""
    import shutil

    from PIL import Image

    from klingkit.sandbox import Sandbox

    from .conftest import FakeClock, klingkit_command

    base = tmp_path_factory.mktemp("docs")
    (base / "home").mkdir()
    files = base / "files"
    files.mkdir()
    for name in ("photo.png", "lighthouse.png", "a.png", "b.png", "c.png", "d.png", "front.png", "side.png"):
        Image.new("RGB", (640, 480), (200, 120, 40)).save(files / name)
    for name in ("person.png", "portrait.png", "hero.png", "cat.png", "hat.png"):
        Image.new("RGB", (768, 1024), (30, 60, 90)).save(files / name)
    with wave.open(str(files / "sample.wav"), "wb") as w:  # a 6 s voice sample (5-30 s are allowed)
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\0\0" * 16000 * 6)
    Image.new("RGB", (768, 1024), (90, 30, 60)).save(files / "shirt.png")
    (files / "shots.jsonl").write_text('{"kind": "video", "prompt": "shot one"}\n')
    (files / "prompt.txt").write_text("a fox from a file\n")
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    (files / "whsec.txt").write_text(secret)
    with Sandbox(time_scale=0.0, seed=21, clock=FakeClock()) as sb:
        cli = CLI(klingkit_command(), sb, base / "home", files, FakeClock())
        cli.env["KLINGKIT_WEBHOOK_SECRET"] = secret
        (base / "user").mkdir()
        cli.env["HOME"] = str(base / "user")  # `skill install` and the like write under the user's home
        made = cli.run("video", "a sunset", "--model", "kling-v1-6", "-o", "sunset.mp4", "-y", "--json")
        assert made.code == 0, made.stderr
        for ext in ("", ".json"):
            shutil.copy(files / f"sunset.mp4{ext}", files / f"talk.mp4{ext}")
        for name in ("dance.mp4", "clip.mp4"):  # motion references and videos to edit
            shutil.copy(files / "sunset.mp4", files / name)
        cli.task_id = made.json()["task_id"]  # type: ignore[attr-defined]
        speech = cli.run("audio", "text", "a short speech", "-d", "3", "-o", "speech.mp3", "-y")
        assert speech.code == 0, speech.stderr
        yield cli


@pytest.fixture
def docs_cli(_docs_env: CLI, tmp_path: Path) -> CLI:
    """The shared environment in a fresh folder holding a copy of the files the lines name."""
    import dataclasses
    import shutil

    work = tmp_path / "work"
    shutil.copytree(_docs_env.cwd, work)
    cli = dataclasses.replace(_docs_env, cwd=work, env=dict(_docs_env.env))
    cli.task_id = _docs_env.task_id  # type: ignore[attr-defined]
    return cli


def _made(cli: CLI, kind: str) -> str:
    """A fresh custom element or voice in the test's sandbox (a line may delete what it names)."""
    from klingkit import Kling

    with Kling(api_key=cli.sandbox.api_key, base_url=cli.sandbox.base_url) as client:
        if kind == "element":
            task = client.elements.create(name="Hero", images=[cli.cwd / "front.png"])
        else:
            task = client.voices.create(name="Narrator", audio=cli.cwd / "sample.wav")
        return str(client.tasks.wait(task, poll_interval=0.05).outputs[0].id)


def _args(line: str, cli: CLI) -> list[str]:
    task_id = getattr(cli, "task_id", "")
    line = re.sub(r"<(element|voice)-id>", lambda m: _made(cli, m.group(1)), line)
    line = re.sub(r"<[a-z-]*id>", task_id, line)
    args = shlex.split(line)[1:]
    if args and args[0] in SPENDS and "--help" not in args:
        args.append("--dry-run")
    return args


def _run(cli: CLI, line: str) -> None:
    import subprocess

    args = _args(line, cli)
    joined = " ".join(args)
    if "0.0.0.0" in args:  # tests listen on loopback only; the line is checked by its parser alone
        args = [("127.0.0.1" if a == "0.0.0.0" else a) for a in args]
    if joined.startswith("auth set"):  # asks for the key: typed in here as a person would
        typed = "sandbox-access-key\nsandbox-secret-key-0123456789abcdef\n" if "--ak-sk" in args else "k\n"
        proc = subprocess.run([cli.exe, *args], input=typed, capture_output=True, text=True,
                              env=cli.environ(), cwd=cli.cwd, timeout=60)  # fmt: skip
        assert proc.returncode == 0, (line, proc.stderr)
        return
    where = [] if "--sandbox" in args else ["--base-url", cli.sandbox.base_url]
    if joined.startswith(SERVES):
        args = [("0" if prev == "--port" else a) for prev, a in zip(["", *args], args, strict=False)]
        proc = cli.start(*where, *args, base_url=False)
        time.sleep(1.5)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode != 2, (line, err)
        return
    res = cli.run(*where, *args, base_url=False)
    assert res.code == 0, (line, args, res.stdout, res.stderr)


@pytest.mark.parametrize("line", readme_lines())
def test_readme_command_runs(docs_cli: CLI, line: str) -> None:
    _run(docs_cli, line)


@pytest.mark.parametrize("line", help_examples())
def test_help_example_runs(docs_cli: CLI, line: str) -> None:
    _run(docs_cli, line)


def test_shell_completion_as_documented(cli: CLI) -> None:
    import subprocess

    env = {**cli.environ(), "_KLINGKIT_COMPLETE": "bash_source"}
    script = subprocess.run([cli.exe], env=env, capture_output=True, text=True, timeout=30)
    assert script.returncode == 0 and "complete " in script.stdout
    env = {
        **cli.environ(),
        "_KLINGKIT_COMPLETE": "bash_complete",
        "COMP_WORDS": "klingkit vid",
        "COMP_CWORD": "1",
    }
    got = subprocess.run([cli.exe], env=env, capture_output=True, text=True, timeout=30)
    assert "video" in got.stdout
    assert "_KLINGKIT_COMPLETE=bash_source klingkit" in (ROOT / "README.md").read_text(encoding="utf-8")
