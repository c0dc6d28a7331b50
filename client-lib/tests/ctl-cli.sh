#!/usr/bin/env bash
# ctl-cli.sh - ipmipoolctl against a scripted JSON-RPC responder
# (fake_ipmipoold.py): human output of several verbs in ipmitool's layout,
# fan-out over globs, --json, the params sent (bridge, bmcs, raw bytes),
# errors on stderr, and exit codes 0 / 1 / 2.
# usage: ctl-cli.sh IPMIPOOLCTL PYTHON3 FAKE_IPMIPOOLD_PY [BASH_COMPLETION]
set -uo pipefail
CTL=$1
PY=$2
FAKE=$3
COMPLETION=${4:-}
TMP=$(mktemp -d /tmp/ipmipoolctl-test.XXXXXX)
SOCK=$TMP/ipmipool.sock
LOG=$TMP/requests.log
fails=0
checks=0

"$PY" "$FAKE" "$SOCK" "$LOG" 2>"$TMP/fake.err" &
FAKE_PID=$!
cleanup() {
	kill "$FAKE_PID" 2>/dev/null
	wait "$FAKE_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
for _ in $(seq 100); do
	[ -S "$SOCK" ] && break
	sleep 0.05
done
[ -S "$SOCK" ] || { echo "fake daemon did not start"; cat "$TMP/fake.err"; exit 1; }

export IPMIPOOL_SOCKET=$SOCK TZ=UTC LC_ALL=C

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# run WANT_RC ARGS... : runs ipmipoolctl, keeps stdout/stderr in $OUT/$ERR
run() {
	local want=$1
	shift
	checks=$((checks + 1))
	"$CTL" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
	if [ "$RC" -ne "$want" ]; then
		fail "ipmipoolctl $* exited $RC, want $want (stderr: $ERR)"
		return 1
	fi
	return 0
}

# expect_out TEXT : stdout of the last run equals TEXT
expect_out() {
	if [ "$OUT" != "$1" ]; then
		fail "stdout differs"
		diff <(echo "$1") <(echo "$OUT") | sed 's/^/    /'
	fi
}

expect_err_has() {
	case "$ERR" in
	*"$1"*) ;;
	*) fail "stderr lacks '$1': $ERR" ;;
	esac
}

# last_request : the last request line the daemon got
last_request() { tail -n 1 "$LOG"; }

# json_check EXPR : evaluates a Python expression over j = the last stdout
json_check() {
	"$PY" -c "import json,sys; j=json.loads(sys.stdin.read()); sys.exit(0 if ($1) else 1)" \
		<<<"$OUT" || fail "JSON check failed: $1 on: $OUT"
}
req_check() {
	"$PY" -c "import json,sys; r=json.loads(sys.stdin.read()); p=r.get('params',{}); sys.exit(0 if ($1) else 1)" \
		<<<"$(last_request)" || fail "request check failed: $1 on: $(last_request)"
}

# ---- power ---------------------------------------------------------------
run 0 power node01 status && expect_out "Chassis Power is on"
req_check "r['method'] == 'chassis.status' and p == {'bmc': 'node01'}"
run 0 power node02 status && expect_out "Chassis Power is off"
run 0 power node01 cycle && expect_out "Chassis Power Control: Cycle"
req_check "r['method'] == 'chassis.power' and p == {'bmc': 'node01', 'action': 'cycle'}"

# fan-out: one line per BMC, the unreachable one on stderr, exit 1
run 1 power 'rack1-*' status && expect_out "rack1-a: Chassis Power is on
rack1-b: Chassis Power is on"
req_check "p == {'bmcs': ['rack1-*']}"
expect_err_has "rack1-c: BMC unreachable: no answer from 192.0.2.13:623 after 3 attempts"
run 0 power 'node0?' status && expect_out "node01: Chassis Power is on
node02: Chassis Power is off"
# a completion code: the daemon's detail, the code once
run 1 power node02 diag && expect_out ""
expect_err_has "ipmipoolctl: node02: IPMI completion code: Chassis Control: completion code 0xcc (Invalid data field in request)"
case "$ERR" in
*"(completion code 0xcc:"*) fail "completion code printed twice: $ERR" ;;
esac
run 1 power 'node0?' diag && expect_out "node01: Chassis Power Control: Diag"
[ "$ERR" = "ipmipoolctl: node02: IPMI completion code: Chassis Control: completion code 0xcc (Invalid data field in request)" ] ||
	fail "fan-out completion code error: $ERR"
run 1 power 'nomatch*' status
expect_err_has "no BMC matches 'nomatch*'"

