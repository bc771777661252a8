/*
 * respcache.h — answers kept per engine generation: the rendered JSON of a
 * recommendation (33 KB for a resident with seven vacancies and five
 * courses, most of a request's time to score and write) is kept for the
 * next request that asks the same of the same snapshot.
 *
 * A key is three numbers (resident id and the query's limits) and the
 * engine generation it was computed from (api_engine_generation, which
 * every change to the snapshot moves on); a lookup under any other
 * generation misses, so an answer never outlives the snapshot it came
 * from.  Direct-mapped, 1024 entries, each body at most
 * RESPCACHE_BODY_MAX bytes and all of them at most RESPCACHE_TOTAL_MAX (a
 * body that would pass it is not kept).  Thread-safe.
 * Nothing here decides who may see an answer: the caller authorises and
 * audits every request, hit or miss.
 */
#ifndef PADAN_RESPCACHE_H
#define PADAN_RESPCACHE_H

#include <stddef.h>
#include <stdint.h>

/* A candidates page of 100 with explanations is about 300 KB. */
#define RESPCACHE_BODY_MAX (512 * 1024)
#define RESPCACHE_TOTAL_MAX (64 * 1024 * 1024)

struct respcache;

/* *out is owned by the caller (respcache_free).  0 or -1. */
int respcache_create(struct respcache **out);
void respcache_free(struct respcache *c);

/* 1 and a malloc'd copy of the body in *body (the caller frees it) and its
 * length in *len when key was stored at generation gen; 0 otherwise (also
 * when out of memory). */
int respcache_get(struct respcache *c, const int64_t key[3], uint64_t gen, char **body,
                  size_t *len);

/* Stores a copy of body (len bytes, borrowed) under key and gen, replacing
 * what its slot held; a body over RESPCACHE_BODY_MAX, or one that would
 * take the cache past RESPCACHE_TOTAL_MAX, is not stored. */
void respcache_put(struct respcache *c, const int64_t key[3], uint64_t gen, const char *body,
                   size_t len);

#endif
