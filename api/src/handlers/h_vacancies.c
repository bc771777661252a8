/*
 * h_vacancies.c — vacancies: GET /v1/vacancies (officers and admins see
 * all; an employer account its own; a desk the open ones), with filters;
 * GET /v1/vacancies/{id}; POST /v1/vacancies (an employer account posts
 * for its own employer, which comes from the account and never from the
 * body; officers and admins post for any employer, named by code); PATCH
 * /v1/vacancies/{id} (the same callers, the same fields but the employer).
 *
 * A write is checked as a whole record — the stored vacancy with the
 * body's fields over it — so that a PATCH cannot leave, say, a minimum age
 * above the maximum or a must-have skill that is also nice-to-have.  After
 * the commit the vacancy is put into the matching engine's snapshot
 * (api_engine_refresh), so the next ranking already sees it.
 *
 * Every reply carries below_umk: the wage is below STORE_UMK_MONTHLY, the
 * 2026 UMK of Kota Tangerang (Rp5.399.405 a month), and openings_filled:
 * the referrals to it that reached hired.
 */
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "app.h"
#include "dates.h"
#include "vocab.h"
#include "http.h"
#include "json_io.h"
#include "tx.h"
#include "listing.h"
#include "snapshot.h"

/* Skills a vacancy may list as must-have, and as nice-to-have. */
#define SKILLS_MAX 10
#define TITLE_MAX_BYTES 200
#define OPENINGS_MAX 10000
#define WAGE_MAX 999999999

#define VACANCY_FIELDS(REQ)                                                                        \
  {"title", API_F_STRING, REQ, 0, 0, TITLE_MAX_BYTES},                                             \
      {"kbji", API_F_STRING, API_NULLABLE, 0, 0, 4}, {"vocation", API_F_STRING, REQ, 0, 0, 24},    \
      {"kelurahan", API_F_STRING, 0, 0, 0, 16}, {"must_skills", API_F_ARRAY, 0, 0, 0, SKILLS_MAX}, \
      {"must_skills[]", API_F_STRING, 0, 0, 0, 16},                                                \
      {"nice_skills", API_F_ARRAY, 0, 0, 0, SKILLS_MAX},                                           \
      {"nice_skills[]", API_F_STRING, 0, 0, 0, 16},                                                \
      {"min_education", API_F_STRING, API_NULLABLE, 0, 0, 8},                                      \
      {"min_age", API_F_INT, API_NULLABLE, 0, 120, 0},                                             \
      {"max_age", API_F_INT, API_NULLABLE, 0, 120, 0},                                             \
      {"openings", API_F_INT, REQ, 0, OPENINGS_MAX, 0},                                            \
      {"wage_monthly", API_F_INT, REQ, 1, WAGE_MAX, 0},                                            \
      {"shift", API_F_STRING, API_NULLABLE, 0, 0, 16},                                             \
      {"deadline", API_F_STRING, API_NULLABLE, 0, 0, 10}, {                                        \
    "status", API_F_STRING, 0, 0, 0, 8                                                             \
  }

static const struct api_field spec_create[] = {
    {"employer", API_F_STRING, 0, 0, 0, 31},
    VACANCY_FIELDS(API_REQUIRED),
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

static const struct api_field spec_patch[] = {
    VACANCY_FIELDS(0),
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

static const char *const statuses[] = {"draft", "open", "closed", NULL};

/* ---- Replies --------------------------------------------------------------------------- */

static json_t *skills_json(const struct store_skill_ref *k, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "code", k[i].code, "name_id",
                                       k[i].name_id, "name_en", k[i].name_en));
  return a;
}

