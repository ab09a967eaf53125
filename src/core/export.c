/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* export.c: a guest <cpu> as virt-xml's --cpu argument and as KubeVirt's spec.domain.cpu */
#include "cpuscope/export.h"

#include <stdlib.h>
#include <string.h>

#include "cpuscope/escape.h"
#include "cpuscope/guest.h"
#include "cpuscope/host.h"
#include "strbuf.h"

/* Hand the notes over, NULL when there are none. */
static void take_notes(struct cs_buf *n, char **notes)
{
	char *s = cs_buf_detach(n);

	if (notes && *s) {
		*notes = s;
		return;
	}
	if (notes)
		*notes = NULL;
	free(s);
}

/* A note naming the children cpuscope keeps verbatim (numa, cache, ...),
 * which the exported form does not carry. */
static void raw_notes(const struct cs_cpudef *def, const char *what, struct cs_buf *n)
{
	if (!def->nraw)
		return;
	cs_buf_addf(n, "%s the <cpu>'s", what);
	for (size_t i = 0; i < def->nraw; i++)
		cs_buf_addf(n, "%s <%s>", i ? "," : "", def->raw[i].name);
	cs_buf_add(n, "; 'cpuscope apply' keeps them\n");
}

/* Every name the export writes must be one QEMU takes (escape.h): a name
 * that is not would end the option or the line it stands in, so the
 * export is refused with the reason in n.  vendor_id must also fit in a
 * comma-separated option list when optlist is set. */
static bool names_ok(const struct cs_cpudef *def, bool optlist, struct cs_buf *n)
{
	const char *model = cs_cpudef_model_name(def);
	const char *bad = NULL;

	if (model && !cs_qemu_name_ok(model))
		bad = model;
	else if (def->vendor && !cs_qemu_name_ok(def->vendor))
		bad = def->vendor;
	for (size_t i = 0; !bad && i < def->nfeatures; i++)
		if (!cs_qemu_name_ok(cs_cpudef_feature_name(def, i)))
			bad = cs_cpudef_feature_name(def, i);
	if (bad) {
		char *shown = cs_term_text(bad);

		cs_buf_addf(n,
		            "the name '%.80s' has characters QEMU does not take in a name "
		            "(letters, digits, '-', '.', '_', '+'): refused\n",
		            shown);
		free(shown);
		return false;
	}
	if (optlist && def->vendor_id && !cs_optlist_value_ok(def->vendor_id)) {
		cs_buf_add(n, "the vendor_id has a ',', '=' or a character that is not "
		              "printable ASCII, which an option list cannot carry: refused\n");
		return false;
	}
	return true;
}

char *cs_export_virt_xml(const struct cs_cpudef *def, char **notes)
{
	struct cs_buf b = {0}, n = {0};
	const char *model = cs_cpudef_model_name(def);

	if (!names_ok(def, true, &n)) {
		take_notes(&n, notes);
		return NULL;
	}

	cs_buf_add(&b, "clearxml=yes");
	if (def->mode != CS_CPU_MODE_CUSTOM || !model)
		cs_buf_addf(&b, ",mode=%s", cs_cpu_mode_name(def->mode));
	if (model)
		cs_buf_addf(&b, ",model=%s", model);
	if (def->mode == CS_CPU_MODE_CUSTOM && def->match != CS_CPU_MATCH_EXACT)
		cs_buf_addf(&b, ",match=%s", cs_cpu_match_name(def->match));
	if (def->check != CS_CPU_CHECK_DEFAULT)
		cs_buf_addf(&b, ",check=%s", cs_cpu_check_name(def->check));
	if (model && def->fallback == CS_CPU_FALLBACK_FORBID)
		cs_buf_add(&b, ",model.fallback=forbid");
	if (def->vendor_id)
		cs_buf_addf(&b, ",model.vendor_id=%s", def->vendor_id);
	if (def->vendor)
		cs_buf_addf(&b, ",vendor=%s", def->vendor);
	if (def->migratable != CS_TRISTATE_DEFAULT)
		cs_buf_addf(&b, ",migratable=%s", def->migratable == CS_TRISTATE_ON ? "on" : "off");
	if (def->has_topology) {
		cs_buf_addf(&b, ",topology.sockets=%u", def->sockets);
		if (def->dies)
			cs_buf_addf(&b, ",topology.dies=%u", def->dies);
		cs_buf_addf(&b, ",topology.cores=%u,topology.threads=%u", def->cores, def->threads);
		if (def->clusters)
			cs_buf_addf(&n,
			            "virt-xml 4.1 has no topology.clusters: set clusters='%u' in "
			            "the XML\n",
			            def->clusters);
	}
	for (size_t i = 0; i < def->nfeatures; i++) {
		enum cs_policy p = def->features[i].policy;
		cs_buf_addf(&b, ",%s=%s", p == CS_POLICY_NONE ? "require" : cs_policy_name(p),
		            cs_cpudef_feature_name(def, i));
	}
	raw_notes(def, "clearxml=yes drops", &n);
	take_notes(&n, notes);
	return cs_buf_detach(&b);
}

