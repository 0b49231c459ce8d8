"""Where a client and a server may differ, and the choices we made where the reference is silent.

A :class:`Policy` is a *named* difference between klingkit's client and a Kling server (the sandbox plays
the server): the client's side exists to help a person before money is spent, the server's side is what
Kling does. Nothing else may differ: the agreement suite (``tests/contract``) sends the same generated
requests through both and fails on any difference that no policy names.

A :class:`Decision` records how we settled a rule on which the client and the sandbox once disagreed
(the "drifts"), with the reference section it follows and how sure we are (H/M/L as in the reference).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Policy:
    """A deliberate client/server difference: what each side does, and why."""

    name: str
    client: str
    server: str
    why: str


@dataclass(frozen=True)
class Decision:
    """How one formerly drifting rule is settled: the choice, its source and our confidence (H/M/L)."""

    name: str
    choice: str
    source: str
    confidence: str


UNKNOWN_NAME = "unknown-name"
UNDOCUMENTED_FIELD = "undocumented-field"
SERVER_STATE = "server-state"

POLICIES: dict[str, Policy] = {
    p.name: p
    for p in (
        Policy(
            UNKNOWN_NAME,
            client="warns and sends (strict=True refuses)",
            server="refuses: 404/1203 for a model, 400/1201 for a voice",
            why="Kling ships models and voices faster than klingkit releases; the client must not block "
            "a name the service already knows, while a server only serves what it has",
        ),
        Policy(
            UNDOCUMENTED_FIELD,
            client="refuses, naming the endpoint's parameters (a typo guard)",
            server="ignores the field",
            why="a misspelt parameter silently ignored costs money; servers tolerate extra JSON fields",
        ),
        Policy(
            SERVER_STATE,
            client="cannot check (it does not know the source video's model or length, or a session)",
            server="refuses: an unknown id, an expired session, audio past the video's end, extending a "
            "video whose model has no extension",
            why="only the server holds the task history these rules read",
        ),
    )
}

# The seven drifts of issue 9 and the rules issue 10 asked to settle, each decided once.
DECISIONS: dict[str, Decision] = {
    d.name: d
    for d in (
        Decision(
            "cfg_scale",
            "accepted on every video model in [0, 1]; the client warns that kling-v2.x and later ignore it",
            "§2.1/§2.2: 'kling-v2.x models do not support' says which models use it, not that others refuse; "
            "common clients send 0.5 on every model",
            "M",
        ),
        Decision(
            "omni-o1-short-durations",
            "kling-video-o1 with text or first-frame-only input takes 5 or 10 s, on the legacy and 2026 "
            "routes alike",
            "§2.14 'T2V & first-frame only 5/10'; observed 1201 'Duration only supports 5 or 10 seconds "
            "when no refer_image is provided'",
            "H",
        ),
        Decision(
            "series_amount",
            "accepted with any result_type; without result_type='series' it is ignored (the client warns)",
            "§2.14 lists series_amount 2-9|auto for series; silent on single",
            "M",
        ),
        Decision(
            "text-to-audio-duration",
            "3.0 to 10.0 s with at most one decimal, refused otherwise on both sides",
            "§2.11: 'duration float req 3.0-10.0 (1 decimal)'",
            "H",
        ),
        Decision(
            UNKNOWN_NAME,
            "the unknown-name policy: the client warns and sends, a server refuses",
            "§2.0 (unknown model -> 1203/404 plausible, §10)",
            "M",
        ),
        Decision(
            "omni-image-series-price",
            "a series is billed per image produced; with series_amount auto (the default) the estimate is "
            "the 9-image maximum and marked inexact, the sandbox produces and bills 4",
            "§7.1 'image = n (omni series auto = actual count)'; §2.14 series_amount 2-9|auto",
            "M",
        ),
        Decision(
            "advanced-lip-sync-faces",
            "face_choose takes exactly one face",
            "§2.5b: 'face_choose req array (currently 1 face)'",
            "H",
        ),
        Decision(
            "fidelity",
            "image_fidelity and human_fidelity are accepted on every image model and with any "
            "image_reference; the client warns where they have no effect",
            "§2.7: 'only kling-v2-1' / 'only when image_reference=subject' describe use, not refusal "
            "(issue 10: clients send 0.5 by default and Kling serves them)",
            "M",
        ),
        Decision(
            "video-extend",
            "extension is priced (2.0 std, 3.5 pro) and accepted only for videos of kling-v1, kling-v1-5 "
            "and kling-v1-6; others are refused by the server (server-state policy)",
            "§7.2 'extension v1/v1-5/v1-6 (per call)'; §6.1 lists extend under kling-v1",
            "M",
        ),
        Decision(
            "retired-effects",
            "the 2025 two-person scenes (hug, kiss, heart_gesture, fight) are refused since 2026-01-30",
            "§2.6: retired 2026-01-30, replaced by the *_pro scenes",
            "M",
        ),
        Decision(
            "image-elements",
            "element_list on images/generations only for models with elements (kling-v3), on both sides",
            "§6.2: elements listed for kling-v3 only",
            "L",
        ),
        Decision(
            "feature-words",
            "a catalog endpoint key names its route (text-to-video is the 2026 route and takes 2026 models "
            "only); any other word (text_to_video, video, lipsync...) names what to make and the model "
            "picks the route; the same in prepare, batch rows and the CLI (catalog.feature_for)",
            "the reference names routes, not words; chosen so a word means one thing everywhere",
            "M",
        ),
        Decision(
            "voice-control-price",
            "a video with voice_list is billed at the voice-control rate (kling-v2-6 pro 1.2 units/s)",
            "§7.2 'kling-v2-6 ... audio+voice 1.2'",
            "H",
        ),
        Decision(
            "estimates-never-under-count",
            "a model the catalog does not know is quoted at UNKNOWN_MODEL_PRICES (per second of video, per "
            "image) and never called exact; a length or count only the server learns (a URL's audio or "
            "video, an auto series) is quoted at the most the rules allow, marked inexact; a server prices "
            "what it measured. Stated once, in the pricer (catalog.prices)",
            "§7.2 prices listed models only; the fallback rates are the legacy video rows' top silent rate "
            "and the omni image rate",
            "L",
        ),
    )
}

# Models whose videos video-extend accepts (§7.2 prices extension for these only).
EXTENDABLE_MODELS = ("kling-v1", "kling-v1-5", "kling-v1-6")
