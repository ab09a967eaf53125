/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_chain.h: YAML maps whose models inherit in one long chain, for the scale tests */
#ifndef CPUSCOPE_TEST_CHAIN_H
#define CPUSCOPE_TEST_CHAIN_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cpuscope/xalloc.h"

/* A map of one feature whose root model m0 has it: the head of a chain. */
#define CHAIN_HEAD                                                                                 \
	"format: cpuscope-map/1\n"                                                                 \
	"arches:\n"                                                                                \
	"- name: x86\n"                                                                            \
	"  features:\n"                                                                            \
	"  - {name: fpu, cpuid: [{eax_in: 1, edx: 1}]}\n"                                          \
	"  models:\n"                                                                              \
	"  - {name: m0, features: [fpu]}\n"

/* head, then models m1 .. m(n-1), each naming m(i-1) as its parent, from m1
 * up (or from m(n-1) down when reversed: every parent named before it is
 * defined), then tail.  *len gets the length; the text is the caller's. */
static inline char *chain_yaml(const char *head, size_t n, bool reversed, const char *tail,
                               size_t *len)
{
	size_t cap = strlen(head) + strlen(tail) + n * 48 + 1;
	char *buf = cs_xmalloc(cap);

	*len = (size_t)snprintf(buf, cap, "%s", head);
	for (size_t k = 1; k < n; k++) {
		size_t i = reversed ? n - k : k;
		*len += (size_t)snprintf(buf + *len, cap - *len, "  - {name: m%zu, parent: m%zu}\n",
		                         i, i - 1);
	}
	*len += (size_t)snprintf(buf + *len, cap - *len, "%s", tail);
	return buf;
}

#endif
