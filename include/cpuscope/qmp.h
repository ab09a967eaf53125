/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qmp.h: ask the real QEMU over QMP which CPUs it has and what a -cpu gives */
#ifndef CPUSCOPE_QMP_H
#define CPUSCOPE_QMP_H

#include <stdbool.h>
#include <stddef.h>

#include "cpuscope/error.h"

/* json-c's value type; only pointers to it appear here. */
struct json_object;

/* ---- Talking to one QEMU process ------------------------------------ */

/* A running QEMU with its QMP monitor on a private socket.  The functions
 * below need a non-NULL handle, except cs_qmp_free(). */
struct cs_qmp;

/* Start binary (a path, not looked up on PATH) with the arguments args[0..nargs)
 * (each one argv element, never given to a shell) plus a QMP monitor on a
 * socket pair, read QEMU's greeting and enter command mode with
 * qmp_capabilities.  Every wait, up to cs_qmp_stop(), is bounded by
 * timeout_ms from now; stopping a QEMU that overran takes at most half a
 * second more.
 *
 * Returns 0 and a handle in *out when the monitor is ready, and also when
 * QEMU exited before it was (it refused its command line: then
 * cs_qmp_has_exited() is true and cs_qmp_stderr() says why).  Returns -1,
 * with *out NULL and err naming the binary, when it cannot be run, sends
 * something other than QMP, or does not answer in time; no process is left
 * behind then.  binary and out must not be NULL; args may be NULL when
 * nargs is 0.  The caller frees the handle with cs_qmp_free(). */
int cs_qmp_start(const char *binary, const char *const *args, size_t nargs, unsigned timeout_ms,
                 struct cs_qmp **out, struct cs_error *err);

/* Run command with args (a JSON object, or NULL for none; borrowed, not
 * consumed) and wait for its reply, skipping QEMU's asynchronous events.
 * Returns 0 with *ret set to the reply's "return" value (a new reference:
 * the caller releases it with json_object_put()), or -1 with *ret NULL:
 * QEMU answered with an error (err->code CS_ERR_UNSUPPORTED, with QEMU's
 * description; the monitor stays usable), or the channel failed, QEMU
 * exited (cs_qmp_has_exited() then true) or the time ran out (CS_ERR_IO). */
int cs_qmp_command(struct cs_qmp *q, const char *command, struct json_object *args,
                   struct json_object **ret, struct cs_error *err);

/* The two halves of cs_qmp_command(), so that several commands can be sent
 * before their replies are read (QEMU answers in order).  cs_qmp_send()
 * sends command with args (borrowed; NULL for none) and returns its id in
 * *id; cs_qmp_reply() waits for the reply to id, which must be the next one,
 * and returns as cs_qmp_command() does.  A QMP error reply names the command
 * by its id. */
int cs_qmp_send(struct cs_qmp *q, const char *command, struct json_object *args, unsigned long *id,
                struct cs_error *err);
int cs_qmp_reply(struct cs_qmp *q, unsigned long id, struct json_object **ret,
                 struct cs_error *err);

/* QEMU's greeting ({"QMP": {...}}), borrowed from q; NULL if QEMU exited
 * before sending one. */
struct json_object *cs_qmp_greeting(const struct cs_qmp *q);

/* True once QEMU has closed the channel or exited on its own. */
bool cs_qmp_has_exited(const struct cs_qmp *q);

/* What QEMU wrote on standard error and standard output so far (the first
 * 64 KiB), NUL-terminated, borrowed from q.  Complete after cs_qmp_stop(). */
const char *cs_qmp_stderr(const struct cs_qmp *q);

/* End QEMU: ask it to quit over QMP, and if it has not gone within a short
 * grace time (or the deadline has passed) send SIGTERM, then SIGKILL, to its
 * process group; always reap it.  Reads the rest of its standard error.
 * Calling it again does nothing; commands fail after it.  Returns QEMU's
 * wait status. */
int cs_qmp_stop(struct cs_qmp *q);

/* Stop QEMU as cs_qmp_stop() does and free q.  NULL does nothing. */
void cs_qmp_free(struct cs_qmp *q);

/* ---- Questions to QEMU ----------------------------------------------- */

