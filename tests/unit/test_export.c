/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_export.c: a guest <cpu> in the forms virt-xml, KubeVirt, Proxmox and Nova take */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_map_fixture.h"

#include "cpuscope/export.h"

typedef char *export_fn(const struct cs_cpudef *def, char **notes);

/* The export of xml by fn must be want (NULL: no form) with notes
 * want_notes (NULL: none). */
static void check_export(export_fn *fn, const char *xml, const char *want, const char *want_notes)
{
	struct cs_cpudef *g = parse_cpu(xml, CS_CPUDEF_AS_GUEST);
	char *notes = NULL, *got = fn(g, &notes);

	if (want)
		assert_string_equal(got, want);
	else
		assert_null(got);
	if (want_notes)
		assert_string_equal(notes, want_notes);
	else
		assert_null(notes);
	free(got);
	free(notes);
	cs_cpudef_free(g);
}

static char *proxmox_web(const struct cs_cpudef *def, char **notes)
{
	return cs_export_proxmox(def, "web", notes);
}

static void test_virt_xml(void **state)
{
	(void)state;
	check_export(cs_export_virt_xml, "<cpu><model>Haswell</model></cpu>",
	             "clearxml=yes,model=Haswell", NULL);
	check_export(cs_export_virt_xml,
	             "<cpu mode='custom' match='strict' check='full'>"
	             "<model fallback='forbid' vendor_id='GenuineIntel'>Haswell</model>"
	             "<vendor>Intel</vendor>"
	             "<topology sockets='2' dies='1' cores='4' threads='2'/>"
	             "<feature policy='force' name='x2apic'/><feature name='vmx'/>"
	             "<feature policy='optional' name='abm'/>"
	             "<feature policy='disable' name='rtm'/>"
	             "<feature policy='forbid' name='svm'/></cpu>",
	             "clearxml=yes,model=Haswell,match=strict,check=full,model.fallback=forbid,"
	             "model.vendor_id=GenuineIntel,vendor=Intel,topology.sockets=2,"
	             "topology.dies=1,topology.cores=4,topology.threads=2,force=x2apic,"
	             "require=vmx,optional=abm,disable=rtm,forbid=svm",
	             NULL);
	check_export(cs_export_virt_xml,
	             "<cpu mode='host-model'><feature policy='disable' name='vmx'/></cpu>",
	             "clearxml=yes,mode=host-model,disable=vmx", NULL);
	check_export(cs_export_virt_xml, "<cpu mode='host-passthrough' migratable='off'/>",
	             "clearxml=yes,mode=host-passthrough,migratable=off", NULL);
	check_export(cs_export_virt_xml, "<cpu mode='maximum'/>", "clearxml=yes,mode=maximum",
	             NULL);
	/* what --cpu cannot carry is said */
	check_export(cs_export_virt_xml,
	             "<cpu><model>Haswell</model>"
	             "<topology sockets='1' dies='1' clusters='2' cores='2' threads='1'/></cpu>",
	             "clearxml=yes,model=Haswell,topology.sockets=1,topology.dies=1,"
	             "topology.cores=2,topology.threads=1",
	             "virt-xml 4.1 has no topology.clusters: set clusters='2' in the XML\n");
	check_export(cs_export_virt_xml,
	             "<cpu><model>Haswell</model><numa><cell id='0' cpus='0' memory='1024'/>"
	             "</numa></cpu>",
	             "clearxml=yes,model=Haswell",
	             "clearxml=yes drops the <cpu>'s <numa>; 'cpuscope apply' keeps them\n");
}

