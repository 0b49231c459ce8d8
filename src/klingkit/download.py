"""Public helpers about downloaded outputs, beyond ``client.download`` (which does the downloading)."""

from __future__ import annotations

from ._download import clear_foreign

__all__ = ["clear_foreign"]
