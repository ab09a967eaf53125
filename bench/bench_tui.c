/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* bench_tui.c: explorer start-up to first full frame, and the recompute time of one edit */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/pool.h"
#include "cpuscope/xalloc.h"

#include "tui/app.h"
#include "tui/engine.h"
#include "tui/keys.h"
#include "tui/view.h"

#include "bench_util.h"

#define SYSTEM_MAP  "/usr/share/libvirt/cpu_map"
#define BUNDLED_MAP "maps/libvirt-9.0.0.yaml"
#define STARTS      21
#define EDITS       20000

/* The cpuscope binary beside this bench's directory: BUILD/cpuscope. */
static int find_binary(char *buf, size_t size)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	if (strlen(self) + sizeof("/cpuscope") > size)
		return -1;
	memcpy(buf, self, strlen(self));
	memcpy(buf + strlen(self), "/cpuscope", sizeof("/cpuscope"));
	return access(buf, X_OK);
}

/* Wall time of one run of the explorer that draws its first full frame on a
 * virtual 100x30 terminal and exits: process start, map load, host probe,
 * state set-up, layout and drawing included. */
static double one_start(const char *bin, const char *map, const char *host)
{
	double t0;
	pid_t pid;

	fflush(NULL); /* the child must not repeat buffered output */
	t0 = now_us();
	pid = fork();
	int status;

	if (pid == 0) {
		const char *argv[12];
		int i = 0;
		argv[i++] = bin;
		argv[i++] = "--map";
		argv[i++] = map;
		if (host) {
			argv[i++] = "--host";
			argv[i++] = host;
		}
		argv[i++] = "--dump-screen";
		argv[i++] = "/dev/null";
		argv[i++] = "--size";
		argv[i++] = "100x30";
		argv[i] = NULL;
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(127);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return now_us() - t0;
}

static int bench_start(const char *bin, const char *label, const char *map, const char *host)
{
	double t[STARTS];

	for (int i = 0; i < STARTS; i++) {
		t[i] = one_start(bin, map, host);
		if (t[i] < 0) {
			fprintf(stderr, "bench_tui: %s: the explorer failed to start\n", label);
			return -1;
		}
	}
	sort_times(t, STARTS);
	printf("tui start to first frame, %-34s median %7.2f ms  (min %.2f, max %.2f)  target < 50 "
	       "ms\n",
	       label, t[STARTS / 2] / 1000, t[0] / 1000, t[STARTS - 1] / 1000);
	return 0;
}

static struct cs_map *load(const char **path)
{
	struct cs_error err = {0};
	struct cs_map *map;

	*path = access(SYSTEM_MAP, R_OK) == 0 ? SYSTEM_MAP : BUNDLED_MAP;
	map = cs_map_load(*path, &err);
	if (!map)
		cs_error_print(&err, "bench_tui: ", stderr);
	return map;
}

/* Median per-edit time over batches of policy changes on a feature of the
 * guest: each edit records an undo snapshot of the definition, computes the
 * effective set, both verdicts (CPU and KVM), the fix and the feature rows. */
static void bench_edits(struct app *app, const char *what)
{
	enum { BATCHES = 21 };
	double t[BATCHES];

	for (int b = 0; b < BATCHES; b++) {
		double t0 = now_us();
		for (int i = 0; i < EDITS / BATCHES; i++)
			app_apply(app, ACT_POLICY_CYCLE);
		t[b] = (now_us() - t0) / (EDITS / BATCHES);
	}
	sort_times(t, BATCHES);
	printf("tui recompute of one edit, %-33s median %7.2f us  (min %.2f)  target < 50 us\n",
	       what, t[BATCHES / 2], t[0]);
}

static void bench_recompute(struct app *app)
{
	enum { BATCHES = 21 };
	double t[BATCHES];

	for (int b = 0; b < BATCHES; b++) {
		double t0 = now_us();
		for (int i = 0; i < EDITS / BATCHES; i++)
			app_recompute(app);
		t[b] = (now_us() - t0) / (EDITS / BATCHES);
	}
	sort_times(t, BATCHES);
	printf("tui app_recompute alone, %-35s median %7.2f us  (min %.2f)\n", "", t[BATCHES / 2],
	       t[0]);
}

/* A pool of n hosts: libvirt's expected host CPUs of the saved CPUID
 * dumps, over and over, written to a temporary file and read back the way
 * the explorer reads a pool file (streaming).  Returns the hosts added (0
 * when the files are missing). */
static size_t make_pool(struct cs_pool *pool, size_t n)
{
	static const char *const files[] = {
	        "tests/data/cputest/x86_64-cpuid-Xeon-Gold-6148-host.xml",
	        "tests/data/cputest/x86_64-cpuid-Xeon-Platinum-8268-host.xml",
	        "tests/data/cputest/x86_64-cpuid-Ice-Lake-Server-host.xml",
	        "tests/data/cputest/x86_64-cpuid-Cooperlake-host.xml",
	        "tests/data/cputest/x86_64-cpuid-Xeon-E5-2650-v4-host.xml",
	};
	char *text[5], path[] = "/tmp/cpuscope-bench-pool-XXXXXX";
	size_t len[5], total = 0;
	struct cs_error err = {0};
	struct rusage ru;
	long added = -1, rss;
	double t0, t1;
	FILE *f;
	int fd;

	for (size_t i = 0; i < 5; i++) {
		if (cs_read_file(files[i], 1u << 20, &text[i], &len[i], &err) < 0) {
			while (i--)
				free(text[i]);
			return 0;
		}
	}
	fd = mkstemp(path);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	for (size_t k = 0; f && k < n; k++) {
		fwrite(text[k % 5], 1, len[k % 5], f);
		total += len[k % 5];
	}
	for (size_t i = 0; i < 5; i++)
		free(text[i]);
	if (!f || fclose(f) != 0) {
		fprintf(stderr, "bench_tui: cannot write %s\n", path);
		if (fd >= 0)
			unlink(path);
		return 0;
	}
	getrusage(RUSAGE_SELF, &ru);
	rss = ru.ru_maxrss;
	t0 = now_us();
	added = cs_pool_add_file(pool, path, &err);
	t1 = now_us();
	getrusage(RUSAGE_SELF, &ru);
	unlink(path);
	if (added < 0)
		cs_error_print(&err, "bench_tui: ", stderr);
	else if (n >= 10000)
		printf("pool of %zu hosts streamed from %.1f MB of XML: %.0f ms, peak RSS +%ld "
		       "KiB\n",
		       n, (double)total / 1e6, (t1 - t0) / 1e3, ru.ru_maxrss - rss);
	return added > 0 ? (size_t)added : 0;
}

int main(void)
{
	char bin[PATH_MAX];
	const char *path;
	struct cs_map *map = load(&path);
	struct engine_host_opts ho = {NULL, NULL};
	struct app_host cpu, kvm;
	struct app app;
	const struct cs_arch *arch;
	int ret = 0;
	char label[96];

	if (!map)
		return 1;
	if (find_binary(bin, sizeof(bin)) == 0) {
		snprintf(label, sizeof(label), "%s, host probed", path);
		if (bench_start(bin, label, path, NULL) < 0)
			ret = 1;
		if (access(BUNDLED_MAP, R_OK) == 0 &&
		    bench_start(bin, "bundled YAML map, host probed", BUNDLED_MAP, NULL) < 0)
			ret = 1;
	} else {
		fprintf(stderr,
		        "bench_tui: no cpuscope binary next to the bench (run make bench)\n");
		ret = 1;
	}

	arch = cs_map_arch(map, "x86");
	cs_arch_derive_tree((struct cs_arch *)arch);
	engine_probe(map, arch, &ho, &cpu, &kvm, NULL);
	app_init(&app, map, &cpu, &kvm);
	app_resize(&app, 30, 100);
	/* A realistic guest: the largest model, a few listed features. */
	int best = 0;
	for (size_t m = 0; m < arch->nmodels; m++)
		if (cs_fset_count(&arch->models[m].features) >
		    cs_fset_count(&arch->models[best].features))
			best = (int)m;
	while (view_tree_model(&app) != best)
		app_apply(&app, ACT_DOWN);
	app_apply(&app, ACT_PICK);
	app_apply(&app, ACT_FOCUS_FEATURES);
	for (int i = 0; i < 5; i++) {
		app_apply(&app, ACT_POLICY_DISABLE);
		app_apply(&app, ACT_DOWN);
	}
	snprintf(label, sizeof(label), "%s (%u features)", arch->models[best].name,
	         cs_fset_count(&arch->models[best].features));
	bench_edits(&app, label);
	app_apply(&app, ACT_SORT);
	app_apply(&app, ACT_SORT);
	app_apply(&app, ACT_SORT); /* by status: rows re-sorted on every edit */
	bench_edits(&app, "same, feature rows sorted by status");
	bench_recompute(&app);
	app_apply(&app, ACT_SORT); /* back to map order */
	{
		static const size_t sizes[] = {10, 100, 1000, 100000};
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			struct cs_pool pool;
			cs_pool_init(&pool, map);
			if (make_pool(&pool, sizes[i]) == sizes[i]) {
				app_set_pool(&app, &pool);
				snprintf(label, sizeof(label), "same, with a pool of %zu hosts",
				         sizes[i]);
				bench_edits(&app, label);
				app_set_pool(&app, NULL);
			}
			cs_pool_release(&pool);
		}
	}
	app_release(&app);
	cs_map_free(map);
	return ret;
}
