/*
 * score.c — eligibility and scoring of resident–vacancy pairs.  The kernel
 * scores one block of resident slots against one vacancy: first the skill
 * bitsets, word by word over the few words the vacancy uses, then every rule
 * and the fit score lane by lane.  Its loops have a constant trip count and no
 * branches, so the compiler vectorises them; it is compiled three times
 * (AVX-512 with vector popcount, AVX2, baseline) and the engine picks one at
 * creation from what the CPU supports.  The scalar path scores a single pair
 * with the same arithmetic (mt__pair_eval), for explanations and for the
 * per-resident queries.
 */
#include "matcher_int.h"

#include <string.h>

/* ---- the kernel ------------------------------------------------------------------ */

#if defined(__GNUC__) && !defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
#define HAVE_LOOKUP128 1
typedef float mt__v16sf __attribute__((vector_size(64)));
typedef int32_t mt__v16si __attribute__((vector_size(64)));

/* out[i] = tab[kel of slot i] for one block, tab padded to 128 entries: two
 * 32-entry permutes per group of 32, blended by the index's high bits.  The
 * auto-vectoriser would emulate this gather with sixteen scalar loads per
 * vector; with AVX-512 permutes it is a handful of instructions. */
static inline __attribute__((always_inline)) void lookup128(const float *tab, const uint32_t *pb,
                                                            float *out) {
  mt__v16sf t[8];
  memcpy(t, tab, sizeof t);
  for (size_t i = 0; i < MT__BLOCK; i += 16) {
    mt__v16si b;
    memcpy(&b, pb + i, sizeof b);
    const mt__v16si idx = b & 0x7F, lo = idx & 31, hi = idx >> 5;
    mt__v16si r = (mt__v16si)__builtin_shuffle(t[0], t[1], lo);
    for (int g = 1; g < 4; g++) {
      const mt__v16si x = (mt__v16si)__builtin_shuffle(t[2 * g], t[2 * g + 1], lo);
      const mt__v16si m = hi == g;
      r = (r & ~m) | (x & m);
    }
    memcpy(out + i, &r, sizeof r);
  }
}
#else
#define HAVE_LOOKUP128 0
#endif

/* The words of the skill bitsets one block needs, with a course overlay. */
struct words {
  const uint64_t *S[2], *C[2];
  uint64_t mu[2], ni[2], ov[2];
};

/* The per-pair loop.  nw = 1 or 2: the skill counts come from the vacancy's
 * one or two bitset words, read here; nw = 0: from the count arrays that
 * kernel_body filled for vacancies spanning more words. */
static inline __attribute__((always_inline)) void
score_loop(struct mt__kargs *a, int nw, const struct words *wd, const uint32_t *miss,
           const uint32_t *mc, const uint32_t *nm, const uint32_t *nc, const uint32_t *tr,
           const float *cm) {
  const struct mt_engine *e = a->e;
  const struct mt__vacancy *v = a->v;
  const struct mt__residents *r = &e->r;
  const size_t i0 = a->i0;
  float kout[MT__BLOCK], fout[MT__BLOCK];
  const uint32_t *pa = r->pa + i0, *pb = r->pb + i0;
  const float *course = r->course[v->vocation] + i0, *mult = r->mult + i0;
  const float oc = a->overlay_course, min_fit = e->min_fit;
  const uint32_t min_age = v->min_age, max_age = v->max_age != 0 ? v->max_age : 0xFF;
  const uint32_t min_edu = v->min_edu;
  /* Integer maxima over float bit patterns: for the non-negative keys and
   * fits the order is the same, and every negative code sorts below them. */
  int32_t mk = INT32_MIN, mf = INT32_MIN, mo = INT32_MIN;
  for (size_t i = 0; i < MT__BLOCK; i++) {
    struct mt__pair p;
    uint32_t ms, cs, ns, ncs;
    if (nw == 0) {
      ms = miss[i];
      cs = mc[i];
      ns = nm[i];
      ncs = nc[i];
    } else {
      uint64_t s = wd->S[0][i] | wd->ov[0], c = wd->C[0][i] | wd->ov[0];
      ms = mt__popcount(wd->mu[0] & ~s);
      cs = mt__popcount(wd->mu[0] & c);
      ns = mt__popcount(wd->ni[0] & s);
      ncs = mt__popcount(wd->ni[0] & c);
      if (nw == 2) {
        s = wd->S[1][i] | wd->ov[1];
        c = wd->C[1][i] | wd->ov[1];
        ms += mt__popcount(wd->mu[1] & ~s);
        cs += mt__popcount(wd->mu[1] & c);
        ns += mt__popcount(wd->ni[1] & s);
        ncs += mt__popcount(wd->ni[1] & c);
      }
    }
    const uint32_t A = pa[i], B = pb[i];
    const uint32_t status = A & 0xFFu, age = (A >> 8) & 0xFFu, edu = (A >> 16) & 0xFu;
    const uint32_t smk = (A >> 20) & 0xFu, shifts = (A >> 24) & 0xFu;
    const uint32_t pref = B >> 16;
    const float cv = mt__fsel(course[i] > oc, course[i], oc);
    mt__pair_eval(e, v, ms, cs, ns, ncs, edu, smk, cm[i], cv, pref, shifts, mult[i], &p);
    const int edu_ok = (min_edu == MT_EDU_UNKNOWN) | (edu >= min_edu);
    const int age_ok = (age >= min_age) & (age <= max_age);
    float code = mt__fsel(p.fit < min_fit, MT__K_BELOW_MIN, p.key);
    code = mt__fsel(ms != 0, mt__fsel(tr[i] != 0, MT__K_TRAINABLE, MT__K_MISSING), code);
    code = mt__fsel(age_ok, code, MT__K_AGE);
    code = mt__fsel(edu_ok, code, MT__K_EDUCATION);
    code = mt__fsel(status == MT_R_ELIGIBLE, code, MT__K_RESIDENT);
    kout[i] = code;
    fout[i] = p.fit;
    int32_t kb, fb;
    float rf = mt__fsel(code >= 0.0f, p.fit, -1.0f);
    memcpy(&kb, &code, sizeof kb);
    memcpy(&fb, &rf, sizeof fb);
    mk = kb > mk ? kb : mk;
    mf = fb > mf ? fb : mf;
    const int32_t ob = mt__order_bits(code);
    mo = ob > mo ? ob : mo;
  }
  memcpy(a->key, kout, sizeof kout);
  memcpy(a->fit, fout, sizeof fout);
  if (a->best != NULL) {
    int32_t *best = a->best;
    for (size_t i = 0; i < MT__BLOCK; i++) {
      int32_t b = mt__order_bits(kout[i]);
      best[i] = b > best[i] ? b : best[i];
    }
  }
  /* Negative codes compare wrongly as integers among themselves; only
   * whether the maximum is a key matters to callers, so map them to -1. */
  float fk, ff;
  memcpy(&fk, &mk, sizeof fk);
  memcpy(&ff, &mf, sizeof ff);
  a->max_key = mk >= 0 ? fk : -1.0f;
  a->max_fit = mf >= 0 ? ff : -1.0f;
  a->max_code = mt__unorder_bits(mo);
}

