"""Camera paths for the sandbox renderer: which part of the scene each frame shows.

A path is a target offset/zoom/roll reached with an ease-in-out curve. Coordinates are "content pixels":
frame 0 shows exactly the content rectangle (0, 0)-(W, H); the scene canvas extends beyond it by a margin
(computed here from the path) so moving or zooming out never reveals empty space. The sign conventions
are documented in :mod:`klingkit.sandbox.render`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from ._render_planes import Planes

SIMPLE_AXES = ("horizontal", "vertical", "pan", "tilt", "roll", "zoom")
PRESETS = ("down_back", "forward_up", "right_turn_forward", "left_turn_forward")

# Full-strength (|value| = 10) magnitudes of the simple axes.
_SHIFT = 0.2  # fraction of the frame width/height the content travels
_ZOOM = math.log(1.5)  # zoom factor 1.5x in (or the view widening 1.5x out)
_TURN_SCALE = math.log(1.06)  # the slight magnification that stands in for pan/tilt perspective
_ROLL_DEG = 25.0


@dataclass(frozen=True)
class Move:
    """End state of a camera move, reached at t = 1.

    dx, dy: how far the view centre travels, as fractions of the frame width/height (+x right, +y down).
    log_zoom: natural log of the final magnification (> 0 zooms in).
    roll_deg: clockwise on-screen rotation of the content, degrees.
    """

    dx: float = 0.0
    dy: float = 0.0
    log_zoom: float = 0.0
    roll_deg: float = 0.0

    @property
    def is_still(self) -> bool:
        return self.dx == 0 and self.dy == 0 and self.log_zoom == 0 and self.roll_deg == 0


@dataclass(frozen=True)
class View:
    """The view at one instant: centre (content px), magnification and clockwise roll (degrees)."""

    cx: float
    cy: float
    zoom: float
    roll_deg: float


def move_for(kind: str, config: Mapping[str, float] | None) -> Move:
    """Translate a Kling camera_control type/config into a Move (see the module docs for signs)."""
    if kind == "simple":
        cfg = dict(config or {})
        unknown = set(cfg) - set(SIMPLE_AXES)
        if unknown:
            raise ValueError(f"unknown camera axes: {sorted(unknown)}")

        def axis(name: str) -> float:
            return max(-10.0, min(10.0, float(cfg.get(name) or 0.0))) / 10.0

        h, v, pan, tilt, roll, zoom = (axis(n) for n in SIMPLE_AXES)
        # Kling allows exactly one non-zero axis; we add them up so combinations still behave sensibly.
        return Move(
            # Camera right (or yawing right) => view centre moves right => content slides left.
            dx=_SHIFT * (h + pan),
            # Camera up (or pitching up) => view centre moves up (-y) => content slides down.
            dy=-_SHIFT * (v + tilt),
            log_zoom=_ZOOM * zoom + _TURN_SCALE * (abs(pan) + abs(tilt)),
            roll_deg=_ROLL_DEG * roll,
        )
    if kind == "down_back":
        return Move(dy=0.15, log_zoom=-math.log(1.35))
    if kind == "forward_up":
        return Move(dy=-0.15, log_zoom=math.log(1.35))
    if kind == "right_turn_forward":
        return Move(dx=0.2, log_zoom=math.log(1.3))
    if kind == "left_turn_forward":
        return Move(dx=-0.2, log_zoom=math.log(1.3))
    raise ValueError(f"unknown camera type {kind!r}; expected 'simple' or one of {PRESETS}")


def ease(t: float) -> float:
    """Smoothstep: starts and stops gently, 0 -> 0 and 1 -> 1."""
    t = min(1.0, max(0.0, t))
    return t * t * (3.0 - 2.0 * t)


class CameraPath:
    """Views along a Move for a width x height output, plus the canvas margin that path needs."""

    def __init__(self, move: Move, width: int, height: int) -> None:
        self.move = move
        self.width = width
        self.height = height
        self.margin = self._margin()

    def view(self, t: float) -> View:
        """View at normalised time t in [0, 1] (0 = first frame, 1 = last frame)."""
        e = ease(t)
        m = self.move
        return View(
            cx=self.width * (0.5 + m.dx * e),
            cy=self.height * (0.5 + m.dy * e),
            zoom=math.exp(m.log_zoom * e),
            roll_deg=m.roll_deg * e,
        )

    def _corners(self, view: View) -> list[tuple[float, float]]:
        """Content coordinates seen at the four corners of the output frame."""
        cos = math.cos(math.radians(view.roll_deg)) / view.zoom
        sin = math.sin(math.radians(view.roll_deg)) / view.zoom
        out = []
        for px in (-self.width / 2, self.width / 2):
            for py in (-self.height / 2, self.height / 2):
                out.append((view.cx + cos * px + sin * py, view.cy - sin * px + cos * py))
        return out

    def _margin(self) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) pixels of scene needed outside the content rectangle, even values."""
        if self.move.is_still:
            return (0, 0, 0, 0)
        xs: list[float] = []
        ys: list[float] = []
        # The extremes of a rotate+zoom+shift path are not always at the ends, so sample it.
        for i in range(33):
            for x, y in self._corners(self.view(i / 32)):
                xs.append(x)
                ys.append(y)

        def need(v: float) -> int:
            px = max(0, math.ceil(v) + 2)
            return px + px % 2

        return (need(-min(xs)), need(-min(ys)), need(max(xs) - self.width), need(max(ys) - self.height))

    def render(self, canvas: Planes, t: float) -> Planes:
        """Frame at time t from a canvas laid out as margin + content (a new Planes object)."""
        left, top = self.margin[0], self.margin[1]
        view = self.view(t)
        w, h = self.width, self.height
        if abs(view.roll_deg) < 1e-6:
            # Axis-aligned: PIL's separable resize with a sub-pixel box is ~3x faster than a transform.
            hw, hh = w / (2 * view.zoom), h / (2 * view.zoom)
            x0 = min(max(0.0, view.cx - hw + left), canvas.width - 2 * hw)
            y0 = min(max(0.0, view.cy - hh + top), canvas.height - 2 * hh)
            return canvas.view_box((x0, y0, x0 + 2 * hw, y0 + 2 * hh), w, h)
        cos = math.cos(math.radians(view.roll_deg)) / view.zoom
        sin = math.sin(math.radians(view.roll_deg)) / view.zoom
        # Output pixel (x, y) shows content centre + R^T * (x - w/2, y - h/2) / zoom; see _corners.
        a, b, d, e = cos, sin, -sin, cos
        c = view.cx + left - (a * w / 2 + b * h / 2)
        f = view.cy + top - (d * w / 2 + e * h / 2)
        return canvas.view_affine((a, b, c, d, e, f), w, h)
