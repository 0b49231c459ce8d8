"""Secrets never reach logs, error messages or files; the logger is silent by default."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from klingkit._logging import logger, redact, redact_headers, setup_from_env, trim_url


def test_silent_by_default() -> None:
    assert any(isinstance(h, logging.NullHandler) for h in logger.handlers)
    setup_from_env({})  # no KLINGKIT_LOG: nothing attached
    assert all(isinstance(h, logging.NullHandler) for h in logger.handlers)


def test_redaction_helpers() -> None:
    jwt_like = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJhayJ9.c2lnbmF0dXJlLXZhbHVl"
    assert "static-key" not in redact("Authorization: Bearer static-key")
    assert jwt_like not in redact(f"token {jwt_like} here")
    assert redact_headers({"Authorization": "Bearer x", "Accept": "a"}) == {
        "Authorization": "[redacted]",
        "Accept": "a",
    }
    assert trim_url("https://cdn.test/a.mp4?x-sign=abc#f") == "https://cdn.test/a.mp4"


def test_requests_are_logged_without_secrets(
    make_client: Any, kk: Any, caplog: pytest.LogCaptureFixture
) -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            return kk.err(429, 1303, "parallel task over resource pack limit")
        if len(calls) == 2:
            return kk.err(
                401, 1004, f"expired {request.headers['authorization']}"
            )  # a server echoing the token
        return kk.ok({})

    caplog.set_level(logging.DEBUG, logger="klingkit")
    client = make_client(handler)
    client.account.costs()
    token = client._auth.token()
    text = caplog.text
    assert "GET /account/costs -> 429 code=1303 request_id=rid-1303 retries=0" in text
    assert "retrying GET /account/costs after HTTP 429 code 1303" in text
    assert token not in text and kk.SECRET not in text


def test_errors_never_carry_the_token(make_client: Any, kk: Any) -> None:
    from klingkit.errors import AuthenticationError

    def handler(request: httpx.Request) -> httpx.Response:
        return kk.err(401, 1002, "bad")

    client = make_client(handler, api_key="my-static-api-key-value", access_key=None, secret_key=None)
    with pytest.raises(AuthenticationError) as info:
        client.account.costs()
    assert "my-static-api-key-value" not in str(info.value) and "my-static-api-key-value" not in repr(client)


def test_env_switch_attaches_a_redacting_handler(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import klingkit._logging as L

    monkeypatch.setattr(L, "_configured", False)
    before = list(logger.handlers)
    try:
        setup_from_env({"KLINGKIT_LOG": "debug"})
        logger.debug("sending Authorization: Bearer sekret-token-123")
        err = capsys.readouterr().err
        assert "klingkit DEBUG" in err and "sekret-token-123" not in err
    finally:
        for h in list(logger.handlers):
            if h not in before:
                logger.removeHandler(h)
        logger.setLevel(logging.NOTSET)
