/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pool_edit.c: a pool without one of its hosts, rebuilt through the pool's own reader */
#include "cpuscope/pool_edit.h"

#include <stdlib.h>
#include <string.h>

#include "cpuscope/cpudef.h"
#include "cpuscope/xalloc.h"

/* Host h's CPU as a document the pool reader takes back as the same host:
 * a bare host <cpu>, or for what KVM gives a domcapabilities host-model. */
static char *host_document(const struct cs_pool_host *h, const struct cs_cpudef *cpu)
{
	char *xml = cs_cpudef_format(cpu, 0), *open, *close, *doc;

	if (!h->kvm_view)
		return xml;
	/* the <cpu> element's children, inside <mode name='host-model'> */
	open = strchr(xml, '>');
	close = strstr(xml, "</cpu>");
	if (!open || !close || close < open) {
		free(xml);
		return NULL;
	}
	*close = '\0';
	doc = cs_xasprintf("<domainCapabilities>\n<arch>%s</arch>\n<cpu>\n"
	                   "<mode name='host-model' supported='yes'>%s</mode>\n"
	                   "</cpu>\n</domainCapabilities>\n",
	                   cpu->arch_name ? cpu->arch_name : "x86_64", open + 1);
	free(xml);
	return doc;
}

int cs_pool_without(const struct cs_pool *pool, size_t skip, struct cs_pool *out,
                    struct cs_error *err)
{
	if (pool->arch)
		cs_pool_init_arch(out, pool->map, pool->arch);
	else
		cs_pool_init(out, pool->map);
	for (size_t i = 0; i < pool->n; i++) {
		const struct cs_pool_host *h = &pool->hosts[i];
		const struct cs_cpudef *cpu = pool->hosts[h->same_as].cpu;
		char *doc;
		long n;

		if (i == skip)
			continue;
		doc = cpu ? host_document(h, cpu) : NULL;
		if (!doc) {
			cs_error_set(err, CS_ERR_INVALID, h->name, 0, "cannot copy this host");
			cs_pool_release(out);
			return -1;
		}
		n = cs_pool_add_buffer(out, doc, strlen(doc), h->name, err);
		free(doc);
		if (n != 1) {
			if (n > 1)
				cs_error_set(err, CS_ERR_INVALID, h->name, 0, "copied as %ld hosts",
				             n);
			cs_pool_release(out);
			return -1;
		}
		free(out->hosts[out->n - 1].name);
		out->hosts[out->n - 1].name = cs_xstrdup(h->name);
	}
	return 0;
}
