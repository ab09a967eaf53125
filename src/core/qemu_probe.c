/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* qemu_probe.c: QEMU's own answers: its CPU models, and what it makes of a -cpu */
#include "cpuscope/qmp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <json-c/json.h>

#include "cpuscope/xalloc.h"
#include "qemu_int.h"

#define QOM_WINDOW 32 /* qom-get commands sent before their replies are read */

/* ---- String lists ------------------------------------------------------ */

struct strlist {
	char **v;
	size_t n, cap;
};

static void strlist_add(struct strlist *l, const char *s)
{
	CS_GROW(l->v, l->cap, l->n + 1);
	l->v[l->n++] = cs_xstrdup(s);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool strlist_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

/* Sort, drop duplicates, and hand the array over to *v, *n. */
static void strlist_take_sorted(struct strlist *l, char ***v, size_t *n)
{
	size_t out = 0;

	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), cmp_str);
	for (size_t i = 0; i < l->n; i++) {
		if (out && !strcmp(l->v[out - 1], l->v[i]))
			free(l->v[i]);
		else
			l->v[out++] = l->v[i];
	}
	*v = l->v;
	*n = out;
	memset(l, 0, sizeof(*l));
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- QEMU's feature names ---------------------------------------------- */

/* Old spellings QEMU keeps as aliases of a feature property. */
static const struct {
	const char *alias, *name;
} feature_aliases[] = {
        {"sse3", "pni"},      {"pclmuldq", "pclmulqdq"}, {"sse4-1", "sse4.1"},
        {"sse4-2", "sse4.2"}, {"sse4_1", "sse4.1"},      {"sse4_2", "sse4.2"},
        {"xd", "nx"},         {"ffxsr", "fxsr-opt"},     {"i64", "lm"},
};

/* Boolean vCPU properties that are QEMU's own switches, not CPU features. */
// clang-format off
static const char *const switches[] = {
	"realized", "hotplugged", "hotpluggable", "start-powered-off", "check", "enforce",
	"migratable", "host-phys-bits", "host-cache-info", "fill-mtrr-mask",
	"full-cpuid-auto-level", "l3-cache", "legacy-cache", "pmu", "tcg-cpuid", "kvm",
	"vmware-cpuid-freq", "cpuid-0xb", "lmce", "kvm-no-smi-migration", "kvm-pv-enforce-cpuid",
};
// clang-format on

/* QEMU's canonical spelling of a feature name, in buf. */
static const char *canonical(const char *name, char *buf, size_t size)
{
	for (size_t i = 0; i < sizeof(feature_aliases) / sizeof(feature_aliases[0]); i++)
		if (!strcmp(name, feature_aliases[i].alias))
			return feature_aliases[i].name;
	/* Underscored spellings are aliases of the dashed ones. */
	snprintf(buf, size, "%s", name);
	for (char *p = buf; *p; p++)
		if (*p == '_')
			*p = '-';
	return buf;
}

static bool is_switch(const char *name)
{
	if (!strncmp(name, "x-", 2) || !strncmp(name, "hv-", 3))
		return true;
	for (size_t i = 0; i < sizeof(switches) / sizeof(switches[0]); i++)
		if (!strcmp(name, switches[i]))
			return true;
	return false;
}

/* ---- JSON helpers -------------------------------------------------------- */

static void add_str(struct json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, json_object_new_string(val ? val : ""));
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return NULL;
}

static bool get_bool(struct json_object *o, const char *key, bool dflt)
{
	struct json_object *v;

	if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v);
	return dflt;
}

static int get_int(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int))
		return json_object_get_int(v);
	return -1;
}

/* The strings of array key of o (others skipped), sorted, into *v, *n. */
static void get_strv(struct json_object *o, const char *key, char ***v, size_t *n)
{
	struct strlist l = {0};
	struct json_object *a;

	if (json_object_object_get_ex(o, key, &a) && json_object_is_type(a, json_type_array))
		for (size_t i = 0; i < json_object_array_length(a); i++) {
			struct json_object *e = json_object_array_get_idx(a, i);

			if (json_object_is_type(e, json_type_string))
				strlist_add(&l, json_object_get_string(e));
		}
	strlist_take_sorted(&l, v, n);
}

static struct json_object *new_strv(char *const *v, size_t n)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

