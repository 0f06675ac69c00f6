/* SPDX-License-Identifier: ISC */
/*
 * offline.c: a declared YAML schema turned into graph records without a
 * server (zn-snapshot --offline), best effort.  The declaration is first
 * checked by zn_schema_render exactly as for materialising, so every
 * mistake is still refused with its YAML position; then the records are
 * written the way PostgreSQL 15 would print them where that is a matter
 * of rules: type names (aliases, serial, arrays), automatic constraint,
 * index and sequence names (63-byte truncation included), quoting and
 * schema qualification, constraint and index definitions, identity and
 * sequence defaults, literal defaults cast to their column's type.
 * Expressions (checks, exclusion elements, generated columns, index
 * predicates, policies, non-literal defaults) are kept as written, which
 * PostgreSQL would normalise; functions, procedures, views, materialized
 * views and raw SQL need a server and are left out, and the graph says
 * so ("offline": true in its source), so zn-diff leaves those kinds
 * alone.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "zn.h"

#define NAMEDATALEN 64

struct o {
	struct zn_graph *g;
	const char *sc;		/* the schema being rendered */
	json_t *root;		/* the declaration */
	int toplevel;		/* schema public declared at the top level */
	json_t *seqs;		/* sequence records made for serial columns */
	size_t skipped[4];	/* functions, procedures, views, raw SQL */
	struct zn_arena arena;
};

static const char *
keep(struct o *o, char *s)
{
	return zn_arena_keep(&o->arena, s);
}

/*
 * A declared schema's mapping: an entry of "schemas", or for public the
 * top level when it is declared there (zn-schema(5)).
 */
static const json_t *
schemanode(const struct o *o, const char *sc)
{
	if (o->toplevel && strcmp(sc, "public") == 0)
		return o->root;
	return json_object_get(json_object_get(o->root, "schemas"), sc);
}

static const char *
S(const json_t *obj, const char *key)
{
	return zn_json_str(obj, key);
}

/* A scalar of the YAML as text (numbers and booleans too), or NULL. */
static const char *
val(struct o *o, const json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return keep(o, zn_xasprintf("%" JSON_INTEGER_FORMAT,
		    json_integer_value(v)));
	if (json_is_real(v))
		return keep(o, zn_xasprintf("%.17g", json_real_value(v)));
	if (json_is_boolean(v))
		return json_is_true(v) ? "true" : "false";
	return NULL;
}

static int
flag(const json_t *c, const char *key)
{
	const json_t *v = json_object_get(c, key);

	return json_is_true(v) || (json_is_string(v) &&
	    (strcmp(json_string_value(v), "true") == 0 ||
	    strcmp(json_string_value(v), "yes") == 0));
}

static const char *
qi(struct o *o, const char *s)
{
	return zn_arena_ident(&o->arena, s);
}

/*
 * A name as the introspection prints it: always qualified, since it
 * runs with only pg_catalog on the search path.
 */
static const char *
qn(struct o *o, const char *schema, const char *name)
{
	return zn_arena_qualified(&o->arena, schema, name);
}

