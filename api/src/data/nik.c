/*
 * NIK parsing, checking and formatting (see nik.h); the calendar
 * arithmetic it needs is base/dates.c's.
 */
#include "nik.h"

#include <stdio.h>
#include <string.h>

struct error_text {
  const char *code, *msg_id, *msg_en;
};

static const struct error_text error_texts[] = {
#define NIK_TEXT(name, code, msg_id, msg_en) {code, msg_id, msg_en},
    NIK_ERRORS(NIK_TEXT)
#undef NIK_TEXT
};

static const struct error_text *error_text(enum nik_error e) {
  size_t n = sizeof error_texts / sizeof error_texts[0];
  if ((size_t)e >= n)
    return &error_texts[0];
  return &error_texts[e];
}

const char *nik_error_code(enum nik_error e) {
  return error_text(e)->code;
}

const char *nik_error_message_id(enum nik_error e) {
  return error_text(e)->msg_id;
}

const char *nik_error_message_en(enum nik_error e) {
  return error_text(e)->msg_en;
}

/* The 38 provinces by their Kemendagri code, which Dukcapil uses for the
 * first two NIK digits.  91–96 cover Papua before and after the 2022
 * split (Papua 91, Papua Barat 92, Papua Selatan 93, Papua Tengah 94, Papua
 * Pegunungan 95, Papua Barat Daya 96); NIKs issued before the split keep 91
 * or 92. */
int nik_province_valid(int p) {
  return (p >= 11 && p <= 19) || p == 21 || (p >= 31 && p <= 36) || (p >= 51 && p <= 53) ||
         (p >= 61 && p <= 65) || (p >= 71 && p <= 76) || p == 81 || p == 82 || (p >= 91 && p <= 96);
}

static int two_digits(const char *s) {
  return (s[0] - '0') * 10 + (s[1] - '0');
}

enum nik_error nik_parse(const char *s, size_t len, const struct date_ymd *ref,
                         struct nik_info *out) {
  if (len != 16)
    return NIK_ELENGTH;
  for (size_t i = 0; i < 16; i++)
    if (s[i] < '0' || s[i] > '9')
      return NIK_EDIGIT;

  out->province = two_digits(s);
  out->regency = two_digits(s + 2);
  out->kecamatan = two_digits(s + 4);
  if (!nik_province_valid(out->province))
    return NIK_EPROVINCE;
  /* kabupaten are numbered from 01 and no province has 70 of them; cities
   * (kota) are 71–79 */
  if (out->regency < 1 || out->regency > 79)
    return NIK_EREGENCY;
  if (out->kecamatan < 1)
    return NIK_EKECAMATAN;

  int day = two_digits(s + 6);
  int month = two_digits(s + 8);
  int yy = two_digits(s + 10);
  out->sex = 'L';
  if (day > 40) {
    day -= 40;
    out->sex = 'P';
  }
  if (day < 1 || day > 31)
    return NIK_EDAY;
  if (month < 1 || month > 12)
    return NIK_EMONTH;

  /* the latest year ending in yy whose date is not after ref */
  int year = ref->year - (((ref->year - yy) % 100) + 100) % 100;
  if (year == ref->year && (month > ref->month || (month == ref->month && day > ref->day)))
    year -= 100;
  out->birth = (struct date_ymd){year, month, day};
  out->year2 = yy;
  if (!date_valid(&out->birth))
    return NIK_EDATE;

  out->serial = (s[12] - '0') * 1000 + (s[13] - '0') * 100 + two_digits(s + 14);
  if (out->serial == 0)
    return NIK_ESERIAL;
  return NIK_OK;
}

unsigned nik_check_record(const struct nik_info *nik, const struct date_ymd *birth, char sex) {
  unsigned m = 0;
  if (nik->birth.day != birth->day || nik->birth.month != birth->month ||
      nik->year2 != ((birth->year % 100) + 100) % 100)
    m |= NIK_MISMATCH_DATE;
  if (nik->sex != sex)
    m |= NIK_MISMATCH_SEX;
  return m;
}

enum nik_error nik_format(char out[17], int province, int regency, int kecamatan,
                          const struct date_ymd *birth, char sex, int serial) {
  out[0] = '\0';
  if (!nik_province_valid(province))
    return NIK_EPROVINCE;
  if (regency < 1 || regency > 79)
    return NIK_EREGENCY;
  if (kecamatan < 1 || kecamatan > 99)
    return NIK_EKECAMATAN;
  if (!date_valid(birth))
    return NIK_EDATE;
  if (sex != 'L' && sex != 'P')
    return NIK_EDAY;
  if (serial < 1 || serial > 9999)
    return NIK_ESERIAL;
  int parts[6] = {province,     regency,          kecamatan, birth->day + (sex == 'P' ? 40 : 0),
                  birth->month, birth->year % 100};
  for (int i = 0; i < 6; i++) {
    out[2 * i] = (char)('0' + parts[i] / 10);
    out[2 * i + 1] = (char)('0' + parts[i] % 10);
  }
  for (int i = 15; i >= 12; i--, serial /= 10)
    out[i] = (char)('0' + serial % 10);
  out[16] = '\0';
  return NIK_OK;
}
