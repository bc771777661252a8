/*
 * store.h — padan's storage: the only module that speaks SQL.
 *
 * One struct store is one SQLite connection (WAL, foreign keys on, busy
 * timeout).  store.c prepares its statements at open; the area files
 * (store_<area>.c) prepare theirs on first use and treat a failed prepare as
 * an error, never as an empty result.  Opening applies the
 * numbered migrations compiled in from api/sql/ and records the schema
 * version in PRAGMA user_version.  A connection is used by one thread at a
 * time; the server opens one per worker thread.
 *
 * Conventions: every function returns STORE_OK or a negative STORE_E*
 * code and writes results through pointers.  Strings passed in are
 * borrowed.  Strings in result structs point into buffers owned by the
 * struct's own storage and live until the next call on the same store
 * unless the comment says otherwise.  Integer fields use -1 for "unknown"
 * (stored as NULL).
 */
#ifndef PADAN_STORE_H
#define PADAN_STORE_H

#include <stddef.h>
#include <stdint.h>

enum store_result {
  STORE_OK = 0,
  STORE_ENOTFOUND = -1,   /* no such row */
  STORE_ECONSTRAINT = -2, /* a UNIQUE, CHECK or FOREIGN KEY rule refused the write */
  STORE_EBUSY = -3,       /* the database stayed locked past the busy timeout */
  STORE_EIO = -4,         /* any other SQLite failure (logged, never shown to clients) */
  STORE_ENOMEM = -5,
  STORE_ESCHEMA = -6, /* the file's schema is newer than this binary */
  STORE_EFULL = -7,   /* the disk (or the database's page limit) is full; rolled back */
};

struct store;

/* Opens (creating if needed) the database at path and migrates it.  On
 * failure returns an error and writes a one-line message to err.  *out is
 * owned by the caller: store_close(). */
int store_open(const char *path, struct store **out, char *err, size_t errlen);
void store_close(struct store *s);

/* Schema version after migration (PRAGMA user_version). */
int store_schema_version(struct store *s, int *version);
/* Size of the database file in bytes (pages × page size). */
int store_database_size(struct store *s, int64_t *bytes);
/* Number of migrations compiled into this binary. */
int store_latest_version(void);

/* ---- Backup and restore (store_ops.c) ------------------------------------
 * store_backup: an online copy of the database at db_path into dest (0600)
 * through SQLite's backup API while others may write; the copy is written
 * to dest.partial, integrity-checked and its schema version compared, and
 * only then renamed to dest.  store_file_check: *version of the file at
 * path after PRAGMA integrity_check said "ok"; STORE_ESCHEMA when the
 * version is not 1..store_latest_version().  store_restore: checks src so,
 * then copies it over the database at db_path in one transaction (the
 * caller makes sure no server holds it).  Each returns STORE_OK or the
 * failure with a one-line reason in err. */
int store_backup(const char *db_path, const char *dest, char *err, size_t errlen);
int store_file_check(const char *path, int *version, char *err, size_t errlen);
int store_restore(const char *src, const char *db_path, char *err, size_t errlen);

/* Moves the audit rows written before `before` ("YYYY-MM-DD", compared with
 * the rows' "at" text) into the SQLite file dest (created 0600, or added to:
 * its audit_log table keeps the same columns and ids), in one transaction:
 * every row is in dest before it leaves the database.  *moved: how many. */
int store_audit_archive(struct store *s, const char *before, const char *dest, int64_t *moved,
                        char *err, size_t errlen);

/* Transactions: BEGIN IMMEDIATE, so a writer waits for the lock up front. */
/* Caps the database at pages pages for this connection (PRAGMA
 * max_page_count; a cap below the file's size holds it at its size): a
 * write that needs more fails with STORE_EFULL, as on a full disk. */
int store_set_max_pages(struct store *s, long pages);

int store_begin(struct store *s);
int store_commit(struct store *s);
int store_rollback(struct store *s);

/* Message of the last SQLite error on this connection, for logs only. */
const char *store_errmsg(struct store *s);

/* Current UTC time as ISO 8601 ("2026-11-27T20:05:00Z") into buf[21]. */
void store_now_iso(char buf[21]);

/* ---- Reference data (seeds) ---------------------------------------------- */

enum store_table {
  STORE_T_KECAMATAN,
  STORE_T_KELURAHAN,
  STORE_T_SKILLS,
  STORE_T_EMPLOYERS,
  STORE_T_VACANCIES,
  STORE_T_COURSES,
};

/* The id of the row whose code is code, or STORE_ENOTFOUND. */
int store_id_by_code(struct store *s, enum store_table t, const char *code, int64_t *id);

/* Number of rows in a table. */
int store_count(struct store *s, enum store_table t, int64_t *n);

int store_kecamatan_add(struct store *s, const char *code, const char *name, double lat, double lon,
                        int64_t *id);
int store_kelurahan_add(struct store *s, const char *code, int64_t kecamatan_id, const char *name,
                        double lat, double lon, int64_t *id);
int store_skill_add(struct store *s, const char *code, const char *vocation, const char *name_id,
                    const char *name_en, int64_t *id);

struct store_course {
  const char *code, *name, *vocation, *schedule;
  int hours, batch_capacity;
};
int store_course_add(struct store *s, const struct store_course *c, int64_t *id);
int store_course_skill_add(struct store *s, int64_t course_id, int64_t skill_id);

struct store_batch {
  int64_t course_id;
  int batch_no;
  const char *start_date, *end_date, *status; /* planned | running | finished */
  int capacity;
};
int store_batch_add(struct store *s, const struct store_batch *b, int64_t *id);
int store_batch_id(struct store *s, int64_t course_id, int batch_no, int64_t *id);

struct store_outcome {
  int64_t batch_id;
  const char *source; /* seeded | measured */
  int enrolled, completed, certified, placed_6m;
};
int store_outcome_put(struct store *s, const struct store_outcome *o);
int store_outcome_sector_put(struct store *s, int64_t batch_id, const char *source,
                             const char *sector, int placed);

struct store_employer {
  const char *code, *name, *sector, *address;
  int64_t kelurahan_id;
  int employees;
  int synthetic;
};
int store_employer_add(struct store *s, const struct store_employer *e, int64_t *id);
/* The employer with the lowest id (the demo employer account's). */
int store_employer_first(struct store *s, int64_t *id, char code[32]);

struct store_vacancy {
  const char *code, *title, *kbji, *vocation, *min_education, *shift, *status;
  const char *posted_date, *deadline;
  int64_t employer_id, kelurahan_id;
  int min_age, max_age; /* -1 = no limit */
  int openings;
  int64_t wage_monthly;
};
int store_vacancy_add(struct store *s, const struct store_vacancy *v, int64_t *id);
/* kind is "must" or "nice". */
int store_vacancy_skill_add(struct store *s, int64_t vacancy_id, int64_t skill_id,
                            const char *kind);

/* ---- Residents ----------------------------------------------------------- */

struct store_resident {
  const char *nik, *name, *sex, *birth_date, *religion, *marital_status;
  int64_t kelurahan_id;
  const char *address, *phone, *education, *smk_vocation;
  int desil;
  const char *work_status, *school_status;
  int months_without_work, dependants;
  const char *disability, *shifts, *preferred_vocations;
  const char *verified_at, *nik_flag;
  int synthetic;
  const int64_t *skill_ids; /* with certified flags, replaced as a whole */
  const uint8_t *skill_certified;
  size_t n_skills;
};

enum store_upsert { STORE_NEW, STORE_UPDATED, STORE_UNCHANGED };

/* What a guarded import (store_resident_import) kept from a correction. */
struct store_import_note {
  size_t conflicts; /* fields kept because a person corrected them after the extract */
  char fields[256]; /* their names, ';'-separated (cut to fit) */
};

/* The DTSEN import's transaction (store_import.c): BEGIN IMMEDIATE, with
 * foreign-key and CHECK constraint checks off, because the importer
 * validates every value more strictly than the schema and resolves every
 * kelurahan and skill id inside this very transaction.  When the file may
 * at least double residents (rows_hint: its line count), the secondary
 * indexes of residents are dropped and built again
 * just before the commit, in the same transaction (a rollback or a crash
 * brings them back as they were).  store_import_end() commits (commit = 1)
 * or rolls back, and puts the checks back on whatever happened. */
int store_import_begin(struct store *s, int64_t rows_hint);
int store_import_end(struct store *s, int commit);

/* *n = the number of erased NIKs kept (erased_niks).  Inside the import's
 * transaction nobody else can add one, so when it is 0 the import need not
 * hash every NIK to look it up. */
int store_erased_count(struct store *s, int64_t *n);

/* 1 when residents held no one as the import's transaction began (then
 * every record the import writes is a new resident: no correction to keep,
 * no history to write). */
int store_import_fresh(const struct store *s);

