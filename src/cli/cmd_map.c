/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_map.c: the map commands: models, show, features, convert */
#include <ctype.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/cli_host.h"
#include "cli/cmd_cpu.h"
#include "cpuscope/host.h"
#include "cpuscope/level.h"
#include "cpuscope/mapdiff.h"
#include "cpuscope/pool.h"
#include "cpuscope/xalloc.h"

/* The arch section name, or x86 (else the first one) when name is NULL;
 * prints why and returns NULL when there is none. */
static const struct cs_arch *pick_arch(const struct cs_map *map, const char *name)
{
	const struct cs_arch *a;

	if (name) {
		a = cs_map_arch(map, name);
		if (!a)
			cli_error("the map has no section for arch '%s'", name);
		return a;
	}
	a = cs_map_arch(map, "x86");
	if (!a && map->narches)
		a = &map->arches[0];
	if (!a)
		cli_error("the map has no arch sections");
	return a;
}

/* The map and its arch section name (see pick_arch()).  On failure the
 * error is printed, nothing is kept and NULL is returned.  The arch is
 * writable: the tree views derive parents in it. */
static struct cs_map *load_arch(const struct cli *cli, const char *name, struct cs_arch **arch)
{
	struct cs_map *map = cli_load_map(cli);

	*arch = map ? (struct cs_arch *)pick_arch(map, name) : NULL;
	if (map && !*arch) {
		cs_map_free(map);
		map = NULL;
	}
	return map;
}

/* ---- models ----------------------------------------------------------------- */

struct tree_glyphs {
	const char *tee, *last, *pipe, *blank;
};

#define TREE_MAX_DEPTH 64

/* Each model's children in map order: first[node + 1] and next[child]
 * (node -1 = the roots), so that printing is linear in the models. */
struct tree_kids {
	int *first, *next;
};

static void tree_kids_build(const struct cs_arch *a, struct tree_kids *k)
{
	int *tail = cs_xcalloc(a->nmodels + 2, sizeof(int));

	k->first = cs_xcalloc(a->nmodels + 2, sizeof(int));
	k->next = cs_xcalloc(a->nmodels + 1, sizeof(int));
	for (size_t i = 0; i <= a->nmodels; i++)
		k->first[i] = tail[i] = -1;
	for (size_t i = 0; i < a->nmodels; i++) {
		int p = cs_model_tree_parent(a, &a->models[i], NULL) + 1;
		k->next[i] = -1;
		if (tail[p] < 0)
			k->first[p] = (int)i;
		else
			k->next[tail[p]] = (int)i;
		tail[p] = (int)i;
	}
	free(tail);
}

/* Print node's children and their subtrees, TREE_MAX_DEPTH levels at most;
 * returns the models printed. */
static size_t print_subtree(const struct cs_arch *a, const struct tree_kids *k, int node,
                            const char *prefix, const struct tree_glyphs *g, int depth)
{
	size_t printed = 0;

	if (depth >= TREE_MAX_DEPTH)
		return 0;
	for (int i = k->first[node + 1]; i >= 0; i = k->next[i]) {
		const struct cs_model *m = &a->models[i];
		bool derived;
		int p = cs_model_tree_parent(a, m, &derived);
		bool last = k->next[i] < 0;
		struct cs_fset added;
		char *next;

		if (p >= 0)
			cs_fset_diff(&added, &m->features, &a->models[p].features);
		else
			added = m->features;
		printf("%s%s%s%s  (+%u%s%s)\n", prefix, node >= 0 ? (last ? g->last : g->tee) : "",
		       m->name, derived ? " *" : "", cs_fset_count(&added),
		       m->vendor >= 0 ? ", " : "",
		       m->vendor >= 0 ? a->vendors[m->vendor].name : "");
		next = cs_xasprintf("%s%s", prefix, node >= 0 ? (last ? g->blank : g->pipe) : "");
		printed += 1 + print_subtree(a, k, i, next, g, depth + 1);
		free(next);
	}
	return printed;
}

