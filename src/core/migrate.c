/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* migrate.c: a domain's CPU on each destination, the start verdict, libvirt's compare beside it */
#include "cpuscope/migrate.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/guest.h"
#include "cpuscope/xalloc.h"

int cs_migrate_source_read(struct cs_conn *src, const struct cs_map *map, const char *domain,
                           struct cs_migrate_source *out, struct cs_error *err)
{
	const char *x;

	memset(out, 0, sizeof(*out));
	if (cs_conn_get_domain(src, domain, &out->dom, err) < 0)
		return -1;
	x = out->dom.migratable;
	if (!x) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, cs_conn_uri(src), 0,
		             "no migratable definition of %s on a read-only connection",
		             out->dom.info.name);
		goto fail;
	}
	if (cs_domain_info_parse(x, strlen(x), out->dom.info.name, &out->info, err) < 0 ||
	    cs_conn_target_from_domain(x, strlen(x), out->dom.info.name, &out->target, err) < 0)
		goto fail;
	out->cpu_xml = out->dom.live ? out->dom.live : out->dom.migratable;
	if (cs_domain_get_cpu(map, out->cpu_xml, strlen(out->cpu_xml), out->dom.info.name,
	                      &out->guest, err) < 0)
		goto fail;
	return 0;
fail:
	cs_migrate_source_release(out);
	return -1;
}

void cs_migrate_source_release(struct cs_migrate_source *s)
{
	if (!s)
		return;
	cs_cpudef_free(s->guest);
	cs_conn_target_release(&s->target);
	cs_conn_domxml_release(&s->dom);
	memset(s, 0, sizeof(*s));
}

/* What a destination's thread needs. */
struct reach_job {
	const struct cs_migrate_source *s;
	struct cs_migrate_dest *d;
	pthread_t thread;
	bool started;
	pthread_mutex_t *lock;
	pthread_cond_t *cond;
	size_t *done;
};

static void *reach(void *arg)
{
	struct reach_job *j = arg;
	struct cs_migrate_dest *d = j->d;
	const struct cs_conn_target *t = &j->s->target;

	if (cs_conn_open(d->uri, 0, &d->conn, &d->err) == 0) {
		d->reachable = true;
		d->hostname = cs_conn_hostname(d->conn, NULL);
		/* Fetched here, at the same time as the other destinations;
		 * the verdict reads them from the connection's cache. */
		if (cs_conn_domcapabilities(d->conn, t, &d->err) &&
		    cs_conn_capabilities(d->conn, &d->err) && j->s->guest)
			d->cmp_ok = cs_conn_compare_cpu(d->conn, t, j->s->cpu_xml,
			                                strlen(j->s->cpu_xml), &d->cmp, d->cmp_msg,
			                                sizeof(d->cmp_msg), &d->cmp_err) == 0;
	}
	pthread_mutex_lock(j->lock);
	(*j->done)++;
	pthread_cond_signal(j->cond);
	pthread_mutex_unlock(j->lock);
	return NULL;
}

static void reach_all(const struct cs_migrate_source *s, struct cs_migrate_dest *d, size_t n,
                      cs_migrate_progress_fn progress, void *ctx)
{
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
	struct reach_job *j = cs_xcalloc(n ? n : 1, sizeof(*j));
	size_t done = 0, shown = (size_t)-1;

	for (size_t i = 0; i < n; i++) {
		j[i] = (struct reach_job){s, &d[i], 0, false, &lock, &cond, &done};
		j[i].started = pthread_create(&j[i].thread, NULL, reach, &j[i]) == 0;
		if (!j[i].started)
			reach(&j[i]);
	}
	pthread_mutex_lock(&lock);
	for (;;) {
		if (progress && shown != done) {
			progress(ctx, done, n);
			shown = done;
		}
		if (done == n)
			break;
		pthread_cond_wait(&cond, &lock);
	}
	pthread_mutex_unlock(&lock);
	for (size_t i = 0; i < n; i++)
		if (j[i].started)
			pthread_join(j[i].thread, NULL);
	pthread_cond_destroy(&cond);
	pthread_mutex_destroy(&lock);
	free(j);
}

/* The verdict on one reachable destination. */
static void judge(struct cs_migrate_dest *d, const struct cs_map *map,
                  const struct cs_migrate_source *s)
{
	struct cs_start_input in = {0};
	const struct cs_hypervisor *hv;

	if (!d->reachable || cs_error_isset(&d->err))
		return;
	in.guest = s->guest;
	in.vcpus = s->info.vcpus;
	if (cs_conn_hypervisor(d->conn, map, &s->target, &hv, &d->err) < 0 ||
	    cs_start_verdict(hv, &in, NULL, &d->v, &d->err) < 0)
		return;
	d->judged = true;
	cs_fset_zero(&d->lost);
	if (s->dom.info.active)
		d->lost = d->v.dropped;
	d->can_take = d->v.outcome == CS_START_STARTS ||
	              (d->v.outcome == CS_START_DROPS && cs_fset_is_empty(&d->lost));
}

void cs_migrate_check(const struct cs_migrate_source *s, const struct cs_map *map,
                      const char *const *uris, struct cs_migrate_dest *d, size_t n,
                      cs_migrate_progress_fn progress, void *ctx)
{
	memset(d, 0, n * sizeof(*d));
	for (size_t i = 0; i < n; i++)
		d[i].uri = uris[i];
	reach_all(s, d, n, progress, ctx);
	for (size_t i = 0; i < n; i++)
		judge(&d[i], map, s);
}

bool cs_migrate_disagrees(const struct cs_migrate_dest *d)
{
	bool ours = d->v.outcome != CS_START_REFUSED;
	bool theirs = d->cmp != CS_COMPAT_INCOMPATIBLE;

	return d->judged && d->cmp_ok && ours != theirs;
}

int cs_migrate_rank(const struct cs_migrate_dest *d)
{
	if (!d->judged)
		return 4;
	switch (d->v.outcome) {
	case CS_START_STARTS:
		return 0;
	case CS_START_DROPS:
		return cs_fset_is_empty(&d->lost) ? 1 : 2;
	default:
		return 3;
	}
}

void cs_migrate_dest_release(struct cs_migrate_dest *d)
{
	if (!d)
		return;
	cs_start_verdict_release(&d->v);
	cs_conn_free(d->conn);
	d->conn = NULL;
	d->hostname = NULL;
}
