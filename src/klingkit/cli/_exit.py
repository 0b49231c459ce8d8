"""Exit codes of the ``klingkit`` command, and how an error becomes one (plus its JSON envelope).

This module is imported by ``klingkit --help`` (for the epilog), so it imports nothing heavy at module
level; the library's error classes are imported only when an error is actually being described.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    """Process exit statuses; each error class has one, so scripts can branch on ``$?``."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    AUTH = 3
    QUOTA = 4
    RATE_LIMIT = 5
    CONTENT_POLICY = 6
    TASK_FAILED = 7
    TIMEOUT = 8
    NETWORK = 9
    DOWNLOAD = 10
    COST_GUARD = 11
    INTERRUPTED = 130


EXIT_CODE_MEANINGS: tuple[tuple[ExitCode, str], ...] = (
    (ExitCode.OK, "success"),
    (ExitCode.UNEXPECTED, "unexpected error (a bug: please report it with --debug output)"),
    (ExitCode.USAGE, "bad usage or input refused before sending (validation, 400/1200/1201, 404/1203)"),
    (ExitCode.AUTH, "credentials missing or refused (401/1000-1004), no permission (1103), IP (1304)"),
    (ExitCode.QUOTA, "account or billing: 1100 account, 1101 arrears, 1102 resource pack used up"),
    (ExitCode.RATE_LIMIT, "rate or concurrency limit still hit after retries (1302, 1303)"),
    (ExitCode.CONTENT_POLICY, "content policy (1300, 1301) or a task failed by risk control; no charge"),
    (ExitCode.TASK_FAILED, "the task failed for another reason; failed tasks are not charged"),
    (ExitCode.TIMEOUT, "--max-wait ran out; the task is still running: resume with `klingkit tasks wait`"),
    (ExitCode.NETWORK, "no answer from the server, or a server error (5xx, 5000-5002)"),
    (ExitCode.DOWNLOAD, "the task succeeded but an output could not be downloaded or written"),
    (ExitCode.COST_GUARD, "estimate above --max-cost, or the confirmation was declined / impossible"),
    (ExitCode.INTERRUPTED, "interrupted (Ctrl-C); a running task is detached and stays resumable"),
)


def exit_code_table() -> str:
    """The exit-code table as aligned plain text (for ``--help`` and the README)."""
    return "\n".join(f"{int(code):>5}  {meaning}" for code, meaning in EXIT_CODE_MEANINGS)


