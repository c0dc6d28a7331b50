#!/usr/bin/env bash
# install-deps.sh - every package ipmipool needs to build, test and fuzz,
# from Debian 12.  Run as root (or it re-runs itself through sudo).
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
	exec sudo "$0" "$@"
fi
PKGS=(
	# build
	meson ninja-build pkg-config gcc clang libclang-rt-14-dev
	libevent-dev libssl-dev libjson-c-dev libinih-dev check
	# real peers and reference clients for the tests
	openipmi ipmitool freeipmi-tools python3-pyghmi
	# the simulator's in-memory chassis module (tests/bmcsim/chassismod.c)
	libopenipmi-dev
	# tools the tests and scripts use
	socat iproute2 procps
)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-deps: ${#PKGS[@]} packages present"
