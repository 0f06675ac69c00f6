/* SPDX-License-Identifier: ISC */
/*
 * zn-apply: run the steps of an op stream or of migration files against
 * a live database, one step at a time, under the migration lock, each
 * step recorded in the ledger in the same transaction as its DDL
 * (zn-apply(1), zn-ledger(7)).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zn.h"

static const char usage[] =
"usage: zn-apply [-C dir] [-d conninfo] [--ledger-schema name]\n"
"                [--lock-wait dur] [--lock-timeout dur]\n"
"                [--statement-timeout dur] [--retries N] [--atomic]\n"
"                [--allow-out-of-order] [--steps N] [--to ID]\n"
"                [--dry-run] [--json] [input]\n"
"\n"
"Apply an op stream (stdin or a file), a migration file or a directory\n"
"of them to the database, one step at a time, under the migration lock,\n"
"recording every step in the ledger.  A re-run resumes where a failed or\n"
"interrupted run stopped and runs nothing twice.\n"
"\n"
"Options:\n"
"  -C, --directory=DIR         read DIR/zanith.yaml (default: .)\n"
"  -d, --dbname=CONNINFO       the database (a direct connection)\n"
"      --ledger-schema=NAME    the ledger's schema (default: public)\n"
"      --lock-wait=DUR         wait for the migration lock, and for each\n"
"                              table lock the schema read before a\n"
"                              migration needs (60s)\n"
"      --lock-timeout=DUR      each step's lock_timeout when the plan\n"
"                              gives none (5s)\n"
"      --statement-timeout=DUR each transactional step's bound (0: none)\n"
"      --retries=N             retries of a step that times out on a lock\n"
"                              or deadlocks (5)\n"
"      --atomic                each migration in one transaction\n"
"      --allow-out-of-order    apply migrations older than applied ones\n"
"      --steps=N               run at most N steps\n"
"      --to=ID                 stop after migration ID\n"
"  -n, --dry-run               print what would run; write nothing\n"
"      --json                  one record per step event\n"
"      --help                  show this help and exit\n"
"      --version               show the version and exit\n"
"\n"
"Exit: 0 done, 1 a step failed or the plan is blocked, 2 cannot connect,\n"
"3 the lock is busy, 4 the ledger disagrees, 65 bad input, 130 signal.\n"
"See zn-apply(1).\n";

static const struct option longopts[] = {
	{ "allow-out-of-order", no_argument, NULL, 'O' + 256 },
	{ "atomic", no_argument, NULL, 'a' + 256 },
	{ "complete", no_argument, NULL, 'c' + 256 },
	{ "dbname", required_argument, NULL, 'd' },
	{ "directory", required_argument, NULL, 'C' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' + 256 },
	{ "json", no_argument, NULL, 'j' + 256 },
	{ "ledger-schema", required_argument, NULL, 'L' + 256 },
	{ "lock-timeout", required_argument, NULL, 't' + 256 },
	{ "lock-wait", required_argument, NULL, 'w' + 256 },
	{ "retries", required_argument, NULL, 'r' + 256 },
	{ "statement-timeout", required_argument, NULL, 's' + 256 },
	{ "steps", required_argument, NULL, 'S' + 256 },
	{ "to", required_argument, NULL, 'T' + 256 },
	{ "version", no_argument, NULL, 'v' + 256 },
	{ NULL, 0, NULL, 0 }
};

/* A step: one op of the plan, and what the ledger says of it. */
struct step {
	const struct zn_op *op;
	size_t mig;		/* index in migs */
	int n;			/* 1-based within its migration */
	char *sql;		/* its statements, each ended by ";\n" */
	char sum[ZN_SHA256_STRLEN];
	int done;		/* a done attempt is recorded */
	char *donesum;		/* that attempt's sql_sha256 */
	long long running;	/* the attempt left running, or 0 */
	int runtx;		/* ... and whether it was transactional */
};

struct mig {
	const char *id;
	const char *checksum;
	size_t first, n;	/* its steps */
	int applied;
	char *appliedsum, *appliedat;
	int outoforder;
};

struct run {
	const char *schema;	/* the ledger's */
	PGconn *conn;		/* the lock, the steps and the ledger */
	PGconn *mon;		/* watches a waiting step's blockers */
	const char *conninfo;
	struct zn_config *cfg;
	struct zn_plan *p;
	struct step *steps;
	struct mig *migs;
	size_t nmigs;
	char runid[40];
	long long key;
	long lockwait, locktimeout, stmttimeout;
	int retries, atomic, allowooo, dry, json, color;
	long maxsteps;
	const char *to;
	int locked;
	/* counts for the summary */
	int ran, skipped, failed;
	char host[256];
	char *plainid;		/* the id of a plan with no migration */
};

static volatile sig_atomic_t stopsig;

static void
onsignal(int sig)
{
	stopsig = sig;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
sleep_ms(long ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !stopsig)
		;
}

/* ---- fault injection (test builds only) ---- */

/*
 * ZN_FAULT=step:N:POINT kills the process (SIGKILL, no cleanup) at POINT
 * of the Nth step this run executes: before_exec, after_exec (before the
 * commit), after_commit (before the next step), during (a
 * non-transactional step, once its statement is sent), or
 * ZN_FAULT=before_unlock.
 */
#ifdef ZN_FAULTS
static void
fault(const char *point, int nth)
{
	const char *f = getenv("ZN_FAULT");
	char want[64];

	if (f == NULL)
		return;
	if (nth > 0)
		snprintf(want, sizeof(want), "step:%d:%s", nth, point);
	else
		snprintf(want, sizeof(want), "%s", point);
	if (strcmp(f, want) == 0) {
		fflush(stdout);
		fprintf(stderr, "zn-apply: fault %s: killed\n", want);
		kill(getpid(), SIGKILL);
	}
}
#else
#define fault(point, nth) ((void)0)
#endif

/* ---- talking to the server without dying ---- */

struct res {
	PGresult *r;
	const char *state;	/* SQLSTATE, "" when none */
	char *msg;		/* one line, owned */
};

static void
res_clear(struct res *x)
{
	PQclear(x->r);
	free(x->msg);
	memset(x, 0, sizeof(*x));
}

