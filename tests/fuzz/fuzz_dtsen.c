/*
 * fuzz_dtsen.c — libFuzzer harness for the DTSEN CSV importer
 * (data/dtsen.h) over a real store.
 *
 * Once: a database in a temporary directory with the built-in reference
 * data (kelurahan, skills), as `padan seed` makes it without residents.
 * Each input is imported as a dry run — every row validated and upserted
 * inside a transaction that is rolled back — so the store stays the same
 * from one input to the next and every path of the importer is reached.
 * Checked: the report agrees with itself (a file with an error row is
 * never OK; the issues kept never pass the cap; a dry run never commits).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtsen.h"
#include "seeds.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct store *st;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  char tmpl[] = "/tmp/padan-fuzz-dtsen-XXXXXX", path[64], err[256];
  if (mkdtemp(tmpl) == NULL)
    abort();
  snprintf(path, sizeof path, "%s/padan.db", tmpl);
  int loaded = 0;
  if (store_open(path, &st, err, sizeof err) != STORE_OK ||
      seeds_load(st, &loaded, err, sizeof err) != 0) {
    fprintf(stderr, "fuzz_dtsen: %s\n", err);
    abort();
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct dtsen_options o = {
      .dry_run = 1, .today = "2026-12-07", .max_issues = 20, .extract_date = "2026-06-01"};
  struct dtsen_report rep;
  enum dtsen_result rc = dtsen_import(st, (const char *)data, size, &o, &rep);
  if (rc != rep.status || rep.committed || rep.n_issues > 20 ||
      rep.n_issues > rep.errors + rep.warnings)
    abort();
  if (rc == DTSEN_OK && (rep.error_rows != 0 || rep.errors != 0))
    abort();
  if (rc == DTSEN_EINVALID && rep.errors == 0)
    abort();
  dtsen_report_free(&rep);
  return 0;
}
