/*
 * priority.h — the priority-kelurahan index, computed from the residents'
 * DTSEN data (docs/PRIORITY.md has the formula and why).
 *
 * Each kelurahan gets an index 0–100 from six parts: its counts of poor,
 * extreme-poor and productive-age NEET residents, and the shares of those in
 * its registered population, each relative to the city's highest.  The
 * top PRIORITY_SHARE of kelurahan by index are priority kelurahan, unless
 * an officer pinned the flag one way or the other.
 */
#ifndef PADAN_PRIORITY_H
#define PADAN_PRIORITY_H

#include "matcher.h"
#include "store.h"

#include <stddef.h>

/* Share of the city's kelurahan flagged as priority by the index. */
#define PRIORITY_SHARE 0.20

struct priority_kelurahan {
  struct store_kelurahan_row k; /* counts and the pin */
  double index;                 /* 0–100 */
  int rank;                     /* 1 = highest index; ties by code */
  int by_index;                 /* 1: in the top PRIORITY_SHARE */
  int priority;                 /* the flag in force: the pin if set, else by_index */
};

/* Computes the index for every kelurahan in code order, with cfg's desil
 * cut-offs and productive age on the ISO date today.  *out is an array of
 * *n rows the caller frees with free().  A store error code, or STORE_OK. */
int priority_compute(struct store *s, const struct mt_config *cfg, const char *today,
                     struct priority_kelurahan **out, size_t *n);

/* An officer's pin, for the command line and the API alike: sets the flag
 * of the kelurahan with this code (value 1: priority whatever the index,
 * 0: never, -1: unpin, the index decides) and writes its audit row
 * (action "priority_pin"; by gives who, role and route, its action and
 * detail are set here) in one transaction.  detail (size bytes) receives
 * the row's text, e.g. "kelurahan 36.71.10.1001 pinned on".  STORE_OK,
 * STORE_ENOTFOUND for an unknown code (nothing written), or a store
 * failure (nothing written).  A running server then applies the flags to
 * its engine (api_engine_refresh_priority). */
int priority_pin(struct store *s, const char *code, int value, const struct store_audit *by,
                 char *detail, size_t size);

#endif
