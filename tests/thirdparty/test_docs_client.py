"""A client written only from Kling's public docs runs unmodified against ``Sandbox(tls=True)`` over https,
with certificate verification on, through text->video, image->video by URL, image generation, try-on,
lip-sync, extend and a signed callback, to downloaded files that a real decoder opens.

The bodies are the reference's verbatim (kling-api.md A.15, A.21, A.23, A.24, §2.4, §2.10) except that
their internet URLs are replaced by files on a loopback web server (the suite runs offline).
"""

from __future__ import annotations

import ast
import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from klingkit.sandbox import Sandbox

from .kling_docs_client import KlingDocsClient, verify_webhook

SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI="  # the A.12 test vector's secret
CLIENT_FILE = Path(__file__).with_name("kling_docs_client.py")


class LocalWeb:
    """Serves the user's input images over http (GET) and receives callbacks (POST) on 127.0.0.1."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.callbacks: list[tuple[dict[str, str], bytes]] = []
        files, callbacks = self.files, self.callbacks

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                callbacks.append(({k.lower(): v for k, v in self.headers.items()}, raw))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def png(self, name: str, width: int, height: int, colour: tuple[int, int, int]) -> str:
        from PIL import Image

        buf = io.BytesIO()
        Image.new("RGB", (width, height), colour).save(buf, format="PNG")
        self.files[f"/{name}"] = buf.getvalue()
        return f"{self.base}/{name}"


@pytest.fixture
def web() -> Iterator[LocalWeb]:
    server = LocalWeb()
    yield server
    server.server.shutdown()
    server.server.server_close()


def _video(path: Path) -> tuple[int, int, float]:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        rate = float(stream.average_rate or 24)
        return stream.codec_context.width, stream.codec_context.height, frames / rate


def _image(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as img:
        img.load()
        width, height = img.size
        return int(width), int(height)


def test_the_client_code_imports_nothing_of_klingkit() -> None:
    tree = ast.parse(CLIENT_FILE.read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "klingkit" for name in imported)
    assert "verify=False" not in CLIENT_FILE.read_text()


def test_a_docs_client_runs_every_flow_over_https(web: LocalWeb, tmp_path: Path) -> None:
    with Sandbox(time_scale=0.0, tls=True, webhook_secret=SECRET) as sb:
        assert sb.ca_file is not None
        client = KlingDocsClient(sb.base_url, sb.access_key, sb.secret_key, str(sb.ca_file))
        try:
            _flows(client, web, tmp_path)
        finally:
            client.close()


def _flows(client: KlingDocsClient, web: LocalWeb, out: Path) -> None:
    # Text to video, A.24 verbatim, with a callback.
    t2v = {
        "model_name": "kling-v2-6",
        "prompt": "A cute little rabbit wearing glasses, sitting at a table, reading a newspaper, with a cup "
        "of cappuccino on the table",
        "negative_prompt": "",
        "duration": "5",
        "mode": "pro",
        "sound": "on",
        "aspect_ratio": "1:1",
        "callback_url": f"{web.base}/callback",
        "external_task_id": "",
    }
    t2v_id = client.create("/v1/videos/text2video", t2v)
    done = client.wait("/v1/videos/text2video", t2v_id)
    assert done["task_status"] == "succeed"
    rabbit = done["task_result"]["videos"][0]
    width, height, seconds = _video(client.download(rabbit["url"], out / "rabbit.mp4"))
    assert width == height and seconds == pytest.approx(5, abs=0.2)

    # Image generation, A.15 (its image URL replaced by a loopback one).
    gen = {
        "model_name": "kling-v2-1",
        "prompt": "生成皮克斯风格的小狗",
        "negative_prompt": "",
        "image": web.png("dog.png", 800, 800, (200, 160, 90)),
        "n": 2,
        "external_task_id": "",
        "callback_url": "",
    }
    images = client.wait("/v1/images/generations", client.create("/v1/images/generations", gen))
    assert [i["index"] for i in images["task_result"]["images"]] == [0, 1]
    for i, item in enumerate(images["task_result"]["images"]):
        assert min(_image(client.download(item["url"], out / f"dog-{i}.png"))) > 0

    # Image to video by URL, A.23 (start and end frames on the user's own web server).
    i2v = {
        "model_name": "kling-v2-6",
        "image": web.png("multi-2.png", 1024, 1024, (40, 120, 200)),
        "image_tail": web.png("multi-1.png", 1024, 1024, (220, 60, 60)),
        "prompt": "镜头拉远，女生微笑",
        "negative_prompt": "",
        "duration": "5",
        "mode": "pro",
        "sound": "off",
        "callback_url": "",
        "external_task_id": "",
    }
    moved = client.wait("/v1/videos/image2video", client.create("/v1/videos/image2video", i2v))
    assert moved["task_status"] == "succeed", moved
    width, height, _ = _video(client.download(moved["task_result"]["videos"][0]["url"], out / "i2v.mp4"))
    assert width == height  # the clip follows the square image, as Kling does

    # Virtual try-on, §2.10 (a).
    try_on = {
        "model_name": "kolors-virtual-try-on-v1",
        "human_image": web.png("person.png", 600, 900, (180, 150, 130)),
        "cloth_image": web.png("shirt.png", 600, 600, (30, 30, 160)),
    }
    dressed = client.wait(
        "/v1/images/kolors-virtual-try-on", client.create("/v1/images/kolors-virtual-try-on", try_on)
    )
    assert dressed["task_status"] == "succeed"
    _image(client.download(dressed["task_result"]["images"][0]["url"], out / "try-on.png"))

    # Lip-sync, A.21 (text2video form) on the rabbit by its URL.
    lip = {
        "input": {
            "video_url": rabbit["url"],
            "mode": "text2video",
            "text": "Hello from Kling",
            "voice_id": "oversea_male1",
            "voice_language": "en",
            "voice_speed": 1.0,
        },
        "callback_url": "",
    }
    synced = client.wait("/v1/videos/lip-sync", client.create("/v1/videos/lip-sync", lip))
    assert synced["task_status"] == "succeed", synced
    width, height, seconds = _video(
        client.download(synced["task_result"]["videos"][0]["url"], out / "lip.mp4")
    )
    assert width == height and seconds == pytest.approx(5, abs=0.2)  # read from the rabbit clip

    # Video extension, §2.4 (KWAI's body: video_id and prompt), of a kling-v1 clip (extension's models).
    source = client.wait(
        "/v1/videos/text2video",
        client.create("/v1/videos/text2video", {"model_name": "kling-v1", "prompt": "a slow river"}),
    )
    video_id = source["task_result"]["videos"][0]["id"]
    extended = client.wait(
        "/v1/videos/video-extend",
        client.create("/v1/videos/video-extend", {"video_id": video_id, "prompt": "the river widens"}),
    )
    assert extended["task_info"]["parent_video"]["id"] == video_id
    _, _, seconds = _video(client.download(extended["task_result"]["videos"][0]["url"], out / "ext.mp4"))
    assert seconds > 5

    # The signed callbacks of the text-to-video task: one per status, verified by hand (§5).
    deadline = time.monotonic() + 20
    while len(web.callbacks) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    statuses = []
    for headers, raw in web.callbacks:
        verify_webhook(SECRET, headers, raw)
        payload = json.loads(raw)
        assert payload["task_id"] == t2v_id
        statuses.append(payload["task_status"])
    assert statuses == ["submitted", "processing", "succeed"]
