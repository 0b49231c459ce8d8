"""One generation from start to saved files: validate, price, guard, record, create, wait, download.

The order matters for money: the request is validated and priced with no network, the cost guards run,
the task is written to the ledger under a fresh external id, and only then is the create sent. Every
later step updates the ledger row, so a closed terminal or a killed process never loses a paid task.
"""

from __future__ import annotations

import os
import shlex
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ._exit import CLIError, ExitCode, describe
from ._outputs import check_output_kind
from ._progress import clock
from ._session import Session

if TYPE_CHECKING:
    from klingkit import Task
    from klingkit.jobs.ledger import TaskRecord

CONFIRM_ABOVE_ENV = "KLINGKIT_CONFIRM_ABOVE"
DEFAULT_CONFIRM_ABOVE_USD = 2.0
"""An estimate above this many US dollars asks for confirmation (``-y`` skips it)."""


@dataclass
class Guard:
    """The money options of a generate command."""

    dry_run: bool = False
    max_cost: float | None = None
    yes: bool = False
    confirm_above: float | None = None
    download: bool = True
    output: str | None = None
    max_wait: float | None = None
    force: bool = False  # overwrite an existing -o file
    callback_url: str | None = None
    allow_unknown_model: bool = False


@dataclass
class Job:
    """What to generate: the endpoint ``feature``, the API ``params`` and how to describe it."""

    feature: str
    params: dict[str, Any]
    label: str
    shown: dict[str, Any] = field(default_factory=dict)  # extra facts for the result (camera sent, ...)
    duration: float | None = None

    def typical(self, spec: Any) -> float | None:
        """Typical seconds from create to done for this request (catalog data; shown as typical)."""
        from klingkit.catalog.typical import typical_seconds

        count = self.params.get("n") or 1
        duration = spec.duration if spec.duration is not None else self.duration
        return typical_seconds(spec.pack, mode=spec.mode, duration=duration, count=int(count))


def _confirm_threshold(guard: Guard) -> float:
    if guard.confirm_above is not None:
        return guard.confirm_above
    raw = os.environ.get(CONFIRM_ABOVE_ENV)
    if raw is None or not raw.strip():
        return DEFAULT_CONFIRM_ABOVE_USD
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also refuses nan
        raise CLIError(
            f"invalid {CONFIRM_ABOVE_ENV}={raw!r}: allowed a number of US dollars >= 0; nothing was sent",
            hint=f"export {CONFIRM_ABOVE_ENV}=2 (or unset it for the default "
            f"${DEFAULT_CONFIRM_ABOVE_USD:g}), or pass --confirm-above USD",
        )
    return value


def quality_mode(mode: str | None) -> bool:
    """True for a quality mode or resolution (std, pro, 4k, 1080p), not lip-sync's "text2video"."""
    from klingkit import catalog

    return mode is not None and (mode.lower() in catalog.MODE_ALIASES or mode in catalog.RESOLUTION_HEIGHT)


def human_fact(key: str, value: Any) -> str:
    """``camera_control {...}`` -> ``camera simple zoom=5``: a shown fact in words, not a Python dict."""
    if key == "camera_control" and isinstance(value, dict):
        from ._camera import describe_camera

        return f"camera {describe_camera(value)}"
    return f"{key.replace('_', ' ')} {value}"


def units_text(units: float, pack: str, exact: bool = True) -> str:
    """``1 video unit``, ``up to 3.5 video units`` (an estimate that is an upper bound says so)."""
    word = "unit" if units == 1 else "units"
    return f"{'' if exact else 'up to '}{units:g} {pack} {word}"


def _estimate_json(est: Any) -> dict[str, Any]:
    return {
        "units": est.units,
        "usd": est.usd,
        "pack": est.pack,
        "exact": est.exact,
        "basis": est.basis,
    }


