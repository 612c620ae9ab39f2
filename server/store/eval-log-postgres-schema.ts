// The evaluation log on PostgreSQL, partitioned by month of `evaluated_at` (issue 21, "the evaluation log at scale"):
// a migration appended to the PostgreSQL migration list (migrations-postgres.ts). Why partitions: tens of millions
// of rows stay cheap to keep and to throw away. Retention drops whole months (DROP TABLE of a partition: no dead
// rows, no vacuum) and deletes rows only in the month the retention boundary falls in; impact and stats over a
// period read only the months it covers (partition pruning on the `evaluated_at` range they filter by).
//
// - `evaluated_at` stays TEXT, as on SQLite (ISO 8601 in UTC, so text order is time order), with COLLATE "C" so the
//   order is byte order whatever the database's locale is; the partition bounds are month texts ('2026-12' ≤ every
//   timestamp of December < '2027-01'). Input, output and matched stay TEXT too (not jsonb): the replay compares the
//   logged JSON text with the draft's without parsing it, which jsonb's rewriting would defeat.
// - Partitions are named evaluation_log_YYYY_MM and made on demand: the log writer calls beslis_log_partitions
//   for the months of the rows it is about to insert (it remembers which it has made) and the month after them
//   (made ahead, so the month's first rows seldom wait for the lock a new partition takes on the parent table).
//   No DEFAULT partition: a row in it would stop its month's partition from ever being made.
// - The primary key is (id, evaluated_at): PostgreSQL wants the partition key in every unique index; `id` comes
//   from one sequence for all partitions, so it stays unique by itself, and lookups by id alone use the key.
// - beslis_purge_log_partitions drops the partitions that end on or before the retention boundary. It waits at
//   most 200 ms for the lock on the parent table (a long impact run holds a shared one; while the drop waits, the
//   inserts queue behind it) and otherwise leaves them for the next purge, so a purge never holds the log's
//   inserts for long.

