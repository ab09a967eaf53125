/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gen_cpus.c: generate realistic host pools and guest CPUs for the differential tests
 *
 * usage: gen_cpus pools MAP SEED COUNT OUTDIR
 *        gen_cpus guests MAP SEED COUNT OUTDIR HOSTCPU.xml
 *        gen_cpus domains MAP SEED COUNT OUTDIR HOSTCPU.xml
 *        gen_cpus starts MAP SEED COUNT OUTDIR HOSTCPU.xml kvm|qemu
 *
 * pools:   OUTDIR/pool-NNNN.xml, each one to eight host <cpu> elements (or a
 *          capabilities document) built from map models with features dropped
 *          and added, expressed the way libvirt would accept them.
 * guests:  OUTDIR/guest-NNNN.xml, guest <cpu> elements over every model,
 *          mode, match and policy, many close to the host CPU given.
 * domains: OUTDIR/domain-NNNN.xml, minimal KVM domains whose <cpu
 *          check='none'> is such a guest; a quarter of them name a model
 *          QEMU 7.2 lacks, which libvirt translates at start-up.
 * starts:  OUTDIR/domain-NNNN.xml, minimal domains of the given type to
 *          really start: every mode and check (and none), topologies that
 *          match <vcpu> and some that do not, features QEMU has no
 *          property for, models QEMU lacks with either fallback. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/cpudef.h"
#include "cpuscope/cpumap.h"
#include "cpuscope/host.h"

static uint64_t rng_state;

static uint32_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return (uint32_t)(x >> 16);
}

static unsigned below(unsigned n)
{
	return n ? rnd() % n : 0;
}

static int chance(unsigned percent)
{
	return below(100) < percent;
}

static const struct cs_arch *A;

static const char *vendor_name(int v)
{
	return v >= 0 ? A->vendors[v].name : NULL;
}

/* A random model of vendor v (-2: any vendor). */
static int pick_model(int v)
{
	int ids[1024];
	unsigned n = 0;

	for (size_t i = 0; i < A->nmodels && n < 1024; i++)
		if (v == -2 || A->models[i].vendor == v)
			ids[n++] = (int)i;
	return n ? ids[below(n)] : (int)below((unsigned)A->nmodels);
}

static int random_feature(void)
{
	return (int)below((unsigned)A->nfeatures);
}

/* Features of a model of the same vendor that m lacks: what newer parts add. */
static int feature_from_bigger(int m)
{
	for (int tries = 0; tries < 20; tries++) {
		int o = pick_model(A->models[m].vendor >= 0 ? A->models[m].vendor : -2);
		struct cs_fset d;
		unsigned n;
		int id, k;

		cs_fset_diff(&d, &A->models[o].features, &A->models[m].features);
		n = cs_fset_count(&d);
		if (!n)
			continue;
		k = (int)below(n);
		cs_fset_foreach (id, &d)
			if (k-- == 0)
				return id;
	}
	return random_feature();
}

static int nth_member(const struct cs_fset *s, unsigned k)
{
	int id;

	cs_fset_foreach (id, s)
		if (k-- == 0)
			return id;
	return -1;
}

/* A host feature set around model m: some model features dropped, some added. */
static void vary(int m, struct cs_fset *s)
{
	static const char *const extras[] = {"vmx",       "svm",        "hypervisor", "invtsc",
	                                     "xsaves",    "osxsave",    "ospke",      "cmt",
	                                     "mbm_total", "tsc_adjust", "arat",       "pdpe1gb",
	                                     "x2apic",    "ht",         "ss",         "vme"};
	unsigned drops = chance(50) ? below(4) : 0, adds = below(7);

	*s = A->models[m].features;
	for (unsigned i = 0; i < drops; i++) {
		unsigned n = cs_fset_count(s);
		int id = n ? nth_member(s, below(n)) : -1;

		if (id >= 0)
			cs_fset_clear(s, (unsigned)id);
	}
	for (unsigned i = 0; i < adds; i++) {
		int id;

		if (chance(50))
			id = feature_from_bigger(m);
		else if (chance(70))
			id = cs_arch_find_feature(A,
			                          extras[below(sizeof(extras) / sizeof(*extras))]);
		else
			id = random_feature();
		if (id >= 0)
			cs_fset_set(s, (unsigned)id);
	}
}

