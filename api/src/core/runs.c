/*
 * runs.c — computing and recording a match run (runs.h).  Proposals become
 * referrals with status proposed and a creation event, course steps become
 * course_steps rows with status proposed, so that their life cycle starts
 * the same whichever tool made them.  The outcome rows (unmatched by
 * reason, shortlists, targeting figures) are aggregates and name nobody;
 * the reasons rows name a resident id and say why that resident got no
 * step, in words that carry nothing about them but schooling and skills.
 */
#include "runs.h"

#include "explain_json.h"
#include "snapshot.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *runs_reason_code(enum mt_reason why) {
  return why == MT_R_ELIGIBLE ? "capacity_full" : mt_reason_code(why);
}

const char *runs_reason_text(const char *code, int english) {
  if (strcmp(code, "capacity_full") == 0)
    return english ? "Every vacancy that fits was full." : "Semua lowongan yang cocok sudah penuh.";
  for (int k = 0; k < MT_N_REASONS; k++)
    if (k != MT_R_ELIGIBLE && strcmp(code, mt_reason_code((enum mt_reason)k)) == 0)
      return english ? mt_reason_text_en((enum mt_reason)k) : mt_reason_text_id((enum mt_reason)k);
  return NULL;
}

const char *runs_group_name(enum mt_group g) {
  static const char *const names[MT_N_GROUPS] = {"desil_1", "desil_1_4",  "priority_kelurahan",
                                                 "women",   "disability", "all"};
  return (unsigned)g < MT_N_GROUPS ? names[g] : "?";
}

const char *runs_code_text(const char *code, int english) {
  static const char *const extra[][3] = {
      {"vacancies_full", "Semua lowongan yang cocok sudah penuh.",
       "Every vacancy that fits was full."},
      {"batches_full", "Semua kursi angkatan kursus yang cocok sudah terisi.",
       "Every seat of the fitting course batches was taken."},
      {"recently_ended", "Lowongan yang cocok baru saja ditolak atau ditarik.",
       "The fitting vacancies ended rejected or withdrawn recently."},
      {"no_batch_seat", "Tidak ada angkatan terencana dengan kursi kosong untuk kursus yang cocok.",
       "No planned batch with a free seat of a course that fits."},
  };
  for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
    if (strcmp(code, extra[i][0]) == 0)
      return extra[i][english ? 2 : 1];
  return runs_reason_text(code, english);
}

/* The code of what blocked an unmatched resident, most actionable first. */
static const char *unmatched_code(const struct mt_unmatched *u) {
  if (u->n_full > 0)
    return "vacancies_full";
  if (u->n_full_batches > 0)
    return "batches_full";
  if (u->n_banned > 0)
    return "recently_ended";
  if (u->course_id != 0)
    return "no_batch_seat";
  return runs_reason_code(u->reason);
}

void runs_plan_free(struct runs_plan *p) {
  if (p == NULL)
    return;
  for (size_t i = 0; p->res != NULL && p->ref_json != NULL && i < p->res->n_proposals; i++)
    free(p->ref_json[i]);
  for (size_t i = 0; p->res != NULL && p->step_json != NULL && i < p->res->n_steps; i++)
    free(p->step_json[i]);
  free(p->ref_json);
  free(p->step_json);
  free(p->reasons);
  mt_match_result_free(p->res);
  memset(p, 0, sizeof *p);
}

/* ---- What the run reads from the store ----------------------------------------------- */

struct input {
  struct mt_vacancy_load *loads;
  uint32_t *busy;
  struct mt_pair_ban *bans;
  struct mt_batch_seats *batches;
  struct store_run_batch *rows; /* parallel to batches */
  size_t n_loads, n_busy, n_bans, n_batches, cap_loads, cap_busy, cap_bans, cap_batches;
};

static int grow(void **p, size_t *cap, size_t n, size_t size) {
  if (n < *cap)
    return 0;
  size_t c = *cap ? 2 * *cap : 256;
  void *q = realloc(*p, c * size);
  if (q == NULL)
    return -1;
  *p = q;
  *cap = c;
  return 0;
}

