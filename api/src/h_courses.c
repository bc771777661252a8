/*
 * h_courses.c — PLACEHOLDER: the routes for BLK courses, batches, enrolments and outcomes (h_courses.c) land here.
 */
#include "http.h"

const struct api_route api_routes_courses[] = {
    {NULL, NULL, NULL, 0, NULL},
};