/* Calls each(arg, code, id) for every kelurahan (t = STORE_T_KELURAHAN) or
 * skill (STORE_T_SKILLS), stopping at the first non-zero return, which it
 * returns as STORE_ENOMEM.  code is valid during the call only.  Inside the
 * import's transaction nobody adds one, so the importer can resolve every
 * code from what this lists, without the store. */
int store_import_codes(struct store *s, enum store_table t,
                       int (*each)(void *arg, const char *code, int64_t id), void *arg);

/* store_resident_upsert for an import of an extract made on extract_date
 * ("YYYY-MM-DD"; NULL: unknown, older than any correction): a field a
 * person corrected after that date keeps the correction (counted and named
 * in *note), and every field the import does change gets a history row
 * (source 'import', reason "DTSEN import").  Skills are replaced as a
 * whole, as before.  now (ISO 8601, as store_now_iso) stamps a new row.
 * Into a table that was empty when the import began, a NIK is first
 * inserted (the UNIQUE index turns a known one away); otherwise first
 * looked up.  A new NIK's skills are queued and written 64 rows a
 * statement; a known NIK whose record and skills are the same costs two
 * reads and writes nothing. */
int store_resident_import(struct store *s, const struct store_resident *r, const char *extract_date,
                          const char *now, int64_t *id, enum store_upsert *what,
                          struct store_import_note *note);

/* Inserts the resident, or updates the one with the same NIK; *what says
 * which happened (an identical record is left untouched).  *id gets the
 * row id.  Unguarded, without history: for seeding and tests; imports use
 * store_resident_import. */
int store_resident_upsert(struct store *s, const struct store_resident *r, int64_t *id,
                          enum store_upsert *what);

/* ---- Users and tokens ---------------------------------------------------- */

struct store_user {
  int64_t id;
  char username[65];
  char role[16];
  int64_t employer_id;  /* -1 unless role is employer */
  int64_t kelurahan_id; /* -1 unless role is desk */
  int disabled;
  char password_hash[160];
};

int store_user_add(struct store *s, const char *username, const char *password_hash,
                   const char *role, int64_t employer_id, int64_t kelurahan_id, int64_t *id);
int store_user_by_name(struct store *s, const char *username, struct store_user *out);
int store_user_set_disabled(struct store *s, const char *username, int disabled);
/* Calls fn for every user in id order; stops and returns fn's value when
 * it is non-zero. */
int store_user_each(struct store *s, int (*fn)(void *arg, const struct store_user *u), void *arg);

int store_token_add(struct store *s, int64_t user_id, const uint8_t hash[32], int64_t created_at,
                    int64_t expires_at);
/* The enabled user owning an unrevoked token with this hash that expires
 * after now; STORE_ENOTFOUND otherwise.  *expires_at may be NULL. */
int store_token_user(struct store *s, const uint8_t hash[32], int64_t now, struct store_user *out,
                     int64_t *expires_at);
/* Revokes every live token of a user (when the user is disabled). */
int store_token_revoke_user(struct store *s, int64_t user_id, int64_t now);
/* Marks the token revoked; STORE_ENOTFOUND if there is no live token. */
int store_token_revoke(struct store *s, const uint8_t hash[32], int64_t now);

/* ---- Kelurahan overview ---------------------------------------------------- */

struct store_kelurahan_row {
  int64_t id;
  char code[16], name[64], kecamatan_code[16], kecamatan_name[64];
  double lat, lon;
  int64_t residents, poor, neet; /* poor: desil 1–poor_max; neet: productive age */
  int64_t extreme;               /* desil 1–extreme_max (store_kelurahan_poverty only) */
  int pinned;                    /* -1 computed, 0 or 1 pinned */
};

/* Calls fn for each kelurahan in code order with its counts.  today is an
 * ISO date for the productive-age rule (age min_age..max_age). */
int store_kelurahan_each(struct store *s, const char *today, int poor_max, int min_age, int max_age,
                         int (*fn)(void *arg, const struct store_kelurahan_row *k), void *arg);

/* The same rows with the extreme-poor count too; p gives the run date and
 * the policy's cut-offs. */
struct store_poverty {
  const char *today;
  int extreme_max, poor_max, min_age, max_age;
};
int store_kelurahan_poverty(struct store *s, const struct store_poverty *p,
                            int (*fn)(void *arg, const struct store_kelurahan_row *k), void *arg);

/* Pins a kelurahan's priority flag (0 or 1) or, with -1, lets the index
 * decide again. */
int store_kelurahan_pin(struct store *s, int64_t kelurahan_id, int pinned);

/* ---- Audit ------------------------------------------------------------------ */

struct store_audit {
  int64_t user_id; /* -1 when anonymous */
  const char *username, *role, *action, *route, *purpose, *detail;
  int64_t resident_id; /* -1 when not about a resident */
};
int store_audit_add(struct store *s, const struct store_audit *a);

/* ---- Engine snapshot (store_engine.c) ------------------------------------- *
 * What the matching engine needs, read in id order.  Text fields are ""
 * when unknown; integer fields -1.  Skill lists are "id:certified;..." for
 * residents, "id;..." for vacancies and courses. */

struct store_skill_row {
  int64_t id;
  char code[16], vocation[24], name_id[96], name_en[96];
};
int store_skill_each(struct store *s, int (*fn)(void *arg, const struct store_skill_row *k),
                     void *arg);

struct store_engine_resident {
  int64_t id, kelurahan_id;
  char birth_date[11], verified_at[11];
  char sex[2], religion[24], marital_status[24];
  char education[8], smk_vocation[24], disability[16];
  char work_status[24], school_status[24], shifts[32], preferred_vocations[160];
  int desil, dependants, months_without_work;
  int in_course;       /* enrolled in a batch that has not finished */
  int hired;           /* hired (or retained) through a padan referral */
  int blocked;         /* an open referral, or an active intervention that conflicts
                          with a job referral (see store_engine.c) */
  const char *skills;  /* valid during the callback */
  const char *courses; /* "course_id;..." completed or certified */
  char buf[2048];      /* holds the lists of a single-row read */
};
/* Every resident that has not been erased. */
int store_engine_residents(struct store *s,
                           int (*fn)(void *arg, const struct store_engine_resident *r), void *arg);
/* The residents a snapshot needs to hold: every one who could be eligible
 * on some day of the snapshot's life.  Left out are the residents working
 * or in school, born outside [born_from, born_to], never verified or
 * verified before verified_from ("YYYY-MM-DD" each, inclusive), and the
 * erased; none of them can be eligible until a write changes their record
 * (which refreshes the engine).  In id order. */
struct store_engine_scope {
  char born_from[11], born_to[11], verified_from[11];
};
int store_engine_residents_in_scope(struct store *s, const struct store_engine_scope *sc,
                                    int (*fn)(void *arg, const struct store_engine_resident *r),
                                    void *arg);
/* The residents outside sc who have a referral of any status (a proposal
 * list explains them from the engine), in id order. */
int store_engine_residents_referred(struct store *s, const struct store_engine_scope *sc,
                                    int (*fn)(void *arg, const struct store_engine_resident *r),
                                    void *arg);
/* Gives back the page cache a snapshot's reads filled (up to the
 * connection's cache_size, 32 MiB): the snapshot holds what it needs, and a
 * match run's solve comes next. */
void store_engine_loaded(struct store *s);
/* Makes every statement of s give up (its walk fails) once stopped(arg)
 * says so: asked every few thousand of SQLite's steps, so that a long
 * read, the engine's load of a city, sorts included, ends soon after the
 * server is told to stop.  stopped NULL takes it off again. */
void store_engine_stop_when(struct store *s, int (*stopped)(void *arg), void *arg);
/* One resident by id; its lists are copied into buf, so they stay valid. */
int store_engine_resident(struct store *s, int64_t id, struct store_engine_resident *out);

struct store_engine_vacancy {
  int64_t id, employer_id, kelurahan_id;
  char vocation[24], min_education[8], shift[16], status[8], deadline[11];
  int min_age, max_age, openings, hired; /* hired: referrals that reached hired */
  int64_t wage_monthly;
  const char *must, *nice; /* valid during the callback */
  char buf[1024];          /* holds the lists of a single-row read */
};
int store_engine_vacancies(struct store *s,
                           int (*fn)(void *arg, const struct store_engine_vacancy *v), void *arg);
int store_engine_vacancy(struct store *s, int64_t id, struct store_engine_vacancy *out);

struct store_engine_course {
  int64_t id;
  char code[24], name[128], vocation[24];
  int hours, batch_capacity;
  /* past outcomes summed over batches; measured outcomes replace seeded ones
   * batch by batch */
  int64_t enrolled, completed, certified, placed_6m;
  const char *skills;  /* "id;..." */
  const char *sectors; /* "vocation:placed;..." */
};
int store_engine_courses(struct store *s, int (*fn)(void *arg, const struct store_engine_course *c),
                         void *arg);

/* ---- Match runs (store_engine.c) --------------------------------------------- */

