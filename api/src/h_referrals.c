/*
 * h_referrals.c — PLACEHOLDER: the routes for referrals and their life cycle (h_referrals.c) land here.
 */
#include "http.h"

const struct api_route api_routes_referrals[] = {
    {NULL, NULL, NULL, 0, NULL},
};
