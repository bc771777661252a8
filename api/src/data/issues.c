/*
 * issues.c — the texts of the shared issue codes (see issues.h).
 */
#include "issues.h"

const struct issue_text issue_texts[] = {
#define ISSUE_TEXT(name, code, id, en) {code, id, en},
    ISSUES(ISSUE_TEXT)
#undef ISSUE_TEXT
};
