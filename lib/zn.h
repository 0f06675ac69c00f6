/* SPDX-License-Identifier: ISC */
/*
 * zn.h: the one public header of libzn, the library every zn command
 * links.  It is grouped by module; each function states who owns what it
 * returns.  jansson's words are used for json_t references: "new" (the
 * caller owns a reference and must json_decref it), "borrowed" (valid
 * while the container lives) and "stolen" (the callee takes the caller's
 * reference).
 */
#ifndef ZN_H
#define ZN_H

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include <jansson.h>
#include <libpq-fe.h>

#define ZN_NORETURN _Noreturn
#define ZN_PRINTF(f, a) __attribute__((format(printf, f, a)))

/*
 * err: the exit statuses of the suite (zn(7), EXIT STATUS) and the one
 * way every command reports a problem: "prog: message" on stderr, lower
 * case, subject in quotes, no full stop.
 */
enum zn_exit {
	ZN_EXIT_OK = 0,		/* success; verdict ok */
	ZN_EXIT_NEGATIVE = 1,	/* differences, blocked, drift, failed */
	ZN_EXIT_UNAVAILABLE = 2,	/* cannot vouch: unreachable, no config */
	ZN_EXIT_BUSY = 3,	/* a lock held elsewhere: the migration lock */
	ZN_EXIT_RESOLVE = 4,	/* ledger disagrees with files or schema */
	ZN_EXIT_USAGE = 64,	/* usage error */
	ZN_EXIT_DATAERR = 65,	/* malformed input */
	ZN_EXIT_SIGNAL = 130	/* interrupted, after releasing locks */
};

extern const char *zn_progname;

/*
 * Sets zn_progname from argv[0] and the locale facts the commands rely
 * on.  Call first in main().
 */
void zn_init(const char *argv0);
/* Prints the help text to stdout and exits 0 (after zn_finish). */
ZN_NORETURN void zn_help(const char *text);
/* Prints "prog (zanith) VERSION" to stdout and exits 0. */
ZN_NORETURN void zn_version(void);
/*
 * Prints every long option of a getopt_long table, one per line, with
 * "=" after those that take an argument: the source of the generated
 * shell completions.  Exits 0.
 */
struct option;
ZN_NORETURN void zn_complete(const struct option *longopts);
/* s with control characters shown as \n, \e, \xHH: for people. */
void zn_fputs_safe(const char *s, FILE *fp);
void zn_warn(const char *fmt, ...) ZN_PRINTF(1, 2);
ZN_NORETURN void zn_die(int status, const char *fmt, ...) ZN_PRINTF(2, 3);
/* Like zn_die, with ": strerror(errno)" appended. */
ZN_NORETURN void zn_die_errno(int status, const char *fmt, ...)
    ZN_PRINTF(2, 3);
/* A usage error: the message, a hint to --help, exit 64. */
ZN_NORETURN void zn_usage_error(const char *fmt, ...) ZN_PRINTF(1, 2);
/* After getopt has named the bad option: the --help hint, exit 64. */
ZN_NORETURN void zn_bad_option(void);
/*
 * The fuzz build (make fuzz, -DZN_FUZZ) only: where an exit would go,
 * so that a harness returns to its fuzzer instead of ending it; and
 * checksum and hash mismatches let through, so that the fuzzer reaches
 * the readers behind them.  Every other build checks every sum.
 */
#ifdef ZN_FUZZ
extern void (*zn_fuzz_exit)(int status);
#define ZN_CHECKSUMS 0
#else
#define ZN_CHECKSUMS 1
#endif
/*
 * Flushes and closes stdout; a write error turns status into 2 with a
 * message.  Returns the status to hand back from main().
 */
int zn_finish(int status);

/* mem: allocation that dies on failure; callers free with free(). */
/*
 * Registers fn to run when SIGINT, SIGTERM or SIGHUP ends the program
 * (then with status 130), the last registered first.  fn must be
 * async-signal-safe.  The first call installs the handler.  (zn-apply
 * handles its signals itself, to stop between steps.)
 */
void zn_atsignal(void (*fn)(void));
void *zn_xmalloc(size_t n);
void *zn_xcalloc(size_t n, size_t size);
void *zn_xrealloc(void *p, size_t n);
/* Like realloc for an array of nmemb elements, checking the product. */
void *zn_xreallocarray(void *p, size_t nmemb, size_t size);
char *zn_xstrdup(const char *s);
char *zn_xstrndup(const char *s, size_t n);
/* A new string from a format; the caller frees it. */
char *zn_xasprintf(const char *fmt, ...) ZN_PRINTF(1, 2);
/* path: what a file name says it holds. */
int zn_path_endswith(const char *s, const char *suffix);
int zn_path_is_yaml(const char *path);	/* .yaml or .yml */
/* A declared schema: .sql, .yaml, .yml, or a directory ("-" is not). */
int zn_path_is_declared(const char *path);
/*
 * The files of dir whose names want accepts (hidden ones left out), as
 * "dir/name" in name order; NULL-terminated, free with zn_strv_free.
 */
char **zn_path_list(const char *dir, int (*want)(const char *), size_t *n);
/* NULL-terminated string lists: append a copy of s; free list and all. */
void zn_strv_push(char ***list, size_t *n, const char *s);
void zn_strv_free(char **list);

/*
 * buf: a growable string.  Invariants (as git's strbuf): buf is never
 * NULL and always NUL-terminated, len excludes the NUL.  Initialise with
 * ZN_BUF_INIT or zn_buf_init; zn_buf_release frees and reinitialises;
 * zn_buf_detach hands the string to the caller (who frees it).
 */
struct zn_buf {
	char *buf;
	size_t len;
	size_t alloc;
};
extern char zn_buf_empty[];
#define ZN_BUF_INIT { zn_buf_empty, 0, 0 }
void zn_buf_init(struct zn_buf *b);
void zn_buf_release(struct zn_buf *b);
char *zn_buf_detach(struct zn_buf *b);
void zn_buf_reset(struct zn_buf *b);
void zn_buf_grow(struct zn_buf *b, size_t extra);
void zn_buf_add(struct zn_buf *b, const void *data, size_t n);
void zn_buf_adds(struct zn_buf *b, const char *s);
void zn_buf_addch(struct zn_buf *b, int c);
void zn_buf_addf(struct zn_buf *b, const char *fmt, ...) ZN_PRINTF(2, 3);
void zn_buf_vaddf(struct zn_buf *b, const char *fmt, va_list ap)
    ZN_PRINTF(2, 0);
/* Appends a whole file; dies with status 2 when it cannot be read. */
void zn_buf_readfile(struct zn_buf *b, const char *path);
/* Appends the rest of fp; name is for the error message. */
/* The bounds of every input read whole (zn_buf_readfp). */
#define ZN_LINE_MAX (64 * 1024 * 1024)
#define ZN_INPUT_MAX (1024 * 1024 * 1024)
void zn_buf_readfp(struct zn_buf *b, FILE *fp, const char *name);
/* Dies (65) when a line of the n bytes at p is longer than ZN_LINE_MAX. */
void zn_lines_bounded(const char *name, const char *p, size_t n);
/* Whether the wn bytes at w occur in the hn bytes at h (Horspool). */
int zn_memfind(const char *h, size_t hn, const char *w, size_t wn);
/* Maps the pages of a large block at once where the system can. */
void zn_prefault(void *p, size_t n);
/*
 * Reads all of path ("-" or NULL: stdin) into b, in one allocation for
 * a regular file; returns the name for messages ("<stdin>" or path).
 * An unopenable file dies with status 2.
 */
const char *zn_buf_readpath(struct zn_buf *b, const char *path);

/*
 * sha: SHA-256 through libcrypto.  Digests are written as "sha256:" and
 * 64 lower-case hex digits: ZN_SHA256_STRLEN bytes with the NUL.
 */
#define ZN_SHA256_STRLEN (7 + 64 + 1)
struct zn_sha256;
/* New hashing context; freed by zn_sha256_final. */
struct zn_sha256 *zn_sha256_new(void);
void zn_sha256_update(struct zn_sha256 *h, const void *data, size_t n);
void zn_sha256_final(struct zn_sha256 *h, char out[ZN_SHA256_STRLEN]);
void zn_sha256(const void *data, size_t n, char out[ZN_SHA256_STRLEN]);

/*
 * json: records are compact JSON objects, one per line.  Commands never
 * call json_dump* themselves.
 */
/* A new string holding one compact line (no newline); caller frees. */
char *zn_json_line(const json_t *v);
/* Writes one record and a newline to fp; a write error dies (status 2). */
void zn_json_emit(FILE *fp, const json_t *v);
/* Borrowed string member, or NULL when absent or not a string. */
const char *zn_json_str(const json_t *obj, const char *key);

/*
 * jw: writes compact JSON into a zn_buf, value by value, with the one
 * string escaping of the suite.  Objects and arrays are opened with
 * zn_jw_obj/zn_jw_arr and closed with zn_jw_end(w, '}' or ']'); a member
 * is zn_jw_key followed by one value.  The writer does not order keys:
 * canonical records write them in canonical order (zn-records(5)).
 */
#define ZN_JW_MAXDEPTH 64
struct zn_jw {
	struct zn_buf *b;	/* borrowed */
	int depth;
	int afterkey;
	int count[ZN_JW_MAXDEPTH];
};
void zn_jw_init(struct zn_jw *w, struct zn_buf *b);
void zn_jw_obj(struct zn_jw *w);
void zn_jw_arr(struct zn_jw *w);
void zn_jw_end(struct zn_jw *w, int c);
void zn_jw_key(struct zn_jw *w, const char *k);
void zn_jw_str(struct zn_jw *w, const char *s);	/* NULL writes null */
void zn_jw_strn(struct zn_jw *w, const char *s, size_t n);
void zn_jw_null(struct zn_jw *w);
void zn_jw_bool(struct zn_jw *w, int v);
void zn_jw_int(struct zn_jw *w, long long v);
/*
 * Writes v canonically: in every object the keys "kind", "v", "schema",
 * "table", "name" come first in that order, then the others in byte
 * order.  Arrays keep their order.
 */
