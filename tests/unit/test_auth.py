"""AK/SK -> HS256 JWT: claims, header, caching, early re-signing with an injected clock, 1004 re-sign."""

from __future__ import annotations

from typing import Any

import httpx
import jwt
import pytest

from klingkit._auth import Auth
from klingkit._config import Credentials

AK, SK = "ak-test-access", "sk-test-secret-0123456789abcdef-long"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def decode(token: str, now: float) -> dict[str, Any]:
    return jwt.decode(token, SK, algorithms=["HS256"], options={"verify_exp": False, "verify_nbf": False})


def test_jwt_header_and_claims() -> None:
    clock = Clock(1_781_080_000.4)
    token = Auth(Credentials(access_key=AK, secret_key=SK), clock).token()
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    claims = decode(token, clock.now)
    assert claims == {"iss": AK, "exp": 1_781_080_000 + 1800, "nbf": 1_781_080_000 - 5}
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            token,
            "wrong-secret-wrong-secret-wrong-secret",
            algorithms=["HS256"],
            options={"verify_exp": False},
        )


def test_jwt_is_cached_then_resigned_five_minutes_before_expiry() -> None:
    clock = Clock(1_781_080_000.0)
    auth = Auth(Credentials(access_key=AK, secret_key=SK), clock)
    first = auth.token()
    clock.now += 1800 - 301  # 5 min + 1 s before exp: still cached
    assert auth.token() == first
    clock.now += 2  # within the 5-minute margin: a new token
    second = auth.token()
    assert second != first
    assert decode(second, clock.now)["exp"] == int(clock.now) + 1800


def test_invalidate_forces_a_new_signature() -> None:
    clock = Clock(1_781_080_000.0)
    auth = Auth(Credentials(access_key=AK, secret_key=SK), clock)
    first = auth.token()
    clock.now += 1
    auth.invalidate()
    assert auth.token() != first


def test_static_api_key_is_sent_as_is() -> None:
    auth = Auth(Credentials(api_key="static-key-123"))
    assert auth.header() == "Bearer static-key-123"
    assert not auth.can_resign


def test_client_resigns_once_on_1004_and_sends_a_fresh_token(make_client: Any, kk: Any, clock: Any) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"])
        if len(seen) == 1:
            clock.now += 1  # the re-signed token is a second younger
            return kk.err(401, 1004, "Authorization has expired")
        return kk.ok({"code": 0, "resource_pack_subscribe_infos": []})

    client = make_client(handler)
    assert client.account.costs() == {"code": 0, "resource_pack_subscribe_infos": []}
    assert len(seen) == 2 and len(set(seen)) == 2  # compared as a set: tokens never reach test output
    assert all(h.startswith("Bearer ") for h in seen)


def test_client_gives_up_after_one_resign(make_client: Any, kk: Any) -> None:
    from klingkit.errors import AuthenticationError

    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return kk.err(401, 1004, "Authorization has expired")

    with pytest.raises(AuthenticationError) as info:
        make_client(handler).account.costs()
    assert len(calls) == 2
    assert "clock" in str(info.value)
