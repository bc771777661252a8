/*
 * openapi_dump FILE — writes the OpenAPI document padan serves (merged from
 * the fragments in api/openapi/) to FILE, for tests/openapi_validate.mjs and
 * `redocly lint` (scripts/test).  Exit status 1 when it does not merge.
 */
#include "http.h"

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: openapi_dump FILE\n");
    return 2;
  }
  json_t *doc = api_openapi_document();
  int rc = doc != NULL && json_dump_file(doc, argv[1], JSON_INDENT(2)) == 0 ? 0 : 1;
  if (rc != 0)
    fprintf(stderr, "openapi_dump: cannot write %s\n", argv[1]);
  json_decref(doc);
  return rc;
}