static int
resok(const PGresult *r)
{
	ExecStatusType st = PQresultStatus(r);

	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

static void
fill(struct run *u, struct res *x, PGresult *r)
{
	const char *s;

	x->r = r;
	s = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	x->state = s != NULL ? s : "";
	x->msg = zn_pg_redact(r != NULL && *PQresultErrorMessage(r) ?
	    PQresultErrorMessage(r) : PQerrorMessage(u->conn), u->conninfo);
}

/* Runs sql with params; 1 when it succeeded.  x is filled either way. */
static int
q(struct run *u, struct res *x, const char *sql, int n,
    const char *const *params)
{
	memset(x, 0, sizeof(*x));
	/* Without parameters, the simple protocol: several commands. */
	fill(u, x, n == 0 ? PQexec(u->conn, sql) : PQexecParams(u->conn, sql,
	    n, NULL, params, NULL, NULL, 0));
	return resok(x->r);
}

/* The same, dying with status 2 on failure (for the ledger's reads). */
static PGresult *
must(struct run *u, const char *what, const char *sql, int n,
    const char *const *params)
{
	struct res x;

	if (!q(u, &x, sql, n, params))
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot %s: %s", what, x.msg);
	free(x.msg);
	return x.r;
}

static char *
L(struct run *u, const char *text)
{
	return zn_ledger_sql(text, u->schema);
}

/* ---- the migration lock ---- */

static void
holder(struct run *u, struct zn_buf *b)
{
	char key[32];
	const char *params[1] = { key };
	PGresult *r;
	int i;

	snprintf(key, sizeof(key), "%lld", u->key);
	r = must(u, "find the lock's holder",
	    "SELECT a.pid, coalesce(a.application_name, ''), "
	    "coalesce(a.state, ''), coalesce(to_char(a.query_start, "
	    "'YYYY-MM-DD HH24:MI:SS TZ'), ''), "
	    "coalesce(left(regexp_replace(a.query, '\\s+', ' ', 'g'), 120), "
	    "'') FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity "
	    "a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
	    "AND l.objsubid = 1 AND l.classid::bigint = ($1::bigint >> 32) "
	    "AND l.objid::bigint = ($1::bigint & 4294967295)", 1, params);
	for (i = 0; i < PQntuples(r); i++)
		zn_buf_addf(b, "%spid %s (application_name '%s', state %s, "
		    "query started %s: %s)", i > 0 ? "; " : "",
		    PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
		    PQgetvalue(r, i, 2), PQgetvalue(r, i, 3),
		    PQgetvalue(r, i, 4));
	if (PQntuples(r) == 0)
		zn_buf_adds(b, "a session that has since let it go");
	PQclear(r);
}

/*
 * Polls pg_try_advisory_lock, each try a short statement of its own, so
 * that a waiting run holds no transaction a concurrent index build would
 * wait for.  Backoff from 50 ms to 1 s, with jitter.
 */
static void
lock(struct run *u)
{
	char key[32];
	const char *params[1] = { key };
	double start = now_ms();
	long wait = 50;
	PGresult *r;
	int got;

	snprintf(key, sizeof(key), "%lld", u->key);
	for (;;) {
		r = must(u, "take the migration lock",
		    "SELECT pg_catalog.pg_try_advisory_lock($1::bigint)", 1,
		    params);
		got = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
		PQclear(r);
		if (got) {
			u->locked = 1;
			return;
		}
		if (stopsig)
			exit(ZN_EXIT_SIGNAL);
		if (now_ms() - start >= (double)u->lockwait) {
			struct zn_buf b = ZN_BUF_INIT;

			holder(u, &b);
			zn_die(ZN_EXIT_BUSY, "the migration lock (key %lld, "
			    "ledger schema %s) is held by %s; waited %ld ms "
			    "(--lock-wait)", u->key, u->schema, b.buf,
			    u->lockwait);
		}
		sleep_ms(wait / 2 + rand() % (wait / 2 + 1));
		if (wait < 1000)
			wait *= 2;
	}
}

static void
unlock(struct run *u)
{
	char key[32];
	const char *params[1] = { key };
	struct res x;

	if (!u->locked)
		return;
	fault("before_unlock", 0);
	snprintf(key, sizeof(key), "%lld", u->key);
	if (!q(u, &x, "SELECT pg_catalog.pg_advisory_unlock($1::bigint)", 1,
	    params) || strcmp(PQgetvalue(x.r, 0, 0), "t") != 0)
		zn_warn("the migration lock was not held at the end: %s",
		    x.msg != NULL && *x.msg ? x.msg : "unlock returned false");
	res_clear(&x);
	u->locked = 0;
}

/*
 * A transaction-mode pooler gives each transaction any backend: session
 * locks and settings would not hold.  Two transactions, two pids.
 */
static void
nopooler(struct run *u)
{
	PGresult *a, *b;
	int same;

	a = must(u, "read the backend", "SELECT pg_catalog.pg_backend_pid()",
	    0, NULL);
	b = must(u, "read the backend", "SELECT pg_catalog.pg_backend_pid()",
	    0, NULL);
	same = strcmp(PQgetvalue(a, 0, 0), PQgetvalue(b, 0, 0)) == 0;
	PQclear(a);
	PQclear(b);
	if (!same)
		zn_die(ZN_EXIT_UNAVAILABLE, "the connection goes through a "
		    "transaction-mode pooler (two transactions ran on two "
		    "backends): the migration lock needs a direct "
		    "connection; give zn-apply the database's own address");
}

/* ---- the plan as steps ---- */

static void
build(struct run *u)
{
	struct zn_plan *p = u->p;
	const char *deflt = NULL, *id;
	size_t i, j;

	u->steps = zn_xcalloc(p->n > 0 ? p->n : 1, sizeof(*u->steps));
	u->migs = zn_xcalloc(p->n > 0 ? p->n : 1, sizeof(*u->migs));
	for (i = 0; i < p->n; i++) {
		struct step *s = &u->steps[i];

		id = p->ops[i].extra != NULL ? zn_json_str(p->ops[i].extra,
		    "migration") : NULL;
		if (id == NULL) {
			/* A plan straight from zn-diff: named by its sum. */
			if (deflt == NULL) {
				const char *sum = zn_json_str(p->trailer,
				    "checksum");

				u->plainid = zn_xasprintf("plan_%.16s", sum !=
				    NULL && strlen(sum) > 23 ? sum + 7 : "0");
				deflt = u->plainid;
			}
			id = deflt;
		}
		for (j = 0; j < u->nmigs; j++)
			if (strcmp(u->migs[j].id, id) == 0)
				break;
		if (j == u->nmigs) {
			u->migs[j].id = id;
			u->migs[j].first = i;
			u->nmigs++;
		} else if (u->migs[j].first + u->migs[j].n != i)
			zn_die(ZN_EXIT_DATAERR, "step %zu: migration %s's steps "
			    "are not together in the stream", i + 1, id);
		u->migs[j].n++;
		s->op = &p->ops[i];
		s->mig = j;
		s->n = (int)u->migs[j].n;
		s->sql = zn_op_script(s->op);
		zn_sha256(s->sql, strlen(s->sql), s->sum);
	}
	for (j = 0; j < u->nmigs; j++) {
		const json_t *m;

		u->migs[j].checksum = zn_json_str(p->trailer, "checksum");
		json_array_foreach(p->migrations, i, m)
			if (strcmp(zn_json_str(m, "id"), u->migs[j].id) == 0 &&
			    zn_json_str(m, "checksum") != NULL)
				u->migs[j].checksum = zn_json_str(m,
				    "checksum");
		if (u->migs[j].checksum == NULL)
			u->migs[j].checksum = "";
	}
}

/* What the ledger says of the plan's migrations and steps. */
static void
readledger(struct run *u)
{
	PGresult *r;
	char *sql;
	size_t i, j;
	int k;

	sql = L(u, "SELECT id, checksum, to_char(applied_at, "
	    "'YYYY-MM-DD HH24:MI:SS TZ') FROM @._zanith_migrations");
	r = must(u, "read the applied migrations", sql, 0, NULL);
	free(sql);
	for (k = 0; k < PQntuples(r); k++)
		for (j = 0; j < u->nmigs; j++)
			if (strcmp(u->migs[j].id, PQgetvalue(r, k, 0)) == 0) {
				u->migs[j].applied = 1;
				u->migs[j].appliedsum = zn_xstrdup(
				    PQgetvalue(r, k, 1));
				u->migs[j].appliedat = zn_xstrdup(
				    PQgetvalue(r, k, 2));
			}
	PQclear(r);
	/* The last attempt of each step, and whether one is done. */
	sql = L(u, "SELECT migration_id, step, "
	    "bool_or(status = 'done'), "
	    "(array_agg(sql_sha256 ORDER BY attempt_id DESC) "
	    "  FILTER (WHERE status = 'done'))[1], "
	    "(array_agg(status ORDER BY attempt_id DESC))[1], "
	    "max(attempt_id), "
	    "(array_agg(transactional ORDER BY attempt_id DESC))[1] "
	    "FROM @._zanith_migration_steps GROUP BY 1, 2");
	r = must(u, "read the steps", sql, 0, NULL);
	free(sql);
	for (k = 0; k < PQntuples(r); k++)
		for (i = 0; i < u->p->n; i++) {
			struct step *s = &u->steps[i];

			if (strcmp(u->migs[s->mig].id, PQgetvalue(r, k, 0)) ||
			    s->n != atoi(PQgetvalue(r, k, 1)))
				continue;
			s->done = strcmp(PQgetvalue(r, k, 2), "t") == 0;
			if (s->done)
				s->donesum = zn_xstrdup(PQgetvalue(r, k, 3));
			if (!s->done && strcmp(PQgetvalue(r, k, 4),
			    "running") == 0) {
				s->running = atoll(PQgetvalue(r, k, 5));
				s->runtx = strcmp(PQgetvalue(r, k, 6), "t") == 0;
			}
		}
	PQclear(r);
}

/* ---- integrity: exit 4 when the files and the ledger disagree ---- */

static void
integrity(struct run *u)
{
	struct zn_buf ooo = ZN_BUF_INIT;
	PGresult *r;
	char *sql, *maxid = NULL;
	size_t i, j;

	for (j = 0; j < u->nmigs; j++) {
		struct mig *m = &u->migs[j];

		if (m->applied && strcmp(m->appliedsum, m->checksum) != 0) {
			const char *which = "an op that is no longer there";
			char *step = NULL;

			for (i = m->first; i < m->first + m->n; i++)
				if (u->steps[i].donesum != NULL &&
				    strcmp(u->steps[i].donesum,
				    u->steps[i].sum) != 0) {
					step = zn_xasprintf("step %d (%s): its "
					    "SQL sums to %s, applied as %s",
					    u->steps[i].n, u->steps[i].op->op,
					    u->steps[i].sum,
					    u->steps[i].donesum);
					break;
				}
			zn_die(ZN_EXIT_RESOLVE, "migration %s (%s.yaml) changed "
			    "after it was applied on %s: its checksum was %s "
			    "and is now %s; %s", m->id, m->id, m->appliedat,
			    m->appliedsum, m->checksum, step != NULL ? step :
			    which);
		}
		if (m->applied)
			continue;
		/* Started but not finished: what ran must not have changed. */
		for (i = m->first; i < m->first + m->n; i++)
			if (u->steps[i].donesum != NULL &&
			    strcmp(u->steps[i].donesum, u->steps[i].sum) != 0)
				zn_die(ZN_EXIT_RESOLVE, "migration %s (%s.yaml) "
				    "changed after step %d (%s) was applied: "
				    "its SQL sums to %s, applied as %s",
				    m->id, m->id, u->steps[i].n,
				    u->steps[i].op->op, u->steps[i].sum,
				    u->steps[i].donesum);
	}
	/* Every applied id is known: a pending one older than any is late. */
	sql = L(u, "SELECT max(id) FROM @._zanith_migrations");
	r = must(u, "read the applied migrations", sql, 0, NULL);
	free(sql);
	if (!PQgetisnull(r, 0, 0))
		maxid = zn_xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	for (j = 0; maxid != NULL && j < u->nmigs; j++)
		if (!u->migs[j].applied && strcmp(u->migs[j].id, maxid) < 0) {
			u->migs[j].outoforder = 1;
			zn_buf_addf(&ooo, " %s", u->migs[j].id);
		}
	if (ooo.len > 0 && !u->allowooo)
		zn_die(ZN_EXIT_RESOLVE, "out of order: pending migrations "
		    "older than the newest applied one (%s):%s; apply them "
		    "with --allow-out-of-order", maxid, ooo.buf);
	zn_buf_release(&ooo);
	free(maxid);
}

/*
 * The schema as it is now.  The catalog functions that render a CHECK
 * constraint, a view or a generated column take a share lock on their
 * table, so the read waits behind a DDL statement in flight on one of
 * those (measured on PostgreSQL 15; keys, indexes and triggers do not
 * wait).  Bounded, before anything of a migration has run, the wait is
 * at most --lock-wait per lock, and past it the run exits 3
 * (zn_pg_lock_status) with that migration untouched.  After a migration
 * the read waits as long as it takes: its steps are committed, and a
 * run that gave up would leave it without its after graph for good.
 */
static void
livegraph(struct run *u, struct zn_graph *g, int bounded)
{
	struct zn_snapshot_opts o;
	char set[64], hint[160];

	o.schemas = (const char *const *)u->cfg->schemas;
	o.exclude_schemas = (const char *const *)u->cfg->exclude_schemas;
	if (bounded) {
		/* lock_timeout 0 would wait for ever; --lock-wait 0 not. */
		snprintf(set, sizeof(set), "SET lock_timeout = %ld",
		    u->lockwait > 0 ? u->lockwait : 1);
		zn_pg_cmd(u->conn, "bound the schema read's lock waits", set);
		snprintf(hint, sizeof(hint), "the schema read before a "
		    "migration waited %ld ms (--lock-wait) for it, and nothing "
		    "of the migration ran", u->lockwait);
		zn_pg_lock_hint = hint;
	}
	zn_graph_from_db(g, u->conn, &o);
	if (bounded) {
		zn_pg_lock_hint = NULL;
		zn_pg_cmd(u->conn, "end the schema read's lock bound",
		    "RESET lock_timeout");
	}
}

/* A plan made by zn-diff holds only for the schema it was made from. */
static void
fromhash(struct run *u)
{
	const char *want = zn_json_str(u->p->header, "from_hash");
	struct zn_graph g;
	size_t i;

	if (want == NULL)
		return;
	for (i = 0; i < u->p->n; i++)
		if (u->steps[i].done || u->migs[u->steps[i].mig].applied)
			return;		/* begun: the schema moved with it */
	livegraph(u, &g, 1);
	if (strcmp(g.hash, want) != 0) {
		char got[ZN_SHA256_STRLEN];

		memcpy(got, g.hash, sizeof(got));
		zn_graph_release(&g);
		zn_die(ZN_EXIT_RESOLVE, "the plan was made for a schema whose "
		    "hash is %s, but the database's is now %s: it changed "
		    "since; make the plan again", want, got);
	}
	zn_graph_release(&g);
}

/* ---- output ---- */

static void
event(struct run *u, const struct step *s, const char *status, double ms,
    const char *detail)
{
	const json_t *risk = NULL;
	json_t *rk = zn_op_risk(s->op);
	const char *level;

	risk = rk;
	level = zn_json_str(risk, "level");
	if (u->json) {
		json_t *e = json_pack("{s:s, s:s, s:s, s:i, s:I, s:s, s:s, "
		    "s:s}", "kind", "step", "run", u->runid, "migration",
		    u->migs[s->mig].id, "step", s->n, "plan_step",
		    (json_int_t)(s - u->steps) + 1, "op", s->op->op, "target",
		    s->op->target, "status", status);

		if (ms >= 0)
			json_object_set_new(e, "elapsed_ms",
			    json_integer((json_int_t)ms));
		if (level != NULL)
			json_object_set_new(e, "level", json_string(level));
		if (detail != NULL)
			json_object_set_new(e, "detail", json_string(detail));
		{
			char *line = zn_json_line(e);

			puts(line);
			free(line);
		}
		json_decref(e);
	} else {
		const char *sig = strcmp(status, "done") == 0 ? "✓" :
		    strcmp(status, "skipped") == 0 ? "↻" :
		    strcmp(status, "would run") == 0 ? "·" : "✗";
		const char *on = "", *off = "";

		if (u->color) {
			off = "\033[0m";
			on = strcmp(sig, "✗") == 0 ? "\033[1;31m" :
			    strcmp(status, "done") == 0 ? "\033[32m" :
			    "\033[2m";
		}
		printf("%s%s%s %s %02d %-20s %-8s", on, sig, off,
		    u->migs[s->mig].id, s->n, s->op->op, level != NULL ?
		    level : "-");
		if (ms >= 0)
			printf(" %6.0f ms", ms);
		printf("  %s", s->op->target);
		if (strcmp(status, "done") != 0 && strcmp(status,
		    "skipped") != 0 && strcmp(status, "would run") != 0)
			printf("  %s", status);
		putchar('\n');
		if (detail != NULL)
			printf("    %s\n", detail);
	}
	fflush(stdout);
	json_decref(rk);
}

/* ---- the ledger's rows ---- */

static const char *
risklevel(const struct step *s, json_t **keep)
{
	*keep = zn_op_risk(s->op);
	return zn_json_str(*keep, "level");
}

/* A running attempt, written and committed before the step starts. */
static long long
begin_attempt(struct run *u, const struct step *s, const char *status)
{
	char *sql = L(u, "INSERT INTO @._zanith_migration_steps (run_id, "
	    "migration_id, step, op, target, status, transactional, sql, "
	    "sql_sha256, risk_level, risk_score, risk_reasons, client_host, "
	    "tool_pid) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
	    "$12, $13, $14) RETURNING attempt_id");
	json_t *risk;
	const char *level = risklevel(s, &risk);
	char num[16], score[16], pid[16], *reasons;
	const char *params[14];
	struct zn_buf rb = ZN_BUF_INIT;
	const json_t *v;
	size_t i;
	struct res x;
	long long id;
	int ok;

	snprintf(num, sizeof(num), "%d", s->n);
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	if (json_is_integer(json_object_get(risk, "score")))
		snprintf(score, sizeof(score), "%d", (int)json_integer_value(
		    json_object_get(risk, "score")));
	zn_buf_addch(&rb, '{');
	json_array_foreach(json_object_get(risk, "reasons"), i, v)
		zn_buf_addf(&rb, "%s\"%s\"", i > 0 ? "," : "",
		    json_string_value(v));
	zn_buf_addch(&rb, '}');
	reasons = zn_buf_detach(&rb);
	params[0] = u->runid;
	params[1] = u->migs[s->mig].id;
	params[2] = num;
	params[3] = s->op->op;
	params[4] = s->op->target;
	params[5] = status;
	params[6] = s->op->transactional ? "t" : "f";
	params[7] = s->sql;
	params[8] = s->sum;
	params[9] = level;
	params[10] = risk != NULL && json_is_integer(json_object_get(risk,
	    "score")) ? score : NULL;
	params[11] = risk != NULL ? reasons : NULL;
	params[12] = u->host;
	params[13] = pid;
	ok = q(u, &x, sql, 14, params);
	id = ok ? atoll(PQgetvalue(x.r, 0, 0)) : 0;
	free(sql);
	free(reasons);
	json_decref(risk);
	if (!ok) {
		char *msg = zn_xasprintf("cannot record step %d of %s in the "
		    "ledger (nothing of it ran): %s", s->n,
		    u->migs[s->mig].id, x.msg);

		res_clear(&x);
		zn_die(ZN_EXIT_UNAVAILABLE, "%s", msg);
	}
	res_clear(&x);
	return id;
}

/* Sets an attempt's outcome.  Returns 1 when it was written. */
static int
end_attempt(struct run *u, long long id, const char *status,
    const struct res *err, const char *blockers, const char *note,
    double ms, struct res *out)
{
	char *sql = L(u, "UPDATE @._zanith_migration_steps SET status = $2, "
	    "error = $3, sqlstate = $4, blockers = $5::jsonb, note = $6, "
	    "finished_at = clock_timestamp(), elapsed_ms = $7 "
	    "WHERE attempt_id = $1");
	char ids[32], el[32];
	const char *params[7];
	struct res x;
	int ok;

	snprintf(ids, sizeof(ids), "%lld", id);
	snprintf(el, sizeof(el), "%.0f", ms >= 0 ? ms : 0);
	params[0] = ids;
	params[1] = status;
	params[2] = err != NULL ? err->msg : NULL;
	params[3] = err != NULL && *err->state ? err->state : NULL;
	params[4] = blockers;
	params[5] = note;
	params[6] = el;
	ok = q(u, out != NULL ? out : &x, sql, 7, params);
	if (out == NULL)
		res_clear(&x);
	free(sql);
	return ok;
}

static int
levelcode(const char *name)
{
	int i;

	for (i = ZN_SAFE; i <= ZN_CRITICAL; i++)
		if (strcmp(zn_level_name(i), name) == 0)
			return i;
	return -1;
}

/* The migration's row, written with its last step. */
static int
migrow(struct run *u, const struct mig *m, double ms, struct res *out)
{
	char *sql = L(u, "INSERT INTO @._zanith_migrations (id, checksum, "
	    "from_hash, to_hash, client_host, run_id, steps, elapsed_ms, "
	    "risk_worst, risk_max_score, out_of_order) VALUES ($1, $2, $3, "
	    "$4, $5, $6, $7, $8, $9, $10, $11)");
	char n[16], el[32], maxs[16];
	const char *params[11], *worst = NULL;
	int max = -1, lv = -1, ok;
	size_t i;

	for (i = m->first; i < m->first + m->n; i++) {
		json_t *r = zn_op_risk(u->steps[i].op);
		const json_t *sc = json_object_get(r, "score");

		if (json_is_integer(sc) && json_integer_value(sc) > max)
			max = (int)json_integer_value(sc);
		if (zn_json_str(r, "level") != NULL &&
		    levelcode(zn_json_str(r, "level")) > lv) {
			lv = levelcode(zn_json_str(r, "level"));
			worst = zn_level_name(lv);
		}
		json_decref(r);
	}
	snprintf(n, sizeof(n), "%zu", m->n);
	snprintf(el, sizeof(el), "%.0f", ms);
	snprintf(maxs, sizeof(maxs), "%d", max);
	params[0] = m->id;
	params[1] = m->checksum;
	/* The plan's hashes are this migration's only when it is alone. */
	params[2] = u->nmigs == 1 ? zn_json_str(u->p->header, "from_hash") :
	    NULL;
	params[3] = u->nmigs == 1 ? zn_json_str(u->p->header, "to_hash") :
	    NULL;
	params[4] = u->host;
	params[5] = u->runid;
	params[6] = n;
	params[7] = el;
	params[8] = worst;
	params[9] = max >= 0 ? maxs : NULL;
	params[10] = m->outoforder ? "t" : "f";
	ok = q(u, out, sql, 11, params);
	free(sql);
	return ok;
}

static void
addevent(struct run *u, const char *kind, const char *mig, int step,
    const char *reason, const char *detail)
{
	char *sql = L(u, "INSERT INTO @._zanith_events (kind, run_id, "
	    "migration_id, step, reason, detail) VALUES ($1, $2, $3, $4, $5, "
	    "$6::jsonb)");
	char n[16];
	const char *params[6];
	struct res x;

	snprintf(n, sizeof(n), "%d", step);
	params[0] = kind;
	params[1] = u->runid;
	params[2] = mig;
	params[3] = step > 0 ? n : NULL;
	params[4] = reason;
	params[5] = detail;
	if (!q(u, &x, sql, 6, params))
		zn_warn("cannot record the %s event: %s", kind, x.msg);
	res_clear(&x);
	free(sql);
}

/* The graph now, kept as the migration's before or after. */
static void
snapshot(struct run *u, const struct mig *m, const char *which)
{
	struct zn_graph g;
	char *buf = NULL, *sql;
	size_t len = 0;
	FILE *fp;
	const char *params[5];
	struct res x;

	livegraph(u, &g, strcmp(which, "before") == 0);
	if ((fp = open_memstream(&buf, &len)) == NULL)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot keep a snapshot");
	zn_graph_write(&g, fp);
	fclose(fp);
	sql = L(u, "INSERT INTO @._zanith_schema_snapshots (migration_id, "
	    "which, run_id, hash, graph) VALUES ($1, $2, $3, $4, $5)");
	params[0] = m->id;
	params[1] = which;
	params[2] = u->runid;
	params[3] = g.hash;
	params[4] = buf;
	if (!q(u, &x, sql, 5, params))
		zn_warn("cannot store the %s snapshot of %s: %s", which, m->id,
		    x.msg);
	res_clear(&x);
	free(sql);
	free(buf);
	zn_graph_release(&g);
}

/*
 * A step that parks data instead of dropping it (softDrop*, archive*)
 * leaves an artifact row, in the step's own transaction: what it was,
 * where it is now, the SQL that brings it back, and for an archive its
 * row count and a digest of its rows (zn-ledger(7)).  1 when written,
 * or when the step parks nothing.
 */
static int
artifact(struct run *u, const struct step *s, struct res *x)
{
	static const struct {
		const char *op, *kind;
	} kinds[] = {
		{ "softDropColumn", "soft_drop_column" },
		{ "softDropTable", "soft_drop_table" },
		{ "softDropType", "soft_drop_type" },
		{ "softDropSequence", "soft_drop_sequence" },
		{ "softDropSchema", "soft_drop_schema" },
		{ "archiveColumn", "archive_column" },
		{ "archiveTable", "archive_table" },
	};
	const json_t *args = zn_op_args(s->op);
	const char *kind = NULL, *parked, *arch, *params[8];
	char n[16], *sql, *detail;
	json_t *d;
	size_t i;
	int ok;

	memset(x, 0, sizeof(*x));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(s->op->op, kinds[i].op) == 0)
			kind = kinds[i].kind;
	if (kind == NULL)
		return 1;
	arch = zn_json_str(args, "archived_as");
	parked = arch != NULL ? arch : zn_json_str(args, "parked_as");
	d = json_pack("{s:s, s:O}", "op", s->op->op, "reverse",
	    zn_op_reverse(s->op) != NULL ? zn_op_reverse(s->op) :
	    json_array());
	json_object_set(d, "args", (json_t *)args);
	detail = zn_json_line(d);
	json_decref(d);
	snprintf(n, sizeof(n), "%d", s->n);
	params[0] = u->migs[s->mig].id;
	params[1] = n;
	params[2] = kind;
	params[3] = s->op->target;
	params[4] = parked;
	params[5] = detail;
	if (arch != NULL && strncmp(arch, "_zanith_archive.", 16) == 0) {
		/*
		 * Its rows, counted and summed as they stand now.  The
		 * table's name is quoted into the text, never made part of
		 * a format: a name may hold any character, % included.
		 */
		struct zn_buf t = ZN_BUF_INIT;
		char *head = L(u, "INSERT INTO @._zanith_migration_artifacts "
		    "(migration_id, step, kind, object, parked_as, detail, "
		    "rows, checksum) SELECT $1, $2, $3, $4, $5, $6::jsonb, "
		    "count(*), 'md5:' || md5(coalesce(string_agg(a::text, "
		    "E'\\n' ORDER BY a::text), '')) FROM ");

		/* After the @ of the ledger's schema is replaced: a name
		 * may hold an @ too. */
		zn_buf_adds(&t, head);
		free(head);
		zn_pg_ident(&t, "_zanith_archive");
		zn_buf_addch(&t, '.');
		zn_pg_ident(&t, arch + 16);
		zn_buf_adds(&t, " a");
		sql = zn_buf_detach(&t);
	} else
		sql = L(u, "INSERT INTO @._zanith_migration_artifacts "
		    "(migration_id, step, kind, object, parked_as, detail) "
		    "VALUES ($1, $2, $3, $4, $5, $6::jsonb)");
	ok = q(u, x, sql, 6, params);
	free(sql);
	free(detail);
	return ok;
}

