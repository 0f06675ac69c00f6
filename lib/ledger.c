/* SPDX-License-Identifier: ISC */
/*
 * ledger.c: the tables zn-apply records into and zn-ledger reads
 * (zn-ledger(7)), created and upgraded by the tool itself, and the key
 * of the migration lock.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "zn.h"

/*
 * Version 1.  Every statement is idempotent: the whole script runs in
 * one transaction under the migration lock on every first connect of a
 * run that writes, and does nothing when the tables are there.  A later
 * version appends its upgrade to upgrades[] and raises ZN_LEDGER_VERSION.
 */
static const char ddl_v1[] =
"CREATE TABLE IF NOT EXISTS @._zanith_ledger (\n"
"  key text PRIMARY KEY,\n"
"  value text NOT NULL);\n"
"CREATE TABLE IF NOT EXISTS @._zanith_migrations (\n"
"  id text PRIMARY KEY,\n"
"  checksum text NOT NULL,\n"
"  from_hash text,\n"
"  to_hash text,\n"
"  applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),\n"
"  applied_by text NOT NULL DEFAULT current_user,\n"
"  client_host text,\n"
"  run_id text NOT NULL,\n"
"  steps integer NOT NULL,\n"
"  elapsed_ms bigint NOT NULL,\n"
"  risk_worst text,\n"
"  risk_max_score integer,\n"
"  out_of_order boolean NOT NULL DEFAULT false);\n"
"CREATE TABLE IF NOT EXISTS @._zanith_migration_steps (\n"
"  attempt_id bigserial PRIMARY KEY,\n"
"  run_id text NOT NULL,\n"
"  migration_id text NOT NULL,\n"
"  step integer NOT NULL,\n"
"  op text NOT NULL,\n"
"  target text NOT NULL,\n"
"  status text NOT NULL CHECK (status IN ('running', 'done', 'failed',\n"
"    'retried', 'interrupted', 'refused')),\n"
"  transactional boolean NOT NULL,\n"
"  sql text NOT NULL,\n"
"  sql_sha256 text NOT NULL,\n"
"  risk_level text,\n"
"  risk_score integer,\n"
"  risk_reasons text[],\n"
"  gate text,\n"
"  error text,\n"
"  sqlstate text,\n"
"  blockers jsonb,\n"
"  note text,\n"
"  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),\n"
"  finished_at timestamptz,\n"
"  elapsed_ms bigint,\n"
"  applied_by text NOT NULL DEFAULT current_user,\n"
"  backend_pid integer NOT NULL DEFAULT pg_backend_pid(),\n"
"  client_host text,\n"
"  tool_pid integer);\n"
"CREATE INDEX IF NOT EXISTS _zanith_migration_steps_step\n"
"  ON @._zanith_migration_steps (migration_id, step);\n"
"CREATE INDEX IF NOT EXISTS _zanith_migration_steps_started\n"
"  ON @._zanith_migration_steps (started_at);\n"
"CREATE TABLE IF NOT EXISTS @._zanith_schema_snapshots (\n"
"  id bigserial PRIMARY KEY,\n"
"  migration_id text NOT NULL,\n"
"  which text NOT NULL CHECK (which IN ('before', 'after')),\n"
"  run_id text NOT NULL,\n"
"  hash text NOT NULL,\n"
"  graph text NOT NULL,\n"
"  taken_at timestamptz NOT NULL DEFAULT clock_timestamp());\n"
"CREATE TABLE IF NOT EXISTS @._zanith_migration_artifacts (\n"
"  id bigserial PRIMARY KEY,\n"
"  migration_id text NOT NULL,\n"
"  step integer,\n"
"  kind text NOT NULL,\n"
"  object text NOT NULL,\n"
"  parked_as text,\n"
"  rows bigint,\n"
"  checksum text,\n"
"  detail jsonb,\n"
"  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),\n"
"  restored_at timestamptz,\n"
"  purged_at timestamptz);\n"
"CREATE TABLE IF NOT EXISTS @._zanith_migration_checkpoints (\n"
"  migration_id text NOT NULL,\n"
"  step integer NOT NULL,\n"
"  cursor text,\n"
"  rows_done bigint NOT NULL DEFAULT 0,\n"
"  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),\n"
"  PRIMARY KEY (migration_id, step));\n"
"CREATE TABLE IF NOT EXISTS @._zanith_events (\n"
"  id bigserial PRIMARY KEY,\n"
"  at timestamptz NOT NULL DEFAULT clock_timestamp(),\n"
"  actor text NOT NULL DEFAULT current_user,\n"
"  kind text NOT NULL,\n"
"  run_id text,\n"
"  migration_id text,\n"
"  step integer,\n"
"  reason text,\n"
"  detail jsonb);\n"
"CREATE OR REPLACE FUNCTION @._zanith_events_append_only()\n"
"  RETURNS trigger LANGUAGE plpgsql AS $zn$\n"
"BEGIN\n"
"  RAISE EXCEPTION 'the zanith event log is append-only';\n"
"END $zn$;\n"
"DO $zn$ BEGIN\n"
"  IF NOT EXISTS (SELECT FROM pg_trigger\n"
"      WHERE tgname = '_zanith_events_append_only'\n"
"      AND tgrelid = '@._zanith_events'::regclass) THEN\n"
"    CREATE TRIGGER _zanith_events_append_only\n"
"      BEFORE UPDATE OR DELETE OR TRUNCATE ON @._zanith_events\n"
"      FOR EACH STATEMENT\n"
"      EXECUTE FUNCTION @._zanith_events_append_only();\n"
"  END IF;\n"
"END $zn$;\n"
"INSERT INTO @._zanith_ledger (key, value) VALUES ('version', '1')\n"
"  ON CONFLICT (key) DO NOTHING;\n";

