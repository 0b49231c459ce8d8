"""Clients written only from Kling's public docs run unmodified against the installed
``klingkit sandbox serve --tls`` over https, with certificate verification on: text->video, image->video by
URL, image generation, try-on, lip-sync, extend, video-to-audio, omni, the 2026 routes with inputs by URL,
and signed callbacks, to downloaded files that a real decoder opens (``any_client_check``, which is also
the command that reports the figure: ``python -m tests.thirdparty.any_client_check``).

The bodies are the reference's verbatim (kling-api.md A.15, A.21, A.23, A.24, §2.4, §2.10, §2.13-§2.15)
except that their internet URLs are replaced by files on a loopback web server (the suite runs offline).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ..installed import klingkit_command
from .any_client_check import run

CLIENT_FILES = [Path(__file__).with_name(n) for n in ("kling_docs_client.py", "kling_2026_client.py")]


@pytest.mark.parametrize("client_file", CLIENT_FILES, ids=lambda p: p.stem)
def test_the_client_code_imports_nothing_of_klingkit(client_file: Path) -> None:
    tree = ast.parse(client_file.read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "klingkit" for name in imported)
    assert "verify=False" not in client_file.read_text() and "CERT_NONE" not in client_file.read_text()


def test_docs_clients_run_every_flow_over_https_against_the_served_sandbox() -> None:
    command = klingkit_command()
    results, requests = run(command)
    assert [(name, why) for name, why in results if why] == []
    assert len(results) == 20 and requests >= 50
