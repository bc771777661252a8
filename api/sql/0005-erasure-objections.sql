-- 0005: erasure that stays erased.  An erased resident's NIK is kept only
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
