/*
 * tokencache.c — the token cache of tokencache.h: a direct-mapped table of
 * SLOTS entries behind one mutex (a lookup holds it for a compare and a
 * copy of a few hundred bytes).
 */
#include "tokencache.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 1024

struct slot {
  uint8_t key[TOKENCACHE_KEY_BYTES];
  int64_t valid_until; /* 0: empty */
  unsigned char value[TOKENCACHE_VALUE_MAX];
};

struct tokencache {
  pthread_mutex_t lock;
  char *revoked_path;
  struct timespec seen_mtime; /* of the revocation file at the last look; 0 when absent */
  ino_t seen_ino;
  uint64_t gen; /* bumped by every clear */
  size_t value_size;
  struct slot slots[SLOTS];
};

static size_t slot_of(const uint8_t key[TOKENCACHE_KEY_BYTES]) {
  return ((size_t)key[0] | (size_t)key[1] << 8) % SLOTS;
}

static void clear_locked(struct tokencache *c) {
  for (size_t i = 0; i < SLOTS; i++)
    c->slots[i].valid_until = 0;
  c->gen++;
}

/* Empties the cache when the revocation file changed since the last look. */
static void check_revoked_locked(struct tokencache *c) {
  struct stat st;
  struct timespec m = {0, 0};
  ino_t ino = 0;
  if (stat(c->revoked_path, &st) == 0) {
    m = st.st_mtim;
    ino = st.st_ino;
  }
  if (m.tv_sec != c->seen_mtime.tv_sec || m.tv_nsec != c->seen_mtime.tv_nsec ||
      ino != c->seen_ino) {
    clear_locked(c);
    c->seen_mtime = m;
    c->seen_ino = ino;
  }
}

int tokencache_create(const char *revoked_path, size_t value_size, struct tokencache **out) {
  *out = NULL;
  if (value_size > TOKENCACHE_VALUE_MAX)
    return -1;
  struct tokencache *c = calloc(1, sizeof *c);
  if (c == NULL)
    return -1;
  c->revoked_path = strdup(revoked_path);
  if (c->revoked_path == NULL || pthread_mutex_init(&c->lock, NULL) != 0) {
    free(c->revoked_path);
    free(c);
    return -1;
  }
  c->value_size = value_size;
  check_revoked_locked(c);
  *out = c;
  return 0;
}

void tokencache_free(struct tokencache *c) {
  if (c == NULL)
    return;
  pthread_mutex_destroy(&c->lock);
  free(c->revoked_path);
  memset(c, 0, sizeof *c); /* principals are not secrets, but no need to leave them */
  free(c);
}

int tokencache_get(struct tokencache *c, const uint8_t key[TOKENCACHE_KEY_BYTES], int64_t now,
                   void *value, uint64_t *gen) {
  pthread_mutex_lock(&c->lock);
  check_revoked_locked(c);
  *gen = c->gen;
  const struct slot *s = &c->slots[slot_of(key)];
  int hit = s->valid_until > now && memcmp(s->key, key, TOKENCACHE_KEY_BYTES) == 0;
  if (hit)
    memcpy(value, s->value, c->value_size);
  pthread_mutex_unlock(&c->lock);
  return hit;
}

void tokencache_put(struct tokencache *c, uint64_t gen, const uint8_t key[TOKENCACHE_KEY_BYTES],
                    int64_t valid_until, const void *value) {
  pthread_mutex_lock(&c->lock);
  if (gen == c->gen) {
    struct slot *s = &c->slots[slot_of(key)];
    memcpy(s->key, key, TOKENCACHE_KEY_BYTES);
    memcpy(s->value, value, c->value_size);
    s->valid_until = valid_until;
  }
  pthread_mutex_unlock(&c->lock);
}

void tokencache_clear(struct tokencache *c) {
  pthread_mutex_lock(&c->lock);
  clear_locked(c);
  pthread_mutex_unlock(&c->lock);
}

int tokencache_notify(const char *revoked_path) {
  /* a new file each time (a new inode, a new mtime), linked into place */
  char tmp[4200];
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  if (snprintf(tmp, sizeof tmp, "%s.%ld", revoked_path, (long)getpid()) >= (int)sizeof tmp)
    return -1;
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return -1;
  char line[64];
  int n = snprintf(line, sizeof line, "%lld.%09ld\n", (long long)now.tv_sec, now.tv_nsec);
  int ok = write(fd, line, (size_t)n) == n;
  ok = close(fd) == 0 && ok;
  if (!ok || rename(tmp, revoked_path) != 0) {
    unlink(tmp);
    return -1;
  }
  return 0;
}
