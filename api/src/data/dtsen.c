/*
 * The DTSEN-like extract: enumerations, validation of every row, and the
 * all-or-nothing upsert into the store (see dtsen.h and
 * docs/DTSEN-FORMAT.md, which lists every rule and code below).
 *
 * One pass over the file, inside one write transaction: every record is
 * parsed once, every field of every row checked and every problem recorded,
 * and each valid row is written as soon as it is read — while the file has
 * shown no error.  From the first error on nothing more is written (the
 * rest is still checked, so the report names every bad row and field) and
 * the transaction is rolled back at the end; so is a dry run.  Only a file
 * without an error is committed.  Memory holds one record at a time (two
 * batches of valid rows when a bulk load is written on a second thread; see
 * "Two threads" below), the set of NIKs seen (to refuse a NIK twice in one
 * file) and a small cache of kelurahan and skill codes.
 */
#include "dtsen.h"

#include "csv.h"
#include "dates.h"
#include "issues.h"
#include "nik.h"
#include "store.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The word lists of the columns are vocab.c's. */

enum column {
  C_NIK,
  C_NAME,
  C_SEX,
  C_BIRTH_DATE,
  C_RELIGION,
  C_MARITAL,
  C_KELURAHAN,
  C_ADDRESS,
  C_PHONE,
  C_EDUCATION,
  C_SMK_VOCATION,
  C_DESIL,
  C_WORK,
  C_SCHOOL,
  C_MONTHS,
  C_DEPENDANTS,
  C_DISABILITY,
  C_SHIFTS,
  C_PREFERRED,
  C_SKILLS,
  C_VERIFIED_AT,
  C_SYNTHETIC,
};

const char *const dtsen_columns[DTSEN_N_COLUMNS + 1] = {"nik",
                                                        "name",
                                                        "sex",
                                                        "birth_date",
                                                        "religion",
                                                        "marital_status",
                                                        "kelurahan_code",
                                                        "address",
                                                        "phone",
                                                        "education",
                                                        "smk_vocation",
                                                        "desil",
                                                        "work_status",
                                                        "school_status",
                                                        "months_without_work",
                                                        "dependants",
                                                        "disability",
                                                        "shifts",
                                                        "preferred_vocations",
                                                        "skills",
                                                        "verified_at",
                                                        "synthetic",
                                                        NULL};

/* ---- Issue codes ---------------------------------------------------------------- */

/* The issue codes and their texts are issues.h's, shared with gov.c. */

#define MAX_LIST 64
#define MAX_NAME 100
#define MAX_ADDRESS 200
#define CACHE_MAX 65536

/* ---- Small hash tables ----------------------------------------------------------- */

/* NIKs seen so far, with the line that first had each. */
struct nik_slot {
  uint64_t key; /* the NIK as a number + 1, so 0 marks an empty slot */
  size_t line;
};
struct nik_seen {
  struct nik_slot *slots;
  size_t cap, n;
};

static size_t hash64(uint64_t k, size_t cap) {
  return (size_t)((k * 0x9E3779B97F4A7C15u) >> 17) & (cap - 1);
}

/* Adds key; returns 0 when new, the first line when seen before, -1 out of
 * memory. */
