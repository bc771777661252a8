/*
 * check_listing.c — the API platform's pure parts without a socket: list
 * cursors and limits (listing.c), and input specs with arrays, nested
 * objects and the nesting cap (json_io.c).  Every route's body spec is also
 * run through api_spec_valid, so a malformed spec fails here rather than
 * answering wrongly in production.
 */
#include <check.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "json_io.h"
#include "listing.h"
#include "testutil.h"

/* ---- Cursor -------------------------------------------------------------------- */

static const unsigned char bind_a[API_CURSOR_BIND] = {1, 2, 3};
static const unsigned char bind_b[API_CURSOR_BIND] = {1, 2, 4};

START_TEST(cursor_round_trips) {
  static const int64_t ids[] = {0, 1, 9, 10, 49, 50, 999, 123456789, INT64_MAX};
  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
    char text[96];
    int64_t back = -1;
    ck_assert_int_eq(api_cursor_encode(ids[i], bind_a, text, sizeof text), 0);
    ck_assert_msg(
        strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
            strlen(text),
        "cursor %s is not URL-safe", text);
    ck_assert_int_eq(api_cursor_decode(text, bind_a, &back), 0);
    ck_assert_int_eq(back, ids[i]);
    /* on another list (another binding) it is refused */
    ck_assert_int_eq(api_cursor_decode(text, bind_b, &back), -1);
  }
}
END_TEST

