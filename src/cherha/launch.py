"""The console scripts: each role starts only when its extra is installed, else says which.

`pip install cherha` alone gives the shared client; `cherha[server]`, `cherha[kiosk]`,
`cherha[desk]` add a role. A missing dependency would otherwise end in a traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from typing import Any

_NEEDS = {
    "server": ("fastapi", "sqlalchemy", "uvicorn"),
    "kiosk": ("PySide6", "escpos", "PIL"),
    "desk": ("PySide6",),
    "printer": ("escpos", "PIL", "qrcode"),
}


def _missing(role: str) -> list[str]:
    """The role's packages that are not installed: looked up, not imported (importing them
    here cost every command the server's whole framework, `--help` included)."""
    return [module for module in _NEEDS[role] if importlib.util.find_spec(module) is None]


def _start(role: str, module: str) -> Any:
    missing = _missing(role)
    if missing:
        print(
            f"Для цієї програми потрібна роль «{role}»: pip install 'cherha[{role}]'\n"
            f"This program needs the '{role}' role: pip install 'cherha[{role}]'\n"
            f"(missing / бракує: {', '.join(missing)})",
            file=sys.stderr,
        )
        raise SystemExit(3)
    main: Callable[[], Any] = importlib.import_module(module).main
    return main()


def server() -> Any:
    return _start("server", "cherha.server.cli")


def kiosk() -> Any:
    return _start("kiosk", "cherha.kiosk.__main__")


def clerk() -> Any:
    return _start("desk", "cherha.clerk.__main__")


def printer() -> Any:
    return _start("printer", "cherha.printer.cli")
