/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kvm_sys.h: internal: the KVM system ioctls shared by the host MSR source and the kvm probe */
#ifndef CPUSCOPE_KVM_SYS_H
#define CPUSCOPE_KVM_SYS_H

#include <stdint.h>

#include "cpuscope/error.h"

/* Read a feature MSR through the system fd of kvm_path (KVM_GET_MSRS).
 * Fails with CS_ERR_SYSTEM when KVM is absent, unreadable, or does not
 * report that MSR. */
int cs_kvm_read_feature_msr(const char *kvm_path, uint32_t index, uint64_t *value,
                            struct cs_error *err);

#endif
