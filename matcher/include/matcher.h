/*
 * matcher.h — the one public header of padan's matching engine.
 *
 * The engine scores unemployed productive-age residents against vacancies and
 * BLK courses (DESIGN.md §5).  It is pure computation: no I/O, no globals, no
 * clock (the run date comes in through the configuration), deterministic for
 * the same input.  Callers describe the world with the plain structs below,
 * build an opaque snapshot with mt_engine_create(), query it, update single
 * records with mt_engine_put_*() / mt_engine_remove_*(), and free it.
 *
 * Ownership: every function borrows its arguments; the engine copies what it
 * keeps (strings included), so the caller may free its arrays as soon as a
 * call returns.  Results that the engine allocates are freed with the
 * matching *_free() function, each of which accepts NULL.
 *
 * Errors: every fallible function returns an enum mt_status; allocation
 * failure is MT_ENOMEM and leaves the engine as it was.  Nothing aborts.
 *
 * Threads: any number of readers may query one engine at once; a put/remove
 * or mt_engine_set_config() needs exclusive access (the caller holds a lock).
 */
#ifndef PADAN_MATCHER_H
#define PADAN_MATCHER_H

#include <stddef.h>
#include <stdint.h>

enum mt_status {
  MT_OK = 0,
  MT_ENOMEM,    /* allocation failed; nothing changed */
  MT_EINVAL,    /* an argument is out of range; nothing changed */
  MT_ENOTFOUND, /* no resident, vacancy or course with that id */
};

/* Limits of one snapshot: skill bitsets are at most this wide, and the
 * kelurahan distance matrix holds at most this many kelurahan squared;
 * mt_engine_create() returns MT_EINVAL beyond either. */
#define MT_MAX_SKILLS 512
#define MT_MAX_KELURAHAN 2048

/* Marks an unknown date or number in the input structs. */
#define MT_UNKNOWN_DAY INT32_MIN
#define MT_UNKNOWN_U8 0xFFu
#define MT_UNKNOWN_I16 (-1)
#define MT_NO_KELURAHAN 0xFFFFu

/* Education levels, ordered; SMA and SMK share a level (an SMK graduate also
 * carries the vocation of the major). */
enum mt_education {
  MT_EDU_UNKNOWN = 0,
  MT_EDU_NONE,
  MT_EDU_SD,
  MT_EDU_SMP,
  MT_EDU_SMA, /* SMA, SMK, MA, paket C */
  MT_EDU_D3,  /* D1–D3 */
  MT_EDU_S1,  /* D4, S1 */
  MT_EDU_S2,  /* S2 and above */
};

/* Vocations (kejuruan); vacancies, courses and SMK majors use the same codes,
 * and a course's placements are counted by them as sectors. */
enum mt_vocation {
  MT_VOC_NONE = 0,
  MT_VOC_MANUFACTURING,
  MT_VOC_GARMENT,
  MT_VOC_FOOTWEAR,
  MT_VOC_WELDING_METAL,
  MT_VOC_ELECTRICAL,
  MT_VOC_AUTOMOTIVE,
  MT_VOC_REFRIGERATION,
  MT_VOC_LOGISTICS,
  MT_VOC_AIRPORT,
  MT_VOC_HOSPITALITY,
  MT_VOC_CULINARY,
  MT_VOC_RETAIL,
  MT_VOC_OFFICE,
  MT_VOC_DIGITAL,
  MT_VOC_CARE,
  MT_N_VOCATIONS
};

/* Shift mask, for vacancies (what the job needs) and residents (what they can
 * work); 0 on a resident means unknown. */
#define MT_SHIFT_DAY 0x1u
#define MT_SHIFT_NIGHT 0x2u
#define MT_SHIFT_ROTATING 0x4u

/* ---- Input records -------------------------------------------------------
 * Skills, kelurahan and courses are referred to by their index in the arrays
 * passed to mt_engine_create(); residents, vacancies and courses also carry
 * the caller's stable id, which orders ties and names them in results. */

