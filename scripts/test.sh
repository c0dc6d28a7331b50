#!/usr/bin/env bash
# test.sh - install dependencies, build, and run the whole test suite
# (unit tests, corpus replay, and the checks against real BMC simulators).
# Usage: scripts/test.sh [BUILDDIR] [extra meson setup options...]
# IPMIPOOL_TEST_ARGS: extra `meson test` arguments (e.g. "--no-suite soak").
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
BUILD=${1:-build}
shift || true
if [ -f "$BUILD/build.ninja" ]; then
	meson configure "$BUILD" "$@" >/dev/null
else
	meson setup "$BUILD" "$@" >/dev/null
fi
ninja -C "$BUILD"
# shellcheck disable=SC2086 # one argument per word
meson test -C "$BUILD" --print-errorlogs --num-processes 2 ${IPMIPOOL_TEST_ARGS:-}
