/*
 * gov_verify.c — verification of a resident's DTSEN record by a desk, and
 * the list of records whose verification is missing or expired (see gov.h
 * and docs/GOVERNANCE.md).
 */
#include "gov_int.h"

#include "issues.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- Verification ---------------------------------------------------------------------------- */

int gov_verify(struct store *s, int64_t resident_id, const struct gov_actor *by, const char *date,
               const char *note, struct gov_report *rep) {
  gov__report_init(rep);
  rep->rows = 1;
  char today[11];
  gov_today(today);
  const char *day = date != NULL && *date != '\0' ? date : today;
  int64_t d = gov__date_days(day);
  if (d == INT64_MIN)
    gov__field_issue(rep, "date", I_DATE_FORMAT, day);
  else if (d > gov__date_days(today))
    gov__field_issue(rep, "date", I_DATE_FUTURE, day);
  gov__check_free_text(rep, "note", note, 0, MAX_NOTE);
  if (rep->errors > 0)
    return gov__finish(rep, GOV_EINVALID);

  if (store_begin(s) != STORE_OK)
    return gov__finish(rep, GOV_ESTORE);
  struct store_gov_resident *cur = malloc(sizeof *cur);
  int status = cur == NULL ? GOV_ENOMEM : gov__in_scope(s, by, resident_id);
  if (status != GOV_OK)
    goto rollback;
  status = gov__rc(store_gov_resident_read(s, resident_id, cur));
  if (status != GOV_OK)
    goto rollback;
  int64_t born = gov__date_days(cur->birth_date);
  if (born != INT64_MIN && d < born) {
    gov__field_issue(rep, "date", I_VERIFIED_BEFORE_BIRTH, day);
    status = GOV_EINVALID;
    goto rollback;
  }
  char detail[64];
  snprintf(detail, sizeof detail, "verified_at %s", day);
  int rc = store_gov_verify(s, resident_id, day, gov__actor_id(by), note);
  if (rc == STORE_OK)
    rc = store_gov_history_add(s, resident_id, gov__actor_id(by), "verified_at",
                               cur->verified_at[0] ? cur->verified_at : NULL, day, note);
  if (rc == STORE_OK)
    rc = gov__audit(s, by, "verify_resident", resident_id, NULL, detail);
  status = gov__commit(s, rc, rep, 1);
  if (status != GOV_OK)
    goto rollback;
  free(cur);
  return gov__finish(rep, GOV_OK);

rollback:
  store_rollback(s);
  free(cur);
  return gov__finish(rep, status);
}

int gov_needing_verification(struct store *s, const struct gov_actor *by, int64_t kelurahan_id,
                             const char *today, int validity_days,
                             int (*fn)(void *arg, const struct store_gov_unverified *r),
                             void *arg) {
  char day[11];
  gov__day_or_today(day, today);
  int rc = store_gov_unverified_each(s, kelurahan_id, day, validity_days, fn, arg);
  if (rc == STORE_OK && by != NULL) {
    char detail[96];
    snprintf(detail, sizeof detail, "kelurahan %lld, validity %d days, on %s",
             (long long)kelurahan_id, validity_days, day);
    rc = gov__audit(s, by, "report_verification", -1, NULL, detail);
  }
  return rc < 0 ? gov__rc(rc) : rc;
}
