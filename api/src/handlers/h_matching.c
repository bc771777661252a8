/*
 * h_matching.c — rankings served from the engine's in-memory snapshot: the
 * candidates for a vacancy, the vacancies and "train then apply" courses
 * for a resident, and the city's training plan (DESIGN.md §5.4).
 *
 * Candidates come in two views.  Officers and admins get the full one,
 * ordered by the ranking key: resident id, name, kelurahan, fit, priority,
 * key and every fit and priority component with its reason.  The
 * vacancy's own employer gets a pseudonymous one, ordered by fit: a
 * candidate id that is stable for this vacancy and says nothing across
 * vacancies (auth_pseudonym), age band, kecamatan, education, skills, fit
 * and the fit components only.  The commute is shown to it as a band
 * (under 2 km, 2–5, 5–10, over 10), never as kilometres or a rupiah cost
 * (the cost is the distance times a constant): with the kecamatan and the
 * public kelurahan centroids, a distance to 0.1 km located the home
 * kelurahan of every candidate.  The commute component's value is cut to
 * quarters and the fit the employer sees is the engine's fit with that
 * coarse value put in, so that no figure carries the distance finer than
 * the band's order of magnitude.  The commute reason names no kelurahan;
 * nothing else in the fit reasons names the resident, their welfare, their
 * priority or a disability.
 *
 * Engine calls run under the snapshot's shared lock and copy out what they
 * need; store reads and JSON building happen after it is released.  Each
 * resident a reply shows is one audit row (access.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "app.h"
#include "http.h"
#include "json_io.h"
#include "listing.h"

#define CANDIDATES_DEFAULT 20
#define CANDIDATES_MAX 100
#define VACANCIES_DEFAULT 10
#define VACANCIES_MAX 100
#define COURSES_DEFAULT 5
#define COURSES_MAX 40
/* A course may unlock hundreds of vacancies; the reply names the first ones. */
#define UNLOCKED_LISTED 20
#define PLAN_DEFAULT 10
#define PLAN_MAX 40

/* ---- Skills by engine index ------------------------------------------------------ */

/* The engine names skills by their index in the array the snapshot was
 * built from, which is the skills table in id order (snapshot.c); the table
 * is reference data that does not change while the server runs. */
struct skills {
  struct store_skill_row *row; /* by id */
  size_t n, cap;
};

