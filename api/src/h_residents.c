/*
 * h_residents.c — PLACEHOLDER: the routes for residents, verification, corrections, residents' rights (h_residents.c) land here.
 */
#include "http.h"

const struct api_route api_routes_residents[] = {
    {NULL, NULL, NULL, 0, NULL},
};
