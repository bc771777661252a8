/*
 * snapshot.c — builds the matching engine from the store (see snapshot.h).
 *
 * Rows arrive as text from store_engine.c; each is converted into the
 * engine's plain structs here.  Per-row lists (skills, courses, preferred
 * vocations) are parsed into shared pools first and the structs point into
 * them only once every row is read, because the pools move while they grow.
 */
#include "snapshot.h"

#include "dates.h"
#include "priority.h"
#include "store.h"
#include "vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct snapshot {
  struct mt_engine *engine;
  struct mt_config config;
  int32_t valid_until; /* the last run date its residents' scope covers */
  int64_t *skill_ids;  /* engine index → database id, ascending */
  size_t n_skills;
  int64_t *kelurahan_ids; /* engine index → database id, ascending */
  size_t n_kelurahan;
  int64_t *course_ids; /* ascending */
  size_t n_courses;
};

/* ---- Small conversions -------------------------------------------------------- */

/* vocab_vocations[i] is the engine's vocation i + 1 (0 is MT_VOC_NONE). */
_Static_assert(MT_N_VOCATIONS == VOCAB_N_VOCATIONS + 1,
               "vocab.h and matcher.h list vocations alike");

uint8_t snapshot_vocation(const char *slug) {
  int i = vocab_index(vocab_vocations, slug, strlen(slug));
  return i >= 0 ? (uint8_t)(i + 1) : MT_VOC_NONE;
}

const char *snapshot_vocation_slug(uint8_t vocation) {
  return vocation >= 1 && vocation < MT_N_VOCATIONS ? vocab_vocations[vocation - 1] : "";
}

static uint8_t education(const char *e) {
  static const struct {
    const char *slug;
    uint8_t level;
  } map[] = {{"none", MT_EDU_NONE}, {"sd", MT_EDU_SD}, {"smp", MT_EDU_SMP}, {"sma", MT_EDU_SMA},
             {"smk", MT_EDU_SMA},   {"d3", MT_EDU_D3}, {"s1", MT_EDU_S1},   {"s2", MT_EDU_S2}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(e, map[i].slug) == 0)
      return map[i].level;
  return MT_EDU_UNKNOWN;
}

static uint8_t shift_mask(const char *list) {
  uint8_t m = 0;
  if (strstr(list, "day"))
    m |= MT_SHIFT_DAY;
  if (strstr(list, "night"))
    m |= MT_SHIFT_NIGHT;
  if (strstr(list, "rotating"))
    m |= MT_SHIFT_ROTATING;
  return m;
}

int32_t snapshot_day(const char *s) {
  int64_t day;
  return date_iso_days(s, &day) == 0 ? (int32_t)day : MT_UNKNOWN_DAY;
}

