/* SPDX-License-Identifier: ISC */
/*
 * pull.c: a schema graph written back as a zn-schema(5) declaration.
 *
 * The plan that makes the graph from an empty database gives the order:
 * what YAML can hold (schemas, extensions, enums, sequences, routines,
 * tables with their columns, keys, checks, foreign keys, indexes and
 * policies, views and materialized views) is written as YAML where the
 * renderer's fixed order of creation (zn-schema(5) ORDER OF CREATION)
 * puts it after everything it uses; what must exist before the tables
 * and YAML cannot hold (domains, composite and range types, collations,
 * operators, ...) is written as SQL in sql.first, with the enums and
 * routines the plan makes before them.  The rest, and whatever the YAML
 * could not say (a constraint's comment, a trigger, a grant), is the
 * fix-up: the caller materialises the YAML, diffs it with the graph and
 * passes that plan back, whose SQL becomes sql.last.  The caller checks
 * the result materialises to the same hash (zn-diff --yaml).
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "zn.h"

struct pull {
	const struct zn_graph *g;
	json_t *recs;		/* "kind\x1fschema\x1fname" -> record */
	json_t *order;		/* schema names, in the order written */
	json_t *per;		/* schema -> {enums, functions, sequences, ...} */
	json_t *exts;		/* extension records */
	json_t *fks;		/* "schema\x1ftable" -> [foreign keys] */
	json_t *first;		/* SQL text for sql.first */
	json_t *placed;		/* "schema\x1fname" of relations in YAML ->
				 * position: tables 0, views by order */
	json_t *omitted;	/* names of routines left to the fix-up */
	struct zn_buf *b;
};

static void
oom(void *p)
{
	if (p == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
}

static char *
key3(const char *a, const char *b, const char *c)
{
	struct zn_buf k = ZN_BUF_INIT;

	zn_buf_addf(&k, "%s\x1f%s\x1f%s", a, b != NULL ? b : "",
	    c != NULL ? c : "");
	return zn_buf_detach(&k);
}

static const char *
S(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int
B(const json_t *o, const char *k)
{
	return json_is_true(json_object_get(o, k));
}

static const json_t *
record(struct pull *x, const char *kind, const char *schema, const char *name)
{
	char *k = key3(kind, schema, name);
	const json_t *r = json_object_get(x->recs, k);

	free(k);
	return r;
}

/* The bucket of schema sc for what (enums, functions, ...). */
static json_t *
bucket(struct pull *x, const char *sc, const char *what)
{
	json_t *s = json_object_get(x->per, sc), *l;

	if (s == NULL) {
		oom(s = json_object());
		json_object_set_new(x->per, sc, s);
		json_array_append_new(x->order, json_string(sc));
	}
	if ((l = json_object_get(s, what)) == NULL) {
		oom(l = json_array());
		json_object_set_new(s, what, l);
	}
	return l;
}

static size_t
schemaindex(struct pull *x, const char *sc)
{
	size_t i;

	for (i = 0; i < json_array_size(x->order); i++)
		if (strcmp(json_string_value(json_array_get(x->order, i)),
		    sc) == 0)
			return i;
	(void)bucket(x, sc, "tables");
	return json_array_size(x->order) - 1;
}

/* The op's statements as one text, each ending in ";" (NULL if none). */
static char *
optext(const struct zn_op *op, int plain)
{
	json_t *sql = zn_op_sql(op);
	struct zn_buf b = ZN_BUF_INIT;
	size_t i;

	for (i = 0; i < json_array_size(sql); i++) {
		const char *st = json_string_value(json_array_get(sql, i));
		const char *c;

		if (st == NULL || strncmp(st, "SET LOCAL ", 10) == 0)
			continue;
		if (b.len > 0)
			zn_buf_adds(&b, ";\n");
		/*
		 * A declaration runs in one transaction: an index on a
		 * table of the declaration is built plainly.
		 */
		if (plain && (strncmp(st, "CREATE INDEX CONCURRENTLY ", 26) ==
		    0 || strncmp(st, "CREATE UNIQUE INDEX CONCURRENTLY ",
		    33) == 0 || strncmp(st, "DROP INDEX CONCURRENTLY ", 24) ==
		    0) && (c = strstr(st, "CONCURRENTLY ")) != NULL) {
			zn_buf_add(&b, st, (size_t)(c - st));
			zn_buf_adds(&b, c + 13);
		} else
			zn_buf_adds(&b, st);
	}
	if (b.len == 0) {
		zn_buf_release(&b);
		return NULL;
	}
	/* The renderer ends each entry with a semicolon. */
	return zn_buf_detach(&b);
}

static void
addsql(json_t *l, const struct zn_op *op, int plain)
{
	char *t = optext(op, plain);

	if (t != NULL) {
		json_t *s = json_string(t);

		if (s == NULL)
			zn_die(ZN_EXIT_DATAERR, "the SQL of %s %s is not UTF-8, "
			    "which YAML cannot hold", op->op, op->target);
		json_array_append_new(l, s);
		free(t);
	}
}

/* ---- YAML text ---- */

/*
 * Whether YAML (1.1 or 1.2, in any case) would read plain s as a
 * boolean, a null or a special number rather than a string.
 */
static int
typed(const char *s)
{
	static const char *const words[] = { "true", "false", "null", "~",
	    "yes", "no", "on", "off", "y", "n", ".inf", ".nan", NULL };
	size_t i;

	for (i = 0; words[i] != NULL; i++) {
		const char *a = s, *w = words[i];

		while (*a != '\0' && tolower((unsigned char)*a) == *w) {
			a++;
			w++;
		}
		if (*a == '\0' && *w == '\0')
			return 1;
	}
	return 0;
}

static int
plainok(const char *s)
{
	const char *p;

	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (p = s; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.')
			return 0;
	if (p[-1] == '.')
		return 0;
	return !typed(s);
}

/*
 * A double-quoted scalar: YAML's escapes for quotes, backslashes,
 * control characters and the characters YAML 1.1 takes as line breaks
 * or a byte order mark; other UTF-8 as it is.
 */
static void
quoted(struct zn_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	zn_buf_addch(b, '"');
	while (*p != '\0') {
		unsigned long cp;
		int n, i;

		if (*p < 0x80) {
			if (*p == '"' || *p == '\\') {
				zn_buf_addch(b, '\\');
				zn_buf_addch(b, *p);
			} else if (*p == '\n')
				zn_buf_adds(b, "\\n");
			else if (*p == '\t')
				zn_buf_adds(b, "\\t");
			else if (*p < 0x20 || *p == 0x7f)
				zn_buf_addf(b, "\\x%02x", *p);
			else
				zn_buf_addch(b, *p);
			p++;
			continue;
		}
		if ((*p & 0xE0) == 0xC0) {
			n = 2;
			cp = *p & 0x1F;
		} else if ((*p & 0xF0) == 0xE0) {
			n = 3;
			cp = *p & 0x0F;
		} else if ((*p & 0xF8) == 0xF0) {
			n = 4;
			cp = *p & 0x07;
		} else
			zn_die(ZN_EXIT_DATAERR, "a name or SQL text is not "
			    "UTF-8, which YAML cannot hold");
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				zn_die(ZN_EXIT_DATAERR, "a name or SQL text is "
				    "not UTF-8, which YAML cannot hold");
			cp = cp << 6 | (p[i] & 0x3F);
		}
		if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 ||
		    cp == 0x2029 || cp == 0xFEFF)
			zn_buf_addf(b, "\\u%04lx", cp);
		else
			zn_buf_add(b, p, (size_t)n);
		p += n;
	}
	zn_buf_addch(b, '"');
}

/*
 * Whether a one-line text reads back as the same string written plain
 * in block context: no indicator first, no ": " or " #", no blank at
 * either end, nothing YAML would type as a number, a boolean or null.
 */
static int
plainvalue(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	if (n == 0 || strchr("-?:,[]{}#&*!|>'\"%@` \t.+0123456789", *s) !=
	    NULL || s[n - 1] == ' ' || s[n - 1] == ':' ||
	    strstr(s, ": ") != NULL || strstr(s, " #") != NULL)
		return 0;
	for (; *p != '\0'; p++)
		if (*p < 0x20 || *p >= 0x7f)
			return 0;
	return !typed(s);
}

static void
scalar(struct zn_buf *b, const char *s)
{
	if (plainok(s))
		zn_buf_adds(b, s);
	else
		quoted(b, s);
}

/*
 * Whether s can be a literal block scalar that reads back the same:
 * several lines, none but empty ones all blank, the first not starting
 * with a blank, nothing that needs an escape.
 */
static int
blockok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *line = p;
	int blank = 1;

	if (strchr(s, '\n') == NULL || *s == ' ' || *s == '\t' || *s == '\n')
		return 0;
	for (; *p != '\0'; p++) {
		if (*p == '\n') {
			if (blank && p > line)
				return 0;
			line = p + 1;
			blank = 1;
			continue;
		}
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f || *p == 0xC2 ||
		    *p == 0xE2 || *p == 0xEF)
			return 0;	/* controls, U+0085, U+2028/9, BOM */
		if (*p != ' ' && *p != '\t')
			blank = 0;
	}
	return !(blank && p > line);
}