/* A model to write a host with features s and vendor v as: every model
 * feature present, vendor compatible; usually the biggest. */
static int express(const struct cs_fset *s, int v, int fallback)
{
	int best = -1, cand[1024];
	unsigned n = 0, best_n = 0;

	for (size_t i = 0; i < A->nmodels; i++) {
		const struct cs_model *m = &A->models[i];

		if (m->vendor >= 0 && v >= 0 && m->vendor != v)
			continue;
		if (!cs_fset_is_subset(&m->features, s))
			continue;
		if (n < 1024)
			cand[n++] = (int)i;
		if (cs_fset_count(&m->features) >= best_n) {
			best_n = cs_fset_count(&m->features);
			best = (int)i;
		}
	}
	if (!n)
		return fallback;
	return chance(70) ? best : cand[below(n)];
}

static void write_features_shuffled(FILE *f, const struct cs_fset *list, const char *policy_attr)
{
	int ids[1024], id;
	unsigned n = 0;

	cs_fset_foreach (id, list)
		ids[n++] = id;
	for (unsigned i = n; i > 1; i--) {
		unsigned j = below(i);
		int t = ids[i - 1];

		ids[i - 1] = ids[j];
		ids[j] = t;
	}
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "  <feature %sname='%s'/>\n", policy_attr, A->features[ids[i]].name);
}

static void write_host(FILE *f, int base, int vendor, int vendor_tag)
{
	struct cs_fset s, list;
	int e;

	vary(base, &s);
	e = express(&s, vendor, base);
	if (!cs_fset_is_subset(&A->models[e].features, &s))
		cs_fset_union(&s, &s, &A->models[e].features);
	cs_fset_diff(&list, &s, &A->models[e].features);
	if (chance(10)) {
		unsigned n = cs_fset_count(&A->models[e].features);

		if (n)
			cs_fset_set(&list, (unsigned)nth_member(&A->models[e].features, below(n)));
	}
	fprintf(f, "<cpu>\n  <arch>x86_64</arch>\n  <model>%s</model>\n", A->models[e].name);
	if (vendor_tag && vendor >= 0)
		fprintf(f, "  <vendor>%s</vendor>\n", vendor_name(vendor));
	if (chance(20))
		fprintf(f, "  <topology sockets='%u' dies='1' cores='%u' threads='%u'/>\n",
		        1 + below(2), 1 + below(16), 1 + below(2));
	write_features_shuffled(f, &list, "");
	fprintf(f, "</cpu>\n");
}

static int gen_pools(unsigned count, const char *dir)
{
	for (unsigned p = 1; p <= count; p++) {
		char path[4096];
		FILE *f;
		unsigned kind = below(100), n = 1 + below(chance(30) ? 2 : 8);
		int vendor = (int)below((unsigned)A->nvendors), base = pick_model(vendor);
		int caps = chance(8);

		snprintf(path, sizeof(path), "%s/pool-%04u.xml", dir, p);
		f = fopen(path, "w");
		if (!f) {
			perror(path);
			return 1;
		}
		if (caps)
			n = 1;
		if (caps)
			fprintf(f, "<capabilities>\n<host>\n");
		for (unsigned h = 0; h < n; h++) {
			int m = base, v = vendor, tag = !chance(8);

			if (kind >= 45 && kind < 80) {
				m = pick_model(vendor); /* generations of one vendor */
			} else if (kind >= 80) {
				m = pick_model(-2); /* anything: vendor errors and neutral models */
				v = A->models[m].vendor >= 0 ? A->models[m].vendor
				                             : (chance(50) ? vendor : -1);
				tag = chance(60);
			}
			if (A->models[m].vendor >= 0)
				v = A->models[m].vendor;
			write_host(f, m, v, tag);
		}
		if (caps)
			fprintf(f, "</host>\n</capabilities>\n");
		fclose(f);
	}
	return 0;
}

/* ---- guests ------------------------------------------------------------------ */

