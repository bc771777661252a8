/*
 * field_errors.h — every code a field error may carry, in one table beside
 * errors.h.
 *
 * A 400 or 422 problem lists its field errors in "errors", each
 * {"field", "code", "detail_id", "detail_en"}: the field names the place
 * (a body path or a query parameter), the code says what is wrong with it
 * and is stable (clients key on it), the details say it in words and may be
 * particular to the field.  Each row gives the constant that call sites pass
 * (a string, so api_field_error keeps its signature), the code and its
 * meaning.  scripts/check refuses a code written as a literal at a call
 * site.  Add a row for a new kind of fault; never give a code a second
 * meaning.  Engine reasons (matcher.h's mt_reason_code) and the imports'
 * issue codes (data/issues.h) keep their own tables.
 */
#ifndef PADAN_FIELD_ERRORS_H
#define PADAN_FIELD_ERRORS_H

#define API_FIELD_ERRORS(X)                                                                        \
  X(API_FE_REQUIRED, "required", "a required field is missing")                                    \
  X(API_FE_UNKNOWN_FIELD, "unknown_field", "the body has a member its spec does not name")         \
  X(API_FE_TYPE, "type", "the value has the wrong JSON type, or a parameter does not parse")       \
  X(API_FE_TOO_LONG, "too_long", "a string is longer than its cap")                                \
  X(API_FE_OUT_OF_RANGE, "out_of_range", "a number is outside its range")                          \
  X(API_FE_TOO_MANY, "too_many", "an array has more items than allowed")                           \
  X(API_FE_TOO_FEW, "too_few", "an array has fewer items than required")                           \
  X(API_FE_BLANK, "blank", "a text is empty or holds control characters")                          \
  X(API_FE_FORMAT, "format", "a code is not in its written form")                                  \
  X(API_FE_DATE, "date", "not a real date written YYYY-MM-DD")                                     \
  X(API_FE_DATE_FORMAT, "date_format",                                                             \
    "neither a date YYYY-MM-DD nor a time YYYY-MM-DDTHH:MM:SSZ")                                   \
  X(API_FE_ORDER, "order", "a bound lies before the bound it must follow")                         \
  X(API_FE_ENUM_VALUE, "enum_value", "not one of the allowed words")                               \
  X(API_FE_UNKNOWN_CODE, "unknown_code", "no row has this code")                                   \
  X(API_FE_SKILL_UNKNOWN, "skill_unknown", "not a skill code padan knows")                         \
  X(API_FE_DUPLICATE, "duplicate", "the same value is listed twice")                               \
  X(API_FE_OVERLAP, "overlap", "a skill is both a must-have and a nice-to-have")                   \
  X(API_FE_NOT_ALLOWED, "not_allowed", "the caller may not set this field")                        \
  X(API_FE_BEFORE_POSTED, "before_posted", "a deadline before the vacancy was posted")             \
  X(API_FE_BELOW_FILLED, "below_filled", "fewer openings than are already filled")                 \
  X(API_FE_UNKNOWN_PARAMETER, "unknown_parameter", "the route takes no such query parameter")      \
  X(API_FE_REPEATED_PARAMETER, "repeated_parameter", "a query parameter given twice")              \
  X(API_FE_INVALID_CURSOR, "invalid_cursor", "a cursor this list did not hand out")                \
  X(API_FE_EMPTY, "empty", "\"\" where a field may only be cleared with null")

#define API_FE_DECLARE(name, code, meaning) extern const char name[];
API_FIELD_ERRORS(API_FE_DECLARE)
#undef API_FE_DECLARE

/* Every code, NULL-terminated, in table order (for tests and docs). */
extern const char *const api_field_codes[];

#endif
