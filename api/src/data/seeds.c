/*
 * seeds.c — puts the embedded seeds/ CSVs into the store (see seeds.h).
 *
 * Each file has a loader that reads one row into a store call.  Columns are
 * found by header name, so a file whose columns move still loads, and one
 * that lacks a column fails with its name.  Codes are resolved through the
 * store, so a vacancy naming an employer that does not exist stops the load.
 */
#include "seeds.h"

#include "csv.h"
#include "embedded.h"
#include "store.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 20

/* One file being loaded: its reader, the column index of each wanted
 * header, and where to report errors. */
struct load {
  const char *file;
  struct csv_reader r;
  int col[MAX_COLS];
  char *err;
  size_t errlen;
};

static int fail(struct load *l, const char *column, const char *what) {
  snprintf(l->err, l->errlen, "seeds/%s line %zu%s%s: %s", l->file, l->r.line,
           column ? ", column " : "", column ? column : "", what);
  return -1;
}

/* Opens an embedded seed file and maps the wanted columns (NULL-terminated
 * list) to their positions. */
static int open_file(struct load *l, const char *file, const char *const *columns) {
  l->file = file;
  const struct api_embedded *e = api_embedded_find(api_seeds, file);
  if (e == NULL) {
    snprintf(l->err, l->errlen, "seeds/%s is missing from this build", file);
    return -1;
  }
  csv_reader_init(&l->r, e->data, e->len);
  if (csv_next(&l->r) != CSV_RECORD)
    return fail(l, NULL, "no header row");
  for (int i = 0; columns[i] != NULL; i++) {
    l->col[i] = csv_column(&l->r, columns[i]);
    if (l->col[i] < 0)
      return fail(l, columns[i], "column missing from the header");
  }
  return 0;
}

/* Next data row: 1, 0 at the end, -1 on a malformed row. */
static int next_row(struct load *l) {
  int rc = csv_next(&l->r);
  if (rc == CSV_END)
    return 0;
  if (rc < 0)
    return fail(l, NULL, "malformed CSV row"), -1;
  return 1;
}

/* Text of wanted column i; NULL when the field is empty or absent. */
static const char *field(struct load *l, int i) {
  int c = l->col[i];
  if (c < 0 || (size_t)c >= l->r.nfields || l->r.fields[c].len == 0)
    return NULL;
  return l->r.fields[c].p;
}

static const char *need(struct load *l, int i, const char *name) {
  const char *v = field(l, i);
  if (v == NULL)
    fail(l, name, "value required");
  return v;
}

/* dflt for a column that must not be empty */
#define REQUIRED LONG_MIN

/* Integer of wanted column i; empty gives dflt (or fails when REQUIRED). */
static int to_long(struct load *l, int i, const char *name, long lo, long hi, long dflt,
                   long *out) {
  const char *v = field(l, i);
  if (v == NULL) {
    *out = dflt;
    return dflt == REQUIRED ? fail(l, name, "value required") : 0;
  }
  char *end;
  errno = 0;
  long x = strtol(v, &end, 10);
  if (errno != 0 || *end != '\0' || x < lo || x > hi)
    return fail(l, name, "not a whole number in range");
  *out = x;
  return 0;
}

static int to_double(struct load *l, int i, const char *name, double *out) {
  const char *v = need(l, i, name);
  if (v == NULL)
    return -1;
  char *end;
  *out = strtod(v, &end);
  return *end == '\0' ? 0 : fail(l, name, "not a number");
}

static int lookup(struct load *l, struct store *s, enum store_table t, const char *code,
                  const char *name, int64_t *id) {
  if (code == NULL)
    return fail(l, name, "value required");
  int rc = store_id_by_code(s, t, code, id);
  if (rc == STORE_ENOTFOUND)
    return fail(l, name, "unknown code");
  return rc == STORE_OK ? 0 : fail(l, name, "database error");
}

static int stored(struct load *l, int rc) {
  if (rc == STORE_OK)
    return 0;
  return fail(l, NULL,
              rc == STORE_ECONSTRAINT ? "row breaks a rule (duplicate code or bad value)"
                                      : "database error");
}

