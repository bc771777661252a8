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
 * (under 2 km, 2–5, 5–10, over 10), never as kilometres or a rupiah cost,
 * and the fit it sees is computed with the commute value cut to quarters
 * (core/explain_json.c says why); the list is ordered by that shown fit.
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
#include "dates.h"
#include "http.h"
#include "jbuf.h"
#include "json_io.h"
#include "explain_json.h"
#include "refcache.h"
#include "respcache.h"
#include "listing.h"
#include "runs.h"
#include "snapshot.h"

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

/* ---- Candidates for a vacancy -------------------------------------------------------- */

/* "18-24" and so on for a birth date on day today (both ISO); NULL unknown. */
static const char *age_band(const char *birth, const char *today) {
  static const struct {
    int max;
    const char *name;
  } bands[] = {{17, "15-17"}, {24, "18-24"}, {34, "25-34"},
               {44, "35-44"}, {54, "45-54"}, {64, "55-64"}};
  struct date_ymd born, on;
  if (date_parse(birth, strlen(birth), &born) != 0 || date_parse(today, strlen(today), &on) != 0)
    return NULL;
  int age = date_age(&born, &on);
  if (age < 15)
    return "under-15";
  for (size_t i = 0; i < sizeof bands / sizeof bands[0]; i++)
    if (age <= bands[i].max)
      return bands[i].name;
  return "65+";
}

/* A vacancy's page of candidates as kept per engine generation: who is
 * shown, in the order shown, and for each the part of their item that
 * depends on the snapshot only, rendered: `"fit":…,"explanation":{…}}`
 * (and the officer's priority and key, the employer's candidate id).  The
 * rest of an item (name, kelurahan; age band, kecamatan, education,
 * skills) is the store's live row, read and written on every request, so a
 * correction shows in the very next answer.  One malloc'd block, n, the n
 * resident ids, n + 1 offsets into the text, then the text, so that the
 * answer cache can keep it as it is. */
struct page {
  uint64_t n;
  const uint64_t *ids, *off;
  const char *text;
  char *block; /* owns it all */
  size_t len;
};

/* Points pg's fields into block (len bytes, stolen); 0, or -1 (and block
 * freed) when it is not a whole page. */
static int page_open(struct page *pg, char *block, size_t len) {
  uint64_t n = 0;
  if (len >= sizeof n)
    memcpy(&n, block, sizeof n);
  size_t head = 0;
  if (len < sizeof n || n > CANDIDATES_MAX || len < (head = (size_t)(2 + 2 * n) * sizeof n) ||
      ((const uint64_t *)(const void *)block)[1 + n + n] != len - head) {
    free(block);
    return -1;
  }
  pg->n = n;
  pg->ids = (const uint64_t *)(const void *)block + 1;
  pg->off = pg->ids + n;
  pg->text = block + head;
  pg->block = block;
  pg->len = len;
  return 0;
}

/* One candidate while a page is built. */
struct entry {
  uint32_t id;
  double fit; /* as shown: the employer's sorts by it */
  char cid[API_CANDIDATE_ID_SIZE];
  char *text; /* json_dumps of the snapshot's part; its '{' is left out */
};

/* Higher shown fit first, then by candidate id (a pseudonym, so a tie
 * says nothing): the order the engine's finer fit gave would hand the
 * finer commute back. */
static int shown_fit_cmp(const void *pa, const void *pb) {
  const struct entry *a = pa, *b = pb;
  if (a->fit != b->fit)
    return a->fit > b->fit ? -1 : 1;
  return strcmp(a->cid, b->cid);
}

/* The snapshot's part of the item of the candidate h, x, rendered into
 * e->text; 0 or -1 (out of memory). */
static int entry_render(struct api_req *r, const struct xj_skills *t, int64_t vid, int employer,
                        const struct mt_hit *h, const struct mt_explanation *x, struct entry *e) {
  json_t *doc;
  e->id = h->id;
  if (employer) {
    e->fit = xj_rounded(xj_employer_fit(x), 0.01);
    if (api_candidate_id(r, vid, h->id, e->cid) != 0)
      return -1;
    doc = json_pack("{s:s, s:f, s:o}", "candidate_id", e->cid, "fit", e->fit, "explanation",
                    xj_explanation(t, x, 1));
  } else {
    doc = json_pack("{s:f, s:f, s:f, s:o}", "fit", xj_rounded(x->fit, 0.01), "priority",
                    xj_rounded(x->priority, 0.01), "key", xj_rounded(h->key, 0.01), "explanation",
                    xj_explanation(t, x, 0));
  }
  e->text = doc != NULL ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
  json_decref(doc);
  return e->text != NULL && e->text[0] == '{' ? 0 : -1;
}

