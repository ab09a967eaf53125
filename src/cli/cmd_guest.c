/* cmd_guest.c: the 'guest' command */
#include "cli/cli.h"

int cmd_guest(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	cli_error("'guest' is not available in this build");
	return CLI_BAD;
}