/* A random model QEMU 7.2 does not define, or -1 when the map has none. */
static int pick_non_qemu_model(void)
{
	int ids[1024];
	unsigned n = 0;

	for (size_t i = 0; i < A->nmodels && n < 1024; i++)
		if (!cs_model_known_to_qemu(A->models[i].name))
			ids[n++] = (int)i;
	return n ? ids[below(n)] : -1;
}

/* domain: the guest goes into a domain (check='none', models QEMU lacks
 * favoured, maximum mode too, no <model> in host-passthrough or maximum
 * mode, where libvirt ignores it). */
enum gen_kind { GEN_GUEST, GEN_DOMAIN, GEN_START };

/* A <topology> that matches vcpus, or now and then one that does not. */
static void write_topology(FILE *f, unsigned vcpus)
{
	unsigned sockets = 1, cores = vcpus, threads = 1;

	if (vcpus % 2 == 0 && chance(50)) {
		threads = 2;
		cores = vcpus / 2;
	}
	if (chance(15))
		cores++;
	fprintf(f, "  <topology sockets='%u' dies='1' cores='%u' threads='%u'/>\n", sockets, cores,
	        threads);
}

static void write_guest(FILE *f, const struct cs_cpudef *host, struct cs_fset *host_set,
                        enum gen_kind kind, unsigned vcpus)
{
	static const char *const modes[] = {"custom", "host-model", "host-passthrough", "maximum"};
	static const char *const checks[] = {"", " check='none'", " check='partial'",
	                                     " check='full'"};
	int domain = kind != GEN_GUEST;
	const char *check = kind == GEN_DOMAIN ? " check='none'"
	                    : kind == GEN_START ? checks[below(4)]
	                                        : "";
	static const char *const matches[] = {NULL, "exact", "minimum", "strict"};
	static const char *const policies[] = {NULL,       "force",   "require",
	                                       "optional", "disable", "forbid"};
	unsigned mode = chance(85) ? 0 : 1 + below(domain ? 3 : 2);
	const char *match = matches[below(4)];
	int model = -1, id, hv = host->vendor_idx;
	struct cs_fset listed;
	unsigned nfeat;

	cs_fset_zero(&listed);
	/* A guest close to the host: the host's model, or the host CPU itself. */
	if (domain && chance(25))
		model = pick_non_qemu_model();
	if (model >= 0) {
		/* a model libvirt translates */
	} else if (chance(25)) {
		model = host->model;
	} else if (chance(45)) {
		int fits[1024];
		unsigned n = 0;

		for (size_t i = 0; i < A->nmodels && n < 1024; i++)
			if (cs_fset_is_subset(&A->models[i].features, host_set))
				fits[n++] = (int)i;
		model = n ? fits[below(n)] : host->model;
	} else if (chance(35) && hv >= 0) {
		model = pick_model(hv);
	} else {
		model = pick_model(-2);
	}
	if (mode == 0 && chance(8)) {
		/* The host CPU as it is, as a guest: identical. */
		fprintf(f, "<cpu mode='custom'%s%s%s%s>\n  <model>%s</model>\n",
		        match ? " match='" : "", match ? match : "", match ? "'" : "", check,
		        A->models[host->model].name);
		for (size_t i = 0; i < host->nfeatures; i++)
			fprintf(f, "  <feature policy='require' name='%s'/>\n",
			        cs_cpudef_feature_name(host, i));
		fprintf(f, "</cpu>\n");
		return;
	}
	fprintf(f, "<cpu mode='%s'", modes[mode]);
	if (mode == 0 && match)
		fprintf(f, " match='%s'", match);
	fprintf(f, "%s>\n", check);
	if (kind == GEN_START && chance(30))
		write_topology(f, vcpus);
	if (mode < 2 || (!domain && chance(30)))
		fprintf(f, "  <model%s>%s</model>\n", chance(20) ? " fallback='forbid'" : "",
		        A->models[model].name);
	if (chance(15)) {
		int v = chance(70) && hv >= 0 ? hv : (int)below((unsigned)A->nvendors);

		fprintf(f, "  <vendor>%s</vendor>\n", A->vendors[v].name);
	}
	nfeat = below(chance(70) ? 6 : 30);
	for (unsigned i = 0; i < nfeat; i++) {
		const char *pol = policies[below(6)];
		unsigned hn = cs_fset_count(host_set),
		         mn = cs_fset_count(&A->models[model].features);

		if (chance(40) && hn)
			id = nth_member(host_set, below(hn));
		else if (chance(40) && mn)
			id = nth_member(&A->models[model].features, below(mn));
		else
			id = random_feature();
		if (id < 0 || cs_fset_test(&listed, (unsigned)id))
			continue;
		if (kind == GEN_START && chance(3)) {
			/* a feature QEMU has no property for */
			int pc = cs_arch_find_feature(A, "pconfig");

			if (pc >= 0 && !cs_fset_test(&listed, (unsigned)pc))
				id = pc;
		}
		cs_fset_set(&listed, (unsigned)id);
		if (pol)
			fprintf(f, "  <feature policy='%s' name='%s'/>\n", pol,
			        A->features[id].name);
		else
			fprintf(f, "  <feature name='%s'/>\n", A->features[id].name);
	}
	fprintf(f, "</cpu>\n");
}

