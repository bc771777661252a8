/*
 * The DTSEN import (api/src/data/dtsen.c) against a real SQLite file: counts of
 * new, updated and unchanged rows, a second import that changes nothing
 * (compared as a dump of every table), every bad row and field reported with
 * nothing written, dry runs, header errors, NIK disagreements imported and
 * flagged, the issue cap, the JSON report, and the schema and constraint
 * checks as they were after any import.
 */
#include "testutil.h"

#include "csv.h"
#include "dtsen.h"
#include "seedgen.h"
#include "seeds.h"
#include "store.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir, *db_path;
static struct store *st;

static void setup(void) {
  char err[256];
  dir = tu_tmpdir();
  size_t n = strlen(dir) + 16;
  db_path = malloc(n);
  ck_assert_ptr_nonnull(db_path);
  snprintf(db_path, n, "%s/padan.db", dir);
  ck_assert_int_eq(store_open(db_path, &st, err, sizeof err), STORE_OK);
  int loaded = 0;
  ck_assert_msg(seeds_load(st, &loaded, err, sizeof err) == 0, "%s", err);
  ck_assert_int_eq(loaded, 1);
}

static void teardown(void) {
  store_close(st);
  st = NULL;
  tu_rmtree(dir);
  free(dir);
  free(db_path);
}

/* ---- Helpers -------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every row of every table as text, rows sorted: equal dumps mean equal
 * content, whatever the pages look like. */
static char *dump(void) {
  sqlite3 *db;
  ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  char *out = NULL;
  size_t out_len = 0;
  FILE *f = open_memstream(&out, &out_len);
  ck_assert_ptr_nonnull(f);
  sqlite3_stmt *tables;
  ck_assert_int_eq(sqlite3_prepare_v2(db,
                                      "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                      "ORDER BY name",
                                      -1, &tables, NULL),
                   SQLITE_OK);
  while (sqlite3_step(tables) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(tables, 0);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", name);
    sqlite3_stmt *q;
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
    size_t n = 0, cap = 64;
    char **rows = malloc(cap * sizeof *rows);
    ck_assert_ptr_nonnull(rows);
    while (sqlite3_step(q) == SQLITE_ROW) {
      char *line = NULL;
      size_t line_len = 0;
      FILE *lf = open_memstream(&line, &line_len);
      ck_assert_ptr_nonnull(lf);
      for (int c = 0; c < sqlite3_column_count(q); c++) {
        const unsigned char *v = sqlite3_column_text(q, c);
        fprintf(lf, "%s|", v ? (const char *)v : "NULL");
      }
      fclose(lf);
      if (n == cap) {
        cap *= 2;
        rows = realloc(rows, cap * sizeof *rows);
        ck_assert_ptr_nonnull(rows);
      }
      rows[n++] = line;
    }
    sqlite3_finalize(q);
    qsort(rows, n, sizeof *rows, cmp_str);
    fprintf(f, "== %s %zu\n", name, n);
    for (size_t i = 0; i < n; i++) {
      fprintf(f, "%s\n", rows[i]);
      free(rows[i]);
    }
    free(rows);
  }
  sqlite3_finalize(tables);
  sqlite3_close(db);
  fclose(f);
  return out;
}

/* One value from the database, as text ("" when NULL or no row). */
static char *query(const char *sql) {
  sqlite3 *db;
  ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  sqlite3_stmt *q;
  ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
  char *v = strdup(sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0)
                       ? (const char *)sqlite3_column_text(q, 0)
                       : "");
  ck_assert_ptr_nonnull(v);
  sqlite3_finalize(q);
  sqlite3_close(db);
  return v;
}

static long long count_residents(void) {
  char *v = query("SELECT count(*) FROM residents");
  long long n = strtoll(v, NULL, 10);
  free(v);
  return n;
}

static enum dtsen_result import(const char *data, int dry_run, struct dtsen_report *rep) {
  struct dtsen_options o = {.dry_run = dry_run, .today = "2026-11-27"};
  return dtsen_import(st, data, strlen(data), &o, rep);
}

/* The issue for (line, column, code), or NULL. */
static const struct dtsen_issue *find_issue(const struct dtsen_report *rep, size_t line,
                                            const char *column, const char *code) {
  for (size_t i = 0; i < rep->n_issues; i++) {
    const struct dtsen_issue *is = &rep->issues[i];
    if (is->line == line && strcmp(is->column, column) == 0 && strcmp(is->code, code) == 0)
      return is;
  }
  return NULL;
}

#define HEADER                                                                                     \
  "nik,name,sex,birth_date,religion,marital_status,kelurahan_code,address,phone,education,"        \
  "smk_vocation,desil,work_status,school_status,months_without_work,dependants,disability,"        \
  "shifts,preferred_vocations,skills,verified_at,synthetic\n"

/* Two valid residents: a man of Neglasari with a Kota Tangerang NIK and a
 * woman who moved in from Jakarta Selatan. */
#define ROW_A                                                                                      \
  "3671101203900001,Budi Santoso,L,1990-03-12,islam,kawin,36.71.10.1001,"                          \
  "\"Jl. Melati No. 1, RT 001/RW 002\",0810-0000-0001,smk,welding_metal,2,unemployed,"             \
  "not_in_school,7,2,none,day;rotating,welding_metal;manufacturing,WLD-001*;MFG-001,2026-05-01,"   \
  "1\n"
