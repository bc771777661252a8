/*
 * explain_json.c — an engine explanation as JSON (explain_json.h).  The
 * employer's view shows the commute as a band (no kilometres, no cost, no
 * kelurahan name) and leaves out the priority components.
 */
#include "explain_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Skills by engine index ------------------------------------------------------ */

/* The engine names skills by their index in the array the snapshot was
 * built from, which is the skills table in id order (snapshot.c); the table
 * is reference data that does not change while the server runs. */

static int on_skill(void *arg, const struct store_skill_row *k) {
  struct xj_skills *t = arg;
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 512;
    struct store_skill_row *row = realloc(t->row, cap * sizeof *row);
    if (row == NULL)
      return STORE_ENOMEM;
    t->row = row;
    t->cap = cap;
  }
  t->row[t->n++] = *k;
  return 0;
}

int xj_skills_load(struct store *s, struct xj_skills *t) {
  return store_skill_each(s, on_skill, t);
}

void xj_skills_free(struct xj_skills *t) {
  free(t->row);
  t->row = NULL;
  t->n = t->cap = 0;
}

static const struct store_skill_row *skill_by_id(const struct xj_skills *t, int64_t id) {
  size_t lo = 0, hi = t->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->row[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < t->n && t->row[lo].id == id ? &t->row[lo] : NULL;
}

static json_t *skill_json(const struct store_skill_row *k) {
  return json_pack("{s:s, s:s, s:s}", "code", k->code, "name_id", k->name_id, "name_en",
                   k->name_en);
}

/* Skills by engine index as [{code, name_id, name_en}]. */
json_t *xj_skills_by_index(const struct xj_skills *t, const uint16_t *idx, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; a != NULL && i < n; i++)
    if (idx[i] < t->n && json_array_append_new(a, skill_json(&t->row[idx[i]])) != 0) {
      json_decref(a);
      a = NULL;
    }
  return a;
}

/* A resident's "skill_id:certified;..." as [{code, name_id, name_en, certified}]. */
json_t *xj_resident_skills(const struct xj_skills *t, const char *list) {
  json_t *a = json_array();
  const char *p = list;
  while (a != NULL && *p != '\0') {
    char *end;
    long long id = strtoll(p, &end, 10);
    int certified = *end == ':' && end[1] == '1';
    const struct store_skill_row *k = skill_by_id(t, id);
    json_t *s = k != NULL ? skill_json(k) : NULL;
    if (k != NULL && (s == NULL || json_object_set_new(s, "certified", json_boolean(certified)))) {
      json_decref(s); /* not in the array yet: released here (it leaked before) */
      json_decref(a);
      a = NULL;
    } else if (k != NULL && json_array_append_new(a, s) != 0) {
      json_decref(a);
      a = NULL;
    }
    p = strchr(end, ';');
    if (p == NULL)
      break;
    p++;
  }
  return a;
}

/* ---- Explanations ------------------------------------------------------------------ */

double xj_rounded(double x, double unit) {
  return round(x / unit) * unit;
}

/* The commute band an employer sees for a distance in km. */
static const char *commute_band(double km) {
  return km < 2.0 ? "under-2km" : km < 5.0 ? "2-5km" : km < 10.0 ? "5-10km" : "over-10km";
}

/* The commute component's value as an employer sees it: to a quarter. */
static double employer_commute_value(double v) {
  return xj_rounded(v, 0.25);
}

/* The commute reason and value an employer reads: the band only, without
 * the engine's kilometres, "from <home kelurahan> to <workplace>" and
 * cost.  With the kecamatan and the public kelurahan centroids, a distance
 * to 0.1 km (or a cost, which is the distance times a constant) located
 * the home kelurahan of every candidate. */
static void employer_commute(const struct mt_explanation *x, struct mt_part *p) {
  p->value = employer_commute_value(p->value);
  if (x->commute_km < 0.0) {
    snprintf(p->reason_id, sizeof p->reason_id,
             "Lokasi tempat tinggal atau tempat kerja belum tercatat; jarak tempuh tidak dinilai.");
    snprintf(p->reason_en, sizeof p->reason_en,
             "Home or workplace location not recorded; commute not scored.");
    return;
  }
  static const struct {
    const char *band, *id, *en;
  } texts[] = {{"under-2km", "kurang dari 2 km", "under 2 km"},
               {"2-5km", "2–5 km", "2–5 km"},
               {"5-10km", "5–10 km", "5–10 km"},
               {"over-10km", "lebih dari 10 km", "over 10 km"}};
  const char *band = commute_band(x->commute_km);
  size_t i = 0;
  while (i + 1 < sizeof texts / sizeof texts[0] && strcmp(texts[i].band, band) != 0)
    i++;
  snprintf(p->reason_id, sizeof p->reason_id, "Jarak ke tempat kerja %s%s", texts[i].id,
           p->known ? "." : "; upah tidak dicantumkan, jadi tidak dinilai.");
  snprintf(p->reason_en, sizeof p->reason_en, "The workplace is %s away%s", texts[i].en,
           p->known ? "." : "; the wage is not stated, so not scored.");
}

