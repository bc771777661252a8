/*
 * Shared helpers for the Check test binaries: temporary directories, child
 * processes, ports, address-space caps for allocation-failure tests, running
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

/* Output of a finished child process. */
struct tu_proc {
  int status; /* exit status, or 128 + signal */
  char *out;  /* stdout, NUL-terminated, malloc'd */
  char *err;  /* stderr, NUL-terminated, malloc'd */
};

/* Runs argv (argv[0] is a path) to completion with stdin from /dev/null and
 * extra environment settings env ("NAME=value", NULL-terminated, may be
 * NULL); fills p.  Free with tu_proc_free. */
void tu_run(char *const argv[], char *const env[], struct tu_proc *p);
void tu_proc_free(struct tu_proc *p);

/* A TCP port on 127.0.0.1 that was free a moment ago. */
int tu_free_port(void);

/* Allocation-failure tests cap RLIMIT_AS a little above what the process
 * holds, so that allocations fail at different points.  tu_address_space:
 * the process's address space in bytes.  tu_cap_address_space: sets the cap
 * to the current size plus extra bytes (extra = SIZE_MAX: lifts it again),
 * with large blocks coming straight from mmap so that every run needs fresh
 * address space.  tu_under_memory_tool: 1 under AddressSanitizer or
 * valgrind, whose own allocations a cap would starve (such tests skip). */
size_t tu_address_space(void);
void tu_cap_address_space(size_t extra);
int tu_under_memory_tool(void);

/* Runs a suite and returns the process exit status (0 when all passed). */
int tu_run_suite(Suite *s);

#endif
