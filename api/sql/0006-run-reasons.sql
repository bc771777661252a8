-- 0006: why a match run gave an eligible resident of a priority kelurahan
-- or of desil 1-4 no next step, and what would change it (docs/MATCHING.md
-- "Reaching the poorest").  One row per such resident and run; the texts
-- are plain sentences in Indonesian and English that name no person.
-- groups: bit 0 desil 1, 1 desil 1-4, 2 priority kelurahan, 3 women,
-- 4 disability; course_id: a course whose seat would open vacancies to them.
CREATE TABLE match_run_reasons (
  match_run_id INTEGER NOT NULL REFERENCES match_runs(id),
  resident_id INTEGER NOT NULL REFERENCES residents(id),
  code TEXT NOT NULL,
  reason_id TEXT NOT NULL,
  reason_en TEXT NOT NULL,
  groups INTEGER NOT NULL,
  course_id INTEGER REFERENCES courses(id),
  PRIMARY KEY (match_run_id, resident_id)
) WITHOUT ROWID;
