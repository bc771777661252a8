/*
 * store_gov.c — the queries of DTSEN data governance (store.h, section
 * "Governance"): a resident's record as text for corrections, verification,
 * the history of changes, the intervention registry, the overlap and
 * unserved reports, the export of everything held about one resident and
 * the erasure of their personal data.  The policy behind each query (which
 * services conflict, who counts as unserved, what erasure keeps) is in
 * docs/GOVERNANCE.md; gov.c decides, this file only reads and writes.
 */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Referral statuses: still in the hiring process, and placed. */
#define OPEN_REFERRAL "('proposed', 'confirmed', 'interviewed')"
#define LIVE_REFERRAL "('confirmed', 'interviewed')"
#define PLACED "('hired', 'retained_3m', 'retained_6m')"
#define FOLLOWED_UP "('hired', 'retained_3m')"
/* An enrolment whose course is still running. */
#define CURRENT_ENROLMENT "e.status = 'enrolled' AND b.status <> 'finished'"

/* What replaces an erased NIK wherever free text quoted it. */
#define ERASED_MARK "[NIK dihapus/erased]"

/* Binds text, with NULL and "" as NULL. */
static void bind_text_null(sqlite3_stmt *q, int i, const char *v) {
  store__bind_text(q, i, v != NULL && *v != '\0' ? v : NULL);
}

/* ---- A resident's record ------------------------------------------------------ */

void store__read_gov_resident(sqlite3_stmt *q, int c, struct store_gov_resident *r) {
  r->id = sqlite3_column_int64(q, c);
  r->kelurahan_id = store__col_opt(q, c + 1);
  store__copy_col(r->nik, sizeof r->nik, q, c + 2);
  store__copy_col(r->name, sizeof r->name, q, c + 3);
  store__copy_col(r->sex, sizeof r->sex, q, c + 4);
  store__copy_col(r->birth_date, sizeof r->birth_date, q, c + 5);
  store__copy_col(r->religion, sizeof r->religion, q, c + 6);
  store__copy_col(r->marital_status, sizeof r->marital_status, q, c + 7);
  store__copy_col(r->kelurahan_code, sizeof r->kelurahan_code, q, c + 8);
  store__copy_col(r->address, sizeof r->address, q, c + 9);
  store__copy_col(r->phone, sizeof r->phone, q, c + 10);
  store__copy_col(r->education, sizeof r->education, q, c + 11);
  store__copy_col(r->smk_vocation, sizeof r->smk_vocation, q, c + 12);
  r->desil = (int)store__col_opt(q, c + 13);
  r->months_without_work = (int)store__col_opt(q, c + 14);
  r->dependants = (int)store__col_opt(q, c + 15);
  store__copy_col(r->work_status, sizeof r->work_status, q, c + 16);
  store__copy_col(r->school_status, sizeof r->school_status, q, c + 17);
  store__copy_col(r->disability, sizeof r->disability, q, c + 18);
  store__copy_col(r->shifts, sizeof r->shifts, q, c + 19);
  store__copy_col(r->preferred_vocations, sizeof r->preferred_vocations, q, c + 20);
  store__copy_col(r->skills, sizeof r->skills, q, c + 21);
  store__copy_col(r->verified_at, sizeof r->verified_at, q, c + 22);
  store__copy_col(r->nik_flag, sizeof r->nik_flag, q, c + 23);
  store__copy_col(r->erased_at, sizeof r->erased_at, q, c + 24);
  store__copy_col(r->verification_note, sizeof r->verification_note, q, c + 25);
  r->verified_by = store__col_opt(q, c + 26);
}

static void read_resident(sqlite3_stmt *q, struct store_gov_resident *r) {
  store__read_gov_resident(q, 0, r);
}

int store_gov_resident_read(struct store *s, int64_t id, struct store_gov_resident *out) {
  STORE__STMT(
      s, q,
      "SELECT " STORE__GOV_RESIDENT_COLS("(SELECT group_concat(code || CASE WHEN certified THEN "
                                         "'*' ELSE '' END, ';') "
                                         "  FROM (SELECT s.code, rs.certified FROM resident_skills "
                                         "rs JOIN skills s "
                                         "  ON s.id = rs.skill_id WHERE rs.resident_id = r.id "
                                         "ORDER BY s.code))") " "
                                                              "FROM residents r LEFT JOIN "
                                                              "kelurahan k ON k.id = "
                                                              "r.kelurahan_id WHERE r.id = ?1");
  sqlite3_bind_int64(q, 1, id);
  STORE__ONE_ROW(q, out, read_resident);
}

/* One UPDATE per correctable column, so that a correction writes only the
 * fields it changes. */
#define SET_SQL(column, value)                                                                     \
  "UPDATE residents SET " column " = " value ", updated_at = ?3 WHERE id = ?1 AND erased_at IS "   \
  "NULL"

static const struct {
  const char *field, *sql;
  int integer;
} setters[] = {
    {"nik", SET_SQL("nik", "?2"), 0},
    {"name", SET_SQL("name", "?2"), 0},
    {"sex", SET_SQL("sex", "?2"), 0},
    {"birth_date", SET_SQL("birth_date", "?2"), 0},
    {"religion", SET_SQL("religion", "?2"), 0},
    {"marital_status", SET_SQL("marital_status", "?2"), 0},
    {"kelurahan_code", SET_SQL("kelurahan_id", "(SELECT id FROM kelurahan WHERE code = ?2)"), 0},
    {"address", SET_SQL("address", "?2"), 0},
    {"phone", SET_SQL("phone", "?2"), 0},
    {"education", SET_SQL("education", "?2"), 0},
    {"smk_vocation", SET_SQL("smk_vocation", "?2"), 0},
    {"desil", SET_SQL("desil", "?2"), 1},
    {"work_status", SET_SQL("work_status", "?2"), 0},
    {"school_status", SET_SQL("school_status", "?2"), 0},
    {"months_without_work", SET_SQL("months_without_work", "?2"), 1},
    {"dependants", SET_SQL("dependants", "?2"), 1},
    {"disability", SET_SQL("disability", "?2"), 0},
    {"shifts", SET_SQL("shifts", "?2"), 0},
    {"preferred_vocations", SET_SQL("preferred_vocations", "?2"), 0},
    {"nik_flag", SET_SQL("nik_flag", "?2"), 0},
};