#define ROW_B                                                                                      \
  "3174054507950012,Siti Aminah,P,1995-07-05,islam,belum_kawin,36.71.07.1001,,,sma,,1,"            \
  "not_in_labour_force,not_in_school,,0,,,,,,1\n"

/* The whole of seeds/dtsen-sample.csv (test input, not compiled in);
 * malloc'd, the caller frees. */
static char *read_sample(size_t *len) {
  FILE *f = fopen(PADAN_SOURCE_DIR "/seeds/dtsen-sample.csv", "rb");
  ck_assert_msg(f != NULL, "cannot open seeds/dtsen-sample.csv");
  char *data = NULL;
  size_t cap = 0;
  *len = 0;
  for (;;) {
    if (*len == cap) {
      cap = cap ? cap * 2 : 1 << 16;
      data = realloc(data, cap + 1);
      ck_assert_ptr_nonnull(data);
    }
    size_t got = fread(data + *len, 1, cap - *len, f);
    *len += got;
    if (got == 0)
      break;
  }
  fclose(f);
  data[*len] = '\0';
  return data;
}

/* ---- Tests ---------------------------------------------------------------------- */

START_TEST(sample_imports_once) {
  size_t sample_len;
  char *sample = read_sample(&sample_len);
  struct {
    const char *data;
    size_t len;
  } file = {sample, sample_len}, *e = &file;
  struct dtsen_report rep;
  struct dtsen_options o = {.today = "2026-11-27"};
  ck_assert_int_eq(dtsen_import(st, e->data, e->len, &o, &rep), DTSEN_OK);
  ck_assert_int_eq(rep.status, DTSEN_OK);
  ck_assert_int_eq(rep.committed, 1);
  ck_assert_uint_eq(rep.rows, 1000);
  ck_assert_uint_eq(rep.new_rows, 1000);
  ck_assert_uint_eq(rep.updated, 0);
  ck_assert_uint_eq(rep.unchanged, 0);
  ck_assert_uint_eq(rep.flagged, 0);
  ck_assert_uint_eq(rep.errors, 0);
  ck_assert_uint_eq(rep.n_issues, 0);
  dtsen_report_free(&rep);
  ck_assert_int_eq(count_residents(), 1000);
  /* every listed skill arrived, with its certification */
  size_t listed = 0, stars = 0;
  struct csv_reader r;
  csv_reader_init(&r, e->data, e->len);
  ck_assert_int_eq(csv_next(&r), CSV_RECORD);
  int c_skills = csv_column(&r, "skills");
  while (csv_next(&r) == CSV_RECORD) {
    const struct csv_field *f = &r.fields[c_skills];
    listed += f->len > 0;
    for (size_t i = 0; i < f->len; i++) {
      listed += f->p[i] == ';';
      stars += f->p[i] == '*';
    }
  }
  csv_reader_free(&r);
  char *skills = query("SELECT count(*) FROM resident_skills");
  char *cert = query("SELECT count(*) FROM resident_skills WHERE certified = 1");
  ck_assert_uint_gt(stars, 0);
  ck_assert_uint_eq(strtoull(skills, NULL, 10), listed);
  ck_assert_uint_eq(strtoull(cert, NULL, 10), stars);
  free(skills);
  free(cert);

  /* the same file again changes nothing, not even a timestamp */
  char *before = dump();
  ck_assert_int_eq(dtsen_import(st, e->data, e->len, &o, &rep), DTSEN_OK);
  ck_assert_uint_eq(rep.new_rows, 0);
  ck_assert_uint_eq(rep.updated, 0);
  ck_assert_uint_eq(rep.unchanged, 1000);
  dtsen_report_free(&rep);
  char *after = dump();
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
  free(sample);
}
END_TEST

START_TEST(one_field_changed_is_updated) {
  size_t len;
  char *data = NULL;
  ck_assert_int_eq(seedgen_default_buffer(300, 5, &data, &len), SEEDGEN_OK);
  struct dtsen_report rep;
  ck_assert_int_eq(import(data, 0, &rep), DTSEN_OK);
  ck_assert_uint_eq(rep.new_rows, 300);
  dtsen_report_free(&rep);

  /* change the desil of the first resident from the tenth on whose desil
   * is one digit (field 11; the address before it is quoted and holds a
   * comma) */
  char *line = data, *p = NULL;
  for (int i = 0; i < 10; i++)
    line = strchr(line, '\n') + 1;
  for (;; line = strchr(line, '\n') + 1) {
    int field = 0, quoted = 0;
    for (p = line; field < 11; p++) {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == ',' && !quoted)
        field++;
    }
    if (p[1] == ',')
      break;
  }
  char nik[17];
  memcpy(nik, line, 16);
  nik[16] = '\0';
  char old = *p;
  ck_assert(old >= '1' && old <= '9');
  *p = old == '1' ? '2' : '1';
  ck_assert_int_eq(import(data, 0, &rep), DTSEN_OK);
  ck_assert_uint_eq(rep.new_rows, 0);
  ck_assert_uint_eq(rep.updated, 1);
  ck_assert_uint_eq(rep.unchanged, 299);
  dtsen_report_free(&rep);
  char sql[128];
  snprintf(sql, sizeof sql, "SELECT desil FROM residents WHERE nik = '%s'", nik);
  char *v = query(sql);
  ck_assert_int_eq(v[0], *p);
  free(v);
  free(data);
}
END_TEST

