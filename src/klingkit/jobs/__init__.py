"""Durable local bookkeeping for paid work: the task ledger, the batch runner and the webhook receiver.

Nothing here is imported by ``import klingkit``; the CLI loads it when a command needs it.
"""

from __future__ import annotations

__all__: list[str] = []
