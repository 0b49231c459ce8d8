"""https on loopback with the local sandbox CA, the friendly start of ``klingkit sandbox serve``, and task ids
that never repeat across sandbox states unless a seed asks for it.

The https checks verify the certificate for real (Python's urllib and httpx, each trusting only the printed
CA file, or klingkit, trusting it by itself); nothing here turns verification off.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from klingkit import Kling
from klingkit.sandbox import Sandbox

from ..installed import klingkit_command


def _urllib_json(url: str, ca_file: str, body: Any = None, key: str = "sandbox-api-key") -> Any:
    context = ssl.create_default_context()  # the system trust store ...
    context.load_verify_locations(cafile=ca_file)  # ... plus the CA the sandbox printed
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    request.add_header("Authorization", f"Bearer {key}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, context=context, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def tls_sandbox() -> Iterator[Sandbox]:
    with Sandbox(time_scale=0.0, tls=True) as sb:
        yield sb


def test_tls_sandbox_serves_https_on_a_host_name_with_a_verifiable_certificate(tls_sandbox: Sandbox) -> None:
    sb = tls_sandbox
    parts = urlsplit(sb.base_url)
    assert parts.scheme == "https" and parts.hostname == "localhost"
    assert sb.ca_file is not None and sb.ca_file.is_file()
    # The CA lives in klingkit's data dir and its key is private to the user.
    assert sb.ca_file.parent.parent == Path(os.environ["KLINGKIT_HOME"])
    assert (sb.ca_file.parent / "ca-key.pem").stat().st_mode & 0o077 == 0
    created = _urllib_json(f"{sb.base_url}/v1/videos/text2video", str(sb.ca_file), {"prompt": "a boat"})
    task_id = created["data"]["task_id"]
    got = _urllib_json(f"{sb.base_url}/v1/videos/text2video/{task_id}", str(sb.ca_file))["data"]
    url = got["task_result"]["videos"][0]["url"]
    assert urlsplit(url).scheme == "https" and urlsplit(url).hostname == "localhost"
    # Dialled by IP, the answers still name the host, never the IP literal.
    by_ip = httpx.Client(
        base_url=sb.base_url.replace("localhost", "127.0.0.1"),
        verify=ssl.create_default_context(cafile=str(sb.ca_file)),
        headers={"Authorization": f"Bearer {sb.api_key}"},
    )
    with by_ip:
        again = by_ip.get(f"/v1/videos/text2video/{task_id}").json()["data"]
    assert urlsplit(again["task_result"]["videos"][0]["url"]).hostname == "localhost"
    with urllib.request.urlopen(url, context=ssl.create_default_context(cafile=str(sb.ca_file))) as r:
        assert r.read(12)[4:8] == b"ftyp"  # an MP4 file


def test_an_untrusting_client_refuses_the_sandbox_certificate(tls_sandbox: Sandbox) -> None:
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(f"{tls_sandbox.base_url}/_sandbox/counters")  # default trust: certifi only


def test_the_ca_is_made_once_and_reused(tls_sandbox: Sandbox) -> None:
    first = tls_sandbox.ca_file
    assert first is not None
    pem = first.read_bytes()
    with Sandbox(time_scale=0.0, tls=True) as again:
        assert again.ca_file == first and first.read_bytes() == pem
        _urllib_json(f"{again.base_url}/_sandbox/counters", str(first))


def test_klingkit_trusts_the_sandbox_ca_by_itself(tls_sandbox: Sandbox, tmp_path: Path) -> None:
    client = Kling(api_key=tls_sandbox.api_key, base_url=tls_sandbox.base_url, max_wait=30)
    with client:
        task = client.tasks.wait(client.images.generate(prompt="a red kite", model="kling-v1"))
        files = client.download(task, tmp_path)
    from PIL import Image

    with Image.open(files[0]) as img:
        assert img.format == "PNG" and img.width > 0


def test_task_ids_are_unique_across_fresh_sandboxes_unless_seeded() -> None:
    def first_ids(seed: int | None) -> list[str]:
        with Sandbox(time_scale=0.0, seed=seed) as sb:
            headers = {"Authorization": f"Bearer {sb.api_key}"}
            return [
                httpx.post(
                    f"{sb.base_url}/v1/videos/text2video", headers=headers, json={"prompt": "x"}
                ).json()["data"]["task_id"]
                for _ in range(2)
            ]

    a, b = first_ids(None), first_ids(None)
    assert not set(a) & set(b)
    assert first_ids(5) == first_ids(5)


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [klingkit_command(), "sandbox", "serve", "--port", "0", "--time-scale", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_serve_tls_json_gives_env_lines_and_the_ca_a_docs_client_can_use() -> None:
    proc = _serve("--tls", "--json")
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        assert info["tls"] is True and info["base_url"].startswith("https://localhost:")
        assert info["env"] == {"KLING_BASE_URL": info["base_url"], "KLING_API_KEY": info["api_key"]}
        ca = info["ca_file"]
        assert Path(ca).is_file()
        assert {
            info["trust_env"][k] for k in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS")
        } == {ca}
        created = _urllib_json(f"{info['base_url']}/v1/images/generations", ca, {"prompt": "a fox"})
        assert created["code"] == 0
    finally:
        _stop(proc)


def test_serve_prints_the_export_lines_to_paste() -> None:
    proc = _serve("--tls")
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        while not lines or "CURL_CA_BUNDLE" not in lines[-1]:  # the last line printed before serving
            line = proc.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        text = "".join(lines)
        base = next(line.split()[-1] for line in lines if "listening on" in line)
        assert f"export KLING_BASE_URL={base}\n" in text
        assert "export KLING_API_KEY=sandbox-api-key\n" in text
        for name in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"):
            assert f"export {name}=" in text
    finally:
        _stop(proc)


def test_a_busy_port_is_one_line_and_exit_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [klingkit_command(), "sandbox", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and f"port {port}" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_the_klingkit_command_uses_an_https_sandbox_with_nothing_to_configure(
    tls_sandbox: Sandbox, tmp_path: Path
) -> None:
    # The same KLINGKIT_HOME (hence the same CA) as this process; no SSL_CERT_FILE or other trust setting.
    env = {**os.environ, "KLING_BASE_URL": tls_sandbox.base_url, "KLING_API_KEY": tls_sandbox.api_key}
    for name in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "SSL_CERT_DIR"):
        env.pop(name, None)
    done = subprocess.run(
        [klingkit_command(), "image", "a paper kite", "-o", str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    from PIL import Image

    with Image.open(result["files"][0]) as img:
        assert img.format == "PNG"
    assert all(urlsplit(o["url"]).scheme == "https" for o in result["outputs"])
    assert tls_sandbox.counters()["creates"] == 1
