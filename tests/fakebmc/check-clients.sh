#!/usr/bin/env bash
# check-clients.sh -- prove that real IPMI clients accept ipmipool-fakebmc.
#
#   check-clients.sh PATH/TO/ipmipool-fakebmc
#
# Starts the responder itself on free loopback ports (stopped again on exit),
# then runs ipmitool, FreeIPMI (bmc-info, ipmi-raw, ipmipower) and pyghmi
# against it for every cipher suite each client speaks.  Prints one line per
# check ("ok ..." / "FAIL ..."; "skip ..." for what a client cannot do) and
# exits 1 if any check failed, 77 (skipped) if ipmitool, FreeIPMI or pyghmi
# is not installed.  Every client call is bounded by a timeout.
set -euo pipefail

FAKEBMC=${1:-${FAKEBMC:-}}
PY=${FAKEBMC_PYTHON:-/usr/bin/python3} # Debian's python3, the one with pyghmi
T=${CHECK_TIMEOUT:-30}                 # seconds per client command

[[ -n $FAKEBMC && -x $FAKEBMC ]] || { echo "usage: $0 PATH/TO/ipmipool-fakebmc" >&2; exit 2; }
for tool in ipmitool bmc-info ipmi-raw ipmipower timeout; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "skip: $tool not installed"
        exit 77
    fi
done
if ! timeout 20 "$PY" -c 'import pyghmi.ipmi.command' >/dev/null 2>&1; then
    echo "skip: pyghmi not importable by $PY"
    exit 77
fi

DEVID="20 01 01 23 02 9f d9 7e 00 53 42 00 00 00 00"
ALL_SUITES="0 1 2 3 6 7 8 11 12 15 16 17"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fakebmc-check.XXXXXX")
declare -A BMC_PID=() BMC_PORT=()
FAILS=0

