/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kvm.c: what KVM can give a guest, from the /dev/kvm system ioctls */
#include "cpuscope/host.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/kvm_sys.h"
#include "cpuscope/xalloc.h"

#if (defined(__x86_64__) || defined(__i386__)) && defined(__has_include)
#if __has_include(<linux/kvm.h>)
#include <linux/kvm.h>
#define HAVE_KVM 1
#endif
#endif
#ifndef HAVE_KVM
#define HAVE_KVM 0
#endif

/* The feature MSRs the libvirt 9.0 map describes. */
static const uint32_t feature_msrs[] = {0x10a, 0xcf};

#define MSR_ARCH_CAPABILITIES 0x10au

#if HAVE_KVM

static int open_kvm(const char *path, struct cs_error *err)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0 && (errno == EACCES || errno == EPERM))
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cs_error_set(err, CS_ERR_SYSTEM, NULL, 0, "cannot open %s: %s", path,
		             strerror(errno));
		return -1;
	}
	return fd;
}

/* An MSR index list (KVM_GET_MSR_INDEX_LIST or the feature list); NULL with
 * *n = 0 when KVM has none or refuses. */
static uint32_t *msr_list(int fd, unsigned long req, size_t *n)
{
	struct kvm_msr_list probe = {0};
	struct kvm_msr_list *list;
	uint32_t *out;

	*n = 0;
	/* The first call fails with E2BIG and tells how many there are. */
	if (ioctl(fd, req, &probe) < 0 && errno != E2BIG)
		return NULL;
	if (!probe.nmsrs)
		return NULL;
	list = cs_xcalloc(1, sizeof(*list) + probe.nmsrs * sizeof(uint32_t));
	list->nmsrs = probe.nmsrs;
	if (ioctl(fd, req, list) < 0) {
		free(list);
		return NULL;
	}
	out = cs_xcalloc(list->nmsrs, sizeof(uint32_t));
	memcpy(out, list->indices, list->nmsrs * sizeof(uint32_t));
	*n = list->nmsrs;
	free(list);
	return out;
}

/* Whether index is in list (NULL, as msr_list() gives when KVM has none,
 * holds nothing whatever n says). */
static bool list_has(const uint32_t *list, size_t n, uint32_t index)
{
	if (!list)
		return false;
	for (size_t i = 0; i < n; i++)
		if (list[i] == index)
			return true;
	return false;
}

static int get_msr(int fd, uint32_t index, uint64_t *value)
{
	/* struct kvm_msrs ends in a flexible array: allocate room for one entry. */
	struct kvm_msrs *msrs = cs_xcalloc(1, sizeof(*msrs) + sizeof(struct kvm_msr_entry));
	int ret = -1;

	msrs->nmsrs = 1;
	msrs->entries[0].index = index;
	if (ioctl(fd, KVM_GET_MSRS, msrs) == 1) {
		*value = msrs->entries[0].data;
		ret = 0;
	}
	free(msrs);
	return ret;
}

int cs_kvm_read_feature_msr(const char *kvm_path, uint32_t index, uint64_t *value,
                            struct cs_error *err)
{
	int fd = open_kvm(kvm_path, err);
	int ret = -1;

	if (fd < 0)
		return -1;
	if (get_msr(fd, index, value) < 0) {
		cs_error_set(err, CS_ERR_SYSTEM, NULL, 0, "KVM does not report MSR 0x%x", index);
		goto out;
	}
	ret = 0;
out:
	close(fd);
	return ret;
}

static struct kvm_cpuid2 *supported_cpuid(int fd, const char *path, struct cs_error *err)
{
	for (unsigned n = 64; n <= 4096; n *= 2) {
		struct kvm_cpuid2 *c =
		        cs_xcalloc(1, sizeof(*c) + n * sizeof(struct kvm_cpuid_entry2));

		c->nent = n;
		if (ioctl(fd, KVM_GET_SUPPORTED_CPUID, c) == 0)
			return c;
		free(c);
		if (errno != E2BIG) {
			cs_error_set(err, CS_ERR_SYSTEM, NULL, 0,
			             "KVM_GET_SUPPORTED_CPUID on %s: %s", path, strerror(errno));
			return NULL;
		}
	}
	cs_error_set(err, CS_ERR_SYSTEM, NULL, 0, "KVM_GET_SUPPORTED_CPUID on %s: too many entries",
	             path);
	return NULL;
}

static void or_bits(struct cs_cpudata *d, uint32_t leaf, uint32_t sub, enum cs_reg reg,
                    uint32_t bits)
{
	struct cs_item it;

	memset(&it, 0, sizeof(it));
	it.kind = CS_ITEM_CPUID;
	it.leaf = leaf;
	it.subleaf = sub;
	it.reg[reg] = bits;
	cs_cpudata_add(d, &it);
}