static int64_t nik_seen_add(struct nik_seen *t, uint64_t key, size_t line) {
  key += 1;
  if ((t->n + 1) * 2 > t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 4096;
    struct nik_slot *slots = calloc(cap, sizeof *slots);
    if (slots == NULL)
      return -1;
    for (size_t i = 0; i < t->cap; i++) {
      if (t->slots[i].key == 0)
        continue;
      size_t j = hash64(t->slots[i].key, cap);
      while (slots[j].key != 0)
        j = (j + 1) & (cap - 1);
      slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
  }
  size_t j = hash64(key, t->cap);
  while (t->slots[j].key != 0) {
    if (t->slots[j].key == key)
      return (int64_t)t->slots[j].line;
    j = (j + 1) & (t->cap - 1);
  }
  t->slots[j] = (struct nik_slot){key, line};
  t->n++;
  return 0;
}

/* Kelurahan and skill codes already looked up (id -1: not in the store). */
struct code_slot {
  char *code; /* owned; NULL marks an empty slot */
  int table;
  int64_t id;
};
struct code_cache {
  struct code_slot *slots;
  size_t cap, n;
  int complete; /* every kelurahan and skill code is here */
};

static uint64_t hash_code(int table, const char *s) {
  uint64_t h = 0xcbf29ce484222325u ^ (uint64_t)table;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 0x100000001b3u;
  return h;
}

static void code_cache_free(struct code_cache *c) {
  for (size_t i = 0; i < c->cap; i++)
    free(c->slots[i].code);
  free(c->slots);
  memset(c, 0, sizeof *c);
}

static int code_cache_grow(struct code_cache *c) {
  size_t cap = c->cap ? c->cap * 2 : 512;
  struct code_slot *slots = calloc(cap, sizeof *slots);
  if (slots == NULL)
    return -1;
  for (size_t i = 0; i < c->cap; i++) {
    if (c->slots[i].code == NULL)
      continue;
    size_t j = hash_code(c->slots[i].table, c->slots[i].code) & (cap - 1);
    while (slots[j].code != NULL)
      j = (j + 1) & (cap - 1);
    slots[j] = c->slots[i];
  }
  free(c->slots);
  c->slots = slots;
  c->cap = cap;
  return 0;
}

/* The cached id of code in table t; 0 when found, -1 when not cached. */
static int cache_find(const struct code_cache *c, int t, const char *code, int64_t *id) {
  if (c->cap == 0)
    return -1;
  size_t j = hash_code(t, code) & (c->cap - 1);
  for (; c->slots[j].code != NULL; j = (j + 1) & (c->cap - 1))
    if (c->slots[j].table == t && strcmp(c->slots[j].code, code) == 0) {
      *id = c->slots[j].id;
      return 0;
    }
  return -1;
}

/* Caches code → id; -1 when full or out of memory (nothing cached). */
static int cache_put(struct code_cache *c, int t, const char *code, int64_t id) {
  if (c->n >= CACHE_MAX || ((c->n + 1) * 2 > c->cap && code_cache_grow(c) != 0))
    return -1;
  char *copy = strdup(code);
  if (copy == NULL)
    return -1;
  size_t j = hash_code(t, code) & (c->cap - 1);
  while (c->slots[j].code != NULL)
    j = (j + 1) & (c->cap - 1);
  c->slots[j] = (struct code_slot){copy, t, id};
  c->n++;
  return 0;
}

/* The id of code in table t, -1 when absent; returns a STORE_* code.
 * When c->complete, the cache holds every code and the store is not
 * asked (the writing thread owns the connection). */
static int lookup_code(struct store *s, struct code_cache *c, enum store_table t, const char *code,
                       int64_t *id) {
  if (cache_find(c, (int)t, code, id) == 0)
    return STORE_OK;
  if (c->complete) {
    *id = -1;
    return STORE_OK;
  }
  int rc = store_id_by_code(s, t, code, id);
  if (rc == STORE_ENOTFOUND) {
    *id = -1;
    rc = STORE_OK;
  }
  if (rc == STORE_OK)
    (void)cache_put(c, (int)t, code, *id); /* caching is an optimisation only */
  return rc;
}

/* ---- Validation ------------------------------------------------------------------- */

struct import {
  struct store *store;
  struct dtsen_report *rep;
  size_t max_issues;
  int check_erased;   /* some NIK has been erased: look every NIK up */
  char now[21];       /* the import's time stamp for new rows and history */
  size_t kept_issues; /* corrected_after_extract warnings, withdrawn if nothing is written */
  struct date_ymd today;
  int col[DTSEN_N_COLUMNS]; /* field index of each column in the file */
  size_t header_fields;
  struct nik_seen niks;
  struct code_cache codes;
  const char *extract_date; /* NULL: unknown */
  int store_failed, nomem;
  struct pipe *pipe; /* NULL: rows are written by this thread */
};

/* One parsed row: strings point into the reader's scratch buffer. */
struct row {
  size_t line, number;
  int errors, warnings;
  int erased; /* the NIK is an erased resident's: the row is skipped */
  struct store_resident r;
  char sex[2];
  char nik_flag[40];
  int64_t skill_ids[MAX_LIST];
  uint8_t skill_certified[MAX_LIST];
};

void dtsen_copy_cut(char *dst, size_t cap, const char *src, size_t len) {
  if (src == NULL)
    len = 0;
  if (len >= cap)
    len = cap - 1;
  if (len > 0)
    memcpy(dst, src, len);
  dst[len] = '\0';
}

void dtsen_issue_fill(struct dtsen_issue *is, size_t line, size_t row, const char *column,
                      const char *code, const char *message_id, const char *message_en,
                      const char *value, size_t value_len, int warning) {
  memset(is, 0, sizeof *is);
  is->line = line;
  is->row = row;
  dtsen_copy_cut(is->column, sizeof is->column, column, column ? strlen(column) : 0);
  is->code = code;
  is->message_id = message_id;
  is->message_en = message_en;
  dtsen_copy_cut(is->value, sizeof is->value, value, value_len);
  is->warning = warning;
}

int dtsen_issue_push(struct dtsen_issue **issues, size_t *n, size_t *cap, size_t max,
                     const struct dtsen_issue *is) {
  if (*n >= max)
    return 0;
  if (*n == *cap) {
    size_t grown = *cap ? *cap * 2 : 16;
    if (grown > max)
      grown = max;
    struct dtsen_issue *p = realloc(*issues, grown * sizeof *p);
    if (p == NULL)
      return -1;
    *issues = p;
    *cap = grown;
  }
  (*issues)[(*n)++] = *is;
  return 0;
}

static void add_issue(struct import *im, size_t line, size_t row, const char *column,
                      const char *code, const char *msg_id, const char *msg_en, const char *value,
                      size_t value_len, int warning) {
  struct dtsen_report *rep = im->rep;
  if (warning)
    rep->warnings++;
  else
    rep->errors++;
  struct dtsen_issue is;
  dtsen_issue_fill(&is, line, row, column, code, msg_id, msg_en, value, value_len, warning);
  if (dtsen_issue_push(&rep->issues, &rep->n_issues, &rep->issues_cap, im->max_issues, &is) != 0)
    im->nomem = 1;
}

static void issue(struct import *im, struct row *w, enum column c, enum issue code,
                  const struct csv_field *f) {
  const struct issue_text *t = &issue_texts[code];
  int warning = code == I_NIK_DATE_MISMATCH || code == I_NIK_SEX_MISMATCH || code == I_NIK_ERASED;
  if (warning)
    w->warnings++;
  else
    w->errors++;
  add_issue(im, w->line, w->number, dtsen_columns[c], t->code, t->id, t->en, f ? f->p : NULL,
            f ? f->len : 0, warning);
}

int dtsen_text_ok(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  while (p < end) {
    unsigned c = *p;
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F)
        return 0;
      p++;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return 0;
    }
    if ((size_t)(end - p) <= n)
      return 0;
    for (size_t i = 1; i <= n; i++) {
      if ((p[i] & 0xC0) != 0x80)
        return 0;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp < 0xA0))
      return 0;
    p += n + 1;
  }
  return 1;
}

