"""The options every API-using command shares, and the per-run session built from them.

A :class:`Session` holds the printer (:class:`~klingkit.cli._ui.UI`), and opens the client, the embedded
sandbox and the ledger only when first asked, so that ``--help`` and usage errors stay fast and offline.

Other command modules (``klingkit.cli.batch``) use it the same way::

    @click.command()
    @session_options
    def mycommand(session: Session, ...) -> None:
        client = session.client()
        ledger = session.ledger()
"""

from __future__ import annotations

import functools
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

import click

from klingkit import defaults

from ._exit import CLIError, ExitCode, describe
from ._globals import REGION_CHOICES, global_option
from ._ui import UI

if TYPE_CHECKING:
    from klingkit import Kling
    from klingkit.jobs.ledger import Ledger, TaskRecord
    from klingkit.sandbox import Sandbox

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["REGION_CHOICES", "Session", "sandbox_time_scale", "session_options"]
SANDBOX_TIME_SCALE_ENV = "KLINGKIT_SANDBOX_TIME_SCALE"
DEFAULT_SANDBOX_TIME_SCALE = 0.02  # embedded sandbox: a "5 minute" task takes about 6 s
POLL_EVERY_ENV = "KLINGKIT_POLL_EVERY"
POLL_EVERY_MIN = defaults.POLL_EVERY_MIN  # a fixed spacing closer than this only spends requests
SANDBOX_POLL_EVERY = defaults.SANDBOX_POLL_EVERY
"""Status checks on the embedded sandbox: its clock runs faster than Kling's, so the library's schedule
(which follows Kling's typical times, up to ``defaults.POLL_CAP`` between checks) would sleep long after the task is done."""


def sandbox_time_scale() -> float:
    """How much faster than Kling's the embedded sandbox's clock runs (``KLINGKIT_SANDBOX_TIME_SCALE``,
    default 0.02): its tasks take their typical time times this, and so does the progress line's hint."""
    return float(os.environ.get(SANDBOX_TIME_SCALE_ENV, DEFAULT_SANDBOX_TIME_SCALE))


def poll_every(sandbox: bool) -> float | None:
    """The fixed seconds between status checks: ``KLINGKIT_POLL_EVERY`` if set, else 1 s on the embedded
    sandbox, else None (the library follows each model's typical time from the catalog)."""
    raw = os.environ.get(POLL_EVERY_ENV, "").strip()
    if not raw:
        return SANDBOX_POLL_EVERY if sandbox else None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not value >= POLL_EVERY_MIN or value == float("inf"):
        raise CLIError(
            f"invalid {POLL_EVERY_ENV} {raw!r}: seconds between status checks, a number >= {POLL_EVERY_MIN:g}; "
            "nothing was sent",
            exit_code=ExitCode.USAGE,
            hint=f"unset {POLL_EVERY_ENV} to let checks follow the model's typical time",
        )
    return value


class Session:
    """Everything one command run needs; heavy parts are created on first use."""

    def __init__(
        self,
        *,
        sandbox: bool = False,
        base_url: str | None = None,
        region: str | None = None,
        json_mode: bool = False,
        quiet: bool = False,
        debug: bool = False,
        max_retries: int | None = None,
        max_wait: float | None = None,
    ) -> None:
        self.started = time.monotonic()
        self.sandbox = sandbox
        self.base_url = base_url
        self.region = region
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.ui = UI(json_mode=json_mode, quiet=quiet, debug=debug, sandbox=sandbox)
        self._client: Kling | None = None
        self._sandbox: Sandbox | None = None
        self._ledger: Ledger | None = None

    # --- parts ---------------------------------------------------------------------------------------

    def home(self) -> Path:
        """The klingkit data directory (``KLINGKIT_HOME`` or the user data dir)."""
        from klingkit.jobs.ledger import default_home

        return default_home()

    def ledger(self) -> Ledger:
        """The task ledger (opened once)."""
        if self._ledger is None:
            from klingkit.jobs.ledger import Ledger

            try:
                self._ledger = Ledger()
            except Exception as exc:
                raise self._home_error(exc) from exc
        return self._ledger

    def _home_error(self, exc: BaseException) -> BaseException:
        """An unusable data folder, said as such: KLINGKIT_HOME, the path, why (not a bug, exit 2)."""
        if not isinstance(exc, OSError) and not isinstance(exc.__cause__, OSError):
            return exc
        try:
            home = str(self.home())
        except Exception:
            home = os.environ.get("KLINGKIT_HOME", "the klingkit data folder")
        reason = getattr(exc, "strerror", None) or getattr(exc.__cause__, "strerror", None) or str(exc)
        return CLIError(
            f"cannot use the klingkit data folder {home} ({reason}); nothing was sent",
            hint="set KLINGKIT_HOME to a folder you can write (the ledger of every task lives there)",
        )

    def adopt(self, record: TaskRecord) -> None:
        """Connect the way ``record`` was made: its sandbox flag, or its base URL unless one was given."""
        if self._client is not None:
            return
        if record.sandbox and not self.sandbox and self.base_url is None:
            self.sandbox = True
            self.ui.sandbox = True
        elif not record.sandbox and not self.sandbox and self.base_url is None and record.base_url:
            self.base_url = record.base_url

    def start_sandbox(self) -> Sandbox:
        """Start the embedded sandbox (tasks kept in ``<home>/sandbox.sqlite3``) if not running."""
        if self._sandbox is None:
            try:
                from klingkit.sandbox import Sandbox
            except ImportError as exc:
                raise CLIError(
                    f"the sandbox needs extra packages ({exc.name} is missing)",
                    exit_code=ExitCode.USAGE,
                    hint='install them with: pip install "klingkit[sandbox]"',
                ) from exc
            scale = sandbox_time_scale()
            state = self.home() / "sandbox.sqlite3"
            try:
                state.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise self._home_error(exc) from exc
            sb = Sandbox(time_scale=scale, state=state)  # unseeded: task ids never repeat
            sb.__enter__()
            self._sandbox = sb
            self.ui.debug_line(f"embedded sandbox at {sb.base_url} (state {state}, time scale {scale})")
        return self._sandbox

    def client(self) -> Kling:
        """The API client for this run (``--sandbox``: the embedded sandbox, no keys needed)."""
        if self._client is None:
            from klingkit import Kling

            kwargs: dict[str, Any] = {}
            if self.max_retries is not None:
                kwargs["max_retries"] = self.max_retries
            if self.max_wait is not None:
                kwargs["max_wait"] = self.max_wait
            every = poll_every(self.sandbox)
            if every is not None:
                kwargs["poll_interval"] = every
            if self.sandbox:
                sb = self.start_sandbox()
                self._client = Kling(api_key=sb.api_key, base_url=sb.base_url, **kwargs)
            else:
                self._client = Kling(base_url=self.base_url, region=self.region, **kwargs)
        return self._client

    def connection_base_url(self) -> str | None:
        """The base URL requests go to (after the client is made), for the ledger."""
        client = self._client
        url = getattr(client, "base_url", None) if client is not None else None
        if url is None and self._sandbox is not None:
            url = self._sandbox.base_url
        return str(url) if url is not None else self.base_url

    def close(self) -> None:
        """Close the client, the sandbox and the ledger."""
        if self._client is not None:
            close = getattr(self._client, "close", None)
            if callable(close):
                close()
            self._client = None
        if self._sandbox is not None:
            self._sandbox.__exit__(None, None, None)
            self._sandbox = None
        if self._ledger is not None:
            self._ledger.close()
            self._ledger = None

    # --- errors --------------------------------------------------------------------------------------

    def fail(self, exc: BaseException, **extra: Any) -> None:
        """Report ``exc`` (plain words or the JSON envelope) and exit with its code."""
        report = describe(exc)
        if self.ui.debug and report.exit_code == ExitCode.UNEXPECTED:
            traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
        self.ui.error(report, {k: v for k, v in extra.items() if v is not None})
        self.close()
        sys.exit(int(report.exit_code))


