"""``--camera``: a catalog preset, a built-in camera type, ``axis=value`` pairs or a JSON object.

The result is the API's ``camera_control`` object. Whether the chosen model may take it (and whether the
values are in range) is the library's validation, which names the models that can.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from klingkit import catalog

from ._exit import CLIError, ExitCode


def camera_help() -> str:
    """A one-paragraph description of what ``--camera`` accepts, from the catalog."""
    types = catalog.CAMERA_TYPES[1:]
    presets = ", ".join(p for p in catalog.CAMERA_PRESETS if p not in types)
    axes = ", ".join(catalog.CAMERA_AXES)
    return (
        f"Camera move: a preset ({presets}), a built-in type ({', '.join(types)}), "
        f"AXIS=VALUE for a simple move (axes {axes}; "
        f"{catalog.CAMERA_AXIS_MIN:g}..{catalog.CAMERA_AXIS_MAX:g}; one non-zero axis), or a JSON "
        "camera_control object."
    )


def _refuse(value: str, why: str, suggestion: str = "") -> CLIError:
    hint = suggestion or "see `klingkit video --help` for the presets"
    return CLIError(
        f"invalid camera={value!r}: {why}", exit_code=ExitCode.USAGE, type="ValidationError", hint=hint
    )


def parse_camera(value: str) -> tuple[dict[str, Any], str]:
    """``value`` -> (camera_control dict, a short description of what will be sent)."""
    text = value.strip()
    if text.startswith("{"):
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _refuse(value, f"not valid JSON ({exc.msg})") from None
        if not isinstance(obj, dict) or "type" not in obj:
            raise _refuse(
                value, 'a JSON camera needs a "type" key', '{"type": "simple", "config": {"zoom": 5}}'
            )
        return obj, describe_camera(obj)
    if "=" in text:
        config: dict[str, float] = {}
        for part in text.replace(";", ",").split(","):
            if not part.strip():
                continue
            axis, sep, raw = part.partition("=")
            axis = axis.strip().lower()
            if not sep or axis not in catalog.CAMERA_AXES:
                close = difflib.get_close_matches(axis, catalog.CAMERA_AXES, n=1)
                raise _refuse(
                    value,
                    f"unknown axis {axis!r} (axes: {', '.join(catalog.CAMERA_AXES)})",
                    f"did you mean {close[0]}=...?" if close else "",
                )
            try:
                config[axis] = float(raw)
            except ValueError:
                raise _refuse(value, f"{axis} needs a number, got {raw.strip()!r}") from None
        obj = {"type": "simple", "config": config}
        return obj, describe_camera(obj)
    name = text.lower().replace("-", "_")
    if name in catalog.CAMERA_PRESETS:
        obj = json.loads(json.dumps(catalog.CAMERA_PRESETS[name]))  # a copy
        return obj, f"{describe_camera(obj)} (preset {name})"
    if name == "simple":
        raise _refuse(
            value, "the simple type needs an axis", "use e.g. --camera zoom=5 or a preset such as zoom_in"
        )
    close = difflib.get_close_matches(name, [*catalog.CAMERA_PRESETS, *catalog.CAMERA_AXES], n=3)
    raise _refuse(
        value,
        "not a preset, a camera type, AXIS=VALUE or JSON",
        f"did you mean {' or '.join(close)}?" if close else "",
    )


def describe_camera(obj: dict[str, Any]) -> str:
    """``{"type": "simple", "config": {"zoom": 5}}`` -> ``simple zoom=5``."""
    config = obj.get("config") or {}
    moves = " ".join(
        f"{k}={v:g}" if isinstance(v, (int, float)) else f"{k}={v}" for k, v in config.items() if v
    )
    return f"{obj.get('type')}{' ' + moves if moves else ''}"
