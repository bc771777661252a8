/*
 * pool.c — the slow-work pool (see pool.h): a fixed ring of jobs under one
 * mutex, and threads that take them in order.  A job is queued and its
 * connection suspended under the same lock, so that a thread can never
 * resume a connection before it was suspended (MHD aborts on that).
 */
#include "pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct job {
  struct MHD_Connection *conn;
  api_pool_work work;
  void *arg;
};

struct api_pool {
  const char *db_path;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  struct job *ring;
  size_t cap, head, count;
  int stopping;
  pthread_t *threads;
  unsigned n_threads;
};

static void *run(void *arg) {
  struct api_pool *p = arg;
  struct store *db = NULL;
  char err[256];
  for (;;) {
    pthread_mutex_lock(&p->lock);
    while (p->count == 0 && !p->stopping)
      pthread_cond_wait(&p->wake, &p->lock);
    if (p->count == 0) {
      pthread_mutex_unlock(&p->lock);
      break;
    }
    struct job j = p->ring[p->head];
    p->head = (p->head + 1) % p->cap;
    p->count--;
    pthread_mutex_unlock(&p->lock);
    if (db == NULL && store_open(p->db_path, &db, err, sizeof err) != STORE_OK) {
      fprintf(stderr, "padan: pool: %s\n", err);
      db = NULL;
    }
    j.work(j.arg, db);
    MHD_resume_connection(j.conn);
  }
  store_close(db);
  return NULL;
}

struct api_pool *api_pool_create(const char *db_path, unsigned threads, size_t capacity) {
  struct api_pool *p = calloc(1, sizeof *p);
  if (p == NULL)
    return NULL;
  p->db_path = db_path;
  p->cap = capacity > 0 ? capacity : 1;
  p->ring = calloc(p->cap, sizeof *p->ring);
  p->threads = calloc(threads > 0 ? threads : 1, sizeof *p->threads);
  if (p->ring == NULL || p->threads == NULL || pthread_mutex_init(&p->lock, NULL) != 0) {
    free(p->ring);
    free(p->threads);
    free(p);
    return NULL;
  }
  if (pthread_cond_init(&p->wake, NULL) != 0) {
    pthread_mutex_destroy(&p->lock);
    free(p->ring);
    free(p->threads);
    free(p);
    return NULL;
  }
  for (unsigned i = 0; i < (threads > 0 ? threads : 1); i++) {
    if (pthread_create(&p->threads[i], NULL, run, p) != 0) {
      api_pool_free(p);
      return NULL;
    }
    p->n_threads++;
  }
  return p;
}

int api_pool_submit(struct api_pool *p, struct MHD_Connection *conn, api_pool_work work,
                    void *arg) {
  pthread_mutex_lock(&p->lock);
  if (p->count == p->cap || p->stopping) {
    pthread_mutex_unlock(&p->lock);
    return -1;
  }
  MHD_suspend_connection(conn);
  p->ring[(p->head + p->count) % p->cap] = (struct job){conn, work, arg};
  p->count++;
  pthread_cond_signal(&p->wake);
  pthread_mutex_unlock(&p->lock);
  return 0;
}

void api_pool_free(struct api_pool *p) {
  if (p == NULL)
    return;
  pthread_mutex_lock(&p->lock);
  p->stopping = 1;
  pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->lock);
  for (unsigned i = 0; i < p->n_threads; i++)
    pthread_join(p->threads[i], NULL);
  pthread_cond_destroy(&p->wake);
  pthread_mutex_destroy(&p->lock);
  free(p->ring);
  free(p->threads);
  free(p);
}
