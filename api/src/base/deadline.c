/*
 * deadline.c — the end of a timed wait, ms from now (deadline.h).
 */
#include "deadline.h"

void deadline_in_ms(struct timespec *until, long ms) {
  clock_gettime(CLOCK_REALTIME, until);
  until->tv_sec += ms / 1000;
  until->tv_nsec += (ms % 1000) * 1000000L;
  until->tv_sec += until->tv_nsec / 1000000000L;
  until->tv_nsec %= 1000000000L;
}