/* Packs es (n of them) into a page's block; 0 or -1 (out of memory). */
static int page_pack(const struct entry *es, size_t n, struct page *pg) {
  size_t head = (2 + 2 * n) * sizeof(uint64_t), len = head;
  for (size_t i = 0; i < n; i++)
    len += strlen(es[i].text + 1);
  char *block = malloc(len);
  if (block == NULL)
    return -1;
  uint64_t *w = (uint64_t *)(void *)block;
  w[0] = n;
  size_t at = 0;
  for (size_t i = 0; i < n; i++) {
    size_t m = strlen(es[i].text + 1);
    w[1 + i] = es[i].id;
    w[1 + n + i] = at;
    memcpy(block + head + at, es[i].text + 1, m);
    at += m;
  }
  w[1 + n + n] = at;
  return page_open(pg, block, len);
}

/* The top k of vacancy vid, ranked and rendered from the engine (the
 * employer's in the shown order, the officer's by key), into *pg. */
static enum mt_status page_build(struct api_req *r, int64_t vid, int employer, size_t k,
                                 struct page *pg) {
  const struct xj_skills *t = refcache_skills(api_refcache(r->app));
  struct mt_hit *hits = calloc(k, sizeof *hits);
  struct mt_explanation *xs = calloc(k, sizeof *xs);
  struct entry *es = calloc(k, sizeof *es);
  size_t n = 0;
  enum mt_status st = MT_ENOMEM;
  if (hits == NULL || xs == NULL || es == NULL)
    goto done;
  const struct mt_engine *e = api_engine_acquire(r->app);
  st = vid <= UINT32_MAX
           ? mt_rank_candidates(e, (uint32_t)vid, employer ? MT_BY_FIT : MT_BY_KEY, k, hits, &n)
           : MT_ENOTFOUND;
  for (size_t i = 0; st == MT_OK && i < n; i++)
    st = mt_explain(e, hits[i].id, (uint32_t)vid, &xs[i]);
  api_engine_release(r->app);
  if (st == MT_ENOTFOUND) /* a vacancy the snapshot does not hold has nobody */
    n = 0, st = MT_OK;
  for (size_t i = 0; st == MT_OK && i < n; i++)
    if (entry_render(r, t, vid, employer, &hits[i], &xs[i], &es[i]) != 0)
      st = MT_ENOMEM;
  if (st == MT_OK && employer)
    qsort(es, n, sizeof *es, shown_fit_cmp);
  if (st == MT_OK && page_pack(es, n, pg) != 0)
    st = MT_ENOMEM;
done:
  for (size_t i = 0; es != NULL && i < n; i++)
    free(es[i].text);
  free(es);
  free(xs);
  free(hits);
  return st;
}

/* The page of vacancy vid for this snapshot generation: from the answer
 * cache when the same was asked of it (scoring every resident against the
 * vacancy and rendering 20 explanations is nearly all of a request's
 * time), else built and kept.  The cache holds the ranking only, never who
 * asked: the caller authorises, reads and audits every time.  Its key's
 * first number is negative (-vid): recommendations' keys hold a resident
 * id. */
static enum mt_status page_get(struct api_req *r, int64_t vid, int employer, size_t k,
                               struct page *pg) {
  const int64_t key[3] = {-vid, (int64_t)k, employer};
  uint64_t gen = api_engine_generation(r->app);
  char *block = NULL;
  size_t len = 0;
  if (respcache_get(api_respcache(r->app), key, gen, &block, &len) &&
      page_open(pg, block, len) == 0)
    return MT_OK;
  enum mt_status st = page_build(r, vid, employer, k, pg);
  if (st == MT_OK) /* too big or out of memory: only not kept */
    respcache_put(api_respcache(r->app), key, gen, pg->block, pg->len);
  return st;
}

/* Item i of pg, whose live row is c, into b: the live fields, then the
 * kept part.  0, or -1 out of memory. */
