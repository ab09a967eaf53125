/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* host.c: the host CPU from a probe or a file, its libvirt decodes, and their output */
#include "cpuscope/host.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "core/host_int.h"
#include "cpuscope/escape.h"
#include "cpuscope/level.h"
#include "cpuscope/xalloc.h"
#include "strbuf.h"

/* ---- names -------------------------------------------------------------------- */

const char *cs_host_source_name(enum cs_host_source s)
{
	switch (s) {
	case CS_HOST_SOURCE_CPUID:
		return "cpuid";
	case CS_HOST_SOURCE_KVM:
		return "kvm";
	case CS_HOST_SOURCE_CPUINFO:
		return "cpuinfo";
	case CS_HOST_SOURCE_FILE:
		return "file";
	}
	return "?";
}

const char *cs_host_file_name(enum cs_host_file k)
{
	switch (k) {
	case CS_HOST_FILE_NONE:
		return "unknown";
	case CS_HOST_FILE_CPUDATA:
		return "libvirt CPUID dump";
	case CS_HOST_FILE_CPUID_RAW:
		return "cpuid -r output";
	case CS_HOST_FILE_CPUINFO:
		return "/proc/cpuinfo copy";
	case CS_HOST_FILE_CAPABILITIES:
		return "virsh capabilities";
	case CS_HOST_FILE_DOMCAPS:
		return "virsh domcapabilities";
	case CS_HOST_FILE_CPU:
		return "<cpu> element";
	}
	return "?";
}

int cs_host_source_parse(const char *s, enum cs_host_source *out)
{
	static const enum cs_host_source all[] = {CS_HOST_SOURCE_CPUID, CS_HOST_SOURCE_KVM,
	                                          CS_HOST_SOURCE_CPUINFO};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(s, cs_host_source_name(all[i]))) {
			*out = all[i];
			return 0;
		}
	return -1;
}

/* ---- the host object ------------------------------------------------------------ */

static struct cs_host *host_new(enum cs_host_source requested)
{
	struct cs_host *h = cs_xcalloc(1, sizeof(*h));

	h->requested = requested;
	h->source = requested;
	h->given_model = -1;
	h->facts.vendor = -1;
	h->cpu_facts.vendor = -1;
	h->kvm_facts.vendor = -1;
	return h;
}

void cs_host_free(struct cs_host *host)
{
	if (!host)
		return;
	free(host->path);
	free(host->arch_name);
	cs_cpudata_release(&host->data);
	cs_cpudata_release(&host->kvm_data);
	free(host->brand);
	for (size_t i = 0; i < host->nunknown; i++)
		free(host->unknown[i]);
	free(host->unknown);
	free(host->notes);
	free(host);
}

static void add_note(struct cs_host *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_note(struct cs_host *h, const char *fmt, ...)
{
	char line[600];
	va_list ap;
	size_t old = h->notes ? strlen(h->notes) : 0;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	h->notes = cs_xreallocarray(h->notes, old + strlen(line) + 2, 1);
	memcpy(h->notes + old, line, strlen(line));
	h->notes[old + strlen(line)] = '\n';
	h->notes[old + strlen(line) + 1] = '\0';
}

static void set_arch(struct cs_host *h, const struct cs_map *map, const char *arch_name)
{
	free(h->arch_name);
	h->arch_name = cs_xstrdup(arch_name);
	h->arch = cs_map_arch(map, arch_name);
}

/* The brand string of CPUID leaves 0x80000002..4, trimmed, or NULL. */
static char *brand_from_data(const struct cs_cpudata *d)
{
	char s[49];
	size_t n = 0;
	char *b, *e;

	for (uint32_t leaf = 0x80000002u; leaf <= 0x80000004u; leaf++) {
		const struct cs_item *it = cs_cpudata_find(d, CS_ITEM_CPUID, leaf, 0);

		for (int r = 0; r < 4; r++)
			for (int i = 0; i < 4; i++) {
				unsigned char c = it ? (unsigned char)(it->reg[r] >> (8 * i)) : 0;

				s[n++] = (char)(isprint(c) ? c : 0);
			}
	}
	s[48] = '\0';
	b = s;
	while (*b == ' ')
		b++;
	e = b + strlen(b);
	while (e > b && e[-1] == ' ')
		*--e = '\0';
	return *b ? cs_xstrdup(b) : NULL;
}

/* The data has been read: derive the facts over the x86 section. */
static int finish_x86(struct cs_host *h, const struct cs_map *map, const char *name,
                      struct cs_error *err)
{
	set_arch(h, map, "x86_64");
	if (!h->arch) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, name, 0, "the CPU map has no x86 section");
		return -1;
	}
	cs_cpudata_facts(h->arch, &h->data, &h->facts);
	cs_cpudata_vendor_string(&h->data, h->vendor_string, sizeof(h->vendor_string));
	if (!h->brand)
		h->brand = brand_from_data(&h->data);
	h->has_data = true;
	h->has_cpu = true;
	h->cpu_facts = h->facts;
	return 0;
}

