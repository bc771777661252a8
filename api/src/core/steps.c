/*
 * steps.c — the checks before a resident's next step is taken (see
 * steps.h): the intervention registry's conflicts and an enrolment's batch
 * rules, with texts that name what stands in the way.
 */
#include "steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void refuse(struct steps_refusal *why, const char *code) {
  why->refused = 1;
  snprintf(why->code, sizeof why->code, "%s", code);
}

int steps_check_registry(struct store *s, int64_t resident_id, const char *grp, const char *start,
                         const char *end, struct steps_refusal *why) {
  struct store_gov_conflict *c = &why->conflict;
  int rc = store_gov_conflict_find(s, resident_id, grp, start, end, c);
  if (rc == STORE_ENOTFOUND)
    return STORE_OK;
  if (rc != STORE_OK)
    return rc;
  const char *until_id = c->with.end_date[0] ? c->with.end_date : "selesai";
  const char *until_en = c->with.end_date[0] ? c->with.end_date : "open-ended";
  refuse(why, "registry_conflict");
  snprintf(why->detail_id, sizeof why->detail_id,
           "Bertentangan dengan layanan yang sedang diterima: %s (%s %lld) dari %s, %s s.d. %s. "
           "%s.",
           c->with.kind, c->with.source, (long long)c->with.id, c->with.office, c->with.start_date,
           until_id, c->reason_id);
  snprintf(why->detail_en, sizeof why->detail_en,
           "Conflicts with a service the resident receives: %s (%s %lld) from %s, %s to %s. %s.",
           c->with.kind, c->with.source, (long long)c->with.id, c->with.office, c->with.start_date,
           until_en, c->reason_en);
  return STORE_OK;
}

int steps_check_job(struct store *s, int64_t resident_id, const char *today,
                    struct steps_refusal *why) {
  return steps_check_registry(s, resident_id, "job", today, NULL, why);
}

int steps_enrol(struct store *s, int64_t batch_id, int64_t resident_id, int64_t by_user,
                const char *today, struct steps_refusal *why, int64_t *enrolment_id) {
  struct store_batch_row b;
  int64_t other = 0, taken = 0;
  memset(why, 0, sizeof *why);
  int rc = store_batch_get(s, batch_id, &b);
  if (rc != STORE_OK)
    return rc;
  if (strcmp(b.status, "finished") == 0) {
    refuse(why, "batch_finished");
    snprintf(why->detail_id, sizeof why->detail_id,
             "Angkatan ini sudah selesai dan tidak menerima peserta lagi.");
    snprintf(why->detail_en, sizeof why->detail_en,
             "This batch has finished and takes no more trainees.");
    return STORE_OK;
  }
  rc = store_enrolment_find(s, batch_id, resident_id, &other);
  if (rc == STORE_OK) {
    refuse(why, "already_enrolled");
    snprintf(why->detail_id, sizeof why->detail_id,
             "Warga ini sudah terdaftar di angkatan ini (pendaftaran %lld).", (long long)other);
    snprintf(why->detail_en, sizeof why->detail_en,
             "This resident is already enrolled in this batch (enrolment %lld).", (long long)other);
    return STORE_OK;
  }
  rc = rc == STORE_ENOTFOUND ? store_batch_taken(s, batch_id, &taken) : rc;
  if (rc != STORE_OK)
    return rc;
  if (taken >= b.capacity) {
    refuse(why, "batch_full");
    snprintf(why->detail_id, sizeof why->detail_id,
             "Angkatan ini sudah penuh (%lld dari %d tempat terisi).", (long long)taken,
             b.capacity);
    snprintf(why->detail_en, sizeof why->detail_en, "This batch is full (%lld of %d places taken).",
             (long long)taken, b.capacity);
    return STORE_OK;
  }
  rc = store_enrolment_clash(s, resident_id, batch_id, &other);
  if (rc == STORE_OK) {
    refuse(why, "enrolment_clash");
    snprintf(why->detail_id, sizeof why->detail_id,
             "Warga ini sedang terdaftar di angkatan lain pada waktu yang sama (angkatan %lld).",
             (long long)other);
    snprintf(why->detail_en, sizeof why->detail_en,
             "This resident is enrolled in another batch at the same time (batch %lld).",
             (long long)other);
    return STORE_OK;
  }
  if (rc != STORE_ENOTFOUND)
    return rc;
  const char *start = b.start_date[0] != '\0' ? b.start_date : today;
  const char *end = b.end_date[0] != '\0' ? b.end_date : NULL;
  rc = steps_check_registry(s, resident_id, "training", start, end, why);
  if (rc != STORE_OK || why->refused)
    return rc;
  struct store_enrol e = {.batch_id = batch_id,
                          .resident_id = resident_id,
                          .created_by = by_user,
                          .office = STEPS_BLK_OFFICE,
                          .start_date = start,
                          .end_date = end};
  return store_enrol(s, &e, enrolment_id, NULL);
}

/* ---- What a course adds to the record -------------------------------------------------- */

struct taught {
  struct store_taught_skill *v;
  size_t n, cap;
};

static int collect_taught(void *arg, const struct store_taught_skill *k) {
  struct taught *t = arg;
  if (t->n == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 16;
    struct store_taught_skill *v = realloc(t->v, cap * sizeof *v);
    if (v == NULL)
      return STORE_ENOMEM;
    t->v = v;
    t->cap = cap;
  }
  t->v[t->n++] = *k;
  return 0;
}

/* A skill's hold as the history shows it; NULL when not held. */
static const char *hold_text(const char *code, int held, int certified, const char *source,
                             char *buf, size_t size) {
  if (!held)
    return NULL;
  if (certified)
    snprintf(buf, size, "%s* (certified)", code);
  else
    snprintf(buf, size, "%s (%s)", code,
             strcmp(source, "course") == 0 ? "course-taught" : "self-reported");
  return buf;
}

int steps_course_skills(struct store *s, int64_t resident_id, int64_t course_id,
                        const char *course_code, int64_t enrolment_id, int certified,
                        int64_t by_user) {
  struct taught t = {0};
  char reason[160], before[48], after[48];
  int rc = store_taught_skills_each(s, resident_id, course_id, collect_taught, &t);
  snprintf(reason, sizeof reason, "Kursus BLK %s %s (pendaftaran %lld) / BLK course %s %s",
           course_code, certified ? "bersertifikat" : "selesai", (long long)enrolment_id,
           course_code, certified ? "certified" : "completed");
  for (size_t i = 0; rc == STORE_OK && i < t.n; i++) {
    const struct store_taught_skill *k = &t.v[i];
    int now_certified = certified || (k->held && k->certified);
    if (k->held && strcmp(k->source, "course") == 0 && k->certified == now_certified)
      continue; /* nothing changes */
    rc = store_resident_skill_taught(s, resident_id, k->skill_id, certified);
    if (rc == STORE_OK)
      rc = store_gov_history_add(
          s, resident_id, by_user, "skills",
          hold_text(k->code, k->held, k->certified, k->source, before, sizeof before),
          hold_text(k->code, 1, now_certified, "course", after, sizeof after), reason);
  }
  free(t.v);
  return rc;
}
