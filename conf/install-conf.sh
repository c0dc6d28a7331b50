#!/bin/sh
# install-conf.sh SRC DIR - installs the example configuration into
# $DESTDIR/DIR without overwriting a file the administrator already has.
set -eu
src=$1
dir=${DESTDIR:-}$2
# 0755 whatever the umask (ipmipoold.service's ConfigurationDirectory= is
# root's; its user reads through it); an existing directory is left alone.
for d in "$dir" "$dir/conf.d"; do
	[ -d "$d" ] || install -d -m 0755 "$d"
done
if [ -e "$dir/ipmipool.conf" ]; then
	echo "install-conf: keeping existing $dir/ipmipool.conf"
else
	install -m 0644 "$src/ipmipool.conf" "$dir/ipmipool.conf"
fi
for f in "$src"/conf.d/*.sample; do
	[ -e "$dir/conf.d/$(basename "$f")" ] || install -m 0644 "$f" "$dir/conf.d/"
done
