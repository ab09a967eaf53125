/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cli.h: shared pieces of the command-line front end */
#ifndef CPUSCOPE_CLI_H
#define CPUSCOPE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "cpuscope/cpumap.h"

/* Exit codes of every command. */
enum {
	CLI_OK = 0,       /* success, or a positive answer */
	CLI_NEGATIVE = 1, /* a negative answer (incompatible, not found) */
	CLI_BAD = 2,      /* bad input or usage */
};

struct cli {
	const char *map_opt; /* --map, or NULL */
	bool no_cache;       /* --no-cache */
	const char *argv0;
};

/* Where the default map is: --map, $CPUSCOPE_MAP, /usr/share/libvirt/cpu_map,
 * the bundled YAML next to the binary or under PREFIX/share/cpuscope.
 * Returns a static or environment string; *why says which rule chose it. */
const char *cli_map_path(const struct cli *cli, const char **why);

/* Load the map cli_map_path() names; on error print it and return NULL. */
struct cs_map *cli_load_map(const struct cli *cli);

/* Print "cpuscope: error: MSG" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print an error report as "cpuscope: error: FILE:LINE: MSG". */
void cli_report(const struct cs_error *err);

/* Prints a command's usage text on out. */
typedef void cli_usage_fn(FILE *out);

/* The exit of the -h/--help case ('h') and the bad-option case (anything
 * else: getopt_long() has said what was wrong) of a command's option
 * switch: usage on stdout and CLI_OK for help, on stderr and CLI_BAD else. */
int cli_usage_exit(cli_usage_fn *usage, int opt);

/* Bad operands: "cpuscope: error: MSG", then the usage, on stderr; returns
 * CLI_BAD. */
int cli_usage_error(cli_usage_fn *usage, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* True when argv holds -h or --help before any "--". */
bool cli_wants_help(int argc, char **argv);

struct cs_pool_progress;
/* A cs_pool_read_fn: a progress line on standard error when it is a
 * terminal (hosts read, hosts per second, percent), at most ten times a
 * second; cli_progress_end() erases it. */
bool cli_progress(const struct cs_pool_progress *p, void *opaque);
void cli_progress_end(void);

struct cs_pool;
/* Add each --pool argument (FILE or NAME=FILE) to pool, with the progress
 * line; a file given twice is read once, with a warning.  0, or -1 with the
 * error printed. */
int cli_pool_add(struct cs_pool *pool, char *const *args, size_t nargs);

/* Each command gets argv from its own name on (argv[0] = command name). */
int cmd_models(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_features(struct cli *cli, int argc, char **argv);
int cmd_convert(struct cli *cli, int argc, char **argv);
int cmd_host(struct cli *cli, int argc, char **argv);
int cmd_compare(struct cli *cli, int argc, char **argv);
int cmd_baseline(struct cli *cli, int argc, char **argv);
int cmd_guest(struct cli *cli, int argc, char **argv);
int cmd_apply(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_mapdiff(struct cli *cli, int argc, char **argv);
int cmd_domains(struct cli *cli, int argc, char **argv);
int cmd_migrate_check(struct cli *cli, int argc, char **argv);
/* The interactive explorer (no command name; argv[0] = "cpuscope"). */
int cmd_tui(struct cli *cli, int argc, char **argv);

#endif
