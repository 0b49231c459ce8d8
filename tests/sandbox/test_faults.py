"""Faults on request: error answers, dropped requests and lost responses, counted and repeatable."""

from __future__ import annotations

import httpx
import pytest

from klingkit.sandbox import Sandbox

from .conftest import data, failure

T2V = "/v1/videos/text2video"


def test_error_fault_fires_count_times_on_its_route(sandbox: Sandbox, api: httpx.Client) -> None:
    sandbox.set_faults([{"fault": "1303", "route": "create", "count": 1}])
    assert failure(api.post(T2V, json={"prompt": "x"}))[:2] == (429, 1303)
    task_id = data(api.post(T2V, json={"prompt": "x"}))["task_id"]
    sandbox.set_faults([{"fault": "5001", "route": "query"}])
    assert failure(api.get(f"{T2V}/{task_id}"))[:2] == (503, 5001)
    assert data(api.post(T2V, json={"prompt": "x"}))  # creates are not queries
    counters = sandbox.counters()
    assert counters["faults_injected"] == {"1303": 1, "5001": 1}
    assert counters["creates"] == 2


def test_path_prefix_rules_and_clearing(sandbox: Sandbox, api: httpx.Client) -> None:
    sandbox.set_faults([{"fault": "5000", "route": "/v1/images"}])
    assert failure(api.post("/v1/images/generations", json={"prompt": "x"}))[:2] == (500, 5000)
    assert data(api.post(T2V, json={"prompt": "x"}))
    sandbox.clear_faults()
    assert data(api.post("/v1/images/generations", json={"prompt": "x"}))


def test_drop_creates_nothing(sandbox: Sandbox, api: httpx.Client) -> None:
    sandbox.set_faults([{"fault": "drop", "route": "create", "count": 1}])
    with pytest.raises(httpx.TransportError):
        api.post(T2V, json={"prompt": "x", "external_task_id": "dropped"})
    assert failure(api.get(f"{T2V}/dropped"))[:2] == (404, 1203)
    assert sandbox.counters()["tasks"] == 0


def test_lost_response_creates_the_task_and_a_retry_is_a_duplicate(
    sandbox: Sandbox, api: httpx.Client
) -> None:
    sandbox.set_faults([{"fault": "lost_response", "route": "create", "count": 1}])
    with pytest.raises(httpx.TransportError):
        api.post(T2V, json={"prompt": "x", "external_task_id": "ambiguous"})
    # The task exists: a client recovers it by external id instead of posting again ...
    assert data(api.get(f"{T2V}/ambiguous"))["task_info"]["external_task_id"] == "ambiguous"
    # ... and a blind re-post is refused and counted.
    assert failure(api.post(T2V, json={"prompt": "x", "external_task_id": "ambiguous"}))[:2] == (400, 1201)
    assert sandbox.counters()["duplicate_external_ids"] == 1


def test_probability_is_repeatable_with_a_seed(sandbox: Sandbox, api: httpx.Client) -> None:
    def pattern() -> list[int]:
        sandbox.set_faults([{"fault": "5002", "route": "query", "probability": 0.5}], seed=42)
        return [api.get(f"{T2V}", params={"pageSize": 1}).status_code for _ in range(20)]

    first = pattern()
    assert first == pattern()
    assert {200, 504} == set(first)


@pytest.mark.parametrize(
    "rules",
    [
        [{"fault": "teapot"}],
        [{"fault": "5000", "probability": 2}],
        [{"fault": "5000", "route": "sometimes"}],
        "x",
    ],
)
def test_bad_rules_are_refused(sandbox: Sandbox, rules: object) -> None:
    with pytest.raises(ValueError):
        sandbox.set_faults(rules)  # type: ignore[arg-type]