static void clear_bits(struct cs_cpudata *d, uint32_t leaf, uint32_t sub, enum cs_reg reg,
                       uint32_t bits)
{
	struct cs_item *it = (struct cs_item *)cs_cpudata_find(d, CS_ITEM_CPUID, leaf, sub);

	if (it)
		it->reg[reg] &= ~bits;
}

int cs_kvm_probe(const char *kvm_path, struct cs_cpudata *out, struct cs_error *err)
{
	const char *path = kvm_path ? kvm_path : "/dev/kvm";
	struct kvm_cpuid2 *cpuid = NULL;
	uint32_t *emulated = NULL, *features = NULL;
	size_t nemulated = 0, nfeatures = 0;
	int fd, ret = -1;

	cs_cpudata_release(out);
	fd = open_kvm(path, err);
	if (fd < 0)
		return -1;
	if (ioctl(fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		cs_error_set(err, CS_ERR_SYSTEM, NULL, 0,
		             "%s is not a KVM device of API version %d", path, KVM_API_VERSION);
		goto out;
	}
	cpuid = supported_cpuid(fd, path, err);
	if (!cpuid)
		goto out;
	for (unsigned i = 0; i < cpuid->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &cpuid->entries[i];
		struct cs_item it;

		memset(&it, 0, sizeof(it));
		it.kind = CS_ITEM_CPUID;
		it.leaf = e->function;
		it.subleaf = (e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) ? e->index : 0;
		it.reg[CS_REG_EAX] = e->eax;
		it.reg[CS_REG_EBX] = e->ebx;
		it.reg[CS_REG_ECX] = e->ecx;
		it.reg[CS_REG_EDX] = e->edx;
		if (it.reg[0] | it.reg[1] | it.reg[2] | it.reg[3])
			cs_cpudata_add(out, &it);
	}

	/* QEMU's "host" CPU model adjusts what KVM reports before libvirt sees
	 * it: a guest always sees the hypervisor bit and an always-running APIC
	 * timer; with the in-kernel irqchip QEMU uses by default, x2apic and the
	 * TSC deadline timer are emulated. */
	or_bits(out, 1, 0, CS_REG_ECX, 1u << 31);
	if (ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_TSC_DEADLINE_TIMER) > 0)
		or_bits(out, 1, 0, CS_REG_ECX, 1u << 24);
	or_bits(out, 6, 0, CS_REG_EAX, 1u << 2);
	/* QEMU never turns topoext on by itself for its "host" model (it is in
	 * the feature word's no-autoenable mask), whatever KVM offers. */
	clear_bits(out, 0x80000001u, 0, CS_REG_ECX, 1u << 22);

	emulated = msr_list(fd, KVM_GET_MSR_INDEX_LIST, &nemulated);
	/* Old kernels claimed arch-capabilities without the MSR behind it. */
	if (!list_has(emulated, nemulated, MSR_ARCH_CAPABILITIES))
		clear_bits(out, 7, 0, CS_REG_EDX, 1u << 29);

	if (ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_GET_MSR_FEATURES) > 0)
		features = msr_list(fd, KVM_GET_MSR_FEATURE_INDEX_LIST, &nfeatures);
	for (size_t i = 0; i < sizeof(feature_msrs) / sizeof(feature_msrs[0]); i++) {
		uint64_t v;
		struct cs_item it;

		if (!list_has(features, nfeatures, feature_msrs[i]) ||
		    get_msr(fd, feature_msrs[i], &v) < 0 || !v)
			continue;
		memset(&it, 0, sizeof(it));
		it.kind = CS_ITEM_MSR;
		it.leaf = feature_msrs[i];
		it.reg[CS_REG_EAX] = (uint32_t)v;
		it.reg[CS_REG_EDX] = (uint32_t)(v >> 32);
		cs_cpudata_add(out, &it);
	}
	ret = 0;
out:
	if (ret < 0)
		cs_cpudata_release(out);
	free(cpuid);
	free(emulated);
	free(features);
	close(fd);
	return ret;
}

#else /* !HAVE_KVM */

int cs_kvm_read_feature_msr(const char *kvm_path, uint32_t index, uint64_t *value,
                            struct cs_error *err)
{
	(void)kvm_path;
	(void)index;
	(void)value;
	cs_error_set(err, CS_ERR_SYSTEM, NULL, 0, "KVM feature MSRs are only read on x86");
	return -1;
}

int cs_kvm_probe(const char *kvm_path, struct cs_cpudata *out, struct cs_error *err)
{
	(void)kvm_path;
	(void)feature_msrs;
	cs_cpudata_release(out);
	cs_error_set(err, CS_ERR_SYSTEM, NULL, 0,
	             "the kvm source needs an x86 machine with KVM; this build has none");
	return -1;
}

#endif
