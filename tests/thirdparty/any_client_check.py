"""The "any client" check of issue 10: clients written only from Kling's docs, run unmodified over https
against the installed ``klingkit sandbox serve --tls``, and the count of calls that fail for the sandbox's
reasons (a documented body refused, a task that fails, a result URL a client refuses, a file that does not
decode).

Two clients, neither importing klingkit: ``KlingDocsClient`` (httpx + PyJWT, AK/SK, the legacy routes,
trusting the printed CA file) and ``Kling2026Client`` (standard library only, API key, the 2026 routes,
trusting what ``SSL_CERT_FILE`` names: the line serve prints). Inputs by URL and callbacks live on a
loopback web server. Run from the repository root:

    python -m tests.thirdparty.any_client_check
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..sandbox.media_server import MediaServer
from .kling_2026_client import Kling2026Client
from .kling_docs_client import KlingDocsClient, verify_webhook

SECRET = "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0MTI="  # the A.12 test vector's secret
Call = Callable[[], None]


def _png(width: int, height: int, colour: tuple[int, int, int] = (40, 120, 200)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buf, format="PNG")
    return buf.getvalue()


def _probe(data: bytes) -> dict[str, Any]:
    """Decode every video frame (PyAV) and report size, length and whether there is sound."""
    import av

    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        rate = float(stream.average_rate or 24)
        has_audio = bool(container.streams.audio)
        return {"width": stream.codec_context.width, "height": stream.codec_context.height,
                "seconds": frames / rate, "audio": has_audio}  # fmt: skip


def _image_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        img.load()
        return int(img.width), int(img.height)


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)


class Check:
    """The calls, in order; later ones reuse earlier results (``self.found``)."""

    def __init__(self, info: dict[str, Any], web: MediaServer, folder: Path) -> None:
        self.legacy = KlingDocsClient(
            info["base_url"], info["access_key"], info["secret_key"], info["ca_file"]
        )
        self.new = Kling2026Client(info["base_url"], info["api_key"])
        self.web, self.folder = web, folder
        self.found: dict[str, Any] = {}
        self.requests = 0  # HTTP requests the two clients sent (creates, queries, downloads)
        self.legacy.http.event_hooks["request"].append(self._count)
        self.new.call = self._counted(self.new.call)  # type: ignore[method-assign]
        self.new.download = self._counted(self.new.download)  # type: ignore[method-assign]

    def _count(self, *_: Any) -> None:
        self.requests += 1

    def _counted(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self._count()
            return method(*args, **kwargs)

        return counted

    def _legacy_video(self, path: str, body: dict[str, Any], name: str) -> dict[str, Any]:
        task_id = self.legacy.create(path, body)
        self.found[f"{name}_id"] = task_id
        done = self.legacy.wait(path, task_id)
        self.found[f"{name}_task"] = done
        _expect(
            done["task_status"] == "succeed",
            f"{path}: {done['task_status']} {done['task_status_msg']}",
        )
        video = done["task_result"]["videos"][0]
        self.found[name] = video
        return _probe(self.legacy.download(video["url"], self.folder / f"{name}.mp4").read_bytes())

    def _new_task(self, path: str, body: dict[str, Any], query: str = "/tasks") -> dict[str, Any]:
        task_id = self.new.create(path, body)
        if query == "/tasks":
            self.found.setdefault("new_ids", []).append(task_id)
        task = self.new.wait(task_id, query=query)
        _expect(task["status"] == "succeeded", f"{path}: {task['status']} {task['message']}")
        return task

    def calls(self) -> list[tuple[str, Call]]:
        web = self.web
        return [
            ("legacy text2video (A.24, callback)", self.text2video),
            ("legacy image2video by URL (A.23)", lambda: self.image2video(web)),
            ("legacy images/generations by URL (A.15)", lambda: self.images(web)),
            (
                "legacy images, kling-v1 with a client's default fidelity",
                lambda: self.fidelity(web),
            ),
            ("legacy kolors-virtual-try-on by URL", lambda: self.try_on(web)),
            ("legacy try-on query with // (community clients)", self.double_slash),
            ("legacy lip-sync by video_url (A.21)", self.lip_sync),
            ("legacy video-extend (§2.4)", self.extend),
            ("legacy video-to-audio by video_url", self.video_to_audio),
            ("legacy omni-video, image_list by URL", lambda: self.omni_legacy(web)),
            ("signed callbacks (§5, A.12)", self.callbacks),
            ("2026 text-to-video/kling-3.0", self.t2v_new),
            (
                "2026 image-to-video/kling-3.0, contents[].url",
                lambda: self.i2v_new(web),
            ),
            ("2026 omni-video/kling-3.0-omni, video by URL", self.omni_new),
            ("2026 omni-video/kling-4.0, feature_video by URL", self.kling4),
            ("solutions/virtual_try_on by URL", lambda: self.try_on_new(web)),
            ("legacy avatar, image and sound_file by URL", lambda: self.avatar(web)),
            ("legacy motion-control, video_url by URL", lambda: self.motion(web)),
            ("2026 motion-control/kling-3.0, contents by URL", lambda: self.motion_new(web)),
            ("2026 POST /tasks listing", self.listing),
        ]

    def text2video(self) -> None:
        body = {"model_name": "kling-v2-6", "prompt": "A cute little rabbit wearing glasses, sitting at a "
                "table, reading a newspaper, with a cup of cappuccino on the table", "negative_prompt": "",
                "duration": "5", "mode": "pro", "sound": "on", "aspect_ratio": "1:1",
                "callback_url": f"{self.web.base}/callback", "external_task_id": ""}  # fmt: skip
        shape = self._legacy_video("/v1/videos/text2video", body, "rabbit")
        _expect(
            shape["width"] == shape["height"] and abs(shape["seconds"] - 5) < 0.2,
            f"rabbit {shape}",
        )

    def image2video(self, web: MediaServer) -> None:
        body = {"model_name": "kling-v2-6", "image": web.add("/i2v.png", "image/png", _png(1024, 1024)),
                "prompt": "镜头拉远，女生微笑", "duration": "5", "mode": "std"}  # fmt: skip
        shape = self._legacy_video("/v1/videos/image2video", body, "i2v")
        _expect(
            shape["width"] == shape["height"],
            f"the clip does not follow the square image: {shape}",
        )

    def images(self, web: MediaServer) -> None:
        body = {"model_name": "kling-v2-1", "prompt": "生成皮克斯风格的小狗", "negative_prompt": "",
                "image": web.add("/dog.png", "image/png", _png(800, 800)), "image_fidelity": 0.5, "n": 2}  # fmt: skip
        done = self.legacy.wait("/v1/images/generations", self.legacy.create("/v1/images/generations", body))
        _expect(done["task_status"] == "succeed", f"images: {done['task_status_msg']}")
        _expect(
            [i["index"] for i in done["task_result"]["images"]] == [0, 1],
            "image indexes",
        )
        for i, item in enumerate(done["task_result"]["images"]):
            _image_size(self.legacy.download(item["url"], self.folder / f"dog{i}.png").read_bytes())

    def fidelity(self, web: MediaServer) -> None:
        # Clients send image_fidelity (and human_fidelity) on every model; Kling serves them (§2.6).
        body = {"model_name": "kling-v1", "prompt": "a red kite", "image_fidelity": 0.5, "human_fidelity": 0.45,
                "image": web.add("/kite.png", "image/png", _png(640, 640))}  # fmt: skip
        done = self.legacy.wait("/v1/images/generations", self.legacy.create("/v1/images/generations", body))
        _expect(done["task_status"] == "succeed", f"images: {done['task_status_msg']}")

    def try_on(self, web: MediaServer) -> None:
        body = {"model_name": "kolors-virtual-try-on-v1",
                "human_image": web.add("/person.png", "image/png", _png(600, 900)),
                "cloth_image": web.add("/shirt.png", "image/png", _png(600, 600))}  # fmt: skip
        path = "/v1/images/kolors-virtual-try-on"
        task_id = self.legacy.create(path, body)
        done = self.legacy.wait(path, task_id)
        _expect(done["task_status"] == "succeed", f"try-on: {done['task_status_msg']}")
        self.found["try_on_id"] = task_id
        _image_size(
            self.legacy.download(done["task_result"]["images"][0]["url"], self.folder / "t.png").read_bytes()
        )

    def double_slash(self) -> None:
        task = self.legacy.call("GET", f"/v1/images/kolors-virtual-try-on//{self.found['try_on_id']}")
        _expect(task["task_status"] == "succeed", "the // query did not find the task")

    def lip_sync(self) -> None:
        body = {"input": {"video_url": self.found["rabbit"]["url"], "mode": "text2video",
                          "text": "Hello from Kling", "voice_id": "oversea_male1", "voice_language": "en",
                          "voice_speed": 1.0}}  # fmt: skip
        shape = self._legacy_video("/v1/videos/lip-sync", body, "lip")
        _expect(
            abs(shape["seconds"] - 5) < 0.2 and shape["width"] == shape["height"],
            f"lip-sync {shape}",
        )

    def extend(self) -> None:
        self._legacy_video(
            "/v1/videos/text2video",
            {"model_name": "kling-v1", "prompt": "a slow river"},
            "v1",
        )
        body = {"video_id": self.found["v1"]["id"], "prompt": "the river widens"}
        shape = self._legacy_video("/v1/videos/video-extend", body, "extended")
        _expect(shape["seconds"] > 5, f"extend {shape}")
        parent = self.found["extended_task"]["task_info"]["parent_video"]["id"]
        _expect(parent == self.found["v1"]["id"], "extend's parent_video")

    def video_to_audio(self) -> None:
        body = {
            "video_url": self.found["rabbit"]["url"],
            "sound_effect_prompt": "pages turning",
        }
        shape = self._legacy_video("/v1/audio/video-to-audio", body, "dubbed")
        _expect(shape["audio"], "video-to-audio has no sound track")

    def omni_legacy(self, web: MediaServer) -> None:
        body = {"model_name": "kling-video-o1", "prompt": "<<<image_1>>> walks into the sea",
                "image_list": [{"image_url": web.add("/hero.png", "image/png", _png(720, 1280))}],
                "duration": "5", "mode": "std"}  # fmt: skip
        self._legacy_video("/v1/videos/omni-video", body, "omni")

    def callbacks(self) -> None:
        deadline = time.monotonic() + 20
        while len(self.web.callbacks) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        statuses = []
        for headers, raw in self.web.callbacks:
            verify_webhook(SECRET, headers, raw)
            payload = json.loads(raw)
            _expect(
                payload["task_id"] == self.found["rabbit_id"],
                "a callback for another task",
            )
            statuses.append(payload["task_status"])
        _expect(statuses == ["submitted", "processing", "succeed"], f"callbacks {statuses}")

    def t2v_new(self) -> None:
        task = self._new_task(
            "/text-to-video/kling-3.0",
            {"prompt": "a train at night", "settings": {"duration": 5}},
        )
        _probe(self.new.download(task["outputs"][0]["url"]))

    def i2v_new(self, web: MediaServer) -> None:
        body = {"contents": [{"type": "prompt", "text": "the lighthouse at dusk"},
                             {"type": "first_frame", "url": web.add("/sq.png", "image/png", _png(1024, 1024))}],
                "settings": {"resolution": "720p", "duration": 5}}  # fmt: skip
        shape = _probe(
            self.new.download(self._new_task("/image-to-video/kling-3.0", body)["outputs"][0]["url"])
        )
        _expect(
            shape["width"] == shape["height"],
            f"the clip does not follow the square frame: {shape}",
        )

    def omni_new(self) -> None:
        body = {"contents": [{"type": "prompt", "text": "restyle it as watercolour"},
                             {"type": "video", "url": self.found["rabbit"]["url"], "refer_type": "feature"}],
                "settings": {"resolution": "720p", "duration": 5}}  # fmt: skip
        _probe(self.new.download(self._new_task("/omni-video/kling-3.0-omni", body)["outputs"][0]["url"]))

    def kling4(self) -> None:
        body = {"contents": [{"type": "prompt", "text": "the same scene, in snow"},
                             {"type": "feature_video", "url": self.found["rabbit"]["url"]}],
                "settings": {"duration": 5}}  # fmt: skip
        shape = _probe(self.new.download(self._new_task("/omni-video/kling-4.0", body)["outputs"][0]["url"]))
        _expect(shape["audio"] and abs(shape["seconds"] - 5) < 0.2, f"kling-4.0 {shape}")

    def try_on_new(self, web: MediaServer) -> None:
        body = {"contents": [{"type": "person_image", "url": web.add("/p2.png", "image/png", _png(600, 900))},
                             {"type": "product_image", "url": web.add("/s2.png", "image/png", _png(500, 500))}]}  # fmt: skip
        task = self._new_task("/solutions/virtual_try_on", body, query="/solutions")
        _image_size(self.new.download(task["outputs"][0]["url"]))

    def avatar(self, web: MediaServer) -> None:
        from klingkit.sandbox.render import render_audio  # the harness makes the user's own voice file

        body = {"image": web.add("/face.png", "image/png", _png(720, 1280)), "mode": "std",
                "sound_file": web.add("/hello.mp3", "audio/mpeg", render_audio(3.0, "hello")), "prompt": "smile"}  # fmt: skip
        shape = self._legacy_video("/v1/videos/avatar/image2video", body, "avatar")
        _expect(
            abs(shape["seconds"] - 3) < 0.2 and shape["audio"],
            f"the avatar does not follow its audio: {shape}",
        )

    def motion(self, web: MediaServer) -> None:
        body = {"model_name": "kling-v2-6", "image_url": web.add("/hero.png", "image/png", _png(720, 720)),
                "video_url": self.found["rabbit"]["url"], "mode": "std"}  # fmt: skip
        shape = self._legacy_video("/v1/videos/motion-control", body, "motion")
        _expect(abs(shape["seconds"] - 5) < 0.2, f"motion control does not follow the reference: {shape}")

    def motion_new(self, web: MediaServer) -> None:
        body = {"contents": [{"type": "image", "url": web.add("/hero2.png", "image/png", _png(720, 720))},
                             {"type": "video", "url": self.found["rabbit"]["url"]}],
                "settings": {"resolution": "720p"}}  # fmt: skip
        shape = _probe(
            self.new.download(self._new_task("/motion-control/kling-3.0", body)["outputs"][0]["url"])
        )
        _expect(abs(shape["seconds"] - 5) < 0.2, f"motion control does not follow the reference: {shape}")

    def listing(self) -> None:
        page = self.new.call("POST", "/tasks", {"limit": 50})
        listed = {t["id"]: t["status"] for t in page["result"]}
        _expect(
            all(listed.get(i) == "succeeded" for i in self.found["new_ids"]),
            f"listing {listed}",
        )


def _serve(command: str) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    proc = subprocess.Popen(
        [
            command,
            "sandbox",
            "serve",
            "--tls",
            "--json",
            "--port",
            "0",
            "--time-scale",
            "0",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return proc, json.loads(proc.stdout.readline())


def run(command: str) -> tuple[list[tuple[str, str | None]], int]:
    """Each flow's name and why it failed (None: it worked as Kling's docs say), and the number of HTTP
    requests the clients sent."""
    proc, info = _serve(command)
    saved = {name: os.environ.get(name) for name in info["trust_env"]}
    os.environ.update(info["trust_env"])  # the lines serve printed, pasted into the shell
    web = MediaServer()
    results: list[tuple[str, str | None]] = []
    try:
        with tempfile.TemporaryDirectory() as folder:
            check = Check(info, web, Path(folder))
            # The harness, not the client, turns on signed callbacks (A.12's test secret).
            check.legacy.http.post(f"{info['base_url']}/_sandbox/config", json={"webhook_secret": SECRET})
            for name, call in check.calls():
                try:
                    call()
                    results.append((name, None))
                except Exception as exc:  # every failure is counted and shown, not raised
                    results.append((name, f"{type(exc).__name__}: {exc}"[:300]))
                    traceback.print_exc(file=sys.stderr)
            check.legacy.close()
            requests = check.requests
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        web.close()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=15)
    return results, requests


def main() -> int:
    command = shutil.which("klingkit") or str(Path(sys.executable).with_name("klingkit"))
    results, requests = run(command)
    for name, why in results:
        print(f"{'ok    ' if why is None else 'FAILED'} {name}" + (f"\n       {why}" if why else ""))
    failed = sum(1 for _, why in results if why)
    print(f"{len(results)} flows ({requests} HTTP requests), {failed} failed for the sandbox's reasons")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