char *cs_export_kubevirt(const struct cs_cpudef *def, char **notes)
{
	struct cs_buf b = {0}, n = {0};
	const char *model = cs_cpudef_model_name(def);

	if (!names_ok(def, false, &n)) {
		take_notes(&n, notes);
		return NULL;
	}

	cs_buf_add(&b, "cpu:\n");
	switch (def->mode) {
	case CS_CPU_MODE_CUSTOM:
		if (model)
			cs_buf_addf(&b, "  model: \"%s\"\n", model);
		break;
	case CS_CPU_MODE_HOST_MODEL:
		cs_buf_add(&b, "  model: host-model\n");
		break;
	case CS_CPU_MODE_HOST_PASSTHROUGH:
		cs_buf_add(&b, "  model: host-passthrough\n");
		break;
	case CS_CPU_MODE_MAXIMUM:
		cs_buf_add(&b, "  model: host-passthrough\n");
		cs_buf_add(&n, "KubeVirt has no maximum mode: host-passthrough is the nearest\n");
		break;
	}
	if (def->has_topology)
		cs_buf_addf(&b, "  sockets: %u\n  cores: %u\n  threads: %u\n", def->sockets,
		            def->cores, def->threads);
	if (def->nfeatures) {
		cs_buf_add(&b, "  features:\n");
		for (size_t i = 0; i < def->nfeatures; i++) {
			enum cs_policy p = def->features[i].policy;
			cs_buf_addf(&b, "    - name: \"%s\"\n      policy: %s\n",
			            cs_cpudef_feature_name(def, i),
			            p == CS_POLICY_NONE ? "require" : cs_policy_name(p));
		}
	}
	if (def->mode == CS_CPU_MODE_CUSTOM && def->match != CS_CPU_MATCH_EXACT)
		cs_buf_addf(&n, "KubeVirt has no field for match='%s'\n",
		            cs_cpu_match_name(def->match));
	if (def->check != CS_CPU_CHECK_DEFAULT)
		cs_buf_addf(&n, "KubeVirt has no field for check='%s'\n",
		            cs_cpu_check_name(def->check));
	if (model && def->fallback == CS_CPU_FALLBACK_FORBID)
		cs_buf_add(&n, "KubeVirt has no field for fallback='forbid'\n");
	if (def->vendor)
		cs_buf_addf(&n, "KubeVirt has no field for the vendor (%s)\n", def->vendor);
	if (def->vendor_id)
		cs_buf_addf(&n, "KubeVirt has no field for vendor_id='%s'\n", def->vendor_id);
	if (def->has_topology && (def->dies > 1 || def->clusters > 1))
		cs_buf_add(&n, "KubeVirt has no field for dies or clusters\n");
	raw_notes(def, "KubeVirt has no field for", &n);
	take_notes(&n, notes);
	return cs_buf_detach(&b);
}

/* The flags Proxmox takes on a VM's own cpu line (not only in a custom
 * model), in QEMU's spelling. */
static bool proxmox_vm_flag(const char *qemu_name)
{
	static const char *const ok[] = {
	        "pcid",       "spec-ctrl", "ibpb",     "ssbd",        "virt-ssbd", "amd-ssbd",
	        "amd-no-ssb", "pdpe1gb",   "md-clear", "hv-tlbflush", "hv-evmcs",  "aes",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(qemu_name, ok[i]))
			return true;
	return false;
}

/* "+a;-b" for the features of def; *all_vm tells whether Proxmox takes
 * every one of them on a VM's own cpu line. */
static void proxmox_flags(const struct cs_cpudef *def, struct cs_buf *f, struct cs_buf *n,
                          bool *all_vm)
{
	bool forbid = false;

	*all_vm = true;
	for (size_t i = 0; i < def->nfeatures; i++) {
		const char *lv = cs_cpudef_feature_name(def, i), *q = cs_qemu_feature_name(lv);
		enum cs_policy p = def->features[i].policy;

		if (!cs_qemu_knows_feature(lv)) {
			cs_buf_addf(
			        n, "QEMU has no property for %s: left out (libvirt drops it too)\n",
			        lv);
			continue;
		}
		if (p == CS_POLICY_OPTIONAL) {
			cs_buf_addf(n, "Proxmox has no optional policy: %s left out\n", lv);
			continue;
		}
		forbid |= p == CS_POLICY_FORBID;
		cs_buf_addf(f, "%s%c%s", f->len ? ";" : "",
		            p == CS_POLICY_DISABLE || p == CS_POLICY_FORBID ? '-' : '+', q);
		*all_vm &= proxmox_vm_flag(q);
	}
	if (forbid)
		cs_buf_add(
		        n,
		        "forbid is written -FEATURE: Proxmox cannot refuse a host that has it\n");
}

