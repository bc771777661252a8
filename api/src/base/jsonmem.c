/*
 * jsonmem.c — jansson's allocator with a reserve for parses that run out
 * of memory (see jsonmem.h for why).
 *
 * The reserve is one static buffer (BSS: it costs no memory until a parse
 * runs out), handed out by bumping an offset.  One parse at a time holds
 * it: the first failed allocation inside a parse takes the lock, the end
 * of that parse (after its value is released) gives it back.  Freeing a
 * pointer into the reserve does nothing.  A parse of the largest body the
 * server accepts (64 KiB) allocates far less than the reserve; should one
 * ever exhaust it, the process aborts rather than let jansson write past a
 * buffer.
 */
#include "jsonmem.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define RESERVE_BYTES (16u * 1024 * 1024)
#define ALIGN 16u

static _Alignas(16) unsigned char reserve[RESERVE_BYTES];
static size_t reserve_used;
static pthread_mutex_t reserve_lock = PTHREAD_MUTEX_INITIALIZER;

static _Thread_local int in_parse; /* inside jsonmem_loadb */
static _Thread_local int holding;  /* this thread's parse holds the reserve */

static void *jm_malloc(size_t n) {
  void *p = malloc(n);
  if (p != NULL || !in_parse)
    return p;
  if (!holding) {
    pthread_mutex_lock(&reserve_lock);
    holding = 1;
    reserve_used = 0;
  }
  size_t size = (n + ALIGN - 1) / ALIGN * ALIGN;
  if (size < n || size > RESERVE_BYTES - reserve_used) {
    fputs("padan: out of memory while parsing JSON, and the reserve is spent\n", stderr);
    abort();
  }
  p = reserve + reserve_used;
  reserve_used += size;
  return p;
}

static void jm_free(void *p) {
  uintptr_t a = (uintptr_t)p, lo = (uintptr_t)reserve;
  if (a >= lo && a < lo + RESERVE_BYTES)
    return;
  free(p);
}

static void install(void) {
  json_set_alloc_funcs(jm_malloc, jm_free);
}

void jsonmem_install(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, install);
}

json_t *jsonmem_loadb(const char *data, size_t len, size_t flags, json_error_t *err, int *oom) {
  in_parse = 1;
  json_t *v = json_loadb(data, len, flags, err);
  in_parse = 0;
  *oom = holding;
  if (holding) {
    json_decref(v);
    v = NULL;
    holding = 0;
    pthread_mutex_unlock(&reserve_lock);
  }
  return v;
}
