/* SPDX-License-Identifier: ISC */
/*
 * introspect.c: a live database read into a schema graph.  One
 * REPEATABLE READ, READ ONLY transaction and the same eleven set-based
 * catalog queries whatever the number of tables (pg_dump's approach
 * since PostgreSQL 15: per-catalog queries restricted by an array of
 * OIDs, merged here by OID).  All text is rendered by the server under
 * pg_dump's session settings, so the graph is the server's own words.
 *
 * Sequence numbers (start, increment, bounds, cache) are written as
 * decimal strings: they span 64 bits, and common JSON tools (jq 1.6,
 * JavaScript) round integers beyond 2^53.
 *
 * Never part of a graph: system schemas, the schema _zanith_archive,
 * objects whose name starts with _zanith_ (the tool's ledger and parked
 * tables), columns parked as _zanith_dropped_*, and extension members.
 */
#define _POSIX_C_SOURCE 200809L
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "zn.h"

/* Conditions shared by the queries. */
#define NOT_OURS(col) "pg_catalog.left(" col ", 8) <> '_zanith_'"
#define NOT_MEMBER(cls, oid) \
	"NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e " \
	"WHERE e.classid = '" cls "'::pg_catalog.regclass " \
	"AND e.objid = " oid " AND e.deptype = 'e')"
#define COMMENT(alias, cls, oid, sub) \
	"LEFT JOIN pg_catalog.pg_description " alias " ON " alias \
	".classoid = '" cls "'::pg_catalog.regclass AND " alias ".objoid = " \
	oid " AND " alias ".objsubid = " sub " "

static const char q_schemas[] =
    "SELECT n.oid, n.nspname, d.description "
    "FROM pg_catalog.pg_namespace n "
    COMMENT("d", "pg_catalog.pg_namespace", "n.oid", "0")
    "WHERE n.nspname <> 'information_schema' "
    "AND n.nspname !~ '^pg_' AND n.nspname <> '_zanith_archive' "
    "AND " NOT_MEMBER("pg_catalog.pg_namespace", "n.oid") " "
    "ORDER BY n.nspname";

static const char q_extensions[] =
    "SELECT x.extname, n.nspname, x.extversion, d.description "
    "FROM pg_catalog.pg_extension x "
    "JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace "
    COMMENT("d", "pg_catalog.pg_extension", "x.oid", "0")
    "WHERE x.extnamespace = ANY ($1::pg_catalog.oid[]) "
    "OR (n.nspname = 'pg_catalog' AND x.extname <> 'plpgsql')";

static const char q_enums[] =
    "SELECT n.nspname, t.typname, pg_catalog.to_json(ARRAY("
    "  SELECT e.enumlabel FROM pg_catalog.pg_enum e"
    "  WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)), "
    "d.description "
    "FROM pg_catalog.pg_type t "
    "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
    COMMENT("d", "pg_catalog.pg_type", "t.oid", "0")
    "WHERE t.typtype = 'e' AND t.typnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("t.typname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_type", "t.oid");

static const char q_sequences[] =
    "SELECT n.nspname, c.relname, "
    "pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, "
    "s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, "
    "o.nspname, o.relname, o.attname, d.description "
    "FROM pg_catalog.pg_class c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid "
    "LEFT JOIN LATERAL ("
    "  SELECT tn.nspname, tc.relname, a.attname"
    "  FROM pg_catalog.pg_depend dep"
    "  JOIN pg_catalog.pg_class tc ON tc.oid = dep.refobjid"
    "  JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace"
    "  JOIN pg_catalog.pg_attribute a ON a.attrelid = dep.refobjid"
    "   AND a.attnum = dep.refobjsubid"
    "  WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
    "  AND dep.objid = c.oid AND dep.deptype = 'a'"
    "  AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
    "  LIMIT 1) o ON true "
    COMMENT("d", "pg_catalog.pg_class", "c.oid", "0")
    "WHERE c.relkind = 'S' AND c.relnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("c.relname") " "
    "AND (o.relname IS NULL OR " NOT_OURS("o.relname") ") "
    "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i"
    "  WHERE i.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
    "  AND i.objid = c.oid AND i.deptype = 'i') "
    "AND " NOT_MEMBER("pg_catalog.pg_class", "c.oid");

enum { R_OID, R_SCHEMA, R_NAME, R_KIND, R_PERSIST, R_RLS, R_FORCE,
    R_OPTIONS, R_PARTKEY, R_BOUND, R_PARENTS, R_VIEWDEF, R_POPULATED,
    R_AM, R_TABLESPACE, R_REPLIDENT, R_COMMENT };
