#!/bin/sh
# fuzz/run-all.sh [SECONDS] - builds the libFuzzer harnesses (build-fuzz/,
# clang, -Dfuzz=true) if needed and runs each for SECONDS (default 30),
# seeded from fuzz/corpus/<harness>.  New corpus entries and crash
# artifacts go to a temporary directory (kept only when something failed);
# the repository's corpus is read, never written.  Prints the executions
# per harness; exits non-zero if any harness crashed, leaked or timed out.
set -eu

secs=${1:-30}
case $secs in
'' | *[!0-9]*)
	echo "usage: $0 [SECONDS]" >&2
	exit 2
	;;
esac

src=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$src/build-fuzz}
fuzz=$src/fuzz

if [ ! -f "$build/build.ninja" ]; then
	(cd "$src" && CC=clang meson setup "$build" -Dfuzz=true -Db_lundef=false)
fi
harnesses=$(sed -n "s/^  '\(fuzz_[a-z0-9_]*\)',\$/\1/p" "$fuzz/meson.build")
[ -n "$harnesses" ] || { echo "no harnesses found in fuzz/meson.build" >&2; exit 1; }
# Only the harnesses: the rest of the tree does not matter here.
# shellcheck disable=SC2046 # one target per word
ninja -C "$build" $(for h in $harnesses; do printf 'fuzz/%s ' "$h"; done)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipmipool-fuzz.XXXXXX")
failed=""
# One harness: runs it and writes "NAME EXECUTIONS RESULT" to $tmp/NAME/result.
run_one() {
	h=$1
	bin=$build/fuzz/$h
	case $h in
	fuzz_ipmimsg | fuzz_bridge | fuzz_authcaps) dict=$fuzz/ipmimsg.dict ;;
	fuzz_sdr | fuzz_sel | fuzz_fru) dict=$fuzz/records.dict ;;
	fuzz_rpc) dict=$fuzz/jsonrpc.dict ;;
	fuzz_config) dict=$fuzz/config.dict ;;
	*) dict=$fuzz/rmcp.dict ;;
	esac
	mkdir -p "$tmp/$h/corpus" "$tmp/$h/artifacts"
	rc=0
	"$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
		-print_final_stats=1 -dict="$dict" \
		-artifact_prefix="$tmp/$h/artifacts/" \
		"$tmp/$h/corpus" "$fuzz/corpus/$h" >"$tmp/$h/log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$h/log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		result=ok
	else
		result="FAILED (exit $rc, log $tmp/$h/log)"
	fi
	printf '%-24s %12s  %s\n' "$h" "${execs:-?}" "$result" >"$tmp/$h/result"
}

for h in $harnesses; do
	[ -x "$build/fuzz/$h" ] || { echo "$build/fuzz/$h missing (configured with -Dfuzz=true?)" >&2; exit 1; }
done
# FUZZ_JOBS harnesses at a time (default: one per CPU).
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
running=0
for h in $harnesses; do
	run_one "$h" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait
printf '%-24s %12s  %s\n' harness executions result
for h in $harnesses; do
	if [ -f "$tmp/$h/result" ]; then
		cat "$tmp/$h/result"
	else
		printf '%-24s %12s  %s\n' "$h" "?" "FAILED (no result)"
	fi
	grep -q ' ok$' "$tmp/$h/result" 2>/dev/null || failed="$failed $h"
done

if [ -n "$failed" ]; then
	echo "crashes in:$failed; artifacts and logs in $tmp" >&2
	ls -l "$tmp"/*/artifacts >&2 || true
	exit 1
fi
rm -rf "$tmp"
