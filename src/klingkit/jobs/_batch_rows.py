"""Batch input: reading JSONL/CSV rows, turning them into ``prepare`` calls, ids and validation.

Pure except for reading the batch file (and whatever ``klingkit.prepare`` reads for media inputs).
Row numbers are 1-based and count jobs, not file lines: row 1 is the first job (the first JSONL object,
or the first CSV line after the header).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import catalog
from ..errors import BatchInputError

if TYPE_CHECKING:
    from .. import RequestSpec

__all__ = [
    "KINDS",
    "BatchInputError",
    "BatchPlan",
    "PlannedRow",
    "Row",
    "RowError",
    "attempt_of",
    "base_of",
    "batch_id_for",
    "external_id_for",
    "parse_rows",
    "plan_batch",
    "row_key",
    "row_request",
]

EXTERNAL_ID_PREFIX = "kkb-"

# Row ``kind`` -> catalog feature: the catalog's one table of feature words (``catalog.feature_for``;
# ``video`` becomes image-to-video when the row has an ``image``). A row may instead name a catalog
# feature directly in ``feature``.
KINDS: dict[str, str] = catalog.FEATURE_WORDS

# People's column names -> the API field names ``prepare`` takes.
ALIASES: dict[str, str] = {
    "model": "model_name",
    "ratio": "aspect_ratio",
    "aspect": "aspect_ratio",
    "negative": "negative_prompt",
    "end_image": "image_tail",
    "tail_image": "image_tail",
    "camera": "camera_control",
    "cfg": "cfg_scale",
}
# Columns that are about the batch, not the request.
_META = frozenset({"kind", "feature", "output", "name", "out", "row", "id"})
_NUMERIC = frozenset(
    {"duration", "n", "cfg_scale", "image_fidelity", "human_fidelity", "voice_speed", "seed"}
)
# Columns holding a media input: a relative path in them is relative to the batch file.
_MEDIA_COLUMNS = frozenset({
    "image", "image_tail", "video_url", "audio_file", "sound_file", "human_image", "cloth_image",
    "person_image", "product_image", "scene_image", "style_image", "mask", "static_mask",
})  # fmt: skip
_NAME_OK = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Row:
    """One job of a batch file: its 1-based ``index``, the raw fields and the file's directory."""

    index: int
    fields: dict[str, Any]
    base_dir: Path


@dataclass(frozen=True)
class RowError:
    """Why a row cannot run: its 1-based row number, the field at fault (if known) and the reason."""

    index: int
    message: str
    field: str | None = None

    def __str__(self) -> str:
        where = f" ({self.field})" if self.field else ""
        return f"row {self.index}{where}: {self.message}"


@dataclass(frozen=True)
class PlannedRow:
    """A validated row: the request spec (external id set), the output file stem and the estimate."""

    index: int
    feature: str  # the catalog feature of the route the row is sent to (``text-to-video`` for kling-2.6)
    spec: RequestSpec
    name: str
    units: float
    usd: float
    pack: str
    exact: bool


@dataclass
class BatchPlan:
    """Every row validated and priced. ``errors`` lists the rows that cannot run (nothing is sent then)."""

    batch_id: str
    source: str
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def units(self) -> dict[str, float]:
        """Estimated units per resource pack (``{"video": 12.0, "image": 3.0}``)."""
        out: dict[str, float] = {}
        for r in self.rows:
            out[r.pack] = round(out.get(r.pack, 0.0) + r.units, 4)
        return out

    @property
    def usd(self) -> float:
        """Estimated cost of the whole batch in US dollars at list price."""
        return round(sum(r.usd for r in self.rows), 4)

    @property
    def exact(self) -> bool:
        """False when any row's price had to be guessed."""
        return all(r.exact for r in self.rows)


def _cell(key: str, value: str) -> Any:
    text = value.strip()
    if text == "":
        return None
    if text[0] in "[{":
        try:
            return json.loads(text)
        except ValueError:
            return text
    if key in _NUMERIC:
        try:
            return int(text)
        except ValueError:
            try:
                return float(text)
            except ValueError:
                return text
    if text.lower() in ("true", "false") and key not in ("prompt", "negative_prompt", "text"):
        return text.lower() == "true"
    return text


