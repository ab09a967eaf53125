/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* compare.c: libvirt 9.0's x86 CPU comparison (virsh cpu-compare) over feature sets */
#include "cpuscope/compare.h"

#include <stdlib.h>
#include <string.h>

#include "cpudef_int.h"
#include "cpuscope/versions.h"
#include "strbuf.h"

const char *cs_compat_name(enum cs_compat c)
{
	switch (c) {
	case CS_COMPAT_IDENTICAL:
		return "identical";
	case CS_COMPAT_SUPERSET:
		return "superset";
	case CS_COMPAT_INCOMPATIBLE:
		return "incompatible";
	}
	return "";
}

static bool is_x86_arch(const char *name)
{
	return !strcmp(name, "x86_64") || !strcmp(name, "i686");
}

int cs_compare(const struct cs_cpudef *host, const struct cs_cpudef *guest,
               struct cs_compare_result *res, struct cs_error *err)
{
	const struct cs_fset *pol = guest->by_policy;
	struct cs_fset require, req, diff;
	const struct cs_arch *arch;

	memset(res, 0, sizeof(*res));
	res->arch = host ? host->arch : NULL;
	if (!host || !cs_cpudef_model_name(host)) {
		res->compat = CS_COMPAT_INCOMPATIBLE;
		res->reason = CS_REASON_NO_HOST;
		return 0;
	}
	if (!host->arch || strcmp(host->arch->name, "x86") != 0) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, host->file, host->line,
		             "cannot compare CPUs of %s architecture",
		             host->arch_name ? host->arch_name : "this");
		return -1;
	}
	arch = host->arch;
	if (guest->type == CS_CPU_TYPE_HOST && guest->arch_name && !is_x86_arch(guest->arch_name)) {
		res->compat = CS_COMPAT_INCOMPATIBLE;
		res->reason = CS_REASON_ARCH;
		res->name = guest->arch_name;
		return 0;
	}
	if (cs_cpudef_check_resolved(host, err) < 0 || cs_cpudef_check_resolved(guest, err) < 0)
		return -1;
	if (guest->arch != arch) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, guest->file, guest->line,
		             "the guest and host CPUs use different maps");
		return -1;
	}

	/* The host: its model and present features, less what it disables. */
	cs_fset_zero(&res->host);
	if (host->model >= 0)
		res->host = arch->models[host->model].features;
	cs_fset_union(&res->host, &res->host, &host->by_policy[CS_POLICY_FORCE]);
	cs_fset_union(&res->host, &res->host, &host->by_policy[CS_POLICY_REQUIRE]);
	cs_fset_union(&res->host, &res->host, &host->by_policy[CS_POLICY_NONE]);
	cs_fset_diff(&res->host, &res->host, &host->by_policy[CS_POLICY_DISABLE]);
	cs_fset_diff(&res->host, &res->host, &host->by_policy[CS_POLICY_FORBID]);

	/* The guest's required set includes its model; a host-type guest
	 * requires every listed feature and has no other policy. */
	cs_fset_zero(&require);
	if (guest->model >= 0)
		require = arch->models[guest->model].features;
	cs_fset_union(&require, &require, &pol[CS_POLICY_REQUIRE]);
	cs_fset_union(&require, &require, &pol[CS_POLICY_NONE]);

	cs_fset_intersect(&res->forbidden, &pol[CS_POLICY_FORBID], &res->host);
	req = require;
	cs_fset_diff(&req, &req, &pol[CS_POLICY_FORCE]);
	cs_fset_diff(&req, &req, &pol[CS_POLICY_OPTIONAL]);
	cs_fset_diff(&req, &req, &pol[CS_POLICY_DISABLE]);
	cs_fset_diff(&res->missing, &req, &res->host);
	diff = res->host;
	cs_fset_diff(&diff, &diff, &pol[CS_POLICY_OPTIONAL]);
	cs_fset_diff(&diff, &diff, &req);
	cs_fset_diff(&diff, &diff, &pol[CS_POLICY_DISABLE]);
	cs_fset_diff(&diff, &diff, &pol[CS_POLICY_FORCE]);
	res->extra = diff;

	if (guest->vendor && (!host->vendor || strcmp(guest->vendor, host->vendor) != 0)) {
		res->compat = CS_COMPAT_INCOMPATIBLE;
		res->reason = CS_REASON_VENDOR;
		res->name = guest->vendor;
	} else if (!cs_fset_is_empty(&res->forbidden)) {
		res->compat = CS_COMPAT_INCOMPATIBLE;
		res->reason = CS_REASON_FORBIDDEN;
		res->features = res->forbidden;
	} else if (!cs_fset_is_empty(&res->missing)) {
		res->compat = CS_COMPAT_INCOMPATIBLE;
		res->reason = CS_REASON_MISSING;
		res->features = res->missing;
	} else if (cs_fset_is_empty(&diff)) {
		res->compat = CS_COMPAT_IDENTICAL;
	} else if (guest->type == CS_CPU_TYPE_GUEST && guest->match == CS_CPU_MATCH_STRICT) {
		res->compat = CS_COMPAT_INCOMPATIBLE;
		res->reason = CS_REASON_STRICT;
		res->features = diff;
	} else {
		res->compat = CS_COMPAT_SUPERSET;
	}
	return 0;
}

char *cs_compare_message(const struct cs_compare_result *res)
{
	const struct cs_libvirt_version *lv = cs_libvirt_version_default();
	struct cs_buf b = {0};
	const char *prefix = NULL;
	char msg[512];

	switch (res->reason) {
	case CS_REASON_NONE:
		break;
	case CS_REASON_NO_HOST:
		cs_buf_add(&b, cs_libvirt_msg(lv, CS_LIBVIRT_MSG_UNKNOWN_HOST));
		break;
	case CS_REASON_ARCH:
		cs_libvirt_msg_format(msg, sizeof(msg), lv, CS_LIBVIRT_MSG_ARCH_MISMATCH,
		                      res->name ? res->name : "");
		cs_buf_add(&b, msg);
		break;
	case CS_REASON_VENDOR:
		cs_libvirt_msg_format(msg, sizeof(msg), lv, CS_LIBVIRT_MSG_VENDOR_MISMATCH,
		                      res->name ? res->name : "");
		cs_buf_add(&b, msg);
		break;
	case CS_REASON_FORBIDDEN:
		prefix = cs_libvirt_msg(lv, CS_LIBVIRT_MSG_FORBIDDEN_FEATURES);
		break;
	case CS_REASON_MISSING:
		prefix = cs_libvirt_msg(lv, CS_LIBVIRT_MSG_MISSING_FEATURES);
		break;
	case CS_REASON_STRICT:
		prefix = cs_libvirt_msg(lv, CS_LIBVIRT_MSG_STRICT_EXTRA_FEATURES);
		break;
	}
	if (prefix) {
		/* libvirt joins the reason and the feature list with ": " */
		cs_buf_add(&b, prefix);
		cs_buf_add(&b, ": ");
		if (res->arch) {
			char *list = cs_arch_feature_list(res->arch, &res->features, ", ");

			cs_buf_add(&b, list);
			free(list);
		}
	}
	return cs_buf_detach(&b);
}
