/*
 * h_employers.c — PLACEHOLDER: the routes for employers (h_employers.c) land here.
 */
#include "http.h"

const struct api_route api_routes_employers[] = {
    {NULL, NULL, NULL, 0, NULL},
};
