#!/usr/bin/env bash
# ctl-daemon.sh - every ipmipoolctl verb of the interface contract against the
# real ipmipoold and one ipmi_sim BMC (tests/bmcsim), with ipmitool on the same
# simulator as the reference wherever the CLI prints ipmitool's layout
# (info, chassis, power, bootdev, sensors, sensor, sdr-info, sel, fru, raw).
# Checks exit codes (0 ok, 1 RPC error, 2 usage), that --json prints JSON,
# and the daemon-only verbs (list, status, stats, reload, add, remove,
# reconnect, call).  A verb whose method the daemon does not have yet
# (-32601) is reported as SKIP, not FAIL.  Without ipmi_sim: exit 77 (skip);
# without ipmitool the comparisons are skipped.
# usage: ctl-daemon.sh IPMIPOOLD IPMIPOOLCTL BMCSIM [IPMITOOL]
set -uo pipefail
DAEMON=$1
CTL=$2
BMCSIM=$3
IPMITOOL=${4:-$(command -v ipmitool || true)}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

if ! command -v ipmi_sim >/dev/null 2>&1; then
	echo "SKIP: ipmi_sim not installed (Debian package openipmi)"
	exit 77
fi
for p in "$DAEMON" "$CTL" "$BMCSIM"; do
	[ -x "$p" ] || { echo "not executable: $p"; exit 1; }
done

TMP=$(mktemp -d /tmp/ipmipool-ctl-daemon.XXXXXX)
chmod 0700 "$TMP"
SOCK=$TMP/ipmipool.sock
CONF=$TMP/ipmipool.conf
SIMDIR=$TMP/sim
fails=0
checks=0
skips=0
DPID=""
cleanup() {
	if [ -n "$DPID" ]; then
		kill "$DPID" 2>/dev/null
		wait "$DPID" 2>/dev/null
	fi
	[ -e "$SIMDIR/instances.tsv" ] && "$BMCSIM" stop --dir "$SIMDIR" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

export TZ=UTC LC_ALL=C
unset IPMIPOOL_SOCKET
umask 077

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
skip() {
	echo "SKIP: $*"
	skips=$((skips + 1))
}

# run WANT_RC ARGS... : ipmipoolctl; stdout/stderr/exit in $OUT/$ERR/$RC.
# Returns 0 when the exit status is the one wanted.
run() {
	local want=$1
	shift
	checks=$((checks + 1))
	"$CTL" -s "$SOCK" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	if [ -z "${NOSKIP:-}" ]; then
		case "$ERR" in
		*"Method not found"* | *"unknown method '"*)
			skip "ipmipoolctl $*: the daemon lacks the method (${ERR#ipmipoolctl: })"
			return 1
			;;
		esac
	fi
	if [ "$RC" -ne "$want" ]; then
		fail "ipmipoolctl $* exited $RC, want $want; stdout: $OUT; stderr: $ERR"
		return 1
	fi
	return 0
}

has() { # WHAT TEXT NEEDLE
	case "$2" in
	*"$3"*) ;;
	*) fail "$1 lacks '$3': $2" ;;
	esac
}

# same WHAT EXPECTED ACTUAL : equal, else a diff (- ipmitool, + ipmipoolctl)
same() {
	if [ "$2" != "$3" ]; then
		fail "$1"
		diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$3") | tail -n +3 | sed 's/^/    /'
	fi
}

# json_check EXPR : $OUT parses as JSON and EXPR (over j) holds
json_check() {
	"$PY" -c "import json,sys; j=json.loads(sys.stdin.read()); sys.exit(0 if ($1) else 1)" \
		<<<"$OUT" 2>"$TMP/pyerr" || fail "JSON check '$1' failed on: $OUT $(cat "$TMP/pyerr")"
}

# it ARGS... : ipmitool on the simulator; stdout in $REF, stderr in $REFERR.
# Its failure is a FAIL unless ALLOWFAIL is set; returns 1 (and counts a
# skip) without ipmitool.
it() {
	if [ -z "$IPMITOOL" ]; then
		skip "ipmitool $* (ipmitool not installed)"
		return 1
	fi
	"$IPMITOOL" -I lanplus -H 127.0.0.1 -p "$PORT" -U admin -P adminpass -L ADMINISTRATOR \
		-C 3 "$@" >"$TMP/ref" 2>"$TMP/referr"
	local rc=$?
	REF=$(cat "$TMP/ref")
	REFERR=$(cat "$TMP/referr")
	[ "$rc" -eq 0 ] || [ -n "${ALLOWFAIL:-}" ] || fail "ipmitool $* exited $rc: $REFERR"
	return $rc
}

