/*
 * auth.h — who is calling: password hashes, bearer tokens, roles and scopes.
 *
 * Passwords are stored as libsodium Argon2id strings ("$argon2id$...").
 * A token is 32 random bytes shown to the client once, as 43 characters of
 * unpadded base64url; the database keeps only BLAKE2b-256 of the raw bytes
 * keyed with a 32-byte server key (the token key file), so a copy of the
 * database alone lets nobody forge or replay a token.  struct auth is the
 * server-wide state: the key, the login throttle and the semaphore that
 * bounds Argon2id hashes in flight (each needs 64 MiB).  It is thread-safe;
 * every function that touches the database takes the caller's store
 * connection.  Nothing here logs a password or a token.
 */
#ifndef PADAN_AUTH_H
#define PADAN_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define AUTH_KEY_BYTES 32
#define AUTH_TOKEN_BYTES 32
#define AUTH_TOKEN_HASH_BYTES 32
/* 43 base64url characters and the NUL. */
#define AUTH_TOKEN_TEXT_BYTES 44
/* Enough for crypto_pwhash_str's output (checked in auth.c). */
#define AUTH_PASSWORD_HASH_BYTES 128
#define AUTH_USERNAME_MAX 64
#define AUTH_PASSWORD_MAX 256
/* Token lifetime. */
#define AUTH_TOKEN_TTL_S (8 * 3600)
/* Login throttle: this many failures inside the window hold back one
 * username from one client address (so that a stranger cannot lock the
 * account's owner out), or with the larger count the client address for
 * every username, until the window ends. */
#define AUTH_THROTTLE_WINDOW_S 300
#define AUTH_THROTTLE_USER_FAILURES 5
#define AUTH_THROTTLE_IP_FAILURES 20
/* Argon2id computations allowed at once. */
#define AUTH_HASH_SLOTS 2

/* Roles as bits, so that a route can name the set of roles it admits. */
enum auth_role {
  AUTH_ADMIN = 1u << 0,
  AUTH_OFFICER = 1u << 1,
  AUTH_EMPLOYER = 1u << 2,
  AUTH_DESK = 1u << 3,
};
#define AUTH_ANY_ROLE (AUTH_ADMIN | AUTH_OFFICER | AUTH_EMPLOYER | AUTH_DESK)

enum auth_result {
  AUTH_OK = 0,
  AUTH_EDENIED = -1,    /* wrong password, unknown/disabled user, bad/expired/revoked token */
  AUTH_ETHROTTLED = -2, /* too many failed logins; see retry_after */
  AUTH_EBUSY = -3,      /* no hash slot or database lock in time; try again */
  AUTH_EINTERNAL = -4,  /* storage or library failure (already logged) */
};

/* The authenticated caller.  Scope: employer_id for an employer,
 * kelurahan_id for a desk, -1 otherwise. */
struct auth_principal {
  int64_t user_id;
  char username[AUTH_USERNAME_MAX + 1];
  enum auth_role role;
  int64_t employer_id;
  int64_t kelurahan_id;
  int64_t token_expires_at; /* Unix seconds */
  uint8_t token_hash[AUTH_TOKEN_HASH_BYTES];
  /* An API key's caller (apikeys.h): its id and scope bits; 0 for a token. */
  int64_t key_id;
  unsigned key_scopes;
};

struct auth;

/* Initialises libsodium; call once before anything else here (the server
 * does; the CLI must before hashing).  0 or -1. */
int auth_init(void);

/* Reads the 32-byte token key at path, or creates it (random, mode 0600,
 * written to a temporary file and linked into place so a concurrent start
 * never sees half a key).  Refuses a key file of the wrong size or one that
 * group or others may read.  0, or -1 with a one-line message in err. */
int auth_load_or_create_key(const char *path, uint8_t key[AUTH_KEY_BYTES], char *err,
                            size_t errlen);

/* ---- Passwords ----------------------------------------------------------- */

/* Hashes password with Argon2id (libsodium INTERACTIVE limits: about 130 ms
 * and 64 MiB).  out receives a NUL-terminated "$argon2id$..." string.
 * 0, or -1 when out of memory. */
int auth_hash_password(const char *password, char out[AUTH_PASSWORD_HASH_BYTES]);

/* 1 when password matches hash, 0 otherwise (including a malformed hash). */
int auth_verify_password(const char *hash, const char *password);

/* Writes len-1 random characters from an alphabet without look-alikes
 * (0/O, 1/l/I) and a NUL.  len must be at least 13; 0 or -1. */
int auth_random_password(char *buf, size_t len);

/* ---- Tokens ---------------------------------------------------------------- */

