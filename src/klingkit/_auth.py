"""The Authorization header: a static API key, or an AK/SK pair signed into a cached HS256 JWT.

The JWT (``iss``=AK, ``exp``=now+1800, ``nbf``=now-5) is re-signed 5 minutes before it expires, so a long
``wait`` never sends a stale token, and once more when Kling answers 1003/1004 (clock skew, expiry).
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable

from . import _constants as C
from ._config import Credentials

__all__ = ["Auth", "sign_jwt"]


def sign_jwt(access_key: str, secret_key: str, now: float, ttl: int = C.JWT_TTL) -> str:
    """An HS256 JWT for Kling: header ``{"alg":"HS256","typ":"JWT"}``, ``iss``, ``exp``, ``nbf`` (Unix s)."""
    import jwt  # PyJWT; imported here so that `import klingkit` stays light

    issued = int(now)
    claims = {"iss": access_key, "exp": issued + ttl, "nbf": issued - C.JWT_NBF_SKEW}
    with warnings.catch_warnings():
        # Kling issues the secret; its length is not the caller's choice, so PyJWT's advice is noise
        warnings.simplefilter("ignore", jwt.warnings.InsecureKeyLengthWarning)
        return jwt.encode(claims, secret_key, algorithm="HS256", headers={"alg": "HS256", "typ": "JWT"})


class Auth:
    """Produces ``Authorization`` header values; thread-safe. ``clock`` returns Unix seconds."""

    def __init__(self, credentials: Credentials, clock: Callable[[], float] | None = None) -> None:
        self._credentials = credentials
        self._clock = clock or time.time
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires = 0.0

    @property
    def kind(self) -> str:
        """``api_key`` or ``jwt``."""
        return self._credentials.kind

    @property
    def source(self) -> str:
        """Where the credentials came from (no secret)."""
        return self._credentials.source

    @property
    def can_resign(self) -> bool:
        """Whether a fresh token can be made (only for AK/SK)."""
        return self.kind == "jwt"

    def token(self) -> str:
        """The bearer token to send now (a cached JWT while it has more than 5 minutes left)."""
        if self._credentials.api_key:
            return self._credentials.api_key
        with self._lock:
            now = self._clock()
            if self._token is None or now >= self._expires - C.JWT_REFRESH_MARGIN:
                assert self._credentials.access_key and self._credentials.secret_key
                self._token = sign_jwt(self._credentials.access_key, self._credentials.secret_key, now)
                self._expires = int(now) + C.JWT_TTL
            return self._token

    def header(self) -> str:
        """The ``Authorization`` header value: ``Bearer <token>``."""
        return f"Bearer {self.token()}"

    def invalidate(self) -> None:
        """Drop the cached JWT so the next call signs a new one (after 1003/1004)."""
        with self._lock:
            self._token = None
