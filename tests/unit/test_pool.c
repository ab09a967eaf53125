/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_pool.c: pools of hosts from files: loading, per-host compare, model counts, baseline */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "test_map_fixture.h"

#include "cpuscope/compare.h"
#include "cpuscope/pool.h"
#include "cpuscope/xalloc.h"

#define CPUTEST "tests/data/cputest/"

/* Three Intel hosts as virsh capabilities shows them, in one file. */
static long add_intel_trio(struct cs_pool *pool, struct cs_error *err)
{
	static const char *const files[] = {
	        CPUTEST "x86_64-cpuid-Xeon-Gold-6148-host.xml",
	        CPUTEST "x86_64-cpuid-Xeon-Platinum-8268-host.xml",
	        CPUTEST "x86_64-cpuid-Ice-Lake-Server-host.xml",
	};
	size_t cap = 0, len = 0;
	char *all = NULL;
	long n;

	for (size_t i = 0; i < 3; i++) {
		size_t l;
		char *t = slurp(files[i], &l);
		CS_GROW(all, cap, len + l + 1);
		memcpy(all + len, t, l);
		len += l;
		free(t);
	}
	n = cs_pool_add_buffer(pool, all, len, "trio.xml", err);
	free(all);
	return n;
}

static struct cs_cpudef *guest_of(const char *xml)
{
	return parse_cpu(xml, 0);
}

static void test_load_kinds(void **state)
{
	struct cs_pool pool;
	struct cs_error err = {0};

	(void)state;
	cs_pool_init(&pool, map);
	assert_int_equal(add_intel_trio(&pool, &err), 3);
	/* raw CPUID data is decoded as virsh capabilities would show it */
	assert_int_equal(
	        cs_pool_add_file(&pool, CPUTEST "x86_64-cpuid-EPYC-7502-32-Core.xml", &err), 1);
	/* domcapabilities: the host-model CPU, what KVM gives there */
	assert_int_equal(
	        cs_pool_add_file(&pool, CPUTEST "host-nested-epyc/domcapabilities.xml", &err), 1);
	assert_int_equal(cs_pool_add_file(&pool, CPUTEST "host-nested-epyc/cpuid-r.txt", &err), 1);
	assert_int_equal(pool.n, 6);
	assert_ptr_equal(pool.arch, x86);
	assert_string_equal(pool.hosts[0].name, "trio.xml+1");
	assert_string_equal(pool.hosts[2].name, "trio.xml+3");
	assert_string_equal(pool.hosts[3].name, "x86_64-cpuid-EPYC-7502-32-Core.xml");
	assert_string_equal(pool.hosts[4].name, "domcapabilities.xml");
	assert_int_equal(pool.hosts[0].cpu->model, mid("Skylake-Server"));
	assert_int_equal(pool.hosts[1].cpu->model, mid("Cascadelake-Server"));
	assert_int_equal(pool.hosts[2].cpu->model, mid("Icelake-Server"));
	assert_int_equal(pool.hosts[3].cpu->model, mid("EPYC-Rome"));
	assert_false(pool.hosts[3].kvm_view);
	assert_true(pool.hosts[4].kvm_view);
	/* have[] counts the hosts with each feature */
	assert_int_equal(pool.have[fid("fpu")], 6);
	/* the three Intel hosts and this nested EPYC's own CPUID; not what KVM gives there */
	assert_int_equal(pool.have[fid("avx512f")], 4);
	/* the EPYC 7502 and the nested EPYC's CPUID; KVM there cannot give it */
	assert_int_equal(pool.have[fid("sse4a")], 2);
	assert_int_equal(pool.have[fid("vmx")], 3);
	cs_pool_release(&pool);
	assert_int_equal(pool.n, 0);
	cs_pool_release(&pool);
}

