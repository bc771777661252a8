/*
 * h_meta.c — PLACEHOLDER: GET /v1/openapi.json and GET /metrics land here.
 */
#include "http.h"

const struct api_route api_routes_meta[] = {
    {NULL, NULL, NULL, 0, NULL},
};
