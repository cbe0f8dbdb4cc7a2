#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# install-alias.sh LIBVIRT_CONF [RUN_DIR]: make `virsh -c lamina` and
# `virsh -c lamina-ro` reach vmmd's sockets in RUN_DIR (/run/lamina). libvirt's client reads uri_aliases
# from /etc/libvirt/libvirt.conf (root) or ~/.config/libvirt/libvirt.conf.
# The transport-qualified URI (lamina+unix) makes the client use its
# remote driver over a plain Unix socket, at the path given by socket=.
set -eu
conf=$1 run=${2:-/run/lamina}
line="uri_aliases = [ \"lamina=lamina+unix:///system?socket=$run/lamina-sock\", \"lamina-ro=lamina+unix:///system?socket=$run/lamina-sock-ro\" ]"

mkdir -p "$(dirname "$conf")"
touch "$conf"
if grep -q 'lamina=lamina+unix' "$conf"; then
	echo "install-alias: $conf already has the lamina alias"
elif grep -q '^[[:space:]]*uri_aliases' "$conf"; then
	echo "install-alias: $conf already sets uri_aliases; add by hand:" >&2
	echo "  $line" >&2
else
	printf '# added by lamina (vmmd): virsh -c lamina\n%s\n' "$line" >>"$conf"
	echo "install-alias: added the lamina alias to $conf"
fi
