/*
 * explain.c — mt_explain(): the full account of one resident–vacancy pair.
 * The numbers come from the same scalar evaluation the rankings use
 * (mt__pair_score, mt__priority); this file adds the matched and missing
 * skills, the commute figures and one line per component in Indonesian and
 * in English.  Unknown components say that they are unknown and that they
 * weigh nothing.
 */
#include "matcher_int.h"

#include <stdio.h>
#include <string.h>

/* How many skill names a reason line spells out before "+N more". */
#define NAMES_IN_LINE 6

struct ctx {
  const struct mt_engine *e;
  size_t slot;
  const struct mt__vacancy *v;
  uint64_t skills[MT__MAXW], cert[MT__MAXW];
};

static int has_bit(const uint64_t *bits, size_t i) {
  return (int)((bits[i / 64] >> (i % 64)) & 1u);
}

/* Appends the names of the skills in set (ascending index), with
 * "(certified)" where the resident's skill is certified when mark is set. */
static void skill_list(const struct ctx *c, struct mt__sbuf *b, const uint64_t *set, int mark,
                       int english) {
  size_t shown = 0, total = 0;
  for (size_t w = 0; w < c->e->w; w++) {
    for (uint64_t bits = set[w]; bits != 0; bits &= bits - 1) {
      size_t i = w * 64 + (size_t)__builtin_ctzll(bits);
      total++;
      if (shown == NAMES_IN_LINE)
        continue;
      const struct mt__skill *s = &c->e->skills[i];
      mt__sb_printf(b, "%s%s", shown > 0 ? ", " : "", english ? s->name_en : s->name_id);
      if (mark && has_bit(c->cert, i))
        mt__sb_printf(b, english ? " (certified)" : " (bersertifikat)");
      shown++;
    }
  }
  if (total > shown)
    mt__sb_printf(b, english ? " and %zu more" : " dan %zu lainnya", total - shown);
}

static void text_skills(const struct ctx *c, struct mt_part *p, int english) {
  const struct mt__vacancy *v = c->v;
  struct mt__sbuf b;
  mt__sb_init(&b, english ? p->reason_en : p->reason_id, MT_REASON_LEN);
  if (!v->skills_known) {
    mt__sb_printf(&b, english ? "The vacancy lists no skills; not scored."
                              : "Lowongan tidak mencantumkan keahlian; tidak dinilai.");
    return;
  }
  uint64_t mhave[MT__MAXW], nhave[MT__MAXW], lack[MT__MAXW];
  size_t n_mh = 0, n_nh = 0, n_lack = 0;
  for (size_t w = 0; w < MT__MAXW; w++) {
    mhave[w] = w < c->e->w ? v->must[w] & c->skills[w] : 0;
    nhave[w] = w < c->e->w ? v->nice[w] & c->skills[w] : 0;
    lack[w] = w < c->e->w ? (v->must[w] | v->nice[w]) & ~c->skills[w] : 0;
    n_mh += mt__popcount(mhave[w]);
    n_nh += mt__popcount(nhave[w]);
    n_lack += mt__popcount(lack[w]);
  }
  mt__sb_printf(&b, english ? "Has " : "Memiliki ");
  if (v->n_must > 0) {
    mt__sb_printf(&b, english ? "%zu of %u must-have skills" : "%zu dari %u keahlian wajib", n_mh,
                  v->n_must);
    if (n_mh > 0) {
      mt__sb_printf(&b, " (");
      skill_list(c, &b, mhave, 1, english);
      mt__sb_printf(&b, ")");
    }
  }
  if (v->n_nice > 0) {
    if (v->n_must > 0)
      mt__sb_printf(&b, english ? " and " : " dan ");
    mt__sb_printf(&b, english ? "%zu of %u nice-to-have" : "%zu dari %u keahlian tambahan", n_nh,
                  v->n_nice);
    if (n_nh > 0) {
      mt__sb_printf(&b, " (");
      skill_list(c, &b, nhave, 1, english);
      mt__sb_printf(&b, ")");
    }
  }
  if (n_lack > 0) {
    mt__sb_printf(&b, english ? "; missing: " : "; belum dimiliki: ");
    /* must-have first, then nice-to-have, as in mt_explanation.missing */
    uint64_t mlack[MT__MAXW], nlack[MT__MAXW];
    size_t n_ml = 0;
    for (size_t w = 0; w < MT__MAXW; w++) {
      mlack[w] = lack[w] & v->must[w];
      nlack[w] = lack[w] & v->nice[w];
      n_ml += mt__popcount(mlack[w]);
    }
    if (n_ml > 0)
      skill_list(c, &b, mlack, 0, english);
    if (n_ml > 0 && n_ml < n_lack)
      mt__sb_printf(&b, english ? " (must-have); " : " (wajib); ");
    if (n_ml < n_lack)
      skill_list(c, &b, nlack, 0, english);
    mt__sb_printf(&b, ".");
  } else {
    mt__sb_printf(&b, english ? "; nothing missing." : "; tidak ada yang kurang.");
  }
}

