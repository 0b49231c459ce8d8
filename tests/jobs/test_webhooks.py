"""Standard Webhooks verification (reference §5, A.12) and callback parsing (A.11, A.13)."""

from __future__ import annotations

import json

import pytest

from klingkit import webhooks
from klingkit.webhooks import WebhookVerificationError, sign, sign_headers, verify

# The official test vector (kling-api.md A.12).
VECTOR_SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI="
VECTOR_ID = "9876543210"
VECTOR_TS = 1781080794
VECTOR_BODY = (
    b'{"id":"1234567890","status":"succeeded","message":"","create_time":1781080778802,'
    b'"update_time":1781080794151}'
)
VECTOR_SIG = "v1,UsKlJP00XoQyOn410NM9xv34sP+Gl0jnOO9Lcpr7NJ4="


def _headers(sig: str = VECTOR_SIG, ts: int = VECTOR_TS, msg_id: str = VECTOR_ID) -> dict[str, str]:
    return {"webhook-id": msg_id, "webhook-timestamp": str(ts), "webhook-signature": sig}


def test_official_vector_signs_and_verifies() -> None:
    assert sign(VECTOR_BODY, VECTOR_SECRET, msg_id=VECTOR_ID, timestamp=VECTOR_TS) == VECTOR_SIG
    verify(VECTOR_BODY, _headers(), VECTOR_SECRET, now=VECTOR_TS + 10)


def test_header_names_are_case_insensitive() -> None:
    headers = {k.title(): v for k, v in _headers().items()}
    verify(VECTOR_BODY, headers, VECTOR_SECRET, now=VECTOR_TS)


def test_rotation_list_accepts_any_v1_match() -> None:
    sig = "v1,7qGhfzeVuQvI4x1jrjAgMlkpJDoe1JhVmAbjR6eKeTM= v1a,whatever " + VECTOR_SIG
    verify(VECTOR_BODY, _headers(sig), VECTOR_SECRET, now=VECTOR_TS)


@pytest.mark.parametrize(
    ("headers", "body", "reason"),
    [
        (_headers("v1,K5oZfzeVuQvI4x1jrjAgMlkpJDoe1JhVmAbjR6eKeTM="), VECTOR_BODY, "bad_signature"),
        (_headers(), VECTOR_BODY + b" ", "bad_signature"),
        (_headers(msg_id="9876543211"), VECTOR_BODY, "bad_signature"),
        (_headers("v2," + VECTOR_SIG[3:]), VECTOR_BODY, "no_signature"),
        ({"webhook-id": VECTOR_ID, "webhook-timestamp": str(VECTOR_TS)}, VECTOR_BODY, "missing_headers"),
        (_headers(ts=VECTOR_TS) | {"webhook-timestamp": "soon"}, VECTOR_BODY, "bad_timestamp"),
    ],
)
def test_refuses_tampering(headers: dict[str, str], body: bytes, reason: str) -> None:
    with pytest.raises(WebhookVerificationError) as info:
        verify(body, headers, VECTOR_SECRET, now=VECTOR_TS)
    assert info.value.reason == reason


def test_refuses_six_minute_old_and_future_timestamps() -> None:
    with pytest.raises(WebhookVerificationError) as old:
        verify(VECTOR_BODY, _headers(), VECTOR_SECRET, now=VECTOR_TS + 360)
    assert old.value.reason == "too_old"
    with pytest.raises(WebhookVerificationError) as new:
        verify(VECTOR_BODY, _headers(), VECTOR_SECRET, now=VECTOR_TS - 360)
    assert new.value.reason == "too_new"
    verify(VECTOR_BODY, _headers(), VECTOR_SECRET, now=VECTOR_TS + 299)


def test_errors_never_contain_the_secret() -> None:
    secret_b64 = VECTOR_SECRET.removeprefix("whsec_")
    for now in (VECTOR_TS, VECTOR_TS + 999):
        with pytest.raises(WebhookVerificationError) as info:
            verify(VECTOR_BODY, _headers("v1,AAAA"), VECTOR_SECRET, now=now)
        assert secret_b64 not in str(info.value)
    with pytest.raises(ValueError) as bad:
        verify(VECTOR_BODY, _headers(), "whsec_not base64!", now=VECTOR_TS)
    assert "not base64!" not in str(bad.value)


def test_sign_headers_round_trip_and_standardwebhooks_agrees() -> None:
    body = b'{"id":"1","status":"submitted"}'
    headers = sign_headers(body, VECTOR_SECRET)
    verify(body, headers, VECTOR_SECRET)
    standardwebhooks = pytest.importorskip("standardwebhooks")
    standardwebhooks.Webhook(VECTOR_SECRET).verify(body, headers)


LEGACY = {
    "task_id": "867283741759111202",
    "task_status": "succeed",
    "task_status_msg": "",
    "created_at": 1722769557708,
    "updated_at": 1722769557708,
    "final_unit_deduction": "2",
    "task_info": {"external_task_id": "kkb-0123456789abcdef-1"},
    "task_result": {"videos": [{"id": "v1", "url": "https://cdn.example/v.mp4", "duration": "5.1"}]},
}
NEW = {
    "id": "913827032734642185",
    "status": "succeeded",
    "message": "",
    "create_time": 1785901861504,
    "update_time": 1785901861504,
    "external_id": "kkb-0123456789abcdef-2",
    "outputs": [{"type": "image", "url": "https://cdn.example/i.png", "watermark_url": ""}],
    "billing": [{"charge_type": "unit", "amount": "1", "package_type": "image"}],
}


def test_callback_ids_both_shapes() -> None:
    assert webhooks.callback_ids(json.dumps(LEGACY).encode()) == (
        "867283741759111202",
        "kkb-0123456789abcdef-1",
    )
    assert webhooks.callback_ids(NEW) == ("913827032734642185", "kkb-0123456789abcdef-2")
    with pytest.raises(ValueError):
        webhooks.callback_ids(b'{"status": "succeeded"}')
    with pytest.raises(ValueError):
        webhooks.callback_ids(b"[1, 2]")


def test_parse_callback_both_shapes() -> None:
    pytest.importorskip("klingkit._wire")
    old = webhooks.parse_callback(json.dumps(LEGACY).encode())
    assert old.id == "867283741759111202"
    assert old.external_id == "kkb-0123456789abcdef-1"
    assert old.status == "succeeded"
    assert [o.url for o in old.outputs] == ["https://cdn.example/v.mp4"]
    new = webhooks.parse_callback(json.dumps(NEW))
    assert new.id == "913827032734642185"
    assert new.status == "succeeded"
    assert new.external_id == "kkb-0123456789abcdef-2"
    assert [o.kind for o in new.outputs] == ["image"]
