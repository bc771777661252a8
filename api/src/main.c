/* padan's entry point: everything happens in the CLI module (cli.h). */
#include "cli.h"

int main(int argc, char **argv) {
  return cli_main(argc, argv);
}
