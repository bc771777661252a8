/*
 * check_matcher.c — the matching engine on small hand-built worlds: every fit
 * and priority component and the totals against arithmetic written out in
 * the comments (the worked example of docs/MATCHING.md), one case per
 * eligibility rule, explanation texts, unknown inputs weighing nothing,
 * rankings with ties, updates, the configuration parser and input checks.
 */
#include "matcher.h"
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TODAY 20240 /* 2025-06-01 */
#define TOL 1e-3

/* ---- the worked example ------------------------------------------------------- */

enum { SK_SMAW, SK_DRAWING, SK_GRINDING, SK_SAFETY, SK_FORKLIFT, N_SK };

static const struct mt_skill skills[N_SK] = {
    {11, "WLD-001", "Las SMAW", "SMAW welding", MT_VOC_WELDING_METAL},
    {12, "WLD-002", "Membaca gambar teknik", "Reading technical drawings", MT_VOC_WELDING_METAL},
    {13, "WLD-003", "Gerinda", "Grinding", MT_VOC_WELDING_METAL},
    {14, "SAF-001", "K3 dasar", "Basic occupational safety", MT_VOC_MANUFACTURING},
    {15, "LOG-001", "Operasi forklift", "Forklift operation", MT_VOC_LOGISTICS},
};

/* Kelurahan 1 lies 0.05° of latitude north of kelurahan 0: the haversine
 * distance is 6371 km × 0.05 × π/180 = 5.559746 km, × road factor 1.3 =
 * 7.227670 km. */
static const struct mt_kelurahan kel[] = {
    {1, "Sukarasa", -6.18, 106.63, 0},
    {2, "Kedaung Baru", -6.13, 106.63, 1},
    {3, "Jauh", -6.48, 106.63, 0},
};

static const uint16_t c0_skills[] = {SK_SMAW, SK_GRINDING};
static const uint16_t c1_skills[] = {SK_FORKLIFT, SK_SAFETY};

static struct mt_course courses[2];

static void make_courses(void) {
  memset(courses, 0, sizeof courses);
  /* 9 of 20 placed within 6 months; 6 of the 18 graduates in welding. */
  courses[0] = (struct mt_course){.id = 301,
                                  .name = "Las SMAW dasar",
                                  .vocation = MT_VOC_WELDING_METAL,
                                  .hours = 240,
                                  .batch_capacity = 16,
                                  .skills = c0_skills,
                                  .n_skills = 2,
                                  .enrolled = 20,
                                  .completed = 18,
                                  .certified = 15,
                                  .placed_6m = 9};
  courses[0].placed_by_sector[MT_VOC_WELDING_METAL] = 6;
  courses[0].placed_by_sector[MT_VOC_MANUFACTURING] = 3;
  courses[1] = (struct mt_course){.id = 302,
                                  .name = "Operator forklift",
                                  .vocation = MT_VOC_LOGISTICS,
                                  .hours = 120,
                                  .batch_capacity = 16,
                                  .skills = c1_skills,
                                  .n_skills = 2,
                                  .enrolled = 10,
                                  .completed = 10,
                                  .certified = 10,
                                  .placed_6m = 2};
  courses[1].placed_by_sector[MT_VOC_LOGISTICS] = 2;
}

static const uint16_t a_skills[] = {SK_SMAW, SK_DRAWING, SK_SAFETY};
static const uint8_t a_cert[] = {1, 0, 0};
static const uint16_t a_courses[] = {0};
static const uint8_t a_pref[] = {MT_VOC_WELDING_METAL};

/* Resident A: 30 years old, verified 100 days ago, SMK welding graduate,
 * desil 1, priority kelurahan, 12 months without work, 2 dependants. */
static struct mt_resident resident_a(void) {
  return (struct mt_resident){.id = 101,
                              .kelurahan = 1,
                              .birth_day = 9199, /* 1995-03-10 */
                              .verified_day = TODAY - 100,
                              .sex = 1,
                              .religion = 1,
                              .marital = 1,
                              .education = MT_EDU_SMA,
                              .smk_vocation = MT_VOC_WELDING_METAL,
                              .desil = 1,
                              .disability = 0,
                              .dependants = 2,
                              .months_without_work = 12,
                              .shifts = MT_SHIFT_DAY | MT_SHIFT_NIGHT,
                              .skills = a_skills,
                              .skill_certified = a_cert,
                              .n_skills = 3,
                              .courses_completed = a_courses,
                              .n_courses_completed = 1,
                              .preferred_vocations = a_pref,
                              .n_preferred_vocations = 1};
}

static const uint16_t b_skills[] = {SK_SMAW, SK_DRAWING};

/* Resident B: everything optional unknown. */
static struct mt_resident resident_b(void) {
  return (struct mt_resident){.id = 102,
                              .kelurahan = MT_NO_KELURAHAN,
                              .birth_day = 9199,
                              .verified_day = TODAY - 10,
                              .education = MT_EDU_UNKNOWN,
                              .desil = 0,
                              .disability = MT_UNKNOWN_U8,
                              .dependants = MT_UNKNOWN_U8,
                              .months_without_work = MT_UNKNOWN_I16,
                              .skills = b_skills,
                              .n_skills = 2};
}

static const uint16_t v1_must[] = {SK_SMAW, SK_DRAWING};
static const uint16_t v1_nice[] = {SK_GRINDING, SK_SAFETY};
static const uint16_t v2_must[] = {SK_SMAW};
static const uint16_t v3_must[] = {SK_FORKLIFT, SK_DRAWING};

/* V1: welder in Sukarasa, SMA minimum, day shift, Rp5,000,000. */
static struct mt_vacancy vacancy_1(void) {
  return (struct mt_vacancy){.id = 201,
                             .employer_id = 9,
                             .kelurahan = 0,
                             .vocation = MT_VOC_WELDING_METAL,
                             .min_education = MT_EDU_SMA,
                             .open = 1,
                             .shifts = MT_SHIFT_DAY,
                             .deadline_day = TODAY + 30,
                             .openings_left = 2,
                             .wage_monthly = 5000000,
                             .must = v1_must,
                             .n_must = 2,
                             .nice = v1_nice,
                             .n_nice = 2};
}

/* V2: no minimum education, no shift, one must-have skill. */
static struct mt_vacancy vacancy_2(void) {
  return (struct mt_vacancy){.id = 202,
                             .employer_id = 9,
                             .kelurahan = 0,
                             .vocation = MT_VOC_WELDING_METAL,
                             .open = 1,
                             .deadline_day = MT_UNKNOWN_DAY,
                             .openings_left = 1,
                             .wage_monthly = 5000000,
                             .must = v2_must,
                             .n_must = 1};
}

