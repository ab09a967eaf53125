/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* engine_start.c: the explorer's start verdict, and QEMU asked off the input loop */
#include "tui/engine_start.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/cpumap.h"
#include "cpuscope/host.h"
#include "cpuscope/xalloc.h"

void engine_start_setup(struct engine_start *s, const struct cs_map *map,
                        const struct app_host *cpu, const struct app_host *kvm)
{
	struct cs_error err = {0};

	memset(s, 0, sizeof(*s));
	if (!cpu->present) {
		snprintf(s->why, sizeof(s->why), "no host CPU");
		return;
	}
	if (cs_hypervisor_from_cpus(&s->hv, map, cpu->def, kvm->present ? kvm->def : NULL,
	                            CS_VIRT_KVM, &err) < 0) {
		snprintf(s->why, sizeof(s->why), "%s", err.msg);
		return;
	}
	s->ok = true;
}

void engine_start_setup_file(struct engine_start *s, const struct cs_map *map, const char *path,
                             const struct app_host *cpu)
{
	struct cs_hypervisor hv;
	struct cs_error err = {0};
	char *buf = NULL;
	size_t len = 0;

	if (!path || cs_read_file(path, CS_MAX_FILE_SIZE, &buf, &len, &err) < 0)
		return;
	if (cs_host_detect(buf, len) == CS_HOST_FILE_DOMCAPS &&
	    cs_hypervisor_from_domcaps(&hv, map, buf, len, path, cpu->present ? cpu->def : NULL,
	                               &err) == 0) {
		cs_hypervisor_release(&s->hv);
		s->hv = hv;
		s->ok = true;
	}
	free(buf);
}

static bool same_arg(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

void engine_start_judge(struct engine_start *s, const struct cs_cpudef *def, unsigned vcpus)
{
	struct cs_start_input in = {def, vcpus, false};

	cs_start_verdict_release(&s->v);
	memset(&s->v, 0, sizeof(s->v));
	if (!s->ok || !def || def->arch != s->hv.arch)
		return;
	if (cs_start_verdict(&s->hv, &in, NULL, &s->v, NULL) < 0)
		memset(&s->v, 0, sizeof(s->v));
	if (s->have_q && !same_arg(s->q_arg, s->v.cpu_arg)) {
		cs_start_verdict_release(&s->q);
		s->have_q = false;
	}
}

static void *verify_thread(void *p)
{
	struct engine_verify_job *j = p;
	struct cs_qemu_opts o = {0};

	o.accel = j->accel;
	o.no_cache = j->no_cache;
	j->rc = cs_qemu_verify_cpu(&o, j->arg, &j->answer, &j->err);
	__atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

bool engine_verify_running(const struct engine_start *s)
{
	return s->job.started;
}

int engine_verify_begin(struct engine_start *s, bool no_cache)
{
	const struct cs_start_verdict *v = &s->v;
	struct engine_verify_job *j = &s->job;

	if (j->started)
		return -1;
	if (!s->ok || !v->cpu_arg ||
	    (v->outcome == CS_START_REFUSED && v->refused_by == CS_ACTOR_LIBVIRT &&
	     !cs_start_step_after_qemu(v->step)))
		return 0;
	memset(j, 0, sizeof(*j));
	j->arg = cs_xstrdup(v->cpu_arg);
	snprintf(j->accel, sizeof(j->accel), "%s", s->hv.virt == CS_VIRT_QEMU ? "tcg" : "kvm");
	j->no_cache = no_cache;
	if (pthread_create(&j->thread, NULL, verify_thread, j) != 0) {
		free(j->arg);
		j->arg = NULL;
		return 0;
	}
	j->started = true;
	return 1;
}

bool engine_verify_poll(struct engine_start *s, const struct cs_cpudef *def, unsigned vcpus,
                        struct cs_error *err)
{
	struct engine_verify_job *j = &s->job;
	struct cs_start_input in = {def, vcpus, false};
	struct cs_start_qemu q;

	if (!j->started || !__atomic_load_n(&j->done, __ATOMIC_ACQUIRE))
		return false;
	pthread_join(j->thread, NULL);
	j->started = false;
	if (j->rc < 0) {
		*err = j->err;
		free(j->arg);
		j->arg = NULL;
		return true;
	}
	cs_start_verdict_release(&s->q);
	s->have_q = false;
	free(s->q_arg);
	s->q_arg = j->arg;
	j->arg = NULL;
	cs_start_qemu_from_verify(&j->answer, &q);
	/* The answer counts only for the guest it was asked about. */
	if (def && same_arg(s->q_arg, s->v.cpu_arg) &&
	    cs_start_verdict(&s->hv, &in, &q, &s->q, err) == 0)
		s->have_q = true;
	cs_qemu_verify_release(&j->answer);
	return true;
}

void engine_start_release(struct engine_start *s)
{
	if (s->job.started) {
		pthread_join(s->job.thread, NULL);
		cs_qemu_verify_release(&s->job.answer);
		free(s->job.arg);
	}
	cs_start_verdict_release(&s->v);
	cs_start_verdict_release(&s->q);
	free(s->q_arg);
	cs_hypervisor_release(&s->hv);
	memset(s, 0, sizeof(*s));
}

void engine_start_text(const struct engine_start *s, const struct cs_arch *arch, bool from_qemu,
                       char *buf, size_t size)
{
	const struct cs_start_verdict *v = from_qemu ? &s->q : &s->v;
	char *sum;

	if (!s->ok) {
		snprintf(buf, size, "unknown: %s", s->why);
		return;
	}
	switch (v->outcome) {
	case CS_START_STARTS:
		snprintf(buf, size, "as defined");
		return;
	case CS_START_REFUSED:
		snprintf(buf, size, "%s: %s", cs_start_actor_name(v->refused_by), v->message);
		return;
	case CS_START_DROPS:
		break;
	}
	/* "starts without a, b": the list is what counts here */
	sum = cs_start_summary(v, arch);
	snprintf(buf, size, "%s", strncmp(sum, "starts ", 7) ? sum : sum + 7);
	free(sum);
}

int engine_start_mode(const struct engine_start *s, const struct cs_map *map,
                      const struct cs_arch *arch, enum cs_cpu_mode mode, char *buf, size_t size)
{
	struct cs_start_verdict v = {0};
	struct cs_cpudef *def;
	struct cs_start_input in = {NULL, 0, false};
	int ret = -1;

	if (!s->ok || s->hv.arch != arch) {
		snprintf(buf, size, "unknown: %s", s->ok ? "another architecture" : s->why);
		return -1;
	}
	def = engine_guest_new(map, arch);
	def->mode = mode;
	in.guest = def;
	if (cs_start_verdict(&s->hv, &in, NULL, &v, NULL) == 0) {
		char *sum = cs_start_summary(&v, arch);
		snprintf(buf, size, "%s", sum);
		free(sum);
		ret = (int)v.outcome;
	} else {
		snprintf(buf, size, "unknown");
	}
	cs_start_verdict_release(&v);
	engine_guest_free(def);
	return ret;
}
