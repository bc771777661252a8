/*
 * refcache.h — the reference data that answers are dressed in, held in
 * memory beside the engine snapshot so that a ranking costs no query per
 * row: the skills table (to name an explanation's skills), and the brief of
 * each vacancy and course a ranking names (code, title, employer).
 *
 * The skills table is loaded once (it is reference data that does not
 * change while the server runs).  Briefs are read from the store on first
 * use and kept; what they hold (codes, titles, the employer's name) does
 * not change after a row is created, and api_engine_refresh() and
 * api_engine_rebuild() forget them anyway (app.c), so a brief is never
 * older than the snapshot that ranked it.  Thread-safe: briefs behind a
 * readers-writer lock, copied out.
 */
#ifndef PADAN_REFCACHE_H
#define PADAN_REFCACHE_H

#include "explain_json.h"
#include "store.h"

#include <stdint.h>

struct refcache;

/* Loads the skills table through s.  *out is owned by the caller
 * (refcache_free).  A STORE_* code. */
int refcache_create(struct store *s, struct refcache **out);
void refcache_free(struct refcache *c);

/* The skills table, borrowed for as long as c lives. */
const struct xj_skills *refcache_skills(const struct refcache *c);

/* The brief of vacancy or course id into *out, from memory or read through
 * s on first use.  STORE_OK, STORE_ENOTFOUND or another STORE_* code. */
int refcache_vacancy(struct refcache *c, struct store *s, int64_t id,
                     struct store_vacancy_brief *out);
int refcache_course(struct refcache *c, struct store *s, int64_t id,
                    struct store_course_brief *out);

/* Forgets one vacancy's brief (after a change to it), or every brief. */
void refcache_forget_vacancy(struct refcache *c, int64_t id);
void refcache_forget_all(struct refcache *c);

#endif
