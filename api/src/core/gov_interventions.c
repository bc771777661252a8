/*
 * gov_interventions.c — the registry of other offices' interventions and
 * its all-or-nothing CSV import: a first pass checks every row and the
 * repeats within the file and against the registry, a second writes them
 * in one transaction (see gov.h and docs/GOVERNANCE.md).
 */
#include "gov_int.h"

#include "csv.h"
#include "dtsen.h"
#include "issues.h"
#include "nik.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Intervention import ------------------------------------------------------------------------
 */

enum icol { IC_NIK, IC_KIND, IC_OFFICE, IC_START, IC_END, IC_STATUS, IC_REF, IC_N };
static const char *const icolumns[IC_N + 1] = {"nik",      "kind",   "office",     "start_date",
                                               "end_date", "status", "source_ref", NULL};
static const int icol_required[IC_N] = {1, 1, 1, 1, 0, 1, 0};
static const char *const istatuses[] = {"active", "ended", "cancelled", NULL};

/* Keys seen in pass 1 (owned strings) with the line that first had each. */
struct keyset {
  char **keys;
  size_t *lines;
  size_t cap, n;
};

static uint64_t hash_str(const char *s) {
  uint64_t h = 0xcbf29ce484222325u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 0x100000001b3u;
  return h;
}

static void keyset_free(struct keyset *k) {
  for (size_t i = 0; i < k->cap; i++)
    free(k->keys[i]);
  free(k->keys);
  free(k->lines);
  memset(k, 0, sizeof *k);
}

/* Adds key; 0 when new, the first line when seen before, -1 out of memory. */
static int64_t keyset_add(struct keyset *k, const char *key, size_t line) {
  if ((k->n + 1) * 2 > k->cap) {
    size_t cap = k->cap ? k->cap * 2 : 256;
    char **keys = calloc(cap, sizeof *keys);
    size_t *lines = calloc(cap, sizeof *lines);
    if (keys == NULL || lines == NULL) {
      free(keys);
      free(lines);
      return -1;
    }
    for (size_t i = 0; i < k->cap; i++) {
      if (k->keys[i] == NULL)
        continue;
      size_t j = hash_str(k->keys[i]) & (cap - 1);
      while (keys[j] != NULL)
        j = (j + 1) & (cap - 1);
      keys[j] = k->keys[i];
      lines[j] = k->lines[i];
    }
    free(k->keys);
    free(k->lines);
    k->keys = keys;
    k->lines = lines;
    k->cap = cap;
  }
  size_t j = hash_str(key) & (k->cap - 1);
  for (; k->keys[j] != NULL; j = (j + 1) & (k->cap - 1))
    if (strcmp(k->keys[j], key) == 0)
      return (int64_t)k->lines[j];
  char *copy = strdup(key);
  if (copy == NULL)
    return -1;
  k->keys[j] = copy;
  k->lines[j] = line;
  k->n++;
  return 0;
}

struct iv_import {
  struct store *s;
  struct gov_report *rep;
  int collect; /* pass 1: check and record issues; pass 2: write */
  int64_t today;
  int col[IC_N];
  size_t header_fields;
  struct keyset refs, natural;
  int store_failed, nomem;
};

struct iv_row {
  size_t line, number;
  int errors;
  struct store_gov_intervention iv;
};

static void row_issue(struct iv_import *im, struct iv_row *w, enum icol c, enum issue code,
                      const char *value) {
  w->errors++;
  if (!im->collect)
    return;
  const struct issue_text *t = &issue_texts[code];
  gov__add_issue(im->rep, w->line, w->number, c < IC_N ? icolumns[c] : "", t->code, t->id, t->en,
                 value, value ? strlen(value) : 0, 0);
}

static const struct csv_field empty_field = {"", 0};

/* The field of column c in the current record ("" when the file has no
 * such column). */
static const struct csv_field *col(const struct iv_import *im, const struct csv_reader *rd,
                                   enum icol c) {
  return im->col[c] >= 0 ? &rd->fields[im->col[c]] : &empty_field;
}

/* A date field; returns its day number or INT64_MIN (reported). */
static int64_t check_date(struct iv_import *im, struct iv_row *w, enum icol c,
                          const struct csv_field *f) {
  struct date_ymd d;
  if (date_parse(f->p, f->len, &d) != 0) {
    row_issue(im, w, c, I_DATE_FORMAT, f->p);
    return INT64_MIN;
  }
  if (d.year < 1990) {
    row_issue(im, w, c, I_DATE_OLD, f->p);
    return INT64_MIN;
  }
  return date_to_days(&d);
}

