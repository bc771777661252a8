/*
 * gov.h — DTSEN data governance: the policy paper's "one verified data
 * basis, and programmes that neither serve anyone twice nor miss anyone",
 * as logic over the store with no HTTP in it.  A kelurahan desk verifies or
 * corrects a resident (every correction keeps its old and new value); other
 * offices' interventions come in as an all-or-nothing CSV into one registry;
 * two reports list the inclusion errors (residents served twice at once)
 * and the exclusion errors (target residents of priority kelurahan never
 * served); and a resident's rights under UU PDP (Law 27/2022) — access,
 * correction, erasure — are each one call.  docs/GOVERNANCE.md has the
 * rules and their reasons, docs/INTERVENTIONS-FORMAT.md the CSV format.
 *
 * Every act writes an audit row through store_audit_add().  Each call that
 * writes runs its own transaction (BEGIN IMMEDIATE), so it must not be made
 * inside another one; either everything it does is written or nothing.
 */
#ifndef PADAN_GOV_H
#define PADAN_GOV_H

#include "matcher.h"
#include "priority.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dtsen.h"

struct json_t;

enum gov_result {
  GOV_OK = 0,
  GOV_EINVALID = -1,  /* the report lists the problems; nothing was written */
  GOV_ENOTFOUND = -2, /* no such resident, erased, or outside the actor's kelurahan */
  GOV_EREFUSED = -3,  /* the resident's current services forbid it now; the report says which */
  GOV_ESTORE = -4,    /* the database failed; rolled back, nothing was written */
  GOV_ENOMEM = -5,
  GOV_EFULL = -6, /* the disk (or the database's page limit) is full; rolled back */
};

/* Who acts: written to the audit log and the history.  Strings borrowed. */
struct gov_actor {
  int64_t user_id;      /* -1: the command line (stored as NULL) */
  const char *username; /* NULL: "cli" */
  const char *role;     /* NULL: "cli" */
  const char *route;    /* NULL: "cli"; the HTTP route otherwise */
  int64_t kelurahan_id; /* a desk's kelurahan: other residents are "not found"; -1 all */
};

/* ---- Reports of problems ---------------------------------------------------------- */

#define GOV_MAX_ISSUES 1000

/* One problem, about a file's row and column or about one field of a
 * record (line and row 0). */

struct gov_report {
  enum gov_result status;
  int dry_run;
  int committed; /* 1 when something was written */
  /* An import: data rows read and what became of them.  A correction: rows
   * = 1 and updated = the number of fields that changed (unchanged = 1 when
   * none did). */
  size_t rows, new_rows, updated, unchanged;
  size_t error_rows, errors, warnings;
  struct dtsen_issue *issues; /* the first GOV_MAX_ISSUES, in order */
  size_t n_issues;
  size_t issues_cap; /* private */
};

/* Frees the issue list; accepts NULL and a zeroed report. */
void gov_report_free(struct gov_report *rep);
/* The report as JSON (the shape of dtsen_report_json); a new reference the
 * caller releases with json_decref(), NULL when out of memory. */
struct json_t *gov_report_json(const struct gov_report *rep);
/* Writes the JSON, indented, and a newline.  0 or -1. */
int gov_report_print(FILE *f, const struct gov_report *rep);

/* Today in Kota Tangerang (UTC+7) as "YYYY-MM-DD". */
void gov_today(char out[11]);

/* ---- Verification and corrections --------------------------------------------------- */

/* Marks a resident verified on date ("YYYY-MM-DD", NULL: today) with an
 * optional note (at most 1000 bytes): sets verified_at/by/note, adds a
 * history row for verified_at and an audit row "verify_resident".  A date in
 * the future or before the birth date is refused.  *rep is always filled;
 * the caller frees it with gov_report_free(). */
int gov_verify(struct store *s, int64_t resident_id, const struct gov_actor *by, const char *date,
               const char *note, struct gov_report *rep);

/* One field to correct.  field is a DTSEN column name (docs/GOVERNANCE.md
 * lists the correctable ones: every column but verified_at and synthetic);
 * value is in the DTSEN format, "" or NULL to clear an optional field. */
struct gov_change {
  const char *field, *value;
};

