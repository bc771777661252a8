/*
 * score.c — eligibility and scoring of resident–vacancy pairs.  The kernel
 * scores resident slots against one vacancy in two phases.  The first
 * applies every rule that needs no arithmetic (resident status, education,
 * age, must-have skills) to a block of lanes; it is integer work on a few
 * dense arrays, and at city scale only about one pair in a hundred passes.
 * The second computes the fit score and the ranking key only for the pairs
 * that passed, so the floating-point work follows the eligible pairs rather
 * than all pairs.  In block mode (the match run, the training plan) a chunk
 * of MT__CHUNK lanes with many such pairs is scored in place and the few
 * pairs of sparse chunks are gathered into one vector; in scan mode (a
 * vacancy's ranking) the passing pairs of many blocks are gathered, so the
 * vectors run full, and only ranked pairs come back.  Every loop over lanes
 * has a constant trip count and no branches, so the compiler vectorises it.
 * The kernel is compiled for AVX-512 (vector popcount, permutes, one
 * instance per skill-word count), AVX2, POPCNT and the baseline, and the
 * engine picks one at creation from what the CPU supports.  The scalar path
 * scores a single pair with the same arithmetic (mt__pair_eval), for
 * explanations and the per-resident queries.
 */
#include "matcher_int.h"

#include <string.h>

/* ---- the kernel ------------------------------------------------------------------ */

#if defined(__GNUC__) && !defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
#define HAVE_LOOKUP128 1
typedef float mt__v16sf __attribute__((vector_size(64)));
typedef int32_t mt__v16si __attribute__((vector_size(64)));

/* out[i] = tab[kel of lane i] for one chunk, tab padded to 128 entries: two
 * 32-entry permutes per group of 32, blended by the index's high bits.  The
 * auto-vectoriser would emulate this gather with sixteen scalar loads; with
 * AVX-512 permutes it is a handful of instructions. */
_Static_assert(MT__CHUNK == 16, "lookup128 fills one chunk with one vector");
static inline __attribute__((always_inline)) void lookup128(const float *tab, const uint32_t *pb,
                                                            float *out) {
  mt__v16sf t[8];
  memcpy(t, tab, sizeof t);
  mt__v16si b;
  memcpy(&b, pb, sizeof b);
  const mt__v16si idx = b & 0x7F, lo = idx & 31, hi = idx >> 5;
  mt__v16si r = (mt__v16si)__builtin_shuffle(t[0], t[1], lo);
  for (int g = 1; g < 4; g++) {
    const mt__v16si x = (mt__v16si)__builtin_shuffle(t[2 * g], t[2 * g + 1], lo);
    const mt__v16si m = hi == g;
    r = (r & ~m) | (x & m);
  }
  memcpy(out, &r, sizeof r);
}
#else
#define HAVE_LOOKUP128 0
#endif

/* A chunk with at most this many lanes to score is sparse: its lanes are
 * gathered with other sparse chunks' into one vector.  At city scale a chunk
 * that has any usually has one or two, and a vector pass for each such chunk
 * would cost several times more. */
#define MT__SPARSE 3

/* Phase 1 over the whole block: lack[i] != 0 when lane i misses a must-have
 * skill, tr[i] != 0 when a course could fill what it misses (only computed
 * with reasons), then every lane's code, with 0 standing for "passed the
 * rules, score it" (pass[i] set).  Returns the mask of chunks that have a
 * lane to score, and sets in *dense (zero on entry) those that have more
 * than MT__SPARSE; *max_rule is the largest code of the lanes that failed a
 * rule (MT__K_RESIDENT when none did). */
