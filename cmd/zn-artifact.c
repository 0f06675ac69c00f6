/* SPDX-License-Identifier: ISC */
/*
 * zn-artifact: the data destructive steps parked instead of dropping
 * (zn-artifact(1), zn-ledger(7)): list it, inspect it, export its rows,
 * restore it with what went with it, purge it, and clean up what has
 * expired, from cron.  Every write runs under the migration lock and is
 * an event in the ledger.
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zn.h"

static const char usage[] =
"usage: zn-artifact [-C dir] [-d conninfo] [--ledger-schema name]\n"
"                   list [--status S] [--table T] [--migration ID]\n"
"                        [--json | --table-output]\n"
"       zn-artifact inspect ID [--json]\n"
"       zn-artifact export ID [--format csv|json|jsonl] [-o file]\n"
"       zn-artifact restore ID [--as name] [--reason text]\n"
"                           [--ignore-checksum] [--dry-run]\n"
"       zn-artifact restore-column TABLE.COLUMN [restore options]\n"
"       zn-artifact restore-table TABLE [restore options]\n"
"       zn-artifact purge ID [--reason text] [--dry-run]\n"
"       zn-artifact cleanup [--older-than N] [--all-ages] [--dry-run]\n"
"\n"
"The data destructive steps parked instead of dropping it: list it,\n"
"inspect it, export its rows, restore it with its indexes and\n"
"constraints, or purge it.  Restore checks the rows' digest first.\n"
"Writes run under the migration lock and are recorded as events.\n"
"\n"
"Options:\n"
"  -C, --directory=DIR       read DIR/zanith.yaml (default: .)\n"
"  -d, --dbname=CONNINFO     the database (a direct connection)\n"
"      --ledger-schema=NAME  the ledger's schema (default: public)\n"
"      --status=S            list: parked, expired, missing, restored or\n"
"                            purged\n"
"      --table=T             list: artifacts of table T (name or\n"
"                            schema.name)\n"
"      --migration=ID        list: artifacts of one migration\n"
"      --json                records, even on a terminal\n"
"      --table-output        a table, even through a pipe\n"
"      --format=F            export: csv (default), json or jsonl\n"
"  -o, --output=FILE         export: write FILE, not standard output\n"
"      --as=NAME             restore under another name\n"
"      --reason=TEXT         why, kept with the event\n"
"      --ignore-checksum     restore rows whose digest changed or was\n"
"                            never taken (the event says so)\n"
"      --batch-size=N        rows per fill transaction (5000)\n"
"      --older-than=N        cleanup: N days (30, 30d) or a duration\n"
"                            (12h, 90min)\n"
"      --all-ages            cleanup: past expiry or not\n"
"  -n, --dry-run             say what would be done; change nothing\n"
"      --lock-wait=DUR       wait for the migration lock (60s)\n"
"      --lock-timeout=DUR    each statement's lock_timeout (5s)\n"
"      --help                show this help and exit\n"
"      --version             show the version and exit\n"
"\n"
"ID: an artifact id (MIGRATION::TYPE::OBJECT), its number, its parked\n"
"name, or what it was (SCHEMA.TABLE[.COLUMN], TABLE[.COLUMN]: the newest).\n"
"Exit: 0 done (a restore or purge already done is a no-op), 1 refused:\n"
"no such artifact, a digest mismatch, a name taken, a statement failed;\n"
"2 cannot connect, 3 the lock is busy, 64 usage, 130 signal.\n"
"See zn-artifact(1).\n";

static const struct option longopts[] = {
	{ "all-ages", no_argument, NULL, 'A' + 256 },
	{ "as", required_argument, NULL, 'a' + 256 },
	{ "batch-size", required_argument, NULL, 'b' + 256 },
	{ "complete", no_argument, NULL, 'c' + 256 },
	{ "dbname", required_argument, NULL, 'd' },
	{ "directory", required_argument, NULL, 'C' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "format", required_argument, NULL, 'f' + 256 },
	{ "help", no_argument, NULL, 'h' + 256 },
	{ "ignore-checksum", no_argument, NULL, 'i' + 256 },
	{ "json", no_argument, NULL, 'j' + 256 },
	{ "ledger-schema", required_argument, NULL, 'L' + 256 },
	{ "lock-timeout", required_argument, NULL, 'T' + 256 },
	{ "lock-wait", required_argument, NULL, 'W' + 256 },
	{ "migration", required_argument, NULL, 'm' + 256 },
	{ "older-than", required_argument, NULL, 'O' + 256 },
	{ "output", required_argument, NULL, 'o' },
	{ "reason", required_argument, NULL, 'r' + 256 },
	{ "status", required_argument, NULL, 's' + 256 },
	{ "table", required_argument, NULL, 't' + 256 },
	{ "table-output", no_argument, NULL, 'X' + 256 },
	{ "version", no_argument, NULL, 'V' + 256 },
	{ NULL, 0, NULL, 0 }
};

struct ctx {
	struct zn_config cfg;
	const char *conninfo, *schema;
	PGconn *conn;
	struct zn_lock lock;
	int version;
	int json, tableout, dry, allages, ignoresum;
	const char *status, *table, *migration, *format, *output, *as;
	const char *reason, *olderthan;
	long lockwait, locktimeout, batch;
};

/* One artifact as the ledger and the catalog say it is now. */
struct art {
	char *id, *aid, *mig, *kind, *status, *object;
	char *ss, *sn, *sc;		/* where it came from */
	char *ps, *pn, *pc;		/* where it was parked */
	char *hs, *hn;			/* the relation holding it now */
	char *ts, *tn;			/* a column's table now */
	char *sum, *rows, *bytes, *recovery, *purge, *created, *expires;
	char *sumat, *hoid;
	json_t *info, *went;
	json_t *before;			/* a rebuilt table's definition */
	json_t *renamed;		/* a parked table's indexes: from, to */
};

static volatile sig_atomic_t stopsig;
static PGcancel *volatile cancelling;

/*
 * A signal stops the statement running (PQcancel is safe in a handler)
 * and is seen where the work checks: what is done stays done, and the
 * event log says a restore is under way.
 */
static void
onsignal(int sig)
{
	char err[64];

	(void)sig;
	stopsig = 1;
	if (cancelling != NULL)
		(void)PQcancel(cancelling, err, sizeof(err));
}

static char *
L(const struct ctx *x, const char *text)
{
	return zn_ledger_sql(text, x->schema);
}

/* A query that must work: status 2 and the server's words when not. */
static PGresult *
must(const struct ctx *x, const char *what, const char *text, int n,
    const char *const *params)
{
	char *sql = L(x, text);
	PGresult *r = zn_pg_exec(x->conn, what, sql, n, params);

	free(sql);
	return r;
}

static char *
dupv(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL :
	    zn_xstrdup(PQgetvalue(r, row, col));
}

static char *
qual(const char *schema, const char *name)
{
	struct zn_buf b = ZN_BUF_INIT;

	zn_pg_ident(&b, schema);
	zn_buf_addch(&b, '.');
	zn_pg_ident(&b, name);
	return zn_buf_detach(&b);
}

static char *
ident(const char *name)
{
	struct zn_buf b = ZN_BUF_INIT;

	zn_pg_ident(&b, name);
	return zn_buf_detach(&b);
}

static void
connect_ledger(struct ctx *x)
{
	x->conn = zn_pg_connect(x->conninfo);
	zn_pg_cancel_at_signal(x->conn);
	zn_pg_cmd(x->conn, "set up the session", "SET TimeZone = 'UTC'; "
	    "SET application_name = 'zn-artifact'; "
	    "SET client_min_messages = warning");
	x->version = zn_ledger_version(x->conn, x->schema);
	if (x->version > ZN_LEDGER_VERSION)
		zn_die(ZN_EXIT_RESOLVE, "the ledger in schema %s is version "
		    "%d, made by a newer zanith; this one knows %d", x->schema,
		    x->version, ZN_LEDGER_VERSION);
	zn_lock_init(&x->lock, x->conn, x->schema);
}

/* The migration lock, and a ledger of this version under it. */
static void
lock(struct ctx *x)
{
	zn_lock_nopooler(x->conn, x->conninfo, "zn-artifact");
	zn_lock_take(&x->lock, x->lockwait, &stopsig);
	if (x->version > 0 && x->version < ZN_LEDGER_VERSION) {
		zn_ledger_ensure(x->conn, x->schema);
		x->version = ZN_LEDGER_VERSION;
	}
}

/* A reader of an older ledger brings it up to date under the lock. */
static void
current(struct ctx *x)
{
	if (x->version > 0 && x->version < ZN_LEDGER_VERSION) {
		lock(x);
		zn_lock_release(&x->lock);
	}
}

/* ---- reading artifacts ---- */

#define ARTCOLS \
    "a.id::text, a.artifact_id, a.migration_id, a.kind, " \
    ZN_ART_STATUS ", a.object, a.src_schema, a.src_name, " \
    "a.src_column, a.park_schema, a.park_name, a.park_column, " \
    "hn.nspname, hc.relname, tn.nspname, tc.relname, a.checksum, " \
    "a.rows::text, a.bytes::text, a.recovery_sql, a.purge_sql, " \
    "pg_catalog.to_char(a.created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), " \
    "pg_catalog.to_char(a.expires_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), " \
    "a.column_info::text, a.went_with::text, " \
    "pg_catalog.to_char(a.checksum_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), " \
    "hc.oid::text, a.detail->'before', a.detail->'args'->'renamed' "
#define ARTFROM \
    "FROM @._zanith_migration_artifacts a " ZN_ART_JOIN \
    "LEFT JOIN pg_catalog.pg_class tr ON tr.oid = a.src_relid " \
    "LEFT JOIN (pg_catalog.pg_class tp JOIN pg_catalog.pg_namespace tpn " \
    "ON tpn.oid = tp.relnamespace) ON tr.oid IS NULL AND " \
    "a.kind LIKE '%column' AND tpn.nspname = a.src_schema AND " \
    "tp.relname = a.src_name " \
    "LEFT JOIN pg_catalog.pg_class tc ON a.kind LIKE '%column' AND " \
    "tc.oid = coalesce(tr.oid, tp.oid) " \
    "LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace "

