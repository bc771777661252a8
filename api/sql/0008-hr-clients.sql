-- 0008: employer HR systems as clients (issue 16).  API keys are long-lived
-- credentials of one employer with a scope set; like tokens, only their
-- keyed hash is stored.  Webhook endpoints receive signed events on the
-- employer's own vacancies; the events and their deliveries form a durable
-- queue.  The triggers below write the events in the same transaction as
-- the change that causes them, whichever code path makes it, so a crash
-- can lose neither the change nor its event.
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  employer_id INTEGER NOT NULL REFERENCES employers(id),
  name TEXT NOT NULL,
  key_hash BLOB NOT NULL UNIQUE,       -- keyed BLAKE2b of the key; never the key
  hint TEXT NOT NULL,                  -- the key's last 4 characters, to tell keys apart
  scopes INTEGER NOT NULL CHECK (scopes > 0 AND scopes < 8),
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER,
  last_used_at INTEGER
);
CREATE INDEX api_keys_employer ON api_keys(employer_id);

CREATE TABLE webhook_endpoints (
  id INTEGER PRIMARY KEY,
  employer_id INTEGER NOT NULL REFERENCES employers(id),
  url TEXT NOT NULL,
  events INTEGER NOT NULL CHECK (events > 0 AND events < 16),
  secret_salt BLOB NOT NULL,           -- the signing secret is derived from it and the server key
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE INDEX webhook_endpoints_employer ON webhook_endpoints(employer_id);

-- Event bits: 1 referral.confirmed, 2 referral.withdrawn,
-- 4 vacancy.shortlist_changed, 8 vacancy.closing.
CREATE TABLE webhook_events (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,            -- the event id receivers deduplicate on
  type TEXT NOT NULL,
  employer_id INTEGER NOT NULL REFERENCES employers(id),
  vacancy_id INTEGER NOT NULL REFERENCES vacancies(id),
  referral_id INTEGER REFERENCES referrals(id),
  created_at INTEGER NOT NULL,
  body TEXT                            -- rendered once, on the first attempt
);
CREATE UNIQUE INDEX webhook_events_closing ON webhook_events(vacancy_id) WHERE type = 'vacancy.closing';

CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES webhook_events(id),
  endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints(id),
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  last_status INTEGER,
  last_error TEXT,
  done_at INTEGER,
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_at);
-- an endpoint's oldest pending event (deliveries go out in order) and its lists
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, status, event_id);

-- A referral's moves as the employer sees them.  An employer never sees a
-- proposed referral, so withdrawing one it never saw is no event.  An event
-- is written only when some live endpoint of the employer asked for its
-- type, and then one delivery per such endpoint (the same condition twice,
-- so last_insert_rowid() is always the event just written).
CREATE TRIGGER webhook_referral_moved AFTER UPDATE OF status ON referrals
WHEN NEW.status <> OLD.status AND (OLD.status <> 'proposed' OR NEW.status = 'confirmed')
BEGIN
  INSERT INTO webhook_events (uid, type, employer_id, vacancy_id, referral_id, created_at)
  SELECT lower(hex(randomblob(16))), 'referral.' || NEW.status, v.employer_id, v.id, NEW.id,
         CAST(strftime('%s', 'now') AS INTEGER)
  FROM vacancies v WHERE v.id = NEW.vacancy_id AND NEW.status IN ('confirmed', 'withdrawn')
    AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.employer_id = v.employer_id
                AND e.deleted_at IS NULL
                AND (e.events & (CASE NEW.status WHEN 'confirmed' THEN 1 ELSE 2 END)) <> 0);
  INSERT INTO webhook_deliveries (event_id, endpoint_id, next_at)
  SELECT last_insert_rowid(), e.id, CAST(strftime('%s', 'now') AS INTEGER)
  FROM webhook_endpoints e JOIN vacancies v ON v.employer_id = e.employer_id
  WHERE v.id = NEW.vacancy_id AND e.deleted_at IS NULL AND NEW.status IN ('confirmed', 'withdrawn')
    AND (e.events & (CASE NEW.status WHEN 'confirmed' THEN 1 ELSE 2 END)) <> 0;
  INSERT INTO webhook_events (uid, type, employer_id, vacancy_id, referral_id, created_at)
  SELECT lower(hex(randomblob(16))), 'vacancy.shortlist_changed', v.employer_id, v.id, NEW.id,
         CAST(strftime('%s', 'now') AS INTEGER)
  FROM vacancies v WHERE v.id = NEW.vacancy_id
    AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.employer_id = v.employer_id
                AND e.deleted_at IS NULL AND (e.events & 4) <> 0);
  INSERT INTO webhook_deliveries (event_id, endpoint_id, next_at)
  SELECT last_insert_rowid(), e.id, CAST(strftime('%s', 'now') AS INTEGER)
  FROM webhook_endpoints e JOIN vacancies v ON v.employer_id = e.employer_id
  WHERE v.id = NEW.vacancy_id AND e.deleted_at IS NULL AND (e.events & 4) <> 0;
END;

-- A referral made confirmed at once (a desk's or an officer's by hand).
CREATE TRIGGER webhook_referral_created AFTER INSERT ON referrals
WHEN NEW.status = 'confirmed'
BEGIN
  INSERT INTO webhook_events (uid, type, employer_id, vacancy_id, referral_id, created_at)
  SELECT lower(hex(randomblob(16))), 'referral.confirmed', v.employer_id, v.id, NEW.id,
         CAST(strftime('%s', 'now') AS INTEGER)
  FROM vacancies v WHERE v.id = NEW.vacancy_id
    AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.employer_id = v.employer_id
                AND e.deleted_at IS NULL AND (e.events & 1) <> 0);
  INSERT INTO webhook_deliveries (event_id, endpoint_id, next_at)
  SELECT last_insert_rowid(), e.id, CAST(strftime('%s', 'now') AS INTEGER)
  FROM webhook_endpoints e JOIN vacancies v ON v.employer_id = e.employer_id
  WHERE v.id = NEW.vacancy_id AND e.deleted_at IS NULL AND (e.events & 1) <> 0;
  INSERT INTO webhook_events (uid, type, employer_id, vacancy_id, referral_id, created_at)
  SELECT lower(hex(randomblob(16))), 'vacancy.shortlist_changed', v.employer_id, v.id, NEW.id,
         CAST(strftime('%s', 'now') AS INTEGER)
  FROM vacancies v WHERE v.id = NEW.vacancy_id
    AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.employer_id = v.employer_id
                AND e.deleted_at IS NULL AND (e.events & 4) <> 0);
  INSERT INTO webhook_deliveries (event_id, endpoint_id, next_at)
  SELECT last_insert_rowid(), e.id, CAST(strftime('%s', 'now') AS INTEGER)
  FROM webhook_endpoints e JOIN vacancies v ON v.employer_id = e.employer_id
  WHERE v.id = NEW.vacancy_id AND e.deleted_at IS NULL AND (e.events & 4) <> 0;
END;
