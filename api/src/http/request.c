/*
 * request.c — what a handler may ask of its request beyond the fields of
 * struct api_req (see request.h).
 */
#include "request.h"

const char *api_query(struct api_req *r, const char *name) {
  return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}
