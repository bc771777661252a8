/*
 * NIK rules (api/src/data/nik.c): hand-built valid and invalid numbers for every
 * rule, the year resolution against a reference date, agreement with a
 * record, and a brute-force round trip of nik_format and nik_parse over a
 * century of birth dates.
 */
#include "testutil.h"

#include "nik.h"

#include <string.h>

static const struct date_ymd ref = {2026, 11, 27};

static enum nik_error parse(const char *s, struct nik_info *out) {
  return nik_parse(s, strlen(s), &ref, out);
}

START_TEST(valid_man_and_woman) {
  struct nik_info n;
  ck_assert_int_eq(parse("3671011203900001", &n), NIK_OK);
  ck_assert_int_eq(n.province, 36);
  ck_assert_int_eq(n.regency, 71);
  ck_assert_int_eq(n.kecamatan, 1);
  ck_assert_int_eq(n.birth.year, 1990);
  ck_assert_int_eq(n.birth.month, 3);
  ck_assert_int_eq(n.birth.day, 12);
  ck_assert_int_eq(n.sex, 'L');
  ck_assert_int_eq(n.serial, 1);

  /* a woman: 40 added to the day */
  ck_assert_int_eq(parse("3671105203900123", &n), NIK_OK);
  ck_assert_int_eq(n.birth.day, 12);
  ck_assert_int_eq(n.sex, 'P');
  ck_assert_int_eq(n.kecamatan, 10);
  ck_assert_int_eq(n.serial, 123);

  /* the first and last day for each sex */
  ck_assert_int_eq(parse("3671010101900001", &n), NIK_OK);
  ck_assert_int_eq(parse("3671013101900001", &n), NIK_OK);
  ck_assert_int_eq(n.birth.day, 31);
  ck_assert_int_eq(parse("3671014101900001", &n), NIK_OK);
  ck_assert_int_eq(n.birth.day, 1);
  ck_assert_int_eq(n.sex, 'P');
  ck_assert_int_eq(parse("3671017101900001", &n), NIK_OK);
  ck_assert_int_eq(n.birth.day, 31);
  ck_assert_int_eq(parse("3671019912909999", &n), NIK_EDAY);
  ck_assert_int_eq(parse("3671011212909999", &n), NIK_OK);
  ck_assert_int_eq(n.serial, 9999);
}
END_TEST

START_TEST(moved_in_from_elsewhere) {
  /* residents who moved to the city keep a NIK from where they were first
   * registered: Jakarta Selatan, Kabupaten Bogor, Medan, Papua */
  struct nik_info n;
  ck_assert_int_eq(parse("3174050101850007", &n), NIK_OK);
  ck_assert_int_eq(n.province, 31);
  ck_assert_int_eq(n.regency, 74);
  ck_assert_int_eq(parse("3201234507920011", &n), NIK_OK);
  ck_assert_int_eq(n.sex, 'P');
  ck_assert_int_eq(parse("1271010101010001", &n), NIK_OK);
  ck_assert_int_eq(parse("9101010101010001", &n), NIK_OK);
  ck_assert_int_eq(parse("9601010101010001", &n), NIK_OK);
}
END_TEST

START_TEST(february_29) {
  struct nik_info n;
  ck_assert_int_eq(parse("3671012902000001", &n), NIK_OK); /* 2000 is a leap year */
  ck_assert_int_eq(n.birth.year, 2000);
  ck_assert_int_eq(parse("3671016902040003", &n), NIK_OK); /* a woman born 2004-02-29 */
  ck_assert_int_eq(n.sex, 'P');
  ck_assert_int_eq(n.birth.day, 29);
  ck_assert_int_eq(parse("3671012902010001", &n), NIK_EDATE);
  ck_assert_int_eq(parse("3671016902230001", &n), NIK_EDATE);
  ck_assert_int_eq(parse("3671013002040001", &n), NIK_EDATE);
  ck_assert_int_eq(parse("3671013104900001", &n), NIK_EDATE); /* 31 April */
  ck_assert_int_eq(parse("3671017104900001", &n), NIK_EDATE); /* a woman, 31 April */
  ck_assert_int_eq(parse("3671013106900001", &n), NIK_EDATE);

  /* "00" resolves to 1900 before 29 February 2000, which was no leap year */
  struct date_ymd before = {2000, 2, 28};
  ck_assert_int_eq(nik_parse("3671012902000001", 16, &before, &n), NIK_EDATE);
  struct date_ymd on = {2000, 2, 29};
  ck_assert_int_eq(nik_parse("3671012902000001", 16, &on, &n), NIK_OK);
  ck_assert_int_eq(n.birth.year, 2000);
}
END_TEST

