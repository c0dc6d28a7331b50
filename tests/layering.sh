#!/usr/bin/env bash
# layering.sh - keeps the bands honest (see HACKING.md):
#  * protocol/ is pure: no sockets, clocks, event loop, logging or printing,
#    and no mutable global state in its library;
#  * only the daemon's shell files may include libevent.
# usage: layering.sh SOURCE_ROOT PROTOCOL_LIB
set -euo pipefail
ROOT=$1
LIB=$2
fails=0
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

banned_inc='#include <(sys/socket\.h|netinet/|arpa/inet\.h|netdb\.h|poll\.h|time\.h|sys/time\.h|event2/|syslog\.h|unistd\.h|pthread\.h)'
if grep -nE "$banned_inc" "$ROOT"/protocol/*.[ch]; then
	bad "protocol/ includes an I/O, clock or event-loop header (above)"
fi
banned_call='\b(printf|fprintf|puts|fopen|socket|sendto|recvfrom|clock_gettime|gettimeofday|syslog|getenv|abort|exit)\s*\('
if grep -nE "$banned_call" "$ROOT"/protocol/*.c; then
	bad "protocol/ calls an I/O, clock or process function (above)"
fi
# Mutable globals live in .data or .bss (const tables with relocations sit
# in .data.rel.ro, which is read-only after loading).
if objdump -t "$LIB" | grep -E '\s\.(data|bss)(\.[A-Za-z0-9_.]*)?\s' | grep -vE '\.data\.rel\.ro| d  |__(odr_)?asan|__ubsan|__sancov'; then
	bad "protocol library has mutable global state (above)"
fi
# libevent only in the daemon's shell files.
if [ -d "$ROOT/daemon" ]; then
	shell='(main|pool|udp|dns|control|client|notify)\.c$'
	for f in $(grep -lE '#include <event2/' "$ROOT"/daemon/*.c "$ROOT"/daemon/*.h 2>/dev/null || true); do
		basename "$f" | grep -qE "$shell" || bad "$f includes libevent but is not a shell file"
	done
fi
if grep -lE '#include <event2/' "$ROOT"/client-lib/*.[ch] 2>/dev/null; then
	bad "client-lib/ must not depend on libevent"
fi
echo "layering: $fails failure(s)"
[ "$fails" -eq 0 ]