/* ---- probing -------------------------------------------------------------------- */

static int probe_cpuid(struct cs_host *h, const struct cs_map *map, const struct cs_probe_env *env,
                       struct cs_error *err)
{
	struct cs_cpuid_source native;
	const struct cs_cpuid_source *src = env->cpuid;
	const struct cs_item *l7;

	if (!src) {
		if (cs_cpuid_source_native(&native, err) < 0)
			return -1;
		src = &native;
	}
	if (cs_cpuid_enumerate(src, &h->data, err) < 0)
		return -1;
	/* libvirt reads IA32_ARCH_CAPABILITIES when CPUID says it exists. */
	l7 = cs_cpudata_find(&h->data, CS_ITEM_CPUID, 7, 0);
	if (l7 && (l7->reg[CS_REG_EDX] & (1u << 29))) {
		struct cs_msr_host mh = {env->kvm_path, NULL};
		struct cs_msr_source hostmsr;
		const struct cs_msr_source *msr = env->msr;
		struct cs_error merr = {0};
		uint64_t v;

		if (!msr) {
			cs_msr_source_host(&hostmsr, &mh);
			msr = &hostmsr;
		}
		if (msr->read(msr->ctx, 0x10a, &v, &merr) == 0) {
			struct cs_item it = {.kind = CS_ITEM_MSR, .leaf = 0x10a};

			it.reg[CS_REG_EAX] = (uint32_t)v;
			it.reg[CS_REG_EDX] = (uint32_t)(v >> 32);
			cs_cpudata_add(&h->data, &it);
		} else {
			add_note(h, "MSR 0x10a (IA32_ARCH_CAPABILITIES) not read: %s", merr.msg);
		}
	}
	h->source = CS_HOST_SOURCE_CPUID;
	return finish_x86(h, map, NULL, err);
}

static int probe_kvm_into(struct cs_host *h, const struct cs_map *map, const char *kvm_path,
                          struct cs_error *err)
{
	const struct cs_arch *x86 = cs_map_arch(map, "x86");

	if (!x86) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, NULL, 0, "the CPU map has no x86 section");
		return -1;
	}
	if (cs_kvm_probe(kvm_path, &h->kvm_data, err) < 0)
		return -1;
	cs_cpudata_facts(x86, &h->kvm_data, &h->kvm_facts);
	h->has_kvm = true;
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Most flags one cpuinfo "flags" line may list: Linux prints a few hundred. */
#define MAX_CPUINFO_FLAGS 4096

static void add_unknown(struct cs_host *h, const char *flag)
{
	for (size_t i = 0; i < h->nunknown; i++)
		if (!strcmp(h->unknown[i], flag))
			return;
	h->unknown = cs_xreallocarray(h->unknown, h->nunknown + 1, sizeof(*h->unknown));
	h->unknown[h->nunknown++] = cs_xstrdup(flag);
}