/* V3: forklift and drawing reading, logistics. */
static struct mt_vacancy vacancy_3(void) {
  return (struct mt_vacancy){.id = 203,
                             .employer_id = 9,
                             .kelurahan = 2,
                             .vocation = MT_VOC_LOGISTICS,
                             .open = 1,
                             .deadline_day = MT_UNKNOWN_DAY,
                             .openings_left = 3,
                             .wage_monthly = 4800000,
                             .must = v3_must,
                             .n_must = 2};
}

static struct mt_config config(void) {
  struct mt_config c;
  mt_config_default(&c);
  c.today = TODAY;
  return c;
}

/* An engine over the given residents and vacancies with the example's
 * skills, kelurahan and courses; aborts the test on failure. */
static struct mt_engine *build(const struct mt_config *cfg, const struct mt_resident *r, size_t nr,
                               const struct mt_vacancy *v, size_t nv) {
  make_courses();
  struct mt_input in = {.config = cfg,
                        .skills = skills,
                        .n_skills = N_SK,
                        .kelurahan = kel,
                        .n_kelurahan = 3,
                        .courses = courses,
                        .n_courses = 2,
                        .residents = r,
                        .n_residents = nr,
                        .vacancies = v,
                        .n_vacancies = nv};
  struct mt_engine *e = NULL;
  ck_assert_int_eq(mt_engine_create(&in, &e), MT_OK);
  ck_assert_ptr_nonnull(e);
  return e;
}

static struct mt_engine *build_example(void) {
  struct mt_config cfg = config();
  struct mt_resident r[2] = {resident_a(), resident_b()};
  struct mt_vacancy v[3] = {vacancy_1(), vacancy_2(), vacancy_3()};
  return build(&cfg, r, 2, v, 3);
}

/* ---- scores -------------------------------------------------------------------- */

START_TEST(test_example_components) {
  struct mt_engine *e = build_example();
  struct mt_explanation x;
  ck_assert_int_eq(mt_explain(e, 101, 201, &x), MT_OK);
  ck_assert_int_eq(x.reason, MT_R_ELIGIBLE);

  /* skills: must {SMAW certified, drawing} both held:
   *   (2 + (1.25 − 1)·1) / (1.25·2) = 2.25 / 2.5 = 0.9
   * nice {grinding, safety}: safety held, self-reported: 1 / (1.25·2) = 0.4
   * value = (1 − 0.3)·0.9 + 0.3·0.4 = 0.63 + 0.12 = 0.75 */
  const struct mt_part *p = x.fit_parts;
  ck_assert_int_eq(p[MT_FIT_SKILLS].known, 1);
  ck_assert_double_eq_tol(p[MT_FIT_SKILLS].value, 0.75, TOL);
  ck_assert_double_eq_tol(p[MT_FIT_SKILLS].weight, 0.40, 1e-12);
  /* education: SMA meets the SMA minimum and the SMK major (welding) is the
   * vacancy's vocation: 1.0 */
  ck_assert_int_eq(p[MT_FIT_EDUCATION].known, 1);
  ck_assert_double_eq_tol(p[MT_FIT_EDUCATION].value, 1.0, TOL);
  /* commute: 7.227670 km; monthly = 2 × 7.227670 × 2000 × 22 = 636,035;
   * 1 − 636,035 / (0.3 × 5,000,000) = 1 − 0.424023 = 0.575977 */
  ck_assert_int_eq(p[MT_FIT_COMMUTE].known, 1);
  ck_assert_double_eq_tol(p[MT_FIT_COMMUTE].value, 0.575977, TOL);
  ck_assert_double_eq_tol(x.commute_km, 7.227670, TOL);
  ck_assert_double_eq_tol(x.commute_cost_monthly, 636035.0, 5.0);
  /* course: completed "Las SMAW dasar": 6 of 18 graduates placed in welding
   * = 0.3333, against 0.5 for a full score: 0.6667 */
  ck_assert_int_eq(p[MT_FIT_COURSE].known, 1);
  ck_assert_double_eq_tol(p[MT_FIT_COURSE].value, 2.0 / 3.0, TOL);
  /* preference: wants welding (1) and can work the day shift (1): 1.0 */
  ck_assert_int_eq(p[MT_FIT_PREFERENCE].known, 1);
  ck_assert_double_eq_tol(p[MT_FIT_PREFERENCE].value, 1.0, TOL);
  /* fit = 100 × (0.40·0.75 + 0.15·1 + 0.20·0.575977 + 0.10·0.666667 + 0.15·1)
   *     / (0.40 + 0.15 + 0.20 + 0.10 + 0.15)
   *     = 100 × (0.3 + 0.15 + 0.115195 + 0.066667 + 0.15) = 78.1862 */
  ck_assert_double_eq_tol(x.fit, 78.1862, TOL);

  /* priority: desil 1 → 1 × 0.40; priority kelurahan → 1 × 0.15;
   * 12/24 months → 0.5 × 0.20; 2/4 dependants → 0.5 × 0.15; no disability
   * → 0 × 0.10.  100 × (0.4 + 0.15 + 0.1 + 0.075 + 0) / 1.0 = 72.5 */
  const struct mt_part *q = x.priority_parts;
  ck_assert_double_eq_tol(q[MT_PRIO_DESIL].value, 1.0, 1e-12);
  ck_assert_double_eq_tol(q[MT_PRIO_KELURAHAN].value, 1.0, 1e-12);
  ck_assert_double_eq_tol(q[MT_PRIO_MONTHS].value, 0.5, 1e-12);
  ck_assert_double_eq_tol(q[MT_PRIO_DEPENDANTS].value, 0.5, 1e-12);
  ck_assert_int_eq(q[MT_PRIO_DISABILITY].known, 1);
  ck_assert_double_eq_tol(q[MT_PRIO_DISABILITY].value, 0.0, 1e-12);
  ck_assert_double_eq_tol(x.priority, 72.5, TOL);
  /* key = fit × (1 + 0.5 × 72.5 / 100) = 78.1862 × 1.3625 = 106.5287 */
  ck_assert_double_eq_tol(x.key, 106.5287, TOL);
  mt_engine_free(e);
}
END_TEST

