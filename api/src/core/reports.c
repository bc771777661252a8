/*
 * reports.c — monitoring and evaluation over the store (see reports.h and
 * docs/REPORTS.md).  Each report reads rows from store_reports.c, applies
 * the rules that give them meaning (which funnel stages a referral reached,
 * who belongs to which target group, who counts as placed within six
 * months of a course) and fills one table; two renderers turn any table
 * into JSON or CSV, so a figure is computed once whatever the format.
 */
#include "reports.h"

#include "csv.h"
#include "gov.h"
#include "priority.h"
#include "snapshot.h"
#include "store.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- The table ------------------------------------------------------------------------ */

#define MAX_COLS 20

enum col_type { C_INT, C_REAL, C_TEXT };

struct col {
  const char *name; /* static */
  enum col_type type;
};

struct cell {
  int set; /* 0: unknown (JSON null, empty CSV field) */
  int64_t i;
  double d;
  char *s; /* owned */
};

struct rep_table {
  const char *name; /* static */
  struct col cols[MAX_COLS];
  size_t ncols;
  struct cell *cells; /* nrows × ncols, the total (if any) last */
  size_t nrows, cap;
  int has_total;
  json_t *meta; /* the query's parameters, echoed in the JSON */
  int failed;   /* an allocation failed while filling: the report is REP_ENOMEM */
};

static struct rep_table *table_new(const char *name, const struct col *cols, size_t ncols) {
  struct rep_table *t = calloc(1, sizeof *t);
  if (t == NULL)
    return NULL;
  t->name = name;
  memcpy(t->cols, cols, ncols * sizeof *cols);
  t->ncols = ncols;
  t->meta = json_pack("{s:s}", "report", name);
  if (t->meta == NULL) {
    free(t);
    return NULL;
  }
  return t;
}

void rep_table_free(struct rep_table *t) {
  if (t == NULL)
    return;
  for (size_t i = 0; i < t->nrows * t->ncols; i++)
    free(t->cells[i].s);
  free(t->cells);
  json_decref(t->meta);
  free(t);
}

const char *rep_table_name(const struct rep_table *t) {
  return t->name;
}

size_t rep_table_rows(const struct rep_table *t) {
  return t->nrows - (t->has_total ? 1 : 0);
}

/* Appends an empty row; its index, or -1 (and t->failed) when out of
 * memory. */
static long row_add(struct rep_table *t) {
  if (t->nrows == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 32;
    struct cell *c = realloc(t->cells, cap * t->ncols * sizeof *c);
    if (c == NULL) {
      t->failed = 1;
      return -1;
    }
    t->cells = c;
    t->cap = cap;
  }
  memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof *t->cells);
  return (long)t->nrows++;
}

static struct cell *at(struct rep_table *t, long row, int col) {
  return &t->cells[(size_t)row * t->ncols + (size_t)col];
}

static void put_int(struct rep_table *t, long row, int col, int64_t v) {
  *at(t, row, col) = (struct cell){.set = 1, .i = v};
}

/* Shares and medians keep 4 decimals, so JSON and CSV print the same. */
static void put_real(struct rep_table *t, long row, int col, double v) {
  *at(t, row, col) = (struct cell){.set = 1, .d = round(v * 1e4) / 1e4};
}

/* NULL leaves the cell unknown. */
static void put_text(struct rep_table *t, long row, int col, const char *v) {
  if (v == NULL)
    return;
  char *s = strdup(v);
  if (s == NULL) {
    t->failed = 1;
    return;
  }
  *at(t, row, col) = (struct cell){.set = 1, .s = s};
}

/* part / whole, unknown when whole is 0. */
static void put_share(struct rep_table *t, long row, int col, int64_t part, int64_t whole) {
  if (whole > 0)
    put_real(t, row, col, (double)part / (double)whole);
}

static void meta_set(struct rep_table *t, const char *key, json_t *v) {
  if (v == NULL || json_object_set_new(t->meta, key, v) != 0)
    t->failed = 1;
}

static void meta_str(struct rep_table *t, const char *key, const char *v) {
  meta_set(t, key, v != NULL ? json_string(v) : json_null());
}

static void meta_scope(struct rep_table *t, const struct rep_scope *sc) {
  meta_set(t, "scope",
           json_pack("{s:o, s:o}", "kelurahan_id",
                     sc->kelurahan_id >= 0 ? json_integer(sc->kelurahan_id) : json_null(),
                     "employer_id",
                     sc->employer_id >= 0 ? json_integer(sc->employer_id) : json_null()));
}

static json_t *cell_json(const struct col *c, const struct cell *x) {
  if (!x->set)
    return json_null();
  switch (c->type) {
  case C_INT:
    return json_integer((json_int_t)x->i);
  case C_REAL:
    return json_real(x->d);
  case C_TEXT:
    break;
  }
  json_t *s = json_string(x->s);
  /* the store holds validated UTF-8; keep a stray byte rather than lose the text */
  return s != NULL ? s : json_stringn_nocheck(x->s, strlen(x->s));
}

static json_t *row_json(const struct rep_table *t, size_t row) {
  json_t *o = json_object();
  for (size_t c = 0; o != NULL && c < t->ncols; c++) {
    json_t *v = cell_json(&t->cols[c], &t->cells[row * t->ncols + c]);
    if (v == NULL || json_object_set_new(o, t->cols[c].name, v) != 0) {
      json_decref(o);
      o = NULL;
    }
  }
  return o;
}

json_t *rep_table_json(const struct rep_table *t) {
  json_t *root = json_object(), *rows = json_array();
  if (root == NULL || rows == NULL || json_object_update(root, t->meta) != 0)
    goto fail;
  size_t n = rep_table_rows(t);
  for (size_t r = 0; r < n; r++)
    if (json_array_append_new(rows, row_json(t, r)) != 0)
      goto fail;
  if (json_object_set_new(root, "rows", rows) != 0) {
    rows = NULL;
    goto fail;
  }
  rows = NULL;
  if (t->has_total) {
    json_t *total = row_json(t, t->nrows - 1);
    if (total == NULL || json_object_set_new(root, "total", total) != 0)
      goto fail;
  }
  return root;

fail:
  json_decref(rows);
  json_decref(root);
  return NULL;
}

/* A number as plain text: at most 4 decimals, no trailing zeros, never an
 * exponent. */
static void format_real(double v, char buf[64]) {
  snprintf(buf, 64, "%.4f", v);
  char *dot = strchr(buf, '.');
  if (dot != NULL) {
    char *end = buf + strlen(buf) - 1;
    while (end > dot && *end == '0')
      *end-- = '\0';
    if (end == dot)
      *end = '\0';
  }
  if (strcmp(buf, "-0") == 0) {
    buf[0] = '0';
    buf[1] = '\0';
  }
}

static int csv_cell(FILE *f, const struct col *c, const struct cell *x) {
  char buf[64] = "";
  if (!x->set)
    return 0;
  switch (c->type) {
  case C_INT:
    snprintf(buf, sizeof buf, "%" PRId64, x->i);
    break;
  case C_REAL:
    format_real(x->d, buf);
    break;
  case C_TEXT:
    return csv_write_field(f, x->s) == EOF ? -1 : 0;
  }
  return fputs(buf, f) == EOF ? -1 : 0;
}

