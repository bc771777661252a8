/*
 * listing.h — paginated, filtered lists in one shape for every list
 * endpoint: `?limit=N&cursor=C` plus the endpoint's filters; the reply is
 * {"items": [...], "next_cursor": "..." | null}.
 *
 * Lists are ordered by id ascending, which is stable under inserts; the
 * cursor is an opaque string (base64url of a versioned "after id" and a
 * keyed MAC binding it to its list) so that clients cannot lean on its
 * form, forge one, or carry one to another list.  limit defaults to API_LIST_DEFAULT and
 * may not exceed API_LIST_MAX.
 */
#ifndef PADAN_LISTING_H
#define PADAN_LISTING_H

#include <jansson.h>
#include <stdint.h>

struct api_req;

#define API_LIST_DEFAULT 50
#define API_LIST_MAX 500

/* Bytes of a list's binding: a digest of its route, path ids and filters. */
#define API_CURSOR_BIND 16

struct api_page {
  int64_t after;                       /* rows with id > after */
  int limit;                           /* 1..API_LIST_MAX */
  unsigned char bind[API_CURSOR_BIND]; /* the list's binding (api_page_parse) */
};

/* Reads limit and cursor from the query string.  0, or -1 with a 400
 * problem naming the bad parameter queued. */
int api_page_parse(struct api_req *r, struct api_page *p);

/* The check the dispatcher makes before every handler: allowed lists the
 * parameter names the route accepts (NULL-terminated, "limit" and "cursor"
 * included when it pages; NULL for none); any other parameter, or one
 * given twice, gets a 400 naming it.  0 or -1 (reply queued).  A handler
 * calls it itself only to narrow its route's list for one role. */
int api_query_check(struct api_req *r, const char *const *allowed);

/* The query of a list without filters: {"limit", "cursor", NULL}. */
extern const char *const api_page_query[];

/* An integer / boolean query parameter; absent leaves *out unchanged.
 * 0, or -1 with a 400 naming the parameter queued. */
int api_query_int(struct api_req *r, const char *name, int64_t min, int64_t max, int64_t *out);
int api_query_bool(struct api_req *r, const char *name, int *out);

/* An enumerated query parameter: *out gets the index of its value in
 * values (NULL-terminated); absent leaves *out unchanged.  0, or -1 with a
 * 400 naming the parameter and listing the values queued. */
int api_query_enum(struct api_req *r, const char *name, const char *const *values, int *out);

/* The cursor's text for "after id" on the list bound by bind into out
 * (size bytes, 96 is plenty); 0, or -1 when after is negative or out too
 * small. */
int api_cursor_encode(int64_t after, const unsigned char bind[API_CURSOR_BIND], char *out,
                      size_t size);
/* The id a cursor text stands for; -1 unless text is exactly what this
 * process's api_cursor_encode writes for some id and the same bind. */
int api_cursor_decode(const char *text, const unsigned char bind[API_CURSOR_BIND], int64_t *after);
/* api_page_parse without the request: limit and cursor are the
 * parameters' texts (NULL when absent), p->bind the list's binding.  NULL when both are good (*p
 * set), else a new array of errors naming them, the caller's to json_decref. */
json_t *api_page_check(const char *limit, const char *cursor, struct api_page *p);

/* Builds the reply body from items (stolen): next_cursor encodes last_id
 * when the page was full (more may follow), null otherwise. */
json_t *api_page_body(json_t *items, const struct api_page *p, int64_t last_id);

#endif
