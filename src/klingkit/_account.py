"""``client.account``: resource packs and billing, blocking and async twins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ._models import Page
from .catalog import ACCOUNT_COSTS_PATH, BILLING_BALANCE_PATH, BILLING_PACKAGE_PATH

if TYPE_CHECKING:
    from ._client import AsyncKling, Kling


class Account:
    """Resource packs and billing: ``client.account``."""

    def __init__(self, client: Kling) -> None:
        self._client = client

    def costs(
        self,
        start_time: datetime | float | None = None,
        end_time: datetime | float | None = None,
        resource_pack_name: str | None = None,
    ) -> dict[str, Any]:
        """Resource packs active between ``start_time`` and ``end_time`` (datetimes or Unix ms; default:
        the last 30 days). Free to call; Kling asks for at most 1 request per second."""
        params = self._client._costs_params(start_time, end_time, resource_pack_name)
        data = self._client._transport.request("GET", ACCOUNT_COSTS_PATH, params=params).data
        return dict(data) if isinstance(data, Mapping) else {}

    def billing_packages(
        self,
        start_time: datetime | float | None = None,
        end_time: datetime | float | None = None,
        limit: int = 500,
        filters: Sequence[Mapping[str, Any]] | None = None,
        cursor: str | None = None,
    ) -> Page[dict[str, Any]]:
        """One page of resource-pack deductions (pass ``next_cursor`` back as ``cursor``)."""
        body = self._client._billing_body(start_time, end_time, limit, filters, cursor)
        data = self._client._transport.request("POST", BILLING_PACKAGE_PATH, json=body).data
        return self._client._billing_page(data)

    def billing_balance(
        self,
        start_time: datetime | float | None = None,
        end_time: datetime | float | None = None,
        limit: int = 500,
        filters: Sequence[Mapping[str, Any]] | None = None,
        cursor: str | None = None,
    ) -> Page[dict[str, Any]]:
        """One page of cash-balance deductions (pass ``next_cursor`` back as ``cursor``)."""
        body = self._client._billing_body(start_time, end_time, limit, filters, cursor)
        data = self._client._transport.request("POST", BILLING_BALANCE_PATH, json=body).data
        return self._client._billing_page(data)


class AsyncAccount:
    """The async twin of :class:`Account`."""

    def __init__(self, client: AsyncKling) -> None:
        self._client = client

    async def costs(
        self,
        start_time: datetime | float | None = None,
        end_time: datetime | float | None = None,
        resource_pack_name: str | None = None,
    ) -> dict[str, Any]:
        """Resource packs active between ``start_time`` and ``end_time`` (datetimes or Unix ms; default:
        the last 30 days). Free to call; Kling asks for at most 1 request per second."""
        params = self._client._costs_params(start_time, end_time, resource_pack_name)
        data = (await self._client._transport.request("GET", ACCOUNT_COSTS_PATH, params=params)).data
        return dict(data) if isinstance(data, Mapping) else {}

    async def billing_packages(
        self,
        start_time: datetime | float | None = None,
        end_time: datetime | float | None = None,
        limit: int = 500,
        filters: Sequence[Mapping[str, Any]] | None = None,
        cursor: str | None = None,
    ) -> Page[dict[str, Any]]:
        """One page of resource-pack deductions (pass ``next_cursor`` back as ``cursor``)."""
        body = self._client._billing_body(start_time, end_time, limit, filters, cursor)
        data = (await self._client._transport.request("POST", BILLING_PACKAGE_PATH, json=body)).data
        return self._client._billing_page(data)

    async def billing_balance(
        self,
        start_time: datetime | float | None = None,
        end_time: datetime | float | None = None,
        limit: int = 500,
        filters: Sequence[Mapping[str, Any]] | None = None,
        cursor: str | None = None,
    ) -> Page[dict[str, Any]]:
        """One page of cash-balance deductions (pass ``next_cursor`` back as ``cursor``)."""
        body = self._client._billing_body(start_time, end_time, limit, filters, cursor)
        data = (await self._client._transport.request("POST", BILLING_BALANCE_PATH, json=body)).data
        return self._client._billing_page(data)