START_TEST(year_resolution) {
  struct nik_info n;
  /* born on the reference day: age 0 */
  ck_assert_int_eq(parse("3671012711260001", &n), NIK_OK);
  ck_assert_int_eq(n.birth.year, 2026);
  /* one day later would be in the future: a century earlier */
  ck_assert_int_eq(parse("3671012811260001", &n), NIK_OK);
  ck_assert_int_eq(n.birth.year, 1926);
  ck_assert_int_eq(parse("3671010101270001", &n), NIK_OK);
  ck_assert_int_eq(n.birth.year, 1927);
  ck_assert_int_eq(n.year2, 27);
  ck_assert_int_eq(parse("3671010101000001", &n), NIK_OK);
  ck_assert_int_eq(n.birth.year, 2000);
  ck_assert_int_eq(parse("3671010101990001", &n), NIK_OK);
  ck_assert_int_eq(n.birth.year, 1999);
}
END_TEST

START_TEST(invalid_days_and_months) {
  struct nik_info n;
  ck_assert_int_eq(parse("3671010001900001", &n), NIK_EDAY);
  ck_assert_int_eq(parse("3671013201900001", &n), NIK_EDAY);
  ck_assert_int_eq(parse("3671014001900001", &n), NIK_EDAY); /* 40 = day 0 for a woman */
  ck_assert_int_eq(parse("3671017201900001", &n), NIK_EDAY);
  ck_assert_int_eq(parse("3671013501900001", &n), NIK_EDAY);
  ck_assert_int_eq(parse("3671011213900001", &n), NIK_EMONTH);
  ck_assert_int_eq(parse("3671011200900001", &n), NIK_EMONTH);
  ck_assert_int_eq(parse("3671015213900001", &n), NIK_EMONTH);
}
END_TEST

START_TEST(invalid_serial_and_region) {
  struct nik_info n;
  ck_assert_int_eq(parse("3671011203900000", &n), NIK_ESERIAL);
  ck_assert_int_eq(parse("3671001203900001", &n), NIK_EKECAMATAN);
  ck_assert_int_eq(parse("3600011203900001", &n), NIK_EREGENCY);
  ck_assert_int_eq(parse("3680011203900001", &n), NIK_EREGENCY);
  ck_assert_int_eq(parse("3699011203900001", &n), NIK_EREGENCY);
  ck_assert_int_eq(parse("3679011203900001", &n), NIK_OK);
  ck_assert_int_eq(parse("0071011203900001", &n), NIK_EPROVINCE);
  ck_assert_int_eq(parse("1071011203900001", &n), NIK_EPROVINCE);
  ck_assert_int_eq(parse("2071011203900001", &n), NIK_EPROVINCE);
  ck_assert_int_eq(parse("3771011203900001", &n), NIK_EPROVINCE);
  ck_assert_int_eq(parse("5471011203900001", &n), NIK_EPROVINCE); /* Timor Timur, gone */
  ck_assert_int_eq(parse("9771011203900001", &n), NIK_EPROVINCE);
}
END_TEST

START_TEST(province_list) {
  /* exactly the 38 provinces */
  static const int provinces[] = {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33,
                                  34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72,
                                  73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96};
  ck_assert_uint_eq(sizeof provinces / sizeof provinces[0], 38);
  size_t k = 0;
  for (int p = 0; p < 100; p++) {
    int expected = k < 38 && provinces[k] == p;
    ck_assert_int_eq(nik_province_valid(p), expected);
    k += (size_t)expected;
  }
  ck_assert_uint_eq(k, 38);
}
END_TEST

