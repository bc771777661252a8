/*
 * app.c — the shared engine snapshot behind a readers-writer lock (see
 * app.h).
 *
 * The snapshot is built by a loader thread of its own, so the server
 * answers from its first second while the engine loads (issue 14: the
 * city's 1.9 million residents took 24 s before /healthz answered).  The
 * same thread rebuilds the snapshot when its scope of residents nears its
 * end (snapshot.h: residents who turn 15 must be in it by then) and after
 * a rebuild asked for while it was loading.  Its builds give up when the
 * server stops (api_app_stop), so a stop never waits for a city's load.
 *
 * No refresh is lost to a build: while one is under way (`building`) every
 * refresh is also written down (`pending`), and the new snapshot is put in
 * place and those records are re-read into it under one exclusive lock, so
 * a write that committed after the build read its rows still reaches the
 * snapshot that serves.  Both the list and the flag live under that lock.
 */
#include "app.h"

#include "priority.h"
#include "refcache.h"
#include "respcache.h"
#include "dates.h"
#include "deadline.h"
#include "snapshot.h"
#include "store.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The loader rebuilds this many days before the scope of the snapshot in
 * force runs out (snapshot_valid_until). */
#define REBUILD_AHEAD_DAYS 30
/* After a failed build the loader tries again this many seconds later. */
#define RETRY_SECONDS 5

struct pending {
  enum api_record kind;
  int64_t id;
};

struct api_app {
  pthread_rwlock_t lock; /* guards snap, cfg, gen, building and pending */
  struct snapshot *snap; /* NULL until the loader's first build is in */
  struct mt_config cfg;
  struct refcache *ref;      /* reference data beside the snapshot (refcache.h) */
  struct respcache *answers; /* answers per generation (respcache.h) */
  uint64_t gen;              /* moved on by every change to snap or cfg; under lock */
  atomic_int ready;          /* 1 once snap is set; never 0 again */
  /* A build in progress and the refreshes made meanwhile. */
  int building;
  struct pending *pending;
  size_t n_pending, cap_pending;
  int pending_priority; /* a priority change came during the build */
  int pending_overflow; /* the list could not grow: build again */
  /* Only one build at a time (the loader's or a handler's rebuild). */
  pthread_mutex_t build_mu;
  /* The loader thread and what it is asked to do; under mu. */
  char *db_path;
  pthread_t loader;
  int loader_started;
  pthread_mutex_t mu;
  pthread_cond_t wake;
  int want_build, stopping;
  atomic_int halt; /* set with stopping: the loader's build gives up */
};

/* The day api_today_set() fixed, 0 for the clock's. */
static atomic_int fixed_day;

int32_t api_today(char iso[11]) {
  int32_t fixed = atomic_load(&fixed_day);
  int32_t day = fixed != 0 ? fixed : (int32_t)date_wib_day(time(NULL));
  if (iso != NULL)
    snapshot_iso_day(day, iso);
  return day;
}

void api_today_set(int32_t day) {
  atomic_store(&fixed_day, day);
}

/* ---- Builds ----------------------------------------------------------------- */

/* Records a refresh made while a build is under way; under the write lock. */
static void note_pending(struct api_app *a, enum api_record kind, int64_t id) {
  if (!a->building)
    return;
  if (a->n_pending == a->cap_pending) {
    size_t cap = a->cap_pending ? a->cap_pending * 2 : 64;
    struct pending *p = realloc(a->pending, cap * sizeof *p);
    if (p == NULL) {
      a->pending_overflow = 1;
      return;
    }
    a->pending = p;
    a->cap_pending = cap;
  }
  a->pending[a->n_pending++] = (struct pending){kind, id};
}

/* Re-reads every record refreshed during the build into next, with s;
 * under the write lock.  0, or -1 when the build must be made again. */
static int replay_pending(struct api_app *a, struct snapshot *next, struct store *s) {
  int failed = a->pending_overflow;
  for (size_t i = 0; i < a->n_pending; i++) {
    const struct pending *p = &a->pending[i];
    failed |= (p->kind == API_REC_RESIDENT ? snapshot_refresh_resident(next, s, p->id)
                                           : snapshot_refresh_vacancy(next, s, p->id)) != 0;
  }
  if (a->pending_priority) {
    struct priority_kelurahan *pk = NULL;
    size_t n = 0;
    char today[11];
    snapshot_iso_day(a->cfg.today, today);
    failed |= priority_compute(s, &a->cfg, today, &pk, &n) != STORE_OK ||
              snapshot_apply_priority(next, pk, n) != 0;
    free(pk);
  }
  return failed ? -1 : 0;
}

/* Whether the loader's build must give up (snapshot_create_stoppable). */
static int halted(void *arg) {
  return atomic_load(&((struct api_app *)arg)->halt);
}

/* Test hook: PADAN_TEST_ENGINE_DELAY_MS holds the first build back that
 * long after it has read the store, so a test can see the server answer
 * while the engine loads and make a write the build did not read.  The
 * stop ends the wait, as it ends a load. */