static void
art_read(struct art *a, const PGresult *r, int i)
{
	char *s;

	memset(a, 0, sizeof(*a));
	a->id = dupv(r, i, 0);
	a->aid = dupv(r, i, 1);
	a->mig = dupv(r, i, 2);
	a->kind = dupv(r, i, 3);
	a->status = dupv(r, i, 4);
	a->object = dupv(r, i, 5);
	a->ss = dupv(r, i, 6);
	a->sn = dupv(r, i, 7);
	a->sc = dupv(r, i, 8);
	a->ps = dupv(r, i, 9);
	a->pn = dupv(r, i, 10);
	a->pc = dupv(r, i, 11);
	a->hs = dupv(r, i, 12);
	a->hn = dupv(r, i, 13);
	a->ts = dupv(r, i, 14);
	a->tn = dupv(r, i, 15);
	a->sum = dupv(r, i, 16);
	a->rows = dupv(r, i, 17);
	a->bytes = dupv(r, i, 18);
	a->recovery = dupv(r, i, 19);
	a->purge = dupv(r, i, 20);
	a->created = dupv(r, i, 21);
	a->expires = dupv(r, i, 22);
	s = dupv(r, i, 23);
	a->info = s != NULL ? json_loads(s, 0, NULL) : NULL;
	free(s);
	s = dupv(r, i, 24);
	a->went = s != NULL ? json_loads(s, 0, NULL) : NULL;
	free(s);
	a->sumat = dupv(r, i, 25);
	a->hoid = dupv(r, i, 26);
	s = dupv(r, i, 27);
	a->before = s != NULL ? json_loads(s, 0, NULL) : NULL;
	free(s);
	s = dupv(r, i, 28);
	a->renamed = s != NULL ? json_loads(s, 0, NULL) : NULL;
	free(s);
	if (a->info == NULL)
		a->info = json_object();
	if (a->went == NULL)
		a->went = json_array();
	if (a->info == NULL || a->went == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
}

static void
art_free(struct art *a)
{
	char **f[] = { &a->id, &a->aid, &a->mig, &a->kind, &a->status,
	    &a->object, &a->ss, &a->sn, &a->sc, &a->ps, &a->pn, &a->pc,
	    &a->hs, &a->hn, &a->ts, &a->tn, &a->sum, &a->rows, &a->bytes,
	    &a->recovery, &a->purge, &a->created, &a->expires, &a->sumat,
	    &a->hoid };
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		free(*f[i]);
	json_decref(a->info);
	json_decref(a->went);
	json_decref(a->before);
	json_decref(a->renamed);
	memset(a, 0, sizeof(*a));
}

/* Artifact number id, read again (after a change). */
static int
art_get(const struct ctx *x, const char *id, struct art *a)
{
	const char *params[1] = { id };
	PGresult *r = must(x, "read the artifact", "SELECT " ARTCOLS ARTFROM
	    "WHERE a.id = $1::bigint", 1, params);
	int ok = PQntuples(r) == 1;

	if (ok)
		art_read(a, r, 0);
	PQclear(r);
	return ok;
}

/* The artifact of a query's first row into *a; else dies, status 1. */
static void
art_first(const struct ctx *x, PGresult *r, const char *notfound,
    const char *name, struct art *a)
{
	char *id;

	if (PQntuples(r) == 0)
		zn_die(ZN_EXIT_NEGATIVE, "no %s '%s' (zn-artifact list shows "
		    "them)", notfound, name);
	id = zn_xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (!art_get(x, id, a))
		zn_die(ZN_EXIT_NEGATIVE, "no %s '%s'", notfound, name);
	free(id);
}

/*
 * The artifact a user names: its number, its id (the newest of that id),
 * or its parked name.  Dies with status 1 when there is none.
 */
static void
art_find(const struct ctx *x, const char *name, struct art *a)
{
	const char *params[1] = { name };
	PGresult *r;

	if (x->version == 0)
		zn_die(ZN_EXIT_NEGATIVE, "no artifact '%s': there is no ledger "
		    "in schema %s", name, x->schema);
	r = must(x, "find the artifact", "SELECT a.id::text FROM "
	    "@._zanith_migration_artifacts a WHERE a.artifact_id = $1 OR "
	    "a.id::text = $1 OR a.parked_as = $1 OR a.park_column = $1 OR "
	    "(a.kind NOT LIKE '%column' AND a.park_name = $1) OR "
	    "a.object = $1 OR a.src_name || '.' || a.src_column = $1 OR "
	    "(a.src_column IS NULL AND a.src_name = $1) "
	    "ORDER BY a.artifact_id = $1 DESC, a.id::text = $1 DESC, "
	    "a.status = 'parked' DESC, a.created_at DESC, a.id DESC "
	    "LIMIT 1", 1, params);
	art_first(x, r, "artifact", name, a);
}

/*
 * The newest artifact of a column (TABLE.COLUMN or SCHEMA.TABLE.COLUMN)
 * or a table, preferring one still parked.
 */
static void
art_by_name(const struct ctx *x, const char *name, int column, struct art *a)
{
	const char *params[1] = { name };
	PGresult *r;

	if (x->version == 0)
		zn_die(ZN_EXIT_NEGATIVE, "nothing parked as '%s': there is no "
		    "ledger in schema %s", name, x->schema);
	r = must(x, "find the artifact", column ?
	    "SELECT a.id::text FROM @._zanith_migration_artifacts a "
	    "WHERE a.kind LIKE '%column' AND (a.object = $1 OR "
	    "a.src_name || '.' || a.src_column = $1) "
	    "ORDER BY a.status = 'parked' DESC, a.created_at DESC, a.id DESC "
	    "LIMIT 1" :
	    "SELECT a.id::text FROM @._zanith_migration_artifacts a "
	    "WHERE a.kind IN ('soft_drop_table', 'archive_table') AND "
	    "(a.object = $1 OR a.src_name = $1) "
	    "ORDER BY a.status = 'parked' DESC, a.created_at DESC, a.id DESC "
	    "LIMIT 1", 1, params);
	art_first(x, r, column ? "parked column" : "parked table", name, a);
}

static int
iscolumn(const struct art *a)
{
	return strcmp(a->kind, "soft_drop_column") == 0 ||
	    strcmp(a->kind, "archive_column") == 0;
}

static int
istable(const struct art *a)
{
	return strcmp(a->kind, "soft_drop_table") == 0 ||
	    strcmp(a->kind, "archive_table") == 0;
}

/* Where the data is now, as people read it. */
static char *
location(const struct art *a)
{
	if (strcmp(a->status, "restored") == 0 ||
	    strcmp(a->status, "purged") == 0)
		return zn_xstrdup("-");
	if (a->hn == NULL)
		return a->ps != NULL && a->pn != NULL ? zn_xasprintf("%s.%s%s%s "
		    "(gone)", a->ps, a->pn, a->pc != NULL ? "." : "",
		    a->pc != NULL ? a->pc : "") : zn_xstrdup(a->pn != NULL ?
		    a->pn : "-");
	return zn_xasprintf("%s.%s%s%s", a->hs, a->hn, a->pc != NULL ? "." :
	    "", a->pc != NULL ? a->pc : "");
}

static void
jw_num(struct zn_jw *w, const char *s)
{
	if (s == NULL)
		zn_jw_null(w);
	else
		zn_jw_int(w, strtoll(s, NULL, 10));
}

static void
jw_place(struct zn_jw *w, const char *k, const char *schema,
    const char *name, const char *column)
{
	zn_jw_key(w, k);
	zn_jw_obj(w);
	zn_jw_key(w, "schema");
	zn_jw_str(w, schema);
	zn_jw_key(w, "name");
	zn_jw_str(w, name);
	zn_jw_key(w, "column");
	zn_jw_str(w, column);
	zn_jw_end(w, '}');
}

/*
 * Artifact a as a record (zn-artifact(1)) into w; went is its went_with
 * as the server writes JSON.
 */
static void
art_jw(struct zn_jw *w, const struct art *a, const char *went)
{
	char *loc = location(a);
	/* The members before source, in order; numbers marked so. */
	const struct {
		const char *key, *val;
		int num;
	} m[] = {
		{ "kind", "artifact", 0 }, { "id", a->aid, 0 },
		{ "number", a->id, 1 }, { "migration", a->mig, 0 },
		{ "artifact_type", a->kind, 0 }, { "status", a->status, 0 },
		{ "object", a->object, 0 }, { "parked_at", loc, 0 },
		{ "rows", a->rows, 1 }, { "bytes", a->bytes, 1 },
		{ "checksum", a->sum, 0 }, { "created_at", a->created, 0 },
		{ "expires_at", a->expires, 0 },
	};
	json_error_t e;
	json_t *v;
	size_t i;

	zn_jw_obj(w);
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		zn_jw_key(w, m[i].key);
		if (m[i].num)
			jw_num(w, m[i].val);
		else
			zn_jw_str(w, m[i].val);
	}
	jw_place(w, "source", a->ss, a->sn, a->sc);
	jw_place(w, "parked", a->ps, a->pn, a->pc);
	zn_jw_key(w, "went_with");
	if (went == NULL && a->went != NULL)
		zn_jw_json(w, a->went);
	else if (went == NULL || strcmp(went, "[]") == 0) {
		zn_jw_arr(w);
		zn_jw_end(w, ']');
	} else {
		if ((v = json_loads(went, 0, &e)) == NULL)
			zn_die(ZN_EXIT_UNAVAILABLE, "went_with of %s: %s",
			    a->aid, e.text);
		zn_jw_json(w, v);
		json_decref(v);
	}
	zn_jw_end(w, '}');
	free(loc);
}

