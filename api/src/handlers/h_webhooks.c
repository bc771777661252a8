/*
 * h_webhooks.c — placeholder table, filled in the next step.
 */
#include "http.h"

const struct api_route api_routes_webhooks[] = {
    {NULL, NULL, NULL, 0, NULL},
};