static void models_usage(FILE *out)
{
	fprintf(out, "usage: cpuscope [--map PATH] models [--arch ARCH] [--tree]\n"
	             "       cpuscope [--map PATH] models --pool FILE [--pool FILE ...]\n\n"
	             "List the map's CPU models in map order (the order virsh cpu-models uses).\n"
	             "  --arch ARCH  x86 (default), ppc64 or arm\n"
	             "  --tree       show the inheritance tree; in a flat map (libvirt's split\n"
	             "               map) each model's parent is derived: the same-vendor or\n"
	             "               vendor-neutral model whose features are the largest proper\n"
	             "               subset of its own.  Derived edges are marked '*'.\n"
	             "  --pool FILE  hosts (repeatable; any file 'compare --pool' reads): after\n"
	             "               each model, how many hosts can run it as a plain guest\n"
	             "               (no features listed) and the first hosts that cannot\n"
	             "  --qemu       after each model, whether QEMU 7.2 has it (libvirt starts\n"
	             "               another model for one it lacks)\n"
	             "  --verify     ask QEMU itself (started paused): which models it has and\n"
	             "               what the accelerator cannot give each one here; cached\n"
	             "               under $XDG_CACHE_HOME/cpuscope\n"
	             "  --accel A    with --verify: kvm or tcg (default: kvm where usable)\n"
	             "  --qemu-binary PATH  with --verify: the QEMU to ask\n");
}

static void mapdiff_usage(FILE *out)
{
	fprintf(out, "usage: cpuscope mapdiff [--arch ARCH] OLD NEW\n\n"
	             "What changed between two CPU maps (any forms: split directory, legacy\n"
	             "cpu_map.xml, YAML), e.g. the libvirt map before and after an upgrade:\n"
	             "vendors, features and models added or removed, features whose CPUID or\n"
	             "MSR bits moved, and per model the features it gained (+) or lost (-),\n"
	             "inheritance included, and changed vendor, decode flags or signatures.\n"
	             "A model that loses features can stop a guest that names it from\n"
	             "starting, or from migrating to a host with the new map.\n\n"
	             "  --arch ARCH  x86 (default), ppc64 or arm\n\n"
	             "Exit status: 0 the same CPUs, 1 differences (printed), 2 bad input.\n");
}