# Stop every responder we started (by its recorded pid), then clean up.
cleanup() {
    local name pid i
    for name in "${!BMC_PID[@]}"; do
        pid=${BMC_PID[$name]}
        kill -TERM "$pid" 2>/dev/null || continue
        for ((i = 0; i < 50; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() { echo "ok   $*"; }
fail() {
    echo "FAIL $*"
    FAILS=$((FAILS + 1))
}

# start_bmc NAME [fakebmc options...]: on a free port in 20000-59999.
start_bmc() {
    local name=$1 port pid try i
    shift
    for ((try = 0; try < 20; try++)); do
        port=$((20000 + RANDOM % 40000))
        rm -f "$TMP/$name.pid"
        "$FAKEBMC" --port "$port" --pidfile "$TMP/$name.pid" "$@" 2>>"$TMP/$name.log" &
        pid=$!
        for ((i = 0; i < 100; i++)); do
            [[ -s $TMP/$name.pid ]] && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        if [[ -s $TMP/$name.pid ]] && kill -0 "$pid" 2>/dev/null; then
            BMC_PID[$name]=$pid
            BMC_PORT[$name]=$port
            return 0
        fi
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    echo "FAIL cannot start $FAKEBMC; log:" >&2
    cat "$TMP/$name.log" >&2
    exit 1
}

# stop_bmc NAME: SIGTERM, must exit 0 (clean; also ASan-clean under ASan).
stop_bmc() {
    local name=$1 pid rc i
    pid=${BMC_PID[$name]}
    kill -TERM "$pid"
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    rc=0
    wait "$pid" || rc=$?
    unset "BMC_PID[$name]"
    if [[ $rc -eq 0 && ! -e $TMP/$name.pid ]]; then
        ok "fakebmc ($name) exits cleanly on SIGTERM"
    else
        fail "fakebmc ($name) exit status $rc on SIGTERM; log tail:"
        tail -n 30 "$TMP/$name.log" | sed 's/^/     /'
    fi
}

# run DESC MODE EXPECT CMD...: MODE is eq (whole output, whitespace
# squeezed), has (extended regex somewhere in the output), fails (must exit
# non-zero, but not by the timeout) or failshas (fails, and output matches).
# With SUITE=N set, the main responder's log must also show that the client
# really opened a session with cipher suite N.
run() {
    local desc=$1 mode=$2 want=$3 out norm rc=0 before=0
    shift 3
    if [[ -n ${SUITE:-} ]]; then before=$(wc -l <"$TMP/main.log"); fi
    out=$(timeout -k 5 "$T" "$@" 2>&1) || rc=$?
    if [[ -n ${SUITE:-} ]] &&
        ! tail -n +$((before + 1)) "$TMP/main.log" | grep -q " open: .*, suite $SUITE, "; then
        fail "$desc (no suite $SUITE session in the responder's log)"
        return
    fi
    norm=$(printf '%s' "$out" | tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//')
    case $mode in
    eq)
        if [[ $rc -eq 0 && $norm == "$want" ]]; then ok "$desc"; return; fi ;;
    has)
        if [[ $rc -eq 0 ]] && grep -Eq -- "$want" <<<"$out"; then ok "$desc"; return; fi ;;
    fails | failshas)
        if [[ $rc -ne 0 && $rc -ne 124 && $rc -ne 137 ]] &&
            { [[ $mode == fails ]] || grep -Eq -- "$want" <<<"$out"; }; then
            ok "$desc"
            return
        fi ;;
    esac
    fail "$desc (exit $rc)"
    printf '%s\n' "$out" | tail -n 5 | sed 's/^/     /'
}

# ---------------------------------------------------------------- ASF ping --
asf_ping() {
    local port=$1 rc=1
    exec 3<>"/dev/udp/127.0.0.1/$port"
    printf '\x06\x00\xff\x06\x00\x00\x11\xbe\x80\x2a\x00\x00' >&3
    if IFS= read -r -t 2 -N 1 _ <&3; then rc=0; fi
    exec 3<&- 3>&-
    return $rc
}

start_bmc main
P=${BMC_PORT[main]}
if asf_ping "$P"; then ok "ASF presence ping answered"; else fail "ASF presence ping"; fi

# ---------------------------------------------------------------- ipmitool --
IT=(ipmitool -I lanplus -H 127.0.0.1 -p "$P" -N 2 -R 2)
for c in $ALL_SUITES; do
    case $c in
    11 | 12)
        echo "skip ipmitool suite $c: ipmitool 1.8.19 has no MD5-128 integrity (asserts)"
        continue ;;
    esac
    SUITE=$c run "ipmitool -C $c admin raw 6 1" eq "$DEVID" \
        "${IT[@]}" -U admin -P adminpass -L ADMINISTRATOR -C "$c" raw 6 1
done
for c in 3 17; do
    SUITE=$c run "ipmitool -C $c oper/OPERATOR raw 6 1" eq "$DEVID" \
        "${IT[@]}" -U oper -P operpass -L OPERATOR -C "$c" raw 6 1
    run "ipmitool -C $c ro/USER raw 6 1" eq "$DEVID" \
        "${IT[@]}" -U ro -P ropass -L USER -C "$c" raw 6 1
    run "ipmitool -C $c wrong password refused" fails "" \
        "${IT[@]}" -U admin -P wrongpass -L ADMINISTRATOR -C "$c" raw 6 1
done
run "ipmitool unknown user refused" fails "" \
    "${IT[@]}" -U nobody -P adminpass -L USER -C 17 raw 6 1
run "ipmitool ro above its max privilege refused" fails "" \
    "${IT[@]}" -U ro -P ropass -L ADMINISTRATOR -C 17 raw 6 1
run "ipmitool chassis power status" eq "Chassis Power is on" \
    "${IT[@]}" -U admin -P adminpass -L ADMINISTRATOR -C 17 chassis power status
run "ipmitool chassis status" has "^System Power +: on" \
    "${IT[@]}" -U admin -P adminpass -L ADMINISTRATOR -C 17 chassis status
run "ipmitool ro chassis power off refused (D4h)" failshas "Insufficient privilege" \
    "${IT[@]}" -U ro -P ropass -L USER -C 17 chassis power off
run "ipmitool oper chassis power off" has "Down/Off" \
    "${IT[@]}" -U oper -P operpass -L OPERATOR -C 3 chassis power off
