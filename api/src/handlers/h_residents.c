/*
 * h_residents.c — residents over HTTP: the list with its filters, one
 * record, registration, corrections, verification, the history of changes,
 * and a resident's rights under UU PDP (export, erasure), plus the
 * verification queue a kelurahan desk works through and the desk's search
 * for a walk-in by NIK or name (criteria in the body, so a NIK never
 * reaches a URL or a log line; one audit row per search, not per hit).
 *
 * The rules live elsewhere and are only called here: who may touch which
 * resident is access.c's table; what a valid record is, is the DTSEN
 * format's (dtsen.c for a new record, gov.c for a correction, so an API
 * write and a CSV import can never disagree); corrections, verification,
 * export and erasure are gov.h's, each in its own transaction and audited
 * there.  Every answer that shows a resident's personal data first writes
 * a read_resident audit row (access.c); a list writes one row per listed
 * resident, so each resident's access record shows every list they were
 * on.  After a committed write the engine's snapshot is refreshed for that
 * resident, so the next ranking sees it.
 *
 * A new record travels through dtsen_import() as a one-row extract: the
 * import is the one place the DTSEN rules are written down, with their
 * error codes.  Registration takes a process-wide lock between "is this
 * NIK new?" and the import, because the import upserts by NIK and two
 * concurrent registrations of one NIK must give one 201 and one 409, never
 * an update.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "app.h"
#include "dtsen.h"
#include "gov.h"
#include "http.h"
#include "jbuf.h"
#include "json_io.h"
#include "listing.h"
#include "nik.h"
#include "priority.h"

#define ROUTE(m, p, h, who, spec, q)                                                               \
  { .method = m, .pattern = p, .handler = h, .roles = who, .body = spec, .query = q }
#define STAFF (AUTH_ADMIN | AUTH_OFFICER | AUTH_DESK)

/* The DTSEN fields a client may send, in the format's order.  REQ is
 * API_REQUIRED for a new record and 0 for a correction; the optional
 * fields take null for "unknown".  The lengths are generous on purpose:
 * the DTSEN rules then name the precise fault ("nik_length", "enum_value")
 * rather than a bare "too_long". */
/* clang-format off */
#define RESIDENT_ROWS(REQ)                                                    \
  {"nik", API_F_STRING, REQ, 0, 0, 32},                                       \
  {"name", API_F_STRING, REQ, 0, 0, 100},                                     \
  {"sex", API_F_STRING, REQ, 0, 0, 8},                                        \
  {"birth_date", API_F_STRING, REQ, 0, 0, 16},                                \
  {"religion", API_F_STRING, API_NULLABLE, 0, 0, 32},                         \
  {"marital_status", API_F_STRING, API_NULLABLE, 0, 0, 32},                   \
  {"kelurahan_code", API_F_STRING, REQ, 0, 0, 32},                            \
  {"address", API_F_STRING, API_NULLABLE, 0, 0, 200},                         \
  {"phone", API_F_STRING, API_NULLABLE, 0, 0, 32},                            \
  {"education", API_F_STRING, API_NULLABLE, 0, 0, 16},                        \
  {"smk_vocation", API_F_STRING, API_NULLABLE, 0, 0, 32},                     \
  {"desil", API_F_INT, REQ, 1, 10, 0},                                        \
  {"work_status", API_F_STRING, API_NULLABLE, 0, 0, 32},                      \
  {"school_status", API_F_STRING, API_NULLABLE, 0, 0, 32},                    \
  {"months_without_work", API_F_INT, API_NULLABLE, 0, 600, 0},                \
  {"dependants", API_F_INT, API_NULLABLE, 0, 30, 0},                          \
  {"disability", API_F_STRING, API_NULLABLE, 0, 0, 32},                       \
  {"shifts", API_F_ARRAY, API_NULLABLE, 0, 0, 3},                             \
  {"shifts[]", API_F_STRING, 0, 0, 0, 16},                                    \
  {"preferred_vocations", API_F_ARRAY, API_NULLABLE, 0, 0, VOCAB_N_VOCATIONS},\
  {"preferred_vocations[]", API_F_STRING, 0, 0, 0, 32},                       \
  {"skills", API_F_ARRAY, API_NULLABLE, 0, 0, 64},                            \
  {"skills[]", API_F_OBJECT, 0, 0, 0, 0},                                     \
  {"skills[].code", API_F_STRING, API_REQUIRED, 0, 0, 16},                    \
  {"skills[].certified", API_F_BOOL, 0, 0, 0, 0}
/* clang-format on */

