/*
 * fuzz_nik.c — libFuzzer harness for NIK validation (data/nik.h).
 *
 * The input is taken as a NIK of any length.  Besides "no crash", it checks
 * the one property the parser promises: a NIK it accepts is written back
 * digit for digit by nik_format from the parts it reported, and
 * nik_check_record agrees with itself on the NIK's own date and sex.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nik.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const struct date_ymd ref = {2026, 12, 7};
  struct nik_info info;
  if (nik_parse((const char *)data, size, &ref, &info) != NIK_OK)
    return 0;
  char out[17];
  if (size != 16 ||
      nik_format(out, info.province, info.regency, info.kecamatan, &info.birth, info.sex,
                 info.serial) != NIK_OK ||
      memcmp(out, data, 16) != 0)
    abort(); /* accepted, yet not what its parts write */
  if (nik_check_record(&info, &info.birth, info.sex) != 0)
    abort();
  return 0;
}
