/* SPDX-License-Identifier: ISC */
/*
 * schema.c: a declared schema in YAML (zn-schema(5)), checked and
 * rendered to DDL.  Every mistake a reader can see without a server is
 * refused here with the YAML position: unknown keys, wrong types,
 * references to tables or columns that are not declared, names too long
 * for PostgreSQL.  The rest (an unknown column type, a bad expression) is
 * found by the server when the DDL is applied; each piece of DDL taken
 * from the YAML carries a span back to its node, so those errors point
 * at the YAML too.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "zn.h"

#define NAMEDATALEN 64

struct span {
	size_t start, end;	/* bytes of the DDL */
	int line, col;		/* the YAML node they came from */
};

struct table {
	const char *schema, *name;
	json_t *node;		/* borrowed */
	json_t *columns;	/* borrowed: name -> column */
};

struct r {
	char **arena;		/* strings made from numbers, freed at the end */
	size_t narena;
	struct zn_yaml *y;
	struct zn_buf *out;
	struct span *spans;
	size_t nspans;
	struct table *tables;
	size_t ntables;
	json_t *renames;	/* renamed_from hints, for the differ */
	const char *schema;	/* the schema being rendered */
	int items;		/* entries so far in a CREATE TABLE's list */
};

static ZN_NORETURN void bad(struct r *r, const json_t *c, const char *key,
    size_t i, const char *fmt, ...) ZN_PRINTF(5, 6);

/* Dies at the value c[key] (or c[i] when key is NULL). */
static void
bad(struct r *r, const json_t *c, const char *key, size_t i,
    const char *fmt, ...)
{
	struct zn_buf b = ZN_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	zn_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	zn_yaml_die(r->y, c, key, i, "%s", b.buf);
}

static ZN_NORETURN void badkey(struct r *r, const json_t *c, const char *key,
    const char *fmt, ...) ZN_PRINTF(4, 5);

/* Dies at the key itself. */
static void
badkey(struct r *r, const json_t *c, const char *key, const char *fmt, ...)
{
	struct zn_buf b = ZN_BUF_INIT;
	va_list ap;
	int line, col;

	va_start(ap, fmt);
	zn_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (zn_yaml_where_key(r->y, c, key, &line, &col) == 0)
		zn_die(ZN_EXIT_DATAERR, "%s:%d:%d: %s", zn_yaml_name(r->y),
		    line, col, b.buf);
	zn_yaml_die(r->y, c, key, 0, "%s", b.buf);
}

static void
keys(struct r *r, const json_t *obj, const char *const *allowed,
    const char *what)
{
	const char *key, *const *k;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		for (k = allowed; *k != NULL; k++)
			if (strcmp(*k, key) == 0)
				break;
		if (*k == NULL)
			badkey(r, obj, key, "unknown key '%s' in %s", key, what);
	}
}

static const char *
typename(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "a mapping";
	case JSON_ARRAY:
		return "a list";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "empty";
	}
}

static json_t *
want(struct r *r, const json_t *c, const char *key, json_type t,
    const char *what)
{
	json_t *v = json_object_get(c, key);

	if (v == NULL)
		return NULL;
	if (json_typeof(v) != t && !(t == JSON_TRUE &&
	    json_typeof(v) == JSON_FALSE))
		bad(r, c, key, 0, "'%s' must be %s, not %s", key, what,
		    typename(v));
	return v;
}

static json_t *
mapping(struct r *r, const json_t *c, const char *key)
{
	return want(r, c, key, JSON_OBJECT, "a mapping");
}

static json_t *
list(struct r *r, const json_t *c, const char *key)
{
	return want(r, c, key, JSON_ARRAY, "a list");
}

