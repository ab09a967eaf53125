/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libvirt_lib.c: libvirt's client library, loaded when a connection is first opened */
#include "libvirt_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The library's run-time name, as its Debian package (libvirt0) installs it. */
#define LIBVIRT_SONAME "libvirt.so.0"

struct cs_libvirt cs_lv;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[300]; /* why it could not be loaded */
static bool loaded;

/* libvirt's default handler prints every error on stderr; errors are read
 * back with virGetLastError instead. */
static void ignore_error(void *opaque, virErrorPtr e)
{
	(void)opaque;
	(void)e;
}

/* The address of symbol name in h, stored into *slot (a pointer's size). */
static int resolve(void *h, const char *name, void *slot)
{
	void *p = dlsym(h, name);

	if (!p) {
		snprintf(load_error, sizeof(load_error), "%s lacks %s", LIBVIRT_SONAME, name);
		return -1;
	}
	memcpy(slot, &p, sizeof(p));
	return 0;
}

static void load(void)
{
	void *h = dlopen(LIBVIRT_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		const char *why = dlerror();

		snprintf(load_error, sizeof(load_error),
		         "libvirt's client library cannot be loaded (%s); it comes with the "
		         "libvirt0 "
		         "package",
		         why ? why : LIBVIRT_SONAME);
		return;
	}
#define CS_LIBVIRT_RESOLVE(f)                                                                      \
	if (resolve(h, #f, &cs_lv.f) < 0)                                                          \
		return;
	CS_LIBVIRT_FUNCS(CS_LIBVIRT_RESOLVE)
#undef CS_LIBVIRT_RESOLVE
	if (resolve(h, "virConnectAuthPtrDefault", &cs_lv.virConnectAuthPtrDefault) < 0)
		return;
	if (cs_lv.virInitialize() < 0) {
		snprintf(load_error, sizeof(load_error),
		         "libvirt's client library did not initialise");
		return;
	}
	cs_lv.virSetErrorFunc(NULL, ignore_error);
	loaded = true;
}

int cs_libvirt_load(struct cs_error *err)
{
	pthread_once(&load_once, load);
	if (!loaded) {
		cs_error_set(err, CS_ERR_SYSTEM, NULL, 0, "%s", load_error);
		return -1;
	}
	return 0;
}