/* ---- running statements, watching what blocks them ---- */

/* The sessions blocking pid, as a JSON array, or NULL. */
static char *
blockers(struct run *u, int pid)
{
	char p[16];
	const char *params[1] = { p };
	PGresult *r;
	char *out = NULL;

	if (u->mon == NULL)
		u->mon = zn_pg_connect(u->conninfo);
	snprintf(p, sizeof(p), "%d", pid);
	r = PQexecParams(u->mon, "SELECT coalesce(json_agg(json_build_object("
	    "'pid', pid, 'application_name', application_name, 'state', "
	    "state, 'query', left(query, 200)) ORDER BY pid), '[]')::text "
	    "FROM pg_catalog.pg_stat_activity WHERE pid = ANY "
	    "(pg_catalog.pg_blocking_pids($1::int))", 1, NULL, params, NULL,
	    NULL, 0);
	if (resok(r) && PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0),
	    "[]") != 0)
		out = zn_xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	return out;
}

/*
 * Runs one statement on the step connection, asynchronously: while it
 * waits, the sessions blocking it are looked up (after 40 ms, then every
 * 100 ms), and a signal cancels it.  *seen keeps the last blockers found.
 */
static int
runstmt(struct run *u, struct res *x, const char *sql, char **seen)
{
	int pid = PQbackendPID(u->conn), cancelled = 0;
	double next = now_ms() + 40;
	PGresult *r, *last = NULL;
	struct pollfd pfd;

	memset(x, 0, sizeof(*x));
	if (PQsendQuery(u->conn, sql) != 1) {
		fill(u, x, NULL);
		return 0;
	}
	pfd.fd = PQsocket(u->conn);
	pfd.events = POLLIN;
	for (;;) {
		if (PQconsumeInput(u->conn) != 1)
			break;
		if (!PQisBusy(u->conn))
			break;
		if (stopsig && !cancelled) {
			PGcancel *c = PQgetCancel(u->conn);
			char err[256];

			if (c != NULL) {
				PQcancel(c, err, sizeof(err));
				PQfreeCancel(c);
			}
			cancelled = 1;
		}
		if (now_ms() >= next) {
			char *b = blockers(u, pid);

			if (b != NULL) {
				free(*seen);
				*seen = b;
			}
			next = now_ms() + 100;
		}
		(void)poll(&pfd, 1, 20);
	}
	while ((r = PQgetResult(u->conn)) != NULL) {
		if (last == NULL || !resok(r)) {
			if (last != NULL)
				PQclear(last);
			last = r;
		} else
			PQclear(r);
	}
	fill(u, x, last);
	return last != NULL && resok(last);
}