static int on_skill(void *arg, const struct store_skill_row *k) {
  struct skills *t = arg;
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

static const struct store_skill_row *skill_by_id(const struct skills *t, int64_t id) {
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
static json_t *skills_by_index(const struct skills *t, const uint16_t *idx, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; a != NULL && i < n; i++)
    if (idx[i] < t->n && json_array_append_new(a, skill_json(&t->row[idx[i]])) != 0) {
      json_decref(a);
      a = NULL;
    }
  return a;
}

/* A resident's "skill_id:certified;..." as [{code, name_id, name_en, certified}]. */
static json_t *resident_skills(const struct skills *t, const char *list) {
  json_t *a = json_array();
  const char *p = list;
  while (a != NULL && *p != '\0') {
    char *end;
    long long id = strtoll(p, &end, 10);
    int certified = *end == ':' && end[1] == '1';
    const struct store_skill_row *k = skill_by_id(t, id);
    json_t *s = k != NULL ? skill_json(k) : NULL;
    if (k != NULL && (s == NULL || json_object_set_new(s, "certified", json_boolean(certified)) ||
                      json_array_append_new(a, s))) {
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

static double rounded(double x, double unit) {
  return round(x / unit) * unit;
}

/* The commute band an employer sees for a distance in km. */
static const char *commute_band(double km) {
  return km < 2.0 ? "under-2km" : km < 5.0 ? "2-5km" : km < 10.0 ? "5-10km" : "over-10km";
}

/* The commute component's value as an employer sees it: to a quarter. */
static double employer_commute_value(double v) {
  return rounded(v, 0.25);
}

/* The commute reason and value an employer reads: the band only, without
 * the engine's kilometres, "from <home kelurahan> to <workplace>" and
 * cost. */
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

/* The fit an employer sees: the engine's, with the commute component's
 * value cut as employer_commute cuts it (fit is 100 times the known
 * components' weighted mean). */
static double employer_fit(const struct mt_explanation *x) {
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
                   rounded(p->value, 0.001), "weight", p->weight, "reason_id", p->reason_id,
                   "reason_en", p->reason_en);
}

static json_t *number_or_null(double x, double unit) {
  return x < 0.0 ? json_null() : json_real(rounded(x, unit));
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
static json_t *explanation_json(const struct skills *t, const struct mt_explanation *x,
                                int pseudonymous) {
  if (pseudonymous)
    return json_pack("{s:o, s:o, s:o, s:s?}", "fit_components", parts_json(x, 0, 1),
                     "matched_skills", skills_by_index(t, x->matched, x->n_matched),
                     "missing_skills", skills_by_index(t, x->missing, x->n_missing), "commute_band",
                     x->commute_km < 0.0 ? NULL : commute_band(x->commute_km));
  json_t *out =
      json_pack("{s:o, s:o, s:o, s:o, s:o}", "fit_components", parts_json(x, 0, pseudonymous),
                "matched_skills", skills_by_index(t, x->matched, x->n_matched), "missing_skills",
                skills_by_index(t, x->missing, x->n_missing), "commute_km",
                number_or_null(x->commute_km, 0.1), "commute_cost_monthly",
                number_or_null(x->commute_cost_monthly, 1.0));
  if (out != NULL && !pseudonymous &&
      json_object_set_new(out, "priority_components", parts_json(x, 1, 0)) != 0) {
    json_decref(out);
    out = NULL;
  }
  return out;
}

/* ---- Candidates for a vacancy -------------------------------------------------------- */

/* "18-24" and so on for a birth date on day today (both ISO); NULL unknown. */
static const char *age_band(const char *birth, const char *today) {
  static const struct {
    int max;
    const char *name;
  } bands[] = {{17, "15-17"}, {24, "18-24"}, {34, "25-34"},
               {44, "35-44"}, {54, "45-54"}, {64, "55-64"}};
  int by, bm, bd, ty, tm, td;
  if (sscanf(birth, "%4d-%2d-%2d", &by, &bm, &bd) != 3 ||
      sscanf(today, "%4d-%2d-%2d", &ty, &tm, &td) != 3)
    return NULL;
  int age = ty - by - (tm < bm || (tm == bm && td < bd));
  if (age < 15)
    return "under-15";
  for (size_t i = 0; i < sizeof bands / sizeof bands[0]; i++)
    if (age <= bands[i].max)
      return bands[i].name;
  return "65+";
}

static json_t *candidate_full(const struct skills *t, const struct store_candidate *c,
                              const struct mt_hit *h, const struct mt_explanation *x) {
  json_t *kel = c->kelurahan_id < 0 ? json_null()
                                    : json_pack("{s:I, s:s}", "id", (json_int_t)c->kelurahan_id,
                                                "name", c->kelurahan_name);
  return json_pack("{s:I, s:s?, s:o, s:f, s:f, s:f, s:o}", "resident_id", (json_int_t)c->id, "name",
                   c->name[0] ? c->name : NULL, "kelurahan", kel, "fit", rounded(x->fit, 0.01),
                   "priority", rounded(x->priority, 0.01), "key", rounded(h->key, 0.01),
                   "explanation", explanation_json(t, x, 0));
}

static json_t *candidate_pseudonymous(struct api_req *r, const struct skills *t,
                                      const struct store_candidate *c, int64_t vacancy_id,
                                      const struct mt_explanation *x, const char *today) {
  char cid[API_CANDIDATE_ID_SIZE];
  if (api_candidate_id(r, vacancy_id, c->id, cid) != 0)
    return NULL;
  return json_pack("{s:s, s:s?, s:s?, s:s?, s:o, s:f, s:o}", "candidate_id", cid, "age_band",
                   age_band(c->birth_date, today), "kecamatan",
                   c->kecamatan_name[0] ? c->kecamatan_name : NULL, "education",
                   c->education[0] ? c->education : NULL, "skills", resident_skills(t, c->skills),
                   "fit", rounded(employer_fit(x), 0.01), "explanation", explanation_json(t, x, 1));
}

/* Higher shown fit first, then by candidate id (a pseudonym, so a tie
 * says nothing): the order the engine's finer fit gave would hand the
 * finer commute back. */
static int shown_fit_cmp(const void *pa, const void *pb) {
  const json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
  double fa = json_number_value(json_object_get(a, "fit"));
  double fb = json_number_value(json_object_get(b, "fit"));
  if (fa != fb)
    return fa > fb ? -1 : 1;
  return strcmp(json_string_value(json_object_get(a, "candidate_id")),
                json_string_value(json_object_get(b, "candidate_id")));
}

/* Sorts the employer's candidates in place by shown_fit_cmp; 0, or -1 out
 * of memory. */
static int by_shown_fit(json_t *items) {
  size_t n = json_array_size(items);
  if (n < 2)
    return 0;
  json_t **v = malloc(n * sizeof *v);
  if (v == NULL)
    return -1;
  for (size_t i = 0; i < n; i++)
    v[i] = json_incref(json_array_get(items, i));
  qsort(v, n, sizeof *v, shown_fit_cmp);
  int rc = 0;
  for (size_t i = 0; i < n; i++)
    if (json_array_set_new(items, i, v[i]) != 0)
      rc = -1;
  free(v);
  return rc;
}

static enum MHD_Result h_candidates(struct api_req *r) {
  int64_t k = CANDIDATES_DEFAULT, vid = r->id[0];
  int employer = r->who.role == AUTH_EMPLOYER;
  struct mt_hit *hits = NULL;
  struct mt_explanation *xs = NULL;
  struct skills t = {0};
  json_t *items = NULL;
  int64_t *shown = NULL;
  size_t n = 0, n_shown = 0;
  char today[11];
  int rc;
  enum MHD_Result ret = MHD_YES;

  if (api_query_int(r, "limit", 1, CANDIDATES_MAX, &k) != 0)
    return MHD_YES;
  if (api_authorize(r, API_O_VACANCY, vid, API_RECOMMEND) != 0)
    return MHD_YES;
  hits = calloc((size_t)k, sizeof *hits);
  xs = calloc((size_t)k, sizeof *xs);
  shown = calloc((size_t)k, sizeof *shown);
  items = json_array();
  if (hits == NULL || xs == NULL || shown == NULL || items == NULL)
    goto fail;

  const struct mt_engine *e = api_engine_acquire(r->app);
  enum mt_status st = vid <= UINT32_MAX
                          ? mt_rank_candidates(e, (uint32_t)vid, employer ? MT_BY_FIT : MT_BY_KEY,
                                               (size_t)k, hits, &n)
                          : MT_ENOTFOUND;
  for (size_t i = 0; st == MT_OK && i < n; i++)
    st = mt_explain(e, hits[i].id, (uint32_t)vid, &xs[i]);
  api_engine_release(r->app);
  if (st == MT_ENOTFOUND) /* a vacancy the snapshot does not hold has nobody */
    n = 0;
  else if (st != MT_OK)
    goto fail;

  rc = store_skill_each(r->db, on_skill, &t);
  if (rc != STORE_OK) {
    ret = api_reply_store(r, rc);
    goto cleanup;
  }
  api_today(today);
  for (size_t i = 0; i < n; i++) {
    struct store_candidate c;
    rc = store_candidate_get(r->db, hits[i].id, &c);
    if (rc == STORE_ENOTFOUND) /* erased since the snapshot saw them */
      continue;
    json_t *item = rc != STORE_OK ? NULL
                   : employer     ? candidate_pseudonymous(r, &t, &c, vid, &xs[i], today)
                                  : candidate_full(&t, &c, &hits[i], &xs[i]);
    if (json_array_append_new(items, item) != 0)
      goto fail;
    shown[n_shown++] = c.id;
  }
  if (employer && by_shown_fit(items) != 0)
    goto fail;
  if (api_audit_personal_each(r, shown, n_shown,
                              employer ? "candidates_pseudonymous" : "candidates") != 0)
    goto cleanup;
  ret = api_reply_json(r, MHD_HTTP_OK,
                       json_pack("{s:I, s:s, s:O}", "vacancy_id", (json_int_t)vid, "order",
                                 employer ? "fit" : "key", "items", items));
  goto cleanup;
fail:
  ret = api_reply_problem(r, API_E_INTERNAL);
cleanup:
  json_decref(items);
  free(t.row);
  free(shown);
  free(xs);
  free(hits);
  return ret;
}

/* ---- Recommendations for a resident ------------------------------------------------------ */

struct recs {
  struct mt_hit *hits;
  struct mt_explanation *xs;
  size_t n;
  struct mt_course_recs *courses;
  int resident_reason; /* why the resident is matched to nothing, or MT_R_ELIGIBLE */
};

/* Runs the engine's part of a recommendation under the shared lock. */
static enum mt_status recommend(struct api_req *r, int64_t rid, size_t k, size_t m,
                                int64_t probe_vacancy, struct recs *out) {
  const struct mt_engine *e = api_engine_acquire(r->app);
  enum mt_status st = rid <= UINT32_MAX
                          ? mt_rank_vacancies(e, (uint32_t)rid, MT_BY_KEY, k, out->hits, &out->n)
                          : MT_ENOTFOUND;
  for (size_t i = 0; st == MT_OK && i < out->n; i++)
    st = mt_explain(e, (uint32_t)rid, out->hits[i].id, &out->xs[i]);
  if (st == MT_OK)
    st = mt_recommend_courses(e, (uint32_t)rid, m, &out->courses);
  /* A resident with no vacancy at all is usually excluded by a rule about
   * them (unverified, working, ...); any vacancy shows which one, since
   * the engine checks the resident's own rules first. */
  if (st == MT_OK && out->n == 0 && probe_vacancy > 0 && probe_vacancy <= UINT32_MAX) {
    struct mt_explanation *probe = &out->xs[0];
    if (mt_explain(e, (uint32_t)rid, (uint32_t)probe_vacancy, probe) == MT_OK &&
        probe->reason >= MT_R_AGE_UNKNOWN && probe->reason <= MT_R_VERIFICATION_EXPIRED)
      out->resident_reason = (int)probe->reason;
  }
  api_engine_release(r->app);
  return st;
}

static json_t *vacancy_ref(struct store *s, int64_t id) {
  struct store_vacancy_brief v;
  if (store_vacancy_brief(s, id, &v) != STORE_OK)
    return NULL;
  return json_pack("{s:I, s:s, s:s, s:{s:I, s:s}}", "vacancy_id", (json_int_t)v.id, "code", v.code,
                   "title", v.title, "employer", "id", (json_int_t)v.employer_id, "name",
                   v.employer_name);
}

static json_t *course_rec_json(struct store *s, const struct mt_course_rec *c) {
  struct store_course_brief co;
  if (store_course_brief(s, c->course_id, &co) != STORE_OK)
    return NULL;
  json_t *unlocked = json_array();
  for (size_t i = 0; unlocked != NULL && i < c->n_unlocked && i < UNLOCKED_LISTED; i++)
    if (json_array_append_new(unlocked, vacancy_ref(s, c->unlocked[i])) != 0) {
      json_decref(unlocked);
      unlocked = NULL;
    }
  return json_pack("{s:I, s:s, s:s, s:f, s:I, s:f, s:I, s:o}", "course_id",
                   (json_int_t)c->course_id, "code", co.code, "name", co.name, "placement_rate",
                   rounded(c->placement_rate, 0.0001), "openings_reachable",
                   (json_int_t)c->openings_reachable, "expected_placements",
                   rounded(c->expected_placements, 0.01), "n_unlocked", (json_int_t)c->n_unlocked,
                   "unlocked_vacancies", unlocked);
}

static enum MHD_Result h_recommendations(struct api_req *r) {
  int64_t k = VACANCIES_DEFAULT, m = COURSES_DEFAULT, rid = r->id[0], probe = -1;
  struct recs rec = {0};
  struct skills t = {0};
  json_t *vacancies = json_array(), *courses = json_array(), *why = json_null();
  enum MHD_Result ret = MHD_YES;

  if (api_query_int(r, "limit", 1, VACANCIES_MAX, &k) != 0 ||
      api_query_int(r, "courses", 0, COURSES_MAX, &m) != 0)
    goto cleanup;
  if (api_authorize(r, API_O_RESIDENT, rid, API_RECOMMEND) != 0)
    goto cleanup;
  rec.hits = calloc((size_t)k, sizeof *rec.hits);
  rec.xs = calloc((size_t)k, sizeof *rec.xs);
  int rc = store_vacancy_lowest(r->db, &probe);
  if (rec.hits == NULL || rec.xs == NULL || vacancies == NULL || courses == NULL ||
      (rc != STORE_OK && rc != STORE_ENOTFOUND))
    goto fail;
  enum mt_status st = recommend(r, rid, (size_t)k, (size_t)m, probe, &rec);
  if (st != MT_OK && st != MT_ENOTFOUND)
    goto fail;
  rc = store_skill_each(r->db, on_skill, &t);
  if (rc != STORE_OK) {
    ret = api_reply_store(r, rc);
    goto cleanup;
  }
  for (size_t i = 0; i < rec.n; i++) {
    json_t *v = vacancy_ref(r->db, rec.hits[i].id);
    if (v == NULL ||
        json_object_update_new(
            v, json_pack("{s:f, s:f, s:f, s:o}", "fit", rounded(rec.xs[i].fit, 0.01), "priority",
                         rounded(rec.xs[i].priority, 0.01), "key", rounded(rec.hits[i].key, 0.01),
                         "explanation", explanation_json(&t, &rec.xs[i], 0))) != 0 ||
        json_array_append_new(vacancies, v) != 0)
      goto fail;
  }
  for (size_t i = 0; rec.courses != NULL && i < rec.courses->n; i++)
    if (json_array_append_new(courses, course_rec_json(r->db, &rec.courses->recs[i])) != 0)
      goto fail;
  if (rec.resident_reason != MT_R_ELIGIBLE) {
    enum mt_reason why_r = (enum mt_reason)rec.resident_reason;
    json_decref(why);
    why = json_pack("{s:s, s:s, s:s}", "code", mt_reason_code(why_r), "reason_id",
                    mt_reason_text_id(why_r), "reason_en", mt_reason_text_en(why_r));
  }
  if (api_audit_personal(r, rid, "recommendations") != 0)
    goto cleanup;
  ret = api_reply_json(r, MHD_HTTP_OK,
                       json_pack("{s:I, s:O, s:O, s:O}", "resident_id", (json_int_t)rid,
                                 "not_matched_because", why, "vacancies", vacancies,
                                 "train_then_apply", courses));
  goto cleanup;
fail:
  ret = api_reply_problem(r, API_E_INTERNAL);
cleanup:
  json_decref(why);
  json_decref(vacancies);
  json_decref(courses);
  mt_course_recs_free(rec.courses);
  free(rec.xs);
  free(rec.hits);
  free(t.row);
  return ret;
}

/* ---- Training plan ----------------------------------------------------------------------- */

static json_t *batch_json(struct store *s, const struct mt_plan_batch *b) {
  struct store_course_brief co;
  if (store_course_brief(s, b->course_id, &co) != STORE_OK)
    return NULL;
  json_t *who = json_array();
  for (size_t i = 0; who != NULL && i < b->n_residents; i++)
    if (json_array_append_new(who, json_integer(b->residents[i])) != 0) {
      json_decref(who);
      who = NULL;
    }
  return json_pack("{s:I, s:s, s:s, s:f, s:I, s:o}", "course_id", (json_int_t)b->course_id, "code",
                   co.code, "name", co.name, "expected_placements",
                   rounded(b->expected_placements, 0.01), "n_residents", (json_int_t)b->n_residents,
                   "residents", who);
}

static enum MHD_Result h_training_plan(struct api_req *r) {
  int64_t max_batches = PLAN_DEFAULT;
  struct mt_training_plan *plan = NULL;
  json_t *batches = NULL;
  char today[11];
  enum MHD_Result ret;

  if (api_query_int(r, "max_batches", 1, PLAN_MAX, &max_batches) != 0)
    return MHD_YES;
  const struct mt_engine *e = api_engine_acquire(r->app);
  enum mt_status st = mt_training_plan(e, (size_t)max_batches, &plan);
  api_engine_release(r->app);
  batches = json_array();
  if (st != MT_OK || batches == NULL)
    goto fail;
  for (size_t i = 0; i < plan->n_batches; i++)
    if (json_array_append_new(batches, batch_json(r->db, &plan->batches[i])) != 0)
      goto fail;
  api_today(today);
  ret = api_reply_json(r, MHD_HTTP_OK,
                       json_pack("{s:s, s:f, s:O}", "run_date", today, "expected_placements",
                                 rounded(plan->expected_placements, 0.01), "batches", batches));
  goto cleanup;
fail:
  ret = api_reply_problem(r, API_E_INTERNAL);
cleanup:
  json_decref(batches);
  mt_training_plan_free(plan);
  return ret;
}

static const char *const candidates_query[] = {"limit", NULL};
static const char *const recommendations_query[] = {"limit", "courses", NULL};
static const char *const plan_query[] = {"max_batches", NULL};

const struct api_route api_routes_matching[] = {
    {.method = "GET",
     .pattern = "/v1/vacancies/{id}/candidates",
     .handler = h_candidates,
     .roles = AUTH_ADMIN | AUTH_OFFICER | AUTH_EMPLOYER,
     .query = candidates_query},
    {.method = "GET",
     .pattern = "/v1/residents/{id}/recommendations",
     .handler = h_recommendations,
     .roles = AUTH_ADMIN | AUTH_OFFICER | AUTH_DESK,
     .query = recommendations_query},
    {.method = "GET",
     .pattern = "/v1/training-plan",
     .handler = h_training_plan,
     .roles = AUTH_ADMIN | AUTH_OFFICER,
     .query = plan_query},
    {.method = NULL},
};
