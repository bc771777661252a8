/*
 * csv.h — RFC 4180 CSV reading and writing over memory buffers.
 *
 * The reader walks a buffer record by record and hands out fields as
 * pointer+length slices into a scratch buffer the reader owns (quoted fields
 * are unescaped there), so seeds, DTSEN extracts and intervention files are
 * parsed by one tested piece of code.  The writer quotes only when needed.
 */
#ifndef PADAN_CSV_H
#define PADAN_CSV_H

#include <stddef.h>
#include <stdio.h>

#define CSV_MAX_FIELDS 64

struct csv_field {
  const char *p; /* NUL-terminated copy, valid until the next csv_next() */
  size_t len;
};

struct csv_reader {
  const char *data;
  size_t len, pos;
  size_t line;      /* 1-based line where the current record started */
  size_t next_line; /* private */
  size_t nfields;
  struct csv_field fields[CSV_MAX_FIELDS];
  char *scratch; /* owned; freed by csv_reader_free */
  size_t scratch_cap;
};

enum csv_status {
  CSV_RECORD = 1,
  CSV_END = 0,
  CSV_ERR_QUOTE = -1,
  CSV_ERR_FIELDS = -2,
  CSV_ERR_NOMEM = -3
};

/* Starts reading data (len bytes, borrowed for the reader's life).  A UTF-8
 * byte-order mark is skipped. */
void csv_reader_init(struct csv_reader *r, const char *data, size_t len);
void csv_reader_free(struct csv_reader *r);

/* Reads the next record into r->fields.  Blank lines are skipped.  Returns
 * CSV_RECORD, CSV_END, or a negative error (unterminated quote, more than
 * CSV_MAX_FIELDS fields, out of memory). */
int csv_next(struct csv_reader *r);

/* Index of the column called name in the current record (the header), or
 * -1. */
int csv_column(const struct csv_reader *r, const char *name);

/* Writes one field, quoted when it holds a comma, quote, CR or LF; the caller
 * writes separators.  Returns 0 or EOF.  Every CSV a person may open in a
 * spreadsheet goes through this writer: a cell that starts with = + - @, a
 * tab or a CR (which a spreadsheet would run as a formula) gets a single
 * quote in front ("=HYPERLINK(..)" is written '=HYPERLINK(..)), unless it is
 * a plain decimal number such as -3 or +2.5. */
int csv_write_field(FILE *f, const char *s);

/* The same without the formula guard, for files only a program reads back
 * (a synthetic DTSEN extract for the importer).  Returns 0 or EOF. */
int csv_write_data_field(FILE *f, const char *s);

#endif