/* Checks a text field: required, one line, at most max bytes. */
static const char *check_text(struct iv_import *im, struct iv_row *w, enum icol c,
                              const struct csv_field *f, size_t max) {
  if (f->len == 0) {
    if (icol_required[c])
      row_issue(im, w, c, I_REQUIRED, NULL);
    return NULL;
  }
  if (!dtsen_text_ok(f->p, f->len)) {
    row_issue(im, w, c, I_TEXT, NULL);
    return NULL;
  }
  if (f->len > max) {
    row_issue(im, w, c, I_TOO_LONG, f->p);
    return NULL;
  }
  return f->p;
}

/* Parses and checks the current record into w->iv; in pass 1 also finds
 * repeats within the file and conflicts with the registry. */
/* The row's NIK: valid and a resident's, whose id goes into the row. */
static void iv_nik(struct iv_import *im, struct iv_row *w, const struct csv_field *f) {
  struct store_gov_intervention *iv = &w->iv;
  if (f->len == 0) {
    row_issue(im, w, IC_NIK, I_REQUIRED, NULL);
    return;
  }
  struct nik_info info;
  struct date_ymd ref;
  date_from_days(im->today, &ref);
  enum nik_error e = nik_parse(f->p, f->len, &ref, &info);
  int rc;
  if (e != NIK_OK) {
    w->errors++;
    if (im->collect)
      gov__add_issue(im->rep, w->line, w->number, "nik", nik_error_code(e), nik_error_message_id(e),
                     nik_error_message_en(e), f->p, f->len, 0);
  } else if ((rc = store_gov_resident_by_nik(im->s, f->p, &iv->resident_id)) == STORE_ENOTFOUND) {
    row_issue(im, w, IC_NIK, I_RESIDENT_UNKNOWN, f->p);
  } else if (rc != STORE_OK) {
    im->store_failed = 1;
  }
}

/* The row's kind: one the registry knows. */
static void iv_kind(struct iv_import *im, struct iv_row *w, const struct csv_field *f) {
  if (f->len == 0) {
    row_issue(im, w, IC_KIND, I_REQUIRED, NULL);
    return;
  }
  char grp[16];
  int rc = store_gov_kind_group(im->s, f->p, grp);
  if (rc == STORE_OK)
    w->iv.kind = f->p;
  else if (rc == STORE_ENOTFOUND)
    row_issue(im, w, IC_KIND, I_ENUM, f->p);
  else
    im->store_failed = 1;
}

/* The row's start (required, not in the future) and end (not before the
 * start) dates. */
static void iv_dates(struct iv_import *im, const struct csv_reader *rd, struct iv_row *w) {
  struct store_gov_intervention *iv = &w->iv;
  int64_t start = INT64_MIN, end = INT64_MIN;
  const struct csv_field *f = col(im, rd, IC_START);
  if (f->len == 0) {
    row_issue(im, w, IC_START, I_REQUIRED, NULL);
  } else if ((start = check_date(im, w, IC_START, f)) != INT64_MIN) {
    if (start > im->today) {
      row_issue(im, w, IC_START, I_DATE_FUTURE, f->p);
      start = INT64_MIN;
    } else {
      iv->start_date = f->p;
    }
  }
  f = col(im, rd, IC_END);
  if (f->len > 0 && (end = check_date(im, w, IC_END, f)) != INT64_MIN) {
    if (start != INT64_MIN && end < start)
      row_issue(im, w, IC_END, I_END_BEFORE_START, f->p);
    else
      iv->end_date = f->p;
  }
}

/* The row's status, and the end date an ended intervention needs. */
static void iv_status(struct iv_import *im, const struct csv_reader *rd, struct iv_row *w) {
  const struct csv_field *f = col(im, rd, IC_STATUS);
  if (f->len == 0) {
    row_issue(im, w, IC_STATUS, I_REQUIRED, NULL);
  } else if (vocab_index(istatuses, f->p, f->len) < 0) {
    row_issue(im, w, IC_STATUS, I_ENUM, f->p);
  } else {
    w->iv.status = f->p;
    if (strcmp(f->p, "ended") == 0 && col(im, rd, IC_END)->len == 0)
      row_issue(im, w, IC_END, I_END_REQUIRED, NULL);
  }
}

/* Repeats within the file, then a source_ref the registry holds for
 * someone or something else. */