static const struct api_field spec_create[] = {
    RESIDENT_ROWS(API_REQUIRED),
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

static const struct api_field spec_correct[] = {
    RESIDENT_ROWS(0),
    {"reason", API_F_STRING, API_REQUIRED, 0, 0, 1000},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

static const struct api_field spec_verify[] = {
    {"date", API_F_STRING, API_NULLABLE, 0, 0, 16},
    {"note", API_F_STRING, API_NULLABLE, 0, 0, 1000},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

static const struct api_field spec_erase[] = {
    {"reason", API_F_STRING, 0, 0, 0, 1000},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

/* ---- Shared plumbing ------------------------------------------------------------ */

static enum MHD_Result store_failed(struct api_req *r, int rc) {
  return api_reply_store(r, rc);
}

/* Age in whole years on today, -1 when the birth date is unknown. */
static int age_on(const char *birth_date, const struct date_ymd *today) {
  struct date_ymd born;
  if (date_parse(birth_date, strlen(birth_date), &born) != 0)
    return -1;
  return date_age(&born, today);
}

/* "verified", "expired" or "never" by the engine's rule. */
static const char *verification_status(int64_t days_since, int validity_days) {
  return days_since < 0 ? "never" : days_since > validity_days ? "expired" : "verified";
}

struct today {
  char iso[11];
  struct date_ymd date;
  int64_t days;
};

static void today_get(struct today *t) {
  t->days = api_today(t->iso);
  date_from_days(t->days, &t->date);
}

static struct gov_actor actor_of(const struct api_req *r) {
  struct api_scope scope;
  api_scope_of(r, &scope);
  struct gov_actor a = {
      .user_id = r->who.user_id,
      .username = r->who.username,
      .role = auth_role_name(r->who.role),
      .route = r->route->pattern,
      .kelurahan_id = scope.kelurahan_id,
  };
  return a;
}

/* The errors of a governance report as a problem's "errors" array:
 * warnings are left out (they were accepted). */
static json_t *report_errors(const struct gov_report *rep) {
  json_t *errors = json_array();
  for (size_t i = 0; errors != NULL && i < rep->n_issues; i++) {
    const struct dtsen_issue *is = &rep->issues[i];
    if (is->warning || json_array_size(errors) >= API_MAX_FIELD_ERRORS)
      continue;
    json_array_append_new(errors,
                          json_pack("{s:s, s:s, s:s, s:s}", "field", is->column, "code", is->code,
                                    "detail_id", is->message_id, "detail_en", is->message_en));
  }
  return errors;
}

/* 1 when the report names code among its errors. */
static int report_has(const struct gov_report *rep, const char *code) {
  for (size_t i = 0; i < rep->n_issues; i++)
    if (!rep->issues[i].warning && strcmp(rep->issues[i].code, code) == 0)
      return 1;
  return 0;
}

/* Replies for a governance call that did not succeed (rep NULL: a call
 * without a report, which cannot be invalid or refused). */
static enum MHD_Result gov_failed(struct api_req *r, int status, const struct gov_report *rep) {
  if (rep == NULL && (status == GOV_EINVALID || status == GOV_EREFUSED))
    return api_reply_problem(r, API_E_INTERNAL);
  switch (status) {
  case GOV_EINVALID:
    return api_reply_problem_errors(
        r, report_has(rep, "nik_duplicate") ? API_E_CONFLICT : API_E_INVALID_INPUT,
        report_errors(rep));
  case GOV_EREFUSED:
    return api_reply_problem_errors(r, API_E_CONFLICT, report_errors(rep));
  case GOV_ENOTFOUND:
    return api_reply_problem(r, API_E_NOT_FOUND);
  case GOV_ENOMEM:
    return api_reply_problem(r, API_E_INTERNAL);
  case GOV_EFULL:
    return api_reply_problem(r, API_E_INSUFFICIENT_STORAGE);
  default: /* rolled back: busy (or failed); nothing was stored */
    api_reply_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "1");
    return api_reply_problem(r, API_E_UNAVAILABLE);
  }
}

/* After a committed write: the engine sees the resident's new state (or
 * its absence).  A failure only delays that until the next rebuild, so it
 * is logged, not answered. */
static void engine_refresh(struct api_req *r, int64_t id) {
  if (api_engine_refresh(r->app, r->db, API_REC_RESIDENT, id) != 0)
    fprintf(stderr, "padan: engine refresh of resident %lld failed\n", (long long)id);
}

/* ---- One record ------------------------------------------------------------------ */

/* The record is read with one statement (store_res_record) and written
 * straight into a buffer (jbuf.h), in the order and with the escapes that
 * json_dumps gave when it was built as a jansson tree: the same bytes, at
 * a fraction of the cost (issue 14).  Skills and interventions arrive
 * before the row is complete, so they are written into buffers of their
 * own and put in their place after. */
struct record {
  struct store_res_record rec;
  struct jbuf skills, interventions;
  int64_t id;
  int read; /* store_res_record has answered (rc) */
  int rc;
};

/* A string that is null when empty. */
static void opt_str(struct jbuf *b, const char *s) {
  jbuf_str(b, s[0] != '\0' ? s : NULL);
}

/* An integer that is null when negative (unknown). */
static void opt_int(struct jbuf *b, int64_t v) {
  if (v >= 0)
    jbuf_int(b, v);
  else
    jbuf_lit(b, "null");
}

/* The elements of a ';'-separated list as a JSON array of strings. */
static void split_list(struct jbuf *b, const char *s) {
  jbuf_lit(b, "[");
  for (int first = 1; *s != '\0'; first = 0) {
    size_t n = strcspn(s, ";");
    if (!first)
      jbuf_lit(b, ",");
    jbuf_strn(b, s, n);
    s += n + (s[n] == ';');
  }
  jbuf_lit(b, "]");
}

/* "status:count;..." as {"status": count, ...}; a status is cut to 31
 * bytes, as the jansson tree's key buffer cut it. */
static void split_counts(struct jbuf *b, const char *s) {
  jbuf_lit(b, "{");
  for (int first = 1; *s != '\0';) {
    size_t n = strcspn(s, ";"), k = strcspn(s, ":");
    if (k < n) {
      if (!first)
        jbuf_lit(b, ",");
      first = 0;
      jbuf_strn(b, s, k < 31 ? k : 31);
      jbuf_lit(b, ":");
      jbuf_int(b, strtoll(s + k + 1, NULL, 10));
    }
    s += n + (s[n] == ';');
  }
  jbuf_lit(b, "}");
}

static int skill_row(void *arg, const struct store_res_skill *k) {
  struct jbuf *b = &((struct record *)arg)->skills;
  jbuf_lit(b, b->len > 0 ? ",{\"code\":" : "{\"code\":");
  jbuf_str(b, k->code);
  jbuf_lit(b, ",\"name_id\":");
  jbuf_str(b, k->name_id);
  jbuf_lit(b, ",\"name_en\":");
  jbuf_str(b, k->name_en);
  jbuf_lit(b, ",\"vocation\":");
  jbuf_str(b, k->vocation);
  jbuf_lit(b, k->certified ? ",\"certified\":true}" : ",\"certified\":false}");
  return b->failed ? STORE_ENOMEM : STORE_OK;
}

static int intervention_row(void *arg, const struct store_gov_intervention_row *iv) {
  struct jbuf *b = &((struct record *)arg)->interventions;
  jbuf_lit(b, b->len > 0 ? ",{\"id\":" : "{\"id\":");
  jbuf_int(b, iv->id);
  jbuf_lit(b, ",\"kind\":");
  jbuf_str(b, iv->kind);
  jbuf_lit(b, ",\"office\":");
  jbuf_str(b, iv->office);
  jbuf_lit(b, ",\"start_date\":");
  jbuf_str(b, iv->start_date);
  jbuf_lit(b, ",\"end_date\":");
  opt_str(b, iv->end_date);
  jbuf_lit(b, ",\"status\":");
  jbuf_str(b, iv->status);
  jbuf_lit(b, "}");
  return b->failed ? STORE_ENOMEM : STORE_OK;
}

/* Reads the record into rd (once); STORE_ENOTFOUND for an erased
 * resident too. */
static int record_read(struct store *db, struct record *rd) {
  if (!rd->read) {
    rd->read = 1;
    rd->rc = store_res_record(db, rd->id, &rd->rec, skill_row, intervention_row, rd);
    if (rd->rc == STORE_OK && rd->rec.g.erased_at[0] != '\0')
      rd->rc = STORE_ENOTFOUND;
  }
  return rd->rc;
}

/* The access check's lookup (api_access_check): the record's own read. */
struct record_lookup {
  struct store *db;
  struct record *rd;
};

static int record_owner(void *arg, struct store_owner *out) {
  const struct record_lookup *l = arg;
  int rc = record_read(l->db, l->rd);
  if (rc == STORE_OK) {
    out->kelurahan_id = l->rd->rec.g.kelurahan_id;
    out->employer_id = -1;
    out->open = 0;
  }
  return rc;
}

static void record_init(struct record *rd, int64_t id) {
  memset(rd, 0, sizeof *rd);
  rd->id = id;
  jbuf_init(&rd->skills);
  jbuf_init(&rd->interventions);
}

static void record_free(struct record *rd) {
  jbuf_free(&rd->skills);
  jbuf_free(&rd->interventions);
}

/* The resident's own fields, "{" up to preferred_vocations. */
static void render_person(struct jbuf *b, const struct store_gov_resident *g,
                          const struct today *t) {
  jbuf_lit(b, "{\"id\":");
  jbuf_int(b, g->id);
  jbuf_lit(b, ",\"nik\":");
  jbuf_str(b, g->nik);
  jbuf_lit(b, ",\"name\":");
  jbuf_str(b, g->name);
  jbuf_lit(b, ",\"sex\":");
  jbuf_str(b, g->sex);
  jbuf_lit(b, ",\"birth_date\":");
  jbuf_str(b, g->birth_date);
  jbuf_lit(b, ",\"age\":");
  opt_int(b, age_on(g->birth_date, &t->date));
  static const struct {
    const char *key;
    size_t off;
  } texts[] = {
      {",\"religion\":", offsetof(struct store_gov_resident, religion)},
      {",\"marital_status\":", offsetof(struct store_gov_resident, marital_status)},
      {",\"kelurahan_code\":", offsetof(struct store_gov_resident, kelurahan_code)},
      {",\"address\":", offsetof(struct store_gov_resident, address)},
      {",\"phone\":", offsetof(struct store_gov_resident, phone)},
      {",\"education\":", offsetof(struct store_gov_resident, education)},
      {",\"smk_vocation\":", offsetof(struct store_gov_resident, smk_vocation)},
  };
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    jbuf_lit(b, texts[i].key);
    opt_str(b, (const char *)g + texts[i].off);
  }
  jbuf_lit(b, ",\"desil\":");
  opt_int(b, g->desil);
  jbuf_lit(b, ",\"work_status\":");
  opt_str(b, g->work_status);
  jbuf_lit(b, ",\"school_status\":");
  opt_str(b, g->school_status);
  jbuf_lit(b, ",\"months_without_work\":");
  opt_int(b, g->months_without_work);
  jbuf_lit(b, ",\"dependants\":");
  opt_int(b, g->dependants);
  jbuf_lit(b, ",\"disability\":");
  opt_str(b, g->disability);
  jbuf_lit(b, ",\"shifts\":");
  split_list(b, g->shifts);
  jbuf_lit(b, ",\"preferred_vocations\":");
  split_list(b, g->preferred_vocations);
}

/* The whole record of rd (read) as JSON: the text (malloc'd, the
 * caller's) and its length, or NULL when out of memory. */
static char *record_render(struct api_req *r, const struct record *rd, size_t *len) {
  const struct store_gov_resident *g = &rd->rec.g;
  struct today t;
  today_get(&t);
  struct mt_config cfg = api_config(r->app);
  struct date_ymd verified;
  int64_t days = date_parse(g->verified_at, strlen(g->verified_at), &verified) == 0
                     ? t.days - date_to_days(&verified)
                     : -1;
  struct jbuf b;
  jbuf_init(&b);
  render_person(&b, g, &t);
  jbuf_lit(&b, ",\"skills\":[");
  jbuf_raw(&b, rd->skills.p, rd->skills.len);
  jbuf_lit(&b, "],\"nik_flag\":");
  opt_str(&b, g->nik_flag);
  jbuf_lit(&b, ",\"verification\":{\"status\":");
  jbuf_str(&b, verification_status(days, cfg.verification_valid_days));
  jbuf_lit(&b, ",\"verified_at\":");
  opt_str(&b, g->verified_at);
  jbuf_lit(&b, ",\"verified_by\":");
  opt_int(&b, g->verified_by);
  jbuf_lit(&b, ",\"note\":");
  opt_str(&b, g->verification_note);
  jbuf_lit(&b, ",\"days_since\":");
  opt_int(&b, days);
  jbuf_lit(&b, "},\"interventions\":[");
  jbuf_raw(&b, rd->interventions.p, rd->interventions.len);
  jbuf_lit(&b, "],\"services\":{\"referrals\":");
  split_counts(&b, rd->rec.services.referrals);
  jbuf_lit(&b, ",\"enrolments\":");
  split_counts(&b, rd->rec.services.enrolments);
  jbuf_lit(&b, "}}");
  if (rd->skills.failed || rd->interventions.failed)
    b.failed = 1;
  return jbuf_take(&b, len);
}

/* Reads and renders resident id's record: STORE_OK with *text (the
 * caller's) and *len, or a store code (STORE_ENOTFOUND for a resident
 * missing or erased). */
static int record_text(struct api_req *r, int64_t id, char **text, size_t *len) {
  struct record rd;
  record_init(&rd, id);
  int rc = record_read(r->db, &rd);
  *text = rc == STORE_OK ? record_render(r, &rd, len) : NULL;
  if (rc == STORE_OK && *text == NULL)
    rc = STORE_ENOMEM;
  record_free(&rd);
  return rc;
}

/* Answers with a record read as rc, text (stolen), after auditing the
 * read. */
static enum MHD_Result reply_audited(struct api_req *r, unsigned status, int64_t id,
                                     const char *purpose, int rc, char *text, size_t len) {
  if (rc == STORE_ENOTFOUND)
    return api_reply_problem(r, API_E_NOT_FOUND);
  if (rc != STORE_OK)
    return store_failed(r, rc);
  if (api_audit_personal(r, id, purpose) != 0) {
    free(text);
    return MHD_YES;
  }
  return api_reply_bytes(r, status, "application/json", text, len);
}

/* Answers with resident id's record after auditing the read. */
static enum MHD_Result reply_record(struct api_req *r, unsigned status, int64_t id,
                                    const char *purpose) {
  char *text = NULL;
  size_t len = 0;
  int rc = record_text(r, id, &text, &len);
  return reply_audited(r, status, id, purpose, rc, text, len);
}

/* The reply to a write that has committed, its audit row with it: the
 * record as it now is, without a second audit row (the write's names the
 * resident), so that nothing after the commit can turn the answer into a
 * failure a client would retry.  Should reading the record back fail, the
 * answer still says what was stored: {"id": id, "stored": true}. */
static enum MHD_Result reply_written(struct api_req *r, unsigned status, int64_t id) {
  r->committed = 1; /* an answer that cannot be encoded stays a 2xx (json_io.h) */
  char *text = NULL;
  size_t len = 0;
  if (record_text(r, id, &text, &len) != STORE_OK) {
    fprintf(stderr, "padan: %s %s: stored, but the record could not be read back\n", r->method,
            r->route->pattern);
    return api_reply_json(r, status, json_pack("{s:I, s:b}", "id", (json_int_t)id, "stored", 1));
  }
  return api_reply_bytes(r, status, "application/json", text, len);
}

/* The resident read's part in the audit group (api_audit_personal_read):
 * run by whichever request leads the group, on the group connection, so
 * it only reads and keeps what it found here. */
struct get_read {
  const struct api_req *r;
  struct record rd;
  enum api_error error; /* when refused */
};

static int get_read(void *arg, struct store *db) {
  struct get_read *g = arg;
  int64_t id = g->rd.id;
  record_free(&g->rd); /* afresh: a failed group runs this again */
  record_init(&g->rd, id);
  struct record_lookup l = {.db = db, .rd = &g->rd};
  /* every rule that admits a reader looks the owner up, which is the
   * record's own read (record_owner): admitted, the record is read */
  return api_access_check(g->r, API_O_RESIDENT, API_READ, record_owner, &l, &g->error);
}

static enum MHD_Result h_get(struct api_req *r) {
  /* The scope check, the record (one statement) and the audit row are one
   * transaction of the audit's group, on its connection, whose pages the
   * audit's commits leave in memory (auditq.h).  Nothing is read on the
   * request's own connection. */
  struct get_read g = {.r = r};
  /* a role that may never read residents is refused before the group
   * (whose transaction takes the write lock) */
  if (api_access_refused(r, API_O_RESIDENT, API_READ, &g.error))
    return api_reply_problem(r, g.error);
  record_init(&g.rd, r->id[0]);
  enum MHD_Result ret = MHD_YES;
  int audited = api_audit_personal_read(r, r->id[0], "view", get_read, &g);
  if (audited > 0) {
    ret = api_reply_problem(r, g.error);
  } else if (audited == 0) {
    size_t len = 0;
    char *text = record_render(r, &g.rd, &len);
    ret = text != NULL ? api_reply_bytes(r, MHD_HTTP_OK, "application/json", text, len)
                       : store_failed(r, STORE_ENOMEM);
  }
  record_free(&g.rd);
  return ret;
}

/* ---- Lists ------------------------------------------------------------------------ */

static const char *const status_values[] = {
    "neet", "working", "unemployed", "not_in_labour_force", "in_school", NULL};
static const char *const verification_values[] = {"verified", "expired", "never", "due", NULL};

struct list_state {
  json_t *items;
  int64_t ids[API_LIST_MAX];
  size_t n;
  struct today today;
  int validity_days;
  int queue; /* the verification queue's item shape */
};

static int summary_row(void *arg, const struct store_res_summary *s) {
  struct list_state *l = arg;
  json_t *o;
  if (l->n >= API_LIST_MAX) /* the page's LIMIT keeps it from happening */
    return STORE_ENOMEM;
  if (l->queue)
    o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:o, s:o}", "id", (json_int_t)s->id, "nik",
                  s->nik, "name", s->name, "kelurahan_code", s->kelurahan_code, "desil",
                  api_json_opt_int(s->desil), "verification",
                  verification_status(s->verified_days, l->validity_days), "verified_at",
                  api_json_opt_string(s->verified_at), "days_since_verification",
                  api_json_opt_int(s->verified_days));
  else
    o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o}", "id", (json_int_t)s->id, "nik",
                  s->nik, "name", s->name, "kelurahan_code", s->kelurahan_code, "age",
                  api_json_opt_int(age_on(s->birth_date, &l->today.date)), "desil",
                  api_json_opt_int(s->desil), "education", api_json_opt_string(s->education),
                  "verification", verification_status(s->verified_days, l->validity_days),
                  "verified_at", api_json_opt_string(s->verified_at));
  if (o == NULL || json_array_append_new(l->items, o) != 0)
    return STORE_ENOMEM;
  l->ids[l->n++] = s->id;
  return 0;
}

