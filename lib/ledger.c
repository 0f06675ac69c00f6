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

static const char *const upgrades[ZN_LEDGER_VERSION] = { ddl_v1 };

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
	if (strcmp(schema, "public") != 0) {
		sql = subst("CREATE SCHEMA IF NOT EXISTS @", schema);
		zn_pg_cmd(conn, "create the ledger schema", sql);
		free(sql);
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