static void text_education(const struct ctx *c, struct mt_part *p, int english) {
  const struct mt__vacancy *v = c->v;
  uint8_t edu = c->e->r.edu[c->slot], smk = c->e->r.smk[c->slot];
  struct mt__sbuf b;
  mt__sb_init(&b, english ? p->reason_en : p->reason_id, MT_REASON_LEN);
  if (edu == MT_EDU_UNKNOWN) {
    mt__sb_printf(&b, english ? "Education not recorded; not scored."
                              : "Pendidikan belum tercatat; tidak dinilai.");
    return;
  }
  /* The level starts the sentence: capitalise its first letter (the names
   * are ASCII). */
  char have[48];
  snprintf(have, sizeof have, "%s", mt__education_name(edu, english));
  if (have[0] >= 'a' && have[0] <= 'z')
    have[0] = (char)(have[0] - 'a' + 'A');
  if (v->min_edu == MT_EDU_UNKNOWN) {
    mt__sb_printf(&b,
                  english ? "%s; the vacancy sets no minimum."
                          : "%s; lowongan tidak menetapkan "
                            "pendidikan minimum.",
                  have);
  } else {
    const char *need = mt__education_name(v->min_edu, english);
    if (edu < v->min_edu)
      mt__sb_printf(&b,
                    english ? "%s is below the minimum of %s." : "%s di bawah syarat minimum %s.",
                    have, need);
    else if (edu == v->min_edu)
      mt__sb_printf(&b, english ? "%s meets the minimum of %s." : "%s memenuhi syarat minimum %s.",
                    have, need);
    else
      mt__sb_printf(&b,
                    english ? "%s exceeds the minimum of %s." : "%s melebihi syarat minimum %s.",
                    have, need);
  }
  if (smk != MT_VOC_NONE && edu >= v->min_edu) {
    const char *major = mt__vocation_name(smk, english);
    if (smk == v->edu_target)
      mt__sb_printf(&b,
                    english ? " SMK major (%s) matches the vacancy."
                            : " Jurusan SMK (%s) sesuai dengan lowongan.",
                    major);
    else
      mt__sb_printf(&b,
                    english ? " SMK major (%s) differs from the vacancy's."
                            : " Jurusan SMK (%s) berbeda dari lowongan.",
                    major);
  }
}

static void text_commute(const struct ctx *c, struct mt_part *p, double km, double cost,
                         int english) {
  const struct mt_engine *e = c->e;
  const struct mt__vacancy *v = c->v;
  uint16_t home = e->r.kel[c->slot];
  struct mt__sbuf b;
  mt__sb_init(&b, english ? p->reason_en : p->reason_id, MT_REASON_LEN);
  if (home >= e->n_kel) {
    mt__sb_printf(&b, english ? "Home kelurahan not recorded; commute not scored."
                              : "Kelurahan tempat tinggal belum tercatat; jarak tempuh tidak "
                                "dinilai.");
    return;
  }
  if (v->kel >= e->n_kel) {
    mt__sb_printf(&b, english ? "Workplace location not recorded; commute not scored."
                              : "Lokasi tempat kerja belum tercatat; jarak tempuh tidak dinilai.");
    return;
  }
  mt__sb_decimal(&b, km, english);
  mt__sb_printf(&b, english ? " km from %s to %s" : " km dari %s ke %s", e->kel[home].name,
                e->kel[v->kel].name);
  mt__sb_printf(&b, english ? "; round trips cost about " : "; ongkos pulang-pergi sekitar ");
  mt__sb_rupiah(&b, cost, english);
  mt__sb_printf(&b, english ? " a month" : " per bulan");
  if (v->wage_monthly <= 0) {
    mt__sb_printf(&b, english ? ", but the wage is not stated; not scored."
                              : ", tetapi upah tidak dicantumkan; tidak dinilai.");
    return;
  }
  mt__sb_printf(&b, ", ");
  mt__sb_decimal(&b, 100.0 * cost / (double)v->wage_monthly, english);
  mt__sb_printf(&b, english ? "%% of the " : "%% dari upah ");
  mt__sb_rupiah(&b, (double)v->wage_monthly, english);
  mt__sb_printf(&b, english ? " wage (" : " (");
  mt__sb_decimal(&b, 100.0 * e->cfg.max_commute_share, english);
  mt__sb_printf(&b, english ? "%% scores 0)." : "%% bernilai 0).");
}