/* permute: look the commute table up with vector permutes; vpopcnt: the
 * target has a vector popcount (both: the AVX-512 build). */
static inline __attribute__((always_inline)) void kernel_body(struct mt__kargs *a, int permute,
                                                              int vpopcnt) {
  const struct mt_engine *e = a->e;
  const struct mt__vacancy *v = a->v;
  const struct mt__residents *r = &e->r;
  const size_t i0 = a->i0;
  uint32_t miss[MT__BLOCK], mc[MT__BLOCK], nm[MT__BLOCK], nc[MT__BLOCK], tr[MT__BLOCK];
  float cm[MT__BLOCK];

  memset(tr, 0, sizeof tr);
  if (a->reasons) {
    for (size_t t = 0; t < v->n_train_sets; t++) {
      const uint64_t *set = &v->train_sets[t * e->w];
      uint64_t acc[MT__BLOCK];
      memset(acc, 0, sizeof acc);
      for (size_t j = 0; j < v->n_rel; j++) {
        const size_t w = v->rel[j];
        const uint64_t *S = r->skills[w] + i0;
        const uint64_t m = set[w];
        for (size_t i = 0; i < MT__BLOCK; i++)
          acc[i] |= m & ~S[i];
      }
      for (size_t i = 0; i < MT__BLOCK; i++)
        tr[i] |= acc[i] == 0;
    }
  }
  int looked_up = 0;
#if HAVE_LOOKUP128
  if (permute && e->n_kel < 128) {
    lookup128(v->commute, r->pb + i0, cm);
    looked_up = 1;
  }
#endif
  (void)permute;
  if (!looked_up)
    for (size_t i = 0; i < MT__BLOCK; i++)
      cm[i] = v->commute[r->pb[i0 + i] & 0xFFFFu];

  struct words wd;
  for (size_t j = 0; j < 2 && j < v->n_rel; j++) {
    const size_t w = v->rel[j];
    wd.S[j] = r->skills[w] + i0;
    wd.C[j] = r->cert[w] + i0;
    wd.mu[j] = v->must[w];
    wd.ni[j] = v->nice[w];
    wd.ov[j] = a->overlay != NULL ? a->overlay[w] : 0;
  }
  /* Fusing the counts into the pair loop pays only with a vector popcount
   * (the AVX-512 build); elsewhere it would keep that loop scalar. */
  if (vpopcnt && v->n_rel == 1) {
    score_loop(a, 1, &wd, NULL, NULL, NULL, NULL, tr, cm);
    return;
  }
  if (vpopcnt && v->n_rel == 2) {
    score_loop(a, 2, &wd, NULL, NULL, NULL, NULL, tr, cm);
    return;
  }
  /* Three or more words, or none: count word by word into arrays. */
  memset(miss, 0, sizeof miss);
  memset(mc, 0, sizeof mc);
  memset(nm, 0, sizeof nm);
  memset(nc, 0, sizeof nc);
  for (size_t j = 0; j < v->n_rel; j++) {
    const size_t w = v->rel[j];
    const uint64_t *S = r->skills[w] + i0;
    const uint64_t *C = r->cert[w] + i0;
    const uint64_t mu = v->must[w], ni = v->nice[w];
    const uint64_t ov = a->overlay != NULL ? a->overlay[w] : 0;
    for (size_t i = 0; i < MT__BLOCK; i++) {
      uint64_t s = S[i] | ov, c = C[i] | ov;
      miss[i] += mt__popcount(mu & ~s);
      mc[i] += mt__popcount(mu & c);
      nm[i] += mt__popcount(ni & s);
      nc[i] += mt__popcount(ni & c);
    }
  }
  score_loop(a, 0, &wd, miss, mc, nm, nc, tr, cm);
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
__attribute__((
    target("avx512f,avx512bw,avx512dq,avx512vl,avx512vpopcntdq,popcnt,bmi,bmi2"))) static void
kernel_avx512(struct mt__kargs *a) {
  kernel_body(a, 1, 1);
}

__attribute__((target("avx2,popcnt,bmi,bmi2"))) static void kernel_avx2(struct mt__kargs *a) {
  kernel_body(a, 0, 0);
}

__attribute__((target("popcnt"))) static void kernel_popcnt(struct mt__kargs *a) {
  kernel_body(a, 0, 0);
}
#endif

static void kernel_default(struct mt__kargs *a) {
  kernel_body(a, 0, 0);
}

mt__kernel_fn mt__kernel_select(void) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512vpopcntdq"))
    return kernel_avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") &&
      __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2"))
    return kernel_avx2;
  if (__builtin_cpu_supports("popcnt"))
    return kernel_popcnt;
#endif
  return kernel_default;
}

