/*
 * h_courses.c — BLK courses, their batches, outcomes and enrolments.
 *
 *   GET  /v1/courses, /v1/courses/{id}          every role; one course with
 *                                               its outcomes
 *   POST /v1/courses                            admin, officer
 *   GET  /v1/courses/{id}/batches, /v1/batches/{id}   every role
 *   POST /v1/courses/{id}/batches, PATCH /v1/batches/{id}   admin, officer
 *   GET  /v1/batches/{id}/enrolments            admin, officer; a desk sees
 *                                               its own residents' only
 *   POST /v1/batches/{id}/enrolments            officer; a desk for its own
 *                                               residents
 *   GET  /v1/enrolments/{id}                    admin, officer, desk (own)
 *   PATCH /v1/enrolments/{id}                   officer, desk (own)
 *
 * Outcomes keep their two sources apart: "seeded" are past batches' results
 * shipped with padan, "measured" are recomputed from padan's own enrolments
 * and placements.  Each is shown by batch and summed, next to the sum the
 * matching engine uses ("in_force": measured wins batch by batch).  The
 * placement rate is the engine's: placed within six months per enrolled.
 *
 * An enrolment is a service to a resident, so it is also written to the
 * intervention registry (kind training, office BLK Kota Tangerang, the
 * batch's dates) in the same transaction, marked as the enrolment's mirror
 * so that the overlap reports do not count it twice; the mirror ends when
 * the enrolment does or when the batch finishes.  Enrolling is refused
 * (409) when the batch has finished, is full, already holds the resident,
 * when the resident is in another batch at the same time, or when the
 * intervention registry holds a service that conflicts with a course over
 * the batch's dates (a live job referral, say): steps.h makes these checks
 * for every way of enrolling, and the 409 names what stands in the way.
 * The life cycle is enrolled
 * → completed → certified, or enrolled → dropped; nothing else (409).
 * Completing adds the skills the course teaches to the resident's record
 * (course-taught), certifying marks them certified, each change a row of
 * the resident's history (steps_course_skills).
 * After every change the resident is refreshed in the matching engine,
 * whose eligibility reads "in a course" and "courses completed".  A course
 * is new matter for the engine's course index, so creating one rebuilds the
 * snapshot.
 *
 * Enrolment replies name the resident: each is audited as a personal read.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "app.h"
#include "vocab.h"
#include "http.h"
#include "json_io.h"
#include "tx.h"
#include "listing.h"
#include "snapshot.h"
#include "steps.h"

/* The registry's name for the office that runs the courses. */
#define COURSE_SKILLS_MAX 16
#define CAPACITY_MAX 1000

