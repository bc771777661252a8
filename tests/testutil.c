/* Helpers shared by the Check test binaries (see testutil.h). */
#include "testutil.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *tu_tmpdir(void) {
  char tmpl[] = "/tmp/padan-test-XXXXXX";
  char *dir = mkdtemp(tmpl);
  ck_assert_msg(dir != NULL, "mkdtemp failed");
  char *copy = strdup(dir);
  ck_assert_ptr_nonnull(copy);
  return copy;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  remove(path);
  return 0;
}

void tu_rmtree(const char *path) {
  if (path != NULL)
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int tu_run_suite(Suite *s) {
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