static int on_load(void *arg, const struct store_run_pair *p) {
  struct input *in = arg;
  if (grow((void **)&in->loads, &in->cap_loads, in->n_loads, sizeof *in->loads) != 0)
    return STORE_ENOMEM;
  in->loads[in->n_loads++] = (struct mt_vacancy_load){(uint32_t)p->a, (uint32_t)p->b};
  return 0;
}

static int on_busy(void *arg, const struct store_run_pair *p) {
  struct input *in = arg;
  if (grow((void **)&in->busy, &in->cap_busy, in->n_busy, sizeof *in->busy) != 0)
    return STORE_ENOMEM;
  in->busy[in->n_busy++] = (uint32_t)p->a;
  return 0;
}

static int on_ban(void *arg, const struct store_run_pair *p) {
  struct input *in = arg;
  if (grow((void **)&in->bans, &in->cap_bans, in->n_bans, sizeof *in->bans) != 0)
    return STORE_ENOMEM;
  in->bans[in->n_bans++] = (struct mt_pair_ban){(uint32_t)p->a, (uint32_t)p->b};
  return 0;
}

static int on_batch(void *arg, const struct store_run_batch *b) {
  struct input *in = arg;
  if (b->seats <= 0)
    return 0;
  size_t cap = in->cap_batches;
  if (grow((void **)&in->batches, &in->cap_batches, in->n_batches, sizeof *in->batches) != 0)
    return STORE_ENOMEM;
  in->cap_batches = cap;
  if (grow((void **)&in->rows, &in->cap_batches, in->n_batches, sizeof *in->rows) != 0)
    return STORE_ENOMEM;
  in->rows[in->n_batches] = *b;
  in->batches[in->n_batches++] =
      (struct mt_batch_seats){(uint32_t)b->id, (uint32_t)b->course_id, (uint32_t)b->seats,
                              snapshot_day(b->start_date), snapshot_day(b->end_date)};
  return 0;
}

static void input_free(struct input *in) {
  free(in->loads);
  free(in->busy);
  free(in->bans);
  free(in->batches);
  free(in->rows);
}

static int input_load(struct store *s, const struct mt_config *cfg, struct input *in) {
  char today[11], since[11];
  snapshot_iso_day(cfg->today, today);
  snapshot_iso_day(cfg->today - cfg->repropose_days, since);
  int rc = store_run_loads(s, on_load, in);
  if (rc == STORE_OK)
    rc = store_run_busy(s, on_busy, in);
  if (rc == STORE_OK)
    rc = store_run_bans(s, since, on_ban, in);
  if (rc == STORE_OK)
    rc = store_run_batches(s, today, on_batch, in);
  return rc;
}

/* ---- What the run records ---------------------------------------------------------- */

static char *dump(json_t *j) {
  char *s = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;
  json_decref(j);
  return s;
}

static char *referral_json(const struct mt_engine *e, const struct xj_skills *t,
                           const struct mt_proposal *p) {
  struct mt_explanation x;
  if (mt_explain(e, p->resident_id, p->vacancy_id, &x) != MT_OK)
    return NULL;
  return dump(xj_explanation(t, &x, 0));
}

static char *step_json(const struct input *in, const struct mt_course_step *s) {
  const struct store_run_batch *b = NULL;
  for (size_t k = 0; k < in->n_batches && b == NULL; k++)
    if (in->rows[k].id == s->batch_id)
      b = &in->rows[k];
  json_t *unl = json_array();
  for (size_t k = 0; unl != NULL && k < s->n_unlocked; k++)
    if (json_array_append_new(unl, json_integer(s->unlocked[k])) != 0) {
      json_decref(unl);
      unl = NULL;
    }
  const char *name = b != NULL ? b->course_name : "";
  const long pct = lround(s->expected_placement * 100.0);
  char rid[400], ren[400];
  snprintf(rid, sizeof rid,
           "Kursus %s membuka %zu lowongan (%u formasi) yang kini belum terjangkau; peluang "
           "kerja setelah kursus sekitar %ld%%.",
           name, s->n_unlocked, s->openings_reachable, pct);
  snprintf(ren, sizeof ren,
           "The %s course opens %zu vacancies (%u openings) now out of reach; the chance of a "
           "job after it is about %ld%%.",
           name, s->n_unlocked, s->openings_reachable, pct);
  return dump(json_pack("{s:I, s:s, s:I, s:s?, s:s?, s:f, s:o, s:s, s:s}", "course_id",
                        (json_int_t)s->course_id, "course_name", name, "batch_id",
                        (json_int_t)s->batch_id, "batch_start",
                        b != NULL && b->start_date[0] ? b->start_date : NULL, "batch_end",
                        b != NULL && b->end_date[0] ? b->end_date : NULL, "expected_placement",
                        xj_rounded(s->expected_placement, 0.0001), "unlocked_vacancies", unl,
                        "reason_id", rid, "reason_en", ren));
}