char *cs_export_proxmox(const struct cs_cpudef *def, const char *name, char **notes)
{
	struct cs_buf b = {0}, n = {0}, f = {0}, topo = {0};
	const char *model = cs_cpudef_model_name(def);
	unsigned long long cores =
	        (unsigned long long)def->cores * (def->threads ? def->threads : 1);
	bool all_vm;

	if (!names_ok(def, false, &n))
		goto none;
	if (!cs_qemu_name_ok(name)) {
		cs_buf_add(&n, "the custom model's name has characters Proxmox does not take\n");
		goto none;
	}

	if (def->mode == CS_CPU_MODE_HOST_MODEL) {
		cs_buf_add(&n, "Proxmox has no host-model CPU: use the model 'cpuscope host "
		               "--host-model' names, with its features\n");
		goto none;
	}
	if (def->mode == CS_CPU_MODE_CUSTOM && !model) {
		cs_buf_add(&n, "the guest names no CPU model: Proxmox's default type is kvm64\n");
		goto none;
	}
	if (def->mode == CS_CPU_MODE_CUSTOM && !cs_model_known_to_qemu(model)) {
		cs_buf_addf(&n,
		            "QEMU has no model %s, and Proxmox reports only QEMU's: 'cpuscope "
		            "guest' shows the one libvirt runs instead\n",
		            model);
		goto none;
	}
	proxmox_flags(def, &f, &n, &all_vm);
	if (def->has_topology) {
		/* Proxmox has no threads: a VM has sockets x cores vCPUs. */
		cs_buf_addf(&topo, " --sockets %u --cores %llu", def->sockets, cores);
		if (def->threads > 1)
			cs_buf_addf(
			        &n,
			        "Proxmox has no threads per core: %u cores of %u threads are %llu "
			        "cores there\n",
			        def->cores, def->threads, cores);
		if (def->dies > 1 || def->clusters > 1)
			cs_buf_add(&n, "Proxmox has no dies or clusters\n");
	}
	if (def->mode == CS_CPU_MODE_CUSTOM) {
		cs_buf_add(&b, "# /etc/pve/virtual-guest/cpu-models.conf\n");
		cs_buf_addf(&b, "cpu-model: %s\n", name);
		if (f.len)
			cs_buf_addf(&b, "\tflags %s\n", f.s);
		cs_buf_addf(&b, "\treported-model %s\n", model);
		cs_buf_addf(&b, "\n# the VM: qm set VMID --cpu custom-%s%s\n", name,
		            topo.len ? topo.s : "");
		if (def->match != CS_CPU_MATCH_EXACT)
			cs_buf_addf(&n,
			            "Proxmox has no match='%s': the VM gets the model and flags as "
			            "given\n",
			            cs_cpu_match_name(def->match));
	} else {
		const char *type = def->mode == CS_CPU_MODE_MAXIMUM ? "max" : "host";

		if (f.len && !all_vm)
			cs_buf_addf(
			        &n,
			        "Proxmox takes only pcid, spec-ctrl, ibpb, ssbd, virt-ssbd, "
			        "amd-ssbd, "
			        "amd-no-ssb, pdpe1gb, md-clear, hv-tlbflush, hv-evmcs and aes on a "
			        "VM's %s CPU: the others need a custom model\n",
			        type);
		if (f.len)
			cs_buf_addf(&b, "# the VM: qm set VMID --cpu '%s,flags=%s'%s\n", type, f.s,
			            topo.len ? topo.s : "");
		else
			cs_buf_addf(&b, "# the VM: qm set VMID --cpu %s%s\n", type,
			            topo.len ? topo.s : "");
		if (def->migratable == CS_TRISTATE_OFF)
			cs_buf_add(&n, "Proxmox has no migratable='off'\n");
	}
	if (def->check != CS_CPU_CHECK_DEFAULT)
		cs_buf_addf(&n, "Proxmox has no check='%s'\n", cs_cpu_check_name(def->check));
	if (model && def->mode == CS_CPU_MODE_CUSTOM && def->fallback == CS_CPU_FALLBACK_FORBID)
		cs_buf_add(&n, "Proxmox has no fallback='forbid': QEMU runs the model named\n");
	if (def->vendor)
		cs_buf_addf(&n, "Proxmox has no CPU vendor (%s); its hv-vendor-id is Hyper-V's\n",
		            def->vendor);
	if (def->vendor_id)
		cs_buf_addf(&n, "Proxmox has no vendor_id ('%s')\n", def->vendor_id);
	raw_notes(def, "Proxmox has no form for", &n);
	free(cs_buf_detach(&f));
	free(cs_buf_detach(&topo));
	take_notes(&n, notes);
	return cs_buf_detach(&b);
none:
	take_notes(&n, notes);
	return NULL;
}