struct store_match_run {
  int64_t created_by; /* -1 for the CLI */
  const char *algorithm, *run_date;
  double total_key, duration_ms;
  int64_t total_gain, n_proposals, n_unmatched;
};
int store_match_run_add(struct store *s, const struct store_match_run *m, int64_t *id);
/* A run's outcome rows (migration 0003): residents left unmatched for one
 * reason code (n > 0), and one vacancy's shortlist capacity and proposals. */
int store_match_run_unmatched_add(struct store *s, int64_t run_id, const char *reason, int64_t n);
int store_match_run_fill_add(struct store *s, int64_t run_id, int64_t vacancy_id, int64_t capacity,
                             int64_t proposed);
/* A proposed referral from a match run. */
int store_referral_propose(struct store *s, int64_t run_id, int64_t resident_id, int64_t vacancy_id,
                           double fit, double priority, double key, int64_t created_by,
                           int64_t *id);

/* ---- Next-step runs (store_run_steps.c) ---------------------------------------- */

/* Two ids of one row (see each query). */
struct store_run_pair {
  int64_t a, b;
};
/* Open referrals (proposed, confirmed, interviewed) per vacancy: a vacancy, b count. */
int store_run_loads(struct store *s, int (*fn)(void *arg, const struct store_run_pair *p),
                    void *arg);
/* Residents (a) with an open referral, an enrolment in a batch not finished,
 * or a proposed course step. */
int store_run_busy(struct store *s, int (*fn)(void *arg, const struct store_run_pair *p),
                   void *arg);
/* Pairs (a resident, b vacancy) whose referral ended rejected or withdrawn
 * at or after the ISO time since. */
int store_run_bans(struct store *s, const char *since,
                   int (*fn)(void *arg, const struct store_run_pair *p), void *arg);
/* Batches a run may offer on ISO day today: planned and not started, or
 * running for at most 14 days; seats = capacity − enrolments not dropped −
 * proposed course steps (may be <= 0). */
struct store_run_batch {
  int64_t id, course_id, seats;
  char start_date[11], end_date[11], course_name[160];
};
int store_run_batches(struct store *s, const char *today,
                      int (*fn)(void *arg, const struct store_run_batch *b), void *arg);
/* A proposed course step (migration 0004); explanation is JSON. */
struct store_course_step_new {
  int64_t run_id, resident_id, batch_id, created_by;
  double priority, key, expected_placement;
  const char *explanation;
};
int store_course_step_add(struct store *s, const struct store_course_step_new *t, int64_t *id);
/* The resident's open steps: open referrals, proposed course steps and
 * enrolments in batches not finished. */
int store_resident_open_steps(struct store *s, int64_t resident_id, int64_t *n);
/* Sets a referral's explanation (JSON). */
int store_referral_set_explanation(struct store *s, int64_t referral_id, const char *json);
/* A run's figures for one target group. */
struct store_run_targeting {
  char grp[24];
  int64_t eligible, job_steps, course_steps;
};
int store_match_run_targeting_add(struct store *s, int64_t run_id,
                                  const struct store_run_targeting *t);
int store_match_run_targeting(struct store *s, int64_t run_id,
                              int (*fn)(void *arg, const struct store_run_targeting *t), void *arg);
/* The newest run with targeting figures; STORE_ENOTFOUND when none. */
int store_match_run_latest(struct store *s, int64_t *run_id);
/* Why a run gave a resident of a priority kelurahan no step (migration
 * 0006); read back grouped by text with their count, most frequent first,
 * or for one resident (n = 1). */
struct store_reason_row {
  int64_t resident_id, groups, course_id; /* course_id -1: none */
  const char *code, *reason_id, *reason_en;
};
int store_match_run_reason_add(struct store *s, int64_t run_id, const struct store_reason_row *r);
struct store_run_reason {
  char code[48], reason_id[400], reason_en[400];
  int64_t n;
};
/* The reasons of residents in a group (groups & group_bit), grouped by text,
 * at most limit of them. */
int store_match_run_reasons(struct store *s, int64_t run_id, int64_t group_bit, int limit,
                            int (*fn)(void *arg, const struct store_run_reason *r), void *arg);
/* The same counted by code only (texts empty). */
int store_match_run_blocks(struct store *s, int64_t run_id, int64_t group_bit,
                           int (*fn)(void *arg, const struct store_run_reason *r), void *arg);
/* Per course, the group's residents a seat of it would serve, most first. */
struct store_course_wait {
  int64_t course_id, n;
  char course_name[160];
};
int store_match_run_waiting(struct store *s, int64_t run_id, int64_t group_bit,
                            int (*fn)(void *arg, const struct store_course_wait *w), void *arg);
/* The run's course steps counted by their current status (store_status_count
 * is declared with the referral queries below). */
struct store_status_count;
int store_match_run_step_statuses(struct store *s, int64_t run_id,
                                  int (*fn)(void *arg, const struct store_status_count *c),
                                  void *arg);
int store_resident_reason(struct store *s, int64_t run_id, int64_t resident_id,
                          struct store_run_reason *out);

/* ---- Governance (store_gov.c) ---- */
/* Verification, corrections with history, the intervention registry, the
 * overlap and unserved reports, a resident's export and erasure.  gov.h is
 * the logic over these; none of them opens a transaction. */

/* A resident's fields as text ("" unknown, integers -1). */
struct store_gov_resident {
  int64_t id, kelurahan_id;
  char nik[17], name[256], sex[2], birth_date[11], religion[24], marital_status[24];
  char kelurahan_code[16], address[512], phone[64], education[8], smk_vocation[24];
  int desil, months_without_work, dependants;
  char work_status[24], school_status[24], disability[16], shifts[32];
  char preferred_vocations[1024];
  char skills[2048]; /* "CODE[*];..." in code order, '*' marks certified */
  char verified_at[11], nik_flag[40], erased_at[21];
  char verification_note[1024];
  int64_t verified_by;
};
int store_gov_resident_read(struct store *s, int64_t id, struct store_gov_resident *out);
/* Sets one field of a resident that is not erased and stamps updated_at.
 * field is a DTSEN column name (kelurahan_code is looked up; skills are
 * store_gov_skills_set's) or nik_flag; value is its text, NULL or "" for
 * NULL.  STORE_ENOTFOUND for an unknown field or resident. */
int store_gov_resident_set(struct store *s, int64_t id, const char *field, const char *value);
/* Replaces the resident's skills. */
int store_gov_skills_set(struct store *s, int64_t resident_id, const int64_t *skill_ids,
                         const uint8_t *certified, size_t n);
/* The resident that holds nik (erased residents hold none). */
int store_gov_resident_by_nik(struct store *s, const char *nik, int64_t *id);
/* The resident's kelurahan (-1 unknown) and whether it was erased. */
int store_gov_resident_scope(struct store *s, int64_t id, int64_t *kelurahan_id, int *erased);

/* Sets verified_at (ISO date), verified_by (-1: none) and the note. */
int store_gov_verify(struct store *s, int64_t resident_id, const char *date, int64_t by_user,
                     const char *note);

/* One changed field; by_user -1 for the command line.  Values may be NULL. */
int store_gov_history_add(struct store *s, int64_t resident_id, int64_t by_user, const char *field,
                          const char *old_value, const char *new_value, const char *reason);
struct store_gov_history {
  int64_t id, by_user; /* -1: the command line */
  char at[21], field[32], by_username[65];
  const char *old_value, *new_value, *reason; /* NULL when none; valid during the callback */
};
/* The resident's history, oldest first. */
int store_gov_history_each(struct store *s, int64_t resident_id,
                           int (*fn)(void *arg, const struct store_gov_history *h), void *arg);

/* Residents (not erased) never verified or verified more than validity_days
 * before today (ISO date), the engine's rule; kelurahan_id -1 for all.  By
 * kelurahan code, then desil (poorest first, unknown last), never verified
 * before oldest, id. */
struct store_gov_unverified {
  int64_t id, kelurahan_id;
  char kelurahan_code[16], kelurahan_name[64], nik[17], name[256], verified_at[11];
  int desil;
  int64_t days; /* since the verification; -1 never verified */
};
int store_gov_unverified_each(struct store *s, int64_t kelurahan_id, const char *today,
                              int validity_days,
                              int (*fn)(void *arg, const struct store_gov_unverified *r),
                              void *arg);
/* Per kelurahan (code order): residents not erased, verified within the
 * window, verified longer ago, never verified. */
struct store_gov_verification_row {
  int64_t kelurahan_id;
  char kelurahan_code[16], kelurahan_name[64];
  int64_t residents, current, expired, never;
};
int store_gov_verification_summary(struct store *s, const char *today, int validity_days,
                                   int (*fn)(void *arg, const struct store_gov_verification_row *k),
                                   void *arg);

/* The group (job, business, training, aid, other) of an intervention kind;
 * STORE_ENOTFOUND for a kind that is not in intervention_kinds. */
int store_gov_kind_group(struct store *s, const char *kind, char grp[16]);

