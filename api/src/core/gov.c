/*
 * gov.c — DTSEN data governance (see gov.h and docs/GOVERNANCE.md):
 * verification and corrections of a resident's record, the all-or-nothing
 * import of other offices' interventions, the inclusion- and exclusion-error
 * reports, and a resident's export and erasure.  Validation follows the
 * DTSEN extract's rules (docs/DTSEN-FORMAT.md) with the same issue codes, so
 * a desk's correction is held to what an import would accept.
 */
#include "gov.h"

#include "csv.h"
#include "dates.h"
#include "dtsen.h"
#include "issues.h"
#include "nik.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- Issue codes ------------------------------------------------------------------------ */

/* The issue codes and their texts are issues.h's, shared with dtsen.c (the DTSEN import). */

#define MAX_NAME 100
#define MAX_ADDRESS 200
#define MAX_NOTE 1000
#define MAX_OFFICE 100
#define MAX_REF 64
#define MAX_LIST 64

/* ---- Reports ------------------------------------------------------------------------------ */

/* Counts the issue and keeps it while the list has room; a failed growth
 * only shortens the list (the counts stay right). */
static void add_issue(struct gov_report *rep, size_t line, size_t row, const char *column,
                      const char *code, const char *msg_id, const char *msg_en, const char *value,
                      size_t value_len, int warning) {
  if (warning)
    rep->warnings++;
  else
    rep->errors++;
  struct dtsen_issue is;
  dtsen_issue_fill(&is, line, row, column, code, msg_id, msg_en, value, value_len, warning);
  dtsen_issue_push(&rep->issues, &rep->n_issues, &rep->issues_cap, GOV_MAX_ISSUES, &is);
}

/* An issue about one field of a record (no file). */
static void field_issue(struct gov_report *rep, const char *field, enum issue code,
                        const char *value) {
  const struct issue_text *t = &issue_texts[code];
  int warning = code == I_NIK_DATE_MISMATCH || code == I_NIK_SEX_MISMATCH || code == I_CHECKPOINT;
  add_issue(rep, 0, 0, field, t->code, t->id, t->en, value, value ? strlen(value) : 0, warning);
}

static void report_init(struct gov_report *rep) {
  memset(rep, 0, sizeof *rep);
}

void gov_report_free(struct gov_report *rep) {
  if (rep == NULL)
    return;
  free(rep->issues);
  rep->issues = NULL;
  rep->n_issues = rep->issues_cap = 0;
}

static const char *status_name(enum gov_result r) {
  switch (r) {
  case GOV_OK:
    return "ok";
  case GOV_EINVALID:
    return "invalid";
  case GOV_ENOTFOUND:
    return "not_found";
  case GOV_EREFUSED:
    return "refused";
  case GOV_ESTORE:
    return "store_error";
  case GOV_ENOMEM:
    return "out_of_memory";
  case GOV_EFULL:
    return "storage_full";
  }
  return "unknown";
}

struct json_t *gov_report_json(const struct gov_report *rep) {
  json_t *issues = dtsen_issues_json(rep->issues, rep->n_issues);
  if (issues == NULL)
    return NULL;
  return json_pack("{s:s, s:b, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:o}", "status",
                   status_name(rep->status), "dry_run", rep->dry_run, "committed", rep->committed,
                   "rows", (json_int_t)rep->rows, "new", (json_int_t)rep->new_rows, "updated",
                   (json_int_t)rep->updated, "unchanged", (json_int_t)rep->unchanged, "error_rows",
                   (json_int_t)rep->error_rows, "errors", (json_int_t)rep->errors, "warnings",
                   (json_int_t)rep->warnings, "issues_truncated",
                   rep->n_issues < rep->errors + rep->warnings, "issues", issues);
}

int gov_report_print(FILE *f, const struct gov_report *rep) {
  return dtsen_json_print(f, gov_report_json(rep));
}

/* ---- Small helpers ------------------------------------------------------------------------- */

void gov_today(char out[11]) {
  date_wib_iso(time(NULL), out);
}

static int gov_rc(int store_rc) {
  switch (store_rc) {
  case STORE_OK:
    return GOV_OK;
  case STORE_ENOTFOUND:
    return GOV_ENOTFOUND;
  case STORE_ENOMEM:
    return GOV_ENOMEM;
  case STORE_EFULL:
    return GOV_EFULL;
  default:
    return GOV_ESTORE;
  }
}

static int audit(struct store *s, const struct gov_actor *by, const char *action,
                 int64_t resident_id, const char *purpose, const char *detail) {
  struct store_audit a = {
      .user_id = by != NULL ? by->user_id : -1,
      .username = by != NULL && by->username != NULL ? by->username : "cli",
      .role = by != NULL && by->role != NULL ? by->role : "cli",
      .action = action,
      .route = by != NULL && by->route != NULL ? by->route : "cli",
      .purpose = purpose,
      .detail = detail,
      .resident_id = resident_id,
  };
  return store_audit_add(s, &a);
}

static int64_t actor_id(const struct gov_actor *by) {
  return by != NULL ? by->user_id : -1;
}

/* GOV_OK when resident id exists, is not erased and is within by's
 * kelurahan. */
