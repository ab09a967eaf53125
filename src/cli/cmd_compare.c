/* cmd_compare.c: the 'compare' command */
#include "cli/cli.h"

int cmd_compare(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	cli_error("'compare' is not available in this build");
	return CLI_BAD;
}
