/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* view_bars.c: the header, the verdict bar, the key/status line and the separator */
#include "tui/view.h"

#include <stdio.h>
#include <string.h>

#include "cpuscope/pool.h"
#include "tui/keys.h"

static void host_text(const struct app *app, const struct app_host *h, char *buf, size_t size)
{
	if (!h->present) {
		snprintf(buf, size, "%s", h->detail);
		return;
	}
	snprintf(buf, size, "%s: %s", h->source,
	         h->model >= 0 ? app->arch->models[h->model].name : "(no model)");
	if (!cs_fset_is_empty(&h->extra)) {
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, " +%u", cs_fset_count(&h->extra));
	}
}

void view_bars_header_draw(WINDOW *w, const struct app *app)
{
	attr_t a = term_attr(TC_HEADER);
	char cpu[400], kvm[200], line[900];
	const char *sep = term_utf8() ? " \u2502 " : " | ";

	if (app->host_brand[0] && app->cpu.present) {
		char side[200];
		host_text(app, &app->cpu, side, sizeof(side));
		snprintf(cpu, sizeof(cpu), "%s (%s)", app->host_brand, side);
	} else {
		host_text(app, &app->cpu, cpu, sizeof(cpu));
	}
	host_text(app, &app->kvm, kvm, sizeof(kvm));
	char pool[64] = "";
	if (app->pool)
		snprintf(pool, sizeof(pool), "%spool %zu host%s", sep, app->pool->n,
		         app->pool->n == 1 ? "" : "s");
	snprintf(line, sizeof(line), " cpuscope%shost %s%s%s%s%smap %s", sep, cpu, sep,
	         app->kvm.present ? kvm : "KVM n/a", pool, sep, app->map_label);
	view_fill(w, 0, 0, a);
	view_put(w, 0, 0, line, getmaxx(w), a);
}

static attr_t verdict_attr(enum app_verdict_state state, enum cs_compat c)
{
	if (state == VERDICT_NONE)
		return term_attr(TC_V_NONE);
	if (state == VERDICT_ERROR)
		return term_attr(TC_V_INCOMPAT);
	switch (c) {
	case CS_COMPAT_IDENTICAL:
		return term_attr(TC_V_IDENTICAL);
	case CS_COMPAT_SUPERSET:
		return term_attr(TC_V_SUPERSET);
	case CS_COMPAT_INCOMPATIBLE:
		break;
	}
	return term_attr(TC_V_INCOMPAT);
}

/* The verdict's reason in at most width columns: as many feature names as
 * fit, then how many more there are. */
