/*
 * store_int.h — what the files of the storage module share, and nothing
 * outside it may include: the connection struct and the small helpers that
 * bind, step and read statements.  store.c prepares the core statements at
 * open; each store_<area>.c keeps its SQL next to the function that runs it
 * and gets the prepared statement from store__sql().
 */
#ifndef PADAN_STORE_INT_H
#define PADAN_STORE_INT_H

#include "store.h"

#include <sqlite3.h>
#include <stdint.h>

#define STORE__CACHE 512
#define STORE_BUSY_TIMEOUT_MS 5000

struct store__cached {
  const char *sql;
  sqlite3_stmt *st;
};

/* A skill row of a new resident, queued by the import (store_import.c). */
struct store__skill_row {
  int64_t resident, skill;
  int certified;
};
#define STORE__IMPORT_SKILLS 256

struct store {
  sqlite3 *db;
  char *path;                /* the database file's path (malloc'd) */
  unsigned char nik_key[32]; /* the erasure key, once loaded (store_gov.c) */
  int have_nik_key;
  char *import_indexes; /* during an import: CREATE statements to run again (sqlite3_malloc'd) */
  struct store__skill_row import_skills[STORE__IMPORT_SKILLS]; /* queued by the import */
  size_t n_import_skills;
  int import_probe_first; /* the import looks a NIK up before inserting (residents held rows) */
  sqlite3_stmt **core;    /* prepared at open, see store.c */
  struct store__cached cache[STORE__CACHE]; /* area statements, on first use */
};

/* The prepared statement for sql (a string literal), reset and unbound;
 * NULL (logged) if it does not prepare: return STORE_EIO then. */
sqlite3_stmt *store__sql(struct store *s, const char *sql);

/* Declares q as the statement for SQL, returning STORE_EIO from the calling
 * function when it does not prepare. */
#define STORE__STMT(s, q, SQL)                                                                     \
  sqlite3_stmt *q = store__sql((s), (SQL));                                                        \
  if (q == NULL)                                                                                   \
  return STORE_EIO

/* SQLite result code → STORE_* code. */
int store__rc(int sqlite_rc);
/* The STORE_* code for the step of a query that reads one row: STORE_OK on
 * SQLITE_ROW, STORE_ENOTFOUND on SQLITE_DONE, else store__rc(). */
int store__found(int sqlite_rc);
/* Binds the n ids as a JSON array text (for json_each) to parameter i of
 * q.  STORE_OK or STORE_ENOMEM. */
int store__bind_id_list(sqlite3_stmt *q, int i, const int64_t *ids, size_t n);
/* Binds a string, NULL as NULL. */
void store__bind_text(sqlite3_stmt *q, int i, const char *v);
/* Binds an integer, negative (unknown) as NULL. */
void store__bind_opt(sqlite3_stmt *q, int i, int64_t v);
/* Binds a status move's common parameters: ?1 the row id, ?2 the status it
 * must have, ?3 the new status, ?4 who (negative: nobody), ?5 the time
 * stamp (borrowed: it must outlive the statement's step). */
void store__bind_move(sqlite3_stmt *q, int64_t id, const char *from, const char *to,
                      int64_t by_user, const char *now);
/* Binds an audit row's parameters but its resident: ?1 the time stamp,
 * ?2 the user id (negative: nobody), ?3 username, ?4 role, ?5 action, ?6
 * route, ?8 purpose, ?9 detail; ?7, the resident, is the caller's (one id,
 * or a list).  Strings borrowed: they must outlive the statement's step. */
void store__bind_audit(sqlite3_stmt *q, const struct store_audit *a, const char *now);
/* Steps a statement that returns no rows, then resets it. */
int store__done(sqlite3_stmt *q);
/* store__done, and the new row id into *id (may be NULL). */
int store__insert(struct store *s, sqlite3_stmt *q, int64_t *id);
/* Steps a statement whose one row holds one integer; STORE_ENOTFOUND when
 * there is no row. */
int store__int(sqlite3_stmt *q, int64_t *out);
/* Copies a text column into dst (cap bytes, truncating), "" for NULL. */
void store__copy_col(char *dst, size_t cap, sqlite3_stmt *q, int col);
/* An integer column, -1 for NULL. */
int64_t store__col_opt(sqlite3_stmt *q, int col);

/* ---- Residents (store.c), shared with the import (store_import.c) ---- */

/* The condition under which a stored resident row already holds what
 * store__bind_resident() bound: every field the same, and a verification
 * date not newer than the stored one.  One text for the upsert's UPDATE
 * and the import's "unchanged?" probe, so both agree. */
