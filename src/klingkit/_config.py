"""Credentials and base URL: explicit arguments > environment > the config file > defaults.

Environment: ``KLING_API_KEY`` (a static key, or ``ACCESS:SECRET`` for an AK/SK pair),
``KLING_ACCESS_KEY`` + ``KLING_SECRET_KEY``, ``KLING_BASE_URL``, ``KLING_REGION``. The config file is
``user_config_dir("klingkit")/config.toml`` (or ``config.json``); ``KLINGKIT_CONFIG`` may point elsewhere.
It holds the keys ``api_key``, ``access_key``, ``secret_key``, ``base_url``, ``region``.

Nothing here ever puts a secret into a message: sources are described by where they came from.
"""

from __future__ import annotations

import ipaddress
import json
import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import _constants as C
from ._exceptions import CredentialsError
from .catalog import REGIONS

__all__ = [
    "Credentials",
    "Settings",
    "check_base_url",
    "config_path",
    "credentials_source",
    "load_config_file",
    "resolve",
    "resolve_base_url",
    "resolve_credentials",
    "save_credentials",
]

DEFAULT_REGION = "global"
_FILE_KEYS = ("api_key", "access_key", "secret_key", "base_url", "region")


@dataclass(frozen=True, repr=False)
class Credentials:
    """Either a static ``api_key`` or an ``access_key``/``secret_key`` pair, and where it came from.

    ``source`` describes the origin without the secret (e.g. ``environment KLING_API_KEY``).
    """

    api_key: str | None = None
    access_key: str | None = None
    secret_key: str | None = None
    source: str = ""

    @property
    def kind(self) -> str:
        """``api_key`` or ``jwt`` (an AK/SK pair signed into a JWT)."""
        return "api_key" if self.api_key else "jwt"

    def __repr__(self) -> str:  # never show secrets, even in a debugger or a traceback
        ak = f"{self.access_key[:4]}..." if self.access_key else None
        return f"Credentials(kind={self.kind!r}, access_key={ak!r}, source={self.source!r})"


@dataclass(frozen=True)
class Settings:
    """Resolved credentials and base URL. ``region`` is the region name when the URL is a known one."""

    credentials: Credentials
    base_url: str
    region: str | None


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the config file is (it may not exist): ``$KLINGKIT_CONFIG``, else ``config.toml`` in the
    user config dir (``config.json`` when only that one exists)."""
    env = os.environ if env is None else env
    if env.get(C.ENV_CONFIG):
        return Path(env[C.ENV_CONFIG]).expanduser()
    from platformdirs import user_config_dir

    base = Path(user_config_dir("klingkit"))
    toml_path, json_path = base / "config.toml", base / "config.json"
    if not toml_path.exists() and json_path.exists():
        return json_path
    return toml_path


def _parse_toml(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib

        data: dict[str, Any] = tomllib.loads(text)
        return data
    return _parse_flat_toml(text)  # Python 3.10: the subset save_credentials writes


def _parse_flat_toml(text: str) -> dict[str, Any]:
    """The tiny TOML subset this module writes (``key = "value"`` lines), for Python 3.10 without tomli."""
    out: dict[str, Any] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if value.startswith('"') and value.endswith('"'):
            out[key.strip()] = json.loads(value)
    return out


def load_config_file(path: Path | None = None, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The config file's settings (empty when there is no file). A broken file raises CredentialsError."""
    path = path or config_path(env)
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else _parse_toml(text)
    except (OSError, ValueError) as exc:
        # The decoder's own words carry the line and column (never a value from the file).
        raise CredentialsError(f"cannot read the klingkit config file {path}: {exc}") from None
    if not isinstance(data, dict):
        raise CredentialsError(f"the klingkit config file {path} must hold a table of settings")
    return {k: str(v) for k, v in data.items() if k in _FILE_KEYS and v not in (None, "")}


def _toml_line(key: str, value: str) -> str:
    return f"{key} = {json.dumps(value)}"  # a JSON string is a valid TOML basic string