void snapshot_iso_day(int32_t day, char buf[11]) {
  date_iso_from_days(day, buf);
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Index of id in an ascending array, or -1. */
static int find(const int64_t *ids, size_t n, int64_t id) {
  const int64_t *p = bsearch(&id, ids, n, sizeof *ids, cmp_i64);
  return p ? (int)(p - ids) : -1;
}

int snapshot_apply_priority(struct snapshot *snap, const struct priority_kelurahan *pk, size_t n) {
  struct mt_engine *e = snapshot_engine(snap);
  int failed = 0;
  for (size_t i = 0; i < n; i++) {
    int k = find(snap->kelurahan_ids, snap->n_kelurahan, pk[i].k.id);
    if (k >= 0)
      failed |= mt_engine_set_kelurahan_priority(e, (uint16_t)k, pk[i].priority != 0) != MT_OK;
  }
  return failed ? -1 : 0;
}

/* ---- Pools -------------------------------------------------------------------- */

/* A growable array of 16-bit codes shared by all rows of one kind; a row
 * remembers its offset and count. */
struct pool {
  uint16_t *v;
  uint8_t *flag; /* parallel: certified */
  size_t n, cap;
};

static int pool_push(struct pool *p, uint16_t v, uint8_t flag) {
  if (p->n == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 4096;
    uint16_t *nv = realloc(p->v, cap * sizeof *nv);
    if (nv == NULL)
      return -1;
    p->v = nv;
    uint8_t *nf = realloc(p->flag, cap);
    if (nf == NULL)
      return -1;
    p->flag = nf;
    p->cap = cap;
  }
  p->v[p->n] = v;
  p->flag[p->n++] = flag;
  return 0;
}

static void pool_free(struct pool *p) {
  free(p->v);
  free(p->flag);
}

/* Parses "id[:flag];..." database ids, mapping each through ids into the
 * pool; unknown ids are skipped.  Returns the count added, or -1. */
static long parse_ids(struct pool *p, const char *list, const int64_t *ids, size_t n_ids) {
  long added = 0;
  while (*list) {
    char *end;
    int64_t id = strtoll(list, &end, 10);
    uint8_t flag = 0;
    if (*end == ':') {
      flag = end[1] == '1';
      end += 2;
    }
    int idx = find(ids, n_ids, id);
    if (idx >= 0) {
      if (pool_push(p, (uint16_t)idx, flag) != 0)
        return -1;
      added++;
    }
    list = *end ? end + 1 : end;
  }
  return added;
}

/* Parses a ';' list of vocation slugs into the pool's flag bytes. */
static long parse_vocations(struct pool *p, const char *list) {
  long added = 0;
  char slug[32];
  while (*list) {
    size_t n = strcspn(list, ";");
    if (n < sizeof slug) {
      memcpy(slug, list, n);
      slug[n] = '\0';
      uint8_t v = snapshot_vocation(slug);
      if (v != MT_VOC_NONE) {
        if (pool_push(p, 0, v) != 0)
          return -1;
        added++;
      }
    }
    list += n;
    if (*list == ';')
      list++;
  }
  return added;
}

/* ---- Rows → engine structs ------------------------------------------------------ */

struct build {
  struct snapshot *snap;
  struct mt_skill *skills;
  char (*skill_text)[3][96];
  struct mt_kelurahan *kel;
  struct mt_course *courses;
  char (*course_names)[128];
  struct pool course_skills;
  size_t *course_off;
  struct mt_resident *res;
  size_t n_res, cap_res;
  struct pool res_skills, res_courses, res_pref;
  size_t (*res_off)[3];
  struct mt_vacancy *vac;
  size_t n_vac, cap_vac;
  struct pool vac_must, vac_nice;
  size_t (*vac_off)[2];
  int failed;
  int (*stopped)(void *arg); /* NULL, or asked every RESIDENT_BATCH residents */
  void *stop_arg;
};

/* How many residents the load reads between two questions to stopped(). */
#define RESIDENT_BATCH 1024

/* 1 when the build was told to stop. */
static int halted(const struct build *b) {
  return b->stopped != NULL && b->stopped(b->stop_arg) != 0;
}

static int grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap)
    return 0;
  size_t c = *cap ? *cap * 2 : 1024;
  while (c < need)
    c *= 2;
  void *np = realloc(*p, c * size);
  if (np == NULL)
    return -1;
  *p = np;
  *cap = c;
  return 0;
}

/* Converts one resident row; its lists go to the pools (offsets in off). */
static int resident_from_row(struct snapshot *snap, const struct store_engine_resident *row,
                             struct mt_resident *r, struct pool *skills, struct pool *courses,
                             struct pool *pref, size_t off[3]) {
  memset(r, 0, sizeof *r);
  r->id = (uint32_t)row->id;
  int k = find(snap->kelurahan_ids, snap->n_kelurahan, row->kelurahan_id);
  r->kelurahan = k >= 0 ? (uint16_t)k : MT_NO_KELURAHAN;
  r->birth_day = snapshot_day(row->birth_date);
  r->verified_day = snapshot_day(row->verified_at);
  r->sex = row->sex[0] == 'L' ? 1 : row->sex[0] == 'P' ? 2 : 0;
  r->religion = (uint8_t)row->religion[0];
  r->marital = (uint8_t)row->marital_status[0];
  r->education = education(row->education);
  r->smk_vocation = snapshot_vocation(row->smk_vocation);
  r->desil = row->desil >= 1 && row->desil <= 10 ? (uint8_t)row->desil : 0;
  r->disability = row->disability[0] == '\0'             ? MT_UNKNOWN_U8
                  : strcmp(row->disability, "none") == 0 ? 0
                                                         : 1;
  r->dependants = row->dependants < 0 ? MT_UNKNOWN_U8
                                      : (uint8_t)(row->dependants > 254 ? 254 : row->dependants);
  r->months_without_work =
      row->months_without_work < 0
          ? MT_UNKNOWN_I16
          : (int16_t)(row->months_without_work > 1200 ? 1200 : row->months_without_work);
  r->employed = strcmp(row->work_status, "working") == 0;
  r->in_school = strcmp(row->school_status, "in_school") == 0;
  r->in_course = (uint8_t)row->in_course;
  r->hired = (uint8_t)row->hired;
  r->blocked = (uint8_t)row->blocked;
  r->shifts = shift_mask(row->shifts);
  off[0] = skills->n;
  off[1] = courses->n;
  off[2] = pref->n;
  long ns = parse_ids(skills, row->skills, snap->skill_ids, snap->n_skills);
  long nc = parse_ids(courses, row->courses, snap->course_ids, snap->n_courses);
  long np = parse_vocations(pref, row->preferred_vocations);
  if (ns < 0 || nc < 0 || np < 0)
    return -1;
  r->n_skills = (size_t)ns;
  r->n_courses_completed = (size_t)nc;
  r->n_preferred_vocations = (size_t)np;
  return 0;
}

