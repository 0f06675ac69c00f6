/* SPDX-License-Identifier: ISC */
/*
 * zn-ledger: what the ledger says (zn-ledger(1), zn-ledger(7)): the
 * state of each migration file, the pending ones as an op stream, the
 * history of runs, the six audit questions, and the stored snapshots.
 * It only reads: its session is read-only.
 */
#define _POSIX_C_SOURCE 200809L
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zn.h"
#include "audit.h"

static const char usage[] =
"usage: zn-ledger [-C dir] [-d conninfo] [--ledger-schema name]\n"
"                 status [--exit-code] [--json] [dir]\n"
"       zn-ledger pending [dir]\n"
"       zn-ledger history [-v] [--since when] [--id ID] [--json]\n"
"       zn-ledger audit [--json | --table] [question]\n"
"       zn-ledger snapshot ID [before | after]\n"
"       zn-ledger resolve ID --applied | --rolled-back --reason TEXT\n"
"                 [--lock-wait dur] [dir]\n"
"       zn-ledger down [--steps N | --to ID] -o FILE [dir]\n"
"       zn-ledger config [--json]\n"
"\n"
"Read the ledger zn-apply keeps: the state of each migration file, the\n"
"pending migrations as an op stream, the history of what ran, the six\n"
"audit questions, and the schema stored before and after each migration.\n"
"Resolve a failed or half-applied migration after a fix by hand; say\n"
"what zn down takes down; check zanith.yaml and show what it sets.\n"
"\n"
"Options:\n"
"  -C, --directory=DIR       read DIR/zanith.yaml (default: .)\n"
"  -d, --dbname=CONNINFO     the database\n"
"      --ledger-schema=NAME  the ledger's schema (default: public)\n"
"      --exit-code           status: exit 1 when something is pending or\n"
"                            failed, 4 when something needs resolution\n"
"  -v, --verbose             history: every step attempt, with its risk\n"
"      --since=WHEN          history: since a time (2026-11-01) or for a\n"
"                            while (7d, 12h, 30min, 2w)\n"
"      --id=ID               history: one migration\n"
"      --json                status, history, config: records, not lines;\n"
"                            audit: records, even on a terminal\n"
"      --table               audit: a table, even through a pipe\n"
"      --applied             resolve: the fix finished the migration\n"
"      --rolled-back         resolve: the fix undid it; pending again\n"
"      --reason=TEXT         resolve: why, kept with the event\n"
"      --lock-wait=DUR       resolve: wait for the migration lock (60s)\n"
"      --steps=N             down: the N newest applied migrations (1)\n"
"      --to=ID               down: those applied after ID\n"
"  -o, --output=FILE         down: write the schema before them to FILE\n"
"      --help                show this help and exit\n"
"      --version             show the version and exit\n"
"\n"
"Questions: who, slowest, failures, risk, recoverable, releases.\n"
"Exit: 0 done, 1 see --exit-code (or no such snapshot; resolve: nothing\n"
"to resolve; down: refused), 2 cannot connect, 3 the lock is busy,\n"
"4 the ledger disagrees with the files, 64 usage, 65 bad input.\n"
"See zn-ledger(1) and zn-ledger(7).\n";

static const struct option longopts[] = {
	{ "applied", no_argument, NULL, 'a' + 256 },
	{ "complete", no_argument, NULL, 'c' + 256 },
	{ "dbname", required_argument, NULL, 'd' },
	{ "directory", required_argument, NULL, 'C' },
	{ "exit-code", no_argument, NULL, 'e' + 256 },
	{ "help", no_argument, NULL, 'h' + 256 },
	{ "id", required_argument, NULL, 'i' + 256 },
	{ "json", no_argument, NULL, 'j' + 256 },
	{ "ledger-schema", required_argument, NULL, 'L' + 256 },
	{ "lock-wait", required_argument, NULL, 'w' + 256 },
	{ "output", required_argument, NULL, 'o' },
	{ "reason", required_argument, NULL, 'r' + 256 },
	{ "rolled-back", no_argument, NULL, 'b' + 256 },
	{ "since", required_argument, NULL, 's' + 256 },
	{ "steps", required_argument, NULL, 'S' + 256 },
	{ "table", no_argument, NULL, 't' + 256 },
	{ "to", required_argument, NULL, 'T' + 256 },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' + 256 },
	{ NULL, 0, NULL, 0 }
};

struct ctx {
	struct zn_config cfg;
	const char *conninfo, *schema;
	PGconn *conn;
	int version;		/* the ledger's, 0 when there is none */
	int json, table, verbose, exitcode;
	const char *since, *id;
};

static char *
L(const struct ctx *x, const char *text)
{
	return zn_ledger_sql(text, x->schema);
}

/* Connects read-only and finds the ledger (version 0: none yet). */
static void
open_ledger(struct ctx *x)
{
	x->conn = zn_pg_connect(x->conninfo);
	zn_pg_cancel_at_signal(x->conn);
	zn_pg_cmd(x->conn, "make the session read-only",
	    "SET default_transaction_read_only = on; SET TimeZone = 'UTC'");
	x->version = zn_ledger_version(x->conn, x->schema);
	if (x->version > ZN_LEDGER_VERSION)
		zn_die(ZN_EXIT_RESOLVE, "the ledger in schema %s is version "
		    "%d, made by a newer zanith; this one reads %d", x->schema,
		    x->version, ZN_LEDGER_VERSION);
}

static PGresult *
query(const struct ctx *x, const char *what, const char *text, int n,
    const char *const *params)
{
	char *sql = L(x, text);
	PGresult *r = zn_pg_exec(x->conn, what, sql, n, params);

	free(sql);
	return r;
}

static void
emit(json_t *rec)
{
	char *line = zn_json_line(rec);

	puts(line);
	free(line);
	json_decref(rec);
}

/* A cell as JSON, typed by its column: numbers, booleans, json, text. */
static json_t *
cell(const PGresult *r, int row, int col)
{
	const char *v = PQgetvalue(r, row, col);

	if (PQgetisnull(r, row, col))
		return json_null();
	switch (PQftype(r, col)) {
	case 20: case 21: case 23:		/* int8, int2, int4 */
		return json_integer(strtoll(v, NULL, 10));
	case 700: case 701: case 1700:		/* float4, float8, numeric */
		if (strchr(v, '.') == NULL && strchr(v, 'e') == NULL &&
		    strchr(v, 'N') == NULL && strchr(v, 'I') == NULL)
			return json_integer(strtoll(v, NULL, 10));
		return json_real(strtod(v, NULL));
	case 1184: {				/* timestamptz, in UTC */
		/* "2026-11-22 04:44:56.123+00" as "2026-11-22T04:44:56.123Z" */
		size_t n = strlen(v);

		if (n > 11 && strcmp(v + n - 3, "+00") == 0 && v[10] == ' ') {
			char *t = zn_xasprintf("%.10sT%.*sZ", v, (int)(n - 14),
			    v + 11);
			json_t *j = json_string(t);

			free(t);
			return j;
		}
		return json_string(v);
	}
	case 16:				/* bool */
		return json_boolean(v[0] == 't');
	case 114: case 3802: {			/* json, jsonb */
		json_t *j = json_loads(v, JSON_DECODE_ANY, NULL);

		return j != NULL ? j : json_string(v);
	}
	default:
		return json_string(v);
	}
}

/* The migration files: the configured directory, or dir. */
static char *
migdir(const struct ctx *x, const char *dir)
{
	return dir != NULL ? zn_xstrdup(dir) : zn_config_path(&x->cfg,
	    x->cfg.migrations);
}

/*
 * The migration files in dir.  The configured directory (configured
 * set) not made yet is a project with none: nothing pending, not an
 * error; a directory named on the command line must be there.
 */
