/*
 * jsonmem.h — jansson's allocator, and JSON parsing that survives running
 * out of memory.
 *
 * jansson 2.14 (Debian 12's) corrupts the heap when an allocation fails
 * while its lexer saves a string of 16 bytes or more: the failed append is
 * ignored and the string's copy then runs past the saved text (found by
 * tests/check_oom.c; a body as plain as {"phone":"0812-0000-0001"} is
 * enough).  So a parse must never see a failed allocation: once malloc
 * fails inside jsonmem_loadb, the rest of that parse is served from a
 * static reserve, the result is thrown away and the caller is told the
 * parse ran out of memory.  Every other jansson call sees malloc as it is
 * (its builders and its encoder return NULL or -1 correctly).
 */
#ifndef PADAN_JSONMEM_H
#define PADAN_JSONMEM_H

#include <stddef.h>

#include <jansson.h>

/* Makes jansson allocate through this module; the first call only.  Call
 * it before any other jansson call (cli_main does; a test that starts the
 * server without it calls it itself). */
void jsonmem_install(void);

/* json_loadb(data, len, flags, err) that never lets jansson see a failed
 * allocation.  Returns the value (a new reference) or NULL; on NULL,
 * *oom is 1 when memory ran out (err is then meaningless: answer 5xx,
 * never "invalid JSON") and 0 when data is not valid JSON (err says
 * where). */
json_t *jsonmem_loadb(const char *data, size_t len, size_t flags, json_error_t *err, int *oom);

#endif