START_TEST(form) {
  struct nik_info n;
  ck_assert_int_eq(parse("", &n), NIK_ELENGTH);
  ck_assert_int_eq(parse("367101120390001", &n), NIK_ELENGTH);   /* 15 */
  ck_assert_int_eq(parse("36710112039000011", &n), NIK_ELENGTH); /* 17 */
  ck_assert_int_eq(parse("36710112039A0001", &n), NIK_EDIGIT);
  ck_assert_int_eq(parse("3671 11203900001", &n), NIK_EDIGIT);
  ck_assert_int_eq(parse("-671011203900001", &n), NIK_EDIGIT);
  ck_assert_int_eq(parse("367101120390000\xd9", &n), NIK_EDIGIT);
  /* only len bytes are read */
  ck_assert_int_eq(nik_parse("3671011203900001XYZ", 16, &ref, &n), NIK_OK);
}
END_TEST

START_TEST(error_texts) {
  static const enum nik_error all[] = {NIK_OK,       NIK_ELENGTH,    NIK_EDIGIT, NIK_EPROVINCE,
                                       NIK_EREGENCY, NIK_EKECAMATAN, NIK_EDAY,   NIK_EMONTH,
                                       NIK_EDATE,    NIK_ESERIAL};
  size_t n = sizeof all / sizeof all[0];
  for (size_t i = 0; i < n; i++) {
    ck_assert_str_ne(nik_error_message_id(all[i]), "");
    ck_assert_str_ne(nik_error_message_en(all[i]), "");
    ck_assert_str_ne(nik_error_message_id(all[i]), nik_error_message_en(all[i]));
    for (size_t j = 0; j < i; j++)
      ck_assert_str_ne(nik_error_code(all[i]), nik_error_code(all[j]));
  }
  ck_assert_str_eq(nik_error_code(NIK_EDAY), "nik_day");
  ck_assert_str_eq(nik_error_code(NIK_ESERIAL), "nik_serial");
}
END_TEST

START_TEST(record_agreement) {
  struct nik_info n;
  ck_assert_int_eq(parse("3671015203900001", &n), NIK_OK); /* woman, 1990-03-12 */
  struct date_ymd same = {1990, 3, 12}, day = {1990, 3, 13}, month = {1990, 4, 12},
                  year = {1991, 3, 12}, century = {1890, 3, 12};
  ck_assert_uint_eq(nik_check_record(&n, &same, 'P'), 0);
  ck_assert_uint_eq(nik_check_record(&n, &same, 'L'), NIK_MISMATCH_SEX);
  ck_assert_uint_eq(nik_check_record(&n, &day, 'P'), NIK_MISMATCH_DATE);
  ck_assert_uint_eq(nik_check_record(&n, &month, 'P'), NIK_MISMATCH_DATE);
  ck_assert_uint_eq(nik_check_record(&n, &year, 'P'), NIK_MISMATCH_DATE);
  ck_assert_uint_eq(nik_check_record(&n, &year, 'L'), NIK_MISMATCH_DATE | NIK_MISMATCH_SEX);
  /* the NIK holds two year digits only */
  ck_assert_uint_eq(nik_check_record(&n, &century, 'P'), 0);
  /* a man's NIK against a woman's record */
  ck_assert_int_eq(parse("3671011203900001", &n), NIK_OK);
  ck_assert_uint_eq(nik_check_record(&n, &same, 'P'), NIK_MISMATCH_SEX);
}
END_TEST

