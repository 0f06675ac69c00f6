/* SPDX-License-Identifier: ISC */
/*
 * artifact.c: what zn-apply and zn-artifact share about parked data
 * (zn-artifact(1), zn-ledger(7)): which rows an artifact's digest
 * covers, and the digest itself.
 *
 * The digest is order-free and computed in one pass in constant memory:
 * the count of the rows and the sum of one 64-bit hash per row, summed
 * without overflow in numeric and folded with md5 into "h2:<32 hex
 * digits>".  A row's hash is its columns' hashes, each by the extended
 * hash function of the column's type (its default hash operator class,
 * as the catalogs say) with the column's position as the seed, text in
 * the "C" collation, combined with XOR; a NULL is minus its position.
 * Hashing the columns where the scan has them saves most of what
 * hashing the row as a record (hash_record_extended) costs over the
 * scan itself: 89 ms against 149 ms over a million rows, the count
 * alone 72 ms.  A row changed, added or
 * removed changes the count or the sum, but for one chance in 2^64.
 * Rows with a column whose type has no hash function are hashed as
 * their text under fixed settings instead ("t2:").  Digests of the
 * first form, "h1:" and "t1:" (the row as a record, and a second sum
 * with seed 7), are still checked as they were taken.
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

/*
 * The "h2" hash of a row of rel, t's columns (those named in cols, a
 * text[] literal, in that order, else all), into b: 1 when written, 0
 * when a column's type has no hash function, -1 on a failure (told in
 * x).
 */
#define HASHFN \
    "SELECT pg_catalog.quote_ident(a.attname), h.fn, a.attcollation <> 0 " \
    "FROM pg_catalog.pg_attribute a " \
    "CROSS JOIN LATERAL (WITH RECURSIVE d(t) AS (SELECT a.atttypid " \
    "UNION ALL SELECT y.typbasetype FROM pg_catalog.pg_type y " \
    "JOIN d ON y.oid = d.t WHERE y.typtype = 'd') SELECT d.t FROM d " \
    "JOIN pg_catalog.pg_type y ON y.oid = d.t WHERE y.typtype <> 'd') bt " \
    "JOIN pg_catalog.pg_type bty ON bty.oid = bt.t " \
    "CROSS JOIN LATERAL (SELECT coalesce((SELECT " \
    "pg_catalog.quote_ident(fn.nspname) || '.' || " \
    "pg_catalog.quote_ident(fp.proname) FROM pg_catalog.pg_opclass oc " \
    "JOIN pg_catalog.pg_am am ON am.oid = oc.opcmethod " \
    "AND am.amname = 'hash' JOIN pg_catalog.pg_amproc p ON " \
    "p.amprocfamily = oc.opcfamily AND p.amprocnum = 2 AND " \
    "p.amproclefttype = oc.opcintype AND p.amprocrighttype = " \
    "oc.opcintype JOIN pg_catalog.pg_proc fp ON fp.oid = p.amproc " \
    "JOIN pg_catalog.pg_namespace fn ON fn.oid = fp.pronamespace " \
    "WHERE oc.opcdefault AND (oc.opcintype = bt.t OR EXISTS (SELECT " \
    "FROM pg_catalog.pg_cast c WHERE c.castsource = bt.t AND " \
    "c.casttarget = oc.opcintype AND c.castmethod = 'b')) " \
    "ORDER BY oc.opcintype = bt.t DESC, oc.opcintype LIMIT 1), " \
    "CASE WHEN bty.typtype = 'e' THEN 'pg_catalog.hashenumextended' " \
    "WHEN bty.typtype = 'r' THEN 'pg_catalog.hash_range_extended' " \
    "WHEN bty.typtype = 'm' THEN 'pg_catalog.hash_multirange_extended' " \
    "WHEN bty.typtype = 'c' THEN 'pg_catalog.hash_record_extended' " \
    "WHEN bty.typelem <> 0 AND bty.typlen = -1 THEN " \
    "'pg_catalog.hash_array_extended' END) AS fn) h " \
    "WHERE a.attrelid = $1::pg_catalog.regclass AND a.attnum > 0 " \
    "AND NOT a.attisdropped AND ($2::text[] IS NULL OR " \
    "a.attname = ANY ($2::text[])) ORDER BY CASE WHEN $2::text[] IS NULL " \
    "THEN a.attnum ELSE pg_catalog.array_position($2::text[], " \
    "a.attname::text) END"

static int
rowhash2(PGconn *conn, struct zn_buf *b, const char *rel, const char *cols,
    struct zn_pgres *x)
{
	const char *params[2] = { rel, cols };
	int i;

