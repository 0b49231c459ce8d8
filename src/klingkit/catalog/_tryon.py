"""Virtual Try-On 3.0 (2026-09-15; ``kling-2026-h2.md`` §4, H): the options of the try-on solution, as data.

Since 3.0 one pipeline serves both routes: the legacy kolors route's V1/V1.5 parameters are mapped onto it
server side, and ``/solutions/virtual_try_on`` (``kling-api.md`` §2.10b, H) takes three settings, each on
unless turned off. The garment photo may be laid flat, on a mannequin or worn by a model: the service tells
them apart itself (there is no field for it), so they are listed for people, not sent. One image a task,
paid from the try-on pack (``FLAT_PRICES["tryon_per_image"]``, §7.2, H).
"""

from __future__ import annotations

VERSION = "3.0"
SINCE = "2026-09-15"
# setting -> (default, what it keeps); §2.10b: booleans, default true (H)
SETTINGS: dict[str, tuple[bool, str]] = {
    "keep_face": (True, "the person's face"),
    "keep_pose": (True, "the person's pose"),
    "keep_background": (True, "the photo's background"),
}
# what the garment photo may show (H); read by the service from the picture
GARMENT_PHOTOS: dict[str, str] = {
    "flat-lay": "the garment laid flat",
    "mannequin": "the garment on a mannequin",
    "on-model": "the garment worn by someone",
}