/* A code query parameter resolved to an id: 0 (absent leaves *id), or -1
 * with the 400 naming it queued. */
static int query_code(struct api_req *r, const char *name, enum store_table table, int64_t *id) {
  const char *code = api_query(r, name);
  if (code == NULL)
    return 0;
  int rc = table == STORE_T_KECAMATAN ? store_kecamatan_id(r->db, code, id)
                                      : store_id_by_code(r->db, table, code, id);
  if (rc == STORE_OK)
    return 0;
  if (rc != STORE_ENOTFOUND) {
    store_failed(r, rc);
    return -1;
  }
  json_t *errors =
      json_pack("[{s:s, s:s, s:s, s:s}]", "field", name, "code", "unknown_code", "detail_id",
                "Tidak ada wilayah dengan kode ini.", "detail_en", "No area has this code.");
  api_reply_problem_errors(r, API_E_INVALID_INPUT, errors);
  return -1;
}

/* The ids of the priority kelurahan today as a JSON array text (malloc'd,
 * the caller frees), or NULL with a reply queued. */
static char *priority_ids(struct api_req *r, const struct today *t) {
  struct mt_config cfg = api_config(r->app);
  struct priority_kelurahan *rows = NULL;
  size_t n = 0;
  char *text = NULL;
  json_t *ids = json_array();
  int rc = ids != NULL ? priority_compute(r->db, &cfg, t->iso, &rows, &n) : STORE_ENOMEM;
  for (size_t i = 0; rc == STORE_OK && i < n; i++)
    if (rows[i].priority)
      json_array_append_new(ids, json_integer((json_int_t)rows[i].k.id));
  if (rc == STORE_OK)
    text = json_dumps(ids, JSON_COMPACT);
  if (text == NULL)
    store_failed(r, rc == STORE_OK ? STORE_ENOMEM : rc);
  json_decref(ids);
  free(rows);
  return text;
}