static void
readfiles(struct zn_plan *p, const char *dir, int configured)
{
	struct stat st;

	memset(p, 0, sizeof(*p));
	if (configured && stat(dir, &st) != 0 && errno == ENOENT) {
		zn_plan_empty(p);
		return;
	}
	zn_plan_read(p, dir);
}

/* ---- status ---- */

/* The files against the ledger (none yet: all pending). */
static void
readstate(struct ctx *x, struct zn_lstate *st, const struct zn_plan *p)
{
	zn_ledger_plan(st, p);
	zn_ledger_state(x->conn, x->schema, st, p, x->json);
}

/*
 * Changes made outside zanith: the live schema against the after
 * snapshot of the newest migration applied, as the ops that would take
 * the one to the other.  Each is a record or a line; returns how many
 * (0 too when there is nothing to compare with, said on a terminal).
 */
static size_t
drift(struct ctx *x, const struct zn_lstate *st)
{
	struct zn_snapshot_opts so;
	struct zn_graph now;
	struct zn_plan d;
	char *mig;
	size_t i, n;

	for (i = 0; i < st->nm; i++)
		if (st->m[i].state == ZN_MS_PARTLY ||
		    st->m[i].state == ZN_MS_FAILED ||
		    st->m[i].state == ZN_MS_INTERRUPTED) {
			if (!x->json) {
				fputs("drift not checked: ", stdout);
				zn_fputs_safe(st->m[i].id, stdout);
				fputs(" is not wholly applied\n", stdout);
			}
			return 0;
		}
	if (x->version == 0)
		return 0;
	memset(&so, 0, sizeof(so));
	so.schemas = (const char *const *)x->cfg.schemas;
	so.exclude_schemas = (const char *const *)x->cfg.exclude_schemas;
	so.ledger_schema = x->schema;
	zn_graph_from_db(&now, x->conn, &so);
	n = zn_ledger_drift(x->conn, x->schema, &now, &d, &mig);
	for (i = 0; i < d.n; i++) {
		if (x->json) {
			emit(json_pack("{s:s, s:s, s:s, s:s}", "kind", "drift",
			    "op", d.ops[i].op, "target", d.ops[i].target !=
			    NULL ? d.ops[i].target : "", "since", mig));
			continue;
		}
		fputs("drift          ", stdout);
		zn_fputs_safe(d.ops[i].op, stdout);
		putchar(' ');
		zn_fputs_safe(d.ops[i].target != NULL ? d.ops[i].target : "",
		    stdout);
		putchar('\n');
	}
	if (n > 0 && !x->json) {
		printf("%zu change%s outside zanith since ", n, n == 1 ? "" :
		    "s");
		zn_fputs_safe(mig, stdout);
		putchar('\n');
	}
	zn_plan_release(&d);
	zn_graph_release(&now);
	free(mig);
	return n;
}

static int
status(struct ctx *x, const char *dir)
{
	struct zn_plan p;
	struct zn_lstate st;
	char *path = migdir(x, dir);
	size_t i;
	int count[ZN_MS_COUNT] = { 0 }, worst = ZN_EXIT_OK, color;

	readfiles(&p, path, dir == NULL);
	open_ledger(x);
	readstate(x, &st, &p);
	color = !x->json && zn_term_color(stdout);
	for (i = 0; i < st.nm; i++) {
		const struct zn_mig *m = &st.m[i];
		enum zn_mstate ms = m->state;
		char *detail = NULL;

		count[ms]++;
		switch (ms) {
		case ZN_MS_APPLIED:
			detail = zn_xasprintf("on %s", m->applied_at);
			break;
		case ZN_MS_CHANGED:
		case ZN_MS_OUTOFORDER:
			detail = zn_xstrdup(m->problem);
			break;
		case ZN_MS_FAILED:
		case ZN_MS_REFUSED:
			detail = zn_xasprintf("at step %d%s%s", m->last_step,
			    *m->last_why != '\0' ? ": " : "", m->last_why);
			break;
		case ZN_MS_INTERRUPTED:
			detail = zn_xasprintf("at step %d (%s: the run that "
			    "held it was killed, or is still running)",
			    m->last_step, m->last_status);
			break;
		case ZN_MS_PARTLY:
			detail = zn_xasprintf("%d of %zu steps done", m->done,
			    m->n);
			break;
		default:
			break;
		}
		if (x->json) {
			json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:I}",
			    "kind", "status", "migration", m->id, "state",
			    zn_mstate_name(ms), "checksum", m->checksum,
			    "steps", (json_int_t)m->n);

			if (m->applied)
				json_object_set_new(rec, "applied_at",
				    json_string(m->applied_at));
			if (ms == ZN_MS_FAILED || ms == ZN_MS_REFUSED ||
			    ms == ZN_MS_INTERRUPTED)
				json_object_set_new(rec, "step",
				    json_integer(m->last_step));
			if (detail != NULL)
				json_object_set_new(rec, "detail",
				    json_string(detail));
			emit(rec);
		} else {
			const char *on = "", *off = color ? "\033[0m" : "";

			if (color)
				on = ms == ZN_MS_APPLIED ? "\033[32m" : ms ==
				    ZN_MS_PENDING || ms == ZN_MS_PARTLY ?
				    "\033[33m" : "\033[1;31m";
			printf("%s%-14s%s ", on, zn_mstate_name(ms), off);
			zn_fputs_safe(m->id, stdout);
			if (detail != NULL) {
				fputs("  ", stdout);
				zn_fputs_safe(detail, stdout);
			}
			putchar('\n');
		}
		free(detail);
	}
	for (i = 0; i < st.ngone; i++) {
		count[ZN_MS_GONE]++;
		if (x->json)
			emit(json_pack("{s:s, s:s, s:s, s:s}", "kind", "status",
			    "migration", st.gone[i].id, "state",
			    zn_mstate_name(ZN_MS_GONE), "applied_at",
			    st.gone[i].applied_at));
		else {
			printf("%s%-14s%s ", color ? "\033[1;31m" : "",
			    zn_mstate_name(ZN_MS_GONE), color ? "\033[0m" : "");
			zn_fputs_safe(st.gone[i].id, stdout);
			printf("  applied on %s, and no file in ",
			    st.gone[i].applied_at);
			zn_fputs_safe(path, stdout);
			fputs(" has it\n", stdout);
		}
	}
	if (!x->json) {
		size_t all = st.nm + st.ngone;
		int k, first = 1;

		printf("%zu migration%s", all, all == 1 ? "" : "s");
		for (k = 0; k < ZN_MS_COUNT; k++)
			if (count[k] > 0) {
				printf("%s %d %s", first ? ":" : ",", count[k],
				    zn_mstate_name((enum zn_mstate)k));
				first = 0;
			}
		printf("\n");
	}
	if (count[ZN_MS_PENDING] + count[ZN_MS_PARTLY] + count[ZN_MS_FAILED] +
	    count[ZN_MS_INTERRUPTED] + count[ZN_MS_REFUSED] > 0)
		worst = ZN_EXIT_NEGATIVE;
	if (count[ZN_MS_CHANGED] + count[ZN_MS_OUTOFORDER] +
	    count[ZN_MS_GONE] > 0)
		worst = ZN_EXIT_RESOLVE;
	if (drift(x, &st) > 0)
		worst = ZN_EXIT_RESOLVE;
	zn_lstate_release(&st, &p);
	zn_plan_release(&p);
	free(path);
	return x->exitcode ? worst : ZN_EXIT_OK;
}

/* ---- pending: the files not applied, as one op stream ---- */

