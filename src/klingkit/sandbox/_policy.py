"""The sandbox's choices where the reference (kling-api.md) is silent or ambiguous.

Each entry says what the sandbox does, the section it rests on and how sure we are (H/M/L as in the
reference). Code that implements a choice names its key, so a reader can find the why from either side.
Facts the reference states plainly live in the catalog, not here.
"""

from __future__ import annotations

from klingkit.catalog import Decision

# Task-failure messages for inputs given by URL. The first is a real Kling message (§4, REAL); the others
# are ours, in Kling's style, because no captured example exists.
IMAGE_SPEC_MESSAGE = (
    "The resolution or aspect ratio of the input image is invalid. "
    "Please ensure it meets the required specifications."
)
UNREACHABLE_MESSAGE = "Failed to download the input file from the URL; please make sure the URL is accessible"
NOT_MEDIA_MESSAGE = "The input file format is not supported; please check the file behind the URL"
# Ours too, in the style of the real image message: a fetched video or audio outside the length rules.
LENGTH_MESSAGE = (
    "The duration of the input {kind} is invalid ({seconds:g} s; allowed {low:g}-{high:g} s). "
    "Please ensure it meets the required specifications."
)
TOO_LARGE_MESSAGE = "The input file is too large (over {limit} MB); please check the file behind the URL"
# A sandbox served beyond loopback does not fetch private addresses (see ``_fetch_net``).
PRIVATE_URL_MESSAGE = (
    UNREACHABLE_MESSAGE + " (this sandbox does not fetch loopback or private addresses: it listens beyond "
    "loopback; see klingkit sandbox serve --private-urls)"
)

CHOICES: dict[str, Decision] = {
    d.name: d
    for d in (
        Decision(
            "callback_before_terminal",
            "legacy callbacks carry every A.11 field on every status: final_unit_deduction '0' and an "
            "empty task_result list until the task succeeds; no watermark_info (A.11 lists none)",
            "A.11 (fields), §5 (a callback per status change)",
            "M",
        ),
        Decision(
            "webhook_id",
            "webhook-id is a random 19-digit number per message, the same for each retry of it",
            "§5, A.12 (plain numeric ids in both samples)",
            "M",
        ),
        Decision(
            "tryon_package_type",
            "billing[].package_type of a try-on task is 'image' (A.13 lists only video|image|audio; try-on "
            "is billed per image); /tasks filters still take product_type try_on (§2.13)",
            "A.13, §2.13, §7.2",
            "L",
        ),
        Decision(
            "double_slash",
            "repeated slashes in any path are read as one before routing",
            "none (community clients poll /kolors-virtual-try-on//{id} and get results)",
            "M",
        ),
        Decision(
            "concurrency_without_model",
            "tasks without a model (lip-sync, effects, expand, audio) share one count per pack type; "
            "each model version has its own count of the pack's limit",
            "§7.1 (per model version and pack type)",
            "M",
        ),
        Decision(
            "url_inputs",
            "image and video inputs given by http(s) URL are fetched when the task is created; a reachable "
            "image is used like the same bytes in base64 (i2v follows its size); an unreachable URL, an "
            "answer that is not an image/video, or an image outside the size rules makes the task fail "
            f"(created, then failed, not charged) with: {UNREACHABLE_MESSAGE!r} / {NOT_MEDIA_MESSAGE!r} / "
            f"{IMAGE_SPEC_MESSAGE!r}; a synchronous route (identify-face) refuses with 400/1201 instead",
            "§4 (the image message is real; the other two are ours), §2.0 (URL inputs)",
            "L",
        ),
        Decision(
            "url_video_length",
            "a lip-sync, identify-face or video-to-audio video_url that can be read sets the output's "
            "size and length (and lip-sync's per-5-second price) from the file",
            "§2.5 (0.5 unit per 5 s of video), §2.11",
            "M",
        ),
        Decision(
            "url_inputs_everywhere",
            "the same fetching on every route: the legacy ones, the 2026 model-in-path ones "
            "(contents[].url), the try-on solution, omni image_list/video_list, audio URLs, avatar, motion "
            "control, Image 4.0, recognition, multi-shot, custom elements and voices; a reachable file is "
            "used exactly like the same bytes sent as base64 (so it shapes the output: a first frame's "
            "aspect, a 4.0 input video's length, an avatar's audio, a motion reference's length); element "
            "references and voice samples keep their URLs (the library shows them) and are only checked",
            "§2.0 (URL or base64 for every media field), §2.14, §2.15",
            "M",
        ),
        Decision(
            "url_input_lengths",
            "a fetched video or audio whose length is outside the catalog's range for its field fails the "
            f"task like an out-of-spec image (not a 400 at create): {LENGTH_MESSAGE!r}; a base64 file "
            "outside the range is refused at create, as the catalog's rules say",
            "§7.4 (lengths), §4 (task-level failure for input specs)",
            "L",
        ),
        Decision(
            "private_urls",
            "input URLs on loopback, private, link-local or other non-global addresses are fetched only "
            "when the sandbox listens on loopback or is started with --private-urls; the sandbox's own "
            "result URLs are always fetched; each file is capped in size (the field's byte limit) and "
            "in time (60 s)",
            "none (real Kling cannot reach a user's private network either)",
            "H",
        ),
        Decision(
            "task_ids",
            "task ids are unique across sandbox states (fresh randomness) unless a seed is given",
            "§10 (18-digit numeric ids)",
            "H",
        ),
    )
}
