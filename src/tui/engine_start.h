/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* engine_start.h: the explorer's start verdict, and QEMU asked off the input loop */
#ifndef CPUSCOPE_TUI_ENGINE_START_H
#define CPUSCOPE_TUI_ENGINE_START_H

#include <pthread.h>
#include <stdbool.h>

#include "cpuscope/error.h"
#include "cpuscope/qmp.h"
#include "cpuscope/start.h"
#include "tui/engine.h"

/* Asking QEMU about one -cpu, on a thread of its own. */
struct engine_verify_job {
	pthread_t thread;
	bool started;      /* a thread was created (join it) */
	volatile int done; /* the thread has finished (read after join) */
	char *arg;         /* the -cpu asked about (owned) */
	char accel[8];
	bool no_cache;
	struct cs_qemu_verify answer;
	struct cs_error err;
	int rc;
};

/* The start verdict of the explorer's guest, and QEMU's own answer. */
struct engine_start {
	bool ok;                   /* hv describes the host */
	char why[520];             /* why not, when !ok */
	struct cs_hypervisor hv;   /* owned */
	struct cs_start_verdict v; /* the prediction (owned) */
	bool have_q;               /* q is QEMU's answer for the current guest */
	struct cs_start_verdict q; /* with QEMU's answer (owned) */
	struct engine_verify_job job;
	char *q_arg; /* the -cpu QEMU answered for (owned) */
};

/* Describe the host for the start verdict: the CPU (capabilities' view)
 * and what KVM gives; a KVM domain is assumed. */
void engine_start_setup(struct engine_start *s, const struct cs_map *map,
                        const struct app_host *cpu, const struct app_host *kvm);
/* When path is a `virsh domcapabilities` file, describe the host from it
 * instead (libvirt's own word: host-model, QEMU's models and blockers, the
 * domain type), with cpu as the capabilities' CPU when known. */
void engine_start_setup_file(struct engine_start *s, const struct cs_map *map, const char *path,
                             const struct app_host *cpu);
/* Judge def (vcpus: the domain's <vcpu>, 0 unknown); QEMU's answer stays
 * only while the -cpu it answered for is still the guest's. */
void engine_start_judge(struct engine_start *s, const struct cs_cpudef *def, unsigned vcpus);
/* Free everything, waiting for a running QEMU question to end. */
void engine_start_release(struct engine_start *s);

/* One line: "starts", "starts without pni", "refused by libvirt: ...";
 * from QEMU's answer when there is one.  Into buf. */
void engine_start_text(const struct engine_start *s, const struct cs_arch *arch, bool from_qemu,
                       char *buf, size_t size);

/* The start verdict of a guest in mode (host-model, host-passthrough)
 * and nothing else, as the CLI gives it (cs_start_verdict): its outcome,
 * or -1 when the host is not known well enough; the words into buf. */
int engine_start_mode(const struct engine_start *s, const struct cs_map *map,
                      const struct cs_arch *arch, enum cs_cpu_mode mode, char *buf, size_t size);

/* Start asking QEMU about the current guest's -cpu: 1 started, 0 nothing
 * to ask (libvirt refuses before QEMU starts, or there is no -cpu), -1
 * already asking.  no_cache: neither read nor keep the answer in the cache. */
int engine_verify_begin(struct engine_start *s, bool no_cache);
/* Whether a question to QEMU is under way. */
bool engine_verify_running(const struct engine_start *s);
/* Collect a finished question: true when QEMU's answer (or the failure to
 * ask it, in *err) came in; def is the guest now (re-judged with it). */
bool engine_verify_poll(struct engine_start *s, const struct cs_cpudef *def, unsigned vcpus,
                        struct cs_error *err);

#endif
