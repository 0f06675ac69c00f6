/* SPDX-License-Identifier: ISC */
/*
 * zn-shadow: rehearse an op stream on a throwaway database before it
 * reaches production (zn-shadow(1)).  Four stages: provision a shadow
 * (an ephemeral local cluster, a fresh database on a server a URL names,
 * or that database as it is); bring it to the schema the plan starts
 * from (the live schema read from production, a graph or declared
 * schema, or nothing); run the plan's steps with zn-apply's engine
 * (lib/apply.c), gates off, no lock and no ledger, watching what each
 * step really locks, rewrites and scans; then read the shadow back and
 * compare it with the plan's target.  Production is only read.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zn.h"

static const char usage[] =
"usage: zn-shadow [-C dir] [-d conninfo] [--baseline live|empty|FILE]\n"
"                 [--target FILE] [--shadow-url URL [--skip-provision]]\n"
"                 [--sample-rows N] [--keep] [--allow-version-mismatch]\n"
"                 [--json] [input]\n"
"\n"
"Rehearse an op stream (stdin or a file) on a throwaway database: build\n"
"the schema the plan starts from there, run every step with zn-apply's\n"
"engine (no lock, no ledger), watch what each step locks, rewrites and\n"
"scans, and compare the result with the plan's target.  On success the\n"
"stream is written again, marked verified.\n"
"\n"
"Options:\n"
"  -C, --directory=DIR          read DIR/zanith.yaml (default: .)\n"
"  -d, --dbname=CONNINFO        production, read only: its schema is the\n"
"                               baseline, its server version the shadow's\n"
"      --baseline=WHAT          live (with -d), empty, or a graph or a\n"
"                               declared schema (.sql, .yaml, directory)\n"
"      --target=FILE            the schema the plan must reach (default:\n"
"                               the plan's 'to' when it is a file)\n"
"      --shadow-url=URL         a server to make the shadow database on\n"
"                               (default: an ephemeral local cluster)\n"
"      --skip-provision         use --shadow-url's database as it is\n"
"      --sample-rows=N          copy up to N rows of each table from\n"
"                               production (with --baseline live)\n"
"      --keep                   keep the shadow and print how to reach it\n"
"      --allow-version-mismatch rehearse on another major version\n"
"      --json                   records even on a terminal\n"
"      --help                   show this help and exit\n"
"      --version                show the version and exit\n"
"\n"
"Exit: 0 ok (verified), 1 drift, a step failed, or the plan is blocked,\n"
"2 the shadow is unreachable or cannot be built, 4 the baseline is not\n"
"the schema the plan was made from, 64 usage, 65 bad input, 130 signal.\n"
"See zn-shadow(1).\n";

static const struct option longopts[] = {
	{ "allow-version-mismatch", no_argument, NULL, 'V' + 256 },
	{ "baseline", required_argument, NULL, 'b' + 256 },
	{ "complete", no_argument, NULL, 'c' + 256 },
	{ "dbname", required_argument, NULL, 'd' },
	{ "directory", required_argument, NULL, 'C' },
	{ "help", no_argument, NULL, 'h' + 256 },
	{ "json", no_argument, NULL, 'j' + 256 },
	{ "keep", no_argument, NULL, 'k' + 256 },
	{ "sample-rows", required_argument, NULL, 'r' + 256 },
	{ "shadow-url", required_argument, NULL, 'u' + 256 },
	{ "skip-provision", no_argument, NULL, 's' + 256 },
	{ "target", required_argument, NULL, 't' + 256 },
	{ "version", no_argument, NULL, 'v' + 256 },
	{ NULL, 0, NULL, 0 }
};

/* The mark a database zn-shadow made carries (COMMENT ON DATABASE). */
#define MARK "zn-shadow"

static volatile sig_atomic_t stopsig;

static void
onsignal(int sig)
{
	stopsig = sig;
}

struct ctx {
	/* options */
	const char *dbname, *baseline, *target, *url;
	const char *mondb;	/* the shadow database, for a second session */
	int baseline_given;
	char *cfgschema;	/* zanith.yaml's schema: as a path here */
	int skip, keep, mismatch, json, color;
	long samplerows;	/* --sample-rows, 0 for none */
	struct zn_config cfg;
	struct zn_snapshot_opts so;
	/* the run */
	struct zn_plan p;
	struct zn_scratch s;
	int scratch;		/* s is started */
	char *conninfo;		/* how to reach the shadow database */
	PGconn *conn;		/* the shadow */
	int major;		/* production's major version, 0 unknown */
	json_t **facts;		/* per op: what the shadow saw it do */
	json_t *tables;		/* the baseline's tables, name -> true */
	json_t *failed;		/* the step that failed, as a record */
	double t0;
};

/* ---- the plan's ends ---- */

/* The path of a plan end ("from", "to") when it is a file, else NULL. */
static const char *
endpath(const struct ctx *x, const char *end)
{
	const json_t *e = json_object_get(x->p.header, end);
	const char *type = zn_json_str(e, "type"), *path;
	struct stat st;

	if (type == NULL || (strcmp(type, "file") != 0 &&
	    strcmp(type, "declared") != 0))
		return NULL;
	path = zn_json_str(e, "path");
	if (path == NULL || stat(path, &st) != 0)
		return NULL;
	return path;
}

/* ---- provision ---- */

/*
 * Whether the shadow's database holds anything of its own: relations,
 * routines, types or schemas besides public.
 */
