/* SPDX-License-Identifier: ISC */
/*
 * apply.c: the engine that runs a plan against a database one step at a
 * time, each step recorded in the ledger in the same transaction as its
 * DDL, with retries, reconciliation of what a killed run left running,
 * artifact rows and the schema before and after each migration
 * (zn-apply(1), zn-ledger(7)).  zn-apply drives it; the caller reports.
 */
#define _POSIX_C_SOURCE 200809L
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "zn.h"

#define STOPPED(a) ((a)->stop != NULL && *(a)->stop)

void
zn_apply_init(struct zn_apply *a)
{
	memset(a, 0, sizeof(*a));
	a->schema = "public";
	a->lockwait = 60000;
	a->locktimeout = 5000;
	a->retries = 5;
	a->maxsteps = -1;
	a->retention_days = 30;
}

/* Runs sql (params, or several statements when n is 0); 1 when ok. */
static int
q(struct zn_apply *a, struct zn_pgres *x, const char *sql, int n,
    const char *const *params)
{
	return n == 0 ? zn_pg_try_script(a->conn, x, sql) :
	    zn_pg_try(a->conn, x, sql, n, params);
}

static char *
L(const struct zn_apply *a, const char *text)
{
	return zn_ledger_sql(text, a->schema);
}

static void
fault(struct zn_apply *a, const char *point, int nth, const char *sql)
{
	if (a->fault != NULL)
		a->fault(a, point, nth, sql);
}

static const char *
stepmig(const struct zn_apply *a, const struct zn_lstep *s)
{
	return a->st.m[s->mig].id;
}

static const struct zn_op *
stepop(const struct zn_apply *a, const struct zn_lstep *s)
{
	return &a->p->ops[s - a->st.s];
}

/*
 * What of a step's op was parsed for it, let go once it is done with:
 * parsed again if asked for, so a long plan is never held parsed.
 */
static void
unload(struct zn_apply *a, const struct zn_lstep *s)
{
	zn_op_unload(&a->p->ops[s - a->st.s]);
}

/* ---- reporting ---- */

static void
event(struct zn_apply *a, const struct zn_lstep *s, const char *status,
    double ms, const char *detail)
{
	const struct zn_op *op = stepop(a, s);
	json_t *rk = zn_op_risk(op);
	struct zn_apply_event e;
	char *sql;

	if (a->event == NULL) {
		json_decref(rk);
		return;
	}
	memset(&e, 0, sizeof(e));
	e.migration = stepmig(a, s);
	e.step = s->n;
	e.plan_step = (size_t)(s - a->st.s) + 1;
	e.op = op->op;
	e.target = op->target;
	e.status = status;
	e.level = zn_json_str(rk, "level");
	e.ms = ms;
	e.detail = detail;
	e.sql = sql = zn_op_script(op);
	e.sqlstate = *a->failstate != '\0' ? a->failstate : NULL;
	a->event(a->arg, &e);
	free(sql);
	json_decref(rk);
}

/* ---- the schema, before and after ---- */

/*
 * The schema as it is now.  The catalog functions that render a CHECK
 * constraint, a view or a generated column take a share lock on their
 * table, so the read waits behind a DDL statement in flight on one of
 * those (measured on PostgreSQL 15; keys, indexes and triggers do not
 * wait).  Bounded, before anything of a migration has run, the wait is
 * at most --lock-wait per lock, and past it the run exits 3 with that
 * migration untouched.  After a migration the read waits as long as it
 * takes: its steps are committed, and a run that gave up would leave it
 * without its after graph for good.
 */
static void
livegraph(struct zn_apply *a, struct zn_graph *g, int bounded)
{
	struct zn_snapshot_opts o;
	struct zn_pg_onlock lk;
	char set[64], hint[160];

	memset(&o, 0, sizeof(o));
	if (a->snap != NULL)
		o = *a->snap;
	/* Only hashed and stored: its lines need not stay in memory. */
	o.spill = 1;
	if (bounded) {
		/* lock_timeout 0 would wait for ever; --lock-wait 0 not. */
		snprintf(set, sizeof(set), "SET lock_timeout = %ld",
		    a->lockwait > 0 ? a->lockwait : 1);
		zn_pg_cmd(a->conn, "bound the schema read's lock waits", set);
		snprintf(hint, sizeof(hint), "the schema read before a "
		    "migration waited %ld ms (--lock-wait) for it, and nothing "
		    "of the migration ran", a->lockwait);
		lk.status = ZN_EXIT_BUSY;
		lk.hint = hint;
		o.onlock = &lk;
	}
	zn_graph_from_db(g, a->conn, &o);
	if (bounded)
		zn_pg_cmd(a->conn, "end the schema read's lock bound",
		    "RESET lock_timeout");
}

/* A plan made by zn-diff holds only for the schema it was made from. */
static void
fromhash(struct zn_apply *a)
{
	const char *want = zn_json_str(a->p->header, "from_hash");
	struct zn_graph g;
	size_t i;

	if (want == NULL)
		return;
	for (i = 0; i < a->p->n; i++)
		if (a->st.s[i].done || a->st.m[a->st.s[i].mig].applied)
			return;		/* begun: the schema moved with it */
	livegraph(a, &g, 1);
	if (strcmp(g.hash, want) != 0) {
		char got[ZN_SHA256_STRLEN];

		memcpy(got, g.hash, sizeof(got));
		zn_graph_release(&g);
		zn_die(ZN_EXIT_RESOLVE, "the plan was made for a schema whose "
		    "hash is %s, but the database's is now %s: it changed "
		    "since; make the plan again", want, got);
	}
	/* Kept for the first before snapshot: nothing runs in between. */
	if (a->dry || a->shadow)
		zn_graph_release(&g);
	else {
		a->checked = zn_xmalloc(sizeof(*a->checked));
		*a->checked = g;
	}
}

/* The schema read kept by fromhash, when the next read would be its. */
static int
takechecked(struct zn_apply *a, struct zn_graph *g, int before)
{
	struct zn_graph *k = a->checked;

	if (k == NULL)
		return 0;
	a->checked = NULL;
	if (before)
		*g = *k;
	else
		zn_graph_release(k);
	free(k);
	return before;
}

/*
 * A database with objects of kinds the graph does not model: a plan
 * cannot see them, so applying it could break them.  Refused (exit 2)
 * unless allowed, or unless the plan says it was made knowing each of
 * them (zn-diff --allow-unmodelled lists them in its header).
 */
static void
unmodelled(struct zn_apply *a)
{
	/* Held where a leak checker sees it, should it be died with. */
	static char *text;
	const json_t *known = json_object_get(a->p->header, "unmodelled");
	struct zn_graph g;
	const json_t *e, *k;
	size_t i, j, unknown = 0;

	for (i = 0; i < a->p->n; i++)
		if (!a->st.s[i].done && !a->st.m[a->st.s[i].mig].applied)
			break;
	if (i == a->p->n)
		return;		/* nothing to do */
	memset(&g, 0, sizeof(g));
	if ((g.unmodelled = zn_unmodelled_from_db(a->conn, a->snap)) == NULL)
		return;
	json_array_foreach(g.unmodelled, i, e) {
		json_array_foreach(known, j, k)
			if (json_equal(e, k))
				break;
		if (j == json_array_size(known))
			unknown++;
	}
	text = zn_graph_unmodelled_text(&g, 5);
	if (unknown > 0 && !a->allow_unmodelled) {
		i = json_array_size(g.unmodelled);
		json_decref(g.unmodelled);
		zn_die(ZN_EXIT_UNAVAILABLE, "the database holds %zu objects of "
		    "kinds the graph does not model, which the plan cannot "
		    "see: %s; nothing was run; apply anyway with "
		    "--allow-unmodelled (allow_unmodelled: true in "
		    "zanith.yaml)", i, text);
	}
	zn_warn("the database holds %zu objects of kinds the graph does not "
	    "model, left as they are: %s", json_array_size(g.unmodelled), text);
	free(text);
	text = NULL;
	json_decref(g.unmodelled);
}

/* ---- integrity: exit 4 when the files and the ledger disagree ---- */

static void
integrity(struct zn_apply *a)
{
	struct zn_buf ooo = ZN_BUF_INIT;
	size_t j;

	for (j = 0; j < a->st.nm; j++) {
		const struct zn_mig *m = &a->st.m[j];

		if (m->state == ZN_MS_CHANGED)
			zn_die(ZN_EXIT_RESOLVE, "migration %s (%s.yaml) %s",
			    m->id, m->id, m->problem);
		if (m->state == ZN_MS_OUTOFORDER)
			zn_buf_addf(&ooo, " %s", m->id);
	}
	if (ooo.len > 0 && !a->allowooo)
		zn_die(ZN_EXIT_RESOLVE, "out of order: pending migrations "
		    "older than the newest applied one (%s):%s; apply them "
		    "with --allow-out-of-order", a->st.maxid, ooo.buf);
	zn_buf_release(&ooo);
}

/* ---- the index a step outside a transaction builds or drops ---- */

struct opindex {
	char *schema, *name;	/* owned */
	int create;		/* builds it (1) or drops it (0) */
};

/* The registry's answer (zn_op_index): args, else the statement. */
static int
opindex(const struct zn_op *op, struct opindex *ix)
{
	memset(ix, 0, sizeof(*ix));
	return zn_op_index(op, &ix->schema, &ix->name, &ix->create);
}

static void
opindex_release(struct opindex *ix)
{
	free(ix->schema);
	free(ix->name);
}

/* ---- the ledger's rows ---- */

/* A running attempt, written and committed before the step starts. */
/*
 * The ledger's statements of every step, prepared once in the session:
 * an attempt's row, and its outcome.  1 when they are; else x says why.
 */
#define ATTEMPT_BEGIN "zn_attempt_begin"
#define ATTEMPT_END "zn_attempt_end"
#define ATTEMPT_DONE "zn_attempt_done"
static int
prepare(struct zn_apply *a, struct zn_pgres *x)
{
	char *ins = L(a, "INSERT INTO @._zanith_migration_steps (run_id, "
	    "migration_id, step, op, target, status, transactional, sql, "
	    "sql_sha256, risk_level, risk_score, risk_reasons, client_host, "
	    "tool_pid) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
	    "$12, $13, $14) RETURNING attempt_id");
	char *upd = L(a, "UPDATE @._zanith_migration_steps SET status = $2, "
	    "error = $3, sqlstate = $4, blockers = $5::jsonb, note = $6, "
	    "finished_at = clock_timestamp(), elapsed_ms = $7 "
	    "WHERE attempt_id = $1");
	/*
	 * A done step's row written after the fact (--atomic): its times
	 * are the server's clock less the milliseconds since they were.
	 */
	char *done = L(a, "INSERT INTO @._zanith_migration_steps (run_id, "
	    "migration_id, step, op, target, status, transactional, sql, "
	    "sql_sha256, risk_level, risk_score, risk_reasons, client_host, "
	    "tool_pid, blockers, started_at, finished_at, elapsed_ms) VALUES "
	    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
	    "$15::jsonb, pg_catalog.clock_timestamp() - $16::float8 * "
	    "interval '1 millisecond', pg_catalog.clock_timestamp() - "
	    "$17::float8 * interval '1 millisecond', $18)");
	int ok;

	memset(x, 0, sizeof(*x));
	if (a->prepared) {
		free(ins);
		free(upd);
		free(done);
		return 1;
	}
	ok = zn_pg_take(a->conn, x, PQprepare(a->conn, ATTEMPT_BEGIN, ins,
	    14, NULL));
	if (ok) {
		zn_pgres_clear(x);
		ok = zn_pg_take(a->conn, x, PQprepare(a->conn, ATTEMPT_END,
		    upd, 7, NULL));
	}
	if (ok) {
		zn_pgres_clear(x);
		ok = zn_pg_take(a->conn, x, PQprepare(a->conn, ATTEMPT_DONE,
		    done, 18, NULL));
	}
	free(ins);
	free(upd);
	free(done);
	a->prepared = ok;
	/* x says why only when they are not. */
	if (ok)
		zn_pgres_clear(x);
	return ok;
}

/* The values of a step's ledger row, as text parameters. */
struct rowvals {
	char num[16], score[16], pid[16];
	char *reasons, *level, *script;
	const char *params[18];
	char started[32], finished[32], elapsed[32];
	char *blockers;
};

/* Fills r's first 14 parameters (the INSERT's) for step s. */
static void
rowvals(struct zn_apply *a, const struct zn_lstep *s, const char *status,
    struct rowvals *r)
{
	const struct zn_op *op = stepop(a, s);
	json_t *risk = zn_op_risk(op);
	const json_t *sc = json_object_get(risk, "score"), *v;
	struct zn_buf rb = ZN_BUF_INIT;
	size_t i;