/*
 * Version 2: artifacts anyone can name, check and bring back
 * (zn-artifact(1)).  Each gets its id as users type it, where its data
 * came from and where it is now (by name, and by the OID of the
 * relation that holds it, which a rename or a move of schema keeps),
 * the SQL that restores it and what went with it, an expiry and a
 * status.  Rows of version 1 are filled in from what they recorded.
 */
static const char ddl_v2[] =
"ALTER TABLE @._zanith_migration_artifacts\n"
"  ADD COLUMN IF NOT EXISTS artifact_id text,\n"
"  ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'parked'\n"
"    CHECK (status IN ('parked', 'restored', 'purged')),\n"
"  ADD COLUMN IF NOT EXISTS src_schema text,\n"
"  ADD COLUMN IF NOT EXISTS src_name text,\n"
"  ADD COLUMN IF NOT EXISTS src_column text,\n"
"  ADD COLUMN IF NOT EXISTS park_schema text,\n"
"  ADD COLUMN IF NOT EXISTS park_name text,\n"
"  ADD COLUMN IF NOT EXISTS park_column text,\n"
"  ADD COLUMN IF NOT EXISTS relid oid,\n"
"  ADD COLUMN IF NOT EXISTS src_relid oid,\n"
"  ADD COLUMN IF NOT EXISTS column_info jsonb,\n"
"  ADD COLUMN IF NOT EXISTS went_with jsonb,\n"
"  ADD COLUMN IF NOT EXISTS recovery_sql text,\n"
"  ADD COLUMN IF NOT EXISTS purge_sql text,\n"
"  ADD COLUMN IF NOT EXISTS bytes bigint,\n"
"  ADD COLUMN IF NOT EXISTS checksum_at timestamptz,\n"
"  ADD COLUMN IF NOT EXISTS expires_at timestamptz;\n"
"UPDATE @._zanith_migration_artifacts SET\n"
"  artifact_id = coalesce(artifact_id,\n"
"    migration_id || '::' || kind || '::' || object),\n"
"  status = CASE WHEN purged_at IS NOT NULL THEN 'purged'\n"
"    WHEN restored_at IS NOT NULL THEN 'restored' ELSE 'parked' END,\n"
"  src_schema = detail->'args'->>'schema',\n"
"  src_name = coalesce(detail->'args'->>'table',\n"
"    detail->'args'->>'name'),\n"
"  src_column = CASE WHEN kind LIKE '%column'\n"
"    THEN detail->'args'->>'name' END,\n"
"  park_schema = CASE WHEN kind LIKE 'archive%' THEN '_zanith_archive'\n"
"    ELSE detail->'args'->>'schema' END,\n"
"  park_name = CASE WHEN kind LIKE 'archive%' THEN substr(parked_as, 17)\n"
"    WHEN kind = 'soft_drop_column' THEN detail->'args'->>'table'\n"
"    ELSE parked_as END,\n"
"  park_column = CASE WHEN kind = 'soft_drop_column' THEN parked_as\n"
"    WHEN kind = 'archive_column' THEN detail->'args'->>'name' END,\n"
"  recovery_sql = (SELECT string_agg(r, E';\\n') || ';' FROM\n"
"    jsonb_array_elements_text(detail->'reverse') r),\n"
"  expires_at = created_at + interval '30 days'\n"
"  WHERE artifact_id IS NULL;\n"
"CREATE INDEX IF NOT EXISTS _zanith_migration_artifacts_aid\n"
"  ON @._zanith_migration_artifacts (artifact_id);\n"
"CREATE INDEX IF NOT EXISTS _zanith_migration_artifacts_created\n"
"  ON @._zanith_migration_artifacts (created_at);\n"
"CREATE OR REPLACE FUNCTION @._zanith_artifact_holder(\n"
"    a @._zanith_migration_artifacts) RETURNS oid\n"
"  LANGUAGE sql STABLE AS $zn$\n"
"  SELECT hc.oid FROM (SELECT) z " ZN_ART_JOIN "\n"
"$zn$;\n"
"CREATE OR REPLACE FUNCTION @._zanith_artifact_status(\n"
"    a @._zanith_migration_artifacts) RETURNS text\n"
"  LANGUAGE sql STABLE AS $zn$\n"
"  SELECT " ZN_ART_STATUS " FROM (SELECT) z " ZN_ART_JOIN "\n"
"$zn$;\n";

