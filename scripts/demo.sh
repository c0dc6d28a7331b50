#!/usr/bin/env bash
# demo.sh - the main job on a fresh machine: install, build, start
# simulated BMCs on loopback and run ipmipool against them.
# (Until the daemon lands this runs the protocol self-test: real RMCP+
# sessions with ipmi_sim and the project's own responder, every suite.)
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/selftest.sh "$@"