static char *
lower(const char *s)
{
	char *t = zn_xstrdup(s), *p;

	for (p = t; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return t;
}

/* Length of s cut to at most n bytes without splitting a UTF-8 char. */
static size_t
clip(const char *s, size_t n)
{
	size_t len = strlen(s);

	if (len <= n)
		return len;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* makeObjectName of PostgreSQL: name1_name2_label within 63 bytes. */
static const char *
objname(struct o *o, const char *n1, const char *n2, const char *label)
{
	size_t over = strlen(label) + 1 + (n2 != NULL ? 1 : 0);
	size_t avail = NAMEDATALEN - 1 - over;
	size_t l1 = strlen(n1), l2 = n2 != NULL ? strlen(n2) : 0;

	while (l1 + l2 > avail) {
		if (l1 > l2)
			l1--;
		else
			l2--;
	}
	l1 = clip(n1, l1);
	if (n2 != NULL)
		l2 = clip(n2, l2);
	if (n2 == NULL)
		return keep(o, zn_xasprintf("%.*s_%s", (int)l1, n1, label));
	return keep(o, zn_xasprintf("%.*s_%.*s_%s", (int)l1, n1, (int)l2,
	    n2, label));
}

/* Column names joined with "_", as PostgreSQL names keys after them. */
static const char *
joined(struct o *o, const json_t *cols)
{
	struct zn_buf b = ZN_BUF_INIT;
	const json_t *c;
	size_t i;

	json_array_foreach(cols, i, c) {
		if (i > 0)
			zn_buf_addch(&b, '_');
		zn_buf_adds(&b, val(o, c) != NULL ? val(o, c) : "");
		if (b.len >= NAMEDATALEN)
			break;
	}
	return keep(o, zn_buf_detach(&b));
}

static const char *
collist(struct o *o, const json_t *cols)
{
	struct zn_buf b = ZN_BUF_INIT;
	const json_t *c;
	size_t i;

	json_array_foreach(cols, i, c) {
		if (i > 0)
			zn_buf_adds(&b, ", ");
		zn_pg_ident(&b, val(o, c) != NULL ? val(o, c) : "");
	}
	return keep(o, zn_buf_detach(&b));
}

/* ---- types ---- */

static const struct alias {
	const char *from, *to;
} aliases[] = {
	{ "bigint", "bigint" }, { "bigserial", "bigint" },
	{ "bool", "boolean" }, { "char", "character" },
	{ "decimal", "numeric" }, { "double precision", "double precision" },
	{ "float", "double precision" }, { "float4", "real" },
	{ "float8", "double precision" }, { "int", "integer" },
	{ "int2", "smallint" }, { "int4", "integer" }, { "int8", "bigint" },
	{ "serial", "integer" }, { "serial2", "smallint" },
	{ "serial4", "integer" }, { "serial8", "bigint" },
	{ "smallserial", "smallint" }, { "time", "time without time zone" },
	{ "timestamp", "timestamp without time zone" },
	{ "timestamptz", "timestamp with time zone" },
	{ "timetz", "time with time zone" }, { "varbit", "bit varying" },
	{ "varchar", "character varying" },
};

/*
 * A declared type as format_type prints it, and *serial set to the
 * width of a serial pseudo-type (0 for none).
 */
static const char *
typename_(struct o *o, const char *decl, int *serial)
{
	char *t = lower(decl), *p, *mod = NULL, *base;
	const char *out = NULL;
	int dims = 0;
	size_t i, n;

	*serial = 0;
	/* Arrays: any number of [] (or [n]) are one "[]" to PostgreSQL. */
	while ((n = strlen(t)) > 0 && t[n - 1] == ']' &&
	    (p = strrchr(t, '[')) != NULL) {
		*p = '\0';
		dims++;
	}
	while ((n = strlen(t)) > 0 && t[n - 1] == ' ')
		t[n - 1] = '\0';
	/* A user type keeps its spelling, qualified as PostgreSQL would. */
	if (strchr(decl, '"') != NULL || strchr(t, '.') != NULL) {
		const char *dot = strchr(decl, '.');
		char *sc, *nm;

		free(t);
		if (dot == NULL || strchr(decl, '"') != NULL)
			return decl;	/* quoted: as written */
		sc = zn_xstrndup(decl, (size_t)(dot - decl));
		nm = zn_xstrdup(dot + 1);
		if ((p = strchr(nm, '[')) != NULL)
			*p = '\0';
		out = keep(o, zn_xasprintf("%s%s", qn(o, sc, nm),
		    dims ? "[]" : ""));
		free(sc);
		free(nm);
		return out;
	}
	if ((p = strchr(t, '(')) != NULL) {
		mod = zn_xstrdup(p);
		*p = '\0';
		while ((n = strlen(t)) > 0 && t[n - 1] == ' ')
			t[n - 1] = '\0';
		for (p = mod; *p != '\0'; p++)
			if (*p == ' ')
				memmove(p, p + 1, strlen(p));
	}
	base = t;
	if (strncmp(base, "character varying", 17) == 0)
		out = "character varying";
	else if (strcmp(base, "timestamp with time zone") == 0 ||
	    strcmp(base, "timestamp without time zone") == 0 ||
	    strcmp(base, "time with time zone") == 0 ||
	    strcmp(base, "time without time zone") == 0)
		out = base;
	for (i = 0; out == NULL && i < sizeof(aliases) / sizeof(*aliases);
	    i++)
		if (strcmp(base, aliases[i].from) == 0)
			out = aliases[i].to;
	if (out == NULL)
		out = base;
	if (mod == NULL && dims == 0 && (strcmp(base, "serial") == 0 ||
	    strcmp(base, "serial2") == 0 || strcmp(base, "serial4") == 0 ||
	    strcmp(base, "serial8") == 0 || strcmp(base, "bigserial") == 0 ||
	    strcmp(base, "smallserial") == 0))
		*serial = strcmp(out, "bigint") == 0 ? 8 :
		    strcmp(out, "smallint") == 0 ? 2 : 4;
	if (strcmp(base, "float") == 0 && mod != NULL) {
		out = atoi(mod + 1) <= 24 ? "real" : "double precision";
		free(mod);
		mod = NULL;
	}
	if (strcmp(out, "numeric") == 0 && mod != NULL &&
	    strchr(mod, ',') == NULL) {
		char *m = zn_xasprintf("(%d,0)", atoi(mod + 1));

		free(mod);
		mod = m;
	}
	if (strcmp(out, "character") == 0 && mod == NULL && dims == 0)
		mod = zn_xstrdup("(1)");
	/* The modifier goes before "with(out) time zone". */
	if (mod != NULL && strncmp(out, "time", 4) == 0 &&
	    (p = strstr(out, " with")) != NULL)
		out = keep(o, zn_xasprintf("%.*s%s%s", (int)(p - out), out, mod,
		    p));
	else if (mod != NULL)
		out = keep(o, zn_xasprintf("%s%s", out, mod));
	else
		out = keep(o, zn_xstrdup(out));
	if (dims)
		out = keep(o, zn_xasprintf("%s[]", out));
	free(mod);
	free(t);
	return out;
}

/* A name that is one quoted identifier, unquoted; else NULL. */
static char *
unquote(const char *s)
{
	char *t, *q;

	if (*s++ != '"')
		return NULL;
	t = q = zn_xstrdup(s);
	for (; *s != '\0'; s++) {
		if (*s == '"' && s[1] == '"')
			s++;
		else if (*s == '"')
			break;
		*q++ = *s;
	}
	*q = '\0';
	if (*s != '"' || s[1] != '\0') {
		free(t);
		return NULL;
	}
	return t;
}

/* The user type a column names, resolved against the declared enums. */
static const char *
coltype(struct o *o, const char *decl, int *serial)
{
	const json_t *sch = schemanode(o, o->sc);
	const char *t = typename_(o, decl, serial);
	char *base = zn_xstrdup(decl), *p;
	const char *out = t;

	if ((p = strchr(base, '[')) != NULL)
		*p = '\0';
	while ((p = strrchr(base, ' ')) != NULL && p[1] == '\0')
		*p = '\0';
	/* An unqualified enum of this schema, quoted or not. */
	if ((p = unquote(base)) != NULL) {
		free(base);
		base = p;
	} else if (strchr(base, '.') != NULL || strchr(base, '"') != NULL)
		*base = '\0';
	if (*base != '\0' && json_object_get(json_object_get(sch, "enums"),
	    base) != NULL)
		out = keep(o, zn_xasprintf("%s%s", qn(o, o->sc, base),
		    strchr(decl, '[') != NULL ? "[]" : ""));
	free(base);
	return out;
}

/* ---- defaults ---- */

/*
 * A default as PostgreSQL prints it, where that is a rule: a quoted
 * literal gets its column's type as a cast; the rest is as written.
 * Array literals keep their "[]".
 */
static const char *
defaultexpr(struct o *o, const char *d, const char *type)
{
	size_t n = strlen(d);
	const char *p;

	if (n >= 2 && d[0] == '\'') {
		for (p = d + 1; *p != '\0'; p++)
			if (*p == '\'') {
				if (p[1] == '\'') {
					p++;
					continue;
				}
				break;
			}
		if (*p == '\'' && p[1] == '\0') {
			/* The cast names the type without its modifier. */
			const char *m = strchr(type, '(');
			const char *e = m != NULL ? strchr(m, ')') : NULL;

			if (e == NULL)
				return keep(o, zn_xasprintf("%s::%s", d, type));
			return keep(o, zn_xasprintf("%s::%.*s%s", d,
			    (int)(m - type), type, e + 1));
		}
	}
	if (strcasecmp(d, "current_timestamp") == 0)
		return "CURRENT_TIMESTAMP";
	if (strcasecmp(d, "current_date") == 0)
		return "CURRENT_DATE";
	if (strcasecmp(d, "now()") == 0)
		return "now()";
	return d;
}

/* ---- records ---- */

static json_t *
mkcheck(struct o *o, const char *name, const char *expr, int notvalid,
    int noinherit, const char *comment)
{
	return json_pack("{s:s, s:s?, s:s, s:s, s:b, s:b, s:b}", "name",
	    name, "comment", comment, "definition", keep(o, zn_xasprintf(
	    "CHECK ((%s))%s%s", expr, noinherit ? " NO INHERIT" : "",
	    notvalid ? " NOT VALID" : "")), "expression", keep(o,
	    zn_xasprintf("(%s)", expr)), "inherited", 0, "no_inherit",
	    noinherit, "not_valid", notvalid);
}

static const char *
deferral(const json_t *c, int *def, int *deferred)
{
	*def = flag(c, "deferrable");
	*deferred = flag(c, "deferred");
	if (*deferred)
		*def = 1;
	return *deferred ? " DEFERRABLE INITIALLY DEFERRED" : *def ?
	    " DEFERRABLE" : "";
}

static const char *
upperaction(struct o *o, const char *a)
{
	char *u = zn_xstrdup(a != NULL ? a : "no action"), *p;

	for (p = u; *p != '\0'; p++)
		*p = (char)toupper((unsigned char)*p);
	return keep(o, u);
}

static json_t *
mkfk(struct o *o, const char *tname, const json_t *cols, const char *name,
    const char *rschema, const char *rtable, const json_t *rcols,
    const json_t *c)
{
	const char *del = upperaction(o, S(c, "on_delete"));
	const char *upd = upperaction(o, S(c, "on_update"));
	const char *match = S(c, "match") != NULL ? upperaction(o,
	    S(c, "match")) : "SIMPLE";
	const char *dfr;
	int def, deferred, notvalid = flag(c, "not_valid");
	json_t *fk;

	dfr = deferral(c, &def, &deferred);
	if (name == NULL)
		name = objname(o, tname, joined(o, cols), "fkey");
	fk = json_pack("{s:s, s:O, s:s?, s:b, s:b, s:s, s:s, s:b, s:s, s:s,"
	    " s:{s:s, s:s, s:O}}", "name", name, "columns", cols, "comment",
	    S(c, "comment"), "deferrable", def, "deferred", deferred,
	    "definition", keep(o, zn_xasprintf("FOREIGN KEY (%s) REFERENCES "
	    "%s(%s)%s%s%s%s%s", collist(o, cols), qn(o, rschema, rtable),
	    collist(o, rcols), strcmp(match, "FULL") == 0 ? " MATCH FULL" :
	    "", strcmp(upd, "NO ACTION") != 0 ? keep(o, zn_xasprintf(
	    " ON UPDATE %s", upd)) : "", strcmp(del, "NO ACTION") != 0 ?
	    keep(o, zn_xasprintf(" ON DELETE %s", del)) : "", dfr,
	    notvalid ? " NOT VALID" : "")), "match", match, "not_valid",
	    notvalid, "on_delete", del, "on_update", upd, "references",
	    "schema", rschema, "table", rtable, "columns", rcols);
	return fk;
}

/* "table" or "schema.table" of a reference, split. */
static void
splitref(struct o *o, const char *ref, const char **sc, const char **tb)
{
	const char *dot = strchr(ref, '.');

	if (dot == NULL) {
		*sc = o->sc;
		*tb = ref;
		return;
	}
	*sc = keep(o, zn_xstrndup(ref, (size_t)(dot - ref)));
	*tb = dot + 1;
}

/* The primary key columns of a declared table (new reference). */
static json_t *
pkcols(const json_t *t)
{
	json_t *pk = json_object_get(t, "primary_key"), *out, *c;
	const char *k;

	if (json_is_array(pk))
		return json_incref(pk);
	if (json_is_object(pk))
		return json_incref(json_object_get(pk, "columns"));
	out = json_array();
	json_object_foreach(json_object_get(t, "columns"), k, c)
		if (json_is_object(c) && flag(c, "primary_key"))
			json_array_append_new(out, json_string(k));
	return out;
}

static const json_t *
decltable(struct o *o, const char *sc, const char *tb)
{
	return json_object_get(json_object_get(schemanode(o, sc), "tables"),
	    tb);
}

/* A column's references: ("table.column" or a mapping) as an FK. */
static json_t *
colfk(struct o *o, const char *tname, const char *col, const json_t *ref)
{
	const char *rs, *rt, *rc = NULL, *name = NULL;
	json_t *cols, *rcols, *fk;
	const json_t *opts = ref;

	if (json_is_string(ref)) {
		const char *s = json_string_value(ref), *dot = strrchr(s, '.');

		rt = dot != NULL ? keep(o, zn_xstrndup(s,
		    (size_t)(dot - s))) : s;
		rc = dot != NULL ? dot + 1 : NULL;
		opts = NULL;
	} else {
		rt = S(ref, "table");
		rc = S(ref, "column");
		name = S(ref, "name");
	}
	splitref(o, rt, &rs, &rt);
	cols = json_pack("[s]", col);
	if (rc != NULL)
		rcols = json_pack("[s]", rc);
	else {
		const json_t *t = decltable(o, rs, rt);

		rcols = t != NULL ? pkcols(t) : json_array();
	}
	fk = mkfk(o, tname, cols, name, rs, rt, rcols, opts);
	json_decref(cols);
	json_decref(rcols);
	return fk;
}

static const char *const maxof[][2] = { { "smallint", "32767" },
    { "integer", "2147483647" }, { "bigint", "9223372036854775807" } };

static const char *
typemax(const char *type)
{
	size_t i;

	for (i = 0; i < 3; i++)
		if (strcmp(type, maxof[i][0]) == 0)
			return maxof[i][1];
	return maxof[2][1];
}

/* An option of an identity or a sequence, as text, or dflt. */
static const char *
opt(struct o *o, const json_t *m, const char *k, const char *dflt)
{
	const char *v = val(o, json_object_get(m, k));

	return v != NULL ? v : dflt;
}

static json_t *
mkidentity(struct o *o, const char *tname, const char *col,
    const char *type, const json_t *id)
{
	const char *gen = json_is_string(id) ? json_string_value(id) :
	    S(id, "generation");
	const json_t *m = json_is_object(id) ? id : NULL;

	return json_pack("{s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "cache", opt(o, m, "cache", "1"), "cycle", flag(m, "cycle"),
	    "generation", gen != NULL && strcmp(gen, "by default") == 0 ?
	    "by default" : "always", "increment", opt(o, m, "increment",
	    "1"), "max", opt(o, m, "max", typemax(type)), "min", opt(o, m,
	    "min", "1"), "sequence", objname(o, tname, col, "seq"),
	    "sequence_schema", o->sc, "start", opt(o, m, "start",
	    opt(o, m, "min", "1")));
}

static json_t *
mksequence(struct o *o, const char *name, const char *type,
    const json_t *m, json_t *owned, const char *comment)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s?, s:b, s:s, s:s, s:s, "
	    "s:o, s:s, s:s}", "kind", "sequence", "schema", o->sc, "name",
	    name, "cache", opt(o, m, "cache", "1"), "comment", comment,
	    "cycle", flag(m, "cycle"), "increment", opt(o, m, "increment",
	    "1"), "max", opt(o, m, "max", typemax(type)), "min", opt(o, m,
	    "min", "1"), "owned_by", owned != NULL ? owned : json_null(),
	    "start", opt(o, m, "start", opt(o, m, "min", "1")), "type", type);
}