static void add_opt_str(struct json_object *o, const char *key, const char *val)
{
	if (val)
		json_object_object_add(o, key, json_object_new_string(val));
}

/* ---- The probe ------------------------------------------------------------ */

void cs_qemu_info_free(struct cs_qemu_info *info)
{
	if (!info)
		return;
	for (size_t i = 0; i < info->nmodels; i++) {
		struct cs_qemu_model *m = &info->models[i];

		free(m->name);
		strv_free(m->unavailable, m->nunavailable);
		free(m->alias_of);
	}
	free(info->models);
	free(info->binary);
	free(info->version);
	free(info->package);
	free(info->accel);
	free(info->machine);
	free(info);
}

const struct cs_qemu_model *cs_qemu_info_find(const struct cs_qemu_info *info, const char *name)
{
	if (!info || !name)
		return NULL;
	for (size_t i = 0; i < info->nmodels; i++)
		if (!strcmp(info->models[i].name, name))
			return &info->models[i];
	return NULL;
}

/* Fill the models from query-cpu-definitions' answer (or the cache's copy,
 * which has the same shape).  Entries without a name are skipped. */
static int info_set_models(struct cs_qemu_info *info, struct json_object *defs)
{
	size_t n;

	if (!json_object_is_type(defs, json_type_array))
		return -1;
	n = json_object_array_length(defs);
	info->models = cs_xcalloc(n ? n : 1, sizeof(*info->models));
	for (size_t i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(defs, i);
		struct cs_qemu_model *m = &info->models[info->nmodels];
		const char *name = get_str(d, "name");

		if (!name)
			continue;
		m->name = cs_xstrdup(name);
		get_strv(d, "unavailable-features", &m->unavailable, &m->nunavailable);
		m->deprecated = get_bool(d, "deprecated", false);
		m->alias_of = cs_xstrdup(get_str(d, "alias-of"));
		m->migration_safe = get_bool(d, "migration-safe", false);
		info->nmodels++;
	}
	return 0;
}

static struct json_object *models_to_json(const struct cs_qemu_info *info)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < info->nmodels; i++) {
		const struct cs_qemu_model *m = &info->models[i];
		struct json_object *d = json_object_new_object();

		add_str(d, "name", m->name);
		json_object_object_add(d, "unavailable-features",
		                       new_strv(m->unavailable, m->nunavailable));
		json_object_object_add(d, "deprecated", json_object_new_boolean(m->deprecated));
		add_opt_str(d, "alias-of", m->alias_of);
		json_object_object_add(d, "migration-safe",
		                       json_object_new_boolean(m->migration_safe));
		json_object_array_add(a, d);
	}
	return a;
}

/* The answer as stored in the cache: query-version's fields and the models. */
static struct json_object *info_to_json(const struct cs_qemu_info *info)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "major", json_object_new_int(info->major));
	json_object_object_add(o, "minor", json_object_new_int(info->minor));
	json_object_object_add(o, "micro", json_object_new_int(info->micro));
	add_str(o, "package", info->package);
	json_object_object_add(o, "models", models_to_json(info));
	return o;
}

/* An info from the version fields and models in o (either QEMU's answers
 * gathered, or a cache entry), or NULL when they are malformed. */
static struct cs_qemu_info *info_from_json(const struct cs_qemu_run *r, struct json_object *o)
{
	struct cs_qemu_info *info = cs_xcalloc(1, sizeof(*info));
	struct json_object *models;
	const char *pkg = get_str(o, "package");

	info->major = get_int(o, "major");
	info->minor = get_int(o, "minor");
	info->micro = get_int(o, "micro");
	if (info->major < 0 || info->minor < 0 || info->micro < 0 ||
	    !json_object_object_get_ex(o, "models", &models) || info_set_models(info, models) < 0) {
		cs_qemu_info_free(info);
		return NULL;
	}
	info->version = cs_xasprintf("%d.%d.%d", info->major, info->minor, info->micro);
	info->package = cs_xstrdup(pkg ? pkg : "");
	info->binary = cs_xstrdup(r->binary);
	info->accel = cs_xstrdup(r->accel);
	info->machine = cs_xstrdup(r->machine);
	return info;
}