int store_gov_resident_set(struct store *s, int64_t id, const char *field, const char *value) {
  size_t i = 0, n = sizeof setters / sizeof setters[0];
  while (i < n && strcmp(setters[i].field, field) != 0)
    i++;
  if (i == n)
    return STORE_ENOTFOUND;
  sqlite3_stmt *q = store__sql(s, setters[i].sql);
  if (q == NULL)
    return STORE_EIO;
  char now[21];
  store_now_iso(now);
  sqlite3_bind_int64(q, 1, id);
  if (setters[i].integer && value != NULL && *value != '\0')
    sqlite3_bind_int64(q, 2, strtoll(value, NULL, 10));
  else
    bind_text_null(q, 2, value);
  store__bind_text(q, 3, now);
  int rc = store__done(q);
  if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
    rc = STORE_ENOTFOUND;
  return rc;
}

int store_gov_skills_set(struct store *s, int64_t resident_id, const int64_t *skill_ids,
                         const uint8_t *certified, size_t n) {
  STORE__STMT(s, clear, "DELETE FROM resident_skills WHERE resident_id = ?1");
  sqlite3_bind_int64(clear, 1, resident_id);
  int rc = store__done(clear);
  for (size_t i = 0; rc == STORE_OK && i < n; i++) {
    STORE__STMT(s, add,
                "INSERT INTO resident_skills (resident_id, skill_id, certified) "
                "VALUES (?1, ?2, ?3)");
    sqlite3_bind_int64(add, 1, resident_id);
    sqlite3_bind_int64(add, 2, skill_ids[i]);
    sqlite3_bind_int(add, 3, certified != NULL && certified[i] ? 1 : 0);
    rc = store__done(add);
  }
  return rc;
}

int store_gov_resident_by_nik(struct store *s, const char *nik, int64_t *id) {
  STORE__STMT(s, q, "SELECT id FROM residents WHERE nik = ?1");
  store__bind_text(q, 1, nik);
  return store__int(q, id);
}

int store_gov_resident_scope(struct store *s, int64_t id, int64_t *kelurahan_id, int *erased) {
  STORE__STMT(s, q, "SELECT kelurahan_id, erased_at IS NOT NULL FROM residents WHERE id = ?1");
  sqlite3_bind_int64(q, 1, id);
  int rc = sqlite3_step(q);
  int res = store__found(rc);
  if (rc == SQLITE_ROW) {
    *kelurahan_id = store__col_opt(q, 0);
    *erased = sqlite3_column_int(q, 1);
  }
  sqlite3_reset(q);
  return res;
}

/* ---- Verification and history ----------------------------------------------------- */

int store_gov_verify(struct store *s, int64_t resident_id, const char *date, int64_t by_user,
                     const char *note) {
  STORE__STMT(s, q,
              "UPDATE residents SET verified_at = ?2, verified_by = ?3, verification_note = ?4, "
              "updated_at = ?5 WHERE id = ?1 AND erased_at IS NULL");
  char now[21];
  store_now_iso(now);
  sqlite3_bind_int64(q, 1, resident_id);
  store__bind_text(q, 2, date);
  store__bind_opt(q, 3, by_user);
  bind_text_null(q, 4, note);
  store__bind_text(q, 5, now);
  int rc = store__done(q);
  if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
    rc = STORE_ENOTFOUND;
  return rc;
}

