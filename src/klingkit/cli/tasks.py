"""``klingkit tasks ...``: get, wait for, download, list and stop tracking tasks, by task id or external id,
even for tasks made elsewhere (the local ledger's own search is ``klingkit history``)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import click

from ._deliver import report_success, save_outputs
from ._exit import CLIError, ExitCode
from ._guard import Guard
from ._help import examples
from ._run import finish
from ._session import Session, session_options

if TYPE_CHECKING:
    from klingkit import Task
    from klingkit.jobs.ledger import TaskRecord

_FEATURE_HELP = (
    "Endpoint the task was created on (text2video, image2video, ...); found from the ledger when known."
)


def _feature_choice() -> click.Choice[str]:
    from klingkit import catalog

    return click.Choice(sorted(catalog.ENDPOINTS))


def _not_created(session: Session, rec: TaskRecord) -> CLIError:
    session.ledger().update(
        rec.external_id,
        status="rejected",
        error={"type": "NotCreated", "message": "Kling has no task with this external id"},
    )
    what = (
        f"no task in Kling's task list matches the request recorded as {rec.external_id}"
        if rec.fingerprint
        else f"Kling has no task with external id {rec.external_id}"
    )
    return CLIError(
        f"{what}: the create request never arrived, so nothing was charged",
        exit_code=ExitCode.USAGE,
        type="NotCreated",
        hint="submit the generation again",
    )


def _claimed(session: Session, rec: TaskRecord) -> list[str]:
    """Task ids the ledger already gives to other creates: never adopted for ``rec``."""
    others = session.ledger().find(limit=2000)
    return [r.task_id for r in others if r.task_id and r.external_id != rec.external_id]


def locate(session: Session, key: str, feature: str | None = None) -> tuple[Task, TaskRecord | None]:
    """Find a task by task id or external id: the ledger first, then the API (recovery by external id)."""
    from klingkit.errors import NotFoundError

    rec = session.ledger().get(key)
    if rec is not None:
        session.adopt(rec)
        feature = feature or rec.feature
    client = session.client()
    if rec is not None:
        if rec.task_id:
            return client.tasks.get(rec.task_id, feature=feature), rec
        try:  # recorded before the create; a killed process may never have seen the answer
            if rec.fingerprint:  # sent without external id (Kling 4.0): find it in the task list
                task = client.tasks.reconcile(rec.fingerprint, claimed=_claimed(session, rec))
            else:
                task = client.tasks.get_by_external_id(rec.external_id, feature=feature)
        except NotFoundError:
            raise _not_created(session, rec) from None
        session.ledger().record_task(rec.external_id, task)
        return task, rec
    try:
        return client.tasks.get(key, feature=feature), None
    except NotFoundError:
        return client.tasks.get_by_external_id(key, feature=feature), None


def _track(session: Session, task: Task, rec: TaskRecord | None) -> str:
    """The ledger key of ``task``, recording tasks made elsewhere so they can be resumed too."""
    if rec is not None:
        return rec.external_id
    ledger = session.ledger()
    key: str = task.external_id or task.id
    existing = ledger.get(key)
    if existing is None:
        ledger.record_pending(
            key,
            feature=task.feature or "unknown",
            family=task.family,
            model=task.model,
            base_url=session.connection_base_url(),
            sandbox=session.sandbox,
        )
    ledger.record_task(key, task)
    return key


@click.group(
    epilog=examples(
        "klingkit tasks list",
        "klingkit tasks wait <task-id> -o fox.mp4",
        "klingkit tasks download <task-id> -o again.mp4",
    )
)
def tasks() -> None:
    """List, inspect, wait for and download tasks (by task id or external id)."""


@tasks.command("get", epilog=examples("klingkit tasks get <task-id>", "klingkit tasks get <task-id> --json"))
@click.argument("task")
@click.option("--feature", type=_feature_choice(), help=_FEATURE_HELP)
@session_options
def tasks_get(session: Session, task: str, feature: str | None) -> None:
    """Show TASK's status, outputs and charge."""
    found, rec = locate(session, task, feature)
    if rec is not None:
        session.ledger().record_task(rec.external_id, found)
        rec = session.ledger().get(rec.external_id)
    payload = _task_json(found, rec)
    lines = [
        f"task {found.id} ({found.feature or 'unknown feature'}): {found.status.value}",
        *([f"  message: {found.message}"] if found.message else []),
        f"  external id: {found.external_id or (rec.external_id if rec else '-')}",
        f"  model: {found.model or (rec.model if rec else None) or '-'}, units: "
        + (f"{found.units:g}" if found.units is not None else "-"),
        *[f"  {o.kind} {o.index}: {o.url}" for o in found.outputs],
        *[f"  saved: {f}" for f in (rec.files if rec else [])],
    ]
    session.ui.result(payload, lines)


