/*
 * check_courses.c — train then apply and the training plan on hand-built
 * cases whose unlocked vacancies and expected placements are worked out in
 * the comments, plus the plan against a brute force over every enrolment on
 * small random worlds, and the lazy-greedy path of the plan on a case where
 * greedy is provably optimal.
 */
#include "matcher.h"
#include "testutil.h"
#include "tu_world.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TODAY 20240 /* 2025-06-01 */
#define BORN 9199   /* 1995-03-10: 30 years old */

enum { SMAW, DRAWING, GRINDING, SAFETY, FORKLIFT, N_SK };

static const struct mt_skill skills[N_SK] = {
    {11, "WLD-001", "Las SMAW", "SMAW welding", MT_VOC_WELDING_METAL},
    {12, "WLD-002", "Membaca gambar teknik", "Reading technical drawings", MT_VOC_WELDING_METAL},
    {13, "WLD-003", "Gerinda", "Grinding", MT_VOC_WELDING_METAL},
    {14, "SAF-001", "K3 dasar", "Basic occupational safety", MT_VOC_MANUFACTURING},
    {15, "LOG-001", "Operasi forklift", "Forklift operation", MT_VOC_LOGISTICS},
};

/* Everyone lives and works in one kelurahan: commute 0 km, value 1. */
static const struct mt_kelurahan kel[] = {{1, "Sukarasa", -6.18, 106.63, 0}};

static const uint16_t c0_skills[] = {SMAW, GRINDING};
static const uint16_t c1_skills[] = {FORKLIFT, SAFETY};

/* C0 (301): welding, placement rate 9/20 = 0.45, all 9 in welding, so its
 * course value in welding is (9/18)/0.5 = 1.  C1 (302): forklift, rate
 * 2/10 = 0.2, value in logistics (2/10)/0.5 = 0.4.  Two seats each. */
static void make_courses(struct mt_course c[2]) {
  c[0] = tu_course(
      301, "Las SMAW", MT_VOC_WELDING_METAL, 240, 2, c0_skills, 2,
      (struct tu_outcomes){.enrolled = 20, .completed = 18, .certified = 15, .placed_6m = 9});
  c[1] = tu_course(
      302, "Forklift", MT_VOC_LOGISTICS, 120, 2, c1_skills, 2,
      (struct tu_outcomes){.enrolled = 10, .completed = 10, .certified = 10, .placed_6m = 2});
}

static const uint16_t w1_must[] = {SMAW};
static const uint16_t w2_must[] = {SMAW, GRINDING};
static const uint16_t l_must[] = {FORKLIFT};

/* Every vacancy wants SMA. */
static struct mt_vacancy vacancy(uint32_t id, uint8_t voc, const uint16_t *must, size_t n,
                                 uint32_t openings) {
  return tu_vacancy(id, voc, MT_EDU_SMA, must, n, openings);
}

static struct mt_resident resident(uint32_t id, const uint16_t *sk, const uint8_t *cert, size_t n) {
  return (struct mt_resident){.id = id,
                              .kelurahan = 0,
                              .birth_day = BORN,
                              .verified_day = TODAY - 30,
                              .education = MT_EDU_SMA,
                              .desil = 2,
                              .disability = 0,
                              .dependants = 1,
                              .months_without_work = 6,
                              .skills = sk,
                              .skill_certified = cert,
                              .n_skills = n};
}

static const uint16_t r1_sk[] = {DRAWING};
static const uint16_t r2_sk[] = {SMAW};
static const uint16_t r3_sk[] = {FORKLIFT};
static const uint16_t r5_sk[] = {SMAW, GRINDING};
static const uint8_t r5_cert[] = {1, 1};
static const uint16_t r5_done[] = {0};