static json_t *vacancy_json(const struct store_vacancy_row *v) {
  json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:s, s:{s:I, s:s, s:s}, s:{s:I, s:s, s:s}, "
                        "s:{s:s, s:s}}",
                        "id", (json_int_t)v->id, "code", v->code, "title", v->title, "kbji",
                        api_json_opt_string(v->kbji), "vocation", v->vocation, "employer", "id",
                        (json_int_t)v->employer_id, "code", v->employer_code, "name",
                        v->employer_name, "kelurahan", "id", (json_int_t)v->kelurahan_id, "code",
                        v->kelurahan_code, "name", v->kelurahan_name, "kecamatan", "code",
                        v->kecamatan_code, "name", v->kecamatan_name);
  if (o == NULL)
    return NULL;
  int left = v->openings > v->filled ? v->openings - v->filled : 0;
  json_object_set_new(o, "must_skills", skills_json(v->must, v->n_must));
  json_object_set_new(o, "nice_skills", skills_json(v->nice, v->n_nice));
  json_object_set_new(o, "min_education", api_json_opt_string(v->min_education));
  json_object_set_new(o, "min_age", api_json_opt_int(v->min_age));
  json_object_set_new(o, "max_age", api_json_opt_int(v->max_age));
  json_object_set_new(o, "openings", json_integer(v->openings));
  json_object_set_new(o, "openings_filled", json_integer(v->filled));
  json_object_set_new(o, "openings_left", json_integer(left));
  json_object_set_new(o, "wage_monthly", json_integer(v->wage_monthly));
  json_object_set_new(o, "below_umk", json_boolean(v->wage_monthly < STORE_UMK_MONTHLY));
  json_object_set_new(o, "shift", api_json_opt_string(v->shift));
  json_object_set_new(o, "status", json_string(v->status));
  json_object_set_new(o, "posted_date", api_json_opt_string(v->posted_date));
  json_object_set_new(o, "deadline", api_json_opt_string(v->deadline));
  json_object_set_new(o, "created_at", json_string(v->created_at));
  json_object_set_new(o, "updated_at", json_string(v->updated_at));
  return o;
}

static enum MHD_Result reply_vacancy(struct api_req *r, unsigned status, int64_t id) {
  struct store_vacancy_row v;
  int rc = store_vacancy_get(r->db, id, &v);
  if (rc != STORE_OK) /* after a write: it is stored all the same */
    return api_reply_written(r, status, id, rc);
  return api_reply_json(r, status, vacancy_json(&v));
}

/* ---- Reads ------------------------------------------------------------------------------- */

struct page_acc {
  json_t *items;
  int64_t last_id;
};

static int add_vacancy(void *arg, const struct store_vacancy_row *v) {
  struct page_acc *acc = arg;
  acc->last_id = v->id;
  return json_array_append_new(acc->items, vacancy_json(v)) == 0 ? STORE_OK : STORE_ENOMEM;
}

static enum MHD_Result h_vacancy_list(struct api_req *r) {
  struct api_page p;
  struct api_scope scope;
  int status = -1, vocation = -1, below = -1, open_only = 0;
  if (api_page_parse(r, &p) != 0 || api_query_enum(r, "status", statuses, &status) != 0 ||
      api_query_enum(r, "vocation", vocab_vocations, &vocation) != 0 ||
      api_query_bool(r, "below_umk", &below) != 0 ||
      api_query_bool(r, "open_only", &open_only) != 0)
    return MHD_YES;
  struct store_vacancy_filter f = {.after = p.after, .limit = p.limit};
  int64_t employer = -1;
  char today[11];
  json_t *errors = json_array();
  int rc = api_query_places(r, &f.kelurahan_id, &f.kecamatan_id, errors);
  if (rc == STORE_OK)
    rc = api_query_code(r, "employer", STORE_T_EMPLOYERS, &employer, errors);
  if (rc != STORE_OK || json_array_size(errors) > 0)
    return api_reply_invalid(r, rc, errors);
  json_decref(errors);

  f.status = status >= 0 ? statuses[status] : NULL;
  f.vocation = vocation >= 0 ? vocab_vocations[vocation] : NULL;
  f.umk = below < 0 ? 0 : below ? 1 : 2;
  if (open_only) {
    api_today(today);
    f.open_on = today;
  }
  /* The caller's scope narrows the filters: an employer account sees its
   * own vacancies (another employer's code then matches nothing), a desk
   * the open ones. */
  api_scope_of(r, &scope);
  f.employer_id = employer;
  if (scope.employer_id >= 0) {
    if (employer >= 0 && employer != scope.employer_id)
      return api_reply_json(r, MHD_HTTP_OK, api_page_body(json_array(), &p, 0));
    f.employer_id = scope.employer_id;
  }
  f.status_open = scope.open_vacancies_only;