static int
holds(PGconn *conn)
{
	PGresult *r = zn_pg_exec(conn, "look into the shadow database",
	    "SELECT (SELECT count(*) FROM pg_catalog.pg_namespace n "
	    "  WHERE n.nspname <> 'public' AND n.nspname <> "
	    "  'information_schema' AND n.nspname !~ '^pg_') + "
	    "(SELECT count(*) FROM pg_catalog.pg_class c JOIN "
	    "  pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	    "  WHERE n.nspname = 'public') + "
	    "(SELECT count(*) FROM pg_catalog.pg_proc p JOIN "
	    "  pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
	    "  WHERE n.nspname = 'public') + "
	    "(SELECT count(*) FROM pg_catalog.pg_type t JOIN "
	    "  pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
	    "  WHERE n.nspname = 'public') + "
	    "(SELECT count(*) FROM pg_catalog.pg_extension e "
	    "  WHERE e.extname <> 'plpgsql')", 0, NULL);
	int n = atoi(PQgetvalue(r, 0, 0));

	PQclear(r);
	return n > 0;
}

static int
marked(PGconn *conn)
{
	PGresult *r = zn_pg_exec(conn, "look into the shadow database",
	    "SELECT pg_catalog.shobj_description(d.oid, 'pg_database') "
	    "FROM pg_catalog.pg_database d "
	    "WHERE d.datname = pg_catalog.current_database()", 0, NULL);
	int m = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), MARK) == 0;

	PQclear(r);
	return m;
}

static void
mark(PGconn *conn)
{
	struct zn_buf b = ZN_BUF_INIT;

	zn_buf_adds(&b, "COMMENT ON DATABASE ");
	zn_pg_ident(&b, PQdb(conn));
	zn_buf_adds(&b, " IS '" MARK "'");
	zn_pg_cmd(conn, "mark the shadow database", b.buf);
	zn_buf_release(&b);
}

/* The shadow's server runs production's major version, or is allowed. */
static void
sameversion(const struct ctx *x, PGconn *conn)
{
	int have = PQserverVersion(conn) / 10000;

	if (x->major == 0 || have == x->major || x->mismatch)
		return;
	PQfinish(conn);
	zn_die(ZN_EXIT_UNAVAILABLE, "the shadow runs PostgreSQL %d and "
	    "production %d: a rehearsal on another major version proves "
	    "little; rehearse anyway with --allow-version-mismatch", have,
	    x->major);
}

/*
 * --skip-provision: the database the URL names, as it is, when it holds
 * nothing or was made by zn-shadow (then it is made again, empty).
 * Anything else is never reset.
 */
static void
asis(struct ctx *x)
{
	PGconn *conn = zn_pg_connect_as(x->url, NULL, "the shadow server");
	char *db;

	sameversion(x, conn);
	if (!holds(conn)) {
		mark(conn);
		x->conn = conn;
		x->conninfo = zn_xstrdup(x->url);
		return;
	}
	if (!marked(conn)) {
		db = zn_xstrdup(PQdb(conn));
		PQfinish(conn);
		zn_die(ZN_EXIT_UNAVAILABLE, "the shadow database '%s' holds "
		    "objects and was not made by zn-shadow: it is never reset; "
		    "give an empty database, or leave out --skip-provision", db);
	}
	/* Ours, from an earlier rehearsal: made again, from template0. */
	{
		struct zn_buf b = ZN_BUF_INIT;
		PGconn *admin;

		db = zn_xstrdup(PQdb(conn));
		PQfinish(conn);
		admin = zn_pg_connect_as(x->url, "postgres",
		    "the shadow server");
		zn_buf_adds(&b, "DROP DATABASE ");
		zn_pg_ident(&b, db);
		zn_pg_cmd(admin, "reset the shadow database", b.buf);
		zn_buf_reset(&b);
		zn_buf_adds(&b, "CREATE DATABASE ");
		zn_pg_ident(&b, db);
		zn_buf_adds(&b, " TEMPLATE template0 ENCODING 'UTF8'");
		zn_pg_cmd(admin, "reset the shadow database", b.buf);
		zn_buf_release(&b);
		PQfinish(admin);
		x->conn = zn_pg_connect_as(x->url, db, "the shadow server");
		mark(x->conn);
		x->conninfo = zn_xstrdup(x->url);
		free(db);
	}
}

/* A local role for every role production has, so grants and policies
 * name roles that exist.  Cluster-wide: an ephemeral cluster only. */
static void
roles(struct ctx *x, PGconn *prod)
{
	PGresult *r;
	struct zn_buf b = ZN_BUF_INIT;
	int i;

	r = zn_pg_exec(prod, "read the roles", "SELECT r.rolname FROM "
	    "pg_catalog.pg_roles r WHERE r.rolname !~ '^pg_' ORDER BY 1", 0,
	    NULL);
	for (i = 0; i < PQntuples(r); i++) {
		const char *name = PQgetvalue(r, i, 0);
		const char *params[1] = { name };
		PGresult *e = zn_pg_exec(x->conn, "look for a role",
		    "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1", 1,
		    params);

		if (PQntuples(e) == 0) {
			zn_buf_reset(&b);
			zn_buf_adds(&b, "CREATE ROLE ");
			zn_pg_ident(&b, name);
			zn_buf_adds(&b, " NOLOGIN");
			zn_pg_cmd(x->conn, "make a role on the shadow", b.buf);
		}
		PQclear(e);
	}
	PQclear(r);
	zn_buf_release(&b);
}

/* ---- graphs ---- */

/* A graph or declared schema, read or built; decl: on the shadow's own
 * server (a local cluster) in database dbname, else by a scratch. */