static json_t *
jstr(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
jnum(const char *s)
{
	return s != NULL ? json_integer(strtoll(s, NULL, 10)) : json_null();
}

/* Artifact a (read with art_read) as a record to add to. */
static json_t *
art_json(const struct art *a)
{
	struct zn_buf b = ZN_BUF_INIT;
	struct zn_jw w;
	json_t *j;

	zn_jw_init(&w, &b);
	art_jw(&w, a, NULL);
	j = json_loadb(b.buf, b.len, 0, NULL);
	zn_buf_release(&b);
	if (j == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	return j;
}

static void
emit(json_t *rec)
{
	char *line = zn_json_line(rec);

	if (puts(line) == EOF)
		zn_die_write(stdout);
	free(line);
	json_decref(rec);
}

static const char *
size_text(const char *bytes, char *buf, size_t n)
{
	double b;
	const char *u[] = { "B", "kB", "MB", "GB", "TB" };
	int i = 0;

	if (bytes == NULL)
		return "-";
	b = strtod(bytes, NULL);
	while (b >= 1024 && i < 4) {
		b /= 1024;
		i++;
	}
	snprintf(buf, n, i == 0 ? "%.0f %s" : "%.1f %s", b, u[i]);
	return buf;
}

/* ---- list ---- */

/*
 * What list reads of each artifact, in the order of lfield and then
 * went_with, through
 * COPY: rows come as they are made, one buffer each, so ten thousand
 * artifacts cost neither a result held whole nor a query per row.
 */
#define LISTCOLS \
    "a.id, a.artifact_id, a.migration_id, a.kind, " ZN_ART_STATUS ", " \
    "a.object, a.src_schema, a.src_name, a.src_column, a.park_schema, " \
    "a.park_name, a.park_column, hn.nspname, hc.relname, a.checksum, " \
    "a.rows, a.bytes, a.created_at, a.expires_at, a.went_with "
#define LISTN 20

static char **
lfield(struct art *a, int i)
{
	char **f[LISTN - 1] = { &a->id, &a->aid, &a->mig, &a->kind,
	    &a->status, &a->object, &a->ss, &a->sn, &a->sc, &a->ps, &a->pn,
	    &a->pc, &a->hs, &a->hn, &a->sum, &a->rows, &a->bytes,
	    &a->created, &a->expires };

	return f[i];
}

/*
 * Splits a row of COPY's text format in place into n fields, undoing
 * its escapes; \N is NULL.  0 when the row does not have n fields.
 */
static int
copysplit(char *line, size_t len, char **f, int n)
{
	char *p = line, *e = line + len, *o;
	int i = 0;

	if (len > 0 && e[-1] == '\n')
		e--;
	for (;;) {
		f[i] = o = p;
		if (e - p >= 2 && p[0] == '\\' && p[1] == 'N' &&
		    (e - p == 2 || p[2] == '\t')) {
			f[i] = NULL;
			p += 2;
		} else {
			for (; p < e && *p != '\t'; p++) {
				if (*p != '\\' || p + 1 == e) {
					*o++ = *p;
					continue;
				}
				switch (*++p) {
				case 'b': *o++ = '\b'; break;
				case 'f': *o++ = '\f'; break;
				case 'n': *o++ = '\n'; break;
				case 'r': *o++ = '\r'; break;
				case 't': *o++ = '\t'; break;
				case 'v': *o++ = '\v'; break;
				default: *o++ = *p; break;
				}
			}
			*o = '\0';
		}
		if (++i == n || p == e)
			return i == n && p == e;
		p++;
	}
}

/* An ISO timestamp of the server's (UTC) as YYYY-MM-DDTHH:MM:SSZ. */
static void
isotime(char *s)
{
	char *sp, *end;

	if (s == NULL || (sp = strchr(s, ' ')) == NULL || strlen(sp) < 9)
		return;
	*sp = 'T';
	end = sp + 9;
	end[0] = 'Z';
	end[1] = '\0';
}

/* Result r of a COPY, which must have status want, let go; else dies. */
static void
copyneed(const struct ctx *x, PGresult *r, ExecStatusType want,
    const char *what)
{
	struct zn_pgres e;

	if (PQresultStatus(r) == want) {
		PQclear(r);
		return;
	}
	memset(&e, 0, sizeof(e));
	zn_pg_take(x->conn, &e, r);
	zn_die(ZN_EXIT_UNAVAILABLE, "cannot %s: %s", what, e.msg);
}

/* Starts COPY ... TO STDOUT sql, to what ("export X"), or dies. */
static void
copystart(const struct ctx *x, const char *sql, const char *what)
{
	copyneed(x, PQexec(x->conn, sql), PGRES_COPY_OUT, what);
}

/* The end of a COPY whose last PQgetCopyData gave n: dies unless done. */
static void
copyend(const struct ctx *x, int n, const char *what)
{
	PGresult *r;

	if (n == -2)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot %s: it broke off: %s",
		    what, PQerrorMessage(x->conn));
	copyneed(x, PQgetResult(x->conn), PGRES_COMMAND_OK, what);
	while ((r = PQgetResult(x->conn)) != NULL)
		PQclear(r);
}

/* A row of list's COPY: its buffer and its fields in it. */
struct lrow {
	char *line;
	char *f[LISTN];
};

/*
 * Newest first: created_at (the server's ISO text in UTC, whose byte
 * order is time order), then the number, both descending.
 */
static int
newestfirst(const void *pa, const void *pb)
{
	const struct lrow *a = pa, *b = pb;
	const char *ca = a->f[17] != NULL ? a->f[17] : "";
	const char *cb = b->f[17] != NULL ? b->f[17] : "";
	size_t la = strlen(a->f[0]), lb = strlen(b->f[0]);
	int c = strcmp(cb, ca);

	if (c != 0)
		return c;
	if (la != lb)
		return la < lb ? 1 : -1;
	return strcmp(b->f[0], a->f[0]);
}

static int
list(struct ctx *x)
{
	struct zn_buf w = ZN_BUF_INIT, out = ZN_BUF_INIT;
	struct zn_table *t = NULL;
	const char *const filter[3] = { x->status, x->table, x->migration };
	const char *const clause[3] = { " = " ZN_ART_STATUS,
	    " IN (a.src_name, a.src_schema || '.' || a.src_name)",
	    " = a.migration_id" };
	struct lrow *rows = NULL;
	size_t nrows = 0, crows = 0, k;
	char *sql;
	long long count;
	int i, n;

	if (x->status != NULL && strcmp(x->status, "parked") != 0 &&
	    strcmp(x->status, "expired") != 0 &&
	    strcmp(x->status, "missing") != 0 &&
	    strcmp(x->status, "restored") != 0 &&
	    strcmp(x->status, "purged") != 0)
		zn_usage_error("--status: parked, expired, missing, restored "
		    "or purged, not '%s'", x->status);
	if (x->version == 0) {
		if (!x->json && (x->tableout || zn_term_isatty(stdout)))
			puts("(0 artifacts)");
		return ZN_EXIT_OK;
	}
	current(x);
	/* The schema first: @ in a filter's value is the value's own. */
	sql = L(x, "COPY (SELECT " LISTCOLS
	    "FROM @._zanith_migration_artifacts a " ZN_ART_JOIN "WHERE true");
	zn_buf_adds(&w, sql);
	free(sql);
	for (i = 0; i < 3; i++) {
		if (filter[i] == NULL)
			continue;
		zn_buf_adds(&w, " AND ");
		zn_pg_literal(&w, filter[i]);
		zn_buf_adds(&w, clause[i]);
	}
	zn_buf_adds(&w, ") TO STDOUT");
	sql = zn_buf_detach(&w);
	copystart(x, sql, "list the artifacts");
	free(sql);
	if (!x->json && (x->tableout || zn_term_isatty(stdout))) {
		t = zn_table_new(8);
		zn_table_row(t, "ID", "STATUS", "OBJECT", "PARKED AS", "ROWS",
		    "SIZE", "CREATED", "EXPIRES");
	}
	/*
	 * Every row first, sorted here: the server's sort of the joined
	 * rows cost more than the rest of its work, and nothing could be
	 * written before it ended anyway.
	 */
	for (;;) {
		char *line = NULL;

		if ((n = PQgetCopyData(x->conn, &line, 0)) < 0)
			break;
		if (nrows == crows) {
			crows = crows ? crows * 2 : 64;
			rows = zn_xreallocarray(rows, crows, sizeof(*rows));
		}
		rows[nrows].line = line;
		if (!copysplit(line, (size_t)n, rows[nrows++].f, LISTN))
			zn_die(ZN_EXIT_UNAVAILABLE, "cannot list the "
			    "artifacts: a row of %d bytes is not %d fields",
			    n, LISTN);
	}
	copyend(x, n, "list the artifacts");
	if (nrows > 1)
		qsort(rows, nrows, sizeof(*rows), newestfirst);
	for (k = 0; k < nrows; k++) {
		struct art a;
		char *loc, sz[32], **f = rows[k].f;

		memset(&a, 0, sizeof(a));
		for (i = 0; i < LISTN - 1; i++)
			*lfield(&a, i) = f[i];
		isotime(a.created);
		isotime(a.expires);
		if (t != NULL) {
			loc = location(&a);
			zn_table_row(t, a.aid, a.status, a.object, loc,
			    a.rows != NULL ? a.rows : "-",
			    size_text(a.bytes, sz, sizeof(sz)),
			    a.created != NULL ? a.created : "-",
			    a.expires != NULL ? a.expires : "-");
			free(loc);
		} else {
			struct zn_jw jw;

			zn_buf_reset(&out);
			zn_jw_init(&jw, &out);
			art_jw(&jw, &a, f[LISTN - 1]);
			zn_buf_addch(&out, '\n');
			if (fwrite(out.buf, 1, out.len, stdout) != out.len)
				zn_die_write(stdout);
		}
		PQfreemem(rows[k].line);
	}
	free(rows);
	zn_buf_release(&out);
	count = (long long)nrows;
	if (t != NULL) {
		zn_table_print(t, stdout);
		zn_table_free(t);
		printf("(%lld artifact%s)\n", count, count == 1 ? "" : "s");
	}
	if (fflush(stdout) != 0)
		zn_die_write(stdout);
	return ZN_EXIT_OK;
}

/* ---- the digest ---- */

/*
 * The digest of an artifact's rows as they are now, into *now (NULL
 * when it has no rows to digest or they are gone).  0 on a failure,
 * told.
 */
static int
digest_now(const struct ctx *x, const struct art *a,
    struct zn_artifact_sum *now)
{
	struct zn_pgres e;
	const char *col;

	memset(now, 0, sizeof(*now));
	if (!zn_artifact_has_rows(a->kind) || a->hn == NULL)
		return 1;
	col = a->pc;
	if (!zn_artifact_digest(x->conn, a->kind, a->hs, a->hn, col,
	    json_object_get(a->info, "key"), a->sum, now, &e)) {
		zn_warn("cannot digest the rows of %s: %s", a->aid, e.msg);
		zn_pgres_clear(&e);
		return 0;
	}
	return 1;
}

/* ---- inspect ---- */

static int
inspect(struct ctx *x, const char *name)
{
	struct art a;
	struct zn_artifact_sum now;
	json_t *j;
	int ok;

	current(x);
	art_find(x, name, &a);
	ok = digest_now(x, &a, &now);
	j = art_json(&a);
	json_object_set_new(j, "kind", json_string("artifact_detail"));
	json_object_set_new(j, "checksum_now", jstr(now.digest));
	json_object_set_new(j, "rows_now", jnum(now.rows));
	json_object_set_new(j, "checksum_matches", now.digest == NULL ||
	    a.sum == NULL ? json_null() : json_boolean(strcmp(now.digest,
	    a.sum) == 0));
	json_object_set_new(j, "checksum_at", jstr(a.sumat));
	json_object_set_new(j, "recovery_sql", jstr(a.recovery));
	json_object_set_new(j, "purge_sql", jstr(a.purge));
	json_object_set_new(j, "column", json_incref(a.info));
	if (a.before != NULL)
		json_object_set_new(j, "definition_before",
		    json_incref(a.before));
	if (x->json || !zn_term_isatty(stdout))
		emit(j);
	else {
		const json_t *v;
		size_t i, k;
		char sz[32], *loc = location(&a);

		printf("id:           %s\n", a.aid);
		printf("number:       %s\n", a.id);
		printf("status:       %s\n", a.status);
		printf("type:         %s\n", a.kind);
		printf("object:       %s\n", a.object);
		printf("parked as:    %s\n", loc);
		printf("migration:    %s\n", a.mig);
		printf("created:      %s\n", a.created != NULL ? a.created : "-");
		printf("expires:      %s\n", a.expires != NULL ? a.expires : "-");
		printf("rows:         %s (now %s)\n", a.rows != NULL ? a.rows :
		    "-", now.rows != NULL ? now.rows : "-");
		printf("size:         %s\n", size_text(now.bytes != NULL ?
		    now.bytes : a.bytes, sz, sizeof(sz)));
		printf("checksum:     %s\n", a.sum != NULL ? a.sum :
		    "(none recorded)");
		printf("checksum now: %s%s\n", now.digest != NULL ? now.digest :
		    "-", now.digest != NULL && a.sum != NULL ?
		    (strcmp(now.digest, a.sum) == 0 ? " (matches)" :
		    " (CHANGED)") : "");
		printf("recovery SQL:\n%s", a.recovery != NULL ? a.recovery :
		    "-\n");
		if (a.before != NULL) {
			char *line = zn_json_line(a.before);

			printf("definition before the rebuild:\n%s\n", line);
			free(line);
		}
		if (json_array_size(a.went) > 0) {
			printf("went with it:\n");
			json_array_foreach(a.went, i, v) {
				const json_t *s;

				json_array_foreach(json_object_get(v, "sql"),
				    k, s)
					printf("%s;\n", json_string_value(s));
			}
		}
		free(loc);
		json_decref(j);
	}
	zn_artifact_sum_release(&now);
	art_free(&a);
	if (fflush(stdout) != 0)
		zn_die_write(stdout);
	return ok ? ZN_EXIT_OK : ZN_EXIT_UNAVAILABLE;
}

/* ---- export ---- */

static int
export(struct ctx *x, const char *name)
{
	struct art a;
	struct zn_buf q = ZN_BUF_INIT;
	const json_t *k;
	size_t i;
	char *rel, *buf, *what;
	FILE *out = stdout;
	int n, first = 1, fmt;
	long long rows = 0;

	fmt = x->format == NULL || strcmp(x->format, "csv") == 0 ? 'c' :
	    strcmp(x->format, "json") == 0 ? 'j' :
	    strcmp(x->format, "jsonl") == 0 ? 'l' : 0;
	if (fmt == 0)
		zn_usage_error("--format: csv, json or jsonl, not '%s'",
		    x->format);
	current(x);
	art_find(x, name, &a);
	if (!zn_artifact_has_rows(a.kind))
		zn_die(ZN_EXIT_NEGATIVE, "%s parks no rows: a %s has none to "
		    "export", a.aid, a.kind);
	if (a.hn == NULL || (strcmp(a.kind, "soft_drop_column") == 0 &&
	    strcmp(a.status, "restored") == 0))
		zn_die(ZN_EXIT_NEGATIVE, "%s: its rows are no longer parked "
		    "(status %s)", a.aid, a.status);
	rel = qual(a.hs, a.hn);
	/*
	 * A soft-dropped column's rows are its table's key and the value,
	 * under the column's own name; the rest are their relation's rows.
	 */
	if (fmt != 'c')
		zn_buf_adds(&q, "SELECT pg_catalog.row_to_json(t) FROM (");
	zn_buf_adds(&q, "SELECT ");
	if (strcmp(a.kind, "soft_drop_column") == 0) {
		json_array_foreach(json_object_get(a.info, "key"), i, k) {
			zn_pg_ident(&q, json_string_value(k));
			zn_buf_adds(&q, ", ");
		}
		zn_pg_ident(&q, a.pc);
		zn_buf_adds(&q, " AS ");
		zn_pg_ident(&q, a.sc);
		zn_buf_adds(&q, " FROM ");
		zn_buf_adds(&q, rel);
		zn_buf_adds(&q, " WHERE ");
		zn_pg_ident(&q, a.pc);
		zn_buf_adds(&q, " IS NOT NULL");
	} else {
		zn_buf_adds(&q, "* FROM ");
		zn_buf_adds(&q, rel);
	}
	if (fmt != 'c')
		zn_buf_adds(&q, ") t");
	/* JSON as it is: CSV whose quote and delimiter never occur in it. */
	buf = zn_xasprintf("COPY (%s) TO STDOUT WITH (FORMAT csv%s)", q.buf,
	    fmt == 'c' ? ", HEADER" : ", QUOTE E'\\x01', DELIMITER E'\\x02'");
	zn_buf_release(&q);
	free(rel);
	if (x->output != NULL && strcmp(x->output, "-") != 0 &&
	    (out = fopen(x->output, "w")) == NULL)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot write %s", x->output);
	zn_pg_cmd(x->conn, "start the export", "BEGIN ISOLATION LEVEL "
	    "REPEATABLE READ READ ONLY");
	what = zn_xasprintf("export %s", a.aid);
	copystart(x, buf, what);
	free(buf);
	if (fmt == 'j' && fputs("[", out) == EOF)
		zn_die_write(out);
	for (;;) {
		char *line = NULL;

		n = PQgetCopyData(x->conn, &line, 0);
		if (n < 0)
			break;
		if (fmt == 'j') {
			if (fputs(first ? "\n" : ",\n", out) == EOF ||
			    fwrite(line, 1, (size_t)n - 1, out) != (size_t)n - 1)
				zn_die_write(out);
		} else if (fwrite(line, 1, (size_t)n, out) != (size_t)n)
			zn_die_write(out);
		first = 0;
		rows++;
		PQfreemem(line);
	}
	copyend(x, n, what);
	free(what);
	zn_pg_cmd(x->conn, "end the export", "COMMIT");
	if (fmt == 'j' && fputs(first ? "]\n" : "\n]\n", out) == EOF)
		zn_die_write(out);
	if (fflush(out) != 0 || (out != stdout && fclose(out) != 0))
		zn_die_write(out);
	if (fmt == 'c' && rows > 0)
		rows--;			/* the header */
	if (zn_term_isatty(stderr))
		fprintf(stderr, "zn-artifact: %lld row%s of %s\n", rows,
		    rows == 1 ? "" : "s", a.aid);
	art_free(&a);
	return ZN_EXIT_OK;
}

/* ---- writing ---- */

/*
 * Runs sql (params, or several statements when n is 0) with the lock
 * timeout, retrying a lock timeout or a deadlock a few times.  1 when
 * it worked; else the failure is in *e.
 */
static int
run(const struct ctx *x, const char *sql, int n, const char *const *params,
    struct zn_pgres *e)
{
	char set[96];
	int tries;

	snprintf(set, sizeof(set), "SET lock_timeout = %ld", x->locktimeout);
	for (tries = 0;; tries++) {
		memset(e, 0, sizeof(*e));
		if (!zn_pg_try_script(x->conn, e, set))
			return 0;
		zn_pgres_clear(e);
		if (n == 0 ? zn_pg_try_script(x->conn, e, sql) :
		    zn_pg_try(x->conn, e, sql, n, params))
			return 1;
		if (PQtransactionStatus(x->conn) != PQTRANS_IDLE) {
			PGresult *r = PQexec(x->conn, "ROLLBACK");

			PQclear(r);
		}
		if (stopsig)
			zn_die(ZN_EXIT_SIGNAL, "interrupted; what was done is "
			    "kept, and the same command goes on from there");
		if (tries >= 4 || (strcmp(e->state, "55P03") != 0 &&
		    strcmp(e->state, "40P01") != 0))
			return 0;
		zn_pgres_clear(e);
		zn_sleep_ms(200L << tries, &stopsig);
	}
}

/* The same, or status 1 naming what was being done. */
static void
run_or_die(const struct ctx *x, const char *what, const char *sql, int n,
    const char *const *params)
{
	struct zn_pgres e;

	if (!run(x, sql, n, params, &e))
		zn_die(ZN_EXIT_NEGATIVE, "cannot %s: %s", what, e.msg);
	zn_pgres_clear(&e);
}

static void
addevent(const struct ctx *x, const char *kind, const struct art *a,
    json_t *detail)
{
	const char *params[4];
	char *d;
	PGresult *r;

	json_object_set_new(detail, "artifact", jstr(a->aid));
	json_object_set_new(detail, "artifact_type", jstr(a->kind));
	json_object_set_new(detail, "object", jstr(a->object));
	{
		const char *u = getenv("USER");

		json_object_set_new(detail, "os_user", jstr(u));
	}
	d = zn_json_line(detail);
	json_decref(detail);
	params[0] = kind;
	params[1] = a->mig;
	params[2] = x->reason;
	params[3] = d;
	r = must(x, "record the event", "INSERT INTO @._zanith_events (kind, "
	    "migration_id, reason, detail) VALUES ($1, $2, $3, $4::jsonb)", 4,
	    params);
	PQclear(r);
	free(d);
}

static void
setstatus(const struct ctx *x, const struct art *a, const char *status)
{
	const char *params[2] = { a->id, status };
	PGresult *r = must(x, "record the status",
	    strcmp(status, "restored") == 0 ?
	    "UPDATE @._zanith_migration_artifacts SET status = $2, "
	    "restored_at = pg_catalog.clock_timestamp() WHERE id = $1::bigint" :
	    "UPDATE @._zanith_migration_artifacts SET status = $2, "
	    "purged_at = pg_catalog.clock_timestamp() WHERE id = $1::bigint",
	    2, params);

	PQclear(r);
}

/* Whether table rel (quoted) has live column col. */
static int
hascolumn(const struct ctx *x, const char *rel, const char *col)
{
	const char *params[2] = { rel, col };
	PGresult *r = zn_pg_exec(x->conn, "look for the column", "SELECT "
	    "EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = "
	    "pg_catalog.to_regclass($1) AND attname = $2 AND attnum > 0 AND "
	    "NOT attisdropped)", 2, params);
	int yes = strcmp(PQgetvalue(r, 0, 0), "t") == 0;

	PQclear(r);
	return yes;
}

static int
hasrel(const struct ctx *x, const char *rel)
{
	const char *params[1] = { rel };
	PGresult *r = zn_pg_exec(x->conn, "look for the table", "SELECT "
	    "pg_catalog.to_regclass($1) IS NOT NULL", 1, params);
	int yes = strcmp(PQgetvalue(r, 0, 0), "t") == 0;

	PQclear(r);
	return yes;
}

/*
 * Whether a restore of this artifact began and did not end: its
 * "restore-begin" event has no "restore" after it.
 */
static int
begun(const struct ctx *x, const struct art *a)
{
	const char *params[1] = { a->aid };
	PGresult *r = must(x, "look for a restore under way", "SELECT kind "
	    "FROM @._zanith_events WHERE kind IN ('restore-begin', 'restore') "
	    "AND detail->>'artifact' = $1 ORDER BY id DESC LIMIT 1", 1, params);
	int yes = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0),
	    "restore-begin") == 0;

	PQclear(r);
	return yes;
}

