/*
 * deadline.h — the instant a timed wait ends, for pthread_cond_timedwait:
 * CLOCK_REALTIME (the clock a default condition variable waits on) plus a
 * number of milliseconds, the nanoseconds carried into seconds.  One home
 * for that arithmetic, which the loader's test delay, the audit
 * checkpoint's wait for the baton and the webhook worker's poll share.
 */
#ifndef PADAN_DEADLINE_H
#define PADAN_DEADLINE_H

#include <time.h>

/* *until = now + ms milliseconds (ms >= 0). */
void deadline_in_ms(struct timespec *until, long ms);

#endif
