#!/bin/bash
# check_config.sh IPMIPOOLD SRCDIR - `ipmipoold --check-config` (what
# ipmipoold.service's ExecStartPre= runs) on the shipped configuration:
# conf/ipmipool.conf as it is, every conf/conf.d/*.sample on its own and as
# installed next to ipmipool.conf (copied to NAME.conf), with the secrets
# paths pointed at temporary files and CREDENTIALS_DIRECTORY at a temporary
# directory holding every "credential =" the samples name.  Negative
# controls: the samples fail without their secrets, and a *.sample file in
# conf.d is not read.
set -u
daemon=$1
src=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipmipool-checkconfig.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
unset CREDENTIALS_DIRECTORY NOTIFY_SOCKET
fails=0

ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

# run EXPECT(0|1) WHAT ARGS... - ipmipoold --check-config, bounded
run() {
	local expect=$1 what=$2 rc
	shift 2
	echo "\$ ${CREDENTIALS_DIRECTORY:+CREDENTIALS_DIRECTORY=$CREDENTIALS_DIRECTORY }ipmipoold $* --check-config"
	timeout 30 "$daemon" "$@" --check-config 2>&1 | sed 's/^/    /'
	rc=${PIPESTATUS[0]}
	if { [ "$expect" = 0 ] && [ "$rc" = 0 ]; } || { [ "$expect" = 1 ] && [ "$rc" = 1 ]; }; then
		ok "$what (exit $rc)"
	else
		fail "$what (exit $rc, expected $expect)"
	fi
}

# 1. ipmipool.conf as shipped: the defaults, no BMCs
run 0 "conf/ipmipool.conf as shipped" -c "$src/conf/ipmipool.conf"

# 2. every sample, its secrets in temporary files
mkdir -p "$tmp/etc/conf.d" "$tmp/secrets" "$tmp/creds"
chmod 0700 "$tmp/secrets" "$tmp/creds"
cp "$src/conf/ipmipool.conf" "$tmp/etc/ipmipool.conf"
samples=("$src"/conf/conf.d/*.sample)
[ -e "${samples[0]}" ] || { fail "no conf/conf.d/*.sample"; exit 1; }
for s in "${samples[@]}"; do
	name=$(basename "$s" .sample)
	sed "s#/etc/ipmipool/secrets/#$tmp/secrets/#g" "$s" > "$tmp/$name"
	# every secret file and credential it names, with a valid value
	grep -E '^[[:space:]]*(password_file|kg_file|credential)[[:space:]]*=' "$s" |
	while IFS='=' read -r key val; do
		key=${key//[[:space:]]/}
		val=${val%%[;#]*}
		val=$(echo "$val" | tr -d '[:space:]')
		case $key in
		password_file) (umask 077; printf 'secret-pw\n' > "$tmp/secrets/${val##*/}") ;;
		kg_file) (umask 077; printf '0x0123456789abcdef0123\n' > "$tmp/secrets/${val##*/}") ;;
		credential) (umask 077; printf 'cred-pw\n' > "$tmp/creds/$val") ;;
		esac
	done
	if grep -q '/etc/ipmipool/secrets' "$tmp/$name"; then
		fail "$name: secrets paths left pointing at /etc/ipmipool/secrets"
	fi
	if grep -qE '^[[:space:]]*(password_file|kg_file|credential)[[:space:]]*=' "$s" &&
	   [ ! -e /etc/ipmipool/secrets ]; then
		run 1 "$(basename "$s") without its secrets fails (negative control)" -c "$s"
	fi
	CREDENTIALS_DIRECTORY=$tmp/creds run 0 "$(basename "$s") on its own" -c "$tmp/$name"
	cp "$tmp/$name" "$tmp/etc/conf.d/$name"
	cp "$s" "$tmp/etc/conf.d/"
done
CREDENTIALS_DIRECTORY=$tmp/creds run 0 "ipmipool.conf + every sample as conf.d/NAME.conf" \
	-c "$tmp/etc/ipmipool.conf"

# 3. *.sample files in conf.d are not read
rm -f "$tmp"/etc/conf.d/*.conf
out=$(timeout 30 "$daemon" -c "$tmp/etc/ipmipool.conf" --check-config 2>&1)
echo "    $out"
case $out in
*"ok (0 BMCs)"*) ok "conf.d/*.sample is not read" ;;
*) fail "conf.d/*.sample is not read: $out" ;;
esac

if [ $fails -gt 0 ]; then
	echo "$fails check(s) failed"
	exit 1
fi
echo "all checks passed"
