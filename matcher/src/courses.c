/*
 * courses.c — train then apply.  A course "unlocks" an open vacancy for a
 * resident when scoring the pair as if the resident had completed the course
 * (its skills added as certified, its placement record in the vacancy's
 * sector available to the course component) turns a pair that is not ranked
 * into a ranked one, or raises a ranked pair's fit by at least
 * unlock_margin points.  Both paths below use the same pair evaluation as
 * the rankings, so a recommendation and a ranking never disagree.
 *
 * mt_recommend_courses() ranks the courses for one resident by expected
 * placements = openings reachable × measured placement rate.
 * mt_training_plan() chooses which courses to run and whom to enrol; see
 * docs/MATCHING.md for the formulation and for when it is exact.
 */
#include "assign.h"
#include "matcher_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Subsets of courses the plan enumerates before it falls back to greedy. */
#define PLAN_ENUM_LIMIT 1000

static int completed(const struct mt_engine *e, size_t slot, size_t k) {
  return e->cw > 0 && ((e->r.courses[slot * e->cw + k / 64] >> (k % 64)) & 1u);
}

/* Can course c change how v scores anyone?  REL_SKILLS: it teaches a skill
 * v lists; REL_COURSE: only its placement record in v's sector counts, which
 * can lift a ranked or below-minimum pair but never fill a missing skill. */
enum { REL_NONE, REL_SKILLS, REL_COURSE };

static int relevant(const struct mt_engine *e, const struct mt__course *c,
                    const struct mt__vacancy *v) {
  for (size_t w = 0; w < e->w; w++)
    if (c->skills[w] & (v->must[w] | v->nice[w]))
      return REL_SKILLS;
  return c->sector_value[v->vocation] >= 0.0f ? REL_COURSE : REL_NONE;
}

/* The unlock rule over a pair scored before (reason rb, fit fb) and after
 * (reason ra, fit fa) the course. */
static int unlocks(const struct mt_engine *e, enum mt_reason rb, float fb, enum mt_reason ra,
                   float fa) {
  if (ra != MT_R_ELIGIBLE)
    return 0;
  return rb != MT_R_ELIGIBLE || (double)fa - (double)fb >= e->cfg.unlock_margin;
}

/* ---- recommendations for one resident ------------------------------------------ */