static int in_scope(struct store *s, const struct gov_actor *by, int64_t id) {
  int64_t kelurahan = -1;
  int erased = 0;
  int rc = store_gov_resident_scope(s, id, &kelurahan, &erased);
  if (rc != STORE_OK)
    return gov_rc(rc);
  if (erased || (by != NULL && by->kelurahan_id >= 0 && kelurahan != by->kelurahan_id))
    return GOV_ENOTFOUND;
  return GOV_OK;
}

/* A free-text argument such as a reason or a note: optional or required,
 * one line, at most max bytes.  Returns 1 when acceptable. */
static int check_free_text(struct gov_report *rep, const char *field, const char *v, int required,
                           size_t max) {
  if (v == NULL || *v == '\0') {
    if (required)
      field_issue(rep, field, strcmp(field, "reason") == 0 ? I_REASON_REQUIRED : I_REQUIRED, NULL);
    return !required;
  }
  size_t len = strlen(v);
  if (len > max) {
    field_issue(rep, field, I_TOO_LONG, v);
    return 0;
  }
  if (!dtsen_text_ok(v, len)) {
    field_issue(rep, field, I_TEXT, NULL);
    return 0;
  }
  return 1;
}

static int64_t date_days(const char *s) {
  struct nik_date d;
  if (s == NULL || nik_date_parse(s, strlen(s), &d) != 0)
    return INT64_MIN;
  return nik_date_to_days(&d);
}

/* Ends a call: records status in the report and returns it. */
static int finish(struct gov_report *rep, int status) {
  rep->status = (enum gov_result)status;
  return status;
}

/* ---- Verification ---------------------------------------------------------------------------- */

int gov_verify(struct store *s, int64_t resident_id, const struct gov_actor *by, const char *date,
               const char *note, struct gov_report *rep) {
  report_init(rep);
  rep->rows = 1;
  char today[11];
  gov_today(today);
  const char *day = date != NULL && *date != '\0' ? date : today;
  int64_t d = date_days(day);
  if (d == INT64_MIN)
    field_issue(rep, "date", I_DATE_FORMAT, day);
  else if (d > date_days(today))
    field_issue(rep, "date", I_DATE_FUTURE, day);
  check_free_text(rep, "note", note, 0, MAX_NOTE);
  if (rep->errors > 0)
    return finish(rep, GOV_EINVALID);

  if (store_begin(s) != STORE_OK)
    return finish(rep, GOV_ESTORE);
  struct store_gov_resident *cur = malloc(sizeof *cur);
  int status = cur == NULL ? GOV_ENOMEM : in_scope(s, by, resident_id);
  if (status != GOV_OK)
    goto rollback;
  status = gov_rc(store_gov_resident_read(s, resident_id, cur));
  if (status != GOV_OK)
    goto rollback;
  int64_t born = date_days(cur->birth_date);
  if (born != INT64_MIN && d < born) {
    field_issue(rep, "date", I_VERIFIED_BEFORE_BIRTH, day);
    status = GOV_EINVALID;
    goto rollback;
  }
  char detail[64];
  snprintf(detail, sizeof detail, "verified_at %s", day);
  int rc = store_gov_verify(s, resident_id, day, actor_id(by), note);
  if (rc == STORE_OK)
    rc = store_gov_history_add(s, resident_id, actor_id(by), "verified_at",
                               cur->verified_at[0] ? cur->verified_at : NULL, day, note);
  if (rc == STORE_OK)
    rc = audit(s, by, "verify_resident", resident_id, NULL, detail);
  if (rc == STORE_OK)
    rc = store_commit(s);
  status = gov_rc(rc);
  if (status != GOV_OK)
    goto rollback;
  rep->updated = 1;
  rep->committed = 1;
  free(cur);
  return finish(rep, GOV_OK);

rollback:
  store_rollback(s);
  free(cur);
  return finish(rep, status);
}

int gov_needing_verification(struct store *s, const struct gov_actor *by, int64_t kelurahan_id,
                             const char *today, int validity_days,
                             int (*fn)(void *arg, const struct store_gov_unverified *r),
                             void *arg) {
  char day[11];
  if (today == NULL)
    gov_today(day);
  else
    snprintf(day, sizeof day, "%s", today);
  int rc = store_gov_unverified_each(s, kelurahan_id, day, validity_days, fn, arg);
  if (rc == STORE_OK && by != NULL) {
    char detail[96];
    snprintf(detail, sizeof detail, "kelurahan %lld, validity %d days, on %s",
             (long long)kelurahan_id, validity_days, day);
    rc = audit(s, by, "report_verification", -1, NULL, detail);
  }
  return rc < 0 ? gov_rc(rc) : rc;
}

/* ---- Corrections --------------------------------------------------------------------------------
 */

enum ftype { T_NIK, T_TEXT, T_DATE, T_ENUM, T_KELURAHAN, T_PHONE, T_INT, T_LIST, T_SKILLS };

static const char *const sexes[] = {"L", "P", NULL};

/* A correctable field: where it lives in struct store_gov_resident and how
 * its value is checked. */
struct field {
  const char *name;
  enum ftype type;
  int required;
  size_t offset, cap; /* a char array; cap 0: an int */
  const char *const *list;
  int lo, hi; /* T_INT range; T_TEXT: hi is the byte limit */
  enum issue range;
};

#define MEMBER(m)                                                                                  \
  offsetof(struct store_gov_resident, m), sizeof(((struct store_gov_resident *)0)->m)
#define INT_MEMBER(m) offsetof(struct store_gov_resident, m), 0

