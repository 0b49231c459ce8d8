"""``klingkit edit VIDEO --add|--swap|--remove``: multi-element video editing in one command.

The options are the ``edit_video`` operation's (:mod:`klingkit.ops`), so the CLI and the MCP tool take the
same things. The selection session (free, answers at once) is opened only when the edit will really be
sent; a dry run validates and prices the edit task without it.
"""

from __future__ import annotations

import click

from klingkit import ops

from ._exit import CLIError
from ._ops_options import ops_argument, ops_option
from ._run import Guard, Job, run_job
from ._run_flags import _drop_none, _media, generate_options
from ._session import Session, session_options

_EPILOG = (
    "Examples:\n\n"
    '  klingkit edit 8812345 --swap cat.png --point 0.5,0.5 -p "a cat instead of the dog"\n\n'
    '  klingkit edit https://example.com/v.mp4 --add hat.png -p "a red hat on the man"\n\n'
    "  klingkit edit 8812345 --remove --point 0.4,0.6 --frame 12 -m pro -d 10"
)
_OP = "edit_video"


@click.command(epilog=_EPILOG)
@ops_argument(_OP, "video", "video")
@ops_option(_OP, "add", "--add", "add", metavar="PATH|URL")
@ops_option(_OP, "swap", "--swap", "swap", metavar="PATH|URL")
@ops_option(_OP, "remove", "--remove")
@ops_option(_OP, "points", "--point", "points", metavar="X,Y", help="Select what to change (0-1 shares).")
@ops_option(_OP, "frame", "--frame", take_default=True, help="Frame of the points.")
@ops_option(_OP, "prompt", "-p", "--prompt", metavar="TEXT")
@ops_option(_OP, "mode", "-m", "--mode")
@ops_option(_OP, "duration", "-d", "--duration", seconds=True, metavar="SECONDS")
@session_options
@generate_options
def edit(
    session: Session,
    guard: Guard,
    video: str,
    add: str | None,
    swap: str | None,
    remove: bool,
    points: tuple[str, ...],
    frame: int,
    prompt: str | None,
    mode: str | None,
    duration: int | None,
) -> None:
    """Edit VIDEO (a Kling video id or URL): add, swap or remove things (--dry-run prices it)."""
    chosen = [name for name, on in (("--add", add), ("--swap", swap), ("--remove", remove)) if on]
    if len(chosen) != 1:
        raise CLIError("give exactly one of --add IMAGE, --swap IMAGE and --remove", type="ValidationError",
                       hint="e.g. --swap cat.png --point 0.5,0.5")  # fmt: skip
    edit_mode = {"--add": "addition", "--swap": "swap", "--remove": "removal"}[chosen[0]]
    if edit_mode in ("swap", "removal") and not points:
        raise CLIError(f"{chosen[0]} needs --point X,Y: what to change", type="ValidationError",
                       hint="e.g. --point 0.5,0.5 (the middle of the frame)")  # fmt: skip
    marked = ops.parse_points(points)  # a malformed --point is refused naming it
    image = add or swap
    params = _drop_none({"edit_mode": edit_mode, "prompt": prompt, "mode": mode, "duration": duration,
                         "images": [_media(image, "--add" if add else "--swap")] if image else None})  # fmt: skip
    from klingkit import prepare

    prepare("multi_elements", session_id="(checked)", **params)  # refuse before opening a session
    if guard.dry_run:
        params["session_id"] = "(opened when sent)"
    else:
        edits = session.client().edits
        sid = str(edits.init(video)["session_id"])
        if marked:
            edits.add(sid, frame, marked)
        session.ui.info(f"selection session {sid}: {len(points)} point(s) on frame {frame}")
        params["session_id"] = sid
    run_job(session, Job("multi_elements", params, f"edit ({edit_mode})"), guard)
