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
        fixtures      TEXT,                        -- fixture set changed inside the draft, or NULL
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

      -- The fixture set of a table (docs/contracts.md), mutable; the file form is fixtures/<domain>/<table>.json.
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
  {
    version: 2,
    name: 'four-eyes that holds: who set up each account, the review of a draft, imported versions, shared login throttle',
    sql: `
      -- Four-eyes looks at who set up the approver's account (a sock puppet of the author must not approve).
      ALTER TABLE users ADD COLUMN created_by TEXT;
      ALTER TABLE users ADD COLUMN password_set_by TEXT;
      ALTER TABLE users ADD COLUMN roles_set_by TEXT;
      -- A password set by someone else is temporary: the user chooses their own before anything else.
      ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
      UPDATE users SET created_by = (SELECT a.actor FROM audit_log a WHERE a.action = 'user.created'
        AND json_extract(a.detail, '$.username') = users.username ORDER BY a.id DESC LIMIT 1);
      UPDATE users SET password_set_by = COALESCE((SELECT a.actor FROM audit_log a WHERE a.action = 'user.updated'
        AND json_extract(a.detail, '$.username') = users.username AND json_extract(a.detail, '$.password') IS NOT NULL
        AND a.actor <> users.username ORDER BY a.id DESC LIMIT 1), created_by);
      UPDATE users SET roles_set_by = COALESCE((SELECT a.actor FROM audit_log a WHERE a.action = 'user.updated'
        AND json_extract(a.detail, '$.username') = users.username AND json_extract(a.detail, '$.roles') IS NOT NULL
        ORDER BY a.id DESC LIMIT 1), created_by);

      -- The review of a draft: what the gate said at submission (warnings, a back-dating reason), the last rejection.
      ALTER TABLE drafts ADD COLUMN submission TEXT;
      ALTER TABLE drafts ADD COLUMN rejected_at TEXT;
      ALTER TABLE drafts ADD COLUMN rejected_by TEXT;
      ALTER TABLE drafts ADD COLUMN rejection_reason TEXT;

      -- The conversation about a draft; it goes with the draft (every comment is also in the audit trail).
      CREATE TABLE draft_comments (
        id        INTEGER PRIMARY KEY,
        table_id  TEXT NOT NULL REFERENCES drafts(table_id) ON DELETE CASCADE,
        revision  INTEGER NOT NULL,
        at        TEXT NOT NULL,
        author    TEXT NOT NULL,
        text      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX draft_comments_table ON draft_comments (table_id, id);

      -- Who ran the import that brought a version in (NULL: approved here).
      ALTER TABLE versions ADD COLUMN imported_by TEXT;
      DROP TRIGGER versions_immutable;
      CREATE TRIGGER versions_immutable BEFORE UPDATE ON versions
        BEGIN SELECT RAISE(ABORT, 'published versions are immutable'); END;

      -- Login throttling shared by every worker: attempts being checked right now, and failures of unknown names.
      CREATE TABLE login_attempts (
        id          INTEGER PRIMARY KEY,
        username    TEXT NOT NULL,
        started_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX login_attempts_name ON login_attempts (username);
      CREATE TABLE login_name_failures (
        username      TEXT PRIMARY KEY,
        failures      INTEGER NOT NULL,
        locked_until  TEXT,
        updated_at    TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'archiving tables (four-eyes), browsing the evaluation log by table',
    sql: `
      -- An archive ends a table's timeline from valid_from on (server/engine/versions.ts archiveInForce); published
      -- like a version, after a second person approved the request, and as immutable.
      CREATE TABLE table_archives (
        id            INTEGER PRIMARY KEY,
        table_id      TEXT NOT NULL REFERENCES decision_tables(id),
        valid_from    TEXT NOT NULL,               -- ISO date: the first case date no longer answered
        published_at  TEXT NOT NULL,               -- ISO timestamp of the approval
        requested_by  TEXT NOT NULL,
        approved_by   TEXT NOT NULL,
        note          TEXT NOT NULL
      ) STRICT;
      CREATE INDEX table_archives_table ON table_archives (table_id, id);
      CREATE TRIGGER table_archives_immutable BEFORE UPDATE ON table_archives
        BEGIN SELECT RAISE(ABORT, 'archives are immutable'); END;
      CREATE TRIGGER table_archives_no_delete BEFORE DELETE ON table_archives
        BEGIN SELECT RAISE(ABORT, 'archives are immutable'); END;

      -- At most one pending request per table; AUTOINCREMENT so a request id (the revision an approver names) is never reused.
      CREATE TABLE archive_requests (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        table_id      TEXT NOT NULL UNIQUE REFERENCES decision_tables(id) ON DELETE CASCADE,
        valid_from    TEXT NOT NULL,
        note          TEXT NOT NULL,
        requested_at  TEXT NOT NULL,
        requested_by  TEXT NOT NULL
      ) STRICT;

      -- The decisions of one table, newest first, paged by id (GET …/decisions).
      CREATE INDEX evaluation_log_table_id ON evaluation_log (table_id, id);
    `,
  },
  {
    version: 4,
    // PostgreSQL's twin partitions the evaluation log by month (eval-log-postgres-schema.ts); SQLite keeps one
    // table (its purge deletes in chunks). Here so both databases count the same schema versions.
    name: 'the evaluation log partitioned by month (PostgreSQL; nothing on SQLite)',
    sql: 'SELECT 1;',
  },
];
