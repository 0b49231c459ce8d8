"""Credentials and base URL resolution: arguments > environment > config file; loopback-only http."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from klingkit._config import (
    check_base_url,
    credentials_source,
    load_config_file,
    resolve,
    resolve_base_url,
    resolve_credentials,
    save_credentials,
)
from klingkit.errors import CredentialsError

SECRET = "sk-super-secret-value-987654"


def test_arguments_beat_environment() -> None:
    env = {"KLING_API_KEY": "env-key"}
    creds = resolve_credentials(api_key="arg-key", env=env)
    assert creds.api_key == "arg-key" and creds.source == "argument api_key"


def test_env_api_key_static_and_pair() -> None:
    static = resolve_credentials(env={"KLING_API_KEY": "static-key"})
    assert static.kind == "api_key" and static.source == "environment KLING_API_KEY"
    pair = resolve_credentials(env={"KLING_API_KEY": f"AK123:{SECRET}"})
    assert (pair.kind, pair.access_key, pair.secret_key) == ("jwt", "AK123", SECRET)


def test_env_access_and_secret_keys() -> None:
    creds = resolve_credentials(env={"KLING_ACCESS_KEY": "AK", "KLING_SECRET_KEY": SECRET})
    assert creds.source == "environment KLING_ACCESS_KEY/KLING_SECRET_KEY"
    with pytest.raises(CredentialsError, match="KLING_SECRET_KEY is missing"):
        resolve_credentials(env={"KLING_ACCESS_KEY": "AK"})


def test_no_credentials_names_every_way(tmp_path: Path) -> None:
    with pytest.raises(CredentialsError) as info:
        resolve_credentials(env={}, file=tmp_path / "none.toml")
    text = str(info.value)
    for way in (
        "api_key=",
        "access_key=",
        "KLING_API_KEY",
        "KLING_ACCESS_KEY",
        "KLING_SECRET_KEY",
        "auth set",
    ):
        assert way in text


def test_save_credentials_mode_600_and_reload(tmp_path: Path) -> None:
    path = save_credentials(
        access_key="AK", secret_key=SECRET, region="cn", path=tmp_path / "c" / "config.toml"
    )
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_config_file(path) == {"access_key": "AK", "secret_key": SECRET, "region": "cn"}
    env = {"KLINGKIT_CONFIG": str(path)}
    settings = resolve(env=env)
    assert settings.credentials.access_key == "AK"
    assert settings.base_url == "https://api-beijing.klingai.com" and settings.region == "cn"
    source = credentials_source(env=env)
    assert source is not None and str(path) in source and SECRET not in source
    # an API key replaces the pair, the region stays
    save_credentials(api_key="new-key", path=path)
    assert load_config_file(path) == {"api_key": "new-key", "region": "cn"}


def test_json_config_file(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    save_credentials(api_key="json-key", path=path)
    assert resolve_credentials(env={"KLINGKIT_CONFIG": str(path)}).api_key == "json-key"


def test_env_beats_file(tmp_path: Path) -> None:
    path = save_credentials(api_key="file-key", path=tmp_path / "config.toml")
    env = {"KLINGKIT_CONFIG": str(path), "KLING_API_KEY": "env-key"}
    assert resolve_credentials(env=env).api_key == "env-key"
    assert credentials_source(env=env) == "environment KLING_API_KEY"


def test_regions_and_base_urls() -> None:
    assert resolve_base_url(env={}) == ("https://api-singapore.klingai.com", "global")
    assert resolve_base_url(region="cn", env={})[0] == "https://api-beijing.klingai.com"
    assert resolve_base_url(env={"KLING_REGION": "legacy"})[0] == "https://api.klingai.com"
    assert resolve_base_url(env={"KLING_BASE_URL": "http://127.0.0.1:8080/"}) == (
        "http://127.0.0.1:8080",
        None,
    )
    assert (
        resolve_base_url(base_url="https://example.test", env={"KLING_REGION": "cn"})[0]
        == "https://example.test"
    )
    with pytest.raises(CredentialsError, match="unknown region"):
        resolve_base_url(region="mars", env={})


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9", "http://localhost:80", "http://[::1]:8000", "http://127.5.6.7"]
)
def test_plain_http_allowed_for_loopback(url: str) -> None:
    assert check_base_url(url) == url


@pytest.mark.parametrize("url", ["http://api-singapore.klingai.com", "http://10.0.0.1", "ftp://x", "nohost"])
def test_plain_http_refused_elsewhere(url: str) -> None:
    with pytest.raises(CredentialsError):
        check_base_url(url)


def test_repr_never_shows_the_secret() -> None:
    creds = resolve_credentials(access_key="AKLONGKEY", secret_key=SECRET, env={})
    assert SECRET not in repr(creds)