static const char q_relations[] =
    "SELECT c.oid, n.nspname, c.relname, c.relkind, c.relpersistence, "
    "c.relrowsecurity, c.relforcerowsecurity, "
    "pg_catalog.to_json(ARRAY(SELECT o FROM pg_catalog.unnest(c.reloptions)"
    "  o ORDER BY o)), "
    "CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END, "
    "CASE WHEN c.relispartition THEN "
    "  pg_catalog.pg_get_expr(c.relpartbound, c.oid) END, "
    "pg_catalog.to_json(ARRAY("
    "  SELECT pg_catalog.json_build_object('schema', pn.nspname,"
    "   'name', pc.relname)"
    "  FROM pg_catalog.pg_inherits h"
    "  JOIN pg_catalog.pg_class pc ON pc.oid = h.inhparent"
    "  JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace"
    "  WHERE h.inhrelid = c.oid ORDER BY h.inhseqno)), "
    "CASE WHEN c.relkind IN ('v', 'm') THEN "
    "  pg_catalog.pg_get_viewdef(c.oid, false) END, "
    "c.relispopulated, am.amname, ts.spcname, c.relreplident, "
    "d.description "
    "FROM pg_catalog.pg_class c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam "
    "LEFT JOIN pg_catalog.pg_tablespace ts ON ts.oid = c.reltablespace "
    COMMENT("d", "pg_catalog.pg_class", "c.oid", "0")
    "WHERE c.relkind IN ('r', 'p', 'v', 'm') "
    "AND c.relnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("c.relname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_class", "c.oid") " "
    "ORDER BY c.oid";

enum { C_REL, C_NAME, C_TYPE, C_NOTNULL, C_DEFAULT, C_IDENTITY,
    C_GENERATED, C_GENEXPR, C_COLLATION, C_INHERITED, C_COMMENT,
    C_SEQSCHEMA, C_SEQNAME, C_SEQSTART, C_SEQINC, C_SEQMIN, C_SEQMAX,
    C_SEQCACHE, C_SEQCYCLE };
static const char q_columns[] =
    "SELECT a.attrelid, a.attname, "
    "pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
    "CASE WHEN a.attgenerated = '' THEN "
    "  pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END, "
    "a.attidentity, a.attgenerated, "
    "CASE WHEN a.attgenerated <> '' THEN "
    "  pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END, "
    "CASE WHEN a.attcollation <> t.typcollation THEN "
    "  pg_catalog.quote_ident(cn.nspname) || '.' || "
    "  pg_catalog.quote_ident(co.collname) END, "
    "NOT a.attislocal, d.description, "
    "sn.nspname, sc.relname, s.seqstart, s.seqincrement, s.seqmin, "
    "s.seqmax, s.seqcache, s.seqcycle "
    "FROM pg_catalog.pg_attribute a "
    "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
    "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid "
    " AND ad.adnum = a.attnum "
    "LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation "
    "LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace "
    COMMENT("d", "pg_catalog.pg_class", "a.attrelid", "a.attnum")
    "LEFT JOIN pg_catalog.pg_depend dep ON a.attidentity <> '' "
    " AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
    " AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum "
    " AND dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
    " AND dep.deptype = 'i' "
    "LEFT JOIN pg_catalog.pg_class sc ON sc.oid = dep.objid "
    "LEFT JOIN pg_catalog.pg_namespace sn ON sn.oid = sc.relnamespace "
    "LEFT JOIN pg_catalog.pg_sequence s ON s.seqrelid = dep.objid "
    "WHERE a.attrelid = ANY ($1::pg_catalog.oid[]) AND a.attnum > 0 "
    "AND NOT a.attisdropped "
    "AND pg_catalog.left(a.attname, 16) <> '_zanith_dropped_' "
    "ORDER BY a.attrelid, a.attnum";

enum { K_REL, K_NAME, K_TYPE, K_DEF, K_DEFERRABLE, K_DEFERRED,
    K_VALIDATED, K_NOINHERIT, K_INHERITED, K_COLUMNS, K_FSCHEMA,
    K_FTABLE, K_FCOLUMNS, K_UPD, K_DEL, K_MATCH, K_EXPR, K_INCLUDE,
    K_NND, K_COMMENT };
