/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_models_qemu.c: 'models --qemu' and 'models --verify': which models QEMU has, and can give */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_cpu.h"
#include "cpuscope/host.h"
#include "cpuscope/qmp.h"
#include "cpuscope/versions.h"

/* The map's name for a QEMU feature name. */
static const char *libvirt_name(const char *qemu)
{
	return cs_qemu_version_feature_from_qemu(NULL, qemu);
}

static void print_unavailable(const struct cs_qemu_model *qm)
{
	if (!qm->nunavailable) {
		printf("usable");
		return;
	}
	printf("not usable here, %zu feature%s missing:", qm->nunavailable,
	       qm->nunavailable == 1 ? "" : "s");
	for (size_t i = 0; i < qm->nunavailable; i++)
		printf(" %s", libvirt_name(qm->unavailable[i]));
}

int cmd_models_qemu(const struct cs_arch *a, bool verify, const char *binary, const char *accel,
                    bool no_cache)
{
	struct cs_qemu_opts o = {0};
	struct cs_qemu_info *info = NULL;
	struct cs_error err = {0};
	size_t width = 4;

	if (strcmp(a->name, "x86") != 0) {
		cli_error("QEMU's models are known for x86 only");
		return CLI_BAD;
	}
	if (verify) {
		o.binary = binary;
		o.accel = accel;
		o.no_cache = no_cache;
		if (cs_qemu_probe(&o, &info, &err) < 0) {
			cli_report(&err);
			return CLI_BAD;
		}
		printf("# QEMU %s (%s), accelerator %s%s\n", info->version, info->binary,
		       info->accel, info->from_cache ? ", from the cache" : "");
	}
	for (size_t m = 0; m < a->nmodels; m++)
		if (strlen(a->models[m].name) > width)
			width = strlen(a->models[m].name);
	for (size_t m = 0; m < a->nmodels; m++) {
		const char *name = a->models[m].name;
		const struct cs_qemu_model *qm = info ? cs_qemu_info_find(info, name) : NULL;

		printf("%-*s  ", (int)width, name);
		if (info && qm)
			print_unavailable(qm);
		else if ((info && !qm) || !cs_model_known_to_qemu(name))
			printf("QEMU %s lacks it: libvirt starts another model, or refuses with "
			       "fallback='forbid'",
			       info ? info->version : "7.2");
		else
			printf("QEMU 7.2 has it");
		printf("\n");
	}
	cs_qemu_info_free(info);
	return CLI_OK;
}
