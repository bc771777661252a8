-- 0002: DTSEN data governance (docs/GOVERNANCE.md).  Corrections and
-- verifications keep their history; the intervention registry gets a
-- closed list of kinds, grouped, and the pairs of groups that must not run
-- at the same time for one resident (the overlap report joins on it);
-- indexes for the governance reports.

-- One row per changed field: a correction (field = the column), a
-- verification (field = 'verified_at'), or an erasure, which wipes the
-- values of the resident's earlier rows but keeps who changed what when.
CREATE TABLE resident_history (
  id INTEGER PRIMARY KEY,
  resident_id INTEGER NOT NULL REFERENCES residents(id),
  at TEXT NOT NULL,                    -- ISO 8601 UTC
  by_user INTEGER REFERENCES users(id), -- NULL: the command line
  field TEXT NOT NULL,
  old_value TEXT,
  new_value TEXT,
  reason TEXT
);
CREATE INDEX resident_history_resident ON resident_history(resident_id, id);

-- Kinds of intervention any office may record.  grp says what a kind does
-- for the resident: job (a referral or a placement), business (capital with
-- mentoring), training (a course), aid (social assistance), other.
CREATE TABLE intervention_kinds (
  kind TEXT PRIMARY KEY,
  grp TEXT NOT NULL CHECK (grp IN ('job', 'business', 'training', 'aid', 'other')),
  name_id TEXT NOT NULL,
  name_en TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO intervention_kinds (kind, grp, name_id, name_en) VALUES
  ('job_referral', 'job', 'Rujukan ke lowongan kerja', 'Referral to a job vacancy'),
  ('job_placement', 'job', 'Penempatan kerja', 'Job placement'),
  ('business_capital', 'business', 'Bantuan modal usaha dengan pendampingan',
   'Business-capital assistance with mentoring'),
  ('training', 'training', 'Pelatihan kerja', 'Job training course'),
  ('social_aid', 'aid', 'Bantuan sosial', 'Social assistance'),
  ('other', 'other', 'Intervensi lain', 'Other intervention');

-- Two active services of these groups whose periods overlap serve one
-- resident twice (the paper's inclusion error).  Both orders are stored so
-- that a join needs no OR.  Social aid conflicts with nothing: it is a safety
-- net that the policy wants combined with work, not replaced by it.
CREATE TABLE intervention_conflicts (
  grp_a TEXT NOT NULL,
  grp_b TEXT NOT NULL,
  reason_id TEXT NOT NULL,
  reason_en TEXT NOT NULL,
  PRIMARY KEY (grp_a, grp_b)
) WITHOUT ROWID;
INSERT INTO intervention_conflicts (grp_a, grp_b, reason_id, reason_en) VALUES
  ('job', 'job', 'Dua rujukan atau penempatan kerja sekaligus',
   'Two job referrals or placements at once'),
  ('job', 'business', 'Rujukan atau penempatan kerja selama program modal usaha berjalan',
   'A job referral or placement during an active business-capital programme'),
  ('business', 'job', 'Rujukan atau penempatan kerja selama program modal usaha berjalan',
   'A job referral or placement during an active business-capital programme'),
  ('job', 'training', 'Rujukan atau penempatan kerja selama mengikuti pelatihan',
   'A job referral or placement while attending a training course'),
  ('training', 'job', 'Rujukan atau penempatan kerja selama mengikuti pelatihan',
   'A job referral or placement while attending a training course'),
  ('business', 'business', 'Dua bantuan modal usaha sekaligus',
   'Two business-capital programmes at once'),
  ('training', 'training', 'Dua pelatihan pada waktu yang sama',
   'Two training courses at the same time');

CREATE INDEX interventions_kind_status ON interventions(kind, status);
CREATE INDEX interventions_source ON interventions(office, source_ref) WHERE source_ref IS NOT NULL;
-- The reports and the engine's per-resident EXISTS look these up by resident.
CREATE INDEX enrolments_by_resident ON enrolments(resident_id);
CREATE INDEX referrals_by_resident ON referrals(resident_id, status);
