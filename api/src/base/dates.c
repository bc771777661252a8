/*
 * dates.c — calendar days and the WIB (UTC+7) day (see dates.h).  The
 * day-number conversions are Howard Hinnant's civil-date algorithms, exact
 * for the proleptic Gregorian calendar.
 */
#include "dates.h"

#include <stdio.h>
#include <string.h>

int date_is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12)
    return 0;
  return m == 2 && date_is_leap(y) ? 29 : days[m - 1];
}

int date_valid(const struct date_ymd *d) {
  return d->year >= 1 && d->year <= 9999 && d->day >= 1 &&
         d->day <= date_days_in_month(d->year, d->month);
}

static int digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

int date_parse(const char *s, size_t len, struct date_ymd *out) {
  if (len != 10 || s[4] != '-' || s[7] != '-')
    return -1;
  for (size_t i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return -1;
  out->year = digits(s, 4);
  out->month = digits(s + 5, 2);
  out->day = digits(s + 8, 2);
  return date_valid(out) ? 0 : -1;
}

void date_format(const struct date_ymd *d, char out[11]) {
  char buf[40]; /* room for any int, so the compiler sees no truncation */
  snprintf(buf, sizeof buf, "%04d-%02d-%02d", d->year, d->month, d->day);
  snprintf(out, 11, "%.10s", buf);
}

int64_t date_to_days(const struct date_ymd *d) {
  int64_t y = d->year - (d->month <= 2);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t mp = (d->month + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + d->day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void date_from_days(int64_t z, struct date_ymd *out) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  out->year = (int)(yoe + era * 400 + (m <= 2));
  out->month = (int)m;
  out->day = (int)d;
}

int date_iso_days(const char *iso, int64_t *days) {
  struct date_ymd d;
  if (iso == NULL || date_parse(iso, strlen(iso), &d) != 0)
    return -1;
  *days = date_to_days(&d);
  return 0;
}

void date_iso_from_days(int64_t days, char out[11]) {
  struct date_ymd d;
  date_from_days(days, &d);
  date_format(&d, out);
}

int date_age(const struct date_ymd *birth, const struct date_ymd *on) {
  int age = on->year - birth->year;
  if (on->month < birth->month || (on->month == birth->month && on->day < birth->day))
    age--;
  return age;
}

int date_months_between(const struct date_ymd *from, const struct date_ymd *to) {
  return (to->year * 12 + to->month) - (from->year * 12 + from->month) - (to->day < from->day);
}

int date_iso_years_before(const char *iso, int years, char out[11]) {
  struct date_ymd d;
  if (iso == NULL || date_parse(iso, strlen(iso), &d) != 0 || years < 0 || years >= d.year)
    return -1;
  d.year -= years;
  if (d.month == 2 && d.day == 29 && !date_is_leap(d.year))
    d.day = 28;
  date_format(&d, out);
  return 0;
}

int64_t date_wib_day(time_t t) {
  int64_t s = (int64_t)t + DATE_WIB_OFFSET;
  return (s >= 0 ? s : s - 86399) / 86400; /* floor, also before 1970 */
}

void date_wib_iso(time_t t, char out[11]) {
  date_iso_from_days(date_wib_day(t), out);
}

int date_wib_of_stamp(const char *utc, char out[11]) {
  struct date_ymd d;
  if (utc == NULL || strlen(utc) < 13 || (utc[10] != 'T' && utc[10] != ' ') || utc[11] < '0' ||
      utc[11] > '9' || utc[12] < '0' || utc[12] > '9' || date_parse(utc, 10, &d) != 0)
    return -1;
  int hour = digits(utc + 11, 2);
  if (hour > 23)
    return -1;
  date_iso_from_days(date_to_days(&d) + (hour * 3600 + DATE_WIB_OFFSET) / 86400, out);
  return 0;
}
