/*
 * check_auth.c — auth.c without a socket: Argon2id password hashes, the
 * token key file, token issue / lookup / expiry / revocation, disabled
 * users, the login throttle, and that the database never holds a token
 * (or a password) in the clear.  Uses a real SQLite file and real
 * libsodium; time is passed in, so expiry and throttle windows are exact.
 */
#include <check.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "store.h"
#include "testutil.h"

#define T0 1800000000 /* 2027-01-15, an arbitrary fixed "now" */

/* One database with one officer ("ani" / "kata-sandi-ani") and an auth
 * state around a fixed key. */
struct fixture {
  char *dir;
  char db_path[512];
  struct store *s;
  struct auth *a;
  uint8_t key[AUTH_KEY_BYTES];
  int64_t ani;
};

static void fixture_open(struct fixture *f) {
  char err[256];
  ck_assert_int_eq(auth_init(), 0);
  f->dir = tu_tmpdir();
  snprintf(f->db_path, sizeof f->db_path, "%s/padan.db", f->dir);
  ck_assert_msg(store_open(f->db_path, &f->s, err, sizeof err) == STORE_OK, "%s", err);
  char hash[AUTH_PASSWORD_HASH_BYTES];
  ck_assert_int_eq(auth_hash_password("kata-sandi-ani", hash), 0);
  ck_assert_int_eq(store_user_add(f->s, "ani", hash, "officer", -1, -1, &f->ani), STORE_OK);
  for (size_t i = 0; i < sizeof f->key; i++)
    f->key[i] = (uint8_t)(i * 7 + 1);
  ck_assert_int_eq(auth_create(f->key, &f->a), 0);
}

static void fixture_close(struct fixture *f) {
  auth_free(f->a);
  store_close(f->s);
  tu_rmtree(f->dir);
  free(f->dir);
}

static int authenticate(struct fixture *f, const char *token, int64_t now,
                        struct auth_principal *who) {
  char header[128];
  snprintf(header, sizeof header, "Bearer %s", token);
  return auth_authenticate(f->a, f->s, header, now, who);
}

/* 1 when needle occurs in the file at path (a missing file has nothing). */
static int file_contains(const char *path, const void *needle, size_t n) {
  FILE *fp = fopen(path, "rb");
  if (fp == NULL)
    return 0;
  size_t cap = 1 << 20, len = 0;
  unsigned char *buf = malloc(cap);
  ck_assert_ptr_nonnull(buf);
  size_t got;
  while ((got = fread(buf + len, 1, cap - len, fp)) > 0) {
    len += got;
    if (len == cap) {
      cap *= 2;
      buf = realloc(buf, cap);
      ck_assert_ptr_nonnull(buf);
    }
  }
  fclose(fp);
  int found = memmem(buf, len, needle, n) != NULL;
  free(buf);
  return found;
}

/* ---- Passwords ----------------------------------------------------------- */

START_TEST(password_hash_is_argon2id_and_verifies) {
  char h1[AUTH_PASSWORD_HASH_BYTES], h2[AUTH_PASSWORD_HASH_BYTES];
  ck_assert_int_eq(auth_init(), 0);
  ck_assert_int_eq(auth_hash_password("rahasia sekali", h1), 0);
  ck_assert_int_eq(auth_hash_password("rahasia sekali", h2), 0);
  ck_assert_msg(strncmp(h1, "$argon2id$", 10) == 0, "hash is %s", h1);
  ck_assert_ptr_null(strstr(h1, "rahasia"));
  ck_assert_str_ne(h1, h2); /* salted */
  ck_assert_int_eq(auth_verify_password(h1, "rahasia sekali"), 1);
  ck_assert_int_eq(auth_verify_password(h2, "rahasia sekali"), 1);
  ck_assert_int_eq(auth_verify_password(h1, "rahasia sekalI"), 0);
  ck_assert_int_eq(auth_verify_password(h1, ""), 0);
  ck_assert_int_eq(auth_verify_password("not a hash", "rahasia sekali"), 0);
}
END_TEST