	if (!zn_pg_try(conn, x, HASHFN, 2, params))
		return -1;
	for (i = 0; i < PQntuples(x->r); i++)
		if (PQgetisnull(x->r, i, 1)) {
			zn_pgres_clear(x);
			return 0;
		}
	zn_buf_adds(b, "(0::bigint");
	for (i = 0; i < PQntuples(x->r); i++) {
		zn_buf_addf(b, " # coalesce(%s(t.", PQgetvalue(x->r, i, 1));
		zn_buf_adds(b, PQgetvalue(x->r, i, 0));
		if (strcmp(PQgetvalue(x->r, i, 2), "t") == 0)
			zn_buf_adds(b, " COLLATE pg_catalog.\"C\"");
		zn_buf_addf(b, ", %d), %d)", i + 1, -(i + 1));
	}
	zn_buf_addch(b, ')');
	zn_pgres_clear(x);
	return 1;
}

char *
zn_artifact_digest_sql(PGconn *conn, const char *kind, const char *ps,
    const char *pn, const char *pc, const json_t *key, const char *method,
    struct zn_pgres *x)
{
	struct zn_buf b = ZN_BUF_INIT, rel = ZN_BUF_INIT, row = ZN_BUF_INIT;
	struct zn_buf lit = ZN_BUF_INIT, h2 = ZN_BUF_INIT;
	const json_t *k;
	size_t i;
	int col = iscolumnkind(kind) && pc != NULL;
	int soft = strcmp(kind, "soft_drop_column") == 0;

	memset(x, 0, sizeof(*x));
	zn_pg_ident(&rel, ps);
	zn_buf_addch(&rel, '.');
	zn_pg_ident(&rel, pn);
	if (strcmp(method, "h2") == 0) {
		struct zn_buf names = ZN_BUF_INIT;
		int r;

		if (soft && col) {
			zn_buf_addch(&names, '{');
			json_array_foreach(key, i, k) {
				zn_pg_array_add(&names, json_string_value(k));
			}
			zn_pg_array_add(&names, pc);
			zn_buf_addch(&names, '}');
		}
		r = rowhash2(conn, &h2, rel.buf, soft && col ? names.buf :
		    NULL, x);
		zn_buf_release(&names);
		if (r < 0) {
			zn_buf_release(&rel);
			zn_buf_release(&h2);
			return NULL;
		}
		if (r == 0)
			method = "t2";
	}
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
	if (strcmp(method, "h2") == 0)
		zn_buf_add(&b, h2.buf, h2.len);
	else
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
	zn_buf_release(&h2);
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
	if ((sql = zn_artifact_digest_sql(conn, kind, ps, pn, pc, key, method,
	    x)) == NULL)
		goto fail;
	ok = zn_pg_try(conn, x, sql, 0, NULL);
	free(sql);
	/* A type whose hash function fails (an array of points): text. */
	if (!ok && method[0] == 'h' && want == NULL &&
	    strcmp(x->state, "42883") == 0) {
		zn_pgres_clear(x);
		if (!zn_pg_try_script(conn, x, "ROLLBACK TO SAVEPOINT "
		    "zn_digest"))
			goto fail;
		zn_pgres_clear(x);
		method = "t2";
		if ((sql = zn_artifact_digest_sql(conn, kind, ps, pn, pc, key,
		    method, x)) == NULL)
			goto fail;
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

int
zn_artifact_digest_send(PGconn *conn, char *const *sqls, size_t n)
{
	struct zn_buf b = ZN_BUF_INIT;
	size_t i;
	int ok;

	zn_buf_adds(&b, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; "
	    FIXED);
	for (i = 0; i < n; i++) {
		zn_buf_adds(&b, "; ");
		zn_buf_adds(&b, sqls[i]);
	}
	zn_buf_adds(&b, "; COMMIT");
	ok = PQsendQuery(conn, b.buf) == 1;
	zn_buf_release(&b);
	return ok;
}

size_t
zn_artifact_digest_recv(PGconn *conn, size_t n, struct zn_artifact_sum *out)
{
	PGresult *r;
	size_t k = 0;
	int failed = 0;

	while ((r = PQgetResult(conn)) != NULL) {
		ExecStatusType st = PQresultStatus(r);

		if (st == PGRES_TUPLES_OK && !failed && k < n &&
		    PQntuples(r) == 1 && PQnfields(r) == 3) {
			out[k].rows = zn_xstrdup(PQgetvalue(r, 0, 0));
			out[k].digest = zn_xstrdup(PQgetvalue(r, 0, 1));
			out[k].bytes = zn_xstrdup(PQgetvalue(r, 0, 2));
			k++;
		} else if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
			failed = 1;
		PQclear(r);
	}
	if (failed || PQtransactionStatus(conn) != PQTRANS_IDLE) {
		r = PQexec(conn, "ROLLBACK");
		PQclear(r);
	}
	return k;
}

void
zn_artifact_sum_release(struct zn_artifact_sum *s)
{
	free(s->rows);
	free(s->digest);
	free(s->bytes);
	memset(s, 0, sizeof(*s));
}
