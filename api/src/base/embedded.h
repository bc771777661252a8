/*
 * Files compiled into the binary by cmake/embed.cmake: the numbered SQL
 * migrations (api/sql/NNNN-name.sql), the seed CSVs (seeds/ directory) and
 * the OpenAPI fragments (api/openapi/) and the pages' static files
 * (api/web/, named by their path below it: "index.html", "i18n/id.js").  Each
 * table is sorted by file name and ends with an entry whose name is NULL.
 * The data is NUL-terminated for convenience; len excludes the NUL.
 */
#ifndef PADAN_EMBEDDED_H
#define PADAN_EMBEDDED_H

#include <stddef.h>

struct api_embedded {
  const char *name;
  const char *data;
  size_t len;
};

extern const struct api_embedded api_migrations[];
extern const struct api_embedded api_seeds[];
extern const struct api_embedded api_openapi[]; /* api/openapi fragments */
extern const struct api_embedded api_web[];     /* api/web files, for h_web.c */

/* The embedded file called name, or NULL. */
const struct api_embedded *api_embedded_find(const struct api_embedded *table, const char *name);

#endif