# ---- raw ------------------------------------------------------------------
run 0 raw node01 0x06 0x01 && expect_out " 20 01 01 23 02 9f d9 7e 00 53 42 00 00 00 00"
req_check "r['method'] == 'ipmi.raw' and p == {'bmc': 'node01', 'netfn': 6, 'cmd': 1, 'data': []}"
run 0 raw node01 app 1 && expect_out " 20 01 01 23 02 9f d9 7e 00 53 42 00 00 00 00"
run 0 raw node01 0x30 0x01 && expect_out " 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
 10 11 12 13"
run 0 raw node01 0x30 0x02 1 0x02 255 --bridge 7:0x82 --lun 2 && expect_out " 01 02 ff"
req_check "p == {'bmc': 'node01', 'netfn': 48, 'cmd': 2, 'data': [1, 2, 255], 'lun': 2, 'bridge': {'channel': 7, 'address': 130}}"
run 0 raw node01 0x30 0x02 --bridge=0:0x82,6:0x20 && expect_out ""
req_check "p['bridge'] == {'channel': 0, 'address': 130, 'transit_channel': 6, 'transit_address': 32}"
run 1 raw node01 0x06 0xff && expect_out ""
expect_err_has "Unable to send RAW command (channel=0x0 netfn=0x6 lun=0x0 cmd=0xff rsp=0xc1): Invalid command"
run 1 raw node01 0x06 0xff --bridge 7:0x82
expect_err_has "(channel=0x7 netfn=0x6 lun=0x0 cmd=0xff rsp=0xc1)"
run 1 raw 'rack1-*' 6 1 && expect_out "rack1-a: 20 01 01 23 02 9f d9 7e 00 53 42 00 00 00 00
rack1-b: 20 01 01 23 02 9f d9 7e 00 53 42 00 00 00 00"
run 1 --json raw node01 6 0xff
json_check "j['completion_code'] == 193"
run 2 raw node01 0x40 1
expect_err_has 'Given netfn "0x40" is invalid.'
run 2 raw node01 6 1 0x100
run 2 raw node01 6 1 --bridge 7
expect_err_has "--bridge wants CHANNEL:ADDR"
run 2 raw node01 6

# ---- sensors, sel, fru, mc info, chassis ------------------------------------
run 0 sensors node01 && expect_out "CPU Temp         | 38 degrees C      | ok
12V              | 12.06 Volts       | ok
PS Status        | 0x01              | ok
FAN 3            | no reading        | ns
CPU Status       | 0x81              | ok
Sys Power        | 220 Watts         | ok
SAT Temp         | 23.50 degrees C   | ok"
# sensor: ipmitool's `sensor get` layout (threshold and discrete sensors)
run 0 sensor node01 0x31 && expect_out "Sensor ID              : 12V (0x31)
 Sensor Type (Threshold)  : Voltage
 Sensor Reading        : 12.058 (+/- 0) Volts
 Status                : ok
 Lower Non-Recoverable : na
 Lower Critical        : 10.640
 Lower Non-Critical    : 11.018
 Upper Non-Critical    : 12.908
 Upper Critical        : 13.286
 Upper Non-Recoverable : na"
req_check "r['method'] == 'sensor.read' and p == {'bmc': 'node01', 'number': 49}"
run 0 sensor node01 0x43 && expect_out "Sensor ID              : Sys Power (0x43)
 Sensor Type (Threshold)  : Other
 Sensor Reading        : 220 (+/- 0) Watts
 Status                : ok
 Sensor Threshold Settings not available"
run 0 sensor node01 0x40 && expect_out "Sensor ID              : PS Status (0x40)
 Sensor Type (Discrete): Power Supply
 States Asserted       : Power Supply
                         [Presence detected]"
run 0 sensor node01 0x42 && expect_out "Sensor ID              : CPU Status (0x42)
 Sensor Type (Discrete): Processor
 States Asserted       : Processor
                         [IERR]
                         [Presence detected]"
run 0 sensor node01 0x41 && expect_out "Sensor ID              : FAN 3 (0x41)
 Sensor Type (Threshold)  : Fan
 Unable to read sensor: Device Not Present"
# a sensor owned by the controller at 30h behind the BMC
run 0 sensor node01 1 --owner 0x30 --lun 0 && expect_out "Sensor ID              : SAT Temp (0x1)
 Sensor Type (Threshold)  : Temperature
 Sensor Reading        : 23.500 (+/- 0) degrees C
 Status                : ok
 Lower Non-Recoverable : na
 Lower Critical        : na
 Lower Non-Critical    : na
 Upper Non-Critical    : 75.000
 Upper Critical        : 85.000
 Upper Non-Recoverable : 95.000"
