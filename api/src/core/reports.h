/*
 * reports.h — monitoring and evaluation: the policy paper asks that every
 * intervention be monitored and BLK training judged by whether its
 * graduates find work.  Four reports over the store, with no HTTP in them:
 * the placement funnel (proposed → confirmed → interviewed → hired →
 * retained at 3 and 6 months, and the median days to hire) by kelurahan,
 * kecamatan, course, sector or employer; BLK course outcomes, seeded and
 * measured; the skills gap between open vacancies and eligible residents;
 * and targeting (the shares of poor, extreme-poor, priority-kelurahan,
 * male, female and disabled residents at each stage against the eligible
 * population).  rep_outcomes_measure() recomputes course outcomes from
 * padan's own enrolments and placements and writes them as 'measured', so
 * the next engine snapshot scores the course-outcome component on them.
 * docs/REPORTS.md defines every figure.
 *
 * Every report comes back as one table (struct rep_table), which renders
 * to JSON or to CSV, so both formats always carry the same figures.  Every
 * report takes the caller's scope: a desk passes its kelurahan, an
 * employer its employer, officers and administrators neither.
 */
#ifndef PADAN_REPORTS_H
#define PADAN_REPORTS_H

#include "matcher.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct store;
struct json_t;

enum rep_result {
  REP_OK = 0,
  REP_EINVAL = -1,     /* a bad query parameter; struct rep_error names it */
  REP_EFORBIDDEN = -2, /* this report is not for this scope (targeting for an employer) */
  REP_ESTORE = -3,     /* the database failed (logged by the store, never shown) */
  REP_ENOMEM = -4,
};

/* Whose data a report covers; -1 for no restriction.  A desk passes its
 * kelurahan, an employer its employer id, officers and admins -1/-1. */
struct rep_scope {
  int64_t kelurahan_id;
  int64_t employer_id;
};

/* What the funnel groups by. */
enum rep_by {
  REP_BY_KELURAHAN, /* the resident's kelurahan */
  REP_BY_KECAMATAN, /* the resident's kecamatan */
  REP_BY_COURSE,    /* each BLK course the resident completed before the referral */
  REP_BY_SECTOR,    /* the vacancy's vocation */
  REP_BY_EMPLOYER,
};

enum rep_kind {
  REP_FUNNEL,
  REP_COURSE_OUTCOMES,
  REP_SKILLS_GAP,
  REP_TARGETING,
};

/* A report's parameters; strings are borrowed.  Dates are "YYYY-MM-DD". */
struct rep_query {
  struct rep_scope scope;
  const char *from, *to;       /* funnel, targeting: referrals made in [from, to]; NULL open */
  enum rep_by by;              /* funnel */
  const char *today;           /* skills gap, targeting: NULL today in Kota Tangerang (UTC+7) */
  const char *vocation;        /* skills gap: one vocation slug; NULL all */
  const char *course;          /* course outcomes: one course code; NULL all */
  const struct mt_config *cfg; /* ages, verification window, desil cut-offs; NULL defaults */
};

/* City scope, by kelurahan, every other field NULL. */
void rep_query_init(struct rep_query *q);

/* Which parameter was wrong, with a stable code and messages (static). */
struct rep_error {
  const char *field, *code;
  const char *message_id, *message_en;
};

/* Checks q: dates real and from ≤ to, a known vocation, scope ids -1 or
 * positive.  REP_OK, or REP_EINVAL with err filled (err may be NULL). */
int rep_query_check(const struct rep_query *q, struct rep_error *err);

/* "kelurahan" | "kecamatan" | "course" | "sector" | "employer".  0 or -1. */
int rep_by_parse(const char *s, enum rep_by *out);
const char *rep_by_name(enum rep_by by);
/* "funnel" | "course-outcomes" | "skills-gap" | "targeting".  0 or -1. */
int rep_kind_parse(const char *s, enum rep_kind *out);
const char *rep_kind_name(enum rep_kind kind);

/* ---- The table every report returns ------------------------------------------------- */

struct rep_table;

/* {"report": name, the query's parameters..., "rows": [{column: value}],
 * and "total": {...} for the funnel}.  Integers, numbers (shares rounded
 * to 4 decimals), strings, null for unknown.  A new reference the caller
 * releases with json_decref(); NULL when out of memory. */
struct json_t *rep_table_json(const struct rep_table *t);
/* The same rows as CSV: UTF-8 without byte-order mark, one header row,
 * RFC 4180 quoting, CRLF line ends, numbers plain ("0.3333", "12.5", no
 * exponent, no thousands separator), empty field for unknown.  A funnel
 * table gets a first column "level" (group | total), the total last.
 * 0, or -1 when writing failed. */
int rep_table_csv(const struct rep_table *t, FILE *f);
const char *rep_table_name(const struct rep_table *t);
size_t rep_table_rows(const struct rep_table *t); /* without the total */
void rep_table_free(struct rep_table *t);         /* accepts NULL */

/* ---- The reports ------------------------------------------------------------------- */

/* Runs a report of kind with q (checked first); *out is the caller's
 * (rep_table_free).  err may be NULL. */
int rep_run(struct store *s, enum rep_kind kind, const struct rep_query *q, struct rep_table **out,
            struct rep_error *err);

/* The placement funnel of referrals made in [from, to], one row per group
 * of q->by plus a total (a referral that counts in several course groups
 * counts once in the total).  Scope: a desk's residents, an employer's
 * vacancies. */
int rep_funnel(struct store *s, const struct rep_query *q, struct rep_table **out);
/* Stored outcomes of every BLK batch (or q->course's), seeded and measured
 * rows side by side, labelled, with the one the engine uses marked in
 * force.  Programme figures: the same for every scope. */
int rep_course_outcomes(struct store *s, const struct rep_query *q, struct rep_table **out);
/* Demand for each skill in open vacancies against its supply among
 * eligible residents, with the courses that teach it.  A desk's supply is
 * its kelurahan's residents; an employer's demand is its own vacancies. */
int rep_skills_gap(struct store *s, const struct rep_query *q, struct rep_table **out);
/* Shares of each group at each stage against the eligible population.
 * REP_EFORBIDDEN for an employer scope: employers never see a resident's
 * poverty status, and a share over a few hires would show it. */
int rep_targeting(struct store *s, const struct rep_query *q, struct rep_table **out);

/* The inclusion- and exclusion-error lists of docs/GOVERNANCE.md as
 * tables, in the scope's kelurahan (a desk's) or the whole city: every pair
 * of one resident's services that conflict and overlap (gov_overlaps), and
 * the target residents of priority kelurahan nobody serves (gov_unserved,
 * on q->today with q->cfg).  Each read is audited by by (report_overlaps,
 * report_unserved), as the command line's is.  REP_EFORBIDDEN for an
 * employer scope. */
struct gov_actor;
int rep_overlaps(struct store *s, const struct rep_query *q, const struct gov_actor *by,
                 struct rep_table **out);
int rep_unserved(struct store *s, const struct rep_query *q, const struct gov_actor *by,
                 struct rep_table **out);

/* Recomputes BLK course outcomes from padan's enrolments and placements for
 * every batch with enrolments, on today (NULL: today in Kota Tangerang).  A
 * batch whose six-month window after its end date has closed gets its
 * figures written as source 'measured' (every earlier measured row is
 * replaced; seeded rows are never touched); a batch still inside its window
 * is reported as 'provisional' and not written.  One transaction (call it
 * outside any other).  *out lists what was computed (may be NULL). */
int rep_outcomes_measure(struct store *s, const char *today, struct rep_table **out);

#endif