static const char q_constraints[] =
    "SELECT co.conrelid, co.conname, co.contype, "
    "pg_catalog.pg_get_constraintdef(co.oid), co.condeferrable, "
    "co.condeferred, co.convalidated, co.connoinherit, NOT co.conislocal, "
    "pg_catalog.to_json(ARRAY(SELECT a.attname"
    "  FROM pg_catalog.unnest(co.conkey) WITH ORDINALITY k(n, i)"
    "  JOIN pg_catalog.pg_attribute a ON a.attrelid = co.conrelid"
    "   AND a.attnum = k.n ORDER BY k.i)), "
    "fn.nspname, fc.relname, "
    "pg_catalog.to_json(ARRAY(SELECT a.attname"
    "  FROM pg_catalog.unnest(co.confkey) WITH ORDINALITY k(n, i)"
    "  JOIN pg_catalog.pg_attribute a ON a.attrelid = co.confrelid"
    "   AND a.attnum = k.n ORDER BY k.i)), "
    "co.confupdtype, co.confdeltype, co.confmatchtype, "
    "CASE WHEN co.contype = 'c' THEN "
    "  pg_catalog.pg_get_expr(co.conbin, co.conrelid) END, "
    "pg_catalog.to_json(ARRAY(SELECT a.attname"
    "  FROM pg_catalog.pg_index i,"
    "  pg_catalog.generate_series(i.indnkeyatts, i.indnatts - 1) g(k)"
    "  JOIN pg_catalog.pg_attribute a ON true"
    "  WHERE i.indexrelid = co.conindid AND co.contype IN ('p', 'u')"
    "  AND a.attrelid = i.indrelid AND a.attnum = i.indkey[g.k]"
    "  ORDER BY g.k)), "
    "%s, d.description "
    "FROM pg_catalog.pg_constraint co "
    "LEFT JOIN pg_catalog.pg_class fc ON fc.oid = co.confrelid "
    "LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace "
    COMMENT("d", "pg_catalog.pg_constraint", "co.oid", "0")
    "WHERE co.conrelid = ANY ($1::pg_catalog.oid[]) "
    "AND co.contype IN ('p', 'u', 'c', 'f', 'x') AND co.conparentid = 0 "
    "ORDER BY co.conrelid, co.conname";

enum { I_REL, I_NAME, I_DEF, I_METHOD, I_UNIQUE, I_NND, I_VALID, I_KEYS,
    I_INCLUDE, I_PRED, I_OPTIONS, I_PARENT, I_COMMENT };
static const char q_indexes[] =
    "SELECT i.indrelid, ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid), "
    "am.amname, i.indisunique, %s, i.indisvalid, "
    "pg_catalog.to_json(ARRAY("
    "  SELECT pg_catalog.json_build_object("
    "   'column', CASE WHEN i.indkey[k.n - 1] <> 0 THEN a.attname END,"
    "   'expression', CASE WHEN i.indkey[k.n - 1] = 0 THEN"
    "    pg_catalog.pg_get_indexdef(i.indexrelid, k.n, false) END,"
    "   'opclass', pg_catalog.quote_ident(opn.nspname) || '.' ||"
    "    pg_catalog.quote_ident(opc.opcname),"
    "   'order', CASE WHEN NOT pg_catalog.pg_indexam_has_property(am.oid,"
    "    'can_order') THEN NULL WHEN (i.indoption[k.n - 1] & 1) <> 0"
    "    THEN 'desc' ELSE 'asc' END,"
    "   'nulls', CASE WHEN NOT pg_catalog.pg_indexam_has_property(am.oid,"
    "    'can_order') THEN NULL WHEN (i.indoption[k.n - 1] & 2) <> 0"
    "    THEN 'first' ELSE 'last' END)"
    "  FROM pg_catalog.generate_series(1, i.indnkeyatts) k(n)"
    "  LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid"
    "   AND a.attnum = i.indkey[k.n - 1]"
    "  JOIN pg_catalog.pg_opclass opc ON opc.oid = i.indclass[k.n - 1]"
    "  JOIN pg_catalog.pg_namespace opn ON opn.oid = opc.opcnamespace"
    "  ORDER BY k.n)), "
    "pg_catalog.to_json(ARRAY(SELECT a.attname"
    "  FROM pg_catalog.generate_series(i.indnkeyatts, i.indnatts - 1) g(k)"
    "  JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid"
    "   AND a.attnum = i.indkey[g.k] ORDER BY g.k)), "
    "pg_catalog.pg_get_expr(i.indpred, i.indrelid), "
    "pg_catalog.to_json(ARRAY(SELECT o"
    "  FROM pg_catalog.unnest(ic.reloptions) o ORDER BY o)), "
    "(SELECT pg_catalog.json_build_object('schema', pn.nspname,"
    "  'name', pc.relname)"
    "  FROM pg_catalog.pg_inherits h"
    "  JOIN pg_catalog.pg_class pc ON pc.oid = h.inhparent"
    "  JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace"
    "  WHERE h.inhrelid = i.indexrelid), "
    "d.description "
    "FROM pg_catalog.pg_index i "
    "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
    "JOIN pg_catalog.pg_am am ON am.oid = ic.relam "
    COMMENT("d", "pg_catalog.pg_class", "i.indexrelid", "0")
    "WHERE i.indrelid = ANY ($1::pg_catalog.oid[]) "
    "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint x"
    "  WHERE x.conindid = i.indexrelid AND x.conrelid = i.indrelid"
    "  AND x.contype IN ('p', 'u', 'x')) "
    "ORDER BY i.indrelid, ic.relname";