/** Migration: evaluation_log becomes a monthly range-partitioned table (existing rows kept, ids kept). */
export const PARTITIONED_EVALUATION_LOG = `
  ALTER TABLE evaluation_log RENAME TO evaluation_log_unpartitioned;

  CREATE SEQUENCE evaluation_log_ids AS BIGINT;
  CREATE TABLE evaluation_log (
    id            BIGINT NOT NULL DEFAULT nextval('evaluation_log_ids'),
    table_id      TEXT NOT NULL,
    version       INTEGER NOT NULL,
    hash          TEXT NOT NULL,
    input         TEXT NOT NULL,
    output        TEXT,
    matched       TEXT NOT NULL,
    case_date     TEXT,
    as_of         TEXT,
    caller        TEXT,
    evaluated_at  TEXT COLLATE "C" NOT NULL
  ) PARTITION BY RANGE (evaluated_at);
  ALTER SEQUENCE evaluation_log_ids OWNED BY evaluation_log.id;

  -- Creates the monthly partitions of \`needed\` (waiting for the lock if it must) and of \`ahead\` (only if the lock
  -- comes within 200 ms; otherwise a later call makes them). Months are 'YYYY-MM'. Serialised across nodes.
  CREATE FUNCTION beslis_log_partitions(needed TEXT[], ahead TEXT[] DEFAULT '{}') RETURNS INTEGER
  LANGUAGE plpgsql AS $fn$
  DECLARE
    m TEXT;
    made INTEGER := 0;
  BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('beslis_log_partitions'));
    FOREACH m IN ARRAY needed LOOP
      made := made + beslis_log_partition(m);
    END LOOP;
    FOREACH m IN ARRAY ahead LOOP
      BEGIN
        PERFORM set_config('lock_timeout', '200ms', true);
        made := made + beslis_log_partition(m);
      EXCEPTION WHEN lock_not_available THEN
        NULL; -- made by a later call
      END;
    END LOOP;
    PERFORM set_config('lock_timeout', '0', true);
    RETURN made;
  END
  $fn$;

  CREATE FUNCTION beslis_log_partition(m TEXT) RETURNS INTEGER
  LANGUAGE plpgsql AS $fn$
  DECLARE
    name TEXT;
  BEGIN
    IF m !~ '^[0-9]{4}-(0[1-9]|1[0-2])$' THEN
      RAISE EXCEPTION 'evaluation log partition: % is not a month (YYYY-MM)', m;
    END IF;
    name := 'evaluation_log_' || replace(m, '-', '_');
    IF to_regclass(name) IS NOT NULL THEN
      RETURN 0;
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF evaluation_log FOR VALUES FROM (%L) TO (%L)', name, m,
      to_char(to_date(m, 'YYYY-MM') + INTERVAL '1 month', 'YYYY-MM'));
    RETURN 1;
  END
  $fn$;

  -- Drops the partitions whose every row is older than \`before\` (an ISO timestamp); answers the rows they held.
  -- Gives up (keeping them for the next purge) when the parent's lock does not come within 200 ms.
  CREATE FUNCTION beslis_purge_log_partitions(before TEXT) RETURNS BIGINT
  LANGUAGE plpgsql AS $fn$
  DECLARE
    p RECORD;
    n BIGINT;
    names TEXT[] := '{}';
    t TEXT;
    total BIGINT := 0;
  BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('beslis_log_partitions'));
    FOR p IN
      SELECT c.relname, to_char(to_date(substr(c.relname, 16), 'YYYY_MM') + INTERVAL '1 month', 'YYYY-MM') AS upper
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'evaluation_log'::regclass AND c.relname ~ '^evaluation_log_[0-9]{4}_[0-9]{2}$'
      ORDER BY c.relname
    LOOP
      EXIT WHEN p.upper COLLATE "C" > before COLLATE "C";
      -- Counted before the lock, so inserts wait only for the drops.
      EXECUTE format('SELECT COUNT(*) FROM %I', p.relname) INTO n;
      names := names || p.relname::TEXT;
      total := total + n;
    END LOOP;
    IF cardinality(names) = 0 THEN
      RETURN 0;
    END IF;
    BEGIN
      PERFORM set_config('lock_timeout', '200ms', true);
      LOCK TABLE evaluation_log IN ACCESS EXCLUSIVE MODE;
      PERFORM set_config('lock_timeout', '0', true);
    EXCEPTION WHEN lock_not_available THEN
      RETURN 0; -- a long read holds the log: the next purge drops them
    END;
    FOREACH t IN ARRAY names LOOP
      EXECUTE format('DROP TABLE %I', t);
    END LOOP;
    RETURN total;
  END
  $fn$;

  -- The months that have rows, and this month and the next (so a fresh log inserts without making one).
  SELECT beslis_log_partitions(
    ARRAY(SELECT DISTINCT substr(evaluated_at, 1, 7) FROM evaluation_log_unpartitioned
          UNION SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM')
          UNION SELECT to_char((now() AT TIME ZONE 'UTC') + INTERVAL '1 month', 'YYYY-MM')));

  INSERT INTO evaluation_log (id, table_id, version, hash, input, output, matched, case_date, as_of, caller, evaluated_at)
    SELECT id, table_id, version, hash, input, output, matched, case_date, as_of, caller, evaluated_at
    FROM evaluation_log_unpartitioned;
  SELECT setval('evaluation_log_ids', GREATEST((SELECT MAX(id) FROM evaluation_log), 1), (SELECT MAX(id) FROM evaluation_log) IS NOT NULL);
  DROP TABLE evaluation_log_unpartitioned;

  -- The indexes SQLite has (on the parent: every partition, present and future, gets them).
  ALTER TABLE evaluation_log ADD PRIMARY KEY (id, evaluated_at);
  CREATE INDEX evaluation_log_table_time ON evaluation_log (table_id, evaluated_at);
  CREATE INDEX evaluation_log_time ON evaluation_log (evaluated_at);
  CREATE INDEX evaluation_log_table_id ON evaluation_log (table_id, id);
`;

/** Until pgstore's schema lands in tests of this module alone: the plain (unpartitioned) table the migration starts from. */
export const UNPARTITIONED_EVALUATION_LOG_FOR_TESTS = `
  CREATE TABLE evaluation_log (
    id BIGSERIAL PRIMARY KEY, table_id TEXT NOT NULL, version INTEGER NOT NULL, hash TEXT NOT NULL, input TEXT NOT NULL,
    output TEXT, matched TEXT NOT NULL, case_date TEXT, as_of TEXT, caller TEXT, evaluated_at TEXT NOT NULL
  );
  CREATE INDEX evaluation_log_table_time ON evaluation_log (table_id, evaluated_at);
  CREATE INDEX evaluation_log_time ON evaluation_log (evaluated_at);
`;