static void
loadgraph(struct ctx *x, struct zn_graph *g, const char *path,
    const char *dbname)
{
	if (!zn_path_is_declared(path)) {
		zn_graph_read(g, path);
		return;
	}
	if (x->scratch && x->url == NULL) {
		PGconn *conn = zn_scratch_newdb(&x->s, dbname);
		json_t *renames = NULL;
		int complete;

		complete = zn_declared_load(conn, path, &renames);
		PQfinish(conn);
		conn = zn_scratch_connect(&x->s);
		zn_graph_from_db(g, conn, &x->so);
		PQfinish(conn);
		g->renames = renames;
		json_decref(g->source);
		g->source = zn_declared_source(path, complete);
		return;
	}
	zn_graph_from_declared(g, path, x->url != NULL ? x->url :
	    x->cfg.scratch, x->mismatch ? 0 : x->major, &x->so);
}

static void
shadowgraph(struct ctx *x, struct zn_graph *g)
{
	zn_graph_from_db(g, x->conn, &x->so);
}

/* ---- running plans on the shadow ---- */

struct run {
	struct ctx *x;
	int quiet;		/* the baseline's steps: told only on failure */
};

static void
event(void *arg, const struct zn_apply_event *e)
{
	struct run *r = arg;
	struct ctx *x = r->x;

	if (strcmp(e->status, "failed") == 0) {
		json_decref(x->failed);
		x->failed = json_pack("{s:s, s:s, s:s, s:I, s:i, s:s, s:s, "
		    "s:s, s:s?, s:s}", "kind", "shadow", "verdict",
		    "apply-failed", "migration", e->migration, "plan_step",
		    (json_int_t)e->plan_step, "step", e->step, "op", e->op,
		    "target", e->target, "sql", e->sql, "sqlstate",
		    e->sqlstate, "message", e->detail != NULL ? e->detail :
		    "");
		if (x->failed == NULL)
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
		return;
	}
}

static void
observed(void *arg, size_t i, json_t *facts)
{
	struct run *r = arg;

	if (r->quiet || r->x->facts == NULL || i >= r->x->p.n) {
		json_decref(facts);
		return;
	}
	json_decref(r->x->facts[i]);
	r->x->facts[i] = facts;
}

/* Runs plan p on the shadow; the engine's status. */
static int
rehearse(struct ctx *x, struct zn_plan *p, int quiet)
{
	struct zn_apply a;
	struct run r;
	int status;

	zn_apply_init(&a);
	r.x = x;
	r.quiet = quiet;
	a.shadow = 1;
	a.conn = x->conn;
	a.conninfo = x->conninfo;
	a.mondb = x->mondb;
	a.quiet = 1;
	a.event = event;
	a.observed = observed;
	a.arg = &r;
	a.stop = &stopsig;
	a.retries = 0;
	zn_apply_prepare(&a, p);
	status = zn_apply_run(&a);
	zn_apply_release(&a);
	return status;
}

/* The baseline's tables (and views, materialized or not), by name as
 * the observer writes them. */
static void
basetables(struct ctx *x)
{
	PGresult *r = zn_pg_exec(x->conn, "read the shadow's tables",
	    "SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) "
	    "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
	    "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm', "
	    "'v', 'f') AND n.nspname <> 'information_schema' "
	    "AND n.nspname !~ '^pg_'", 0, NULL);
	int i;

	x->tables = json_object();
	for (i = 0; i < PQntuples(r); i++)
		json_object_set_new(x->tables, PQgetvalue(r, i, 0),
		    json_true());
	PQclear(r);
}

/*
 * Brings the shadow to the baseline: a declared schema run as it is, or
 * a graph's objects made by zn-diff's plan from nothing.  Returns the
 * description the summary gives.
 */
static const char *
baseline(struct ctx *x, PGconn *prod)
{
	struct zn_graph g, empty, got;
	struct zn_plan p0;
	struct zn_diff_opts dopt;
	const char *b = x->baseline, *from = zn_json_str(x->p.header,
	    "from_hash");

	if (strcmp(b, "empty") == 0)
		return "empty";
	if (strcmp(b, "live") != 0 && zn_path_is_declared(b)) {
		(void)zn_declared_load(x->conn, b, NULL);
		return b;
	}
	if (strcmp(b, "live") == 0) {
		if (prod == NULL)
			zn_usage_error("--baseline live reads production: give "
			    "-d (or database: in zanith.yaml)");
		zn_graph_from_db(&g, prod, &x->so);
	} else
		zn_graph_read(&g, b);
	/* From what a new database has (public, plpgsql), not nothing. */
	shadowgraph(x, &empty);
	if (strcmp(g.hash, empty.hash) != 0) {
		memset(&dopt, 0, sizeof(dopt));
		dopt.drop = ZN_DROP_DROP;
		memset(&p0, 0, sizeof(p0));
		zn_diff(&p0, &empty, &g, &dopt);
		if (rehearse(x, &p0, 1) != ZN_EXIT_OK && !stopsig) {
			const char *m = zn_json_str(x->failed, "message");

			zn_die(ZN_EXIT_UNAVAILABLE, "the baseline could not be "
			    "built on the shadow: step %d (%s %s): %s",
			    (int)json_integer_value(json_object_get(x->failed,
			    "step")), zn_json_str(x->failed, "op"),
			    zn_json_str(x->failed, "target"), m != NULL ? m :
			    "");
		}
		zn_plan_release(&p0);
		if (stopsig) {
			zn_graph_release(&empty);
			zn_graph_release(&g);
			return b;
		}
		/* What was built must be what was read: else a defect. */
		shadowgraph(x, &got);
		if (strcmp(got.hash, g.hash) != 0)
			zn_die(ZN_EXIT_UNAVAILABLE, "internal error: the "
			    "baseline built on the shadow reads back as %s, "
			    "not %s", got.hash, g.hash);
		zn_graph_release(&got);
	}
	zn_graph_release(&empty);
	if (from != NULL && strcmp(g.hash, from) != 0 && strcmp(b, "live") ==
	    0) {
		zn_graph_release(&g);
		zn_die(ZN_EXIT_RESOLVE, "the live schema (production) is not "
		    "the one the plan was made from (%s): the plan is stale; "
		    "make it again", from);
	}
	zn_graph_release(&g);
	return strcmp(b, "live") == 0 ? "live" : b;
}