/* The scores that decide every case below (SMA meets the SMA minimum: 0.8;
 * commute 1; preference unknown; no course unless said):
 *   must held, self-reported, no course:
 *     100 × (0.4·0.8 + 0.15·0.8 + 0.2·1) / 0.75 = 85.33
 *   must held and certified, welding course value 1:
 *     100 × (0.4·1 + 0.15·0.8 + 0.2·1 + 0.1·1) / 0.85 = 96.47
 *   must held and certified, logistics course value 0.4:
 *     100 × (0.4·1 + 0.15·0.8 + 0.2·1 + 0.1·0.4) / 0.85 = 89.41
 * So a course that fills a gap always lifts the pair above the minimum fit
 * (40), and the margin rule (15 points) decides the rest: 85.33 → 96.47 is
 * +11.1, 85.33 → 89.41 is +4.1, neither unlocks. */
static struct mt_engine *build(double margin) {
  static struct mt_course courses[2];
  make_courses(courses);
  struct mt_config cfg;
  mt_config_default(&cfg);
  cfg.today = TODAY;
  cfg.unlock_margin = margin;
  struct mt_resident r[5] = {
      resident(501, r1_sk, NULL, 1),    /* R1: drawing only */
      resident(502, r2_sk, NULL, 1),    /* R2: SMAW, self-reported */
      resident(503, r3_sk, NULL, 1),    /* R3: forklift, self-reported */
      resident(504, NULL, NULL, 0),     /* R4: employed */
      resident(505, r5_sk, r5_cert, 2), /* R5: completed C0 */
  };
  r[3].employed = 1;
  r[4].courses_completed = r5_done;
  r[4].n_courses_completed = 1;
  struct mt_vacancy v[3] = {
      vacancy(401, MT_VOC_WELDING_METAL, w1_must, 1, 3), /* W1: SMAW, 3 openings */
      vacancy(402, MT_VOC_WELDING_METAL, w2_must, 2, 2), /* W2: SMAW + grinding, 2 */
      vacancy(403, MT_VOC_LOGISTICS, l_must, 1, 4),      /* L: forklift, 4 */
  };
  struct mt_input in = {&cfg, skills, N_SK, kel, 1, courses, 2, r, 5, v, 3};
  struct mt_engine *e = NULL;
  ck_assert_int_eq(mt_engine_create(&in, &e), MT_OK);
  return e;
}

static void rec_is(const struct mt_course_rec *r, uint32_t course, double rate, uint32_t reach,
                   const uint32_t *unlocked, size_t n) {
  ck_assert_uint_eq(r->course_id, course);
  ck_assert_double_eq_tol(r->placement_rate, rate, 1e-12);
  ck_assert_uint_eq(r->openings_reachable, reach);
  ck_assert_double_eq_tol(r->expected_placements, reach * rate, 1e-12);
  ck_assert_uint_eq(r->n_unlocked, n);
  for (size_t i = 0; i < n; i++)
    ck_assert_uint_eq(r->unlocked[i], unlocked[i]);
}

