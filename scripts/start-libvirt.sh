#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# start-libvirt.sh: install and start libvirt 9.0 with its QEMU driver on a
# Debian machine, so that the differential tests can ask virsh the same
# questions cpuscope answers:
#   virsh -c test:///default cpu-baseline          (libvirt-clients only)
#   virsh -c qemu:///system capabilities | domcapabilities | cpu-compare |
#         domxml-to-native                         (libvirtd, qemu-system-x86)
#   virt-xml --build-xml --cpu ...                 (virtinst)
# Run as root.  Safe to run again: it only does what is missing.
set -u

PKGS="libvirt-clients libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86 virtinst"
URI=qemu:///system

say() { echo "start-libvirt: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
	say "error: run as root (it installs packages and starts libvirtd)"
	exit 1
fi

missing=""
for p in $PKGS; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
	say "installing$missing"
	apt-get update -qq >/dev/null 2>&1 || true
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing \
		>/dev/null || { say "error: cannot install$missing"; exit 1; }
fi

# The QEMU driver refuses to start without its service account, even when
# it is told to run QEMU as root (which a test machine without that
# account's file permissions needs).
getent group kvm >/dev/null || groupadd -r kvm
getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
getent passwd libvirt-qemu >/dev/null ||
	useradd -r -g libvirt-qemu -G kvm -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
mkdir -p /run/libvirt /var/log/libvirt
conf=/etc/libvirt/qemu.conf
if ! grep -q '^user = "root"' "$conf" 2>/dev/null; then
	{
		echo 'user = "root"'
		echo 'group = "root"'
		echo 'dynamic_ownership = 0'
		echo 'remember_owner = 0'
	} >>"$conf"
fi

if ! virsh -c "$URI" version >/dev/null 2>&1; then
	libvirtd -d >/dev/null 2>&1
	n=0
	while [ $n -lt 30 ] && ! virsh -c "$URI" version >/dev/null 2>&1; do
		sleep 1
		n=$((n + 1))
	done
fi
# Starting a guest needs virtlogd beside libvirtd: QEMU's output goes
# through it to /var/log/libvirt/qemu/NAME.log.
if ! pgrep -x virtlogd >/dev/null 2>&1; then
	virtlogd -d >/dev/null 2>&1 || say "warning: virtlogd did not start; guests cannot be started"
fi
if virsh -c "$URI" version >/dev/null 2>&1; then
	say "libvirtd answers on $URI"
else
	say "error: libvirtd does not answer on $URI (see /var/log/libvirt/libvirtd.log)"
	exit 1
fi
