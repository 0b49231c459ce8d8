"""``klingkit voices`` and ``klingkit effects``: what can be chosen, listed from the catalog (offline).

Both are click groups whose bare form lists; other commands (``voices create``, ...) can be added to
them with ``@voices.command()``.
"""

from __future__ import annotations

import click

from ._help import examples
from ._session import Session, session_options


@click.group(
    invoke_without_command=True,
    epilog=examples(
        "klingkit voices",
        "klingkit voices --language en",
        'klingkit audio tts "Hello and welcome" --voice genshin_vindi2 -o hello.mp3',
    ),
)
@click.option("--language", type=click.Choice(("en", "zh")), help="Only the voices of this language.")
@session_options(network=False)
def voices(session: Session, language: str | None) -> None:
    """The preset voices for `lipsync --text --voice` and `audio tts --voice` (the language follows)."""
    if click.get_current_context().invoked_subcommand is not None:
        return  # `voices create|delete|custom` (the library commands) run instead of the list
    from klingkit.catalog import lists

    found = [(vid, lang) for vid, lang in lists.voices() if language in (None, lang)]
    lines = [f"{lang}  {vid}" for vid, lang in found]
    lines.append(f"{len(found)} voices; use one with --voice (its language is chosen for you).")
    session.ui.result({"voices": [{"voice_id": v, "language": la} for v, la in found]}, lines)


@click.group(
    invoke_without_command=True,
    epilog=examples(
        "klingkit effects",
        "klingkit effect bullet_time -i photo.png",
        "klingkit effect hug_pro -i photo.png -i photo.png",
    ),
)
@session_options(network=False)
def effects(session: Session) -> None:
    """The effect scenes for `klingkit effect SCENE`: images each takes, price, and retired ones.

    The scenes and prices are data: add or change them in $KLINGKIT_HOME/effects.json (or the file named by
    $KLINGKIT_EFFECTS), in the shape of klingkit's own effects.json, without a new klingkit.
    """
    from klingkit import catalog

    from ._exit import CLIError

    try:
        rows = catalog.effect_scenes.scenes()
    except catalog.effect_scenes.EffectsDataError as exc:
        raise CLIError(str(exc), type="ValidationError",
                       hint=f"fix the file, or unset {catalog.effect_scenes.ENV} to use klingkit's own list") from None  # fmt: skip
    lines = []
    for s in rows:
        usd = catalog.usd(s.units, "video")
        price = f"{s.units:g} units (${usd:.2f})" + ("" if s.exact else " typical")
        shown = f"retired {s.retired}, use {s.instead}" if s.retired else price
        lines.append(f"{s.name:<22} {s.images} image{'s' if s.images > 1 else ' '}  {shown}")
    files = catalog.effect_scenes.data_files()
    lines.append(
        f"{len(rows)} scenes from {', '.join(str(f) for f in files)}; Kling has more, and an unknown"
    )
    lines.append(
        "scene is sent with a warning. Use one with: klingkit effect SCENE -i photo.png (-i twice for 2)."
    )
    session.ui.result(
        {"effects": [{"scene": s.name, "images": s.images, "retired": s.retired is not None,
                      "retired_on": s.retired, "instead": s.instead, "units": s.units,
                      "usd": catalog.usd(s.units, "video"), "exact": s.exact} for s in rows],
         "data_files": [str(f) for f in files]},
        lines,
    )  # fmt: skip


# The voices library (issue 11): `klingkit voices create|delete|custom` join this group.
from .library_cmd import attach_voice_commands  # noqa: E402

attach_voice_commands(voices)
