/*
 * runs.h — computing and recording a match run.  The server (POST
 * /v1/match-runs) and the command line (padan match) run it the same way:
 * runs_execute() reads what the run must know beyond the engine's snapshot
 * (open referrals per vacancy, residents with an open step, pairs that
 * ended recently, batches with seats left), solves one exact plan of job
 * and course steps, and prepares everything it records while the engine is
 * held (each proposal's explanation, each course step's reasoning, the
 * reasons given to the poorest who got no step); runs_record() then writes
 * the run, its referrals and course steps with their first state, the
 * unmatched counted by reason, every vacancy's shortlist, the targeting
 * figures and the reasons, in one transaction (docs/MATCHING.md).
 */
#ifndef PADAN_RUNS_H
#define PADAN_RUNS_H

#include "matcher.h"
#include "store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* The reason code stored and shown for an unmatched resident: the engine's
 * code, or "capacity_full" for MT_R_ELIGIBLE (every vacancy they fit was
 * full); and its texts. */
const char *runs_reason_code(enum mt_reason why);
/* The texts for a stored code; NULL for a code this version does not know. */
const char *runs_reason_text(const char *code, int english);

/* Texts for the codes of match_run_reasons (those above, and
 * vacancies_full, batches_full, recently_ended, no_batch_seat). */
const char *runs_code_text(const char *code, int english);

/* The group names of match_run_targeting, by enum mt_group. */
const char *runs_group_name(enum mt_group g);

/* A resident of a target group the run gave no step. */
struct runs_reason {
  uint32_t resident_id, course_id; /* course_id 0: none */
  unsigned groups;                 /* 1 << enum mt_group */
  const char *code;
  char reason_id[400], reason_en[400];
};

/* A computed run, ready to record; runs_plan_free() releases it. */
struct runs_plan {
  struct mt_match_result *res;
  char **ref_json;  /* per proposal: its explanation */
  char **step_json; /* per course step: its explanation */
  struct runs_reason *reasons;
  size_t n_reasons;
};
void runs_plan_free(struct runs_plan *p);

/* Runs algo on e (held by the caller for reading) with the store's view of
 * open steps, on e's run date; no_jobs: course steps only (the training
 * plan).  STORE_OK, a store failure, or STORE_ENOMEM / STORE_EIO when the
 * engine fails; *out is filled only on STORE_OK. */
int runs_execute(struct store *s, const struct mt_engine *e, enum mt_algorithm algo, int no_jobs,
                 struct runs_plan *out);

/* Records p as run *run_id, made by by_user (-1: the command line) on
 * run_date with the given algorithm name and duration.  All or nothing: a
 * STORE_* code, STORE_OK when committed. */
int runs_record(struct store *s, const struct runs_plan *p, const char *algorithm,
                const char *run_date, double ms, int64_t by_user, int64_t *run_id);

/* The run's targeting figures as [{group, eligible, job_steps,
 * course_steps, share_eligible, share_job_steps, share_course_steps,
 * share_steps, ratio, steps_to_parity, blocked_by, more_seats}] (json null
 * for a run recorded without them) into *out, a new reference; a STORE_*
 * code.  blocked_by counts the group's residents without a step by code;
 * more_seats names the courses whose seats would serve them, as many as
 * steps_to_parity needs (both null for women, disability and all). */
int runs_targeting_json(struct store *s, int64_t run_id, json_t **out);

#endif