START_TEST(test_unknowns_weigh_nothing) {
  struct mt_engine *e = build_example();
  struct mt_explanation x;
  ck_assert_int_eq(mt_explain(e, 102, 202, &x), MT_OK);
  ck_assert_int_eq(x.reason, MT_R_ELIGIBLE);
  /* Only skills are known: must {SMAW} held, self-reported: 1 / 1.25 = 0.8,
   * and the vacancy has no nice-to-have.  fit = 100 × 0.40·0.8 / 0.40 = 80. */
  ck_assert_int_eq(x.fit_parts[MT_FIT_SKILLS].known, 1);
  ck_assert_double_eq_tol(x.fit_parts[MT_FIT_SKILLS].value, 0.8, TOL);
  for (int k = MT_FIT_EDUCATION; k < MT_N_FIT; k++) {
    ck_assert_int_eq(x.fit_parts[k].known, 0);
    ck_assert_double_eq(x.fit_parts[k].value, 0.0);
    ck_assert_ptr_nonnull(strstr(x.fit_parts[k].reason_en, "not scored"));
    ck_assert_ptr_nonnull(strstr(x.fit_parts[k].reason_id, "tidak dinilai"));
  }
  ck_assert_double_eq_tol(x.fit, 80.0, TOL);
  ck_assert_double_eq_tol(x.commute_km, -1.0, 1e-12);
  ck_assert_double_eq_tol(x.commute_cost_monthly, -1.0, 1e-12);
  /* Priority: nothing known, nothing counted, never the full weight. */
  for (int k = 0; k < MT_N_PRIO; k++) {
    ck_assert_int_eq(x.priority_parts[k].known, 0);
    ck_assert_ptr_nonnull(strstr(x.priority_parts[k].reason_en, "counts nothing"));
  }
  ck_assert_double_eq_tol(x.priority, 0.0, 1e-12);
  ck_assert_double_eq_tol(x.key, 80.0, TOL);
  mt_engine_free(e);
}
END_TEST

START_TEST(test_component_variants) {
  /* Education exceeds: D3 against SMA, no SMK major: 0.9.  Shift mismatch:
   * wants welding (1) but cannot work the day shift (0): 0.5.  No course in
   * this sector with placements: not scored. */
  struct mt_config cfg = config();
  struct mt_resident r = resident_a();
  static const uint16_t ca[] = {1};
  r.education = MT_EDU_D3;
  r.smk_vocation = MT_VOC_NONE;
  r.shifts = MT_SHIFT_NIGHT;
  r.courses_completed = ca; /* the forklift course: no welding placements */
  struct mt_vacancy v = vacancy_1();
  struct mt_engine *e = build(&cfg, &r, 1, &v, 1);
  struct mt_explanation x;
  ck_assert_int_eq(mt_explain(e, 101, 201, &x), MT_OK);
  ck_assert_double_eq_tol(x.fit_parts[MT_FIT_EDUCATION].value, 0.9, TOL);
  ck_assert_double_eq_tol(x.fit_parts[MT_FIT_PREFERENCE].value, 0.5, TOL);
  ck_assert_int_eq(x.fit_parts[MT_FIT_COURSE].known, 0);
  ck_assert_ptr_nonnull(strstr(x.fit_parts[MT_FIT_COURSE].reason_en, "welding"));
  /* fit = 100 × (0.4·0.75 + 0.15·0.9 + 0.2·0.575977 + 0.15·0.5) / 0.90
   *     = 100 × (0.3 + 0.135 + 0.115195 + 0.075) / 0.9 = 69.4662 */
  ck_assert_double_eq_tol(x.fit, 69.4662, TOL);
  mt_engine_free(e);

  /* Commute at 0.3°: 33.36 km × 1.3 = 43.37 km on the road, costing
   * 2 × 43.37 × 2000 × 22 = Rp3,816,000 a month, past 30% of the wage, so the
   * component is a known 0. */
  r = resident_a();
  r.kelurahan = 2;
  e = build(&cfg, &r, 1, &v, 1);
  ck_assert_int_eq(mt_explain(e, 101, 201, &x), MT_OK);
  ck_assert_int_eq(x.fit_parts[MT_FIT_COMMUTE].known, 1);
  ck_assert_double_eq(x.fit_parts[MT_FIT_COMMUTE].value, 0.0);
  ck_assert_double_eq_tol(x.commute_km, 6371.0 * 0.3 * M_PI / 180.0 * 1.3, 0.01);
  mt_engine_free(e);

  /* A vacancy without a wage: distance known, commute not scored. */
  r = resident_a();
  v.wage_monthly = 0;
  e = build(&cfg, &r, 1, &v, 1);
  ck_assert_int_eq(mt_explain(e, 101, 201, &x), MT_OK);
  ck_assert_int_eq(x.fit_parts[MT_FIT_COMMUTE].known, 0);
  ck_assert_double_eq_tol(x.commute_km, 7.227670, TOL);
  ck_assert_ptr_nonnull(strstr(x.fit_parts[MT_FIT_COMMUTE].reason_en, "wage is not stated"));
  mt_engine_free(e);
}
END_TEST

