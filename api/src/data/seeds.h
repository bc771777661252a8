/*
 * seeds.h — loads the reference data compiled in from seeds/ (kecamatan,
 * kelurahan, skills, BLK courses with past outcomes, employers, vacancies)
 * into a fresh database.  Residents are not reference data: they come from
 * DTSEN imports or the synthetic generator (seedgen.h).
 */
#ifndef PADAN_SEEDS_H
#define PADAN_SEEDS_H

#include <stddef.h>

struct store;

/* Loads every seed file in one transaction: all of it or, on the first bad
 * row, none of it, with a message naming the file, line and column in err.
 * Returns 0 or -1.  A database that already holds kelurahan is left as it
 * is and counts as success (*loaded = 0; otherwise 1). */
int seeds_load(struct store *s, int *loaded, char *err, size_t errlen);

#endif