START_TEST(test_recommendations) {
  struct mt_engine *e = build(15.0);
  struct mt_course_recs *r = NULL;

  /* R1 lacks SMAW: C0 makes W1 and W2 eligible (3 + 2 = 5 openings,
   * × 0.45 = 2.25); C1 makes L eligible (4 × 0.2 = 0.8). */
  ck_assert_int_eq(mt_recommend_courses(e, 501, 0, &r), MT_OK);
  ck_assert_uint_eq(r->n, 2);
  rec_is(&r->recs[0], 301, 0.45, 5, (const uint32_t[]){401, 402}, 2);
  rec_is(&r->recs[1], 302, 0.2, 4, (const uint32_t[]){403}, 1);
  mt_course_recs_free(r);

  /* R2 holds SMAW: C0 adds grinding, unlocking W2 (2 × 0.45 = 0.9), and
   * lifts W1 by only 11.1 points; C1 unlocks L (0.8). */
  ck_assert_int_eq(mt_recommend_courses(e, 502, 0, &r), MT_OK);
  ck_assert_uint_eq(r->n, 2);
  rec_is(&r->recs[0], 301, 0.45, 2, (const uint32_t[]){402}, 1);
  rec_is(&r->recs[1], 302, 0.2, 4, (const uint32_t[]){403}, 1);
  mt_course_recs_free(r);
  /* k limits the list */
  ck_assert_int_eq(mt_recommend_courses(e, 502, 1, &r), MT_OK);
  ck_assert_uint_eq(r->n, 1);
  ck_assert_uint_eq(r->recs[0].course_id, 301);
  mt_course_recs_free(r);

  /* R3 holds forklift: C0 unlocks both welding jobs (2.25); C1 lifts L by
   * 4.1 points only, so it is not recommended. */
  ck_assert_int_eq(mt_recommend_courses(e, 503, 0, &r), MT_OK);
  ck_assert_uint_eq(r->n, 1);
  rec_is(&r->recs[0], 301, 0.45, 5, (const uint32_t[]){401, 402}, 2);
  mt_course_recs_free(r);

  /* R4 is employed: nothing.  R5 completed C0: only C1 (0.8). */
  ck_assert_int_eq(mt_recommend_courses(e, 504, 0, &r), MT_OK);
  ck_assert_uint_eq(r->n, 0);
  mt_course_recs_free(r);
  ck_assert_int_eq(mt_recommend_courses(e, 505, 0, &r), MT_OK);
  ck_assert_uint_eq(r->n, 1);
  rec_is(&r->recs[0], 302, 0.2, 4, (const uint32_t[]){403}, 1);
  mt_course_recs_free(r);

  ck_assert_int_eq(mt_recommend_courses(e, 999, 0, &r), MT_ENOTFOUND);
  ck_assert_ptr_null(r);
  mt_course_recs_free(NULL);
  mt_engine_free(e);

  /* With a 10-point margin, C0's +11.1 on W1 counts for R2: 5 × 0.45. */
  e = build(10.0);
  ck_assert_int_eq(mt_recommend_courses(e, 502, 0, &r), MT_OK);
  rec_is(&r->recs[0], 301, 0.45, 5, (const uint32_t[]){401, 402}, 2);
  mt_course_recs_free(r);
  mt_engine_free(e);
}
END_TEST

START_TEST(test_recommendations_follow_updates) {
  struct mt_engine *e = build(15.0);
  struct mt_course_recs *r = NULL;
  /* W2 closes: C0 now reaches only W1 for R1 (3 × 0.45 = 1.35). */
  struct mt_vacancy w2 = vacancy(402, MT_VOC_WELDING_METAL, w2_must, 2, 2);
  w2.open = 0;
  ck_assert_int_eq(mt_engine_put_vacancy(e, &w2), MT_OK);
  ck_assert_int_eq(mt_recommend_courses(e, 501, 0, &r), MT_OK);
  rec_is(&r->recs[0], 301, 0.45, 3, (const uint32_t[]){401}, 1);
  mt_course_recs_free(r);
  /* C1's record improves to 8 of 10 placed: 4 × 0.8 = 3.2 leads now. */
  struct mt_course c[2];
  make_courses(c);
  c[1].placed_6m = 8;
  c[1].placed_by_sector[MT_VOC_LOGISTICS] = 8;
  ck_assert_int_eq(mt_engine_put_course(e, &c[1]), MT_OK);
  ck_assert_int_eq(mt_recommend_courses(e, 501, 0, &r), MT_OK);
  rec_is(&r->recs[0], 302, 0.8, 4, (const uint32_t[]){403}, 1);
  rec_is(&r->recs[1], 301, 0.45, 3, (const uint32_t[]){401}, 1);
  mt_course_recs_free(r);
  mt_engine_free(e);
}
END_TEST

