/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_xml.c: load libvirt CPU maps: the split cpu_map/ directory and the legacy single file */
#include "cpuscope/cpumap.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cpuscope/xalloc.h"
#include "xmlsafe.h"

struct pending_parent {
	size_t arch, model;
	char *name;
	const char *file;
	unsigned line;
};

struct loader {
	struct cs_map *map;
	char *dir;     /* the map directory as the user named it (for messages) */
	char *realdir; /* the same, resolved */
	struct pending_parent *pend;
	size_t npend;
	bool used_include;
	size_t nincludes;
	struct cs_error *err;
};

#define MAX_INCLUDES 4096

static int parse_u32_attr(struct loader *ld, const xmlNode *n, const char *file, const char *attr,
                          bool required, const char *what, uint32_t *out)
{
	char *v = cs_xml_prop(n, attr);
	int ret = 0;

	if (!v) {
		if (!required)
			return 1; /* absent */
		cs_error_set(ld->err, CS_ERR_INVALID, file, cs_xml_line(n),
		             "missing attribute '%s' in <%s> of %s", attr, (const char *)n->name,
		             what);
		return -1;
	}
	if (cs_parse_u32(v, out) < 0) {
		cs_error_set(ld->err, CS_ERR_INVALID, file, cs_xml_line(n),
		             "invalid number '%s' in attribute '%s' of %s", v, attr, what);
		ret = -1;
	}
	free(v);
	return ret;
}

static char *required_name(struct loader *ld, const xmlNode *n, const char *file)
{
	char *name = cs_xml_prop(n, "name");

	if (!name || !*name) {
		cs_error_set(ld->err, CS_ERR_INVALID, file, cs_xml_line(n), "<%s> without a name",
		             (const char *)n->name);
		free(name);
		return NULL;
	}
	return name;
}

static int parse_onoff(struct loader *ld, const xmlNode *n, const char *file, const char *attr,
                       const char *model, bool *out)
{
	char *v = cs_xml_prop(n, attr);
	int ret = 0;

	if (v && !strcmp(v, "on")) {
		*out = true;
	} else if (v && !strcmp(v, "off")) {
		*out = false;
	} else {
		cs_error_set(ld->err, CS_ERR_INVALID, file, cs_xml_line(n),
		             "attribute '%s' of <decode> in CPU model '%s' must be 'on' or 'off'",
		             attr, model);
		ret = -1;
	}
	free(v);
	return ret;
}

/* ---- vendors, features, models ---------------------------------------------- */

static int parse_vendor(struct loader *ld, struct cs_arch *arch, const xmlNode *n, const char *file)
{
	char *name = required_name(ld, n, file);
	char *string = NULL;
	struct cs_vendor *v;
	uint32_t value;
	int rc, ret = -1;

	if (!name)
		return -1;
	v = cs_arch_add_vendor(arch, name, file, cs_xml_line(n), ld->err);
	if (!v)
		goto out;
	string = cs_xml_prop(n, "string");
	if (!strcmp(arch->name, "x86")) {
		if (!string) {
			cs_error_set(ld->err, CS_ERR_INVALID, file, cs_xml_line(n),
			             "CPU vendor '%s' has no CPUID vendor string", name);
			goto out;
		}
		if (strlen(string) != 12) {
			cs_error_set(ld->err, CS_ERR_INVALID, file, cs_xml_line(n),
			             "invalid CPUID vendor string '%s' for vendor '%s': must be 12 "
			             "characters",
			             string, name);
			goto out;
		}
	}
	v->string = string;
	string = NULL;
	rc = parse_u32_attr(ld, n, file, "value", false, "a vendor", &value);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		v->value = value;
		v->has_value = true;
	}
	ret = 0;
out:
	free(string);
	free(name);
	return ret;
}

