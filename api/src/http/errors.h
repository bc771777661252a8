/*
 * errors.h — every error the API can answer, in one X-macro table.
 *
 * Each row gives the enum name, the HTTP status, the slug that forms the
 * problem+json "type" (urn:padan:problem:<slug>) and "code", the English
 * title, and the default detail in Indonesian and in English.  A handler
 * names an error by its enum and may override the detail; the status and
 * type always come from here, so a client can rely on them.  Add a row to
 * add an error; never reuse a slug for a different meaning.
 */
#ifndef PADAN_ERRORS_H
#define PADAN_ERRORS_H

#define API_ERRORS(X)                                                                              \
  X(API_E_MALFORMED_JSON, 400, "malformed-json", "Malformed JSON",                                 \
    "Isi permintaan bukan JSON yang sah.", "The request body is not valid JSON.")                  \
  X(API_E_INVALID_INPUT, 400, "invalid-input", "Invalid input",                                    \
    "Ada kolom yang tidak sah; lihat daftar errors.",                                              \
    "Some fields are invalid; see the errors list.")                                               \
  X(API_E_BAD_REQUEST, 400, "bad-request", "Bad request",                                          \
    "Permintaan HTTP ini cacat (byte NUL, atau Content-Length bersama Transfer-Encoding).",        \
    "The HTTP request is malformed (a NUL byte, or Content-Length with Transfer-Encoding).")       \
  X(API_E_UNAUTHENTICATED, 401, "unauthenticated", "Authentication required",                      \
    "Token tidak ada, tidak sah, kedaluwarsa atau sudah dicabut; silakan masuk lagi.",             \
    "The bearer token is missing, invalid, expired or revoked; log in again.")                     \
  X(API_E_LOGIN_FAILED, 401, "login-failed", "Login failed",                                       \
    "Nama pengguna atau kata sandi salah.", "Wrong username or password.")                         \
  X(API_E_FORBIDDEN, 403, "forbidden", "Forbidden", "Peran Anda tidak boleh memakai fungsi ini.",  \
    "Your role may not use this function.")                                                        \
  X(API_E_NOT_FOUND, 404, "not-found", "Not found", "Sumber daya ini tidak ada.",                  \
    "There is no such resource.")                                                                  \
  X(API_E_METHOD_NOT_ALLOWED, 405, "method-not-allowed", "Method not allowed",                     \
    "Metode HTTP ini tidak tersedia di alamat ini; lihat header Allow.",                           \
    "This HTTP method is not available here; see the Allow header.")                               \
  X(API_E_CONFLICT, 409, "conflict", "Conflict", "Permintaan bertentangan dengan data yang ada.",  \
    "The request conflicts with existing data.")                                                   \
  X(API_E_BODY_TOO_LARGE, 413, "body-too-large", "Body too large",                                 \
    "Isi permintaan melebihi batas ukuran.", "The request body exceeds the size limit.")           \
  X(API_E_UNSUPPORTED_MEDIA_TYPE, 415, "unsupported-media-type", "Unsupported media type",         \
    "Isi permintaan harus bertipe application/json.",                                              \
    "The request body must be application/json.")                                                  \
  X(API_E_URI_TOO_LONG, 414, "uri-too-long", "URI too long", "Alamat permintaan terlalu panjang.", \
    "The request URI is too long.")                                                                \
  X(API_E_HEADERS_TOO_LARGE, 431, "headers-too-large", "Request header fields too large",          \
    "Header permintaan terlalu besar.", "The request headers are too large.")                      \
  X(API_E_UNPROCESSABLE, 422, "unprocessable", "Unprocessable request",                            \
    "Permintaan sah bentuknya tetapi tidak dapat dijalankan.",                                     \
    "The request is well-formed but cannot be carried out.")                                       \
  X(API_E_TOO_MANY_ATTEMPTS, 429, "too-many-attempts", "Too many attempts",                        \
    "Terlalu banyak percobaan masuk yang gagal; coba lagi setelah waktu di header Retry-After.",   \
    "Too many failed logins; try again after the time in the Retry-After header.")                 \
  X(API_E_INTERNAL, 500, "internal", "Internal error",                                             \
    "Terjadi kesalahan di server dan sudah dicatat.",                                              \
    "The server failed; the failure was logged.")                                                  \
  X(API_E_UNAVAILABLE, 503, "unavailable", "Service unavailable",                                  \
    "Server sedang sibuk; coba lagi sebentar lagi.", "The server is busy; try again shortly.")     \
  X(API_E_ENGINE_NOT_READY, 503, "engine-not-ready", "Engine not ready",                           \
    "Mesin pencocokan masih dimuat setelah server mulai; coba lagi sebentar lagi.",                \
    "The matching engine is still loading after the server started; try again shortly.")           \
  X(API_E_INSUFFICIENT_STORAGE, 507, "insufficient-storage", "Insufficient storage",               \
    "Penyimpanan server penuh; tidak ada yang disimpan. Hubungi admin.",                           \
    "The server's storage is full; nothing was stored. Tell the administrator.")

enum api_error {
#define API_ERROR_ENUM(name, status, slug, title, detail_id, detail_en) name,
  API_ERRORS(API_ERROR_ENUM)
#undef API_ERROR_ENUM
      API_E__COUNT
};

struct api_error_info {
  unsigned status;
  const char *slug, *title, *detail_id, *detail_en;
};

/* The row for e (defined in json_io.c); never NULL for a valid e. */
const struct api_error_info *api_error_info(enum api_error e);

#endif
