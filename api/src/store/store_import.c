/*
 * store_import.c — the queries of the DTSEN import (store.h, "Residents"):
 * its transaction, the erased-NIK count, and the guarded upsert of one
 * resident.  An import writes up to millions of rows in one transaction, so
 * the common cases are made cheap: into an empty table a new NIK is one
 * INSERT that the UNIQUE index on nik would turn away if the NIK were known
 * (no lookup before it), its skills queued for INSERTs of 64 rows; into a
 * populated one a NIK is looked up first, and a known NIK whose record and
 * skills did not change is two reads.  Only a changed record takes the
 * careful path: read every field before and after, keep a person's later
 * correction, write a history row for every field changed.  dtsen.c
 * validates; this file only reads and writes.
 */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* While the import writes, the connection checks neither foreign keys nor
 * CHECK constraints: the importer has checked every value against rules
 * stricter than the schema's (NIK, sex, desil, counts; docs/DTSEN-FORMAT.md)
 * and resolved every kelurahan and skill id inside this very transaction,
 * and every skill row's resident is the row it has just written.  Those
 * checks cost a fifth of SQLite's time per row (a GLOB over every NIK, a
 * parent lookup for every kelurahan and skill). */
#define IMPORT_OFF "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON;"
#define IMPORT_ON "PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF;"

/* Drops the secondary indexes of residents (not the UNIQUE ones: the
 * upsert needs the one on nik) and keeps their CREATE statements in
 * s->import_indexes, to build them again before the commit: one sort at
 * the end instead of a B-tree insert per row. */
static int drop_indexes(struct store *s) {
  STORE__STMT(s, q,
              "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = "
              "'residents' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'");
  char *create = NULL, *drop = NULL;
  int rc;
  /* %z frees the text so far, also when the new one cannot be made */
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    create = sqlite3_mprintf("%z%s;\n", create, (const char *)sqlite3_column_text(q, 1));
    if (create == NULL) {
      rc = SQLITE_NOMEM;
      break;
    }
    drop = sqlite3_mprintf("%zDROP INDEX \"%w\";\n", drop, (const char *)sqlite3_column_text(q, 0));
    if (drop == NULL) {
      rc = SQLITE_NOMEM;
      break;
    }
  }
  sqlite3_reset(q);
  rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
  if (rc == SQLITE_OK && drop != NULL)
    rc = sqlite3_exec(s->db, drop, NULL, NULL, NULL);
  sqlite3_free(drop);
  if (rc == SQLITE_OK) {
    s->import_indexes = create;
    return STORE_OK;
  }
  sqlite3_free(create);
  return store__rc(rc);
}

int store_import_begin(struct store *s, int64_t rows_hint) {
  int rc = store__rc(sqlite3_exec(s->db, IMPORT_OFF, NULL, NULL, NULL));
  if (rc == STORE_OK)
    rc = store_begin(s);
  int64_t existing = 0;
  if (rc == STORE_OK) {
    sqlite3_stmt *count = store__sql(s, "SELECT count(*) FROM residents");
    rc = count != NULL ? store__int(count, &existing) : STORE_EIO;
  }
  /* rebuilding costs a sort of every resident: worth it when the file
   * may at least double the table (a re-import of the same population
   * leaves the indexes alone) */
  if (rc == STORE_OK && rows_hint >= 2 * existing)
    rc = drop_indexes(s);
  s->import_probe_first = existing > 0;
  if (rc != STORE_OK)
    store_import_end(s, 0);
  return rc;
}

int store_import_end(struct store *s, int commit) {
  int rc = STORE_OK;
  if (!sqlite3_get_autocommit(s->db)) {
    if (commit)
      rc = store__import_flush(s);
    if (commit && rc == STORE_OK && s->import_indexes != NULL)
      rc = store__rc(sqlite3_exec(s->db, s->import_indexes, NULL, NULL, NULL));
    if (commit && rc == STORE_OK)
      rc = store_commit(s);
    if (!commit || rc != STORE_OK)
      store_rollback(s); /* the dropped indexes come back with it */
  }
  sqlite3_free(s->import_indexes);
  s->import_indexes = NULL;
  s->n_import_skills = 0;
  /* the connection goes on serving writes: its checks must come back, so
   * a failure here (out of memory) is tried once more */
  int set = store__rc(sqlite3_exec(s->db, IMPORT_ON, NULL, NULL, NULL));
  if (set != STORE_OK)
    set = store__rc(sqlite3_exec(s->db, IMPORT_ON, NULL, NULL, NULL));
  return rc != STORE_OK ? rc : set;
}