START_TEST(skill_certification_is_an_update) {
  struct dtsen_report rep;
  ck_assert_int_eq(import(HEADER ROW_A ROW_B, 0, &rep), DTSEN_OK);
  ck_assert_uint_eq(rep.new_rows, 2);
  dtsen_report_free(&rep);
  /* MFG-001 becomes certified: nothing else changes */
  const char *changed =
      HEADER "3671101203900001,Budi Santoso,L,1990-03-12,islam,kawin,36.71.10.1001,"
             "\"Jl. Melati No. 1, RT 001/RW 002\",0810-0000-0001,smk,welding_metal,2,unemployed,"
             "not_in_school,7,2,none,day;rotating,welding_metal;manufacturing,WLD-001*;MFG-001*,"
             "2026-05-01,1\n" ROW_B;
  ck_assert_int_eq(import(changed, 0, &rep), DTSEN_OK);
  ck_assert_uint_eq(rep.updated, 1);
  ck_assert_uint_eq(rep.unchanged, 1);
  dtsen_report_free(&rep);
  char *v = query("SELECT count(*) FROM resident_skills WHERE certified = 1");
  ck_assert_str_eq(v, "2");
  free(v);
  /* the stored row holds what the file said, unknowns as NULL */
  v = query("SELECT coalesce(months_without_work, 'null') || '/' || coalesce(disability, 'null') "
            "|| '/' || coalesce(phone, 'null') || '/' || synthetic FROM residents "
            "WHERE nik = '3174054507950012'");
  ck_assert_str_eq(v, "null/null/null/1");
  free(v);
  v = query("SELECT shifts || '/' || preferred_vocations || '/' || smk_vocation || '/' || "
            "months_without_work FROM residents WHERE nik = '3671101203900001'");
  ck_assert_str_eq(v, "day;rotating/welding_metal;manufacturing/welding_metal/7");
  free(v);
}
END_TEST

START_TEST(every_bad_row_and_field_reported) {
  char *before = dump();
  const char *data = HEADER ROW_A /* line 2: valid */
      /* line 3: NIK with a letter, unknown religion, desil 11 */
      "36710112039A0001,Ani,P,1990-03-12,hindu_bali,kawin,36.71.10.1001,,,sd,,11,working,"
      "not_in_school,0,1,none,,,,,1\n"
      /* line 4: 31 April, unknown kelurahan, bad shift, unknown skill */
      "3671013104900001,Bambang,L,1990-04-30,islam,kawin,99.99.99.9999,,,smp,,3,unemployed,"
      "not_in_school,5,1,none,day;evening,,XXX-999,,1\n"
      /* line 5: serial 0000, birth date not a date, months while working */
      "3671011203900000,Cici,P,1990-02-30,islam,kawin,36.71.10.1001,,,sd,,2,working,"
      "not_in_school,4,1,none,,,,,1\n"
      /* line 6: bad province, required name empty, SMK major without SMK,
       * verified in the future */
      "1071011203900001,,L,1990-03-12,islam,kawin,36.71.10.1001,,,sd,garment,2,working,"
      "not_in_school,0,1,none,,,,2027-01-01,1\n"
      /* line 7: wrong sex value, bad education, dependants out of range, a
       * repeated preferred vocation, phone with letters, synthetic 2 */
      "3671011203900002,Dedi,X,1990-03-12,islam,kawin,36.71.10.1001,,call me,sma3,,2,working,"
      "not_in_school,0,31,none,,retail;retail,,,2\n"
      /* line 8: too few fields */
      "3671011203900003,Eko,L\n"
      /* line 9: duplicate NIK of line 2, bad disability, empty list element */
      "3671101203900001,Budi Santoso,L,1990-03-12,islam,kawin,36.71.10.1001,,,smk,,2,working,"
      "not_in_school,0,1,blind,;day,,WLD-001;;MFG-001,,1\n"
      /* line 10: work and school statuses unknown words, desil empty,
       * months not a number, born in the future */
      "3671011203900004,Fajar,L,2027-03-12,islam,kawin,36.71.10.1001,,,sd,,,employed,student,"
      "abc,1,none,,,,,1\n";
  struct dtsen_report rep;
  ck_assert_int_eq(import(data, 0, &rep), DTSEN_EINVALID);
  ck_assert_int_eq(rep.committed, 0);
  ck_assert_uint_eq(rep.rows, 9);
  ck_assert_uint_eq(rep.error_rows, 8);

  struct {
    size_t line;
    const char *column, *code;
  } expected[] = {
      {3, "nik", "nik_not_digits"},
      {3, "religion", "enum_value"},
      {3, "desil", "desil_range"},
      {4, "nik", "nik_date"},
      {4, "kelurahan_code", "kelurahan_unknown"},
      {4, "shifts", "enum_value"},
      {4, "skills", "skill_unknown"},
      {5, "nik", "nik_serial"},
      {5, "birth_date", "date_format"},
      {5, "months_without_work", "months_while_working"},
      {6, "nik", "nik_province"},
      {6, "name", "required"},
      {6, "smk_vocation", "smk_vocation_education"},
      {6, "verified_at", "date_future"},
      {7, "sex", "enum_value"},
      {7, "education", "enum_value"},
      {7, "dependants", "dependants_range"},
      {7, "preferred_vocations", "list_duplicate"},
      {7, "phone", "phone_format"},
      {7, "synthetic", "enum_value"},
      {8, "", "field_count"},
      {9, "nik", "nik_duplicate"},
      {9, "disability", "enum_value"},
      {9, "shifts", "list_format"},
      {9, "skills", "list_format"},
      {10, "work_status", "enum_value"},
      {10, "school_status", "enum_value"},
      {10, "desil", "required"},
      {10, "months_without_work", "integer"},
      {10, "birth_date", "date_future"},
  };
  size_t n = sizeof expected / sizeof expected[0];
  for (size_t i = 0; i < n; i++)
    ck_assert_msg(find_issue(&rep, expected[i].line, expected[i].column, expected[i].code) != NULL,
                  "line %zu %s %s not reported", expected[i].line, expected[i].column,
                  expected[i].code);
  /* nothing else, and nothing on the valid line */
  ck_assert_uint_eq(rep.errors, n);
  ck_assert_uint_eq(rep.n_issues, n);
  for (size_t i = 0; i < rep.n_issues; i++) {
    ck_assert_uint_ne(rep.issues[i].line, 2);
    ck_assert_int_eq(rep.issues[i].warning, 0);
    ck_assert_uint_eq(rep.issues[i].row, rep.issues[i].line - 1);
    ck_assert_str_ne(rep.issues[i].message_id, rep.issues[i].message_en);
  }
  const struct dtsen_issue *dup = find_issue(&rep, 9, "nik", "nik_duplicate");
  ck_assert_str_eq(dup->value, "line 2");
  ck_assert_str_eq(find_issue(&rep, 4, "skills", "skill_unknown")->value, "XXX-999");
  ck_assert_str_eq(find_issue(&rep, 4, "shifts", "enum_value")->value, "evening");
  dtsen_report_free(&rep);

  /* all or nothing: the valid row was not written either */
  ck_assert_int_eq(count_residents(), 0);
  char *after = dump();
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
}
END_TEST