struct mt_skill {
  uint32_t id;
  const char *code;    /* e.g. "WLD-003" */
  const char *name_id; /* Indonesian name, used in explanations */
  const char *name_en; /* English name */
  uint8_t vocation;    /* enum mt_vocation */
};

struct mt_kelurahan {
  uint32_t id;
  const char *name;
  double lat, lon;  /* approximate centroid, degrees */
  uint8_t priority; /* 1 = priority kelurahan (computed or pinned) */
};

struct mt_resident {
  uint32_t id;
  uint16_t kelurahan;   /* index, or MT_NO_KELURAHAN */
  int32_t birth_day;    /* days since 1970-01-01, or MT_UNKNOWN_DAY */
  int32_t verified_day; /* last DTSEN verification, or MT_UNKNOWN_DAY */
  /* Carried so that tests can prove they change nothing: never read by any
   * score or eligibility rule. */
  uint8_t sex, religion, marital;
  uint8_t education;              /* enum mt_education */
  uint8_t smk_vocation;           /* major of an SMK graduate, MT_VOC_NONE otherwise */
  uint8_t desil;                  /* 1–10, or 0 when unknown */
  uint8_t disability;             /* 0 none, 1 yes, MT_UNKNOWN_U8 */
  uint8_t dependants;             /* household dependants, or MT_UNKNOWN_U8 */
  int16_t months_without_work;    /* or MT_UNKNOWN_I16 */
  uint8_t employed;               /* currently working */
  uint8_t in_school;              /* currently studying */
  uint8_t in_course;              /* enrolled in a BLK course that has not ended */
  uint8_t hired;                  /* already hired through padan */
  uint8_t blocked;                /* an active intervention conflicts (DESIGN §5.5) */
  uint8_t shifts;                 /* MT_SHIFT_* mask it can work, 0 unknown */
  const uint16_t *skills;         /* skill indices */
  const uint8_t *skill_certified; /* parallel to skills: 1 BLK/BNSP certified */
  size_t n_skills;
  const uint16_t *courses_completed; /* course indices */
  size_t n_courses_completed;
  const uint8_t *preferred_vocations; /* desired sectors; none = unknown */
  size_t n_preferred_vocations;
};

struct mt_vacancy {
  uint32_t id;
  uint32_t employer_id;
  uint16_t kelurahan;       /* workplace, index */
  uint8_t vocation;         /* sector, enum mt_vocation */
  uint8_t min_education;    /* enum mt_education, MT_EDU_UNKNOWN = none set */
  uint8_t smk_vocation;     /* preferred SMK major, MT_VOC_NONE = any */
  uint8_t min_age, max_age; /* 0 = no limit */
  uint8_t open;             /* posted and not closed */
  uint8_t shifts;           /* MT_SHIFT_* the job needs */
  int32_t deadline_day;     /* last day to apply, or MT_UNKNOWN_DAY */
  uint32_t openings_left;
  int64_t wage_monthly; /* rupiah */
  const uint16_t *must; /* must-have skill indices */
  size_t n_must;
  const uint16_t *nice; /* nice-to-have skill indices */
  size_t n_nice;
};

struct mt_course {
  uint32_t id;
  const char *name;
  uint8_t vocation;
  uint16_t hours;
  uint16_t batch_capacity;
  const uint16_t *skills; /* skills taught (certified on completion) */
  size_t n_skills;
  /* Outcomes of past batches, summed. */
  uint32_t enrolled, completed, certified, placed_6m;
  uint32_t placed_by_sector[MT_N_VOCATIONS]; /* placed within 6 months */
};

/* ---- Configuration -------------------------------------------------------
 * Every weight and policy parameter, in one place.  mt_config_default() fills
 * the documented defaults (docs/MATCHING.md); mt_config_parse() reads
 * "key = value" lines (# comments) over them. */