@overload
def session_options(func: F, *, network: bool = True) -> F: ...
@overload
def session_options(func: None = None, *, network: bool = True) -> Callable[[F], F]: ...
def session_options(func: F | None = None, *, network: bool = True) -> F | Callable[[F], F]:
    """Add the output options (and, with ``network``, the connection options) to a command.

    The command receives ``session: Session``; errors it raises are reported by :meth:`Session.fail`
    with their exit code. Use as ``@session_options`` or ``@session_options(network=False)``.
    """
    if func is None:

        def deco(f: F) -> F:
            return session_options(f, network=network)

        return deco
    wrapped = _session_wrapper(func)
    decorators = [
        click.option("--json", "json_mode", is_flag=True, help="Print exactly one JSON object on stdout."),
        click.option("-q", "--quiet", is_flag=True, help="No progress output."),
        click.option("--debug", is_flag=True, help="Show debug details and tracebacks of unexpected errors."),
    ]
    if network:
        decorators = [
            click.option(
                "--sandbox", is_flag=True, help="Run against the embedded local sandbox (no keys, no cost)."
            ),
            click.option(
                "--base-url", metavar="URL", help="API base URL (overrides --region and KLING_BASE_URL)."
            ),
            click.option(
                "--region",
                type=click.Choice(REGION_CHOICES),
                help="global = api-singapore, cn = api-beijing, legacy = api.klingai.com [env KLING_REGION].",
            ),
            *decorators,
            click.option(
                "--max-retries",
                type=click.IntRange(0, 10),
                help=f"Retries of a failed request (429/1303, 5xx, network); 0 disables. [default: {defaults.MAX_RETRIES}]",
            ),
        ]
    for option in reversed(decorators):
        wrapped = option(wrapped)
    return wrapped


def _session_wrapper(func: F) -> F:
    @functools.wraps(func)
    def wrapper(
        *args: Any,
        json_mode: bool,
        quiet: bool,
        debug: bool,
        sandbox: bool = False,
        base_url: str | None = None,
        region: str | None = None,
        max_retries: int | None = None,
        **kwargs: Any,
    ) -> Any:
        # Options given before the subcommand (`klingkit --json video ...`) count as given after it.
        json_mode = json_mode or bool(global_option("json_mode", False))
        debug = debug or bool(global_option("debug", False))
        sandbox = sandbox or bool(global_option("sandbox", False))
        base_url = base_url or global_option("base_url")
        region = region or global_option("region")
        if debug:
            os.environ.setdefault("KLINGKIT_LOG", "debug")
        session = Session(
            sandbox=sandbox,
            base_url=base_url,
            region=region,
            json_mode=json_mode,
            quiet=quiet,
            debug=debug,
            max_retries=max_retries,
            max_wait=kwargs.get("max_wait"),
        )
        if sandbox and (base_url or region):
            session.fail(CLIError("--sandbox cannot be combined with --base-url or --region"))
        try:
            result = func(*args, session=session, **kwargs)
        except KeyboardInterrupt:
            session.fail(
                CLIError("interrupted", exit_code=ExitCode.INTERRUPTED, type="Interrupted"),
            )
        except click.exceptions.Exit:
            session.close()
            raise
        except click.ClickException:
            session.close()
            raise
        except Exception as exc:  # every error becomes a report and an exit code
            session.fail(exc)
        session.close()
        return result

    return wrapper  # type: ignore[return-value]
