/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* map_load.c: detect a map's format from its content, and save by file extension */
#include "cpuscope/cpumap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <libxml/encoding.h>

#include "cpuscope/fileio.h"

/* What the text is, judged from its first bytes: XML (in any encoding
 * libxml2 recognises, which then decodes it), YAML (UTF-8 only: libyaml
 * reads nothing else here), or neither, with err set. */
enum map_kind { MAP_XML, MAP_YAML, MAP_BAD };

/* Offset of the first byte in buf[0..len) (at most the first 4 KiB) that
 * cannot be UTF-8, or len when there is none. */
static size_t first_non_utf8(const unsigned char *u, size_t len)
{
	size_t i = 0, end = len < 4096 ? len : 4096;

	while (i < end) {
		unsigned n = u[i] < 0x80             ? 0
		             : (u[i] & 0xe0) == 0xc0 ? 1
		             : (u[i] & 0xf0) == 0xe0 ? 2
		             : (u[i] & 0xf8) == 0xf0 ? 3
		                                     : 9;

		if (n == 9 || (u[i] >= 0xc0 && u[i] < 0xc2))
			return i;
		for (unsigned k = 1; k <= n; k++)
			if (i + k < len && (u[i + k] & 0xc0) != 0x80)
				return i;
		i += n + 1;
	}
	return len;
}

static enum map_kind sniff(const char *path, const char *buf, size_t len, struct cs_error *err)
{
	const unsigned char *u = (const unsigned char *)buf;
	xmlCharEncoding enc = len >= 4 ? xmlDetectCharEncoding(u, 4) : XML_CHAR_ENCODING_NONE;
	size_t i = 0;

	switch (enc) {
	case XML_CHAR_ENCODING_UTF16LE:
	case XML_CHAR_ENCODING_UTF16BE:
	case XML_CHAR_ENCODING_UCS4LE:
	case XML_CHAR_ENCODING_UCS4BE:
	case XML_CHAR_ENCODING_UCS4_2143:
	case XML_CHAR_ENCODING_UCS4_3412:
	case XML_CHAR_ENCODING_EBCDIC:
		/* '<' (or '<?xml') in a wider or other encoding: libxml2's */
		if (!(u[0] == 0xff || u[0] == 0xfe) || len < 4 || u[2] == '<' || u[3] == '<')
			return MAP_XML;
		break;
	default:
		break;
	}
	if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff))) {
		cs_error_set(err, CS_ERR_INVALID, path, 0,
		             "CPU map is UTF-16 text that is not XML; YAML maps must be UTF-8 "
		             "(iconv -f UTF-16 -t UTF-8 converts it)");
		return MAP_BAD;
	}
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len && strchr(" \t\r\n", buf[i]) && buf[i])
		i++;
	if (i == len) {
		cs_error_set(err, CS_ERR_INVALID, path, 0, "empty CPU map file");
		return MAP_BAD;
	}
	if (buf[i] == '<')
		return MAP_XML;
	if (u[i] < 0x20 || u[i] == 0x7f || first_non_utf8(u, len) < len) {
		cs_error_set(err, CS_ERR_INVALID, path, 0,
		             "not a CPU map: binary data or an unknown text encoding (byte 0x%02x "
		             "at offset %zu); maps are XML or UTF-8 YAML",
		             u[i] < 0x20 || u[i] == 0x7f ? u[i] : u[first_non_utf8(u, len)],
		             u[i] < 0x20 || u[i] == 0x7f ? i : first_non_utf8(u, len));
		return MAP_BAD;
	}
	return MAP_YAML;
}

struct cs_map *cs_map_load(const char *path, struct cs_error *err)
{
	struct cs_map *map = NULL;
	struct stat st;
	char *buf;
	size_t len;

	if (!path || !*path) {
		cs_error_set(err, CS_ERR_IO, NULL, 0, "no CPU map path given");
		return NULL;
	}
	if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return cs_map_load_xml(path, err);
	/* Read once: a pipe cannot be read a second time. */
	if (cs_read_file(path, CS_MAX_FILE_SIZE, &buf, &len, err) < 0)
		return NULL;
	switch (sniff(path, buf, len, err)) {
	case MAP_XML:
		map = cs_map_load_xml_buffer(buf, len, path, err);
		break;
	case MAP_YAML:
		map = cs_map_load_yaml_buffer(buf, len, path, err);
		break;
	case MAP_BAD:
		break;
	}
	free(buf);
	return map;
}
static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && !strcasecmp(s + ls - lx, suffix);
}

int cs_map_save(const struct cs_map *map, const char *path, struct cs_error *err)
{
	char *out = NULL;
	size_t len = 0;
	int rc;

	if (ends_with(path, ".yaml") || ends_with(path, ".yml")) {
		rc = cs_map_to_yaml(map, &out, &len, err);
	} else if (ends_with(path, ".xml")) {
		rc = cs_map_to_legacy_xml(map, &out, &len, err);
	} else {
		cs_error_set(err, CS_ERR_INVALID, path, 0,
		             "cannot tell the output format: use a .yaml, .yml or .xml file name");
		return -1;
	}
	if (rc < 0 && err && !err->file[0])
		snprintf(err->file, sizeof(err->file), "%s", path);
	if (rc == 0)
		rc = cs_write_file_atomic(path, out, len, err);
	free(out);
	return rc;
}
