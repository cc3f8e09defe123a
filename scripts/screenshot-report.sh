#!/usr/bin/env bash
# Opens artifacts/security-report.html in headless Chromium, fails on any console error, and saves
# artifacts/security-report.png. Usage: scripts/screenshot-report.sh [report.html] [out.png]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
report="$(realpath "${1:-artifacts/security-report.html}")"
out="${2:-artifacts/security-report.png}"
[ -f "$report" ] || { echo "No report at $report: run ./build.sh Report (or Secure) first." >&2; exit 2; }

chromium_bin="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$chromium_bin" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    chromium_bin="$(command -v chromium)"
  else
    echo "Chromium is not installed: apt-get install chromium (or put chromium on PATH)." >&2
    exit 2
  fi
fi

profile="$(mktemp -d)"
log="$(mktemp)"
trap 'rm -rf "$profile" "$log"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars
       --enable-logging=stderr --log-level=0 --window-size=1280,1400)
# Console messages reach stderr as ...:CONSOLE:line] "message" (every level logs as INFO). The report
# runs no script, so any console message at all (an error, an uncaught exception) fails the check.
"$chromium_bin" "${flags[@]}" --dump-dom "file://$report" 2>"$log" >/dev/null || true
if grep -E ':CONSOLE[:(][0-9]+' "$log" >&2; then
  echo "The report logged to the console (above)." >&2
  exit 1
fi
"$chromium_bin" "${flags[@]}" --screenshot="$(realpath -m "$out")" "file://$report" 2>>"$log" >/dev/null || true
if grep -E 'ERR_FILE_NOT_FOUND|net::ERR_' "$log" | grep -v 'ERR_NAME_NOT_RESOLVED' >&2; then
  echo "The report tried to load something it does not contain (above)." >&2
  exit 1
fi
[ -s "$out" ] || { echo "Chromium wrote no screenshot; its log:" >&2; tail -n 20 "$log" >&2; exit 1; }
echo "Screenshot: $out (no console errors)"
