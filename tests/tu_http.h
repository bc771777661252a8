/*
 * tu_http.h — the real padan server for integration tests, and a small
 * HTTP/1.1 client to talk to it.
 *
 * tu_server_start() seeds a fresh data directory with N synthetic residents,
 * creates the demo accounts and starts `padan serve` on a free loopback
 * port; tu_server_stop() stops it with SIGTERM and checks it exited cleanly.
 * Every response an employer's token receives is appended to the file named
 * by $PADAN_EMPLOYER_LOG (one JSON object per line: method, path, status,
 * content type, body), so that one test can check everything employers were
 * ever shown across the whole suite (tests/check_zz_employer_privacy.c);
 * every response at all goes to $PADAN_RESPONSE_LOG for the check against
 * the OpenAPI document (tests/openapi_validate.mjs).  The assertions every
 * HTTP test shares live here too (tu_call*, tu_expect_*): tests/README.md
 * says which to use for what.
 */
#ifndef PADAN_TU_HTTP_H
#define PADAN_TU_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct tu_server {
  char *dir; /* data directory (removed by tu_server_stop) */
  uint16_t port;
  pid_t pid;
  json_t *demo; /* demo-credentials.json */
};

struct tu_resp {
  int status;
  char head[8192]; /* status line and headers */
  char *body;      /* NUL-terminated, malloc'd */
  size_t body_len;
};

void tu_server_start(struct tu_server *s, int residents, int seed);
void tu_server_stop(struct tu_server *s);
/* Starts `padan serve` again on the same data directory (after the test
 * killed it), on a new free port. */
void tu_server_restart(struct tu_server *s);

/* One request on a fresh connection.  token and content_type may be NULL;
 * body may be NULL (len then ignored).  Fails the test when no response
 * arrives. */
void tu_request(struct tu_server *s, const char *method, const char *path, const char *token,
                const char *content_type, const char *body, size_t len, struct tu_resp *r);
/* The same with a JSON body (or none) built from a format for json_pack. */
void tu_json_request(struct tu_server *s, const char *method, const char *path, const char *token,
                     json_t *body_stolen, struct tu_resp *r);
void tu_resp_free(struct tu_resp *r);

/* The same with a JSON body given as text (or NULL). */
void tu_text_request(struct tu_server *s, const char *method, const char *path, const char *token,
                     const char *body, struct tu_resp *r);
/* One request without token or body that goes to neither log: only for
 * paths the OpenAPI document leaves out on purpose (a page asset that does
 * not exist, check_web.c). */
void tu_request_unlogged(struct tu_server *s, const char *method, const char *path,
                         struct tu_resp *r);

/* The client's parts, for tests that write raw HTTP (check_http.c).
 * tu_dial: a connection to the loopback port (2-minute timeouts), or -1.
 * tu_send_all: all of buf; errors are ignored, since a server may answer
 * and close before it has read everything (413), which the reply shows.
 * tu_read_response: one response, the head byte by byte (never past it),
 * then exactly Content-Length bytes (none for HEAD, 204 and 304; to EOF
 * without a length); 0, or -1 when the connection ended first. */
int tu_dial(uint16_t port);
void tu_send_all(int fd, const char *buf, size_t len);
int tu_read_response(int fd, int head_request, struct tu_resp *r);

/* The body parsed (caller decrefs); fails the test when it is not JSON. */
json_t *tu_json(const struct tu_resp *r);
/* Header value into out; 1 when present. */
int tu_header(const struct tu_resp *r, const char *name, char *out, size_t size);
/* Asserts header name is there with exactly the value want. */
void tu_expect_header(const struct tu_resp *r, const char *name, const char *want);
/* Asserts a problem+json reply with this status and code, and both texts
 * (detail, detail_id). */
void tu_expect_problem(const struct tu_resp *r, int status, const char *code);
/* Asserts that problem's errors name field (with code, unless NULL) and
 * that every error carries its texts (detail_id, detail_en). */
void tu_expect_names_field(const json_t *problem, const char *field, const char *code);
/* The same for several: pairs of field and code (NULL: any), then NULL. */
void tu_expect_names_fields(const json_t *problem, ...) __attribute__((sentinel));
/* 1 when a and b are the same answer byte for byte: status, Content-Type,
 * Content-Length and body. */
int tu_same_answer(const struct tu_resp *a, const struct tu_resp *b);

/* One request that must answer want, with a JSON body given as text (or
 * NULL): fails the test naming method, path, status and body otherwise.
 * Returns the answer parsed (the test fails when it is not JSON), NULL for
 * an empty one; the caller decrefs.  The usual call of an HTTP test. */
json_t *tu_call(struct tu_server *s, const char *method, const char *path, const char *token,
                const char *body, int want);
/* The same with the body built by the caller (stolen, may be NULL). */
json_t *tu_call_json(struct tu_server *s, const char *method, const char *path, const char *token,
                     json_t *body_stolen, int want);

/* One request that must answer a problem (tu_expect_problem: status,
 * problem+json, code, texts); returns it parsed, the caller decrefs. */
json_t *tu_call_problem(struct tu_server *s, const char *method, const char *path,
                        const char *token, const char *body, int status, const char *code);
/* One request that must answer 400 invalid-input whose errors name field
 * (with code, unless NULL). */
void tu_expect_field_error(struct tu_server *s, const char *method, const char *path,
                           const char *token, const char *body, const char *field,
                           const char *code);
/* The same, and that error is the problem's only one. */
void tu_expect_only_field_error(struct tu_server *s, const char *method, const char *path,
                                const char *token, const char *body, const char *field,
                                const char *code);
/* An object out of token's scope is hidden: method path answers exactly
 * what missing_path (the same route with an id that does not exist)
 * answers, a 404 not-found problem byte for byte, naming neither path. */
void tu_expect_hidden(struct tu_server *s, const char *method, const char *path,
                      const char *missing_path, const char *token, const char *body);

/* Logs in as the demo account of role; the caller frees the token. */
char *tu_login(struct tu_server *s, const char *role);
/* Logs in as username; the caller frees the token. */
char *tu_login_as(struct tu_server *s, const char *username, const char *password);
/* Adds an account with `padan user add` as role, scoped by scope_flag and
 * scope_code ("--employer", "EMP-003"; both NULL for none), and logs it in;
 * an employer's responses are logged like the demo employer's.  The caller
 * frees the token. */
char *tu_add_user(struct tu_server *s, const char *username, const char *role,
                  const char *scope_flag, const char *scope_code);
/* Also appends every line of the employer log to file: this binary's own
 * copy, for a test that checks what its employers were shown itself
 * (check_api_matching.c).  Call it in the fixture, before the requests. */
void tu_employer_log_copy(const char *file);
/* Appends one thing an employer was shown (a webhook body a receiver got)
 * to $PADAN_EMPLOYER_LOG, as tu_request does for employer tokens. */
void tu_log_employer(const char *method, const char *path, int status, const char *body,
                     size_t body_len);
/* Logs the responses to token (an employer's API key) like an employer
 * token's. */
void tu_track_employer_token(const char *token);
/* A demo account's field ("username", "password", "scope"). */
const char *tu_demo(struct tu_server *s, const char *role, const char *field);

#endif
