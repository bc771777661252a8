/*
 * snapshot.h — the bridge from the database to the matching engine.
 *
 * A snapshot is an engine (matcher.h) built from the store, plus the maps
 * from database ids to the engine's skill, kelurahan and course indices that
 * were used to build it, so that a single resident or vacancy can later be
 * re-read and put into the same engine without a rebuild.  The database's
 * text enumerations (education, vocations, shifts, statuses) are turned into
 * the engine's codes here and nowhere else.
 */
#ifndef PADAN_SNAPSHOT_H
#define PADAN_SNAPSHOT_H

#include "matcher.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct snapshot;

/* Builds a snapshot of everything in s under cfg (cfg->today is the run
 * date).  *out is owned by the caller (snapshot_free).  0, or -1 with a
 * one-line message in err. */
int snapshot_create(struct store *s, const struct mt_config *cfg, struct snapshot **out, char *err,
                    size_t errlen);
void snapshot_free(struct snapshot *snap);

/* snapshot_create holds only the residents who could be eligible on a run
 * date from cfg->today to snapshot_valid_until() (and those with a
 * referral): the others (working, in school, outside the productive age,
 * unverified or verified too long ago, erased) cannot be ranked, and at a
 * city's size they are most of the registry.  Every answer about a
 * resident it holds is the answer a snapshot of everyone gives;
 * snapshot_hold_resident() brings in one left out before a question about
 * them (why they are matched to nothing).  With SNAPSHOT_ALL_RESIDENTS it
 * holds every resident that is not erased (the tests compare the two). */
#define SNAPSHOT_ALL_RESIDENTS 0x1u
int snapshot_create_ex(struct store *s, const struct mt_config *cfg, unsigned flags,
                       struct snapshot **out, char *err, size_t errlen);
/* snapshot_create that gives up when stopped(arg) says so, asked between
 * batches of residents and, through store_engine_stop_when, by s's
 * statements meanwhile: the server's loader ends a city's load of several
 * seconds soon after the server is told to stop (app.c).  0, -1 with a
 * message in err, or 1 when stopped (*out NULL, nothing to free). */
int snapshot_create_stoppable(struct store *s, const struct mt_config *cfg,
                              int (*stopped)(void *arg), void *arg, struct snapshot **out,
                              char *err, size_t errlen);
/* The last run date the scope of residents covers (INT32_MAX: everyone). */
int32_t snapshot_valid_until(const struct snapshot *snap);
/* Puts resident id (read from s) into the engine unless it holds them
 * already.  0 or -1. */
int snapshot_hold_resident(struct snapshot *snap, struct store *s, int64_t id);

/* The engine inside (owned by the snapshot). */
struct mt_engine *snapshot_engine(struct snapshot *snap);

/* Re-reads one resident or vacancy from s and puts it into the engine, or
 * removes it when it no longer exists.  0 or -1. */
int snapshot_refresh_resident(struct snapshot *snap, struct store *s, int64_t id);
int snapshot_refresh_vacancy(struct snapshot *snap, struct store *s, int64_t id);

/* Sets every kelurahan's priority flag in the engine to pk's (n rows from
 * priority_compute: the index and the officers' pins), re-deriving the
 * residents of each kelurahan whose flag changed, so a pin or unpin applies
 * to the very next ranking.  0 or -1. */
struct priority_kelurahan;
int snapshot_apply_priority(struct snapshot *snap, const struct priority_kelurahan *pk, size_t n);

/* Days since 1970-01-01 of an ISO date "YYYY-MM-DD"; MT_UNKNOWN_DAY when
 * s is empty or not a real date. */
int32_t snapshot_day(const char *s);

/* The ISO date "YYYY-MM-DD" of a day number, into buf[11]. */
void snapshot_iso_day(int32_t day, char buf[11]);

/* The engine's vocation code of a slug ("garment"), MT_VOC_NONE if unknown. */
uint8_t snapshot_vocation(const char *slug);
const char *snapshot_vocation_slug(uint8_t vocation);

#endif