	memset(r, 0, sizeof(*r));
	snprintf(r->num, sizeof(r->num), "%d", s->n);
	snprintf(r->pid, sizeof(r->pid), "%ld", (long)getpid());
	if (json_is_integer(sc))
		snprintf(r->score, sizeof(r->score), "%d",
		    (int)json_integer_value(sc));
	zn_buf_addch(&rb, '{');
	json_array_foreach(json_object_get(risk, "reasons"), i, v)
		if (json_is_string(v))
			zn_pg_array_add(&rb, json_string_value(v));
	zn_buf_addch(&rb, '}');
	r->reasons = zn_buf_detach(&rb);
	r->params[0] = a->runid;
	r->params[1] = stepmig(a, s);
	r->params[2] = r->num;
	r->params[3] = op->op;
	r->params[4] = op->target;
	r->params[5] = status;
	r->params[6] = op->transactional ? "t" : "f";
	r->params[7] = r->script = zn_op_script(op);
	r->params[8] = s->sum;
	r->level = zn_json_str(risk, "level") != NULL ?
	    zn_xstrdup(zn_json_str(risk, "level")) : NULL;
	r->params[9] = r->level;
	r->params[10] = json_is_integer(sc) ? r->score : NULL;
	r->params[11] = risk != NULL ? r->reasons : NULL;
	r->params[12] = a->host;
	r->params[13] = r->pid;
	json_decref(risk);
}

static void
rowvals_free(struct rowvals *r)
{
	free(r->reasons);
	free(r->level);
	free(r->script);
	free(r->blockers);
}

/*
 * An attempt's row, committed before anything of the step runs; with
 * begin (the step's BEGIN and settings), those go in the same round
 * trip, after the row's commit.  Returns the attempt's id.
 */
static long long
begin_attempt_tx(struct zn_apply *a, const struct zn_lstep *s,
    const char *status, const char *const *begin, size_t nbegin)
{
	struct rowvals rv;
	const char *const *params = rv.params;
	struct zn_pgres x;
	struct zn_pgstmt st[5];
	char *idtext = NULL;
	long long id;
	size_t i;

	if (a->shadow)
		return 0;
	memset(st, 0, sizeof(st));
	if (nbegin + 1 > sizeof(st) / sizeof(st[0]))
		zn_die(ZN_EXIT_UNAVAILABLE, "begin_attempt_tx: %zu statements "
		    "to begin with, at most %zu", nbegin,
		    sizeof(st) / sizeof(st[0]) - 1);
	rowvals(a, s, status, &rv);
	st[0].sql = ATTEMPT_BEGIN;
	st[0].prepared = 1;
	st[0].nparams = 14;
	st[0].params = params;
	st[0].sync = 1;
	for (i = 0; i < nbegin; i++)
		st[i + 1].sql = begin[i];
	if (!prepare(a, &x) || (i = zn_pg_try_pipeline(a->conn, &x, st,
	    nbegin + 1, &idtext)) == 0 || idtext == NULL) {
		char *msg = zn_xasprintf("cannot record step %d of %s in the "
		    "ledger (nothing of it ran): %s", s->n, stepmig(a, s),
		    x.msg);

		zn_pgres_clear(&x);
		rowvals_free(&rv);
		free(idtext);
		zn_die(ZN_EXIT_UNAVAILABLE, "%s", msg);
	}
	if (i <= nbegin) {
		/* The row is there, "running": the next run settles it. */
		char *msg = zn_xasprintf("cannot begin step %d of %s (nothing "
		    "of it ran): %s", s->n, stepmig(a, s), x.msg);

		zn_pgres_clear(&x);
		rowvals_free(&rv);
		free(idtext);
		zn_die(ZN_EXIT_UNAVAILABLE, "%s", msg);
	}
	zn_pgres_clear(&x);
	id = atoll(idtext);
	free(idtext);
	rowvals_free(&rv);
	return id;
}

static long long
begin_attempt(struct zn_apply *a, const struct zn_lstep *s,
    const char *status)
{
	return begin_attempt_tx(a, s, status, NULL, 0);
}

/*
 * Sets an attempt's outcome.  Returns 1 when it was written; out (when
 * not NULL) gets the outcome of the write, which the caller clears.
 */
static int
end_attempt(struct zn_apply *a, long long id, const char *status,
    const struct zn_pgres *err, const char *blockers, const char *note,
    double ms, struct zn_pgres *out)
{
	char ids[32], el[32];
	const char *params[7];
	struct zn_pgres x;
	int ok;

	if (a->shadow) {
		if (out != NULL)
			memset(out, 0, sizeof(*out));
		return 1;
	}
	snprintf(ids, sizeof(ids), "%lld", id);
	snprintf(el, sizeof(el), "%.0f", ms >= 0 ? ms : 0);
	params[0] = ids;
	params[1] = status;
	params[2] = err != NULL ? err->msg : NULL;
	params[3] = err != NULL && *err->state != '\0' ? err->state : NULL;
	params[4] = blockers;
	params[5] = note;
	params[6] = el;
	if (!prepare(a, out != NULL ? out : &x))
		ok = 0;
	else {
		if (out != NULL)
			zn_pgres_clear(out);
		else
			zn_pgres_clear(&x);
		ok = zn_pg_take(a->conn, out != NULL ? out : &x,
		    PQexecPrepared(a->conn, ATTEMPT_END, 7, params, NULL,
		    NULL, 0));
	}
	if (out == NULL)
		zn_pgres_clear(&x);
	return ok;
}

static long steptimeout(const struct zn_apply *a, const struct zn_lstep *s);

/*
 * A transactional step's outcome "done" and its COMMIT in one round
 * trip.  1 when both were; else x says which failed, and the transaction
 * may still be open (aborted) for the caller's ROLLBACK.  With
 * next (the step to run after it, transactional, in the same migration),
 * next's attempt row goes in the same transaction, and its BEGIN and
 * settings after the COMMIT, in the same round trip: the row is there
 * if and only if this step committed, as when written on its own before
 * next began, and a step costs two round trips and one commit instead
 * of three and two.  Then a->pres is next.
 */
