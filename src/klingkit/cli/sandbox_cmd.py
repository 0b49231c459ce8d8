"""``klingkit sandbox serve``: the local Kling-compatible server, for trying things with no keys or cost."""

from __future__ import annotations

import sys
from pathlib import Path

import click

PORT_IN_USE_EXIT = 2  # a usage problem: the user picks another --port


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
    "--seed",
    type=int,
    default=None,
    help="Seed of the rendered media, the faults and the task ids (a reproducible sequence). "
    "[default: media seed 0, task ids unique across runs]",
)
@click.option(
    "--state",
    type=click.Path(path_type=Path),
    help="SQLite file that keeps tasks across restarts. [default: in memory]",
)
@click.option(
    "--tls",
    is_flag=True,
    help="Serve https with a certificate from a local sandbox CA (made once, kept in klingkit's data "
    "dir); prints the CA file and the lines that make other clients trust it.",
)
@click.option(
    "--public-host",
    metavar="NAME",
    help="Host name in the base URL and result URLs (and the certificate). [default: localhost with --tls]",
)
@click.option(
    "--private-urls/--no-private-urls",
    default=None,
    help="Fetch input URLs (image, video, audio given by URL) that point at loopback or private "
    "addresses. Off by default when --host is not loopback, so a sandbox others can reach does not "
    "fetch your network for them; its own result URLs are always fetched. Each input is capped at "
    "its field's size limit and 60 s. [default: on for a loopback --host, else off]",
)
@click.option(
    "--render-processes",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Render outputs in this many worker processes, so downloads never slow creates and status "
    "checks when many clients load the sandbox (0 = render in the server process).",
)
@click.option(
    "--json",
    "json_output",
    is_flag=True,
    help="Print the base URL, credentials, env lines and CA file as one JSON line.",
)
def serve(
    host: str,
    port: int,
    time_scale: float,
    seed: int | None,
    state: Path | None,
    tls: bool,
    public_host: str | None,
    private_urls: bool | None,
    render_processes: int,
    json_output: bool,
) -> None:
    """Serve the sandbox until Ctrl-C. Credentials: API key sandbox-api-key (see README).

    Prints the export lines to paste (KLING_BASE_URL, KLING_API_KEY); with --tls also SSL_CERT_FILE,
    REQUESTS_CA_BUNDLE, NODE_EXTRA_CA_CERTS and CURL_CA_BUNDLE for other clients.

    Inputs given by URL are fetched when a task is created, as Kling does. With --host 0.0.0.0 (or any
    address beyond loopback) URLs on loopback and private addresses are refused (the task fails) unless
    --private-urls is given.
    """
    try:
        from klingkit.sandbox import PortInUseError
        from klingkit.sandbox import serve as run
    except ImportError as exc:
        raise click.ClickException(
            f'the sandbox needs extra packages ({exc.name} is missing): pip install "klingkit[sandbox]"'
        ) from exc
    try:
        run(
            host,
            port,
            time_scale,
            seed,
            state,
            json_output,
            tls=tls,
            public_host=public_host,
            private_urls=private_urls,
            render_processes=render_processes,
        )
    except PortInUseError:
        click.echo(
            f"klingkit: port {port} on {host} is already in use; choose another with --port "
            "(--port 0 picks a free one)",
            err=True,
        )
        sys.exit(PORT_IN_USE_EXIT)
