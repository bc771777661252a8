/*
 * dates.h — padan's one home for calendar days: ISO dates, days since the
 * epoch, ages, whole months, and "today" in Kota Tangerang.
 *
 * Kota Tangerang keeps Western Indonesia Time (WIB, Asia/Jakarta): UTC+7
 * all year, no daylight saving, so the local day of an instant is the UTC
 * day of the instant seven hours later and needs no time-zone database.
 * Every report, stamp and "today" padan shows is a WIB day; timestamps are
 * stored in UTC ("YYYY-MM-DDTHH:MM:SSZ") and turned into WIB days here.
 *
 * Dates are proleptic Gregorian, years 1..9999.  A day number counts days
 * since 1970-01-01 (negative before).  Nothing here allocates or reads the
 * clock: callers pass the instant (time(NULL), or the request's arrival).
 */
#ifndef PADAN_DATES_H
#define PADAN_DATES_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* WIB's offset from UTC in seconds. */
#define DATE_WIB_OFFSET (7 * 3600)

/* A calendar date. */
struct date_ymd {
  int year, month, day;
};

int date_is_leap(int year);
/* Days in month (1–12) of year, 0 for a month out of range. */
int date_days_in_month(int year, int month);
/* 1 when y-m-d is a real date with year 1..9999. */
int date_valid(const struct date_ymd *d);

/* Parses exactly "YYYY-MM-DD" (len bytes, need not be NUL-terminated) into
 * a real date; returns 0, or -1 (*out is then unspecified). */
int date_parse(const char *s, size_t len, struct date_ymd *out);
/* Writes "YYYY-MM-DD" and a NUL. */
void date_format(const struct date_ymd *d, char out[11]);

/* Days since 1970-01-01 and back. */
int64_t date_to_days(const struct date_ymd *d);
void date_from_days(int64_t days, struct date_ymd *out);

/* The same for ISO text: 0 and *days for a NUL-terminated "YYYY-MM-DD"
 * naming a real date, else -1. */
int date_iso_days(const char *iso, int64_t *days);
void date_iso_from_days(int64_t days, char out[11]);

/* Whole years of age on date on, for someone born on birth (born 29
 * February: a year older on 1 March in common years). */
int date_age(const struct date_ymd *birth, const struct date_ymd *on);

/* Whole calendar months from date from to date to: a month is complete on
 * the day whose number reaches from's (from 31 January, the first month is
 * complete on 1 March).  Negative when to is before from. */
int date_months_between(const struct date_ymd *from, const struct date_ymd *to);

/* The date years calendar years before iso ("YYYY-MM-DD"), 29 February
 * becoming 28 February in a common year; 0, or -1 when iso is no date.
 * Bounds on birth dates ("productive age on today") are made with it. */
int date_iso_years_before(const char *iso, int years, char out[11]);

/* The WIB day of instant t, as a day number. */
int64_t date_wib_day(time_t t);
/* The same as "YYYY-MM-DD". */
void date_wib_iso(time_t t, char out[11]);
/* The WIB day of a UTC stamp "YYYY-MM-DDTHH:MM..." (at least the hour is
 * read; what follows it is ignored); 0, or -1 when unreadable. */
int date_wib_of_stamp(const char *utc, char out[11]);

#endif