static int
end_attempt_commit(struct zn_apply *a, long long id, const char *blockers,
    double ms, struct zn_pgres *x, const struct zn_lstep *next)
{
	char ids[32], el[32], lt[64], stt[64];
	const char *params[7];
	struct zn_pgstmt st[7];
	struct rowvals rv;
	char *idtext = NULL;
	size_t n = 2, r;

	if (!prepare(a, x))
		return 0;
	zn_pgres_clear(x);
	snprintf(ids, sizeof(ids), "%lld", id);
	snprintf(el, sizeof(el), "%.0f", ms >= 0 ? ms : 0);
	params[0] = ids;
	params[1] = "done";
	params[2] = NULL;
	params[3] = NULL;
	params[4] = blockers;
	params[5] = NULL;
	params[6] = el;
	memset(st, 0, sizeof(st));
	st[0].sql = ATTEMPT_END;
	st[0].prepared = 1;
	st[0].nparams = 7;
	st[0].params = params;
	if (next == NULL) {
		st[1].sql = "COMMIT";
		return zn_pg_try_pipeline(a->conn, x, st, 2, NULL) == 2;
	}
	rowvals(a, next, "running", &rv);
	st[1].sql = ATTEMPT_BEGIN;
	st[1].prepared = 1;
	st[1].nparams = 14;
	st[1].params = rv.params;
	st[2].sql = "COMMIT";
	st[2].sync = 1;
	snprintf(lt, sizeof(lt), "SET LOCAL lock_timeout = %ld",
	    steptimeout(a, next));
	snprintf(stt, sizeof(stt), "SET LOCAL statement_timeout = %ld",
	    a->stmttimeout);
	st[3].sql = "BEGIN";
	st[4].sql = lt;
	st[5].sql = stt;
	st[6].sql = "SET LOCAL search_path TO DEFAULT";
	n = 7;
	r = zn_pg_try_pipeline(a->conn, x, st, n, &idtext);
	rowvals_free(&rv);
	if (r < 3) {
		/* Not committed: neither this step nor next's row. */
		free(idtext);
		return 0;
	}
	if (idtext == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "internal error: the ledger gave "
		    "step %d of %s no attempt id", next->n, stepmig(a, next));
	a->pres = next;
	a->preid = atoll(idtext);
	free(idtext);
	if (r < n) {
		/* Committed, and next's row is there: the next run settles
		 * it; step() says why it cannot go on. */
		struct zn_pgres y;

		a->premsg = zn_xstrdup(x->msg);
		if (PQtransactionStatus(a->conn) != PQTRANS_IDLE) {
			q(a, &y, "ROLLBACK", 0, NULL);
			zn_pgres_clear(&y);
		}
	}
	zn_pgres_clear(x);
	memset(x, 0, sizeof(*x));
	return 1;
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

static int downed(struct zn_apply *a, struct zn_pgres *out);

/* The migration's row, written with its last step. */
static int
migrow(struct zn_apply *a, const struct zn_mig *m, double ms,
    struct zn_pgres *out)
{
	char *sql = L(a, "INSERT INTO @._zanith_migrations (id, checksum, "
	    "from_hash, to_hash, client_host, run_id, steps, elapsed_ms, "
	    "risk_worst, risk_max_score, out_of_order) VALUES ($1, $2, $3, "
	    "$4, $5, $6, $7, $8, $9, $10, $11)");
	char n[16], el[32], maxs[16];
	const char *params[11], *worst = NULL;
	int max = -1, lv = -1, ok;
	size_t i;

	if (a->shadow) {
		memset(out, 0, sizeof(*out));
		free(sql);
		return 1;
	}
	for (i = m->first; i < m->first + m->n; i++) {
		json_t *r = zn_op_risk(&a->p->ops[i]);
		const json_t *sc = json_object_get(r, "score");
		const char *level = zn_json_str(r, "level");

		if (json_is_integer(sc) && json_integer_value(sc) > max)
			max = (int)json_integer_value(sc);
		if (level != NULL && levelcode(level) > lv) {
			lv = levelcode(level);
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
	params[2] = a->st.nm == 1 ? zn_json_str(a->p->header, "from_hash") :
	    NULL;
	params[3] = a->st.nm == 1 ? zn_json_str(a->p->header, "to_hash") :
	    NULL;
	params[4] = a->host;
	params[5] = a->runid;
	params[6] = n;
	params[7] = el;
	params[8] = worst;
	params[9] = max >= 0 ? maxs : NULL;
	params[10] = m->outoforder ? "t" : "f";
	ok = q(a, out, sql, 11, params);
	free(sql);
	if (ok && a->reverts != NULL) {
		zn_pgres_clear(out);
		ok = downed(a, out);
	}
	return ok;
}

/*
 * A down run's end: each migration it undoes leaves _zanith_migrations
 * for a "down" event that keeps its row and says through which step
 * attempt its steps were undone (ZN_LIVE_ATTEMPT).  In the transaction
 * of the plan's last step; all of them or none.
 */
static int
downed(struct zn_apply *a, struct zn_pgres *out)
{
	char *sql = L(a, "WITH d AS (DELETE FROM @._zanith_migrations "
	    "WHERE id = ANY ($1::text[]) RETURNING *), "
	    "e AS (INSERT INTO @._zanith_events (kind, run_id, migration_id, "
	    "detail) SELECT 'down', $2, d.id, jsonb_build_object("
	    "'through_attempt', (SELECT max(s.attempt_id) FROM "
	    "@._zanith_migration_steps s WHERE s.migration_id = d.id), "
	    "'down_run', $3::text, 'host', $4::text, 'was', to_jsonb(d)) "
	    "FROM d RETURNING 1) SELECT count(*) FROM e");
	struct zn_buf arr = ZN_BUF_INIT;
	const char *params[4], *p, *c;
	long n = 0;
	int ok;

	zn_buf_addch(&arr, '{');
	for (p = a->reverts; *p != '\0'; p = *c != '\0' ? c + 1 : c) {
		char *id;

		c = p + strcspn(p, ",");
		id = zn_xstrndup(p, (size_t)(c - p));
		zn_pg_array_add(&arr, id);
		free(id);
		n++;
	}
	zn_buf_addch(&arr, '}');
	params[0] = arr.buf;
	params[1] = a->runid;
	params[2] = a->downid;
	params[3] = a->host;
	ok = q(a, out, sql, 4, params);
	free(sql);
	zn_buf_release(&arr);
	if (ok && atol(PQgetvalue(out->r, 0, 0)) != n) {
		zn_pgres_clear(out);
		out->msg = zn_xstrdup("a migration to take down is no longer "
		    "applied: another run took it down first");
		out->primary = zn_xstrdup(out->msg);
		return 0;
	}
	return ok;
}

static void
addevent(struct zn_apply *a, const char *kind, const char *mig, int step,
    const char *reason, const char *detail)
{
	char *sql = L(a, "INSERT INTO @._zanith_events (kind, run_id, "
	    "migration_id, step, reason, detail) VALUES ($1, $2, $3, $4, $5, "
	    "$6::jsonb)");
	char n[16];
	const char *params[6];
	struct zn_pgres x;

	if (a->shadow) {
		free(sql);
		return;
	}
	snprintf(n, sizeof(n), "%d", step);
	params[0] = kind;
	params[1] = a->runid;
	params[2] = mig;
	params[3] = step > 0 ? n : NULL;
	params[4] = reason;
	params[5] = detail;
	if (!q(a, &x, sql, 6, params))
		zn_warn("cannot record the %s event: %s", kind, x.msg);
	zn_pgres_clear(&x);
	free(sql);
}

static void digested(struct zn_apply *a);

/* A row being sent by COPY FROM STDIN, a buffer's worth at a time. */
struct copyrow {
	PGconn *conn;
	struct zn_buf b;
};

static int
copyflush(struct copyrow *w)
{
	int rc = w->b.len == 0 ||
	    PQputCopyData(w->conn, w->b.buf, (int)w->b.len) == 1 ? 0 : -1;

	zn_buf_reset(&w->b);
	return rc;
}

/* Text into the row as COPY's text format escapes it. */
static int
copytext(void *arg, const char *text, size_t len)
{
	struct copyrow *w = arg;
	const char *p = text, *e = text + len, *q;

	for (; p < e; p = q + 1) {
		for (q = p; q < e && *q != '\\' && *q != '\n' && *q != '\r' &&
		    *q != '\t'; q++)
			;
		zn_buf_add(&w->b, p, (size_t)(q - p));
		if (q == e)
			break;
		zn_buf_addch(&w->b, '\\');
		zn_buf_addch(&w->b, *q == '\n' ? 'n' : *q == '\r' ? 'r' :
		    *q == '\t' ? 't' : '\\');
	}
	return w->b.len >= 65536 ? copyflush(w) : 0;
}

/* A column of the row but the last, and its delimiter. */
static int
copyfield(struct copyrow *w, const char *text)
{
	if (copytext(w, text, strlen(text)) != 0)
		return -1;
	zn_buf_addch(&w->b, '\t');
	return 0;
}

/*
 * Graph g stored in the ledger as the migration's before or after: sent
 * with COPY a buffer at a time, so that a large schema's text is never
 * held whole, here or in libpq.  0 and the server's error in x when it
 * cannot be.
 */
static int
storegraph(struct zn_apply *a, const struct zn_mig *m, const char *which,
    const struct zn_graph *g, struct zn_pgres *x)
{
	struct copyrow w;
	PGresult *r;
	char *sql;
	int ok;

	sql = L(a, "COPY @._zanith_schema_snapshots (migration_id, which, "
	    "run_id, hash, graph) FROM STDIN");
	r = PQexec(a->conn, sql);
	free(sql);
	if (PQresultStatus(r) != PGRES_COPY_IN)
		return zn_pg_take(a->conn, x, r);
	PQclear(r);
	w.conn = a->conn;
	zn_buf_init(&w.b);
	ok = copyfield(&w, m->id) == 0 && copyfield(&w, which) == 0 &&
	    copyfield(&w, a->runid) == 0 && copyfield(&w, g->hash) == 0 &&
	    zn_graph_emit(g, copytext, &w) == 0;
	if (ok)
		zn_buf_addch(&w.b, '\n');
	ok = ok && copyflush(&w) == 0;
	zn_buf_release(&w.b);
	/* The result of the COPY, then the end of its results. */
	ok = PQputCopyEnd(a->conn, ok ? NULL : "the graph could not be "
	    "sent") == 1 && ok;
	r = PQgetResult(a->conn);
	if (!zn_pg_take(a->conn, x, r))
		ok = 0;
	else if (!ok) {
		zn_pgres_clear(x);
		zn_pg_take(a->conn, x, NULL);
	}
	while ((r = PQgetResult(a->conn)) != NULL)
		PQclear(r);
	return ok;
}

/* The graph now, kept as the migration's before or after. */
static void
snapshot(struct zn_apply *a, const struct zn_mig *m, const char *which)
{
	struct zn_graph g;
	struct zn_pgres x;

	if (a->shadow)
		return;
	if (!takechecked(a, &g, strcmp(which, "before") == 0))
		livegraph(a, &g, strcmp(which, "before") == 0);
	digested(a);
	if (!storegraph(a, m, which, &g, &x))
		zn_warn("cannot store the %s snapshot of %s: %s", which, m->id,
		    x.msg);
	zn_pgres_clear(&x);
	zn_graph_release(&g);
}

/* The statements of a JSON array, each ended with ";", one per line. */
static char *
sqltext(const json_t *arr)
{
	struct zn_buf b = ZN_BUF_INIT;
	const json_t *v;
	size_t i;

	json_array_foreach(arr, i, v) {
		zn_buf_adds(&b, json_string_value(v));
		zn_buf_adds(&b, ";\n");
	}
	return zn_buf_detach(&b);
}

static char *
qualified(const char *schema, const char *name)
{
	struct zn_buf b = ZN_BUF_INIT;

	zn_pg_ident(&b, schema);
	zn_buf_addch(&b, '.');
	zn_pg_ident(&b, name);
	return zn_buf_detach(&b);
}

/*
 * A step that parks data instead of dropping it (the op kinds whose
 * registry row names an artifact) leaves an artifact row, in the step's
 * own transaction (zn-ledger(7)): its id as users type it, what it was
 * and where it is now (by name and by the OID of the relation that holds
 * it), the SQL that restores it and what went with it, and its expiry.
 * A table parked takes along the soft-dropped columns it holds: their
 * rows are told where they are now.  The rows are counted and digested
 * once the step has committed (measure()), holding only ACCESS SHARE.
 * 1 when written, or when the step parks nothing.
 */
static int
artifact(struct zn_apply *a, const struct zn_lstep *s, struct zn_pgres *x)
{
	const struct zn_op *op = stepop(a, s);
	const json_t *args = zn_op_args(op);
	const char *kind = zn_op_parks(op), *arch, *params[20];
	const char *sc, *tn, *nm, *ps, *pn, *pc = NULL, *src = NULL;
	char n[16], days[32], *sql, *detail, *aid, *rec, *rel = NULL;
	char *srcrel = NULL, *info = NULL, *ww = NULL, *tsc = NULL;
	char *ttn = NULL;
	json_t *d;
	int ok, col, table, rebuild;

	memset(x, 0, sizeof(*x));
	if (kind == NULL || a->shadow)
		return 1;
	col = strcmp(kind, "soft_drop_column") == 0 ||
	    strcmp(kind, "archive_column") == 0;
	table = strcmp(kind, "soft_drop_table") == 0 ||
	    strcmp(kind, "archive_table") == 0 ||
	    strcmp(kind, "rebuild_table") == 0;
	sc = zn_json_str(args, "schema");
	tn = zn_json_str(args, "table");
	nm = zn_json_str(args, "name");
	/*
	 * An op written by hand may name its object by its target alone:
	 * schema.table.column, schema.table or schema.name, split at its
	 * dots when there are just so many.
	 */
	if (sc == NULL && op->target != NULL) {
		char *d1 = strchr(op->target, '.'), *d2 = d1 != NULL ?
		    strchr(d1 + 1, '.') : NULL;

		if (d1 != NULL && (col ? d2 != NULL && strchr(d2 + 1, '.') ==
		    NULL : d2 == NULL)) {
			sc = tsc = zn_xstrndup(op->target, (size_t)(d1 -
			    op->target));
			if (col) {
				tn = ttn = zn_xstrndup(d1 + 1, (size_t)(d2 -
				    d1 - 1));
				nm = d2 + 1;
			} else if (table)
				tn = d1 + 1;
			else
				nm = d1 + 1;
		}
	}
	arch = zn_json_str(args, "archived_as");
	if (arch != NULL && strncmp(arch, "_zanith_archive.", 16) == 0) {
		ps = "_zanith_archive";
		pn = arch + 16;
		pc = col ? nm : NULL;
	} else if (strcmp(kind, "soft_drop_column") == 0) {
		ps = sc;
		pn = tn;
		pc = zn_json_str(args, "parked_as");
	} else {
		ps = sc;
		pn = zn_json_str(args, "parked_as");
	}
	/* A rebuild that kept nothing parks nothing but its record. */
	rebuild = strcmp(kind, "rebuild_table") == 0;
	if (ps == NULL || pn == NULL)
		ps = pn = NULL;
	if (ps != NULL && (col || table))
		rel = qualified(ps, pn);
	if (col && sc != NULL && tn != NULL)
		srcrel = qualified(sc, tn);
	else if (table && rel != NULL)
		srcrel = zn_xstrdup(rel);
	if (col) {
		json_t *ci = json_pack("{s:O?, s:O?, s:O?, s:O?, s:O?}",
		    "type", json_object_get(args, "type"),
		    "collation", json_object_get(args, "collation"),
		    "not_null", json_object_get(args, "not_null"),
		    "default", json_object_get(args, "default"),
		    "key", json_object_get(args, "key"));

		if (ci == NULL)
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
		info = zn_json_line(ci);
		json_decref(ci);
	}
	if (json_is_array(json_object_get(args, "went_with")))
		ww = zn_json_line(json_object_get(args, "went_with"));
	d = json_pack("{s:s, s:O}", "op", op->op, "reverse",
	    zn_op_reverse(op) != NULL ? zn_op_reverse(op) : json_array());
	json_object_set(d, "args", (json_t *)args);
	detail = zn_json_line(d);
	json_decref(d);
	rec = sqltext(zn_op_reverse(op));
	aid = zn_xasprintf("%s::%s::%s", stepmig(a, s), kind, op->target);
	snprintf(n, sizeof(n), "%d", s->n);
	snprintf(days, sizeof(days), "%ld", a->retention_days);
	src = table ? tn : col ? tn : nm;
	params[0] = stepmig(a, s);
	params[1] = n;
	params[2] = kind;
	params[3] = op->target;
	params[4] = arch != NULL ? arch : zn_json_str(args, "parked_as");
	params[5] = detail;
	params[6] = aid;
	params[7] = sc;
	params[8] = src;
	params[9] = col ? nm : NULL;
	params[10] = ps;
	params[11] = pn;
	params[12] = pc;
	params[13] = rel;
	params[14] = srcrel;
	params[15] = info;
	params[16] = ww;
	params[17] = rec;
	params[18] = zn_json_str(args, "purge");
	params[19] = days;
	sql = L(a, "INSERT INTO @._zanith_migration_artifacts "
	    "(migration_id, step, kind, object, parked_as, detail, "
	    "artifact_id, src_schema, src_name, src_column, park_schema, "
	    "park_name, park_column, relid, src_relid, column_info, went_with, "
	    "recovery_sql, purge_sql, expires_at) VALUES ($1, $2, $3, $4, $5, "
	    "$6::jsonb, $7, $8, $9, $10, $11, $12, $13, "
	    "pg_catalog.to_regclass($14), pg_catalog.to_regclass($15), "
	    "$16::jsonb, $17::jsonb, $18, $19, pg_catalog.clock_timestamp() + "
	    "pg_catalog.make_interval(days => $20::int)) RETURNING id");
	ok = q(a, x, sql, 20, params);
	free(sql);
	if (ok && zn_artifact_has_rows(kind) && pn != NULL) {
		json_t *id = json_string(PQgetvalue(x->r, 0, 0));

		/* Made when first needed: a run that parks nothing has none. */
		if (a->measure == NULL && (a->measure = json_array()) == NULL)
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
		if (id == NULL || json_array_append_new(a->measure, id) != 0)
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	}
	/*
	 * A rebuild's forensic capture: the table as the snapshot taken
	 * before its migration has it.
	 */
	if (ok && rebuild && sc != NULL && tn != NULL) {
		char *id = zn_xstrdup(PQgetvalue(x->r, 0, 0));

		zn_pgres_clear(x);
		params[0] = id;
		params[1] = stepmig(a, s);
		params[2] = sc;
		params[3] = tn;
		sql = L(a, "UPDATE @._zanith_migration_artifacts SET detail = "
		    "detail || pg_catalog.jsonb_build_object('before', ("
		    "SELECT l::jsonb FROM (SELECT graph FROM "
		    "@._zanith_schema_snapshots WHERE migration_id = $2 AND "
		    "which = 'before' ORDER BY id DESC LIMIT 1) "
		    "g, pg_catalog.regexp_split_to_table(g.graph, E'\\n') l "
		    "WHERE l LIKE '{\"kind\":\"table\",%' AND "
		    "l::jsonb->>'schema' = $3 AND l::jsonb->>'name' = $4 "
		    "LIMIT 1)) WHERE id = $1::bigint");
		ok = q(a, x, sql, 4, params);
		free(sql);
		free(id);
	}
	/* The soft-dropped columns a parked table holds move with it. */
	if (ok && table && !rebuild && rel != NULL) {
		zn_pgres_clear(x);
		params[0] = rel;
		params[1] = ps;
		params[2] = pn;
		sql = L(a, "UPDATE @._zanith_migration_artifacts SET "
		    "park_schema = $2, park_name = $3 WHERE relid = "
		    "pg_catalog.to_regclass($1) AND kind = 'soft_drop_column' "
		    "AND status = 'parked'");
		ok = q(a, x, sql, 3, params);
		free(sql);
	}
	free(detail);
	free(rec);
	free(aid);
	free(rel);
	free(srcrel);
	free(info);
	free(ww);
	free(tsc);
	free(ttn);
	return ok;
}

/*
 * The rows of what the steps just committed parked: counted, digested
 * and sized (zn-ledger(7)), outside the steps' transactions so that the
 * scan holds only ACCESS SHARE.  A failure here is told and leaves the
 * digest empty; zn-artifact then says it cannot verify.
 *
 * measure() sends the digests on the watcher's session, where the
 * server takes them while this one goes on (a migration's after
 * snapshot); digested() collects and records them, before the next
 * step, after the snapshot, and before the lock is let go.  Without a
 * watcher's session on the same database they are taken at once.
 */

/*
 * The row of artifact id that its digest reads, into x: 0 when there is
 * none (a failure told).
 */
static int
artrow(struct zn_apply *a, const char *id, struct zn_pgres *x)
{
	const char *params[1] = { id };
	char *sql = L(a, "SELECT kind, park_schema, park_name, park_column, "
	    "column_info->'key' FROM @._zanith_migration_artifacts "
	    "WHERE id = $1 AND park_schema IS NOT NULL AND park_name IS "
	    "NOT NULL");
	int ok = q(a, x, sql, 1, params);

	free(sql);
	if (!ok || PQntuples(x->r) > 1)
		zn_warn("cannot read artifact %s back: %s", id,
		    x->msg != NULL ? x->msg : "no such row");
	if (ok && PQntuples(x->r) == 1)
		return 1;
	zn_pgres_clear(x);
	return 0;
}

static json_t *
artkey(const struct zn_pgres *x)
{
	return PQgetisnull(x->r, 0, 4) ? NULL : json_loads(PQgetvalue(x->r, 0,
	    4), 0, NULL);
}

static const char *
artcol(const struct zn_pgres *x, int c)
{
	return PQgetisnull(x->r, 0, c) ? NULL : PQgetvalue(x->r, 0, c);
}

/* The digest query of artifact id, or NULL. */
static char *
digestsql(struct zn_apply *a, const char *id)
{
	struct zn_pgres x, y;
	json_t *key;
	char *sql;

	if (!artrow(a, id, &x))
		return NULL;
	key = artkey(&x);
	sql = zn_artifact_digest_sql(a->conn, artcol(&x, 0), artcol(&x, 1),
	    artcol(&x, 2), artcol(&x, 3), key, "h2", &y);
	if (sql == NULL) {
		zn_warn("cannot read the columns of artifact %s: %s", id,
		    y.msg);
		zn_pgres_clear(&y);
	}
	json_decref(key);
	zn_pgres_clear(&x);
	return sql;
}

static void
recordsum(struct zn_apply *a, const char *id, struct zn_artifact_sum *sum)
{
	const char *params[4] = { id, sum->rows, sum->digest, sum->bytes };
	struct zn_pgres x;
	char *sql = L(a, "UPDATE @._zanith_migration_artifacts SET rows = "
	    "$2::bigint, checksum = $3, bytes = $4::bigint, checksum_at "
	    "= pg_catalog.clock_timestamp() WHERE id = $1");

	if (!q(a, &x, sql, 4, params))
		zn_warn("cannot record the digest of artifact %s: %s", id,
		    x.msg);
	zn_pgres_clear(&x);
	free(sql);
	zn_artifact_sum_release(sum);
}

/* The digest of artifact id taken here and now. */
static void
measurenow(struct zn_apply *a, const char *id)
{
	struct zn_artifact_sum sum;
	struct zn_pgres x, y;
	json_t *key;
	int ok;

	if (!artrow(a, id, &x))
		return;
	key = artkey(&x);
	/* Its strings are read before x is cleared: y is another result. */
	ok = zn_artifact_digest(a->conn, artcol(&x, 0), artcol(&x, 1),
	    artcol(&x, 2), artcol(&x, 3), key, NULL, &sum, &y);
	json_decref(key);
	zn_pgres_clear(&x);
	if (!ok) {
		zn_warn("cannot digest the rows of artifact %s: %s", id, y.msg);
		zn_pgres_clear(&y);
		return;
	}
	recordsum(a, id, &sum);
}

/* Collects the digests measure() sent, and records them. */
static void
digested(struct zn_apply *a)
{
	struct zn_artifact_sum *sums;
	size_t n, k, i;
	json_t *ids = a->digesting;

	if (ids == NULL)
		return;
	a->digesting = NULL;
	n = json_array_size(ids);
	sums = zn_xcalloc(n, sizeof(*sums));
	k = zn_artifact_digest_recv(a->mon, n, sums);
	for (i = 0; i < n; i++)
		if (i < k)
			recordsum(a, json_string_value(json_array_get(ids, i)),
			    &sums[i]);
		else	/* a type with no hash function, or a failure */
			measurenow(a, json_string_value(json_array_get(ids,
			    i)));
	free(sums);
	json_decref(ids);
}

static void
measure(struct zn_apply *a)
{
	const json_t *v;
	char **sqls;
	size_t i, n = 0;
	json_t *ids;

	digested(a);
	if (json_array_size(a->measure) == 0)
		return;
	/*
	 * The watcher's session, begun like the step's when it is not yet:
	 * a step has committed, so a session that cannot be had means the
	 * digests are taken here, never that the run stops.
	 */
	if (a->mon == NULL && a->mondb == NULL && !a->shadow &&
	    (a->mon = zn_pg_connect_like(a->conn)) != NULL &&
	    !zn_pg_connect_end(a->mon, 10000)) {
		PQfinish(a->mon);
		a->mon = NULL;
	}
	if (a->mondb != NULL || a->shadow || a->mon == NULL ||
	    PQtransactionStatus(a->mon) != PQTRANS_IDLE) {
		json_array_foreach(a->measure, i, v)
			measurenow(a, json_string_value(v));
		json_array_clear(a->measure);
		return;
	}
	if ((ids = json_array()) == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	sqls = zn_xcalloc(json_array_size(a->measure), sizeof(*sqls));
	json_array_foreach(a->measure, i, v)
		if ((sqls[n] = digestsql(a, json_string_value(v))) != NULL) {
			if (json_array_append(ids, (json_t *)v) != 0)
				zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
			n++;
		}
	json_array_clear(a->measure);
	if (n > 0 && zn_artifact_digest_send(a->mon, sqls, n))
		a->digesting = ids;
	else {
		json_array_foreach(ids, i, v)
			measurenow(a, json_string_value(v));
		json_decref(ids);
	}
	for (i = 0; i < n; i++)
		free(sqls[i]);
	free(sqls);
}

/* ---- a shadow run: what each step is seen doing ---- */

/* Relations of the database's own schemas: OID, relfilenode. */
#define RELMAP_SQL \
    "SELECT c.oid, c.relfilenode FROM pg_catalog.pg_class c " \
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " \
    "WHERE n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'"

/*
 * The relation locks a session holds, with what the observer needs of
 * each relation: OID, name, mode, relfilenode, kind, the sequential
 * scans of its table by this transaction (own session only) and, for an
 * index, its table and the table's name.  $1 is the session's pid.
 */
#define HELD_SQL(scans) \
    "SELECT l.relation, pg_catalog.format('%I.%I', n.nspname, c.relname), " \
    "l.mode, c.relfilenode, c.relkind, " scans ", i.indrelid, " \
    "(SELECT pg_catalog.format('%I.%I', tn.nspname, t.relname) " \
    "FROM pg_catalog.pg_class t JOIN pg_catalog.pg_namespace tn " \
    "ON tn.oid = t.relnamespace WHERE t.oid = i.indrelid) " \
    "FROM pg_catalog.pg_locks l " \
    "JOIN pg_catalog.pg_class c ON c.oid = l.relation " \
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " \
    "LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid " \
    "WHERE l.pid = $1::int AND l.locktype = 'relation' AND l.granted " \
    "AND l.database = (SELECT oid FROM pg_catalog.pg_database " \
    "WHERE datname = pg_catalog.current_database()) " \
    "AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_' " \
    "ORDER BY 2, 1"

/* The relations and their relfilenodes, before the first step. */
static void
relmap(struct zn_apply *a)
{
	struct zn_pgres x;
	int i;

	json_decref(a->relmap);
	if ((a->relmap = json_object()) == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	/* A rehearsal's own session: nothing else is prepared there. */
	if (!q(a, &x, "DEALLOCATE ALL", 0, NULL))
		zn_pg_die(&x, "prepare the shadow's observations", NULL);
	zn_pgres_clear(&x);
	if (!zn_pg_take(a->conn, &x, PQprepare(a->conn, "zn_held",
	    HELD_SQL("pg_catalog.pg_stat_get_xact_numscans(c.oid)"), 1,
	    NULL)))
		zn_pg_die(&x, "prepare the shadow's observations", NULL);
	zn_pgres_clear(&x);
	if (!q(a, &x, RELMAP_SQL, 0, NULL))
		zn_pg_die(&x, "read the shadow's relations", NULL);
	for (i = 0; i < PQntuples(x.r); i++)
		if (json_object_set_new(a->relmap, PQgetvalue(x.r, i, 0),
		    json_string(PQgetvalue(x.r, i, 1))) != 0)
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	zn_pgres_clear(&x);
}

static void
addname(json_t *arr, const char *name)
{
	size_t i;
	const json_t *v;

	json_array_foreach(arr, i, v)
		if (strcmp(json_string_value(v), name) == 0)
			return;
	json_array_append_new(arr, json_string(name));
}

/*
 * What the session pid holds now, as facts (see struct zn_apply).  On
 * the step's own session (own: inside its transaction) the scans are
 * its own; from another session they cannot be seen.  The relfilenodes
 * read go into seen, when not NULL (OID -> relfilenode), for relmap to
 * take once the step commits.  NULL when the server could not say (x says why).
 */
static json_t *
held(struct zn_apply *a, PGconn *conn, int pid, int own, json_t *seen,
    struct zn_pgres *x)
{
	static const char *const work[] = { "none", "scan", "index_build",
	    "rewrite" };
	char p[16];
	const char *params[1] = { p };
	json_t *f, *locks, *rw, *sc, *ib, *best;
	int i, w = 0;

	snprintf(p, sizeof(p), "%d", pid);
	/* The step's own session asks every step: prepared once (relmap). */
	if (own ? !zn_pg_take(conn, x, PQexecPrepared(conn, "zn_held", 1,
	    params, NULL, NULL, 0)) : !zn_pg_try(conn, x,
	    HELD_SQL("0::bigint"), 1, params))
		return NULL;
	f = json_pack("{s:[], s:[], s:[], s:[]}", "locks", "rewrites",
	    "scans", "index_builds");
	if (f == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	locks = json_object_get(f, "locks");
	rw = json_object_get(f, "rewrites");
	sc = json_object_get(f, "scans");
	ib = json_object_get(f, "index_builds");
	for (i = 0; i < PQntuples(x->r); i++) {
		const char *oid = PQgetvalue(x->r, i, 0);
		const char *name = PQgetvalue(x->r, i, 1);
		const char *mode = PQgetvalue(x->r, i, 2);
		const char *node = PQgetvalue(x->r, i, 3);
		char kind = PQgetvalue(x->r, i, 4)[0];
		const json_t *was = json_object_get(a->relmap, oid);
		int table = kind == 'r' || kind == 'm' || kind == 'p';
		size_t k;
		json_t *v;

		if (seen != NULL)
			json_object_set_new(seen, oid, json_string(node));
		if (was == NULL) {
			/* New: an index built on a table that was there. */
			const char *on = PQgetvalue(x->r, i, 6);

			if (kind == 'i' && *on != '\0' &&
			    json_object_get(a->relmap, on) != NULL) {
				addname(ib, PQgetvalue(x->r, i, 7));
				w = w > 2 ? w : 2;
			}
			continue;
		}
		if (table && strcmp(json_string_value(was), node) != 0 &&
		    strcmp(node, "0") != 0) {
			addname(rw, name);
			w = 3;
		}
		if (table && own && atoll(PQgetvalue(x->r, i, 5)) >
		    (json_is_string(json_object_get(a->scans0, oid)) ?
		    atoll(json_string_value(json_object_get(a->scans0, oid))) :
		    0)) {
			addname(sc, name);
			w = w > 1 ? w : 1;
		}
		/* The strongest mode held on each relation that was there. */
		best = NULL;
		json_array_foreach(locks, k, v)
			if (strcmp(zn_json_str(v, "relation"), name) == 0)
				best = v;
		if (best == NULL)
			json_array_append_new(locks, json_pack("{s:s, s:s}",
			    "relation", name, "mode",
			    zn_lock_name(zn_lock_rank(mode) > 0 ?
			    zn_lock_rank(mode) : 1)));
		else if (zn_lock_rank(mode) > zn_lock_rank(zn_json_str(best,
		    "mode")))
			json_object_set_new(best, "mode", json_string(
			    zn_lock_name(zn_lock_rank(mode))));
	}
	json_object_set_new(f, "work", json_string(work[w]));
	zn_pgres_clear(x);
	return f;
}

/*
 * The sequential scans this session has counted but not yet reported,
 * in the step's transaction before its statements: what held() takes
 * off (the server reports its counts at most once a second, so a
 * count read later holds earlier transactions' scans too).  Before
 * PostgreSQL 15 only; from 15 on, the session reports them when asked
 * (pg_stat_force_next_flush) after every step and before the first, so
 * a step's own count starts from nothing.
 */
static int
scans_before(struct zn_apply *a, struct zn_pgres *x)
{
	int i;

	json_decref(a->scans0);
	if ((a->scans0 = json_object()) == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	if (!q(a, x, "SELECT c.oid, pg_catalog.pg_stat_get_xact_numscans(c.oid) "
	    "FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'm', 'p') "
	    "AND pg_catalog.pg_stat_get_xact_numscans(c.oid) > 0", 0, NULL))
		return 0;
	for (i = 0; i < PQntuples(x->r); i++)
		json_object_set_new(a->scans0, PQgetvalue(x->r, i, 0),
		    json_string(PQgetvalue(x->r, i, 1)));
	zn_pgres_clear(x);
	return 1;
}

/* Adds the facts of sample s to the step's f: the union of both. */
static void
merge(json_t *f, const json_t *s)
{
	static const char *const lists[] = { "rewrites", "scans",
	    "index_builds" };
	static const char *const work[] = { "none", "scan", "index_build",
	    "rewrite" };
	size_t i, k, j;
	const json_t *v, *w;
	int a = 0, b = 0;

	for (i = 0; i < 3; i++)
		json_array_foreach(json_object_get(s, lists[i]), k, v)
			addname(json_object_get(f, lists[i]),
			    json_string_value(v));
	json_array_foreach(json_object_get(s, "locks"), k, v) {
		json_t *best = NULL, *u;

		json_array_foreach(json_object_get(f, "locks"), j, u)
			if (strcmp(zn_json_str(u, "relation"), zn_json_str(v,
			    "relation")) == 0)
				best = u;
		if (best == NULL)
			json_array_append(json_object_get(f, "locks"),
			    (json_t *)v);
		else if (zn_lock_rank(zn_json_str(v, "mode")) >
		    zn_lock_rank(zn_json_str(best, "mode")))
			json_object_set(best, "mode", json_object_get(v,
			    "mode"));
	}
	for (i = 0; i < 4; i++) {
		if (strcmp(zn_json_str(f, "work"), work[i]) == 0)
			a = (int)i;
		if (strcmp(zn_json_str(s, "work"), work[i]) == 0)
			b = (int)i;
	}
	w = json_string(work[a > b ? a : b]);
	json_object_set_new(f, "work", (json_t *)w);
}

/* The new relfilenodes a committed step left become the map's. */
static void
relmap_take(struct zn_apply *a, json_t *seen)
{
	if (seen != NULL && json_object_update(a->relmap, seen) != 0)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	json_decref(seen);
}

/*
 * After a step outside a transaction: what it built or rewrote, from
 * the relations as they are now against the map, which they replace.
 */
static int
after_nontx(struct zn_apply *a, json_t *f, struct zn_pgres *x)
{
	json_t *now = json_object();
	int i, rank = 0;
	const char *w = zn_json_str(f, "work");

	if (now == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	/* The step's scans reported first: the next step's start clean. */
	if (a->scans0 == NULL && !q(a, x, "SELECT "
	    "pg_catalog.pg_stat_force_next_flush()", 0, NULL)) {
		json_decref(now);
		return 0;
	}
	zn_pgres_clear(x);
	if (!q(a, x, "SELECT c.oid, c.relfilenode, c.relkind, i.indrelid, "
	    "pg_catalog.format('%I.%I', n.nspname, c.relname), "
	    "(SELECT pg_catalog.format('%I.%I', tn.nspname, t.relname) "
	    "FROM pg_catalog.pg_class t JOIN pg_catalog.pg_namespace tn "
	    "ON tn.oid = t.relnamespace WHERE t.oid = i.indrelid) "
	    "FROM pg_catalog.pg_class c "
	    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	    "LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid "
	    "WHERE n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'",
	    0, NULL)) {
		json_decref(now);
		return 0;
	}
	if (strcmp(w, "scan") == 0)
		rank = 1;
	else if (strcmp(w, "index_build") == 0)
		rank = 2;
	else if (strcmp(w, "rewrite") == 0)
		rank = 3;
	for (i = 0; i < PQntuples(x->r); i++) {
		const char *oid = PQgetvalue(x->r, i, 0);
		const char *node = PQgetvalue(x->r, i, 1);
		char kind = PQgetvalue(x->r, i, 2)[0];
		const char *on = PQgetvalue(x->r, i, 3);
		const json_t *was = json_object_get(a->relmap, oid);

		json_object_set_new(now, oid, json_string(node));
		if (was == NULL && kind == 'i' && *on != '\0' &&
		    json_object_get(a->relmap, on) != NULL) {
			addname(json_object_get(f, "index_builds"),
			    PQgetvalue(x->r, i, 5));
			rank = rank > 2 ? rank : 2;
		} else if (was != NULL && (kind == 'r' || kind == 'm') &&
		    strcmp(json_string_value(was), node) != 0) {
			addname(json_object_get(f, "rewrites"),
			    PQgetvalue(x->r, i, 4));
			rank = 3;
		}
	}
	zn_pgres_clear(x);
	json_decref(a->relmap);
	a->relmap = now;
	json_object_set_new(f, "work", json_string(rank == 3 ? "rewrite" :
	    rank == 2 ? "index_build" : rank == 1 ? "scan" : "none"));
	return 1;
}

/* Hands a step's facts to the caller, with its elapsed time. */
static void
observed(struct zn_apply *a, const struct zn_lstep *s, json_t *f, double ms)
{
	if (f == NULL)
		return;
	json_object_set_new(f, "elapsed_ms", json_real((double)(long)(ms *
	    1000) / 1000));
	if (a->observed != NULL)
		a->observed(a->arg, (size_t)(s - a->st.s), f);
	else
		json_decref(f);
}

/* ---- running statements, watching what blocks them ---- */

/* The sessions blocking pid, as a JSON array, or NULL. */
static char *
blockers(struct zn_apply *a, int pid)
{
	char p[16];
	const char *params[1] = { p };
	struct zn_pgres x;
	char *out = NULL;

	if (a->mon == NULL)
		a->mon = zn_pg_connect_db(a->conninfo, a->mondb);
	snprintf(p, sizeof(p), "%d", pid);
	if (zn_pg_try(a->mon, &x, "SELECT coalesce(json_agg("
	    "json_build_object('pid', pid, 'application_name', "
	    "application_name, 'state', state, 'query', left(query, 200)) "
	    "ORDER BY pid), '[]')::text FROM pg_catalog.pg_stat_activity "
	    "WHERE pid = ANY (pg_catalog.pg_blocking_pids($1::int))", 1,
	    params) && PQntuples(x.r) == 1 && strcmp(PQgetvalue(x.r, 0, 0),
	    "[]") != 0)
		out = zn_xstrdup(PQgetvalue(x.r, 0, 0));
	zn_pgres_clear(&x);
	return out;
}

/*
 * Runs one statement on the step connection, asynchronously: while it
 * waits, the sessions blocking it are looked up (after 40 ms, then every
 * 100 ms), and a signal cancels it.  *seen keeps the last blockers found.
 */
static int
runstmt(struct zn_apply *a, struct zn_pgres *x, const char *sql,
    char **seen)
{
	int pid = PQbackendPID(a->conn), cancelled = 0;
	double next = zn_now_ms() + 40;
	PGresult *r, *last = NULL;
	struct pollfd pfd;

	if (PQsendQuery(a->conn, sql) != 1)
		return zn_pg_take(a->conn, x, NULL);
	pfd.fd = PQsocket(a->conn);
	pfd.events = POLLIN;
	for (;;) {
		if (PQconsumeInput(a->conn) != 1)
			break;
		if (!PQisBusy(a->conn))
			break;
		if (STOPPED(a) && !cancelled) {
			PGcancel *c = PQgetCancel(a->conn);
			char err[256];

			if (c != NULL) {
				PQcancel(c, err, sizeof(err));
				PQfreeCancel(c);
			}
			cancelled = 1;
		}
		if (a->sampling != NULL) {
			struct zn_pgres y;
			json_t *f;

			if (a->mon == NULL)
				a->mon = zn_pg_connect_db(a->conninfo, a->mondb);
			if ((f = held(a, a->mon, pid, 0, NULL, &y)) != NULL) {
				merge(a->sampling, f);
				json_decref(f);
			} else
				zn_pgres_clear(&y);
		}
		if (zn_now_ms() >= next) {
			char *b = blockers(a, pid);

			if (b != NULL) {
				free(*seen);
				*seen = b;
			}
			next = zn_now_ms() + 100;
		}
		(void)poll(&pfd, 1, 20);
	}
	/* The first failure of the statement's results, else the last. */
	while ((r = PQgetResult(a->conn)) != NULL) {
		ExecStatusType st = PQresultStatus(last);

		if (last == NULL || st == PGRES_TUPLES_OK ||
		    st == PGRES_COMMAND_OK) {
			PQclear(last);
			last = r;
		} else
			PQclear(r);
	}
	return zn_pg_take(a->conn, x, last);
}

static int
retryable(const struct zn_pgres *x)
{
	return strcmp(x->state, "55P03") == 0 ||
	    strcmp(x->state, "40P01") == 0 || strcmp(x->state, "40001") == 0;
}

/* ---- the postcondition of a step outside a transaction ---- */

/*
 * Whether index schema.name is there: 1 valid and ready, 0 invalid,
 * -1 absent, -2 when the lookup failed (x holds why).
 */
static int
indexstate(struct zn_apply *a, const char *schema, const char *name,
    struct zn_pgres *x)
{
	const char *params[2] = { schema, name };
	int st;

	if (!q(a, x, "SELECT i.indisvalid AND i.indisready FROM "
	    "pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = "
	    "i.indexrelid JOIN pg_catalog.pg_namespace n ON n.oid = "
	    "c.relnamespace WHERE n.nspname = $1 AND c.relname = $2", 2,
	    params))
		return -2;
	st = PQntuples(x->r) == 0 ? -1 : strcmp(PQgetvalue(x->r, 0, 0),
	    "t") == 0;
	zn_pgres_clear(x);
	return st;
}

/*
 * A step a killed run left running.  Transactional: its transaction
 * died with the run, so it did not happen.  Non-transactional: the
 * postcondition decides: a valid index is done; an invalid one is
 * dropped and built again; anything else runs again.
 */
static void
reconcile(struct zn_apply *a, struct zn_lstep *s)
{
	struct opindex ix;
	struct zn_pgres x;
	int st;

	memset(&x, 0, sizeof(x));
	if (s->runtx) {
		end_attempt(a, s->running, "interrupted", NULL, NULL,
		    "its transaction ended with the run that started it", -1,
		    NULL);
		return;
	}
	if (!opindex(stepop(a, s), &ix)) {
		end_attempt(a, s->running, "interrupted", NULL, NULL,
		    "killed while running outside a transaction; runs again",
		    -1, NULL);
		return;
	}
	st = indexstate(a, ix.schema, ix.name, &x);
	if (st == -2)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot look for index %s.%s: %s",
		    ix.schema, ix.name, x.msg);
	if ((ix.create && st == 1) || (!ix.create && st == -1)) {
		end_attempt(a, s->running, "done", NULL, NULL, ix.create ?
		    "reconciled: the index it builds is there and valid" :
		    "reconciled: the index it drops is gone", -1, NULL);
		s->done = 1;
		free(s->donesum);
		s->donesum = zn_xstrdup(s->sum);
	} else
		/* An invalid index is dropped when the step runs again. */
		end_attempt(a, s->running, "interrupted", NULL, NULL,
		    st == 0 ? "killed while building: the invalid index is "
		    "dropped and built again" : "killed while running "
		    "outside a transaction; runs again", -1, NULL);
	zn_pgres_clear(&x);
	s->running = 0;
	opindex_release(&ix);
}

/*
 * An index a CREATE INDEX CONCURRENTLY step builds may be there and
 * invalid, left by a build that failed, was cancelled or was killed:
 * it is dropped first, so the step builds it again.  0 when that fails.
 */
static int
dropinvalid(struct zn_apply *a, const struct zn_lstep *s,
    struct zn_pgres *err)
{
	struct opindex ix;
	struct zn_pgres x;
	int ok = 1, st;

	memset(&x, 0, sizeof(x));
	if (!opindex(stepop(a, s), &ix))
		return 1;
	if (!ix.create)
		goto out;
	if ((st = indexstate(a, ix.schema, ix.name, &x)) == -2) {
		*err = x;
		ok = 0;
		goto out;
	}
	if (st == 0) {
		struct zn_buf b = ZN_BUF_INIT;

		zn_buf_adds(&b, "DROP INDEX CONCURRENTLY ");
		zn_pg_ident(&b, ix.schema);
		zn_buf_addch(&b, '.');
		zn_pg_ident(&b, ix.name);
		ok = q(a, &x, b.buf, 0, NULL);
		zn_buf_release(&b);
		if (!ok) {
			*err = x;
			goto out;
		}
		if (!a->quiet)
			zn_warn("step %d of %s: dropped the invalid index %s.%s "
			    "an earlier build left", s->n, stepmig(a, s),
			    ix.schema, ix.name);
	}
	zn_pgres_clear(&x);
out:
	opindex_release(&ix);
	return ok;
}

/* ---- one step ---- */

static long
steptimeout(const struct zn_apply *a, const struct zn_lstep *s)
{
	json_t *r = zn_op_risk(stepop(a, s));
	const json_t *v = json_object_get(json_object_get(r, "facts"),
	    "lock_timeout_ms");
	long ms = json_is_integer(v) && json_integer_value(v) > 0 ?
	    (long)json_integer_value(v) : a->locktimeout;

	json_decref(r);
	return ms;
}

/*
 * A transactional step: its statements, then its row turned done (and
 * the migration's row with its last step) in one transaction.
 * Returns 1 when it committed; else err says why.
 */
/*
 * The step after s when it is to run next and can begin with s's
 * COMMIT (end_attempt_commit): transactional, in the same migration,
 * not done, nothing stopping the run before it.  Else NULL.
 */
static const struct zn_lstep *
following(const struct zn_apply *a, const struct zn_lstep *s)
{
	const struct zn_lstep *n = s + 1;

	if (a->shadow || STOPPED(a) || s->mig != n->mig || n->done ||
	    !stepop(a, n)->transactional ||
	    (a->maxsteps >= 0 && a->ran + 1 >= a->maxsteps))
		return NULL;
	return n;
}

static int
steptx(struct zn_apply *a, struct zn_lstep *s, int nth, long long id,
    int last, double mstart, struct zn_pgres *err, char **seen, int begun)
{
	char set[128];
	const json_t *v;
	size_t i;
	double t0 = zn_now_ms();
	struct zn_pgres x;
	json_t *facts = NULL, *nodes = NULL;

	memset(&x, 0, sizeof(x));
	/* One round trip: the transaction and its settings. */
	snprintf(set, sizeof(set), "BEGIN; SET LOCAL lock_timeout = %ld; "
	    "SET LOCAL statement_timeout = %ld; "
	    "SET LOCAL search_path TO DEFAULT", steptimeout(a, s),
	    a->stmttimeout);
	if (!begun && !q(a, &x, set, 0, NULL))
		goto fail;
	zn_pgres_clear(&x);
	if (a->shadow && a->scans0 != NULL && !scans_before(a, &x))
		goto fail;
	fault(a, "before_exec", nth, NULL);
	json_array_foreach(zn_op_sql(stepop(a, s)), i, v) {
		if (!runstmt(a, &x, json_string_value(v), seen))
			goto fail;
		zn_pgres_clear(&x);
	}
	if (!artifact(a, s, &x))
		goto fail;
	zn_pgres_clear(&x);
	/* What the step holds, rewrote and scanned, before it commits. */
	if (a->shadow) {
		if ((nodes = json_object()) == NULL)
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
		facts = held(a, a->conn, PQbackendPID(a->conn), 1, nodes, &x);
		if (facts == NULL)
			goto fail;
	}
	fault(a, "after_exec", nth, NULL);
	/* The outcome and the COMMIT in one round trip where nothing else
	 * goes between them, and the next step's beginning with them. */
	if (!last && !a->shadow) {
		if (!end_attempt_commit(a, id, *seen, zn_now_ms() - t0, &x,
		    following(a, s)))
			goto fail;
		zn_pgres_clear(&x);
		measure(a);
		return 1;
	}
	if (!end_attempt(a, id, "done", NULL, *seen, NULL,
	    zn_now_ms() - t0, &x))
		goto fail;
	zn_pgres_clear(&x);
	if (last && !migrow(a, &a->st.m[s->mig], zn_now_ms() - mstart, &x))
		goto fail;
	zn_pgres_clear(&x);
	/*
	 * A rehearsal on PostgreSQL 15 and later has the session report its
	 * counts once idle, so that the next step's start from nothing.
	 */
	if (!q(a, &x, a->shadow && a->scans0 == NULL ? "COMMIT; SELECT "
	    "pg_catalog.pg_stat_force_next_flush()" : "COMMIT", 0, NULL))
		goto fail;
	zn_pgres_clear(&x);
	if (a->shadow) {
		relmap_take(a, nodes);
		observed(a, s, facts, zn_now_ms() - t0);
	}
	measure(a);
	return 1;
fail:
	json_array_clear(a->measure);
	json_decref(facts);
	json_decref(nodes);
	*err = x;
	if (PQtransactionStatus(a->conn) != PQTRANS_IDLE) {
		struct zn_pgres y;

		q(a, &y, "ROLLBACK", 0, NULL);
		zn_pgres_clear(&y);
	}
	return 0;
}

/* A step outside a transaction: one statement, its row written after. */
static int
stepnontx(struct zn_apply *a, struct zn_lstep *s, int nth, long long id,
    int last, double mstart, struct zn_pgres *err, char **seen)
{
	const char *stmt = json_string_value(json_array_get(zn_op_sql(
	    stepop(a, s)), 0));
	char set[128];
	struct zn_pgres x, y;
	double t0 = zn_now_ms();
	int ok;

	snprintf(set, sizeof(set), "SET lock_timeout = %ld; SET "
	    "statement_timeout = 0; RESET search_path", steptimeout(a, s));
	if (!q(a, &x, set, 0, NULL)) {
		*err = x;
		return 0;
	}
	zn_pgres_clear(&x);
	if (!dropinvalid(a, s, err))
		return 0;
	fault(a, "before_exec", nth, NULL);
	fault(a, "during", nth, stmt);
	/* Its locks can only be sampled, from another session. */
	if (a->shadow && (a->sampling = json_pack("{s:[], s:[], s:[], s:[], "
	    "s:s}", "locks", "rewrites", "scans", "index_builds", "work",
	    "none")) == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	ok = runstmt(a, &x, stmt, seen);
	q(a, &y, "RESET lock_timeout; RESET statement_timeout; "
	    "SELECT pg_catalog.set_config('search_path', '', false)", 0, NULL);
	zn_pgres_clear(&y);
	if (!ok) {
		json_decref(a->sampling);
		a->sampling = NULL;
		*err = x;
		return 0;
	}
	zn_pgres_clear(&x);
	if (a->shadow) {
		json_t *f = a->sampling;

		a->sampling = NULL;
		if (!after_nontx(a, f, &x)) {
			json_decref(f);
			*err = x;
			return 0;
		}
		json_object_set_new(f, "sampled", json_true());
		observed(a, s, f, zn_now_ms() - t0);
	}
	fault(a, "after_exec", nth, NULL);
	if (!end_attempt(a, id, "done", NULL, *seen, NULL, zn_now_ms() - t0,
	    &x))
		zn_die(ZN_EXIT_UNAVAILABLE, "step %d of %s ran, but the ledger "
		    "could not record it: %s; the next run checks it again",
		    s->n, stepmig(a, s), x.msg);
	zn_pgres_clear(&x);
	if (last && !migrow(a, &a->st.m[s->mig], zn_now_ms() - mstart, &x))
		zn_die(ZN_EXIT_UNAVAILABLE, "migration %s ran, but the ledger "
		    "could not record it: %s", stepmig(a, s), x.msg);
	zn_pgres_clear(&x);
	return 1;
}

/*
 * Runs a step with its retries.  Returns 1 done, 0 failed.  nth counts
 * the steps this run executes, for the fault hook.
 */
static int
step(struct zn_apply *a, struct zn_lstep *s, int nth, double mstart)
{
	const struct zn_mig *m = &a->st.m[s->mig];
	const struct zn_op *op = stepop(a, s);
	int last = s == &a->st.s[m->first + m->n - 1];
	int attempt;
	long backoff = 200;

	digested(a);
	for (attempt = 0;; attempt++) {
		/*
		 * A transactional step's BEGIN and settings go with its
		 * ledger row, in the same round trip, after the row is
		 * committed.
		 */
		char lt[64], stt[64];
		const char *begin[] = { "BEGIN", lt, stt,
		    "SET LOCAL search_path TO DEFAULT" };
		int begun = op->transactional && !a->shadow;
		long long id;
		double t0;
		char *seen = NULL, *d;
		struct zn_pgres err, y;
		int ok;

		snprintf(lt, sizeof(lt), "SET LOCAL lock_timeout = %ld",
		    steptimeout(a, s));
		snprintf(stt, sizeof(stt), "SET LOCAL statement_timeout = %ld",
		    a->stmttimeout);
		if (a->pres == s) {
			/* Row and BEGIN went with the last step's COMMIT. */
			a->pres = NULL;
			id = a->preid;
			if (a->premsg != NULL)
				zn_die(ZN_EXIT_UNAVAILABLE, "cannot begin step "
				    "%d of %s (nothing of it ran): %s", s->n,
				    m->id, a->premsg);
		} else
			id = begin_attempt_tx(a, s, "running", begun ? begin :
			    NULL, begun ? sizeof(begin) / sizeof(begin[0]) :
			    0);
		t0 = zn_now_ms();
		memset(&err, 0, sizeof(err));
		ok = op->transactional ?
		    steptx(a, s, nth, id, last, mstart, &err, &seen, begun) :
		    stepnontx(a, s, nth, id, last, mstart, &err, &seen);
		if (ok) {
			fault(a, "after_commit", nth, NULL);
			event(a, s, "done", zn_now_ms() - t0, NULL);
			free(seen);
			return 1;
		}
		if (PQstatus(a->conn) != CONNECTION_OK)
			zn_die(ZN_EXIT_UNAVAILABLE, "the connection was lost "
			    "during step %d of %s: %s", s->n, m->id,
			    err.msg != NULL ? err.msg : "");
		if (STOPPED(a)) {
			end_attempt(a, id, "interrupted", &err, seen,
			    "stopped by a signal", zn_now_ms() - t0, NULL);
			event(a, s, "interrupted", zn_now_ms() - t0, err.msg);
			zn_pgres_clear(&err);
			free(seen);
			return 0;
		}
		if (retryable(&err) && attempt < a->retries) {
			d = zn_xasprintf("%s; retrying in %ld ms (%d of %d)%s%s",
			    err.msg, backoff, attempt + 1, a->retries,
			    seen != NULL ? "; blocked by " : "",
			    seen != NULL ? seen : "");
			end_attempt(a, id, "retried", &err, seen, NULL,
			    zn_now_ms() - t0, NULL);
			if (!a->quiet)
				zn_warn("step %d of %s: %s", s->n, m->id, d);
			free(d);
			zn_pgres_clear(&err);
			free(seen);
			zn_sleep_ms(backoff / 2 + rand() % (backoff / 2 + 1),
			    a->stop);
			if (backoff < 10000)
				backoff *= 2;
			continue;
		}
		d = zn_xasprintf("%s%s%s", err.msg != NULL ? err.msg : "",
		    seen != NULL ? "; blocked by " : "", seen != NULL ? seen :
		    "");
		memcpy(a->failstate, err.state, sizeof(a->failstate));
		if (!end_attempt(a, id, "failed", &err, seen, NULL,
		    zn_now_ms() - t0, &y))
			zn_warn("the ledger could not record the failure "
			    "either: %s", y.msg);
		zn_pgres_clear(&y);
		event(a, s, "failed", zn_now_ms() - t0, d);
		a->failstate[0] = '\0';
		zn_warn("step %d (%s) of %s failed and was rolled back: %s",
		    s->n, op->op, m->id, d);
		free(d);
		zn_pgres_clear(&err);
		free(seen);
		return 0;
	}
}

/* ---- a blocked plan: the refusals are recorded, nothing runs ---- */

static int
refusals(struct zn_apply *a)
{
	const json_t *all = json_object_get(a->p->trailer, "refusals"), *v;
	size_t i;

	json_array_foreach(all, i, v) {
		json_int_t n = json_integer_value(json_object_get(v, "step"));
		const char *reason = zn_json_str(v, "reason");
		const char *gate = zn_json_str(v, "gate");
		struct zn_lstep *s;

		if (n < 1 || (size_t)n > a->p->n)
			continue;
		s = &a->st.s[n - 1];
		if (reason == NULL)
			reason = "";
		if (!a->dry) {
			char *sql = L(a, "UPDATE @._zanith_migration_steps SET "
			    "gate = $2, error = $3, finished_at = "
			    "clock_timestamp(), elapsed_ms = 0 WHERE "
			    "attempt_id = $1");
			char ids[32];
			const char *params[3];
			struct zn_pgres x;

			snprintf(ids, sizeof(ids), "%lld", begin_attempt(a, s,
			    "refused"));
			params[0] = ids;
			params[1] = gate;
			params[2] = reason;
			if (!q(a, &x, sql, 3, params))
				zn_die(ZN_EXIT_UNAVAILABLE, "cannot record a "
				    "refusal: %s", x.msg);
			zn_pgres_clear(&x);
			free(sql);
			event(a, s, "refused", -1, reason);
		} else {
			char *d = zn_xasprintf("by %s: %s", gate != NULL ? gate :
			    "a gate", reason);

			event(a, s, "refused", -1, d);
			free(d);
		}
	}
	if (!a->dry)
		addevent(a, "refused", NULL, 0, "the plan is blocked by "
		    "zn-classify's gates", NULL);
	zn_warn("the plan is blocked (%zu refusal%s): nothing was applied",
	    json_array_size(all), json_array_size(all) == 1 ? "" : "s");
	return ZN_EXIT_NEGATIVE;
}

/* ---- the run ---- */

/* Whether migration m is the last one --to lets run. */
static int
lastone(const struct zn_apply *a, const struct zn_mig *m)
{
	return a->to != NULL && strcmp(m->id, a->to) == 0;
}

static void
skipall(struct zn_apply *a, const struct zn_mig *m)
{
	size_t i;

	for (i = m->first; i < m->first + m->n; i++) {
		event(a, &a->st.s[i], "skipped", -1, NULL);
		a->skipped++;
	}
}

static int
dryrun(struct zn_apply *a)
{
	size_t i, j;

	for (j = 0; j < a->st.nm; j++) {
		const struct zn_mig *m = &a->st.m[j];

		if (a->mstate != NULL)
			a->mstate(a->arg, m);
		if (m->applied)
			skipall(a, m);
		else
			for (i = m->first; i < m->first + m->n; i++) {
				if (a->maxsteps >= 0 && a->ran >= a->maxsteps)
					break;
				if (a->st.s[i].done) {
					event(a, &a->st.s[i], "skipped", -1,
					    NULL);
					continue;
				}
				event(a, &a->st.s[i], "would run", -1, NULL);
				a->ran++;
			}
		if (lastone(a, m))
			break;
	}
	return ZN_EXIT_OK;
}

/*
 * Step s, begun with the last step's COMMIT (a->pres), is not run after
 * all (a signal came): its transaction rolled back, its row says so.
 */
static void
unbegin(struct zn_apply *a, const struct zn_lstep *s)
{
	struct zn_pgres y;

	if (a->pres != s)
		return;
	a->pres = NULL;
	if (PQtransactionStatus(a->conn) != PQTRANS_IDLE) {
		q(a, &y, "ROLLBACK", 0, NULL);
		zn_pgres_clear(&y);
	}
	if (!end_attempt(a, a->preid, "interrupted", NULL, NULL, "stopped by "
	    "a signal before it began", 0, &y))
		zn_warn("the ledger could not record that step %d of %s did "
		    "not begin: %s", s->n, stepmig(a, s), y.msg);
	zn_pgres_clear(&y);
	event(a, s, "interrupted", 0, "stopped by a signal before it began");
	free(a->premsg);
	a->premsg = NULL;
}

static int
steps(struct zn_apply *a)
{
	size_t i, j;
	int nth = 0, status = ZN_EXIT_OK, stop = 0, lastran, ok;

	for (j = 0; j < a->st.nm && !stop; j++) {
		struct zn_mig *m = &a->st.m[j];
		double mstart = zn_now_ms();
		int begun = 0;

		for (i = m->first; i < m->first + m->n; i++)
			begun |= a->st.s[i].done;
		if (m->applied) {
			skipall(a, m);
			if (lastone(a, m))
				break;
			continue;
		}
		if (!begun)
			snapshot(a, m, "before");
		if (m->outoforder)
			addevent(a, "out_of_order", m->id, 0, "applied with "
			    "--allow-out-of-order", NULL);
		lastran = 0;
		for (i = m->first; i < m->first + m->n; i++) {
			struct zn_lstep *s = &a->st.s[i];

			if (s->done) {
				event(a, s, "skipped", -1, NULL);
				a->skipped++;
				continue;
			}
			if (STOPPED(a) || (a->maxsteps >= 0 && a->ran >=
			    a->maxsteps)) {
				unbegin(a, s);
				stop = 1;
				break;
			}
			ok = step(a, s, ++nth, mstart);
			unload(a, s);
			if (!ok) {
				a->failed++;
				status = STOPPED(a) ? ZN_EXIT_SIGNAL :
				    ZN_EXIT_NEGATIVE;
				stop = 1;
				break;
			}
			s->done = 1;
			a->ran++;
			lastran = i + 1 == m->first + m->n;
		}
		/*
		 * Every step done, the last by an earlier run: a run that
		 * died after its last step's row turned done (outside a
		 * transaction), or whose last step the probe found built,
		 * never wrote the migration's row.  It is written now.
		 */
		if (i == m->first + m->n && !lastran) {
			struct zn_pgres x;

			if (!migrow(a, m, zn_now_ms() - mstart, &x))
				zn_die(ZN_EXIT_UNAVAILABLE, "every step of %s is "
				    "done, but the ledger could not record the "
				    "migration: %s", m->id, x.msg);
			zn_pgres_clear(&x);
			addevent(a, "recorded", m->id, 0, "every step was done "
			    "by an earlier run; the migration row was missing",
			    NULL);
		}
		if (!stop || i == m->first + m->n)
			snapshot(a, m, "after");
		if (lastone(a, m))
			break;
	}
	if (STOPPED(a) && status == ZN_EXIT_OK)
		status = ZN_EXIT_SIGNAL;
	return status;
}

/* Every migration in one transaction: it commits whole or not at all. */
struct steptimes {
	double t0, t1;		/* zn_now_ms() at a step's start and end */
};

#define CHUNK 256

/*
 * The rows of the n steps an --atomic migration ran, "done", in one
 * round trip inside its transaction.  1 when written; else x says why.
 */
static int
donerows(struct zn_apply *a, struct rowvals *rows,
    const struct steptimes *t, size_t n, struct zn_pgres *x)
{
	struct zn_pgstmt *st;
	double now = zn_now_ms();
	size_t i, r;

	memset(x, 0, sizeof(*x));
	if (n == 0 || a->shadow)
		return 1;
	if (!prepare(a, x))
		return 0;
	zn_pgres_clear(x);
	st = zn_xcalloc(n, sizeof(*st));
	for (i = 0; i < n; i++) {
		snprintf(rows[i].started, sizeof(rows[i].started), "%.3f",
		    now - t[i].t0);
		snprintf(rows[i].finished, sizeof(rows[i].finished), "%.3f",
		    now - t[i].t1);
		snprintf(rows[i].elapsed, sizeof(rows[i].elapsed), "%.0f",
		    t[i].t1 - t[i].t0);
		rows[i].params[14] = rows[i].blockers;
		rows[i].params[15] = rows[i].started;
		rows[i].params[16] = rows[i].finished;
		rows[i].params[17] = rows[i].elapsed;
		st[i].sql = ATTEMPT_DONE;
		st[i].prepared = 1;
		st[i].nparams = 18;
		st[i].params = rows[i].params;
	}
	/*
	 * In pipelines of at most CHUNK: the results are read only once
	 * all is sent, and a server whose replies fill the socket stops
	 * reading (libpq's pipeline mode, blocking connection).
	 */
	for (i = 0; i < n; i += r) {
		size_t k = n - i < CHUNK ? n - i : CHUNK;

		if (i > 0)
			zn_pgres_clear(x);
		if ((r = zn_pg_try_pipeline(a->conn, x, st + i, k, NULL)) !=
		    k) {
			free(st);
			return 0;
		}
	}
	free(st);
	zn_pgres_clear(x);
	return 1;
}

/* What an --atomic migration's steps leave: their rows, or a failure. */
struct atomrun {
	struct rowvals *rows;		/* the done steps' rows, in order */
	struct steptimes *t;		/* and their times */
	size_t n;
	const struct zn_lstep *bad;	/* the step that failed, or NULL */
	char *badmsg;
	char state[6];
};

static void
atomdone(struct zn_apply *a, struct atomrun *ar, const struct zn_lstep *s,
    double t0, double t1, char *seen)
{
	rowvals(a, s, "done", &ar->rows[ar->n]);
	ar->rows[ar->n].blockers = seen;
	ar->t[ar->n].t0 = t0;
	ar->t[ar->n].t1 = t1;
	ar->n++;
	event(a, s, "done", t1 - t0, NULL);
	a->ran++;
}

static void
atomfail(struct zn_apply *a, struct atomrun *ar, const struct zn_lstep *s,
    const char *msg, const char *state, double ms)
{
	const char *mid = stepmig(a, s);

	ar->bad = s;
	ar->badmsg = zn_xstrdup(msg != NULL ? msg : "");
	snprintf(ar->state, sizeof(ar->state), "%s", state);
	event(a, s, "failed", ms, msg);
	zn_warn("step %d (%s) of %s failed; migration %s rolled back whole: "
	    "%s", s->n, stepop(a, s)->op, mid, mid, ar->badmsg);
}

/* One step of an --atomic migration, its statements one at a time. */
static int
atomstep(struct zn_apply *a, struct atomrun *ar, const struct zn_lstep *s)
{
	double t0 = zn_now_ms();
	struct zn_pgres x;
	const json_t *v;
	size_t k;
	char *seen = NULL;
	int ok = 1;

	memset(&x, 0, sizeof(x));
	json_array_foreach(zn_op_sql(stepop(a, s)), k, v) {
		if (!runstmt(a, &x, json_string_value(v), &seen)) {
			ok = 0;
			break;
		}
		zn_pgres_clear(&x);
	}
	if (ok && !artifact(a, s, &x))
		ok = 0;
	if (ok) {
		atomdone(a, ar, s, t0, zn_now_ms(), seen);
		seen = NULL;
	} else
		atomfail(a, ar, s, x.msg, x.state, zn_now_ms() - t0);
	zn_pgres_clear(&x);
	free(seen);
	unload(a, s);
	return ok;
}

#ifdef LIBPQ_HAS_PIPELINING
#define WINDOW 32	/* --atomic steps sent ahead of the one running */

/*
 * Whether sql is one statement (a trailing ";" aside), and none that
 * controls the transaction or copies: the extended protocol takes one
 * statement a message.  Too many is safe (the step runs alone), too few
 * would not be, so the text is split as the server's scanner splits it.
 */
static int
onestatement(const char *sql)
{
	int how;

	return zn_sql_statements(sql, &how) == 1 && how == 0;
}

/*
 * Whether an --atomic step can be sent before the one ahead of it has
 * finished: each of its statements alone in its text, no artifact to
 * take after it, no locks being sampled, and string literals read as
 * the scanner above reads them.
 */
static int
pipelinable(struct zn_apply *a, const struct zn_lstep *s)
{
	const struct zn_op *op = stepop(a, s);
	const char *scs = PQparameterStatus(a->conn,
	    "standard_conforming_strings");
	const json_t *sql, *v;
	size_t k;

	if (a->sampling != NULL || (zn_op_parks(op) != NULL && !a->shadow) ||
	    scs == NULL || strcmp(scs, "on") != 0)
		return 0;
	sql = zn_op_sql(op);
	if (json_array_size(sql) == 0)
		return 0;
	json_array_foreach(sql, k, v)
		if (!json_is_string(v) || !onestatement(json_string_value(v)))
			return 0;
	return 1;
}

/*
 * The --atomic steps from *ip on, while they can be pipelined, in
 * libpq's pipeline mode: up to WINDOW steps are sent ahead of the one
 * the server is running, so it never waits for the client between two
 * steps.  Each step ends with a Sync, on which the server sends its
 * results as it finishes the step: a step's time runs from the end of
 * the one before it (or from the first being sent) to its own, and
 * the sessions blocking it are looked up as runstmt does.  After a
 * step fails no further one is sent; those already sent fail in the
 * aborted transaction and are not reported.  Returns 1 when every step
 * it ran is done, 0 when one failed (ar says which), -1 when the
 * connection cannot pipeline (nothing was sent); *ip is then the first
 * step it did not run.
 */
static int
pipesteps(struct zn_apply *a, size_t *ip, size_t end, struct atomrun *ar)
{
	PGconn *c = a->conn;
	size_t start = *ip, sent = start, head = start;
	double t0 = zn_now_ms(), next = t0 + 40;
	int pid = PQbackendPID(c), cancelled = 0, failed = 0, lost = 0;
	int more = 1, fl = 0, nulls;
	struct zn_pgres x;
	struct pollfd pfd;
	PGresult *r;
	char *seen = NULL;

	if (PQenterPipelineMode(c) != 1)
		return -1;
	if (PQsetnonblocking(c, 1) != 0) {
		(void)PQexitPipelineMode(c);
		return -1;
	}
	pfd.fd = PQsocket(c);
	for (;;) {
		while (more && !failed && sent < end && sent - head < WINDOW &&
		    !STOPPED(a)) {
			const struct zn_lstep *s = &a->st.s[sent];
			const json_t *v;
			size_t k;

			if (sent > start && !pipelinable(a, s)) {
				more = 0;
				break;
			}
			json_array_foreach(zn_op_sql(stepop(a, s)), k, v)
				if (!lost && PQsendQueryParams(c,
				    json_string_value(v), 0, NULL, NULL, NULL,
				    NULL, 0) != 1)
					lost = 1;
			if (!lost && PQpipelineSync(c) != 1)
				lost = 1;
			sent++;
			if (lost)
				break;
		}
		if (lost || head == sent)
			break;
		if ((fl = PQflush(c)) < 0 || PQconsumeInput(c) != 1) {
			lost = 1;
			break;
		}
		/* A statement's results end in NULL; a Sync's does not. */
		nulls = 0;
		while (head < sent && !PQisBusy(c) && nulls < 2) {
			if ((r = PQgetResult(c)) == NULL) {
				nulls++;
				continue;
			}
			nulls = 0;
			switch (PQresultStatus(r)) {
			case PGRES_PIPELINE_SYNC: {
				const struct zn_lstep *s = &a->st.s[head];
				double now = zn_now_ms();

				PQclear(r);
				if (!failed) {
					atomdone(a, ar, s, t0, now, seen);
					seen = NULL;
				}
				free(seen);
				seen = NULL;
				unload(a, s);
				head++;
				t0 = now;
				next = now + 40;
				break;
			}
			case PGRES_COMMAND_OK:
			case PGRES_TUPLES_OK:
			case PGRES_EMPTY_QUERY:
			case PGRES_PIPELINE_ABORTED:
				PQclear(r);
				break;
			default:
				/* The first failure; the rest follow from it. */
				if (failed) {
					PQclear(r);
					break;
				}
				failed = 1;
				zn_pg_take(c, &x, r);
				atomfail(a, ar, &a->st.s[head], x.msg, x.state,
				    zn_now_ms() - t0);
				zn_pgres_clear(&x);
				break;
			}
		}
		if (head == sent)
			continue;
		if (STOPPED(a) && !cancelled) {
			PGcancel *k = PQgetCancel(c);
			char err[256];

			if (k != NULL) {
				PQcancel(k, err, sizeof(err));
				PQfreeCancel(k);
			}
			cancelled = 1;
		}
		if (zn_now_ms() >= next) {
			char *b = blockers(a, pid);

			if (b != NULL) {
				free(seen);
				seen = b;
			}
			next = zn_now_ms() + 100;
		}
		pfd.events = POLLIN | (fl == 1 ? POLLOUT : 0);
		(void)poll(&pfd, 1, 20);
	}
	free(seen);
	if (lost) {
		/* The connection is gone: what was sent is not known. */
		zn_pg_take(c, &x, NULL);
		if (!failed)
			atomfail(a, ar, &a->st.s[head < end ? head : end - 1],
			    x.msg, x.state, zn_now_ms() - t0);
		zn_pgres_clear(&x);
		failed = 1;
		for (; head < sent; head++)
			unload(a, &a->st.s[head]);
	} else if (PQexitPipelineMode(c) != 1 && !failed) {
		/* Every result was read: not expected, but said if so. */
		zn_pg_take(c, &x, NULL);
		atomfail(a, ar, &a->st.s[head > start ? head - 1 : start],
		    x.msg, x.state, 0);
		zn_pgres_clear(&x);
		failed = 1;
	}
	(void)PQsetnonblocking(c, 0);
	*ip = head;
	return !failed;
}
#endif

static int
atomic(struct zn_apply *a)
{
	size_t i, j;

	for (j = 0; j < a->st.nm; j++)
		for (i = a->st.m[j].first; i < a->st.m[j].first +
		    a->st.m[j].n; i++) {
			if (!a->p->ops[i].transactional)
				zn_die(ZN_EXIT_USAGE, "--atomic: step %d of %s "
				    "(%s) cannot run in a transaction",
				    a->st.s[i].n, a->st.m[j].id,
				    a->p->ops[i].op);
			if (!a->st.m[j].applied && a->st.s[i].done)
				zn_die(ZN_EXIT_RESOLVE, "--atomic: migration %s "
				    "was applied in part by an earlier run "
				    "(step %d is done); finish it without "
				    "--atomic", a->st.m[j].id, a->st.s[i].n);
		}
	for (j = 0; j < a->st.nm; j++) {
		struct zn_mig *m = &a->st.m[j];
		double mstart = zn_now_ms();
		struct zn_pgres x, e;
		struct atomrun ar;
		int ok = 1;
		char set[96];
		long long id;

		memset(&e, 0, sizeof(e));
		if (m->applied) {
			skipall(a, m);
			if (lastone(a, m))
				break;
			continue;
		}
		snapshot(a, m, "before");
		if (!q(a, &x, "BEGIN", 0, NULL))
			zn_pg_die(&x, "begin", NULL);
		zn_pgres_clear(&x);
		snprintf(set, sizeof(set), "SET LOCAL lock_timeout = %ld; SET "
		    "LOCAL statement_timeout = %ld; SET LOCAL search_path TO "
		    "DEFAULT", a->locktimeout, a->stmttimeout);
		if (!q(a, &x, set, 0, NULL))
			zn_pg_die(&x, "set timeouts", NULL);
		zn_pgres_clear(&x);
		/*
		 * The steps' rows are written after them, all in one round
		 * trip before the COMMIT: in one transaction, no row of it
		 * is seen before the COMMIT anyway, and none survives a
		 * rollback.
		 */
		memset(&ar, 0, sizeof(ar));
		ar.rows = zn_xcalloc(m->n + 1, sizeof(*ar.rows));
		ar.t = zn_xcalloc(m->n + 1, sizeof(*ar.t));
		for (i = m->first; ok && i < m->first + m->n;) {
			const struct zn_lstep *s = &a->st.s[i];

			if (STOPPED(a)) {
				atomfail(a, &ar, s, "stopped by a signal before "
				    "it began", "", 0);
				ok = 0;
				break;
			}
#ifdef LIBPQ_HAS_PIPELINING
			if (pipelinable(a, s)) {
				int r = pipesteps(a, &i, m->first + m->n, &ar);

				if (r >= 0) {
					ok = r;
					continue;
				}
			}
#endif
			ok = atomstep(a, &ar, s);
			i++;
		}
		/* Gone with the connection: the server rolled it all back. */
		if (!ok && PQstatus(a->conn) != CONNECTION_OK)
			zn_die(ZN_EXIT_UNAVAILABLE, "the connection was lost "
			    "during step %d of %s: %s; nothing of the migration "
			    "was committed", ar.bad != NULL ? ar.bad->n : 0,
			    m->id, ar.badmsg != NULL ? ar.badmsg : "");
		if (ok && !donerows(a, ar.rows, ar.t, ar.n, &x)) {
			ok = 0;
			ar.bad = &a->st.s[m->first];
			ar.badmsg = zn_xstrdup(x.msg != NULL ? x.msg : "");
			memcpy(ar.state, x.state, sizeof(ar.state));
			zn_warn("the ledger could not record the steps of %s; "
			    "migration %s rolled back whole: %s", m->id, m->id,
			    ar.badmsg);
			zn_pgres_clear(&x);
		}
		for (i = 0; i < ar.n; i++)
			rowvals_free(&ar.rows[i]);
		free(ar.rows);
		free(ar.t);
		if (ok && migrow(a, m, zn_now_ms() - mstart, &x) &&
		    (zn_pgres_clear(&x), q(a, &x, "COMMIT", 0, NULL))) {
			zn_pgres_clear(&x);
			measure(a);
			snapshot(a, m, "after");
			if (lastone(a, m))
				break;
			continue;
		}
		zn_pgres_clear(&x);
		q(a, &x, "ROLLBACK", 0, NULL);
		zn_pgres_clear(&x);
		json_array_clear(a->measure);
		/*
		 * The attempts rolled back too: one failed row, for the
		 * step that failed (the first when COMMIT did), says so.
		 */
		id = begin_attempt(a, ar.bad != NULL ? ar.bad :
		    &a->st.s[m->first], "running");
		e.msg = ar.badmsg;
		memcpy(e.state, ar.state, sizeof(e.state));
		end_attempt(a, id, "failed", ar.badmsg != NULL ? &e : NULL, NULL,
		    "--atomic: the migration rolled back whole",
		    zn_now_ms() - mstart, NULL);
		free(ar.badmsg);
		a->failed++;
		return STOPPED(a) ? ZN_EXIT_SIGNAL : ZN_EXIT_NEGATIVE;
	}
	return ZN_EXIT_OK;
}

void
zn_apply_prepare(struct zn_apply *a, struct zn_plan *p)
{
	char sum[ZN_SHA256_STRLEN], *seed;
	size_t i;

	a->p = p;
	zn_ledger_plan(&a->st, p);
	if (a->to != NULL) {
		for (i = 0; i < a->st.nm; i++)
			if (strcmp(a->st.m[i].id, a->to) == 0)
				break;
		if (i == a->st.nm)
			zn_usage_error("--to %s: no such migration in the plan",
			    a->to);
	}
	if (a->atomic && a->maxsteps >= 0)
		zn_usage_error("--atomic applies whole migrations: not with "
		    "--steps");
	seed = zn_xasprintf("%ld.%ld.%f", (long)getpid(), (long)time(NULL),
	    zn_now_ms());
	zn_sha256(seed, strlen(seed), sum);
	free(seed);
	snprintf(a->runid, sizeof(a->runid), "%.20s", sum + 7);
	if (a->reverts != NULL) {
		/* Its own id: a down run is never "already applied". */
		snprintf(a->downid, sizeof(a->downid), "%sdown_%.16s",
		    ZN_ADHOC_PREFIX, a->runid);
		for (i = 0; i < a->st.nm; i++)
			if (a->st.m[i].id == a->st.adhoc)
				a->st.m[i].id = a->downid;
			else
				zn_usage_error("--reverts: the plan of a down "
				    "run is an op stream (zn-diff), not "
				    "migration %s", a->st.m[i].id);
	}
	srand((unsigned)getpid() ^ (unsigned)time(NULL));
	if (gethostname(a->host, sizeof(a->host) - 1) != 0)
		a->host[0] = '\0';
}

int
zn_apply_run(struct zn_apply *a)
{
	const char *verdict = zn_json_str(a->p->trailer, "verdict"), *why;
	double t0 = zn_now_ms();
	size_t i;
	int status;

	if (a->shadow) {
		/* A rehearsal: no lock, no ledger, nothing done before. */
		if (verdict != NULL && strcmp(verdict, "blocked") == 0)
			zn_die(ZN_EXIT_UNAVAILABLE, "internal error: a blocked "
			    "plan is not rehearsed");
		relmap(a);
		if (PQserverVersion(a->conn) >= 150000) {
			struct zn_pgres x;

			if (!q(a, &x, "SELECT "
			    "pg_catalog.pg_stat_force_next_flush()", 0, NULL))
				zn_pg_die(&x, "clear the shadow's counts", NULL);
			zn_pgres_clear(&x);
		} else if ((a->scans0 = json_object()) == NULL)
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
		status = steps(a);
		a->elapsed_ms = zn_now_ms() - t0;
		return status;
	}
	zn_lock_init(&a->lock, a->conn, a->schema);
	if (a->require_verified && (why = zn_plan_unverified(a->p)) != NULL) {
		if (!a->dry) {
			zn_lock_take(&a->lock, a->lockwait, a->stop);
			zn_ledger_ensure(a->conn, a->schema);
			addevent(a, "refused", a->st.nm == 1 ? a->st.m[0].id :
			    NULL, 0, why, NULL);
			zn_lock_release(&a->lock);
		}
		zn_warn("refused (--require-verified): %s; nothing was "
		    "applied", why);
		return ZN_EXIT_NEGATIVE;
	}
	if (verdict != NULL && strcmp(verdict, "blocked") == 0) {
		if (!a->dry) {
			zn_lock_take(&a->lock, a->lockwait, a->stop);
			zn_ledger_ensure(a->conn, a->schema);
		}
		status = refusals(a);
		zn_lock_release(&a->lock);
		return status;
	}
	if (a->dry) {
		/* Reads only: no lock, no ledger made. */
		zn_ledger_state(a->conn, a->schema, &a->st, a->p, 0);
		integrity(a);
		fromhash(a);
		unmodelled(a);
		status = dryrun(a);
		a->elapsed_ms = zn_now_ms() - t0;
		return status;
	}
	zn_lock_take(&a->lock, a->lockwait, a->stop);
	/*
	 * Read and check before anything is written: a plan refused here
	 * (changed, out of order, made for another schema) leaves no
	 * ledger, and no ledger schema, behind.  Without a ledger yet the
	 * state is that nothing ran.
	 */
	zn_ledger_state(a->conn, a->schema, &a->st, a->p, 0);
	integrity(a);
	fromhash(a);
	unmodelled(a);
	zn_ledger_ensure(a->conn, a->schema);
	for (i = 0; i < a->p->n; i++)
		if (a->st.s[i].running > 0)
			reconcile(a, &a->st.s[i]);
	status = a->atomic ? atomic(a) : steps(a);
	if (status == ZN_EXIT_OK && a->reverts != NULL && a->p->n == 0) {
		/* Nothing to undo in the schema: the ledger's part alone. */
		struct zn_pgres x;
		int ok = q(a, &x, "BEGIN", 0, NULL);

		if (ok) {
			zn_pgres_clear(&x);
			ok = downed(a, &x);
		}
		if (ok) {
			zn_pgres_clear(&x);
			ok = q(a, &x, "COMMIT", 0, NULL);
		}
		if (!ok) {
			zn_warn("cannot record the migrations taken down: %s",
			    x.msg != NULL ? x.msg : "");
			zn_pgres_clear(&x);
			(void)q(a, &x, "ROLLBACK", 0, NULL);
			status = ZN_EXIT_NEGATIVE;
		}
		zn_pgres_clear(&x);
	}
	digested(a);
	fault(a, "before_unlock", 0, NULL);
	zn_lock_release(&a->lock);
	a->elapsed_ms = zn_now_ms() - t0;
	return status;
}

void
zn_apply_release(struct zn_apply *a)
{
	if (a->mon != NULL)
		PQfinish(a->mon);
	a->mon = NULL;
	json_decref(a->relmap);
	a->relmap = NULL;
	json_decref(a->sampling);
	a->sampling = NULL;
	json_decref(a->scans0);
	a->scans0 = NULL;
	json_decref(a->measure);
	a->measure = NULL;
	json_decref(a->digesting);
	a->digesting = NULL;
	takechecked(a, NULL, 0);
	free(a->premsg);
	a->premsg = NULL;
	if (a->p != NULL)
		zn_lstate_release(&a->st, a->p);
}