int runs_execute(struct store *s, const struct mt_engine *e, enum mt_algorithm algo, int no_jobs,
                 struct runs_plan *out) {
  struct input in = {0};
  struct xj_skills t = {0};
  struct runs_plan p = {0};
  const unsigned wanted = 1u << MT_G_DESIL_1_4 | 1u << MT_G_PRIORITY_KELURAHAN;
  int rc = input_load(s, mt_engine_config(e), &in);
  if (rc == STORE_OK)
    rc = xj_skills_load(s, &t);
  if (rc != STORE_OK)
    goto cleanup;
  struct mt_run_input ri = {in.loads,  in.n_loads, in.busy,      in.n_busy, in.bans,
                            in.n_bans, in.batches, in.n_batches, no_jobs};
  enum mt_status st = mt_match_run_ex(e, algo, &ri, &p.res);
  if (st != MT_OK) {
    rc = st == MT_ENOMEM ? STORE_ENOMEM : STORE_EIO;
    goto cleanup;
  }
  const struct mt_match_result *r = p.res;
  p.ref_json = calloc(r->n_proposals + 1, sizeof *p.ref_json);
  p.step_json = calloc(r->n_steps + 1, sizeof *p.step_json);
  p.reasons = calloc(r->n_unmatched + 1, sizeof *p.reasons);
  rc = STORE_ENOMEM;
  if (p.ref_json == NULL || p.step_json == NULL || p.reasons == NULL)
    goto cleanup;
  for (size_t i = 0; i < r->n_proposals; i++)
    if ((p.ref_json[i] = referral_json(e, &t, &r->proposals[i])) == NULL)
      goto cleanup;
  for (size_t i = 0; i < r->n_steps; i++)
    if ((p.step_json[i] = step_json(&in, &r->steps[i])) == NULL)
      goto cleanup;
  for (size_t i = 0; i < r->n_unmatched; i++) {
    const struct mt_unmatched *u = &r->unmatched[i];
    const unsigned g = mt_resident_groups(e, u->resident_id);
    if (!(g & wanted))
      continue;
    struct runs_reason *w = &p.reasons[p.n_reasons++];
    w->resident_id = u->resident_id;
    w->course_id = u->course_id;
    w->groups = g;
    w->code = unmatched_code(u);
    mt_unmatched_text(e, u, 0, w->reason_id, sizeof w->reason_id);
    mt_unmatched_text(e, u, 1, w->reason_en, sizeof w->reason_en);
  }
  rc = STORE_OK;
  *out = p;
  memset(&p, 0, sizeof p);
cleanup:
  runs_plan_free(&p);
  xj_skills_free(&t);
  input_free(&in);
  return rc;
}

