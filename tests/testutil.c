/* Helpers shared by the Check test binaries (see testutil.h). */
#include "testutil.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ftw.h>
#include <malloc.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
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

/* Reads fd to EOF into a malloc'd NUL-terminated buffer. */
static char *read_all(int fd) {
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  ck_assert_ptr_nonnull(buf);
  for (;;) {
    if (n + 1 == cap) {
      cap *= 2;
      buf = realloc(buf, cap);
      ck_assert_ptr_nonnull(buf);
    }
    ssize_t got = read(fd, buf + n, cap - n - 1);
    if (got <= 0)
      break;
    n += (size_t)got;
  }
  buf[n] = '\0';
  return buf;
}

void tu_run(char *const argv[], char *const env[], struct tu_proc *p) {
  int out[2], err[2];
  ck_assert_int_eq(pipe(out), 0);
  ck_assert_int_eq(pipe(err), 0);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(out[0]);
    close(err[0]);
    for (size_t i = 0; env != NULL && env[i] != NULL; i++)
      putenv(env[i]);
    execv(argv[0], argv);
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  /* stderr is small in every test; read stdout first, then stderr */
  p->out = read_all(out[0]);
  p->err = read_all(err[0]);
  close(out[0]);
  close(err[0]);
  int st;
  ck_assert_int_eq(waitpid(pid, &st, 0), pid);
  p->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void tu_proc_free(struct tu_proc *p) {
  free(p->out);
  free(p->err);
  p->out = p->err = NULL;
}

int tu_free_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ck_assert_int_ge(fd, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
  socklen_t len = sizeof a;
  ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
  close(fd);
  return ntohs(a.sin_port);
}

/* ---- Address-space caps ---------------------------------------------------------- */

size_t tu_address_space(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  ck_assert_ptr_nonnull(f);
  unsigned long pages = 0;
  ck_assert_int_eq(fscanf(f, "%lu", &pages), 1);
  fclose(f);
  return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

void tu_cap_address_space(size_t extra) {
  static struct rlimit original;
  static int saved;
  if (!saved) {
    ck_assert_int_eq(getrlimit(RLIMIT_AS, &original), 0);
    mallopt(M_MMAP_THRESHOLD, 64 * 1024);
    saved = 1;
  }
  struct rlimit lim = original;
  if (extra != SIZE_MAX)
    lim.rlim_cur = tu_address_space() + extra;
  ck_assert_int_eq(setrlimit(RLIMIT_AS, &lim), 0);
}

int tu_under_memory_tool(void) {
#if defined(__SANITIZE_ADDRESS__)
  return 1;
#else
  const char *preload = getenv("LD_PRELOAD");
  return preload != NULL && strstr(preload, "vgpreload") != NULL;
#endif
}
