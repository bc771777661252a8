/*
 * h_web.c — the pages for the kelurahan desk, the Disnaker officer and the
 * employer (docs/PAGES.md): static HTML, CSS and ES modules from api/web/,
 * compiled into the binary (base/embedded.h) and served as they are.
 *
 * GET / is the one HTML page (the app picks the role's view by hash route);
 * it names its assets under /assets/<version>/, where the version is a hash
 * of every web file, so an asset URL can be cached for a year: a changed
 * file changes the version and so every URL.  Each file has its own route
 * row below, so the dispatcher's plain patterns serve them and the OpenAPI
 * document lists each.  The HTML itself is never cached (no-cache), so a
 * new binary is picked up at the next load.  An old version's URL answers
 * 404 rather than today's file under a stale name.
 *
 * Every page answer carries a strict Content-Security-Policy (own origin
 * only, no inline script or style, no framing) and Referrer-Policy:
 * no-referrer; json_io.c adds X-Content-Type-Options: nosniff.  The files
 * are text the page code puts into the DOM with textContent only; nothing
 * here reads the database.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "http.h"
#include "json_io.h"

#define CSP "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
#define CACHE_FOREVER "public, max-age=31536000, immutable"
/* An asset's route: this prefix, then its path under api/web/. */
#define ASSET_PREFIX "/assets/{v}/"
/* Where index.html names the asset version. */
#define VERSION_MARK "@VERSION@"

static char version[24];
static pthread_once_t version_once = PTHREAD_ONCE_INIT;

/* FNV-1a over every file's name and bytes, kept positive and non-zero so
 * that it is a valid {v} path segment (http.h). */
static void version_compute(void) {
  uint64_t h = 14695981039346656037ull;
  for (const struct api_embedded *f = api_web; f->name != NULL; f++) {
    for (const char *c = f->name; *c != '\0'; c++)
      h = (h ^ (unsigned char)*c) * 1099511628211ull;
    for (size_t i = 0; i < f->len; i++)
      h = (h ^ (unsigned char)f->data[i]) * 1099511628211ull;
  }
  h &= INT64_MAX;
  snprintf(version, sizeof version, "%" PRIu64, h != 0 ? h : 1);
}

static const char *asset_version(void) {
  pthread_once(&version_once, version_compute);
  return version;
}

/* The media type of a file name, by its extension; NULL when not served. */
static const char *media_type(const char *name) {
  static const struct {
    const char *ext, *type;
  } types[] = {
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".json", "application/json"},
  };
  size_t n = strlen(name);
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    size_t e = strlen(types[i].ext);
    if (n > e && strcmp(name + n - e, types[i].ext) == 0)
      return types[i].type;
  }
  return NULL;
}

/* The headers every page answer carries; cache is its Cache-Control. */
static void page_headers(struct api_req *r, const char *cache) {
  api_reply_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "%s", cache);
  api_reply_header(r, "Content-Security-Policy", "%s", CSP);
  api_reply_header(r, "Referrer-Policy", "no-referrer");
}

/* index.html with every VERSION_MARK replaced by the asset version. */
static enum MHD_Result h_index(struct api_req *r) {
  const struct api_embedded *f = api_embedded_find(api_web, "index.html");
  if (f == NULL)
    return api_reply_problem(r, API_E_NOT_FOUND);
  const char *v = asset_version();
  size_t mark = strlen(VERSION_MARK), vlen = strlen(v), marks = 0;
  for (const char *p = f->data; (p = strstr(p, VERSION_MARK)) != NULL; p += mark)
    marks++;
  size_t cap = f->len + marks * vlen + 1;
  char *out = malloc(cap), *o = out;
  if (out == NULL)
    return api_reply_problem(r, API_E_INTERNAL);
  for (const char *p = f->data, *hit; *p != '\0'; p = hit + mark) {
    hit = strstr(p, VERSION_MARK);
    size_t n = hit != NULL ? (size_t)(hit - p) : strlen(p);
    memcpy(o, p, n);
    o += n;
    if (hit == NULL)
      break;
    memcpy(o, v, vlen);
    o += vlen;
  }
  page_headers(r, "no-cache");
  return api_reply_bytes(r, MHD_HTTP_OK, "text/html; charset=utf-8", out, (size_t)(o - out));
}

/* /assets/{v}/<name>: one file of api/web/, this version's only.  The
 * file is the route's (its pattern after the version), so only the files
 * listed below are ever served. */
static enum MHD_Result h_asset(struct api_req *r) {
  char want[24];
  snprintf(want, sizeof want, "%" PRId64, r->id[0]);
  const char *name = r->route->pattern + strlen(ASSET_PREFIX);
  const struct api_embedded *f = api_embedded_find(api_web, name);
  const char *type = media_type(name);
  if (strcmp(want, asset_version()) != 0 || f == NULL || type == NULL)
    return api_reply_problem(r, API_E_NOT_FOUND);
  char *copy = malloc(f->len + 1);
  if (copy == NULL)
    return api_reply_problem(r, API_E_INTERNAL);
  memcpy(copy, f->data, f->len);
  page_headers(r, CACHE_FOREVER);
  return api_reply_bytes(r, MHD_HTTP_OK, type, copy, f->len);
}

/* One row per file of api/web/ but index.html (tests/check_web.c fails
 * when a file has no row, or a row no file). */
#define ASSET(file)                                                                                \
  { "GET", ASSET_PREFIX file, h_asset, API_PUBLIC, NULL }

const struct api_route api_routes_web[] = {
    {"GET", "/", h_index, API_PUBLIC, NULL},
    ASSET("app.js"),
    ASSET("api.js"),
    ASSET("render.js"),
    ASSET("charts.js"),
    ASSET("desk.js"),
    ASSET("officer.js"),
    ASSET("employer.js"),
    ASSET("i18n/id.js"),
    ASSET("i18n/en.js"),
    ASSET("app.css"),
    ASSET("print.css"),
    ASSET("icon.svg"),
    {NULL, NULL, NULL, 0, NULL},
};
