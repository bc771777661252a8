/*
 * auditq.c — the audit group commit of auditq.h, leader and followers.
 *
 * A request puts a node that lives on its own stack on the queue.  When no
 * one holds the baton (the right to use the group connection), it takes it
 * and leads: it takes the whole queue, its own node included, writes it in
 * one BEGIN IMMEDIATE ... COMMIT on the group connection, posts each other
 * node's semaphore and passes the baton on.  Otherwise it sleeps on its
 * node's semaphore until its row is committed — or until the baton is
 * passed to it, the oldest waiter, and it leads the next group.  No writer
 * thread stands in between: the leader's own request never sleeps, and a
 * follower sleeps once and wakes once.
 * A group whose transaction fails is rolled back and written again one row
 * per transaction, so that one bad row (a resident id the foreign key
 * refuses) fails only its own request.
 * A node may carry a read (api_auditq_read: the resident read), which the
 * leader runs in the group's transaction just before that node's row: the
 * group connection is the one whose page cache the audit's own commits
 * leave in place, where every other connection loses its cache at each.
 *
 * The checkpointer (api_auditq_checkpoint, the serve loop's thread) has a
 * connection of its own.  It copies the WAL back with passive checkpoints
 * while groups go on committing, then takes the baton between two groups
 * for a RESTART checkpoint, which copies the rest and waits for readers of
 * older snapshots, so that the next group starts the WAL anew: requests
 * wait for the baton meanwhile rather than in SQLite's busy handler, whose
 * sleeps of 1-100 ms would outlast it.  RESTART rather than TRUNCATE: the
 * file is reused, and journal_size_limit cuts it back to 64 MiB, instead of
 * being truncated and grown again every second.
 */
#include "auditq.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "deadline.h"
#include "store.h"

/* How long the RESTART may wait for the writer lock (another writer) and
 * for readers of older snapshots, holding up the audit meanwhile.  A
 * request's read lasts well under a millisecond; a checkpoint that cannot
 * get in within this is retried the next second. */
#define RESTART_WAIT_MS 100
/* At most this many passive checkpoints before the RESTART, another while
 * the WAL grew by PASSIVE_ENOUGH pages or more since the one before. */
#define PASSIVE_ROUNDS 4
#define PASSIVE_ENOUGH 256

struct node {
  const struct store_audit *a;
  const int64_t *ids;
  size_t n;
  int (*read)(void *arg, struct store *db); /* NULL, or run first: 0 to write the row */
  void *read_arg;
  int refused; /* read said no: no row was written */
  int rc;
  int lead;   /* set with the post that hands this node the baton */
  sem_t done; /* posted once rc is final, or to hand over the baton */
  struct node *next;
};

struct api_auditq {
  struct store *db;   /* the group connection: only the baton's holder uses it */
  struct store *ckpt; /* the checkpointer's connection */
  pthread_mutex_t lock;
  pthread_cond_t ckpt_turn; /* the checkpointer waits here for the baton */
  struct node *head, *tail; /* waiting, not yet in a group */
  int busy;                 /* someone holds the baton */
  int ckpt_waiting;         /* the checkpointer wants the baton next */
  int ckpt_has_baton;       /* ...and has been given it */
};

/* The node's read, when it has one, then its row unless the read refused
 * it.  In the group's transaction. */