# field LABEL TEXT : the value of "LABEL : value" (first match), trimmed
field() {
	awk -v l="$1" -F: '{k=$1; sub(/^[ \t]+/, "", k); sub(/[ \t]+$/, "", k)}
		k == l {v=substr($0, index($0, ":") + 1); sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v);
		print v; exit}' <<<"$2"
}

# same_fields WHAT LABEL... : those fields of $REF and $OUT are equal
same_fields() {
	local what=$1 l
	shift
	for l in "$@"; do
		same "$what: '$l'" "$(field "$l" "$REF")" "$(field "$l" "$OUT")"
	done
}

squeeze() { sed -e 's/[ \t][ \t]*/ /g' -e 's/ $//' <<<"$1"; }

chassis_last() { tail -n 1 "$SIMDIR/bmc0/chassis.log" 2>/dev/null | cut -d' ' -f2-; }

# wait_for WHAT TRIES CMD... : polls CMD every 0.1 s, at most TRIES times
wait_for() {
	local what=$1 tries=$2 i
	shift 2
	for ((i = 0; i < tries; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	fail "timed out waiting for $what"
	return 1
}
is_active() {
	"$CTL" -s "$SOCK" --json status "$1" 2>/dev/null | grep -Eq '"state": ?"active"'
}
power_is() {
	[ "$("$CTL" -s "$SOCK" power sim0 status 2>/dev/null)" = "Chassis Power is $1" ]
}

write_conf() { # [EXTRA-BMC-NAME]
	{
		echo "[daemon]"
		echo "socket = $SOCK"
		echo "socket_group ="
		echo "request_timeout = 0.5"
		echo "retries = 3"
		echo "[defaults]"
		echo "username = admin"
		echo "password_file = $TMP/admin.pass"
		echo "cipher_suite = 3"
		printf '[bmc:sim0]\nhost = 127.0.0.1\nport = %d\n' "$PORT"
		[ -n "${1:-}" ] && printf '[bmc:%s]\nhost = 127.0.0.1\nport = %d\n' "$1" "$PORT"
	} >"$CONF.tmp"
	mv "$CONF.tmp" "$CONF"
}

# ---- fixtures ----------------------------------------------------------------
printf 'adminpass\n' >"$TMP/admin.pass"
PORT=""
for _ in 1 2 3 4 5; do
	p=$((20000 + RANDOM % 30000))
	if "$BMCSIM" start --count 1 --base-port "$p" --dir "$SIMDIR" --timeout 30 >"$TMP/bmcsim.out" 2>&1; then
		PORT=$p
		break
	fi
	"$BMCSIM" stop --dir "$SIMDIR" >/dev/null 2>&1 # a port race: other ports
done
[ -n "$PORT" ] || { echo "bmcsim start failed:"; cat "$TMP/bmcsim.out"; exit 1; }

write_conf
"$DAEMON" -c "$CONF" --check-config >"$TMP/check.out" 2>&1 ||
	{ echo "config refused:"; cat "$TMP/check.out"; exit 1; }
"$DAEMON" -c "$CONF" -f -v 2>"$TMP/daemon.log" &
DPID=$!
for _ in $(seq 200); do
	[ -S "$SOCK" ] && break
	sleep 0.05
done
[ -S "$SOCK" ] || { echo "daemon did not create $SOCK"; cat "$TMP/daemon.log"; exit 1; }
wait_for "sim0 to be active" 200 is_active sim0 || { tail -n 30 "$TMP/daemon.log"; exit 1; }

# ---- usage errors: exit 2 -------------------------------------------------------
run 2
run 2 bogus && has "stderr" "$ERR" "unknown command 'bogus'"
run 2 --timeout 0 list
run 2 list --bogus
run 2 status
run 2 power sim0
run 2 power sim0 sideways
run 2 bootdev sim0 usb
run 2 bootdev sim0 pxe --bridge 0:0x30
run 2 info sim0 --persistent
run 2 info sim0 --bridge 0x30
run 2 sensor sim0 abc
run 2 sel sim0 bogus
run 2 sel sim0 list last 0
run 2 fru sim0 300
run 2 raw sim0 6
run 2 raw sim0 0x40 1
run 2 raw sim0 6 1 0x100
run 2 raw sim0 6 1 --bridge zz
run 2 add simy 127.0.0.1 --port 99999
run 2 add simy 127.0.0.1 --privilege root
run 2 add simy
run 2 call daemon.info '{"x":'
run 2 call daemon.info 5

# ---- daemon and pool --------------------------------------------------------------
run 0 list && {
	has "list" "$OUT" "NAME"
	has "list" "$OUT" "sim0"
	has "list" "$OUT" "active"
}
run 0 list 'sim*' && has "list GLOB" "$OUT" "sim0"
run 0 --json list && json_check "[b['name'] for b in j['bmcs']] == ['sim0']"
run 0 status sim0 && {
	same "status State" "active" "$(field State "$OUT")"
	same "status Port" "$PORT" "$(field Port "$OUT")"
}
run 0 --json status sim0 && json_check "j['state'] == 'active' and j['port'] == $PORT"
run 1 status nope && has "stderr" "$ERR" "nope"
run 0 stats && has "stats" "$OUT" "Requests"
run 0 --json stats && json_check "j['requests'] >= 0 and 'bad_mac' in j['packets_rejected']"
run 0 reload && same "reload Unchanged" "1" "$(field Unchanged "$OUT")"
run 0 --json reload && json_check "j['unchanged'] == 1 and j['added'] == 0"
write_conf sim0b
run 0 reload && same "reload Added" "1" "$(field Added "$OUT")"
wait_for "sim0b to be active" 200 is_active sim0b
run 0 list && has "list after reload" "$OUT" "sim0b"
write_conf
run 0 --json reload && json_check "j['removed'] == 1 and j['unchanged'] == 1"
run 1 status sim0b

# ---- mc info ----------------------------------------------------------------------
NOTNAMES='^(Manufacturer|Product) Name' # ipmitool's name tables; the daemon has none
run 0 info sim0 && it mc info &&
	same "info vs 'ipmitool mc info' (less its name lines)" "$(grep -Ev "$NOTNAMES" <<<"$REF")" "$OUT"
run 0 info sim0 --bridge 0:0x30 && it -b 0 -t 0x30 mc info &&
	same "info --bridge 0:0x30 vs 'ipmitool -b 0 -t 0x30 mc info'" "$(grep -Ev "$NOTNAMES" <<<"$REF")" "$OUT"
run 0 --json info sim0 && json_check "j['device_id'] == 32 and j['firmware_revision'] == '1.23'"
run 0 --json info sim0 --bridge 0:0x30 && json_check "j['device_id'] == 48"
run 1 --timeout 20 info nope

# ---- chassis and power -----------------------------------------------------------
run 0 chassis sim0 && it chassis status && same "chassis vs 'ipmitool chassis status'" "$REF" "$OUT"
run 0 power sim0 status && it chassis power status && same "power status" "$REF" "$OUT"
run 0 --json power sim0 status && json_check "j['power_on'] is True"
run 0 power sim0 off && {
	same "power off output" "Chassis Power Control: Down/Off" "$OUT"
	same "chassis.log after off" "power 0" "$(chassis_last)"
	it chassis power off && same "power off vs ipmitool" "$REF" "$OUT"
}
run 0 power sim0 status && {
	same "power status when off" "Chassis Power is off" "$OUT"
	it chassis power status && same "power status (off) vs ipmitool" "$REF" "$OUT"
}
run 0 chassis sim0 && it chassis status && same "chassis (off) vs 'ipmitool chassis status'" "$REF" "$OUT"
run 0 power sim0 on && {
	same "power on output" "Chassis Power Control: Up/On" "$OUT"
	it chassis power on && same "power on vs ipmitool" "$REF" "$OUT"
}
run 0 power sim0 status && same "power status when on" "Chassis Power is on" "$OUT"
n=$(wc -l <"$SIMDIR/bmc0/chassis.log")
cycled() {
	[ "$(tail -n +$((n + 1)) "$SIMDIR/bmc0/chassis.log" | cut -d' ' -f2- | tr '\n' ,)" = "power 0,power 1," ] &&
		power_is on
}
run 0 power sim0 cycle && {
	same "power cycle output" "Chassis Power Control: Cycle" "$OUT"
	wait_for "power cycle (off, then on in chassis.log)" 100 cycled
}
run 0 power sim0 reset && {
	same "power reset output" "Chassis Power Control: Reset" "$OUT"
	same "chassis.log after reset" "reset 1" "$(chassis_last)"
	power_is on || fail "power is not on after reset"
}
run 0 power sim0 soft && {
	same "power soft output" "Chassis Power Control: Soft" "$OUT"
	same "chassis.log after soft" "shutdown 1" "$(chassis_last)"
	power_is off || fail "power is not off after soft"
}
run 0 power sim0 on
run 1 power sim0 diag && has "power diag stderr" "$ERR" "0xcc"
run 0 power 'sim*' status && same "power fan-out" "sim0: Chassis Power is on" "$OUT"
run 0 --json power 'sim*' status && json_check "j['results']['sim0']['power_on'] is True"

# ---- bootdev ----------------------------------------------------------------------
selector() { it chassis bootparam get 5 && field "- Boot Device Selector" "$REF"; }
if it chassis bootdev disk; then
	run 0 bootdev sim0 pxe && {
		same "bootparam after bootdev pxe" "Force PXE" "$(selector)"
		same "chassis.log after bootdev pxe" "boot pxe" "$(chassis_last)"
		O=$OUT
		it chassis bootdev pxe && same "bootdev output vs 'ipmitool chassis bootdev pxe'" "$REF" "$O"
	}
	run 0 bootdev sim0 disk --persistent --efi &&
		same "bootparam after bootdev disk --persistent --efi" \
			"Force Boot from default Hard-Drive" "$(selector)"
	run 0 --json bootdev sim0 cdrom && {
		json_check "j == {}"
		same "bootparam after bootdev cdrom" "Force Boot from CD/DVD" "$(selector)"
	}
else
	run 0 bootdev sim0 pxe && same "bootdev output" "Set Boot Device to pxe" "$OUT"
fi
run 1 bootdev sim0 floppy && has "bootdev floppy stderr" "$ERR" "0xff"

# ---- sensors, sensor, sdr-info ------------------------------------------------------
run 0 sensors sim0 && it sdr list && same "sensors vs 'ipmitool sdr list'" "$REF" "$OUT"
run 0 --json sensors sim0 && json_check "len(j['sensors']) == 11 and j['sensors'][7]['name'] == 'SAT Temp'"
run 0 sensors 'sim*' && {
	[ "$(grep -c '^sim0: ' <<<"$OUT")" -eq 11 ] || fail "sensors fan-out: $OUT"
}
run 0 sensor sim0 5 && it sensor get 12V &&
	same_fields "sensor sim0 5 vs 'ipmitool sensor get 12V'" "Sensor ID" "Sensor Reading" "Status"
run 0 --json sensor sim0 5 && json_check "j['name'] == '12V' and j['raw'] == 201"
run 1 sensor sim0 99 && has "sensor 99 stderr" "$ERR" "99"
# SAT Temp (sensor 1 of the MC at 0x30) through the daemon's owner parameter
run 0 call sensor.read '{"bmc":"sim0","number":1,"owner":48}' &&
	json_check "j['name'] == 'SAT Temp' and j['value'] == 38"
run 0 sdr-info sim0 && it sdr info &&
	same_fields "sdr-info vs 'ipmitool sdr info'" "SDR Version" "Record Count" "Free Space" \
		"Most recent Erase"
run 0 --json sdr-info sim0 && json_check "j['record_count'] == 14"

# ---- sel ----------------------------------------------------------------------------
if run 0 sel sim0 info; then
	it sel info && same_fields "sel info vs 'ipmitool sel info'" Version Entries "Free Space" \
		"Percent Used" "Last Add Time" "Last Del Time" Overflow
fi
run 0 --json sel sim0 info && json_check "j['entries'] == 7"
if run 0 sel sim0 list; then
	it sel list && same "sel list vs 'ipmitool sel list' (blanks squeezed)" "$(squeeze "$REF")" "$(squeeze "$OUT")"
	L=$OUT
	run 0 sel sim0 && same "sel (default list)" "$L" "$OUT"
fi
if run 0 sel sim0 list last 2; then
	it sel list last 2 && same "sel list last 2 vs ipmitool" "$(squeeze "$REF")" "$(squeeze "$OUT")"
fi
run 0 --json sel sim0 list && json_check "len(j['entries']) == 7"
if run 0 sel sim0 clear; then
	same "sel clear output" "Clearing SEL.  Please allow a few seconds to erase." "$OUT"
	run 0 sel sim0 list && {
		same "sel list after clear" "SEL has no entries" "$OUT"
		it sel list && same "sel list after clear vs ipmitool (stdout+stderr)" "$REF$REFERR" "$OUT"
	}
	run 0 --json sel sim0 info && json_check "j['entries'] == 0"
fi

# ---- fru ----------------------------------------------------------------------------
if run 0 fru sim0; then
	it fru print && same "fru vs 'ipmitool fru print'" "$REF" "$OUT"
	F=$OUT
	run 0 fru sim0 0 && same "fru sim0 0" "$F" "$OUT"
fi
run 0 --json fru sim0 && json_check "j['product']['name'] == 'BMCSIM Server' and j['board']['serial'] == 'BSN-0001'"
run 0 call fru.info '{"bmc":"sim0"}' && json_check "j['size'] == 256"

# ---- raw ----------------------------------------------------------------------------
run 0 raw sim0 6 1 && it raw 6 1 && same "raw 6 1 vs ipmitool" "$REF" "$OUT"
run 0 raw sim0 app 0x01 && same "raw app 0x01" " 20 01 01 23 02 9f d9 7e 00 53 42 00 00 00 00" "$OUT"
run 0 raw sim0 0x0a 0x23 0 0 0 0 0 0x20 && it raw 0x0a 0x23 0 0 0 0 0 0x20 &&
	same "raw (multi-line) vs ipmitool" "$REF" "$OUT"
run 0 raw sim0 6 1 --bridge 0:0x30 && it -b 0 -t 0x30 raw 6 1 &&
	same "raw --bridge 0:0x30 vs 'ipmitool -b 0 -t 0x30 raw 6 1'" "$REF" "$OUT"
run 1 raw sim0 6 0xff && {
	ALLOWFAIL=1 it raw 6 0xff
	[ -n "$IPMITOOL" ] && same "raw with completion code C1h: stderr vs ipmitool" "$REFERR" "$ERR"
}
run 0 --json raw sim0 6 1 && json_check "j == {'completion_code': 0, 'data': '20010123029fd97e00534200000000'}"
run 0 raw 'sim*' 6 1 && same "raw fan-out" "sim0: 20 01 01 23 02 9f d9 7e 00 53 42 00 00 00 00" "$OUT"

# ---- add, reconnect, remove ----------------------------------------------------------
run 0 add simx 127.0.0.1 --port "$PORT" --user admin --password-file "$TMP/admin.pass" \
	--cipher 3 --privilege administrator && same "add Name" "simx" "$(field Name "$OUT")"
run 1 add simx 127.0.0.1 --port "$PORT" --password-file "$TMP/admin.pass" &&
	has "add duplicate stderr" "$ERR" "exists"
wait_for "simx to be active" 200 is_active simx
run 0 raw simx 6 1 && same "raw via the added BMC" " 20 01 01 23 02 9f d9 7e 00 53 42 00 00 00 00" "$OUT"
run 0 reconnect simx && same "reconnect Name" "simx" "$(field Name "$OUT")"
wait_for "simx to be active again" 200 is_active simx
run 0 --json reconnect simx && json_check "j['name'] == 'simx' and j['reconnects'] >= 1"
wait_for "simx to be active again" 200 is_active simx
run 0 remove simx
run 1 remove simx && has "remove stderr" "$ERR" "simx"
run 1 status simx
run 1 reconnect simx
run 0 --json add simz 127.0.0.1 --port "$PORT" --password-file "$TMP/admin.pass" --cipher 3 &&
	json_check "j['name'] == 'simz' and j['port'] == $PORT"
run 0 remove 'simz*' && same "remove fan-out" "simz: removed" "$OUT"

# ---- call ---------------------------------------------------------------------------
run 0 call mc.info '{"bmc":"sim0"}' && json_check "j['device_id'] == 32"
run 0 call daemon.info && json_check "'version' in j and j['bmcs'] == 1"
run 0 call sdr.list '{"bmcs":["*"]}' && json_check "list(j['results']) == ['sim0']"
run 0 call rpc.discover && json_check "'openrpc' in j"
NOSKIP=1 run 1 call no.such.method && has "stderr" "$ERR" "no.such.method"
run 1 call sensor.read '{"bmc":"sim0","number":99}'

# ---- the daemon goes away ------------------------------------------------------------
kill "$DPID"
wait "$DPID" 2>/dev/null
DPID=""
run 1 list && has "stderr" "$ERR" "cannot connect to $SOCK"

echo "ctl-daemon: $checks checks, $fails failure(s), $skips skipped"
if [ "$fails" -ne 0 ]; then
	echo "---- daemon log (last lines)"
	tail -n 30 "$TMP/daemon.log"
fi
[ "$fails" -eq 0 ]
