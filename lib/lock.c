/* SPDX-License-Identifier: ISC */
/*
 * lock.c: the migration lock (zn-apply(1), LOCKING): a session advisory
 * lock on the run's own direct connection, taken by polling so that a
 * waiting run holds no transaction, and the check that the connection
 * is direct at all.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zn.h"

double
zn_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void
zn_sleep_ms(long ms, volatile sig_atomic_t *stop)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR &&
	    (stop == NULL || !*stop))
		;
}

void
zn_lock_init(struct zn_lock *l, PGconn *conn, const char *schema)
{
	memset(l, 0, sizeof(*l));
	l->conn = conn;
	l->schema = schema;
	l->key = zn_ledger_lock_key(schema);
	snprintf(l->keytext, sizeof(l->keytext), "%lld", l->key);
}

/* Who holds the lock: pid, application, state, since when, and what. */
static void
holder(const struct zn_lock *l, struct zn_buf *b)
{
	const char *params[1] = { l->keytext };
	PGresult *r;
	int i;

	r = zn_pg_exec(l->conn, "find the lock's holder",
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
void
zn_lock_take(struct zn_lock *l, long wait_ms, volatile sig_atomic_t *stop)
{
	const char *params[1] = { l->keytext };
	double start = zn_now_ms();
	long wait = 50;
	PGresult *r;
	int got;

	for (;;) {
		r = zn_pg_exec(l->conn, "take the migration lock",
		    "SELECT pg_catalog.pg_try_advisory_lock($1::bigint)", 1,
		    params);
		got = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
		PQclear(r);
		if (got) {
			l->held = 1;
			return;
		}
		if (stop != NULL && *stop)
			exit(ZN_EXIT_SIGNAL);
		if (zn_now_ms() - start >= (double)wait_ms) {
			struct zn_buf b = ZN_BUF_INIT;

			holder(l, &b);
			zn_die(ZN_EXIT_BUSY, "the migration lock (key %lld, "
			    "ledger schema %s) is held by %s; waited %ld ms "
			    "(--lock-wait)", l->key, l->schema, b.buf, wait_ms);
		}
		zn_sleep_ms(wait / 2 + rand() % (wait / 2 + 1), stop);
		if (wait < 1000)
			wait *= 2;
	}
}

void
zn_lock_release(struct zn_lock *l)
{
	const char *params[1] = { l->keytext };
	struct zn_pgres x;

	if (!l->held)
		return;
	if (!zn_pg_try(l->conn, &x, "SELECT pg_catalog.pg_advisory_unlock("
	    "$1::bigint)", 1, params) || strcmp(PQgetvalue(x.r, 0, 0),
	    "t") != 0)
		zn_warn("the migration lock was not held at the end: %s",
		    *x.msg != '\0' ? x.msg : "unlock returned false");
	zn_pgres_clear(&x);
	l->held = 0;
}

/* The pid of the backend a statement on conn runs on. */
static long
backend(PGconn *conn)
{
	PGresult *r = zn_pg_exec(conn, "read the backend",
	    "SELECT pg_catalog.pg_backend_pid()", 0, NULL);
	long pid = atol(PQgetvalue(r, 0, 0));

	PQclear(r);
	return pid;
}

/*
 * A transaction-mode pooler gives each transaction any backend: session
 * locks and settings would not hold.  Alone, a pooler that reuses the
 * backend it used last looks like a direct connection, so a second
 * session takes part: it holds a transaction open while the first asks
 * again.  Directly, two sessions are two backends and the first keeps
 * its own; through such a pooler the second gets the first's backend,
 * or the first gets another.
 */
void
zn_lock_nopooler(PGconn *conn, const char *conninfo, const char *prog)
{
	PGconn *other;
	long a, b, c;

	a = backend(conn);
	other = zn_pg_connect(conninfo);
	zn_pg_cmd(other, "hold a transaction open", "BEGIN");
	b = backend(other);
	c = backend(conn);
	zn_pg_cmd(other, "end the transaction", "COMMIT");
	PQfinish(other);
	if (a == b || a != c)
		zn_die(ZN_EXIT_UNAVAILABLE, "the connection goes through a "
		    "transaction-mode pooler (one session's transactions ran "
		    "on backends %ld and %ld, another's on %ld): the "
		    "migration lock needs a direct connection or a "
		    "session-mode pool; give %s the database's own address",
		    a, c, b, prog);
}
