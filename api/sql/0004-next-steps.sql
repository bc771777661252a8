-- 0004: one next step per eligible resident.  A match run proposes either a
-- referral to a vacancy (as before) or a seat in a planned or open BLK batch
-- (a course step).  Officers review both kinds with the explanation the run
-- gave, and confirm or withdraw them; a confirmed course step becomes an
-- enrolment.  The run also keeps its targeting figures: how the poorest
-- fared against their share of the eligible (docs/MATCHING.md).

-- The explanation a proposal was made with, as JSON (the same document the
-- candidates and recommendations routes show); NULL for referrals made by
-- hand or before this version.
ALTER TABLE referrals ADD COLUMN explanation TEXT;

CREATE TABLE course_steps (
  id INTEGER PRIMARY KEY,
  match_run_id INTEGER NOT NULL REFERENCES match_runs(id),
  resident_id INTEGER NOT NULL REFERENCES residents(id),
  batch_id INTEGER NOT NULL REFERENCES batches(id),
  status TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'withdrawn')),
  priority REAL,
  rank_key REAL,                 -- on the same scale as a referral's key
  expected_placement REAL,       -- the step's worth before the priority factor
  explanation TEXT,              -- JSON: why this course, which vacancies it opens
  enrolment_id INTEGER REFERENCES enrolments(id), -- set when confirmed
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  updated_at TEXT NOT NULL
);
-- A resident holds at most one proposed course step at a time.
CREATE UNIQUE INDEX course_steps_one_open ON course_steps(resident_id) WHERE status = 'proposed';
CREATE INDEX course_steps_run ON course_steps(match_run_id);
CREATE INDEX course_steps_batch ON course_steps(batch_id, status);

-- A run's figures per target group (desil_1, desil_1_4, priority_kelurahan,
-- women, disability, all): eligible residents and the steps they got.
CREATE TABLE match_run_targeting (
  match_run_id INTEGER NOT NULL REFERENCES match_runs(id),
  grp TEXT NOT NULL,
  eligible INTEGER NOT NULL CHECK (eligible >= 0),
  job_steps INTEGER NOT NULL CHECK (job_steps >= 0),
  course_steps INTEGER NOT NULL CHECK (course_steps >= 0),
  PRIMARY KEY (match_run_id, grp)
) WITHOUT ROWID;
