"""AI multi-shot in the sandbox: ``/v1/general/ai-multi-shot`` plans a task of three image views of the
frontal picture (the catalog's ``klingkit.catalog.multishot`` holds the body rule, the view count and the
price, reached through ``catalog.check``; the picture is checked like every image input). The views are rendered from the picture itself,
each tinted by its view name, at the picture's size."""

from __future__ import annotations

from typing import Any

from klingkit import catalog as facts
from klingkit.catalog import multishot

from ._plan import Body, Context, OutputPlan, Plan, _checked, _file, _image_value


def plan(ctx: Context, data: Any, _model: str | None) -> Plan:
    body = Body(data)
    ok = _checked(multishot.MULTI_SHOT.feature, body.data)  # the catalog's contract
    source = _image_value(ctx, multishot.IMAGE_FIELD, body.data[multishot.IMAGE_FIELD])
    width, height = source.get("width", 1024), source.get("height", 1024)
    views = [
        OutputPlan("image", None, {"source": _file(source), "width": width, "height": height,
                                   "prompt": f"view {i + 1} of {multishot.VIEWS}", "index": i})
        for i in range(multishot.VIEWS)
    ]  # fmt: skip
    ep = multishot.MULTI_SHOT
    seconds = facts.task_seconds(ep.feature, count=multishot.VIEWS)  # the catalog's typical time
    result = Plan(ep.feature, ep.family, ep.pack, None, units=ok.estimate.units, weight=1, work_seconds=seconds,
                  outputs=views, billing={"views": multishot.VIEWS})  # fmt: skip
    from ._plan import _options  # the shared callback_url / external_task_id reading

    _options(result, body)
    return result


PLANS = {multishot.MULTI_SHOT.feature: plan}