struct store_gov_intervention {
  int64_t resident_id;
  const char *kind, *office, *start_date, *end_date, *status, *source_ref; /* end, ref: NULL */
  int64_t created_by; /* -1: the command line */
};
struct store_gov_intervention_row {
  int64_t id, resident_id;
  char kind[24], office[104], start_date[11], end_date[11], status[12];
};
/* The stored intervention iv would repeat: the same office and source_ref
 * when iv has a source_ref, else the same resident, kind, office and start
 * date; STORE_ENOTFOUND when there is none. */
int store_gov_intervention_find(struct store *s, const struct store_gov_intervention *iv,
                                struct store_gov_intervention_row *out);
int store_gov_intervention_add(struct store *s, const struct store_gov_intervention *iv,
                               int64_t *id);
/* Sets the start and end dates and the status of intervention id to iv's. */
int store_gov_intervention_update(struct store *s, int64_t id,
                                  const struct store_gov_intervention *iv);

/* A service a resident receives: an active intervention, a live referral
 * (confirmed, interviewed; hired and retained count as a job placement) or
 * an enrolment in a batch that has not finished. */
struct store_gov_service {
  char source[16]; /* intervention | referral | enrolment */
  int64_t id;
  char kind[24], grp[12], office[104], start_date[11], end_date[11]; /* end "": open */
};
struct store_gov_overlap {
  int64_t resident_id, kelurahan_id;
  char nik[17], name[256], kelurahan_code[16], kelurahan_name[64];
  struct store_gov_service a, b; /* a before b by (source, id) */
  char reason_id[160], reason_en[160];
};
/* Every pair of a resident's services whose groups conflict
 * (intervention_conflicts) and whose periods overlap; kelurahan_id -1 for
 * all.  By kelurahan code, resident id, then the pair. */
int store_gov_overlaps(struct store *s, int64_t kelurahan_id,
                       int (*fn)(void *arg, const struct store_gov_overlap *o), void *arg);

/* The first service the resident receives (the same services as the overlap
 * list) whose group conflicts with a new service of group grp ("job",
 * "training" …; intervention_conflicts with grp_a = grp) and whose period
 * overlaps start..end (ISO dates; end NULL: open), with the conflict's
 * reason; by source, id.  STORE_ENOTFOUND when there is none. */
struct store_gov_conflict {
  struct store_gov_service with;
  char reason_id[160], reason_en[160];
};
int store_gov_conflict_find(struct store *s, int64_t resident_id, const char *grp,
                            const char *start, const char *end, struct store_gov_conflict *out);

/* Who the matching policy targets: productive age on today, not working,
 * not in school, verified within the window, desil 1..poor_max. */
struct store_gov_target {
  const char *today;
  int min_age, max_age, validity_days, poor_max;
};
struct store_gov_unserved {
  int64_t id;
  char nik[17], name[256], sex[2], birth_date[11], education[8], verified_at[11];
  int desil, months_without_work, dependants;
};
/* Target residents of one kelurahan who are not served: "served" is a
 * referral that reached confirmed (or a later status), an enrolment, or
 * another office's active intervention (one that mirrors no referral or
 * enrolment).  A proposal, even a withdrawn one, is not service.  By desil,
 * then months without work (longest first), id. */
int store_gov_unserved_each(struct store *s, int64_t kelurahan_id, const struct store_gov_target *t,
                            int (*fn)(void *arg, const struct store_gov_unserved *u), void *arg);

/* Every stored column of the rows about one resident, for an export. */
enum store_gov_part {
  STORE_GOV_RESIDENT, /* the residents row, with kelurahan code and name */
  STORE_GOV_SKILLS,   /* with code and names */
  STORE_GOV_HISTORY,
  STORE_GOV_INTERVENTIONS,
  STORE_GOV_REFERRALS, /* with vacancy code, title and employer name */
  STORE_GOV_REFERRAL_EVENTS,
  STORE_GOV_ENROLMENTS, /* with course code and batch number */
  STORE_GOV_ACCESS,     /* audit_log rows about the resident */
};
enum store_gov_type { STORE_GOV_NULL, STORE_GOV_INT, STORE_GOV_REAL, STORE_GOV_TEXT };
struct store_gov_cell {
  const char *name; /* column name */
  enum store_gov_type type;
  int64_t i;
  double d;
  const char *text; /* valid during the callback */
};
int store_gov_export_each(struct store *s, enum store_gov_part part, int64_t resident_id,
                          int (*fn)(void *arg, const struct store_gov_cell *cells, size_t n),
                          void *arg);

/* *erased = 1 when nik (16 digits) belongs to an erased resident: its keyed
 * hash is in erased_niks.  The key is read from (or, the first time,
 * created as) the file "<database path>.erasure-key", 32 random bytes,
 * mode 0600, beside the database and never in it.  STORE_EIO when the key
 * cannot be read or made. */
int store_nik_erased(struct store *s, const char *nik, int *erased);

/* An objection to a DTSEN-owned field (migration 0007). */
struct store_objection {
  int64_t id, resident_id, kelurahan_id; /* kelurahan_id: the resident's, -1 unknown */
  char field[16], proposed_value[40], reason[1024], status[12], note[1024];
  char filed_at[21], resolved_at[21]; /* "" when unresolved */
  int64_t filed_by, resolved_by;      /* -1: none */
};

/* Files an objection (status open); *id gets its id. */
int store_objection_add(struct store *s, int64_t resident_id, const char *field,
                        const char *proposed_value, const char *reason, int64_t by_user,
                        int64_t *id);
/* One objection, or STORE_ENOTFOUND (also for an erased resident's). */
int store_objection_get(struct store *s, int64_t id, struct store_objection *out);
/* Objections with id > after in id order, at most limit, of one status
 * (NULL: any) and of residents of one kelurahan (-1: any); fn per row
 * (its non-OK return stops the walk and is returned). */
int store_objection_each(struct store *s, const char *status, int64_t kelurahan_id, int64_t after,
                         int limit, int (*fn)(void *arg, const struct store_objection *o),
                         void *arg);
/* Sets an open objection's outcome; STORE_ENOTFOUND when it is not open. */
int store_objection_resolve(struct store *s, int64_t id, const char *status, int64_t by_user,
                            const char *note);

/* What keeps a resident's data from being erased now. */
struct store_gov_holds {
  int64_t open_referrals, active_interventions, current_enrolments;
  int64_t followups; /* hired, not yet retained at 6 months nor left */
};
int store_gov_erase_holds(struct store *s, int64_t resident_id, struct store_gov_holds *out);
/* Erases a resident's personal data: NULLs every field but kelurahan,
 * desil and the synthetic flag, deletes the skills, wipes the values and
 * reasons of the resident's history and the notes of their referral
 * events, replaces the NIK wherever the audit log's details quote it, and
 * sets erased_at.  STORE_ENOTFOUND when absent or already erased. */
int store_gov_erase(struct store *s, int64_t resident_id, const char *erased_at);
/* PRAGMA wal_checkpoint(TRUNCATE): moves the WAL into the database file
 * and empties it, so no old page image survives there.  STORE_EBUSY when a
 * reader kept it from finishing. */
int store_gov_checkpoint(struct store *s);

/* ---- Reports (store_reports.c) ---- */
/* The reads behind the monitoring reports (reports.h decides what the rows
 * mean; these only read), and two referral writes that take their
 * timestamps from the caller, for records of past events (imports, tests).
 * Report dates are local dates in Kota Tangerang (WIB, UTC+7) of the stored
 * UTC timestamps.  None opens a transaction of its own. */

/* A new referral, status 'proposed', with its first event (none →
 * proposed) at created_at, both or neither (a savepoint). */
struct store_referral_new {
  int64_t resident_id, vacancy_id;
  int64_t match_run_id;           /* -1: none */
  int64_t created_by;             /* -1: the command line */
  const char *created_at;         /* ISO 8601 UTC; NULL: now */
  double fit, priority, rank_key; /* < 0: unknown (NULL) */
};
int store_referral_add(struct store *s, const struct store_referral_new *r, int64_t *id);
/* Moves referral id to status and writes the event (old → new) at at (ISO
 * 8601 UTC, NULL: now) by by_user (-1: none) with note (may be NULL), both
 * or neither.  No rule on which moves are allowed: the caller decides.
 * STORE_ENOTFOUND for no such referral, STORE_ECONSTRAINT for a status the
 * schema refuses or a second open referral for the pair. */
int store_referral_set_status(struct store *s, int64_t id, const char *status, int64_t by_user,
                              const char *at, const char *note);

/* A read transaction (BEGIN DEFERRED), so that the several queries of one
 * report see one state of the database; end it with store_commit(). */
int store_read_begin(struct store *s);

/* What a referral report groups by; STORE_REP_ALL puts every referral in
 * one group (code and name ""). */
