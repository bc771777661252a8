/*
 * store.c — the SQLite module: opening and migrating the database file, and
 * one function per query over statements prepared once per connection.
 *
 * The STATEMENTS table below holds the core queries (transactions, ids by
 * code, users and tokens, reference data); they are all prepared in
 * store_open(), so one that no longer matches the schema stops the program
 * at start-up.  The area files store_<area>.c keep their SQL beside the
 * function that runs it and prepare it on first use (store_int.h).
 */
#include "store_int.h"

#include "dates.h"
#include "embedded.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* clang-format off */
#define STATEMENTS(X)                                                                          \
  X(BEGIN, "BEGIN IMMEDIATE")                                                                  \
  X(COMMIT, "COMMIT")                                                                          \
  X(ROLLBACK, "ROLLBACK")                                                                      \
  X(VERSION, "PRAGMA user_version")                                                            \
  X(DB_SIZE, "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size")         \
  X(ID_KECAMATAN, "SELECT id FROM kecamatan WHERE code = ?1")                                  \
  X(ID_KELURAHAN, "SELECT id FROM kelurahan WHERE code = ?1")                                  \
  X(ID_SKILL, "SELECT id FROM skills WHERE code = ?1")                                         \
  X(ID_EMPLOYER, "SELECT id FROM employers WHERE code = ?1")                                   \
  X(ID_VACANCY, "SELECT id FROM vacancies WHERE code = ?1")                                    \
  X(ID_COURSE, "SELECT id FROM courses WHERE code = ?1")                                       \
  X(COUNT_KECAMATAN, "SELECT count(*) FROM kecamatan")                                         \
  X(COUNT_KELURAHAN, "SELECT count(*) FROM kelurahan")                                         \
  X(COUNT_SKILL, "SELECT count(*) FROM skills")                                                \
  X(COUNT_EMPLOYER, "SELECT count(*) FROM employers")                                          \
  X(COUNT_VACANCY, "SELECT count(*) FROM vacancies")                                           \
  X(COUNT_COURSE, "SELECT count(*) FROM courses")                                              \
  X(KECAMATAN_ADD, "INSERT INTO kecamatan (code, name, lat, lon) VALUES (?1, ?2, ?3, ?4)")     \
  X(KELURAHAN_ADD, "INSERT INTO kelurahan (code, kecamatan_id, name, lat, lon) "               \
                   "VALUES (?1, ?2, ?3, ?4, ?5)")                                              \
  X(SKILL_ADD, "INSERT INTO skills (code, vocation, name_id, name_en) VALUES (?1, ?2, ?3, ?4)") \
  X(COURSE_ADD, "INSERT INTO courses (code, name, vocation, hours, batch_capacity, schedule) " \
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")                                             \
  X(COURSE_SKILL_ADD, "INSERT INTO course_skills (course_id, skill_id) VALUES (?1, ?2)")       \
  X(BATCH_ADD, "INSERT INTO batches (course_id, batch_no, start_date, end_date, capacity, "     \
               "status) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")                                      \
  X(BATCH_ID, "SELECT id FROM batches WHERE course_id = ?1 AND batch_no = ?2")                 \
  X(OUTCOME_PUT, "INSERT OR REPLACE INTO batch_outcomes (batch_id, source, enrolled, "         \
                 "completed, certified, placed_6m) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")           \
  X(OUTCOME_SECTOR_PUT, "INSERT OR REPLACE INTO batch_outcome_sectors (batch_id, source, "     \
                        "sector, placed) VALUES (?1, ?2, ?3, ?4)")                             \
  X(EMPLOYER_ADD, "INSERT INTO employers (code, name, sector, kelurahan_id, address, "         \
                  "employees, synthetic, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)") \
  X(VACANCY_ADD, "INSERT INTO vacancies (code, employer_id, title, kbji, vocation, "           \
                 "kelurahan_id, min_education, min_age, max_age, openings, wage_monthly, "     \
                 "shift, status, posted_date, deadline, created_at, updated_at) VALUES (?1, "  \
                 "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)")    \
  X(EMPLOYER_FIRST, "SELECT id, code FROM employers ORDER BY id LIMIT 1")                      \
  X(VACANCY_SKILL_ADD, "INSERT INTO vacancy_skills (vacancy_id, skill_id, kind) "              \
                       "VALUES (?1, ?2, ?3)")                                                  \
  X(RESIDENT_ID_BY_NIK, "SELECT id FROM residents WHERE nik = ?1")                             \
  X(RESIDENT_INSERT, "INSERT INTO residents (" RESIDENT_COLUMNS ", synthetic, created_at, "     \
                     "updated_at) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, " \
                     "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?25, ?25)")        \
  X(RESIDENT_UPDATE, "UPDATE residents SET name = ?3, sex = ?4, birth_date = ?5, religion = ?6, " \
                     "marital_status = ?7, kelurahan_id = ?8, address = ?9, phone = ?10, "     \
                     "education = ?11, smk_vocation = ?12, desil = ?13, work_status = ?14, "   \
                     "school_status = ?15, months_without_work = ?16, dependants = ?17, "      \
                     "disability = ?18, shifts = ?19, preferred_vocations = ?20, "             \
                     "nik_flag = ?22, synthetic = ?23, updated_at = ?25, "                     \
                     /* an older extract never undoes a desk's later verification */          \
                     "verified_by = CASE WHEN ?21 > coalesce(verified_at, '') THEN NULL "     \
                     "  ELSE verified_by END, "                                                 \
                     "verification_note = CASE WHEN ?21 > coalesce(verified_at, '') THEN NULL " \
                     "  ELSE verification_note END, "                                           \
                     "verified_at = CASE WHEN ?21 > coalesce(verified_at, '') THEN ?21 "      \
                     "  ELSE verified_at END "                                                  \
                     "WHERE nik = ?2 AND NOT (" STORE__RESIDENT_SAME ")")                    \
  X(RESIDENT_SKILLS, "SELECT skill_id, certified FROM resident_skills WHERE resident_id = ?1 " \
                     "ORDER BY skill_id")                                                      \
  X(RESIDENT_SKILLS_CLEAR, "DELETE FROM resident_skills WHERE resident_id = ?1")               \
  X(RESIDENT_SKILL_ADD, "INSERT INTO resident_skills (resident_id, skill_id, certified) "      \
                        "VALUES (?1, ?2, ?3)")                                                 \
  X(RESIDENT_TOUCH, "UPDATE residents SET updated_at = ?2 WHERE id = ?1")                      \
  X(USER_ADD, "INSERT INTO users (username, password_hash, role, employer_id, kelurahan_id, "  \
              "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")                                   \
  X(USER_BY_NAME, "SELECT " USER_COLUMNS " FROM users WHERE username = ?1")                    \
  X(USER_SET_DISABLED, "UPDATE users SET disabled = ?2 WHERE username = ?1")                   \
  X(USER_EACH, "SELECT " USER_COLUMNS " FROM users ORDER BY id")                               \
  X(TOKEN_ADD, "INSERT INTO tokens (user_id, token_hash, created_at, expires_at) "             \
               "VALUES (?1, ?2, ?3, ?4)")                                                      \
  X(TOKEN_USER, "SELECT u.id, u.username, u.role, u.employer_id, u.kelurahan_id, u.disabled, " \
                "u.password_hash, t.expires_at FROM tokens t JOIN users u ON u.id = t.user_id " \
                "WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND t.expires_at > ?2 "      \
                "AND u.disabled = 0")                                                          \
  X(TOKEN_REVOKE_USER, "UPDATE tokens SET revoked_at = ?2 WHERE user_id = ?1 "                \
                       "AND revoked_at IS NULL")                                               \
  X(TOKEN_REVOKE, "UPDATE tokens SET revoked_at = ?2 WHERE token_hash = ?1 "                   \
                  "AND revoked_at IS NULL AND expires_at > ?2")                                \
  X(KELURAHAN_EACH,                                                                            \
    "SELECT k.id, k.code, k.name, c.code, c.name, k.lat, k.lon, coalesce(r.n, 0), "            \
    "coalesce(r.poor, 0), coalesce(r.neet, 0), k.priority_pinned, coalesce(r.extreme, 0) "     \
    "FROM kelurahan k JOIN kecamatan c ON c.id = k.kecamatan_id LEFT JOIN ("                   \
    /* counted in one walk of 0009's covering index, not by a row fetch  */                    \
    /* per resident (10 s of the engine's start at 1.9 million)          */                    \
    "  SELECT kelurahan_id AS kid, count(*) AS n, sum(desil BETWEEN 1 AND ?2) AS poor, "       \
    "  sum(birth_date > ?1 AND birth_date <= ?3 AND work_status IS NOT NULL "                  \
    "    AND work_status <> 'working' AND school_status = 'not_in_school') AS neet, "          \
    "  sum(desil BETWEEN 1 AND ?5) AS extreme FROM residents WHERE erased_at IS NULL "         \
    "  GROUP BY kelurahan_id) r ON r.kid = k.id ORDER BY k.code")                              \
  X(KELURAHAN_PIN, "UPDATE kelurahan SET priority_pinned = ?2 WHERE id = ?1")                  \
  X(AUDIT_ADD, "INSERT INTO audit_log (at, user_id, username, role, action, route, "           \
               "resident_id, purpose, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
/* clang-format on */

#define RESIDENT_COLUMNS                                                                           \
  "nik, name, sex, birth_date, religion, marital_status, kelurahan_id, address, phone, "           \
  "education, smk_vocation, desil, work_status, school_status, months_without_work, "              \
  "dependants, disability, shifts, preferred_vocations, verified_at, nik_flag"
#define USER_COLUMNS "id, username, role, employer_id, kelurahan_id, disabled, password_hash"

enum stmt_id {
#define X(name, sql) ST_##name,
  STATEMENTS(X)
#undef X
      ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
#define X(name, sql) sql,
    STATEMENTS(X)
#undef X
};

/* ---- Core ---------------------------------------------------------------- */

int store__rc(int rc) {
  switch (rc & 0xff) {
  case SQLITE_OK:
  case SQLITE_DONE:
  case SQLITE_ROW:
    return STORE_OK;
  case SQLITE_CONSTRAINT:
    return STORE_ECONSTRAINT;
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return STORE_EBUSY;
  case SQLITE_NOMEM:
    return STORE_ENOMEM;
  case SQLITE_FULL:
    return STORE_EFULL;
  default:
    return STORE_EIO;
  }
}

int store__found(int rc) {
  return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ENOTFOUND : store__rc(rc);
}

/* A statement from the table, reset and unbound, ready for binding. */
static sqlite3_stmt *stmt(struct store *s, enum stmt_id id) {
  sqlite3_stmt *q = s->core[id];
  sqlite3_reset(q);
  sqlite3_clear_bindings(q);
  return q;
}

/* Area files' statements are prepared on first use and kept for the life of
 * the connection, keyed by the address of their SQL text (a string literal
 * at one call site).  A statement that does not prepare is an error the
 * caller returns, never an empty result. */
sqlite3_stmt *store__sql(struct store *s, const char *sql) {
  size_t h = ((uintptr_t)sql >> 3) % STORE__CACHE;
  for (size_t i = 0; i < STORE__CACHE; i++) {
    struct store__cached *c = &s->cache[(h + i) % STORE__CACHE];
    if (c->sql == sql) {
      sqlite3_reset(c->st);
      sqlite3_clear_bindings(c->st);
      return c->st;
    }
    if (c->sql == NULL) {
      if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->st, NULL) !=
          SQLITE_OK) {
        fprintf(stderr, "padan: internal error: statement does not prepare: %s\n",
                sqlite3_errmsg(s->db));
        sqlite3_finalize(c->st);
        c->st = NULL;
        return NULL;
      }
      c->sql = sql;
      return c->st;
    }
  }
  fprintf(stderr, "padan: internal error: statement cache full\n");
  return NULL;
}