static int gen_guests(const struct cs_map *map, unsigned count, const char *dir,
                      const char *host_path, enum gen_kind kind, const char *virt)
{
	int domain = kind != GEN_GUEST;
	struct cs_error err = {0};
	struct cs_cpudef *host = cs_cpudef_load_one(map, host_path, 0, &err);
	struct cs_cpu_facts facts;

	if (!host || host->model < 0 || cs_cpudef_to_facts(host, &facts, &err) < 0) {
		cs_error_print(&err, "gen_cpus: ", stderr);
		cs_cpudef_free(host);
		return 1;
	}
	for (unsigned g = 1; g <= count; g++) {
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s-%04u.xml", dir, domain ? "domain" : "guest", g);
		f = fopen(path, "w");
		if (!f) {
			perror(path);
			cs_cpudef_free(host);
			return 1;
		}
		unsigned vcpus = kind == GEN_START ? 1 + below(4) : 1;

		if (domain)
			fprintf(f,
			        "<domain type='%s'>\n<name>cpuscope-%04u</name>\n"
			        "<memory unit='KiB'>131072</memory>\n<vcpu>%u</vcpu>\n"
			        "<os><type arch='x86_64' machine='pc'>hvm</type></os>\n",
			        virt, g, vcpus);
		write_guest(f, host, &facts.features, kind, vcpus);
		if (domain)
			fprintf(f, "</domain>\n");
		fclose(f);
	}
	cs_cpudef_free(host);
	return 0;
}

int main(int argc, char **argv)
{
	struct cs_error err = {0};
	struct cs_map *map;
	enum gen_kind kind = GEN_GUEST;
	int ret;

	if (argc > 1 && !strcmp(argv[1], "domains"))
		kind = GEN_DOMAIN;
	else if (argc > 1 && !strcmp(argv[1], "starts"))
		kind = GEN_START;
	if (argc < 6 || (strcmp(argv[1], "pools") && strcmp(argv[1], "guests") && kind == GEN_GUEST) ||
	    (strcmp(argv[1], "pools") && argc < 7) || (kind == GEN_START && argc < 8)) {
		fprintf(stderr, "usage: gen_cpus pools|guests|domains MAP SEED COUNT OUTDIR [HOST.xml]\n"
		                "       gen_cpus starts MAP SEED COUNT OUTDIR HOST.xml kvm|qemu\n");
		return 2;
	}
	map = cs_map_load(argv[2], &err);
	if (!map) {
		cs_error_print(&err, "gen_cpus: ", stderr);
		return 2;
	}
	A = cs_map_arch(map, "x86");
	rng_state = strtoull(argv[3], NULL, 0) * 0x9e3779b97f4a7c15ull + 1;
	if (!strcmp(argv[1], "pools"))
		ret = gen_pools((unsigned)atoi(argv[4]), argv[5]);
	else
		ret = gen_guests(map, (unsigned)atoi(argv[4]), argv[5], argv[6], kind,
		                 kind == GEN_START ? argv[7] : "kvm");
	cs_map_free(map);
	return ret;
}