int store_erased_count(struct store *s, int64_t *n) {
  STORE__STMT(s, q, "SELECT count(*) FROM erased_niks");
  return store__int(q, n);
}

int store_import_fresh(const struct store *s) {
  return !s->import_probe_first;
}

int store_import_codes(struct store *s, enum store_table t,
                       int (*each)(void *arg, const char *code, int64_t id), void *arg) {
  sqlite3_stmt *q = store__sql(s, t == STORE_T_KELURAHAN ? "SELECT code, id FROM kelurahan"
                                                         : "SELECT code, id FROM skills");
  if (q == NULL || (t != STORE_T_KELURAHAN && t != STORE_T_SKILLS))
    return STORE_EIO;
  int rc, stopped = 0;
  while (!stopped && (rc = sqlite3_step(q)) == SQLITE_ROW)
    stopped = each(arg, (const char *)sqlite3_column_text(q, 0), sqlite3_column_int64(q, 1));
  sqlite3_reset(q);
  if (stopped)
    return STORE_ENOMEM;
  return rc == SQLITE_DONE ? STORE_OK : store__rc(rc);
}

/* ---- A changed record: field by field, with history ---------------------------- */

/* The fields an import writes, in read_fields' order: the column and the
 * history's field name. */
static const struct {
  const char *column, *field;
} import_fields[] = {
    {"name", "name"},
    {"sex", "sex"},
    {"birth_date", "birth_date"},
    {"religion", "religion"},
    {"marital_status", "marital_status"},
    {"kelurahan_id", "kelurahan_code"}, /* shown as its code, as a correction shows it */
    {"address", "address"},
    {"phone", "phone"},
    {"education", "education"},
    {"smk_vocation", "smk_vocation"},
    {"desil", "desil"},
    {"work_status", "work_status"},
    {"school_status", "school_status"},
    {"months_without_work", "months_without_work"},
    {"dependants", "dependants"},
    {"disability", "disability"},
    {"shifts", "shifts"},
    {"preferred_vocations", "preferred_vocations"},
};
#define N_IMPORT_FIELDS (sizeof import_fields / sizeof import_fields[0])

/* One field's stored value, raw and as shown (NULL: none; malloc'd). */
struct field_value {
  char *raw, *shown;
};

static void values_free(struct field_value *v) {
  for (size_t i = 0; i < N_IMPORT_FIELDS; i++) {
    free(v[i].raw);
    free(v[i].shown);
    v[i].raw = v[i].shown = NULL;
  }
}

/* A copy of column c (NULL for SQL NULL); *oom set when memory ran out,
 * which must not pass for a NULL (the import would then compare, and
 * record in the history, a value that is not the stored one). */
static char *col_dup(sqlite3_stmt *q, int c, int *oom) {
  const unsigned char *t = sqlite3_column_text(q, c);
  if (t == NULL) {
    *oom |= sqlite3_errcode(sqlite3_db_handle(q)) == SQLITE_NOMEM;
    return NULL;
  }
  char *d = strdup((const char *)t);
  *oom |= d == NULL;
  return d;
}

/* Reads every import field of resident id into v. */
static int read_fields(struct store *s, int64_t id, struct field_value *v) {
  STORE__STMT(s, q,
              "SELECT name, name, sex, sex, birth_date, birth_date, religion, religion, "
              "marital_status, marital_status, kelurahan_id, (SELECT code FROM kelurahan k WHERE "
              "k.id = residents.kelurahan_id), address, address, phone, phone, education, "
              "education, smk_vocation, smk_vocation, desil, desil, work_status, work_status, "
              "school_status, school_status, months_without_work, months_without_work, "
              "dependants, dependants, disability, disability, shifts, shifts, "
              "preferred_vocations, preferred_vocations FROM residents WHERE id = ?1");
  sqlite3_bind_int64(q, 1, id);
  int rc = sqlite3_step(q), oom = 0;
  if (rc == SQLITE_ROW)
    for (size_t i = 0; i < N_IMPORT_FIELDS; i++) {
      v[i].raw = col_dup(q, (int)(2 * i), &oom);
      v[i].shown = col_dup(q, (int)(2 * i + 1), &oom);
    }
  sqlite3_reset(q);
  if (oom)
    return STORE_ENOMEM;
  return rc == SQLITE_ROW ? STORE_OK : store__found(rc);
}

