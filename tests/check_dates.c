/*
 * Calendar days and the WIB day (api/src/base/dates.c), against values
 * worked out by hand: the 16:59:59/17:00:00 UTC boundary where Kota
 * Tangerang's day turns, instants before 1970, leap days and month ends
 * for ages, whole months and "N years before", and a brute-force round
 * trip of day numbers over four centuries.
 */
#include "testutil.h"

#include "dates.h"

#include <string.h>

/* 2026-12-07 is day 20794 (2026-11-27 is 20784), so it starts at
 * 20794 × 86400 = 1796601600 UTC; 17:00 UTC is 61200 s later. */
#define DEC7_1659_59 ((time_t)1796662799)
#define DEC7_1700_00 ((time_t)1796662800)

START_TEST(wib_day_turns_at_17_utc) {
  char iso[11];
  ck_assert_int_eq(date_wib_day(DEC7_1659_59), 20794);
  ck_assert_int_eq(date_wib_day(DEC7_1700_00), 20795);
  date_wib_iso(DEC7_1659_59, iso);
  ck_assert_str_eq(iso, "2026-12-07");
  date_wib_iso(DEC7_1700_00, iso);
  ck_assert_str_eq(iso, "2026-12-08");
  /* midnight UTC is 07:00 WIB, the same day */
  date_wib_iso((time_t)20794 * 86400, iso);
  ck_assert_str_eq(iso, "2026-12-07");
  /* 31 December 17:00 UTC is new year in Tangerang */
  ck_assert_int_eq(date_wib_of_stamp("2026-12-31T16:59:59Z", iso), 0);
  ck_assert_str_eq(iso, "2026-12-31");
  ck_assert_int_eq(date_wib_of_stamp("2026-12-31T17:00:00Z", iso), 0);
  ck_assert_str_eq(iso, "2027-01-01");
  /* into a leap day and out of a common February */
  ck_assert_int_eq(date_wib_of_stamp("2024-02-28T17:00:00Z", iso), 0);
  ck_assert_str_eq(iso, "2024-02-29");
  ck_assert_int_eq(date_wib_of_stamp("2023-02-28T18:30:00Z", iso), 0);
  ck_assert_str_eq(iso, "2023-03-01");
  ck_assert_int_eq(date_wib_of_stamp("2026-06-30 23:00:00", iso), 0);
  ck_assert_str_eq(iso, "2026-07-01");
}
END_TEST

START_TEST(wib_day_before_1970) {
  /* -1 is 1969-12-31 23:59:59 UTC, 06:59:59 WIB on 1 January 1970 */
  ck_assert_int_eq(date_wib_day((time_t)-1), 0);
  /* -25201 is 1969-12-31 16:59:59 UTC, still 31 December in WIB */
  ck_assert_int_eq(date_wib_day((time_t)-25201), -1);
  ck_assert_int_eq(date_wib_day((time_t)-25200), 0);
}
END_TEST

START_TEST(unreadable_stamps) {
  char iso[11];
  ck_assert_int_eq(date_wib_of_stamp(NULL, iso), -1);
  ck_assert_int_eq(date_wib_of_stamp("2026-12-31", iso), -1);
  ck_assert_int_eq(date_wib_of_stamp("2026-12-31T2", iso), -1);
  ck_assert_int_eq(date_wib_of_stamp("2026-12-31X12:00:00Z", iso), -1);
  ck_assert_int_eq(date_wib_of_stamp("2026-12-31T24:00:00Z", iso), -1);
  ck_assert_int_eq(date_wib_of_stamp("2026-13-01T00:00:00Z", iso), -1);
  ck_assert_int_eq(date_wib_of_stamp("2023-02-29T00:00:00Z", iso), -1);
}
END_TEST

START_TEST(leap_years_and_month_lengths) {
  ck_assert(date_is_leap(2024));
  ck_assert(date_is_leap(2000));
  ck_assert(!date_is_leap(1900));
  ck_assert(!date_is_leap(2026));
  ck_assert_int_eq(date_days_in_month(2024, 2), 29);
  ck_assert_int_eq(date_days_in_month(2100, 2), 28);
  ck_assert_int_eq(date_days_in_month(2026, 4), 30);
  ck_assert_int_eq(date_days_in_month(2026, 12), 31);
  ck_assert_int_eq(date_days_in_month(2026, 0), 0);
  ck_assert_int_eq(date_days_in_month(2026, 13), 0);
}
END_TEST

START_TEST(iso_days) {
  int64_t d = 12345;
  char iso[11];
  ck_assert_int_eq(date_iso_days("1970-01-01", &d), 0);
  ck_assert_int_eq(d, 0);
  ck_assert_int_eq(date_iso_days("2000-03-01", &d), 0);
  ck_assert_int_eq(d, 11017); /* 30 × 365 + 7 leap days + 31 + 29 */
  ck_assert_int_eq(date_iso_days("2026-11-27", &d), 0);
  ck_assert_int_eq(d, 20784);
  ck_assert_int_eq(date_iso_days("1969-12-31", &d), 0);
  ck_assert_int_eq(d, -1);
  ck_assert_int_eq(date_iso_days("2024-02-29", &d), 0);
  ck_assert_int_eq(date_iso_days("2023-02-29", &d), -1);
  ck_assert_int_eq(date_iso_days("1900-02-29", &d), -1);
  ck_assert_int_eq(date_iso_days("2026-04-31", &d), -1);
  ck_assert_int_eq(date_iso_days("2026-11-27x", &d), -1);
  ck_assert_int_eq(date_iso_days("2026-1-27", &d), -1);
  ck_assert_int_eq(date_iso_days("0000-01-01", &d), -1);
  ck_assert_int_eq(date_iso_days(NULL, &d), -1);
  date_iso_from_days(11016, iso);
  ck_assert_str_eq(iso, "2000-02-29");
  date_iso_from_days(-1, iso);
  ck_assert_str_eq(iso, "1969-12-31");
}
END_TEST