enum store_rep_by {
  STORE_REP_ALL,
  STORE_REP_KELURAHAN, /* the resident's */
  STORE_REP_KECAMATAN, /* the resident's */
  STORE_REP_COURSE,    /* each BLK course the resident completed before the referral */
  STORE_REP_SECTOR,    /* the vacancy's vocation */
  STORE_REP_EMPLOYER,
};
struct store_rep_filter {
  const char *from, *to; /* local dates of created_at, inclusive; NULL: open */
  int64_t kelurahan_id;  /* residents of this kelurahan only; -1 all */
  int64_t employer_id;   /* vacancies of this employer only; -1 all */
};
struct store_rep_referral {
  int64_t id, resident_id, kelurahan_id; /* the resident's kelurahan, -1 unknown */
  int64_t group_id;                      /* -1: the resident has no value (no course, ...) */
  char group_code[32], group_name[128];  /* "" when group_id is -1 */
  char status[16], created[11];
  char hired[11];     /* date of the first event to 'hired', "" when none */
  const char *events; /* "to_status,..." of its events; valid during the callback */
  int desil;          /* -1 unknown */
  char sex[2], disability[16];
};
/* Referrals matching f, one row per referral and group (a referral counts
 * under every course its resident completed, and under "none" when there is
 * none); by group code (no group last), resident id, referral id. */
int store_rep_referrals(struct store *s, enum store_rep_by by, const struct store_rep_filter *f,
                        int (*fn)(void *arg, const struct store_rep_referral *r), void *arg);

/* The population the engine could place today: not erased, productive age
 * (min_age..max_age on today), not working, not in school, verified within
 * validity_days, not hired through padan (docs/REPORTS.md). */
struct store_rep_population {
  const char *today;
  int min_age, max_age, validity_days;
  int64_t kelurahan_id; /* -1: the city */
};
struct store_rep_resident {
  int64_t id, kelurahan_id;
  int desil;
  char sex[2], disability[16];
};
int store_rep_eligible_each(struct store *s, const struct store_rep_population *p,
                            int (*fn)(void *arg, const struct store_rep_resident *r), void *arg);

/* Per skill: openings still to fill (openings minus referrals that reached
 * hired) of open vacancies not past their deadline on p->today that need
 * it as must-have and as nice-to-have (employer_id -1: all vacancies), and
 * the eligible residents (p) who have it, and have it certified.  Skills
 * with no demand and no supply are left out; vocation NULL: all.  By gap
 * (must demand − supply) descending, then code. */
struct store_rep_skill {
  int64_t id;
  char code[16], vocation[24], name_id[96], name_en[96];
  int64_t demand_must, demand_nice, supply, supply_certified;
  const char *courses; /* "code;..." of the courses teaching it; valid during the callback */
};
int store_rep_skills_gap(struct store *s, const struct store_rep_population *p, int64_t employer_id,
                         const char *vocation,
                         int (*fn)(void *arg, const struct store_rep_skill *k), void *arg);

/* Every enrolment with its batch and course, by batch id, resident id. */
struct store_rep_enrolment {
  int64_t id, batch_id, course_id, resident_id;
  char course_code[24], course_name[128];
  int batch_no;
  char start_date[11], end_date[11], status[12];
};
int store_rep_enrolments_each(struct store *s,
                              int (*fn)(void *arg, const struct store_rep_enrolment *e), void *arg);
/* Every referral with an event to 'hired': the local date of its first
 * such event and the vacancy's vocation; by resident, date, referral id. */
struct store_rep_hire {
  int64_t referral_id, resident_id;
  char hired[11], sector[24];
};
int store_rep_hires_each(struct store *s, int (*fn)(void *arg, const struct store_rep_hire *h),
                         void *arg);
/* Deletes every 'measured' outcome row (both tables); seeded rows stay. */
int store_outcomes_measured_clear(struct store *s);
/* Stored batch outcomes, seeded and measured, with in_force = 1 for the row
 * the engine uses (measured wins per batch); course_code NULL: all.  By
 * course code, batch number, source. */
struct store_rep_outcome {
  int64_t batch_id, course_id;
  char course_code[24], course_name[128];
  int batch_no;
  char start_date[11], end_date[11], source[12];
  int64_t enrolled, completed, certified, placed_6m;
  int in_force;
  const char *sectors; /* "sector:placed;..." by sector; valid during the callback */
};
int store_rep_outcomes_each(struct store *s, const char *course_code,
                            int (*fn)(void *arg, const struct store_rep_outcome *o), void *arg);

/* ---- Catalog (store_catalog.c) ---- */
/* Employers, vacancies, BLK courses, their batches and outcomes, and
 * enrolments, as the API reads and writes them.  Lists walk rows with id >
 * after in id order, at most limit of them (a page, see listing.h); in a
 * filter, an id of 0 or -1 and a NULL string mean "any", so a zeroed filter
 * with a limit lists everything.  None opens a transaction: the handler
 * brackets a write and the checks it depends on with store_begin(). */

/* Kota Tangerang's UMK (upah minimum kota) for 2026, rupiah per month: a
 * vacancy offering less is flagged below_umk (seeds/README.md).  One
 * constant, so that the flag in a reply and the below_umk filter agree. */
#define STORE_UMK_MONTHLY 5399405

/* At most this many skills in one list of a row (a vacancy's must-have or
 * nice-to-have skills, a course's skills taught); the API caps input lower. */
#define STORE_ROW_SKILLS 16

struct store_skill_ref {
  int64_t id;
  char code[16], name_id[96], name_en[96];
};

struct store_employer_row {
  int64_t id, kelurahan_id;
  char code[32], name[256], sector[24], address[512], created_at[21];
  char kelurahan_code[16], kelurahan_name[64], kecamatan_code[16], kecamatan_name[64];
  int64_t employees; /* -1 unknown */
  int synthetic;
  int64_t vacancies, open_vacancies; /* all its vacancies; those with status open */
};
struct store_employer_filter {
  int64_t id, kelurahan_id, kecamatan_id;
  const char *sector;
  int64_t after;
  int limit;
};
int store_employer_list(struct store *s, const struct store_employer_filter *f,
                        int (*fn)(void *arg, const struct store_employer_row *e), void *arg);
int store_employer_get(struct store *s, int64_t id, struct store_employer_row *out);
/* Adds an employer; e->code NULL gets the next free "EMP-NNN".  *id may be
 * NULL.  STORE_ECONSTRAINT when the code is taken. */
int store_employer_create(struct store *s, const struct store_employer *e, int64_t *id);
/* Sets name, sector, kelurahan, address and employees (e->employees -1:
 * unknown); the code and the synthetic flag stay. */
int store_employer_update(struct store *s, int64_t id, const struct store_employer *e);

struct store_vacancy_row {
  int64_t id, employer_id, kelurahan_id;
  char code[24], title[256], kbji[8], vocation[24], min_education[8], shift[16], status[8];
  char posted_date[11], deadline[11], created_at[21], updated_at[21]; /* "" unknown */
  char employer_code[32], employer_name[256];
  char kelurahan_code[16], kelurahan_name[64], kecamatan_code[16], kecamatan_name[64];
  int min_age, max_age; /* -1: no limit */
  int openings;
  int filled; /* referrals that reached hired (or were retained) */
  int64_t wage_monthly;
  struct store_skill_ref must[STORE_ROW_SKILLS], nice[STORE_ROW_SKILLS]; /* by code */
  size_t n_must, n_nice;
};
struct store_vacancy_filter {
  int64_t id, employer_id, kelurahan_id, kecamatan_id;
  const char *status, *vocation;
  int umk;             /* 0 any; 1 wage below STORE_UMK_MONTHLY only; 2 at or above only */
  int status_open;     /* 1: status open only (a desk's scope) */
  const char *open_on; /* ISO date: only vacancies taking applicants that day (status open,
                          deadline not before it, openings left); NULL any */
  int64_t after;
  int limit;
};
int store_vacancy_list(struct store *s, const struct store_vacancy_filter *f,
                       int (*fn)(void *arg, const struct store_vacancy_row *v), void *arg);
int store_vacancy_get(struct store *s, int64_t id, struct store_vacancy_row *out);
/* A vacancy's skill lists as skill ids. */
struct store_vacancy_skills {
  const int64_t *must, *nice;
  size_t n_must, n_nice;
};
/* Adds a vacancy with its skills under the next free code "VAC-NNNN"
 * (v->code is ignored).  *id may be NULL. */
int store_vacancy_create(struct store *s, const struct store_vacancy *v,
                         const struct store_vacancy_skills *k, int64_t *id);
/* Sets every field but the code, the employer and the posted date, and
 * replaces the skills unless k is NULL; stamps updated_at. */
int store_vacancy_update(struct store *s, int64_t id, const struct store_vacancy *v,
                         const struct store_vacancy_skills *k);

