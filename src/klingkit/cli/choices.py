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
    """The effect scenes for `klingkit effect SCENE`: how many images each takes, and retired ones."""
    from klingkit.catalog import lists

    rows = lists.effect_scenes()
    lines = [
        f"{name:<22} {count} image{'s' if count > 1 else ''}" + ("  (retired 2026-01-30)" if retired else "")
        for name, count, retired in rows
    ]
    lines.append("Use one with: klingkit effect SCENE -i photo.png (twice -i for 2-image scenes).")
    session.ui.result(
        {"effects": [{"scene": n, "images": c, "retired": r} for n, c, r in rows]},
        lines,
    )


# The voices library (issue 11): `klingkit voices create|delete|custom` join this group.
from .library_cmd import attach_voice_commands  # noqa: E402

attach_voice_commands(voices)