static const char q_policies[] =
    "SELECT p.polrelid, p.polname, p.polcmd, p.polpermissive, "
    "pg_catalog.to_json(CASE WHEN p.polroles = '{0}' "
    "  THEN ARRAY['public']::pg_catalog.name[]"
    "  ELSE ARRAY(SELECT r.rolname FROM pg_catalog.pg_roles r"
    "   WHERE r.oid = ANY (p.polroles) ORDER BY r.rolname) END), "
    "pg_catalog.pg_get_expr(p.polqual, p.polrelid), "
    "pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), d.description "
    "FROM pg_catalog.pg_policy p "
    COMMENT("d", "pg_catalog.pg_policy", "p.oid", "0")
    "WHERE p.polrelid = ANY ($1::pg_catalog.oid[]) "
    "ORDER BY p.polrelid, p.polname";

static const char q_functions[] =
    "SELECT n.nspname, p.proname, p.prokind, "
    "pg_catalog.pg_get_function_identity_arguments(p.oid), "
    "pg_catalog.pg_get_function_result(p.oid), l.lanname, "
    "pg_catalog.pg_get_functiondef(p.oid), d.description "
    "FROM pg_catalog.pg_proc p "
    "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
    "JOIN pg_catalog.pg_language l ON l.oid = p.prolang "
    COMMENT("d", "pg_catalog.pg_proc", "p.oid", "0")
    "WHERE p.pronamespace = ANY ($1::pg_catalog.oid[]) "
    "AND p.prokind IN ('f', 'p', 'w') AND " NOT_OURS("p.proname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_proc", "p.oid");

static const char q_triggers[] =
    "SELECT t.tgrelid, t.tgname, pg_catalog.pg_get_triggerdef(t.oid, false), "
    "t.tgenabled, d.description "
    "FROM pg_catalog.pg_trigger t "
    COMMENT("d", "pg_catalog.pg_trigger", "t.oid", "0")
    "WHERE t.tgrelid = ANY ($1::pg_catalog.oid[]) AND NOT t.tgisinternal"
    "%s";

/* One relation of the graph, found by OID while merging. */
struct rel {
	unsigned long oid;
	const char *schema, *name;	/* borrowed from the relation result */
	json_t *rec;			/* new; handed to the graph at the end */
};

struct ctx {
	PGconn *conn;
	int version;
	const char *nsparam;		/* the namespace OID array literal */
	char *relparam;			/* the relation OID array literal */
	struct rel *rels;
	size_t nrels;
	struct zn_graph *g;
};

/* json_pack that dies instead of returning NULL. */
static json_t *
pack(const char *fmt, ...)
{
	json_error_t err;
	json_t *v;
	va_list ap;

	va_start(ap, fmt);
	v = json_vpack_ex(&err, 0, fmt, ap);
	va_end(ap);
	if (v == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot build a record: %s",
		    err.text);
	return v;
}

static json_t *
text(const PGresult *r, int row, int col)
{
	json_t *v;

	if (PQgetisnull(r, row, col))
		return json_null();
	v = json_stringn(PQgetvalue(r, row, col),
	    (size_t)PQgetlength(r, row, col));
	if (v == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "the server sent text that is not "
		    "valid UTF-8");
	return v;
}

static json_t *
boolean(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return json_null();
	return json_boolean(PQgetvalue(r, row, col)[0] == 't');
}

/* A JSON value the server built (to_json), parsed. */
static json_t *
parsed(const PGresult *r, int row, int col)
{
	json_error_t err;
	json_t *v;

	if (PQgetisnull(r, row, col))
		return json_null();
	v = json_loadb(PQgetvalue(r, row, col),
	    (size_t)PQgetlength(r, row, col), JSON_DECODE_ANY, &err);
	if (v == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot read the server's JSON: "
		    "%s", err.text);
	return v;
}

static unsigned long
oidval(const PGresult *r, int row, int col)
{
	return strtoul(PQgetvalue(r, row, col), NULL, 10);
}

static int
cmprel(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = ((const struct rel *)b)->oid;

	return x < y ? -1 : x > y;
}

static struct rel *
findrel(const struct ctx *c, unsigned long oid)
{
	return bsearch(&oid, c->rels, c->nrels, sizeof(*c->rels), cmprel);
}

/* Appends v (stolen) to the array key of the relation's record. */
static void
append(struct rel *r, const char *key, json_t *v)
{
	json_array_append_new(json_object_get(r->rec, key), v);
}

static PGresult *
run(const struct ctx *c, const char *what, const char *sql,
    const char *param)
{
	const char *params[1];

	params[0] = param;
	return zn_pg_exec(c->conn, what, sql, param != NULL ? 1 : 0, params);
}

