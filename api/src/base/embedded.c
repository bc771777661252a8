/* Lookup over the tables that cmake/embed.cmake generates. */
#include "embedded.h"

#include <string.h>

const struct api_embedded *api_embedded_find(const struct api_embedded *table, const char *name) {
  for (; table->name != NULL; table++)
    if (strcmp(table->name, name) == 0)
      return table;
  return NULL;
}
