-- 0009: the residents the matching engine can ever rank, as an index.  A
-- snapshot holds only residents who could be eligible (not working, not in
-- school, productive age, verified recently, not erased; issue 14): at the
-- city's 1.9 million residents that is a small part, and this partial index
-- lets the snapshot's query (store_engine_residents_in_scope) walk just the
-- residents who are neither working nor in school, in id order, and test
-- age and verification in the index without reading the other rows.  Its
-- WHERE must stay word for word the terms of that query.
CREATE INDEX residents_engine_scope ON residents(id, birth_date, verified_at)
  WHERE erased_at IS NULL AND work_status IS NOT 'working' AND school_status IS NOT 'in_school';

-- The priority kelurahan index counts every resident of every kelurahan
-- (core/priority.c) when a snapshot is built: from this covering index
-- that is one walk in kelurahan order, not a row fetch per resident.
CREATE INDEX residents_poverty ON residents(kelurahan_id, desil, birth_date, work_status,
  school_status) WHERE erased_at IS NULL;