static int
matchany(const char *const *pats, const char *s)
{
	for (; pats != NULL && *pats != NULL; pats++)
		if (fnmatch(*pats, s, 0) == 0)
			return 1;
	return 0;
}

static char *
schemas(struct ctx *c, const struct zn_snapshot_opts *o)
{
	struct zn_buf arr = ZN_BUF_INIT;
	PGresult *r;
	int i;

	r = run(c, "read schemas", q_schemas, NULL);
	zn_buf_addch(&arr, '{');
	for (i = 0; i < PQntuples(r); i++) {
		const char *name = PQgetvalue(r, i, 1);

		if (o != NULL && o->schemas != NULL && *o->schemas != NULL &&
		    !matchany(o->schemas, name))
			continue;
		if (o != NULL && matchany(o->exclude_schemas, name))
			continue;
		if (arr.len > 1)
			zn_buf_addch(&arr, ',');
		zn_buf_adds(&arr, PQgetvalue(r, i, 0));
		zn_graph_add(c->g, pack("{s:s, s:o, s:o}",
		    "kind", "schema", "name", text(r, i, 1),
		    "comment", text(r, i, 2)));
	}
	zn_buf_addch(&arr, '}');
	PQclear(r);
	return zn_buf_detach(&arr);
}

static void
extensions(struct ctx *c)
{
	PGresult *r = run(c, "read extensions", q_extensions, c->nsparam);
	int i;

	for (i = 0; i < PQntuples(r); i++)
		zn_graph_add(c->g, pack("{s:s, s:o, s:o, s:o, s:o}",
		    "kind", "extension", "name", text(r, i, 0),
		    "schema", text(r, i, 1), "version", text(r, i, 2),
		    "comment", text(r, i, 3)));
	PQclear(r);
}

static void
enums(struct ctx *c)
{
	PGresult *r = run(c, "read enums", q_enums, c->nsparam);
	int i;

	for (i = 0; i < PQntuples(r); i++)
		zn_graph_add(c->g, pack("{s:s, s:o, s:o, s:o, s:o}",
		    "kind", "enum", "schema", text(r, i, 0),
		    "name", text(r, i, 1), "values", parsed(r, i, 2),
		    "comment", text(r, i, 3)));
	PQclear(r);
}

static void
sequences(struct ctx *c)
{
	PGresult *r = run(c, "read sequences", q_sequences, c->nsparam);
	json_t *owned;
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		owned = PQgetisnull(r, i, 10) ? json_null() :
		    pack("{s:o, s:o, s:o}", "schema", text(r, i, 9),
		    "table", text(r, i, 10), "column", text(r, i, 11));
		zn_graph_add(c->g, pack("{s:s, s:o, s:o, s:o, s:o, s:o, "
		    "s:o, s:o, s:o, s:o, s:o, s:o}",
		    "kind", "sequence", "schema", text(r, i, 0),
		    "name", text(r, i, 1), "type", text(r, i, 2),
		    "start", text(r, i, 3), "increment", text(r, i, 4),
		    "min", text(r, i, 5), "max", text(r, i, 6),
		    "cache", text(r, i, 7), "cycle", boolean(r, i, 8),
		    "owned_by", owned, "comment", text(r, i, 12)));
	}
	PQclear(r);
}

static const char *
persistence(char p)
{
	switch (p) {
	case 'u':
		return "unlogged";
	case 't':
		return "temporary";
	default:
		return "permanent";
	}
}

static const char *
replident(char p)
{
	switch (p) {
	case 'n':
		return "nothing";
	case 'f':
		return "full";
	case 'i':
		return "index";
	default:
		return "default";
	}
}

/*
 * Reads tables, views and materialized views.  Returns the result, which
 * must outlive the rel array (it borrows names from it).
 */
