// Numbered schema migrations. Each runs once, in its own transaction together with its row in
// `schema_migrations`, so a crash leaves the database either before or after a migration, never half-way.
// Append new migrations at the end; never edit one that has shipped.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tables, drafts, versions, fixtures, logs, users, tokens',
    sql: `
      CREATE TABLE decision_tables (
        id          TEXT PRIMARY KEY,
        created_at  TEXT NOT NULL,
        created_by  TEXT NOT NULL
      ) STRICT;

      -- At most one draft per table; revision counts saves (optimistic concurrency through If-Match).
      CREATE TABLE drafts (
        table_id      TEXT PRIMARY KEY REFERENCES decision_tables(id) ON DELETE CASCADE,
        revision      INTEGER NOT NULL CHECK (revision >= 1),
        content       TEXT NOT NULL,               -- the draft table JSON
        fixtures      TEXT,                        -- fixture set changed inside the draft (DESIGN §7), or NULL
        base_version  INTEGER,                     -- version the draft started from
        status        TEXT NOT NULL DEFAULT 'editing' CHECK (status IN ('editing', 'submitted')),
        valid_from    TEXT,                        -- set on submit
        note          TEXT,                        -- set on submit
        created_at    TEXT NOT NULL,
        created_by    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        updated_by    TEXT NOT NULL,
        submitted_at  TEXT,
        submitted_by  TEXT
      ) STRICT;

      -- Everyone who saved the draft since the last version (four-eyes: none of them may approve).
      CREATE TABLE draft_editors (
        table_id  TEXT NOT NULL REFERENCES decision_tables(id) ON DELETE CASCADE,
        actor     TEXT NOT NULL,
        PRIMARY KEY (table_id, actor)
      ) STRICT;

      -- Immutable published versions. Triggers below refuse updates of content and deletes.
      CREATE TABLE versions (
        table_id      TEXT NOT NULL REFERENCES decision_tables(id),
        version       INTEGER NOT NULL CHECK (version >= 1),
        valid_from    TEXT NOT NULL,               -- ISO date
        published_at  TEXT NOT NULL,               -- ISO timestamp (UTC)
        author        TEXT NOT NULL,
        approved_by   TEXT,
        note          TEXT,
        hash          TEXT NOT NULL,               -- sha-256 hex of the canonical JSON of content
        content       TEXT NOT NULL,
        PRIMARY KEY (table_id, version)
      ) STRICT;
      CREATE TRIGGER versions_immutable BEFORE UPDATE OF table_id, version, valid_from, hash, content ON versions
        BEGIN SELECT RAISE(ABORT, 'published versions are immutable'); END;
      CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions
        BEGIN SELECT RAISE(ABORT, 'published versions are immutable'); END;

      -- The fixture set of a table (DESIGN §7), mutable; the file form is fixtures/<domain>/<table>.json.
      CREATE TABLE fixtures (
        table_id    TEXT PRIMARY KEY REFERENCES decision_tables(id) ON DELETE CASCADE,
        revision    INTEGER NOT NULL CHECK (revision >= 1),
        content     TEXT NOT NULL,
        hash        TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        updated_by  TEXT NOT NULL
      ) STRICT;

      -- Every evaluation (subject to the log mode), written in batches off the request path.
      CREATE TABLE evaluation_log (
        id            INTEGER PRIMARY KEY,
        table_id      TEXT NOT NULL,
        version       INTEGER NOT NULL,
        hash          TEXT NOT NULL,
        input         TEXT NOT NULL,
        output        TEXT,
        matched       TEXT NOT NULL,
        case_date     TEXT,
        as_of         TEXT,
        caller        TEXT,
        evaluated_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX evaluation_log_table_time ON evaluation_log (table_id, evaluated_at);
      CREATE INDEX evaluation_log_time ON evaluation_log (evaluated_at);

      -- Append-only audit trail; each entry carries the hash of the previous one (a chain).
      CREATE TABLE audit_log (
        id         INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        actor      TEXT NOT NULL,
        action     TEXT NOT NULL,
        table_id   TEXT,
        version    INTEGER,
        detail     TEXT NOT NULL,                 -- JSON
        prev_hash  TEXT NOT NULL,
        hash       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_table ON audit_log (table_id, id);
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

      -- Access control (filled by the access-control work; the schema is here so the store is complete).
      CREATE TABLE users (
        id             INTEGER PRIMARY KEY,
        username       TEXT NOT NULL UNIQUE,
        password_hash  TEXT NOT NULL,              -- scrypt$N$r$p$salt$hash
        roles          TEXT NOT NULL DEFAULT '[]', -- JSON array of viewer|editor|approver|tester|admin
        created_at     TEXT NOT NULL,
        disabled       INTEGER NOT NULL DEFAULT 0,
        failed_logins  INTEGER NOT NULL DEFAULT 0,
        locked_until   TEXT
      ) STRICT;

      CREATE TABLE sessions (
        id_hash     TEXT PRIMARY KEY,              -- sha-256 of the session cookie value
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf_token  TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        expires_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sessions_user ON sessions (user_id);

      CREATE TABLE api_tokens (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL,
        token_hash    TEXT NOT NULL UNIQUE,        -- sha-256 of the token; the token itself is shown once
        scopes        TEXT NOT NULL DEFAULT '[]',  -- JSON array of evaluate|fixtures:run
        created_at    TEXT NOT NULL,
        created_by    TEXT NOT NULL,
        last_used_at  TEXT,
        revoked_at    TEXT
      ) STRICT;

      CREATE TABLE settings (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
      ) STRICT;
    `,
  },
];