int store_gov_history_add(struct store *s, int64_t resident_id, int64_t by_user, const char *field,
                          const char *old_value, const char *new_value, const char *reason) {
  STORE__STMT(s, q,
              "INSERT INTO resident_history (resident_id, at, by_user, field, old_value, "
              "new_value, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  char now[21];
  store_now_iso(now);
  sqlite3_bind_int64(q, 1, resident_id);
  store__bind_text(q, 2, now);
  store__bind_opt(q, 3, by_user);
  store__bind_text(q, 4, field);
  store__bind_text(q, 5, old_value);
  store__bind_text(q, 6, new_value);
  store__bind_text(q, 7, reason);
  return store__done(q);
}

static const char *col_text_or_null(sqlite3_stmt *q, int col) {
  return sqlite3_column_type(q, col) == SQLITE_NULL ? NULL
                                                    : (const char *)sqlite3_column_text(q, col);
}

static void read_history(sqlite3_stmt *q, struct store_gov_history *h) {
  h->id = sqlite3_column_int64(q, 0);
  h->by_user = store__col_opt(q, 1);
  store__copy_col(h->at, sizeof h->at, q, 2);
  store__copy_col(h->field, sizeof h->field, q, 3);
  store__copy_col(h->by_username, sizeof h->by_username, q, 4);
  h->old_value = col_text_or_null(q, 5);
  h->new_value = col_text_or_null(q, 6);
  h->reason = col_text_or_null(q, 7);
}

int store_gov_history_each(struct store *s, int64_t resident_id,
                           int (*fn)(void *arg, const struct store_gov_history *h), void *arg) {
  STORE__STMT(s, q,
              "SELECT h.id, h.by_user, h.at, h.field, u.username, h.old_value, h.new_value, "
              "h.reason FROM resident_history h LEFT JOIN users u ON u.id = h.by_user "
              "WHERE h.resident_id = ?1 ORDER BY h.id");
  sqlite3_bind_int64(q, 1, resident_id);
  struct store_gov_history h;
  STORE__EACH_ROW(q, h, read_history, fn, arg);
}

/* ---- Needing verification ---------------------------------------------------------- */

/* A verification date that is missing or not a date counts as never
 * verified, as in the engine (snapshot_day gives it MT_UNKNOWN_DAY). */
#define VERIFIED_DAYS "(julianday(?1) - julianday(date(r.verified_at)))"

static void read_unverified(sqlite3_stmt *q, struct store_gov_unverified *u) {
  u->id = sqlite3_column_int64(q, 0);
  u->kelurahan_id = store__col_opt(q, 1);
  store__copy_col(u->kelurahan_code, sizeof u->kelurahan_code, q, 2);
  store__copy_col(u->kelurahan_name, sizeof u->kelurahan_name, q, 3);
  store__copy_col(u->nik, sizeof u->nik, q, 4);
  store__copy_col(u->name, sizeof u->name, q, 5);
  store__copy_col(u->verified_at, sizeof u->verified_at, q, 6);
  u->desil = (int)store__col_opt(q, 7);
  u->days = sqlite3_column_int64(q, 8);
  if (u->days < 0)
    u->verified_at[0] = '\0';
}

int store_gov_unverified_each(struct store *s, int64_t kelurahan_id, const char *today,
                              int validity_days,
                              int (*fn)(void *arg, const struct store_gov_unverified *r),
                              void *arg) {
  /* The poorest first: the policy asks kelurahan to verify the poor and the
   * extreme poor above all. */
  STORE__STMT(s, q,
              "SELECT r.id, r.kelurahan_id, k.code, k.name, r.nik, r.name, r.verified_at, r.desil, "
              "CASE WHEN julianday(date(r.verified_at)) IS NULL THEN -1 ELSE "
              "  CAST(" VERIFIED_DAYS " AS INTEGER) END AS days "
              "FROM residents r LEFT JOIN kelurahan k ON k.id = r.kelurahan_id "
              "WHERE r.erased_at IS NULL AND (?2 < 0 OR r.kelurahan_id = ?2) "
              "AND (julianday(date(r.verified_at)) IS NULL OR " VERIFIED_DAYS " > ?3) "
              "ORDER BY k.code, r.desil IS NULL, r.desil, days >= 0, days DESC, r.id");
  store__bind_text(q, 1, today);
  sqlite3_bind_int64(q, 2, kelurahan_id);
  sqlite3_bind_int(q, 3, validity_days);
  struct store_gov_unverified u;
  STORE__EACH_ROW(q, u, read_unverified, fn, arg);
}

static void read_verification_row(sqlite3_stmt *q, struct store_gov_verification_row *k) {
  k->kelurahan_id = sqlite3_column_int64(q, 0);
  store__copy_col(k->kelurahan_code, sizeof k->kelurahan_code, q, 1);
  store__copy_col(k->kelurahan_name, sizeof k->kelurahan_name, q, 2);
  k->residents = sqlite3_column_int64(q, 3);
  k->current = sqlite3_column_int64(q, 4);
  k->expired = sqlite3_column_int64(q, 5);
  k->never = sqlite3_column_int64(q, 6);
}

int store_gov_verification_summary(struct store *s, const char *today, int validity_days,
                                   int (*fn)(void *arg, const struct store_gov_verification_row *k),
                                   void *arg) {
  STORE__STMT(s, q,
              "SELECT k.id, k.code, k.name, count(r.id), "
              "coalesce(sum(" VERIFIED_DAYS " <= ?2), 0), "
              "coalesce(sum(" VERIFIED_DAYS " > ?2), 0), "
              "coalesce(sum(r.id IS NOT NULL AND julianday(date(r.verified_at)) IS NULL), 0) "
              "FROM kelurahan k LEFT JOIN residents r ON r.kelurahan_id = k.id "
              "AND r.erased_at IS NULL GROUP BY k.id ORDER BY k.code");
  store__bind_text(q, 1, today);
  sqlite3_bind_int(q, 2, validity_days);
  struct store_gov_verification_row k;
  STORE__EACH_ROW(q, k, read_verification_row, fn, arg);
}

/* ---- Intervention registry ------------------------------------------------------------ */

int store_gov_kind_group(struct store *s, const char *kind, char grp[16]) {
  STORE__STMT(s, q, "SELECT grp FROM intervention_kinds WHERE kind = ?1");
  store__bind_text(q, 1, kind);
  int rc = sqlite3_step(q);
  int res = store__found(rc);
  if (rc == SQLITE_ROW)
    store__copy_col(grp, 16, q, 0);
  sqlite3_reset(q);
  return res;
}

static int read_intervention_row(sqlite3_stmt *q, struct store_gov_intervention_row *out) {
  int rc = sqlite3_step(q);
  int res = store__found(rc);
  if (rc == SQLITE_ROW) {
    out->id = sqlite3_column_int64(q, 0);
    out->resident_id = sqlite3_column_int64(q, 1);
    store__copy_col(out->kind, sizeof out->kind, q, 2);
    store__copy_col(out->office, sizeof out->office, q, 3);
    store__copy_col(out->start_date, sizeof out->start_date, q, 4);
    store__copy_col(out->end_date, sizeof out->end_date, q, 5);
    store__copy_col(out->status, sizeof out->status, q, 6);
  }
  sqlite3_reset(q);
  return res;
}

int store_gov_intervention_find(struct store *s, const struct store_gov_intervention *iv,
                                struct store_gov_intervention_row *out) {
  if (iv->source_ref != NULL && *iv->source_ref != '\0') {
    STORE__STMT(s, q,
                "SELECT id, resident_id, kind, office, start_date, end_date, status "
                "FROM interventions WHERE office = ?1 AND source_ref = ?2 ORDER BY id LIMIT 1");
    store__bind_text(q, 1, iv->office);
    store__bind_text(q, 2, iv->source_ref);
    return read_intervention_row(q, out);
  }
  STORE__STMT(s, q,
              "SELECT id, resident_id, kind, office, start_date, end_date, status "
              "FROM interventions WHERE resident_id = ?1 AND kind = ?2 AND office = ?3 "
              "AND start_date = ?4 ORDER BY id LIMIT 1");
  sqlite3_bind_int64(q, 1, iv->resident_id);
  store__bind_text(q, 2, iv->kind);
  store__bind_text(q, 3, iv->office);
  store__bind_text(q, 4, iv->start_date);
  return read_intervention_row(q, out);
}

int store_gov_intervention_add(struct store *s, const struct store_gov_intervention *iv,
                               int64_t *id) {
  STORE__STMT(s, q,
              "INSERT INTO interventions (resident_id, kind, office, start_date, end_date, "
              "status, source_ref, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
              "?8, ?9)");
  char now[21];
  store_now_iso(now);
  sqlite3_bind_int64(q, 1, iv->resident_id);
  store__bind_text(q, 2, iv->kind);
  store__bind_text(q, 3, iv->office);
  store__bind_text(q, 4, iv->start_date);
  bind_text_null(q, 5, iv->end_date);
  store__bind_text(q, 6, iv->status);
  bind_text_null(q, 7, iv->source_ref);
  store__bind_opt(q, 8, iv->created_by);
  store__bind_text(q, 9, now);
  return store__insert(s, q, id);
}

int store_gov_intervention_update(struct store *s, int64_t id,
                                  const struct store_gov_intervention *iv) {
  STORE__STMT(s, q,
              "UPDATE interventions SET start_date = ?2, end_date = ?3, status = ?4 WHERE id = ?1");
  sqlite3_bind_int64(q, 1, id);
  store__bind_text(q, 2, iv->start_date);
  bind_text_null(q, 3, iv->end_date);
  store__bind_text(q, 4, iv->status);
  int rc = store__done(q);
  if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
    rc = STORE_ENOTFOUND;
  return rc;
}

/* ---- Overlaps (inclusion errors) ------------------------------------------------------- */

/* Every service a resident is receiving, from the three places padan keeps
 * them.  An intervention row that mirrors a referral or an enrolment is
 * left out: the referral or enrolment itself stands for it.  A placement
 * starts on the day the referral reached 'hired'. */
#define SERVICES                                                                                   \
  "svc(resident_id, source, id, kind, grp, office, start_date, end_date) AS ("                     \
  "SELECT i.resident_id, 'intervention', i.id, i.kind, coalesce(k.grp, 'other'), i.office, "       \
  "  i.start_date, coalesce(i.end_date, '') FROM interventions i "                                 \
  "  LEFT JOIN intervention_kinds k ON k.kind = i.kind "                                           \
  "  WHERE i.status = 'active' AND i.referral_id IS NULL AND i.enrolment_id IS NULL "              \
  "UNION ALL "                                                                                     \
  "SELECT f.resident_id, 'referral', f.id, CASE WHEN f.status IN " PLACED                          \
  "  THEN 'job_placement' ELSE 'job_referral' END, 'job', 'Disnaker', "                            \
  "  CASE WHEN f.status IN " PLACED " THEN coalesce((SELECT date(min(v.at), '+7 hours') "          \
  "  FROM referral_events v WHERE v.referral_id = f.id AND v.to_status = 'hired'), "               \
  "  date(f.updated_at, '+7 hours')) ELSE date(f.created_at, '+7 hours') END, '' "                 \
  "  FROM referrals f WHERE f.status IN " LIVE_REFERRAL " OR f.status IN " PLACED " "              \
  "UNION ALL "                                                                                     \
  "SELECT e.resident_id, 'enrolment', e.id, 'training', 'training', 'Disnaker (BLK)', "            \
  "  coalesce(b.start_date, date(e.created_at, '+7 hours')), coalesce(b.end_date, '') "            \
  "  FROM enrolments e JOIN batches b ON b.id = e.batch_id WHERE " CURRENT_ENROLMENT ")"

/* An open end sorts after every date. */
#define END_OF(x) "(CASE WHEN " x ".end_date = '' THEN '9999-12-31' ELSE " x ".end_date END)"

static void read_service(sqlite3_stmt *q, int col, struct store_gov_service *v) {
  store__copy_col(v->source, sizeof v->source, q, col);
  v->id = sqlite3_column_int64(q, col + 1);
  store__copy_col(v->kind, sizeof v->kind, q, col + 2);
  store__copy_col(v->grp, sizeof v->grp, q, col + 3);
  store__copy_col(v->office, sizeof v->office, q, col + 4);
  store__copy_col(v->start_date, sizeof v->start_date, q, col + 5);
  store__copy_col(v->end_date, sizeof v->end_date, q, col + 6);
}

static void read_overlap(sqlite3_stmt *q, struct store_gov_overlap *o) {
  o->resident_id = sqlite3_column_int64(q, 0);
  o->kelurahan_id = store__col_opt(q, 1);
  store__copy_col(o->nik, sizeof o->nik, q, 2);
  store__copy_col(o->name, sizeof o->name, q, 3);
  store__copy_col(o->kelurahan_code, sizeof o->kelurahan_code, q, 4);
  store__copy_col(o->kelurahan_name, sizeof o->kelurahan_name, q, 5);
  read_service(q, 6, &o->a);
  read_service(q, 13, &o->b);
  store__copy_col(o->reason_id, sizeof o->reason_id, q, 20);
  store__copy_col(o->reason_en, sizeof o->reason_en, q, 21);
}

int store_gov_overlaps(struct store *s, int64_t kelurahan_id,
                       int (*fn)(void *arg, const struct store_gov_overlap *o), void *arg) {
  STORE__STMT(s, q,
              "WITH " SERVICES " "
              "SELECT r.id, r.kelurahan_id, r.nik, r.name, k.code, k.name, "
              "a.source, a.id, a.kind, a.grp, a.office, a.start_date, a.end_date, "
              "b.source, b.id, b.kind, b.grp, b.office, b.start_date, b.end_date, "
              "c.reason_id, c.reason_en "
              "FROM svc a JOIN svc b ON b.resident_id = a.resident_id "
              "  AND (a.source < b.source OR (a.source = b.source AND a.id < b.id)) "
              "JOIN intervention_conflicts c ON c.grp_a = a.grp AND c.grp_b = b.grp "
              "JOIN residents r ON r.id = a.resident_id AND r.erased_at IS NULL "
              "LEFT JOIN kelurahan k ON k.id = r.kelurahan_id "
              "WHERE (?1 < 0 OR r.kelurahan_id = ?1) "
              "AND a.start_date <= " END_OF("b") " AND b.start_date <= " END_OF(
                  "a") " "
                       "ORDER BY k.code, r.id, a.source, a.id, b.source, b.id");
  sqlite3_bind_int64(q, 1, kelurahan_id);
  struct store_gov_overlap o;
  STORE__EACH_ROW(q, o, read_overlap, fn, arg);
}

static void read_conflict(sqlite3_stmt *q, struct store_gov_conflict *c) {
  read_service(q, 0, &c->with);
  store__copy_col(c->reason_id, sizeof c->reason_id, q, 7);
  store__copy_col(c->reason_en, sizeof c->reason_en, q, 8);
}

int store_gov_conflict_find(struct store *s, int64_t resident_id, const char *grp,
                            const char *start, const char *end, struct store_gov_conflict *out) {
  STORE__STMT(s, q,
              "WITH " SERVICES " "
              "SELECT a.source, a.id, a.kind, a.grp, a.office, a.start_date, a.end_date, "
              "c.reason_id, c.reason_en FROM svc a "
              "JOIN intervention_conflicts c ON c.grp_a = ?2 AND c.grp_b = a.grp "
              "WHERE a.resident_id = ?1 AND a.start_date <= coalesce(?4, '9999-12-31') "
              "AND ?3 <= " END_OF("a") " ORDER BY a.source, a.id LIMIT 1");
  sqlite3_bind_int64(q, 1, resident_id);
  store__bind_text(q, 2, grp);
  store__bind_text(q, 3, start);
  store__bind_text(q, 4, end);
  STORE__ONE_ROW(q, out, read_conflict);
}

/* ---- Unserved (exclusion errors) -------------------------------------------------------- */

static void read_unserved(sqlite3_stmt *q, struct store_gov_unserved *u) {
  u->id = sqlite3_column_int64(q, 0);
  store__copy_col(u->nik, sizeof u->nik, q, 1);
  store__copy_col(u->name, sizeof u->name, q, 2);
  store__copy_col(u->sex, sizeof u->sex, q, 3);
  store__copy_col(u->birth_date, sizeof u->birth_date, q, 4);
  store__copy_col(u->education, sizeof u->education, q, 5);
  store__copy_col(u->verified_at, sizeof u->verified_at, q, 6);
  u->desil = (int)store__col_opt(q, 7);
  u->months_without_work = (int)store__col_opt(q, 8);
  u->dependants = (int)store__col_opt(q, 9);
}

int store_gov_unserved_each(struct store *s, int64_t kelurahan_id, const struct store_gov_target *t,
                            int (*fn)(void *arg, const struct store_gov_unserved *u), void *arg) {
  /* Productive age as in store_kelurahan_poverty: born after today minus
   * (max_age + 1) years and on or before today minus min_age years. */
  STORE__STMT(s, q,
              "SELECT r.id, r.nik, r.name, r.sex, r.birth_date, r.education, r.verified_at, "
              "r.desil, r.months_without_work, r.dependants FROM residents r "
              "WHERE r.kelurahan_id = ?2 AND r.erased_at IS NULL "
              "AND r.birth_date > date(?1, printf('-%d years', ?4 + 1)) "
              "AND r.birth_date <= date(?1, printf('-%d years', ?3)) "
              "AND r.work_status IS NOT NULL AND r.work_status <> 'working' "
              "AND r.school_status = 'not_in_school' "
              "AND julianday(date(r.verified_at)) IS NOT NULL "
              "AND julianday(?1) - julianday(date(r.verified_at)) <= ?5 "
              "AND r.desil BETWEEN 1 AND ?6 "
              "AND NOT EXISTS (SELECT 1 FROM interventions i WHERE i.resident_id = r.id "
              "  AND i.status = 'active' AND i.referral_id IS NULL AND i.enrolment_id IS NULL) "
              "AND NOT EXISTS (SELECT 1 FROM referrals f WHERE f.resident_id = r.id "
              "  AND (f.status NOT IN ('proposed', 'withdrawn') OR EXISTS (SELECT 1 FROM "
              "  referral_events v WHERE v.referral_id = f.id AND v.to_status = 'confirmed'))) "
              "AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.resident_id = r.id) "
              "ORDER BY r.desil, r.months_without_work DESC, r.id");
  store__bind_text(q, 1, t->today);
  sqlite3_bind_int64(q, 2, kelurahan_id);
  sqlite3_bind_int(q, 3, t->min_age);
  sqlite3_bind_int(q, 4, t->max_age);
  sqlite3_bind_int(q, 5, t->validity_days);
  sqlite3_bind_int(q, 6, t->poor_max);
  struct store_gov_unserved u;
  STORE__EACH_ROW(q, u, read_unserved, fn, arg);
}

/* ---- Export ------------------------------------------------------------------------------ */

static sqlite3_stmt *export_stmt(struct store *s, enum store_gov_part part) {
  switch (part) {
  case STORE_GOV_RESIDENT:
    return store__sql(s, "SELECT r.*, k.code AS kelurahan_code, k.name AS kelurahan_name "
                         "FROM residents r LEFT JOIN kelurahan k ON k.id = r.kelurahan_id "
                         "WHERE r.id = ?1");
  case STORE_GOV_SKILLS:
    return store__sql(s, "SELECT s.code, s.vocation, s.name_id, s.name_en, rs.certified "
                         "FROM resident_skills rs JOIN skills s ON s.id = rs.skill_id "
                         "WHERE rs.resident_id = ?1 ORDER BY s.code");
  case STORE_GOV_HISTORY:
    return store__sql(s, "SELECT h.*, u.username AS by_username FROM resident_history h "
                         "LEFT JOIN users u ON u.id = h.by_user WHERE h.resident_id = ?1 "
                         "ORDER BY h.id");
  case STORE_GOV_INTERVENTIONS:
    return store__sql(s, "SELECT i.*, k.grp AS kind_group, k.name_id AS kind_name_id, "
                         "k.name_en AS kind_name_en FROM interventions i "
                         "LEFT JOIN intervention_kinds k ON k.kind = i.kind "
                         "WHERE i.resident_id = ?1 ORDER BY i.id");
  case STORE_GOV_REFERRALS:
    return store__sql(s, "SELECT f.*, v.code AS vacancy_code, v.title AS vacancy_title, "
                         "e.name AS employer_name FROM referrals f "
                         "LEFT JOIN vacancies v ON v.id = f.vacancy_id "
                         "LEFT JOIN employers e ON e.id = v.employer_id "
                         "WHERE f.resident_id = ?1 ORDER BY f.id");
  case STORE_GOV_REFERRAL_EVENTS:
    return store__sql(s, "SELECT ev.* FROM referral_events ev JOIN referrals f "
                         "ON f.id = ev.referral_id WHERE f.resident_id = ?1 ORDER BY ev.id");
  case STORE_GOV_ENROLMENTS:
    return store__sql(s, "SELECT e.*, c.code AS course_code, c.name AS course_name, "
                         "b.batch_no, b.start_date AS batch_start, b.end_date AS batch_end, "
                         "b.status AS batch_status FROM enrolments e "
                         "LEFT JOIN batches b ON b.id = e.batch_id "
                         "LEFT JOIN courses c ON c.id = b.course_id "
                         "WHERE e.resident_id = ?1 ORDER BY e.id");
  case STORE_GOV_ACCESS:
    return store__sql(s, "SELECT * FROM audit_log WHERE resident_id = ?1 ORDER BY id");
  }
  return NULL;
}

int store_gov_export_each(struct store *s, enum store_gov_part part, int64_t resident_id,
                          int (*fn)(void *arg, const struct store_gov_cell *cells, size_t n),
                          void *arg) {
  sqlite3_stmt *q = export_stmt(s, part);
  if (q == NULL)
    return STORE_EIO;
  sqlite3_bind_int64(q, 1, resident_id);
  size_t n = (size_t)sqlite3_column_count(q);
  struct store_gov_cell *cells = calloc(n ? n : 1, sizeof *cells);
  if (cells == NULL)
    return STORE_ENOMEM;
  int rc, res = STORE_OK;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    for (size_t i = 0; i < n; i++) {
      struct store_gov_cell *c = &cells[i];
      int col = (int)i;
      c->name = sqlite3_column_name(q, col);
      switch (sqlite3_column_type(q, col)) {
      case SQLITE_INTEGER:
        c->type = STORE_GOV_INT;
        c->i = sqlite3_column_int64(q, col);
        break;
      case SQLITE_FLOAT:
        c->type = STORE_GOV_REAL;
        c->d = sqlite3_column_double(q, col);
        break;
      case SQLITE_NULL:
        c->type = STORE_GOV_NULL;
        break;
      default: /* text; a blob (none today) is exported as its text form */
        c->type = STORE_GOV_TEXT;
        c->text = (const char *)sqlite3_column_text(q, col);
        if (c->text == NULL)
          c->type = STORE_GOV_NULL;
        break;
      }
    }
    res = fn(arg, cells, n);
    if (res != 0)
      break;
  }
  if (res == STORE_OK && rc != SQLITE_DONE)
    res = store__rc(rc);
  sqlite3_reset(q);
  free(cells);
  return res;
}