START_TEST(test_explanation_texts) {
  struct mt_engine *e = build_example();
  struct mt_explanation x;
  ck_assert_int_eq(mt_explain(e, 101, 201, &x), MT_OK);
  /* matched: must first (SMAW, drawing), then nice (safety); missing: grinding */
  ck_assert_uint_eq(x.n_matched, 3);
  ck_assert_uint_eq(x.matched[0], SK_SMAW);
  ck_assert_uint_eq(x.matched[1], SK_DRAWING);
  ck_assert_uint_eq(x.matched[2], SK_SAFETY);
  ck_assert_uint_eq(x.n_missing, 1);
  ck_assert_uint_eq(x.missing[0], SK_GRINDING);
  const char *en = x.fit_parts[MT_FIT_SKILLS].reason_en;
  const char *id = x.fit_parts[MT_FIT_SKILLS].reason_id;
  ck_assert_ptr_nonnull(strstr(en, "2 of 2 must-have"));
  ck_assert_ptr_nonnull(strstr(en, "SMAW welding (certified)"));
  ck_assert_ptr_nonnull(strstr(en, "Reading technical drawings"));
  ck_assert_ptr_nonnull(strstr(en, "1 of 2 nice-to-have (Basic occupational safety)"));
  ck_assert_ptr_nonnull(strstr(en, "missing: Grinding"));
  ck_assert_ptr_nonnull(strstr(id, "2 dari 2 keahlian wajib"));
  ck_assert_ptr_nonnull(strstr(id, "Las SMAW (bersertifikat)"));
  ck_assert_ptr_nonnull(strstr(id, "belum dimiliki: Gerinda"));
  /* commute names the distance, the monthly cost and its share of the wage */
  en = x.fit_parts[MT_FIT_COMMUTE].reason_en;
  id = x.fit_parts[MT_FIT_COMMUTE].reason_id;
  ck_assert_ptr_nonnull(strstr(en, "7.2 km from Kedaung Baru to Sukarasa"));
  ck_assert_ptr_nonnull(strstr(en, "Rp636,035 a month, 12.7% of the Rp5,000,000 wage"));
  ck_assert_ptr_nonnull(strstr(id, "7,2 km dari Kedaung Baru ke Sukarasa"));
  ck_assert_ptr_nonnull(strstr(id, "Rp636.035 per bulan, 12,7% dari upah Rp5.000.000"));
  /* course names the course and the outcome used */
  en = x.fit_parts[MT_FIT_COURSE].reason_en;
  ck_assert_ptr_nonnull(strstr(en, "'Las SMAW dasar': 6 of 18 graduates placed in welding"));
  ck_assert_ptr_nonnull(strstr(x.fit_parts[MT_FIT_COURSE].reason_id, "6 dari 18 lulusan"));
  ck_assert_ptr_nonnull(strstr(x.fit_parts[MT_FIT_EDUCATION].reason_en, "SMK major"));
  ck_assert_ptr_nonnull(strstr(x.fit_parts[MT_FIT_PREFERENCE].reason_en, "welding"));
  ck_assert_ptr_nonnull(strstr(x.priority_parts[MT_PRIO_DESIL].reason_en, "extreme poor"));
  ck_assert_ptr_nonnull(strstr(x.priority_parts[MT_PRIO_DESIL].reason_id, "miskin ekstrem"));
  ck_assert_ptr_nonnull(strstr(x.priority_parts[MT_PRIO_KELURAHAN].reason_en, "Kedaung Baru"));
  for (int k = 0; k < MT_N_FIT; k++) {
    ck_assert_uint_gt(strlen(x.fit_parts[k].reason_en), 10);
    ck_assert_uint_gt(strlen(x.fit_parts[k].reason_id), 10);
  }
  mt_engine_free(e);
}
END_TEST

START_TEST(test_long_names_truncate_cleanly) {
  /* Skill names that overflow a reason line are cut at a character boundary
   * and marked, never split inside a UTF-8 sequence. */
  static char names[N_SK][200];
  struct mt_skill sk[N_SK];
  memcpy(sk, skills, sizeof sk);
  for (int i = 0; i < N_SK; i++) {
    size_t n = 0;
    while (n + 2 < sizeof names[i] - 1) {
      names[i][n++] = (char)0xC3; /* "é" */
      names[i][n++] = (char)0xA9;
    }
    names[i][n] = '\0';
    sk[i].name_en = sk[i].name_id = names[i];
  }
  make_courses();
  struct mt_config cfg = config();
  struct mt_resident r = resident_a();
  struct mt_vacancy v = vacancy_1();
  struct mt_input in = {&cfg, sk, N_SK, kel, 3, courses, 2, &r, 1, &v, 1};
  struct mt_engine *e = NULL;
  ck_assert_int_eq(mt_engine_create(&in, &e), MT_OK);
  struct mt_explanation x;
  ck_assert_int_eq(mt_explain(e, 101, 201, &x), MT_OK);
  const char *s = x.fit_parts[MT_FIT_SKILLS].reason_en;
  size_t len = strlen(s);
  ck_assert_uint_lt(len, MT_REASON_LEN);
  ck_assert_str_eq(s + len - 3, "...");
  /* every byte before the mark belongs to a whole two-byte character or ASCII */
  size_t i = 0;
  while (i < len - 3) {
    if ((unsigned char)s[i] == 0xC3) {
      ck_assert_uint_eq((unsigned char)s[i + 1], 0xA9);
      i += 2;
    } else {
      ck_assert_uint_lt((unsigned char)s[i], 0x80);
      i++;
    }
  }
  mt_engine_free(e);
}
END_TEST

/* ---- eligibility ------------------------------------------------------------------ */

struct rule_case {
  const char *what;
  enum mt_reason want;
};

static enum mt_reason reason_of(const struct mt_config *cfg, const struct mt_resident *r,
                                const struct mt_vacancy *v) {
  struct mt_engine *e = build(cfg, r, 1, v, 1);
  struct mt_explanation x;
  ck_assert_int_eq(mt_explain(e, r->id, v->id, &x), MT_OK);
  /* An excluded pair is never ranked, either way. */
  struct mt_hit h[2];
  size_t n = 9;
  ck_assert_int_eq(mt_rank_candidates(e, v->id, MT_BY_KEY, 2, h, &n), MT_OK);
  ck_assert_uint_eq(n, x.reason == MT_R_ELIGIBLE ? 1 : 0);
  ck_assert_int_eq(mt_rank_vacancies(e, r->id, MT_BY_FIT, 2, h, &n), MT_OK);
  ck_assert_uint_eq(n, x.reason == MT_R_ELIGIBLE ? 1 : 0);
  mt_engine_free(e);
  return x.reason;
}

