-- 0005: erasure that stays erased.  An erased resident's NIK is kept only
-- as a keyed BLAKE2b hash (the key is a file beside the database, never in
-- it: padan.db.erasure-key), so that a later DTSEN import can refuse a row
-- of that person without the database holding the NIK.
CREATE TABLE erased_niks (
  hash BLOB PRIMARY KEY CHECK (length(hash) = 32),
  erased_at TEXT NOT NULL
) WITHOUT ROWID;
