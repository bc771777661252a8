/*
 * explain_json.h — the one writer of an engine explanation as JSON (the
 * candidates and recommendations routes, and the explanation a match run
 * stores with each proposal).  Skills are named through a copy of the
 * skills table, indexed like the engine's (snapshot.c builds the engine
 * from the table in id order).
 */
#ifndef PADAN_EXPLAIN_JSON_H
#define PADAN_EXPLAIN_JSON_H

#include "matcher.h"
#include "store.h"

#include <jansson.h>
#include <stddef.h>

struct xj_skills {
  struct store_skill_row *row; /* by id */
  size_t n, cap;
};

/* Loads the skills table into t (zeroed by the caller); a STORE_* code.
 * xj_skills_free() releases it. */
int xj_skills_load(struct store *s, struct xj_skills *t);
void xj_skills_free(struct xj_skills *t);

/* x rounded to a multiple of unit. */
double xj_rounded(double x, double unit);
/* Skills by engine index as [{code, name_id, name_en}]; NULL when out of memory. */
json_t *xj_skills_by_index(const struct xj_skills *t, const uint16_t *idx, size_t n);
/* A resident's "skill_id:certified;..." as [{code, name_id, name_en, certified}]. */
json_t *xj_resident_skills(const struct xj_skills *t, const char *list);
/* Every fit component, and unless pseudonymous every priority component,
 * with its value, weight and reasons; matched and missing skills; commute.
 * NULL when out of memory. */
json_t *xj_explanation(const struct xj_skills *t, const struct mt_explanation *x, int pseudonymous);

/* The fit an employer sees: the engine's, with the commute component's
 * value cut to a quarter as the pseudonymous explanation shows it (fit is
 * 100 times the known components' weighted mean), so that no figure an
 * employer reads carries the distance finer than its band. */
double xj_employer_fit(const struct mt_explanation *x);

/* The full view of each of xs (a NULL entry gives null), skills named from
 * the store: a new array of n items, NULL when out of memory or the store
 * fails.  The review of a run's proposals prints these (h_proposals.c). */
json_t *xj_explanations(struct store *s, const struct mt_explanation *const *xs, size_t n);

#endif
