/*
 * runs.c — recording a match run (runs.h).  Proposals become referrals with
 * status proposed and a creation event, so that their life cycle starts the
 * same whichever tool made them; the outcome rows (unmatched by reason,
 * shortlists) are aggregates and name nobody.
 */
#include "runs.h"

#include <string.h>

const char *runs_reason_code(enum mt_reason why) {
  return why == MT_R_ELIGIBLE ? "capacity_full" : mt_reason_code(why);
}

const char *runs_reason_text(const char *code, int english) {
  if (strcmp(code, "capacity_full") == 0)
    return english ? "Every vacancy that fits was full." : "Semua lowongan yang cocok sudah penuh.";
  for (int k = 0; k < MT_N_REASONS; k++)
    if (k != MT_R_ELIGIBLE && strcmp(code, mt_reason_code((enum mt_reason)k)) == 0)
      return english ? mt_reason_text_en((enum mt_reason)k) : mt_reason_text_id((enum mt_reason)k);
  return NULL;
}

int runs_record(struct store *s, const struct mt_match_result *res, const char *algorithm,
                const char *run_date, double ms, int64_t by_user, int64_t *run_id) {
  struct store_match_run m = {.created_by = by_user,
                              .algorithm = algorithm,
                              .run_date = run_date,
                              .total_key = res->total_key,
                              .duration_ms = ms,
                              .total_gain = res->total_gain,
                              .n_proposals = (int64_t)res->n_proposals,
                              .n_unmatched = (int64_t)res->n_unmatched};
  size_t count[MT_N_REASONS] = {0};
  for (size_t i = 0; i < res->n_unmatched; i++)
    if ((unsigned)res->unmatched[i].reason < MT_N_REASONS)
      count[res->unmatched[i].reason]++;
  char now[21];
  store_now_iso(now);
  int rc = store_begin(s);
  if (rc != STORE_OK)
    return rc;
  rc = store_match_run_add(s, &m, run_id);
  for (size_t i = 0; rc == STORE_OK && i < res->n_proposals; i++) {
    const struct mt_proposal *p = &res->proposals[i];
    int64_t ref = 0;
    rc = store_referral_propose(s, *run_id, p->resident_id, p->vacancy_id, p->fit, p->priority,
                                p->key, by_user, &ref);
    if (rc == STORE_OK)
      rc = store_referral_event_add(s, ref, NULL, "proposed", by_user, now, NULL);
  }
  for (int k = 0; rc == STORE_OK && k < MT_N_REASONS; k++)
    if (count[k] > 0)
      rc = store_match_run_unmatched_add(s, *run_id, runs_reason_code((enum mt_reason)k),
                                         (int64_t)count[k]);
  for (size_t i = 0; rc == STORE_OK && i < res->n_fill; i++)
    rc = store_match_run_fill_add(s, *run_id, res->fill[i].vacancy_id, res->fill[i].capacity,
                                  res->fill[i].proposed);
  if (rc == STORE_OK)
    rc = store_commit(s);
  if (rc != STORE_OK)
    store_rollback(s);
  return rc;
}