START_TEST(test_each_rule) {
  struct mt_config cfg = config();
  struct mt_resident r;
  struct mt_vacancy v;
#define CASE(setup, want)                                                                          \
  do {                                                                                             \
    r = resident_a();                                                                              \
    v = vacancy_1();                                                                               \
    setup;                                                                                         \
    ck_assert_msg(reason_of(&cfg, &r, &v) == (want), "%s: got %s", #setup,                         \
                  mt_reason_code(reason_of(&cfg, &r, &v)));                                        \
  } while (0)
  CASE((void)0, MT_R_ELIGIBLE);
  CASE(r.birth_day = MT_UNKNOWN_DAY, MT_R_AGE_UNKNOWN);
  CASE(r.birth_day = -5479 /* 1955-01-01: 70 */, MT_R_NOT_PRODUCTIVE_AGE);
  CASE(r.birth_day = 15127 /* 2011-06-02: 13 */, MT_R_NOT_PRODUCTIVE_AGE);
  CASE(r.birth_day = 14761 /* 2010-06-01: 15 today */, MT_R_ELIGIBLE);
  CASE(r.birth_day = 14762 /* 2010-06-02: 15 tomorrow */, MT_R_NOT_PRODUCTIVE_AGE);
  CASE(r.employed = 1, MT_R_EMPLOYED);
  CASE(r.in_school = 1, MT_R_IN_SCHOOL);
  CASE(r.in_course = 1, MT_R_IN_COURSE);
  CASE(r.hired = 1, MT_R_ALREADY_HIRED);
  CASE(r.blocked = 1, MT_R_INTERVENTION);
  CASE(r.verified_day = MT_UNKNOWN_DAY, MT_R_UNVERIFIED);
  CASE(r.verified_day = TODAY - 365, MT_R_ELIGIBLE);
  CASE(r.verified_day = TODAY - 366, MT_R_VERIFICATION_EXPIRED);
  CASE(v.open = 0, MT_R_VACANCY_CLOSED);
  CASE(v.deadline_day = TODAY, MT_R_ELIGIBLE);
  CASE(v.deadline_day = TODAY - 1, MT_R_DEADLINE_PASSED);
  CASE(v.openings_left = 0, MT_R_NO_OPENINGS);
  CASE(r.education = MT_EDU_SMP, MT_R_EDUCATION);
  CASE(r.education = MT_EDU_UNKNOWN, MT_R_EDUCATION);
  CASE(v.max_age = 25, MT_R_VACANCY_AGE_LIMIT);
  CASE(v.min_age = 31, MT_R_VACANCY_AGE_LIMIT);
  CASE((v.min_age = 30, v.max_age = 30), MT_R_ELIGIBLE);
  /* missing SMAW, which course 301 teaches */
  CASE((r.skills = &a_skills[1], r.skill_certified = &a_cert[1], r.n_skills = 2),
       MT_R_MISSING_SKILLS_TRAINABLE);
  /* V3 needs forklift and drawing: course 302 teaches forklift, no course
   * teaches drawing, so without drawing nothing helps ... */
  CASE((v = vacancy_3(), r.skills = &a_skills[2], r.skill_certified = &a_cert[2], r.n_skills = 1),
       MT_R_MISSING_SKILLS);
  /* ... and with drawing, course 302 closes the gap. */
  CASE(v = vacancy_3(), MT_R_MISSING_SKILLS_TRAINABLE);
  /* the first failing rule wins: employed and unverified → employed */
  CASE((r.employed = 1, r.verified_day = MT_UNKNOWN_DAY), MT_R_EMPLOYED);
  CASE((v.open = 0, r.education = MT_EDU_SD), MT_R_VACANCY_CLOSED);
  cfg.min_fit = 80.0; /* A–V1 scores 78.19 */
  CASE((void)0, MT_R_BELOW_MIN_FIT);
  cfg.min_fit = 78.0;
  CASE((void)0, MT_R_ELIGIBLE);
#undef CASE
}
END_TEST

START_TEST(test_reason_tables) {
  for (int i = 0; i < MT_N_REASONS; i++) {
    ck_assert_ptr_nonnull(mt_reason_code(i));
    ck_assert_uint_gt(strlen(mt_reason_text_id(i)), 5);
    ck_assert_uint_gt(strlen(mt_reason_text_en(i)), 5);
    for (int j = 0; j < i; j++)
      ck_assert_str_ne(mt_reason_code(i), mt_reason_code(j));
  }
  ck_assert_str_eq(mt_reason_code(MT_R_MISSING_SKILLS_TRAINABLE), "missing_skills_trainable");
  ck_assert_str_eq(mt_fit_component_code(MT_FIT_COMMUTE), "commute");
  ck_assert_str_eq(mt_priority_component_code(MT_PRIO_MONTHS), "months_without_work");
}
END_TEST

/* ---- rankings and updates --------------------------------------------------------- */

START_TEST(test_topk_ties_by_id) {
  /* Seven identical residents, ids out of order: equal keys, so the order
   * is by ascending id, and k = 3 keeps the three smallest. */
  struct mt_config cfg = config();
  static const uint32_t ids[] = {70, 10, 50, 30, 60, 20, 40};
  struct mt_resident r[7];
  for (int i = 0; i < 7; i++) {
    r[i] = resident_a();
    r[i].id = ids[i];
  }
  struct mt_vacancy v = vacancy_1();
  struct mt_engine *e = build(&cfg, r, 7, &v, 1);
  struct mt_hit h[7];
  size_t n = 0;
  ck_assert_int_eq(mt_rank_candidates(e, 201, MT_BY_KEY, 3, h, &n), MT_OK);
  ck_assert_uint_eq(n, 3);
  ck_assert_uint_eq(h[0].id, 10);
  ck_assert_uint_eq(h[1].id, 20);
  ck_assert_uint_eq(h[2].id, 30);
  ck_assert_int_eq(mt_rank_candidates(e, 201, MT_BY_FIT, 7, h, &n), MT_OK);
  ck_assert_uint_eq(n, 7);
  for (int i = 0; i < 7; i++)
    ck_assert_uint_eq(h[i].id, 10u * (uint32_t)(i + 1));
  ck_assert_int_eq(mt_rank_candidates(e, 201, MT_BY_FIT, 0, NULL, &n), MT_OK);
  ck_assert_uint_eq(n, 0);
  ck_assert_int_eq(mt_rank_candidates(e, 999, MT_BY_FIT, 3, h, &n), MT_ENOTFOUND);
  mt_engine_free(e);
}
END_TEST

START_TEST(test_rank_orders) {
  /* A (fit 78.19, priority 72.5, key 106.53) against C, a copy of A with
   * desil 9, no dependants, 0 months and a non-priority kelurahan at the
   * same distance... simpler: C lives in Sukarasa itself (0 km, commute 1).
   * C's fit = 100 × (0.3 + 0.15 + 0.2 + 0.066667 + 0.15) = 86.6667; its
   * priority = 100 × 0 = 0 (desil 9 → 0, kelurahan 0, months 0, 0
   * dependants, no disability); key = 86.6667.  By fit C leads, by key A. */
  struct mt_config cfg = config();
  struct mt_resident r[2] = {resident_a(), resident_a()};
  r[1].id = 103;
  r[1].kelurahan = 0;
  r[1].desil = 9;
  r[1].dependants = 0;
  r[1].months_without_work = 0;
  struct mt_vacancy v = vacancy_1();
  struct mt_engine *e = build(&cfg, r, 2, &v, 1);
  struct mt_hit h[2];
  size_t n;
  ck_assert_int_eq(mt_rank_candidates(e, 201, MT_BY_FIT, 2, h, &n), MT_OK);
  ck_assert_uint_eq(n, 2);
  ck_assert_uint_eq(h[0].id, 103);
  ck_assert_double_eq_tol(h[0].fit, 86.6667, TOL);
  ck_assert_double_eq_tol(h[0].priority, 0.0, TOL);
  ck_assert_double_eq_tol(h[0].key, 86.6667, TOL);
  ck_assert_int_eq(mt_rank_candidates(e, 201, MT_BY_KEY, 2, h, &n), MT_OK);
  ck_assert_uint_eq(h[0].id, 101);
  ck_assert_double_eq_tol(h[0].fit, 78.1862, TOL);
  ck_assert_double_eq_tol(h[0].priority, 72.5, TOL);
  ck_assert_double_eq_tol(h[0].key, 106.5287, TOL);
  mt_engine_free(e);
}
END_TEST

