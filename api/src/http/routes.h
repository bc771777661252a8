/*
 * routes.h — every route padan serves: the resource tables listed in
 * routes.c, in dispatch order.
 */
#ifndef PADAN_ROUTES_H
#define PADAN_ROUTES_H

#include <stddef.h>

#include "request.h"

/* ---- Route tables -----------------------------------------------------------
 * Each resource file h_<resource>.c defines its table, ending with a row
 * whose method is NULL; routes.c lists the tables in dispatch order. */
extern const struct api_route *const api_route_tables[];

/* Copies pointers to every route (at most max) into out; returns how many
 * routes there are.  For the OpenAPI check. */
size_t api_routes_list(const struct api_route **out, size_t max);

#endif