static int add_item(struct loader *ld, struct cs_feature *f, const struct cs_item *it,
                    const xmlNode *n, const char *file)
{
	cs_feature_add_item(f, it);
	if (f->nitems > CS_MAX_FEATURE_ITEMS) {
		cs_error_set(ld->err, CS_ERR_SECURITY, file, cs_xml_line(n),
		             "CPU feature '%s' has more than %d <cpuid> and <msr> entries", f->name,
		             CS_MAX_FEATURE_ITEMS);
		return -1;
	}
	return 0;
}

static int parse_cpuid(struct loader *ld, struct cs_feature *f, const xmlNode *n, const char *file)
{
	static const char *const regs[CS_REG_COUNT] = {"eax", "ebx", "ecx", "edx"};
	struct cs_item it = {.kind = CS_ITEM_CPUID};
	char what[200];
	int rc;

	snprintf(what, sizeof(what), "CPU feature '%s'", f->name);
	/* Old single-file maps name the leaf 'function'. */
	rc = parse_u32_attr(ld, n, file, "eax_in", false, what, &it.leaf);
	if (rc > 0)
		rc = parse_u32_attr(ld, n, file, "function", false, what, &it.leaf);
	if (rc > 0) {
		cs_error_set(ld->err, CS_ERR_INVALID, file, cs_xml_line(n),
		             "<cpuid> without 'eax_in' in %s", what);
		return -1;
	}
	if (rc < 0 || parse_u32_attr(ld, n, file, "ecx_in", false, what, &it.subleaf) < 0)
		return -1;
	for (int r = 0; r < CS_REG_COUNT; r++)
		if (parse_u32_attr(ld, n, file, regs[r], false, what, &it.reg[r]) < 0)
			return -1;
	return add_item(ld, f, &it, n, file);
}

static int parse_msr(struct loader *ld, struct cs_feature *f, const xmlNode *n, const char *file)
{
	struct cs_item it = {.kind = CS_ITEM_MSR};
	char what[200];

	snprintf(what, sizeof(what), "CPU feature '%s'", f->name);
	if (parse_u32_attr(ld, n, file, "index", true, what, &it.leaf) < 0 ||
	    parse_u32_attr(ld, n, file, "eax", true, what, &it.reg[CS_REG_EAX]) < 0 ||
	    parse_u32_attr(ld, n, file, "edx", true, what, &it.reg[CS_REG_EDX]) < 0)
		return -1;
	return add_item(ld, f, &it, n, file);
}

static int parse_feature(struct loader *ld, struct cs_arch *arch, const xmlNode *n,
                         const char *file)
{
	char *name = required_name(ld, n, file);
	char *mig = NULL;
	struct cs_feature *f;
	int ret = -1;

	if (!name)
		return -1;
	f = cs_arch_add_feature(arch, name, file, cs_xml_line(n), ld->err);
	if (!f)
		goto out;
	mig = cs_xml_prop(n, "migratable");
	if (mig && strcmp(mig, "yes") && strcmp(mig, "no")) {
		cs_error_set(ld->err, CS_ERR_INVALID, file, cs_xml_line(n),
		             "attribute 'migratable' of CPU feature '%s' must be 'yes' or 'no'",
		             name);
		goto out;
	}
	f->migratable = !mig || !strcmp(mig, "yes");
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (cs_xml_is(c, "alias")) {
			char *an = required_name(ld, c, file);
			char *src;

			if (!an)
				goto out;
			src = cs_xml_prop(c, "source");
			cs_feature_add_alias(f, an, src);
			free(an);
			free(src);
		} else if (cs_xml_is(c, "cpuid")) {
			if (parse_cpuid(ld, f, c, file) < 0)
				goto out;
		} else if (cs_xml_is(c, "msr")) {
			if (parse_msr(ld, f, c, file) < 0)
				goto out;
		} else {
			cs_error_set(ld->err, CS_ERR_INVALID, file, cs_xml_line(c),
			             "unknown element <%s> in CPU feature '%s'",
			             (const char *)c->name, name);
			goto out;
		}
	}
	if (!strcmp(arch->name, "x86")) {
		if (!f->nitems) {
			cs_error_set(ld->err, CS_ERR_INVALID, file, cs_xml_line(n),
			             "CPU feature '%s' has neither cpuid nor msr data", name);
			goto out;
		}
		if (!cs_feature_has_bits(f)) {
			cs_error_set(ld->err, CS_ERR_INVALID, file, cs_xml_line(n),
			             "CPU feature '%s' sets no CPUID or MSR bits", name);
			goto out;
		}
	}
	ret = 0;