START_TEST(test_rank_vacancies) {
  /* A against V1 (key 106.53) and V2: must {SMAW} certified → 1.0; no
   * minimum education, so SMA "meets" but the SMK major matches: 1.0;
   * commute 0.575977; course 0.666667; preference: welding yes, V2 states no
   * shift → 1.0.  fit = 100 × (0.4 + 0.15 + 0.115195 + 0.066667 + 0.15) =
   * 88.1862, key = 120.1537.  V3 is excluded (missing forklift). */
  struct mt_engine *e = build_example();
  struct mt_hit h[3];
  size_t n;
  ck_assert_int_eq(mt_rank_vacancies(e, 101, MT_BY_KEY, 3, h, &n), MT_OK);
  ck_assert_uint_eq(n, 2);
  ck_assert_uint_eq(h[0].id, 202);
  ck_assert_double_eq_tol(h[0].fit, 88.1862, TOL);
  ck_assert_double_eq_tol(h[0].key, 88.1862 * 1.3625, TOL);
  ck_assert_uint_eq(h[1].id, 201);
  ck_assert_int_eq(mt_rank_vacancies(e, 101, MT_BY_KEY, 1, h, &n), MT_OK);
  ck_assert_uint_eq(n, 1);
  ck_assert_uint_eq(h[0].id, 202);
  ck_assert_int_eq(mt_rank_vacancies(e, 999, MT_BY_KEY, 1, h, &n), MT_ENOTFOUND);
  mt_engine_free(e);
}
END_TEST

static int ranked(const struct mt_engine *e, uint32_t vacancy, uint32_t resident, float *key) {
  struct mt_hit h[64];
  size_t n;
  ck_assert_int_eq(mt_rank_candidates(e, vacancy, MT_BY_KEY, 64, h, &n), MT_OK);
  for (size_t i = 0; i < n; i++)
    if (h[i].id == resident) {
      if (key != NULL)
        *key = h[i].key;
      return 1;
    }
  return 0;
}

START_TEST(test_put_remove) {
  struct mt_engine *e = build_example();
  ck_assert(ranked(e, 201, 101, NULL));
  ck_assert(!ranked(e, 201, 105, NULL));
  /* insert: a new resident shows up in the next ranking */
  struct mt_resident r = resident_a();
  r.id = 105;
  ck_assert_int_eq(mt_engine_put_resident(e, &r), MT_OK);
  ck_assert(ranked(e, 201, 105, NULL));
  /* replace: employed now, so gone */
  r.employed = 1;
  ck_assert_int_eq(mt_engine_put_resident(e, &r), MT_OK);
  ck_assert(!ranked(e, 201, 105, NULL));
  /* replace: moved to Sukarasa, so a better commute and a higher key */
  float before, after;
  ck_assert(ranked(e, 201, 101, &before));
  r = resident_a();
  r.kelurahan = 0;
  ck_assert_int_eq(mt_engine_put_resident(e, &r), MT_OK);
  ck_assert(ranked(e, 201, 101, &after));
  ck_assert_float_gt(after, before);
  /* remove */
  ck_assert_int_eq(mt_engine_remove_resident(e, 101), MT_OK);
  ck_assert(!ranked(e, 201, 101, NULL));
  ck_assert_int_eq(mt_engine_remove_resident(e, 101), MT_ENOTFOUND);
  struct mt_explanation x;
  ck_assert_int_eq(mt_explain(e, 101, 201, &x), MT_ENOTFOUND);
  /* many inserts grow the engine; every one is ranked, ties by id */
  for (uint32_t id = 1000; id < 1600; id++) {
    r = resident_a();
    r.id = id;
    ck_assert_int_eq(mt_engine_put_resident(e, &r), MT_OK);
  }
  for (uint32_t id = 1000; id < 1600; id += 2)
    ck_assert_int_eq(mt_engine_remove_resident(e, id), MT_OK);
  struct mt_hit h[400];
  size_t n;
  ck_assert_int_eq(mt_rank_candidates(e, 201, MT_BY_KEY, 400, h, &n), MT_OK);
  ck_assert_uint_eq(n, 300);
  for (size_t i = 0; i < n; i++)
    ck_assert_uint_eq(h[i].id, 1001 + 2 * i);
  /* vacancies: put a closed copy, reopen it, remove it */
  struct mt_vacancy v = vacancy_1();
  v.id = 299;
  v.open = 0;
  ck_assert_int_eq(mt_engine_put_vacancy(e, &v), MT_OK);
  ck_assert_int_eq(mt_rank_candidates(e, 299, MT_BY_KEY, 400, h, &n), MT_OK);
  ck_assert_uint_eq(n, 0);
  v.open = 1;
  ck_assert_int_eq(mt_engine_put_vacancy(e, &v), MT_OK);
  ck_assert_int_eq(mt_rank_candidates(e, 299, MT_BY_KEY, 400, h, &n), MT_OK);
  ck_assert_uint_eq(n, 300);
  ck_assert_int_eq(mt_engine_remove_vacancy(e, 299), MT_OK);
  ck_assert_int_eq(mt_rank_candidates(e, 299, MT_BY_KEY, 4, h, &n), MT_ENOTFOUND);
  ck_assert_int_eq(mt_engine_remove_vacancy(e, 299), MT_ENOTFOUND);
  mt_engine_free(e);
}
END_TEST

