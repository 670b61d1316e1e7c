"""Configuration: the TOML file, environment overrides, clear errors, and the console script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cherha.kiosk.__main__ import main
from cherha.kiosk.config import ConfigError, PriorityCategory, load_config
from tests.helpers.app import Centre
from tests.helpers.clerk_server import RestartableServer

FULL = """
[kiosk]
server_url = "http://192.0.2.5:8000/"
device_key = "kiosk-key-from-file"
language = "en"
orientation = "landscape"
admin_pin = "135790"
priority_categories = [
  { uk = "Особи з інвалідністю I групи та їх супровідники", en = "People with group I disabilities and companions" },
  "Військовослужбовці",
]
return_delay_seconds = 15
fullscreen = false
centre_name = "ЦНАП Печерського району"
footer = "Дякуємо!"
high_contrast = true
speech = "off"

[printer]
device = "network:192.0.2.10:9100"
profile = "generic-58"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL), env={})
    assert config.server_url == "http://192.0.2.5:8000"
    assert config.device_key == "kiosk-key-from-file"
    assert config.language == "en"
    assert config.orientation == "landscape"
    assert config.admin_pin == "135790"
    assert config.priority_categories[0].en.startswith("People with group I")
    assert config.priority_categories[1] == PriorityCategory(
        "Військовослужбовці", "Військовослужбовці"
    )
    assert config.return_delay_seconds == 15.0
    assert not config.fullscreen
    assert config.high_contrast
    assert config.printer.transport == "network"
    assert config.printer.target == "192.0.2.10"
    assert config.printer.profile == "generic-58"


def test_defaults_and_environment_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, '[kiosk]\nserver_url = "http://a:1"\ndevice_key = "k"\n')
    env = {
        "CHERHA_SERVER_URL": "http://b:2",
        "CHERHA_DEVICE_KEY": "env-key",
        "CHERHA_PRINTER": f"file:{tmp_path / 'job.bin'}",
    }
    config = load_config(path, env=env)
    assert (config.server_url, config.device_key) == ("http://b:2", "env-key")
    assert config.printer.transport == "file"
    assert config.language == "uk"
    assert config.orientation == "auto"
    assert config.fullscreen
    assert config.priority_categories == ()
    assert config.return_delay_seconds == 12.0
    only_env = load_config(None, env=env)
    assert only_env.server_url == "http://b:2"


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ('[kiosk]\nlanguage = "de"\n', "[kiosk] language", "uk | en"),
        ('[kiosk]\norientation = "sideways"\n', "[kiosk] orientation", "portrait"),
        ("[kiosk]\nfullscreen = 1\n", "[kiosk] fullscreen", "true або false"),
        ("[kiosk]\nreturn_delay_seconds = -1\n", "[kiosk] return_delay_seconds", "від"),
        ('[kiosk]\nadmin_pin = "12a4"\n', "[kiosk] admin_pin", "цифр"),
        ('[kiosk]\nsever_url = "http://x"\n', "[kiosk]", "невідомі ключі: sever_url"),
        ("[kiosk]\npriority_categories = [1]\n", "priority_categories[0]", "рядок"),
        ('[kiosk]\nserver_url = "ftp://x"\n', "[kiosk] server_url", "http://"),
        ("[kiosk\n", "kiosk.toml", "TOML"),
        ("[kiosks]\n", "kiosk.toml", "невідомі розділи"),
    ],
)
def test_bad_values_say_where_and_what(tmp_path: Path, text: str, where: str, what: str) -> None:
    base = '[printer]\ndevice = "file:/tmp/x.bin"\n'
    if "server_url" not in text and text != "[kiosk\n" and "[kiosks]" not in text:
        text = text.replace("[kiosk]\n", '[kiosk]\nserver_url = "http://a:1"\ndevice_key = "k"\n')
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text + ("" if text == "[kiosk\n" else base)), env={})
    assert where in info.value.where or where in str(info.value)
    assert what in str(info.value)


def test_missing_pieces(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="файл не знайдено"):
        load_config(tmp_path / "nope.toml", env={})
    with pytest.raises(ConfigError, match="CHERHA_SERVER_URL"):
        load_config(None, env={})
    with pytest.raises(ConfigError, match="add-device"):
        load_config(None, env={"CHERHA_SERVER_URL": "http://a:1"})
    with pytest.raises(ConfigError, match="CHERHA_PRINTER"):
        load_config(None, env={"CHERHA_SERVER_URL": "http://a:1", "CHERHA_DEVICE_KEY": "k"})
    path = write(
        tmp_path, '[kiosk]\nserver_url="http://a:1"\ndevice_key="k"\n[printer]\ndevice="lpt:1"\n'
    )
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert "[printer]" in info.value.where


def test_main_exits_non_zero_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("CHERHA_SERVER_URL", "CHERHA_DEVICE_KEY", "CHERHA_PRINTER"):
        monkeypatch.delenv(var, raising=False)
    path = write(tmp_path, '[kiosk]\nlanguage = "fr"\n')
    assert main(["--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "помилка налаштувань / configuration error" in err
    assert f"{path} [kiosk] language" in err


@pytest.mark.slow
def test_cherha_kiosk_starts_and_shows_its_first_screen(
    tmp_path: Path, server: RestartableServer, centre: Centre
) -> None:
    path = write(
        tmp_path,
        f'[kiosk]\nserver_url = "{server.url}"\ndevice_key = "{centre.kiosk_key}"\n'
        f'speech = "off"\n[printer]\ndevice = "file:{tmp_path / "job.bin"}"\n',
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cherha.kiosk",
            "--config",
            str(path),
            "--report-ready",
            "--quit-when-ready",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("KIOSK_READY ")