static int
retryable(const struct res *x)
{
	return strcmp(x->state, "55P03") == 0 ||
	    strcmp(x->state, "40P01") == 0 || strcmp(x->state, "40001") == 0;
}

/* ---- reconciling what a killed run left running ---- */

/*
 * The index a CREATE/DROP INDEX CONCURRENTLY names, as schema and name
 * (the table's schema for CREATE, else public).  0 when not one.
 */
static int
indexof(const char *sql, char **schema, char **name, int *create)
{
	struct zn_toks ts;
	size_t i = 0, n;
	int ok = 0;

	memset(&ts, 0, sizeof(ts));
	zn_sql_tokens(&ts, sql);
	n = ts.n;
	*schema = *name = NULL;
	if (n > 4 && zn_tok_is(&ts.v[0], "create")) {
		i = 1;
		if (zn_tok_is(&ts.v[i], "unique"))
			i++;
		if (i + 3 < n && zn_tok_is(&ts.v[i], "index") &&
		    zn_tok_is(&ts.v[i + 1], "concurrently")) {
			i += 2;
			if (i + 3 < n && zn_tok_is(&ts.v[i], "if")) i += 3;
			*name = zn_tok_ident(&ts.v[i]);
			if (i + 2 < n && zn_tok_is(&ts.v[i + 1], "on")) {
				i += 2;
				if (zn_tok_is(&ts.v[i], "only"))
					i++;
				if (i + 2 < n && ts.v[i + 1].t == ZN_TK_DOT)
					*schema = zn_tok_ident(&ts.v[i]);
				ok = 1;
				*create = 1;
			}
		}
	} else if (n > 3 && zn_tok_is(&ts.v[0], "drop") &&
	    zn_tok_is(&ts.v[1], "index") &&
	    zn_tok_is(&ts.v[2], "concurrently")) {
		i = 3;
		if (i + 2 < n && zn_tok_is(&ts.v[i], "if")) i += 2;
		if (i + 2 < n && ts.v[i + 1].t == ZN_TK_DOT) {
			*schema = zn_tok_ident(&ts.v[i]);
			i += 2;
		}
		if (i < n) {
			*name = zn_tok_ident(&ts.v[i]);
			ok = 1;
			*create = 0;
		}
	}
	zn_sql_tokens_release(&ts);
	if (!ok) {
		free(*schema);
		free(*name);
		*schema = *name = NULL;
		return 0;
	}
	if (*schema == NULL)
		*schema = zn_xstrdup("public");
	return 1;
}