/* Parse the first processor block of a /proc/cpuinfo text. */
static int parse_cpuinfo(struct cs_host *h, const struct cs_map *map, const char *buf,
                         const char *name, const char *machine, struct cs_error *err)
{
	char *copy = cs_xstrdup(buf);
	char *save = NULL, *flags = NULL, *vendor = NULL;
	long family = -1, model = -1, stepping = -1;
	bool seen_processor = false, x86;
	size_t nflags = 0;
	int ret = -1;

	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':');
		char *key, *val;

		if (!colon)
			continue;
		*colon = '\0';
		key = trim(line);
		val = trim(colon + 1);
		if (!strcmp(key, "processor")) {
			if (seen_processor)
				break;
			seen_processor = true;
		} else if (!strcmp(key, "vendor_id") && !vendor) {
			vendor = val;
		} else if (!strcmp(key, "cpu family") && family < 0) {
			family = strtol(val, NULL, 10);
		} else if (!strcmp(key, "model") && model < 0 && isdigit((unsigned char)*val)) {
			model = strtol(val, NULL, 10);
		} else if (!strcmp(key, "stepping") && stepping < 0) {
			stepping = strtol(val, NULL, 10);
		} else if (!strcmp(key, "model name") && !h->brand) {
			h->brand = cs_xstrdup(val);
		} else if ((!strcmp(key, "flags") || !strcmp(key, "Features")) && !flags) {
			flags = val;
		}
	}
	if (!flags) {
		cs_error_set(err, CS_ERR_INVALID, name, 0,
		             "no 'flags' or 'Features' line: not a /proc/cpuinfo text");
		goto out;
	}
	x86 = vendor != NULL || !strcmp(machine, "x86_64") || !strcmp(machine, "i686");
	if (x86)
		set_arch(h, map, "x86_64");
	else
		set_arch(h, map, machine);
	if (!h->arch) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, name, 0, "the CPU map has no section for %s",
		             h->arch_name);
		goto out;
	}
	cs_fset_zero(&h->facts.features);
	h->facts.vendor = -1;
	h->facts.signature = 0;
	if (vendor) {
		snprintf(h->vendor_string, sizeof(h->vendor_string), "%s", vendor);
		for (size_t i = 0; i < h->arch->nvendors; i++)
			if (h->arch->vendors[i].string &&
			    !strcmp(h->arch->vendors[i].string, vendor))
				h->facts.vendor = (int)i;
	}
	if (x86 && family > 0 && model >= 0)
		h->facts.signature = cs_signature_make((unsigned)family, (unsigned)model,
		                                       stepping >= 0 ? (unsigned)stepping : 0);
	for (char *f = strtok_r(flags, " \t", &save); f; f = strtok_r(NULL, " \t", &save)) {
		const char *mapped;
		int id;

		if (++nflags > MAX_CPUINFO_FLAGS) {
			cs_error_set(err, CS_ERR_INVALID, name, 0,
			             "more than %d flags: not a /proc/cpuinfo text",
			             MAX_CPUINFO_FLAGS);
			goto out;
		}
		mapped = cs_cpuinfo_translate(h->arch, f, vendor);
		id = mapped ? cs_arch_find_feature(h->arch, mapped) : -1;

		if (id >= 0)
			cs_fset_set(&h->facts.features, (unsigned)id);
		else
			add_unknown(h, f);
	}
	h->has_cpu = true;
	h->cpu_facts = h->facts;
	ret = 0;
out:
	free(copy);
	return ret;
}

static const char *machine_name(const struct cs_probe_env *env, struct utsname *u)
{
	if (env->machine)
		return env->machine;
	if (uname(u) == 0)
		return u->machine;
	return "unknown";
}

