/* SPDX-License-Identifier: ISC */
/*
 * pg.c: the one way zn connects to PostgreSQL (pg_dump's recipe), runs
 * statements, quotes identifiers and literals, and keeps passwords out
 * of every message.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "zn.h"

/*
 * Keywords that quote_ident() quotes (every category but unreserved), as
 * pg_get_keywords() lists them on PostgreSQL 15, plus the column-name
 * keywords later versions add.  Sorted for bsearch.
 */
static const char *const keywords[] = {
	"all", "analyse", "analyze", "and", "any", "array", "as",
	"asc", "asymmetric", "authorization", "between", "bigint",
	"binary", "bit", "boolean", "both", "case", "cast", "char",
	"character", "check", "coalesce", "collate", "collation",
	"column", "concurrently", "constraint", "create", "cross",
	"current_catalog", "current_date", "current_role",
	"current_schema", "current_time", "current_timestamp",
	"current_user", "dec", "decimal", "default", "deferrable",
	"desc", "distinct", "do", "else", "end", "except", "exists",
	"extract", "false", "fetch", "float", "for", "foreign",
	"freeze", "from", "full", "grant", "greatest", "group",
	"grouping", "having", "ilike", "in", "initially", "inner",
	"inout", "int", "integer", "intersect", "interval", "into",
	"is", "isnull", "join", "json", "json_array", "json_arrayagg",
	"json_exists", "json_object", "json_objectagg", "json_query",
	"json_scalar", "json_serialize", "json_table", "json_value",
	"lateral", "leading", "least", "left", "like", "limit",
	"localtime", "localtimestamp", "merge_action", "national",
	"natural", "nchar", "none", "normalize", "not", "notnull",
	"null", "nullif", "numeric", "offset", "on", "only", "or",
	"order", "out", "outer", "overlaps", "overlay", "placing",
	"position", "precision", "primary", "real", "references",
	"returning", "right", "row", "select", "session_user", "setof",
	"similar", "smallint", "some", "substring", "symmetric",
	"system_user", "table", "tablesample", "then", "time",
	"timestamp", "to", "trailing", "treat", "trim", "true",
	"union", "unique", "user", "using", "values", "varchar",
	"variadic", "verbose", "when", "where", "window", "with",
	"xmlattributes", "xmlconcat", "xmlelement", "xmlexists",
	"xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
	"xmlserialize", "xmltable"
};

const char *
zn_pg_target(const char *flag, const struct zn_config *c)
{
	const char *env;

	if (flag != NULL)
		return flag;
	if (c != NULL && c->database != NULL)
		return c->database;
	env = getenv("DATABASE_URL");
	if (env != NULL && *env != '\0')
		return env;
	return NULL;
}

