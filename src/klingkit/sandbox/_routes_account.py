"""Account routes: resource-pack costs and the billing exports (kling-api.md §6)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from klingkit import catalog as facts

from . import _validation
from ._errors import invalid
from ._http import cursor_offset, filters, gate, parse_ms, read_json, state_of


def routes() -> list[Route]:
    async def costs(request: Request) -> Response:
        async def handle(request: Request) -> Any:
            sb = state_of(request)
            for key in ("start_time", "end_time"):
                if not request.query_params.get(key):
                    raise invalid(f"{key} is required (Unix time in milliseconds)")
                parse_ms(request.query_params.get(key), key, 0)
            name = request.query_params.get("resource_pack_name")
            now = sb.now_ms()
            packs = []
            for pack, total in sb.config.balances.items():
                charged, _ = sb.store.units(pack, now)
                remaining = max(0.0, total - charged)
                info = {
                    "resource_pack_name": f"Sandbox {pack} pack",
                    "resource_pack_id": f"sandbox-{pack}-pack",
                    "resource_pack_type": "decreasing_total",
                    "total_quantity": float(total),
                    "remaining_quantity": round(remaining, 4),
                    "purchase_time": sb.started_ms,
                    "effective_time": sb.started_ms,
                    "invalid_time": sb.started_ms + 365 * 24 * 3600 * 1000,
                    "status": "online" if remaining > 0 else "runOut",
                }
                if not name or name == info["resource_pack_name"]:
                    packs.append(info)
            return {"code": 0, "msg": "success", "resource_pack_subscribe_infos": packs}

        return await gate(request, "query", "GET /account/costs", False, handle)

    async def package(request: Request) -> Response:
        async def handle(request: Request) -> Any:
            sb = state_of(request)
            body = _validation.Body(await read_json(request))
            now = sb.now_ms()
            start = parse_ms(body.data.get("start_time"), "start_time", 0)
            end = parse_ms(body.data.get("end_time"), "end_time", now)
            limit = body.integer("limit", *facts.BILLING_LIMIT, 500)
            offset = cursor_offset(body.data.get("cursor"))
            keys = ("api_key_name", "product_type", "package_name", "package_id")
            _, products, names, ids = filters(body, keys)
            rows: list[dict[str, Any]] = []
            spent: dict[str, float] = {}
            for task in sb.store.charges(now):
                before = sb.config.balances.get(task.pack, 0.0) - spent.get(task.pack, 0.0)
                spent[task.pack] = spent.get(task.pack, 0.0) + task.units
                product = "try-on" if task.pack == "tryon" else task.pack
                pack_name, pack_id = f"Sandbox {task.pack} pack", f"sandbox-{task.pack}-pack"
                if not start <= task.done_ms <= end or (products and product not in products):
                    continue
                if (names and pack_name not in names) or (ids and pack_id not in ids):
                    continue
                rows.append(
                    {
                        "package_id": pack_id,
                        "product_type": product,
                        "task_id": task.id,
                        "api_key_name": "sandbox",
                        "product_function": task.feature,
                        "model_name": task.billing.get("model_name") or task.model or "",
                        "resolution": task.billing.get("resolution", ""),
                        "duration": str(task.billing.get("duration", "")),
                        "refer_video_input": bool(task.billing.get("refer_video_input", False)),
                        "video_sound": task.billing.get("video_sound", "off"),
                        "voice_control": bool(task.billing.get("voice_control", False)),
                        "deduction_time": task.done_ms,
                        "unit_before_deduction": round(before, 4),
                        "deduction_amount": task.units,
                        "unit_after_deduction": round(before - task.units, 4),
                    }
                )
            page = rows[offset : offset + limit]
            more = offset + limit < len(rows)
            return {
                "result": {"detail": page, "count": len(page)},
                "next_cursor": str(offset + limit) if more else "",
                "has_more": more,
            }

        return await gate(request, "query", "POST /account/billing/package", False, handle)

    async def balance(request: Request) -> Response:
        async def handle(request: Request) -> Any:
            await read_json(request)
            # The sandbox account pays with resource packs only; there is no cash balance to export.
            return {"result": {"detail": [], "count": 0}, "next_cursor": "", "has_more": False}

        return await gate(request, "query", "POST /account/billing/balance", False, handle)

    return [
        Route(facts.ACCOUNT_COSTS_PATH, costs, methods=["GET"]),
        Route(facts.BILLING_PACKAGE_PATH, package, methods=["POST"]),
        Route(facts.BILLING_BALANCE_PATH, balance, methods=["POST"]),
    ]
