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
		    "table|canon ...\n");
		return 64;
	}
	zn_buf_release(&b);
	return zn_finish(0);
}
