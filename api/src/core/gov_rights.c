/*
 * gov_rights.c — a resident's rights under the data protection law (UU
 * PDP): the export of everything stored about them, with their access
 * record, and the erasure of their personal data (see gov.h and
 * docs/GOVERNANCE.md).
 */
#include "gov_int.h"

#include "issues.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* ---- Export
 * ---------------------------------------------------------------------------------------- */

static json_t *cells_object(const struct store_gov_cell *cells, size_t n) {
  json_t *o = json_object();
  for (size_t i = 0; o != NULL && i < n; i++) {
    const struct store_gov_cell *c = &cells[i];
    json_t *v = c->type == STORE_GOV_INT    ? json_integer((json_int_t)c->i)
                : c->type == STORE_GOV_REAL ? json_real(c->d)
                : c->type == STORE_GOV_TEXT ? json_string(c->text)
                                            : json_null();
    /* a text that is not UTF-8 is kept, as bytes escaped by jansson */
    if (v == NULL && c->type == STORE_GOV_TEXT)
      v = json_stringn_nocheck(c->text, strlen(c->text));
    if (v == NULL || json_object_set_new(o, c->name, v) != 0) {
      json_decref(o);
      o = NULL;
    }
  }
  return o;
}

static int append_row(void *arg, const struct store_gov_cell *cells, size_t n) {
  json_t *o = cells_object(cells, n);
  if (o == NULL || json_array_append_new(arg, o) != 0)
    return STORE_ENOMEM;
  return 0;
}

int gov_export_resident(struct store *s, int64_t resident_id, const struct gov_actor *by,
                        const char *purpose, struct json_t **out) {
  static const struct {
    const char *key;
    enum store_gov_part part;
  } parts[] = {{"resident", STORE_GOV_RESIDENT},     {"skills", STORE_GOV_SKILLS},
               {"history", STORE_GOV_HISTORY},       {"interventions", STORE_GOV_INTERVENTIONS},
               {"referrals", STORE_GOV_REFERRALS},   {"referral_events", STORE_GOV_REFERRAL_EVENTS},
               {"enrolments", STORE_GOV_ENROLMENTS}, {"access_record", STORE_GOV_ACCESS}};
  *out = NULL;
  char now[21];
  store_now_iso(now);
  json_t *root = json_pack("{s:s, s:s, s:I}", "format", "padan-resident-export/1", "exported_at",
                           now, "resident_id", (json_int_t)resident_id);
  if (root == NULL)
    return GOV_ENOMEM;
  if (store_begin(s) != STORE_OK) {
    json_decref(root);
    return GOV_ESTORE;
  }
  int status = gov__in_scope(s, by, resident_id);
  if (status == GOV_OK)
    status = gov__rc(gov__audit(s, by, "export_resident", resident_id, purpose, NULL));
  for (size_t i = 0; status == GOV_OK && i < sizeof parts / sizeof parts[0]; i++) {
    json_t *rows = json_array();
    if (rows == NULL) {
      status = GOV_ENOMEM;
      break;
    }
    status = gov__rc(store_gov_export_each(s, parts[i].part, resident_id, append_row, rows));
    if (status != GOV_OK) {
      json_decref(rows);
      break;
    }
    json_t *value = rows;
    if (parts[i].part == STORE_GOV_RESIDENT) {
      value = json_incref(json_array_get(rows, 0));
      json_decref(rows);
      if (value == NULL) {
        status = GOV_ENOTFOUND;
        break;
      }
    }
    /* set_new takes the reference even when it fails */
    if (json_object_set_new(root, parts[i].key, value) != 0)
      status = GOV_ENOMEM;
  }
  if (status == GOV_OK)
    status = gov__rc(store_commit(s));
  if (status != GOV_OK) {
    store_rollback(s);
    json_decref(root);
    return status;
  }
  *out = root;
  return GOV_OK;
}

/* ---- Erasure
 * ------------------------------------------------------------------------------------------ */

int gov_erase_resident(struct store *s, int64_t resident_id, const struct gov_actor *by,
                       const char *reason, struct gov_report *rep) {
  gov__report_init(rep);
  rep->rows = 1;
  if (!gov__check_free_text(rep, "reason", reason, 1, MAX_NOTE))
    return gov__finish(rep, GOV_EINVALID);
  if (store_begin(s) != STORE_OK)
    return gov__finish(rep, GOV_ESTORE);
  int status = gov__in_scope(s, by, resident_id);
  struct store_gov_holds h = {0};
  if (status == GOV_OK)
    status = gov__rc(store_gov_erase_holds(s, resident_id, &h));
  if (status != GOV_OK)
    goto rollback;
  const struct {
    int64_t count;
    enum issue code;
  } holds[] = {{h.open_referrals, I_HOLD_REFERRAL},
               {h.active_interventions, I_HOLD_INTERVENTION},
               {h.current_enrolments, I_HOLD_ENROLMENT},
               {h.followups, I_HOLD_FOLLOWUP}};
  for (size_t i = 0; i < sizeof holds / sizeof holds[0]; i++) {
    if (holds[i].count == 0)
      continue;
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)holds[i].count);
    gov__field_issue(rep, "", holds[i].code, v);
  }
  if (rep->errors > 0) {
    status = GOV_EREFUSED;
    goto rollback;
  }
  /* The audit row goes first so that the erasure's scrub also removes a
   * NIK quoted in the reason. */
  char now[21];
  store_now_iso(now);
  int rc = gov__audit(s, by, "erase_resident", resident_id, reason, NULL);
  if (rc == STORE_OK)
    rc = store_gov_erase(s, resident_id, now);
  status = gov__commit(s, rc, rep, 1);
  if (status != GOV_OK)
    goto rollback;
  if (store_gov_checkpoint(s) != STORE_OK)
    gov__field_issue(rep, "", I_CHECKPOINT, NULL);
  return gov__finish(rep, GOV_OK);

rollback:
  store_rollback(s);
  return gov__finish(rep, status);
}