static inline __attribute__((always_inline)) uint32_t
phase_rules(struct mt__kargs *a, uint32_t *pass, uint32_t *dense, float *max_rule) {
  const struct mt_engine *e = a->e;
  const struct mt__vacancy *v = a->v;
  const struct mt__residents *r = &e->r;
  const size_t i0 = a->i0;
  /* Nothing is trainable unless reasons are asked for, and nothing lacks a
   * skill when the vacancy lists none: read constant zeros rather than
   * clearing arrays for every block. */
  static const uint32_t no_train[MT__BLOCK];
  static const uint64_t no_lack[MT__BLOCK];
  uint32_t trb[MT__BLOCK];
  uint64_t lackb[MT__BLOCK];
  const uint32_t *tr = no_train;
  const uint64_t *lack = no_lack;

  if (a->reasons && v->n_train_sets > 0) {
    /* trainable: the resident holds every skill of some train set, i.e.
     * the set minus its skills is empty in every word the vacancy uses.
     * A set is a non-empty subset of the must-haves, so n_rel > 0. */
    for (size_t t = 0; t < v->n_train_sets; t++) {
      const uint64_t *set = &v->train_sets[t * e->w];
      uint64_t acc[MT__BLOCK];
      const uint64_t *S0 = r->skills[v->rel[0]] + i0;
      for (size_t i = 0; i < MT__BLOCK; i++)
        acc[i] = set[v->rel[0]] & ~S0[i];
      for (size_t j = 1; j < v->n_rel; j++) {
        const uint64_t *S = r->skills[v->rel[j]] + i0;
        const uint64_t m = set[v->rel[j]];
        for (size_t i = 0; i < MT__BLOCK; i++)
          acc[i] |= m & ~S[i];
      }
      if (t == 0)
        for (size_t i = 0; i < MT__BLOCK; i++)
          trb[i] = acc[i] == 0;
      else
        for (size_t i = 0; i < MT__BLOCK; i++)
          trb[i] |= acc[i] == 0;
    }
    tr = trb;
  }
  for (size_t j = 0; j < v->n_rel; j++) {
    const size_t w = v->rel[j];
    const uint64_t mu = v->must[w];
    if (mu == 0)
      continue;
    const uint64_t *S = r->skills[w] + i0;
    const uint64_t ov = a->overlay != NULL ? a->overlay[w] : 0;
    if (lack == no_lack)
      for (size_t i = 0; i < MT__BLOCK; i++)
        lackb[i] = mu & ~(S[i] | ov);
    else
      for (size_t i = 0; i < MT__BLOCK; i++)
        lackb[i] |= mu & ~(S[i] | ov);
    lack = lackb;
  }

  const uint32_t *pa = r->pa + i0;
  const uint32_t min_age = v->min_age, max_age = v->max_age != 0 ? v->max_age : 0xFF;
  const uint32_t min_edu = v->min_edu;
  float *key = a->key, *fit = a->fit;
  int32_t mo = INT32_MIN;
  for (size_t i = 0; i < MT__BLOCK; i++) {
    const uint32_t A = pa[i];
    const uint32_t status = A & 0xFFu, age = (A >> 8) & 0xFFu, edu = (A >> 16) & 0xFu;
    const int edu_ok = (min_edu == MT_EDU_UNKNOWN) | (edu >= min_edu);
    const int age_ok = (age >= min_age) & (age <= max_age);
    const int res_ok = status == MT_R_ELIGIBLE;
    const int skills_ok = lack[i] == 0;
    float code = mt__fsel(skills_ok, 0.0f, mt__fsel(tr[i] != 0, MT__K_TRAINABLE, MT__K_MISSING));
    code = mt__fsel(age_ok, code, MT__K_AGE);
    code = mt__fsel(edu_ok, code, MT__K_EDUCATION);
    code = mt__fsel(res_ok, code, MT__K_RESIDENT);
    const int ok = res_ok & edu_ok & age_ok & skills_ok;
    key[i] = code;
    fit[i] = -1.0f;
    pass[i] = (uint32_t)ok;
    const int32_t ob = mt__order_bits(mt__fsel(ok, MT__K_RESIDENT, code));
    mo = ob > mo ? ob : mo;
  }
  *max_rule = mt__unorder_bits(mo);
  uint32_t chunks = 0;
  for (size_t c = 0; c < MT__BLOCK / MT__CHUNK; c++) {
    uint32_t n = 0;
    for (size_t i = 0; i < MT__CHUNK; i++)
      n += pass[c * MT__CHUNK + i];
    chunks |= (uint32_t)(n != 0) << c;
    *dense |= (uint32_t)(n > MT__SPARSE) << c;
  }
  return chunks;
}

