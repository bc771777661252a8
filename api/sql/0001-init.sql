-- 0001: padan's first schema.  Geography and skills are reference data
-- loaded from seeds/; residents come from DTSEN extracts (or the synthetic
-- generator); everything a person does is stamped with who and when.
-- Times people read are ISO 8601 UTC text; token times are Unix seconds.

CREATE TABLE kecamatan (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,           -- Kemendagri, e.g. 36.71.10
  name TEXT NOT NULL,
  lat REAL NOT NULL,                   -- approximate centroid
  lon REAL NOT NULL
);

CREATE TABLE kelurahan (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,           -- Kemendagri, e.g. 36.71.10.1001
  kecamatan_id INTEGER NOT NULL REFERENCES kecamatan(id),
  name TEXT NOT NULL,
  lat REAL NOT NULL,
  lon REAL NOT NULL,
  priority_pinned INTEGER CHECK (priority_pinned IN (0, 1)) -- NULL: computed
);

CREATE TABLE skills (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  vocation TEXT NOT NULL,
  name_id TEXT NOT NULL,
  name_en TEXT NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,         -- libsodium crypto_pwhash_str (Argon2id)
  role TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'employer', 'desk')),
  employer_id INTEGER REFERENCES employers(id),
  kelurahan_id INTEGER REFERENCES kelurahan(id),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at TEXT NOT NULL,
  CHECK ((role = 'employer') = (employer_id IS NOT NULL)),
  CHECK ((role = 'desk') = (kelurahan_id IS NOT NULL))
);

CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  token_hash BLOB NOT NULL UNIQUE,     -- keyed BLAKE2b of the token; never the token
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX tokens_user ON tokens(user_id);

CREATE TABLE residents (
  id INTEGER PRIMARY KEY,
  nik TEXT UNIQUE CHECK (nik IS NULL OR (length(nik) = 16 AND nik NOT GLOB '*[^0-9]*')),
  name TEXT,
  sex TEXT CHECK (sex IN ('L', 'P')),
  birth_date TEXT,
  religion TEXT,
  marital_status TEXT,
  kelurahan_id INTEGER REFERENCES kelurahan(id),
  address TEXT,
  phone TEXT,
  education TEXT,
  smk_vocation TEXT,
  desil INTEGER CHECK (desil BETWEEN 1 AND 10),
  work_status TEXT,
  school_status TEXT,
  months_without_work INTEGER CHECK (months_without_work >= 0),
  dependants INTEGER CHECK (dependants >= 0),
  disability TEXT,
  shifts TEXT,                         -- day|night|rotating, NULL unknown
  preferred_vocations TEXT,            -- ';'-separated vocation slugs
  verified_at TEXT,
  verified_by INTEGER REFERENCES users(id),
  verification_note TEXT,
  nik_flag TEXT,                       -- NIK disagrees with birth date or sex
  synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  erased_at TEXT
);
CREATE INDEX residents_kelurahan ON residents(kelurahan_id);

CREATE TABLE resident_skills (
  resident_id INTEGER NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
  skill_id INTEGER NOT NULL REFERENCES skills(id),
  certified INTEGER NOT NULL DEFAULT 0 CHECK (certified IN (0, 1)),
  PRIMARY KEY (resident_id, skill_id)
) WITHOUT ROWID;

CREATE TABLE employers (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  sector TEXT NOT NULL,
  kelurahan_id INTEGER NOT NULL REFERENCES kelurahan(id),
  address TEXT,
  employees INTEGER,
  synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),
  created_at TEXT NOT NULL
);

CREATE TABLE vacancies (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  employer_id INTEGER NOT NULL REFERENCES employers(id),
  title TEXT NOT NULL,
  kbji TEXT,
  vocation TEXT NOT NULL,
  kelurahan_id INTEGER NOT NULL REFERENCES kelurahan(id),
  min_education TEXT,
  min_age INTEGER,
  max_age INTEGER,
  openings INTEGER NOT NULL CHECK (openings >= 0),
  wage_monthly INTEGER NOT NULL CHECK (wage_monthly >= 0),
  shift TEXT,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('draft', 'open', 'closed')),
  posted_date TEXT,
  deadline TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX vacancies_employer ON vacancies(employer_id);

CREATE TABLE vacancy_skills (
  vacancy_id INTEGER NOT NULL REFERENCES vacancies(id) ON DELETE CASCADE,
  skill_id INTEGER NOT NULL REFERENCES skills(id),
  kind TEXT NOT NULL CHECK (kind IN ('must', 'nice')),
  PRIMARY KEY (vacancy_id, skill_id)
) WITHOUT ROWID;

CREATE TABLE courses (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  vocation TEXT NOT NULL,
  hours INTEGER NOT NULL CHECK (hours > 0),
  batch_capacity INTEGER NOT NULL CHECK (batch_capacity > 0),
  schedule TEXT
);