static int
isuri(const char *s)
{
	return strncmp(s, "postgresql://", 13) == 0 ||
	    strncmp(s, "postgres://", 11) == 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char *
pctdecode(const char *s, size_t n)
{
	char *out = zn_xmalloc(n + 1), *o = out;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n + 1 && hexval(s[i + 1]) >= 0 &&
		    hexval(s[i + 2]) >= 0) {
			*o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

static void
addsecret(char ***v, size_t *n, char *s)
{
	if (*s == '\0') {
		free(s);
		return;
	}
	*v = zn_xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

/* Collects every password-like value a connection string may carry. */
static size_t
secrets(const char *ci, char ***out)
{
	const char *p, *q, *end;
	char **v = NULL;
	size_t n = 0, len;

	if (ci != NULL && isuri(ci)) {
		p = strstr(ci, "://") + 3;
		end = p + strcspn(p, "/?");
		for (q = end; q > p && q[-1] != '@'; q--)
			;
		if (q > p) {
			const char *colon = memchr(p, ':', (size_t)(q - 1 - p));
			const char *at, *from;

			if (colon != NULL) {
				len = (size_t)(q - 1 - colon - 1);
				addsecret(&v, &n, zn_xstrndup(colon + 1, len));
				addsecret(&v, &n, pctdecode(colon + 1, len));
				/*
				 * An unencoded @ in the password: libpq ends
				 * the password at the first @ and takes the
				 * rest for the host, so every piece between
				 * @s may show up in a message.
				 */
				for (from = colon + 1; (at = memchr(from, '@',
				    (size_t)(q - 1 - from))) != NULL;
				    from = at + 1) {
					addsecret(&v, &n, zn_xstrndup(from,
					    (size_t)(at - from)));
					addsecret(&v, &n, zn_xstrndup(at + 1,
					    (size_t)(q - 1 - at - 1)));
				}
			}
		}
		for (p = strstr(ci, "password="); p != NULL;
		    p = strstr(p + 1, "password=")) {
			q = p + 9;
			len = strcspn(q, "&#");
			addsecret(&v, &n, zn_xstrndup(q, len));
			addsecret(&v, &n, pctdecode(q, len));
		}
	} else if (ci != NULL) {
		for (p = strstr(ci, "password"); p != NULL;
		    p = strstr(p + 1, "password")) {
			q = p + 8;
			q += strspn(q, " \t\n");
			if (*q != '=')
				continue;
			q++;
			q += strspn(q, " \t\n");
			if (*q == '\'') {
				struct zn_buf b = ZN_BUF_INIT;

				for (q++; *q != '\0' && *q != '\''; q++) {
					if (*q == '\\' && q[1] != '\0')
						q++;
					zn_buf_addch(&b, *q);
				}
				addsecret(&v, &n, zn_buf_detach(&b));
			} else
				addsecret(&v, &n, zn_xstrndup(q,
				    strcspn(q, " \t\n")));
		}
	}
	/* And exactly what libpq takes for the password. */
	if (ci != NULL) {
		PQconninfoOption *opts = PQconninfoParse(ci, NULL), *o;

		for (o = opts; o != NULL && o->keyword != NULL; o++)
			if (strcmp(o->keyword, "password") == 0 &&
			    o->val != NULL)
				addsecret(&v, &n, zn_xstrdup(o->val));
		PQconninfoFree(opts);
	}
	if ((p = getenv("PGPASSWORD")) != NULL)
		addsecret(&v, &n, zn_xstrdup(p));
	*out = v;
	return n;
}

/*
 * msg on one line with every secret of conninfo, PGPASSWORD and pass
 * (the password a connection used, or NULL) replaced.
 */
static char *
redact(const char *msg, const char *conninfo, const char *pass)
{
	struct zn_buf b = ZN_BUF_INIT, out = ZN_BUF_INIT;
	char **sec, *hit;
	size_t n, i;
	const char *p;

	zn_buf_adds(&b, msg);
	n = secrets(conninfo, &sec);
	if (pass != NULL && *pass != '\0') {
		sec = zn_xreallocarray(sec, n + 1, sizeof(*sec));
		sec[n++] = zn_xstrdup(pass);
	}
	for (i = 0; i < n; i++) {
		p = b.buf;
		zn_buf_reset(&out);
		while ((hit = strstr(p, sec[i])) != NULL) {
			zn_buf_add(&out, p, (size_t)(hit - p));
			zn_buf_adds(&out, "********");
			p = hit + strlen(sec[i]);
		}
		zn_buf_adds(&out, p);
		zn_buf_reset(&b);
		zn_buf_adds(&b, out.buf);
		free(sec[i]);
	}
	free(sec);
	/* Fold libpq's multi-line messages onto one line. */
	zn_buf_reset(&out);
	for (p = b.buf; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t') {
			while (p[1] == '\n' || p[1] == '\t' || p[1] == ' ' ||
			    p[1] == '\r')
				p++;
			if (p[1] != '\0' && out.len > 0)
				zn_buf_addch(&out, ' ');
		} else
			zn_buf_addch(&out, *p);
	}
	while (out.len > 0 && out.buf[out.len - 1] == ' ')
		out.buf[--out.len] = '\0';
	zn_buf_release(&b);
	return zn_buf_detach(&out);
}

/*
 * The query in flight is cancelled when a signal ends the program, so
 * that its backend does not go on waiting (behind a lock, holding the
 * locks it has) after we are gone.  PQcancel is safe in a handler.
 */
static PGcancel *volatile live_cancel;
/* A second session doing the same work (zn_pg_cancel_too). */
static PGcancel *volatile live_cancel2;
static PGconn *live_conn;
static int hooked;

static void
cancelnow(void)
{
	char err[256];

	if (live_cancel != NULL)
		(void)PQcancel(live_cancel, err, sizeof(err));
	if (live_cancel2 != NULL)
		(void)PQcancel(live_cancel2, err, sizeof(err));
}

void
zn_pg_cancel_at_signal(PGconn *conn)
{
	PGcancel *c = PQgetCancel(conn);

	if (c == NULL)
		return;
	if (!hooked++)
		zn_atsignal(cancelnow);
	/* The one before, if any, is left: a handler may be using it. */
	live_cancel = c;
	live_conn = conn;
}

void
zn_pg_cancel_too(PGconn *of, PGconn *conn)
{
	PGcancel *c;

	if (conn == NULL) {
		/* Cleared first: a handler from here on sees none. */
		c = live_cancel2;
		live_cancel2 = NULL;
		if (c != NULL)
			PQfreeCancel(c);
		return;
	}
	if (!hooked || of != live_conn || (c = PQgetCancel(conn)) == NULL)
		return;
	zn_pg_cancel_too(of, NULL);
	live_cancel2 = c;
}

char *
zn_pg_redact(const char *msg, const char *conninfo)
{
	return redact(msg, conninfo, NULL);
}

/*
 * The server's notices and warnings (RAISE NOTICE in a step, "... does
 * not exist, skipping") reach standard error as every other message
 * does: after the command's name, on one line.
 */
static void
notice(void *arg, const char *msg)
{
	struct zn_buf b = ZN_BUF_INIT;
	const char *p;

	(void)arg;
	for (p = msg; *p != '\0'; p++)
		zn_buf_addch(&b, *p == '\n' || *p == '\r' ? ' ' : *p);
	while (b.len > 0 && b.buf[b.len - 1] == ' ')
		b.buf[--b.len] = '\0';
	fprintf(stderr, "%s: %s\n", zn_progname, b.buf);
	zn_buf_release(&b);
}

static const char session_sql[] =
    "SELECT pg_catalog.set_config('search_path', '', false);"
    "SET DateStyle = ISO;"
    "SET IntervalStyle = postgres;"
    "SET extra_float_digits = 3;"
    "SET TimeZone = 'UTC';"
    "SET statement_timeout = 0;"
    "SET lock_timeout = 0;"
    "SET idle_in_transaction_session_timeout = 0;"
    /* Catalog queries are cheap but look costly to the planner: JIT
     * compiling them costs more than running them. */
    "SET jit = off;";

PGconn *
zn_pg_connect(const char *conninfo)
{
	return zn_pg_connect_db(conninfo, NULL);
}

PGconn *
zn_pg_connect_db(const char *conninfo, const char *dbname)
{
	return zn_pg_connect_as(conninfo, dbname, "the database");
}

PGconn *
zn_pg_connect_as(const char *conninfo, const char *dbname, const char *what)
{
	const char *keys[4], *vals[4];
	PQconninfoOption *opts;
	PGconn *conn;
	char *err = NULL, *msg;
	int i = 0, ver;

	if (conninfo != NULL && (isuri(conninfo) ||
	    strchr(conninfo, '=') != NULL)) {
		opts = PQconninfoParse(conninfo, &err);
		if (opts == NULL) {
			msg = zn_pg_redact(err != NULL ? err : "out of memory",
			    conninfo);
			zn_die(ZN_EXIT_USAGE, "invalid connection string: %s",
			    msg);
		}
		PQconninfoFree(opts);
	}
	if (conninfo != NULL) {
		keys[i] = "dbname";
		vals[i++] = conninfo;
	}
	/* With expand_dbname only the first dbname is expanded; a later one
	 * overrides the database the string names. */
	if (dbname != NULL) {
		keys[i] = "dbname";
		vals[i++] = dbname;
	}
	keys[i] = "fallback_application_name";
	vals[i++] = zn_progname;
	keys[i] = NULL;
	vals[i] = NULL;
	conn = PQconnectdbParams(keys, vals, 1);
	if (conn == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	if (PQstatus(conn) != CONNECTION_OK) {
		msg = zn_pg_redact(PQerrorMessage(conn), conninfo);
		PQfinish(conn);
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot connect to %s: %s", what,
		    msg);
	}
	ver = PQserverVersion(conn);
	if (ver < ZN_PG_MIN_VERSION || ver > ZN_PG_MAX_VERSION) {
		PQfinish(conn);
		zn_die(ZN_EXIT_UNAVAILABLE, "server version %d.%d is not "
		    "supported (PostgreSQL 12 to 18 are)", ver / 10000,
		    ver % 10000);
	}
	if (PQsetClientEncoding(conn, "UTF8") != 0) {
		msg = zn_pg_redact(PQerrorMessage(conn), conninfo);
		PQfinish(conn);
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot set the client encoding: "
		    "%s", msg);
	}
	PQsetNoticeProcessor(conn, notice, NULL);
	zn_pg_cmd(conn, "set up the session", session_sql);
	return conn;
}

/*
 * A second session: every option conn was opened with, as PQconninfo
 * reports them (host, port, database, user, password, TLS, ...), the
 * client encoding UTF8 given at startup rather than set after it.
 */
PGconn *
zn_pg_connect_like(PGconn *conn)
{
	PQconninfoOption *opts, *o;
	const char **keys, **vals;
	PGconn *c;
	size_t n = 0, i = 0;

	if (conn == NULL || (opts = PQconninfo(conn)) == NULL)
		return NULL;
	for (o = opts; o->keyword != NULL; o++)
		n++;
	keys = calloc(n + 2, sizeof(*keys));
	vals = calloc(n + 2, sizeof(*vals));
	if (keys == NULL || vals == NULL) {
		free(keys);
		free(vals);
		PQconninfoFree(opts);
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	}
	for (o = opts; o->keyword != NULL; o++)
		if (o->val != NULL && *o->val != '\0' &&
		    strcmp(o->keyword, "client_encoding") != 0) {
			keys[i] = o->keyword;
			vals[i++] = o->val;
		}
	keys[i] = "client_encoding";
	vals[i++] = "UTF8";
	keys[i] = NULL;
	vals[i] = NULL;
	c = PQconnectStartParams(keys, vals, 0);
	free(keys);
	free(vals);
	PQconninfoFree(opts);
	if (c != NULL && PQstatus(c) == CONNECTION_BAD) {
		PQfinish(c);
		c = NULL;
	}
	return c;
}

static long
msnow(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
zn_pg_connect_end(PGconn *c, long timeout_ms)
{
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	struct pollfd p;
	long end = msnow() + timeout_ms, left;
	int ver;

	while (st != PGRES_POLLING_OK) {
		if (st == PGRES_POLLING_FAILED)
			return 0;
		p.fd = PQsocket(c);
		p.events = st == PGRES_POLLING_READING ? POLLIN : POLLOUT;
		p.revents = 0;
		if (p.fd < 0 || (left = end - msnow()) <= 0)
			return 0;
		if (poll(&p, 1, left > 1000000 ? 1000000 : (int)left) < 0 &&
		    errno != EINTR)
			return 0;
		st = PQconnectPoll(c);
	}
	ver = PQserverVersion(c);
	if (PQstatus(c) != CONNECTION_OK || ver < ZN_PG_MIN_VERSION ||
	    ver > ZN_PG_MAX_VERSION)
		return 0;
	PQsetNoticeProcessor(c, notice, NULL);
	return 1;
}

/*
 * The session settings again, for this transaction only: a pooler in
 * transaction mode may run each transaction in a different session.
 */
static const char session_local_sql[] =
    "SET LOCAL search_path = '';"
    "SET LOCAL DateStyle = ISO;"
    "SET LOCAL IntervalStyle = postgres;"
    "SET LOCAL extra_float_digits = 3;"
    "SET LOCAL TimeZone = 'UTC';"
    "SET LOCAL statement_timeout = 0;"
    "SET LOCAL idle_in_transaction_session_timeout = 0;"
    "SET LOCAL jit = off;";

int
zn_pg_join_snapshot(PGconn *c, const char *snapshot, const char *lock_timeout)
{
	struct zn_buf b = ZN_BUF_INIT;
	struct zn_pgres x;
	const char *p;
	int ok;

	/* An exported snapshot's name is hexadecimal digits and dashes. */
	if (*snapshot == '\0' || snapshot[strspn(snapshot,
	    "0123456789ABCDEFabcdef-")] != '\0')
		return 0;
	zn_buf_adds(&b, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;"
	    "SET TRANSACTION SNAPSHOT '");
	zn_buf_adds(&b, snapshot);
	zn_buf_adds(&b, "';");
	zn_buf_adds(&b, session_local_sql);
	zn_buf_adds(&b, "SET LOCAL lock_timeout = '");
	for (p = lock_timeout; *p != '\0'; p++) {
		if (*p == '\'')
			zn_buf_addch(&b, '\'');
		zn_buf_addch(&b, *p);
	}
	zn_buf_adds(&b, "'");
	ok = zn_pg_try_script(c, &x, b.buf);
	zn_pgres_clear(&x);
	zn_buf_release(&b);
	return ok;
}

/* ---- one way to call the server ---- */

static int
resultok(const PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);

	return st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK;
}

int
zn_pg_take(PGconn *conn, struct zn_pgres *x, PGresult *r)
{
	const char *s, *m, *pass = conn != NULL ? PQpass(conn) : NULL;

	memset(x, 0, sizeof(*x));
	x->r = r;
	if (r != NULL && resultok(r)) {
		x->msg = zn_xstrdup("");
		x->primary = zn_xstrdup("");
		return 1;
	}
	s = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (s != NULL)
		snprintf(x->state, sizeof(x->state), "%s", s);
	/* Without a result (a lost connection), the connection's error. */
	m = r != NULL && *PQresultErrorMessage(r) != '\0' ?
	    PQresultErrorMessage(r) : conn != NULL ? PQerrorMessage(conn) :
	    "no connection";
	if (*m == '\0')
		m = "the server sent no result";
	x->msg = redact(m, NULL, pass);
	s = r != NULL ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) :
	    NULL;
	x->primary = s != NULL ? redact(s, NULL, pass) : zn_xstrdup(x->msg);
	return 0;
}

