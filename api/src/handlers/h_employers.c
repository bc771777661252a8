/*
 * h_employers.c — the employers that post vacancies: GET /v1/employers
 * (officers, admins and desks see every employer; an employer account sees
 * a list of one, its own), GET /v1/employers/{id}, POST /v1/employers
 * (officers and admins register an employer) and PATCH /v1/employers/{id}
 * (officers and admins change any field but the code; an employer account
 * may correct its own name and address, nothing else: sector and location
 * decide which residents it is matched with, so Disnaker keeps them).
 *
 * A reply names the employer's kelurahan and kecamatan and counts its
 * vacancies; nothing here is personal data.
 */
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "vocab.h"
#include "http.h"
#include "json_io.h"
#include "tx.h"
#include "listing.h"

#define NAME_MAX_BYTES 200
#define ADDRESS_MAX_BYTES 300
#define CODE_MAX_BYTES 31

static const struct api_field spec_create[] = {
    {"code", API_F_STRING, 0, 0, 0, CODE_MAX_BYTES},
    {"name", API_F_STRING, API_REQUIRED, 0, 0, NAME_MAX_BYTES},
    {"sector", API_F_STRING, API_REQUIRED, 0, 0, 24},
    {"kelurahan", API_F_STRING, API_REQUIRED, 0, 0, 16},
    {"address", API_F_STRING, API_NULLABLE, 0, 0, ADDRESS_MAX_BYTES},
    {"employees", API_F_INT, API_NULLABLE, 0, 1000000, 0},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

static const struct api_field spec_patch[] = {
    {"name", API_F_STRING, 0, 0, 0, NAME_MAX_BYTES},
    {"sector", API_F_STRING, 0, 0, 0, 24},
    {"kelurahan", API_F_STRING, 0, 0, 0, 16},
    {"address", API_F_STRING, API_NULLABLE, 0, 0, ADDRESS_MAX_BYTES},
    {"employees", API_F_INT, API_NULLABLE, 0, 1000000, 0},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

/* The fields an employer account may change on its own record. */
static const char *const employer_own_fields[] = {"name", "address", NULL};

/* An employer code: 3–31 of A–Z, 0–9 and '-'. */
static int code_ok(const char *code) {
  size_t n = strlen(code);
  if (n < 3 || n > CODE_MAX_BYTES)
    return 0;
  return strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == n;
}

static json_t *employer_json(const struct store_employer_row *e) {
  return json_pack("{s:I, s:s, s:s, s:s, s:{s:I, s:s, s:s}, s:{s:s, s:s}, s:o, s:o, s:b, s:s, "
                   "s:{s:I, s:I}}",
                   "id", (json_int_t)e->id, "code", e->code, "name", e->name, "sector", e->sector,
                   "kelurahan", "id", (json_int_t)e->kelurahan_id, "code", e->kelurahan_code,
                   "name", e->kelurahan_name, "kecamatan", "code", e->kecamatan_code, "name",
                   e->kecamatan_name, "address", api_json_opt_string(e->address), "employees",
                   api_json_opt_int(e->employees), "synthetic", e->synthetic, "created_at",
                   e->created_at, "vacancies", "total", (json_int_t)e->vacancies, "open",
                   (json_int_t)e->open_vacancies);
}

/* Replies with the employer as it is now. */
static enum MHD_Result reply_employer(struct api_req *r, unsigned status, int64_t id) {
  struct store_employer_row e;
  int rc = store_employer_get(r->db, id, &e);
  if (rc != STORE_OK) /* after a write: it is stored all the same */
    return api_reply_written(r, status, id, rc);
  return api_reply_json(r, status, employer_json(&e));
}

/* ---- Lists -------------------------------------------------------------------------- */

struct page_acc {
  json_t *items;
  int64_t last_id;
};

static int add_employer(void *arg, const struct store_employer_row *e) {
  struct page_acc *acc = arg;
  acc->last_id = e->id;
  return json_array_append_new(acc->items, employer_json(e)) == 0 ? STORE_OK : STORE_ENOMEM;
}

static enum MHD_Result h_employer_list(struct api_req *r) {
  struct api_page p;
  struct api_scope scope;
  int sector = -1;
  if (api_page_parse(r, &p) != 0 || api_query_enum(r, "sector", vocab_vocations, &sector) != 0)
    return MHD_YES;
  json_t *errors = json_array();
  struct store_employer_filter f = {.after = p.after, .limit = p.limit};
  int rc = api_query_places(r, &f.kelurahan_id, &f.kecamatan_id, errors);
  if (rc != STORE_OK || json_array_size(errors) > 0)
    return api_reply_invalid(r, rc, errors);
  json_decref(errors);
  f.sector = sector >= 0 ? vocab_vocations[sector] : NULL;
  api_scope_of(r, &scope);
  f.id = scope.employer_id; /* an employer account lists only itself */

  struct page_acc acc = {json_array(), 0};
  rc = acc.items != NULL ? store_employer_list(r->db, &f, add_employer, &acc) : STORE_ENOMEM;
  if (rc != STORE_OK) {
    json_decref(acc.items);
    return api_reply_store(r, rc);
  }
  return api_reply_json(r, MHD_HTTP_OK, api_page_body(acc.items, &p, acc.last_id));
}

static enum MHD_Result h_employer_get(struct api_req *r) {
  if (api_authorize(r, API_O_EMPLOYER, r->id[0], API_READ) != 0)
    return MHD_YES;
  return reply_employer(r, MHD_HTTP_OK, r->id[0]);
}

/* ---- Writes ------------------------------------------------------------------------- */

/* Checks the fields of e that the body sets (create: all of them) and
 * resolves the kelurahan code into e->kelurahan_id; every problem goes to
 * errors.  Returns the store's result for a failure other than an unknown
 * code. */
static int check_employer(struct api_req *r, struct store_employer *e, json_t *errors) {
  const char *kel = api_body_string(r, "kelurahan");
  if (api_body_get(r, "code") != NULL && !code_ok(e->code))
    api_field_error(errors, "code", API_FE_FORMAT,
                    "Kode terdiri atas 3–31 huruf besar, angka atau '-'.",
                    "A code is 3–31 capital letters, digits or '-'.");
  if (api_body_get(r, "name") != NULL && !api_text_ok(e->name))
    api_field_error(errors, "name", API_FE_BLANK,
                    "Nama tidak boleh kosong atau memuat karakter kontrol.",
                    "The name must not be blank or hold control characters.");
  if (api_body_get(r, "sector") != NULL &&
      vocab_index(vocab_vocations, e->sector, strlen(e->sector)) < 0)
    api_field_error(errors, "sector", API_FE_ENUM_VALUE, "Sektor harus salah satu kejuruan padan.",
                    "The sector must be one of padan's vocations.");
  if (e->address != NULL && api_body_get(r, "address") != NULL && !api_text_ok(e->address))
    api_field_error(
        errors, "address", API_FE_BLANK,
        "Alamat tidak boleh kosong atau memuat karakter kontrol (null untuk menghapus).",
        "The address must not be blank or hold control characters (null clears it).");
  int rc =
      kel != NULL ? store_id_by_code(r->db, STORE_T_KELURAHAN, kel, &e->kelurahan_id) : STORE_OK;
  if (rc != STORE_ENOTFOUND)
    return rc;
  api_field_error(errors, "kelurahan", API_FE_UNKNOWN_CODE, "Kode kelurahan ini tidak dikenal.",
                  "There is no kelurahan with this code.");
  return STORE_OK;
}

/* Writes e (new when id is 0) in the transaction the caller opened and
 * commits; 0 or the store's error (everything rolled back). */
static int commit_employer(struct api_req *r, int64_t id, const struct store_employer *e,
                           int64_t *new_id) {
  int rc = id > 0 ? store_employer_update(r->db, id, e) : store_employer_create(r->db, e, new_id);
  return api_tx_end(r, rc);
}

static enum MHD_Result h_employer_create(struct api_req *r) {
  struct store_employer e = {
      .code = api_body_string(r, "code"),
      .name = api_body_string(r, "name"),
      .sector = api_body_string(r, "sector"),
      .address = api_body_string(r, "address"),
      .employees = (int)api_body_int(r, "employees", -1),
      .synthetic = 0,
  };
  int64_t id = 0;
  json_t *errors = json_array();
  int rc = check_employer(r, &e, errors);
  if (rc != STORE_OK || json_array_size(errors) > 0)
    return api_reply_invalid(r, rc, errors);
  json_decref(errors);
  rc = api_tx_begin(r);
  if (rc == STORE_OK)
    rc = commit_employer(r, 0, &e, &id);
  if (rc == STORE_ECONSTRAINT)
    return api_reply_problem_detail(r, API_E_CONFLICT, "Kode pemberi kerja ini sudah dipakai.",
                                    "This employer code is already taken.");
  if (rc != STORE_OK)
    return api_reply_store(r, rc);
  api_reply_header(r, MHD_HTTP_HEADER_LOCATION, "/v1/employers/%lld", (long long)id);
  return reply_employer(r, MHD_HTTP_CREATED, id);
}

/* When an employer account's body holds a field it may not change, queues
 * a 403 naming those fields and returns 1; else 0. */
static int employer_fields_forbidden(struct api_req *r) {
  char fields[256] = "", id[400], en[400];
  size_t used = 0;
  const char *key;
  json_t *v;
  json_object_foreach(r->body, key, v) {
    int allowed = 0;
    for (const char *const *f = employer_own_fields; *f != NULL; f++)
      allowed |= strcmp(*f, key) == 0;
    if (!allowed && used < sizeof fields) {
      int n = snprintf(fields + used, sizeof fields - used, "%s%s", used > 0 ? ", " : "", key);
      used += n > 0 ? (size_t)n : 0;
    }
  }
  if (used == 0)
    return 0;
  snprintf(id, sizeof id, "Akun pemberi kerja hanya boleh mengubah nama dan alamatnya, bukan: %s.",
           fields);
  snprintf(en, sizeof en, "An employer account may change only its name and address, not: %s.",
           fields);
  api_reply_problem_detail(r, API_E_FORBIDDEN, id, en);
  return 1;
}

static enum MHD_Result h_employer_patch(struct api_req *r) {
  int64_t id = r->id[0];
  if (api_authorize(r, API_O_EMPLOYER, id, API_WRITE) != 0)
    return MHD_YES;
  if (!api_may(r, API_P_EMPLOYER_ALL_FIELDS) && employer_fields_forbidden(r))
    return MHD_YES;
  /* Read, merge and write in one transaction, so that a concurrent edit is
   * not overwritten with stale fields. */
  struct store_employer_row cur;
  int rc = api_tx_begin(r);
  if (rc == STORE_OK)
    rc = store_employer_get(r->db, id, &cur);
  if (rc != STORE_OK) {
    api_tx_abort(r);
    return api_reply_store(r, rc);
  }
  /* The record as it would become: the body's fields over the stored ones. */
  const json_t *address = api_body_get(r, "address"), *employees = api_body_get(r, "employees");
  struct store_employer e = {
      .code = cur.code,
      .name = api_body_string(r, "name") ? api_body_string(r, "name") : cur.name,
      .sector = api_body_string(r, "sector") ? api_body_string(r, "sector") : cur.sector,
      .kelurahan_id = cur.kelurahan_id,
      .address =
          address == NULL ? (cur.address[0] ? cur.address : NULL) : api_body_string(r, "address"),
      .employees = employees == NULL ? (int)cur.employees : (int)api_body_int(r, "employees", -1),
  };
  json_t *errors = json_array();
  rc = check_employer(r, &e, errors);
  if (rc != STORE_OK || json_array_size(errors) > 0) {
    api_tx_abort(r);
    return api_reply_invalid(r, rc, errors);
  }
  json_decref(errors);
  rc = commit_employer(r, id, &e, NULL);
  if (rc != STORE_OK)
    return api_reply_store(r, rc);
  return reply_employer(r, MHD_HTTP_OK, id);
}

static const char *const list_query[] = {"limit",     "cursor", "kelurahan",
                                         "kecamatan", "sector", NULL};

const struct api_route api_routes_employers[] = {
    {.method = "GET",
     .pattern = "/v1/employers",
     .handler = h_employer_list,
     .roles = AUTH_ANY_ROLE,
     .query = list_query},
    {.method = "POST",
     .pattern = "/v1/employers",
     .handler = h_employer_create,
     .roles = AUTH_ADMIN | AUTH_OFFICER,
     .body = spec_create},
    {.method = "GET",
     .pattern = "/v1/employers/{id}",
     .handler = h_employer_get,
     .roles = AUTH_ANY_ROLE},
    {.method = "PATCH",
     .pattern = "/v1/employers/{id}",
     .handler = h_employer_patch,
     .roles = AUTH_ADMIN | AUTH_OFFICER | AUTH_EMPLOYER,
     .body = spec_patch},
    {.method = NULL},
};
