"""One generation from start to saved files: validate, price, guard, record, create, wait, download.

The order matters for money: the request is validated and priced with no network, the cost guards run,
the task is written to the ledger under a fresh external id, and only then is the create sent. Every
later step updates the ledger row, so a closed terminal or a killed process never loses a paid task.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._claim import OutputClaim, check_output
from ._deliver import human_fact, quality_mode, report_success, save_outputs
from ._exit import CLIError, ExitCode, describe
from ._guard import Guard, _estimate_json, check_cost, units_text
from ._outputs import check_output_kind
from ._session import Session

# A generate command builds a Job, takes its money options as a Guard, and calls run_job.
__all__ = ["Guard", "Job", "detach", "finish", "resume_line", "run_job"]

if TYPE_CHECKING:
    from klingkit import Task
    from klingkit.jobs.ledger import TaskRecord


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
    if typical is not None and session.sandbox:
        from ._session import sandbox_time_scale

        typical *= sandbox_time_scale()  # the hint says what this run will take, not what Kling would
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