/* A string; numbers are taken as their text (SQL literals, versions). */
static const char *
text(struct r *r, const json_t *c, const char *key)
{
	json_t *v = json_object_get(c, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_integer(v)) {
		r->arena = zn_xreallocarray(r->arena, r->narena + 1,
		    sizeof(*r->arena));
		r->arena[r->narena] = zn_xasprintf("%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return r->arena[r->narena++];
	}
	if (!json_is_string(v))
		bad(r, c, key, 0, "'%s' must be a string, not %s", key,
		    typename(v));
	return json_string_value(v);
}

static int
flag(struct r *r, const json_t *c, const char *key)
{
	json_t *v = want(r, c, key, JSON_TRUE, "true or false");

	return v != NULL && json_is_true(v);
}

static const char *
choice(struct r *r, const json_t *c, const char *key,
    const char *const *choices)
{
	const char *s = text(r, c, key), *const *ch;
	struct zn_buf b = ZN_BUF_INIT;

	if (s == NULL)
		return NULL;
	for (ch = choices; *ch != NULL; ch++)
		if (strcmp(*ch, s) == 0)
			return s;
	for (ch = choices; *ch != NULL; ch++)
		zn_buf_addf(&b, "%s'%s'", ch == choices ? "" : ", ", *ch);
	bad(r, c, key, 0, "'%s' must be one of %s, not '%s'", key, b.buf, s);
}

/* A name declared as a mapping key: not empty, not over 63 bytes. */
static void
checkname(struct r *r, const json_t *c, const char *name, const char *what)
{
	if (*name == '\0')
		badkey(r, c, name, "empty %s name", what);
	if (strlen(name) >= NAMEDATALEN)
		badkey(r, c, name, "%s name '%s' is longer than %d bytes, "
		    "which PostgreSQL would cut short", what, name,
		    NAMEDATALEN - 1);
}

/*
 * Records node's renamed_from as a hint for zn-diff: kind, the schema,
 * the table (or enum type) it belongs to, its declared name.
 */
static void
hint(struct r *r, const json_t *node, const char *kind,
    const char *schema, const char *table, const char *name)
{
	const char *from = text(r, node, "renamed_from");
	json_t *h;

	if (from == NULL)
		return;
	if (strcmp(from, name) == 0)
		badkey(r, node, "renamed_from", "'%s' cannot be renamed from "
		    "itself", name);
	h = json_pack("{s:s, s:s, s:s?, s:s, s:s}", "kind", kind, "schema",
	    schema, "table", table, "name", name, "from", from);
	if (h == NULL || json_array_append_new(r->renames, h) != 0)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
}

static void
add(struct r *r, const char *s)
{
	zn_buf_adds(r->out, s);
}

static void
addf(struct r *r, const char *fmt, ...) ZN_PRINTF(2, 3);

static void
addf(struct r *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	zn_buf_vaddf(r->out, fmt, ap);
	va_end(ap);
}

/* Starts the next entry of a CREATE TABLE's column and constraint list. */
static void
item(struct r *r)
{
	add(r, r->items++ ? ",\n    " : "    ");
}

static void
ident(struct r *r, const char *s)
{
	zn_pg_ident(r->out, s);
}

static void
qualified(struct r *r, const char *schema, const char *name)
{
	ident(r, schema);
	add(r, ".");
	ident(r, name);
}

static void
literal(struct r *r, const char *s)
{
	zn_pg_literal(r->out, s);
}

/* Writes SQL text taken from c[key] (or c[i]), remembering where from. */
static void
sqltext(struct r *r, const json_t *c, const char *key, size_t i,
    const char *s)
{
	struct span *sp;
	int line, col;

	if (s == NULL || *s == '\0')
		bad(r, c, key, i, "'%s' must not be empty", key != NULL ? key :
		    "this entry");
	r->spans = zn_xreallocarray(r->spans, r->nspans + 1,
	    sizeof(*r->spans));
	sp = &r->spans[r->nspans];
	sp->start = r->out->len;
	add(r, s);
	sp->end = r->out->len;
	if (zn_yaml_where(r->y, c, key, i, &line, &col) == 0) {
		sp->line = line;
		sp->col = col;
		r->nspans++;
	}
}

/* SQL from c[key]: a string, or a number or boolean as written. */
static void
sqlvalue(struct r *r, const json_t *c, const char *key)
{
	json_t *v = json_object_get(c, key);
	char *s;

	if (json_is_string(v)) {
		sqltext(r, c, key, 0, json_string_value(v));
		return;
	}
	if (!json_is_number(v) && !json_is_boolean(v))
		bad(r, c, key, 0, "'%s' must be SQL text, not %s", key,
		    typename(v));
	s = zn_json_line(v);
	sqltext(r, c, key, 0, s);
	free(s);
}

/* Splits "a.b" into schema and name; an unqualified name is in r->schema. */
static void
splitname(struct r *r, const char *ref, char **schema, char **name)
{
	const char *dot = strchr(ref, '.');

	if (dot == NULL) {
		*schema = zn_xstrdup(r->schema);
		*name = zn_xstrdup(ref);
	} else {
		*schema = zn_xstrndup(ref, (size_t)(dot - ref));
		*name = zn_xstrdup(dot + 1);
	}
}

static struct table *
findtable(struct r *r, const char *schema, const char *name)
{
	size_t i;

	for (i = 0; i < r->ntables; i++)
		if (strcmp(r->tables[i].schema, schema) == 0 &&
		    strcmp(r->tables[i].name, name) == 0)
			return &r->tables[i];
	return NULL;
}

/* The declared table c[key] names ("t" or "s.t"), or an error there. */
static struct table *
reftable(struct r *r, const json_t *c, const char *key, size_t i,
    const char *ref)
{
	struct table *t;
	char *schema, *name;

	splitname(r, ref, &schema, &name);
	t = findtable(r, schema, name);
	if (t == NULL)
		bad(r, c, key, i, "unknown table '%s.%s'", schema, name);
	free(schema);
	free(name);
	return t;
}

/*
 * Checks that t has column col.  A materialized view's columns come from
 * its query, which only the server knows: t->columns is NULL then, and
 * the server checks.
 */
static void
refcolumn(struct r *r, const struct table *t, const json_t *c,
    const char *key, size_t i, const char *col)
{
	if (t->columns != NULL && json_object_get(t->columns, col) == NULL)
		bad(r, c, key, i, "table '%s.%s' has no column '%s'",
		    t->schema, t->name, col);
}

/* Writes "(a, b)" from a list of column names, each checked against t. */
static void
collist(struct r *r, const struct table *t, const json_t *c, const char *key)
{
	json_t *l = list(r, c, key), *e;
	size_t i;

	if (l == NULL || json_array_size(l) == 0)
		bad(r, c, key, 0, "'%s' must list at least one column", key);
	add(r, "(");
	json_array_foreach(l, i, e) {
		if (!json_is_string(e))
			bad(r, l, NULL, i, "a column name must be a string, "
			    "not %s", typename(e));
		refcolumn(r, t, l, NULL, i, json_string_value(e));
		if (i > 0)
			add(r, ", ");
		ident(r, json_string_value(e));
	}
	add(r, ")");
}

/* "CONSTRAINT name " when c names the constraint. */
static void
conname(struct r *r, const struct table *t, const json_t *c)
{
	if (text(r, c, "name") == NULL && json_object_get(c, "renamed_from") !=
	    NULL)
		badkey(r, c, "renamed_from", "a renamed constraint needs a "
		    "'name'");
	if (text(r, c, "name") != NULL)
		hint(r, c, "constraint", t->schema, t->name,
		    text(r, c, "name"));
	if (text(r, c, "name") == NULL && json_object_get(c, "comment") !=
	    NULL)
		badkey(r, c, "comment", "a constraint with a comment needs "
		    "a 'name'");
	if (text(r, c, "name") == NULL)
		return;
	add(r, "CONSTRAINT ");
	ident(r, text(r, c, "name"));
	add(r, " ");
}

static void
deferrable(struct r *r, const json_t *c)
{
	if (flag(r, c, "deferrable"))
		add(r, " DEFERRABLE");
	if (flag(r, c, "deferred"))
		add(r, " INITIALLY DEFERRED");
}

static void
comment(struct r *r, const json_t *c, const char *what, const char *schema,
    const char *name, const char *on)
{
	const char *s = text(r, c, "comment");

	if (s == NULL)
		return;
	addf(r, "COMMENT ON %s ", what);
	if (schema != NULL)
		qualified(r, schema, name);
	else
		ident(r, name);
	if (on != NULL)
		add(r, on);
	add(r, " IS ");
	literal(r, s);
	add(r, ";\n");
}

static const char *const fkactions[] = { "no action", "restrict",
    "cascade", "set null", "set default", NULL };

static void
upper(struct r *r, const char *s)
{
	for (; *s != '\0'; s++)
		zn_buf_addch(r->out, *s >= 'a' && *s <= 'z' ? *s - 32 : *s);
}

/* ON DELETE / ON UPDATE / MATCH of a reference mapping. */
static void
fkclauses(struct r *r, const json_t *c)
{
	static const char *const matches[] = { "simple", "full", NULL };
	const char *s;

	if ((s = choice(r, c, "match", matches)) != NULL) {
		add(r, " MATCH ");
		upper(r, s);
	}
	if ((s = choice(r, c, "on_delete", fkactions)) != NULL) {
		add(r, " ON DELETE ");
		upper(r, s);
	}
	if ((s = choice(r, c, "on_update", fkactions)) != NULL) {
		add(r, " ON UPDATE ");
		upper(r, s);
	}
	deferrable(r, c);
}

static void
identity(struct r *r, const json_t *col)
{
	static const char *const gens[] = { "always", "by default", NULL };
	static const char *const allowed[] = { "generation", "start",
	    "increment", "min", "max", "cache", "cycle", NULL };
	json_t *v = json_object_get(col, "identity");
	const char *gen;
	int paren = 0;
	size_t i;
	static const char *const opts[][2] = { { "start", "START WITH" },
	    { "increment", "INCREMENT BY" }, { "min", "MINVALUE" },
	    { "max", "MAXVALUE" }, { "cache", "CACHE" } };

	if (json_is_string(v)) {
		gen = choice(r, col, "identity", gens);
		addf(r, " GENERATED %s AS IDENTITY", strcmp(gen, "always") == 0 ?
		    "ALWAYS" : "BY DEFAULT");
		return;
	}
	if (!json_is_object(v))
		bad(r, col, "identity", 0, "'identity' must be 'always', "
		    "'by default' or a mapping, not %s", typename(v));
	keys(r, v, allowed, "an identity");
	gen = choice(r, v, "generation", gens);
	addf(r, " GENERATED %s AS IDENTITY", gen == NULL ||
	    strcmp(gen, "by default") != 0 ? "ALWAYS" : "BY DEFAULT");
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		if (json_object_get(v, opts[i][0]) == NULL)
			continue;
		add(r, paren++ ? " " : " (");
		addf(r, "%s ", opts[i][1]);
		sqlvalue(r, v, opts[i][0]);
	}
	if (json_object_get(v, "cycle") != NULL) {
		add(r, paren++ ? " " : " (");
		add(r, flag(r, v, "cycle") ? "CYCLE" : "NO CYCLE");
	}
	if (paren)
		add(r, ")");
}

