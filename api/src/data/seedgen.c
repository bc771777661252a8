/*
 * Synthetic DTSEN-like residents (see seedgen.h).  Every probability below is
 * a documented choice: docs/SYNTHETIC-RESIDENTS.md explains each table and
 * states the bounds that tests/check_seedgen.c holds the output to.  Change a
 * table here and the document with it.
 */
#include "seedgen.h"

#include "csv.h"
#include "dates.h"
#include "dtsen.h"
#include "embedded.h"
#include "vocab.h"
#include "nik.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- PRNG: xoshiro256** seeded through splitmix64 ------------------------------ */

struct rng {
  uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r) {
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

/* One independent stream per (seed, resident), so resident i does not
 * depend on how many numbers resident i-1 drew. */
static void rng_init(struct rng *r, uint64_t seed, uint64_t stream) {
  uint64_t x = seed;
  uint64_t y = splitmix64(&x) ^ (stream * 0xD1B54A32D192ED03u);
  for (int i = 0; i < 4; i++)
    r->s[i] = splitmix64(&y);
}

/* Uniform in [0, 1) with 53 random bits: exact, so identical everywhere. */
static double rng_unit(struct rng *r) {
  return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static int chance(struct rng *r, double p) {
  return rng_unit(r) < p;
}

/* Uniform integer in [lo, hi]; the modulo bias is below 2^-40 for the small
 * ranges used here. */
static int range(struct rng *r, int lo, int hi) {
  return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* Index drawn with probability proportional to integer weights w[0..n). */
static size_t pick(struct rng *r, const unsigned *w, size_t n) {
  uint64_t total = 0;
  for (size_t i = 0; i < n; i++)
    total += w[i];
  uint64_t x = rng_next(r) % total;
  for (size_t i = 0; i < n; i++) {
    if (x < w[i])
      return i;
    x -= w[i];
  }
  return n - 1;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(r, w) pick((r), (w), COUNT(w))

struct words {
  const char *const *v;
  size_t n;
};
#define WORDS(a)                                                                                   \
  { (a), COUNT(a) }

static const char *word(struct rng *r, struct words w) {
  return w.v[rng_next(r) % w.n];
}

/* ---- Names ------------------------------------------------------------------
 * Common given names and family-style names of the groups that make up the
 * city and the regions its movers come from.  Combinations are random, so
 * any resemblance to a real person is a coincidence of common names. */

static const char *const betawi_m[] = {
    "Muhammad", "Ahmad",  "Abdul",  "Rizki",  "Fauzi", "Hasan", "Ridwan", "Syamsul",
    "Jaelani",  "Sarip",  "Mansur", "Rohman", "Fadli", "Iqbal", "Arif",   "Firman",
    "Rahmat",   "Nurdin", "Zainal", "Husein", "Ilham", "Rafi",  "Akbar",  "Sofyan"};
static const char *const betawi_f[] = {
    "Siti",   "Nur",     "Dewi",      "Fitri",    "Aisyah", "Zahra", "Nabila", "Rohmah",
    "Mariam", "Rosidah", "Nurhayati", "Khadijah", "Salma",  "Aini",  "Laila",  "Hafsah",
    "Rahma",  "Annisa",  "Syifa",     "Maryati",  "Juleha", "Nadia", "Saidah", "Zaenab"};
static const char *const betawi_m2[] = {
    "Hidayat", "Fauzan", "Ramadhan", "Maulana", "Syahputra", "Firdaus",  "Hakim",  "Saputra",
    "Pratama", "Kurnia", "Rahman",   "Hamdani", "Sulaiman",  "Abdullah", "Ismail", "Nurhadi"};
static const char *const betawi_f2[] = {"Aminah",  "Rahmawati", "Fatimah",   "Maulida",
                                        "Hasanah", "Nurjanah",  "Azzahra",   "Khairunnisa",
                                        "Permata", "Amelia",    "Ramadhani", "Safitri",
                                        "Nurlela", "Zulaikha",  "Maemunah",  "Komariah"};

static const char *const sunda_m[] = {"Asep",  "Dede",  "Ujang",  "Cecep", "Dadang", "Engkus",
                                      "Yayan", "Wawan", "Ade",    "Iwan",  "Deden",  "Agus",
                                      "Rudi",  "Ayi",   "Jajang", "Dudi",  "Endang", "Nandang"};
static const char *const sunda_f[] = {"Euis", "Neneng", "Iis",  "Lilis",  "Yanti", "Nining",
                                      "Cucu", "Enung",  "Eti",  "Nenden", "Rina",  "Tati",
                                      "Dewi", "Siti",   "Imas", "Yuyun",  "Entin", "Popon"};
static const char *const sunda_m2[] = {"Saepudin",  "Sutisna",  "Supriatna",  "Hermawan",
                                       "Kurniawan", "Setiawan", "Sopandi",    "Suherman",
                                       "Ruhiyat",   "Gunawan",  "Hidayat",    "Permana",
                                       "Nugraha",   "Sumantri", "Firmansyah", "Saepulloh"};
static const char *const sunda_f2[] = {"Kurniasih", "Nurhasanah", "Rohaeti",    "Sumiati",
                                       "Nurlaela",  "Rahayu",     "Mulyani",    "Suryani",
                                       "Kartika",   "Herawati",   "Komalasari", "Rosita",
                                       "Yulianti",  "Sopiah",     "Nurhayati",  "Rostika"};

static const char *const jawa_m[] = {
    "Budi",   "Agus",  "Slamet",   "Joko",    "Bambang",  "Eko",  "Sugeng", "Wahyu",
    "Heru",   "Tri",   "Dwi",      "Adi",     "Bayu",     "Yoga", "Teguh",  "Priyo",
    "Gilang", "Rizal", "Sutrisno", "Mulyono", "Suparman", "Hadi", "Anton",  "Dimas"};
static const char *const jawa_f[] = {
    "Sri",     "Endang",  "Tri",  "Dwi",   "Wulan", "Ratna", "Rini",     "Sulastri",
    "Kartini", "Ayu",     "Puji", "Indah", "Retno", "Dyah",  "Nanik",    "Suharti",
    "Tutik",   "Sumarni", "Yuni", "Erna",  "Tari",  "Ambar", "Winarsih", "Lastri"};
static const char *const jawa_m2[] = {
    "Santoso",   "Wibowo",  "Prasetyo", "Nugroho", "Susanto",   "Setiawan",  "Purnomo", "Widodo",
    "Kurniawan", "Saputro", "Hartono",  "Suryono", "Wicaksono", "Pamungkas", "Sudarmo", "Raharjo"};
static const char *const jawa_f2[] = {"Wahyuni",      "Lestari",    "Rahayu",      "Handayani",
                                      "Utami",        "Astuti",     "Suryani",     "Purwanti",
                                      "Setyaningsih", "Wulandari",  "Pertiwi",     "Kusumawati",
                                      "Rahmawati",    "Widyastuti", "Puspitasari", "Susilowati"};

static const char *const batak_m[] = {
    "Roy",     "Hotman", "Jhonson", "Maruli", "Parlindungan", "Togar", "Daniel", "Rudolf",
    "Andreas", "Bonar",  "Sahat",   "Poltak", "Edison",       "Benny", "Samuel", "Martin"};
static const char *const batak_f[] = {
    "Maria",  "Rosmawati", "Lusiana", "Debora", "Marlina", "Tiurma", "Rotua",   "Sondang",
    "Yohana", "Ruth",      "Novita",  "Erlina", "Friska",  "Lasma",  "Nurmala", "Dumaria"};
static const char *const batak_family[] = {
    "Simanjuntak", "Siregar",    "Nasution", "Harahap", "Sitompul",   "Hutagalung",
    "Sinaga",      "Simatupang", "Pardede",  "Lubis",   "Situmorang", "Panjaitan",
    "Manurung",    "Silalahi",   "Tambunan", "Hutapea", "Sihombing",  "Napitupulu"};

static const char *const minang_m[] = {
    "Rahmat", "Fauzan", "Syafrizal", "Zulkifli", "Yusri",   "Afrizal", "Hendri",   "Irwan",
    "Andika", "Rizky",  "Fadhil",    "Ilham",    "Yulizar", "Erizal",  "Novrizal", "Arif"};
static const char *const minang_f[] = {
    "Yulia", "Fitri",  "Rahmi",    "Nurul",   "Yeni",    "Rina",  "Desi",   "Silvia",
    "Mega",  "Elvira", "Rosmaini", "Yusnita", "Mardiah", "Zurni", "Afrida", "Elfi"};
static const char *const minang_m2[] = {"Putra",  "Syahputra", "Hidayat", "Chaniago",
                                        "Koto",   "Piliang",   "Tanjung", "Sikumbang",
                                        "Jambak", "Saputra",   "Effendi", "Rasyid"};
static const char *const minang_f2[] = {"Yanti",    "Rahmadani", "Wahyuni",  "Putri",
                                        "Novita",   "Fitriani",  "Syafitri", "Maharani",
                                        "Yulianti", "Marlina",   "Susanti",  "Oktavia"};

static const char *const tionghoa_m[] = {
    "Hendra", "Budi",    "Kevin",  "Yohanes", "Andi",  "Sugianto", "Rudy",   "Hartono",
    "Wilson", "Michael", "Steven", "Jimmy",   "Felix", "Agus",     "Edward", "Vincent"};
static const char *const tionghoa_f[] = {
    "Lina",     "Melinda", "Susanti", "Veronica", "Jessica",   "Stefani", "Linda",  "Yenny",
    "Meiliana", "Cindy",   "Grace",   "Natalia",  "Fransiska", "Lilian",  "Olivia", "Wendy"};
static const char *const tionghoa_family[] = {
    "Wijaya",  "Gunawan",   "Tanoto",   "Halim",   "Salim",   "Kusuma",
    "Santoso", "Tanudjaja", "Hartanto", "Setiadi", "Lim",     "Tan",
    "Gozali",  "Sutanto",   "Widjaja",  "Liem",    "Tjandra", "Budiman"};

static const char *const bali_m[] = {"I Wayan", "I Made", "I Nyoman", "I Ketut",
                                     "I Putu",  "I Gede", "I Komang", "I Kadek"};
static const char *const bali_f[] = {"Ni Wayan", "Ni Made", "Ni Nyoman", "Ni Ketut",
                                     "Ni Putu",  "Ni Luh",  "Ni Komang", "Ni Kadek"};
static const char *const bali_m2[] = {"Sudarsana", "Artawan",  "Suarjana", "Wirawan",  "Adnyana",
                                      "Mahendra",  "Putrawan", "Suardana", "Arimbawa", "Sukadana"};
static const char *const bali_f2[] = {"Ariani",      "Suartini",   "Sukmawati", "Widiastuti",
                                      "Purnamasari", "Sudiasih",   "Astiti",    "Suryani",
                                      "Darmayanti",  "Eka Pratiwi"};

static const char *const timur_m[] = {"Yosep",   "Markus",     "Stevanus", "Fransiskus",
                                      "Yakobus", "Petrus",     "Frengky",  "Marthen",
                                      "Alfons",  "Benediktus", "Yulius",   "Agustinus"};
static const char *const timur_f[] = {"Maria",      "Agustina",  "Yuliana",   "Theresia",
                                      "Margaretha", "Elisabeth", "Fransiska", "Novita",
                                      "Yohana",     "Adriana",   "Merry",     "Selvi"};
static const char *const timur_family[] = {
    "Rumondor", "Wenas",  "Pattinama", "Tupamahu",  "Pattiasina", "Ndun",      "Fanggidae",
    "Manafe",   "Dethan", "Lumi",      "Sumampouw", "Tumbelaka",  "Lewerissa", "Sahetapy"};

enum group { G_BETAWI, G_SUNDA, G_JAWA, G_BATAK, G_MINANG, G_TIONGHOA, G_BALI, G_TIMUR, N_GROUPS };

struct name_group {
  struct words male, female;
  struct words male2, female2; /* second names by sex, or family names for both */
  int family;                  /* 1: the second name is a family/clan name */
  unsigned single, triple;     /* percent with one name, with three */
  /* per mille: islam, kristen, katolik, hindu, buddha, konghucu, kepercayaan */
  unsigned religion[7];
};

static const struct name_group groups[N_GROUPS] = {
    [G_BETAWI] = {WORDS(betawi_m),
                  WORDS(betawi_f),
                  WORDS(betawi_m2),
                  WORDS(betawi_f2),
                  0,
                  8,
                  15,
                  {970, 15, 10, 0, 2, 0, 3}},
    [G_SUNDA] = {WORDS(sunda_m),
                 WORDS(sunda_f),
                 WORDS(sunda_m2),
                 WORDS(sunda_f2),
                 0,
                 12,
                 5,
                 {985, 5, 5, 0, 0, 0, 5}},
    [G_JAWA] = {WORDS(jawa_m),
                WORDS(jawa_f),
                WORDS(jawa_m2),
                WORDS(jawa_f2),
                0,
                18,
                8,
                {930, 35, 30, 2, 3, 0, 0}},
    [G_BATAK] = {WORDS(batak_m),
                 WORDS(batak_f),
                 WORDS(batak_family),
                 WORDS(batak_family),
                 1,
                 0,
                 10,
                 {300, 550, 150, 0, 0, 0, 0}},
    [G_MINANG] = {WORDS(minang_m),
                  WORDS(minang_f),
                  WORDS(minang_m2),
                  WORDS(minang_f2),
                  0,
                  5,
                  5,
                  {995, 3, 2, 0, 0, 0, 0}},
    [G_TIONGHOA] = {WORDS(tionghoa_m),
                    WORDS(tionghoa_f),
                    WORDS(tionghoa_family),
                    WORDS(tionghoa_family),
                    1,
                    0,
                    5,
                    {20, 350, 200, 0, 350, 80, 0}},
    [G_BALI] = {WORDS(bali_m),
                WORDS(bali_f),
                WORDS(bali_m2),
                WORDS(bali_f2),
                0,
                0,
                0,
                {20, 10, 10, 955, 5, 0, 0}},
    [G_TIMUR] = {WORDS(timur_m),
                 WORDS(timur_f),
                 WORDS(timur_family),
                 WORDS(timur_family),
                 1,
                 0,
                 10,
                 {150, 500, 350, 0, 0, 0, 0}},
};

/* Which groups' names people first registered in a region carry. */
enum mix {
  MIX_TANGERANG,
  MIX_JAKARTA,
  MIX_JABAR,
  MIX_JAWA,
  MIX_SUMUT,
  MIX_SUMBAR,
  MIX_SUMSEL,
  MIX_BALI,
  MIX_TIMUR,
  MIX_OTHER,
  N_MIXES
};
static const unsigned group_mix[N_MIXES][N_GROUPS] = {
    [MIX_TANGERANG] = {60, 54, 56, 8, 8, 10, 1, 3}, [MIX_JAKARTA] = {80, 20, 60, 12, 12, 12, 1, 3},
    [MIX_JABAR] = {16, 160, 20, 0, 0, 4, 0, 0},     [MIX_JAWA] = {0, 2, 95, 0, 0, 5, 0, 0},
    [MIX_SUMUT] = {0, 0, 10, 80, 0, 10, 0, 0},      [MIX_SUMBAR] = {0, 0, 0, 0, 100, 0, 0, 0},
    [MIX_SUMSEL] = {40, 10, 40, 0, 10, 0, 0, 0},    [MIX_BALI] = {0, 0, 5, 0, 0, 0, 95, 0},
    [MIX_TIMUR] = {0, 0, 0, 0, 0, 0, 0, 100},       [MIX_OTHER] = {60, 0, 20, 0, 0, 20, 0, 0},
};

/* ---- Where NIKs from outside the city were issued --------------------------- */

struct region {
  int province, regency, kecamatan_max;
  unsigned weight; /* out of 100 */
  enum mix mix;
};

static const struct region outside[] = {
    {36, 3, 29, 14, MIX_TANGERANG}, /* Kabupaten Tangerang */
    {36, 74, 7, 6, MIX_TANGERANG},  /* Kota Tangerang Selatan */
    {36, 4, 29, 3, MIX_TANGERANG},  /* Kabupaten Serang */
    {36, 2, 28, 2, MIX_JABAR},      /* Lebak */
    {36, 1, 35, 2, MIX_JABAR},      /* Pandeglang */
    {36, 73, 6, 1, MIX_TANGERANG},  /* Kota Serang */
    {36, 72, 8, 1, MIX_TANGERANG},  /* Cilegon */
    {31, 71, 8, 4, MIX_JAKARTA},    {31, 72, 6, 4, MIX_JAKARTA},  {31, 73, 8, 4, MIX_JAKARTA},
    {31, 74, 10, 4, MIX_JAKARTA},   {31, 75, 10, 4, MIX_JAKARTA}, {32, 1, 40, 3, MIX_JABAR},
    {32, 16, 23, 2, MIX_JABAR},     {32, 75, 12, 2, MIX_JABAR},   {32, 76, 11, 2, MIX_JABAR},
    {32, 4, 31, 2, MIX_JABAR},      {32, 73, 30, 1, MIX_JABAR},   {32, 9, 40, 2, MIX_JABAR},
    {32, 12, 31, 2, MIX_JABAR},     {32, 15, 30, 1, MIX_JABAR},   {32, 3, 32, 2, MIX_JABAR},
    {32, 2, 47, 1, MIX_JABAR},      {33, 1, 24, 2, MIX_JAWA},     {33, 2, 27, 2, MIX_JAWA},
    {33, 29, 17, 3, MIX_JAWA},      {33, 28, 18, 2, MIX_JAWA},    {33, 27, 14, 2, MIX_JAWA},
    {33, 74, 16, 1, MIX_JAWA},      {33, 10, 26, 1, MIX_JAWA},    {33, 5, 26, 2, MIX_JAWA},
    {34, 71, 14, 1, MIX_JAWA},      {34, 4, 17, 1, MIX_JAWA},     {35, 78, 31, 1, MIX_JAWA},
    {35, 9, 31, 1, MIX_JAWA},       {35, 7, 33, 1, MIX_JAWA},     {12, 71, 21, 2, MIX_SUMUT},
    {12, 5, 15, 1, MIX_SUMUT},      {13, 71, 11, 1, MIX_SUMBAR},  {13, 75, 3, 1, MIX_SUMBAR},
    {18, 71, 20, 1, MIX_SUMSEL},    {16, 71, 18, 1, MIX_SUMSEL},  {51, 71, 4, 1, MIX_BALI},
    {73, 71, 15, 1, MIX_OTHER},     {71, 71, 11, 1, MIX_TIMUR},   {53, 71, 6, 1, MIX_TIMUR},
    {81, 71, 5, 1, MIX_TIMUR},      {61, 71, 6, 1, MIX_OTHER},
};

/* ---- Addresses --------------------------------------------------------------- */

static const char *const streets[] = {
    "Melati",        "Mawar",        "Kenanga",      "Flamboyan",  "Cempaka",     "Dahlia",
    "Anggrek",       "Kamboja",      "Teratai",      "Nusa Indah", "Masjid",      "Swadaya",
    "Gotong Royong", "Kampung Baru", "Sukun",        "Jambu",      "Rambutan",    "Belimbing",
    "Nangka",        "Mangga",       "Duku",         "Kemuning",   "Bougenville", "Seroja",
    "Delima",        "Sawo",         "Pelita",       "Harapan",    "Damai",       "Sejahtera",
    "Kebon Jeruk",   "Pinang Raya",  "Bambu Kuning", "Cendana",    "Kenari",      "Rajawali"};
static const char *const street_suffix[] = {"", "", "", " I", " II", " III", " IV", " Raya"};

/* ---- Tables -------------------------------------------------------------------
 * Indices follow the dtsen_* enumerations. */

/* education weights (none sd smp sma smk d3 s1 s2) by tier: desil 1, 2–4, 5–7,
 * 8–10 */
static const unsigned education_w[4][8] = {
    {8, 33, 30, 14, 13, 1, 1, 0},
    {4, 22, 30, 22, 18, 2, 2, 0},
    {2, 12, 20, 30, 24, 5, 7, 0},
    {1, 6, 12, 30, 24, 9, 16, 2},
};
enum { EDU_NONE, EDU_SD, EDU_SMP, EDU_SMA, EDU_SMK, EDU_D3, EDU_S1, EDU_S2 };

/* SMK majors, by vocation index */
static const unsigned smk_major_w[VOCAB_N_VOCATIONS] = {8, 4, 2, 6, 10, 14, 3, 4,
                                                        2, 7, 7, 6, 15, 10, 2};
/* vocations people lean to, by sex */
static const unsigned vocation_w_male[VOCAB_N_VOCATIONS] = {24, 4, 8,  16, 16, 20, 8, 20,
                                                            8,  8, 10, 12, 8,  12, 2};
static const unsigned vocation_w_female[VOCAB_N_VOCATIONS] = {20, 24, 12, 1,  2,  2,  1, 6,
                                                              4,  14, 20, 24, 20, 12, 16};

/* desil 1–4 given poor, desil 5–10 given not */
static const unsigned desil_poor_w[4] = {25, 25, 25, 25};
static const unsigned desil_rest_w[6] = {14, 12, 10, 9, 8, 7};

/* numbers of skills 0–6 */
static const unsigned skills_poor_w[7] = {30, 25, 20, 12, 7, 4, 2};
static const unsigned skills_rest_w[7] = {15, 18, 22, 18, 13, 8, 6};

/* dependants 0–6 */
static const unsigned dependants_poor_w[7] = {20, 20, 25, 18, 10, 5, 2};
static const unsigned dependants_rest_w[7] = {35, 25, 22, 12, 4, 2, 0};

/* physical sensory intellectual mental multiple */
static const unsigned disability_w[5] = {45, 25, 10, 10, 10};

/* "" day "day;night" "day;rotating" "day;night;rotating" night rotating */
static const char *const shift_sets[] = {
    "", "day", "day;night", "day;rotating", "day;night;rotating", "night", "rotating"};
static const unsigned shift_w[] = {35, 29, 10, 13, 10, 2, 1};

/* ---- One resident ------------------------------------------------------------- */

#define MAX_RESIDENT_SKILLS 6

struct resident {
  char nik[17];
  char name[96];
  char sex;
  char birth_date[11];
  const char *religion, *marital;
  const char *kelurahan;
  char address[96];
  char phone[16];
  const char *education, *smk_vocation;
  int desil;
  const char *work, *school;
  int months, dependants; /* -1 unknown */
  const char *disability, *shifts;
  char preferred[64];
  char skills[8 * 32];
  char verified_at[11];
};

/* Open-addressing set of the NIKs issued so far, as 64-bit numbers. */
struct nik_set {
  uint64_t *slots; /* 0 = empty (no NIK is all zeros) */
  size_t cap, n;
};

static int nik_set_add(struct nik_set *set, uint64_t key) {
  if ((set->n + 1) * 2 > set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 1024;
    uint64_t *slots = calloc(cap, sizeof *slots);
    if (slots == NULL)
      return -1;
    for (size_t i = 0; i < set->cap; i++) {
      uint64_t k = set->slots[i];
      if (k == 0)
        continue;
      size_t j = (size_t)((k * 0x9E3779B97F4A7C15u) >> 20) & (cap - 1);
      while (slots[j] != 0)
        j = (j + 1) & (cap - 1);
      slots[j] = k;
    }
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
  }
  size_t j = (size_t)((key * 0x9E3779B97F4A7C15u) >> 20) & (set->cap - 1);
  while (set->slots[j] != 0) {
    if (set->slots[j] == key)
      return 1;
    j = (j + 1) & (set->cap - 1);
  }
  set->slots[j] = key;
  set->n++;
  return 0;
}

struct generator {
  const struct seedgen_kelurahan *kel;
  size_t n_kel;
  double *kel_cumulative; /* running sum of weights */
  int city_kecamatan_max; /* highest NIK kecamatan among the kelurahan */
  const struct seedgen_skill *skills;
  size_t *by_vocation[VOCAB_N_VOCATIONS]; /* skill indices per vocation */
  size_t n_by_vocation[VOCAB_N_VOCATIONS];
  struct date_ymd ref;
  int64_t ref_days;
  struct nik_set niks;
};

static size_t pick_kelurahan(const struct generator *g, struct rng *r) {
  double x = rng_unit(r) * g->kel_cumulative[g->n_kel - 1];
  size_t lo = 0, hi = g->n_kel - 1;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (g->kel_cumulative[mid] > x)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

/* Age: 5% outside 15–64 (half children of 10–14 in registered households,
 * half 65–84); within 15–64 slightly younger-heavy, by decade bands. */
static int draw_age(struct rng *r) {
  static const unsigned band_w[5] = {22, 22, 22, 19, 15};
  double u = rng_unit(r);
  if (u < 0.025)
    return range(r, 10, 14);
  if (u < 0.05) {
    static const unsigned old_w[4] = {45, 30, 17, 8};
    return 65 + (int)PICK(r, old_w) * 5 + range(r, 0, 4);
  }
  return 15 + (int)PICK(r, band_w) * 10 + range(r, 0, 9);
}

static void draw_name(struct rng *r, enum group gi, char sex, char *out, size_t cap) {
  const struct name_group *g = &groups[gi];
  struct words given = sex == 'P' ? g->female : g->male;
  struct words second = sex == 'P' ? g->female2 : g->male2;
  const char *a = word(r, given);
  unsigned u = (unsigned)range(r, 0, 99);
  if (u < g->single) {
    snprintf(out, cap, "%s", a);
  } else if (u < g->single + g->triple) {
    const char *b = word(r, given);
    if (strcmp(a, b) == 0 || strchr(b, ' ') != NULL)
      snprintf(out, cap, "%s %s", a, word(r, second));
    else
      snprintf(out, cap, "%s %s %s", a, b, word(r, second));
  } else {
    snprintf(out, cap, "%s %s", a, word(r, second));
  }
}

static const char *draw_marital(struct rng *r, int age, char sex) {
  /* belum_kawin kawin cerai_hidup cerai_mati */
  static const unsigned w17[4] = {75, 25, 0, 0}, w17f[4] = {65, 35, 0, 0};
  static const unsigned w25[4] = {25, 70, 4, 1}, w35[4] = {6, 84, 6, 4}, w55[4] = {2, 70, 6, 22};
  if (chance(r, 0.01))
    return "";
  if (age < 17)
    return vocab_marital_statuses[0];
  const unsigned *w = age < 25 ? (sex == 'P' ? w17f : w17) : age < 35 ? w25 : age < 55 ? w35 : w55;
  return vocab_marital_statuses[pick(r, w, 4)];
}

static int draw_education(struct rng *r, int age, int desil) {
  int tier = desil == 1 ? 0 : desil <= 4 ? 1 : desil <= 7 ? 2 : 3;
  if (age >= 55 && tier > 0)
    tier--;
  int e = (int)pick(r, education_w[tier], 8);
  if (age < 12)
    return EDU_NONE;
  if (age < 15)
    return e == EDU_NONE ? EDU_NONE : EDU_SD;
  if (age < 18)
    return e > EDU_SMP ? EDU_SMP : e;
  if (age < 21 && e >= EDU_D3)
    return chance(r, 0.5) ? EDU_SMA : EDU_SMK;
  if (age < 23 && e >= EDU_S1)
    return EDU_D3;
  if (age < 25 && e == EDU_S2)
    return EDU_S1;
  return e;
}

static const char *draw_school(struct rng *r, int age, int poor) {
  double p;
  if (age < 15)
    p = poor ? 0.88 : 0.93;
  else if (age < 18)
    p = poor ? 0.70 : 0.88;
  else if (age < 25)
    p = poor ? 0.06 : 0.22;
  else if (age < 65)
    p = 0.01;
  else
    p = 0;
  return chance(r, p) ? "in_school" : "not_in_school";
}

/* work status and months without work */
static void draw_work(struct rng *r, struct resident *p, int age, int poor, int pocket) {
  p->months = -1;
  if (age < 15) {
    p->work = "not_in_labour_force";
    return;
  }
  if (age >= 65) {
    p->work = chance(r, 0.25) ? "working" : "not_in_labour_force";
    p->months = strcmp(p->work, "working") == 0 ? 0 : -1;
    return;
  }
  if (strcmp(p->school, "in_school") == 0) {
    p->work = chance(r, 0.05) ? "working" : "not_in_labour_force";
    p->months = strcmp(p->work, "working") == 0 ? 0 : -1;
    return;
  }
  double idle = p->sex == 'P' ? (poor ? 0.45 : 0.28) : (poor ? 0.20 : 0.07);
  if (poor && pocket)
    idle += 0.04;
  if (!chance(r, idle)) {
    p->work = "working";
    p->months = 0;
    return;
  }
  if (chance(r, p->sex == 'P' ? 0.40 : 0.75)) {
    static const unsigned band_w[4] = {30, 35, 20, 15};
    static const int lo[4] = {1, 4, 12, 24}, hi[4] = {3, 11, 23, 60};
    size_t b = PICK(r, band_w);
    p->work = "unemployed";
    p->months = range(r, lo[b], hi[b]);
  } else {
    p->work = "not_in_labour_force";
    p->months = chance(r, 0.5) ? -1 : range(r, 12, 120);
  }
}

static size_t draw_vocation(struct rng *r, const struct seedgen_kelurahan *k, char sex) {
  unsigned w[VOCAB_N_VOCATIONS];
  const unsigned *base = sex == 'P' ? vocation_w_female : vocation_w_male;
  for (size_t v = 0; v < VOCAB_N_VOCATIONS; v++)
    w[v] = base[v] * ((k->vocation_boost >> v) & 1u ? 2 : 1);
  return PICK(r, w);
}

static int cmp_size(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

static void draw_skills(struct generator *g, struct rng *r, struct resident *p, int age, int poor,
                        size_t primary, size_t secondary, int major) {
  size_t chosen[MAX_RESIDENT_SKILLS];
  size_t n = 0;
  p->skills[0] = '\0';
  if (age < 15)
    return;
  size_t want = pick(r, poor ? skills_poor_w : skills_rest_w, 7);
  for (size_t tries = 0; n < want && tries < want * 4; tries++) {
    size_t v = n == 0 || chance(r, 0.7) ? primary : secondary;
    if (g->n_by_vocation[v] == 0)
      continue;
    size_t s = g->by_vocation[v][rng_next(r) % g->n_by_vocation[v]];
    int dup = 0;
    for (size_t i = 0; i < n; i++)
      dup |= chosen[i] == s;
    if (!dup)
      chosen[n++] = s;
  }
  qsort(chosen, n, sizeof chosen[0], cmp_size);
  size_t used = 0;
  for (size_t i = 0; i < n; i++) {
    const struct seedgen_skill *s = &g->skills[chosen[i]];
    double pc = poor ? 0.12 : 0.25;
    if (major >= 0 && strcmp(s->vocation, vocab_vocations[major]) == 0)
      pc += 0.20;
    int certified = chance(r, pc);
    int w = snprintf(p->skills + used, sizeof p->skills - used, "%s%s%s", i ? ";" : "", s->code,
                     certified ? "*" : "");
    if (w < 0 || (size_t)w >= sizeof p->skills - used) {
      p->skills[used] = '\0';
      break;
    }
    used += (size_t)w;
  }
}

static void draw_preferred(struct rng *r, struct resident *p, size_t primary, size_t secondary,
                           const struct seedgen_kelurahan *k) {
  p->preferred[0] = '\0';
  if (!chance(r, 0.6))
    return;
  size_t v[3] = {primary, secondary, draw_vocation(r, k, p->sex)};
  size_t n = 1;
  if (chance(r, 0.5) && v[1] != v[0])
    n = 2;
  if (n == 2 && chance(r, 0.3) && v[2] != v[0] && v[2] != v[1])
    n = 3;
  snprintf(p->preferred, sizeof p->preferred, "%s%s%s%s%s", vocab_vocations[v[0]], n > 1 ? ";" : "",
           n > 1 ? vocab_vocations[v[1]] : "", n > 2 ? ";" : "",
           n > 2 ? vocab_vocations[v[2]] : "");
}

static int draw_nik(struct generator *g, struct rng *r, struct resident *p,
                    const struct seedgen_kelurahan *k, const struct date_ymd *birth,
                    enum mix *mix) {
  int province = 36, regency = 71, kecamatan = k->nik_kecamatan;
  *mix = MIX_TANGERANG;
  if (chance(r, 0.15)) {
    unsigned w[COUNT(outside)];
    for (size_t i = 0; i < COUNT(outside); i++)
      w[i] = outside[i].weight;
    const struct region *o = &outside[PICK(r, w)];
    province = o->province;
    regency = o->regency;
    kecamatan = range(r, 1, o->kecamatan_max);
    *mix = o->mix;
  } else if (chance(r, 0.2)) {
    /* registered in another kecamatan of the city, then moved within it */
    kecamatan = range(r, 1, g->city_kecamatan_max);
  }
  /* serials are handed out in order per region and day: mostly small */
  int serial = 1 + range(r, 0, 39) + (chance(r, 0.25) ? range(r, 0, 400) : 0);
  for (int tries = 0; tries < 9999; tries++) {
    if (nik_format(p->nik, province, regency, kecamatan, birth, p->sex, serial) != NIK_OK)
      return -1;
    uint64_t key = strtoull(p->nik, NULL, 10);
    int added = nik_set_add(&g->niks, key);
    if (added < 0)
      return -1;
    if (added == 0)
      return 0;
    serial = serial % 9999 + 1;
  }
  return -1;
}

static int draw_resident(struct generator *g, uint64_t seed, size_t index, struct resident *p) {
  struct rng r;
  rng_init(&r, seed, index);

  const struct seedgen_kelurahan *k = &g->kel[pick_kelurahan(g, &r)];
  p->kelurahan = k->code;
  int poor = chance(&r, k->poor_rate);
  p->desil = poor ? 1 + (int)PICK(&r, desil_poor_w) : 5 + (int)PICK(&r, desil_rest_w);
  p->sex = chance(&r, 0.505) ? 'P' : 'L';

  int age = draw_age(&r);
  struct date_ymd hi = {g->ref.year - age, g->ref.month, g->ref.day};
  struct date_ymd lo = {g->ref.year - age - 1, g->ref.month, g->ref.day};
  int64_t span = date_to_days(&hi) - date_to_days(&lo);
  struct date_ymd birth;
  date_from_days(date_to_days(&lo) + 1 + (int64_t)(rng_next(&r) % (uint64_t)span), &birth);
  date_format(&birth, p->birth_date);

  enum mix mix;
  if (draw_nik(g, &r, p, k, &birth, &mix) != 0)
    return -1;
  enum group gi = (enum group)pick(&r, group_mix[mix], N_GROUPS);
  draw_name(&r, gi, p->sex, p->name, sizeof p->name);
  p->religion = chance(&r, 0.005) ? "" : vocab_religions[pick(&r, groups[gi].religion, 7)];
  p->marital = draw_marital(&r, age, p->sex);

  snprintf(p->address, sizeof p->address, "Jl. %s%s No. %d, RT %03d/RW %03d",
           word(&r, (struct words)WORDS(streets)), word(&r, (struct words)WORDS(street_suffix)),
           range(&r, 1, 150), range(&r, 1, 15), range(&r, 1, 12));
  /* 0810 is not a prefix any Indonesian operator has been given */
  if (chance(&r, 0.2))
    p->phone[0] = '\0';
  else
    snprintf(p->phone, sizeof p->phone, "0810-%04d-%04d", range(&r, 0, 9999), range(&r, 0, 9999));

  int edu = draw_education(&r, age, p->desil);
  int major = -1;
  p->education = chance(&r, 0.01) ? "" : vocab_educations[edu];
  if (edu == EDU_SMK && p->education[0] != '\0')
    major = (int)PICK(&r, smk_major_w);
  p->smk_vocation = major >= 0 ? vocab_vocations[major] : "";

  p->school = chance(&r, 0.01) ? "" : draw_school(&r, age, poor);
  draw_work(&r, p, age, poor, k->pocket);
  if (chance(&r, 0.01))
    p->work = "";
  if (p->work[0] == '\0' || chance(&r, 0.03))
    p->months = -1;

  if (chance(&r, 0.02))
    p->dependants = -1;
  else if (age < 20)
    p->dependants = chance(&r, 0.9) ? 0 : 1;
  else
    p->dependants = (int)pick(&r, poor ? dependants_poor_w : dependants_rest_w, 7);

  double pd = (poor ? 0.03 : 0.02) + (age >= 65 ? 0.06 : 0);
  if (chance(&r, 0.01))
    p->disability = "";
  else if (chance(&r, pd))
    p->disability = vocab_disabilities[1 + PICK(&r, disability_w)];
  else
    p->disability = "none";

  p->shifts = age < 15 ? "" : shift_sets[PICK(&r, shift_w)];
  size_t primary = major >= 0 && chance(&r, 0.7) ? (size_t)major : draw_vocation(&r, k, p->sex);
  size_t secondary = draw_vocation(&r, k, p->sex);
  draw_skills(g, &r, p, age, poor, primary, secondary, major);
  if (age < 15)
    p->preferred[0] = '\0';
  else
    draw_preferred(&r, p, primary, secondary, k);

  if (chance(&r, 0.05)) {
    p->verified_at[0] = '\0';
  } else {
    struct date_ymd v;
    date_from_days(g->ref_days - range(&r, 0, 547), &v);
    date_format(&v, p->verified_at);
  }
  return 0;
}

/* Writes one field and the separator after it; 0 or EOF. */
static int put(FILE *f, const char *s, char sep) {
  if (csv_write_data_field(f, s) == EOF || fputc(sep, f) == EOF)
    return EOF;
  return 0;
}

/* An integer field; -1 (unknown) is written empty. */
static int put_int(FILE *f, int v, char sep) {
  char buf[16] = "";
  if (v >= 0)
    snprintf(buf, sizeof buf, "%d", v);
  return put(f, buf, sep);
}

static int write_resident(FILE *f, const struct resident *p) {
  char sex[2] = {p->sex, '\0'};
  if (put(f, p->nik, ',') || put(f, p->name, ',') || put(f, sex, ',') ||
      put(f, p->birth_date, ',') || put(f, p->religion, ',') || put(f, p->marital, ',') ||
      put(f, p->kelurahan, ',') || put(f, p->address, ',') || put(f, p->phone, ',') ||
      put(f, p->education, ',') || put(f, p->smk_vocation, ',') || put_int(f, p->desil, ',') ||
      put(f, p->work, ',') || put(f, p->school, ',') || put_int(f, p->months, ',') ||
      put_int(f, p->dependants, ',') || put(f, p->disability, ',') || put(f, p->shifts, ',') ||
      put(f, p->preferred, ',') || put(f, p->skills, ',') || put(f, p->verified_at, ',') ||
      put(f, "1", '\n'))
    return -1;
  return 0;
}

static void generator_free(struct generator *g) {
  free(g->kel_cumulative);
  for (size_t v = 0; v < VOCAB_N_VOCATIONS; v++)
    free(g->by_vocation[v]);
  free(g->niks.slots);
}

enum seedgen_result seedgen_write(FILE *out, size_t n, uint64_t seed,
                                  const struct seedgen_kelurahan *kelurahan, size_t n_kelurahan,
                                  const struct seedgen_skill *skills, size_t n_skills) {
  struct generator g = {0};
  enum seedgen_result rc = SEEDGEN_OK;
  if (n_kelurahan == 0 || (n_skills > 0 && skills == NULL))
    return SEEDGEN_EINPUT;

  g.kel = kelurahan;
  g.n_kel = n_kelurahan;
  g.skills = skills;
  date_parse(SEEDGEN_REFERENCE_DATE, 10, &g.ref);
  g.ref_days = date_to_days(&g.ref);
  g.kel_cumulative = malloc(n_kelurahan * sizeof *g.kel_cumulative);
  if (g.kel_cumulative == NULL) {
    rc = SEEDGEN_ENOMEM;
    goto cleanup;
  }
  double sum = 0;
  for (size_t i = 0; i < n_kelurahan; i++) {
    const struct seedgen_kelurahan *k = &kelurahan[i];
    if (k->code == NULL || !(k->weight > 0) || !(k->poor_rate >= 0 && k->poor_rate <= 1) ||
        k->nik_kecamatan < 1 || k->nik_kecamatan > 99) {
      rc = SEEDGEN_EINPUT;
      goto cleanup;
    }
    sum += k->weight;
    g.kel_cumulative[i] = sum;
    if (k->nik_kecamatan > g.city_kecamatan_max)
      g.city_kecamatan_max = k->nik_kecamatan;
  }
  for (size_t v = 0; v < VOCAB_N_VOCATIONS; v++) {
    g.by_vocation[v] = malloc((n_skills ? n_skills : 1) * sizeof(size_t));
    if (g.by_vocation[v] == NULL) {
      rc = SEEDGEN_ENOMEM;
      goto cleanup;
    }
  }
  for (size_t i = 0; i < n_skills; i++) {
    int v = vocab_index(vocab_vocations, skills[i].vocation, strlen(skills[i].vocation));
    if (v >= 0)
      g.by_vocation[v][g.n_by_vocation[v]++] = i;
  }

  for (size_t c = 0; c < DTSEN_N_COLUMNS; c++)
    if (fputs(dtsen_columns[c], out) == EOF ||
        fputc(c + 1 < DTSEN_N_COLUMNS ? ',' : '\n', out) == EOF) {
      rc = SEEDGEN_EWRITE;
      goto cleanup;
    }
  for (size_t i = 0; i < n; i++) {
    struct resident p;
    if (draw_resident(&g, seed, i, &p) != 0) {
      rc = SEEDGEN_ENOMEM;
      goto cleanup;
    }
    if (write_resident(out, &p) != 0) {
      rc = SEEDGEN_EWRITE;
      goto cleanup;
    }
  }
  if (fflush(out) == EOF)
    rc = SEEDGEN_EWRITE;

cleanup:
  generator_free(&g);
  return rc;
}

/* ---- Default lists from the embedded seeds -------------------------------------- */

/* The paper's finding, as targets: the three kecamatan hold this share of
 * the registry's residents and of its desil 1–4. */
#define POCKET_RESIDENT_SHARE 0.28
#define POCKET_POOR_SHARE 0.41
#define POOR_SHARE 0.40

static const char *const pocket_kecamatan[] = {"Neglasari", "Karawaci", "Pinang"};
/* Each pocket's own share of the city's residents and of its desil 1–4, in
 * the order above (they sum to POCKET_RESIDENT_SHARE and POCKET_POOR_SHARE).
 * The paper names the three as the kecamatan with the most poor residents
 * and with many productive-age residents neither working nor in school;
 * spreading the pockets' share by their number of kelurahan (Neglasari has
 * 7, Karawaci 16) left Neglasari fifth by poor residents, behind Larangan
 * and Tangerang.  With these shares each of the three holds at least 13% of
 * the city's poor, more than any other kecamatan (the other ten share 59%),
 * and Neglasari, the smallest, is dense enough in poverty to be among the
 * top four by NEET residents. */
static const double pocket_resident_share[] = {0.085, 0.110, 0.085};
static const double pocket_poor_share[] = {0.130, 0.150, 0.130};

struct boost {
  const char *kecamatan;
  const char *vocations[4];
};
/* What local employers hire for: the Jatiuwung–Cibodas–Periuk industrial belt,
 * the airport side, and the trade and service districts. */
static const struct boost boosts[] = {
    {"Jatiuwung", {"manufacturing", "garment", "footwear", "welding_metal"}},
    {"Cibodas", {"manufacturing", "garment", "footwear", "welding_metal"}},
    {"Periuk", {"manufacturing", "garment", "footwear", "welding_metal"}},
    {"Karawaci", {"manufacturing", "garment", "footwear", "retail"}},
    {"Neglasari", {"airport", "logistics", NULL, NULL}},
    {"Benda", {"airport", "logistics", NULL, NULL}},
    {"Batuceper", {"airport", "logistics", "manufacturing", NULL}},
    {"Tangerang", {"retail", "hospitality", "culinary", "office"}},
    {"Cipondoh", {"retail", "hospitality", "culinary", "office"}},
    {"Pinang", {"retail", "hospitality", "culinary", "office"}},
    {"Karang Tengah", {"retail", "hospitality", "culinary", "office"}},
    {"Ciledug", {"retail", "hospitality", "culinary", "office"}},
    {"Larangan", {"retail", "hospitality", "culinary", "office"}},
};

static uint64_t fnv1a(const char *s) {
  uint64_t h = 0xcbf29ce484222325u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 0x100000001b3u;
  return h;
}

/* Copies a field into the string block; returns the copy. */
static char *keep(char **cursor, const struct csv_field *f) {
  char *s = *cursor;
  memcpy(s, f->p, f->len);
  s[f->len] = '\0';
  *cursor += f->len + 1;
  return s;
}

struct kecamatan_name {
  char code[16], name[32];
};

/* NIK kecamatan digits: the third part of a Kemendagri code (36.71.KK.1NNN),
 * else the kecamatan's position in kecamatan.csv. */
static int nik_kecamatan_of(const char *code, int fallback) {
  char digits[16];
  size_t n = 0;
  for (const char *c = code; *c && n < sizeof digits - 1; c++)
    if (*c >= '0' && *c <= '9')
      digits[n++] = *c;
  digits[n] = '\0';
  if (n >= 6 && strncmp(digits, "3671", 4) == 0) {
    int k = (digits[4] - '0') * 10 + (digits[5] - '0');
    if (k >= 1)
      return k;
  }
  return fallback >= 1 && fallback <= 99 ? fallback : 1;
}

static enum seedgen_result read_kecamatan(struct kecamatan_name *out, size_t cap, size_t *n) {
  const struct api_embedded *e = api_embedded_find(api_seeds, "kecamatan.csv");
  struct csv_reader r;
  enum seedgen_result rc = SEEDGEN_OK;
  *n = 0;
  if (e == NULL)
    return SEEDGEN_EINPUT;
  csv_reader_init(&r, e->data, e->len);
  int st = csv_next(&r);
  int c_code = st == CSV_RECORD ? csv_column(&r, "code") : -1;
  int c_name = st == CSV_RECORD ? csv_column(&r, "name") : -1;
  if (c_code < 0 || c_name < 0) {
    rc = SEEDGEN_EINPUT;
    goto cleanup;
  }
  while ((st = csv_next(&r)) == CSV_RECORD) {
    if (*n == cap || (size_t)c_code >= r.nfields || (size_t)c_name >= r.nfields) {
      rc = SEEDGEN_EINPUT;
      goto cleanup;
    }
    snprintf(out[*n].code, sizeof out[*n].code, "%s", r.fields[c_code].p);
    snprintf(out[*n].name, sizeof out[*n].name, "%s", r.fields[c_name].p);
    (*n)++;
  }
  if (st != CSV_END)
    rc = st == CSV_ERR_NOMEM ? SEEDGEN_ENOMEM : SEEDGEN_EINPUT;
cleanup:
  csv_reader_free(&r);
  return rc;
}

static void set_boost(struct seedgen_kelurahan *k, const char *kecamatan) {
  for (size_t b = 0; b < COUNT(boosts); b++) {
    if (strcasecmp(boosts[b].kecamatan, kecamatan) != 0)
      continue;
    for (size_t j = 0; j < 4 && boosts[b].vocations[j]; j++) {
      const char *v = boosts[b].vocations[j];
      int i = vocab_index(vocab_vocations, v, strlen(v));
      if (i >= 0)
        k->vocation_boost |= 1u << i;
    }
  }
}

/* Scales weights and poverty rates so that each pocket kecamatan holds
 * exactly its target shares in expectation (pocket[i]: the index of
 * kelurahan i's pocket in pocket_kecamatan, -1 for none); each kelurahan
 * keeps a fixed jitter from a hash of its code, so the map does not change
 * with the seed.  Lists without some pocket give the others' share to the
 * rest of the city. */
static void calibrate(struct seedgen_kelurahan *kel, size_t n, const double *tilt,
                      const int *pocket) {
  enum { NP = COUNT(pocket_kecamatan) };
  double w[NP] = {0}, wo = 0, res_share = 0, poor_share = 0;
  for (size_t i = 0; i < n; i++)
    *(pocket[i] >= 0 ? &w[pocket[i]] : &wo) += kel[i].weight;
  for (size_t j = 0; j < NP; j++)
    if (w[j] > 0) {
      res_share += pocket_resident_share[j];
      poor_share += pocket_poor_share[j];
    }
  double total = wo > 0 ? wo / (1 - res_share) : 0;
  for (size_t i = 0; i < n; i++)
    if (pocket[i] >= 0 && wo > 0)
      kel[i].weight *= pocket_resident_share[pocket[i]] * total / w[pocket[i]];
  if (wo == 0) /* only pockets: their own weights */
    for (size_t j = 0; j < NP; j++)
      total += w[j];
  double t[NP] = {0}, to = 0;
  for (size_t i = 0; i < n; i++)
    *(pocket[i] >= 0 ? &t[pocket[i]] : &to) += kel[i].weight * tilt[i];
  double co = to > 0 ? (1 - poor_share) * POOR_SHARE * total / to : 0;
  for (size_t i = 0; i < n; i++) {
    double c =
        pocket[i] < 0 ? co : pocket_poor_share[pocket[i]] * POOR_SHARE * total / t[pocket[i]];
    double p = c * tilt[i];
    kel[i].poor_rate = p > 0.95 ? 0.95 : p;
  }
}

static enum seedgen_result read_kelurahan(struct seedgen_lists *l, char **cursor,
                                          const struct kecamatan_name *kec, size_t n_kec) {
  const struct api_embedded *e = api_embedded_find(api_seeds, "kelurahan.csv");
  struct csv_reader r;
  enum seedgen_result rc = SEEDGEN_OK;
  double *tilt = NULL;
  int *pocket = NULL;
  if (e == NULL)
    return SEEDGEN_EINPUT;
  size_t cap = 1;
  for (size_t i = 0; i < e->len; i++)
    cap += e->data[i] == '\n';
  l->kelurahan = calloc(cap, sizeof *l->kelurahan);
  tilt = calloc(cap, sizeof *tilt);
  pocket = calloc(cap, sizeof *pocket);
  csv_reader_init(&r, e->data, e->len);
  if (l->kelurahan == NULL || tilt == NULL || pocket == NULL) {
    rc = SEEDGEN_ENOMEM;
    goto cleanup;
  }
  int st = csv_next(&r);
  int c_code = st == CSV_RECORD ? csv_column(&r, "code") : -1;
  int c_kec = st == CSV_RECORD ? csv_column(&r, "kecamatan_code") : -1;
  if (c_code < 0 || c_kec < 0) {
    rc = SEEDGEN_EINPUT;
    goto cleanup;
  }
  while ((st = csv_next(&r)) == CSV_RECORD) {
    if (l->n_kelurahan == cap || (size_t)c_code >= r.nfields || (size_t)c_kec >= r.nfields) {
      rc = SEEDGEN_EINPUT;
      goto cleanup;
    }
    struct seedgen_kelurahan *k = &l->kelurahan[l->n_kelurahan];
    k->code = keep(cursor, &r.fields[c_code]);
    const char *kname = "";
    int kpos = 0;
    for (size_t j = 0; j < n_kec; j++)
      if (strcmp(kec[j].code, r.fields[c_kec].p) == 0) {
        kname = kec[j].name;
        kpos = (int)j + 1;
      }
    k->nik_kecamatan = nik_kecamatan_of(r.fields[c_kec].p, kpos);
    pocket[l->n_kelurahan] = -1;
    for (size_t j = 0; j < COUNT(pocket_kecamatan); j++)
      if (strcasecmp(kname, pocket_kecamatan[j]) == 0) {
        k->pocket = 1;
        pocket[l->n_kelurahan] = (int)j;
      }
    set_boost(k, kname);
    uint64_t h = fnv1a(k->code);
    k->weight = 0.7 + 0.6 * (double)(h & 0xFFFF) / 65536.0;
    tilt[l->n_kelurahan] = 0.75 + 0.5 * (double)((h >> 16) & 0xFFFF) / 65536.0;
    l->n_kelurahan++;
  }
  if (st != CSV_END) {
    rc = st == CSV_ERR_NOMEM ? SEEDGEN_ENOMEM : SEEDGEN_EINPUT;
    goto cleanup;
  }
  if (l->n_kelurahan == 0) {
    rc = SEEDGEN_EINPUT;
    goto cleanup;
  }
  calibrate(l->kelurahan, l->n_kelurahan, tilt, pocket);
cleanup:
  csv_reader_free(&r);
  free(tilt);
  free(pocket);
  return rc;
}

static enum seedgen_result read_skills(struct seedgen_lists *l, char **cursor) {
  const struct api_embedded *e = api_embedded_find(api_seeds, "skills.csv");
  struct csv_reader r;
  enum seedgen_result rc = SEEDGEN_OK;
  if (e == NULL)
    return SEEDGEN_EINPUT;
  size_t cap = 1;
  for (size_t i = 0; i < e->len; i++)
    cap += e->data[i] == '\n';
  l->skills = calloc(cap, sizeof *l->skills);
  csv_reader_init(&r, e->data, e->len);
  if (l->skills == NULL) {
    rc = SEEDGEN_ENOMEM;
    goto cleanup;
  }
  int st = csv_next(&r);
  int c_code = st == CSV_RECORD ? csv_column(&r, "code") : -1;
  int c_voc = st == CSV_RECORD ? csv_column(&r, "vocation") : -1;
  if (c_code < 0 || c_voc < 0) {
    rc = SEEDGEN_EINPUT;
    goto cleanup;
  }
  while ((st = csv_next(&r)) == CSV_RECORD) {
    if (l->n_skills == cap || (size_t)c_code >= r.nfields || (size_t)c_voc >= r.nfields) {
      rc = SEEDGEN_EINPUT;
      goto cleanup;
    }
    struct seedgen_skill *s = &l->skills[l->n_skills++];
    s->code = keep(cursor, &r.fields[c_code]);
    s->vocation = keep(cursor, &r.fields[c_voc]);
  }
  if (st != CSV_END)
    rc = st == CSV_ERR_NOMEM ? SEEDGEN_ENOMEM : SEEDGEN_EINPUT;
cleanup:
  csv_reader_free(&r);
  return rc;
}

enum seedgen_result seedgen_lists_default(struct seedgen_lists *out) {
  struct kecamatan_name kec[64];
  size_t n_kec = 0;
  enum seedgen_result rc;
  memset(out, 0, sizeof *out);

  const struct api_embedded *kel = api_embedded_find(api_seeds, "kelurahan.csv");
  const struct api_embedded *sk = api_embedded_find(api_seeds, "skills.csv");
  if (kel == NULL || sk == NULL)
    return SEEDGEN_EINPUT;
  /* every code is a substring of its file: the files' sizes bound the block */
  out->strings = malloc(kel->len + sk->len + 2);
  if (out->strings == NULL)
    return SEEDGEN_ENOMEM;
  char *cursor = out->strings;

  rc = read_kecamatan(kec, COUNT(kec), &n_kec);
  if (rc == SEEDGEN_OK)
    rc = read_kelurahan(out, &cursor, kec, n_kec);
  if (rc == SEEDGEN_OK)
    rc = read_skills(out, &cursor);
  if (rc != SEEDGEN_OK)
    seedgen_lists_free(out);
  return rc;
}

void seedgen_lists_free(struct seedgen_lists *l) {
  if (l == NULL)
    return;
  free(l->kelurahan);
  free(l->skills);
  free(l->strings);
  memset(l, 0, sizeof *l);
}

enum seedgen_result seedgen_write_default(FILE *out, size_t n, uint64_t seed) {
  struct seedgen_lists l;
  enum seedgen_result rc = seedgen_lists_default(&l);
  if (rc == SEEDGEN_OK)
    rc = seedgen_write(out, n, seed, l.kelurahan, l.n_kelurahan, l.skills, l.n_skills);
  seedgen_lists_free(&l);
  return rc;
}

enum seedgen_result seedgen_default_buffer(size_t n, uint64_t seed, char **data, size_t *len) {
  char *buf = NULL;
  size_t size = 0;
  *data = NULL;
  *len = 0;
  FILE *f = open_memstream(&buf, &size);
  if (f == NULL)
    return SEEDGEN_ENOMEM;
  enum seedgen_result rc = seedgen_write_default(f, n, seed);
  if (fclose(f) != 0 && rc == SEEDGEN_OK)
    rc = SEEDGEN_ENOMEM;
  if (rc != SEEDGEN_OK) {
    free(buf);
    return rc;
  }
  *data = buf;
  *len = size;
  return SEEDGEN_OK;
}