struct mt_config {
  int32_t today; /* run date, days since 1970-01-01 */
  /* fit weights (need not sum to 1; normalised over known components) */
  double w_skills, w_education, w_commute, w_course, w_preference;
  double certified_weight; /* a certified skill counts this much, a
                              self-reported one 1.0 */
  double nice_share;       /* share of the skills component from nice-to-have */
  /* priority weights */
  double p_desil, p_kelurahan, p_months, p_dependants, p_disability;
  double lambda;                    /* key = fit × (1 + λ·priority/100) */
  double min_fit;                   /* pairs below it are not proposed */
  uint8_t desil_extreme;            /* desil ≤ this: extreme poor (default 1) */
  uint8_t desil_poor;               /* desil ≤ this: poor or vulnerable (default 4) */
  uint8_t min_age, max_age;         /* productive age, default 15–64 */
  int32_t verification_valid_days;  /* default 365 */
  double shortlist_factor;          /* proposals per opening, default 3 */
  double cost_per_km;               /* rupiah per km one way, default 2000 */
  uint8_t work_days;                /* commuting days per month, default 22 */
  double max_commute_share;         /* commute cost share of wage that scores 0 */
  uint16_t candidates_per_resident; /* sparse list length in a match run */
  /* Added by the engine (docs/MATCHING.md gives each default's reason). */
  double road_factor;      /* road km per straight-line km, default 1.3 */
  double edu_meets;        /* education value when the minimum is met, 0.8 */
  double edu_exceeds;      /* … when it is exceeded, 0.9 (a matching SMK
                              major scores 1) */
  double course_rate_full; /* sector placement rate of a completed course
                              that scores 1 on the course component, 0.5 */
  uint16_t months_cap;     /* months without work that score 1, default 24 */
  uint8_t dependants_cap;  /* dependants that score 1, default 4 */
  double unlock_margin;    /* fit points a course must add to count as
                              unlocking an eligible vacancy, default 15 */
  /* Next-step runs (mt_match_run_ex, docs/MATCHING.md "Next steps"). */
  int32_t repropose_days;       /* a pair that ended rejected or withdrawn is
                                   not proposed again for this many days,
                                   default 180 (the caller applies it) */
  double course_month_discount; /* a course step's worth is multiplied by
                                   this per month until its batch ends,
                                   default 0.95 */
  int32_t tie_seed;             /* seeds the hash that breaks exact ties,
                                   default 1 */
};

void mt_config_default(struct mt_config *cfg);

/* Parses text (len bytes, need not be NUL-terminated) over cfg.  On error
 * returns MT_EINVAL, leaves cfg unchanged and writes a one-line message
 * naming the line and key into err (errlen bytes, may be 0). */
enum mt_status mt_config_parse(struct mt_config *cfg, const char *text, size_t len, char *err,
                               size_t errlen);

/* ---- The engine snapshot ------------------------------------------------- */

struct mt_engine;

struct mt_input {
  const struct mt_config *config;
  const struct mt_skill *skills;
  size_t n_skills;
  const struct mt_kelurahan *kelurahan;
  size_t n_kelurahan;
  const struct mt_course *courses;
  size_t n_courses;
  const struct mt_resident *residents;
  size_t n_residents;
  const struct mt_vacancy *vacancies;
  size_t n_vacancies;
};

/* Builds a snapshot; *out is owned by the caller (mt_engine_free). */
enum mt_status mt_engine_create(const struct mt_input *in, struct mt_engine **out);
void mt_engine_free(struct mt_engine *e);

/* Insert or replace by id; remove by id.  Skills, kelurahan and courses are
 * fixed for the life of a snapshot, except course outcomes, which
 * mt_engine_put_course() may refresh for an existing course id. */
enum mt_status mt_engine_put_resident(struct mt_engine *e, const struct mt_resident *r);
enum mt_status mt_engine_remove_resident(struct mt_engine *e, uint32_t id);
enum mt_status mt_engine_put_vacancy(struct mt_engine *e, const struct mt_vacancy *v);
enum mt_status mt_engine_remove_vacancy(struct mt_engine *e, uint32_t id);
enum mt_status mt_engine_put_course(struct mt_engine *e, const struct mt_course *c);
enum mt_status mt_engine_set_config(struct mt_engine *e, const struct mt_config *cfg);
const struct mt_config *mt_engine_config(const struct mt_engine *e);

/* ---- Eligibility, scores and explanations ------------------------------- */

