"""Output files (``/_cdn``): no credentials, like Kling's CDN; optional expiring signed URLs; byte ranges
for resumed downloads."""

from __future__ import annotations

import hmac
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ._http import state_of
from ._outputs import EXTENSIONS
from ._tasks import SUCCEEDED, OutputFile


async def _cdn(request: Request) -> Response:
    """Output files: no credentials (like Kling's CDN), byte ranges for resumed downloads."""
    sb = state_of(request)
    name = request.path_params["name"]
    file_id, _, ext = name.rpartition(".")
    expires = request.query_params.get("expires")
    if expires is not None or sb.config.url_ttl is not None:
        sig = request.query_params.get("sig", "")
        try:
            deadline = int(expires or "")
        except ValueError:
            return Response("Forbidden: this URL needs a valid signature", status_code=403)
        if not hmac.compare_digest(sig, sb.url_signature(name, deadline)):
            return Response("Forbidden: bad URL signature", status_code=403)
        if sb.clock() > deadline:
            return Response(
                "Forbidden: this URL has expired; query the task again for a fresh one", status_code=403
            )
    watermark = file_id.endswith("-wm")
    found = sb.store.find_output(file_id.removesuffix("-wm"))
    if found is None:
        return Response("Not Found", status_code=404)
    task, output = found
    now = sb.now_ms()

    if task.status_at(now) != SUCCEEDED or ext not in EXTENSIONS[output.kind]:
        return Response("Not Found", status_code=404)
    if sb.expired(task, now):
        sb.media.remove(output.id)
        return Response("Not Found: outputs are cleared after the retention period", status_code=404)

    def find(output_id: str) -> OutputFile | None:
        hit = sb.store.find_output(output_id)
        return hit[1] if hit else None

    path = await run_in_threadpool(sb.media.ensure, output, ext, watermark, find)
    return _file_response(request, path, ext)


_MEDIA_TYPES = {"mp4": "video/mp4", "png": "image/png", "mp3": "audio/mpeg", "wav": "audio/wav"}


def _file_response(request: Request, path: Path, ext: str) -> Response:
    data_size = path.stat().st_size
    headers = {"accept-ranges": "bytes", "content-type": _MEDIA_TYPES[ext]}
    start, end = 0, data_size - 1
    ranged = request.headers.get("range")
    status = 200
    if ranged:
        unit, _, spec = ranged.partition("=")
        first, _, last = spec.partition("-")
        try:
            if unit.strip() != "bytes" or "," in spec:
                raise ValueError
            if first:
                start, end = int(first), int(last) if last else data_size - 1
            else:
                start, end = max(0, data_size - int(last)), data_size - 1
        except ValueError:
            start, end = 0, data_size - 1
        else:
            if start >= data_size or start > end:
                return Response(status_code=416, headers={"content-range": f"bytes */{data_size}"})
            end = min(end, data_size - 1)
            status = 206
            headers["content-range"] = f"bytes {start}-{end}/{data_size}"
    if request.method == "HEAD":
        headers["content-length"] = str(end - start + 1)
        return Response(status_code=status, headers=headers)
    with path.open("rb") as fh:
        fh.seek(start)
        body = fh.read(end - start + 1)
    return Response(body, status_code=status, headers=headers)


def routes() -> list[Route]:
    """``GET``/``HEAD /_cdn/{name}``."""
    return [Route("/_cdn/{name}", _cdn, methods=["GET", "HEAD"])]