def _task_json(task: Task, rec: TaskRecord | None) -> dict[str, Any]:
    return {
        "task_id": task.id,
        "external_id": task.external_id or (rec.external_id if rec else None),
        "status": task.status.value,
        "message": task.message,
        "feature": task.feature or (rec.feature if rec else None),
        "model": task.model or (rec.model if rec else None),
        "units": task.units,
        "outputs": [
            {
                "kind": o.kind,
                "url": o.url,
                "id": o.id,
                "index": o.index,
                "duration": o.duration,
                "format": o.format,
            }
            for o in task.outputs
        ],
        "files": rec.files if rec else [],
        "created_at": task.created_at.isoformat() if task.created_at else None,
    }


@tasks.command(
    "wait",
    epilog=examples(
        "klingkit tasks wait <task-id> -o fox.mp4", "klingkit tasks wait <task-id> --no-download"
    ),
)
@click.argument("task")
@click.option("--feature", type=_feature_choice(), help=_FEATURE_HELP)
@click.option(
    "-o", "--output", metavar="PATH", help="File or directory to save to. [default: current directory]"
)
@click.option("--no-download", is_flag=True, help="Wait, but do not save the outputs.")
@click.option(
    "--max-wait", type=click.FloatRange(min=1), metavar="SECONDS", help="Stop waiting after this long."
)
@session_options
def tasks_wait(
    session: Session,
    task: str,
    feature: str | None,
    output: str | None,
    no_download: bool,
    max_wait: float | None,
) -> None:
    """Wait for TASK (task id or external id) to finish, then save its outputs.

    This resumes a task after Ctrl-C, a closed terminal or a killed process: the ledger row written
    before the create lets klingkit find it by its external id, without creating it twice.
    """
    found, rec = locate(session, task, feature)
    key = _track(session, found, rec)
    session.ui.info(f"Waiting for task {found.id} (external id {key})")
    guard = Guard(download=not no_download, output=output, max_wait=max_wait)
    finish(session, key, found, guard, label="task")


@tasks.command(
    "download",
    epilog=examples("klingkit tasks download <task-id> -o again.mp4", "klingkit tasks download <task-id>"),
)
@click.argument("task")
@click.option("--feature", type=_feature_choice(), help=_FEATURE_HELP)
@click.option(
    "-o", "--output", metavar="PATH", help="File or directory to save to. [default: current directory]"
)
@session_options
def tasks_download(session: Session, task: str, feature: str | None, output: str | None) -> None:
    """Save the outputs of a finished TASK (fresh URLs are fetched; outputs expire after 30 days)."""
    found, rec = locate(session, task, feature)
    key = _track(session, found, rec)
    if not found.succeeded:
        raise CLIError(
            f"task {found.id} is {found.status.value}, not succeeded: nothing to download",
            exit_code=ExitCode.TASK_FAILED if found.status.value == "failed" else ExitCode.TIMEOUT,
            type="NotReady",
            hint=f"wait for it: klingkit tasks wait {key}",
        )
    files = save_outputs(session, key, found, output)
    report_success(session, key, found, files)