static void short_reason(const struct app *app, const struct app_verdict *v, char *buf, size_t size,
                         int width)
{
	const struct cs_fset *s = NULL;
	const char *what = "";
	size_t len;
	unsigned n = 0;
	int id;

	if (!cs_fset_is_empty(&v->forbidden))
		s = &v->forbidden, what = "forbidden but present: ";
	else if (!cs_fset_is_empty(&v->missing))
		s = &v->missing, what = "missing ";
	else if (!cs_fset_is_empty(&v->extra))
		s = &v->extra, what = "strict, extra ";
	if (!s) {
		if (engine_verdict_runs(v->state, v->compat))
			snprintf(buf, size, "%s",
			         v->compat == CS_COMPAT_IDENTICAL ? "runs, same features"
			                                          : "runs, host has more");
		else
			snprintf(buf, size, "%s", v->message);
		return;
	}
	snprintf(buf, size, "%s", what);
	len = strlen(buf);
	unsigned total = cs_fset_count(s);
	cs_fset_foreach (id, s) {
		const char *name = app->arch->features[id].name;
		/* room for this name, and for ", +NN" after it unless it is the last */
		size_t need = (n ? 2 : 0) + strlen(name) + (n + 1 < total ? 5 : 0);
		if (len + need > (size_t)width || len + need >= size) {
			/* Not even one name fits: say how many rather than "+2",
			 * in fewer words when even that is too long. */
			if (!n && len + 9 + 10 > (size_t)width && s == &v->missing)
				snprintf(buf, size, "lacks %u", total);
			else if (!n && len + 9 + 10 > (size_t)width)
				snprintf(buf, size, "%u %s", total,
				         s == &v->forbidden ? "forbidden" : "extra");
			else if (!n)
				snprintf(buf + len, size - len, "%u feature%s", total,
				         total == 1 ? "" : "s");
			else
				snprintf(buf + len, size - len, ", +%u", total - n);
			break;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s%s", n ? ", " : "", name);
		n++;
	}
}

static void draw_side(WINDOW *w, int y, int x, int width, const struct app *app, const char *label,
                      const struct app_verdict *v)
{
	char badge[32], reason[2100];
	int used;

	used = view_put(w, y, x, label, width, term_attr(TC_TITLE));
	snprintf(badge, sizeof(badge), " %s ", engine_verdict_name(v->state, v->compat));
	used += view_put(w, y, x + used + 1, badge, width - used - 1,
	                 verdict_attr(v->state, v->compat)) +
	        1;
	short_reason(app, v, reason, sizeof(reason), width - used - 1);
	view_put(w, y, x + used + 1, reason, width - used - 1,
	         engine_verdict_fails(v->state, v->compat) ? term_attr(TC_BAD) : A_NORMAL);
}

/* The pool line: how many hosts cannot run the guest, and why. */
static void draw_pool(WINDOW *w, int y, const struct app *app)
{
	const struct app_pool_verdict *pv = &app->v_pool;
	struct app_verdict v = {0};
	char label[64], badge[32], reason[2100], head[96];
	int cols = getmaxx(w), used;

	v.state = pv->state;
	v.compat = pv->compat;
	v.missing = pv->missing;
	v.forbidden = pv->forbidden;
	v.extra = pv->extra;
	snprintf(v.message, sizeof(v.message), "%s", pv->message);
	snprintf(label, sizeof(label), " pool (%zu)", pv->nhosts);
	used = view_put(w, y, 0, label, cols, term_attr(TC_TITLE));
	snprintf(badge, sizeof(badge), " %s ", engine_verdict_name(pv->state, pv->compat));
	used += view_put(w, y, used + 1, badge, cols - used - 1,
	                 verdict_attr(pv->state, pv->compat)) +
	        1;
	if (engine_verdict_fails(pv->state, pv->compat)) {
		const char *first = app->pool->hosts[pv->first_bad].name;
		int tail = (int)strlen(first) + 6;
		snprintf(head, sizeof(head), " %zu of %zu cannot: ", pv->nbad, pv->nhosts);
		used += view_put(w, y, used, head, cols - used, term_attr(TC_BAD));
		/* the features first; the first failing host after them when it fits */
		short_reason(app, &v, reason, sizeof(reason),
		             cols - used - 1 - (cols - used > 60 ? tail : 0));
		used += view_put(w, y, used, reason, cols - used, term_attr(TC_BAD));
		if (cols - used >= tail) {
			snprintf(head, sizeof(head), " (%s %s)", pv->nbad > 1 ? "e.g." : "on",
			         first);
			view_put(w, y, used, head, cols - used, term_attr(TC_DIM));
		}
	} else if (engine_verdict_runs(pv->state, pv->compat)) {
		snprintf(head, sizeof(head), " all %zu hosts can run it", pv->nhosts);
		view_put(w, y, used, head, cols - used, term_attr(TC_GOOD));
	} else {
		view_put(w, y, used + 1, pv->message, cols - used - 1, A_NORMAL);
	}
}

/* The decisive line: whether libvirt and QEMU start the guest, and, once
 * asked, what QEMU itself said. */
static void draw_start(WINDOW *w, const struct app *app)
{
	const struct engine_start *s = &app->start;
	int cols = getmaxx(w), used;
	char text[400], badge[32];
	attr_t a;

	used = view_put(w, 0, 0, " will it start", cols, term_attr(TC_TITLE));
	if (!s->ok || engine_guest_is_incomplete(app->guest)) {
		view_put(w, 0, used + 1, s->ok ? "no CPU model chosen" : s->why, cols - used - 1,
		         term_attr(TC_DIM));
		return;
	}
	switch (s->v.outcome) {
	case CS_START_STARTS:
		snprintf(badge, sizeof(badge), " STARTS ");
		a = term_attr(TC_V_IDENTICAL);
		break;
	case CS_START_DROPS:
		snprintf(badge, sizeof(badge), " DROPS ");
		a = term_attr(TC_V_SUPERSET);
		break;
	case CS_START_REFUSED:
	default:
		snprintf(badge, sizeof(badge), " REFUSED ");
		a = term_attr(TC_V_INCOMPAT);
		break;
	}
	used += 1 + view_put(w, 0, used + 1, badge, cols - used - 1, a);
	engine_start_text(s, app->arch, false, text, sizeof(text));
	used += 1 + view_put(w, 0, used + 1, text, cols - used - 1,
	                     s->v.outcome == CS_START_REFUSED ? term_attr(TC_BAD) : A_NORMAL);
	if (engine_verify_running(s)) {
		view_put(w, 0, used + 1, "| asking QEMU...", cols - used - 1, term_attr(TC_DIM));
	} else if (s->have_q) {
		char q[420];

		engine_start_text(s, app->arch, true, text, sizeof(text));
		snprintf(q, sizeof(q), "| QEMU: %s", text);
		view_put(w, 0, used + 1, q, cols - used - 1,
		         s->q.outcome == CS_START_REFUSED ? term_attr(TC_BAD) : term_attr(TC_GOOD));
	} else if (s->v.cpu_arg) {
		view_put(w, 0, used + 1, "(Q asks QEMU)", cols - used - 1, term_attr(TC_DIM));
	}
}

void view_bars_verdict_draw(WINDOW *w, const struct app *app)
{
	int cols = getmaxx(w), rows = getmaxy(w);
	int half = cols / 2;
	char label[80], line[2200];
	const struct app_verdict *dv = app->kvm.present ? &app->v_kvm : &app->v_cpu;

	werase(w);
	/* Without KVM the host side gets most of the line. */
	if (!app->kvm.present)
		half = cols - (cols > 110 ? 40 : 30);
	if (cols >= 140)
		snprintf(label, sizeof(label), " cpu-compare (%s)", app->cpu.source);
	else
		snprintf(label, sizeof(label), " %s", cols >= 90 ? "cpu-compare" : app->cpu.source);
	draw_start(w, app);
	draw_side(w, 1, 0, half - 1, app, label, &app->v_cpu);
	view_put(w, 1, half - 1, term_glyphs()->vline, 1, term_attr(TC_DIM));
	if (app->kvm.present) {
		char hv[64];

		snprintf(hv, sizeof(hv), cols >= 140 ? " hypervisor-cpu-compare (%s)" : " %s",
		         app_hv_name(app));
		draw_side(w, 1, half, cols - half, app, hv, &app->v_kvm);
	} else {
		view_put(w, 1, half + 1, "KVM ", cols - half, term_attr(TC_TITLE));
		view_put(w, 1, half + 5, app->kvm.detail[0] ? app->kvm.detail : "not available",
		         cols - half - 5, term_attr(TC_DIM));
	}
	int fy = app_fix_row(app);
	if (app->pool)
		draw_pool(w, 2, app);
	if (app->fix_text[0]) {
		bool can = !engine_guest_is_incomplete(app->guest);
		snprintf(line, sizeof(line), " fix: %s%s", app->fix_text,
		         !can                  ? ""
		         : app->fix_model >= 0 ? "  (a applies, A falls back)"
		                               : "  (a applies)");
		view_put(w, fy, 0, line, cols, term_attr(TC_WARN));
	} else if (engine_verdict_runs(dv->state, dv->compat)) {
		char by[40] = "";

		if (app->kvm.present)
			snprintf(by, sizeof(by), " (%s decides)", app_hv_name(app));
		snprintf(line, sizeof(line), " the guest can run here%s; it sees %u features", by,
		         cs_fset_count(&app->effective));
		int used = view_put(w, fy, 0, line, cols, term_attr(TC_GOOD));
		unsigned nm = cs_fset_count(&app->mitig_off);
		if (nm) {
			snprintf(line, sizeof(line), "; %u mitigation%s the host has %s off (M)",
			         nm, nm == 1 ? "" : "s", nm == 1 ? "is" : "are");
			view_put(w, fy, used, line, cols - used, term_attr(TC_WARN));
		}
	} else if (dv->state == VERDICT_NONE && !app->pool) {
		view_put(w, fy, 0, " no host to compare with: use --host FILE or --source", cols,
		         term_attr(TC_DIM));
	}
	if (rows > fy + 1 && engine_verdict_fails(dv->state, dv->compat)) {
		snprintf(line, sizeof(line), " libvirt: %s", dv->message);
		view_put(w, fy + 1, 0, line, cols, term_attr(TC_DIM));
	} else if (rows > fy + 1 && engine_verdict_fails(app->v_pool.state, app->v_pool.compat)) {
		snprintf(line, sizeof(line), " libvirt on %s", app->v_pool.message);
		view_put(w, fy + 1, 0, line, cols, term_attr(TC_DIM));
	}
}

static const char *prompt_label(enum app_prompt p)
{
	switch (p) {
	case PROMPT_SEARCH:
		return "search: ";
	case PROMPT_FILTER:
		return "filter features by name: ";
	case PROMPT_OPEN:
		return "open guest or domain XML: ";
	case PROMPT_SAVE_AS:
		return "save as: ";
	case PROMPT_POOL:
		return "add pool hosts from file: ";
	case PROMPT_POOL_REMOVE:
		return "remove from the pool the host: ";
	}
	return "";
}

void view_bars_keybar_draw(WINDOW *w, const struct app *app)
{
	int cols = getmaxx(w), x = 0;
	char key[16], line[400];
	const char *label;
	enum action a;

	werase(w);
	if (app->mode == MODE_PROMPT) {
		int used = view_put(w, 0, 0, prompt_label(app->prompt), cols, term_attr(TC_PROMPT));
		used += view_put(w, 0, used, app->input, cols - used - 1, A_NORMAL);
		used += view_put(w, 0, used, " ", 1, A_REVERSE);
		/* what Tab found, after the cursor */
		if (app->status[0])
			view_put(w, 0, used + 2, app->status, cols - used - 2,
			         app->status_error ? term_attr(TC_STATUS_ERR) : term_attr(TC_DIM));
		return;
	}
	if (app->mode == MODE_CONFIRM && app->confirm == CONFIRM_REPLACE) {
		snprintf(line, sizeof(line), "%s exists: replace it? ", app->save_pending);
		x = view_put(w, 0, 0, line, cols, term_attr(TC_PROMPT));
	} else if (app->mode == MODE_CONFIRM) {
		const char *file = app->path && !app->path_is_host ? app->path : "a new file";
		snprintf(line, sizeof(line), "unsaved changes: save to %s first? ", file);
		x = view_put(w, 0, 0, line, cols, term_attr(TC_PROMPT));
	} else if (app->status[0]) {
		view_put(w, 0, 0, app->status, cols,
		         app->status_error ? term_attr(TC_STATUS_ERR) : A_NORMAL);
		return;
	}
	enum keys_ctx ctx = app_key_context(app);
	for (size_t i = 0; keys_bar_entry(ctx, i, key, sizeof(key), &label, &a); i++) {
		int kw = (int)strlen(key), lw = (int)strlen(label);
		if (x + kw + lw + 1 > cols)
			break;
		view_put(w, 0, x, key, kw, term_attr(TC_KEY));
		view_put(w, 0, x + kw + 1, label, lw, A_NORMAL);
		x += kw + lw + 2;
	}
}

void view_bars_separator_draw(WINDOW *w)
{
	int rows = getmaxy(w);
	for (int y = 0; y < rows; y++)
		view_put(w, y, 0, term_glyphs()->vline, 1, term_attr(TC_DIM));
}

void view_bars_small_draw(WINDOW *w, int rows, int cols)
{
	char msg[128];
	int y = rows / 2 - 1;

	werase(w);
	snprintf(msg, sizeof(msg), "terminal too small: %dx%d", cols, rows);
	view_put(w, y < 0 ? 0 : y, 0, msg, cols, term_attr(TC_BAD));
	snprintf(msg, sizeof(msg), "cpuscope needs at least %dx%d", APP_MIN_COLS, APP_MIN_ROWS);
	if (y + 1 < rows)
		view_put(w, y + 1, 0, msg, cols, A_NORMAL);
	if (y + 2 < rows)
		view_put(w, y + 2, 0, "enlarge the window, or q to quit", cols, A_NORMAL);
}