void zn_jw_json(struct zn_jw *w, const json_t *v);
/* Compares two keys (not NUL-terminated) in that canonical order. */
int zn_jw_keycmp(const char *a, size_t an, const char *b, size_t bn);

/*
 * jscan: JSON checked in place.  zn_jscan_value steps over one value of
 * strict JSON (RFC 8259, UTF-8 checked) and zn_jscan_string over one
 * string, giving its body and whether it has escapes; both return 0
 * when the text is not that.  zn_jscan_canon parses one value in the
 * canonical form zn_jw_json writes (no blanks, keys in canonical order,
 * only jw's escapes, integers only) into a new json_t, and returns NULL
 * for anything else, which the caller leaves to jansson.  tmp is
 * scratch space for unescaping.
 */
struct zn_jscan {
	const unsigned char *p, *e;
	int uesc;		/* a \u escape was seen */
};
void zn_jscan_ws(struct zn_jscan *s);
/* Whether s[0..n) is well-formed UTF-8 (no surrogates, no overlongs). */
int zn_utf8_valid(const char *s, size_t n);
int zn_jscan_string(struct zn_jscan *s, const char **v, size_t *n,
    int *esc);
int zn_jscan_value(struct zn_jscan *s, int depth);
json_t *zn_jscan_canon(struct zn_jscan *s, struct zn_buf *tmp);
/* The same check, building nothing: whether the value is canonical. */
int zn_jscan_canon_check(struct zn_jscan *s, struct zn_buf *tmp);

/*
 * out: writing a whole file.  A regular file is replaced atomically
 * (temporary file, fsync, rename), with the mode the umask allows;
 * anything else (a device, a FIFO) is written in place.  Write through
 * o->fp, then zn_out_commit, which dies with status 2 on any failure.
 */
struct zn_out {
	FILE *fp;
	char *path;	/* owned */
	char *tmp;	/* the temporary file, or NULL when in place */
};
void zn_out_open(struct zn_out *o, const char *path);
/*
 * Dies (exit 2) for a failed write to fp, naming what fp is: the file
 * zn_out_open opened, standard output, or nothing known.
 */
ZN_NORETURN void zn_die_write(FILE *fp);
void zn_out_commit(struct zn_out *o);

/*
 * jsonl: reads JSON lines.  Every line must be one JSON object with a
 * string "kind"; anything else dies with status 65 and
 * "name:line:col: message".  Blank lines are errors too.
 */
struct zn_jsonl {
	FILE *fp;
	char *name;		/* "<stdin>" or the path; owned */
	size_t lineno;		/* line of the record last returned */
	char *line;		/* getline buffer; owned */
	size_t cap;
	int close;		/* fp is ours to fclose */
};
/* Opens path ("-" or NULL is stdin); dies with status 2 on failure. */
void zn_jsonl_open(struct zn_jsonl *r, const char *path);
/* Reads len bytes of buf (which must outlive r) under name instead. */
void zn_jsonl_open_mem(struct zn_jsonl *r, const char *name,
    const char *buf, size_t len);
/* Next record as a new reference, or NULL at end of input. */
json_t *zn_jsonl_next(struct zn_jsonl *r);
void zn_jsonl_close(struct zn_jsonl *r);
/* Dies with status 65 and "name:line: message" for the current record. */
ZN_NORETURN void zn_jsonl_die(const struct zn_jsonl *r, const char *fmt, ...)
    ZN_PRINTF(2, 3);

/*
 * yaml: YAML documents as json_t, with the source position of every
 * node kept aside for messages.  Plain scalars are typed by YAML 1.2's
 * core schema (null, true/false, integers), except that decimal
 * fractions stay strings of the text written; quoted scalars are
 * strings.  Aliases are copied; duplicate keys, multiple documents and
 * parse errors die with status 65 and "file:line:col: message".
 */
struct zn_yaml;
/* Parses path; NULL root for an empty file.  Free with zn_yaml_free. */
struct zn_yaml *zn_yaml_load(const char *path);
/* Parses a buffer; name is used in messages. */
struct zn_yaml *zn_yaml_load_buf(const char *name, const char *data,
    size_t len);
/* Borrowed root node (NULL for an empty document). */
json_t *zn_yaml_root(const struct zn_yaml *y);
const char *zn_yaml_name(const struct zn_yaml *y);
/*
 * Position (1-based) of the value at key (an object member) or at index
 * (an array element) of container; key NULL means index.  Returns 0 and
 * sets line/col, or -1 when unknown.
 */
int zn_yaml_where(const struct zn_yaml *y, const json_t *container,
    const char *key, size_t index, int *line, int *col);
/* Position of a mapping key itself. */
int zn_yaml_where_key(const struct zn_yaml *y, const json_t *container,
    const char *key, int *line, int *col);
/* Dies with status 65 and "file:line:col: message" for that value. */
ZN_NORETURN void zn_yaml_die(const struct zn_yaml *y, const json_t *container,
    const char *key, size_t index, const char *fmt, ...) ZN_PRINTF(5, 6);
void zn_yaml_free(struct zn_yaml *y);

/*
 * config: zanith.yaml.  Precedence is flags > ZN_* environment > file >
 * defaults; the commands apply flags themselves after zn_config_load.
 */
struct zn_config {
	char *path;		/* the file read, or NULL when none */
	char *database;		/* conninfo or URI, or NULL */
	char **schemas;		/* snapshot filter: NULL-terminated */
	char **exclude_schemas;	/* NULL-terminated */
	char *ledger_schema;	/* default "public" */
	char *scratch;		/* scratch server URL, or NULL: ephemeral */
	char *shadow;		/* zn-shadow's server URL, or NULL: ephemeral */
	long sample_rows;	/* zn-shadow's rows to copy, 0 for none */
	char *migrations;	/* default "migrations" */
	char *schema;		/* the declared schema, or NULL */
	json_t *gates;		/* zn-classify's gates, checked, or NULL */
	json_t *environments;	/* name -> gates, checked, or NULL */
	/*
	 * Act on a schema with objects of kinds the graph does not model
	 * (allow_unmodelled, ZN_ALLOW_UNMODELLED, --allow-unmodelled).
	 */
	int allow_unmodelled;
	char *dir;		/* the -C directory, or NULL */
	long retention_days;	/* retention: of artifacts, or 0 when unset */
	json_t *apply;		/* apply: zn-apply's options, checked */
	json_t *diff;		/* diff: zn-diff's options, checked */
};
/*
 * A durable option as text (buf, of n bytes, holds a number's): the
 * environment variable var (NULL: none) when set, else the environment
 * ZN_ENV's key, else section's ("apply", "diff", "gates"); NULL when
 * none says.  Flags are the caller's, and win over all of these.
 */
const char *zn_config_opt(const struct zn_config *c, const char *section,
    const char *key, const char *var, char *buf, size_t n);
/* Days as 30 or "30d" (1 to 36500), or -1. */
long zn_parse_days(const char *s);
/*
 * How long a parked artifact is kept (zn-artifact(1)): the environment
 * env's retention (NULL: ZN_ENV's), else zanith.yaml's, else 30 days.
 */
long zn_config_retention(const struct zn_config *c, const char *env);
/*
 * A duration as PostgreSQL writes one ("500ms", "5s", "2min", "1h", "1d";
 * a number needs its unit, but for 0) and a size ("1GiB", "500MB",
 * "10kB"; a bare number is bytes).  Return -1 when s is neither.
 */
long zn_parse_ms(const char *s);
/*
 * The duration of command-line option opt, or a usage error (exit 64)
 * saying what one looks like; 0 only when zero is set.
 */
long zn_duration_arg(const char *opt, const char *arg, int zero);
double zn_parse_bytes(const char *s);
/*
 * Loads the configuration: DIR/zanith.yaml when -C gave DIR, else the
 * file named by ZN_CONFIG, else ./zanith.yaml, when it exists; then the
 * ZN_* environment.  Malformed files die with status 65.
 */
void zn_config_load(struct zn_config *c, const char *dir);
void zn_config_release(struct zn_config *c);
/*
 * A path zanith.yaml gives (p), relative to the directory of the file
 * read, else to the -C directory; p itself when absolute or when there
 * is neither.  NULL for NULL; caller frees.
 */
char *zn_config_path(const struct zn_config *c, const char *p);

/*
 * pg: the connection recipe.  Connections use PQconnectdbParams with
 * expand_dbname, fallback_application_name set to the program, libpq's
 * PG* variables and service files, and the session settings pg_dump
 * fixes: empty search_path, DateStyle ISO, IntervalStyle postgres,
 * extra_float_digits 3, TimeZone UTC, no statement or lock timeouts.
 * Passwords never appear in any message.
 */
#define ZN_PG_MIN_VERSION 120000
#define ZN_PG_MAX_VERSION 189999
/*
 * Chooses the connection string: the flag, else ZN_DATABASE_URL, else
 * the configuration, else DATABASE_URL, else NULL (libpq defaults).
 * Returns a borrowed pointer.
 */
const char *zn_pg_target(const char *flag, const struct zn_config *c);
/*
 * Connects.  A malformed connection string dies with status 64; an
 * unreachable server, a failed setting, or a server outside the
 * supported versions dies with status 2.  Caller PQfinish()es.
 */
PGconn *zn_pg_connect(const char *conninfo);
/* The same, with the database name replaced by dbname when not NULL. */
PGconn *zn_pg_connect_db(const char *conninfo, const char *dbname);
/* The same, what naming the server in a message ("the shadow server"). */
PGconn *zn_pg_connect_as(const char *conninfo, const char *dbname,
    const char *what);
