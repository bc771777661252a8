/* padan CLI entry point (placeholder until the CLI lands). */
#include <stdio.h>
int main(void) {
  puts("padan");
  return 0;
}
