/*
 * log.h — padan's structured log: one JSON object a line on stderr, so a
 * journal or a log shipper can read it without a parser of its own.
 *
 * Every line has "ts" (UTC, milliseconds), "level" and "msg"; a request's
 * line adds "request_id", "method", "route" (the route's pattern, never the
 * path: a path may hold a NIK or a token), "status" and "duration_ms".
 * Nothing personal is ever passed in, and every string is JSON-escaped
 * here, so a caller cannot break a line.  Lines are written with one
 * fputs each (stderr is unbuffered; a line under PIPE_BUF reaches a pipe
 * whole), so threads do not interleave inside one.
 */
#ifndef PADAN_LOG_H
#define PADAN_LOG_H

/* A request's id: a random 32-bit prefix chosen once per process and a
 * counter, "5f3a09c1-000123" (16 bytes with the NUL).  Thread-safe. */
#define LOG_REQUEST_ID_SIZE 16
void log_request_id(char out[LOG_REQUEST_ID_SIZE]);

/* One request's line.  id, method and route may be NULL ("-", "(no
 * route)"); closed_early adds "closed_early": true. */
void log_request(const char *id, const char *method, const char *route, unsigned status,
                 double duration_ms, int closed_early);

/* Any other event: level "info", "warn" or "error"; msg is escaped. */
void log_event(const char *level, const char *msg);

/* 1: drop every line (the fuzz harness serving thousands of requests a
 * second); 0: write them (the default). */
void log_set_quiet(int quiet);

#endif