static int same_text(const char *a, const char *b) {
  return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* 1 when a person corrected field of resident id after extract_date. */
static int corrected_after(struct store *s, int64_t id, const char *field, const char *extract_date,
                           int *yes) {
  STORE__STMT(s, q,
              "SELECT 1 FROM resident_history WHERE resident_id = ?1 AND field = ?2 AND "
              "source = 'correction' AND at > coalesce(?3, '')");
  sqlite3_bind_int64(q, 1, id);
  store__bind_text(q, 2, field);
  store__bind_text(q, 3, extract_date);
  int rc = sqlite3_step(q);
  sqlite3_reset(q);
  *yes = rc == SQLITE_ROW;
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : store__rc(rc);
}

/* Puts a kept correction back (column names come from import_fields). */
static int restore_field(struct store *s, int64_t id, size_t i, const char *raw) {
  char sql[160];
  snprintf(sql, sizeof sql, "UPDATE residents SET %s = ?2 WHERE id = ?1", import_fields[i].column);
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
    return STORE_EIO;
  sqlite3_bind_int64(q, 1, id);
  store__bind_text(q, 2, raw);
  int rc = store__rc(sqlite3_step(q));
  sqlite3_finalize(q);
  return rc;
}

static int import_history(struct store *s, int64_t id, const char *field, const char *old_value,
                          const char *new_value, const char *now) {
  STORE__STMT(s, q,
              "INSERT INTO resident_history (resident_id, at, by_user, field, old_value, "
              "new_value, reason, source) VALUES (?1, ?2, NULL, ?3, ?4, ?5, 'DTSEN import', "
              "'import')");
  sqlite3_bind_int64(q, 1, id);
  store__bind_text(q, 2, now);
  store__bind_text(q, 3, field);
  store__bind_text(q, 4, old_value);
  store__bind_text(q, 5, new_value);
  return store__done(q);
}

/* The known resident id took a record or skills that differ from what is
 * stored: the upsert, then field by field either a history row or, for a
 * field a person corrected after the extract, the correction put back. */
static int import_changed(struct store *s, const struct store_resident *r, const char *extract_date,
                          const char *now, int64_t *id, enum store_upsert *what,
                          struct store_import_note *note) {
  struct field_value before[N_IMPORT_FIELDS] = {{0}}, after[N_IMPORT_FIELDS] = {{0}};
  int rc = read_fields(s, *id, before);
  if (rc == STORE_OK)
    rc = store_resident_upsert(s, r, id, what);
  if (rc == STORE_OK && *what == STORE_UPDATED)
    rc = read_fields(s, *id, after);
  for (size_t i = 0; rc == STORE_OK && *what == STORE_UPDATED && i < N_IMPORT_FIELDS; i++) {
    if (same_text(before[i].raw, after[i].raw))
      continue;
    int kept = 0;
    rc = corrected_after(s, *id, import_fields[i].field, extract_date, &kept);
    if (rc != STORE_OK)
      break;
    if (kept) {
      rc = restore_field(s, *id, i, before[i].raw);
      size_t used = strlen(note->fields);
      snprintf(note->fields + used, sizeof note->fields - used, "%s%s", used > 0 ? ";" : "",
               import_fields[i].field);
      note->conflicts++;
    } else {
      rc = import_history(s, *id, import_fields[i].field, before[i].shown, after[i].shown, now);
    }
  }
  values_free(before);
  values_free(after);
  return rc;
}

/* ---- New and unchanged records: the fast paths ----------------------------------- */

/* The skills of new residents wait in s->import_skills and go in by
 * multi-row INSERTs of 64, 8 or 1 rows (three statements prepared once):
 * one statement per 64 skill rows instead of one per row.  Their residents
 * are rows this import has just inserted, so nothing reads them before the
 * queue is flushed: at the commit, and before the import reads the skills
 * of a known resident. */
#define ROW "(?, ?, ?)"
#define ROWS8 ROW ", " ROW ", " ROW ", " ROW ", " ROW ", " ROW ", " ROW ", " ROW
#define ROWS64 ROWS8 ", " ROWS8 ", " ROWS8 ", " ROWS8 ", " ROWS8 ", " ROWS8 ", " ROWS8 ", " ROWS8
#define SKILL_INSERT "INSERT INTO resident_skills (resident_id, skill_id, certified) VALUES "
static const char skills_64[] = SKILL_INSERT ROWS64;
static const char skills_8[] = SKILL_INSERT ROWS8;
static const char skills_1[] = SKILL_INSERT ROW;

int store__import_flush(struct store *s) {
  size_t at = 0, n = s->n_import_skills;
  int rc = STORE_OK;
  while (rc == STORE_OK && at < n) {
    size_t k = n - at >= 64 ? 64 : n - at >= 8 ? 8 : 1;
    sqlite3_stmt *q = store__sql(s, k == 64 ? skills_64 : k == 8 ? skills_8 : skills_1);
    if (q == NULL)
      return STORE_EIO;
    for (size_t i = 0; i < k; i++) {
      const struct store__skill_row *row = &s->import_skills[at + i];
      sqlite3_bind_int64(q, (int)(3 * i + 1), row->resident);
      sqlite3_bind_int64(q, (int)(3 * i + 2), row->skill);
      sqlite3_bind_int(q, (int)(3 * i + 3), row->certified);
    }
    rc = store__done(q);
    at += k;
  }
  s->n_import_skills = 0;
  return rc;
}

/* Queues the skills of a resident who has none yet. */
static int add_skills(struct store *s, int64_t id, const struct store_resident *r) {
  for (size_t i = 0; i < r->n_skills; i++) {
    if (s->n_import_skills == STORE__IMPORT_SKILLS) {
      int rc = store__import_flush(s);
      if (rc != STORE_OK)
        return rc;
    }
    s->import_skills[s->n_import_skills++] = (struct store__skill_row){
        id, r->skill_ids[i], r->skill_certified && r->skill_certified[i] ? 1 : 0};
  }
  return STORE_OK;
}

/* Inserts r unless its NIK is known: *inserted says which, *id the new id. */
static int insert_new(struct store *s, const struct store_resident *r, const char *now, int64_t *id,
                      int *inserted) {
  STORE__STMT(s, q,
              "INSERT INTO residents (nik, name, sex, birth_date, religion, marital_status, "
              "kelurahan_id, address, phone, education, smk_vocation, desil, work_status, "
              "school_status, months_without_work, dependants, disability, shifts, "
              "preferred_vocations, verified_at, nik_flag, synthetic, created_at, updated_at) "
              "VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
              "?18, ?19, ?20, ?21, ?22, ?23, ?25, ?25) ON CONFLICT (nik) DO NOTHING");
  store__bind_resident(q, r, now);
  int rc = store__done(q);
  *inserted = rc == STORE_OK && sqlite3_changes(s->db) > 0;
  if (*inserted)
    *id = sqlite3_last_insert_rowid(s->db);
  return rc;
}

/* The known resident's id, and whether the stored row already holds r (the
 * upsert's own test, STORE__RESIDENT_SAME). */
static int known(struct store *s, const struct store_resident *r, int64_t *id, int *same) {
  /* ?25 (the time stamp) is bound by store__bind_resident and unused */
  STORE__STMT(s, q, "SELECT id, " STORE__RESIDENT_SAME ", ?25 FROM residents WHERE nik = ?2");
  store__bind_resident(q, r, "");
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW) {
    *id = sqlite3_column_int64(q, 0);
    *same = sqlite3_column_int(q, 1);
  }
  sqlite3_reset(q);
  return store__found(rc);
}