/*
 * Whether index schema.name is there: 1 valid and ready, 0 invalid,
 * -1 absent, -2 when the lookup failed (x holds why).
 */
static int
indexstate(struct run *u, const char *schema, const char *name,
    struct res *x)
{
	const char *params[2] = { schema, name };
	int st;

	if (!q(u, x, "SELECT i.indisvalid AND i.indisready FROM "
	    "pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = "
	    "i.indexrelid JOIN pg_catalog.pg_namespace n ON n.oid = "
	    "c.relnamespace WHERE n.nspname = $1 AND c.relname = $2", 2,
	    params))
		return -2;
	st = PQntuples(x->r) == 0 ? -1 : strcmp(PQgetvalue(x->r, 0, 0),
	    "t") == 0;
	res_clear(x);
	return st;
}

/*
 * A step a killed run left running.  Transactional: its transaction
 * died with the run, so it did not happen.  Non-transactional: the
 * postcondition decides: a valid index is done; an invalid one is
 * dropped and built again; anything else runs again.
 */
static void
reconcile(struct run *u, struct step *s)
{
	char *schema = NULL, *name = NULL;
	int create = 0, st;
	struct res x;

	memset(&x, 0, sizeof(x));
	if (s->runtx) {
		end_attempt(u, s->running, "interrupted", NULL, NULL,
		    "its transaction ended with the run that started it", -1,
		    NULL);
		return;
	}
	if (!indexof(json_string_value(json_array_get(zn_op_sql(s->op),
	    0)), &schema, &name, &create)) {
		end_attempt(u, s->running, "interrupted", NULL, NULL,
		    "killed while running outside a transaction; runs again",
		    -1, NULL);
		return;
	}
	st = indexstate(u, schema, name, &x);
	if (st == -2)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot look for index %s.%s: %s",
		    schema, name, x.msg);
	if ((create && st == 1) || (!create && st == -1)) {
		end_attempt(u, s->running, "done", NULL, NULL, create ?
		    "reconciled: the index it builds is there and valid" :
		    "reconciled: the index it drops is gone", -1, NULL);
		s->done = 1;
		s->donesum = zn_xstrdup(s->sum);
	} else
		/* An invalid index is dropped when the step runs again. */
		end_attempt(u, s->running, "interrupted", NULL, NULL,
		    st == 0 ? "killed while building: the invalid index is "
		    "dropped and built again" : "killed while running "
		    "outside a transaction; runs again", -1, NULL);
	res_clear(&x);
	s->running = 0;
	free(schema);
	free(name);
}