/* The words of the skill bitsets the vacancy uses, for one block, with a
 * course overlay. */
struct words {
  size_t n;
  const uint64_t *S[MT__MAXW], *C[MT__MAXW];
  uint64_t mu[MT__MAXW], ni[MT__MAXW], ov[MT__MAXW];
};

/* The vacancy's words, the arrays indexed from slot base. */
static inline __attribute__((always_inline)) void words_of(const struct mt__kargs *a, size_t base,
                                                           struct words *wd) {
  const struct mt__vacancy *v = a->v;
  const struct mt__residents *r = &a->e->r;
  wd->n = v->n_rel;
  for (size_t j = 0; j < v->n_rel; j++) {
    const size_t w = v->rel[j];
    wd->S[j] = r->skills[w] + base;
    wd->C[j] = r->cert[w] + base;
    wd->mu[j] = v->must[w];
    wd->ni[j] = v->nice[w];
    wd->ov[j] = a->overlay != NULL ? a->overlay[w] : 0;
  }
}

/* One vector's worth (MT__CHUNK lanes) of phase 2's inputs: either a chunk
 * of the resident arrays in place, or lanes gathered from sparse chunks
 * into a staging copy. */
struct lanes {
  const uint32_t *pa, *pb, *ok;
  const float *course, *mult, *code0;
  const uint64_t *S[MT__MAXW], *C[MT__MAXW];
};

/* Phase 2 over one vector of lanes: the skill counts, the fit score and the
 * key of the lanes that passed the rules (ok[i] set); the others keep their
 * code0.  Writes kout and fout and updates the largest key (*mk, as float
 * bits).  nw >= 0: the counts come from nw words read in
 * the pair loop (a constant in every instance, so the word loop unrolls and
 * the pair loop stays one vector body; it needs a vector popcount);
 * nw < 0: from arrays counted word by word first. */
static inline __attribute__((always_inline)) void
phase_score(const struct mt__kargs *a, const struct words *wd, const struct lanes *L, int nw,
            int permute, float *kout, float *fout, int32_t *mk) {
  const struct mt_engine *e = a->e;
  const struct mt__vacancy *v = a->v;
  uint32_t ms[MT__CHUNK], cs[MT__CHUNK], ns[MT__CHUNK], ncs[MT__CHUNK];
  float cm[MT__CHUNK];

  if (nw < 0) {
    memset(ms, 0, sizeof ms);
    memset(cs, 0, sizeof cs);
    memset(ns, 0, sizeof ns);
    memset(ncs, 0, sizeof ncs);
    for (size_t j = 0; j < wd->n; j++) {
      const uint64_t *S = L->S[j], *C = L->C[j];
      const uint64_t mu = wd->mu[j], ni = wd->ni[j], ov = wd->ov[j];
      for (size_t i = 0; i < MT__CHUNK; i++) {
        const uint64_t sk = S[i] | ov, ce = C[i] | ov;
        ms[i] += mt__popcount(mu & ~sk);
        cs[i] += mt__popcount(mu & ce);
        ns[i] += mt__popcount(ni & sk);
        ncs[i] += mt__popcount(ni & ce);
      }
    }
  }
  int looked_up = 0;
#if HAVE_LOOKUP128
  if (permute && e->n_kel < 128) {
    lookup128(v->commute, L->pb, cm);
    looked_up = 1;
  }
#endif
  (void)permute;
  if (!looked_up)
    for (size_t i = 0; i < MT__CHUNK; i++)
      cm[i] = v->commute[L->pb[i] & 0xFFFFu];

  const uint32_t *pa = L->pa, *pb = L->pb, *ok = L->ok;
  const float *course = L->course, *mult = L->mult, *code0 = L->code0;
  const float oc = a->overlay_course, min_fit = e->min_fit;
  int32_t k = *mk;
  for (size_t i = 0; i < MT__CHUNK; i++) {
    uint32_t m_s, c_s, n_s, nc_s;
    if (nw < 0) {
      m_s = ms[i];
      c_s = cs[i];
      n_s = ns[i];
      nc_s = ncs[i];
    } else {
      m_s = c_s = n_s = nc_s = 0;
      for (int j = 0; j < nw; j++) {
        const uint64_t sk = L->S[j][i] | wd->ov[j], ce = L->C[j][i] | wd->ov[j];
        m_s += mt__popcount(wd->mu[j] & ~sk);
        c_s += mt__popcount(wd->mu[j] & ce);
        n_s += mt__popcount(wd->ni[j] & sk);
        nc_s += mt__popcount(wd->ni[j] & ce);
      }
    }
    struct mt__pair p;
    const uint32_t A = pa[i];
    const uint32_t edu = (A >> 16) & 0xFu, smk = (A >> 20) & 0xFu, shifts = (A >> 24) & 0xFu;
    const float cv = mt__fsel(course[i] > oc, course[i], oc);
    mt__pair_eval(e, v, m_s, c_s, n_s, nc_s, edu, smk, cm[i], cv, pb[i] >> 16, shifts, mult[i], &p);
    const int pass_i = ok[i] != 0;
    const float code =
        mt__fsel(pass_i, mt__fsel(p.fit < min_fit, MT__K_BELOW_MIN, p.key), code0[i]);
    kout[i] = code;
    fout[i] = mt__fsel(pass_i, p.fit, -1.0f);
    /* An integer maximum over float bit patterns: for the non-negative keys
     * the order is the same, and every negative code sorts below them. */
    int32_t kb;
    memcpy(&kb, &code, sizeof kb);
    k = kb > k ? kb : k;
  }
  *mk = k;
}