/* The default btree (or gin, gist) operator class for a type. */
static const char *
opclass(const char *method, const char *type)
{
	static const char *const btree[][2] = {
	    { "bigint", "pg_catalog.int8_ops" },
	    { "boolean", "pg_catalog.bool_ops" },
	    { "bytea", "pg_catalog.bytea_ops" },
	    { "character", "pg_catalog.bpchar_ops" },
	    { "character varying", "pg_catalog.text_ops" },
	    { "date", "pg_catalog.date_ops" },
	    { "double precision", "pg_catalog.float8_ops" },
	    { "inet", "pg_catalog.inet_ops" },
	    { "integer", "pg_catalog.int4_ops" },
	    { "interval", "pg_catalog.interval_ops" },
	    { "jsonb", "pg_catalog.jsonb_ops" },
	    { "numeric", "pg_catalog.numeric_ops" },
	    { "real", "pg_catalog.float4_ops" },
	    { "smallint", "pg_catalog.int2_ops" },
	    { "text", "pg_catalog.text_ops" },
	    { "time without time zone", "pg_catalog.time_ops" },
	    { "timestamp with time zone", "pg_catalog.timestamptz_ops" },
	    { "timestamp without time zone", "pg_catalog.timestamp_ops" },
	    { "uuid", "pg_catalog.uuid_ops" } };
	char base[128];
	const char *p;
	size_t i;

	if (strcmp(method, "gin") == 0)
		return strstr(type, "[]") != NULL ? "pg_catalog.array_ops" :
		    strcmp(type, "jsonb") == 0 ? "pg_catalog.jsonb_ops" :
		    strcmp(type, "tsvector") == 0 ? "pg_catalog.tsvector_ops" :
		    NULL;
	if (strcmp(method, "btree") != 0)
		return NULL;
	if (strstr(type, "[]") != NULL)
		return "pg_catalog.array_ops";
	p = strchr(type, '(');
	snprintf(base, sizeof(base), "%.*s", p != NULL ? (int)(p - type) :
	    (int)strlen(type), type);
	if (p != NULL && strstr(p, ") with") != NULL)
		snprintf(base, sizeof(base), "%.*s%s", (int)(p - type), type,
		    strchr(p, ')') + 1);
	for (i = 0; i < sizeof(btree) / sizeof(*btree); i++)
		if (strcmp(base, btree[i][0]) == 0)
			return btree[i][1];
	return NULL;
}