/* The from_hash (and to_hash) of migration id's file, or NULL. */
static const char *
filehash(const char *dir, const char *id, const char *which, json_t **keep)
{
	char **names = zn_path_list(dir, zn_path_is_yaml, NULL);
	const char *h = NULL;
	size_t i, n = strlen(id);

	for (i = 0; names[i] != NULL && h == NULL; i++) {
		const char *base = strrchr(names[i], '/');
		struct zn_plan one;

		base = base != NULL ? base + 1 : names[i];
		if (strncmp(base, id, n) != 0 || base[n] != '.')
			continue;
		readfiles(&one, names[i], 0);
		h = zn_json_str(one.header, which);
		if (h != NULL)
			json_array_append_new(*keep, json_string(h));
		h = h != NULL ? json_string_value(json_array_get(*keep,
		    json_array_size(*keep) - 1)) : NULL;
		zn_plan_release(&one);
	}
	zn_strv_free(names);
	return h;
}

/*
 * The stream's header: the schema its first pending migration was made
 * from, and the one its last makes; zn-apply checks the first against
 * the database (a directory's header is its first file's, which may be
 * long applied).
 */
static json_t *
header(const struct zn_plan *p, const struct zn_lstate *st, const char *dir)
{
	json_t *h = json_deep_copy(p->header), *keep = json_array();
	const char *from = NULL, *to = NULL;
	size_t i;
	int first = 1;

	for (i = 0; i < st->nm; i++) {
		if (st->m[i].applied)
			continue;
		if (first)
			from = filehash(dir, st->m[i].id, "from_hash", &keep);
		first = 0;
		to = filehash(dir, st->m[i].id, "to_hash", &keep);
	}
	json_object_set_new(h, "from_hash", from != NULL ? json_string(from) :
	    json_null());
	json_object_set_new(h, "to_hash", to != NULL ? json_string(to) :
	    json_null());
	json_decref(keep);
	return h;
}

static int
pending(struct ctx *x, const char *dir)
{
	struct zn_plan p, out;
	struct zn_lstate st;
	char *path = migdir(x, dir);
	const json_t *rec;
	size_t i, j, k;

	readfiles(&p, path, dir == NULL);
	open_ledger(x);
	readstate(x, &st, &p);
	/* Left out, an edited file would never reach zn-apply's check. */
	for (i = 0; i < st.nm; i++)
		if (st.m[i].state == ZN_MS_CHANGED)
			zn_die(ZN_EXIT_RESOLVE, "migration %s (%s.yaml) %s",
			    st.m[i].id, st.m[i].id, st.m[i].problem);
	out = p;
	out.header = header(&p, &st, path);
	out.ops = zn_xcalloc(p.n + 1, sizeof(*out.ops));
	out.n = 0;
	out.migrations = json_array();
	for (i = 0; i < st.nm; i++) {
		if (st.m[i].applied)
			continue;
		json_array_foreach(p.migrations, k, rec)
			if (zn_json_str(rec, "id") != NULL && strcmp(
			    zn_json_str(rec, "id"), st.m[i].id) == 0)
				json_array_append(out.migrations,
				    (json_t *)rec);
		for (j = st.m[i].first; j < st.m[i].first + st.m[i].n; j++)
			out.ops[out.n++] = p.ops[j];
	}
	zn_plan_write(&out, stdout, NULL);
	if (fflush(stdout) != 0 || ferror(stdout))
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot write the stream");
	json_decref(out.migrations);
	json_decref(out.header);
	free(out.ops);
	zn_lstate_release(&st, &p);
	zn_plan_release(&p);
	free(path);
	return ZN_EXIT_OK;
}

/* ---- history ---- */

/* --since as an interval (7d, 12h, 30min, 2w) or a time, for SQL. */
static char *
since(const char *s)
{
	static const struct {
		const char *unit, *as;
	} units[] = {
		{ "s", "seconds" }, { "sec", "seconds" }, { "min", "minutes" },
		{ "m", "minutes" }, { "h", "hours" }, { "d", "days" },
		{ "w", "weeks" },
	};
	char *end;
	long n;
	size_t i;

	if (s == NULL)
		return NULL;
	n = strtol(s, &end, 10);
	if (end != s && n >= 0 && *s >= '0' && *s <= '9')
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (strcmp(end, units[i].unit) == 0)
				return zn_xasprintf("-%ld %s", n, units[i].as);
	return zn_xstrdup(s);
}

static const char *
sigil(const char *status)
{
	return strcmp(status, "done") == 0 ? "✓" :
	    strcmp(status, "retried") == 0 ? "↺" :
	    strcmp(status, "running") == 0 ||
	    strcmp(status, "partly applied") == 0 ? "…" : "✗";
}

static void
attempts(const struct ctx *x, const char *id)
{
	const char *params[1] = { id };
	PGresult *r = query(x, "read the step attempts", "SELECT step, op, "
	    "target, status, risk_level, risk_score, elapsed_ms, sqlstate, "
	    "concat_ws(': ', gate, coalesce(error, note)), attempt_id, run_id, "
	    "to_char(started_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), transactional, "
	    "array_to_string(risk_reasons, ', '), sql_sha256 "
	    "FROM @._zanith_migration_steps WHERE migration_id = $1 "
	    "ORDER BY attempt_id", 1, params);
	int k;

	for (k = 0; k < PQntuples(r); k++) {
		const char *st = PQgetvalue(r, k, 3);

		if (x->json) {
			json_t *rec = json_pack("{s:s, s:s, s:o, s:s, s:s, "
			    "s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:o, "
			    "s:s}", "kind", "attempt", "migration", id, "step",
			    cell(r, k, 0), "op", PQgetvalue(r, k, 1), "target",
			    PQgetvalue(r, k, 2), "status", st, "level",
			    cell(r, k, 4), "score", cell(r, k, 5), "elapsed_ms",
			    cell(r, k, 6), "sqlstate", cell(r, k, 7), "detail",
			    *PQgetvalue(r, k, 8) != '\0' ? cell(r, k, 8) :
			    json_null(), "attempt", cell(r, k, 9), "run",
			    PQgetvalue(r, k, 10), "started_at",
			    PQgetvalue(r, k, 11), "transactional",
			    cell(r, k, 12), "sql_sha256", PQgetvalue(r, k, 14));

			emit(rec);
			continue;
		}
		printf("    %s %02d %-20s %-11s", sigil(st),
		    atoi(PQgetvalue(r, k, 0)), PQgetvalue(r, k, 1),
		    PQgetisnull(r, k, 4) ? "-" : PQgetvalue(r, k, 4));
		if (!PQgetisnull(r, k, 5))
			printf(" %3s", PQgetvalue(r, k, 5));
		else
			printf("   -");
		if (!PQgetisnull(r, k, 6))
			printf(" %6s ms", PQgetvalue(r, k, 6));
		else
			printf("          ");
		printf("  %s", PQgetvalue(r, k, 2));
		if (strcmp(st, "done") != 0)
			printf("  %s", st);
		if (!PQgetisnull(r, k, 7))
			printf(" %s", PQgetvalue(r, k, 7));
		putchar('\n');
		if (*PQgetvalue(r, k, 8) != '\0')
			printf("        %s\n", PQgetvalue(r, k, 8));
		if (*PQgetvalue(r, k, 13) != '\0' && strcmp(st, "done") == 0)
			printf("        risk: %s\n", PQgetvalue(r, k, 13));
	}
	PQclear(r);
}

