"""Who the sandbox lets in, and the 401 codes it answers with, as Kling documents them."""

from __future__ import annotations

import httpx
import jwt
import pytest

from klingkit.sandbox import DEFAULT_ACCESS_KEY, DEFAULT_API_KEY, DEFAULT_SECRET_KEY, Sandbox

from .conftest import ManualClock, data, failure

BODY = {"prompt": "a lighthouse at dusk"}


def token(
    clock: ManualClock,
    *,
    iss: str = DEFAULT_ACCESS_KEY,
    secret: str = DEFAULT_SECRET_KEY,
    exp: float = 1800,
    nbf: float = -5,
) -> str:
    now = int(clock())
    return jwt.encode(
        {"iss": iss, "exp": now + exp, "nbf": now + nbf}, secret, algorithm="HS256", headers={"typ": "JWT"}
    )


def post(sandbox: Sandbox, path: str, authorization: str | None) -> httpx.Response:
    headers = {"Authorization": authorization} if authorization is not None else {}
    return httpx.post(sandbox.base_url + path, json=BODY, headers=headers)


def test_default_credentials_are_the_documented_ones(sandbox: Sandbox) -> None:
    assert (sandbox.access_key, sandbox.secret_key, sandbox.api_key) == (
        "sandbox-access-key",
        "sandbox-secret-key-0123456789abcdef",
        "sandbox-api-key",
    )
    assert sandbox.api_key == DEFAULT_API_KEY


def test_api_key_and_jwt_both_open_legacy_routes(sandbox: Sandbox, clock: ManualClock) -> None:
    assert (
        data(post(sandbox, "/v1/videos/text2video", f"Bearer {sandbox.api_key}"))["task_status"]
        == "submitted"
    )
    assert (
        data(post(sandbox, "/v1/videos/text2video", f"Bearer {token(clock)}"))["task_status"] == "submitted"
    )


@pytest.mark.parametrize(
    ("make_header", "code"),
    [
        (lambda c: None, 1001),
        (lambda c: "", 1001),
        (lambda c: "Bearer", 1002),
        (lambda c: f"Bearer  {token(c)}", 1002),  # two spaces
        (lambda c: f"Token {token(c)}", 1002),
        (lambda c: "Bearer not-a-key", 1002),
        (lambda c: f"Bearer {token(c, secret='another-secret-of-32-bytes-length!')}", 1002),
        (lambda c: f"Bearer {token(c, nbf=60)}", 1003),
        (lambda c: f"Bearer {token(c, exp=-1)}", 1004),
        (lambda c: f"Bearer {token(c, iss='someone-else')}", 1000),
    ],
)
def test_refusals_carry_kling_401_codes(sandbox: Sandbox, clock: ManualClock, make_header, code: int) -> None:
    status, got, _ = failure(post(sandbox, "/v1/videos/text2video", make_header(clock)))
    assert (status, got) == (401, code)


def test_token_expires_on_the_server_clock(sandbox: Sandbox, clock: ManualClock) -> None:
    fresh = f"Bearer {token(clock, exp=60)}"
    assert post(sandbox, "/v1/videos/text2video", fresh).status_code == 200
    clock.advance(61)
    assert failure(post(sandbox, "/v1/videos/text2video", fresh))[:2] == (401, 1004)


def test_2026_routes_take_api_keys_only(sandbox: Sandbox, clock: ManualClock) -> None:
    assert (
        data(post(sandbox, "/text-to-video/kling-3.0", f"Bearer {sandbox.api_key}"))["status"] == "submitted"
    )
    status, code, message = failure(post(sandbox, "/text-to-video/kling-3.0", f"Bearer {token(clock)}"))
    assert (status, code) == (401, 1000) and "API key" in message
    got = httpx.get(
        sandbox.base_url + "/tasks",
        params={"task_ids": "1"},
        headers={"Authorization": f"Bearer {token(clock)}"},
    )
    assert failure(got)[:2] == (401, 1000)


def test_error_messages_never_echo_credentials(sandbox: Sandbox, clock: ManualClock) -> None:
    bad = token(clock, exp=-1)
    response = post(sandbox, "/v1/videos/text2video", f"Bearer {bad}")
    assert bad not in response.text and DEFAULT_SECRET_KEY not in response.text
