"""``klingkit skill install|show``: the agent skill shipped with klingkit (see :mod:`._skill`)."""

from __future__ import annotations

from pathlib import Path

import click

# Where each agent host loads user-level skills from (a folder per skill, holding SKILL.md), as each
# host documents it: Claude Code ~/.claude/skills; Codex $HOME/.agents/skills (developers.openai.com/codex/
# skills); Cursor ~/.cursor/skills (cursor.com/docs/skills, which also reads ~/.agents/skills). "agents"
# is the cross-host folder of the Agent Skills standard.
TARGETS: dict[str, Path] = {
    "claude": Path("~/.claude/skills"),
    "codex": Path("~/.agents/skills"),
    "cursor": Path("~/.cursor/skills"),
    "agents": Path("~/.agents/skills"),
}


@click.group()
def skill() -> None:
    """The agent skill (SKILL.md) that teaches an AI agent to use klingkit's CLI and MCP server."""


@skill.command()
def show() -> None:
    """Print the skill (SKILL.md, generated from this CLI's help and the catalog)."""
    from ._skill import render

    click.echo(render(), nl=False)


@skill.command()
@click.option(
    "--target",
    default="claude",
    show_default=True,
    metavar="claude|codex|cursor|agents|DIR",
    help="Agent host ("
    + ", ".join(f"{name}: {path}" for name, path in TARGETS.items())
    + ") or a skills folder (e.g. a project's .cursor/skills); the skill is written to "
    "<folder>/klingkit/SKILL.md.",
)
@click.option("--force", is_flag=True, help="Overwrite a SKILL.md that differs from this version's.")
def install(target: str, force: bool) -> None:
    """Write SKILL.md where an agent host finds it."""
    from ._skill import SKILL_NAME, render

    root = TARGETS.get(target, Path(target)).expanduser()
    path = root / SKILL_NAME / "SKILL.md"
    text = render()
    if path.exists() and path.read_text(encoding="utf-8") != text and not force:
        raise click.ClickException(f"{path} exists and differs: pass --force to overwrite it")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    click.echo(str(path))