/* Whether a declared type is one of the enums of schema sc. */
static int
enumof(struct o *o, const char *sc, const json_t *s, const char *type)
{
	const json_t *e = json_object_get(s, "enums");
	void *it = json_object_iter((json_t *)e);

	for (; it != NULL; it = json_object_iter_next((json_t *)e, it))
		if (strcmp(type, qn(o, sc, json_object_iter_key(it))) == 0)
			return 1;
	return 0;
}

/* Whether a declared type is one of the declared enums. */
static int
isenum(struct o *o, const char *type)
{
	const json_t *schemas = json_object_get(o->root, "schemas"), *s;
	const char *sc;

	if (o->toplevel && enumof(o, "public", o->root, type))
		return 1;
	json_object_foreach((json_t *)schemas, sc, s)
		if (enumof(o, sc, s, type))
			return 1;
	return 0;
}

static const char *
keytext(struct o *o, const char *expr)
{
	size_t n = strlen(expr);
	const char *p;

	/* A function call prints bare; any other expression in parens. */
	for (p = expr; *p != '\0' && (isalnum((unsigned char)*p) ||
	    *p == '_' || *p == '.'); p++)
		;
	if (p > expr && *p == '(' && expr[n - 1] == ')')
		return expr;
	return keep(o, zn_xasprintf("(%s)", expr));
}

