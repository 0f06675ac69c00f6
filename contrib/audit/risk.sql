-- risk: each migration's risk profile.
-- For every migration with a step on record: its worst level and
-- highest score, and how many of its steps fall at each level, as
-- zn-classify rated them when they ran; newest first.
WITH last AS (
  SELECT DISTINCT ON (migration_id, step)
         migration_id, step, status, risk_level, risk_score, started_at
  FROM _zanith_migration_steps
  ORDER BY migration_id, step, attempt_id DESC
)
SELECT l.migration_id,
       date_trunc('second', m.applied_at) AS applied_at,
       count(*) AS steps,
       coalesce(m.risk_worst,
         (array_agg(l.risk_level ORDER BY array_position(ARRAY['safe',
           'low', 'medium', 'high', 'destructive', 'critical'],
           l.risk_level) DESC NULLS LAST))[1]) AS worst,
       max(l.risk_score) AS max_score,
       count(*) FILTER (WHERE l.risk_level = 'safe') AS safe,
       count(*) FILTER (WHERE l.risk_level = 'low') AS low,
       count(*) FILTER (WHERE l.risk_level = 'medium') AS medium,
       count(*) FILTER (WHERE l.risk_level = 'high') AS high,
       count(*) FILTER (WHERE l.risk_level IN ('destructive', 'critical'))
         AS destructive,
       count(*) FILTER (WHERE l.risk_level IS NULL) AS unrated,
       CASE WHEN m.id IS NOT NULL THEN 'applied'
            WHEN bool_or(l.status = 'refused') THEN 'refused'
            ELSE 'not applied' END AS state
FROM last l
LEFT JOIN _zanith_migrations m ON m.id = l.migration_id
GROUP BY l.migration_id, m.id, m.applied_at, m.risk_worst
ORDER BY coalesce(m.applied_at, max(l.started_at)) DESC, l.migration_id;
