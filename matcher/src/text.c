/*
 * text.c — every fixed text the engine shows: reason codes and their
 * one-line Indonesian and English descriptions, component codes, vocation and
 * education names, and the small bounded buffer that explanations are written
 * with (it cuts at a UTF-8 boundary, never mid-character).  The code strings
 * are part of the API contract: stable snake_case, never translated.
 */
#include "matcher_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* One row per enum mt_reason, in enum order. */
static const struct {
  const char *code, *id, *en;
} reasons[MT_N_REASONS] = {
    {"eligible", "Memenuhi semua syarat.", "Meets every requirement."},
    {"age_unknown", "Tanggal lahir belum tercatat, usia tidak dapat diperiksa.",
     "Birth date not recorded, so age cannot be checked."},
    {"not_productive_age", "Di luar rentang usia produktif.", "Outside the productive age range."},
    {"employed", "Sedang bekerja.", "Currently employed."},
    {"in_school", "Sedang bersekolah atau kuliah.", "Currently in education."},
    {"in_course", "Sedang mengikuti pelatihan BLK yang belum selesai.",
     "Enrolled in a BLK course that has not ended."},
    {"already_hired", "Sudah diterima bekerja melalui padan.", "Already hired through padan."},
    {"intervention", "Sedang menerima intervensi lain yang tidak boleh tumpang tindih.",
     "An active intervention conflicts with a referral."},
    {"unverified", "Data DTSEN belum diverifikasi.", "DTSEN record not verified."},
    {"verification_expired", "Verifikasi DTSEN sudah kedaluwarsa.",
     "DTSEN verification has expired."},
    {"vacancy_closed", "Lowongan sudah ditutup.", "Vacancy is closed."},
    {"deadline_passed", "Batas waktu lamaran sudah lewat.", "Application deadline has passed."},
    {"no_openings", "Tidak ada formasi tersisa.", "No openings left."},
    {"education", "Pendidikan di bawah syarat minimum atau belum tercatat.",
     "Education below the minimum, or not recorded."},
    {"vacancy_age_limit", "Di luar batas usia lowongan.", "Outside the vacancy's age limits."},
    {"missing_skills_trainable", "Kurang keahlian wajib yang dapat dipelajari di pelatihan BLK.",
     "Missing must-have skills that a BLK course teaches."},
    {"missing_skills", "Kurang keahlian wajib.", "Missing must-have skills."},
    {"below_min_fit", "Skor kecocokan di bawah batas minimum.", "Fit score below the minimum."},
};

const char *mt_reason_code(enum mt_reason r) {
  return (unsigned)r < MT_N_REASONS ? reasons[r].code : "unknown";
}

const char *mt_reason_text_id(enum mt_reason r) {
  return (unsigned)r < MT_N_REASONS ? reasons[r].id : "Alasan tidak dikenal.";
}

const char *mt_reason_text_en(enum mt_reason r) {
  return (unsigned)r < MT_N_REASONS ? reasons[r].en : "Unknown reason.";
}

const char *mt_fit_component_code(enum mt_fit_component c) {
  static const char *const codes[MT_N_FIT] = {"skills", "education", "commute", "course",
                                              "preference"};
  return (unsigned)c < MT_N_FIT ? codes[c] : "unknown";
}

const char *mt_priority_component_code(enum mt_priority_component c) {
  static const char *const codes[MT_N_PRIO] = {"desil", "kelurahan", "months_without_work",
                                               "dependants", "disability"};
  return (unsigned)c < MT_N_PRIO ? codes[c] : "unknown";
}

const char *mt__vocation_name(uint8_t voc, int english) {
  static const char *const names[MT_N_VOCATIONS][2] = {
      {"tanpa kejuruan", "no vocation"},
      {"manufaktur", "manufacturing"},
      {"garmen", "garments"},
      {"alas kaki", "footwear"},
      {"pengelasan dan logam", "welding and metalwork"},
      {"kelistrikan", "electrical"},
      {"otomotif", "automotive"},
      {"refrigerasi dan tata udara", "refrigeration and air conditioning"},
      {"logistik", "logistics"},
      {"kebandarudaraan", "airport services"},
      {"perhotelan", "hospitality"},
      {"tata boga", "culinary"},
      {"ritel", "retail"},
      {"administrasi perkantoran", "office administration"},
      {"teknologi digital", "digital technology"},
      {"perawatan dan pengasuhan", "care work"},
  };
  return voc < MT_N_VOCATIONS ? names[voc][english ? 1 : 0] : (english ? "unknown" : "?");
}

const char *mt__education_name(uint8_t edu, int english) {
  static const char *const names[][2] = {
      {"tidak tercatat", "not recorded"}, {"tidak sekolah", "no schooling"},
      {"SD", "primary school"},           {"SMP", "junior secondary"},
      {"SMA/SMK", "senior secondary"},    {"D1–D3", "diploma (D1–D3)"},
      {"D4/S1", "bachelor's degree"},     {"S2 ke atas", "master's or above"},
  };
  return edu <= MT_EDU_S2 ? names[edu][english ? 1 : 0] : (english ? "unknown" : "?");
}

/* ---- bounded text buffer ------------------------------------------------------ */

void mt__sb_init(struct mt__sbuf *b, char *p, size_t cap) {
  b->p = p;
  b->cap = cap;
  b->len = 0;
  b->truncated = 0;
  if (cap > 0)
    p[0] = '\0';
}

/* Cuts the text back to a character boundary that leaves room for "...". */
static void sb_cut(struct mt__sbuf *b) {
  static const char ell[] = "...";
  size_t keep = b->cap > sizeof ell ? b->cap - sizeof ell : 0;
  if (keep > b->len)
    keep = b->len;
  while (keep > 0 && ((unsigned char)b->p[keep] & 0xC0u) == 0x80u)
    keep--;
  if (b->cap >= sizeof ell + keep) {
    memcpy(b->p + keep, ell, sizeof ell);
    b->len = keep + sizeof ell - 1;
  } else {
    b->p[keep] = '\0';
    b->len = keep;
  }
  b->truncated = 1;
}

void mt__sb_printf(struct mt__sbuf *b, const char *fmt, ...) {
  if (b->truncated || b->cap == 0)
    return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->p[b->len] = '\0';
    return;
  }
  if ((size_t)n >= b->cap - b->len) {
    b->len = b->cap - 1;
    sb_cut(b);
    return;
  }
  b->len += (size_t)n;
}

void mt__sb_rupiah(struct mt__sbuf *b, double amount, int english) {
  char digits[32], out[48];
  double r = floor(amount + 0.5);
  if (!(r >= 0.0) || r > 1e15)
    r = r < 0.0 ? 0.0 : 1e15;
  snprintf(digits, sizeof digits, "%.0f", r);
  size_t n = strlen(digits), o = 0;
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && (n - i) % 3 == 0)
      out[o++] = english ? ',' : '.';
    out[o++] = digits[i];
  }
  out[o] = '\0';
  mt__sb_printf(b, "Rp%s", out);
}

void mt__sb_decimal(struct mt__sbuf *b, double x, int english) {
  char tmp[48];
  snprintf(tmp, sizeof tmp, "%.1f", x);
  if (!english) {
    char *dot = strchr(tmp, '.');
    if (dot != NULL)
      *dot = ',';
  }
  mt__sb_printf(b, "%s", tmp);
}
