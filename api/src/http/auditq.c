/*
 * auditq.c — the audit writer of auditq.h.
 *
 * A request puts a node that lives on its own stack on the queue and sleeps
 * on the node's semaphore; the node borrows the request's row, which stays
 * valid because the request waits.  The writer (woken through a condition
 * variable) takes the whole queue at once, writes it in one BEGIN IMMEDIATE
 * ... COMMIT, then posts each node's semaphore, so that exactly the
 * requests of that group wake.
 * A group whose transaction fails is rolled back and written again one row
 * per transaction, so that one bad row (a resident id the foreign key
 * refuses) fails only its own request.
 */
#include "auditq.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store.h"

/* Checkpoint after this many groups, or after an idle second. */
#define CHECKPOINT_EVERY 256
/* WAL pages past which a checkpoint waits for readers to leave the WAL
 * (RESTART) rather than copy what it can (PASSIVE): under steady reads a
 * passive checkpoint never lets the WAL start anew.  4096 pages: 16 MiB. */
#define RESTART_PAGES 4096

struct node {
  const struct store_audit *a;
  const int64_t *ids;
  size_t n;
  int rc;
  sem_t done; /* posted by the writer once rc is final */
  struct node *next;
};

struct api_auditq {
  struct store *db; /* the writer's own connection */
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t work; /* the writer waits here for nodes */
  struct node *head, *tail;
  int stopping;
};

static int write_one(struct store *s, const struct node *n) {
  return n->n > 0 ? store_audit_add_each(s, n->a, n->ids, n->n) : store_audit_add(s, n->a);
}

/* Writes the group in one transaction; on failure, each row in its own. */
static void write_group(struct store *s, struct node *group) {
  int rc = store_begin(s);
  for (struct node *n = group; rc == STORE_OK && n != NULL; n = n->next)
    rc = write_one(s, n);
  if (rc == STORE_OK)
    rc = store_commit(s);
  if (rc == STORE_OK) {
    for (struct node *n = group; n != NULL; n = n->next)
      n->rc = STORE_OK;
    return;
  }
  store_rollback(s);
  for (struct node *n = group; n != NULL; n = n->next) {
    n->rc = store_begin(s);
    if (n->rc == STORE_OK)
      n->rc = write_one(s, n);
    if (n->rc == STORE_OK)
      n->rc = store_commit(s);
    if (n->rc != STORE_OK) {
      fprintf(stderr, "padan: audit write failed (%d): %s\n", n->rc, store_errmsg(s));
      store_rollback(s);
    }
  }
}

static void checkpoint(struct store *s) {
  int pages = 0;
  int rc = store_checkpoint_passive(s, &pages, NULL);
  if (rc == STORE_OK && pages > RESTART_PAGES)
    rc = store_checkpoint_restart(s);
  if (rc != STORE_OK && rc != STORE_EBUSY)
    fprintf(stderr, "padan: checkpoint failed (%d): %s\n", rc, store_errmsg(s));
}

static void *writer(void *arg) {
  struct api_auditq *q = arg;
  unsigned groups = 0;
  pthread_mutex_lock(&q->lock);
  for (;;) {
    while (q->head == NULL && !q->stopping) {
      struct timespec until;
      clock_gettime(CLOCK_REALTIME, &until);
      until.tv_sec += 1;
      if (pthread_cond_timedwait(&q->work, &q->lock, &until) != 0 && q->head == NULL) {
        /* an idle second: move the WAL on, whoever wrote it */
        pthread_mutex_unlock(&q->lock);
        checkpoint(q->db);
        groups = 0;
        pthread_mutex_lock(&q->lock);
      }
    }
    if (q->head == NULL)
      break; /* stopping, and nothing left */
    struct node *group = q->head;
    q->head = q->tail = NULL;
    pthread_mutex_unlock(&q->lock);

    write_group(q->db, group);
    /* wakes exactly this group's requests, each on its own semaphore */
    for (struct node *n = group, *next; n != NULL; n = next) {
      next = n->next; /* n belongs to its request once posted */
      sem_post(&n->done);
    }
    if (++groups >= CHECKPOINT_EVERY) {
      checkpoint(q->db);
      groups = 0;
    }
    pthread_mutex_lock(&q->lock);
  }
  pthread_mutex_unlock(&q->lock);
  return NULL;
}

int api_auditq_create(const char *db_path, struct api_auditq **out, char *err, size_t errlen) {
  *out = NULL;
  struct api_auditq *q = calloc(1, sizeof *q);
  if (q == NULL) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  if (store_open(db_path, &q->db, err, errlen) != STORE_OK) {
    free(q);
    return -1;
  }
  /* its commits must not each try a checkpoint (with its fdatasync) when
   * readers keep the WAL from resetting: checkpoint() runs them instead */
  store_autocheckpoint(q->db, 0);
  pthread_mutex_init(&q->lock, NULL);
  pthread_cond_init(&q->work, NULL);
  if (pthread_create(&q->thread, NULL, writer, q) != 0) {
    snprintf(err, errlen, "cannot start the audit writer thread");
    pthread_cond_destroy(&q->work);
    pthread_mutex_destroy(&q->lock);
    store_close(q->db);
    free(q);
    return -1;
  }
  *out = q;
  return 0;
}

void api_auditq_free(struct api_auditq *q) {
  if (q == NULL)
    return;
  pthread_mutex_lock(&q->lock);
  q->stopping = 1;
  pthread_cond_signal(&q->work);
  pthread_mutex_unlock(&q->lock);
  pthread_join(q->thread, NULL);
  checkpoint(q->db);
  pthread_cond_destroy(&q->work);
  pthread_mutex_destroy(&q->lock);
  store_close(q->db);
  free(q);
}

int api_auditq_write(struct api_auditq *q, const struct store_audit *a, const int64_t *ids,
                     size_t n) {
  struct node me = {.a = a, .ids = ids, .n = n, .rc = STORE_EIO};
  if (sem_init(&me.done, 0, 0) != 0)
    return STORE_EIO;
  pthread_mutex_lock(&q->lock);
  if (q->tail != NULL)
    q->tail->next = &me;
  else
    q->head = &me;
  q->tail = &me;
  pthread_cond_signal(&q->work);
  pthread_mutex_unlock(&q->lock);
  while (sem_wait(&me.done) != 0)
    ; /* EINTR */
  sem_destroy(&me.done);
  return me.rc;
}