/* ---- Erasure --------------------------------------------------------------------------------- */

int store_gov_erase_holds(struct store *s, int64_t resident_id, struct store_gov_holds *out) {
  STORE__STMT(
      s, q,
      "SELECT (SELECT count(*) FROM referrals WHERE resident_id = ?1 AND status IN " OPEN_REFERRAL
      "), "
      "(SELECT count(*) FROM interventions WHERE resident_id = ?1 AND status = 'active'), "
      "(SELECT count(*) FROM enrolments e JOIN batches b ON b.id = e.batch_id "
      "  WHERE e.resident_id = ?1 AND " CURRENT_ENROLMENT "), "
      "(SELECT count(*) FROM referrals WHERE resident_id = ?1 AND status IN " FOLLOWED_UP ")");
  sqlite3_bind_int64(q, 1, resident_id);
  int rc = sqlite3_step(q);
  int res = rc == SQLITE_ROW ? STORE_OK : store__rc(rc);
  if (rc == SQLITE_ROW) {
    out->open_referrals = sqlite3_column_int64(q, 0);
    out->active_interventions = sqlite3_column_int64(q, 1);
    out->current_enrolments = sqlite3_column_int64(q, 2);
    out->followups = sqlite3_column_int64(q, 3);
  } else if (rc == SQLITE_DONE) {
    res = STORE_EIO;
  }
  sqlite3_reset(q);
  return res;
}

