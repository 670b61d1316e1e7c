"""Configuration: the TOML file, environment overrides, clear errors, and the console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cherha.kiosk.__main__ import main
from cherha.kiosk.config import ConfigError, load_config
from tests.helpers.app import Centre
from tests.helpers.clerk_server import RestartableServer

FULL = """
[kiosk]
server_url = "http://192.0.2.5:8000/"
device_key = "kiosk-key-from-file"
language = "en"
orientation = "landscape"
admin_pin = "135790"
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
    assert not config.fullscreen  # a window unless --kiosk or fullscreen = true: safe to try
    assert config.speech_output == "loudspeaker"  # no phone or name read aloud by default
    assert (config.idle_seconds, config.idle_warning_seconds) == (90.0, 20.0)
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
        ('[kiosk]\nserver_url = "ftp://x"\n', "[kiosk] server_url", "http://"),
        ("[kiosk\n", "kiosk.toml", "TOML"),
        ("[kiosks]\n", "kiosk.toml", "невідомі розділи"),
        ('[kiosk]\nspeech_output = "hall"\n', "[kiosk] speech_output", "headphones"),
        ("[kiosk]\nidle_warning_seconds = 5\n", "[kiosk] idle_warning_seconds", "від 20"),
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


@pytest.mark.parametrize(
    "value",
    [
        '[{ uk = "Військовослужбовці", en = "Serving military" }, "Ветерани війни"]',
        "[1]",  # never read now, so never refused either
    ],
)
def test_an_old_file_with_its_own_priority_categories_loads_and_says_they_are_the_centre_s(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, value: str
) -> None:
    """The kiosk asks the centre's list (GET /api/v1/branch), the one the hall shows: a file
    from before keeps working, and the log says where the list lives now."""
    path = write(
        tmp_path,
        '[kiosk]\nserver_url = "http://a:1"\ndevice_key = "k"\n'
        f"priority_categories = {value}\n"
        '[printer]\ndevice = "file:/tmp/x.bin"\n',
    )
    with caplog.at_level("WARNING", logger="cherha.kiosk.config"):
        config = load_config(path, env={})
    assert config.server_url == "http://a:1"
    assert not hasattr(config, "priority_categories")
    [record] = caplog.records
    said = record.getMessage()
    assert f"{path} [kiosk] priority_categories" in said
    assert "більше не діє" in said
    assert "no longer used" in said
    assert "[centre] priority_categories" in said


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
@pytest.mark.parametrize(
    ("flags", "config_says", "expected"),
    [
        ([], "", "windowed"),  # the documented command is safe on a developer's desktop
        (["--kiosk"], "", "kiosk"),  # kiosk duty (the systemd unit's command)
        ([], "fullscreen = true\n", "kiosk"),
        (["--windowed"], "fullscreen = true\n", "windowed"),
    ],
)
def test_cherha_kiosk_starts_and_shows_its_first_screen(
    tmp_path: Path,
    server: RestartableServer,
    centre: Centre,
    flags: list[str],
    config_says: str,
    expected: str,
) -> None:
    path = write(
        tmp_path,
        f'[kiosk]\nserver_url = "{server.url}"\ndevice_key = "{centre.kiosk_key}"\n'
        f'speech = "off"\n{config_says}[printer]\ndevice = "file:{tmp_path / "job.bin"}"\n',
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cherha.kiosk",
            "--config",
            str(path),
            *flags,
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
    window = next(line for line in result.stdout.splitlines() if line.startswith("KIOSK_WINDOW"))
    assert window.split()[1] == expected


KIOSK_HELP_PROBE = """
import json, sys
sys.argv = ["cherha-kiosk", "--help"]
from cherha.launch import kiosk
try:
    kiosk()
except SystemExit:
    pass
loaded_for_help = "escpos" in sys.modules
from cherha.printer import build_job  # the printing loads on first use
print(json.dumps([loaded_for_help, "escpos" in sys.modules, build_job.__module__]))
"""


def test_the_kiosk_s_help_loads_no_printing_library() -> None:
    """`cherha-kiosk --help` (and reading a configuration) needs the printer's settings, not
    python-escpos (~0.4 s): it loads when the kiosk prints."""
    run = subprocess.run(
        [sys.executable, "-c", KIOSK_HELP_PROBE],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.splitlines()[-1]) == [False, True, "cherha.printer.jobs"]