/* The parked table artifact that holds relation oid, if any. */
static char *
parkedtable(const struct ctx *x, const char *oid)
{
	const char *params[1] = { oid };
	PGresult *r = must(x, "look for the table's own artifact", "SELECT "
	    "a.artifact_id FROM @._zanith_migration_artifacts a " ZN_ART_JOIN
	    "WHERE a.kind IN ('soft_drop_table', 'archive_table') AND "
	    "a.status = 'parked' AND hc.oid = $1::oid ORDER BY a.id DESC "
	    "LIMIT 1", 1, params);
	char *id = PQntuples(r) == 1 ? zn_xstrdup(PQgetvalue(r, 0, 0)) : NULL;

	PQclear(r);
	return id;
}

static const char *
bv(const json_t *o, const char *k)
{
	return zn_json_str(o, k);
}

/*
 * The rows of table rel where col is NULL are given its default, a batch
 * per transaction.  Returns the rows changed.
 */
static long long
filldefault(const struct ctx *x, const char *rel, const char *col)
{
	char *qc = ident(col), *sql;
	long long total = 0;

	sql = zn_xasprintf("UPDATE %s SET %s = DEFAULT WHERE ctid = ANY "
	    "(ARRAY(SELECT ctid FROM %s WHERE %s IS NULL LIMIT %ld))", rel, qc,
	    rel, qc, x->batch);
	for (;;) {
		struct zn_pgres e;
		long long n;

		if (stopsig)
			zn_die(ZN_EXIT_SIGNAL, "interrupted while filling %s; "
			    "run the restore again to go on", rel);
		if (!run(x, sql, 0, NULL, &e))
			zn_die(ZN_EXIT_NEGATIVE, "cannot give %s.%s its default: "
			    "%s", rel, col, e.msg);
		n = strtoll(PQcmdTuples(e.r), NULL, 10);
		zn_pgres_clear(&e);
		total += n;
		if (n == 0)
			break;
	}
	free(sql);
	free(qc);
	return total;
}