START_TEST(random_password_has_length_and_alphabet) {
  char p1[21], p2[21], tiny[12];
  ck_assert_int_eq(auth_init(), 0);
  ck_assert_int_eq(auth_random_password(p1, sizeof p1), 0);
  ck_assert_int_eq(auth_random_password(p2, sizeof p2), 0);
  ck_assert_uint_eq(strlen(p1), 20);
  ck_assert_str_ne(p1, p2);
  for (size_t i = 0; i < 20; i++)
    ck_assert_msg(strchr("0O1lIo", p1[i]) == NULL &&
                      ((p1[i] >= 'a' && p1[i] <= 'z') || (p1[i] >= 'A' && p1[i] <= 'Z') ||
                       (p1[i] >= '2' && p1[i] <= '9')),
                  "bad character %c", p1[i]);
  ck_assert_int_eq(auth_random_password(tiny, sizeof tiny), -1);
}
END_TEST

/* ---- Key file -------------------------------------------------------------- */

START_TEST(key_file_is_created_private_and_reread) {
  char *dir = tu_tmpdir();
  char path[512], err[256];
  uint8_t k1[AUTH_KEY_BYTES], k2[AUTH_KEY_BYTES], zero[AUTH_KEY_BYTES] = {0};
  snprintf(path, sizeof path, "%s/token.key", dir);
  ck_assert_int_eq(auth_init(), 0);

  ck_assert_msg(auth_load_or_create_key(path, k1, err, sizeof err) == 0, "%s", err);
  struct stat st;
  ck_assert_int_eq(stat(path, &st), 0);
  ck_assert_int_eq(st.st_size, AUTH_KEY_BYTES);
  ck_assert_int_eq(st.st_mode & 0777, 0600);
  ck_assert_int_ne(memcmp(k1, zero, sizeof zero), 0);
  ck_assert_msg(auth_load_or_create_key(path, k2, err, sizeof err) == 0, "%s", err);
  ck_assert_int_eq(memcmp(k1, k2, sizeof k1), 0);

  ck_assert_int_eq(chmod(path, 0644), 0);
  ck_assert_int_eq(auth_load_or_create_key(path, k2, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "chmod 600"));

  ck_assert_int_eq(chmod(path, 0600), 0);
  ck_assert_int_eq(truncate(path, 16), 0);
  ck_assert_int_eq(auth_load_or_create_key(path, k2, err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "16 bytes"));

  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* ---- Tokens ---------------------------------------------------------------- */

START_TEST(token_lookup_and_expiry) {
  struct fixture f;
  struct auth_principal who;
  char token[AUTH_TOKEN_TEXT_BYTES];
  int64_t expires = 0;
  fixture_open(&f);
  ck_assert_int_eq(auth_token_issue(f.a, f.s, f.ani, T0, token, &expires), AUTH_OK);
  ck_assert_uint_eq(strlen(token), 43);
  ck_assert_int_eq(expires, T0 + 8 * 3600);

  ck_assert_int_eq(authenticate(&f, token, T0, &who), AUTH_OK);
  ck_assert_int_eq(who.user_id, f.ani);
  ck_assert_str_eq(who.username, "ani");
  ck_assert_int_eq(who.role, AUTH_OFFICER);
  ck_assert_int_eq(who.employer_id, -1);
  ck_assert_int_eq(who.kelurahan_id, -1);
  ck_assert_int_eq(who.token_expires_at, expires);
  /* The last second of its life still works; the expiry second does not. */
  ck_assert_int_eq(authenticate(&f, token, expires - 1, &who), AUTH_OK);
  ck_assert_int_eq(authenticate(&f, token, expires, &who), AUTH_EDENIED);
  ck_assert_int_eq(authenticate(&f, token, expires + 3600, &who), AUTH_EDENIED);
  fixture_close(&f);
}
END_TEST

START_TEST(malformed_or_missing_headers_are_denied) {
  struct fixture f;
  struct auth_principal who;
  char token[AUTH_TOKEN_TEXT_BYTES], header[128];
  fixture_open(&f);
  ck_assert_int_eq(auth_token_issue(f.a, f.s, f.ani, T0, token, NULL), AUTH_OK);

  snprintf(header, sizeof header, "bearer %s", token); /* the scheme is case-insensitive */
  ck_assert_int_eq(auth_authenticate(f.a, f.s, header, T0, &who), AUTH_OK);
  ck_assert_int_eq(auth_authenticate(f.a, f.s, NULL, T0, &who), AUTH_EDENIED);
  ck_assert_int_eq(auth_authenticate(f.a, f.s, "", T0, &who), AUTH_EDENIED);
  ck_assert_int_eq(auth_authenticate(f.a, f.s, "Bearer", T0, &who), AUTH_EDENIED);
  ck_assert_int_eq(auth_authenticate(f.a, f.s, "Bearer garbage", T0, &who), AUTH_EDENIED);
  snprintf(header, sizeof header, "Basic %s", token);
  ck_assert_int_eq(auth_authenticate(f.a, f.s, header, T0, &who), AUTH_EDENIED);
  snprintf(header, sizeof header, "Bearer %sA", token); /* one character too many */
  ck_assert_int_eq(auth_authenticate(f.a, f.s, header, T0, &who), AUTH_EDENIED);
  snprintf(header, sizeof header, "Bearer %s", token);
  header[7] = header[7] == 'A' ? 'B' : 'A'; /* a different, well-formed token */
  ck_assert_int_eq(auth_authenticate(f.a, f.s, header, T0, &who), AUTH_EDENIED);
  fixture_close(&f);
}
END_TEST

START_TEST(revoked_token_is_denied) {
  struct fixture f;
  struct auth_principal who;
  char t1[AUTH_TOKEN_TEXT_BYTES], t2[AUTH_TOKEN_TEXT_BYTES];
  fixture_open(&f);
  ck_assert_int_eq(auth_token_issue(f.a, f.s, f.ani, T0, t1, NULL), AUTH_OK);
  ck_assert_int_eq(auth_token_issue(f.a, f.s, f.ani, T0, t2, NULL), AUTH_OK);
  ck_assert_str_ne(t1, t2);
  ck_assert_int_eq(authenticate(&f, t1, T0 + 10, &who), AUTH_OK);
  ck_assert_int_eq(auth_logout(f.a, f.s, &who, "test", T0 + 10), AUTH_OK);
  ck_assert_int_eq(authenticate(&f, t1, T0 + 11, &who), AUTH_EDENIED);
  /* Revoking one token leaves the user's other sessions alone. */
  ck_assert_int_eq(authenticate(&f, t2, T0 + 11, &who), AUTH_OK);
  fixture_close(&f);
}
END_TEST

START_TEST(disabled_user_loses_tokens_and_login) {
  struct fixture f;
  struct auth_principal who;
  struct auth_login out;
  char token[AUTH_TOKEN_TEXT_BYTES];
  fixture_open(&f);
  ck_assert_int_eq(auth_token_issue(f.a, f.s, f.ani, T0, token, NULL), AUTH_OK);
  ck_assert_int_eq(store_user_set_disabled(f.s, "ani", 1), STORE_OK);
  ck_assert_int_eq(authenticate(&f, token, T0 + 1, &who), AUTH_EDENIED);
  ck_assert_int_eq(auth_login(f.a, f.s, "ani", "kata-sandi-ani", "10.0.0.1", "test", T0, &out),
                   AUTH_EDENIED);
  fixture_close(&f);
}
END_TEST

START_TEST(login_right_wrong_and_unknown) {
  struct fixture f;
  struct auth_principal who;
  struct auth_login out;
  fixture_open(&f);
  ck_assert_int_eq(auth_login(f.a, f.s, "ani", "kata-sandi-ani", "10.0.0.1", "test", T0, &out),
                   AUTH_OK);
  ck_assert_int_eq(out.who.user_id, f.ani);
  ck_assert_int_eq(out.who.role, AUTH_OFFICER);
  ck_assert_int_eq(out.who.token_expires_at, T0 + AUTH_TOKEN_TTL_S);
  ck_assert_int_eq(authenticate(&f, out.token, T0 + 1, &who), AUTH_OK);
  ck_assert_int_eq(memcmp(who.token_hash, out.who.token_hash, AUTH_TOKEN_HASH_BYTES), 0);

  ck_assert_int_eq(auth_login(f.a, f.s, "ani", "kata-sandi-Ani", "10.0.0.1", "test", T0, &out),
                   AUTH_EDENIED);
  ck_assert_str_eq(out.token, "");
  ck_assert_int_eq(auth_login(f.a, f.s, "budi", "kata-sandi-ani", "10.0.0.1", "test", T0, &out),
                   AUTH_EDENIED);
  ck_assert_int_eq(auth_login(f.a, f.s, "", "x", "10.0.0.1", "test", T0, &out), AUTH_EDENIED);
  fixture_close(&f);
}
END_TEST

START_TEST(login_throttle_per_username) {
  struct fixture f;
  struct auth_login out;
  fixture_open(&f);
  /* A success clears the username's count: 4 + success + 4 stays open. */
  for (int i = 0; i < 4; i++)
    ck_assert_int_eq(auth_login(f.a, f.s, "ani", "salah", "10.0.0.1", "test", T0 + i, &out),
                     AUTH_EDENIED);
  ck_assert_int_eq(auth_login(f.a, f.s, "ani", "kata-sandi-ani", "10.0.0.1", "test", T0 + 5, &out),
                   AUTH_OK);
  for (int i = 0; i < 4; i++)
    ck_assert_int_eq(auth_login(f.a, f.s, "ani", "salah", "10.0.0.2", "test", T0 + 10, &out),
                     AUTH_EDENIED);
  ck_assert_int_eq(auth_login(f.a, f.s, "ani", "kata-sandi-ani", "10.0.0.2", "test", T0 + 11, &out),
                   AUTH_OK);

  /* Five failures in the window hold the username back from that address,
   * right password or not, until the window that began at the first one
   * ends; the owner at another address is not locked out by a stranger. */
  for (int i = 0; i < 5; i++)
    ck_assert_int_eq(auth_login(f.a, f.s, "ani", "salah", "10.0.0.3", "test", T0 + 100 + i, &out),
                     AUTH_EDENIED);
  ck_assert_int_eq(
      auth_login(f.a, f.s, "ani", "kata-sandi-ani", "10.0.0.3", "test", T0 + 110, &out),
      AUTH_ETHROTTLED);
  ck_assert_int_eq(out.retry_after, 100 + AUTH_THROTTLE_WINDOW_S - 110);
  ck_assert_int_eq(auth_login(f.a, f.s, "ani", "kata-sandi-ani", "10.0.0.3", "test",
                              T0 + 100 + AUTH_THROTTLE_WINDOW_S - 1, &out),
                   AUTH_ETHROTTLED);
  ck_assert_int_eq(out.retry_after, 1);
  ck_assert_int_eq(
      auth_login(f.a, f.s, "ani", "kata-sandi-ani", "10.0.0.4", "test", T0 + 110, &out), AUTH_OK);
  ck_assert_int_eq(auth_login(f.a, f.s, "ani", "kata-sandi-ani", "10.0.0.3", "test",
                              T0 + 100 + AUTH_THROTTLE_WINDOW_S, &out),
                   AUTH_OK);
  /* Unknown usernames are throttled the same way (no hint they are unknown). */
  for (int i = 0; i < 5; i++)
    ck_assert_int_eq(auth_login(f.a, f.s, "nobody", "x", "10.0.0.5", "test", T0 + 1000, &out),
                     AUTH_EDENIED);
  ck_assert_int_eq(auth_login(f.a, f.s, "nobody", "x", "10.0.0.5", "test", T0 + 1001, &out),
                   AUTH_ETHROTTLED);
  fixture_close(&f);
}
END_TEST

START_TEST(login_throttle_per_address) {
  struct fixture f;
  struct auth_login out;
  char name[32];
  fixture_open(&f);
  /* Many usernames from one address: the address locks, others do not. */
  for (int i = 0; i < AUTH_THROTTLE_IP_FAILURES; i++) {
    snprintf(name, sizeof name, "tebak%d", i);
    ck_assert_int_eq(auth_login(f.a, f.s, name, "x", "192.0.2.9", "test", T0, &out), AUTH_EDENIED);
  }
  ck_assert_int_eq(auth_login(f.a, f.s, "ani", "kata-sandi-ani", "192.0.2.9", "test", T0 + 1, &out),
                   AUTH_ETHROTTLED);
  ck_assert_int_eq(out.retry_after, AUTH_THROTTLE_WINDOW_S - 1);
  ck_assert_int_eq(
      auth_login(f.a, f.s, "ani", "kata-sandi-ani", "192.0.2.10", "test", T0 + 1, &out), AUTH_OK);
  fixture_close(&f);
}
END_TEST

/* ---- What the database holds ---------------------------------------------- */

START_TEST(database_holds_no_plaintext_token_or_password) {
  struct fixture f;
  struct auth_login out;
  uint8_t raw[AUTH_TOKEN_BYTES], expect[AUTH_TOKEN_HASH_BYTES];
  char token[AUTH_TOKEN_TEXT_BYTES], path[600];
  fixture_open(&f);
  ck_assert_int_eq(auth_login(f.a, f.s, "ani", "kata-sandi-ani", "10.0.0.1", "test", T0, &out),
                   AUTH_OK);
  ck_assert_int_eq(auth_login(f.a, f.s, "ani", "sandi-keliru-xyz", "10.0.0.1", "test", T0, &out),
                   AUTH_EDENIED);
  ck_assert_int_eq(auth_login(f.a, f.s, "ani", "kata-sandi-ani", "10.0.0.1", "test", T0, &out),
                   AUTH_OK);
  memcpy(token, out.token, sizeof token);
  ck_assert_int_eq(auth_token_decode(token, raw), 0);
  auth_token_hash(f.key, raw, expect);
  store_close(f.s);
  f.s = NULL;

  /* The column holds exactly the keyed hash, in every row never the token. */
  sqlite3 *db;
  sqlite3_stmt *st;
  ck_assert_int_eq(sqlite3_open_v2(f.db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  ck_assert_int_eq(
      sqlite3_prepare_v2(db, "SELECT token_hash FROM tokens ORDER BY id", -1, &st, NULL),
      SQLITE_OK);
  int rows = 0, found = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const void *h = sqlite3_column_blob(st, 0);
    int n = sqlite3_column_bytes(st, 0);
    ck_assert_int_eq(n, AUTH_TOKEN_HASH_BYTES);
    ck_assert_int_ne(memcmp(h, raw, sizeof raw), 0);
    ck_assert_ptr_null(memmem(h, (size_t)n, token, strlen(token)));
    found += memcmp(h, expect, sizeof expect) == 0;
    rows++;
  }
  sqlite3_finalize(st);
  ck_assert_int_eq(rows, 2);
  ck_assert_int_eq(found, 1);
  /* The audit rows name the events but never a password or token. */
  ck_assert_int_eq(sqlite3_prepare_v2(db,
                                      "SELECT action, coalesce(username, ''), "
                                      "coalesce(detail, '') FROM audit_log ORDER BY id",
                                      -1, &st, NULL),
                   SQLITE_OK);
  const char *actions[] = {"login", "login_failed", "login"};
  int n_audit = 0;
  while (sqlite3_step(st) == SQLITE_ROW) {
    ck_assert_int_lt(n_audit, 3);
    ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), actions[n_audit]);
    for (int c = 1; c <= 2; c++) {
      const char *text = (const char *)sqlite3_column_text(st, c);
      ck_assert_ptr_null(strstr(text, "sandi"));
      ck_assert_ptr_null(strstr(text, token));
    }
    n_audit++;
  }
  sqlite3_finalize(st);
  ck_assert_int_eq(n_audit, 3);
  sqlite3_close(db);

  /* Nor do the files' bytes, WAL included. */
  static const char *const suffixes[] = {"", "-wal", "-journal"};
  for (size_t i = 0; i < 3; i++) {
    snprintf(path, sizeof path, "%s%s", f.db_path, suffixes[i]);
    ck_assert_msg(!file_contains(path, token, strlen(token)), "token text in %s", path);
    ck_assert_msg(!file_contains(path, raw, sizeof raw), "raw token in %s", path);
    ck_assert_msg(!file_contains(path, "kata-sandi-ani", 14), "password in %s", path);
    ck_assert_msg(!file_contains(path, "sandi-keliru-xyz", 16), "password in %s", path);
  }
  /* ...while the keyed hash is there (so the scan above could see bytes). */
  char wal[600];
  snprintf(wal, sizeof wal, "%s-wal", f.db_path);
  ck_assert(file_contains(f.db_path, expect, sizeof expect) ||
            file_contains(wal, expect, sizeof expect));
  fixture_close(&f);
}
END_TEST