/* ---- one step ---- */

static long
steptimeout(const struct run *u, const struct step *s)
{
	json_t *r = zn_op_risk(s->op);
	const json_t *v = json_object_get(json_object_get(r, "facts"),
	    "lock_timeout_ms");
	long ms = json_is_integer(v) && json_integer_value(v) > 0 ?
	    (long)json_integer_value(v) : u->locktimeout;

	json_decref(r);
	return ms;
}

/*
 * A transactional step: its statements, then its row turned done (and
 * the migration's row with its last step) in one transaction.
 * Returns 1 when it committed.
 */
static int
steptx(struct run *u, struct step *s, int nth, long long id, int last,
    double mstart, struct res *err, char **seen)
{
	char set[128];
	const json_t *v;
	size_t i;
	double t0 = now_ms();
	struct res x;

	if (!q(u, &x, "BEGIN", 0, NULL))
		goto fail;
	res_clear(&x);
	snprintf(set, sizeof(set), "SET LOCAL lock_timeout = %ld; "
	    "SET LOCAL statement_timeout = %ld; "
	    "SET LOCAL search_path TO DEFAULT", steptimeout(u, s),
	    u->stmttimeout);
	if (!q(u, &x, set, 0, NULL))
		goto fail;
	res_clear(&x);
	fault("before_exec", nth);
	json_array_foreach(zn_op_sql(s->op), i, v) {
		if (!runstmt(u, &x, json_string_value(v), seen))
			goto fail;
		res_clear(&x);
	}
	if (!artifact(u, s, &x))
		goto fail;
	res_clear(&x);
	fault("after_exec", nth);
	if (!end_attempt(u, id, "done", NULL, *seen, NULL, now_ms() - t0,
	    &x))
		goto fail;
	res_clear(&x);
	if (last && !migrow(u, &u->migs[s->mig], now_ms() - mstart, &x))
		goto fail;
	res_clear(&x);
	if (!q(u, &x, "COMMIT", 0, NULL))
		goto fail;
	res_clear(&x);
	return 1;
fail:
	*err = x;
	if (PQtransactionStatus(u->conn) != PQTRANS_IDLE) {
		struct res y;

		q(u, &y, "ROLLBACK", 0, NULL);
		res_clear(&y);
	}
	return 0;
}

/*
 * An index a CREATE INDEX CONCURRENTLY step builds may be there and
 * invalid, left by a build that failed, was cancelled or was killed:
 * it is dropped first, so the step builds it again.  0 when that fails.
 */
static int
dropinvalid(struct run *u, const struct step *s, struct res *err)
{
	char *schema = NULL, *name = NULL;
	int create = 0, ok = 1, st;
	struct res x;

	memset(&x, 0, sizeof(x));
	if (!indexof(json_string_value(json_array_get(zn_op_sql(s->op), 0)),
	    &schema, &name, &create) || !create)
		goto out;
	if ((st = indexstate(u, schema, name, &x)) == -2) {
		*err = x;
		ok = 0;
		goto out;
	}
	if (st == 0) {
		struct zn_buf b = ZN_BUF_INIT;

		res_clear(&x);
		zn_buf_adds(&b, "DROP INDEX CONCURRENTLY ");
		zn_pg_ident(&b, schema);
		zn_buf_addch(&b, '.');
		zn_pg_ident(&b, name);
		ok = q(u, &x, b.buf, 0, NULL);
		zn_buf_release(&b);
		if (!ok) {
			*err = x;
			goto out;
		}
		if (!u->json)
			fprintf(stderr, "zn-apply: step %d of %s: dropped the "
			    "invalid index %s.%s an earlier build left\n",
			    s->n, u->migs[s->mig].id, schema, name);
	}
	res_clear(&x);
out:
	free(schema);
	free(name);
	return ok;
}

/* A step outside a transaction: one statement, its row written after. */
static int
stepnontx(struct run *u, struct step *s, int nth, long long id, int last,
    double mstart, struct res *err, char **seen)
{
	char set[128];
	struct res x;
	double t0 = now_ms();
	int ok;

	snprintf(set, sizeof(set), "SET lock_timeout = %ld; SET "
	    "statement_timeout = 0; RESET search_path", steptimeout(u, s));
	if (!q(u, &x, set, 0, NULL)) {
		*err = x;
		return 0;
	}
	res_clear(&x);
	if (!dropinvalid(u, s, err))
		return 0;
	fault("before_exec", nth);
#ifdef ZN_FAULTS
	if (getenv("ZN_FAULT") != NULL) {
		char want[64];

		snprintf(want, sizeof(want), "step:%d:during", nth);
		if (strcmp(getenv("ZN_FAULT"), want) == 0) {
			PQsendQuery(u->conn, json_string_value(
			    json_array_get(zn_op_sql(s->op), 0)));
			PQflush(u->conn);
			sleep_ms(300);
			fault("during", nth);
		}
	}
#endif
	ok = runstmt(u, &x, json_string_value(json_array_get(zn_op_sql(s->op),
	    0)), seen);
	{
		struct res y;

		q(u, &y, "RESET lock_timeout; RESET statement_timeout; "
		    "SELECT pg_catalog.set_config('search_path', '', false)",
		    0, NULL);
		res_clear(&y);
	}
	if (!ok) {
		*err = x;
		return 0;
	}
	res_clear(&x);
	fault("after_exec", nth);
	if (!end_attempt(u, id, "done", NULL, *seen, NULL, now_ms() - t0,
	    &x)) {
		zn_die(ZN_EXIT_UNAVAILABLE, "step %d of %s ran, but the ledger "
		    "could not record it: %s; the next run checks it again",
		    s->n, u->migs[s->mig].id, x.msg);
	}
	res_clear(&x);
	if (last && !migrow(u, &u->migs[s->mig], now_ms() - mstart, &x))
		zn_die(ZN_EXIT_UNAVAILABLE, "migration %s ran, but the ledger "
		    "could not record it: %s", u->migs[s->mig].id, x.msg);
	res_clear(&x);
	return 1;
}

/*
 * Runs a step with its retries.  Returns 1 done, 0 failed.  nth counts
 * the steps this run executes, for ZN_FAULT.
 */
static int
step(struct run *u, struct step *s, int nth, double mstart)
{
	const struct mig *m = &u->migs[s->mig];
	int last = s == &u->steps[m->first + m->n - 1];
	int attempt;
	long backoff = 200;

	for (attempt = 0;; attempt++) {
		long long id = begin_attempt(u, s, "running");
		double t0 = now_ms();
		char *seen = NULL;
		struct res err;
		int ok;

		memset(&err, 0, sizeof(err));
		ok = s->op->transactional ?
		    steptx(u, s, nth, id, last, mstart, &err, &seen) :
		    stepnontx(u, s, nth, id, last, mstart, &err, &seen);
		if (ok) {
			fault("after_commit", nth);
			event(u, s, "done", now_ms() - t0, NULL);
			free(seen);
			return 1;
		}
		if (PQstatus(u->conn) != CONNECTION_OK)
			zn_die(ZN_EXIT_UNAVAILABLE, "the connection was lost "
			    "during step %d of %s: %s", s->n, m->id,
			    err.msg != NULL ? err.msg : "");
		if (stopsig) {
			end_attempt(u, id, "interrupted", &err, seen,
			    "stopped by a signal", now_ms() - t0, NULL);
			event(u, s, "interrupted", now_ms() - t0, err.msg);
			res_clear(&err);
			free(seen);
			return 0;
		}
		if (retryable(&err) && attempt < u->retries) {
			char *d = zn_xasprintf("%s; retrying in %ld ms (%d of "
			    "%d)%s%s", err.msg, backoff, attempt + 1,
			    u->retries, seen != NULL ? "; blocked by " : "",
			    seen != NULL ? seen : "");

			end_attempt(u, id, "retried", &err, seen, NULL,
			    now_ms() - t0, NULL);
			if (!u->json)
				fprintf(stderr, "zn-apply: step %d of %s: %s\n",
				    s->n, m->id, d);
			free(d);
			res_clear(&err);
			free(seen);
			sleep_ms(backoff / 2 + rand() % (backoff / 2 + 1));
			if (backoff < 10000)
				backoff *= 2;
			continue;
		}
		{
			char *d = zn_xasprintf("%s%s%s", err.msg,
			    seen != NULL ? "; blocked by " : "",
			    seen != NULL ? seen : "");
			struct res y;

			if (!end_attempt(u, id, "failed", &err, seen, NULL,
			    now_ms() - t0, &y))
				zn_warn("the ledger could not record the "
				    "failure either: %s", y.msg);
			res_clear(&y);
			event(u, s, "failed", now_ms() - t0, d);
			fprintf(stderr, "zn-apply: step %d (%s) of %s failed "
			    "and was rolled back: %s\n", s->n, s->op->op, m->id,
			    d);
			free(d);
		}
		res_clear(&err);
		free(seen);
		return 0;
	}
}