int
zn_pg_try(PGconn *conn, struct zn_pgres *x, const char *sql, int nparams,
    const char *const *params)
{
	return zn_pg_take(conn, x, PQexecParams(conn, sql, nparams, NULL,
	    params, NULL, NULL, 0));
}

int
zn_pg_try_script(PGconn *conn, struct zn_pgres *x, const char *sql)
{
	return zn_pg_take(conn, x, PQexec(conn, sql));
}

#ifdef LIBPQ_HAS_PIPELINING
static int
sendone(PGconn *conn, const struct zn_pgstmt *s)
{
	return s->prepared ? PQsendQueryPrepared(conn, s->sql, s->nparams,
	    s->params, NULL, NULL, 0) : PQsendQueryParams(conn, s->sql,
	    s->nparams, NULL, s->params, NULL, NULL, 0);
}
#endif

size_t
zn_pg_try_pipeline(PGconn *conn, struct zn_pgres *x,
    const struct zn_pgstmt *s, size_t n, char **first)
{
	size_t i;
#ifdef LIBPQ_HAS_PIPELINING
	size_t bad = n;
	PGresult *r, *keep = NULL;
	ExecStatusType st;
	int lost = 0;

	memset(x, 0, sizeof(*x));
	if (PQenterPipelineMode(conn) != 1)
		return zn_pg_take(conn, x, NULL), 0;
	for (i = 0; i < n; i++)
		if (sendone(conn, &s[i]) != 1 || ((s[i].sync || i + 1 == n) &&
		    PQpipelineSync(conn) != 1)) {
			/* Nothing is read back of a pipeline cut short. */
			(void)PQexitPipelineMode(conn);
			return zn_pg_take(conn, x, NULL), 0;
		}
	/* Each statement's result and its NULL; a Sync's own result. */
	for (i = 0; i < n && !lost; i++) {
		if ((r = PQgetResult(conn)) == NULL) {
			lost = 1;
			break;
		}
		st = PQresultStatus(r);
		if (first != NULL && *first == NULL &&
		    st == PGRES_TUPLES_OK && PQntuples(r) > 0 &&
		    PQnfields(r) > 0)
			*first = zn_xstrdup(PQgetvalue(r, 0, 0));
		if (bad == n && st != PGRES_TUPLES_OK &&
		    st != PGRES_COMMAND_OK) {
			bad = i;
			PQclear(keep);
			keep = r;
		} else if (bad == n) {
			PQclear(keep);
			keep = r;
		} else
			PQclear(r);
		while ((r = PQgetResult(conn)) != NULL)
			PQclear(r);
		if (s[i].sync || i + 1 == n) {
			r = PQgetResult(conn);
			if (PQresultStatus(r) != PGRES_PIPELINE_SYNC)
				lost = 1;
			PQclear(r);
		}
	}
	if (lost || PQexitPipelineMode(conn) != 1) {
		PQclear(keep);
		zn_pg_take(conn, x, NULL);
		return bad < i ? bad : i;
	}
	zn_pg_take(conn, x, keep);
	return bad;
#else
	for (i = 0; i < n; i++) {
		if (i > 0)
			zn_pgres_clear(x);
		if (!zn_pg_take(conn, x, s[i].prepared ? PQexecPrepared(conn,
		    s[i].sql, s[i].nparams, s[i].params, NULL, NULL, 0) :
		    PQexecParams(conn, s[i].sql, s[i].nparams, NULL,
		    s[i].params, NULL, NULL, 0)))
			return i;
		if (first != NULL && *first == NULL && PQntuples(x->r) > 0 &&
		    PQnfields(x->r) > 0)
			*first = zn_xstrdup(PQgetvalue(x->r, 0, 0));
	}
	return n;
#endif
}