req_check "p == {'bmc': 'node01', 'number': 1, 'lun': 0, 'owner': 48}"
run 1 sensor node01 1 && expect_out ""
expect_err_has "ipmipoolctl: node01: Invalid params: no SDR for sensor 1 (owner 0x20, LUN 0)"
run 2 sensor node01 1 --owner 0x100
expect_err_has "--owner wants"
run 2 info node01 --owner 0x30
expect_err_has "does not apply"
run 0 sdr-info node01 && expect_out "SDR Version                         : 0x51
Record Count                        : 7
Free Space                          : > 64Kb - 2 bytes
Most recent Addition                : 01/02/2025 03:04:05
Most recent Erase                   : NA"
run 0 sdr-info node02
case "$OUT" in
*"Free Space                          : 1024 bytes"*) ;;
*) fail "sdr-info free space: $OUT" ;;
esac
# sel list: OEM records as ipmitool (timestamped C0h-DFh, non-timestamped E0h-FFh),
# no "#0x00" for sensor number 0
run 0 sel node01 && expect_out "   1 | 01/02/2025 | 03:04:05 | Temperature #0x30 | Upper Critical going high | Asserted
   2 | 01/02/2025 | 03:05:00 | Temperature #0x30 | Upper Critical going high | Deasserted
   3 |  Pre-Init  |0000005133| Power Supply #0x07 | Power Supply AC lost | Asserted
   4 | 01/02/2025 | 03:05:30 | Event Logging Disabled | Log area reset/cleared | Asserted
   5 | 01/02/2025 | 03:06:00 | OEM record c0 | 000157 | 010203040506
   7 | OEM record e0 | 424d4353494d2d4f454d2d3031"
run 0 sel node01 list last 2 && expect_out "   5 | 01/02/2025 | 03:06:00 | OEM record c0 | 000157 | 010203040506
   7 | OEM record e0 | 424d4353494d2d4f454d2d3031"
req_check "r['method'] == 'sel.list' and p == {'bmc': 'node01', 'last': 2}"
run 0 sel node01 info && expect_out "SEL Information
Version          : 1.5 (v1.5, v2 compliant)
Entries          : 6
Free Space       : 16288 bytes
Percent Used     : 0%
Last Add Time    : 01/02/2025 03:06:00
Last Del Time    : Not Available
Overflow         : false"
# a BMC whose clock was never set: seconds since it started, as ipmitool
run 0 sel node02 info
case "$OUT" in
*"Last Add Time    : S+ 01:09:24
Last Del Time    : Not Available"*) ;;
*) fail "sel info with pre-init times: $OUT" ;;
esac
run 0 info node01 && expect_out "Device ID                 : 32
Device Revision           : 1
Firmware Revision         : 1.23
IPMI Version              : 2.0
Manufacturer ID           : 4753
Product ID                : 3842 (0x0f02)
Device Available          : yes
Provides Device SDRs      : no
Additional Device Support :
    Sensor Device
    SDR Repository Device
    SEL Device
    FRU Inventory Device
    IPMB Event Receiver
    IPMB Event Generator
    Bridge
    Chassis Device
Aux Firmware Rev Info     : 
    0x00
    0x00
    0x00
    0x00"
run 0 chassis node01 status && expect_out "System Power         : on
Power Overload       : false
Power Interlock      : inactive
Main Power Fault     : false
Power Control Fault  : false
Power Restore Policy : always-off
Last Power Event     : 
Chassis Intrusion    : inactive
Front-Panel Lockout  : inactive
Drive Fault          : false
Cooling/Fan Fault    : false"
run 0 fru node01 && expect_out "FRU Device Description : Builtin FRU Device (ID 0)
 Chassis Type          : Rack Mount Chassis
 Chassis Part Number   : CHS-1
 Chassis Serial        : C42
 Board Mfg Date        : Mon Mar  4 18:00:00 2019 UTC
 Board Mfg             : ACME
 Board Product         : X1 Board
 Board Serial          : B123
 Board Part Number     : P-1
 Product Manufacturer  : ACME
 Product Name          : X1
 Product Part Number   : X1-01
 Product Version       : A
 Product Serial        : S999
 Product Asset Tag     : 
 Product Extra         : one
 Product Extra         : two"
run 0 fru node01 3 --bridge 0:0x82
req_check "p == {'bmc': 'node01', 'id': 3, 'bridge': {'channel': 0, 'address': 130}}"
run 0 bootdev node01 pxe --persistent --efi && expect_out "Set Boot Device to pxe"
req_check "p == {'bmc': 'node01', 'device': 'pxe', 'persistent': True, 'efi': True}"
run 2 bootdev node01 usb
run 2 bootdev node01 pxe --bridge 0:0x82
expect_err_has "does not apply"

