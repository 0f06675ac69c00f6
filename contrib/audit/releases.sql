-- releases: what changed between releases.
-- Each applied migration in the order it was applied: the schema hash
-- before and after it (from the stored snapshots) and the changes it
-- made.  The graphs themselves are in _zanith_schema_snapshots; to see
-- the difference between two releases object by object:
--   zn-diff <(zn-ledger snapshot A) <(zn-ledger snapshot B)
SELECT m.id AS migration_id,
       date_trunc('second', m.applied_at) AS applied_at,
       (SELECT b.hash FROM _zanith_schema_snapshots b
        WHERE b.migration_id = m.id AND b.which = 'before'
        ORDER BY b.id LIMIT 1) AS schema_before,
       (SELECT a.hash FROM _zanith_schema_snapshots a
        WHERE a.migration_id = m.id AND a.which = 'after'
        ORDER BY a.id DESC LIMIT 1) AS schema_after,
       m.steps,
       (SELECT string_agg(concat_ws(' ', s.op, nullif(s.target, '')), ', '
                         ORDER BY s.step)
        FROM _zanith_migration_steps s
        WHERE s.migration_id = m.id AND s.status = 'done') AS changes
FROM _zanith_migrations m
ORDER BY m.applied_at, m.id;