struct store_course_row {
  int64_t id;
  char code[24], name[256], vocation[24], schedule[128]; /* schedule "" unknown */
  int hours, batch_capacity;
  int64_t batches, batches_open;                   /* all; planned or running */
  struct store_skill_ref skills[STORE_ROW_SKILLS]; /* taught, by code */
  size_t n_skills;
};
struct store_course_filter {
  int64_t id;
  const char *vocation;
  int64_t after;
  int limit;
};
int store_course_list(struct store *s, const struct store_course_filter *f,
                      int (*fn)(void *arg, const struct store_course_row *c), void *arg);
int store_course_get(struct store *s, int64_t id, struct store_course_row *out);
/* Adds a course and the skills it teaches; c->code NULL gets the next free
 * "BLK-NNN".  STORE_ECONSTRAINT when the code is taken. */
int store_course_create(struct store *s, const struct store_course *c, const int64_t *skill_ids,
                        size_t n_skills, int64_t *id);

/* A course's stored outcomes, one row per batch and source (seeded: shipped
 * past results; measured: recomputed from padan's own records), with
 * in_force = 1 for the row the engine uses (measured wins per batch).  By
 * batch number, then source. */
struct store_course_outcome {
  int64_t batch_id;
  int batch_no;
  char start_date[11], end_date[11], source[12];
  int64_t enrolled, completed, certified, placed_6m;
  int in_force;
  const char *sectors; /* "sector:placed;..." by sector; valid during the callback */
};
int store_course_outcomes_each(struct store *s, int64_t course_id,
                               int (*fn)(void *arg, const struct store_course_outcome *o),
                               void *arg);

struct store_batch_row {
  int64_t id, course_id;
  char course_code[24], course_name[256];
  int batch_no, capacity;
  char start_date[11], end_date[11], status[12];   /* dates "" unknown */
  int64_t enrolled, completed, certified, dropped; /* enrolments by status */
};
struct store_batch_filter {
  int64_t id, course_id;
  const char *status;
  int64_t after;
  int limit;
};
int store_batch_list(struct store *s, const struct store_batch_filter *f,
                     int (*fn)(void *arg, const struct store_batch_row *b), void *arg);
int store_batch_get(struct store *s, int64_t id, struct store_batch_row *out);
/* The next batch number of a course (1 for its first). */
int store_batch_next_no(struct store *s, int64_t course_id, int *batch_no);
/* Sets a batch's dates, capacity and status (b->course_id and batch_no are
 * ignored). */
int store_batch_update(struct store *s, int64_t id, const struct store_batch *b);
/* Calls fn with the resident id of every enrolment in the batch, by id. */
int store_batch_residents_each(struct store *s, int64_t batch_id,
                               int (*fn)(void *arg, int64_t resident_id), void *arg);
/* Ends the registry rows that mirror the batch's enrolments still active
 * (status ended, end date end_date) — when the batch finishes. */
int store_batch_end_interventions(struct store *s, int64_t batch_id, const char *end_date);

struct store_enrolment_row {
  int64_t id, batch_id, course_id, resident_id, created_by; /* created_by -1: none */
  int64_t resident_kelurahan_id, intervention_id;           /* -1: none */
  char status[12], created_at[21], updated_at[21];
  char course_code[24], course_name[256], batch_status[12];
  int batch_no;
  char resident_name[256], kelurahan_code[16]; /* the resident's; "" when erased */
};
struct store_enrolment_filter {
  int64_t id, batch_id, kelurahan_id; /* kelurahan: the resident's */
  const char *status;
  int64_t after;
  int limit;
};
int store_enrolment_list(struct store *s, const struct store_enrolment_filter *f,
                         int (*fn)(void *arg, const struct store_enrolment_row *e), void *arg);
int store_enrolment_get(struct store *s, int64_t id, struct store_enrolment_row *out);
/* Enrolments of the batch that hold a place (not dropped). */
int store_batch_taken(struct store *s, int64_t batch_id, int64_t *n);
/* The resident's enrolment in the batch, whatever its status. */
int store_enrolment_find(struct store *s, int64_t batch_id, int64_t resident_id, int64_t *id);
/* Another enrolment of the resident, still 'enrolled', in a batch that is
 * not finished and whose dates overlap the given batch's (unknown dates
 * overlap everything): two courses at once.  STORE_ENOTFOUND when none. */
int store_enrolment_clash(struct store *s, int64_t resident_id, int64_t batch_id,
                          int64_t *other_batch_id);

/* A new enrolment (status enrolled) and the intervention that records it in
 * the registry (kind 'training', office, the batch's dates, status active,
 * enrolment_id set so that reports do not count it twice). */
struct store_enrol {
  int64_t batch_id, resident_id;
  int64_t created_by; /* -1: none */
  const char *office;
  const char *start_date, *end_date; /* end NULL: open */
};
int store_enrol(struct store *s, const struct store_enrol *e, int64_t *enrolment_id,
                int64_t *intervention_id);
/* Moves an enrolment to status and its mirrored intervention to iv_status
 * (active | ended | cancelled) with end date iv_end (NULL: unchanged). */
int store_enrolment_move(struct store *s, int64_t id, const char *status, const char *iv_status,
                         const char *iv_end);

/* ---- Referrals and match runs for the API (store_referrals.c) ---- */
/* What the matching endpoints read and write: referrals with their events,
 * the job placement a hire records in the intervention registry, recorded
 * match runs, and the facts a ranking shows about a resident, a vacancy or
 * a course.  None opens a transaction; the handler wraps each change. */

/* A referral with what its views show: the vacancy and employer, and the
 * resident's kelurahan, name and phone ("" once erased). */
struct store_referral {
  int64_t id, resident_id, vacancy_id;
  int64_t match_run_id;              /* -1: made by hand */
  int64_t employer_id, kelurahan_id; /* the vacancy's; the resident's (-1 unknown) */
  char status[16];
  double fit, priority, rank_key; /* -1 unknown */
  int64_t created_by, updated_by; /* -1 none */
  char created_at[21], updated_at[21];
  char vacancy_code[32], vacancy_title[160], employer_name[160];
  char resident_name[256], resident_phone[64], kelurahan_name[64];
  int erased; /* the resident's personal data was erased */
};
int store_referral_get(struct store *s, int64_t id, struct store_referral *out);

/* A page of referrals by id; -1 / NULL in a filter field means any. */
struct store_referral_filter {
  int64_t after; /* ids above this */
  int limit;
  int64_t resident_id, vacancy_id, match_run_id, employer_id, kelurahan_id;
  const char *status;
};
/* Calls fn per row (fn must not use s); stops at fn's first non-zero value
 * and returns it. */
int store_referral_list(struct store *s, const struct store_referral_filter *f,
                        int (*fn)(void *arg, const struct store_referral *row), void *arg);
/* The open (proposed, confirmed, interviewed) referral of the pair, or
 * STORE_ENOTFOUND. */
int store_referral_open_find(struct store *s, int64_t resident_id, int64_t vacancy_id, int64_t *id);

/* A referral made by hand with status (proposed or confirmed) and its first
 * event (none → status) with note (may be NULL).  STORE_ECONSTRAINT when the
 * pair already has an open referral (index referrals_one_open). */
struct store_referral_create {
  int64_t resident_id, vacancy_id, created_by; /* created_by -1: none */
  const char *status, *note;
  double fit, priority, rank_key; /* -1 unknown */
};
int store_referral_create(struct store *s, const struct store_referral_create *c, int64_t *id);
/* One event; from NULL for a creation, at ISO 8601 UTC, note may be NULL. */
int store_referral_event_add(struct store *s, int64_t referral_id, const char *from, const char *to,
                             int64_t by_user, const char *at, const char *note);
/* Moves referral id from status from to status to, stamping updated_by/at,
 * and writes the event.  STORE_ENOTFOUND when the referral is not (or no
 * longer) in status from; STORE_ECONSTRAINT when the move would open a
 * second referral for the pair. */
int store_referral_move(struct store *s, int64_t id, const char *from, const char *to,
                        int64_t by_user, const char *note);
/* When the referral last moved to status (ISO 8601 UTC into at), or
 * STORE_ENOTFOUND. */
int store_referral_reached(struct store *s, int64_t id, const char *status, char at[21]);
struct store_referral_event {
  int64_t id, by_user;                            /* by_user -1: none */
  char from[16], to[16], at[21], by_username[65]; /* from "": the creation */
  const char *note;                               /* NULL when none; valid during the callback */
};
/* The referral's events, oldest first. */
int store_referral_events(struct store *s, int64_t id,
                          int (*fn)(void *arg, const struct store_referral_event *ev), void *arg);
/* The job placement a hire starts (intervention kind job_placement, office
 * Disnaker, linked to the referral, from date, a local ISO date) and ends
 * (status ended on date; nothing when none is active). */
int store_placement_start(struct store *s, int64_t referral_id, int64_t resident_id,
                          const char *date, int64_t by_user);
int store_placement_end(struct store *s, int64_t referral_id, const char *date);

