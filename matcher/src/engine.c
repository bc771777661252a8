/*
 * engine.c — building, updating and freeing an engine snapshot.  Input
 * records are checked, copied into the compact layout of matcher_int.h, and
 * everything that depends on one record plus the configuration is derived
 * here: a resident's age, eligibility status, priority and per-sector course
 * value; a vacancy's status, skill coefficients, commute table and the sets
 * that decide whether missing skills are trainable; the kelurahan distance
 * matrix.  Updates allocate everything they need before touching the engine,
 * so MT_ENOMEM and MT_EINVAL leave it exactly as it was.
 */
#include "matcher_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers -------------------------------------------------------------- */

static char *copy_str(const char *s) {
  if (s == NULL)
    s = "";
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (p != NULL)
    memcpy(p, s, n);
  return p;
}

/* 64-byte aligned, size rounded up as aligned_alloc requires; freed with free. */
static void *alloc_aligned(size_t size) {
  size_t n = (size + 63u) & ~(size_t)63u;
  if (n == 0)
    n = 64;
  return aligned_alloc(64, n);
}

/* Slots for n residents: a whole number of kernel blocks, at least one. */
static size_t round_cap(size_t n) {
  return n == 0 ? MT__BLOCK : (n + MT__BLOCK - 1) / MT__BLOCK * MT__BLOCK;
}

/* ---- dates ---------------------------------------------------------------------- */

/* Civil calendar from days since 1970-01-01 (proleptic Gregorian), by counting
 * 400-year eras of 146097 days that start on 1 March, so that the leap day
 * falls at the end of each computed year. */
void mt__days_to_date(int32_t days, int32_t *y, int32_t *m, int32_t *d) {
  int64_t z = (int64_t)days + 719468; /* days from 0000-03-01 */
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;                                      /* [0, 146096] */
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
  int64_t mp = (5 * doy + 2) / 153;                                    /* March = 0 */
  int64_t dd = doy - (153 * mp + 2) / 5 + 1;
  int64_t mm = mp < 10 ? mp + 3 : mp - 9;
  int64_t yy = yoe + era * 400 + (mm <= 2 ? 1 : 0);
  *y = (int32_t)yy;
  *m = (int32_t)mm;
  *d = (int32_t)dd;
}

int32_t mt__date_to_days(int32_t y, int32_t m, int32_t d) {
  int64_t yy = (int64_t)y - (m <= 2 ? 1 : 0);
  int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  int64_t yoe = yy - era * 400;
  int64_t mp = m > 2 ? m - 3 : m + 9;
  int64_t doy = (153 * mp + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + doe - 719468);
}

/* Whole years from birth to today; negative when born after today. */
static int age_years(int32_t birth, int32_t today) {
  int32_t by, bm, bd, ty, tm, td;
  mt__days_to_date(birth, &by, &bm, &bd);
  mt__days_to_date(today, &ty, &tm, &td);
  int age = ty - by;
  if (tm < bm || (tm == bm && td < bd))
    age--;
  return age;
}

/* ---- id map ------------------------------------------------------------------- */

