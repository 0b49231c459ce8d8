"""The installed ``klingkit`` console script the tests run as a user would: the one beside this interpreter,
else the one on PATH; a test that needs it is skipped when neither exists. One copy for every test folder
(``from ..installed import klingkit_command``)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest


def klingkit_command() -> str:
    """The path of the installed ``klingkit`` command (skips the test when it is not installed)."""
    beside = Path(sys.executable).with_name("klingkit")
    if beside.exists():
        return str(beside)
    found = shutil.which("klingkit")
    if found is None:
        pytest.skip("the klingkit console script is not installed")
    return found
