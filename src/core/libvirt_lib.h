/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libvirt_lib.h: libvirt's client library, loaded when a connection is first opened */
#ifndef CPUSCOPE_LIBVIRT_LIB_H
#define CPUSCOPE_LIBVIRT_LIB_H

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "cpuscope/error.h"

/* The client library (libvirt.so.0, Debian's libvirt0) is loaded on the
 * first connection, not at program start: it pulls in some sixty shared
 * libraries, which would cost every command tens of milliseconds whether
 * it connects or not.  The functions keep their prototypes from
 * libvirt-dev's headers; calls go through cs_lv. */
#define CS_LIBVIRT_FUNCS(X)                                                                        \
	X(virInitialize)                                                                           \
	X(virSetErrorFunc)                                                                         \
	X(virGetLastError)                                                                         \
	X(virResetLastError)                                                                       \
	X(virConnectOpenAuth)                                                                      \
	X(virConnectClose)                                                                         \
	X(virConnectGetURI)                                                                        \
	X(virConnectGetHostname)                                                                   \
	X(virConnectGetCapabilities)                                                               \
	X(virConnectGetDomainCapabilities)                                                         \
	X(virConnectCompareHypervisorCPU)                                                          \
	X(virConnectBaselineHypervisorCPU)                                                         \
	X(virConnectListAllDomains)                                                                \
	X(virDomainLookupByName)                                                                   \
	X(virDomainLookupByUUIDString)                                                             \
	X(virDomainGetName)                                                                        \
	X(virDomainGetUUIDString)                                                                  \
	X(virDomainGetState)                                                                       \
	X(virDomainGetXMLDesc)                                                                     \
	X(virDomainIsActive)                                                                       \
	X(virDomainIsPersistent)                                                                   \
	X(virDomainDefineXMLFlags)                                                                 \
	X(virDomainFree)

#define CS_LIBVIRT_FIELD(f) __typeof__(f) *f;
struct cs_libvirt {
	CS_LIBVIRT_FUNCS(CS_LIBVIRT_FIELD)
	/* libvirt's default authentication callback (a variable of the library) */
	virConnectAuthPtr *virConnectAuthPtrDefault;
};
#undef CS_LIBVIRT_FIELD

extern struct cs_libvirt cs_lv;

/* Load the library and every function above, once for the process (safe
 * from several threads), then initialise it with its error printing off.
 * 0, or -1 with err saying what is missing. */
int cs_libvirt_load(struct cs_error *err);

#endif