START_TEST(keyed_hash_depends_on_key) {
  struct fixture f;
  struct auth *other;
  struct auth_principal who;
  uint8_t raw[AUTH_TOKEN_BYTES], h1[AUTH_TOKEN_HASH_BYTES], h2[AUTH_TOKEN_HASH_BYTES],
      h3[AUTH_TOKEN_HASH_BYTES], key2[AUTH_KEY_BYTES];
  char token[AUTH_TOKEN_TEXT_BYTES];
  fixture_open(&f);
  memcpy(key2, f.key, sizeof key2);
  key2[31] ^= 1;
  randombytes_buf(raw, sizeof raw);
  auth_token_hash(f.key, raw, h1);
  auth_token_hash(f.key, raw, h2);
  auth_token_hash(key2, raw, h3);
  ck_assert_int_eq(memcmp(h1, h2, sizeof h1), 0);
  ck_assert_int_ne(memcmp(h1, h3, sizeof h1), 0);
  /* Unkeyed BLAKE2b of the token is not what is stored either. */
  crypto_generichash(h2, sizeof h2, raw, sizeof raw, NULL, 0);
  ck_assert_int_ne(memcmp(h1, h2, sizeof h1), 0);

  /* A token issued under one key means nothing to a server with another. */
  ck_assert_int_eq(auth_token_issue(f.a, f.s, f.ani, T0, token, NULL), AUTH_OK);
  ck_assert_int_eq(auth_create(key2, &other), 0);
  char header[128];
  snprintf(header, sizeof header, "Bearer %s", token);
  ck_assert_int_eq(auth_authenticate(other, f.s, header, T0, &who), AUTH_EDENIED);
  ck_assert_int_eq(auth_authenticate(f.a, f.s, header, T0, &who), AUTH_OK);
  auth_free(other);
  fixture_close(&f);
}
END_TEST

