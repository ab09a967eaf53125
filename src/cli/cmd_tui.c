/* cmd_tui.c: the interactive explorer entry point */
#include "cli/cli.h"

int cmd_tui(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	cli_error("the interactive explorer is not available in this build; see 'cpuscope --help'");
	return CLI_BAD;
}