/* ---- a blocked plan: the refusals are recorded, nothing runs ---- */

static int
refusals(struct run *u)
{
	const json_t *all = json_object_get(u->p->trailer, "refusals"), *v;
	size_t i;

	json_array_foreach(all, i, v) {
		json_int_t n = json_integer_value(json_object_get(v, "step"));
		struct step *s;
		long long id;
		struct res e;

		if (n < 1 || (size_t)n > u->p->n)
			continue;
		s = &u->steps[n - 1];
		if (u->dry) {
			printf("✗ %s %02d %s refused by %s: %s\n",
			    u->migs[s->mig].id, s->n, s->op->op,
			    zn_json_str(v, "gate"), zn_json_str(v, "reason"));
			continue;
		}
		id = begin_attempt(u, s, "refused");
		memset(&e, 0, sizeof(e));
		e.msg = zn_xstrdup(zn_json_str(v, "reason") != NULL ?
		    zn_json_str(v, "reason") : "");
		e.state = "";
		{
			char *sql = L(u, "UPDATE @._zanith_migration_steps SET "
			    "gate = $2, error = $3, finished_at = "
			    "clock_timestamp(), elapsed_ms = 0 WHERE "
			    "attempt_id = $1");
			char ids[32];
			const char *params[3];
			struct res x;

			snprintf(ids, sizeof(ids), "%lld", id);
			params[0] = ids;
			params[1] = zn_json_str(v, "gate");
			params[2] = e.msg;
			if (!q(u, &x, sql, 3, params))
				zn_die(ZN_EXIT_UNAVAILABLE, "cannot record a "
				    "refusal: %s", x.msg);
			res_clear(&x);
			free(sql);
		}
		event(u, s, "refused", -1, e.msg);
		free(e.msg);
	}
	if (!u->dry)
		addevent(u, "refused", NULL, 0, "the plan is blocked by "
		    "zn-classify's gates", NULL);
	fprintf(stderr, "zn-apply: the plan is blocked (%zu refusal%s): "
	    "nothing was applied\n", json_array_size(all),
	    json_array_size(all) == 1 ? "" : "s");
	return ZN_EXIT_NEGATIVE;
}

/* ---- the run ---- */

static int
apply(struct run *u)
{
	size_t i, j;
	int nth = 0, status = ZN_EXIT_OK, stop = 0, lastran;
	double t0 = now_ms();

	for (j = 0; j < u->nmigs && !stop; j++) {
		struct mig *m = &u->migs[j];
		double mstart = now_ms();
		int begun = 0;

		for (i = m->first; i < m->first + m->n; i++)
			begun |= u->steps[i].done;
		if (m->applied) {
			for (i = m->first; i < m->first + m->n; i++) {
				event(u, &u->steps[i], "skipped", -1, NULL);
				u->skipped++;
			}
			if (u->to != NULL && strcmp(m->id, u->to) == 0)
				break;
			continue;
		}
		if (u->dry) {
			for (i = m->first; i < m->first + m->n; i++) {
				if (u->maxsteps >= 0 && u->ran >= u->maxsteps)
					break;
				if (u->steps[i].done) {
					event(u, &u->steps[i], "skipped", -1,
					    NULL);
					continue;
				}
				event(u, &u->steps[i], "would run", -1, NULL);
				if (!u->json)
					printf("%s", u->steps[i].sql);
				u->ran++;
			}
			if (u->to != NULL && strcmp(m->id, u->to) == 0)
				break;
			continue;
		}
		if (!begun)
			snapshot(u, m, "before");
		if (m->outoforder)
			addevent(u, "out_of_order", m->id, 0, "applied with "
			    "--allow-out-of-order", NULL);
		lastran = 0;
		for (i = m->first; i < m->first + m->n; i++) {
			struct step *s = &u->steps[i];

			if (s->done) {
				event(u, s, "skipped", -1, NULL);
				u->skipped++;
				continue;
			}
			if (stopsig || (u->maxsteps >= 0 && u->ran >=
			    u->maxsteps)) {
				stop = 1;
				break;
			}
			if (!step(u, s, ++nth, mstart)) {
				u->failed++;
				status = stopsig ? ZN_EXIT_SIGNAL :
				    ZN_EXIT_NEGATIVE;
				stop = 1;
				break;
			}
			s->done = 1;
			u->ran++;
			lastran = i + 1 == m->first + m->n;
		}
		/*
		 * Every step done, the last by an earlier run: a run that
		 * died after its last step's row turned done (outside a
		 * transaction), or whose last step the probe found built,
		 * never wrote the migration's row.  It is written now.
		 */
		if (i == m->first + m->n && !lastran) {
			struct res x;

			if (!migrow(u, m, now_ms() - mstart, &x))
				zn_die(ZN_EXIT_UNAVAILABLE, "every step of %s is "
				    "done, but the ledger could not record the "
				    "migration: %s", m->id, x.msg);
			res_clear(&x);
			addevent(u, "recorded", m->id, 0, "every step was done "
			    "by an earlier run; the migration row was missing",
			    NULL);
		}
		if (!stop || (i == m->first + m->n))
			snapshot(u, m, "after");
		if (u->to != NULL && strcmp(m->id, u->to) == 0)
			break;
	}
	if (stopsig && status == ZN_EXIT_OK)
		status = ZN_EXIT_SIGNAL;
	if (!u->json)
		printf("%s%d step%s %s, %d already applied%s, %.0f ms\n",
		    u->dry ? "dry run: " : "", u->ran, u->ran == 1 ? "" : "s",
		    u->dry ? "would run" : "applied", u->skipped,
		    u->failed ? ", 1 failed" : "", now_ms() - t0);
	return status;
}

