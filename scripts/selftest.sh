#!/usr/bin/env bash
# selftest.sh - the protocol core against real simulated BMCs: starts an
# ipmi_sim fleet and the project's own RMCP+ responder on loopback and
# establishes sessions for every cipher suite, printing what each returns.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
fake=""
[ -x build/tests/fakebmc/ipmipool-fakebmc ] && fake=build/tests/fakebmc/ipmipool-fakebmc
exec tests/interop/peercheck.sh build/tests/peercheck/ipmipool-peercheck $fake
