"""The CLI and the MCP tools are two views of one registry: the same request, spelled with the CLI flags the
registry names, is priced and routed the same by the installed command (`--dry-run --json`) as by the
operation (what the `estimate` and generate tools use)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from klingkit import catalog, ops, prepare
from klingkit.catalog import _data

from ..installed import klingkit_command

pytestmark = pytest.mark.e2e

VOICE = _data.VOICES["en"][0]
CASES: list[tuple[str, dict[str, Any]]] = [
    ("generate_video", {"prompt": "a fox", "model": "kling-v2-6", "duration": 10, "mode": "pro"}),
    ("generate_video", {"prompt": "x", "model": "kling-3.0", "mode": "4k", "duration": 15, "sound": True}),
    (
        "generate_video",
        {"prompt": "x", "model": "kling-v1", "mode": "std", "duration": 5, "camera": "zoom_in"},
    ),
    ("generate_image", {"prompt": "a lighthouse", "n": 3, "aspect_ratio": "1:1"}),
    ("generate_audio", {"prompt": "rain on a roof", "duration": 5}),
    ("text_to_speech", {"text": "hello there", "voice_id": VOICE}),
    ("video_to_audio", {"video": "vid-123", "sound_effect_prompt": "rain", "asmr_mode": True}),
    ("extend_video", {"video": "vid-123", "prompt": "and then it rains"}),
    ("lip_sync", {"video": "vid-123", "text": "hi", "voice_id": VOICE}),
    ("apply_effect", {"scene": _data.SINGLE_IMAGE_EFFECTS[0], "images": ["IMAGE"]}),
    ("try_on", {"person_image": "IMAGE", "garment_image": "IMAGE"}),
    ("try_on", {"person_image": "IMAGE", "garment_image": "IMAGE", "keep_face": True}),
    ("try_on", {"person_image": "IMAGE", "garment_image": "IMAGE", "solution": True}),
    (
        "edit_video",
        {"video": "vid-123", "swap": "IMAGE", "points": ["0.5,0.5"], "prompt": "a cat", "duration": 10},
    ),
    ("edit_video", {"video": "vid-123", "remove": True, "points": ["0.2,0.3", "0.4,0.5"], "frame": 3}),
    ("recognize_image", {"image": "IMAGE", "kind": "face_seg"}),
    ("multi_shot", {"image": "IMAGE"}),
    ("expand_image", {"image": "IMAGE", "left": 0.5, "up": 0.25, "n": 2}),
    ("omni_image", {"prompt": "a clay cat", "refs": ["IMAGE"], "n": 2}),
    ("omni_image", {"prompt": "three views", "model": "kling-image-4.0", "series": 3, "resolution": "4k"}),
    (
        "omni_image",
        {"prompt": "a tea shop page", "model": "kling-long-image-4.0", "skill": "webpage", "style": "IMAGE"},
    ),
    ("omni_video", {"prompt": "@hero walks in", "elements": ["hero=8812"], "duration": 10, "mode": "pro"}),
    ("omni_video", {"prompt": "a turntable", "refs": ["IMAGE"], "model": "kling-4.0-flash"}),
]


def _argv(op: ops.Operation, args: dict[str, Any]) -> list[str]:
    """The CLI command line for ``args``, from the registry's CLI spellings."""
    assert op.cli is not None
    argv = op.cli.split()[1:]
    flags = {p.name: p.flag for p in op.params}
    for name, value in args.items():
        flag = flags[name]
        assert flag, f"{op.name}.{name} has no CLI spelling"
        values = value if isinstance(value, list) else [value]
        for v in values:
            if flag.isupper():  # a positional argument
                argv.append(str(v))
            elif v is True:
                argv.append(flag)
            else:
                argv += [flag, str(v)]
    return argv