  struct page_acc acc = {json_array(), 0};
  rc = acc.items != NULL ? store_vacancy_list(r->db, &f, add_vacancy, &acc) : STORE_ENOMEM;
  if (rc != STORE_OK) {
    json_decref(acc.items);
    return api_reply_store(r, rc);
  }
  return api_reply_json(r, MHD_HTTP_OK, api_page_body(acc.items, &p, acc.last_id));
}

static enum MHD_Result h_vacancy_get(struct api_req *r) {
  if (api_authorize(r, API_O_VACANCY, r->id[0], API_READ) != 0)
    return MHD_YES;
  return reply_vacancy(r, MHD_HTTP_OK, r->id[0]);
}

/* ---- Writes -------------------------------------------------------------------------------- */

/* A vacancy as a write would leave it: the stored record (PATCH) or the
 * defaults (POST) with the body's fields over it.  Strings are borrowed
 * from the body or from the stored row. */
struct draft {
  struct store_vacancy v;
  int64_t must[STORE_ROW_SKILLS], nice[STORE_ROW_SKILLS];
  size_t n_must, n_nice;
  int filled;           /* hires so far: openings may not drop below */
  char posted_date[11]; /* "" unknown */
};

/* A present string field of the body over *slot (null clears it). */
static void take_string(struct api_req *r, const char *name, const char **slot) {
  if (api_body_get(r, name) != NULL)
    *slot = api_body_string(r, name);
}

static void take_int(struct api_req *r, const char *name, int *slot) {
  if (api_body_get(r, name) != NULL)
    *slot = (int)api_body_int(r, name, -1);
}

static int in_list(const int64_t *ids, size_t n, int64_t id) {
  for (size_t i = 0; i < n; i++)
    if (ids[i] == id)
      return 1;
  return 0;
}

/* Resolves the body's skill codes of array name into ids (when the body
 * has it); unknown or repeated codes go to errors.  A store failure other
 * than "not found" is returned. */
static int take_skills(struct api_req *r, const char *name, int64_t *ids, size_t *n,
                       json_t *errors) {
  const json_t *a = api_body_get(r, name);
  if (a == NULL)
    return STORE_OK;
  *n = 0;
  for (size_t i = 0; i < json_array_size(a) && i < SKILLS_MAX; i++) {
    char field[48];
    int64_t id;
    snprintf(field, sizeof field, "%s[%zu]", name, i);
    int rc = store_id_by_code(r->db, STORE_T_SKILLS, json_string_value(json_array_get(a, i)), &id);
    if (rc == STORE_ENOTFOUND)
      api_field_error(errors, field, API_FE_UNKNOWN_CODE, "Kode keterampilan ini tidak dikenal.",
                      "There is no skill with this code.");
    else if (rc != STORE_OK)
      return rc;
    else if (in_list(ids, *n, id))
      api_field_error(errors, field, API_FE_DUPLICATE,
                      "Keterampilan ini sudah disebut di daftar ini.",
                      "This skill is already in this list.");
    else
      ids[(*n)++] = id;
  }
  return STORE_OK;
}

static int enum_ok(const char *const *list, const char *s) {
  return s == NULL || vocab_index(list, s, strlen(s)) >= 0;
}

/* Applies the body to d and checks the record it makes; every problem goes
 * to errors.  creating: a POST (status draft or open only). */