/*
 * NOT NULL the online way: a check NOT VALID, validated under SHARE
 * UPDATE EXCLUSIVE, which SET NOT NULL then trusts instead of scanning.
 */
static void
notnull(const struct ctx *x, const char *rel, const char *col)
{
	char *qc = ident(col), *sql;
	const char *chk = "_zanith_restore_not_null";

	sql = zn_xasprintf("ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s; "
	    "ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s IS NOT NULL) NOT VALID",
	    rel, chk, rel, chk, qc);
	run_or_die(x, "add the NOT NULL check", sql, 0, NULL);
	free(sql);
	sql = zn_xasprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s", rel, chk);
	run_or_die(x, "validate the NOT NULL check", sql, 0, NULL);
	free(sql);
	sql = zn_xasprintf("BEGIN; ALTER TABLE %s ALTER COLUMN %s SET NOT NULL; "
	    "ALTER TABLE %s DROP CONSTRAINT %s; COMMIT", rel, qc, rel, chk);
	run_or_die(x, "set NOT NULL", sql, 0, NULL);
	free(sql);
	free(qc);
}

/*
 * What went with the data, brought back statement by statement (an
 * index CONCURRENTLY, a constraint NOT VALID then validated).  What is
 * there already is left; an index a failed build left invalid is
 * dropped and built again.  Failures are collected in fails.
 */
static void
bringback(const struct ctx *x, const struct art *a, const char *schema,
    json_t *fails)
{
	const json_t *w, *s;
	size_t i, k;

	json_array_foreach(a->went, i, w) {
		const char *kind = bv(w, "kind"), *name = bv(w, "name");
		char *idx = NULL;

		if (kind == NULL || name == NULL)
			continue;
		if (strcmp(kind, "index") == 0) {
			const char *params[1];
			PGresult *r;

			idx = qual(schema, name);
			params[0] = idx;
			r = zn_pg_exec(x->conn, "look for the index", "SELECT "
			    "i.indisvalid FROM pg_catalog.pg_index i WHERE "
			    "i.indexrelid = pg_catalog.to_regclass($1)", 1,
			    params);
			if (PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0),
			    "t") == 0) {
				PQclear(r);
				free(idx);
				continue;
			}
			if (PQntuples(r) == 1) {
				char *d = zn_xasprintf("DROP INDEX CONCURRENTLY "
				    "IF EXISTS %s", idx);

				run_or_die(x, "drop an invalid index", d, 0,
				    NULL);
				free(d);
			}
			PQclear(r);
		}
		json_array_foreach(json_object_get(w, "sql"), k, s) {
			struct zn_pgres e;

			if (run(x, json_string_value(s), 0, NULL, &e)) {
				zn_pgres_clear(&e);
				continue;
			}
			/* There already: a restore that is going on. */
			if (strcmp(e.state, "42710") == 0 ||
			    strcmp(e.state, "42P07") == 0) {
				zn_pgres_clear(&e);
				continue;
			}
			json_array_append_new(fails, json_pack("{s:s, s:s, "
			    "s:s, s:s}", "kind", kind, "name", name, "sql",
			    json_string_value(s), "error", e.msg));
			zn_warn("could not bring back %s %s: %s", kind, name,
			    e.msg);
			zn_pgres_clear(&e);
			if (idx != NULL) {
				char *d = zn_xasprintf("DROP INDEX CONCURRENTLY "
				    "IF EXISTS %s", idx);

				(void)run(x, d, 0, NULL, &e);
				zn_pgres_clear(&e);
				free(d);
			}
			break;
		}
		free(idx);
	}
}

/*
 * The digest of the parked rows must be the one recorded: 1 when it is
 * (or --ignore-checksum), else told and 0.
 */
static int
verified(const struct ctx *x, const struct art *a, json_t *detail)
{
	struct zn_artifact_sum now;

	if (!zn_artifact_has_rows(a->kind))
		return 1;
	if (a->sum == NULL) {
		if (x->ignoresum) {
			json_object_set_new(detail, "checksum", json_string(
			    "none recorded; restored with --ignore-checksum"));
			return 1;
		}
		zn_warn("refusing to restore %s: no digest of its rows was "
		    "recorded, so they cannot be checked (--ignore-checksum "
		    "restores them as they are); nothing was changed", a->aid);
		return 0;
	}
	if (!digest_now(x, a, &now))
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot check the rows of %s; "
		    "nothing was changed", a->aid);
	json_object_set_new(detail, "checksum", json_pack("{s:s, s:s}",
	    "recorded", a->sum, "now", now.digest));
	if (strcmp(now.digest, a->sum) != 0) {
		if (x->ignoresum) {
			zn_warn("%s: its rows changed since they were parked "
			    "(recorded %s, now %s); restoring them as they are "
			    "(--ignore-checksum)", a->aid, a->sum, now.digest);
			zn_artifact_sum_release(&now);
			return 1;
		}
		zn_warn("refusing to restore %s: its rows changed since they "
		    "were parked: recorded %s (%s rows), now %s (%s rows); "
		    "nothing was changed", a->aid, a->sum, a->rows != NULL ?
		    a->rows : "?", now.digest, now.rows);
		zn_artifact_sum_release(&now);
		return 0;
	}
	zn_artifact_sum_release(&now);
	return 1;
}