/* A recorded match run. */
struct store_match_run_row {
  int64_t id, created_by; /* created_by -1: the command line */
  char created_by_name[65], created_at[21], algorithm[16], run_date[11];
  double total_key, duration_ms;
  int64_t total_gain, n_proposals, n_unmatched;
  int outcomes_stored; /* 0: recorded before migration 0003 */
};
int store_match_run_get(struct store *s, int64_t id, struct store_match_run_row *out);
/* A page of runs by id, ids above after. */
int store_match_run_list(struct store *s, int64_t after, int limit,
                         int (*fn)(void *arg, const struct store_match_run_row *m), void *arg);
/* The run's proposals counted by their current status, by status name. */
struct store_status_count {
  char status[16];
  int64_t n;
};
int store_match_run_statuses(struct store *s, int64_t run_id,
                             int (*fn)(void *arg, const struct store_status_count *c), void *arg);
/* Per vacancy the run proposed to (by id): its openings, its shortlist
 * capacity in the run (-1 for runs before migration 0003), the run's
 * proposals, how many are still open, confirmed, and reached hired. */
struct store_match_run_vacancy {
  int64_t vacancy_id, employer_id, openings, capacity;
  char code[32], title[160];
  int64_t proposals, open, confirmed, hired;
};
int store_match_run_vacancies(struct store *s, int64_t run_id,
                              int (*fn)(void *arg, const struct store_match_run_vacancy *v),
                              void *arg);
/* The run's unmatched residents by reason code, by code. */
struct store_reason_count {
  char reason[48];
  int64_t n;
};
int store_match_run_unmatched(struct store *s, int64_t run_id,
                              int (*fn)(void *arg, const struct store_reason_count *c), void *arg);
/* The run's shortlists in sum: vacancies considered, their capacity and the
 * proposals, vacancies filled to capacity and vacancies with none. */
struct store_match_run_fill {
  int64_t vacancies, capacity, proposed, full, none;
};
int store_match_run_fill(struct store *s, int64_t run_id, struct store_match_run_fill *out);

/* A resident as a ranking shows them (not erased; "" / -1 unknown); skills
 * are "skill_id:certified;..." by skill id. */
struct store_candidate {
  int64_t id, kelurahan_id;
  char name[256], birth_date[11], education[8], kelurahan_name[64], kecamatan_name[64];
  char skills[2048];
};
int store_candidate_get(struct store *s, int64_t resident_id, struct store_candidate *out);
/* The rows of the n residents ids in out[0..n-1] (room for n), in one
 * query: out[i] is ids[i]'s, its id -1 when that resident is erased or
 * unknown.  STORE_OK, or an error. */
int store_candidates_get(struct store *s, const int64_t *ids, size_t n,
                         struct store_candidate *out);
struct store_vacancy_brief {
  int64_t id, employer_id, openings;
  char code[32], title[160], employer_name[160], status[8];
};
int store_vacancy_brief(struct store *s, int64_t id, struct store_vacancy_brief *out);
/* The lowest vacancy id, or STORE_ENOTFOUND when there is none. */
int store_vacancy_lowest(struct store *s, int64_t *id);
struct store_course_brief {
  char code[24], name[128];
};
int store_course_brief(struct store *s, int64_t id, struct store_course_brief *out);

/* ---- Course steps and the review of a run's proposals (store_steps.c) ---- */
/* An officer's review of a match run: its referrals and course steps
 * (migration 0004) in one list, and a course step read and moved.  The run
 * writes course steps (runs.c); none of these opens a transaction. */

enum store_proposal_kind { STORE_PK_ANY, STORE_PK_REFERRAL, STORE_PK_COURSE_STEP };
/* In the review list course steps follow every referral: a course step's
 * list key is this plus its id, a referral's is its id. */
#define STORE_STEP_KEY_BASE ((int64_t)1 << 40)

/* -1 / 0 / NULL in a filter field means any. */
struct store_proposal_filter {
  int64_t run_id;
  enum store_proposal_kind kind;
  int64_t kelurahan_id, kecamatan_id; /* the resident's */
  int64_t vacancy_id;                 /* referrals only: set, it leaves course steps out */
  int64_t course_id;                  /* course steps only: set, it leaves referrals out */
  int desil_min, desil_max;           /* 0: no bound; a bound leaves unknown desil out */
  const char *status;
  int64_t after; /* list keys above this */
  int limit;
};
struct store_proposal {
  enum store_proposal_kind kind;
  int64_t list_key, id, resident_id;
  char status[16], resident_name[256], kelurahan_code[16], kelurahan_name[64];
  int desil;          /* -1 unknown */
  int64_t vacancy_id; /* referral; -1 for a course step */
  char vacancy_title[160], employer_name[160];
  int64_t batch_id, course_id; /* course step; -1 for a referral */
  char course_name[256], start_date[11], end_date[11];
  double fit, priority, rank_key; /* -1 unknown; a course step's fit is its expected placement */
  const char *explanation;        /* the stored JSON or NULL; valid during the callback */
  int erased;
};
/* A page of the run's proposals by list key. */
int store_proposal_list(struct store *s, const struct store_proposal_filter *f,
                        int (*fn)(void *arg, const struct store_proposal *p), void *arg);

struct store_course_step {
  int64_t id, match_run_id, resident_id, batch_id, course_id;
  int64_t enrolment_id; /* -1: none */
  char status[16];
};
int store_course_step_get(struct store *s, int64_t id, struct store_course_step *out);
/* Moves course step id from status from to status to, stamping
 * updated_by/at, and sets its enrolment (-1 leaves it).  STORE_ENOTFOUND
 * when the step is not (or no longer) in status from. */
int store_course_step_move(struct store *s, int64_t id, const char *from, const char *to,
                           int64_t by_user, int64_t enrolment_id);

/* What a course does to a resident's skills (migration 0005): each skill
 * the course teaches, with the resident's hold on it before (held 0: not
 * held), by skill code. */
struct store_taught_skill {
  int64_t skill_id;
  char code[16];
  int held, certified;
  char source[16]; /* self_reported | course; "" when not held */
};
int store_taught_skills_each(struct store *s, int64_t resident_id, int64_t course_id,
                             int (*fn)(void *arg, const struct store_taught_skill *k), void *arg);
/* Gives the resident a skill as course-taught (source course), certified
 * or not; a certified skill stays certified. */
int store_resident_skill_taught(struct store *s, int64_t resident_id, int64_t skill_id,
                                int certified);

/* ---- Residents over the API, object owners, audit reads (store_residents.c) ---- */
/* What the API's access table (access.c) and its resident and audit
 * endpoints need.  None opens a transaction. */

/* The objects whose owner access.c asks for. */
enum store_object {
  STORE_O_RESIDENT, /* not erased */
  STORE_O_EMPLOYER,
  STORE_O_VACANCY,
  STORE_O_COURSE,
  STORE_O_BATCH,
  STORE_O_ENROLMENT, /* owner: its resident's kelurahan */
  STORE_O_MATCH_RUN,
  STORE_O_REFERRAL, /* owner: its resident's kelurahan and its vacancy's employer */
};
struct store_owner {
  int64_t kelurahan_id; /* the resident's (resident, enrolment, referral); -1 otherwise */
  int64_t employer_id;  /* the employer itself, a vacancy's, a referral's vacancy's; -1 otherwise */
  int open;             /* a vacancy (or a referral's vacancy) with status 'open' */
};
/* STORE_ENOTFOUND when there is no such object. */
int store_object_owner(struct store *s, enum store_object kind, int64_t id,
                       struct store_owner *out);

/* One audit row per resident id (a's resident_id is ignored), all or none
 * (one statement, so it may run inside a transaction or alone). */
int store_audit_add_each(struct store *s, const struct store_audit *a, const int64_t *ids,
                         size_t n);

/* A list of residents: rows with id > after, by id, at most limit. */
enum store_res_status {
  STORE_RES_ANY,
  STORE_RES_NEET, /* productive age, not in school, unemployed or not in the labour force */
  STORE_RES_WORKING,
  STORE_RES_UNEMPLOYED,
  STORE_RES_NOT_IN_LABOUR_FORCE,
  STORE_RES_IN_SCHOOL,
};
enum store_res_verification {
  STORE_VERIF_ANY,
  STORE_VERIF_CURRENT, /* verified within validity_days of today */
  STORE_VERIF_EXPIRED, /* verified longer ago */
  STORE_VERIF_NEVER,
  STORE_VERIF_DUE, /* expired or never: the verification queue */
};
struct store_res_filter {
  int64_t kelurahan_id, kecamatan_id; /* -1: any */
  enum store_res_status status;
  enum store_res_verification verification;
  /* priority 1: only residents of the kelurahan listed in priority_ids (a
   * JSON array of ids, e.g. "[3,17]"); 0: only of the others; -1: any */
  int priority;
  const char *priority_ids;
  const char *today; /* ISO date: ages and verification age */
  int validity_days, min_age, max_age;
  int64_t after;
  int limit;
};
struct store_res_summary {
  int64_t id, kelurahan_id;
  char nik[17], name[256], sex[2], kelurahan_code[16], birth_date[11], education[8];
  char work_status[24], school_status[24], verified_at[11];
  int desil;
  int64_t verified_days; /* days since the verification; -1 never */
};
int store_res_list(struct store *s, const struct store_res_filter *f,
                   int (*fn)(void *arg, const struct store_res_summary *r), void *arg);