static const struct api_field spec_course[] = {
    {"code", API_F_STRING, 0, 0, 0, 23},
    {"name", API_F_STRING, API_REQUIRED, 0, 0, 200},
    {"vocation", API_F_STRING, API_REQUIRED, 0, 0, 24},
    {"hours", API_F_INT, API_REQUIRED, 1, 2000, 0},
    {"batch_capacity", API_F_INT, API_REQUIRED, 1, CAPACITY_MAX, 0},
    {"schedule", API_F_STRING, API_NULLABLE, 0, 0, 120},
    {"skills", API_F_ARRAY, API_REQUIRED, 1, 0, COURSE_SKILLS_MAX},
    {"skills[]", API_F_STRING, 0, 0, 0, 16},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

static const struct api_field spec_batch_create[] = {
    {"batch_no", API_F_INT, 0, 1, 1000, 0},
    {"start_date", API_F_STRING, API_REQUIRED, 0, 0, 10},
    {"end_date", API_F_STRING, API_REQUIRED, 0, 0, 10},
    {"capacity", API_F_INT, 0, 1, CAPACITY_MAX, 0},
    {"status", API_F_STRING, 0, 0, 0, 10},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

static const struct api_field spec_batch_patch[] = {
    {"start_date", API_F_STRING, 0, 0, 0, 10},
    {"end_date", API_F_STRING, 0, 0, 0, 10},
    {"capacity", API_F_INT, 0, 1, CAPACITY_MAX, 0},
    {"status", API_F_STRING, 0, 0, 0, 10},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

static const struct api_field spec_enrol[] = {
    {"resident_id", API_F_INT, API_REQUIRED, 1, 9007199254740991.0, 0},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

static const struct api_field spec_enrolment_patch[] = {
    {"status", API_F_STRING, API_REQUIRED, 0, 0, 12},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

/* In life-cycle order: a batch only moves forward. */
static const char *const batch_statuses[] = {"planned", "running", "finished", NULL};
static const char *const enrolment_statuses[] = {"enrolled", "completed", "certified", "dropped",
                                                 NULL};

/* Rolls the open transaction back and replies 409 with the details. */
static enum MHD_Result conflict(struct api_req *r, const char *id, const char *en) {
  api_tx_abort(r);
  return api_reply_problem_detail(r, API_E_CONFLICT, id, en);
}

static int status_index(const char *const *list, const char *s) {
  return s != NULL ? vocab_index(list, s, strlen(s)) : -1;
}

/* Puts a resident whose course situation changed into the engine again. */
static void refresh_resident(struct api_req *r, int64_t resident_id) {
  if (api_engine_refresh(r->app, r->db, API_REC_RESIDENT, resident_id) != 0)
    fprintf(stderr, "padan: resident %lld saved but not refreshed in the engine\n",
            (long long)resident_id);
}

struct page_acc {
  json_t *items;
  int64_t last_id;
  int64_t *ids; /* enrolment lists: the residents named, for the audit */
  size_t n_ids;
};

/* ---- Courses ------------------------------------------------------------------------- */

static json_t *course_json(const struct store_course_row *c) {
  json_t *skills = json_array();
  for (size_t i = 0; i < c->n_skills; i++)
    json_array_append_new(skills, json_pack("{s:s, s:s, s:s}", "code", c->skills[i].code, "name_id",
                                            c->skills[i].name_id, "name_en", c->skills[i].name_en));
  return json_pack("{s:I, s:s, s:s, s:s, s:i, s:i, s:o, s:o, s:{s:I, s:I}}", "id",
                   (json_int_t)c->id, "code", c->code, "name", c->name, "vocation", c->vocation,
                   "hours", c->hours, "batch_capacity", c->batch_capacity, "schedule",
                   api_json_opt_string(c->schedule), "skills", skills, "batches", "total",
                   (json_int_t)c->batches, "open", (json_int_t)c->batches_open);
}

static int add_course(void *arg, const struct store_course_row *c) {
  struct page_acc *acc = arg;
  acc->last_id = c->id;
  return json_array_append_new(acc->items, course_json(c)) == 0 ? STORE_OK : STORE_ENOMEM;
}

static enum MHD_Result h_course_list(struct api_req *r) {
  struct api_page p;
  int vocation = -1;
  if (api_page_parse(r, &p) != 0 || api_query_enum(r, "vocation", vocab_vocations, &vocation) != 0)
    return MHD_YES;
  struct store_course_filter f = {.after = p.after, .limit = p.limit};
  f.vocation = vocation >= 0 ? vocab_vocations[vocation] : NULL;
  struct page_acc acc = {.items = json_array()};
  int rc = acc.items != NULL ? store_course_list(r->db, &f, add_course, &acc) : STORE_ENOMEM;
  if (rc != STORE_OK) {
    json_decref(acc.items);
    return api_reply_store(r, rc);
  }
  return api_reply_json(r, MHD_HTTP_OK, api_page_body(acc.items, &p, acc.last_id));
}

/* ---- Outcomes ---- */

/* Outcome figures summed over batches, with placements by sector. */
struct sums {
  int64_t enrolled, completed, certified, placed_6m;
  int64_t sector[VOCAB_N_VOCATIONS];
};

enum { SEEDED, MEASURED, IN_FORCE, N_SUMS };

struct outcome_acc {
  json_t *batches[2]; /* seeded, measured: one entry per batch */
  struct sums sum[N_SUMS];
};

/* count / of as a share rounded to 4 places, or null when of is 0. */
static json_t *rate(int64_t count, int64_t of) {
  if (of <= 0)
    return json_null();
  return json_real(round(1e4 * (double)count / (double)of) / 1e4);
}

static json_t *sums_json(const struct sums *s) {
  json_t *sectors = json_object();
  for (size_t i = 0; i < VOCAB_N_VOCATIONS; i++)
    if (s->sector[i] > 0)
      json_object_set_new(sectors, vocab_vocations[i], json_integer(s->sector[i]));
  return json_pack("{s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "enrolled", (json_int_t)s->enrolled,
                   "completed", (json_int_t)s->completed, "certified", (json_int_t)s->certified,
                   "placed_6m", (json_int_t)s->placed_6m, "completion_rate",
                   rate(s->completed, s->enrolled), "certification_rate",
                   rate(s->certified, s->enrolled), "placement_rate",
                   rate(s->placed_6m, s->enrolled), "placed_by_sector", sectors);
}

/* Adds one batch's row to the sums (and its "sector:placed;..." list). */
static void sums_add(struct sums *s, const struct store_course_outcome *o) {
  s->enrolled += o->enrolled;
  s->completed += o->completed;
  s->certified += o->certified;
  s->placed_6m += o->placed_6m;
  for (const char *p = o->sectors; *p != '\0';) {
    size_t len = strcspn(p, ";");
    const char *colon = memchr(p, ':', len);
    if (colon != NULL) {
      int v = vocab_index(vocab_vocations, p, (size_t)(colon - p));
      long long placed = 0;
      if (v >= 0 && sscanf(colon + 1, "%lld", &placed) == 1)
        s->sector[v] += placed;
    }
    p += len + (p[len] == ';');
  }
}

static int add_outcome(void *arg, const struct store_course_outcome *o) {
  struct outcome_acc *acc = arg;
  int src = strcmp(o->source, "measured") == 0 ? MEASURED : SEEDED;
  struct sums one = {0};
  sums_add(&one, o);
  sums_add(&acc->sum[src], o);
  if (o->in_force)
    sums_add(&acc->sum[IN_FORCE], o);
  json_t *b = sums_json(&one);
  if (b == NULL)
    return STORE_ENOMEM;
  json_object_set_new(b, "batch_id", json_integer(o->batch_id));
  json_object_set_new(b, "batch_no", json_integer(o->batch_no));
  json_object_set_new(b, "start_date", api_json_opt_string(o->start_date));
  json_object_set_new(b, "end_date", api_json_opt_string(o->end_date));
  json_object_set_new(b, "in_force", json_boolean(o->in_force));
  return json_array_append_new(acc->batches[src], b) == 0 ? STORE_OK : STORE_ENOMEM;
}

static json_t *source_json(struct outcome_acc *acc, int src, const char *label_id,
                           const char *label_en) {
  return json_pack("{s:s, s:s, s:o, s:O}", "label_id", label_id, "label_en", label_en, "total",
                   sums_json(&acc->sum[src]), "batches", acc->batches[src]);
}

/* The course's outcomes object, or NULL with *rc set. */
static json_t *outcomes_json(struct api_req *r, int64_t course_id, int *rc) {
  struct outcome_acc acc = {.batches = {json_array(), json_array()}};
  json_t *out = NULL;
  *rc = acc.batches[0] && acc.batches[1]
            ? store_course_outcomes_each(r->db, course_id, add_outcome, &acc)
            : STORE_ENOMEM;
  if (*rc == STORE_OK)
    out = json_pack(
        "{s:s, s:o, s:o, s:{s:s, s:s, s:o}}", "placement_rate_basis", "placed_6m / enrolled",
        "seeded",
        source_json(&acc, SEEDED, "Data awal: hasil angkatan lalu yang disertakan bersama padan",
                    "Seeded: past batches' results shipped with padan"),
        "measured",
        source_json(&acc, MEASURED,
                    "Terukur: dihitung ulang dari pendaftaran dan penempatan yang dicatat padan",
                    "Measured: recomputed from the enrolments and placements padan recorded"),
        "in_force", "label_id",
        "Yang dipakai mesin pencocokan: per angkatan, data terukur menggantikan data awal",
        "label_en", "What the matching engine uses: per batch, measured replaces seeded", "total",
        sums_json(&acc.sum[IN_FORCE]));
  if (*rc == STORE_OK && out == NULL)
    *rc = STORE_ENOMEM;
  json_decref(acc.batches[0]);
  json_decref(acc.batches[1]);
  return out;
}

static enum MHD_Result h_course_get(struct api_req *r) {
  struct store_course_row c;
  if (api_authorize(r, API_O_COURSE, r->id[0], API_READ) != 0)
    return MHD_YES;
  int rc = store_course_get(r->db, r->id[0], &c);
  json_t *outcomes = rc == STORE_OK ? outcomes_json(r, c.id, &rc) : NULL;
  if (rc != STORE_OK)
    return api_reply_store(r, rc);
  json_t *body = course_json(&c);
  json_object_set_new(body, "outcomes", outcomes);
  return api_reply_json(r, MHD_HTTP_OK, body);
}

static enum MHD_Result h_course_create(struct api_req *r) {
  const char *code = api_body_string(r, "code");
  struct store_course c = {
      .code = code,
      .name = api_body_string(r, "name"),
      .vocation = api_body_string(r, "vocation"),
      .schedule = api_body_string(r, "schedule"),
      .hours = (int)api_body_int(r, "hours", 0),
      .batch_capacity = (int)api_body_int(r, "batch_capacity", 0),
  };
  int64_t skills[COURSE_SKILLS_MAX], id = 0;
  size_t n = 0;
  json_t *errors = json_array();
  int rc = STORE_OK;
  if (code != NULL &&
      (strlen(code) < 3 || strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != strlen(code)))
    api_field_error(errors, "code", API_FE_FORMAT,
                    "Kode terdiri atas 3–23 huruf besar, angka atau '-'.",
                    "A code is 3–23 capital letters, digits or '-'.");
  if (!api_text_ok(c.name))
    api_field_error(errors, "name", API_FE_BLANK,
                    "Nama tidak boleh kosong atau memuat karakter kontrol.",
                    "The name must not be blank or hold control characters.");
  if (c.schedule != NULL && !api_text_ok(c.schedule))
    api_field_error(
        errors, "schedule", API_FE_BLANK,
        "Jadwal tidak boleh kosong atau memuat karakter kontrol (null untuk tanpa jadwal).",
        "The schedule must not be blank or hold control characters (null for none).");
  if (status_index(vocab_vocations, c.vocation) < 0)
    api_field_error(errors, "vocation", API_FE_ENUM_VALUE, "Kejuruan ini tidak dikenal.",
                    "There is no such vocation.");
  const json_t *codes = api_body_get(r, "skills");
  for (size_t i = 0; rc == STORE_OK && i < json_array_size(codes) && i < COURSE_SKILLS_MAX; i++) {
    char field[32];
    int64_t sid;
    snprintf(field, sizeof field, "skills[%zu]", i);
    rc = store_id_by_code(r->db, STORE_T_SKILLS, json_string_value(json_array_get(codes, i)), &sid);
    if (rc == STORE_ENOTFOUND) {
      api_field_error(errors, field, API_FE_UNKNOWN_CODE, "Kode keterampilan ini tidak dikenal.",
                      "There is no skill with this code.");
      rc = STORE_OK;
      continue;
    }
    int dup = 0;
    for (size_t j = 0; j < n; j++)
      dup |= skills[j] == sid;
    if (dup)
      api_field_error(errors, field, API_FE_DUPLICATE, "Keterampilan ini sudah disebut.",
                      "This skill is listed already.");
    else if (rc == STORE_OK)
      skills[n++] = sid;
  }
  if (rc != STORE_OK || json_array_size(errors) > 0)
    return api_reply_invalid(r, rc, errors);
  json_decref(errors);

  rc = api_tx_begin(r);
  if (rc == STORE_OK)
    rc = store_course_create(r->db, &c, skills, n, &id);
  rc = api_tx_end(r, rc);
  if (rc != STORE_OK) {
    if (rc == STORE_ECONSTRAINT)
      return api_reply_problem_detail(r, API_E_CONFLICT, "Kode kursus ini sudah dipakai.",
                                      "This course code is already taken.");
    return api_reply_store(r, rc);
  }
  /* The engine indexes courses when it is built: a new one needs a rebuild
   * before train-then-apply can recommend it.  Courses are added rarely. */
  if (api_engine_rebuild(r->app, r->db) != 0)
    fprintf(stderr, "padan: course %lld saved but the engine was not rebuilt\n", (long long)id);
  struct store_course_row row;
  rc = store_course_get(r->db, id, &row);
  if (rc != STORE_OK)
    return api_reply_store(r, rc);
  api_reply_header(r, MHD_HTTP_HEADER_LOCATION, "/v1/courses/%lld", (long long)id);
  return api_reply_json(r, MHD_HTTP_CREATED, course_json(&row));
}

/* ---- Batches ------------------------------------------------------------------------- */

static json_t *batch_json(const struct store_batch_row *b) {
  int64_t taken = b->enrolled + b->completed + b->certified;
  return json_pack("{s:I, s:{s:I, s:s, s:s}, s:i, s:o, s:o, s:i, s:s, s:{s:I, s:I, s:I, s:I}, "
                   "s:I}",
                   "id", (json_int_t)b->id, "course", "id", (json_int_t)b->course_id, "code",
                   b->course_code, "name", b->course_name, "batch_no", b->batch_no, "start_date",
                   api_json_opt_string(b->start_date), "end_date", api_json_opt_string(b->end_date),
                   "capacity", b->capacity, "status", b->status, "enrolments", "enrolled",
                   (json_int_t)b->enrolled, "completed", (json_int_t)b->completed, "certified",
                   (json_int_t)b->certified, "dropped", (json_int_t)b->dropped, "places_left",
                   (json_int_t)(b->capacity > taken ? b->capacity - taken : 0));
}

static enum MHD_Result reply_batch(struct api_req *r, unsigned status, int64_t id) {
  struct store_batch_row b;
  int rc = store_batch_get(r->db, id, &b);
  if (rc != STORE_OK) /* after a write: it is stored all the same */
    return api_reply_written(r, status, id, rc);
  return api_reply_json(r, status, batch_json(&b));
}

static int add_batch(void *arg, const struct store_batch_row *b) {
  struct page_acc *acc = arg;
  acc->last_id = b->id;
  return json_array_append_new(acc->items, batch_json(b)) == 0 ? STORE_OK : STORE_ENOMEM;
}

static enum MHD_Result h_batch_list(struct api_req *r) {
  struct api_page p;
  int status = -1;
  if (api_authorize(r, API_O_COURSE, r->id[0], API_READ) != 0 || api_page_parse(r, &p) != 0 ||
      api_query_enum(r, "status", batch_statuses, &status) != 0)
    return MHD_YES;
  struct store_batch_filter f = {.course_id = r->id[0], .after = p.after, .limit = p.limit};
  f.status = status >= 0 ? batch_statuses[status] : NULL;
  struct page_acc acc = {.items = json_array()};
  int rc = acc.items != NULL ? store_batch_list(r->db, &f, add_batch, &acc) : STORE_ENOMEM;
  if (rc != STORE_OK) {
    json_decref(acc.items);
    return api_reply_store(r, rc);
  }
  return api_reply_json(r, MHD_HTTP_OK, api_page_body(acc.items, &p, acc.last_id));
}

static enum MHD_Result h_batch_get(struct api_req *r) {
  if (api_authorize(r, API_O_BATCH, r->id[0], API_READ) != 0)
    return MHD_YES;
  return reply_batch(r, MHD_HTTP_OK, r->id[0]);
}

/* Checks a batch's dates and status as a write would leave them. */
static void check_batch(const struct store_batch *b, json_t *errors) {
  int dates = 1;
  if (b->start_date != NULL && !api_date_ok(b->start_date)) {
    api_field_error(errors, "start_date", API_FE_DATE,
                    "Tanggal harus nyata dan ditulis YYYY-MM-DD.",
                    "The date must be real and written YYYY-MM-DD.");
    dates = 0;
  }
  if (b->end_date != NULL && !api_date_ok(b->end_date)) {
    api_field_error(errors, "end_date", API_FE_DATE, "Tanggal harus nyata dan ditulis YYYY-MM-DD.",
                    "The date must be real and written YYYY-MM-DD.");
    dates = 0;
  }
  if (dates && b->start_date != NULL && b->end_date != NULL &&
      strcmp(b->end_date, b->start_date) < 0)
    api_field_error(errors, "end_date", API_FE_ORDER, "Tanggal selesai sebelum tanggal mulai.",
                    "The end date is before the start date.");
  if (status_index(batch_statuses, b->status) < 0)
    api_field_error(errors, "status", API_FE_ENUM_VALUE, "Status: planned, running atau finished.",
                    "Status: planned, running or finished.");
}

static enum MHD_Result h_batch_create(struct api_req *r) {
  int64_t course_id = r->id[0], id = 0;
  struct store_course_row c;
  if (api_authorize(r, API_O_COURSE, course_id, API_WRITE) != 0)
    return MHD_YES;
  int rc = store_course_get(r->db, course_id, &c);
  if (rc != STORE_OK)
    return api_reply_store(r, rc);
  struct store_batch b = {
      .course_id = course_id,
      .batch_no = (int)api_body_int(r, "batch_no", 0),
      .start_date = api_body_string(r, "start_date"),
      .end_date = api_body_string(r, "end_date"),
      .status = api_body_string(r, "status") ? api_body_string(r, "status") : "planned",
      .capacity = (int)api_body_int(r, "capacity", c.batch_capacity),
  };
  json_t *errors = json_array();
  check_batch(&b, errors);
  if (json_array_size(errors) > 0)
    return api_reply_problem_errors(r, API_E_INVALID_INPUT, errors);
  json_decref(errors);
  rc = api_tx_begin(r);
  if (rc == STORE_OK && b.batch_no == 0)
    rc = store_batch_next_no(r->db, course_id, &b.batch_no);
  if (rc == STORE_OK)
    rc = store_batch_add(r->db, &b, &id);
  if (rc == STORE_ECONSTRAINT)
    return conflict(r, "Nomor angkatan ini sudah ada untuk kursus ini.",
                    "This course already has a batch with this number.");
  rc = api_tx_end(r, rc);
  if (rc != STORE_OK) {
    return api_reply_store(r, rc);
  }
  api_reply_header(r, MHD_HTTP_HEADER_LOCATION, "/v1/batches/%lld", (long long)id);
  return reply_batch(r, MHD_HTTP_CREATED, id);
}

static int refresh_each(void *arg, int64_t resident_id) {
  refresh_resident(arg, resident_id);
  return 0;
}

/* The day a service in batch b ends when it ends now: today, or the
 * batch's end date when that has passed, but never before its start. */
static void end_day(const struct store_batch_row *b, char out[11]) {
  char today[11];
  api_today(today);
  const char *end = b->end_date[0] != '\0' && strcmp(b->end_date, today) < 0 ? b->end_date : today;
  if (b->start_date[0] != '\0' && strcmp(end, b->start_date) < 0)
    end = b->start_date;
  snprintf(out, 11, "%s", end);
}

static enum MHD_Result h_batch_patch(struct api_req *r) {
  int64_t id = r->id[0];
  struct store_batch_row cur;
  if (api_authorize(r, API_O_BATCH, id, API_WRITE) != 0)
    return MHD_YES;
  int rc = api_tx_begin(r);
  if (rc == STORE_OK)
    rc = store_batch_get(r->db, id, &cur);
  if (rc != STORE_OK) {
    api_tx_abort(r);
    return api_reply_store(r, rc);
  }
  struct store_batch b = {
      .start_date = cur.start_date[0] ? cur.start_date : NULL,
      .end_date = cur.end_date[0] ? cur.end_date : NULL,
      .status = cur.status,
      .capacity = (int)api_body_int(r, "capacity", cur.capacity),
  };
  if (api_body_string(r, "start_date") != NULL)
    b.start_date = api_body_string(r, "start_date");
  if (api_body_string(r, "end_date") != NULL)
    b.end_date = api_body_string(r, "end_date");
  if (api_body_string(r, "status") != NULL)
    b.status = api_body_string(r, "status");
  json_t *errors = json_array();
  check_batch(&b, errors);
  if (json_array_size(errors) > 0) {
    api_tx_abort(r);
    return api_reply_problem_errors(r, API_E_INVALID_INPUT, errors);
  }
  json_decref(errors);

  int from = status_index(batch_statuses, cur.status), to = status_index(batch_statuses, b.status);
  int64_t taken = cur.enrolled + cur.completed + cur.certified;
  char id_msg[200], en_msg[200];
  if (to < from) {
    snprintf(id_msg, sizeof id_msg, "Angkatan tidak dapat kembali dari %s ke %s.", cur.status,
             b.status);
    snprintf(en_msg, sizeof en_msg, "A batch cannot go back from %s to %s.", cur.status, b.status);
    return conflict(r, id_msg, en_msg);
  }
  if (b.capacity < taken) {
    snprintf(id_msg, sizeof id_msg, "Sudah %lld peserta; kapasitas tidak boleh kurang.",
             (long long)taken);
    snprintf(en_msg, sizeof en_msg, "%lld trainees hold places; capacity may not be fewer.",
             (long long)taken);
    return conflict(r, id_msg, en_msg);
  }
  int finishing = to == 2 && from != 2;
  char end[11];
  rc = store_batch_update(r->db, id, &b);
  if (rc == STORE_OK && finishing)
    rc = store_batch_get(r->db, id, &cur);
  if (rc == STORE_OK && finishing)
    end_day(&cur, end);
  if (rc == STORE_OK && finishing)
    rc = store_batch_end_interventions(r->db, id, end);
  rc = api_tx_end(r, rc);
  if (rc != STORE_OK) {
    return api_reply_store(r, rc);
  }
  /* A finished batch no longer keeps its trainees "in a course". */
  if (finishing)
    store_batch_residents_each(r->db, id, refresh_each, r);
  return reply_batch(r, MHD_HTTP_OK, id);
}

/* ---- Enrolments ------------------------------------------------------------------------ */

static json_t *enrolment_json(const struct store_enrolment_row *e) {
  return json_pack("{s:I, s:{s:I, s:i, s:s}, s:{s:I, s:s, s:s}, s:{s:I, s:o, s:o}, s:s, s:o, "
                   "s:s, s:s}",
                   "id", (json_int_t)e->id, "batch", "id", (json_int_t)e->batch_id, "batch_no",
                   e->batch_no, "status", e->batch_status, "course", "id", (json_int_t)e->course_id,
                   "code", e->course_code, "name", e->course_name, "resident", "id",
                   (json_int_t)e->resident_id, "name", api_json_opt_string(e->resident_name),
                   "kelurahan_code", api_json_opt_string(e->kelurahan_code), "status", e->status,
                   "intervention_id",
                   e->intervention_id >= 0 ? json_integer(e->intervention_id) : json_null(),
                   "created_at", e->created_at, "updated_at", e->updated_at);
}

/* Replies with enrolment id, a personal read that is audited first. */
static enum MHD_Result reply_enrolment(struct api_req *r, int64_t id) {
  struct store_enrolment_row e;
  int rc = store_enrolment_get(r->db, id, &e);
  if (rc != STORE_OK)
    return api_reply_store(r, rc);
  if (api_audit_personal(r, e.resident_id, "enrolment") != 0)
    return MHD_YES;
  return api_reply_json(r, MHD_HTTP_OK, enrolment_json(&e));
}

/* Ends a write to enrolment id inside the open transaction: reads it back,
 * writes the audit row of the personal read the reply is, commits both
 * with the change, puts the resident into the engine again and replies.
 * Any failure rolls everything back. */
static enum MHD_Result commit_enrolment(struct api_req *r, unsigned status, int64_t id,
                                        const char *purpose) {
  struct store_enrolment_row e;
  int rc = store_enrolment_get(r->db, id, &e);
  if (rc == STORE_OK && api_audit_personal(r, e.resident_id, purpose) != 0) {
    api_tx_abort(r);
    return MHD_YES;
  }
  rc = api_tx_end(r, rc);
  if (rc != STORE_OK) {
    return api_reply_store(r, rc);
  }
  refresh_resident(r, e.resident_id);
  return api_reply_json(r, status, enrolment_json(&e));
}

static int add_enrolment(void *arg, const struct store_enrolment_row *e) {
  struct page_acc *acc = arg;
  acc->last_id = e->id;
  acc->ids[acc->n_ids++] = e->resident_id;
  return json_array_append_new(acc->items, enrolment_json(e)) == 0 ? STORE_OK : STORE_ENOMEM;
}

static enum MHD_Result h_enrolment_list(struct api_req *r) {
  int64_t ids[API_LIST_MAX];
  struct api_page p;
  struct api_scope scope;
  int status = -1;
  if (api_authorize(r, API_O_BATCH, r->id[0], API_READ) != 0 || api_page_parse(r, &p) != 0 ||
      api_query_enum(r, "status", enrolment_statuses, &status) != 0)
    return MHD_YES;
  api_scope_of(r, &scope);
  struct store_enrolment_filter f = {.batch_id = r->id[0],
                                     .kelurahan_id = scope.kelurahan_id,
                                     .status = status >= 0 ? enrolment_statuses[status] : NULL,
                                     .after = p.after,
                                     .limit = p.limit};
  struct page_acc acc = {.items = json_array(), .ids = ids};
  int rc = acc.items != NULL ? store_enrolment_list(r->db, &f, add_enrolment, &acc) : STORE_ENOMEM;
  if (rc != STORE_OK) {
    json_decref(acc.items);
    return api_reply_store(r, rc);
  }
  if (api_audit_personal_each(r, acc.ids, acc.n_ids, "enrolments") != 0) {
    json_decref(acc.items);
    return MHD_YES;
  }
  return api_reply_json(r, MHD_HTTP_OK, api_page_body(acc.items, &p, acc.last_id));
}

static enum MHD_Result h_enrolment_get(struct api_req *r) {
  if (api_authorize(r, API_O_ENROLMENT, r->id[0], API_READ) != 0)
    return MHD_YES;
  return reply_enrolment(r, r->id[0]);
}

static enum MHD_Result h_enrol(struct api_req *r) {
  int64_t batch_id = r->id[0], resident_id = api_body_int(r, "resident_id", 0);
  int64_t enrolment_id = 0;
  struct steps_refusal why;
  char today[11];
  if (api_authorize(r, API_O_BATCH, batch_id, API_READ) != 0 ||
      api_authorize(r, API_O_RESIDENT, resident_id, API_WRITE) != 0)
    return MHD_YES;
  api_today(today);

  /* Every check that depends on the batch's enrolments or the registry
   * runs inside the write transaction (steps.h), so two desks cannot fill
   * the last place twice. */
  int rc = api_tx_begin(r);
  if (rc == STORE_OK)
    rc = steps_enrol(r->db, batch_id, resident_id, r->who.user_id, today, &why, &enrolment_id);
  if (rc == STORE_OK && why.refused)
    return conflict(r, why.detail_id, why.detail_en);
  if (rc != STORE_OK) {
    api_tx_abort(r);
    return api_reply_store(r, rc);
  }
  api_reply_header(r, MHD_HTTP_HEADER_LOCATION, "/v1/enrolments/%lld", (long long)enrolment_id);
  return commit_enrolment(r, MHD_HTTP_CREATED, enrolment_id, "enrol");
}

/* The registry row's status after an enrolment in batch b moves to
 * status, and its end date (iv_end "" leaves it as it is). */
static const char *mirror_of(const char *status, const struct store_batch_row *b, char iv_end[11]) {
  iv_end[0] = '\0';
  if (strcmp(status, "dropped") == 0 && strcmp(b->status, "planned") == 0)
    return "cancelled";                 /* it never started */
  if (strcmp(status, "certified") != 0) /* certified: ended already at completion */
    end_day(b, iv_end);
  return "ended";
}

static enum MHD_Result h_enrolment_patch(struct api_req *r) {
  int64_t id = r->id[0];
  const char *to = api_body_string(r, "status");
  struct store_enrolment_row e;
  struct store_batch_row b;
  char iv_end[11], id_msg[200], en_msg[200];
  if (api_authorize(r, API_O_ENROLMENT, id, API_STATUS) != 0)
    return MHD_YES;
  if (status_index(enrolment_statuses, to) < 0) {
    json_t *errors = json_array();
    api_field_error(errors, "status", API_FE_ENUM_VALUE,
                    "Status: enrolled, completed, certified atau dropped.",
                    "Status: enrolled, completed, certified or dropped.");
    return api_reply_problem_errors(r, API_E_INVALID_INPUT, errors);
  }
  int rc = api_tx_begin(r);
  if (rc == STORE_OK)
    rc = store_enrolment_get(r->db, id, &e);
  if (rc == STORE_OK)
    rc = store_batch_get(r->db, e.batch_id, &b);
  if (rc != STORE_OK) {
    api_tx_abort(r);
    return api_reply_store(r, rc);
  }
  /* enrolled → completed → certified, or enrolled → dropped. */
  int legal = (strcmp(e.status, "enrolled") == 0 &&
               (strcmp(to, "completed") == 0 || strcmp(to, "dropped") == 0)) ||
              (strcmp(e.status, "completed") == 0 && strcmp(to, "certified") == 0);
  if (!legal) {
    snprintf(id_msg, sizeof id_msg, "Status pendaftaran tidak dapat berpindah dari %s ke %s.",
             e.status, to);
    snprintf(en_msg, sizeof en_msg, "An enrolment cannot move from %s to %s.", e.status, to);
    return conflict(r, id_msg, en_msg);
  }
  if (strcmp(to, "completed") == 0 && strcmp(b.status, "planned") == 0)
    return conflict(r, "Angkatan ini belum dimulai; peserta belum bisa lulus.",
                    "This batch has not started; nobody can have completed it.");
  const char *iv_status = mirror_of(to, &b, iv_end);
  rc = store_enrolment_move(r->db, id, to, iv_status, iv_end[0] != '\0' ? iv_end : NULL);
  /* a finished course changes the record: its skills, then certified */
  if (rc == STORE_OK && (strcmp(to, "completed") == 0 || strcmp(to, "certified") == 0))
    rc = steps_course_skills(r->db, e.resident_id, e.course_id, e.course_code, id,
                             strcmp(to, "certified") == 0, r->who.user_id);
  if (rc != STORE_OK) {
    api_tx_abort(r);
    return api_reply_store(r, rc);
  }
  return commit_enrolment(r, MHD_HTTP_OK, id, "enrolment_status");
}

static const char *const course_list_query[] = {"limit", "cursor", "vocation", NULL};
static const char *const status_list_query[] = {"limit", "cursor", "status", NULL};

const struct api_route api_routes_courses[] = {
    {.method = "GET",
     .pattern = "/v1/courses",
     .handler = h_course_list,
     .roles = AUTH_ANY_ROLE,
     .query = course_list_query},
    {.method = "POST",
     .pattern = "/v1/courses",
     .handler = h_course_create,
     .roles = AUTH_ADMIN | AUTH_OFFICER,
     .body = spec_course},
    {.method = "GET",
     .pattern = "/v1/courses/{id}",
     .handler = h_course_get,
     .roles = AUTH_ANY_ROLE},
    {.method = "GET",
     .pattern = "/v1/courses/{id}/batches",
     .handler = h_batch_list,
     .roles = AUTH_ANY_ROLE,
     .query = status_list_query},
    {.method = "POST",
     .pattern = "/v1/courses/{id}/batches",
     .handler = h_batch_create,
     .roles = AUTH_ADMIN | AUTH_OFFICER,
     .body = spec_batch_create},
    {.method = "GET",
     .pattern = "/v1/batches/{id}",
     .handler = h_batch_get,
     .roles = AUTH_ANY_ROLE},
    {.method = "PATCH",
     .pattern = "/v1/batches/{id}",
     .handler = h_batch_patch,
     .roles = AUTH_ADMIN | AUTH_OFFICER,
     .body = spec_batch_patch},
    {.method = "GET",
     .pattern = "/v1/batches/{id}/enrolments",
     .handler = h_enrolment_list,
     .roles = AUTH_ADMIN | AUTH_OFFICER | AUTH_DESK,
     .query = status_list_query},
    {.method = "POST",
     .pattern = "/v1/batches/{id}/enrolments",
     .handler = h_enrol,
     .roles = AUTH_OFFICER | AUTH_DESK,
     .body = spec_enrol},
    {.method = "GET",
     .pattern = "/v1/enrolments/{id}",
     .handler = h_enrolment_get,
     .roles = AUTH_ADMIN | AUTH_OFFICER | AUTH_DESK},
    {.method = "PATCH",
     .pattern = "/v1/enrolments/{id}",
     .handler = h_enrolment_patch,
     .roles = AUTH_OFFICER | AUTH_DESK,
     .body = spec_enrolment_patch},
    {.method = NULL},
};
