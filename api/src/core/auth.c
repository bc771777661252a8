/*
 * auth.c — password hashing, token issue and lookup, login throttling and
 * the token key file (see auth.h for the model).
 *
 * The database lookup of a token goes through the unique index on its keyed
 * hash.  Comparing there is safe although SQLite's comparison is not
 * constant-time: an attacker who measures it learns prefixes of BLAKE2b
 * outputs under a key it does not have, which says nothing about any token.
 * The throttle keeps its counters in a fixed table indexed by SipHash of
 * the username or address under a random per-process key, so it needs no
 * allocation, holds no usernames and cannot be flooded into collisions on
 * purpose; a full table forgets its oldest entries first.
 */
#include "auth.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tokencache.h"

_Static_assert(AUTH_PASSWORD_HASH_BYTES >= crypto_pwhash_STRBYTES, "hash buffer too small");
_Static_assert(AUTH_TOKEN_TEXT_BYTES ==
                   sodium_base64_ENCODED_LEN(AUTH_TOKEN_BYTES,
                                             sodium_base64_VARIANT_URLSAFE_NO_PADDING),
               "token text size");
_Static_assert(AUTH_TOKEN_HASH_BYTES >= crypto_generichash_BYTES_MIN &&
                   AUTH_KEY_BYTES >= crypto_generichash_KEYBYTES_MIN,
               "BLAKE2b sizes");

#define THROTTLE_SLOTS 4096 /* power of two */
#define THROTTLE_PROBE 8
/* How long a login waits for a hash slot before answering "busy". */
#define HASH_SLOT_WAIT_S 10

struct throttle_slot {
  uint64_t tag; /* 0 = empty */
  int64_t since;
  unsigned failures;
};

struct auth {
  uint8_t key[AUTH_KEY_BYTES];
  uint8_t tag_key[crypto_shorthash_KEYBYTES];
  char dummy_hash[AUTH_PASSWORD_HASH_BYTES];
  sem_t hash_slots;
  pthread_mutex_t lock; /* guards slots */
  struct throttle_slot slots[THROTTLE_SLOTS];
  struct tokencache *cache; /* NULL until auth_cache_enable */
};

static const char *const role_names[] = {"admin", "officer", "employer", "desk"};

int auth_init(void) {
  return sodium_init() < 0 ? -1 : 0;
}

/* ---- Key file ------------------------------------------------------------ */

static int read_key(const char *path, uint8_t key[AUTH_KEY_BYTES], char *err, size_t errlen) {
  int rc = -1;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    snprintf(err, errlen, "cannot open token key %s: %s", path, strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(err, errlen, "token key %s is not a regular file", path);
    goto cleanup;
  }
  if ((st.st_mode & 077) != 0) {
    snprintf(err, errlen, "token key %s may be read by others (chmod 600 it)", path);
    goto cleanup;
  }
  if (st.st_size != AUTH_KEY_BYTES) {
    snprintf(err, errlen, "token key %s has %lld bytes instead of %d", path, (long long)st.st_size,
             AUTH_KEY_BYTES);
    goto cleanup;
  }
  size_t got = 0;
  while (got < AUTH_KEY_BYTES) {
    ssize_t n = read(fd, key + got, AUTH_KEY_BYTES - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      snprintf(err, errlen, "cannot read token key %s", path);
      goto cleanup;
    }
    got += (size_t)n;
  }
  rc = 0;
cleanup:
  close(fd);
  return rc;
}

/* Writes a fresh key to a private temporary file and links it to path;
 * link() fails with EEXIST if another process got there first, which is
 * fine: the caller then reads the winner's key. */
static int create_key(const char *path, char *err, size_t errlen) {
  int rc = -1;
  uint8_t key[AUTH_KEY_BYTES];
  char tmp[4096];
  int n = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
  if (n < 0 || (size_t)n >= sizeof tmp) {
    snprintf(err, errlen, "token key path %s is too long", path);
    return -1;
  }
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    snprintf(err, errlen, "cannot create token key %s: %s", path, strerror(errno));
    return -1;
  }
  randombytes_buf(key, sizeof key);
  size_t put = 0;
  while (put < sizeof key) {
    ssize_t w = write(fd, key + put, sizeof key - put);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      snprintf(err, errlen, "cannot write token key %s: %s", tmp, strerror(errno));
      goto cleanup;
    }
    put += (size_t)w;
  }
  if (fsync(fd) != 0) {
    snprintf(err, errlen, "cannot sync token key %s: %s", tmp, strerror(errno));
    goto cleanup;
  }
  if (link(tmp, path) != 0 && errno != EEXIST) {
    snprintf(err, errlen, "cannot create token key %s: %s", path, strerror(errno));
    goto cleanup;
  }
  rc = 0;