static int probe_cpuinfo(struct cs_host *h, const struct cs_map *map,
                         const struct cs_probe_env *env, struct cs_error *err)
{
	const char *path = env->cpuinfo_path ? env->cpuinfo_path : "/proc/cpuinfo";
	struct utsname u;
	char *buf = NULL;
	int ret;

	if (cs_read_file(path, CS_MAX_FILE_SIZE, &buf, NULL, err) < 0)
		return -1;
	h->source = CS_HOST_SOURCE_CPUINFO;
	ret = parse_cpuinfo(h, map, buf, path, machine_name(env, &u), err);
	free(buf);
	return ret;
}

struct cs_host *cs_host_probe(const struct cs_map *map, enum cs_host_source source,
                              const struct cs_probe_env *env_in, struct cs_error *err)
{
	static const struct cs_probe_env none = {0};
	const struct cs_probe_env *env = env_in ? env_in : &none;
	struct cs_host *h = host_new(source);
	struct cs_error e = {0};
	enum cs_host_source next = source;

	switch (source) {
	case CS_HOST_SOURCE_FILE:
		cs_error_set(err, CS_ERR_UNSUPPORTED, NULL, 0, "use cs_host_load() for files");
		goto fail;
	case CS_HOST_SOURCE_KVM:
		if (probe_kvm_into(h, map, env->kvm_path, &e) == 0) {
			struct cs_error ce = {0};

			cs_cpudata_release(&h->data);
			h->source = CS_HOST_SOURCE_KVM;
			/* The CPU's own view too, for reports; not needed for the answer. */
			if (probe_cpuid(h, map, env, &ce) < 0)
				h->has_cpu = false;
			cs_cpudata_release(&h->data);
			h->source = CS_HOST_SOURCE_KVM;
			for (size_t i = 0; i < h->kvm_data.nitems; i++)
				cs_cpudata_add(&h->data, &h->kvm_data.items[i]);
			h->has_data = true;
			h->facts = h->kvm_facts;
			if (!h->arch_name)
				set_arch(h, map, "x86_64");
			cs_cpudata_vendor_string(&h->data, h->vendor_string,
			                         sizeof(h->vendor_string));
			return h;
		}
		if (env->no_fallback) {
			cs_error_set(err, e.code, NULL, 0, "%s", e.msg);
			goto fail;
		}
		add_note(h,
		         "kvm source unavailable (%s); showing what the CPU itself reports "
		         "(CPUID), not what KVM can give a guest",
		         e.msg);
		next = CS_HOST_SOURCE_CPUID;
		break;
	case CS_HOST_SOURCE_CPUID:
	case CS_HOST_SOURCE_CPUINFO:
		break;
	}

	if (next == CS_HOST_SOURCE_CPUID) {
		cs_error_clear(&e);
		if (probe_cpuid(h, map, env, &e) == 0) {
			if (env->with_kvm) {
				struct cs_error ke = {0};

				if (probe_kvm_into(h, map, env->kvm_path, &ke) < 0)
					add_note(h, "KVM view unavailable: %s", ke.msg);
			}
			return h;
		}
		if (env->no_fallback) {
			cs_error_set(err, e.code, NULL, 0, "%s", e.msg);
			goto fail;
		}
		add_note(h, "cpuid source unavailable (%s); using /proc/cpuinfo", e.msg);
		next = CS_HOST_SOURCE_CPUINFO;
	}

	cs_error_clear(&e);
	if (probe_cpuinfo(h, map, env, err) == 0)
		return h;
fail:
	cs_host_free(h);
	return NULL;
}

/* ---- files ---------------------------------------------------------------------- */

/* True when the len bytes from p up to end start with the string lit. */
static bool starts_with(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(end - p) >= n && !memcmp(p, lit, n);
}

/* The name of the root element of an XML text, skipping the prolog.  The
 * text runs to end and need not be NUL-terminated. */