/* Lanes gathered from anywhere into one vector for phase 2.  Lane t holds
 * the pair at index at[t] of the words' arrays; unused lanes are padded
 * with ok = 0, so they score nothing and change no maximum. */
struct stage {
  size_t n;
  size_t at[MT__CHUNK];
  uint32_t pa[MT__CHUNK], pb[MT__CHUNK], ok[MT__CHUNK];
  float co[MT__CHUNK], mu[MT__CHUNK], code0[MT__CHUNK];
  uint64_t S[MT__MAXW][MT__CHUNK], C[MT__MAXW][MT__CHUNK];
  struct lanes L;
};

static inline __attribute__((always_inline)) void stage_init(struct stage *st,
                                                             const struct words *wd) {
  st->n = 0;
  st->L = (struct lanes){.pa = st->pa,
                         .pb = st->pb,
                         .ok = st->ok,
                         .course = st->co,
                         .mult = st->mu,
                         .code0 = st->code0};
  for (size_t j = 0; j < wd->n; j++) {
    st->L.S[j] = st->S[j];
    st->L.C[j] = st->C[j];
  }
}

/* Stages the pair at index at of wd's arrays, resident slot `slot`. */
static inline __attribute__((always_inline)) void
stage_add(struct stage *st, const struct mt__residents *r, const float *course,
          const struct words *wd, size_t at, size_t slot) {
  const size_t t = st->n++;
  st->at[t] = at;
  st->pa[t] = r->pa[slot];
  st->pb[t] = r->pb[slot];
  st->ok[t] = 1;
  st->co[t] = course[slot];
  st->mu[t] = r->mult[slot];
  st->code0[t] = MT__K_RESIDENT;
  for (size_t j = 0; j < wd->n; j++) {
    st->S[j][t] = wd->S[j][at];
    st->C[j][t] = wd->C[j][at];
  }
}

/* Scores the staged lanes into kout and fout, then empties the stage (the
 * caller reads st->at for the first n lanes before staging more). */
static inline __attribute__((always_inline)) size_t
stage_score(const struct mt__kargs *a, const struct words *wd, int nw, int permute,
            struct stage *st, float *kout, float *fout, int32_t *mk) {
  const size_t n = st->n;
  for (size_t t = n; t < MT__CHUNK; t++) {
    st->pa[t] = st->pb[t] = st->ok[t] = 0;
    st->co[t] = -1.0f;
    st->mu[t] = 1.0f;
    st->code0[t] = MT__K_RESIDENT;
    for (size_t j = 0; j < wd->n; j++)
      st->S[j][t] = st->C[j][t] = 0;
  }
  phase_score(a, wd, &st->L, nw, permute, kout, fout, mk);
  st->n = 0;
  return n;
}

