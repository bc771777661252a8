/*
 * cli_gov.c — the governance subcommands (see cli_gov.h): thin wrappers that
 * parse options, open DIR/padan.db and call gov.h, printing reports as an
 * aligned text table or, with --csv, as CSV for a spreadsheet.  An act done
 * from the command line is audited as user "cli" unless --as names a padan
 * user, whose role and kelurahan then apply as they would over HTTP.
 */
#include "cli_gov.h"
#include "cli_util.h"

#include "csv.h"
#include "gov.h"
#include "priority.h"
#include "snapshot.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SETS 32

/* The engine configuration (defaults, then FILE) and the run date (default
 * today in Kota Tangerang) into day[11]. */
static int load_config(const char *cmd, const char *file, const char *date, struct mt_config *cfg,
                       char day[11]) {
  mt_config_default(cfg);
  if (file != NULL) {
    char *text = NULL, err[256] = "";
    size_t len = 0;
    if (cli_slurp(file, &text, &len) != 0)
      return cli_die(1, "%s: cannot read configuration %s: %s", cmd, file, strerror(errno));
    enum mt_status st = mt_config_parse(cfg, text, len, err, sizeof err);
    free(text);
    if (st != MT_OK)
      return cli_die(1, "%s: configuration %s: %s", cmd, file, err);
  }
  if (date == NULL)
    gov_today(day);
  else
    snprintf(day, 11, "%s", date);
  cfg->today = snapshot_day(day);
  if (date != NULL && (strlen(date) != 10 || cfg->today == MT_UNKNOWN_DAY))
    return cli_die(CLI_EXIT_USAGE, "%s: --date must be a real date YYYY-MM-DD, not '%s'", cmd,
                   date);
  return 0;
}

/* The acting user: --as USERNAME, or the command line itself. */
struct actor {
  struct gov_actor a;
  struct store_user u;
};

static int resolve_actor(struct store *s, const char *cmd, const char *username,
                         struct actor *out) {
  memset(out, 0, sizeof *out);
  out->a = (struct gov_actor){
      .user_id = -1, .username = "cli", .role = "cli", .route = "cli", .kelurahan_id = -1};
  if (username == NULL)
    return 0;
  int rc = store_user_by_name(s, username, &out->u);
  if (rc == STORE_ENOTFOUND)
    return cli_die(1, "%s: --as: no user '%s'", cmd, username);
  if (rc != STORE_OK)
    return cli_die(1, "%s: cannot read users: %s", cmd, store_errmsg(s));
  if (out->u.disabled)
    return cli_die(1, "%s: --as: user '%s' is disabled", cmd, username);
  if (strcmp(out->u.role, "employer") == 0)
    return cli_die(1, "%s: --as: an employer account may not act on residents' records", cmd);
  out->a.user_id = out->u.id;
  out->a.username = out->u.username;
  out->a.role = out->u.role;
  out->a.kelurahan_id = strcmp(out->u.role, "desk") == 0 ? out->u.kelurahan_id : -1;
  return 0;
}

static int kelurahan_id(struct store *s, const char *cmd, const char *code, int64_t *id) {
  *id = -1;
  if (code == NULL)
    return 0;
  int rc = store_id_by_code(s, STORE_T_KELURAHAN, code, id);
  if (rc == STORE_ENOTFOUND)
    return cli_die(1, "%s: no kelurahan with code '%s'", cmd, code);
  if (rc != STORE_OK)
    return cli_die(1, "%s: cannot read kelurahan: %s", cmd, store_errmsg(s));
  return 0;
}

static const char *gov_error(int rc) {
  switch (rc) {
  case GOV_EINVALID:
    return "refused: see the problems listed above";
  case GOV_ENOTFOUND:
    return "no such resident (or erased, or outside your kelurahan)";
  case GOV_EREFUSED:
    return "refused for now: see the reasons listed above";
  case GOV_ENOMEM:
    return "out of memory";
  default:
    return "the database failed; nothing was written";
  }
}

/* ---- Tables ------------------------------------------------------------------------------------
 */

/* A report's output: CSV, or text columns padded to widths. */
struct table {
  FILE *f;
  int csv;
  const int *widths;
  size_t n;
};

static void table_row(const struct table *t, const char *const *v) {
  for (size_t i = 0; i < t->n; i++) {
    if (t->csv) {
      if (i > 0)
        fputc(',', t->f);
      csv_write_field(t->f, v[i]);
    } else if (i + 1 < t->n) {
      fprintf(t->f, "%-*s  ", t->widths[i], v[i]);
    } else {
      fputs(v[i], t->f);
    }
  }
  fputc('\n', t->f);
}

