/*
 * The JSON buffer (api/src/base/jbuf.c) that the candidates page is
 * written with: every string it writes reads back, through jansson, as the
 * text it was given, and is byte for byte what json_dumps writes for it
 * (quotes, backslashes, every control character, multi-byte UTF-8, '/');
 * bytes that are not UTF-8 become U+FFFD; integers at both ends of int64;
 * a counted string (jbuf_strn) ends at its length.
 */
#include "testutil.h"

#include "jbuf.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* s written by jbuf, as a string. */
static char *written(const char *s) {
  struct jbuf b;
  size_t len;
  jbuf_init(&b);
  jbuf_str(&b, s);
  char *t = jbuf_take(&b, &len);
  ck_assert_ptr_nonnull(t);
  ck_assert_uint_eq(strlen(t), len);
  return t;
}

START_TEST(strings_as_jansson_writes_them) {
  char ctl[40];
  for (int i = 1; i < 32; i++)
    ctl[i - 1] = (char)i;
  ctl[31] = '\0';
  const char *cases[] = {"",
                         "Siti Rahayu",
                         "a \"quoted\" name",
                         "back\\slash",
                         "a/b</script>",
                         "Cibodas Baru \xC3\xA9\xE2\x82\xAC",
                         "\xF0\x9F\x98\x80",
                         ctl};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    json_t *js = json_string(cases[i]);
    ck_assert_ptr_nonnull(js);
    char *want = json_dumps(js, JSON_ENCODE_ANY | JSON_COMPACT);
    char *got = written(cases[i]);
    ck_assert_str_eq(got, want);
    json_t *back = json_loads(got, JSON_DECODE_ANY, NULL);
    ck_assert_ptr_nonnull(back);
    ck_assert_str_eq(json_string_value(back), cases[i]);
    json_decref(back);
    json_decref(js);
    free(want);
    free(got);
  }
}
END_TEST

START_TEST(not_utf8_becomes_replacement) {
  /* a lone continuation byte, a truncated sequence, an overlong '/', a
   * surrogate, past U+10FFFF */
  const char *in[] = {"a\x80z", "a\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80"};
  const char *want[] = {"\"a\\ufffdz\"", "\"a\\ufffd\"", "\"\\ufffd\\ufffd\"",
                        "\"\\ufffd\\ufffd\\ufffd\"", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""};
  for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
    char *got = written(in[i]);
    ck_assert_str_eq(got, want[i]);
    json_t *back = json_loads(got, JSON_DECODE_ANY, NULL);
    ck_assert_ptr_nonnull(back);
    json_decref(back);
    free(got);
  }
}
END_TEST

START_TEST(null_integers_and_raw_text) {
  struct jbuf b;
  size_t len;
  jbuf_init(&b);
  jbuf_lit(&b, "[");
  jbuf_str(&b, NULL);
  jbuf_lit(&b, ",");
  jbuf_int(&b, 0);
  jbuf_lit(&b, ",");
  jbuf_int(&b, -42);
  jbuf_lit(&b, ",");
  jbuf_int(&b, INT64_MAX);
  jbuf_lit(&b, ",");
  jbuf_int(&b, INT64_MIN);
  jbuf_raw(&b, "]xyz", 1);
  char *t = jbuf_take(&b, &len);
  ck_assert_str_eq(t, "[null,0,-42,9223372036854775807,-9223372036854775808]");
  ck_assert_uint_eq(len, strlen(t));
  free(t);
  /* taken: the buffer is empty again and grows past its first block */
  for (int i = 0; i < 3000; i++)
    jbuf_lit(&b, "x");
  t = jbuf_take(&b, &len);
  ck_assert_uint_eq(len, 3000);
  free(t);
  jbuf_free(&b);
}
END_TEST

START_TEST(counted_strings_stop_at_their_length) {
  /* the resident record's ';'-separated lists are written piece by piece:
   * a piece ends at its length, a character cut by it is not UTF-8 */
  struct jbuf b;
  size_t len;
  jbuf_init(&b);
  jbuf_strn(&b, "day;night", 3);
  jbuf_strn(&b, "a\"b;c", 3);
  jbuf_strn(&b, "x\xC3\xA9;", 3);
  jbuf_strn(&b, "x\xC3\xA9;", 2);
  jbuf_strn(&b, "", 0);
  jbuf_strn(&b, "ab\0cd", 5);
  char *t = jbuf_take(&b, &len);
  ck_assert_str_eq(t, "\"day\"\"a\\\"b\"\"x\xC3\xA9\"\"x\\ufffd\"\"\"\"ab\"");
  free(t);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("jbuf");
  TCase *tc = tcase_create("jbuf");
  tcase_add_test(tc, strings_as_jansson_writes_them);
  tcase_add_test(tc, not_utf8_becomes_replacement);
  tcase_add_test(tc, null_integers_and_raw_text);
  tcase_add_test(tc, counted_strings_stop_at_their_length);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return tu_run_suite(suite());
}
