"""The library speaks Python and the API (``sound='on'``, ``image_tail``); the command line speaks flags.

This is the one table from a request field to the flag a person types, used to put refusals and
warnings in CLI words at the edge (the library's own messages stay in Python terms), and the search for
the exact command line that would work: candidate edits of the typed arguments (another model, another
mode, an allowed value, the flag left out) are each re-run offline as a dry run, and the first that
passes is printed as ``Try: klingkit ...``.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from collections.abc import Iterator, Sequence
from typing import Any

# request field -> the flag (or argument) that sets it; the first spelling is the one printed.
FLAGS: dict[str, tuple[str, ...]] = {
    "prompt": ("-p", "--prompt"),
    "negative_prompt": ("--negative",),
    "model_name": ("--model",),
    "model": ("--model",),
    "mode": ("-m", "--mode"),
    "resolution": ("-m", "--mode", "--resolution"),  # video commands say -m; image commands --resolution
    "duration": ("-d", "--duration"),
    "aspect_ratio": ("-r", "--ratio"),
    "cfg_scale": ("--cfg",),
    "camera_control": ("--camera",),
    "sound": ("--sound", "--no-sound"),
    "audio": ("--sound", "--no-sound"),
    "multi_shot": ("--multi-shot",),
    "shot_type": ("--multi-shot",),
    "image": ("-i", "--image"),
    "images": ("-i", "--image"),
    "image_tail": ("--tail",),
    "n": ("-n",),
    "image_reference": ("--ref-type",),
    "image_fidelity": ("--fidelity",),
    "video_id": ("VIDEO",),
    "video_url": ("VIDEO",),
    "text": ("--text",),
    "voice_id": ("--voice",),
    "voice_language": ("--language",),
    "voice_speed": ("--speed",),
    "audio_file": ("--audio",),
    "audio_url": ("--audio",),
    "effect_scene": ("SCENE",),
    "human_image": ("--person",),
    "person_image": ("--person",),
    "cloth_image": ("--garment",),
    "product_image": ("--garment",),
    "callback_url": ("--callback-url",),
    "base_url": ("--base-url",),
    "sound_effect_prompt": ("--sfx",),
    "bgm_prompt": ("--bgm",),
    "asmr_mode": ("--asmr",),
    "middle_frames": ("--frame",),
    "points": ("--point",),
    "sound_file": ("--audio",),
    "audio_id": ("--audio-id",),
    "refer_images": ("--ref",),
    "elements": ("--element",),
    "voices": ("--voice",),
    "feature_videos": ("--feature-video",),
    "base_video": ("--base-video",),
    "keep_original_sound": ("--keep-sound",),
    "character_orientation": ("--orientation",),
    "series_amount": ("--series",),
    "skill": ("--skill",),
    "style_image": ("--style",),
    "subject_image": ("--subject",),
    "up_expansion_ratio": ("--up",),
    "down_expansion_ratio": ("--down",),
    "left_expansion_ratio": ("--left",),
    "right_expansion_ratio": ("--right",),
}
# Flags that take no value (present or absent).
SWITCHES = {"--sound", "--no-sound", "--multi-shot", "--asmr", "--keep-sound"}
# Python spellings in library messages and what a person types instead.
_PHRASES = (
    (re.compile(r"\bsound='on'|\bsound=True|\baudio='native'"), "--sound"),
    (re.compile(r"\bsound='off'|\bsound=False|\baudio='off'"), "--no-sound"),
    (re.compile(r"\bmulti_shot=(?:True|true)"), "--multi-shot"),
    (re.compile(r"\bmulti_shot=(?:False|false)"), "no --multi-shot"),
    (re.compile(r"Kling\(api_key=\.\.\.\)"), "KLING_API_KEY"),
    (re.compile(r"\bpass feature=\S+"), "use the matching klingkit command"),
)
_ASSIGN = re.compile(r"\b([a-z][a-z_]*[a-z])=('[^']*'|\"[^\"]*\"|None|True|False|[\w.:-]+)")
_WORD = re.compile(r"\b([a-z]+_[a-z_]+)\b")


def flag(field: str) -> str:
    """The flag that sets ``field`` (``aspect_ratio`` -> ``-r/--ratio``), or the field itself."""
    base = field.split("[", 1)[0].split(".", 1)[0]
    spellings = FLAGS.get(base)
    if not spellings:
        return field
    if spellings[0] in ("VIDEO", "SCENE"):
        return spellings[0]
    if base in ("sound", "audio"):
        return "--sound"
    return (
        "/".join(spellings[:2])
        if spellings[0].startswith("-") and not spellings[0].startswith("--")
        else spellings[0]
    )


def cli_words(text: str) -> str:
    """``sound='on' ... image_tail`` -> ``--sound ... --tail``: a library message in CLI words."""
    for pattern, words in _PHRASES:
        text = pattern.sub(words, text)

    def assign(m: re.Match[str]) -> str:
        field, value = m.group(1), m.group(2)
        if field not in FLAGS:
            return m.group(0)
        if value == "None":
            return f"no {flag(field)}"
        return f"{flag(field)} {value.strip(chr(39) + chr(34))}"

    text = _ASSIGN.sub(assign, text)
    return _WORD.sub(lambda m: flag(m.group(1)) if m.group(1) in FLAGS else m.group(0), text)


def shown_value(field: str, value: Any, argv: Sequence[str]) -> str:
    """What the person typed for ``field`` (``--camera zoom_in``), else the value in CLI words."""
    spellings = FLAGS.get(field.split("[", 1)[0], ())
    for i, arg in enumerate(argv):
        for s in spellings:
            named = flag(field) if not s.startswith("--") else s  # -d 7 -> -d/--duration 7
            if arg == s and s in SWITCHES:
                return s
            if arg == s and i + 1 < len(argv):
                return f"{named} {shlex.quote(argv[i + 1])}"
            if arg.startswith(s + "="):
                return f"{named} {shlex.quote(arg[len(s) + 1 :])}"
    if value is None:
        return f"no {flag(field)}"
    if field in ("sound", "audio"):
        return "--sound" if value in ("on", "native", True) else "--no-sound"
    if field == "multi_shot":
        return "--multi-shot"
    shown = repr(value) if not isinstance(value, (int, float)) else f"{value:g}"
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return f"{flag(field)} {shown.strip(chr(39))}"


# --- the command line that would work ----------------------------------------------------------------


def _set(argv: list[str], spellings: Sequence[str], value: str | None) -> list[str]:
    """``argv`` with the option spelled ``spellings`` set to ``value`` (None: removed)."""
    out: list[str] = []
    skip = False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
            continue
        if arg in spellings:
            if arg not in SWITCHES and i + 1 < len(argv):
                skip = True
            continue
        if any(arg.startswith(s + "=") for s in spellings if s.startswith("--")):
            continue
        out.append(arg)
    if value is not None:
        out += [spellings[0]] if spellings[0] in SWITCHES and value == "" else [spellings[0], value]
    return out


def _candidates(
    argv: list[str], field: str, allowed: Any, suggestion: str, models: Sequence[str]
) -> Iterator[list[str]]:
    base = field.split("[", 1)[0].split(".", 1)[0]
    spellings = FLAGS.get(base, ())
    text = f"{allowed} {suggestion}"
    current = set(argv)
    for name in models:  # another model that allows it (named by the library's suggestion)
        if re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", text) and name not in current:
            yield _set(argv, ("--model",), name)
    for mode in re.findall(r"\bmode (std|pro|4k)\b", suggestion):
        yield _set(argv, ("-m", "--mode"), mode)
    if spellings and spellings[0].startswith("-") and spellings[0] not in SWITCHES:
        values = list(allowed) if isinstance(allowed, (list, tuple)) else re.findall(r"[\w.:]+", str(allowed))
        for v in values[:6]:
            yield _set(argv, spellings, str(v))
    if spellings and spellings[0].startswith("-"):
        yield _set(argv, spellings, None)
    for mode in ("pro", "std"):
        yield _set(argv, ("-m", "--mode"), mode)


_PROBING = False


def _works(args: list[str]) -> bool:
    """True when ``klingkit ARGS --dry-run`` passes (run in-process, offline, output discarded)."""
    global _PROBING
    from . import cli

    _PROBING = True
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            extra = [] if "--dry-run" in args else ["--dry-run"]
            cli.main(args=[*args, *extra, "-q"], prog_name="klingkit", standalone_mode=False)
    except SystemExit as exc:
        return exc.code in (0, None)
    except BaseException:
        return False
    finally:
        _PROBING = False
    return True


def working_command(field: str, allowed: Any, suggestion: str, models: Sequence[str]) -> str | None:
    """The typed command line, edited so that it passes validation, or None when none was found."""
    from ._globals import typed_argv

    argv = typed_argv()
    if _PROBING or not argv:
        return None
    tried: set[tuple[str, ...]] = set()
    for candidate in _candidates(argv, field, allowed, suggestion, models):
        key = tuple(candidate)
        if key in tried or candidate == argv or len(tried) >= 12:
            continue
        tried.add(key)
        if _works(candidate):
            return "klingkit " + shlex.join(candidate)
    return None
