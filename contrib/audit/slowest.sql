-- slowest: which op kinds take the longest.
-- Time per op kind over every step that was applied: how many ran, the
-- mean, the slowest and the total, slowest kind first.
SELECT s.op,
       count(*) AS runs,
       round(avg(s.elapsed_ms)) AS avg_ms,
       max(s.elapsed_ms) AS max_ms,
       sum(s.elapsed_ms) AS total_ms
FROM _zanith_migration_steps s
WHERE s.status = 'done'
GROUP BY s.op
ORDER BY avg(s.elapsed_ms) DESC, s.op;