void store__bind_text(sqlite3_stmt *q, int i, const char *v) {
  if (v == NULL)
    sqlite3_bind_null(q, i);
  else
    sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
}

/* Binds -1 (unknown) as NULL. */
void store__bind_move(sqlite3_stmt *q, int64_t id, const char *from, const char *to,
                      int64_t by_user, const char *now) {
  sqlite3_bind_int64(q, 1, id);
  store__bind_text(q, 2, from);
  store__bind_text(q, 3, to);
  store__bind_opt(q, 4, by_user);
  store__bind_text(q, 5, now);
}

void store__bind_audit(sqlite3_stmt *q, const struct store_audit *a, const char *now) {
  store__bind_text(q, 1, now);
  store__bind_opt(q, 2, a->user_id);
  store__bind_text(q, 3, a->username);
  store__bind_text(q, 4, a->role);
  store__bind_text(q, 5, a->action);
  store__bind_text(q, 6, a->route);
  store__bind_text(q, 8, a->purpose);
  store__bind_text(q, 9, a->detail);
}

void store__bind_opt(sqlite3_stmt *q, int i, int64_t v) {
  if (v < 0)
    sqlite3_bind_null(q, i);
  else
    sqlite3_bind_int64(q, i, v);
}

/* Runs a statement that returns no rows. */
int store__done(sqlite3_stmt *q) {
  int rc = sqlite3_step(q);
  int out = rc == SQLITE_DONE ? STORE_OK : store__rc(rc);
  sqlite3_reset(q);
  return out;
}

