/* cmd_host.c: the 'host' command */
#include "cli/cli.h"

int cmd_host(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	cli_error("'host' is not available in this build");
	return CLI_BAD;
}
