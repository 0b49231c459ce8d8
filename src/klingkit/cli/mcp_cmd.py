"""``klingkit mcp``: serve the operation registry to AI agents over MCP (stdio, or streamable HTTP)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ._exit import CLIError, ExitCode
from ._guard import CONFIRM_ABOVE_ENV, DEFAULT_CONFIRM_ABOVE_USD
from ._session import REGION_CHOICES, Session

TOKEN_ENV = "KLINGKIT_MCP_TOKEN"
OUTPUT_ENV = "KLINGKIT_MCP_OUTPUT"
DEFAULT_PORT = 8765

_EPILOG = (
    "Examples:\n\n"
    "  klingkit mcp --sandbox                      # stdio, against the local sandbox (no keys, no cost)\n\n"
    "  klingkit mcp --budget 5 --output-dir ~/kling  # stdio, at most $5 this session\n\n"
    "  klingkit mcp --http --port 8765             # http://127.0.0.1:8765/mcp\n\n"
    f"  klingkit mcp --http --host 0.0.0.0 --token SECRET   # beyond loopback: a token is required ({TOKEN_ENV})"
)


@click.command(epilog=_EPILOG)
@click.option("--http", "use_http", is_flag=True, help="Serve streamable HTTP instead of stdio.")
@click.option("--host", default="127.0.0.1", show_default=True, help="HTTP: address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="HTTP: port (0 picks a free one).",
)
@click.option(
    "--token",
    metavar="TOKEN",
    help=f"HTTP: bearer token clients must send (required beyond loopback) [env {TOKEN_ENV}].",
)
@click.option("--sandbox", is_flag=True, help="Run against the embedded local sandbox (no keys, no cost).")
@click.option("--base-url", metavar="URL", help="API base URL (overrides --region and KLING_BASE_URL).")
@click.option("--region", type=click.Choice(REGION_CHOICES), help="global, cn or legacy [env KLING_REGION].")
@click.option(
    "--budget",
    type=click.FloatRange(min=0),
    metavar="USD",
    help="Refuse generate calls once a session's estimates reach USD (each MCP session has its own budget: "
    "a stdio client, an HTTP session; stateless 2026 HTTP requests share one).",
)
@click.option(
    "--max-call-cost",
    type=click.FloatRange(min=0),
    metavar="USD",
    help="Refuse any single generate call estimated above USD.",
)
@click.option(
    "--confirm-above",
    type=click.FloatRange(min=0),
    metavar="USD",
    help=f"Calls estimated above USD need confirm=true. [default: {DEFAULT_CONFIRM_ABOVE_USD:g}, env {CONFIRM_ABOVE_ENV}]",
)
@click.option(
    "--output-dir",
    metavar="DIR",
    help=f"Where results are saved. [default: <klingkit home>/outputs, env {OUTPUT_ENV}]",
)
def mcp(
    use_http: bool,
    host: str,
    port: int,
    token: str | None,
    sandbox: bool,
    base_url: str | None,
    region: str | None,
    budget: float | None,
    max_call_cost: float | None,
    confirm_above: float | None,
    output_dir: str | None,
) -> None:
    """Serve klingkit's tools to AI agents over MCP (stdio by default).

    Generate tools answer at once with a handle and the estimate; task_status and task_result follow the
    task (results are saved files). Every task is recorded in the ledger before it is sent.
    """
    try:
        import anyio

        from klingkit.mcp.server import Guards, Settings, build_server, serve_http, serve_stdio
    except ImportError as exc:
        raise CLIError(
            f"the MCP server needs extra packages ({exc.name} is missing)",
            exit_code=ExitCode.USAGE,
            hint='install them with: pip install "klingkit[mcp]"',
        ) from exc
    if sandbox and (base_url or region):
        raise click.UsageError("--sandbox cannot be combined with --base-url or --region")
    token = token or os.environ.get(TOKEN_ENV) or None
    if use_http and host not in ("127.0.0.1", "localhost", "::1") and not token:
        raise click.UsageError(
            f"--host {host} listens beyond this machine: pass --token (or set {TOKEN_ENV})"
        )
    if confirm_above is None:
        try:
            confirm_above = float(os.environ.get(CONFIRM_ABOVE_ENV, DEFAULT_CONFIRM_ABOVE_USD))
        except ValueError:
            confirm_above = DEFAULT_CONFIRM_ABOVE_USD
    session = Session(sandbox=sandbox, base_url=base_url, region=region, quiet=True)
    out = Path(output_dir or os.environ.get(OUTPUT_ENV) or session.home() / "outputs").expanduser().resolve()
    guards = Guards(budget_usd=budget, max_call_usd=max_call_cost, confirm_above_usd=confirm_above)

    def make_client() -> Any:
        from klingkit import AsyncKling

        if sandbox:
            sb = session.start_sandbox()
            return AsyncKling(api_key=sb.api_key, base_url=sb.base_url)
        return AsyncKling(base_url=base_url, region=region)

    def make_ledger() -> Any:
        return session.ledger()

    if sandbox:
        session.start_sandbox()  # before serving: the ledger records its base URL
    settings = Settings(
        output_dir=out,
        guards=guards,
        sandbox=sandbox,
        base_url=session.connection_base_url() if sandbox else base_url,
        region=region,
    )
    server = build_server(settings, make_client, make_ledger, on_close=session.close)
    where = "the embedded sandbox" if sandbox else (base_url or "Kling")
    budget_line = f"budget ${budget:g} per session" if budget is not None else "no session budget"
    if use_http:

        def ready(bound: int) -> None:
            click.echo(
                f"klingkit MCP server on http://{host}:{bound}/mcp ({where}; {budget_line}; saving to {out})",
                err=True,
            )

        anyio.run(lambda: serve_http(server, host, port, token, on_ready=ready))
    else:
        print(f"klingkit MCP server on stdio ({where}; {budget_line}; saving to {out})", file=sys.stderr)
        anyio.run(serve_stdio, server)
