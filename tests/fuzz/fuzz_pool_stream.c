/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_pool_stream.c: the streamed pool reader (SAX2, the arena tree) over
 * the bundled libvirt 9.0 map
 *
 * The input is written to a file and read as --pool reads it.  Whatever it
 * holds, the reading must end with hosts or an error naming the file, the
 * pool must stay whole (a failed file leaves it as it was), and a file both
 * readers take must give the same hosts as the whole-buffer reader, host by
 * host: the same count, the same distinct CPUs, the same features. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cpuscope/pool.h"
#include "fuzz.h"

static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd;

	(void)argc;
	(void)argv;
	fuzz_map();
	snprintf(path, sizeof(path), "/tmp/cs-fuzz-pool-%d.xml", (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		abort();
	close(fd);
	return 0;
}

static void write_input(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
		abort();
}

static void same_hosts(const struct cs_pool *a, const struct cs_pool *b)
{
	if (a->n != b->n || a->ndistinct != b->ndistinct)
		abort();
	for (size_t i = 0; i < a->n; i++) {
		const struct cs_pool_host *x = &a->hosts[i], *y = &b->hosts[i];

		if (x->same_as != y->same_as || x->kvm_view != y->kvm_view ||
		    x->facts.vendor != y->facts.vendor ||
		    !cs_fset_equal(&x->facts.features, &y->facts.features))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_pool stream, whole;
	struct cs_error err = {0}, werr = {0};
	long n, w;

	write_input(data, size);
	cs_pool_init(&stream, fuzz_map());
	n = cs_pool_add_file(&stream, path, &err);
	fuzz_check(n > 0, &err);
	if (n < 0 ? stream.n != 0 || stream.arch != NULL : stream.n != (size_t)n)
		abort();
	if (n < 0 && strcmp(err.file, path) != 0)
		abort(); /* every error names the file */
	cs_pool_init(&whole, fuzz_map());
	w = cs_pool_add_buffer(&whole, (const char *)data, size, path, &werr);
	if (n > 0 && w > 0)
		same_hosts(&stream, &whole);
	cs_pool_release(&whole);
	cs_pool_release(&stream);
	return 0;
}
