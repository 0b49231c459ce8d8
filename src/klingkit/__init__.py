"""klingkit: the Python SDK, command line and local sandbox for the Kling AI API.

Public names are loaded lazily (PEP 562) so that ``import klingkit`` (and ``klingkit --help``) does not
import httpx, PyJWT, Pillow or PyAV::

    from klingkit import Kling

    with Kling() as client:  # credentials: arguments > KLING_* environment > config file
        task = client.videos.text_to_video(prompt="a red fox in the snow", duration=5)
        task = client.tasks.wait(task)  # max_wait: klingkit.defaults.MAX_WAIT
        client.download(task, "out/")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

# name -> module that defines it (relative to this package)
_LAZY: dict[str, str] = {
    "Kling": "._client",
    "AsyncKling": "._client",
    "Task": "._models",
    "TaskStatus": "._models",
    "Output": "._models",
    "Page": "._models",
    "prepare": "._requests",
    "Fingerprint": "._reconcile",
    "request_fingerprint": "._reconcile",
    "RequestSpec": "._requests",
    "parse_task": "._wire",
    "new_external_id": "._client",
    "save_credentials": "._config",
    "credentials_source": "._config",
    "errors": ".errors",
    "KlingError": "._exceptions",
    "APIError": "._exceptions",
    "APIConnectionError": "._exceptions",
    "APITimeoutError": "._exceptions",
    "AuthenticationError": "._exceptions",
    "BadRequestError": "._exceptions",
    "ContentPolicyError": "._exceptions",
    "CreateUnresolvedError": "._exceptions",
    "CredentialsError": "._exceptions",
    "DownloadError": "._exceptions",
    "NotFoundError": "._exceptions",
    "PermissionDeniedError": "._exceptions",
    "QuotaError": "._exceptions",
    "RateLimitError": "._exceptions",
    "ServerError": "._exceptions",
    "TaskFailedError": "._exceptions",
    "TaskTimeoutError": "._exceptions",
    "ValidationError": "._exceptions",
}

__all__ = ["__version__", "estimate", *sorted(_LAZY)]


def estimate(feature: str, **params: Any) -> Any:
    """The price of a request before sending it (``catalog.Estimate``: units, pack, usd); validates like
    ``prepare`` and raises ValidationError."""
    module = importlib.import_module("._requests", __name__)
    return module.prepare(feature, **params).estimate


def __getattr__(name: str) -> Any:  # PEP 562: import heavy parts on first use
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'klingkit' has no attribute {name!r}")
    module = importlib.import_module(module_name, __name__)
    value = module if name == "errors" else getattr(module, name)
    globals()[name] = value  # cache: later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


if TYPE_CHECKING:
    from . import errors as errors
    from ._client import AsyncKling as AsyncKling
    from ._client import Kling as Kling
    from ._client import new_external_id as new_external_id
    from ._config import credentials_source as credentials_source
    from ._config import save_credentials as save_credentials
    from ._exceptions import APIConnectionError as APIConnectionError
    from ._exceptions import APIError as APIError
    from ._exceptions import APITimeoutError as APITimeoutError
    from ._exceptions import AuthenticationError as AuthenticationError
    from ._exceptions import BadRequestError as BadRequestError
    from ._exceptions import ContentPolicyError as ContentPolicyError
    from ._exceptions import CredentialsError as CredentialsError
    from ._exceptions import DownloadError as DownloadError
    from ._exceptions import KlingError as KlingError
    from ._exceptions import NotFoundError as NotFoundError
    from ._exceptions import PermissionDeniedError as PermissionDeniedError
    from ._exceptions import QuotaError as QuotaError
    from ._exceptions import RateLimitError as RateLimitError
    from ._exceptions import ServerError as ServerError
    from ._exceptions import TaskFailedError as TaskFailedError
    from ._exceptions import TaskTimeoutError as TaskTimeoutError
    from ._exceptions import ValidationError as ValidationError
    from ._models import Output as Output
    from ._models import Page as Page
    from ._models import Task as Task
    from ._models import TaskStatus as TaskStatus
    from ._requests import RequestSpec as RequestSpec
    from ._requests import prepare as prepare
    from ._wire import parse_task as parse_task