static void test_kubevirt(void **state)
{
	(void)state;
	check_export(cs_export_kubevirt,
	             "<cpu match='minimum'><model fallback='forbid'>486</model>"
	             "<vendor>Intel</vendor>"
	             "<topology sockets='2' dies='1' cores='4' threads='2'/>"
	             "<feature name='vmx'/><feature policy='disable' name='sse4.1'/></cpu>",
	             "cpu:\n"
	             "  model: \"486\"\n"
	             "  sockets: 2\n"
	             "  cores: 4\n"
	             "  threads: 2\n"
	             "  features:\n"
	             "    - name: \"vmx\"\n"
	             "      policy: require\n"
	             "    - name: \"sse4.1\"\n"
	             "      policy: disable\n",
	             "KubeVirt has no field for match='minimum'\n"
	             "KubeVirt has no field for fallback='forbid'\n"
	             "KubeVirt has no field for the vendor (Intel)\n");
	check_export(cs_export_kubevirt, "<cpu mode='host-passthrough'/>",
	             "cpu:\n  model: host-passthrough\n", NULL);
	check_export(cs_export_kubevirt, "<cpu mode='maximum'/>",
	             "cpu:\n  model: host-passthrough\n",
	             "KubeVirt has no maximum mode: host-passthrough is the nearest\n");
}

static void test_proxmox(void **state)
{
	(void)state;
	check_export(proxmox_web, "<cpu><model>Haswell</model></cpu>",
	             "# /etc/pve/virtual-guest/cpu-models.conf\n"
	             "cpu-model: web\n"
	             "\treported-model Haswell\n"
	             "\n# the VM: qm set VMID --cpu custom-web\n",
	             NULL);
	/* QEMU's spelling, - for disable and forbid, threads folded into cores */
	check_export(proxmox_web,
	             "<cpu match='minimum'><model>Skylake-Client-IBRS</model>"
	             "<topology sockets='2' cores='4' threads='2'/>"
	             "<feature policy='require' name='vmx'/><feature name='pclmuldq'/>"
	             "<feature policy='force' name='lahf_lm'/>"
	             "<feature policy='disable' name='hle'/><feature policy='forbid' name='rtm'/>"
	             "<feature policy='optional' name='pcid'/>"
	             "<feature policy='require' name='osxsave'/></cpu>",
	             "# /etc/pve/virtual-guest/cpu-models.conf\n"
	             "cpu-model: web\n"
	             "\tflags +vmx;+pclmulqdq;+lahf-lm;-hle;-rtm\n"
	             "\treported-model Skylake-Client-IBRS\n"
	             "\n# the VM: qm set VMID --cpu custom-web --sockets 2 --cores 8\n",
	             "Proxmox has no optional policy: pcid left out\n"
	             "QEMU has no property for osxsave: left out (libvirt drops it too)\n"
	             "forbid is written -FEATURE: Proxmox cannot refuse a host that has it\n"
	             "Proxmox has no threads per core: 4 cores of 2 threads are 8 cores there\n"
	             "Proxmox has no match='minimum': the VM gets the model and flags as given\n");
	/* host and max types, with the flags Proxmox takes on a VM */
	check_export(proxmox_web,
	             "<cpu mode='host-passthrough'><feature name='md-clear'/>"
	             "<feature policy='disable' name='aes'/></cpu>",
	             "# the VM: qm set VMID --cpu 'host,flags=+md-clear;-aes'\n", NULL);
	check_export(proxmox_web,
	             "<cpu mode='maximum'><feature policy='disable' name='svm'/></cpu>",
	             "# the VM: qm set VMID --cpu 'max,flags=-svm'\n",
	             "Proxmox takes only pcid, spec-ctrl, ibpb, ssbd, virt-ssbd, amd-ssbd, "
	             "amd-no-ssb, pdpe1gb, md-clear, hv-tlbflush, hv-evmcs and aes on a VM's "
	             "max CPU: the others need a custom model\n");
	check_export(proxmox_web, "<cpu mode='host-passthrough'/>",
	             "# the VM: qm set VMID --cpu host\n", NULL);
	/* no Proxmox form */
	check_export(proxmox_web, "<cpu mode='host-model'/>", NULL,
	             "Proxmox has no host-model CPU: use the model 'cpuscope host --host-model' "
	             "names, with its features\n");
	check_export(proxmox_web, "<cpu><model>cpu64-rhel6</model></cpu>", NULL,
	             "QEMU has no model cpu64-rhel6, and Proxmox reports only QEMU's: 'cpuscope "
	             "guest' shows the one libvirt runs instead\n");
	check_export(proxmox_web, "<cpu/>", NULL,
	             "the guest names no CPU model: Proxmox's default type is kvm64\n");
	/* what Proxmox has no place for */
	check_export(proxmox_web,
	             "<cpu check='full'><model fallback='forbid' vendor_id='GenuineIntel'>Haswell"
	             "</model><vendor>Intel</vendor></cpu>",
	             "# /etc/pve/virtual-guest/cpu-models.conf\n"
	             "cpu-model: web\n"
	             "\treported-model Haswell\n"
	             "\n# the VM: qm set VMID --cpu custom-web\n",
	             "Proxmox has no check='full'\n"
	             "Proxmox has no fallback='forbid': QEMU runs the model named\n"
	             "Proxmox has no CPU vendor (Intel); its hv-vendor-id is Hyper-V's\n"
	             "Proxmox has no vendor_id ('GenuineIntel')\n");
}

