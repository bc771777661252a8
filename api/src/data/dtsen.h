/*
 * dtsen.h — the DTSEN-like resident extract: its enumerations and its
 * validated, all-or-nothing import into the store.
 *
 * The CSV format (columns, types, enumerations, every validation rule and
 * its error code) is specified in docs/DTSEN-FORMAT.md; the synthetic
 * generator (seedgen.h) writes the same format.  An import reads the file
 * once, inside one write transaction: it validates every row, collects
 * every problem and upserts each valid row by NIK while no error has been
 * seen; it commits only a file without an error (see docs/DTSEN-FORMAT.md).
 * Memory stays bounded: one record at a time plus a set of the NIKs seen
 * (16 bytes per row) and SQLite's page cache.
 */
#ifndef PADAN_DTSEN_H
#define PADAN_DTSEN_H

#include <stddef.h>
#include <stdio.h>

#include "vocab.h"

struct store;
struct json_t;

/* The columns, in the order the generator writes them. */
#define DTSEN_N_COLUMNS 22
extern const char *const dtsen_columns[DTSEN_N_COLUMNS + 1];

/* Field rules shared with the governance functions (gov.c), which check a
 * correction's or an intervention row's fields as the import checks the
 * extract's.  dtsen_text_ok: s (len bytes) is valid UTF-8 without any
 * control character (tab included: one-line text).  dtsen_parse_uint: the
 * value of 1–9 decimal digits, or -1.  dtsen_copy_cut: copies len bytes of
 * src (NULL: none) into dst, cut to cap - 1 and terminated. */
int dtsen_text_ok(const char *s, size_t len);
int dtsen_parse_uint(const char *s, size_t len);
void dtsen_copy_cut(char *dst, size_t cap, const char *src, size_t len);

/* ---- Import ------------------------------------------------------------------ */

enum dtsen_result {
  DTSEN_OK = 0,        /* every row valid; written unless dry-run */
  DTSEN_EINVALID = -1, /* the report lists the problems; nothing was written */
  DTSEN_ESTORE = -2,   /* the database failed; rolled back, nothing was written */
  DTSEN_ENOMEM = -3,
};

#define DTSEN_MAX_ISSUES 1000

struct dtsen_options {
  int dry_run; /* validate and count in a transaction that is rolled back */
  /* "YYYY-MM-DD": dates after it are refused and NIK years resolve against
   * it.  NULL: today in Kota Tangerang (UTC+7). */
  const char *today;
  size_t max_issues; /* issues kept in the report; 0 = DTSEN_MAX_ISSUES */
  /* "YYYY-MM-DD": the day the extract was made.  A field a person
   * corrected after it keeps the correction (a corrected_after_extract
   * warning).  NULL: unknown, so every corrected field is kept. */
  const char *extract_date;
};

/* One problem found in the file. */
struct dtsen_issue {
  size_t line;                         /* line where the record starts (the header is line 1) */
  size_t row;                          /* 1-based data row; 0 for the header or the whole file */
  char column[32];                     /* column name; "" when about the whole row or file */
  const char *code;                    /* stable code, e.g. "desil_range" (static string) */
  const char *message_id, *message_en; /* static strings */
  char value[64];                      /* the offending value, cut to fit; "" when none */
  int warning;                         /* 1: the row was imported and flagged; 0: an error */
};

/* Issue lists are shared with the other validating import (the intervention
 * registry, gov.h), so both report the same way. */

/* Fills *is; column and value (value_len bytes) may be NULL and are cut to
 * fit; code and messages must be static strings. */
void dtsen_issue_fill(struct dtsen_issue *is, size_t line, size_t row, const char *column,
                      const char *code, const char *message_id, const char *message_en,
                      const char *value, size_t value_len, int warning);
/* Appends a copy of *is to issues[0..*n) of capacity *cap, growing it, while
 * fewer than max are kept (past max it is dropped).  0, or -1 when the list
 * could not grow. */
int dtsen_issue_push(struct dtsen_issue **issues, size_t *n, size_t *cap, size_t max,
                     const struct dtsen_issue *is);
/* The issues as a JSON array (a new reference), NULL when out of memory. */
struct json_t *dtsen_issues_json(const struct dtsen_issue *issues, size_t n);
/* Writes j indented with a final newline and releases it; 0 or -1 (also
 * for a NULL j). */
int dtsen_json_print(FILE *f, struct json_t *j);

struct dtsen_report {
  enum dtsen_result status;
  int dry_run;
  int committed; /* 1 when the rows were written */
  size_t rows;   /* data rows read */
  /* What the upserts did (in a dry run: would have done). */
  size_t new_rows, updated, unchanged;
  size_t flagged;          /* valid rows whose NIK disagrees with birth date or sex */
  size_t erased;           /* rows refused because their NIK is an erased resident's (warnings) */
  size_t kept;             /* fields kept because a person corrected them after the extract */
  size_t error_rows;       /* rows with at least one error */
  size_t errors, warnings; /* every issue counted, kept or not */
  struct dtsen_issue *issues; /* the first max_issues, in file order */
  size_t n_issues;
  size_t issues_cap; /* private */
};

/* Validates data (len bytes of CSV, borrowed) and upserts its rows by NIK
 * in one transaction on s, committed when every row is valid and
 * o->dry_run is 0 (rolled back otherwise: nothing is written).
 * Kelurahan and skill codes must already be in the store.  A row whose NIK
 * disagrees with its birth date or sex is imported with nik_flag naming the
 * disagreement ("birth_date_mismatch", "sex_mismatch", or both joined by
 * ';') and listed as a warning.  o may be NULL for the defaults.  *rep is
 * filled in every case (also on failure) and owned by the caller:
 * dtsen_report_free().  Returns rep->status. */
enum dtsen_result dtsen_import(struct store *s, const char *data, size_t len,
                               const struct dtsen_options *o, struct dtsen_report *rep);

/* Frees the issue list; accepts NULL and a zeroed report. */
void dtsen_report_free(struct dtsen_report *rep);

/* The report as a JSON object (see docs/DTSEN-FORMAT.md); a new reference
 * the caller releases with json_decref(), NULL on allocation failure. */
struct json_t *dtsen_report_json(const struct dtsen_report *rep);

/* Writes the JSON report, indented, with a final newline.  Returns 0 or
 * -1. */
int dtsen_report_print(FILE *f, const struct dtsen_report *rep);

#endif
