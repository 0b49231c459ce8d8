"""The public error tree (see :mod:`klingkit._exceptions` for the drawing)."""

from __future__ import annotations

from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ContentPolicyError,
    CreateUnresolvedError,
    CredentialsError,
    DownloadError,
    KlingError,
    NotFoundError,
    PermissionDeniedError,
    QuotaError,
    RateLimitError,
    ServerError,
    TaskFailedError,
    TaskTimeoutError,
    TaskUnknownError,
    ValidationError,
)

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ContentPolicyError",
    "CreateUnresolvedError",
    "CredentialsError",
    "DownloadError",
    "KlingError",
    "NotFoundError",
    "PermissionDeniedError",
    "QuotaError",
    "RateLimitError",
    "ServerError",
    "TaskFailedError",
    "TaskTimeoutError",
    "TaskUnknownError",
    "ValidationError",
]