static json_t *
mkindex(struct o *o, const char *tname, const json_t *cols,
    const char *name, const json_t *ix, int only)
{
	const char *method = S(ix, "method") != NULL ? S(ix, "method") :
	    "btree";
	int ordered = strcmp(method, "btree") == 0, unique = flag(ix,
	    "unique"), nnd = flag(ix, "nulls_not_distinct");
	struct zn_buf def = ZN_BUF_INIT;
	json_t *keys = json_array(), *opts = json_array(), *k, *rec;
	const json_t *with = json_object_get(ix, "with"), *e;
	const char *wk;
	size_t i;

	zn_buf_addf(&def, "CREATE %sINDEX %s ON %s%s USING %s (", unique ?
	    "UNIQUE " : "", qi(o, name), only ? "ONLY " : "",
	    qn(o, o->sc, tname), method);
	json_array_foreach(json_object_get(ix, "columns"), i, e) {
		const char *col = json_is_string(e) ? json_string_value(e) :
		    S(e, "column"), *expr = S(e, "expression");
		const char *order = S(e, "order"), *nulls = S(e, "nulls");
		const char *oc = S(e, "opclass"), *type = NULL, *dflt;
		const json_t *c;
		int serial, desc = order != NULL && strcmp(order, "desc") == 0;

		if (i > 0)
			zn_buf_adds(&def, ", ");
		if (col != NULL) {
			zn_pg_ident(&def, col);
			c = json_object_get(cols, col);
			if (json_is_string(c))
				type = coltype(o, json_string_value(c),
				    &serial);
			else if (S(c, "type") != NULL)
				type = coltype(o, S(c, "type"), &serial);
		} else
			zn_buf_adds(&def, keytext(o, expr != NULL ? expr : ""));
		if (S(e, "collation") != NULL) {
			zn_buf_adds(&def, " COLLATE ");
			zn_pg_ident(&def, S(e, "collation"));
		}
		dflt = type == NULL ? NULL : isenum(o, type) && ordered ?
		    "pg_catalog.enum_ops" : opclass(method, type);
		if (oc != NULL) {
			zn_buf_addf(&def, " %s", oc);
			if (strchr(oc, '.') == NULL)
				oc = keep(o, zn_xasprintf("pg_catalog.%s", oc));
		} else
			oc = dflt;
		if (ordered && desc)
			zn_buf_adds(&def, " DESC");
		if (ordered && nulls != NULL && (strcmp(nulls, "first") == 0)
		    != desc)
			zn_buf_addf(&def, " NULLS %s", desc ? "LAST" : "FIRST");
		k = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?}", "column", col,
		    "expression", col == NULL ? expr : NULL, "nulls", !ordered ?
		    NULL : nulls != NULL ? nulls : desc ? "first" : "last",
		    "opclass", oc, "order", !ordered ? NULL : desc ? "desc" :
		    "asc");
		json_array_append_new(keys, k);
	}
	zn_buf_addch(&def, ')');
	if (json_array_size(json_object_get(ix, "include")) > 0)
		zn_buf_addf(&def, " INCLUDE (%s)", collist(o,
		    json_object_get(ix, "include")));
	if (nnd)
		zn_buf_adds(&def, " NULLS NOT DISTINCT");
	if (json_is_object(with) && json_object_size(with) > 0) {
		const json_t *v;

		zn_buf_adds(&def, " WITH (");
		i = 0;
		json_object_foreach((json_t *)with, wk, v) {
			zn_buf_addf(&def, "%s%s='%s'", i++ ? ", " : "", wk,
			    val(o, v) != NULL ? val(o, v) : "");
			json_array_append_new(opts, json_string(keep(o,
			    zn_xasprintf("%s=%s", wk, val(o, v) != NULL ?
			    val(o, v) : ""))));
		}
		zn_buf_addch(&def, ')');
	}
	if (S(ix, "where") != NULL)
		zn_buf_addf(&def, " WHERE (%s)", S(ix, "where"));
	rec = json_pack("{s:s, s:s?, s:s, s:o, s:o, s:s, s:b, s:o, s:n, "
	    "s:b, s:b, s:s?}", "name", name, "comment", S(ix, "comment"),
	    "definition", def.buf, "include", json_object_get(ix, "include") ?
	    json_incref(json_object_get(ix, "include")) : json_array(),
	    "keys", keys,
	    "method", method, "nulls_not_distinct", nnd, "options", opts,
	    "parent", "unique", unique, "valid", 1, "where", S(ix, "where") ?
	    keep(o, zn_xasprintf("(%s)", S(ix, "where"))) : NULL);
	zn_buf_release(&def);
	return rec;
}

/*
 * What PostgreSQL names an element of an exclusion after, for the
 * constraint's automatic name (ChooseIndexColumnNames): its column, the
 * function an expression calls, else "expr".
 */
static const char *
elemname(struct o *o, const char *e)
{
	const char *p = e, *s;
	char *nm;
	int paren = 0;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '(') {
		paren = 1;
		for (p++; isspace((unsigned char)*p); p++)
			;
	}
	if (*p == '"') {
		for (s = ++p; *p != '\0' && (*p != '"' || p[1] == '"'); p++)
			if (*p == '"')
				p++;
		nm = zn_xstrndup(s, (size_t)(p - s));
		if (*p == '"')
			p++;
	} else {
		for (s = p; isalnum((unsigned char)*p) || *p == '_' ||
		    (unsigned char)*p >= 0x80; p++)
			;
		if (p == s)
			return "expr";
		nm = zn_xstrndup(s, (size_t)(p - s));
		s = nm;
		nm = lower(s);
		free((char *)s);
	}
	while (isspace((unsigned char)*p))
		p++;
	if (paren && *p != '(') {
		free(nm);
		return "expr";
	}
	return keep(o, nm);
}

/* The element names of an exclusion's SQL text, split at its commas. */
static json_t *
elemnames(struct o *o, const char *elems)
{
	json_t *a = json_array();
	const char *p, *start = elems;
	char q = 0;
	int depth = 0;

	for (p = elems;; p++) {
		if (*p == '\0' || (*p == ',' && depth == 0 && q == 0)) {
			char *one = zn_xstrndup(start, (size_t)(p - start));

			json_array_append_new(a, json_string(elemname(o, one)));
			free(one);
			if (*p == '\0')
				break;
			start = p + 1;
		} else if (q != 0) {
			if (*p == q)
				q = 0;
		} else if (*p == '\'' || *p == '"')
			q = *p;
		else if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
	}
	return a;
}

/*
 * An exclusion constraint, its elements and predicate as written (in
 * the parentheses pg_get_constraintdef puts around a predicate).
 */
static json_t *
mkexclusion(struct o *o, const char *tname, const json_t *c)
{
	const char *elems = S(c, "elements") != NULL ? S(c, "elements") : "";
	const char *name = S(c, "name"), *dfr;
	int def, deferred;

	if (name == NULL) {
		json_t *names = elemnames(o, elems);

		name = objname(o, tname, joined(o, names), "excl");
		json_decref(names);
	}
	dfr = deferral(c, &def, &deferred);
	return json_pack("{s:s, s:s?, s:b, s:b, s:s}", "name", name,
	    "comment", S(c, "comment"), "deferrable", def, "deferred",
	    deferred, "definition", keep(o, zn_xasprintf("EXCLUDE USING %s "
	    "(%s)%s%s%s%s", qi(o, S(c, "using") != NULL ? S(c, "using") :
	    "gist"), elems, S(c, "where") != NULL ? " WHERE ((" : "",
	    S(c, "where") != NULL ? S(c, "where") : "", S(c, "where") !=
	    NULL ? "))" : "", dfr)));
}