char *cs_export_nova(const struct cs_cpudef *def, char **notes)
{
	struct cs_buf b = {0}, n = {0};
	const char *model = cs_cpudef_model_name(def);
	bool disable = false, forbid = false, first = true;

	if (!names_ok(def, false, &n) || (model && !cs_ini_value_ok(model)))
		goto none;

	if (def->mode == CS_CPU_MODE_MAXIMUM) {
		cs_buf_add(&n, "Nova has no maximum CPU mode: host-passthrough is the nearest\n");
		goto none;
	}
	if (def->mode == CS_CPU_MODE_CUSTOM && !model) {
		cs_buf_add(&n,
		           "the guest names no CPU model: Nova's cpu_mode = none leaves the CPU "
		           "to the hypervisor\n");
		goto none;
	}
	cs_buf_add(&b, "# nova.conf of the compute nodes\n[libvirt]\n");
	cs_buf_addf(&b, "cpu_mode = %s\n",
	            def->mode == CS_CPU_MODE_CUSTOM ? "custom" : cs_cpu_mode_name(def->mode));
	if (def->mode == CS_CPU_MODE_CUSTOM)
		cs_buf_addf(&b, "cpu_models = %s\n", model);
	for (size_t i = 0; i < def->nfeatures; i++) {
		const char *name = cs_cpudef_feature_name(def, i);
		char sign;

		switch (def->features[i].policy) {
		case CS_POLICY_OPTIONAL:
			cs_buf_addf(&n, "Nova has no optional policy: %s left out\n", name);
			continue;
		case CS_POLICY_DISABLE:
			sign = '-';
			disable = true;
			break;
		case CS_POLICY_FORBID:
			sign = '-';
			disable = forbid = true;
			break;
		case CS_POLICY_FORCE:
			cs_buf_addf(&n, "Nova has no force policy: %s is required instead\n", name);
			sign = '+';
			break;
		default:
			sign = '+';
			break;
		}
		cs_buf_addf(&b, "%s%c%s", first ? "cpu_model_extra_flags = " : ", ", sign, name);
		first = false;
	}
	if (!first)
		cs_buf_add(&b, "\n");
	if (def->has_topology) {
		cs_buf_addf(
		        &b,
		        "\n# the flavor: openstack flavor set FLAVOR --property hw:cpu_sockets=%u "
		        "--property hw:cpu_cores=%u --property hw:cpu_threads=%u\n",
		        def->sockets, def->cores, def->threads);
		if (def->dies > 1 || def->clusters > 1)
			cs_buf_add(&n, "Nova has no dies or clusters\n");
	}
	if (disable)
		cs_buf_add(&n,
		           "-NAME disables a flag; older Nova releases take enabled flags only\n");
	if (forbid)
		cs_buf_add(&n,
		           "forbid is written -NAME: Nova disables the flag, it cannot refuse a "
		           "host that has it\n");
	if (def->mode == CS_CPU_MODE_CUSTOM && def->match != CS_CPU_MATCH_EXACT)
		cs_buf_addf(&n, "Nova always writes match='exact', not '%s'\n",
		            cs_cpu_match_name(def->match));
	if (def->check != CS_CPU_CHECK_DEFAULT)
		cs_buf_addf(&n, "Nova has no check='%s'\n", cs_cpu_check_name(def->check));
	if (def->vendor)
		cs_buf_addf(&n, "Nova has no CPU vendor (%s)\n", def->vendor);
	if (def->vendor_id)
		cs_buf_addf(&n, "Nova has no vendor_id ('%s')\n", def->vendor_id);
	if (def->migratable != CS_TRISTATE_DEFAULT)
		cs_buf_add(&n, "Nova has no migratable attribute\n");
	raw_notes(def, "Nova has no form for", &n);
	cs_buf_add(&n, "nova.conf sets the CPU of every instance on those nodes\n");
	take_notes(&n, notes);
	return cs_buf_detach(&b);
none:
	take_notes(&n, notes);
	return NULL;
}