/* An archived column's values back on their rows by the key. */
static long long
fillarchive(const struct ctx *x, const struct art *a, const char *rel,
    const char *col)
{
	const json_t *key = json_object_get(a->info, "key"), *k;
	struct zn_buf on = ZN_BUF_INIT;
	char *arch = qual(a->hs, a->hn), *qc = ident(col), *src = ident(a->pc);
	const char *params[1] = { arch };
	PGresult *r;
	long long pages, lo, total = 0, step;
	size_t i;

	json_array_foreach(key, i, k) {
		char *kq = ident(json_string_value(k));

		zn_buf_addf(&on, "%st.%s = a.%s", i > 0 ? " AND " : "", kq, kq);
		free(kq);
	}
	if (on.len == 0)
		zn_die(ZN_EXIT_NEGATIVE, "%s has no key to put its values back "
		    "by", a->aid);
	r = zn_pg_exec(x->conn, "size the archive", "SELECT pg_catalog."
	    "pg_relation_size(pg_catalog.to_regclass($1)) / pg_catalog."
	    "current_setting('block_size')::bigint", 1, params);
	pages = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	/* About a batch of rows per range of pages: 50 rows a page. */
	step = x->batch / 50 > 0 ? x->batch / 50 : 1;
	for (lo = 0; lo <= pages; lo += step) {
		struct zn_pgres e;
		char *sql;

		if (stopsig)
			zn_die(ZN_EXIT_SIGNAL, "interrupted while filling %s; "
			    "run the restore again to go on", rel);
		sql = zn_xasprintf("UPDATE %s t SET %s = a.%s FROM %s a WHERE "
		    "a.ctid >= '(%lld,0)'::tid AND a.ctid < '(%lld,0)'::tid "
		    "AND %s", rel, qc, src, arch, lo, lo + step, on.buf);
		if (!run(x, sql, 0, NULL, &e))
			zn_die(ZN_EXIT_NEGATIVE, "cannot put the archived values "
			    "of %s back: %s", a->aid, e.msg);
		total += strtoll(PQcmdTuples(e.r), NULL, 10);
		zn_pgres_clear(&e);
		free(sql);
	}
	zn_buf_release(&on);
	free(arch);
	free(qc);
	free(src);
	return total;
}

static int restore_other(struct ctx *, struct art *, json_t *);

/*
 * The types parked with a table or a column that its columns (or that
 * column) still use, under their parked names: brought back too.
 */
static void
typestoo(struct ctx *x, const char *rel, const char *col)
{
	const char *params[2] = { rel, col }, *as = x->as;
	PGresult *r = must(x, "look for the types parked with it", "SELECT "
	    "b.id::text FROM @._zanith_migration_artifacts b WHERE b.kind = "
	    "'soft_drop_type' AND b.status = 'parked' AND EXISTS (SELECT "
	    "FROM pg_catalog.pg_attribute t JOIN pg_catalog.pg_type y ON "
	    "y.oid = t.atttypid OR y.typarray = t.atttypid JOIN "
	    "pg_catalog.pg_namespace n ON n.oid = y.typnamespace WHERE "
	    "t.attrelid = pg_catalog.to_regclass($1) AND t.attnum > 0 AND "
	    "NOT t.attisdropped AND ($2::text IS NULL OR t.attname = $2) AND "
	    "n.nspname = b.park_schema AND y.typname = b.park_name) "
	    "ORDER BY b.id", 2, params);
	int i;

	x->as = NULL;
	for (i = 0; i < PQntuples(r); i++) {
		struct art b;
		json_t *d;

		if (!art_get(x, PQgetvalue(r, i, 0), &b))
			continue;
		if ((d = json_pack("{s:s}", "with", rel)) == NULL)
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
		(void)restore_other(x, &b, d);
		art_free(&b);
	}
	x->as = as;
	PQclear(r);
}

static int
restore_column(struct ctx *x, struct art *a, json_t *detail)
{
	const char *name = x->as != NULL ? x->as : a->sc, *def, *type, *coll;
	int soft = strcmp(a->kind, "soft_drop_column") == 0, resume, nn;
	char *rel, *sql, *held;
	json_t *fails = json_array();
	long long n;

	if (a->tn == NULL)
		zn_die(ZN_EXIT_NEGATIVE, "cannot restore %s: its table %s.%s "
		    "is gone", a->aid, a->ss, a->sn);
	if (a->ts != NULL && strcmp(a->ts, "_zanith_archive") == 0)
		held = zn_xstrdup("(archived)");
	else {
		const char *params[2] = { a->ts, a->tn };
		PGresult *r = zn_pg_exec(x->conn, "find the table", "SELECT "
		    "pg_catalog.to_regclass(pg_catalog.quote_ident($1) || '.' "
		    "|| pg_catalog.quote_ident($2))::oid::text", 2, params);

		held = parkedtable(x, PQgetvalue(r, 0, 0));
		PQclear(r);
	}
	if (held != NULL)
		zn_die(ZN_EXIT_NEGATIVE, "cannot restore %s: its table is "
		    "parked itself as %s.%s %s; restore the table first "
		    "(zn-artifact restore-table)", a->aid, a->ts, a->tn, held);
	rel = qual(a->ts, a->tn);
	resume = begun(x, a);
	if (a->hn == NULL && !(resume && hascolumn(x, rel, name)))
		zn_die(ZN_EXIT_NEGATIVE, "cannot restore %s: the parked %s is "
		    "gone (status %s)", a->aid, soft ? "column" : "archive",
		    a->status);
	if (!resume && hascolumn(x, rel, name)) {
		zn_warn("refusing to restore %s: %s already has a column %s "
		    "(--as NAME restores it under another name); nothing was "
		    "changed", a->aid, rel, name);
		free(rel);
		json_decref(fails);
		json_decref(detail);
		return ZN_EXIT_NEGATIVE;
	}
	if (!resume && !verified(x, a, detail)) {
		free(rel);
		json_decref(fails);
		json_decref(detail);
		return ZN_EXIT_NEGATIVE;
	}
	def = bv(a->info, "default");
	type = bv(a->info, "type");
	coll = bv(a->info, "collation");
	nn = json_is_true(json_object_get(a->info, "not_null"));
	if (x->dry) {
		printf("would restore %s as %s.%s%s\n", a->aid, rel, name,
		    nn ? " NOT NULL" : "");
		free(rel);
		json_decref(fails);
		json_decref(detail);
		return ZN_EXIT_OK;
	}
	if (!resume) {
		json_t *b = json_pack("{s:s}", "as", name);

		addevent(x, "restore-begin", a, b);
	}
	/* The column back, with its default, in one short transaction. */
	if (soft && a->hn != NULL && hascolumn(x, rel, a->pc)) {
		char *qp = ident(a->pc), *qn = ident(name);

		if (def == NULL)
			sql = zn_xasprintf("BEGIN; ALTER TABLE %s RENAME COLUMN "
			    "%s TO %s; COMMIT", rel, qp, qn);
		else {
			sql = zn_xasprintf("BEGIN; ALTER TABLE %s RENAME COLUMN "
			    "%s TO %s; ALTER TABLE %s ALTER COLUMN %s SET "
			    "DEFAULT %s; COMMIT", rel, qp, qn, rel, qn, def);
		}
		run_or_die(x, "rename the column back", sql, 0, NULL);
		free(sql);
		free(qp);
		free(qn);
	} else if (!soft) {
		char *qn = ident(name);

		if (!hascolumn(x, rel, name)) {
			sql = zn_xasprintf("ALTER TABLE %s ADD COLUMN %s %s%s%s",
			    rel, qn, type != NULL ? type : "text",
			    coll != NULL ? " COLLATE " : "", coll != NULL ?
			    coll : "");
			run_or_die(x, "add the column back", sql, 0, NULL);
			free(sql);
		}
		n = fillarchive(x, a, rel, name);
		json_object_set_new(detail, "rows_filled", json_integer(n));
		if (def != NULL) {
			sql = zn_xasprintf("ALTER TABLE %s ALTER COLUMN %s SET "
			    "DEFAULT %s", rel, qn, def);
			run_or_die(x, "set the column's default", sql, 0, NULL);
			free(sql);
		}
		free(qn);
	}
	/*
	 * Rows written while it was parked: NULL there.  A NOT NULL column
	 * had no NULLs, so each is such a row, and gets the default.
	 */
	if (nn && def != NULL) {
		n = filldefault(x, rel, name);
		json_object_set_new(detail, "rows_given_default",
		    json_integer(n));
	}
	if (nn) {
		char *qn = ident(name);
		PGresult *r;

		sql = zn_xasprintf("SELECT EXISTS (SELECT FROM %s WHERE %s IS "
		    "NULL)", rel, qn);
		r = zn_pg_exec(x->conn, "look for NULLs", sql, 0, NULL);
		free(sql);
		if (strcmp(PQgetvalue(r, 0, 0), "t") == 0) {
			zn_warn("%s.%s is back, but without NOT NULL: rows "
			    "written while it was parked have no value and it "
			    "has no default; set them, then ALTER TABLE %s "
			    "ALTER COLUMN %s SET NOT NULL", rel, name, rel, qn);
			json_object_set_new(detail, "not_null", json_false());
		} else
			notnull(x, rel, name);
		PQclear(r);
		free(qn);
	}
	if (x->as != NULL && json_array_size(a->went) > 0) {
		zn_warn("restored as %s: its %zu index(es) and constraint(s) "
		    "name the old column and are left out (zn-artifact inspect "
		    "shows their SQL)", name, json_array_size(a->went));
		json_object_set_new(detail, "went_with_skipped", json_true());
	} else
		bringback(x, a, a->ts, fails);
	json_object_set_new(detail, "as", json_string(name));
	json_object_set_new(detail, "failed", json_incref(fails));
	zn_pg_cmd(x->conn, "start the record", "BEGIN");
	setstatus(x, a, "restored");
	addevent(x, "restore", a, detail);
	zn_pg_cmd(x->conn, "commit the record", "COMMIT");
	printf("restored %s as %s.%s\n", a->aid, rel, name);
	typestoo(x, rel, name);
	free(rel);
	if (json_array_size(fails) > 0) {
		zn_warn("%zu of what went with %s could not be brought back; "
		    "see above", json_array_size(fails), a->aid);
		json_decref(fails);
		return ZN_EXIT_NEGATIVE;
	}
	json_decref(fails);
	return ZN_EXIT_OK;
}

/*
 * The indexes a soft-dropped table's op parked with it ("renamed"), each
 * under its name again unless that name is taken now (then it keeps the
 * parked one, said).  In the caller's transaction.
 */
