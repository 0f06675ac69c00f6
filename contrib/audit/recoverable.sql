-- recoverable: what can still be brought back.
-- The data destructive steps parked instead of dropping (soft drops
-- and archives) that nobody has restored or purged, and that is still
-- where it was parked (status parked, or expired and not yet cleaned
-- up: zn-artifact(1)): what it was, where it is now, how many rows it
-- held and their digest; oldest first.  Data renamed or moved back by
-- hand is "missing" to _zanith_artifact_status and is not listed.
SELECT a.id,
       a.artifact_id,
       a.migration_id,
       a.step,
       a.kind AS artifact_type,
       a.object,
       a.parked_as,
       _zanith_artifact_status(a) AS status,
       a.rows,
       a.checksum,
       date_trunc('second', a.created_at) AS created_at,
       date_trunc('second', a.expires_at) AS expires_at
FROM _zanith_migration_artifacts a
WHERE _zanith_artifact_status(a) IN ('parked', 'expired')
ORDER BY a.created_at, a.id;