static int item_write(struct jbuf *b, const struct xj_skills *t, const struct page *pg, size_t i,
                      const struct store_candidate *c, int employer, const char *today) {
  if (employer) {
    jbuf_lit(b, "{\"age_band\":");
    jbuf_str(b, age_band(c->birth_date, today));
    jbuf_lit(b, ",\"kecamatan\":");
    jbuf_str(b, c->kecamatan_name[0] ? c->kecamatan_name : NULL);
    jbuf_lit(b, ",\"education\":");
    jbuf_str(b, c->education[0] ? c->education : NULL);
    jbuf_lit(b, ",\"skills\":");
    json_t *skills = xj_resident_skills(t, c->skills);
    char *s = skills != NULL ? json_dumps(skills, JSON_COMPACT) : NULL;
    json_decref(skills);
    if (s == NULL)
      return -1;
    jbuf_lit(b, s);
    free(s);
  } else {
    jbuf_lit(b, "{\"resident_id\":");
    jbuf_int(b, c->id);
    jbuf_lit(b, ",\"name\":");
    jbuf_str(b, c->name[0] ? c->name : NULL);
    jbuf_lit(b, ",\"kelurahan\":");
    if (c->kelurahan_id < 0) {
      jbuf_lit(b, "null");
    } else {
      jbuf_lit(b, "{\"id\":");
      jbuf_int(b, c->kelurahan_id);
      jbuf_lit(b, ",\"name\":");
      jbuf_str(b, c->kelurahan_name);
      jbuf_lit(b, "}");
    }
  }
  jbuf_lit(b, ",");
  jbuf_raw(b, pg->text + pg->off[i], (size_t)(pg->off[i + 1] - pg->off[i]));
  return 0;
}

static enum MHD_Result h_candidates(struct api_req *r) {
  int64_t k = CANDIDATES_DEFAULT, vid = r->id[0];
  int employer = api_view_of(r, API_O_RESIDENT) == API_VIEW_PSEUDONYMOUS;
  const struct xj_skills *t = refcache_skills(api_refcache(r->app));
  struct page pg = {0};
  struct store_candidate *rows = NULL;
  int64_t *ids = NULL;
  size_t n_shown = 0, len = 0;
  struct jbuf b;
  char today[11];
  int rc;
  enum MHD_Result ret = MHD_YES;

