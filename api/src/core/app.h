/*
 * app.h — the server-wide state every handler shares: the engine
 * configuration and the matching engine's in-memory snapshot.
 *
 * Rankings are served from the snapshot, never rebuilt per request.  Any
 * number of requests read it at once under a shared lock; a handler that
 * changed a resident or a vacancy in the store calls api_engine_refresh()
 * after its commit, which re-reads that one record and puts it into the
 * engine under the exclusive lock, so the next ranking sees the change.
 * The run date moves on by itself: the first reader of a new day (Kota
 * Tangerang time) sets it, so eligibility by age, deadline and verification
 * age stays true on a server that runs for weeks.
 */
#ifndef PADAN_APP_H
#define PADAN_APP_H

#include "matcher.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct api_app;

/* Opens the app over the database at db_path with cfg (its today is
 * replaced by the current day) and starts building the snapshot on a
 * thread of its own: the server serves at once, and api_engine_ready()
 * says when the engine is in.  *out is owned by the caller (api_app_free,
 * which waits for a build under way).  0, or -1 with a one-line message in
 * err. */
int api_app_create(const char *db_path, const struct mt_config *cfg, struct api_app **out,
                   char *err, size_t errlen);
void api_app_free(struct api_app *a);

/* Tells the loader to stop: a build of its own under way gives up (between
 * batches of residents) and none starts again, so api_app_free() does not
 * wait for a city's load.  Builds a handler asks for (api_engine_rebuild)
 * still finish.  The server calls it as it begins to stop. */
void api_app_stop(struct api_app *a);

/* The serve loop's once-a-second call: moves the run date on at midnight
 * and asks the loader for a new build when the snapshot's scope of residents
 * nears its end, as the first engine request of a day would, so a server
 * nobody asks for a month still rebuilds before its scope runs out. */
void api_app_tick(struct api_app *a);

/* 1 once the first snapshot is in force (it stays so), 0 while it loads.
 * The dispatcher answers the routes that need the engine with 503
 * engine-not-ready until then (http.c), so no handler acquires it early. */
int api_engine_ready(struct api_app *a);

/* The engine under a shared lock; every call pairs with api_engine_release
 * on the same thread.  Only when api_engine_ready(); never NULL then. */
const struct mt_engine *api_engine_acquire(struct api_app *a);
void api_engine_release(struct api_app *a);

/* The configuration in force (a copy, so it stays valid without a lock). */
struct mt_config api_config(struct api_app *a);

enum api_record { API_REC_RESIDENT, API_REC_VACANCY };

/* Re-reads one record with the caller's connection s (after its commit) and
 * puts it into the engine, or removes it when it is gone.  0 or -1. */
int api_engine_refresh(struct api_app *a, struct store *s, enum api_record kind, int64_t id);

/* Makes sure the engine holds resident id, reading them with s when the
 * snapshot left them out (snapshot.h: it holds only residents who could be
 * eligible), so that mt_explain() can say why they are matched to nothing.
 * Call it before api_engine_acquire() for a question about one resident.
 * 0 or -1. */
int api_engine_hold_resident(struct api_app *a, struct store *s, int64_t id);

/* Applies the priority kelurahan as s now holds them (after an officer's
 * pin or unpin) to the engine, re-deriving the residents of every
 * kelurahan whose flag changed.  0 or -1. */
int api_engine_refresh_priority(struct api_app *a, struct store *s);

/* Rebuilds the whole snapshot from s (after a bulk import or a recomputation
 * of course outcomes); refreshes made meanwhile are not lost.  While the
 * first snapshot still loads, asks the loader for one more build instead.
 * 0 or -1. */
int api_engine_rebuild(struct api_app *a, struct store *s);

/* The reference data beside the snapshot: skills, vacancy and course
 * briefs (refcache.h).  Lives as long as a. */
struct refcache;
struct refcache *api_refcache(struct api_app *a);

/* Answers computed from the snapshot, kept per generation (respcache.h).
 * Lives as long as a. */
struct respcache;
struct respcache *api_respcache(struct api_app *a);
/* The snapshot's generation: moved on by every refresh, priority change,
 * rebuild and new day, so an answer kept under it is the answer the
 * snapshot would give now. */
uint64_t api_engine_generation(struct api_app *a);

/* The last run date the scope of the snapshot in force covers
 * (snapshot_valid_until), 0 while the first one loads.  The loader builds
 * anew when the run date comes within 30 days of it. */
int32_t api_engine_valid_until(struct api_app *a);

/* Today as days since 1970-01-01 and as "YYYY-MM-DD", in Kota Tangerang
 * (UTC+7). */
int32_t api_today(char iso[11]);

/* For tests: api_today() says day (days since 1970-01-01) from now on, in
 * the whole process, instead of the clock's day; 0 gives the clock back.
 * The next reader of the engine moves the run date to it, as on a new day. */
void api_today_set(int32_t day);

#endif
