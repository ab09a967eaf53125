#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# record.sh: record what libvirt and QEMU really do with each case here.
# Starts every *.xml domain of this directory (type='qemu', TCG) through
# libvirtd with `virsh create --paused`, then destroys it, and writes
# expected.txt: one line per case, "NAME|starts|" followed by the features
# QEMU warned it dropped (from /var/log/libvirt/qemu/NAME.log), or
# "NAME|refused|" followed by libvirt's error message (QEMU's timestamps
# removed).  caps-tcg-host.xml and domcaps-tcg.xml are `virsh capabilities`
# and `virsh domcapabilities --virttype qemu` of the same host.  Run as
# root beside a running libvirtd and virtlogd (scripts/start-libvirt.sh).
set -u
cd "$(dirname "$0")"
URI=qemu:///system
: >expected.txt
for f in *.xml; do
	case $f in caps-* | domcaps-*) continue ;; esac
	case=${f%.xml}
	name=cpuscope-start-$case
	log=/var/log/libvirt/qemu/$name.log
	before=0
	[ -f "$log" ] && before=$(wc -l <"$log")
	if virsh -c "$URI" create --paused "$f" >/dev/null 2>/tmp/record.err; then
		sleep 0.3
		drop=$(tail -n +"$((before + 1))" "$log" |
			sed -n "s/.*doesn't support requested feature: .*\.\([^.: ]*\) \[bit.*/\1/p" |
			sort -u | tr '\n' ' ' | sed 's/ $//')
		virsh -c "$URI" destroy "$name" >/dev/null 2>&1
		echo "$case|starts|$drop" >>expected.txt
	else
		msg=$(sed -n 's/^error: //p' /tmp/record.err | grep -v '^Failed to create domain' |
			head -1 | sed 's/[0-9T:.-]*Z qemu-system-x86_64:/qemu-system-x86_64:/g' |
			sed 's/^internal error: process exited while connecting to monitor: /internal error: qemu unexpectedly closed the monitor: /')
		echo "$case|refused|$msg" >>expected.txt
	fi
done
