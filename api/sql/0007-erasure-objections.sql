-- 0007: erasure that stays erased.  An erased resident's NIK is kept only
-- as a keyed BLAKE2b hash (the key is a file beside the database, never in
-- it: padan.db.erasure-key), so that a later DTSEN import can refuse a row
-- of that person without the database holding the NIK.
CREATE TABLE erased_niks (
  hash BLOB PRIMARY KEY CHECK (length(hash) = 32),
  erased_at TEXT NOT NULL
) WITHOUT ROWID;

-- Corrections that survive a re-import.  Every field an import changes now
-- goes into the resident's history too; source tells those rows from a
-- person's correction, so that an import can keep a field corrected after
-- its extract was made (the importer compares the correction's time with
-- the extract's date) instead of silently reverting it.
ALTER TABLE resident_history ADD COLUMN source TEXT NOT NULL DEFAULT 'correction'
  CHECK (source IN ('correction', 'import'));

-- Objections: a DTSEN-owned field (NIK, desil, birth date, sex) is not a
-- desk's to change; a desk files an objection with the value the resident
-- claims, and an officer accepts it (the field is corrected, with history)
-- or rejects it.  An erasure clears proposed_value and reason.
CREATE TABLE objections (
  id INTEGER PRIMARY KEY,
  resident_id INTEGER NOT NULL REFERENCES residents(id),
  field TEXT NOT NULL CHECK (field IN ('nik', 'desil', 'birth_date', 'sex')),
  proposed_value TEXT,
  reason TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
  filed_by INTEGER REFERENCES users(id),
  filed_at TEXT NOT NULL,
  resolved_by INTEGER REFERENCES users(id),
  resolved_at TEXT,
  note TEXT
);
CREATE INDEX objections_resident ON objections(resident_id);
CREATE INDEX objections_status ON objections(status, id);
