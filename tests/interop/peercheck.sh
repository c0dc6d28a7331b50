#!/usr/bin/env bash
# peercheck.sh - the protocol core against real BMCs, before the daemon:
# a session for every cipher suite ipmi_sim accepts (0 1 2 3 6) and, with
# the project's own responder, every other suite; Get Device ID (direct and
# bridged) compared with what ipmitool returns from the same BMC; wrong
# password and unknown user refused with the right reason.
#
# usage: peercheck.sh PEERCHECK_EXE [FAKEBMC_EXE]
set -euo pipefail

PEERCHECK=$1
FAKEBMC=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
BMCSIM=$HERE/../bmcsim/bmcsim
for tool in ipmi_sim ipmitool; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool not installed"; exit 77; }
done

WORK=$(mktemp -d /tmp/ipmipool-peercheck.XXXXXX)
FAKEPID=""
cleanup() {
	[ -n "$FAKEPID" ] && kill "$FAKEPID" 2>/dev/null && wait "$FAKEPID" 2>/dev/null || true
	"$BMCSIM" stop --dir "$WORK/sim" >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap cleanup EXIT

# A free base port: the launcher refuses ports in use.
PORT=$(( 20000 + (RANDOM % 20000) ))
"$BMCSIM" start --count 1 --base-port "$PORT" --dir "$WORK/sim" >/dev/null

fails=0
check() { # name expected actual
	if [ "$2" = "$3" ]; then
		echo "ok   $1"
	else
		echo "FAIL $1: expected '$2', got '$3'"
		fails=$((fails + 1))
	fi
}
pc() { timeout 30 "$PEERCHECK" -H 127.0.0.1 "$@" 2>&1 || true; }
it() { timeout 30 ipmitool -I lanplus -H 127.0.0.1 "$@" 2>&1 | tr -s ' \n' ' ' | sed 's/^ //;s/ $//' || true; }

want=$(it -p "$PORT" -U admin -P adminpass -L ADMINISTRATOR -C 3 raw 6 1)
want_bridged=$(it -p "$PORT" -U admin -P adminpass -L ADMINISTRATOR -C 3 -b 0 -t 0x30 raw 6 1)
[ -n "$want" ] || { echo "FAIL ipmitool gave no answer"; exit 1; }
for suite in 0 1 2 3 6; do
	check "ipmi_sim suite $suite admin" "$want" "$(pc -p "$PORT" -U admin -P adminpass -L 4 -C "$suite")"
	check "ipmi_sim suite $suite operator" "$want" "$(pc -p "$PORT" -U oper -P operpass -L 3 -C "$suite")"
done
check "ipmi_sim bridged 0:0x30" "$want_bridged" "$(pc -p "$PORT" -U admin -P adminpass -C 3 -b 0:0x30)"
check "ipmi_sim bridge to absent 0x44" "peercheck: Get Device ID: completion code 0x83" \
	"$(pc -p "$PORT" -U admin -P adminpass -C 3 -b 0:0x44)"
check "ipmi_sim wrong password" \
	"peercheck: suite 3: bad password or K_g: RAKP2 key exchange code mismatch (wrong password or K_g)" \
	"$(pc -p "$PORT" -U admin -P wrong -C 3)"
check "ipmi_sim unknown user" "peercheck: suite 3: RAKP2: unknown user name (RMCP+ status 0x0d)" \
	"$(pc -p "$PORT" -U nobody -P x -C 3)"
check "ipmi_sim refuses suite 17" "peercheck: suite 17: Open Session: cipher suite refused (RMCP+ status 0x04)" \
	"$(pc -p "$PORT" -U admin -P adminpass -C 17)"

if [ -n "$FAKEBMC" ]; then
	FPORT=$((PORT + 1))
	"$FAKEBMC" --port "$FPORT" --quiet &
	FAKEPID=$!
	# Ready when it answers the handshake (bounded: 50 x 0.1 s).
	for _ in $(seq 50); do
		pc -p "$FPORT" -U admin -P adminpass -C 3 | grep -q '^20 01' && break
		sleep 0.1
	done
	fwant=$(it -p "$FPORT" -U admin -P adminpass -L ADMINISTRATOR -C 17 raw 6 1)
	check "fakebmc answers ipmitool (suite 17)" "$want" "$fwant"
	for suite in 0 1 2 3 6 7 8 11 12 15 16 17; do
		check "fakebmc suite $suite admin" "$want" "$(pc -p "$FPORT" -U admin -P adminpass -L 4 -C "$suite")"
		check "fakebmc suite $suite operator" "$want" "$(pc -p "$FPORT" -U oper -P operpass -L 3 -C "$suite")"
	done
	check "fakebmc wrong password (suite 17)" \
		"peercheck: suite 17: bad password or K_g: RAKP2 key exchange code mismatch (wrong password or K_g)" \
		"$(pc -p "$FPORT" -U admin -P wrong -C 17)"
fi

echo "peercheck: $fails failure(s)"
[ "$fails" -eq 0 ]