/* Splits a ';'-separated list of skill codes and calls add for each id. */
static int each_skill(struct load *l, struct store *s, const char *list, const char *name,
                      int64_t owner, const char *kind,
                      int (*add)(struct store *, int64_t, int64_t, const char *)) {
  if (list == NULL)
    return 0;
  char code[32];
  const char *p = list;
  while (*p) {
    size_t n = strcspn(p, ";");
    if (n == 0 || n >= sizeof code)
      return fail(l, name, "bad skill list");
    memcpy(code, p, n);
    code[n] = '\0';
    int64_t skill;
    if (lookup(l, s, STORE_T_SKILLS, code, name, &skill) != 0)
      return -1;
    if (stored(l, add(s, owner, skill, kind)) != 0)
      return -1;
    p += n;
    if (*p == ';')
      p++;
  }
  return 0;
}

static int add_course_skill(struct store *s, int64_t course, int64_t skill, const char *kind) {
  (void)kind;
  return store_course_skill_add(s, course, skill);
}

/* ---- One loader per file ------------------------------------------------------ */

static int load_kecamatan(struct load *l, struct store *s) {
  static const char *const cols[] = {"code", "name", "lat", "lon", NULL};
  int rc = open_file(l, "kecamatan.csv", cols);
  while (rc == 0 && (rc = next_row(l)) == 1) {
    double lat, lon;
    const char *code = need(l, 0, "code"), *name = need(l, 1, "name");
    rc = !code || !name || to_double(l, 2, "lat", &lat) || to_double(l, 3, "lon", &lon)
             ? -1
             : stored(l, store_kecamatan_add(s, code, name, lat, lon, NULL));
  }
  return rc;
}

static int load_kelurahan(struct load *l, struct store *s) {
  static const char *const cols[] = {"code", "kecamatan_code", "name", "lat", "lon", NULL};
  int rc = open_file(l, "kelurahan.csv", cols);
  while (rc == 0 && (rc = next_row(l)) == 1) {
    double lat, lon;
    int64_t kec;
    const char *code = need(l, 0, "code"), *name = need(l, 2, "name");
    rc = !code || !name || lookup(l, s, STORE_T_KECAMATAN, field(l, 1), "kecamatan_code", &kec) ||
                 to_double(l, 3, "lat", &lat) || to_double(l, 4, "lon", &lon)
             ? -1
             : stored(l, store_kelurahan_add(s, code, kec, name, lat, lon, NULL));
  }
  return rc;
}

static int load_skills(struct load *l, struct store *s) {
  static const char *const cols[] = {"code", "vocation", "name_id", "name_en", NULL};
  int rc = open_file(l, "skills.csv", cols);
  while (rc == 0 && (rc = next_row(l)) == 1) {
    const char *code = need(l, 0, "code"), *voc = need(l, 1, "vocation");
    const char *nid = need(l, 2, "name_id"), *nen = need(l, 3, "name_en");
    rc = !code || !voc || !nid || !nen ? -1
                                       : stored(l, store_skill_add(s, code, voc, nid, nen, NULL));
  }
  return rc;
}

static int load_courses(struct load *l, struct store *s) {
  static const char *const cols[] = {"code",           "name",     "vocation", "hours",
                                     "batch_capacity", "schedule", "skills",   NULL};
  int rc = open_file(l, "courses.csv", cols);
  while (rc == 0 && (rc = next_row(l)) == 1) {
    long hours, cap;
    struct store_course c = {.code = need(l, 0, "code"),
                             .name = need(l, 1, "name"),
                             .vocation = need(l, 2, "vocation"),
                             .schedule = field(l, 5)};
    if (!c.code || !c.name || !c.vocation || to_long(l, 3, "hours", 1, 5000, REQUIRED, &hours) ||
        to_long(l, 4, "batch_capacity", 1, 1000, REQUIRED, &cap)) {
      rc = -1;
      break;
    }
    c.hours = (int)hours;
    c.batch_capacity = (int)cap;
    int64_t id;
    rc = stored(l, store_course_add(s, &c, &id));
    if (rc == 0)
      rc = each_skill(l, s, field(l, 6), "skills", id, NULL, add_course_skill);
  }
  return rc;
}

