"""The pure decision of ``_reconcile``: which listed task a create without external id made."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from klingkit import parse_task
from klingkit._reconcile import (
    ABSENT_AFTER_S,
    Fingerprint,
    Reconciler,
    body_hash,
    decide,
    fingerprint,
    list_body,
)
from klingkit.errors import CreateUnresolvedError

SENT = 1_790_000_000_000


def _fp(seconds: float | None = 5.0) -> Fingerprint:
    return Fingerprint("POST /text-to-video/kling-4.0", "h", SENT, "video", "video", seconds)


def _task(tid: str, at: int, *, external: str = "", status: str = "submitted", seconds: str = "5") -> Any:
    outputs = [{"type": "video", "id": "o" + tid, "url": "https://x/v.mp4", "duration": seconds}]
    data = {"id": tid, "status": status, "create_time": at, "update_time": at, "external_id": external,
            "outputs": outputs if status == "succeeded" else []}  # fmt: skip
    return parse_task(data, family="new")


def test_fingerprint_hashes_the_normalised_body() -> None:
    class Spec:
        method, path, pack, duration = "POST", "/text-to-video/kling-4.0", "video", 7.0
        body: ClassVar[dict[str, object]] = {"settings": {"duration": 7}, "prompt": "x"}

    fp = fingerprint(Spec(), SENT)
    assert fp.route == "POST /text-to-video/kling-4.0" and fp.seconds == 7.0
    assert fp.body_sha256 == body_hash({"prompt": "x", "settings": {"duration": 7}})  # key order ignored
    assert Fingerprint.from_dict(fp.to_dict()) == fp


def test_list_body_is_a_window_around_the_send_with_the_product_type() -> None:
    body = list_body(_fp())
    assert int(body["start_time"]) < SENT < int(body["end_time"])
    assert body["filters"] == [{"key": "product_type", "values": ["video"]}] and body["limit"] == 500


def test_one_candidate_is_adopted() -> None:
    verdict = decide(_fp(), [_task("a", SENT + 300)])
    assert verdict.task is not None and verdict.task.id == "a"


def test_tasks_with_an_external_id_outside_the_window_or_claimed_are_not_candidates() -> None:
    tasks = [
        _task("ext", SENT + 10, external="kk-1"),  # another klingkit create: carries an external id
        _task("old", SENT - 3_600_000),
        _task("mine-before", SENT + 20),
        _task("it", SENT + 30),
    ]
    verdict = decide(_fp(), tasks, claimed={"mine-before"})
    assert verdict.task is not None and verdict.task.id == "it"


def test_finished_tasks_of_another_length_are_ruled_out() -> None:
    tasks = [
        _task("a", SENT + 10, status="succeeded", seconds="10"),
        _task("b", SENT + 20, status="succeeded"),
    ]
    verdict = decide(_fp(5.0), tasks)
    assert verdict.task is not None and verdict.task.id == "b"


def test_two_running_candidates_are_undecided() -> None:
    verdict = decide(_fp(), [_task("a", SENT + 10), _task("b", SENT + 20)])
    assert verdict.task is None and not verdict.absent and verdict.candidates == ("a", "b")
    step = Reconciler(_fp()).step([_task("a", SENT + 10), _task("b", SENT + 20)], SENT / 1000 + 1)
    assert isinstance(step.error, CreateUnresolvedError) and step.error.candidates == ("a", "b")
    assert "nothing was sent again" in str(step.error)


def test_an_empty_listing_proves_absence_only_after_the_grace() -> None:
    r = Reconciler(_fp())
    early = r.step([], SENT / 1000 + 1)
    assert not early.absent and early.delay == pytest.approx(ABSENT_AFTER_S - 1)
    late = r.step([], SENT / 1000 + ABSENT_AFTER_S + 0.1)
    assert late.absent and r.listings == 2