void
zn_pgres_clear(struct zn_pgres *x)
{
	PQclear(x->r);
	free(x->msg);
	free(x->primary);
	memset(x, 0, sizeof(*x));
}

/* The message being died with, held where a leak checker sees it. */
static char *dying;

ZN_NORETURN void
zn_pg_die(struct zn_pgres *x, const char *what, const struct zn_pg_onlock *lk)
{
	char state[sizeof(x->state)];
	const char *msg;

	memcpy(state, x->state, sizeof(state));
	if (x->primary != NULL) {
		dying = x->primary;
		x->primary = NULL;
	} else {
		dying = x->msg;
		x->msg = NULL;
	}
	zn_pgres_clear(x);
	msg = dying != NULL ? dying : "no result";
	if (strcmp(state, "55P03") == 0)
		zn_die(lk != NULL ? lk->status : ZN_EXIT_UNAVAILABLE, "cannot "
		    "%s: %s (SQLSTATE %s): another session holds a lock it "
		    "needs%s%s", what, msg, state, lk != NULL &&
		    lk->hint != NULL ? "; " : "", lk != NULL && lk->hint !=
		    NULL ? lk->hint : "");
	/*
	 * The lock table is shared by every session: a transaction that
	 * takes more locks than max_locks_per_transaction allows for fills
	 * it (a snapshot locks each view it renders).
	 */
	if (strcmp(state, "53200") == 0 && strstr(msg, "shared memory") != NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot %s: %s (SQLSTATE %s): the "
		    "server's lock table is full; raise "
		    "max_locks_per_transaction on the server (a restart "
		    "applies it)", what, msg, state);
	if (*state != '\0')
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot %s: %s (SQLSTATE %s)",
		    what, msg, state);
	zn_die(ZN_EXIT_UNAVAILABLE, "cannot %s: %s", what, msg);
}

