"""``client.account``: resource packs and billing. Each read is written once, as request steps
(``_steps``); ``Account`` and ``AsyncAccount`` only drive them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._base import _BaseKling
from ._models import Page
from ._steps import Steps, _Call, arun_steps, run_steps, share_docs
from .catalog import ACCOUNT_COSTS_PATH, BILLING_BALANCE_PATH, BILLING_PACKAGE_PATH

if TYPE_CHECKING:
    from ._client import AsyncKling, Kling  # noqa: F401  (named in the base classes below)

ClientT = TypeVar("ClientT", bound=_BaseKling)
_Time = datetime | float | None
_Filters = Sequence[Mapping[str, Any]] | None


class _AccountBase(Generic[ClientT]):
    def __init__(self, client: ClientT) -> None:
        self._client = client

    def _costs_steps(self, start_time: _Time, end_time: _Time, name: str | None) -> Steps[dict[str, Any]]:
        params = self._client._costs_params(start_time, end_time, name)
        data = yield _Call("GET", ACCOUNT_COSTS_PATH, params)
        return dict(data) if isinstance(data, Mapping) else {}

    def _billing_steps(
        self, path: str, start: _Time, end: _Time, limit: int, filters: _Filters, cursor: str | None
    ) -> Steps[Page[dict[str, Any]]]:
        body = self._client._billing_body(start, end, limit, filters, cursor)
        return self._client._billing_page((yield _Call("POST", path, json=body)))


class Account(_AccountBase["Kling"]):
    """Resource packs and billing: ``client.account``."""

    def costs(
        self, start_time: _Time = None, end_time: _Time = None, resource_pack_name: str | None = None
    ) -> dict[str, Any]:
        """Resource packs active between ``start_time`` and ``end_time`` (datetimes or Unix ms; default:
        the last 30 days). Free to call; Kling asks for at most 1 request per second."""
        return run_steps(self._client._transport, self._costs_steps(start_time, end_time, resource_pack_name))

    def billing_packages(
        self, start_time: _Time = None, end_time: _Time = None, limit: int = 500,
        filters: _Filters = None, cursor: str | None = None,
    ) -> Page[dict[str, Any]]:  # fmt: skip
        """One page of resource-pack deductions (pass ``next_cursor`` back as ``cursor``)."""
        steps = self._billing_steps(BILLING_PACKAGE_PATH, start_time, end_time, limit, filters, cursor)
        return run_steps(self._client._transport, steps)

    def billing_balance(
        self, start_time: _Time = None, end_time: _Time = None, limit: int = 500,
        filters: _Filters = None, cursor: str | None = None,
    ) -> Page[dict[str, Any]]:  # fmt: skip
        """One page of cash-balance deductions (pass ``next_cursor`` back as ``cursor``)."""
        steps = self._billing_steps(BILLING_BALANCE_PATH, start_time, end_time, limit, filters, cursor)
        return run_steps(self._client._transport, steps)


class AsyncAccount(_AccountBase["AsyncKling"]):
    """The async twin of :class:`Account` (same methods, awaited; their docstrings are :class:`Account`'s)."""

    async def costs(
        self, start_time: _Time = None, end_time: _Time = None, resource_pack_name: str | None = None
    ) -> dict[str, Any]:
        steps = self._costs_steps(start_time, end_time, resource_pack_name)
        return await arun_steps(self._client._transport, steps)

    async def billing_packages(
        self, start_time: _Time = None, end_time: _Time = None, limit: int = 500,
        filters: _Filters = None, cursor: str | None = None,
    ) -> Page[dict[str, Any]]:  # fmt: skip
        steps = self._billing_steps(BILLING_PACKAGE_PATH, start_time, end_time, limit, filters, cursor)
        return await arun_steps(self._client._transport, steps)

    async def billing_balance(
        self, start_time: _Time = None, end_time: _Time = None, limit: int = 500,
        filters: _Filters = None, cursor: str | None = None,
    ) -> Page[dict[str, Any]]:  # fmt: skip
        steps = self._billing_steps(BILLING_BALANCE_PATH, start_time, end_time, limit, filters, cursor)
        return await arun_steps(self._client._transport, steps)


share_docs(AsyncAccount, Account)