static int load_batches(struct load *l, struct store *s) {
  static const char *const cols[] = {"course_code", "batch_no",  "start_date",
                                     "end_date",    "enrolled",  "completed",
                                     "certified",   "placed_6m", NULL};
  int rc = open_file(l, "course_batches.csv", cols);
  while (rc == 0 && (rc = next_row(l)) == 1) {
    int64_t course, batch;
    long no, v[4];
    if (lookup(l, s, STORE_T_COURSES, field(l, 0), "course_code", &course) ||
        to_long(l, 1, "batch_no", 1, 1000, REQUIRED, &no) ||
        to_long(l, 4, "enrolled", 0, 100000, REQUIRED, &v[0]) ||
        to_long(l, 5, "completed", 0, 100000, REQUIRED, &v[1]) ||
        to_long(l, 6, "certified", 0, 100000, REQUIRED, &v[2]) ||
        to_long(l, 7, "placed_6m", 0, 100000, REQUIRED, &v[3])) {
      rc = -1;
      break;
    }
    /* past batches ran at their enrolment; the course row holds the
     * capacity of batches to come */
    struct store_batch b = {.course_id = course,
                            .batch_no = (int)no,
                            .start_date = field(l, 2),
                            .end_date = field(l, 3),
                            .status = "finished",
                            .capacity = v[0] > 0 ? (int)v[0] : 1};
    rc = stored(l, store_batch_add(s, &b, &batch));
    if (rc != 0)
      break;
    struct store_outcome o = {.batch_id = batch,
                              .source = "seeded",
                              .enrolled = (int)v[0],
                              .completed = (int)v[1],
                              .certified = (int)v[2],
                              .placed_6m = (int)v[3]};
    rc = stored(l, store_outcome_put(s, &o));
  }
  return rc;
}

static int load_outcomes(struct load *l, struct store *s) {
  static const char *const cols[] = {"course_code", "batch_no", "sector", "placed", NULL};
  int rc = open_file(l, "course_outcomes.csv", cols);
  while (rc == 0 && (rc = next_row(l)) == 1) {
    int64_t course, batch;
    long no, placed;
    const char *sector = need(l, 2, "sector");
    if (!sector || lookup(l, s, STORE_T_COURSES, field(l, 0), "course_code", &course) ||
        to_long(l, 1, "batch_no", 1, 1000, REQUIRED, &no) ||
        to_long(l, 3, "placed", 0, 100000, REQUIRED, &placed)) {
      rc = -1;
      break;
    }
    if (store_batch_id(s, course, (int)no, &batch) != STORE_OK) {
      rc = fail(l, "batch_no", "no such batch in course_batches.csv");
      break;
    }
    rc = stored(l, store_outcome_sector_put(s, batch, "seeded", sector, (int)placed));
  }
  return rc;
}

/* Batches to come (planned_batches.csv): no outcomes yet; the run offers
 * their seats (docs/MATCHING.md "Next steps"). */
static int load_planned(struct load *l, struct store *s) {
  static const char *const cols[] = {"course_code", "batch_no", "start_date",
                                     "end_date",    "capacity", NULL};
  int rc = open_file(l, "planned_batches.csv", cols);
  while (rc == 0 && (rc = next_row(l)) == 1) {
    int64_t course, batch;
    long no, cap;
    if (lookup(l, s, STORE_T_COURSES, field(l, 0), "course_code", &course) ||
        to_long(l, 1, "batch_no", 1, 1000, REQUIRED, &no) ||
        to_long(l, 4, "capacity", 1, 1000, REQUIRED, &cap)) {
      rc = -1;
      break;
    }
    struct store_batch b = {.course_id = course,
                            .batch_no = (int)no,
                            .start_date = field(l, 2),
                            .end_date = field(l, 3),
                            .status = "planned",
                            .capacity = (int)cap};
    rc = stored(l, store_batch_add(s, &b, &batch));
  }
  return rc;
}