/* ---- rows from production ---- */

/* Streams one COPY from production into the shadow; 0 when it fails. */
static int
copyrows(struct ctx *x, PGconn *prod, const char *out, const char *in,
    const char *name)
{
	PGresult *r;
	char *buf;
	int n, ok = 1;
	struct zn_pgres e;

	r = PQexec(prod, out);
	if (PQresultStatus(r) != PGRES_COPY_OUT) {
		zn_pg_take(prod, &e, r);
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot read rows of %s from "
		    "production: %s", name, e.msg);
	}
	PQclear(r);
	r = PQexec(x->conn, in);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		zn_pg_take(x->conn, &e, r);
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot write rows of %s on the "
		    "shadow: %s", name, e.msg);
	}
	PQclear(r);
	/* Row by row: never a table in memory. */
	while ((n = PQgetCopyData(prod, &buf, 0)) > 0) {
		if (ok && PQputCopyData(x->conn, buf, n) != 1)
			ok = 0;
		PQfreemem(buf);
	}
	if (n == -2 || PQputCopyEnd(x->conn, ok ? NULL : "read failed") != 1)
		ok = 0;
	while ((r = PQgetResult(prod)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			zn_pg_take(prod, &e, r);
			zn_die(ZN_EXIT_UNAVAILABLE, "cannot read rows of %s "
			    "from production: %s", name, e.msg);
		}
		PQclear(r);
	}
	while ((r = PQgetResult(x->conn)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			zn_pg_take(x->conn, &e, r);
			zn_die(ZN_EXIT_UNAVAILABLE, "cannot write rows of %s on "
			    "the shadow: %s", name, e.msg);
		}
		PQclear(r);
	}
	return ok;
}

/*
 * --sample-rows N: up to N rows of every table (every leaf partition)
 * copied from production, read in one REPEATABLE READ, READ ONLY
 * transaction there, into the shadow with triggers and foreign keys off
 * (session_replication_role replica), so that a step that fails on
 * production's data fails on the shadow.  The columns are those the
 * shadow's table has, but generated ones.
 */
