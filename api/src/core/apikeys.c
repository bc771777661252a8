/*
 * apikeys.c — generating and checking API keys (see apikeys.h).  The hash
 * lookup goes through the unique index on key_hash, as tokens do (auth.c
 * says why a non-constant-time comparison there is safe).
 */
#include "apikeys.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char personal[16] = "padan:apikey";
static const char *const scope_names[] = {"vacancies:read", "vacancies:write", "referrals:write"};

unsigned apikey_scope_parse(const char *name) {
  for (size_t i = 0; i < sizeof scope_names / sizeof scope_names[0]; i++)
    if (strcmp(name, scope_names[i]) == 0)
      return 1u << i;
  return 0;
}

const char *apikey_scope_name(unsigned bit) {
  for (size_t i = 0; i < sizeof scope_names / sizeof scope_names[0]; i++)
    if (bit == 1u << i)
      return scope_names[i];
  return NULL;
}

void apikey_generate(struct auth *a, char text[APIKEY_TEXT_BYTES], uint8_t hash[32], char hint[8]) {
  uint8_t raw[AUTH_TOKEN_BYTES];
  randombytes_buf(raw, sizeof raw);
  memcpy(text, APIKEY_PREFIX, sizeof APIKEY_PREFIX - 1);
  sodium_bin2base64(text + sizeof APIKEY_PREFIX - 1, APIKEY_TEXT_BYTES - (sizeof APIKEY_PREFIX - 1),
                    raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  auth_keyed_hash(a, personal, raw, sizeof raw, hash);
  sodium_memzero(raw, sizeof raw);
  size_t len = strlen(text);
  snprintf(hint, 8, "%s", text + len - 4);
}

int apikey_is_key(const char *text) {
  return text != NULL && strncmp(text, APIKEY_PREFIX, sizeof APIKEY_PREFIX - 1) == 0;
}

int apikey_authenticate(struct auth *a, struct store *s, const char *text, int64_t now,
                        struct auth_principal *who) {
  uint8_t raw[AUTH_TOKEN_BYTES], hash[32];
  memset(who, 0, sizeof *who);
  if (!apikey_is_key(text))
    return AUTH_EDENIED;
  if (auth_token_decode(text + sizeof APIKEY_PREFIX - 1, raw) != 0)
    return AUTH_EDENIED;
  auth_keyed_hash(a, personal, raw, sizeof raw, hash);
  sodium_memzero(raw, sizeof raw);
  struct store_apikey k;
  int rc = store_apikey_by_hash(s, hash, now, &k);
  if (rc == STORE_ENOTFOUND)
    return AUTH_EDENIED;
  if (rc != STORE_OK) {
    fprintf(stderr, "padan: auth: cannot look up API key: %s\n", store_errmsg(s));
    return rc == STORE_EBUSY ? AUTH_EBUSY : AUTH_EINTERNAL;
  }
  /* last use to the minute: one write a minute per key, not one per request */
  if ((k.last_used_at < 0 || now - k.last_used_at >= 60) &&
      store_apikey_touch(s, k.id, now) != STORE_OK)
    fprintf(stderr, "padan: auth: cannot record API key use: %s\n", store_errmsg(s));
  who->user_id = k.created_by;
  snprintf(who->username, sizeof who->username, "apikey:%lld", (long long)k.id);
  who->role = AUTH_EMPLOYER;
  who->employer_id = k.employer_id;
  who->kelurahan_id = -1;
  who->token_expires_at = k.expires_at;
  who->key_id = k.id;
  who->key_scopes = k.scopes;
  return AUTH_OK;
}
