/*
 * The field-error registry (api/src/http/field_errors.h): every code is
 * snake_case, appears once, and is listed in docs/API.md's table, so a
 * client reading the documentation knows every code the server can send;
 * the constants the call sites pass are the table's strings.
 */
#include "testutil.h"

#include "field_errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  ck_assert_msg(f != NULL, "cannot open %s", path);
  ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
  long n = ftell(f);
  ck_assert_int_ge(n, 0);
  rewind(f);
  char *text = malloc((size_t)n + 1);
  ck_assert_ptr_nonnull(text);
  ck_assert_uint_eq(fread(text, 1, (size_t)n, f), (size_t)n);
  text[n] = '\0';
  fclose(f);
  return text;
}

START_TEST(codes_are_snake_case_and_unique) {
  size_t n = 0;
  for (; api_field_codes[n] != NULL; n++) {
    const char *c = api_field_codes[n];
    ck_assert_msg(c[0] >= 'a' && c[0] <= 'z', "%s starts with a small letter", c);
    ck_assert_msg(strspn(c, "abcdefghijklmnopqrstuvwxyz_") == strlen(c), "%s is snake_case", c);
    for (size_t j = 0; j < n; j++)
      ck_assert_msg(strcmp(api_field_codes[j], c) != 0, "%s appears twice", c);
  }
  ck_assert_uint_ge(n, 20);
  /* the constants are the table's strings */
  ck_assert_str_eq(API_FE_ENUM_VALUE, "enum_value");
  ck_assert_str_eq(API_FE_INVALID_CURSOR, "invalid_cursor");
}
END_TEST

START_TEST(every_code_is_documented) {
  char *doc = read_file(PADAN_SOURCE_DIR "/docs/API.md");
  for (size_t i = 0; api_field_codes[i] != NULL; i++) {
    char row[64];
    snprintf(row, sizeof row, "| `%s` |", api_field_codes[i]);
    ck_assert_msg(strstr(doc, row) != NULL, "docs/API.md has no row for field error code %s",
                  api_field_codes[i]);
  }
  free(doc);
}
END_TEST

int main(void) {
  Suite *s = suite_create("field_errors");
  TCase *tc = tcase_create("field_errors");
  tcase_add_test(tc, codes_are_snake_case_and_unique);
  tcase_add_test(tc, every_code_is_documented);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
