#!/usr/bin/env bash
# Install everything the tests need (Python packages, Debian's chromium for browser tests)
# and run the whole test suite. This is the command .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is not installed (apt-get install chromium); browser tests will be skipped" >&2
  fi
fi
# nginx for the multi-process test (tests/test_multiprocess.py: two app processes behind it)
if ! command -v nginx >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  else
    echo "nginx is not installed (apt-get install nginx); the multi-process test will be skipped" >&2
  fi
fi
# axe-core (pinned) for the accessibility checks in tests/test_browser.py, from npm into .tools/.
AXE_VERSION=4.14.1
if [ ! -f .tools/axe/node_modules/axe-core/package.json ] || ! grep -q "\"version\": \"$AXE_VERSION\"" .tools/axe/node_modules/axe-core/package.json; then
  if command -v npm >/dev/null 2>&1; then
    npm install --prefix .tools/axe --no-audit --no-fund --no-save --silent "axe-core@$AXE_VERSION"
  else
    echo "npm is not installed; the axe-core accessibility tests will be skipped" >&2
  fi
fi
python3 -m pip install -q --disable-pip-version-check -r requirements-dev.txt
# Lint and import order first (settings in pyproject.toml): a finding stops the run before the tests.
python3 -m ruff check --quiet .
exec python3 -m pytest "$@"