/* Runs an INSERT and reports the new row id through id (may be NULL). */
int store__insert(struct store *s, sqlite3_stmt *q, int64_t *id) {
  int rc = store__done(q);
  if (rc == STORE_OK && id != NULL)
    *id = sqlite3_last_insert_rowid(s->db);
  return rc;
}

/* Runs a query whose single row holds one integer. */
int store__int(sqlite3_stmt *q, int64_t *out) {
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int64(q, 0);
  sqlite3_reset(q);
  return store__found(rc);
}

void store__copy_col(char *dst, size_t cap, sqlite3_stmt *q, int col) {
  /* memcpy of the known length, not snprintf: a resident record copies
   * some thirty columns, and the format parser was 12 % of its statement */
  const unsigned char *v = sqlite3_column_text(q, col);
  size_t n = v != NULL ? (size_t)sqlite3_column_bytes(q, col) : 0;
  if (n >= cap)
    n = cap - 1;
  if (n > 0)
    memcpy(dst, v, n);
  dst[n] = '\0';
}

int64_t store__col_opt(sqlite3_stmt *q, int col) {
  return sqlite3_column_type(q, col) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, col);
}

void store_now_iso(char buf[21]) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *store_errmsg(struct store *s) {
  return s && s->db ? sqlite3_errmsg(s->db) : "no database";
}

int store_latest_version(void) {
  int n = 0;
  for (const struct api_embedded *m = api_migrations; m->name; m++)
    n++;
  return n;
}

/* The number at the start of a migration's file name, or -1. */
static int atoi_strict_prefix(const char *name) {
  int n = 0, digits = 0;
  for (; *name >= '0' && *name <= '9' && digits < 6; name++, digits++)
    n = n * 10 + (*name - '0');
  return digits == 4 && *name == '-' ? n : -1;
}

