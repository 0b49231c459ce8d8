"""A state file keeps tasks, balances and settings across restarts; serve() announces itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx

from klingkit.sandbox import Sandbox


def test_tasks_survive_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.sqlite3"
    with Sandbox(time_scale=0.0, seed=1, state=state) as sb:
        sb.configure(balances={"video": 50.0})
        headers = {"Authorization": f"Bearer {sb.api_key}"}
        created = httpx.post(
            f"{sb.base_url}/v1/videos/text2video",
            headers=headers,
            json={"prompt": "x", "external_task_id": "keep-me"},
        ).json()["data"]
    with Sandbox(time_scale=0.0, seed=1, state=state) as sb:
        got = httpx.get(f"{sb.base_url}/v1/videos/text2video/keep-me", headers=headers).json()["data"]
        assert got["task_id"] == created["task_id"] and got["task_status"] == "succeed"
        # Same seed, same id sequence: the new task must still get a fresh id.
        again = httpx.post(
            f"{sb.base_url}/v1/videos/text2video", headers=headers, json={"prompt": "y"}
        ).json()["data"]
        assert again["task_id"] != created["task_id"]
        costs = httpx.get(
            f"{sb.base_url}/account/costs", headers=headers, params={"start_time": 0, "end_time": 1}
        ).json()["data"]["resource_pack_subscribe_infos"]
        video = next(p for p in costs if p["resource_pack_id"] == "sandbox-video-pack")
        assert video["total_quantity"] == 50.0


def test_serve_prints_one_json_line_then_serves(tmp_path: Path) -> None:
    code = "from klingkit.sandbox import serve; serve('127.0.0.1', 0, 0.0, 3, None, json_output=True)"
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        assert set(info) >= {"base_url", "api_key", "access_key", "secret_key"}
        response = httpx.post(
            f"{info['base_url']}/v1/videos/text2video",
            json={"prompt": "x"},
            headers={"Authorization": f"Bearer {info['api_key']}"},
            timeout=10,
        )
        assert response.json()["data"]["task_status"] == "submitted"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
