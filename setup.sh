#!/bin/sh
# Set up a fresh Debian machine for studybrief: fonts, HarfBuzz's subsetter, LibreOffice, Chromium (the
# studio's browser tests), cairo (SVG emblems drawn as PNG for Word), a venv.
# Safe to run again: each step is skipped when its result is already there.
set -eu
cd "$(dirname "$0")"

DEBS="fonts-noto-cjk texlive-lang-chinese libharfbuzz-subset0
      libpango-1.0-0 libpangoft2-1.0-0 poppler-utils libreoffice-writer-nogui pandoc
      chromium chromium-driver libcairo2"
missing=""
for deb in $DEBS; do
    dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "ok installed" || missing="$missing $deb"
done
if [ -n "$missing" ]; then
    echo "setup: installing Debian packages:$missing" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
    .venv/bin/pip install -q --disable-pip-version-check -e '.[test]'
    touch .venv/.installed
fi
