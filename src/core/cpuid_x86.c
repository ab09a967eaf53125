/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpuid_x86.c: CPUID sources (the instruction, a replayed dump), libvirt's enumeration, host MSRs
 */
#include "cpuscope/host.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define HAVE_CPUID 1
#else
#define HAVE_CPUID 0
#endif

#include "core/kvm_sys.h"

/* ---- the CPUID instruction ----------------------------------------------- */

#if HAVE_CPUID
static int native_leaf(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4],
                       struct cs_error *err)
{
	unsigned a, b, c, d;

	(void)ctx;
	(void)err;
	__cpuid_count(leaf, sub, a, b, c, d);
	out[CS_REG_EAX] = a;
	out[CS_REG_EBX] = b;
	out[CS_REG_ECX] = c;
	out[CS_REG_EDX] = d;
	return 0;
}
#endif

bool cs_cpuid_native_available(void)
{
	return HAVE_CPUID;
}

int cs_cpuid_source_native(struct cs_cpuid_source *src, struct cs_error *err)
{
#if HAVE_CPUID
	(void)err;
	src->leaf = native_leaf;
	src->ctx = NULL;
	return 0;
#else
	src->leaf = NULL;
	src->ctx = NULL;
	cs_error_set(err, CS_ERR_SYSTEM, NULL, 0,
	             "the CPUID instruction is not available: this machine is not x86");
	return -1;
#endif
}

/* ---- replaying saved data ------------------------------------------------- */

static int replay_leaf(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4],
                       struct cs_error *err)
{
	const struct cs_cpuid_replay *r = ctx;
	const struct cs_item *it = cs_cpudata_find(r->data, CS_ITEM_CPUID, leaf, sub);

	if (!it) {
		if (r->strict) {
			cs_error_set(err, CS_ERR_INVALID, NULL, 0, "CPUID leaf 0x%x.%u not in data",
			             leaf, sub);
			return -1;
		}
		memset(out, 0, 4 * sizeof(out[0]));
		return 0;
	}
	memcpy(out, it->reg, 4 * sizeof(out[0]));
	return 0;
}

void cs_cpuid_source_replay(struct cs_cpuid_source *src, struct cs_cpuid_replay *replay)
{
	src->leaf = replay_leaf;
	src->ctx = replay;
}

/* ---- enumeration ---------------------------------------------------------- */

/* Leaves beyond this many above a range's base are not believed: a garbage
 * maximum must not make the probe spin for minutes. */
#define MAX_LEAVES    0x100u
#define MAX_SUBLEAVES 0x100u

struct walk {
	const struct cs_cpuid_source *src;
	struct cs_cpudata *out;
	struct cs_error *err;
};

static int call(struct walk *w, uint32_t leaf, uint32_t sub, uint32_t r[4], bool keep)
{
	struct cs_item it;

	if (w->src->leaf(w->src->ctx, leaf, sub, r, w->err) < 0) {
		cs_error_set(w->err, CS_ERR_SYSTEM, NULL, 0, "cannot read CPUID leaf 0x%x.%u", leaf,
		             sub);
		return -1;
	}
	if (!keep || !(r[0] | r[1] | r[2] | r[3]))
		return 0;
	memset(&it, 0, sizeof(it));
	it.kind = CS_ITEM_CPUID;
	it.leaf = leaf;
	it.subleaf = sub;
	memcpy(it.reg, r, sizeof(it.reg));
	cs_cpudata_add(w->out, &it);
	return 0;
}

