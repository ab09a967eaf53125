/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_map_xml.c: cs_map_load_xml() on a split map written from the input
 *
 * The input is cut at each line "--- NAME" into files of a fresh map
 * directory: what comes before the first cut is index.xml, each further part
 * the file NAME (one of a.xml, b.xml, models/c.xml; other names are taken as
 * a.xml).  Without a cut the input is a legacy single-file map. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static char dir[64];

static void put(const char *name, const uint8_t *p, size_t n)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (n && fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
}

static void clean(void)
{
	static const char *const names[] = {"index.xml", "a.xml", "b.xml", "models/c.xml"};
	char path[128];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
}

static void remove_dir(void)
{
	char path[128];

	clean();
	snprintf(path, sizeof(path), "%s/models", dir);
	rmdir(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char models[96];

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/tmp/cs-fuzz-map-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(models, sizeof(models), "%s/models", dir);
	if (mkdir(models, 0700) < 0)
		abort();
	atexit(remove_dir);
	return 0;
}

static const uint8_t *find_cut(const uint8_t *p, const uint8_t *end)
{
	for (; p + 4 <= end; p++)
		if ((p[0] == '\n') && !memcmp(p + 1, "---", 3))
			return p;
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *end = data + size, *p = data, *cut;
	struct cs_error err = {0};
	struct cs_map *map;
	bool split = false;
	const char *name = "index.xml";

	clean();
	while ((cut = find_cut(p, end))) {
		const uint8_t *nl, *nm;
		size_t nlen;

		put(name, p, (size_t)(cut - p));
		split = true;
		nm = cut + 4;
		while (nm < end && *nm == ' ')
			nm++;
		nl = memchr(nm, '\n', (size_t)(end - nm));
		if (!nl)
			nl = end;
		nlen = (size_t)(nl - nm);
		if (nlen == 5 && !memcmp(nm, "b.xml", 5))
			name = "b.xml";
		else if (nlen == 12 && !memcmp(nm, "models/c.xml", 12))
			name = "models/c.xml";
		else
			name = "a.xml";
		p = nl < end ? nl + 1 : end;
	}
	put(name, p, (size_t)(end - p));
	if (split) {
		map = cs_map_load_xml(dir, &err);
	} else {
		char path[128];

		snprintf(path, sizeof(path), "%s/index.xml", dir);
		map = cs_map_load(path, &err);
	}
	fuzz_check(map != NULL, &err);
	cs_map_free(map);
	return 0;
}
