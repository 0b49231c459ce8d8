"""``klingkit sandbox serve``: the local Kling-compatible server, for trying things with no keys or cost."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def sandbox() -> None:
    """The local Kling-compatible sandbox server (renders real media; no keys, no cost)."""


@sandbox.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="0 picks a free port."
)
@click.option(
    "--time-scale",
    type=click.FloatRange(min=0),
    default=0.05,
    show_default=True,
    help="Task time as a fraction of real Kling timing (0 = instant).",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed of the rendered media and the faults."
)
@click.option(
    "--state",
    type=click.Path(path_type=Path),
    help="SQLite file that keeps tasks across restarts. [default: in memory]",
)
@click.option(
    "--json", "json_output", is_flag=True, help="Print the base URL and credentials as one JSON line."
)
def serve(host: str, port: int, time_scale: float, seed: int, state: Path | None, json_output: bool) -> None:
    """Serve the sandbox until Ctrl-C. Credentials: API key sandbox-api-key (see README)."""
    try:
        from klingkit.sandbox import serve as run
    except ImportError as exc:
        raise click.ClickException(
            f'the sandbox needs extra packages ({exc.name} is missing): pip install "klingkit[sandbox]"'
        ) from exc
    run(host, port, time_scale, seed, state, json_output)