static const struct field fields[] = {
    {"nik", T_NIK, 1, MEMBER(nik), NULL, 0, 0, I_REQUIRED},
    {"name", T_TEXT, 1, MEMBER(name), NULL, 0, MAX_NAME, I_REQUIRED},
    {"sex", T_ENUM, 1, MEMBER(sex), sexes, 0, 0, I_REQUIRED},
    {"birth_date", T_DATE, 1, MEMBER(birth_date), NULL, 0, 0, I_REQUIRED},
    {"religion", T_ENUM, 0, MEMBER(religion), dtsen_religions, 0, 0, I_REQUIRED},
    {"marital_status", T_ENUM, 0, MEMBER(marital_status), dtsen_marital_statuses, 0, 0, I_REQUIRED},
    {"kelurahan_code", T_KELURAHAN, 1, MEMBER(kelurahan_code), NULL, 0, 0, I_REQUIRED},
    {"address", T_TEXT, 0, MEMBER(address), NULL, 0, MAX_ADDRESS, I_REQUIRED},
    {"phone", T_PHONE, 0, MEMBER(phone), NULL, 0, 0, I_REQUIRED},
    {"education", T_ENUM, 0, MEMBER(education), dtsen_educations, 0, 0, I_REQUIRED},
    {"smk_vocation", T_ENUM, 0, MEMBER(smk_vocation), dtsen_vocations, 0, 0, I_REQUIRED},
    {"desil", T_INT, 1, INT_MEMBER(desil), NULL, 1, 10, I_DESIL_RANGE},
    {"work_status", T_ENUM, 0, MEMBER(work_status), dtsen_work_statuses, 0, 0, I_REQUIRED},
    {"school_status", T_ENUM, 0, MEMBER(school_status), dtsen_school_statuses, 0, 0, I_REQUIRED},
    {"months_without_work", T_INT, 0, INT_MEMBER(months_without_work), NULL, 0, 600,
     I_MONTHS_RANGE},
    {"dependants", T_INT, 0, INT_MEMBER(dependants), NULL, 0, 30, I_DEPENDANTS_RANGE},
    {"disability", T_ENUM, 0, MEMBER(disability), dtsen_disabilities, 0, 0, I_REQUIRED},
    {"shifts", T_LIST, 0, MEMBER(shifts), dtsen_shifts, 0, 0, I_REQUIRED},
    {"preferred_vocations", T_LIST, 0, MEMBER(preferred_vocations), dtsen_vocations, 0, 0,
     I_REQUIRED},
    {"skills", T_SKILLS, 0, MEMBER(skills), NULL, 0, 0, I_REQUIRED},
};
#define N_FIELDS (sizeof fields / sizeof fields[0])

/* DTSEN columns that exist but change only through their own workflow. */
static const char *const fixed_fields[] = {
    "verified_at", "verified_by", "verification_note", "synthetic", "nik_flag", "erased_at", NULL};

static char *field_text(struct store_gov_resident *r, const struct field *f) {
  return (char *)r + f->offset;
}

static int *field_int(struct store_gov_resident *r, const struct field *f) {
  return (int *)(void *)((char *)r + f->offset);
}

/* The field's value as text, "" when unknown. */
static void field_value(const struct store_gov_resident *r, const struct field *f, char *buf,
                        size_t cap) {
  const char *base = (const char *)r + f->offset;
  if (f->cap > 0) {
    snprintf(buf, cap, "%s", base);
    return;
  }
  int v;
  memcpy(&v, base, sizeof v);
  if (v < 0)
    buf[0] = '\0';
  else
    snprintf(buf, cap, "%d", v);
}

/* What a correction collects besides the new record. */
struct correction {
  struct store *s;
  struct gov_report *rep;
  int64_t today;
  int64_t skill_ids[MAX_LIST];
  uint8_t skill_certified[MAX_LIST];
  size_t n_skills;
  int store_failed;
};

static int phone_ok(const char *v, size_t len) {
  size_t digits = 0;
  for (size_t i = 0; i < len; i++) {
    char ch = v[i];
    if (ch >= '0' && ch <= '9')
      digits++;
    else if (!(ch == '+' && i == 0) && ch != ' ' && ch != '-')
      return 0;
  }
  return digits >= 8 && digits <= 15;
}

/* A ';'-separated list of values from list, no repeats; 1 when valid. */
static int list_ok(struct gov_report *rep, const struct field *f, const char *v) {
  uint64_t seen = 0;
  size_t count = 0;
  const char *p = v;
  for (;;) {
    const char *semi = strchr(p, ';');
    size_t len = semi ? (size_t)(semi - p) : strlen(p);
    char el[64];
    dtsen_copy_cut(el, sizeof el, p, len);
    int i = len ? dtsen_enum_index(f->list, p, len) : -2;
    if (i == -2) {
      field_issue(rep, f->name, I_LIST_FORMAT, v);
      return 0;
    }
    if (i < 0) {
      field_issue(rep, f->name, I_ENUM, el);
      return 0;
    }
    if (seen & (1ull << i)) {
      field_issue(rep, f->name, I_LIST_DUPLICATE, el);
      return 0;
    }
    seen |= 1ull << i;
    if (++count > MAX_LIST) {
      field_issue(rep, f->name, I_LIST_TOO_MANY, NULL);
      return 0;
    }
    if (semi == NULL)
      return 1;
    p = semi + 1;
  }
}

struct skill_el {
  char code[32];
  uint8_t certified;
  int64_t id;
};

