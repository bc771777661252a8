/*
 * h_vacancies.c — PLACEHOLDER: the routes for vacancies (h_vacancies.c) land here.
 */
#include "http.h"

const struct api_route api_routes_vacancies[] = {
    {NULL, NULL, NULL, 0, NULL},
};
