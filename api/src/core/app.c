/*
 * app.c — the shared engine snapshot behind a readers-writer lock (see
 * app.h).
 */
#include "app.h"

#include "priority.h"
#include "refcache.h"
#include "respcache.h"
#include "dates.h"
#include "snapshot.h"
#include "store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct api_app {
  pthread_rwlock_t lock; /* guards snap and cfg */
  struct snapshot *snap;
  struct mt_config cfg;
  struct refcache *ref;      /* reference data beside the snapshot (refcache.h) */
  struct respcache *answers; /* answers per generation (respcache.h) */
  uint64_t gen;              /* moved on by every change to snap or cfg; under lock */
};

int32_t api_today(char iso[11]) {
  int32_t day = (int32_t)date_wib_day(time(NULL));
  if (iso != NULL)
    snapshot_iso_day(day, iso);
  return day;
}

int api_app_create(const char *db_path, const struct mt_config *cfg, struct api_app **out,
                   char *err, size_t errlen) {
  struct store *s = NULL;
  struct api_app *a = calloc(1, sizeof *a);
  if (a == NULL || pthread_rwlock_init(&a->lock, NULL) != 0) {
    free(a);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  a->cfg = *cfg;
  a->cfg.today = api_today(NULL);
  if (store_open(db_path, &s, err, errlen) != STORE_OK ||
      snapshot_create(s, &a->cfg, &a->snap, err, errlen) != 0 ||
      refcache_create(s, &a->ref) != STORE_OK || respcache_create(&a->answers) != 0) {
    if (a->snap != NULL && a->ref == NULL)
      snprintf(err, errlen, "cannot read the skills table: %s", store_errmsg(s));
    store_close(s);
    api_app_free(a);
    return -1;
  }
  store_close(s);
  *out = a;
  return 0;
}

void api_app_free(struct api_app *a) {
  if (a == NULL)
    return;
  snapshot_free(a->snap);
  refcache_free(a->ref);
  respcache_free(a->answers);
  pthread_rwlock_destroy(&a->lock);
  free(a);
}

/* Moves the run date to today when the day has changed. */
static void roll_day(struct api_app *a) {
  int32_t today = api_today(NULL);
  pthread_rwlock_rdlock(&a->lock);
  int stale = a->cfg.today != today;
  pthread_rwlock_unlock(&a->lock);
  if (!stale)
    return;
  pthread_rwlock_wrlock(&a->lock);
  if (a->cfg.today != today) {
    struct mt_config next = a->cfg;
    next.today = today;
    if (mt_engine_set_config(snapshot_engine(a->snap), &next) == MT_OK)
      a->cfg = next;
    a->gen++;
  }
  pthread_rwlock_unlock(&a->lock);
}

const struct mt_engine *api_engine_acquire(struct api_app *a) {
  roll_day(a);
  pthread_rwlock_rdlock(&a->lock);
  return snapshot_engine(a->snap);
}

void api_engine_release(struct api_app *a) {
  pthread_rwlock_unlock(&a->lock);
}

struct mt_config api_config(struct api_app *a) {
  pthread_rwlock_rdlock(&a->lock);
  struct mt_config c = a->cfg;
  pthread_rwlock_unlock(&a->lock);
  return c;
}

int api_engine_refresh(struct api_app *a, struct store *s, enum api_record kind, int64_t id) {
  pthread_rwlock_wrlock(&a->lock);
  int rc = kind == API_REC_RESIDENT ? snapshot_refresh_resident(a->snap, s, id)
                                    : snapshot_refresh_vacancy(a->snap, s, id);
  a->gen++;
  pthread_rwlock_unlock(&a->lock);
  if (kind == API_REC_VACANCY)
    refcache_forget_vacancy(a->ref, id);
  return rc;
}

int api_engine_refresh_priority(struct api_app *a, struct store *s) {
  struct mt_config cfg = api_config(a);
  struct priority_kelurahan *pk = NULL;
  size_t n = 0;
  char today[11];
  snapshot_iso_day(cfg.today, today);
  /* computed outside the lock: readers keep ranking meanwhile */
  if (priority_compute(s, &cfg, today, &pk, &n) != STORE_OK)
    return -1;
  pthread_rwlock_wrlock(&a->lock);
  int rc = snapshot_apply_priority(a->snap, pk, n);
  a->gen++;
  pthread_rwlock_unlock(&a->lock);
  free(pk);
  return rc;
}

int api_engine_rebuild(struct api_app *a, struct store *s) {
  struct mt_config cfg = api_config(a);
  struct snapshot *next = NULL;
  char err[256];
  /* built outside the lock: readers keep the old snapshot meanwhile */
  if (snapshot_create(s, &cfg, &next, err, sizeof err) != 0) {
    fprintf(stderr, "padan: %s\n", err);
    return -1;
  }
  pthread_rwlock_wrlock(&a->lock);
  struct snapshot *old = a->snap;
  a->snap = next;
  a->gen++;
  pthread_rwlock_unlock(&a->lock);
  snapshot_free(old);
  refcache_forget_all(a->ref);
  return 0;
}

struct refcache *api_refcache(struct api_app *a) {
  return a->ref;
}

struct respcache *api_respcache(struct api_app *a) {
  return a->answers;
}

uint64_t api_engine_generation(struct api_app *a) {
  roll_day(a);
  pthread_rwlock_rdlock(&a->lock);
  uint64_t gen = a->gen;
  pthread_rwlock_unlock(&a->lock);
  return gen;
}