static int by_code(const void *a, const void *b) {
  return strcmp(((const struct skill_el *)a)->code, ((const struct skill_el *)b)->code);
}

/* skills: CODE[*];... resolved to ids in c and written back to dst sorted
 * by code, the form store_gov_resident_read gives. */
static int skills_ok(struct correction *c, const struct field *f, const char *v, char *dst) {
  struct skill_el els[MAX_LIST];
  size_t n = 0;
  const char *p = v;
  for (;;) {
    const char *semi = strchr(p, ';');
    size_t len = semi ? (size_t)(semi - p) : strlen(p);
    int certified = len > 0 && p[len - 1] == '*';
    size_t code_len = len - (size_t)certified;
    char code[32];
    dtsen_copy_cut(code, sizeof code, p, code_len);
    if (code_len == 0) {
      field_issue(c->rep, f->name, I_LIST_FORMAT, v);
      return 0;
    }
    if (n == MAX_LIST) {
      field_issue(c->rep, f->name, I_LIST_TOO_MANY, NULL);
      return 0;
    }
    int64_t id = -1;
    int rc = code_len < sizeof code ? store_id_by_code(c->s, STORE_T_SKILLS, code, &id)
                                    : STORE_ENOTFOUND;
    if (rc != STORE_OK && rc != STORE_ENOTFOUND) {
      c->store_failed = 1;
      return 0;
    }
    if (rc == STORE_ENOTFOUND) {
      field_issue(c->rep, f->name, I_SKILL_UNKNOWN, code);
      return 0;
    }
    for (size_t i = 0; i < n; i++)
      if (els[i].id == id) {
        field_issue(c->rep, f->name, I_LIST_DUPLICATE, code);
        return 0;
      }
    snprintf(els[n].code, sizeof els[n].code, "%s", code);
    els[n].certified = (uint8_t)certified;
    els[n].id = id;
    n++;
    if (semi == NULL)
      break;
    p = semi + 1;
  }
  qsort(els, n, sizeof els[0], by_code);
  size_t used = 0;
  dst[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    c->skill_ids[i] = els[i].id;
    c->skill_certified[i] = els[i].certified;
    int w = snprintf(dst + used, f->cap - used, "%s%s%s", i ? ";" : "", els[i].code,
                     els[i].certified ? "*" : "");
    if (w < 0 || (size_t)w >= f->cap - used) {
      field_issue(c->rep, f->name, I_TOO_LONG, NULL);
      return 0;
    }
    used += (size_t)w;
  }
  c->n_skills = n;
  return 1;
}

/* Is v (len bytes) a valid NIK?  Notes the issue when not. */
static int nik_value_ok(struct correction *c, const struct field *f, const char *v, size_t len) {
  struct nik_info info;
  struct nik_date ref;
  nik_date_from_days(c->today, &ref);
  enum nik_error e = nik_parse(v, len, &ref, &info);
  if (e == NIK_OK)
    return 1;
  add_issue(c->rep, 0, 0, f->name, nik_error_code(e), nik_error_message_id(e),
            nik_error_message_en(e), v, len, 0);
  return 0;
}

/* Is v a birth date: YYYY-MM-DD, not after today, at most 120 years ago? */
static int birth_date_ok(struct correction *c, const struct field *f, const char *v, size_t len) {
  struct nik_date d, today;
  if (nik_date_parse(v, len, &d) != 0) {
    field_issue(c->rep, f->name, I_DATE_FORMAT, v);
    return 0;
  }
  if (nik_date_to_days(&d) > c->today) {
    field_issue(c->rep, f->name, I_DATE_FUTURE, v);
    return 0;
  }
  nik_date_from_days(c->today, &today);
  if (nik_age(&d, &today) > 120) {
    field_issue(c->rep, f->name, I_BIRTH_RANGE, v);
    return 0;
  }
  return 1;
}

/* Is v a known kelurahan code?  Puts its id into r when it is; a store
 * failure marks c. */
static int kelurahan_ok(struct correction *c, const struct field *f, const char *v,
                        struct store_gov_resident *r) {
  int64_t id = -1;
  int rc = store_id_by_code(c->s, STORE_T_KELURAHAN, v, &id);
  if (rc == STORE_ENOTFOUND) {
    field_issue(c->rep, f->name, I_KELURAHAN_UNKNOWN, v);
    return 0;
  }
  if (rc != STORE_OK) {
    c->store_failed = 1;
    return 0;
  }
  r->kelurahan_id = id;
  return 1;
}

