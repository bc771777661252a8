/*
 * Crash safety of a DTSEN import: the padan binary imports a 300,000-row
 * extract and is killed with SIGKILL part-way through writing it (once its
 * write-ahead log has grown past a few megabytes, so well before the
 * commit).  The database must then pass PRAGMA integrity_check and hold
 * none of the import — no resident and no skill row from it — and a rerun of
 * the same import must complete and hold all of it.
 */
#include "testutil.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROWS 300000
#define ROWS_TEXT "300000"
/* WAL bytes that show the import's writing pass is under way: a few
 * megabytes of the roughly 60 MB the whole import writes. */
#define KILL_AT_WAL_BYTES (4L << 20)
#define MAX_WAIT_S 150

extern char **environ;

static char *dir;
static char db[600], wal[600], extract[600];

static void setup(void) {
  dir = tu_tmpdir();
  snprintf(db, sizeof db, "%s/padan.db", dir);
  snprintf(wal, sizeof wal, "%s/padan.db-wal", dir);
  snprintf(extract, sizeof extract, "%s/extract.csv", dir);
}

static void teardown(void) {
  tu_rmtree(dir);
  free(dir);
}

/* Starts the padan binary with args (NULL-terminated, after argv[0]), its
 * output sent to /dev/null. */
static pid_t start(const char *const *args) {
  char *argv[16];
  int argc = 0;
  argv[argc++] = (char *)PADAN_BIN;
  for (; *args != NULL && argc < 15; args++)
    argv[argc++] = (char *)*args;
  argv[argc] = NULL;
  posix_spawn_file_actions_t fa;
  ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  int rc = posix_spawn(&pid, PADAN_BIN, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  ck_assert_msg(rc == 0, "cannot start %s: %s", PADAN_BIN, strerror(rc));
  return pid;
}

static int wait_exit(pid_t pid) {
  int status;
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
  return status;
}

static void run_ok(const char *const *args) {
  int status = wait_exit(start(args));
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "padan %s %s failed (status %d)",
                args[0], args[1], status);
}

static int64_t query_int(const char *sql) {
  sqlite3 *h;
  sqlite3_stmt *q;
  ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
  ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &q, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(h));
  ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(h);
  return v;
}

/* PRAGMA integrity_check answers the single row "ok" on a sound file. */
static void assert_integrity(void) {
  ck_assert_int_eq(query_int("SELECT count(*) FROM pragma_integrity_check"), 1);
  ck_assert_int_eq(query_int("SELECT count(*) FROM pragma_integrity_check "
                             "WHERE integrity_check = 'ok'"),
                   1);
}

static long file_size(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 ? (long)st.st_size : 0;
}

START_TEST(sigkill_mid_import_leaves_none_and_a_rerun_all) {
  run_ok((const char *const[]){"seed", "--out", extract, "--residents", ROWS_TEXT, NULL});
  run_ok((const char *const[]){"seed", "--data", dir, "--residents", "0", NULL});
  int64_t before = query_int("SELECT count(*) FROM residents");
  ck_assert_int_eq(before, 0);
  int64_t kelurahan = query_int("SELECT count(*) FROM kelurahan");
  ck_assert_int_eq(kelurahan, 104);

  pid_t pid = start((const char *const[]){"import", "dtsen", extract, "--data", dir, NULL});
  struct timespec nap = {0, 2 * 1000 * 1000};
  long waited_ms = 0, wal_at_kill = 0;
  int status = 0, exited = 0;
  for (;;) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = 1;
      break;
    }
    wal_at_kill = file_size(wal);
    if (wal_at_kill > KILL_AT_WAL_BYTES) {
      ck_assert_int_eq(kill(pid, SIGKILL), 0);
      status = wait_exit(pid);
      break;
    }
    ck_assert_msg(waited_ms < MAX_WAIT_S * 1000L, "the import never started writing");
    nanosleep(&nap, NULL);
    waited_ms += 2;
  }
  ck_assert_msg(!exited, "the import finished (status %d) before it could be killed", status);
  ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  ck_assert_int_gt(file_size(wal), 0); /* the killed writer's log is still there */

  /* opening the file recovers from the log: sound, and none of the import */
  assert_integrity();
  int64_t after_crash = query_int("SELECT count(*) FROM residents");
  ck_assert_msg(after_crash == before || after_crash == before + ROWS,
                "after the crash the database holds %lld residents: part of the import",
                (long long)after_crash);
  /* The commit frame is the last one a transaction appends to the log, and
   * the whole import writes far more than KILL_AT_WAL_BYTES, so the kill
   * always lands before it: none of the import may be there. */
  ck_assert_int_eq(after_crash, before);
  fprintf(stderr, "check_crash: import killed with %ld bytes in its log after %ld ms\n",
          wal_at_kill, waited_ms);
  ck_assert_int_eq(query_int("SELECT count(*) FROM resident_skills"), 0);
  ck_assert_int_eq(query_int("SELECT count(*) FROM kelurahan"), kelurahan);

  /* the same import again runs to completion */
  run_ok((const char *const[]){"import", "dtsen", extract, "--data", dir, NULL});
  assert_integrity();
  ck_assert_int_eq(query_int("SELECT count(*) FROM residents"), before + ROWS);
  ck_assert_int_eq(query_int("SELECT count(DISTINCT nik) FROM residents WHERE synthetic = 1"),
                   ROWS);
  ck_assert_int_gt(query_int("SELECT count(*) FROM resident_skills"), 0);
}
END_TEST

static Suite *crash_suite(void) {
  Suite *suite = suite_create("crash");
  TCase *t = tcase_create("import");
  tcase_add_checked_fixture(t, setup, teardown);
  tcase_set_timeout(t, 600);
  tcase_add_test(t, sigkill_mid_import_leaves_none_and_a_rerun_all);
  suite_add_tcase(suite, t);
  return suite;
}

int main(void) {
  return tu_run_suite(crash_suite());
}