/* SQL text as the value of a key at indent n (a block when it can). */
static void
text(struct zn_buf *b, const char *s, int n)
{
	size_t len = strlen(s), nl = 0;
	const char *p;

	if (strchr(s, '\n') == NULL && plainvalue(s)) {
		zn_buf_adds(b, s);
		zn_buf_addch(b, '\n');
		return;
	}
	if (!blockok(s)) {
		quoted(b, s);
		zn_buf_addch(b, '\n');
		return;
	}
	while (nl < len && s[len - 1 - nl] == '\n')
		nl++;
	zn_buf_adds(b, nl == 0 ? "|-\n" : nl == 1 ? "|\n" : "|+\n");
	for (p = s; *p != '\0';) {
		const char *e = strchr(p, '\n');
		size_t l = e != NULL ? (size_t)(e - p) : strlen(p);

		if (l > 0)
			zn_buf_addf(b, "%*s", n + 2, "");
		zn_buf_add(b, p, l);
		zn_buf_addch(b, '\n');
		if (e == NULL)
			break;
		p = e + 1;
		if (*p == '\0')
			break;
	}
}

static void
indent(struct zn_buf *b, int n)
{
	zn_buf_addf(b, "%*s", n, "");
}

static void
kv(struct zn_buf *b, int n, const char *k, const char *v)
{
	if (v == NULL)
		return;
	indent(b, n);
	scalar(b, k);
	zn_buf_adds(b, ": ");
	scalar(b, v);
	zn_buf_addch(b, '\n');
}

/* A key whose value is SQL text or any string: quoted or a block. */
static void
kt(struct zn_buf *b, int n, const char *k, const char *v)
{
	if (v == NULL)
		return;
	indent(b, n);
	scalar(b, k);
	zn_buf_adds(b, ": ");
	text(b, v, n);
}