run "ipmitool chassis power status after off" eq "Chassis Power is off" \
    "${IT[@]}" -U oper -P operpass -L OPERATOR -C 3 chassis power status
run "ipmitool oper chassis power on" has "Up/On" \
    "${IT[@]}" -U oper -P operpass -L OPERATOR -C 16 chassis power on
run "ipmitool channel getciphers ipmi lists 12 suites" has "^17 +N/A +hmac_sha256 +sha256_128 +aes_cbc_128" \
    "${IT[@]}" -U admin -P adminpass -L ADMINISTRATOR -C 17 channel getciphers ipmi
run "ipmitool session info active" has "session type +: IPMIv2/RMCP\+" \
    "${IT[@]}" -U admin -P adminpass -L ADMINISTRATOR -C 17 session info active
run "ipmitool unknown command -> C1h" failshas "rsp=0xc1" \
    "${IT[@]}" -U admin -P adminpass -L ADMINISTRATOR -C 17 raw 0x30 0x01

# ---------------------------------------------------------------- FreeIPMI --
# -D LAN_2_0: without it FreeIPMI speaks IPMI v1.5 sessions (and ignores -I),
# which this responder deliberately does not offer.
FI=(-D LAN_2_0 -h "127.0.0.1:$P" --session-timeout=10000 --retransmission-timeout=500)
for c in $ALL_SUITES; do
    SUITE=$c run "bmc-info -I $c -W opensesspriv --get-device-id" has "^Firmware Revision +: 1\.23" \
        bmc-info "${FI[@]}" -u admin -p adminpass -l admin -I "$c" -W opensesspriv --get-device-id
    SUITE=$c run "bmc-info -I $c --get-device-id" has "^Firmware Revision +: 1\.23" \
        bmc-info "${FI[@]}" -u admin -p adminpass -l admin -I "$c" --get-device-id
    SUITE=$c run "ipmi-raw -I $c 0 6 1" eq "rcvd: 01 00 ${DEVID^^}" \
        ipmi-raw "${FI[@]}" -u admin -p adminpass -l admin -I "$c" 0 6 1
done
run "bmc-info oper/operator -I 17" has "^Firmware Revision +: 1\.23" \
    bmc-info "${FI[@]}" -u oper -p operpass -l operator -I 17 --get-device-id
run "bmc-info wrong password refused" fails "" \
    bmc-info "${FI[@]}" -u admin -p wrongpass -l admin -I 17 --get-device-id
run "ipmipower --stat -I 3" has ": on$" \
    ipmipower "${FI[@]}" -u admin -p adminpass -I 3 --stat

# ------------------------------------------------------------------ pyghmi --
cat >"$TMP/pyghmi_check.py" <<'EOF'
import sys
from pyghmi.ipmi import command
port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
c = command.Command(bmc='127.0.0.1', port=port, userid=user, password=password)
r = c.raw_command(netfn=6, command=1)
s = c.ipmi_session
print('cc=%02x data=%s power=%s integ=%s priv=%d' % (
    r.get('code', 0), ' '.join('%02x' % b for b in r['data']),
    c.get_power()['powerstate'], s.integrityalgo, s.privlevel))
s.logout()
EOF
PG=(timeout "$T" "$PY" "$TMP/pyghmi_check.py")
# pyghmi proposes suite 17 first and falls back to suite 3 on any refusal.
SUITE=17 run "pyghmi admin (suite 17) raw 6 1 + get_power" eq \
    "cc=00 data=$DEVID power=on integ=256 priv=4" "${PG[@]}" "$P" admin adminpass
run "pyghmi oper (falls back to OPERATOR after 0Dh)" eq \
    "cc=00 data=$DEVID power=on integ=256 priv=3" "${PG[@]}" "$P" oper operpass
run "pyghmi wrong password refused" fails "" "${PG[@]}" "$P" admin wrongpass
echo "skip pyghmi suites other than 17 and 3: pyghmi 1.5 proposes only those two"