/* Dies for a failure that has no result: a send that did not go. */
static ZN_NORETURN void
failsend(PGconn *conn, const char *what, const struct zn_pg_onlock *lk)
{
	struct zn_pgres x;

	zn_pg_take(conn, &x, NULL);
	zn_pg_die(&x, what, lk);
}

PGresult *
zn_pg_exec_lk(PGconn *conn, const char *what, const char *sql,
    int nparams, const char *const *params, const struct zn_pg_onlock *lk)
{
	struct zn_pgres x;
	PGresult *r;

	if (!zn_pg_try(conn, &x, sql, nparams, params))
		zn_pg_die(&x, what, lk);
	r = x.r;
	x.r = NULL;
	zn_pgres_clear(&x);
	return r;
}

PGresult *
zn_pg_exec(PGconn *conn, const char *what, const char *sql, int nparams,
    const char *const *params)
{
	return zn_pg_exec_lk(conn, what, sql, nparams, params, NULL);
}

/* A result that must be ok, else the call dies. */
static PGresult *
must(PGconn *conn, PGresult *r, const char *what,
    const struct zn_pg_onlock *lk)
{
	struct zn_pgres x;

	if (!zn_pg_take(conn, &x, r))
		zn_pg_die(&x, what, lk);
	x.r = NULL;
	zn_pgres_clear(&x);
	return r;
}

