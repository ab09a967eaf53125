/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pool.h: a pool of hosts, and how one guest CPU fares on each of them */
#ifndef CPUSCOPE_POOL_H
#define CPUSCOPE_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpuscope/compare.h"
#include "cpuscope/cpudef.h"
#include "cpuscope/cpumap.h"
#include "cpuscope/decode.h"
#include "cpuscope/error.h"
#include "cpuscope/fset.h"

/* Largest pool file read (bytes); each CPU in it is parsed on its own. */
#define CS_POOL_MAX_FILE (1024u * 1024u * 1024u)

/* How far reading a file has come. */
struct cs_pool_progress {
	size_t hosts;             /* CPUs read from the file so far */
	unsigned long long bytes; /* bytes read so far */
	unsigned long long total; /* the file's size, 0 when unknown (a pipe) */
	const char *file;         /* the file's name */
};
/* Called as a file is read (every 64 KiB or so, and at its end); returning
 * false cancels the reading (which then fails, leaving the pool as it was). */
typedef bool (*cs_pool_read_fn)(const struct cs_pool_progress *progress, void *opaque);

/* Most hosts a pool holds (each costs a small record and its name). */
#define CS_POOL_MAX_HOSTS 1000000u

/* A distinct host CPU as a pool keeps it: what comparing with it and
 * baselining it read, and nothing else (a pool of 100,000 hosts that all
 * differ must fit in memory).  cs_pool_cpu_def() makes a definition of it. */
struct cs_pool_cpu {
	const char *arch_name; /* its <arch> text, or NULL (held by the pool) */
	const char *file;      /* the file it was read from (held by the pool) */
	unsigned line;         /* of its <cpu> element */
	int model;             /* model id in the pool's arch */
	int vendor;            /* vendor index in the pool's arch, -1 when none named */
	unsigned char type;    /* enum cs_cpu_type */
	unsigned char origin;  /* enum cs_cpu_origin */
	unsigned short count[CS_POLICY_COUNT]; /* features listed with each policy */
	unsigned short ids[];                  /* their ids, policy by policy, each ascending */
};

/* Room for the definition cs_pool_cpu_def() makes (on the stack is fine). */
struct cs_pool_cpu_view {
	struct cs_cpudef def;
	struct cs_cpu_feature features[CS_FSET_MAX];
};

/* One host of a pool. */
struct cs_pool_host {
	char *name; /* the file's base name, "+N" appended when it holds several CPUs */
	/* Its CPU (owned); NULL when same_as is another host: that host's CPU
	 * stands for this one. */
	struct cs_pool_cpu *cpu;
	struct cs_cpu_facts facts; /* its vendor, signature and feature set */
	/* A domcapabilities host-model: what KVM can give (hypervisor-cpu-compare). */
	bool kvm_view;
	/* The first host of the pool whose CPU compares the same as this one's
	 * (same type, model, vendor and features with the same policies); its
	 * own index when it is the first.  Such hosts are compared once. */
	size_t same_as;
	size_t copies;   /* for a first host: how many hosts share its CPU (itself included) */
	size_t distinct; /* its CPU's index among the pool's distinct CPUs */
	uint64_t key;    /* hash of what same_as compares */
};

/* The hosts, in the order they were added.  The map is borrowed and must
 * outlive the pool; every host is over the same architecture section (the
 * first one's). */
struct cs_pool {
	const struct cs_map *map;
	const struct cs_arch *arch; /* of the first host; NULL while empty */
	struct cs_pool_host *hosts;
	size_t n, cap;
	/* have[id]: how many hosts have feature id (kept by cs_pool_add_*). */
	unsigned *have;
	size_t ndistinct; /* hosts that are their own same_as */
	size_t *firsts;   /* those hosts' indices, in order (ndistinct of them) */
	size_t firsts_cap;
	/* Open-addressing table of first hosts by key (idx SIZE_MAX = empty);
	 * the key is kept beside the index, so that a probe reads no host. */
	struct cs_pool_slot {
		uint64_t key;
		size_t idx;
	} * tab;
	size_t tab_cap;
	struct cs_pool_file {
		unsigned long long dev, ino;
		char *name;
	} * files; /* the files read, to notice one given twice */
	size_t nfiles, files_cap;
	char **strs; /* the file and architecture names the CPUs point to */
	size_t nstrs, strs_cap;
};

/* The definition of a pool CPU (as parsed, less the elements no verdict
 * reads: signature, topology, microcode...), made in *view: valid while
 * view and the pool are, and never to be freed. */
const struct cs_cpudef *cs_pool_cpu_def(const struct cs_pool *pool, const struct cs_pool_cpu *cpu,
                                        struct cs_pool_cpu_view *view);
/* Host i's CPU: its own or the first identical host's. */
static inline const struct cs_pool_cpu *cs_pool_host_cpu(const struct cs_pool *pool, size_t i)
{
	return pool->hosts[pool->hosts[i].same_as].cpu;
}