static bool root_name(const char *p, const char *end, char *name, size_t size)
{
	while (p < end) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (p >= end || *p != '<')
			return false;
		if (starts_with(p, end, "<?") || starts_with(p, end, "<!")) {
			bool comment = starts_with(p, end, "<!--");
			const char *close = comment ? memmem(p, (size_t)(end - p), "-->", 3)
			                            : memchr(p, '>', (size_t)(end - p));

			if (!close)
				return false;
			p = close + (comment ? 3 : 1);
			continue;
		}
		p++;
		size_t n = 0;

		while (p < end &&
		       (isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == ':') &&
		       n + 1 < size)
			name[n++] = *p++;
		name[n] = '\0';
		return n > 0;
	}
	return false;
}

enum cs_host_file cs_host_detect(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	char root[64];

	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p < end && *p == '<') {
		if (!root_name(p, end, root, sizeof(root)))
			return CS_HOST_FILE_NONE;
		if (!strcmp(root, "cpudata"))
			return CS_HOST_FILE_CPUDATA;
		if (!strcmp(root, "capabilities"))
			return CS_HOST_FILE_CAPABILITIES;
		if (!strcmp(root, "domainCapabilities"))
			return CS_HOST_FILE_DOMCAPS;
		if (!strcmp(root, "cpu"))
			return CS_HOST_FILE_CPU;
		return CS_HOST_FILE_NONE;
	}
	if (end - p >= 3 && (!strncmp(p, "CPU", 3) || !strncmp(p, "0x", 2)))
		return CS_HOST_FILE_CPUID_RAW;
	if (end - p >= 9 && (!strncmp(p, "processor", 9) || !strncmp(p, "vendor_id", 9)))
		return CS_HOST_FILE_CPUINFO;
	return CS_HOST_FILE_NONE;
}