void
zn_pg_batch_send(PGconn *conn, const struct zn_pgq *q, size_t n,
    const struct zn_pg_onlock *lk)
{
#ifdef LIBPQ_HAS_PIPELINING
	size_t i;
	const char *param;

	if (PQenterPipelineMode(conn) != 1)
		failsend(conn, "start a pipeline", lk);
	for (i = 0; i < n; i++) {
		param = q[i].param;
		if (PQsendQueryParams(conn, q[i].sql, param != NULL ? 1 : 0,
		    NULL, &param, NULL, NULL, 0) != 1)
			failsend(conn, q[i].what, lk);
		/* Else the server keeps its result until its buffer fills. */
		if (q[i].flush && PQsendFlushRequest(conn) != 1)
			failsend(conn, q[i].what, lk);
	}
	if (PQpipelineSync(conn) != 1)
		failsend(conn, "send a pipeline", lk);
	/* Out of the client's buffer now, so the server starts on it. */
	while (PQflush(conn) == 1)
		if (PQconsumeInput(conn) != 1)
			failsend(conn, "send a pipeline", lk);
#else
	(void)conn;
	(void)q;
	(void)n;
	(void)lk;
#endif
}

/* The session whose input is read while another is waited on. */
static PGconn *side;
static const char *sidewhat;
static const struct zn_pg_onlock *sidelk;

