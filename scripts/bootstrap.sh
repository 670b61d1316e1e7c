#!/usr/bin/env bash
# Make this machine ready for Cherha: Debian packages, a virtual environment, Python packages.
# Sourced by scripts/demo and scripts/test.  Usage: bootstrap_cherha runtime|test
# Safe to run again: it installs only what is missing.
set -euo pipefail

CHERHA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHERHA_VENV="${CHERHA_VENV:-$CHERHA_ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

# Qt (PySide6) needs these shared libraries; fonts-dejavu-core gives Ukrainian glyphs;
# espeak-ng speaks Ukrainian offline; libpulse0 for QtMultimedia.
RUNTIME_DEBS=(python3-venv libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1
  libdbus-1-3 libglib2.0-0 fonts-dejavu-core espeak-ng libpulse0)
# Tests also need a browser, a PostgreSQL server and a virtual screen for screenshots.
TEST_DEBS=(chromium chromium-driver postgresql xvfb libxcb-icccm4 libxcb-keysyms1
  libxcb-cursor0 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0
  systemd cage xwayland)

say() { printf '\033[1m[cherha]\033[0m %s\n' "$*" >&2; }

ensure_debs() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    say "Missing system packages (install them by hand): ${missing[*]}"; return 1
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "Installing Debian packages / встановлюю пакети: ${missing[*]}"
  # Another apt-get (an unattended upgrade, a second terminal) may hold the dpkg lock: wait for
  # it instead of failing.
  local wait_lock=(-o DPkg::Lock::Timeout=900)
  $sudo apt-get "${wait_lock[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get "${wait_lock[@]}" install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_python() {
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    say "Python 3.11 or newer is needed (found: $("$PYTHON" --version 2>&1 || echo none))"; return 1
  fi
}

ensure_venv() {
  local extras="$1"
  if [ ! -x "$CHERHA_VENV/bin/python" ]; then
    say "Creating the virtual environment in $CHERHA_VENV"
    "$PYTHON" -m venv "$CHERHA_VENV"
    "$CHERHA_VENV/bin/python" -m pip install -q --upgrade pip
  fi
  # Reinstall only when pyproject.toml changed since the last install.
  local stamp="$CHERHA_VENV/.cherha-$extras.sha"
  local want
  want="$(sha256sum "$CHERHA_ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! "$CHERHA_VENV/bin/python" -c 'import cherha.server' 2>/dev/null; then
    say "Installing Python packages / встановлюю пакети Python ($extras)"
    # The demo runs every role on this computer; the tests need the test tools too.
    local spec="$CHERHA_ROOT[all]"
    [ "$extras" = "test" ] && spec="$CHERHA_ROOT[all,dev]"
    "$CHERHA_VENV/bin/python" -m pip install -q -e "$spec"
    echo "$want" > "$stamp"
  fi
}

# axe-core checks the console's pages for accessibility (tests/web/test_admin_a11y.py); the
# tests inject it from here, never from a CDN.
AXE_VERSION="4.10"
ensure_axe() {
  local dir="$CHERHA_ROOT/.cache/node"
  [ -f "$dir/node_modules/axe-core/axe.min.js" ] && return 0
  say "Installing axe-core $AXE_VERSION (npm) for the accessibility tests"
  # Debian's npm only where no Node.js is installed yet (it conflicts with NodeSource's nodejs,
  # which brings its own npm).
  command -v npm >/dev/null || ensure_debs nodejs npm
  mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --prefix "$dir" "axe-core@^$AXE_VERSION" >/dev/null
}

bootstrap_cherha() {
  local what="${1:-runtime}"
  ensure_python
  if [ "$what" = "test" ]; then
    ensure_debs "${RUNTIME_DEBS[@]}" "${TEST_DEBS[@]}"
  else
    ensure_debs "${RUNTIME_DEBS[@]}"
  fi
  ensure_venv "$what"
  [ "$what" = "test" ] && ensure_axe
  export PATH="$CHERHA_VENV/bin:$PATH"
}
