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
            "task_ids",
            "task ids are unique across sandbox states (fresh randomness) unless a seed is given",
            "§10 (18-digit numeric ids)",
            "H",
        ),
    )
}
