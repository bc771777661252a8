/*
 * respcache.c — the answer cache of respcache.h: SLOTS slots behind one
 * mutex, held for a compare and a copy.
 */
#include "respcache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 1024

struct slot {
  int64_t key[3];
  uint64_t gen;
  char *body; /* NULL: empty */
  size_t len;
};

struct respcache {
  pthread_mutex_t lock;
  size_t bytes; /* the bodies' lengths added up */
  struct slot slots[SLOTS];
};

static size_t slot_of(const int64_t key[3]) {
  uint64_t h = (uint64_t)key[0] * 0x9E3779B97F4A7C15u ^ (uint64_t)key[1] * 0xC2B2AE3D27D4EB4Fu ^
               (uint64_t)key[2] * 0x165667B19E3779F9u;
  return (size_t)(h >> 32) % SLOTS;
}

int respcache_create(struct respcache **out) {
  *out = NULL;
  struct respcache *c = calloc(1, sizeof *c);
  if (c == NULL)
    return -1;
  if (pthread_mutex_init(&c->lock, NULL) != 0) {
    free(c);
    return -1;
  }
  *out = c;
  return 0;
}

void respcache_free(struct respcache *c) {
  if (c == NULL)
    return;
  for (size_t i = 0; i < SLOTS; i++)
    free(c->slots[i].body);
  pthread_mutex_destroy(&c->lock);
  free(c);
}

int respcache_get(struct respcache *c, const int64_t key[3], uint64_t gen, char **body,
                  size_t *len) {
  *body = NULL;
  *len = 0;
  pthread_mutex_lock(&c->lock);
  const struct slot *s = &c->slots[slot_of(key)];
  if (s->body != NULL && s->gen == gen && memcmp(s->key, key, sizeof s->key) == 0) {
    *body = malloc(s->len + 1);
    if (*body != NULL) {
      memcpy(*body, s->body, s->len);
      (*body)[s->len] = '\0';
      *len = s->len;
    }
  }
  pthread_mutex_unlock(&c->lock);
  return *body != NULL;
}

void respcache_put(struct respcache *c, const int64_t key[3], uint64_t gen, const char *body,
                   size_t len) {
  if (len > RESPCACHE_BODY_MAX)
    return;
  char *copy = malloc(len);
  if (copy == NULL)
    return;
  memcpy(copy, body, len);
  pthread_mutex_lock(&c->lock);
  struct slot *s = &c->slots[slot_of(key)];
  size_t old_len = s->body != NULL ? s->len : 0;
  if (c->bytes - old_len + len > RESPCACHE_TOTAL_MAX) {
    pthread_mutex_unlock(&c->lock);
    free(copy);
    return;
  }
  c->bytes = c->bytes - old_len + len;
  char *old = s->body;
  memcpy(s->key, key, sizeof s->key);
  s->gen = gen;
  s->body = copy;
  s->len = len;
  pthread_mutex_unlock(&c->lock);
  free(old);
}
