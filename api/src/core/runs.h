/*
 * runs.h — recording a match run.  The server (POST /v1/match-runs) and the
 * command line (padan match) record a result the same way: the run, each
 * proposal as a referral with its first event, the unmatched residents
 * counted by reason and every considered vacancy's shortlist, in one
 * transaction.
 */
#ifndef PADAN_RUNS_H
#define PADAN_RUNS_H

#include "matcher.h"
#include "store.h"

#include <stdint.h>

/* The reason code stored and shown for an unmatched resident: the engine's
 * code, or "capacity_full" for MT_R_ELIGIBLE (every vacancy they fit was
 * full); and its texts. */
const char *runs_reason_code(enum mt_reason why);
/* The texts for a stored code; NULL for a code this version does not know. */
const char *runs_reason_text(const char *code, int english);

/* Records res as run *run_id, made by by_user (-1: the command line) on
 * run_date with the given algorithm name and duration.  All or nothing: a
 * STORE_* code, STORE_OK when committed. */
int runs_record(struct store *s, const struct mt_match_result *res, const char *algorithm,
                const char *run_date, double ms, int64_t by_user, int64_t *run_id);

#endif