/* Replaces nik in every free-text column that could quote it. */
static int scrub_nik(struct store *s, const char *nik) {
  STORE__STMT(s, audit,
              "UPDATE audit_log SET detail = replace(detail, ?1, '" ERASED_MARK "'), "
              "purpose = replace(purpose, ?1, '" ERASED_MARK "') "
              "WHERE instr(detail, ?1) > 0 OR instr(purpose, ?1) > 0");
  store__bind_text(audit, 1, nik);
  int rc = store__done(audit);
  if (rc != STORE_OK)
    return rc;
  STORE__STMT(s, history,
              "UPDATE resident_history SET old_value = replace(old_value, ?1, '" ERASED_MARK "'), "
              "new_value = replace(new_value, ?1, '" ERASED_MARK "'), "
              "reason = replace(reason, ?1, '" ERASED_MARK "') WHERE instr(old_value, ?1) > 0 "
              "OR instr(new_value, ?1) > 0 OR instr(reason, ?1) > 0");
  store__bind_text(history, 1, nik);
  rc = store__done(history);
  if (rc != STORE_OK)
    return rc;
  STORE__STMT(s, notes,
              "UPDATE referral_events SET note = replace(note, ?1, '" ERASED_MARK "') "
              "WHERE instr(note, ?1) > 0");
  store__bind_text(notes, 1, nik);
  rc = store__done(notes);
  if (rc != STORE_OK)
    return rc;
  STORE__STMT(
      s, vnotes,
      "UPDATE residents SET verification_note = replace(verification_note, ?1, '" ERASED_MARK
      "') WHERE instr(verification_note, ?1) > 0");
  store__bind_text(vnotes, 1, nik);
  return store__done(vnotes);
}