static void text_course(const struct ctx *c, struct mt_part *p, int english) {
  const struct mt_engine *e = c->e;
  const struct mt__vacancy *v = c->v;
  const uint64_t *done = e->cw > 0 ? &e->r.courses[c->slot * e->cw] : NULL;
  const char *sector = mt__vocation_name(v->vocation, english);
  const struct mt__course *best = NULL;
  size_t n_done = 0;
  for (size_t k = 0; k < e->n_courses; k++) {
    if (!has_bit(done, k))
      continue;
    n_done++;
    const struct mt__course *co = &e->courses[k];
    if (co->sector_value[v->vocation] >= 0.0f &&
        (best == NULL || co->sector_value[v->vocation] > best->sector_value[v->vocation]))
      best = co;
  }
  struct mt__sbuf b;
  mt__sb_init(&b, english ? p->reason_en : p->reason_id, MT_REASON_LEN);
  if (n_done == 0) {
    mt__sb_printf(&b, english ? "No BLK course completed; not scored."
                              : "Belum pernah lulus pelatihan BLK; tidak dinilai.");
    return;
  }
  if (best == NULL) {
    mt__sb_printf(&b,
                  english ? "No completed BLK course has recorded placements in %s; not scored."
                          : "Belum ada pelatihan BLK yang diselesaikan dengan catatan penempatan "
                            "di sektor %s; tidak dinilai.",
                  sector);
    return;
  }
  uint32_t placed = best->placed_by_sector[v->vocation];
  mt__sb_printf(&b,
                english ? "Completed BLK course '%s': %u of %u graduates placed in %s ("
                        : "Lulus pelatihan BLK '%s': %u dari %u lulusan bekerja di sektor %s (",
                best->name, placed, best->completed, sector);
  mt__sb_decimal(&b, 100.0 * placed / best->completed, english);
  mt__sb_printf(&b, "%%; ");
  mt__sb_decimal(&b, 100.0 * e->cfg.course_rate_full, english);
  mt__sb_printf(&b, english ? "%% scores 1)." : "%% bernilai 1).");
}

static void text_preference(const struct ctx *c, struct mt_part *p, int english) {
  const struct mt__vacancy *v = c->v;
  uint16_t pref = c->e->r.pref[c->slot];
  uint8_t shifts = c->e->r.shifts[c->slot];
  struct mt__sbuf b;
  mt__sb_init(&b, english ? p->reason_en : p->reason_id, MT_REASON_LEN);
  if (pref == 0 && (shifts == 0 || v->shifts == 0)) {
    mt__sb_printf(&b, english ? "No preferred sector or shift availability to compare; not scored."
                              : "Tidak ada sektor pilihan atau ketersediaan shift untuk "
                                "dibandingkan; tidak dinilai.");
    return;
  }
  const char *yes = english ? "yes" : "ya", *no = english ? "no" : "tidak";
  const char *sector = mt__vocation_name(v->vocation, english);
  if (pref != 0)
    mt__sb_printf(&b, english ? "Wants to work in %s: %s" : "Ingin bekerja di sektor %s: %s",
                  sector, (pref >> v->vocation) & 1 ? yes : no);
  else
    mt__sb_printf(&b, english ? "No preferred sector stated" : "Belum menyatakan sektor pilihan");
  if (shifts == 0)
    mt__sb_printf(&b, english ? "; shift availability not stated."
                              : "; ketersediaan shift belum dinyatakan.");
  else if (v->shifts == 0)
    mt__sb_printf(&b, english ? "; the vacancy states no shift."
                              : "; lowongan tidak mencantumkan shift.");
  else
    mt__sb_printf(&b,
                  english ? "; can work the shifts needed: %s."
                          : "; dapat bekerja pada shift yang "
                            "dibutuhkan: %s.",
                  (v->shifts & ~shifts) == 0 ? yes : no);
}