static void batch_is(const struct mt_plan_batch *b, uint32_t course, const uint32_t *ids, size_t n,
                     double expected) {
  ck_assert_uint_eq(b->course_id, course);
  ck_assert_uint_eq(b->n_residents, n);
  for (size_t i = 0; i < n; i++)
    ck_assert_uint_eq(b->residents[i], ids[i]);
  ck_assert_double_eq_tol(b->expected_placements, expected, 1e-9);
}

START_TEST(test_training_plan) {
  /* A resident's value in a course is min(1, openings unlocked × rate):
   *   R1: C0 min(1, 5 × 0.45) = 1.0, C1 min(1, 4 × 0.2) = 0.8
   *   R2: C0 min(1, 2 × 0.45) = 0.9, C1 0.8
   *   R3: C0 1.0
   *   R5: C1 0.8
   * Two seats per course.  Both courses: C0 {R1, R3} = 2.0 and C1 {R2, R5}
   * = 1.6, total 3.6 (the next best, C0 {R2, R3} + C1 {R1, R5}, is 3.5). */
  struct mt_engine *e = build(15.0);
  struct mt_training_plan *p = NULL;
  ck_assert_int_eq(mt_training_plan(e, 2, &p), MT_OK);
  ck_assert_uint_eq(p->n_batches, 2);
  batch_is(&p->batches[0], 301, (const uint32_t[]){501, 503}, 2, 2.0);
  batch_is(&p->batches[1], 302, (const uint32_t[]){502, 505}, 2, 1.6);
  ck_assert_double_eq_tol(p->expected_placements, 3.6, 1e-9);
  mt_training_plan_free(p);

  /* One batch: C0 alone gives 2.0, C1 alone 1.6. */
  ck_assert_int_eq(mt_training_plan(e, 1, &p), MT_OK);
  ck_assert_uint_eq(p->n_batches, 1);
  batch_is(&p->batches[0], 301, (const uint32_t[]){501, 503}, 2, 2.0);
  ck_assert_double_eq_tol(p->expected_placements, 2.0, 1e-9);
  mt_training_plan_free(p);

  /* No batches allowed: an empty plan. */
  ck_assert_int_eq(mt_training_plan(e, 0, &p), MT_OK);
  ck_assert_uint_eq(p->n_batches, 0);
  ck_assert_double_eq(p->expected_placements, 0.0);
  mt_training_plan_free(p);
  mt_training_plan_free(NULL);
  mt_engine_free(e);
}
END_TEST

