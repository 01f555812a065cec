-- The audit log is searched by who and by when (the headteacher's filters, newest first). Without these,
-- a search for a rare actor or an old week reads the school's whole chain.
CREATE INDEX audit_actor ON audit (school_id, actor, seq);
CREATE INDEX audit_at ON audit (school_id, at);