/* Migration files are named NNNN-what.sql and numbered from 1 without gaps;
 * migration N brings the schema to user_version N. */
static int migrate(struct store *s, char *err, size_t errlen) {
  sqlite3_stmt *q = NULL;
  int version = 0, rc;
  if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK ||
      sqlite3_step(q) != SQLITE_ROW) {
    snprintf(err, errlen, "cannot read schema version: %s", sqlite3_errmsg(s->db));
    sqlite3_finalize(q);
    return STORE_EIO;
  }
  version = sqlite3_column_int(q, 0);
  sqlite3_finalize(q);

  int latest = store_latest_version();
  if (version > latest) {
    snprintf(err, errlen, "database schema version %d is newer than this padan (%d)", version,
             latest);
    return STORE_ESCHEMA;
  }
  for (int n = version + 1; n <= latest; n++) {
    const struct api_embedded *m = &api_migrations[n - 1];
    if (atoi_strict_prefix(m->name) != n) {
      snprintf(err, errlen, "migration %s is out of sequence", m->name);
      return STORE_ESCHEMA;
    }
    char pragma[48];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", n);
    char *msg = NULL;
    rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, &msg);
    if (rc == SQLITE_OK)
      rc = sqlite3_exec(s->db, m->data, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
      rc = sqlite3_exec(s->db, pragma, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
      rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
      snprintf(err, errlen, "migration %s failed: %s", m->name, msg ? msg : "?");
      sqlite3_free(msg);
      sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
      return store__rc(rc);
    }
  }
  return STORE_OK;
}

/* The database holds personal data: its file and SQLite's -wal and -shm
 * beside it are readable by the owner only (0600), whatever the directory
 * or the umask.  A new main file is created here with that mode (SQLite
 * gives the -wal and -shm files the main file's mode); files an older
 * version left 0644 are narrowed.  Only chmod by name touches an existing
 * file: opening and closing a descriptor on it would drop the POSIX locks
 * this process's other connections hold on it.  0, or -1 with errno set. */
static int private_files(const char *path) {
  int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd >= 0)
    close(fd); /* new, so no connection holds a lock on it yet */
  else if (errno != EEXIST)
    return -1;
  static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
  for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
    char name[4096];
    int n = snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
    if (n < 0 || (size_t)n >= sizeof name)
      continue;
    if (chmod(name, 0600) != 0 && errno != ENOENT && errno != EPERM && errno != EROFS)
      return -1;
  }
  return 0;
}

int store_open(const char *path, struct store **out, char *err, size_t errlen) {
  int rc = STORE_ENOMEM;
  if (private_files(path) != 0) {
    snprintf(err, errlen, "cannot open database %s: %s", path, strerror(errno));
    *out = NULL;
    return STORE_EIO;
  }
  struct store *s = calloc(1, sizeof *s);
  if (s != NULL && (s->core = calloc(ST_COUNT, sizeof *s->core)) == NULL) {
    free(s);
    s = NULL;
  }
  if (s == NULL) {
    snprintf(err, errlen, "out of memory");
    goto fail;
  }
  if ((s->path = strdup(path)) == NULL) {
    snprintf(err, errlen, "out of memory");
    goto fail;
  }
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "cannot open database %s: %s", path,
             s->db ? sqlite3_errmsg(s->db) : "out of memory");
    rc = STORE_EIO;
    goto fail;
  }
  sqlite3_extended_result_codes(s->db, 0);
  sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
  /* WAL lets API readers run while an import writes; NORMAL sync is safe in
   * WAL mode (a crash can lose the last commits, never corrupt the file). */
  const char *pragmas = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                        "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; "
                        "PRAGMA cache_size = -32768;" /* 32 MiB: imports touch many pages */
                        /* a checkpoint that empties the WAL cuts its file to 64 MiB at
                         * most, so a burst of writes does not leave it large */
                        "PRAGMA journal_size_limit = 67108864;";
  char *msg = NULL;
  if (sqlite3_exec(s->db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
    snprintf(err, errlen, "cannot set up database %s: %s", path, msg ? msg : "?");
    sqlite3_free(msg);
    rc = STORE_EIO;
    goto fail;
  }
  rc = migrate(s, err, errlen);
  if (rc != STORE_OK)
    goto fail;
  for (int i = 0; i < ST_COUNT; i++) {
    if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->core[i], NULL) !=
        SQLITE_OK) {
      snprintf(err, errlen, "internal error: statement %d does not prepare: %s", i,
               sqlite3_errmsg(s->db));
      rc = STORE_EIO;
      goto fail;
    }
  }
  *out = s;
  return STORE_OK;

fail:
  store_close(s);
  *out = NULL;
  return rc;
}

void store_close(struct store *s) {
  if (s == NULL)
    return;
  for (int i = 0; i < ST_COUNT; i++)
    sqlite3_finalize(s->core[i]);
  for (size_t i = 0; i < STORE__CACHE; i++)
    sqlite3_finalize(s->cache[i].st);
  sqlite3_close(s->db);
  free(s->core);
  free(s->path);
  sodium_memzero(s->nik_key, sizeof s->nik_key);
  free(s);
}