/* Checks one new value and, when it is valid, puts it into r. */
static void apply(struct correction *c, const struct field *f, const char *value,
                  struct store_gov_resident *r) {
  struct gov_report *rep = c->rep;
  const char *v = value != NULL ? value : "";
  size_t len = strlen(v);
  if (len == 0) {
    if (f->required) {
      field_issue(rep, f->name, I_REQUIRED, NULL);
    } else if (f->cap == 0) {
      *field_int(r, f) = -1;
    } else {
      field_text(r, f)[0] = '\0';
      if (f->type == T_SKILLS)
        c->n_skills = 0;
    }
    return;
  }
  switch (f->type) {
  case T_NIK:
    if (!nik_value_ok(c, f, v, len))
      return;
    break;
  case T_TEXT:
    if (!dtsen_text_ok(v, len)) {
      field_issue(rep, f->name, I_TEXT, NULL);
      return;
    }
    if (len > (size_t)f->hi) {
      field_issue(rep, f->name, I_TOO_LONG, v);
      return;
    }
    break;
  case T_DATE:
    if (!birth_date_ok(c, f, v, len))
      return;
    break;
  case T_ENUM:
    if (dtsen_enum_index(f->list, v, len) < 0) {
      field_issue(rep, f->name, I_ENUM, v);
      return;
    }
    break;
  case T_KELURAHAN:
    if (!kelurahan_ok(c, f, v, r))
      return;
    break;
  case T_PHONE:
    if (!phone_ok(v, len)) {
      field_issue(rep, f->name, I_PHONE, v);
      return;
    }
    break;
  case T_INT: {
    int n = dtsen_parse_uint(v, len);
    if (n < 0) {
      field_issue(rep, f->name, I_INTEGER, v);
      return;
    }
    if (n < f->lo || n > f->hi) {
      field_issue(rep, f->name, f->range, v);
      return;
    }
    *field_int(r, f) = n;
    return;
  }
  case T_LIST:
    if (!list_ok(rep, f, v))
      return;
    break;
  case T_SKILLS:
    skills_ok(c, f, v, field_text(r, f));
    return;
  }
  if (len >= f->cap)
    field_issue(rep, f->name, I_TOO_LONG, v);
  else
    memcpy(field_text(r, f), v, len + 1);
}

static const struct field *find_field(const char *name, size_t *index) {
  for (size_t i = 0; i < N_FIELDS; i++)
    if (strcmp(fields[i].name, name) == 0) {
      *index = i;
      return &fields[i];
    }
  return NULL;
}

static size_t field_index(const char *name) {
  size_t i = 0;
  find_field(name, &i);
  return i;
}

/* Rules between fields, checked when one of the fields involved changes. */
static void cross_check(struct correction *c, const int *seen, const struct store_gov_resident *cur,
                        struct store_gov_resident *next, int64_t resident_id) {
  struct gov_report *rep = c->rep;
  if (seen[field_index("nik")] && strcmp(cur->nik, next->nik) != 0) {
    int64_t other = -1;
    int rc = store_gov_resident_by_nik(c->s, next->nik, &other);
    if (rc == STORE_OK && other != resident_id)
      field_issue(rep, "nik", I_NIK_TAKEN, next->nik);
    else if (rc != STORE_OK && rc != STORE_ENOTFOUND)
      c->store_failed = 1;
  }
  if (seen[field_index("nik")] || seen[field_index("birth_date")] || seen[field_index("sex")]) {
    /* The NIK's date and sex against the record, as an import flags them. */
    struct nik_info info;
    struct nik_date ref, birth;
    nik_date_from_days(c->today, &ref);
    unsigned m = 0;
    if (nik_parse(next->nik, strlen(next->nik), &ref, &info) == NIK_OK &&
        nik_date_parse(next->birth_date, strlen(next->birth_date), &birth) == 0 &&
        next->sex[0] != '\0')
      m = nik_check_record(&info, &birth, next->sex[0]);
    if (m & NIK_MISMATCH_DATE)
      field_issue(rep, "nik", I_NIK_DATE_MISMATCH, next->nik);
    if (m & NIK_MISMATCH_SEX)
      field_issue(rep, "nik", I_NIK_SEX_MISMATCH, next->nik);
    snprintf(next->nik_flag, sizeof next->nik_flag, "%s%s%s",
             m & NIK_MISMATCH_DATE ? "birth_date_mismatch" : "",
             m == (NIK_MISMATCH_DATE | NIK_MISMATCH_SEX) ? ";" : "",
             m & NIK_MISMATCH_SEX ? "sex_mismatch" : "");
  }
  if (seen[field_index("smk_vocation")] || seen[field_index("education")]) {
    int edu = dtsen_enum_index(dtsen_educations, next->education, strlen(next->education));
    if (next->smk_vocation[0] != '\0' && edu >= 0 && edu < 4 /* none sd smp sma */)
      field_issue(rep, "smk_vocation", I_SMK_EDUCATION, next->smk_vocation);
  }
  if (seen[field_index("work_status")] || seen[field_index("months_without_work")]) {
    if (strcmp(next->work_status, "working") == 0 && next->months_without_work > 0) {
      char v[16];
      snprintf(v, sizeof v, "%d", next->months_without_work);
      field_issue(rep, "months_without_work", I_MONTHS_WORKING, v);
    }
  }
}

/* Writes each field whose value changed, with its history row; *changed
 * counts them and names lists them for the audit row.  Fields sent with
 * their current value are not written at all. */