static void test_nova(void **state)
{
	static const char every[] = "nova.conf sets the CPU of every instance on those nodes\n";

	(void)state;
	check_export(cs_export_nova, "<cpu><model>IvyBridge</model><feature name='pcid'/></cpu>",
	             "# nova.conf of the compute nodes\n[libvirt]\ncpu_mode = custom\n"
	             "cpu_models = IvyBridge\ncpu_model_extra_flags = +pcid\n",
	             every);
	/* libvirt's names, - to disable, the topology in the flavor */
	check_export(
	        cs_export_nova,
	        "<cpu match='minimum'><model>Skylake-Client-IBRS</model>"
	        "<topology sockets='2' cores='4' threads='2'/>"
	        "<feature policy='require' name='pclmuldq'/><feature policy='force' name='vmx'/>"
	        "<feature policy='disable' name='hle'/><feature policy='forbid' name='rtm'/>"
	        "<feature policy='optional' name='md-clear'/></cpu>",
	        "# nova.conf of the compute nodes\n[libvirt]\ncpu_mode = custom\n"
	        "cpu_models = Skylake-Client-IBRS\n"
	        "cpu_model_extra_flags = +pclmuldq, +vmx, -hle, -rtm\n"
	        "\n# the flavor: openstack flavor set FLAVOR --property hw:cpu_sockets=2 "
	        "--property hw:cpu_cores=4 --property hw:cpu_threads=2\n",
	        "Nova has no force policy: vmx is required instead\n"
	        "Nova has no optional policy: md-clear left out\n"
	        "-NAME disables a flag; older Nova releases take enabled flags only\n"
	        "forbid is written -NAME: Nova disables the flag, it cannot refuse a host that "
	        "has it\n"
	        "Nova always writes match='exact', not 'minimum'\n"
	        "nova.conf sets the CPU of every instance on those nodes\n");
	check_export(cs_export_nova, "<cpu mode='host-model'/>",
	             "# nova.conf of the compute nodes\n[libvirt]\ncpu_mode = host-model\n", every);
	check_export(cs_export_nova, "<cpu mode='host-passthrough' migratable='on'/>",
	             "# nova.conf of the compute nodes\n[libvirt]\ncpu_mode = host-passthrough\n",
	             "Nova has no migratable attribute\n"
	             "nova.conf sets the CPU of every instance on those nodes\n");
	check_export(cs_export_nova, "<cpu mode='maximum'/>", NULL,
	             "Nova has no maximum CPU mode: host-passthrough is the nearest\n");
	check_export(cs_export_nova, "<cpu/>", NULL,
	             "the guest names no CPU model: Nova's cpu_mode = none leaves the CPU to the "
	             "hypervisor\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_virt_xml),
	        cmocka_unit_test(test_kubevirt),
	        cmocka_unit_test(test_proxmox),
	        cmocka_unit_test(test_nova),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