static void
kb(struct zn_buf *b, int n, const char *k, int v)
{
	indent(b, n);
	scalar(b, k);
	zn_buf_adds(b, v ? ": true\n" : ": false\n");
}

static void
key(struct zn_buf *b, int n, const char *k)
{
	indent(b, n);
	scalar(b, k);
	zn_buf_adds(b, ":\n");
}

/* A list of strings, in flow style. */
static void
klist(struct zn_buf *b, int n, const char *k, const json_t *l)
{
	size_t i;

	indent(b, n);
	scalar(b, k);
	zn_buf_adds(b, ": [");
	for (i = 0; i < json_array_size(l); i++) {
		if (i > 0)
			zn_buf_adds(b, ", ");
		scalar(b, json_string_value(json_array_get(l, i)));
	}
	zn_buf_adds(b, "]\n");
}

/* Storage parameters "name=value" as a mapping of SQL values. */
static void
options(struct zn_buf *b, int n, const char *k, const json_t *l,
    const char *skip)
{
	size_t i, m = 0;

	for (i = 0; i < json_array_size(l); i++) {
		const char *o = json_string_value(json_array_get(l, i));
		const char *eq = o != NULL ? strchr(o, '=') : NULL;
		char *name;

		if (eq == NULL || (skip != NULL && strncmp(o, skip,
		    strlen(skip)) == 0))
			continue;
		if (m++ == 0)
			key(b, n, k);
		name = zn_xstrdup(o);
		name[eq - o] = '\0';
		indent(b, n + 2);
		scalar(b, name);
		zn_buf_adds(b, ": ");
		quoted(b, eq + 1);
		zn_buf_addch(b, '\n');
		free(name);
	}
}

static void
comment(struct zn_buf *b, int n, const json_t *r)
{
	if (S(r, "comment") != NULL)
		kt(b, n, "comment", S(r, "comment"));
}

/* schema.name as zn-schema(5) refers to a table; NULL if it cannot. */
static char *
tableref(const char *sc, const char *name)
{
	struct zn_buf r = ZN_BUF_INIT;

	if (sc == NULL || name == NULL || strchr(sc, '.') != NULL)
		return NULL;
	zn_buf_addf(&r, "%s.%s", sc, name);
	return zn_buf_detach(&r);
}

/* ---- tables ---- */

/*
 * A collation as zn-schema(5) takes one: pg_catalog's, by name (read
 * with the shared SQL tokenizer); NULL for another schema's.
 */
static char *
collation(const char *c)
{
	struct zn_toks ts;
	char *name = NULL, *sc;

	if (c == NULL)
		return NULL;
	memset(&ts, 0, sizeof(ts));
	zn_sql_tokens(&ts, c);
	if (!ts.bad && ts.n == 3 && ts.v[1].t == ZN_TK_DOT &&
	    (ts.v[0].t == ZN_TK_WORD || ts.v[0].t == ZN_TK_QIDENT) &&
	    (ts.v[2].t == ZN_TK_WORD || ts.v[2].t == ZN_TK_QIDENT)) {
		sc = zn_tok_ident(&ts.v[0]);
		if (strcmp(sc, "pg_catalog") == 0)
			name = zn_tok_ident(&ts.v[2]);
		free(sc);
	}
	zn_sql_tokens_release(&ts);
	return name;
}

/*
 * Whether a sequence's number is what the server gives one of its type
 * with increment 1 and nothing said: start and min 1, cache 1, max the
 * type's.
 */
static int
seqdefault(const char *type, const char *what, const json_t *s)
{
	const char *v = S(s, what), *inc = S(s, "increment");

	if (v == NULL)
		return 1;
	if (inc == NULL || strcmp(inc, "1") != 0)
		return strcmp(what, "cache") == 0 && strcmp(v, "1") == 0;
	if (strcmp(what, "max") != 0)
		return strcmp(v, "1") == 0;
	if (type == NULL)
		return 0;
	return (strcmp(type, "bigint") == 0 && strcmp(v,
	    "9223372036854775807") == 0) || (strcmp(type, "integer") == 0 &&
	    strcmp(v, "2147483647") == 0) || (strcmp(type, "smallint") == 0 &&
	    strcmp(v, "32767") == 0);
}

static void
column(struct zn_buf *b, int n, const json_t *c)
{
	const json_t *id = json_object_get(c, "identity");
	const json_t *gen = json_object_get(c, "generated");
	char *coll = collation(S(c, "collation"));

	key(b, n, S(c, "name"));
	kt(b, n + 2, "type", S(c, "type"));
	if (B(c, "not_null"))
		kb(b, n + 2, "not_null", 1);
	if (S(c, "default") != NULL)
		kt(b, n + 2, "default", S(c, "default"));
	if (json_is_object(id)) {
		static const char *const nums[] = { "start", "increment",
		    "min", "max", "cache", NULL };
		size_t i, at;

		key(b, n + 2, "identity");
		at = b->len;
		for (i = 0; nums[i] != NULL; i++)
			if (!seqdefault(S(c, "type"), nums[i], id))
				kt(b, n + 4, nums[i], S(id, nums[i]));
		if (B(id, "cycle"))
			kb(b, n + 4, "cycle", 1);
		if (b->len == at) {	/* the server's numbers: a word */
			b->len -= 2;
			zn_buf_adds(b, ": ");
			scalar(b, S(id, "generation"));
			zn_buf_addch(b, '\n');
		} else {
			b->len = at;
			kv(b, n + 4, "generation", S(id, "generation"));
			for (i = 0; nums[i] != NULL; i++)
				if (!seqdefault(S(c, "type"), nums[i], id))
					kt(b, n + 4, nums[i], S(id, nums[i]));
			if (B(id, "cycle"))
				kb(b, n + 4, "cycle", 1);
		}
	}
	if (json_is_object(gen) && B(gen, "stored"))
		kt(b, n + 2, "generated", S(gen, "expression"));
	if (coll != NULL)
		kt(b, n + 2, "collation", coll);
	free(coll);
	comment(b, n + 2, c);
}

