/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* view_output.c: the output view: the guest's <cpu>, -cpu, verdicts and export forms */
#include "tui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuscope/xalloc.h"
#include "tui/app_int.h"

/* ---- rows ----------------------------------------------------------------- */

/* Why the hosts lack the features at fault, where that is known. */
static void why_section(struct app *app, struct app_lines *t, size_t w)
{
	struct cs_reason_group g[16];
	struct cs_fset missing;
	const struct cs_fset *cpu = app->cpu.present ? &app->cpu.features : NULL,
	                     *kvm = app->kvm.present ? &app->kvm.features : NULL;
	char line[700];
	size_t n;

	/* Required features some side lacks (those the CPU lacks and KVM
	 * gives are among them: only cpu-compare holds them against the guest). */
	cs_fset_union(&missing, &app->v_cpu.missing, &app->v_kvm.missing);
	cs_fset_union(&missing, &missing, &app->v_pool.missing);
	n = engine_missing_reasons(app->arch, &missing, app->cpu.vendor, cpu, kvm,
	                           !strcmp(app_hv_name(app), "TCG"), g, sizeof(g) / sizeof(g[0]));
	if (!n)
		return;
	app_lines_text(t, "");
	app_lines_text(t, "Why the host lacks them:");
	for (size_t i = 0; i < n; i++) {
		line[0] = '\0';
		app_names_of(app, &g[i].features, 12, line, sizeof(line));
		app_append(line, sizeof(line), ": %s", g[i].reason);
		app_lines_wrapped(t, line, w);
	}
	if (app->fix_model >= 0 && app->guest->model >= 0) {
		snprintf(line, sizeof(line), "A falls back to %s.",
		         app->arch->models[app->fix_model].name);
		app_lines_wrapped(t, line, w);
	}
}

/* An export form under its title, with what it cannot say as comments;
 * takes text and notes (either may be NULL). */
static void export_section(struct app_lines *t, size_t w, const char *title, char *text,
                           char *notes)
{
	char line[700];

	app_lines_text(t, title);
	if (text && !strchr(text, '\n'))
		app_lines_wrapped(t, text, w); /* one command */
	else if (text)
		app_lines_text(t, text);
	for (char *s = notes, *nl; s && *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			break;
		*nl = '\0';
		snprintf(line, sizeof(line), "  # %s", s);
		app_lines_wrapped(t, line, w);
	}
	app_lines_text(t, "");
	free(text);
	free(notes);
}

static void build_output(struct app *app)
{
	char *xml = engine_guest_xml(app->guest);
	char *arg = engine_qemu_arg(app->guest, app_ref_host(app));
	struct app_lines t;
	size_t w =
	        (size_t)(app->layout.pane[PANE_OUTPUT].w > 2 ? app->layout.pane[PANE_OUTPUT].w - 2
	                                                     : 60);
	char line[700];

	app_lines_reset(&t, &app->text[PANE_OUTPUT]);
	app_lines_text(&t, "Guest <cpu> (for virsh edit):");
	app_lines_text(&t, xml);
	app_lines_text(&t, "");
	app_lines_text(&t, "QEMU argument:");
	app_lines_wrapped(&t, arg, w);
	app_lines_text(&t, "");
	snprintf(line, sizeof(line), "Guest sees %u features.", cs_fset_count(&app->effective));
	app_lines_text(&t, line);
	if (!cs_fset_is_empty(&app->mitig_off)) {
		snprintf(line, sizeof(line),
		         "Mitigations the host has and the guest lacks (M requires them): ");
		app_names_of(app, &app->mitig_off, 20, line, sizeof(line));
		app_lines_wrapped(&t, line, w);
	}
	if (!strcmp(app->arch->name, "x86") &&
	    (app->guest->model >= 0 || app->guest->mode != CS_CPU_MODE_CUSTOM)) {
		snprintf(line, sizeof(line), "Level %s", engine_level_name(app->level));
		if (app->level < ENGINE_LEVEL_MAX && cs_fset_is_empty(&app->level_next)) {
			app_append(line, sizeof(line), "; the map lacks features %s needs",
			           engine_level_name(app->level + 1));
		} else if (app->level < ENGINE_LEVEL_MAX) {
			app_append(line, sizeof(line), "; %s also needs ",
			           engine_level_name(app->level + 1));
			app_names_of(app, &app->level_next, 12, line, sizeof(line));
		}
		app_append(line, sizeof(line), " (RHEL 9 needs x86-64-v2, RHEL 10 x86-64-v3).");
		app_lines_wrapped(&t, line, w);
	}
	/* libvirt's messages in full, wrapped */
	char *msg = cs_xasprintf("cpu-compare (%s): %s: %s", app->cpu.source,
	                         engine_verdict_name(app->v_cpu.state, app->v_cpu.compat),
	                         app->v_cpu.message);
	app_lines_wrapped(&t, msg, w);
	free(msg);
	if (app->kvm.present) {
		msg = cs_xasprintf("hypervisor-cpu-compare (%s): %s: %s", app_hv_name(app),
		                   engine_verdict_name(app->v_kvm.state, app->v_kvm.compat),
		                   app->v_kvm.message);
		app_lines_wrapped(&t, msg, w);
		free(msg);
	}
	why_section(app, &t, w);
	app_lines_text(&t, "");
	{
		char *notes = NULL, *vx = engine_export(app->guest, ENGINE_EXPORT_VIRT_XML, &notes),
		     *kv;
		char *cmd = cs_xasprintf("virt-xml VM --edit --cpu %s", vx);
		free(vx);
		export_section(&t, w, "virt-xml / virt-install:", cmd, notes);
		notes = NULL;
		kv = engine_export(app->guest, ENGINE_EXPORT_KUBEVIRT, &notes);
		export_section(&t, w, "KubeVirt (spec.domain.cpu of the VMI):", kv, notes);
		notes = NULL;
		char *px = engine_export(app->guest, ENGINE_EXPORT_PROXMOX, &notes);
		export_section(&t, w, "Proxmox VE (custom CPU model):", px, notes);
		notes = NULL;
		char *nova = engine_export(app->guest, ENGINE_EXPORT_NOVA, &notes);
		export_section(&t, w, "OpenStack Nova:", nova, notes);
	}
	free(xml);
	free(arg);
	app->text[PANE_OUTPUT].stale = false;
	view_fit(app, PANE_OUTPUT);
}