static int check_draft(struct api_req *r, struct draft *d, int creating, json_t *errors) {
  struct store_vacancy *v = &d->v;
  struct mt_config cfg = api_config(r->app);
  const char *kel = NULL;
  take_string(r, "title", &v->title);
  take_string(r, "kbji", &v->kbji);
  take_string(r, "vocation", &v->vocation);
  take_string(r, "kelurahan", &kel);
  take_string(r, "min_education", &v->min_education);
  take_int(r, "min_age", &v->min_age);
  take_int(r, "max_age", &v->max_age);
  take_int(r, "openings", &v->openings);
  if (api_body_get(r, "wage_monthly") != NULL)
    v->wage_monthly = api_body_int(r, "wage_monthly", 0);
  take_string(r, "shift", &v->shift);
  take_string(r, "deadline", &v->deadline);
  take_string(r, "status", &v->status);

  if (!api_text_ok(v->title))
    api_field_error(errors, "title", API_FE_BLANK,
                    "Judul tidak boleh kosong atau memuat karakter kontrol.",
                    "The title must not be blank or hold control characters.");
  if (v->kbji != NULL && (strlen(v->kbji) != 4 || strspn(v->kbji, "0123456789") != 4))
    api_field_error(errors, "kbji", API_FE_FORMAT, "Kode KBJI terdiri atas 4 angka.",
                    "A KBJI code is 4 digits.");
  if (!enum_ok(vocab_vocations, v->vocation))
    api_field_error(errors, "vocation", API_FE_ENUM_VALUE, "Kejuruan ini tidak dikenal.",
                    "There is no such vocation.");
  if (!enum_ok(vocab_educations, v->min_education))
    api_field_error(errors, "min_education", API_FE_ENUM_VALUE,
                    "Pendidikan: none, sd, smp, sma, smk, d3, s1 atau s2.",
                    "Education: none, sd, smp, sma, smk, d3, s1 or s2.");
  if (!enum_ok(vocab_shifts, v->shift))
    api_field_error(errors, "shift", API_FE_ENUM_VALUE, "Shift: day, night atau rotating.",
                    "Shift: day, night or rotating.");
  int status = v->status != NULL ? vocab_index(statuses, v->status, strlen(v->status)) : -1;
  if (status < 0 || (creating && status == 2))
    api_field_error(
        errors, "status", API_FE_ENUM_VALUE,
        creating ? "Status lowongan baru: draft atau open." : "Status: draft, open atau closed.",
        creating ? "A new vacancy's status: draft or open." : "Status: draft, open or closed.");

  /* Age limits within the productive age the engine matches, in order. */
  char id[160], en[160];
  snprintf(id, sizeof id, "Batas usia harus antara %d dan %d tahun.", cfg.min_age, cfg.max_age);
  snprintf(en, sizeof en, "An age limit must be between %d and %d.", cfg.min_age, cfg.max_age);
  int ages_ok = 1;
  if (v->min_age >= 0 && (v->min_age < cfg.min_age || v->min_age > cfg.max_age)) {
    api_field_error(errors, "min_age", API_FE_OUT_OF_RANGE, id, en);
    ages_ok = 0;
  }
  if (v->max_age >= 0 && (v->max_age < cfg.min_age || v->max_age > cfg.max_age)) {
    api_field_error(errors, "max_age", API_FE_OUT_OF_RANGE, id, en);
    ages_ok = 0;
  }
  if (ages_ok && v->min_age >= 0 && v->max_age >= 0 && v->min_age > v->max_age)
    api_field_error(errors, "max_age", API_FE_ORDER, "Batas usia atas di bawah batas bawah.",
                    "The maximum age is below the minimum age.");
  if (v->openings < d->filled) {
    snprintf(id, sizeof id, "Sudah %d orang diterima; jumlah lowongan tidak boleh kurang.",
             d->filled);
    snprintf(en, sizeof en, "%d people were hired already; openings may not be fewer.", d->filled);
    api_field_error(errors, "openings", API_FE_BELOW_FILLED, id, en);
  }
  if (v->deadline != NULL && !api_date_ok(v->deadline))
    api_field_error(errors, "deadline", API_FE_DATE, "Tanggal harus nyata dan ditulis YYYY-MM-DD.",
                    "The date must be real and written YYYY-MM-DD.");
  else if (v->deadline != NULL && d->posted_date[0] != '\0' &&
           strcmp(v->deadline, d->posted_date) < 0)
    api_field_error(errors, "deadline", API_FE_BEFORE_POSTED,
                    "Batas lamaran tidak boleh sebelum tanggal lowongan dipasang.",
                    "The deadline may not be before the date the vacancy was posted.");

  int rc = take_skills(r, "must_skills", d->must, &d->n_must, errors);
  if (rc == STORE_OK)
    rc = take_skills(r, "nice_skills", d->nice, &d->n_nice, errors);
  for (size_t i = 0; rc == STORE_OK && i < d->n_nice; i++)
    if (in_list(d->must, d->n_must, d->nice[i])) {
      char field[48];
      snprintf(field, sizeof field, "nice_skills[%zu]", i);
      api_field_error(errors, field, API_FE_OVERLAP,
                      "Keterampilan ini juga wajib; satu keterampilan hanya di satu daftar.",
                      "This skill is also a must-have; a skill belongs to one list only.");
    }
  if (rc == STORE_OK && kel != NULL) {
    rc = store_id_by_code(r->db, STORE_T_KELURAHAN, kel, &v->kelurahan_id);
    if (rc == STORE_ENOTFOUND) {
      api_field_error(errors, "kelurahan", API_FE_UNKNOWN_CODE, "Kode kelurahan ini tidak dikenal.",
                      "There is no kelurahan with this code.");
      rc = STORE_OK;
    }
  }
  return rc;
}