static const char *const upgrades[ZN_LEDGER_VERSION] = { ddl_v1, ddl_v2 };

/* text with every @ replaced by the quoted schema. */
static char *
subst(const char *text, const char *schema)
{
	struct zn_buf b = ZN_BUF_INIT, q = ZN_BUF_INIT;
	const char *p;

	zn_pg_ident(&q, schema);
	for (p = text; *p != '\0'; p++)
		if (*p == '@')
			zn_buf_add(&b, q.buf, q.len);
		else
			zn_buf_addch(&b, *p);
	zn_buf_release(&q);
	return zn_buf_detach(&b);
}

char *
zn_ledger_sql(const char *text, const char *schema)
{
	return subst(text, schema);
}

int
zn_ledger_version(PGconn *conn, const char *schema)
{
	char *sql = subst("SELECT to_regclass(quote_ident($1) || "
	    "'._zanith_ledger') IS NOT NULL", schema);
	const char *params[1] = { schema };
	PGresult *r = zn_pg_exec(conn, "look for the ledger", sql, 1, params);
	int v = 0;

	free(sql);
	if (strcmp(PQgetvalue(r, 0, 0), "t") == 0) {
		PQclear(r);
		sql = subst("SELECT value FROM @._zanith_ledger WHERE key = "
		    "'version'", schema);
		r = zn_pg_exec(conn, "read the ledger version", sql, 0, NULL);
		free(sql);
		v = PQntuples(r) == 1 ? atoi(PQgetvalue(r, 0, 0)) : 0;
		if (v <= 0)
			zn_die(ZN_EXIT_RESOLVE, "the ledger in schema %s has "
			    "no readable version", schema);
	}
	PQclear(r);
	return v;
}

