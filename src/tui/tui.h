/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tui.h: run the interactive explorer */
#ifndef CPUSCOPE_TUI_TUI_H
#define CPUSCOPE_TUI_TUI_H

#include <stdbool.h>

#include "cpuscope/cpumap.h"

struct tui_opts {
	struct cs_map *map;      /* borrowed; its x86 tree is derived by tui_run */
	const char *host_file;   /* --host FILE */
	const char *host_source; /* --source cpuid|kvm|cpuinfo */
	const char *guest_file;  /* GUEST.xml or DOMAIN.xml, or NULL */
	/* --connect URI (or $LIBVIRT_DEFAULT_URI) without --domain: the host is
	 * that connection's, and o lists its domains; NULL without one */
	const char *connect_uri;
	char **pool_files;  /* --pool FILE..., the hosts the guest must run on */
	char **pool_labels; /* per pool file: NAME of --pool NAME=FILE, or NULL */
	size_t npool;
	const char *const *migrate_to; /* --migrate-to URI..., and pool URIs */
	size_t nmigrate_to;
	bool no_color, no_mouse, ascii;
	bool no_cache; /* QEMU's answers are neither read from nor kept in the cache */
	/* Testing: play keys from a script into a virtual rows x cols terminal
	 * and write the final screen to dump_file ("-" = stdout). */
	const char *keys_file;
	const char *dump_file;
	int rows, cols;
};

/* Run the explorer until the user quits.  Returns the exit status. */
int tui_run(const struct tui_opts *opts);

struct app;
/* Lay out and draw app once on the open terminal (for tests and benches):
 * windows are made for the current size and freed again. */
void tui_render(struct app *app);

#endif