static int write_changes(const struct correction *c, const struct gov_actor *by, int64_t id,
                         const struct store_gov_resident *cur,
                         const struct store_gov_resident *next, const char *reason, size_t *changed,
                         char *names, size_t names_cap) {
  struct store *s = c->s;
  /* field_value needs room for the longest field (skills). */
  const size_t cap = sizeof cur->skills;
  char *old = malloc(cap), *now = malloc(cap);
  int rc = old && now ? STORE_OK : STORE_ENOMEM;
  size_t used = 0;
  names[0] = '\0';
  for (size_t i = 0; rc == STORE_OK && i <= N_FIELDS; i++) {
    const char *name = i < N_FIELDS ? fields[i].name : "nik_flag";
    if (i < N_FIELDS) {
      field_value(cur, &fields[i], old, cap);
      field_value(next, &fields[i], now, cap);
    } else {
      snprintf(old, cap, "%s", cur->nik_flag);
      snprintf(now, cap, "%s", next->nik_flag);
    }
    if (strcmp(old, now) == 0)
      continue;
    rc = store_gov_history_add(s, id, actor_id(by), name, old[0] ? old : NULL, now[0] ? now : NULL,
                               reason);
    if (rc == STORE_OK && strcmp(name, "skills") == 0)
      rc = store_gov_skills_set(s, id, c->skill_ids, c->skill_certified, c->n_skills);
    else if (rc == STORE_OK)
      rc = store_gov_resident_set(s, id, name, now);
    (*changed)++;
    int w = snprintf(names + used, names_cap - used, "%s%s", used ? "," : "", name);
    if (w > 0 && (size_t)w < names_cap - used)
      used += (size_t)w;
  }
  free(old);
  free(now);
  return rc;
}

