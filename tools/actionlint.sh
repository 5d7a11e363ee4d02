#!/usr/bin/env bash
# Lints .github/workflows/ with actionlint, built once from its Go module (module proxy) into the
# toolchain cache, at the pinned version:
#   tools/actionlint.sh [files...]     build if missing, then lint (default: every workflow)
#   tools/actionlint.sh --build        only build
# Nothing prebuilt is downloaded. shellcheck is used for `run:` scripts when it is on PATH.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ACTIONLINT_VERSION=1.7.12
CACHE=${CDN_INGRESS_CACHE:-$HOME/.cache/cdn-ingress}
BIN=$CACHE/bin
STAMP=$BIN/.stamp-actionlint

build() {
  if [ -x "$BIN/actionlint" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$ACTIONLINT_VERSION" ]; then return 0; fi
  command -v go >/dev/null || { echo "actionlint: the go command is required to build it" >&2; exit 1; }
  echo "[actionlint] building v$ACTIONLINT_VERSION from github.com/rhysd/actionlint (Go module proxy)" >&2
  mkdir -p "$BIN"
  GOWORK=off CGO_ENABLED=0 GOFLAGS='' GOTOOLCHAIN=local GOBIN=$BIN \
    go install -trimpath -ldflags "-s -w" "github.com/rhysd/actionlint/cmd/actionlint@v$ACTIONLINT_VERSION"
  echo "$ACTIONLINT_VERSION" >"$STAMP"
}

build
[ "${1:-}" = --build ] && exit 0
cd "$ROOT"
if [ $# -eq 0 ]; then
  set -- .github/workflows/*.yml
fi
exec "$BIN/actionlint" -no-color "$@"