/* Points a resident's lists into the pools once they stop moving.  A pool
 * nothing was put in has no array yet: its lists stay NULL (an offset
 * added to a null pointer is undefined, as the fuzzer's UBSan found). */
static void resident_attach(struct mt_resident *r, const struct pool *skills,
                            const struct pool *courses, const struct pool *pref,
                            const size_t off[3]) {
  r->skills = skills->v != NULL ? skills->v + off[0] : NULL;
  r->skill_certified = skills->flag != NULL ? skills->flag + off[0] : NULL;
  r->courses_completed = courses->v != NULL ? courses->v + off[1] : NULL;
  r->preferred_vocations = pref->flag != NULL ? pref->flag + off[2] : NULL;
}

static int vacancy_from_row(struct snapshot *snap, const struct store_engine_vacancy *row,
                            struct mt_vacancy *v, struct pool *must, struct pool *nice,
                            size_t off[2]) {
  memset(v, 0, sizeof *v);
  v->id = (uint32_t)row->id;
  v->employer_id = (uint32_t)row->employer_id;
  int k = find(snap->kelurahan_ids, snap->n_kelurahan, row->kelurahan_id);
  v->kelurahan = k >= 0 ? (uint16_t)k : MT_NO_KELURAHAN;
  v->vocation = snapshot_vocation(row->vocation);
  v->min_education = education(row->min_education);
  v->smk_vocation = MT_VOC_NONE;
  v->min_age = row->min_age > 0 && row->min_age < 255 ? (uint8_t)row->min_age : 0;
  v->max_age = row->max_age > 0 && row->max_age < 255 ? (uint8_t)row->max_age : 0;
  v->open = strcmp(row->status, "open") == 0;
  v->shifts = shift_mask(row->shift);
  v->deadline_day = snapshot_day(row->deadline);
  v->openings_left = row->openings > row->hired ? (uint32_t)(row->openings - row->hired) : 0;
  v->wage_monthly = row->wage_monthly;
  off[0] = must->n;
  off[1] = nice->n;
  long nm = parse_ids(must, row->must, snap->skill_ids, snap->n_skills);
  long nn = parse_ids(nice, row->nice, snap->skill_ids, snap->n_skills);
  if (nm < 0 || nn < 0)
    return -1;
  v->n_must = (size_t)nm;
  v->n_nice = (size_t)nn;
  return 0;
}

static int on_skill(void *arg, const struct store_skill_row *k) {
  struct build *b = arg;
  size_t i = b->snap->n_skills; /* the arrays were sized by a first count */
  b->snap->skill_ids[i] = k->id;
  snprintf(b->skill_text[i][0], 96, "%s", k->code);
  snprintf(b->skill_text[i][1], 96, "%s", k->name_id);
  snprintf(b->skill_text[i][2], 96, "%s", k->name_en);
  b->skills[i] = (struct mt_skill){.id = (uint32_t)k->id,
                                   .code = b->skill_text[i][0],
                                   .name_id = b->skill_text[i][1],
                                   .name_en = b->skill_text[i][2],
                                   .vocation = snapshot_vocation(k->vocation)};
  b->snap->n_skills++;
  return 0;
}