static void
keylike(struct zn_buf *b, int n, const json_t *k, int unique)
{
	if (unique) {
		indent(b, n - 2);
		zn_buf_adds(b, "- name: ");
		scalar(b, S(k, "name"));
		zn_buf_addch(b, '\n');
	} else
		kv(b, n, "name", S(k, "name"));
	klist(b, n, "columns", json_object_get(k, "columns"));
	if (json_array_size(json_object_get(k, "include")) > 0)
		klist(b, n, "include", json_object_get(k, "include"));
	if (unique && B(k, "nulls_not_distinct"))
		kb(b, n, "nulls_not_distinct", 1);
	if (B(k, "deferrable"))
		kb(b, n, "deferrable", 1);
	if (B(k, "deferred"))
		kb(b, n, "deferred", 1);
}

static char *
lower(const char *s)
{
	char *l = zn_xstrdup(s != NULL ? s : ""), *p;

	for (p = l; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return l;
}

static int
fkok(const json_t *fk)
{
	const json_t *ref = json_object_get(fk, "references");
	char *t = tableref(S(ref, "schema"), S(ref, "table"));
	int ok = t != NULL && strcmp(S(fk, "match"), "PARTIAL") != 0;

	free(t);
	return ok;
}

static void
foreignkey(struct zn_buf *b, int n, const json_t *fk)
{
	const json_t *ref = json_object_get(fk, "references");
	char *t = tableref(S(ref, "schema"), S(ref, "table")), *s;
	static const char *const acts[] = { "on_delete", "on_update", NULL };
	size_t i;

	indent(b, n);
	zn_buf_adds(b, "- name: ");
	scalar(b, S(fk, "name"));
	zn_buf_addch(b, '\n');
	klist(b, n + 2, "columns", json_object_get(fk, "columns"));
	key(b, n + 2, "references");
	kv(b, n + 4, "table", t);
	klist(b, n + 4, "columns", json_object_get(ref, "columns"));
	for (i = 0; acts[i] != NULL; i++)
		if (S(fk, acts[i]) != NULL && strcmp(S(fk, acts[i]),
		    "NO ACTION") != 0) {
			s = lower(S(fk, acts[i]));
			kv(b, n + 2, acts[i], s);
			free(s);
		}
	if (S(fk, "match") != NULL && strcmp(S(fk, "match"), "FULL") == 0)
		kv(b, n + 2, "match", "full");
	if (B(fk, "deferrable"))
		kb(b, n + 2, "deferrable", 1);
	if (B(fk, "deferred"))
		kb(b, n + 2, "deferred", 1);
	if (B(fk, "not_valid"))
		kb(b, n + 2, "not_valid", 1);
	free(t);
}

/*
 * An index YAML can hold: valid, not one a partitioned index made, no
 * key with a collation of its own (the keys do not say which).
 */
static int
indexok(const json_t *ix)
{
	const char *def = S(ix, "definition");

	return B(ix, "valid") && json_is_null(json_object_get(ix, "parent")) &&
	    def != NULL && strstr(def, " COLLATE ") == NULL;
}

/* The key list of an index definition: "(...)" after USING method. */
static void
index(struct zn_buf *b, int n, const json_t *ix)
{
	const json_t *keys = json_object_get(ix, "keys"), *k;
	const char *def = S(ix, "definition"), *m = S(ix, "method");
	int btree = m != NULL && strcmp(m, "btree") == 0;
	size_t i;

	key(b, n, S(ix, "name"));
	key(b, n + 2, "columns");
	json_array_foreach(keys, i, k) {
		const char *oc = S(k, "opclass"), *dot, *ord = S(k, "order");
		const char *nul = S(k, "nulls");
		int desc = ord != NULL && strcmp(ord, "desc") == 0;

		indent(b, n + 4);
		if (S(k, "column") != NULL) {
			zn_buf_adds(b, "- column: ");
			scalar(b, S(k, "column"));
		} else {
			zn_buf_adds(b, "- expression: ");
			text(b, S(k, "expression"), n + 6);
			b->len--;	/* its newline */
		}
		zn_buf_addch(b, '\n');
		/*
		 * pg_get_indexdef names an operator class only when it is
		 * not the type's default: the same here.
		 */
		dot = oc != NULL ? strrchr(oc, '.') : NULL;
		if (oc != NULL && def != NULL && strstr(def, dot != NULL ?
		    dot + 1 : oc) != NULL)
			kt(b, n + 6, "opclass", oc);
		if (desc)
			kv(b, n + 6, "order", "desc");
		if (btree && nul != NULL && (strcmp(nul, "first") == 0) !=
		    desc)
			kv(b, n + 6, "nulls", nul);
	}
	if (B(ix, "unique"))
		kb(b, n + 2, "unique", 1);
	if (m != NULL && !btree)
		kv(b, n + 2, "method", m);
	if (S(ix, "where") != NULL)
		kt(b, n + 2, "where", S(ix, "where"));
	if (json_array_size(json_object_get(ix, "include")) > 0)
		klist(b, n + 2, "include", json_object_get(ix, "include"));
	options(b, n + 2, "with", json_object_get(ix, "options"), NULL);
	if (B(ix, "nulls_not_distinct"))
		kb(b, n + 2, "nulls_not_distinct", 1);
	comment(b, n + 2, ix);
}

static void
policy(struct zn_buf *b, int n, const json_t *p)
{
	char *c = lower(S(p, "command"));

	key(b, n, S(p, "name"));
	kv(b, n + 2, "command", c);
	free(c);
	if (!B(p, "permissive"))
		kb(b, n + 2, "permissive", 0);
	klist(b, n + 2, "roles", json_object_get(p, "roles"));
	if (S(p, "using") != NULL)
		kt(b, n + 2, "using", S(p, "using"));
	if (S(p, "with_check") != NULL)
		kt(b, n + 2, "with_check", S(p, "with_check"));
	comment(b, n + 2, p);
}

static void
table(struct pull *x, int n, const json_t *t)
{
	struct zn_buf *b = x->b;
	const json_t *cols = json_object_get(t, "columns"), *c, *l;
	const json_t *pk = json_object_get(t, "primary_key");
	const json_t *po = json_object_get(t, "partition_of");
	const json_t *rls = json_object_get(t, "rls");
	char *k = key3("", S(t, "schema"), S(t, "name"));
	const json_t *fks = json_object_get(x->fks, k);
	size_t i, m;

	free(k);
	key(b, n, S(t, "name"));
	n += 2;
	if (!json_is_object(po)) {
		size_t at;

		key(b, n, "columns");
		at = b->len;
		json_array_foreach(cols, i, c)
			if (!B(c, "inherited"))
				column(b, n + 2, c);
		if (b->len == at) {	/* none of its own */
			b->len -= 2;
			zn_buf_adds(b, ": {}\n");
		}
	}
	if (json_is_object(pk)) {
		key(b, n, "primary_key");
		keylike(b, n + 2, pk, 0);
	}
	l = json_object_get(t, "uniques");
	if (json_array_size(l) > 0) {
		key(b, n, "uniques");
		json_array_foreach(l, i, c)
			keylike(b, n + 4, c, 1);
	}
	l = json_object_get(t, "checks");
	for (i = m = 0; i < json_array_size(l); i++) {
		c = json_array_get(l, i);
		if (B(c, "inherited"))
			continue;
		if (m++ == 0)
			key(b, n, "checks");
		key(b, n + 2, S(c, "name"));
		kt(b, n + 4, "expression", S(c, "expression"));
		if (B(c, "no_inherit"))
			kb(b, n + 4, "no_inherit", 1);
		if (B(c, "not_valid"))
			kb(b, n + 4, "not_valid", 1);
		comment(b, n + 4, c);
	}
	for (i = m = 0; i < json_array_size(fks); i++) {
		c = json_array_get(fks, i);
		if (m++ == 0)
			key(b, n, "foreign_keys");
		foreignkey(b, n + 2, c);
	}
	l = json_object_get(t, "indexes");
	for (i = m = 0; i < json_array_size(l); i++) {
		c = json_array_get(l, i);
		if (!indexok(c))
			continue;
		if (m++ == 0)
			key(b, n, "indexes");
		index(b, n + 2, c);
	}
	l = json_object_get(t, "policies");
	if (json_array_size(l) > 0) {
		key(b, n, "policies");
		json_array_foreach(l, i, c)
			policy(b, n + 2, c);
	}
	if (B(rls, "enabled") || B(rls, "forced")) {
		key(b, n, "rls");
		kb(b, n + 2, "enabled", B(rls, "enabled"));
		kb(b, n + 2, "forced", B(rls, "forced"));
	}
	if (S(t, "persistence") != NULL && strcmp(S(t, "persistence"),
	    "unlogged") == 0)
		kb(b, n, "unlogged", 1);
	options(b, n, "options", json_object_get(t, "options"), NULL);
	if (S(t, "partition_key") != NULL)
		kt(b, n, "partition_by", S(t, "partition_key"));
	if (json_is_object(po)) {
		char *r = tableref(S(po, "schema"), S(po, "name"));

		key(b, n, "partition_of");
		kv(b, n + 2, "table", r);
		kt(b, n + 2, "bound", S(po, "bound"));
		free(r);
	}
	l = json_object_get(t, "inherits");
	if (json_array_size(l) > 0) {
		key(b, n, "inherits");
		json_array_foreach(l, i, c) {
			char *r = tableref(S(c, "schema"), S(c, "name"));

			indent(b, n + 2);
			zn_buf_adds(b, "- ");
			scalar(b, r);
			zn_buf_addch(b, '\n');
			free(r);
		}
	}
	comment(b, n, t);
}

/* A parent YAML can refer to, and holds. */
static int
parentok(struct pull *x, const json_t *e)
{
	char *r = tableref(S(e, "schema"), S(e, "name")), *k;
	int ok;

	if (r == NULL)
		return 0;
	free(r);
	k = key3("", S(e, "schema"), S(e, "name"));
	ok = json_object_get(x->placed, k) != NULL;
	free(k);
	return ok;
}

/* A table YAML can refer to and hold. */
static int
tableok(struct pull *x, const json_t *t)
{
	const json_t *po = json_object_get(t, "partition_of"), *l, *e;
	size_t i;

	if (strchr(S(t, "schema"), '.') != NULL)
		return 0;
	if (json_is_object(po) && !parentok(x, po))
		return 0;
	l = json_object_get(t, "inherits");
	json_array_foreach(l, i, e)
		if (!parentok(x, e))
			return 0;
	/* Ordinary and partitioned tables of the heap (or none). */
	return S(t, "access_method") == NULL || strcmp(S(t, "access_method"),
	    "heap") == 0;
}

/* ---- placing the plan's ops ---- */

static int
isop(const struct zn_op *op, const char *name)
{
	return strcmp(op->op, name) == 0;
}

/* Ops whose objects YAML holds where they come before the tables. */
static int
early(const struct zn_op *op)
{
	return isop(op, "createSchema") || isop(op, "createExtension") ||
	    isop(op, "createEnum") || isop(op, "createFunction") ||
	    isop(op, "createProcedure") || isop(op, "createSequence");
}

/* A routine's signature uses a relation's row type. */
static int
usesrelation(const json_t *f)
{
	const json_t *d, *e;
	size_t i;

	d = json_object_get(f, "depends_on");
	json_array_foreach(d, i, e)
		if (S(e, "kind") != NULL && strcmp(S(e, "kind"),
		    "relation") == 0)
			return 1;
	return 0;
}

static const json_t *
routine(struct pull *x, const struct zn_op *op)
{
	json_t *a = zn_op_args(op);
	const char *kind = isop(op, "createProcedure") ? "procedure" :
	    "function";
	char *k = key3(kind, S(a, "schema"), S(a, "name")), *k2;
	struct zn_buf full = ZN_BUF_INIT;
	const json_t *r;

	zn_buf_addf(&full, "%s\x1f%s", k, S(a, "arguments") != NULL ?
	    S(a, "arguments") : "");
	k2 = zn_buf_detach(&full);
	r = json_object_get(x->recs, k2);
	free(k);
	free(k2);
	return r;
}

/*
 * A view or materialized view can be YAML when what it reads is YAML
 * and is made before it: a table, or a view placed earlier in the
 * order the renderer makes them (schema by schema, views then
 * materialized views), and when it names no routine left to the fix-up.
 */
static int
viewok(struct pull *x, const json_t *v, int mat, size_t seq, json_int_t *pos)
{
	const json_t *d = json_object_get(v, "depends_on"), *e, *p;
	const char *def = S(v, "definition");
	size_t i, si = schemaindex(x, S(v, "schema"));
	json_int_t me = (json_int_t)(si * 2 + (size_t)mat) * 1000000 +
	    (json_int_t)seq + 1;
	char *k;

	if (strchr(S(v, "schema"), '.') != NULL || def == NULL)
		return 0;
	json_array_foreach(d, i, e) {
		k = key3("", S(e, "schema"), S(e, "name"));
		p = json_object_get(x->placed, k);
		free(k);
		if (p == NULL || json_integer_value(p) >= me)
			return 0;
	}
	json_array_foreach(x->omitted, i, e) {
		const char *nm = json_string_value(e), *at = def;

		while ((at = strstr(at, nm)) != NULL) {
			at += strlen(nm);
			if (*at == '(')
				return 0;
		}
	}
	*pos = me;
	return 1;
}

static void
place(struct pull *x, const struct zn_plan *p)
{
	size_t i, firsttable = p->n, seq = 0;
	unsigned char *tofirst = zn_xcalloc(p->n + 1, 1);
	struct zn_buf need = ZN_BUF_INIT, name = ZN_BUF_INIT;

	for (i = 0; i < p->n; i++)
		if (isop(&p->ops[i], "createTable")) {
			firsttable = i;
			break;
		}
	/*
	 * sql.first: what the plan makes before the tables that YAML
	 * cannot hold, and the enums, routines and sequences it uses (by
	 * qualified name, newest first, so what those use goes too).
	 */
	for (i = firsttable; i-- > 0;) {
		const struct zn_op *op = &p->ops[i];
		json_t *a = zn_op_args(op);
		char *t;

		if (!early(op) && !isop(op, "setPrivileges") && !isop(op,
		    "alterSequence"))
			tofirst[i] = 1;
		else if (isop(op, "createEnum") || isop(op, "createFunction") ||
		    isop(op, "createProcedure") || isop(op, "createSequence")) {
			zn_buf_reset(&name);
			zn_pg_ident(&name, S(a, "schema"));
			zn_buf_addch(&name, '.');
			zn_pg_ident(&name, S(a, "name"));
			tofirst[i] = need.len > 0 && strstr(need.buf,
			    name.buf) != NULL;
		}
		if (tofirst[i] && (t = optext(op, 0)) != NULL) {
			zn_buf_adds(&need, t);
			free(t);
		}
	}
	zn_buf_release(&need);
	zn_buf_release(&name);
	for (i = 0; i < p->n; i++) {
		const struct zn_op *op = &p->ops[i];
		json_t *a = zn_op_args(op);
		const char *sc = S(a, "schema");
		const json_t *r;

		if (isop(op, "createSchema")) {
			(void)schemaindex(x, S(a, "name"));
			continue;
		}
		if (isop(op, "createExtension")) {
			if ((r = record(x, "extension", NULL, S(a, "name"))) !=
			    NULL)
				json_array_append(x->exts, (json_t *)r);
			continue;
		}
		if (tofirst[i]) {
			addsql(x->first, op, 0);
			continue;
		}
		if (isop(op, "createEnum") && i < firsttable &&
		    (r = record(x, "enum", sc, S(a, "name"))) != NULL) {
			json_array_append(bucket(x, sc, "enums"), (json_t *)r);
			continue;
		}
		if ((isop(op, "createFunction") || isop(op,
		    "createProcedure"))) {
			r = routine(x, op);
			if (i < firsttable && r != NULL && !usesrelation(r))
				addsql(bucket(x, sc, "functions"), op, 0);
			else
				json_array_append_new(x->omitted,
				    json_string(S(a, "name")));
			continue;
		}
		if (isop(op, "createSequence") && i < firsttable &&
		    (r = record(x, "sequence", sc, S(a, "name"))) != NULL) {
			json_array_append(bucket(x, sc, "sequences"),
			    (json_t *)r);
			continue;
		}
		if (isop(op, "createTable") && (r = record(x, "table", sc,
		    S(a, "table"))) != NULL && tableok(x, r)) {
			char *k = key3("", sc, S(a, "table"));

			json_array_append(bucket(x, sc, "tables"), (json_t *)r);
			json_object_set_new(x->placed, k, json_integer(0));
			free(k);
			continue;
		}
		if (isop(op, "addForeignKey")) {
			char *k = key3("", sc, S(a, "table"));
			const json_t *t = record(x, "table", sc, S(a, "table"));
			const json_t *fl = json_object_get(t, "foreign_keys");
			const json_t *fk;
			json_t *l;
			size_t j;

			if (json_object_get(x->placed, k) != NULL)
				json_array_foreach(fl, j, fk)
					if (strcmp(S(fk, "name"), S(a, "name")) ==
					    0 && fkok(fk)) {
						if ((l = json_object_get(x->fks,
						    k)) == NULL) {
							oom(l = json_array());
							json_object_set_new(
							    x->fks, k, l);
						}
						json_array_append(l,
						    (json_t *)fk);
						break;
					}
			free(k);
			continue;
		}
		if (isop(op, "createView") || isop(op,
		    "createMaterializedView")) {
			int mat = isop(op, "createMaterializedView");
			json_int_t pos;

			r = record(x, mat ? "materialized_view" : "view", sc,
			    S(a, "name"));
			if (r != NULL && viewok(x, r, mat, seq++, &pos)) {
				char *k = key3("", sc, S(a, "name"));

				json_array_append(bucket(x, sc, mat ?
				    "materialized_views" : "views"),
				    (json_t *)r);
				json_object_set_new(x->placed, k,
				    json_integer(pos));
				free(k);
			}
			continue;
		}
		/* Everything else is left to the fix-up. */
	}
	free(tofirst);
}

/* ---- the file ---- */

static void
sequence(struct zn_buf *b, int n, const json_t *s)
{
	static const char *const nums[] = { "start", "increment", "min",
	    "max", "cache", NULL };
	const json_t *ob = json_object_get(s, "owned_by");
	size_t i;

	key(b, n, S(s, "name"));
	kt(b, n + 2, "type", S(s, "type"));
	for (i = 0; nums[i] != NULL; i++)
		if (!seqdefault(S(s, "type"), nums[i], s))
			kt(b, n + 2, nums[i], S(s, nums[i]));
	if (B(s, "cycle"))
		kb(b, n + 2, "cycle", 1);
	if (json_is_object(ob) && strcmp(S(ob, "schema"), S(s, "schema")) ==
	    0 && strchr(S(ob, "table"), '.') == NULL) {
		struct zn_buf r = ZN_BUF_INIT;

		zn_buf_addf(&r, "%s.%s", S(ob, "table"), S(ob, "column"));
		kv(b, n + 2, "owned_by", r.buf);
		zn_buf_release(&r);
	}
	comment(b, n + 2, s);
}

static void
view(struct zn_buf *b, int n, const json_t *v, int mat)
{
	const json_t *opts = json_object_get(v, "options"), *e;
	size_t i;

	const char *def = S(v, "definition");
	char *q;
	size_t len;

	/*
	 * pg_get_viewdef's text, without the blank before it and the
	 * semicolon after it: the server renders the query again.
	 */
	while (*def == ' ' || *def == '\n')
		def++;
	q = zn_xstrdup(def);
	len = strlen(q);
	while (len > 0 && (q[len - 1] == ';' || q[len - 1] == '\n' ||
	    q[len - 1] == ' '))
		q[--len] = '\0';
	key(b, n, S(v, "name"));
	kt(b, n + 2, "query", q);
	free(q);
	options(b, n + 2, "options", opts, "check_option=");
	json_array_foreach(opts, i, e)
		if (strncmp(json_string_value(e), "check_option=", 13) == 0)
			kv(b, n + 2, "check_option", json_string_value(e) +
			    13);
	if (mat && json_is_false(json_object_get(v, "populated")))
		kb(b, n + 2, "with_data", 0);
	if (mat) {
		const json_t *l = json_object_get(v, "indexes"), *c;
		size_t m = 0;

		json_array_foreach(l, i, c) {
			if (!indexok(c))
				continue;
			if (m++ == 0)
				key(b, n + 2, "indexes");
			index(b, n + 4, c);
		}
	}
	comment(b, n + 2, v);
}

static void
sqllist(struct zn_buf *b, int n, const json_t *l)
{
	size_t i;

	for (i = 0; i < json_array_size(l); i++) {
		indent(b, n);
		zn_buf_adds(b, "- ");
		text(b, json_string_value(json_array_get(l, i)), n);
	}
}

static void
schema(struct pull *x, const char *sc)
{
	struct zn_buf *b = x->b;
	const json_t *s = json_object_get(x->per, sc), *l, *e;
	const json_t *rec = record(x, "schema", NULL, sc);
	size_t i, at;

	key(b, 2, sc);
	at = b->len;
	if (strcmp(sc, "public") != 0 || (rec != NULL && S(rec, "comment") !=
	    NULL))
		comment(b, 4, rec);
	if (json_array_size(l = json_object_get(s, "enums")) > 0) {
		key(b, 4, "enums");
		json_array_foreach(l, i, e) {
			key(b, 6, S(e, "name"));
			klist(b, 8, "values", json_object_get(e, "values"));
			comment(b, 8, e);
		}
	}
	if (json_array_size(l = json_object_get(s, "functions")) > 0) {
		key(b, 4, "functions");
		sqllist(b, 6, l);
	}
	if (json_array_size(l = json_object_get(s, "sequences")) > 0) {
		key(b, 4, "sequences");
		json_array_foreach(l, i, e)
			sequence(b, 6, e);
	}
	if (json_array_size(l = json_object_get(s, "tables")) > 0) {
		key(b, 4, "tables");
		json_array_foreach(l, i, e)
			table(x, 6, e);
	}
	if (json_array_size(l = json_object_get(s, "views")) > 0) {
		key(b, 4, "views");
		json_array_foreach(l, i, e)
			view(b, 6, e, 0);
	}
	if (json_array_size(l = json_object_get(s, "materialized_views")) > 0) {
		key(b, 4, "materialized_views");
		json_array_foreach(l, i, e)
			view(b, 6, e, 1);
	}
	/* A schema with nothing in it: an empty mapping. */
	if (b->len == at) {
		b->len -= 2;
		zn_buf_adds(b, ": {}\n");
	}
}

char *
zn_pull_yaml(const struct zn_graph *g, const struct zn_plan *p,
    const struct zn_plan *fix, const char *title)
{
	struct zn_buf out = ZN_BUF_INIT;
	struct pull x;
	json_t *last, *e;
	size_t i;

	memset(&x, 0, sizeof(x));
	x.g = g;
	x.b = &out;
	oom(x.recs = json_object());
	oom(x.order = json_array());
	oom(x.per = json_object());
	oom(x.exts = json_array());
	oom(x.fks = json_object());
	oom(x.first = json_array());
	oom(x.placed = json_object());
	oom(x.omitted = json_array());
	oom(last = json_array());
	for (i = 0; i < g->nrecs; i++) {
		json_t *r = zn_graph_get(g, i);
		const char *kind = S(r, "kind");
		char *k;

		if (strcmp(kind, "function") == 0 || strcmp(kind,
		    "procedure") == 0) {
			struct zn_buf f = ZN_BUF_INIT;

			zn_buf_addf(&f, "%s\x1f%s\x1f%s\x1f%s", kind,
			    S(r, "schema"), S(r, "name"),
			    g->recs[i].args != NULL ? g->recs[i].args : "");
			k = zn_buf_detach(&f);
		} else
			k = key3(kind, strcmp(kind, "extension") == 0 ? NULL :
			    S(r, "schema"), S(r, "name"));
		json_object_set_new(x.recs, k, r);
		free(k);
	}
	/* Schema public first, as at the top level: others use it most. */
	if (record(&x, "schema", NULL, "public") != NULL)
		(void)schemaindex(&x, "public");
	place(&x, p);
	for (i = 0; fix != NULL && i < fix->n; i++)
		addsql(last, &fix->ops[i], 1);

	zn_buf_adds(&out, "# A zn-schema(5) declaration");
	if (title != NULL) {
		zn_buf_adds(&out, " of ");
		/* A name may hold a line break: not in a comment. */
		for (; *title != '\0'; title++)
			zn_buf_addch(&out, *title == '\n' || *title == '\r' ?
			    ' ' : *title);
	}
	zn_buf_adds(&out, ", pulled by zn-diff --yaml.\n"
	    "# It has the key sql, so it declares all of the schema,\n"
	    "# privileges and all: what YAML cannot hold is SQL there.\n");
	if (json_array_size(x.exts) > 0) {
		zn_buf_adds(&out, "extensions:\n");
		json_array_foreach(x.exts, i, e) {
			zn_buf_adds(&out, "  - name: ");
			scalar(&out, S(e, "name"));
			zn_buf_addch(&out, '\n');
			kv(&out, 4, "schema", S(e, "schema"));
			if (S(e, "version") != NULL) {
				indent(&out, 4);
				zn_buf_adds(&out, "version: ");
				quoted(&out, S(e, "version"));
				zn_buf_addch(&out, '\n');
			}
		}
	}
	if (json_array_size(x.order) > 0) {
		zn_buf_adds(&out, "schemas:\n");
		json_array_foreach(x.order, i, e)
			schema(&x, json_string_value(e));
	}
	zn_buf_adds(&out, "sql:\n");
	if (json_array_size(x.first) > 0) {
		zn_buf_adds(&out, "  first:\n");
		sqllist(&out, 4, x.first);
	}
	if (json_array_size(last) > 0) {
		zn_buf_adds(&out, "  last:\n");
		sqllist(&out, 4, last);
	}
	if (json_array_size(x.first) + json_array_size(last) == 0) {
		out.len--;
		zn_buf_adds(&out, " {}\n");
	}
	json_decref(x.recs);
	json_decref(x.order);
	json_decref(x.per);
	json_decref(x.exts);
	json_decref(x.fks);
	json_decref(x.first);
	json_decref(x.placed);
	json_decref(x.omitted);
	json_decref(last);
	return zn_buf_detach(&out);
}
