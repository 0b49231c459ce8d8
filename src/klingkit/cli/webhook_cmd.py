"""``klingkit webhook serve``: the ASGI receiver of Kling's callbacks, verified, logged one line each.

Registered by ``klingkit.cli`` under the name ``webhook`` (an attribute of this module).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import click

from ._exit import CLIError, ExitCode
from ._help import examples
from ._session import Session, session_options
from .batch import _async_client

__all__ = ["webhook"]

WEBHOOK_SECRET_ENV = "KLINGKIT_WEBHOOK_SECRET"


def _logged(app: Any) -> Any:
    """The receiver, logging one line per callback on stderr: accepted or refused, and why."""

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            await app(scope, receive, send)
            return
        seen: dict[str, Any] = {"status": None, "body": b""}

        async def spy(message: Any) -> None:
            if message.get("type") == "http.response.start":
                seen["status"] = message.get("status")
            elif message.get("type") == "http.response.body" and len(seen["body"]) < 300:
                seen["body"] += message.get("body", b"")[:300]
            await send(message)

        await app(scope, receive, spy)
        status = seen["status"] or 0
        verdict = "accepted" if 200 <= status < 300 else "refused"
        reason = seen["body"].decode("utf-8", "replace").strip().replace("\n", " ")[:200]
        stamp = time.strftime("%H:%M:%S")
        click.echo(
            f"{stamp} callback {scope.get('method')} {scope.get('path')}: {verdict} ({status}) {reason}",
            err=True,
        )

    return wrapped


@click.group("webhook", epilog=examples("klingkit webhook serve --port 8787"))
def webhook() -> None:
    """Receive Kling callbacks (Standard Webhooks signatures)."""


@webhook.command(
    "serve",
    epilog=examples(
        "klingkit webhook serve --port 8787",
        "klingkit webhook serve --port 8787 --secret-file whsec.txt",
    ),
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8787,
    show_default=True,
    help="TCP port (0: any free port).",
)
@click.option(
    "--secret-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"File holding the whsec_... secret from the Kling console [or env {WEBHOOK_SECRET_ENV}].",
)
@click.option("--secret", hidden=True, help="Refused: a secret on the command line shows in ps and history.")
@click.option(
    "--insecure-no-verify", is_flag=True, help="Accept unsigned callbacks (no secret configured in Kling)."
)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Where outputs of tasks outside any batch are saved.")  # fmt: skip
@click.option("--max-body", type=click.IntRange(1024, 64 * 1024 * 1024), default=1024 * 1024, show_default=True,
              help="Largest accepted callback body in bytes.")  # fmt: skip
@session_options
def serve(
    session: Session,
    host: str,
    port: int,
    secret_file: Path | None,
    secret: str | None,
    insecure_no_verify: bool,
    out_dir: Path,
    max_body: int,
) -> None:
    """Verify callbacks, re-fetch each task from the API, update the ledger and download results.

    Only tasks in the local ledger are accepted. Point a batch at it with ``--callback-url``.
    """
    import uvicorn

    from klingkit.jobs.receiver import Receiver, create_app
    from klingkit.webhooks import check_secret

    if secret is not None:
        raise CLIError(
            "--secret is refused: a secret on the command line shows in `ps` and the shell history; "
            "nothing was started",
            hint=f"export {WEBHOOK_SECRET_ENV}=whsec_... or put it in a file: --secret-file FILE",
        )
    if secret_file is not None:
        try:
            secret = secret_file.expanduser().read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise CLIError(f"invalid --secret-file {str(secret_file)!r}: {exc.strerror or exc}") from None
    secret = secret or os.environ.get(WEBHOOK_SECRET_ENV) or None
    if secret is None and not insecure_no_verify:
        raise CLIError(
            "no webhook secret",
            exit_code=ExitCode.USAGE,
            hint=f"export {WEBHOOK_SECRET_ENV}=whsec_... (or --secret-file FILE), or pass --insecure-no-verify "
            "if Kling sends unsigned callbacks",
        )
    if secret is not None:
        try:
            check_secret(secret)
        except ValueError as exc:
            raise CLIError(str(exc), exit_code=ExitCode.USAGE) from None
    receiver = Receiver(
        ledger=session.ledger(),
        client=_async_client(session, session.max_retries),
        secret=secret,
        out_dir=out_dir,
        max_body=max_body,
    )
    app = _logged(create_app(receiver))
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    session.ui.info(
        f"listening on http://{host}:{port}/ (signatures {'checked' if secret else 'NOT checked'})"
    )
    server.run()
