/*
 * steps.h — the checks a resident's next step must pass before Disnaker
 * commits to it, shared by every way of taking one: confirming a referral
 * (PATCH /v1/referrals/{id}, the bulk decisions on a run's proposals),
 * confirming a course step and enrolling a resident in a BLK batch.
 *
 * The intervention registry decides first: a new service must not
 * conflict with one the resident already receives (intervention_conflicts,
 * docs/GOVERNANCE.md).  An enrolment must also find its batch open, not
 * full, and not taken twice or alongside another course.  A refusal comes
 * back as a machine code and one sentence in Indonesian and English naming
 * what stands in the way; the caller answers 409 with it and writes
 * nothing.  Every function runs inside the caller's transaction.
 */
#ifndef PADAN_STEPS_H
#define PADAN_STEPS_H

#include <stdint.h>

#include "store.h"

/* The office an enrolment's registry row names. */
#define STEPS_BLK_OFFICE "BLK Kota Tangerang"

struct steps_refusal {
  int refused; /* 1: the step may not be taken now */
  /* registry_conflict, batch_finished, already_enrolled, batch_full,
   * enrolment_clash */
  char code[24];
  char detail_id[512], detail_en[512];
  struct store_gov_conflict conflict; /* registry_conflict only */
};

/* Checks a new service of group grp ("job", "training") to resident_id
 * from start to end (ISO dates; end NULL: open) against the registry; a
 * conflict fills why.  STORE_OK (refused or not) or a store failure. */
int steps_check_registry(struct store *s, int64_t resident_id, const char *grp, const char *start,
                         const char *end, struct steps_refusal *why);

/* Confirming a referral is a job service from today, open-ended. */
int steps_check_job(struct store *s, int64_t resident_id, const char *today,
                    struct steps_refusal *why);

/* Enrols resident_id in batch_id (status enrolled, with its registry row)
 * after every check; refused: nothing written and why filled.  by_user -1
 * for none.  *enrolment_id is the new enrolment.  STORE_OK (refused or
 * not) or a store failure (STORE_ENOTFOUND: no such batch). */
int steps_enrol(struct store *s, int64_t batch_id, int64_t resident_id, int64_t by_user,
                const char *today, struct steps_refusal *why, int64_t *enrolment_id);

/* What finishing a course does to the resident's record: an enrolment
 * moving to completed adds every skill course_id teaches (a skill the
 * resident declared becomes course-taught), one moving to certified also
 * marks them certified.  Each skill whose hold changes is one
 * resident_history row (field "skills", old and new hold as "CODE
 * (self-reported)", "CODE (course-taught)", "CODE* (certified)", the
 * reason naming the course and enrolment) by by_user (-1: none).  Inside
 * the caller's transaction; the caller refreshes the resident in the
 * engine after the commit, so the next ranking uses the skills. */
int steps_course_skills(struct store *s, int64_t resident_id, int64_t course_id,
                        const char *course_code, int64_t enrolment_id, int certified,
                        int64_t by_user);

#endif