def save_credentials(
    *,
    api_key: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
    region: str | None = None,
    base_url: str | None = None,
    path: Path | None = None,
) -> Path:
    """Write credentials (and optionally region/base URL) to the config file with mode 600.

    Given credentials replace the stored ones (an API key replaces an AK/SK pair and vice versa); other
    settings already in the file are kept. The file is written atomically. Returns its path.
    """
    if (access_key and not secret_key) or (secret_key and not access_key):
        raise CredentialsError("an AK/SK pair needs both access_key and secret_key")
    path = path or config_path()
    current = load_config_file(path) if path.exists() else {}
    if api_key or access_key:
        for key in ("api_key", "access_key", "secret_key"):
            current.pop(key, None)
    updates = {
        "api_key": api_key,
        "access_key": access_key,
        "secret_key": secret_key,
        "region": region,
        "base_url": base_url,
    }
    current.update({k: v for k, v in updates.items() if v})
    if "base_url" in current:
        check_base_url(current["base_url"])
    if "region" in current and current["region"] not in REGIONS:
        raise CredentialsError(f"unknown region {current['region']!r}; choose one of {', '.join(REGIONS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".json":
        text = json.dumps(current, indent=2) + "\n"
    else:
        text = "# klingkit credentials; keep this file private (mode 600)\n"
        text += "".join(_toml_line(k, current[k]) + "\n" for k in _FILE_KEYS if k in current)
    fd, tmp = tempfile.mkstemp(prefix=".config-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600) if hasattr(os, "fchmod") else None
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    os.chmod(path, 0o600)
    return path


_HOW = (
    "no Kling credentials found. Provide one of: Kling(api_key=...) or Kling(access_key=..., "
    "secret_key=...); the environment variable KLING_API_KEY (a static API key, or ACCESS:SECRET); "
    "KLING_ACCESS_KEY and KLING_SECRET_KEY; or `klingkit auth set`, which writes {path}. "
    "Keys come from the Kling developer console (the 2026 model-in-path routes need an API key)"
)


def _from_env(env: Mapping[str, str]) -> Credentials | None:
    raw = env.get(C.ENV_API_KEY, "").strip()
    if raw:
        if ":" in raw:
            ak, _, sk = raw.partition(":")
            if ak and sk:
                return Credentials(
                    access_key=ak, secret_key=sk, source="environment KLING_API_KEY (ACCESS:SECRET)"
                )
        return Credentials(api_key=raw, source="environment KLING_API_KEY")
    ak, sk = env.get(C.ENV_ACCESS_KEY, "").strip(), env.get(C.ENV_SECRET_KEY, "").strip()
    if ak and sk:
        return Credentials(
            access_key=ak, secret_key=sk, source="environment KLING_ACCESS_KEY/KLING_SECRET_KEY"
        )
    if ak or sk:
        missing = C.ENV_SECRET_KEY if ak else C.ENV_ACCESS_KEY
        raise CredentialsError(f"{C.ENV_ACCESS_KEY}/{C.ENV_SECRET_KEY} are half set: {missing} is missing")
    return None


def _from_file(data: Mapping[str, Any], path: Path) -> Credentials | None:
    if data.get("api_key"):
        return Credentials(api_key=str(data["api_key"]), source=f"config file {path} (api_key)")
    if data.get("access_key") and data.get("secret_key"):
        return Credentials(
            access_key=str(data["access_key"]),
            secret_key=str(data["secret_key"]),
            source=f"config file {path} (access_key/secret_key)",
        )
    return None


def resolve_credentials(
    api_key: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
    file: Path | None = None,
) -> Credentials:
    """Pick credentials: explicit arguments > environment > config file; CredentialsError when none."""
    env = os.environ if env is None else env
    if api_key:
        return Credentials(api_key=api_key, source="argument api_key")
    if access_key or secret_key:
        if not (access_key and secret_key):
            raise CredentialsError("access_key and secret_key must be given together")
        return Credentials(
            access_key=access_key, secret_key=secret_key, source="arguments access_key/secret_key"
        )
    found = _from_env(env)
    if found:
        return found
    path = file or config_path(env)
    found = _from_file(load_config_file(path), path)
    if found:
        return found
    raise CredentialsError(_HOW.format(path=path))


def credentials_source(env: Mapping[str, str] | None = None, path: Path | None = None) -> str | None:
    """Where credentials would come from without arguments ("environment KLING_API_KEY", ...), or None.

    Never includes the secret; the CLI's ``auth status`` prints it.
    """
    try:
        return resolve_credentials(env=env, file=path).source
    except CredentialsError:
        return None


def _is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> str:
    """Normalize a base URL (no trailing slash) and refuse plain http except for loopback hosts."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CredentialsError(f"base URL {url!r} must look like https://host[:port]")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise CredentialsError(
            f"refusing plain http for {parts.hostname}: credentials would travel unencrypted; use https "
            "(http is allowed only for 127.0.0.1, ::1 and localhost, e.g. the sandbox)"
        )
    if parts.query or parts.fragment:
        raise CredentialsError(f"base URL {url!r} must not have a query string or fragment")
    return url


def _region_url(region: str) -> str:
    if region not in REGIONS:
        raise CredentialsError(
            f"unknown region {region!r}; choose one of {', '.join(REGIONS)} or pass base_url"
        )
    return REGIONS[region]


def resolve_base_url(
    base_url: str | None = None,
    region: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
    file_data: Mapping[str, Any] | None = None,
) -> tuple[str, str | None]:
    """(base URL, region name or None): arguments > env > config file > the global region.

    At each level an explicit base URL wins over a region name.
    """
    env = os.environ if env is None else env
    file_data = file_data or {}
    levels = (
        (base_url, region),
        (env.get(C.ENV_BASE_URL), env.get(C.ENV_REGION)),
        (file_data.get("base_url"), file_data.get("region")),
    )
    url = None
    for lvl_url, lvl_region in levels:
        if lvl_url:
            url = check_base_url(lvl_url)
            break
        if lvl_region:
            url = _region_url(lvl_region.strip().lower())
            break
    url = url or REGIONS[DEFAULT_REGION]
    name = next((n for n, u in REGIONS.items() if u == url), None)
    return url, name


def resolve(
    api_key: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
    base_url: str | None = None,
    region: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve credentials and base URL at once (the config file is read at most once)."""
    env = os.environ if env is None else env
    path = config_path(env)
    file_data = load_config_file(path)
    creds = resolve_credentials(api_key, access_key, secret_key, env=env, file=path)
    url, name = resolve_base_url(base_url, region, env=env, file_data=file_data)
    return Settings(credentials=creds, base_url=url, region=name)
