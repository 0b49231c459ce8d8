"""The shipped skill: `klingkit skill install --target DIR` writes a SKILL.md whose front matter parses
and whose every command line runs (with --help) against the installed CLI."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from klingkit import ops

from ..installed import klingkit_command

pytestmark = pytest.mark.e2e


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KLING_", "KLINGKIT_"))}
    env["KLINGKIT_HOME"] = os.environ["KLINGKIT_HOME"]
    return subprocess.run(
        [klingkit_command(), *args], capture_output=True, text=True, timeout=60, env=env, cwd=cwd
    )


def _front_matter(text: str) -> dict[str, str]:
    found = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    assert found, "SKILL.md does not start with a --- front matter block"
    fields: dict[str, str] = {}
    for line in found.group(1).splitlines():
        key, sep, value = line.partition(":")
        assert sep and re.fullmatch(r"[a-z][a-z-]*", key), f"not a YAML key: value line: {line!r}"
        assert not value.strip().startswith(("[", "{", "|", ">")), line
        fields[key] = value.strip()
    return fields


def _command_lines(text: str) -> list[str]:
    lines: list[str] = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        lines += [ln.strip() for ln in block.splitlines() if ln.strip() and not ln.startswith("#")]
    return lines


def test_install_writes_a_skill_whose_commands_run(tmp_path: Path) -> None:
    done = _run("skill", "install", "--target", str(tmp_path))
    assert done.returncode == 0, done.stderr
    path = tmp_path / "klingkit" / "SKILL.md"
    assert done.stdout.strip() == str(path)
    text = path.read_text(encoding="utf-8")

    meta = _front_matter(text)
    assert meta["name"] == "klingkit"
    assert len(meta["description"]) > 80

    shown = _run("skill", "show")
    assert shown.returncode == 0 and shown.stdout == text  # show prints what install writes

    lines = _command_lines(text)
    assert len(lines) >= 20
    # every registry operation with a CLI twin is taught, and every model the schemas offer is listed
    for op in ops.OPERATIONS.values():
        if op.cli:
            assert op.cli in lines
    for model in ops.get("generate_video").input_schema()["properties"]["model"]["enum"]:
        assert model in text
    for line in lines:
        argv = shlex.split(line)
        assert argv[0] == "klingkit", line
        done = _run(*argv[1:], "--help", cwd=tmp_path)
        assert done.returncode == 0, f"{line} --help failed: {done.stderr}"
        assert "Usage: klingkit" in done.stdout, line


def test_install_refuses_to_overwrite_a_changed_skill(tmp_path: Path) -> None:
    assert _run("skill", "install", "--target", str(tmp_path)).returncode == 0
    path = tmp_path / "klingkit" / "SKILL.md"
    path.write_text("my edits\n", encoding="utf-8")
    refused = _run("skill", "install", "--target", str(tmp_path))
    assert refused.returncode != 0 and "--force" in refused.stderr
    assert path.read_text(encoding="utf-8") == "my edits\n"
    assert _run("skill", "install", "--target", str(tmp_path), "--force").returncode == 0
    assert path.read_text(encoding="utf-8").startswith("---\nname: klingkit\n")


@pytest.mark.parametrize(
    ("target", "folder"),
    [
        ("claude", ".claude/skills"),  # Claude Code's user skills
        ("cursor", ".cursor/skills"),  # cursor.com/docs/skills: user-level (global)
        ("codex", ".agents/skills"),  # developers.openai.com/codex/skills: USER scope
        ("agents", ".agents/skills"),
    ],
)
def test_each_host_target_is_where_that_host_reads_skills(target: str, folder: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KLING_", "KLINGKIT_"))}
    env.update(HOME=str(tmp_path), KLINGKIT_HOME=os.environ["KLINGKIT_HOME"])
    done = subprocess.run(
        [klingkit_command(), "skill", "install", "--target", target],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    path = tmp_path / folder / "klingkit" / "SKILL.md"
    assert done.stdout.strip() == str(path)
    assert _front_matter(path.read_text(encoding="utf-8"))["name"] == "klingkit"