static void test_delay(struct api_app *a) {
  const char *v = getenv("PADAN_TEST_ENGINE_DELAY_MS");
  long ms = v != NULL ? strtol(v, NULL, 10) : 0;
  if (ms <= 0 || ms > 60000)
    return;
  struct timespec until;
  deadline_in_ms(&until, ms);
  pthread_mutex_lock(&a->mu);
  while (!a->stopping && pthread_cond_timedwait(&a->wake, &a->mu, &until) != ETIMEDOUT)
    ;
  pthread_mutex_unlock(&a->mu);
}

/* Builds a snapshot from s and puts it in force, with every refresh made
 * meanwhile.  0, or -1 (logged) with the old snapshot still in force.  The
 * loader's builds (stoppable) give up when the app stops: a city's load
 * takes seconds, and a stopping server has no use for it. */
static int build(struct api_app *a, struct store *s, int stoppable) {
  pthread_mutex_lock(&a->build_mu);
  pthread_rwlock_wrlock(&a->lock);
  a->building = 1;
  a->n_pending = 0;
  a->pending_priority = a->pending_overflow = 0;
  struct mt_config cfg = a->cfg;
  pthread_rwlock_unlock(&a->lock);

  struct snapshot *next = NULL, *old = NULL;
  char err[256];
  /* built outside the lock: readers keep the old snapshot meanwhile */
  int rc = stoppable ? snapshot_create_stoppable(s, &cfg, halted, a, &next, err, sizeof err)
                     : snapshot_create(s, &cfg, &next, err, sizeof err);
  if (rc == 1) {
    fprintf(stderr, "padan: the engine's load stopped: the server is stopping\n");
    rc = -1;
  } else if (rc != 0) {
    fprintf(stderr, "padan: %s\n", err);
  } else if (!atomic_load(&a->ready) && stoppable) {
    test_delay(a);
    if (halted(a)) {
      fprintf(stderr, "padan: the engine's load stopped: the server is stopping\n");
      rc = -1;
    }
  }

  pthread_rwlock_wrlock(&a->lock);
  if (rc == 0 && a->cfg.today != cfg.today &&
      mt_engine_set_config(snapshot_engine(next), &a->cfg) != MT_OK)
    rc = -1; /* the day moved on during the build */
  if (rc == 0 && replay_pending(a, next, s) != 0) {
    fprintf(stderr, "padan: cannot re-read the records changed during the engine's build\n");
    rc = -1;
  }
  if (rc == 0) {
    old = a->snap;
    a->snap = next;
    next = NULL;
    a->gen++;
    atomic_store(&a->ready, 1);
  }
  a->building = 0;
  a->n_pending = 0;
  pthread_rwlock_unlock(&a->lock);
  pthread_mutex_unlock(&a->build_mu);
  snapshot_free(next);
  snapshot_free(old);
  if (rc == 0)
    refcache_forget_all(a->ref);
  return rc;
}

/* The loader thread: the first build, then a build whenever asked, until
 * the app stops.  A failed build is tried again a little later. */
static void *loader_main(void *arg) {
  struct api_app *a = arg;
  struct store *s = NULL;
  char err[256];
  pthread_mutex_lock(&a->mu);
  while (!a->stopping) {
    if (!a->want_build) {
      pthread_cond_wait(&a->wake, &a->mu);
      continue;
    }
    a->want_build = 0;
    pthread_mutex_unlock(&a->mu);
    int rc = -1;
    if (s == NULL && store_open(a->db_path, &s, err, sizeof err) != STORE_OK)
      fprintf(stderr, "padan: the engine's loader: %s\n", err);
    else
      rc = build(a, s, 1);
    pthread_mutex_lock(&a->mu);
    if (rc != 0 && !a->stopping) {
      a->want_build = 1;
      struct timespec until;
      clock_gettime(CLOCK_REALTIME, &until);
      until.tv_sec += RETRY_SECONDS;
      pthread_cond_timedwait(&a->wake, &a->mu, &until);
    }
  }
  pthread_mutex_unlock(&a->mu);
  store_close(s);
  return NULL;
}

/* Asks the loader for a build. */
static void ask_build(struct api_app *a) {
  pthread_mutex_lock(&a->mu);
  a->want_build = 1;
  pthread_cond_signal(&a->wake);
  pthread_mutex_unlock(&a->mu);
}

/* ---- The app ---------------------------------------------------------------- */