cleanup:
  sodium_memzero(key, sizeof key);
  close(fd);
  unlink(tmp);
  return rc;
}

int auth_load_or_create_key(const char *path, uint8_t key[AUTH_KEY_BYTES], char *err,
                            size_t errlen) {
  struct stat st;
  if (lstat(path, &st) != 0) {
    if (errno != ENOENT) {
      snprintf(err, errlen, "cannot open token key %s: %s", path, strerror(errno));
      return -1;
    }
    if (create_key(path, err, errlen) != 0)
      return -1;
  }
  return read_key(path, key, err, errlen);
}

/* ---- Passwords ----------------------------------------------------------- */

int auth_hash_password(const char *password, char out[AUTH_PASSWORD_HASH_BYTES]) {
  memset(out, 0, AUTH_PASSWORD_HASH_BYTES);
  if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return -1;
  return 0;
}

int auth_verify_password(const char *hash, const char *password) {
  return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int auth_random_password(char *buf, size_t len) {
  static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  if (len < 13)
    return -1;
  for (size_t i = 0; i + 1 < len; i++)
    buf[i] = alphabet[randombytes_uniform((uint32_t)(sizeof alphabet - 1))];
  buf[len - 1] = '\0';
  return 0;
}

/* ---- Tokens ---------------------------------------------------------------- */

void auth_token_hash(const uint8_t key[AUTH_KEY_BYTES], const uint8_t token[AUTH_TOKEN_BYTES],
                     uint8_t out[AUTH_TOKEN_HASH_BYTES]) {
  crypto_generichash(out, AUTH_TOKEN_HASH_BYTES, token, AUTH_TOKEN_BYTES, key, AUTH_KEY_BYTES);
}

int auth_token_decode(const char *text, uint8_t token[AUTH_TOKEN_BYTES]) {
  size_t len = strnlen(text, AUTH_TOKEN_TEXT_BYTES);
  size_t bin_len = 0;
  const char *end = NULL;
  if (len != AUTH_TOKEN_TEXT_BYTES - 1)
    return -1;
  if (sodium_base642bin(token, AUTH_TOKEN_BYTES, text, len, NULL, &bin_len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      bin_len != AUTH_TOKEN_BYTES || end != text + len)
    return -1;
  return 0;
}

static int from_store(int rc) {
  switch (rc) {
  case STORE_OK:
    return AUTH_OK;
  case STORE_ENOTFOUND:
    return AUTH_EDENIED;
  case STORE_EBUSY:
    return AUTH_EBUSY;
  default:
    return AUTH_EINTERNAL;
  }
}

/* Issues a token; also gives its keyed hash to the caller when hash_out is
 * not NULL (logout needs it). */
static int issue(struct auth *a, struct store *s, int64_t user_id, int64_t now,
                 char text[AUTH_TOKEN_TEXT_BYTES], int64_t *expires_at, uint8_t *hash_out) {
  uint8_t raw[AUTH_TOKEN_BYTES], hash[AUTH_TOKEN_HASH_BYTES];
  randombytes_buf(raw, sizeof raw);
  auth_token_hash(a->key, raw, hash);
  int64_t expiry = now + AUTH_TOKEN_TTL_S;
  int rc = store_token_add(s, user_id, hash, now, expiry);
  if (rc == STORE_OK) {
    sodium_bin2base64(text, AUTH_TOKEN_TEXT_BYTES, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (expires_at != NULL)
      *expires_at = expiry;
    if (hash_out != NULL)
      memcpy(hash_out, hash, sizeof hash);
  } else {
    fprintf(stderr, "padan: auth: cannot store token: %s\n", store_errmsg(s));
  }
  sodium_memzero(raw, sizeof raw);
  return rc == STORE_OK ? AUTH_OK : from_store(rc);
}

int auth_token_issue(struct auth *a, struct store *s, int64_t user_id, int64_t now,
                     char text[AUTH_TOKEN_TEXT_BYTES], int64_t *expires_at) {
  return issue(a, s, user_id, now, text, expires_at, NULL);
}

/* ---- Server state -------------------------------------------------------- */

int auth_create(const uint8_t key[AUTH_KEY_BYTES], struct auth **out) {
  char pw[33];
  *out = NULL;
  struct auth *a = calloc(1, sizeof *a);
  if (a == NULL)
    return -1;
  memcpy(a->key, key, AUTH_KEY_BYTES);
  randombytes_buf(a->tag_key, sizeof a->tag_key);
  if (auth_random_password(pw, sizeof pw) != 0 || auth_hash_password(pw, a->dummy_hash) != 0)
    goto fail;
  if (sem_init(&a->hash_slots, 0, AUTH_HASH_SLOTS) != 0)
    goto fail;
  if (pthread_mutex_init(&a->lock, NULL) != 0) {
    sem_destroy(&a->hash_slots);
    goto fail;
  }
  sodium_memzero(pw, sizeof pw);
  *out = a;
  return 0;
fail:
  sodium_memzero(pw, sizeof pw);
  sodium_memzero(a, sizeof *a);
  free(a);
  return -1;
}

void auth_free(struct auth *a) {
  if (a == NULL)
    return;
  sem_destroy(&a->hash_slots);
  pthread_mutex_destroy(&a->lock);
  tokencache_free(a->cache);
  sodium_memzero(a, sizeof *a);
  free(a);
}

/* ---- Throttle -------------------------------------------------------------- */

static uint64_t throttle_tag(const struct auth *a, char kind, const char *name) {
  uint8_t msg[AUTH_USERNAME_MAX + 64];
  size_t n = strnlen(name, sizeof msg - 1);
  msg[0] = (uint8_t)kind;
  memcpy(msg + 1, name, n);
  uint8_t h[crypto_shorthash_BYTES];
  crypto_shorthash(h, msg, n + 1, a->tag_key);
  uint64_t tag = 0;
  for (size_t i = 0; i < sizeof h; i++)
    tag = tag << 8 | h[i];
  return tag == 0 ? 1 : tag;
}

/* The slot holding tag, or, when create is set, a free, expired or else the
 * oldest slot of its probe run (reset for tag).  Caller holds a->lock. */
static struct throttle_slot *throttle_slot(struct auth *a, uint64_t tag, int64_t now, int create) {
  struct throttle_slot *victim = NULL;
  for (size_t i = 0; i < THROTTLE_PROBE; i++) {
    struct throttle_slot *t = &a->slots[(tag + i) & (THROTTLE_SLOTS - 1)];
    if (t->tag == tag)
      return t;
    if (victim == NULL || (victim->tag != 0 && (t->tag == 0 || t->since < victim->since)))
      victim = t;
  }
  if (!create)
    return NULL;
  victim->tag = tag;
  victim->since = now;
  victim->failures = 0;
  return victim;
}

/* Seconds until tag may try again, 0 if it may now. */
static int64_t throttle_wait(struct auth *a, uint64_t tag, unsigned limit, int64_t now) {
  struct throttle_slot *t = throttle_slot(a, tag, now, 0);
  if (t == NULL || t->failures < limit || now >= t->since + AUTH_THROTTLE_WINDOW_S)
    return 0;
  return t->since + AUTH_THROTTLE_WINDOW_S - now;
}

static void throttle_fail(struct auth *a, uint64_t tag, int64_t now) {
  struct throttle_slot *t = throttle_slot(a, tag, now, 1);
  if (now >= t->since + AUTH_THROTTLE_WINDOW_S) {
    t->since = now;
    t->failures = 0;
  }
  t->failures++;
}

static void throttle_clear(struct auth *a, uint64_t tag) {
  struct throttle_slot *t = throttle_slot(a, tag, 0, 0);
  if (t != NULL)
    memset(t, 0, sizeof *t);
}

/* Takes back one failure counted ahead (the attempt succeeded). */
static void throttle_undo(struct auth *a, uint64_t tag) {
  struct throttle_slot *t = throttle_slot(a, tag, 0, 0);
  if (t != NULL && t->failures > 0)
    t->failures--;
}

/* ---- Login, authentication, logout ----------------------------------------- */

static int principal_from_user(const struct store_user *u, struct auth_principal *who) {
  unsigned role = auth_role_parse(u->role);
  if (role == 0) {
    fprintf(stderr, "padan: auth: user %lld has unknown role\n", (long long)u->id);
    return AUTH_EINTERNAL;
  }
  memset(who, 0, sizeof *who);
  who->user_id = u->id;
  snprintf(who->username, sizeof who->username, "%s", u->username);
  who->role = (enum auth_role)role;
  who->employer_id = role == AUTH_EMPLOYER ? u->employer_id : -1;
  who->kelurahan_id = role == AUTH_DESK ? u->kelurahan_id : -1;
  return AUTH_OK;
}

static int verify_bounded(struct auth *a, const char *hash, const char *password) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += HASH_SLOT_WAIT_S;
  while (sem_timedwait(&a->hash_slots, &until) != 0)
    if (errno != EINTR)
      return -1;
  int ok = auth_verify_password(hash, password);
  sem_post(&a->hash_slots);
  return ok;
}

static void audit_login(struct store *s, const struct store_user *u, const char *username,
                        const char *action, const char *route, const char *why, const char *ip) {
  char detail[160];
  snprintf(detail, sizeof detail, "%s from %s", why, ip != NULL ? ip : "?");
  struct store_audit row = {
      .user_id = u != NULL ? u->id : -1,
      .username = username,
      .role = u != NULL ? u->role : NULL,
      .action = action,
      .route = route,
      .detail = detail,
      .resident_id = -1,
  };
  if (store_audit_add(s, &row) != STORE_OK)
    fprintf(stderr, "padan: auth: cannot write audit row: %s\n", store_errmsg(s));
}

/* A successful login: the token and its audit row commit together. */
static int login_commit(struct auth *a, struct store *s, const struct store_user *u,
                        const char *route, const char *ip, int64_t now, struct auth_login *out) {
  int rc = principal_from_user(u, &out->who);
  if (rc != AUTH_OK)
    return rc;
  rc = from_store(store_begin(s));
  if (rc != AUTH_OK)
    return rc;
  rc = issue(a, s, u->id, now, out->token, &out->who.token_expires_at, out->who.token_hash);
  if (rc == AUTH_OK) {
    char detail[96];
    snprintf(detail, sizeof detail, "from %s", ip != NULL ? ip : "?");
    struct store_audit row = {.user_id = u->id,
                              .username = u->username,
                              .role = u->role,
                              .action = "login",
                              .route = route,
                              .detail = detail,
                              .resident_id = -1};
    rc = from_store(store_audit_add(s, &row));
  }
  if (rc == AUTH_OK)
    rc = from_store(store_commit(s));
  if (rc != AUTH_OK) {
    store_rollback(s);
    sodium_memzero(out->token, sizeof out->token);
    return rc == AUTH_EDENIED ? AUTH_EINTERNAL : rc;
  }
  return AUTH_OK;
}

int auth_login(struct auth *a, struct store *s, const char *username, const char *password,
               const char *ip, const char *route, int64_t now, struct auth_login *out) {
  memset(out, 0, sizeof *out);
  struct store_user u;
  memset(&u, 0, sizeof u);
  size_t ulen = strnlen(username, AUTH_USERNAME_MAX + 1);
  if (ulen == 0 || ulen > AUTH_USERNAME_MAX ||
      strnlen(password, AUTH_PASSWORD_MAX + 1) > AUTH_PASSWORD_MAX)
    return AUTH_EDENIED;

  /* The account's counter is kept per address: failures from a stranger's
   * address hold back that address for that account, never the account's
   * owner elsewhere; the address's own counter holds back guessing across
   * accounts.  Every attempt is counted as a failure before its check and
   * taken back when it succeeds, so that concurrent attempts cannot all
   * pass the test before any of them is counted. */
  char pair[AUTH_USERNAME_MAX + 50];
  snprintf(pair, sizeof pair, "%s@%s", username, ip != NULL ? ip : "");
  uint64_t user_tag = throttle_tag(a, 'u', pair);
  uint64_t ip_tag = throttle_tag(a, 'i', ip != NULL ? ip : "");
  pthread_mutex_lock(&a->lock);
  int64_t wait_user = throttle_wait(a, user_tag, AUTH_THROTTLE_USER_FAILURES, now);
  int64_t wait_ip = throttle_wait(a, ip_tag, AUTH_THROTTLE_IP_FAILURES, now);
  if (wait_user == 0 && wait_ip == 0) {
    throttle_fail(a, user_tag, now);
    throttle_fail(a, ip_tag, now);
  }
  pthread_mutex_unlock(&a->lock);
  if (wait_user > 0 || wait_ip > 0) {
    out->retry_after = wait_user > wait_ip ? wait_user : wait_ip;
    audit_login(s, NULL, username, "login_failed", route, "throttled", ip);
    return AUTH_ETHROTTLED;
  }

  int rc = store_user_by_name(s, username, &u);
  if (rc != STORE_OK && rc != STORE_ENOTFOUND) {
    fprintf(stderr, "padan: auth: cannot read user: %s\n", store_errmsg(s));
    pthread_mutex_lock(&a->lock); /* not checked: not a failure */
    throttle_undo(a, user_tag);
    throttle_undo(a, ip_tag);
    pthread_mutex_unlock(&a->lock);
    rc = from_store(rc);
    goto cleanup;
  }
  int found = rc == STORE_OK;
  int ok = verify_bounded(a, found ? u.password_hash : a->dummy_hash, password);
  if (ok < 0) {
    pthread_mutex_lock(&a->lock); /* not checked: not a failure */
    throttle_undo(a, user_tag);
    throttle_undo(a, ip_tag);
    pthread_mutex_unlock(&a->lock);
    rc = AUTH_EBUSY;
    goto cleanup;
  }
  if (!found || !ok || u.disabled) {
    const char *why = !found ? "unknown user" : !ok ? "wrong password" : "disabled user";
    audit_login(s, found ? &u : NULL, username, "login_failed", route, why, ip);
    rc = AUTH_EDENIED;
    goto cleanup;
  }
  pthread_mutex_lock(&a->lock);
  throttle_clear(a, user_tag);
  throttle_undo(a, ip_tag);
  pthread_mutex_unlock(&a->lock);
  rc = login_commit(a, s, &u, route, ip, now, out);
cleanup:
  sodium_memzero(u.password_hash, sizeof u.password_hash);
  return rc;
}

int auth_authenticate(struct auth *a, struct store *s, const char *authorization, int64_t now,
                      struct auth_principal *who) {
  uint8_t raw[AUTH_TOKEN_BYTES], hash[AUTH_TOKEN_HASH_BYTES];
  struct store_user u;
  int64_t expires_at = 0;
  memset(who, 0, sizeof *who);
  if (authorization == NULL || strncasecmp(authorization, "Bearer ", 7) != 0)
    return AUTH_EDENIED;
  const char *text = authorization + 7;
  while (*text == ' ')
    text++;
  if (auth_token_decode(text, raw) != 0)
    return AUTH_EDENIED;
  auth_token_hash(a->key, raw, hash);
  sodium_memzero(raw, sizeof raw);
  uint64_t gen = 0;
  if (a->cache != NULL && tokencache_get(a->cache, hash, now, who, &gen))
    return AUTH_OK;
  int rc = store_token_user(s, hash, now, &u, &expires_at);
  sodium_memzero(u.password_hash, sizeof u.password_hash);
  if (rc != STORE_OK) {
    if (rc != STORE_ENOTFOUND)
      fprintf(stderr, "padan: auth: cannot look up token: %s\n", store_errmsg(s));
    return from_store(rc);
  }
  if (u.disabled)
    return AUTH_EDENIED;
  rc = principal_from_user(&u, who);
  if (rc != AUTH_OK)
    return rc;
  who->token_expires_at = expires_at;
  memcpy(who->token_hash, hash, sizeof hash);
  if (a->cache != NULL)
    tokencache_put(a->cache, gen, hash,
                   expires_at < now + AUTH_CACHE_TTL_S ? expires_at : now + AUTH_CACHE_TTL_S, who);
  return AUTH_OK;
}

/* The revocation file beside the database (tokencache.h). */
static int revoked_path(const char *db_path, char *out, size_t size) {
  return snprintf(out, size, "%s-revoked", db_path) < (int)size ? 0 : -1;
}

int auth_cache_enable(struct auth *a, const char *db_path) {
  char path[4096];
  if (revoked_path(db_path, path, sizeof path) != 0)
    return -1;
  return tokencache_create(path, sizeof(struct auth_principal), &a->cache);
}

int auth_revoked_notify(const char *db_path) {
  char path[4096];
  return revoked_path(db_path, path, sizeof path) == 0 ? tokencache_notify(path) : -1;
}

int auth_logout(struct auth *a, struct store *s, const struct auth_principal *who,
                const char *route, int64_t now) {
  int rc = from_store(store_begin(s));
  if (rc != AUTH_OK)
    return rc == AUTH_EDENIED ? AUTH_EINTERNAL : rc;
  rc = from_store(store_token_revoke(s, who->token_hash, now));
  if (rc == AUTH_OK) {
    struct store_audit row = {.user_id = who->user_id,
                              .username = who->username,
                              .role = auth_role_name(who->role),
                              .action = "logout",
                              .route = route,
                              .resident_id = -1};
    rc = from_store(store_audit_add(s, &row));
    if (rc == AUTH_EDENIED)
      rc = AUTH_EINTERNAL;
  }
  if (rc == AUTH_OK)
    rc = from_store(store_commit(s));
  if (rc != AUTH_OK)
    store_rollback(s);
  else if (a->cache != NULL)
    tokencache_clear(a->cache); /* the very next request with it is refused */
  return rc;
}

/* ---- Pseudonyms ------------------------------------------------------------ */

int auth_pseudonym(struct auth *a, const char *context, int64_t x, int64_t y, char out[],
                   size_t size) {
  /* the personalisation separates these hashes from the token hashes made
   * with the same key; 15 bytes are exactly 24 base32 characters */
  static const uint8_t personal[crypto_generichash_blake2b_PERSONALBYTES] = "padan:pseudonym";
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  uint8_t msg[128], mac[15];
  if (size < AUTH_PSEUDONYM_CHARS + 1)
    return -1;
  size_t n = strnlen(context, sizeof msg - 17);
  memcpy(msg, context, n);
  msg[n++] = 0;
  for (int i = 0; i < 8; i++) {
    msg[n + (size_t)i] = (uint8_t)((uint64_t)x >> (8 * i));
    msg[n + 8 + (size_t)i] = (uint8_t)((uint64_t)y >> (8 * i));
  }
  n += 16;
  crypto_generichash_blake2b_salt_personal(mac, sizeof mac, msg, n, a->key, AUTH_KEY_BYTES, NULL,
                                           personal);
  for (size_t i = 0; i < AUTH_PSEUDONYM_CHARS; i++) {
    size_t bit = i * 5;
    unsigned v = ((unsigned)mac[bit / 8] << 8 | (bit / 8 + 1 < sizeof mac ? mac[bit / 8 + 1] : 0u));
    out[i] = alphabet[(v >> (11 - bit % 8)) & 31u];
  }
  out[AUTH_PSEUDONYM_CHARS] = '\0';
  return 0;
}

/* ---- Keyed hashes for other secrets -------------------------------------- */

void auth_keyed_hash(struct auth *a, const char personal[16], const uint8_t *in, size_t n,
                     uint8_t out[32]) {
  crypto_generichash_blake2b_salt_personal(out, 32, in, n, a->key, AUTH_KEY_BYTES, NULL,
                                           (const unsigned char *)personal);
}

/* ---- Roles --------------------------------------------------------------- */

unsigned auth_role_parse(const char *name) {
  for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
    if (strcmp(name, role_names[i]) == 0)
      return 1u << i;
  return 0;
}

const char *auth_role_name(unsigned role) {
  for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
    if (role == 1u << i)
      return role_names[i];
  return "?";
}