void
zn_pg_side(PGconn *conn, const char *what, const struct zn_pg_onlock *lk)
{
	side = conn;
	sidewhat = what;
	sidelk = lk;
}

void
zn_pg_side_read(void)
{
	char b;
	ssize_t n;

	if (side == NULL)
		return;
	/*
	 * The end of the connection is not read here: libpq would parse
	 * what it holds of the session's results as if it had arrived from
	 * an idle server.  The session is left for whoever takes its results
	 * (which may all have arrived: a session ended after its work loses
	 * nothing).  Any other failure to read is a lost connection.
	 */
	n = PQsocket(side) < 0 ? 0 : recv(PQsocket(side), &b, 1, MSG_PEEK);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
	    errno != EINTR)) {
		side = NULL;
		return;
	}
	if (n > 0 && PQconsumeInput(side) != 1)
		failsend(side, sidewhat, sidelk);
}

/*
 * Waits until conn has a result to take, reading the side session's
 * input meanwhile: a server sending a large result stops when the
 * socket is full, and would not start the next statement of its
 * pipeline until the client took it.  Any failure is left for
 * PQgetResult to report.
 */
static void
sidewait(PGconn *conn)
{
	struct pollfd fd[2];
	int n;

	if (side == NULL || side == conn)
		return;
	while (PQisBusy(conn)) {
		fd[0].fd = PQsocket(conn);
		fd[1].fd = PQsocket(side);
		fd[0].events = fd[1].events = POLLIN;
		fd[0].revents = fd[1].revents = 0;
		if (fd[0].fd < 0 || fd[1].fd < 0)
			return;
		n = poll(fd, 2, -1);
		if (n < 0 && errno != EINTR)
			return;
		if (n <= 0)
			continue;
		if (fd[1].revents != 0) {
			zn_pg_side_read();
			if (side == NULL)
				return;
		}
		if (fd[0].revents != 0 && PQconsumeInput(conn) != 1)
			return;
	}
}