int cmd_mapdiff(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"arch", required_argument, NULL, 'a'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *arch_name = "x86";
	struct cs_map *maps[2] = {NULL, NULL};
	const struct cs_arch *arch[2];
	struct cs_error err = {0};
	bool changed = false;
	char *text;
	int c, ret = CLI_BAD;

	(void)cli;
	optind = 1;
	while ((c = getopt_long(argc, argv, "a:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			arch_name = optarg;
			break;
		case 'h':
		default:
			return cli_usage_exit(mapdiff_usage, c);
		}
	}
	if (optind + 2 != argc)
		return cli_usage_error(mapdiff_usage, "mapdiff needs two maps, OLD and NEW");
	for (int i = 0; i < 2; i++) {
		maps[i] = cs_map_load(argv[optind + i], &err);
		if (!maps[i]) {
			cli_report(&err);
			goto out;
		}
		arch[i] = cs_map_arch(maps[i], arch_name);
		if (!arch[i]) {
			cli_error("%s has no %s section", argv[optind + i], arch_name);
			goto out;
		}
	}
	text = cs_arch_diff(arch[0], arch[1], &changed);
	fputs(text, stdout);
	free(text);
	ret = changed ? CLI_NEGATIVE : CLI_OK;
out:
	cs_map_free(maps[0]);
	cs_map_free(maps[1]);
	return ret;
}

/* models --pool: each model with the hosts that can run it. */
static int models_pool(const struct cs_map *map, const struct cs_arch *a, char **files,
                       size_t nfiles)
{
	struct cs_pool pool;
	size_t width = 4;
	int ret = CLI_BAD;

	cs_pool_init(&pool, map);
	if (cli_pool_load(&pool, files, nfiles) != CLI_OK)
		goto out;
	if (pool.arch != a) {
		cli_error("the pool's hosts are %s, not %s (use --arch)", pool.arch->name, a->name);
		goto out;
	}
	for (size_t m = 0; m < a->nmodels; m++)
		if (strlen(a->models[m].name) > width)
			width = strlen(a->models[m].name);
	for (size_t m = 0; m < a->nmodels; m++) {
		const struct cs_fset *want = &a->models[m].features;
		size_t runs = cs_pool_model_runs(&pool, (int)m), shown = 0;

		printf("%-*s  %zu of %zu hosts", (int)width, a->models[m].name, runs, pool.n);
		for (size_t i = 0; i < pool.n && runs < pool.n; i++) {
			if (cs_fset_is_subset(want, &pool.hosts[i].facts.features))
				continue;
			if (shown == 3) {
				printf(", ...");
				break;
			}
			printf("%s%s", shown ? ", " : "; not on ", pool.hosts[i].name);
			shown++;
		}
		if (!strcmp(a->name, "x86") && !cs_model_known_to_qemu(a->models[m].name))
			printf("; QEMU 7.2 lacks it: libvirt starts another model, or refuses "
			       "with fallback='forbid'");
		printf("\n");
	}
	ret = CLI_OK;
out:
	cs_pool_release(&pool);
	return ret;
}

int cmd_models(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"arch", required_argument, NULL, 'a'},
	                                     {"tree", no_argument, NULL, 't'},
	                                     {"pool", required_argument, NULL, 'p'},
	                                     {"qemu", no_argument, NULL, 'q'},
	                                     {"verify", no_argument, NULL, 'V'},
	                                     {"accel", required_argument, NULL, 'A'},
	                                     {"qemu-binary", required_argument, NULL, 'B'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *arch_name = NULL, *accel = NULL, *binary = NULL;
	bool tree = false, qemu = false, verify = false;
	struct cs_map *map;
	struct cs_arch *a;
	char **pool_files = NULL;
	size_t npool = 0, pool_cap = 0;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "a:tp:hqVA:B:", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
			qemu = true;
			break;
		case 'V':
			verify = true;
			break;
		case 'A':
			accel = optarg;
			break;
		case 'B':
			binary = optarg;
			break;
		case 'a':
			arch_name = optarg;
			break;
		case 'p':
			CS_GROW(pool_files, pool_cap, npool + 1);
			pool_files[npool++] = optarg;
			break;
		case 't':
			tree = true;
			break;
		case 'h':
		default:
			free(pool_files);
			return cli_usage_exit(models_usage, c);
		}
	}
	if (optind != argc || (npool && tree)) {
		free(pool_files);
		return cli_usage_error(models_usage, npool && tree
		                                             ? "give --pool or --tree, not both"
		                                             : "models takes no operands");
	}
	map = load_arch(cli, arch_name, &a);
	if (!map) {
		free(pool_files);
		return CLI_BAD;
	}
	if (qemu || verify) {
		free(pool_files);
		ret = npool || tree ? cli_usage_error(models_usage, "--qemu and --verify list "
		                                                    "models alone")
		                    : cmd_models_qemu(a, verify, binary, accel, cli->no_cache);
		cs_map_free(map);
		return ret;
	}
	if (npool) {
		ret = models_pool(map, a, pool_files, npool);
		free(pool_files);
		cs_map_free(map);
		return ret;
	}
	if (tree) {
		static const struct tree_glyphs utf8 = {"├─ ", "└─ ", "│  ", "   "};
		static const struct tree_glyphs ascii = {"|- ", "`- ", "|  ", "   "};
		bool any_derived = false;

		setlocale(LC_CTYPE, "");
		cs_arch_derive_tree(a);
		struct tree_kids kids;
		size_t shown;

		tree_kids_build(a, &kids);
		shown = print_subtree(a, &kids, -1, "",
		                      strcmp(nl_langinfo(CODESET), "UTF-8") ? &ascii : &utf8, 0);
		free(kids.first);
		free(kids.next);
		if (a->tree_too_big)
			printf("(%zu models: too many to derive a tree from their features; each "
			       "is shown as a root)\n",
			       a->nmodels);
		if (shown < a->nmodels)
			printf("(%zu more models sit deeper than %d levels; 'cpuscope show MODEL' "
			       "gives each one's parent)\n",
			       a->nmodels - shown, TREE_MAX_DEPTH);
		for (size_t i = 0; i < a->nmodels; i++)
			any_derived |= a->models[i].parent < 0 && a->models[i].derived_parent >= 0;
		if (any_derived)
			printf("\n* derived parent: the map does not say; it is the largest proper "
			       "subset of the model's features.\n(+N) features beyond the "
			       "parent; then the vendor.\n");
	} else {
		for (size_t i = 0; i < a->nmodels; i++)
			printf("%s\n", a->models[i].name);
	}
	cs_map_free(map);
	return CLI_OK;
}