START_TEST(test_plan_greedy_path) {
  /* 15 courses, each teaching one skill that one vacancy needs; 10
   * residents without skills, each of whom any course qualifies for its
   * vacancy (1 opening).  Course k places (k + 1) of 20, so a seat is worth
   * (k + 1)/20 whoever takes it.  Choosing 5 of 15 courses (3003 subsets)
   * goes to the lazy greedy, which is optimal here because the value is
   * additive: the five best rates, two seats each:
   * 2 × (15 + 14 + 13 + 12 + 11) / 20 = 6.5. */
  enum { K = 15, R = 10 };
  static struct mt_skill sk[K];
  static struct mt_course co[K];
  static struct mt_vacancy va[K];
  static struct mt_resident re[R];
  static uint16_t idx[K];
  for (int k = 0; k < K; k++) {
    idx[k] = (uint16_t)k;
    sk[k] = (struct mt_skill){(uint32_t)k, "S", "s", "s", MT_VOC_MANUFACTURING};
    co[k] = (struct mt_course){.id = 600 + (uint32_t)k,
                               .name = "C",
                               .vocation = MT_VOC_MANUFACTURING,
                               .batch_capacity = 2,
                               .skills = &idx[k],
                               .n_skills = 1,
                               .enrolled = 20,
                               .completed = 20,
                               .placed_6m = (uint32_t)k + 1};
    va[k] = vacancy(700 + (uint32_t)k, MT_VOC_MANUFACTURING, &idx[k], 1, 1);
  }
  for (int i = 0; i < R; i++)
    re[i] = resident(800 + (uint32_t)i, NULL, NULL, 0);
  struct mt_config cfg;
  mt_config_default(&cfg);
  cfg.today = TODAY;
  struct mt_input in = {&cfg, sk, K, kel, 1, co, K, re, R, va, K};
  struct mt_engine *e = NULL;
  ck_assert_int_eq(mt_engine_create(&in, &e), MT_OK);
  struct mt_training_plan *p = NULL;
  ck_assert_int_eq(mt_training_plan(e, 5, &p), MT_OK);
  ck_assert_uint_eq(p->n_batches, 5);
  ck_assert_double_eq_tol(p->expected_placements, 6.5, 1e-9);
  uint8_t seen[R] = {0};
  for (size_t b = 0; b < 5; b++) {
    ck_assert_uint_eq(p->batches[b].course_id, 614 - b);
    ck_assert_uint_eq(p->batches[b].n_residents, 2);
    ck_assert_double_eq_tol(p->batches[b].expected_placements, 2.0 * (15 - (double)b) / 20, 1e-9);
    for (size_t i = 0; i < 2; i++) {
      uint32_t id = p->batches[b].residents[i];
      ck_assert(id >= 800 && id < 800 + R && !seen[id - 800]);
      seen[id - 800] = 1;
    }
    ck_assert_uint_lt(p->batches[b].residents[0], p->batches[b].residents[1]);
  }
  mt_training_plan_free(p);
  mt_engine_free(e);
}
END_TEST

/* ---- the plan against brute force -------------------------------------------------- */

static uint64_t rng;

static uint32_t rnd(uint32_t n) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)((rng >> 16) % n);
}

enum { BR = 6, BV = 5, BC = 4 };

struct bworld {
  struct mt_course co[BC];
  uint16_t co_sk[BC][2];
  struct mt_vacancy va[BV];
  uint16_t va_sk[BV][2];
  struct mt_resident re[BR];
  uint16_t re_sk[BR][3];
};

struct bsearch {
  int64_t u[BR][BC]; /* value in millionths, 0 when none */
  uint32_t cap[BC];
  uint32_t used[BC];
  size_t max_batches;
  int64_t best;
};

static void brute(struct bsearch *s, size_t i, int64_t sum) {
  if (i == BR) {
    size_t courses = 0;
    for (size_t c = 0; c < BC; c++)
      courses += s->used[c] > 0;
    if (courses <= s->max_batches && sum > s->best)
      s->best = sum;
    return;
  }
  brute(s, i + 1, sum);
  for (size_t c = 0; c < BC; c++)
    if (s->u[i][c] > 0 && s->used[c] < s->cap[c]) {
      s->used[c]++;
      brute(s, i + 1, sum + s->u[i][c]);
      s->used[c]--;
    }
}