# ---- pool management ---------------------------------------------------------
run 0 list
case "$OUT" in
NAME*STATE*) ;;
*) fail "list has no header: $OUT" ;;
esac
[ "$(echo "$OUT" | wc -l)" -eq 6 ] || fail "list: want header + 5 rows: $OUT"
run 0 list 'rack1-*'
[ "$(echo "$OUT" | wc -l)" -eq 4 ] || fail "list GLOB: want header + 3 rows: $OUT"
run 0 status node01
case "$OUT" in
*"State        : active"*) ;;
*) fail "status: $OUT" ;;
esac
run 0 add n9 192.0.2.99 --port 624 --user admin --password-file /etc/ipmipool/secrets/n9 --cipher 17 --privilege operator
req_check "r['method'] == 'bmc.add' and p == {'name': 'n9', 'host': '192.0.2.99', 'port': 624, 'username': 'admin', 'password_file': '/etc/ipmipool/secrets/n9', 'cipher_suite': 17, 'privilege': 'operator'}"
run 2 add n9 h --cipher fast
run 2 add n9 h --privilege root
run 1 add node01 192.0.2.1
expect_err_has "ipmipoolctl: node01: Invalid params: param 'name': a BMC with this name exists"
run 0 remove node01 && expect_out ""
run 0 reload && expect_out "Added     : 1
Removed   : 0
Changed   : 2
Unchanged : 2"

# ---- --json, call -------------------------------------------------------------
run 0 --json power node01 status
json_check "j['power_on'] is True"
run 0 power node01 status --json
json_check "j['power_on'] is True"
run 1 --json power 'rack1-*' status
json_check "j['results']['rack1-a']['power_on'] and j['results']['rack1-c']['error']['code'] == -32002"
run 0 --json list
json_check "len(j['bmcs']) == 5"
run 0 call daemon.info
json_check "j['version'] == '0.1.0'"
run 0 call bmc.status '{"bmc": "node02"}'
json_check "j['name'] == 'node02'"
run 2 call bmc.status '{not json'
run 2 call bmc.status '42'

# ---- errors and exit codes ------------------------------------------------------
run 1 status nope
expect_err_has "nope: unknown BMC: no BMC named 'nope'"
run 1 call no.such.method
expect_err_has "unknown method"
run 1 --timeout 0.3 call test.never
expect_err_has "timed out"
run 1 call test.close
expect_err_has "closed the connection"
run 1 -s "$TMP/missing.sock" list
expect_err_has "cannot connect to $TMP/missing.sock"
IPMIPOOL_SOCKET=$TMP/env.sock run 1 list
expect_err_has "$TMP/env.sock"
run 2
run 2 frobnicate
run 2 power node01 sideways
run 2 power node01
run 2 status
run 2 list a b
run 2 --timeout abc list
run 2 --nope list
run 0 --help
run 0 --version
case "$OUT" in
"ipmipoolctl "*) ;;
*) fail "--version: $OUT" ;;
esac

# ---- completion helper ------------------------------------------------------------
run 0 --complete bmcs && [ "$(echo "$OUT" | tr '\n' ' ')" = "node01 node02 rack1-a rack1-b rack1-c " ] ||
	fail "--complete bmcs: $OUT"
run 0 --complete verbs
run 1 -s "$TMP/missing.sock" --complete bmcs && expect_out ""
[ -z "$ERR" ] || fail "--complete must be quiet: $ERR"

# ---- bash completion (verbs, BMC names from the daemon, arguments) -----------
complete_words() { # WORDS... (the last one is being completed)
	PATH=$(dirname "$CTL"):$PATH bash -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_ipmipoolctl; echo "${COMPREPLY[*]}"' _ "$COMPLETION" "$@"
}
if [ -n "$COMPLETION" ]; then
	got=$(complete_words ipmipoolctl po)
	[ "$got" = "power" ] || fail "completion of 'po': '$got'"
	got=$(complete_words ipmipoolctl power rack)
	[ "$got" = "rack1-a rack1-b rack1-c" ] || fail "completion of BMC names: '$got'"
	got=$(complete_words ipmipoolctl -s "$SOCK" power node01 c)
	[ "$got" = "cycle" ] || fail "completion of power actions: '$got'"
	got=$(complete_words ipmipoolctl bootdev node01 --p)
	[ "$got" = "--persistent" ] || fail "completion of options: '$got'"
	got=$(complete_words ipmipoolctl call daemon.)
	[ "$got" = "daemon.info daemon.stats daemon.reload" ] || fail "completion of methods: '$got'"
fi

echo "ctl-cli: $checks runs, $fails failure(s)"
[ "$fails" -eq 0 ]
