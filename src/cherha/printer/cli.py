"""``cherha-print``: test pages, previews, printing and status from the command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cherha.commandline import BilingualParser

from .config import ENV_VAR, PrinterConfig
from .device import Printer
from .errors import PrinterConfigError, PrinterError
from .jobs import build_job, render_preview
from .profiles import CODEPAGES, MODES, PROFILES
from .slips import Document, TestPage, document_from_mapping

EXIT_OK, EXIT_PRINTER, EXIT_USAGE = 0, 1, 2


def _printer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        help="файл TOML із розділом [printer] / TOML file with a [printer] section",
    )
    parser.add_argument(
        "--printer",
        metavar="SPEC",
        help=f"пристрій, замість {ENV_VAR} / device spec, overrides {ENV_VAR}",
    )
    parser.add_argument("--profile", choices=sorted(PROFILES))
    parser.add_argument("--mode", choices=MODES)
    parser.add_argument("--width", type=int, dest="width_dots", metavar="DOTS")
    parser.add_argument("--codepage", choices=CODEPAGES)


def build_parser() -> argparse.ArgumentParser:
    parser = BilingualParser(
        prog="cherha-print",
        description="Друк талонів Черги / Cherha ticket printing",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    page = sub.add_parser("test-page", help="тестова сторінка / print or save a test page")
    page.add_argument(
        "--output",
        type=Path,
        help="записати завдання ESC/POS у файл / write the raw ESC/POS job here",
    )
    preview = sub.add_parser("preview", help="PNG-попередній перегляд / PNG preview")
    preview.add_argument(
        "document",
        help="test-page або файл JSON талона чи запису / test-page, or a ticket/booking JSON file",
    )
    preview.add_argument("--output", type=Path, required=True, help="файл PNG / PNG file to write")
    send = sub.add_parser("print", help="друк / print to the configured printer")
    send.add_argument(
        "document",
        help="test-page або файл JSON талона чи запису / test-page, or a ticket/booking JSON file",
    )
    status = sub.add_parser("status", help="стан принтера / printer status")
    sub.add_parser("profiles", help="профілі принтерів / list printer profiles")
    for p in (page, preview, send, status):
        _printer_options(p)
    return parser


def _config(args: argparse.Namespace, *, need_device: bool) -> PrinterConfig:
    """--printer, else CHERHA_PRINTER / --config; a preview-only default when no device."""
    if args.printer:
        config = PrinterConfig.parse_spec(args.printer)
    elif args.config is not None or os.environ.get(ENV_VAR):
        config = PrinterConfig.load(args.config)
    elif need_device:
        config = PrinterConfig.from_env()  # raises the bilingual "not set" error
    else:
        config = PrinterConfig(transport="file", target=os.devnull)
    changes = {
        key: getattr(args, key)
        for key in ("profile", "mode", "width_dots", "codepage")
        if getattr(args, key) is not None
    }
    return config.with_options(**changes) if changes else config


def _document(name: str) -> Document:
    if name == "test-page":
        return TestPage()
    with Path(name).open(encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict):
        raise ValueError("the JSON must be an object")
    return document_from_mapping(data)


def _run(args: argparse.Namespace) -> int:
    if args.command == "profiles":
        for p in PROFILES.values():
            pages = ", ".join(f"{k}=ESC t {v}" for k, v in p.codepages.items())
            print(f"{p.name:15} {p.width_dots} dots  {p.mode:6} {pages}  {p.description}")
        return EXIT_OK
    if args.command == "test-page" and args.output is not None:
        config = _config(args, need_device=False)
        args.output.write_bytes(build_job(TestPage(), config))
        print(f"{args.output}: {args.output.stat().st_size} B ({config.effective_mode})")
        return EXIT_OK
    if args.command == "preview":
        config = _config(args, need_device=False)
        render_preview(_document(args.document), config).save(args.output, optimize=True)
        print(f"{args.output}")
        return EXIT_OK
    printer = Printer(_config(args, need_device=True))
    if args.command == "status":
        state = printer.status()
        print(f"{printer.transport.describe()}: {state.describe()}")
        return EXIT_OK if state.ready else EXIT_PRINTER
    document = TestPage() if args.command == "test-page" else _document(args.document)
    state = printer.print(document)
    print(f"Надруковано / Printed: {printer.transport.describe()} ({state.describe()})")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns 0 on success, 1 on a printer fault, 2 on bad input."""
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except PrinterError as exc:
        print(str(exc), file=sys.stderr)
        if exc.detail:
            print(f"  ({exc.detail})", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, PrinterConfigError) else EXIT_PRINTER
    except (OSError, ValueError) as exc:
        print(f"Помилка / Error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