/* Parses an unsigned decimal of at most 9 digits; -1 when it is not one. */
int dtsen_parse_uint(const char *s, size_t len) {
  if (len == 0 || len > 9)
    return -1;
  int v = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

static const char *opt(const struct csv_field *f) {
  return f->len ? f->p : NULL;
}

/* A free-text column; returns the value or NULL when empty. */
static const char *check_text(struct import *im, struct row *w, enum column c,
                              const struct csv_field *f, int required, size_t max) {
  if (f->len == 0) {
    if (required)
      issue(im, w, c, I_REQUIRED, f);
    return NULL;
  }
  if (!dtsen_text_ok(f->p, f->len))
    issue(im, w, c, I_TEXT, f);
  else if (f->len > max)
    issue(im, w, c, I_TOO_LONG, f);
  return f->p;
}

/* An enumerated column; returns the index or -1 (empty or bad). */
static int check_enum(struct import *im, struct row *w, enum column c, const struct csv_field *f,
                      const char *const *list, int required) {
  if (f->len == 0) {
    if (required)
      issue(im, w, c, I_REQUIRED, f);
    return -1;
  }
  int i = vocab_index(list, f->p, f->len);
  if (i < 0)
    issue(im, w, c, I_ENUM, f);
  return i;
}

/* An optional integer in [lo, hi]; returns it, or -1 when empty or bad. */
static int check_int(struct import *im, struct row *w, enum column c, const struct csv_field *f,
                     int required, int lo, int hi, enum issue range_code) {
  if (f->len == 0) {
    if (required)
      issue(im, w, c, I_REQUIRED, f);
    return -1;
  }
  int v = dtsen_parse_uint(f->p, f->len);
  if (v < 0) {
    issue(im, w, c, I_INTEGER, f);
    return -1;
  }
  if (v < lo || v > hi) {
    issue(im, w, c, range_code, f);
    return -1;
  }
  return v;
}

/* A ';'-separated list of enumeration values without repeats. */
static void check_enum_list(struct import *im, struct row *w, enum column c,
                            const struct csv_field *f, const char *const *list) {
  if (f->len == 0)
    return;
  uint64_t seen = 0;
  size_t count = 0;
  const char *p = f->p, *end = f->p + f->len;
  for (;;) {
    const char *semi = memchr(p, ';', (size_t)(end - p));
    const char *stop = semi ? semi : end;
    struct csv_field el = {p, (size_t)(stop - p)};
    int i = el.len ? vocab_index(list, el.p, el.len) : -2;
    if (i == -2) {
      issue(im, w, c, I_LIST_FORMAT, f);
      return;
    }
    if (i < 0) {
      issue(im, w, c, I_ENUM, &el);
      return;
    }
    if (seen & (1ull << i)) {
      issue(im, w, c, I_LIST_DUPLICATE, &el);
      return;
    }
    seen |= 1ull << i;
    if (++count > MAX_LIST) {
      issue(im, w, c, I_LIST_TOO_MANY, f);
      return;
    }
    if (semi == NULL)
      return;
    p = semi + 1;
  }
}

/* skills: CODE[*];CODE[*]... resolved to ids in w->r. */
static void check_skills(struct import *im, struct row *w, const struct csv_field *f) {
  w->r.skill_ids = w->skill_ids;
  w->r.skill_certified = w->skill_certified;
  w->r.n_skills = 0;
  if (f->len == 0)
    return;
  const char *p = f->p, *end = f->p + f->len;
  for (;;) {
    const char *semi = memchr(p, ';', (size_t)(end - p));
    const char *stop = semi ? semi : end;
    struct csv_field el = {p, (size_t)(stop - p)};
    int certified = el.len > 0 && el.p[el.len - 1] == '*';
    size_t code_len = el.len - (size_t)certified;
    if (code_len == 0) {
      issue(im, w, C_SKILLS, I_LIST_FORMAT, f);
      return;
    }
    if (w->r.n_skills == MAX_LIST) {
      issue(im, w, C_SKILLS, I_LIST_TOO_MANY, f);
      return;
    }
    char code[64];
    int64_t id = -1;
    if (code_len < sizeof code) {
      memcpy(code, el.p, code_len);
      code[code_len] = '\0';
      if (lookup_code(im->store, &im->codes, STORE_T_SKILLS, code, &id) != STORE_OK) {
        im->store_failed = 1;
        return;
      }
    }
    if (id < 0) {
      issue(im, w, C_SKILLS, I_SKILL_UNKNOWN, &el);
      return;
    }
    for (size_t i = 0; i < w->r.n_skills; i++)
      if (w->skill_ids[i] == id) {
        issue(im, w, C_SKILLS, I_LIST_DUPLICATE, &el);
        return;
      }
    w->skill_ids[w->r.n_skills] = id;
    w->skill_certified[w->r.n_skills] = (uint8_t)certified;
    w->r.n_skills++;
    if (semi == NULL)
      return;
    p = semi + 1;
  }
}

static int check_phone(const struct csv_field *f) {
  size_t digits = 0;
  for (size_t i = 0; i < f->len; i++) {
    char ch = f->p[i];
    if (ch >= '0' && ch <= '9')
      digits++;
    else if (!(ch == '+' && i == 0) && ch != ' ' && ch != '-')
      return 0;
  }
  return digits >= 8 && digits <= 15;
}

/* Checks every field of the current record and fills w->r.  Returns the
 * number of errors (warnings do not count). */
/* The birth date column into *birth; 1 when it is a plausible date. */
static int check_birth(struct import *im, struct row *w, const struct csv_field *const *f,
                       struct date_ymd *birth) {
  struct store_resident *r = &w->r;
  if (f[C_BIRTH_DATE]->len == 0) {
    issue(im, w, C_BIRTH_DATE, I_REQUIRED, f[C_BIRTH_DATE]);
  } else if (date_parse(f[C_BIRTH_DATE]->p, f[C_BIRTH_DATE]->len, birth) != 0) {
    issue(im, w, C_BIRTH_DATE, I_DATE_FORMAT, f[C_BIRTH_DATE]);
  } else if (date_to_days(birth) > date_to_days(&im->today)) {
    issue(im, w, C_BIRTH_DATE, I_DATE_FUTURE, f[C_BIRTH_DATE]);
  } else if (date_age(birth, &im->today) > 120) {
    issue(im, w, C_BIRTH_DATE, I_BIRTH_RANGE, f[C_BIRTH_DATE]);
  } else {
    r->birth_date = f[C_BIRTH_DATE]->p;
    return 1;
  }
  return 0;
}

/* The NIK: its form, the erased register, a repeat in the file, and its
 * agreement with the birth date and sex already read (birth_ok, sex).
 * Returns 1 when the row belongs to an erased resident: nothing more of it
 * is checked or reported. */
static int check_nik_column(struct import *im, struct row *w, const struct csv_field *const *f,
                            const struct date_ymd *birth, int birth_ok, int sex) {
  struct store_resident *r = &w->r;
  const struct csv_field *nf = f[C_NIK];
  struct nik_info nik;
  enum nik_error ne;
  if (nf->len == 0) {
    issue(im, w, C_NIK, I_REQUIRED, nf);
  } else if ((ne = nik_parse(nf->p, nf->len, &im->today, &nik)) != NIK_OK) {
    w->errors++;
    add_issue(im, w->line, w->number, "nik", nik_error_code(ne), nik_error_message_id(ne),
              nik_error_message_en(ne), nf->p, nf->len, 0);
  } else {
    r->nik = nf->p;
    char nik_text[17];
    int erased = 0;
    dtsen_copy_cut(nik_text, sizeof nik_text, nf->p, nf->len);
    if (im->check_erased && store_nik_erased(im->store, nik_text, &erased) != STORE_OK)
      im->store_failed = 1;
    if (erased) {
      /* refused, never re-created: nothing more is checked or reported of
       * the row, and the issue does not repeat the NIK */
      w->erased = 1;
      issue(im, w, C_NIK, I_NIK_ERASED, NULL);
      return 1;
    }
    int64_t first = nik_seen_add(&im->niks, strtoull(nf->p, NULL, 10), w->line);
    if (first < 0) {
      im->nomem = 1;
    } else if (first > 0) {
      char other[32];
      int n = snprintf(other, sizeof other, "line %lld", (long long)first);
      w->errors++;
      add_issue(im, w->line, w->number, "nik", issue_texts[I_NIK_DUPLICATE].code,
                issue_texts[I_NIK_DUPLICATE].id, issue_texts[I_NIK_DUPLICATE].en, other,
                n > 0 ? (size_t)n : 0, 0);
    }
    if (birth_ok && sex >= 0) {
      unsigned m = nik_check_record(&nik, birth, w->sex[0]);
      if (m & NIK_MISMATCH_DATE)
        issue(im, w, C_NIK, I_NIK_DATE_MISMATCH, nf);
      if (m & NIK_MISMATCH_SEX)
        issue(im, w, C_NIK, I_NIK_SEX_MISMATCH, nf);
      snprintf(w->nik_flag, sizeof w->nik_flag, "%s%s%s",
               m & NIK_MISMATCH_DATE ? "birth_date_mismatch" : "",
               m == (NIK_MISMATCH_DATE | NIK_MISMATCH_SEX) ? ";" : "",
               m & NIK_MISMATCH_SEX ? "sex_mismatch" : "");
      r->nik_flag = m ? w->nik_flag : NULL;
    }
  }

  return 0;
}

/* Every column after the NIK and before the verification date. */
static void check_fields(struct import *im, struct row *w, const struct csv_field *const *f) {
  struct store_resident *r = &w->r;
  r->name = check_text(im, w, C_NAME, f[C_NAME], 1, MAX_NAME);
  check_enum(im, w, C_RELIGION, f[C_RELIGION], vocab_religions, 0);
  r->religion = opt(f[C_RELIGION]);
  check_enum(im, w, C_MARITAL, f[C_MARITAL], vocab_marital_statuses, 0);
  r->marital_status = opt(f[C_MARITAL]);

  r->kelurahan_id = -1;
  if (f[C_KELURAHAN]->len == 0) {
    issue(im, w, C_KELURAHAN, I_REQUIRED, f[C_KELURAHAN]);
  } else if (lookup_code(im->store, &im->codes, STORE_T_KELURAHAN, f[C_KELURAHAN]->p,
                         &r->kelurahan_id) != STORE_OK) {
    im->store_failed = 1;
  } else if (r->kelurahan_id < 0) {
    issue(im, w, C_KELURAHAN, I_KELURAHAN_UNKNOWN, f[C_KELURAHAN]);
  }

  r->address = check_text(im, w, C_ADDRESS, f[C_ADDRESS], 0, MAX_ADDRESS);
  r->phone = opt(f[C_PHONE]);
  if (f[C_PHONE]->len && !check_phone(f[C_PHONE]))
    issue(im, w, C_PHONE, I_PHONE, f[C_PHONE]);

  int edu = check_enum(im, w, C_EDUCATION, f[C_EDUCATION], vocab_educations, 0);
  r->education = opt(f[C_EDUCATION]);
  int major = check_enum(im, w, C_SMK_VOCATION, f[C_SMK_VOCATION], vocab_vocations, 0);
  r->smk_vocation = opt(f[C_SMK_VOCATION]);
  if (major >= 0 && edu >= 0 && edu < 4 /* none sd smp sma */)
    issue(im, w, C_SMK_VOCATION, I_SMK_EDUCATION, f[C_SMK_VOCATION]);

  r->desil = check_int(im, w, C_DESIL, f[C_DESIL], 1, 1, 10, I_DESIL_RANGE);
  int work = check_enum(im, w, C_WORK, f[C_WORK], vocab_work_statuses, 0);
  r->work_status = opt(f[C_WORK]);
  check_enum(im, w, C_SCHOOL, f[C_SCHOOL], vocab_school_statuses, 0);
  r->school_status = opt(f[C_SCHOOL]);
  r->months_without_work = check_int(im, w, C_MONTHS, f[C_MONTHS], 0, 0, 600, I_MONTHS_RANGE);
  if (work == 0 && r->months_without_work > 0)
    issue(im, w, C_MONTHS, I_MONTHS_WORKING, f[C_MONTHS]);
  r->dependants = check_int(im, w, C_DEPENDANTS, f[C_DEPENDANTS], 0, 0, 30, I_DEPENDANTS_RANGE);
  check_enum(im, w, C_DISABILITY, f[C_DISABILITY], vocab_disabilities, 0);
  r->disability = opt(f[C_DISABILITY]);
  check_enum_list(im, w, C_SHIFTS, f[C_SHIFTS], vocab_shifts);
  r->shifts = opt(f[C_SHIFTS]);
  check_enum_list(im, w, C_PREFERRED, f[C_PREFERRED], vocab_vocations);
  r->preferred_vocations = opt(f[C_PREFERRED]);
  check_skills(im, w, f[C_SKILLS]);
}

/* The verification date: real, not in the future, not before birth. */
static void check_verified(struct import *im, struct row *w, const struct csv_field *const *f,
                           const struct date_ymd *birth, int birth_ok) {
  struct store_resident *r = &w->r;
  const struct csv_field *vf = f[C_VERIFIED_AT];
  struct date_ymd verified;
  if (vf->len == 0) {
    r->verified_at = NULL;
  } else if (date_parse(vf->p, vf->len, &verified) != 0) {
    issue(im, w, C_VERIFIED_AT, I_DATE_FORMAT, vf);
  } else if (date_to_days(&verified) > date_to_days(&im->today)) {
    issue(im, w, C_VERIFIED_AT, I_DATE_FUTURE, vf);
  } else if (birth_ok && date_to_days(&verified) < date_to_days(birth)) {
    issue(im, w, C_VERIFIED_AT, I_VERIFIED_BEFORE_BIRTH, vf);
  } else {
    r->verified_at = vf->p;
  }
}

static int parse_row(struct import *im, const struct csv_reader *rd, struct row *w) {
  const struct csv_field *f[DTSEN_N_COLUMNS];
  struct store_resident *r = &w->r;
  memset(r, 0, sizeof *r);
  w->errors = w->warnings = 0;
  w->erased = 0;
  w->nik_flag[0] = '\0';
  if (rd->nfields != im->header_fields) {
    char got[32];
    int n = snprintf(got, sizeof got, "%zu fields", rd->nfields);
    add_issue(im, w->line, w->number, "", issue_texts[I_FIELD_COUNT].code,
              issue_texts[I_FIELD_COUNT].id, issue_texts[I_FIELD_COUNT].en, got,
              n > 0 ? (size_t)n : 0, 0);
    return ++w->errors;
  }
  for (size_t c = 0; c < DTSEN_N_COLUMNS; c++)
    f[c] = &rd->fields[im->col[c]];

  /* sex and birth date first: the NIK is checked against them */
  int sex = check_enum(im, w, C_SEX, f[C_SEX], (const char *const[]){"L", "P", NULL}, 1);
  if (sex >= 0) {
    w->sex[0] = sex == 0 ? 'L' : 'P';
    w->sex[1] = '\0';
    r->sex = w->sex;
  }
  struct date_ymd birth;
  int birth_ok = check_birth(im, w, f, &birth);

  if (check_nik_column(im, w, f, &birth, birth_ok, sex))
    return w->errors;
  check_fields(im, w, f);
  check_verified(im, w, f, &birth, birth_ok);

  r->synthetic =
      check_enum(im, w, C_SYNTHETIC, f[C_SYNTHETIC], (const char *const[]){"0", "1", NULL}, 1);
  return w->errors;
}

/* ---- Header ------------------------------------------------------------------------ */

static int read_header(struct import *im, const struct csv_reader *rd) {
  int errors = 0;
  for (size_t c = 0; c < DTSEN_N_COLUMNS; c++)
    im->col[c] = -1;
  im->header_fields = rd->nfields;
  for (size_t i = 0; i < rd->nfields; i++) {
    const struct csv_field *f = &rd->fields[i];
    int c = vocab_index(dtsen_columns, f->p, f->len);
    enum issue code;
    if (c < 0)
      code = I_HEADER_UNKNOWN;
    else if (im->col[c] >= 0)
      code = I_HEADER_DUPLICATE;
    else {
      im->col[c] = (int)i;
      continue;
    }
    errors++;
    add_issue(im, rd->line, 0, f->p, issue_texts[code].code, issue_texts[code].id,
              issue_texts[code].en, f->p, f->len, 0);
  }
  for (size_t c = 0; c < DTSEN_N_COLUMNS; c++) {
    if (im->col[c] >= 0)
      continue;
    errors++;
    add_issue(im, rd->line, 0, dtsen_columns[c], issue_texts[I_HEADER_MISSING].code,
              issue_texts[I_HEADER_MISSING].id, issue_texts[I_HEADER_MISSING].en, NULL, 0, 0);
  }
  return errors;
}

static void file_issue(struct import *im, size_t line, enum issue code) {
  add_issue(im, line, 0, "", issue_texts[code].code, issue_texts[code].id, issue_texts[code].en,
            NULL, 0, 0);
}

/* Today in Kota Tangerang (WIB, UTC+7), or o->today. */
static int resolve_today(const struct dtsen_options *o, struct date_ymd *today) {
  if (o != NULL && o->today != NULL)
    return date_parse(o->today, strlen(o->today), today);
  date_from_days(date_wib_day(time(NULL)), today);
  return 0;
}

/* ---- Two threads: one reads and checks, one writes -------------------------------- */

/* A bulk import into a table that held no one (the common first load of a
 * city, a million rows and more) runs on two threads: this one parses and
 * validates every row, as above, and hands the valid rows in batches to a
 * writer thread that owns the store connection meanwhile.  The machine has
 * two cores and the checks are about a sixth of the work.  Everything that
 * decides what the report says stays on the reading thread in file order,
 * so the report is the one a single thread makes; the writer only counts.
 * Only into an empty table: there every written record is new, so a write
 * adds no issue (no correction to keep), and the codes of kelurahan and
 * skills are all read before (the reader then never needs the store). */
#define PIPE_MIN_LINES 2048 /* below this a thread costs more than it saves */
#define BATCH_ROWS 256
#define BATCH_TEXT (128 * 1024)

struct batch {
  size_t n, used, cap;
  char *text; /* the rows' strings; grows only while the batch is empty */
  struct row rows[BATCH_ROWS];
};

struct pipe {
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  struct batch slot[2];
  int full[2]; /* handed to the writer, not yet written */
  int fill;    /* the slot the reader fills */
  int closing; /* no more batches will come */
  atomic_int failed;
  struct store *store;
  const char *extract_date, *now;
  size_t written[3]; /* by enum store_upsert */
};

/* The string fields of r, to copy. */
#define ROW_TEXTS(r)                                                                               \
  {                                                                                                \
    &(r)->nik, &(r)->name, &(r)->birth_date, &(r)->religion, &(r)->marital_status, &(r)->address,  \
        &(r)->phone, &(r)->education, &(r)->smk_vocation, &(r)->work_status, &(r)->school_status,  \
        &(r)->disability, &(r)->shifts, &(r)->preferred_vocations, &(r)->verified_at               \
  }

/* Copies w into b; 1 when b has no room left for it (hand b over first),
 * -1 out of memory. */
static int batch_add(struct batch *b, const struct row *w) {
  const char *const *in[] = ROW_TEXTS(&w->r);
  size_t need = 0, n = sizeof in / sizeof in[0];
  for (size_t i = 0; i < n; i++)
    need += *in[i] != NULL ? strlen(*in[i]) + 1 : 0;
  if (b->cap - b->used < need) {
    if (b->n > 0)
      return 1;
    char *text = realloc(b->text, need > BATCH_TEXT ? need : BATCH_TEXT);
    if (text == NULL)
      return -1;
    b->text = text;
    b->cap = need > BATCH_TEXT ? need : BATCH_TEXT;
  }
  struct row *c = &b->rows[b->n++];
  memcpy(c, w, offsetof(struct row, skill_ids));
  memcpy(c->skill_ids, w->skill_ids, w->r.n_skills * sizeof w->skill_ids[0]);
  memcpy(c->skill_certified, w->skill_certified, w->r.n_skills);
  const char **out[] = ROW_TEXTS(&c->r);
  for (size_t i = 0; i < n; i++) {
    if (*in[i] == NULL)
      continue;
    size_t len = strlen(*in[i]) + 1;
    memcpy(b->text + b->used, *in[i], len);
    *out[i] = b->text + b->used;
    b->used += len;
  }
  c->r.sex = w->r.sex != NULL ? c->sex : NULL;
  c->r.nik_flag = w->r.nik_flag != NULL ? c->nik_flag : NULL;
  c->r.skill_ids = c->skill_ids;
  c->r.skill_certified = c->skill_certified;
  return 0;
}

/* Writes one batch; a failure stops every later write. */
static void pipe_write(struct pipe *p, struct batch *b) {
  for (size_t i = 0; i < b->n && !atomic_load(&p->failed); i++) {
    int64_t id;
    enum store_upsert what;
    struct store_import_note note;
    int rc =
        store_resident_import(p->store, &b->rows[i].r, p->extract_date, p->now, &id, &what, &note);
    /* a kept correction would be an issue, which only the reader adds:
     * it cannot happen into a table that held no one */
    if (rc != STORE_OK || note.conflicts > 0)
      atomic_store(&p->failed, 1);
    else
      p->written[what]++;
  }
}

static void *pipe_writer(void *arg) {
  struct pipe *p = arg;
  for (int k = 0;; k ^= 1) {
    pthread_mutex_lock(&p->mu);
    while (!p->full[k] && !p->closing)
      pthread_cond_wait(&p->cv, &p->mu);
    int got = p->full[k];
    pthread_mutex_unlock(&p->mu);
    if (!got)
      return NULL; /* closing, and the batches come in turn: none is left */
    pipe_write(p, &p->slot[k]);
    pthread_mutex_lock(&p->mu);
    p->slot[k].n = p->slot[k].used = 0;
    p->full[k] = 0;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
  }
}

/* Hands the filled slot to the writer and waits for the other to be free. */
static void pipe_send(struct pipe *p) {
  pthread_mutex_lock(&p->mu);
  p->full[p->fill] = 1;
  pthread_cond_broadcast(&p->cv);
  p->fill ^= 1;
  while (p->full[p->fill])
    pthread_cond_wait(&p->cv, &p->mu);
  pthread_mutex_unlock(&p->mu);
}

/* Queues a valid row for the writer; a STORE_* code. */
static int pipe_row(struct pipe *p, const struct row *w) {
  int rc = batch_add(&p->slot[p->fill], w);
  if (rc == 0 && p->slot[p->fill].n == BATCH_ROWS)
    pipe_send(p);
  if (rc == 1) {
    pipe_send(p);
    rc = batch_add(&p->slot[p->fill], w);
  }
  return rc == 0 ? STORE_OK : STORE_ENOMEM;
}

struct preload {
  struct code_cache *codes;
  int table;
};

static int preload_code(void *arg, const char *code, int64_t id) {
  struct preload *pl = arg;
  return code == NULL ? -1 : cache_put(pl->codes, pl->table, code, id);
}

/* Every kelurahan and skill code into im->codes; 0, or -1 when they do not
 * all fit (then the import stays on one thread). */
static int preload_codes(struct import *im) {
  struct preload kel = {&im->codes, STORE_T_KELURAHAN}, sk = {&im->codes, STORE_T_SKILLS};
  if (store_import_codes(im->store, STORE_T_KELURAHAN, preload_code, &kel) != STORE_OK ||
      store_import_codes(im->store, STORE_T_SKILLS, preload_code, &sk) != STORE_OK)
    return -1;
  im->codes.complete = 1;
  return 0;
}

/* Starts the writer when the import qualifies (see above); im->pipe stays
 * NULL otherwise, and on any failure to start. */
static void pipe_start(struct import *im, int64_t lines) {
  if (lines < PIPE_MIN_LINES || im->check_erased || !store_import_fresh(im->store) ||
      preload_codes(im) != 0)
    return;
  struct pipe *p = calloc(1, sizeof *p);
  if (p == NULL)
    return;
  p->store = im->store;
  p->extract_date = im->extract_date;
  p->now = im->now;
  atomic_init(&p->failed, 0);
  if (pthread_mutex_init(&p->mu, NULL) != 0) {
    free(p);
    return;
  }
  if (pthread_cond_init(&p->cv, NULL) != 0 ||
      pthread_create(&p->thread, NULL, pipe_writer, p) != 0) {
    pthread_cond_destroy(&p->cv); /* harmless on a condition never made */
    pthread_mutex_destroy(&p->mu);
    free(p);
    return;
  }
  im->pipe = p;
}

/* Hands over the last rows, waits for the writer and adds its counts. */
static void pipe_finish(struct import *im) {
  struct pipe *p = im->pipe;
  if (p == NULL)
    return;
  pthread_mutex_lock(&p->mu);
  if (p->slot[p->fill].n > 0)
    p->full[p->fill] = 1;
  p->closing = 1;
  pthread_cond_broadcast(&p->cv);
  pthread_mutex_unlock(&p->mu);
  pthread_join(p->thread, NULL);
  if (atomic_load(&p->failed))
    im->store_failed = 1;
  im->rep->new_rows += p->written[STORE_NEW];
  im->rep->updated += p->written[STORE_UPDATED];
  im->rep->unchanged += p->written[STORE_UNCHANGED];
  for (int k = 0; k < 2; k++)
    free(p->slot[k].text);
  pthread_cond_destroy(&p->cv);
  pthread_mutex_destroy(&p->mu);
  free(p);
  im->pipe = NULL;
}

/* Writes one valid row; a STORE_* code. */
static int write_row(struct import *im, const struct row *w) {
  struct dtsen_report *rep = im->rep;
  int64_t id;
  enum store_upsert what;
  struct store_import_note note;
  int rc = store_resident_import(im->store, &w->r, im->extract_date, im->now, &id, &what, &note);
  if (rc != STORE_OK)
    return rc;
  if (note.conflicts > 0) {
    rep->kept += note.conflicts;
    im->kept_issues++;
    const struct issue_text *t = &issue_texts[I_CORRECTED_AFTER];
    add_issue(im, w->line, w->number, "", t->code, t->id, t->en, note.fields, strlen(note.fields),
              1);
  }
  rep->new_rows += what == STORE_NEW;
  rep->updated += what == STORE_UPDATED;
  rep->unchanged += what == STORE_UNCHANGED;
  return STORE_OK;
}

/* Every row, every field; each valid row written while no error has been
 * seen.  Returns 0 when the file has no error and every write succeeded. */
static int import_rows(struct import *im, const char *data, size_t len) {
  struct dtsen_report *rep = im->rep;
  struct csv_reader rd;
  csv_reader_init(&rd, data, len);
  int st = csv_next(&rd);
  if (st == CSV_END) {
    file_issue(im, 1, I_FILE_EMPTY);
  } else if (st < 0) {
    im->nomem |= st == CSV_ERR_NOMEM;
    file_issue(im, rd.next_line, I_CSV_MALFORMED);
  } else if (read_header(im, &rd) == 0) {
    struct row w;
    while (!im->store_failed && !im->nomem && !(im->pipe && atomic_load(&im->pipe->failed)) &&
           (st = csv_next(&rd)) == CSV_RECORD) {
      w.line = rd.line;
      w.number = ++rep->rows;
      if (parse_row(im, &rd, &w) > 0) {
        rep->error_rows++;
        continue;
      }
      if (w.erased) {
        rep->erased++;
        continue;
      }
      rep->flagged += w.warnings > 0;
      if (rep->errors > 0 || im->store_failed)
        continue;
      int rc = im->pipe != NULL ? pipe_row(im->pipe, &w) : write_row(im, &w);
      im->nomem |= rc == STORE_ENOMEM && im->pipe != NULL;
      im->store_failed |= rc != STORE_OK && !im->nomem;
    }
    if (st < 0) {
      im->nomem |= st == CSV_ERR_NOMEM;
      file_issue(im, rd.next_line, I_CSV_MALFORMED);
    }
  }
  csv_reader_free(&rd);
  return rep->errors > 0 || im->store_failed || im->nomem ? -1 : 0;
}

/* Nothing was written after all: the upsert counts go, and so do the
 * corrections the writes would have kept (the issues keep file order). */
static void withdraw_writes(struct import *im) {
  struct dtsen_report *rep = im->rep;
  rep->new_rows = rep->updated = rep->unchanged = rep->kept = 0;
  if (im->kept_issues == 0)
    return;
  rep->warnings -= im->kept_issues;
  size_t n = 0;
  for (size_t i = 0; i < rep->n_issues; i++)
    if (strcmp(rep->issues[i].code, issue_texts[I_CORRECTED_AFTER].code) != 0)
      rep->issues[n++] = rep->issues[i];
  rep->n_issues = n;
}

/* The lines in data: at least its number of records. */
static int64_t line_count(const char *data, size_t len) {
  int64_t n = 1;
  for (const char *p = data, *end = data + len; (p = memchr(p, '\n', (size_t)(end - p))) != NULL;
       p++)
    n++;
  return n;
}

/* The options into im and rep; 0, or -1 when a date in them is bad. */
static int import_setup(struct import *im, struct store *s, const struct dtsen_options *o,
                        struct dtsen_report *rep) {
  memset(rep, 0, sizeof *rep);
  memset(im, 0, sizeof *im);
  rep->dry_run = o != NULL && o->dry_run;
  im->store = s;
  im->rep = rep;
  im->max_issues = o != NULL && o->max_issues ? o->max_issues : DTSEN_MAX_ISSUES;
  im->extract_date = o != NULL ? o->extract_date : NULL;
  store_now_iso(im->now);
  struct date_ymd ed;
  if ((im->extract_date != NULL &&
       date_parse(im->extract_date, strlen(im->extract_date), &ed) != 0) ||
      resolve_today(o, &im->today) != 0) {
    rep->status = DTSEN_EINVALID;
    file_issue(im, 0, I_DATE_FORMAT);
    return -1;
  }
  return 0;
}

enum dtsen_result dtsen_import(struct store *s, const char *data, size_t len,
                               const struct dtsen_options *o, struct dtsen_report *rep) {
  struct import im;
  if (import_setup(&im, s, o, rep) != 0)
    return rep->status;
  int64_t erased = 0;
  int64_t lines = line_count(data, len);
  if (store_import_begin(s, lines) != STORE_OK) {
    im.store_failed = 1;
  } else if (store_erased_count(s, &erased) != STORE_OK) {
    im.store_failed = 1;
    store_import_end(s, 0);
  } else {
    im.check_erased = erased > 0;
    pipe_start(&im, lines);
    int ok = import_rows(&im, data, len) == 0;
    pipe_finish(&im); /* the writer's failure, if any, is known from here on */
    ok = ok && !im.store_failed;
    int commit = ok && !rep->dry_run && rep->rows > 0;
    if (store_import_end(s, commit) != STORE_OK && commit)
      im.store_failed = 1;
    rep->committed = commit && !im.store_failed;
  }
  rep->status = im.nomem          ? DTSEN_ENOMEM
                : im.store_failed ? DTSEN_ESTORE
                : rep->errors > 0 ? DTSEN_EINVALID
                                  : DTSEN_OK;
  if (rep->status != DTSEN_OK)
    withdraw_writes(&im);
  if (rep->status == DTSEN_ESTORE)
    file_issue(&im, 0, I_STORE);
  else if (rep->status == DTSEN_ENOMEM)
    file_issue(&im, 0, I_NOMEM);
  free(im.niks.slots);
  code_cache_free(&im.codes);
  return rep->status;
}

void dtsen_report_free(struct dtsen_report *rep) {
  if (rep == NULL)
    return;
  free(rep->issues);
  rep->issues = NULL;
  rep->n_issues = rep->issues_cap = 0;
}

/* ---- Report ------------------------------------------------------------------------- */

static const char *status_name(enum dtsen_result r) {
  switch (r) {
  case DTSEN_OK:
    return "ok";
  case DTSEN_EINVALID:
    return "invalid";
  case DTSEN_ESTORE:
    return "store_error";
  case DTSEN_ENOMEM:
    return "out_of_memory";
  }
  return "unknown";
}

struct json_t *dtsen_issues_json(const struct dtsen_issue *issues, size_t n) {
  json_t *arr = json_array();
  for (size_t i = 0; arr != NULL && i < n; i++) {
    const struct dtsen_issue *is = &issues[i];
    json_t *o =
        json_pack("{s:I, s:I, s:s, s:s, s:s, s:s?, s:s, s:s}", "line", (json_int_t)is->line, "row",
                  (json_int_t)is->row, "column", is->column, "code", is->code, "severity",
                  is->warning ? "warning" : "error", "value", is->value[0] ? is->value : NULL,
                  "message_id", is->message_id, "message_en", is->message_en);
    if (o == NULL || json_array_append_new(arr, o) != 0) {
      json_decref(arr);
      arr = NULL;
    }
  }
  return arr;
}

int dtsen_json_print(FILE *f, struct json_t *j) {
  int rc = -1;
  if (j != NULL && json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 &&
      fputc('\n', f) != EOF)
    rc = 0;
  json_decref(j);
  return rc;
}

struct json_t *dtsen_report_json(const struct dtsen_report *rep) {
  json_t *issues = dtsen_issues_json(rep->issues, rep->n_issues);
  if (issues == NULL)
    return NULL;
  return json_pack("{s:s, s:b, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:o}",
                   "status", status_name(rep->status), "dry_run", rep->dry_run, "committed",
                   rep->committed, "rows", (json_int_t)rep->rows, "new", (json_int_t)rep->new_rows,
                   "updated", (json_int_t)rep->updated, "unchanged", (json_int_t)rep->unchanged,
                   "erased", (json_int_t)rep->erased, "kept_corrections", (json_int_t)rep->kept,
                   "flagged", (json_int_t)rep->flagged, "error_rows", (json_int_t)rep->error_rows,
                   "errors", (json_int_t)rep->errors, "warnings", (json_int_t)rep->warnings,
                   "issues_truncated", rep->n_issues < rep->errors + rep->warnings, "issues",
                   issues);
}

int dtsen_report_print(FILE *f, const struct dtsen_report *rep) {
  return dtsen_json_print(f, dtsen_report_json(rep));
}