int store_schema_version(struct store *s, int *version) {
  int64_t v = 0;
  int rc = store__int(stmt(s, ST_VERSION), &v);
  *version = (int)v;
  return rc;
}

int store_database_size(struct store *s, int64_t *bytes) {
  return store__int(stmt(s, ST_DB_SIZE), bytes);
}

int store_set_max_pages(struct store *s, long pages) {
  char sql[64];
  snprintf(sql, sizeof sql, "PRAGMA max_page_count = %ld", pages);
  return store__rc(sqlite3_exec(s->db, sql, NULL, NULL, NULL));
}

int store_begin(struct store *s) {
  return store__done(stmt(s, ST_BEGIN));
}

int store_commit(struct store *s) {
  return store__done(stmt(s, ST_COMMIT));
}

int store_rollback(struct store *s) {
  return store__done(stmt(s, ST_ROLLBACK));
}

/* ---- Reference data ------------------------------------------------------- */

int store_id_by_code(struct store *s, enum store_table t, const char *code, int64_t *id) {
  static const enum stmt_id ids[] = {ST_ID_KECAMATAN, ST_ID_KELURAHAN, ST_ID_SKILL,
                                     ST_ID_EMPLOYER,  ST_ID_VACANCY,   ST_ID_COURSE};
  sqlite3_stmt *q = stmt(s, ids[t]);
  store__bind_text(q, 1, code);
  return store__int(q, id);
}

int store_count(struct store *s, enum store_table t, int64_t *n) {
  static const enum stmt_id ids[] = {ST_COUNT_KECAMATAN, ST_COUNT_KELURAHAN, ST_COUNT_SKILL,
                                     ST_COUNT_EMPLOYER,  ST_COUNT_VACANCY,   ST_COUNT_COURSE};
  return store__int(stmt(s, ids[t]), n);
}

int store_kecamatan_add(struct store *s, const char *code, const char *name, double lat, double lon,
                        int64_t *id) {
  sqlite3_stmt *q = stmt(s, ST_KECAMATAN_ADD);
  store__bind_text(q, 1, code);
  store__bind_text(q, 2, name);
  sqlite3_bind_double(q, 3, lat);
  sqlite3_bind_double(q, 4, lon);
  return store__insert(s, q, id);
}

int store_kelurahan_add(struct store *s, const char *code, int64_t kecamatan_id, const char *name,
                        double lat, double lon, int64_t *id) {
  sqlite3_stmt *q = stmt(s, ST_KELURAHAN_ADD);
  store__bind_text(q, 1, code);
  sqlite3_bind_int64(q, 2, kecamatan_id);
  store__bind_text(q, 3, name);
  sqlite3_bind_double(q, 4, lat);
  sqlite3_bind_double(q, 5, lon);
  return store__insert(s, q, id);
}

int store_skill_add(struct store *s, const char *code, const char *vocation, const char *name_id,
                    const char *name_en, int64_t *id) {
  sqlite3_stmt *q = stmt(s, ST_SKILL_ADD);
  store__bind_text(q, 1, code);
  store__bind_text(q, 2, vocation);
  store__bind_text(q, 3, name_id);
  store__bind_text(q, 4, name_en);
  return store__insert(s, q, id);
}

int store_course_add(struct store *s, const struct store_course *c, int64_t *id) {
  sqlite3_stmt *q = stmt(s, ST_COURSE_ADD);
  store__bind_text(q, 1, c->code);
  store__bind_text(q, 2, c->name);
  store__bind_text(q, 3, c->vocation);
  sqlite3_bind_int(q, 4, c->hours);
  sqlite3_bind_int(q, 5, c->batch_capacity);
  store__bind_text(q, 6, c->schedule);
  return store__insert(s, q, id);
}

int store_course_skill_add(struct store *s, int64_t course_id, int64_t skill_id) {
  sqlite3_stmt *q = stmt(s, ST_COURSE_SKILL_ADD);
  sqlite3_bind_int64(q, 1, course_id);
  sqlite3_bind_int64(q, 2, skill_id);
  return store__done(q);
}

int store_batch_add(struct store *s, const struct store_batch *b, int64_t *id) {
  sqlite3_stmt *q = stmt(s, ST_BATCH_ADD);
  sqlite3_bind_int64(q, 1, b->course_id);
  sqlite3_bind_int(q, 2, b->batch_no);
  store__bind_text(q, 3, b->start_date);
  store__bind_text(q, 4, b->end_date);
  sqlite3_bind_int(q, 5, b->capacity);
  store__bind_text(q, 6, b->status);
  return store__insert(s, q, id);
}

int store_batch_id(struct store *s, int64_t course_id, int batch_no, int64_t *id) {
  sqlite3_stmt *q = stmt(s, ST_BATCH_ID);
  sqlite3_bind_int64(q, 1, course_id);
  sqlite3_bind_int(q, 2, batch_no);
  return store__int(q, id);
}