START_TEST(cursor_is_base64url_of_versioned_id_and_mac) {
  char text[96];
  unsigned char raw[64];
  size_t n = 0;
  ck_assert_int_eq(api_cursor_encode(50, bind_a, text, sizeof text), 0);
  ck_assert_int_eq(sodium_base642bin(raw, sizeof raw, text, strlen(text), NULL, &n, NULL,
                                     sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                   0);
  /* "v2:50" then 16 bytes of MAC */
  ck_assert_uint_eq(n, 5 + 16);
  ck_assert_int_eq(memcmp(raw, "v2:50", 5), 0);
  ck_assert_int_eq(api_cursor_encode(-1, bind_a, text, sizeof text), -1);
  ck_assert_int_eq(api_cursor_encode(1, bind_a, text, 4), -1); /* too small */
}
END_TEST

START_TEST(cursor_rejects_forged_altered_and_malformed) {
  char good[96], forged[96];
  ck_assert_int_eq(api_cursor_encode(50, bind_a, good, sizeof good), 0);
  /* every single-character change of a real cursor is refused */
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (size_t i = 0; good[i] != '\0'; i++) {
    snprintf(forged, sizeof forged, "%s", good);
    for (size_t a = 0; alphabet[a] != '\0'; a++) {
      if (alphabet[a] == good[i])
        continue;
      forged[i] = alphabet[a];
      int64_t after = 77;
      ck_assert_msg(api_cursor_decode(forged, bind_a, &after) == -1, "accepted %s", forged);
      ck_assert_int_eq(after, 77);
    }
  }
  /* a cursor built by hand with a made-up MAC: "v2:50" and 16 zero bytes */
  unsigned char raw[21] = "v2:50";
  sodium_bin2base64(forged, sizeof forged, raw, sizeof raw,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  const char *const bad[] = {
      "",        /* empty */
      "djE6NTA", /* the old unsigned "v1:50" */
      "djI6NTA", /* "v2:50" without a MAC */
      "xyz!",    /* not base64url */
      forged,
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int64_t after = 77;
    ck_assert_msg(api_cursor_decode(bad[i], bind_a, &after) == -1, "accepted %s", bad[i]);
    ck_assert_int_eq(after, 77);
  }
  char padded[100];
  snprintf(padded, sizeof padded, "%s=", good);
  int64_t after;
  ck_assert_int_eq(api_cursor_decode(padded, bind_a, &after), -1);
}
END_TEST

/* ---- Limit and cursor together ------------------------------------------------------- */

/* The fields named in errors, joined by ','. */
static void error_fields(const json_t *errors, char *out, size_t size) {
  size_t used = 0;
  out[0] = '\0';
  for (size_t i = 0; i < json_array_size(errors); i++) {
    const json_t *e = json_array_get(errors, i);
    used += (size_t)snprintf(out + used, size - used, "%s%s:%s", i > 0 ? "," : "",
                             json_string_value(json_object_get(e, "field")),
                             json_string_value(json_object_get(e, "code")));
    ck_assert_ptr_nonnull(json_string_value(json_object_get(e, "detail_id")));
    ck_assert_ptr_nonnull(json_string_value(json_object_get(e, "detail_en")));
  }
}

START_TEST(page_defaults_and_limits) {
  struct api_page p = {0};
  char c50[96];
  ck_assert_int_eq(api_cursor_encode(50, p.bind, c50, sizeof c50), 0);
  ck_assert_ptr_null(api_page_check(NULL, NULL, &p));
  ck_assert_int_eq(p.limit, API_LIST_DEFAULT);
  ck_assert_int_eq(p.after, 0);
  ck_assert_ptr_null(api_page_check("1", NULL, &p));
  ck_assert_int_eq(p.limit, 1);
  ck_assert_ptr_null(api_page_check("500", c50, &p));
  ck_assert_int_eq(p.limit, API_LIST_MAX);
  ck_assert_int_eq(p.after, 50);

  static const struct {
    const char *limit, *cursor, *errors;
  } bad[] = {
      {"0", NULL, "limit:out_of_range"},
      {"501", NULL, "limit:out_of_range"},
      {"-3", NULL, "limit:out_of_range"},
      {"", NULL, "limit:type"},
      {"ten", NULL, "limit:type"},
      {"10 ", NULL, "limit:type"},
      {" 10", NULL, "limit:type"},
      {"1e2", NULL, "limit:type"},
      {"99999999999999999999", NULL, "limit:type"},
      {NULL, "xyz!", "cursor:invalid_cursor"},
      {"0", "djE6", "limit:out_of_range,cursor:invalid_cursor"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char fields[256];
    json_t *errors = api_page_check(bad[i].limit, bad[i].cursor, &p);
    ck_assert_ptr_nonnull(errors);
    error_fields(errors, fields, sizeof fields);
    ck_assert_str_eq(fields, bad[i].errors);
    json_decref(errors);
  }
}
END_TEST

START_TEST(page_body_has_cursor_only_when_full) {
  struct api_page p = {.after = 0, .limit = 2, .bind = {9}};
  json_t *items = json_pack("[i, i]", 4, 9);
  json_t *body = api_page_body(items, &p, 9);
  ck_assert_uint_eq(json_array_size(json_object_get(body, "items")), 2);
  int64_t after = 0;
  ck_assert_int_eq(
      api_cursor_decode(json_string_value(json_object_get(body, "next_cursor")), p.bind, &after),
      0);
  ck_assert_int_eq(after, 9);
  json_decref(body);

  body = api_page_body(json_pack("[i]", 12), &p, 12);
  ck_assert(json_is_null(json_object_get(body, "next_cursor")));
  ck_assert_uint_eq(json_object_size(body), 2);
  json_decref(body);
}
END_TEST

/* ---- Specs with arrays and objects ----------------------------------------------------- */

static const struct api_field spec_nested[] = {
    {"name", API_F_STRING, API_REQUIRED, 0, 0, 10},
    {"skills", API_F_ARRAY, 0, 0, 0, 3},
    {"skills[]", API_F_OBJECT, 0, 0, 0, 0},
    {"skills[].code", API_F_STRING, API_REQUIRED, 0, 0, 8},
    {"skills[].certified", API_F_BOOL, 0, 0, 0, 0},
    {"tags", API_F_ARRAY, API_NULLABLE, 1, 0, 2},
    {"tags[]", API_F_STRING, 0, 0, 0, 4},
    {"scores", API_F_ARRAY, 0, 0, 0, 0},
    {"scores[]", API_F_INT, 0, 1, 5, 0},
    {"home", API_F_OBJECT, 0, 0, 0, 0},
    {"home.rt", API_F_INT, API_REQUIRED, 1, 999, 0},
    {"home.geo", API_F_OBJECT, API_NULLABLE, 0, 0, 0},
    {"home.geo.lat", API_F_NUMBER, 0, -90, 90, 0},
    {NULL, API_F_STRING, 0, 0, 0, 0},
};

/* "field:code,..." of checking text against spec ("" when it passes). */
static void check_text(const char *text, const struct api_field *spec, char *out, size_t size) {
  json_error_t e;
  json_t *body = json_loads(text, JSON_REJECT_DUPLICATES, &e);
  ck_assert_msg(body != NULL, "bad test JSON %s: %s", text, e.text);
  json_t *errors = api_spec_check(body, spec);
  if (errors == NULL)
    out[0] = '\0';
  else
    error_fields(errors, out, size);
  json_decref(errors);
  json_decref(body);
}

START_TEST(spec_accepts_good_nested_bodies) {
  static const char *const good[] = {
      "{\"name\": \"ani\"}",
      "{\"name\": \"ani\", \"skills\": []}",
      "{\"name\": \"ani\", \"skills\": [{\"code\": \"GAR-001\", \"certified\": true}, "
      "{\"code\": \"GAR-002\"}]}",
      "{\"name\": \"ani\", \"tags\": null}",
      "{\"name\": \"ani\", \"tags\": [\"a\", \"bcd\"], \"scores\": [1, 5, 3]}",
      "{\"name\": \"ani\", \"home\": {\"rt\": 4}}",
      "{\"name\": \"ani\", \"home\": {\"rt\": 4, \"geo\": {\"lat\": -6.2}}}",
      "{\"name\": \"ani\", \"home\": {\"rt\": 4, \"geo\": null}}",
  };
  char out[1024];
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    check_text(good[i], spec_nested, out, sizeof out);
    ck_assert_msg(out[0] == '\0', "%s refused: %s", good[i], out);
  }
}
END_TEST

START_TEST(spec_names_every_bad_field_by_path) {
  static const struct {
    const char *body, *errors;
  } cases[] = {
      {"{\"name\": \"ani\", \"skills\": [{\"code\": \"A\"}, {\"code\": 5}, {\"certified\": 1}]}",
       "skills[1].code:type,skills[2].code:required,skills[2].certified:type"},
      {"{\"name\": \"ani\", \"skills\": [{\"code\": \"A\", \"colour\": \"red\"}]}",
       "skills[0].colour:unknown_field"},
      {"{\"name\": \"ani\", \"skills\": [{}, {}, {}, {}]}",
       "skills:too_many,skills[0].code:required,skills[1].code:required,skills[2].code:required"},
      {"{\"name\": \"ani\", \"skills\": {\"code\": \"A\"}}", "skills:type"},
      {"{\"name\": \"ani\", \"skills\": [\"A\"]}", "skills[0]:type"},
      {"{\"name\": \"ani\", \"tags\": []}", "tags:too_few"},
      {"{\"name\": \"ani\", \"tags\": [\"abcde\", null]}", "tags[0]:too_long,tags[1]:type"},
      {"{\"name\": \"ani\", \"scores\": [0, 6, 2.5, 3]}",
       "scores[0]:out_of_range,scores[1]:out_of_range,scores[2]:type"},
      {"{\"name\": \"ani\", \"home\": {}}", "home.rt:required"},
      {"{\"name\": \"ani\", \"home\": {\"rt\": 1000, \"geo\": {\"lat\": 91, \"lon\": 1}}}",
       "home.rt:out_of_range,home.geo.lat:out_of_range,home.geo.lon:unknown_field"},
      {"{\"home\": null, \"home.rt\": 3, \"skills[]\": {}}",
       "name:required,home:type,home.rt:unknown_field,skills[]:unknown_field"},
      {"{\"name\": \"abcdefghijk\", \"extra\": 1}", "name:too_long,extra:unknown_field"},
  };
  char out[1024];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    check_text(cases[i].body, spec_nested, out, sizeof out);
    ck_assert_msg(strcmp(out, cases[i].errors) == 0, "%s\n got: %s\nwant: %s", cases[i].body, out,
                  cases[i].errors);
  }
}
END_TEST

START_TEST(spec_default_array_cap) {
  /* scores has max_len 0: API_ARRAY_MAX_DEFAULT items */
  json_t *body = json_pack("{s:s, s:[]}", "name", "a", "scores");
  json_t *scores = json_object_get(body, "scores");
  for (int i = 0; i < API_ARRAY_MAX_DEFAULT; i++)
    json_array_append_new(scores, json_integer(1));
  ck_assert_ptr_null(api_spec_check(body, spec_nested));
  json_array_append_new(scores, json_integer(1));
  json_t *errors = api_spec_check(body, spec_nested);
  char out[256];
  error_fields(errors, out, sizeof out);
  ck_assert_str_eq(out, "scores:too_many");
  json_decref(errors);
  json_decref(body);
}
END_TEST

START_TEST(spec_errors_are_capped_and_paths_cut) {
  /* 200 bad items: at most API_MAX_FIELD_ERRORS errors */
  json_t *body = json_pack("{s:s, s:[]}", "name", "a", "scores");
  for (int i = 0; i < 200; i++)
    json_array_append_new(json_object_get(body, "scores"), json_integer(0));
  json_t *errors = api_spec_check(body, spec_nested);
  ck_assert_uint_eq(json_array_size(errors), API_MAX_FIELD_ERRORS);
  json_decref(errors);
  json_decref(body);

  /* an unknown key of 300 bytes is named by its first 64 */
  char key[301];
  memset(key, 'k', 300);
  key[300] = '\0';
  body = json_pack("{s:s, s:i}", "name", "a", key, 1);
  errors = api_spec_check(body, spec_nested);
  ck_assert_uint_eq(json_array_size(errors), 1);
  ck_assert_uint_eq(strlen(json_string_value(json_object_get(json_array_get(errors, 0), "field"))),
                    64);
  json_decref(errors);
  json_decref(body);
}
END_TEST

START_TEST(depth_is_measured_outside_strings) {
  ck_assert_int_eq(api_json_depth("{}", 2, 8), 1);
  ck_assert_int_eq(api_json_depth("{\"a\": [{\"b\": []}]}", 18, 8), 4);
  ck_assert_int_eq(api_json_depth("{\"a\": \"[[[[{{{{[[[[\"}", 22, 8), 1);
  ck_assert_int_eq(api_json_depth("{\"a\": \"\\\"[[[[[[[[[[\"}", 21, 8), 1);
  ck_assert_int_eq(api_json_depth("[[]][[[]]]", 10, 8), 3);
  /* stops counting once past the limit */
  char deep[100001];
  memset(deep, '[', sizeof deep - 1);
  deep[sizeof deep - 1] = '\0';
  ck_assert_int_eq(api_json_depth(deep, sizeof deep - 1, API_JSON_DEPTH_MAX),
                   API_JSON_DEPTH_MAX + 1);
  /* 8 levels is allowed; the body object counts as one */
  const char *eight = "{\"a\":[[[[[[[1]]]]]]]}";
  ck_assert_int_eq(api_json_depth(eight, strlen(eight), API_JSON_DEPTH_MAX), 8);
}
END_TEST

START_TEST(spec_valid_catches_malformed_specs) {
  char why[160];
  ck_assert_int_eq(api_spec_valid(spec_nested, why, sizeof why), 1);
  static const struct api_field no_item[] = {
      {"tags", API_F_ARRAY, 0, 0, 0, 3},
      {NULL, API_F_STRING, 0, 0, 0, 0},
  };
  static const struct api_field orphan[] = {
      {"home.rt", API_F_INT, 0, 0, 9, 0},
      {NULL, API_F_STRING, 0, 0, 0, 0},
  };
  static const struct api_field item_of_scalar[] = {
      {"tags", API_F_STRING, 0, 0, 0, 3},
      {"tags[]", API_F_STRING, 0, 0, 0, 3},
      {NULL, API_F_STRING, 0, 0, 0, 0},
  };
  static const struct api_field twice[] = {
      {"a", API_F_INT, 0, 0, 9, 0},
      {"a", API_F_INT, 0, 0, 9, 0},
      {NULL, API_F_STRING, 0, 0, 0, 0},
  };
  static const struct api_field backwards[] = {
      {"a", API_F_INT, 0, 9, 0, 0},
      {NULL, API_F_STRING, 0, 0, 0, 0},
  };
  static const struct api_field too_deep[] = {
      {"a", API_F_ARRAY, 0, 0, 0, 3},
      {"a[]", API_F_ARRAY, 0, 0, 0, 3},
      {"a[][]", API_F_ARRAY, 0, 0, 0, 3},
      {"a[][][]", API_F_ARRAY, 0, 0, 0, 3},
      {"a[][][][]", API_F_ARRAY, 0, 0, 0, 3},
      {"a[][][][][]", API_F_ARRAY, 0, 0, 0, 3},
      {"a[][][][][][]", API_F_ARRAY, 0, 0, 0, 3},
      {"a[][][][][][][]", API_F_ARRAY, 0, 0, 0, 3},
      {"a[][][][][][][][]", API_F_INT, 0, 0, 3, 0},
      {NULL, API_F_STRING, 0, 0, 0, 0},
  };
  const struct api_field *bad[] = {no_item, orphan, item_of_scalar, twice, backwards, too_deep};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    why[0] = '\0';
    ck_assert_msg(api_spec_valid(bad[i], why, sizeof why) == 0, "spec %zu passed", i);
    ck_assert_msg(why[0] != '\0', "spec %zu: no reason", i);
  }
}
END_TEST

