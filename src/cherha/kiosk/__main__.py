"""cherha-kiosk: the visitor kiosk (full screen; `--config kiosk.toml`, see docs/kiosk.md)."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from .config import ConfigError, load_config

EXIT_CONFIG = 2


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="cherha-kiosk", description="Кіоск електронної черги / the visitor kiosk"
    )
    parser.add_argument("--config", type=Path, help="TOML file with [kiosk] and [printer]")
    parser.add_argument("--windowed", action="store_true", help="not full screen (setting up)")
    parser.add_argument("--log-level", default="warning", help="debug, info, warning, error")
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
    if args.windowed:
        from dataclasses import replace

        config = replace(config, fullscreen=False)

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
        window.showFullScreen()
    else:
        window.show()
    controller.start_services()

    def ready() -> None:
        if args.report_ready:
            print(f"KIOSK_READY {time.time():.6f}", flush=True)
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