/* Runs a resident list with filter f (scope applied here), audits every
 * listed resident and replies with the page. */
static enum MHD_Result list_reply(struct api_req *r, struct store_res_filter *f,
                                  const struct api_page *page, struct list_state *l,
                                  const char *purpose) {
  struct api_scope scope;
  api_scope_of(r, &scope);
  struct mt_config cfg = api_config(r->app);
  l->items = json_array();
  l->validity_days = cfg.verification_valid_days;
  f->today = l->today.iso;
  f->validity_days = cfg.verification_valid_days;
  f->min_age = cfg.min_age;
  f->max_age = cfg.max_age;
  f->after = page->after;
  f->limit = page->limit;
  int rc = l->items != NULL ? STORE_OK : STORE_ENOMEM;
  /* a desk filtering on another kelurahan simply finds nobody */
  int outside =
      scope.kelurahan_id >= 0 && f->kelurahan_id >= 0 && f->kelurahan_id != scope.kelurahan_id;
  if (scope.kelurahan_id >= 0)
    f->kelurahan_id = scope.kelurahan_id;
  if (rc == STORE_OK && !outside)
    rc = store_res_list(r->db, f, summary_row, l);
  if (rc != STORE_OK) {
    json_decref(l->items);
    return store_failed(r, rc);
  }
  if (api_audit_personal_each(r, l->ids, l->n, purpose) != 0) {
    json_decref(l->items);
    return MHD_YES;
  }
  return api_reply_json(r, MHD_HTTP_OK,
                        api_page_body(l->items, page, l->n > 0 ? l->ids[l->n - 1] : 0));
}