START_TEST(dry_run_writes_nothing) {
  struct dtsen_report rep;
  ck_assert_int_eq(import(HEADER ROW_A, 0, &rep), DTSEN_OK);
  dtsen_report_free(&rep);
  char *before = dump();
  ck_assert_int_eq(import(HEADER ROW_A ROW_B, 1, &rep), DTSEN_OK);
  ck_assert_int_eq(rep.dry_run, 1);
  ck_assert_int_eq(rep.committed, 0);
  ck_assert_uint_eq(rep.rows, 2);
  /* what an import would do */
  ck_assert_uint_eq(rep.new_rows, 1);
  ck_assert_uint_eq(rep.unchanged, 1);
  dtsen_report_free(&rep);
  char *after = dump();
  ck_assert_str_eq(before, after);
  free(after);

  /* an invalid file in a dry run: reported, nothing written */
  ck_assert_int_eq(import(HEADER "1,2,3\n", 1, &rep), DTSEN_EINVALID);
  ck_assert_uint_eq(rep.errors, 1);
  dtsen_report_free(&rep);
  after = dump();
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
}
END_TEST

START_TEST(header_errors_name_the_column) {
  struct dtsen_report rep;
  /* "hobby" added, "desil" missing */
  const char *data =
      "nik,name,sex,birth_date,religion,marital_status,kelurahan_code,address,phone,education,"
      "smk_vocation,hobby,work_status,school_status,months_without_work,dependants,disability,"
      "shifts,preferred_vocations,skills,verified_at,synthetic\n" ROW_A;
  ck_assert_int_eq(import(data, 0, &rep), DTSEN_EINVALID);
  ck_assert_uint_eq(rep.errors, 2);
  ck_assert_ptr_nonnull(find_issue(&rep, 1, "hobby", "header_unknown_column"));
  ck_assert_ptr_nonnull(find_issue(&rep, 1, "desil", "header_missing_column"));
  ck_assert_uint_eq(rep.rows, 0);
  dtsen_report_free(&rep);

  ck_assert_int_eq(import("nik,nik\n", 0, &rep), DTSEN_EINVALID);
  ck_assert_ptr_nonnull(find_issue(&rep, 1, "nik", "header_duplicate_column"));
  ck_assert_ptr_nonnull(find_issue(&rep, 1, "synthetic", "header_missing_column"));
  ck_assert_uint_eq(rep.errors, 1 + DTSEN_N_COLUMNS - 1);
  dtsen_report_free(&rep);

  ck_assert_int_eq(import("", 0, &rep), DTSEN_EINVALID);
  ck_assert_str_eq(rep.issues[0].code, "file_empty");
  dtsen_report_free(&rep);
  ck_assert_int_eq(count_residents(), 0);
}
END_TEST

START_TEST(columns_in_any_order_and_crlf) {
  /* the same resident with columns reversed and CRLF line ends */
  const char *data =
      "synthetic,verified_at,skills,preferred_vocations,shifts,disability,dependants,"
      "months_without_work,school_status,work_status,desil,smk_vocation,education,phone,address,"
      "kelurahan_code,marital_status,religion,birth_date,sex,name,nik\r\n"
      "1,2026-05-01,WLD-001*;MFG-001,welding_metal;manufacturing,day;rotating,none,2,7,"
      "not_in_school,unemployed,2,welding_metal,smk,0810-0000-0001,"
      "\"Jl. Melati No. 1, RT 001/RW 002\",36.71.10.1001,kawin,islam,1990-03-12,L,Budi Santoso,"
      "3671101203900001\r\n";
  struct dtsen_report rep;
  ck_assert_int_eq(import(HEADER ROW_A, 0, &rep), DTSEN_OK);
  dtsen_report_free(&rep);
  ck_assert_int_eq(import(data, 0, &rep), DTSEN_OK);
  ck_assert_uint_eq(rep.unchanged, 1);
  ck_assert_uint_eq(rep.updated, 0);
  dtsen_report_free(&rep);
  /* a header alone is a valid, empty extract */
  ck_assert_int_eq(import(HEADER, 0, &rep), DTSEN_OK);
  ck_assert_uint_eq(rep.rows, 0);
  dtsen_report_free(&rep);
}
END_TEST