/* ---- show ------------------------------------------------------------------- */

static void show_usage(FILE *out)
{
	fprintf(out, "usage: cpuscope [--map PATH] show [--arch ARCH] MODEL\n\n"
	             "Show a model: vendor, signatures, decode flags, parent, and every feature\n"
	             "it has with its CPUID leaf.subleaf register[bit] or MSR, marked 'own' or\n"
	             "'from MODEL' (inherited; '*' when the parent is derived).\n");
}

/* Edit distance of a and b, ignoring case. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), *row = cs_xcalloc(lb + 1, sizeof(*row)), d;

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], cost = tolower((unsigned char)a[i - 1]) !=
			                           tolower((unsigned char)b[j - 1]);
			size_t best = diag + cost;

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

/* A model by name: exactly, else ignoring case; -1 with the nearest name
 * in *near (NULL when none is close). */
static int find_model(const struct cs_arch *a, const char *name, const char **near)
{
	int mi = cs_arch_find_model(a, name);
	size_t best = SIZE_MAX;

	*near = NULL;
	if (mi >= 0)
		return mi;
	for (size_t i = 0; i < a->nmodels; i++)
		if (!strcasecmp(a->models[i].name, name))
			return (int)i;
	for (size_t i = 0; i < a->nmodels; i++) {
		size_t d = distance(a->models[i].name, name);

		if (d < best) {
			best = d;
			*near = a->models[i].name;
		}
	}
	if (best > strlen(name) / 2 + 1)
		*near = NULL;
	return -1;
}

int cmd_show(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"arch", required_argument, NULL, 'a'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *arch_name = NULL;
	struct cs_map *map;
	struct cs_arch *a;
	const struct cs_model *m;
	const char *near;
	int c, id, mi, parent;
	bool derived;
	unsigned own = 0, total = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "a:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			arch_name = optarg;
			break;
		case 'h':
		default:
			return cli_usage_exit(show_usage, c);
		}
	}
	if (optind + 1 != argc) {
		return cli_usage_error(show_usage, "show needs one MODEL");
	}
	map = load_arch(cli, arch_name, &a);
	if (!map)
		return CLI_BAD;
	mi = find_model(a, argv[optind], &near);
	if (mi < 0) {
		if (near)
			cli_error("unknown CPU model '%s' in arch '%s'; did you mean '%s'?",
			          argv[optind], a->name, near);
		else
			cli_error("unknown CPU model '%s' in arch '%s' (see 'cpuscope models')",
			          argv[optind], a->name);
		cs_map_free(map);
		return CLI_BAD;
	}
	cs_arch_derive_tree(a);
	m = &a->models[mi];
	parent = cs_model_tree_parent(a, m, &derived);
	printf("model:      %s\n", m->name);
	printf("arch:       %s\n", a->name);
	printf("vendor:     %s\n", m->vendor >= 0 ? a->vendors[m->vendor].name : "(any)");
	printf("parent:     %s%s\n", parent >= 0 ? a->models[parent].name : "(none)",
	       derived ? " (derived)" : "");
	printf("decode:     host %s, guest %s\n", m->decode_host ? "on" : "off",
	       m->decode_guest ? "on" : "off");
	printf("signatures:");
	if (!m->nsigs)
		printf(" (none)");
	for (size_t i = 0; i < m->nsigs; i++) {
		char st[64];

		cs_steppings_format(m->sigs[i].steppings, st, sizeof(st));
		printf("%s family %u model %u%s%s", i ? "," : "", m->sigs[i].family,
		       m->sigs[i].model, m->sigs[i].steppings ? " stepping " : "",
		       m->sigs[i].steppings ? st : "");
	}
	printf("\n");
	for (size_t i = 0; i < m->npvrs; i++)
		printf("pvr:        0x%08x%s%.0x\n", m->pvrs[i].value,
		       m->pvrs[i].has_mask ? " mask 0x" : "",
		       m->pvrs[i].has_mask ? m->pvrs[i].mask : 0);
	cs_fset_foreach (id, &m->features) {
		total++;
		own += cs_model_feature_origin(a, mi, (unsigned)id) == mi;
	}
	if (!strcmp(a->name, "x86")) {
		struct cs_fset q;
		char level[400];
		int lv = cs_x86_level_describe(a, &m->features, level, sizeof(level));
		printf("level:      %s", level);
		if (cs_qemu_model_features(a, mi, &q)) {
			int ql = cs_x86_level(a, &q, NULL);
			if (ql != lv)
				printf("; QEMU 7.2's %s is %s", m->name, cs_x86_level_name(ql));
		}
		printf("\n");
	}
	printf("features:   %u (%u own, %u inherited)\n", total, own, total - own);
	cs_fset_foreach (id, &m->features) {
		const struct cs_feature *f = &a->features[id];
		int origin = cs_model_feature_origin(a, mi, (unsigned)id);
		char loc[160];

		cs_feature_location(f, loc, sizeof(loc));
		if (origin == mi)
			printf("  %-22s %-28s own\n", f->name, loc);
		else
			printf("  %-22s %-28s from %s%s\n", f->name, loc, a->models[origin].name,
			       derived ? " *" : "");
	}
	cs_map_free(map);
	return CLI_OK;
}

