#!/usr/bin/env bash
# The two programs the test suites drive besides Node, PostgreSQL and Redis, found or installed in one
# place for `npm test` and .ci/run alike:
#   - GnuPG at /usr/bin/gpg: the exports are checked by decrypting them with it (libs/crypto's interop
#     tests, test/api/export.e2e-spec.ts);
#   - Chromium at $CHROMIUM_PATH (by default /usr/bin/chromium): the browser tests (test/portal/).
# When one is missing it is installed with apt-get (as root, or with sudo if that needs no password);
# otherwise the script stops with one line per missing program saying how to get it. Set
# NOLAN_NO_TOOL_INSTALL=1 to only check.
set -euo pipefail

gpg=/usr/bin/gpg
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"

missing_packages() {
  local packages=()
  [ -x "$gpg" ] || packages+=(gnupg)
  # A CHROMIUM_PATH of one's own is never "fixed" by installing Debian's chromium elsewhere.
  if [ ! -x "$chromium" ] && [ -z "${CHROMIUM_PATH:-}" ]; then packages+=(chromium); fi
  echo "${packages[@]:-}"
}

explain_and_fail() {
  [ -x "$gpg" ] ||
    echo "nolan: the tests need GnuPG at $gpg: install it (Debian/Ubuntu: sudo apt-get install -y gnupg)" >&2
  if [ ! -x "$chromium" ]; then
    if [ -n "${CHROMIUM_PATH:-}" ]; then
      echo "nolan: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable: point it at Chromium or Chrome" >&2
    else
      echo "nolan: the browser tests need Chromium at $chromium: install it (Debian: sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary" >&2
    fi
  fi
  exit 1
}

install() {
  local packages=("$@") runner=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then runner=(sudo); else return 1; fi
  fi
  command -v apt-get >/dev/null 2>&1 || return 1
  echo "test tools: apt-get install ${packages[*]}"
  "${runner[@]}" apt-get update -qq &&
    "${runner[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
}

read -r -a needed <<<"$(missing_packages)"
if [ ${#needed[@]} -gt 0 ] && [ "${NOLAN_NO_TOOL_INSTALL:-}" != 1 ]; then
  install "${needed[@]}" || true
fi
if [ ! -x "$gpg" ] || [ ! -x "$chromium" ]; then explain_and_fail; fi

echo "test tools: $("$gpg" --version | head -n 1) at $gpg; Chromium at $chromium"