static int
history(struct ctx *x)
{
	/*
	 * Applied migrations, and those with attempts but no row yet
	 * (failed, refused, interrupted), newest activity first.
	 */
	static const char sql[] =
	    "WITH a AS ("
	    " SELECT migration_id AS id, max(started_at) AS at,"
	    "  (array_agg(status ORDER BY attempt_id DESC))[1] AS last,"
	    "  (array_agg(step ORDER BY attempt_id DESC))[1] AS last_step,"
	    "  (array_agg(applied_by ORDER BY attempt_id DESC))[1] AS who,"
	    "  (array_agg(client_host ORDER BY attempt_id DESC))[1] AS host,"
	    "  count(DISTINCT step) FILTER (WHERE status = 'done') AS done"
	    " FROM @._zanith_migration_steps s WHERE " ZN_LIVE_ATTEMPT
	    " GROUP BY migration_id),"
	    " h AS ("
	    " SELECT m.id, m.applied_at AS at, 'applied' AS state,"
	    "  m.applied_by AS who, m.client_host AS host, m.steps,"
	    "  m.elapsed_ms, m.risk_worst, m.risk_max_score, m.out_of_order,"
	    "  m.checksum, m.run_id, NULL::integer AS at_step,"
	    "  NULL::text AS reason"
	    " FROM @._zanith_migrations m"
	    " UNION ALL"
	    " SELECT a.id, a.at, CASE a.last WHEN 'retried' THEN 'running'"
	    "  WHEN 'done' THEN 'partly applied' ELSE a.last END, a.who,"
	    "  a.host, a.done::integer, NULL, NULL,"
	    "  NULL, NULL, NULL, NULL, a.last_step, NULL"
	    " FROM a WHERE NOT EXISTS (SELECT FROM @._zanith_migrations m"
	    "  WHERE m.id = a.id)"
	    /* Taken down and resolved: the events that say so. */
	    " UNION ALL"
	    " SELECT e.migration_id, e.at, CASE e.kind WHEN 'down' THEN"
	    "  'taken down' ELSE 'resolved ' || (e.detail->>'as') END,"
	    "  e.actor, e.detail->>'host', NULL, NULL, NULL, NULL, NULL,"
	    "  NULL, e.run_id, NULL, e.reason"
	    " FROM @._zanith_events e WHERE e.kind IN ('down', 'resolve')"
	    "  AND e.migration_id IS NOT NULL)"
	    " SELECT id, to_char(at, 'YYYY-MM-DD HH24:MI:SS TZ'),"
	    "  to_char(at AT TIME ZONE 'UTC',"
	    "   'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),"
	    "  state, who, host, steps, elapsed_ms, risk_worst,"
	    "  risk_max_score, out_of_order, checksum, run_id, at_step,"
	    "  reason"
	    " FROM h"
	    " WHERE ($1::text IS NULL OR id = $1)"
	    "  AND ($2::text IS NULL OR at >= CASE WHEN $2 LIKE '-%'"
	    "   THEN now() + $2::interval ELSE $2::timestamptz END)"
	    " ORDER BY at DESC, id DESC";
	char *sincev = since(x->since);
	const char *params[2] = { x->id, sincev };
	PGresult *r;
	int k, color;

	open_ledger(x);
	if (sincev != NULL) {
		/* A bad time is the user's mistake, not the server's. */
		const char *p1[1] = { sincev };
		char *chk = L(x, "SELECT CASE WHEN $1 LIKE '-%' THEN now() + "
		    "$1::interval ELSE $1::timestamptz END");

		struct zn_pgres t;
		int ok = zn_pg_try(x->conn, &t, chk, 1, p1);

		free(chk);
		if (!ok && PQstatus(x->conn) != CONNECTION_OK)
			zn_pg_die(&t, "read --since", NULL);
		zn_pgres_clear(&t);
		if (!ok) {
			free(sincev);
			zn_usage_error("--since %s: not a time (2026-11-01) "
			    "nor a while (7d, 12h, 30min, 2w)", x->since);
		}
	}
	if (x->version == 0) {
		if (!x->json)
			printf("nothing applied yet: no ledger in schema %s\n",
			    x->schema);
		free(sincev);
		return ZN_EXIT_OK;
	}
	r = query(x, "read the history", sql, 2, params);
	color = !x->json && zn_term_color(stdout);
	for (k = 0; k < PQntuples(r); k++) {
		const char *id = PQgetvalue(r, k, 0), *st = PQgetvalue(r, k, 3);
		int applied = strcmp(st, "applied") == 0;
		int event = strcmp(st, "taken down") == 0 ||
		    strncmp(st, "resolved ", 9) == 0;

		if (x->json) {
			json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:o, "
			    "s:o, s:o}", "kind", "history", "migration", id,
			    "state", st, "at", PQgetvalue(r, k, 2), "by",
			    cell(r, k, 4), "host", cell(r, k, 5), "steps",
			    cell(r, k, 6));

			if (applied) {
				json_object_set_new(rec, "elapsed_ms",
				    cell(r, k, 7));
				json_object_set_new(rec, "risk_worst",
				    cell(r, k, 8));
				json_object_set_new(rec, "risk_max_score",
				    cell(r, k, 9));
				json_object_set_new(rec, "out_of_order",
				    cell(r, k, 10));
				json_object_set_new(rec, "checksum",
				    cell(r, k, 11));
				json_object_set_new(rec, "run", cell(r, k, 12));
			} else if (event) {
				json_object_set_new(rec, "run", cell(r, k, 12));
				json_object_set_new(rec, "reason",
				    cell(r, k, 14));
			} else
				json_object_set_new(rec, "step",
				    cell(r, k, 13));
			json_object_set_new(rec, "adhoc",
			    json_boolean(zn_ledger_adhoc(id)));
			emit(rec);
		} else {
			const char *on = "", *off = color ? "\033[0m" : "";

			if (color)
				on = applied ? "\033[32m" : event ? "\033[33m" :
				    "\033[1;31m";
			printf("%s%s%s ", on, applied ? "✓" : event ? "↓" :
			    sigil(st), off);
			zn_fputs_safe(id, stdout);
			printf("  %s  ", PQgetvalue(r, k, 1));
			zn_fputs_safe(PQgetvalue(r, k, 4), stdout);
			putchar('@');
			zn_fputs_safe(PQgetvalue(r, k, 5), stdout);
			if (applied) {
				printf("  %s step%s  %s ms", PQgetvalue(r, k, 6),
				    strcmp(PQgetvalue(r, k, 6), "1") == 0 ? "" :
				    "s", PQgetvalue(r, k, 7));
				if (!PQgetisnull(r, k, 8))
					printf("  %s %s", PQgetvalue(r, k, 8),
					    PQgetvalue(r, k, 9));
				if (strcmp(PQgetvalue(r, k, 10), "t") == 0)
					printf("  out of order");
			} else if (event) {
				printf("  %s", st);
				if (!PQgetisnull(r, k, 14)) {
					fputs(": ", stdout);
					zn_fputs_safe(PQgetvalue(r, k, 14), stdout);
				}
			} else if (strcmp(st, "partly applied") == 0)
				printf("  partly applied: %s step%s done",
				    PQgetvalue(r, k, 6), strcmp(PQgetvalue(r, k,
				    6), "1") == 0 ? "" : "s");
			else
				printf("  %s at step %s", st,
				    PQgetvalue(r, k, 13));
			if (zn_ledger_adhoc(id))
				printf("  ad hoc");
			putchar('\n');
		}
		if (x->verbose)
			attempts(x, id);
	}
	if (PQntuples(r) == 0 && !x->json)
		printf("no migrations%s\n", x->id != NULL || x->since != NULL ?
		    " match" : " applied yet");
	PQclear(r);
	free(sincev);
	return ZN_EXIT_OK;
}

/* ---- audit ---- */