int rep_table_csv(const struct rep_table *t, FILE *f) {
  int bad = 0;
  /* RFC 4180 ends every record with CRLF, the last one included */
  if (t->has_total)
    bad |= fputs("level,", f) == EOF;
  for (size_t c = 0; c < t->ncols; c++) {
    bad |= c > 0 && fputc(',', f) == EOF;
    bad |= csv_write_field(f, t->cols[c].name) == EOF;
  }
  bad |= fputs("\r\n", f) == EOF;
  for (size_t r = 0; r < t->nrows && !bad; r++) {
    if (t->has_total)
      bad |= fputs(r + 1 == t->nrows ? "total," : "group,", f) == EOF;
    for (size_t c = 0; c < t->ncols; c++) {
      bad |= c > 0 && fputc(',', f) == EOF;
      bad |= csv_cell(f, &t->cols[c], &t->cells[r * t->ncols + c]) != 0;
    }
    bad |= fputs("\r\n", f) == EOF;
  }
  return bad || ferror(f) ? -1 : 0;
}

/* ---- Queries ------------------------------------------------------------------------- */

static const char *const by_names[] = {"kelurahan", "kecamatan", "course", "sector", "employer"};
static const char *const kind_names[] = {"funnel", "course-outcomes", "skills-gap", "targeting"};

int rep_by_parse(const char *s, enum rep_by *out) {
  for (size_t i = 0; s != NULL && i < sizeof by_names / sizeof by_names[0]; i++)
    if (strcmp(s, by_names[i]) == 0) {
      *out = (enum rep_by)i;
      return 0;
    }
  return -1;
}

const char *rep_by_name(enum rep_by by) {
  return (size_t)by < sizeof by_names / sizeof by_names[0] ? by_names[by] : "";
}

int rep_kind_parse(const char *s, enum rep_kind *out) {
  for (size_t i = 0; s != NULL && i < sizeof kind_names / sizeof kind_names[0]; i++)
    if (strcmp(s, kind_names[i]) == 0) {
      *out = (enum rep_kind)i;
      return 0;
    }
  return -1;
}

const char *rep_kind_name(enum rep_kind kind) {
  return (size_t)kind < sizeof kind_names / sizeof kind_names[0] ? kind_names[kind] : "";
}

void rep_query_init(struct rep_query *q) {
  memset(q, 0, sizeof *q);
  q->scope = (struct rep_scope){-1, -1};
  q->by = REP_BY_KELURAHAN;
}

/* Day number of a strict "YYYY-MM-DD", MT_UNKNOWN_DAY otherwise. */
static int32_t iso_day(const char *s) {
  if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return MT_UNKNOWN_DAY;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return MT_UNKNOWN_DAY;
  return snapshot_day(s);
}

static int fail_field(struct rep_error *err, const char *field, const char *code,
                      const char *message_id, const char *message_en) {
  if (err != NULL)
    *err = (struct rep_error){field, code, message_id, message_en};
  return REP_EINVAL;
}

#define BAD_DATE_ID "Harus tanggal yang nyata dalam bentuk YYYY-MM-DD."
#define BAD_DATE_EN "Must be a real date in the form YYYY-MM-DD."

int rep_query_check(const struct rep_query *q, struct rep_error *err) {
  if (q->from != NULL && iso_day(q->from) == MT_UNKNOWN_DAY)
    return fail_field(err, "from", "date", BAD_DATE_ID, BAD_DATE_EN);
  if (q->to != NULL && iso_day(q->to) == MT_UNKNOWN_DAY)
    return fail_field(err, "to", "date", BAD_DATE_ID, BAD_DATE_EN);
  if (q->today != NULL && iso_day(q->today) == MT_UNKNOWN_DAY)
    return fail_field(err, "today", "date", BAD_DATE_ID, BAD_DATE_EN);
  if (q->from != NULL && q->to != NULL && strcmp(q->from, q->to) > 0)
    return fail_field(err, "to", "range", "Tanggal akhir sebelum tanggal awal.",
                      "The end date is before the start date.");
  if ((unsigned)q->by >= sizeof by_names / sizeof by_names[0])
    return fail_field(err, "by", "enum",
                      "Harus salah satu dari kelurahan, kecamatan, course, sector, employer.",
                      "Must be one of kelurahan, kecamatan, course, sector, employer.");
  if (q->vocation != NULL && snapshot_vocation(q->vocation) == MT_VOC_NONE)
    return fail_field(err, "vocation", "enum", "Kejuruan tidak dikenal.", "Unknown vocation.");
  if (q->course != NULL && strlen(q->course) > 23)
    return fail_field(err, "course", "too_long", "Kode pelatihan terlalu panjang.",
                      "The course code is too long.");
  if (q->scope.kelurahan_id == 0 || q->scope.kelurahan_id < -1 || q->scope.employer_id == 0 ||
      q->scope.employer_id < -1)
    return fail_field(err, "scope", "out_of_range", "Cakupan tidak sah.", "Invalid scope.");
  return REP_OK;
}

static int from_store(int store_rc) {
  return store_rc == STORE_ENOMEM ? REP_ENOMEM : REP_ESTORE;
}

/* The query's configuration, or the defaults in *own. */
static const struct mt_config *config_of(const struct rep_query *q, struct mt_config *own) {
  if (q->cfg != NULL)
    return q->cfg;
  mt_config_default(own);
  return own;
}

/* The query's today, or today in Kota Tangerang into own. */
static const char *today_of(const char *today, char own[11]) {
  if (today != NULL)
    return today;
  gov_today(own);
  return own;
}

/* ---- Funnel stages ---------------------------------------------------------------------- */

enum stage { ST_PROPOSED, ST_CONFIRMED, ST_INTERVIEWED, ST_HIRED, ST_RET3, ST_RET6, N_STAGES };

/* The furthest stage a status proves: left means the resident had been
 * hired; rejected and withdrawn prove nothing beyond the proposal. */
static int stage_of(const char *status, size_t len) {
  static const struct {
    const char *name;
    int stage;
  } map[] = {
      {"proposed", ST_PROPOSED}, {"confirmed", ST_CONFIRMED}, {"interviewed", ST_INTERVIEWED},
      {"hired", ST_HIRED},       {"retained_3m", ST_RET3},    {"retained_6m", ST_RET6},
      {"left", ST_HIRED},        {"rejected", ST_PROPOSED},   {"withdrawn", ST_PROPOSED}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strlen(map[i].name) == len && memcmp(map[i].name, status, len) == 0)
      return map[i].stage;
  return ST_PROPOSED;
}

/* The furthest stage the referral reached: its status or any of its
 * events, whichever went further. */