int store_outcome_put(struct store *s, const struct store_outcome *o) {
  sqlite3_stmt *q = stmt(s, ST_OUTCOME_PUT);
  sqlite3_bind_int64(q, 1, o->batch_id);
  store__bind_text(q, 2, o->source);
  sqlite3_bind_int(q, 3, o->enrolled);
  sqlite3_bind_int(q, 4, o->completed);
  sqlite3_bind_int(q, 5, o->certified);
  sqlite3_bind_int(q, 6, o->placed_6m);
  return store__done(q);
}

int store_outcome_sector_put(struct store *s, int64_t batch_id, const char *source,
                             const char *sector, int placed) {
  sqlite3_stmt *q = stmt(s, ST_OUTCOME_SECTOR_PUT);
  sqlite3_bind_int64(q, 1, batch_id);
  store__bind_text(q, 2, source);
  store__bind_text(q, 3, sector);
  sqlite3_bind_int(q, 4, placed);
  return store__done(q);
}

int store_employer_add(struct store *s, const struct store_employer *e, int64_t *id) {
  char now[21];
  store_now_iso(now);
  sqlite3_stmt *q = stmt(s, ST_EMPLOYER_ADD);
  store__bind_text(q, 1, e->code);
  store__bind_text(q, 2, e->name);
  store__bind_text(q, 3, e->sector);
  sqlite3_bind_int64(q, 4, e->kelurahan_id);
  store__bind_text(q, 5, e->address);
  store__bind_opt(q, 6, e->employees);
  sqlite3_bind_int(q, 7, e->synthetic ? 1 : 0);
  store__bind_text(q, 8, now);
  return store__insert(s, q, id);
}

int store_employer_first(struct store *s, int64_t *id, char code[32]) {
  sqlite3_stmt *q = stmt(s, ST_EMPLOYER_FIRST);
  int rc = sqlite3_step(q);
  int res = store__found(rc);
  if (rc == SQLITE_ROW) {
    *id = sqlite3_column_int64(q, 0);
    store__copy_col(code, 32, q, 1);
  }
  sqlite3_reset(q);
  return res;
}

int store_vacancy_add(struct store *s, const struct store_vacancy *v, int64_t *id) {
  char now[21];
  store_now_iso(now);
  sqlite3_stmt *q = stmt(s, ST_VACANCY_ADD);
  store__bind_text(q, 1, v->code);
  sqlite3_bind_int64(q, 2, v->employer_id);
  store__bind_text(q, 3, v->title);
  store__bind_text(q, 4, v->kbji);
  store__bind_text(q, 5, v->vocation);
  sqlite3_bind_int64(q, 6, v->kelurahan_id);
  store__bind_text(q, 7, v->min_education);
  store__bind_opt(q, 8, v->min_age);
  store__bind_opt(q, 9, v->max_age);
  sqlite3_bind_int(q, 10, v->openings);
  sqlite3_bind_int64(q, 11, v->wage_monthly);
  store__bind_text(q, 12, v->shift);
  store__bind_text(q, 13, v->status ? v->status : "open");
  store__bind_text(q, 14, v->posted_date);
  store__bind_text(q, 15, v->deadline);
  store__bind_text(q, 16, now);
  return store__insert(s, q, id);
}

int store_vacancy_skill_add(struct store *s, int64_t vacancy_id, int64_t skill_id,
                            const char *kind) {
  sqlite3_stmt *q = stmt(s, ST_VACANCY_SKILL_ADD);
  sqlite3_bind_int64(q, 1, vacancy_id);
  sqlite3_bind_int64(q, 2, skill_id);
  store__bind_text(q, 3, kind);
  return store__done(q);
}

/* ---- Residents --------------------------------------------------------------- */

void store__bind_resident(sqlite3_stmt *q, const struct store_resident *r, const char *now) {
  store__bind_text(q, 2, r->nik);
  store__bind_text(q, 3, r->name);
  store__bind_text(q, 4, r->sex);
  store__bind_text(q, 5, r->birth_date);
  store__bind_text(q, 6, r->religion);
  store__bind_text(q, 7, r->marital_status);
  store__bind_opt(q, 8, r->kelurahan_id);
  store__bind_text(q, 9, r->address);
  store__bind_text(q, 10, r->phone);
  store__bind_text(q, 11, r->education);
  store__bind_text(q, 12, r->smk_vocation);
  store__bind_opt(q, 13, r->desil);
  store__bind_text(q, 14, r->work_status);
  store__bind_text(q, 15, r->school_status);
  store__bind_opt(q, 16, r->months_without_work);
  store__bind_opt(q, 17, r->dependants);
  store__bind_text(q, 18, r->disability);
  store__bind_text(q, 19, r->shifts);
  store__bind_text(q, 20, r->preferred_vocations);
  store__bind_text(q, 21, r->verified_at);
  store__bind_text(q, 22, r->nik_flag);
  sqlite3_bind_int(q, 23, r->synthetic ? 1 : 0);
  store__bind_text(q, 25, now);
}