/* QEMU's arguments: paused, nothing but the machine and its CPU. */
static size_t qemu_args(const struct cs_qemu_run *r, const char *cpu, const char *args[12])
{
	size_t n = 0;

	args[n++] = "-S";
	args[n++] = "-nodefaults";
	args[n++] = "-no-user-config";
	args[n++] = "-display";
	args[n++] = "none";
	args[n++] = "-machine";
	args[n++] = r->machine;
	args[n++] = "-accel";
	args[n++] = r->accel;
	if (cpu) {
		args[n++] = "-cpu";
		args[n++] = cpu;
	}
	return n;
}

/* QEMU's stderr with surrounding white space removed, as a new string. */
static char *trimmed(const char *s)
{
	size_t len;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
	               s[len - 1] == '\r'))
		len--;
	return cs_xstrndup(s, len);
}

/* The error for a QEMU that exited when an answer was wanted. */
static void set_exited(struct cs_error *err, struct cs_qmp *q, const char *binary)
{
	int status = cs_qmp_stop(q);
	char *msg = trimmed(cs_qmp_stderr(q));

	if (*msg)
		cs_error_set(err, CS_ERR_SYSTEM, binary, 0, "QEMU exited: %s", msg);
	else if (WIFEXITED(status))
		cs_error_set(err, CS_ERR_SYSTEM, binary, 0,
		             "QEMU exited with status %d and no message", WEXITSTATUS(status));
	else
		cs_error_set(err, CS_ERR_SYSTEM, binary, 0, "QEMU was killed by signal %d",
		             WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	free(msg);
}

/* Report a failed exchange: QEMU's own message when it exited, else e2.
 * Returns -1. */
static int failed(struct cs_qmp *q, const struct cs_qemu_run *r, const struct cs_error *e2,
                  struct cs_error *err)
{
	if (cs_qmp_has_exited(q))
		set_exited(err, q, r->binary);
	else if (err && err->code == CS_ERR_NONE)
		*err = *e2;
	return -1;
}

/* Run a command that QEMU must answer; a QEMU that exits meanwhile is
 * reported with its message. */
static int ask(struct cs_qmp *q, const struct cs_qemu_run *r, const char *command,
               struct json_object *args, struct json_object **ret, struct cs_error *err)
{
	struct cs_error e2 = {0};

	if (cs_qmp_command(q, command, args, ret, &e2) == 0)
		return 0;
	return failed(q, r, &e2, err);
}

/* Start QEMU and ask query-version and query-cpu-definitions. */
static struct json_object *probe_live(const struct cs_qemu_run *r, struct cs_error *err)
{
	const char *args[12];
	size_t nargs = qemu_args(r, NULL, args);
	struct cs_qmp *q = NULL;
	struct json_object *ver = NULL, *defs = NULL, *ans = NULL, *qv;

	if (cs_qmp_start(r->binary, args, nargs, r->timeout_ms, &q, err) < 0)
		return NULL;
	if (cs_qmp_has_exited(q)) {
		set_exited(err, q, r->binary);
		goto out;
	}
	if (ask(q, r, "query-version", NULL, &ver, err) < 0 ||
	    ask(q, r, "query-cpu-definitions", NULL, &defs, err) < 0)
		goto out;
	if (!json_object_object_get_ex(ver, "qemu", &qv) ||
	    !json_object_is_type(qv, json_type_object)) {
		cs_error_set(err, CS_ERR_SYNTAX, r->binary, 0, "query-version: no QEMU version");
		goto out;
	}
	ans = json_object_new_object();
	json_object_object_add(ans, "major", json_object_new_int(get_int(qv, "major")));
	json_object_object_add(ans, "minor", json_object_new_int(get_int(qv, "minor")));
	json_object_object_add(ans, "micro", json_object_new_int(get_int(qv, "micro")));
	add_str(ans, "package", get_str(ver, "package"));
	json_object_object_add(ans, "models", json_object_get(defs));
out:
	json_object_put(ver);
	json_object_put(defs);
	cs_qmp_free(q);
	return ans;
}

int cs_qemu_probe(const struct cs_qemu_opts *o, struct cs_qemu_info **out, struct cs_error *err)
{
	struct cs_qemu_run r;
	struct json_object *key = NULL, *ans = NULL;
	struct cs_qemu_info *info = NULL;
	char *path = NULL;
	bool cached = false;

	*out = NULL;
	if (cs_qemu_run_init(&r, o, err) < 0)
		return -1;
	if (r.cache_dir) {
		key = cs_qemu_cache_key(&r, NULL);
		path = cs_qemu_cache_path(&r, "probe", key);
		ans = cs_qemu_cache_load(path, key);
		info = ans ? info_from_json(&r, ans) : NULL;
		cached = info != NULL;
	}
	if (!info) {
		json_object_put(ans);
		ans = probe_live(&r, err);
		info = ans ? info_from_json(&r, ans) : NULL;
		if (ans && !info)
			cs_error_set(err, CS_ERR_SYNTAX, r.binary, 0,
			             "query-version: malformed version");
		if (info && path) {
			/* Store our own rendering: what the next run will read. */
			struct json_object *mine = info_to_json(info);

			cs_qemu_cache_store(&r, path, key, mine);
			json_object_put(mine);
		}
	}
	if (info)
		info->from_cache = cached;
	json_object_put(ans);
	json_object_put(key);
	free(path);
	cs_qemu_run_release(&r);
	*out = info;
	return info ? 0 : -1;
}

/* ---- Verifying one -cpu ------------------------------------------------- */

void cs_qemu_verify_release(struct cs_qemu_verify *v)
{
	if (!v)
		return;
	free(v->message);
	free(v->version);
	strv_free(v->warnings, v->nwarnings);
	strv_free(v->enabled, v->nenabled);
	strv_free(v->filtered, v->nfiltered);
	memset(v, 0, sizeof(*v));
}

/* The feature a "doesn't support requested feature" warning names:
 * "CPUID.07H:EBX.avx512f [bit 16]" or "MSR(10AH).rdctl-no [bit 3]". */
static void warning_feature(const char *w, size_t len, struct strlist *named)
{
	static const char marker[] = "requested feature: ";
	const char *end = w + len, *f = memmem(w, len, marker, sizeof(marker) - 1), *name = NULL;
	const char *stop, *colon;
	char buf[128], cbuf[128];

	if (!f)
		return;
	f += sizeof(marker) - 1;
	stop = memmem(f, (size_t)(end - f), " [bit", 5);
	if (!stop)
		stop = end;
	if (!strncmp(f, "MSR(", 4)) {
		const char *p = memmem(f, (size_t)(stop - f), ").", 2);

		name = p ? p + 2 : NULL;
	} else if ((colon = memchr(f, ':', (size_t)(stop - f)))) {
		/* After the register: the name itself may hold dots (sse4.1). */
		const char *dot = memchr(colon, '.', (size_t)(stop - colon));

		name = dot ? dot + 1 : NULL;
	}
	if (!name || name >= stop || (size_t)(stop - name) >= sizeof(buf))
		return;
	memcpy(buf, name, (size_t)(stop - name));
	buf[stop - name] = '\0';
	strlist_add(named, canonical(buf, cbuf, sizeof(cbuf)));
}

/* QEMU's warning lines, and the features they say were filtered. */
static void parse_stderr(const char *text, struct strlist *warnings, struct strlist *named)
{
	static const char marker[] = "warning: ";

	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n'), *end = nl ? nl : line + strlen(line);
		const char *w = memmem(line, (size_t)(end - line), marker, sizeof(marker) - 1);

		if (w) {
			char *s;

			w += sizeof(marker) - 1;
			s = cs_xstrndup(w, (size_t)(end - w));
			if (*s && s[strlen(s) - 1] == '\r')
				s[strlen(s) - 1] = '\0';
			strlist_add(warnings, s);
			free(s);
			warning_feature(w, (size_t)(end - w), named);
		}
		line = nl ? nl + 1 : end;
	}
}