/* ---- features ----------------------------------------------------------------- */

static void features_usage(FILE *out)
{
	fprintf(out, "usage: cpuscope [--map PATH] features [--arch ARCH] [--model MODEL]\n\n"
	             "List features in map order with their CPUID or MSR location; with --model\n"
	             "only the features that model has.\n");
}

int cmd_features(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"arch", required_argument, NULL, 'a'},
	                                     {"model", required_argument, NULL, 'm'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *arch_name = NULL, *model = NULL;
	struct cs_map *map;
	struct cs_arch *a;
	int c, mi = -1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "a:m:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			arch_name = optarg;
			break;
		case 'm':
			model = optarg;
			break;
		case 'h':
		default:
			return cli_usage_exit(features_usage, c);
		}
	}
	if (optind != argc) {
		return cli_usage_error(features_usage, "features takes no FILE");
	}
	map = load_arch(cli, arch_name, &a);
	if (!map)
		return CLI_BAD;
	if (model) {
		const char *near;

		mi = find_model(a, model, &near);
		if (mi < 0) {
			cli_error("unknown CPU model '%s' in arch '%s'%s%s%s", model, a->name,
			          near ? "; did you mean '" : "", near ? near : "",
			          near ? "'?" : "");
			cs_map_free(map);
			return CLI_BAD;
		}
	}
	for (size_t i = 0; i < a->nfeatures; i++) {
		const struct cs_feature *f = &a->features[i];
		char loc[160];

		if (mi >= 0 && !cs_fset_test(&a->models[mi].features, (unsigned)i))
			continue;
		cs_feature_location(f, loc, sizeof(loc));
		printf("%-22s %s%s\n", f->name, loc, f->migratable ? "" : "  (not migratable)");
	}
	cs_map_free(map);
	return CLI_OK;
}

/* ---- convert ---------------------------------------------------------------------- */

static void convert_usage(FILE *out)
{
	fprintf(out, "usage: cpuscope convert IN OUT\n\n"
	             "Read a CPU map in any form (libvirt cpu_map/ directory or index.xml, legacy\n"
	             "cpu_map.xml, cpuscope YAML) and write it to OUT: cpuscope YAML when OUT\n"
	             "ends in .yaml or .yml, a legacy single-file cpu_map.xml when it ends in\n"
	             ".xml.  OUT is replaced atomically; on failure it is left as it was.\n");
}

int cmd_convert(struct cli *cli, int argc, char **argv)
{
	struct cs_error err = {0};
	struct cs_map *map;
	int rc;

	(void)cli;
	if (cli_wants_help(argc, argv)) {
		convert_usage(stdout);
		return CLI_OK;
	}
	if (argc != 3) {
		return cli_usage_error(convert_usage, "convert needs INPUT and OUTPUT");
	}
	map = cs_map_load(argv[1], &err);
	if (!map) {
		cli_report(&err);
		return CLI_BAD;
	}
	rc = cs_map_save(map, argv[2], &err);
	cs_map_free(map);
	if (rc < 0) {
		cli_report(&err);
		return CLI_BAD;
	}
	return CLI_OK;
}