out:
	free(mig);
	free(name);
	return ret;
}

static int parse_signature(struct loader *ld, struct cs_model *m, const xmlNode *n,
                           const char *file)
{
	struct cs_signature sig = {0};
	uint32_t family, model;
	char what[200];
	char *st;

	snprintf(what, sizeof(what), "CPU model '%s'", m->name);
	if (parse_u32_attr(ld, n, file, "family", true, what, &family) < 0 ||
	    parse_u32_attr(ld, n, file, "model", true, what, &model) < 0)
		return -1;
	if (!family) {
		cs_error_set(ld->err, CS_ERR_INVALID, file, cs_xml_line(n),
		             "invalid CPU signature family 0 in %s", what);
		return -1;
	}
	st = cs_xml_prop(n, "stepping");
	if (st && cs_steppings_parse(st, &sig.steppings) < 0) {
		cs_error_set(ld->err, CS_ERR_INVALID, file, cs_xml_line(n),
		             "invalid stepping list '%s' in %s (expected e.g. '0-4' or '3,5')", st,
		             what);
		free(st);
		return -1;
	}
	free(st);
	sig.family = family;
	sig.model = model;
	cs_model_add_signature(m, &sig);
	m->sigs_own = true;
	return 0;
}

static int parse_model_child(struct loader *ld, struct cs_arch *arch, struct cs_model *m,
                             const xmlNode *c, const char *file)
{
	char *name = NULL;
	char *removed = NULL;
	int ret = -1;

	if (cs_xml_is(c, "decode")) {
		if (parse_onoff(ld, c, file, "host", m->name, &m->decode_host) < 0 ||
		    parse_onoff(ld, c, file, "guest", m->name, &m->decode_guest) < 0)
			goto out;
		m->has_decode = true;
	} else if (cs_xml_is(c, "signature")) {
		if (parse_signature(ld, m, c, file) < 0)
			goto out;
	} else if (cs_xml_is(c, "model")) {
		struct pending_parent *p;

		name = required_name(ld, c, file);
		if (!name)
			goto out;
		ld->pend = cs_xreallocarray(ld->pend, ld->npend + 1, sizeof(*ld->pend));
		p = &ld->pend[ld->npend++];
		p->arch = (size_t)(arch - ld->map->arches);
		p->model = (size_t)(m - arch->models);
		p->name = name;
		p->file = file;
		p->line = cs_xml_line(c);
		name = NULL;
	} else if (cs_xml_is(c, "vendor")) {
		int v;

		name = required_name(ld, c, file);
		if (!name)
			goto out;
		v = cs_arch_find_vendor(arch, name);
		if (v < 0) {
			cs_error_set(ld->err, CS_ERR_UNKNOWN, file, cs_xml_line(c),
			             "unknown vendor '%s' for CPU model '%s'", name, m->name);
			goto out;
		}
		m->vendor = v;
		m->vendor_own = true;
	} else if (cs_xml_is(c, "feature")) {
		int id;

		name = required_name(ld, c, file);
		if (!name)
			goto out;
		id = cs_arch_find_feature(arch, name);
		if (id < 0) {
			cs_error_set(ld->err, CS_ERR_UNKNOWN, file, cs_xml_line(c),
			             "unknown feature '%s' in CPU model '%s'", name, m->name);
			goto out;
		}
		removed = cs_xml_prop(c, "removed");
		if (removed && !strcmp(removed, "yes"))
			cs_fset_set(&m->removed, (unsigned)id);
		else
			cs_model_add_feature(m, (unsigned)id);
	} else if (cs_xml_is(c, "pvr")) {
		struct cs_pvr pvr = {0};
		int rc;

		if (parse_u32_attr(ld, c, file, "value", true, "a pvr", &pvr.value) < 0)
			goto out;
		rc = parse_u32_attr(ld, c, file, "mask", false, "a pvr", &pvr.mask);
		if (rc < 0)
			goto out;
		pvr.has_mask = rc == 0;
		cs_model_add_pvr(m, &pvr);
	}
	/* Other elements are ignored, as libvirt ignores them. */
	ret = 0;
out:
	free(removed);
	free(name);
	return ret;
}