START_TEST(role_names_round_trip) {
  const char *names[] = {"admin", "officer", "employer", "desk"};
  unsigned bits[] = {AUTH_ADMIN, AUTH_OFFICER, AUTH_EMPLOYER, AUTH_DESK};
  for (size_t i = 0; i < 4; i++) {
    ck_assert_uint_eq(auth_role_parse(names[i]), bits[i]);
    ck_assert_str_eq(auth_role_name(bits[i]), names[i]);
  }
  ck_assert_uint_eq(auth_role_parse("Admin"), 0);
  ck_assert_uint_eq(auth_role_parse(""), 0);
  ck_assert_str_eq(auth_role_name(AUTH_ADMIN | AUTH_DESK), "?");
}
END_TEST

static Suite *auth_suite(void) {
  Suite *s = suite_create("auth");
  TCase *tc = tcase_create("auth");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, password_hash_is_argon2id_and_verifies);
  tcase_add_test(tc, random_password_has_length_and_alphabet);
  tcase_add_test(tc, key_file_is_created_private_and_reread);
  tcase_add_test(tc, token_lookup_and_expiry);
  tcase_add_test(tc, malformed_or_missing_headers_are_denied);
  tcase_add_test(tc, revoked_token_is_denied);
  tcase_add_test(tc, disabled_user_loses_tokens_and_login);
  tcase_add_test(tc, login_right_wrong_and_unknown);
  tcase_add_test(tc, login_throttle_per_username);
  tcase_add_test(tc, login_throttle_per_address);
  tcase_add_test(tc, database_holds_no_plaintext_token_or_password);
  tcase_add_test(tc, keyed_hash_depends_on_key);
  tcase_add_test(tc, role_names_round_trip);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return tu_run_suite(auth_suite());
}
