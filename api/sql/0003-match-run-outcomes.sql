-- 0003: what a match run left behind, beyond its proposals.  The POST reply
-- always showed how many eligible residents were left unmatched and why, and
-- how full each vacancy's shortlist got; storing both lets GET show the same
-- figures for any recorded run.  Aggregates only: no resident is named here.

-- 1 for runs recorded with their outcomes (every run from this version on);
-- 0 for older runs, whose GET shows the outcome fields as null.
ALTER TABLE match_runs ADD COLUMN outcomes_stored INTEGER NOT NULL DEFAULT 0;

-- Eligible residents left without a proposal, counted by reason: an engine
-- reason code, or capacity_full when every vacancy they fit was full.
CREATE TABLE match_run_unmatched (
  match_run_id INTEGER NOT NULL REFERENCES match_runs(id),
  reason TEXT NOT NULL,
  n INTEGER NOT NULL CHECK (n > 0),
  PRIMARY KEY (match_run_id, reason)
) WITHOUT ROWID;

-- Every open vacancy the run considered: its shortlist capacity (openings x
-- shortlist factor) and the proposals it received.
CREATE TABLE match_run_fill (
  match_run_id INTEGER NOT NULL REFERENCES match_runs(id),
  vacancy_id INTEGER NOT NULL REFERENCES vacancies(id),
  capacity INTEGER NOT NULL CHECK (capacity >= 0),
  proposed INTEGER NOT NULL CHECK (proposed >= 0),
  PRIMARY KEY (match_run_id, vacancy_id)
) WITHOUT ROWID;
