/*
 * config.c — the engine's configuration: documented defaults, range checks
 * and a parser for "key = value" text.  One table lists every field of
 * struct mt_config with its type and allowed range; the defaults, the parser
 * and the checker all read it, so a new field needs one line here (and its
 * reason in docs/MATCHING.md).
 */
#include "matcher_int.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum field_type { F_DOUBLE, F_U8, F_U16, F_I32 };

struct field {
  const char *name;
  enum field_type type;
  size_t offset;
  double min, max;
};

#define FIELD(name, type, min, max)                                                                \
  { #name, type, offsetof(struct mt_config, name), min, max }

static const struct field fields[] = {
    FIELD(today, F_I32, -1000000.0, 1000000.0),
    FIELD(w_skills, F_DOUBLE, 0.0, 100.0),
    FIELD(w_education, F_DOUBLE, 0.0, 100.0),
    FIELD(w_commute, F_DOUBLE, 0.0, 100.0),
    FIELD(w_course, F_DOUBLE, 0.0, 100.0),
    FIELD(w_preference, F_DOUBLE, 0.0, 100.0),
    FIELD(certified_weight, F_DOUBLE, 1.0, 10.0),
    FIELD(nice_share, F_DOUBLE, 0.0, 1.0),
    FIELD(p_desil, F_DOUBLE, 0.0, 100.0),
    FIELD(p_kelurahan, F_DOUBLE, 0.0, 100.0),
    FIELD(p_months, F_DOUBLE, 0.0, 100.0),
    FIELD(p_dependants, F_DOUBLE, 0.0, 100.0),
    FIELD(p_disability, F_DOUBLE, 0.0, 100.0),
    FIELD(lambda, F_DOUBLE, 0.0, 100.0),
    FIELD(min_fit, F_DOUBLE, 0.0, 100.0),
    FIELD(desil_extreme, F_U8, 0.0, 10.0),
    FIELD(desil_poor, F_U8, 0.0, 10.0),
    FIELD(min_age, F_U8, 0.0, 120.0),
    FIELD(max_age, F_U8, 0.0, 120.0),
    FIELD(verification_valid_days, F_I32, 0.0, 36500.0),
    FIELD(shortlist_factor, F_DOUBLE, 0.01, 100.0),
    FIELD(cost_per_km, F_DOUBLE, 0.0, 1e7),
    FIELD(work_days, F_U8, 0.0, 31.0),
    FIELD(max_commute_share, F_DOUBLE, 0.001, 10.0),
    FIELD(candidates_per_resident, F_U16, 1.0, 10000.0),
    FIELD(road_factor, F_DOUBLE, 1.0, 5.0),
    FIELD(edu_meets, F_DOUBLE, 0.0, 1.0),
    FIELD(edu_exceeds, F_DOUBLE, 0.0, 1.0),
    FIELD(course_rate_full, F_DOUBLE, 0.01, 1.0),
    FIELD(months_cap, F_U16, 1.0, 1200.0),
    FIELD(dependants_cap, F_U8, 1.0, 50.0),
    FIELD(unlock_margin, F_DOUBLE, 0.0, 100.0),
    FIELD(repropose_days, F_I32, 0.0, 36500.0),
    FIELD(course_month_discount, F_DOUBLE, 0.01, 1.0),
    FIELD(tie_seed, F_I32, 0.0, 2147483647.0),
};
#define N_FIELDS (sizeof fields / sizeof fields[0])

void mt_config_default(struct mt_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->today = 0; /* the caller sets the run date; the engine has no clock */
  cfg->w_skills = 0.40;
  cfg->w_education = 0.15;
  cfg->w_commute = 0.20;
  cfg->w_course = 0.10;
  cfg->w_preference = 0.15;
  cfg->certified_weight = 1.25;
  cfg->nice_share = 0.30;
  cfg->p_desil = 0.40;
  cfg->p_kelurahan = 0.15;
  cfg->p_months = 0.20;
  cfg->p_dependants = 0.15;
  cfg->p_disability = 0.10;
  cfg->lambda = 0.5;
  cfg->min_fit = 40.0;
  cfg->desil_extreme = 1;
  cfg->desil_poor = 4;
  cfg->min_age = 15;
  cfg->max_age = 64;
  cfg->verification_valid_days = 365;
  cfg->shortlist_factor = 3.0;
  cfg->cost_per_km = 2000.0;
  cfg->work_days = 22;
  cfg->max_commute_share = 0.30;
  cfg->candidates_per_resident = 20;
  cfg->road_factor = 1.3;
  cfg->edu_meets = 0.8;
  cfg->edu_exceeds = 0.9;
  cfg->course_rate_full = 0.5;
  cfg->months_cap = 24;
  cfg->dependants_cap = 4;
  cfg->unlock_margin = 15.0;
  cfg->repropose_days = 180;
  cfg->course_month_discount = 0.95;
  cfg->tie_seed = 1;
}

static double field_get(const struct mt_config *cfg, const struct field *f) {
  const char *base = (const char *)cfg + f->offset;
  switch (f->type) {
  case F_DOUBLE: {
    double x;
    memcpy(&x, base, sizeof x);
    return x;
  }
  case F_U8: {
    uint8_t x;
    memcpy(&x, base, sizeof x);
    return x;
  }
  case F_U16: {
    uint16_t x;
    memcpy(&x, base, sizeof x);
    return x;
  }
  case F_I32: {
    int32_t x;
    memcpy(&x, base, sizeof x);
    return x;
  }
  }
  return 0.0;
}

/* x has been range-checked against the field, so the casts are exact for the
 * integer types (the parser only hands over integral values for them). */
static void field_set(struct mt_config *cfg, const struct field *f, double x) {
  char *base = (char *)cfg + f->offset;
  switch (f->type) {
  case F_DOUBLE:
    memcpy(base, &x, sizeof x);
    break;
  case F_U8: {
    uint8_t v = (uint8_t)x;
    memcpy(base, &v, sizeof v);
    break;
  }
  case F_U16: {
    uint16_t v = (uint16_t)x;
    memcpy(base, &v, sizeof v);
    break;
  }
  case F_I32: {
    int32_t v = (int32_t)x;
    memcpy(base, &v, sizeof v);
    break;
  }
  }
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...) {
  if (err == NULL || errlen == 0)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

enum mt_status mt__config_check(const struct mt_config *cfg, char *err, size_t errlen) {
  for (size_t i = 0; i < N_FIELDS; i++) {
    double x = field_get(cfg, &fields[i]);
    if (!(x >= fields[i].min && x <= fields[i].max)) {
      set_err(err, errlen, "%s is out of range [%g, %g] / %s di luar rentang [%g, %g]",
              fields[i].name, fields[i].min, fields[i].max, fields[i].name, fields[i].min,
              fields[i].max);
      return MT_EINVAL;
    }
  }
  if (cfg->desil_extreme > cfg->desil_poor) {
    set_err(err, errlen,
            "desil_extreme must not exceed desil_poor / desil_extreme tidak boleh melebihi "
            "desil_poor");
    return MT_EINVAL;
  }
  if (cfg->min_age > cfg->max_age) {
    set_err(err, errlen, "min_age must not exceed max_age / min_age tidak boleh melebihi max_age");
    return MT_EINVAL;
  }
  if (cfg->w_skills + cfg->w_education + cfg->w_commute + cfg->w_course + cfg->w_preference <=
      0.0) {
    set_err(err, errlen,
            "at least one fit weight must be positive / minimal satu bobot kecocokan harus "
            "positif");
    return MT_EINVAL;
  }
  return MT_OK;
}

/* ---- parser ------------------------------------------------------------------ */

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Trims [*s, *e) in place. */
static void trim(const char **s, const char **e) {
  while (*s < *e && is_space(**s))
    (*s)++;
  while (*e > *s && is_space((*e)[-1]))
    (*e)--;
}

/* Parses "YYYY-MM-DD" into days since 1970-01-01; 0 on success. */
static int parse_date(const char *s, int32_t *out) {
  int y = 0, m = 0, d = 0;
  size_t i = 0;
  for (; i < 4; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    y = y * 10 + (s[i] - '0');
  }
  if (s[4] != '-' || s[7] != '-' || s[10] != '\0')
    return -1;
  for (i = 5; i < 7; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    m = m * 10 + (s[i] - '0');
  }
  for (i = 8; i < 10; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    d = d * 10 + (s[i] - '0');
  }
  if (m < 1 || m > 12 || d < 1 || d > 31)
    return -1;
  int32_t days = mt__date_to_days(y, m, d);
  int32_t yy, mm, dd;
  mt__days_to_date(days, &yy, &mm, &dd);
  if (yy != y || mm != m || dd != d)
    return -1; /* 2025-02-30 and the like */
  *out = days;
  return 0;
}

/* Parses a number for field f from NUL-terminated s; 0 on success. */
static int parse_value(const struct field *f, const char *s, double *out) {
  if (f->type == F_DOUBLE) {
    char *end = NULL;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || !isfinite(x))
      return -1;
    *out = x;
    return 0;
  }
  if (f->type == F_I32 && strlen(s) == 10 && s[4] == '-') {
    int32_t days;
    if (parse_date(s, &days) != 0)
      return -1;
    *out = days;
    return 0;
  }
  char *end = NULL;
  errno = 0;
  long long x = strtoll(s, &end, 10);
  if (end == s || *end != '\0' || errno != 0)
    return -1;
  if (x < -2000000000LL || x > 2000000000LL)
    x = x < 0 ? -2000000000LL : 2000000000LL; /* out of every range; reported below */
  *out = (double)x;
  return 0;
}

/* The index of the field named [ks, ke), or N_FIELDS when none is. */
static size_t find_field(const char *ks, const char *ke) {
  size_t fi = 0;
  for (; fi < N_FIELDS; fi++)
    if (strlen(fields[fi].name) == (size_t)(ke - ks) &&
        memcmp(fields[fi].name, ks, (size_t)(ke - ks)) == 0)
      break;
  return fi;
}

/* Parses the value [vs, ve) of field f given on this line, checks its
 * range and sets it in work. */
static enum mt_status set_value(struct mt_config *work, const struct field *f, const char *vs,
                                const char *ve, size_t line, char *err, size_t errlen) {
  char buf[64];
  double x = 0.0;
  size_t vlen = (size_t)(ve - vs);
  if (vlen == 0 || vlen >= sizeof buf) {
    set_err(err, errlen,
            "line %zu: key '%s' needs a number / baris %zu: kunci '%s' memerlukan angka", line,
            f->name, line, f->name);
    return MT_EINVAL;
  }
  memcpy(buf, vs, vlen);
  buf[vlen] = '\0';
  if (parse_value(f, buf, &x) != 0) {
    set_err(err, errlen,
            "line %zu: key '%s': '%s' is not a valid %s / baris %zu: kunci '%s': '%s' bukan %s "
            "yang sah",
            line, f->name, buf, f->type == F_DOUBLE ? "number" : "integer", line, f->name, buf,
            f->type == F_DOUBLE ? "angka" : "bilangan bulat");
    return MT_EINVAL;
  }
  if (!(x >= f->min && x <= f->max)) {
    set_err(err, errlen,
            "line %zu: key '%s' out of range [%g, %g] / baris %zu: kunci '%s' di luar rentang "
            "[%g, %g]",
            line, f->name, f->min, f->max, line, f->name, f->min, f->max);
    return MT_EINVAL;
  }
  field_set(work, f, x);
  return MT_OK;
}

/* One non-empty line [ls, le), comment stripped and trimmed: `key = value`
 * with a known key not seen before (seen[] marks the keys given). */
static enum mt_status parse_line(struct mt_config *work, uint8_t *seen, const char *ls,
                                 const char *le, size_t line, char *err, size_t errlen) {
  if (memchr(ls, '\0', (size_t)(le - ls)) != NULL) {
    set_err(err, errlen, "line %zu: NUL byte / baris %zu: ada byte NUL", line, line);
    return MT_EINVAL;
  }
  const char *eq = memchr(ls, '=', (size_t)(le - ls));
  if (eq == NULL) {
    set_err(err, errlen, "line %zu: expected 'key = value' / baris %zu: seharusnya 'kunci = nilai'",
            line, line);
    return MT_EINVAL;
  }
  const char *ks = ls, *ke = eq, *vs = eq + 1, *ve = le;
  trim(&ks, &ke);
  trim(&vs, &ve);
  int klen = (int)((size_t)(ke - ks) > 64 ? 64 : (size_t)(ke - ks));
  const size_t fi = find_field(ks, ke);
  if (fi == N_FIELDS) {
    set_err(err, errlen, "line %zu: unknown key '%.*s' / baris %zu: kunci '%.*s' tidak dikenal",
            line, klen, ks, line, klen, ks);
    return MT_EINVAL;
  }
  const struct field *f = &fields[fi];
  if (seen[fi]) {
    set_err(err, errlen, "line %zu: key '%s' given twice / baris %zu: kunci '%s' muncul dua kali",
            line, f->name, line, f->name);
    return MT_EINVAL;
  }
  seen[fi] = 1;
  return set_value(work, f, vs, ve, line, err, errlen);
}

enum mt_status mt_config_parse(struct mt_config *cfg, const char *text, size_t len, char *err,
                               size_t errlen) {
  struct mt_config work = *cfg;
  uint8_t seen[N_FIELDS] = {0};
  const char *p = text, *end = text + len;
  size_t line = 0;
  if (err != NULL && errlen > 0)
    err[0] = '\0';
  while (p < end) {
    line++;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    const char *ls = p, *le = eol != NULL ? eol : end;
    p = eol != NULL ? eol + 1 : end;
    const char *hash = memchr(ls, '#', (size_t)(le - ls));
    if (hash != NULL)
      le = hash;
    trim(&ls, &le);
    if (ls == le)
      continue;
    if (parse_line(&work, seen, ls, le, line, err, errlen) != MT_OK)
      return MT_EINVAL;
  }
  char why[200];
  if (mt__config_check(&work, why, sizeof why) != MT_OK) {
    set_err(err, errlen, "after line %zu: %s", line, why);
    return MT_EINVAL;
  }
  *cfg = work;
  return MT_OK;
}
