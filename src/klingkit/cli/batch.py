"""``klingkit batch FILE``: every row validated and priced, then run exactly once, resumably.

Registered by ``klingkit.cli`` under the name ``batch`` (an attribute of this module).
"""

from __future__ import annotations

import asyncio
import difflib
import re
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from klingkit import defaults

from ._claim import check_out_dir
from ._exit import CLIError, ExitCode
from ._guard import Guard, check_cost, units_text
from ._help import examples
from ._progress import clock
from ._session import Session, session_options
from .generate import DEFAULT_IMAGE_MODEL, DEFAULT_VIDEO_MODEL

if TYPE_CHECKING:
    from klingkit.jobs.batch import BatchResult, Progress

__all__ = ["batch"]


@dataclass(frozen=True)
class _Total:
    """The whole batch's estimate, shaped like ``catalog.Estimate`` for the cost guard."""

    usd: float
    units: float
    pack: str
    exact: bool


def _async_client(session: Session, max_retries: int | None) -> Any:
    from klingkit import AsyncKling

    kwargs: dict[str, Any] = {}
    if max_retries is not None:
        kwargs["max_retries"] = max_retries
    if session.sandbox:
        sb = session.start_sandbox()
        return AsyncKling(api_key=sb.api_key, base_url=sb.base_url, **kwargs)
    return AsyncKling(base_url=session.base_url, region=session.region, **kwargs)


def _fmt_eta(seconds: float | None) -> str:
    if seconds is None:
        return "--"
    s = int(seconds)
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s"


class _ProgressLine:
    """``done/running/queued/failed, units, ETA`` on stderr: redrawn in place on a terminal, else a
    plain line at most every 5 seconds (and whenever the counts change, at most once a second)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self._last = ""
        self._last_at = 0.0
        self._finished = -1
        self._eta_base: float | None = None
        self._eta_at = 0.0

    def _eta(self, p: Progress) -> float | None:
        """The runner's ETA, re-based only when a row finishes, counting down in between (never rising
        while nothing finishes)."""
        now = time.monotonic()
        finished = p.done + p.failed
        if finished != self._finished or self._eta_base is None:
            self._finished, self._eta_base, self._eta_at = finished, p.eta, now
        if self._eta_base is None:
            return None
        return max(0.0, self._eta_base - (now - self._eta_at))

    def __call__(self, p: Progress) -> None:
        if self.quiet:
            return
        text = (
            f"batch: {p.done}/{p.total} done · {p.running} running · {p.queued} queued · {p.failed} failed"
            f" · {p.units:g} units · ETA {_fmt_eta(self._eta(p))}"
        )
        now = time.monotonic()
        if self.tty:
            sys.stderr.write("\r\x1b[2K" + text)
            sys.stderr.flush()
        elif (text != self._last and now - self._last_at >= 1.0) or now - self._last_at >= 5.0:
            sys.stderr.write(text + "\n")
            sys.stderr.flush()
        else:
            return
        self._last, self._last_at = text, now

    def end(self) -> None:
        if self.tty and not self.quiet and self._last:
            sys.stderr.write("\n")


def _charged(result: BatchResult, plan: Any) -> str:
    """Units charged per resource pack (``12 video units, 3 image units``): packs are not added up."""
    packs = {r.index: r.pack for r in plan.rows}
    per: dict[str, float] = {}
    for r in result.rows:
        if r.units is not None:
            pack = packs.get(r.row, "video")
            per[pack] = round(per.get(pack, 0.0) + r.units, 4)
    if not per:
        return "nothing charged"
    return ", ".join(units_text(u, pack) for pack, u in per.items())


_ROW_NAMES = ("prompt", "kind", "output", "id", "mode", "duration", "image", "n")


def row_error_words(err: Any) -> str:
    """A row's refusal with row column names (``ratio``), not API names (``aspect_ratio``)."""
    from klingkit.jobs.batch import COLUMN_ALIASES as ALIASES

    text = str(err)
    message = getattr(err, "message", text)
    api_to_row = {v: k for k, v in reversed(list(ALIASES.items()))}
    found = re.search(r"invalid (\w+)=.*?the parameters of [\w/-]+: ([\w, ]+)", message)
    if found and ("did you mean" in message or "unknown parameter" in message):
        key = found.group(1)
        columns = sorted(
            {api_to_row.get(n.strip(), n.strip()) for n in found.group(2).split(",")} | set(_ROW_NAMES)
        )
        close = difflib.get_close_matches(key, columns, n=1)
        guess = f"did you mean {close[0]!r}? " if close else ""
        return f"row {err.index}: unknown column {key!r}; {guess}columns: {', '.join(columns)}"
    for api, row in api_to_row.items():
        text = re.sub(rf"\b{api}\b", row, text)
    return text