/* Writes d (new when id is 0) in the transaction the caller opened,
 * commits, and puts the vacancy into the engine.  0 or the store's error
 * (everything rolled back). */
static int commit_vacancy(struct api_req *r, int64_t id, const struct draft *d, int64_t *new_id) {
  struct store_vacancy_skills k = {d->must, d->nice, d->n_must, d->n_nice};
  int rc;
  if (id > 0) {
    rc = store_vacancy_update(r->db, id, &d->v, &k);
    *new_id = id;
  } else {
    rc = store_vacancy_create(r->db, &d->v, &k, new_id);
  }
  rc = api_tx_end(r, rc);
  if (rc != STORE_OK) {
    return rc;
  }
  if (api_engine_refresh(r->app, r->db, API_REC_VACANCY, *new_id) != 0)
    fprintf(stderr, "padan: vacancy %lld saved but not refreshed in the engine\n",
            (long long)*new_id);
  return STORE_OK;
}

/* The employer a POST is for: an employer account's own (the body may not
 * name one), or the one an officer or admin names by code. */
static int post_employer(struct api_req *r, int64_t *employer_id, json_t *errors) {
  const char *code = api_body_string(r, "employer");
  struct api_scope scope;
  api_scope_of(r, &scope);
  if (scope.employer_id >= 0) {
    *employer_id = scope.employer_id;
    if (api_body_get(r, "employer") != NULL)
      api_field_error(errors, "employer", API_FE_NOT_ALLOWED,
                      "Pemberi kerja diambil dari akun Anda; jangan diisi.",
                      "The employer is taken from your account; leave it out.");
    return STORE_OK;
  }
  if (code == NULL) {
    api_field_error(errors, "employer", API_FE_REQUIRED, "Kolom ini wajib diisi.",
                    "This field is required.");
    return STORE_OK;
  }
  int rc = store_id_by_code(r->db, STORE_T_EMPLOYERS, code, employer_id);
  if (rc != STORE_ENOTFOUND)
    return rc;
  api_field_error(errors, "employer", API_FE_UNKNOWN_CODE, "Kode pemberi kerja ini tidak dikenal.",
                  "There is no employer with this code.");
  return STORE_OK;
}

static enum MHD_Result h_vacancy_create(struct api_req *r) {
  struct draft d = {.v = {.min_age = -1, .max_age = -1, .status = "open"}};
  struct store_employer_row e;
  int64_t id = 0;
  json_t *errors = json_array();
  api_today(d.posted_date);
  d.v.posted_date = d.posted_date;
  int rc = post_employer(r, &d.v.employer_id, errors);
  if (rc == STORE_OK && d.v.employer_id > 0) {
    rc = store_employer_get(r->db, d.v.employer_id, &e); /* its workplace by default */
    d.v.kelurahan_id = e.kelurahan_id;
  }
  if (rc == STORE_OK)
    rc = check_draft(r, &d, 1, errors);
  if (rc != STORE_OK || json_array_size(errors) > 0)
    return api_reply_invalid(r, rc, errors);
  json_decref(errors);
  rc = api_tx_begin(r);
  if (rc == STORE_OK)
    rc = commit_vacancy(r, 0, &d, &id);
  if (rc != STORE_OK)
    return api_reply_store(r, rc);
  api_reply_header(r, MHD_HTTP_HEADER_LOCATION, "/v1/vacancies/%lld", (long long)id);
  return reply_vacancy(r, MHD_HTTP_CREATED, id);
}