static void
add(struct o *o, json_t *rec)
{
	if (rec == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot build an offline record");
	zn_graph_add(o->g, rec);
}

static json_t *
column(struct o *o, const char *tname, const char *name, const json_t *c,
    json_t *checks, json_t *uniques, json_t *fks, json_t **pk)
{
	const char *decl = json_is_string(c) ? json_string_value(c) :
	    S(c, "type"), *type, *dflt = NULL, *gen;
	const json_t *id = json_object_get(c, "identity");
	json_t *idrec = NULL, *genrec = NULL, *ref;
	int serial, notnull = flag(c, "not_null");

	type = coltype(o, decl != NULL ? decl : "", &serial);
	if (val(o, json_object_get(c, "default")) != NULL)
		dflt = defaultexpr(o, val(o, json_object_get(c, "default")),
		    type);
	if (serial) {
		const char *seq = objname(o, tname, name, "seq");

		json_array_append_new(o->seqs, mksequence(o, seq, type, NULL,
		    json_pack("{s:s, s:s, s:s}", "schema", o->sc, "table",
		    tname, "column", name), NULL));
		dflt = keep(o, zn_xasprintf("nextval(%s::regclass)", keep(o,
		    zn_xasprintf("'%s'", qn(o, o->sc, seq)))));
		notnull = 1;
	}
	if (id != NULL) {
		idrec = mkidentity(o, tname, name, type, id);
		notnull = 1;
	}
	if ((gen = S(c, "generated")) != NULL)
		genrec = json_pack("{s:s, s:b}", "expression", gen, "stored",
		    1);
	if (flag(c, "primary_key")) {
		notnull = 1;
		*pk = json_pack("[s]", name);
	}
	if (flag(c, "unique")) {
		json_t *cols = json_pack("[s]", name);

		json_array_append_new(uniques, json_pack("{s:s, s:O, s:n, "
		    "s:b, s:b, s:s, s:[], s:b}", "name", objname(o, tname,
		    name, "key"), "columns", cols, "comment", "deferrable", 0,
		    "deferred", 0, "definition", keep(o, zn_xasprintf(
		    "UNIQUE (%s)", qi(o, name))), "include",
		    "nulls_not_distinct", 0));
		json_decref(cols);
	}
	if (S(c, "check") != NULL)
		json_array_append_new(checks, mkcheck(o, objname(o, tname,
		    name, "check"), S(c, "check"), 0, 0, NULL));
	if ((ref = json_object_get(c, "references")) != NULL)
		json_array_append_new(fks, colfk(o, tname, name, ref));
	return json_pack("{s:s, s:s?, s:s?, s:s?, s:o?, s:o?, s:b, s:b, "
	    "s:s}", "name", name, "collation", S(c, "collation") == NULL ? NULL :
	    strchr(S(c, "collation"), '.') != NULL ? S(c, "collation") :
	    keep(o, zn_xasprintf("pg_catalog.%s", qi(o, S(c, "collation")))), "comment", S(c, "comment"),
	    "default", dflt, "generated", genrec, "identity", idrec,
	    "inherited", 0, "not_null", notnull, "type", type);
}

static const char *
conname(struct o *o, const json_t *c, const char *n1, const char *n2,
    const char *label)
{
	return S(c, "name") != NULL ? S(c, "name") : objname(o, n1, n2,
	    label);
}

static json_t *
keyrec(struct o *o, const char *what, const char *name, const json_t *cols,
    const json_t *c, int nnd)
{
	const json_t *inc = json_object_get(c, "include");
	const char *dfr;
	int def, deferred;

	dfr = deferral(c, &def, &deferred);
	return json_pack("{s:s, s:O, s:s?, s:b, s:b, s:s, s:o}", "name", name,
	    "columns", cols, "comment", S(c, "comment"), "deferrable", def,
	    "deferred", deferred, "definition", keep(o, zn_xasprintf(
	    "%s %s(%s)%s%s%s", what, nnd ? "NULLS NOT DISTINCT " : "",
	    collist(o, cols), json_array_size(inc) > 0 ? keep(o,
	    zn_xasprintf(" INCLUDE (%s)", collist(o, inc))) : "", dfr, "")),
	    "include", inc != NULL ? json_incref((json_t *)inc) :
	    json_array());
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a),
	    json_string_value(*(json_t *const *)b));
}

/* Storage options print sorted. */
static void
sortstrings(json_t *a)
{
	size_t n = json_array_size(a), i;
	json_t **v;

	if (n < 2)
		return;
	v = zn_xreallocarray(NULL, n, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(a, i));
	qsort(v, n, sizeof(*v), cmpstr);
	json_array_clear(a);
	for (i = 0; i < n; i++)
		json_array_append_new(a, v[i]);
	free(v);
}

/* "range (at)" as PostgreSQL prints it: the strategy in capitals. */
static const char *
partkey(struct o *o, const char *p)
{
	size_t n = strcspn(p, " (");

	return keep(o, zn_xasprintf("%s%s", upperaction(o, keep(o,
	    zn_xstrndup(p, n))), p + n));
}

