"""The command lines' parser: argparse, with its refusals in Ukrainian first.

Shared by `cherha-server`, `cherha-kiosk`, `cherha-clerk` and `cherha-print` (standard library
only, so each role may import it).
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn


class BilingualParser(argparse.ArgumentParser):
    """A refusal says «Помилка: команду не розпізнано (…)» and where the help is, then argparse's
    own (English) message, and exits with 2. The subcommands' parsers are of this class too
    (argparse makes them like their parent)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(
            2,
            f"Помилка: команду не розпізнано ({message}). Довідка: {self.prog} --help\n"
            f"Error: {message}. Help: {self.prog} --help\n",
        )