/*
 * A second session to the server and database of conn, with the same
 * options and credentials, begun without waiting for it: NULL when it
 * cannot even be begun.  zn_pg_connect_end waits at most timeout_ms for
 * it to be ready; zn_pg_join_snapshot opens a REPEATABLE READ, READ ONLY
 * transaction in it on a snapshot another session exported
 * (pg_export_snapshot), with zn_pg_connect's session settings for that
 * transaction and the lock_timeout given.  Each returns 0 when it fails
 * (the caller PQfinish()es the session either way and carries on
 * without it).
 */
PGconn *zn_pg_connect_like(PGconn *conn);
int zn_pg_connect_end(PGconn *c, long timeout_ms);
int zn_pg_join_snapshot(PGconn *c, const char *snapshot,
    const char *lock_timeout);
/*
 * The one way to call the server.  zn_pg_try runs one statement (the
 * extended protocol: exactly one) with text parameters, zn_pg_try_script
 * one or more statements (the simple protocol), and zn_pg_take fills
 * the same record from a result got otherwise (an asynchronous query,
 * NULL when none came); each returns 1 when the result is tuples or
 * command ok, else 0.  Either way x holds the result (x->r, possibly
 * NULL), the SQLSTATE ("" when none), the server's whole message folded
 * onto one line and its primary message, both with the connection's
 * password and PGPASSWORD redacted ("" on success).  The caller owns x
 * and frees it with zn_pgres_clear.
 */
struct zn_pgres {
	PGresult *r;
	char state[6];
	char *msg;		/* "ERROR:  ...  DETAIL:  ..." on one line */
	char *primary;		/* the primary message alone */
};
int zn_pg_try(PGconn *conn, struct zn_pgres *x, const char *sql,
    int nparams, const char *const *params);
int zn_pg_try_script(PGconn *conn, struct zn_pgres *x, const char *sql);
/*
 * Statements sent in one round trip by zn_pg_try_pipeline: a prepared
 * statement's name (prepared) or SQL text with nparams parameters; a
 * Sync after it when sync is set (the statements before it, outside a
 * BEGIN, commit there as one implicit transaction), and after the last.
 */
struct zn_pgstmt {
	const char *sql;
	int prepared;
	int nparams;
	const char *const *params;
	int sync;
};
/*
 * Runs the n statements in libpq's pipeline mode (one after another
 * without it, stopping at a failure).  Returns n when all succeeded, x
 * holding the last one's result; else the index of the first that
 * failed, x holding its result.  The statements after a failure up to
 * the next Sync are skipped by the server; those after it run: the
 * caller decides what a failure leaves open (PQtransactionStatus).
 * When first is not NULL (and *first is), *first gets the first value
 * of the first statement that returned a row (the caller frees it).
 */
size_t zn_pg_try_pipeline(PGconn *conn, struct zn_pgres *x,
    const struct zn_pgstmt *s, size_t n, char **first);
int zn_pg_take(PGconn *conn, struct zn_pgres *x, PGresult *r);
void zn_pgres_clear(struct zn_pgres *x);
/*
 * What a lock timeout (55P03) means to a call that dies on failure: the
 * exit status to die with and a sentence to add (NULL for none).  A
 * NULL policy is status 2 and no sentence: only a caller that waits for
 * a lock on purpose says otherwise.
 */
struct zn_pg_onlock {
	int status;
	const char *hint;
};
/*
 * Dies for a failed x: "cannot WHAT: primary message (SQLSTATE s)",
 * status 2, or lk's status and hint for a lock timeout.
 */
ZN_NORETURN void zn_pg_die(struct zn_pgres *x, const char *what,
    const struct zn_pg_onlock *lk);
/*
 * The dying forms: run one statement with text parameters and return
 * its result (the caller PQclear()s it), or die as zn_pg_die does.
 */
PGresult *zn_pg_exec(PGconn *conn, const char *what, const char *sql,
    int nparams, const char *const *params);
PGresult *zn_pg_exec_lk(PGconn *conn, const char *what, const char *sql,
    int nparams, const char *const *params, const struct zn_pg_onlock *lk);
/* One statement of a batch for zn_pg_batch. */
struct zn_pgq {
	const char *what;	/* for messages: "read columns" */
	const char *sql;
	const char *param;	/* one text parameter ($1), or NULL */
	int flush;		/* its result is wanted before the rest */
};
/*
 * Runs n statements in order, in libpq's pipeline mode where libpq has
 * it (the server runs each statement while the client still reads the
 * previous result), else one after another; stores each result in
 * res[i].  Any failure dies like zn_pg_exec_lk with lk.  Caller
 * PQclear()s each.
 */
void zn_pg_batch(PGconn *conn, const struct zn_pgq *q, size_t n,
    PGresult **res, const struct zn_pg_onlock *lk);
/*
 * zn_pg_batch in two halves, so that the client can work while the
 * server runs the statements: nothing else may use conn in between.
 */
void zn_pg_batch_send(PGconn *conn, const struct zn_pgq *q, size_t n,
    const struct zn_pg_onlock *lk);
void zn_pg_batch_recv(PGconn *conn, const struct zn_pgq *q, size_t n,
    PGresult **res, const struct zn_pg_onlock *lk);
/*
 * The results of the first n statements of what zn_pg_batch_send sent
 * (without libpq's pipelining: runs them); zn_pg_batch_recv then takes
 * the rest, from q + n.
 */
void zn_pg_batch_take(PGconn *conn, const struct zn_pgq *q, size_t n,
    PGresult **res, const struct zn_pg_onlock *lk);
/*
 * conn (NULL: none) is a second session whose results are read into
 * its buffer while zn_pg_batch_recv waits on another, and whenever
 * zn_pg_side_read is called: its server then never waits for the
 * client to make room before it runs the next statement.  Should its
 * connection fail while data is read, the program dies as zn_pg_exec_lk
 * does, with what and lk; a connection the server closes is read no
 * more, and reported by whoever takes its results.
 */
void zn_pg_side(PGconn *conn, const char *what,
    const struct zn_pg_onlock *lk);
void zn_pg_side_read(void);
/* Runs a command that returns no rows; dies like zn_pg_exec. */
void zn_pg_cmd(PGconn *conn, const char *what, const char *sql);
/*
 * Writes s to b as a SQL identifier, quoted unless it is made of
 * lower-case letters, digits and underscores, starts with no digit and
 * is no keyword: the server's quote_ident() rule.
 */
void zn_pg_ident(struct zn_buf *b, const char *s);
/* Writes s to b in double quotes, each quote doubled. */
void zn_pg_quoted(struct zn_buf *b, const char *s);
/*
 * Adds s as one element of a text[] literal being written to b: b holds
 * "{" and the elements so far; the caller closes it with "}".
 */
void zn_pg_array_add(struct zn_buf *b, const char *s);
/* Writes s to b as a SQL string literal (E'' form when needed). */
void zn_pg_literal(struct zn_buf *b, const char *s);

/*
 * deparse.c: check constraints, index expressions and predicates written
 * from their node trees as the server's deparser writes them.
 * zn_nt_parse() returns NULL for a tree it does not read (the caller
 * asks the server); zn_nt_deparse() returns 0, with b undefined, for one
 * it cannot write.  A tree is one node or a list (indexprs): element i.
 */
struct zn_nt;
struct zn_dpnames;
struct zn_dpctx {
	const struct zn_dpnames *names;
	/* A column's name by number, or NULL. */
	const char *(*column)(void *arg, long attno);
	/* Writes s as quote_identifier() would. */
	void (*ident)(void *arg, struct zn_buf *b, const char *s);
	void *arg;
	int scs;		/* standard_conforming_strings is on */
};
struct zn_nt *zn_nt_parse(const char *text);
void zn_nt_free(struct zn_nt *t);
int zn_nt_count(const struct zn_nt *t);
unsigned long zn_nt_type(const struct zn_nt *t, int i);
unsigned long zn_nt_collation(const struct zn_nt *t, int i);
int zn_nt_funclike(const struct zn_nt *t, int i);
/* Appends ",OID" for each operator, function, type and label named. */
void zn_nt_oids(const struct zn_nt *t, struct zn_buf *b);
int zn_nt_deparse(const struct zn_nt *t, int i, const struct zn_dpctx *x,
    struct zn_buf *b);
/* Takes r, the rows of the names query (see deparse.c). */
struct zn_dpnames *zn_dpnames_new(PGresult *r);
void zn_dpnames_free(struct zn_dpnames *d);
const char *zn_dpnames_typinfo(const struct zn_dpnames *d,
    unsigned long type);
/*
 * A new copy of msg with every password found in conninfo replaced by
 * "********", and newlines folded so it fits one line.  Caller frees.
 */
/* Cancels conn's query in flight when a signal ends the program. */
void zn_pg_cancel_at_signal(PGconn *conn);
/*
 * conn, a second session working for of, is cancelled with it when of
 * is the one zn_pg_cancel_at_signal watches; NULL forgets it.
 */
void zn_pg_cancel_too(PGconn *of, PGconn *conn);
char *zn_pg_redact(const char *msg, const char *conninfo);

/*
 * scratch: a database to materialise declared schemas in: a fresh
 * database on the server a URL names, or an ephemeral local cluster
 * (initdb in a temporary directory, Unix socket only, run as an
 * unprivileged user when we are root).  The cluster is removed by
 * zn_scratch_stop, and also when the program exits or is ended by
 * SIGINT, SIGTERM or SIGHUP (then with status 130).  One at a time.
 */
struct zn_scratch {
	char *url;		/* the server named by the user, or NULL */
	char *dbname;		/* the scratch database, or NULL */
	char *dir;		/* the ephemeral cluster's directory */
	char *conninfo;		/* how to reach the ephemeral cluster */
	pid_t pid;		/* its postmaster, or -1 */
};
/*
 * The directory of server binaries (initdb, postgres) of the given major
 * version, or of any when major is 0: ZN_PG_BINDIR, pg_config --bindir,
 * PATH, then /usr/lib/postgresql/N/bin.  NULL when none; caller frees.
 */