/* A step of an atomic migration failed: nothing of it remains. */
static int
apply_atomic(struct run *u)
{
	size_t i, j;
	int nth = 0;

	if (u->maxsteps >= 0)
		zn_usage_error("--atomic applies whole migrations: not with "
		    "--steps");
	for (j = 0; j < u->nmigs; j++)
		for (i = u->migs[j].first; i < u->migs[j].first +
		    u->migs[j].n; i++) {
			if (!u->steps[i].op->transactional)
				zn_die(ZN_EXIT_USAGE, "--atomic: step %d of %s "
				    "(%s) cannot run in a transaction",
				    u->steps[i].n, u->migs[j].id,
				    u->steps[i].op->op);
			if (!u->migs[j].applied && u->steps[i].done)
				zn_die(ZN_EXIT_RESOLVE, "--atomic: migration %s "
				    "was applied in part by an earlier run "
				    "(step %d is done); finish it without "
				    "--atomic", u->migs[j].id, u->steps[i].n);
		}
	for (j = 0; j < u->nmigs; j++) {
		struct mig *m = &u->migs[j];
		double mstart = now_ms();
		struct res x;
		int ok = 1;
		char set[96], *badmsg = NULL, *badstate = NULL;
		const struct step *bad = NULL;

		if (m->applied) {
			for (i = m->first; i < m->first + m->n; i++) {
				event(u, &u->steps[i], "skipped", -1, NULL);
				u->skipped++;
			}
			if (u->to != NULL && strcmp(m->id, u->to) == 0)
				break;
			continue;
		}
		snapshot(u, m, "before");
		if (!q(u, &x, "BEGIN", 0, NULL))
			zn_die(ZN_EXIT_UNAVAILABLE, "cannot begin: %s", x.msg);
		res_clear(&x);
		snprintf(set, sizeof(set), "SET LOCAL lock_timeout = %ld; SET "
		    "LOCAL statement_timeout = %ld; SET LOCAL search_path TO "
		    "DEFAULT", u->locktimeout, u->stmttimeout);
		if (!q(u, &x, set, 0, NULL))
			zn_die(ZN_EXIT_UNAVAILABLE, "cannot set timeouts: %s",
			    x.msg);
		res_clear(&x);
		for (i = m->first; ok && i < m->first + m->n; i++) {
			struct step *s = &u->steps[i];
			long long id = begin_attempt(u, s, "running");
			double t0 = now_ms();
			const json_t *v;
			size_t k;
			char *seen = NULL;

			nth++;
			json_array_foreach(zn_op_sql(s->op), k, v)
				if (ok && !runstmt(u, &x, json_string_value(v),
				    &seen))
					ok = 0;
				else if (ok)
					res_clear(&x);
			if (ok && !artifact(u, s, &x))
				ok = 0;
			else if (ok)
				res_clear(&x);
			if (ok && end_attempt(u, id, "done", NULL, seen, NULL,
			    now_ms() - t0, &x)) {
				res_clear(&x);
				event(u, s, "done", now_ms() - t0, NULL);
				u->ran++;
			} else {
				ok = 0;
				bad = s;
				badmsg = zn_xstrdup(x.msg != NULL ? x.msg : "");
				badstate = zn_xstrdup(x.state != NULL ? x.state :
				    "");
				event(u, s, "failed", now_ms() - t0, x.msg);
				fprintf(stderr, "zn-apply: step %d (%s) of %s "
				    "failed; migration %s rolled back whole: "
				    "%s\n", s->n, s->op->op, m->id, m->id,
				    x.msg);
			}
			free(seen);
		}
		if (ok && migrow(u, m, now_ms() - mstart, &x) &&
		    (res_clear(&x), q(u, &x, "COMMIT", 0, NULL))) {
			res_clear(&x);
			snapshot(u, m, "after");
			if (u->to != NULL && strcmp(m->id, u->to) == 0)
				break;
			continue;
		}
		res_clear(&x);
		q(u, &x, "ROLLBACK", 0, NULL);
		res_clear(&x);
		/*
		 * The attempts rolled back too: one failed row, for the
		 * step that failed (the first when COMMIT did), says so.
		 */
		{
			long long id = begin_attempt(u, bad != NULL ? bad :
			    &u->steps[m->first], "running");
			struct res e;

			memset(&e, 0, sizeof(e));
			e.msg = badmsg;
			e.state = badstate != NULL ? badstate : "";
			end_attempt(u, id, "failed", badmsg != NULL ? &e : NULL,
			    NULL, "--atomic: the migration rolled back whole",
			    now_ms() - mstart, NULL);
			free(badmsg);
			free(badstate);
		}
		u->failed++;
		return stopsig ? ZN_EXIT_SIGNAL : ZN_EXIT_NEGATIVE;
	}
	if (!u->json)
		printf("%d step%s applied atomically, %d already applied\n",
		    u->ran, u->ran == 1 ? "" : "s", u->skipped);
	return ZN_EXIT_OK;
}

static long
duration(const char *opt, const char *arg, int zero)
{
	long ms = zn_parse_ms(arg);

	if (ms < 0 || (ms == 0 && !zero))
		zn_usage_error("%s takes a duration such as 5s or 500ms, not "
		    "'%s'", opt, arg);
	return ms;
}

static long
number(const char *opt, const char *arg)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno != 0 || *end != '\0' || end == arg || n < 0)
		zn_usage_error("%s takes a number, not '%s'", opt, arg);
	return n;
}

/* Closes the connections and frees what the run holds. */
static int
done(struct run *u, int status)
{
	size_t i;

	if (u->mon != NULL)
		PQfinish(u->mon);
	PQfinish(u->conn);
	for (i = 0; i < u->p->n; i++) {
		free(u->steps[i].sql);
		free(u->steps[i].donesum);
	}
	for (i = 0; i < u->nmigs; i++) {
		free(u->migs[i].appliedsum);
		free(u->migs[i].appliedat);
	}
	free(u->steps);
	free(u->migs);
	free(u->plainid);
	zn_plan_release(u->p);
	zn_config_release(u->cfg);
	return zn_finish(status);
}

int
main(int argc, char *argv[])
{
	static struct zn_plan p;
	struct zn_config cfg;
	struct run u;
	struct sigaction sa;
	const char *dir = NULL, *dbname = NULL, *input = "-", *lschema = NULL;
	const char *verdict;
	int ch, status;
	size_t i;

	zn_init(argv[0]);
	zn_pg_lock_status = ZN_EXIT_BUSY;
	memset(&u, 0, sizeof(u));
	u.lockwait = 60000;
	u.locktimeout = 5000;
	u.retries = 5;
	u.maxsteps = -1;
	while ((ch = getopt_long(argc, argv, "C:d:n", longopts, NULL)) != -1)
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'd':
			dbname = optarg;
			break;
		case 'n':
			u.dry = 1;
			break;
		case 'O' + 256:
			u.allowooo = 1;
			break;
		case 'a' + 256:
			u.atomic = 1;
			break;
		case 'c' + 256:
			zn_complete(longopts);
		case 'h' + 256:
			fputs(usage, stdout);
			return zn_finish(ZN_EXIT_OK);
		case 'j' + 256:
			u.json = 1;
			break;
		case 'L' + 256:
			lschema = optarg;
			break;
		case 't' + 256:
			u.locktimeout = duration("--lock-timeout", optarg, 0);
			break;
		case 'w' + 256:
			u.lockwait = duration("--lock-wait", optarg, 1);
			break;
		case 'r' + 256:
			u.retries = (int)number("--retries", optarg);
			break;
		case 's' + 256:
			u.stmttimeout = duration("--statement-timeout", optarg,
			    1);
			break;
		case 'S' + 256:
			u.maxsteps = number("--steps", optarg);
			break;
		case 'T' + 256:
			u.to = optarg;
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
	zn_config_load(&cfg, dir);
	u.cfg = &cfg;
	u.schema = lschema != NULL ? lschema : cfg.ledger_schema != NULL ?
	    cfg.ledger_schema : "public";
	u.color = !u.json && zn_term_color(stdout);
	if (gethostname(u.host, sizeof(u.host) - 1) != 0)
		strcpy(u.host, "");

	/* A truncated or damaged input dies here: nothing has run. */
	zn_plan_read(&p, input);
	u.p = &p;
	build(&u);
	if (u.to != NULL) {
		for (i = 0; i < u.nmigs; i++)
			if (strcmp(u.migs[i].id, u.to) == 0)
				break;
		if (i == u.nmigs)
			zn_usage_error("--to %s: no such migration in the plan",
			    u.to);
	}
	{
		char sum[ZN_SHA256_STRLEN];
		char *seed = zn_xasprintf("%ld.%ld.%f", (long)getpid(),
		    (long)time(NULL), now_ms());

		zn_sha256(seed, strlen(seed), sum);
		free(seed);
		snprintf(u.runid, sizeof(u.runid), "%.20s", sum + 7);
		srand((unsigned)getpid() ^ (unsigned)time(NULL));
	}
	u.conninfo = zn_pg_target(dbname, &cfg);
	u.conn = zn_pg_connect(u.conninfo);
	u.key = zn_ledger_lock_key(u.schema);
	nopooler(&u);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onsignal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	verdict = zn_json_str(p.trailer, "verdict");
	if (verdict != NULL && strcmp(verdict, "blocked") == 0) {
		if (!u.dry) {
			lock(&u);
			zn_ledger_ensure(u.conn, u.schema);
		}
		status = refusals(&u);
		unlock(&u);
		return done(&u, status);
	}
	if (u.dry) {
		/* Reads only: no lock, no ledger made. */
		if (zn_ledger_version(u.conn, u.schema) > 0) {
			readledger(&u);
			integrity(&u);
		}
		fromhash(&u);
		return done(&u, apply(&u));
	}
	lock(&u);
	zn_ledger_ensure(u.conn, u.schema);
	readledger(&u);
	integrity(&u);
	fromhash(&u);
	for (i = 0; i < p.n; i++)
		if (u.steps[i].running > 0)
			reconcile(&u, &u.steps[i]);
	status = u.atomic ? apply_atomic(&u) : apply(&u);
	unlock(&u);
	if (status == ZN_EXIT_SIGNAL)
		fprintf(stderr, "zn-apply: interrupted: the current step was "
		    "rolled back and the lock released\n");
	return done(&u, status);
}