static int count_skill(void *arg, const struct store_skill_row *k) {
  (void)k;
  (*(size_t *)arg)++;
  return 0;
}

static int count_course(void *arg, const struct store_engine_course *c) {
  (void)c;
  (*(size_t *)arg)++;
  return 0;
}

/* Parses "sector:placed;..." into placed_by_sector. */
static void parse_sectors(const char *list, uint32_t out[MT_N_VOCATIONS]) {
  char slug[32];
  while (*list) {
    size_t n = strcspn(list, ":");
    if (list[n] != ':')
      break;
    const char *num = list + n + 1;
    if (n < sizeof slug) {
      memcpy(slug, list, n);
      slug[n] = '\0';
      uint8_t v = snapshot_vocation(slug);
      long placed = strtol(num, NULL, 10);
      if (v != MT_VOC_NONE && placed > 0)
        out[v] += (uint32_t)placed;
    }
    list = num + strcspn(num, ";");
    if (*list == ';')
      list++;
  }
}

static int on_course(void *arg, const struct store_engine_course *c) {
  struct build *b = arg;
  size_t i = b->snap->n_courses;
  b->snap->course_ids[i] = c->id;
  snprintf(b->course_names[i], 128, "%s", c->name);
  struct mt_course *m = &b->courses[i];
  memset(m, 0, sizeof *m);
  m->id = (uint32_t)c->id;
  m->name = b->course_names[i];
  m->vocation = snapshot_vocation(c->vocation);
  m->hours = (uint16_t)c->hours;
  m->batch_capacity = (uint16_t)c->batch_capacity;
  m->enrolled = (uint32_t)c->enrolled;
  m->completed = (uint32_t)c->completed;
  m->certified = (uint32_t)c->certified;
  m->placed_6m = (uint32_t)c->placed_6m;
  parse_sectors(c->sectors, m->placed_by_sector);
  b->course_off[i] = b->course_skills.n;
  long n = parse_ids(&b->course_skills, c->skills, b->snap->skill_ids, b->snap->n_skills);
  if (n < 0)
    return STORE_ENOMEM;
  m->n_skills = (size_t)n;
  b->snap->n_courses++;
  return 0;
}

static int on_resident(void *arg, const struct store_engine_resident *row) {
  struct build *b = arg;
  if (b->n_res % RESIDENT_BATCH == 0 && halted(b))
    return STORE_EBUSY; /* ends the walk; snapshot_create_stoppable says why */
  if (grow((void **)&b->res, &b->cap_res, b->n_res + 1, sizeof *b->res) != 0)
    return STORE_ENOMEM;
  size_t cap = b->cap_res;
  void *p = realloc(b->res_off, cap * sizeof *b->res_off);
  if (p == NULL)
    return STORE_ENOMEM;
  b->res_off = p;
  if (resident_from_row(b->snap, row, &b->res[b->n_res], &b->res_skills, &b->res_courses,
                        &b->res_pref, b->res_off[b->n_res]) != 0)
    return STORE_ENOMEM;
  b->n_res++;
  return 0;
}

static int on_vacancy(void *arg, const struct store_engine_vacancy *row) {
  struct build *b = arg;
  if (grow((void **)&b->vac, &b->cap_vac, b->n_vac + 1, sizeof *b->vac) != 0)
    return STORE_ENOMEM;
  void *p = realloc(b->vac_off, b->cap_vac * sizeof *b->vac_off);
  if (p == NULL)
    return STORE_ENOMEM;
  b->vac_off = p;
  if (vacancy_from_row(b->snap, row, &b->vac[b->n_vac], &b->vac_must, &b->vac_nice,
                       b->vac_off[b->n_vac]) != 0)
    return STORE_ENOMEM;
  b->n_vac++;
  return 0;
}

static void build_free(struct build *b) {
  free(b->skills);
  free(b->skill_text);
  free(b->kel);
  free(b->courses);
  free(b->course_names);
  free(b->course_off);
  pool_free(&b->course_skills);
  free(b->res);
  free(b->res_off);
  pool_free(&b->res_skills);
  pool_free(&b->res_courses);
  pool_free(&b->res_pref);
  free(b->vac);
  free(b->vac_off);
  pool_free(&b->vac_must);
  pool_free(&b->vac_nice);
}