class CLIError(Exception):
    """An error the CLI raises itself (not from the library), with its exit code and a fix."""

    def __init__(
        self,
        message: str,
        *,
        exit_code: ExitCode = ExitCode.USAGE,
        type: str = "UsageError",
        hint: str = "",
        code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.type = type
        self.hint = hint
        self.code = code


@dataclass
class ErrorReport:
    """What the CLI says about an error, in the shape of the ``--json`` error object."""

    type: str
    message: str
    exit_code: ExitCode
    code: int | None = None
    request_id: str | None = None
    retryable: bool = False
    hint: str = ""
    field: str | None = None
    task_id: str | None = None
    flag: str | None = None
    command: str | None = None  # the exact command line that would work, when one was found
    problems: tuple[
        dict[str, Any], ...
    ] = ()  # every refusal when there are several (field, flag, message, hint)

    def to_json(self) -> dict[str, Any]:
        """The ``error`` object of the ``{"ok": false, ...}`` envelope."""
        out: dict[str, Any] = {
            "type": self.type,
            "code": self.code,
            "message": self.message,
            "request_id": self.request_id,
            "retryable": self.retryable,
            "hint": self.hint,
            "exit_code": int(self.exit_code),
        }
        if self.field is not None:
            out["field"] = self.field
        if self.flag is not None:
            out["flag"] = self.flag
        if self.command is not None:
            out["try"] = self.command
        if self.problems:
            out["problems"] = list(self.problems)
        return out


_RISK_WORDS = ("risk control", "content security", "content policy")


def is_risk_control(message: str | None) -> bool:
    """True when a task's failure message says it was blocked by moderation."""
    low = (message or "").lower()
    return any(w in low for w in _RISK_WORDS)


def describe(exc: BaseException) -> ErrorReport:
    """Map any exception to its report (type, plain-words message, exit code, hint)."""
    if isinstance(exc, CLIError):
        return ErrorReport(exc.type, exc.message, exc.exit_code, code=exc.code, hint=exc.hint)
    try:
        from klingkit import errors as E
    except ImportError:  # pragma: no cover - the library is part of the package
        return ErrorReport(type(exc).__name__, str(exc), ExitCode.UNEXPECTED)

    name = type(exc).__name__
    if isinstance(exc, E.ValidationError):
        return _validation_report(exc)
    if isinstance(exc, E.CredentialsError) and "unknown region" in str(exc):
        from ._globals import REGION_CHOICES

        return ErrorReport(
            name,
            f"invalid region: {exc}; nothing was sent",
            ExitCode.USAGE,
            hint=f"--region takes {', '.join(REGION_CHOICES)}; fix or unset KLING_REGION "
            "(export KLING_REGION=global), or the region in the config file",
            flag="--region",
        )
    if isinstance(exc, E.CredentialsError) and "config file" in str(exc):
        return ErrorReport(
            name,
            f"{exc}; nothing was sent",
            ExitCode.USAGE,
            hint="fix the file at the line shown, or delete it and run `klingkit auth set` to write a new "
            "one (KLINGKIT_CONFIG chooses another file)",
        )
    if isinstance(exc, E.CredentialsError):
        return ErrorReport(
            name,
            str(exc),
            ExitCode.AUTH,
            hint="set KLING_API_KEY (or KLING_ACCESS_KEY and KLING_SECRET_KEY), run `klingkit auth set`, "
            "or try everything offline with --sandbox",
        )
    if isinstance(exc, E.APIError):
        if isinstance(exc, (E.AuthenticationError, E.PermissionDeniedError)):
            code = ExitCode.AUTH
        elif isinstance(exc, E.QuotaError):
            code = ExitCode.QUOTA
        elif isinstance(exc, E.RateLimitError):
            code = ExitCode.RATE_LIMIT
        elif isinstance(exc, E.ContentPolicyError):
            code = ExitCode.CONTENT_POLICY
        elif isinstance(exc, (E.BadRequestError, E.NotFoundError)):
            code = ExitCode.USAGE
        elif isinstance(exc, E.ServerError):
            code = ExitCode.NETWORK
        else:
            code = ExitCode.UNEXPECTED
        return ErrorReport(
            name,
            exc.message or str(exc),
            code,
            code=exc.code,
            request_id=exc.request_id,
            retryable=exc.retryable,
            hint=exc.hint,
        )
    if isinstance(exc, E.TaskFailedError):
        task = exc.task
        reason = task.message or "no reason given"
        if is_risk_control(reason):
            return ErrorReport(
                name,
                f"task {task.id} failed: {reason}",
                ExitCode.CONTENT_POLICY,
                hint="the input was blocked by Kling's risk control: change the prompt or the media and "
                "submit again. Failed tasks are not charged: no credits were used",
                task_id=task.id,
            )
        return ErrorReport(
            name,
            f"task {task.id} failed: {reason}",
            ExitCode.TASK_FAILED,
            hint="failed tasks are not charged: no credits were used; check the inputs and submit again",
            task_id=task.id,
        )
    if isinstance(exc, E.TaskTimeoutError):
        task = exc.task
        return ErrorReport(
            name,
            f"task {task.id} is still running after {exc.elapsed:.0f} s of waiting",
            ExitCode.TIMEOUT,
            retryable=True,
            hint="it keeps running on Kling's side and is billed if it succeeds; the Resume line waits "
            "for it again",
            task_id=task.id,
        )
    if isinstance(exc, E.DownloadError):
        return ErrorReport(
            name,
            str(exc),
            ExitCode.DOWNLOAD,
            retryable=True,
            hint=f"the task succeeded; fetch its files again with `klingkit tasks download {exc.task_id or 'TASK_ID'}` "
            "(output URLs expire after 30 days)",
            task_id=exc.task_id,
        )
    if isinstance(exc, E.APIConnectionError):
        return ErrorReport(
            name,
            str(exc),
            ExitCode.NETWORK,
            retryable=True,
            hint="check the network and the base URL (--base-url, --region); if a create was under way, "
            "`klingkit tasks wait <external id>` finds it without creating it twice",
        )
    if isinstance(exc, E.KlingError):
        return ErrorReport(name, str(exc), ExitCode.UNEXPECTED)
    from klingkit.jobs.ledger import LedgerError

    if isinstance(exc, LedgerError):
        return ErrorReport(
            name, str(exc), ExitCode.UNEXPECTED, hint="check the disk and KLINGKIT_HOME permissions"
        )
    if isinstance(exc, OSError):
        return ErrorReport(name, str(exc), ExitCode.UNEXPECTED, hint="check the path and its permissions")
    return ErrorReport(name, str(exc) or name, ExitCode.UNEXPECTED, hint="rerun with --debug for details")


def _validation_report(exc: Any) -> ErrorReport:
    """A library refusal in CLI words; with several (``exc.all``), every one at once, each naming its flag."""
    first = _one_refusal(exc)
    others = [_one_refusal(e) for e in getattr(exc, "all", ())[1:]]
    if not others:
        return first
    done = "; nothing was sent"
    lines = [first.message.removesuffix(done)] + [o.message.removesuffix(done) for o in others]
    hints = [f"{r.flag}: {r.hint}" for r in (first, *others) if r.hint]
    problems = tuple(
        {"field": r.field, "flag": r.flag, "message": r.message.removesuffix(done), "hint": r.hint}
        for r in (first, *others)
    )
    message = f"{len(lines)} problems:\n  " + "\n  ".join(lines) + "\nnothing was sent"
    return replace(first, message=message, hint="; ".join(hints), command=None, problems=problems)


def _one_refusal(exc: Any) -> ErrorReport:
    """A library refusal in CLI words: the flag, the value as typed, what is allowed, the line that works."""
    from klingkit.catalog import lists

    from ._globals import typed_argv
    from ._terms import cli_words, flag, shown_value, working_command

    allowed = exc.allowed
    if isinstance(allowed, (list, tuple)):
        allowed = ", ".join(str(a) for a in allowed)
    hint = cli_words(exc.suggestion or "")
    models = lists.model_names()
    if exc.field in ("model_name", "model") and isinstance(exc.value, str):
        known = [str(a) for a in exc.allowed] if isinstance(exc.allowed, (list, tuple)) else None
        close = lists.nearest(exc.value, known or str(exc.allowed).split(", "))
        hint = (f"did you mean {' or '.join(close)}? " if close else "") + (
            "see `klingkit models`; --allow-unknown-model sends an unknown name as given"
        )
        models = [*close, *models]
    what = shown_value(exc.field, exc.value, typed_argv())
    command = working_command(exc.field, exc.allowed, exc.suggestion or "", models)
    if not hint or hint == "it is required":
        hint = f"give {flag(exc.field)}" if exc.value is None else "see --help for what this flag takes"
    if what.startswith("no "):
        message = f"{what[3:]} is missing: allowed {cli_words(str(allowed))}; nothing was sent"
    else:
        message = f"invalid {what}: allowed {cli_words(str(allowed))}; nothing was sent"
    return ErrorReport(
        type(exc).__name__,
        message,
        ExitCode.USAGE,
        hint=hint,
        field=exc.field,
        flag=flag(exc.field),
        command=command,
    )
