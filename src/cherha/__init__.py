"""Cherha («черга»): an electronic queue and appointment system for public service centres.

One distribution, installed by role: `cherha[server]` the queue server, `cherha[kiosk]` the
visitor kiosk, `cherha[desk]` the clerk desk; the shared core, wire models and client need only
pydantic and requests.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cherha")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

__all__ = ["__version__"]