static PGresult *
relations(struct ctx *c)
{
	PGresult *r = run(c, "read tables and views", q_relations,
	    c->nsparam);
	struct zn_buf arr = ZN_BUF_INIT;
	json_t *rec, *parents, *part;
	struct rel *rel;
	char kind;
	int i;

	c->nrels = (size_t)PQntuples(r);
	c->rels = zn_xcalloc(c->nrels, sizeof(*c->rels));
	zn_buf_addch(&arr, '{');
	for (i = 0; i < PQntuples(r); i++) {
		rel = &c->rels[i];
		rel->oid = oidval(r, i, R_OID);
		rel->schema = PQgetvalue(r, i, R_SCHEMA);
		rel->name = PQgetvalue(r, i, R_NAME);
		if (i > 0)
			zn_buf_addch(&arr, ',');
		zn_buf_adds(&arr, PQgetvalue(r, i, R_OID));
		kind = PQgetvalue(r, i, R_KIND)[0];
		if (kind == 'v' || kind == 'm') {
			rec = pack("{s:s, s:o, s:o, s:o, s:o, s:[], s:o}",
			    "kind", kind == 'v' ? "view" :
			    "materialized_view", "schema",
			    text(r, i, R_SCHEMA), "name", text(r, i, R_NAME),
			    "definition", text(r, i, R_VIEWDEF),
			    "options", parsed(r, i, R_OPTIONS),
			    "columns", "comment", text(r, i, R_COMMENT));
			if (kind == 'm') {
				json_object_set_new(rec, "populated",
				    boolean(r, i, R_POPULATED));
				json_object_set_new(rec, "indexes",
				    json_array());
				json_object_set_new(rec, "access_method",
				    text(r, i, R_AM));
				json_object_set_new(rec, "tablespace",
				    text(r, i, R_TABLESPACE));
			}
			rel->rec = rec;
			continue;
		}
		parents = parsed(r, i, R_PARENTS);
		part = json_null();
		if (!PQgetisnull(r, i, R_BOUND)) {
			/* A partition has exactly one parent. */
			part = json_deep_copy(json_array_get(parents, 0));
			json_object_set_new(part, "bound",
			    text(r, i, R_BOUND));
			json_array_clear(parents);
		}
		rec = pack("{s:s, s:o, s:o, s:s, s:o, s:o, s:o, s:o, "
		    "s:o, s:o, s:s, s:o, s:o, s:{s:o, s:o}, s:[], s:o, "
		    "s:[], s:[], s:[], s:[], s:[]}",
		    "kind", "table", "schema", text(r, i, R_SCHEMA),
		    "name", text(r, i, R_NAME),
		    "persistence", persistence(PQgetvalue(r, i,
		    R_PERSIST)[0]),
		    "partition_key", text(r, i, R_PARTKEY),
		    "partition_of", part, "inherits", parents,
		    "options", parsed(r, i, R_OPTIONS),
		    "access_method", text(r, i, R_AM),
		    "tablespace", text(r, i, R_TABLESPACE),
		    "replica_identity", replident(PQgetvalue(r, i,
		    R_REPLIDENT)[0]),
		    "comment", text(r, i, R_COMMENT),
		    "primary_key", json_null(),
		    "rls", "enabled", boolean(r, i, R_RLS),
		    "forced", boolean(r, i, R_FORCE),
		    "columns", "checks", json_array(), "uniques",
		    "exclusions", "foreign_keys", "indexes", "policies");
		rel->rec = rec;
	}
	zn_buf_addch(&arr, '}');
	c->relparam = zn_buf_detach(&arr);
	return r;
}

static json_t *
identity(const PGresult *r, int i)
{
	const char *id = PQgetvalue(r, i, C_IDENTITY);

	if (*id == '\0')
		return json_null();
	return pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "generation", *id == 'a' ? "always" : "by default",
	    "sequence_schema", text(r, i, C_SEQSCHEMA),
	    "sequence", text(r, i, C_SEQNAME),
	    "start", text(r, i, C_SEQSTART),
	    "increment", text(r, i, C_SEQINC),
	    "min", text(r, i, C_SEQMIN), "max", text(r, i, C_SEQMAX),
	    "cache", text(r, i, C_SEQCACHE),
	    "cycle", boolean(r, i, C_SEQCYCLE));
}

static void
columns(struct ctx *c)
{
	PGresult *r = run(c, "read columns", q_columns, c->relparam);
	const char *gen, *kind;
	struct rel *rel;
	json_t *col, *g;
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		if ((rel = findrel(c, oidval(r, i, C_REL))) == NULL)
			continue;
		kind = zn_json_str(rel->rec, "kind");
		if (strcmp(kind, "table") != 0) {
			append(rel, "columns", pack("{s:o, s:o, s:o}",
			    "name", text(r, i, C_NAME),
			    "type", text(r, i, C_TYPE),
			    "comment", text(r, i, C_COMMENT)));
			continue;
		}
		gen = PQgetvalue(r, i, C_GENERATED);
		g = *gen == '\0' ? json_null() :
		    pack("{s:o, s:b}", "expression",
		    text(r, i, C_GENEXPR), "stored", *gen == 's');
		col = pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
		    "s:o}",
		    "name", text(r, i, C_NAME), "type", text(r, i, C_TYPE),
		    "not_null", boolean(r, i, C_NOTNULL),
		    "default", text(r, i, C_DEFAULT),
		    "identity", identity(r, i), "generated", g,
		    "collation", text(r, i, C_COLLATION),
		    "inherited", boolean(r, i, C_INHERITED),
		    "comment", text(r, i, C_COMMENT));
		append(rel, "columns", col);
	}
	PQclear(r);
}

static const char *
fkaction(char a)
{
	switch (a) {
	case 'r':
		return "RESTRICT";
	case 'c':
		return "CASCADE";
	case 'n':
		return "SET NULL";
	case 'd':
		return "SET DEFAULT";
	default:
		return "NO ACTION";
	}
}