/* The keyed hash the database stores for a raw token. */
void auth_token_hash(const uint8_t key[AUTH_KEY_BYTES], const uint8_t token[AUTH_TOKEN_BYTES],
                     uint8_t out[AUTH_TOKEN_HASH_BYTES]);

/* Decodes the text form; 0, or -1 if text is not exactly 43 base64url
 * characters. */
int auth_token_decode(const char *text, uint8_t token[AUTH_TOKEN_BYTES]);

/* ---- Server state -------------------------------------------------------- */

/* Creates the server-wide state around a copy of key (computes the dummy
 * hash that unknown usernames are verified against, about 130 ms).
 * *out is owned by the caller: auth_free().  0 or -1. */
int auth_create(const uint8_t key[AUTH_KEY_BYTES], struct auth **out);
void auth_free(struct auth *a);

/* Issues a token for user_id valid from now for AUTH_TOKEN_TTL_S seconds;
 * text receives it (the only copy there will ever be).  AUTH_OK, or an
 * error when the store fails. */
int auth_token_issue(struct auth *a, struct store *s, int64_t user_id, int64_t now,
                     char text[AUTH_TOKEN_TEXT_BYTES], int64_t *expires_at);

struct auth_login {
  struct auth_principal who;         /* on AUTH_OK */
  char token[AUTH_TOKEN_TEXT_BYTES]; /* on AUTH_OK; give it to the client, then wipe */
  int64_t retry_after;               /* seconds, on AUTH_ETHROTTLED */
};

/* Checks username and password (always running one Argon2id verification,
 * against a dummy hash for unknown users, so the answer takes as long
 * whether or not the user exists), applies the throttle for username and
 * client address ip, and on success issues a token.  Writes one audit row
 * ("login" or "login_failed", with route) and never the password.
 * out is filled as the result says. */
int auth_login(struct auth *a, struct store *s, const char *username, const char *password,
               const char *ip, const char *route, int64_t now, struct auth_login *out);

/* Authenticates an Authorization header value ("Bearer <token>"; NULL when
 * absent) at time now.  AUTH_OK fills who; AUTH_EDENIED for anything
 * missing, malformed, unknown, expired, revoked or of a disabled user. */
int auth_authenticate(struct auth *a, struct store *s, const char *authorization, int64_t now,
                      struct auth_principal *who);

/* Token checks from a per-process cache (tokencache.h) for the server:
 * a token authenticated in the last AUTH_CACHE_TTL_S seconds is not looked
 * up again.  Every revocation empties the cache at once: a logout in this
 * process, and in any process auth_revoked_notify() (padan user disable;
 * so must a password change or any other revocation).  0 or -1. */
#define AUTH_CACHE_TTL_S 60
int auth_cache_enable(struct auth *a, const char *db_path);
/* Tells every server on db_path that tokens or users changed, after the
 * change committed.  0 or -1. */
int auth_revoked_notify(const char *db_path);

/* Revokes the token who authenticated with and writes a "logout" audit
 * row.  AUTH_OK, AUTH_EDENIED if it was no longer live, or an error. */
int auth_logout(struct auth *a, struct store *s, const struct auth_principal *who,
                const char *route, int64_t now);

/* ---- Pseudonyms ------------------------------------------------------------ */

/* Characters of a pseudonym (base32 of 120 bits), without the NUL. */
#define AUTH_PSEUDONYM_CHARS 24

/* A stable pseudonym for the pair (x, y) within context (e.g. "candidate",
 * x a vacancy id, y a resident id): lowercase base32 of a BLAKE2b keyed with
 * the server's token key and personalised for pseudonyms, over context and
 * both numbers.  The same inputs always give the same text on this server;
 * without the key, nobody can tell which y it stands for or link the
 * pseudonyms of one y under different x.  Rotating the token key changes
 * every pseudonym.  out needs AUTH_PSEUDONYM_CHARS + 1 bytes; 0, or -1 when
 * size is too small. */
int auth_pseudonym(struct auth *a, const char *context, int64_t x, int64_t y, char out[],
                   size_t size);

/* ---- Keyed hashes for other secrets -------------------------------------- */

/* BLAKE2b-256 of n bytes of in keyed with the server key and personalised
 * with personal (16 bytes, e.g. "padan:apikey\0\0\0\0"), so that hashes
 * of different kinds of secret never collide.  For API keys and the
 * webhook signing secrets (apikeys.c, webhooks.c). */
void auth_keyed_hash(struct auth *a, const char personal[16], const uint8_t *in, size_t n,
                     uint8_t out[32]);

/* ---- Roles --------------------------------------------------------------- */

/* The role bit for "admin", "officer", "employer" or "desk"; 0 otherwise. */
unsigned auth_role_parse(const char *name);
/* The name of one role bit; "?" for anything else. */
const char *auth_role_name(unsigned role);

#endif
