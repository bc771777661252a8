/*
 * access.h — who may see and do what: the one place where DESIGN.md §6's
 * access table is enforced, plus the audit of personal-data reads.
 *
 * Two layers, both here or in the route table: a route admits roles (a
 * role it does not admit gets 403 from the dispatcher); then every handler
 * that touches one object asks api_authorize(), which looks the object's
 * owner up (a resident's kelurahan, a vacancy's employer, a referral's
 * resident and vacancy …) and applies the table below to the caller's
 * role and scope.  An object the caller may not see answers 404, byte for
 * byte the answer for a missing object; a function the role may not use on
 * an object it can see answers 403.  List endpoints ask api_scope_of() for
 * the filter to apply, so a list never holds an object api_authorize()
 * would hide.  What a reply shows of the residents behind an object comes
 * from api_view_of() (full, pseudonymous, or personal only after
 * acceptance), and the functions only some roles of a route may use from
 * api_may(): handlers hold no role test of their own.
 *
 * The table (DESIGN.md §6):
 *   residents (with NIK, desil, address): admin, officer all; desk own
 *     kelurahan; employer never.
 *   vacancies: admin, officer all; employer own employer (read, write);
 *     desk read open ones.
 *   employers: admin, officer all; employer its own (read, write); desk read.
 *   candidates for a vacancy: admin, officer; employer own vacancies,
 *     pseudonymous, no priority; desk no.
 *   recommendations for a resident: admin, officer; desk own kelurahan.
 *   match runs, training plans, the review of a run's proposals and the
 *     bulk decisions on them: admin, officer.
 *   priority pins of a kelurahan: admin, officer (audited).
 *   referrals: admin, officer all; employer own vacancies (status only);
 *     desk create for own residents, read own residents'.
 *   courses, batches: every role reads; admin, officer write.
 *   enrolments: admin, officer all; desk own residents.
 *   reports: admin, officer all; employer own vacancies; desk own kelurahan
 *     (the overlap and unserved lists name residents: never employers).
 *   users, audit log: admin.
 *   API keys and webhook endpoints of an employer: the employer's own
 *     accounts and admins.
 *
 * An API key's caller (apikeys.h) is an employer principal: every rule
 * above for the employer role applies to it, and scopes.c narrows it to
 * the routes its scopes admit (403 elsewhere).
 */
#ifndef PADAN_ACCESS_H
#define PADAN_ACCESS_H

#include <stddef.h>
#include <stdint.h>

#include "errors.h"

struct api_req;
struct auth_principal;
struct store;
struct store_owner;

enum api_object {
  API_O_RESIDENT,
  API_O_EMPLOYER,
  API_O_VACANCY,
  API_O_COURSE,
  API_O_BATCH,
  API_O_ENROLMENT,
  API_O_MATCH_RUN,
  API_O_REFERRAL,
};

enum api_access {
  API_READ,      /* see the object */
  API_WRITE,     /* change the object's own fields */
  API_STATUS,    /* move a referral's status (employer: interviewed, hired …) */
  API_RECOMMEND, /* rankings about the object (candidates, recommendations) */
};

/* 0 when the caller may do access on object kind/id.  Otherwise the reply
 * is queued (404 for an object missing or outside scope, 403 for a
 * function the role may not use, 503/500 on a store failure) and -1 is
 * returned: the handler then returns MHD_YES at once. */
int api_authorize(struct api_req *r, enum api_object kind, int64_t id, enum api_access access);

/* 1 when the caller's role may never do access on objects of kind (403)
 * or never sees them (404), with the problem in *error; 0 when it depends
 * on the object.  No lookup: for a handler to refuse before it reads. */
int api_access_refused(const struct api_req *r, enum api_object kind, enum api_access access,
                       enum api_error *error);

/* api_authorize's decision without a reply, with the owner found by the
 * caller: lookup(arg, &owner) answers it as store_object_owner would (a
 * STORE_* code, STORE_ENOTFOUND for an object missing or erased) and is
 * called only when the rule needs the owner, so that a handler whose own
 * read of the object gives its owner pays no statement for the check; and
 * no reply, so that it can run on another thread (api_audit_personal_read's
 * read).  0 when the caller of r may, else -1 with the problem to answer in
 * *error. */
int api_access_check(const struct api_req *r, enum api_object kind, enum api_access access,
                     int (*lookup)(void *arg, struct store_owner *out), void *arg,
                     enum api_error *error);

/* The restriction a list must apply for the caller: -1 in a field means
 * none.  A desk gets its kelurahan, an employer its employer. */
struct api_scope {
  int64_t kelurahan_id;
  int64_t employer_id;
  int open_vacancies_only; /* 1: only open vacancies (a desk reads no others) */
};
void api_scope_of(const struct api_req *r, struct api_scope *out);