CREATE TABLE course_skills (
  course_id INTEGER NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
  skill_id INTEGER NOT NULL REFERENCES skills(id),
  PRIMARY KEY (course_id, skill_id)
) WITHOUT ROWID;

CREATE TABLE batches (
  id INTEGER PRIMARY KEY,
  course_id INTEGER NOT NULL REFERENCES courses(id),
  batch_no INTEGER NOT NULL,
  start_date TEXT,
  end_date TEXT,
  capacity INTEGER NOT NULL CHECK (capacity > 0),
  status TEXT NOT NULL CHECK (status IN ('planned', 'running', 'finished')),
  UNIQUE (course_id, batch_no)
);

-- Outcomes of a batch: 'seeded' are past results shipped in seeds/,
-- 'measured' are recomputed from padan's own enrolments and placements.
CREATE TABLE batch_outcomes (
  batch_id INTEGER NOT NULL REFERENCES batches(id),
  source TEXT NOT NULL CHECK (source IN ('seeded', 'measured')),
  enrolled INTEGER NOT NULL CHECK (enrolled >= 0),
  completed INTEGER NOT NULL CHECK (completed BETWEEN 0 AND enrolled),
  certified INTEGER NOT NULL CHECK (certified BETWEEN 0 AND completed),
  placed_6m INTEGER NOT NULL CHECK (placed_6m BETWEEN 0 AND completed),
  PRIMARY KEY (batch_id, source)
);

CREATE TABLE batch_outcome_sectors (
  batch_id INTEGER NOT NULL REFERENCES batches(id),
  source TEXT NOT NULL CHECK (source IN ('seeded', 'measured')),
  sector TEXT NOT NULL,
  placed INTEGER NOT NULL CHECK (placed >= 0),
  PRIMARY KEY (batch_id, source, sector)
);

CREATE TABLE enrolments (
  id INTEGER PRIMARY KEY,
  batch_id INTEGER NOT NULL REFERENCES batches(id),
  resident_id INTEGER NOT NULL REFERENCES residents(id),
  status TEXT NOT NULL CHECK (status IN ('enrolled', 'completed', 'certified', 'dropped')),
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (batch_id, resident_id)
);

CREATE TABLE match_runs (
  id INTEGER PRIMARY KEY,
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  algorithm TEXT NOT NULL,
  run_date TEXT NOT NULL,
  total_key REAL NOT NULL,
  total_gain INTEGER NOT NULL,
  n_proposals INTEGER NOT NULL,
  n_unmatched INTEGER NOT NULL,
  duration_ms REAL NOT NULL
);

CREATE TABLE referrals (
  id INTEGER PRIMARY KEY,
  resident_id INTEGER NOT NULL REFERENCES residents(id),
  vacancy_id INTEGER NOT NULL REFERENCES vacancies(id),
  match_run_id INTEGER REFERENCES match_runs(id),
  status TEXT NOT NULL CHECK (status IN ('proposed', 'confirmed', 'interviewed', 'hired',
                                         'rejected', 'retained_3m', 'retained_6m', 'left',
                                         'withdrawn')),
  fit REAL,
  priority REAL,
  rank_key REAL,
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX referrals_one_open ON referrals(resident_id, vacancy_id)
  WHERE status IN ('proposed', 'confirmed', 'interviewed');
CREATE INDEX referrals_vacancy ON referrals(vacancy_id);
CREATE INDEX referrals_run ON referrals(match_run_id);

CREATE TABLE referral_events (
  id INTEGER PRIMARY KEY,
  referral_id INTEGER NOT NULL REFERENCES referrals(id),
  from_status TEXT,
  to_status TEXT NOT NULL,
  by_user INTEGER REFERENCES users(id),
  at TEXT NOT NULL,
  note TEXT
);

-- One registry of everything done for a resident, whichever office did it.
CREATE TABLE interventions (
  id INTEGER PRIMARY KEY,
  resident_id INTEGER NOT NULL REFERENCES residents(id),
  kind TEXT NOT NULL,                  -- job_referral, course, business_capital, ...
  office TEXT NOT NULL,                -- Disnaker, Dinkop UKM, ...
  start_date TEXT NOT NULL,
  end_date TEXT,
  status TEXT NOT NULL CHECK (status IN ('active', 'ended', 'cancelled')),
  source_ref TEXT,
  referral_id INTEGER REFERENCES referrals(id),
  enrolment_id INTEGER REFERENCES enrolments(id),
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL
);
CREATE INDEX interventions_resident ON interventions(resident_id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user_id INTEGER,
  username TEXT,
  role TEXT,
  action TEXT NOT NULL,                -- login, logout, read_resident, ...
  route TEXT,
  resident_id INTEGER,
  purpose TEXT,
  detail TEXT
);
CREATE INDEX audit_resident ON audit_log(resident_id);
CREATE INDEX audit_user ON audit_log(user_id);