static int
audit(struct ctx *x, const char *name)
{
	const struct audit *a = NULL;
	const char *params[1];
	PGresult *r;
	size_t i;
	int k, c, n;

	if (name == NULL) {
		for (i = 0; i < sizeof(audits) / sizeof(audits[0]); i++)
			printf("%-12s %s\n", audits[i].name, audits[i].about);
		return ZN_EXIT_OK;
	}
	for (i = 0; i < sizeof(audits) / sizeof(audits[0]); i++)
		if (strcmp(audits[i].name, name) == 0)
			a = &audits[i];
	if (a == NULL)
		zn_usage_error("no question '%s'; ask one of who, slowest, "
		    "failures, risk, recoverable, releases", name);
	open_ledger(x);
	if (x->version == 0) {
		fprintf(stderr, "zn-ledger: no ledger in schema %s: nothing "
		    "has been applied\n", x->schema);
		return ZN_EXIT_OK;
	}
	/* The queries name the tables plainly, as in contrib/audit. */
	params[0] = x->schema;
	PQclear(zn_pg_exec(x->conn, "find the ledger", "SELECT pg_catalog."
	    "set_config('search_path', pg_catalog.quote_ident($1), false)",
	    1, params));
	r = zn_pg_exec(x->conn, a->name, a->sql, 0, NULL);
	n = PQnfields(r);
	if (x->table || (!x->json && zn_term_isatty(stdout))) {
		struct zn_table *t = zn_table_new(n);
		const char **cells = zn_xcalloc((size_t)n, sizeof(*cells));

		for (c = 0; c < n; c++)
			cells[c] = PQfname(r, c);
		zn_table_cells(t, cells);
		for (k = 0; k < PQntuples(r); k++) {
			for (c = 0; c < n; c++)
				cells[c] = PQgetisnull(r, k, c) ? "-" :
				    PQgetvalue(r, k, c);
			zn_table_cells(t, cells);
		}
		zn_table_print(t, stdout);
		zn_table_free(t);
		free(cells);
		printf("(%d row%s)\n", PQntuples(r), PQntuples(r) == 1 ? "" :
		    "s");
	} else
		for (k = 0; k < PQntuples(r); k++) {
			json_t *rec = json_pack("{s:s, s:s}", "kind", "audit",
			    "question", a->name);

			for (c = 0; c < n; c++) {
				/* A column never hides what the record is. */
				const char *f = PQfname(r, c);
				char *alt = strcmp(f, "kind") == 0 ||
				    strcmp(f, "question") == 0 ?
				    zn_xasprintf("%s_", f) : NULL;

				json_object_set_new(rec, alt != NULL ? alt : f,
				    cell(r, k, c));
				free(alt);
			}
			emit(rec);
		}
	PQclear(r);
	return ZN_EXIT_OK;
}

/* ---- snapshot ---- */

static int
snapshot(struct ctx *x, const char *id, const char *which)
{
	const char *params[2] = { id, which };
	PGresult *r;

	if (strcmp(which, "before") != 0 && strcmp(which, "after") != 0)
		zn_usage_error("snapshot %s %s: before or after", id, which);
	open_ledger(x);
	if (x->version == 0) {
		fprintf(stderr, "zn-ledger: no ledger in schema %s: no "
		    "snapshots\n", x->schema);
		return ZN_EXIT_NEGATIVE;
	}
	/* The first before and the last after: a resumed run takes more. */
	r = query(x, "read the snapshot", "SELECT graph FROM "
	    "@._zanith_schema_snapshots WHERE migration_id = $1 AND which = $2 "
	    "ORDER BY CASE WHEN which = 'before' THEN id ELSE -id END LIMIT 1",
	    2, params);
	if (PQntuples(r) == 0) {
		PQclear(r);
		fprintf(stderr, "zn-ledger: no snapshot of the schema %s "
		    "migration %s\n", which, id);
		return ZN_EXIT_NEGATIVE;
	}
	fputs(PQgetvalue(r, 0, 0), stdout);
	PQclear(r);
	if (fflush(stdout) != 0 || ferror(stdout))
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot write the snapshot");
	return ZN_EXIT_OK;
}

/* ---- down ---- */

/* "zn-ledger: <what><id><why><dir>", the names' escapes made visible. */
static void
notin(const char *what, const char *id, const char *why, const char *dir)
{
	fputs("zn-ledger: ", stderr);
	fputs(what, stderr);
	zn_fputs_safe(id, stderr);
	fputs(why, stderr);
	zn_fputs_safe(dir, stderr);
	fputc('\n', stderr);
}

/* The file migration of id in st, or NULL. */
static const struct zn_mig *
findmig(const struct zn_lstate *st, const char *id)
{
	size_t i;

	for (i = 0; i < st->nm; i++)
		if (strcmp(st->m[i].id, id) == 0)
			return &st->m[i];
	return NULL;
}

/*
 * What zn down needs of the ledger to take the newest applied
 * migrations down (all of them newer than to, or the newest nsteps):
 * each must be whole and unchanged, and every step of each must have a
 * reverse and nothing it parked purged.  Writes the schema stored before
 * the oldest of them to out, and to stdout, one per line, "restore N"
 * for each artifact they parked and is not restored (its number, newest
 * first) and then "migration ID" for each of them, newest first.
 */