def parse_rows(content: bytes, *, base_dir: Path, fmt: str | None = None) -> list[Row]:
    """Rows from a batch file's bytes. ``fmt`` is ``jsonl`` or ``csv``; guessed from the content if None.

    Raises :class:`BatchInputError` when the file is neither, or has no rows. A JSONL line that is not a
    JSON object becomes a row whose ``fields`` hold ``{"__error__": reason}`` so that every problem is
    reported together.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BatchInputError(f"the batch file is not UTF-8 text: {exc}") from None
    if fmt is None:
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        fmt = "jsonl" if first.startswith("{") else "csv"
    rows: list[Row] = []
    if fmt == "jsonl":
        for line in text.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            index = len(rows) + 1
            try:
                obj = json.loads(line)
            except ValueError as exc:
                rows.append(Row(index, {"__error__": f"not valid JSON: {exc}"}, base_dir))
                continue
            if not isinstance(obj, dict):
                rows.append(Row(index, {"__error__": "a JSONL row must be a JSON object"}, base_dir))
                continue
            rows.append(Row(index, {str(k): v for k, v in obj.items() if v is not None}, base_dir))
    elif fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames:
            raise BatchInputError("the CSV batch file has no header row")
        for record in reader:
            if not any((v or "").strip() for v in record.values() if isinstance(v, str)):
                continue
            cells = {
                k.strip(): _cell(k.strip(), v)
                for k, v in record.items()
                if k is not None and isinstance(v, str)
            }
            rows.append(Row(len(rows) + 1, {k: v for k, v in cells.items() if v is not None}, base_dir))
    else:
        raise BatchInputError(f"unknown batch format {fmt!r} (expected jsonl or csv)")
    if not rows:
        raise BatchInputError("the batch file has no rows")
    return rows


def batch_id_for(name: str, *, target: str = "") -> str:
    """The batch id: a hash of the batch's name (the file's resolved path, or ``--name``) and its target.

    ``target`` says which account the tasks live in: the API base URL, or ``sandbox:<state file>`` for
    the embedded sandbox (whose port changes on every run). The file's bytes are deliberately left out:
    editing a file must not start a new batch, because each row is identified by what it asks for
    (:func:`row_key`), not by its position or by the rest of the file.
    """
    h = hashlib.sha256(b"klingkit-batch/2\0")
    h.update(name.encode("utf-8", "surrogatepass"))
    h.update(b"\0" + target.rstrip("/").encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


_VOLATILE = frozenset({"external_task_id", "callback_url"})  # how a request is tracked, not what it asks


def _normalised(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _normalised(v) for k, v in value.items() if k not in _VOLATILE and v is not None}
    if isinstance(value, (list, tuple)):
        return [_normalised(v) for v in value]
    return value


def row_key(spec: Any, explicit_id: Any = None, occurrence: int = 1) -> str:
    """16 hex digits naming what a row asks for: the route and the request body it sends (external id
    and callback URL left out), plus the row's optional ``id`` column. ``occurrence`` tells identical
    rows apart (the second identical row is a second task)."""
    body = getattr(spec, "body", None) or getattr(spec, "params", None) or {}
    doc = {
        "route": getattr(spec, "path", None) or getattr(spec, "feature", None),
        "body": _normalised(body),
        "id": None if explicit_id is None else str(explicit_id),
        "n": occurrence,
    }
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def external_id_for(batch_id: str, key: str | int, attempt: int = 1) -> str:
    """The ``external_task_id`` of a row's ``attempt``: ``kkb-<batch12>-<row key>`` then ``-a2``, ``-a3``."""
    base = f"{EXTERNAL_ID_PREFIX}{batch_id[:12]}-{key}"
    return base if attempt <= 1 else f"{base}-a{attempt}"


def attempt_of(external_id: str) -> int:
    """The attempt number encoded in a batch external id (1 when it has no ``-aN`` suffix)."""
    m = re.search(r"-a(\d+)$", external_id)
    return int(m.group(1)) if m else 1


def base_of(external_id: str) -> str:
    """A batch external id without its ``-aN`` attempt suffix (the row's identity)."""
    return re.sub(r"-a\d+$", "", external_id)


def _resolve_media(value: Any, base_dir: Path) -> Any:
    if isinstance(value, str) and not re.match(r"^[a-z][a-z0-9+.-]*://", value) and len(value) < 4096:
        p = Path(value).expanduser()
        if not p.is_absolute():
            candidate = base_dir / p
            if candidate.exists():
                return str(candidate)
    return value


