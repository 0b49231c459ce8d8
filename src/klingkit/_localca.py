"""Where the local sandbox's certificate authority lives, and an SSL context that trusts it.

``klingkit sandbox serve --tls`` (and ``Sandbox(tls=True)``) serve https with certificates from a CA that
is created once and kept in klingkit's data directory. The library trusts that CA on its own, but only
when it talks to a loopback host (127.0.0.1, ::1, localhost): that is where a klingkit sandbox runs, and
it keeps a copied CA file from vouching for anything on the network. Standard library only: both the
library and the sandbox read this module.
"""

from __future__ import annotations

import ipaddress
import os
import ssl
from pathlib import Path
from urllib.parse import urlsplit

HOME_ENV = "KLINGKIT_HOME"
CA_DIR_NAME = "sandbox-tls"
CA_CERT_NAME = "ca.pem"


def data_dir() -> Path:
    """The klingkit data directory: ``$KLINGKIT_HOME`` if set, else the user data directory."""
    home = os.environ.get(HOME_ENV)
    if home:
        return Path(home).expanduser()
    import platformdirs  # lazy: only needed when KLINGKIT_HOME is unset

    return Path(platformdirs.user_data_dir("klingkit", appauthor=False))


def ca_dir() -> Path:
    """The folder holding the sandbox CA (certificate ``ca.pem``, private key ``ca-key.pem``, mode 600)."""
    return data_dir() / CA_DIR_NAME


def ca_file() -> Path:
    """The sandbox CA certificate (PEM) that clients are told to trust."""
    return ca_dir() / CA_CERT_NAME


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8, ::1, ``localhost`` and ``*.localhost``."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def trusting_context(ca: Path | None = None) -> ssl.SSLContext:
    """The usual trust (certifi, plus ``SSL_CERT_FILE`` when set) and the sandbox CA."""
    import certifi

    context = ssl.create_default_context(cafile=certifi.where())
    extra = os.environ.get("SSL_CERT_FILE")
    if extra and Path(extra).is_file():
        context.load_verify_locations(cafile=extra)
    context.load_verify_locations(cafile=str(ca or ca_file()))
    return context


def verify_for(url: str) -> ssl.SSLContext | bool:
    """What to pass as httpx's ``verify`` for a client of ``url``: the sandbox-trusting context for https
    on a loopback host when the sandbox CA exists, else ``True`` (httpx's usual verification)."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not is_loopback(parts.hostname):
        return True
    ca = ca_file()
    return trusting_context(ca) if ca.is_file() else True
