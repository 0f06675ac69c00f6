-- recoverable: what can still be brought back.
-- The data destructive steps parked instead of dropping (soft drops
-- and archives) that nobody has restored or purged yet: what it was,
-- where it is now, and how many rows it held; oldest first.
SELECT a.id,
       a.migration_id,
       a.step,
       a.kind AS artifact_type,
       a.object,
       a.parked_as,
       a.rows,
       a.checksum,
       date_trunc('second', a.created_at) AS created_at
FROM _zanith_migration_artifacts a
WHERE a.restored_at IS NULL
  AND a.purged_at IS NULL
ORDER BY a.created_at, a.id;