def row_request(
    row: Row, *, callback_url: str | None = None, defaults: Mapping[str, str] | None = None
) -> tuple[str, dict[str, Any], str]:
    """``(feature, params, output name)`` for a row; ValueError with the reason when it cannot be mapped.

    ``kind`` (``video``, ``image``, ``audio``, ``extend``, ...; see :data:`KINDS`) or ``feature`` picks
    the endpoint; column aliases (``model``, ``ratio``, ``camera``, ``end_image``) become API fields; a
    ``camera`` preset name becomes its ``camera_control``; relative media paths are resolved against the
    batch file's directory. Every other column is passed to ``prepare`` unchanged. ``defaults`` maps a
    feature to the model a row without ``model`` gets (the CLI passes its single commands' defaults, so
    a row and the matching command make the same thing).
    """
    data = dict(row.fields)
    if "__error__" in data:
        raise ValueError(str(data["__error__"]))
    feature = data.get("feature")
    if feature is None:
        kind = str(data.get("kind") or ("video" if "prompt" in data else "")).strip().lower()
        if not kind:
            raise ValueError("the row has no kind (video, image, audio, ...) and no prompt")
        image = data.get("image") or data.get("image_url")
        feature = catalog.feature_for(kind, {**data, "image": image})
        if feature is None:
            raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(sorted(KINDS))}")
    feature = str(feature)
    if feature not in catalog.ENDPOINTS:
        raise ValueError(f"unknown feature {feature!r}")
    name = str(data.get("output") or data.get("name") or f"row-{row.index:04d}")
    name = _NAME_OK.sub("_", Path(name).stem if "." in Path(name).name else name).strip("._") or (
        f"row-{row.index:04d}"
    )
    params: dict[str, Any] = {}
    for key, value in data.items():
        if key in _META:
            continue
        key = ALIASES.get(key, key)
        if key == "image_url" and feature in ("image2video", "images/generations"):
            key = "image"
        if key == "camera_control" and isinstance(value, str):
            preset = catalog.CAMERA_PRESETS.get(value)
            if preset is None:
                raise ValueError(
                    f"unknown camera preset {value!r}; use one of {', '.join(sorted(catalog.CAMERA_PRESETS))}"
                )
            value = json.loads(json.dumps(preset))
        if key in _MEDIA_COLUMNS:
            value = _resolve_media(value, row.base_dir)
        params[key] = value
    if defaults and feature in defaults and "model_name" not in params:
        params["model_name"] = defaults[feature]
    if callback_url:
        params["callback_url"] = callback_url
    return feature, params, name


def plan_batch(
    rows: list[Row],
    *,
    batch_id: str,
    source: str,
    prepare: Callable[..., RequestSpec],
    callback_url: str | None = None,
    defaults: Mapping[str, str] | None = None,
) -> BatchPlan:
    """Validate and price every row with ``prepare`` (``klingkit.prepare``); collect *all* errors.

    Two rows that would write the same output name get ``-<row>`` appended to the later one.
    """
    plan = BatchPlan(batch_id=batch_id, source=source)
    names: set[str] = set()
    seen: dict[str, int] = {}
    for row in rows:
        try:
            feature, params, name = row_request(row, callback_url=callback_url, defaults=defaults)
        except ValueError as exc:
            plan.errors.append(RowError(row.index, str(exc)))
            continue
        try:
            spec = prepare(feature, **params)
        except Exception as exc:  # ValidationError, or a media file that cannot be read
            plan.errors.append(RowError(row.index, _one_line(exc), getattr(exc, "field", None)))
            continue
        if name in names:
            name = f"{name}-{row.index}"
        names.add(name)
        first = row_key(spec, row.fields.get("id"))
        seen[first] = seen.get(first, 0) + 1
        key = first if seen[first] == 1 else row_key(spec, row.fields.get("id"), seen[first])
        spec = spec.with_external_id(external_id_for(batch_id, key))
        est = spec.estimate
        plan.rows.append(
            PlannedRow(
                index=row.index,
                feature=str(getattr(spec, "feature", None) or feature),
                spec=spec,
                name=name,
                units=float(est.units),
                usd=float(est.usd),
                pack=str(est.pack),
                exact=bool(est.exact),
            )
        )
        plan.warnings.extend(f"row {row.index}: {w}" for w in getattr(spec, "warnings", []) or [])
    return plan


def _one_line(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return " ".join(text.split())
