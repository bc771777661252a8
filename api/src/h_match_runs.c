/*
 * h_match_runs.c — PLACEHOLDER: the routes for match runs and the confirmation of their proposals (h_match_runs.c) land here.
 */
#include "http.h"

const struct api_route api_routes_match_runs[] = {
    {NULL, NULL, NULL, 0, NULL},
};
