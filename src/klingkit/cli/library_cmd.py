"""``klingkit elements list|create|delete`` and the voices library commands (``create``, ``delete``,
``custom``), which join the ``klingkit voices`` group.

Creating is a task like any generation (ledger row first, cost guard, live wait); the new id is printed
and is what ``klingkit omni --element NAME=ID`` / ``--voice NAME=ID`` take.
"""

from __future__ import annotations

from typing import Any

import click

from klingkit.catalog import library

from ._run import Guard, Job, run_job
from ._run_flags import _drop_none, _media, generate_options
from ._session import Session, session_options

_ELEMENTS_EPILOG = (
    "Examples:\n\n"
    "  klingkit elements list\n\n"
    "  klingkit elements create Hero -i front.png -i side.png --type character\n\n"
    '  klingkit omni "@hero waves" --element hero=<element-id>\n\n'
    "  klingkit elements delete <element-id>"
)


@click.group(epilog=_ELEMENTS_EPILOG)
def elements() -> None:
    """Your elements and the presets: ids for `omni --element` and element_list."""


def _listing(session: Session, item: str, kind: str) -> None:
    client = session.client()
    found = (client.elements if item == "element" else client.voices).list(kind)
    lines = [f"{e.get('source', ''):<7} {e.get('id')}  {e.get('name', '')}" for e in found]
    lines.append(f"{len(found)} {item}s")
    session.ui.result({f"{item}s": found}, lines)


@elements.command(
    "list", epilog="Examples:\n\n  klingkit elements list --custom\n\n  klingkit elements list --json"
)
@click.option("--custom", "kind", flag_value="custom", help="Only your own.")
@click.option("--presets", "kind", flag_value="preset", help="Only the presets.")
@session_options
def elements_list(session: Session, kind: str | None) -> None:
    """List elements (presets and your own)."""
    _listing(session, "element", kind or "all")


@elements.command(
    "create", epilog="Examples:\n\n  klingkit elements create Hero -i front.png -i side.png --type character"
)
@click.argument("name")
@click.option("-i", "--image", "images", multiple=True, required=True, metavar="PATH|URL",
              help=f"Reference image ({library.ELEMENT_REFERENCES[0]}-{library.ELEMENT_REFERENCES[1]}).")  # fmt: skip
@click.option("--type", "element_type", type=click.Choice(library.ELEMENT_TYPES), help="What it is.")
@click.option("--description", metavar="TEXT", help="A short description.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag (repeatable).")
@session_options
@generate_options
def elements_create(
    session: Session,
    guard: Guard,
    name: str,
    images: tuple[str, ...],
    element_type: str | None,
    description: str | None,
    tags: tuple[str, ...],
) -> None:
    """Create an element from reference images (a task); prints its id. Field names are confidence L."""
    guard.download = False
    params: dict[str, Any] = {"name": name, "images": [_media(i) for i in images], "element_type": element_type,
                              "description": description, "tags": list(tags) or None}  # fmt: skip
    run_job(session, Job("create_element", _drop_none(params), "element"), guard)


def _delete(session: Session, item: str, ids: tuple[str, ...]) -> None:
    client = session.client()
    deleted = (client.elements if item == "element" else client.voices).delete(list(ids))
    session.ui.result({"deleted": deleted}, [f"Deleted {item} {d}" for d in deleted])


@elements.command("delete", epilog="Examples:\n\n  klingkit elements delete <element-id> <element-id>")
@click.argument("ids", nargs=-1, required=True)
@session_options
def elements_delete(session: Session, ids: tuple[str, ...]) -> None:
    """Delete your own elements by id (presets cannot be deleted)."""
    _delete(session, "element", ids)


@click.command("create", epilog="Examples:\n\n  klingkit voices create Narrator --audio sample.wav")
@click.argument("name")
@click.option(
    "--audio",
    required=True,
    metavar="PATH|URL",
    help="A {:g}-{:g} s voice sample.".format(*library.VOICE_SAMPLE_SECONDS),
)
@session_options
@generate_options
def voices_create(session: Session, guard: Guard, name: str, audio: str) -> None:
    """Create a custom voice from a sample (a paid task; --dry-run prices it); prints its id and saves the
    sample."""
    run_job(session, Job("create_voice", {"name": name, "audio": _media(audio, "--audio")}, "voice"), guard)


@click.command("delete", epilog="Examples:\n\n  klingkit voices delete <voice-id>")
@click.argument("ids", nargs=-1, required=True)
@session_options
def voices_delete(session: Session, ids: tuple[str, ...]) -> None:
    """Delete your own voices by id (presets cannot be deleted)."""
    _delete(session, "voice", ids)


@click.command("custom", epilog="Examples:\n\n  klingkit voices custom --json")
@session_options
def voices_custom(session: Session) -> None:
    """List your own voices (made with `voices create`)."""
    _listing(session, "voice", "custom")


def attach_voice_commands(group: click.Group) -> None:
    """Add create/delete/custom to the ``klingkit voices`` group."""
    for command in (voices_create, voices_delete, voices_custom):
        group.add_command(command)
