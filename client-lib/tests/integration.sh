#!/usr/bin/env bash
# integration.sh - ipmipoolctl and the library's example against the real
# ipmipoold: starts the project's BMC responder (two BMCs), a daemon with a
# scratch configuration (those two plus one BMC nobody answers for), and
# checks output, errors and exit codes end to end, then that a vanished
# daemon is reported.  Without FAKEBMC only the daemon-level checks run.
# usage: integration.sh IPMIPOOLD IPMIPOOLCTL [PIPELINE] [FAKEBMC]
set -uo pipefail
DAEMON=$1
CTL=$2
PIPELINE=${3:-}
FAKEBMC=${4:-}
TMP=$(mktemp -d /tmp/ipmipool-integration.XXXXXX)
chmod 0700 "$TMP"
SOCK=$TMP/ipmipool.sock
fails=0
skips=0
DPID=""
FPID=""
cleanup() {
	[ -n "$DPID" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
	[ -n "$FPID" ] && kill "$FPID" 2>/dev/null && wait "$FPID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
run() { # WANT_RC ARGS...
	local want=$1
	shift
	"$CTL" -s "$SOCK" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	if [ -z "${NOSKIP:-}" ]; then
		case "$ERR" in
		*"unknown method '"*)
			# the daemon does not have this method yet: not this test's failure
			echo "SKIP: ipmipoolctl $*: ${ERR#*: }"
			skips=$((skips + 1))
			return 1
			;;
		esac
	fi
	[ "$RC" -eq "$want" ] || fail "ipmipoolctl $* exited $RC, want $want; stdout: $OUT; stderr: $ERR"
	[ "$RC" -eq "$want" ]
}
has() { # WHAT TEXT NEEDLE
	case "$2" in
	*"$3"*) ;;
	*) fail "$1 lacks '$3': $2" ;;
	esac
}
free_udp_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		if ! ss -Hlun "sport = :$p" 2>/dev/null | grep -q . &&
			! ss -Hlun "sport = :$((p + 1))" 2>/dev/null | grep -q .; then
			echo "$p"
			return
		fi
	done
	echo 29623
}

export TZ=UTC LC_ALL=C
umask 077
printf 'adminpass\n' >"$TMP/admin.pass"
PORT=$(free_udp_port)
DEAD=$((PORT + 7))
if [ -n "$FAKEBMC" ]; then
	"$FAKEBMC" --port "$PORT" --count 2 --quiet 2>"$TMP/fakebmc.log" &
	FPID=$!
fi
{
	echo "[daemon]"
	echo "socket = $SOCK"
	echo "socket_group ="
	echo "request_timeout = 0.3"
	echo "retries = 2"
	echo "[defaults]"
	echo "username = admin"
	echo "password_file = $TMP/admin.pass"
	echo "cipher_suite = 17"
	if [ -n "$FAKEBMC" ]; then
		printf '[bmc:fake1]\nhost = 127.0.0.1\nport = %d\n' "$PORT"
		printf '[bmc:fake2]\nhost = 127.0.0.1\nport = %d\n' $((PORT + 1))
	fi
	printf '[bmc:dead]\nhost = 127.0.0.1\nport = %d\n' "$DEAD"
} >"$TMP/ipmipool.conf"

"$DAEMON" -c "$TMP/ipmipool.conf" --check-config >"$TMP/check.out" 2>&1 ||
	{ echo "config refused:"; cat "$TMP/check.out"; exit 1; }
"$DAEMON" -c "$TMP/ipmipool.conf" -f 2>"$TMP/daemon.log" &
DPID=$!
for _ in $(seq 100); do
	[ -S "$SOCK" ] && break
	sleep 0.05
done
[ -S "$SOCK" ] || { echo "daemon did not create $SOCK"; cat "$TMP/daemon.log"; exit 1; }

# ---- daemon level ------------------------------------------------------
run 0 list && has "list" "$OUT" "dead"
run 0 --json list
run 0 call daemon.info && has "daemon.info" "$OUT" '"version"'
run 0 stats
run 0 call rpc.discover && has "rpc.discover" "$OUT" "openrpc"
run 1 status nope && has "stderr" "$ERR" "nope"
NOSKIP=1 run 1 call no.such.method && has "stderr" "$ERR" "no.such.method"
run 0 status dead && has "status" "$OUT" "State"
run 1 --timeout 20 info dead && has "stderr" "$ERR" "dead"

# ---- through the daemon to BMCs -------------------------------------------
if [ -n "$FAKEBMC" ]; then
	for _ in $(seq 100); do
		"$CTL" -s "$SOCK" --json status fake1 2>/dev/null | grep -q '"active"' &&
			"$CTL" -s "$SOCK" --json status fake2 2>/dev/null | grep -q '"active"' && break
		sleep 0.1
	done
	run 0 raw fake1 0x06 0x01 && { [ "$OUT" = " 20 01 01 23 02 9f d9 7e 00 53 42 00 00 00 00" ] || fail "raw: '$OUT'"; }
	run 0 raw 'fake*' 6 1 && {
		[ "$(echo "$OUT" | wc -l)" -eq 2 ] || fail "raw fan-out: '$OUT'"
		has "raw fan-out" "$OUT" "fake2: 20 01 01 23"
	}
	run 1 raw fake1 0x06 0xee && has "raw stderr" "$ERR" "rsp=0xc1): Invalid command"
	run 0 info fake1 && {
		has "mc info" "$OUT" "Device ID                 : 32"
		has "mc info" "$OUT" "Firmware Revision         : 1.23"
	}
	run 0 power fake1 on && has "power on" "$OUT" "Chassis Power Control: Up/On"
	run 0 power fake1 status && { [ "$OUT" = "Chassis Power is on" ] || fail "power status: '$OUT'"; }
	run 0 power 'fake*' status && has "power fan-out" "$OUT" "fake1: Chassis Power is on"
	run 1 power '*' status && has "fan-out error" "$ERR" "dead"
	run 0 chassis fake1 && has "chassis status" "$OUT" "System Power         : on"
	if [ -n "$PIPELINE" ]; then
		out=$("$PIPELINE" fake1 1000 "$SOCK")
		[ "$out" = "1000 of 1000 succeeded" ] || fail "pipeline: $out"
	fi
fi

# ---- the daemon goes away ---------------------------------------------------
kill "$DPID"
wait "$DPID" 2>/dev/null
DPID=""
run 1 list && has "stderr" "$ERR" "cannot connect to $SOCK"

echo "integration: $fails failure(s), $skips skipped (method missing in the daemon)"
if [ "$fails" -ne 0 ]; then
	echo "---- daemon log"
	tail -n 50 "$TMP/daemon.log"
fi
[ "$fails" -eq 0 ]
