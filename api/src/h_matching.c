/*
 * h_matching.c — PLACEHOLDER: the routes for candidates, recommendations and the training plan (h_matching.c) land here.
 */
#include "http.h"

const struct api_route api_routes_matching[] = {
    {NULL, NULL, NULL, 0, NULL},
};