/* The line (from 1) of position at in text. */
static unsigned line_of(const char *text, const char *at)
{
	unsigned line = 1;

	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

/* The text of the first XML comment before the root element, trimmed. */
static char *leading_comment(const char *buf)
{
	const char *start = strstr(buf, "<!--"), *stop, *root = strstr(buf, "<cpudata");
	char *s;

	if (!start || !root || start > root)
		return NULL;
	stop = strstr(start, "-->");
	if (!stop)
		return NULL;
	s = cs_xstrndup(start + 4, (size_t)(stop - start - 4));
	{
		char *t = trim(s);
		char *r = *t ? cs_xstrdup(t) : NULL;

		free(s);
		return r;
	}
}

struct cs_host *cs_host_parse(const struct cs_map *map, const char *buf, size_t len,
                              const char *name, struct cs_error *err)
{
	struct cs_host *h = host_new(CS_HOST_SOURCE_FILE);
	struct utsname u;
	static const struct cs_probe_env none = {0};
	const char *nul;
	char *text;

	h->file_kind = cs_host_detect(buf, len);
	h->path = name ? cs_xstrdup(name) : NULL;
	/* buf need not be NUL-terminated; the text parsers want a string. */
	text = cs_xmalloc(len + 1);
	memcpy(text, buf, len);
	text[len] = '\0';
	switch (h->file_kind) {
	case CS_HOST_FILE_NONE:
		cs_error_set(err, CS_ERR_INVALID, name, 0,
		             "unrecognised host file: expected a libvirt CPUID dump, `cpuid -r` "
		             "output, /proc/cpuinfo, virsh capabilities or domcapabilities, or a "
		             "<cpu> element");
		goto fail;
	case CS_HOST_FILE_CPUDATA:
		if (cs_cpudata_parse_xml(buf, len, name, &h->data, err) < 0)
			goto fail;
		h->brand = leading_comment(text);
		if (finish_x86(h, map, name, err) < 0)
			goto fail;
		break;
	case CS_HOST_FILE_CPUID_RAW:
		if (cs_cpudata_parse_cpuid_raw(buf, len, name, &h->data, err) < 0)
			goto fail;
		if (finish_x86(h, map, name, err) < 0)
			goto fail;
		break;
	case CS_HOST_FILE_CPUINFO:
		nul = memchr(buf, '\0', len);
		if (nul) {
			cs_error_set(err, CS_ERR_INVALID, name, line_of(buf, nul),
			             "NUL byte in a /proc/cpuinfo text");
			goto fail;
		}
		if (parse_cpuinfo(h, map, text, name, machine_name(&none, &u), err) < 0)
			goto fail;
		break;
	case CS_HOST_FILE_CAPABILITIES:
	case CS_HOST_FILE_DOMCAPS:
	case CS_HOST_FILE_CPU:
		if (cs_host_load_cpu_xml(h, map, buf, len, name, err) < 0)
			goto fail;
		break;
	}
	free(text);
	return h;
fail:
	free(text);
	cs_host_free(h);
	return NULL;
}

struct cs_host *cs_host_load(const struct cs_map *map, const char *path, struct cs_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	struct cs_host *h;

	if (cs_read_file(path, CS_MAX_FILE_SIZE, &buf, &len, err) < 0)
		return NULL;
	h = cs_host_parse(map, buf, len, path, err);
	free(buf);
	return h;
}

/* ---- decoding ------------------------------------------------------------------- */

static int need_x86(const struct cs_host *h, struct cs_error *err)
{
	if (!h->arch || !h->arch->nmodels || strcmp(h->arch->name, "x86")) {
		cs_error_set(err, CS_ERR_UNSUPPORTED, h->path, 0,
		             "choosing a CPU model is only defined for x86 (this CPU is %s)",
		             h->arch_name ? h->arch_name : "of an unknown architecture");
		return -1;
	}
	return 0;
}

/* A decode of a host read from a file that fails names the file. */
static int name_file(const struct cs_host *host, int rc, struct cs_error *err)
{
	if (rc < 0 && err && !err->file[0] && host->path)
		snprintf(err->file, sizeof(err->file), "%s", host->path);
	return rc;
}

int cs_host_decode(const struct cs_host *host, struct cs_decoded *out, struct cs_error *err)
{
	struct cs_decode_opts opts = {.mode = CS_DECODE_HOST};

	if (need_x86(host, err) < 0)
		return -1;
	if (host->given_model >= 0 && !host->given_is_guest) {
		/* A host <cpu> from libvirt already is its decode. */
		out->model = host->given_model;
		out->vendor = host->facts.vendor;
		out->signature = host->facts.signature;
		out->require = host->given_require;
		cs_fset_zero(&out->disable);
		return 0;
	}
	return name_file(host, cs_decode(host->arch, &host->facts, &opts, out, err), err);
}

int cs_host_decode_guest(const struct cs_host *host, struct cs_decoded *out, struct cs_error *err)
{
	struct cs_decode_opts opts = {.mode = CS_DECODE_GUEST};

	if (need_x86(host, err) < 0)
		return -1;
	return name_file(host, cs_decode(host->arch, &host->facts, &opts, out, err), err);
}

int cs_host_model(const struct cs_host *host, struct cs_decoded *out, struct cs_error *err)
{
	const struct cs_cpu_facts *view;
	struct cs_allowed_model *allowed;
	struct cs_decode_opts opts = {.mode = CS_DECODE_GUEST};
	size_t n = 0;
	int ret;

	if (need_x86(host, err) < 0)
		return -1;
	if (host->given_model >= 0 && host->given_is_guest) {
		out->model = host->given_model;
		out->vendor = host->facts.vendor;
		out->signature = host->facts.signature;
		out->require = host->given_require;
		out->disable = host->given_disable;
		return 0;
	}
	view = host->has_kvm ? &host->kvm_facts : &host->facts;
	allowed = cs_qemu_allowed_models(host->arch, &view->features, &n);
	opts.allowed = allowed;
	opts.nallowed = n;
	ret = name_file(host, cs_decode(host->arch, view, &opts, out, err), err);
	free(allowed);
	if (ret == 0)
		cs_decoded_filter_qemu(host->arch, out);
	return ret;
}

/* ---- output ---------------------------------------------------------------------- */

char *cs_decoded_format_xml(const struct cs_arch *arch, const struct cs_decoded *d,
                            enum cs_cpu_xml_form form, const char *arch_name)
{
	struct cs_buf b = {0};
	const char *model = arch->models[d->model].name;
	const char *vendor = d->vendor >= 0 ? arch->vendors[d->vendor].name : NULL;
	struct cs_fset appended, missing;
	int id;

	switch (form) {
	case CS_CPU_XML_HOST: {
		unsigned fam, mod, step;

		cs_buf_addf(&b, "<cpu>\n  <arch>%s</arch>\n  <model>%s</model>\n",
		            arch_name ? arch_name : "x86_64", model);
		if (vendor)
			cs_buf_addf(&b, "  <vendor>%s</vendor>\n", vendor);
		cs_signature_split(d->signature, &fam, &mod, &step);
		if (fam)
			cs_buf_addf(&b, "  <signature family='%u' model='%u' stepping='%u'/>\n",
			            fam, mod, step);
		cs_fset_foreach (id, &d->require)
			cs_buf_addf(&b, "  <feature name='%s'/>\n", arch->features[id].name);
		cs_buf_addf(&b, "</cpu>\n");
		break;
	}
	case CS_CPU_XML_GUEST:
	case CS_CPU_XML_HOST_MODEL:
		if (form == CS_CPU_XML_GUEST)
			cs_buf_addf(&b, "<cpu mode='custom' match='exact'>\n");
		else
			cs_buf_addf(&b, "<mode name='host-model' supported='yes'>\n");
		cs_buf_addf(&b, "  <model fallback='forbid'>%s</model>\n", model);
		if (vendor)
			cs_buf_addf(&b, "  <vendor>%s</vendor>\n", vendor);
		cs_fset_foreach (id, &d->require)
			cs_buf_addf(&b, "  <feature policy='require' name='%s'/>\n",
			            arch->features[id].name);
		/* A model's removed features come after the missing ones: libvirt
		 * appends them to the list once decoding has built it. */
		cs_fset_zero(&appended);
		if (d->model >= 0)
			cs_fset_intersect(&appended, &d->disable, &arch->models[d->model].removed);
		cs_fset_diff(&missing, &d->disable, &appended);
		cs_fset_foreach (id, &missing)
			cs_buf_addf(&b, "  <feature policy='disable' name='%s'/>\n",
			            arch->features[id].name);
		cs_fset_foreach (id, &appended)
			cs_buf_addf(&b, "  <feature policy='disable' name='%s'/>\n",
			            arch->features[id].name);
		cs_buf_addf(&b, form == CS_CPU_XML_GUEST ? "</cpu>\n" : "</mode>\n");
		break;
	}
	return cs_buf_detach(&b);
}

static const char *yes_no(bool known, bool v)
{
	return !known ? "?" : v ? "yes" : "no";
}

/* The report as the terminal may show it: what a file put in it (a brand
 * string, a vendor, a flag name) cannot carry escape sequences. */
static char *term_detach(struct cs_buf *b)
{
	char *raw = cs_buf_detach(b), *shown = cs_term_lines(raw);

	free(raw);
	return shown;
}

char *cs_host_format_text(const struct cs_host *host)
{
	struct cs_buf b = {0};
	struct cs_decoded hd, hm;
	struct cs_error e1 = {0}, e2 = {0};
	bool have_hd, have_hm;
	const struct cs_arch *arch = host->arch;
	unsigned fam, mod, step;

	cs_buf_addf(&b, "source:      %s", cs_host_source_name(host->source));
	if (host->source == CS_HOST_SOURCE_FILE)
		cs_buf_addf(&b, " (%s: %s)", cs_host_file_name(host->file_kind),
		            host->path ? host->path : "-");
	else if (host->requested != host->source)
		cs_buf_addf(&b, " (asked for %s)", cs_host_source_name(host->requested));
	cs_buf_addf(&b, "\narch:        %s\n", host->arch_name ? host->arch_name : "unknown");
	if (host->brand)
		cs_buf_addf(&b, "brand:       %s\n", host->brand);
	if (host->facts.vendor >= 0 && arch)
		cs_buf_addf(&b, "vendor:      %s%s%s%s\n", arch->vendors[host->facts.vendor].name,
		            host->vendor_string[0] ? " (" : "", host->vendor_string,
		            host->vendor_string[0] ? ")" : "");
	else if (host->vendor_string[0])
		cs_buf_addf(&b, "vendor:      unknown (%s)\n", host->vendor_string);
	cs_signature_split(host->facts.signature, &fam, &mod, &step);
	if (fam)
		cs_buf_addf(&b, "signature:   family %u model %u stepping %u (0x%06x)\n", fam, mod,
		            step, host->facts.signature);
	if (!arch) {
		cs_buf_addf(&b, "features:    the CPU map has no section for this architecture\n");
		return term_detach(&b);
	}

	have_hd = cs_host_decode(host, &hd, &e1) == 0;
	have_hm = cs_host_model(host, &hm, &e2) == 0;
	if (have_hd)
		cs_buf_addf(&b, "host model:  %s + %u features (as virsh capabilities)\n",
		            arch->models[hd.model].name, cs_fset_count(&hd.require));
	else
		cs_buf_addf(&b, "host model:  none (%s)\n", e1.msg);
	if (have_hm)
		cs_buf_addf(&b,
		            "host-model:  %s + %u required, %u disabled (as virsh domcapabilities, "
		            "from %s)\n",
		            arch->models[hm.model].name, cs_fset_count(&hm.require),
		            cs_fset_count(&hm.disable),
		            host->given_is_guest ? "the file"
		            : host->has_kvm      ? "KVM"
		                                 : "the CPU's own features; KVM unknown");
	else
		cs_buf_addf(&b, "host-model:  none (%s)\n", e2.msg);
	if (!strcmp(arch->name, "x86") && (host->has_cpu || host->has_kvm)) {
		cs_buf_addf(&b, "level:       ");
		if (host->has_cpu)
			cs_buf_addf(&b, "%s (the CPU)",
			            cs_x86_level_name(
			                    cs_x86_level(arch, &host->cpu_facts.features, NULL)));
		if (host->has_kvm)
			cs_buf_addf(&b, "%s%s (what KVM gives)", host->has_cpu ? ", " : "",
			            cs_x86_level_name(
			                    cs_x86_level(arch, &host->kvm_facts.features, NULL)));
		cs_buf_addf(&b, "\n");
	}

	cs_buf_addf(&b, "\n%-22s %-4s %-4s %s\n", "FEATURE", "CPU", "KVM", "IN-MODEL");
	for (size_t f = 0; f < arch->nfeatures; f++) {
		bool cpu = host->has_cpu && cs_fset_test(&host->cpu_facts.features, (unsigned)f);
		bool kvm = host->has_kvm && cs_fset_test(&host->kvm_facts.features, (unsigned)f);
		bool given =
		        host->given_model >= 0 && cs_fset_test(&host->facts.features, (unsigned)f);
		bool in_model =
		        have_hd && cs_fset_test(&arch->models[hd.model].features, (unsigned)f);

		if (!cpu && !kvm && !given && !in_model)
			continue;
		cs_buf_addf(&b, "%-22s %-4s %-4s %s\n", arch->features[f].name,
		            yes_no(host->has_cpu || host->given_model >= 0, cpu || given),
		            yes_no(host->has_kvm, kvm), in_model ? "yes" : "no");
	}
	if (host->nunknown) {
		cs_buf_addf(&b, "\nflags with no libvirt name (%zu):", host->nunknown);
		for (size_t i = 0; i < host->nunknown; i++)
			cs_buf_addf(&b, " %s", host->unknown[i]);
		cs_buf_addf(&b, "\n");
	}
	return term_detach(&b);
}