@pytest.mark.parametrize(("name", "args"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_cli_and_tool_price_the_same_request(name: str, args: dict[str, Any], tmp_path: Path) -> None:
    picture = tmp_path / "person.png"
    Image.new("RGB", (512, 768), (120, 90, 60)).save(picture)
    args = {
        k: ([str(picture)] if v == ["IMAGE"] else str(picture) if v == "IMAGE" else v)
        for k, v in args.items()
    }
    op = ops.get(name)
    feature, params = op.request(args)
    spec = prepare(feature, **params)  # the route the library picks for the operation's request
    est = spec.estimate

    env = {k: v for k, v in os.environ.items() if not k.startswith(("KLING_", "KLINGKIT_"))}
    env["KLINGKIT_HOME"] = os.environ["KLINGKIT_HOME"]
    done = subprocess.run(
        [klingkit_command(), *_argv(op, args), "--dry-run", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    shown = json.loads(done.stdout)
    assert shown["feature"] == spec.feature
    assert (shown["estimate"]["units"], shown["estimate"]["usd"]) == (est.units, est.usd)


# CLI options of a generate command that stand for no operation parameter: the shared generate/session
# options, the prompt's other spellings, and the conveniences only a person at a terminal needs.
_CLI_ONLY_EVERYWHERE = {
    "prompt_opt", "prompt_file", "output", "dry_run", "max_cost", "yes", "confirm_above", "no_download",
    "force", "max_wait", "callback_url", "allow_unknown_model", "help",
}  # fmt: skip
_CLI_ONLY = {
    "generate_video": {"fit"},  # fits -i to -r locally before sending
    # free commands: what a person at a terminal needs beside the tool's arguments
    "estimate": {"command", "args"},  # `cost COMMAND ARGS...`: a command line where the tool takes arguments
    "list_tasks": {"batches"},  # a listing of batches instead of tasks
    "task_status": {"feature"},  # a task not in the ledger: its route (a tool's handle is a ledger row)
    "task_result": {"feature"},
}


def _command(line: str) -> Any:
    import click

    from klingkit.cli import cli

    ctx = click.Context(cli, info_name="klingkit")
    cmd: Any = cli
    for word in line.split()[1:]:
        # a group's command, or a command's own subcommand (`klingkit image expand`)
        cmd = cmd.subcommand(word) if hasattr(cmd, "subcommands") else cmd.get_command(ctx, word)
        ctx = click.Context(cmd, info_name=word, parent=ctx)
    return cmd


def _session_option_names() -> set[str]:
    import click

    from klingkit.cli._session import session_options

    @session_options
    def probe(**_: Any) -> None: ...

    return {p.name for p in click.command()(probe).params if p.name}


def _by_flag(cmd: Any, flag: str) -> Any:
    for param in cmd.params:
        if flag in param.opts or flag.lower() in (param.name, (param.metavar or "").strip("[]").lower()):
            return param
        if flag.isupper() and (param.metavar or "").strip("[]") == flag:
            return param
    raise AssertionError(f"{cmd.name}: no option or argument {flag}")


@pytest.mark.parametrize("op", list(ops.OPERATIONS.values()), ids=lambda o: o.name)
def test_every_cli_flag_agrees_with_its_tool_schema(op: ops.Operation) -> None:
    """For every parameter the registry spells on the CLI: the flag exists on the operation's CLI twin,
    offers the same allowed values, the same range, the same default, takes a list where the tool takes an
    array, and is a flag where the tool takes a boolean. A paid operation spells every parameter, and every
    command (paid or free: history, tasks, models, cost...) has no other option but the named CLI-only
    conveniences, so a switch added to a command without its registry row fails here."""
    assert op.cli is not None, f"{op.name} has no CLI twin"
    cmd = _command(op.cli)
    covered: set[str] = set()
    for p in op.params:
        assert p.flag or not op.paid, f"{op.name}.{p.name} has no CLI spelling"
        if not p.flag:
            continue  # an MCP-only argument of a free tool (e.g. task_result's wait_seconds)
        option = _by_flag(cmd, p.flag)
        covered.add(option.name)
        schema, kind = p.schema, option.type
        where = f"{op.cli} {p.flag} vs {op.name}.{p.name}"
        if "enum" in schema:
            offered = [str(v) for v in getattr(kind, "choices", [])]
            assert offered[: len(schema["enum"])] == [str(v) for v in schema["enum"]], where
            for alias in offered[len(schema["enum"]) :]:  # only the catalog's other names of those values
                assert catalog.MODE_ALIASES.get(alias) in schema["enum"], f"{where}: {alias}"
        for bound, attr in (("minimum", "min"), ("maximum", "max")):
            if bound in schema:
                assert getattr(kind, attr, None) == schema[bound], f"{where}: {bound}"
        if "default" in schema:
            shown = option.default if option.default is not None else None
            assert shown == schema["default"] or f"[default: {schema['default']}]" in (option.help or ""), (
                where
            )
        if schema.get("type") == "array":
            assert option.multiple, where
        if schema.get("type") == "boolean":
            assert option.is_flag, where
        if p.required and not p.flag.isupper():
            assert option.required, where
    extra = {p.name for p in cmd.params} - covered - _CLI_ONLY_EVERYWHERE - _session_option_names()
    assert extra <= _CLI_ONLY.get(op.name, set()), (
        f"{op.cli}: options no operation parameter describes: {extra}"
    )