static const char *or_null(const char *s) {
  return s[0] != '\0' ? s : NULL;
}

static enum MHD_Result h_vacancy_patch(struct api_req *r) {
  int64_t id = r->id[0];
  if (api_authorize(r, API_O_VACANCY, id, API_WRITE) != 0)
    return MHD_YES;
  /* Read, merge and write in one transaction: a concurrent edit cannot
   * slip in between and be overwritten with stale fields. */
  struct store_vacancy_row cur;
  int rc = api_tx_begin(r);
  if (rc == STORE_OK)
    rc = store_vacancy_get(r->db, id, &cur);
  if (rc != STORE_OK) {
    api_tx_abort(r);
    return api_reply_store(r, rc);
  }
  struct draft d = {
      .v = {.code = cur.code,
            .title = cur.title,
            .kbji = or_null(cur.kbji),
            .vocation = cur.vocation,
            .min_education = or_null(cur.min_education),
            .shift = or_null(cur.shift),
            .status = cur.status,
            .posted_date = or_null(cur.posted_date),
            .deadline = or_null(cur.deadline),
            .employer_id = cur.employer_id,
            .kelurahan_id = cur.kelurahan_id,
            .min_age = cur.min_age,
            .max_age = cur.max_age,
            .openings = cur.openings,
            .wage_monthly = cur.wage_monthly},
      .n_must = cur.n_must,
      .n_nice = cur.n_nice,
      .filled = cur.filled,
  };
  for (size_t i = 0; i < cur.n_must; i++)
    d.must[i] = cur.must[i].id;
  for (size_t i = 0; i < cur.n_nice; i++)
    d.nice[i] = cur.nice[i].id;
  /* A vacancy without a posted date counts from the (WIB) day it was created. */
  snprintf(d.posted_date, sizeof d.posted_date, "%.10s", cur.posted_date);
  if (cur.posted_date[0] == '\0' && date_wib_of_stamp(cur.created_at, d.posted_date) != 0)
    d.posted_date[0] = '\0';
  json_t *errors = json_array();
  rc = check_draft(r, &d, 0, errors);
  if (rc != STORE_OK || json_array_size(errors) > 0) {
    api_tx_abort(r);
    return api_reply_invalid(r, rc, errors);
  }
  json_decref(errors);
  rc = commit_vacancy(r, id, &d, &id);
  if (rc != STORE_OK)
    return api_reply_store(r, rc);
  return reply_vacancy(r, MHD_HTTP_OK, id);
}

static const char *const list_query[] = {"limit",    "cursor",   "kelurahan", "kecamatan", "status",
                                         "vocation", "employer", "below_umk", "open_only", NULL};

const struct api_route api_routes_vacancies[] = {
    {.method = "GET",
     .pattern = "/v1/vacancies",
     .handler = h_vacancy_list,
     .roles = AUTH_ANY_ROLE,
     .query = list_query},
    {.method = "POST",
     .pattern = "/v1/vacancies",
     .handler = h_vacancy_create,
     .roles = AUTH_ADMIN | AUTH_OFFICER | AUTH_EMPLOYER,
     .body = spec_create},
    {.method = "GET",
     .pattern = "/v1/vacancies/{id}",
     .handler = h_vacancy_get,
     .roles = AUTH_ANY_ROLE},
    {.method = "PATCH",
     .pattern = "/v1/vacancies/{id}",
     .handler = h_vacancy_patch,
     .roles = AUTH_ADMIN | AUTH_OFFICER | AUTH_EMPLOYER,
     .body = spec_patch},
    {.method = NULL},
};
