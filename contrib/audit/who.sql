-- who: who changed what, and when.
-- Every step that was applied, newest first: when it committed, the
-- database role and the host that ran it, the migration, the step and
-- what it changed.
SELECT date_trunc('second', s.finished_at) AS applied_at,
       s.applied_by,
       s.client_host,
       s.migration_id,
       s.step,
       s.op,
       s.target,
       s.elapsed_ms
FROM _zanith_migration_steps s
WHERE s.status = 'done'
ORDER BY s.finished_at DESC, s.attempt_id DESC;