START_TEST(nik_disagreement_is_flagged) {
  const char *data = HEADER
      /* NIK says 12 March 1990, the record 13 March */
      "3671101203900001,Budi Santoso,L,1990-03-13,islam,kawin,36.71.10.1001,,,sd,,2,working,"
      "not_in_school,0,1,none,,,,,1\n"
      /* a man's NIK on a woman's record */
      "3671101203900002,Ani,P,1990-03-12,islam,kawin,36.71.10.1001,,,sd,,2,working,"
      "not_in_school,0,1,none,,,,,1\n"
      /* both */
      "3671105203900003,Cici,L,1991-03-12,islam,kawin,36.71.10.1001,,,sd,,2,working,"
      "not_in_school,0,1,none,,,,,1\n"
      /* agrees */
      "3671105203900004,Dewi,P,1990-03-12,islam,kawin,36.71.10.1001,,,sd,,2,working,"
      "not_in_school,0,1,none,,,,,1\n";
  struct dtsen_report rep;
  ck_assert_int_eq(import(data, 0, &rep), DTSEN_OK);
  ck_assert_uint_eq(rep.new_rows, 4);
  ck_assert_uint_eq(rep.flagged, 3);
  ck_assert_uint_eq(rep.warnings, 4);
  ck_assert_uint_eq(rep.errors, 0);
  const struct dtsen_issue *is = find_issue(&rep, 2, "nik", "nik_birth_date_mismatch");
  ck_assert_ptr_nonnull(is);
  ck_assert_int_eq(is->warning, 1);
  ck_assert_ptr_nonnull(find_issue(&rep, 3, "nik", "nik_sex_mismatch"));
  ck_assert_ptr_nonnull(find_issue(&rep, 4, "nik", "nik_birth_date_mismatch"));
  ck_assert_ptr_nonnull(find_issue(&rep, 4, "nik", "nik_sex_mismatch"));
  dtsen_report_free(&rep);

  /* the record is kept as given, not corrected, and carries the flag */
  char *v = query("SELECT group_concat(coalesce(nik_flag, '-') || '@' || birth_date || sex, ' ') "
                  "FROM (SELECT * FROM residents ORDER BY nik)");
  ck_assert_str_eq(v, "birth_date_mismatch@1990-03-13L sex_mismatch@1990-03-12P "
                      "birth_date_mismatch;sex_mismatch@1991-03-12L -@1990-03-12P");
  free(v);
}
END_TEST

START_TEST(issues_are_capped_but_counted) {
  size_t rows = 1500;
  size_t cap = strlen(HEADER) + rows * 128 + 1;
  char *data = malloc(cap);
  ck_assert_ptr_nonnull(data);
  size_t used = (size_t)snprintf(data, cap, "%s", HEADER);
  for (size_t i = 0; i < rows; i++)
    used += (size_t)snprintf(data + used, cap - used,
                             "36710112039%05zu,X,L,1990-03-12,,,36.71.10.1001,,,,,0,,,,,,,,,,1\n",
                             i + 1);
  struct dtsen_report rep;
  ck_assert_int_eq(import(data, 0, &rep), DTSEN_EINVALID);
  ck_assert_uint_eq(rep.rows, rows);
  ck_assert_uint_eq(rep.error_rows, rows);
  ck_assert_uint_eq(rep.errors, rows);
  ck_assert_uint_eq(rep.n_issues, DTSEN_MAX_ISSUES);
  ck_assert_str_eq(rep.issues[DTSEN_MAX_ISSUES - 1].code, "desil_range");
  ck_assert_uint_eq(rep.issues[DTSEN_MAX_ISSUES - 1].line, DTSEN_MAX_ISSUES + 1);
  json_t *j = dtsen_report_json(&rep);
  ck_assert_ptr_nonnull(j);
  ck_assert(json_is_true(json_object_get(j, "issues_truncated")));
  ck_assert_uint_eq(json_array_size(json_object_get(j, "issues")), DTSEN_MAX_ISSUES);
  json_decref(j);
  dtsen_report_free(&rep);

  struct dtsen_options o = {.today = "2026-11-27", .max_issues = 3};
  ck_assert_int_eq(dtsen_import(st, data, used, &o, &rep), DTSEN_EINVALID);
  ck_assert_uint_eq(rep.n_issues, 3);
  ck_assert_uint_eq(rep.errors, rows);
  dtsen_report_free(&rep);
  free(data);
}
END_TEST

START_TEST(malformed_csv_stops_with_its_line) {
  struct dtsen_report rep;
  ck_assert_int_eq(import(HEADER ROW_A "3671,\"unclosed\n", 0, &rep), DTSEN_EINVALID);
  const struct dtsen_issue *is = find_issue(&rep, 3, "", "csv_malformed");
  ck_assert_ptr_nonnull(is);
  ck_assert_uint_eq(rep.rows, 1);
  dtsen_report_free(&rep);
  ck_assert_int_eq(count_residents(), 0);
}
END_TEST

