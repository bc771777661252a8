/* TEMPORARY (lead): stands in for the engine's match run until match.c lands. */
#include "matcher.h"
enum mt_status mt_match_run(const struct mt_engine *e, enum mt_algorithm algo,
                            struct mt_match_result **out) {
  (void)e;
  (void)algo;
  *out = NULL;
  return MT_EINVAL;
}
void mt_match_result_free(struct mt_match_result *r) {
  (void)r;
}