def _table(result: BatchResult) -> list[str]:
    lines = [f"{'row':>4}  {'status':<11} {'units':>6}  {'task':<20} file / error"]
    for r in result.rows:
        what = ", ".join(r.files) if r.status == "succeeded" else (r.error or "")
        units = "" if r.units is None else f"{r.units:g}"
        lines.append(f"{r.row:>4}  {r.status:<11} {units:>6}  {(r.task_id or '-'):<20} {what}")
    return lines


# A row without ``model`` makes what the matching single command makes.
ROW_DEFAULT_MODELS = {
    "text2video": DEFAULT_VIDEO_MODEL,
    "image2video": DEFAULT_VIDEO_MODEL,
    "images/generations": DEFAULT_IMAGE_MODEL,
}


@click.command(
    "batch",
    epilog=examples(
        "klingkit batch shots.jsonl -o shots/ --dry-run",
        "klingkit batch shots.jsonl -o shots/ --concurrency 5 --max-cost 20",
        "klingkit history --batches",
    ),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Directory for the results and the report files.")  # fmt: skip
@click.option("--concurrency", type=click.IntRange(1, 100), default=defaults.BATCH_CONCURRENCY, show_default=True,
              help="Most tasks in flight at once (lowered automatically on 1303).")  # fmt: skip
@click.option(
    "--max-cost",
    type=click.FloatRange(min=0),
    metavar="USD",
    help="Refuse the batch if its estimate is above USD dollars.",
)
@click.option("--dry-run", is_flag=True, help="Validate and price every row; send nothing.")
@click.option(
    "--retry-failed",
    is_flag=True,
    help="Create again the rows whose tasks Kling failed or that are known not to exist; rows whose "
    "tasks exist or may exist are looked up and awaited, never paid twice.",
)
@click.option("--name", "batch_name", metavar="NAME",
              help="Name of the batch [default: the file's path]; the same name resumes the same batch.")  # fmt: skip
@click.option("--force", is_flag=True, help="Overwrite files in --out that belong to other tasks.")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation (use --max-cost as a ceiling).")
@click.option(
    "--callback-url",
    metavar="URL",
    help="Ask Kling to call URL on every status change; poll only as a slow fallback.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    help="Input format [default: from the file name or content].",
)
@session_options
def batch(
    session: Session,
    file: Path,
    out_dir: Path,
    concurrency: int,
    max_cost: float | None,
    dry_run: bool,
    retry_failed: bool,
    yes: bool,
    callback_url: str | None,
    fmt: str | None,
    batch_name: str | None,
    force: bool,
) -> None:
    """Run every row of FILE (JSONL or CSV) exactly once, resumably.

    A row has a kind (video, image, audio, extend, effects, ...), a prompt and any option of the
    single commands (model, mode, duration, ratio, camera, image, n, ...), plus output for the file
    name, and an optional id. Every row is validated and the whole batch priced before anything is
    sent. A row is identified by what it asks for (plus its id), so run the same command again after
    a crash, Ctrl-C or an edit of the file: finished rows are skipped, running ones awaited, only new or
    changed rows are created, nothing is paid twice.
    """
    from klingkit import prepare
    from klingkit.jobs.batch import (
        BatchInputError,
        BatchRunner,
        load_plan,
        pending_output_bytes,
        write_reports,
    )

    client = _async_client(session, session.max_retries)
    base_url = str(getattr(client, "base_url", "") or session.base_url or "")
    # The embedded sandbox gets a new port each run; its identity is its state file.
    target = f"sandbox:{session.home() / 'sandbox.sqlite3'}" if session.sandbox else base_url
    try:
        plan = load_plan(file, base_url=base_url, prepare=prepare, callback_url=callback_url, fmt=fmt,
                         name=batch_name, target=target, defaults=ROW_DEFAULT_MODELS)  # fmt: skip
    except BatchInputError as exc:
        raise CLIError(str(exc), exit_code=ExitCode.USAGE, type="BatchInputError") from None
    if plan.errors:
        if session.ui.json_mode:
            session.ui.emit_json(
                {
                    "ok": False,
                    "error": {
                        "type": "ValidationError",
                        "message": f"{len(plan.errors)} invalid row(s); nothing was sent",
                        "exit_code": int(ExitCode.USAGE),
                        "rows": [
                            {"row": e.index, "field": e.field, "message": row_error_words(e)}
                            for e in plan.errors
                        ],
                    },
                }
            )
        else:
            for err in plan.errors:
                click.echo(f"{file.name}: {row_error_words(err)}", err=True)
            click.echo(f"Error: {len(plan.errors)} invalid row(s); nothing was sent", err=True)
        session.close()
        sys.exit(int(ExitCode.USAGE))
    units = plan.units
    total = _Total(
        usd=plan.usd,
        units=round(sum(units.values()), 4),
        pack="+".join(sorted(units)) or "video",
        exact=plan.exact,
    )
    for w in plan.warnings:
        session.ui.warn(w)
    summary = {
        "batch_id": plan.batch_id,
        "rows": len(plan.rows),
        "estimate": {"usd": total.usd, "units": units, "exact": total.exact},
    }
    check_cost(session, total, Guard(dry_run=dry_run, max_cost=max_cost, yes=yes))
    if dry_run:
        session.ui.result(
            {"dry_run": True, **summary},
            [
                f"batch {plan.batch_id[:16]}: {len(plan.rows)} rows valid",
                "estimate: "
                + ", ".join(f"{u:g} {pack} units" for pack, u in units.items())
                + f" (about ${total.usd:.2f}{'' if total.exact else ', approximate'}); nothing sent",
            ],
        )
        return
    session.ui.info(
        f"batch {plan.batch_id[:16]}: {len(plan.rows)} rows, about ${total.usd:.2f}; "
        f"results in {out_dir} (rerun the same command to resume)"
    )
    check_out_dir(out_dir, pending_output_bytes(plan.rows, out_dir))
    progress = _ProgressLine(session.ui.quiet or session.ui.json_mode)
    runner = BatchRunner(
        client,
        session.ledger(),
        plan,
        out_dir=out_dir,
        concurrency=concurrency,
        base_url=base_url,
        sandbox=session.sandbox,
        retry_failed=retry_failed,
        force=force,
        callback_url=callback_url,
        on_progress=progress,
    )

    async def go() -> BatchResult:
        try:
            return await runner.run()
        finally:
            await client.close()

    try:
        result = asyncio.run(go())
    except KeyboardInterrupt:
        progress.end()
        from ._globals import typed_argv

        again = "klingkit " + shlex.join(typed_argv()) if typed_argv() else f"klingkit batch {file}"
        session.fail(
            CLIError(
                "interrupted; running rows keep running on Kling's side and are billed if they succeed",
                exit_code=ExitCode.INTERRUPTED,
                type="Interrupted",
                hint="run the same command again: finished rows are skipped, running ones awaited, "
                "nothing is created twice",
            ),
            resume=again,
        )
        return
    finally:
        progress.end()
    json_path, csv_path = write_reports(result, out_dir)
    counts = result.counts()
    payload = {
        **summary,
        "ok": result.ok,
        "counts": counts,
        "units": result.units,
        "elapsed_seconds": round(result.elapsed, 3),
        "stopped": result.stopped,
        "report": {"json": str(json_path), "csv": str(csv_path)},
        "rows": [r.to_dict() for r in result.rows],
    }
    lines = [
        *_table(result),
        "",
        f"{counts.get('succeeded', 0)} succeeded, {counts.get('failed', 0)} failed"
        + (f", {counts['not_started']} not started" if counts.get("not_started") else "")
        + f"; {_charged(result, plan)}; took {clock(result.elapsed)}; report {json_path} and {csv_path}",
    ]
    if result.stopped:
        lines.append(f"stopped early: {result.stopped}")
    if result.ok:
        session.ui.result(payload, lines)
        return
    if session.ui.json_mode:
        session.ui.emit_json({**payload, "ok": False, "error": {"type": "BatchIncomplete",
                              "message": "some rows did not succeed", "exit_code": int(ExitCode.TASK_FAILED)}})  # fmt: skip
    else:
        for text in lines:
            click.echo(text)
        click.echo("Fix: see the errors above; rerun with --retry-failed to try failed rows again", err=True)
    session.close()
    sys.exit(int(ExitCode.QUOTA if result.stopped else ExitCode.TASK_FAILED))