START_TEST(text_rules) {
  struct dtsen_report rep;
  char data[1024];
  /* a control character in the name, invalid UTF-8 in the address */
  snprintf(data, sizeof data,
           HEADER "3671101203900001,Bu\x01"
                  "di,L,1990-03-12,,,36.71.10.1001,Jl. \xC0\xAF,,,,2,,,,,,"
                  ",,,,1\n");
  ck_assert_int_eq(import(data, 0, &rep), DTSEN_EINVALID);
  ck_assert_ptr_nonnull(find_issue(&rep, 2, "name", "invalid_text"));
  ck_assert_ptr_nonnull(find_issue(&rep, 2, "address", "invalid_text"));
  ck_assert_uint_eq(rep.errors, 2);
  dtsen_report_free(&rep);
  /* UTF-8 names are fine; a name over 100 bytes is not */
  snprintf(data, sizeof data,
           HEADER "3671101203900001,Ni Luh Putu Ayu Ariani \xC3\xA9,P,1990-03-12,,,36.71.10.1001,"
                  ",+62 810 0000 0001,,,2,,,,,,,,,,1\n"
                  "3671101203900002,%0101d,L,1990-03-12,,,36.71.10.1001,,,,,2,,,,,,,,,,1\n",
           0);
  ck_assert_int_eq(import(data, 0, &rep), DTSEN_EINVALID);
  ck_assert_uint_eq(rep.errors, 1);
  ck_assert_uint_eq(rep.warnings, 1);
  ck_assert_ptr_nonnull(find_issue(&rep, 2, "nik", "nik_sex_mismatch"));
  ck_assert_ptr_nonnull(find_issue(&rep, 3, "name", "too_long"));
  dtsen_report_free(&rep);
}
END_TEST

START_TEST(report_json) {
  struct dtsen_report rep;
  ck_assert_int_eq(import(HEADER ROW_A
                          "3671101203900002,Ani,P,1990-03-12,,,36.71.10.1001,,,,,0,,,,,,,,,,1\n",
                          0, &rep),
                   DTSEN_EINVALID);
  json_t *j = dtsen_report_json(&rep);
  ck_assert_ptr_nonnull(j);
  ck_assert_str_eq(json_string_value(json_object_get(j, "status")), "invalid");
  ck_assert_int_eq(json_integer_value(json_object_get(j, "rows")), 2);
  ck_assert_int_eq(json_integer_value(json_object_get(j, "errors")), 1);
  ck_assert_int_eq(json_integer_value(json_object_get(j, "warnings")), 1);
  ck_assert(json_is_false(json_object_get(j, "committed")));
  json_t *issues = json_object_get(j, "issues");
  ck_assert_uint_eq(json_array_size(issues), 2);
  json_t *first = json_array_get(issues, 0);
  ck_assert_int_eq(json_integer_value(json_object_get(first, "line")), 3);
  ck_assert_str_eq(json_string_value(json_object_get(first, "severity")), "warning");
  ck_assert_str_eq(json_string_value(json_object_get(first, "code")), "nik_sex_mismatch");
  json_t *second = json_array_get(issues, 1);
  ck_assert_str_eq(json_string_value(json_object_get(second, "column")), "desil");
  ck_assert_str_eq(json_string_value(json_object_get(second, "value")), "0");
  ck_assert_str_eq(json_string_value(json_object_get(second, "message_en")), "Desil must be 1–10");
  json_decref(j);

  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  ck_assert_int_eq(dtsen_report_print(f, &rep), 0);
  fclose(f);
  json_error_t err;
  json_t *back = json_loads(text, 0, &err);
  ck_assert_ptr_nonnull(back);
  ck_assert_int_eq(json_integer_value(json_object_get(back, "error_rows")), 1);
  json_decref(back);
  free(text);
  dtsen_report_free(&rep);
  dtsen_report_free(&rep);
  dtsen_report_free(NULL);
}
END_TEST

START_TEST(today_is_the_limit) {
  struct dtsen_report rep;
  struct dtsen_options o = {.today = "2026-05-01"};
  ck_assert_int_eq(dtsen_import(st, HEADER ROW_A, strlen(HEADER ROW_A), &o, &rep), DTSEN_OK);
  dtsen_report_free(&rep);
  o.today = "2026-04-30";
  o.dry_run = 1;
  ck_assert_int_eq(dtsen_import(st, HEADER ROW_A, strlen(HEADER ROW_A), &o, &rep), DTSEN_EINVALID);
  ck_assert_ptr_nonnull(find_issue(&rep, 2, "verified_at", "date_future"));
  dtsen_report_free(&rep);
  /* the wall clock when no date is given (ROW_B has no date after 1995) */
  ck_assert_int_eq(dtsen_import(st, HEADER ROW_B, strlen(HEADER ROW_B), NULL, &rep), DTSEN_OK);
  ck_assert_uint_eq(rep.new_rows, 1);
  dtsen_report_free(&rep);
}
END_TEST

/* The import turns the schema's CHECK and foreign-key checks off for its
 * transaction and may drop and rebuild residents' secondary indexes: after
 * a committed import, a dry run and a refused file alike, the schema is
 * what it was, every index agrees with its table, and the connection
 * checks again (a bad NIK, desil or kelurahan is refused). */