static void
table(struct o *o, const char *tname, const json_t *t)
{
	json_t *cols = json_array(), *checks = json_array(), *fks =
	    json_array(), *uniques = json_array(), *indexes = json_array(),
	    *policies = json_array(), *pk = NULL, *pkrec = json_null(),
	    *opts = json_array(), *inh = json_array(), *excl = json_array(),
	    *e, *rec;
	const json_t *dc = json_object_get(t, "columns"), *c, *rls, *part;
	const char *k;
	size_t i;

	json_object_foreach((json_t *)dc, k, c)
		json_array_append_new(cols, column(o, tname, k, c, checks,
		    uniques, fks, &pk));
	if (json_object_get(t, "primary_key") != NULL) {
		json_decref(pk);
		pk = pkcols(t);
	}
	if (json_array_size(pk) > 0) {
		const json_t *m = json_object_get(t, "primary_key");

		if (!json_is_object(m))
			m = NULL;
		pkrec = keyrec(o, "PRIMARY KEY", conname(o, m, tname, NULL,
		    "pkey"), pk, m, 0);
		/* Key columns are NOT NULL. */
		json_array_foreach(cols, i, e) {
			const json_t *p;
			size_t j;

			json_array_foreach(pk, j, p)
				if (json_equal(json_object_get(e, "name"), p))
					json_object_set_new(e, "not_null",
					    json_true());
		}
	}
	json_decref(pk);
	json_array_foreach(json_object_get(t, "uniques"), i, c) {
		const json_t *uc = json_object_get(c, "columns");

		json_array_append_new(uniques, keyrec(o, "UNIQUE", conname(o,
		    c, tname, joined(o, uc), "key"), uc, c, flag(c,
		    "nulls_not_distinct")));
		json_object_set_new(json_array_get(uniques,
		    json_array_size(uniques) - 1), "nulls_not_distinct",
		    json_boolean(flag(c, "nulls_not_distinct")));
	}
	json_array_foreach(uniques, i, e)
		if (json_object_get(e, "nulls_not_distinct") == NULL)
			json_object_set_new(e, "nulls_not_distinct",
			    json_false());
	json_object_foreach(json_object_get(t, "checks"), k, c) {
		const char *x = json_is_string(c) ? json_string_value(c) :
		    S(c, "expression");

		json_array_append_new(checks, mkcheck(o, k, x != NULL ? x : "",
		    flag(c, "not_valid"), flag(c, "no_inherit"),
		    S(c, "comment")));
	}
	json_array_foreach(json_object_get(t, "foreign_keys"), i, c) {
		const json_t *ref = json_object_get(c, "references"), *rc;
		const char *rs, *rt;
		json_t *rcols;

		splitref(o, S(ref, "table") != NULL ? S(ref, "table") : "",
		    &rs, &rt);
		rc = json_object_get(ref, "columns");
		rcols = rc != NULL ? json_incref((json_t *)rc) :
		    decltable(o, rs, rt) != NULL ? pkcols(decltable(o, rs, rt)) :
		    json_array();
		json_array_append_new(fks, mkfk(o, tname, json_object_get(c,
		    "columns"), S(c, "name"), rs, rt, rcols, c));
		json_decref(rcols);
	}
	json_array_foreach(json_object_get(t, "exclusions"), i, c)
		json_array_append_new(excl, mkexclusion(o, tname, c));
	json_object_foreach(json_object_get(t, "indexes"), k, c)
		json_array_append_new(indexes, mkindex(o, tname, dc, k, c,
		    S(t, "partition_by") != NULL));
	json_object_foreach(json_object_get(t, "policies"), k, c) {
		const json_t *roles = json_object_get(c, "roles");
		json_t *rl = json_array(), *r;
		const char *cmd = S(c, "command");
		size_t j;

		json_array_foreach(roles, j, r)
			json_array_append_new(rl, json_string(val(o, r)));
		if (json_array_size(rl) == 0)
			json_array_append_new(rl, json_string("public"));
		json_array_append_new(policies, json_pack("{s:s, s:s, s:s?, "
		    "s:b, s:o, s:s?, s:s?}", "name", k, "command",
		    upperaction(o, cmd != NULL ? cmd : "all"), "comment",
		    S(c, "comment"), "permissive",
		    json_object_get(c, "permissive") == NULL || flag(c,
		    "permissive"), "roles", rl, "using", S(c, "using") ?
		    keep(o, zn_xasprintf("(%s)", S(c, "using"))) : NULL,
		    "with_check", S(c, "with_check") ? keep(o, zn_xasprintf(
		    "(%s)", S(c, "with_check"))) : NULL));
	}
	json_object_foreach(json_object_get(t, "options"), k, c)
		json_array_append_new(opts, json_string(keep(o, zn_xasprintf(
		    "%s=%s", k, val(o, c) != NULL ? val(o, c) : ""))));
	json_array_foreach(json_object_get(t, "inherits"), i, c) {
		const char *rs, *rt;

		splitref(o, val(o, c) != NULL ? val(o, c) : "", &rs, &rt);
		json_array_append_new(inh, json_pack("{s:s, s:s}", "schema",
		    rs, "name", rt));
	}
	sortstrings(opts);
	rls = json_object_get(t, "rls");
	part = json_object_get(t, "partition_of");
	rec = json_pack("{s:s, s:s, s:s, s:s?, s:o, s:o, s:s?, s:o, s:o, "
	    "s:o, s:o, s:o, s:s?, s:n, s:s, s:o, s:o, s:s, s:{s:b, s:b}, "
	    "s:n, s:o}", "kind", "table", "schema", o->sc, "name", tname,
	    "access_method", S(t, "partition_by") != NULL ? NULL : "heap",
	    "checks", checks, "columns", cols, "comment", S(t, "comment"),
	    "exclusions", excl, "foreign_keys", fks, "indexes", indexes, "inherits",
	    inh, "options", opts, "partition_key", S(t, "partition_by") ?
	    partkey(o, S(t, "partition_by")) : NULL, "partition_of",
	    "persistence", flag(t, "unlogged") ? "unlogged" : "permanent",
	    "policies", policies, "primary_key", pkrec, "replica_identity",
	    "default", "rls", "enabled", json_is_object(rls) ? flag(rls,
	    "enabled") : flag(t, "rls"), "forced", json_is_object(rls) &&
	    flag(rls, "forced"), "tablespace", "uniques", uniques);
	if (part != NULL) {
		const char *rs, *rt;

		splitref(o, S(part, "table") != NULL ? S(part, "table") : "",
		    &rs, &rt);
		json_object_set_new(rec, "partition_of", json_pack("{s:s, s:s, "
		    "s:s}", "schema", rs, "name", rt, "bound", S(part,
		    "bound") != NULL ? S(part, "bound") : ""));
	}
	add(o, rec);
}