/* ---- Objections ------------------------------------------------------------- */

int store_objection_add(struct store *s, int64_t resident_id, const char *field,
                        const char *proposed_value, const char *reason, int64_t by_user,
                        int64_t *id) {
  char now[21];
  store_now_iso(now);
  STORE__STMT(s, q,
              "INSERT INTO objections (resident_id, field, proposed_value, reason, filed_by, "
              "filed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  sqlite3_bind_int64(q, 1, resident_id);
  store__bind_text(q, 2, field);
  store__bind_text(q, 3, proposed_value);
  store__bind_text(q, 4, reason);
  store__bind_opt(q, 5, by_user);
  store__bind_text(q, 6, now);
  return store__insert(s, q, id);
}

#define OBJECTION_COLUMNS                                                                          \
  "o.id, o.resident_id, r.kelurahan_id, o.field, o.proposed_value, o.reason, o.status, o.note, "   \
  "o.filed_at, o.resolved_at, o.filed_by, o.resolved_by FROM objections o JOIN residents r ON "    \
  "r.id = o.resident_id AND r.erased_at IS NULL "

static void read_objection(sqlite3_stmt *q, struct store_objection *o) {
  o->id = sqlite3_column_int64(q, 0);
  o->resident_id = sqlite3_column_int64(q, 1);
  o->kelurahan_id = store__col_opt(q, 2);
  store__copy_col(o->field, sizeof o->field, q, 3);
  store__copy_col(o->proposed_value, sizeof o->proposed_value, q, 4);
  store__copy_col(o->reason, sizeof o->reason, q, 5);
  store__copy_col(o->status, sizeof o->status, q, 6);
  store__copy_col(o->note, sizeof o->note, q, 7);
  store__copy_col(o->filed_at, sizeof o->filed_at, q, 8);
  store__copy_col(o->resolved_at, sizeof o->resolved_at, q, 9);
  o->filed_by = store__col_opt(q, 10);
  o->resolved_by = store__col_opt(q, 11);
}

int store_objection_get(struct store *s, int64_t id, struct store_objection *out) {
  STORE__STMT(s, q, "SELECT " OBJECTION_COLUMNS "WHERE o.id = ?1");
  sqlite3_bind_int64(q, 1, id);
  int rc = sqlite3_step(q);
  if (rc == SQLITE_ROW)
    read_objection(q, out);
  sqlite3_reset(q);
  return store__found(rc);
}

int store_objection_each(struct store *s, const char *status, int64_t kelurahan_id, int64_t after,
                         int limit, int (*fn)(void *arg, const struct store_objection *o),
                         void *arg) {
  STORE__STMT(s, q,
              "SELECT " OBJECTION_COLUMNS "WHERE o.id > ?1 AND (?2 IS NULL OR o.status = ?2) "
              "AND (?3 < 0 OR r.kelurahan_id = ?3) ORDER BY o.id LIMIT ?4");
  sqlite3_bind_int64(q, 1, after);
  store__bind_text(q, 2, status);
  sqlite3_bind_int64(q, 3, kelurahan_id);
  sqlite3_bind_int(q, 4, limit);
  int rc = STORE_OK, step;
  struct store_objection o;
  while (rc == STORE_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
    read_objection(q, &o);
    rc = fn(arg, &o);
  }
  if (rc == STORE_OK && step != SQLITE_DONE)
    rc = store__rc(step);
  sqlite3_reset(q);
  return rc;
}

int store_objection_resolve(struct store *s, int64_t id, const char *status, int64_t by_user,
                            const char *note) {
  char now[21];
  store_now_iso(now);
  STORE__STMT(s, q,
              "UPDATE objections SET status = ?2, resolved_by = ?3, resolved_at = ?4, note = ?5 "
              "WHERE id = ?1 AND status = 'open'");
  sqlite3_bind_int64(q, 1, id);
  store__bind_text(q, 2, status);
  store__bind_opt(q, 3, by_user);
  store__bind_text(q, 4, now);
  store__bind_text(q, 5, note);
  int rc = store__done(q);
  if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
    rc = STORE_ENOTFOUND;
  return rc;
}

/* ---- Erased NIKs ------------------------------------------------------------ */

/* Reads exactly n bytes of fd; 0 or -1. */
static int read_all(int fd, unsigned char *buf, size_t n) {
  while (n > 0) {
    ssize_t got = read(fd, buf, n);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      return -1;
    buf += got;
    n -= (size_t)got;
  }
  return 0;
}

/* The erasure key: "<path>.erasure-key", created once (random, 0600,
 * written whole to a temporary name and linked into place, so that two
 * processes never see half a key or two different keys). */
static int nik_key(struct store *s) {
  if (s->have_nik_key)
    return STORE_OK;
  char path[4096], tmp[4200];
  int n = snprintf(path, sizeof path, "%s.erasure-key", s->path);
  if (n < 0 || (size_t)n >= sizeof path)
    return STORE_EIO;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 && errno == ENOENT) {
    unsigned char fresh[32];
    if (sodium_init() < 0)
      return STORE_EIO;
    randombytes_buf(fresh, sizeof fresh);
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int w = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int ok = w >= 0 && write(w, fresh, sizeof fresh) == (ssize_t)sizeof fresh && fsync(w) == 0;
    if (w >= 0)
      close(w);
    sodium_memzero(fresh, sizeof fresh);
    /* link fails when another process made the key first: use theirs */
    if (!ok || (link(tmp, path) != 0 && errno != EEXIST)) {
      unlink(tmp);
      return STORE_EIO;
    }
    unlink(tmp);
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  }
  if (fd < 0)
    return STORE_EIO;
  int rc = read_all(fd, s->nik_key, sizeof s->nik_key);
  unsigned char extra;
  if (rc == 0 && read(fd, &extra, 1) != 0)
    rc = -1; /* a key file of another size is not ours */
  close(fd);
  if (rc != 0)
    return STORE_EIO;
  s->have_nik_key = 1;
  return STORE_OK;
}

