/* cmd_apply.c: the 'apply' command */
#include "cli/cli.h"

int cmd_apply(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	cli_error("'apply' is not available in this build");
	return CLI_BAD;
}