static int load_employers(struct load *l, struct store *s) {
  static const char *const cols[] = {"code",    "name",      "sector", "kelurahan_code",
                                     "address", "employees", NULL};
  int rc = open_file(l, "employers.csv", cols);
  while (rc == 0 && (rc = next_row(l)) == 1) {
    long employees;
    struct store_employer e = {.code = need(l, 0, "code"),
                               .name = need(l, 1, "name"),
                               .sector = need(l, 2, "sector"),
                               .address = field(l, 4),
                               .synthetic = 1};
    if (!e.code || !e.name || !e.sector ||
        lookup(l, s, STORE_T_KELURAHAN, field(l, 3), "kelurahan_code", &e.kelurahan_id) ||
        to_long(l, 5, "employees", 0, 1000000, -1, &employees)) {
      rc = -1;
      break;
    }
    e.employees = (int)employees;
    rc = stored(l, store_employer_add(s, &e, NULL));
  }
  return rc;
}

static int load_vacancies(struct load *l, struct store *s) {
  static const char *const cols[] = {
      "code",         "employer_code", "title",         "kbji",     "vocation", "kelurahan_code",
      "must_skills",  "nice_skills",   "min_education", "min_age",  "max_age",  "openings",
      "wage_monthly", "shift",         "posted_date",   "deadline", NULL};
  int rc = open_file(l, "vacancies.csv", cols);
  while (rc == 0 && (rc = next_row(l)) == 1) {
    long min_age, max_age, openings, wage;
    struct store_vacancy v = {.code = need(l, 0, "code"),
                              .title = need(l, 2, "title"),
                              .kbji = field(l, 3),
                              .vocation = need(l, 4, "vocation"),
                              .min_education = field(l, 8),
                              .shift = field(l, 13),
                              .status = "open",
                              .posted_date = field(l, 14),
                              .deadline = field(l, 15)};
    if (!v.code || !v.title || !v.vocation ||
        lookup(l, s, STORE_T_EMPLOYERS, field(l, 1), "employer_code", &v.employer_id) ||
        lookup(l, s, STORE_T_KELURAHAN, field(l, 5), "kelurahan_code", &v.kelurahan_id) ||
        to_long(l, 9, "min_age", 15, 100, -1, &min_age) ||
        to_long(l, 10, "max_age", 15, 100, -1, &max_age) ||
        to_long(l, 11, "openings", 0, 100000, REQUIRED, &openings) ||
        to_long(l, 12, "wage_monthly", 0, 1000000000L, REQUIRED, &wage)) {
      rc = -1;
      break;
    }
    v.min_age = (int)min_age;
    v.max_age = (int)max_age;
    v.openings = (int)openings;
    v.wage_monthly = wage;
    int64_t id;
    rc = stored(l, store_vacancy_add(s, &v, &id));
    if (rc == 0)
      rc = each_skill(l, s, field(l, 6), "must_skills", id, "must", store_vacancy_skill_add);
    if (rc == 0)
      rc = each_skill(l, s, field(l, 7), "nice_skills", id, "nice", store_vacancy_skill_add);
  }
  return rc;
}

int seeds_load(struct store *s, int *loaded, char *err, size_t errlen) {
  static int (*const loaders[])(struct load *, struct store *) = {
      load_kecamatan, load_kelurahan, load_skills,    load_courses,  load_batches,
      load_outcomes,  load_planned,   load_employers, load_vacancies};
  int64_t n = 0;
  *loaded = 0;
  if (store_count(s, STORE_T_KELURAHAN, &n) != STORE_OK) {
    snprintf(err, errlen, "cannot read the database: %s", store_errmsg(s));
    return -1;
  }
  if (n > 0)
    return 0;
  if (store_begin(s) != STORE_OK) {
    snprintf(err, errlen, "cannot start a transaction: %s", store_errmsg(s));
    return -1;
  }
  struct load l = {.err = err, .errlen = errlen};
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < sizeof loaders / sizeof loaders[0]; i++) {
    rc = loaders[i](&l, s);
    csv_reader_free(&l.r);
  }
  if (rc == 0 && store_commit(s) != STORE_OK) {
    snprintf(err, errlen, "cannot commit the seed data: %s", store_errmsg(s));
    rc = -1;
  }
  if (rc != 0) {
    store_rollback(s);
    return -1;
  }
  *loaded = 1;
  return 0;
}