/* Block mode: scores the staged lanes and writes their keys and fits back
 * to the block's lanes. */
static inline __attribute__((always_inline)) void stage_flush_block(struct mt__kargs *a,
                                                                    const struct words *wd, int nw,
                                                                    int permute, struct stage *st,
                                                                    int32_t *mk) {
  float kout[MT__CHUNK], fout[MT__CHUNK];
  const size_t n = stage_score(a, wd, nw, permute, st, kout, fout, mk);
  for (size_t t = 0; t < n; t++) {
    a->key[st->at[t]] = kout[t];
    a->fit[st->at[t]] = fout[t];
  }
}

/* Block mode, phase 2 over every lane that passed the rules.  A dense chunk
 * is scored in place; the lanes of sparse chunks are staged, so that one
 * vector serves lanes from several chunks (at city scale a block has two or
 * three such lanes, spread over as many chunks). */
static inline __attribute__((always_inline)) void
score_passed(struct mt__kargs *a, const struct words *wd, int nw, const uint32_t *pass,
             uint32_t chunks, uint32_t dense, int permute, int32_t *mk) {
  const struct mt__residents *r = &a->e->r;
  const size_t i0 = a->i0;
  const float *course = r->course[a->v->vocation];
  float kout[MT__CHUNK], fout[MT__CHUNK];

  for (uint32_t m = dense; m != 0; m &= m - 1) {
    const size_t c0 = (size_t)__builtin_ctz(m) * MT__CHUNK;
    struct lanes L = {.pa = r->pa + i0 + c0,
                      .pb = r->pb + i0 + c0,
                      .ok = pass + c0,
                      .course = course + i0 + c0,
                      .mult = r->mult + i0 + c0,
                      .code0 = a->key + c0};
    for (size_t j = 0; j < wd->n; j++) {
      L.S[j] = wd->S[j] + c0;
      L.C[j] = wd->C[j] + c0;
    }
    phase_score(a, wd, &L, nw, permute, kout, fout, mk);
    memcpy(a->key + c0, kout, sizeof kout);
    memcpy(a->fit + c0, fout, sizeof fout);
  }

  struct stage st;
  stage_init(&st, wd);
  for (uint32_t m = chunks & ~dense; m != 0; m &= m - 1) {
    const size_t c0 = (size_t)__builtin_ctz(m) * MT__CHUNK;
    if (st.n > MT__CHUNK - MT__SPARSE)
      stage_flush_block(a, wd, nw, permute, &st, mk);
    for (size_t i = c0; i < c0 + MT__CHUNK; i++)
      if (pass[i])
        stage_add(&st, r, course, wd, i, i0 + i);
  }
  if (st.n > 0)
    stage_flush_block(a, wd, nw, permute, &st, mk);
}

/* Scan mode: every block of [i0, i_end) through the rules, every passing
 * lane staged, wherever it lies, and every ranked pair emitted.  Staging
 * across blocks fills whole vectors: at city scale one vacancy's few hundred
 * passing pairs take a few dozen vector passes instead of one or more per
 * block.  The passing lanes' data is scattered over arrays phase 1 did not
 * read, so a block's lanes are prefetched when found and staged only after
 * the next block's rules have run, by which time the lines have arrived.
 * wd's arrays are indexed by slot. */
