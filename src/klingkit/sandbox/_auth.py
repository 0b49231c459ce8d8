"""Who may call: a static API key (every route) or an AK/SK HS256 JWT (legacy routes only).

Kling's 2026 routes (model in the path, ``/tasks``, ``/solutions``) take an API key only; a JWT there is
refused, so a client that signs tokens for every route finds out here rather than in production.
The checks run in Kling's documented order: missing -> 1001, malformed or badly signed -> 1002,
not yet valid -> 1003, expired -> 1004, wrong issuer -> 1000.
"""

from __future__ import annotations

import hmac

import jwt

from ._config import SandboxConfig
from ._errors import KlingFailure


def check(authorization: str | None, config: SandboxConfig, *, api_key_only: bool, now: float) -> None:
    """Raise :class:`KlingFailure` unless ``authorization`` (the header value) admits the caller.

    ``now`` is the server clock in Unix seconds (the JWT ``nbf``/``exp`` are compared with it).
    """
    if not authorization or not authorization.strip():
        raise KlingFailure(1001)
    scheme, _, credential = authorization.partition(" ")
    if scheme != "Bearer" or not credential or credential != credential.strip():
        # Kling documents exactly one space after "Bearer".
        raise KlingFailure(1002, "Authorization is invalid: expected 'Bearer <token>'")
    if hmac.compare_digest(credential.encode(), config.api_key.encode()):
        return
    if credential.count(".") != 2:
        raise KlingFailure(1002)
    if api_key_only:
        raise KlingFailure(1000, "Authentication failed: this API accepts API keys only, not AK/SK tokens")
    _check_jwt(credential, config, now)


def _check_jwt(token: str, config: SandboxConfig, now: float) -> None:
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(
            token,
            config.secret_key,
            algorithms=["HS256"],
            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
        )
    except jwt.PyJWTError:
        raise KlingFailure(1002) from None
    if header.get("alg") != "HS256":
        raise KlingFailure(1002)
    nbf, exp = claims.get("nbf"), claims.get("exp")
    if not isinstance(exp, (int, float)):
        raise KlingFailure(1002, "Authorization is invalid: the token has no exp claim")
    if isinstance(nbf, (int, float)) and nbf > now:
        raise KlingFailure(1003)
    if exp <= now:
        raise KlingFailure(1004)
    if claims.get("iss") != config.access_key:
        raise KlingFailure(1000)