static void test_compare_all(void **state)
{
	struct cs_pool pool;
	struct cs_error err = {0};
	struct cs_compare_result res[3];
	struct cs_pool_verdict v;
	struct cs_cpudef *g;

	(void)state;
	cs_pool_init(&pool, map);
	assert_int_equal(add_intel_trio(&pool, &err), 3);

	/* Cascadelake-Server: the Skylake host lacks what Cascade Lake added */
	g = guest_of("<cpu><model>Cascadelake-Server</model></cpu>");
	assert_int_equal(cs_pool_compare(&pool, g, res, &v, &err), 0);
	assert_int_equal(v.incompatible, 1);
	assert_int_equal(v.superset + v.identical, 2);
	assert_int_equal(v.first_bad, 0);
	assert_int_equal(res[0].compat, CS_COMPAT_INCOMPATIBLE);
	assert_true(cs_fset_test(&v.missing, (unsigned)fid("avx512vnni")));
	/* the verdict for each host is cs_compare's */
	for (size_t i = 0; i < 3; i++) {
		struct cs_compare_result one;
		struct cs_pool_cpu_view view;
		assert_int_equal(
		        cs_compare(cs_pool_cpu_def(&pool, pool.hosts[i].cpu, &view), g, &one, &err),
		        0);
		assert_int_equal(one.compat, res[pool.hosts[i].distinct].compat);
		assert_true(cs_fset_equal(&one.missing, &res[pool.hosts[i].distinct].missing));
	}
	cs_cpudef_free(g);

	/* Skylake-Server with its missing features disabled runs everywhere */
	g = guest_of("<cpu><model>Skylake-Server</model></cpu>");
	assert_int_equal(cs_pool_compare(&pool, g, NULL, &v, &err), 0);
	assert_int_equal(v.incompatible, 0);
	assert_int_equal(v.first_bad, 3);
	assert_true(cs_fset_is_empty(&v.missing));
	cs_cpudef_free(g);

	/* forbidding what one host has */
	g = guest_of("<cpu><model>Skylake-Server</model><feature policy='forbid' "
	             "name='avx512vnni'/></cpu>");
	assert_int_equal(cs_pool_compare(&pool, g, res, &v, &err), 0);
	assert_int_equal(v.incompatible, 2);
	assert_int_equal(v.first_bad, 1);
	assert_true(cs_fset_test(&v.forbidden, (unsigned)fid("avx512vnni")));
	cs_cpudef_free(g);
	cs_pool_release(&pool);
}

/* Hosts with the same CPU are compared once and share the result. */
static void test_same_cpus(void **state)
{
	struct cs_pool pool;
	struct cs_error err = {0};
	struct cs_compare_result res[3];
	struct cs_pool_verdict v;
	struct cs_cpudef *g = guest_of("<cpu><model>Cascadelake-Server</model></cpu>");

	(void)state;
	cs_pool_init(&pool, map);
	assert_int_equal(add_intel_trio(&pool, &err), 3);
	assert_int_equal(add_intel_trio(&pool, &err), 3);
	assert_int_equal(cs_pool_add_file(&pool, CPUTEST "x86_64-cpuid-Xeon-Gold-6148.xml", &err),
	                 1);
	assert_int_equal(pool.n, 7);
	/* the CPUID dump of the Gold 6148 decodes to its expected host CPU */
	assert_int_equal(pool.ndistinct, 3);
	assert_int_equal(pool.hosts[3].same_as, 0);
	assert_int_equal(pool.hosts[5].same_as, 2);
	assert_int_equal(pool.hosts[6].same_as, 0);
	assert_int_equal(pool.hosts[0].copies, 3);
	assert_int_equal(pool.hosts[1].copies, 2);
	assert_int_equal(cs_pool_compare(&pool, g, res, &v, &err), 0);
	assert_int_equal(v.incompatible, 3);
	assert_int_equal(v.superset + v.identical, 4);
	assert_null(pool.hosts[3].cpu); /* the first host's definition stands for it */
	assert_non_null(pool.hosts[2].cpu);
	for (size_t i = 0; i < 7; i++) {
		struct cs_compare_result one;
		assert_int_equal(cs_pool_host_compare(&pool, i, g, &one, &err), 0);
		assert_int_equal(one.compat, res[pool.hosts[i].distinct].compat);
		assert_true(cs_fset_equal(&one.missing, &res[pool.hosts[i].distinct].missing));
	}
	assert_int_equal(pool.hosts[6].distinct, 0);
	assert_int_equal(pool.hosts[5].distinct, 2);
	assert_int_equal(cs_pool_compare(&pool, g, NULL, &v, &err), 0);
	assert_int_equal(v.incompatible, 3);
	cs_cpudef_free(g);
	/* CPUs given again change nothing in the baseline (virsh agrees) */
	{
		struct cs_pool once;
		struct cs_cpudef *a, *b;
		char *ta, *tb;
		cs_pool_init(&once, map);
		assert_int_equal(add_intel_trio(&once, &err), 3);
		a = cs_pool_baseline(&pool, NULL, &err);
		b = cs_pool_baseline(&once, NULL, &err);
		assert_non_null(a);
		assert_non_null(b);
		ta = cs_cpudef_format(a, 0);
		tb = cs_cpudef_format(b, 0);
		assert_string_equal(ta, tb);
		free(ta);
		free(tb);
		cs_cpudef_free(a);
		cs_cpudef_free(b);
		cs_pool_release(&once);
	}
	cs_pool_release(&pool);
}