/* The desk's resident search (POST /v1/residents/search): by exact NIK
 * (nik non-NULL) or by a case-insensitive substring of the name, within one
 * kelurahan or (kelurahan_id -1) all, erased residents left out, in id
 * order after `after`, at most limit rows.  A hit carries only what picks
 * the right person at a counter: no NIK, no desil; the address is the
 * caller's to cut down before it leaves the process. */
struct store_res_search {
  const char *nik, *name; /* exactly one non-NULL */
  int64_t kelurahan_id;
  int64_t after;
  int limit;
};
struct store_res_hit {
  int64_t id;
  char name[256], birth_date[11], address[256], kelurahan_code[16], kelurahan_name[96];
};
int store_res_search(struct store *s, const struct store_res_search *f,
                     int (*fn)(void *arg, const struct store_res_hit *h), void *arg);

/* A resident's skills with their names, by code. */
struct store_res_skill {
  int64_t id;
  char code[16], vocation[24], name_id[96], name_en[96];
  int certified;
};
int store_res_skills_each(struct store *s, int64_t resident_id,
                          int (*fn)(void *arg, const struct store_res_skill *k), void *arg);

/* A resident's interventions (every office's), newest start first. */
int store_res_interventions_each(struct store *s, int64_t resident_id,
                                 int (*fn)(void *arg, const struct store_gov_intervention_row *iv),
                                 void *arg);
/* A resident's referrals and enrolments by status, as "status:count;...". */
struct store_res_services {
  char referrals[160], enrolments[96];
};
int store_res_services(struct store *s, int64_t resident_id, struct store_res_services *out);

/* The kecamatan id of a code, or STORE_ENOTFOUND. */
int store_kecamatan_id(struct store *s, const char *code, int64_t *id);

/* Resident id's whole record in one statement, so in one snapshot without
 * a transaction of its own (the resident read's hot path): the row as
 * store_gov_resident_read reads it but with skills left empty, the
 * services, and through the callbacks the skills by code (fn_skill) and
 * the interventions newest start first (fn_intervention), before it
 * returns.  An erased resident is found (erased_at says so).
 * STORE_ENOTFOUND when there is no such resident; a callback's non-zero
 * code ends the walk and is returned. */
struct store_res_record {
  struct store_gov_resident g;
  struct store_res_services services;
};
int store_res_record(struct store *s, int64_t id, struct store_res_record *out,
                     int (*fn_skill)(void *arg, const struct store_res_skill *k),
                     int (*fn_intervention)(void *arg, const struct store_gov_intervention_row *iv),
                     void *arg);

/* Audit rows matching f with id > after, by id, at most limit. */
struct store_audit_filter {
  const char *username, *action; /* NULL: any */
  int64_t resident_id;           /* -1: any */
  const char *from, *to;         /* ISO 8601 UTC bounds of at, inclusive; NULL: open */
  int64_t after;
  int limit;
};
struct store_audit_row {
  int64_t id, user_id, resident_id; /* -1 when NULL */
  char at[21], username[65], role[16], action[40], route[96], purpose[64];
  const char *detail; /* NULL when none; valid during the callback */
};
int store_audit_each(struct store *s, const struct store_audit_filter *f,
                     int (*fn)(void *arg, const struct store_audit_row *a), void *arg);

/* ---- HR clients: API keys and webhooks (store_hr.c, migration 0008) -------- */

/* An API key row; never the key, only its keyed hash (looked up by). */
struct store_apikey {
  int64_t id, employer_id, created_by; /* created_by -1: none */
  char name[81], hint[8];
  unsigned scopes;
  int64_t created_at, expires_at, revoked_at, last_used_at; /* -1: none */
};
int store_apikey_add(struct store *s, const struct store_apikey *k, const uint8_t hash[32],
                     int64_t *id);
int store_apikey_get(struct store *s, int64_t id, struct store_apikey *out);
/* The live key (not revoked, not expired at now) with this hash. */
int store_apikey_by_hash(struct store *s, const uint8_t hash[32], int64_t now,
                         struct store_apikey *out);
/* An employer's keys, newest first (revoked ones too). */
int store_apikey_list(struct store *s, int64_t employer_id,
                      int (*fn)(void *arg, const struct store_apikey *k), void *arg);
/* Revokes a live key; STORE_ENOTFOUND when it is not live. */
int store_apikey_revoke(struct store *s, int64_t id, int64_t now);
/* Records a use (last_used_at). */
int store_apikey_touch(struct store *s, int64_t id, int64_t now);

struct store_webhook {
  int64_t id, employer_id, created_by, created_at;
  char url[2049];
  unsigned events;
  uint8_t salt[16];
};
int store_webhook_add(struct store *s, const struct store_webhook *w, int64_t *id);
/* A live (not deleted) endpoint. */
int store_webhook_get(struct store *s, int64_t id, struct store_webhook *out);
int store_webhook_list(struct store *s, int64_t employer_id,
                       int (*fn)(void *arg, const struct store_webhook *w), void *arg);
/* The number of an employer's live endpoints. */
int store_webhook_count(struct store *s, int64_t employer_id, int64_t *n);
/* Deletes an endpoint: it gets no new events; its pending deliveries die. */
int store_webhook_delete(struct store *s, int64_t id, int64_t now);

/* One delivery of one event to one endpoint. */
struct store_delivery {
  int64_t id, event_id, endpoint_id, employer_id, vacancy_id, referral_id; /* referral -1 */
  char uid[33], type[32], status[12];
  int64_t created_at, attempts, next_at, done_at; /* done_at -1: not done */
  int last_status;                                /* HTTP status, 0: none */
  char last_error[128];
  char url[2049];
  uint8_t salt[16];
  char *body; /* NULL until rendered; malloc'd, the caller frees */
};
/* Pending deliveries due at now, at most limit, each endpoint's oldest
 * event only (so an endpoint receives its events in order).  fn owns
 * nothing of the row (body is freed after fn returns). */
int store_delivery_due(struct store *s, int64_t now, int limit,
                       int (*fn)(void *arg, const struct store_delivery *d), void *arg);
/* An endpoint's deliveries of status ("pending", "delivered" or "dead":
 * the dead-letter list; NULL any), newest first, at most 500. */
int store_delivery_list(struct store *s, int64_t endpoint_id, const char *status,
                        int (*fn)(void *arg, const struct store_delivery *d), void *arg);
/* The delivery's endpoint id, for authorisation. */
int store_delivery_endpoint(struct store *s, int64_t delivery_id, int64_t *endpoint_id);
/* Sets a dead delivery pending again, due now; STORE_ENOTFOUND if not dead. */
int store_delivery_replay(struct store *s, int64_t delivery_id, int64_t now);
/* Stores the event's rendered body (once). */
int store_event_set_body(struct store *s, int64_t event_id, const char *body);
/* Records an attempt: status "delivered", "pending" (due again at next_at)
 * or "dead". */
int store_delivery_result(struct store *s, int64_t id, const char *status, int64_t next_at,
                          int http_status, const char *error, int64_t now);
/* Queues vacancy.closing for every open vacancy whose deadline (a date) is
 * on or before today, once per vacancy; *added receives the count. */
int store_event_closing_scan(struct store *s, const char *today, int64_t now, int64_t *added);

/* ---- The server's housekeeping (store_server.c) ---- */
/* Automatic checkpoints after pages WAL pages on this connection (0: never;
 * the server's connections, whose checkpoints the serve loop's thread runs
 * instead: http/auditq.c). */
int store_autocheckpoint(struct store *s, int pages);
/* PRAGMA wal_checkpoint(PASSIVE): copies what it can of the WAL into the
 * database file without waiting for readers or writers.  wal_pages and
 * moved_pages (may be NULL) receive the WAL's size and the pages copied. */
int store_checkpoint_passive(struct store *s, int *wal_pages, int *moved_pages);
/* PRAGMA wal_checkpoint(RESTART), waiting at most wait_ms for the writer
 * lock and for readers of older snapshots: copies the whole WAL into the
 * database file, so that the next write starts the WAL anew (and
 * journal_size_limit cuts its file back).  *wal_pages (may be NULL): the
 * WAL's size.  STORE_EBUSY when it could not get in within wait_ms. */
int store_checkpoint_restart(struct store *s, int wait_ms, int *wal_pages);
/* 1 when s is inside a write transaction (BEGIN IMMEDIATE or a write made
 * in a deferred one), 0 otherwise. */
int store_in_write_transaction(struct store *s);
/* 1 when s is inside any transaction, read or write. */
int store_in_transaction(struct store *s);

#endif
