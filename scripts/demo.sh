#!/usr/bin/env bash
# demo.sh - the main job on a fresh machine: install what is needed, build,
# and run ipmipoold.  With BMCs configured in /etc/ipmipool/ipmipool.conf
# it runs against those; otherwise it starts simulated BMCs on loopback (an
# ipmi_sim fleet, plus the project's own responder for cipher suite 17) and
# a daemon configured for them.  Ctrl-C stops everything.
#
# usage: scripts/demo.sh [--count N] [--port P]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COUNT=4
PORT=9623
while [ $# -gt 0 ]; do
	case $1 in
	--count) COUNT=$2; shift 2 ;;
	--port) PORT=$2; shift 2 ;;
	*) echo "usage: $0 [--count N] [--port P]" >&2; exit 2 ;;
	esac
done

scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null

if [ -r /etc/ipmipool/ipmipool.conf ] && grep -q '^\[bmc:' /etc/ipmipool/ipmipool.conf /etc/ipmipool/conf.d/*.conf 2>/dev/null; then
	echo "demo: BMCs are configured in /etc/ipmipool; running the daemon on them"
	exec build/daemon/ipmipoold -f
fi

RUN=$(mktemp -d /tmp/ipmipool-demo.XXXXXX)
chmod 0700 "$RUN"
FAKEPID=""
cleanup() {
	[ -n "$FAKEPID" ] && kill "$FAKEPID" 2>/dev/null || true
	tests/bmcsim/bmcsim stop --dir "$RUN/sim" >/dev/null 2>&1 || true
	rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ipmi_sim keeps the chassis in memory with the module built beside the tests.
if [ -f build/tests/ipmipool-chassismod.so ]; then
	export BMCSIM_CHASSIS_MODULE="$ROOT/build/tests/ipmipool-chassismod.so"
fi
tests/bmcsim/bmcsim start --count "$COUNT" --base-port "$PORT" --dir "$RUN/sim"
FAKEPORT=$((PORT + COUNT))
build/tests/fakebmc/ipmipool-fakebmc --port "$FAKEPORT" --quiet &
FAKEPID=$!

umask 077
printf 'adminpass\n' > "$RUN/admin.pass"
{
	echo "[daemon]"
	echo "socket = $RUN/ipmipool.sock"
	echo "socket_group ="
	echo "[defaults]"
	echo "username = admin"
	echo "password_file = $RUN/admin.pass"
	echo "cipher_suite = auto"
	echo "cipher_suites = 17,3"
	for i in $(seq 0 $((COUNT - 1))); do
		printf '[bmc:sim%02d]\nhost = 127.0.0.1\nport = %d\n' "$i" $((PORT + i))
	done
	printf '[bmc:fake17]\nhost = 127.0.0.1\nport = %d\ncipher_suite = 17\n' "$FAKEPORT"
} > "$RUN/ipmipool.conf"

cat <<TXT

demo: ipmipoold serves $RUN/ipmipool.sock for $COUNT ipmi_sim BMCs (sim00..)
      and one suite-17 responder (fake17).  Try, from another shell:
  echo '{"jsonrpc":"2.0","id":1,"method":"bmc.list"}' | socat - UNIX-CONNECT:$RUN/ipmipool.sock
  echo '{"jsonrpc":"2.0","id":2,"method":"ipmi.raw","params":{"bmcs":["*"],"netfn":6,"cmd":1}}' | socat - UNIX-CONNECT:$RUN/ipmipool.sock
  IPMIPOOL_SOCKET=$RUN/ipmipool.sock build/client-lib/ctl/ipmipoolctl list
Ctrl-C stops the daemon and the simulators.

TXT
build/daemon/ipmipoold -c "$RUN/ipmipool.conf" -f
