"""Help and parsing that people and scripts rely on: true to the code, offline, and cheap to start."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from klingkit import catalog
from klingkit.cli import _COMMANDS, cli
from klingkit.cli._camera import parse_camera
from klingkit.cli._exit import EXIT_CODE_MEANINGS, CLIError, ExitCode, exit_code_table
from klingkit.cli._session import REGION_CHOICES


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from klingkit.cli import cli\n"
        "cli.main(['--help'], standalone_mode=False)\n"
        "heavy = ('httpx', 'rich', 'PIL', 'av', 'jwt', 'klingkit._client', 'klingkit.sandbox', 'sqlite3')\n"
        "print('HEAVY:' + ','.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY:"


@pytest.mark.parametrize("name", sorted(_COMMANDS))
def test_every_command_has_help(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output


def test_exit_codes_are_documented_once_each() -> None:
    assert [c for c, _ in EXIT_CODE_MEANINGS] == list(ExitCode)
    text = exit_code_table()
    assert all(f"{int(c):>5}" in text for c in ExitCode)


def test_region_choices_are_the_catalog_regions() -> None:
    assert set(REGION_CHOICES) == set(catalog.REGIONS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("zoom_in", catalog.CAMERA_PRESETS["zoom_in"]),
        ("Dolly-Forward", catalog.CAMERA_PRESETS["dolly_forward"]),
        ("forward_up", {"type": "forward_up"}),
        ("horizontal=-3", {"type": "simple", "config": {"horizontal": -3.0}}),
        ('{"type": "simple", "config": {"pan": 2}}', {"type": "simple", "config": {"pan": 2}}),
    ],
)
def test_camera_forms(value: str, expected: dict[str, object]) -> None:
    assert parse_camera(value)[0] == expected


@pytest.mark.parametrize("value", ["zoom_inn", "simple", "zoom=fast", "wobble=3", "{bad json"])
def test_bad_camera_is_a_validation_error_naming_camera(value: str) -> None:
    with pytest.raises(CLIError) as info:
        parse_camera(value)
    assert info.value.exit_code == ExitCode.USAGE and "camera" in info.value.message


def test_every_preset_is_one_the_api_accepts() -> None:
    for name, preset in catalog.CAMERA_PRESETS.items():
        config = preset.get("config")
        if preset["type"] == "simple":
            assert isinstance(config, dict) and sum(1 for v in config.values() if v) == 1, name
        else:
            assert config is None, name


def test_mode_aliases_come_from_the_catalog() -> None:
    from klingkit.cli.generate import video

    mode = next(p for p in video.params if p.name == "mode")
    assert isinstance(mode.type, click.Choice)
    assert {"standard", "professional", "std", "pro", "4k"} <= set(mode.type.choices)