int runs_record(struct store *s, const struct runs_plan *p, const char *algorithm,
                const char *run_date, double ms, int64_t by_user, int64_t *run_id) {
  const struct mt_match_result *res = p->res;
  struct store_match_run m = {.created_by = by_user,
                              .algorithm = algorithm,
                              .run_date = run_date,
                              .total_key = res->total_key,
                              .duration_ms = ms,
                              .total_gain = res->total_gain,
                              .n_proposals = (int64_t)res->n_proposals,
                              .n_unmatched = (int64_t)res->n_unmatched};
  size_t count[MT_N_REASONS] = {0};
  for (size_t i = 0; i < res->n_unmatched; i++)
    if ((unsigned)res->unmatched[i].reason < MT_N_REASONS)
      count[res->unmatched[i].reason]++;
  char now[21];
  store_now_iso(now);
  int rc = store_begin(s);
  if (rc != STORE_OK)
    return rc;
  rc = store_match_run_add(s, &m, run_id);
  for (size_t i = 0; rc == STORE_OK && i < res->n_proposals + res->n_steps; i++) {
    /* A step opened for one of them since the run read the store (another
     * run, a referral by hand) would give them two: the caller runs again. */
    int64_t open = 0;
    rc = store_resident_open_steps(s,
                                   i < res->n_proposals
                                       ? res->proposals[i].resident_id
                                       : res->steps[i - res->n_proposals].resident_id,
                                   &open);
    if (rc == STORE_OK && open > 0)
      rc = STORE_ECONSTRAINT;
  }
  for (size_t i = 0; rc == STORE_OK && i < res->n_proposals; i++) {
    const struct mt_proposal *q = &res->proposals[i];
    int64_t ref = 0;
    rc = store_referral_propose(s, *run_id, q->resident_id, q->vacancy_id, q->fit, q->priority,
                                q->key, by_user, &ref);
    if (rc == STORE_OK && p->ref_json != NULL)
      rc = store_referral_set_explanation(s, ref, p->ref_json[i]);
    if (rc == STORE_OK)
      rc = store_referral_event_add(s, ref, NULL, "proposed", by_user, now, NULL);
  }
  for (size_t i = 0; rc == STORE_OK && i < res->n_steps; i++) {
    const struct mt_course_step *c = &res->steps[i];
    struct store_course_step_new row = {*run_id,
                                        c->resident_id,
                                        c->batch_id,
                                        by_user,
                                        c->priority,
                                        c->key,
                                        c->expected_placement,
                                        p->step_json != NULL ? p->step_json[i] : NULL};
    rc = store_course_step_add(s, &row, NULL);
  }
  for (int k = 0; rc == STORE_OK && k < MT_N_REASONS; k++)
    if (count[k] > 0)
      rc = store_match_run_unmatched_add(s, *run_id, runs_reason_code((enum mt_reason)k),
                                         (int64_t)count[k]);
  for (size_t i = 0; rc == STORE_OK && i < res->n_fill; i++)
    rc = store_match_run_fill_add(s, *run_id, res->fill[i].vacancy_id, res->fill[i].capacity,
                                  res->fill[i].proposed);
  for (int g = 0; rc == STORE_OK && g < MT_N_GROUPS; g++) {
    struct store_run_targeting t = {.eligible = res->targeting[g].eligible,
                                    .job_steps = res->targeting[g].job_steps,
                                    .course_steps = res->targeting[g].course_steps};
    snprintf(t.grp, sizeof t.grp, "%s", runs_group_name((enum mt_group)g));
    rc = store_match_run_targeting_add(s, *run_id, &t);
  }
  for (size_t i = 0; rc == STORE_OK && i < p->n_reasons; i++) {
    const struct runs_reason *w = &p->reasons[i];
    struct store_reason_row row = {
        w->resident_id, w->groups,    w->course_id ? (int64_t)w->course_id : -1,
        w->code,        w->reason_id, w->reason_en};
    rc = store_match_run_reason_add(s, *run_id, &row);
  }
  if (rc == STORE_OK)
    rc = store_commit(s);
  if (rc != STORE_OK)
    store_rollback(s);
  return rc;
}

/* ---- The targeting figures as a document ------------------------------------------- */

struct tgt {
  struct store_run_targeting row[MT_N_GROUPS];
  int have[MT_N_GROUPS];
};

static int on_targeting(void *arg, const struct store_run_targeting *t) {
  struct tgt *x = arg;
  for (int g = 0; g < MT_N_GROUPS; g++)
    if (strcmp(t->grp, runs_group_name((enum mt_group)g)) == 0) {
      x->row[g] = *t;
      x->have[g] = 1;
    }
  return 0;
}