START_TEST(test_plan_matches_brute_force) {
  static struct bworld w;
  size_t nontrivial = 0;
  for (uint64_t seed = 1; seed <= 60; seed++) {
    rng = seed * 0x9E3779B97F4A7C15ull + 3;
    memset(&w, 0, sizeof w);
    for (size_t c = 0; c < BC; c++) {
      w.co_sk[c][0] = (uint16_t)rnd(N_SK);
      w.co_sk[c][1] = (uint16_t)rnd(N_SK);
      w.co[c] = (struct mt_course){.id = 300 + (uint32_t)c,
                                   .name = "C",
                                   .vocation = MT_VOC_WELDING_METAL,
                                   .batch_capacity = (uint16_t)(1 + rnd(2)),
                                   .skills = w.co_sk[c],
                                   .n_skills = 2,
                                   .enrolled = 10,
                                   .completed = 10,
                                   .placed_6m = 1 + rnd(6)};
      w.co[c].placed_by_sector[MT_VOC_WELDING_METAL] = rnd(4);
    }
    for (size_t j = 0; j < BV; j++) {
      w.va_sk[j][0] = (uint16_t)rnd(N_SK);
      w.va_sk[j][1] = (uint16_t)rnd(N_SK);
      w.va[j] =
          vacancy(400 + (uint32_t)j, MT_VOC_WELDING_METAL, w.va_sk[j], 1 + rnd(2), 1 + rnd(2));
    }
    for (size_t i = 0; i < BR; i++) {
      size_t n = rnd(3);
      for (size_t k = 0; k < n; k++)
        w.re_sk[i][k] = (uint16_t)rnd(N_SK);
      w.re[i] = resident(500 + (uint32_t)i, w.re_sk[i], NULL, n);
      w.re[i].employed = rnd(8) == 0;
    }
    struct mt_config cfg;
    mt_config_default(&cfg);
    cfg.today = TODAY;
    cfg.unlock_margin = 5.0;
    struct mt_input in = {&cfg, skills, N_SK, kel, 1, w.co, BC, w.re, BR, w.va, BV};
    struct mt_engine *e = NULL;
    ck_assert_int_eq(mt_engine_create(&in, &e), MT_OK);

    /* u from the recommendations: the plan's value is the recommendation's
     * expected placements, capped at one per person */
    struct bsearch s;
    memset(&s, 0, sizeof s);
    for (size_t c = 0; c < BC; c++)
      s.cap[c] = w.co[c].batch_capacity;
    for (size_t i = 0; i < BR; i++) {
      struct mt_course_recs *r = NULL;
      ck_assert_int_eq(mt_recommend_courses(e, w.re[i].id, 0, &r), MT_OK);
      for (size_t k = 0; k < r->n; k++) {
        double u = r->recs[k].expected_placements;
        s.u[i][r->recs[k].course_id - 300] = llround((u > 1.0 ? 1.0 : u) * 1e6);
      }
      mt_course_recs_free(r);
    }
    for (size_t mb = 1; mb <= BC; mb++) {
      s.max_batches = mb;
      s.best = 0;
      brute(&s, 0, 0);
      struct mt_training_plan *p = NULL;
      ck_assert_int_eq(mt_training_plan(e, mb, &p), MT_OK);
      ck_assert_uint_le(p->n_batches, mb);
      int64_t got = 0;
      uint8_t seen[BR] = {0};
      for (size_t b = 0; b < p->n_batches; b++) {
        const struct mt_plan_batch *bt = &p->batches[b];
        size_t c = bt->course_id - 300;
        ck_assert_uint_le(bt->n_residents, s.cap[c]);
        ck_assert_uint_gt(bt->n_residents, 0);
        if (b > 0)
          ck_assert(p->batches[b - 1].expected_placements >= bt->expected_placements);
        for (size_t k = 0; k < bt->n_residents; k++) {
          size_t i = bt->residents[k] - 500;
          ck_assert(!seen[i]);
          seen[i] = 1;
          ck_assert_int_gt(s.u[i][c], 0);
          got += s.u[i][c];
          if (k > 0)
            ck_assert_uint_lt(bt->residents[k - 1], bt->residents[k]);
        }
      }
      ck_assert_int_eq(got, s.best);
      nontrivial += s.best > 0 && mb < BC;
      mt_training_plan_free(p);
    }
    mt_engine_free(e);
  }
  ck_assert_uint_gt(nontrivial, 30);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("courses");
  TCase *t = tcase_create("train_then_apply");
  tcase_add_test(t, test_recommendations);
  tcase_add_test(t, test_recommendations_follow_updates);
  tcase_add_test(t, test_training_plan);
  tcase_add_test(t, test_plan_greedy_path);
  tcase_add_test(t, test_plan_matches_brute_force);
  suite_add_tcase(s, t);
  return s;
}

int main(void) {
  return tu_run_suite(suite());
}