static void iv_repeats(struct iv_import *im, struct iv_row *w) {
  struct store_gov_intervention *iv = &w->iv;
  char key[256];
  int64_t first;
  if (iv->source_ref != NULL) {
    snprintf(key, sizeof key, "%s\x1f%s", iv->office, iv->source_ref);
    first = keyset_add(&im->refs, key, w->line);
    if (first > 0) {
      char other[32];
      snprintf(other, sizeof other, "line %lld", (long long)first);
      row_issue(im, w, IC_REF, I_REF_DUPLICATE, other);
    }
  } else {
    snprintf(key, sizeof key, "%lld\x1f%s\x1f%s\x1f%s", (long long)iv->resident_id, iv->kind,
             iv->office, iv->start_date);
    first = keyset_add(&im->natural, key, w->line);
    if (first > 0) {
      char other[32];
      snprintf(other, sizeof other, "line %lld", (long long)first);
      row_issue(im, w, IC_N, I_ROW_DUPLICATE, other);
    }
  }
  if (first < 0)
    im->nomem = 1;
  if (iv->source_ref != NULL && w->errors == 0) {
    struct store_gov_intervention_row old;
    int rc = store_gov_intervention_find(im->s, iv, &old);
    if (rc == STORE_OK && (old.resident_id != iv->resident_id || strcmp(old.kind, iv->kind) != 0))
      row_issue(im, w, IC_REF, I_REF_CONFLICT, iv->source_ref);
    else if (rc != STORE_OK && rc != STORE_ENOTFOUND)
      im->store_failed = 1;
  }
}

static void parse_iv_row(struct iv_import *im, const struct csv_reader *rd, struct iv_row *w) {
  struct store_gov_intervention *iv = &w->iv;
  memset(iv, 0, sizeof *iv);
  iv->resident_id = -1;
  w->errors = 0;
  if (rd->nfields != im->header_fields) {
    char got[32];
    snprintf(got, sizeof got, "%zu fields", rd->nfields);
    row_issue(im, w, IC_N, I_FIELD_COUNT, got);
    return;
  }
  iv_nik(im, w, col(im, rd, IC_NIK));
  iv_kind(im, w, col(im, rd, IC_KIND));
  iv->office = check_text(im, w, IC_OFFICE, col(im, rd, IC_OFFICE), MAX_OFFICE);
  iv_dates(im, rd, w);
  iv_status(im, rd, w);
  iv->source_ref = check_text(im, w, IC_REF, col(im, rd, IC_REF), MAX_REF);
  if (!im->collect || w->errors > 0 || im->store_failed)
    return;
  iv_repeats(im, w);
}

/* Pass 2: records one valid row. */
static int write_iv_row(struct iv_import *im, struct iv_row *w, const struct gov_actor *by) {
  struct store_gov_intervention *iv = &w->iv;
  struct store_gov_intervention_row old;
  iv->created_by = gov__actor_id(by);
  int rc = store_gov_intervention_find(im->s, iv, &old);
  if (rc == STORE_ENOTFOUND) {
    im->rep->new_rows++;
    return store_gov_intervention_add(im->s, iv, NULL);
  }
  if (rc != STORE_OK)
    return rc;
  const char *end = iv->end_date != NULL ? iv->end_date : "";
  if (strcmp(old.start_date, iv->start_date) == 0 && strcmp(old.end_date, end) == 0 &&
      strcmp(old.status, iv->status) == 0) {
    im->rep->unchanged++;
    return STORE_OK;
  }
  im->rep->updated++;
  return store_gov_intervention_update(im->s, old.id, iv);
}

static void file_issue(struct gov_report *rep, size_t line, const char *column, enum issue code,
                       const char *value) {
  const struct issue_text *t = &issue_texts[code];
  gov__add_issue(rep, line, 0, column, t->code, t->id, t->en, value, value ? strlen(value) : 0, 0);
}

/* Maps the header's columns; returns the number of problems. */
static size_t read_header(struct iv_import *im, const struct csv_reader *rd) {
  size_t before = im->rep->errors;
  for (int c = 0; c < IC_N; c++)
    im->col[c] = -1;
  im->header_fields = rd->nfields;
  for (size_t i = 0; i < rd->nfields; i++) {
    const struct csv_field *f = &rd->fields[i];
    int c = vocab_index(icolumns, f->p, f->len);
    if (c < 0)
      file_issue(im->rep, rd->line, f->p, I_HEADER_UNKNOWN, f->p);
    else if (im->col[c] >= 0)
      file_issue(im->rep, rd->line, f->p, I_HEADER_DUPLICATE, f->p);
    else
      im->col[c] = (int)i;
  }
  for (int c = 0; c < IC_N; c++)
    if (icol_required[c] && im->col[c] < 0)
      file_issue(im->rep, rd->line, icolumns[c], I_HEADER_MISSING, NULL);
  return im->rep->errors - before;
}