static void test_model_runs_and_baseline(void **state)
{
	struct cs_pool pool;
	struct cs_error err = {0};
	struct cs_cpudef *base, *direct;
	char *a, *b;

	(void)state;
	cs_pool_init(&pool, map);
	assert_int_equal(add_intel_trio(&pool, &err), 3);
	assert_int_equal(cs_pool_model_runs(&pool, mid("Skylake-Server")), 3);
	assert_int_equal(cs_pool_model_runs(&pool, mid("Cascadelake-Server")), 2);
	assert_int_equal(cs_pool_model_runs(&pool, mid("Icelake-Server")), 1);
	assert_int_equal(cs_pool_model_runs(&pool, mid("486")), 3);
	assert_int_equal(cs_pool_model_runs(&pool, -1), 0);
	/* for every model: the hosts on which cpu-compare accepts a plain guest */
	assert_true(cs_pool_add_file(&pool, CPUTEST "x86_64-cpuid-EPYC-7502-32-Core.xml", &err) >
	            0);
	assert_true(cs_pool_add_file(&pool, CPUTEST "host-nested-epyc/domcapabilities.xml", &err) >
	            0);
	for (size_t m = 0; m < x86->nmodels; m++) {
		struct cs_cpudef *g = cs_cpudef_new(map, x86, CS_CPU_TYPE_GUEST);
		struct cs_pool_verdict v;
		cs_cpudef_set_model(g, (int)m);
		assert_int_equal(cs_pool_compare(&pool, g, NULL, &v, &err), 0);
		assert_int_equal(cs_pool_model_runs(&pool, (int)m), v.identical + v.superset);
		cs_cpudef_free(g);
	}
	cs_pool_release(&pool);
	cs_pool_init(&pool, map);
	assert_int_equal(add_intel_trio(&pool, &err), 3);

	/* the pool's baseline is cpu-baseline of the same CPUs */
	base = cs_pool_baseline(&pool, NULL, &err);
	assert_non_null(base);
	{
		/* each CPU as the pool shows it: model, vendor and features */
		struct cs_pool_cpu_view v[3];
		struct cs_cpudef *cpus[3];
		for (size_t i = 0; i < 3; i++)
			cpus[i] = (struct cs_cpudef *)cs_pool_cpu_def(&pool, pool.hosts[i].cpu,
			                                              &v[i]);
		direct = cs_baseline_cpus(map, cpus, 3, NULL, &err);
	}
	assert_non_null(direct);
	a = cs_cpudef_format(base, 0);
	b = cs_cpudef_format(direct, 0);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, ">Skylake-Server</model>"));
	free(a);
	free(b);
	cs_cpudef_free(base);
	cs_cpudef_free(direct);
	cs_pool_release(&pool);
}