static int
down(struct ctx *x, const char *dir, long nsteps, const char *to,
    const char *out)
{
	struct zn_plan p;
	struct zn_lstate st;
	struct zn_buf ids = ZN_BUF_INIT;
	const struct zn_mig **rev;
	const char *params[1];
	char *d = migdir(x, dir);
	PGresult *r;
	size_t i, j, napplied = 0, nrev = 0;
	FILE *fp;
	int k, rc = ZN_EXIT_OK;

	open_ledger(x);
	readfiles(&p, d, dir == NULL);
	readstate(x, &st, &p);
	rev = zn_xcalloc(st.nm + 1, sizeof(*rev));
	for (i = 0; i < st.nm; i++) {
		enum zn_mstate ms = st.m[i].state;

		if (ms == ZN_MS_PARTLY || ms == ZN_MS_FAILED ||
		    ms == ZN_MS_INTERRUPTED || ms == ZN_MS_CHANGED) {
			fputs("zn-ledger: migration ", stderr);
			zn_fputs_safe(st.m[i].id, stderr);
			fprintf(stderr, " is %s: resolve it first "
			    "(zn-ledger resolve, zn-ledger(1))\n",
			    zn_mstate_name(ms));
			rc = ZN_EXIT_RESOLVE;
			goto done;
		}
		if (st.m[i].applied)
			napplied++;
	}
	if (to != NULL) {
		const struct zn_mig *m = findmig(&st, to);

		if (m == NULL || !m->applied) {
			notin("--to ", to, ": no applied migration of that "
			    "id in ", d);
			rc = ZN_EXIT_NEGATIVE;
			goto done;
		}
	}
	/* Newest first: the files are in the order of their ids. */
	for (i = st.nm; i-- > 0;) {
		if (!st.m[i].applied)
			continue;
		if (to != NULL ? strcmp(st.m[i].id, to) == 0 :
		    nrev == (size_t)nsteps)
			break;
		rev[nrev++] = &st.m[i];
	}
	if (to == NULL && nrev < (size_t)nsteps) {
		fprintf(stderr, "zn-ledger: %ld to take down, but %zu "
		    "migration%s applied\n", nsteps, napplied, napplied == 1 ?
		    " is" : "s are");
		rc = ZN_EXIT_NEGATIVE;
		goto done;
	}
	if (nrev == 0) {
		fputs("zn-ledger: nothing to take down\n", stderr);
		goto done;
	}
	/* What the ledger has and no file has, newer than what stays. */
	for (i = 0; i < st.ngone; i++)
		if (strcmp(st.gone[i].id, rev[nrev - 1]->id) > 0) {
			fputs("zn-ledger: applied migration ", stderr);
			zn_fputs_safe(st.gone[i].id, stderr);
			fputs(" has no file: it cannot be taken down\n", stderr);
			rc = ZN_EXIT_RESOLVE;
			goto done;
		}
	/* zn down hands them on one line, comma-separated. */
	for (j = 0; j < nrev; j++)
		if (strpbrk(rev[j]->id, ",\n\r") != NULL) {
			fputs("zn-ledger: migration ", stderr);
			zn_fputs_safe(rev[j]->id, stderr);
			fputs(": an id with a comma or a line break cannot be "
			    "taken down by zn down\n", stderr);
			rc = ZN_EXIT_NEGATIVE;
			goto done;
		}
	for (j = 0; j < nrev; j++)
		for (i = rev[j]->first; i < rev[j]->first + rev[j]->n; i++) {
			json_t *rv = zn_op_reverse(&p.ops[i]);

			if (json_array_size(rv) > 0)
				continue;
			fputs("zn-ledger: migration ", stderr);
			zn_fputs_safe(rev[j]->id, stderr);
			fprintf(stderr, " step %zu (", i - rev[j]->first + 1);
			zn_fputs_safe(p.ops[i].op, stderr);
			fputc(' ', stderr);
			zn_fputs_safe(p.ops[i].target != NULL ?
			    p.ops[i].target : "", stderr);
			fputs(") has no reverse: it cannot be taken down\n",
			    stderr);
			rc = ZN_EXIT_NEGATIVE;
			goto done;
		}
	zn_buf_addch(&ids, '{');
	for (j = 0; j < nrev; j++)
		zn_pg_array_add(&ids, rev[j]->id);
	zn_buf_addch(&ids, '}');
	params[0] = ids.buf;
	/* A ledger of version 1 says the same in the columns it has. */
	r = query(x, "read what the migrations parked", x->version >= 2 ?
	    "SELECT artifact_id, status, migration_id, step, id::text "
	    "FROM @._zanith_migration_artifacts "
	    "WHERE migration_id = ANY ($1::text[]) AND kind <> "
	    "'rebuild_table' AND status <> 'restored' "
	    "ORDER BY migration_id DESC, step DESC, id DESC" :
	    "SELECT migration_id || '::' || kind || '::' || object, "
	    "CASE WHEN purged_at IS NOT NULL THEN 'purged' ELSE 'parked' END, "
	    "migration_id, step, id::text "
	    "FROM @._zanith_migration_artifacts "
	    "WHERE migration_id = ANY ($1::text[]) AND kind <> "
	    "'rebuild_table' AND restored_at IS NULL "
	    "ORDER BY migration_id DESC, step DESC, id DESC", 1, params);
	for (k = 0; k < PQntuples(r); k++)
		if (strcmp(PQgetvalue(r, k, 1), "purged") == 0) {
			fputs("zn-ledger: migration ", stderr);
			zn_fputs_safe(PQgetvalue(r, k, 2), stderr);
			fprintf(stderr, " step %s parked artifact ",
			    PQgetvalue(r, k, 3));
			zn_fputs_safe(PQgetvalue(r, k, 0), stderr);
			fputs(", which was purged: it cannot be taken down\n",
			    stderr);
			PQclear(r);
			rc = ZN_EXIT_NEGATIVE;
			goto done;
		}
	params[0] = rev[nrev - 1]->id;
	{
		PGresult *g = query(x, "read the snapshot", "SELECT graph FROM "
		    "@._zanith_schema_snapshots WHERE migration_id = $1 AND "
		    "which = 'before' ORDER BY id LIMIT 1", 1, params);

		if (PQntuples(g) == 0) {
			PQclear(g);
			PQclear(r);
			fputs("zn-ledger: the ledger keeps no snapshot of the "
			    "schema before ", stderr);
			zn_fputs_safe(rev[nrev - 1]->id, stderr);
			fputc('\n', stderr);
			rc = ZN_EXIT_UNAVAILABLE;
			goto done;
		}
		if ((fp = fopen(out, "w")) == NULL ||
		    fwrite(PQgetvalue(g, 0, 0), 1, (size_t)PQgetlength(g, 0,
		    0), fp) != (size_t)PQgetlength(g, 0, 0) ||
		    fclose(fp) != 0)
			zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot write '%s'",
			    out);
		PQclear(g);
	}
	/* By number: a migration taken down and up again parks again. */
	for (k = 0; k < PQntuples(r); k++) {
		fputs("restore ", stdout);
		fputs(PQgetvalue(r, k, 4), stdout);
		putchar('\n');
	}
	PQclear(r);
	for (j = 0; j < nrev; j++) {
		fputs("migration ", stdout);
		fputs(rev[j]->id, stdout);
		putchar('\n');
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "write error");
done:
	zn_buf_release(&ids);
	free(rev);
	zn_lstate_release(&st, &p);
	zn_plan_release(&p);
	free(d);
	return rc;
}

/* ---- resolve ---- */

/*
 * A failed, interrupted or partly applied migration, fixed by hand:
 * recorded as applied (its row, and the schema as it now is as its
 * after snapshot) or as rolled back (pending again: the steps done so
 * far no longer count), with an event that keeps who, why and when.
 * Under the migration lock, in one transaction.
 */
static int
resolve(struct ctx *x, const char *dir, const char *id, const char *as,
    const char *reason, long lockwait)
{
	struct zn_plan p;
	struct zn_lstate st;
	struct zn_lock lk;
	struct zn_snapshot_opts so;
	struct zn_graph g;
	struct zn_pgres res;
	const struct zn_mig *m;
	char *d = migdir(x, dir), *sql, *graph = NULL, host[256], n[32];
	char sum[ZN_SHA256_STRLEN], *seed, runid[24];
	const char *params[7];
	size_t glen = 0;
	FILE *fp;
	int applied = strcmp(as, "applied") == 0, rc = ZN_EXIT_OK;

	x->conn = zn_pg_connect(x->conninfo);
	zn_pg_cancel_at_signal(x->conn);
	zn_lock_nopooler(x->conn, x->conninfo, "zn-ledger");
	zn_lock_init(&lk, x->conn, x->schema);
	zn_lock_take(&lk, lockwait, NULL);
	x->version = zn_ledger_version(x->conn, x->schema);
	readfiles(&p, d, dir == NULL);
	readstate(x, &st, &p);
	if ((m = findmig(&st, id)) == NULL) {
		notin("resolve ", id, ": no such migration in ", d);
		rc = ZN_EXIT_UNAVAILABLE;
		goto done;
	}
	if (m->state != ZN_MS_PARTLY && m->state != ZN_MS_FAILED &&
	    m->state != ZN_MS_INTERRUPTED) {
		fputs("zn-ledger: resolve ", stderr);
		zn_fputs_safe(id, stderr);
		fprintf(stderr, ": it is %s, not failed, interrupted or partly "
		    "applied: nothing to resolve\n", zn_mstate_name(m->state));
		rc = ZN_EXIT_NEGATIVE;
		goto done;
	}
	if (gethostname(host, sizeof(host) - 1) != 0)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	seed = zn_xasprintf("resolve.%ld.%ld.%f", (long)getpid(),
	    (long)time(NULL), zn_now_ms());
	zn_sha256(seed, strlen(seed), sum);
	free(seed);
	snprintf(runid, sizeof(runid), "%.20s", sum + 7);
	if (applied) {
		/* The schema the fix left: what drift is measured from. */
		memset(&so, 0, sizeof(so));
		so.schemas = (const char *const *)x->cfg.schemas;
		so.exclude_schemas = (const char *const *)
		    x->cfg.exclude_schemas;
		so.ledger_schema = x->schema;
		zn_graph_from_db(&g, x->conn, &so);
		if ((fp = open_memstream(&graph, &glen)) == NULL)
			zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot keep a "
			    "snapshot");
		zn_graph_write(&g, fp);
		fclose(fp);
	}
	zn_pg_cmd(x->conn, "start the resolution", "BEGIN");
	snprintf(n, sizeof(n), "%zu", m->n);
	params[0] = id;
	params[1] = as;
	params[2] = reason;
	params[3] = runid;
	params[4] = host;
	params[5] = m->checksum;
	params[6] = n;
	sql = L(x, "INSERT INTO @._zanith_events (kind, run_id, "
	    "migration_id, reason, detail) VALUES ('resolve', $4, $1, $3, "
	    "jsonb_build_object('as', $2::text, 'host', $5::text, "
	    "'checksum', $6::text, 'steps', $7::int, 'through_attempt', "
	    "CASE WHEN $2 = 'rolled-back' THEN (SELECT max(s.attempt_id) "
	    "FROM @._zanith_migration_steps s WHERE s.migration_id = $1) "
	    "END))");
	if (!zn_pg_try(x->conn, &res, sql, 7, params))
		zn_pg_die(&res, "record the resolution", NULL);
	zn_pgres_clear(&res);
	free(sql);
	if (applied) {
		params[1] = m->checksum;
		params[2] = host;
		params[3] = runid;
		params[4] = n;
		sql = L(x, "INSERT INTO @._zanith_migrations (id, checksum, "
		    "client_host, run_id, steps, elapsed_ms) VALUES ($1, $2, "
		    "$3, $4, $5::int, 0)");
		if (!zn_pg_try(x->conn, &res, sql, 5, params))
			zn_pg_die(&res, "record the migration as applied",
			    NULL);
		zn_pgres_clear(&res);
		free(sql);
		params[1] = runid;
		params[2] = g.hash;
		params[3] = graph;
		sql = L(x, "INSERT INTO @._zanith_schema_snapshots "
		    "(migration_id, which, run_id, hash, graph) VALUES ($1, "
		    "'after', $2, $3, $4)");
		if (!zn_pg_try(x->conn, &res, sql, 4, params))
			zn_pg_die(&res, "keep the schema as resolved", NULL);
		zn_pgres_clear(&res);
		free(sql);
	}
	zn_pg_cmd(x->conn, "end the resolution", "COMMIT");
	fputs("resolved ", stdout);
	zn_fputs_safe(id, stdout);
	printf(" as %s\n", as);
	if (applied) {
		zn_graph_release(&g);
		free(graph);
	}
