/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* walltime.c: the wall time of a command, as the bench scripts compare tools.
 *
 *   walltime RUNS COMMAND [ARG...]
 *
 * Runs COMMAND RUNS times, one after the other, with standard input from
 * /dev/null and its output thrown away, and prints the median, the minimum
 * and the maximum wall time in seconds, and the peak resident size of the
 * largest run in MB: "MEDIAN MIN MAX MB".  The clock is read just before
 * the command is started and just after it has been waited for, so no shell
 * or clock-reading process is counted.  Exit status 1 when a run does not
 * exit, 2 on bad usage; a command's own exit status is not judged (a
 * negative answer is an answer). */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../bench_util.h"

extern char **environ;

int main(int argc, char **argv)
{
	posix_spawn_file_actions_t fa;
	long runs = argc > 2 ? strtol(argv[1], NULL, 10) : 0;
	double *t;
	long max_kb = 0;

	if (runs < 1 || runs > 10000) {
		fprintf(stderr, "usage: walltime RUNS COMMAND [ARG...]\n");
		return 2;
	}
	t = calloc((size_t)runs, sizeof(*t));
	if (!t)
		return 1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	for (long i = 0; i < runs; i++) {
		struct rusage ru;
		pid_t pid;
		int status;
		double t0 = now_us();

		if (posix_spawnp(&pid, argv[2], &fa, NULL, argv + 2, environ) != 0) {
			fprintf(stderr, "walltime: cannot run %s\n", argv[2]);
			return 1;
		}
		if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status)) {
			fprintf(stderr, "walltime: %s did not exit\n", argv[2]);
			return 1;
		}
		t[i] = (now_us() - t0) / 1e6;
		if (ru.ru_maxrss > max_kb)
			max_kb = ru.ru_maxrss;
	}
	posix_spawn_file_actions_destroy(&fa);
	sort_times(t, (size_t)runs);
	printf("%.4f %.4f %.4f %.1f\n", t[runs / 2], t[0], t[runs - 1], (double)max_kb / 1024.0);
	free(t);
	return 0;
}