def check_cost(session: Session, est: Any, guard: Guard) -> None:
    """``--max-cost`` and the confirmation prompt; raise CLIError(COST_GUARD) to refuse."""
    if guard.max_cost is not None and est.usd > guard.max_cost:
        raise CLIError(
            f"the estimate ${est.usd:.2f} ({units_text(est.units, est.pack)}) is above --max-cost "
            f"${guard.max_cost:.2f}",
            exit_code=ExitCode.COST_GUARD,
            type="CostLimitExceeded",
            hint="raise --max-cost, or choose a shorter duration, a cheaper mode or model "
            "(`klingkit cost ...` compares them)",
        )
    threshold = _confirm_threshold(guard)
    if guard.dry_run or guard.yes or est.usd <= threshold:
        return
    if not sys.stdin.isatty():
        raise CLIError(
            f"the estimate ${est.usd:.2f} is above ${threshold:.2f} and there is no terminal to confirm",
            exit_code=ExitCode.COST_GUARD,
            type="ConfirmationRequired",
            hint="pass -y to confirm in scripts (with --max-cost as a ceiling)",
        )
    if not click.confirm(
        f"This will cost about ${est.usd:.2f} ({units_text(est.units, est.pack)}). Continue?",
        default=False,
        err=True,
    ):
        raise CLIError(
            "not confirmed; nothing was sent",
            exit_code=ExitCode.COST_GUARD,
            type="NotConfirmed",
            hint="pass -y to skip the question",
        )


def run_job(session: Session, job: Job, guard: Guard) -> None:
    """Validate, price, guard, record, create, wait and save one task; print the result."""
    import warnings

    from klingkit import prepare

    ui = session.ui
    params = dict(job.params)
    if guard.callback_url:
        params["callback_url"] = guard.callback_url
    with warnings.catch_warnings():  # printed once below, in CLI words, instead of Python's format
        warnings.simplefilter("ignore")
        spec = prepare(job.feature, strict=not guard.allow_unknown_model, **params)
    for w in getattr(spec, "warnings", []) or []:
        ui.warn(w)
    est = spec.estimate
    for key, value in job.shown.items():
        ui.info(human_fact(key, value))
    check_cost(session, est, guard)
    model = spec.model or job.params.get("model_name")
    mode = spec.mode
    duration = spec.duration if spec.duration is not None else job.duration
    if guard.dry_run:
        payload = {
            "dry_run": True,
            "feature": spec.feature,
            "model": model,
            "mode": mode,
            "duration": duration,
            "estimate": _estimate_json(est),
            "units": est.units,
            "usd": est.usd,
            "request": {"method": spec.method, "path": spec.path, "params": spec.params},
            **job.shown,
        }
        facts = ", ".join(
            x
            for x in (
                f"model {model}" if model else "",
                f"mode {mode}" if quality_mode(mode) else "",
                f"{duration:g} s" if duration else "",
            )
            if x
        )
        lines = [
            f"Dry run: {spec.method} {spec.path} would be sent (nothing was sent).",
            f"  {job.label}" + (f": {facts}" if facts else ""),
            f"  Estimate: {units_text(est.units, est.pack, est.exact)}, "
            f"{'up to ' if not est.exact else ''}${est.usd:.2f}",
        ]
        ui.result(payload, lines)
        return

    claim = None
    if guard.download:
        target = check_output(guard.output, force=guard.force)
        check_output_kind(guard.output, spec.pack, job.feature)
        claim = OutputClaim.take(target) if target is not None else None
    try:
        _create_and_finish(session, job, guard, spec, model=model, mode=mode, duration=duration)
    finally:
        if claim is not None:
            claim.release()