void
zn_ledger_ensure(PGconn *conn, const char *schema)
{
	int v = zn_ledger_version(conn, schema);
	char *sql;

	if (v > ZN_LEDGER_VERSION)
		zn_die(ZN_EXIT_RESOLVE, "the ledger in schema %s is version "
		    "%d, made by a newer zanith; this one knows %d", schema, v,
		    ZN_LEDGER_VERSION);
	if (v == ZN_LEDGER_VERSION)
		return;
	zn_pg_cmd(conn, "start the ledger", "BEGIN");
	/*
	 * Only a schema that is not there is made: CREATE SCHEMA IF NOT
	 * EXISTS needs CREATE on the database even when it exists, which
	 * the owner of a schema made for it need not have.
	 */
	if (strcmp(schema, "public") != 0) {
		const char *params[1] = { schema };
		PGresult *r = zn_pg_exec(conn, "look for the ledger schema",
		    "SELECT pg_catalog.to_regnamespace(pg_catalog.quote_ident("
		    "$1)) IS NULL", 1, params);
		int missing = strcmp(PQgetvalue(r, 0, 0), "t") == 0;

		PQclear(r);
		if (missing) {
			sql = subst("CREATE SCHEMA @", schema);
			zn_pg_cmd(conn, "create the ledger schema", sql);
			free(sql);
		}
	}
	for (; v < ZN_LEDGER_VERSION; v++) {
		sql = subst(upgrades[v], schema);
		zn_pg_cmd(conn, "create the ledger tables", sql);
		free(sql);
		if (v > 0) {
			char *up = subst("UPDATE @._zanith_ledger SET value = $1 "
			    "WHERE key = 'version'", schema);
			char num[16];
			const char *params[1] = { num };
			PGresult *r;

			snprintf(num, sizeof(num), "%d", v + 1);
			r = zn_pg_exec(conn, "upgrade the ledger", up, 1,
			    params);
			PQclear(r);
			free(up);
		}
	}
	zn_pg_cmd(conn, "create the ledger", "COMMIT");
}

long long
zn_ledger_lock_key(const char *schema)
{
	char sum[ZN_SHA256_STRLEN], *s = zn_xasprintf("zanith:%s", schema);
	unsigned long long k = 0;
	int i;

	zn_sha256(s, strlen(s), sum);
	free(s);
	/* The first 15 hex digits of the digest: a positive bigint. */
	for (i = 0; i < 15; i++) {
		char c = sum[7 + i];

		k = k * 16 + (unsigned long long)(c <= '9' ? c - '0' :
		    c - 'a' + 10);
	}
	return (long long)k;
}

/* ---- the state of migrations: the files (or a plan) against the ledger ---- */

static const char *const statenames[] = { "applied", "pending",
	"partly applied", "failed", "interrupted", "refused", "out of order",
	"changed", "file missing" };

const char *
zn_mstate_name(enum zn_mstate s)
{
	return statenames[s];
}

/* The migration of op i: its "migration" member, or the plan's own id. */
static const char *
opmigration(const struct zn_plan *p, size_t i, const char *adhoc)
{
	const char *id = p->ops[i].extra != NULL ?
	    zn_json_str(p->ops[i].extra, "migration") : NULL;

	return id != NULL ? id : adhoc;
}

int
zn_ledger_adhoc(const char *id)
{
	return strncmp(id, ZN_ADHOC_PREFIX, strlen(ZN_ADHOC_PREFIX)) == 0;
}

/*
 * A plan with no migration records is named by its ops alone: each op's
 * kind and the sum of its SQL, in order.  Not by the stream's checksum,
 * which a header, a classification or a timestamp changes: the same
 * change refused once and applied later keeps one id.
 */
static char *
adhocid(const struct zn_plan *p, const struct zn_lstate *st)
{
	struct zn_sha256 *h = zn_sha256_new();
	char sum[ZN_SHA256_STRLEN];
	size_t i;

	for (i = 0; i < p->n; i++) {
		zn_sha256_update(h, p->ops[i].op, strlen(p->ops[i].op));
		zn_sha256_update(h, " ", 1);
		zn_sha256_update(h, st->s[i].sum, strlen(st->s[i].sum));
		zn_sha256_update(h, "\n", 1);
	}
	zn_sha256_final(h, sum);
	/* sum is "sha256:" and the hex */
	return zn_xasprintf("%s%.16s", ZN_ADHOC_PREFIX, sum + 7);
}