static int parse_model(struct loader *ld, struct cs_arch *arch, const xmlNode *n, const char *file)
{
	char *name = required_name(ld, n, file);
	struct cs_model *m;
	int ret = -1;

	if (!name)
		return -1;
	m = cs_arch_add_model(arch, name, file, cs_xml_line(n), ld->err);
	if (!m)
		goto out;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		/* arch->models may move while others are added, but not here. */
		if (parse_model_child(ld, arch, m, c, file) < 0)
			goto out;
	}
	ret = 0;
out:
	free(name);
	return ret;
}

/* ---- sections and includes --------------------------------------------------- */

static int load_section(struct loader *ld, struct cs_arch *arch, const xmlNode *sec,
                        const char *file, bool allow_include);

static bool has_dotdot(const char *p)
{
	const char *s = p;

	while (*s) {
		size_t n = strcspn(s, "/");

		if (n == 2 && s[0] == '.' && s[1] == '.')
			return true;
		s += n;
		while (*s == '/')
			s++;
	}
	return false;
}

/* realpath() of an include, saved for a plain name that is a regular file
 * (not a symbolic link; libvirt's maps include tens of them): the map
 * directory's resolved path and the name.  false with errno set when it cannot be resolved. */
static bool resolve_include(const struct loader *ld, const char *fname, const char *full,
                            char real[PATH_MAX])
{
	struct stat st;

	size_t dl = strlen(ld->realdir), fl = strlen(fname);

	if (!strchr(fname, '/') && dl + 1 + fl < PATH_MAX && lstat(full, &st) == 0 &&
	    S_ISREG(st.st_mode)) {
		memcpy(real, ld->realdir, dl);
		real[dl] = '/';
		memcpy(real + dl + 1, fname, fl + 1);
		return true;
	}
	return realpath(full, real) != NULL;
}

static int load_include(struct loader *ld, struct cs_arch *arch, const xmlNode *n, const char *file)
{
	char *fname = cs_xml_prop(n, "filename");
	char *full = NULL;
	char real[PATH_MAX];
	const char *ifile;
	size_t rl;
	struct cs_xml_tree tree = {0};
	const xmlNode *root;
	int ret = -1;

	if (!fname || !*fname) {
		cs_error_set(ld->err, CS_ERR_INVALID, file, cs_xml_line(n),
		             "<include> without a filename");
		goto out;
	}
	if (fname[0] == '/') {
		cs_error_set(ld->err, CS_ERR_SECURITY, file, cs_xml_line(n),
		             "include '%s' is an absolute path; includes must stay inside the map "
		             "directory",
		             fname);
		goto out;
	}
	if (has_dotdot(fname)) {
		cs_error_set(ld->err, CS_ERR_SECURITY, file, cs_xml_line(n),
		             "include '%s' leaves the map directory ('..' is not allowed)", fname);
		goto out;
	}
	full = cs_xasprintf("%s/%s", ld->dir, fname);
	if (!resolve_include(ld, fname, full, real)) {
		cs_error_set(ld->err, CS_ERR_IO, file, cs_xml_line(n),
		             "cannot open include '%s': %s", fname, strerror(errno));
		goto out;
	}
	rl = strlen(ld->realdir);
	if (strncmp(real, ld->realdir, rl) != 0 || real[rl] != '/') {
		cs_error_set(ld->err, CS_ERR_SECURITY, file, cs_xml_line(n),
		             "include '%s' resolves to %s, outside the map directory %s", fname,
		             real, ld->realdir);
		goto out;
	}
	ifile = cs_map_intern_file(ld->map, full);
	/* read once and walked: an arena tree, not a document */
	root = cs_xml_parse_tree_file(real, &tree, ld->err);
	if (!root) {
		/* Report the path as the map names it, not the resolved one. */
		if (ld->err && !strcmp(ld->err->file, real))
			snprintf(ld->err->file, sizeof(ld->err->file), "%s", ifile);
		goto out;
	}
	if (!cs_xml_is(root, "cpus")) {
		cs_error_set(ld->err, CS_ERR_INVALID, ifile, cs_xml_line(root),
		             "root element of an included CPU map file must be <cpus>, not <%s>",
		             (const char *)root->name);
		goto out;
	}
	ret = load_section(ld, arch, root, ifile, false);
out:
	cs_xml_tree_release(&tree);
	free(full);
	free(fname);
	return ret;
}