def _create_and_finish(
    session: Session, job: Job, guard: Guard, spec: Any, *, model: Any, mode: Any, duration: Any
) -> None:
    """Record the task in the ledger, send the create, then wait and save (the money path)."""
    from klingkit import new_external_id
    from klingkit.errors import TaskUnknownError

    ui = session.ui
    est = spec.estimate
    eid = new_external_id()
    spec = spec.with_external_id(eid)
    ledger = session.ledger()
    client = session.client()
    fingerprint = None
    from klingkit import catalog

    if not catalog.takes_external_id(spec.model):
        # Kling 4.0 takes no external id: the row keeps the request's fingerprint instead, so a lost
        # answer (or a killed process) is resolved through the task list, never by sending again.
        from klingkit import request_fingerprint

        fingerprint = request_fingerprint(spec).to_dict()
    from klingkit.jobs.ledger import record_before_send

    record_before_send(
        ledger, eid, spec, base_url=session.connection_base_url(), sandbox=session.sandbox,
        prompt=job.params.get("prompt") or job.params.get("text"), fingerprint=fingerprint,
        duration=duration,
    )  # fmt: skip
    ui.debug_line(f"ledger {ledger.path}: recorded {eid} before sending")
    try:
        task = client.submit(spec)
    except KeyboardInterrupt:  # the create may or may not have arrived: the ledger row finds out later
        detach(session, eid, None, guard)
        return
    except Exception as exc:
        report = describe(exc)
        # A 4xx answer to the create itself means no task exists; anything else (a lost answer whose
        # lookup could not decide, a 5xx, no answer) may have created one: the row stays ``unknown``,
        # is listed by ``history --unfinished`` and resumed by ``tasks wait``.
        status = getattr(exc, "http_status", None)
        if isinstance(status, int) and status < 500 and not isinstance(exc, TaskUnknownError):
            ledger.update(eid, status="rejected", error=report.to_json())
            session.fail(exc, external_id=eid)
            return
        ledger.update(eid, status="unknown", error=report.to_json())
        session.fail(exc, external_id=eid, resume=resume_line(eid, guard))
        return
    ledger.record_task(eid, task)
    ui.info(
        f"Task {task.id} created (external id {eid}); estimate "
        f"{units_text(est.units, est.pack, est.exact)}, ${est.usd:.2f}"
    )
    finish(
        session, eid, task, guard, label=job.label, shown=job.shown, pack=est.pack, typical=job.typical(spec)
    )


def resume_line(eid: str, guard: Guard | None = None) -> str:
    """The one command that picks the task up again, keeping where its files go."""
    line = f"klingkit tasks wait {eid}"
    if guard is not None and guard.output:
        line += f" -o {shlex.quote(guard.output)}"
    if guard is not None and not guard.download:
        line += " --no-download"
    return line


def finish(
    session: Session,
    eid: str,
    task: Task,
    guard: Guard,
    *,
    label: str,
    shown: Mapping[str, Any] | None = None,
    pack: str | None = None,
    typical: float | None = None,
) -> None:
    """Wait for ``task`` (detach on Ctrl-C), save its outputs and print the result; updates the ledger."""
    ui = session.ui
    client = session.client()
    ledger = session.ledger()
    if typical is None:
        typical = _typical_of(ledger.get(eid), pack)
    if not task.done:
        with ui.status(label, task.id, typical) as line:
            line.update(task.status.value)

            def on_progress(*args: Any) -> None:
                for a in args:
                    status = getattr(a, "status", None)
                    if status is not None:
                        line.update(getattr(status, "value", str(status)))
                        try:
                            ledger.record_task(eid, a)
                        except Exception as exc:  # the ledger must never break a wait
                            ui.debug_line(f"ledger update failed: {exc}")
                        return

            try:
                task = client.tasks.wait(task, max_wait=guard.max_wait, on_progress=on_progress)
            except KeyboardInterrupt:
                line.close()
                detach(session, eid, task, guard)
                return
            except Exception as exc:
                last = getattr(exc, "task", None)
                if last is not None:
                    ledger.record_task(eid, last)
                ledger.update(eid, error=describe(exc).to_json())
                extra: dict[str, Any] = {"external_id": eid, "task_id": task.id}
                if describe(exc).exit_code == ExitCode.TIMEOUT:
                    extra["resume"] = resume_line(eid, guard)
                session.fail(exc, **extra)
                return
    ledger.record_task(eid, task)
    if task.status.value == "failed":
        from klingkit.errors import TaskFailedError

        exc2 = TaskFailedError(task)
        ledger.update(eid, error=describe(exc2).to_json())
        session.fail(exc2, external_id=eid)
        return
    files: list[str] = []
    if guard.download:
        try:
            files = save_outputs(session, eid, task, guard.output, force=guard.force, label=label)
        except Exception as exc:  # the task is paid for and done: say how to fetch it again
            ledger.update(eid, error=describe(exc).to_json())
            session.fail(exc, task_id=task.id, external_id=eid)
            return
    report_success(session, eid, task, files, shown=shown, pack=pack)


