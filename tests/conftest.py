"""Suite-wide isolation: no test sees the developer's real Kling credentials or writes to their home."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

# A test run started in the background by a non-interactive shell inherits SIGINT *ignored*, and so would
# every klingkit the e2e tests start: their Ctrl-C tests would wait forever. A user's terminal delivers
# SIGINT, so the suite restores the default here (a caught handler is reset to the default on exec).
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

_CREDENTIAL_VARS = (
    "KLING_API_KEY",
    "KLING_ACCESS_KEY",
    "KLING_SECRET_KEY",
    "KLING_BASE_URL",
    "KLING_REGION",
    "KLINGKIT_CONFIG",
    "KLINGKIT_LOG",
    "KLINGKIT_WEBHOOK_SECRET",
)


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Each test gets an empty KLINGKIT_HOME and config dir, and no inherited credentials."""
    home = tmp_path_factory.mktemp("klingkit-home")
    for name in _CREDENTIAL_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KLINGKIT_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    assert "KLING_SECRET_KEY" not in os.environ
    yield home
