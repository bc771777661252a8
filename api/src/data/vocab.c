/*
 * vocab.c — the DTSEN word lists (see vocab.h and docs/DTSEN-FORMAT.md).
 */
#include "vocab.h"

#include <string.h>

const char *const vocab_vocations[VOCAB_N_VOCATIONS + 1] = {
    "manufacturing", "garment",     "footwear",      "welding_metal",
    "electrical",    "automotive",  "refrigeration", "logistics",
    "airport",       "hospitality", "culinary",      "retail",
    "office",        "digital",     "care",          NULL};
const char *const vocab_religions[] = {"islam",  "kristen",  "katolik",     "hindu",
                                       "buddha", "konghucu", "kepercayaan", NULL};
const char *const vocab_marital_statuses[] = {"belum_kawin", "kawin", "cerai_hidup", "cerai_mati",
                                              NULL};
const char *const vocab_educations[] = {"none", "sd", "smp", "sma", "smk", "d3", "s1", "s2", NULL};
const char *const vocab_work_statuses[] = {"working", "unemployed", "not_in_labour_force", NULL};
const char *const vocab_school_statuses[] = {"in_school", "not_in_school", NULL};
const char *const vocab_disabilities[] = {"none",   "physical", "sensory", "intellectual",
                                          "mental", "multiple", NULL};
const char *const vocab_shifts[] = {"day", "night", "rotating", NULL};

int vocab_index(const char *const *list, const char *s, size_t len) {
  for (int i = 0; list[i] != NULL; i++)
    if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
      return i;
  return -1;
}