static inline __attribute__((always_inline)) void scan(struct mt__kargs *a, const struct words *wd,
                                                       int nw, int permute) {
  const struct mt__residents *r = &a->e->r;
  const float *course = r->course[a->v->vocation];
  const size_t i_begin = a->i0, i_end = a->i_end;
  float kout[MT__CHUNK], fout[MT__CHUNK];
  int32_t mk = INT32_MIN; /* scan mode emits keys; the maximum goes unused */
  uint32_t pass[MT__BLOCK], found[2][MT__BLOCK];
  size_t n_found[2] = {0, 0};
  struct stage st;
  stage_init(&st, wd);
  a->n_emit = 0;
  for (size_t i0 = i_begin, b = 0;; i0 += MT__BLOCK, b ^= 1) {
    /* this block's passing lanes into found[b], prefetched */
    n_found[b] = 0;
    if (i0 < i_end) {
      uint32_t dense = 0;
      float max_rule;
      a->i0 = i0;
      for (uint32_t m = phase_rules(a, pass, &dense, &max_rule); m != 0; m &= m - 1) {
        const size_t c0 = (size_t)__builtin_ctz(m) * MT__CHUNK;
        for (size_t i = c0; i < c0 + MT__CHUNK; i++)
          if (pass[i]) {
            const size_t slot = i0 + i;
            found[b][n_found[b]++] = (uint32_t)slot;
            __builtin_prefetch(r->pa + slot);
            __builtin_prefetch(r->pb + slot);
            __builtin_prefetch(course + slot);
            __builtin_prefetch(r->mult + slot);
            for (size_t j = 0; j < wd->n; j++) {
              __builtin_prefetch(wd->S[j] + slot);
              __builtin_prefetch(wd->C[j] + slot);
            }
          }
      }
    }
    /* the previous block's lanes staged, scored a vector at a time */
    const uint32_t *prev = found[b ^ 1];
    const int last = i0 >= i_end;
    for (size_t t = 0;; t++) {
      if (st.n == MT__CHUNK || (last && t == n_found[b ^ 1] && st.n > 0)) {
        const size_t n = stage_score(a, wd, nw, permute, &st, kout, fout, &mk);
        for (size_t u = 0; u < n; u++)
          if (kout[u] >= 0.0f)
            a->emit[a->n_emit++] = (struct mt__ranked){(uint32_t)st.at[u], kout[u], fout[u]};
      }
      if (t == n_found[b ^ 1])
        break;
      stage_add(&st, r, course, wd, prev[t], prev[t]);
    }
    if (last)
      break;
  }
  a->i0 = i_begin;
}

/* The block outputs that follow from the rules pass and phase 2. */
static inline __attribute__((always_inline)) void block_finish(struct mt__kargs *a, uint32_t chunks,
                                                               float max_rule, int32_t mk) {
  const float *key = a->key;
  int32_t *best = a->best;
  if (best != NULL)
    for (size_t i = 0; i < MT__BLOCK; i++) {
      const int32_t b = mt__order_bits(key[i]);
      best[i] = b > best[i] ? b : best[i];
    }
  /* Negative codes compare wrongly as integers among themselves; only
   * whether the maximum is a key matters to callers, so map them to -1. */
  float fk;
  memcpy(&fk, &mk, sizeof fk);
  a->max_key = mk >= 0 ? fk : -1.0f;
  /* A lane that passed the rules ends with a key or MT__K_BELOW_MIN, both
   * above every rule's code. */
  a->max_code = chunks == 0 ? max_rule : mk >= 0 ? a->max_key : MT__K_BELOW_MIN;
  a->chunks = chunks;
}

/* The kernel for targets without a vector popcount: skill counts word by
 * word into arrays, commute values by scalar lookup. */
static inline __attribute__((always_inline)) void kernel_plain(struct mt__kargs *a) {
  struct words wd;
  if (a->emit != NULL) {
    words_of(a, 0, &wd);
    scan(a, &wd, -1, 0);
    return;
  }
  uint32_t pass[MT__BLOCK], dense = 0;
  float max_rule;
  const uint32_t chunks = phase_rules(a, pass, &dense, &max_rule);
  int32_t mk = INT32_MIN;
  if (chunks != 0) {
    words_of(a, a->i0, &wd);
    score_passed(a, &wd, -1, pass, chunks, dense, 0, &mk);
  }
  block_finish(a, chunks, max_rule, mk);
}

/* The AVX-512 kernel: vector popcount, so phase 2 reads the skill words in
 * its pair loop, with one instance per word count (only this target gets
 * them, which keeps unoptimised and sanitizer builds of this file small);
 * commute values by vector permutes. */
#define MT__WORD_COUNTS(CASE)                                                                      \
  CASE(0) CASE(1) CASE(2) CASE(3) CASE(4) CASE(5) CASE(6) CASE(7) CASE(8)
