/*
 * apikeys.h — API keys: the long-lived credentials of an employer's HR
 * system (issue 16).  A key is 32 random bytes shown once as "pdk_" and 43
 * base64url characters; the database keeps only its BLAKE2b keyed with the
 * server key (personalised apart from token hashes), like a token.  A key
 * belongs to one employer and carries a scope set; its caller is an
 * employer principal with key_id and key_scopes set, so every check that
 * applies to the employer role applies to the key, and the route's scope
 * (access.h) narrows it further.  Revocation and expiry are checked on
 * every request, so the very next request after a revocation is refused.
 */
#ifndef PADAN_APIKEYS_H
#define PADAN_APIKEYS_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "store.h"

/* Scope bits. */
enum apikey_scope {
  APIKEY_VACANCIES_READ = 1u << 0,  /* "vacancies:read": vacancies, shortlists, referrals */
  APIKEY_VACANCIES_WRITE = 1u << 1, /* "vacancies:write": create and change vacancies */
  APIKEY_REFERRALS_WRITE = 1u << 2, /* "referrals:write": record referral outcomes */
};
#define APIKEY_ALL_SCOPES 7u
#define APIKEY_PREFIX "pdk_"
/* "pdk_", 43 base64url characters and the NUL. */
#define APIKEY_TEXT_BYTES 48

/* The bit of one scope name; 0 when unknown. */
unsigned apikey_scope_parse(const char *name);
/* The name of one scope bit; NULL for anything else. */
const char *apikey_scope_name(unsigned bit);

/* A fresh key: text receives it (show it once, then wipe), hash what the
 * database stores, hint its last 4 characters. */
void apikey_generate(struct auth *a, char text[APIKEY_TEXT_BYTES], uint8_t hash[32], char hint[8]);

/* 1 when text looks like a key (the prefix), so the dispatcher can tell a
 * key from a token in an Authorization header. */
int apikey_is_key(const char *text);

/* Authenticates key text at now: AUTH_OK fills who (role employer, the
 * key's employer, key_id, key_scopes, username "apikey:<id>") and records
 * the use (last_used_at, to the minute); AUTH_EDENIED for a malformed, unknown, revoked or expired
 * key. */
int apikey_authenticate(struct auth *a, struct store *s, const char *text, int64_t now,
                        struct auth_principal *who);

#endif