START_TEST(schema_and_checks_come_back) {
  const char *schema_sql =
      "SELECT group_concat(type || ' ' || name || ' ' || coalesce(sql, ''), char(10)) FROM "
      "(SELECT * FROM sqlite_schema ORDER BY name)";
  char *schema = query(schema_sql);
  ck_assert_ptr_nonnull(strstr(schema, "CREATE INDEX residents_kelurahan"));
  struct dtsen_report rep;
  const char *files[] = {HEADER ROW_A, HEADER ROW_B, HEADER ROW_A "1,2,3\n"};
  const enum dtsen_result want[] = {DTSEN_OK, DTSEN_OK, DTSEN_EINVALID};
  for (int i = 0; i < 3; i++) {
    ck_assert_int_eq(import(files[i], i == 1, &rep), want[i]);
    dtsen_report_free(&rep);
    char *now = query(schema_sql);
    ck_assert_str_eq(now, schema);
    free(now);
    char *ok = query("SELECT group_concat(integrity_check) FROM pragma_integrity_check");
    ck_assert_str_eq(ok, "ok");
    free(ok);
  }
  ck_assert_int_eq(count_residents(), 1);
  /* the kelurahan index holds the imported row */
  char *v = query("SELECT count(*) FROM residents INDEXED BY residents_kelurahan "
                  "WHERE kelurahan_id > 0");
  ck_assert_str_eq(v, "1");
  free(v);

  int64_t kel = 0, id = 0;
  ck_assert_int_eq(store_id_by_code(st, STORE_T_KELURAHAN, "36.71.10.1001", &kel), STORE_OK);
  struct store_resident r = {.nik = "3671074501990001",
                             .name = "Siti Rahma",
                             .sex = "P",
                             .birth_date = "1999-01-05",
                             .kelurahan_id = kel,
                             .desil = 11,
                             .months_without_work = -1,
                             .dependants = 0,
                             .synthetic = 1};
  enum store_upsert what;
  ck_assert_int_eq(store_resident_upsert(st, &r, &id, &what), STORE_ECONSTRAINT);
  r.desil = 2;
  r.kelurahan_id = 999999;
  ck_assert_int_eq(store_resident_upsert(st, &r, &id, &what), STORE_ECONSTRAINT);
  r.kelurahan_id = kel;
  r.nik = "367107450199000X";
  ck_assert_int_eq(store_resident_upsert(st, &r, &id, &what), STORE_ECONSTRAINT);
  ck_assert_int_eq(count_residents(), 1);
  free(schema);
}
END_TEST

/* Writes are made while the file is read, and undone when a later row
 * turns out bad: a correction the import would have kept is then not
 * reported as kept either (no kept_corrections, no corrected_after_extract
 * warning), while the same file without the bad row keeps and reports it. */