/* ---- one pair ---------------------------------------------------------------------- */

enum mt_reason mt__code_reason(float code) {
  if (code >= 0.0f)
    return MT_R_ELIGIBLE;
  if (code == MT__K_BELOW_MIN)
    return MT_R_BELOW_MIN_FIT;
  if (code == MT__K_TRAINABLE)
    return MT_R_MISSING_SKILLS_TRAINABLE;
  if (code == MT__K_MISSING)
    return MT_R_MISSING_SKILLS;
  if (code == MT__K_AGE)
    return MT_R_VACANCY_AGE_LIMIT;
  return MT_R_EDUCATION;
}

enum mt_reason mt__pair_score(const struct mt_engine *e, size_t slot, const struct mt__vacancy *v,
                              const uint64_t *overlay, float overlay_course, int reasons,
                              struct mt__pair *out) {
  const struct mt__residents *r = &e->r;
  uint32_t miss = 0, mc = 0, nm = 0, nc = 0;
  uint64_t s[MT__MAXW];
  for (size_t w = 0; w < e->w; w++) {
    uint64_t ov = overlay != NULL ? overlay[w] : 0;
    uint64_t c = r->cert[w][slot] | ov;
    s[w] = r->skills[w][slot] | ov;
    miss += mt__popcount(v->must[w] & ~s[w]);
    mc += mt__popcount(v->must[w] & c);
    nm += mt__popcount(v->nice[w] & s[w]);
    nc += mt__popcount(v->nice[w] & c);
  }
  float course = r->course[v->vocation][slot];
  course = mt__fsel(course > overlay_course, course, overlay_course);
  mt__pair_eval(e, v, miss, mc, nm, nc, r->edu[slot], r->smk[slot], v->commute[r->kel[slot]],
                course, r->pref[slot], r->shifts[slot], r->mult[slot], out);
  if (r->status[slot] != MT_R_ELIGIBLE)
    return (enum mt_reason)r->status[slot];
  if (v->status != MT_R_ELIGIBLE)
    return (enum mt_reason)v->status;
  if (v->min_edu != MT_EDU_UNKNOWN && r->edu[slot] < v->min_edu)
    return MT_R_EDUCATION;
  if (r->age[slot] < v->min_age || (v->max_age != 0 && r->age[slot] > v->max_age))
    return MT_R_VACANCY_AGE_LIMIT;
  if (miss != 0) {
    if (!reasons)
      return MT_R_MISSING_SKILLS;
    for (size_t t = 0; t < v->n_train_sets; t++) {
      int subset = 1;
      for (size_t w = 0; w < e->w; w++)
        if (v->train_sets[t * e->w + w] & ~s[w])
          subset = 0;
      if (subset)
        return MT_R_MISSING_SKILLS_TRAINABLE;
    }
    return MT_R_MISSING_SKILLS;
  }
  if (out->fit < e->min_fit)
    return MT_R_BELOW_MIN_FIT;
  return MT_R_ELIGIBLE;
}
