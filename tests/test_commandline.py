"""Every command line refuses what it does not understand in Ukrainian first, English beside."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cherha.clerk.__main__ import parse_args as clerk_args
from cherha.kiosk.__main__ import parse_args as kiosk_args
from cherha.printer.cli import build_parser as printer_parser
from cherha.server.cli import build_parser as server_parser

REFUSED: dict[str, tuple[Callable[[list[str]], object], list[str], str]] = {
    "server, an unknown command": (server_parser().parse_args, ["serv"], "cherha-server"),
    "server, a missing name": (server_parser().parse_args, ["set-role"], "cherha-server set-role"),
    "kiosk, an unknown option": (kiosk_args, ["--full-screen"], "cherha-kiosk"),
    "kiosk, two duties at once": (kiosk_args, ["--kiosk", "--windowed"], "cherha-kiosk"),
    "desk, an unknown option": (clerk_args, ["--srever", "http://x"], "cherha-clerk"),
    "printer, an unknown command": (printer_parser().parse_args, ["tset-page"], "cherha-print"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refusal_says_what_and_where_the_help_is_in_both_languages(
    case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    parse, argv, prog = REFUSED[case]
    with pytest.raises(SystemExit) as exited:
        parse(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: {prog}"), err
    uk, en = err.strip().splitlines()[-2:]
    assert uk.startswith("Помилка: команду не розпізнано ("), uk
    assert uk.endswith(f"Довідка: {prog} --help"), uk
    assert en.startswith("Error: "), en
    assert en.endswith(f"Help: {prog} --help"), en
