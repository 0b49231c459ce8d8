"""The agent skill (``SKILL.md``) klingkit ships: generated from the CLI's own help, the catalog and the
operation registry, so what it teaches an agent is what the installed command does.

Every line of a ```bash block is a real command line; a test runs each with ``--help`` against the
installed CLI.
"""

from __future__ import annotations

import click

from klingkit import ops

from ._exit import exit_code_table

SKILL_NAME = "klingkit"
DESCRIPTION = (
    "Generate Kling AI videos, images and audio with the klingkit CLI or its MCP server: price a request "
    "before paying, never create a task twice, follow minutes-long tasks and save the files. Use when asked "
    "to make or extend a video, animate an image, lip-sync, apply an effect, try on clothes, or generate "
    "images, sounds or speech with Kling."
)

# The commands the skill presents, in the order an agent needs them.
_COMMANDS = ("video", "image", "audio", "extend", "lipsync", "effect", "tryon", "avatar", "motion", "elements",
             "voices", "cost", "tasks", "history", "batch", "models", "account", "mcp")  # fmt: skip


def _summary(name: str) -> tuple[str, str]:
    """(usage line, first help sentence) of ``klingkit NAME``, from click itself."""
    from . import cli

    ctx = click.Context(cli, info_name="klingkit")
    cmd = cli.get_command(ctx, name)
    if cmd is None:
        return f"klingkit {name}", ""
    sub = click.Context(cmd, info_name=name, parent=ctx)
    usage = " ".join(["klingkit", name, *cmd.collect_usage_pieces(sub)])
    return usage, cmd.get_short_help_str(limit=150)


def _values(op_name: str, param: str) -> str:
    schema = ops.get(op_name).input_schema()["properties"][param]
    if "enum" in schema:
        return ", ".join(str(v) for v in schema["enum"])
    low, high = schema.get("minimum"), schema.get("maximum")
    return f"{low:g}..{high:g}" if low is not None and high is not None else schema.get("type", "")


def render() -> str:
    """The whole SKILL.md text."""
    out: list[str] = [
        "---",
        f"name: {SKILL_NAME}",
        f"description: {DESCRIPTION}",
        "---",
        "",
        "# klingkit: Kling AI for agents",
        "",
        "klingkit is a command line (and MCP server) over the Kling AI API. It validates and prices every",
        "request before sending it, records every task in a local ledger before the create leaves, waits for",
        "the task (1-5 minutes is normal) and saves the outputs as files with a JSON sidecar.",
        "",
        "## Rules",
        "",
        "1. Price before paying: add `--dry-run` (or use `klingkit cost`); nothing is sent. Tell the user the",
        "   estimate before a paid run, and pass `-y` only after they agree (with `--max-cost` as a ceiling).",
        "2. Add `--json` to every command: stdout is exactly one JSON object (`ok`, and `error` with `type`,",
        "   `code`, `message`, `hint` on failure). Branch on the exit code, not on the text.",
        "3. Never run the same generate command again after a timeout, Ctrl-C or error: the task is already",
        "   in the ledger. Resume it with `klingkit tasks wait <external_id>` (printed in the error).",
        "4. Exit 4 (billing, e.g. code 1102) is not a rate limit: stop and tell the user to top up. Exit 6",
        "   (content policy, 1301) means change the prompt or media; never retry the same input. Exit 5",
        "   (rate or concurrency limit) means wait, not loop.",
        "5. Long work: a tool call that waits may time out. Use `--max-wait`, then `klingkit tasks wait`",
        "   to pick the task up again; or start the MCP server, whose generate tools return at once.",
        "6. Try things offline first with `--sandbox` (a local Kling-compatible server; no keys, no cost).",
        "",
        "## Start",
        "",
        "```bash",
        'klingkit video "a red fox running through snow" --sandbox --dry-run --json',
        'klingkit video "a red fox running through snow" -d 5 -m std --json -o fox.mp4',
        "klingkit tasks wait <external_id> --json",
        "klingkit history --json",
        "```",
        "",
        "## Commands",
        "",
    ]
    for name in _COMMANDS:
        usage, short = _summary(name)
        out.append(f"- `{usage}`: {short}")
    out += [
        "",
        "Every command has `--help`:",
        "",
        "```bash",
        *(f"klingkit {name}" for name in _COMMANDS),
        "```",
        "",
        "## Allowed values (from the catalog)",
        "",
        f"- video models: {_values('generate_video', 'model')} (default {ops.DEFAULT_VIDEO_MODEL})",
        f"- video durations (s; the model decides which): {_values('generate_video', 'duration')}",
        f"- video modes: {_values('generate_video', 'mode')}; aspect ratios: "
        f"{_values('generate_video', 'aspect_ratio')}",
        f"- camera presets (`--camera`): {_values('generate_video', 'camera')}",
        f"- image models: {_values('generate_image', 'model')}; images per call: {_values('generate_image', 'n')}",
        f"- image aspect ratios: {_values('generate_image', 'aspect_ratio')}",
        f"- effect scenes: {_values('apply_effect', 'scene')}",
        "",
        "`klingkit models --json` lists every model with its modes, durations and unit prices.",
        "",
        "## Batch files",
        "",
        "One JSON object per line (`kind`: video, image, audio, extend, effects...; any option of the single",
        "commands). The whole file is validated and priced before anything is sent; rerunning the same",
        "command after a crash creates nothing twice.",
        "",
        "```bash",
        "klingkit batch prompts.jsonl --dry-run --json",
        "klingkit batch prompts.jsonl --out results -y --max-cost 5 --json",
        "```",
        "",
        "## Exit codes",
        "",
        "```text",
        exit_code_table(),
        "```",
        "",
        "## MCP server",
        "",
        "`klingkit mcp` serves the same operations as MCP tools (stdio by default; `--http` for streamable",
        "HTTP on 127.0.0.1). Generate tools return within a second or two with a handle (`external_id`,",
        "`task_id`) and the estimate; follow it with `task_status` / `task_result` (which can wait up to 50 s",
        "per call and returns saved files). Pass an `idempotency_key` so a repeated call never pays twice, and",
        "`confirm: true` (after asking the user) above the server's threshold; `--budget` caps each MCP",
        "session's spending. A client with the MCP Tasks extension gets each generate call as a task to poll",
        "with `tasks/get`. Kling cannot cancel a task.",
        "",
        "```bash",
        "klingkit mcp --sandbox",
        "klingkit mcp --budget 5",
        "```",
        "",
        "| tool | what it does | CLI equivalent |",
        "|---|---|---|",
    ]
    for op in ops.OPERATIONS.values():
        cost = "paid (estimate in the answer)" if op.paid else "free"
        out.append(f"| `{op.name}` | {op.summary} ({cost}) | `{op.cli or '-'}` |")
    out += [
        "",
        "The CLI equivalents above, for `--help`:",
        "",
        "```bash",
        *sorted({op.cli for op in ops.OPERATIONS.values() if op.cli}),
        "```",
        "",
    ]
    return "\n".join(out)