static enum MHD_Result h_list(struct api_req *r) {
  struct api_page page;
  struct store_res_filter f = {.kelurahan_id = -1, .kecamatan_id = -1, .priority = -1};
  int status = -1, verification = -1;
  if (api_page_parse(r, &page) != 0 ||
      query_code(r, "kelurahan", STORE_T_KELURAHAN, &f.kelurahan_id) != 0 ||
      query_code(r, "kecamatan", STORE_T_KECAMATAN, &f.kecamatan_id) != 0 ||
      api_query_enum(r, "status", status_values, &status) != 0 ||
      api_query_enum(r, "verification", verification_values, &verification) != 0 ||
      api_query_bool(r, "priority", &f.priority) != 0)
    return MHD_YES;
  f.status = (enum store_res_status)(status + 1);
  f.verification = (enum store_res_verification)(verification + 1);

  struct list_state *l = calloc(1, sizeof *l);
  if (l == NULL)
    return api_reply_problem(r, API_E_INTERNAL);
  today_get(&l->today);
  char *prio = NULL;
  enum MHD_Result ret = MHD_YES;
  if (f.priority >= 0 && (prio = priority_ids(r, &l->today)) == NULL)
    goto cleanup;
  f.priority_ids = prio;
  ret = list_reply(r, &f, &page, l, "list");
cleanup:
  free(prio);
  free(l);
  return ret;
}

static enum MHD_Result h_queue(struct api_req *r) {
  struct api_page page;
  struct store_res_filter f = {
      .kelurahan_id = -1, .kecamatan_id = -1, .priority = -1, .verification = STORE_VERIF_DUE};
  if (api_page_parse(r, &page) != 0 ||
      query_code(r, "kelurahan", STORE_T_KELURAHAN, &f.kelurahan_id) != 0)
    return MHD_YES;
  struct list_state *l = calloc(1, sizeof *l);
  if (l == NULL)
    return api_reply_problem(r, API_E_INTERNAL);
  l->queue = 1;
  today_get(&l->today);
  enum MHD_Result ret = list_reply(r, &f, &page, l, "verification_queue");
  free(l);
  return ret;
}

/* ---- Search (the desk's walk-in) ----------------------------------------------------------- */