#define STORE__RESIDENT_SAME                                                                       \
  "name IS ?3 AND sex IS ?4 AND birth_date IS ?5 AND religion IS ?6 AND marital_status IS ?7 "     \
  "AND kelurahan_id IS ?8 AND address IS ?9 AND phone IS ?10 AND education IS ?11 AND "            \
  "smk_vocation IS ?12 AND desil IS ?13 AND work_status IS ?14 AND school_status IS ?15 AND "      \
  "months_without_work IS ?16 AND dependants IS ?17 AND disability IS ?18 AND shifts IS ?19 "      \
  "AND preferred_vocations IS ?20 AND coalesce(?21, '') <= coalesce(verified_at, '') AND "         \
  "nik_flag IS ?22 AND synthetic IS ?23"

/* Binds r's fields as ?2..?23 and now as ?25 (the resident statements'
 * numbering; every string borrowed until the step). */
void store__bind_resident(sqlite3_stmt *q, const struct store_resident *r, const char *now);
/* *equal = 1 when the stored skills of resident id are r's (any order in
 * r, no duplicates), certification included. */
int store__skills_equal(struct store *s, int64_t id, const struct store_resident *r, int *equal);

/* A resident's record as struct store_gov_resident holds it: the columns
 * (residents r, kelurahan k joined on r.kelurahan_id) with skills, an
 * expression, in their place, and their reader from column c on
 * (store_gov.c).  One list for the record read on its own and the record
 * read with its parts (store_residents.c). */
#define STORE__GOV_RESIDENT_COLS(skills)                                                           \
  "r.id, r.kelurahan_id, r.nik, r.name, r.sex, r.birth_date, r.religion, r.marital_status, "       \
  "k.code, r.address, r.phone, r.education, r.smk_vocation, r.desil, r.months_without_work, "      \
  "r.dependants, r.work_status, r.school_status, r.disability, r.shifts, "                         \
  "r.preferred_vocations, " skills                                                                 \
  ", r.verified_at, r.nik_flag, r.erased_at, r.verification_note, r.verified_by"
#define STORE__GOV_RESIDENT_NCOLS 27
void store__read_gov_resident(sqlite3_stmt *q, int c, struct store_gov_resident *r);

/* Writes the skill rows the import has queued (store_import.c). */
int store__import_flush(struct store *s);

/* Steps q to its end and returns from the calling function.  For each row,
 * READ (an int expression: STORE_OK or a failure) fills row from q, then
 * fn(arg, &row) sees it; the walk stops at the first non-zero value of
 * either, which is returned (a failed step returns its STORE_* code).  The
 * statement is reset on every path. */
#define STORE__WALK(q, row, READ, fn, arg)                                                         \
  do {                                                                                             \
    int rc_, res_ = STORE_OK;                                                                      \
    while ((rc_ = sqlite3_step(q)) == SQLITE_ROW) {                                                \
      res_ = (READ);                                                                               \
      if (res_ == STORE_OK)                                                                        \
        res_ = (fn)((arg), &(row));                                                                \
      if (res_ != STORE_OK)                                                                        \
        break;                                                                                     \
    }                                                                                              \
    if (res_ == STORE_OK && rc_ != SQLITE_DONE)                                                    \
      res_ = store__rc(rc_);                                                                       \
    sqlite3_reset(q);                                                                              \
    return res_;                                                                                   \
  } while (0)

/* STORE__WALK with a reader that cannot fail: void read(q, &row). */
#define STORE__EACH_ROW(q, row, read, fn, arg)                                                     \
  STORE__WALK(q, row, (read((q), &(row)), STORE_OK), fn, arg)

/* Reads the one row of q with void read(q, out) and returns from the
 * calling function: STORE_OK, STORE_ENOTFOUND without a row, or the step's
 * failure.  The statement is reset on every path. */
#define STORE__ONE_ROW(q, out, read)                                                               \
  do {                                                                                             \
    int rc_ = sqlite3_step(q);                                                                     \
    if (rc_ == SQLITE_ROW)                                                                         \
      read((q), (out));                                                                            \
    sqlite3_reset(q);                                                                              \
    return store__found(rc_);                                                                      \
  } while (0)

/* Reads a course's first six columns (id, code, name, vocation, hours,
 * batch capacity) into *c, any struct with those fields: the catalogue's
 * course row (store_catalog.c) and the engine's (store_engine.c) select
 * them in this order. */
#define STORE__READ_COURSE_HEAD(q, c)                                                              \
  do {                                                                                             \
    (c)->id = sqlite3_column_int64((q), 0);                                                        \
    store__copy_col((c)->code, sizeof(c)->code, (q), 1);                                           \
    store__copy_col((c)->name, sizeof(c)->name, (q), 2);                                           \
    store__copy_col((c)->vocation, sizeof(c)->vocation, (q), 3);                                   \
    (c)->hours = sqlite3_column_int((q), 4);                                                       \
    (c)->batch_capacity = sqlite3_column_int((q), 5);                                              \
  } while (0)

#endif
