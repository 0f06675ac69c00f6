/* SPDX-License-Identifier: ISC */
/*
 * artifact.c: what zn-apply and zn-artifact share about parked data
 * (zn-artifact(1), zn-ledger(7)): which rows an artifact's digest
 * covers, and the digest itself.
 *
 * The digest is order-free and computed in one pass in constant memory:
 * the count of the rows and the sum of one 64-bit hash per row (the
 * row's own values through their types' hash functions), summed without
 * overflow in numeric and folded with md5 into "h2:<32 hex digits>".  A
 * row changed, added or removed changes the count or the sum (but for
 * one chance in 2^64).  Rows of a type without a hash function are
 * hashed as their text under fixed settings instead ("t2:").  Digests
 * of the first form, "h1:" and "t1:", which add a second sum of hashes
 * with seed 7, are still checked as they were taken.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "zn.h"

static int
iscolumnkind(const char *kind)
{
	size_t n = strlen(kind);

	return n > 7 && strcmp(kind + n - 7, "_column") == 0;
}

int
zn_artifact_has_rows(const char *kind)
{
	return kind != NULL && (strcmp(kind, "soft_drop_column") == 0 ||
	    strcmp(kind, "archive_column") == 0 ||
	    strcmp(kind, "soft_drop_table") == 0 ||
	    strcmp(kind, "archive_table") == 0 ||
	    strcmp(kind, "rebuild_table") == 0);
}

/* hash(ROW(...), seed) as SQL, by method: 'h' the types', 't' text's. */
static void
rowhash(struct zn_buf *b, int method, const char *row, int seed)
{
	if (method == 'h')
		zn_buf_addf(b, "pg_catalog.hash_record_extended(%s, %d)", row,
		    seed);
	else
		zn_buf_addf(b, "pg_catalog.hashtextextended((%s)::text, %d)",
		    row, seed);
}

/* The method of a digest: "h1", "t1", "h2" or "t2"; NULL for others. */
const char *
zn_artifact_method(const char *digest)
{
	static const char *const m[] = { "h1", "t1", "h2", "t2" };
	size_t i;

	for (i = 0; digest != NULL && i < sizeof(m) / sizeof(m[0]); i++)
		if (strncmp(digest, m[i], 2) == 0 && digest[2] == ':')
			return m[i];
	return NULL;
}

char *
zn_artifact_digest_sql(const char *kind, const char *ps, const char *pn,
    const char *pc, const json_t *key, const char *method)
{
	struct zn_buf b = ZN_BUF_INIT, rel = ZN_BUF_INIT, row = ZN_BUF_INIT;
	struct zn_buf lit = ZN_BUF_INIT;
	const json_t *k;
	size_t i;
	int col = iscolumnkind(kind) && pc != NULL;
	int soft = strcmp(kind, "soft_drop_column") == 0;

	zn_pg_ident(&rel, ps);
	zn_buf_addch(&rel, '.');
	zn_pg_ident(&rel, pn);
	/*
	 * A soft-dropped column's rows are its table's key and its value,
	 * where it has one: rows added since (NULL there) are not parked
	 * data.  An archive's and a table's rows are all of theirs.
	 */
	if (soft && col) {
		zn_buf_adds(&row, "ROW(");
		json_array_foreach(key, i, k) {
			zn_pg_ident(&row, json_string_value(k));
			zn_buf_adds(&row, ", ");
		}
		zn_pg_ident(&row, pc);
		zn_buf_addch(&row, ')');
	} else
		zn_buf_adds(&row, "t");
	zn_buf_adds(&b, "SELECT pg_catalog.count(*)::text, '");
	zn_buf_add(&b, method, 2);
	zn_buf_adds(&b, ":' || pg_catalog.md5(pg_catalog.count(*)::text || "
	    "':' || coalesce(pg_catalog.sum(");
	rowhash(&b, method[0], row.buf, 0);
	zn_buf_adds(&b, "), 0)::text");
	if (method[1] == '1') {
		zn_buf_adds(&b, " || ':' || coalesce(pg_catalog.sum(");
		rowhash(&b, method[0], row.buf, 7);
		zn_buf_adds(&b, "), 0)::text");
	}
	zn_buf_adds(&b, "), ");
	if (soft && col) {
		zn_buf_adds(&b, "coalesce(pg_catalog.sum(pg_catalog."
		    "pg_column_size(");
		zn_pg_ident(&b, pc);
		zn_buf_adds(&b, ")), 0)::text");
	} else {
		zn_pg_literal(&lit, rel.buf);
		zn_buf_adds(&b, "pg_catalog.pg_total_relation_size(");
		zn_buf_add(&b, lit.buf, lit.len);
		zn_buf_adds(&b, "::regclass)::text");
	}
	zn_buf_adds(&b, " FROM ");
	zn_buf_add(&b, rel.buf, rel.len);
	zn_buf_adds(&b, " t");
	if (soft && col) {
		zn_buf_adds(&b, " WHERE ");
		zn_pg_ident(&b, pc);
		zn_buf_adds(&b, " IS NOT NULL");
	}
	zn_buf_release(&rel);
	zn_buf_release(&row);
	zn_buf_release(&lit);
	return zn_buf_detach(&b);
}