# `tasks list --kind`: the klingkit command that makes a task -> the routes such tasks live on.
LIST_KINDS: dict[str, tuple[str, ...]] = {
    "video": ("text2video", "image2video", "multi-image2video", "text-to-video", "image-to-video"),
    "image": ("images/generations", "multi-image2image", "editing/expand", "omni-image"),
    "extend": ("video-extend",),
    "lipsync": ("lip-sync", "advanced-lip-sync"),
    "effect": ("effects",),
    "tryon": ("kolors-virtual-try-on", "virtual_try_on"),
    "audio": ("text-to-audio", "video-to-audio", "tts"),
    "omni": ("omni-video", "omni-video-new"),
}


_KIND_OF = {f: k for k, fs in LIST_KINDS.items() for f in fs}


def _list_features(kind: str) -> list[str]:
    from klingkit import catalog

    if kind == "all":
        return [f for f, ep in catalog.ENDPOINTS.items() if not ep.sync and f != "identify-face"]
    return [f for f in LIST_KINDS[kind] if f in catalog.ENDPOINTS]


@tasks.command(
    "list",
    epilog=examples(
        "klingkit tasks list", "klingkit tasks list --kind image -n 10", "klingkit tasks list --json"
    ),
)
@click.option(
    "--kind",
    type=click.Choice(("all", *LIST_KINDS)),
    default="all",
    show_default=True,
    help="Only tasks made by this klingkit command.",
)
@click.option("--feature", type=_feature_choice(), hidden=True, help="One API route only (advanced).")
@click.option("-n", "--limit", type=click.IntRange(1, 500), default=30, show_default=True, help="How many.")
@session_options
def tasks_list(session: Session, kind: str, feature: str | None, limit: int) -> None:
    """The account's newest tasks, from Kling (not the local ledger): date, kind, status, model, prompt."""
    from klingkit.errors import BadRequestError, NotFoundError

    client = session.client()
    features = [feature] if feature else _list_features(kind)
    found: list[Task] = []
    for f in features:
        try:
            found += list(client.tasks.list(f, page=1, page_size=limit).items)
        except (NotFoundError, BadRequestError) as exc:  # a route without a list: skip it
            session.ui.debug_line(f"tasks list {f}: {exc}")
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    found.sort(key=lambda t: t.created_at or epoch, reverse=True)
    found = found[:limit]
    ledger = session.ledger()
    rows = []
    lines = []
    for t in found:
        rec = ledger.get(t.external_id or t.id) if (t.external_id or t.id) else None
        prompt = (rec.prompt if rec else None) or (t.raw.get("task_info") or {}).get("prompt") or ""
        prompt = " ".join(str(prompt).split())
        model = t.model or (rec.model if rec else None) or "-"
        when = t.created_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M") if t.created_at else "-"
        rows.append({**_task_json(t, rec), "prompt": prompt or None})
        lines.append(
            f"{when}  {t.status.value:<10}  {_KIND_OF.get(t.feature or '', t.feature or '-'):<8}  {model:<16}  {t.id}  "
            + (prompt[:40] + "..." if len(prompt) > 43 else prompt)
        )
    payload = {"tasks": rows, "kind": kind, "features": features}
    session.ui.result(payload, lines or [f"no {kind} tasks on this account"])


@tasks.command(
    "cancel-wait", epilog=examples("klingkit tasks cancel-wait <task-id>", "klingkit history --unfinished")
)
@click.argument("task")
@session_options(network=False)
def tasks_cancel_wait(session: Session, task: str) -> None:
    """Stop tracking TASK locally. Kling has no cancel: the task still runs and is billed if it succeeds."""
    rec = session.ledger().abandon(task)
    if rec is None:
        raise CLIError(f"no task {task!r} in the ledger", hint="see `klingkit history`")
    session.ui.result(
        {"external_id": rec.external_id, "task_id": rec.task_id, "status": rec.status, "abandoned": True},
        [
            f"Stopped tracking {rec.external_id} (task {rec.task_id or 'not yet created'}).",
            "  Kling cannot cancel a task: it still runs and is billed if it succeeds.",
            f"  Pick it up again any time: klingkit tasks wait {rec.external_id}",
        ],
    )