done:
	zn_lock_release(&lk);
	zn_lstate_release(&st, &p);
	zn_plan_release(&p);
	free(d);
	return rc;
}

/* ---- config ---- */

/* Value v of the configuration, for people: text as it is, else JSON. */
/* A conninfo or URL that holds a password. */
static int
haspassword(const char *c)
{
	const char *at, *colon;

	if (strstr(c, "password") != NULL)
		return 1;
	if ((at = strchr(c, '@')) == NULL || strstr(c, "://") == NULL)
		return 0;
	colon = strchr(strstr(c, "://") + 3, ':');
	return colon != NULL && colon < at;
}

static void
putval(const char *key, const json_t *v, const char *from)
{
	char *t;

	printf("%-24s ", key);
	if (json_is_string(v))
		zn_fputs_safe(json_string_value(v), stdout);
	else if ((t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT)) != NULL) {
		fputs(t, stdout);
		free(t);
	}
	if (from != NULL)
		printf("  (%s)", from);
	putchar('\n');
}

/*
 * zanith.yaml as every command reads it (a file that is not right has
 * died already, file:line:col, 65), and what each durable option comes
 * to here: the ZN_* variable, then ZN_ENV's environment, then the file.
 */
static int
config(struct ctx *x)
{
	static const struct {
		const char *section, *key, *var;
	} opts[] = {
		{ "gates", "max_risk", NULL },
		{ "gates", "allow_destructive", NULL },
		{ "gates", "fail_on", NULL },
		{ "gates", "allow", NULL },
		{ "gates", "lock_timeout", "ZN_LOCK_TIMEOUT" },
		{ "gates", "max_lock_timeout", NULL },
		{ "gates", "probe_timeout", NULL },
		{ "gates", "preflight", NULL },
		{ "gates", "small_rows", NULL },
		{ "gates", "large_rows", NULL },
		{ "gates", "large_bytes", NULL },
		{ "apply", "lock_wait", "ZN_LOCK_WAIT" },
		{ "apply", "statement_timeout", "ZN_STATEMENT_TIMEOUT" },
		{ "apply", "retries", "ZN_RETRIES" },
		{ "diff", "drop_policy", "ZN_DROP_POLICY" },
	};
	const char *env = getenv("ZN_ENV"), *t;
	const json_t *e = NULL, *v, *sec;
	json_t *rec = NULL, *s;
	const char *name;
	char key[64];
	size_t i;
	int ok;

	if (env != NULL && *env != '\0' &&
	    (e = json_object_get(x->cfg.environments, env)) == NULL) {
		fputs("zn-ledger: ZN_ENV names environment ", stderr);
		zn_fputs_safe(env, stderr);
		fputs(", which zanith.yaml does not have\n", stderr);
		return ZN_EXIT_DATAERR;
	}
	if (x->json && (rec = json_pack("{s:s, s:s?, s:s?}", "kind", "config",
	    "file", x->cfg.path, "environment", e != NULL ? env : NULL)) ==
	    NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	if (!x->json) {
		fputs(x->cfg.path != NULL ? x->cfg.path : "no zanith.yaml",
		    stdout);
		printf(": ok%s", e != NULL ? ", environment " : "");
		if (e != NULL)
			zn_fputs_safe(env, stdout);
		putchar('\n');
	}
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		const char *from = NULL;

		v = NULL;
		if (opts[i].var != NULL && (t = getenv(opts[i].var)) != NULL &&
		    *t != '\0') {
			s = json_string(t);
			from = opts[i].var;
		} else {
			if (e != NULL && (v = json_object_get(e,
			    opts[i].key)) != NULL && !json_is_null(v))
				from = "environment";
			else {
				sec = strcmp(opts[i].section, "apply") == 0 ?
				    x->cfg.apply : strcmp(opts[i].section,
				    "diff") == 0 ? x->cfg.diff : x->cfg.gates;
				v = json_object_get(sec, opts[i].key);
			}
			if (v == NULL || json_is_null(v))
				continue;
			s = json_incref((json_t *)v);
		}
		if (s == NULL)
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
		snprintf(key, sizeof(key), "%s.%s", opts[i].section,
		    opts[i].key);
		if (rec != NULL)
			ok = json_object_set(rec, key, s) == 0;
		else {
			putval(key, s, from);
			ok = 1;
		}
		json_decref(s);
		if (!ok)
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	}
	{
		static const char *const keys[] = { "schema", "migrations",
		    "ledger_schema", "database", "scratch", "shadow" };
		const char *vals[6];

		vals[0] = x->cfg.schema;
		vals[1] = x->cfg.migrations;
		vals[2] = x->cfg.ledger_schema;
		vals[3] = x->cfg.database;
		vals[4] = x->cfg.scratch;
		vals[5] = x->cfg.shadow;
		for (i = 0; i < 6; i++) {
			if (vals[i] == NULL)
				continue;
			/* A password is not shown. */
			s = json_string(i >= 3 && haspassword(vals[i]) ?
			    "(a conninfo with a password)" : vals[i]);
			if (s == NULL || (rec != NULL && json_object_set(rec,
			    keys[i], s) != 0))
				zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
			if (rec == NULL)
				putval(keys[i], s, NULL);
			json_decref(s);
		}
	}
	if (x->cfg.sample_rows > 0) {
		s = json_integer(x->cfg.sample_rows);
		if (s == NULL || (rec != NULL && json_object_set(rec,
		    "shadow.sample_rows", s) != 0))
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
		if (rec == NULL)
			putval("shadow.sample_rows", s, NULL);
		json_decref(s);
	}
	if (x->cfg.retention_days > 0 || (e != NULL &&
	    json_object_get(e, "retention") != NULL)) {
		s = json_integer(zn_config_retention(&x->cfg, e != NULL ? env :
		    NULL));
		if (s == NULL || (rec != NULL && json_object_set(rec,
		    "retention_days", s) != 0))
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
		if (rec == NULL)
			putval("retention_days", s, NULL);
		json_decref(s);
	}
	if (json_object_size(x->cfg.environments) > 0) {
		s = json_array();
		json_object_foreach((json_t *)x->cfg.environments, name, v)
			if (s == NULL || json_array_append_new(s,
			    json_string(name)) != 0)
				zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
		if (rec != NULL && json_object_set(rec, "environments", s) != 0)
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
		if (rec == NULL)
			putval("environments", s, NULL);
		json_decref(s);
	}
	if (rec != NULL)
		emit(rec);
	if (fflush(stdout) != 0 || ferror(stdout))
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "write error");
	return ZN_EXIT_OK;
}

