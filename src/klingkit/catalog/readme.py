"""The README's tables of Kling limits, written from the catalog (so the README cannot state a limit the
code does not enforce).

The README marks each generated block with ``<!-- catalog:NAME -->`` ... ``<!-- /catalog:NAME -->``;
``python -m klingkit.catalog.readme README.md`` rewrites the blocks in place, ``--check`` only reports
(exit 1) when a block differs from what the catalog says; ``tests/catalog/test_readme_facts.py`` runs it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from . import _data as C
from . import _drive as drive
from . import _edit as edit
from . import _image4 as image4
from . import _kling4 as kling4
from . import _library as library
from . import _multishot as multishot
from ._models import MULTI_IMAGE_TO_VIDEO_MODELS, VIDEO_MODELS

__all__ = ["BLOCKS", "render", "rewrite"]


def _range(lo: float, hi: float, unit: str = "") -> str:
    return f"{lo:g}-{hi:g}{' ' + unit if unit else ''}"


def _join(items: Iterable[object], last: str = "or") -> str:
    words = [str(i) for i in items]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def _path(feature: str) -> str:
    ep = C.ENDPOINTS[feature]
    return f"`{ep.path}{'/{model}' if ep.model_in_path else ''}`"


def kling4_table() -> str:
    """Kling 4.0 and 4.0 Flash (kling-2026-h2.md §1)."""
    main, *others = kling4.MODELS.values()

    def durations(m: kling4.Kling4Model) -> str:
        return f"{_range(*m.durations, 's')}, {'/'.join(m.resolutions)}"

    other = "; ".join(f"{m.name}: {durations(m)}" for m in others)
    frames = f"one first frame, up to {main.keyframes_middle_max} middle frames, a last frame" + "".join(
        f" ({m.name}: the first frame only)"
        for m in others
        if not m.keyframes_middle_max and not m.keyframes_last
    )
    omni = (
        f"up to {kling4.OMNI_INPUTS_MAX} inputs besides the prompt: {kling4.OMNI_IMAGES_MAX} images, "
        f"{kling4.OMNI_VIDEOS_MAX} videos ({kling4.OMNI_BASE_VIDEOS_MAX} base video), "
        f"{kling4.OMNI_ELEMENTS_MAX} elements, {kling4.OMNI_VOICES_MAX} voices; every `@id` in the prompt "
        "must name an element or voice, and no id may start another (`@Zhang`/`@ZhangSan`)"
    )
    videos = (
        f"{_range(*kling4.VIDEO_SECONDS, 's')} each, {kling4.VIDEO_TOTAL_SECONDS:g} s in all, at least "
        f"{kling4.VIDEO_FPS_MIN:g} fps, {_range(*kling4.VIDEO_SIDE)} px a side"
    )
    routes = ", ".join(_path(f) for f in kling4.ROUTES.values())
    prompt = f"{kling4.PROMPT_MAX_ENGLISH:,} characters in English, {kling4.PROMPT_MAX_OTHER:,} otherwise"
    rows = [
        ("routes", f"{routes}, queried via `/tasks`", kling4.ROUTE_CONFIDENCE),
        (
            "durations",
            f"{durations(main)} ({other}); aspect {', '.join(kling4.ASPECT_RATIOS)}",
            kling4.CONFIDENCE,
        ),
        ("keyframes", frames, kling4.CONFIDENCE),
        ("omni", omni, kling4.CONFIDENCE),
        ("prompt", prompt, kling4.CONFIDENCE),
        (
            "audio",
            "always generated (every sandbox 4.0 video has a sound track); `keep_original_sound=True` "
            "keeps a base video's sound",
            kling4.CONFIDENCE,
        ),
        ("input videos", videos, kling4.CONFIDENCE),
        (
            f"no `{'`, no `'.join(kling4.REFUSED_OPTIONS)}`",
            "refused by the service (and by the sandbox); waits poll",
            kling4.CONFIDENCE,
        ),
        (
            "price",
            "per second of output by resolution; with video inputs per second of input + output, at "
            "least twice the output (rates: `klingkit models`; a run's estimate: `--dry-run`, `exact: false`)",
            kling4.PRICE_CONFIDENCE,
        ),
    ]
    return "\n".join(
        ["| fact | value | confidence |", "|---|---|---|", *(f"| {a} | {b} | {c} |" for a, b, c in rows)]
    )


def limits_table() -> str:
    """The other 2026-H2 routes and the legacy routes the README shows next to them."""
    orientation = "; ".join(
        f"{_range(*s, 's')} with `character_orientation={o}`" for o, s in drive.MOTION_VIDEO_SECONDS.items()
    )
    motion_models = ", ".join(f"{m.name} ({_path('motion-control-new' if m.route == 'new' else 'motion-control')})"
                              for m in drive.MOTION_MODELS.values())  # fmt: skip
    multi = VIDEO_MODELS_BY_NAME[MULTI_IMAGE_TO_VIDEO_MODELS[0]]
    rows = [
        (
            "avatar",
            f"audio {_range(*drive.AVATAR_AUDIO_SECONDS, 's')} (the video lasts as long), modes "
            f"{'/'.join(drive.AVATAR_MODES)}, prompt up to {drive.AVATAR_PROMPT_MAX} characters",
        ),
        (
            "motion control",
            f"models {motion_models}; reference video {orientation}; modes "
            + ", ".join(f"{k} ({v})" for k, v in drive.MOTION_MODES.items())
            + ", not at 4K",
        ),
        (
            "Image 4.0",
            f"n {_range(*image4.N_RANGE)}, resolution {'/'.join(image4.RESOLUTIONS)}, a series of "
            f"{_range(*image4.SERIES_AMOUNT)} images or `auto` (estimated at {image4.SERIES_AMOUNT[1]}), up to "
            f"{image4.REFERENCES_MAX} references and elements, prompt up to {image4.PROMPT_MAX_ENGLISH:,} "
            "characters in English",
        ),
        (
            "Long Image 4.0",
            f"skill {' or '.join(image4.SKILLS)} (ecommerce: "
            f"{_range(*image4.ECOMMERCE_REFS)} reference images)",
        ),
        (
            "multi-image to video",
            f"{_join(MULTI_IMAGE_TO_VIDEO_MODELS)}, up to {C.MULTI_IMAGE_VIDEO_MAX} "
            f"images, {_join(multi.durations)} s",
        ),
        (
            "image expand",
            f"each side {_range(C.EXPAND_RATIO_MIN, C.EXPAND_RATIO_MAX)} of the width or "
            f"height, at most {C.EXPAND_AREA_MAX:g}x the area",
        ),
        (
            "elements",
            f"name up to {library.NAME_MAX} characters, {_range(*library.ELEMENT_REFERENCES)} "
            f"reference images, type {', '.join(library.ELEMENT_TYPES)}; up to {library.DELETE_MAX} ids a delete",
        ),
        (
            "voices",
            f"a sample of {_range(*library.VOICE_SAMPLE_SECONDS, 's')}, name up to "
            f"{library.NAME_MAX} characters",
        ),
        (
            "multi-element editing",
            f"{_join(edit.MODELS)}, `edit_mode` {', '.join(edit.EDIT_MODES)}; up to "
            f"{edit.IMAGES_MAX} images, up to {edit.POINTS_MAX} points a step, {_join(edit.DURATIONS)} s, "
            f"{'/'.join(edit.MODES)}",
        ),
        ("AI multi-shot", f"one frontal image in, {multishot.VIEWS} pictures from other angles out"),
        ("task status", f"`/tasks` takes at most {C.TASKS_QUERY_IDS_MAX} ids a request"),
    ]
    return "\n".join(
        ["| route | limits (from the catalog) |", "|---|---|", *(f"| {a} | {b} |" for a, b in rows)]
    )


VIDEO_MODELS_BY_NAME = {m.name: m for m in VIDEO_MODELS}

BLOCKS: dict[str, Callable[[], str]] = {"kling4": kling4_table, "limits": limits_table}
"""Each generated README block: its name and the function that writes it from the catalog."""


def _pattern(marker: str) -> re.Pattern[str]:
    return re.compile(
        rf"(<!-- {marker}:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /{marker}:(?P=name) -->)", re.DOTALL
    )


Blocks = dict[str, Callable[[], str]]


def render(text: str, blocks: Blocks | None = None, marker: str = "catalog") -> str:
    """``text`` with every block marked ``<!-- MARKER:NAME -->`` replaced by what ``blocks[NAME]`` writes
    (by default the catalog's; unknown names: KeyError). ``klingkit.readme_defaults`` uses it too."""
    table = BLOCKS if blocks is None else blocks
    return _pattern(marker).sub(lambda m: m.group(1) + table[m.group("name")]() + "\n" + m.group(4), text)


def rewrite(path: Path, check: bool = False, blocks: Blocks | None = None, marker: str = "catalog") -> bool:
    """Rewrite ``path``'s blocks (or, with ``check``, only compare); True when it already matched."""
    text = path.read_text(encoding="utf-8")
    new = render(text, blocks, marker)
    if new != text and not check:
        path.write_text(new, encoding="utf-8")
    return new == text


def main(argv: list[str], blocks: Blocks | None = None, marker: str = "catalog") -> int:
    check = "--check" in argv
    paths = [Path(a) for a in argv if a != "--check"] or [Path("README.md")]
    stale = [p for p in paths if not rewrite(p, check, blocks, marker)]
    for p in stale:
        print(f"{p}: the {marker} blocks {'differ' if check else 'were rewritten'}", file=sys.stderr)
    return 1 if stale and check else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
