#!/bin/bash
# run.sh - validate an OpenRPC document with tests/openrpc/validate.js.
#
#   run.sh [DOC [METHOD...]]      DOC defaults to daemon/openrpc.json
#
# Installs the pinned npm packages once into a cache directory
# ($IPMIPOOL_NODE_CACHE, else $XDG_CACHE_HOME/ipmipool/openrpc-node) and
# compares with the spec's method table ($IPMIPOOL_API_MD, else
# ../shared/spec/API.md beside the source tree) when that exists.
# Exit 77 (skip) without node/npm or when the packages cannot be installed.
set -eu

# The meta-schema's last release for OpenRPC 1.2.x (1.14.6 on targets 1.3,
# where "result" became optional); draft-07 keywords, so ajv's default export.
META_SCHEMA_VERSION=1.14.2
AJV_VERSION=8.17.1

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
doc=${1:-$root/daemon/openrpc.json}
[ $# -gt 0 ] && shift

skip() {
	echo "run.sh: SKIP: $*" >&2
	exit 77
}

command -v node >/dev/null 2>&1 || skip "node is not installed"
command -v npm >/dev/null 2>&1 || skip "npm is not installed"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 16 ] || skip "node $node_major is too old (need 16 or later)"

cache=${IPMIPOOL_NODE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/ipmipool/openrpc-node}
stamp="meta-schema=$META_SCHEMA_VERSION ajv=$AJV_VERSION"
mkdir -p "$cache"

install() {
	[ -f "$cache/.pins" ] && [ "$(cat "$cache/.pins")" = "$stamp" ] &&
		[ -d "$cache/node_modules/ajv" ] && [ -d "$cache/node_modules/@open-rpc/meta-schema" ] &&
		return 0
	rm -f "$cache/.pins"
	npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
		--prefix "$cache" "@open-rpc/meta-schema@$META_SCHEMA_VERSION" "ajv@$AJV_VERSION" >&2 ||
		return 1
	echo "$stamp" >"$cache/.pins"
}

# One install at a time when several build trees test at once.
if command -v flock >/dev/null 2>&1; then
	exec 9>"$cache/.lock"
	flock 9
fi
install || skip "cannot install @open-rpc/meta-schema@$META_SCHEMA_VERSION and ajv@$AJV_VERSION (offline?)"
if command -v flock >/dev/null 2>&1; then
	exec 9>&-
fi

api=${IPMIPOOL_API_MD:-}
if [ -z "$api" ]; then
	for f in "$root/../shared/spec/API.md" /work/shared/spec/API.md; do
		if [ -f "$f" ]; then
			api=$f
			break
		fi
	done
fi

NODE_PATH="$cache/node_modules" exec node "$here/validate.js" ${api:+--api "$api"} "$doc" "$@"
