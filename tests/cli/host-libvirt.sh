#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# host-libvirt.sh: 'cpuscope host' against a running libvirt on this machine:
# the host CPU of `virsh capabilities` and the host-model of `virsh
# domcapabilities`.  Skipped, saying why, where libvirtd is not answering.
# (scripts/start-libvirt.sh brings one up on a Debian machine.)
set -u
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
URI=${CPUSCOPE_LIBVIRT_URI:-qemu:///system}
MAP=/usr/share/libvirt/cpu_map
skip() { printf 'skip host-libvirt.sh: %s\n' "$1"; exit 0; }

command -v virsh >/dev/null 2>&1 || skip "virsh is not installed"
[ -f "$MAP/index.xml" ] || skip "libvirt's map $MAP is not installed"
virsh -c "$URI" version >/dev/null 2>&1 || skip "libvirtd does not answer on $URI"
virsh -c "$URI" capabilities >"$T/caps.xml" 2>"$T/err" || skip "virsh capabilities failed: $(cat "$T/err")"

# The host <cpu> of the capabilities, without what only a live libvirt adds
# (microcode, TSC counter, topology, maxphysaddr, pages), re-indented.
sed -n '/^  <host>/,/^  <\/host>/p' "$T/caps.xml" | sed -n '/^    <cpu>/,/^    <\/cpu>/p' |
	grep -v -e '<microcode' -e '<counter' -e '<topology' -e '<maxphysaddr' -e '<pages' |
	sed 's/^    //' >"$T/virsh-host.xml"
[ -s "$T/virsh-host.xml" ] || skip "the capabilities have no host <cpu>"
"$BIN" --map "$MAP" host >"$T/ours-host.xml" 2>"$T/err" || { bad "cpuscope host"; cat "$T/err"; }
if cmp -s "$T/ours-host.xml" "$T/virsh-host.xml"; then
	ok "cpuscope host = virsh capabilities ($(sed -n 's/.*<model>\(.*\)<\/model>.*/\1/p' "$T/virsh-host.xml"))"
else
	bad "cpuscope host = virsh capabilities"
	diff "$T/ours-host.xml" "$T/virsh-host.xml"
fi

if virsh -c "$URI" domcapabilities >"$T/domcaps.xml" 2>"$T/err"; then
	sed -n "/<mode name='host-model' supported='yes'>/,/<\/mode>/p" "$T/domcaps.xml" |
		sed 's/^    //' >"$T/virsh-hm.xml"
	if ! grep -q "<domain>kvm</domain>" "$T/domcaps.xml"; then
		echo "skip host-model comparison: this libvirtd has no KVM, so its host-model is" \
			"what QEMU emulates (TCG), not what this CPU and KVM give"
	elif [ -s "$T/virsh-hm.xml" ]; then
		"$BIN" --map "$MAP" host --host-model >"$T/ours-hm.xml" 2>"$T/err" ||
			{ bad "cpuscope host --host-model"; cat "$T/err"; }
		if grep -q "kvm source unavailable" "$T/err"; then
			echo "note: KVM is not usable here; the host-model below comes from CPUID"
		fi
		if cmp -s "$T/ours-hm.xml" "$T/virsh-hm.xml"; then
			ok "cpuscope host --host-model = virsh domcapabilities host-model"
		else
			bad "cpuscope host --host-model = virsh domcapabilities host-model"
			diff "$T/ours-hm.xml" "$T/virsh-hm.xml"
		fi
	else
		echo "skip host-model comparison: domcapabilities reports no supported host-model"
	fi
	# The saved domcapabilities read back as a file give the same answer.
	"$BIN" --map "$MAP" host --host-model --from "$T/domcaps.xml" >"$T/file-hm.xml" 2>"$T/err" &&
		cmp -s "$T/file-hm.xml" "$T/virsh-hm.xml" && ok "domcapabilities file read back" ||
		bad "domcapabilities file read back"
else
	echo "skip host-model comparison: virsh domcapabilities failed: $(cat "$T/err")"
fi
"$BIN" --map "$MAP" host --from "$T/caps.xml" >"$T/file-host.xml" 2>"$T/err" &&
	cmp -s "$T/file-host.xml" "$T/virsh-host.xml" && ok "capabilities file read back" ||
	bad "capabilities file read back"

[ "$fails" -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