static void
unparkindexes(struct ctx *x, const struct art *a)
{
	const json_t *e;
	size_t i;

	json_array_foreach(a->renamed, i, e) {
		const char *from = zn_json_str(e, "from"), *to = zn_json_str(e,
		    "to");
		char *was, *now, *sql;
		const char *params[2];
		PGresult *r;
		int ok;

		if (from == NULL || to == NULL)
			continue;
		was = qual(a->ss, to);
		now = qual(a->ss, from);
		params[0] = was;
		params[1] = now;
		r = must(x, "look for the index", "SELECT "
		    "pg_catalog.to_regclass($1) IS NOT NULL AND "
		    "pg_catalog.to_regclass($2) IS NULL", 2, params);
		ok = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
		PQclear(r);
		if (ok) {
			char *qf = ident(from);

			sql = zn_xasprintf("ALTER INDEX %s RENAME TO %s", was,
			    qf);
			run_or_die(x, "name the index again", sql, 0, NULL);
			free(sql);
			free(qf);
		} else {
			fputs("zn-artifact: index ", stderr);
			zn_fputs_safe(now, stderr);
			fputs(" is taken or its parked index is gone: ", stderr);
			zn_fputs_safe(was, stderr);
			fputs(" keeps its parked name\n", stderr);
		}
		free(was);
		free(now);
	}
}

static int
restore_table(struct ctx *x, struct art *a, json_t *detail)
{
	const char *name = x->as != NULL ? x->as : a->sn;
	char *to = qual(a->ss, name), *sql, *from;
	json_t *fails = json_array();
	int resume = begun(x, a);

	if (a->hn == NULL && !(resume && hasrel(x, to)))
		zn_die(ZN_EXIT_NEGATIVE, "cannot restore %s: the parked table "
		    "is gone (status %s)", a->aid, a->status);
	if (!resume && hasrel(x, to)) {
		zn_warn("refusing to restore %s: %s is taken (--as NAME "
		    "restores it under another name); nothing was changed",
		    a->aid, to);
		free(to);
		json_decref(fails);
		json_decref(detail);
		return ZN_EXIT_NEGATIVE;
	}
	if (!resume && !verified(x, a, detail)) {
		free(to);
		json_decref(fails);
		json_decref(detail);
		return ZN_EXIT_NEGATIVE;
	}
	if (x->dry) {
		printf("would restore %s as %s\n", a->aid, to);
		free(to);
		json_decref(fails);
		json_decref(detail);
		return ZN_EXIT_OK;
	}
	if (!resume)
		addevent(x, "restore-begin", a, json_pack("{s:s}", "as", name));
	if (a->hn != NULL) {
		char *qn = ident(name), *qs = ident(a->ss), *mid;
		const char *params[3];
		PGresult *r;

		from = qual(a->hs, a->hn);
		if (strcmp(a->hs, a->ss) == 0)
			sql = zn_xasprintf("BEGIN; ALTER TABLE %s RENAME TO %s",
			    from, qn);
		else {
			mid = qual(a->ss, a->hn);
			sql = zn_xasprintf("BEGIN; ALTER TABLE %s SET SCHEMA "
			    "%s; ALTER TABLE %s RENAME TO %s", from, qs, mid,
			    qn);
			free(mid);
		}
		run_or_die(x, "move the table back", sql, 0, NULL);
		free(sql);
		/* Its indexes, parked with it, under their names again. */
		if (x->as == NULL)
			unparkindexes(x, a);
		/* The soft-dropped columns it holds are back with it. */
		params[0] = a->hoid;
		params[1] = a->ss;
		params[2] = name;
		r = must(x, "move its columns' artifacts", "UPDATE "
		    "@._zanith_migration_artifacts SET park_schema = $2, "
		    "park_name = $3 WHERE relid = $1::oid AND kind = "
		    "'soft_drop_column' AND status = 'parked'", 3, params);
		PQclear(r);
		zn_pg_cmd(x->conn, "commit the move", "COMMIT");
		free(from);
		free(qn);
		free(qs);
	}
	if (x->as != NULL && json_array_size(a->went) > 0) {
		zn_warn("restored as %s: the foreign keys that referenced it "
		    "name the old table and are left out (zn-artifact inspect "
		    "shows their SQL)", name);
		json_object_set_new(detail, "went_with_skipped", json_true());
	} else
		bringback(x, a, a->ss, fails);
	json_object_set_new(detail, "as", json_string(name));
	json_object_set_new(detail, "failed", json_incref(fails));
	zn_pg_cmd(x->conn, "start the record", "BEGIN");
	setstatus(x, a, "restored");
	addevent(x, "restore", a, detail);
	zn_pg_cmd(x->conn, "commit the record", "COMMIT");
	printf("restored %s as %s\n", a->aid, to);
	typestoo(x, to, NULL);
	free(to);
	if (json_array_size(fails) > 0) {
		json_decref(fails);
		return ZN_EXIT_NEGATIVE;
	}
	json_decref(fails);
	return ZN_EXIT_OK;
}

/* A type, a sequence, a function, a schema: renamed back. */
static int
restore_other(struct ctx *x, struct art *a, json_t *detail)
{
	struct zn_pgres e;
	char *sql;

	if (x->as != NULL)
		zn_usage_error("--as restores columns and tables; %s is a %s",
		    a->aid, a->kind);
	if (a->recovery == NULL)
		zn_die(ZN_EXIT_NEGATIVE, "cannot restore %s: no recovery SQL "
		    "was recorded (%s is forensic only)", a->aid, a->kind);
	if (x->dry) {
		printf("would restore %s:\n%s", a->aid, a->recovery);
		json_decref(detail);
		return ZN_EXIT_OK;
	}
	sql = zn_xasprintf("BEGIN; %s", a->recovery);
	if (!run(x, sql, 0, NULL, &e)) {
		int taken = strcmp(e.state, "42710") == 0 ||
		    strcmp(e.state, "42P07") == 0 ||
		    strcmp(e.state, "42723") == 0 ||
		    strcmp(e.state, "42P06") == 0;

		zn_warn("%s %s: %s; nothing was changed", taken ?
		    "refusing to restore" : "cannot restore", a->aid, e.msg);
		zn_pgres_clear(&e);
		free(sql);
		json_decref(detail);
		return ZN_EXIT_NEGATIVE;
	}
	zn_pgres_clear(&e);
	free(sql);
	setstatus(x, a, "restored");
	addevent(x, "restore", a, detail);
	zn_pg_cmd(x->conn, "commit the restore", "COMMIT");
	printf("restored %s\n", a->aid);
	return ZN_EXIT_OK;
}

