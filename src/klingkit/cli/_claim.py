"""Output conflicts settled before any money moves: an ``-o`` that cannot be written or already exists
is refused (unless ``--force``), the target is claimed for the run so two commands cannot both pay for
one file, and a batch's ``--out`` is checked writable with room for its outputs."""

from __future__ import annotations

import os
from pathlib import Path

from ._exit import CLIError, ExitCode


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


def check_out_dir(out_dir: Path, need: int) -> None:
    """Refuse, before the first create, an ``--out`` that cannot take files (read-only), or whose disk
    has less room than ``need`` bytes (the batch's outputs still to save, estimated from its rows)."""
    import shutil
    import tempfile

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out_dir, prefix=".klingkit-probe-"):
            pass
        free = shutil.disk_usage(out_dir).free
    except OSError as exc:
        raise CLIError(
            f"invalid --out {str(out_dir)!r}: cannot write there ({exc.strerror or exc}); nothing was sent",
            exit_code=ExitCode.USAGE,
            type="ValidationError",
            hint="choose a writable --out directory",
        ) from None
    if free < need:
        mib = 1024 * 1024
        raise CLIError(
            f"invalid --out {str(out_dir)!r}: {free / mib:.1f} MiB free, but the batch's outputs need "
            f"about {need / mib:.0f} MiB; nothing was sent",
            exit_code=ExitCode.USAGE,
            type="ValidationError",
            hint="free some space, choose another --out directory, or split the file into smaller batches",
        )