char *zn_scratch_bindir(int major);
/* How a scratch database on a URL's server is named: "zn_scratch". */
void zn_scratch_prefix(const char *prefix);
/* Starts one: url names a server, or NULL for a local cluster. */
void zn_scratch_start(struct zn_scratch *s, const char *url, int major);
/*
 * A new, empty database called name in a local cluster (on a URL's
 * server, the scratch database made at start), and a connection to it.
 */
PGconn *zn_scratch_newdb(struct zn_scratch *s, const char *name);
PGconn *zn_scratch_connect(const struct zn_scratch *s);
void zn_scratch_stop(struct zn_scratch *s);
/* Leaves it running (or the database there) for good, and forgets it. */
void zn_scratch_keep(struct zn_scratch *s);

/*
 * term: rendering for people.  Colour only on a terminal without
 * NO_COLOR.  Tables align columns by display width.
 */
int zn_term_isatty(FILE *fp);
int zn_term_color(FILE *fp);
struct zn_table;
struct zn_table *zn_table_new(int ncols);
/* Adds a row; cells are copied.  Pass exactly ncols strings. */
void zn_table_row(struct zn_table *t, ...);
/* The same, the row's ncols cells (NULL for empty) from an array. */
void zn_table_cells(struct zn_table *t, const char *const *cells);
void zn_table_print(struct zn_table *t, FILE *fp);
void zn_table_free(struct zn_table *t);
/* Display width of a UTF-8 string in columns (one per code point). */
size_t zn_term_width(const char *s);

/*
 * graph: the schema graph of zn-records(5).  Each record is held as its
 * canonical line (compact JSON, no newline) with the keys it sorts by;
 * the hash covers the body.  zn_graph_get parses a record back when a
 * consumer needs its fields.
 */
struct zn_grec {
	int rank;		/* position of the kind in canonical order */
	char *schema, *table, *name, *args;	/* sort keys, owned */
	char *line;		/* owned, or in the graph's block; NULL: spilled */
	size_t len;
	off_t off;		/* where a spilled line is in the spill file */
};
struct zn_graph {
	json_t *source;		/* new reference: where it came from */
	long server_version_num;	/* 0 when unknown */
	json_t *renames;	/* rename hints of a declaration, or NULL */
	/*
	 * Objects of kinds the graph does not model, [{kind, schema, name}]
	 * (zn-records(5)), or NULL: in the header, not the body.
	 */
	json_t *unmodelled;
	struct zn_grec *recs;	/* canonical order after zn_graph_finish */
	size_t nrecs, cap;
	char *block;		/* a stored graph's text, holding its lines */
	size_t mapped;		/* block is a mapping of this many bytes */
	/*
	 * With zn_graph_spill, the lines added go to this unlinked
	 * temporary file instead of memory, spilled bytes so far, in
	 * this directory (for messages).
	 */
	FILE *spill;
	off_t spilled;
	char *spilldir;
	char hash[ZN_SHA256_STRLEN];
};
struct zn_snapshot_opts {
	const char *const *schemas;		/* include patterns, or NULL */
	const char *const *exclude_schemas;	/* exclude patterns, or NULL */
	const struct zn_pg_onlock *onlock;	/* a lock timeout, or NULL */
	/*
	 * The ledger's schema, or NULL: left out while it holds nothing
	 * but the ledger (as is any such schema holding a ledger).
	 */
	const char *ledger_schema;
	/* Nonzero: the graph's lines are kept on disk (zn_graph_spill). */
	int spill;
};
/*
 * Introspects a live database in one REPEATABLE READ, READ ONLY
 * snapshot with a fixed number of catalog queries, in two sessions
 * sharing it when conn is idle and a second can be had.  Dies with status
 * 2 on database errors, or as o->onlock says on a lock timeout.
 */
void zn_graph_from_db(struct zn_graph *g, PGconn *conn,
    const struct zn_snapshot_opts *o);
/*
 * Only the objects of kinds the graph does not model, as a graph's
 * unmodelled (a new reference), or NULL when there are none: what
 * zn-apply checks before it changes anything.
 */
json_t *zn_unmodelled_from_db(PGconn *conn,
    const struct zn_snapshot_opts *o);
/*
 * schema: a declared schema in YAML (zn-schema(5)) checked and rendered
 * to DDL.  Mistakes die with status 65 at their YAML position.  The map
 * ties byte ranges of the DDL to YAML positions, for server errors.
 */
struct zn_schema_map {
	void *spans;		/* owned */
	size_t n;
	json_t *renames;	/* renamed_from hints, a new reference */
	int complete;		/* the file has sql: it declares everything */
};
/* The DDL of the declaration (caller frees); fills map. */
char *zn_schema_render(struct zn_yaml *y, struct zn_schema_map *map);
/* The YAML position of a DDL byte offset: 0, or -1 when none. */
int zn_schema_where(const struct zn_schema_map *map, size_t offset,
    int *line, int *col);
void zn_schema_map_release(struct zn_schema_map *map);

/*
 * Materialises a declared schema (a .sql file or a directory of them,
 * or a YAML schema file)
 * in a scratch database (scratch_url, or an ephemeral cluster of the
 * given major version, 0 for any) and introspects it there.  Errors in
 * the declaration die with status 65 and "file:line:col: message".
 */
/*
 * arena: strings kept until a piece of work is done, then freed together.
 */
struct zn_arena {
	char **v;
	size_t n, cap;
	char *blk;		/* the block copies are made in */
	size_t used, size;
};
/* Keeps s (malloc'd) and returns it. */
char *zn_arena_keep(struct zn_arena *a, char *s);
/* A copy of n bytes at s, NUL-terminated, made in the arena's blocks. */
const char *zn_arena_strndup(struct zn_arena *a, const char *s, size_t n);
/* An identifier quoted as PostgreSQL would, and a qualified name. */
const char *zn_arena_ident(struct zn_arena *a, const char *s);
const char *zn_arena_qualified(struct zn_arena *a, const char *schema,
    const char *name);
void zn_arena_release(struct zn_arena *a);

/*
 * A YAML declaration as graph records without a server, best effort
 * (offline.c); the source says "offline": true.  Warns once.
 */
void zn_graph_from_offline(struct zn_graph *g, const char *path);
/*
 * The unmodelled objects of g, one line for people: "domain app.email,
 * aggregate app.sum(integer), ...", at most max named and a count of the
 * rest; NULL when there are none.  Caller frees.
 */
char *zn_graph_unmodelled_text(const struct zn_graph *g, size_t max);
/* Whether a graph was made offline (its source says so). */
int zn_graph_offline(const struct zn_graph *g);
void zn_graph_from_declared(struct zn_graph *g, const char *path,
    const char *scratch_url, int major, const struct zn_snapshot_opts *o);
/*
 * Runs a declared schema (as zn_graph_from_declared takes one) in conn's
 * database, as psql would; *renames (when not NULL) gets the YAML's
 * rename hints.  Errors die as zn_graph_from_declared's do; the session
 * keeps zn_pg_connect's settings afterwards.  Returns whether the file
 * is complete (zn_declared_source).
 */
int zn_declared_load(PGconn *conn, const char *path, json_t **renames);
/*
 * The declarations materialised from now on are the program's own, not
 * input: the server refusing one dies with status 2, the message led by
 * what (as "the declaration pulled"), rather than 65.
 */
void zn_declared_not_input(const char *what);
/*
 * The source of a declared graph; complete when a YAML file has sql:
 * (it declares privileges and every kind, as SQL does).
 */
json_t *zn_declared_source(const char *path, int complete);
/*
 * Reads a stored graph (path, "-" for stdin), validates header, records,
 * trailer and hash; dies with status 65 on any fault.
 */
void zn_graph_read(struct zn_graph *g, const char *path);
/* The same from text (malloc'd, len bytes, taken), named name in errors. */
void zn_graph_read_text(struct zn_graph *g, const char *name, char *text,
    size_t len);
/*
 * Adds a record given as JSON (stolen): its unordered arrays are sorted
 * and it is written canonically.
 */
void zn_graph_add(struct zn_graph *g, json_t *rec);
/*
 * Adds a record already written canonically; line is stolen, the keys
 * are copied (NULL where the kind has none).
 */
void zn_graph_add_line(struct zn_graph *g, const char *kind,
    const char *schema, const char *table, const char *name,
    const char *args, char *line, size_t len);
/*
 * Lines added to g from now on are kept in an unlinked temporary file
 * ($TMPDIR, else /tmp) rather than in memory, only their sort keys
 * here: for a graph only
 * hashed, written (zn_graph_write, zn_graph_emit) or read back one
 * record at a time (zn_graph_get, zn_graph_line).  Where no temporary
 * file can be made the lines stay in memory.
 */
void zn_graph_spill(struct zn_graph *g);
/* Sorts the records into canonical order and computes the hash. */
void zn_graph_finish(struct zn_graph *g);
/*
 * Record i's line (len bytes, no newline): in the graph, or, when it was
 * spilled, read into tmp.  Valid until tmp is used again.
 */
const char *zn_graph_line(const struct zn_graph *g, size_t i,
    struct zn_buf *tmp);
/*
 * Header, records and trailer as JSON lines, handed to fn(arg, text,
 * length) a piece at a time; fn returns 0 on success, else the writing
 * stops and that value is returned.
 */
int zn_graph_emit(const struct zn_graph *g,
    int (*fn)(void *, const char *, size_t), void *arg);
/*
 * What is wrong with a graph record's shape (zn-records(5)), as a
 * message the caller frees; NULL when nothing is.
 */
char *zn_graph_badrec(const json_t *rec);
/* Record i parsed back, its shape checked: a new reference. */
json_t *zn_graph_get(const struct zn_graph *g, size_t i);
/* Writes header, records and trailer as JSON lines. */
void zn_graph_write(const struct zn_graph *g, FILE *fp);
void zn_graph_release(struct zn_graph *g);
/* Rank of a graph record kind in canonical order, or -1 if unknown. */
int zn_graph_kind_rank(const char *kind);
/*
 * The member that is part of a record's key beside its schema and name
 * ("table" of a trigger, "role" of default privileges), or NULL.
 */
