-- failures: what failed this week, and why.
-- Every attempt of the last 7 days that did not go through: failed
-- (with the error and SQLSTATE the server gave), retried after a lock
-- timeout or a deadlock, interrupted by a signal or a crash, or refused
-- by a gate before anything ran; newest first.
SELECT date_trunc('second', s.started_at) AS started_at,
       s.migration_id,
       s.step,
       s.op,
       s.target,
       s.status,
       s.sqlstate,
       coalesce(s.gate || ': ', '') || coalesce(s.error, s.note, '') AS why
FROM _zanith_migration_steps s
WHERE s.status IN ('failed', 'retried', 'interrupted', 'refused')
  AND s.started_at > now() - interval '7 days'
ORDER BY s.started_at DESC, s.attempt_id DESC;
