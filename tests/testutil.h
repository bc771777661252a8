/*
 * Shared helpers for the Check test binaries: temporary directories, running
 * a Check suite with the project's defaults.
 */
#ifndef PADAN_TESTUTIL_H
#define PADAN_TESTUTIL_H

#include <check.h>
#include <stddef.h>

/* Creates a fresh temporary directory; returns a malloc'd path the caller
 * frees (after tu_rmtree, if it wants it gone). Aborts the test on failure. */
char *tu_tmpdir(void);

/* Removes a directory tree; ignores errors. */
void tu_rmtree(const char *path);

/* Runs a suite and returns the process exit status (0 when all passed). */
int tu_run_suite(Suite *s);

#endif