static int load_section(struct loader *ld, struct cs_arch *arch, const xmlNode *sec,
                        const char *file, bool allow_include)
{
	static const char *const order[] = {"vendor", "feature", "model", "include"};

	/* Unknown elements first, so a typo is reported before anything else. */
	for (const xmlNode *c = sec->children; c; c = c->next) {
		bool known = false;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (size_t k = 0; k < 4; k++)
			known |= cs_xml_is(c, order[k]);
		if (!known) {
			cs_error_set(ld->err, CS_ERR_INVALID, file, cs_xml_line(c),
			             "unknown element <%s> in CPU map section for arch '%s'",
			             (const char *)c->name, arch->name);
			return -1;
		}
		if (!allow_include && cs_xml_is(c, "include")) {
			cs_error_set(ld->err, CS_ERR_SECURITY, file, cs_xml_line(c),
			             "<include> is only allowed in the map's index, not in an "
			             "included file");
			return -1;
		}
	}
	/* libvirt's order: all vendors, then all features, then all models,
	 * then the includes in document order. */
	for (size_t k = 0; k < 4; k++) {
		for (const xmlNode *c = sec->children; c; c = c->next) {
			int rc = 0;

			if (!cs_xml_is(c, order[k]))
				continue;
			switch (k) {
			case 0:
				rc = parse_vendor(ld, arch, c, file);
				break;
			case 1:
				rc = parse_feature(ld, arch, c, file);
				break;
			case 2:
				rc = parse_model(ld, arch, c, file);
				break;
			default:
				if (++ld->nincludes > MAX_INCLUDES) {
					cs_error_set(ld->err, CS_ERR_SECURITY, file, cs_xml_line(c),
					             "too many included files (limit %d)",
					             MAX_INCLUDES);
					return -1;
				}
				ld->used_include = true;
				rc = load_include(ld, arch, c, file);
				break;
			}
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

static int resolve_parents(struct loader *ld)
{
	for (size_t i = 0; i < ld->npend; i++) {
		struct pending_parent *p = &ld->pend[i];
		struct cs_arch *arch = &ld->map->arches[p->arch];
		struct cs_model *m = &arch->models[p->model];
		int id = cs_arch_find_model(arch, p->name);

		if (id < 0) {
			cs_error_set(ld->err, CS_ERR_UNKNOWN, p->file, p->line,
			             "unknown parent model '%s' for CPU model '%s'", p->name,
			             m->name);
			return -1;
		}
		if (m->parent >= 0) {
			cs_error_set(ld->err, CS_ERR_INVALID, p->file, p->line,
			             "CPU model '%s' names more than one parent model", m->name);
			return -1;
		}
		m->parent = id;
	}
	return 0;
}

/* A legacy file may carry a provenance comment before its root element. */
static char *leading_comment(xmlDocPtr doc)
{
	for (const xmlNode *c = doc->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE)
			break;
		if (c->type == XML_COMMENT_NODE && c->content) {
			const char *s = (const char *)c->content;
			size_t n = strlen(s);

			while (*s == ' ' || *s == '\n') {
				s++;
				n--;
			}
			while (n && (s[n - 1] == ' ' || s[n - 1] == '\n'))
				n--;
			return cs_xstrndup(s, n);
		}
	}
	return NULL;
}

/* Load the map at path; a single-file map already read is passed as buf
 * (len bytes) and not read again. */
static struct cs_map *load_xml(const char *path, const char *buf, size_t len, struct cs_error *err)
{
	struct loader ld = {.err = err};
	struct stat st;
	char *index = NULL;
	char *tmp = NULL;
	char real[PATH_MAX];
	const char *ifile;
	xmlDocPtr doc = NULL;
	const xmlNode *root;
	bool is_dir;
	struct cs_map *ret = NULL;

	if (buf) {
		is_dir = false;
	} else if (stat(path, &st) < 0) {
		cs_error_set(err, CS_ERR_IO, path, 0, "cannot open CPU map: %s", strerror(errno));
		return NULL;
	} else {
		is_dir = S_ISDIR(st.st_mode);
	}
	if (is_dir) {
		ld.dir = cs_xstrdup(path);
		index = cs_xasprintf("%s/index.xml", path);
	} else {
		tmp = cs_xstrdup(path);
		ld.dir = cs_xstrdup(dirname(tmp));
		index = cs_xstrdup(path);
	}
	if (!realpath(ld.dir, real)) {
		cs_error_set(err, CS_ERR_IO, ld.dir, 0, "cannot resolve map directory: %s",
		             strerror(errno));
		goto out;
	}
	ld.realdir = cs_xstrdup(real);
	ld.map = cs_map_new(is_dir ? CS_MAP_FORMAT_XML_SPLIT : CS_MAP_FORMAT_XML_LEGACY, path);
	ifile = cs_map_intern_file(ld.map, index);
	doc = buf ? cs_xml_parse(buf, len, index, err) : cs_xml_parse_file(index, err);
	if (!doc)
		goto out;
	root = xmlDocGetRootElement(doc);
	if (!cs_xml_is(root, "cpus")) {
		cs_error_set(err, CS_ERR_INVALID, ifile, cs_xml_line(root),
		             "not a CPU map: root element is <%s>, expected <cpus>",
		             (const char *)root->name);
		goto out;
	}
	for (const xmlNode *c = root->children; c; c = c->next) {
		char *name;
		struct cs_arch *arch;
		int rc;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!cs_xml_is(c, "arch")) {
			cs_error_set(err, CS_ERR_INVALID, ifile, cs_xml_line(c),
			             "unknown element <%s> in CPU map (expected <arch>)",
			             (const char *)c->name);
			goto out;
		}
		name = required_name(&ld, c, ifile);
		if (!name)
			goto out;
		arch = cs_map_get_arch(ld.map, name, true);
		free(name);
		rc = load_section(&ld, arch, c, ifile, true);
		if (rc < 0)
			goto out;
	}
	if (ld.used_include)
		ld.map->format = CS_MAP_FORMAT_XML_SPLIT;
	else
		ld.map->comment = leading_comment(doc);
	if (resolve_parents(&ld) < 0 || cs_map_resolve(ld.map, err) < 0 ||
	    cs_map_validate(ld.map, err) < 0)
		goto out;
	ret = ld.map;
	ld.map = NULL;
out:
	for (size_t i = 0; i < ld.npend; i++)
		free(ld.pend[i].name);
	free(ld.pend);
	cs_map_free(ld.map);
	xmlFreeDoc(doc);
	free(ld.dir);
	free(ld.realdir);
	free(index);
	free(tmp);
	return ret;
}

struct cs_map *cs_map_load_xml(const char *path, struct cs_error *err)
{
	return load_xml(path, NULL, 0, err);
}

struct cs_map *cs_map_load_xml_buffer(const char *buf, size_t len, const char *path,
                                      struct cs_error *err)
{
	return load_xml(path, buf ? buf : "", buf ? len : 0, err);
}
