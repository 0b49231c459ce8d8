"""A client of Kling's 2026 routes written only from Kling's public documentation (kling-api.md §1.3,
§2.13-§2.15, A.13, A.27): the model in the path, ``contents[]``/``settings``/``options`` bodies, the API
key as a bearer token, ``GET /tasks?task_ids=`` and ``POST /tasks`` to follow tasks.

Python's standard library only, as a quick script would be: urllib for HTTP and the default SSL context,
which trusts what the shell's ``SSL_CERT_FILE`` names (the line ``klingkit sandbox serve --tls`` prints).
It knows nothing of klingkit.
"""

from __future__ import annotations

import json
import ssl
import time
import urllib.request
from typing import Any
from urllib.parse import urlencode, urlsplit

TERMINAL = ("succeeded", "failed")


class Kling2026Client:
    def __init__(self, base_url: str, api_key: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.context = ssl.create_default_context()  # honours SSL_CERT_FILE; verification stays on

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(
            self.base_url + path,
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={
                "Authorization": f"Bearer {self.api_key}",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=60) as response:
                envelope = json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"Kling error {error.code} {error.read().decode(errors='replace')}") from None
        if envelope.get("code") != 0:
            raise RuntimeError(f"Kling error {envelope}")
        return envelope["data"]

    def create(self, path: str, body: dict[str, Any]) -> str:
        task_id: str = self.call("POST", path, body)["id"]
        return task_id

    def wait(self, task_id: str, timeout: float = 120, query: str = "/tasks") -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            [task] = self.call("GET", f"{query}?{urlencode({'task_ids': task_id})}")
            if task["status"] in TERMINAL:
                return dict(task)
            if time.monotonic() > deadline:
                raise TimeoutError(task_id)
            time.sleep(0.2)

    def download(self, url: str) -> bytes:
        parts = urlsplit(url)
        if parts.scheme != "https":
            raise ValueError(f"Only HTTPS URLs are allowed: {url}")
        if (parts.hostname or "").replace(".", "").isdigit() or ":" in (parts.hostname or ""):
            raise ValueError(f"URL with IP address {parts.hostname} is not allowed")
        with urllib.request.urlopen(url, context=self.context, timeout=60) as response:
            data: bytes = response.read()
            return data
