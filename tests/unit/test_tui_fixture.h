/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_tui_fixture.h: a small CPU map and host for the explorer's tests */
#ifndef CPUSCOPE_TEST_TUI_FIXTURE_H
#define CPUSCOPE_TEST_TUI_FIXTURE_H

#include <string.h>

#include "cpuscope/cpudef.h"
#include "cpuscope/cpumap.h"
#include "cpuscope/decode.h"
#include "tui/app.h"

/* Features f (map order = id): fpu sse sse2 pni ssse3 avx avx2 avx512f svm vmx.
 * Models: base(fpu sse sse2) > mid(+pni ssse3, Intel) > top(+avx avx2)
 * > big(+avx512f); amdish = base + svm (AMD). */
enum { F_FPU, F_SSE, F_SSE2, F_PNI, F_SSSE3, F_AVX, F_AVX2, F_AVX512F, F_SVM, F_VMX, F_COUNT };
enum { M_BASE, M_MID, M_TOP, M_BIG, M_AMDISH };
enum { V_INTEL, V_AMD };

static inline struct cs_map *fixture_map(void)
{
	static const char *const names[F_COUNT] = {"fpu", "sse",  "sse2",    "pni", "ssse3",
	                                           "avx", "avx2", "avx512f", "svm", "vmx"};
	struct cs_map *map = cs_map_new(CS_MAP_FORMAT_YAML, "fixture-libvirt-9.0.0.yaml");
	struct cs_arch *a = cs_map_get_arch(map, "x86", true);
	struct cs_vendor *v;
	struct cs_model *m;

	v = cs_arch_add_vendor(a, "Intel", NULL, 0, NULL);
	v->string = strdup("GenuineIntel");
	v = cs_arch_add_vendor(a, "AMD", NULL, 0, NULL);
	v->string = strdup("AuthenticAMD");
	for (unsigned i = 0; i < F_COUNT; i++) {
		struct cs_feature *f = cs_arch_add_feature(a, names[i], NULL, 0, NULL);
		struct cs_item it = {CS_ITEM_CPUID, 1 + i / 4, 0, {0, 0, 0, 0}};
		it.reg[CS_REG_EDX] = 1u << (i % 4);
		cs_feature_add_item(f, &it);
	}
	m = cs_arch_add_model(a, "base", NULL, 0, NULL);
	cs_model_add_feature(m, F_FPU);
	cs_model_add_feature(m, F_SSE);
	cs_model_add_feature(m, F_SSE2);
	m = cs_arch_add_model(a, "mid", NULL, 0, NULL);
	m->parent = M_BASE;
	m->vendor = V_INTEL;
	m->vendor_own = true;
	cs_model_add_feature(m, F_PNI);
	cs_model_add_feature(m, F_SSSE3);
	m = cs_arch_add_model(a, "top", NULL, 0, NULL);
	m->parent = M_MID;
	cs_model_add_feature(m, F_AVX);
	cs_model_add_feature(m, F_AVX2);
	m = cs_arch_add_model(a, "big", NULL, 0, NULL);
	m->parent = M_TOP;
	cs_model_add_feature(m, F_AVX512F);
	m = cs_arch_add_model(a, "amdish", NULL, 0, NULL);
	m->parent = M_BASE;
	m->vendor = V_AMD;
	m->vendor_own = true;
	cs_model_add_feature(m, F_SVM);
	if (cs_map_resolve(map, NULL) < 0) {
		cs_map_free(map);
		return NULL;
	}
	cs_arch_derive_tree(a);
	return map;
}

/* A host side: model + extra features, vendor Intel. */
static inline void fixture_host(const struct cs_map *map, struct app_host *h, const char *source,
                                int model, const unsigned *extra, size_t nextra)
{
	const struct cs_arch *a = cs_map_arch(map, "x86");
	struct cs_decoded dec;

	memset(h, 0, sizeof(*h));
	memset(&dec, 0, sizeof(dec));
	h->present = true;
	strcpy(h->source, source);
	h->vendor = V_INTEL;
	h->model = model;
	h->features = a->models[model].features;
	for (size_t i = 0; i < nextra; i++) {
		cs_fset_set(&h->features, extra[i]);
		cs_fset_set(&h->extra, extra[i]);
	}
	dec.model = model;
	dec.vendor = V_INTEL;
	dec.require = h->extra;
	h->def = cs_cpudef_from_decoded(map, a, &dec);
}

static inline void fixture_absent(struct app_host *h, const char *source, const char *why)
{
	memset(h, 0, sizeof(*h));
	h->vendor = -1;
	h->model = -1;
	strcpy(h->source, source);
	strcpy(h->detail, why);
}

#endif