  jbuf_init(&b);
  if (api_query_int(r, "limit", 1, CANDIDATES_MAX, &k) != 0)
    return MHD_YES;
  /* one read transaction for the scope check and every candidate's row */
  rc = store_read_begin(r->db);
  if (rc != STORE_OK)
    return api_reply_store(r, rc);
  if (api_authorize(r, API_O_VACANCY, vid, API_RECOMMEND) != 0)
    goto cleanup;
  if (page_get(r, vid, employer, (size_t)k, &pg) != MT_OK)
    goto fail;
  ids = calloc(pg.n + 1, sizeof *ids);
  rows = calloc(pg.n + 1, sizeof *rows);
  if (ids == NULL || rows == NULL)
    goto fail;
  for (size_t i = 0; i < pg.n; i++)
    ids[i] = (int64_t)pg.ids[i];
  /* every shown candidate's live row in one query; erased ones since the
   * snapshot saw them come back with id -1 and are left out */
  rc = store_candidates_get(r->db, ids, pg.n, rows);
  if (rc != STORE_OK) { /* a busy store is 503, not 500 */
    ret = api_reply_store(r, rc);
    goto cleanup;
  }
  api_today(today);
  jbuf_lit(&b, "{\"vacancy_id\":");
  jbuf_int(&b, vid);
  jbuf_lit(&b, employer ? ",\"order\":\"fit\",\"items\":[" : ",\"order\":\"key\",\"items\":[");
  for (size_t i = 0; i < pg.n; i++) {
    if (rows[i].id < 0)
      continue;
    if (n_shown > 0)
      jbuf_lit(&b, ",");
    if (item_write(&b, t, &pg, i, &rows[i], employer, today) != 0)
      goto fail;
    ids[n_shown++] = rows[i].id;
  }
  jbuf_lit(&b, "]}");
  char *text = jbuf_take(&b, &len);
  if (text == NULL)
    goto fail;
  /* ends the read transaction: the audit must not wait for its group
   * holding a snapshot (the checkpointer that holds the group waits for
   * old snapshots: auditq.h); the page's rows are one group item */
  store_commit(r->db);
  if (api_audit_personal_each(r, ids, n_shown,
                              employer ? "candidates_pseudonymous" : "candidates") != 0) {
    free(text);
    goto cleanup;
  }
  ret = api_reply_bytes(r, MHD_HTTP_OK, "application/json", text, len);
  goto cleanup;
fail:
  ret = api_reply_problem(r, API_E_INTERNAL);
cleanup:
  if (store_in_transaction(r->db))
    store_commit(r->db); /* ends the read transaction */
  jbuf_free(&b);
  free(rows);
  free(ids);
  free(pg.block);
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
  if (api_engine_hold_resident(r->app, r->db, rid) != 0)
    return MT_ENOMEM;
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

static json_t *vacancy_ref(struct api_req *r, int64_t id) {
  struct store_vacancy_brief v;
  if (refcache_vacancy(api_refcache(r->app), r->db, id, &v) != STORE_OK)
    return NULL;
  return json_pack("{s:I, s:s, s:s, s:{s:I, s:s}}", "vacancy_id", (json_int_t)v.id, "code", v.code,
                   "title", v.title, "employer", "id", (json_int_t)v.employer_id, "name",
                   v.employer_name);
}

static json_t *course_rec_json(struct api_req *r, const struct mt_course_rec *c) {
  struct store_course_brief co;
  if (refcache_course(api_refcache(r->app), r->db, c->course_id, &co) != STORE_OK)
    return NULL;
  json_t *unlocked = json_array();
  for (size_t i = 0; unlocked != NULL && i < c->n_unlocked && i < UNLOCKED_LISTED; i++)
    if (json_array_append_new(unlocked, vacancy_ref(r, c->unlocked[i])) != 0) {
      json_decref(unlocked);
      unlocked = NULL;
    }
  return json_pack("{s:I, s:s, s:s, s:f, s:I, s:f, s:I, s:o}", "course_id",
                   (json_int_t)c->course_id, "code", co.code, "name", co.name, "placement_rate",
                   xj_rounded(c->placement_rate, 0.0001), "openings_reachable",
                   (json_int_t)c->openings_reachable, "expected_placements",
                   xj_rounded(c->expected_placements, 0.01), "n_unlocked",
                   (json_int_t)c->n_unlocked, "unlocked_vacancies", unlocked);
}

/* Why resident rid is matched to nothing, or null: the engine's reason about
 * the resident, or when they are eligible yet nothing fits the newest run's
 * reason for them, which names what would change it (docs/MATCHING.md
 * §7.4).  *keep is cleared when the answer quotes the store's newest run,
 * which the engine's generation does not follow.  A new reference. */
static json_t *not_matched_because(struct api_req *r, int64_t rid, const struct recs *rec,
                                   size_t n_courses, int *keep) {
  *keep = 1;
  if (rec->resident_reason != MT_R_ELIGIBLE) {
    enum mt_reason why = (enum mt_reason)rec->resident_reason;
    return json_pack("{s:s, s:s, s:s}", "code", mt_reason_code(why), "reason_id",
                     mt_reason_text_id(why), "reason_en", mt_reason_text_en(why));
  }
  if (rec->n > 0 || n_courses > 0)
    return json_null();
  int64_t run = 0;
  struct store_run_reason rr;
  *keep = 0;
  if (store_match_run_latest(r->db, &run) != STORE_OK ||
      store_resident_reason(r->db, run, rid, &rr) != STORE_OK)
    return json_null();
  return json_pack("{s:s, s:s, s:s, s:I}", "code", rr.code, "reason_id", rr.reason_id, "reason_en",
                   rr.reason_en, "match_run_id", (json_int_t)run);
}

/* Ends the read transaction, audits the read, then answers with text
 * (malloc'd JSON, stolen).  The audit must not wait for its group holding
 * a snapshot: the checkpointer that holds the group waits for old
 * snapshots (auditq.h). */
static enum MHD_Result reply_audited(struct api_req *r, int64_t rid, char *text, size_t len) {
  store_commit(r->db);
  if (api_audit_personal(r, rid, "recommendations") != 0) {
    free(text);
    return MHD_YES;
  }
  return api_reply_bytes(r, MHD_HTTP_OK, "application/json", text, len);
}

static enum MHD_Result h_recommendations(struct api_req *r) {
  int64_t k = VACANCIES_DEFAULT, m = COURSES_DEFAULT, rid = r->id[0], probe = -1;
  struct recs rec = {0};
  const struct xj_skills *t = refcache_skills(api_refcache(r->app));
  json_t *vacancies = json_array(), *courses = json_array(), *why = NULL;
  enum MHD_Result ret = MHD_YES;

