"""https for the sandbox: a local certificate authority made once (with ``trustme``) and kept in klingkit's
data directory, and a server certificate from it for ``localhost``, the loopback addresses and an optional
public host name.

The CA's private key stays next to its certificate with mode 600; deleting the folder makes a new CA on
the next ``--tls`` start (clients must then be pointed at the new file). Clients trust the sandbox with
the lines :func:`trust_lines` prints; klingkit itself trusts it without being told (see
:mod:`klingkit._localca`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from klingkit import _localca

if TYPE_CHECKING:
    import trustme

_KEY_NAME = "ca-key.pem"


@dataclass(frozen=True)
class ServerCert:
    """Files uvicorn needs (a temporary folder, removed by :meth:`remove`) and the CA to show clients."""

    certfile: Path
    keyfile: Path
    ca_file: Path

    def remove(self) -> None:
        shutil.rmtree(self.certfile.parent, ignore_errors=True)


def _load_or_create_ca(folder: Path) -> trustme.CA:
    import trustme

    cert, key = folder / _localca.CA_CERT_NAME, folder / _KEY_NAME
    if cert.is_file() and key.is_file():
        return trustme.CA.from_pem(cert.read_bytes(), key.read_bytes())
    folder.parent.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA(organization_name="klingkit sandbox (local only)")
    # Written into a fresh folder and renamed into place, so two sandboxes starting at once agree on one CA.
    staging = Path(tempfile.mkdtemp(prefix=".sandbox-tls-", dir=folder.parent))
    ca.cert_pem.write_to_path(str(staging / _localca.CA_CERT_NAME))
    key_path = staging / _KEY_NAME
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(ca.private_key_pem.bytes())
    try:
        os.rename(staging, folder)
    except OSError:  # another process won the race: use its CA
        shutil.rmtree(staging, ignore_errors=True)
        return trustme.CA.from_pem(cert.read_bytes(), key.read_bytes())
    return ca


def server_cert(public_host: str | None = None) -> ServerCert:
    """A fresh server certificate for localhost, 127.0.0.1, ::1 (and ``public_host``) from the kept CA."""
    folder = _localca.ca_dir()
    ca = _load_or_create_ca(folder)
    names = ["localhost", "127.0.0.1", "::1"]
    if public_host and public_host not in names:
        names.append(public_host)
    leaf = ca.issue_cert(*names, common_name=names[-1] if public_host else "localhost")
    tmp = Path(tempfile.mkdtemp(prefix="klingkit-sandbox-tls-"))
    certfile, keyfile = tmp / "server.pem", tmp / "server-key.pem"
    leaf.cert_chain_pems[0].write_to_path(str(certfile))
    with contextlib.suppress(OSError):
        os.chmod(tmp, 0o700)
    leaf.private_key_pem.write_to_path(str(keyfile))
    return ServerCert(certfile, keyfile, folder / _localca.CA_CERT_NAME)


def trust_lines(ca_file: Path) -> list[str]:
    """Shell lines that make common clients trust the sandbox CA.

    ``SSL_CERT_FILE`` replaces the system trust store for OpenSSL-based clients (Python's ssl, curl), which
    is what one wants in a shell used only against the sandbox; ``NODE_EXTRA_CA_CERTS`` adds to Node's.
    """
    path = str(ca_file)
    return [
        f"export SSL_CERT_FILE={path}",
        f"export REQUESTS_CA_BUNDLE={path}",
        f"export NODE_EXTRA_CA_CERTS={path}",
        f"export CURL_CA_BUNDLE={path}",
    ]