const char *zn_graph_kind_sub(const char *kind);
const char *zn_graph_kind_name(int rank);
size_t zn_graph_differences(const struct zn_graph *a,
    const struct zn_graph *b, size_t max, struct zn_buf *out);
/*
 * The member of a record that is part of its identity after its name
 * (borrowed, or NULL): an operator class's or family's access method,
 * else its identity arguments (routines, operators), when it has them.
 */
const char *zn_graph_keyargs(const json_t *rec);

/*
 * ops: the registry of op kinds (ops.c), one row per kind: its name in
 * records, its family, whether it runs in a transaction, what it parks,
 * the postcondition that tells whether a step killed outside a
 * transaction finished, and how its reverse is made.  Adding a kind is
 * adding a row there and a member here.  Rows and names are static:
 * nothing returned here is freed.
 */
enum zn_opkind {
	ZN_OP_UNKNOWN,		/* a name this version does not know */
	ZN_OP_CREATE_EXTENSION, ZN_OP_DROP_EXTENSION, ZN_OP_ALTER_EXTENSION,
	ZN_OP_CREATE_SCHEMA, ZN_OP_DROP_SCHEMA, ZN_OP_SOFT_DROP_SCHEMA,
	ZN_OP_CREATE_ENUM, ZN_OP_DROP_ENUM, ZN_OP_RENAME_ENUM,
	ZN_OP_RENAME_ENUM_VALUE, ZN_OP_ADD_ENUM_VALUE, ZN_OP_REBUILD_ENUM,
	ZN_OP_SOFT_DROP_TYPE,
	ZN_OP_CREATE_DOMAIN, ZN_OP_DROP_DOMAIN, ZN_OP_ALTER_DOMAIN,
	ZN_OP_CREATE_TYPE, ZN_OP_DROP_TYPE, ZN_OP_ALTER_TYPE,
	ZN_OP_CREATE_COLLATION, ZN_OP_DROP_COLLATION,
	ZN_OP_SOFT_DROP_COLLATION,
	ZN_OP_CREATE_TEXT_SEARCH_DICTIONARY,
	ZN_OP_ALTER_TEXT_SEARCH_DICTIONARY, ZN_OP_DROP_TEXT_SEARCH_DICTIONARY,
	ZN_OP_SOFT_DROP_TEXT_SEARCH_DICTIONARY,
	ZN_OP_CREATE_TEXT_SEARCH_CONFIGURATION,
	ZN_OP_ALTER_TEXT_SEARCH_CONFIGURATION,
	ZN_OP_DROP_TEXT_SEARCH_CONFIGURATION,
	ZN_OP_SOFT_DROP_TEXT_SEARCH_CONFIGURATION,
	ZN_OP_CREATE_SEQUENCE, ZN_OP_DROP_SEQUENCE, ZN_OP_RENAME_SEQUENCE,
	ZN_OP_ALTER_SEQUENCE, ZN_OP_SOFT_DROP_SEQUENCE,
	ZN_OP_CREATE_TABLE, ZN_OP_DROP_TABLE, ZN_OP_SOFT_DROP_TABLE,
	ZN_OP_ARCHIVE_TABLE, ZN_OP_RENAME_TABLE, ZN_OP_ALTER_TABLE_PERSISTENCE,
	ZN_OP_ALTER_TABLE_OPTIONS, ZN_OP_ALTER_REPLICA_IDENTITY,
	ZN_OP_ALTER_TABLE_INHERIT, ZN_OP_ALTER_PARTITION_BOUND,
	ZN_OP_REBUILD_TABLE,
	ZN_OP_ADD_COLUMN, ZN_OP_ADD_GENERATED_COLUMN, ZN_OP_DROP_COLUMN,
	ZN_OP_SOFT_DROP_COLUMN, ZN_OP_ARCHIVE_COLUMN, ZN_OP_RENAME_COLUMN,
	ZN_OP_ALTER_COLUMN_TYPE, ZN_OP_ALTER_COLUMN_DEFAULT,
	ZN_OP_ALTER_COLUMN_NULLABLE, ZN_OP_ALTER_COLUMN_IDENTITY,
	ZN_OP_ALTER_COLUMN_SETTINGS,
	ZN_OP_ADD_INDEX, ZN_OP_DROP_INDEX, ZN_OP_RENAME_INDEX,
	ZN_OP_ADD_PRIMARY_KEY, ZN_OP_DROP_PRIMARY_KEY, ZN_OP_ADD_UNIQUE,
	ZN_OP_DROP_UNIQUE, ZN_OP_ADD_FOREIGN_KEY, ZN_OP_DROP_FOREIGN_KEY,
	ZN_OP_ADD_CHECK, ZN_OP_DROP_CHECK, ZN_OP_ADD_EXCLUSION,
	ZN_OP_DROP_EXCLUSION, ZN_OP_VALIDATE_CONSTRAINT,
	ZN_OP_RENAME_CONSTRAINT,
	ZN_OP_ENABLE_RLS, ZN_OP_DISABLE_RLS, ZN_OP_CREATE_POLICY,
	ZN_OP_DROP_POLICY,
	ZN_OP_CREATE_VIEW, ZN_OP_DROP_VIEW, ZN_OP_REPLACE_VIEW,
	ZN_OP_ALTER_VIEW_OPTIONS, ZN_OP_CREATE_MATERIALIZED_VIEW,
	ZN_OP_DROP_MATERIALIZED_VIEW, ZN_OP_REFRESH_MATERIALIZED_VIEW,
	ZN_OP_CREATE_FUNCTION, ZN_OP_DROP_FUNCTION, ZN_OP_REPLACE_FUNCTION,
	ZN_OP_CREATE_PROCEDURE, ZN_OP_DROP_PROCEDURE, ZN_OP_REPLACE_PROCEDURE,
	ZN_OP_SOFT_DROP_FUNCTION,
	ZN_OP_CREATE_AGGREGATE, ZN_OP_DROP_AGGREGATE, ZN_OP_REPLACE_AGGREGATE,
	ZN_OP_CREATE_TRIGGER, ZN_OP_DROP_TRIGGER, ZN_OP_ALTER_TRIGGER,
	ZN_OP_CREATE_RANGE_TYPE, ZN_OP_DROP_RANGE_TYPE,
	ZN_OP_CREATE_OPERATOR, ZN_OP_DROP_OPERATOR, ZN_OP_REPLACE_OPERATOR,
	ZN_OP_CREATE_OPERATOR_FAMILY, ZN_OP_ALTER_OPERATOR_FAMILY,
	ZN_OP_DROP_OPERATOR_FAMILY, ZN_OP_CREATE_OPERATOR_CLASS,
	ZN_OP_REPLACE_OPERATOR_CLASS, ZN_OP_DROP_OPERATOR_CLASS,
	ZN_OP_CREATE_STATISTICS, ZN_OP_DROP_STATISTICS,
	ZN_OP_REPLACE_STATISTICS,
	ZN_OP_CREATE_RULE, ZN_OP_DROP_RULE, ZN_OP_REPLACE_RULE,
	ZN_OP_CREATE_TEXT_SEARCH_PARSER, ZN_OP_DROP_TEXT_SEARCH_PARSER,
	ZN_OP_CREATE_TEXT_SEARCH_TEMPLATE, ZN_OP_DROP_TEXT_SEARCH_TEMPLATE,
	ZN_OP_CREATE_CAST, ZN_OP_DROP_CAST, ZN_OP_REPLACE_CAST,
	ZN_OP_CREATE_FOREIGN_DATA_WRAPPER, ZN_OP_DROP_FOREIGN_DATA_WRAPPER,
	ZN_OP_ALTER_FOREIGN_DATA_WRAPPER,
	ZN_OP_CREATE_SERVER, ZN_OP_DROP_SERVER, ZN_OP_ALTER_SERVER,
	ZN_OP_CREATE_USER_MAPPING, ZN_OP_DROP_USER_MAPPING,
	ZN_OP_ALTER_USER_MAPPING,
	ZN_OP_CREATE_PUBLICATION, ZN_OP_DROP_PUBLICATION,
	ZN_OP_REPLACE_PUBLICATION, ZN_OP_ALTER_PUBLICATION,
	ZN_OP_CREATE_EVENT_TRIGGER, ZN_OP_DROP_EVENT_TRIGGER,
	ZN_OP_REPLACE_EVENT_TRIGGER, ZN_OP_ALTER_EVENT_TRIGGER,
	ZN_OP_CREATE_FOREIGN_TABLE, ZN_OP_DROP_FOREIGN_TABLE,
	ZN_OP_REPLACE_FOREIGN_TABLE, ZN_OP_ALTER_FOREIGN_TABLE,
	ZN_OP_SET_COMMENT, ZN_OP_SET_PRIVILEGES, ZN_OP_SET_DEFAULT_PRIVILEGES,
	ZN_OP_BACKFILL, ZN_OP_SPLIT_COLUMN, ZN_OP_MERGE_COLUMNS,
	ZN_OP_RAW_SQL,
	ZN_OP_NKINDS		/* not a kind: the number of members */
};
/* What a kind acts on. */
enum zn_opfamily {
	ZN_FAM_EXTENSION, ZN_FAM_SCHEMA, ZN_FAM_TYPE, ZN_FAM_SEQUENCE,
	ZN_FAM_TABLE, ZN_FAM_COLUMN, ZN_FAM_INDEX, ZN_FAM_CONSTRAINT,
	ZN_FAM_POLICY, ZN_FAM_VIEW, ZN_FAM_ROUTINE, ZN_FAM_TRIGGER,
	ZN_FAM_COMMENT, ZN_FAM_PRIVILEGE, ZN_FAM_DATA, ZN_FAM_RAW
};
/*
 * Where zn-diff runs a kind: in a transaction, or outside one when it
 * is built CONCURRENTLY (on a table that exists and is not partitioned;
 * the op's "transactional" says which it is).  Ops read from a file say
 * it themselves, and default to a transaction.
 */
