/*
 * gov_correct.c — a desk's corrections of a resident's record: each new
 * value checked by the DTSEN extract's rules (docs/DTSEN-FORMAT.md) with
 * the same issue codes, the record cross-checked as a whole, and every
 * change written with its old and new value to the history (see gov.h).
 */
#include "gov_int.h"

#include "dtsen.h"
#include "issues.h"
#include "nik.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    {"religion", T_ENUM, 0, MEMBER(religion), vocab_religions, 0, 0, I_REQUIRED},
    {"marital_status", T_ENUM, 0, MEMBER(marital_status), vocab_marital_statuses, 0, 0, I_REQUIRED},
    {"kelurahan_code", T_KELURAHAN, 1, MEMBER(kelurahan_code), NULL, 0, 0, I_REQUIRED},
    {"address", T_TEXT, 0, MEMBER(address), NULL, 0, MAX_ADDRESS, I_REQUIRED},
    {"phone", T_PHONE, 0, MEMBER(phone), NULL, 0, 0, I_REQUIRED},
    {"education", T_ENUM, 0, MEMBER(education), vocab_educations, 0, 0, I_REQUIRED},
    {"smk_vocation", T_ENUM, 0, MEMBER(smk_vocation), vocab_vocations, 0, 0, I_REQUIRED},
    {"desil", T_INT, 1, INT_MEMBER(desil), NULL, 1, 10, I_DESIL_RANGE},
    {"work_status", T_ENUM, 0, MEMBER(work_status), vocab_work_statuses, 0, 0, I_REQUIRED},
    {"school_status", T_ENUM, 0, MEMBER(school_status), vocab_school_statuses, 0, 0, I_REQUIRED},
    {"months_without_work", T_INT, 0, INT_MEMBER(months_without_work), NULL, 0, 600,
     I_MONTHS_RANGE},
    {"dependants", T_INT, 0, INT_MEMBER(dependants), NULL, 0, 30, I_DEPENDANTS_RANGE},
    {"disability", T_ENUM, 0, MEMBER(disability), vocab_disabilities, 0, 0, I_REQUIRED},
    {"shifts", T_LIST, 0, MEMBER(shifts), vocab_shifts, 0, 0, I_REQUIRED},
    {"preferred_vocations", T_LIST, 0, MEMBER(preferred_vocations), vocab_vocations, 0, 0,
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
    int i = len ? vocab_index(f->list, p, len) : -2;
    if (i == -2) {
      gov__field_issue(rep, f->name, I_LIST_FORMAT, v);
      return 0;
    }
    if (i < 0) {
      gov__field_issue(rep, f->name, I_ENUM, el);
      return 0;
    }
    if (seen & (1ull << i)) {
      gov__field_issue(rep, f->name, I_LIST_DUPLICATE, el);
      return 0;
    }
    seen |= 1ull << i;
    if (++count > MAX_LIST) {
      gov__field_issue(rep, f->name, I_LIST_TOO_MANY, NULL);
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
      gov__field_issue(c->rep, f->name, I_LIST_FORMAT, v);
      return 0;
    }
    if (n == MAX_LIST) {
      gov__field_issue(c->rep, f->name, I_LIST_TOO_MANY, NULL);
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
      gov__field_issue(c->rep, f->name, I_SKILL_UNKNOWN, code);
      return 0;
    }
    for (size_t i = 0; i < n; i++)
      if (els[i].id == id) {
        gov__field_issue(c->rep, f->name, I_LIST_DUPLICATE, code);
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
      gov__field_issue(c->rep, f->name, I_TOO_LONG, NULL);
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
  struct date_ymd ref;
  date_from_days(c->today, &ref);
  enum nik_error e = nik_parse(v, len, &ref, &info);
  if (e == NIK_OK)
    return 1;
  gov__add_issue(c->rep, 0, 0, f->name, nik_error_code(e), nik_error_message_id(e),
                 nik_error_message_en(e), v, len, 0);
  return 0;
}

/* Is v a birth date: YYYY-MM-DD, not after today, at most 120 years ago? */
static int birth_date_ok(struct correction *c, const struct field *f, const char *v, size_t len) {
  struct date_ymd d, today;
  if (date_parse(v, len, &d) != 0) {
    gov__field_issue(c->rep, f->name, I_DATE_FORMAT, v);
    return 0;
  }
  if (date_to_days(&d) > c->today) {
    gov__field_issue(c->rep, f->name, I_DATE_FUTURE, v);
    return 0;
  }
  date_from_days(c->today, &today);
  if (date_age(&d, &today) > 120) {
    gov__field_issue(c->rep, f->name, I_BIRTH_RANGE, v);
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
    gov__field_issue(c->rep, f->name, I_KELURAHAN_UNKNOWN, v);
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
      gov__field_issue(rep, f->name, I_REQUIRED, NULL);
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
      gov__field_issue(rep, f->name, I_TEXT, NULL);
      return;
    }
    if (len > (size_t)f->hi) {
      gov__field_issue(rep, f->name, I_TOO_LONG, v);
      return;
    }
    break;
  case T_DATE:
    if (!birth_date_ok(c, f, v, len))
      return;
    break;
  case T_ENUM:
    if (vocab_index(f->list, v, len) < 0) {
      gov__field_issue(rep, f->name, I_ENUM, v);
      return;
    }
    break;
  case T_KELURAHAN:
    if (!kelurahan_ok(c, f, v, r))
      return;
    break;
  case T_PHONE:
    if (!phone_ok(v, len)) {
      gov__field_issue(rep, f->name, I_PHONE, v);
      return;
    }
    break;
  case T_INT: {
    int n = dtsen_parse_uint(v, len);
    if (n < 0) {
      gov__field_issue(rep, f->name, I_INTEGER, v);
      return;
    }
    if (n < f->lo || n > f->hi) {
      gov__field_issue(rep, f->name, f->range, v);
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
    gov__field_issue(rep, f->name, I_TOO_LONG, v);
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
      gov__field_issue(rep, "nik", I_NIK_TAKEN, next->nik);
    else if (rc != STORE_OK && rc != STORE_ENOTFOUND)
      c->store_failed = 1;
  }
  if (seen[field_index("nik")] || seen[field_index("birth_date")] || seen[field_index("sex")]) {
    /* The NIK's date and sex against the record, as an import flags them. */
    struct nik_info info;
    struct date_ymd ref, birth;
    date_from_days(c->today, &ref);
    unsigned m = 0;
    if (nik_parse(next->nik, strlen(next->nik), &ref, &info) == NIK_OK &&
        date_parse(next->birth_date, strlen(next->birth_date), &birth) == 0 && next->sex[0] != '\0')
      m = nik_check_record(&info, &birth, next->sex[0]);
    if (m & NIK_MISMATCH_DATE)
      gov__field_issue(rep, "nik", I_NIK_DATE_MISMATCH, next->nik);
    if (m & NIK_MISMATCH_SEX)
      gov__field_issue(rep, "nik", I_NIK_SEX_MISMATCH, next->nik);
    snprintf(next->nik_flag, sizeof next->nik_flag, "%s%s%s",
             m & NIK_MISMATCH_DATE ? "birth_date_mismatch" : "",
             m == (NIK_MISMATCH_DATE | NIK_MISMATCH_SEX) ? ";" : "",
             m & NIK_MISMATCH_SEX ? "sex_mismatch" : "");
  }
  if (seen[field_index("smk_vocation")] || seen[field_index("education")]) {
    int edu = vocab_index(vocab_educations, next->education, strlen(next->education));
    if (next->smk_vocation[0] != '\0' && edu >= 0 && edu < 4 /* none sd smp sma */)
      gov__field_issue(rep, "smk_vocation", I_SMK_EDUCATION, next->smk_vocation);
  }
  if (seen[field_index("work_status")] || seen[field_index("months_without_work")]) {
    if (strcmp(next->work_status, "working") == 0 && next->months_without_work > 0) {
      char v[16];
      snprintf(v, sizeof v, "%d", next->months_without_work);
      gov__field_issue(rep, "months_without_work", I_MONTHS_WORKING, v);
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
    rc = store_gov_history_add(s, id, gov__actor_id(by), name, old[0] ? old : NULL,
                               now[0] ? now : NULL, reason);
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
  gov__report_init(rep);
  rep->rows = 1;
  gov__check_free_text(rep, "reason", reason, 1, MAX_NOTE);

  struct store_gov_resident *cur = malloc(sizeof *cur), *next = malloc(sizeof *next);
  int status = GOV_OK;
  if (cur == NULL || next == NULL) {
    free(cur);
    free(next);
    return gov__finish(rep, GOV_ENOMEM);
  }
  if (store_begin(s) != STORE_OK) {
    status = GOV_ESTORE;
    goto done;
  }
  status = gov__in_scope(s, by, resident_id);
  if (status == GOV_OK)
    status = gov__rc(store_gov_resident_read(s, resident_id, cur));
  if (status != GOV_OK)
    goto rollback;
  *next = *cur;

  char today[11];
  gov_today(today);
  struct correction c = {.s = s, .rep = rep, .today = gov__date_days(today)};
  int seen[N_FIELDS] = {0};
  for (size_t i = 0; i < n; i++) {
    const char *name = changes[i].field != NULL ? changes[i].field : "";
    size_t index = 0;
    const struct field *f = find_field(name, &index);
    if (f == NULL) {
      int fixed = vocab_index(fixed_fields, name, strlen(name)) >= 0;
      gov__field_issue(rep, name, fixed ? I_FIELD_FIXED : I_FIELD_UNKNOWN, name);
      continue;
    }
    if (seen[index]) {
      gov__field_issue(rep, name, I_FIELD_REPEATED, changes[i].value);
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
    rc = gov__audit(s, by, "correct_resident", resident_id, NULL, detail);
  }
  if (rc == STORE_OK)
    rc = store_commit(s);
  status = gov__rc(rc);
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
  return gov__finish(rep, status);
}