/* Why a pair is not scored; MT_R_ELIGIBLE when it is. */
enum mt_reason {
  MT_R_ELIGIBLE = 0,
  MT_R_AGE_UNKNOWN,
  MT_R_NOT_PRODUCTIVE_AGE,
  MT_R_EMPLOYED,
  MT_R_IN_SCHOOL,
  MT_R_IN_COURSE,
  MT_R_ALREADY_HIRED,
  MT_R_INTERVENTION,
  MT_R_UNVERIFIED,
  MT_R_VERIFICATION_EXPIRED,
  MT_R_VACANCY_CLOSED,
  MT_R_DEADLINE_PASSED,
  MT_R_NO_OPENINGS,
  MT_R_EDUCATION,
  MT_R_VACANCY_AGE_LIMIT,
  MT_R_MISSING_SKILLS_TRAINABLE, /* a BLK course teaches what is missing */
  MT_R_MISSING_SKILLS,
  MT_R_BELOW_MIN_FIT,
  MT_N_REASONS
};
const char *mt_reason_code(enum mt_reason r);    /* stable snake_case code */
const char *mt_reason_text_id(enum mt_reason r); /* one line, Indonesian */
const char *mt_reason_text_en(enum mt_reason r); /* one line, English */

enum mt_fit_component {
  MT_FIT_SKILLS,
  MT_FIT_EDUCATION,
  MT_FIT_COMMUTE,
  MT_FIT_COURSE,
  MT_FIT_PREFERENCE,
  MT_N_FIT
};
enum mt_priority_component {
  MT_PRIO_DESIL,
  MT_PRIO_KELURAHAN,
  MT_PRIO_MONTHS,
  MT_PRIO_DEPENDANTS,
  MT_PRIO_DISABILITY,
  MT_N_PRIO
};
const char *mt_fit_component_code(enum mt_fit_component c);
const char *mt_priority_component_code(enum mt_priority_component c);

#define MT_REASON_LEN 320
struct mt_part {
  int known;                     /* 0: inputs unknown; value is 0 and the weight counts nothing */
  double value;                  /* 0–1 */
  double weight;                 /* configured weight */
  char reason_id[MT_REASON_LEN]; /* one line, Indonesian */
  char reason_en[MT_REASON_LEN]; /* one line, English */
};

#define MT_MAX_LISTED_SKILLS 32
struct mt_explanation {
  enum mt_reason reason; /* MT_R_ELIGIBLE, or why not */
  double fit;            /* 0–100 (computed even when not eligible) */
  double priority;       /* 0–100 */
  double key;            /* ranking key (also computed when not eligible) */
  struct mt_part fit_parts[MT_N_FIT];
  struct mt_part priority_parts[MT_N_PRIO];
  uint16_t matched[MT_MAX_LISTED_SKILLS]; /* skill indices */
  size_t n_matched;
  uint16_t missing[MT_MAX_LISTED_SKILLS]; /* missing must-have, then nice */
  size_t n_missing;
  double commute_km;           /* < 0 when unknown */
  double commute_cost_monthly; /* rupiah, < 0 when unknown */
};

enum mt_status mt_explain(const struct mt_engine *e, uint32_t resident_id, uint32_t vacancy_id,
                          struct mt_explanation *out);

/* ---- Rankings ------------------------------------------------------------ */

enum mt_order { MT_BY_KEY, MT_BY_FIT };

struct mt_hit {
  uint32_t id; /* resident id (candidates) or vacancy id (vacancies) */
  float fit, priority, key;
};

/* Top k eligible residents for a vacancy, or vacancies for a resident, best
 * first, ties by ascending id.  out has room for k hits; *n_out gets the
 * number written.  Pairs below min_fit are not ranked; a vacancy that is not
 * open, or a resident excluded by a resident-level rule, gives *n_out = 0
 * and MT_OK (mt_explain says why). */
enum mt_status mt_rank_candidates(const struct mt_engine *e, uint32_t vacancy_id,
                                  enum mt_order order, size_t k, struct mt_hit *out, size_t *n_out);