/* A new resident: the row, then its skills queued. */
static int add_new(struct store *s, const struct store_resident *r, const char *now, int64_t *id,
                   enum store_upsert *what, int *inserted) {
  int rc = insert_new(s, r, now, id, inserted);
  if (rc != STORE_OK || !*inserted)
    return rc;
  *what = STORE_NEW;
  return add_skills(s, *id, r);
}

int store_resident_import(struct store *s, const struct store_resident *r, const char *extract_date,
                          const char *now, int64_t *id, enum store_upsert *what,
                          struct store_import_note *note) {
  memset(note, 0, sizeof *note);
  int inserted = 0, same = 0, same_skills = 0, rc = STORE_OK;
  /* into a table that held nobody, try the INSERT first; otherwise most
   * NIKs are known, and a read finds them more cheaply than a failed
   * INSERT */
  if (!s->import_probe_first) {
    rc = add_new(s, r, now, id, what, &inserted);
    if (rc != STORE_OK || inserted)
      return rc;
  }
  rc = store__import_flush(s); /* the reads below see every skill written */
  if (rc == STORE_OK)
    rc = known(s, r, id, &same);
  if (rc == STORE_ENOTFOUND && s->import_probe_first) {
    rc = add_new(s, r, now, id, what, &inserted);
    if (rc == STORE_OK && !inserted)
      rc = STORE_EIO; /* not found, then known: cannot happen under our write lock */
    return rc;
  }
  if (rc == STORE_OK && same)
    rc = store__skills_equal(s, *id, r, &same_skills);
  if (rc != STORE_OK)
    return rc;
  if (same && same_skills) {
    *what = STORE_UNCHANGED;
    return STORE_OK;
  }
  return import_changed(s, r, extract_date, now, id, what, note);
}