static int nik_hash(struct store *s, const char *nik, unsigned char out[32]) {
  int rc = nik_key(s);
  if (rc != STORE_OK)
    return rc;
  crypto_generichash(out, 32, (const unsigned char *)nik, strlen(nik), s->nik_key,
                     sizeof s->nik_key);
  return STORE_OK;
}

int store_nik_erased(struct store *s, const char *nik, int *erased) {
  unsigned char h[32];
  *erased = 0;
  int rc = nik_hash(s, nik, h);
  if (rc != STORE_OK)
    return rc;
  STORE__STMT(s, q, "SELECT 1 FROM erased_niks WHERE hash = ?1");
  sqlite3_bind_blob(q, 1, h, sizeof h, SQLITE_TRANSIENT);
  rc = sqlite3_step(q);
  sqlite3_reset(q);
  if (rc == SQLITE_ROW)
    *erased = 1;
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : store__rc(rc);
}

int store_gov_erase(struct store *s, int64_t resident_id, const char *erased_at) {
  char nik[17] = "";
  STORE__STMT(s, find, "SELECT nik FROM residents WHERE id = ?1 AND erased_at IS NULL");
  sqlite3_bind_int64(find, 1, resident_id);
  int rc = sqlite3_step(find);
  if (rc == SQLITE_ROW)
    store__copy_col(nik, sizeof nik, find, 0);
  sqlite3_reset(find);
  if (rc != SQLITE_ROW)
    return store__found(rc);

  STORE__STMT(s, wipe,
              "UPDATE residents SET nik = NULL, name = NULL, sex = NULL, birth_date = NULL, "
              "religion = NULL, marital_status = NULL, address = NULL, phone = NULL, "
              "education = NULL, smk_vocation = NULL, work_status = NULL, school_status = NULL, "
              "months_without_work = NULL, dependants = NULL, disability = NULL, shifts = NULL, "
              "preferred_vocations = NULL, verified_at = NULL, verified_by = NULL, "
              "verification_note = NULL, nik_flag = NULL, updated_at = ?2, erased_at = ?2 "
              "WHERE id = ?1");
  sqlite3_bind_int64(wipe, 1, resident_id);
  store__bind_text(wipe, 2, erased_at);
  rc = store__done(wipe);
  if (rc != STORE_OK)
    return rc;
  if (nik[0] != '\0') {
    /* the NIK stays only as its keyed hash, so an import cannot bring the
     * person back */
    unsigned char h[32];
    rc = nik_hash(s, nik, h);
    if (rc != STORE_OK)
      return rc;
    STORE__STMT(s, keep, "INSERT OR IGNORE INTO erased_niks (hash, erased_at) VALUES (?1, ?2)");
    sqlite3_bind_blob(keep, 1, h, sizeof h, SQLITE_TRANSIENT);
    store__bind_text(keep, 2, erased_at);
    rc = store__done(keep);
    if (rc != STORE_OK)
      return rc;
  }
  STORE__STMT(s, skills, "DELETE FROM resident_skills WHERE resident_id = ?1");
  sqlite3_bind_int64(skills, 1, resident_id);
  rc = store__done(skills);
  if (rc != STORE_OK)
    return rc;
  STORE__STMT(s, history,
              "UPDATE resident_history SET old_value = NULL, new_value = NULL, reason = NULL "
              "WHERE resident_id = ?1");
  sqlite3_bind_int64(history, 1, resident_id);
  rc = store__done(history);
  if (rc != STORE_OK)
    return rc;
  STORE__STMT(s, objections,
              "UPDATE objections SET proposed_value = NULL, reason = NULL, note = NULL "
              "WHERE resident_id = ?1");
  sqlite3_bind_int64(objections, 1, resident_id);
  rc = store__done(objections);
  if (rc != STORE_OK)
    return rc;
  STORE__STMT(s, notes,
              "UPDATE referral_events SET note = NULL WHERE referral_id IN "
              "(SELECT id FROM referrals WHERE resident_id = ?1)");
  sqlite3_bind_int64(notes, 1, resident_id);
  rc = store__done(notes);
  if (rc != STORE_OK)
    return rc;
  return nik[0] != '\0' ? scrub_nik(s, nik) : STORE_OK;
}

int store_gov_checkpoint(struct store *s) {
  int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  return store__rc(rc);
}
