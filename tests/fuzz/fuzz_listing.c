/*
 * fuzz_listing.c — libFuzzer harness for the list parameters
 * (http/listing.h): limit and cursor as the dispatcher hands them over,
 * and the cursor decoder alone.
 *
 * The input is split at its first NUL: before it the limit's text, after
 * it the cursor's (a missing part is an absent parameter).  Checked: a
 * page accepted has a limit of 1..API_LIST_MAX and a non-negative id, and
 * any cursor decoded re-encodes to exactly the same text (a cursor is
 * never accepted in two spellings).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "listing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  if (!ready) {
    if (sodium_init() < 0)
      abort();
    ready = 1;
  }
  char *buf = malloc(size + 1);
  if (buf == NULL)
    return 0;
  memcpy(buf, data, size);
  buf[size] = '\0';
  const char *limit = buf, *cursor = NULL;
  size_t first = strlen(buf);
  if (first < size)
    cursor = buf + first + 1;
  if (first == 0)
    limit = NULL;

  struct api_page p;
  memset(&p, 0, sizeof p);
  json_t *errors = api_page_check(limit, cursor, &p);
  if (errors == NULL && (p.limit < 1 || p.limit > API_LIST_MAX || p.after < 0))
    abort();
  json_decref(errors);

  int64_t after = -1;
  unsigned char bind[API_CURSOR_BIND] = {0};
  if (cursor != NULL && api_cursor_decode(cursor, bind, &after) == 0) {
    char again[96];
    if (after < 0 || api_cursor_encode(after, bind, again, sizeof again) != 0 ||
        strcmp(again, cursor) != 0)
      abort();
  }
  free(buf);
  return 0;
}