def _typical_of(rec: TaskRecord | None, pack: str | None) -> float | None:
    """The typical seconds of a recorded task (for `tasks wait`)."""
    if rec is None or not pack:
        return None
    from klingkit.catalog.typical import typical_seconds

    return typical_seconds(pack, mode=rec.mode, duration=rec.duration)


def detach(session: Session, eid: str, task: Task | None, guard: Guard | None = None) -> None:
    """Ctrl-C while waiting: keep the task in the ledger and print the one line that resumes it."""
    task_id = getattr(task, "id", None)
    session.fail(
        CLIError(
            f"detached from task {task_id or eid}; it keeps running on Kling's side and is billed if it "
            "succeeds",
            exit_code=ExitCode.INTERRUPTED,
            type="Interrupted",
            hint="run the Resume line below to wait for it and save its files",
        ),
        task_id=task_id,
        external_id=eid,
        resume=resume_line(eid, guard),
    )


def check_output(output: str | None, *, force: bool = False) -> Path | None:
    """Refuse (before anything is paid for) an output location that cannot be written, or an existing
    file named by ``-o`` (unless ``--force``). Returns the file the output will be, when ``-o`` names one
    (a directory target gets files named by the new task's id, which cannot exist yet)."""
    path = Path(output).expanduser() if output else Path.cwd()
    is_file = not (path.is_dir() or not path.suffix)
    folder = path.parent if is_file else path
    try:
        folder.mkdir(parents=True, exist_ok=True)
        writable = os.access(folder, os.W_OK)
    except OSError as exc:
        writable, reason = False, exc.strerror or str(exc)
    else:
        reason = "not writable"
    if not writable:
        raise CLIError(
            f"invalid -o/--output {output!r}: cannot write to {folder} ({reason}); nothing was sent",
            type="ValidationError",
            hint="choose another -o/--output path",
        )
    if not is_file:
        return None
    if path.exists() and not force:
        raise CLIError(
            f"{path} already exists; nothing was sent",
            exit_code=ExitCode.USAGE,
            type="OutputExists",
            hint="pass --force to overwrite it, or choose another -o/--output path",
        )
    return path


class OutputClaim:
    """``<file>.klingkit-lock``: this run is going to write ``<file>``. Taken before the create, so two
    commands with the same ``-o`` cannot both pay and then fight over one file; a lock left by a killed
    process (its pid is gone) is taken over."""

    def __init__(self, lock: Path) -> None:
        self.lock = lock

    @classmethod
    def take(cls, target: Path) -> OutputClaim:
        lock = target.with_name(target.name + ".klingkit-lock")
        for _ in range(2):
            try:
                fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = _lock_holder(lock)
                if holder is not None and _alive(holder):
                    raise CLIError(
                        f"{target} is being written by another klingkit run (pid {holder}); nothing was sent",
                        exit_code=ExitCode.USAGE,
                        type="OutputInUse",
                        hint="choose another -o/--output path, or wait for that run to finish",
                    ) from None
                lock.unlink(missing_ok=True)  # left by a process that no longer exists
                continue
            with os.fdopen(fd, "w") as fh:
                fh.write(str(os.getpid()))
            return cls(lock)
        raise CLIError(
            f"cannot claim {target}; nothing was sent", exit_code=ExitCode.USAGE, type="OutputInUse"
        )

    def release(self) -> None:
        if _lock_holder(self.lock) == os.getpid():
            self.lock.unlink(missing_ok=True)