/* The steps of snapshot_create: each fills its part of b from the store and
 * returns NULL, or what failed. */

static const char *load_skills(struct store *s, struct build *b) {
  struct snapshot *snap = b->snap;
  size_t n_skills = 0;
  if (store_skill_each(s, count_skill, &n_skills) != STORE_OK)
    return "cannot read skills";
  snap->skill_ids = calloc(n_skills + 1, sizeof *snap->skill_ids);
  b->skills = calloc(n_skills + 1, sizeof *b->skills);
  b->skill_text = calloc(n_skills + 1, sizeof *b->skill_text);
  if (!snap->skill_ids || !b->skills || !b->skill_text)
    return "out of memory";
  return store_skill_each(s, on_skill, b) != STORE_OK ? "cannot read skills" : NULL;
}

/* The kelurahan with today's priority flags (the index and the pins); pk
 * (freed by the caller) keeps the names the engine copies. */
static const char *load_kelurahan(struct store *s, const struct mt_config *cfg, struct build *b,
                                  struct priority_kelurahan **pk) {
  struct snapshot *snap = b->snap;
  size_t n_kel = 0;
  char today[11];
  snapshot_iso_day(cfg->today, today);
  if (priority_compute(s, cfg, today, pk, &n_kel) != STORE_OK)
    return "cannot compute priority kelurahan";
  snap->kelurahan_ids = calloc(n_kel + 1, sizeof *snap->kelurahan_ids);
  b->kel = calloc(n_kel + 1, sizeof *b->kel);
  if (!snap->kelurahan_ids || !b->kel)
    return "out of memory";
  /* priority_compute returns code order; the index map needs id order */
  const struct priority_kelurahan *k = *pk;
  for (size_t i = 0; i < n_kel; i++)
    snap->kelurahan_ids[i] = k[i].k.id;
  qsort(snap->kelurahan_ids, n_kel, sizeof *snap->kelurahan_ids, cmp_i64);
  snap->n_kelurahan = n_kel;
  for (size_t i = 0; i < n_kel; i++) {
    int idx = find(snap->kelurahan_ids, n_kel, k[i].k.id);
    b->kel[idx] = (struct mt_kelurahan){.id = (uint32_t)k[i].k.id,
                                        .name = k[i].k.name,
                                        .lat = k[i].k.lat,
                                        .lon = k[i].k.lon,
                                        .priority = (uint8_t)k[i].priority};
  }
  return NULL;
}

static const char *load_courses(struct store *s, struct build *b) {
  struct snapshot *snap = b->snap;
  size_t n_courses = 0;
  if (store_engine_courses(s, count_course, &n_courses) != STORE_OK)
    return "cannot read courses";
  snap->course_ids = calloc(n_courses + 1, sizeof *snap->course_ids);
  b->courses = calloc(n_courses + 1, sizeof *b->courses);
  b->course_names = calloc(n_courses + 1, sizeof *b->course_names);
  b->course_off = calloc(n_courses + 1, sizeof *b->course_off);
  if (!snap->course_ids || !b->courses || !b->course_names || !b->course_off)
    return "out of memory";
  if (store_engine_courses(s, on_course, b) != STORE_OK)
    return "cannot read courses";
  for (size_t i = 0; i < snap->n_courses; i++)
    b->courses[i].skills =
        b->course_skills.v != NULL ? b->course_skills.v + b->course_off[i] : NULL;
  return NULL;
}

/* The residents a snapshot built on cfg->today holds: every one who could
 * be eligible on a run date up to today + SCOPE_DAYS.  Older residents
 * only age out, verifications only expire and nobody starts working or
 * studying without a write (which refreshes the engine), so what is left
 * out stays ineligible; but the young turn min_age, so the scope reaches
 * SCOPE_DAYS ahead and the server rebuilds before that (app.c).  A day of
 * slack on each bound keeps leap days and the engine's own age rule on
 * the safe side: a resident kept who is not eligible changes nothing. */
#define SCOPE_DAYS 90