static void test_errors(void **state)
{
	struct cs_pool pool;
	struct cs_error err = {0};
	static const char guest[] = "<cpu>\n  <model>Haswell</model>\n</cpu>\n";
	static const char two[] = "<cpu><arch>x86_64</arch><model>Haswell</model></cpu>\n"
	                          "<cpu>\n<arch>x86_64</arch>\n<model>Nolake</model></cpu>\n";
	static const char ppc[] = "<cpu><arch>ppc64</arch><model>POWER9</model></cpu>\n";
	static const char bad[] = "<cpu><arch>x86_64</arch>\n<model>Haswell</model>\n";

	(void)state;
	cs_pool_init(&pool, map);
	assert_int_equal(add_intel_trio(&pool, &err), 3);

	/* a guest CPU is not a host */
	assert_int_equal(cs_pool_add_buffer(&pool, guest, strlen(guest), "g.xml", &err), -1);
	assert_string_equal(err.file, "g.xml");
	assert_int_equal(err.line, 1);
	assert_non_null(strstr(err.msg, "needs <arch>"));
	/* a bad CPU later in a file leaves the pool as it was */
	cs_error_clear(&err);
	assert_int_equal(cs_pool_add_buffer(&pool, two, strlen(two), "two.xml", &err), -1);
	assert_int_equal(err.line, 4);
	assert_non_null(strstr(err.msg, "Nolake"));
	assert_int_equal(pool.n, 3);
	/* ... even when its good CPUs were copies of hosts already there */
	{
		size_t l;
		char *t = slurp(CPUTEST "x86_64-cpuid-Xeon-Gold-6148-host.xml", &l);
		char *both = cs_xmalloc(l + sizeof(two));
		size_t distinct = pool.ndistinct, copies = pool.hosts[0].copies;
		unsigned have0 = pool.have[0];

		memcpy(both, t, l);
		memcpy(both + l, two, sizeof(two));
		cs_error_clear(&err);
		assert_int_equal(
		        cs_pool_add_buffer(&pool, both, l + sizeof(two) - 1, "both.xml", &err), -1);
		assert_int_equal(pool.n, 3);
		assert_int_equal(pool.ndistinct, distinct);
		assert_int_equal(pool.hosts[0].copies, copies);
		assert_int_equal(pool.have[0], have0);
		/* and the pool still finds its copies */
		assert_int_equal(cs_pool_add_buffer(&pool, t, l, "again.xml", &err), 1);
		assert_int_equal(pool.ndistinct, distinct);
		assert_int_equal(pool.hosts[3].same_as, 0);
		assert_int_equal(pool.hosts[0].copies, copies + 1);
		free(both);
		free(t);
	}
	/* another architecture */
	cs_error_clear(&err);
	assert_int_equal(cs_pool_add_buffer(&pool, ppc, strlen(ppc), "p.xml", &err), -1);
	assert_non_null(strstr(err.msg, "architecture ppc64 in a pool of x86 hosts"));
	/* malformed XML */
	cs_error_clear(&err);
	assert_int_equal(cs_pool_add_buffer(&pool, bad, strlen(bad), "bad.xml", &err), -1);
	assert_string_equal(err.file, "bad.xml");
	assert_true(err.line >= 1);
	/* a missing file */
	cs_error_clear(&err);
	assert_int_equal(cs_pool_add_file(&pool, "tests/data/no-such-pool.xml", &err), -1);
	assert_int_equal(err.code, CS_ERR_IO);
	assert_int_equal(pool.n, 4);
	/* a bad file leaves an empty pool without an architecture */
	cs_pool_release(&pool);
	cs_pool_init(&pool, map);
	cs_error_clear(&err);
	assert_int_equal(cs_pool_add_buffer(&pool, two, strlen(two), "two.xml", &err), -1);
	assert_null(pool.arch);
	assert_int_equal(cs_pool_add_buffer(&pool, ppc, strlen(ppc), "p.xml", &err), 1);
	assert_string_equal(pool.arch->name, "ppc64");
	/* an empty pool: nothing runs, no hosts to compare */
	cs_pool_release(&pool);
	assert_int_equal(cs_pool_model_runs(&pool, mid("486")), 0);
	assert_null(cs_pool_baseline(&pool, NULL, &err));
}

/* Every <cpu> of a <host> counts, however many there are. */
static void test_many_in_one_element(void **state)
{
	static const char one[] = "<cpu><arch>x86_64</arch><model>Haswell</model>"
	                          "<vendor>Intel</vendor></cpu>\n";
	struct cs_pool pool;
	struct cs_error err = {0};
	size_t cap = 0, len = 0;
	char *xml = NULL;

	(void)state;
	CS_GROW(xml, cap, 64);
	len = (size_t)sprintf(xml, "<capabilities><host>\n");
	for (int i = 0; i < 100; i++) {
		CS_GROW(xml, cap, len + sizeof(one) + 32);
		memcpy(xml + len, one, sizeof(one));
		len += sizeof(one) - 1;
	}
	CS_GROW(xml, cap, len + 32);
	len += (size_t)sprintf(xml + len, "</host></capabilities>\n");
	cs_pool_init(&pool, map);
	assert_int_equal(cs_pool_add_buffer(&pool, xml, len, "many.xml", &err), 100);
	assert_int_equal(pool.n, 100);
	cs_pool_release(&pool);
	free(xml);
}