static void text_priority(const struct mt_engine *e, size_t slot, enum mt_priority_component k,
                          const struct mt_part *part, char *out, int english) {
  const struct mt__rcold *c = &e->r.cold[slot];
  struct mt__sbuf b;
  mt__sb_init(&b, out, MT_REASON_LEN);
  switch (k) {
  case MT_PRIO_DESIL:
    if (!part->known)
      mt__sb_printf(&b, english ? "DTSEN desil not recorded; counts nothing."
                                : "Desil DTSEN belum tercatat; tidak dihitung.");
    else if (c->desil <= e->cfg.desil_extreme)
      mt__sb_printf(&b,
                    english ? "DTSEN desil %u: extreme poor." : "Desil DTSEN %u: miskin ekstrem.",
                    c->desil);
    else if (c->desil <= e->cfg.desil_poor)
      mt__sb_printf(&b,
                    english ? "DTSEN desil %u: poor or vulnerable."
                            : "Desil DTSEN %u: miskin atau rentan.",
                    c->desil);
    else
      mt__sb_printf(&b,
                    english ? "DTSEN desil %u: above the poverty cut-offs."
                            : "Desil DTSEN %u: di atas batas kemiskinan.",
                    c->desil);
    break;
  case MT_PRIO_KELURAHAN:
    if (!part->known)
      mt__sb_printf(&b, english ? "Home kelurahan not recorded; counts nothing."
                                : "Kelurahan tempat tinggal belum tercatat; tidak dihitung.");
    else if (part->value > 0.0)
      mt__sb_printf(&b,
                    english ? "Lives in %s, a priority kelurahan."
                            : "Tinggal di %s, kelurahan prioritas.",
                    e->kel[e->r.kel[slot]].name);
    else
      mt__sb_printf(&b,
                    english ? "Lives in %s, not a priority kelurahan."
                            : "Tinggal di %s, bukan kelurahan prioritas.",
                    e->kel[e->r.kel[slot]].name);
    break;
  case MT_PRIO_MONTHS:
    if (!part->known)
      mt__sb_printf(&b, english ? "Months without work not recorded; counts nothing."
                                : "Lama tidak bekerja belum tercatat; tidak dihitung.");
    else
      mt__sb_printf(&b,
                    english ? "%d months without work (%u or more scores 1)."
                            : "%d bulan tidak bekerja (%u bulan atau lebih bernilai 1).",
                    c->months_without_work, e->cfg.months_cap);
    break;
  case MT_PRIO_DEPENDANTS:
    if (!part->known)
      mt__sb_printf(&b, english ? "Household dependants not recorded; counts nothing."
                                : "Jumlah tanggungan belum tercatat; tidak dihitung.");
    else
      mt__sb_printf(&b,
                    english ? "%u household dependants (%u or more scores 1)."
                            : "%u tanggungan dalam rumah tangga (%u atau lebih bernilai 1).",
                    c->dependants, e->cfg.dependants_cap);
    break;
  case MT_PRIO_DISABILITY:
    if (!part->known)
      mt__sb_printf(&b, english ? "Disability not recorded; counts nothing."
                                : "Status disabilitas belum tercatat; tidak dihitung.");
    else if (part->value > 0.0)
      mt__sb_printf(&b, english ? "Has a disability: raises priority, never lowers a score."
                                : "Penyandang disabilitas: menaikkan prioritas, tidak pernah "
                                  "menurunkan skor.");
    else
      mt__sb_printf(&b, english ? "No disability." : "Tidak ada disabilitas.");
    break;
  case MT_N_PRIO:
    break;
  }
}