static const char *
fkmatch(char m)
{
	switch (m) {
	case 'f':
		return "FULL";
	case 'p':
		return "PARTIAL";
	default:
		return "SIMPLE";
	}
}

static void
constraints(struct ctx *c)
{
	char *sql = zn_xasprintf(q_constraints, c->version >= 150000 ?
	    "(SELECT i.indnullsnotdistinct FROM pg_catalog.pg_index i "
	    "WHERE i.indexrelid = co.conindid)" : "false");
	PGresult *r = run(c, "read constraints", sql, c->relparam);
	struct rel *rel;
	json_t *con;
	char type;
	int i;

	free(sql);
	for (i = 0; i < PQntuples(r); i++) {
		if ((rel = findrel(c, oidval(r, i, K_REL))) == NULL)
			continue;
		type = PQgetvalue(r, i, K_TYPE)[0];
		switch (type) {
		case 'p':
		case 'u':
			con = pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			    "name", text(r, i, K_NAME),
			    "columns", parsed(r, i, K_COLUMNS),
			    "include", parsed(r, i, K_INCLUDE),
			    "deferrable", boolean(r, i, K_DEFERRABLE),
			    "deferred", boolean(r, i, K_DEFERRED),
			    "definition", text(r, i, K_DEF),
			    "comment", text(r, i, K_COMMENT));
			if (type == 'p') {
				json_object_set_new(rel->rec, "primary_key",
				    con);
				break;
			}
			json_object_set_new(con, "nulls_not_distinct",
			    boolean(r, i, K_NND));
			append(rel, "uniques", con);
			break;
		case 'c':
			append(rel, "checks", pack("{s:o, s:o, s:o, s:b, "
			    "s:o, s:o, s:o}",
			    "name", text(r, i, K_NAME),
			    "expression", text(r, i, K_EXPR),
			    "definition", text(r, i, K_DEF),
			    "not_valid", PQgetvalue(r, i, K_VALIDATED)[0] ==
			    'f', "no_inherit", boolean(r, i, K_NOINHERIT),
			    "inherited", boolean(r, i, K_INHERITED),
			    "comment", text(r, i, K_COMMENT)));
			break;
		case 'x':
			append(rel, "exclusions", pack("{s:o, s:o, s:o, "
			    "s:o, s:o}",
			    "name", text(r, i, K_NAME),
			    "deferrable", boolean(r, i, K_DEFERRABLE),
			    "deferred", boolean(r, i, K_DEFERRED),
			    "definition", text(r, i, K_DEF),
			    "comment", text(r, i, K_COMMENT)));
			break;
		case 'f':
			append(rel, "foreign_keys", pack("{s:o, s:o, "
			    "s:{s:o, s:o, s:o}, s:s, s:s, s:s, s:o, s:o, s:b, "
			    "s:o, s:o}",
			    "name", text(r, i, K_NAME),
			    "columns", parsed(r, i, K_COLUMNS),
			    "references", "schema", text(r, i, K_FSCHEMA),
			    "table", text(r, i, K_FTABLE),
			    "columns", parsed(r, i, K_FCOLUMNS),
			    "on_update", fkaction(PQgetvalue(r, i, K_UPD)[0]),
			    "on_delete", fkaction(PQgetvalue(r, i, K_DEL)[0]),
			    "match", fkmatch(PQgetvalue(r, i, K_MATCH)[0]),
			    "deferrable", boolean(r, i, K_DEFERRABLE),
			    "deferred", boolean(r, i, K_DEFERRED),
			    "not_valid", PQgetvalue(r, i, K_VALIDATED)[0] ==
			    'f', "definition", text(r, i, K_DEF),
			    "comment", text(r, i, K_COMMENT)));
			break;
		}
	}
	PQclear(r);
}

static void
indexes(struct ctx *c)
{
	char *sql = zn_xasprintf(q_indexes, c->version >= 150000 ?
	    "i.indnullsnotdistinct" : "false");
	PGresult *r = run(c, "read indexes", sql, c->relparam);
	struct rel *rel;
	int i;

	free(sql);
	for (i = 0; i < PQntuples(r); i++) {
		if ((rel = findrel(c, oidval(r, i, I_REL))) == NULL ||
		    json_object_get(rel->rec, "indexes") == NULL)
			continue;
		append(rel, "indexes", pack("{s:o, s:o, s:o, s:o, s:o, "
		    "s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		    "name", text(r, i, I_NAME),
		    "definition", text(r, i, I_DEF),
		    "method", text(r, i, I_METHOD),
		    "unique", boolean(r, i, I_UNIQUE),
		    "nulls_not_distinct", boolean(r, i, I_NND),
		    "valid", boolean(r, i, I_VALID),
		    "keys", parsed(r, i, I_KEYS),
		    "include", parsed(r, i, I_INCLUDE),
		    "where", text(r, i, I_PRED),
		    "options", parsed(r, i, I_OPTIONS),
		    "parent", parsed(r, i, I_PARENT),
		    "comment", text(r, i, I_COMMENT)));
	}
	PQclear(r);
}