START_TEST(every_route_spec_is_valid) {
  const struct api_route *routes[512];
  size_t n = api_routes_list(routes, 512);
  ck_assert_uint_le(n, 512);
  for (size_t i = 0; i < n; i++) {
    char why[160];
    if (routes[i]->body != NULL)
      ck_assert_msg(api_spec_valid(routes[i]->body, why, sizeof why), "%s %s: %s",
                    routes[i]->method, routes[i]->pattern, why);
  }
}
END_TEST

static Suite *listing_suite(void) {
  Suite *s = suite_create("listing");
  TCase *tc = tcase_create("cursor");
  tcase_add_test(tc, cursor_round_trips);
  tcase_add_test(tc, cursor_is_base64url_of_versioned_id_and_mac);
  tcase_add_test(tc, cursor_rejects_forged_altered_and_malformed);
  tcase_add_test(tc, page_defaults_and_limits);
  tcase_add_test(tc, page_body_has_cursor_only_when_full);
  suite_add_tcase(s, tc);
  tc = tcase_create("spec");
  tcase_add_test(tc, spec_accepts_good_nested_bodies);
  tcase_add_test(tc, spec_names_every_bad_field_by_path);
  tcase_add_test(tc, spec_default_array_cap);
  tcase_add_test(tc, spec_errors_are_capped_and_paths_cut);
  tcase_add_test(tc, depth_is_measured_outside_strings);
  tcase_add_test(tc, spec_valid_catches_malformed_specs);
  tcase_add_test(tc, every_route_spec_is_valid);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return tu_run_suite(listing_suite());
}
