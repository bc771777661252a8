/*
 * jbuf.c — the JSON buffer of jbuf.h.  Strings are escaped the way
 * jansson's json_dumps escapes them without flags ('"', '\\' and control
 * characters; '/' and non-ASCII text kept), so a reply reads the same
 * whichever of the two wrote it.
 */
#include "jbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jbuf_init(struct jbuf *b) {
  memset(b, 0, sizeof *b);
}

/* Room for n more bytes and a NUL; 0, or -1 (failed set). */
static int reserve(struct jbuf *b, size_t n) {
  if (b->failed)
    return -1;
  if (b->len + n + 1 <= b->cap)
    return 0;
  size_t cap = b->cap > 0 ? b->cap : 1024;
  while (cap < b->len + n + 1)
    cap *= 2;
  char *p = realloc(b->p, cap);
  if (p == NULL) {
    b->failed = 1;
    return -1;
  }
  b->p = p;
  b->cap = cap;
  return 0;
}

void jbuf_raw(struct jbuf *b, const char *s, size_t n) {
  if (n == 0 || reserve(b, n) != 0)
    return; /* n 0: s may be an empty buffer's NULL */
  memcpy(b->p + b->len, s, n);
  b->len += n;
}

void jbuf_lit(struct jbuf *b, const char *s) {
  jbuf_raw(b, s, strlen(s));
}

/* The length of the valid UTF-8 sequence at s (1 to 4), or 0 when it is
 * not one (overlong forms, surrogates and code points past U+10FFFF
 * included). */
static size_t utf8_len(const unsigned char *s, size_t left) {
  unsigned c = s[0];
  size_t n = c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
  if (n > left)
    return 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xC0) != 0x80)
      return 0;
  if ((n == 3 && c == 0xE0 && s[1] < 0xA0) || (n == 3 && c == 0xED && s[1] >= 0xA0) ||
      (n == 4 && c == 0xF0 && s[1] < 0x90) || (n == 4 && c == 0xF4 && s[1] >= 0x90))
    return 0;
  return n;
}

void jbuf_str(struct jbuf *b, const char *s) {
  if (s == NULL)
    jbuf_raw(b, "null", 4);
  else
    jbuf_strn(b, s, strlen(s));
}

void jbuf_strn(struct jbuf *b, const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  jbuf_raw(b, "\"", 1);
  while (p < end && *p != '\0') {
    size_t run = 0; /* bytes that need no escape */
    while (p + run < end && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
      run++;
    jbuf_raw(b, (const char *)p, run);
    p += run;
    if (p == end || *p == '\0')
      break;
    if (*p >= 0x80) {
      size_t n = utf8_len(p, (size_t)(end - p));
      if (n == 0) {
        jbuf_raw(b, "\\ufffd", 6);
        p++;
      } else {
        jbuf_raw(b, (const char *)p, n);
        p += n;
      }
      continue;
    }
    char esc[8];
    switch (*p) {
    case '"':
      jbuf_raw(b, "\\\"", 2);
      break;
    case '\\':
      jbuf_raw(b, "\\\\", 2);
      break;
    case '\b':
      jbuf_raw(b, "\\b", 2);
      break;
    case '\f':
      jbuf_raw(b, "\\f", 2);
      break;
    case '\n':
      jbuf_raw(b, "\\n", 2);
      break;
    case '\r':
      jbuf_raw(b, "\\r", 2);
      break;
    case '\t':
      jbuf_raw(b, "\\t", 2);
      break;
    default:
      snprintf(esc, sizeof esc, "\\u%04X", (unsigned)*p);
      jbuf_raw(b, esc, 6);
    }
    p++;
  }
  jbuf_raw(b, "\"", 1);
}

void jbuf_int(struct jbuf *b, int64_t v) {
  char t[24];
  char *e = t + sizeof t, *q = e;
  uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do {
    *--q = (char)('0' + u % 10);
    u /= 10;
  } while (u > 0);
  if (v < 0)
    *--q = '-';
  jbuf_raw(b, q, (size_t)(e - q));
}

char *jbuf_take(struct jbuf *b, size_t *len) {
  *len = 0;
  if (reserve(b, 0) != 0) {
    jbuf_free(b);
    return NULL;
  }
  char *p = b->p;
  p[b->len] = '\0';
  *len = b->len;
  jbuf_init(b);
  return p;
}

void jbuf_free(struct jbuf *b) {
  free(b->p);
  jbuf_init(b);
}