/* One column of CREATE TABLE, with its column constraints. */
static void
column(struct r *r, const struct table *t, const char *name, json_t *col)
{
	static const char *const allowed[] = { "type", "not_null",
	    "default", "identity", "generated", "collation", "comment",
	    "primary_key", "unique", "check", "references", "renamed_from",
	    NULL };
	const json_t *cols = t->columns;
	json_t *ref;

	ident(r, name);
	add(r, " ");
	if (json_is_string(col)) {
		sqltext(r, cols, name, 0, json_string_value(col));
		return;
	}
	if (!json_is_object(col))
		bad(r, cols, name, 0, "column '%s' must be a type or a "
		    "mapping, not %s", name, typename(col));
	keys(r, col, allowed, "a column");
	hint(r, col, "column", t->schema, t->name, name);
	if (text(r, col, "type") == NULL)
		bad(r, cols, name, 0, "column '%s' has no 'type'", name);
	sqltext(r, col, "type", 0, text(r, col, "type"));
	if (text(r, col, "collation") != NULL) {
		add(r, " COLLATE ");
		ident(r, text(r, col, "collation"));
	}
	if (json_object_get(col, "default") != NULL &&
	    (json_object_get(col, "identity") != NULL ||
	    json_object_get(col, "generated") != NULL))
		badkey(r, col, "default", "a column with 'identity' or "
		    "'generated' cannot have a 'default'");
	if (json_object_get(col, "identity") != NULL &&
	    json_object_get(col, "generated") != NULL)
		badkey(r, col, "generated", "a column cannot be both "
		    "'identity' and 'generated'");
	if (json_object_get(col, "default") != NULL) {
		add(r, " DEFAULT ");
		sqlvalue(r, col, "default");
	}
	if (json_object_get(col, "identity") != NULL)
		identity(r, col);
	if (json_object_get(col, "generated") != NULL) {
		if (text(r, col, "generated") == NULL)
			bad(r, col, "generated", 0, "'generated' must not be "
			    "empty");
		add(r, " GENERATED ALWAYS AS (");
		sqltext(r, col, "generated", 0, text(r, col, "generated"));
		add(r, ") STORED");
	}
	if (flag(r, col, "not_null"))
		add(r, " NOT NULL");
	if (flag(r, col, "primary_key"))
		add(r, " PRIMARY KEY");
	if (flag(r, col, "unique"))
		add(r, " UNIQUE");
	if (json_object_get(col, "check") != NULL) {
		add(r, " CHECK (");
		sqltext(r, col, "check", 0, text(r, col, "check"));
		add(r, ")");
	}
	/* Checked here; written with the other foreign keys, after all
	 * tables exist. */
	if ((ref = json_object_get(col, "references")) != NULL &&
	    !json_is_string(ref) && !json_is_object(ref))
		bad(r, col, "references", 0, "'references' must be "
		    "'table.column' or a mapping, not %s", typename(ref));
}

static void
primarykey(struct r *r, const struct table *t)
{
	static const char *const allowed[] = { "name", "columns", "include",
	    "deferrable", "deferred", "comment", "renamed_from", NULL };
	json_t *pk = json_object_get(t->node, "primary_key"), *m = t->node;
	const char *key = "primary_key", *col;
	json_t *c;
	size_t n;

	if (pk == NULL)
		return;
	json_object_foreach(t->columns, col, c)
		if (json_is_object(c) && flag(r, c, "primary_key"))
			badkey(r, t->node, "primary_key", "'%s' already has a "
			    "primary key on column '%s'", t->name, col);
	item(r);
	if (json_is_object(pk)) {
		keys(r, pk, allowed, "a primary key");
		conname(r, t, pk);
		m = pk;
		key = "columns";
	} else if (!json_is_array(pk))
		bad(r, t->node, "primary_key", 0, "'primary_key' must be a list "
		    "of columns or a mapping, not %s", typename(pk));
	add(r, "PRIMARY KEY ");
	collist(r, t, m, key);
	if (m == pk && (n = json_array_size(list(r, pk, "include"))) > 0) {
		add(r, " INCLUDE ");
		collist(r, t, pk, "include");
	}
	if (m == pk)
		deferrable(r, pk);
}

/* Entry i of list l, which must be a mapping of the allowed keys. */
static json_t *
entry(struct r *r, json_t *l, size_t i, const char *const *allowed,
    const char *what)
{
	json_t *e = json_array_get(l, i);

	if (!json_is_object(e))
		bad(r, l, NULL, i, "%s must be a mapping, not %s", what,
		    typename(e));
	keys(r, e, allowed, what);
	return e;
}

static void
uniques(struct r *r, const struct table *t)
{
	static const char *const allowed[] = { "name", "columns", "include",
	    "nulls_not_distinct", "deferrable", "deferred", "comment",
	    "renamed_from", NULL };
	json_t *l = list(r, t->node, "uniques"), *u;
	size_t i;

	json_array_foreach(l, i, u) {
		entry(r, l, i, allowed, "a unique constraint");
		item(r);
		conname(r, t, u);
		add(r, "UNIQUE ");
		if (flag(r, u, "nulls_not_distinct"))
			add(r, "NULLS NOT DISTINCT ");
		collist(r, t, u, "columns");
		if (json_array_size(list(r, u, "include")) > 0) {
			add(r, " INCLUDE ");
			collist(r, t, u, "include");
		}
		deferrable(r, u);
	}
}

/* Checks as a mapping name -> expression or {expression, ...}. */
static void
checks(struct r *r, const struct table *t, int notvalid)
{
	static const char *const allowed[] = { "expression", "no_inherit",
	    "not_valid", "comment", "renamed_from", NULL };
	json_t *m = mapping(r, t->node, "checks"), *c;
	const char *name;

	json_object_foreach(m, name, c) {
		json_t *holder = m;
		const char *key = name;

		checkname(r, m, name, "check");
		if (json_is_object(c)) {
			keys(r, c, allowed, "a check");
			if (!notvalid)
				hint(r, c, "constraint", t->schema, t->name,
				    name);
			if (text(r, c, "expression") == NULL)
				bad(r, m, name, 0, "check '%s' has no "
				    "'expression'", name);
			holder = c;
			key = "expression";
		} else if (!json_is_string(c))
			bad(r, m, name, 0, "check '%s' must be an expression "
			    "or a mapping, not %s", name, typename(c));
		if ((json_is_object(c) && flag(r, c, "not_valid")) != notvalid)
			continue;
		if (notvalid) {
			add(r, "ALTER TABLE ");
			qualified(r, t->schema, t->name);
			add(r, " ADD ");
		} else
			item(r);
		add(r, "CONSTRAINT ");
		ident(r, name);
		add(r, " CHECK (");
		sqltext(r, holder, key, 0, json_string_value(
		    json_object_get(holder, key)));
		add(r, ")");
		if (json_is_object(c) && flag(r, c, "no_inherit"))
			add(r, " NO INHERIT");
		if (notvalid)
			add(r, " NOT VALID;\n");
	}
}

static void
exclusions(struct r *r, const struct table *t)
{
	static const char *const allowed[] = { "name", "using", "elements",
	    "where", "deferrable", "deferred", "comment", "renamed_from",
	    NULL };
	json_t *l = list(r, t->node, "exclusions"), *x;
	size_t i;

	json_array_foreach(l, i, x) {
		entry(r, l, i, allowed, "an exclusion");
		if (text(r, x, "elements") == NULL)
			bad(r, l, NULL, i, "an exclusion needs 'elements'");
		item(r);
		conname(r, t, x);
		add(r, "EXCLUDE USING ");
		ident(r, text(r, x, "using") != NULL ? text(r, x, "using") :
		    "gist");
		add(r, " (");
		sqltext(r, x, "elements", 0, text(r, x, "elements"));
		add(r, ")");
		if (text(r, x, "where") != NULL) {
			add(r, " WHERE (");
			sqltext(r, x, "where", 0, text(r, x, "where"));
			add(r, ")");
		}
		deferrable(r, x);
	}
}