/* One pass over the file; in pass 2 every row is written. */
static int iv_pass(struct iv_import *im, const char *data, size_t len, const struct gov_actor *by) {
  struct csv_reader rd;
  csv_reader_init(&rd, data, len);
  int rc = STORE_OK, st = csv_next(&rd);
  if (st != CSV_RECORD) {
    if (st == CSV_ERR_NOMEM) /* out of memory, not a malformed file */
      im->nomem = 1;
    else if (im->collect)
      file_issue(im->rep, rd.line, "", st == CSV_END ? I_FILE_EMPTY : I_CSV_MALFORMED, NULL);
    goto cleanup;
  }
  if (im->collect && read_header(im, &rd) > 0)
    goto cleanup;
  struct iv_row w;
  size_t number = 0;
  while (rc == STORE_OK && !im->store_failed && (st = csv_next(&rd)) == CSV_RECORD) {
    w.line = rd.line;
    w.number = ++number;
    parse_iv_row(im, &rd, &w);
    if (im->collect) {
      im->rep->rows++;
      if (w.errors > 0)
        im->rep->error_rows++;
    } else if (w.errors == 0) {
      rc = write_iv_row(im, &w, by);
    } else {
      im->store_failed = 1; /* pass 2 saw a row pass 1 passed: the store changed under us */
    }
  }
  if (st < 0 && st != CSV_ERR_NOMEM && im->collect)
    file_issue(im->rep, rd.line, "", I_CSV_MALFORMED, NULL);
  if (st == CSV_ERR_NOMEM)
    im->nomem = 1;
cleanup:
  csv_reader_free(&rd);
  return rc;
}

int gov_interventions_import(struct store *s, const char *data, size_t len,
                             const struct gov_import_options *o, const struct gov_actor *by,
                             struct gov_report *rep) {
  gov__report_init(rep);
  rep->dry_run = o != NULL && o->dry_run;
  char today[11];
  if (o != NULL && o->today != NULL)
    snprintf(today, sizeof today, "%s", o->today);
  else
    gov_today(today);
  struct iv_import im = {.s = s, .rep = rep, .collect = 1, .today = gov__date_days(today)};
  if (im.today == INT64_MIN)
    return gov__finish(rep, GOV_EINVALID);
  if (store_begin(s) != STORE_OK)
    return gov__finish(rep, GOV_ESTORE);

  int status = GOV_OK;
  int rc = iv_pass(&im, data, len, by);
  if (rc == STORE_OK && !im.store_failed && !im.nomem && rep->errors == 0) {
    im.collect = 0;
    rc = iv_pass(&im, data, len, by);
  }
  if (im.nomem || rc == STORE_ENOMEM)
    status = GOV_ENOMEM;
  else if (im.store_failed || rc != STORE_OK)
    status = GOV_ESTORE;
  else if (rep->errors > 0)
    status = GOV_EINVALID;
  char detail[160];
  snprintf(detail, sizeof detail, "%zu rows: %zu new, %zu updated, %zu unchanged; %zu errors",
           rep->rows, rep->new_rows, rep->updated, rep->unchanged, rep->errors);
  if (status == GOV_OK && !rep->dry_run) {
    rc = gov__audit(s, by, "import_interventions", -1, NULL, detail);
    if (rc == STORE_OK)
      rc = store_commit(s);
    if (rc == STORE_OK) {
      rep->committed = 1;
      goto done;
    }
    status = gov__rc(rc);
  }
  store_rollback(s);
  if (status == GOV_ESTORE || status == GOV_ENOMEM) {
    const struct issue_text *t = &issue_texts[status == GOV_ESTORE ? I_STORE : I_NOMEM];
    gov__add_issue(rep, 0, 0, "", t->code, t->id, t->en, NULL, 0, 0);
  }
  /* A refused file is an act too: recorded outside the rolled-back work. */
  if (status != GOV_OK && !rep->dry_run)
    gov__audit(s, by, "import_interventions_rejected", -1, NULL, detail);
done:
  keyset_free(&im.refs);
  keyset_free(&im.natural);
  return gov__finish(rep, status);
}