/* Write text to a new temporary file; its path (caller frees). */
static char *tmp_file(const char *text)
{
	char *path = cs_xstrdup("/tmp/cs-test-pool-XXXXXX");
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static bool count_progress(const struct cs_pool_progress *p, void *opaque)
{
	size_t *calls = opaque;

	(*calls)++;
	return p->hosts < 2; /* cancel once two hosts are read */
}

static bool cancel_now(const struct cs_pool_progress *p, void *opaque)
{
	(void)p;
	(void)opaque;
	return false;
}

/* Files read by the streaming reader: every host form, names, errors,
 * progress, a file given twice. */
static void test_stream(void **state)
{
	static const char cpu[] = "<?xml version='1.0'?>\n"
	                          "<cpu><arch>x86_64</arch><model>Haswell</model></cpu>\n";
	static const char dom[] = "<domain type='kvm'><name>web1</name><devices/>"
	                          "<cpu><arch>x86_64</arch><model>Haswell</model></cpu></domain>\n";
	static const char cut[] = "<cpu><arch>x86_64</arch><model>Haswell</model>";
	struct cs_pool pool;
	struct cs_error err = {0};
	size_t l, calls = 0;
	char *dump = slurp(CPUTEST "x86_64-cpuid-Xeon-Gold-6148.xml", &l);
	char *both = cs_xmalloc(sizeof(cpu) + l);
	char *p1, *p2, *p3, *p4;

	(void)state;
	memcpy(both, cpu, sizeof(cpu) - 1);
	memcpy(both + sizeof(cpu) - 1, dump, l + 1);
	p1 = tmp_file(both);
	p2 = tmp_file(dom);
	p3 = tmp_file(cut);
	p4 = tmp_file(cpu);
	cs_pool_init(&pool, map);
	/* a CPUID dump after a <cpu> is a second host */
	assert_int_equal(cs_pool_add_file_progress(&pool, p1, "rack", NULL, NULL, &err), 2);
	assert_string_equal(pool.hosts[0].name, "rack+1");
	assert_int_equal(pool.hosts[1].cpu->model, mid("Skylake-Server"));
	/* the pool knows the file was read */
	assert_non_null(cs_pool_file_seen(&pool, p1));
	assert_null(cs_pool_file_seen(&pool, p2));
	/* a domain's host is named by the domain */
	assert_int_equal(cs_pool_add_file(&pool, p2, &err), 1);
	assert_string_equal(pool.hosts[2].name, "web1");
	/* a file cut short: no wrapper element named, the pool as it was */
	assert_int_equal(cs_pool_add_file(&pool, p3, &err), -1);
	assert_null(strstr(err.msg, "cpuscope-hosts"));
	assert_non_null(strstr(err.msg, "<cpu>"));
	assert_int_equal(err.line, 1);
	assert_int_equal(pool.n, 3);
	/* a device is refused at once */
	cs_error_clear(&err);
	assert_int_equal(cs_pool_add_file(&pool, "/dev/zero", &err), -1);
	/* progress is told, and can cancel */
	cs_error_clear(&err);
	assert_int_equal(cs_pool_add_file_progress(&pool, p4, NULL, count_progress, &calls, &err),
	                 1);
	assert_true(calls >= 1);
	assert_int_equal(pool.n, 4);
	cs_pool_release(&pool);
	cs_pool_init(&pool, map);
	calls = 0;
	cs_error_clear(&err);
	assert_int_equal(cs_pool_add_file_progress(&pool, p1, NULL, count_progress, &calls, &err),
	                 2); /* the last report, after the last host, cannot cancel */
	cs_pool_release(&pool);
	cs_pool_init(&pool, map);
	assert_int_equal(cs_pool_add_file_progress(&pool, p1, NULL, cancel_now, NULL, &err), -1);
	assert_int_equal(pool.n, 0);
	cs_pool_release(&pool);
	for (char **p = (char *[]){p1, p2, p3, p4, NULL}; *p; p++) {
		unlink(*p);
		free(*p);
	}
	free(both);
	free(dump);
}

/* A fleet of n hosts in the shape of 'virsh capabilities' (host i's
 * features follow the bits of i), in a temporary file; host bad (when not
 * negative) lists a feature the map does not know, and a domain named
 * "db" ends the file.  The text is left in *text (caller frees). */
static char *fleet_file(int n, int bad, char **text, size_t *len)
{
	static const char *const feats[] = {"ds",  "acpi", "ss",     "ht",  "tm",
	                                    "pbe", "vmx",  "dtes64", "est", "tm2"};
	size_t cap = 0;
	char *x = NULL, *path;

	*len = 0;
	for (int i = 0; i < n; i++) {
		CS_GROW(x, cap, *len + 4096);
		*len += (size_t)sprintf(
		        x + *len,
		        "<capabilities>\n  <host>\n    <uuid>%08x</uuid>\n    <cpu>\n"
		        "      <arch>x86_64</arch>\n      <model>Haswell</model>\n"
		        "      <vendor>Intel</vendor>\n"
		        "      <microcode version='%d'/>\n"
		        "      <topology sockets='1' dies='1' cores='4' threads='2'/>\n",
		        i, 100 + i);
		for (unsigned f = 0; f < 10; f++)
			if (!((unsigned)i >> f & 1u))
				*len += (size_t)sprintf(x + *len, "      <feature name='%s'/>\n",
				                        feats[f]);
		if (i == bad)
			*len += (size_t)sprintf(x + *len, "      <feature name='no-such'/>\n");
		/* padding that is read and skipped, as in real capabilities */
		for (int k = 0; k < 24; k++)
			*len += (size_t)sprintf(x + *len, "      <pages unit='KiB' size='%d'/>\n",
			                        4 << k);
		*len += (size_t)sprintf(x + *len, "    </cpu>\n  </host>\n</capabilities>\n");
	}
	CS_GROW(x, cap, *len + 256);
	*len += (size_t)sprintf(x + *len, "<domain type='kvm'><name>db</name><cpu><arch>x86_64"
	                                  "</arch><model>Haswell</model></cpu></domain>\n");
	path = tmp_file(x);
	*text = x;
	return path;
}

static unsigned line_of(const char *text, const char *at)
{
	unsigned line = 1;

	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

static bool cancel_third(const struct cs_pool_progress *p, void *opaque)
{
	size_t *calls = opaque;

	(void)p;
	return ++*calls < 3;
}

/* A file large enough to be read on a thread of its own: the same hosts
 * as the whole-text reader finds, the first bad CPU's error with its line,
 * a cancel, the pool left as it was after each failure. */
static void test_stream_threaded(void **state)
{
	struct cs_pool a, b;
	struct cs_error err = {0};
	size_t len, calls = 0;
	char *text, *path = fleet_file(12000, -1, &text, &len);

	(void)state;
	assert_true(len > 12u * 1024u * 1024u);
	cs_pool_init(&a, map);
	cs_pool_init(&b, map);
	assert_int_equal(cs_pool_add_file(&a, path, &err), 12001);
	assert_int_equal(cs_pool_add_buffer(&b, text, len, "fleet.xml", &err), 12001);
	assert_int_equal(a.ndistinct, b.ndistinct);
	assert_int_equal(a.ndistinct, 1025); /* and the domain */
	for (size_t i = 0; i < a.n; i++) {
		assert_int_equal(a.hosts[i].distinct, b.hosts[i].distinct);
		assert_true(cs_fset_equal(&a.hosts[i].facts.features, &b.hosts[i].facts.features));
	}
	assert_string_equal(a.hosts[12000].name, "db");
	cs_pool_release(&b);
	unlink(path);
	free(path);
	free(text);

	/* a bad host late in the file: its error, the pool as it was */
	path = fleet_file(12000, 9000, &text, &len);
	assert_int_equal(cs_pool_add_file(&a, path, &err), -1);
	assert_non_null(strstr(err.msg, "no-such"));
	assert_int_equal(err.line, line_of(text, strstr(text, "no-such")));
	assert_int_equal(a.n, 12001);
	cs_pool_release(&a);

	/* cancelled at the third report */
	cs_pool_init(&a, map);
	cs_error_clear(&err);
	assert_int_equal(cs_pool_add_file_progress(&a, path, NULL, cancel_third, &calls, &err), -1);
	assert_int_equal(calls, 3);
	assert_non_null(strstr(err.msg, "cancelled"));
	assert_int_equal(a.n, 0);
	cs_pool_release(&a);
	unlink(path);
	free(path);
	free(text);
}

/* NAME=FILE labels, unless the whole argument is a file. */
static void test_split_arg(void **state)
{
	char a[] = "web=/tmp/x.xml", b[] = "/tmp/plain.xml";
	const char *path, *label;

	(void)state;
	cs_pool_split_arg(a, &path, &label);
	assert_string_equal(label, "web");
	assert_string_equal(path, "/tmp/x.xml");
	cs_pool_split_arg(b, &path, &label);
	assert_null(label);
	assert_string_equal(path, "/tmp/plain.xml");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_load_kinds),
	        cmocka_unit_test(test_compare_all),
	        cmocka_unit_test(test_same_cpus),
	        cmocka_unit_test(test_model_runs_and_baseline),
	        cmocka_unit_test(test_errors),
	        cmocka_unit_test(test_many_in_one_element),
	        cmocka_unit_test(test_stream),
	        cmocka_unit_test(test_split_arg),
	        cmocka_unit_test(test_stream_threaded),
	};

	return cmocka_run_group_tests(tests, map_setup, map_teardown);
}