int
main(int argc, char *argv[])
{
	struct ctx x;
	const char *dir = NULL, *dbname = NULL, *lschema = NULL, *cmd;
	const char *as = NULL, *reason = NULL, *to = NULL, *out = NULL;
	long nsteps = -1, lockwait = 60000;
	int ch, rc, setwait = 0;
	char *end;

	zn_init(argv[0]);
	memset(&x, 0, sizeof(x));
	while ((ch = getopt_long(argc, argv, "C:d:o:v", longopts, NULL)) != -1)
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'd':
			dbname = optarg;
			break;
		case 'v':
			x.verbose = 1;
			break;
		case 'o':
			out = optarg;
			break;
		case 'a' + 256:
		case 'b' + 256:
			if (as != NULL)
				zn_usage_error("--applied or --rolled-back, "
				    "one of them");
			as = ch == 'a' + 256 ? "applied" : "rolled-back";
			break;
		case 'r' + 256:
			reason = optarg;
			break;
		case 'w' + 256:
			lockwait = zn_duration_arg("--lock-wait", optarg, 1);
			setwait = 1;
			break;
		case 'S' + 256:
			errno = 0;
			nsteps = strtol(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    nsteps < 1 || nsteps > 100000)
				zn_usage_error("--steps: a number of "
				    "migrations from 1, not '%s'", optarg);
			break;
		case 'T' + 256:
			to = optarg;
			break;
		case 'c' + 256:
			zn_complete(longopts);
		case 'e' + 256:
			x.exitcode = 1;
			break;
		case 'h' + 256:
			fputs(usage, stdout);
			return zn_finish(ZN_EXIT_OK);
		case 'i' + 256:
			x.id = optarg;
			break;
		case 'j' + 256:
			x.json = 1;
			break;
		case 'L' + 256:
			lschema = optarg;
			break;
		case 's' + 256:
			x.since = optarg;
			break;
		case 't' + 256:
			x.table = 1;
			break;
		case 'V' + 256:
			zn_version();
		default:
			fputs(usage, stderr);
			return ZN_EXIT_USAGE;
		}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		zn_usage_error("a command: status, pending, history, audit, "
		    "snapshot, resolve, down or config");
	cmd = argv[0];
	if (x.json && x.table)
		zn_usage_error("--json or --table, not both");
	if (x.exitcode && strcmp(cmd, "status") != 0)
		zn_usage_error("--exit-code goes with status");
	if ((x.verbose || x.since != NULL || x.id != NULL) &&
	    strcmp(cmd, "history") != 0)
		zn_usage_error("-v, --since and --id go with history");
	if (x.table && strcmp(cmd, "audit") != 0)
		zn_usage_error("--table goes with audit");
	if ((as != NULL || reason != NULL || setwait) &&
	    strcmp(cmd, "resolve") != 0)
		zn_usage_error("--applied, --rolled-back, --reason and "
		    "--lock-wait go with resolve");
	if ((nsteps >= 0 || to != NULL || out != NULL) &&
	    strcmp(cmd, "down") != 0)
		zn_usage_error("--steps, --to and -o go with down");
	zn_config_load(&x.cfg, dir);
	x.schema = lschema != NULL ? lschema : x.cfg.ledger_schema;
	x.conninfo = zn_pg_target(dbname, &x.cfg);
	/* resolve waits as zn-apply does: ZN_LOCK_WAIT, then the file. */
	if (!setwait) {
		char buf[32];
		const char *t = zn_config_opt(&x.cfg, "apply", "lock_wait",
		    "ZN_LOCK_WAIT", buf, sizeof(buf));

		if (t != NULL)
			lockwait = zn_duration_arg("lock_wait", t, 1);
	}

	if (strcmp(cmd, "status") == 0 && argc <= 2)
		rc = status(&x, argc == 2 ? argv[1] : NULL);
	else if (strcmp(cmd, "pending") == 0 && argc <= 2) {
		if (x.json)
			zn_usage_error("pending writes an op stream: no --json");
		rc = pending(&x, argc == 2 ? argv[1] : NULL);
	} else if (strcmp(cmd, "history") == 0 && argc == 1)
		rc = history(&x);
	else if (strcmp(cmd, "audit") == 0 && argc <= 2)
		rc = audit(&x, argc == 2 ? argv[1] : NULL);
	else if (strcmp(cmd, "snapshot") == 0 && (argc == 2 || argc == 3)) {
		if (x.json)
			zn_usage_error("snapshot writes records: no --json");
		rc = snapshot(&x, argv[1], argc == 3 ? argv[2] : "after");
	} else if (strcmp(cmd, "resolve") == 0 && (argc == 2 || argc == 3)) {
		if (as == NULL)
			zn_usage_error("resolve %s: --applied or --rolled-back",
			    argv[1]);
		if (reason == NULL || *reason == '\0')
			zn_usage_error("resolve: --reason TEXT, why it is "
			    "resolved so");
		if (x.json)
			zn_usage_error("resolve writes a line: no --json");
		rc = resolve(&x, argc == 3 ? argv[2] : NULL, argv[1], as,
		    reason, lockwait);
	} else if (strcmp(cmd, "down") == 0 && argc <= 2) {
		if (out == NULL)
			zn_usage_error("down: -o FILE, for the schema before");
		if (nsteps >= 0 && to != NULL)
			zn_usage_error("down: --steps or --to, not both");
		if (x.json)
			zn_usage_error("down writes lines: no --json");
		rc = down(&x, argc == 2 ? argv[1] : NULL, nsteps >= 0 ?
		    nsteps : 1, to, out);
	} else if (strcmp(cmd, "config") == 0 && argc == 1)
		rc = config(&x);
	else if (strcmp(cmd, "status") == 0 || strcmp(cmd, "pending") == 0 ||
	    strcmp(cmd, "history") == 0 || strcmp(cmd, "audit") == 0 ||
	    strcmp(cmd, "snapshot") == 0 || strcmp(cmd, "down") == 0 ||
	    strcmp(cmd, "config") == 0)
		zn_usage_error("%s: too many arguments", cmd);
	else if (strcmp(cmd, "resolve") == 0)
		zn_usage_error("resolve ID [dir]: one migration");
	else
		zn_usage_error("no command '%s': status, pending, history, "
		    "audit, snapshot, resolve, down or config", cmd);
	if (x.conn != NULL)
		PQfinish(x.conn);
	zn_config_release(&x.cfg);
	return zn_finish(rc);
}
