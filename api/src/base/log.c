/*
 * log.c — the structured log lines of log.h.
 *
 * The line is built in a stack buffer and written with one fputs: a log
 * line never allocates, so it can be written on the way out of an
 * out-of-memory failure.  A string too long for the buffer is cut, still
 * escaped and still closed, so a line is always one valid JSON object.
 */
#include "log.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

static atomic_int quiet;
static atomic_uint_fast64_t counter;
static atomic_uint prefix; /* 0 until first used */

void log_set_quiet(int q) {
  atomic_store(&quiet, q);
}

void log_request_id(char out[LOG_REQUEST_ID_SIZE]) {
  unsigned p = atomic_load(&prefix);
  if (p == 0) {
    unsigned fresh = randombytes_random() | 1u; /* never 0, so it is set once */
    unsigned expected = 0;
    atomic_compare_exchange_strong(&prefix, &expected, fresh);
    p = atomic_load(&prefix);
  }
  uint64_t n = atomic_fetch_add(&counter, 1) + 1;
  snprintf(out, LOG_REQUEST_ID_SIZE, "%08x-%06llx", p, (unsigned long long)(n & 0xffffffu));
}

/* Appends s JSON-escaped to buf (size bytes, *len used), leaving room for
 * the closing characters; cuts s when it does not fit. */
static void put_escaped(char *buf, size_t size, size_t *len, const char *s) {
  static const char hex[] = "0123456789abcdef";
  for (; *s != '\0' && *len + 8 < size; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      buf[(*len)++] = '\\';
      buf[(*len)++] = (char)c;
    } else if (c < 0x20 || c == 0x7f) {
      buf[(*len)++] = '\\';
      buf[(*len)++] = 'u';
      buf[(*len)++] = '0';
      buf[(*len)++] = '0';
      buf[(*len)++] = hex[c >> 4];
      buf[(*len)++] = hex[c & 15];
    } else {
      buf[(*len)++] = (char)c;
    }
  }
  buf[*len] = '\0';
}

static void put_raw(char *buf, size_t size, size_t *len, const char *s) {
  size_t n = strlen(s);
  if (*len + n + 4 >= size)
    n = size - *len > 4 ? size - *len - 4 : 0;
  memcpy(buf + *len, s, n);
  *len += n;
  buf[*len] = '\0';
}

/* {"ts":"…","level":"…","msg":"… — the common head of every line. */
static void head(char *buf, size_t size, size_t *len, const char *level, const char *msg) {
  struct timespec now;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &now);
  gmtime_r(&now.tv_sec, &tm);
  char ts[24], ms[8];
  strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(ms, sizeof ms, ".%03dZ", (int)(now.tv_nsec / 1000000) % 1000);
  *len = 0;
  put_raw(buf, size, len, "{\"ts\":\"");
  put_raw(buf, size, len, ts);
  put_raw(buf, size, len, ms);
  put_raw(buf, size, len, "\",\"level\":\"");
  put_escaped(buf, size, len, level);
  put_raw(buf, size, len, "\",\"msg\":\"");
  put_escaped(buf, size, len, msg);
  put_raw(buf, size, len, "\"");
}

static void finish(char *buf, size_t *len) {
  buf[(*len)++] = '}';
  buf[(*len)++] = '\n';
  buf[*len] = '\0';
  fputs(buf, stderr);
}

void log_event(const char *level, const char *msg) {
  if (atomic_load(&quiet))
    return;
  char buf[1024];
  size_t len;
  head(buf, sizeof buf, &len, level, msg);
  finish(buf, &len);
}

void log_request(const char *id, const char *method, const char *route, unsigned status,
                 double duration_ms, int closed_early) {
  if (atomic_load(&quiet))
    return;
  char buf[1024], num[64];
  size_t len;
  head(buf, sizeof buf, &len, "info", "request");
  put_raw(buf, sizeof buf, &len, ",\"request_id\":\"");
  put_escaped(buf, sizeof buf, &len, id != NULL ? id : "-");
  put_raw(buf, sizeof buf, &len, "\",\"method\":\"");
  put_escaped(buf, sizeof buf, &len, method != NULL ? method : "-");
  put_raw(buf, sizeof buf, &len, "\",\"route\":\"");
  put_escaped(buf, sizeof buf, &len, route != NULL ? route : "(no route)");
  snprintf(num, sizeof num, "\",\"status\":%u,\"duration_ms\":%.2f", status, duration_ms);
  put_raw(buf, sizeof buf, &len, num);
  if (closed_early)
    put_raw(buf, sizeof buf, &len, ",\"closed_early\":true");
  finish(buf, &len);
}
