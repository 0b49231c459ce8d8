"""The ``klingkit`` command.

The root group only knows each subcommand's module and one-line summary; a command's module (and with
it the library, httpx, rich, the sandbox...) is imported only when that command runs, which keeps
``klingkit --help`` and ``klingkit --version`` fast.

Adding a command group from another module is one :func:`register` line below: the module defines a
click command or group under the given attribute name.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import signal
import sys
from typing import Any

import click

from .. import __version__
from ._exit import ExitCode, exit_code_table
from ._globals import REGION_CHOICES, install_warning_printer, remember_argv

__all__ = ["cli", "main", "register"]

# name -> (module, attribute, one-line summary shown by `klingkit --help`)
_COMMANDS: dict[str, tuple[str, str, str]] = {}


def register(name: str, module: str, attribute: str, summary: str, *, optional: bool = False) -> None:
    """Make ``klingkit NAME`` run ``module.attribute`` (imported on first use).

    With ``optional=True`` the command is listed only when ``module`` exists.
    """
    if optional:
        try:
            if importlib.util.find_spec(module) is None:
                return
        except ModuleNotFoundError:
            return
    _COMMANDS[name] = (module, attribute, summary)


register("video", "klingkit.cli.generate", "video", "Generate a video from a prompt or an image.")
register("image", "klingkit.cli.generate", "image", "Generate images from a prompt.")
register("extend", "klingkit.cli.remix", "extend", "Extend a generated video by about 5 s.")
register("lipsync", "klingkit.cli.remix", "lipsync", "Make a face in a video speak text or audio.")
register("effect", "klingkit.cli.remix", "effect", "Apply an effect scene to one or two images.")
register("tryon", "klingkit.cli.remix", "tryon", "Virtual try-on: a person wearing a garment.")
register("audio", "klingkit.cli.remix", "audio", "Generate audio: text-to-audio, video-to-audio, tts.")
register("voices", "klingkit.cli.choices", "voices", "List the preset voices for lipsync and tts.")
register("effects", "klingkit.cli.choices", "effects", "List the effect scenes for `klingkit effect`.")
register("omni", "klingkit.cli.drive_cmd", "omni", "Kling 4.0 omni video: references, elements, voices.")
register(
    "elements", "klingkit.cli.library_cmd", "elements", "Your elements and the presets: list, create, delete."
)
register("edit", "klingkit.cli.edit_cmd", "edit", "Add, swap or remove things in a video.")
register("avatar", "klingkit.cli.drive_cmd", "avatar", "A talking portrait driven by an audio file.")
register("motion", "klingkit.cli.drive_cmd", "motion", "A character image driven by a motion video.")
register(
    "multishot", "klingkit.cli.image_cmd", "multishot", "AI multi-shot: a subject seen from other angles."
)
register("recognize", "klingkit.cli.image_cmd", "recognize", "Image recognition: a mask of what is in it.")
register("tasks", "klingkit.cli.tasks", "tasks", "List, inspect, wait for and download tasks.")
register("history", "klingkit.cli.history", "history", "Search past runs recorded in the local ledger.")
register("account", "klingkit.cli.account", "account", "Resource packs, balances and remaining units.")
register("models", "klingkit.cli.account", "models", "What each model supports and costs.")
register("cost", "klingkit.cli.account", "cost", "Estimate the price of a generation (no request).")
register("auth", "klingkit.cli.account", "auth", "Store, test and show the credentials in use.")
register("mcp", "klingkit.cli.mcp_cmd", "mcp", "Serve klingkit's tools to AI agents (MCP, stdio or HTTP).")
register(
    "skill", "klingkit.cli.skill_cmd", "skill", "Install or show the agent skill (SKILL.md) for klingkit."
)
register("sandbox", "klingkit.cli.sandbox_cmd", "sandbox", "Run the local Kling-compatible sandbox server.")
# The batch runner (klingkit.cli.batch) and the webhook receiver (klingkit.cli.webhook_cmd), issue 5.
register(
    "batch", "klingkit.cli.batch", "batch", "Run many generations from a file, exactly once.", optional=True
)
register(
    "webhook",
    "klingkit.cli.webhook_cmd",
    "webhook",
    "Receive Kling callbacks (webhook serve).",
    optional=True,
)


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *_COMMANDS]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        cmd = super().get_command(ctx, cmd_name)
        if cmd is not None or cmd_name not in _COMMANDS:
            return cmd
        module, attribute, _ = _COMMANDS[cmd_name]
        found = getattr(importlib.import_module(module), attribute)
        if not isinstance(found, click.Command):
            raise TypeError(f"{module}.{attribute} is not a click command")
        return found

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, summary) for name, (_, _, summary) in _COMMANDS.items()]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


_EPILOG = (
    'Start offline (no keys, no cost): klingkit video "a red fox in snow" --sandbox -o fox.mp4\n\n'
    "Credentials: KLING_API_KEY, or KLING_ACCESS_KEY + KLING_SECRET_KEY, or `klingkit auth set`. "
    "Data (the ledger): KLINGKIT_HOME.\n\n"
    "\b\nExit codes:\n" + exit_code_table()
)


@click.group(cls=LazyGroup, epilog=_EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="klingkit", message="%(prog)s %(version)s")
@click.option("--json", "json_mode", is_flag=True, help="Print exactly one JSON object on stdout.")
@click.option("--sandbox", is_flag=True, help="Use the embedded local sandbox (no keys, no cost).")
@click.option("--base-url", metavar="URL", help="API base URL (overrides --region and KLING_BASE_URL).")
@click.option("--region", type=click.Choice(REGION_CHOICES), help="global, cn or legacy [env KLING_REGION].")
@click.option("--debug", is_flag=True, help="Show debug details and tracebacks of unexpected errors.")
@click.option("-y", "--yes", is_flag=True, help="Do not ask before an expensive task.")
def cli(**_: Any) -> None:
    """klingkit: generate Kling AI videos, images and audio; wait, save and never lose a paid task.

    Every task is recorded in a local ledger before it is sent; Ctrl-C detaches and prints how to resume.
    The options above work before or after the command: `klingkit --json video ...` is the same as
    `klingkit video ... --json`.
    """


def _json_requested(argv: list[str]) -> bool:
    return "--json" in argv


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``klingkit`` console script.

    SIGTERM and SIGHUP (a closed terminal) are handled like Ctrl-C: a running wait detaches, the task
    stays in the ledger, and the command prints the line that resumes it.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    remember_argv(args)
    install_warning_printer()
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _interrupt)
    try:
        cli.main(args=args, prog_name="klingkit", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(int(ExitCode.INTERRUPTED))
    except click.ClickException as exc:
        # Usage errors: plain words (and the JSON envelope with --json), exit 2, nothing sent.
        from ._options import quote_hint

        fixed = quote_hint(exc.format_message(), args)
        if _json_requested(args):
            error: dict[str, Any] = {
                "type": "UsageError",
                "code": None,
                "message": exc.format_message(),
                "request_id": None,
                "retryable": False,
                "hint": "see --help",
                "exit_code": int(ExitCode.USAGE),
            }
            param = getattr(exc, "param", None)
            if param is not None and getattr(param, "name", None):
                error["field"] = param.name
            if fixed:
                error["hint"], error["try"] = "quote a prompt of several words", fixed
            sys.stdout.write(json.dumps({"ok": False, "error": error}) + "\n")
            sys.exit(int(ExitCode.USAGE))
        exc.show()
        if fixed:
            click.echo("Fix: put a prompt of several words in quotes", err=True)
            click.echo(f"Try: {fixed}", err=True)
        sys.exit(int(ExitCode.USAGE) if exc.exit_code == 2 else exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(int(ExitCode.INTERRUPTED))
    sys.exit(0)