static int
restore(struct ctx *x, const char *verb, const char *name)
{
	struct art a;
	json_t *detail;
	int rc;

	if (x->version == 0)
		zn_die(ZN_EXIT_NEGATIVE, "no artifact '%s': there is no ledger "
		    "in schema %s", name, x->schema);
	if (!x->dry)
		lock(x);
	else
		current(x);
	if (strcmp(verb, "restore-column") == 0)
		art_by_name(x, name, 1, &a);
	else if (strcmp(verb, "restore-table") == 0)
		art_by_name(x, name, 0, &a);
	else
		art_find(x, name, &a);
	if (strcmp(a.status, "restored") == 0) {
		printf("%s is restored already: nothing to do\n", a.aid);
		art_free(&a);
		return ZN_EXIT_OK;
	}
	if (strcmp(a.status, "purged") == 0)
		zn_die(ZN_EXIT_NEGATIVE, "cannot restore %s: it was purged",
		    a.aid);
	if (strcmp(a.kind, "rebuild_table") == 0)
		zn_die(ZN_EXIT_NEGATIVE, "%s is forensic only: it keeps the "
		    "table's definition from before the rebuild, which "
		    "zn-artifact inspect shows", a.aid);
	if ((detail = json_object()) == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	if (iscolumn(&a))
		rc = restore_column(x, &a, detail);
	else if (istable(&a))
		rc = restore_table(x, &a, detail);
	else
		rc = restore_other(x, &a, detail);
	art_free(&a);
	return rc;
}

/* ---- purge and cleanup ---- */

/* Drops what artifact a still holds and marks it purged: 0 or 1. */
static int
purge_one(struct ctx *x, struct art *a, int quiet)
{
	struct zn_pgres e;
	struct zn_buf b = ZN_BUF_INIT;
	json_t *detail;
	char *rel = a->hn != NULL ? qual(a->hs, a->hn) : NULL;

	if (strcmp(a->status, "purged") == 0) {
		if (!quiet)
			printf("%s is purged already: nothing to do\n", a->aid);
		free(rel);
		return ZN_EXIT_OK;
	}
	/* What is still parked: never a column or table restored. */
	if (strcmp(a->status, "restored") == 0) {
		if (strcmp(a->kind, "archive_column") == 0 && rel != NULL)
			zn_buf_addf(&b, "DROP TABLE %s", rel);
	} else if (strcmp(a->status, "missing") == 0)
		;
	else if (strcmp(a->kind, "soft_drop_column") == 0 && rel != NULL) {
		char *qc = ident(a->pc);

		zn_buf_addf(&b, "ALTER TABLE %s DROP COLUMN %s", rel, qc);
		free(qc);
	} else if ((istable(a) || strcmp(a->kind, "archive_column") == 0 ||
	    strcmp(a->kind, "rebuild_table") == 0) && rel != NULL)
		zn_buf_addf(&b, "DROP TABLE %s", rel);
	else if (a->purge != NULL)
		zn_buf_adds(&b, a->purge);
	if (x->dry) {
		printf("would purge %s%s%s\n", a->aid, b.len > 0 ? ": " : "",
		    b.len > 0 ? b.buf : "");
		zn_buf_release(&b);
		free(rel);
		return ZN_EXIT_OK;
	}
	zn_pg_cmd(x->conn, "start the purge", "BEGIN");
	if (b.len > 0 && !run(x, b.buf, 0, NULL, &e)) {
		zn_warn("cannot purge %s: %s; nothing was changed", a->aid,
		    e.msg);
		zn_pgres_clear(&e);
		zn_buf_release(&b);
		free(rel);
		return ZN_EXIT_NEGATIVE;
	}
	if (b.len > 0)
		zn_pgres_clear(&e);
	detail = json_pack("{s:o, s:s}", "dropped", b.len > 0 ?
	    json_string(b.buf) : json_null(), "was", a->status);
	setstatus(x, a, "purged");
	addevent(x, "purge", a, detail);
	zn_pg_cmd(x->conn, "commit the purge", "COMMIT");
	printf("purged %s%s%s\n", a->aid, b.len > 0 ? ": " : "",
	    b.len > 0 ? b.buf : "");
	zn_buf_release(&b);
	free(rel);
	return ZN_EXIT_OK;
}

static int
purge(struct ctx *x, const char *name)
{
	struct art a;
	int rc;

	if (!x->dry)
		lock(x);
	else
		current(x);
	art_find(x, name, &a);
	rc = purge_one(x, &a, 0);
	art_free(&a);
	return rc;
}

/*
 * The cutoff --older-than gives, as SQL on $1: N days (30, 30d) are
 * whole calendar days in UTC: an artifact goes when it was made before
 * the start of the day N days ago (made on 5 November goes on 6
 * December with 30, not on 5 December).  A duration (12h, 90min) is
 * exact.
 */
static char *
cutoff(const char *arg, const char **param)
{
	static char msbuf[32];
	const char *p = arg;
	long ms;

	while (*p >= '0' && *p <= '9')
		p++;
	if (p > arg && (*p == '\0' || (p[0] == 'd' && p[1] == '\0')) &&
	    p - arg < 7) {
		*param = arg;
		return zn_xstrdup("a.created_at < (pg_catalog.date_trunc('day', "
		    "pg_catalog.now()) - pg_catalog.make_interval(days => "
		    "pg_catalog.rtrim($1, 'd')::int))");
	}
	if ((ms = zn_parse_ms(arg)) < 0)
		zn_usage_error("--older-than: days (30, 30d) or a duration "
		    "(12h, 90min), not '%s'", arg);
	snprintf(msbuf, sizeof(msbuf), "%ld", ms);
	*param = msbuf;
	return zn_xstrdup("a.created_at < pg_catalog.now() - "
	    "pg_catalog.make_interval(secs => $1::bigint / 1000.0)");
}

static int
cleanup(struct ctx *x)
{
	struct zn_buf w = ZN_BUF_INIT;
	const char *params[1];
	char *sql;
	PGresult *r;
	int n = 0, i, rc = ZN_EXIT_OK;

	if (x->version == 0)
		return ZN_EXIT_OK;
	if (!x->dry)
		lock(x);
	else
		current(x);
	zn_buf_adds(&w, "SELECT a.id::text FROM @._zanith_migration_artifacts "
	    "a WHERE a.status <> 'purged'");
	if (!x->allages)
		zn_buf_adds(&w, " AND a.expires_at < pg_catalog.now()");
	if (x->olderthan != NULL) {
		char *c = cutoff(x->olderthan, &params[0]);

		n = 1;
		zn_buf_adds(&w, " AND ");
		zn_buf_adds(&w, c);
		free(c);
	}
	/* What holds rows before the types and the like it may use. */
	zn_buf_adds(&w, " ORDER BY a.created_at::date, a.kind LIKE "
	    "'%column' OR a.kind LIKE '%table' DESC, a.created_at, a.id");
	sql = L(x, w.buf);
	zn_buf_release(&w);
	r = zn_pg_exec(x->conn, "find what is due", sql, n, params);
	free(sql);
	for (i = 0; i < PQntuples(r); i++) {
		struct art a;

		if (stopsig)
			zn_die(ZN_EXIT_SIGNAL, "interrupted; %d purged", i);
		if (!art_get(x, PQgetvalue(r, i, 0), &a))
			continue;
		if (purge_one(x, &a, 1) != ZN_EXIT_OK)
			rc = ZN_EXIT_NEGATIVE;
		art_free(&a);
	}
	PQclear(r);
	if (fflush(stdout) != 0)
		zn_die_write(stdout);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct ctx x;
	struct sigaction sa;
	const char *dir = NULL, *dbname = NULL, *lschema = NULL, *verb, *t;
	char buf[32];
	int ch, rc, reads, setwait = 0, setlock = 0;

	zn_init(argv[0]);
	memset(&x, 0, sizeof(x));
	x.lockwait = 60000;
	x.locktimeout = 5000;
	x.batch = 5000;
	while ((ch = getopt_long(argc, argv, "C:d:no:", longopts, NULL)) != -1)
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'd':
			dbname = optarg;
			break;
		case 'n':
			x.dry = 1;
			break;
		case 'o':
			x.output = optarg;
			break;
		case 'A' + 256:
			x.allages = 1;
			break;
		case 'a' + 256:
			if (*optarg == '\0' || strlen(optarg) > 63)
				zn_usage_error("--as: a name of 1 to 63 bytes");
			x.as = optarg;
			break;
		case 'b' + 256:
			{
				char *end;

				x.batch = strtol(optarg, &end, 10);
				if (*end != '\0' || x.batch < 1 ||
				    x.batch > 10000000)
					zn_usage_error("--batch-size: 1 to "
					    "10000000 rows, not '%s'", optarg);
			}
			break;
		case 'c' + 256:
			zn_complete(longopts);
		case 'f' + 256:
			x.format = optarg;
			break;
		case 'h' + 256:
			fputs(usage, stdout);
			return zn_finish(ZN_EXIT_OK);
		case 'i' + 256:
			x.ignoresum = 1;
			break;
		case 'j' + 256:
			x.json = 1;
			break;
		case 'L' + 256:
			lschema = optarg;
			break;
		case 'm' + 256:
			x.migration = optarg;
			break;
		case 'O' + 256:
			x.olderthan = optarg;
			break;
		case 'r' + 256:
			x.reason = optarg;
			break;
		case 's' + 256:
			x.status = optarg;
			break;
		case 't' + 256:
			x.table = optarg;
			break;
		case 'T' + 256:
			x.locktimeout = zn_duration_arg("--lock-timeout", optarg,
			    0);
			setlock = 1;
			break;
		case 'W' + 256:
			x.lockwait = zn_duration_arg("--lock-wait", optarg, 1);
			setwait = 1;
			break;
		case 'X' + 256:
			x.tableout = 1;
			break;
		case 'V' + 256:
			zn_version();
		default:
			fputs(usage, stderr);
			return ZN_EXIT_USAGE;
		}
	argc -= optind;
	argv += optind;
	/* The verbs, for the completions. */
	if (argc == 1 && strcmp(argv[0], "commands") == 0) {
		if (puts("list\ninspect\nexport\nrestore\nrestore-column\n"
		    "restore-table\npurge\ncleanup") == EOF ||
		    fflush(stdout) != 0)
			zn_die_write(stdout);
		return zn_finish(ZN_EXIT_OK);
	}
	if (argc == 0)
		zn_usage_error("a command: list, inspect, export, restore, "
		    "restore-column, restore-table, purge or cleanup");
	verb = argv[0];
	reads = strcmp(verb, "list") == 0 || strcmp(verb, "inspect") == 0 ||
	    strcmp(verb, "export") == 0;
	if (strcmp(verb, "list") != 0 && (x.status != NULL || x.table != NULL ||
	    x.migration != NULL || x.tableout))
		zn_usage_error("--status, --table, --migration and "
		    "--table-output go with list");
	if (x.json && x.tableout)
		zn_usage_error("--json or --table-output, not both");
	if (strcmp(verb, "export") != 0 && (x.format != NULL ||
	    x.output != NULL))
		zn_usage_error("--format and --output go with export");
	if (strncmp(verb, "restore", 7) != 0 && (x.as != NULL || x.ignoresum))
		zn_usage_error("--as and --ignore-checksum go with restore");
	if (strcmp(verb, "cleanup") != 0 && (x.olderthan != NULL || x.allages))
		zn_usage_error("--older-than and --all-ages go with cleanup");
	if (reads && (x.dry || x.reason != NULL))
		zn_usage_error("--dry-run and --reason go with restore, purge "
		    "and cleanup");
	if ((strcmp(verb, "list") == 0 || strcmp(verb, "cleanup") == 0) ?
	    argc != 1 : argc != 2) {
		if (strcmp(verb, "list") != 0 && strcmp(verb, "cleanup") != 0 &&
		    strcmp(verb, "inspect") != 0 && strcmp(verb, "export") != 0 &&
		    strncmp(verb, "restore", 7) != 0 && strcmp(verb, "purge") != 0)
			zn_usage_error("no command '%s': list, inspect, export, "
			    "restore, restore-column, restore-table, purge or "
			    "cleanup", verb);
		zn_usage_error(argc < 2 ? "%s: which artifact?" :
		    "%s: too many arguments", verb);
	}
	if (strncmp(verb, "restore", 7) == 0 && strcmp(verb, "restore") != 0 &&
	    strcmp(verb, "restore-column") != 0 &&
	    strcmp(verb, "restore-table") != 0)
		zn_usage_error("no command '%s'", verb);
	if (x.olderthan != NULL) {
		const char *p;

		free(cutoff(x.olderthan, &p));
	}
	zn_config_load(&x.cfg, dir);
	/* The flags, ZN_* variables, then the environment's and the file's. */
	if (!setwait && (t = zn_config_opt(&x.cfg, "apply", "lock_wait",
	    "ZN_LOCK_WAIT", buf, sizeof(buf))) != NULL)
		x.lockwait = zn_duration_arg("lock_wait", t, 1);
	if (!setlock && (t = zn_config_opt(&x.cfg, "gates", "lock_timeout",
	    "ZN_LOCK_TIMEOUT", buf, sizeof(buf))) != NULL)
		x.locktimeout = zn_duration_arg("lock_timeout", t, 0);
	x.schema = lschema != NULL ? lschema : x.cfg.ledger_schema;
	x.conninfo = zn_pg_target(dbname, &x.cfg);
	connect_ledger(&x);
	cancelling = PQgetCancel(x.conn);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onsignal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	if (strcmp(verb, "list") == 0)
		rc = list(&x);
	else if (strcmp(verb, "inspect") == 0)
		rc = inspect(&x, argv[1]);
	else if (strcmp(verb, "export") == 0)
		rc = export(&x, argv[1]);
	else if (strncmp(verb, "restore", 7) == 0)
		rc = restore(&x, verb, argv[1]);
	else if (strcmp(verb, "purge") == 0)
		rc = purge(&x, argv[1]);
	else if (strcmp(verb, "cleanup") == 0)
		rc = cleanup(&x);
	else
		zn_usage_error("no command '%s': list, inspect, export, restore, "
		    "restore-column, restore-table, purge or cleanup", verb);
	zn_lock_release(&x.lock);
	{
		PGcancel *c = cancelling;

		cancelling = NULL;
		if (c != NULL)
			PQfreeCancel(c);
	}
	PQfinish(x.conn);
	zn_config_release(&x.cfg);
	return zn_finish(rc);
}