static int on_block(void *arg, const struct store_run_reason *r) {
  const char *id = runs_code_text(r->code, 0), *en = runs_code_text(r->code, 1);
  json_t *row = json_pack("{s:s, s:s?, s:s?, s:I}", "code", r->code, "reason_id", id, "reason_en",
                          en, "count", (json_int_t)r->n);
  return json_array_append_new(arg, row) == 0 ? 0 : STORE_ENOMEM;
}

struct seats {
  json_t *a;
  int64_t left; /* steps still needed for parity */
};

static int on_wait(void *arg, const struct store_course_wait *w) {
  struct seats *x = arg;
  if (x->left <= 0)
    return 0;
  int64_t n = w->n < x->left ? w->n : x->left;
  x->left -= n;
  json_t *row =
      json_pack("{s:I, s:s, s:I, s:I}", "course_id", (json_int_t)w->course_id, "course_name",
                w->course_name, "residents_waiting", (json_int_t)w->n, "more_seats", (json_int_t)n);
  return json_array_append_new(x->a, row) == 0 ? 0 : STORE_ENOMEM;
}

static double share(int64_t a, int64_t b) {
  return b > 0 ? xj_rounded((double)a / (double)b, 0.0001) : 0.0;
}

int runs_targeting_json(struct store *s, int64_t run_id, json_t **out) {
  struct tgt x = {0};
  json_t *a = json_array();
  int rc = a != NULL ? store_match_run_targeting(s, run_id, on_targeting, &x) : STORE_ENOMEM;
  if (rc == STORE_OK && !x.have[MT_G_ALL]) {
    json_decref(a);
    *out = json_null();
    return STORE_OK;
  }
  const struct store_run_targeting *all = &x.row[MT_G_ALL];
  const int64_t steps = all->job_steps + all->course_steps;
  for (int g = 0; rc == STORE_OK && g < MT_N_GROUPS; g++) {
    const struct store_run_targeting *t = &x.row[g];
    const int64_t mine = t->job_steps + t->course_steps;
    const double se = share(t->eligible, all->eligible), ss = share(mine, steps);
    /* Steps the group would need on top, each added to the total as well,
     * for its share of the steps to reach its share of the eligible:
     * (mine + n) / (steps + n) >= e / E. */
    int64_t gap = 0;
    if (all->eligible > t->eligible && mine * all->eligible < t->eligible * steps) {
      const double need = ((double)t->eligible * (double)steps - (double)all->eligible * mine) /
                          (double)(all->eligible - t->eligible);
      gap = (int64_t)ceil(need - 1e-9);
    }
    json_t *blocked = json_null(), *seats = json_null();
    const int64_t bit = (int64_t)1 << g;
    if (g == MT_G_DESIL_1 || g == MT_G_DESIL_1_4 || g == MT_G_PRIORITY_KELURAHAN) {
      blocked = json_array();
      struct seats w = {json_array(), gap};
      seats = w.a;
      rc = blocked != NULL && seats != NULL
               ? store_match_run_blocks(s, run_id, bit, on_block, blocked)
               : STORE_ENOMEM;
      if (rc == STORE_OK)
        rc = store_match_run_waiting(s, run_id, bit, on_wait, &w);
    }
    json_t *row = json_pack(
        "{s:s, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:o, s:I, s:o, s:o}", "group",
        runs_group_name((enum mt_group)g), "eligible", (json_int_t)t->eligible, "job_steps",
        (json_int_t)t->job_steps, "course_steps", (json_int_t)t->course_steps, "share_eligible", se,
        "share_job_steps", share(t->job_steps, all->job_steps), "share_course_steps",
        share(t->course_steps, all->course_steps), "share_steps", ss, "ratio",
        se > 0.0 ? json_real(xj_rounded(ss / se, 0.01)) : json_null(), "steps_to_parity",
        (json_int_t)gap, "blocked_by", blocked, "more_seats", seats);
    if (rc != STORE_OK) /* the row is built all the same: released, not kept */
      json_decref(row);
    else if (json_array_append_new(a, row) != 0)
      rc = STORE_ENOMEM;
  }
  if (rc != STORE_OK) {
    json_decref(a);
    return rc;
  }
  *out = a;
  return STORE_OK;
}