int store__skills_equal(struct store *s, int64_t id, const struct store_resident *r, int *equal) {
  sqlite3_stmt *q = stmt(s, ST_RESIDENT_SKILLS);
  sqlite3_bind_int64(q, 1, id);
  size_t n = 0;
  int rc, same = 1;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    int64_t skill = sqlite3_column_int64(q, 0);
    int cert = sqlite3_column_int(q, 1);
    int found = 0;
    for (size_t i = 0; i < r->n_skills && !found; i++) {
      if (r->skill_ids[i] != skill)
        continue;
      found = 1;
      same = same && (r->skill_certified && r->skill_certified[i] ? 1 : 0) == cert;
    }
    same = same && found;
    n++;
  }
  sqlite3_reset(q);
  if (rc != SQLITE_DONE)
    return store__rc(rc);
  *equal = same && n == r->n_skills;
  return STORE_OK;
}

/* Writes r's skills for resident id, first clearing the old ones when the
 * resident existed before. */
static int write_skills(struct store *s, int64_t id, const struct store_resident *r, int clear) {
  int rc = STORE_OK;
  if (clear) {
    sqlite3_stmt *q = stmt(s, ST_RESIDENT_SKILLS_CLEAR);
    sqlite3_bind_int64(q, 1, id);
    rc = store__done(q);
  }
  for (size_t i = 0; rc == STORE_OK && i < r->n_skills; i++) {
    sqlite3_stmt *q = stmt(s, ST_RESIDENT_SKILL_ADD);
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, r->skill_ids[i]);
    sqlite3_bind_int(q, 3, r->skill_certified && r->skill_certified[i] ? 1 : 0);
    rc = store__done(q);
  }
  return rc;
}

int store_resident_upsert(struct store *s, const struct store_resident *r, int64_t *id,
                          enum store_upsert *what) {
  char now[21];
  store_now_iso(now);
  sqlite3_stmt *q = stmt(s, ST_RESIDENT_ID_BY_NIK);
  store__bind_text(q, 1, r->nik);
  int rc = store__int(q, id);
  if (rc == STORE_ENOTFOUND) {
    q = stmt(s, ST_RESIDENT_INSERT);
    store__bind_resident(q, r, now);
    rc = store__insert(s, q, id);
    if (rc == STORE_OK)
      rc = write_skills(s, *id, r, 0);
    *what = STORE_NEW;
    return rc;
  }
  if (rc != STORE_OK)
    return rc;

  q = stmt(s, ST_RESIDENT_UPDATE);
  store__bind_resident(q, r, now);
  rc = store__done(q);
  if (rc != STORE_OK)
    return rc;
  int row_changed = sqlite3_changes(s->db) > 0, same_skills = 0;
  rc = store__skills_equal(s, *id, r, &same_skills);
  if (rc != STORE_OK)
    return rc;
  if (!same_skills) {
    rc = write_skills(s, *id, r, 1);
    if (rc == STORE_OK && !row_changed) {
      q = stmt(s, ST_RESIDENT_TOUCH);
      sqlite3_bind_int64(q, 1, *id);
      store__bind_text(q, 2, now);
      rc = store__done(q);
    }
  }
  *what = row_changed || !same_skills ? STORE_UPDATED : STORE_UNCHANGED;
  return rc;
}

/* ---- Users and tokens ----------------------------------------------------------- */

static void read_user(sqlite3_stmt *q, struct store_user *u) {
  u->id = sqlite3_column_int64(q, 0);
  store__copy_col(u->username, sizeof u->username, q, 1);
  store__copy_col(u->role, sizeof u->role, q, 2);
  u->employer_id = store__col_opt(q, 3);
  u->kelurahan_id = store__col_opt(q, 4);
  u->disabled = sqlite3_column_int(q, 5);
  store__copy_col(u->password_hash, sizeof u->password_hash, q, 6);
}

int store_user_add(struct store *s, const char *username, const char *password_hash,
                   const char *role, int64_t employer_id, int64_t kelurahan_id, int64_t *id) {
  char now[21];
  store_now_iso(now);
  sqlite3_stmt *q = stmt(s, ST_USER_ADD);
  store__bind_text(q, 1, username);
  store__bind_text(q, 2, password_hash);
  store__bind_text(q, 3, role);
  store__bind_opt(q, 4, employer_id);
  store__bind_opt(q, 5, kelurahan_id);
  store__bind_text(q, 6, now);
  return store__insert(s, q, id);
}

int store_user_by_name(struct store *s, const char *username, struct store_user *out) {
  sqlite3_stmt *q = stmt(s, ST_USER_BY_NAME);
  store__bind_text(q, 1, username);
  STORE__ONE_ROW(q, out, read_user);
}

int store_user_set_disabled(struct store *s, const char *username, int disabled) {
  sqlite3_stmt *q = stmt(s, ST_USER_SET_DISABLED);
  store__bind_text(q, 1, username);
  sqlite3_bind_int(q, 2, disabled ? 1 : 0);
  int rc = store__done(q);
  if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
    rc = STORE_ENOTFOUND;
  return rc;
}

