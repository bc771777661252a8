/*
 * The padan command line, run as a user would run it: --help on every
 * subcommand, one-line errors with the right exit status for bad command
 * lines and bad environments (unknown flag, missing value, unreadable data
 * directory, port in use), and the seed/user/match commands end to end on a
 * small database: padan match records its run, and the instance it exports
 * is checked by an independent solver written here.
 */
#include "testutil.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <sqlite3.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define RUN(p, ...)                                                                                \
  do {                                                                                             \
    char *const argv_[] = {PADAN_BIN, __VA_ARGS__, NULL};                                          \
    tu_run(argv_, NULL, (p));                                                                      \
  } while (0)

/* Number of lines in s. */
static int lines(const char *s) {
  int n = 0;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}

static void assert_one_line_error(const struct tu_proc *p, int status, const char *needle) {
  ck_assert_msg(p->status == status, "exit %d, expected %d; stderr: %s", p->status, status, p->err);
  ck_assert_msg(strncmp(p->err, "padan: ", 7) == 0, "stderr starts with 'padan: ': %s", p->err);
  ck_assert_msg(strstr(p->err, needle) != NULL, "stderr names '%s': %s", needle, p->err);
  ck_assert_msg(lines(p->err) == 1, "one line: %s", p->err);
}

START_TEST(every_subcommand_has_help) {
  static const char *const cmds[] = {"serve",  "seed",     "import",   "match",  "user",
                                     "report", "resident", "priority", "version"};
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
    struct tu_proc p;
    RUN(&p, (char *)cmds[i], "--help");
    ck_assert_msg(p.status == 0, "%s --help exits 0", cmds[i]);
    ck_assert_msg(strstr(p.out, "usage: padan") != NULL, "%s --help prints usage", cmds[i]);
    ck_assert_msg(strstr(p.out, cmds[i]) != NULL, "%s --help names itself", cmds[i]);
    tu_proc_free(&p);
  }
  struct tu_proc p;
  RUN(&p, "--help");
  ck_assert_int_eq(p.status, 0);
  ck_assert_ptr_nonnull(strstr(p.out, "serve"));
  tu_proc_free(&p);
}
END_TEST

START_TEST(bad_command_lines_exit_2_naming_the_problem) {
  struct tu_proc p;
  RUN(&p, "serve", "--frobnicate");
  assert_one_line_error(&p, 2, "--frobnicate");
  tu_proc_free(&p);
  RUN(&p, "serve", "--port");
  assert_one_line_error(&p, 2, "needs a value");
  tu_proc_free(&p);
  RUN(&p, "serve", "--port", "70000");
  assert_one_line_error(&p, 2, "70000");
  tu_proc_free(&p);
  RUN(&p, "seed", "--residents", "many");
  assert_one_line_error(&p, 2, "--residents");
  tu_proc_free(&p);
  RUN(&p, "user", "add", "x1y2z3");
  assert_one_line_error(&p, 2, "--role");
  tu_proc_free(&p);
  RUN(&p, "frobnicate");
  ck_assert_int_eq(p.status, 2);
  ck_assert_ptr_nonnull(strstr(p.err, "unknown command 'frobnicate'"));
  tu_proc_free(&p);
  RUN(&p, "match", "--date", "2026-02-30");
  assert_one_line_error(&p, 2, "2026-02-30");
  tu_proc_free(&p);
}
END_TEST

START_TEST(unreadable_or_missing_data_directory_exits_1) {
  char *dir = tu_tmpdir();
  char missing[600], file[600];
  snprintf(missing, sizeof missing, "%s/nope", dir);
  struct tu_proc p;
  RUN(&p, "serve", "--data", missing, "--port", "0");
  assert_one_line_error(&p, 1, missing);
  tu_proc_free(&p);

  /* a plain file where the directory should be */
  snprintf(file, sizeof file, "%s/file", dir);
  FILE *f = fopen(file, "w");
  ck_assert_ptr_nonnull(f);
  fclose(f);
  RUN(&p, "user", "list", "--data", file);
  assert_one_line_error(&p, 1, "not a directory");
  tu_proc_free(&p);

  /* a directory without a database: serve refuses rather than serving nothing */
  RUN(&p, "serve", "--data", dir, "--port", "0");
  assert_one_line_error(&p, 1, "padan seed");
  tu_proc_free(&p);

  /* an unreadable directory (root ignores permissions, so only check as a user) */
  if (geteuid() != 0) {
    chmod(dir, 0);
    RUN(&p, "serve", "--data", dir, "--port", "0");
    assert_one_line_error(&p, 1, dir);
    tu_proc_free(&p);
    chmod(dir, 0700);
  }
  tu_rmtree(dir);
  free(dir);
}
END_TEST

