"""A tiny web server on 127.0.0.1 standing in for the user's web: input files by URL (GET), 404s, non-media
answers and stalls, and a callback receiver (POST)."""

from __future__ import annotations

import contextlib
import functools
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SLOW_SECONDS = 5.0


class MediaServer:
    """Serves ``files`` (path -> (content type, bytes)); anything else answers 404. A POST is recorded in
    ``callbacks`` as (headers with lower-case names, raw body) and answered 200."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, bytes]] = {}
        self.hits: list[str] = []
        self.hosts: list[str] = []  # the Host header of each GET
        self.slow: set[str] = set()  # paths that send their headers, then stall for SLOW_SECONDS
        self.callbacks: list[tuple[dict[str, str], bytes]] = []
        files, hits, hosts, slow, callbacks = self.files, self.hits, self.hosts, self.slow, self.callbacks

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                hosts.append(self.headers.get("Host", ""))
                found = files.get(self.path)
                if found is None:
                    self.send_error(404)
                    return
                kind, body = found
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.path in slow:
                    time.sleep(SLOW_SECONDS)
                with contextlib.suppress(OSError):  # the sandbox may hang up on a file that is too big
                    self.wfile.write(body)

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                callbacks.append(({k.lower(): v for k, v in self.headers.items()}, raw))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, path: str, kind: str, body: bytes) -> str:
        self.files[path] = (kind, body)
        return self.base + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@functools.lru_cache(maxsize=16)
def mp4(
    seconds: float,
    width: int = 320,
    height: int = 240,
    fps: int = 12,
    sound: bool = False,
) -> bytes:
    """A real H.264 MP4 of ``seconds`` (small and 12 fps by default, so it renders quickly)."""
    from klingkit.sandbox.render import VideoSpec, render_video

    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/clip.mp4"
        render_video(VideoSpec(width, height, fps, seconds, prompt="input", sound=sound), path)
        with open(path, "rb") as f:
            return f.read()