void
zn_ledger_plan(struct zn_lstate *st, const struct zn_plan *p)
{
	size_t i, j;

	memset(st, 0, sizeof(*st));
	st->m = zn_xcalloc(p->n + 1, sizeof(*st->m));
	st->s = zn_xcalloc(p->n + 1, sizeof(*st->s));
	st->gone = zn_xcalloc(1, sizeof(*st->gone));
	for (i = 0; i < p->n; i++) {
		char *script = zn_op_script(&p->ops[i]);

		zn_sha256(script, strlen(script), st->s[i].sum);
		free(script);
		/* Parsed again when the step runs: not held for the plan. */
		zn_op_unload((struct zn_op *)&p->ops[i]);
	}
	st->adhoc = adhocid(p, st);
	for (i = 0; i < p->n; i++) {
		const char *id = opmigration(p, i, st->adhoc);

		for (j = 0; j < st->nm; j++)
			if (strcmp(st->m[j].id, id) == 0)
				break;
		if (j == st->nm) {
			st->m[j].id = id;
			st->m[j].first = i;
			st->nm++;
		} else if (st->m[j].first + st->m[j].n != i)
			zn_die(ZN_EXIT_DATAERR, "step %zu: migration %s's steps "
			    "are not together in the stream", i + 1, id);
		st->m[j].n++;
		st->s[i].mig = j;
		st->s[i].n = (int)st->m[j].n;
	}
	/*
	 * The migrations in the order of their records (a file without
	 * ops is one too), then those no record names.
	 */
	if (json_array_size(p->migrations) > 0) {
		struct zn_mig *ord = zn_xcalloc(st->nm + json_array_size(
		    p->migrations) + 1, sizeof(*ord));
		char *taken = zn_xcalloc(st->nm + 1, 1);
		const json_t *m;
		size_t n = 0;

		json_array_foreach(p->migrations, i, m) {
			const char *id = zn_json_str(m, "id");

			if (id == NULL)
				continue;
			for (j = 0; j < st->nm; j++)
				if (!taken[j] && strcmp(st->m[j].id, id) == 0)
					break;
			if (j < st->nm) {
				ord[n++] = st->m[j];
				taken[j] = 1;
			} else {
				ord[n].id = id;
				ord[n++].first = p->n;
			}
		}
		for (j = 0; j < st->nm; j++)
			if (!taken[j])
				ord[n++] = st->m[j];
		free(taken);
		free(st->m);
		st->m = ord;
		st->nm = n;
		for (j = 0; j < st->nm; j++)
			for (i = st->m[j].first; i < st->m[j].first +
			    st->m[j].n; i++)
				st->s[i].mig = j;
	}
	/* A migration's checksum: its record's, else the stream's. */
	for (j = 0; j < st->nm; j++) {
		const json_t *m;

		st->m[j].checksum = p->trailer != NULL ?
		    zn_json_str(p->trailer, "checksum") : NULL;
		json_array_foreach(p->migrations, i, m)
			if (zn_json_str(m, "id") != NULL &&
			    strcmp(zn_json_str(m, "id"), st->m[j].id) == 0 &&
			    zn_json_str(m, "checksum") != NULL)
				st->m[j].checksum = zn_json_str(m, "checksum");
		if (st->m[j].checksum == NULL)
			st->m[j].checksum = "";
	}
}