static void
trigger(struct o *o, const char *tname, const char *name, const json_t *tg)
{
	struct zn_buf def = ZN_BUF_INIT;
	const json_t *e;
	const char *timing = S(tg, "timing") != NULL ? S(tg, "timing") :
	    "after", *each = S(tg, "for_each"), *en = S(tg, "enabled");
	size_t i;

	zn_buf_addf(&def, "CREATE TRIGGER %s %s ", qi(o, name),
	    upperaction(o, timing));
	json_array_foreach(json_object_get(tg, "events"), i, e)
		zn_buf_addf(&def, "%s%s", i ? " OR " : "", upperaction(o,
		    val(o, e) != NULL ? val(o, e) : ""));
	zn_buf_addf(&def, " ON %s FOR EACH %s", qn(o, o->sc, tname),
	    each != NULL && strcmp(each, "row") == 0 ? "ROW" : "STATEMENT");
	if (S(tg, "when") != NULL)
		zn_buf_addf(&def, " WHEN ((%s))", S(tg, "when"));
	zn_buf_addf(&def, " EXECUTE FUNCTION %s", S(tg, "function") != NULL ?
	    S(tg, "function") : "");
	add(o, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s, s:s}", "kind",
	    "trigger", "schema", o->sc, "table", tname, "name", name,
	    "comment", S(tg, "comment"), "definition", def.buf, "enabled",
	    en == NULL || strcmp(en, "true") == 0 || strcmp(en, "origin") ==
	    0 ? "origin" : strcmp(en, "false") == 0 ? "disabled" : en));
	zn_buf_release(&def);
}

static void
schema(struct o *o, const char *sc, const json_t *s)
{
	const json_t *c, *e, *v;
	const char *k;
	size_t i;

	o->sc = sc;
	add(o, json_pack("{s:s, s:s, s:s?}", "kind", "schema", "name", sc,
	    "comment", S(s, "comment") != NULL ? S(s, "comment") :
	    strcmp(sc, "public") == 0 ? "standard public schema" : NULL));
	json_object_foreach(json_object_get(s, "enums"), k, e) {
		const json_t *vals = json_is_array(e) ? e :
		    json_object_get(e, "values");
		json_t *out = json_array();

		json_array_foreach(vals, i, v)
			json_array_append_new(out, json_string(
			    json_is_object(v) ? S(v, "value") : val(o, v)));
		add(o, json_pack("{s:s, s:s, s:s, s:s?, s:o}", "kind", "enum",
		    "schema", sc, "name", k, "comment", json_is_object(e) ?
		    S(e, "comment") : NULL, "values", out));
	}
	json_object_foreach(json_object_get(s, "sequences"), k, c) {
		const char *own = S(c, "owned_by"), *dot;
		json_t *owned = NULL;
		int serial;

		if (own != NULL && (dot = strrchr(own, '.')) != NULL) {
			const char *rs, *rt;

			splitref(o, keep(o, zn_xstrndup(own,
			    (size_t)(dot - own))), &rs, &rt);
			owned = json_pack("{s:s, s:s, s:s}", "schema", rs,
			    "table", rt, "column", dot + 1);
		}
		add(o, mksequence(o, k, S(c, "type") != NULL ? typename_(o,
		    S(c, "type"), &serial) : "bigint", c, owned,
		    S(c, "comment")));
	}
	json_object_foreach(json_object_get(s, "tables"), k, c) {
		const json_t *tg;
		const char *tn;

		table(o, k, c);
		json_object_foreach(json_object_get(c, "triggers"), tn, tg)
			trigger(o, k, tn, tg);
	}
	o->skipped[0] += json_array_size(json_object_get(s, "functions"));
	o->skipped[1] += json_array_size(json_object_get(s, "procedures"));
	o->skipped[2] += json_object_size(json_object_get(s, "views")) +
	    json_object_size(json_object_get(s, "materialized_views"));
	o->skipped[3] += json_array_size(json_object_get(s, "sql"));
}

void
zn_graph_from_offline(struct zn_graph *g, const char *path)
{
	/* The keys of a schema that declare public at the top level. */
	static const char *const schema_keys[] = { "comment", "enums",
	    "sequences", "tables", "views", "materialized_views", "functions",
	    NULL };
	struct zn_schema_map map = { NULL, 0, NULL, 0 };
	struct o o;
	struct zn_yaml *y;
	const json_t *s, *e;
	const char *k;
	size_t i;

	if (!zn_path_is_yaml(path))
		zn_die(ZN_EXIT_USAGE, "--offline reads a YAML declaration; "
		    "'%s' is SQL, which needs a server", path);
	memset(g, 0, sizeof(*g));
	memset(&o, 0, sizeof(o));
	y = zn_yaml_load(path);
	/* Every check of materialising, and the rename hints. */
	free(zn_schema_render(y, &map));
	o.g = g;
	o.root = zn_yaml_root(y);
	o.seqs = json_array();
	json_array_foreach(json_object_get(o.root, "extensions"), i, e) {
		const char *name = json_is_string(e) ? json_string_value(e) :
		    S(e, "name");

		add(&o, json_pack("{s:s, s:s, s:s, s:n, s:s?}", "kind",
		    "extension", "schema", json_is_object(e) && S(e,
		    "schema") != NULL ? S(e, "schema") : "public", "name",
		    name, "comment", "version", json_is_object(e) ?
		    val(&o, json_object_get(e, "version")) : NULL));
	}
	for (i = 0; schema_keys[i] != NULL; i++)
		if (json_object_get(o.root, schema_keys[i]) != NULL)
			o.toplevel = 1;
	if (o.toplevel)
		schema(&o, "public", o.root);
	else if (json_object_get(json_object_get(o.root, "schemas"),
	    "public") == NULL)
		add(&o, json_pack("{s:s, s:s, s:s}", "kind", "schema", "name",
		    "public", "comment", "standard public schema"));
	json_object_foreach(json_object_get(o.root, "schemas"), k, s)
		schema(&o, k, s);
	json_array_foreach(o.seqs, i, e)
		add(&o, json_incref((json_t *)e));
	o.skipped[3] += json_array_size(json_object_get(json_object_get(o.root,
	    "sql"), "first")) + json_array_size(json_object_get(
	    json_object_get(o.root, "sql"), "last"));
	zn_graph_finish(g);
	g->renames = json_incref(map.renames);
	g->source = json_pack("{s:s, s:s, s:b}", "type", "declared", "path",
	    path, "offline", 1);
	zn_warn("--offline: '%s' rendered without a server, best effort: "
	    "expressions as written; %zu function%s, %zu procedure%s, %zu "
	    "view%s and %zu raw SQL entr%s left out", path, o.skipped[0],
	    o.skipped[0] == 1 ? "" : "s", o.skipped[1], o.skipped[1] == 1 ?
	    "" : "s", o.skipped[2], o.skipped[2] == 1 ? "" : "s",
	    o.skipped[3], o.skipped[3] == 1 ? "y" : "ies");
	json_decref(o.seqs);
	zn_schema_map_release(&map);
	zn_yaml_free(y);
	zn_arena_release(&o.arena);
}