static void
storage(struct r *r, const json_t *c, const char *key)
{
	json_t *m = mapping(r, c, key), *v;
	const char *k;
	int n = 0;

	if (m == NULL || json_object_size(m) == 0)
		return;
	add(r, " WITH (");
	json_object_foreach(m, k, v) {
		if (n++)
			add(r, ", ");
		ident(r, k);
		add(r, " = ");
		sqlvalue(r, m, k);
	}
	add(r, ")");
}

/* The parent a partition or child table names, checked. */
static struct table *
parent(struct r *r, const json_t *c, const char *key, size_t i)
{
	json_t *v = key != NULL ? json_object_get(c, key) :
	    json_array_get(c, i);

	if (!json_is_string(v))
		bad(r, c, key, i, "a parent table must be a name, not %s",
		    typename(v));
	return reftable(r, c, key, i, json_string_value(v));
}

static const char *const table_keys[] = { "columns", "primary_key",
    "uniques", "checks", "foreign_keys", "exclusions", "indexes",
    "policies", "triggers", "rls", "unlogged", "options", "partition_by",
    "partition_of", "inherits", "comment", "renamed_from", NULL };

static void
createtable(struct r *r, struct table *t)
{
	static const char *const pallowed[] = { "table", "bound", NULL };
	json_t *node = t->node, *part, *inh, *e, *c;
	struct table *p = NULL;
	const char *name;
	size_t i, open;

	keys(r, node, table_keys, "a table");
	hint(r, node, "table", t->schema, NULL, t->name);
	part = mapping(r, node, "partition_of");
	inh = list(r, node, "inherits");
	if (part != NULL && inh != NULL)
		badkey(r, node, "inherits", "a partition cannot also inherit");
	add(r, flag(r, node, "unlogged") ? "CREATE UNLOGGED TABLE " :
	    "CREATE TABLE ");
	qualified(r, t->schema, t->name);
	if (part != NULL) {
		keys(r, part, pallowed, "'partition_of'");
		p = parent(r, part, "table", 0);
		add(r, " PARTITION OF ");
		qualified(r, p->schema, p->name);
	}
	open = r->out->len;
	add(r, " (\n");
	r->items = 0;
	if (part != NULL && json_object_get(node, "columns") != NULL)
		badkey(r, node, "columns", "a partition takes its columns "
		    "from '%s'; declare them there", p->name);
	json_object_foreach(part == NULL ? t->columns : NULL, name, c) {
		checkname(r, t->columns, name, "column");
		item(r);
		column(r, t, name, c);
	}
	primarykey(r, t);
	uniques(r, t);
	checks(r, t, 0);
	exclusions(r, t);
	if (part != NULL && r->items == 0) {
		/* "PARTITION OF p ()" is not SQL: drop the empty list. */
		r->out->len = open;
		r->out->buf[r->out->len] = '\0';
	} else
		add(r, "\n)");
	if (part != NULL) {
		add(r, " ");
		if (text(r, part, "bound") == NULL)
			bad(r, node, "partition_of", 0, "'partition_of' needs "
			    "a 'bound'");
		sqltext(r, part, "bound", 0, text(r, part, "bound"));
	}
	if (inh != NULL) {
		add(r, " INHERITS (");
		json_array_foreach(inh, i, e) {
			p = parent(r, inh, NULL, i);
			if (i > 0)
				add(r, ", ");
			qualified(r, p->schema, p->name);
		}
		add(r, ")");
	}
	if (text(r, node, "partition_by") != NULL) {
		add(r, " PARTITION BY ");
		sqltext(r, node, "partition_by", 0, text(r, node,
		    "partition_by"));
	}
	storage(r, node, "options");
	add(r, ";\n");
	checks(r, t, 1);
}

static void
foreignkey(struct r *r, const struct table *t, const json_t *fk,
    const json_t *holder, size_t idx)
{
	static const char *const allowed[] = { "name", "columns",
	    "references", "on_delete", "on_update", "match", "deferrable",
	    "deferred", "not_valid", "comment", "renamed_from", NULL };
	static const char *const rallowed[] = { "table", "columns", NULL };
	json_t *ref;
	struct table *rt;

	entry(r, (json_t *)holder, idx, allowed, "a foreign key");
	if ((ref = mapping(r, fk, "references")) == NULL)
		bad(r, holder, NULL, idx, "a foreign key needs 'references'");
	keys(r, ref, rallowed, "'references'");
	if (text(r, ref, "table") == NULL)
		bad(r, fk, "references", 0, "'references' needs a 'table'");
	rt = reftable(r, ref, "table", 0, text(r, ref, "table"));
	add(r, "ALTER TABLE ");
	qualified(r, t->schema, t->name);
	add(r, " ADD ");
	conname(r, t, fk);
	add(r, "FOREIGN KEY ");
	collist(r, t, fk, "columns");
	add(r, " REFERENCES ");
	qualified(r, rt->schema, rt->name);
	if (json_object_get(ref, "columns") != NULL) {
		add(r, " ");
		collist(r, rt, ref, "columns");
	}
	fkclauses(r, fk);
	if (flag(r, fk, "not_valid"))
		add(r, " NOT VALID");
	add(r, ";\n");
}

/* A column's "references: t.c" or {table, column, on_delete, ...}. */
static void
columnref(struct r *r, const struct table *t, const char *colname,
    const json_t *col)
{
	static const char *const allowed[] = { "table", "column", "name",
	    "on_delete", "on_update", "match", "deferrable", "deferred",
	    NULL };
	json_t *ref = json_object_get(col, "references");
	const char *tab, *rc, *dot;
	struct table *rt;
	char *tname;

	if (ref == NULL)
		return;
	if (json_is_string(ref)) {
		tab = json_string_value(ref);
		dot = strrchr(tab, '.');
		if (dot == NULL)
			bad(r, col, "references", 0, "'references' must be "
			    "'table.column', not '%s'", tab);
		tname = zn_xstrndup(tab, (size_t)(dot - tab));
		rt = reftable(r, col, "references", 0, tname);
		free(tname);
		rc = dot + 1;
		refcolumn(r, rt, col, "references", 0, rc);
	} else {
		keys(r, ref, allowed, "'references'");
		if (text(r, ref, "table") == NULL)
			bad(r, col, "references", 0, "'references' needs a "
			    "'table'");
		rt = reftable(r, ref, "table", 0, text(r, ref, "table"));
		rc = text(r, ref, "column");
		if (rc != NULL)
			refcolumn(r, rt, ref, "column", 0, rc);
	}
	add(r, "ALTER TABLE ");
	qualified(r, t->schema, t->name);
	add(r, " ADD ");
	if (json_is_object(ref))
		conname(r, t, ref);
	add(r, "FOREIGN KEY (");
	ident(r, colname);
	add(r, ") REFERENCES ");
	qualified(r, rt->schema, rt->name);
	if (rc != NULL) {
		add(r, " (");
		ident(r, rc);
		add(r, ")");
	}
	if (json_is_object(ref))
		fkclauses(r, ref);
	add(r, ";\n");
}

static void
foreignkeys(struct r *r, const struct table *t)
{
	json_t *l = list(r, t->node, "foreign_keys"), *fk, *c;
	const char *name;
	size_t i;

	json_object_foreach(t->columns, name, c)
		if (json_is_object(c))
			columnref(r, t, name, c);
	json_array_foreach(l, i, fk)
		foreignkey(r, t, fk, l, i);
}

