"""The network side of fetching input URLs: which addresses the sandbox may reach, how much, how long.

A sandbox served beyond loopback (``--host 0.0.0.0``) would otherwise fetch any URL for anyone who can
reach it, including the user's router page, cloud metadata (169.254.169.254) and services bound to
localhost. So unless private addresses are allowed (the default only when the sandbox itself listens on
loopback, or when ``--private-urls`` says so), every host is resolved first, refused when any of its
addresses is loopback, private, link-local or otherwise not global, and the connection then goes to the
very address that was checked (so a DNS answer cannot change between check and connect). Redirects are
followed by hand, each hop checked the same way. The sandbox's own URLs (its result URLs fed back in)
are always allowed. Every fetch is bounded in bytes and in total time.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import anyio
import httpx

from ._policy import PRIVATE_URL_MESSAGE, TOO_LARGE_MESSAGE, UNREACHABLE_MESSAGE

READ_TIMEOUT = 15.0  # seconds without progress on one connection
TOTAL_TIMEOUT = 60.0  # seconds for one input file, redirects included, however slowly it trickles in
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Reach:
    """Where fetches may go: ``private`` allows non-global addresses; ``own`` are the sandbox's own base
    URLs (scheme://host:port), always reachable."""

    private: bool = True
    own: tuple[str, ...] = ()

    def is_own(self, url: str) -> bool:
        return any(base and _origin(url) == _origin(base) for base in self.own)


class _Refused(Exception):
    """A fetch that did not produce the file; ``str()`` is the task's failure message."""


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def _global(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def _pinned_address(host: str, port: int) -> str:
    """The global address to connect to for ``host``; _Refused when any of its addresses is not global."""
    try:
        infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise _Refused(UNREACHABLE_MESSAGE) from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise _Refused(UNREACHABLE_MESSAGE)
    if not all(_global(a) for a in addresses):
        raise _Refused(PRIVATE_URL_MESSAGE)
    return next((a for a in addresses if ":" not in a), addresses[0])


async def _request(client: httpx.AsyncClient, url: str, reach: Reach) -> httpx.Request:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Refused(UNREACHABLE_MESSAGE)
    if reach.private or reach.is_own(url):
        return client.build_request("GET", url)
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = await _pinned_address(host, port)
    literal = f"[{address}]" if ":" in address else address
    pinned = parts._replace(netloc=f"{literal}:{port}").geturl()
    # The Host header and the TLS name stay the URL's own, so virtual hosts and certificates still work.
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    return client.build_request("GET", pinned, headers={"Host": parts.netloc}, extensions=extensions)


async def _body(response: httpx.Response, limit: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _Refused(TOO_LARGE_MESSAGE.format(limit=limit // (1024 * 1024)))
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise _Refused(TOO_LARGE_MESSAGE.format(limit=limit // (1024 * 1024)))
        chunks.append(chunk)
    return b"".join(chunks)


async def _follow(client: httpx.AsyncClient, url: str, limit: int, reach: Reach) -> bytes:
    for _ in range(MAX_REDIRECTS + 1):
        request = await _request(client, url, reach)
        response = await client.send(request, stream=True)
        try:
            if response.is_redirect and "location" in response.headers:
                url = urljoin(url, response.headers["location"])
                continue
            if response.status_code != 200:
                raise _Refused(UNREACHABLE_MESSAGE)
            return await _body(response, limit)
        finally:
            await response.aclose()
    raise _Refused(UNREACHABLE_MESSAGE)


async def download(client: httpx.AsyncClient, url: str, limit: int, reach: Reach) -> bytes:
    """The file behind ``url`` (at most ``limit`` bytes, within :data:`TOTAL_TIMEOUT`), or _Refused."""
    try:
        with anyio.fail_after(TOTAL_TIMEOUT):
            return await _follow(client, url, limit, reach)
    except TimeoutError:
        raise _Refused(UNREACHABLE_MESSAGE) from None
    except (httpx.HTTPError, OSError, ValueError):
        raise _Refused(UNREACHABLE_MESSAGE) from None


def client(verify: object) -> httpx.AsyncClient:
    """The fetching client: redirects are followed by :func:`download` itself (each hop checked)."""
    return httpx.AsyncClient(timeout=READ_TIMEOUT, follow_redirects=False, verify=verify)  # type: ignore[arg-type]