enum zn_optx { ZN_TX_INSIDE, ZN_TX_CONCURRENT };
/*
 * What shows that a step outside a transaction has finished, when a
 * killed run left it running: the index it builds is there and valid,
 * or the index it drops is gone (zn_op_index names the index).
 */
enum zn_opprobe { ZN_PROBE_NONE, ZN_PROBE_INDEX_VALID, ZN_PROBE_INDEX_GONE };
/* How zn-diff makes the kind's reverse. */
enum zn_oprev {
	ZN_REV_INVERSE,		/* the opposite change, to the old one */
	ZN_REV_RECREATE,	/* what it removes, from its old definition */
	ZN_REV_EMPTY,		/* made again without the data it held */
	ZN_REV_UNPARK,		/* what it parked, moved back */
	ZN_REV_RESTORE,		/* made again, its values copied back */
	ZN_REV_NONE,		/* nothing to undo */
	ZN_REV_GIVEN		/* only as written in the migration file */
};
struct zn_opdef {
	enum zn_opkind kind;
	const char *name;	/* as in records: "addColumn" */
	enum zn_opfamily family;
	enum zn_optx tx;
	/*
	 * A removal that keeps the data (softDrop*, archive*), and the
	 * artifact kind it records (zn-ledger(7)), or NULL for none.
	 */
	int keeps;
	const char *parks;
	enum zn_opprobe probe;
	enum zn_oprev reverse;
	int raw;		/* classified as raw SQL, statements alone */
};
struct zn_op;
/* The row of a kind name, or NULL for a name this version does not know. */
const struct zn_opdef *zn_op_lookup(const char *name);
/* The kind of a name: ZN_OP_UNKNOWN for NULL or an unknown name. */
enum zn_opkind zn_op_kind(const char *name);
/* The row of a kind, or NULL for ZN_OP_UNKNOWN and values out of range. */
const struct zn_opdef *zn_op_kinddef(enum zn_opkind kind);
/* A kind's name, or NULL as zn_op_kinddef. */
const char *zn_op_name(enum zn_opkind kind);
/* A family's name: "table", "column", ... */
const char *zn_op_family_name(enum zn_opfamily family);
/*
 * The row of an op: by its kind, or by its name when the kind is not set
 * (ZN_OP_UNKNOWN); NULL when the name is unknown too.
 */
const struct zn_opdef *zn_op_def(const struct zn_op *op);
/* The artifact kind an op records when it runs, or NULL. */
const char *zn_op_parks(const struct zn_op *op);
/*
 * The index a statement builds or drops CONCURRENTLY (CREATE [UNIQUE]
 * INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY), read from its SQL:
 * *schema is the table's schema for CREATE, the index's for DROP, public
 * when the statement does not qualify it.  Returns 1 and sets *create to
 * 1 for a build, 0 for a drop; returns 0 and sets both strings to NULL
 * when the statement is neither.  The caller frees *schema and *name.
 */
int zn_sql_index(const char *sql, char **schema, char **name, int *create);
/*
 * The index a step outside a transaction builds or drops: from the op's
 * args when zn-diff wrote them (schema, name, and built_as for an index
 * built under a temporary name to replace another), else from its first
 * statement (zn_sql_index), for ops written by hand.  Returns and sets
 * as zn_sql_index; 0 for a transactional op.  The caller frees *schema
 * and *name.  In plan.c, with the other accessors of a read op.
 */
int zn_op_index(const struct zn_op *op, char **schema, char **name,
    int *create);

/*
 * diff: two graphs into the ops that turn the first into the second
 * (zn-diff(1)).  Ops are ordered by phase and by the dependencies they
 * declare; each carries the SQL that runs and its reverse.
 */
enum zn_drop_policy { ZN_DROP_SOFT, ZN_DROP_ARCHIVE, ZN_DROP_DROP };
struct zn_diff_opts {
	enum zn_drop_policy drop;
	const json_t *renames;	/* extra hints, as in a graph header */
};
struct zn_op {
	char *op;		/* the op kind, e.g. "addColumn" */
	enum zn_opkind kind;	/* ZN_OP_UNKNOWN: a name not known */
	char *target;		/* schema.table[.column] as people read it */
	json_t *args;		/* what the op does, for later stages */
	json_t *sql, *reverse;	/* arrays of statements */
	int transactional;
	json_t *extra;		/* other members kept from a read stream */
	/*
	 * The op's line as read from a stream (canonical, in the plan's
	 * block), written back as it stands with the current risk spliced
	 * in over [riskat, riskend): the old risk member, or an empty span
	 * where one belongs.  Whoever changes anything of a read op but its
	 * risk sets raw to NULL.
	 */
	const char *raw;
	size_t rawlen, riskat, riskend;
	/*
	 * Where args, sql and reverse are in raw (offset, length; length
	 * 0 when absent): they are parsed when first asked for, through
	 * zn_op_args, zn_op_sql and zn_op_reverse, and dropped again with
	 * zn_op_unload.
	 */
	size_t lazy[3][2];
	/* The risk zn_classify gave, as canonical JSON text; or NULL. */
	char *risk;
	/* ordering, while planning */
	int phase;
	size_t seq;
	json_t *provides, *requires;
};
struct zn_plan {
	json_t *header;		/* the plan header record */
	json_t *migrations;	/* migration records read, or NULL */
	struct zn_op *ops;
	size_t n, cap;
	json_t *trailer;	/* the trailer record read, or NULL */
	char *block;		/* the stream read, when ops point into it */
};
void zn_diff(struct zn_plan *p, const struct zn_graph *from,
    const struct zn_graph *to, const struct zn_diff_opts *o);
/*
 * Graph g as a zn-schema(5) declaration (caller frees): p is the plan
 * from an empty database to g, fix (or NULL) the plan from what the
 * YAML alone materialises to g, whose SQL goes to sql.last; title, if
 * not NULL, names the source in the first comment.
 */
char *zn_pull_yaml(const struct zn_graph *g, const struct zn_plan *p,
    const struct zn_plan *fix, const char *title);
void zn_plan_release(struct zn_plan *p);
/* Frees what one op holds (zn_plan_release does it for each). */
void zn_op_release(struct zn_op *op);
/*
 * The op's risk as json_t (a new reference): the one zn_classify gave,
 * else the one read with it; NULL when it has none.
 */
json_t *zn_op_risk(const struct zn_op *op);
/*
 * An op's args (an object), sql and reverse (arrays of statements), read
 * from its line when first asked for: use these, not the members, for
 * an op that may have been read.  The op still owns them.
 */
/*
 * What must hold of a plan before anything runs it (zn-records(5)):
 * every op has SQL, each statement text and not empty, one statement
 * only when it runs outside a transaction, a reverse of text.  Dies
 * with exit 65 naming the step; name is the input's, for the message.
 */
void zn_plan_check(const struct zn_plan *p, const char *name);
json_t *zn_op_args(const struct zn_op *op);
json_t *zn_op_sql(const struct zn_op *op);
json_t *zn_op_reverse(const struct zn_op *op);
/* Drops what was read from a read op's line; asking again re-reads it. */
void zn_op_unload(struct zn_op *op);
/*
 * The op's statements as one script, each ended by ";\n": the text
 * zn-apply runs and sums (sql_sha256 in zn-ledger(7)).  Caller frees.
 */
char *zn_op_script(const struct zn_op *op);
/* The op record of step i (1-based), as written: a new reference. */
json_t *zn_plan_oprec(const struct zn_plan *p, size_t i,
    const char *migration);
/*
 * Writes the plan as an op stream: header, migration record when
 * migration is not NULL, ops, trailer with count and checksum.
 */
void zn_plan_write(const struct zn_plan *p, FILE *fp, const char *migration);
/* Writes the plan as a migration file (zn-records(5), MIGRATION FILES). */
void zn_plan_write_yaml(const struct zn_plan *p, FILE *fp, const char *id);
/*
 * Reads an op stream (a JSON-lines file or "-"), a migration file
 * (.yaml, .yml) or a directory of them, in name order.  A truncated or
 * damaged stream dies with status 65.
 */
void zn_plan_read(struct zn_plan *p, const char *path);
/* A plan of no ops (p zeroed): no migration files yet. */
void zn_plan_empty(struct zn_plan *p);
/*
 * sha256 of every step's script (zn_op_script), in order: what
 * zn-shadow's verdict is about (the trailer's shadow.sql_sha256).
 */
void zn_plan_sqlsum(const struct zn_plan *p, char out[ZN_SHA256_STRLEN]);
/*
 * Why a plan is not one zn-shadow verified as it stands (a sentence),
 * or NULL when it is: verified true, shadow verdict ok, and the digest
 * of its steps the one verified.
 */
const char *zn_plan_unverified(const struct zn_plan *p);
/* sha256 of the canonical records between header and trailer. */
void zn_plan_checksum(const struct zn_plan *p, const char *migration,
    char out[ZN_SHA256_STRLEN]);

/*
 * sqltok: SQL text as tokens, the way PostgreSQL's scanner splits it:
 * words, quoted identifiers, string and dollar-quoted literals, numbers,
 * operators and punctuation; comments and blanks are left out.
 */
enum zn_tk {
	ZN_TK_WORD, ZN_TK_QIDENT, ZN_TK_STRING, ZN_TK_NUMBER, ZN_TK_PARAM,
	ZN_TK_OP, ZN_TK_LPAREN, ZN_TK_RPAREN, ZN_TK_LBRACKET, ZN_TK_RBRACKET,
	ZN_TK_COMMA, ZN_TK_SEMI, ZN_TK_DOT, ZN_TK_BAD
};
struct zn_tok {
	enum zn_tk t;
	const char *s;		/* in the text; not NUL-terminated */
	size_t n;
};
struct zn_toks {
	struct zn_tok *v;
	size_t n, cap;
	int bad;		/* an unterminated literal or comment */
};
/* Appends the tokens of text (which must outlive them) to ts. */
void zn_sql_tokens(struct zn_toks *ts, const char *text);

