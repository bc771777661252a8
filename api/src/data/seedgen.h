/*
 * seedgen.h — synthetic DTSEN-like residents for development, tests, demos
 * and benchmarks (`padan seed`).
 *
 * The generator is pure and deterministic: its own PRNG (xoshiro256**
 * seeded by splitmix64), a fixed reference date (SEEDGEN_REFERENCE_DATE,
 * never the wall clock) and no floating-point function whose result could
 * differ between C libraries, so the same N, seed and lists give the same
 * bytes on every machine.  Resident i draws from its own stream, so the
 * first N rows of a larger run equal a run of N.  It writes the DTSEN CSV
 * format of docs/DTSEN-FORMAT.md; the distributions it aims at, with the
 * bounds the tests check, are in docs/SYNTHETIC-RESIDENTS.md.  Every row is
 * marked synthetic.
 */
#ifndef PADAN_SEEDGEN_H
#define PADAN_SEEDGEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Ages, verification dates and NIK years are computed on this day. */
#define SEEDGEN_REFERENCE_DATE "2026-11-27"
#define SEEDGEN_DEFAULT_RESIDENTS 50000

enum seedgen_result {
  SEEDGEN_OK = 0,
  SEEDGEN_EINPUT = -1, /* empty or inconsistent lists, or a missing seed file */
  SEEDGEN_EWRITE = -2, /* the stream refused a write */
  SEEDGEN_ENOMEM = -3,
};

/* One kelurahan residents can live in. */
struct seedgen_kelurahan {
  const char *code;        /* written to kelurahan_code */
  int nik_kecamatan;       /* NIK digits 5–6 (01–99) for residents first registered here */
  double weight;           /* relative number of registered residents, > 0 */
  double poor_rate;        /* probability of desil 1–4, 0–1 */
  int pocket;              /* 1 in a poverty-pocket kecamatan: NEET a little higher */
  unsigned vocation_boost; /* bit v set: local industry hires for vocab_vocations[v] */
};

/* One skill residents can have. */
struct seedgen_skill {
  const char *code;     /* written to the skills column */
  const char *vocation; /* a vocab_vocations slug; other values are never drawn by vocation */
};

/* Writes a header and n residents to out.  The lists are borrowed. */
enum seedgen_result seedgen_write(FILE *out, size_t n, uint64_t seed,
                                  const struct seedgen_kelurahan *kelurahan, size_t n_kelurahan,
                                  const struct seedgen_skill *skills, size_t n_skills);

/* The default lists, built from the seed CSVs compiled into the binary
 * (kecamatan.csv, kelurahan.csv, skills.csv) with the weights described in
 * docs/SYNTHETIC-RESIDENTS.md: the kelurahan of Neglasari, Karawaci and
 * Pinang hold about 28% of the residents and 41% of desil 1–4. */
struct seedgen_lists {
  struct seedgen_kelurahan *kelurahan;
  size_t n_kelurahan;
  struct seedgen_skill *skills;
  size_t n_skills;
  char *strings; /* private: the codes point here */
};

/* Fills *out (caller frees with seedgen_lists_free).  Returns SEEDGEN_OK,
 * SEEDGEN_EINPUT when a seed file is missing or malformed, or
 * SEEDGEN_ENOMEM. */
enum seedgen_result seedgen_lists_default(struct seedgen_lists *out);
/* Frees what seedgen_lists_default allocated; accepts NULL and a zeroed
 * struct. */
void seedgen_lists_free(struct seedgen_lists *l);

/* `padan seed --residents N --seed S --out FILE`: seedgen_write with the
 * default lists. */
enum seedgen_result seedgen_write_default(FILE *out, size_t n, uint64_t seed);

/* `padan seed` without --out: the same bytes in memory, to hand to
 * dtsen_import().  *data is malloc'd and NUL-terminated, the caller frees
 * it; *len excludes the NUL. */
enum seedgen_result seedgen_default_buffer(size_t n, uint64_t seed, char **data, size_t *len);

#endif
