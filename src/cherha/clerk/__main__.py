"""cherha-clerk: the clerk's desk."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from cherha.commandline import BilingualParser

from .settings import StateStore, load_config


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = BilingualParser(
        prog="cherha-clerk", description="Робоче місце працівника / the clerk's desk"
    )
    parser.add_argument(
        "--config", type=Path, help="файл TOML ([clerk] server_url, state_dir) / TOML file"
    )
    parser.add_argument(
        "--server", help="адреса сервера черги (типово CHERHA_SERVER_URL) / queue server URL"
    )
    parser.add_argument(
        "--log-level",
        default="warning",
        help="докладність журналу / log level: debug, info, warning, error",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    config = load_config(args.config, args.server)

    from PySide6.QtWidgets import QApplication

    from .controller import DeskController
    from .i18n import Translator
    from .window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("cherha-clerk")
    controller = DeskController(
        StateStore(config.state_dir), Translator(), server_url=config.server_url
    )
    window = MainWindow(controller)
    window.show()
    code = app.exec()
    window.close()  # stops the event listener and waits for calls under way
    return code


if __name__ == "__main__":
    sys.exit(main())