static void
indexkey(struct r *r, const struct table *t, json_t *l, size_t i)
{
	static const char *const allowed[] = { "column", "expression",
	    "opclass", "order", "nulls", "collation", NULL };
	static const char *const orders[] = { "asc", "desc", NULL };
	static const char *const nullses[] = { "first", "last", NULL };
	json_t *k = json_array_get(l, i);
	const char *s;

	if (json_is_string(k)) {
		refcolumn(r, t, l, NULL, i, json_string_value(k));
		ident(r, json_string_value(k));
		return;
	}
	if (!json_is_object(k))
		bad(r, l, NULL, i, "an index key must be a column name or a "
		    "mapping, not %s", typename(k));
	keys(r, k, allowed, "an index key");
	if ((text(r, k, "column") == NULL) == (text(r, k, "expression") ==
	    NULL))
		bad(r, l, NULL, i, "an index key has a 'column' or an "
		    "'expression', and not both");
	if ((s = text(r, k, "column")) != NULL) {
		refcolumn(r, t, k, "column", 0, s);
		ident(r, s);
	} else {
		add(r, "(");
		sqltext(r, k, "expression", 0, text(r, k, "expression"));
		add(r, ")");
	}
	if ((s = text(r, k, "collation")) != NULL) {
		add(r, " COLLATE ");
		ident(r, s);
	}
	if ((s = text(r, k, "opclass")) != NULL) {
		add(r, " ");
		sqltext(r, k, "opclass", 0, s);
	}
	if ((s = choice(r, k, "order", orders)) != NULL)
		add(r, strcmp(s, "desc") == 0 ? " DESC" : " ASC");
	if ((s = choice(r, k, "nulls", nullses)) != NULL)
		add(r, strcmp(s, "first") == 0 ? " NULLS FIRST" :
		    " NULLS LAST");
}

static void
indexes(struct r *r, const struct table *t)
{
	static const char *const allowed[] = { "columns", "unique", "method",
	    "where", "include", "with", "nulls_not_distinct", "comment",
	    "renamed_from", NULL };
	json_t *m = mapping(r, t->node, "indexes"), *ix, *l;
	const char *name;
	size_t i;

	json_object_foreach(m, name, ix) {
		checkname(r, m, name, "index");
		if (!json_is_object(ix))
			bad(r, m, name, 0, "index '%s' must be a mapping, not "
			    "%s", name, typename(ix));
		keys(r, ix, allowed, "an index");
		hint(r, ix, "index", t->schema, t->name, name);
		l = list(r, ix, "columns");
		if (l == NULL || json_array_size(l) == 0)
			bad(r, m, name, 0, "index '%s' needs 'columns'", name);
		add(r, flag(r, ix, "unique") ? "CREATE UNIQUE INDEX " :
		    "CREATE INDEX ");
		ident(r, name);
		add(r, " ON ");
		qualified(r, t->schema, t->name);
		if (text(r, ix, "method") != NULL) {
			add(r, " USING ");
			ident(r, text(r, ix, "method"));
		}
		add(r, " (");
		for (i = 0; i < json_array_size(l); i++) {
			if (i > 0)
				add(r, ", ");
			indexkey(r, t, l, i);
		}
		add(r, ")");
		if (json_array_size(list(r, ix, "include")) > 0) {
			add(r, " INCLUDE ");
			collist(r, t, ix, "include");
		}
		if (flag(r, ix, "nulls_not_distinct"))
			add(r, " NULLS NOT DISTINCT");
		storage(r, ix, "with");
		if (text(r, ix, "where") != NULL) {
			add(r, " WHERE (");
			sqltext(r, ix, "where", 0, text(r, ix, "where"));
			add(r, ")");
		}
		add(r, ";\n");
		comment(r, ix, "INDEX", t->schema, name, NULL);
	}
}

static void
policies(struct r *r, const struct table *t)
{
	static const char *const allowed[] = { "command", "permissive",
	    "roles", "using", "with_check", "comment", NULL };
	static const char *const cmds[] = { "all", "select", "insert",
	    "update", "delete", NULL };
	json_t *m = mapping(r, t->node, "policies"), *p, *roles, *e;
	const char *name, *s;
	struct zn_buf on = ZN_BUF_INIT;
	size_t i;

	json_object_foreach(m, name, p) {
		checkname(r, m, name, "policy");
		if (!json_is_object(p))
			bad(r, m, name, 0, "policy '%s' must be a mapping, not "
			    "%s", name, typename(p));
		keys(r, p, allowed, "a policy");
		add(r, "CREATE POLICY ");
		ident(r, name);
		add(r, " ON ");
		qualified(r, t->schema, t->name);
		if (json_object_get(p, "permissive") != NULL &&
		    !flag(r, p, "permissive"))
			add(r, " AS RESTRICTIVE");
		if ((s = choice(r, p, "command", cmds)) != NULL) {
			add(r, " FOR ");
			upper(r, s);
		}
		if ((roles = list(r, p, "roles")) != NULL) {
			add(r, " TO ");
			json_array_foreach(roles, i, e) {
				if (!json_is_string(e))
					bad(r, roles, NULL, i, "a role must be "
					    "a name, not %s", typename(e));
				if (i > 0)
					add(r, ", ");
				if (strcmp(json_string_value(e), "public") == 0)
					add(r, "PUBLIC");
				else
					ident(r, json_string_value(e));
			}
		}
		if (text(r, p, "using") != NULL) {
			add(r, " USING (");
			sqltext(r, p, "using", 0, text(r, p, "using"));
			add(r, ")");
		}
		if (text(r, p, "with_check") != NULL) {
			add(r, " WITH CHECK (");
			sqltext(r, p, "with_check", 0, text(r, p,
			    "with_check"));
			add(r, ")");
		}
		add(r, ";\n");
		zn_buf_reset(&on);
		zn_buf_adds(&on, " ON ");
		zn_pg_ident(&on, t->schema);
		zn_buf_addch(&on, '.');
		zn_pg_ident(&on, t->name);
		if (text(r, p, "comment") != NULL) {
			add(r, "COMMENT ON POLICY ");
			ident(r, name);
			add(r, on.buf);
			add(r, " IS ");
			literal(r, text(r, p, "comment"));
			add(r, ";\n");
		}
	}
	zn_buf_release(&on);
}

