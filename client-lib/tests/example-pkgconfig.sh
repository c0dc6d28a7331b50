#!/usr/bin/env bash
# example-pkgconfig.sh - builds examples/pipeline.c the way the issue and
# libipmipool(3) tell users to (`pkg-config --cflags --libs libipmipool`,
# here through meson's uninstalled .pc file), checks that ipmipool.h is
# clean C11 and C++, and runs the example against the fake daemon: N
# pipelined Get Device ID calls must all succeed.
# usage: example-pkgconfig.sh UNINSTALLED_PC_DIR PIPELINE_C PYTHON3 FAKE_PY CC [SANITIZE]
set -euo pipefail
PCDIR=$1
SRC=$2
PY=$3
FAKE=$4
CC=$5
SAN=${6:-none}
TMP=$(mktemp -d /tmp/ipmipool-example.XXXXXX)
"$PY" "$FAKE" "$TMP/s.sock" &
FAKE_PID=$!
trap 'kill $FAKE_PID 2>/dev/null; wait $FAKE_PID 2>/dev/null || true; rm -rf "$TMP"' EXIT

export PKG_CONFIG_PATH=$PCDIR
FLAGS=$(pkg-config --cflags --libs libipmipool)
extra=()
[ "$SAN" != none ] && extra+=("-fsanitize=$SAN")
"$CC" -std=c11 -Wall -Wextra -Wpedantic -Werror "${extra[@]}" -o "$TMP/pipeline" "$SRC" $FLAGS
if command -v g++ >/dev/null; then
	echo '#include <ipmipool.h>
int main() { return ipmipool_strerror(0) == nullptr; }' >"$TMP/cxx.cc"
	g++ -std=c++11 -Wall -Wextra -Werror -fsyntax-only $(pkg-config --cflags libipmipool) "$TMP/cxx.cc"
fi

for _ in $(seq 100); do
	[ -S "$TMP/s.sock" ] && break
	sleep 0.05
done
libdir=$(pkg-config --libs-only-L libipmipool | tr ' ' '\n' | sed -n 's/^-L//p' | tr '\n' ':')
out=$(LD_LIBRARY_PATH=$libdir "$TMP/pipeline" node01 1000 "$TMP/s.sock")
echo "$out"
[ "$out" = "1000 of 1000 succeeded" ]
# a BMC that does not exist: every call fails, reported, exit 1
if LD_LIBRARY_PATH=$libdir "$TMP/pipeline" nope 5 "$TMP/s.sock"; then
	echo "FAIL: pipeline to an unknown BMC succeeded"
	exit 1
fi