/*
 * fixpoint: a server-rendered expression in the form the server renders
 * it once it is parsed again ((ARRAY[e])::t[] becomes ARRAY[(e)::t]);
 * NULL when the text is that form already.  The caller frees it.
 */
char *zn_sql_fixpoint(const char *s, size_t n);
void zn_sql_tokens_release(struct zn_toks *ts);
/*
 * The statements of sql that are not empty, split at its semicolons as
 * the server's scanner splits it.  *how (when not NULL) gets
 * ZN_SQL_OPEN when a literal or comment is left open, ZN_SQL_CONTROL
 * when a statement begins with a transaction's control word or COPY.
 */
enum { ZN_SQL_OPEN = 1, ZN_SQL_CONTROL = 2 };
size_t zn_sql_statements(const char *sql, int *how);
/* Whether t is the word w (ASCII case-insensitive). */
int zn_tok_is(const struct zn_tok *t, const char *w);
/*
 * The identifier t names, as the server folds it: a word in lower case,
 * a quoted identifier unquoted.  Caller frees.
 */
char *zn_tok_ident(const struct zn_tok *t);

/*
 * artifact: parked data's digest (artifact.c, zn-ledger(7)).  kind is
 * an artifact type; ps.pn the relation that holds the data, pc its
 * column for a column's; key the source table's key columns.  want is
 * the digest to compare with (its method is used) or NULL (the newest
 * method).  zn_artifact_method gives a digest's method, "h2" and the
 * like, or NULL when it has none.
 */
struct zn_artifact_sum {
	char *rows, *digest, *bytes;
};
int zn_artifact_has_rows(const char *kind);
const char *zn_artifact_method(const char *digest);
/* The digest's query, or NULL when the catalogs could not say (x). */
char *zn_artifact_digest_sql(PGconn *conn, const char *kind, const char *ps,
    const char *pn, const char *pc, const json_t *key, const char *method,
    struct zn_pgres *x);
int zn_artifact_digest(PGconn *conn, const char *kind, const char *ps,
    const char *pn, const char *pc, const json_t *key, const char *want,
    struct zn_artifact_sum *out, struct zn_pgres *x);
void zn_artifact_sum_release(struct zn_artifact_sum *s);
/*
 * The same for several artifacts at once without waiting: send sends
 * the n digest queries (zn_artifact_digest_sql) as one read-only
 * transaction, and recv collects them into out[0..n), returning how
 * many were taken before a failure (the rest are to be taken again).
 */
int zn_artifact_digest_send(PGconn *conn, char *const *sqls, size_t n);
size_t zn_artifact_digest_recv(PGconn *conn, size_t n,
    struct zn_artifact_sum *out);

/*
 * Where an artifact's data is and what that makes its status, in SQL
 * over a row "a" of _zanith_migration_artifacts (zn-ledger(7)).
 * ZN_ART_JOIN joins hc, the relation that holds it (by relid, else by
 * its parked name; NULL when neither is there), hn its schema and pa
 * its live parked column; ZN_ART_STATUS is the status they decide.
 * _zanith_artifact_holder() and _zanith_artifact_status() are made of
 * the same text; readers of many rows use the joins, which the planner
 * hashes, where a function per row costs a query per row.
 */
#define ZN_ART_JOIN \
    "LEFT JOIN pg_catalog.pg_class hr ON hr.oid = a.relid " \
    "LEFT JOIN (pg_catalog.pg_class hp JOIN pg_catalog.pg_namespace hpn " \
    "ON hpn.oid = hp.relnamespace) ON hr.oid IS NULL AND " \
    "hpn.nspname = a.park_schema AND hp.relname = a.park_name " \
    "LEFT JOIN pg_catalog.pg_class hc ON hc.oid = coalesce(hr.oid, hp.oid) " \
    "LEFT JOIN pg_catalog.pg_namespace hn ON hn.oid = hc.relnamespace " \
    "LEFT JOIN pg_catalog.pg_attribute pa ON pa.attrelid = hc.oid AND " \
    "pa.attname = a.park_column AND NOT pa.attisdropped "
#define ZN_ART_STATUS \
    "CASE WHEN a.status <> 'parked' THEN a.status " \
    "WHEN (a.kind IN ('soft_drop_column', 'archive_column', " \
    "'soft_drop_table', 'archive_table') OR (a.kind = 'rebuild_table' " \
    "AND a.park_name IS NOT NULL)) AND (hc.oid IS NULL OR " \
    "(a.kind LIKE '%table' AND hn.nspname <> '_zanith_archive' AND " \
    "hc.relname NOT LIKE '\\_zanith\\_dropped\\_%') OR " \
    "(a.park_column IS NOT NULL AND pa.attnum IS NULL)) THEN 'missing' " \
    "WHEN a.expires_at < pg_catalog.now() THEN 'expired' " \
    "ELSE 'parked' END"

/*
 * ledger: the tables of zn-ledger(7) in a schema (quoted wherever @
 * appears in the SQL of zn_ledger_sql), created or upgraded under the
 * migration lock, and the lock's key, derived from the schema.
 */
#define ZN_LEDGER_VERSION 2
/* The ledger's version in schema: 0 when there is none. */
int zn_ledger_version(PGconn *conn, const char *schema);
/* Creates or upgrades the ledger; a newer one dies with status 4. */
void zn_ledger_ensure(PGconn *conn, const char *schema);
/* text with @ replaced by the quoted schema; caller frees. */
char *zn_ledger_sql(const char *text, const char *schema);
long long zn_ledger_lock_key(const char *schema);

/*
 * The state of migrations, the one answer to "what does the ledger say
 * of these files" that zn-apply refuses by and zn-ledger reports:
 * zn_ledger_plan groups a plan's ops into its migrations (a plan with
 * no migration records is one ad hoc migration named by its sum) and
 * sums each step's script; zn_ledger_state reads the ledger (none yet:
 * everything pending) and decides each migration's state, with the
 * sentence that explains a problem.  Times are ISO 8601 in UTC when iso
 * is set, else "YYYY-MM-DD HH:MM:SS UTC".  The state borrows the plan's
 * strings: release it before the plan.
 */
enum zn_mstate { ZN_MS_APPLIED, ZN_MS_PENDING, ZN_MS_PARTLY, ZN_MS_FAILED,
	ZN_MS_INTERRUPTED, ZN_MS_REFUSED, ZN_MS_OUTOFORDER, ZN_MS_CHANGED,
	ZN_MS_GONE };
#define ZN_MS_COUNT (ZN_MS_GONE + 1)
struct zn_lstep {
	size_t mig;		/* index in m */
	int n;			/* 1-based within its migration */
	/* Of its statements, each ended by ";\n" (zn_op_script). */
	char sum[ZN_SHA256_STRLEN];
	int done;		/* a done attempt is recorded */
	char *donesum;		/* that attempt's sql_sha256, or NULL */
	long long running;	/* the last attempt, left running, or 0 */
	int runtx;		/* ... and whether it was transactional */
};
struct zn_mig {
	const char *id, *checksum;	/* borrowed from the plan */
	size_t first, n;		/* its steps in the plan */
	enum zn_mstate state;
	char *problem;		/* why it is changed or out of order */
	int applied, outoforder;
	char *applied_sum, *applied_at;
	char *applied_text;	/* applied_at for people, whatever iso says */
	int done;		/* steps done, when not applied */
	int ledger_steps;	/* the highest step the ledger has done */
	int last_step;		/* the first step not done that was tried */
	char *last_status, *last_why;
};
struct zn_gone {
	char *id, *applied_at;	/* applied, and in no file */
};
struct zn_lstate {
	struct zn_mig *m;
	size_t nm;
	struct zn_lstep *s;	/* one per op of the plan */
	struct zn_gone *gone;
	size_t ngone;
	char *maxid;		/* the newest applied id, or NULL */
	char *adhoc;		/* the id of a plan without migrations */
};
/*
 * An op stream with no migration records (zn-diff | zn-apply) is an ad
 * hoc plan: its id is ZN_ADHOC_PREFIX and the start of the sum of its
 * ops, and it takes no part in the order or the status of the files.
 * A migration file may not take an id with that prefix.
 */
#define ZN_ADHOC_PREFIX "plan_"
/*
 * Of step attempts s (zn_ledger_sql text): those that still count.  A
 * migration taken down (zn down) or resolved as rolled back
 * (zn-ledger resolve) starts again: the event says through which
 * attempt its steps were undone (zn-ledger(7)).
 */
#define ZN_LIVE_ATTEMPT "s.attempt_id > coalesce((SELECT " \
	"max((e.detail->>'through_attempt')::bigint) FROM @._zanith_events e " \
	"WHERE e.migration_id = s.migration_id AND e.kind IN ('down', " \
	"'resolve')), 0)"
int zn_ledger_adhoc(const char *id);
void zn_ledger_plan(struct zn_lstate *st, const struct zn_plan *p);
void zn_ledger_state(PGconn *conn, const char *schema, struct zn_lstate *st,
    const struct zn_plan *p, int iso);
void zn_lstate_release(struct zn_lstate *st, const struct zn_plan *p);
const char *zn_mstate_name(enum zn_mstate s);
/*
 * Drift: the live graph now against the newest after snapshot in the
 * ledger of schema, as the ops (into *d) that turn the one into the
 * other, less those an artifact restored since explains: a table or
 * column zn-artifact brought back is a change on record, not one made
 * outside zanith.  Returns how many; 0, and *d empty, without a ledger
 * or a snapshot.  *since (caller frees, or NULL) is the migration whose
 * snapshot it compared with.
 */
size_t zn_ledger_drift(PGconn *conn, const char *schema,
    const struct zn_graph *now, struct zn_plan *d, char **since);

/*
 * time: a monotonic clock in milliseconds, and a sleep that a signal
 * cuts short once *stop (when not NULL) is set.
 */
double zn_now_ms(void);
void zn_sleep_ms(long ms, volatile sig_atomic_t *stop);