void
zn_pg_batch_take(PGconn *conn, const struct zn_pgq *q, size_t n,
    PGresult **res, const struct zn_pg_onlock *lk)
{
	size_t i;
#ifdef LIBPQ_HAS_PIPELINING
	PGresult *r;

	for (i = 0; i < n; i++) {
		sidewait(conn);
		res[i] = must(conn, PQgetResult(conn), q[i].what, lk);
		/* Each statement's results end with a NULL. */
		if ((r = PQgetResult(conn)) != NULL) {
			PQclear(r);
			failsend(conn, q[i].what, lk);
		}
	}
#else
	for (i = 0; i < n; i++)
		res[i] = zn_pg_exec_lk(conn, q[i].what, q[i].sql,
		    q[i].param != NULL ? 1 : 0, &q[i].param, lk);
#endif
}

void
zn_pg_batch_recv(PGconn *conn, const struct zn_pgq *q, size_t n,
    PGresult **res, const struct zn_pg_onlock *lk)
{
#ifdef LIBPQ_HAS_PIPELINING
	PGresult *r;

	zn_pg_batch_take(conn, q, n, res, lk);
	r = PQgetResult(conn);
	if (PQresultStatus(r) != PGRES_PIPELINE_SYNC) {
		if (r == NULL || resultok(r))
			failsend(conn, "end a pipeline", lk);
		must(conn, r, "end a pipeline", lk);
	}
	PQclear(r);
	if (PQexitPipelineMode(conn) != 1)
		failsend(conn, "end a pipeline", lk);
#else
	zn_pg_batch_take(conn, q, n, res, lk);
#endif
}

void
zn_pg_batch(PGconn *conn, const struct zn_pgq *q, size_t n, PGresult **res,
    const struct zn_pg_onlock *lk)
{
	zn_pg_batch_send(conn, q, n, lk);
	zn_pg_batch_recv(conn, q, n, res, lk);
}

void
zn_pg_cmd(PGconn *conn, const char *what, const char *sql)
{
	struct zn_pgres x;

	if (!zn_pg_try_script(conn, &x, sql))
		zn_pg_die(&x, what, NULL);
	zn_pgres_clear(&x);
}

static int
cmpkw(const void *a, const void *b)
{
	return strcmp((const char *)a, *(const char *const *)b);
}

void
zn_pg_ident(struct zn_buf *b, const char *s)
{
	const char *p;
	int plain = (*s >= 'a' && *s <= 'z') || *s == '_';

	for (p = s; plain && *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_'))
			plain = 0;
	if (plain && bsearch(s, keywords, sizeof(keywords) /
	    sizeof(keywords[0]), sizeof(keywords[0]), cmpkw) == NULL)
		zn_buf_adds(b, s);
	else
		zn_pg_quoted(b, s);
}

void
zn_pg_quoted(struct zn_buf *b, const char *s)
{
	zn_buf_addch(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			zn_buf_addch(b, '"');
		zn_buf_addch(b, *s);
	}
	zn_buf_addch(b, '"');
}

void
zn_pg_array_add(struct zn_buf *b, const char *s)
{
	const char *c;

	if (b->len > 1)
		zn_buf_addch(b, ',');
	zn_buf_addch(b, '"');
	for (c = s; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			zn_buf_addch(b, '\\');
		zn_buf_addch(b, *c);
	}
	zn_buf_addch(b, '"');
}

void
zn_pg_literal(struct zn_buf *b, const char *s)
{
	const char *p;

	if (strchr(s, '\\') != NULL)
		zn_buf_addch(b, 'E');
	zn_buf_addch(b, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'' || *p == '\\')
			zn_buf_addch(b, *p);
		zn_buf_addch(b, *p);
	}
	zn_buf_addch(b, '\'');
}