static const char *
polcmd(char cmd)
{
	switch (cmd) {
	case 'r':
		return "SELECT";
	case 'a':
		return "INSERT";
	case 'w':
		return "UPDATE";
	case 'd':
		return "DELETE";
	default:
		return "ALL";
	}
}

static void
policies(struct ctx *c)
{
	PGresult *r = run(c, "read policies", q_policies, c->relparam);
	struct rel *rel;
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		if ((rel = findrel(c, oidval(r, i, 0))) == NULL ||
		    json_object_get(rel->rec, "policies") == NULL)
			continue;
		append(rel, "policies", pack("{s:o, s:s, s:b, s:o, s:o, "
		    "s:o, s:o}",
		    "name", text(r, i, 1),
		    "command", polcmd(PQgetvalue(r, i, 2)[0]),
		    "permissive", PQgetvalue(r, i, 3)[0] == 't',
		    "roles", parsed(r, i, 4), "using", text(r, i, 5),
		    "with_check", text(r, i, 6), "comment", text(r, i, 7)));
	}
	PQclear(r);
}

static void
functions(struct ctx *c)
{
	PGresult *r = run(c, "read functions", q_functions, c->nsparam);
	int i;

	for (i = 0; i < PQntuples(r); i++)
		zn_graph_add(c->g, pack("{s:s, s:o, s:o, s:o, s:o, s:o, "
		    "s:o, s:b, s:o}",
		    "kind", PQgetvalue(r, i, 2)[0] == 'p' ? "procedure" :
		    "function", "schema", text(r, i, 0),
		    "name", text(r, i, 1), "arguments", text(r, i, 3),
		    "result", text(r, i, 4), "language", text(r, i, 5),
		    "definition", text(r, i, 6),
		    "window", PQgetvalue(r, i, 2)[0] == 'w',
		    "comment", text(r, i, 7)));
	PQclear(r);
}

static const char *
tgenabled(char e)
{
	switch (e) {
	case 'D':
		return "disabled";
	case 'R':
		return "replica";
	case 'A':
		return "always";
	default:
		return "origin";
	}
}

static void
triggers(struct ctx *c)
{
	char *sql = zn_xasprintf(q_triggers, c->version >= 130000 ?
	    " AND t.tgparentid = 0" : "");
	PGresult *r = run(c, "read triggers", sql, c->relparam);
	struct rel *rel;
	int i;

	free(sql);
	for (i = 0; i < PQntuples(r); i++) {
		if ((rel = findrel(c, oidval(r, i, 0))) == NULL)
			continue;
		zn_graph_add(c->g, pack("{s:s, s:s, s:s, s:o, s:o, s:s, "
		    "s:o}",
		    "kind", "trigger", "schema", rel->schema,
		    "table", rel->name, "name", text(r, i, 1),
		    "definition", text(r, i, 2),
		    "enabled", tgenabled(PQgetvalue(r, i, 3)[0]),
		    "comment", text(r, i, 4)));
	}
	PQclear(r);
}

void
zn_graph_from_db(struct zn_graph *g, PGconn *conn,
    const struct zn_snapshot_opts *o)
{
	struct ctx c;
	PGresult *rels;
	char *ns;
	size_t i;
	const char *host = PQhost(conn), *port = PQport(conn);

	memset(g, 0, sizeof(*g));
	memset(&c, 0, sizeof(c));
	c.conn = conn;
	c.g = g;
	c.version = PQserverVersion(conn);
	g->server_version_num = c.version;
	g->source = pack("{s:s, s:s, s:s?, s:s?}", "type", "database",
	    "dbname", PQdb(conn), "host", host != NULL && *host != '\0' ?
	    host : NULL, "port", port != NULL && *port != '\0' ? port : NULL);
	zn_pg_cmd(conn, "start a read-only transaction",
	    "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");

	ns = schemas(&c, o);
	c.nsparam = ns;
	extensions(&c);
	enums(&c);
	sequences(&c);
	rels = relations(&c);
	columns(&c);
	constraints(&c);
	indexes(&c);
	policies(&c);
	functions(&c);
	triggers(&c);

	zn_pg_cmd(conn, "end the read-only transaction", "COMMIT");
	for (i = 0; i < c.nrels; i++)
		zn_graph_add(g, c.rels[i].rec);
	zn_graph_finish(g);
	PQclear(rels);
	free(c.rels);
	free(c.relparam);
	free(ns);
}