static int scope_of(const struct mt_config *cfg, struct store_engine_scope *sc,
                    int32_t *valid_until) {
  char today[11], horizon[11], from[11], to[11];
  int64_t d;
  snapshot_iso_day(cfg->today, today);
  snapshot_iso_day(cfg->today + SCOPE_DAYS, horizon);
  /* old enough by the horizon; not yet max_age + 1 today */
  if (date_iso_years_before(horizon, cfg->min_age, to) != 0 ||
      date_iso_years_before(today, cfg->max_age + 1, from) != 0 || date_iso_days(to, &d) != 0)
    return -1;
  snapshot_iso_day((int32_t)d + 1, sc->born_to);
  if (date_iso_days(from, &d) != 0)
    return -1;
  snapshot_iso_day((int32_t)d - 1, sc->born_from);
  snapshot_iso_day(cfg->today - cfg->verification_valid_days - 1, sc->verified_from);
  *valid_until = cfg->today + SCOPE_DAYS;
  return 0;
}

/* Residents and vacancies, their lists pointed into the shared pools once
 * every row is in (the pools move while they grow).  The residents are
 * those in scope, then those outside it that have a referral (a proposal
 * list explains them); with SNAPSHOT_ALL_RESIDENTS, every one. */
static const char *load_records(struct store *s, const struct mt_config *cfg, unsigned flags,
                                struct build *b) {
  struct store_engine_scope sc;
  if (flags & SNAPSHOT_ALL_RESIDENTS) {
    b->snap->valid_until = INT32_MAX;
    if (store_engine_residents(s, on_resident, b) != STORE_OK)
      return "cannot read residents";
  } else if (scope_of(cfg, &sc, &b->snap->valid_until) != 0) {
    return "the run date is out of range";
  } else if (store_engine_residents_in_scope(s, &sc, on_resident, b) != STORE_OK ||
             store_engine_residents_referred(s, &sc, on_resident, b) != STORE_OK) {
    return "cannot read residents";
  }
  for (size_t i = 0; i < b->n_res; i++)
    resident_attach(&b->res[i], &b->res_skills, &b->res_courses, &b->res_pref, b->res_off[i]);
  if (store_engine_vacancies(s, on_vacancy, b) != STORE_OK)
    return "cannot read vacancies";
  for (size_t i = 0; i < b->n_vac; i++) {
    b->vac[i].must = b->vac_must.v != NULL ? b->vac_must.v + b->vac_off[i][0] : NULL;
    b->vac[i].nice = b->vac_nice.v != NULL ? b->vac_nice.v + b->vac_off[i][1] : NULL;
  }
  return NULL;
}

int snapshot_create(struct store *s, const struct mt_config *cfg, struct snapshot **out, char *err,
                    size_t errlen) {
  return snapshot_create_ex(s, cfg, 0, out, err, errlen);
}

/* snapshot_create_ex and snapshot_create_stoppable: 0, -1 or 1 (stopped). */
static int create(struct store *s, const struct mt_config *cfg, unsigned flags,
                  int (*stopped)(void *arg), void *arg, struct snapshot **out, char *err,
                  size_t errlen) {
  struct build b = {.stopped = stopped, .stop_arg = arg};
  struct priority_kelurahan *pk = NULL;
  const char *what = "out of memory";
  struct snapshot *snap = calloc(1, sizeof *snap);
  if (snap == NULL)
    goto fail;
  snap->config = *cfg;
  b.snap = snap;
  if (stopped != NULL)
    store_engine_stop_when(s, stopped, arg);
  if ((what = load_skills(s, &b)) != NULL || (what = load_kelurahan(s, cfg, &b, &pk)) != NULL ||
      (what = load_courses(s, &b)) != NULL || (what = load_records(s, cfg, flags, &b)) != NULL)
    goto fail;
  if (halted(&b)) /* before the engine's own build, which cannot be stopped */
    goto fail;

  struct mt_input in = {.config = cfg,
                        .skills = b.skills,
                        .n_skills = snap->n_skills,
                        .kelurahan = b.kel,
                        .n_kelurahan = snap->n_kelurahan,
                        .courses = b.courses,
                        .n_courses = snap->n_courses,
                        .residents = b.res,
                        .n_residents = b.n_res,
                        .vacancies = b.vac,
                        .n_vacancies = b.n_vac};
  store_engine_loaded(s);
  enum mt_status st = mt_engine_create(&in, &snap->engine);
  what = st == MT_ENOMEM ? "out of memory" : "the data does not fit the engine's limits";
  if (st != MT_OK)
    goto fail;
  if (stopped != NULL)
    store_engine_stop_when(s, NULL, NULL);
  free(pk);
  build_free(&b);
  *out = snap;
  return 0;

fail:;
  int rc = halted(&b) ? 1 : -1;
  if (stopped != NULL)
    store_engine_stop_when(s, NULL, NULL);
  snprintf(err, errlen, "cannot build the matching snapshot: %s", rc == 1 ? "told to stop" : what);
  free(pk);
  build_free(&b);
  snapshot_free(snap);
  *out = NULL;
  return rc;
}

