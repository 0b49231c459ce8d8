"""One error tree: every exception class klingkit defines for callers is a KlingError, lives in
``_exceptions`` and is drawn in its docstring; the old import paths still work."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import klingkit
from klingkit import _exceptions, errors

SRC = Path(klingkit.__file__).parent


def _public_exception_classes() -> dict[str, Path]:
    """Every non-private class deriving from an exception, defined anywhere in src/klingkit."""
    found: dict[str, Path] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                bases = {ast.unparse(b) for b in node.bases}
                if any(b.endswith(("Error", "Exception")) for b in bases):
                    found[node.name] = path
    return found


# Exceptions that never leave their layer: the sandbox's answer to a request and its busy-port OSError (it
# imports nothing of the library, by design), the CLI's and the MCP server's own presentation of an error, and the transport's
# internal signal to the create-recovery code (caught there, never raised to a caller), and the catalog's
# rule refusal and its unreadable effects data file (the catalog imports nothing of the library; prepare
# raises both as a ValidationError).
LAYER_INTERNAL = {"KlingFailure", "PortInUseError", "CLIError", "ToolError", "AmbiguousSend", "Refusal",
                  "EffectsDataError"}  # fmt: skip


def test_every_error_class_is_defined_in_exceptions_and_is_a_kling_error() -> None:
    classes = _public_exception_classes()
    assert "WebhookVerificationError" in classes
    for name, path in classes.items():
        if name in LAYER_INTERNAL:
            continue
        assert path.name == "_exceptions.py", f"{name} is defined in {path}; the tree lives in _exceptions"
        cls = getattr(_exceptions, name)
        assert issubclass(cls, _exceptions.KlingError), name


def test_the_docstring_draws_every_class_and_errors_exports_it() -> None:
    doc = _exceptions.__doc__ or ""
    for name, cls in vars(_exceptions).items():
        if inspect.isclass(cls) and issubclass(cls, _exceptions.KlingError):
            assert name in doc, f"{name} is missing from the drawing"
            assert getattr(errors, name) is cls


def test_old_import_paths_still_work() -> None:
    for module, name in [
        ("klingkit.webhooks", "WebhookVerificationError"),
        ("klingkit.jobs.ledger", "LedgerError"),
        ("klingkit.jobs.batch", "BatchBusyError"),
        ("klingkit.jobs.batch", "BatchInputError"),
        ("klingkit._download", "OutputExistsError"),
    ]:
        assert getattr(importlib.import_module(module), name) is getattr(errors, name)


def test_except_kling_error_catches_the_former_outsiders() -> None:
    from klingkit.jobs.batch import BatchBusyError, BatchInputError
    from klingkit.jobs.ledger import LedgerError
    from klingkit.webhooks import WebhookVerificationError, verify

    for cls in (BatchBusyError, BatchInputError, LedgerError, WebhookVerificationError):
        assert issubclass(cls, klingkit.KlingError)
    assert issubclass(BatchInputError, ValueError)  # what callers caught before
    try:
        verify(b"{}", {}, "whsec_c2VjcmV0")
    except klingkit.KlingError as e:
        assert isinstance(e, WebhookVerificationError) and e.reason == "missing_headers"
    else:
        raise AssertionError("an unsigned callback was accepted")
