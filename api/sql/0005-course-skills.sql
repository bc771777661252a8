-- 0005: where a resident's skill comes from.  Completing a BLK course adds
-- the skills it teaches to the resident's record, and certification marks
-- them certified (issue 17, point 6); a skill the resident had declared
-- themselves ("self_reported", every skill before this version and every
-- skill a DTSEN import or a correction writes) becomes "course" once a
-- completed course taught it.  Each change is also a resident_history row.
ALTER TABLE resident_skills ADD COLUMN source TEXT NOT NULL DEFAULT 'self_reported'
  CHECK (source IN ('self_reported', 'course'));
