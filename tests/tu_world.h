/*
 * tu_world.h — builders for the hand-built worlds the engine's unit tests
 * run on (check_courses.c, check_next_steps.c): a course with the outcomes
 * of its past batches, and an open vacancy, with the fields those worlds
 * share filled in so that a test names only what its comments reason about.
 * Header only (static functions): nothing to link.
 */
#ifndef PADAN_TU_WORLD_H
#define PADAN_TU_WORLD_H

#include "matcher.h"

#include <stddef.h>
#include <stdint.h>

/* Past batches of a course, summed: every placed resident placed in the
 * course's own sector. */
struct tu_outcomes {
  uint32_t enrolled, completed, certified, placed_6m;
};

static inline struct mt_course tu_course(uint32_t id, const char *name, uint8_t vocation,
                                         uint16_t hours, uint16_t batch_capacity,
                                         const uint16_t *skills, size_t n_skills,
                                         struct tu_outcomes o) {
  struct mt_course c = {.id = id,
                        .name = name,
                        .vocation = vocation,
                        .hours = hours,
                        .batch_capacity = batch_capacity,
                        .skills = skills,
                        .n_skills = n_skills,
                        .enrolled = o.enrolled,
                        .completed = o.completed,
                        .certified = o.certified,
                        .placed_6m = o.placed_6m};
  c.placed_by_sector[vocation] = o.placed_6m;
  return c;
}

/* An open vacancy of employer 1 in the world's first kelurahan, paying
 * Rp 5,000,000 a month, with no deadline. */
static inline struct mt_vacancy tu_vacancy(uint32_t id, uint8_t vocation, uint8_t min_education,
                                           const uint16_t *must, size_t n_must, uint32_t openings) {
  return (struct mt_vacancy){.id = id,
                             .employer_id = 1,
                             .kelurahan = 0,
                             .vocation = vocation,
                             .min_education = min_education,
                             .open = 1,
                             .deadline_day = MT_UNKNOWN_DAY,
                             .openings_left = openings,
                             .wage_monthly = 5000000,
                             .must = must,
                             .n_must = n_must};
}

#endif