double xj_employer_fit(const struct mt_explanation *x) {
  const struct mt_part *c = &x->fit_parts[MT_FIT_COMMUTE];
  double wsum = 0.0;
  for (size_t k = 0; k < MT_N_FIT; k++)
    if (x->fit_parts[k].known)
      wsum += x->fit_parts[k].weight;
  if (!c->known || wsum <= 0.0)
    return x->fit;
  double fit = x->fit + 100.0 * c->weight * (employer_commute_value(c->value) - c->value) / wsum;
  return fit < 0.0 ? 0.0 : fit > 100.0 ? 100.0 : fit;
}

static json_t *part_json(const char *code, const struct mt_part *p) {
  return json_pack("{s:s, s:b, s:f, s:f, s:s, s:s}", "component", code, "known", p->known, "value",
                   xj_rounded(p->value, 0.001), "weight", p->weight, "reason_id", p->reason_id,
                   "reason_en", p->reason_en);
}

static json_t *number_or_null(double x, double unit) {
  return x < 0.0 ? json_null() : json_real(xj_rounded(x, unit));
}

/* The components of one kind as [{component, known, value, weight,
 * reason_id, reason_en}]. */
static json_t *parts_json(const struct mt_explanation *x, int priority, int pseudonymous) {
  size_t n = priority ? MT_N_PRIO : MT_N_FIT;
  json_t *a = json_array();
  for (size_t k = 0; a != NULL && k < n; k++) {
    struct mt_part part = priority ? x->priority_parts[k] : x->fit_parts[k];
    const char *code = priority ? mt_priority_component_code((enum mt_priority_component)k)
                                : mt_fit_component_code((enum mt_fit_component)k);
    if (!priority && pseudonymous && k == MT_FIT_COMMUTE)
      employer_commute(x, &part);
    if (json_array_append_new(a, part_json(code, &part)) != 0) {
      json_decref(a);
      a = NULL;
    }
  }
  return a;
}

/* Every fit component, and unless pseudonymous every priority component,
 * with its value, weight and reasons; matched and missing skills; commute.
 * NULL when out of memory. */
json_t *xj_explanation(const struct xj_skills *t, const struct mt_explanation *x,
                       int pseudonymous) {
  if (pseudonymous)
    return json_pack("{s:o, s:o, s:o, s:s?}", "fit_components", parts_json(x, 0, 1),
                     "matched_skills", xj_skills_by_index(t, x->matched, x->n_matched),
                     "missing_skills", xj_skills_by_index(t, x->missing, x->n_missing),
                     "commute_band", x->commute_km < 0.0 ? NULL : commute_band(x->commute_km));
  json_t *out =
      json_pack("{s:o, s:o, s:o, s:o, s:o}", "fit_components", parts_json(x, 0, pseudonymous),
                "matched_skills", xj_skills_by_index(t, x->matched, x->n_matched), "missing_skills",
                xj_skills_by_index(t, x->missing, x->n_missing), "commute_km",
                number_or_null(x->commute_km, 0.1), "commute_cost_monthly",
                number_or_null(x->commute_cost_monthly, 1.0));
  if (out != NULL && !pseudonymous &&
      json_object_set_new(out, "priority_components", parts_json(x, 1, 0)) != 0) {
    json_decref(out);
    out = NULL;
  }
  return out;
}

json_t *xj_explanations(struct store *s, const struct mt_explanation *const *xs, size_t n) {
  struct xj_skills t = {0};
  json_t *a = xj_skills_load(s, &t) == STORE_OK ? json_array() : NULL;
  for (size_t i = 0; a != NULL && i < n; i++) {
    json_t *x = xs[i] != NULL ? xj_explanation(&t, xs[i], 0) : json_null();
    if (x == NULL || json_array_append_new(a, x) != 0) {
      json_decref(a);
      a = NULL;
    }
  }
  xj_skills_free(&t);
  return a;
}