/* Records that the caller read resident_id's personal data through this
 * route (who, role, which resident, route, purpose, time).  purpose is a
 * short slug ("view", "list", "recommendations", "export" …); the route and
 * caller come from r.  0, or -1 (the read must then not be answered: the
 * function has queued a 503). */
int api_audit_personal(struct api_req *r, int64_t resident_id, const char *purpose);

/* A personal read and its audit row in one transaction of the audit's
 * next group (auditq.h's api_auditq_read; on the request's own connection
 * when it holds a write transaction or there is no group writer).
 * read(arg, db) reads from db, checks access (api_access_check) and keeps
 * what it found in arg, for any thread: it returns 0 when the read is to
 * be answered, so audited, and non-zero when not (no row is written, and
 * the handler answers from what arg holds).  0 read and audited; 1 the
 * read refused; -1 the audit failed (a reply is queued, as
 * api_audit_personal's). */
int api_audit_personal_read(struct api_req *r, int64_t resident_id, const char *purpose,
                            int (*read)(void *arg, struct store *db), void *arg);
/* The same row, for the answer to a write that has committed: replies
 * nothing, returns the STORE_* code (on failure the caller answers without
 * the personal data: api_reply_written). */
int api_audit_personal_written(struct api_req *r, int64_t resident_id, const char *purpose);

/* The same for every resident of a list (n rows, all or none written):
 * each listed resident's access record then shows the list read. */
int api_audit_personal_each(struct api_req *r, const int64_t *ids, size_t n, const char *purpose);

/* Records one search of residents by the caller (POST /v1/residents/search):
 * one row for the search, whatever it found, with detail naming how it
 * searched and how many it found ("by nik, 1 hit") — never the NIK or the
 * name searched for.  Opening a hit is audited as any record read.  0 or -1
 * (reply queued, as above). */
int api_audit_search(struct api_req *r, const char *detail);

/* Writes one audit row of a staff or employer action that names no
 * resident (a key created, a webhook deleted): the caller, the route,
 * action and detail.  Returns the store's code and queues no reply, so the
 * caller can write it inside its own transaction. */
int api_audit_action(struct api_req *r, const char *action, const char *detail);

/* The id under which an employer sees resident_id as a candidate for
 * vacancy_id: "c-" and the resident's keyed pseudonym for that vacancy, the
 * same in the candidate list and in the referrals, and unlinkable across
 * vacancies.  Writes it into out (API_CANDIDATE_ID_SIZE bytes); 0 or -1. */
#define API_CANDIDATE_ID_SIZE 32
int api_candidate_id(struct api_req *r, int64_t vacancy_id, int64_t resident_id,
                     char out[API_CANDIDATE_ID_SIZE]);

/* ---- Views and powers: every role test a handler needs ---------------------------- */

/* How much of the residents behind an object the caller is shown. */
enum api_view {
  API_VIEW_FULL,             /* staff: every field the route has, with its history */
  API_VIEW_PSEUDONYMOUS,     /* employer: a per-vacancy pseudonym and rounded fit; never a
                                name, NIK, desil, priority, disability or address */
  API_VIEW_AFTER_ACCEPTANCE, /* employer on a referral: pseudonymous until the referral is
                                confirmed, then the resident's name and contact */
};
/* The view the caller gets of the residents behind objects of kind
 * (API_O_RESIDENT for candidate lists and reports, API_O_REFERRAL for
 * referrals). */
enum api_view api_view_of(const struct api_req *r, enum api_object kind);

/* Functions some roles that reach an object may use and others not. */
enum api_power {
  API_P_CONFIRM_REFERRAL,    /* a referral it opens starts confirmed (admin, officer); a
                                desk's starts proposed, for an officer to confirm */
  API_P_EMPLOYER_ALL_FIELDS, /* change every field of an employer it reaches (staff); an
                                employer account changes only its name and address */
  API_P_DTSEN_FIELDS,        /* correct the fields DTSEN owns: NIK, desil, birth date, sex
                                (admin, officer; never a desk) */
};
/* Which records who's role reaches, as GET /v1/auth/me names it: "system"
 * (admin), "city" (officer), "employer" (its own) or "kelurahan" (a
 * desk's own).  A static string. */
const char *api_scope_kind(const struct auth_principal *who);

/* 1 when the caller's role has power p, else 0 (nothing queued). */
int api_may(const struct api_req *r, enum api_power p);

/* 1 when the caller may move a referral it reaches to status to:
 * Disnaker's staff any status; an employer the outcomes (interviewed,
 * hired …), never confirmed or withdrawn. */
int api_may_set_referral_status(const struct api_req *r, const char *to);

#endif
