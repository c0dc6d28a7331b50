#!/usr/bin/env bash
# symbols.sh - libipmipool's ABI surface: the shared library has soname
# libipmipool.so.0 and exports exactly the functions ipmipool.h declares
# (all ipmipool_*, versioned IPMIPOOL_0); the static library defines no
# global symbol outside ipmipool_* and the internal ipp*_ prefixes.
# usage: symbols.sh LIBIPMIPOOL.so LIBIPMIPOOL.a
set -euo pipefail
SO=$1
AR=$2
HDR=$(dirname "$0")/../ipmipool.h
fails=0
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

soname=$(readelf -d "$SO" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = libipmipool.so.0 ] || bad "soname is '$soname', want libipmipool.so.0"

exported=$(nm -D --defined-only "$SO" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | sed 's/@.*//' | sort -u)
others=$(echo "$exported" | grep -v -E '^(ipmipool_[a-z0-9_]+|IPMIPOOL_0)$' || true)
[ -z "$others" ] || bad "exported beyond ipmipool_*: $others"
nm -D --defined-only "$SO" | grep -q 'ipmipool_call@@IPMIPOOL_0' || bad "symbols are not versioned IPMIPOOL_0"

declared=$(grep -oE '\bipmipool_[a-z0-9_]+\(' "$HDR" | tr -d '(' | sort -u)
missing=$(comm -23 <(echo "$declared") <(echo "$exported" | grep '^ipmipool_'))
extra=$(comm -13 <(echo "$declared") <(echo "$exported" | grep '^ipmipool_'))
[ -z "$missing" ] || bad "declared in ipmipool.h but not exported: $missing"
[ -z "$extra" ] || bad "exported but not declared in ipmipool.h: $extra"

leaks=$(nm -g --defined-only "$AR" 2>/dev/null | awk 'NF == 3 {print $3}' |
	grep -v -E '^(ipmipool_|ippframe_|ippjson_|ipperr_)' || true)
[ -z "$leaks" ] || bad "static library defines global symbols outside its prefixes: $leaks"

echo "symbols: $(echo "$exported" | grep -c '^ipmipool_') exported, $fails failure(s)"
[ "$fails" -eq 0 ]