/*
 * Settings that fix a row's text, for the "t1" method: a digest taken
 * under one session's settings must be the same under another's.
 */
#define FIXED "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; " \
    "SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 1; " \
    "SET LOCAL bytea_output = 'hex'; SET LOCAL lc_monetary = 'C'"

int
zn_artifact_digest(PGconn *conn, const char *kind, const char *ps,
    const char *pn, const char *pc, const json_t *key, const char *want,
    struct zn_artifact_sum *out, struct zn_pgres *x)
{
	const char *method = zn_artifact_method(want);
	char *sql;
	int ok;

	memset(out, 0, sizeof(*out));
	memset(x, 0, sizeof(*x));
	if (method == NULL)
		method = "h2";
	if (!zn_pg_try_script(conn, x, "BEGIN ISOLATION LEVEL REPEATABLE READ "
	    "READ ONLY; " FIXED "; SAVEPOINT zn_digest"))
		goto fail;
	zn_pgres_clear(x);
	sql = zn_artifact_digest_sql(kind, ps, pn, pc, key, method);
	ok = zn_pg_try(conn, x, sql, 0, NULL);
	free(sql);
	/* A type with no hash function: its text, then. */
	if (!ok && method[0] == 'h' && want == NULL &&
	    strcmp(x->state, "42883") == 0) {
		zn_pgres_clear(x);
		if (!zn_pg_try_script(conn, x, "ROLLBACK TO SAVEPOINT "
		    "zn_digest"))
			goto fail;
		zn_pgres_clear(x);
		method = "t2";
		sql = zn_artifact_digest_sql(kind, ps, pn, pc, key, method);
		ok = zn_pg_try(conn, x, sql, 0, NULL);
		free(sql);
	}
	if (!ok)
		goto fail;
	out->rows = zn_xstrdup(PQgetvalue(x->r, 0, 0));
	out->digest = zn_xstrdup(PQgetvalue(x->r, 0, 1));
	out->bytes = zn_xstrdup(PQgetvalue(x->r, 0, 2));
	zn_pgres_clear(x);
	if (!zn_pg_try_script(conn, x, "COMMIT"))
		goto fail;
	zn_pgres_clear(x);
	return 1;
fail:
	{
		PGresult *r = PQexec(conn, "ROLLBACK");

		PQclear(r);
	}
	zn_artifact_sum_release(out);
	return 0;
}

void
zn_artifact_sum_release(struct zn_artifact_sum *s)
{
	free(s->rows);
	free(s->digest);
	free(s->bytes);
	memset(s, 0, sizeof(*s));
}