/* The first step of m whose SQL is not what the ledger says ran. */
static char *
changedstep(const struct zn_lstate *st, const struct zn_plan *p,
    const struct zn_mig *m)
{
	size_t i;

	for (i = m->first; i < m->first + m->n; i++)
		if (st->s[i].donesum != NULL && strcmp(st->s[i].donesum,
		    st->s[i].sum) != 0)
			return zn_xasprintf("step %d (%s): its SQL sums to %s, "
			    "applied as %s", st->s[i].n, p->ops[i].op,
			    st->s[i].sum, st->s[i].donesum);
	if (m->ledger_steps > (int)m->n)
		return zn_xasprintf("step %d is no longer there", (int)m->n + 1);
	if (m->applied && m->ledger_steps < (int)m->n)
		return zn_xasprintf("step %d was added", m->ledger_steps + 1);
	return zn_xstrdup("an op changed");
}

static void
decide(struct zn_lstate *st, const struct zn_plan *p, struct zn_mig *m)
{
	const char *ls = m->last_status;
	size_t i;
	int stepchanged = 0;

	for (i = m->first; i < m->first + m->n; i++)
		if (st->s[i].donesum != NULL && strcmp(st->s[i].donesum,
		    st->s[i].sum) != 0)
			stepchanged = 1;
	if (m->applied ? strcmp(m->applied_sum, m->checksum) != 0 :
	    stepchanged) {
		char *what = changedstep(st, p, m);

		m->state = ZN_MS_CHANGED;
		/*
		 * One sentence, whoever reports it: zn-apply after "migration
		 * ID (ID.yaml)", zn-ledger after the state and the id.
		 */
		if (m->applied)
			m->problem = zn_xasprintf("changed after it was applied "
			    "on %s: its checksum was %s and is now %s; %s",
			    m->applied_text, m->applied_sum, m->checksum, what);
		else
			m->problem = zn_xasprintf("changed after %d of its steps "
			    "were applied: %s", m->done, what);
		free(what);
		return;
	}
	if (m->applied)
		m->state = ZN_MS_APPLIED;
	else if (m->outoforder) {
		m->state = ZN_MS_OUTOFORDER;
		m->problem = zn_xasprintf("older than the newest applied "
		    "migration (%s)", st->maxid);
	} else if (ls != NULL && strcmp(ls, "refused") == 0)
		m->state = ZN_MS_REFUSED;
	else if (ls != NULL && (strcmp(ls, "running") == 0 ||
	    strcmp(ls, "interrupted") == 0))
		/* Left running: by a run killed there, or one running now. */
		m->state = ZN_MS_INTERRUPTED;
	else if (ls != NULL && strcmp(ls, "failed") == 0)
		m->state = ZN_MS_FAILED;
	else
		m->state = m->done > 0 || ls != NULL ? ZN_MS_PARTLY :
		    ZN_MS_PENDING;
}

