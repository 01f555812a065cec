-- Gatehouse's schema on SQLite. STRICT tables (types are enforced), INTEGER for booleans (0/1) and for
-- timestamps (microseconds since the Unix epoch, UTC: sortable, and exactly what PostgreSQL keeps).
-- Every row belongs to a school, and every foreign key has an index that starts with its columns.

CREATE TABLE trusts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE schools (
    id TEXT PRIMARY KEY,
    trust_id TEXT REFERENCES trusts (id),
    name TEXT NOT NULL,
    policy_toml TEXT,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX schools_trust ON schools (trust_id);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES schools (id),
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('headteacher', 'dsl', 'deputy_dsl', 'staff', 'governor', 'trust_admin')),
    password_hash TEXT,
    totp_secret BLOB,
    mfa_enabled INTEGER NOT NULL DEFAULT 0 CHECK (mfa_enabled IN (0, 1)),
    totp_last_step INTEGER,
    session_epoch INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX users_school ON users (school_id, display_name);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    school_id TEXT REFERENCES schools (id),
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('password', 'mfa', 'oidc')),
    succeeded INTEGER NOT NULL CHECK (succeeded IN (0, 1)),
    at INTEGER NOT NULL
) STRICT;
CREATE INDEX login_attempts_account ON login_attempts (account, at);
CREATE INDEX login_attempts_address ON login_attempts (address, at);
CREATE INDEX login_attempts_school ON login_attempts (school_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES schools (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
) STRICT;
CREATE INDEX api_tokens_school ON api_tokens (school_id);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE oidc_providers (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES schools (id),
    name TEXT NOT NULL,
    issuer TEXT NOT NULL,
    client_id TEXT NOT NULL,
    client_secret BLOB NOT NULL,
    allowed_domain TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (school_id, issuer)
) STRICT;

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES schools (id),
    external_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('pupil', 'staff', 'parent')),
    legal_first TEXT NOT NULL,
    legal_last TEXT NOT NULL,
    preferred_first TEXT,
    year INTEGER CHECK (year BETWEEN -1 AND 13),
    reg_group TEXT,
    is_current INTEGER NOT NULL CHECK (is_current IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (school_id, external_id)
) STRICT;
CREATE INDEX people_school_name ON people (school_id, legal_last, legal_first);

CREATE TABLE parent_links (
    school_id TEXT NOT NULL REFERENCES schools (id),
    parent_id TEXT NOT NULL REFERENCES people (id),
    pupil_id TEXT NOT NULL REFERENCES people (id),
    relationship TEXT,
    PRIMARY KEY (parent_id, pupil_id)
) STRICT;
CREATE INDEX parent_links_pupil ON parent_links (pupil_id);
CREATE INDEX parent_links_school ON parent_links (school_id);

CREATE TABLE consent_uses (
    school_id TEXT NOT NULL REFERENCES schools (id),
    name TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (school_id, name)
) STRICT;

CREATE TABLE consents (
    school_id TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    use_name TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('granted', 'refused', 'withdrawn', 'expired')),
    source TEXT NOT NULL CHECK (source IN ('mis_import', 'paper_form', 'parent', 'staff')),
    by_actor TEXT NOT NULL,
    at INTEGER NOT NULL,
    expires_at INTEGER,
    PRIMARY KEY (person_id, use_name),
    FOREIGN KEY (school_id, use_name) REFERENCES consent_uses (school_id, name)
) STRICT;
CREATE INDEX consents_school_use ON consents (school_id, use_name);

CREATE TABLE channels (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES schools (id),
    kind TEXT NOT NULL CHECK (kind IN ('facebook_page', 'x_account', 'whatsapp_group', 'other')),
    name TEXT NOT NULL,
    handle TEXT NOT NULL,
    url TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'retired')),
    credentials BLOB,
    credentials_set_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (school_id, kind, handle)
) STRICT;

CREATE TABLE channel_grants (
    school_id TEXT NOT NULL REFERENCES schools (id),
    channel_id TEXT NOT NULL REFERENCES channels (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    may_post INTEGER NOT NULL CHECK (may_post IN (0, 1)),
    may_moderate INTEGER NOT NULL CHECK (may_moderate IN (0, 1)),
    granted_by TEXT NOT NULL,
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (channel_id, user_id)
) STRICT;
CREATE INDEX channel_grants_user ON channel_grants (user_id);
CREATE INDEX channel_grants_school ON channel_grants (school_id);

CREATE TABLE suggestions (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES schools (id),
    author_id TEXT NOT NULL REFERENCES users (id),
    text TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined')),
    created_at INTEGER NOT NULL,
    decided_by TEXT REFERENCES users (id),
    decided_at INTEGER,
    note TEXT
) STRICT;
CREATE INDEX suggestions_queue ON suggestions (school_id, status, created_at);
CREATE INDEX suggestions_author ON suggestions (author_id);
CREATE INDEX suggestions_decided_by ON suggestions (decided_by);

-- The audit chain. `detail` is JSON kept as text: the hash covers its exact bytes.
CREATE TABLE audit (
    school_id TEXT NOT NULL REFERENCES schools (id),
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    from_addr TEXT,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (school_id, seq)
) STRICT;
CREATE INDEX audit_object ON audit (school_id, object_kind, object_id);

-- The head of each school's chain, read and moved in the same transaction as each append, so two
-- server processes can never both append after the same entry.
CREATE TABLE audit_heads (
    school_id TEXT PRIMARY KEY REFERENCES schools (id),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
) STRICT;

CREATE TABLE idempotency_keys (
    school_id TEXT NOT NULL REFERENCES schools (id),
    key TEXT NOT NULL,
    response_sha256 TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (school_id, key)
) STRICT;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    school_id TEXT NOT NULL REFERENCES schools (id),
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    run_at INTEGER NOT NULL,
    lease_until INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX jobs_due ON jobs (kind, run_at);
CREATE INDEX jobs_school ON jobs (school_id);

-- tower-sessions' table, exactly as its SqliteStore creates it (not STRICT: the store binds the expiry
-- as text into an INTEGER column). Created here so it exists before any server takes a request.
CREATE TABLE IF NOT EXISTS tower_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    data BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
);
