/* Temporary stand-in while the CLI's dependencies land (lead). */
#include "cli.h"
#include <stdio.h>
int cli_main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fputs("padan: CLI not wired yet\n", stderr);
  return 1;
}
