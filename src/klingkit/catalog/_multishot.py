"""AI multi-shot: ``POST /v1/general/ai-multi-shot`` turns one frontal picture of a subject into pictures of
it from other angles (the views an element's references want).

Sources: ``kling-api.md`` §2.14 (the path, M) and §7.2 (20 units a call, listed with the image prices, H).
The body and the answer are not in our reference; a copy of the official Chinese page ("智能补全主体图",
create / query / list) and a published agent skill agree on them (M):

* body ``{element_frontal_image, callback_url, external_task_id}``; the image is a URL or raw base64, jpg,
  jpeg or png, at most 10 MB, at least 300 px a side, aspect 1:2.5 to 2.5:1 (the usual image rules);
* a task like any legacy one, queried at ``/v1/general/ai-multi-shot/{id}``; its ``task_result.images[]``
  holds the views. The page's single query shows ``{index, url}`` items and its list shows one
  ``{index, url_1, url_2, url_3}`` item: klingkit reads both; the sandbox answers three ``{index, url}``.

Assumed (L): the image pack pays (it is priced with the images), and a call makes three views. The rules
are a table, :mod:`klingkit.catalog.rules._multishot`.
"""

from __future__ import annotations

from ._types import Endpoint

MULTI_SHOT = Endpoint("ai-multi-shot", "/v1/general/ai-multi-shot", "legacy", "image", "image")
ENDPOINTS = (MULTI_SHOT,)
CONFIDENCE = "M"  # body and answer; the price is H
UNITS = 20.0  # §7.2: AI multi-shot, 20 units a call (H)
VIEWS = 3  # the list page's url_1..url_3 (M)
IMAGE_FIELD = "element_frontal_image"
