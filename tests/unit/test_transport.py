"""The retry loop through a real client over httpx.MockTransport (no sleeping: a fake clock)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from klingkit.errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    ContentPolicyError,
    QuotaError,
    RateLimitError,
    ServerError,
)


def scripted(*responses: Any) -> tuple[list[httpx.Request], Any]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = responses[min(len(seen), len(responses)) - 1]
        if isinstance(item, Exception):
            raise item
        return item

    return seen, handler


def test_1303_is_retried_with_a_first_delay_of_at_least_one_second(
    make_client: Any, kk: Any, clock: Any
) -> None:
    seen, handler = scripted(kk.err(429, 1303, "parallel task over resource pack limit"), kk.ok({"x": 1}))
    assert make_client(handler).account.costs() == {"x": 1}
    assert len(seen) == 2 and clock.sleeps[0] >= 1.0


def test_1102_is_a_billing_error_and_never_retried(make_client: Any, kk: Any) -> None:
    seen, handler = scripted(kk.err(429, 1102, "Account balance not enough"))
    with pytest.raises(QuotaError) as info:
        make_client(handler).account.costs()
    assert len(seen) == 1
    err = info.value
    assert (err.http_status, err.code, err.request_id, err.retryable) == (429, 1102, "rid-1102", False)
    assert "top up" in str(err) and "rid-1102" in str(err)


def test_error_code_in_a_200_body_is_an_error(make_client: Any, kk: Any) -> None:
    _, handler = scripted(httpx.Response(200, json={"code": 1301, "message": "policy", "request_id": "r"}))
    with pytest.raises(ContentPolicyError, match="no credits were charged"):
        make_client(handler).account.costs()


def test_server_errors_retry_until_max_retries(make_client: Any, kk: Any, clock: Any) -> None:
    seen, handler = scripted(kk.err(500, 5000))
    with pytest.raises(ServerError) as info:
        make_client(handler, max_retries=2).account.costs()
    assert len(seen) == 3 and len(clock.sleeps) == 2 and info.value.retryable


def test_max_retries_zero_disables_retries(make_client: Any, kk: Any) -> None:
    seen, handler = scripted(kk.err(503, None))
    with pytest.raises(ServerError):
        make_client(handler, max_retries=0).account.costs()
    assert len(seen) == 1


def test_retry_after_is_honoured(make_client: Any, kk: Any, clock: Any) -> None:
    _, handler = scripted(kk.err(429, 1302, **{"Retry-After": "7"}), kk.ok({}))
    make_client(handler).account.costs()
    assert clock.sleeps == [7.0]


def test_retry_after_over_a_minute_raises_with_the_delay(make_client: Any, kk: Any, clock: Any) -> None:
    seen, handler = scripted(kk.err(429, 1303, **{"Retry-After": "600"}))
    with pytest.raises(RateLimitError) as info:
        make_client(handler).account.costs()
    assert info.value.retry_after == 600.0 and len(seen) == 1 and clock.sleeps == []
    assert "concurrency limit" in str(info.value)


def test_connection_errors_are_retried(make_client: Any, kk: Any) -> None:
    seen, handler = scripted(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), kk.ok({"ok": True}))
    assert make_client(handler).account.costs() == {"ok": True}
    assert len(seen) == 3


def test_connection_errors_exhausted(make_client: Any) -> None:
    _, handler = scripted(httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError, match="got no answer"):
        make_client(handler, max_retries=1).account.costs()


def test_non_json_success_is_an_error(make_client: Any) -> None:
    _, handler = scripted(httpx.Response(200, text="<html>captive portal</html>"))
    with pytest.raises(APIError, match="not a JSON object"):
        make_client(handler).account.costs()


def test_401_hint_names_source_and_region_but_no_secret(make_client: Any, kk: Any) -> None:
    _, handler = scripted(kk.err(401, 1002, "Authorization is invalid"))
    with pytest.raises(AuthenticationError) as info:
        make_client(handler).account.costs()
    text = str(info.value)
    assert "arguments access_key/secret_key" in text and "region is global" in text and "cn" in text
    assert kk.SECRET not in text and "Bearer" not in text


def test_401_on_new_routes_with_ak_sk_says_an_api_key_is_needed(make_client: Any, kk: Any) -> None:
    _, handler = scripted(kk.err(401, 1002, "Authorization is invalid"))
    client = make_client(handler)
    spec = kk.Spec(
        feature="text-to-video", path="/text-to-video/kling-3.0", family="new", body={"prompt": "x"}
    )
    with pytest.raises(AuthenticationError, match="accept only a static API key"):
        client.submit(spec)


def test_headers_sent(make_client: Any, kk: Any) -> None:
    seen, handler = scripted(kk.ok({}))
    make_client(handler, api_key="static-key", access_key=None, secret_key=None).account.costs()
    req = seen[0]
    assert req.headers["authorization"] == "Bearer static-key"
    assert req.headers["content-type"] == "application/json"
    assert req.headers["user-agent"].startswith("klingkit/")
    assert req.url.path == "/account/costs"
    assert int(req.url.params["end_time"]) - int(req.url.params["start_time"]) == 30 * 86_400_000


async def test_async_twin_retries_the_same_way(make_async_client: Any, kk: Any, clock: Any) -> None:
    seen, handler = scripted(kk.err(429, 1303), kk.err(502, None), kk.ok({"y": 2}))
    async with make_async_client(handler) as client:
        assert await client.account.costs() == {"y": 2}
    assert len(seen) == 3 and clock.sleeps[0] >= 1.0
