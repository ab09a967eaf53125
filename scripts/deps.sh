#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# deps.sh: install the Debian packages cpuscope needs to build and test.
# Run by make when a pkg-config check fails; safe to run by hand.
set -u
PKGS="pkg-config libncurses-dev libxml2-dev libyaml-dev libjson-c-dev libvirt-dev libcmocka-dev tmux"
missing=""
for p in $PKGS; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps.sh: installing$missing" >&2
	apt-get update -qq >/dev/null 2>&1 || true
	DEBIAN_FRONTEND=noninteractive $cmd -qq >/dev/null || {
		echo "deps.sh: error: '$cmd' failed" >&2
		exit 1
	}
	exit 0
fi
if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	echo "deps.sh: installing$missing with sudo" >&2
	sudo apt-get update -qq >/dev/null 2>&1 || true
	sudo DEBIAN_FRONTEND=noninteractive $cmd -qq >/dev/null && exit 0
fi
echo "deps.sh: error: missing packages:$missing" >&2
echo "deps.sh: run as root: $cmd" >&2
exit 1
