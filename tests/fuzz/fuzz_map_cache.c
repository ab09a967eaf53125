/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_map_cache.c: cs_map_cache_decode() on damaged cache entries.
 *
 * An input that starts like an entry is read as one.  Any other input is a
 * list of edits to a sound entry (that of the small split test map, made
 * once): each 3 bytes put the third at the offset the first two give; a
 * last single byte cuts the entry at that share of its length. */
#include <string.h>

#include "cpuscope/mapcache.h"
#include "cpuscope/xalloc.h"
#include "fuzz.h"

#define MAP_PATH CS_FUZZ_DATA "/maps/split"
#define MAGIC    "cpuscope-map-cache\n"

static char *sound;
static size_t sound_len;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct cs_error err = {0};
	struct cs_map *map = cs_map_load(MAP_PATH, &err);

	(void)argc;
	(void)argv;
	if (!map || cs_map_cache_encode(map, &sound, &sound_len) < 0) {
		cs_error_print(&err, "fuzz: cannot make a cache entry: ", stderr);
		abort();
	}
	cs_map_free(map);
	return 0;
}

static void decode(const char *buf, size_t len)
{
	struct cs_map *map = cs_map_cache_decode(buf, len, MAP_PATH, false);

	/* A map that decodes is whole: it serialises and encodes again. */
	if (map) {
		struct cs_error err = {0};
		char *out = NULL;
		size_t n;

		if (cs_map_to_yaml(map, &out, &n, &err) < 0) {
			cs_error_print(&err, "fuzz: a decoded map does not serialise: ", stderr);
			abort();
		}
		free(out);
		cs_map_free(map);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf;
	size_t len = sound_len, i = 0;

	if (size >= strlen(MAGIC) && !memcmp(data, MAGIC, strlen(MAGIC))) {
		decode((const char *)data, size);
		return 0;
	}
	buf = cs_xmalloc(sound_len);
	memcpy(buf, sound, sound_len);
	for (; i + 3 <= size; i += 3) {
		size_t at = ((size_t)data[i] << 8 | data[i + 1]) % sound_len;

		buf[at] = (char)data[i + 2];
	}
	if (i < size)
		len = sound_len * data[i] / 255;
	decode(buf, len);
	free(buf);
	return 0;
}