static size_t output_rows(const struct app *app)
{
	return app->text[PANE_OUTPUT].n;
}

static void output_refresh(struct app *app, unsigned changed)
{
	if (changed & (VIEW_CHANGED_GUEST | VIEW_CHANGED_SIZE))
		app->text[PANE_OUTPUT].stale = true;
}

static void output_prepare(struct app *app)
{
	if (app->text[PANE_OUTPUT].stale || !app->text[PANE_OUTPUT].lines)
		build_output(app);
}

/* ---- keys ----------------------------------------------------------------- */

/* y and Y: the guest's <cpu> XML or its -cpu argument for the clipboard. */
static int copy(struct app *app, bool arg)
{
	char *text =
	        arg ? engine_qemu_arg(app->guest, app_ref_host(app)) : engine_guest_xml(app->guest);

	if (arg && text[0] == '(') { /* no argument: the text says why */
		app_status(app, true, "nothing copied: %s", text);
		free(text);
		return APP_REDRAW;
	}
	free(app->clip);
	app->clip = text;
	app_status(app, false, "copied the %s (%zu bytes) to the clipboard (terminal OSC 52)",
	           arg ? "QEMU -cpu argument" : "guest <cpu> XML", strlen(text));
	return APP_REDRAW | APP_CLIPBOARD;
}

static int output_key(struct app *app, enum action a, bool focused)
{
	switch (a) {
	case ACT_FOCUS_OUTPUT:
		return app_show_view(app, PANE_OUTPUT);
	case ACT_COPY:
	case ACT_COPY_ARG:
		return copy(app, a == ACT_COPY_ARG);
	default:
		break;
	}
	return focused && view_move_action(app, PANE_OUTPUT, a) ? APP_REDRAW : 0;
}

static int output_mouse(struct app *app, enum app_mouse ev, int y, int x)
{
	(void)y;
	(void)x;
	if (ev == MOUSE_WHEEL_UP || ev == MOUSE_WHEEL_DOWN)
		view_move(app, PANE_OUTPUT, ev == MOUSE_WHEEL_UP ? -3 : 3);
	return APP_REDRAW;
}

/* ---- drawing -------------------------------------------------------------- */

static void output_draw(WINDOW *w, const struct app *app, bool focused)
{
	char right[48];

	snprintf(right, sizeof(right), "%zu lines ", app->text[PANE_OUTPUT].n);
	view_title(w, " Output: guest <cpu> and QEMU -cpu", right, focused);
	view_draw_lines(w, &app->text[PANE_OUTPUT], app->list[PANE_OUTPUT].scroll);
}

const struct view_ops view_output_ops = {
        .name = "output",
        .ctx = KCTX_OUTPUT,
        .place = VIEW_PLACE_SIDE,
        .text = true,
        .chrome = 1,
        .rows = output_rows,
        .key = output_key,
        .mouse = output_mouse,
        .update = output_refresh,
        .prepare = output_prepare,
        .draw = output_draw,
};