static void
triggers(struct r *r, const struct table *t)
{
	static const char *const allowed[] = { "timing", "events",
	    "for_each", "when", "function", "enabled", "comment", NULL };
	static const char *const timings[] = { "before", "after",
	    "instead of", NULL };
	static const char *const eaches[] = { "row", "statement", NULL };
	static const char *const events[] = { "insert", "update", "delete",
	    "truncate", NULL };
	static const char *const states[] = { "origin", "disabled",
	    "replica", "always", NULL };
	json_t *m = mapping(r, t->node, "triggers"), *tg, *ev, *e;
	const char *name, *s, *const *ch;
	size_t i;

	json_object_foreach(m, name, tg) {
		checkname(r, m, name, "trigger");
		if (!json_is_object(tg))
			bad(r, m, name, 0, "trigger '%s' must be a mapping, "
			    "not %s", name, typename(tg));
		keys(r, tg, allowed, "a trigger");
		if ((s = choice(r, tg, "timing", timings)) == NULL)
			bad(r, m, name, 0, "trigger '%s' needs a 'timing'",
			    name);
		add(r, "CREATE TRIGGER ");
		ident(r, name);
		add(r, " ");
		upper(r, s);
		if ((ev = list(r, tg, "events")) == NULL ||
		    json_array_size(ev) == 0)
			bad(r, m, name, 0, "trigger '%s' needs 'events'", name);
		json_array_foreach(ev, i, e) {
			for (ch = events; *ch != NULL; ch++)
				if (json_is_string(e) &&
				    strcmp(*ch, json_string_value(e)) == 0)
					break;
			if (*ch == NULL)
				bad(r, ev, NULL, i, "an event is 'insert', "
				    "'update', 'delete' or 'truncate'");
			add(r, i > 0 ? " OR " : " ");
			upper(r, *ch);
		}
		add(r, " ON ");
		qualified(r, t->schema, t->name);
		s = choice(r, tg, "for_each", eaches);
		add(r, s != NULL && strcmp(s, "row") == 0 ?
		    " FOR EACH ROW" : " FOR EACH STATEMENT");
		if (text(r, tg, "when") != NULL) {
			add(r, " WHEN (");
			sqltext(r, tg, "when", 0, text(r, tg, "when"));
			add(r, ")");
		}
		if (text(r, tg, "function") == NULL)
			bad(r, m, name, 0, "trigger '%s' needs a 'function'",
			    name);
		add(r, " EXECUTE FUNCTION ");
		sqltext(r, tg, "function", 0, text(r, tg, "function"));
		add(r, ";\n");
		if ((s = choice(r, tg, "enabled", states)) != NULL &&
		    strcmp(s, "origin") != 0) {
			add(r, "ALTER TABLE ");
			qualified(r, t->schema, t->name);
			add(r, strcmp(s, "disabled") == 0 ? " DISABLE" :
			    strcmp(s, "replica") == 0 ? " ENABLE REPLICA" :
			    " ENABLE ALWAYS");
			add(r, " TRIGGER ");
			ident(r, name);
			add(r, ";\n");
		}
		if (text(r, tg, "comment") != NULL) {
			add(r, "COMMENT ON TRIGGER ");
			ident(r, name);
			add(r, " ON ");
			qualified(r, t->schema, t->name);
			add(r, " IS ");
			literal(r, text(r, tg, "comment"));
			add(r, ";\n");
		}
	}
}

static void
rls(struct r *r, const struct table *t)
{
	static const char *const allowed[] = { "enabled", "forced", NULL };
	json_t *v = json_object_get(t->node, "rls");
	int enabled, forced = 0;

	if (v == NULL)
		return;
	if (json_is_boolean(v))
		enabled = json_is_true(v);
	else if (json_is_object(v)) {
		keys(r, v, allowed, "'rls'");
		enabled = flag(r, v, "enabled");
		forced = flag(r, v, "forced");
	} else
		bad(r, t->node, "rls", 0, "'rls' must be true, false or a "
		    "mapping, not %s", typename(v));
	if (enabled) {
		add(r, "ALTER TABLE ");
		qualified(r, t->schema, t->name);
		add(r, " ENABLE ROW LEVEL SECURITY;\n");
	}
	if (forced) {
		add(r, "ALTER TABLE ");
		qualified(r, t->schema, t->name);
		add(r, " FORCE ROW LEVEL SECURITY;\n");
	}
}

/* COMMENT ON CONSTRAINT for a named constraint with a comment. */
static void
concomment(struct r *r, const json_t *c, const char *on)
{
	if (text(r, c, "comment") == NULL || text(r, c, "name") == NULL)
		return;
	add(r, "COMMENT ON CONSTRAINT ");
	ident(r, text(r, c, "name"));
	add(r, " ON ");
	add(r, on);
	add(r, " IS ");
	literal(r, text(r, c, "comment"));
	add(r, ";\n");
}

static void
tablecomments(struct r *r, const struct table *t)
{
	static const char *const lists[] = { "uniques", "exclusions",
	    "foreign_keys" };
	struct zn_buf on = ZN_BUF_INIT;
	const char *name;
	json_t *c, *m;
	int k;

	comment(r, t->node, "TABLE", t->schema, t->name, NULL);
	json_object_foreach(t->columns, name, c) {
		if (!json_is_object(c) || text(r, c, "comment") == NULL)
			continue;
		add(r, "COMMENT ON COLUMN ");
		qualified(r, t->schema, t->name);
		add(r, ".");
		ident(r, name);
		add(r, " IS ");
		literal(r, text(r, c, "comment"));
		add(r, ";\n");
	}
	zn_pg_ident(&on, t->schema);
	zn_buf_addch(&on, '.');
	zn_pg_ident(&on, t->name);
	if (json_is_object(json_object_get(t->node, "primary_key")))
		concomment(r, json_object_get(t->node, "primary_key"), on.buf);
	for (k = 0; k < 3; k++) {
		json_t *l = json_object_get(t->node, lists[k]), *e;
		size_t i;

		json_array_foreach(l, i, e)
			if (json_is_object(e))
				concomment(r, e, on.buf);
	}
	if ((m = mapping(r, t->node, "checks")) != NULL)
		json_object_foreach(m, name, c)
			if (json_is_object(c) && text(r, c, "comment") !=
			    NULL) {
				add(r, "COMMENT ON CONSTRAINT ");
				ident(r, name);
				add(r, " ON ");
				add(r, on.buf);
				add(r, " IS ");
				literal(r, text(r, c, "comment"));
				add(r, ";\n");
			}
	zn_buf_release(&on);
}

static void
enums(struct r *r, const json_t *sch)
{
	static const char *const allowed[] = { "values", "comment",
	    "renamed_from", NULL };
	json_t *m = mapping(r, sch, "enums"), *e, *vals, *v;
	const char *name;
	size_t i;

	json_object_foreach(m, name, e) {
		checkname(r, m, name, "enum");
		vals = e;
		if (json_is_object(e)) {
			keys(r, e, allowed, "an enum");
			hint(r, e, "enum", r->schema, NULL, name);
			vals = list(r, e, "values");
		}
		if (!json_is_array(vals))
			bad(r, m, name, 0, "enum '%s' must be a list of values "
			    "or a mapping with 'values'", name);
		add(r, "CREATE TYPE ");
		qualified(r, r->schema, name);
		add(r, " AS ENUM (");
		json_array_foreach(vals, i, v) {
			static const char *const vallowed[] = { "value",
			    "renamed_from", NULL };

			if (json_is_object(v)) {
				keys(r, v, vallowed, "an enum value");
				if (text(r, v, "value") == NULL)
					bad(r, vals, NULL, i, "an enum value "
					    "mapping needs 'value'");
				hint(r, v, "enum_value", r->schema, name,
				    text(r, v, "value"));
				v = json_object_get(v, "value");
			} else if (!json_is_string(v))
				bad(r, vals, NULL, i, "an enum value must be a "
				    "string, not %s", typename(v));
			if (i > 0)
				add(r, ", ");
			literal(r, json_string_value(v));
		}
		add(r, ");\n");
		if (json_is_object(e))
			comment(r, e, "TYPE", r->schema, name, NULL);
	}
}