int gov_correct(struct store *s, int64_t resident_id, const struct gov_actor *by,
                const struct gov_change *changes, size_t n, const char *reason,
                struct gov_report *rep) {
  report_init(rep);
  rep->rows = 1;
  check_free_text(rep, "reason", reason, 1, MAX_NOTE);

  struct store_gov_resident *cur = malloc(sizeof *cur), *next = malloc(sizeof *next);
  int status = GOV_OK;
  if (cur == NULL || next == NULL) {
    free(cur);
    free(next);
    return finish(rep, GOV_ENOMEM);
  }
  if (store_begin(s) != STORE_OK) {
    status = GOV_ESTORE;
    goto done;
  }
  status = in_scope(s, by, resident_id);
  if (status == GOV_OK)
    status = gov_rc(store_gov_resident_read(s, resident_id, cur));
  if (status != GOV_OK)
    goto rollback;
  *next = *cur;

  char today[11];
  gov_today(today);
  struct correction c = {.s = s, .rep = rep, .today = date_days(today)};
  int seen[N_FIELDS] = {0};
  for (size_t i = 0; i < n; i++) {
    const char *name = changes[i].field != NULL ? changes[i].field : "";
    size_t index = 0;
    const struct field *f = find_field(name, &index);
    if (f == NULL) {
      int fixed = dtsen_enum_index(fixed_fields, name, strlen(name)) >= 0;
      field_issue(rep, name, fixed ? I_FIELD_FIXED : I_FIELD_UNKNOWN, name);
      continue;
    }
    if (seen[index]) {
      field_issue(rep, name, I_FIELD_REPEATED, changes[i].value);
      continue;
    }
    seen[index] = 1;
    apply(&c, f, changes[i].value, next);
  }
  cross_check(&c, seen, cur, next, resident_id);
  if (c.store_failed) {
    status = GOV_ESTORE;
    goto rollback;
  }
  if (rep->errors > 0) {
    status = GOV_EINVALID;
    goto rollback;
  }

  size_t changed = 0;
  char names[512];
  int rc = write_changes(&c, by, resident_id, cur, next, reason, &changed, names, sizeof names);
  if (rc == STORE_OK && changed == 0) {
    rep->unchanged = 1;
    goto rollback; /* status GOV_OK: nothing to write */
  }
  if (rc == STORE_OK) {
    char detail[600];
    snprintf(detail, sizeof detail, "fields %s", names);
    rc = audit(s, by, "correct_resident", resident_id, NULL, detail);
  }
  if (rc == STORE_OK)
    rc = store_commit(s);
  status = gov_rc(rc);
  if (status != GOV_OK)
    goto rollback;
  rep->updated = changed;
  rep->committed = 1;
  goto done;

rollback:
  store_rollback(s);
done:
  free(cur);
  free(next);
  return finish(rep, status);
}

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
  add_issue(im->rep, w->line, w->number, c < IC_N ? icolumns[c] : "", t->code, t->id, t->en, value,
            value ? strlen(value) : 0, 0);
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
  struct nik_date d;
  if (nik_date_parse(f->p, f->len, &d) != 0) {
    row_issue(im, w, c, I_DATE_FORMAT, f->p);
    return INT64_MIN;
  }
  if (d.year < 1990) {
    row_issue(im, w, c, I_DATE_OLD, f->p);
    return INT64_MIN;
  }
  return nik_date_to_days(&d);
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
  struct nik_date ref;
  nik_date_from_days(im->today, &ref);
  enum nik_error e = nik_parse(f->p, f->len, &ref, &info);
  int rc;
  if (e != NIK_OK) {
    w->errors++;
    if (im->collect)
      add_issue(im->rep, w->line, w->number, "nik", nik_error_code(e), nik_error_message_id(e),
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
  } else if (dtsen_enum_index(istatuses, f->p, f->len) < 0) {
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
  iv->created_by = actor_id(by);
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
  add_issue(rep, line, 0, column, t->code, t->id, t->en, value, value ? strlen(value) : 0, 0);
}

/* Maps the header's columns; returns the number of problems. */
static size_t read_header(struct iv_import *im, const struct csv_reader *rd) {
  size_t before = im->rep->errors;
  for (int c = 0; c < IC_N; c++)
    im->col[c] = -1;
  im->header_fields = rd->nfields;
  for (size_t i = 0; i < rd->nfields; i++) {
    const struct csv_field *f = &rd->fields[i];
    int c = dtsen_enum_index(icolumns, f->p, f->len);
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
    if (im->collect)
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
  report_init(rep);
  rep->dry_run = o != NULL && o->dry_run;
  char today[11];
  if (o != NULL && o->today != NULL)
    snprintf(today, sizeof today, "%s", o->today);
  else
    gov_today(today);
  struct iv_import im = {.s = s, .rep = rep, .collect = 1, .today = date_days(today)};
  if (im.today == INT64_MIN)
    return finish(rep, GOV_EINVALID);
  if (store_begin(s) != STORE_OK)
    return finish(rep, GOV_ESTORE);

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
    rc = audit(s, by, "import_interventions", -1, NULL, detail);
    if (rc == STORE_OK)
      rc = store_commit(s);
    if (rc == STORE_OK) {
      rep->committed = 1;
      goto done;
    }
    status = gov_rc(rc);
  }
  store_rollback(s);
  if (status == GOV_ESTORE || status == GOV_ENOMEM) {
    const struct issue_text *t = &issue_texts[status == GOV_ESTORE ? I_STORE : I_NOMEM];
    add_issue(rep, 0, 0, "", t->code, t->id, t->en, NULL, 0, 0);
  }
  /* A refused file is an act too: recorded outside the rolled-back work. */
  if (status != GOV_OK && !rep->dry_run)
    audit(s, by, "import_interventions_rejected", -1, NULL, detail);
done:
  keyset_free(&im.refs);
  keyset_free(&im.natural);
  return finish(rep, status);
}

/* ---- Reports
 * --------------------------------------------------------------------------------------- */

struct counted_overlaps {
  int (*fn)(void *arg, const struct store_gov_overlap *o);
  void *arg;
  size_t n;
};

static int count_overlap(void *arg, const struct store_gov_overlap *o) {
  struct counted_overlaps *c = arg;
  c->n++;
  return c->fn(c->arg, o);
}

int gov_overlaps(struct store *s, const struct gov_actor *by, int64_t kelurahan_id,
                 int (*fn)(void *arg, const struct store_gov_overlap *o), void *arg) {
  struct counted_overlaps c = {fn, arg, 0};
  int rc = store_gov_overlaps(s, kelurahan_id, count_overlap, &c);
  if (rc == STORE_OK && by != NULL) {
    char detail[96];
    snprintf(detail, sizeof detail, "kelurahan %lld: %zu pairs", (long long)kelurahan_id, c.n);
    rc = audit(s, by, "report_overlaps", -1, NULL, detail);
  }
  return rc < 0 ? gov_rc(rc) : rc;
}

struct unserved_walk {
  int (*fn)(void *arg, const struct priority_kelurahan *k, const struct store_gov_unserved *u);
  void *arg;
  const struct priority_kelurahan *k;
  size_t n;
};

static int each_unserved(void *arg, const struct store_gov_unserved *u) {
  struct unserved_walk *w = arg;
  w->n++;
  return w->fn(w->arg, w->k, u);
}

static int by_rank(const void *a, const void *b) {
  const struct priority_kelurahan *x = *(struct priority_kelurahan *const *)a;
  const struct priority_kelurahan *y = *(struct priority_kelurahan *const *)b;
  return (x->rank > y->rank) - (x->rank < y->rank);
}

int gov_unserved(struct store *s, const struct gov_actor *by, const char *today,
                 const struct mt_config *cfg, int64_t kelurahan_id,
                 int (*fn)(void *arg, const struct priority_kelurahan *k,
                           const struct store_gov_unserved *u),
                 void *arg) {
  char day[11];
  if (today == NULL)
    gov_today(day);
  else
    snprintf(day, sizeof day, "%s", today);
  struct priority_kelurahan *rows = NULL, **order = NULL;
  size_t n = 0;
  int rc = priority_compute(s, cfg, day, &rows, &n);
  if (rc != STORE_OK)
    goto cleanup;
  order = malloc((n ? n : 1) * sizeof *order);
  if (order == NULL) {
    rc = STORE_ENOMEM;
    goto cleanup;
  }
  for (size_t i = 0; i < n; i++)
    order[i] = &rows[i];
  qsort(order, n, sizeof *order, by_rank);

  struct store_gov_target t = {.today = day,
                               .min_age = cfg->min_age,
                               .max_age = cfg->max_age,
                               .validity_days = cfg->verification_valid_days,
                               .poor_max = cfg->desil_poor};
  struct unserved_walk w = {fn, arg, NULL, 0};
  for (size_t i = 0; rc == STORE_OK && i < n; i++) {
    if (!order[i]->priority || (kelurahan_id >= 0 && order[i]->k.id != kelurahan_id))
      continue;
    w.k = order[i];
    rc = store_gov_unserved_each(s, order[i]->k.id, &t, each_unserved, &w);
  }
  if (rc == STORE_OK && by != NULL) {
    char detail[96];
    snprintf(detail, sizeof detail, "kelurahan %lld on %s: %zu residents", (long long)kelurahan_id,
             day, w.n);
    rc = audit(s, by, "report_unserved", -1, NULL, detail);
  }

cleanup:
  free(order);
  free(rows);
  return rc < 0 ? gov_rc(rc) : rc;
}

/* ---- Export
 * ---------------------------------------------------------------------------------------- */

static json_t *cells_object(const struct store_gov_cell *cells, size_t n) {
  json_t *o = json_object();
  for (size_t i = 0; o != NULL && i < n; i++) {
    const struct store_gov_cell *c = &cells[i];
    json_t *v = c->type == STORE_GOV_INT    ? json_integer((json_int_t)c->i)
                : c->type == STORE_GOV_REAL ? json_real(c->d)
                : c->type == STORE_GOV_TEXT ? json_string(c->text)
                                            : json_null();
    /* a text that is not UTF-8 is kept, as bytes escaped by jansson */
    if (v == NULL && c->type == STORE_GOV_TEXT)
      v = json_stringn_nocheck(c->text, strlen(c->text));
    if (v == NULL || json_object_set_new(o, c->name, v) != 0) {
      json_decref(o);
      o = NULL;
    }
  }
  return o;
}

static int append_row(void *arg, const struct store_gov_cell *cells, size_t n) {
  json_t *o = cells_object(cells, n);
  if (o == NULL || json_array_append_new(arg, o) != 0)
    return STORE_ENOMEM;
  return 0;
}

int gov_export_resident(struct store *s, int64_t resident_id, const struct gov_actor *by,
                        const char *purpose, struct json_t **out) {
  static const struct {
    const char *key;
    enum store_gov_part part;
  } parts[] = {{"resident", STORE_GOV_RESIDENT},     {"skills", STORE_GOV_SKILLS},
               {"history", STORE_GOV_HISTORY},       {"interventions", STORE_GOV_INTERVENTIONS},
               {"referrals", STORE_GOV_REFERRALS},   {"referral_events", STORE_GOV_REFERRAL_EVENTS},
               {"enrolments", STORE_GOV_ENROLMENTS}, {"access_record", STORE_GOV_ACCESS}};
  *out = NULL;
  char now[21];
  store_now_iso(now);
  json_t *root = json_pack("{s:s, s:s, s:I}", "format", "padan-resident-export/1", "exported_at",
                           now, "resident_id", (json_int_t)resident_id);
  if (root == NULL)
    return GOV_ENOMEM;
  if (store_begin(s) != STORE_OK) {
    json_decref(root);
    return GOV_ESTORE;
  }
  int status = in_scope(s, by, resident_id);
  if (status == GOV_OK)
    status = gov_rc(audit(s, by, "export_resident", resident_id, purpose, NULL));
  for (size_t i = 0; status == GOV_OK && i < sizeof parts / sizeof parts[0]; i++) {
    json_t *rows = json_array();
    if (rows == NULL) {
      status = GOV_ENOMEM;
      break;
    }
    status = gov_rc(store_gov_export_each(s, parts[i].part, resident_id, append_row, rows));
    if (status != GOV_OK) {
      json_decref(rows);
      break;
    }
    json_t *value = rows;
    if (parts[i].part == STORE_GOV_RESIDENT) {
      value = json_incref(json_array_get(rows, 0));
      json_decref(rows);
      if (value == NULL) {
        status = GOV_ENOTFOUND;
        break;
      }
    }
    /* set_new takes the reference even when it fails */
    if (json_object_set_new(root, parts[i].key, value) != 0)
      status = GOV_ENOMEM;
  }
  if (status == GOV_OK)
    status = gov_rc(store_commit(s));
  if (status != GOV_OK) {
    store_rollback(s);
    json_decref(root);
    return status;
  }
  *out = root;
  return GOV_OK;
}

/* ---- Erasure
 * ------------------------------------------------------------------------------------------ */

int gov_erase_resident(struct store *s, int64_t resident_id, const struct gov_actor *by,
                       const char *reason, struct gov_report *rep) {
  report_init(rep);
  rep->rows = 1;
  if (!check_free_text(rep, "reason", reason, 1, MAX_NOTE))
    return finish(rep, GOV_EINVALID);
  if (store_begin(s) != STORE_OK)
    return finish(rep, GOV_ESTORE);
  int status = in_scope(s, by, resident_id);
  struct store_gov_holds h = {0};
  if (status == GOV_OK)
    status = gov_rc(store_gov_erase_holds(s, resident_id, &h));
  if (status != GOV_OK)
    goto rollback;
  const struct {
    int64_t count;
    enum issue code;
  } holds[] = {{h.open_referrals, I_HOLD_REFERRAL},
               {h.active_interventions, I_HOLD_INTERVENTION},
               {h.current_enrolments, I_HOLD_ENROLMENT},
               {h.followups, I_HOLD_FOLLOWUP}};
  for (size_t i = 0; i < sizeof holds / sizeof holds[0]; i++) {
    if (holds[i].count == 0)
      continue;
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)holds[i].count);
    field_issue(rep, "", holds[i].code, v);
  }
  if (rep->errors > 0) {
    status = GOV_EREFUSED;
    goto rollback;
  }
  /* The audit row goes first so that the erasure's scrub also removes a
   * NIK quoted in the reason. */
  char now[21];
  store_now_iso(now);
  int rc = audit(s, by, "erase_resident", resident_id, reason, NULL);
  if (rc == STORE_OK)
    rc = store_gov_erase(s, resident_id, now);
  if (rc == STORE_OK)
    rc = store_commit(s);
  status = gov_rc(rc);
  if (status != GOV_OK)
    goto rollback;
  rep->updated = 1;
  rep->committed = 1;
  if (store_gov_checkpoint(s) != STORE_OK)
    field_issue(rep, "", I_CHECKPOINT, NULL);
  return finish(rep, GOV_OK);

rollback:
  store_rollback(s);
  return finish(rep, status);
}