void
zn_ledger_state(PGconn *conn, const char *schema, struct zn_lstate *st,
    const struct zn_plan *p, int iso)
{
	struct zn_buf ids = ZN_BUF_INIT;
	const char *params[1];
	PGresult *r;
	char *sql;
	size_t j, ng = 0;
	int k;

	if (zn_ledger_version(conn, schema) == 0) {
		for (j = 0; j < st->nm; j++)
			decide(st, p, &st->m[j]);
		return;
	}
	/* Both forms of the time: the one asked for, and one for people. */
	sql = zn_ledger_sql("SELECT id, checksum, to_char(applied_at AT TIME "
	    "ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
	    "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "
	    "\"UTC\"') FROM @._zanith_migrations ORDER BY id", schema);
	r = zn_pg_exec(conn, "read the applied migrations", sql, 0, NULL);
	free(sql);
	for (k = 0; k < PQntuples(r); k++) {
		const char *id = PQgetvalue(r, k, 0);

		for (j = 0; j < st->nm; j++)
			if (strcmp(st->m[j].id, id) == 0)
				break;
		/*
		 * A plan applied from a stream has no file: it is neither
		 * missing nor the newest migration that files are ordered
		 * by (zn-ledger(7), Ad hoc plans).
		 */
		if (!zn_ledger_adhoc(id)) {
			free(st->maxid);
			st->maxid = zn_xstrdup(id);
		}
		if (j == st->nm && zn_ledger_adhoc(id))
			continue;
		if (j == st->nm) {
			st->gone = zn_xreallocarray(st->gone, ng + 2,
			    sizeof(*st->gone));
			st->gone[ng].id = zn_xstrdup(id);
			st->gone[ng++].applied_at = zn_xstrdup(PQgetvalue(r, k,
			    iso ? 2 : 3));
			memset(&st->gone[ng], 0, sizeof(st->gone[ng]));
			st->ngone = ng;
			continue;
		}
		st->m[j].applied = 1;
		st->m[j].applied_sum = zn_xstrdup(PQgetvalue(r, k, 1));
		st->m[j].applied_at = zn_xstrdup(PQgetvalue(r, k, iso ? 2 : 3));
		st->m[j].applied_text = zn_xstrdup(PQgetvalue(r, k, 3));
	}
	PQclear(r);

	/* Of each step of these migrations: done, and its last attempt. */
	zn_buf_addch(&ids, '{');
	for (j = 0; j < st->nm; j++)
		zn_pg_array_add(&ids, st->m[j].id);
	zn_buf_addch(&ids, '}');
	params[0] = ids.buf;
	sql = zn_ledger_sql("SELECT migration_id, step, "
	    "bool_or(status = 'done'), "
	    "(array_agg(sql_sha256 ORDER BY attempt_id DESC) "
	    "  FILTER (WHERE status = 'done'))[1], "
	    "(array_agg(status ORDER BY attempt_id DESC))[1], "
	    "max(attempt_id), "
	    "(array_agg(transactional ORDER BY attempt_id DESC))[1], "
	    "(array_agg(concat_ws(': ', nullif(concat_ws(' ', gate, "
	    "sqlstate), ''), coalesce(error, note)) ORDER BY attempt_id "
	    "DESC))[1] "
	    "FROM @._zanith_migration_steps s WHERE migration_id = "
	    "ANY ($1::text[]) AND " ZN_LIVE_ATTEMPT " "
	    "GROUP BY 1, 2 ORDER BY 1, 2", schema);
	r = zn_pg_exec(conn, "read the steps", sql, 1, params);
	free(sql);
	zn_buf_release(&ids);
	for (k = 0; k < PQntuples(r); k++) {
		int n = atoi(PQgetvalue(r, k, 1)), done;
		struct zn_mig *m;

		for (j = 0; j < st->nm; j++)
			if (strcmp(st->m[j].id, PQgetvalue(r, k, 0)) == 0)
				break;
		if (j == st->nm)
			continue;
		m = &st->m[j];
		done = strcmp(PQgetvalue(r, k, 2), "t") == 0;
		if (done && n > m->ledger_steps)
			m->ledger_steps = n;
		if (n >= 1 && (size_t)n <= m->n) {
			struct zn_lstep *s = &st->s[m->first + (size_t)n - 1];

			s->done = done;
			if (done)
				s->donesum = zn_xstrdup(PQgetvalue(r, k, 3));
			else if (strcmp(PQgetvalue(r, k, 4), "running") == 0) {
				s->running = atoll(PQgetvalue(r, k, 5));
				s->runtx = strcmp(PQgetvalue(r, k, 6), "t") == 0;
			}
		}
		if (m->applied)
			continue;
		if (done) {
			m->done++;
			continue;
		}
		/* The first step not done that was tried speaks for it. */
		if (m->last_status != NULL)
			continue;
		m->last_step = n;
		m->last_status = zn_xstrdup(PQgetvalue(r, k, 4));
		m->last_why = zn_xstrdup(PQgetvalue(r, k, 7));
	}
	PQclear(r);
	for (j = 0; j < st->nm; j++) {
		st->m[j].outoforder = !st->m[j].applied && st->maxid != NULL &&
		    !zn_ledger_adhoc(st->m[j].id) &&
		    strcmp(st->m[j].id, st->maxid) < 0;
		decide(st, p, &st->m[j]);
	}
}