  if (api_query_int(r, "limit", 1, VACANCIES_MAX, &k) != 0 ||
      api_query_int(r, "courses", 0, COURSES_MAX, &m) != 0)
    goto cleanup;
  /* one read transaction for the scope check and the few reads left */
  int rc = store_read_begin(r->db);
  if (rc != STORE_OK) {
    ret = api_reply_store(r, rc);
    goto cleanup;
  }
  if (api_authorize(r, API_O_RESIDENT, rid, API_RECOMMEND) != 0)
    goto cleanup;
  /* the same question of the same snapshot: the answer it gave (still
   * audited, as every answer is) */
  const int64_t key[3] = {rid, k, m};
  uint64_t gen = api_engine_generation(r->app);
  char *text = NULL;
  size_t len = 0;
  if (respcache_get(api_respcache(r->app), key, gen, &text, &len)) {
    ret = reply_audited(r, rid, text, len);
    goto cleanup;
  }
  rec.hits = calloc((size_t)k, sizeof *rec.hits);
  rec.xs = calloc((size_t)k, sizeof *rec.xs);
  rc = store_vacancy_lowest(r->db, &probe);
  if (rc != STORE_OK && rc != STORE_ENOTFOUND) { /* a busy store is 503, not 500 */
    ret = api_reply_store(r, rc);
    goto cleanup;
  }
  if (rec.hits == NULL || rec.xs == NULL || vacancies == NULL || courses == NULL)
    goto fail;
  enum mt_status st = recommend(r, rid, (size_t)k, (size_t)m, probe, &rec);
  if (st != MT_OK && st != MT_ENOTFOUND)
    goto fail;
  for (size_t i = 0; i < rec.n; i++) {
    json_t *v = vacancy_ref(r, rec.hits[i].id);
    if (v == NULL ||
        json_object_update_new(v, json_pack("{s:f, s:f, s:f, s:o}", "fit",
                                            xj_rounded(rec.xs[i].fit, 0.01), "priority",
                                            xj_rounded(rec.xs[i].priority, 0.01), "key",
                                            xj_rounded(rec.hits[i].key, 0.01), "explanation",
                                            xj_explanation(t, &rec.xs[i], 0))) != 0 ||
        json_array_append_new(vacancies, v) != 0)
      goto fail;
  }
  for (size_t i = 0; rec.courses != NULL && i < rec.courses->n; i++)
    if (json_array_append_new(courses, course_rec_json(r, &rec.courses->recs[i])) != 0)
      goto fail;
  int keep;
  why = not_matched_because(r, rid, &rec, json_array_size(courses), &keep);
  json_t *doc =
      json_pack("{s:I, s:O, s:O, s:O}", "resident_id", (json_int_t)rid, "not_matched_because", why,
                "vacancies", vacancies, "train_then_apply", courses);
  text = doc != NULL ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
  json_decref(doc);
  if (text == NULL)
    goto fail;
  len = strlen(text);
  if (keep)
    respcache_put(api_respcache(r->app), key, gen, text, len);
  ret = reply_audited(r, rid, text, len);
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
  if (store_in_transaction(r->db))
    store_commit(r->db); /* ends the read transaction */
  return ret;
}

/* ---- Training plan -----------------------------------------------------------------------
 * The training plan is the match run with course steps only (runs_execute
 * with no_jobs; docs/MATCHING.md §7), computed and shown, never recorded:
 * which planned or running batches to fill and with whom, by the same
 * exact optimisation, tie rule and priority that a recorded run uses.  A
 * recorded run (POST /v1/match-runs) is what proposes the seats. */

struct plan_batch {
  uint32_t batch_id;
  double expected;   /* sum of its steps' expected placements */
  json_t *residents; /* ascending ids (steps come by resident id) */
};

static int plan_batch_cmp(const void *pa, const void *pb) {
  const struct plan_batch *a = pa, *b = pb;
  if (a->expected != b->expected)
    return a->expected > b->expected ? -1 : 1;
  return a->batch_id < b->batch_id ? -1 : a->batch_id > b->batch_id;
}

/* The course steps of res grouped by batch into *out (n_out), best first;
 * 0, or -1 out of memory (the caller frees what *out holds). */
static int group_steps(const struct mt_match_result *res, struct plan_batch **out, size_t *n_out) {
  struct plan_batch *pb = calloc(res->n_steps ? res->n_steps : 1, sizeof *pb);
  size_t n = 0;
  *out = pb;
  *n_out = 0;
  if (pb == NULL)
    return -1;
  for (size_t i = 0; i < res->n_steps; i++) {
    const struct mt_course_step *st = &res->steps[i];
    size_t k = 0;
    while (k < n && pb[k].batch_id != st->batch_id)
      k++;
    if (k == n) {
      pb[n].batch_id = st->batch_id;
      pb[n].residents = json_array();
      *n_out = ++n;
      if (pb[k].residents == NULL)
        return -1;
    }
    pb[k].expected += st->expected_placement;
    if (json_array_append_new(pb[k].residents, json_integer(st->resident_id)) != 0)
      return -1;
  }
  qsort(pb, n, sizeof *pb, plan_batch_cmp);
  return 0;
}

static json_t *plan_batch_json(struct store *s, const struct plan_batch *b) {
  struct store_batch_row row;
  if (store_batch_get(s, b->batch_id, &row) != STORE_OK)
    return NULL;
  return json_pack(
      "{s:I, s:I, s:s, s:s, s:s?, s:s?, s:f, s:I, s:O}", "batch_id", (json_int_t)row.id,
      "course_id", (json_int_t)row.course_id, "code", row.course_code, "name", row.course_name,
      "start_date", row.start_date[0] ? row.start_date : NULL, "end_date",
      row.end_date[0] ? row.end_date : NULL, "expected_placements", xj_rounded(b->expected, 0.01),
      "n_residents", (json_int_t)json_array_size(b->residents), "residents", b->residents);
}

static enum MHD_Result h_training_plan(struct api_req *r) {
  int64_t max_batches = PLAN_DEFAULT;
  struct runs_plan plan = {0};
  struct plan_batch *pb = NULL;
  size_t n = 0;
  json_t *batches = NULL;
  double total = 0.0;
  char date[11];
  enum MHD_Result ret;