_Static_assert(MT__MAXW == 8, "one fused instance per possible word count");

static inline __attribute__((always_inline)) void kernel_fused(struct mt__kargs *a) {
  struct words wd;
  if (a->emit != NULL) {
    words_of(a, 0, &wd);
    switch (a->v->n_rel) {
#define MT__SCAN(n)                                                                                \
  case n:                                                                                          \
    scan(a, &wd, n, 1);                                                                            \
    return;
      MT__WORD_COUNTS(MT__SCAN)
#undef MT__SCAN
    default: /* not reached: n_rel <= MT__MAXW */
      scan(a, &wd, -1, 1);
      return;
    }
  }
  uint32_t pass[MT__BLOCK], dense = 0;
  float max_rule;
  const uint32_t chunks = phase_rules(a, pass, &dense, &max_rule);
  int32_t mk = INT32_MIN;
  if (chunks != 0) {
    words_of(a, a->i0, &wd);
    switch (a->v->n_rel) {
#define MT__PASSED(n)                                                                              \
  case n:                                                                                          \
    score_passed(a, &wd, n, pass, chunks, dense, 1, &mk);                                          \
    break;
      MT__WORD_COUNTS(MT__PASSED)
#undef MT__PASSED
    default: /* not reached: n_rel <= MT__MAXW */
      score_passed(a, &wd, -1, pass, chunks, dense, 1, &mk);
      break;
    }
  }
  block_finish(a, chunks, max_rule, mk);
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
__attribute__((
    target("avx512f,avx512bw,avx512dq,avx512vl,avx512vpopcntdq,popcnt,bmi,bmi2"))) static void
kernel_avx512(struct mt__kargs *a) {
  kernel_fused(a);
}

__attribute__((target("avx2,popcnt,bmi,bmi2"))) static void kernel_avx2(struct mt__kargs *a) {
  kernel_plain(a);
}

__attribute__((target("popcnt"))) static void kernel_popcnt(struct mt__kargs *a) {
  kernel_plain(a);
}
#endif

static void kernel_default(struct mt__kargs *a) {
  kernel_plain(a);
}

size_t mt__kernels(mt__kernel_fn *out, size_t cap) {
  size_t n = 0;
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  if (n < cap && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512vpopcntdq"))
    out[n++] = kernel_avx512;
  if (n < cap && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") &&
      __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2"))
    out[n++] = kernel_avx2;
  if (n < cap && __builtin_cpu_supports("popcnt"))
    out[n++] = kernel_popcnt;
#endif
  if (n < cap)
    out[n++] = kernel_default;
  return n;
}

mt__kernel_fn mt__kernel_select(void) {
  mt__kernel_fn best;
  mt__kernels(&best, 1);
  return best;
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

/* The few words a vacancy lists skills in are the only ones that count;
 * the popcnt clone serves the CPUs that have the instruction (all x86-64
 * since 2008) without making the build require it. */
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__)) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
enum mt_reason
mt__pair_score(const struct mt_engine *e, size_t slot, const struct mt__vacancy *v,
               const uint64_t *overlay, float overlay_course, int reasons, struct mt__pair *out) {
  const struct mt__residents *r = &e->r;
  uint32_t miss = 0, mc = 0, nm = 0, nc = 0;
  uint64_t s[MT__MAXW];
  for (size_t j = 0; j < v->n_rel; j++) {
    const size_t w = v->rel[j];
    uint64_t ov = overlay != NULL ? overlay[w] : 0;
    uint64_t c = r->cert[w][slot] | ov;
    s[j] = r->skills[w][slot] | ov;
    miss += mt__popcount(v->must[w] & ~s[j]);
    mc += mt__popcount(v->must[w] & c);
    nm += mt__popcount(v->nice[w] & s[j]);
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
    /* Train sets are subsets of the must-haves, so the listed words suffice. */
    for (size_t t = 0; t < v->n_train_sets; t++) {
      int subset = 1;
      for (size_t j = 0; j < v->n_rel; j++)
        if (v->train_sets[t * e->w + v->rel[j]] & ~s[j])
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
