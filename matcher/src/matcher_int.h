/*
 * matcher_int.h — the engine's private layout, shared by its source files and
 * by nothing else.  An engine keeps residents in structure-of-arrays form so
 * that scoring one vacancy against every resident streams a few dense arrays:
 * skill bitsets stored word by word, small per-resident codes, and one float
 * per resident for the vacancy's sector.  Everything that depends only on one
 * record and the configuration (a resident's age, eligibility status and
 * priority; a vacancy's commute table and skill coefficients) is computed
 * when the record is put or the configuration set, never per pair.
 *
 * Scores are single-precision and computed by one inline function
 * (mt__pair_eval) that the vectorised kernel and the scalar explanation share,
 * so a ranking, a match run and an explanation of the same pair agree to the
 * bit.
 */
#ifndef PADAN_MATCHER_INT_H
#define PADAN_MATCHER_INT_H

#include "matcher.h"

/* The kernel and the scalar path must round alike, so no multiply-add may be
 * fused into an FMA in one and not the other.  GCC in ISO C mode (what the
 * build uses) never contracts; in GNU mode, and with clang, say so. */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__) && !defined(__STRICT_ANSI__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MT__MAX_SKILLS MT_MAX_SKILLS
#define MT__MAXW (MT__MAX_SKILLS / 64)
/* Residents per kernel block.  Resident capacity is a multiple of it, so the
 * kernel's loops have a constant trip count and vectorise at -O2. */
#define MT__BLOCK 256
/* Lanes the kernel's second phase handles together (one AVX-512 vector). */
#define MT__CHUNK 16
/* The distance matrix is n² floats; a city has a few hundred kelurahan. */
#define MT__MAX_KELURAHAN MT_MAX_KELURAHAN
/* Resident status of an unused slot past the last resident. */
#define MT__SLOT_EMPTY 0xFFu
/* Mean Earth radius used by the haversine distance, km. */
#define MT__EARTH_KM 6371.0

/* Closeness codes written by the kernel for pairs that are not ranked; a
 * ranked pair gets its key (>= 0).  Higher is closer to being ranked, so the
 * best code over a resident's pairs is a plain maximum. */
#define MT__K_BELOW_MIN -1.0f
#define MT__K_TRAINABLE -2.0f
#define MT__K_MISSING -3.0f
#define MT__K_AGE -4.0f
#define MT__K_EDUCATION -5.0f
#define MT__K_RESIDENT -6.0f

/* ---- id → slot map (open addressing, linear probing) ---------------------- */
struct mt__idmap {
  uint32_t *keys;
  uint32_t *slots; /* slot + 1; 0 marks an empty bucket */
  size_t mask;     /* buckets - 1; buckets is a power of two */
  size_t n;
};

/* ---- fixed tables ----------------------------------------------------------- */
struct mt__skill {
  uint32_t id;
  char *code, *name_id, *name_en;
  uint8_t vocation;
};

struct mt__kelurahan {
  uint32_t id;
  char *name;
  double lat, lon;
  uint8_t priority;
};

struct mt__course {
  uint32_t id;
  char *name;
  uint8_t vocation;
  uint16_t hours, batch_capacity;
  uint64_t skills[MT__MAXW];
  uint32_t n_skills;
  uint32_t enrolled, completed, certified, placed_6m;
  uint32_t placed_by_sector[MT_N_VOCATIONS];
  /* Derived from outcomes and configuration (course_outcomes()): */
  float sector_value[MT_N_VOCATIONS]; /* course component per sector, -1 n/a */
  double placement_rate;              /* placed_6m / enrolled, 0 without data */
};

/* ---- residents (structure of arrays, indexed by slot) ---------------------- */
struct mt__rcold {
  int32_t birth_day, verified_day;
  int16_t months_without_work;
  uint8_t desil, disability, dependants;
  uint8_t sex; /* kept for a run's targeting figures only; no score reads it */
  uint8_t employed, in_school, in_course, hired, blocked;
};

struct mt__residents {
  size_t n, cap; /* slots [0, n) hold residents; cap % MT__BLOCK == 0 */
  uint32_t *id;
  uint64_t *skills[MT__MAXW]; /* word w of every resident's skill bitset */
  uint64_t *cert[MT__MAXW];   /* certified subset, same layout */
  uint8_t *status;            /* resident-level enum mt_reason, SLOT_EMPTY past n */
  uint8_t *age;               /* whole years on config.today, 0xFF unknown */
  uint8_t *edu, *smk, *shifts;
  uint16_t *kel;  /* index, n_kelurahan when unknown */
  uint16_t *pref; /* bit per preferred vocation, 0 unknown */
  /* The kernel's copy of the small fields, packed into 32-bit lanes so that
   * its loop runs on full-width vectors (see resident_pack()):
   * pa = status | age << 8 | edu << 16 | smk << 20 | shifts << 24,
   * pb = kel | pref << 16. */
  uint32_t *pa, *pb;
  float *course[MT_N_VOCATIONS]; /* best completed-course value, -1 n/a */
  float *prio;                   /* priority 0–100 */
  float *mult;                   /* 1 + λ·priority/100 */
  struct mt__rcold *cold;
  uint64_t *courses; /* completed-course bitset, cw words per slot */
};

/* ---- vacancies (array of structs, indexed by slot) ------------------------- */
struct mt__vacancy {
  uint32_t id, employer_id;
  uint16_t kel; /* index, n_kelurahan when unknown */
  uint8_t vocation, min_edu, smk_vocation, min_age, max_age, open, shifts;
  int32_t deadline_day;
  uint32_t openings_left;
  int64_t wage_monthly;
  uint64_t must[MT__MAXW], nice[MT__MAXW];
  uint32_t n_must, n_nice;
  /* Derived: */
  uint8_t status;        /* vacancy-level enum mt_reason (0 open) */
  uint8_t n_rel;         /* words where must | nice is non-zero */
  uint8_t rel[MT__MAXW]; /* their indices */
  uint8_t skills_known;  /* the vacancy lists at least one skill */
  uint8_t edu_target;    /* SMK major that counts as matching */
  float a_must, b_must;  /* skills value = a·matched + b·certified … */
  float a_nice, b_nice;  /* … over must and nice (see vacancy_derive()) */
  float *commute;        /* n_kelurahan + 1 values, -1 unknown */
  uint64_t *train_sets;  /* minimal must-minus-course sets, w words each */
  size_t n_train_sets;
};

struct mt__kargs;
typedef void (*mt__kernel_fn)(struct mt__kargs *a);

/* A ranked pair emitted by the kernel's scan mode. */
struct mt__ranked {
  uint32_t slot;
  float key, fit;
};

struct mt_engine {
  struct mt_config cfg;
  float wf[MT_N_FIT]; /* fit weights as floats */
  float min_fit;
  float edu_meets, edu_exceeds;
  size_t n_skills, w; /* skill count, 64-bit words per bitset */
  struct mt__skill *skills;
  size_t n_kel;
  struct mt__kelurahan *kel;
  float *dist; /* road km, n_kel × n_kel */
  size_t n_courses, cw;
  struct mt__course *courses;
  struct mt__residents r;
  struct mt__idmap rmap;
  struct mt__vacancy *vac;
  size_t n_vac, cap_vac;
  struct mt__idmap vmap;
  mt__kernel_fn kernel;
  /* How a match run finds its ranked pairs (match.c): MT__SCORE_AUTO in the
   * product; tests set the others to hold the skill index to the kernel. */
  uint8_t scoring;
};

enum {
  MT__SCORE_AUTO = 0, /* the skill index where it pays, the kernel elsewhere */
  MT__SCORE_KERNEL,   /* every pair through the kernel: the reference */
  MT__SCORE_INDEX     /* every vacancy with a must-have skill through the index */
};

/* ---- the kernel ------------------------------------------------------------ */

/* Scores one block of MT__BLOCK resident slots starting at i0 against one
 * vacancy.  key[i] is the ranking key of a ranked pair or a MT__K_* code;
 * fit[i] is the fit score of a pair that passes every rule but the minimum
 * fit, -1 for the others.  Lanes that pass those rules, and so every ranked
 * lane, lie in the chunks of MT__CHUNK lanes whose bits are set in chunks
 * (chunk c covers lanes [c·MT__CHUNK, (c+1)·MT__CHUNK)), which lets callers
 * skip the rest.  With overlay set, the resident is scored as if it had
 * completed that course: its skills certified and overlay_course as a
 * candidate course value.  With reasons set, missing-skill pairs are split
 * into trainable or not. */
struct mt__kargs {
  const struct mt_engine *e;
  const struct mt__vacancy *v;
  size_t i0;
  const uint64_t *overlay;
  float overlay_course;
  int reasons;
  float *key;
  float *fit;
  float max_key;   /* out: the block's largest key, or -1 when nothing is ranked */
  float max_code;  /* out: the largest key or MT__K_* code of the block */
  uint32_t chunks; /* out: chunks that hold a lane passing the rules (see above) */
  /* When not NULL: best[i] = max(best[i], mt__order_bits(key[i])) for the
   * block's slots, which tracks the closest rule each resident reached. */
  int32_t *best;
  /* Scan mode, when emit is not NULL: the kernel runs over every block of
   * [i0, i_end) and, instead of the block outputs above, writes every
   * ranked pair to emit (room for i_end - i0 pairs, in slot order within a
   * block, blocks in order) and their count to n_emit.  key and fit serve
   * as scratch. */
  size_t i_end;
  struct mt__ranked *emit;
  size_t n_emit;
};

/* Maps a float's bits to an int whose order is the float order (for the
 * non-NaN values the kernel writes), so that best codes are integer maxima;
 * mt__unorder_bits() undoes it. */
static inline int32_t mt__order_bits(float f) {
  int32_t b;
  memcpy(&b, &f, sizeof b);
  return b >= 0 ? b : b ^ INT32_MAX;
}

static inline float mt__unorder_bits(int32_t b) {
  b = b >= 0 ? b : b ^ INT32_MAX;
  float f;
  memcpy(&f, &b, sizeof f);
  return f;
}

/* ---- shared per-pair evaluation -------------------------------------------- */

struct mt__pair {
  float fit, key;
  float value[MT_N_FIT];
  uint8_t known[MT_N_FIT];
};

static inline uint32_t mt__popcount(uint64_t x) {
  return (uint32_t)__builtin_popcountll(x);
}

/* c ? a : b without a branch.  The kernel's loop must contain no control
 * flow to vectorise, and plain conditionals over floats end up as branches
 * (GCC sinks their operands into the arms), so every select in the scoring
 * path goes through this bit blend; it is exact. */
static inline float mt__fsel(int c, float a, float b) {
  uint32_t ua, ub, m = 0u - (uint32_t)(c != 0);
  memcpy(&ua, &a, sizeof ua);
  memcpy(&ub, &b, sizeof ub);
  uint32_t r = (ua & m) | (ub & ~m);
  float f;
  memcpy(&f, &r, sizeof f);
  return f;
}

/* The one definition of the fit score over precomputed inputs: skill counts
 * (must missing, must certified, nice matched, nice certified), education
 * level and SMK major, commute value (-1 unknown), course value (-1 n/a),
 * preferred-vocation mask and shift mask, and the resident's key multiplier.
 * Bitwise & and | stand for && and || for the same reason as mt__fsel. */
static inline __attribute__((always_inline)) void
mt__pair_eval(const struct mt_engine *e, const struct mt__vacancy *v, uint32_t miss, uint32_t mc,
              uint32_t nm, uint32_t nc, uint32_t edu, uint32_t smk, float commute, float course,
              uint32_t pref, uint32_t shifts, float mult, struct mt__pair *out) {
  const int sk = v->skills_known != 0;
  float sv = v->a_must * (float)(v->n_must - miss) + v->b_must * (float)mc + v->a_nice * (float)nm +
             v->b_nice * (float)nc;
  sv = mt__fsel(sk, sv, 0.0f);
  /* education: 0 below the minimum, else meets / exceeds / matching major */
  const int ek = edu != MT_EDU_UNKNOWN;
  const int meets = (v->min_edu == MT_EDU_UNKNOWN) | (edu >= v->min_edu);
  const int exceeds = (v->min_edu != MT_EDU_UNKNOWN) & (edu > v->min_edu);
  const int major = (smk != MT_VOC_NONE) & (smk == v->edu_target);
  float ev = mt__fsel(exceeds, e->edu_exceeds, e->edu_meets);
  ev = mt__fsel(major, 1.0f, ev);
  ev = mt__fsel(ek & meets, ev, 0.0f);
  /* commute and course: precomputed, negative when unknown */
  const int ck = commute >= 0.0f;
  const float cv = mt__fsel(ck, commute, 0.0f);
  const int kk = course >= 0.0f;
  const float kv = mt__fsel(kk, course, 0.0f);
  /* preference: desired vocation and shift agreement, each when stated */
  const int vk = pref != 0;
  const int vok = (pref >> v->vocation) & 1;
  const int hk = (shifts != 0) & (v->shifts != 0);
  const int hok = (v->shifts & ~shifts) == 0;
  const int pk = vk | hk;
  const float pn = (float)((vk & vok) + (hk & hok));
  /* pn / pd with pd in {1, 2}: halving is exact, so this is the quotient */
  const float pv = pn * mt__fsel(vk & hk, 0.5f, 1.0f);

  const float *w = e->wf;
  float num = w[MT_FIT_SKILLS] * sv + w[MT_FIT_EDUCATION] * ev + w[MT_FIT_COMMUTE] * cv +
              w[MT_FIT_COURSE] * kv + w[MT_FIT_PREFERENCE] * pv;
  float den = mt__fsel(sk, w[MT_FIT_SKILLS], 0.0f) + mt__fsel(ek, w[MT_FIT_EDUCATION], 0.0f) +
              mt__fsel(ck, w[MT_FIT_COMMUTE], 0.0f) + mt__fsel(kk, w[MT_FIT_COURSE], 0.0f) +
              mt__fsel(pk, w[MT_FIT_PREFERENCE], 0.0f);
  const int dk = den > 0.0f;
  float fit = num / mt__fsel(dk, den, 1.0f) * 100.0f;
  fit = mt__fsel(dk, fit, 0.0f);
  fit = mt__fsel(fit > 100.0f, 100.0f, fit);
  out->fit = fit;
  out->key = fit * mult;
  out->value[MT_FIT_SKILLS] = sv;
  out->value[MT_FIT_EDUCATION] = ev;
  out->value[MT_FIT_COMMUTE] = cv;
  out->value[MT_FIT_COURSE] = kv;
  out->value[MT_FIT_PREFERENCE] = mt__fsel(pk, pv, 0.0f);
  out->known[MT_FIT_SKILLS] = (uint8_t)sk;
  out->known[MT_FIT_EDUCATION] = (uint8_t)ek;
  out->known[MT_FIT_COMMUTE] = (uint8_t)ck;
  out->known[MT_FIT_COURSE] = (uint8_t)kk;
  out->known[MT_FIT_PREFERENCE] = (uint8_t)pk;
}

/* ---- ties (docs/MATCHING.md §7.3) -------------------------------------------- */

static inline uint64_t mt__mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/* The tie code (0–63) added below a gain: higher priority quarter first,
 * then a year or more without work, then three bits of a hash of the seed,
 * the resident id and the right node's id (course: a batch or course id,
 * not a vacancy id); never the order of the ids. */
#define MT__TIE_BITS 6

/* The code in three parts, so that a loop over many pairs computes each
 * once: the resident's bits (priority quarter, year without work), the
 * resident's hash key, and the right node's hash. */
static inline int64_t mt__tie_bits(const struct mt_engine *e, size_t slot) {
  const float pr = e->r.prio[slot];
  const int q = pr >= 75.0f ? 3 : pr >= 50.0f ? 2 : pr >= 25.0f ? 1 : 0;
  const int year = e->r.cold[slot].months_without_work >= 12;
  return (int64_t)(q << 4 | year << 3);
}

static inline uint64_t mt__tie_key(const struct mt_engine *e, size_t slot) {
  return (uint64_t)(uint32_t)e->cfg.tie_seed << 32 | e->r.id[slot];
}

static inline uint64_t mt__tie_right(uint32_t right_id, int course) {
  return mt__mix64((uint64_t)right_id << 1 | (uint64_t)course);
}

static inline int64_t mt__tie_join(int64_t bits, uint64_t key, uint64_t right) {
  return bits | (int64_t)(mt__mix64(key ^ right) & 7u);
}

static inline int64_t mt__tie_code(const struct mt_engine *e, size_t slot, uint32_t right_id,
                                   int course) {
  return mt__tie_join(mt__tie_bits(e, slot), mt__tie_key(e, slot), mt__tie_right(right_id, course));
}

/* A gain with its tie code below it; 0 stays 0 (never chosen). */
static inline int64_t mt__tied_gain(int64_t base, int64_t code) {
  return base > 0 ? base * ((int64_t)1 << MT__TIE_BITS) + code : 0;
}

/* ---- engine.c ---------------------------------------------------------------- */
size_t mt__idmap_get(const struct mt__idmap *m, uint32_t id); /* slot, or SIZE_MAX */
void mt__days_to_date(int32_t days, int32_t *y, int32_t *m, int32_t *d);
int32_t mt__date_to_days(int32_t y, int32_t m, int32_t d);
/* Copies the residents of slots[0..n) into out, in that order and laid out
 * as an engine's (n rounded up to whole blocks of empty slots), so that a
 * few residents can be scored against every vacancy without streaming all
 * the others past the kernel; a copy of the engine with r = *out scores
 * them exactly as the engine does.  The caller frees out with
 * mt__residents_free(). */
enum mt_status mt__residents_gather(const struct mt_engine *e, const uint32_t *slots, size_t n,
                                    struct mt__residents *out);
void mt__residents_free(const struct mt_engine *e, struct mt__residents *r);
/* Resident-level status of slot i (MT_R_ELIGIBLE or the first failing rule). */
enum mt_reason mt__resident_status(const struct mt_engine *e, size_t i);
/* Priority 0–100 of slot i, with each component's value and whether it is
 * known (value 0 when not). */
double mt__priority(const struct mt_engine *e, size_t i, double value[MT_N_PRIO],
                    uint8_t known[MT_N_PRIO]);
/* Commute distance in road km between kelurahan indices, < 0 when unknown. */
double mt__distance_km(const struct mt_engine *e, uint16_t from, uint16_t to);

/* ---- config.c ---------------------------------------------------------------- */
/* MT_OK, or MT_EINVAL naming the first out-of-range field in err. */
enum mt_status mt__config_check(const struct mt_config *cfg, char *err, size_t errlen);

/* ---- score.c ----------------------------------------------------------------- */
/* The best kernel this CPU runs. */
mt__kernel_fn mt__kernel_select(void);
/* Every kernel this CPU runs, best first, at most cap of them; the count.
 * Tests use it to hold the builds to one another. */
size_t mt__kernels(mt__kernel_fn *out, size_t cap);
/* Scalar evaluation of one pair, optionally with a course overlay, exactly as
 * the kernel would score it; returns the pair reason (first failing rule). */
enum mt_reason mt__pair_score(const struct mt_engine *e, size_t slot, const struct mt__vacancy *v,
                              const uint64_t *overlay, float overlay_course, int reasons,
                              struct mt__pair *out);
/* The pair reason that a MT__K_* code (or a key >= 0) stands for. */
enum mt_reason mt__code_reason(float code);

/* ---- courses.c --------------------------------------------------------------- */
/* Adds, for every resident slot (every slot with want[slot] set, when want
 * is not NULL) and course index, the openings of the open vacancies the
 * course unlocks for it: reach[slot * n_courses + c] (the caller zeroes
 * reach, r.cap × n_courses entries). */
enum mt_status mt__course_reach(const struct mt_engine *e, uint32_t *reach, const uint8_t *want);
/* The ids of the open vacancies course c unlocks for slot, ascending, into
 * ids (room for n_vac); their count. */
size_t mt__course_unlocked(const struct mt_engine *e, size_t slot, size_t c, uint32_t *ids);

/* ---- text.c ------------------------------------------------------------------ */
const char *mt__vocation_name(uint8_t voc, int english);
const char *mt__education_name(uint8_t edu, int english);

/* A bounded text buffer that truncates at a UTF-8 boundary and marks the
 * cut with an ellipsis. */
struct mt__sbuf {
  char *p;
  size_t cap, len;
  int truncated;
};
void mt__sb_init(struct mt__sbuf *b, char *p, size_t cap);
void mt__sb_printf(struct mt__sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends an amount in rupiah: "Rp1.234.567" (Indonesian) or "Rp1,234,567". */
void mt__sb_rupiah(struct mt__sbuf *b, double amount, int english);
/* Appends x with one decimal, decimal comma in Indonesian. */
void mt__sb_decimal(struct mt__sbuf *b, double x, int english);

#endif
