/*
 * nik.h — the Indonesian national identity number (NIK) and the birth
 * date it carries.
 *
 * A NIK is 16 digits, PP RR KK DDMMYY SSSS: province, regency or city and
 * kecamatan of first registration (a resident who moved to Kota Tangerang
 * keeps the NIK from elsewhere), birth date with 40 added to the day for
 * women, and a serial from 0001.  There is no check digit, so validation can
 * only check the form, a plausible region, a real date and a non-zero
 * serial; nik_check_record() then compares the date and sex with the
 * record that carries the NIK.  The rules, with their error codes, are
 * listed in docs/DTSEN-FORMAT.md.  Nothing here allocates.
 */
#ifndef PADAN_NIK_H
#define PADAN_NIK_H

#include <stddef.h>
#include <stdint.h>

#include "dates.h"

/* Why a NIK was refused.  The code strings are stable: clients and tests
 * key on them. */
#define NIK_ERRORS(X)                                                                              \
  X(NIK_OK, "ok", "NIK valid", "NIK is valid")                                                     \
  X(NIK_ELENGTH, "nik_length", "NIK harus 16 digit", "NIK must be 16 digits")                      \
  X(NIK_EDIGIT, "nik_not_digits", "NIK hanya boleh berisi angka", "NIK must contain only digits")  \
  X(NIK_EPROVINCE, "nik_province", "Kode provinsi NIK (digit 1–2) tidak dikenal",                  \
    "NIK province code (digits 1–2) is not an Indonesian province")                                \
  X(NIK_EREGENCY, "nik_regency", "Kode kabupaten/kota NIK (digit 3–4) harus 01–79",                \
    "NIK regency/city code (digits 3–4) must be 01–79")                                            \
  X(NIK_EKECAMATAN, "nik_kecamatan", "Kode kecamatan NIK (digit 5–6) tidak boleh 00",              \
    "NIK kecamatan code (digits 5–6) must not be 00")                                              \
  X(NIK_EDAY, "nik_day", "Tanggal lahir NIK (digit 7–8) harus 01–31, atau 41–71 untuk perempuan",  \
    "NIK birth day (digits 7–8) must be 01–31, or 41–71 for women")                                \
  X(NIK_EMONTH, "nik_month", "Bulan lahir NIK (digit 9–10) harus 01–12",                           \
    "NIK birth month (digits 9–10) must be 01–12")                                                 \
  X(NIK_EDATE, "nik_date", "Tanggal lahir NIK bukan tanggal yang ada",                             \
    "NIK birth date is not a real calendar date")                                                  \
  X(NIK_ESERIAL, "nik_serial", "Nomor urut NIK (digit 13–16) tidak boleh 0000",                    \
    "NIK serial (digits 13–16) must not be 0000")

enum nik_error {
#define NIK_ENUM(name, code, msg_id, msg_en) name,
  NIK_ERRORS(NIK_ENUM)
#undef NIK_ENUM
};

/* Stable code ("nik_day") and messages in Indonesian and English; static
 * strings. */
const char *nik_error_code(enum nik_error e);
const char *nik_error_message_id(enum nik_error e);
const char *nik_error_message_en(enum nik_error e);

/* What a valid NIK says. */
struct nik_info {
  int province;          /* 11–96 */
  int regency;           /* 01–79; 71 and above are cities (kota) */
  int kecamatan;         /* 01–99 */
  struct date_ymd birth; /* year resolved against the reference date */
  int year2;             /* the two digits written in the NIK */
  char sex;              /* 'L' (laki-laki) or 'P' (perempuan, day + 40) */
  int serial;            /* 1–9999 */
};

/* Parses s (len bytes, need not be NUL-terminated).  The two-digit year is
 * the latest year that puts the birth date on or before ref, so the holder
 * is 0–99 years old on ref; 29 February needs a leap year under that
 * resolution.  Returns NIK_OK and fills *out, or the first rule broken
 * (*out is then unspecified). */
enum nik_error nik_parse(const char *s, size_t len, const struct date_ymd *ref,
                         struct nik_info *out);

/* 1 when the province code (digits 1–2) is one of Indonesia's 38
 * provinces. */
int nik_province_valid(int province);

/* Disagreements between a parsed NIK and the record carrying it. */
#define NIK_MISMATCH_DATE 0x1u /* day, month or year (mod 100) differ */
#define NIK_MISMATCH_SEX 0x2u

/* Compares a NIK with the record's birth date and sex ('L' or 'P');
 * returns a NIK_MISMATCH_* mask, 0 when they agree.  The year is compared
 * modulo 100, the only precision the NIK has. */
unsigned nik_check_record(const struct nik_info *nik, const struct date_ymd *birth, char sex);

/* Writes the 16 digits and a NUL into out.  Returns NIK_OK, or the error
 * nik_parse would give for those parts (a sex other than 'L' or 'P' gives
 * NIK_EDAY); out is then "". */
enum nik_error nik_format(char out[17], int province, int regency, int kecamatan,
                          const struct date_ymd *birth, char sex, int serial);

#endif