void cs_pool_init(struct cs_pool *pool, const struct cs_map *map);
/* The same, for hosts of arch only (a section of map): a host of another
 * architecture is then refused from the first one on. */
void cs_pool_init_arch(struct cs_pool *pool, const struct cs_map *map, const struct cs_arch *arch);
/* Free the hosts and their definitions; the pool is then empty.  NULL is fine. */
void cs_pool_release(struct cs_pool *pool);

/* Add every host CPU a file describes, recognised by content: bare <cpu>
 * elements one after another (as cpu-baseline takes them), domain XML,
 * `virsh capabilities` (its host CPU), `virsh domcapabilities` (its
 * host-model CPU: what KVM can give a guest there), a libvirt CPUID dump,
 * `cpuid -r` output or a /proc/cpuinfo copy (decoded as virsh capabilities
 * would).  A CPU must name its architecture (<arch>) unless it comes from
 * domcapabilities or raw CPU data, and every host must be of the pool's
 * architecture.  Returns the number of hosts added (>= 1), or -1 with err
 * set (file and line) and the pool as it was. */
long cs_pool_add_file(struct cs_pool *pool, const char *path, struct cs_error *err);
/* cs_pool_add_file(), streaming: the file is read once with libxml2's
 * SAX2 parser, never whole, and only each distinct CPU is kept, compact
 * (copies are counted).  label, when not NULL, names the hosts instead of the
 * file's base name (a domain's hosts are named by its <name>).  fn, when not
 * NULL, is told of the progress and may cancel.  Each file read is
 * remembered (device and inode): cs_pool_file_seen() tells whether a path
 * was read before, for callers that count a file given twice once. */
long cs_pool_add_file_progress(struct cs_pool *pool, const char *path, const char *label,
                               cs_pool_read_fn fn, void *opaque, struct cs_error *err);
/* The name the file path was first added under when it is already in the
 * pool (same device and inode), else NULL. */
const char *cs_pool_file_seen(const struct cs_pool *pool, const char *path);
/* Split a --pool argument: "NAME=FILE" gives the hosts a label, unless the
 * whole argument names an existing file.  *path and *label point into arg
 * (*label NULL when there is none); arg's '=' is replaced by a NUL. */
void cs_pool_split_arg(char *arg, const char **path, const char **label);
/* Every CPU of a file, as the pool reads it (streamed; any host form:
 * <cpu> elements, domain, capabilities, domcapabilities, CPUID dumps,
 * cpuid -r, cpuinfo), handed to fn with the flags of cs_cpudef_parse().
 * "-" is standard input.  The number of CPUs (>= 1), or -1 with err set. */
long cs_cpu_read_file(const struct cs_map *map, const char *path, unsigned flags, cs_cpudef_fn fn,
                      void *ctx, cs_pool_read_fn progress, void *opaque, struct cs_error *err);
/* cs_pool_add_file() for each of files in turn; stops at the first that
 * fails (the hosts of the files before it stay).  0, or -1 with err set. */
int cs_pool_add_files(struct cs_pool *pool, char *const *files, size_t nfiles,
                      struct cs_error *err);
/* The same from memory (name is used in messages and host names). */
long cs_pool_add_buffer(struct cs_pool *pool, const char *buf, size_t len, const char *name,
                        struct cs_error *err);

/* How a guest fares on the whole pool. */
struct cs_pool_verdict {
	size_t identical, superset, incompatible; /* hosts by verdict */
	struct cs_fset missing;                   /* required features one host or more lacks */
	struct cs_fset forbidden;                 /* forbidden features one host or more has */
	size_t first_bad;                         /* the first incompatible host, or pool->n */
};

/* Compare guest with every host as virsh cpu-compare does (cs_compare),
 * each distinct CPU once.  res, when not NULL, gets pool->ndistinct
 * results: host i's is res[pool->hosts[i].distinct].  Returns 0 with
 * *out filled, or -1 with err set when the guest itself is in error (an
 * unknown model or feature): that fails on every host alike. */
int cs_pool_compare(const struct cs_pool *pool, const struct cs_cpudef *guest,
                    struct cs_compare_result *res, struct cs_pool_verdict *out,
                    struct cs_error *err);

/* cs_compare() of guest with host i's CPU alone (results need not be kept
 * for a whole pool: a pool's CPUs may be many). */
int cs_pool_host_compare(const struct cs_pool *pool, size_t i, const struct cs_cpudef *guest,
                         struct cs_compare_result *res, struct cs_error *err);

/* How many hosts run model as a plain guest (custom, match exact, no
 * listed features): those that have every feature of the model and no
 * other vendor.  Pure and allocation-free. */
size_t cs_pool_model_runs(const struct cs_pool *pool, int model);

/* The baseline of the pool, as `virsh cpu-baseline` prints it for the same
 * CPUs (cs_baseline_*).  A new definition, or NULL with err set. */
struct cs_cpudef *cs_pool_baseline(const struct cs_pool *pool, const struct cs_baseline_opts *opts,
                                   struct cs_error *err);

#endif
