/* cmd_baseline.c: the 'baseline' command */
#include "cli/cli.h"

int cmd_baseline(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	cli_error("'baseline' is not available in this build");
	return CLI_BAD;
}
