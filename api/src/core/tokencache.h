/*
 * tokencache.h — a per-process cache of authenticated tokens, so that a
 * request with a token seen in the last minute costs no SQLite lookup.
 *
 * Keyed by the token's keyed hash (the database's key, uniform, so its
 * first bytes index the table directly); each entry holds the caller's
 * value (auth.c keeps a struct auth_principal) and is used until its own
 * valid_until.  Revocation empties the whole cache at once: in this process
 * by tokencache_clear() (a logout), from another process (padan user
 * disable) by touching the revocation file, which every lookup compares
 * with what it saw last (one stat()).  An entry computed before a clear is
 * never stored after it: tokencache_get() hands out the generation that
 * tokencache_put() must still find.  Thread-safe.
 */
#ifndef PADAN_TOKENCACHE_H
#define PADAN_TOKENCACHE_H

#include <stddef.h>
#include <stdint.h>

#define TOKENCACHE_KEY_BYTES 32
#define TOKENCACHE_VALUE_MAX 256

struct tokencache;

/* A cache for values of value_size bytes (at most TOKENCACHE_VALUE_MAX)
 * that also empties itself whenever the file at revoked_path (copied; may
 * not exist yet) changes.  *out is owned by the caller (tokencache_free).
 * 0 or -1. */
int tokencache_create(const char *revoked_path, size_t value_size, struct tokencache **out);
void tokencache_free(struct tokencache *c);

/* 1 and the value copied to value when key has a live entry at now; 0
 * otherwise.  *gen always receives the generation to pass to
 * tokencache_put. */
int tokencache_get(struct tokencache *c, const uint8_t key[TOKENCACHE_KEY_BYTES], int64_t now,
                   void *value, uint64_t *gen);

/* Stores value (copied) for key until valid_until, unless the cache was
 * cleared since gen was handed out. */
void tokencache_put(struct tokencache *c, uint64_t gen, const uint8_t key[TOKENCACHE_KEY_BYTES],
                    int64_t valid_until, const void *value);

/* Forgets every entry now. */
void tokencache_clear(struct tokencache *c);

/* Tells every server on the database whose revocation file is path that
 * tokens or users changed (rewrites the file).  0 or -1. */
int tokencache_notify(const char *revoked_path);

#endif
