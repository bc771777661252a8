/*
 * vocab.h — padan's one vocabulary: the word lists of the DTSEN extract
 * (docs/DTSEN-FORMAT.md) that the import, the governance checks, the
 * synthetic generator, the engine snapshot and the handlers all accept.
 * A value is stored and sent as the word itself; vocab_index() finds it.
 *
 * Every list is NULL-terminated.  An empty field means unknown wherever a
 * column is optional; that is the caller's rule, not the list's.
 */
#ifndef PADAN_VOCAB_H
#define PADAN_VOCAB_H

#include <stddef.h>

/* Vocations (kejuruan), in the order of enum mt_vocation starting at
 * MT_VOC_MANUFACTURING (snapshot.c relies on it); used by smk_vocation,
 * preferred_vocations, a skill's vocation, a vacancy's, a course's and an
 * employer's sector. */
#define VOCAB_N_VOCATIONS 15
extern const char *const vocab_vocations[VOCAB_N_VOCATIONS + 1];
extern const char *const vocab_religions[];        /* islam, kristen, ... */
extern const char *const vocab_marital_statuses[]; /* belum_kawin, kawin, ... */
extern const char *const vocab_educations[];       /* none, sd, smp, sma, smk, d3, s1, s2 */
extern const char *const vocab_work_statuses[];    /* working, unemployed, not_in_labour_force */
extern const char *const vocab_school_statuses[];  /* in_school, not_in_school */
extern const char *const vocab_disabilities[];     /* none, physical, sensory, ... */
extern const char *const vocab_shifts[];           /* day, night, rotating */

/* Index of s (len bytes, need not be NUL-terminated) in a NULL-terminated
 * list, or -1. */
int vocab_index(const char *const *list, const char *s, size_t len);

#endif
