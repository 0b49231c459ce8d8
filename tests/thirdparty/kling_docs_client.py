"""A Kling API client written only from Kling's public documentation (kling-api.md §1-§5, Appendix A).

It knows nothing of klingkit: httpx for HTTP, PyJWT for the AK/SK token (§1.2), the documented paths and
bodies, Standard Webhooks signatures checked by hand (§5, A.12). It is what a user's own script looks like,
and the sandbox must serve it unmodified. Certificate verification stays on: the caller passes the CA
file to trust (what ``SSL_CERT_FILE`` would name in a shell).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ssl
import time
from pathlib import Path
from typing import Any

import httpx
import jwt

TERMINAL = ("succeed", "succeeded", "failed")


class KlingDocsClient:
    def __init__(self, base_url: str, access_key: str, secret_key: str, ca_file: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.access_key, self.secret_key = access_key, secret_key
        context = ssl.create_default_context()
        context.load_verify_locations(cafile=ca_file)
        self.http = httpx.Client(verify=context, timeout=60)

    def close(self) -> None:
        self.http.close()

    def token(self) -> str:
        # §1.2: HS256, iss = AccessKey, valid for 30 minutes, usable from 5 seconds ago.
        now = int(time.time())
        payload = {"iss": self.access_key, "exp": now + 1800, "nbf": now - 5}
        return jwt.encode(payload, self.secret_key, algorithm="HS256", headers={"alg": "HS256", "typ": "JWT"})

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.http.request(method, self.base_url + path, json=body, headers=self._headers())
        envelope = response.json()
        if response.status_code != 200 or envelope.get("code") != 0:  # §3.1: always check code
            raise RuntimeError(f"Kling error {response.status_code} {envelope}")
        return envelope["data"]

    def create(self, path: str, body: dict[str, Any]) -> str:
        task_id: str = self.call("POST", path, body)["task_id"]
        return task_id

    def wait(self, path: str, task_id: str, timeout: float = 120) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            task: dict[str, Any] = self.call("GET", f"{path}/{task_id}")
            if task["task_status"] in TERMINAL:
                return task
            if time.monotonic() > deadline:
                raise TimeoutError(task_id)
            time.sleep(0.2)

    def download(self, url: str, dest: Path) -> Path:
        # Result URLs need no credentials (CDN); they must be https on a host name.
        if not url.startswith("https://"):
            raise ValueError(f"Only HTTPS URLs are allowed: {url}")
        host = httpx.URL(url).host
        if host.replace(".", "").isdigit() or ":" in host:
            raise ValueError(f"URL with IP address {host} is not allowed")
        with self.http.stream("GET", url) as response:
            response.raise_for_status()
            with dest.open("wb") as fh:
                for chunk in response.iter_bytes():
                    fh.write(chunk)
        return dest


def verify_webhook(secret: str, headers: dict[str, str], body: bytes, tolerance: int = 300) -> None:
    """§5: HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}", key = base64 of the whsec_ part."""
    msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > tolerance:
        raise ValueError("stale webhook")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(
        hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    )
    if not any(
        hmac.compare_digest(expected, sig.removeprefix("v1,").encode())
        for sig in headers["webhook-signature"].split()
    ):
        raise ValueError("bad webhook signature")
