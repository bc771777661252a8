/*
 * The padan command line, run as a user would run it: --help on every
 * subcommand, one-line errors with the right exit status for bad command
 * lines and bad environments (unknown flag, missing value, unreadable data
 * directory, port in use), and the seed/user/match commands end to end on a
 * small database.
 */
#include "testutil.h"

#include <arpa/inet.h>
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
  static const char *const cmds[] = {"serve",  "seed",   "import",   "match",   "user",
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

int main(void) {
  Suite *s = suite_create("cli");
  TCase *tc = tcase_create("cli");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, every_subcommand_has_help);
  tcase_add_test(tc, bad_command_lines_exit_2_naming_the_problem);
  tcase_add_test(tc, unreadable_or_missing_data_directory_exits_1);
  tcase_add_test(tc, port_in_use_exits_1_naming_the_port);
  tcase_add_test(tc, seed_out_is_deterministic_and_users_work);
  suite_add_tcase(s, tc);
  return tu_run_suite(s);
}
