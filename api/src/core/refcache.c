/*
 * refcache.c — reference data in memory (refcache.h).  Briefs live in
 * arrays indexed by id (ids are dense: vacancies and courses are numbered
 * from 1 as they are created); an id past MAX_ID is read from the store
 * every time rather than grow the array without bound.
 */
#include "refcache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ID (1 << 20)

struct vslot {
  int filled;
  struct store_vacancy_brief b;
};
struct cslot {
  int filled;
  struct store_course_brief b;
};

struct refcache {
  struct xj_skills skills;
  pthread_rwlock_t lock; /* guards the arrays below */
  struct vslot *v;
  size_t n_v;
  struct cslot *c;
  size_t n_c;
};

int refcache_create(struct store *s, struct refcache **out) {
  *out = NULL;
  struct refcache *c = calloc(1, sizeof *c);
  if (c == NULL)
    return STORE_ENOMEM;
  if (pthread_rwlock_init(&c->lock, NULL) != 0) {
    free(c);
    return STORE_ENOMEM;
  }
  int rc = xj_skills_load(s, &c->skills);
  if (rc != STORE_OK) {
    refcache_free(c);
    return rc;
  }
  *out = c;
  return STORE_OK;
}

void refcache_free(struct refcache *c) {
  if (c == NULL)
    return;
  xj_skills_free(&c->skills);
  pthread_rwlock_destroy(&c->lock);
  free(c->v);
  free(c->c);
  free(c);
}

const struct xj_skills *refcache_skills(const struct refcache *c) {
  return &c->skills;
}

/* arr (of *n slots of size bytes) grown, the new slots zeroed, to hold
 * index id: the array to use from now on, or NULL (arr unchanged) when out
 * of memory or id is past MAX_ID.  Under the write lock. */
static void *grow(void *arr, size_t *n, size_t size, int64_t id) {
  if (id < 0 || id >= MAX_ID)
    return NULL;
  if ((size_t)id < *n)
    return arr;
  size_t cap = *n ? *n : 64;
  while (cap <= (size_t)id)
    cap *= 2;
  unsigned char *grown = realloc(arr, cap * size);
  if (grown == NULL)
    return NULL;
  memset(grown + *n * size, 0, (cap - *n) * size);
  *n = cap;
  return grown;
}

int refcache_vacancy(struct refcache *c, struct store *s, int64_t id,
                     struct store_vacancy_brief *out) {
  pthread_rwlock_rdlock(&c->lock);
  int hit = id >= 0 && (size_t)id < c->n_v && c->v[id].filled;
  if (hit)
    *out = c->v[id].b;
  pthread_rwlock_unlock(&c->lock);
  if (hit)
    return STORE_OK;
  int rc = store_vacancy_brief(s, id, out);
  if (rc != STORE_OK)
    return rc;
  pthread_rwlock_wrlock(&c->lock);
  struct vslot *v = grow(c->v, &c->n_v, sizeof *c->v, id);
  if (v != NULL) {
    c->v = v;
    c->v[id].b = *out;
    c->v[id].filled = 1;
  }
  pthread_rwlock_unlock(&c->lock);
  return STORE_OK;
}

int refcache_course(struct refcache *c, struct store *s, int64_t id,
                    struct store_course_brief *out) {
  pthread_rwlock_rdlock(&c->lock);
  int hit = id >= 0 && (size_t)id < c->n_c && c->c[id].filled;
  if (hit)
    *out = c->c[id].b;
  pthread_rwlock_unlock(&c->lock);
  if (hit)
    return STORE_OK;
  int rc = store_course_brief(s, id, out);
  if (rc != STORE_OK)
    return rc;
  pthread_rwlock_wrlock(&c->lock);
  struct cslot *cs = grow(c->c, &c->n_c, sizeof *c->c, id);
  if (cs != NULL) {
    c->c = cs;
    c->c[id].b = *out;
    c->c[id].filled = 1;
  }
  pthread_rwlock_unlock(&c->lock);
  return STORE_OK;
}

void refcache_forget_vacancy(struct refcache *c, int64_t id) {
  pthread_rwlock_wrlock(&c->lock);
  if (id >= 0 && (size_t)id < c->n_v)
    c->v[id].filled = 0;
  pthread_rwlock_unlock(&c->lock);
}

void refcache_forget_all(struct refcache *c) {
  pthread_rwlock_wrlock(&c->lock);
  for (size_t i = 0; i < c->n_v; i++)
    c->v[i].filled = 0;
  for (size_t i = 0; i < c->n_c; i++)
    c->c[i].filled = 0;
  pthread_rwlock_unlock(&c->lock);
}
