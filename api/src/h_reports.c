/*
 * h_reports.c — PLACEHOLDER: the routes for reports (h_reports.c) land here.
 */
#include "http.h"

const struct api_route api_routes_reports[] = {
    {NULL, NULL, NULL, 0, NULL},
};