def _lock_holder(lock: Path) -> int | None:
    try:
        text = lock.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def save_outputs(
    session: Session, eid: str, task: Task, output: str | None, *, force: bool = False, label: str = "task"
) -> list[str]:
    """Download every output of ``task`` to ``output`` (a file or a directory; default: here); an
    existing file of another task (or the user's own) is overwritten only with ``force``.

    ``-o NAME.ext`` is honoured: the output of that format gets the name, others keep the stem with their
    own extension, and images are converted when asked for another image format (see ``_outputs``).
    """
    from klingkit.errors import OutputExistsError

    from ._outputs import convert_image, plan

    ui = session.ui
    client = session.client()
    dest = Path(output).expanduser() if output else Path.cwd()
    paths: list[Path] = []
    with ui.status(label, task.id) as line:
        line.update("downloading")

        def on_bytes(*args: Any) -> None:
            nums = [a for a in args if isinstance(a, int)]
            if nums:
                line.bytes(nums[0], nums[1] if len(nums) > 1 else None)

        try:
            for part, where, convert in plan(task, output):
                if convert is None:
                    paths += client.download(part, where, on_progress=on_bytes, force=force)
                    continue
                fmt = part.outputs[0].format or "png"
                source = where.with_name(f".{where.stem}.klingkit-download.{fmt}")
                for got in client.download(part, source, on_progress=on_bytes, force=True):
                    paths.append(convert_image(Path(got), where))
        except OutputExistsError as exc:
            raise CLIError(
                str(exc),
                exit_code=ExitCode.DOWNLOAD,
                type="OutputExists",
                hint=f"the task succeeded; save it with: klingkit tasks download {eid} -o PATH "
                "(or pass --force to overwrite the file)",
            ) from exc
        except OSError as exc:
            raise CLIError(
                f"could not save the outputs of task {task.id} to {dest}: {exc.strerror or exc}",
                exit_code=ExitCode.DOWNLOAD,
                type="DownloadError",
                hint=f"the task succeeded; save it elsewhere with: klingkit tasks download {eid} -o PATH",
            ) from exc
    files = [str(Path(p).resolve()) for p in paths]
    session.ledger().add_files(eid, files)
    return files


def report_success(
    session: Session,
    eid: str | None,
    task: Task,
    files: Sequence[str],
    *,
    shown: Mapping[str, Any] | None = None,
    pack: str | None = None,
    record: TaskRecord | None = None,
) -> None:
    """Print the saved paths, model, mode, duration, units and USD (or the JSON result)."""
    from klingkit import catalog

    rec = record
    if rec is None and eid is not None:
        rec = session.ledger().get(eid)
    feature = task.feature or (rec.feature if rec else None)
    if pack is None and feature in catalog.ENDPOINTS:
        pack = catalog.ENDPOINTS[feature].pack
    units = task.units
    usd = catalog.usd(units, pack) if units is not None and pack else None
    model = task.model or (rec.model if rec else None)
    mode = rec.mode if rec else None
    if not quality_mode(mode):
        mode = None  # lip-sync's "text2video" and the like are not a quality mode
    duration = None
    for o in task.outputs:
        if o.duration:
            duration = o.duration
            break
    if duration is None and rec is not None:
        duration = rec.duration
    payload: dict[str, Any] = {
        "task_id": task.id,
        "external_id": eid or task.external_id,
        "status": task.status.value,
        "files": list(files),
        "units": units,
        "usd": usd,
        "model": model,
        "mode": mode,
        "duration": duration,
        "feature": feature,
        "sandbox": session.sandbox,
        "outputs": [{"kind": o.kind, "url": o.url, "id": o.id, "format": o.format} for o in task.outputs],
        **dict(shown or {}),
    }
    lines = [f"Saved {f}" for f in files]
    if not files:
        lines += [f"Output {o.kind}: {o.url}" for o in task.outputs]
        if session.sandbox and task.outputs and payload["external_id"]:
            # The embedded sandbox (and its URLs) stops with this command; its files stay in its state.
            note = (
                "these sandbox URLs stop working when this command exits; save the files later with: "
                f"klingkit tasks download {payload['external_id']} -o PATH"
            )
            payload["note"] = note
            lines.append(f"  Note: {note}")
    facts = [f"model {model}" if model else "", f"mode {mode}" if mode else ""]
    if duration:
        facts.append(f"{duration:g} s")
    for key, value in (shown or {}).items():
        facts.append(human_fact(key, value))
    lines.append("  " + ", ".join(f for f in facts if f))
    lines.append(f"  task {task.id} (external id {payload['external_id']}), {task.status.value}")
    elapsed = time.monotonic() - session.started
    payload["elapsed_seconds"] = round(elapsed, 3)
    cost = "cost not reported"
    if units is not None:
        cost = units_text(units, pack or "") + (f" (${usd:.2f})" if usd is not None else "")
    lines.append(f"Done in {clock(elapsed)}; {cost}")
    session.ui.result(payload, lines)