START_TEST(port_in_use_exits_1_naming_the_port) {
  char *dir = tu_tmpdir();
  struct tu_proc p;
  RUN(&p, "seed", "--data", dir, "--residents", "50", "--seed", "3");
  ck_assert_msg(p.status == 0, "seed: %s", p.err);
  tu_proc_free(&p);

  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
  ck_assert_int_eq(listen(fd, 1), 0);
  socklen_t len = sizeof a;
  getsockname(fd, (struct sockaddr *)&a, &len);
  char port[16];
  snprintf(port, sizeof port, "%d", ntohs(a.sin_port));
  RUN(&p, "serve", "--data", dir, "--port", port);
  assert_one_line_error(&p, 1, port);
  ck_assert_ptr_nonnull(strstr(p.err, "in use"));
  tu_proc_free(&p);
  close(fd);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

START_TEST(seed_out_is_deterministic_and_users_work) {
  char *dir = tu_tmpdir();
  char a[600], b[600];
  snprintf(a, sizeof a, "%s/a.csv", dir);
  snprintf(b, sizeof b, "%s/b.csv", dir);
  struct tu_proc p, q;
  RUN(&p, "seed", "--residents", "300", "--seed", "7", "--out", "-");
  RUN(&q, "seed", "--residents", "300", "--seed", "7", "--out", "-");
  ck_assert_int_eq(p.status, 0);
  ck_assert_str_eq(p.out, q.out);
  ck_assert_int_eq(lines(p.out), 301); /* header + rows */
  tu_proc_free(&p);
  tu_proc_free(&q);

  RUN(&p, "seed", "--data", dir, "--residents", "300", "--seed", "7");
  ck_assert_msg(p.status == 0, "seed: %s", p.err);
  ck_assert_ptr_nonnull(strstr(p.out, "300 new"));
  tu_proc_free(&p);
  /* seeding again with the same seed finds the same residents */
  RUN(&p, "seed", "--data", dir, "--residents", "300", "--seed", "7");
  ck_assert_ptr_nonnull(strstr(p.out, "300 unchanged"));
  tu_proc_free(&p);

  RUN(&p, "user", "add", "petugas.satu", "--role", "officer", "--data", dir);
  ck_assert_msg(p.status == 0, "user add: %s", p.err);
  ck_assert_ptr_nonnull(strstr(p.out, "shown once"));
  tu_proc_free(&p);
  RUN(&p, "user", "add", "petugas.satu", "--role", "officer", "--data", dir);
  assert_one_line_error(&p, 1, "taken");
  tu_proc_free(&p);
  RUN(&p, "user", "add", "meja.x", "--role", "desk", "--kelurahan", "99.99", "--data", dir);
  assert_one_line_error(&p, 1, "99.99");
  tu_proc_free(&p);
  RUN(&p, "user", "disable", "petugas.satu", "--data", dir);
  ck_assert_int_eq(p.status, 0);
  tu_proc_free(&p);
  RUN(&p, "user", "list", "--data", dir);
  ck_assert_ptr_nonnull(strstr(p.out, "petugas.satu"));
  ck_assert_ptr_nonnull(strstr(p.out, "disabled"));
  tu_proc_free(&p);

  RUN(&p, "user", "demo", "--data", dir);
  ck_assert_msg(p.status == 0, "user demo: %s", p.err);
  tu_proc_free(&p);
  char cred[600];
  snprintf(cred, sizeof cred, "%s/demo-credentials.json", dir);
  struct stat st;
  ck_assert_int_eq(stat(cred, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0600);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

/* ---- padan match --export, checked by another solver ------------------------------------- */

/* The exported instance: arcs (resident, vacancy, gain), capacities. */
struct inst {
  size_t n_arcs, n_res, n_vac;
  int64_t *res, *vac, *gain; /* per arc: resident and vacancy as 0-based indices */
  int64_t *cap;              /* per vacancy index */
};

static size_t index_of(int64_t *ids, size_t *n, int64_t id) {
  for (size_t i = 0; i < *n; i++)
    if (ids[i] == id)
      return i;
  ids[*n] = id;
  return (*n)++;
}

/* The maximum total gain by successive shortest paths on the residual
 * graph (Bellman-Ford, so negative costs need no potentials): source ->
 * resident (1) -> vacancy (arc, cost -gain) -> sink (capacity), augmenting
 * one unit while the cheapest path still gains.  Slow and plain on purpose:
 * it shares nothing with the engine's auction. */
static int64_t max_gain(const struct inst *in) {
  const size_t nn = in->n_res + in->n_vac + 2, S = nn - 2, T = nn - 1;
  const size_t ne = 2 * (in->n_arcs + in->n_res + in->n_vac);
  size_t *to = calloc(ne, sizeof *to), *from = calloc(ne, sizeof *from), m = 0;
  int64_t *capv = calloc(ne, sizeof *capv), *cost = calloc(ne, sizeof *cost);
  int64_t *dist = calloc(nn, sizeof *dist), total = 0;
  size_t *via = calloc(nn, sizeof *via);
  ck_assert(to && from && capv && cost && dist && via);
#define EDGE(a, b, c, w)                                                                           \
  do {                                                                                             \
    from[m] = (a), to[m] = (b), capv[m] = (c), cost[m] = (w), m++;                                 \
    from[m] = (b), to[m] = (a), capv[m] = 0, cost[m] = -(w), m++;                                  \
  } while (0)
  for (size_t i = 0; i < in->n_res; i++)
    EDGE(S, i, 1, 0);
  for (size_t a = 0; a < in->n_arcs; a++)
    EDGE((size_t)in->res[a], in->n_res + (size_t)in->vac[a], 1, -in->gain[a]);
  for (size_t j = 0; j < in->n_vac; j++)
    EDGE(in->n_res + j, T, in->cap[j], 0);
#undef EDGE
  for (;;) {
    for (size_t v = 0; v < nn; v++)
      dist[v] = INT64_MAX;
    dist[S] = 0;
    for (int changed = 1; changed;) {
      changed = 0;
      for (size_t e = 0; e < m; e++)
        if (capv[e] > 0 && dist[from[e]] != INT64_MAX && dist[from[e]] + cost[e] < dist[to[e]]) {
          dist[to[e]] = dist[from[e]] + cost[e];
          via[to[e]] = e;
          changed = 1;
        }
    }
    if (dist[T] == INT64_MAX || dist[T] >= 0)
      break;
    for (size_t v = T; v != S; v = from[via[v]]) {
      capv[via[v]]--;
      capv[via[v] ^ 1]++;
    }
    total -= dist[T];
  }
  free(to);
  free(from);
  free(capv);
  free(cost);
  free(dist);
  free(via);
  return total;
}

static int64_t db_int(sqlite3 *db, const char *sql) {
  sqlite3_stmt *q = NULL;
  ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
  ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return v;
}

START_TEST(match_records_the_run_and_exports_an_optimal_instance) {
  struct tu_proc p;
  char *dir = tu_tmpdir();
  char file[600], db_path[600];
  snprintf(file, sizeof file, "%s/instance.json", dir);
  snprintf(db_path, sizeof db_path, "%s/padan.db", dir);
  RUN(&p, "seed", "--data", dir, "--residents", "4000", "--seed", "11");
  ck_assert_msg(p.status == 0, "seed: %s", p.err);
  tu_proc_free(&p);
  /* one shortlist place per vacancy, so that residents compete for them */
  char cfg[600];
  snprintf(cfg, sizeof cfg, "%s/engine.conf", dir);
  FILE *f = fopen(cfg, "w");
  ck_assert_ptr_nonnull(f);
  fputs("shortlist_factor = 0.01\n", f);
  ck_assert_int_eq(fclose(f), 0);
  /* a dry run says so and records nothing: the real run after it is still #1 */
  RUN(&p, "match", "--data", dir, "--date", "2025-06-01", "--config", cfg, "--dry-run");
  ck_assert_msg(p.status == 0, "match --dry-run: %s", p.err);
  ck_assert_msg(strstr(p.out, "match run (dry run) on 2025-06-01 (exact)") != NULL, "%s", p.out);
  tu_proc_free(&p);
  RUN(&p, "match", "--data", dir, "--date", "2025-06-01", "--config", cfg, "--export", file);
  ck_assert_msg(p.status == 0, "match: %s", p.err);
  ck_assert_ptr_nonnull(strstr(p.out, "match run #1 on 2025-06-01 (exact)"));
  tu_proc_free(&p);

  json_error_t jerr;
  json_t *doc = json_load_file(file, 0, &jerr);
  ck_assert_msg(doc != NULL, "%s: %s", file, jerr.text);
  json_t *arcs = json_object_get(doc, "arcs"), *caps = json_object_get(doc, "capacities");
  json_t *chosen = json_object_get(doc, "chosen");
  struct inst in = {.n_arcs = json_array_size(arcs)};
  ck_assert_uint_gt(in.n_arcs, 0);
  int64_t *rid = calloc(in.n_arcs, sizeof *rid), *vid = calloc(json_array_size(caps), sizeof *vid);
  in.res = calloc(in.n_arcs, sizeof *in.res);
  in.vac = calloc(in.n_arcs, sizeof *in.vac);
  in.gain = calloc(in.n_arcs, sizeof *in.gain);
  in.cap = calloc(json_array_size(caps), sizeof *in.cap);
  size_t i;
  json_t *it;
  json_array_foreach(caps, i, it) {
    size_t j = index_of(vid, &in.n_vac, json_integer_value(json_object_get(it, "vacancy")));
    in.cap[j] = json_integer_value(json_object_get(it, "capacity"));
  }
  json_array_foreach(arcs, i, it) {
    size_t n_vac = in.n_vac;
    in.res[i] = (int64_t)index_of(rid, &in.n_res, json_integer_value(json_array_get(it, 0)));
    in.vac[i] = (int64_t)index_of(vid, &in.n_vac, json_integer_value(json_array_get(it, 1)));
    ck_assert_uint_eq(in.n_vac, n_vac); /* every arc's vacancy has a capacity */
    in.gain[i] = json_integer_value(json_array_get(it, 2));
  }
  /* the chosen proposals: arcs of the instance, feasible, worth the total */
  int64_t *used = calloc(in.n_vac, sizeof *used), sum = 0;
  uint8_t *placed = calloc(in.n_res, 1);
  json_array_foreach(chosen, i, it) {
    int64_t r = json_integer_value(json_array_get(it, 0)),
            v = json_integer_value(json_array_get(it, 1));
    size_t a = 0;
    while (a < in.n_arcs && !(rid[in.res[a]] == r && vid[in.vac[a]] == v))
      a++;
    ck_assert_uint_lt(a, in.n_arcs);
    ck_assert(!placed[in.res[a]]);
    placed[in.res[a]] = 1;
    ck_assert_int_le(++used[in.vac[a]], in.cap[in.vac[a]]);
    sum += in.gain[a];
  }
  ck_assert_int_eq(sum, json_integer_value(json_object_get(doc, "total_gain")));
  ck_assert_uint_gt(json_array_size(chosen), 0);
  ck_assert_int_eq(max_gain(&in), sum);

  /* and the run is recorded as the API records one */
  sqlite3 *db = NULL;
  ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
  ck_assert_int_eq(db_int(db, "SELECT total_gain FROM match_runs WHERE id = 1"), sum);
  /* chosen vacancies are referrals, chosen batches (negative nodes) course steps */
  int64_t n_steps = 0;
  json_array_foreach(chosen, i, it) n_steps += json_integer_value(json_array_get(it, 1)) < 0;
  ck_assert_int_gt(n_steps, 0); /* the seed's planned batches are offered */
  int64_t n_refs = (int64_t)json_array_size(chosen) - n_steps;
  ck_assert_int_eq(db_int(db, "SELECT count(*) FROM referrals WHERE match_run_id = 1 AND status "
                              "= 'proposed' AND explanation LIKE '{\"fit_components\":%'"),
                   n_refs);
  ck_assert_int_eq(db_int(db, "SELECT count(*) FROM course_steps WHERE match_run_id = 1 AND "
                              "status = 'proposed' AND json_extract(explanation, '$.batch_id') "
                              "= batch_id"),
                   n_steps);
  ck_assert_int_eq(db_int(db,
                          "SELECT count(*) FROM referral_events e JOIN referrals f ON f.id = "
                          "e.referral_id WHERE f.match_run_id = 1 AND e.to_status = 'proposed'"),
                   n_refs);
  int64_t n_vacancies = 0;
  json_array_foreach(caps, i, it) n_vacancies +=
      json_integer_value(json_object_get(it, "vacancy")) > 0;
  ck_assert_int_lt(n_vacancies, (int64_t)in.n_vac); /* batches are nodes too */
  ck_assert_int_eq(db_int(db, "SELECT count(*) FROM match_run_fill WHERE match_run_id = 1"),
                   n_vacancies);
  ck_assert_int_eq(db_int(db, "SELECT sum(job_steps) FROM match_run_targeting WHERE "
                              "match_run_id = 1 AND grp = 'all'"),
                   n_refs);
  ck_assert_int_eq(db_int(db, "SELECT sum(course_steps) FROM match_run_targeting WHERE "
                              "match_run_id = 1 AND grp = 'all'"),
                   n_steps);
  ck_assert_int_eq(db_int(db, "SELECT coalesce(sum(n), 0) FROM match_run_unmatched WHERE "
                              "match_run_id = 1"),
                   db_int(db, "SELECT n_unmatched FROM match_runs WHERE id = 1"));
  sqlite3_close(db);

  free(rid);
  free(vid);
  free(in.res);
  free(in.vac);
  free(in.gain);
  free(in.cap);
  free(used);
  free(placed);
  json_decref(doc);
  tu_rmtree(dir);
  free(dir);
}
END_TEST

static void db_exec(sqlite3 *db, const char *sql) {
  char *err = NULL;
  ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK, "%s: %s", sql,
                err ? err : "");
}

/* Two runs in a row on one database, and a third after officers rejected
 * some proposals and withdrew some course steps: no vacancy ever holds more
 * open referrals than its cap, no resident holds two open steps, and no
 * rejected or withdrawn pair comes back within the period. */
START_TEST(repeated_runs_keep_caps_and_never_repeat_a_rejected_pair) {
  struct tu_proc p;
  char *dir = tu_tmpdir();
  char db_path[600], cfg[600];
  snprintf(db_path, sizeof db_path, "%s/padan.db", dir);
  snprintf(cfg, sizeof cfg, "%s/engine.conf", dir);
  RUN(&p, "seed", "--data", dir, "--residents", "3000", "--seed", "5");
  ck_assert_msg(p.status == 0, "seed: %s", p.err);
  tu_proc_free(&p);
  FILE *f = fopen(cfg, "w");
  ck_assert_ptr_nonnull(f);
  fputs("shortlist_factor = 1\n", f); /* tight caps, so a second run meets full vacancies */
  ck_assert_int_eq(fclose(f), 0);

  static const char over_cap[] =
      "SELECT count(*) FROM vacancies v WHERE (SELECT count(*) FROM referrals f WHERE "
      "f.vacancy_id = v.id AND f.status IN ('proposed', 'confirmed', 'interviewed')) > "
      "max(0, v.openings - (SELECT count(*) FROM referrals f WHERE f.vacancy_id = v.id AND "
      "f.status IN ('hired', 'retained_3m', 'retained_6m')))";
  static const char two_open[] =
      "SELECT count(*) FROM (SELECT resident_id FROM (SELECT resident_id FROM referrals WHERE "
      "status IN ('proposed', 'confirmed', 'interviewed') UNION ALL SELECT resident_id FROM "
      "course_steps WHERE status = 'proposed' UNION ALL SELECT resident_id FROM enrolments "
      "WHERE status = 'enrolled') GROUP BY resident_id HAVING count(*) > 1)";
  static const char over_seats[] =
      "SELECT count(*) FROM batches b WHERE (SELECT count(*) FROM course_steps t WHERE "
      "t.batch_id = b.id AND t.status = 'proposed') + (SELECT count(*) FROM enrolments e WHERE "
      "e.batch_id = b.id AND e.status <> 'dropped') > b.capacity";
  sqlite3 *db = NULL;
  for (int run = 1; run <= 3; run++) {
    RUN(&p, "match", "--data", dir, "--date", "2026-12-07", "--config", cfg);
    ck_assert_msg(p.status == 0, "match %d: %s", run, p.err);
    tu_proc_free(&p);
    ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    ck_assert_int_eq(db_int(db, over_cap), 0);
    ck_assert_int_eq(db_int(db, two_open), 0);
    ck_assert_int_eq(db_int(db, over_seats), 0);
    /* nothing rejected or withdrawn is proposed again */
    ck_assert_int_eq(db_int(db, "SELECT count(*) FROM referrals a JOIN referrals b ON "
                                "a.resident_id = b.resident_id AND a.vacancy_id = b.vacancy_id "
                                "AND b.id > a.id WHERE a.status IN ('rejected', 'withdrawn')"),
                     0);
    /* every eligible resident of a priority kelurahan has a step or a reason */
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT eligible - job_steps - course_steps - (SELECT count(*) FROM "
             "match_run_reasons WHERE match_run_id = %d AND groups & 4 AND reason_id <> '' AND "
             "reason_en <> '') FROM match_run_targeting WHERE match_run_id = %d AND grp = "
             "'priority_kelurahan'",
             run, run);
    ck_assert_int_eq(db_int(db, sql), 0);
    if (run == 1) {
      ck_assert_int_gt(db_int(db, "SELECT count(*) FROM match_run_reasons WHERE match_run_id = 1 "
                                  "AND groups & 4"),
                       0);
      ck_assert_int_gt(db_int(db, "SELECT count(*) FROM referrals WHERE match_run_id = 1"), 50);
      ck_assert_int_gt(db_int(db, "SELECT count(*) FROM course_steps WHERE match_run_id = 1"), 10);
    }
    if (run == 2) /* caps and seats were used up by run 1 */
      ck_assert_int_eq(db_int(db, "SELECT count(*) FROM referrals WHERE match_run_id = 2"), 0);
    if (run == 3) /* the places freed by the rejections are proposed to others */
      ck_assert_int_gt(db_int(db, "SELECT count(*) FROM referrals WHERE match_run_id = 3"), 0);
    if (run == 2) {
      /* officers reject every other proposal of run 1 and withdraw every
       * other course step */
      db_exec(db, "UPDATE referrals SET status = 'rejected', updated_at = "
                  "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE match_run_id = 1 AND id % 2 = 0");
      db_exec(db, "UPDATE course_steps SET status = 'withdrawn', updated_at = "
                  "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE match_run_id = 1 AND id % 2 = 0");
      ck_assert_int_gt(db_int(db, "SELECT count(*) FROM referrals WHERE status = 'rejected'"), 20);
    }
    sqlite3_close(db);
  }
  tu_rmtree(dir);
  free(dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cli");
  TCase *tc = tcase_create("cli");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, every_subcommand_has_help);
  tcase_add_test(tc, bad_command_lines_exit_2_naming_the_problem);
  tcase_add_test(tc, unreadable_or_missing_data_directory_exits_1);
  tcase_add_test(tc, port_in_use_exits_1_naming_the_port);
  tcase_add_test(tc, seed_out_is_deterministic_and_users_work);
  tcase_add_test(tc, match_records_the_run_and_exports_an_optimal_instance);
  tcase_add_test(tc, repeated_runs_keep_caps_and_never_repeat_a_rejected_pair);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