static void
sequences(struct r *r, const json_t *sch, int owners)
{
	static const char *const allowed[] = { "type", "start", "increment",
	    "min", "max", "cache", "cycle", "owned_by", "comment", NULL };
	static const char *const opts[][2] = { { "increment", "INCREMENT" },
	    { "min", "MINVALUE" }, { "max", "MAXVALUE" },
	    { "start", "START" }, { "cache", "CACHE" } };
	json_t *m = mapping(r, sch, "sequences"), *s;
	const char *name, *own, *dot;
	struct table *t;
	char *tname;
	size_t i;

	json_object_foreach(m, name, s) {
		if (!json_is_object(s))
			bad(r, m, name, 0, "sequence '%s' must be a mapping, "
			    "not %s", name, typename(s));
		if (owners) {
			if ((own = text(r, s, "owned_by")) == NULL)
				continue;
			if ((dot = strrchr(own, '.')) == NULL)
				bad(r, s, "owned_by", 0, "'owned_by' must be "
				    "'table.column'");
			tname = zn_xstrndup(own, (size_t)(dot - own));
			t = reftable(r, s, "owned_by", 0, tname);
			free(tname);
			refcolumn(r, t, s, "owned_by", 0, dot + 1);
			add(r, "ALTER SEQUENCE ");
			qualified(r, r->schema, name);
			add(r, " OWNED BY ");
			qualified(r, t->schema, t->name);
			add(r, ".");
			ident(r, dot + 1);
			add(r, ";\n");
			continue;
		}
		checkname(r, m, name, "sequence");
		keys(r, s, allowed, "a sequence");
		add(r, "CREATE SEQUENCE ");
		qualified(r, r->schema, name);
		if (text(r, s, "type") != NULL) {
			add(r, " AS ");
			sqltext(r, s, "type", 0, text(r, s, "type"));
		}
		for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
			if (json_object_get(s, opts[i][0]) != NULL) {
				addf(r, " %s ", opts[i][1]);
				sqlvalue(r, s, opts[i][0]);
			}
		if (flag(r, s, "cycle"))
			add(r, " CYCLE");
		add(r, ";\n");
		comment(r, s, "SEQUENCE", r->schema, name, NULL);
	}
}

static void enter(struct r *r, const char *schema);

/* Raw SQL statements: a list of strings or of {sql: ...}. */
static void
rawsql(struct r *r, const json_t *sch, const char *key)
{
	const char *what = strcmp(key, "functions") == 0 ? "a routine" :
	    "an SQL entry";

	static const char *const allowed[] = { "sql", NULL };
	json_t *l = list(r, sch, key), *e;
	size_t i;

	json_array_foreach(l, i, e) {
		if (json_is_object(e)) {
			keys(r, e, allowed, what);
			if (text(r, e, "sql") == NULL)
				bad(r, l, NULL, i, "%s needs 'sql'", what);
			sqltext(r, e, "sql", 0, text(r, e, "sql"));
		} else if (json_is_string(e))
			sqltext(r, l, NULL, i, json_string_value(e));
		else
			bad(r, l, NULL, i, "%s must be SQL text, not %s",
			    what, typename(e));
		add(r, ";\n");
	}
}

/*
 * The top level's sql: {first: [...], last: [...]}, SQL text run with
 * search_path public right after the extensions, or after everything
 * else.  Returns whether the file has the key at all: such a file
 * declares the whole schema, privileges and all (zn-schema(5) SQL).
 */
static int
sqlblocks(struct r *r, const json_t *root, const char *which)
{
	static const char *const allowed[] = { "first", "last", NULL };
	json_t *m;

	if (json_object_get(root, "sql") == NULL ||
	    json_is_null(json_object_get(root, "sql")))
		return json_object_get(root, "sql") != NULL;
	m = mapping(r, root, "sql");
	keys(r, m, allowed, "sql");
	if (json_array_size(list(r, m, which)) > 0) {
		enter(r, "public");
		rawsql(r, m, which);
	}
	return 1;
}

static void
views(struct r *r, const json_t *sch, int materialized)
{
	static const char *const vkeys[] = { "query", "options",
	    "check_option", "comment", NULL };
	static const char *const mkeys[] = { "query", "options",
	    "comment", "with_data", "indexes", NULL };
	static const char *const checks[] = { "local", "cascaded", NULL };
	json_t *m = mapping(r, sch, materialized ? "materialized_views" :
	    "views"), *v;
	const char *name, *s;
	struct table t;

	json_object_foreach(m, name, v) {
		checkname(r, m, name, "view");
		if (json_is_string(v)) {
			addf(r, "CREATE %sVIEW ", materialized ?
			    "MATERIALIZED " : "");
			qualified(r, r->schema, name);
			add(r, " AS ");
			sqltext(r, m, name, 0, json_string_value(v));
			add(r, ";\n");
			continue;
		}
		if (!json_is_object(v))
			bad(r, m, name, 0, "view '%s' must be a query or a "
			    "mapping, not %s", name, typename(v));
		keys(r, v, materialized ? mkeys : vkeys, materialized ?
		    "a materialized view" : "a view");
		if (text(r, v, "query") == NULL)
			bad(r, m, name, 0, "view '%s' needs a 'query'", name);
		addf(r, "CREATE %sVIEW ", materialized ? "MATERIALIZED " : "");
		qualified(r, r->schema, name);
		storage(r, v, "options");
		add(r, " AS ");
		sqltext(r, v, "query", 0, text(r, v, "query"));
		if (!materialized && (s = choice(r, v, "check_option",
		    checks)) != NULL)
			addf(r, " WITH %s CHECK OPTION",
			    strcmp(s, "local") == 0 ? "LOCAL" : "CASCADED");
		if (materialized && json_object_get(v, "with_data") != NULL &&
		    !flag(r, v, "with_data"))
			add(r, " WITH NO DATA");
		add(r, ";\n");
		comment(r, v, materialized ? "MATERIALIZED VIEW" : "VIEW",
		    r->schema, name, NULL);
		if (materialized && json_object_get(v, "indexes") != NULL) {
			memset(&t, 0, sizeof(t));
			t.schema = r->schema;
			t.name = name;
			t.node = v;
			t.columns = NULL;
			indexes(r, &t);
		}
	}
}

static const char *const schema_keys[] = { "comment", "enums",
    "sequences", "tables", "views", "materialized_views", "functions",
    NULL };

/* The schemas: "schemas:" entries, and the top level for public. */
struct sch {
	const char *name;
	json_t *node;
};

static size_t
schemalist(struct r *r, json_t *root, struct sch **out)
{
	static const char *const top[] = { "extensions", "schemas", "comment",
	    "enums", "sequences", "tables", "views", "materialized_views",
	    "functions", "sql", NULL };
	json_t *m, *v;
	const char *name;
	struct sch *s = NULL;
	size_t n = 0, i;
	int toplevel = 0;

	keys(r, root, top, "the schema file");
	for (i = 0; schema_keys[i] != NULL; i++)
		if (json_object_get(root, schema_keys[i]) != NULL)
			toplevel = 1;
	/* The top level is schema public, and comes first: it is the one
	 * the others are most likely to use. */
	if (toplevel) {
		s = zn_xmalloc(sizeof(*s));
		s[0].name = "public";
		s[0].node = root;
		n = 1;
	}
	m = mapping(r, root, "schemas");
	json_object_foreach(m, name, v) {
		checkname(r, m, name, "schema");
		if (!json_is_null(v) && !json_is_object(v))
			bad(r, m, name, 0, "schema '%s' must be a mapping, not "
			    "%s", name, typename(v));
		if (toplevel && strcmp(name, "public") == 0)
			badkey(r, m, name, "schema 'public' is declared both "
			    "here and at the top level");
		if (json_is_object(v))
			keys(r, v, schema_keys, "a schema");
		s = zn_xreallocarray(s, n + 1, sizeof(*s));
		s[n].name = name;
		s[n++].node = v;
	}
	*out = s;
	return n;
}

