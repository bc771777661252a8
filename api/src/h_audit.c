/*
 * h_audit.c — PLACEHOLDER: the routes for the audit log (h_audit.c) land here.
 */
#include "http.h"

const struct api_route api_routes_audit[] = {
    {NULL, NULL, NULL, 0, NULL},
};
