/* map_yaml.c: cpuscope YAML maps (placeholder until the YAML reader lands) */
#include "cpuscope/cpumap.h"

struct cs_map *cs_map_load_yaml(const char *path, struct cs_error *err)
{
	cs_error_set(err, CS_ERR_UNSUPPORTED, path, 0, "YAML maps are not supported yet");
	return NULL;
}

struct cs_map *cs_map_load_yaml_buffer(const char *buf, size_t len, const char *name,
				       struct cs_error *err)
{
	(void)buf;
	(void)len;
	cs_error_set(err, CS_ERR_UNSUPPORTED, name, 0, "YAML maps are not supported yet");
	return NULL;
}

int cs_map_to_yaml(const struct cs_map *map, char **out, size_t *len, struct cs_error *err)
{
	(void)map;
	(void)len;
	*out = NULL;
	cs_error_set(err, CS_ERR_UNSUPPORTED, NULL, 0, "YAML output is not supported yet");
	return -1;
}