START_TEST(round_trip_four_centuries) {
  struct date_ymd first = {1801, 1, 1}, last = {2200, 12, 31}, prev = {1800, 12, 31};
  int64_t d0 = date_to_days(&first), d1 = date_to_days(&last);
  ck_assert_int_eq(d1 - d0 + 1, 400 * 365 + 97); /* 97 leap days in 400 years */
  for (int64_t day = d0; day <= d1; day++) {
    struct date_ymd d;
    date_from_days(day, &d);
    ck_assert(date_valid(&d));
    ck_assert_int_eq(date_to_days(&d), day);
    /* the next day of prev, by hand */
    struct date_ymd next = prev;
    if (++next.day > date_days_in_month(next.year, next.month)) {
      next.day = 1;
      if (++next.month > 12) {
        next.month = 1;
        next.year++;
      }
    }
    ck_assert(next.year == d.year && next.month == d.month && next.day == d.day);
    prev = d;
  }
}
END_TEST

START_TEST(ages) {
  struct date_ymd leapling = {2000, 2, 29}, other = {1990, 12, 31};
  struct date_ymd d1 = {2001, 2, 28}, d2 = {2001, 3, 1}, d3 = {2004, 2, 28}, d4 = {2004, 2, 29},
                  d5 = {2026, 12, 30}, d6 = {2026, 12, 31};
  ck_assert_int_eq(date_age(&leapling, &d1), 0);
  ck_assert_int_eq(date_age(&leapling, &d2), 1);
  ck_assert_int_eq(date_age(&leapling, &d3), 3);
  ck_assert_int_eq(date_age(&leapling, &d4), 4);
  ck_assert_int_eq(date_age(&other, &d5), 35);
  ck_assert_int_eq(date_age(&other, &d6), 36);
}
END_TEST

START_TEST(whole_months) {
  struct date_ymd jan31 = {2026, 1, 31}, feb28 = {2026, 2, 28}, mar1 = {2026, 3, 1},
                  mar31 = {2026, 3, 31}, jan15 = {2026, 1, 15}, apr14 = {2026, 4, 14},
                  apr15 = {2026, 4, 15}, dec15 = {2025, 12, 15}, ljan31 = {2024, 1, 31},
                  lfeb29 = {2024, 2, 29};
  ck_assert_int_eq(date_months_between(&jan31, &jan31), 0);
  ck_assert_int_eq(date_months_between(&jan31, &feb28), 0); /* 31 February never comes */
  ck_assert_int_eq(date_months_between(&jan31, &mar1), 1);
  ck_assert_int_eq(date_months_between(&jan31, &mar31), 2);
  ck_assert_int_eq(date_months_between(&jan15, &apr14), 2);
  ck_assert_int_eq(date_months_between(&jan15, &apr15), 3);
  ck_assert_int_eq(date_months_between(&dec15, &jan15), 1); /* across a year */
  ck_assert_int_eq(date_months_between(&ljan31, &lfeb29), 0);
  ck_assert_int_eq(date_months_between(&apr15, &jan15), -3);
}
END_TEST

START_TEST(years_before) {
  char iso[11];
  ck_assert_int_eq(date_iso_years_before("2028-02-29", 18, iso), 0);
  ck_assert_str_eq(iso, "2010-02-28"); /* 2010 is common */
  ck_assert_int_eq(date_iso_years_before("2028-02-29", 28, iso), 0);
  ck_assert_str_eq(iso, "2000-02-29");
  ck_assert_int_eq(date_iso_years_before("2026-12-31", 65, iso), 0);
  ck_assert_str_eq(iso, "1961-12-31");
  ck_assert_int_eq(date_iso_years_before("2026-12-31", 0, iso), 0);
  ck_assert_str_eq(iso, "2026-12-31");
  ck_assert_int_eq(date_iso_years_before("2026-02-30", 1, iso), -1);
  ck_assert_int_eq(date_iso_years_before(NULL, 1, iso), -1);
  ck_assert_int_eq(date_iso_years_before("0005-01-01", 5, iso), -1);
}
END_TEST

START_TEST(parse_and_format) {
  struct date_ymd d;
  char buf[11];
  ck_assert_int_eq(date_parse("2026-12-07trailing", 10, &d), 0); /* len bytes only */
  ck_assert(d.year == 2026 && d.month == 12 && d.day == 7);
  ck_assert_int_eq(date_parse("2026/12/07", 10, &d), -1);
  ck_assert_int_eq(date_parse("2026-12-07", 9, &d), -1);
  d = (struct date_ymd){987, 6, 5};
  date_format(&d, buf);
  ck_assert_str_eq(buf, "0987-06-05");
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("dates");
  TCase *tc = tcase_create("dates");
  tcase_add_test(tc, wib_day_turns_at_17_utc);
  tcase_add_test(tc, wib_day_before_1970);
  tcase_add_test(tc, unreadable_stamps);
  tcase_add_test(tc, leap_years_and_month_lengths);
  tcase_add_test(tc, iso_days);
  tcase_add_test(tc, round_trip_four_centuries);
  tcase_add_test(tc, ages);
  tcase_add_test(tc, whole_months);
  tcase_add_test(tc, years_before);
  tcase_add_test(tc, parse_and_format);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return tu_run_suite(suite());
}