START_TEST(test_put_course_and_config) {
  struct mt_engine *e = build_example();
  struct mt_explanation x;
  /* Refreshed outcomes: 9 of 18 in welding → (9/18)/0.5 = 1.0 */
  make_courses();
  struct mt_course c = courses[0];
  c.placed_by_sector[MT_VOC_WELDING_METAL] = 9;
  ck_assert_int_eq(mt_engine_put_course(e, &c), MT_OK);
  ck_assert_int_eq(mt_explain(e, 101, 201, &x), MT_OK);
  ck_assert_double_eq_tol(x.fit_parts[MT_FIT_COURSE].value, 1.0, TOL);
  /* What a course teaches is fixed for a snapshot. */
  c.n_skills = 1;
  ck_assert_int_eq(mt_engine_put_course(e, &c), MT_EINVAL);
  c.id = 999;
  ck_assert_int_eq(mt_engine_put_course(e, &c), MT_ENOTFOUND);
  /* A new run date: in 2040 A is 45, but its verification is 15 years old. */
  struct mt_config cfg = config();
  cfg.today = TODAY + 15 * 365;
  ck_assert_int_eq(mt_engine_set_config(e, &cfg), MT_OK);
  ck_assert_int_eq(mt_explain(e, 101, 201, &x), MT_OK);
  ck_assert_int_eq(x.reason, MT_R_VERIFICATION_EXPIRED);
  ck_assert_int_eq(mt_engine_config(e)->today, TODAY + 15 * 365);
  cfg.nice_share = 2.0;
  ck_assert_int_eq(mt_engine_set_config(e, &cfg), MT_EINVAL);
  ck_assert_int_eq(mt_engine_config(e)->today, TODAY + 15 * 365);
  mt_engine_free(e);
}
END_TEST

/* ---- input checks ------------------------------------------------------------------ */

START_TEST(test_create_rejects) {
  make_courses();
  struct mt_config cfg = config();
  struct mt_resident r[2] = {resident_a(), resident_b()};
  struct mt_vacancy v = vacancy_1();
  struct mt_input in = {&cfg, skills, N_SK, kel, 3, courses, 2, r, 2, &v, 1};
  struct mt_engine *e = (struct mt_engine *)&in; /* must be reset to NULL */
  /* duplicate resident id */
  r[1].id = r[0].id;
  ck_assert_int_eq(mt_engine_create(&in, &e), MT_EINVAL);
  ck_assert_ptr_null(e);
  r[1] = resident_b();
  /* skill index out of range */
  static const uint16_t bad[] = {N_SK};
  r[1].skills = bad;
  r[1].n_skills = 1;
  ck_assert_int_eq(mt_engine_create(&in, &e), MT_EINVAL);
  r[1] = resident_b();
  /* kelurahan out of range, desil out of range */
  r[1].kelurahan = 3;
  ck_assert_int_eq(mt_engine_create(&in, &e), MT_EINVAL);
  r[1] = resident_b();
  r[1].desil = 11;
  ck_assert_int_eq(mt_engine_create(&in, &e), MT_EINVAL);
  r[1] = resident_b();
  /* more than 512 skills */
  static struct mt_skill many[513];
  for (int i = 0; i < 513; i++)
    many[i] = (struct mt_skill){(uint32_t)i, "X", "x", "x", 0};
  in.skills = many;
  in.n_skills = 513;
  ck_assert_int_eq(mt_engine_create(&in, &e), MT_EINVAL);
  in.n_skills = 512;
  ck_assert_int_eq(mt_engine_create(&in, &e), MT_OK);
  mt_engine_free(e);
  in.skills = skills;
  in.n_skills = N_SK;
  /* bad configuration */
  cfg.min_age = 70;
  ck_assert_int_eq(mt_engine_create(&in, &e), MT_EINVAL);
  cfg = config();
  /* an empty world is fine */
  struct mt_input empty = {.config = &cfg};
  ck_assert_int_eq(mt_engine_create(&empty, &e), MT_OK);
  struct mt_hit h[1];
  size_t n;
  ck_assert_int_eq(mt_rank_candidates(e, 1, MT_BY_KEY, 1, h, &n), MT_ENOTFOUND);
  mt_engine_free(e);
  mt_engine_free(NULL);
  /* bad records on put change nothing */
  e = build_example();
  struct mt_resident x = resident_a();
  x.id = 777;
  x.education = 42;
  ck_assert_int_eq(mt_engine_put_resident(e, &x), MT_EINVAL);
  ck_assert(!ranked(e, 201, 777, NULL));
  struct mt_vacancy y = vacancy_1();
  y.must = bad;
  y.n_must = 1;
  ck_assert_int_eq(mt_engine_put_vacancy(e, &y), MT_EINVAL);
  ck_assert(ranked(e, 201, 101, NULL));
  mt_engine_free(e);
}
END_TEST

/* ---- configuration ------------------------------------------------------------------ */

START_TEST(test_config_defaults) {
  struct mt_config c;
  mt_config_default(&c);
  ck_assert_double_eq(c.w_skills + c.w_education + c.w_commute + c.w_course + c.w_preference, 1.0);
  ck_assert_double_eq_tol(c.p_desil + c.p_kelurahan + c.p_months + c.p_dependants + c.p_disability,
                          1.0, 1e-12);
  ck_assert_int_eq(c.desil_extreme, 1);
  ck_assert_int_eq(c.desil_poor, 4);
  ck_assert_int_eq(c.min_age, 15);
  ck_assert_int_eq(c.max_age, 64);
  ck_assert_int_eq(c.verification_valid_days, 365);
  ck_assert_double_eq(c.shortlist_factor, 3.0);
  ck_assert_double_eq(c.cost_per_km, 2000.0);
  ck_assert_int_eq(c.work_days, 22);
  ck_assert_double_eq(c.road_factor, 1.3);
}
END_TEST