/* The features cpu_arg turns on: "+name", "name=on|true|yes", or "name". */
static void requested_on(const char *cpu_arg, struct strlist *on)
{
	char *copy = cs_xstrdup(cpu_arg), *save = NULL, cbuf[128];

	(void)strtok_r(copy, ",", &save); /* the model */
	for (char *tok = strtok_r(NULL, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		const char *name = tok;

		if (*tok == '-')
			continue;
		if (*tok == '+') {
			name = tok + 1;
		} else if (eq) {
			*eq = '\0';
			if (strcmp(eq + 1, "on") && strcmp(eq + 1, "true") && strcmp(eq + 1, "yes"))
				continue;
		}
		if (*name && !is_switch(name) && strlen(name) < sizeof(cbuf))
			strlist_add(on, canonical(name, cbuf, sizeof(cbuf)));
	}
	free(copy);
}

/* qom-get path.property (a new reference in *val). */
static int qom_get(struct cs_qmp *q, const struct cs_qemu_run *r, const char *path,
                   const char *prop, struct json_object **val, struct cs_error *err)
{
	struct json_object *args = json_object_new_object();
	int rc;

	add_str(args, "path", path);
	add_str(args, "property", prop);
	rc = ask(q, r, "qom-get", args, val, err);
	json_object_put(args);
	return rc;
}

/* The first vCPU's QOM path, as a new string. */
static char *vcpu_path(struct cs_qmp *q, const struct cs_qemu_run *r, struct cs_error *err)
{
	struct json_object *cpus = NULL;
	const char *p = NULL;
	char *path;

	if (ask(q, r, "query-cpus-fast", NULL, &cpus, err) < 0)
		return NULL;
	if (json_object_is_type(cpus, json_type_array) && json_object_array_length(cpus) > 0)
		p = get_str(json_object_array_get_idx(cpus, 0), "qom-path");
	if (!p)
		cs_error_set(err, CS_ERR_SYNTAX, r->binary, 0, "query-cpus-fast: no vCPU path");
	path = cs_xstrdup(p);
	json_object_put(cpus);
	return path;
}

/* What read_vcpu() finds. */
struct vcpu {
	struct strlist enabled, off, filtered;
	unsigned filtered_bits;
};

static void vcpu_release(struct vcpu *v)
{
	strv_free(v->enabled.v, v->enabled.n);
	strv_free(v->off.v, v->off.n);
	strv_free(v->filtered.v, v->filtered.n);
	memset(v, 0, sizeof(*v));
}

/* Read the lists QEMU keeps of what it filtered: unavailable-features
 * (names) and filtered-features (CPUID words with masks: only counted). */
static int read_filtered(struct cs_qmp *q, const struct cs_qemu_run *r, const char *path,
                         bool has_names, bool has_words, struct vcpu *v, struct cs_error *err)
{
	struct json_object *val = NULL;
	char cbuf[128];

	if (has_names) {
		if (qom_get(q, r, path, "unavailable-features", &val, err) < 0)
			return -1;
		for (size_t i = 0;
		     json_object_is_type(val, json_type_array) && i < json_object_array_length(val);
		     i++) {
			const char *s = json_object_get_string(json_object_array_get_idx(val, i));

			/* QEMU lists bits without a name as "". */
			if (s && *s && strlen(s) < sizeof(cbuf))
				strlist_add(&v->filtered, canonical(s, cbuf, sizeof(cbuf)));
		}
		json_object_put(val);
		val = NULL;
	}
	if (has_words) {
		if (qom_get(q, r, path, "filtered-features", &val, err) < 0)
			return -1;
		for (size_t i = 0;
		     json_object_is_type(val, json_type_array) && i < json_object_array_length(val);
		     i++) {
			struct json_object *w = json_object_array_get_idx(val, i), *f;

			if (json_object_object_get_ex(w, "features", &f))
				v->filtered_bits += (unsigned)__builtin_popcountll(
				        (unsigned long long)json_object_get_int64(f));
		}
		json_object_put(val);
	}
	return 0;
}

/* qom-get each of names on path, QOM_WINDOW commands in flight at a time
 * (QEMU takes milliseconds over each), sorting them into v->enabled and
 * v->off.  A property QEMU cannot read is left out. */
static int read_bools(struct cs_qmp *q, const struct cs_qemu_run *r, const char *path,
                      const struct strlist *names, struct vcpu *v, struct cs_error *err)
{
	struct cs_error e2 = {0};

	for (size_t i = 0; i < names->n; i += QOM_WINDOW) {
		size_t n = names->n - i;
		unsigned long ids[QOM_WINDOW];

		if (n > QOM_WINDOW)
			n = QOM_WINDOW;

		for (size_t k = 0; k < n; k++) {
			struct json_object *args = json_object_new_object();
			int rc;

			add_str(args, "path", path);
			add_str(args, "property", names->v[i + k]);
			rc = cs_qmp_send(q, "qom-get", args, &ids[k], &e2);
			json_object_put(args);
			if (rc < 0)
				return failed(q, r, &e2, err);
		}
		for (size_t k = 0; k < n; k++) {
			struct json_object *val = NULL;

			if (cs_qmp_reply(q, ids[k], &val, &e2) < 0) {
				if (e2.code != CS_ERR_UNSUPPORTED)
					return failed(q, r, &e2, err);
				cs_error_clear(&e2);
				continue;
			}
			strlist_add(json_object_is_type(val, json_type_boolean) &&
			                            json_object_get_boolean(val)
			                    ? &v->enabled
			                    : &v->off,
			            names->v[i + k]);
			json_object_put(val);
		}
	}
	return 0;
}

/* Read every boolean feature property of the vCPU (aliases and QEMU's own
 * switches skipped) and what QEMU filtered. */
static int read_vcpu(struct cs_qmp *q, const struct cs_qemu_run *r, struct vcpu *v,
                     struct cs_error *err)
{
	struct json_object *props = NULL, *args;
	struct strlist names = {0};
	char *path = vcpu_path(q, r, err), cbuf[128];
	bool has_names = false, has_words = false;
	int ret = -1;

	if (!path)
		return -1;
	args = json_object_new_object();
	add_str(args, "path", path);
	if (ask(q, r, "qom-list", args, &props, err) < 0)
		goto out;
	for (size_t i = 0;
	     json_object_is_type(props, json_type_array) && i < json_object_array_length(props);
	     i++) {
		struct json_object *p = json_object_array_get_idx(props, i);
		const char *name = get_str(p, "name"), *type = get_str(p, "type");

		if (!name || !type)
			continue;
		has_names |= !strcmp(name, "unavailable-features");
		has_words |= !strcmp(name, "filtered-features");
		if (!strcmp(type, "bool") && !is_switch(name) && strlen(name) < sizeof(cbuf) &&
		    !strcmp(canonical(name, cbuf, sizeof(cbuf)), name))
			strlist_add(&names, name);
	}
	if (read_bools(q, r, path, &names, v, err) < 0 ||
	    read_filtered(q, r, path, has_names, has_words, v, err) < 0)
		goto out;
	ret = 0;
out:
	strv_free(names.v, names.n);
	json_object_put(args);
	json_object_put(props);
	free(path);
	return ret;
}

/* QEMU's version as its greeting gives it, as "version" in ans. */
static void add_greeting_version(struct json_object *ans, struct json_object *greeting)
{
	struct json_object *qmp, *ver, *qv;
	char *v;

	if (!greeting || !json_object_object_get_ex(greeting, "QMP", &qmp) ||
	    !json_object_object_get_ex(qmp, "version", &ver) ||
	    !json_object_object_get_ex(ver, "qemu", &qv) || get_int(qv, "major") < 0)
		return;
	v = cs_xasprintf("%d.%d.%d", get_int(qv, "major"), get_int(qv, "minor"),
	                 get_int(qv, "micro"));
	add_str(ans, "version", v);
	free(v);
}

/* Start QEMU with -cpu cpu_arg and gather the answer as the cache keeps it. */
static struct json_object *verify_live(const struct cs_qemu_run *r, const char *cpu_arg,
                                       struct cs_error *err)
{
	const char *args[12];
	size_t nargs = qemu_args(r, cpu_arg, args);
	struct cs_qmp *q = NULL;
	struct vcpu v = {0};
	struct strlist warnings = {0}, on = {0};
	struct json_object *ans = NULL;
	char **sv;
	size_t sn;
	bool started;

	if (cs_qmp_start(r->binary, args, nargs, r->timeout_ms, &q, err) < 0)
		return NULL;
	started = !cs_qmp_has_exited(q);
	if (started && read_vcpu(q, r, &v, err) < 0)
		goto out;
	cs_qmp_stop(q);
	parse_stderr(cs_qmp_stderr(q), &warnings, &v.filtered);
	ans = json_object_new_object();
	json_object_object_add(ans, "started", json_object_new_boolean(started));
	add_greeting_version(ans, cs_qmp_greeting(q));
	if (!started) {
		char *msg = trimmed(cs_qmp_stderr(q));

		if (!*msg) {
			set_exited(err, q, r->binary);
			free(msg);
			json_object_put(ans);
			ans = NULL;
			goto out;
		}
		add_str(ans, "message", msg);
		free(msg);
	}
	/* A feature asked for that reads false was filtered too. */
	requested_on(cpu_arg, &on);
	for (size_t i = 0; started && i < on.n; i++)
		if (strlist_has(&v.off, on.v[i]))
			strlist_add(&v.filtered, on.v[i]);
	json_object_object_add(ans, "warnings", new_strv(warnings.v, warnings.n));
	strlist_take_sorted(&v.enabled, &sv, &sn);
	json_object_object_add(ans, "enabled", new_strv(sv, sn));
	strv_free(sv, sn);
	strlist_take_sorted(&v.filtered, &sv, &sn);
	json_object_object_add(ans, "filtered", new_strv(sv, sn));
	strv_free(sv, sn);
	json_object_object_add(ans, "filtered-bits", json_object_new_int64(v.filtered_bits));
out:
	strv_free(warnings.v, warnings.n);
	strv_free(on.v, on.n);
	vcpu_release(&v);
	cs_qmp_free(q);
	return ans;
}

/* Fill out from an answer; -1 when it is malformed. */
static int verify_from_json(struct json_object *ans, struct cs_qemu_verify *out)
{
	struct json_object *s, *b;
	struct strlist w = {0};
	struct json_object *a;

	memset(out, 0, sizeof(*out));
	if (!json_object_object_get_ex(ans, "started", &s) ||
	    !json_object_is_type(s, json_type_boolean) ||
	    !json_object_object_get_ex(ans, "filtered-bits", &b) ||
	    !json_object_is_type(b, json_type_int))
		return -1;
	out->started = json_object_get_boolean(s);
	out->message = out->started ? NULL : cs_xstrdup(get_str(ans, "message"));
	out->version = cs_xstrdup(get_str(ans, "version"));
	if (!out->started && !out->message)
		return -1;
	/* Warnings keep QEMU's order. */
	if (json_object_object_get_ex(ans, "warnings", &a) &&
	    json_object_is_type(a, json_type_array))
		for (size_t i = 0; i < json_object_array_length(a); i++) {
			const char *t = json_object_get_string(json_object_array_get_idx(a, i));

			if (t)
				strlist_add(&w, t);
		}
	out->warnings = w.v;
	out->nwarnings = w.n;
	get_strv(ans, "enabled", &out->enabled, &out->nenabled);
	get_strv(ans, "filtered", &out->filtered, &out->nfiltered);
	out->filtered_bits = (unsigned)json_object_get_int64(b);
	return 0;
}

int cs_qemu_verify_cpu(const struct cs_qemu_opts *o, const char *cpu_arg,
                       struct cs_qemu_verify *out, struct cs_error *err)
{
	struct cs_qemu_run r;
	struct json_object *key = NULL, *ans = NULL;
	char *path = NULL;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (!cpu_arg || !*cpu_arg) {
		cs_error_set(err, CS_ERR_INVALID, NULL, 0, "empty -cpu argument");
		return -1;
	}
	if (cs_qemu_run_init(&r, o, err) < 0)
		return -1;
	if (r.cache_dir) {
		key = cs_qemu_cache_key(&r, cpu_arg);
		path = cs_qemu_cache_path(&r, "verify", key);
		ans = cs_qemu_cache_load(path, key);
		if (ans && verify_from_json(ans, out) == 0) {
			out->from_cache = true;
			ret = 0;
			goto out;
		}
		cs_qemu_verify_release(out);
		json_object_put(ans);
	}
	ans = verify_live(&r, cpu_arg, err);
	if (!ans)
		goto out;
	if (verify_from_json(ans, out) < 0) {
		cs_qemu_verify_release(out);
		cs_error_set(err, CS_ERR_SYNTAX, r.binary, 0, "malformed answer");
		goto out;
	}
	if (path)
		cs_qemu_cache_store(&r, path, key, ans);
	ret = 0;
out:
	json_object_put(ans);
	json_object_put(key);
	free(path);
	cs_qemu_run_release(&r);
	return ret;
}