void
zn_lstate_release(struct zn_lstate *st, const struct zn_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(st->s[i].donesum);
	for (i = 0; i < st->nm; i++) {
		free(st->m[i].applied_sum);
		free(st->m[i].applied_at);
		free(st->m[i].applied_text);
		free(st->m[i].last_status);
		free(st->m[i].last_why);
		free(st->m[i].problem);
	}
	for (i = 0; i < st->ngone; i++) {
		free(st->gone[i].id);
		free(st->gone[i].applied_at);
	}
	free(st->gone);
	free(st->m);
	free(st->s);
	free(st->maxid);
	free(st->adhoc);
	memset(st, 0, sizeof(*st));
}

/* Whether target is obj or lies under it (schema.table.something). */
static int
under(const char *target, const char *obj)
{
	size_t n = strlen(obj);

	return strncmp(target, obj, n) == 0 && (target[n] == '\0' ||
	    target[n] == '.');
}

size_t
zn_ledger_drift(PGconn *conn, const char *schema,
    const struct zn_graph *now, struct zn_plan *d, char **since)
{
	struct zn_diff_opts o;
	struct zn_graph was;
	const char *params[1];
	PGresult *r, *rs;
	char *sql;
	size_t i, n;
	int k, v;

	memset(d, 0, sizeof(*d));
	*since = NULL;
	if (zn_ledger_version(conn, schema) == 0)
		return 0;
	sql = zn_ledger_sql("SELECT migration_id, hash, graph, taken_at "
	    "FROM @._zanith_schema_snapshots WHERE which = 'after' "
	    "ORDER BY id DESC LIMIT 1", schema);
	r = zn_pg_exec(conn, "read the newest after snapshot", sql, 0, NULL);
	free(sql);
	if (PQntuples(r) == 0 || strcmp(PQgetvalue(r, 0, 1), now->hash) == 0) {
		PQclear(r);
		return 0;
	}
	*since = zn_xstrdup(PQgetvalue(r, 0, 0));
	zn_graph_read_text(&was, "the ledger's newest after snapshot",
	    zn_xstrdup(PQgetvalue(r, 0, 2)), (size_t)PQgetlength(r, 0, 2));
	memset(&o, 0, sizeof(o));
	o.drop = ZN_DROP_DROP;
	zn_diff(d, &was, now, &o);
	zn_graph_release(&was);
	/*
	 * What was brought back since: the table, or the column, under the
	 * name it was restored as (a ledger of version 1 names none).
	 */
	params[0] = PQgetvalue(r, 0, 3);
	v = zn_ledger_version(conn, schema);
	sql = zn_ledger_sql(v < 2 ? "SELECT NULL WHERE false" :
	    "SELECT a.src_schema || '.' || CASE WHEN a.src_column IS NULL "
	    "THEN coalesce(e.detail->>'as', a.src_name) ELSE a.src_name || "
	    "'.' || coalesce(e.detail->>'as', a.src_column) END "
	    "FROM @._zanith_events e JOIN @._zanith_migration_artifacts a "
	    "ON a.artifact_id = e.detail->>'artifact' "
	    "WHERE e.kind = 'restore' AND e.at >= $1::timestamptz AND "
	    "a.src_schema IS NOT NULL AND a.src_name IS NOT NULL", schema);
	rs = zn_pg_exec(conn, "read the artifacts restored", sql, v < 2 ? 0 :
	    1, params);
	free(sql);
	PQclear(r);
	for (i = n = 0; i < d->n; i++) {
		const char *t = d->ops[i].target != NULL ? d->ops[i].target :
		    "";

		for (k = 0; k < PQntuples(rs); k++)
			if (under(t, PQgetvalue(rs, k, 0)))
				break;
		if (k < PQntuples(rs)) {
			zn_op_release(&d->ops[i]);
			continue;
		}
		if (n != i) {
			d->ops[n] = d->ops[i];
			memset(&d->ops[i], 0, sizeof(d->ops[i]));
		}
		n++;
	}
	d->n = n;
	PQclear(rs);
	return n;
}
