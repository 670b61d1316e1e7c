"""What README.md and docs/*.md name exists: files, modules, commands and the server's addresses.

The rules, kept simple and strict. In every `code span`, every line of a shell (or plain) code
block, and every relative link of those files, each word is looked at:

- a word with a `/` is a path. Under the repository, its `src/` (the package as installed) or
  the document's folder it must exist,
  placeholders such as `{id}`, `<id>`, `…` and `*` matching anything; a word starting with `/`
  is an address of the server (as it is, or after `/api/v1`) and must not be a route the server
  lacks (a GET that answers "no such address"), unless it starts with one of the few system
  folders below.
- `cherha.x.y` must import (the last parts may be attributes); `python -m X` must find X.
- `cherha-server SUB`, `cherha-print SUB` must be subcommands, and their `--options` options of
  that subcommand; `./scripts/X` must exist (a path, above).

What is not in the repository and not an address is listed below, each for a reason.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cherha.printer.cli import build_parser as printer_parser
from cherha.server.app import create_app
from cherha.server.cli import build_parser as server_parser
from tests.helpers.app import settings_for

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# Folders of the machine, not of the repository (a kiosk's config in /etc, Chromium in /usr/bin,
# a demo's print folder in /tmp, the user's data folder), the virtual environment the scripts
# make, and the wheels a build writes.
OUTSIDE = ("/etc/", "/var/", "/usr/", "/tmp/", "/dev/", "/opt/", "~/", ".venv/", "dist/")
# Words with a slash that are not paths: media types, and the language folders of a centre's
# recorded clips (inside the folder an administrator names).
NOT_PATHS = {
    "audio/wav",
    "image/png",
    "text/event-stream",
    "text/plain",
    "application/json",
    "uk/",
    "en/",
    "ESC/POS",  # the printers' command language
    "EOT/ENQ/DC4",  # its status commands
}
NOT_MODULES = {"cherha.db"}  # the SQLite database's file name
API = "/api/v1"  # the docs name the API's routes with it or after it
PLACEHOLDER = re.compile(r"\{[^}]*\}|<[^>]*>|…|\.\.\.|\*|N\b")
CODE_SPAN = re.compile(r"(?<!`)`([^`]+)`(?!`)")  # a span may go on over a line break
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\]\(([^)\s]+)\)|<img src=\"([^\"]+)\"")
MODULE = re.compile(r"^cherha(?:\.\w+)+")


def _texts(doc: Path) -> Iterator[str]:
    """The code spans, the lines of shell or plain code blocks, in reading order."""
    text = doc.read_text(encoding="utf-8")
    for lang, body in FENCE.findall(text):
        if lang in ("", "sh", "bash", "console"):
            yield from (line for line in body.splitlines() if not line.lstrip().startswith("#"))
    for span in CODE_SPAN.findall(FENCE.sub("", text)):
        assert "\n\n" not in span, f"{doc.name}: a backtick without its pair: {span[:60]!r}"
        yield span.replace("\n", " ")


def _words(text: str) -> list[str]:
    """The words of a command or a span, up to a shell comment; redirections as their target."""
    words = []
    for raw in text.replace("\\", " ").split():
        if raw.startswith("#"):
            break
        word = re.sub(r"^\d*[<>]+&?", "", raw).strip("\"'(),;[]|&")
        if "=" in word and not word.startswith("-"):
            word = word.split("=", 1)[1]  # VAR=value: the value
        if word:
            words.append(word)
    return words


def _links(doc: Path) -> Iterator[str]:
    for target, src in LINK.findall(doc.read_text(encoding="utf-8")):
        link = (target or src).split("#", 1)[0]
        if link and "://" not in link and not link.startswith("mailto:"):
            yield link


PATH = re.compile(r"[\w.~/{}<>…*?=&+-]+", re.ASCII)


def _is_path(word: str) -> bool:
    return "/" in word and bool(PATH.fullmatch(word.replace("…", ""))) and word not in NOT_PATHS


def _repository_path_exists(word: str, doc: Path) -> bool:
    path = word.removeprefix("./").split("?", 1)[0].split("#", 1)[0]
    pattern = PLACEHOLDER.sub("*", path).rstrip("/")
    for base in (ROOT, ROOT / "src", doc.parent):  # src/: the package as installed
        if "*" in pattern:
            if any(base.glob(pattern)):
                return True
        elif (base / pattern).exists():
            return True
    return False


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    database = tmp_path_factory.mktemp("docs") / "cherha.db"
    app = create_app(settings_for(f"sqlite:///{database}"), migrate=True)
    # From loopback, as the docs' reader on the server's machine: `/metrics` answers there only.
    yield TestClient(app, client=("127.0.0.1", 50000))
    app.state.backend.db.dispose()


def _is_route(server: TestClient, address: str) -> bool:
    """Whether the server has a route for this address (placeholders filled with 1)."""
    path = PLACEHOLDER.sub("1", address.split("?", 1)[0].split("#", 1)[0])
    answer = server.get(path)
    missing = answer.status_code == 404 and answer.headers.get("content-type", "").startswith(
        "application/json"
    )
    return not (missing and answer.json().get("error") == "http_404")


def _module_exists(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        name = ".".join(parts[:cut])
        try:
            found = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            found = None
        if found is None:
            continue
        obj: object = importlib.import_module(name)
        for attr in parts[cut:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


COMMANDS = {"cherha-server": server_parser(), "cherha-print": printer_parser()}


def _command_problems(words: list[str]) -> Iterator[str]:
    for i, word in enumerate(words):
        if word in COMMANDS and i + 1 < len(words) and not words[i + 1].startswith("-"):
            parser = COMMANDS[word]
            subs = _subcommands(parser)
            sub = words[i + 1]
            if sub not in subs:
                yield f"{word} {sub}: no such subcommand"
                continue
            known = {*subs[sub]._option_string_actions, *parser._option_string_actions}
            for option in words[i + 2 :]:
                if option in COMMANDS or option.startswith(("cherha-", "./", ".venv/")):
                    break
                if option.startswith("--") and option.split("=")[0] not in known:
                    yield f"{word} {sub}: no option {option}"
        if word == "-m" and 0 < i < len(words) - 1 and words[i - 1].endswith(("python", "python3")):
            module = words[i + 1]
            if importlib.util.find_spec(module) is None:
                yield f"python -m {module}: no such module"


def _problems(doc: Path, server: TestClient) -> Iterator[str]:
    for text in _texts(doc):
        words = _words(text)
        yield from _command_problems(words)
        for word in words:
            if module := MODULE.match(word):
                if module.group(0) not in NOT_MODULES and not _module_exists(module.group(0)):
                    yield f"{module.group(0)}: no such module or name"
            elif not _is_path(word) or word.startswith(OUTSIDE) or "://" in word:
                continue
            elif word.startswith("/"):
                if not (word == API or _is_route(server, word) or _is_route(server, API + word)):
                    yield f"{word}: the server has no such address"
            elif not _repository_path_exists(word, doc):
                yield f"{word}: no such file or folder"
    for link in _links(doc):
        if not (doc.parent / link).exists():
            yield f"link {link}: no such file"


@pytest.mark.parametrize("doc", DOCS, ids=[d.relative_to(ROOT).as_posix() for d in DOCS])
def test_what_the_docs_name_exists(doc: Path, server: TestClient) -> None:
    problems = sorted(set(_problems(doc, server)))
    assert problems == [], "\n".join(problems)


def test_the_rules_catch_what_is_gone(tmp_path: Path, server: TestClient) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "See `src/cherha/kiosk/qtcompat.py`, `cherha.kiosk.qtcompat`, `/no-such-page`,\n"
        "`cherha-server frobnicate`, `cherha-server init --sample --gone`, [x](missing.md),\n"
        "`python -m no_such_module`, `one span over\ncherha.client.BookingInfo`;\n"
        "but `src/cherha/core/` and `/display` and\n"
        "`/etc/cherha/kiosk.toml` and `cherha.wire.Board` are fine.\n",
        encoding="utf-8",
    )
    assert sorted(_problems(doc, server)) == [
        "/no-such-page: the server has no such address",
        "cherha-server frobnicate: no such subcommand",
        "cherha-server init: no option --gone",
        "cherha.client.BookingInfo: no such module or name",
        "cherha.kiosk.qtcompat: no such module or name",
        "link missing.md: no such file",
        "python -m no_such_module: no such module",
        "src/cherha/kiosk/qtcompat.py: no such file or folder",
    ]
