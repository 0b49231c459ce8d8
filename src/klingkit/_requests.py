"""The request builder's old name: everything lives in :mod:`klingkit._prepare` (``prepare``,
``RequestSpec``, routing) and :mod:`klingkit._bodies` / :mod:`klingkit._bodies_video` (the wire bodies)."""

from __future__ import annotations

from ._prepare import _BUILDERS, FEATURE_ALIASES, RequestSpec, features, prepare, resolve_feature

__all__ = ["FEATURE_ALIASES", "_BUILDERS", "RequestSpec", "features", "prepare", "resolve_feature"]