start_bmc legacy --suites 0,1,2,3
run "pyghmi admin (suite 3, 17 refused) raw 6 1 + get_power" eq \
    "cc=00 data=$DEVID power=on integ=1 priv=4" "${PG[@]}" "${BMC_PORT[legacy]}" admin adminpass
run "ipmitool -C 17 refused by a --suites 0,1,2,3 responder" fails "" \
    ipmitool -I lanplus -H 127.0.0.1 -p "${BMC_PORT[legacy]}" -N 1 -R 1 \
    -U admin -P adminpass -L ADMINISTRATOR -C 17 raw 6 1
stop_bmc legacy

# ------------------------------------------------------- K_g and IPv6 --
KG=0123456789abcdef0123456789abcdef01234567
if grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null; then
    start_bmc kg --kg "$KG" --addr ::1
    KH=::1
    KFH="[::1]"
else
    echo "skip IPv6: no ::1 on this machine"
    start_bmc kg --kg "$KG"
    KH=127.0.0.1
    KFH=127.0.0.1
fi
KP=${BMC_PORT[kg]}
run "ipmitool -C 17 with the BMC key (-y), $KH" eq "$DEVID" \
    ipmitool -I lanplus -H "$KH" -p "$KP" -N 2 -R 2 -U admin -P adminpass \
    -L ADMINISTRATOR -C 17 -y "$KG" raw 6 1
run "ipmitool -C 17 without the BMC key refused" fails "" \
    ipmitool -I lanplus -H "$KH" -p "$KP" -N 1 -R 1 -U admin -P adminpass \
    -L ADMINISTRATOR -C 17 raw 6 1
run "bmc-info -I 3 with the BMC key (-k)" has "^Firmware Revision +: 1\.23" \
    bmc-info -D LAN_2_0 -h "$KFH:$KP" --session-timeout=10000 --retransmission-timeout=500 \
    -u admin -p adminpass -l admin -I 3 -k "0x$KG" --get-device-id
stop_bmc kg

# ---------------------------------------------------- responder features --
printf '06 01 -> 00 de ad be ef\n00 01 -> c0\n' >"$TMP/script"
start_bmc multi --count 3 --quiet --script "$TMP/script"
MP=${BMC_PORT[multi]}
run "--count 3: third port answers, --script overrides Get Device ID" eq "de ad be ef" \
    ipmitool -I lanplus -H 127.0.0.1 -p $((MP + 2)) -N 2 -R 2 \
    -U admin -P adminpass -L ADMINISTRATOR -C 17 raw 6 1
run "--script: scripted C0h completion code reaches the client" failshas "rsp=0xc0" \
    ipmitool -I lanplus -H 127.0.0.1 -p "$MP" -N 2 -R 2 \
    -U admin -P adminpass -L ADMINISTRATOR -C 17 raw 0 1
stop_bmc multi

# --hosts: one BMC per loopback address, all on one port, behind one socket;
# each answers from its own address (a client that checks would drop it).
start_bmc hosts --hosts --count 3 --addr 127.0.0.1 --quiet
HP=${BMC_PORT[hosts]}
for h in 127.0.0.1 127.0.0.3; do
    run "--hosts --count 3: $h answers (ipmitool -C 17)" eq "$DEVID" \
        ipmitool -I lanplus -H "$h" -p "$HP" -N 2 -R 2 \
        -U admin -P adminpass -L ADMINISTRATOR -C 17 raw 6 1
done
run "--hosts: ipmipower over the address range" has "^127\.0\.0\.2: on$" \
    ipmipower -D LAN_2_0 -h "127.0.0.[1-3]:$HP" --session-timeout=10000 \
    --retransmission-timeout=500 -u admin -p adminpass -I 17 --stat
run "--hosts: 127.0.0.4 is not one of the 3 BMCs (no answer)" fails "" \
    ipmitool -I lanplus -H 127.0.0.4 -p "$HP" -N 1 -R 1 \
    -U admin -P adminpass -L ADMINISTRATOR -C 17 raw 6 1
stop_bmc hosts

stop_bmc main
if [[ $FAILS -ne 0 ]]; then
    echo "$FAILS check(s) failed"
    exit 1
fi
echo "all checks passed"