START_TEST(refused_file_reports_no_kept_correction) {
  struct dtsen_report rep;
  ck_assert_int_eq(import(HEADER ROW_A, 0, &rep), DTSEN_OK);
  dtsen_report_free(&rep);
  /* a desk corrected ROW_A's phone on 1 November */
  sqlite3 *db;
  ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
  ck_assert_int_eq(sqlite3_exec(db,
                                "INSERT INTO resident_history (resident_id, at, field, old_value, "
                                "new_value, reason, source) SELECT id, '2026-11-01T09:00:00Z', "
                                "'phone', '0810-0000-0001', '0810-0000-0001', 'warga datang', "
                                "'correction' FROM residents WHERE nik = '3671101203900001'",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(db);
  /* an extract of 1 January with another phone for ROW_A */
  const char *changed =
      "3671101203900001,Budi Santoso,L,1990-03-12,islam,kawin,36.71.10.1001,"
      "\"Jl. Melati No. 1, RT 001/RW 002\",0810-0000-0009,smk,welding_metal,2,unemployed,"
      "not_in_school,7,2,none,day;rotating,welding_metal;manufacturing,WLD-001*;MFG-001,2026-05-01,"
      "1\n";
  char file[1024];
  snprintf(file, sizeof file, HEADER "%s%s", changed, "1,2,3\n");
  struct dtsen_options o = {.today = "2026-11-27", .extract_date = "2026-01-01"};
  char *before = dump();
  ck_assert_int_eq(dtsen_import(st, file, strlen(file), &o, &rep), DTSEN_EINVALID);
  ck_assert_uint_eq(rep.kept, 0);
  ck_assert_uint_eq(rep.updated, 0);
  ck_assert_uint_eq(rep.warnings, 0);
  ck_assert_uint_eq(rep.errors, 1);
  ck_assert_uint_eq(rep.n_issues, 1);
  ck_assert_ptr_null(find_issue(&rep, 2, "", "corrected_after_extract"));
  ck_assert_ptr_nonnull(find_issue(&rep, 3, "", "field_count"));
  dtsen_report_free(&rep);
  char *after = dump();
  ck_assert_str_eq(before, after);
  free(before);
  free(after);

  /* without the bad row: imported, the phone kept and reported */
  snprintf(file, sizeof file, HEADER "%s", changed);
  ck_assert_int_eq(dtsen_import(st, file, strlen(file), &o, &rep), DTSEN_OK);
  ck_assert_uint_eq(rep.kept, 1);
  ck_assert_uint_eq(rep.warnings, 1);
  const struct dtsen_issue *is = find_issue(&rep, 2, "", "corrected_after_extract");
  ck_assert_ptr_nonnull(is);
  ck_assert_str_eq(is->value, "phone");
  dtsen_report_free(&rep);
  char *phone = query("SELECT phone FROM residents WHERE nik = '3671101203900001'");
  ck_assert_str_eq(phone, "0810-0000-0001");
  free(phone);
}
END_TEST

/* A large file into an empty table is read and checked on one thread and
 * written on another (dtsen.c): every row is written, in file order, with
 * its skills and flags, the last partial batch too; a refused file writes
 * nothing and reports its issues in file order, as one thread does; a dry
 * run counts every row and writes none. */
#define BIG_ROWS 3001 /* above the two-thread threshold; batches of 256 leave a remainder */
static char *big_file(size_t bad_line) {
  size_t cap = strlen(HEADER) + BIG_ROWS * 256 + 1, used = 0;
  char *data = malloc(cap);
  ck_assert_ptr_nonnull(data);
  used += (size_t)snprintf(data, cap, "%s", HEADER);
  for (size_t i = 0; i < BIG_ROWS; i++) {
    size_t line = i + 2;
    /* line 6: the birth date disagrees with the NIK (a warning) */
    used +=
        (size_t)snprintf(data + used, cap - used,
                         "367110120390%04zu,Budi %zu,L,1990-03-%s,islam,kawin,36.71.10.1001,"
                         "\"Jl. Melati No. %zu, RT 001\",0810-0000-0001,smk,welding_metal,%s,"
                         "unemployed,not_in_school,7,2,none,day,welding_metal,%s,2026-05-01,1\n",
                         i + 1, i + 1, line == 6 ? "13" : "12", i + 1,
                         line == bad_line ? "11" : "2", i % 2 ? "WLD-001*;MFG-001" : "MFG-001");
  }
  return data;
}

START_TEST(big_file_two_threads) {
  char *before = dump();
  char *bad = big_file(BIG_ROWS); /* the second-to-last row: desil 11 */
  struct dtsen_report rep;
  ck_assert_int_eq(import(bad, 0, &rep), DTSEN_EINVALID);
  ck_assert_uint_eq(rep.rows, BIG_ROWS);
  ck_assert_uint_eq(rep.new_rows, 0);
  ck_assert(!rep.committed);
  ck_assert_uint_eq(rep.n_issues, 2);
  ck_assert_uint_eq(rep.issues[0].line, 6);
  ck_assert_str_eq(rep.issues[0].code, "nik_birth_date_mismatch");
  ck_assert_uint_eq(rep.issues[1].line, BIG_ROWS);
  ck_assert_str_eq(rep.issues[1].code, "desil_range");
  dtsen_report_free(&rep);
  char *after = dump();
  ck_assert_str_eq(after, before);
  free(after);
  free(bad);

  char *good = big_file(0);
  ck_assert_int_eq(import(good, 1, &rep), DTSEN_OK);
  ck_assert_uint_eq(rep.new_rows, BIG_ROWS);
  ck_assert(!rep.committed);
  dtsen_report_free(&rep);
  after = dump();
  ck_assert_str_eq(after, before);
  free(after);

  ck_assert_int_eq(import(good, 0, &rep), DTSEN_OK);
  ck_assert(rep.committed);
  ck_assert_uint_eq(rep.rows, BIG_ROWS);
  ck_assert_uint_eq(rep.new_rows, BIG_ROWS);
  ck_assert_uint_eq(rep.flagged, 1);
  dtsen_report_free(&rep);
  ck_assert_int_eq(count_residents(), BIG_ROWS);
  /* ids follow the file; every row's own values and skills */
  char *v = query("SELECT count(*) FROM residents WHERE CAST(substr(nik, 13) AS INTEGER) = id "
                  "AND name = 'Budi ' || id AND address = 'Jl. Melati No. ' || id || ', RT 001' "
                  "AND desil = 2 AND sex = 'L' AND phone = '0810-0000-0001'");
  ck_assert_int_eq(strtol(v, NULL, 10), BIG_ROWS);
  free(v);
  v = query("SELECT count(*) || ' ' || sum(certified) FROM resident_skills");
  ck_assert_str_eq(v, "4501 1500");
  free(v);
  v = query("SELECT group_concat(id) FROM residents WHERE nik_flag IS NOT NULL");
  ck_assert_str_eq(v, "5");
  free(v);
  v = query("SELECT group_concat(integrity_check) FROM pragma_integrity_check");
  ck_assert_str_eq(v, "ok");
  free(v);
  free(good);
  free(before);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("import");
  TCase *tc = tcase_create("import");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, sample_imports_once);
  tcase_add_test(tc, one_field_changed_is_updated);
  tcase_add_test(tc, skill_certification_is_an_update);
  tcase_add_test(tc, every_bad_row_and_field_reported);
  tcase_add_test(tc, dry_run_writes_nothing);
  tcase_add_test(tc, header_errors_name_the_column);
  tcase_add_test(tc, columns_in_any_order_and_crlf);
  tcase_add_test(tc, nik_disagreement_is_flagged);
  tcase_add_test(tc, issues_are_capped_but_counted);
  tcase_add_test(tc, malformed_csv_stops_with_its_line);
  tcase_add_test(tc, text_rules);
  tcase_add_test(tc, report_json);
  tcase_add_test(tc, today_is_the_limit);
  tcase_add_test(tc, schema_and_checks_come_back);
  tcase_add_test(tc, refused_file_reports_no_kept_correction);
  tcase_add_test(tc, big_file_two_threads);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  return tu_run_suite(suite());
}