START_TEST(test_config_parse) {
  struct mt_config c;
  mt_config_default(&c);
  char err[200];
  const char *text = "# policy for 2025\n"
                     "today = 2025-06-01\n"
                     "  lambda=0.75   # more weight to priority\n"
                     "\n"
                     "min_fit = 35\r\n"
                     "desil_poor = 5\n"
                     "candidates_per_resident = 8";
  ck_assert_int_eq(mt_config_parse(&c, text, strlen(text), err, sizeof err), MT_OK);
  ck_assert_int_eq(c.today, TODAY);
  ck_assert_double_eq(c.lambda, 0.75);
  ck_assert_double_eq(c.min_fit, 35.0);
  ck_assert_int_eq(c.desil_poor, 5);
  ck_assert_int_eq(c.candidates_per_resident, 8);
  ck_assert_double_eq(c.w_skills, 0.40); /* untouched keys keep their value */
  text = "today = 20240\n";
  ck_assert_int_eq(mt_config_parse(&c, text, strlen(text), err, sizeof err), MT_OK);
  ck_assert_int_eq(c.today, TODAY);

  struct {
    const char *text, *want;
  } bad[] = {
      {"lambda = 0.5\nfoo = 1\n", "line 2: unknown key 'foo'"},
      {"min_fit = 101\n", "line 1: key 'min_fit' out of range"},
      {"\n\nlambda = abc\n", "line 3: key 'lambda': 'abc' is not a valid number"},
      {"work_days = 2.5\n", "line 1: key 'work_days': '2.5' is not a valid integer"},
      {"lambda = 1\nlambda = 2\n", "line 2: key 'lambda' given twice"},
      {"lambda 1\n", "line 1: expected 'key = value'"},
      {"lambda =\n", "line 1: key 'lambda' needs a number"},
      {"today = 2025-02-30\n", "line 1: key 'today'"},
      {"desil_extreme = 5\ndesil_poor = 3\n", "desil_extreme must not exceed desil_poor"},
      {"w_skills = nan\n", "key 'w_skills'"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct mt_config before = c;
    ck_assert_int_eq(mt_config_parse(&c, bad[i].text, strlen(bad[i].text), err, sizeof err),
                     MT_EINVAL);
    ck_assert_msg(strstr(err, bad[i].want) != NULL, "'%s' → '%s'", bad[i].text, err);
    ck_assert_int_eq(memcmp(&before, &c, sizeof c), 0); /* unchanged on error */
  }
  /* err may be absent */
  ck_assert_int_eq(mt_config_parse(&c, "x = 1", 5, NULL, 0), MT_EINVAL);
  /* every field is settable by its name */
  text = "w_skills=1\nw_education=1\nw_commute=1\nw_course=1\nw_preference=1\n"
         "certified_weight=2\nnice_share=0.5\np_desil=1\np_kelurahan=1\np_months=1\n"
         "p_dependants=1\np_disability=1\nmin_age=18\nmax_age=60\n"
         "verification_valid_days=180\nshortlist_factor=2\ncost_per_km=1500\nwork_days=20\n"
         "max_commute_share=0.25\nroad_factor=1.4\nedu_meets=0.7\nedu_exceeds=0.85\n"
         "course_rate_full=0.6\nmonths_cap=12\ndependants_cap=5\nunlock_margin=10\n"
         "desil_extreme=2\n";
  ck_assert_int_eq(mt_config_parse(&c, text, strlen(text), err, sizeof err), MT_OK);
  ck_assert_int_eq(c.min_age, 18);
  ck_assert_int_eq(c.months_cap, 12);
  ck_assert_double_eq(c.road_factor, 1.4);
  ck_assert_double_eq(c.unlock_margin, 10.0);
}
END_TEST

/* ---- A kelurahan's priority flag changed in place (an officer's pin) ------------------ */

START_TEST(test_kelurahan_priority_in_place) {
  struct mt_engine *e = build_example();
  struct mt_explanation x;
  /* A lives in kelurahan 1, a priority one: 72.5 (test_example_components) */
  ck_assert_int_eq(mt_engine_set_kelurahan_priority(e, 1, 0), MT_OK);
  ck_assert_int_eq(mt_explain(e, 101, 201, &x), MT_OK);
  /* without the kelurahan part: 100 × (0.4 + 0 + 0.1 + 0.075 + 0) = 57.5;
   * key = 78.1862 × (1 + 0.5 × 0.575) = 100.6647 */
  ck_assert_double_eq_tol(x.priority_parts[MT_PRIO_KELURAHAN].value, 0.0, 1e-12);
  ck_assert_double_eq_tol(x.priority, 57.5, TOL);
  ck_assert_double_eq_tol(x.key, 100.6647, TOL);
  struct mt_hit h[2];
  size_t n = 0;
  ck_assert_int_eq(mt_rank_candidates(e, 201, MT_BY_KEY, 2, h, &n), MT_OK);
  ck_assert_uint_ge(n, 1);
  ck_assert_int_eq(h[0].id, 101);
  ck_assert_double_eq_tol(h[0].priority, 57.5, TOL);
  /* pinned again: back to 72.5 */
  ck_assert_int_eq(mt_engine_set_kelurahan_priority(e, 1, 1), MT_OK);
  ck_assert_int_eq(mt_explain(e, 101, 201, &x), MT_OK);
  ck_assert_double_eq_tol(x.priority, 72.5, TOL);
  ck_assert_double_eq_tol(x.key, 106.5287, TOL);
  /* out of range: nothing changes */
  ck_assert_int_eq(mt_engine_set_kelurahan_priority(e, 3, 0), MT_EINVAL);
  ck_assert_int_eq(mt_engine_set_kelurahan_priority(e, 1, 2), MT_EINVAL);
  ck_assert_int_eq(mt_engine_set_kelurahan_priority(NULL, 1, 0), MT_EINVAL);
  ck_assert_int_eq(mt_explain(e, 101, 201, &x), MT_OK);
  ck_assert_double_eq_tol(x.priority, 72.5, TOL);
  mt_engine_free(e);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("matcher");
  TCase *t = tcase_create("scores");
  tcase_add_test(t, test_example_components);
  tcase_add_test(t, test_unknowns_weigh_nothing);
  tcase_add_test(t, test_component_variants);
  tcase_add_test(t, test_explanation_texts);
  tcase_add_test(t, test_long_names_truncate_cleanly);
  suite_add_tcase(s, t);
  t = tcase_create("eligibility");
  tcase_add_test(t, test_each_rule);
  tcase_add_test(t, test_reason_tables);
  suite_add_tcase(s, t);
  t = tcase_create("rankings");
  tcase_add_test(t, test_topk_ties_by_id);
  tcase_add_test(t, test_rank_orders);
  tcase_add_test(t, test_rank_vacancies);
  tcase_add_test(t, test_put_remove);
  tcase_add_test(t, test_put_course_and_config);
  tcase_add_test(t, test_create_rejects);
  tcase_add_test(t, test_kelurahan_priority_in_place);
  suite_add_tcase(s, t);
  t = tcase_create("config");
  tcase_add_test(t, test_config_defaults);
  tcase_add_test(t, test_config_parse);
  suite_add_tcase(s, t);
  return s;
}

int main(void) {
  return tu_run_suite(suite());
}