int snapshot_create_ex(struct store *s, const struct mt_config *cfg, unsigned flags,
                       struct snapshot **out, char *err, size_t errlen) {
  return create(s, cfg, flags, NULL, NULL, out, err, errlen);
}

int snapshot_create_stoppable(struct store *s, const struct mt_config *cfg,
                              int (*stopped)(void *arg), void *arg, struct snapshot **out,
                              char *err, size_t errlen) {
  return create(s, cfg, 0, stopped, arg, out, err, errlen);
}

void snapshot_free(struct snapshot *snap) {
  if (snap == NULL)
    return;
  mt_engine_free(snap->engine);
  free(snap->skill_ids);
  free(snap->kelurahan_ids);
  free(snap->course_ids);
  free(snap);
}

struct mt_engine *snapshot_engine(struct snapshot *snap) {
  return snap->engine;
}

int32_t snapshot_valid_until(const struct snapshot *snap) {
  return snap->valid_until;
}

int snapshot_hold_resident(struct snapshot *snap, struct store *s, int64_t id) {
  if (id <= 0 || id > UINT32_MAX || mt_resident_groups(snap->engine, (uint32_t)id) != 0)
    return 0; /* held already (every resident held is in MT_G_ALL) */
  return snapshot_refresh_resident(snap, s, id);
}

int snapshot_refresh_resident(struct snapshot *snap, struct store *s, int64_t id) {
  struct store_engine_resident row;
  int rc = store_engine_resident(s, id, &row);
  if (rc == STORE_ENOTFOUND) {
    enum mt_status st = mt_engine_remove_resident(snap->engine, (uint32_t)id);
    return st == MT_OK || st == MT_ENOTFOUND ? 0 : -1;
  }
  if (rc != STORE_OK)
    return -1;
  struct pool skills = {0}, courses = {0}, pref = {0};
  struct mt_resident r;
  size_t off[3];
  int res = -1;
  if (resident_from_row(snap, &row, &r, &skills, &courses, &pref, off) == 0) {
    resident_attach(&r, &skills, &courses, &pref, off);
    res = mt_engine_put_resident(snap->engine, &r) == MT_OK ? 0 : -1;
  }
  pool_free(&skills);
  pool_free(&courses);
  pool_free(&pref);
  return res;
}

int snapshot_refresh_vacancy(struct snapshot *snap, struct store *s, int64_t id) {
  struct store_engine_vacancy row;
  int rc = store_engine_vacancy(s, id, &row);
  if (rc == STORE_ENOTFOUND) {
    enum mt_status st = mt_engine_remove_vacancy(snap->engine, (uint32_t)id);
    return st == MT_OK || st == MT_ENOTFOUND ? 0 : -1;
  }
  if (rc != STORE_OK)
    return -1;
  struct pool must = {0}, nice = {0};
  struct mt_vacancy v;
  size_t off[2];
  int res = -1;
  if (vacancy_from_row(snap, &row, &v, &must, &nice, off) == 0) {
    v.must = must.v != NULL ? must.v + off[0] : NULL; /* as resident_attach */
    v.nice = nice.v != NULL ? nice.v + off[1] : NULL;
    res = mt_engine_put_vacancy(snap->engine, &v) == MT_OK ? 0 : -1;
  }
  pool_free(&must);
  pool_free(&nice);
  return res;
}
