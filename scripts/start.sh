#!/usr/bin/env bash
# Install the dashboard's packages and start it on http://localhost:8501.
#
# An empty store fills itself: a refresh from CBS runs beside the app, with a progress bar
# here and on the first-run page. When CBS cannot be reached (a quick probe, seconds), an
# empty store is filled from the snapshot that ships with the project instead
# (data_sources/bundled/momentopname.zip; every page then says of when it is).
#
#   bash scripts/start.sh                        # fill if empty, then serve
#   bash scripts/start.sh --snapshot FILE.zip    # import FILE.zip first (no network needed)
#   bash scripts/start.sh --fill-only            # fill if empty (in the foreground), do not serve
#
# Every other argument goes to `streamlit run` (e.g. --server.port 8502).
set -euo pipefail
cd "$(dirname "$0")/.."

snapshot=""
fill_only=0
serve_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --snapshot) snapshot="${2:?--snapshot needs a file}"; shift 2 ;;
    --fill-only) fill_only=1; shift ;;
    *) serve_args+=("$1"); shift ;;
  esac
done

python3 -m pip install -q --disable-pip-version-check -r requirements.txt

if [ -n "$snapshot" ]; then
  python3 -m data_sources import "$snapshot"
fi

store_is_empty() {
  python3 -c 'import sys; from data_sources.api import open_store; sys.exit(0 if open_store().is_empty() else 1)'
}

if store_is_empty && ! unreachable=$(python3 -m data_sources probe 2>&1); then
  echo "$unreachable; the store is empty, so it is filled from the snapshot that comes with the project." >&2
  python3 -m data_sources import data_sources/bundled/momentopname.zip
elif store_is_empty; then
  echo "The store is empty: fetching every indicator from CBS (progress below and on the page)." >&2
  if [ "$fill_only" = 1 ]; then
    python3 -m data_sources refresh
    exit $?
  fi
  # Beside the app, so the page is up at once and shows the progress. A failed indicator
  # keeps the app running; it is retried at the next refresh.
  python3 -m data_sources refresh &
fi
if [ "$fill_only" = 1 ]; then
  exit 0
fi
exec python3 -m streamlit run app.py "${serve_args[@]}"