static void fmt_int(char *buf, size_t cap, int64_t v) {
  if (v < 0)
    buf[0] = '\0';
  else
    snprintf(buf, cap, "%lld", (long long)v);
}

/* ---- import interventions ---------------------------------------------------------------------
 */

static const char interventions_usage[] =
    "usage: padan import interventions FILE [--dry-run] [--data DIR] [--as USER]\n"
    "Records interventions made by other offices (business-capital assistance, social aid,\n"
    "training, placements ...) in padan's one registry, from a CSV file whose format is in\n"
    "docs/INTERVENTIONS-FORMAT.md.  All or nothing: any bad row and nothing is written, and\n"
    "every bad row and field is reported.  A row already recorded (same office and\n"
    "source_ref, or same NIK, kind, office and start date) updates its status and dates,\n"
    "so importing the same file twice changes nothing.\n"
    "  --dry-run      validate and report without writing\n"
    "  --as USER      record the import as done by this padan user (default: cli)\n";

int cli_gov_interventions(int argc, char **argv) {
  static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                       {"dry-run", no_argument, NULL, 'n'},
                                       {"as", required_argument, NULL, 'a'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  const char *dir = NULL, *as = NULL;
  int dry = 0, c;
  cli_reset_getopt();
  while ((c = getopt_long(argc, argv, ":d:na:h", opts, NULL)) != -1) {
    if (cli_shared_option(c, &dir, &dry))
      continue;
    switch (c) {
    case 'a':
      as = optarg;
      break;
    case 'h':
      fputs(interventions_usage, stdout);
      return 0;
    default:
      return cli_bad_option("import interventions", argv, NULL);
    }
  }
  /* the dispatcher may pass "import interventions FILE" or "interventions FILE" */
  if (optind < argc && strcmp(argv[optind], "interventions") == 0)
    optind++;
  if (optind + 1 != argc)
    return cli_die(CLI_EXIT_USAGE, "import interventions: expected one FILE (see padan import "
                                   "interventions --help)");
  const char *file = argv[optind];
  char *buf = NULL;
  size_t len = 0;
  struct store *s = NULL;
  struct gov_report rep = {0};
  struct actor who;
  int status = 1;
  if (cli_slurp(file, &buf, &len) != 0) {
    cli_die(1, "import interventions: cannot read %s: %s", file, strerror(errno));
    goto cleanup;
  }
  if (cli_open_db(cli_data_dir(dir), 1, &s) != 0 ||
      resolve_actor(s, "import interventions", as, &who) != 0)
    goto cleanup;
  struct gov_import_options o = {.dry_run = dry};
  int rc = gov_interventions_import(s, buf, len, &o, &who.a, &rep);
  gov_report_print(rc == GOV_OK ? stdout : stderr, &rep);
  if (rc != GOV_OK) {
    cli_die(1, "import interventions: %s rejected, nothing was written", file);
    goto cleanup;
  }
  status = 0;

cleanup:
  gov_report_free(&rep);
  store_close(s);
  free(buf);
  return status;
}

/* ---- report -------------------------------------------------------------------------------------
 */

static const char report_usage[] =
    "usage: padan report overlaps|unserved|verification [--kelurahan CODE] [--csv]\n"
    "                    [--date D] [--config FILE] [--summary] [--data DIR] [--as USER]\n"
    "  overlaps      residents served twice at once: two active services whose kinds\n"
    "                conflict and whose periods overlap (the inclusion errors)\n"
    "  unserved      in priority kelurahan, productive-age poor residents who neither work\n"
    "                nor study, verified within the validity window, and are not served:\n"
    "                no referral that reached confirmed, no enrolment, no other office's\n"
    "                active intervention; a proposal is not service (the exclusion errors)\n"
    "  verification  residents never verified or verified longer ago than the validity\n"
    "                window (not matched until verified), per kelurahan, poorest first\n"
    "  --kelurahan CODE  only this kelurahan\n"
    "  --csv         CSV instead of a text table\n"
    "  --date D      the day the report is for (default today, UTC+7)\n"
    "  --config FILE engine configuration (validity window, desil cut-offs, ages)\n"
    "  --summary     verification: counts per kelurahan instead of the residents\n"
    "  --as USER     run as this padan user (a desk sees its own kelurahan only)\n"
    "Every report is written to the audit log.\n";

static int print_overlap(void *arg, const struct store_gov_overlap *o) {
  const struct table *t = arg;
  char rid[24], aid[24], bid[24];
  fmt_int(rid, sizeof rid, o->resident_id);
  fmt_int(aid, sizeof aid, o->a.id);
  fmt_int(bid, sizeof bid, o->b.id);
  if (t->csv) {
    const char *v[] = {o->kelurahan_code,
                       o->kelurahan_name,
                       rid,
                       o->nik,
                       o->name,
                       o->a.source,
                       aid,
                       o->a.kind,
                       o->a.office,
                       o->a.start_date,
                       o->a.end_date,
                       o->b.source,
                       bid,
                       o->b.kind,
                       o->b.office,
                       o->b.start_date,
                       o->b.end_date,
                       o->reason_id,
                       o->reason_en};
    table_row(t, v);
    return 0;
  }
  char a[200], b[200], reason[330];
  snprintf(a, sizeof a, "%s (%s, %s..%s)", o->a.kind, o->a.office, o->a.start_date,
           o->a.end_date[0] ? o->a.end_date : "");
  snprintf(b, sizeof b, "%s (%s, %s..%s)", o->b.kind, o->b.office, o->b.start_date,
           o->b.end_date[0] ? o->b.end_date : "");
  snprintf(reason, sizeof reason, "%s / %s", o->reason_id, o->reason_en);
  const char *v[] = {o->kelurahan_name, o->nik, o->name, a, b, reason};
  table_row(t, v);
  return 0;
}

static int print_unserved(void *arg, const struct priority_kelurahan *k,
                          const struct store_gov_unserved *u) {
  const struct table *t = arg;
  char rank[24], index[24], rid[24], desil[24], months[24], deps[24];
  fmt_int(rank, sizeof rank, k->rank);
  snprintf(index, sizeof index, "%.2f", k->index);
  fmt_int(rid, sizeof rid, u->id);
  fmt_int(desil, sizeof desil, u->desil);
  fmt_int(months, sizeof months, u->months_without_work);
  fmt_int(deps, sizeof deps, u->dependants);
  if (t->csv) {
    const char *v[] = {rank,   k->k.code,     k->k.name,    index, rid,    u->nik, u->name,
                       u->sex, u->birth_date, u->education, desil, months, deps,   u->verified_at};
    table_row(t, v);
  } else {
    const char *v[] = {k->k.name,    u->nik, u->name, u->sex,        u->birth_date,
                       u->education, desil,  months,  u->verified_at};
    table_row(t, v);
  }
  return 0;
}

static int print_unverified(void *arg, const struct store_gov_unverified *r) {
  const struct table *t = arg;
  char rid[24], desil[24], days[24];
  fmt_int(rid, sizeof rid, r->id);
  fmt_int(desil, sizeof desil, r->desil);
  if (r->days < 0)
    snprintf(days, sizeof days, t->csv ? "" : "never");
  else
    fmt_int(days, sizeof days, r->days);
  if (t->csv) {
    const char *v[] = {
        r->kelurahan_code, r->kelurahan_name, rid, r->nik, r->name, desil, r->verified_at, days};
    table_row(t, v);
  } else {
    const char *v[] = {r->kelurahan_name, r->nik, r->name, desil, r->verified_at, days};
    table_row(t, v);
  }
  return 0;
}

struct summary_walk {
  const struct table *t;
  int64_t kelurahan_id;
};

static int print_summary(void *arg, const struct store_gov_verification_row *k) {
  const struct summary_walk *w = arg;
  if (w->kelurahan_id >= 0 && k->kelurahan_id != w->kelurahan_id)
    return 0;
  char n[4][24];
  fmt_int(n[0], sizeof n[0], k->residents);
  fmt_int(n[1], sizeof n[1], k->current);
  fmt_int(n[2], sizeof n[2], k->expired);
  fmt_int(n[3], sizeof n[3], k->never);
  const char *v[] = {k->kelurahan_code, k->kelurahan_name, n[0], n[1], n[2], n[3]};
  table_row(w->t, v);
  return 0;
}

/* The four reports: each prints its head and rows into t and says how the
 * walk went (GOV_*). */
static int report_overlaps(struct store *s, const struct actor *who, int64_t kel, struct table *t) {
  static const int w[] = {18, 16, 24, 44, 44, 0};
  t->widths = w;
  t->n = t->csv ? 19 : 6;
  const char *csv_head[] = {"kelurahan_code", "kelurahan", "resident_id", "nik",      "name",
                            "a_source",       "a_id",      "a_kind",      "a_office", "a_start",
                            "a_end",          "b_source",  "b_id",        "b_kind",   "b_office",
                            "b_start",        "b_end",     "reason_id",   "reason_en"};
  const char *text_head[] = {"kelurahan", "nik", "name", "service A", "service B", "reason"};
  table_row(t, t->csv ? csv_head : text_head);
  return gov_overlaps(s, &who->a, kel, print_overlap, t);
}

static int report_unserved(struct store *s, const struct actor *who, int64_t kel,
                           const struct mt_config *cfg, const char *day, struct table *t) {
  static const int w[] = {18, 16, 24, 3, 10, 5, 5, 6, 0};
  t->widths = w;
  t->n = t->csv ? 14 : 9;
  const char *csv_head[] = {"rank",        "kelurahan_code",
                            "kelurahan",   "index",
                            "resident_id", "nik",
                            "name",        "sex",
                            "birth_date",  "education",
                            "desil",       "months_without_work",
                            "dependants",  "verified_at"};
  const char *text_head[] = {"kelurahan", "nik",   "name",   "sex",     "born",
                             "edu",       "desil", "months", "verified"};
  table_row(t, t->csv ? csv_head : text_head);
  return gov_unserved(s, &who->a, day, cfg, kel, print_unserved, t);
}

/* The verification summary per kelurahan, audited like the API's. */
static int report_summary(struct store *s, const struct actor *who, int64_t kel,
                          const struct mt_config *cfg, const char *day, struct table *t) {
  static const int w[] = {14, 18, 9, 16, 20, 0};
  t->widths = w;
  t->n = 6;
  const char *head[] = {"kelurahan_code",       "kelurahan",     "residents", "verified_current",
                        "verification_expired", "never_verified"};
  table_row(t, head);
  struct summary_walk sw = {t, kel};
  int rc = store_gov_verification_summary(s, day, cfg->verification_valid_days, print_summary, &sw);
  if (rc == STORE_OK) {
    char detail[96];
    snprintf(detail, sizeof detail, "summary on %s", day);
    struct store_audit a = {.user_id = who->a.user_id,
                            .username = who->a.username,
                            .role = who->a.role,
                            .action = "report_verification",
                            .route = "cli",
                            .resident_id = -1,
                            .detail = detail};
    rc = store_audit_add(s, &a);
  }
  return rc == STORE_OK ? GOV_OK : GOV_ESTORE;
}

static int report_unverified(struct store *s, const struct actor *who, int64_t kel,
                             const struct mt_config *cfg, const char *day, struct table *t) {
  static const int w[] = {18, 16, 24, 5, 10, 0};
  t->widths = w;
  t->n = t->csv ? 8 : 6;
  const char *csv_head[] = {
      "kelurahan_code", "kelurahan", "resident_id", "nik",
      "name",           "desil",     "verified_at", "days_since_verification"};
  const char *text_head[] = {"kelurahan", "nik", "name", "desil", "verified", "days"};
  table_row(t, t->csv ? csv_head : text_head);
  return gov_needing_verification(s, &who->a, kel, day, cfg->verification_valid_days,
                                  print_unverified, t);
}

/* Which report argv names: 0 overlaps, 1 unserved, 2 verification, -1 none. */
static int report_kind(const char *what) {
  return strcmp(what, "overlaps") == 0       ? 0
         : strcmp(what, "unserved") == 0     ? 1
         : strcmp(what, "verification") == 0 ? 2
                                             : -1;
}

int cli_gov_report(int argc, char **argv) {
  static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                       {"kelurahan", required_argument, NULL, 'k'},
                                       {"csv", no_argument, NULL, 'c'},
                                       {"date", required_argument, NULL, 't'},
                                       {"config", required_argument, NULL, 'f'},
                                       {"summary", no_argument, NULL, 's'},
                                       {"as", required_argument, NULL, 'a'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  const char *dir = NULL, *code = NULL, *date = NULL, *config = NULL, *as = NULL;
  int csv = 0, summary = 0, c;
  cli_reset_getopt();
  while ((c = getopt_long(argc, argv, ":d:k:ct:f:sa:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd':
      dir = optarg;
      break;
    case 'k':
      code = optarg;
      break;
    case 'c':
      csv = 1;
      break;
    case 't':
      date = optarg;
      break;
    case 'f':
      config = optarg;
      break;
    case 's':
      summary = 1;
      break;
    case 'a':
      as = optarg;
      break;
    case 'h':
      fputs(report_usage, stdout);
      return 0;
    default:
      return cli_bad_option("report", argv, NULL);
    }
  }
  if (optind < argc && strcmp(argv[optind], "report") == 0)
    optind++;
  if (optind + 1 != argc)
    return cli_die(CLI_EXIT_USAGE, "report: expected one of overlaps, unserved, verification (see "
                                   "padan report --help)");
  const char *what = argv[optind];
  int kind = report_kind(what);
  if (kind < 0)
    return cli_die(CLI_EXIT_USAGE, "report: unknown report '%s' (overlaps, unserved, verification)",
                   what);
  if (summary && kind != 2)
    return cli_die(CLI_EXIT_USAGE, "report: --summary applies to the verification report only");

  struct mt_config cfg;
  char day[11];
  int st = load_config("report", config, date, &cfg, day);
  if (st != 0)
    return st;
  struct store *s = NULL;
  struct actor who;
  int64_t kel = -1;
  int status = 1, rc = GOV_OK;
  if (cli_open_db(cli_data_dir(dir), 1, &s) != 0 || resolve_actor(s, "report", as, &who) != 0 ||
      kelurahan_id(s, "report", code, &kel) != 0)
    goto cleanup;
  if (who.a.kelurahan_id >= 0) {
    if (kel >= 0 && kel != who.a.kelurahan_id) {
      cli_die(1, "report: desk user '%s' may only see its own kelurahan", who.u.username);
      goto cleanup;
    }
    kel = who.a.kelurahan_id;
  }

  struct table t = {.f = stdout, .csv = csv};
  if (kind == 0)
    rc = report_overlaps(s, &who, kel, &t);
  else if (kind == 1)
    rc = report_unserved(s, &who, kel, &cfg, day, &t);
  else if (summary)
    rc = report_summary(s, &who, kel, &cfg, day, &t);
  else
    rc = report_unverified(s, &who, kel, &cfg, day, &t);
  if (rc != GOV_OK) {
    cli_die(1, "report %s: %s", what, gov_error(rc));
    goto cleanup;
  }
  status = fflush(stdout) == 0 ? 0 : cli_die(1, "report %s: cannot write the output", what);

cleanup:
  store_close(s);
  return status;
}

/* ---- resident ----------------------------------------------------------------------------------
 */

static const char resident_usage[] =
    "usage: padan resident export NIK [--out FILE] [--purpose TEXT]\n"
    "       padan resident erase NIK --reason TEXT\n"
    "       padan resident verify NIK [--date D] [--note TEXT]\n"
    "       padan resident correct NIK --set FIELD=VALUE [--set ...] --reason TEXT\n"
    "       padan resident history NIK\n"
    "       (each also takes [--data DIR] [--as USER])\n"
    "A resident's rights under the data protection law (UU PDP) and the verification\n"
    "workflow; every act is written to the audit log.\n"
    "  export   everything stored about the resident, with their access record, as JSON\n"
    "           (to stdout, or to FILE created with mode 0600)\n"
    "  erase    wipe the resident's personal data (refused while a referral is open, an\n"
    "           intervention active, a course running or a placement under follow-up)\n"
    "  verify   mark the record verified on D (default today) by the acting user\n"
    "  correct  change fields (DTSEN column names and formats; empty VALUE clears an\n"
    "           optional field); every change keeps its old and new value in the history\n"
    "  history  the corrections and verifications of the record\n"
    "  --as USER  act as this padan user (a desk acts on its own kelurahan only)\n";

static int print_history(void *arg, const struct store_gov_history *h) {
  (void)arg;
  printf("%s  %-12s  %-20s  %s -> %s%s%s\n", h->at, h->by_user >= 0 ? h->by_username : "cli",
         h->field, h->old_value ? h->old_value : "(none)", h->new_value ? h->new_value : "(none)",
         h->reason ? "  # " : "", h->reason ? h->reason : "");
  return 0;
}

/* Writes the export to path (created 0600: it is personal data) or stdout. */
static int write_export(const char *path, json_t *j) {
  FILE *f = stdout;
  if (path != NULL) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (f == NULL) {
      if (fd >= 0)
        close(fd);
      return cli_die(1, "resident export: cannot write %s: %s", path, strerror(errno));
    }
  }
  int rc = json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  if (rc == 0 && fputc('\n', f) == EOF)
    rc = -1;
  if (f == stdout ? fflush(f) != 0 : fclose(f) != 0)
    rc = -1;
  return rc == 0 ? 0 : cli_die(1, "resident export: cannot write the export");
}

/* Splits each FIELD=VALUE of sets into a change and applies them all. */
static int correct_resident(struct store *s, int64_t id, const struct actor *who,
                            const char *const *sets, size_t n_sets, const char *reason,
                            struct gov_report *rep) {
  struct gov_change ch[MAX_SETS];
  char *copies[MAX_SETS] = {0};
  int nomem = 0;
  for (size_t i = 0; i < n_sets; i++) {
    copies[i] = strdup(sets[i]);
    if (copies[i] == NULL) {
      nomem = 1;
      break;
    }
    char *eq = strchr(copies[i], '=');
    *eq = '\0';
    ch[i] = (struct gov_change){copies[i], eq + 1};
  }
  int rc = nomem ? GOV_ENOMEM : gov_correct(s, id, &who->a, ch, n_sets, reason, rep);
  for (size_t i = 0; i < n_sets; i++)
    free(copies[i]);
  return rc;
}

/* Prints the record's history (a desk sees its own kelurahan's only) and
 * audits the reading. */
static int show_history(struct store *s, int64_t id, const struct actor *who) {
  int in_kel = who->a.kelurahan_id < 0;
  int64_t kel = -1;
  int erased = 0;
  if (!in_kel && store_gov_resident_scope(s, id, &kel, &erased) == STORE_OK)
    in_kel = kel == who->a.kelurahan_id;
  if (!in_kel)
    return GOV_ENOTFOUND;
  if (store_gov_history_each(s, id, print_history, NULL) != STORE_OK)
    return GOV_ESTORE;
  struct store_audit a = {.user_id = who->a.user_id,
                          .username = who->a.username,
                          .role = who->a.role,
                          .action = "read_history",
                          .route = "cli",
                          .resident_id = id};
  return store_audit_add(s, &a) == STORE_OK ? GOV_OK : GOV_ESTORE;
}

/* The resident action named (0 export … 4 history), checked against the
 * options it needs; -1, with the usage error printed, when it does not fit. */
static int resident_action(const char *action, const char *reason, size_t n_sets) {
  static const char *const actions[] = {"export", "erase", "verify", "correct", "history"};
  int act = -1;
  for (int i = 0; i < 5; i++)
    if (strcmp(action, actions[i]) == 0)
      act = i;
  if (act < 0)
    cli_die(CLI_EXIT_USAGE,
            "resident: unknown action '%s' (export, erase, verify, correct, "
            "history)",
            action);
  else if (act == 1 && reason == NULL)
    cli_die(CLI_EXIT_USAGE, "resident erase: --reason is required");
  else if (act == 3 && (reason == NULL || n_sets == 0))
    cli_die(CLI_EXIT_USAGE, "resident correct: needs at least one --set FIELD=VALUE and --reason");
  else if (n_sets > 0 && act != 3)
    cli_die(CLI_EXIT_USAGE, "resident %s: --set belongs to 'correct'", action);
  else
    return act;
  return -1;
}

/* The id of the resident with this NIK; 0, or 1 with the error printed. */
static int find_resident(struct store *s, const char *action, const char *nik, int64_t *id) {
  int rc = store_gov_resident_by_nik(s, nik, id);
  if (rc == STORE_ENOTFOUND)
    return cli_die(1, "resident %s: no resident with NIK '%s'", action, nik);
  if (rc != STORE_OK)
    return cli_die(1, "resident %s: cannot read residents: %s", action, store_errmsg(s));
  return 0;
}

/* Adds one --set FIELD=VALUE (borrowed from argv) to sets; 0, or
 * CLI_EXIT_USAGE with the error printed. */
static int add_set(const char **sets, size_t *n_sets, const char *arg) {
  if (*n_sets == MAX_SETS)
    return cli_die(CLI_EXIT_USAGE, "resident: at most %d --set options", MAX_SETS);
  if (strchr(arg, '=') == NULL)
    return cli_die(CLI_EXIT_USAGE, "resident: --set needs FIELD=VALUE, not '%s'", arg);
  sets[(*n_sets)++] = arg;
  return 0;
}

int cli_gov_resident(int argc, char **argv) {
  static const struct option opts[] = {
      {"data", required_argument, NULL, 'd'},   {"as", required_argument, NULL, 'a'},
      {"reason", required_argument, NULL, 'r'}, {"purpose", required_argument, NULL, 'p'},
      {"out", required_argument, NULL, 'o'},    {"date", required_argument, NULL, 't'},
      {"note", required_argument, NULL, 'n'},   {"set", required_argument, NULL, 's'},
      {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
  const char *dir = NULL, *as = NULL, *reason = NULL, *purpose = NULL, *out = NULL;
  const char *date = NULL, *note = NULL;
  const char *sets[MAX_SETS];
  size_t n_sets = 0;
  int c;
  cli_reset_getopt();
  while ((c = getopt_long(argc, argv, ":d:a:r:p:o:t:n:s:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd':
      dir = optarg;
      break;
    case 'a':
      as = optarg;
      break;
    case 'r':
      reason = optarg;
      break;
    case 'p':
      purpose = optarg;
      break;
    case 'o':
      out = optarg;
      break;
    case 't':
      date = optarg;
      break;
    case 'n':
      note = optarg;
      break;
    case 's':
      if (add_set(sets, &n_sets, optarg) != 0)
        return CLI_EXIT_USAGE;
      break;
    case 'h':
      fputs(resident_usage, stdout);
      return 0;
    default:
      return cli_bad_option("resident", argv, NULL);
    }
  }
  if (optind < argc && strcmp(argv[optind], "resident") == 0)
    optind++;
  if (optind + 2 != argc)
    return cli_die(CLI_EXIT_USAGE, "resident: expected ACTION NIK (see padan resident --help)");
  const char *action = argv[optind], *nik = argv[optind + 1];
  int act = resident_action(action, reason, n_sets);
  if (act < 0)
    return CLI_EXIT_USAGE;
  struct store *s = NULL;
  struct actor who;
  struct gov_report rep = {0};
  json_t *j = NULL;
  int status = 1, rc = GOV_OK;
  int64_t id = -1;
  if (cli_open_db(cli_data_dir(dir), 1, &s) != 0 || resolve_actor(s, "resident", as, &who) != 0 ||
      find_resident(s, action, nik, &id) != 0)
    goto cleanup;

  switch (act) {
  case 0:
    rc = gov_export_resident(s, id, &who.a, purpose, &j);
    if (rc == GOV_OK) {
      status = write_export(out, j);
      goto cleanup;
    }
    break;
  case 1:
    rc = gov_erase_resident(s, id, &who.a, reason, &rep);
    break;
  case 2:
    rc = gov_verify(s, id, &who.a, date, note, &rep);
    break;
  case 3:
    rc = correct_resident(s, id, &who, sets, n_sets, reason, &rep);
    break;
  case 4:
    rc = show_history(s, id, &who);
    break;
  }
  if (act == 1 || act == 2 || act == 3)
    gov_report_print(rc == GOV_OK ? stdout : stderr, &rep);
  if (rc != GOV_OK) {
    cli_die(1, "resident %s: %s", action, gov_error(rc));
    goto cleanup;
  }
  status = 0;

cleanup:
  json_decref(j);
  gov_report_free(&rep);
  store_close(s);
  return status;
}

/* ---- priority ----------------------------------------------------------------------------------
 */

static const char priority_usage[] =
    "usage: padan priority list [--csv] [--date D] [--config FILE]\n"
    "       padan priority pin CODE [--off]\n"
    "       padan priority unpin CODE\n"
    "       (each also takes [--data DIR] [--as USER])\n"
    "The priority-kelurahan index computed from the residents' DTSEN data (see\n"
    "docs/PRIORITY.md), highest first, and the officers' pins over it.\n"
    "  list     every kelurahan with its rank, index, counts and flag\n"
    "  pin      make the kelurahan a priority whatever its index (--off: never one)\n"
    "  unpin    drop the pin: the index decides again\n";

static int print_priority(const struct table *t, const struct priority_kelurahan *k) {
  char rank[24], index[24], n[4][24];
  fmt_int(rank, sizeof rank, k->rank);
  snprintf(index, sizeof index, "%.2f", k->index);
  fmt_int(n[0], sizeof n[0], k->k.residents);
  fmt_int(n[1], sizeof n[1], k->k.poor);
  fmt_int(n[2], sizeof n[2], k->k.extreme);
  fmt_int(n[3], sizeof n[3], k->k.neet);
  const char *pinned = k->k.pinned < 0 ? "" : k->k.pinned ? "on" : "off";
  const char *v[] = {rank, k->k.code, k->k.name, k->k.kecamatan_name,       index, n[0], n[1],
                     n[2], n[3],      pinned,    k->priority ? "yes" : "no"};
  table_row(t, v);
  return 0;
}

static int by_rank(const void *a, const void *b) {
  const struct priority_kelurahan *x = a, *y = b;
  return (x->rank > y->rank) - (x->rank < y->rank);
}

/* Prints every kelurahan by rank; the exit status. */
static int priority_list(struct store *s, const struct mt_config *cfg, const char *day, int csv) {
  struct priority_kelurahan *rows = NULL;
  size_t n = 0;
  if (priority_compute(s, cfg, day, &rows, &n) != STORE_OK)
    return cli_die(1, "priority list: cannot compute the index: %s", store_errmsg(s));
  qsort(rows, n, sizeof *rows, by_rank);
  static const int w[] = {4, 14, 22, 14, 6, 9, 6, 7, 6, 6, 0};
  struct table t = {.f = stdout, .csv = csv, .widths = w, .n = 11};
  const char *head[] = {"rank", "code",    "kelurahan", "kecamatan", "index",   "residents",
                        "poor", "extreme", "neet",      "pinned",    "priority"};
  table_row(&t, head);
  for (size_t i = 0; i < n; i++)
    print_priority(&t, &rows[i]);
  free(rows);
  return fflush(stdout) == 0 ? 0 : cli_die(1, "priority list: cannot write the output");
}

/* Pins kelurahan code to value (1 on, 0 off, -1 unpinned) as who, who must
 * be an officer or an admin (or the CLI itself); the exit status. */
static int priority_set(struct store *s, const struct actor *who, const char *action,
                        const char *code, int value) {
  if (who->a.user_id >= 0 && strcmp(who->a.role, "officer") != 0 &&
      strcmp(who->a.role, "admin") != 0)
    return cli_die(1, "priority %s: only an officer or an admin may pin priority kelurahan",
                   action);
  char detail[96];
  struct store_audit a = {.user_id = who->a.user_id,
                          .username = who->a.username,
                          .role = who->a.role,
                          .route = "cli",
                          .resident_id = -1};
  int rc = priority_pin(s, code, value, &a, detail, sizeof detail);
  if (rc == STORE_ENOTFOUND)
    return cli_die(1, "priority %s: no kelurahan with code '%s'", action, code);
  if (rc != STORE_OK)
    return cli_die(1, "priority %s: the database failed; nothing was written", action);
  printf("%s\n", detail);
  return 0;
}

int cli_gov_priority(int argc, char **argv) {
  static const struct option opts[] = {
      {"data", required_argument, NULL, 'd'}, {"csv", no_argument, NULL, 'c'},
      {"date", required_argument, NULL, 't'}, {"config", required_argument, NULL, 'f'},
      {"off", no_argument, NULL, 'o'},        {"as", required_argument, NULL, 'a'},
      {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
  const char *dir = NULL, *date = NULL, *config = NULL, *as = NULL;
  int csv = 0, off = 0, c;
  cli_reset_getopt();
  while ((c = getopt_long(argc, argv, ":d:ct:f:oa:h", opts, NULL)) != -1) {
    switch (c) {
    case 'd':
      dir = optarg;
      break;
    case 'c':
      csv = 1;
      break;
    case 't':
      date = optarg;
      break;
    case 'f':
      config = optarg;
      break;
    case 'o':
      off = 1;
      break;
    case 'a':
      as = optarg;
      break;
    case 'h':
      fputs(priority_usage, stdout);
      return 0;
    default:
      return cli_bad_option("priority", argv, NULL);
    }
  }
  if (optind < argc && strcmp(argv[optind], "priority") == 0)
    optind++;
  if (optind >= argc)
    return cli_die(CLI_EXIT_USAGE,
                   "priority: expected list, pin CODE or unpin CODE (see padan priority "
                   "--help)");
  const char *action = argv[optind];
  int list = strcmp(action, "list") == 0, pin = strcmp(action, "pin") == 0,
      unpin = strcmp(action, "unpin") == 0;
  if (!list && !pin && !unpin)
    return cli_die(CLI_EXIT_USAGE, "priority: unknown action '%s' (list, pin, unpin)", action);
  if (list && optind + 1 != argc)
    return cli_die(CLI_EXIT_USAGE, "priority list: takes no argument");
  if (!list && optind + 2 != argc)
    return cli_die(CLI_EXIT_USAGE, "priority %s: expected one kelurahan CODE", action);
  if (off && !pin)
    return cli_die(CLI_EXIT_USAGE, "priority: --off belongs to 'pin'");

  struct mt_config cfg;
  char day[11];
  int st = load_config("priority", config, date, &cfg, day);
  if (st != 0)
    return st;
  struct store *s = NULL;
  struct actor who;
  int status = 1;
  if (cli_open_db(cli_data_dir(dir), 1, &s) != 0 || resolve_actor(s, "priority", as, &who) != 0)
    goto cleanup;

  status = list ? priority_list(s, &cfg, day, csv)
                : priority_set(s, &who, action, argv[optind + 1],
                               unpin ? -1
                               : off ? 0
                                     : 1);

cleanup:
  store_close(s);
  return status;
}