static int reached(const struct store_rep_referral *r) {
  int best = stage_of(r->status, strlen(r->status));
  for (const char *p = r->events; *p != '\0';) {
    size_t n = strcspn(p, ",");
    int st = stage_of(p, n);
    best = st > best ? st : best;
    p += n;
    if (*p == ',')
      p++;
  }
  return best;
}

static int cmp_i32(const void *a, const void *b) {
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

/* ---- Funnel ----------------------------------------------------------------------------- */

enum {
  F_CODE,
  F_NAME,
  F_PROPOSED, /* .. F_RET6 follow the stages */
  F_CONFIRMED,
  F_INTERVIEWED,
  F_HIRED,
  F_RET3,
  F_RET6,
  F_REJECTED,
  F_WITHDRAWN,
  F_LEFT,
  F_HIRE_RATE,
  F_HIRES_DATED,
  F_MEDIAN,
  F_NCOLS
};

/* What a set of referrals adds up to. */
struct tally {
  int64_t n[N_STAGES], rejected, withdrawn, left;
  int32_t *days; /* days to hire of the dated hires */
  size_t ndays, cap;
};

static void tally_reset(struct tally *y) {
  memset(y->n, 0, sizeof y->n);
  y->rejected = y->withdrawn = y->left = 0;
  y->ndays = 0; /* the buffer is kept for the next group */
}

/* Counts one referral; 0, or -1 when out of memory. */
static int tally_add(struct tally *y, const struct store_rep_referral *row) {
  int st = reached(row);
  for (int s = 0; s <= st; s++)
    y->n[s]++;
  y->rejected += strcmp(row->status, "rejected") == 0;
  y->withdrawn += strcmp(row->status, "withdrawn") == 0;
  y->left += strcmp(row->status, "left") == 0;
  int32_t made = iso_day(row->created), hired = iso_day(row->hired);
  if (st < ST_HIRED || made == MT_UNKNOWN_DAY || hired == MT_UNKNOWN_DAY)
    return 0;
  if (y->ndays == y->cap) {
    size_t cap = y->cap ? y->cap * 2 : 64;
    int32_t *d = realloc(y->days, cap * sizeof *d);
    if (d == NULL)
      return -1;
    y->days = d;
    y->cap = cap;
  }
  y->days[y->ndays++] = hired - made;
  return 0;
}

/* Appends a funnel row of y's figures; code NULL leaves it unknown. */
static void tally_row(struct rep_table *t, struct tally *y, const char *code, const char *name) {
  long r = row_add(t);
  if (r < 0)
    return;
  put_text(t, r, F_CODE, code);
  put_text(t, r, F_NAME, name);
  for (int s = 0; s < N_STAGES; s++)
    put_int(t, r, F_PROPOSED + s, y->n[s]);
  put_int(t, r, F_REJECTED, y->rejected);
  put_int(t, r, F_WITHDRAWN, y->withdrawn);
  put_int(t, r, F_LEFT, y->left);
  put_share(t, r, F_HIRE_RATE, y->n[ST_HIRED], y->n[ST_PROPOSED]);
  put_int(t, r, F_HIRES_DATED, (int64_t)y->ndays);
  if (y->ndays > 0) {
    /* the middle value, or the mean of the two middle values */
    qsort(y->days, y->ndays, sizeof *y->days, cmp_i32);
    size_t m = y->ndays / 2;
    double median = y->ndays % 2 ? y->days[m] : (y->days[m - 1] + (double)y->days[m]) / 2.0;
    put_real(t, r, F_MEDIAN, median);
  }
}

struct funnel {
  struct rep_table *t;
  enum rep_by by;
  int have;   /* a group is open */
  int64_t id; /* the open group, -1: the group without a value */
  char code[32], name[128];
  struct tally group, total;
  int count_total; /* each row is a distinct referral: the total needs no walk of its own */
};

/* What a group without a value is called: the resident has no kelurahan or
 * completed no course. */
static const char *none_label(enum rep_by by) {
  return by == REP_BY_COURSE ? "Tanpa pelatihan BLK / No BLK course" : "Tidak diketahui / Unknown";
}

static void funnel_flush(struct funnel *w) {
  if (!w->have)
    return;
  if (w->id == -1)
    tally_row(w->t, &w->group, NULL, none_label(w->by));
  else
    tally_row(w->t, &w->group, w->code, w->name);
  w->have = 0;
}

static int on_funnel_row(void *arg, const struct store_rep_referral *row) {
  struct funnel *w = arg;
  if (!w->have || row->group_id != w->id || strcmp(row->group_code, w->code) != 0) {
    funnel_flush(w);
    w->have = 1;
    w->id = row->group_id;
    snprintf(w->code, sizeof w->code, "%s", row->group_code);
    snprintf(w->name, sizeof w->name, "%s", row->group_name);
    tally_reset(&w->group);
  }
  if (tally_add(&w->group, row) != 0 || (w->count_total && tally_add(&w->total, row) != 0))
    return STORE_ENOMEM;
  return w->t->failed ? STORE_ENOMEM : 0;
}

static int on_total_row(void *arg, const struct store_rep_referral *row) {
  return tally_add(arg, row) != 0 ? STORE_ENOMEM : 0;
}

static enum store_rep_by store_by(enum rep_by by) {
  switch (by) {
  case REP_BY_KELURAHAN:
    return STORE_REP_KELURAHAN;
  case REP_BY_KECAMATAN:
    return STORE_REP_KECAMATAN;
  case REP_BY_COURSE:
    return STORE_REP_COURSE;
  case REP_BY_SECTOR:
    return STORE_REP_SECTOR;
  case REP_BY_EMPLOYER:
    return STORE_REP_EMPLOYER;
  }
  return STORE_REP_ALL;
}

int rep_funnel(struct store *s, const struct rep_query *q, struct rep_table **out) {
  static const char *const code_cols[] = {"kelurahan_code", "kecamatan_code", "course_code",
                                          "sector_code", "employer_code"};
  static const char *const name_cols[] = {"kelurahan_name", "kecamatan_name", "course_name",
                                          "sector_name", "employer_name"};
  struct funnel w = {.by = q->by};
  int rc = rep_query_check(q, NULL), in_txn = 0;
  *out = NULL;
  if (rc != REP_OK)
    return rc;
  struct col cols[F_NCOLS] = {{code_cols[q->by], C_TEXT},
                              {name_cols[q->by], C_TEXT},
                              {"proposed", C_INT},
                              {"confirmed", C_INT},
                              {"interviewed", C_INT},
                              {"hired", C_INT},
                              {"retained_3m", C_INT},
                              {"retained_6m", C_INT},
                              {"rejected", C_INT},
                              {"withdrawn", C_INT},
                              {"left", C_INT},
                              {"hire_rate", C_REAL},
                              {"hires_with_date", C_INT},
                              {"median_days_to_hire", C_REAL}};
  rc = REP_ENOMEM;
  w.t = table_new("funnel", cols, F_NCOLS);
  if (w.t == NULL)
    goto done;
  meta_str(w.t, "by", rep_by_name(q->by));
  meta_str(w.t, "from", q->from);
  meta_str(w.t, "to", q->to);
  meta_scope(w.t, &q->scope);

  struct store_rep_filter f = {q->from, q->to, q->scope.kelurahan_id, q->scope.employer_id};
  /* a referral counts under each course its resident completed, so with
   * courses the total walks every referral once more, on its own */
  w.count_total = q->by != REP_BY_COURSE;
  int src = store_read_begin(s);
  if (src == STORE_OK) {
    in_txn = 1;
    src = store_rep_referrals(s, store_by(q->by), &f, on_funnel_row, &w);
  }
  funnel_flush(&w);
  if (src == STORE_OK && !w.count_total)
    src = store_rep_referrals(s, STORE_REP_ALL, &f, on_total_row, &w.total);
  if (src != STORE_OK) {
    rc = from_store(src);
    goto done;
  }
  tally_row(w.t, &w.total, NULL, "Total");
  w.t->has_total = 1;
  rc = w.t->failed ? REP_ENOMEM : REP_OK;

done:
  if (in_txn)
    store_commit(s); /* ends the read */
  free(w.group.days);
  free(w.total.days);
  if (rc == REP_OK)
    *out = w.t;
  else
    rep_table_free(w.t);
  return rc;
}

/* ---- Course outcomes ------------------------------------------------------------------- */

enum {
  O_COURSE_CODE,
  O_COURSE_NAME,
  O_BATCH_NO,
  O_START,
  O_END,
  O_SOURCE,
  O_IN_FORCE,
  O_ENROLLED,
  O_COMPLETED,
  O_CERTIFIED,
  O_PLACED,
  O_RATE,
  O_SECTORS,
  O_NCOLS
};

static const struct col outcome_cols[O_NCOLS] = {
    {"course_code", C_TEXT}, {"course_name", C_TEXT}, {"batch_no", C_INT},
    {"start_date", C_TEXT},  {"end_date", C_TEXT},    {"source", C_TEXT},
    {"in_force", C_INT},     {"enrolled", C_INT},     {"completed", C_INT},
    {"certified", C_INT},    {"placed_6m", C_INT},    {"placement_rate", C_REAL},
    {"sectors", C_TEXT}};

/* One row of an outcome table; "" dates stay unknown. */
static void outcome_row(struct rep_table *t, const struct store_rep_outcome *o) {
  long r = row_add(t);
  if (r < 0)
    return;
  put_text(t, r, O_COURSE_CODE, o->course_code);
  put_text(t, r, O_COURSE_NAME, o->course_name);
  put_int(t, r, O_BATCH_NO, o->batch_no);
  put_text(t, r, O_START, o->start_date[0] ? o->start_date : NULL);
  put_text(t, r, O_END, o->end_date[0] ? o->end_date : NULL);
  put_text(t, r, O_SOURCE, o->source);
  put_int(t, r, O_IN_FORCE, o->in_force);
  put_int(t, r, O_ENROLLED, o->enrolled);
  put_int(t, r, O_COMPLETED, o->completed);
  put_int(t, r, O_CERTIFIED, o->certified);
  put_int(t, r, O_PLACED, o->placed_6m);
  put_share(t, r, O_RATE, o->placed_6m, o->completed);
  put_text(t, r, O_SECTORS, o->sectors);
}

static int on_outcome(void *arg, const struct store_rep_outcome *o) {
  struct rep_table *t = arg;
  outcome_row(t, o);
  return t->failed ? STORE_ENOMEM : 0;
}

int rep_course_outcomes(struct store *s, const struct rep_query *q, struct rep_table **out) {
  int rc = rep_query_check(q, NULL);
  *out = NULL;
  if (rc != REP_OK)
    return rc;
  struct rep_table *t = table_new("course-outcomes", outcome_cols, O_NCOLS);
  if (t == NULL)
    return REP_ENOMEM;
  meta_str(t, "course", q->course);
  int src = store_rep_outcomes_each(s, q->course, on_outcome, t);
  rc = src != STORE_OK ? from_store(src) : t->failed ? REP_ENOMEM : REP_OK;
  if (rc == REP_OK)
    *out = t;
  else
    rep_table_free(t);
  return rc;
}

/* ---- Measuring course outcomes --------------------------------------------------------- */

/* Days after a batch's end date within which a hire counts as placed. */
#define PLACED_WINDOW_DAYS 183

struct batch_acc {
  struct store_rep_outcome o; /* sectors unused */
  int closed;                 /* the six-month window has ended */
  int64_t sectors[MT_N_VOCATIONS];
};

struct measure {
  struct store_rep_hire *hires; /* by resident, date */
  size_t nhires, cap_hires;
  struct batch_acc *b;
  size_t nb, cap_b;
  int32_t today;
  int failed;
};

static int on_hire(void *arg, const struct store_rep_hire *h) {
  struct measure *m = arg;
  if (m->nhires == m->cap_hires) {
    size_t cap = m->cap_hires ? m->cap_hires * 2 : 256;
    struct store_rep_hire *p = realloc(m->hires, cap * sizeof *p);
    if (p == NULL)
      return STORE_ENOMEM;
    m->hires = p;
    m->cap_hires = cap;
  }
  m->hires[m->nhires++] = *h;
  return 0;
}

/* The resident's first hire dated in [lo, hi], or NULL. */
static const struct store_rep_hire *first_hire(const struct measure *m, int64_t resident,
                                               int32_t lo, int32_t hi) {
  size_t a = 0, b = m->nhires;
  while (a < b) { /* the resident's first row */
    size_t mid = a + (b - a) / 2;
    if (m->hires[mid].resident_id < resident)
      a = mid + 1;
    else
      b = mid;
  }
  for (; a < m->nhires && m->hires[a].resident_id == resident; a++) {
    int32_t d = iso_day(m->hires[a].hired);
    if (d != MT_UNKNOWN_DAY && d >= lo && d <= hi)
      return &m->hires[a];
  }
  return NULL;
}

static int on_enrolment(void *arg, const struct store_rep_enrolment *e) {
  struct measure *m = arg;
  if (m->nb == 0 || m->b[m->nb - 1].o.batch_id != e->batch_id) {
    if (m->nb == m->cap_b) {
      size_t cap = m->cap_b ? m->cap_b * 2 : 64;
      struct batch_acc *p = realloc(m->b, cap * sizeof *p);
      if (p == NULL)
        return STORE_ENOMEM;
      m->b = p;
      m->cap_b = cap;
    }
    struct batch_acc *n = &m->b[m->nb++];
    memset(n, 0, sizeof *n);
    n->o.batch_id = e->batch_id;
    n->o.course_id = e->course_id;
    snprintf(n->o.course_code, sizeof n->o.course_code, "%s", e->course_code);
    snprintf(n->o.course_name, sizeof n->o.course_name, "%s", e->course_name);
    n->o.batch_no = e->batch_no;
    snprintf(n->o.start_date, sizeof n->o.start_date, "%s", e->start_date);
    snprintf(n->o.end_date, sizeof n->o.end_date, "%s", e->end_date);
    int32_t end = iso_day(e->end_date);
    n->closed = end != MT_UNKNOWN_DAY && m->today > end + PLACED_WINDOW_DAYS;
  }
  struct batch_acc *b = &m->b[m->nb - 1];
  b->o.enrolled++;
  int graduate = strcmp(e->status, "completed") == 0 || strcmp(e->status, "certified") == 0;
  if (!graduate)
    return 0;
  b->o.completed++;
  b->o.certified += strcmp(e->status, "certified") == 0;
  /* a job found while the course ran counts; one found before it began
   * owes nothing to it */
  int32_t start = iso_day(e->start_date), end = iso_day(e->end_date);
  if (end == MT_UNKNOWN_DAY)
    return 0;
  const struct store_rep_hire *h = first_hire(
      m, e->resident_id, start != MT_UNKNOWN_DAY ? start : INT32_MIN, end + PLACED_WINDOW_DAYS);
  if (h != NULL) {
    b->o.placed_6m++;
    b->sectors[snapshot_vocation(h->sector)]++;
  }
  return 0;
}

/* "sector:placed;..." in vocation-slug order, into buf. */
static void sectors_text(const struct batch_acc *b, char *buf, size_t cap) {
  uint8_t order[MT_N_VOCATIONS];
  size_t n = 0, len = 0;
  for (uint8_t v = 1; v < MT_N_VOCATIONS; v++)
    order[n++] = v;
  for (size_t i = 1; i < n; i++) /* insertion sort by slug: 15 of them */
    for (size_t j = i; j > 0 && strcmp(snapshot_vocation_slug(order[j - 1]),
                                       snapshot_vocation_slug(order[j])) > 0;
         j--) {
      uint8_t x = order[j];
      order[j] = order[j - 1];
      order[j - 1] = x;
    }
  buf[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    int64_t k = b->sectors[order[i]];
    if (k > 0 && len < cap)
      len += (size_t)snprintf(buf + len, cap - len, "%s%s:%" PRId64, len ? ";" : "",
                              snapshot_vocation_slug(order[i]), k);
  }
}

int rep_outcomes_measure(struct store *s, const char *today, struct rep_table **out) {
  char own[11];
  struct measure m = {0};
  struct rep_table *t = NULL;
  int rc = REP_EINVAL, src, in_txn = 0;
  if (out != NULL)
    *out = NULL;
  today = today_of(today, own);
  m.today = iso_day(today);
  if (m.today == MT_UNKNOWN_DAY)
    goto done;
  rc = REP_ENOMEM;
  t = table_new("course-outcomes", outcome_cols, O_NCOLS);
  if (t == NULL)
    goto done;
  meta_str(t, "today", today);

  src = store_begin(s);
  in_txn = src == STORE_OK;
  if (src == STORE_OK)
    src = store_rep_hires_each(s, on_hire, &m);
  if (src == STORE_OK)
    src = store_rep_enrolments_each(s, on_enrolment, &m);
  if (src == STORE_OK)
    src = store_outcomes_measured_clear(s);
  int64_t written = 0;
  for (size_t i = 0; src == STORE_OK && i < m.nb; i++) {
    const struct batch_acc *b = &m.b[i];
    if (!b->closed)
      continue;
    struct store_outcome o = {b->o.batch_id,       "measured",          (int)b->o.enrolled,
                              (int)b->o.completed, (int)b->o.certified, (int)b->o.placed_6m};
    src = store_outcome_put(s, &o);
    for (uint8_t v = 1; src == STORE_OK && v < MT_N_VOCATIONS; v++)
      if (b->sectors[v] > 0)
        src = store_outcome_sector_put(s, b->o.batch_id, "measured", snapshot_vocation_slug(v),
                                       (int)b->sectors[v]);
    written++;
  }
  if (src == STORE_OK) {
    src = store_commit(s);
    in_txn = 0;
  }
  if (src != STORE_OK) {
    rc = from_store(src);
    goto done;
  }
  meta_set(t, "written", json_integer(written));
  meta_set(t, "provisional", json_integer((json_int_t)m.nb - written));
  for (size_t i = 0; i < m.nb; i++) {
    struct store_rep_outcome o = m.b[i].o;
    char sectors[512];
    sectors_text(&m.b[i], sectors, sizeof sectors);
    snprintf(o.source, sizeof o.source, "%s", m.b[i].closed ? "measured" : "provisional");
    o.in_force = m.b[i].closed;
    o.sectors = sectors;
    outcome_row(t, &o);
  }
  rc = t->failed ? REP_ENOMEM : REP_OK;

done:
  if (in_txn)
    store_rollback(s);
  free(m.hires);
  free(m.b);
  if (rc == REP_OK && out != NULL)
    *out = t;
  else
    rep_table_free(t);
  return rc;
}

/* ---- Skills gap ------------------------------------------------------------------------ */

enum {
  G_CODE,
  G_NAME_ID,
  G_NAME_EN,
  G_VOCATION,
  G_DEMAND_MUST,
  G_DEMAND_NICE,
  G_SUPPLY,
  G_SUPPLY_CERT,
  G_GAP,
  G_COURSES,
  G_NCOLS
};

static int on_skill(void *arg, const struct store_rep_skill *k) {
  struct rep_table *t = arg;
  long r = row_add(t);
  if (r < 0)
    return STORE_ENOMEM;
  put_text(t, r, G_CODE, k->code);
  put_text(t, r, G_NAME_ID, k->name_id);
  put_text(t, r, G_NAME_EN, k->name_en);
  put_text(t, r, G_VOCATION, k->vocation);
  put_int(t, r, G_DEMAND_MUST, k->demand_must);
  put_int(t, r, G_DEMAND_NICE, k->demand_nice);
  put_int(t, r, G_SUPPLY, k->supply);
  put_int(t, r, G_SUPPLY_CERT, k->supply_certified);
  put_int(t, r, G_GAP, k->demand_must - k->supply);
  put_text(t, r, G_COURSES, k->courses);
  return t->failed ? STORE_ENOMEM : 0;
}

static struct store_rep_population population(const struct mt_config *cfg, const char *today,
                                              int64_t kelurahan_id) {
  return (struct store_rep_population){.today = today,
                                       .min_age = cfg->min_age,
                                       .max_age = cfg->max_age,
                                       .validity_days = cfg->verification_valid_days,
                                       .kelurahan_id = kelurahan_id};
}

int rep_skills_gap(struct store *s, const struct rep_query *q, struct rep_table **out) {
  static const struct col cols[G_NCOLS] = {
      {"skill_code", C_TEXT}, {"skill_name_id", C_TEXT},   {"skill_name_en", C_TEXT},
      {"vocation", C_TEXT},   {"demand_must", C_INT},      {"demand_nice", C_INT},
      {"supply", C_INT},      {"supply_certified", C_INT}, {"gap", C_INT},
      {"courses", C_TEXT}};
  struct mt_config own_cfg;
  char own_today[11];
  int rc = rep_query_check(q, NULL);
  *out = NULL;
  if (rc != REP_OK)
    return rc;
  const struct mt_config *cfg = config_of(q, &own_cfg);
  const char *today = today_of(q->today, own_today);
  struct rep_table *t = table_new("skills-gap", cols, G_NCOLS);
  if (t == NULL)
    return REP_ENOMEM;
  meta_str(t, "today", today);
  meta_str(t, "vocation", q->vocation);
  meta_scope(t, &q->scope);
  struct store_rep_population p = population(cfg, today, q->scope.kelurahan_id);
  int src = store_rep_skills_gap(s, &p, q->scope.employer_id, q->vocation, on_skill, t);
  rc = src != STORE_OK ? from_store(src) : t->failed ? REP_ENOMEM : REP_OK;
  if (rc == REP_OK)
    *out = t;
  else
    rep_table_free(t);
  return rc;
}

/* ---- Targeting ------------------------------------------------------------------------- */

enum { T_ELIGIBLE, T_PROPOSED, T_REFERRED, T_HIRED, T_RETAINED, N_TSTAGES };
enum {
  TG_POOR,
  TG_EXTREME,
  TG_PRIORITY,
  TG_MALE,
  TG_FEMALE,
  TG_DISABILITY,
  TG_NO_DISABILITY,
  N_TGROUPS
};
static const char *const tstage_names[N_TSTAGES] = {"eligible", "proposed", "referred", "hired",
                                                    "retained"};
static const char *const tgroup_names[N_TGROUPS] = {
    "poor", "extreme_poor", "priority_kelurahan", "male", "female", "disability", "no_disability"};

struct kel_flag {
  int64_t id;
  int priority;
};

struct targeting {
  const struct mt_config *cfg;
  struct kel_flag *kel; /* by id */
  size_t nkel;
  int64_t n[N_TSTAGES], g[N_TSTAGES][N_TGROUPS];
  /* the resident being walked in the referral rows */
  int have;
  struct store_rep_resident cur;
  int cur_stage;
};

static int cmp_kel(const void *a, const void *b) {
  int64_t x = ((const struct kel_flag *)a)->id, y = ((const struct kel_flag *)b)->id;
  return (x > y) - (x < y);
}

static int in_priority(const struct targeting *w, int64_t kelurahan_id) {
  struct kel_flag key = {kelurahan_id, 0};
  const struct kel_flag *k = bsearch(&key, w->kel, w->nkel, sizeof key, cmp_kel);
  return k != NULL && k->priority;
}

/* Counts a resident at one stage in every group it belongs to.  Unknown
 * desil, sex or disability put the resident in no group of that kind. */
static void count_resident(struct targeting *w, int stage, const struct store_rep_resident *r) {
  int in[N_TGROUPS] = {
      [TG_POOR] = r->desil >= 1 && r->desil <= w->cfg->desil_poor,
      [TG_EXTREME] = r->desil >= 1 && r->desil <= w->cfg->desil_extreme,
      [TG_PRIORITY] = r->kelurahan_id >= 0 && in_priority(w, r->kelurahan_id),
      [TG_MALE] = strcmp(r->sex, "L") == 0,
      [TG_FEMALE] = strcmp(r->sex, "P") == 0,
      [TG_DISABILITY] = r->disability[0] != '\0' && strcmp(r->disability, "none") != 0,
      [TG_NO_DISABILITY] = strcmp(r->disability, "none") == 0,
  };
  w->n[stage]++;
  for (int g = 0; g < N_TGROUPS; g++)
    w->g[stage][g] += in[g];
}

static int on_eligible(void *arg, const struct store_rep_resident *r) {
  count_resident(arg, T_ELIGIBLE, r);
  return 0;
}

/* The stages a resident reached through any of their referrals. */
static void target_flush(struct targeting *w) {
  if (!w->have)
    return;
  count_resident(w, T_PROPOSED, &w->cur);
  if (w->cur_stage >= ST_CONFIRMED)
    count_resident(w, T_REFERRED, &w->cur);
  if (w->cur_stage >= ST_HIRED)
    count_resident(w, T_HIRED, &w->cur);
  if (w->cur_stage >= ST_RET3)
    count_resident(w, T_RETAINED, &w->cur);
  w->have = 0;
}

static int on_target_referral(void *arg, const struct store_rep_referral *row) {
  struct targeting *w = arg;
  if (!w->have || w->cur.id != row->resident_id) {
    target_flush(w);
    w->have = 1;
    w->cur_stage = ST_PROPOSED;
    w->cur.id = row->resident_id;
    w->cur.kelurahan_id = row->kelurahan_id;
    w->cur.desil = row->desil;
    memcpy(w->cur.sex, row->sex, sizeof w->cur.sex);
    memcpy(w->cur.disability, row->disability, sizeof w->cur.disability);
  }
  int st = reached(row);
  w->cur_stage = st > w->cur_stage ? st : w->cur_stage;
  return 0;
}

/* The newest match run's figures (runs.c), city-wide: per group of the
 * run, its eligible residents and the job, course and all next steps they
 * got.  Report group names for the run's groups. */
struct run_fig {
  struct store_run_targeting row[8];
  size_t n;
};

static int on_run_fig(void *arg, const struct store_run_targeting *t) {
  struct run_fig *f = arg;
  if (f->n < sizeof f->row / sizeof f->row[0])
    f->row[f->n++] = *t;
  return 0;
}

static const char *run_group_name(const char *grp) {
  static const char *const map[][2] = {{"desil_1_4", "poor"},
                                       {"desil_1", "extreme_poor"},
                                       {"priority_kelurahan", "priority_kelurahan"},
                                       {"women", "female"},
                                       {"disability", "disability"}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(grp, map[i][0]) == 0)
      return map[i][1];
  return NULL;
}

enum {
  TC_STAGE,
  TC_GROUP,
  TC_COUNT,
  TC_STAGE_TOTAL,
  TC_SHARE,
  TC_ELIGIBLE_COUNT,
  TC_ELIGIBLE_SHARE,
  TC_RATIO,
  TC_NCOLS
};

/* Each kelurahan's priority flag from the index, sorted by id for
 * on_eligible(); pk holds nk kelurahan (borrowed). */
static int flag_kelurahan(struct targeting *w, const struct priority_kelurahan *pk, size_t nk) {
  w->kel = malloc((nk ? nk : 1) * sizeof *w->kel);
  if (w->kel == NULL)
    return STORE_ENOMEM;
  for (size_t i = 0; i < nk; i++)
    w->kel[i] = (struct kel_flag){pk[i].k.id, pk[i].priority};
  qsort(w->kel, nk, sizeof *w->kel, cmp_kel);
  w->nkel = nk;
  return STORE_OK;
}

/* The newest match run's targeting figures into rf; *run_id -1 and no
 * figures when there has been no run. */
static int latest_run_figures(struct store *s, int64_t *run_id, struct run_fig *rf) {
  int src = store_match_run_latest(s, run_id);
  if (src == STORE_ENOTFOUND) {
    *run_id = -1;
    return STORE_OK;
  }
  if (src == STORE_OK)
    src = store_match_run_targeting(s, *run_id, on_run_fig, rf);
  return src;
}

/* One row per stage and group of the counts in w, with each group's share
 * of the stage and of the eligible. */
static void put_stage_rows(struct rep_table *t, const struct targeting *w) {
  for (int st = 0; st < N_TSTAGES; st++)
    for (int g = 0; g < N_TGROUPS; g++) {
      long r = row_add(t);
      if (r < 0)
        break;
      put_text(t, r, TC_STAGE, tstage_names[st]);
      put_text(t, r, TC_GROUP, tgroup_names[g]);
      put_int(t, r, TC_COUNT, w->g[st][g]);
      put_int(t, r, TC_STAGE_TOTAL, w->n[st]);
      put_share(t, r, TC_SHARE, w->g[st][g], w->n[st]);
      put_int(t, r, TC_ELIGIBLE_COUNT, w->g[T_ELIGIBLE][g]);
      put_share(t, r, TC_ELIGIBLE_SHARE, w->g[T_ELIGIBLE][g], w->n[T_ELIGIBLE]);
      /* over- (> 1) or under-representation (< 1) against the population;
       * from the unrounded shares */
      if (w->n[st] > 0 && w->n[T_ELIGIBLE] > 0 && w->g[T_ELIGIBLE][g] > 0)
        put_real(t, r, TC_RATIO,
                 ((double)w->g[st][g] / (double)w->n[st]) /
                     ((double)w->g[T_ELIGIBLE][g] / (double)w->n[T_ELIGIBLE]));
    }
}

/* The run's rows from its figures rf. */
static void put_run_rows(struct rep_table *t, const struct run_fig *rf) {
  /* The run's stages: its eligible, job steps, course steps and all next
   * steps, each against the run's own eligible (docs/MATCHING.md). */
  const struct store_run_targeting *all = NULL;
  for (size_t i = 0; i < rf->n; i++)
    if (strcmp(rf->row[i].grp, "all") == 0)
      all = &rf->row[i];
  static const char *const run_stages[] = {"run_eligible", "run_job_steps", "run_course_steps",
                                           "run_next_steps"};
  for (int st = 0; all != NULL && st < 4; st++)
    for (size_t i = 0; i < rf->n; i++) {
      const struct store_run_targeting *g = &rf->row[i];
      const char *name = run_group_name(g->grp);
      if (name == NULL)
        continue;
      const int64_t cnt[4] = {g->eligible, g->job_steps, g->course_steps,
                              g->job_steps + g->course_steps};
      const int64_t tot[4] = {all->eligible, all->job_steps, all->course_steps,
                              all->job_steps + all->course_steps};
      long r = row_add(t);
      if (r < 0)
        break;
      put_text(t, r, TC_STAGE, run_stages[st]);
      put_text(t, r, TC_GROUP, name);
      put_int(t, r, TC_COUNT, cnt[st]);
      put_int(t, r, TC_STAGE_TOTAL, tot[st]);
      put_share(t, r, TC_SHARE, cnt[st], tot[st]);
      put_int(t, r, TC_ELIGIBLE_COUNT, g->eligible);
      put_share(t, r, TC_ELIGIBLE_SHARE, g->eligible, all->eligible);
      if (tot[st] > 0 && all->eligible > 0 && g->eligible > 0)
        put_real(t, r, TC_RATIO,
                 ((double)cnt[st] / (double)tot[st]) /
                     ((double)g->eligible / (double)all->eligible));
    }
}

int rep_targeting(struct store *s, const struct rep_query *q, struct rep_table **out) {
  static const struct col cols[TC_NCOLS] = {{"stage", C_TEXT},          {"group", C_TEXT},
                                            {"count", C_INT},           {"stage_total", C_INT},
                                            {"share", C_REAL},          {"eligible_count", C_INT},
                                            {"eligible_share", C_REAL}, {"ratio", C_REAL}};
  struct mt_config own_cfg;
  char own_today[11];
  struct targeting w = {0};
  struct priority_kelurahan *pk = NULL;
  struct rep_table *t = NULL;
  int rc = rep_query_check(q, NULL), src, in_txn = 0;
  *out = NULL;
  if (rc != REP_OK)
    return rc;
  if (q->scope.employer_id >= 0)
    return REP_EFORBIDDEN;
  w.cfg = config_of(q, &own_cfg);
  const char *today = today_of(q->today, own_today);
  rc = REP_ENOMEM;
  t = table_new("targeting", cols, TC_NCOLS);
  if (t == NULL)
    goto done;
  meta_str(t, "today", today);
  meta_str(t, "from", q->from);
  meta_str(t, "to", q->to);
  meta_scope(t, &q->scope);
  meta_set(t, "desil_poor", json_integer(w.cfg->desil_poor));
  meta_set(t, "desil_extreme", json_integer(w.cfg->desil_extreme));

  src = store_read_begin(s);
  in_txn = src == STORE_OK;
  size_t nk = 0;
  if (src == STORE_OK)
    src = priority_compute(s, w.cfg, today, &pk, &nk);
  if (src == STORE_OK)
    src = flag_kelurahan(&w, pk, nk);
  struct store_rep_population p = population(w.cfg, today, q->scope.kelurahan_id);
  if (src == STORE_OK)
    src = store_rep_eligible_each(s, &p, on_eligible, &w);
  struct store_rep_filter f = {q->from, q->to, q->scope.kelurahan_id, -1};
  if (src == STORE_OK)
    src = store_rep_referrals(s, STORE_REP_ALL, &f, on_target_referral, &w);
  target_flush(&w);
  /* the newest run's next steps, for a city-wide view only */
  struct run_fig rf = {0};
  int64_t run_id = -1;
  if (src == STORE_OK && q->scope.kelurahan_id < 0)
    src = latest_run_figures(s, &run_id, &rf);
  if (src != STORE_OK) {
    rc = from_store(src);
    goto done;
  }

  put_stage_rows(t, &w);
  meta_set(t, "match_run_id", run_id >= 0 ? json_integer(run_id) : json_null());
  put_run_rows(t, &rf);
  rc = t->failed ? REP_ENOMEM : REP_OK;

done:
  if (in_txn)
    store_commit(s);
  free(pk);
  free(w.kel);
  if (rc == REP_OK)
    *out = t;
  else
    rep_table_free(t);
  return rc;
}

/* ---- Overlaps and unserved (docs/GOVERNANCE.md) ------------------------------------------ */

enum {
  OV_KEL_CODE,
  OV_KEL_NAME,
  OV_RESIDENT,
  OV_NAME,
  OV_A_SOURCE,
  OV_A_ID,
  OV_A_KIND,
  OV_A_OFFICE,
  OV_A_START,
  OV_A_END,
  OV_B_SOURCE,
  OV_B_ID,
  OV_B_KIND,
  OV_B_OFFICE,
  OV_B_START,
  OV_B_END,
  OV_REASON_ID,
  OV_REASON_EN,
  OV_NCOLS
};

static void service_cells(struct rep_table *t, long r, int col, const struct store_gov_service *v) {
  put_text(t, r, col, v->source);
  put_int(t, r, col + 1, v->id);
  put_text(t, r, col + 2, v->kind);
  put_text(t, r, col + 3, v->office);
  put_text(t, r, col + 4, v->start_date[0] ? v->start_date : NULL);
  put_text(t, r, col + 5, v->end_date[0] ? v->end_date : NULL); /* unknown: open-ended */
}

static int on_overlap(void *arg, const struct store_gov_overlap *o) {
  struct rep_table *t = arg;
  long r = row_add(t);
  if (r < 0)
    return STORE_ENOMEM;
  put_text(t, r, OV_KEL_CODE, o->kelurahan_code[0] ? o->kelurahan_code : NULL);
  put_text(t, r, OV_KEL_NAME, o->kelurahan_name[0] ? o->kelurahan_name : NULL);
  put_int(t, r, OV_RESIDENT, o->resident_id);
  put_text(t, r, OV_NAME, o->name[0] ? o->name : NULL);
  service_cells(t, r, OV_A_SOURCE, &o->a);
  service_cells(t, r, OV_B_SOURCE, &o->b);
  put_text(t, r, OV_REASON_ID, o->reason_id);
  put_text(t, r, OV_REASON_EN, o->reason_en);
  return t->failed ? STORE_ENOMEM : 0;
}

/* A gov_* result (and a table that ran out of memory) as a report's. */
static int from_gov(int rc, const struct rep_table *t) {
  if (rc == GOV_OK)
    return t->failed ? REP_ENOMEM : REP_OK;
  return rc == GOV_ENOMEM ? REP_ENOMEM : REP_ESTORE;
}

int rep_overlaps(struct store *s, const struct rep_query *q, const struct gov_actor *by,
                 struct rep_table **out) {
  static const struct col cols[OV_NCOLS] = {
      {"kelurahan_code", C_TEXT}, {"kelurahan_name", C_TEXT}, {"resident_id", C_INT},
      {"name", C_TEXT},           {"a_source", C_TEXT},       {"a_id", C_INT},
      {"a_kind", C_TEXT},         {"a_office", C_TEXT},       {"a_start", C_TEXT},
      {"a_end", C_TEXT},          {"b_source", C_TEXT},       {"b_id", C_INT},
      {"b_kind", C_TEXT},         {"b_office", C_TEXT},       {"b_start", C_TEXT},
      {"b_end", C_TEXT},          {"reason_id", C_TEXT},      {"reason_en", C_TEXT}};
  *out = NULL;
  if (q->scope.employer_id >= 0)
    return REP_EFORBIDDEN;
  struct rep_table *t = table_new("overlaps", cols, OV_NCOLS);
  if (t == NULL)
    return REP_ENOMEM;
  meta_scope(t, &q->scope);
  int rc = from_gov(gov_overlaps(s, by, q->scope.kelurahan_id, on_overlap, t), t);
  if (rc != REP_OK) {
    rep_table_free(t);
    return rc;
  }
  *out = t;
  return REP_OK;
}

enum {
  UN_RANK,
  UN_KEL_CODE,
  UN_KEL_NAME,
  UN_INDEX,
  UN_RESIDENT,
  UN_NAME,
  UN_SEX,
  UN_BIRTH,
  UN_EDUCATION,
  UN_DESIL,
  UN_MONTHS,
  UN_DEPENDANTS,
  UN_VERIFIED,
  UN_NCOLS
};

static int on_unserved(void *arg, const struct priority_kelurahan *k,
                       const struct store_gov_unserved *u) {
  struct rep_table *t = arg;
  long r = row_add(t);
  if (r < 0)
    return STORE_ENOMEM;
  put_int(t, r, UN_RANK, k->rank);
  put_text(t, r, UN_KEL_CODE, k->k.code);
  put_text(t, r, UN_KEL_NAME, k->k.name);
  put_real(t, r, UN_INDEX, k->index);
  put_int(t, r, UN_RESIDENT, u->id);
  put_text(t, r, UN_NAME, u->name[0] ? u->name : NULL);
  put_text(t, r, UN_SEX, u->sex[0] ? u->sex : NULL);
  put_text(t, r, UN_BIRTH, u->birth_date[0] ? u->birth_date : NULL);
  put_text(t, r, UN_EDUCATION, u->education[0] ? u->education : NULL);
  if (u->desil >= 0)
    put_int(t, r, UN_DESIL, u->desil);
  if (u->months_without_work >= 0)
    put_int(t, r, UN_MONTHS, u->months_without_work);
  if (u->dependants >= 0)
    put_int(t, r, UN_DEPENDANTS, u->dependants);
  put_text(t, r, UN_VERIFIED, u->verified_at[0] ? u->verified_at : NULL);
  return t->failed ? STORE_ENOMEM : 0;
}

int rep_unserved(struct store *s, const struct rep_query *q, const struct gov_actor *by,
                 struct rep_table **out) {
  static const struct col cols[UN_NCOLS] = {{"priority_rank", C_INT},
                                            {"kelurahan_code", C_TEXT},
                                            {"kelurahan_name", C_TEXT},
                                            {"priority_index", C_REAL},
                                            {"resident_id", C_INT},
                                            {"name", C_TEXT},
                                            {"sex", C_TEXT},
                                            {"birth_date", C_TEXT},
                                            {"education", C_TEXT},
                                            {"desil", C_INT},
                                            {"months_without_work", C_INT},
                                            {"dependants", C_INT},
                                            {"verified_at", C_TEXT}};
  struct mt_config own_cfg;
  char own_today[11];
  *out = NULL;
  if (q->scope.employer_id >= 0)
    return REP_EFORBIDDEN;
  const struct mt_config *cfg = config_of(q, &own_cfg);
  const char *today = today_of(q->today, own_today);
  struct rep_table *t = table_new("unserved", cols, UN_NCOLS);
  if (t == NULL)
    return REP_ENOMEM;
  meta_str(t, "today", today);
  meta_scope(t, &q->scope);
  meta_set(t, "desil_poor", json_integer(cfg->desil_poor));
  int rc = from_gov(gov_unserved(s, by, today, cfg, q->scope.kelurahan_id, on_unserved, t), t);
  if (rc != REP_OK) {
    rep_table_free(t);
    return rc;
  }
  *out = t;
  return REP_OK;
}

/* ---- Dispatch -------------------------------------------------------------------------- */

int rep_run(struct store *s, enum rep_kind kind, const struct rep_query *q, struct rep_table **out,
            struct rep_error *err) {
  *out = NULL;
  int rc = rep_query_check(q, err);
  if (rc != REP_OK)
    return rc;
  switch (kind) {
  case REP_FUNNEL:
    return rep_funnel(s, q, out);
  case REP_COURSE_OUTCOMES:
    return rep_course_outcomes(s, q, out);
  case REP_SKILLS_GAP:
    return rep_skills_gap(s, q, out);
  case REP_TARGETING:
    return rep_targeting(s, q, out);
  }
  return fail_field(err, "report", "enum", "Laporan tidak dikenal.", "Unknown report.");
}