/* How to run QEMU.  A zeroed struct asks for every default. */
struct cs_qemu_opts {
	const char *binary;    /* NULL: qemu-system-x86_64 found on PATH; a name
	                          without '/' is looked up on PATH too */
	const char *accel;     /* "kvm", "tcg", or NULL: kvm where /dev/kvm opens
	                          read-write, else tcg */
	const char *machine;   /* NULL: "pc" (a real machine type: -machine none
	                          cannot create an x86 vCPU) */
	unsigned timeout_ms;   /* 0: CS_QEMU_TIMEOUT_MS; bounds the whole exchange */
	const char *cache_dir; /* NULL: $XDG_CACHE_HOME/cpuscope, else ~/.cache/cpuscope */
	bool no_cache;         /* neither read nor write the cache */
};

#define CS_QEMU_TIMEOUT_MS 20000u

/* One CPU model as query-cpu-definitions lists it. */
struct cs_qemu_model {
	char *name;
	char **unavailable; /* QEMU's names of the features this accelerator and
	                       host cannot give the model, sorted */
	size_t nunavailable;
	bool deprecated;
	char *alias_of; /* the versioned model this name stands for, or NULL */
	bool migration_safe;
};

/* What query-version and query-cpu-definitions say. */
struct cs_qemu_info {
	char *binary;  /* the binary's real path */
	char *version; /* "7.2.22" */
	char *package; /* the distribution's package string, may be "" */
	char *accel;   /* the accelerator used: "kvm" or "tcg" */
	char *machine;
	int major, minor, micro;
	struct cs_qemu_model *models; /* in QEMU's order */
	size_t nmodels;
	bool from_cache; /* read from the cache rather than asked of QEMU */
};

/* Ask QEMU (started paused with its default CPU) its version and its CPU
 * models, or read the answer from the cache when its key matches: the
 * binary's real path, size, inode, mtime and ctime, the accelerator, the
 * machine type and the kernel release.  o may be NULL (all defaults).
 * Returns 0 with *out (the caller's, freed with cs_qemu_info_free()), or -1
 * with *out NULL and err set: the binary is missing, exits, does not answer
 * in time or does not speak QMP.  A cache that cannot be written is not an
 * error. */
int cs_qemu_probe(const struct cs_qemu_opts *o, struct cs_qemu_info **out, struct cs_error *err);

/* Free info and everything in it.  NULL does nothing. */
void cs_qemu_info_free(struct cs_qemu_info *info);

/* The model called name (exact, case-sensitive), borrowed from info, or NULL
 * when QEMU has none such or info or name is NULL. */
const struct cs_qemu_model *cs_qemu_info_find(const struct cs_qemu_info *info, const char *name);

/* What QEMU makes of one -cpu argument. */
struct cs_qemu_verify {
	bool started;    /* QEMU created the vCPU */
	char *message;   /* QEMU's refusal (its stderr, trimmed) when !started, else NULL */
	char *version;   /* "7.2.22" from QEMU's greeting; NULL if it sent none */
	char **warnings; /* QEMU's warning lines, without the "BINARY: warning: " prefix */
	size_t nwarnings;
	char **enabled; /* feature properties that are true on the vCPU (sorted,
	                   QEMU's canonical spelling; alias spellings, QEMU's own
	                   switches such as check or pmu, x-* properties and the
	                   Hyper-V enlightenments hv-* left out) */
	size_t nenabled;
	char **filtered; /* features QEMU filtered out, QEMU's names, sorted */
	size_t nfiltered;
	unsigned filtered_bits; /* bits set in the vCPU's filtered-features words
	                           (CPUID words only: 0 means none of those) */
	bool from_cache;
};

/* Start QEMU paused with -cpu cpu_arg (one argument, passed as it is) and
 * read the vCPU back: its boolean feature properties and what QEMU filtered
 * out, taken as the union of the vCPU's unavailable-features list, the
 * features named by QEMU's "doesn't support requested feature" warnings,
 * and the features cpu_arg turns on ("name=on", "+name" or a bare "name")
 * that read false.  A QEMU that refuses cpu_arg and exits is an answer:
 * out->started is false and out->message says why, and 0 is returned.
 * Results are cached like cs_qemu_probe()'s, keyed also by cpu_arg.
 *
 * o may be NULL.  out is initialised here; on success the caller releases
 * it with cs_qemu_verify_release().  Returns -1 with err set (and out left
 * empty) when QEMU cannot be run, does not answer or answers garbage. */
int cs_qemu_verify_cpu(const struct cs_qemu_opts *o, const char *cpu_arg,
                       struct cs_qemu_verify *out, struct cs_error *err);

/* Free what v holds and zero it; v itself is not freed.  NULL does nothing. */
void cs_qemu_verify_release(struct cs_qemu_verify *v);

#endif
