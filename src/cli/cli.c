/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cli.c: default map lookup and error printing shared by the commands */
#include "cli/cli.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cpuscope/mapcache.h"
#include "cpuscope/pool.h"
#include "cpuscope/xalloc.h"

#define SYSTEM_MAP   "/usr/share/libvirt/cpu_map"
#define BUNDLED_NAME "libvirt-9.0.0.yaml"

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* The bundled map, looked for relative to the running binary: the source
 * tree keeps the binary in build/ and the maps in maps/; an installed
 * binary in PREFIX/bin has them in PREFIX/share/cpuscope/maps. */
static const char *bundled_map(void)
{
	static char found[PATH_MAX];
	static const char *const rel[] = {"/../maps/", "/../../maps/", "/../share/cpuscope/maps/"};
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		char path[PATH_MAX + 64];

		snprintf(path, sizeof(path), "%s%s%s", exe, rel[i], BUNDLED_NAME);
		if (exists(path) && realpath(path, found))
			return found;
	}
	return NULL;
}

const char *cli_map_path(const struct cli *cli, const char **why)
{
	const char *env = getenv("CPUSCOPE_MAP");
	const char *b, *sys;
	static char index[PATH_MAX];

	if (cli->map_opt) {
		*why = "--map";
		return cli->map_opt;
	}
	if (env && *env) {
		*why = "$CPUSCOPE_MAP";
		return env;
	}
	/* $CPUSCOPE_SYSTEM_MAP names libvirt's map where a system keeps it
	 * elsewhere (and lets the tests pretend libvirt is absent). */
	sys = getenv("CPUSCOPE_SYSTEM_MAP");
	if (!sys || !*sys)
		sys = SYSTEM_MAP;
	snprintf(index, sizeof(index), "%s/index.xml", sys);
	if (exists(index)) {
		*why = "the installed libvirt's map";
		return sys;
	}
	b = bundled_map();
	if (b) {
		*why = "the bundled libvirt 9.0.0 map";
		return b;
	}
	*why = "no map found";
	return NULL;
}

struct cs_map *cli_load_map(const struct cli *cli)
{
	const char *why;
	const char *path = cli_map_path(cli, &why);
	struct cs_error err = {0};
	struct cs_map *map;
	char *cache;

	if (!path) {
		cli_error(
		        "no CPU map found: install libvirt's map, set $CPUSCOPE_MAP or use --map");
		return NULL;
	}
	cache = cli->no_cache ? NULL : cs_cache_dir_default();
	map = cs_map_load_cached(path, cache, NULL, &err);
	free(cache);
	if (!map)
		cli_report(&err);
	return map;
}

static void verror(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static void verror(const char *fmt, va_list ap)
{
	fputs("cpuscope: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
}

static void usage_short(cli_usage_fn *usage);

int cli_usage_exit(cli_usage_fn *usage, int opt)
{
	if (opt == 'h') {
		usage(stdout);
		return CLI_OK;
	}
	usage_short(usage); /* getopt has said what is wrong */
	return CLI_BAD;
}

/* The usage line(s) of usage's text (up to its first blank line), then a
 * hint: a mistake is not answered with the whole help. */
/* The command a usage text is about ("show "), from its first line: the
 * first word after "cpuscope" outside brackets; "" when there is none. */
static const char *command_of(const char *text, char *buf, size_t size)
{
	const char *p = strstr(text, "cpuscope");
	int depth = 0;

	buf[0] = '\0';
	if (!p)
		return buf;
	for (p += 8; *p && *p != '\n'; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		else if (!depth && *p != ' ') {
			size_t n = strcspn(p, " \n");

			if (n + 2 <= size && *p != '-' && *p >= 'a' && *p <= 'z')
				snprintf(buf, size, "%.*s ", (int)n, p);
			return buf;
		}
	}
	return buf;
}

static void usage_short(cli_usage_fn *usage)
{
	char *text = NULL, *blank, cmd[64];
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m) {
		usage(stderr);
		return;
	}
	usage(m);
	fclose(m);
	blank = strstr(text, "\n\n");
	if (blank)
		blank[1] = '\0';
	fputs(text, stderr);
	fprintf(stderr, "Try 'cpuscope %s--help' for the details.\n",
	        command_of(text, cmd, sizeof(cmd)));
	free(text);
}

int cli_usage_error(cli_usage_fn *usage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
	usage_short(usage);
	return CLI_BAD;
}

/* ---- a progress line on a terminal ------------------------------------------ */

static struct {
	bool shown;
	double start, last;
} progress;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool cli_progress(const struct cs_pool_progress *p, void *opaque)
{
	double t = now_s();
	char pct[16] = "";

	(void)opaque;
	if (!isatty(STDERR_FILENO))
		return true;
	if (!progress.start)
		progress.start = progress.last = t;
	if (t - progress.last < 0.1)
		return true;
	progress.last = t;
	if (p->total)
		snprintf(pct, sizeof(pct), ", %3.0f%%",
		         100.0 * (double)p->bytes / (double)p->total);
	fprintf(stderr, "\r\033[K%s: %zu hosts read, %.0f hosts/s%s", p->file ? p->file : "",
	        p->hosts, (double)p->hosts / (t - progress.start + 1e-9), pct);
	fflush(stderr);
	progress.shown = true;
	return true;
}

void cli_progress_end(void)
{
	if (progress.shown)
		fputs("\r\033[K", stderr);
	progress.shown = false;
	progress.start = 0;
}

void cli_report(const struct cs_error *err)
{
	cs_error_print(err, "cpuscope: error: ", stderr);
}

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return true;
	}
	return false;
}

int cli_pool_add(struct cs_pool *pool, char *const *args, size_t nargs)
{
	struct cs_error err = {0};

	for (size_t i = 0; i < nargs; i++) {
		char *arg = cs_xstrdup(args[i]);
		const char *path, *label, *seen;
		long n;

		cs_pool_split_arg(arg, &path, &label);
		seen = cs_pool_file_seen(pool, path);
		if (seen) {
			fprintf(stderr,
			        "cpuscope: warning: %s: the same file as %s, already read: its "
			        "hosts count once\n",
			        path, seen);
			free(arg);
			continue;
		}
		n = cs_pool_add_file_progress(pool, path, label, cli_progress, NULL, &err);
		cli_progress_end();
		free(arg);
		if (n < 0) {
			cli_report(&err);
			return -1;
		}
	}
	return 0;
}
