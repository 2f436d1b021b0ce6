#!/usr/bin/env bash
# System packages: the libraries WeasyPrint needs, and with --browser chromium for the
# browser tests (`make test`; `make run` does not need it).
# Pango renders text; HarfBuzz's subset library makes font subsetting about eight times
# faster than its pure-Python fallback.
set -euo pipefail

if ! command -v ldconfig >/dev/null 2>&1 && [ ! -x /sbin/ldconfig ]; then
  echo "system-deps: cannot check shared libraries here (no ldconfig); WeasyPrint needs Pango and HarfBuzz." >&2
  exit 0
fi
libs=$(PATH="$PATH:/sbin:/usr/sbin" ldconfig -p)
missing=()
grep -q 'libpango-1.0.so.0' <<<"$libs" || missing+=(libpango-1.0-0)
grep -q 'libpangoft2-1.0.so.0' <<<"$libs" || missing+=(libpangoft2-1.0-0)
grep -q 'libharfbuzz-subset.so.0' <<<"$libs" || missing+=(libharfbuzz-subset0)
[ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
# The browser tests (tests/test_browser_csp.py) drive Debian's chromium; not in the image.
browser=()
if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then browser=(chromium); fi
missing=("${missing[@]}" "${browser[@]}")

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "system-deps: missing system packages (WeasyPrint, browser tests): ${missing[*]}" >&2
  echo "Install them, then run the command again:" >&2
  echo "    sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
