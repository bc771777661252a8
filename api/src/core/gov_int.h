/*
 * gov_int.h — private to the governance files (gov*.c): the report and
 * audit helpers every job shares, and the text limits they apply.  The
 * public interface is gov.h.
 */
#ifndef PADAN_GOV_INT_H
#define PADAN_GOV_INT_H

#include "gov.h"
#include "issues.h"

#include <stddef.h>
#include <stdint.h>

/* Longest values a record or a registry row holds, in bytes. */
#define MAX_NAME 100
#define MAX_ADDRESS 200
#define MAX_NOTE 1000
#define MAX_OFFICE 100
#define MAX_REF 64
#define MAX_LIST 64

/* Counts an issue in rep and keeps it while the list has room. */
void gov__add_issue(struct gov_report *rep, size_t line, size_t row, const char *column,
                    const char *code, const char *msg_id, const char *msg_en, const char *value,
                    size_t value_len, int warning);
/* An issue about one field of a record (no file). */
void gov__field_issue(struct gov_report *rep, const char *field, enum issue code,
                      const char *value);
/* Empties rep. */
void gov__report_init(struct gov_report *rep);
/* The GOV_* code of a STORE_* code. */
int gov__rc(int store_rc);
/* Writes one audit row for by (NULL: the CLI); a STORE_* code. */
int gov__audit(struct store *s, const struct gov_actor *by, const char *action, int64_t resident_id,
               const char *purpose, const char *detail);
/* by's user id, -1 for the CLI. */
int64_t gov__actor_id(const struct gov_actor *by);
/* GOV_OK when the resident exists, is not erased and is within by's
 * kelurahan. */
int gov__in_scope(struct store *s, const struct gov_actor *by, int64_t id);
/* A free-text argument (reason, note): 1 when acceptable, else the issue
 * is noted in rep. */
int gov__check_free_text(struct gov_report *rep, const char *field, const char *v, int required,
                         size_t max);
/* day into out, or today (gov_today) when day is NULL. */
void gov__day_or_today(char out[11], const char *day);
/* Days since the epoch of an ISO date, INT64_MIN when s is none. */
int64_t gov__date_days(const char *s);
/* Ends a call: records status in rep and returns it. */
int gov__finish(struct gov_report *rep, int status);
/* Commits the transaction when rc (the last write's) is STORE_OK and marks
 * rep committed, with updated; the GOV_* code.  On any other code the
 * caller rolls back. */
int gov__commit(struct store *s, int rc, struct gov_report *rep, int updated);

#endif