static const struct api_field spec_search[] = {
    {"nik", API_F_STRING, 0, 0, 0, 32},
    {"name", API_F_STRING, 0, 0, 0, 100},
    {"kelurahan", API_F_STRING, 0, 0, 0, 32},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

struct search_state {
  json_t *items;
  struct today today;
  int64_t last;
  size_t n;
};

/* "RT 003/RW 005" in an address as "003/005" into out, else "". */
static void rt_rw_of(const char *address, char *out, size_t size) {
  const char *rt = strstr(address, "RT "), *rw = strstr(address, "RW ");
  out[0] = '\0';
  if (rt != NULL && rw != NULL)
    snprintf(out, size, "%.*s/%.*s", (int)strspn(rt + 3, "0123456789"), rt + 3,
             (int)strspn(rw + 3, "0123456789"), rw + 3);
}

/* The street of an address without the house number and RT/RW ("Jl.
 * Melati"): enough to tell two people of one name apart, not to find the
 * house. */
static void address_hint_of(const char *address, char *out, size_t size) {
  size_t n = strcspn(address, ",");
  const char *no = strstr(address, " No.");
  if (no != NULL && (size_t)(no - address) < n)
    n = (size_t)(no - address);
  snprintf(out, size, "%.*s", (int)n, address);
}

static int hit_row(void *arg, const struct store_res_hit *h) {
  struct search_state *st = arg;
  char rt_rw[24], hint[128];
  rt_rw_of(h->address, rt_rw, sizeof rt_rw);
  address_hint_of(h->address, hint, sizeof hint);
  json_t *o =
      json_pack("{s:I, s:s, s:o, s:o, s:o, s:{s:s, s:s}}", "id", (json_int_t)h->id, "name", h->name,
                "age", api_json_opt_int(age_on(h->birth_date, &st->today.date)), "rt_rw",
                api_json_opt_string(rt_rw), "address_hint", api_json_opt_string(hint), "kelurahan",
                "code", h->kelurahan_code, "name", h->kelurahan_name);
  if (o == NULL || json_array_append_new(st->items, o) != 0)
    return STORE_ENOMEM;
  st->last = h->id;
  st->n++;
  return 0;
}

/* The one criterion a search takes; 0, or -1 with the 400 naming the
 * field queued. */
static int search_criteria(struct api_req *r, const char **nik, const char **name) {
  *nik = api_body_string(r, "nik");
  *name = api_body_string(r, "name");
  const char *field = NULL, *id = NULL, *en = NULL, *code = "required";
  if ((*nik == NULL) == (*name == NULL)) {
    field = *nik == NULL ? "nik" : "name";
    id = "Isi NIK atau nama (salah satu saja).";
    en = "Give either a NIK or a name (one of them).";
  } else if (*nik != NULL && (strlen(*nik) != 16 || strspn(*nik, "0123456789") != 16)) {
    field = "nik", code = "nik_length";
    id = "NIK harus 16 angka.";
    en = "A NIK is 16 digits.";
  } else if (*name != NULL && strlen(*name) < 3) {
    field = "name", code = "too_short";
    id = "Tulis paling sedikit 3 huruf nama.";
    en = "Write at least 3 letters of the name.";
  } else if (*nik != NULL && api_body_get(r, "kelurahan") != NULL) {
    field = "kelurahan", code = "not_allowed";
    id = "Pencarian NIK tidak memakai kelurahan.";
    en = "A NIK search takes no kelurahan.";
  }
  if (field == NULL)
    return 0;
  api_reply_problem_errors(r, API_E_INVALID_INPUT,
                           json_pack("[{s:s, s:s, s:s, s:s}]", "field", field, "code", code,
                                     "detail_id", id, "detail_en", en));
  return -1;
}

static enum MHD_Result h_search(struct api_req *r) {
  struct api_page page;
  const char *nik, *name;
  struct store_res_search f = {.kelurahan_id = -1};
  if (api_page_parse(r, &page) != 0 || search_criteria(r, &nik, &name) != 0)
    return MHD_YES;
  const char *code = api_body_string(r, "kelurahan");
  if (code != NULL) {
    int rc = store_id_by_code(r->db, STORE_T_KELURAHAN, code, &f.kelurahan_id);
    if (rc == STORE_ENOTFOUND)
      return api_reply_problem_errors(r, API_E_INVALID_INPUT,
                                      json_pack("[{s:s, s:s, s:s, s:s}]", "field", "kelurahan",
                                                "code", "unknown_code", "detail_id",
                                                "Tidak ada wilayah dengan kode ini.", "detail_en",
                                                "No area has this code."));
    if (rc != STORE_OK)
      return store_failed(r, rc);
  }
  /* a desk searches its own kelurahan only; asking for another finds nobody */
  struct api_scope scope;
  api_scope_of(r, &scope);
  int outside =
      scope.kelurahan_id >= 0 && f.kelurahan_id >= 0 && f.kelurahan_id != scope.kelurahan_id;
  if (scope.kelurahan_id >= 0)
    f.kelurahan_id = scope.kelurahan_id;
  f.nik = nik;
  f.name = name;
  f.after = page.after;
  f.limit = page.limit;
  struct search_state st = {.items = json_array()};
  today_get(&st.today);
  int rc = st.items != NULL ? STORE_OK : STORE_ENOMEM;
  if (rc == STORE_OK && !outside)
    rc = store_res_search(r->db, &f, hit_row, &st);
  if (rc != STORE_OK) {
    json_decref(st.items);
    return store_failed(r, rc);
  }
  char detail[64];
  snprintf(detail, sizeof detail, "by %s, %zu hit%s", nik != NULL ? "nik" : "name", st.n,
           st.n == 1 ? "" : "s");
  if (api_audit_search(r, detail) != 0) {
    json_decref(st.items);
    return MHD_YES;
  }
  return api_reply_json(r, MHD_HTTP_OK, api_page_body(st.items, &page, st.last));
}

/* ---- Registration ------------------------------------------------------------------ */

/* Appends one CSV field (RFC 4180 quoting) and a separator; -1 when buf is
 * full. */
static int csv_put(char *buf, size_t cap, size_t *used, const char *v, char sep) {
  int quote = strpbrk(v, ",\"\r\n") != NULL;
  size_t need = strlen(v) * 2 + 4;
  if (*used + need >= cap)
    return -1;
  char *p = buf + *used;
  if (quote)
    *p++ = '"';
  for (; *v != '\0'; v++) {
    if (*v == '"')
      *p++ = '"';
    *p++ = *v;
  }
  if (quote)
    *p++ = '"';
  *p++ = sep;
  *p = '\0';
  *used = (size_t)(p - buf);
  return 0;
}

/* A body field as DTSEN text into out: strings as they are, integers in
 * decimal, arrays joined by ';' (skills as CODE or CODE*), absent or null
 * as "" (unknown).  An element holding a separator cannot be a valid value:
 * it is reported in errors under its path instead of being joined. */
static void field_text(const json_t *v, const char *name, char *out, size_t cap, json_t *errors) {
  out[0] = '\0';
  if (json_is_string(v)) {
    snprintf(out, cap, "%s", json_string_value(v));
  } else if (json_is_integer(v)) {
    snprintf(out, cap, "%lld", (long long)json_integer_value(v));
  } else if (json_is_array(v)) {
    size_t i, used = 0;
    const json_t *el;
    json_array_foreach(v, i, el) {
      int skill = json_is_object(el);
      const char *s = json_string_value(skill ? json_object_get(el, "code") : el);
      int certified = skill && json_is_true(json_object_get(el, "certified"));
      if (s == NULL || strpbrk(s, ";*") != NULL || s[0] == '\0') {
        char path[96];
        snprintf(path, sizeof path, skill ? "%s[%zu].code" : "%s[%zu]", name, i);
        json_array_append_new(errors, json_pack("{s:s, s:s, s:s, s:s}", "field", path, "code",
                                                skill ? API_FE_SKILL_UNKNOWN : API_FE_ENUM_VALUE,
                                                "detail_id", "Nilai ini tidak dikenal.",
                                                "detail_en", "This value is not recognised."));
        continue;
      }
      int w =
          snprintf(out + used, cap - used, "%s%s%s", used > 0 ? ";" : "", s, certified ? "*" : "");
      if (w > 0 && (size_t)w < cap - used)
        used += (size_t)w;
    }
  }
}

/* The one-row extract for body (a record that passed spec_create) into
 * buf; 0, or -1 with errors appended. */
static int extract_of(const json_t *body, char *buf, size_t cap, json_t *errors) {
  size_t used = 0;
  char value[2048];
  for (size_t c = 0; c < DTSEN_N_COLUMNS; c++)
    if (csv_put(buf, cap, &used, dtsen_columns[c], c + 1 < DTSEN_N_COLUMNS ? ',' : '\n') != 0)
      return -1;
  size_t before = json_array_size(errors);
  for (size_t c = 0; c < DTSEN_N_COLUMNS; c++) {
    const char *col = dtsen_columns[c];
    if (strcmp(col, "synthetic") == 0)
      snprintf(value, sizeof value, "0");
    else
      field_text(json_object_get(body, col), col, value, sizeof value, errors);
    if (csv_put(buf, cap, &used, value, c + 1 < DTSEN_N_COLUMNS ? ',' : '\n') != 0)
      return -1;
  }
  return json_array_size(errors) > before ? -1 : 0;
}

static json_t *import_errors(const struct dtsen_report *rep) {
  json_t *errors = json_array();
  for (size_t i = 0; errors != NULL && i < rep->n_issues; i++) {
    const struct dtsen_issue *is = &rep->issues[i];
    if (!is->warning && json_array_size(errors) < API_MAX_FIELD_ERRORS)
      json_array_append_new(errors,
                            json_pack("{s:s, s:s, s:s, s:s}", "field", is->column, "code", is->code,
                                      "detail_id", is->message_id, "detail_en", is->message_en));
  }
  return errors;
}

static pthread_mutex_t register_lock = PTHREAD_MUTEX_INITIALIZER;

static enum MHD_Result h_create(struct api_req *r) {
  enum MHD_Result ret;
  struct dtsen_report rep = {0};
  json_t *errors = json_array();
  char *csv = malloc(16384);
  const char *nik = api_body_string(r, "nik");
  int64_t kelurahan = -1, id = -1;
  if (errors == NULL || csv == NULL) {
    ret = api_reply_problem(r, API_E_INTERNAL);
    goto cleanup;
  }
  if (extract_of(r->body, csv, 16384, errors) != 0) {
    ret = api_reply_problem_errors(r, API_E_INVALID_INPUT, json_incref(errors));
    goto cleanup;
  }
  /* A desk registers residents of its own kelurahan only. */
  int rc =
      store_id_by_code(r->db, STORE_T_KELURAHAN, api_body_string(r, "kelurahan_code"), &kelurahan);
  if (rc != STORE_OK && rc != STORE_ENOTFOUND) {
    ret = store_failed(r, rc);
    goto cleanup;
  }
  struct api_scope scope;
  api_scope_of(r, &scope);
  if (scope.kelurahan_id >= 0 && rc == STORE_OK && kelurahan != scope.kelurahan_id) {
    ret = api_reply_problem_detail(
        r, API_E_FORBIDDEN, "Loket kelurahan hanya dapat mendaftarkan penduduk kelurahannya.",
        "A kelurahan desk may register residents of its own kelurahan only.");
    goto cleanup;
  }

  pthread_mutex_lock(&register_lock);
  rc = store_gov_resident_by_nik(r->db, nik, &id);
  int status = DTSEN_ESTORE;
  if (rc == STORE_ENOTFOUND)
    status = dtsen_import(r->db, csv, strlen(csv), NULL, &rep);
  pthread_mutex_unlock(&register_lock);

  if (rc == STORE_OK) {
    json_t *e = json_pack("[{s:s, s:s, s:s, s:s}]", "field", "nik", "code", "nik_exists",
                          "detail_id", "Penduduk dengan NIK ini sudah terdaftar.", "detail_en",
                          "A resident with this NIK is already registered.");
    ret = api_reply_problem_errors(r, API_E_CONFLICT, e);
    goto cleanup;
  }
  if (rc != STORE_ENOTFOUND) {
    ret = store_failed(r, rc);
    goto cleanup;
  }
  if (status == DTSEN_EINVALID) {
    ret = api_reply_problem_errors(r, API_E_INVALID_INPUT, import_errors(&rep));
    goto cleanup;
  }
  if (status == DTSEN_OK && rep.erased > 0) {
    /* an erased resident is not registered again from the desk either */
    json_t *e =
        json_pack("[{s:s, s:s, s:s, s:s}]", "field", "nik", "code", "nik_erased", "detail_id",
                  "Data penduduk dengan NIK ini sudah dihapus atas permintaannya.", "detail_en",
                  "This resident's data was erased at their request.");
    ret = api_reply_problem_errors(r, API_E_CONFLICT, e);
    goto cleanup;
  }
  if (status != DTSEN_OK || (rc = store_gov_resident_by_nik(r->db, nik, &id)) != STORE_OK) {
    ret = api_reply_problem(r, status == DTSEN_ENOMEM ? API_E_INTERNAL : API_E_UNAVAILABLE);
    goto cleanup;
  }
  struct store_audit a = {.user_id = r->who.user_id,
                          .username = r->who.username,
                          .role = auth_role_name(r->who.role),
                          .action = "create_resident",
                          .route = r->route->pattern,
                          .resident_id = id};
  if (store_audit_add(r->db, &a) != STORE_OK)
    fprintf(stderr, "padan: audit of new resident %lld failed\n", (long long)id);
  engine_refresh(r, id);
  api_reply_header(r, "Location", "/v1/residents/%lld", (long long)id);
  /* committed with its audit row: nothing after this may answer a failure */
  ret = reply_written(r, MHD_HTTP_CREATED, id);
cleanup:
  dtsen_report_free(&rep);
  json_decref(errors);
  free(csv);
  return ret;
}

/* ---- Corrections and verification ---------------------------------------------------- */

/* Fields DTSEN owns: a desk may not change them (a walk-in resident who
 * disputes one goes through DTSEN's own objection channel); officers and
 * admins may, with a reason and history like any correction. */
static const char *const dtsen_owned[] = {"nik", "desil", "birth_date", "sex", NULL};

/* A 403 naming every DTSEN-owned field in a desk's correction; 0 when
 * there is none (nothing queued). */
static int refuse_dtsen_owned(struct api_req *r) {
  if (api_may(r, API_P_DTSEN_FIELDS))
    return 0;
  json_t *errors = json_array();
  for (size_t i = 0; errors != NULL && dtsen_owned[i] != NULL; i++)
    if (json_object_get(r->body, dtsen_owned[i]) != NULL)
      json_array_append_new(
          errors,
          json_pack("{s:s, s:s, s:s, s:s}", "field", dtsen_owned[i], "code", "dtsen_owned",
                    "detail_id", "Kolom ini milik DTSEN; loket kelurahan tidak dapat mengubahnya.",
                    "detail_en", "DTSEN owns this field; a kelurahan desk cannot change it."));
  if (errors == NULL) {
    api_reply_problem(r, API_E_INTERNAL);
    return -1;
  }
  if (json_array_size(errors) == 0) {
    json_decref(errors);
    return 0;
  }
  api_reply_problem_errors(r, API_E_FORBIDDEN, errors);
  return -1;
}

static enum MHD_Result h_correct(struct api_req *r) {
  if (api_authorize(r, API_O_RESIDENT, r->id[0], API_WRITE) != 0)
    return MHD_YES;
  if (refuse_dtsen_owned(r) != 0)
    return MHD_YES;
  /* A desk may not move a resident out of its own kelurahan. */
  const char *kel_code = api_body_string(r, "kelurahan_code");
  int64_t kel = -1;
  struct api_scope scope;
  api_scope_of(r, &scope);
  if (scope.kelurahan_id >= 0 && kel_code != NULL &&
      store_id_by_code(r->db, STORE_T_KELURAHAN, kel_code, &kel) == STORE_OK &&
      kel != scope.kelurahan_id)
    return api_reply_problem_detail(
        r, API_E_FORBIDDEN, "Loket kelurahan tidak dapat memindahkan penduduk ke kelurahan lain.",
        "A kelurahan desk may not move a resident to another kelurahan.");

  enum MHD_Result ret;
  struct gov_report rep = {0};
  size_t n = 0, cap = json_object_size(r->body);
  struct gov_change *changes = calloc(cap + 1, sizeof *changes);
  char *texts = malloc((cap + 1) * 2048);
  json_t *errors = json_array();
  if (changes == NULL || texts == NULL || errors == NULL) {
    ret = api_reply_problem(r, API_E_INTERNAL);
    goto cleanup;
  }
  const char *key;
  json_t *v;
  json_object_foreach(r->body, key, v) {
    if (strcmp(key, "reason") == 0)
      continue;
    char *text = texts + n * 2048;
    field_text(v, key, text, 2048, errors);
    changes[n].field = key;
    changes[n].value = text;
    n++;
  }
  if (json_array_size(errors) > 0) {
    ret = api_reply_problem_errors(r, API_E_INVALID_INPUT, json_incref(errors));
    goto cleanup;
  }
  struct gov_actor by = actor_of(r);
  int status = gov_correct(r->db, r->id[0], &by, changes, n, api_body_string(r, "reason"), &rep);
  if (status != GOV_OK) {
    ret = gov_failed(r, status, &rep);
    goto cleanup;
  }
  if (rep.committed)
    engine_refresh(r, r->id[0]);
  api_reply_header(r, "X-Padan-Changed-Fields", "%zu", rep.committed ? rep.updated : (size_t)0);
  /* nothing changed: nothing was written, and the reply is an audited read */
  ret = rep.committed ? reply_written(r, MHD_HTTP_OK, r->id[0])
                      : reply_record(r, MHD_HTTP_OK, r->id[0], "correct");
cleanup:
  gov_report_free(&rep);
  json_decref(errors);
  free(changes);
  free(texts);
  return ret;
}

static enum MHD_Result h_verify(struct api_req *r) {
  if (api_authorize(r, API_O_RESIDENT, r->id[0], API_STATUS) != 0)
    return MHD_YES;
  struct gov_report rep = {0};
  struct gov_actor by = actor_of(r);
  int status = gov_verify(r->db, r->id[0], &by, api_body_string(r, "date"),
                          api_body_string(r, "note"), &rep);
  enum MHD_Result ret;
  if (status != GOV_OK) {
    ret = gov_failed(r, status, &rep);
  } else {
    engine_refresh(r, r->id[0]);
    ret = reply_written(r, MHD_HTTP_OK, r->id[0]);
  }
  gov_report_free(&rep);
  return ret;
}

/* ---- History, export, erasure ------------------------------------------------------------ */

static int history_row(void *arg, const struct store_gov_history *h) {
  json_t *o = json_pack(
      "{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)h->id, "at", h->at, "field",
      h->field, "by_user", api_json_opt_int(h->by_user), "by_username",
      api_json_opt_string(h->by_username), "old_value", api_json_opt_string(h->old_value),
      "new_value", api_json_opt_string(h->new_value), "reason", api_json_opt_string(h->reason));
  return o != NULL && json_array_append_new(arg, o) == 0 ? 0 : STORE_ENOMEM;
}

static enum MHD_Result h_history(struct api_req *r) {
  if (api_authorize(r, API_O_RESIDENT, r->id[0], API_READ) != 0)
    return MHD_YES;
  json_t *items = json_array();
  int rc =
      items != NULL ? store_gov_history_each(r->db, r->id[0], history_row, items) : STORE_ENOMEM;
  if (rc != STORE_OK) {
    json_decref(items);
    return store_failed(r, rc);
  }
  if (api_audit_personal(r, r->id[0], "history") != 0) {
    json_decref(items);
    return MHD_YES;
  }
  return api_reply_json(
      r, MHD_HTTP_OK, json_pack("{s:I, s:o}", "resident_id", (json_int_t)r->id[0], "items", items));
}

static enum MHD_Result h_export(struct api_req *r) {
  if (api_authorize(r, API_O_RESIDENT, r->id[0], API_READ) != 0)
    return MHD_YES;
  struct gov_actor by = actor_of(r);
  json_t *doc = NULL;
  int status = gov_export_resident(r->db, r->id[0], &by, "export", &doc);
  if (status != GOV_OK)
    return gov_failed(r, status, NULL);
  api_reply_header(r, "Content-Disposition", "attachment; filename=\"resident-%lld.json\"",
                   (long long)r->id[0]);
  return api_reply_json(r, MHD_HTTP_OK, doc);
}

static enum MHD_Result h_erase(struct api_req *r) {
  if (api_authorize(r, API_O_RESIDENT, r->id[0], API_WRITE) != 0)
    return MHD_YES;
  const char *in_body = api_body_string(r, "reason"), *in_query = api_query(r, "reason");
  if ((in_body == NULL) == (in_query == NULL)) {
    json_t *e = json_pack(
        "[{s:s, s:s, s:s, s:s}]", "field", "reason", "code", "required", "detail_id",
        "Alasan wajib diisi, di isi permintaan atau parameter reason (satu saja).", "detail_en",
        "A reason is required, in the body or the reason parameter (one of them).");
    return api_reply_problem_errors(r, API_E_INVALID_INPUT, e);
  }
  struct gov_report rep = {0};
  struct gov_actor by = actor_of(r);
  int status = gov_erase_resident(r->db, r->id[0], &by, in_body != NULL ? in_body : in_query, &rep);
  enum MHD_Result ret;
  if (status != GOV_OK) {
    ret = gov_failed(r, status, &rep);
  } else {
    engine_refresh(r, r->id[0]);
    ret = api_reply_empty(r, MHD_HTTP_NO_CONTENT);
  }
  gov_report_free(&rep);
  return ret;
}

static const char *const list_query[] = {"limit",  "cursor",   "kelurahan",    "kecamatan",
                                         "status", "priority", "verification", NULL};
static const char *const queue_query[] = {"limit", "cursor", "kelurahan", NULL};
static const char *const erase_query[] = {"reason", NULL};

const struct api_route api_routes_residents[] = {
    ROUTE("GET", "/v1/residents", h_list, STAFF, NULL, list_query),
    ROUTE("POST", "/v1/residents", h_create, AUTH_OFFICER | AUTH_DESK, spec_create, NULL),
    ROUTE("POST", "/v1/residents/search", h_search, STAFF, spec_search, api_page_query),
    ROUTE("GET", "/v1/residents/{id}", h_get, STAFF, NULL, NULL),
    ROUTE("PATCH", "/v1/residents/{id}", h_correct, STAFF, spec_correct, NULL),
    ROUTE("DELETE", "/v1/residents/{id}", h_erase, AUTH_ADMIN, spec_erase, erase_query),
    ROUTE("POST", "/v1/residents/{id}/verification", h_verify, AUTH_OFFICER | AUTH_DESK,
          spec_verify, NULL),
    ROUTE("GET", "/v1/residents/{id}/history", h_history, STAFF, NULL, NULL),
    ROUTE("GET", "/v1/residents/{id}/export", h_export, STAFF, NULL, NULL),
    ROUTE("GET", "/v1/verification-queue", h_queue, STAFF, NULL, queue_query),
    {.method = NULL},
};