static void
collecttables(struct r *r, struct sch *s, size_t n)
{
	json_t *m, *t;
	const char *name;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!json_is_object(s[i].node))
			continue;
		r->schema = s[i].name;
		m = mapping(r, s[i].node, "tables");
		json_object_foreach(m, name, t) {
			checkname(r, m, name, "table");
			if (!json_is_object(t))
				bad(r, m, name, 0, "table '%s' must be a "
				    "mapping, not %s", name, typename(t));
			keys(r, t, table_keys, "a table");
			r->tables = zn_xreallocarray(r->tables, r->ntables + 1,
			    sizeof(*r->tables));
			r->tables[r->ntables].schema = s[i].name;
			r->tables[r->ntables].name = name;
			r->tables[r->ntables].node = t;
			r->tables[r->ntables].columns = mapping(r, t, "columns");
			if (r->tables[r->ntables].columns == NULL &&
			    json_object_get(t, "partition_of") == NULL)
				bad(r, m, name, 0, "table '%s' has no "
				    "'columns'", name);
			r->ntables++;
		}
	}
	/* A partition's columns are its parent's. */
	for (i = 0; i < r->ntables; i++) {
		struct table *t2 = &r->tables[i], *p;
		json_t *part = json_object_get(t2->node, "partition_of");
		int guard = 0;

		while (t2->columns == NULL && json_is_object(part) &&
		    json_is_string(json_object_get(part, "table")) &&
		    guard++ < 64) {
			char *schema, *pname;

			r->schema = t2->schema;
			splitname(r, json_string_value(json_object_get(part,
			    "table")), &schema, &pname);
			p = findtable(r, schema, pname);
			free(schema);
			free(pname);
			if (p == NULL)
				break;
			t2->columns = p->columns;
			part = json_object_get(p->node, "partition_of");
		}
	}
}

/* Parents first: partitions and children after what they come from. */
static int
depth(struct r *r, const struct table *t, int guard)
{
	json_t *p = json_object_get(t->node, "partition_of"), *l, *e;
	const struct table *q;
	char *schema, *name;
	int d = 0, x;
	size_t i;

	if (guard > 64)
		zn_yaml_die(r->y, t->node, "inherits", 0, "tables inherit "
		    "from each other in a circle");
	/* Unqualified parents are in the table's own schema. */
	r->schema = t->schema;
	if (json_is_object(p) && json_is_string(json_object_get(p, "table"))) {
		splitname(r, json_string_value(json_object_get(p, "table")),
		    &schema, &name);
		if ((q = findtable(r, schema, name)) != NULL &&
		    (x = depth(r, q, guard + 1) + 1) > d)
			d = x;
		free(schema);
		free(name);
		r->schema = t->schema;
	}
	l = json_object_get(t->node, "inherits");
	json_array_foreach(l, i, e) {
		if (!json_is_string(e))
			continue;
		splitname(r, json_string_value(e), &schema, &name);
		if ((q = findtable(r, schema, name)) != NULL &&
		    (x = depth(r, q, guard + 1) + 1) > d)
			d = x;
		free(schema);
		free(name);
		r->schema = t->schema;
	}
	return d;
}

static void
extensions(struct r *r, json_t *root)
{
	static const char *const allowed[] = { "name", "schema", "version",
	    NULL };
	json_t *l = list(r, root, "extensions"), *e;
	size_t i;

	json_array_foreach(l, i, e) {
		add(r, "CREATE EXTENSION ");
		if (json_is_string(e)) {
			ident(r, json_string_value(e));
			add(r, ";\n");
			continue;
		}
		if (!json_is_object(e))
			bad(r, l, NULL, i, "an extension must be a name or a "
			    "mapping, not %s", typename(e));
		keys(r, e, allowed, "an extension");
		if (text(r, e, "name") == NULL)
			bad(r, l, NULL, i, "an extension needs a 'name'");
		ident(r, text(r, e, "name"));
		if (text(r, e, "schema") != NULL) {
			add(r, " SCHEMA ");
			ident(r, text(r, e, "schema"));
		}
		if (text(r, e, "version") != NULL) {
			add(r, " VERSION ");
			literal(r, text(r, e, "version"));
		}
		add(r, ";\n");
	}
}

/* Switches the search path so unqualified names resolve in schema first. */
static void
enter(struct r *r, const char *schema)
{
	r->schema = schema;
	add(r, "SET search_path = ");
	ident(r, schema);
	add(r, ", public;\n");
}

char *
zn_schema_render(struct zn_yaml *y, struct zn_schema_map *map)
{
	struct zn_buf out = ZN_BUF_INIT;
	struct r r;
	struct sch *s;
	json_t *root = zn_yaml_root(y);
	size_t n, i;
	int d, maxd = 0;

	memset(&r, 0, sizeof(r));
	r.y = y;
	r.out = &out;
	if ((r.renames = json_array()) == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	if (root == NULL)
		root = json_object();
	else
		json_incref(root);
	if (!json_is_object(root))
		zn_die(ZN_EXIT_DATAERR, "%s:1:1: a schema file is a mapping "
		    "(extensions, schemas, tables, ...)", zn_yaml_name(y));
	n = schemalist(&r, root, &s);
	collecttables(&r, s, n);

	for (i = 0; i < n; i++)
		if (strcmp(s[i].name, "public") != 0) {
			add(&r, "CREATE SCHEMA ");
			ident(&r, s[i].name);
			add(&r, ";\n");
		}
	extensions(&r, root);
	map->complete = sqlblocks(&r, root, "first");
	for (i = 0; i < n; i++) {
		if (!json_is_object(s[i].node))
			continue;
		enter(&r, s[i].name);
		comment(&r, s[i].node, "SCHEMA", NULL, s[i].name, NULL);
		enums(&r, s[i].node);
		rawsql(&r, s[i].node, "functions");
		sequences(&r, s[i].node, 0);
	}
	for (i = 0; i < r.ntables; i++)
		if ((d = depth(&r, &r.tables[i], 0)) > maxd)
			maxd = d;
	for (d = 0; d <= maxd; d++)
		for (i = 0; i < r.ntables; i++)
			if (depth(&r, &r.tables[i], 0) == d) {
				enter(&r, r.tables[i].schema);
				createtable(&r, &r.tables[i]);
			}
	for (i = 0; i < n; i++)
		if (json_is_object(s[i].node)) {
			enter(&r, s[i].name);
			sequences(&r, s[i].node, 1);
		}
	for (i = 0; i < r.ntables; i++) {
		enter(&r, r.tables[i].schema);
		indexes(&r, &r.tables[i]);
		foreignkeys(&r, &r.tables[i]);
		tablecomments(&r, &r.tables[i]);
	}
	for (i = 0; i < n; i++)
		if (json_is_object(s[i].node)) {
			enter(&r, s[i].name);
			views(&r, s[i].node, 0);
			views(&r, s[i].node, 1);
		}
	for (i = 0; i < r.ntables; i++) {
		enter(&r, r.tables[i].schema);
		triggers(&r, &r.tables[i]);
		rls(&r, &r.tables[i]);
		policies(&r, &r.tables[i]);
	}
	sqlblocks(&r, root, "last");
	add(&r, "RESET search_path;\n");

	map->spans = (void *)r.spans;
	map->n = r.nspans;
	map->renames = r.renames;
	free(s);
	free(r.tables);
	for (i = 0; i < r.narena; i++)
		free(r.arena[i]);
	free(r.arena);
	json_decref(root);
	return zn_buf_detach(&out);
}

int
zn_schema_where(const struct zn_schema_map *map, size_t offset, int *line,
    int *col)
{
	const struct span *sp = map->spans, *best = NULL;
	size_t i;

	for (i = 0; i < map->n; i++)
		if (sp[i].start <= offset && offset < sp[i].end &&
		    (best == NULL || sp[i].end - sp[i].start <
		    best->end - best->start))
			best = &sp[i];
	if (best == NULL)
		return -1;
	*line = best->line;
	*col = best->col;
	return 0;
}

void
zn_schema_map_release(struct zn_schema_map *map)
{
	free(map->spans);
	map->spans = NULL;
	map->n = 0;
	json_decref(map->renames);
	map->renames = NULL;
}
