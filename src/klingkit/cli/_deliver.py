"""A finished task delivered: its outputs saved where ``-o`` says (an existing file of another task is
overwritten only with ``--force``), recorded in the ledger, and the result reported in words or JSON."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._exit import CLIError, ExitCode
from ._guard import units_text
from ._progress import clock
from ._session import Session

if TYPE_CHECKING:
    from klingkit import Task
    from klingkit.jobs.ledger import TaskRecord


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
