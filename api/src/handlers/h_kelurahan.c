/*
 * h_kelurahan.c — GET /v1/kelurahan: the city's 104 kelurahan with their
 * kecamatan, approximate centre, resident counts (all residents; poor and
 * extreme poor by the configured DTSEN desil cut-offs; NEET = productive
 * age, neither working nor in school) and whether each is a priority
 * kelurahan.
 *
 * Priority is priority_compute()'s (priority.c, docs/PRIORITY.md): the
 * same index the matching engine uses, so the list an officer reads and
 * the ranking a match run applies never disagree.  An officer's pin wins
 * over the index; priority_source says which one decided.
 *
 * POST and DELETE /v1/kelurahan/{code}/pin (officer, admin) pin and unpin
 * it: priority_pin() (priority.c, shared with `padan priority pin`)
 * writes the flag and its audit row in one transaction, then the running
 * engine takes the flags again (api_engine_refresh_priority), so the very
 * next ranking and match run give that kelurahan's residents the
 * kelurahan component, or take it away.  Both answer with the kelurahan as
 * one item of the list shows it.  POST pins it on; {"priority": false}
 * pins it off (never a priority, whatever its index).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "dates.h"
#include "http.h"
#include "json_io.h"
#include "priority.h"

static json_t *row_json(const struct priority_kelurahan *p) {
  const struct store_kelurahan_row *k = &p->k;
  return json_pack("{s:s, s:s, s:{s:s, s:s}, s:f, s:f, s:{s:I, s:I, s:I, s:I}, s:f, s:i, s:b, "
                   "s:s}",
                   "code", k->code, "name", k->name, "kecamatan", "code", k->kecamatan_code, "name",
                   k->kecamatan_name, "lat", k->lat, "lon", k->lon, "counts", "residents",
                   (json_int_t)k->residents, "poor", (json_int_t)k->poor, "extreme_poor",
                   (json_int_t)k->extreme, "neet", (json_int_t)k->neet, "priority_index", p->index,
                   "priority_rank", p->rank, "priority", p->priority != 0, "priority_source",
                   k->pinned >= 0 ? "pinned" : "index");
}

static enum MHD_Result h_kelurahan_list(struct api_req *r) {
  struct mt_config cfg;
  struct priority_kelurahan *rows = NULL;
  size_t n = 0;
  json_t *items = json_array();
  enum MHD_Result ret;
  char today[11];
  date_wib_iso((time_t)r->now, today); /* the day in Kota Tangerang, as the reports' */
  mt_config_default(&cfg);

  int rc = priority_compute(r->db, &cfg, today, &rows, &n);
  if (rc != STORE_OK || items == NULL) {
    ret = rc != STORE_OK ? api_reply_store(r, rc) : api_reply_problem(r, API_E_INTERNAL);
    goto cleanup;
  }
  for (size_t i = 0; i < n; i++)
    if (json_array_append_new(items, row_json(&rows[i])) != 0) {
      ret = api_reply_problem(r, API_E_INTERNAL);
      goto cleanup;
    }
  ret = api_reply_json(r, MHD_HTTP_OK,
                       json_pack("{s:s, s:{s:i, s:i, s:[i,i]}, s:I, s:O}", "as_of", today,
                                 "definitions", "extreme_poor_max_desil", cfg.desil_extreme,
                                 "poor_max_desil", cfg.desil_poor, "productive_age", cfg.min_age,
                                 cfg.max_age, "total", (json_int_t)n, "items", items));
cleanup:
  json_decref(items);
  free(rows);
  return ret;
}

/* ---- Pins ------------------------------------------------------------------------ */

static const struct api_field pin_spec[] = {
    {"priority", API_F_BOOL, 0, 0, 0, 0},
    {NULL, 0, 0, 0, 0, 0},
};

static enum MHD_Result pin(struct api_req *r, int value) {
  struct mt_config cfg;
  struct priority_kelurahan *rows = NULL;
  size_t n = 0;
  char now[21], today[11], detail[96];
  struct store_audit by = {.user_id = r->who.user_id,
                           .username = r->who.username,
                           .role = auth_role_name(r->who.role),
                           .route = r->route->pattern,
                           .resident_id = -1};
  int rc = priority_pin(r->db, r->code, value, &by, detail, sizeof detail);
  if (rc != STORE_OK)
    return api_reply_store(r, rc); /* an unknown code: 404 */
  if (api_engine_refresh_priority(r->app, r->db) != 0)
    fprintf(stderr, "padan: %s, but the engine could not take it\n", detail);
  store_now_iso(now);
  memcpy(today, now, 10);
  today[10] = '\0';
  mt_config_default(&cfg);
  rc = priority_compute(r->db, &cfg, today, &rows, &n);
  json_t *item = NULL;
  for (size_t i = 0; rc == STORE_OK && i < n && item == NULL; i++)
    if (strcmp(rows[i].k.code, r->code) == 0)
      item = row_json(&rows[i]);
  free(rows);
  if (rc != STORE_OK)
    return api_reply_store(r, rc);
  return item != NULL ? api_reply_json(r, MHD_HTTP_OK, item) : api_reply_problem(r, API_E_INTERNAL);
}

static enum MHD_Result h_pin(struct api_req *r) {
  return pin(r, api_body_bool(r, "priority", 1));
}

static enum MHD_Result h_unpin(struct api_req *r) {
  return pin(r, -1);
}

const struct api_route api_routes_kelurahan[] = {
    {"GET", "/v1/kelurahan", h_kelurahan_list, AUTH_ANY_ROLE, NULL},
    {"POST", "/v1/kelurahan/{code}/pin", h_pin, AUTH_ADMIN | AUTH_OFFICER, pin_spec},
    {"DELETE", "/v1/kelurahan/{code}/pin", h_unpin, AUTH_ADMIN | AUTH_OFFICER, NULL},
    {NULL, NULL, NULL, 0, NULL},
};
