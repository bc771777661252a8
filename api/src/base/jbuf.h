/*
 * jbuf.h — JSON written straight into a growing buffer, for the few hot
 * replies where building a jansson tree and dumping it was most of a
 * request's time (the candidates page, the resident record).  The writer
 * knows nothing of the document's shape: the caller puts the braces,
 * commas and keys; jbuf escapes strings and formats numbers.
 *
 * A failed allocation sets the buffer's failed flag and every later write
 * does nothing, so a caller checks once, at jbuf_take.  Not thread-safe
 * (one buffer per request).
 */
#ifndef PADAN_JBUF_H
#define PADAN_JBUF_H

#include <stddef.h>
#include <stdint.h>

struct jbuf {
  char *p;
  size_t len, cap;
  int failed;
};

/* An empty buffer; nothing allocated yet. */
void jbuf_init(struct jbuf *b);
/* n bytes of s as they are (s may be NULL when n is 0). */
void jbuf_raw(struct jbuf *b, const char *s, size_t n);
/* A NUL-terminated text as it is (keys, punctuation). */
void jbuf_lit(struct jbuf *b, const char *s);
/* s as a JSON string, or null when s is NULL.  Control characters are
 * escaped; a byte that does not start valid UTF-8 becomes U+FFFD (jansson
 * would have refused the whole document). */
void jbuf_str(struct jbuf *b, const char *s);
/* The n bytes at s as a JSON string (s not NULL; a NUL among them ends
 * the text early). */
void jbuf_strn(struct jbuf *b, const char *s, size_t n);
/* An integer. */
void jbuf_int(struct jbuf *b, int64_t v);
/* The text (malloc'd, NUL-terminated; the caller frees it) and its length
 * in *len; NULL when a write failed.  The buffer is empty afterwards. */
char *jbuf_take(struct jbuf *b, size_t *len);
/* Frees what the buffer holds. */
void jbuf_free(struct jbuf *b);

#endif
