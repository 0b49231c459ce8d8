"""Where each output of a task is saved, what its JSON sidecar says, and whether a file already there is
this task's (a file of another task, or the user's own, is never overwritten without ``force``).

The sidecar ``<file>.json`` describes the task (never credentials, never inline base64).
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ._exceptions import OutputExistsError
from ._logging import trim_url
from ._media import elide
from ._models import Output, Task
from ._version import __version__

__all__ = ["clear_foreign", "plan_targets", "sidecar_data"]


def plan_targets(task: Task, dest: str | os.PathLike[str]) -> list[tuple[Output, Path]]:
    """Where each downloadable output goes.

    ``dest`` is a directory when it exists as one or has no suffix: files are named
    ``<task_id>.<ext>`` (one output) or ``<task_id>_<index>.<ext>``. Otherwise it is a file path; with
    several outputs the index is added to its stem.
    """
    outputs = [o for o in task.outputs if o.url]
    path = Path(dest).expanduser()
    as_dir = path.is_dir() or (not path.suffix and not path.exists())
    safe_id = re.sub(r"[^A-Za-z0-9._-]", "_", task.id or "task")
    targets = []
    for out in outputs:
        ext = out.format or "bin"
        if as_dir:
            name = f"{safe_id}.{ext}" if len(outputs) == 1 else f"{safe_id}_{out.index}.{ext}"
            targets.append((out, path / name))
        elif len(outputs) == 1:
            targets.append((out, path))
        else:
            targets.append((out, path.with_name(f"{path.stem}_{out.index}.{ext}")))
    return targets


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def sidecar_data(task: Task, output: Output, path: Path, nbytes: int) -> dict[str, Any]:
    """The JSON sidecar for one downloaded file."""
    params = elide(task.params)
    return {
        "task_id": task.id,
        "external_id": task.external_id,
        "feature": task.feature,
        "family": task.family,
        "model": task.model or params.get("model_name") or params.get("model"),
        "mode": params.get("mode") or params.get("resolution"),
        "duration": params.get("duration"),
        "prompt": params.get("prompt"),
        "params": params,
        "status": task.status.value,
        "message": task.message,
        "units": task.units,
        "created_at": _iso(task.created_at),
        "updated_at": _iso(task.updated_at),
        "output": {
            "kind": output.kind,
            "index": output.index,
            "id": output.id,
            "format": output.format,
            "duration": output.duration,
            "source_url": trim_url(output.url) if output.url else None,
        },
        "file": path.name,
        "bytes": nbytes,
        "downloaded_at": datetime.now(timezone.utc).isoformat(),
        "klingkit": __version__,
    }


def _sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _write_sidecar(task: Task, output: Output, path: Path, nbytes: int) -> None:
    data = sidecar_data(task, output, path, nbytes)
    tmp = path.with_name(path.name + ".json.part")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, _sidecar_path(path))


def _owner(path: Path) -> tuple[bool, str | None]:
    """(has a readable sidecar, the task id it names)."""
    try:
        data = json.loads(_sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False, None
    other = data.get("task_id") if isinstance(data, dict) else None
    return isinstance(other, str), other if isinstance(other, str) else None


def _already_there(task: Task, path: Path, force: bool, sidecar: bool) -> bool:
    """True when ``path`` already holds this task's output; raises OutputExistsError when it holds
    something else (never overwritten without ``force``)."""
    if force or not path.exists():
        return False
    known, other = _owner(path)
    if known and other != task.id:
        raise OutputExistsError(
            f"{path} already exists and belongs to task {other}; it was left untouched",
            path=path,
            task_id=task.id,
        )
    if not known and sidecar:
        # No sidecar: the user's own file (or one saved without a sidecar). Never taken for ours.
        raise OutputExistsError(
            f"{path} already exists and is not a saved output of task {task.id}; it was left untouched",
            path=path,
            task_id=task.id,
        )
    return path.stat().st_size > 0


def clear_foreign(task: Task, dest: str | os.PathLike[str]) -> list[Path]:
    """Delete target files under ``dest`` that are not outputs of ``task`` (the ``--force`` choice), so
    that a later download writes there; this task's own files are kept. Returns the deleted paths."""
    removed = []
    for _output, target in plan_targets(task, dest):
        if target.is_file() and _owner(target)[1] != task.id:
            target.unlink()
            _sidecar_path(target).unlink(missing_ok=True)
            removed.append(target)
    return removed