void mt_course_recs_free(struct mt_course_recs *r) {
  if (r == NULL)
    return;
  for (size_t i = 0; i < r->n; i++)
    free(r->recs[i].unlocked);
  free(r->recs);
  free(r);
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

static int cmp_rec(const void *a, const void *b) {
  const struct mt_course_rec *x = a, *y = b;
  if (x->expected_placements != y->expected_placements)
    return x->expected_placements > y->expected_placements ? -1 : 1;
  return (x->course_id > y->course_id) - (x->course_id < y->course_id);
}

enum mt_status mt_recommend_courses(const struct mt_engine *e, uint32_t resident_id, size_t k,
                                    struct mt_course_recs **out) {
  enum mt_status st = MT_OK;
  struct mt_course_recs *res = NULL;
  uint8_t *base_reason = NULL;
  float *base_fit = NULL;
  uint32_t *ids = NULL;
  if (e == NULL || out == NULL)
    return MT_EINVAL;
  *out = NULL;
  size_t slot = mt__idmap_get(&e->rmap, resident_id);
  if (slot == SIZE_MAX)
    return MT_ENOTFOUND;
  res = calloc(1, sizeof *res);
  if (res == NULL)
    goto nomem;
  res->recs = calloc(e->n_courses + 1, sizeof *res->recs);
  base_reason = malloc(e->n_vac + 1);
  base_fit = malloc((e->n_vac + 1) * sizeof *base_fit);
  ids = malloc((e->n_vac + 1) * sizeof *ids);
  if (res == NULL || res->recs == NULL || base_reason == NULL || base_fit == NULL || ids == NULL)
    goto nomem;
  if (e->r.status[slot] != MT_R_ELIGIBLE)
    goto done; /* only residents who could be referred get recommendations */

  for (size_t j = 0; j < e->n_vac; j++) {
    struct mt__pair p;
    base_reason[j] = (uint8_t)mt__pair_score(e, slot, &e->vac[j], NULL, -1.0f, 0, &p);
    base_fit[j] = p.fit;
  }
  for (size_t c = 0; c < e->n_courses; c++) {
    const struct mt__course *co = &e->courses[c];
    if (completed(e, slot, c))
      continue;
    size_t n = 0;
    uint64_t reach = 0;
    for (size_t j = 0; j < e->n_vac; j++) {
      const struct mt__vacancy *v = &e->vac[j];
      enum mt_reason rb = (enum mt_reason)base_reason[j];
      if (rb != MT_R_ELIGIBLE && rb != MT_R_BELOW_MIN_FIT && rb != MT_R_MISSING_SKILLS)
        continue; /* no course changes the earlier rules */
      if (relevant(e, co, v) == REL_NONE)
        continue;
      struct mt__pair p;
      enum mt_reason ra =
          mt__pair_score(e, slot, v, co->skills, co->sector_value[v->vocation], 0, &p);
      if (unlocks(e, rb, base_fit[j], ra, p.fit)) {
        ids[n++] = v->id;
        reach += v->openings_left;
      }
    }
    if (n == 0)
      continue;
    struct mt_course_rec *rec = &res->recs[res->n];
    rec->unlocked = malloc(n * sizeof *rec->unlocked);
    if (rec->unlocked == NULL)
      goto nomem;
    memcpy(rec->unlocked, ids, n * sizeof *ids);
    qsort(rec->unlocked, n, sizeof *rec->unlocked, cmp_u32);
    rec->n_unlocked = n;
    rec->course_id = co->id;
    rec->placement_rate = co->placement_rate;
    rec->openings_reachable = reach > UINT32_MAX ? UINT32_MAX : (uint32_t)reach;
    rec->expected_placements = (double)rec->openings_reachable * co->placement_rate;
    res->n++;
  }
  qsort(res->recs, res->n, sizeof *res->recs, cmp_rec);
  if (k > 0 && res->n > k) {
    for (size_t i = k; i < res->n; i++)
      free(res->recs[i].unlocked);
    res->n = k;
  }
done:
  *out = res;
  res = NULL;
  goto cleanup;
nomem:
  st = MT_ENOMEM;
cleanup:
  mt_course_recs_free(res);
  free(base_reason);
  free(base_fit);
  free(ids);
  return st;
}

size_t mt__course_unlocked(const struct mt_engine *e, size_t slot, size_t c, uint32_t *ids) {
  const struct mt__course *co = &e->courses[c];
  size_t n = 0;
  if (completed(e, slot, c))
    return 0;
  const uint32_t edu = e->r.edu[slot], age = e->r.age[slot];
  for (size_t j = 0; j < e->n_vac; j++) {
    const struct mt__vacancy *v = &e->vac[j];
    if (v->status != MT_R_ELIGIBLE || relevant(e, co, v) == REL_NONE)
      continue;
    /* Cheap tests first, each of which the scoring below would fail too:
     * the education and age rules, which no course changes, and a
     * must-have skill that neither the resident nor the course has. */
    if ((v->min_edu != MT_EDU_UNKNOWN && edu < v->min_edu) || age < v->min_age ||
        (v->max_age != 0 && age > v->max_age))
      continue;
    uint64_t lack = 0;
    for (size_t k = 0; k < v->n_rel; k++)
      lack |= v->must[v->rel[k]] & ~(e->r.skills[v->rel[k]][slot] | co->skills[v->rel[k]]);
    if (lack != 0)
      continue;
    struct mt__pair p;
    enum mt_reason rb = mt__pair_score(e, slot, v, NULL, -1.0f, 0, &p);
    if (rb != MT_R_ELIGIBLE && rb != MT_R_BELOW_MIN_FIT && rb != MT_R_MISSING_SKILLS)
      continue;
    const float fb = p.fit;
    enum mt_reason ra =
        mt__pair_score(e, slot, v, co->skills, co->sector_value[v->vocation], 0, &p);
    if (unlocks(e, rb, fb, ra, p.fit))
      ids[n++] = v->id;
  }
  qsort(ids, n, sizeof *ids, cmp_u32);
  return n;
}

/* ---- the training plan ---------------------------------------------------------- */

void mt_training_plan_free(struct mt_training_plan *p) {
  if (p == NULL)
    return;
  for (size_t i = 0; i < p->n_batches; i++)
    free(p->batches[i].residents);
  free(p->batches);
  free(p);
}

/* Does course c teach every must-have skill that slot lacks for v? */
static int covers(const struct mt_engine *e, size_t slot, const struct mt__course *c,
                  const struct mt__vacancy *v) {
  for (size_t j = 0; j < v->n_rel; j++) {
    const size_t w = v->rel[j];
    if (v->must[w] & ~e->r.skills[w][slot] & ~c->skills[w])
      return 0;
  }
  return 1;
}

/* Per vacancy, the courses that can change how it scores anyone: those that
 * teach a skill it lists (skill[]), and those that only bring a placement
 * record in its sector (record[]), with the best such record's value. */
struct plan_rel {
  size_t nc;
  uint16_t *skill, *record;
  size_t *n_skill, *n_record;
  float *record_max;
};

static void plan_rel_free(struct plan_rel *r) {
  free(r->skill);
  free(r->record);
  free(r->n_skill);
  free(r->n_record);
  free(r->record_max);
}

static enum mt_status plan_rel_make(const struct mt_engine *e, struct plan_rel *r) {
  const size_t nc = e->n_courses, nv = e->n_vac + 1;
  *r = (struct plan_rel){.nc = nc,
                         .skill = malloc(nv * nc * sizeof *r->skill + 1),
                         .record = malloc(nv * nc * sizeof *r->record + 1),
                         .n_skill = calloc(nv, sizeof *r->n_skill),
                         .n_record = calloc(nv, sizeof *r->n_record),
                         .record_max = malloc(nv * sizeof *r->record_max)};
  if (r->skill == NULL || r->record == NULL || r->n_skill == NULL || r->n_record == NULL ||
      r->record_max == NULL) {
    plan_rel_free(r);
    return MT_ENOMEM;
  }
  for (size_t j = 0; j < e->n_vac; j++) {
    const struct mt__vacancy *v = &e->vac[j];
    r->record_max[j] = -1.0f;
    if (v->status != MT_R_ELIGIBLE)
      continue;
    for (size_t c = 0; c < nc; c++) {
      const int k = relevant(e, &e->courses[c], v);
      if (k == REL_SKILLS)
        r->skill[j * nc + r->n_skill[j]++] = (uint16_t)c;
      if (k == REL_COURSE) {
        r->record[j * nc + r->n_record[j]++] = (uint16_t)c;
        const float x = e->courses[c].sector_value[v->vocation];
        r->record_max[j] = x > r->record_max[j] ? x : r->record_max[j];
      }
    }
  }
  return MT_OK;
}

/* Adds, for every eligible resident slot and course, the openings of the
 * vacancies the course unlocks for it: reach[slot * n_courses + c].
 *
 * The kernel (with reasons) sorts each block's pairs first; only two kinds
 * of lane can be unlocked by one course.  A lane that passes the rules
 * (ranked or below the minimum fit) can be lifted by any relevant course; a
 * lane marked trainable only by a course that teaches all the must-have
 * skills it lacks.  Each candidate is then scored with the scalar pair
 * evaluation, exactly as mt_recommend_courses() scores it.  A course that
 * only brings a placement record changes nothing but the course value, and
 * the fit is non-decreasing in that value (every step of mt__pair_eval is a
 * monotone, correctly rounded operation), so when the best record among
 * them does not unlock a pair, none of them does: one evaluation rules them
 * all out. */
static enum mt_status reach_all(const struct mt_engine *e, uint32_t *reach) {
  const size_t nc = e->n_courses;
  struct plan_rel rel;
  enum mt_status st = plan_rel_make(e, &rel);
  if (st != MT_OK)
    return st;

  float key[MT__BLOCK], fit[MT__BLOCK];
  struct mt__kargs a = {.e = e, .overlay_course = -1.0f, .reasons = 1, .key = key, .fit = fit};
  for (size_t i0 = 0; i0 < e->r.n; i0 += MT__BLOCK) {
    for (size_t j = 0; j < e->n_vac; j++) {
      const uint16_t *skill = &rel.skill[j * nc], *record = &rel.record[j * nc];
      const size_t n_skill = rel.n_skill[j], n_record = rel.n_record[j];
      if (n_skill + n_record == 0)
        continue;
      const struct mt__vacancy *v = &e->vac[j];
      a.v = v;
      a.i0 = i0;
      e->kernel(&a);
      if (a.max_code < (n_skill > 0 ? MT__K_TRAINABLE : MT__K_BELOW_MIN))
        continue; /* every pair fails a rule no course changes */
      for (size_t i = 0; i < MT__BLOCK; i++) {
        if (key[i] < MT__K_TRAINABLE)
          continue;
        const size_t slot = i0 + i;
        const int trainable = key[i] == MT__K_TRAINABLE;
        const enum mt_reason rb = key[i] >= 0.0f ? MT_R_ELIGIBLE : MT_R_BELOW_MIN_FIT;
        struct mt__pair p;
        for (size_t t = 0; t < n_skill; t++) {
          const struct mt__course *co = &e->courses[skill[t]];
          if ((trainable && !covers(e, slot, co, v)) || completed(e, slot, skill[t]))
            continue;
          enum mt_reason ra =
              mt__pair_score(e, slot, v, co->skills, co->sector_value[v->vocation], 0, &p);
          if (unlocks(e, trainable ? MT_R_MISSING_SKILLS : rb, fit[i], ra, p.fit))
            reach[slot * nc + skill[t]] += v->openings_left;
        }
        if (trainable || n_record == 0)
          continue;
        enum mt_reason ra = mt__pair_score(e, slot, v, NULL, rel.record_max[j], 0, &p);
        if (!unlocks(e, rb, fit[i], ra, p.fit))
          continue;
        for (size_t t = 0; t < n_record; t++) {
          const struct mt__course *co = &e->courses[record[t]];
          if (completed(e, slot, record[t]))
            continue;
          ra = mt__pair_score(e, slot, v, NULL, co->sector_value[v->vocation], 0, &p);
          if (unlocks(e, rb, fit[i], ra, p.fit))
            reach[slot * nc + record[t]] += v->openings_left;
        }
      }
    }
  }
  plan_rel_free(&rel);
  return MT_OK;
}

/* The residents asked about are usually few and spread over every block (a
 * match run asks only about those no vacancy with room ranks), so they are
 * copied into blocks of their own first: the kernel then passes over their
 * blocks only, and scores each of them exactly as in place. */
enum mt_status mt__course_reach(const struct mt_engine *e, uint32_t *reach, const uint8_t *want) {
  if (want == NULL)
    return reach_all(e, reach);
  const size_t nc = e->n_courses;
  enum mt_status st = MT_ENOMEM;
  struct mt__residents sub = {0};
  uint32_t *sub_reach = NULL;
  size_t n = 0;
  uint32_t *slots = malloc((e->r.n + 1) * sizeof *slots);
  if (slots == NULL)
    return MT_ENOMEM;
  for (size_t i = 0; i < e->r.n; i++)
    if (want[i])
      slots[n++] = (uint32_t)i;
  if (n == 0) {
    st = MT_OK;
    goto cleanup;
  }
  sub_reach = calloc(n * nc + 1, sizeof *sub_reach);
  if (sub_reach == NULL || mt__residents_gather(e, slots, n, &sub) != MT_OK)
    goto cleanup;
  struct mt_engine few = *e;
  few.r = sub;
  st = reach_all(&few, sub_reach);
  if (st != MT_OK)
    goto cleanup;
  for (size_t k = 0; k < n; k++)
    for (size_t c = 0; c < nc; c++)
      reach[(size_t)slots[k] * nc + c] += sub_reach[k * nc + c];
cleanup:
  mt__residents_free(e, &sub);
  free(sub_reach);
  free(slots);
  return st;
}

/* One enrolment option: resident (left, in id order) × course (index into
 * the plan's useful courses). */
struct option {
  uint32_t left, course;
  int64_t gain; /* value in millionths of a placement */
  double value;
};

struct plan {
  const struct mt_engine *e;
  size_t n_left, n_useful;
  uint32_t *useful; /* course indices, in id order */
  uint32_t *slots;  /* left → resident slot */
  struct option *opt;
  size_t n_opt;
  /* scratch for solves */
  struct mt__arc *arcs;
  uint32_t *map; /* position of a useful course in the subset, or UINT32_MAX */
  uint32_t *arc_opt;
  uint8_t *chosen;
  uint32_t *cap;
};

/* Solves the enrolment of the subset in[] (flags over useful courses);
 * when pick is not NULL, pick[o] = 1 for chosen options. */
static enum mt_status plan_solve(struct plan *p, const uint8_t *in, int64_t *total, uint8_t *pick) {
  size_t nr = 0, na = 0;
  for (size_t u = 0; u < p->n_useful; u++) {
    p->map[u] = in[u] ? (uint32_t)nr : UINT32_MAX;
    if (in[u])
      p->cap[nr++] = p->e->courses[p->useful[u]].batch_capacity;
  }
  for (size_t o = 0; o < p->n_opt; o++) {
    uint32_t r = p->map[p->opt[o].course];
    if (r == UINT32_MAX)
      continue;
    p->arcs[na] = (struct mt__arc){p->opt[o].left, r, p->opt[o].gain};
    p->arc_opt[na++] = (uint32_t)o;
  }
  enum mt_status st = mt__assign_exact(p->n_left, nr, p->cap, p->arcs, na, p->chosen, total);
  if (st != MT_OK || pick == NULL)
    return st;
  memset(pick, 0, p->n_opt);
  for (size_t a = 0; a < na; a++)
    if (p->chosen[a])
      pick[p->arc_opt[a]] = 1;
  return MT_OK;
}

/* Largest f(S) over subsets S of size b of the useful courses, by trying
 * them all in lexicographic order (the first best wins ties). */
static enum mt_status plan_enumerate(struct plan *p, size_t b, uint8_t *best_in) {
  enum mt_status st = MT_OK;
  size_t *idx = malloc((b + 1) * sizeof *idx);
  uint8_t *in = calloc(p->n_useful + 1, 1);
  int64_t best = -1;
  if (idx == NULL || in == NULL) {
    st = MT_ENOMEM;
    goto cleanup;
  }
  for (size_t i = 0; i < b; i++)
    idx[i] = i;
  for (;;) {
    memset(in, 0, p->n_useful);
    for (size_t i = 0; i < b; i++)
      in[idx[i]] = 1;
    int64_t f;
    st = plan_solve(p, in, &f, NULL);
    if (st != MT_OK)
      goto cleanup;
    if (f > best) {
      best = f;
      memcpy(best_in, in, p->n_useful);
    }
    size_t i = b;
    while (i > 0 && idx[i - 1] == p->n_useful - b + (i - 1))
      i--;
    if (i == 0)
      break;
    idx[i - 1]++;
    for (size_t j = i; j < b; j++)
      idx[j] = idx[j - 1] + 1;
  }
cleanup:
  free(idx);
  free(in);
  return st;
}

/* Lazy greedy: the enrolment value is monotone and submodular in the set of
 * courses run, so stale marginal gains are upper bounds and only the top one
 * needs refreshing each time. */
static enum mt_status plan_greedy(struct plan *p, size_t b, uint8_t *in) {
  enum mt_status st = MT_OK;
  int64_t *bound = malloc((p->n_useful + 1) * sizeof *bound);
  size_t *fresh = calloc(p->n_useful + 1, sizeof *fresh);
  int64_t f = 0;
  if (bound == NULL || fresh == NULL) {
    st = MT_ENOMEM;
    goto cleanup;
  }
  memset(in, 0, p->n_useful);
  for (size_t u = 0; u < p->n_useful; u++)
    bound[u] = INT64_MAX;
  for (size_t round = 1; round <= b; round++) {
    for (;;) {
      size_t top = SIZE_MAX;
      for (size_t u = 0; u < p->n_useful; u++)
        if (!in[u] && (top == SIZE_MAX || bound[u] > bound[top]))
          top = u; /* ties keep the lower index, i.e. the lower course id */
      if (top == SIZE_MAX)
        goto cleanup;
      if (fresh[top] == round) {
        if (bound[top] <= 0)
          goto cleanup; /* nothing left adds a placement */
        in[top] = 1;
        f += bound[top];
        break;
      }
      int64_t g;
      in[top] = 1;
      st = plan_solve(p, in, &g, NULL);
      in[top] = 0;
      if (st != MT_OK)
        goto cleanup;
      bound[top] = g - f;
      fresh[top] = round;
    }
  }
cleanup:
  free(bound);
  free(fresh);
  return st;
}

static int cmp_batch(const void *a, const void *b) {
  const struct mt_plan_batch *x = a, *y = b;
  if (x->expected_placements != y->expected_placements)
    return x->expected_placements > y->expected_placements ? -1 : 1;
  return (x->course_id > y->course_id) - (x->course_id < y->course_id);
}

struct ranked {
  int64_t gain;
  uint32_t left;
};

static int cmp_ranked(const void *a, const void *b) {
  const struct ranked *x = a, *y = b;
  if (x->gain != y->gain)
    return x->gain > y->gain ? -1 : 1;
  return (x->left > y->left) - (x->left < y->left);
}

static int cmp_u16_desc(const void *a, const void *b) {
  uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
  return (x < y) - (x > y);
}

static int cmp_id_slot(const void *a, const void *b) {
  const uint32_t *x = a, *y = b;
  return (x[0] > y[0]) - (x[0] < y[0]);
}

/* Eligible residents in id order become the left nodes; pairs has room
 * for two words per resident. */
static void order_left(struct plan *p, uint32_t *pairs) {
  const struct mt_engine *e = p->e;
  for (size_t i = 0; i < e->r.n; i++) {
    if (e->r.status[i] != MT_R_ELIGIBLE)
      continue;
    pairs[2 * p->n_left] = e->r.id[i];
    pairs[2 * p->n_left + 1] = (uint32_t)i;
    p->n_left++;
  }
  qsort(pairs, p->n_left, 2 * sizeof *pairs, cmp_id_slot);
  for (size_t l = 0; l < p->n_left; l++)
    p->slots[l] = pairs[2 * l + 1];
}

/* Enrolments any plan of max_batches batches can make, an upper bound:
 * the largest batch capacities summed; caps has room for every course. */
static size_t plan_places(const struct mt_engine *e, uint16_t *caps, size_t max_batches) {
  size_t n_cand = 0;
  for (size_t c = 0; c < e->n_courses; c++)
    if (e->courses[c].batch_capacity > 0 && e->courses[c].placement_rate > 0.0)
      caps[n_cand++] = e->courses[c].batch_capacity;
  qsort(caps, n_cand, sizeof *caps, cmp_u16_desc);
  const size_t b = max_batches < n_cand ? max_batches : n_cand;
  size_t places = 0;
  for (size_t i = 0; i < b; i++)
    places += caps[i];
  return places;
}

/* Value of enrolling resident l in course c: min(1, reach × rate), the
 * chance of a placement, counted once per person.  Per course, only the
 * `places` most valuable residents can matter: in any plan at most
 * places - 1 others are enrolled elsewhere, so one of them is free to take
 * an enrolment that went further down the list.  Marks them in keep,
 * lists the courses anyone gains from in p->useful and returns how many
 * (resident, course) options were kept; rk has room for every left node. */
static size_t keep_best(struct plan *p, const uint32_t *reach, size_t places, struct ranked *rk,
                        uint8_t *keep) {
  const struct mt_engine *e = p->e;
  const size_t nc = e->n_courses;
  size_t n_keep = 0;
  for (size_t c = 0; c < nc; c++) {
    const struct mt__course *co = &e->courses[c];
    if (co->batch_capacity == 0 || co->placement_rate <= 0.0)
      continue;
    size_t n = 0;
    for (size_t l = 0; l < p->n_left; l++) {
      double u = reach[(size_t)p->slots[l] * nc + c] * co->placement_rate;
      int64_t g = mt__tied_gain(llround((u > 1.0 ? 1.0 : u) * 1e6),
                                mt__tie_code(e, p->slots[l], co->id, 1));
      if (g > 0)
        rk[n++] = (struct ranked){g, (uint32_t)l};
    }
    qsort(rk, n, sizeof *rk, cmp_ranked);
    for (size_t t = 0; t < n && t < places; t++) {
      keep[rk[t].left * nc + c] = 1;
      n_keep++;
    }
    if (n > 0)
      p->useful[p->n_useful++] = (uint32_t)c;
  }
  return n_keep;
}

/* Useful courses in id order; then the kept options in (resident, course)
 * order into p->opt, which has room for all of them. */
static void list_options(struct plan *p, const uint32_t *reach, const uint8_t *keep) {
  const struct mt_engine *e = p->e;
  const size_t nc = e->n_courses;
  for (size_t u = 1; u < p->n_useful; u++)
    for (size_t t = u; t > 0 && e->courses[p->useful[t - 1]].id > e->courses[p->useful[t]].id;
         t--) {
      uint32_t x = p->useful[t];
      p->useful[t] = p->useful[t - 1];
      p->useful[t - 1] = x;
    }
  for (size_t l = 0; l < p->n_left; l++)
    for (size_t u = 0; u < p->n_useful; u++) {
      size_t c = p->useful[u];
      if (!keep[l * nc + c])
        continue;
      double v = reach[(size_t)p->slots[l] * nc + c] * e->courses[c].placement_rate;
      v = v > 1.0 ? 1.0 : v;
      p->opt[p->n_opt++] = (struct option){
          (uint32_t)l, (uint32_t)u,
          mt__tied_gain(llround(v * 1e6), mt__tie_code(e, p->slots[l], e->courses[c].id, 1)), v};
    }
}

/* Picks the courses to run, in[u] = 1: all of them when they fit in
 * max_batches, else every subset when there are few enough, else greedily. */
static enum mt_status choose_courses(struct plan *p, size_t max_batches, uint8_t *in) {
  const size_t b = max_batches < p->n_useful ? max_batches : p->n_useful;
  double subsets = 1.0; /* binomial(n_useful, b), stopping once past the limit */
  for (size_t i = 0; i < b && subsets <= PLAN_ENUM_LIMIT; i++)
    subsets = subsets * (double)(p->n_useful - i) / (double)(i + 1);
  if (b == p->n_useful) {
    memset(in, 1, p->n_useful);
    return MT_OK;
  }
  if (subsets <= PLAN_ENUM_LIMIT)
    return plan_enumerate(p, b, in);
  return plan_greedy(p, b, in);
}

/* One batch per chosen course that enrols anyone, with its residents and
 * expected placements, sorted by cmp_batch. */
static enum mt_status write_batches(struct mt_training_plan *res, const struct plan *p,
                                    const uint8_t *in, const uint8_t *pick) {
  const struct mt_engine *e = p->e;
  res->batches = calloc(p->n_useful, sizeof *res->batches);
  if (res->batches == NULL)
    return MT_ENOMEM;
  for (size_t u = 0; u < p->n_useful; u++) {
    if (!in[u])
      continue;
    size_t n = 0;
    for (size_t o = 0; o < p->n_opt; o++)
      n += pick[o] && p->opt[o].course == u;
    if (n == 0)
      continue;
    struct mt_plan_batch *bt = &res->batches[res->n_batches];
    bt->residents = malloc(n * sizeof *bt->residents);
    if (bt->residents == NULL)
      return MT_ENOMEM;
    bt->course_id = e->courses[p->useful[u]].id;
    res->n_batches++;
    for (size_t o = 0; o < p->n_opt; o++) {
      if (!pick[o] || p->opt[o].course != u)
        continue;
      bt->residents[bt->n_residents++] = e->r.id[p->slots[p->opt[o].left]];
      bt->expected_placements += p->opt[o].value;
    }
    res->expected_placements += bt->expected_placements;
  }
  qsort(res->batches, res->n_batches, sizeof *res->batches, cmp_batch);
  return MT_OK;
}

enum mt_status mt_training_plan(const struct mt_engine *e, size_t max_batches,
                                struct mt_training_plan **out) {
  enum mt_status st = MT_OK;
  struct mt_training_plan *res = NULL;
  struct plan p = {.e = e};
  uint32_t *reach = NULL, *pairs = NULL;
  uint8_t *keep = NULL, *in = NULL, *pick = NULL;
  uint16_t *caps = NULL;
  struct ranked *rk = NULL;
  size_t nc = e != NULL ? e->n_courses : 0;

  if (e == NULL || out == NULL)
    return MT_EINVAL;
  *out = NULL;
  res = calloc(1, sizeof *res);
  reach = calloc(e->r.cap * nc + 1, sizeof *reach);
  pairs = malloc((2 * e->r.n + 2) * sizeof *pairs);
  p.slots = malloc((e->r.n + 1) * sizeof *p.slots);
  p.useful = malloc((nc + 1) * sizeof *p.useful);
  caps = malloc((nc + 1) * sizeof *caps);
  if (res == NULL || reach == NULL || pairs == NULL || p.slots == NULL || p.useful == NULL ||
      caps == NULL)
    goto nomem;
  if (max_batches == 0 || nc == 0)
    goto done;
  st = mt__course_reach(e, reach, NULL);
  if (st != MT_OK)
    goto cleanup;
  order_left(&p, pairs);
  const size_t places = plan_places(e, caps, max_batches);
  rk = malloc((p.n_left + 1) * sizeof *rk);
  keep = calloc(p.n_left * nc + 1, 1);
  if (rk == NULL || keep == NULL)
    goto nomem;
  const size_t n_keep = keep_best(&p, reach, places, rk, keep);
  p.opt = malloc((n_keep + 1) * sizeof *p.opt);
  if (p.opt == NULL)
    goto nomem;
  list_options(&p, reach, keep);
  if (p.n_useful == 0)
    goto done;

  p.arcs = malloc((p.n_opt + 1) * sizeof *p.arcs);
  p.arc_opt = malloc((p.n_opt + 1) * sizeof *p.arc_opt);
  p.chosen = malloc(p.n_opt + 1);
  p.map = malloc((p.n_useful + 1) * sizeof *p.map);
  p.cap = malloc((p.n_useful + 1) * sizeof *p.cap);
  in = calloc(p.n_useful + 1, 1);
  pick = calloc(p.n_opt + 1, 1);
  if (p.arcs == NULL || p.arc_opt == NULL || p.chosen == NULL || p.map == NULL || p.cap == NULL ||
      in == NULL || pick == NULL)
    goto nomem;
  st = choose_courses(&p, max_batches, in);
  if (st != MT_OK)
    goto cleanup;
  int64_t total;
  st = plan_solve(&p, in, &total, pick);
  if (st == MT_OK)
    st = write_batches(res, &p, in, pick);
  if (st != MT_OK)
    goto cleanup;
done:
  *out = res;
  res = NULL;
  goto cleanup;
nomem:
  st = MT_ENOMEM;
cleanup:
  mt_training_plan_free(res);
  free(reach);
  free(pairs);
  free(keep);
  free(in);
  free(pick);
  free(caps);
  free(rk);
  free(p.slots);
  free(p.useful);
  free(p.opt);
  free(p.arcs);
  free(p.arc_opt);
  free(p.chosen);
  free(p.map);
  free(p.cap);
  return st;
}