/* Lists the indices of the set bits of a, then of b, up to the array size. */
static size_t list_bits(const uint64_t *a, const uint64_t *b, size_t w, uint16_t *out) {
  size_t n = 0;
  const uint64_t *sets[2] = {a, b};
  for (size_t s = 0; s < 2; s++)
    for (size_t k = 0; k < w; k++)
      for (uint64_t bits = sets[s][k]; bits != 0 && n < MT_MAX_LISTED_SKILLS; bits &= bits - 1)
        out[n++] = (uint16_t)(k * 64 + (size_t)__builtin_ctzll(bits));
  return n;
}

enum mt_status mt_explain(const struct mt_engine *e, uint32_t resident_id, uint32_t vacancy_id,
                          struct mt_explanation *out) {
  if (e == NULL || out == NULL)
    return MT_EINVAL;
  size_t slot = mt__idmap_get(&e->rmap, resident_id);
  size_t vslot = mt__idmap_get(&e->vmap, vacancy_id);
  if (slot == SIZE_MAX || vslot == SIZE_MAX)
    return MT_ENOTFOUND;
  struct ctx c = {.e = e, .slot = slot, .v = &e->vac[vslot]};
  for (size_t w = 0; w < e->w; w++) {
    c.skills[w] = e->r.skills[w][slot];
    c.cert[w] = e->r.cert[w][slot];
  }
  memset(out, 0, sizeof *out);

  struct mt__pair p;
  out->reason = mt__pair_score(e, slot, c.v, NULL, -1.0f, 1, &p);
  out->fit = p.fit;
  out->priority = e->r.prio[slot];
  out->key = p.key;
  const double fw[MT_N_FIT] = {e->cfg.w_skills, e->cfg.w_education, e->cfg.w_commute,
                               e->cfg.w_course, e->cfg.w_preference};
  for (size_t k = 0; k < MT_N_FIT; k++) {
    out->fit_parts[k].known = p.known[k];
    out->fit_parts[k].value = p.value[k];
    out->fit_parts[k].weight = fw[k];
  }

  uint64_t have[MT__MAXW] = {0}, mlack[MT__MAXW] = {0}, nlack[MT__MAXW] = {0};
  for (size_t w = 0; w < e->w; w++) {
    have[w] = (c.v->must[w] | c.v->nice[w]) & c.skills[w];
    mlack[w] = c.v->must[w] & ~c.skills[w];
    nlack[w] = c.v->nice[w] & ~c.skills[w];
  }
  uint64_t mhave[MT__MAXW] = {0}, nhave[MT__MAXW] = {0};
  for (size_t w = 0; w < e->w; w++) {
    mhave[w] = have[w] & c.v->must[w];
    nhave[w] = have[w] & c.v->nice[w];
  }
  out->n_matched = list_bits(mhave, nhave, e->w, out->matched);
  out->n_missing = list_bits(mlack, nlack, e->w, out->missing);

  double km = mt__distance_km(e, e->r.kel[slot], c.v->kel);
  out->commute_km = km;
  out->commute_cost_monthly = km >= 0.0 ? 2.0 * km * e->cfg.cost_per_km * e->cfg.work_days : -1.0;

  for (int en = 0; en <= 1; en++) {
    text_skills(&c, &out->fit_parts[MT_FIT_SKILLS], en);
    text_education(&c, &out->fit_parts[MT_FIT_EDUCATION], en);
    text_commute(&c, &out->fit_parts[MT_FIT_COMMUTE], km, out->commute_cost_monthly, en);
    text_course(&c, &out->fit_parts[MT_FIT_COURSE], en);
    text_preference(&c, &out->fit_parts[MT_FIT_PREFERENCE], en);
  }

  double value[MT_N_PRIO];
  uint8_t known[MT_N_PRIO];
  mt__priority(e, slot, value, known);
  const double pw[MT_N_PRIO] = {e->cfg.p_desil, e->cfg.p_kelurahan, e->cfg.p_months,
                                e->cfg.p_dependants, e->cfg.p_disability};
  for (size_t k = 0; k < MT_N_PRIO; k++) {
    struct mt_part *part = &out->priority_parts[k];
    part->known = known[k];
    part->value = value[k];
    part->weight = pw[k];
    text_priority(e, slot, (enum mt_priority_component)k, part, part->reason_id, 0);
    text_priority(e, slot, (enum mt_priority_component)k, part, part->reason_en, 1);
  }
  return MT_OK;
}