enum mt_status mt_rank_vacancies(const struct mt_engine *e, uint32_t resident_id,
                                 enum mt_order order, size_t k, struct mt_hit *out, size_t *n_out);

/* ---- City-wide match run ------------------------------------------------- */

enum mt_algorithm { MT_EXACT, MT_GREEDY_BASELINE };

struct mt_proposal {
  uint32_t resident_id, vacancy_id;
  float fit, priority, key;
};
struct mt_fill {
  uint32_t vacancy_id;
  uint32_t capacity; /* openings × shortlist factor, rounded up */
  uint32_t proposed;
};
struct mt_unmatched {
  uint32_t resident_id;
  enum mt_reason reason; /* MT_R_BELOW_MIN_FIT, MT_R_MISSING_SKILLS…, or
                            MT_R_ELIGIBLE when every vacancy it fits is full */
  /* What would change it (mt_match_run_ex fills these; 0 when not known):
   * fitting vacancies that were full, fitting vacancies not proposed again
   * because the pair ended recently, batches whose seats were all taken,
   * a course that would open vacancies to it (with no batch seat left, or
   * none planned), the education level the nearest vacancy asks for, and a
   * must-have skill (index + 1) no course teaches. */
  uint32_t n_full, n_banned, n_full_batches;
  uint32_t course_id;
  uint8_t need_education;
  uint16_t skill_plus1;
};
/* One arc of the solved instance: the gain is the ranking key in integer
 * millionths, the unit the solver optimises exactly (mt_match_run_ex: times
 * 64 plus a tie code below 64, docs/MATCHING.md "Ties"). */
struct mt_arc {
  uint32_t resident_id;
  uint32_t vacancy_id, batch_id; /* one of them is 0: a job arc or a course arc */
  int64_t gain;
};
/* A seat in a planned or running BLK batch proposed to a resident. */
struct mt_course_step {
  uint32_t resident_id, batch_id, course_id;
  float priority, key;       /* key = 100·expected_placement·(1 + λ·priority/100) */
  double expected_placement; /* min(1, reachable × rate) × discount */
  uint32_t openings_reachable;
  uint32_t *unlocked; /* vacancy ids the course opens to the resident, ascending */
  size_t n_unlocked;
};
/* Target groups of a run's figures (docs/MATCHING.md "Reaching the
 * poorest"); desil cut-offs from the configuration, women by sex 'P'. */
enum mt_group {
  MT_G_DESIL_1,
  MT_G_DESIL_1_4,
  MT_G_PRIORITY_KELURAHAN,
  MT_G_WOMEN,
  MT_G_DISABILITY,
  MT_G_ALL,
  MT_N_GROUPS
};
/* Bit (1 << enum mt_group) for every group the resident belongs to; 0 for
 * an unknown id. */
unsigned mt_resident_groups(const struct mt_engine *e, uint32_t resident_id);
struct mt_targeting {
  uint32_t eligible, job_steps, course_steps;
};
struct mt_match_result {
  struct mt_targeting targeting[MT_N_GROUPS]; /* per enum mt_group */
  struct mt_proposal *proposals;              /* by resident id */
  size_t n_proposals;
  struct mt_course_step *steps; /* by resident id (mt_match_run_ex with batches) */
  size_t n_steps;
  struct mt_fill *fill; /* by vacancy id, every open vacancy */
  size_t n_fill;
  struct mt_fill *batch_fill; /* per offered batch (vacancy_id holds the batch id) */
  size_t n_batch_fill;
  struct mt_unmatched *unmatched; /* eligible residents without a proposal */
  size_t n_unmatched;
  struct mt_arc *arcs; /* the instance, sorted by (resident, vacancy) */
  size_t n_arcs;
  int64_t total_gain; /* sum of chosen arcs' gains */
  double total_key;
};
/* *out is owned by the caller (mt_match_result_free). */
enum mt_status mt_match_run(const struct mt_engine *e, enum mt_algorithm algo,
                            struct mt_match_result **out);
void mt_match_result_free(struct mt_match_result *r);

