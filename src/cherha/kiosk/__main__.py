"""cherha-kiosk: the visitor kiosk (`--config kiosk.toml`, see docs/kiosk.md).

A window by default, so trying it on a desktop is safe; `--kiosk` (or `fullscreen = true` in
the configuration) puts it on kiosk duty: full screen, no way out but the administrator's PIN.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from cherha.commandline import BilingualParser

from .config import ConfigError, load_config

EXIT_CONFIG = 2


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = BilingualParser(
        prog="cherha-kiosk", description="Кіоск електронної черги / the visitor kiosk"
    )
    parser.add_argument(
        "--config",
        type=Path,
        help="файл TOML з [kiosk] і [printer] / TOML file with [kiosk] and [printer]",
    )
    duty = parser.add_mutually_exclusive_group()
    duty.add_argument(
        "--kiosk",
        action="store_true",
        help="режим кіоску: на весь екран, клавіші перехоплено, вихід лише з PIN / "
        "kiosk duty: full screen, keys swallowed, exit only with the PIN",
    )
    duty.add_argument(
        "--windowed",
        action="store_true",
        help="у вікні, навіть якщо налаштування кажуть інакше / "
        "a window even if the configuration says fullscreen",
    )
    parser.add_argument(
        "--log-level",
        default="warning",
        help="докладність журналу / log level: debug, info, warning, error",
    )
    # For benchmarks and smoke tests: say when the first screen is up, optionally quit then.
    parser.add_argument("--report-ready", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quit-when-ready", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"cherha-kiosk: помилка налаштувань / configuration error\n  {exc}", file=sys.stderr)
        return EXIT_CONFIG
    if args.kiosk or args.windowed:
        from dataclasses import replace

        config = replace(config, fullscreen=bool(args.kiosk))

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from .app import build_controller, build_window, use_kiosk_font

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("cherha-kiosk")
    use_kiosk_font(app)
    controller = build_controller(config)
    window = build_window(controller)
    window.exit_requested.connect(app.quit)
    if config.fullscreen:
        app.setOverrideCursor(Qt.CursorShape.BlankCursor)  # a touch screen needs no pointer
    window.show_on_screen()
    controller.start_services()

    def ready() -> None:
        if args.report_ready:
            print(f"KIOSK_READY {time.time():.6f}", flush=True)
            size = window.size()
            duty = "kiosk" if window.isFullScreen() else "windowed"
            print(f"KIOSK_WINDOW {duty} {size.width()}x{size.height()}", flush=True)
        if args.quit_when_ready:
            window.unlock()
            app.quit()

    if args.report_ready or args.quit_when_ready:
        QTimer.singleShot(0, ready)  # runs once the first screen has been laid out and shown
    try:
        return app.exec()
    finally:
        controller.stop()
        window.unlock()
        window.close()


if __name__ == "__main__":
    sys.exit(main())
