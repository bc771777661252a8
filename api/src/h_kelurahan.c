/*
 * h_kelurahan.c — GET /v1/kelurahan: the city's 104 kelurahan with their
 * kecamatan, approximate centre, resident counts (all residents; poor =
 * DTSEN desil 1–4; NEET = productive age 15–64, neither working nor in
 * school) and whether each is a priority kelurahan.
 *
 * Priority is decided in one function, priority_mark(), so that the
 * documented index a later issue brings replaces exactly that.  Until then:
 * an officer's pin wins; otherwise the top 20% of kelurahan by number of
 * poor residents (ties broken by code, so the answer is stable).
 */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "json_io.h"

#define POOR_MAX_DESIL 4
#define PRODUCTIVE_MIN_AGE 15
#define PRODUCTIVE_MAX_AGE 64
#define PRIORITY_SHARE_PERCENT 20

struct rows {
  struct store_kelurahan_row *v;
  size_t n, cap;
};

static int collect(void *arg, const struct store_kelurahan_row *k) {
  struct rows *rows = arg;
  if (rows->n == rows->cap) {
    size_t cap = rows->cap == 0 ? 128 : 2 * rows->cap;
    struct store_kelurahan_row *grown = realloc(rows->v, cap * sizeof *grown);
    if (grown == NULL)
      return STORE_ENOMEM;
    rows->v = grown;
    rows->cap = cap;
  }
  rows->v[rows->n++] = *k;
  return 0;
}

static int by_poor_desc(const void *a, const void *b) {
  const struct store_kelurahan_row *x = *(const struct store_kelurahan_row *const *)a;
  const struct store_kelurahan_row *y = *(const struct store_kelurahan_row *const *)b;
  if (x->poor != y->poor)
    return x->poor > y->poor ? -1 : 1;
  return strcmp(x->code, y->code);
}

/* flag[i] = 1 when rows[i] is a priority kelurahan.  0 or -1 (memory). */
static int priority_mark(const struct store_kelurahan_row *rows, size_t n, unsigned char *flag) {
  const struct store_kelurahan_row **order = malloc((n > 0 ? n : 1) * sizeof *order);
  if (order == NULL)
    return -1;
  for (size_t i = 0; i < n; i++)
    order[i] = &rows[i];
  qsort(order, n, sizeof *order, by_poor_desc);
  size_t top = (n * PRIORITY_SHARE_PERCENT + 99) / 100;
  memset(flag, 0, n);
  for (size_t i = 0; i < top && i < n; i++)
    if (order[i]->poor > 0)
      flag[order[i] - rows] = 1;
  for (size_t i = 0; i < n; i++)
    if (rows[i].pinned >= 0)
      flag[i] = (unsigned char)rows[i].pinned;
  free(order);
  return 0;
}

static json_t *row_json(const struct store_kelurahan_row *k, int priority) {
  return json_pack("{s:s, s:s, s:{s:s, s:s}, s:f, s:f, s:{s:I, s:I, s:I}, s:b, s:s}", "code",
                   k->code, "name", k->name, "kecamatan", "code", k->kecamatan_code, "name",
                   k->kecamatan_name, "lat", k->lat, "lon", k->lon, "counts", "residents",
                   (json_int_t)k->residents, "poor", (json_int_t)k->poor, "neet",
                   (json_int_t)k->neet, "priority", priority, "priority_source",
                   k->pinned >= 0 ? "pinned" : "computed");
}

enum MHD_Result api_h_kelurahan_list(struct api_req *r) {
  struct rows rows = {0};
  unsigned char *flag = NULL;
  json_t *items = NULL;
  enum MHD_Result ret;
  char now[21], today[11];
  store_now_iso(now);
  memcpy(today, now, 10);
  today[10] = '\0';

  int rc = store_kelurahan_each(r->db, today, POOR_MAX_DESIL, PRODUCTIVE_MIN_AGE,
                                PRODUCTIVE_MAX_AGE, collect, &rows);
  if (rc != STORE_OK) {
    ret = api_reply_problem(r, rc == STORE_EBUSY ? API_E_UNAVAILABLE : API_E_INTERNAL);
    goto cleanup;
  }
  flag = malloc(rows.n > 0 ? rows.n : 1);
  items = json_array();
  if (flag == NULL || items == NULL || priority_mark(rows.v, rows.n, flag) != 0) {
    ret = api_reply_problem(r, API_E_INTERNAL);
    goto cleanup;
  }
  for (size_t i = 0; i < rows.n; i++)
    if (json_array_append_new(items, row_json(&rows.v[i], flag[i])) != 0) {
      ret = api_reply_problem(r, API_E_INTERNAL);
      goto cleanup;
    }
  ret = api_reply_json(r, MHD_HTTP_OK,
                       json_pack("{s:s, s:{s:i, s:[i,i]}, s:I, s:O}", "as_of", today,
                                 "definitions", "poor_max_desil", POOR_MAX_DESIL,
                                 "productive_age", PRODUCTIVE_MIN_AGE, PRODUCTIVE_MAX_AGE,
                                 "total", (json_int_t)rows.n, "items", items));
cleanup:
  json_decref(items);
  free(flag);
  free(rows.v);
  return ret;
}
