/*
 * gov.c — what every job of DTSEN data governance shares (see gov.h and
 * docs/GOVERNANCE.md): the report of issues a call returns, the audit row,
 * the kelurahan scope of a resident and the checks of free text.  The jobs
 * live one per file: gov_verify.c (verification), gov_correct.c
 * (corrections with history), gov_interventions.c (the intervention
 * registry and its import), gov_lists.c (the overlap and unserved lists)
 * and gov_rights.c (a resident's export and erasure).  Validation follows
 * the DTSEN extract's rules (docs/DTSEN-FORMAT.md) with the same issue
 * codes, so a desk's correction is held to what an import would accept.
 */
#include "gov_int.h"

#include "dates.h"
#include "dtsen.h"
#include "issues.h"
#include "nik.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- Reports ------------------------------------------------------------------------------ */

/* Counts the issue and keeps it while the list has room; a failed growth
 * only shortens the list (the counts stay right). */
void gov__add_issue(struct gov_report *rep, size_t line, size_t row, const char *column,
                    const char *code, const char *msg_id, const char *msg_en, const char *value,
                    size_t value_len, int warning) {
  if (warning)
    rep->warnings++;
  else
    rep->errors++;
  struct dtsen_issue is;
  dtsen_issue_fill(&is, line, row, column, code, msg_id, msg_en, value, value_len, warning);
  dtsen_issue_push(&rep->issues, &rep->n_issues, &rep->issues_cap, GOV_MAX_ISSUES, &is);
}

/* An issue about one field of a record (no file). */
void gov__field_issue(struct gov_report *rep, const char *field, enum issue code,
                      const char *value) {
  const struct issue_text *t = &issue_texts[code];
  int warning = code == I_NIK_DATE_MISMATCH || code == I_NIK_SEX_MISMATCH || code == I_CHECKPOINT;
  gov__add_issue(rep, 0, 0, field, t->code, t->id, t->en, value, value ? strlen(value) : 0,
                 warning);
}

void gov__report_init(struct gov_report *rep) {
  memset(rep, 0, sizeof *rep);
}

void gov_report_free(struct gov_report *rep) {
  if (rep == NULL)
    return;
  free(rep->issues);
  rep->issues = NULL;
  rep->n_issues = rep->issues_cap = 0;
}

static const char *status_name(enum gov_result r) {
  switch (r) {
  case GOV_OK:
    return "ok";
  case GOV_EINVALID:
    return "invalid";
  case GOV_ENOTFOUND:
    return "not_found";
  case GOV_EREFUSED:
    return "refused";
  case GOV_ESTORE:
    return "store_error";
  case GOV_ENOMEM:
    return "out_of_memory";
  case GOV_EFULL:
    return "storage_full";
  }
  return "unknown";
}

struct json_t *gov_report_json(const struct gov_report *rep) {
  json_t *issues = dtsen_issues_json(rep->issues, rep->n_issues);
  if (issues == NULL)
    return NULL;
  return json_pack("{s:s, s:b, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:o}", "status",
                   status_name(rep->status), "dry_run", rep->dry_run, "committed", rep->committed,
                   "rows", (json_int_t)rep->rows, "new", (json_int_t)rep->new_rows, "updated",
                   (json_int_t)rep->updated, "unchanged", (json_int_t)rep->unchanged, "error_rows",
                   (json_int_t)rep->error_rows, "errors", (json_int_t)rep->errors, "warnings",
                   (json_int_t)rep->warnings, "issues_truncated",
                   rep->n_issues < rep->errors + rep->warnings, "issues", issues);
}

int gov_report_print(FILE *f, const struct gov_report *rep) {
  return dtsen_json_print(f, gov_report_json(rep));
}

/* ---- Small helpers ------------------------------------------------------------------------- */

void gov_today(char out[11]) {
  date_wib_iso(time(NULL), out);
}

void gov__day_or_today(char out[11], const char *day) {
  if (day == NULL)
    gov_today(out);
  else
    snprintf(out, 11, "%s", day);
}

int gov__rc(int store_rc) {
  switch (store_rc) {
  case STORE_OK:
    return GOV_OK;
  case STORE_ENOTFOUND:
    return GOV_ENOTFOUND;
  case STORE_ENOMEM:
    return GOV_ENOMEM;
  case STORE_EFULL:
    return GOV_EFULL;
  default:
    return GOV_ESTORE;
  }
}

int gov__audit(struct store *s, const struct gov_actor *by, const char *action, int64_t resident_id,
               const char *purpose, const char *detail) {
  struct store_audit a = {
      .user_id = by != NULL ? by->user_id : -1,
      .username = by != NULL && by->username != NULL ? by->username : "cli",
      .role = by != NULL && by->role != NULL ? by->role : "cli",
      .action = action,
      .route = by != NULL && by->route != NULL ? by->route : "cli",
      .purpose = purpose,
      .detail = detail,
      .resident_id = resident_id,
  };
  return store_audit_add(s, &a);
}

int64_t gov__actor_id(const struct gov_actor *by) {
  return by != NULL ? by->user_id : -1;
}

/* GOV_OK when resident id exists, is not erased and is within by's
 * kelurahan. */
int gov__in_scope(struct store *s, const struct gov_actor *by, int64_t id) {
  int64_t kelurahan = -1;
  int erased = 0;
  int rc = store_gov_resident_scope(s, id, &kelurahan, &erased);
  if (rc != STORE_OK)
    return gov__rc(rc);
  if (erased || (by != NULL && by->kelurahan_id >= 0 && kelurahan != by->kelurahan_id))
    return GOV_ENOTFOUND;
  return GOV_OK;
}

/* A free-text argument such as a reason or a note: optional or required,
 * one line, at most max bytes.  Returns 1 when acceptable. */
int gov__check_free_text(struct gov_report *rep, const char *field, const char *v, int required,
                         size_t max) {
  if (v == NULL || *v == '\0') {
    if (required)
      gov__field_issue(rep, field, strcmp(field, "reason") == 0 ? I_REASON_REQUIRED : I_REQUIRED,
                       NULL);
    return !required;
  }
  size_t len = strlen(v);
  if (len > max) {
    gov__field_issue(rep, field, I_TOO_LONG, v);
    return 0;
  }
  if (!dtsen_text_ok(v, len)) {
    gov__field_issue(rep, field, I_TEXT, NULL);
    return 0;
  }
  return 1;
}

int64_t gov__date_days(const char *s) {
  struct date_ymd d;
  if (s == NULL || date_parse(s, strlen(s), &d) != 0)
    return INT64_MIN;
  return date_to_days(&d);
}

/* Ends a call: records status in the report and returns it. */
int gov__finish(struct gov_report *rep, int status) {
  rep->status = (enum gov_result)status;
  return status;
}

int gov__commit(struct store *s, int rc, struct gov_report *rep, int updated) {
  if (rc == STORE_OK)
    rc = store_commit(s);
  int status = gov__rc(rc);
  if (status == GOV_OK) {
    rep->updated = updated;
    rep->committed = 1;
  }
  return status;
}