static size_t id_hash(uint32_t id, size_t mask) {
  return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

size_t mt__idmap_get(const struct mt__idmap *m, uint32_t id) {
  if (m->keys == NULL)
    return SIZE_MAX;
  for (size_t h = id_hash(id, m->mask);; h = (h + 1) & m->mask) {
    if (m->slots[h] == 0)
      return SIZE_MAX;
    if (m->keys[h] == id)
      return m->slots[h] - 1;
  }
}

static void idmap_free(struct mt__idmap *m) {
  free(m->keys);
  free(m->slots);
  memset(m, 0, sizeof *m);
}

static void idmap_insert_raw(struct mt__idmap *m, uint32_t id, size_t slot) {
  size_t h = id_hash(id, m->mask);
  while (m->slots[h] != 0 && m->keys[h] != id)
    h = (h + 1) & m->mask;
  if (m->slots[h] == 0)
    m->n++;
  m->keys[h] = id;
  m->slots[h] = (uint32_t)(slot + 1);
}

/* Makes room for n entries at load ≤ 1/2; allocation happens only here. */
static enum mt_status idmap_reserve(struct mt__idmap *m, size_t n) {
  size_t buckets = m->keys != NULL ? m->mask + 1 : 0;
  if (n * 2 <= buckets)
    return MT_OK;
  size_t nb = 16;
  while (nb < n * 2)
    nb *= 2;
  struct mt__idmap nm = {0};
  nm.keys = calloc(nb, sizeof *nm.keys);
  nm.slots = calloc(nb, sizeof *nm.slots);
  if (nm.keys == NULL || nm.slots == NULL) {
    idmap_free(&nm);
    return MT_ENOMEM;
  }
  nm.mask = nb - 1;
  for (size_t i = 0; i < buckets; i++)
    if (m->slots[i] != 0)
      idmap_insert_raw(&nm, m->keys[i], m->slots[i] - 1);
  idmap_free(m);
  *m = nm;
  return MT_OK;
}

/* Removes id, shifting later entries of its probe run back. */
static void idmap_delete(struct mt__idmap *m, uint32_t id) {
  size_t h = id_hash(id, m->mask);
  while (m->slots[h] != 0 && m->keys[h] != id)
    h = (h + 1) & m->mask;
  if (m->slots[h] == 0)
    return;
  m->slots[h] = 0;
  m->n--;
  size_t hole = h;
  for (size_t j = (h + 1) & m->mask; m->slots[j] != 0; j = (j + 1) & m->mask) {
    size_t home = id_hash(m->keys[j], m->mask);
    /* Move j into the hole unless its home lies cyclically in (hole, j]. */
    int stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (!stays) {
      m->keys[hole] = m->keys[j];
      m->slots[hole] = m->slots[j];
      m->slots[j] = 0;
      hole = j;
    }
  }
}

/* ---- distances ------------------------------------------------------------------ */

static double haversine_km(double lat1, double lon1, double lat2, double lon2) {
  const double rad = 3.14159265358979323846 / 180.0;
  double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
  double a = sin(dlat / 2) * sin(dlat / 2) +
             cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
  if (a > 1.0)
    a = 1.0;
  return 2.0 * MT__EARTH_KM * asin(sqrt(a));
}

static void compute_distances(struct mt_engine *e) {
  for (size_t i = 0; i < e->n_kel; i++)
    for (size_t j = 0; j < e->n_kel; j++)
      e->dist[i * e->n_kel + j] =
          (float)(haversine_km(e->kel[i].lat, e->kel[i].lon, e->kel[j].lat, e->kel[j].lon) *
                  e->cfg.road_factor);
}

double mt__distance_km(const struct mt_engine *e, uint16_t from, uint16_t to) {
  if (from >= e->n_kel || to >= e->n_kel)
    return -1.0;
  return e->dist[(size_t)from * e->n_kel + to];
}

/* ---- courses ---------------------------------------------------------------------- */

static void course_outcomes(const struct mt_engine *e, struct mt__course *c) {
  for (size_t s = 0; s < MT_N_VOCATIONS; s++) {
    if (c->completed > 0 && c->placed_by_sector[s] > 0) {
      double rate = (double)c->placed_by_sector[s] / c->completed / e->cfg.course_rate_full;
      c->sector_value[s] = (float)(rate > 1.0 ? 1.0 : rate);
    } else {
      c->sector_value[s] = -1.0f;
    }
  }
  double rate = c->enrolled > 0 ? (double)c->placed_6m / c->enrolled : 0.0;
  c->placement_rate = rate > 1.0 ? 1.0 : rate;
}

static enum mt_status set_bits(uint64_t *bits, const uint16_t *idx, size_t n, size_t limit) {
  for (size_t i = 0; i < n; i++) {
    if (idx[i] >= limit)
      return MT_EINVAL;
    bits[idx[i] / 64] |= 1ull << (idx[i] % 64);
  }
  return MT_OK;
}

static size_t count_bits(const uint64_t *bits, size_t w) {
  size_t n = 0;
  for (size_t i = 0; i < w; i++)
    n += mt__popcount(bits[i]);
  return n;
}

static enum mt_status course_check(const struct mt_engine *e, const struct mt_course *c) {
  if (c->vocation >= MT_N_VOCATIONS || (c->n_skills > 0 && c->skills == NULL))
    return MT_EINVAL;
  for (size_t i = 0; i < c->n_skills; i++)
    if (c->skills[i] >= e->n_skills)
      return MT_EINVAL;
  return MT_OK;
}

/* ---- residents ------------------------------------------------------------------- */

#define MAX_ARRAYS (1 + 2 * MT__MAXW + 9 + MT_N_VOCATIONS + 4)

/* Lists the resident arrays with their element sizes, so that allocation,
 * growth and slot moves treat them alike. */
static size_t resident_arrays(struct mt__residents *r, size_t w, size_t cw, void **ptrs[],
                              size_t sizes[]) {
  size_t n = 0;
#define ARR(p, sz)                                                                                 \
  do {                                                                                             \
    ptrs[n] = (void **)&(p);                                                                       \
    sizes[n] = (sz);                                                                               \
    n++;                                                                                           \
  } while (0)
  ARR(r->id, sizeof *r->id);
  for (size_t i = 0; i < w; i++) {
    ARR(r->skills[i], sizeof(uint64_t));
    ARR(r->cert[i], sizeof(uint64_t));
  }
  ARR(r->status, 1);
  ARR(r->age, 1);
  ARR(r->edu, 1);
  ARR(r->smk, 1);
  ARR(r->shifts, 1);
  ARR(r->kel, sizeof(uint16_t));
  ARR(r->pref, sizeof(uint16_t));
  ARR(r->pa, sizeof(uint32_t));
  ARR(r->pb, sizeof(uint32_t));
  for (size_t s = 0; s < MT_N_VOCATIONS; s++)
    ARR(r->course[s], sizeof(float));
  ARR(r->prio, sizeof(float));
  ARR(r->mult, sizeof(float));
  ARR(r->cold, sizeof(struct mt__rcold));
  ARR(r->courses, cw * sizeof(uint64_t));
#undef ARR
  return n;
}

static void residents_free(struct mt__residents *r, size_t w, size_t cw) {
  void **ptrs[MAX_ARRAYS];
  size_t sizes[MAX_ARRAYS];
  size_t n = resident_arrays(r, w, cw, ptrs, sizes);
  for (size_t i = 0; i < n; i++) {
    free(*ptrs[i]);
    *ptrs[i] = NULL;
  }
  r->n = r->cap = 0;
}

static void resident_pack(struct mt__residents *r, size_t i) {
  r->pa[i] = (uint32_t)r->status[i] | (uint32_t)r->age[i] << 8 | (uint32_t)r->edu[i] << 16 |
             (uint32_t)r->smk[i] << 20 | (uint32_t)r->shifts[i] << 24;
  r->pb[i] = (uint32_t)r->kel[i] | (uint32_t)r->pref[i] << 16;
}

static void slot_clear(const struct mt_engine *e, struct mt__residents *r, size_t i) {
  r->id[i] = 0;
  for (size_t k = 0; k < e->w; k++)
    r->skills[k][i] = r->cert[k][i] = 0;
  r->status[i] = MT__SLOT_EMPTY;
  r->age[i] = 0xFF;
  r->edu[i] = r->smk[i] = r->shifts[i] = 0;
  r->kel[i] = (uint16_t)e->n_kel;
  r->pref[i] = 0;
  for (size_t s = 0; s < MT_N_VOCATIONS; s++)
    r->course[s][i] = -1.0f;
  r->prio[i] = 0.0f;
  r->mult[i] = 1.0f;
  memset(&r->cold[i], 0, sizeof r->cold[i]);
  if (e->cw > 0)
    memset(&r->courses[i * e->cw], 0, e->cw * sizeof(uint64_t));
  resident_pack(r, i);
}

/* Allocates arrays of capacity cap into out and copies the n residents of
 * old (which may be empty); out's spare slots are cleared. */
static enum mt_status residents_realloc(const struct mt_engine *e, struct mt__residents *old,
                                        size_t cap, struct mt__residents *out) {
  void **optrs[MAX_ARRAYS], **nptrs[MAX_ARRAYS];
  size_t sizes[MAX_ARRAYS];
  memset(out, 0, sizeof *out);
  size_t n = resident_arrays(out, e->w, e->cw, nptrs, sizes);
  resident_arrays(old, e->w, e->cw, optrs, sizes);
  for (size_t i = 0; i < n; i++) {
    *nptrs[i] = alloc_aligned(sizes[i] * cap);
    if (*nptrs[i] == NULL) {
      residents_free(out, e->w, e->cw);
      return MT_ENOMEM;
    }
    if (old->n > 0)
      memcpy(*nptrs[i], *optrs[i], sizes[i] * old->n);
  }
  out->n = old->n;
  out->cap = cap;
  for (size_t i = out->n; i < cap; i++)
    slot_clear(e, out, i);
  return MT_OK;
}

static void slot_move(const struct mt_engine *e, struct mt__residents *r, size_t from, size_t to) {
  void **ptrs[MAX_ARRAYS];
  size_t sizes[MAX_ARRAYS];
  size_t n = resident_arrays(r, e->w, e->cw, ptrs, sizes);
  for (size_t i = 0; i < n; i++)
    memcpy((char *)*ptrs[i] + to * sizes[i], (char *)*ptrs[i] + from * sizes[i], sizes[i]);
}

enum mt_status mt__residents_gather(const struct mt_engine *e, const uint32_t *slots, size_t n,
                                    struct mt__residents *out) {
  struct mt__residents empty = {0};
  enum mt_status st = residents_realloc(e, &empty, round_cap(n), out);
  if (st != MT_OK)
    return st;
  void **from[MAX_ARRAYS], **to[MAX_ARRAYS];
  size_t sizes[MAX_ARRAYS];
  struct mt__residents *src = (struct mt__residents *)&e->r; /* only read */
  const size_t na = resident_arrays(src, e->w, e->cw, from, sizes);
  resident_arrays(out, e->w, e->cw, to, sizes);
  for (size_t a = 0; a < na; a++)
    for (size_t k = 0; k < n; k++)
      memcpy((char *)*to[a] + k * sizes[a], (const char *)*from[a] + slots[k] * sizes[a], sizes[a]);
  out->n = n;
  return MT_OK;
}

void mt__residents_free(const struct mt_engine *e, struct mt__residents *r) {
  residents_free(r, e->w, e->cw);
}

static enum mt_status resident_check(const struct mt_engine *e, const struct mt_resident *r) {
  if ((r->kelurahan != MT_NO_KELURAHAN && r->kelurahan >= e->n_kel) || r->education > MT_EDU_S2 ||
      r->smk_vocation >= MT_N_VOCATIONS || r->desil > 10 ||
      (r->disability > 1 && r->disability != MT_UNKNOWN_U8) ||
      r->shifts > (MT_SHIFT_DAY | MT_SHIFT_NIGHT | MT_SHIFT_ROTATING) ||
      r->months_without_work < MT_UNKNOWN_I16 || (r->n_skills > 0 && r->skills == NULL) ||
      (r->n_courses_completed > 0 && r->courses_completed == NULL) ||
      (r->n_preferred_vocations > 0 && r->preferred_vocations == NULL))
    return MT_EINVAL;
  for (size_t i = 0; i < r->n_skills; i++)
    if (r->skills[i] >= e->n_skills)
      return MT_EINVAL;
  for (size_t i = 0; i < r->n_courses_completed; i++)
    if (r->courses_completed[i] >= e->n_courses)
      return MT_EINVAL;
  for (size_t i = 0; i < r->n_preferred_vocations; i++)
    if (r->preferred_vocations[i] >= MT_N_VOCATIONS)
      return MT_EINVAL;
  return MT_OK;
}

enum mt_reason mt__resident_status(const struct mt_engine *e, size_t i) {
  const struct mt__residents *r = &e->r;
  const struct mt__rcold *c = &r->cold[i];
  if (c->birth_day == MT_UNKNOWN_DAY)
    return MT_R_AGE_UNKNOWN;
  int age = age_years(c->birth_day, e->cfg.today);
  if (age < e->cfg.min_age || age > e->cfg.max_age)
    return MT_R_NOT_PRODUCTIVE_AGE;
  if (c->employed)
    return MT_R_EMPLOYED;
  if (c->in_school)
    return MT_R_IN_SCHOOL;
  if (c->in_course)
    return MT_R_IN_COURSE;
  if (c->hired)
    return MT_R_ALREADY_HIRED;
  if (c->blocked)
    return MT_R_INTERVENTION;
  if (c->verified_day == MT_UNKNOWN_DAY)
    return MT_R_UNVERIFIED;
  if ((int64_t)e->cfg.today - c->verified_day > e->cfg.verification_valid_days)
    return MT_R_VERIFICATION_EXPIRED;
  return MT_R_ELIGIBLE;
}

/* Recomputes what slot i derives from its record and the configuration. */
static void resident_derive(struct mt_engine *e, size_t i) {
  struct mt__residents *r = &e->r;
  const struct mt__rcold *c = &r->cold[i];
  if (c->birth_day == MT_UNKNOWN_DAY) {
    r->age[i] = 0xFF;
  } else {
    int age = age_years(c->birth_day, e->cfg.today);
    r->age[i] = (uint8_t)(age < 0 ? 0 : age > 254 ? 254 : age);
  }
  r->status[i] = (uint8_t)mt__resident_status(e, i);
  for (size_t s = 0; s < MT_N_VOCATIONS; s++)
    r->course[s][i] = -1.0f;
  for (size_t wi = 0; wi < e->cw; wi++) {
    for (uint64_t bits = r->courses[i * e->cw + wi]; bits != 0; bits &= bits - 1) {
      const struct mt__course *co = &e->courses[wi * 64 + (size_t)__builtin_ctzll(bits)];
      for (size_t s = 0; s < MT_N_VOCATIONS; s++)
        if (co->sector_value[s] > r->course[s][i])
          r->course[s][i] = co->sector_value[s];
    }
  }
  double value[MT_N_PRIO];
  uint8_t known[MT_N_PRIO];
  double prio = mt__priority(e, i, value, known);
  r->prio[i] = (float)prio;
  r->mult[i] = (float)(1.0 + e->cfg.lambda * (double)r->prio[i] / 100.0);
  resident_pack(r, i);
}

double mt__priority(const struct mt_engine *e, size_t i, double value[MT_N_PRIO],
                    uint8_t known[MT_N_PRIO]) {
  const struct mt_config *cfg = &e->cfg;
  const struct mt__rcold *c = &e->r.cold[i];
  uint16_t kel = e->r.kel[i];
  memset(known, 0, MT_N_PRIO);
  for (size_t k = 0; k < MT_N_PRIO; k++)
    value[k] = 0.0;
  if (c->desil >= 1) {
    known[MT_PRIO_DESIL] = 1;
    value[MT_PRIO_DESIL] = c->desil <= cfg->desil_extreme ? 1.0
                           : c->desil <= cfg->desil_poor  ? 0.5
                                                          : 0.0;
  }
  if (kel < e->n_kel) {
    known[MT_PRIO_KELURAHAN] = 1;
    value[MT_PRIO_KELURAHAN] = e->kel[kel].priority ? 1.0 : 0.0;
  }
  if (c->months_without_work >= 0) {
    known[MT_PRIO_MONTHS] = 1;
    double v = (double)c->months_without_work / cfg->months_cap;
    value[MT_PRIO_MONTHS] = v > 1.0 ? 1.0 : v;
  }
  if (c->dependants != MT_UNKNOWN_U8) {
    known[MT_PRIO_DEPENDANTS] = 1;
    double v = (double)c->dependants / cfg->dependants_cap;
    value[MT_PRIO_DEPENDANTS] = v > 1.0 ? 1.0 : v;
  }
  if (c->disability != MT_UNKNOWN_U8) {
    known[MT_PRIO_DISABILITY] = 1;
    value[MT_PRIO_DISABILITY] = c->disability == 1 ? 1.0 : 0.0;
  }
  double w[MT_N_PRIO] = {cfg->p_desil, cfg->p_kelurahan, cfg->p_months, cfg->p_dependants,
                         cfg->p_disability};
  double num = 0.0, den = 0.0;
  for (size_t k = 0; k < MT_N_PRIO; k++) {
    num += w[k] * value[k];
    den += w[k];
  }
  return den > 0.0 ? 100.0 * num / den : 0.0;
}

/* Writes a checked record into slot i and derives the rest. */
static void resident_store(struct mt_engine *e, size_t i, const struct mt_resident *in) {
  struct mt__residents *r = &e->r;
  r->id[i] = in->id;
  for (size_t k = 0; k < e->w; k++)
    r->skills[k][i] = r->cert[k][i] = 0;
  for (size_t k = 0; k < in->n_skills; k++) {
    uint16_t s = in->skills[k];
    r->skills[s / 64][i] |= 1ull << (s % 64);
    if (in->skill_certified != NULL && in->skill_certified[k])
      r->cert[s / 64][i] |= 1ull << (s % 64);
  }
  r->edu[i] = in->education;
  r->smk[i] = in->smk_vocation;
  r->shifts[i] = in->shifts;
  r->kel[i] = in->kelurahan == MT_NO_KELURAHAN ? (uint16_t)e->n_kel : in->kelurahan;
  uint16_t pref = 0;
  for (size_t k = 0; k < in->n_preferred_vocations; k++)
    pref |= (uint16_t)(1u << in->preferred_vocations[k]);
  r->pref[i] = pref;
  struct mt__rcold *c = &r->cold[i];
  c->birth_day = in->birth_day;
  c->verified_day = in->verified_day;
  c->months_without_work = in->months_without_work;
  c->desil = in->desil;
  c->sex = in->sex;
  c->disability = in->disability;
  c->dependants = in->dependants;
  c->employed = in->employed != 0;
  c->in_school = in->in_school != 0;
  c->in_course = in->in_course != 0;
  c->hired = in->hired != 0;
  c->blocked = in->blocked != 0;
  if (e->cw > 0) {
    uint64_t *bits = &r->courses[i * e->cw];
    memset(bits, 0, e->cw * sizeof *bits);
    for (size_t k = 0; k < in->n_courses_completed; k++)
      bits[in->courses_completed[k] / 64] |= 1ull << (in->courses_completed[k] % 64);
  }
  resident_derive(e, i);
}

/* ---- vacancies ------------------------------------------------------------------- */

static enum mt_status vacancy_check(const struct mt_engine *e, const struct mt_vacancy *v) {
  if ((v->kelurahan != MT_NO_KELURAHAN && v->kelurahan >= e->n_kel) ||
      v->vocation >= MT_N_VOCATIONS || v->min_education > MT_EDU_S2 ||
      v->smk_vocation >= MT_N_VOCATIONS ||
      v->shifts > (MT_SHIFT_DAY | MT_SHIFT_NIGHT | MT_SHIFT_ROTATING) || v->wage_monthly < 0 ||
      (v->min_age != 0 && v->max_age != 0 && v->min_age > v->max_age) ||
      (v->n_must > 0 && v->must == NULL) || (v->n_nice > 0 && v->nice == NULL))
    return MT_EINVAL;
  for (size_t i = 0; i < v->n_must; i++)
    if (v->must[i] >= e->n_skills)
      return MT_EINVAL;
  for (size_t i = 0; i < v->n_nice; i++)
    if (v->nice[i] >= e->n_skills)
      return MT_EINVAL;
  return MT_OK;
}

/* The minimal sets R_c = must \ skills(c) over all courses c: a resident who
 * misses must-have skills can learn them all in one course exactly when it
 * already holds some R_c.  Sets are deduplicated and supersets dropped, which
 * keeps the kernel's trainability test to a handful of subset checks.
 * *out is malloc'd (NULL when there are none); the caller frees it. */
static enum mt_status train_sets(const struct mt_engine *e, const uint64_t *must, uint64_t **out,
                                 size_t *n_out) {
  size_t w = e->w, n = 0;
  *out = NULL;
  *n_out = 0;
  if (count_bits(must, w) == 0 || e->n_courses == 0)
    return MT_OK;
  uint64_t *sets = malloc(e->n_courses * w * sizeof *sets);
  if (sets == NULL)
    return MT_ENOMEM;
  /* Smallest first, so that a set is dropped only for a kept subset. */
  for (size_t want = 0; want <= MT__MAX_SKILLS; want++) {
    for (size_t c = 0; c < e->n_courses; c++) {
      uint64_t r[MT__MAXW];
      for (size_t k = 0; k < w; k++)
        r[k] = must[k] & ~e->courses[c].skills[k];
      if (count_bits(r, w) != want || count_bits(r, w) == count_bits(must, w))
        continue; /* a course that teaches none of the must-haves helps nobody */
      int covered = 0;
      for (size_t j = 0; j < n && !covered; j++) {
        int subset = 1;
        for (size_t k = 0; k < w; k++)
          if (sets[j * w + k] & ~r[k])
            subset = 0;
        covered = subset;
      }
      if (!covered) {
        memcpy(&sets[n * w], r, w * sizeof *r);
        n++;
      }
    }
    if (want >= count_bits(must, w))
      break;
  }
  if (n == 0) {
    free(sets);
    return MT_OK;
  }
  *out = sets;
  *n_out = n;
  return MT_OK;
}

/* A vacancy's commute table: one value per kelurahan and one for unknown,
 * padded with "unknown" to at least 128 entries so that the kernel can look
 * it up with whole-vector permutes. */
static float *alloc_commute(const struct mt_engine *e) {
  size_t n = e->n_kel + 1 < 128 ? 128 : e->n_kel + 1;
  float *t = alloc_aligned(n * sizeof *t);
  if (t != NULL)
    for (size_t k = 0; k < n; k++)
      t[k] = -1.0f;
  return t;
}

/* Recomputes what a vacancy derives from its record and the configuration;
 * its commute table is already allocated. */
static void vacancy_derive(const struct mt_engine *e, struct mt__vacancy *v) {
  const struct mt_config *cfg = &e->cfg;
  if (!v->open)
    v->status = MT_R_VACANCY_CLOSED;
  else if (v->deadline_day != MT_UNKNOWN_DAY && v->deadline_day < cfg->today)
    v->status = MT_R_DEADLINE_PASSED;
  else if (v->openings_left == 0)
    v->status = MT_R_NO_OPENINGS;
  else
    v->status = MT_R_ELIGIBLE;
  v->n_rel = 0;
  for (size_t k = 0; k < e->w; k++)
    if (v->must[k] | v->nice[k])
      v->rel[v->n_rel++] = (uint8_t)k;
  v->skills_known = v->n_must + v->n_nice > 0;
  v->edu_target = v->smk_vocation != MT_VOC_NONE ? v->smk_vocation : v->vocation;
  double cw = cfg->certified_weight;
  double share_m = v->n_nice == 0 ? 1.0 : v->n_must == 0 ? 0.0 : 1.0 - cfg->nice_share;
  double share_n = v->n_nice == 0 ? 0.0 : v->n_must == 0 ? 1.0 : cfg->nice_share;
  double am = v->n_must > 0 ? share_m / (cw * v->n_must) : 0.0;
  double an = v->n_nice > 0 ? share_n / (cw * v->n_nice) : 0.0;
  v->a_must = (float)am;
  v->b_must = (float)(am * (cw - 1.0));
  v->a_nice = (float)an;
  v->b_nice = (float)(an * (cw - 1.0));
  for (size_t k = 0; k <= e->n_kel; k++) {
    double km = mt__distance_km(e, (uint16_t)k, v->kel);
    if (km < 0.0 || v->wage_monthly <= 0) {
      v->commute[k] = -1.0f;
      continue;
    }
    double cost = 2.0 * km * cfg->cost_per_km * cfg->work_days;
    double share = cost / (cfg->max_commute_share * (double)v->wage_monthly);
    v->commute[k] = (float)(1.0 - (share > 1.0 ? 1.0 : share));
  }
}

static void vacancy_store(struct mt__vacancy *v, const struct mt_vacancy *in, size_t n_kel) {
  v->id = in->id;
  v->employer_id = in->employer_id;
  v->kel = in->kelurahan == MT_NO_KELURAHAN ? (uint16_t)n_kel : in->kelurahan;
  v->vocation = in->vocation;
  v->min_edu = in->min_education;
  v->smk_vocation = in->smk_vocation;
  v->min_age = in->min_age;
  v->max_age = in->max_age;
  v->open = in->open != 0;
  v->shifts = in->shifts;
  v->deadline_day = in->deadline_day;
  v->openings_left = in->openings_left;
  v->wage_monthly = in->wage_monthly;
  memset(v->must, 0, sizeof v->must);
  memset(v->nice, 0, sizeof v->nice);
  set_bits(v->must, in->must, in->n_must, MT__MAX_SKILLS);
  set_bits(v->nice, in->nice, in->n_nice, MT__MAX_SKILLS);
  /* A skill listed as both must and nice counts once, as must-have. */
  for (size_t k = 0; k < MT__MAXW; k++)
    v->nice[k] &= ~v->must[k];
  v->n_must = (uint32_t)count_bits(v->must, MT__MAXW);
  v->n_nice = (uint32_t)count_bits(v->nice, MT__MAXW);
}

/* ---- create and free ------------------------------------------------------------------ */

void mt_engine_free(struct mt_engine *e) {
  if (e == NULL)
    return;
  for (size_t i = 0; i < e->n_skills && e->skills != NULL; i++) {
    free(e->skills[i].code);
    free(e->skills[i].name_id);
    free(e->skills[i].name_en);
  }
  free(e->skills);
  for (size_t i = 0; i < e->n_kel && e->kel != NULL; i++)
    free(e->kel[i].name);
  free(e->kel);
  free(e->dist);
  for (size_t i = 0; i < e->n_courses && e->courses != NULL; i++)
    free(e->courses[i].name);
  free(e->courses);
  residents_free(&e->r, e->w, e->cw);
  idmap_free(&e->rmap);
  for (size_t i = 0; i < e->n_vac; i++) {
    free(e->vac[i].commute);
    free(e->vac[i].train_sets);
  }
  free(e->vac);
  idmap_free(&e->vmap);
  free(e);
}

static void config_floats(struct mt_engine *e) {
  e->wf[MT_FIT_SKILLS] = (float)e->cfg.w_skills;
  e->wf[MT_FIT_EDUCATION] = (float)e->cfg.w_education;
  e->wf[MT_FIT_COMMUTE] = (float)e->cfg.w_commute;
  e->wf[MT_FIT_COURSE] = (float)e->cfg.w_course;
  e->wf[MT_FIT_PREFERENCE] = (float)e->cfg.w_preference;
  e->min_fit = (float)e->cfg.min_fit;
  e->edu_meets = (float)e->cfg.edu_meets;
  e->edu_exceeds = (float)e->cfg.edu_exceeds;
}

static enum mt_status create_tables(struct mt_engine *e, const struct mt_input *in) {
  if (in->n_skills > MT__MAX_SKILLS || in->n_kelurahan > MT__MAX_KELURAHAN ||
      in->n_courses > 0xFFFF || (in->n_skills > 0 && in->skills == NULL) ||
      (in->n_kelurahan > 0 && in->kelurahan == NULL) || (in->n_courses > 0 && in->courses == NULL))
    return MT_EINVAL;
  e->w = (in->n_skills + 63) / 64;
  if (e->w == 0)
    e->w = 1;
  e->cw = (in->n_courses + 63) / 64;
  e->skills = calloc(in->n_skills + 1, sizeof *e->skills);
  e->kel = calloc(in->n_kelurahan + 1, sizeof *e->kel);
  e->dist = malloc((in->n_kelurahan * in->n_kelurahan + 1) * sizeof *e->dist);
  e->courses = calloc(in->n_courses + 1, sizeof *e->courses);
  if (e->skills == NULL || e->kel == NULL || e->dist == NULL || e->courses == NULL)
    return MT_ENOMEM;
  for (size_t i = 0; i < in->n_skills; i++) {
    const struct mt_skill *s = &in->skills[i];
    if (s->vocation >= MT_N_VOCATIONS)
      return MT_EINVAL;
    e->skills[i].id = s->id;
    e->skills[i].vocation = s->vocation;
    e->skills[i].code = copy_str(s->code);
    e->skills[i].name_id = copy_str(s->name_id);
    e->skills[i].name_en = copy_str(s->name_en);
    e->n_skills = i + 1;
    if (e->skills[i].code == NULL || e->skills[i].name_id == NULL || e->skills[i].name_en == NULL)
      return MT_ENOMEM;
  }
  e->n_skills = in->n_skills;
  for (size_t i = 0; i < in->n_kelurahan; i++) {
    const struct mt_kelurahan *k = &in->kelurahan[i];
    if (!(k->lat >= -90.0 && k->lat <= 90.0 && k->lon >= -180.0 && k->lon <= 180.0))
      return MT_EINVAL;
    e->kel[i].id = k->id;
    e->kel[i].lat = k->lat;
    e->kel[i].lon = k->lon;
    e->kel[i].priority = k->priority != 0;
    e->kel[i].name = copy_str(k->name);
    e->n_kel = i + 1;
    if (e->kel[i].name == NULL)
      return MT_ENOMEM;
  }
  compute_distances(e);
  for (size_t i = 0; i < in->n_courses; i++) {
    const struct mt_course *c = &in->courses[i];
    if (course_check(e, c) != MT_OK)
      return MT_EINVAL;
    for (size_t j = 0; j < i; j++)
      if (in->courses[j].id == c->id)
        return MT_EINVAL;
    struct mt__course *d = &e->courses[i];
    d->id = c->id;
    d->vocation = c->vocation;
    d->hours = c->hours;
    d->batch_capacity = c->batch_capacity;
    set_bits(d->skills, c->skills, c->n_skills, e->n_skills);
    d->n_skills = (uint32_t)count_bits(d->skills, MT__MAXW);
    d->enrolled = c->enrolled;
    d->completed = c->completed;
    d->certified = c->certified;
    d->placed_6m = c->placed_6m;
    memcpy(d->placed_by_sector, c->placed_by_sector, sizeof d->placed_by_sector);
    course_outcomes(e, d);
    d->name = copy_str(c->name);
    e->n_courses = i + 1;
    if (d->name == NULL)
      return MT_ENOMEM;
  }
  e->n_courses = in->n_courses;
  return MT_OK;
}

static enum mt_status create_residents(struct mt_engine *e, const struct mt_input *in) {
  if (in->n_residents > 0 && in->residents == NULL)
    return MT_EINVAL;
  if (in->n_residents >= UINT32_MAX / 2)
    return MT_EINVAL;
  for (size_t i = 0; i < in->n_residents; i++)
    if (resident_check(e, &in->residents[i]) != MT_OK)
      return MT_EINVAL;
  struct mt__residents empty = {0};
  enum mt_status st = residents_realloc(e, &empty, round_cap(in->n_residents), &e->r);
  if (st != MT_OK)
    return st;
  st = idmap_reserve(&e->rmap, in->n_residents);
  if (st != MT_OK)
    return st;
  for (size_t i = 0; i < in->n_residents; i++) {
    if (mt__idmap_get(&e->rmap, in->residents[i].id) != SIZE_MAX)
      return MT_EINVAL; /* duplicate id */
    idmap_insert_raw(&e->rmap, in->residents[i].id, i);
    resident_store(e, i, &in->residents[i]);
    e->r.n = i + 1;
  }
  return MT_OK;
}

static enum mt_status create_vacancies(struct mt_engine *e, const struct mt_input *in) {
  if (in->n_vacancies > 0 && in->vacancies == NULL)
    return MT_EINVAL;
  if (in->n_vacancies >= UINT32_MAX / 2)
    return MT_EINVAL;
  for (size_t i = 0; i < in->n_vacancies; i++)
    if (vacancy_check(e, &in->vacancies[i]) != MT_OK)
      return MT_EINVAL;
  e->cap_vac = in->n_vacancies > 16 ? in->n_vacancies : 16;
  e->vac = calloc(e->cap_vac, sizeof *e->vac);
  if (e->vac == NULL)
    return MT_ENOMEM;
  enum mt_status st = idmap_reserve(&e->vmap, in->n_vacancies);
  if (st != MT_OK)
    return st;
  for (size_t i = 0; i < in->n_vacancies; i++) {
    struct mt__vacancy *v = &e->vac[i];
    if (mt__idmap_get(&e->vmap, in->vacancies[i].id) != SIZE_MAX)
      return MT_EINVAL;
    vacancy_store(v, &in->vacancies[i], e->n_kel);
    e->n_vac = i + 1; /* from here mt_engine_free releases v's tables */
    v->commute = alloc_commute(e);
    if (v->commute == NULL)
      return MT_ENOMEM;
    st = train_sets(e, v->must, &v->train_sets, &v->n_train_sets);
    if (st != MT_OK)
      return st;
    vacancy_derive(e, v);
    idmap_insert_raw(&e->vmap, v->id, i);
  }
  return MT_OK;
}

enum mt_status mt_engine_create(const struct mt_input *in, struct mt_engine **out) {
  enum mt_status st = MT_OK;
  struct mt_engine *e = NULL;
  if (in == NULL || out == NULL)
    return MT_EINVAL;
  *out = NULL;
  e = calloc(1, sizeof *e);
  if (e == NULL)
    return MT_ENOMEM;
  if (in->config != NULL)
    e->cfg = *in->config;
  else
    mt_config_default(&e->cfg);
  if (mt__config_check(&e->cfg, NULL, 0) != MT_OK) {
    st = MT_EINVAL;
    goto cleanup;
  }
  config_floats(e);
  e->kernel = mt__kernel_select();
  st = create_tables(e, in);
  if (st != MT_OK)
    goto cleanup;
  st = create_residents(e, in);
  if (st != MT_OK)
    goto cleanup;
  st = create_vacancies(e, in);
  if (st != MT_OK)
    goto cleanup;
  *out = e;
  e = NULL;
cleanup:
  mt_engine_free(e);
  return st;
}

/* ---- updates ----------------------------------------------------------------------- */

enum mt_status mt_engine_put_resident(struct mt_engine *e, const struct mt_resident *r) {
  if (e == NULL || r == NULL || resident_check(e, r) != MT_OK)
    return MT_EINVAL;
  size_t slot = mt__idmap_get(&e->rmap, r->id);
  if (slot != SIZE_MAX) {
    resident_store(e, slot, r);
    return MT_OK;
  }
  if (e->r.n + 1 >= UINT32_MAX / 2)
    return MT_EINVAL;
  enum mt_status st = idmap_reserve(&e->rmap, e->r.n + 1);
  if (st != MT_OK)
    return st;
  if (e->r.n == e->r.cap) {
    struct mt__residents grown;
    st = residents_realloc(e, &e->r, e->r.cap * 2, &grown);
    if (st != MT_OK)
      return st;
    residents_free(&e->r, e->w, e->cw);
    e->r = grown;
  }
  slot = e->r.n++;
  idmap_insert_raw(&e->rmap, r->id, slot);
  resident_store(e, slot, r);
  return MT_OK;
}

enum mt_status mt_engine_remove_resident(struct mt_engine *e, uint32_t id) {
  if (e == NULL)
    return MT_EINVAL;
  size_t slot = mt__idmap_get(&e->rmap, id);
  if (slot == SIZE_MAX)
    return MT_ENOTFOUND;
  size_t last = e->r.n - 1;
  idmap_delete(&e->rmap, id);
  if (slot != last) {
    slot_move(e, &e->r, last, slot);
    idmap_insert_raw(&e->rmap, e->r.id[slot], slot);
  }
  slot_clear(e, &e->r, last);
  e->r.n--;
  return MT_OK;
}

enum mt_status mt_engine_put_vacancy(struct mt_engine *e, const struct mt_vacancy *v) {
  enum mt_status st = MT_OK;
  uint64_t *sets = NULL;
  float *commute = NULL;
  size_t n_sets = 0;
  if (e == NULL || v == NULL || vacancy_check(e, v) != MT_OK)
    return MT_EINVAL;
  size_t slot = mt__idmap_get(&e->vmap, v->id);
  struct mt__vacancy tmp;
  memset(&tmp, 0, sizeof tmp);
  vacancy_store(&tmp, v, e->n_kel);
  st = train_sets(e, tmp.must, &sets, &n_sets);
  if (st != MT_OK)
    goto cleanup;
  if (slot == SIZE_MAX) {
    if (e->n_vac + 1 >= UINT32_MAX / 2) {
      st = MT_EINVAL;
      goto cleanup;
    }
    commute = alloc_commute(e);
    if (commute == NULL) {
      st = MT_ENOMEM;
      goto cleanup;
    }
    st = idmap_reserve(&e->vmap, e->n_vac + 1);
    if (st != MT_OK)
      goto cleanup;
    if (e->n_vac == e->cap_vac) {
      struct mt__vacancy *grown = realloc(e->vac, 2 * e->cap_vac * sizeof *grown);
      if (grown == NULL) {
        st = MT_ENOMEM;
        goto cleanup;
      }
      e->vac = grown;
      e->cap_vac *= 2;
    }
    slot = e->n_vac++;
    idmap_insert_raw(&e->vmap, v->id, slot);
  } else {
    commute = e->vac[slot].commute;
    free(e->vac[slot].train_sets);
  }
  tmp.commute = commute;
  tmp.train_sets = sets;
  tmp.n_train_sets = n_sets;
  vacancy_derive(e, &tmp);
  e->vac[slot] = tmp;
  commute = NULL;
  sets = NULL;
cleanup:
  free(commute);
  free(sets);
  return st;
}

enum mt_status mt_engine_remove_vacancy(struct mt_engine *e, uint32_t id) {
  if (e == NULL)
    return MT_EINVAL;
  size_t slot = mt__idmap_get(&e->vmap, id);
  if (slot == SIZE_MAX)
    return MT_ENOTFOUND;
  size_t last = e->n_vac - 1;
  idmap_delete(&e->vmap, id);
  free(e->vac[slot].commute);
  free(e->vac[slot].train_sets);
  if (slot != last) {
    e->vac[slot] = e->vac[last];
    idmap_insert_raw(&e->vmap, e->vac[slot].id, slot);
  }
  memset(&e->vac[last], 0, sizeof e->vac[last]);
  e->n_vac--;
  return MT_OK;
}

enum mt_status mt_engine_put_course(struct mt_engine *e, const struct mt_course *c) {
  if (e == NULL || c == NULL || course_check(e, c) != MT_OK)
    return MT_EINVAL;
  size_t k = 0;
  while (k < e->n_courses && e->courses[k].id != c->id)
    k++;
  if (k == e->n_courses)
    return MT_ENOTFOUND;
  struct mt__course *d = &e->courses[k];
  uint64_t skills[MT__MAXW] = {0};
  set_bits(skills, c->skills, c->n_skills, e->n_skills);
  if (memcmp(skills, d->skills, sizeof skills) != 0 || c->vocation != d->vocation)
    return MT_EINVAL; /* what a course teaches is fixed for a snapshot */
  char *name = copy_str(c->name);
  if (name == NULL)
    return MT_ENOMEM;
  free(d->name);
  d->name = name;
  d->hours = c->hours;
  d->batch_capacity = c->batch_capacity;
  d->enrolled = c->enrolled;
  d->completed = c->completed;
  d->certified = c->certified;
  d->placed_6m = c->placed_6m;
  memcpy(d->placed_by_sector, c->placed_by_sector, sizeof d->placed_by_sector);
  course_outcomes(e, d);
  for (size_t i = 0; i < e->r.n; i++)
    if ((e->r.courses[i * e->cw + k / 64] >> (k % 64)) & 1)
      resident_derive(e, i);
  return MT_OK;
}

enum mt_status mt_engine_set_config(struct mt_engine *e, const struct mt_config *cfg) {
  if (e == NULL || cfg == NULL || mt__config_check(cfg, NULL, 0) != MT_OK)
    return MT_EINVAL;
  e->cfg = *cfg;
  config_floats(e);
  compute_distances(e);
  for (size_t k = 0; k < e->n_courses; k++)
    course_outcomes(e, &e->courses[k]);
  for (size_t i = 0; i < e->r.n; i++)
    resident_derive(e, i);
  for (size_t i = 0; i < e->n_vac; i++)
    vacancy_derive(e, &e->vac[i]);
  return MT_OK;
}

const struct mt_config *mt_engine_config(const struct mt_engine *e) {
  return e != NULL ? &e->cfg : NULL;
}

/* ---- Priority kelurahan while the engine runs ------------------------------------ */

enum mt_status mt_engine_set_kelurahan_priority(struct mt_engine *e, uint16_t kelurahan,
                                                int priority) {
  if (e == NULL || kelurahan >= e->n_kel || (priority != 0 && priority != 1))
    return MT_EINVAL;
  if (e->kel[kelurahan].priority == (uint8_t)priority)
    return MT_OK;
  e->kel[kelurahan].priority = (uint8_t)priority;
  for (size_t i = 0; i < e->r.n; i++)
    if (e->r.kel[i] == kelurahan)
      resident_derive(e, i);
  return MT_OK;
}

unsigned mt_resident_groups(const struct mt_engine *e, uint32_t resident_id) {
  size_t i = e != NULL ? mt__idmap_get(&e->rmap, resident_id) : SIZE_MAX;
  if (i == SIZE_MAX)
    return 0;
  const struct mt__rcold *c = &e->r.cold[i];
  unsigned g = 1u << MT_G_ALL;
  if (c->desil >= 1 && c->desil <= e->cfg.desil_extreme)
    g |= 1u << MT_G_DESIL_1;
  if (c->desil >= 1 && c->desil <= e->cfg.desil_poor)
    g |= 1u << MT_G_DESIL_1_4;
  if (e->r.kel[i] < e->n_kel && e->kel[e->r.kel[i]].priority)
    g |= 1u << MT_G_PRIORITY_KELURAHAN;
  if (c->sex == 2)
    g |= 1u << MT_G_WOMEN;
  if (c->disability == 1)
    g |= 1u << MT_G_DISABILITY;
  return g;
}