static int walk_leaf(struct walk *w, uint32_t leaf)
{
	uint32_t r0[4], r[4], r1[4];
	bool sgx;

	if (leaf == 0x12) {
		/* The SGX leaf only means something when leaf 7 says SGX is there. */
		const struct cs_item *l7 = cs_cpudata_find(w->out, CS_ITEM_CPUID, 7, 0);

		sgx = l7 && (l7->reg[CS_REG_EBX] & (1u << 2));
		if (!sgx)
			return 0;
	}
	if (call(w, leaf, 0, r0, true) < 0)
		return -1;

	switch (leaf) {
	case 0x4:
		memcpy(r, r0, sizeof(r));
		for (uint32_t sub = 1; (r[CS_REG_EAX] & 0x1f) && sub < MAX_SUBLEAVES; sub++)
			if (call(w, leaf, sub, r, true) < 0)
				return -1;
		break;
	case 0x7:
	case 0x14:
		for (uint32_t sub = 1; sub <= r0[CS_REG_EAX] && sub < MAX_SUBLEAVES; sub++)
			if (call(w, leaf, sub, r, true) < 0)
				return -1;
		break;
	case 0xb:
		memcpy(r, r0, sizeof(r));
		for (uint32_t sub = 1; (r[CS_REG_ECX] & 0xff00) && sub < MAX_SUBLEAVES; sub++)
			if (call(w, leaf, sub, r, true) < 0)
				return -1;
		break;
	case 0xd:
		if (call(w, leaf, 1, r1, true) < 0)
			return -1;
		for (uint32_t n = 2; n < 64; n++) {
			uint32_t mask = n < 32 ? (r0[CS_REG_EAX] | r1[CS_REG_ECX]) >> n
			                       : (r0[CS_REG_EDX] | r1[CS_REG_EDX]) >> (n - 32);

			if ((mask & 1) && call(w, leaf, n, r, true) < 0)
				return -1;
		}
		break;
	case 0xf:
	case 0x10: {
		uint32_t mask = leaf == 0xf ? r0[CS_REG_EDX] : r0[CS_REG_EBX];

		for (uint32_t n = 1; n < 32; n++)
			if (((mask >> n) & 1) && call(w, leaf, n, r, true) < 0)
				return -1;
		break;
	}
	case 0x12:
		if (call(w, leaf, 1, r, true) < 0)
			return -1;
		for (uint32_t sub = 2; sub < MAX_SUBLEAVES; sub++) {
			if (call(w, leaf, sub, r, true) < 0)
				return -1;
			if (!(r[CS_REG_EAX] & 0xf))
				break;
		}
		break;
	case 0x17:
		if (r0[CS_REG_EAX] < 3)
			break;
		for (uint32_t sub = 1; sub <= r0[CS_REG_EAX] && sub < MAX_SUBLEAVES; sub++)
			if (call(w, leaf, sub, r, true) < 0)
				return -1;
		break;
	default:
		break;
	}
	return 0;
}

int cs_cpuid_enumerate(const struct cs_cpuid_source *src, struct cs_cpudata *out,
                       struct cs_error *err)
{
	static const uint32_t bases[] = {0, 0x80000000u};
	struct walk w = {src, out, err};

	cs_cpudata_release(out);
	if (!src || !src->leaf) {
		cs_error_set(err, CS_ERR_SYSTEM, NULL, 0, "no CPUID source");
		return -1;
	}
	for (size_t b = 0; b < 2; b++) {
		uint32_t r[4], max;

		if (call(&w, bases[b], 0, r, false) < 0)
			goto fail;
		max = r[CS_REG_EAX];
		if (max < bases[b])
			continue;
		if (max - bases[b] >= MAX_LEAVES)
			max = bases[b] + MAX_LEAVES - 1;
		for (uint32_t leaf = bases[b]; leaf <= max; leaf++)
			if (walk_leaf(&w, leaf) < 0)
				goto fail;
	}
	if (!out->nitems) {
		cs_error_set(err, CS_ERR_SYSTEM, NULL, 0, "CPUID returned no data");
		goto fail;
	}
	return 0;
fail:
	cs_cpudata_release(out);
	return -1;
}

/* ---- host MSRs ------------------------------------------------------------ */

static int msr_dev_read(const char *path, uint32_t index, uint64_t *value, struct cs_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	uint64_t v;
	ssize_t n;

	if (fd < 0) {
		cs_error_set(err, CS_ERR_SYSTEM, NULL, 0, "cannot open %s: %s", path,
		             strerror(errno));
		return -1;
	}
	n = pread(fd, &v, sizeof(v), (off_t)index);
	close(fd);
	if (n != (ssize_t)sizeof(v)) {
		cs_error_set(err, CS_ERR_SYSTEM, NULL, 0, "cannot read MSR 0x%x from %s: %s", index,
		             path, n < 0 ? strerror(errno) : "short read");
		return -1;
	}
	*value = v;
	return 0;
}

static int host_msr_read(void *ctx, uint32_t index, uint64_t *value, struct cs_error *err)
{
	const struct cs_msr_host *h = ctx;
	const char *kvm = h && h->kvm_path ? h->kvm_path : "/dev/kvm";
	const char *dev = h && h->msr_path ? h->msr_path : "/dev/cpu/0/msr";
	struct cs_error kerr = {0};

	/* KVM answers for feature MSRs without the msr driver or raw access. */
	if (cs_kvm_read_feature_msr(kvm, index, value, &kerr) == 0)
		return 0;
	return msr_dev_read(dev, index, value, err);
}

void cs_msr_source_host(struct cs_msr_source *src, struct cs_msr_host *ctx)
{
	src->read = host_msr_read;
	src->ctx = ctx;
}
