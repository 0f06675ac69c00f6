/* SPDX-License-Identifier: ISC */
/*
 * libcheck: runs single libzn functions from the shell so the test suite
 * can hold them against the real server.
 *   libcheck ident NAME          zn_pg_ident
 *   libcheck literal TEXT        zn_pg_literal
 *   libcheck redact MSG CONNINFO zn_pg_redact
 *   libcheck sha256 FILE         zn_sha256 of a file's bytes
 *   libcheck table               aligned rows from stdin (tab-separated)
 *   libcheck canon               per line of stdin: "canonical" when
 *                                zn_jscan_canon takes it (and what it
 *                                builds writes back to the same bytes),
 *                                else "other"
 *   libcheck apply CONNINFO PLAN [reverse]
 *                                runs a plan's ops (or their reverses,
 *                                last op first) as zn-apply will: each
 *                                transactional op in one transaction,
 *                                each other statement on its own
 *   libcheck ops [NAME...]       the op kind registry, one row a line,
 *                                each checked to round-trip name ->
 *                                kind -> name; then each NAME: its
 *                                kind's name, or "unknown"
 *   libcheck suppress JSON       zn_suppress_check: "ok", or the code
 *                                it is about ("-" for the whole) and
 *                                the message
 *   libcheck opindex PLAN        per op outside a transaction, the
 *                                index zn_op_index names, and the one
 *                                zn_sql_index reads from its SQL
 *   libcheck statements          per line of stdin: zn_sql_statements'
 *                                count, then "open" and "control" when
 *                                it says so
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zn.h"

static void
run(PGconn *conn, const struct zn_op *op, const json_t *stmts)
{
	const json_t *v;
	size_t i;

	if (op->transactional)
		zn_pg_cmd(conn, "begin", "BEGIN");
	json_array_foreach(stmts, i, v) {
		PGresult *r = PQexec(conn, json_string_value(v));

		if (PQresultStatus(r) != PGRES_COMMAND_OK &&
		    PQresultStatus(r) != PGRES_TUPLES_OK) {
			fprintf(stderr, "libcheck: step %s (%s) failed: %s"
			    "statement: %s\n", op->target, op->op,
			    PQerrorMessage(conn), json_string_value(v));
			exit(1);
		}
		PQclear(r);
	}
	if (op->transactional)
		zn_pg_cmd(conn, "commit", "COMMIT");
}

static void
apply(const char *conninfo, const char *path, int reverse)
{
	struct zn_plan p;
	PGconn *conn = zn_pg_connect(conninfo);
	size_t i;

	zn_plan_read(&p, path);
	/* The ops run as psql would run them: the default search path. */
	zn_pg_cmd(conn, "reset search_path", "RESET search_path");
	for (i = 0; i < p.n; i++) {
		const struct zn_op *op = &p.ops[reverse ? p.n - 1 - i : i];

		run(conn, op, reverse ? zn_op_reverse(op) : zn_op_sql(op));
	}
	zn_plan_release(&p);
	PQfinish(conn);
}

static const char *const txname[] = { "inside", "concurrent" };
static const char *const probename[] = { "none", "index_valid",
    "index_gone" };
static const char *const revname[] = { "inverse", "recreate", "empty",
    "unpark", "restore", "none", "given" };

/* Every row must round-trip; exits 1 on the first that does not. */
static void
ops(char **names)
{
	const struct zn_opdef *d;
	int k, bad = 0;

	if (zn_op_name(ZN_OP_UNKNOWN) != NULL ||
	    zn_op_kinddef(ZN_OP_UNKNOWN) != NULL ||
	    zn_op_name(ZN_OP_NKINDS) != NULL ||
	    zn_op_kinddef((enum zn_opkind)-1) != NULL ||
	    zn_op_lookup(NULL) != NULL || zn_op_kind(NULL) != ZN_OP_UNKNOWN) {
		fprintf(stderr, "libcheck: ZN_OP_UNKNOWN or a value out of "
		    "range has a row\n");
		bad = 1;
	}
	for (k = ZN_OP_UNKNOWN + 1; k < ZN_OP_NKINDS; k++) {
		d = zn_op_kinddef((enum zn_opkind)k);
		if (d == NULL || d->name == NULL || (int)d->kind != k ||
		    zn_op_lookup(d->name) != d ||
		    (int)zn_op_kind(d->name) != k ||
		    strcmp(zn_op_name((enum zn_opkind)k), d->name) != 0 ||
		    zn_op_family_name(d->family) == NULL ||
		    (d->parks != NULL && !d->keeps)) {
			fprintf(stderr, "libcheck: kind %d (%s) does not "
			    "round-trip\n", k, d != NULL && d->name != NULL ?
			    d->name : "no name");
			bad = 1;
			continue;
		}
		printf("%s %s %s %s %s %s%s\n", d->name,
		    zn_op_family_name(d->family), txname[d->tx],
		    d->parks != NULL ? d->parks : d->keeps ? "keeps" : "-",
		    probename[d->probe], revname[d->reverse],
		    d->raw ? " raw" : "");
	}
	for (; *names != NULL; names++)
		printf("%s -> %s\n", *names, zn_op_lookup(*names) != NULL ?
		    zn_op_name(zn_op_kind(*names)) : "unknown");
	if (bad)
		exit(1);
}