  if (api_query_int(r, "max_batches", 1, PLAN_MAX, &max_batches) != 0)
    return MHD_YES;
  const struct mt_engine *e = api_engine_acquire(r->app);
  snapshot_iso_day(mt_engine_config(e)->today, date);
  int rc = runs_execute(r->db, e, MT_EXACT, 1, &plan);
  api_engine_release(r->app);
  if (rc != STORE_OK) {
    ret = api_reply_store(r, rc == STORE_ENOTFOUND ? STORE_EIO : rc);
    goto cleanup;
  }
  batches = json_array();
  if (batches == NULL || group_steps(plan.res, &pb, &n) != 0)
    goto fail;
  for (size_t i = 0; i < n && i < (size_t)max_batches; i++) {
    total += pb[i].expected;
    if (json_array_append_new(batches, plan_batch_json(r->db, &pb[i])) != 0)
      goto fail;
  }
  ret = api_reply_json(r, MHD_HTTP_OK,
                       json_pack("{s:s, s:f, s:O}", "run_date", date, "expected_placements",
                                 xj_rounded(total, 0.01), "batches", batches));
  goto cleanup;
fail:
  ret = api_reply_problem(r, API_E_INTERNAL);
cleanup:
  for (size_t i = 0; i < n; i++)
    json_decref(pb[i].residents);
  free(pb);
  json_decref(batches);
  runs_plan_free(&plan);
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
     .query = candidates_query,
     .engine = 1},
    {.method = "GET",
     .pattern = "/v1/residents/{id}/recommendations",
     .handler = h_recommendations,
     .roles = AUTH_ADMIN | AUTH_OFFICER | AUTH_DESK,
     .query = recommendations_query,
     .engine = 1},
    {.method = "GET",
     .pattern = "/v1/training-plan",
     .handler = h_training_plan,
     .roles = AUTH_ADMIN | AUTH_OFFICER,
     .query = plan_query,
     .engine = 1},
    {.method = NULL},
};