/* Applies changes to a resident after validating every one of them against
 * the DTSEN rules (dtsen.h enumerations, nik.h) and the record as it would
 * become; reason is required (at most 1000 bytes).  Each changed field gets
 * a history row with its old and new value; unchanged fields get none.  A
 * NIK that disagrees with the birth date or sex is accepted and flagged
 * (nik_flag), as on import.  Any problem: GOV_EINVALID, every problem in
 * *rep, nothing written. */
int gov_correct(struct store *s, int64_t resident_id, const struct gov_actor *by,
                const struct gov_change *changes, size_t n, const char *reason,
                struct gov_report *rep);

/* Residents never verified or verified more than validity_days before today
 * (NULL: today) — the ones the engine will not match — in one kelurahan or
 * (-1) all, poorest first within each kelurahan.  by may be NULL (no audit
 * row); otherwise one "report_verification" audit row is written.  fn's
 * non-zero value stops the walk and is returned. */
int gov_needing_verification(struct store *s, const struct gov_actor *by, int64_t kelurahan_id,
                             const char *today, int validity_days,
                             int (*fn)(void *arg, const struct store_gov_unverified *r), void *arg);

/* ---- The intervention registry ------------------------------------------------------- */

struct gov_import_options {
  int dry_run;       /* validate and count in a transaction that is rolled back */
  const char *today; /* "YYYY-MM-DD"; NULL: today in Kota Tangerang */
};

/* Imports the CSV of docs/INTERVENTIONS-FORMAT.md (data, len bytes,
 * borrowed): every row valid, or nothing written and every bad row and
 * field in *rep.  A row that repeats a recorded intervention (same office
 * and source_ref, or without source_ref the same resident, kind, office and
 * start date) updates its dates and status, or counts as unchanged — so the
 * same file twice changes nothing.  o may be NULL.  Returns rep->status. */
int gov_interventions_import(struct store *s, const char *data, size_t len,
                             const struct gov_import_options *o, const struct gov_actor *by,
                             struct gov_report *rep);

/* The inclusion-error list: every pair of one resident's services whose
 * kinds conflict and whose periods overlap (store_gov_overlaps), in one
 * kelurahan or (-1) all.  Audited as "report_overlaps" unless by is NULL. */
int gov_overlaps(struct store *s, const struct gov_actor *by, int64_t kelurahan_id,
                 int (*fn)(void *arg, const struct store_gov_overlap *o), void *arg);

/* The exclusion-error list: in each priority kelurahan (priority.h, the
 * flag in force, highest index first), the residents the matching policy
 * targets (store_gov_target from cfg: productive age, not working, not in
 * school, verified within cfg->verification_valid_days, desil up to
 * cfg->desil_poor) who are not served: no referral that reached confirmed
 * or later, no enrolment, no other office's active intervention (a
 * proposal, even withdrawn, is not service; store_gov_unserved_each is
 * the one home of this rule).  today NULL: today; kelurahan_id -1 for every priority
 * kelurahan.  Audited as "report_unserved" unless by is NULL. */
int gov_unserved(struct store *s, const struct gov_actor *by, const char *today,
                 const struct mt_config *cfg, int64_t kelurahan_id,
                 int (*fn)(void *arg, const struct priority_kelurahan *k,
                           const struct store_gov_unserved *u),
                 void *arg);

/* ---- A resident's rights under UU PDP ------------------------------------------------- */

/* Everything stored about a resident as one JSON object: the record with
 * every column, skills, history, interventions, referrals with their
 * events, enrolments, and the access record (audit rows about them,
 * including this export's own, which is written first).  *out is a new
 * reference the caller releases with json_decref().  purpose may be NULL. */
int gov_export_resident(struct store *s, int64_t resident_id, const struct gov_actor *by,
                        const char *purpose, struct json_t **out);

/* Erases a resident's personal data where the law allows: refused
 * (GOV_EREFUSED, the holds listed in *rep) while a referral is open, an
 * intervention active, a course running, or a placement under its 3- and
 * 6-month follow-up.  Otherwise wipes the record but its kelurahan, desil
 * and timestamps (store_gov_erase), audits "erase_resident" with the reason
 * (required) and checkpoints the WAL so that the NIK's bytes are gone from
 * the database files.  An erased resident is "not found" from then on. */
int gov_erase_resident(struct store *s, int64_t resident_id, const struct gov_actor *by,
                       const char *reason, struct gov_report *rep);

#endif
