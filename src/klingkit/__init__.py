"""klingkit: the Python SDK, command line and local sandbox for the Kling AI API.

Public names are loaded lazily so that ``import klingkit`` (and ``klingkit --help``) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

__all__ = ["__version__"]


def __getattr__(name: str) -> Any:  # PEP 562: import heavy parts on first use
    raise AttributeError(f"module 'klingkit' has no attribute {name!r}")


if TYPE_CHECKING:
    pass