int store_user_each(struct store *s, int (*fn)(void *arg, const struct store_user *u), void *arg) {
  sqlite3_stmt *q = stmt(s, ST_USER_EACH);
  struct store_user u;
  STORE__EACH_ROW(q, u, read_user, fn, arg);
}

int store_token_add(struct store *s, int64_t user_id, const uint8_t hash[32], int64_t created_at,
                    int64_t expires_at) {
  sqlite3_stmt *q = stmt(s, ST_TOKEN_ADD);
  sqlite3_bind_int64(q, 1, user_id);
  sqlite3_bind_blob(q, 2, hash, 32, SQLITE_STATIC);
  sqlite3_bind_int64(q, 3, created_at);
  sqlite3_bind_int64(q, 4, expires_at);
  return store__done(q);
}

int store_token_revoke_user(struct store *s, int64_t user_id, int64_t now) {
  sqlite3_stmt *q = stmt(s, ST_TOKEN_REVOKE_USER);
  sqlite3_bind_int64(q, 1, user_id);
  sqlite3_bind_int64(q, 2, now);
  return store__done(q);
}

int store_token_user(struct store *s, const uint8_t hash[32], int64_t now, struct store_user *out,
                     int64_t *expires_at) {
  sqlite3_stmt *q = stmt(s, ST_TOKEN_USER);
  sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
  sqlite3_bind_int64(q, 2, now);
  int rc = sqlite3_step(q);
  int res = store__found(rc);
  if (rc == SQLITE_ROW) {
    read_user(q, out);
    if (expires_at != NULL)
      *expires_at = sqlite3_column_int64(q, 7);
  }
  sqlite3_reset(q);
  return res;
}

int store_token_revoke(struct store *s, const uint8_t hash[32], int64_t now) {
  sqlite3_stmt *q = stmt(s, ST_TOKEN_REVOKE);
  sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
  sqlite3_bind_int64(q, 2, now);
  int rc = store__done(q);
  if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
    rc = STORE_ENOTFOUND;
  return rc;
}

/* ---- Kelurahan overview ------------------------------------------------------- */

static void read_kelurahan(sqlite3_stmt *q, struct store_kelurahan_row *k) {
  k->id = sqlite3_column_int64(q, 0);
  store__copy_col(k->code, sizeof k->code, q, 1);
  store__copy_col(k->name, sizeof k->name, q, 2);
  store__copy_col(k->kecamatan_code, sizeof k->kecamatan_code, q, 3);
  store__copy_col(k->kecamatan_name, sizeof k->kecamatan_name, q, 4);
  k->lat = sqlite3_column_double(q, 5);
  k->lon = sqlite3_column_double(q, 6);
  k->residents = sqlite3_column_int64(q, 7);
  k->poor = sqlite3_column_int64(q, 8);
  k->neet = sqlite3_column_int64(q, 9);
  k->pinned = (int)store__col_opt(q, 10);
  k->extreme = sqlite3_column_int64(q, 11);
}

int store_kelurahan_poverty(struct store *s, const struct store_poverty *p,
                            int (*fn)(void *arg, const struct store_kelurahan_row *k), void *arg) {
  /* productive age on today: born after (today - max_age - 1 years) and on
   * or before (today - min_age years); computed once here, not per row */
  char oldest[11], youngest[11];
  if (date_iso_years_before(p->today, p->max_age + 1, oldest) != 0 ||
      date_iso_years_before(p->today, p->min_age, youngest) != 0)
    return STORE_EIO;
  sqlite3_stmt *q = stmt(s, ST_KELURAHAN_EACH);
  store__bind_text(q, 1, oldest);
  sqlite3_bind_int(q, 2, p->poor_max);
  store__bind_text(q, 3, youngest);
  sqlite3_bind_int(q, 5, p->extreme_max);
  struct store_kelurahan_row k;
  STORE__EACH_ROW(q, k, read_kelurahan, fn, arg);
}

int store_kelurahan_each(struct store *s, const char *today, int poor_max, int min_age, int max_age,
                         int (*fn)(void *arg, const struct store_kelurahan_row *k), void *arg) {
  struct store_poverty p = {.today = today,
                            .extreme_max = 1,
                            .poor_max = poor_max,
                            .min_age = min_age,
                            .max_age = max_age};
  return store_kelurahan_poverty(s, &p, fn, arg);
}

int store_kelurahan_pin(struct store *s, int64_t kelurahan_id, int pinned) {
  sqlite3_stmt *q = stmt(s, ST_KELURAHAN_PIN);
  sqlite3_bind_int64(q, 1, kelurahan_id);
  store__bind_opt(q, 2, pinned);
  int rc = store__done(q);
  if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
    rc = STORE_ENOTFOUND;
  return rc;
}

/* ---- Audit --------------------------------------------------------------------- */

int store_audit_add(struct store *s, const struct store_audit *a) {
  char now[21];
  store_now_iso(now);
  sqlite3_stmt *q = stmt(s, ST_AUDIT_ADD);
  store__bind_audit(q, a, now);
  store__bind_opt(q, 7, a->resident_id);
  return store__done(q);
}