/* ---- Next-step runs -------------------------------------------------------
 * What a run must know about the world beyond the snapshot, as plain lists
 * (any order; unknown ids are ignored): the open referrals each vacancy
 * already holds (counted against its cap), the residents who already have
 * an open step (an open referral or enrolment, a proposed course step; they
 * are left out of the run), the pairs that ended rejected or withdrawn
 * within the configured period (never proposed again), and the batches with
 * seats left (seats = capacity − enrolled − proposed course steps). */
struct mt_vacancy_load {
  uint32_t vacancy_id, open;
};
struct mt_pair_ban {
  uint32_t resident_id, vacancy_id;
};
struct mt_batch_seats {
  uint32_t batch_id, course_id, seats;
  int32_t start_day, end_day; /* MT_UNKNOWN_DAY when not set */
};
struct mt_run_input {
  const struct mt_vacancy_load *loads;
  size_t n_loads;
  const uint32_t *busy;
  size_t n_busy;
  const struct mt_pair_ban *bans;
  size_t n_bans;
  const struct mt_batch_seats *batches;
  size_t n_batches;
  int no_jobs; /* 1: course steps only (the training plan) */
};
/* One exact plan: every eligible resident who is not busy gets at most one
 * next step, a vacancy (as mt_match_run) or a batch seat (docs/MATCHING.md
 * "Next steps"), maximising the total key.  in may be NULL (mt_match_run). */
enum mt_status mt_match_run_ex(const struct mt_engine *e, enum mt_algorithm algo,
                               const struct mt_run_input *in, struct mt_match_result **out);
/* One plain sentence on why u got no step and what would change it, in
 * Indonesian (english = 0) or English, into buf (cap bytes). */
void mt_unmatched_text(const struct mt_engine *e, const struct mt_unmatched *u, int english,
                       char *buf, size_t cap);

/* ---- Train then apply ---------------------------------------------------- */

struct mt_course_rec {
  uint32_t course_id;
  double placement_rate;       /* measured, 0–1 */
  uint32_t openings_reachable; /* openings of the vacancies it unlocks */
  double expected_placements;  /* openings_reachable × placement_rate */
  uint32_t *unlocked;          /* vacancy ids made eligible or much better fitted */
  size_t n_unlocked;
};
struct mt_course_recs {
  struct mt_course_rec *recs; /* best first, ties by course id */
  size_t n;
};
/* The best k courses for a resident (k = 0: all), each with at least one
 * unlocked vacancy; empty for a resident excluded by a resident-level rule.
 * *out is owned by the caller (mt_course_recs_free). */
enum mt_status mt_recommend_courses(const struct mt_engine *e, uint32_t resident_id, size_t k,
                                    struct mt_course_recs **out);
void mt_course_recs_free(struct mt_course_recs *r);

struct mt_plan_batch {
  uint32_t course_id;
  uint32_t *residents; /* whom to enrol, ascending id */
  size_t n_residents;  /* ≤ the course's batch capacity */
  double expected_placements;
};
struct mt_training_plan {
  struct mt_plan_batch *batches; /* best first */
  size_t n_batches;
  double expected_placements;
};
/* A plan of at most max_batches batches (one per course at most); *out is
 * owned by the caller (mt_training_plan_free).  See docs/MATCHING.md for
 * the objective and when the plan is exactly optimal. */
enum mt_status mt_training_plan(const struct mt_engine *e, size_t max_batches,
                                struct mt_training_plan **out);
void mt_training_plan_free(struct mt_training_plan *p);

/* ---- Priority kelurahan while the engine runs ------------------------------
 * An officer's pin (or unpin) changes one kelurahan's priority flag while a
 * snapshot serves rankings.  Sets kelurahan (an index into the array given
 * to mt_engine_create) to priority (0 or 1) and recomputes the priority and
 * ranking multiplier of every resident who lives there, so the very next
 * ranking or match run uses the flag.  Nothing else changes; MT_EINVAL for
 * an index out of range.  Needs exclusive access, like the put functions. */
enum mt_status mt_engine_set_kelurahan_priority(struct mt_engine *e, uint16_t kelurahan,
                                                int priority);

#endif
