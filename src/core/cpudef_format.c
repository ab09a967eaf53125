/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cpudef_format.c: write a <cpu> definition as libvirt 9.0 formats it */
#include "cpuscope/cpudef.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* Copy a kept element, moving its continuation lines from the source
 * indentation to the new one. */
static void format_raw(struct cs_buf *b, const struct cs_cpu_raw *r, unsigned indent)
{
	const char *s = r->text;
	size_t ilen = r->indent ? strlen(r->indent) : 0;

	cs_buf_indent(b, indent);
	for (;;) {
		const char *nl = strchr(s, '\n');

		if (!nl) {
			cs_buf_add(b, s);
			break;
		}
		cs_buf_addn(b, s, (size_t)(nl + 1 - s));
		s = nl + 1;
		if (r->indent && !strncmp(s, r->indent, ilen)) {
			s += ilen;
			cs_buf_indent(b, indent);
		}
	}
	cs_buf_add(b, "\n");
}

static void format_raw_slot(struct cs_buf *b, const struct cs_cpudef *def, enum cs_cpu_slot slot,
                            unsigned indent)
{
	for (size_t i = 0; i < def->nraw; i++)
		if (def->raw[i].slot == slot)
			format_raw(b, &def->raw[i], indent);
}

char *cs_cpudef_format(const struct cs_cpudef *def, unsigned indent)
{
	struct cs_buf attrs = {0}, kids = {0}, out = {0};
	unsigned ci = indent + 2;
	bool guest = def->type == CS_CPU_TYPE_GUEST;
	bool format_model = def->mode == CS_CPU_MODE_CUSTOM || def->mode == CS_CPU_MODE_HOST_MODEL;
	const char *model = cs_cpudef_model_name(def);

	if (guest && (def->mode != CS_CPU_MODE_CUSTOM || model)) {
		cs_buf_addf(&attrs, " mode='%s'", cs_cpu_mode_name(def->mode));
		if (def->mode == CS_CPU_MODE_CUSTOM)
			cs_buf_addf(&attrs, " match='%s'", cs_cpu_match_name(def->match));
		if (def->check != CS_CPU_CHECK_DEFAULT)
			cs_buf_addf(&attrs, " check='%s'", cs_cpu_check_name(def->check));
		if ((def->mode == CS_CPU_MODE_HOST_PASSTHROUGH ||
		     def->mode == CS_CPU_MODE_MAXIMUM) &&
		    def->migratable != CS_TRISTATE_DEFAULT)
			cs_buf_addf(&attrs, " migratable='%s'",
			            def->migratable == CS_TRISTATE_ON ? "on" : "off");
	}

	if (!guest && def->arch_name) {
		cs_buf_indent(&kids, ci);
		cs_buf_add(&kids, "<arch>");
		cs_buf_add_escaped(&kids, def->arch_name);
		cs_buf_add(&kids, "</arch>\n");
	}
	if (format_model && (model || def->vendor_id)) {
		cs_buf_indent(&kids, ci);
		cs_buf_add(&kids, "<model");
		if (guest && model)
			cs_buf_addf(&kids, " fallback='%s'", cs_cpu_fallback_name(def->fallback));
		if (guest && def->vendor_id) {
			cs_buf_add(&kids, " vendor_id='");
			cs_buf_add_escaped(&kids, def->vendor_id);
			cs_buf_add(&kids, "'");
		}
		if (model) {
			cs_buf_add(&kids, ">");
			cs_buf_add_escaped(&kids, model);
			cs_buf_add(&kids, "</model>\n");
		} else {
			cs_buf_add(&kids, "/>\n");
		}
	}
	if (format_model && def->vendor) {
		cs_buf_indent(&kids, ci);
		cs_buf_add(&kids, "<vendor>");
		cs_buf_add_escaped(&kids, def->vendor);
		cs_buf_add(&kids, "</vendor>\n");
	}
	format_raw_slot(&kids, def, CS_CPU_SLOT_HOSTINFO, ci);
	if (def->has_topology && def->sockets && def->dies && def->cores && def->threads) {
		cs_buf_indent(&kids, ci);
		cs_buf_addf(&kids, "<topology sockets='%u' dies='%u'", def->sockets, def->dies);
		if (def->clusters)
			cs_buf_addf(&kids, " clusters='%u'", def->clusters);
		cs_buf_addf(&kids, " cores='%u' threads='%u'/>\n", def->cores, def->threads);
	}
	format_raw_slot(&kids, def, CS_CPU_SLOT_BEFORE_FEATURES, ci);
	for (size_t i = 0; i < def->nfeatures; i++) {
		cs_buf_indent(&kids, ci);
		if (guest && def->features[i].policy != CS_POLICY_NONE)
			cs_buf_addf(&kids, "<feature policy='%s' name='%s'/>\n",
			            cs_policy_name(def->features[i].policy),
			            cs_cpudef_feature_name(def, i));
		else if (guest)
			cs_buf_addf(&kids, "<feature policy='require' name='%s'/>\n",
			            cs_cpudef_feature_name(def, i));
		else
			cs_buf_addf(&kids, "<feature name='%s'/>\n",
			            cs_cpudef_feature_name(def, i));
	}
	format_raw_slot(&kids, def, CS_CPU_SLOT_AFTER_FEATURES, ci);

	if (attrs.len || kids.len) {
		cs_buf_indent(&out, indent);
		cs_buf_add(&out, "<cpu");
		if (attrs.len)
			cs_buf_add(&out, attrs.s);
		if (kids.len) {
			cs_buf_add(&out, ">\n");
			cs_buf_add(&out, kids.s);
			cs_buf_indent(&out, indent);
			cs_buf_add(&out, "</cpu>\n");
		} else {
			cs_buf_add(&out, "/>\n");
		}
	}
	free(attrs.s);
	free(kids.s);
	return cs_buf_detach(&out);
}