START_TEST(format_round_trip) {
  /* every birth date of the century before the reference day, both sexes */
  struct date_ymd first = {1926, 11, 28};
  int64_t d0 = date_to_days(&first), d1 = date_to_days(&ref);
  ck_assert_int_eq(d1 - d0 + 1, 36525);
  char buf[17];
  /* counted, then asserted once: a Check assertion per case would dominate
   * the run time under the sanitizers */
  size_t failed = 0;
  char first_bad[17] = "";
  for (int64_t d = d0; d <= d1; d++) {
    struct date_ymd b;
    date_from_days(d, &b);
    for (int s = 0; s < 2; s++) {
      char sex = s ? 'P' : 'L';
      int serial = (int)(((d % 9999) + 9999) % 9999) + 1;
      struct nik_info n;
      int ok = nik_format(buf, 36, 71, 13, &b, sex, serial) == NIK_OK && strlen(buf) == 16 &&
               parse(buf, &n) == NIK_OK && n.birth.year == b.year && n.birth.month == b.month &&
               n.birth.day == b.day && n.sex == sex && n.serial == serial &&
               nik_check_record(&n, &b, sex) == 0;
      if (!ok && failed++ == 0)
        memcpy(first_bad, buf, sizeof first_bad);
    }
  }
  ck_assert_msg(failed == 0, "%zu round trips failed, first %s", failed, first_bad);
  struct date_ymd b = {1990, 3, 12};
  ck_assert_int_eq(nik_format(buf, 36, 71, 1, &b, 'P', 7), NIK_OK);
  ck_assert_str_eq(buf, "3671015203900007");
  ck_assert_int_eq(nik_format(buf, 37, 71, 1, &b, 'P', 7), NIK_EPROVINCE);
  ck_assert_str_eq(buf, "");
  ck_assert_int_eq(nik_format(buf, 36, 0, 1, &b, 'P', 7), NIK_EREGENCY);
  ck_assert_int_eq(nik_format(buf, 36, 71, 0, &b, 'P', 7), NIK_EKECAMATAN);
  ck_assert_int_eq(nik_format(buf, 36, 71, 1, &b, 'X', 7), NIK_EDAY);
  ck_assert_int_eq(nik_format(buf, 36, 71, 1, &b, 'L', 0), NIK_ESERIAL);
  ck_assert_int_eq(nik_format(buf, 36, 71, 1, &b, 'L', 10000), NIK_ESERIAL);
  struct date_ymd bad = {2001, 2, 29};
  ck_assert_int_eq(nik_format(buf, 36, 71, 1, &bad, 'L', 1), NIK_EDATE);
}
END_TEST

START_TEST(dates) {
  struct date_ymd d;
  struct date_ymd epoch = {1970, 1, 1}, leap = {2000, 3, 1}, old = {1900, 2, 28};
  ck_assert_int_eq(date_to_days(&epoch), 0);
  ck_assert_int_eq(date_to_days(&leap), 11017);
  ck_assert_int_eq(date_to_days(&ref), 20784);
  ck_assert_int_eq(date_to_days(&old), -25509);
  for (int64_t day = -80000; day < 80000; day += 7) {
    date_from_days(day, &d);
    ck_assert(date_valid(&d));
    ck_assert_int_eq(date_to_days(&d), day);
  }
  ck_assert_int_eq(date_parse("2024-02-29", 10, &d), 0);
  ck_assert_int_eq(date_parse("2023-02-29", 10, &d), -1);
  ck_assert_int_eq(date_parse("1900-02-29", 10, &d), -1);
  ck_assert_int_eq(date_parse("2026-13-01", 10, &d), -1);
  ck_assert_int_eq(date_parse("2026-1-01", 9, &d), -1);
  ck_assert_int_eq(date_parse("2026/11/27", 10, &d), -1);
  ck_assert_int_eq(date_parse("0000-01-01", 10, &d), -1);
  char buf[11];
  d = (struct date_ymd){987, 6, 5};
  date_format(&d, buf);
  ck_assert_str_eq(buf, "0987-06-05");

  struct date_ymd b = {2000, 2, 29}, on1 = {2001, 2, 28}, on2 = {2001, 3, 1}, on3 = {2026, 11, 27};
  ck_assert_int_eq(date_age(&b, &on1), 0);
  ck_assert_int_eq(date_age(&b, &on2), 1);
  ck_assert_int_eq(date_age(&b, &on3), 26);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("nik");
  TCase *tc = tcase_create("nik");
  tcase_add_test(tc, valid_man_and_woman);
  tcase_add_test(tc, moved_in_from_elsewhere);
  tcase_add_test(tc, february_29);
  tcase_add_test(tc, year_resolution);
  tcase_add_test(tc, invalid_days_and_months);
  tcase_add_test(tc, invalid_serial_and_region);
  tcase_add_test(tc, province_list);
  tcase_add_test(tc, form);
  tcase_add_test(tc, error_texts);
  tcase_add_test(tc, record_agreement);
  tcase_add_test(tc, format_round_trip);
  tcase_add_test(tc, dates);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return tu_run_suite(suite());
}
