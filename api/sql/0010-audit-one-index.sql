-- 0010: the audit log keeps one index.  audit_user (on user_id) was read by
-- no query: the audit listing filters by username, action and time and
-- reads in id order, and the access record reads through audit_resident.
-- Every audited read still paid for it: a page of the index written to the
-- WAL in each audit group's commit (docs/PERFORMANCE.md, HTTP API).
DROP INDEX IF EXISTS audit_user;