int api_app_create(const char *db_path, const struct mt_config *cfg, struct api_app **out,
                   char *err, size_t errlen) {
  struct store *s = NULL;
  struct api_app *a = calloc(1, sizeof *a);
  if (a == NULL || pthread_rwlock_init(&a->lock, NULL) != 0) {
    free(a);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  pthread_mutex_init(&a->build_mu, NULL);
  pthread_mutex_init(&a->mu, NULL);
  pthread_cond_init(&a->wake, NULL);
  a->cfg = *cfg;
  a->cfg.today = api_today(NULL);
  a->db_path = strdup(db_path);
  if (a->db_path == NULL || store_open(db_path, &s, err, errlen) != STORE_OK ||
      refcache_create(s, &a->ref) != STORE_OK || respcache_create(&a->answers) != 0) {
    if (s != NULL && a->db_path != NULL && a->ref == NULL)
      snprintf(err, errlen, "cannot read the skills table: %s", store_errmsg(s));
    else if (a->db_path == NULL || s != NULL)
      snprintf(err, errlen, "out of memory");
    store_close(s);
    api_app_free(a);
    return -1;
  }
  store_close(s);
  a->want_build = 1;
  a->building = 1; /* refreshes before the first build starts are noted too */
  if (pthread_create(&a->loader, NULL, loader_main, a) != 0) {
    snprintf(err, errlen, "cannot start the engine's loader thread");
    api_app_free(a);
    return -1;
  }
  a->loader_started = 1;
  *out = a;
  return 0;
}

void api_app_stop(struct api_app *a) {
  pthread_mutex_lock(&a->mu);
  a->stopping = 1;
  atomic_store(&a->halt, 1);
  pthread_cond_signal(&a->wake);
  pthread_mutex_unlock(&a->mu);
}

void api_app_free(struct api_app *a) {
  if (a == NULL)
    return;
  if (a->loader_started) {
    api_app_stop(a);
    pthread_join(a->loader, NULL);
  }
  snapshot_free(a->snap);
  refcache_free(a->ref);
  respcache_free(a->answers);
  free(a->pending);
  free(a->db_path);
  pthread_cond_destroy(&a->wake);
  pthread_mutex_destroy(&a->mu);
  pthread_mutex_destroy(&a->build_mu);
  pthread_rwlock_destroy(&a->lock);
  free(a);
}

int api_engine_ready(struct api_app *a) {
  return atomic_load(&a->ready);
}

/* Moves the run date to today when the day has changed, and asks for a
 * new build when the snapshot's scope of residents nears its end. */
static void roll_day(struct api_app *a) {
  int32_t today = api_today(NULL);
  pthread_rwlock_rdlock(&a->lock);
  int stale = a->cfg.today != today;
  pthread_rwlock_unlock(&a->lock);
  if (!stale)
    return;
  int rebuild = 0;
  pthread_rwlock_wrlock(&a->lock);
  if (a->cfg.today != today) {
    struct mt_config next = a->cfg;
    next.today = today;
    if (a->snap == NULL || mt_engine_set_config(snapshot_engine(a->snap), &next) == MT_OK)
      a->cfg = next;
    a->gen++;
    rebuild = a->snap != NULL &&
              (int64_t)today + REBUILD_AHEAD_DAYS > (int64_t)snapshot_valid_until(a->snap);
  }
  pthread_rwlock_unlock(&a->lock);
  if (rebuild)
    ask_build(a);
}

void api_app_tick(struct api_app *a) {
  roll_day(a);
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
  int rc = 0;
  pthread_rwlock_wrlock(&a->lock);
  note_pending(a, kind, id);
  if (a->snap != NULL)
    rc = kind == API_REC_RESIDENT ? snapshot_refresh_resident(a->snap, s, id)
                                  : snapshot_refresh_vacancy(a->snap, s, id);
  a->gen++;
  pthread_rwlock_unlock(&a->lock);
  if (kind == API_REC_VACANCY)
    refcache_forget_vacancy(a->ref, id);
  return rc;
}

int api_engine_hold_resident(struct api_app *a, struct store *s, int64_t id) {
  pthread_rwlock_rdlock(&a->lock);
  int held = a->snap == NULL || id <= 0 || id > UINT32_MAX ||
             mt_resident_groups(snapshot_engine(a->snap), (uint32_t)id) != 0;
  pthread_rwlock_unlock(&a->lock);
  if (held)
    return 0;
  /* no generation step: a resident left out of the snapshot can be
   * eligible for nothing, so holding them changes no answer */
  pthread_rwlock_wrlock(&a->lock);
  int rc = snapshot_hold_resident(a->snap, s, id);
  pthread_rwlock_unlock(&a->lock);
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
  if (a->building)
    a->pending_priority = 1;
  int rc = a->snap != NULL ? snapshot_apply_priority(a->snap, pk, n) : 0;
  a->gen++;
  pthread_rwlock_unlock(&a->lock);
  free(pk);
  return rc;
}

int api_engine_rebuild(struct api_app *a, struct store *s) {
  if (!api_engine_ready(a)) {
    /* the first build may have read the store before this change: the
     * loader builds once more when it is done */
    ask_build(a);
    return 0;
  }
  return build(a, s, 0);
}

struct refcache *api_refcache(struct api_app *a) {
  return a->ref;
}

struct respcache *api_respcache(struct api_app *a) {
  return a->answers;
}

int32_t api_engine_valid_until(struct api_app *a) {
  pthread_rwlock_rdlock(&a->lock);
  int32_t until = a->snap != NULL ? snapshot_valid_until(a->snap) : 0;
  pthread_rwlock_unlock(&a->lock);
  return until;
}

uint64_t api_engine_generation(struct api_app *a) {
  roll_day(a);
  pthread_rwlock_rdlock(&a->lock);
  uint64_t gen = a->gen;
  pthread_rwlock_unlock(&a->lock);
  return gen;
}