static void
sample(struct ctx *x, PGconn *prod)
{
	PGresult *t;
	struct zn_buf cols = ZN_BUF_INIT, out = ZN_BUF_INIT, in = ZN_BUF_INIT;
	int i;

	t = zn_pg_exec(x->conn, "list the shadow's tables",
	    "SELECT pg_catalog.format('%I.%I', n.nspname, c.relname), "
	    "(SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), "
	    "', ' ORDER BY a.attnum) FROM pg_catalog.pg_attribute a "
	    "WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
	    "AND a.attgenerated = '') FROM pg_catalog.pg_class c "
	    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	    "WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' "
	    "AND n.nspname !~ '^pg_' ORDER BY 1", 0, NULL);
	zn_pg_cmd(prod, "read production's rows",
	    "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
	zn_pg_cmd(x->conn, "copy rows into the shadow",
	    "SET session_replication_role = replica");
	for (i = 0; i < PQntuples(t) && !stopsig; i++) {
		const char *name = PQgetvalue(t, i, 0);

		if (PQgetisnull(t, i, 1))
			continue;
		zn_buf_reset(&cols);
		zn_buf_adds(&cols, PQgetvalue(t, i, 1));
		zn_buf_reset(&out);
		zn_buf_adds(&out, "COPY (SELECT ");
		zn_buf_adds(&out, cols.buf);
		zn_buf_adds(&out, " FROM ONLY ");
		zn_buf_adds(&out, name);
		zn_buf_addf(&out, " LIMIT %ld) TO STDOUT", x->samplerows);
		zn_buf_reset(&in);
		zn_buf_adds(&in, "COPY ");
		zn_buf_adds(&in, name);
		zn_buf_adds(&in, " (");
		zn_buf_adds(&in, cols.buf);
		zn_buf_adds(&in, ") FROM STDIN");
		if (!copyrows(x, prod, out.buf, in.buf, name))
			zn_die(ZN_EXIT_UNAVAILABLE, "the rows of %s could not "
			    "be copied to the shadow", name);
	}
	zn_pg_cmd(x->conn, "copy rows into the shadow",
	    "RESET session_replication_role");
	zn_pg_cmd(prod, "read production's rows", "COMMIT");
	PQclear(t);
	zn_buf_release(&cols);
	zn_buf_release(&out);
	zn_buf_release(&in);
}

/* ---- what was seen against what was predicted ---- */

static int
workrank(const char *w)
{
	if (w == NULL || strcmp(w, "none") == 0)
		return 0;
	if (strcmp(w, "scan") == 0)
		return 1;
	if (strcmp(w, "index_build") == 0)
		return 2;
	return 3;		/* rewrite, data_move */
}

/*
 * The facts seen on tables of the baseline (those a plan's prediction
 * covers: relations that exist before the plan) that are worse than
 * zn-classify's: a lock it did not name or named weaker, work heavier
 * than it said.  A new reference, or NULL when nothing is.
 */
static json_t *
unpredicted(const struct ctx *x, const json_t *risk, json_t *seen)
{
	const json_t *facts = json_object_get(risk, "facts"), *v, *w;
	const json_t *plocks = json_object_get(facts, "locks");
	json_t *out = json_array();
	size_t i, j;
	int prank = workrank(zn_json_str(facts, "work")), orank = 0;
	static const char *const lists[] = { "scans", "index_builds",
	    "rewrites" };

	if (out == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	json_array_foreach(json_object_get(seen, "locks"), i, v) {
		const char *rel = zn_json_str(v, "relation");
		const char *mode = zn_json_str(v, "mode");
		const char *pmode = NULL;

		if (json_object_get(x->tables, rel) == NULL)
			continue;
		json_array_foreach(plocks, j, w)
			if (zn_json_str(w, "relation") != NULL &&
			    strcmp(zn_json_str(w, "relation"), rel) == 0 &&
			    (pmode == NULL || zn_lock_rank(zn_json_str(w,
			    "mode")) > zn_lock_rank(pmode)))
				pmode = zn_json_str(w, "mode");
		/*
		 * ACCESS SHARE, ROW SHARE and ROW EXCLUSIVE conflict only
		 * with EXCLUSIVE and ACCESS EXCLUSIVE: seen, not surprises.
		 */
		if (zn_lock_rank(mode) < zn_lock_rank("SHARE UPDATE EXCLUSIVE"))
			continue;
		if (pmode == NULL || zn_lock_rank(mode) > zn_lock_rank(pmode))
			json_array_append_new(out, json_pack("{s:s, s:s, s:s, "
			    "s:s?}", "fact", "lock", "relation", rel,
			    "observed", mode, "predicted", pmode));
	}
	for (i = 0; i < 3; i++)
		json_array_foreach(json_object_get(seen, lists[i]), j, v)
			if (json_object_get(x->tables, json_string_value(v)) !=
			    NULL && (int)i + 1 > orank)
				orank = (int)i + 1;
	if (orank > prank) {
		static const char *const names[] = { "none", "scan",
		    "index_build", "rewrite" };

		json_array_append_new(out, json_pack("{s:s, s:s, s:s}",
		    "fact", "work", "observed", names[orank], "predicted",
		    names[prank]));
	}
	if (json_array_size(out) == 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/*
 * The op's risk with what the shadow saw: "observed", and where reality
 * was worse, "unpredicted" and a score raised to what was seen (a
 * rewrite: high, 60; ACCESS EXCLUSIVE: high, 48).  Returns whether the
 * op was unpredicted.
 */
static int
annotate(struct ctx *x, struct zn_op *op, json_t *seen)
{
	json_t *risk = zn_op_risk(op), *un = NULL;
	struct zn_buf b = ZN_BUF_INIT;
	struct zn_jw w;
	int classified = risk != NULL && zn_json_str(risk, "level") != NULL;

	if (risk == NULL && (risk = json_object()) == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	if (classified && (un = unpredicted(x, risk, seen)) != NULL) {
		const json_t *v;
		size_t i;
		int floor = 0, score = (int)json_integer_value(
		    json_object_get(risk, "score"));

		json_array_foreach(un, i, v) {
			const char *fact = zn_json_str(v, "fact");

			if (strcmp(fact, "work") == 0 && strcmp(zn_json_str(v,
			    "observed"), "rewrite") == 0 && floor < 60)
				floor = 60;
			if (strcmp(fact, "lock") == 0 && zn_lock_rank(
			    zn_json_str(v, "observed")) == 8 && floor < 48)
				floor = 48;
		}
		if (score < floor) {
			json_object_set_new(risk, "score", json_integer(floor));
			json_object_set_new(risk, "level", json_string(
			    zn_level_name(zn_level_of(floor))));
		}
		json_object_set(risk, "unpredicted", un);
	}
	json_object_set(risk, "observed", seen);
	zn_jw_init(&w, &b);
	zn_jw_json(&w, risk);
	free(op->risk);
	op->risk = zn_buf_detach(&b);
	json_decref(risk);
	json_decref(un);
	return un != NULL;
}

/* ---- the report ---- */

static void
say(const struct ctx *x, const char *text)
{
	if (!x->json)
		fputs(text, stdout);
}

static void
tell_failed(const struct ctx *x)
{
	const json_t *f = x->failed;

	if (x->json) {
		zn_json_emit(stdout, f);
		return;
	}
	printf("%s✗ apply-failed%s  step %d of ", x->color ? "\033[1;31m" :
	    "", x->color ? "\033[0m" : "", (int)json_integer_value(
	    json_object_get(f, "step")));
	zn_fputs_safe(zn_json_str(f, "migration"), stdout);
	printf(" (%s ", zn_json_str(f, "op"));
	zn_fputs_safe(zn_json_str(f, "target"), stdout);
	printf(")\n    ");
	zn_fputs_safe(zn_json_str(f, "message"), stdout);
	if (zn_json_str(f, "sqlstate") != NULL)
		printf(" (SQLSTATE %s)", zn_json_str(f, "sqlstate"));
	printf("\n    ");
	zn_fputs_safe(zn_json_str(f, "sql"), stdout);
	putchar('\n');
}

/* The steps, what each was seen doing, and any surprise, for people. */
static void
tell_steps(const struct ctx *x)
{
	size_t i, k;
	const json_t *v;

	for (i = 0; i < x->p.n; i++) {
		const json_t *f = x->facts != NULL ? x->facts[i] : NULL;
		json_t *risk = zn_op_risk(&x->p.ops[i]);
		const json_t *un = json_object_get(risk, "unpredicted");

		printf("%s%s%s %3zu %-20s %-8s", x->color ? (un != NULL ?
		    "\033[1;33m" : "\033[32m") : "", un != NULL ? "!" : "✓",
		    x->color ? "\033[0m" : "", i + 1, x->p.ops[i].op,
		    zn_json_str(risk, "level") != NULL ? zn_json_str(risk,
		    "level") : "-");
		if (f != NULL)
			printf(" %8.1f ms  %-11s", json_real_value(
			    json_object_get(f, "elapsed_ms")), zn_json_str(f,
			    "work"));
		fputs("  ", stdout);
		zn_fputs_safe(x->p.ops[i].target, stdout);
		putchar('\n');
		json_array_foreach(json_object_get(f, "locks"), k, v) {
			fputs("      ", stdout);
			fputs(zn_json_str(v, "mode"), stdout);
			fputs(" on ", stdout);
			zn_fputs_safe(zn_json_str(v, "relation"), stdout);
			putchar('\n');
		}
		json_array_foreach(un, k, v) {
			printf("      unpredicted %s: observed ",
			    zn_json_str(v, "fact"));
			zn_fputs_safe(zn_json_str(v, "observed"), stdout);
			if (zn_json_str(v, "relation") != NULL) {
				fputs(" on ", stdout);
				zn_fputs_safe(zn_json_str(v, "relation"),
				    stdout);
			}
			printf(", predicted %s\n", zn_json_str(v,
			    "predicted") != NULL ? zn_json_str(v,
			    "predicted") : "nothing");
		}
		json_decref(risk);
	}
}

/* ---- main ---- */

static void
cleanup(struct ctx *x)
{
	if (x->conn != NULL)
		PQfinish(x->conn);
	x->conn = NULL;
	if (!x->scratch)
		return;
	if (x->keep) {
		if (x->url != NULL)
			fprintf(stderr, "%s: kept the shadow database %s on "
			    "the shadow server\n", zn_progname, x->s.dbname);
		else
			fprintf(stderr, "%s: kept the shadow: psql \"host=%s "
			    "port=5432 user=postgres dbname=%s\"; stop it "
			    "with: pg_ctl -D %s/data stop\n", zn_progname,
			    x->s.dir, x->s.dbname, x->s.dir);
		zn_scratch_keep(&x->s);
	} else
		zn_scratch_stop(&x->s);
	x->scratch = 0;
}

/* A signal came: the shadow goes (or stays, --keep), status 130. */
static void
checkstop(struct ctx *x)
{
	if (!stopsig)
		return;
	cleanup(x);
	zn_warn("interrupted: the rehearsal stopped; nothing was verified");
	exit(zn_finish(ZN_EXIT_SIGNAL));
}

int
main(int argc, char *argv[])
{
	static struct ctx x;
	struct zn_graph after, target;
	struct sigaction sa;
	const char *input = "-", *verdict, *dir = NULL, *tpath, *to, *bdesc;
	char sum[ZN_SHA256_STRLEN];
	PGconn *prod = NULL;
	json_t *shadow, *un;
	size_t i;
	int ch, status, nun = 0, havetarget = 0;

	zn_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "C:d:", longopts, NULL)) != -1)
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'd':
			x.dbname = optarg;
			break;
		case 'V' + 256:
			x.mismatch = 1;
			break;
		case 'b' + 256:
			x.baseline = optarg;
			x.baseline_given = 1;
			break;
		case 'c' + 256:
			zn_complete(longopts);
		case 'h' + 256:
			fputs(usage, stdout);
			return zn_finish(ZN_EXIT_OK);
		case 'j' + 256:
			x.json = 1;
			break;
		case 'k' + 256:
			x.keep = 1;
			break;
		case 'u' + 256:
			x.url = optarg;
			break;
		case 'r' + 256: {
			char *end;

			errno = 0;
			x.samplerows = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    x.samplerows < 1)
				zn_usage_error("--sample-rows takes a number of "
				    "rows, at least 1, not '%s'", optarg);
			break;
		}
		case 's' + 256:
			x.skip = 1;
			break;
		case 't' + 256:
			x.target = optarg;
			break;
		case 'v' + 256:
			zn_version();
		default:
			fputs(usage, stderr);
			return ZN_EXIT_USAGE;
		}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		zn_usage_error("one input at most");
	if (argc == 1)
		input = argv[0];
	zn_config_load(&x.cfg, dir);
	if (x.url == NULL)
		x.url = x.cfg.shadow;
	/* zanith.yaml's sample, where the baseline is production. */
	if (x.samplerows == 0 && x.cfg.sample_rows > 0 && (x.baseline ==
	    NULL || strcmp(x.baseline, "live") == 0) && (x.dbname != NULL ||
	    x.cfg.database != NULL))
		x.samplerows = x.cfg.sample_rows;
	if (x.skip && x.url == NULL)
		zn_usage_error("--skip-provision uses the database --shadow-url "
		    "names: give one");
	if (x.samplerows > 0 && (x.baseline == NULL || strcmp(x.baseline,
	    "live") != 0) && x.dbname == NULL && x.cfg.database == NULL)
		zn_usage_error("--sample-rows copies rows from production: give "
		    "-d (the live baseline)");
	if (x.samplerows > 0 && x.baseline != NULL && strcmp(x.baseline,
	    "live") != 0)
		zn_usage_error("--sample-rows goes with --baseline live");
	if (x.keep && x.skip)
		zn_usage_error("--keep: a database used as it is stays anyway");
	x.json = x.json || !isatty(STDOUT_FILENO);
	x.color = !x.json && zn_term_color(stdout);
	x.so.schemas = (const char *const *)x.cfg.schemas;
	x.so.exclude_schemas = (const char *const *)x.cfg.exclude_schemas;
	x.so.ledger_schema = x.cfg.ledger_schema;
	x.t0 = zn_now_ms();

	/* A truncated or damaged input dies here: nothing has run. */
	zn_plan_read(&x.p, input);
	zn_plan_check(&x.p, strcmp(input, "-") != 0 ? input : "<stdin>");
	verdict = zn_json_str(x.p.trailer, "verdict");
	if (verdict != NULL && strcmp(verdict, "blocked") == 0) {
		if (x.json)
			zn_plan_write(&x.p, stdout, NULL);
		zn_warn("the plan is blocked by zn-classify's gates: not "
		    "rehearsed, and not verified");
		zn_plan_release(&x.p);
		zn_config_release(&x.cfg);
		return zn_finish(ZN_EXIT_NEGATIVE);
	}

	/* What to start from, and what to reach. */
	if (x.baseline == NULL) {
		const char *f = endpath(&x, "from");

		if (x.dbname != NULL || x.cfg.database != NULL)
			x.baseline = "live";
		else if (f != NULL)
			x.baseline = f;
		else
			/* Checked against from_hash once the shadow is up. */
			x.baseline = "empty";
	}
	tpath = x.target != NULL ? x.target : endpath(&x, "to");
	/* Migration files say where they go only with the declared schema. */
	if (tpath == NULL && zn_json_str(x.p.header, "to_hash") == NULL &&
	    x.cfg.schema != NULL)
		tpath = x.cfgschema = zn_config_path(&x.cfg, x.cfg.schema);
	to = zn_json_str(x.p.header, "to_hash");
	if (to == NULL && tpath == NULL)
		zn_usage_error("the plan names no schema to reach (no to_hash): "
		    "give --target");

	/* Production, read only: its version, its schema, its roles. */
	if (strcmp(x.baseline, "live") == 0) {
		prod = zn_pg_connect(zn_pg_target(x.dbname, &x.cfg));
		zn_pg_cancel_at_signal(prod);
		x.major = PQserverVersion(prod) / 10000;
	} else if (json_integer_value(json_object_get(x.p.header,
	    "server_version_num")) > 0)
		x.major = (int)(json_integer_value(json_object_get(x.p.header,
		    "server_version_num")) / 10000);

	/* provision */
	if (x.skip)
		asis(&x);
	else if (x.url != NULL) {
		PGconn *probe = zn_pg_connect_as(x.url, NULL,
		    "the shadow server");

		sameversion(&x, probe);
		PQfinish(probe);
		if (tpath != NULL) {
			loadgraph(&x, &target, tpath, NULL);
			havetarget = 1;
		}
		zn_scratch_prefix("zn_shadow");
		zn_scratch_start(&x.s, x.url, 0);
		x.scratch = 1;
		x.conn = zn_scratch_connect(&x.s);
		mark(x.conn);
		x.conninfo = zn_xstrdup(x.url);
		x.mondb = x.s.dbname;
	} else {
		zn_scratch_start(&x.s, NULL, x.mismatch ? 0 : x.major);
		x.scratch = 1;
		if (prod != NULL) {
			x.conn = zn_scratch_connect(&x.s);
			roles(&x, prod);
			PQfinish(x.conn);
			x.conn = NULL;
		}
		if (tpath != NULL) {
			loadgraph(&x, &target, tpath, "zn_target");
			havetarget = 1;
		}
		x.conn = zn_scratch_newdb(&x.s, "zn_shadow");
		mark(x.conn);
		x.conninfo = zn_xstrdup(x.s.conninfo);
		x.mondb = x.s.dbname;
	}
	if (x.skip && tpath != NULL) {
		loadgraph(&x, &target, tpath, NULL);
		havetarget = 1;
	}
	/*
	 * A local cluster goes with the process whatever ends it (scratch's
	 * own handler).  A database on a server is dropped by a connection,
	 * which no handler may open: a signal stops the rehearsal (its
	 * statement cancelled) and the database is dropped on the way out.
	 */
	if (!x.scratch || x.url != NULL) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = onsignal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
	}
	checkstop(&x);

	/* baseline */
	bdesc = baseline(&x, prod);
	checkstop(&x);
	if (x.samplerows > 0)
		sample(&x, prod);
	checkstop(&x);
	if (prod != NULL)
		PQfinish(prod);
	prod = NULL;
	if (strcmp(x.baseline, "live") != 0) {
		struct zn_graph got;
		const char *fh = zn_json_str(x.p.header, "from_hash");

		shadowgraph(&x, &got);
		if (fh != NULL && strcmp(got.hash, fh) != 0) {
			zn_graph_release(&got);
			cleanup(&x);
			zn_die(ZN_EXIT_RESOLVE, "the baseline (%s) is not the "
			    "schema the plan was made from (%s): the plan does "
			    "not start there%s", bdesc, fh, x.baseline_given ?
			    "" : "; give -d (production) or --baseline");
		}
		zn_graph_release(&got);
	}
	basetables(&x);

	/* apply */
	x.facts = zn_xcalloc(x.p.n + 1, sizeof(*x.facts));
	status = rehearse(&x, &x.p, 0);
	checkstop(&x);
	if (status != ZN_EXIT_OK) {
		if (x.failed == NULL)
			zn_die(ZN_EXIT_UNAVAILABLE, "the rehearsal stopped "
			    "(status %d) without naming a step", status);
		tell_failed(&x);
		zn_warn("apply-failed: step %d (%s) fails on the shadow; it "
		    "would fail in production too",
		    (int)json_integer_value(json_object_get(x.failed, "step")),
		    zn_json_str(x.failed, "op"));
		if (havetarget)
			zn_graph_release(&target);
		cleanup(&x);
		return zn_finish(ZN_EXIT_NEGATIVE);
	}

	/* introspect + diff */
	shadowgraph(&x, &after);
	checkstop(&x);
	if (to == NULL)
		to = havetarget ? target.hash : NULL;
	if (to != NULL && strcmp(after.hash, to) != 0) {
		json_t *rec = json_pack("{s:s, s:s, s:s, s:s}", "kind",
		    "shadow", "verdict", "drift", "reached", after.hash,
		    "target_hash", to);
		struct zn_plan rest;
		struct zn_diff_opts dopt;
		size_t n = 0;

		memset(&rest, 0, sizeof(rest));
		if (havetarget && strcmp(target.hash, to) == 0) {
			memset(&dopt, 0, sizeof(dopt));
			dopt.drop = ZN_DROP_DROP;
			zn_diff(&rest, &after, &target, &dopt);
			n = rest.n;
		}
		json_object_set_new(rec, "residual_ops", json_integer(
		    (json_int_t)n));
		if (x.json)
			zn_json_emit(stdout, rec);
		else {
			printf("%s✗ drift%s  the shadow did not reach the "
			    "plan's target: %zu residual op%s\n", x.color ?
			    "\033[1;31m" : "", x.color ? "\033[0m" : "", n,
			    n == 1 ? "" : "s");
		}
		for (i = 0; i < rest.n; i++) {
			json_t *d = json_pack("{s:s, s:s, s:s, s:O?}", "kind",
			    "drift", "op", rest.ops[i].op, "target",
			    rest.ops[i].target, "sql", zn_op_sql(&rest.ops[i]));

			if (x.json)
				zn_json_emit(stdout, d);
			else {
				printf("    %s ", rest.ops[i].op);
				zn_fputs_safe(rest.ops[i].target, stdout);
				putchar('\n');
			}
			json_decref(d);
		}
		if (!havetarget || strcmp(target.hash, to) != 0)
			zn_warn("drift: give --target (the schema the plan was "
			    "made for) to name what differs");
		else
			zn_warn("drift: %zu object%s differ%s from the plan's "
			    "target after a clean run", n, n == 1 ? "" : "s",
			    n == 1 ? "s" : "");
		json_decref(rec);
		zn_plan_release(&rest);
		zn_graph_release(&after);
		if (havetarget)
			zn_graph_release(&target);
		cleanup(&x);
		return zn_finish(ZN_EXIT_NEGATIVE);
	}

	/* ok: the stream again, each op with what was seen, verified. */
	un = json_array();
	for (i = 0; i < x.p.n; i++)
		if (x.facts[i] != NULL && annotate(&x, &x.p.ops[i],
		    x.facts[i])) {
			nun++;
			json_array_append_new(un, json_integer((json_int_t)i +
			    1));
		}
	zn_plan_sqlsum(&x.p, sum);
	shadow = json_pack("{s:s, s:s, s:s, s:f, s:i, s:s, s:o}", "verdict",
	    "ok", "reached", after.hash, "baseline", bdesc, "elapsed_ms",
	    (double)(long)((zn_now_ms() - x.t0) * 10) / 10,
	    "server_version_num", PQserverVersion(x.conn), "sql_sha256", sum,
	    "unpredicted", un);
	if (shadow == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	if (x.samplerows > 0)
		json_object_set_new(shadow, "sample_rows",
		    json_integer(x.samplerows));
	json_object_set_new(x.p.trailer, "verified", json_true());
	json_object_set_new(x.p.trailer, "shadow", shadow);
	if (x.json)
		zn_plan_write(&x.p, stdout, NULL);
	else {
		tell_steps(&x);
		printf("%s✓ ok%s  %zu step%s rehearsed, the shadow reached the "
		    "plan's target; %d unpredicted\n", x.color ? "\033[32m" :
		    "", x.color ? "\033[0m" : "", x.p.n, x.p.n == 1 ? "" : "s",
		    nun);
		say(&x, "(zn-shadow --json writes the verified stream)\n");
	}
	if (nun > 0)
		zn_warn("%d step%s did more than zn-classify predicted; their "
		    "scores are raised in the stream", nun, nun == 1 ? "" :
		    "s");
	zn_graph_release(&after);
	if (havetarget)
		zn_graph_release(&target);
	for (i = 0; i < x.p.n; i++)
		json_decref(x.facts[i]);
	free(x.facts);
	json_decref(x.tables);
	json_decref(x.failed);
	cleanup(&x);
	free(x.conninfo);
	free(x.cfgschema);
	zn_plan_release(&x.p);
	zn_config_release(&x.cfg);
	return zn_finish(ZN_EXIT_OK);
}