/* zn_op_index against zn_sql_index, for every op outside a transaction. */
static void
opindex(const char *path)
{
	struct zn_plan p;
	char *s1, *n1, *s2, *n2;
	int c1 = -1, c2 = -1, r1, r2;
	size_t i;

	zn_plan_read(&p, path);
	for (i = 0; i < p.n; i++) {
		const struct zn_op *op = &p.ops[i];

		if (op->transactional)
			continue;
		r1 = zn_op_index(op, &s1, &n1, &c1);
		r2 = zn_sql_index(json_string_value(json_array_get(
		    zn_op_sql(op), 0)), &s2, &n2, &c2);
		printf("%zu %s op:%s%s%s%s sql:%s%s%s%s\n", i + 1, op->op,
		    r1 ? (c1 ? "create " : "drop ") : "none", r1 ? s1 : "",
		    r1 ? "." : "", r1 ? n1 : "",
		    r2 ? (c2 ? "create " : "drop ") : "none", r2 ? s2 : "",
		    r2 ? "." : "", r2 ? n2 : "");
		free(s1);
		free(n1);
		free(s2);
		free(n2);
	}
	zn_plan_release(&p);
}

/* zn_jscan_canon on each line; what it takes must write back the same. */
static void
canon(void)
{
	struct zn_buf tmp = ZN_BUF_INIT, out = ZN_BUF_INIT;
	struct zn_jscan s;
	struct zn_jw w;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	json_t *v;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		s.p = (const unsigned char *)line;
		s.e = s.p + n;
		s.uesc = 0;
		v = zn_jscan_canon(&s, &tmp);
		if (v == NULL || s.p != s.e) {
			puts("other");
			json_decref(v);
			continue;
		}
		zn_buf_reset(&out);
		zn_jw_init(&w, &out);
		zn_jw_json(&w, v);
		json_decref(v);
		if (out.len != (size_t)n || memcmp(out.buf, line, out.len) != 0)
			printf("MISMATCH %s\n", out.buf);
		else
			puts("canonical");
	}
	free(line);
	zn_buf_release(&tmp);
	zn_buf_release(&out);
}

int
main(int argc, char *argv[])
{
	struct zn_buf b = ZN_BUF_INIT;
	char sum[ZN_SHA256_STRLEN], chunk[4096], *s, *line = NULL, *tab;
	struct zn_table *t;
	size_t n, cap = 0;
	FILE *fp;

	zn_init(argv[0]);
	if (argc == 3 && strcmp(argv[1], "ident") == 0) {
		zn_pg_ident(&b, argv[2]);
		puts(b.buf);
	} else if (argc == 3 && strcmp(argv[1], "fixpoint") == 0) {
		s = zn_sql_fixpoint(argv[2], strlen(argv[2]));
		puts(s != NULL ? s : argv[2]);
		free(s);
	} else if (argc == 3 && strcmp(argv[1], "literal") == 0) {
		zn_pg_literal(&b, argv[2]);
		puts(b.buf);
	} else if (argc == 4 && strcmp(argv[1], "redact") == 0) {
		s = zn_pg_redact(argv[2], argv[3]);
		puts(s);
		free(s);
	} else if (argc == 3 && strcmp(argv[1], "sha256") == 0) {
		if ((fp = fopen(argv[2], "rb")) == NULL)
			zn_die_errno(2, "cannot open '%s'", argv[2]);
		while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			zn_buf_add(&b, chunk, n);
		fclose(fp);
		zn_sha256(b.buf, b.len, sum);
		puts(sum);
	} else if ((argc == 4 || argc == 5) && strcmp(argv[1], "apply") == 0) {
		apply(argv[2], argv[3], argc == 5);
	} else if (argc >= 2 && strcmp(argv[1], "ops") == 0) {
		ops(argv + 2);
	} else if (argc == 3 && strcmp(argv[1], "suppress") == 0) {
		json_t *v = json_loads(argv[2], JSON_DECODE_ANY, NULL);
		const char *key;

		if (v == NULL)
			zn_die(65, "not JSON: %s", argv[2]);
		s = zn_suppress_check(v, &key);
		if (s == NULL)
			puts("ok");
		else
			printf("%s: %s\n", key != NULL ? key : "-", s);
		free(s);
		json_decref(v);
	} else if (argc == 3 && strcmp(argv[1], "opindex") == 0) {
		opindex(argv[2]);
	} else if (argc == 2 && strcmp(argv[1], "statements") == 0) {
		while (getline(&line, &cap, stdin) > 0) {
			int how;

			line[strcspn(line, "\n")] = '\0';
			n = zn_sql_statements(line, &how);
			printf("%zu%s%s\n", n, how & ZN_SQL_OPEN ? " open" : "",
			    how & ZN_SQL_CONTROL ? " control" : "");
		}
		free(line);
	} else if (argc == 2 && strcmp(argv[1], "canon") == 0) {
		canon();
	} else if (argc == 2 && strcmp(argv[1], "table") == 0) {
		t = zn_table_new(2);
		while (getline(&line, &cap, stdin) > 0) {
			line[strcspn(line, "\n")] = '\0';
			if ((tab = strchr(line, '\t')) == NULL)
				continue;
			*tab = '\0';
			zn_table_row(t, line, tab + 1);
		}
		zn_table_print(t, stdout);
		zn_table_free(t);
		free(line);
	} else {
		fprintf(stderr, "usage: libcheck ident|literal|redact|sha256|"
		    "table|canon|apply|ops|suppress|opindex|statements ...\n");
		return 64;
	}
	zn_buf_release(&b);
	return zn_finish(0);
}