static int write_one(struct store *s, struct node *n) {
  n->refused = 0;
  if (n->read != NULL && n->read(n->read_arg, s) != 0) {
    n->refused = 1;
    return STORE_OK;
  }
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

/* With the lock held, by the baton's holder: to the checkpointer when it
 * waits, else to the oldest waiting request, else to no one. */
static void pass_baton(struct api_auditq *q) {
  if (q->ckpt_waiting) {
    q->ckpt_has_baton = 1;
    pthread_cond_signal(&q->ckpt_turn);
  } else if (q->head != NULL) {
    q->head->lead = 1;
    sem_post(&q->head->done);
  } else {
    q->busy = 0;
  }
}

/* Holds the baton: writes groups of whatever is queued until me's row is
 * written (me is in the first group: it is queued, and the queue is taken
 * whole), then passes the baton on. */
static void lead(struct api_auditq *q, struct node *me) {
  pthread_mutex_lock(&q->lock);
  struct node *group = q->head;
  q->head = q->tail = NULL;
  pthread_mutex_unlock(&q->lock);

  write_group(q->db, group);
  for (struct node *n = group, *next; n != NULL; n = next) {
    next = n->next; /* n belongs to its request once posted */
    if (n != me)
      sem_post(&n->done);
  }
  pthread_mutex_lock(&q->lock);
  pass_baton(q);
  pthread_mutex_unlock(&q->lock);
}

static int open_conn(const char *db_path, struct store **out, char *err, size_t errlen) {
  if (store_open(db_path, out, err, errlen) != STORE_OK)
    return -1;
  /* commits must not each try a checkpoint (with its fsync) when readers
   * keep the WAL from resetting: api_auditq_checkpoint runs them instead */
  store_autocheckpoint(*out, 0);
  return 0;
}

int api_auditq_create(const char *db_path, struct api_auditq **out, char *err, size_t errlen) {
  *out = NULL;
  struct api_auditq *q = calloc(1, sizeof *q);
  if (q == NULL) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  if (open_conn(db_path, &q->db, err, errlen) != 0 ||
      open_conn(db_path, &q->ckpt, err, errlen) != 0 || pthread_mutex_init(&q->lock, NULL) != 0) {
    store_close(q->ckpt);
    store_close(q->db);
    free(q);
    return -1;
  }
  if (pthread_cond_init(&q->ckpt_turn, NULL) != 0) {
    snprintf(err, errlen, "cannot create a condition variable");
    pthread_mutex_destroy(&q->lock);
    store_close(q->ckpt);
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
  api_auditq_checkpoint(q);
  pthread_cond_destroy(&q->ckpt_turn);
  pthread_mutex_destroy(&q->lock);
  store_close(q->ckpt);
  store_close(q->db);
  free(q);
}

/* Queues me (on the caller's stack), waits for its group's commit
 * (leading it when the baton comes), and returns its code. */
static int enqueue(struct api_auditq *q, struct node *me) {
  if (sem_init(&me->done, 0, 0) != 0)
    return STORE_EIO;
  pthread_mutex_lock(&q->lock);
  if (q->tail != NULL)
    q->tail->next = me;
  else
    q->head = me;
  q->tail = me;
  int leader = !q->busy;
  q->busy = 1;
  pthread_mutex_unlock(&q->lock);
  if (!leader)
    while (sem_wait(&me->done) != 0)
      ; /* EINTR */
  if (leader || me->lead)
    lead(q, me);
  sem_destroy(&me->done);
  return me->rc;
}

int api_auditq_write(struct api_auditq *q, const struct store_audit *a, const int64_t *ids,
                     size_t n) {
  struct node me = {.a = a, .ids = ids, .n = n, .rc = STORE_EIO};
  return enqueue(q, &me);
}

int api_auditq_read(struct api_auditq *q, int (*read)(void *arg, struct store *db), void *arg,
                    const struct store_audit *a, int *refused) {
  struct node me = {.a = a, .read = read, .read_arg = arg, .rc = STORE_EIO};
  int rc = enqueue(q, &me);
  *refused = me.refused;
  return rc;
}

/* Passive checkpoints while the WAL grew by much during the one before
 * (groups commit meanwhile), so that the RESTART under the baton has little
 * left: its fsync of the WAL flushes only what the last one did not. */
static int copy_back(struct store *s, int *pages) {
  int rc = STORE_OK, before = 0;
  for (int i = 0; i < PASSIVE_ROUNDS; i++) {
    rc = store_checkpoint_passive(s, pages, NULL);
    if (rc != STORE_OK || *pages - before < PASSIVE_ENOUGH)
      break;
    before = *pages;
  }
  return rc;
}

int api_auditq_checkpoint(struct api_auditq *q) {
  if (q == NULL)
    return STORE_OK;
  int pages = 0;
  int rc = copy_back(q->ckpt, &pages);
  if (rc != STORE_OK && rc != STORE_EBUSY)
    fprintf(stderr, "padan: checkpoint failed (%d): %s\n", rc, store_errmsg(q->ckpt));
  if (pages <= 0)
    return rc; /* an empty WAL, or not in WAL mode */

  /* the baton within RESTART_WAIT_MS too, or not this time: a group whose
   * BEGIN meets another writer waits out the busy timeout, 5 s and again
   * per row, and the serve loop must not sit behind it (it would not see a
   * SIGTERM meanwhile) */
  struct timespec until;
  deadline_in_ms(&until, RESTART_WAIT_MS);
  pthread_mutex_lock(&q->lock);
  if (!q->busy) {
    q->busy = 1;
  } else {
    q->ckpt_waiting = 1;
    while (!q->ckpt_has_baton && pthread_cond_timedwait(&q->ckpt_turn, &q->lock, &until) == 0)
      ;
    int got = q->ckpt_has_baton; /* given it, even at the timeout: it must be passed on */
    q->ckpt_waiting = q->ckpt_has_baton = 0;
    if (!got) {
      pthread_mutex_unlock(&q->lock);
      return STORE_EBUSY;
    }
  }
  pthread_mutex_unlock(&q->lock);

  /* no audit group commits meanwhile: the RESTART waits only for readers
   * of older snapshots and for other writers */
  rc = store_checkpoint_restart(q->ckpt, RESTART_WAIT_MS, &pages);
  if (rc != STORE_OK && rc != STORE_EBUSY)
    fprintf(stderr, "padan: checkpoint failed (%d): %s\n", rc, store_errmsg(q->ckpt));

  pthread_mutex_lock(&q->lock);
  pass_baton(q);
  pthread_mutex_unlock(&q->lock);
  return rc;
}