/*
 * lock: the migration lock, a session advisory lock keyed by the ledger
 * schema on a direct connection (zn-apply(1), LOCKING).
 */
struct zn_lock {
	PGconn *conn;		/* borrowed */
	const char *schema;	/* borrowed */
	long long key;
	char keytext[32];
	int held;
};
void zn_lock_init(struct zn_lock *l, PGconn *conn, const char *schema);
/*
 * Polls for the lock with backoff up to wait_ms; dies with status 3
 * naming the holder when it stays held, and exits 130 once *stop is set.
 */
void zn_lock_take(struct zn_lock *l, long wait_ms,
    volatile sig_atomic_t *stop);
/* Lets it go when held; warns when the server says it was not. */
void zn_lock_release(struct zn_lock *l);
/*
 * Dies with status 2 when conn goes through a transaction-mode pooler,
 * naming prog in the advice.  Opens a second session to conninfo for a
 * moment to tell.
 */
void zn_lock_nopooler(PGconn *conn, const char *conninfo,
    const char *prog);

/*
 * apply: the engine that runs a plan's steps against a database, each
 * step audited in the ledger in the same transaction as its DDL, under
 * the migration lock (zn-apply(1)).  The caller fills the options after
 * zn_apply_init, hands the plan to zn_apply_prepare (usage errors die
 * there, before anything connects), connects, and calls zn_apply_run,
 * which returns the exit status; what happens is reported through the
 * callbacks.  zn_apply_release frees what the run holds (not conn, not
 * the plan).
 */
struct zn_apply_event {
	const char *migration;
	int step;		/* 1-based within its migration */
	size_t plan_step;	/* 1-based within the plan */
	const char *op, *target;
	/* done, skipped, would run, failed, interrupted, refused */
	const char *status;
	const char *level;	/* the risk level, or NULL */
	double ms;		/* elapsed, or -1 */
	const char *detail;	/* an error or a reason, or NULL */
	const char *sql;	/* the step's script */
	const char *sqlstate;	/* of a failed step's error, or NULL */
};
struct zn_apply {
	/* options: zn_apply_init sets the defaults */
	PGconn *conn;		/* the lock, the steps and the ledger */
	const char *conninfo;	/* for a second connection that watches */
	const char *mondb;	/* ... to this database, when not NULL */
	const char *schema;	/* the ledger's ("public") */
	const struct zn_snapshot_opts *snap;	/* what graphs cover */
	long lockwait;		/* ms, for the lock and the schema read */
	long locktimeout;	/* a step's lock_timeout when the plan has none */
	long stmttimeout;	/* 0: none */
	int retries, atomic, allowooo, dry;
	int allow_unmodelled;	/* act beside objects the graph cannot see */
	/*
	 * A rehearsal on a throwaway database (zn-shadow(1)): no migration
	 * lock, no ledger, no snapshots kept; each step is watched and what
	 * it did handed to observed (i: 0-based in the plan; facts: a new
	 * reference the callee takes): "locks" held on relations that were
	 * there before it, "rewrites", "scans", "index_builds", "work",
	 * "elapsed_ms", and "sampled" for a step outside a transaction,
	 * whose locks are sampled from another session.
	 */
	int shadow;
	int prepared;		/* the ledger's step statements, this session */
	void (*observed)(void *arg, size_t i, json_t *facts);
	/* Refuse (status 1, recorded) a plan zn-shadow did not verify. */
	int require_verified;
	long retention_days;	/* an artifact's life before it expires (30) */
	int quiet;		/* no notes on stderr but errors */
	long maxsteps;		/* -1: all */
	const char *to;		/* stop after this migration, or NULL */
	/*
	 * A down run (zn down): the applied migrations, comma-separated,
	 * whose changes this plan undoes.  With the plan's last step, each
	 * one's row leaves _zanith_migrations for a "down" event, and the
	 * plan is recorded as plan_down_<run>.  NULL for other runs.
	 */
	const char *reverts;
	char downid[64];
	volatile sig_atomic_t *stop;	/* set by a signal handler */
	void (*event)(void *arg, const struct zn_apply_event *e);
	/* a migration's state, for a dry run, before its steps */
	void (*mstate)(void *arg, const struct zn_mig *m);
	void *arg;
	/* test builds: called at each fault point (zn-apply(1), ZN_FAULT) */
	void (*fault)(struct zn_apply *a, const char *point, int nth,
	    const char *sql);
	/* the run's */
	struct zn_plan *p;	/* borrowed */
	struct zn_lstate st;
	struct zn_lock lock;
	PGconn *mon;
	char runid[40];
	char host[256];
	int ran, skipped, failed;
	double elapsed_ms;
	char failstate[6];	/* the SQLSTATE of the failure being told */
	json_t *relmap;		/* shadow: relation OID -> relfilenode */
	json_t *sampling;	/* shadow: the locks a step is seen holding */
	json_t *scans0;		/* shadow: scans counted before the step */
	json_t *measure;	/* artifact ids whose rows are still to count */
	/*
	 * The schema read that checked the plan's from_hash, under the
	 * lock: the first migration's before snapshot, unless something
	 * else reads the schema first.
	 */
	struct zn_graph *checked;
	json_t *digesting;	/* artifact ids whose digests are under way */
	/*
	 * The next step, begun with the last one's COMMIT: its attempt
	 * row written in that transaction, its BEGIN and settings after
	 * it (or why they failed, premsg); NULL when none is.
	 */
	const struct zn_lstep *pres;
	long long preid;
	char *premsg;
};
/* The rank of a lock mode, weakest 1 to strongest 8, by pg_locks' name
 * (AccessShareLock) or SQL's (ACCESS SHARE); 0 for neither (risk.c). */
int zn_lock_rank(const char *mode);
/* SQL's name of the lock mode of rank 1 to 8; "" for any other. */
const char *zn_lock_name(int rank);
void zn_apply_init(struct zn_apply *a);
void zn_apply_prepare(struct zn_apply *a, struct zn_plan *p);
int zn_apply_run(struct zn_apply *a);
void zn_apply_release(struct zn_apply *a);

/*
 * reasons: the words of risk (reasons.c, zn-classify(1)): the reason
 * codes with their default scores, the levels, and the check of an op's
 * suppressions, shared by the plan readers and zn-classify.  Names and
 * texts are static.
 */
enum zn_code {
	ZN_RC_DROPS_TABLE, ZN_RC_DROPS_COLUMN, ZN_RC_NARROWS,
	ZN_RC_DROPS_OBJECT, ZN_RC_DROPS_CONSTRAINT, ZN_RC_RENAME_TABLE,
	ZN_RC_RENAME_COLUMN, ZN_RC_BREAKS, ZN_RC_REBUILDS,
	ZN_RC_CHANGES_TYPE, ZN_RC_NOT_NULL, ZN_RC_VALIDATES,
	ZN_RC_ADDS_INDEX, ZN_RC_DROPS_INDEX, ZN_RC_ADDS_UNIQUE,
	ZN_RC_ADDS_FK, ZN_RC_REQUIRED, ZN_RC_AE_LOCK, ZN_RC_NONTX,
	ZN_RC_HOLDS, ZN_RC_BACKFILL, ZN_RC_RLS, ZN_RC_RAW
};
#define ZN_NCODES 23
/* Code i (0-based): its name, its default score and what it means. */
const char *zn_risk_code_name(int i);
int zn_risk_code_score(int i);
const char *zn_risk_code_text(int i);
/* Index of a code by name, or -1. */
int zn_risk_code(const char *name);
/*
 * The other names --fail-on, --allow and suppressions take (zn-classify(1),
 * ALIASES): whether name is a code or an alias, and whether alias name
 * covers code (-1: the op raises none it names) on an op of kind op.
 */
int zn_risk_known(const char *name);
/*
 * A level's name as a budget: the highest score of its band ("medium":
 * 47; "blocked", the product's name for critical: 100), or -1.
 */
int zn_level_budget(const char *name);
int zn_risk_alias_covers(const char *name, const char *op, const json_t *args,
    int code);
void zn_risk_aliases(FILE *fp);
enum zn_level { ZN_SAFE, ZN_LOW, ZN_MEDIUM, ZN_HIGH, ZN_DESTRUCTIVE,
	ZN_CRITICAL };
const char *zn_level_name(int level);
int zn_level_of(int score);
/*
 * Checks an op's "suppress" member: an object mapping reason codes to
 * why each is accepted, as text that is not blank.  Returns NULL when it
 * is good; else a new message for the caller to place (file:line:col,
 * or the step) and free, with *key set to the code it is about
 * (borrowed from sup), or to NULL when it is about the whole member.
 */
char *zn_suppress_check(const json_t *sup, const char **key);

/*
 * risk: zn-classify's rule set (zn-classify(1)).  Every op gets facts
 * (locks, work, data loss, what may fail, transaction shape, size),
 * reason codes from the facts, a score 0-100 and a level; then the
 * gates decide the verdict.
 */
struct zn_risk_opts {
	long server_version;	/* 0: the connection's, the plan's, or 15 */
	int max_risk;		/* -1: no budget */
	int allow_destructive;
	char **fail_on;		/* codes; NULL-terminated or NULL */
	char **allow;		/* allow-list mode when not NULL */
	long lock_timeout_ms;	/* what generated steps run with */
	long max_lock_timeout_ms;
	long probe_timeout_ms;
	int preflight;		/* run the data probes (needs conn) */
	double small_rows, large_rows, large_bytes;
	PGconn *conn;		/* the live database, or NULL */
	const char *stats_path;	/* CSV schema,table,rows,bytes, or NULL */
};
void zn_risk_opts_init(struct zn_risk_opts *o);
/*
 * Classifies every op of p: sets "risk" on each op record and the
 * verdict and totals on the trailer.  Returns 1 when a gate refuses.
 * A malformed suppression or stats file dies with status 65.
 */
int zn_classify(struct zn_plan *p, const struct zn_risk_opts *o);

#endif /* ZN_H */
