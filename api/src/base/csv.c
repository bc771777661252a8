/*
 * RFC 4180 CSV reader and writer (see csv.h).  Records may end in LF or
 * CRLF; a quoted field may hold separators, doubled quotes and line breaks.
 */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

void csv_reader_init(struct csv_reader *r, const char *data, size_t len) {
  memset(r, 0, sizeof *r);
  r->data = data;
  r->len = len;
  r->line = 1;
  r->next_line = 1;
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
    r->pos = 3;
}

void csv_reader_free(struct csv_reader *r) {
  free(r->scratch);
  r->scratch = NULL;
  r->scratch_cap = 0;
}

/* A record's unescaped text is never longer than its raw text, plus one NUL
 * per field: reserve that much before parsing so field pointers stay put. */
static int reserve(struct csv_reader *r, size_t need) {
  if (need <= r->scratch_cap)
    return 0;
  size_t cap = r->scratch_cap ? r->scratch_cap : 256;
  while (cap < need)
    cap *= 2;
  char *p = realloc(r->scratch, cap);
  if (p == NULL)
    return -1;
  r->scratch = p;
  r->scratch_cap = cap;
  return 0;
}

/* Length of the raw record starting at pos, honouring quotes; sets
 * *unterminated when a quote never closes. */
static size_t raw_length(const struct csv_reader *r, int *unterminated) {
  size_t i = r->pos;
  int quoted = 0;
  *unterminated = 0;
  for (; i < r->len; i++) {
    char c = r->data[i];
    if (c == '"')
      quoted = !quoted;
    else if (c == '\n' && !quoted)
      break;
  }
  if (quoted)
    *unterminated = 1;
  return i - r->pos;
}

int csv_next(struct csv_reader *r) {
  /* skip blank lines */
  while (r->pos < r->len && (r->data[r->pos] == '\n' || r->data[r->pos] == '\r')) {
    if (r->data[r->pos] == '\n')
      r->next_line++;
    r->pos++;
  }
  if (r->pos >= r->len)
    return CSV_END;

  int unterminated;
  size_t raw = raw_length(r, &unterminated);
  if (unterminated)
    return CSV_ERR_QUOTE;
  if (reserve(r, raw + CSV_MAX_FIELDS + 1) != 0)
    return CSV_ERR_NOMEM;

  const char *p = r->data + r->pos, *end = p + raw;
  if (end > p && end[-1] == '\r')
    end--;
  char *out = r->scratch;
  size_t lines = 0;
  r->nfields = 0;
  for (;;) {
    if (r->nfields == CSV_MAX_FIELDS)
      return CSV_ERR_FIELDS;
    struct csv_field *f = &r->fields[r->nfields++];
    f->p = out;
    if (p < end && *p == '"') {
      p++;
      while (p < end) {
        if (*p == '"') {
          if (p + 1 < end && p[1] == '"') {
            *out++ = '"';
            p += 2;
            continue;
          }
          p++;
          break;
        }
        if (*p == '\n')
          lines++;
        *out++ = *p++;
      }
      /* anything between the closing quote and the separator is kept
       * verbatim, as lenient readers do */
      while (p < end && *p != ',')
        *out++ = *p++;
    } else {
      while (p < end && *p != ',')
        *out++ = *p++;
    }
    f->len = (size_t)(out - f->p);
    *out++ = '\0';
    if (p < end && *p == ',') {
      p++;
      continue;
    }
    break;
  }
  r->pos += raw;
  if (r->pos < r->len)
    r->pos++; /* the LF */
  r->line = r->next_line;
  r->next_line += 1 + lines;
  return CSV_RECORD;
}

int csv_column(const struct csv_reader *r, const char *name) {
  for (size_t i = 0; i < r->nfields; i++)
    if (strcmp(r->fields[i].p, name) == 0)
      return (int)i;
  return -1;
}

/* 1 when s is a plain decimal number ("-3", "+2.5"): a spreadsheet reads
 * it as a number, never as a formula, so it is written as it is. */
static int plain_number(const char *s) {
  const char *p = s + (*s == '-' || *s == '+');
  size_t digits = 0, dots = 0;
  for (; *p != '\0'; p++) {
    if (*p >= '0' && *p <= '9')
      digits++;
    else if (*p == '.' && dots++ == 0)
      continue;
    else
      return 0;
  }
  return digits > 0;
}

/* Writes s, quoted when it holds a comma, quote, CR or LF; with lead, a
 * single quote goes first (inside the quotes). */
static int write_field(FILE *f, const char *s, int lead) {
  if (!lead && strpbrk(s, ",\"\r\n") == NULL)
    return fputs(s, f) < 0 ? EOF : 0;
  int quote = strpbrk(s, ",\"\r\n") != NULL;
  if (quote && fputc('"', f) == EOF)
    return EOF;
  if (lead && fputc('\'', f) == EOF)
    return EOF;
  for (; *s; s++) {
    if (*s == '"' && fputc('"', f) == EOF)
      return EOF;
    if (fputc(*s, f) == EOF)
      return EOF;
  }
  return quote && fputc('"', f) == EOF ? EOF : 0;
}

int csv_write_field(FILE *f, const char *s) {
  if (s == NULL)
    return 0;
  int lead = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0' && !plain_number(s);
  return write_field(f, s, lead);
}

int csv_write_data_field(FILE *f, const char *s) {
  return s == NULL ? 0 : write_field(f, s, 0);
}
