/* SPDX-License-Identifier: ISC */
/*
 * diff: the ops that turn one schema graph into another.
 *
 * Objects are paired by identity (kind, schema, name, and the table or
 * the argument types), or by a rename hint; constraints and indexes whose
 * definition is the same but whose name differs (auto-named objects after
 * a table rename, 63-byte truncation) are renamed, never rebuilt.
 *
 * Every op gets a phase and, where it matters, the keys it provides and
 * requires; the plan is a topological order of the ops, ties broken by
 * phase then by the order they were made in.  The phases are those of
 * pg_dump and migra: drops of dependants (triggers, policies, views,
 * foreign keys, constraints, indexes) under their old names, then
 * renames, then creates from
 * the bottom up (schemas, extensions, enums, sequences, functions, tables,
 * columns, constraints, foreign keys, views, policies, triggers), then
 * the removals that park data (soft drops) and the drops of what nothing
 * uses any more.  Dropping before renaming keeps every reverse valid: run
 * last op first, the renames are undone before the old definitions are
 * created again.  Foreign keys are always separate ops, which breaks
 * every cycle between new tables the way pg_dump does.
 *
 * On a table that exists before the plan, changes take their online form:
 * CREATE INDEX CONCURRENTLY as a non-transactional op; CHECK and FOREIGN
 * KEY added NOT VALID, then validated by a later op; SET NOT NULL through
 * a validated CHECK; UNIQUE and PRIMARY KEY through a unique index built
 * concurrently and attached with USING INDEX.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "zn.h"

/* Phases, in the order they run. */
enum {
	PH_DROP_TRIGGER = 6,
	PH_DISABLE_RLS = 7,
	PH_DROP_POLICY = 8,
	PH_DROP_VIEW = 9,
	PH_DROP_FK = 10,
	PH_DROP_CONSTRAINT = 11,
	PH_DROP_INDEX = 12,
	PH_RENAME = 15,
	PH_DEFAULT_PRIVILEGES = 19,
	PH_SCHEMA = 20,
	PH_EXTENSION = 21,
	PH_ENUM = 22,
	PH_DOMAIN = 25,
	PH_SEQUENCE = 23,
	PH_FUNCTION = 24,
	PH_OPCLASS = 30,
	PH_TABLE = 40,
	PH_ADD_COLUMN = 42,
	PH_ALTER_TYPE = 43,
	PH_ALTER_COLUMN = 44,
	PH_ALTER_TABLE = 45,
	PH_NOT_NULL_CHECK = 46,
	PH_OWNED_BY = 48,
	PH_KEY_INDEX = 49,
	PH_KEY = 50,
	PH_CHECK = 51,
	PH_EXCLUSION = 52,
	PH_INDEX = 53,
	PH_INDEX_SWAP = 54,
	PH_VALIDATE = 55,
	PH_SET_NOT_NULL = 56,
	PH_KEY_USING_INDEX = 57,
	PH_FK = 60,
	PH_VALIDATE_FK = 61,
	PH_VIEW = 65,
	PH_MATVIEW_INDEX = 66,
	PH_POLICY = 75,
	PH_ENABLE_RLS = 76,
	PH_TRIGGER = 78,
	PH_PRIVILEGES = 80,
	PH_SOFT_DROP = 84,
	PH_DROP_TABLE = 85,
	PH_DROP_OPCLASS = 88,
	PH_DROP_ROUTINE = 90,
	PH_DROP_SEQUENCE = 91,
	PH_DROP_ENUM = 92,
	PH_DROP_EXTENSION = 93,
	PH_DROP_SCHEMA = 95
};

struct side {
	const struct zn_graph *g;
	json_t **recs;		/* records parsed so far (rec()) */
	json_t *index;		/* key -> record position */
	unsigned char *used;	/* paired with a record of the other side */
	size_t *kids;		/* tables that inherit or are partitions */
	size_t nkids;
	int haskids;		/* kids found */
};

struct d {
	struct zn_plan *p;
	const struct zn_diff_opts *o;
	struct side a, b;
	json_t *renames;	/* all hints */
	const char *from_hash;
	json_t *recreate;	/* "schema\x1fname" of views dropped and recreated */
	json_t *retyped;	/* "schema.name(" of routines whose result changes */
	json_t *changedcols;	/* "schema\x1ftable\x1fcolumn" whose type changes */
	json_t *gone;		/* keys of tables and columns removed */
	json_t *rekeyed;	/* foreign keys dropped and added around a key */
	json_t *adopted;	/* "schema.table|index" a key takes over */
	struct zn_buf parkedtext;	/* what parked tables and columns use */
	json_t *parkedin;	/* schemas that keep something parked */
	int parking;		/* removals keep their data */
	int noparking;		/* a drop to be undone in the same plan */
	int privs;		/* privileges are compared (not from YAML) */
	json_t *defacls;	/* the to side's default privileges */
	struct zn_arena arena;	/* the text of the ops, until they are made */
};

static char *
keep(struct d *d, char *s)
{
	return zn_arena_keep(&d->arena, s);
}

static const char *
fmt(struct d *d, const char *f, ...) ZN_PRINTF(2, 3);

static const char *
fmt(struct d *d, const char *f, ...)
{
	struct zn_buf b = ZN_BUF_INIT;
	va_list ap;

	va_start(ap, f);
	zn_buf_vaddf(&b, f, ap);
	va_end(ap);
	return zn_arena_keep(&d->arena, zn_buf_detach(&b));
}

/* A quoted identifier. */
static const char *
qi(struct d *d, const char *s)
{
	return zn_arena_ident(&d->arena, s);
}

/* A qualified name, quoted. */
static const char *
qn(struct d *d, const char *schema, const char *name)
{
	return zn_arena_qualified(&d->arena, schema, name);
}

static const char *
lit(struct d *d, const char *s)
{
	struct zn_buf b = ZN_BUF_INIT;

	if (s == NULL)
		return "NULL";
	zn_pg_literal(&b, s);
	return keep(d, zn_buf_detach(&b));
}

static const char *
S(const json_t *o, const char *k)
{
	return zn_json_str(o, k);
}

static int
B(const json_t *o, const char *k)
{
	return json_is_true(json_object_get(o, k));
}

/* Equal as JSON, NULL and null alike. */
static int
same(const json_t *x, const json_t *y)
{
	if (x == NULL)
		x = json_null();
	if (y == NULL)
		y = json_null();
	return json_equal(x, y);
}

static int
streq(const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		return x == y;
	return strcmp(x, y) == 0;
}

static const char *
key3(struct d *d, const char *x, const char *y, const char *z)
{
	return fmt(d, "%s\x1f%s\x1f%s", x != NULL ? x : "",
	    y != NULL ? y : "", z != NULL ? z : "");
}

/* ---- ops ---- */

static struct zn_op *
newop(struct d *d, enum zn_opkind kind, int phase, const char *target)
{
	struct zn_plan *p = d->p;
	struct zn_op *op;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->ops = zn_xreallocarray(p->ops, p->cap, sizeof(*p->ops));
	}
	op = &p->ops[p->n];
	memset(op, 0, sizeof(*op));
	op->seq = p->n++;
	op->kind = kind;
	op->op = zn_xstrdup(zn_op_name(kind));
	op->target = zn_xstrdup(target);
	op->args = json_object();
	op->sql = json_array();
	op->reverse = json_array();
	op->provides = json_array();
	op->requires = json_array();
	/* Where an op builds CONCURRENTLY, its maker says whether it can. */
	op->transactional = zn_op_kinddef(kind)->tx == ZN_TX_INSIDE;
	op->phase = phase;
	if (op->args == NULL || op->sql == NULL || op->reverse == NULL ||
	    op->provides == NULL || op->requires == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	return op;
}

static void
addstr(json_t *arr, const char *s)
{
	if (json_array_append_new(arr, json_string(s)) != 0)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot hold a statement that "
		    "is not valid UTF-8");
}

static void
sql(struct zn_op *op, const char *s)
{
	addstr(op->sql, s);
}

/* Reverse statements are given in the order they run. */
static void
rev(struct zn_op *op, const char *s)
{
	addstr(op->reverse, s);
}

static void
arg(struct zn_op *op, const char *k, json_t *v)
{
	if (v == NULL)
		v = json_null();
	if (json_object_set_new(op->args, k, v) != 0)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
}

static void
args(struct zn_op *op, const char *schema, const char *table,
    const char *name)
{
	arg(op, "schema", json_string(schema));
	if (table != NULL)
		arg(op, "table", json_string(table));
	if (name != NULL)
		arg(op, "name", json_string(name));
}

static void
provide(struct zn_op *op, const char *k)
{
	addstr(op->provides, k);
}

static void
need(struct zn_op *op, const char *k)
{
	addstr(op->requires, k);
}

static const char *
target(struct d *d, const char *schema, const char *table, const char *name)
{
	struct zn_buf b = ZN_BUF_INIT;

	zn_buf_adds(&b, schema != NULL ? schema : "");
	if (table != NULL) {
		zn_buf_addch(&b, '.');
		zn_buf_adds(&b, table);
	}
	if (name != NULL) {
		zn_buf_addch(&b, '.');
		zn_buf_adds(&b, name);
	}
	return keep(d, zn_buf_detach(&b));
}

/*
 * A name for something parked: prefix, the name cut to fit 63 bytes on
 * a character boundary, and a short id made from the plan's starting
 * point, so the same plan always parks under the same name.
 */
static const char *
parked(struct d *d, const char *prefix, const char *name, const char *what)
{
	char h[ZN_SHA256_STRLEN];
	const char *x;
	size_t room, n;

	x = fmt(d, "%s\x1f%s", d->from_hash, what);
	zn_sha256(x, strlen(x), h);
	room = 63 - strlen(prefix) - 9;
	n = strlen(name);
	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
			n--;
	}
	/* h is "sha256:" and hex digits. */
	return fmt(d, "%s%.*s_%.8s", prefix, (int)n, name, h + 7);
}

/*
 * Whether something parked still uses the object whose text is needle:
 * a removed type, function or sequence that a parked table or column
 * uses is parked with it (renamed), not dropped.
 */
static int
parkeduses(struct d *d, const char *needle)
{
	return d->parking && d->parkedtext.len > 0 &&
	    strstr(d->parkedtext.buf, needle) != NULL;
}

static void
parkin(struct d *d, const char *schema)
{
	json_object_set_new(d->parkedin, schema, json_true());
}

/* ALTER kind name RENAME TO a parked name, reversibly. */
static void
parkop(struct d *d, enum zn_opkind opkind, const char *word, const char *q,
    const char *schema, const char *name, const char *tgt, const char *sig)
{
	const char *pk = parked(d, "_zanith_dropped_", name, tgt);
	struct zn_op *op;

	op = newop(d, opkind, PH_SOFT_DROP, tgt);
	args(op, schema, NULL, name);
	arg(op, "parked_as", json_string(pk));
	/* What purging it runs (zn-artifact(1)). */
	arg(op, "purge", json_string(fmt(d, "DROP %s %s", word,
	    schema != NULL ? fmt(d, "%s%s", qn(d, schema, pk),
	    sig != NULL ? sig : "") : qi(d, pk))));
	sql(op, fmt(d, "ALTER %s %s RENAME TO %s", word, q, qi(d, pk)));
	rev(op, fmt(d, "ALTER %s %s RENAME TO %s", word,
	    schema != NULL ? fmt(d, "%s%s", qn(d, schema, pk),
	    sig != NULL ? sig : "") : qi(d, pk),
	    qi(d, name)));
	if (schema != NULL)
		parkin(d, schema);
}

/* ---- pairing ---- */

/*
 * Records are parsed when first looked at: in a large graph most are
 * the same on both sides and never are.
 */
static json_t *
rec(struct side *s, size_t i)
{
	if (s->recs[i] == NULL)
		s->recs[i] = zn_graph_get(s->g, i);
	return s->recs[i];
}

/* Whether record i of s is of kind, without parsing it. */
static int
iskind(const struct side *s, size_t i, const char *kind)
{
	return s->g->recs[i].rank == zn_graph_kind_rank(kind);
}

/* Whether JSON writes s as it is, inside a string. */
static int
plainjson(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\')
			return 0;
	return 1;
}

/* Whether the line of record i of s holds the JSON text needle. */
static int
inline_(const struct side *s, size_t i, const char *needle)
{
	const struct zn_grec *r = &s->g->recs[i];

	return zn_memfind(r->line, r->len, needle, strlen(needle));
}

/*
 * The table records of s that inherit or are partitions, found once
 * (canonical lines: no spaces): most graphs have none, and each change
 * of a column's inherited properties, each dropped column, looked
 * through every line for them.
 */
static const size_t *
kids(struct side *s, size_t *n)
{
	size_t i;

	if (!s->haskids) {
		s->haskids = 1;
		for (i = 0; i < s->g->nrecs; i++) {
			if (!iskind(s, i, "table") || (!inline_(s, i,
			    "\"partition_of\":{") && !inline_(s, i,
			    "\"inherits\":[{")))
				continue;
			s->kids = zn_xreallocarray(s->kids, s->nkids + 1,
			    sizeof(*s->kids));
			s->kids[s->nkids++] = i;
		}
	}
	*n = s->nkids;
	return s->kids;
}

static const char *
reckey(struct d *d, const struct zn_grec *r)
{
	return fmt(d, "%d\x1f%s\x1f%s\x1f%s\x1f%s", r->rank,
	    r->schema != NULL ? r->schema : "",
	    r->table != NULL ? r->table : "", r->name,
	    r->args != NULL ? r->args : "");
}

static void
load(struct d *d, struct side *s, const struct zn_graph *g)
{
	size_t i;

	s->g = g;
	s->recs = zn_xcalloc(g->nrecs + 1, sizeof(*s->recs));
	s->used = zn_xcalloc(g->nrecs + 1, 1);
	s->index = json_object();
	for (i = 0; i < g->nrecs; i++)
		json_object_set_new(s->index, reckey(d, &g->recs[i]),
		    json_integer((json_int_t)i));
}

static json_t *
lookup(struct d *d, struct side *s, const char *kind, const char *schema,
    const char *table, const char *name, const char *args_, size_t *pos)
{
	const char *k = fmt(d, "%d\x1f%s\x1f%s\x1f%s\x1f%s",
	    zn_graph_kind_rank(kind), schema != NULL ? schema : "",
	    table != NULL ? table : "", name, args_ != NULL ? args_ : "");
	json_t *v = json_object_get(s->index, k);

	if (v == NULL)
		return NULL;
	if (pos != NULL)
		*pos = (size_t)json_integer_value(v);
	return rec(s, (size_t)json_integer_value(v));
}

/* The position in s of the record with rb's identity, if there is one. */
static int
lookupkey(struct d *d, struct side *s, const struct zn_grec *rb, size_t *pos)
{
	json_t *v = json_object_get(s->index, reckey(d, rb));

	if (v == NULL)
		return 0;
	*pos = (size_t)json_integer_value(v);
	return 1;
}

/*
 * The rename hint of a kind in schema and table (NULL for a table or an
 * enum) whose new name (byname) or old name is name: the other name, or
 * NULL when there is none.
 */
static const char *
hint(struct d *d, const char *kind, const char *schema, const char *table,
    const char *name, int byname)
{
	const json_t *h;
	size_t i;

	json_array_foreach(d->renames, i, h)
		if (streq(S(h, "kind"), kind) &&
		    streq(S(h, "schema"), schema) &&
		    streq(S(h, "table"), table) &&
		    streq(S(h, byname ? "name" : "from"), name))
			return S(h, byname ? "from" : "name");
	return NULL;
}

/* The name a to-side object had, by hint, or NULL. */
static const char *
renamedfrom(struct d *d, const char *kind, const char *schema,
    const char *table, const char *name)
{
	return hint(d, kind, schema, table, name, 1);
}

/* The to-side name of a from-side table (after a rename hint). */
static const char *
newtablename(struct d *d, const char *schema, const char *name)
{
	const char *to = hint(d, "table", schema, NULL, name, 0);

	return to != NULL ? to : name;
}

/* The to-side name of a from-side column of the (to-side) table. */
static const char *
newcolname(struct d *d, const char *schema, const char *table,
    const char *name)
{
	const char *to = hint(d, "column", schema, table, name, 0);

	return to != NULL ? to : name;
}

/*
 * Text of the from side with renamed enum types, enum labels and
 * sequences written under their new names: a rename changes how the
 * server renders every use (column types, defaults, signatures, bodies)
 * without changing them.
 */
static const char *
mapt(struct d *d, const char *s)
{
	const json_t *h;
	const char *from, *to, *p;
	struct zn_buf b = ZN_BUF_INIT;
	size_t i;

	if (s == NULL)
		return NULL;
	json_array_foreach(d->renames, i, h) {
		if (streq(S(h, "kind"), "enum")) {
			from = qn(d, S(h, "schema"), S(h, "from"));
			to = qn(d, S(h, "schema"), S(h, "name"));
		} else if (streq(S(h, "kind"), "sequence")) {
			/* A sequence as nextval() and friends name it. */
			from = lit(d, qn(d, S(h, "schema"), S(h, "from")));
			to = lit(d, qn(d, S(h, "schema"), S(h, "name")));
		} else if (streq(S(h, "kind"), "enum_value")) {
			/* A label as a constant of its type. */
			from = fmt(d, "%s::%s", lit(d, S(h, "from")),
			    qn(d, S(h, "schema"), S(h, "table")));
			to = fmt(d, "%s::%s", lit(d, S(h, "name")),
			    qn(d, S(h, "schema"), S(h, "table")));
		} else
			continue;
		if (strstr(s, from) == NULL)
			continue;
		zn_buf_reset(&b);
		for (p = s; *p != '\0';) {
			if (strncmp(p, from, strlen(from)) == 0) {
				zn_buf_adds(&b, to);
				p += strlen(from);
			} else
				zn_buf_addch(&b, *p++);
		}
		s = keep(d, zn_buf_detach(&b));
	}
	zn_buf_release(&b);
	return s;
}

static const json_t *
findcol(const json_t *t, const char *name)
{
	const json_t *c;
	size_t i;

	json_array_foreach(json_object_get(t, "columns"), i, c)
		if (streq(S(c, "name"), name))
			return c;
	return NULL;
}

static const json_t *
findnamed(const json_t *arr, const char *name)
{
	const json_t *c;
	size_t i;

	json_array_foreach(arr, i, c)
		if (streq(S(c, "name"), name))
			return c;
	return NULL;
}

/* ---- SQL pieces ---- */

/* ---- privileges ---- */

static int inlist(const json_t *, const json_t *);

/*
 * The statement that makes a privilege entry hold on the object "on"
 * (such as TABLE app.t), or with undo that makes it no longer hold: an
 * entry is a grant beyond what a new object has, or the revoke of what
 * a new object has (zn-records(5)).  pre comes before GRANT or REVOKE
 * (ALTER DEFAULT PRIVILEGES ..., with "on" TABLES), or is "".
 */
static const char *
priv_sql(struct d *d, const char *pre, const char *on, const json_t *e,
    int undo)
{
	const char *g = streq(S(e, "grantee"), "PUBLIC") ? "PUBLIC" :
	    qi(d, S(e, "grantee"));
	const char *col = S(e, "column") != NULL ? fmt(d, " (%s)",
	    qi(d, S(e, "column"))) : "";

	if (streq(S(e, "action"), "grant") != undo)
		return fmt(d, "%sGRANT %s%s ON %s TO %s%s", pre,
		    S(e, "privilege"), col, on, g, !undo && B(e, "grantable") ?
		    " WITH GRANT OPTION" : "");
	return fmt(d, "%sREVOKE %s%s ON %s FROM %s", pre, S(e, "privilege"),
	    col, on, g);
}

/*
 * Statements into out that take the privileges a to b, each statement
 * led by pre: the entries of a that b has not undone first, then those
 * of b that a has not.
 */
static void
privdiffpre(struct d *d, json_t *out, const char *pre, const char *on,
    const json_t *a, const json_t *b)
{
	const json_t *e;
	size_t i;

	if (!d->privs)
		return;
	json_array_foreach(a, i, e)
		if (!inlist(b, e))
			addstr(out, priv_sql(d, pre, on, e, 1));
	json_array_foreach(b, i, e)
		if (!inlist(a, e))
			addstr(out, priv_sql(d, pre, on, e, 0));
}

/* Statements into out that take the privileges of a to those of b. */
static void
privdiff(struct d *d, json_t *out, const char *on, const json_t *a,
    const json_t *b)
{
	privdiffpre(d, out, "", on, a, b);
}

/* The objects of ALTER DEFAULT PRIVILEGES that apply to x, or NULL. */
static const char *
defaclobjs(const json_t *x)
{
	const char *k = S(x, "kind");

	if (streq(k, "schema"))
		return "SCHEMAS";
	if (streq(k, "sequence"))
		return "SEQUENCES";
	if (streq(k, "table") || streq(k, "view") ||
	    streq(k, "materialized_view") || streq(k, "foreign_table"))
		return "TABLES";
	if (streq(k, "function") || streq(k, "procedure"))
		return "FUNCTIONS";
	if (streq(k, "enum") || streq(k, "domain") ||
	    streq(k, "composite_type") || streq(k, "range_type"))
		return "TYPES";
	return NULL;
}

/* Adds statement s to out unless out has it (two roles may ask it). */
static void
addonce(json_t *out, const char *s)
{
	const json_t *v;
	size_t i;

	json_array_foreach(out, i, v)
		if (streq(json_string_value(v), s))
			return;
	addstr(out, s);
}

/* The entry of privs with e's action, grantee and privilege, or NULL. */
static const json_t *
findpriv(const json_t *privs, const json_t *e)
{
	const json_t *x;
	size_t i;

	json_array_foreach(privs, i, x)
		if (streq(S(x, "action"), S(e, "action")) &&
		    streq(S(x, "grantee"), S(e, "grantee")) &&
		    streq(S(x, "privilege"), S(e, "privilege")))
			return x;
	return NULL;
}

/*
 * What the default privileges of the to side may have given a new
 * object x beyond its own, taken back into out.  Every object the plan
 * makes, either way, is made while they hold (they are set early and
 * undone late), but for whichever role runs the plan, which no graph
 * knows: so each entry of every role's that applies is undone where x
 * has not got it, which changes nothing where it was not given.  A
 * role's entries for itself are left, as an owner's are.
 */
static void
defaclfix(struct d *d, json_t *out, const char *on, const json_t *x)
{
	const char *objs = defaclobjs(x), *g;
	const json_t *r, *e, *have, *privs = json_object_get(x, "privileges");
	size_t i, j;

	if (!d->privs || objs == NULL)
		return;
	json_array_foreach(d->defacls, i, r) {
		if (!streq(S(r, "name"), objs) || (S(r, "schema") != NULL &&
		    !streq(S(r, "schema"), S(x, "schema"))))
			continue;
		json_array_foreach(json_object_get(r, "privileges"), j, e) {
			if (streq(S(e, "grantee"), S(r, "role")))
				continue;
			have = findpriv(privs, e);
			g = streq(S(e, "grantee"), "PUBLIC") ? "PUBLIC" :
			    qi(d, S(e, "grantee"));
			if (have == NULL)
				addonce(out, priv_sql(d, "", on, e, 1));
			else if (streq(S(e, "action"), "grant") &&
			    B(e, "grantable") && !B(have, "grantable"))
				addonce(out, fmt(d, "REVOKE GRANT OPTION FOR %s "
				    "ON %s FROM %s", S(e, "privilege"), on, g));
		}
	}
}

/* What a new object needs to have the privileges of x. */
static void
privcreate(struct d *d, json_t *out, const char *on, const json_t *x)
{
	privdiff(d, out, on, NULL, json_object_get(x, "privileges"));
	privdiff(d, out, on, NULL, json_object_get(x, "column_privileges"));
	defaclfix(d, out, on, x);
}

/*
 * The op of kind made of statements fw, undone by bw, when there are
 * any, else NULL; takes both arrays.
 */
static struct zn_op *
stmtop(struct d *d, enum zn_opkind kind, int phase, const char *tgt,
    const char *schema, const char *table, const char *name, json_t *fw,
    json_t *bw)
{
	struct zn_op *op = NULL;

	if (json_array_size(fw) > 0) {
		op = newop(d, kind, phase, tgt);
		args(op, schema, table, name);
		json_array_extend(op->sql, fw);
		json_array_extend(op->reverse, bw);
	}
	json_decref(fw);
	json_decref(bw);
	return op;
}

/* An op for an object on both sides whose privileges differ. */
static void
privop(struct d *d, const char *on, const json_t *a, const json_t *b,
    const char *tgt, const char *schema, const char *table,
    const char *name)
{
	static const char *const keys[] = { "privileges", "column_privileges" };
	json_t *fw = json_array(), *bw = json_array();
	size_t k;

	for (k = 0; k < 2; k++) {
		privdiff(d, fw, on, json_object_get(a, keys[k]),
		    json_object_get(b, keys[k]));
		privdiff(d, bw, on, json_object_get(b, keys[k]),
		    json_object_get(a, keys[k]));
	}
	stmtop(d, ZN_OP_SET_PRIVILEGES, PH_PRIVILEGES, tgt, schema, table,
	    name, fw, bw);
}

static const char *
comment_sql(struct d *d, const char *what, const char *comment)
{
	return fmt(d, "COMMENT ON %s IS %s", what, lit(d, comment));
}

/* Comment ops: set or change; reverse restores the old one. */
static void
comments(struct d *d, struct zn_op *op, const char *what, const json_t *a,
    const json_t *b)
{
	const char *ca = a != NULL ? S(a, "comment") : NULL;
	const char *cb = b != NULL ? S(b, "comment") : NULL;

	if (streq(ca, cb))
		return;
	sql(op, comment_sql(d, what, cb));
	if (a != NULL)
		rev(op, comment_sql(d, what, ca));
}

/* A comment change on its own op. */
static void
commentop(struct d *d, const char *what, const json_t *a, const json_t *b,
    const char *tgt, const char *schema, const char *table,
    const char *name)
{
	struct zn_op *op;

	if (streq(S(a, "comment"), S(b, "comment")))
		return;
	op = newop(d, ZN_OP_SET_COMMENT, PH_ALTER_TABLE, tgt);
	args(op, schema, table, name);
	arg(op, "object", json_string(what));
	arg(op, "comment", json_incref(json_object_get(b, "comment")));
	comments(d, op, what, a, b);
}

static const char *
seqopts(struct d *d, const json_t *s, int create)
{
	return fmt(d, "%s%s INCREMENT BY %s MINVALUE %s MAXVALUE %s "
	    "START WITH %s CACHE %s %sCYCLE",
	    S(s, "type") != NULL ? " AS " : "",
	    S(s, "type") != NULL ? S(s, "type") : "", S(s, "increment"),
	    S(s, "min"), S(s, "max"), S(s, "start"), S(s, "cache"),
	    B(s, "cycle") ? "" : "NO ");
	(void)create;
}

static const char *
identity_sql(struct d *d, const json_t *id)
{
	return fmt(d, "GENERATED %s AS IDENTITY (SEQUENCE NAME %s START WITH "
	    "%s INCREMENT BY %s MINVALUE %s MAXVALUE %s CACHE %s %sCYCLE)",
	    streq(S(id, "generation"), "always") ? "ALWAYS" : "BY DEFAULT",
	    qn(d, S(id, "sequence_schema"), S(id, "sequence")),
	    S(id, "start"), S(id, "increment"), S(id, "min"), S(id, "max"),
	    S(id, "cache"), B(id, "cycle") ? "" : "NO ");
}

/* A column as in CREATE TABLE or ADD COLUMN. */
static const char *
coldef(struct d *d, const json_t *c)
{
	const json_t *gen = json_object_get(c, "generated");
	const json_t *id = json_object_get(c, "identity");
	struct zn_buf b = ZN_BUF_INIT;

	zn_buf_addf(&b, "%s %s", qi(d, S(c, "name")), S(c, "type"));
	if (S(c, "collation") != NULL)
		zn_buf_addf(&b, " COLLATE %s", S(c, "collation"));
	if (json_is_object(gen))
		zn_buf_addf(&b, " GENERATED ALWAYS AS (%s) STORED",
		    S(gen, "expression"));
	else if (json_is_object(id))
		zn_buf_addf(&b, " %s", identity_sql(d, id));
	else if (S(c, "default") != NULL)
		zn_buf_addf(&b, " DEFAULT %s", S(c, "default"));
	if (B(c, "not_null") && !json_is_object(id))
		zn_buf_adds(&b, " NOT NULL");
	return keep(d, zn_buf_detach(&b));
}

/*
 * A reloptions list as SQL: "name='value', ..." for WITH and SET, or
 * the names alone for RESET.
 */
static const char *
optlist(struct d *d, const json_t *opts, int values)
{
	struct zn_buf b = ZN_BUF_INIT;
	const json_t *o;
	const char *s, *eq;
	size_t i;

	json_array_foreach(opts, i, o) {
		s = json_string_value(o);
		eq = strchr(s, '=');
		if (i > 0)
			zn_buf_adds(&b, ", ");
		zn_buf_add(&b, s, eq != NULL ? (size_t)(eq - s) : strlen(s));
		if (values && eq != NULL) {
			zn_buf_addch(&b, '=');
			zn_pg_literal(&b, eq + 1);
		}
	}
	return keep(d, zn_buf_detach(&b));
}

static int
inlist(const json_t *arr, const json_t *v)
{
	const json_t *x;
	size_t i;

	json_array_foreach(arr, i, x)
		if (json_equal(x, v))
			return 1;
	return 0;
}

/* The options of a that b does not have, or has with another value. */
static json_t *
optminus(const json_t *a, const json_t *b)
{
	json_t *r = json_array();
	const json_t *x;
	size_t i;

	json_array_foreach(a, i, x)
		if (!inlist(b, x))
			json_array_append(r, (json_t *)x);
	return r;
}

/* Names in a's options that b does not set at all. */
static json_t *
optreset(const json_t *a, const json_t *b)
{
	json_t *r = json_array();
	const json_t *x, *y;
	size_t i, j, n;
	int found;

	json_array_foreach(a, i, x) {
		const char *s = json_string_value(x);

		n = strcspn(s, "=");
		found = 0;
		json_array_foreach(b, j, y)
			if (strncmp(json_string_value(y), s, n) == 0 &&
			    (json_string_value(y)[n] == '=' ||
			    json_string_value(y)[n] == '\0'))
				found = 1;
		if (!found)
			json_array_append(r, (json_t *)x);
	}
	return r;
}

/* SET and RESET of reloptions for ALTER TABLE/VIEW/INDEX. */
static void
reloptions(struct d *d, struct zn_op *op, const char *alter,
    const json_t *oa, const json_t *ob)
{
	json_t *set = optminus(ob, oa), *reset = optreset(oa, ob);
	json_t *rset = optminus(oa, ob), *rreset = optreset(ob, oa);

	if (json_array_size(reset) > 0)
		sql(op, fmt(d, "%s RESET (%s)", alter, optlist(d, reset, 0)));
	if (json_array_size(set) > 0)
		sql(op, fmt(d, "%s SET (%s)", alter, optlist(d, set, 1)));
	if (json_array_size(rreset) > 0)
		rev(op, fmt(d, "%s RESET (%s)", alter, optlist(d, rreset, 0)));
	if (json_array_size(rset) > 0)
		rev(op, fmt(d, "%s SET (%s)", alter, optlist(d, rset, 1)));
	json_decref(set);
	json_decref(reset);
	json_decref(rset);
	json_decref(rreset);
}

static const char *
collist(struct d *d, const json_t *cols)
{
	struct zn_buf b = ZN_BUF_INIT;
	const json_t *c;
	size_t i;

	json_array_foreach(cols, i, c) {
		if (i > 0)
			zn_buf_adds(&b, ", ");
		zn_pg_ident(&b, json_string_value(c));
	}
	return keep(d, zn_buf_detach(&b));
}

/*
 * An index definition from pg_get_indexdef, renamed and optionally
 * built concurrently: "CREATE [UNIQUE] INDEX name ON ..." with the name
 * replaced.  NULL when the text is not of that form.
 */
static const char *
indexdef(struct d *d, const json_t *ix, const char *name, int concurrently)
{
	const char *def = S(ix, "definition"), *on;
	int unique = strncmp(def, "CREATE UNIQUE INDEX ", 20) == 0;

	on = strstr(def, " ON ");
	if (on == NULL)
		zn_die(ZN_EXIT_DATAERR, "index '%s' has a definition zn-diff "
		    "cannot read: %s", S(ix, "name"), def);
	/* A partitioned table's index is rendered ON ONLY: build it all. */
	if (strncmp(on, " ON ONLY ", 9) == 0)
		on = fmt(d, " ON %s", on + 9);
	return fmt(d, "CREATE %sINDEX %s%s%s", unique ? "UNIQUE " : "",
	    concurrently ? "CONCURRENTLY " : "", qi(d, name), on);
}

/* The part of an index definition that is not its name or table. */
static const char *
indexshape(struct d *d, const json_t *ix)
{
	const char *def = S(ix, "definition"), *u = strstr(def, " USING ");

	return fmt(d, "%d%s", strncmp(def, "CREATE UNIQUE", 13) == 0,
	    u != NULL ? u : def);
}

/* ---- enums ---- */

static const char *
enum_create(struct d *d, const char *tn, const json_t *labels)
{
	struct zn_buf b = ZN_BUF_INIT;
	const json_t *v;
	size_t i;

	zn_buf_addf(&b, "CREATE TYPE %s AS ENUM (", tn);
	json_array_foreach(labels, i, v) {
		if (i > 0)
			zn_buf_adds(&b, ", ");
		zn_pg_literal(&b, json_string_value(v));
	}
	zn_buf_adds(&b, ")");
	return keep(d, zn_buf_detach(&b));
}

/*
 * The edges of a type (enum, domain, composite) made: its name, after
 * its schema and after the drop of a type of the same name; of one
 * dropped: after the routines that use it; of one parked as parked data
 * uses it: the same, by the name they use.
 */
static void
typemade(struct d *d, struct zn_op *op, const char *q, const char *sc)
{
	provide(op, fmt(d, "type:%s", q));
	need(op, fmt(d, "schema:%s", sc));
	need(op, fmt(d, "gone:type:%s", q));
}

static void
typegone(struct d *d, struct zn_op *op, const char *q)
{
	need(op, fmt(d, "dropuse:type:%s", q));
	provide(op, fmt(d, "gone:type:%s", q));
}

static void
parktype(struct d *d, const char *q, const char *sc, const char *nm,
    const char *tgt)
{
	parkop(d, ZN_OP_SOFT_DROP_TYPE, "TYPE", q, sc, nm, tgt, NULL);
	need(&d->p->ops[d->p->n - 1], fmt(d, "dropuse:type:%s", q));
}

/* The type's name as format_type writes it in a column's type. */
static const char *
typename_(struct d *d, const char *schema, const char *name)
{
	return qn(d, schema, name);
}

/*
 * Statements that rebuild an enum with the given labels: rename the old
 * type, create the new one with the privileges of record privs (the old
 * one's: a change of them is an op of its own), move every column of the
 * to-side graph that uses it (defaults lifted and restored around the
 * cast), drop the old.
 */
static void
enumrebuild(struct d *d, json_t *out, const char *schema, const char *name,
    const json_t *labels, struct side *s, const json_t *privs)
{
	const char *tn = typename_(d, schema, name);
	const char *old = parked(d, "_zanith_old_", name, tn);
	/* The type as a column's "type" in a line, when it can be found. */
	const char *as1 = plainjson(tn) ? fmt(d, "\"%s\"", tn) : NULL;
	const char *as2 = fmt(d, "\"%s[]\"", tn);
	const json_t *c;
	size_t i, j;

	addstr(out, fmt(d, "ALTER TYPE %s RENAME TO %s", tn, qi(d, old)));
	addstr(out, enum_create(d, tn, labels));
	privcreate(d, out, fmt(d, "TYPE %s", tn), privs);
	for (i = 0; i < s->g->nrecs; i++) {
		const json_t *t;

		if (!iskind(s, i, "table") || (as1 != NULL &&
		    !inline_(s, i, as1) && !inline_(s, i, as2)))
			continue;
		t = rec(s, i);
		json_array_foreach(json_object_get(t, "columns"), j, c) {
			const char *ty = S(c, "type");
			const char *alt;
			int arr;

			if (B(c, "inherited"))
				continue;
			arr = strncmp(ty, tn, strlen(tn)) == 0 &&
			    strcmp(ty + strlen(tn), "[]") == 0;
			if (strcmp(ty, tn) != 0 && !arr)
				continue;
			alt = fmt(d, "ALTER TABLE %s ALTER COLUMN %s",
			    qn(d, S(t, "schema"), S(t, "name")),
			    qi(d, S(c, "name")));
			if (S(c, "default") != NULL)
				addstr(out, fmt(d, "%s DROP DEFAULT", alt));
			addstr(out, fmt(d, "%s TYPE %s USING %s::text%s::%s",
			    alt, ty, qi(d, S(c, "name")), arr ? "[]" : "",
			    ty));
			if (S(c, "default") != NULL)
				addstr(out, fmt(d, "%s SET DEFAULT %s", alt,
				    S(c, "default")));
		}
	}
	addstr(out, fmt(d, "DROP TYPE %s", qn(d, schema, old)));
}

static int
indexof(const json_t *arr, const char *s)
{
	const json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (streq(json_string_value(v), s))
			return (int)i;
	return -1;
}

static void
enumdiff(struct d *d, const json_t *a, const json_t *b)
{
	const char *sc = S(b != NULL ? b : a, "schema");
	const char *nm = S(b != NULL ? b : a, "name");
	const char *tn = qn(d, sc, nm), *tgt = target(d, sc, NULL, nm);
	struct zn_op *op;
	const json_t *va, *vb, *v;
	json_t *cur;
	size_t i, j;
	int ok, k;

	if (a == NULL) {
		op = newop(d, ZN_OP_CREATE_ENUM, PH_ENUM, tgt);
		args(op, sc, NULL, nm);
		arg(op, "values", json_incref(json_object_get(b, "values")));
		sql(op, enum_create(d, tn, json_object_get(b, "values")));
		if (S(b, "comment") != NULL)
			sql(op, comment_sql(d, fmt(d, "TYPE %s", tn),
			    S(b, "comment")));
		privcreate(d, op->sql, fmt(d, "TYPE %s", tn), b);
		rev(op, fmt(d, "DROP TYPE %s", tn));
		typemade(d, op, tn, sc);
		return;
	}
	if (b == NULL && parkeduses(d, tn)) {
		parktype(d, tn, sc, nm, tgt);
		return;
	}
	if (b == NULL) {
		op = newop(d, ZN_OP_DROP_ENUM, PH_DROP_ENUM, tgt);
		args(op, sc, NULL, nm);
		sql(op, fmt(d, "DROP TYPE %s", tn));
		rev(op, enum_create(d, tn, json_object_get(a, "values")));
		if (S(a, "comment") != NULL)
			rev(op, comment_sql(d, fmt(d, "TYPE %s", tn),
			    S(a, "comment")));
		privcreate(d, op->reverse, fmt(d, "TYPE %s", tn), a);
		typegone(d, op, tn);
		return;
	}
	if (!streq(S(a, "name"), nm)) {
		op = newop(d, ZN_OP_RENAME_ENUM, PH_RENAME, tgt);
		args(op, sc, NULL, nm);
		arg(op, "from", json_string(S(a, "name")));
		sql(op, fmt(d, "ALTER TYPE %s RENAME TO %s",
		    qn(d, sc, S(a, "name")), qi(d, nm)));
		rev(op, fmt(d, "ALTER TYPE %s RENAME TO %s", tn,
		    qi(d, S(a, "name"))));
	}
	va = json_object_get(a, "values");
	vb = json_object_get(b, "values");
	cur = json_deep_copy(va);
	/* Value renames by hint. */
	json_array_foreach(vb, i, v) {
		const char *from = renamedfrom(d, "enum_value", sc, nm,
		    json_string_value(v));

		if (from == NULL || (k = indexof(cur, from)) < 0 ||
		    indexof(cur, json_string_value(v)) >= 0)
			continue;
		op = newop(d, ZN_OP_RENAME_ENUM_VALUE, PH_RENAME,
		    fmt(d, "%s.%s", tgt, json_string_value(v)));
		args(op, sc, NULL, nm);
		arg(op, "value", json_incref((json_t *)v));
		arg(op, "from", json_string(from));
		sql(op, fmt(d, "ALTER TYPE %s RENAME VALUE %s TO %s", tn,
		    lit(d, from), lit(d, json_string_value(v))));
		rev(op, fmt(d, "ALTER TYPE %s RENAME VALUE %s TO %s", tn,
		    lit(d, json_string_value(v)), lit(d, from)));
		json_array_set(cur, (size_t)k, (json_t *)v);
	}
	/* Adding values works when the old labels keep their order. */
	ok = 1;
	j = 0;
	json_array_foreach(vb, i, v)
		if (j < json_array_size(cur) &&
		    json_equal(json_array_get(cur, j), v))
			j++;
	if (j != json_array_size(cur))
		ok = 0;
	if (ok) {
		json_array_foreach(vb, i, v) {
			const char *val = json_string_value(v);
			const char *where;

			if (indexof(cur, val) >= 0)
				continue;
			{
				size_t m;

				/* Before the next label that exists already. */
				where = "";
				for (m = i + 1; m < json_array_size(vb); m++)
					if (indexof(cur, json_string_value(
					    json_array_get(vb, m))) >= 0) {
						where = fmt(d, " BEFORE %s",
						    lit(d, json_string_value(
						    json_array_get(vb, m))));
						break;
					}
			}
			op = newop(d, ZN_OP_ADD_ENUM_VALUE, PH_ENUM,
			    fmt(d, "%s.%s", tgt, val));
			args(op, sc, NULL, nm);
			arg(op, "value", json_string(val));
			sql(op, fmt(d, "ALTER TYPE %s ADD VALUE %s%s", tn,
			    lit(d, val), where));
			/* PostgreSQL cannot drop a label: rebuild without it. */
			enumrebuild(d, op->reverse, sc, nm, cur, &d->b, a);
			provide(op, fmt(d, "type:%s", tn));
			/* Later additions are positioned after this one. */
			json_array_insert(cur, i, (json_t *)v);
		}
	} else {
		op = newop(d, ZN_OP_REBUILD_ENUM, PH_ENUM, tgt);
		args(op, sc, NULL, nm);
		arg(op, "values", json_incref((json_t *)vb));
		arg(op, "from_values", json_incref(cur));
		enumrebuild(d, op->sql, sc, nm, vb, &d->b, a);
		enumrebuild(d, op->reverse, sc, nm, cur, &d->a, a);
		provide(op, fmt(d, "type:%s", tn));
	}
	json_decref(cur);
	commentop(d, fmt(d, "TYPE %s", tn), a, b, tgt, sc, NULL, nm);
	privop(d, fmt(d, "TYPE %s", tn), a, b, tgt, sc, NULL, nm);
}

/* ---- collations and text search ---- */

static ZN_NORETURN void cannot(const char *, const char *);

/* CREATE COLLATION, and its comment, into out. */
static void
collation_create(struct d *d, json_t *out, const char *q, const json_t *x)
{
	struct zn_buf b = ZN_BUF_INIT;

	zn_buf_addf(&b, "CREATE COLLATION %s (provider = %s", q,
	    S(x, "provider"));
	if (S(x, "locale") != NULL)
		zn_buf_addf(&b, ", locale = %s", lit(d, S(x, "locale")));
	if (S(x, "lc_collate") != NULL)
		zn_buf_addf(&b, ", lc_collate = %s", lit(d,
		    S(x, "lc_collate")));
	if (S(x, "lc_ctype") != NULL)
		zn_buf_addf(&b, ", lc_ctype = %s", lit(d, S(x, "lc_ctype")));
	if (json_is_false(json_object_get(x, "deterministic")))
		zn_buf_adds(&b, ", deterministic = false");
	zn_buf_addch(&b, ')');
	addstr(out, keep(d, zn_buf_detach(&b)));
	if (S(x, "comment") != NULL)
		addstr(out, comment_sql(d, fmt(d, "COLLATION %s", q),
		    S(x, "comment")));
}

/*
 * A collation is made before what uses it (phases: columns, domains and
 * indexes come later) and dropped after; one that parked data still
 * uses is parked with it.  It cannot be altered: a change is refused.
 */
static void
collationdiff(struct d *d, const json_t *a, const json_t *b)
{
	const json_t *x = b != NULL ? b : a;
	const char *sc = S(x, "schema"), *nm = S(x, "name");
	const char *q = qn(d, sc, nm), *tgt = target(d, sc, NULL, nm);
	static const char *const def[] = { "provider", "locale",
	    "lc_collate", "lc_ctype", "deterministic" };
	struct zn_op *op;
	size_t k;

	if (a == NULL) {
		op = newop(d, ZN_OP_CREATE_COLLATION, PH_ENUM, tgt);
		args(op, sc, NULL, nm);
		collation_create(d, op->sql, q, b);
		rev(op, fmt(d, "DROP COLLATION %s", q));
		provide(op, fmt(d, "collation:%s", q));
		need(op, fmt(d, "schema:%s", sc));
		need(op, fmt(d, "gone:collation:%s", q));
		return;
	}
	if (b == NULL && parkeduses(d, q)) {
		parkop(d, ZN_OP_SOFT_DROP_COLLATION, "COLLATION", q, sc, nm,
		    tgt, NULL);
		return;
	}
	if (b == NULL) {
		op = newop(d, ZN_OP_DROP_COLLATION, PH_DROP_ENUM, tgt);
		args(op, sc, NULL, nm);
		sql(op, fmt(d, "DROP COLLATION %s", q));
		collation_create(d, op->reverse, q, a);
		need(op, fmt(d, "dropuse:collation:%s", q));
		provide(op, fmt(d, "gone:collation:%s", q));
		return;
	}
	for (k = 0; k < sizeof(def) / sizeof(def[0]); k++)
		if (!same(json_object_get(a, def[k]),
		    json_object_get(b, def[k])))
			cannot(tgt, "a collation cannot be altered (create one "
			    "under another name, move the columns, domains and "
			    "indexes that use this one to it, then drop this "
			    "one)");
	commentop(d, fmt(d, "COLLATION %s", q), a, b, tgt, sc, NULL, nm);
}

/* CREATE TEXT SEARCH DICTIONARY, and its comment, into out. */
static void
tsdict_create(struct d *d, json_t *out, const char *q, const json_t *x)
{
	addstr(out, fmt(d, "CREATE TEXT SEARCH DICTIONARY %s (TEMPLATE = "
	    "%s%s%s)", q, S(x, "template"), S(x, "options") != NULL ?
	    ", " : "", S(x, "options") != NULL ? S(x, "options") : ""));
	if (S(x, "comment") != NULL)
		addstr(out, comment_sql(d, fmt(d, "TEXT SEARCH DICTIONARY %s",
		    q), S(x, "comment")));
}

/*
 * The option names of a dictionary's options as the server keeps them
 * ("name = 'value', ..."), each followed by a NUL, in a new string.
 */
static const char *
optnames(struct d *d, const char *o)
{
	struct zn_buf b = ZN_BUF_INIT;
	const char *p = o;
	int inq = 0, start = 1;

	for (; p != NULL && *p != '\0'; p++) {
		if (start) {
			while (*p == ' ')
				p++;
			zn_buf_add(&b, p, strcspn(p, " ="));
			zn_buf_addch(&b, '\0');
			start = 0;
		}
		if (*p == '\'')
			inq = !inq;
		else if (*p == ',' && !inq)
			start = 1;
	}
	zn_buf_addch(&b, '\0');
	return keep(d, zn_buf_detach(&b));
}

/* Is name (NUL-ended) one of the names of list (from optnames)? */
static int
hasopt(const char *list, const char *name)
{
	for (; *list != '\0'; list += strlen(list) + 1)
		if (strcmp(list, name) == 0)
			return 1;
	return 0;
}

/* ALTER TEXT SEARCH DICTIONARY from a's options to b's, into out. */
static void
tsdictalter(struct d *d, json_t *out, const char *q, const json_t *a,
    const json_t *b)
{
	const char *na = optnames(d, S(a, "options"));
	const char *nb = optnames(d, S(b, "options"));
	struct zn_buf o = ZN_BUF_INIT;
	const char *n;

	if (!streq(S(a, "options"), S(b, "options"))) {
		if (S(b, "options") != NULL)
			zn_buf_adds(&o, S(b, "options"));
		/* An option named without a value goes back to its default. */
		for (n = na; *n != '\0'; n += strlen(n) + 1)
			if (!hasopt(nb, n))
				zn_buf_addf(&o, "%s%s", o.len > 0 ? ", " : "", n);
		if (o.len > 0)
			addstr(out, fmt(d, "ALTER TEXT SEARCH DICTIONARY %s (%s)",
			    q, o.buf));
		zn_buf_release(&o);
	}
	if (!streq(S(a, "comment"), S(b, "comment")))
		addstr(out, comment_sql(d, fmt(d, "TEXT SEARCH DICTIONARY %s",
		    q), S(b, "comment")));
}

static void
tsdictdiff(struct d *d, const json_t *a, const json_t *b)
{
	const json_t *x = b != NULL ? b : a;
	const char *sc = S(x, "schema"), *nm = S(x, "name");
	const char *q = qn(d, sc, nm), *tgt = target(d, sc, NULL, nm);
	struct zn_op *op;

	if (a == NULL) {
		op = newop(d, ZN_OP_CREATE_TEXT_SEARCH_DICTIONARY, PH_ENUM,
		    tgt);
		args(op, sc, NULL, nm);
		tsdict_create(d, op->sql, q, b);
		rev(op, fmt(d, "DROP TEXT SEARCH DICTIONARY %s", q));
		provide(op, fmt(d, "tsdict:%s", q));
		need(op, fmt(d, "schema:%s", sc));
		need(op, fmt(d, "gone:tsdict:%s", q));
		need(op, fmt(d, "tstemplate:%s", S(b, "template")));
		return;
	}
	if (b == NULL && parkeduses(d, q)) {
		parkop(d, ZN_OP_SOFT_DROP_TEXT_SEARCH_DICTIONARY,
		    "TEXT SEARCH DICTIONARY", q, sc, nm, tgt, NULL);
		return;
	}
	if (b == NULL) {
		op = newop(d, ZN_OP_DROP_TEXT_SEARCH_DICTIONARY, PH_DROP_ENUM,
		    tgt);
		args(op, sc, NULL, nm);
		sql(op, fmt(d, "DROP TEXT SEARCH DICTIONARY %s", q));
		tsdict_create(d, op->reverse, q, a);
		need(op, fmt(d, "dropuse:tsdict:%s", q));
		provide(op, fmt(d, "gone:tsdict:%s", q));
		provide(op, fmt(d, "dropuse:tstemplate:%s",
		    S(a, "template")));
		return;
	}
	if (!streq(S(a, "template"), S(b, "template")))
		cannot(tgt, "a text search dictionary's template cannot be "
		    "altered (create a dictionary under another name, move "
		    "the configurations to it, then drop this one)");
	op = newop(d, ZN_OP_ALTER_TEXT_SEARCH_DICTIONARY, PH_ENUM, tgt);
	args(op, sc, NULL, nm);
	tsdictalter(d, op->sql, q, a, b);
	tsdictalter(d, op->reverse, q, b, a);
	if (json_array_size(op->sql) == 0)
		d->p->n--;
}

/* The dictionaries of a mapping, as a list for WITH. */
static const char *
dictlist(struct d *d, const json_t *m)
{
	struct zn_buf b = ZN_BUF_INIT;
	const json_t *v;
	size_t i;

	json_array_foreach(json_object_get(m, "dictionaries"), i, v)
		zn_buf_addf(&b, "%s%s", i > 0 ? ", " : "",
		    json_string_value(v));
	return keep(d, zn_buf_detach(&b));
}

static const json_t *
findtoken(const json_t *maps, const char *token)
{
	const json_t *m;
	size_t i;

	json_array_foreach(maps, i, m)
		if (streq(S(m, "token"), token))
			return m;
	return NULL;
}

/* CREATE TEXT SEARCH CONFIGURATION with its mappings, into out. */
static void
tsconfig_create(struct d *d, json_t *out, const char *q, const json_t *x)
{
	const json_t *m;
	size_t i;

	addstr(out, fmt(d, "CREATE TEXT SEARCH CONFIGURATION %s (PARSER = %s)",
	    q, S(x, "parser")));
	json_array_foreach(json_object_get(x, "mappings"), i, m)
		addstr(out, fmt(d, "ALTER TEXT SEARCH CONFIGURATION %s ADD "
		    "MAPPING FOR %s WITH %s", q, qi(d, S(m, "token")),
		    dictlist(d, m)));
	if (S(x, "comment") != NULL)
		addstr(out, comment_sql(d, fmt(d, "TEXT SEARCH CONFIGURATION "
		    "%s", q), S(x, "comment")));
}

/* The mappings and comment from configuration a to b, into out. */
static void
tsconfigalter(struct d *d, json_t *out, const char *q, const json_t *a,
    const json_t *b)
{
	const json_t *ma = json_object_get(a, "mappings");
	const json_t *mb = json_object_get(b, "mappings");
	const json_t *m, *o;
	size_t i;

	json_array_foreach(ma, i, m)
		if (findtoken(mb, S(m, "token")) == NULL)
			addstr(out, fmt(d, "ALTER TEXT SEARCH CONFIGURATION %s "
			    "DROP MAPPING FOR %s", q, qi(d, S(m, "token"))));
	json_array_foreach(mb, i, m) {
		o = findtoken(ma, S(m, "token"));
		if (o == NULL || !same(o, m))
			addstr(out, fmt(d, "ALTER TEXT SEARCH CONFIGURATION %s "
			    "%s MAPPING FOR %s WITH %s", q, o == NULL ? "ADD" :
			    "ALTER", qi(d, S(m, "token")), dictlist(d, m)));
	}
	if (!streq(S(a, "comment"), S(b, "comment")))
		addstr(out, comment_sql(d, fmt(d, "TEXT SEARCH CONFIGURATION "
		    "%s", q), S(b, "comment")));
}

/* The edges of a configuration to the dictionaries it maps to. */
static void
tsconfiguses(struct d *d, struct zn_op *op, const json_t *x, int made)
{
	const json_t *m, *v;
	size_t i, j;

	if (made)
		need(op, fmt(d, "tsparser:%s", S(x, "parser")));
	else
		provide(op, fmt(d, "dropuse:tsparser:%s", S(x, "parser")));
	json_array_foreach(json_object_get(x, "mappings"), i, m)
		json_array_foreach(json_object_get(m, "dictionaries"), j, v) {
			if (made)
				need(op, fmt(d, "tsdict:%s",
				    json_string_value(v)));
			else
				provide(op, fmt(d, "dropuse:tsdict:%s",
				    json_string_value(v)));
		}
}

static void
tsconfigdiff(struct d *d, const json_t *a, const json_t *b)
{
	const json_t *x = b != NULL ? b : a;
	const char *sc = S(x, "schema"), *nm = S(x, "name");
	const char *q = qn(d, sc, nm), *tgt = target(d, sc, NULL, nm);
	struct zn_op *op;

	if (a == NULL) {
		op = newop(d, ZN_OP_CREATE_TEXT_SEARCH_CONFIGURATION, PH_ENUM,
		    tgt);
		args(op, sc, NULL, nm);
		tsconfig_create(d, op->sql, q, b);
		rev(op, fmt(d, "DROP TEXT SEARCH CONFIGURATION %s", q));
		need(op, fmt(d, "schema:%s", sc));
		tsconfiguses(d, op, b, 1);
		return;
	}
	if (b == NULL && parkeduses(d, q)) {
		parkop(d, ZN_OP_SOFT_DROP_TEXT_SEARCH_CONFIGURATION,
		    "TEXT SEARCH CONFIGURATION", q, sc, nm, tgt, NULL);
		return;
	}
	if (b == NULL) {
		op = newop(d, ZN_OP_DROP_TEXT_SEARCH_CONFIGURATION,
		    PH_DROP_ENUM, tgt);
		args(op, sc, NULL, nm);
		sql(op, fmt(d, "DROP TEXT SEARCH CONFIGURATION %s", q));
		tsconfig_create(d, op->reverse, q, a);
		tsconfiguses(d, op, a, 0);
		return;
	}
	if (!streq(S(a, "parser"), S(b, "parser")))
		cannot(tgt, "a text search configuration's parser cannot be "
		    "altered (create a configuration under another name, "
		    "move what uses this one to it, then drop this one)");
	op = newop(d, ZN_OP_ALTER_TEXT_SEARCH_CONFIGURATION, PH_ENUM, tgt);
	args(op, sc, NULL, nm);
	tsconfigalter(d, op->sql, q, a, b);
	tsconfigalter(d, op->reverse, q, b, a);
	tsconfiguses(d, op, b, 1);
	tsconfiguses(d, op, a, 0);
	if (json_array_size(op->sql) == 0)
		d->p->n--;
}

/* ---- domains ---- */

/* The element type a type name names, without its array brackets. */
static const char *
basetype(struct d *d, const char *ty)
{
	size_t n = strlen(ty);

	while (n > 2 && strcmp(ty + n - 2, "[]") == 0)
		n -= 2;
	return fmt(d, "%.*s", (int)n, ty);
}

/* CREATE DOMAIN with all it has, comments included, into out. */
static void
domain_create(struct d *d, json_t *out, const json_t *x)
{
	const char *q = qn(d, S(x, "schema"), S(x, "name"));
	struct zn_buf b = ZN_BUF_INIT;
	const json_t *c;
	size_t i;

	zn_buf_addf(&b, "CREATE DOMAIN %s AS %s", q, S(x, "type"));
	if (S(x, "collation") != NULL)
		zn_buf_addf(&b, " COLLATE %s", S(x, "collation"));
	if (S(x, "default") != NULL)
		zn_buf_addf(&b, " DEFAULT %s", S(x, "default"));
	if (B(x, "not_null"))
		zn_buf_adds(&b, " NOT NULL");
	json_array_foreach(json_object_get(x, "checks"), i, c)
		if (!B(c, "not_valid"))
			zn_buf_addf(&b, " CONSTRAINT %s %s", qi(d, S(c, "name")),
			    S(c, "definition"));
	addstr(out, keep(d, zn_buf_detach(&b)));
	json_array_foreach(json_object_get(x, "checks"), i, c)
		if (B(c, "not_valid"))
			addstr(out, fmt(d, "ALTER DOMAIN %s ADD CONSTRAINT %s %s "
			    "NOT VALID", q, qi(d, S(c, "name")),
			    S(c, "definition")));
	if (S(x, "comment") != NULL)
		addstr(out, comment_sql(d, fmt(d, "DOMAIN %s", q),
		    S(x, "comment")));
	json_array_foreach(json_object_get(x, "checks"), i, c)
		if (S(c, "comment") != NULL)
			addstr(out, comment_sql(d, fmt(d, "CONSTRAINT %s ON "
			    "DOMAIN %s", qi(d, S(c, "name")), q),
			    S(c, "comment")));
}

/* A domain's check c added (NOT VALID when it is so) into out. */
static void
domaincheck(struct d *d, json_t *out, const char *q, const json_t *c)
{
	addstr(out, fmt(d, "ALTER DOMAIN %s ADD CONSTRAINT %s %s%s", q,
	    qi(d, S(c, "name")), S(c, "definition"), B(c, "not_valid") ?
	    " NOT VALID" : ""));
	if (S(c, "comment") != NULL)
		addstr(out, comment_sql(d, fmt(d, "CONSTRAINT %s ON DOMAIN %s",
		    qi(d, S(c, "name")), q), S(c, "comment")));
}

/*
 * Statements into out that take domain a to b (of the same base type):
 * checks that go or change first, then the default, NOT NULL, the
 * checks that come or change, and the comment.
 */
static void
domainalter(struct d *d, json_t *out, const char *q, const json_t *a,
    const json_t *b)
{
	const json_t *c, *ca;
	size_t i;

	json_array_foreach(json_object_get(a, "checks"), i, ca) {
		c = findnamed(json_object_get(b, "checks"), S(ca, "name"));
		if (c == NULL || !same(c, ca))
			addstr(out, fmt(d, "ALTER DOMAIN %s DROP CONSTRAINT %s",
			    q, qi(d, S(ca, "name"))));
	}
	if (!streq(S(a, "default"), S(b, "default")))
		addstr(out, S(b, "default") != NULL ? fmt(d, "ALTER DOMAIN %s "
		    "SET DEFAULT %s", q, S(b, "default")) : fmt(d,
		    "ALTER DOMAIN %s DROP DEFAULT", q));
	if (B(a, "not_null") != B(b, "not_null"))
		addstr(out, fmt(d, "ALTER DOMAIN %s %s NOT NULL", q,
		    B(b, "not_null") ? "SET" : "DROP"));
	json_array_foreach(json_object_get(b, "checks"), i, c) {
		ca = findnamed(json_object_get(a, "checks"), S(c, "name"));
		if (ca == NULL || !same(c, ca))
			domaincheck(d, out, q, c);
	}
	if (!streq(S(a, "comment"), S(b, "comment")))
		addstr(out, comment_sql(d, fmt(d, "DOMAIN %s", q),
		    S(b, "comment")));
}

static void
domaindiff(struct d *d, const json_t *a, const json_t *b)
{
	const json_t *x = b != NULL ? b : a;
	const char *sc = S(x, "schema"), *nm = S(x, "name");
	const char *q = qn(d, sc, nm), *tgt = target(d, sc, NULL, nm);
	struct zn_op *op;
	json_t *fw, *bw;

	if (a == NULL) {
		op = newop(d, ZN_OP_CREATE_DOMAIN, PH_DOMAIN, tgt);
		args(op, sc, NULL, nm);
		domain_create(d, op->sql, b);
		privcreate(d, op->sql, fmt(d, "DOMAIN %s", q), b);
		rev(op, fmt(d, "DROP DOMAIN %s", q));
		typemade(d, op, q, sc);
		if (S(b, "collation") != NULL)
			need(op, fmt(d, "collation:%s", S(b, "collation")));
		/* Over an enum or another domain of the plan. */
		need(op, fmt(d, "type:%s", basetype(d, S(b, "type"))));
		return;
	}
	if (b == NULL && parkeduses(d, q)) {
		parktype(d, q, sc, nm, tgt);
		return;
	}
	if (b == NULL) {
		op = newop(d, ZN_OP_DROP_DOMAIN, PH_DROP_ENUM, tgt);
		args(op, sc, NULL, nm);
		sql(op, fmt(d, "DROP DOMAIN %s", q));
		domain_create(d, op->reverse, a);
		privcreate(d, op->reverse, fmt(d, "DOMAIN %s", q), a);
		typegone(d, op, q);
		if (S(a, "collation") != NULL)
			provide(op, fmt(d, "dropuse:collation:%s",
			    S(a, "collation")));
		/* Before the enum or domain it is built on. */
		provide(op, fmt(d, "dropuse:type:%s", basetype(d,
		    S(a, "type"))));
		return;
	}
	if (!streq(S(a, "type"), S(b, "type")) ||
	    !streq(S(a, "collation"), S(b, "collation")))
		cannot(tgt, "the domain's base type or collation changes (a "
		    "new domain under another name, with the columns moved to "
		    "it, does that)");
	fw = json_array();
	bw = json_array();
	domainalter(d, fw, q, a, b);
	domainalter(d, bw, q, b, a);
	stmtop(d, ZN_OP_ALTER_DOMAIN, PH_DOMAIN, tgt, sc, NULL, nm, fw, bw);
	privop(d, fmt(d, "DOMAIN %s", q), a, b, tgt, sc, NULL, nm);
}

/* ---- what names an operator class ---- */

/*
 * Indexes, exclusion constraints, partition keys and range types name
 * operator classes: each class made provides opclass:NAME USING METHOD,
 * what names it needs that key, and what is dropped while naming one
 * provides dropuse: of it, which the class's drop needs.  A table that
 * is parked keeps its indexes: its keys go into the parked text (how).
 */
enum { OPC_NEED, OPC_DROPUSE, OPC_PARK };

static void addtext(struct d *, const char *);

static void
opcuse(struct d *d, struct zn_op *op, int how, const char *key)
{
	if (how == OPC_NEED)
		need(op, key);
	else if (how == OPC_DROPUSE)
		provide(op, fmt(d, "dropuse:%s", key));
	else
		addtext(d, key);
}

static const char *
opckey(struct d *d, const char *q, const char *method)
{
	return fmt(d, "opclass:%s USING %s", q, method);
}

/*
 * The classes an index's keys name (as qualified, quoted names), but
 * the server's own, which no plan makes or drops.
 */
static void
indexopcs(struct d *d, struct zn_op *op, int how, const json_t *ix)
{
	const json_t *k;
	const char *c;
	size_t i;

	json_array_foreach(json_object_get(ix, "keys"), i, k)
		if ((c = S(k, "opclass")) != NULL &&
		    strncmp(c, "pg_catalog.", 11) != 0)
			opcuse(d, op, how, opckey(d, c, S(ix, "method")));
}

static int
identbyte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '$' || c >= 0x80;
}

/* Whether text holds the qualified name q, whole. */
static int
namesin(const char *text, const char *q)
{
	const char *p;
	size_t n = strlen(q);

	for (p = text; p != NULL && (p = strstr(p, q)) != NULL; p++)
		if ((p == text || (!identbyte((unsigned char)p[-1]) &&
		    p[-1] != '.' && p[-1] != '"')) &&
		    !identbyte((unsigned char)p[n]) && p[n] != '"')
			return 1;
	return 0;
}

/* Records [*lo, *hi) of s are those of kind (records are in kind order). */
static void
kindspan(const struct side *s, const char *kind, size_t *lo, size_t *hi)
{
	int rank = zn_graph_kind_rank(kind);
	size_t l = 0, h = s->g->nrecs, m;

	while (l < h) {
		m = l + (h - l) / 2;
		if (s->g->recs[m].rank < rank)
			l = m + 1;
		else
			h = m;
	}
	*lo = l;
	while (l < s->g->nrecs && s->g->recs[l].rank == rank)
		l++;
	*hi = l;
}

/*
 * The classes of side s that a definition (an exclusion constraint's,
 * a partition key, a range type's) names: the server writes a class
 * only when it is not the default, qualified.
 */
static void
textopcs(struct d *d, struct zn_op *op, int how, const struct side *s,
    const char *text)
{
	const struct zn_grec *r;
	size_t i, hi;

	if (text == NULL)
		return;
	for (kindspan(s, "operator_class", &i, &hi); i < hi; i++) {
		r = &s->g->recs[i];
		if (namesin(text, qn(d, r->schema, r->name)))
			opcuse(d, op, how, opckey(d, qn(d, r->schema,
			    r->name), r->args));
	}
}

/* The classes a table's or materialized view's record t of s names. */
static void
relopcs(struct d *d, struct zn_op *op, int how, const struct side *s,
    const json_t *t)
{
	const json_t *x;
	size_t i;

	json_array_foreach(json_object_get(t, "indexes"), i, x)
		indexopcs(d, op, how, x);
	json_array_foreach(json_object_get(t, "exclusions"), i, x)
		textopcs(d, op, how, s, S(x, "definition"));
	textopcs(d, op, how, s, S(t, "partition_key"));
}

/* ---- made by one statement: ranges, operators, statistics, rules ---- */

/*
 * A kind whose record holds the statement that makes it: made in one
 * phase, dropped in another, changed by ALTER where its alter hook can
 * (def_alter), else made again (dropped first) in one step, or refused
 * with what to do instead (cannot).  Kinds that live in no schema are
 * named by label in targets.
 */
static int aroundview(struct d *, const json_t *);

struct defkind {
	const char *kind;
	const char *word;	/* in DROP and COMMENT ON */
	enum zn_opkind create, drop, replace, alter;
	int made, gone;		/* phases */
	const char *cannot;	/* why a replace is refused (replace unset) */
	const char *label;	/* in targets, for a kind without a schema */
	const char *grant;	/* GRANT ... ON grant name, when it has any */
};

#define NOOP ZN_OP_NKINDS
static const struct defkind defkinds[] = {
	{ "range_type", "TYPE", ZN_OP_CREATE_RANGE_TYPE,
	    ZN_OP_DROP_RANGE_TYPE, NOOP, NOOP, PH_DOMAIN, PH_DROP_ENUM,
	    "a range type cannot be altered (make one under another name "
	    "and move the columns to it)", NULL, "TYPE" },
	{ "operator", "OPERATOR", ZN_OP_CREATE_OPERATOR, ZN_OP_DROP_OPERATOR,
	    ZN_OP_REPLACE_OPERATOR, NOOP, PH_FUNCTION, PH_DROP_ROUTINE, NULL,
	    NULL, NULL },
	{ "statistics", "STATISTICS", ZN_OP_CREATE_STATISTICS,
	    ZN_OP_DROP_STATISTICS, ZN_OP_REPLACE_STATISTICS, NOOP, PH_INDEX,
	    PH_DROP_INDEX, NULL, NULL, NULL },
	{ "rule", "RULE", ZN_OP_CREATE_RULE, ZN_OP_DROP_RULE,
	    ZN_OP_REPLACE_RULE, NOOP, PH_TRIGGER, PH_DROP_TRIGGER, NULL, NULL,
	    NULL },
	{ "text_search_parser", "TEXT SEARCH PARSER",
	    ZN_OP_CREATE_TEXT_SEARCH_PARSER, ZN_OP_DROP_TEXT_SEARCH_PARSER,
	    NOOP, NOOP, PH_ENUM, PH_DROP_ENUM,
	    "a text search parser's functions cannot be altered (make one "
	    "under another name and move the configurations to it)", NULL,
	    NULL },
	{ "text_search_template", "TEXT SEARCH TEMPLATE",
	    ZN_OP_CREATE_TEXT_SEARCH_TEMPLATE,
	    ZN_OP_DROP_TEXT_SEARCH_TEMPLATE, NOOP, NOOP, PH_ENUM, PH_DROP_ENUM,
	    "a text search template's functions cannot be altered (make one "
	    "under another name and move the dictionaries to it)", NULL,
	    NULL },
	{ "cast", "CAST", ZN_OP_CREATE_CAST, ZN_OP_DROP_CAST,
	    ZN_OP_REPLACE_CAST, NOOP, PH_FUNCTION, PH_DROP_ROUTINE, NULL,
	    "cast", NULL },
	{ "foreign_data_wrapper", "FOREIGN DATA WRAPPER",
	    ZN_OP_CREATE_FOREIGN_DATA_WRAPPER, ZN_OP_DROP_FOREIGN_DATA_WRAPPER,
	    NOOP, ZN_OP_ALTER_FOREIGN_DATA_WRAPPER, PH_FUNCTION,
	    PH_DROP_ROUTINE, NULL, "foreign-data wrapper",
	    "FOREIGN DATA WRAPPER" },
	{ "foreign_server", "SERVER", ZN_OP_CREATE_SERVER, ZN_OP_DROP_SERVER,
	    NOOP, ZN_OP_ALTER_SERVER, PH_FUNCTION, PH_DROP_ROUTINE,
	    "a server's wrapper or type cannot be altered (make a server "
	    "under another name and move the user mappings and foreign "
	    "tables to it)", "server", "FOREIGN SERVER" },
	{ "user_mapping", "USER MAPPING", ZN_OP_CREATE_USER_MAPPING,
	    ZN_OP_DROP_USER_MAPPING, NOOP, ZN_OP_ALTER_USER_MAPPING,
	    PH_FUNCTION, PH_DROP_ROUTINE, NULL, "user mapping", NULL },
	{ "publication", "PUBLICATION", ZN_OP_CREATE_PUBLICATION,
	    ZN_OP_DROP_PUBLICATION, ZN_OP_REPLACE_PUBLICATION,
	    ZN_OP_ALTER_PUBLICATION, PH_PRIVILEGES, PH_DROP_TRIGGER, NULL,
	    "publication", NULL },
	{ "foreign_table", "FOREIGN TABLE", ZN_OP_CREATE_FOREIGN_TABLE,
	    ZN_OP_DROP_FOREIGN_TABLE, ZN_OP_REPLACE_FOREIGN_TABLE,
	    ZN_OP_ALTER_FOREIGN_TABLE, PH_TABLE, PH_DROP_TABLE, NULL, NULL,
	    "TABLE" },
	{ "event_trigger", "EVENT TRIGGER", ZN_OP_CREATE_EVENT_TRIGGER,
	    ZN_OP_DROP_EVENT_TRIGGER, ZN_OP_REPLACE_EVENT_TRIGGER,
	    ZN_OP_ALTER_EVENT_TRIGGER, PH_TRIGGER, PH_DROP_TRIGGER, NULL,
	    "event trigger", NULL },
};

static const struct defkind *
defkind(const char *kind)
{
	size_t k;

	for (k = 0; k < sizeof(defkinds) / sizeof(defkinds[0]); k++)
		if (streq(defkinds[k].kind, kind))
			return &defkinds[k];
	return NULL;
}

/* What DROP, ALTER and COMMENT ON name the object by. */
static const char *
defname(struct d *d, const json_t *x)
{
	const char *k = S(x, "kind");

	if (streq(k, "operator"))
		return fmt(d, "%s.%s (%s)", qi(d, S(x, "schema")),
		    S(x, "name"), S(x, "arguments"));
	if (streq(k, "rule"))
		return fmt(d, "%s ON %s", qi(d, S(x, "name")),
		    qn(d, S(x, "schema"), S(x, "table")));
	if (streq(k, "cast"))
		return S(x, "name");
	if (streq(k, "user_mapping"))
		return fmt(d, "FOR %s SERVER %s", streq(S(x, "role"),
		    "PUBLIC") ? "PUBLIC" : qi(d, S(x, "role")),
		    qi(d, S(x, "server")));
	if (S(x, "schema") == NULL)
		return qi(d, S(x, "name"));
	return qn(d, S(x, "schema"), S(x, "name"));
}

/* The name and value of a generic option as the catalogs hold it. */
static const char *
optname(struct d *d, const char *o)
{
	const char *eq = strchr(o, '=');

	return qi(d, eq != NULL ? fmt(d, "%.*s", (int)(eq - o), o) : o);
}

static const char *
optvalue(struct d *d, const char *o)
{
	const char *eq = strchr(o, '=');

	return lit(d, eq != NULL ? eq + 1 : "");
}

/* The entry of options ("name=value") named as o is, or NULL. */
static const char *
optfind(const json_t *opts, const char *o)
{
	const char *eq = strchr(o, '='), *v;
	size_t n = eq != NULL ? (size_t)(eq - o) : strlen(o), i;
	const json_t *e;

	json_array_foreach(opts, i, e) {
		v = json_string_value(e);
		if (v != NULL && strncmp(v, o, n) == 0 && (v[n] == '=' ||
		    v[n] == '\0'))
			return v;
	}
	return NULL;
}

/*
 * The OPTIONS clause that takes generic options a to b (ADD, SET, DROP),
 * or with a NULL the one that makes b; "" when nothing changes.
 */
static const char *
optclause(struct d *d, const json_t *a, const json_t *b)
{
	struct zn_buf o = ZN_BUF_INIT;
	const json_t *e;
	const char *v, *w;
	size_t i;

	json_array_foreach(b, i, e) {
		v = json_string_value(e);
		w = optfind(a, v);
		if (w != NULL && streq(w, v))
			continue;
		zn_buf_addf(&o, "%s%s%s %s", o.len > 0 ? ", " : "",
		    a == NULL ? "" : w == NULL ? "ADD " : "SET ",
		    optname(d, v), optvalue(d, v));
	}
	json_array_foreach(a, i, e)
		if (optfind(b, json_string_value(e)) == NULL)
			zn_buf_addf(&o, "%sDROP %s", o.len > 0 ? ", " : "",
			    optname(d, json_string_value(e)));
	if (o.len == 0) {
		zn_buf_release(&o);
		return "";
	}
	v = fmt(d, " OPTIONS (%s)", o.buf);
	zn_buf_release(&o);
	return v;
}

static const char *
enabling(const char *en)
{
	return streq(en, "disabled") ? "DISABLE" : streq(en, "replica") ?
	    "ENABLE REPLICA" : streq(en, "always") ? "ENABLE ALWAYS" :
	    "ENABLE";
}

/*
 * COMMENT ON COLUMN statements into out that take the column comments
 * of relation x ([{name, comment}]) from a to b.
 */
static void
colcomments(struct d *d, json_t *out, const json_t *x, const json_t *a,
    const json_t *b)
{
	const char *q;
	const json_t *e, *f;
	size_t i, j;

	if (json_array_size(a) + json_array_size(b) == 0)
		return;
	q = qn(d, S(x, "schema"), S(x, "name"));
	json_array_foreach(b, i, e) {
		const char *was = NULL;

		json_array_foreach(a, j, f)
			if (streq(S(f, "name"), S(e, "name")))
				was = S(f, "comment");
		if (!streq(was, S(e, "comment")))
			addstr(out, comment_sql(d, fmt(d, "COLUMN %s.%s", q,
			    qi(d, S(e, "name"))), S(e, "comment")));
	}
	json_array_foreach(a, i, e) {
		int kept = 0;

		json_array_foreach(b, j, f)
			if (streq(S(f, "name"), S(e, "name")))
				kept = 1;
		if (!kept)
			addstr(out, comment_sql(d, fmt(d, "COLUMN %s.%s", q,
			    qi(d, S(e, "name"))), NULL));
	}
}

/* The statements that make x, into out. */
static void
def_create(struct d *d, json_t *out, const json_t *x,
    const struct defkind *k)
{
	const char *en = S(x, "enabled");

	addstr(out, fmt(d, "%s%s", S(x, "definition"), optclause(d, NULL,
	    json_object_get(x, "options"))));
	if (S(x, "attach") != NULL)
		addstr(out, S(x, "attach"));
	colcomments(d, out, x, NULL, json_object_get(x, "column_comments"));
	if (S(x, "statistics") != NULL)
		addstr(out, fmt(d, "ALTER STATISTICS %s SET STATISTICS %s",
		    defname(d, x), S(x, "statistics")));
	if (en != NULL && !streq(en, "origin") && streq(k->kind, "rule"))
		addstr(out, fmt(d, "ALTER TABLE %s %s RULE %s",
		    qn(d, S(x, "schema"), S(x, "table")), enabling(en),
		    qi(d, S(x, "name"))));
	else if (en != NULL && !streq(en, "origin"))
		addstr(out, fmt(d, "ALTER %s %s %s", k->word, defname(d, x),
		    enabling(en)));
	if (S(x, "comment") != NULL)
		addstr(out, comment_sql(d, fmt(d, "%s %s", k->word,
		    defname(d, x)), S(x, "comment")));
	if (k->grant != NULL)
		privcreate(d, out, fmt(d, "%s %s", k->grant, defname(d, x)), x);
}

/* A list of quoted names joined for ALTER PUBLICATION ... DROP. */
static void
pubobjects(struct zn_buf *o, const json_t *x)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(x, "tables"), i, e)
		zn_buf_addf(o, "%sTABLE %s", o->len > 0 ? ", " : "",
		    json_string_value(e));
	json_array_foreach(json_object_get(x, "schemas"), i, e)
		zn_buf_addf(o, "%sTABLES IN SCHEMA %s", o->len > 0 ? ", " : "",
		    json_string_value(e));
}

/*
 * The ALTER statements that take x from a to b, into out; 0 when what
 * changed cannot be altered (the object is made again, or refused).
 */
static int
def_alter(struct d *d, json_t *out, const json_t *a, const json_t *b,
    const struct defkind *k)
{
	const char *kind = k->kind, *nm = defname(d, b);
	const char *opts = optclause(d, json_object_get(a, "options"),
	    json_object_get(b, "options"));

	if (streq(kind, "foreign_data_wrapper")) {
		const char *h = S(b, "handler"), *v = S(b, "validator");

		if (!streq(S(a, "handler"), h) || !streq(S(a, "validator"), v))
			addstr(out, fmt(d, "ALTER FOREIGN DATA WRAPPER %s "
			    "%s%s %s%s", nm, h != NULL ? "HANDLER " :
			    "NO HANDLER", h != NULL ? h : "", v != NULL ?
			    "VALIDATOR " : "NO VALIDATOR", v != NULL ? v :
			    ""));
	} else if (streq(kind, "foreign_server")) {
		if (!streq(S(a, "wrapper"), S(b, "wrapper")) ||
		    !streq(S(a, "type"), S(b, "type")))
			return 0;
		if (!streq(S(a, "version"), S(b, "version")))
			addstr(out, fmt(d, "ALTER SERVER %s VERSION %s", nm,
			    lit(d, S(b, "version"))));
	} else if (streq(kind, "publication")) {
		struct zn_buf o = ZN_BUF_INIT;

		if (B(a, "all_tables") != B(b, "all_tables"))
			return 0;
		if (!streq(S(a, "parameters"), S(b, "parameters")))
			addstr(out, fmt(d, "ALTER PUBLICATION %s SET (%s)", nm,
			    S(b, "parameters")));
		if (S(b, "objects") != NULL && !streq(S(a, "objects"),
		    S(b, "objects")))
			addstr(out, fmt(d, "ALTER PUBLICATION %s SET %s", nm,
			    S(b, "objects")));
		else if (S(b, "objects") == NULL && S(a, "objects") != NULL) {
			pubobjects(&o, a);
			addstr(out, fmt(d, "ALTER PUBLICATION %s DROP %s", nm,
			    o.buf));
		}
		zn_buf_release(&o);
		return 1;
	} else if (streq(kind, "event_trigger")) {
		if (!streq(S(a, "definition"), S(b, "definition")))
			return 0;
		if (!streq(S(a, "enabled"), S(b, "enabled")))
			addstr(out, fmt(d, "ALTER EVENT TRIGGER %s %s", nm,
			    enabling(S(b, "enabled"))));
		return 1;
	} else if (streq(kind, "foreign_table")) {
		if (!streq(S(a, "definition"), S(b, "definition")) ||
		    !streq(S(a, "attach"), S(b, "attach")))
			return 0;
		colcomments(d, out, b, json_object_get(a, "column_comments"),
		    json_object_get(b, "column_comments"));
	} else if (streq(kind, "user_mapping")) {
		/* The role and server are its name: only options change. */
	} else
		return streq(S(a, "definition"), S(b, "definition")) &&
		    streq(S(a, "statistics"), S(b, "statistics")) &&
		    streq(S(a, "enabled"), S(b, "enabled"));
	if (*opts != '\0')
		addstr(out, fmt(d, "ALTER %s %s%s", k->word, nm, opts));
	return 1;
}

/* The key of an operator (or of a use of one) made or dropped. */
static const char *
oprkey(struct d *d, const json_t *x)
{
	return fmt(d, "opr:%s.%s(%s)", qi(d, S(x, "schema")), S(x, "name"),
	    S(x, "arguments"));
}

/*
 * The from side's operator class or family that has operator x as a
 * member, for people, or NULL.
 */
static const char *
opruser(struct d *d, const json_t *x)
{
	static const char *const kinds[] = { "operator_class",
	    "operator_family" };
	const json_t *y, *u;
	size_t k, i, hi, j;

	for (k = 0; k < 2; k++)
		for (kindspan(&d->a, kinds[k], &i, &hi); i < hi; i++) {
			y = rec(&d->a, i);
			json_array_foreach(json_object_get(y, "depends_on"), j,
			    u)
				if (streq(S(u, "kind"), "operator") &&
				    streq(S(u, "schema"), S(x, "schema")) &&
				    streq(S(u, "name"), S(x, "name")) &&
				    streq(S(u, "arguments"),
				    S(x, "arguments")))
					return fmt(d, "operator %s %s.%s "
					    "USING %s", k == 0 ? "class" :
					    "family", S(y, "schema"),
					    S(y, "name"), S(y, "method"));
		}
	return NULL;
}

/* The edges of x made (made 1), dropped (0), or made again (2). */
static void
defedges(struct d *d, struct zn_op *op, const json_t *x, int made)
{
	const char *k = S(x, "kind"), *dep = NULL, *key = NULL;
	const json_t *e;
	size_t i;

	if (streq(k, "range_type")) {
		if (made) {
			typemade(d, op, qn(d, S(x, "schema"), S(x, "name")),
			    S(x, "schema"));
			need(op, fmt(d, "type:%s", basetype(d,
			    S(x, "subtype"))));
		} else {
			typegone(d, op, qn(d, S(x, "schema"), S(x, "name")));
			provide(op, fmt(d, "dropuse:type:%s", basetype(d,
			    S(x, "subtype"))));
		}
		/* Its subtype_opclass. */
		textopcs(d, op, made ? OPC_NEED : OPC_DROPUSE,
		    made ? &d->b : &d->a, S(x, "definition"));
		return;
	}
	/* What it uses: made before it, dropped after it. */
	json_array_foreach(json_object_get(x, "functions"), i, e) {
		dep = fmt(d, "func:%s", json_string_value(e));
		if (made)
			need(op, dep);
		else
			provide(op, fmt(d, "dropuse:%s", dep));
	}
	json_array_foreach(json_object_get(x, "tables"), i, e) {
		dep = fmt(d, "rel:%s", json_string_value(e));
		if (made)
			need(op, dep);
		else
			provide(op, fmt(d, "dropuse:%s", dep));
	}
	json_array_foreach(json_object_get(x, "schemas"), i, e)
		if (made)
			need(op, fmt(d, "schema:%s", json_string_value(e)));
	dep = NULL;
	if (streq(k, "operator")) {
		dep = fmt(d, "func:%s", S(x, "function"));
		/* What operator classes and families name it by. */
		if (made)
			provide(op, oprkey(d, x));
		else
			need(op, fmt(d, "dropuse:%s", oprkey(d, x)));
	} else if (streq(k, "statistics"))
		dep = fmt(d, "rel:%s", S(x, "on"));
	else if (streq(k, "rule"))
		dep = fmt(d, "rel:%s", qn(d, S(x, "schema"), S(x, "table")));
	else if (streq(k, "cast")) {
		dep = fmt(d, "type:%s", basetype(d, S(x, "source")));
		if (made)
			need(op, fmt(d, "type:%s", basetype(d,
			    S(x, "target"))));
		else
			provide(op, fmt(d, "dropuse:type:%s", basetype(d,
			    S(x, "target"))));
	} else if (streq(k, "foreign_server")) {
		dep = fmt(d, "fdw:%s", qi(d, S(x, "wrapper")));
		key = fmt(d, "server:%s", qi(d, S(x, "name")));
	} else if (streq(k, "user_mapping"))
		dep = fmt(d, "server:%s", qi(d, S(x, "server")));
	else if (streq(k, "foreign_data_wrapper"))
		key = fmt(d, "fdw:%s", qi(d, S(x, "name")));
	else if (streq(k, "foreign_table")) {
		key = fmt(d, "rel:%s", qn(d, S(x, "schema"), S(x, "name")));
		dep = fmt(d, "server:%s", qi(d, S(x, "server")));
		json_array_foreach(json_object_get(x, "types"), i, e)
			if (made)
				need(op, fmt(d, "type:%s", basetype(d,
				    json_string_value(e))));
			else
				provide(op, fmt(d, "dropuse:type:%s",
				    basetype(d, json_string_value(e))));
		/* After the views that read it, as a table. */
		if (made != 1)
			need(op, fmt(d, "dropview-dep:%s", qn(d,
			    S(x, "schema"), S(x, "name"))));
	}
	else if (streq(k, "text_search_parser"))
		key = fmt(d, "tsparser:%s", qn(d, S(x, "schema"),
		    S(x, "name")));
	else if (streq(k, "text_search_template"))
		key = fmt(d, "tstemplate:%s", qn(d, S(x, "schema"),
		    S(x, "name")));
	/* What uses it: made after it, dropped before it. */
	if (key != NULL && made)
		provide(op, key);
	if (key != NULL && made != 1)
		need(op, fmt(d, "dropuse:%s", key));
	if (made && S(x, "schema") != NULL)
		need(op, fmt(d, "schema:%s", S(x, "schema")));
	if (dep == NULL)
		return;
	if (made)
		need(op, dep);
	else
		provide(op, fmt(d, "dropuse:%s", dep));
}

static void
defdiff(struct d *d, const json_t *a, const json_t *b)
{
	const json_t *x = b != NULL ? b : a;
	const struct defkind *k = defkind(S(x, "kind"));
	const char *tgt = k->label != NULL ? fmt(d, "%s %s", k->label,
	    S(x, "name")) : S(x, "table") != NULL ? target(d, S(x, "schema"),
	    S(x, "table"), S(x, "name")) : S(x, "arguments") != NULL ?
	    fmt(d, "%s.%s(%s)", S(x, "schema"), S(x, "name"),
	    S(x, "arguments")) : target(d, S(x, "schema"), NULL, S(x, "name"));
	const char *user;
	struct zn_op *op;
	json_t *fw, *bw;
	int ok;

	/* A rule on a view made again: dropped before it, made after. */
	if (a != NULL && b != NULL && streq(k->kind, "rule") &&
	    aroundview(d, a)) {
		defdiff(d, a, NULL);
		defdiff(d, NULL, b);
		return;
	}
	if (a == NULL) {
		op = newop(d, k->create, k->made, tgt);
		args(op, S(x, "schema"), S(x, "table"), S(x, "name"));
		def_create(d, op->sql, b, k);
		rev(op, fmt(d, "DROP %s %s", k->word, defname(d, b)));
		defedges(d, op, b, 1);
		return;
	}
	if (b == NULL && streq(k->kind, "range_type") && parkeduses(d,
	    qn(d, S(a, "schema"), S(a, "name")))) {
		parktype(d, qn(d, S(a, "schema"), S(a, "name")),
		    S(a, "schema"), S(a, "name"), tgt);
		return;
	}
	if (b == NULL) {
		op = newop(d, k->drop, k->gone, tgt);
		args(op, S(x, "schema"), S(x, "table"), S(x, "name"));
		sql(op, fmt(d, "DROP %s %s", k->word, defname(d, a)));
		def_create(d, op->reverse, a, k);
		defedges(d, op, a, 0);
		return;
	}
	fw = json_array();
	bw = json_array();
	ok = def_alter(d, fw, a, b, k) && def_alter(d, bw, b, a, k);
	if (!ok)
		json_array_clear(fw);
	/* What it stops using goes later, by its phase. */
	if ((op = stmtop(d, k->alter, k->made, tgt, S(x, "schema"),
	    S(x, "table"), S(x, "name"), fw, bw)) != NULL)
		defedges(d, op, b, 1);
	if (ok) {
		commentop(d, fmt(d, "%s %s", k->word, defname(d, b)), a, b,
		    tgt, S(x, "schema"), S(x, "table"), S(x, "name"));
		if (k->grant != NULL)
			privop(d, fmt(d, "%s %s", k->grant, defname(d, b)), a,
			    b, tgt, S(x, "schema"), S(x, "table"),
			    S(x, "name"));
		return;
	}
	if (streq(k->kind, "operator") && (user = opruser(d, a)) != NULL)
		cannot(tgt, fmt(d, "the operator changes while %s has it as "
		    "a member: PostgreSQL cannot make it again under a "
		    "class, and would drop it from a family silently (give "
		    "the class or family another operator first)", user));
	if (k->replace == NOOP)
		cannot(tgt, k->cannot);
	op = newop(d, k->replace, k->made, tgt);
	args(op, S(x, "schema"), S(x, "table"), S(x, "name"));
	sql(op, fmt(d, "DROP %s %s", k->word, defname(d, a)));
	def_create(d, op->sql, b, k);
	rev(op, fmt(d, "DROP %s %s", k->word, defname(d, b)));
	def_create(d, op->reverse, a, k);
	defedges(d, op, b, 2);
}
#undef NOOP

/* ---- operator families and classes ---- */

static void routineuses(struct d *, struct zn_op *, const json_t *, int);

/* A family or class as DROP, ALTER and COMMENT ON name it. */
static const char *
opcname(struct d *d, const json_t *x)
{
	return fmt(d, "%s USING %s", qn(d, S(x, "schema"), S(x, "name")),
	    qi(d, S(x, "method")));
}

static const char *
opctarget(struct d *d, const json_t *x)
{
	return fmt(d, "%s.%s USING %s", S(x, "schema"), S(x, "name"),
	    S(x, "method"));
}

static struct zn_op *
opcop(struct d *d, enum zn_opkind kind, int phase, const json_t *x)
{
	struct zn_op *op = newop(d, kind, phase, opctarget(d, x));

	args(op, S(x, "schema"), NULL, S(x, "name"));
	arg(op, "method", json_string(S(x, "method")));
	return op;
}

/*
 * ALTER OPERATOR FAMILY q ADD (add) or DROP the members of list: the
 * definitions of those whose definition differs from that of the member
 * of the same name in other (or all when other is NULL), or their names.
 */
static void
opfmembers(struct d *d, json_t *out, const char *q, const json_t *list,
    const json_t *other, int add)
{
	struct zn_buf b = ZN_BUF_INIT;
	const json_t *m, *o;
	size_t i, n = 0;

	zn_buf_addf(&b, "ALTER OPERATOR FAMILY %s %s ", q, add ? "ADD" :
	    "DROP");
	json_array_foreach(list, i, m) {
		o = findnamed(other, S(m, "name"));
		if (o != NULL && streq(S(o, "definition"),
		    S(m, "definition")))
			continue;
		zn_buf_addf(&b, "%s%s", n++ > 0 ? ", " : "",
		    S(m, add ? "definition" : "name"));
	}
	if (n > 0)
		addstr(out, keep(d, zn_buf_detach(&b)));
	zn_buf_release(&b);
}

/* CREATE OPERATOR FAMILY with its loose members and comment, into out. */
static void
opfamily_create(struct d *d, json_t *out, const json_t *x)
{
	const char *q = opcname(d, x);

	addstr(out, fmt(d, "CREATE OPERATOR FAMILY %s", q));
	opfmembers(d, out, q, json_object_get(x, "members"), NULL, 1);
	if (S(x, "comment") != NULL)
		addstr(out, comment_sql(d, fmt(d, "OPERATOR FAMILY %s", q),
		    S(x, "comment")));
}

static const char *
opfkey(struct d *d, const json_t *x)
{
	return fmt(d, "opfamily:%s USING %s", qn(d, S(x, "schema"),
	    S(x, "name")), S(x, "method"));
}

/*
 * A family is made before its classes and dropped after them; its loose
 * members are added and dropped in place (the same number and types
 * with another operator or function: dropped, then added).
 */
static void
opfamilydiff(struct d *d, const json_t *a, const json_t *b)
{
	const json_t *x = b != NULL ? b : a;
	const char *q = opcname(d, x);
	struct zn_op *op;

	if (a == NULL) {
		op = opcop(d, ZN_OP_CREATE_OPERATOR_FAMILY, PH_OPCLASS, b);
		opfamily_create(d, op->sql, b);
		rev(op, fmt(d, "DROP OPERATOR FAMILY %s", q));
		need(op, fmt(d, "schema:%s", S(b, "schema")));
		provide(op, opfkey(d, b));
		routineuses(d, op, b, 0);
		return;
	}
	if (b == NULL) {
		op = opcop(d, ZN_OP_DROP_OPERATOR_FAMILY, PH_DROP_OPCLASS, a);
		sql(op, fmt(d, "DROP OPERATOR FAMILY %s", q));
		opfamily_create(d, op->reverse, a);
		need(op, fmt(d, "dropuse:%s", opfkey(d, a)));
		routineuses(d, op, a, 1);
		return;
	}
	if (!same(json_object_get(a, "members"), json_object_get(b,
	    "members"))) {
		const json_t *ma = json_object_get(a, "members");
		const json_t *mb = json_object_get(b, "members");

		op = opcop(d, ZN_OP_ALTER_OPERATOR_FAMILY, PH_OPCLASS, b);
		opfmembers(d, op->sql, q, ma, mb, 0);
		opfmembers(d, op->sql, q, mb, ma, 1);
		opfmembers(d, op->reverse, q, mb, ma, 0);
		opfmembers(d, op->reverse, q, ma, mb, 1);
		routineuses(d, op, b, 0);
		routineuses(d, op, a, 1);
	}
	commentop(d, fmt(d, "OPERATOR FAMILY %s", q), a, b, opctarget(d, b),
	    S(b, "schema"), NULL, S(b, "name"));
}

/* CREATE OPERATOR CLASS and its comment, into out. */
static void
opclass_create(struct d *d, json_t *out, const json_t *x)
{
	addstr(out, S(x, "definition"));
	if (S(x, "comment") != NULL)
		addstr(out, comment_sql(d, fmt(d, "OPERATOR CLASS %s",
		    opcname(d, x)), S(x, "comment")));
}

/*
 * What in the from side names class x, for people (NULL when nothing
 * does): an index, an exclusion constraint, a partition key, a range
 * type.
 */
static const char *
opcuser(struct d *d, const json_t *x)
{
	const char *q = qn(d, S(x, "schema"), S(x, "name"));
	const json_t *t, *ix, *k;
	size_t i, j, m, lo, hi;

	for (i = 0; i < d->a.g->nrecs; i++) {
		if (!iskind(&d->a, i, "table") &&
		    !iskind(&d->a, i, "materialized_view"))
			continue;
		t = rec(&d->a, i);
		json_array_foreach(json_object_get(t, "indexes"), j, ix)
			json_array_foreach(json_object_get(ix, "keys"), m, k)
				if (streq(S(k, "opclass"), q) &&
				    streq(S(ix, "method"), S(x, "method")))
					return fmt(d, "index %s", qn(d,
					    S(t, "schema"), S(ix, "name")));
		json_array_foreach(json_object_get(t, "exclusions"), j, ix)
			if (namesin(S(ix, "definition"), q))
				return fmt(d, "constraint %s on %s",
				    qi(d, S(ix, "name")), qn(d,
				    S(t, "schema"), S(t, "name")));
		if (S(t, "partition_key") != NULL &&
		    namesin(S(t, "partition_key"), q))
			return fmt(d, "the partition key of %s",
			    qn(d, S(t, "schema"), S(t, "name")));
	}
	for (kindspan(&d->a, "range_type", &lo, &hi); lo < hi; lo++)
		if (namesin(S(rec(&d->a, lo), "definition"), q))
			return fmt(d, "range type %s", qn(d,
			    d->a.g->recs[lo].schema, d->a.g->recs[lo].name));
	return NULL;
}

/*
 * A class is made (whole, with its members) after its family and what
 * it uses, before what names it; dropped after those.  PostgreSQL cannot
 * alter its members: a changed class is dropped and made again in one
 * step, which only works while nothing uses it.
 */
static void
opclassdiff(struct d *d, const json_t *a, const json_t *b)
{
	const json_t *x = b != NULL ? b : a;
	const char *q = opcname(d, x), *tgt = opctarget(d, x), *user;
	const char *key = opckey(d, qn(d, S(x, "schema"), S(x, "name")),
	    S(x, "method"));
	struct zn_op *op;

	if (a == NULL) {
		op = opcop(d, ZN_OP_CREATE_OPERATOR_CLASS, PH_OPCLASS, b);
		opclass_create(d, op->sql, b);
		rev(op, fmt(d, "DROP OPERATOR CLASS %s", q));
		need(op, fmt(d, "schema:%s", S(b, "schema")));
		provide(op, key);
		routineuses(d, op, b, 0);
		return;
	}
	if (b == NULL) {
		/* A parked table keeps its indexes, and they the class. */
		if (parkeduses(d, key))
			cannot(tgt, "a table this plan parks (soft drop or "
			    "archive) keeps an index that uses the operator "
			    "class, which PostgreSQL then cannot drop (plan "
			    "with --drop-policy drop, or keep the class until "
			    "the parked table is purged)");
		op = opcop(d, ZN_OP_DROP_OPERATOR_CLASS, PH_DROP_OPCLASS, a);
		sql(op, fmt(d, "DROP OPERATOR CLASS %s", q));
		opclass_create(d, op->reverse, a);
		need(op, fmt(d, "dropuse:%s", key));
		routineuses(d, op, a, 1);
		return;
	}
	if (streq(S(a, "definition"), S(b, "definition"))) {
		commentop(d, fmt(d, "OPERATOR CLASS %s", q), a, b, tgt,
		    S(b, "schema"), NULL, S(b, "name"));
		return;
	}
	if ((user = opcuser(d, a)) != NULL)
		cannot(tgt, fmt(d, "the operator class changes while %s uses "
		    "it, and PostgreSQL can neither alter a class's members "
		    "nor drop a class in use (make the new class under "
		    "another name, move what uses this one to it, then drop "
		    "this one)", user));
	op = opcop(d, ZN_OP_REPLACE_OPERATOR_CLASS, PH_OPCLASS, b);
	sql(op, fmt(d, "DROP OPERATOR CLASS %s", q));
	opclass_create(d, op->sql, b);
	rev(op, fmt(d, "DROP OPERATOR CLASS %s", q));
	opclass_create(d, op->reverse, a);
	provide(op, key);
	routineuses(d, op, b, 0);
	routineuses(d, op, a, 1);
}

/* ---- composite types ---- */

static const char *
attrdef(struct d *d, const json_t *x)
{
	return fmt(d, "%s %s%s%s", qi(d, S(x, "name")), S(x, "type"),
	    S(x, "collation") != NULL ? " COLLATE " : "",
	    S(x, "collation") != NULL ? S(x, "collation") : "");
}

static void
composite_create(struct d *d, json_t *out, const json_t *x)
{
	const char *q = qn(d, S(x, "schema"), S(x, "name"));
	struct zn_buf b = ZN_BUF_INIT;
	const json_t *a;
	size_t i;

	zn_buf_addf(&b, "CREATE TYPE %s AS (", q);
	json_array_foreach(json_object_get(x, "attributes"), i, a)
		zn_buf_addf(&b, "%s%s", i > 0 ? ", " : "", attrdef(d, a));
	zn_buf_adds(&b, ")");
	addstr(out, keep(d, zn_buf_detach(&b)));
	if (S(x, "comment") != NULL)
		addstr(out, comment_sql(d, fmt(d, "TYPE %s", q),
		    S(x, "comment")));
	json_array_foreach(json_object_get(x, "attributes"), i, a)
		if (S(a, "comment") != NULL)
			addstr(out, comment_sql(d, fmt(d, "COLUMN %s.%s", q,
			    qi(d, S(a, "name"))), S(a, "comment")));
}

/* Statements into out that take the attributes of a to those of b. */
static void
attrdiff(struct d *d, json_t *out, const char *q, const json_t *a,
    const json_t *b)
{
	const json_t *la = json_object_get(a, "attributes");
	const json_t *lb = json_object_get(b, "attributes"), *x, *y;
	size_t i;

	json_array_foreach(la, i, x)
		if (findnamed(lb, S(x, "name")) == NULL)
			addstr(out, fmt(d, "ALTER TYPE %s DROP ATTRIBUTE %s", q,
			    qi(d, S(x, "name"))));
	json_array_foreach(lb, i, y) {
		x = findnamed(la, S(y, "name"));
		if (x == NULL)
			addstr(out, fmt(d, "ALTER TYPE %s ADD ATTRIBUTE %s", q,
			    attrdef(d, y)));
		else if (!streq(S(x, "type"), S(y, "type")) ||
		    !streq(S(x, "collation"), S(y, "collation")))
			addstr(out, fmt(d, "ALTER TYPE %s ALTER ATTRIBUTE %s "
			    "TYPE %s%s%s", q, qi(d, S(y, "name")),
			    S(y, "type"), S(y, "collation") != NULL ?
			    " COLLATE " : "", S(y, "collation") != NULL ?
			    S(y, "collation") : ""));
		if (!streq(x != NULL ? S(x, "comment") : NULL,
		    S(y, "comment")))
			addstr(out, comment_sql(d, fmt(d, "COLUMN %s.%s", q,
			    qi(d, S(y, "name"))), S(y, "comment")));
	}
	if (!streq(S(a, "comment"), S(b, "comment")))
		addstr(out, comment_sql(d, fmt(d, "TYPE %s", q),
		    S(b, "comment")));
}

/*
 * Does side A store values of type q: a column of a table or of a
 * materialized view of that type (or an array of it), or of a domain
 * over it, or of a composite type that has it, that is stored?
 */
static int
stored(struct d *d, const char *q, int depth)
{
	const json_t *x, *c;
	size_t i, j;

	if (depth > 16)
		return 1;
	for (i = 0; i < d->a.g->nrecs; i++) {
		int tab = iskind(&d->a, i, "table") ||
		    iskind(&d->a, i, "materialized_view");
		int dom = iskind(&d->a, i, "domain");
		int comp = iskind(&d->a, i, "composite_type");

		if (!tab && !dom && !comp)
			continue;
		x = rec(&d->a, i);
		if (dom) {
			if (streq(basetype(d, S(x, "type")), q) &&
			    stored(d, qn(d, S(x, "schema"), S(x, "name")),
			    depth + 1))
				return 1;
			continue;
		}
		json_array_foreach(json_object_get(x, tab ? "columns" :
		    "attributes"), j, c) {
			if (!streq(basetype(d, S(c, "type")), q))
				continue;
			if (tab || stored(d, qn(d, S(x, "schema"),
			    S(x, "name")), depth + 1))
				return 1;
		}
	}
	return 0;
}

/* Does an attribute that a and b have change its type or collation? */
static int
attrretyped(const json_t *a, const json_t *b)
{
	const json_t *y, *x;
	size_t i;

	json_array_foreach(json_object_get(b, "attributes"), i, y) {
		x = findnamed(json_object_get(a, "attributes"), S(y, "name"));
		if (x != NULL && (!streq(S(x, "type"), S(y, "type")) ||
		    !streq(S(x, "collation"), S(y, "collation"))))
			return 1;
	}
	return 0;
}

/* The names of b's attributes that a has keep a's order. */
static int
sameorder(const json_t *a, const json_t *b)
{
	const json_t *la = json_object_get(a, "attributes");
	const json_t *lb = json_object_get(b, "attributes"), *x;
	size_t i, j = 0;

	json_array_foreach(lb, i, x) {
		if (findnamed(la, S(x, "name")) == NULL)
			continue;
		while (j < json_array_size(la) && !streq(S(json_array_get(la,
		    j), "name"), S(x, "name")))
			j++;
		if (j == json_array_size(la))
			return 0;
	}
	return 1;
}

static void
compositediff(struct d *d, const json_t *a, const json_t *b)
{
	const json_t *x = b != NULL ? b : a, *y;
	const char *sc = S(x, "schema"), *nm = S(x, "name");
	const char *q = qn(d, sc, nm), *tgt = target(d, sc, NULL, nm);
	struct zn_op *op;
	json_t *fw, *bw;
	size_t i;

	if (a == NULL) {
		op = newop(d, ZN_OP_CREATE_TYPE, PH_DOMAIN, tgt);
		args(op, sc, NULL, nm);
		composite_create(d, op->sql, b);
		privcreate(d, op->sql, fmt(d, "TYPE %s", q), b);
		rev(op, fmt(d, "DROP TYPE %s", q));
		typemade(d, op, q, sc);
		json_array_foreach(json_object_get(b, "attributes"), i, y)
			need(op, fmt(d, "type:%s", basetype(d, S(y, "type"))));
		return;
	}
	if (b == NULL && parkeduses(d, q)) {
		parktype(d, q, sc, nm, tgt);
		return;
	}
	if (b == NULL) {
		op = newop(d, ZN_OP_DROP_TYPE, PH_DROP_ENUM, tgt);
		args(op, sc, NULL, nm);
		sql(op, fmt(d, "DROP TYPE %s", q));
		composite_create(d, op->reverse, a);
		privcreate(d, op->reverse, fmt(d, "TYPE %s", q), a);
		typegone(d, op, q);
		json_array_foreach(json_object_get(a, "attributes"), i, y) {
			provide(op, fmt(d, "dropuse:type:%s",
			    basetype(d, S(y, "type"))));
			if (S(y, "collation") != NULL)
				provide(op, fmt(d, "dropuse:collation:%s",
				    S(y, "collation")));
		}
		return;
	}
	if (!sameorder(a, b))
		cannot(tgt, "the order of the type's attributes changes (a new "
		    "type under another name, with what uses it moved, does "
		    "that)");
	if (attrretyped(a, b) && stored(d, q, 0))
		cannot(tgt, "an attribute's type changes while a column stores "
		    "the type, which PostgreSQL refuses (make a new type under "
		    "another name, move the columns to it with USING, then "
		    "drop this one; or drop the attribute and add it again, "
		    "losing its values)");
	fw = json_array();
	bw = json_array();
	attrdiff(d, fw, q, a, b);
	attrdiff(d, bw, q, b, a);
	if ((op = stmtop(d, ZN_OP_ALTER_TYPE, PH_DOMAIN, tgt, sc, NULL, nm,
	    fw, bw)) != NULL)
		json_array_foreach(json_object_get(b, "attributes"), i, y)
			need(op, fmt(d, "type:%s", basetype(d,
			    S(y, "type"))));
	privop(d, fmt(d, "TYPE %s", q), a, b, tgt, sc, NULL, nm);
}

/* ---- default privileges ---- */

/*
 * A row of pg_default_acl: what objects a role makes later (in a schema,
 * or anywhere) have.  An absent record is the built-in default for no
 * schema and nothing for a schema, so one op takes the entries of a to
 * those of b whichever side is missing, and its reverse takes them back;
 * the server deletes a row that comes to be the one or the other.  Made
 * before what the plan creates (those of no schema before the schemas,
 * those of a schema after it), undone after it, and before a schema is
 * dropped: what a plan makes, either way, is made under the to side's
 * (defaclfix).
 */
static void
defacldiff(struct d *d, const json_t *a, const json_t *b)
{
	const json_t *x = b != NULL ? b : a;
	const char *sc = S(x, "schema"), *role = S(x, "role");
	const char *objs = S(x, "name"), *pre;
	struct zn_op *op;
	json_t *fw = json_array(), *bw = json_array();

	pre = fmt(d, "ALTER DEFAULT PRIVILEGES FOR ROLE %s%s%s ",
	    qi(d, role), sc != NULL ? " IN SCHEMA " : "",
	    sc != NULL ? qi(d, sc) : "");
	privdiffpre(d, fw, pre, objs, json_object_get(a, "privileges"),
	    json_object_get(b, "privileges"));
	privdiffpre(d, bw, pre, objs, json_object_get(b, "privileges"),
	    json_object_get(a, "privileges"));
	op = stmtop(d, ZN_OP_SET_DEFAULT_PRIVILEGES, sc != NULL ? PH_SCHEMA :
	    PH_DEFAULT_PRIVILEGES, fmt(d, "FOR ROLE %s%s%s ON %s", role,
	    sc != NULL ? " IN SCHEMA " : "", sc != NULL ? sc : "", objs), sc,
	    NULL, objs, fw, bw);
	if (op != NULL) {
		arg(op, "role", json_string(role));
		if (sc != NULL)
			need(op, fmt(d, "schema:%s", sc));
	}
}

/* ---- schemas and extensions ---- */

static void
schemadiff(struct d *d, const json_t *a, const json_t *b)
{
	const char *nm = S(b != NULL ? b : a, "name");
	struct zn_op *op;

	if (a == NULL) {
		op = newop(d, ZN_OP_CREATE_SCHEMA, PH_SCHEMA, nm);
		arg(op, "name", json_string(nm));
		sql(op, fmt(d, "CREATE SCHEMA %s", qi(d, nm)));
		if (S(b, "comment") != NULL)
			sql(op, comment_sql(d, fmt(d, "SCHEMA %s", qi(d, nm)),
			    S(b, "comment")));
		privcreate(d, op->sql, fmt(d, "SCHEMA %s", qi(d, nm)), b);
		rev(op, fmt(d, "DROP SCHEMA %s", qi(d, nm)));
		provide(op, fmt(d, "schema:%s", nm));
	} else if (b == NULL && json_object_get(d->parkedin, nm) != NULL) {
		parkop(d, ZN_OP_SOFT_DROP_SCHEMA, "SCHEMA", qi(d, nm), NULL,
		    nm, nm, NULL);
		d->p->ops[d->p->n - 1].phase = PH_DROP_SCHEMA;
	} else if (b == NULL) {
		op = newop(d, ZN_OP_DROP_SCHEMA, PH_DROP_SCHEMA, nm);
		arg(op, "name", json_string(nm));
		sql(op, fmt(d, "DROP SCHEMA %s", qi(d, nm)));
		rev(op, fmt(d, "CREATE SCHEMA %s", qi(d, nm)));
		if (S(a, "comment") != NULL)
			rev(op, comment_sql(d, fmt(d, "SCHEMA %s", qi(d, nm)),
			    S(a, "comment")));
		privcreate(d, op->reverse, fmt(d, "SCHEMA %s", qi(d, nm)), a);
	} else {
		privop(d, fmt(d, "SCHEMA %s", qi(d, nm)), a, b, nm, NULL, NULL,
		    nm);
		commentop(d, fmt(d, "SCHEMA %s", qi(d, nm)), a, b, nm, nm,
		    NULL, NULL);
	}
}

static void
extensiondiff(struct d *d, const json_t *a, const json_t *b)
{
	const json_t *x = b != NULL ? b : a;
	const char *nm = S(x, "name"), *q = qi(d, nm);
	const char *create;
	struct zn_op *op;

	create = fmt(d, "CREATE EXTENSION %s WITH SCHEMA %s VERSION %s", q,
	    qi(d, S(x, "schema")), lit(d, S(x, "version")));
	if (a == NULL) {
		op = newop(d, ZN_OP_CREATE_EXTENSION, PH_EXTENSION, nm);
		args(op, S(b, "schema"), NULL, nm);
		arg(op, "version", json_string(S(b, "version")));
		sql(op, create);
		if (!streq(S(b, "comment"), NULL))
			sql(op, comment_sql(d, fmt(d, "EXTENSION %s", q),
			    S(b, "comment")));
		rev(op, fmt(d, "DROP EXTENSION %s", q));
		provide(op, fmt(d, "extension:%s", nm));
		need(op, fmt(d, "schema:%s", S(b, "schema")));
		return;
	}
	if (b == NULL && d->parking && d->parkedtext.len > 0) {
		zn_warn("extension %s is kept: parked tables or columns may "
		    "use it; drop it once they are purged", nm);
		return;
	}
	if (b == NULL) {
		op = newop(d, ZN_OP_DROP_EXTENSION, PH_DROP_EXTENSION, nm);
		args(op, S(a, "schema"), NULL, nm);
		sql(op, fmt(d, "DROP EXTENSION %s", q));
		rev(op, create);
		rev(op, comment_sql(d, fmt(d, "EXTENSION %s", q),
		    S(a, "comment")));
		return;
	}
	if (!streq(S(a, "version"), S(b, "version"))) {
		op = newop(d, ZN_OP_ALTER_EXTENSION, PH_EXTENSION, nm);
		args(op, S(b, "schema"), NULL, nm);
		arg(op, "version", json_string(S(b, "version")));
		arg(op, "from_version", json_string(S(a, "version")));
		sql(op, fmt(d, "ALTER EXTENSION %s UPDATE TO %s", q,
		    lit(d, S(b, "version"))));
		rev(op, fmt(d, "ALTER EXTENSION %s UPDATE TO %s", q,
		    lit(d, S(a, "version"))));
	}
	if (!streq(S(a, "schema"), S(b, "schema"))) {
		op = newop(d, ZN_OP_ALTER_EXTENSION, PH_EXTENSION, nm);
		args(op, S(b, "schema"), NULL, nm);
		sql(op, fmt(d, "ALTER EXTENSION %s SET SCHEMA %s", q,
		    qi(d, S(b, "schema"))));
		rev(op, fmt(d, "ALTER EXTENSION %s SET SCHEMA %s", q,
		    qi(d, S(a, "schema"))));
		need(op, fmt(d, "schema:%s", S(b, "schema")));
	}
	commentop(d, fmt(d, "EXTENSION %s", q), a, b, nm, S(b, "schema"),
	    NULL, nm);
}

/* ---- sequences ---- */

static int
removed_owner(struct d *d, const json_t *own)
{
	if (!json_is_object(own))
		return 0;
	return json_object_get(d->gone, key3(d, S(own, "schema"),
	    S(own, "table"), NULL)) != NULL ||
	    json_object_get(d->gone, key3(d, S(own, "schema"),
	    S(own, "table"), S(own, "column"))) != NULL;
}

static const char *
ownedby(struct d *d, const json_t *own)
{
	if (!json_is_object(own))
		return "NONE";
	return fmt(d, "%s.%s", qn(d, S(own, "schema"), S(own, "table")),
	    qi(d, S(own, "column")));
}

static void
sequencediff(struct d *d, const json_t *a, const json_t *b)
{
	const json_t *x = b != NULL ? b : a;
	const char *sc = S(x, "schema"), *nm = S(x, "name");
	const char *q = qn(d, sc, nm), *tgt = target(d, sc, NULL, nm);
	const json_t *oa = a != NULL ? json_object_get(a, "owned_by") : NULL;
	const json_t *ob = b != NULL ? json_object_get(b, "owned_by") : NULL;
	struct zn_op *op;

	if (a == NULL) {
		op = newop(d, ZN_OP_CREATE_SEQUENCE, PH_SEQUENCE, tgt);
		args(op, sc, NULL, nm);
		sql(op, fmt(d, "CREATE SEQUENCE %s%s", q, seqopts(d, b, 1)));
		if (S(b, "comment") != NULL)
			sql(op, comment_sql(d, fmt(d, "SEQUENCE %s", q),
			    S(b, "comment")));
		privcreate(d, op->sql, fmt(d, "SEQUENCE %s", q), b);
		/* An owned sequence may be gone with its table already. */
		rev(op, fmt(d, "DROP SEQUENCE %s%s", json_is_object(ob) ?
		    "IF EXISTS " : "", q));
		provide(op, fmt(d, "sequence:%s", q));
		need(op, fmt(d, "schema:%s", sc));
		need(op, fmt(d, "goneseq:%s", q));
	} else if (b == NULL) {
		/* An owned sequence goes, or is parked, with its column. */
		if (removed_owner(d, oa)) {
			if (d->o->drop == ZN_DROP_SOFT)
				parkin(d, sc);
			return;
		}
		if (parkeduses(d, fmt(d, "'%s'", q))) {
			parkop(d, ZN_OP_SOFT_DROP_SEQUENCE, "SEQUENCE", q, sc,
			    nm, tgt, NULL);
			return;
		}
		op = newop(d, ZN_OP_DROP_SEQUENCE, PH_DROP_SEQUENCE, tgt);
		args(op, sc, NULL, nm);
		sql(op, fmt(d, "DROP SEQUENCE %s", q));
		/* After the default that uses it, before its name is taken. */
		need(op, fmt(d, "seqfree:%s", q));
		provide(op, fmt(d, "goneseq:%s", q));
		rev(op, fmt(d, "CREATE SEQUENCE %s%s", q, seqopts(d, a, 1)));
		if (S(a, "comment") != NULL)
			rev(op, comment_sql(d, fmt(d, "SEQUENCE %s", q),
			    S(a, "comment")));
		if (json_is_object(oa))
			rev(op, fmt(d, "ALTER SEQUENCE %s OWNED BY %s", q,
			    ownedby(d, oa)));
		privcreate(d, op->reverse, fmt(d, "SEQUENCE %s", q), a);
		return;
	} else {
		if (!streq(S(a, "name"), nm)) {
			op = newop(d, ZN_OP_RENAME_SEQUENCE, PH_RENAME, tgt);
			args(op, sc, NULL, nm);
			/* Defaults that call it read under its new name. */
			json_array_append_new(d->renames, json_pack(
			    "{s:s, s:s, s:s, s:s}", "kind", "sequence", "schema",
			    sc, "name", nm, "from", S(a, "name")));
			arg(op, "from", json_string(S(a, "name")));
			sql(op, fmt(d, "ALTER SEQUENCE %s RENAME TO %s",
			    qn(d, sc, S(a, "name")), qi(d, nm)));
			rev(op, fmt(d, "ALTER SEQUENCE %s RENAME TO %s", q,
			    qi(d, S(a, "name"))));
		}
		if (!streq(S(a, "type"), S(b, "type")) ||
		    !streq(S(a, "increment"), S(b, "increment")) ||
		    !streq(S(a, "min"), S(b, "min")) ||
		    !streq(S(a, "max"), S(b, "max")) ||
		    !streq(S(a, "start"), S(b, "start")) ||
		    !streq(S(a, "cache"), S(b, "cache")) ||
		    B(a, "cycle") != B(b, "cycle")) {
			op = newop(d, ZN_OP_ALTER_SEQUENCE, PH_SEQUENCE, tgt);
			args(op, sc, NULL, nm);
			sql(op, fmt(d, "ALTER SEQUENCE %s%s", q,
			    seqopts(d, b, 0)));
			rev(op, fmt(d, "ALTER SEQUENCE %s%s", q,
			    seqopts(d, a, 0)));
		}
		commentop(d, fmt(d, "SEQUENCE %s", q), a, b, tgt, sc, NULL,
		    nm);
		privop(d, fmt(d, "SEQUENCE %s", q), a, b, tgt, sc, NULL, nm);
	}
	if (b != NULL && !same(oa, ob)) {
		/* Compare the from side under the table's new name. */
		if (json_is_object(oa) && json_is_object(ob) &&
		    streq(S(oa, "schema"), S(ob, "schema")) &&
		    streq(newtablename(d, S(oa, "schema"), S(oa, "table")),
		    S(ob, "table")) &&
		    streq(newcolname(d, S(oa, "schema"), S(ob, "table"),
		    S(oa, "column")), S(ob, "column")))
			return;
		op = newop(d, ZN_OP_ALTER_SEQUENCE, PH_OWNED_BY, tgt);
		args(op, sc, NULL, nm);
		arg(op, "owned_by", json_incref((json_t *)ob));
		sql(op, fmt(d, "ALTER SEQUENCE %s OWNED BY %s", q,
		    ownedby(d, ob)));
		if (a != NULL)
			rev(op, fmt(d, "ALTER SEQUENCE %s OWNED BY %s", q,
			    ownedby(d, oa)));
		if (json_is_object(ob))
			need(op, fmt(d, "rel:%s", qn(d, S(ob, "schema"),
			    S(ob, "table"))));
	}
}

/* ---- tables ---- */

enum ckind { K_PK, K_UNIQUE, K_CHECK, K_EXCL, K_FK, K_INDEX };
static void dropsub(struct d *, enum ckind, const json_t *,
    const json_t *);
static void rekey(struct d *, const json_t *, const json_t *);

static void policydiff(struct d *, const json_t *, const json_t *,
    const json_t *, const json_t *);

static const char *
bound_sql(struct d *d, const json_t *part)
{
	const char *b = S(part, "bound");

	return fmt(d, "PARTITION OF %s %s", qn(d, S(part, "schema"),
	    S(part, "name")), b != NULL ? b : "DEFAULT");
}

static const char *
constraint_item(struct d *d, const json_t *c)
{
	return fmt(d, "CONSTRAINT %s %s", qi(d, S(c, "name")),
	    S(c, "definition"));
}

static const char *
policy_sql(struct d *d, const char *tq, const json_t *p)
{
	struct zn_buf b = ZN_BUF_INIT;
	const json_t *r;
	size_t i;

	zn_buf_addf(&b, "CREATE POLICY %s ON %s AS %s FOR %s TO ",
	    qi(d, S(p, "name")), tq, B(p, "permissive") ? "PERMISSIVE" :
	    "RESTRICTIVE", S(p, "command"));
	json_array_foreach(json_object_get(p, "roles"), i, r) {
		if (i > 0)
			zn_buf_adds(&b, ", ");
		if (streq(json_string_value(r), "public"))
			zn_buf_adds(&b, "PUBLIC");
		else
			zn_pg_ident(&b, json_string_value(r));
	}
	if (S(p, "using") != NULL)
		zn_buf_addf(&b, " USING (%s)", S(p, "using"));
	if (S(p, "with_check") != NULL)
		zn_buf_addf(&b, " WITH CHECK (%s)", S(p, "with_check"));
	return keep(d, zn_buf_detach(&b));
}

static const char *
replident_sql(const char *r)
{
	if (streq(r, "full"))
		return "FULL";
	if (streq(r, "nothing"))
		return "NOTHING";
	return "DEFAULT";
}

static void
needtypes(struct d *d, struct zn_op *op, const json_t *cols)
{
	const json_t *c;
	const char *ty;
	size_t i, n;

	json_array_foreach(cols, i, c) {
		ty = S(c, "type");
		if (ty == NULL)
			continue;
		n = strlen(ty);
		while (n > 2 && strcmp(ty + n - 2, "[]") == 0)
			n -= 2;
		need(op, fmt(d, "type:%.*s", (int)n, ty));
	}
}

/*
 * The column of that name of t's parent (its partitioned table or any
 * table it inherits from), in the to-side graph or else the from-side
 * one (a table dropped, made again by the reverse), if there is one.
 */
static const json_t *
parenttable(struct d *d, const json_t *x)
{
	const json_t *pt = lookup(d, &d->b, "table", S(x, "schema"), NULL,
	    S(x, "name"), NULL, NULL);

	return pt != NULL ? pt : lookup(d, &d->a, "table", S(x, "schema"),
	    NULL, S(x, "name"), NULL, NULL);
}

static const json_t *
parentcol(struct d *d, const json_t *t, const char *name)
{
	const json_t *part = json_object_get(t, "partition_of"), *x, *pt, *c;
	size_t i;

	if (json_is_object(part)) {
		pt = parenttable(d, part);
		return pt != NULL ? findcol(pt, name) : NULL;
	}
	json_array_foreach(json_object_get(t, "inherits"), i, x) {
		pt = parenttable(d, x);
		if (pt != NULL && (c = findcol(pt, name)) != NULL)
			return c;
	}
	return NULL;
}

/*
 * The entry of list named as e ("name=value": an attribute option, or
 * an index column's statistics target by column number), or NULL.
 */
static const char *
samename(const json_t *list, const char *e)
{
	size_t n = strcspn(e, "="), i;
	const json_t *v;

	json_array_foreach(list, i, v) {
		const char *o = json_string_value(v);

		if (o != NULL && strncmp(o, e, n) == 0 && o[n] == '=')
			return o;
	}
	return NULL;
}

/*
 * Statements into out that take the statistics targets of index iq's
 * expression columns ("n=target" in "statistics") from from's (NULL:
 * none) to to's.
 */
static void
idxstats(struct d *d, json_t *out, const char *iq, const json_t *from,
    const json_t *to)
{
	const json_t *la = json_object_get(from, "statistics");
	const json_t *lb = json_object_get(to, "statistics"), *v;
	const char *e, *o;
	size_t i;

	json_array_foreach(la, i, v)
		if (samename(lb, e = json_string_value(v)) == NULL)
			addstr(out, fmt(d, "ALTER INDEX %s ALTER COLUMN %.*s SET "
			    "STATISTICS -1", iq, (int)strcspn(e, "="), e));
	json_array_foreach(lb, i, v) {
		e = json_string_value(v);
		o = samename(la, e);
		if (o == NULL || !streq(o, e))
			addstr(out, fmt(d, "ALTER INDEX %s ALTER COLUMN %.*s SET "
			    "STATISTICS %s", iq, (int)strcspn(e, "="), e,
			    e + strcspn(e, "=") + 1));
	}
}


/*
 * Statements into out that take column cn's settings (statistics target,
 * attribute options such as n_distinct) from those of from (NULL: the
 * defaults) to those of to.
 */
static void
colsettings(struct d *d, json_t *out, const char *tq, const char *cn,
    const json_t *from, const json_t *to)
{
	const char *alt = fmt(d, "ALTER TABLE %s ALTER COLUMN %s", tq,
	    qi(d, cn));
	const json_t *oa = json_object_get(from, "options");
	const json_t *ob = json_object_get(to, "options"), *v;
	struct zn_buf set = ZN_BUF_INIT, reset = ZN_BUF_INIT;
	size_t i;

	if (!streq(S(from, "statistics"), S(to, "statistics")))
		addstr(out, fmt(d, "%s SET STATISTICS %s", alt,
		    S(to, "statistics") != NULL ? S(to, "statistics") : "-1"));
	json_array_foreach(oa, i, v)
		if (samename(ob, json_string_value(v)) == NULL)
			zn_buf_addf(&reset, "%s%.*s", reset.len > 0 ? ", " : "",
			    (int)strcspn(json_string_value(v), "="),
			    json_string_value(v));
	json_array_foreach(ob, i, v) {
		size_t k;
		const json_t *w;
		int had = 0;

		json_array_foreach(oa, k, w)
			if (streq(json_string_value(w), json_string_value(v)))
				had = 1;
		if (!had)
			zn_buf_addf(&set, "%s%s", set.len > 0 ? ", " : "",
			    json_string_value(v));
	}
	if (reset.len > 0)
		addstr(out, fmt(d, "%s RESET (%s)", alt, reset.buf));
	if (set.len > 0)
		addstr(out, fmt(d, "%s SET (%s)", alt, set.buf));
	zn_buf_release(&set);
	zn_buf_release(&reset);
}


/* Everything a table has, for CREATE TABLE; comments and all. */
static void
table_create_sql(struct d *d, json_t *out, const json_t *t, const json_t *fks)
{
	const char *sc = S(t, "schema"), *nm = S(t, "name");
	const char *tq = qn(d, sc, nm), *alter;
	const json_t *part = json_object_get(t, "partition_of");
	const json_t *c, *x, *pk = json_object_get(t, "primary_key");
	struct zn_buf b = ZN_BUF_INIT;
	size_t i, items = 0;
	int ispart = json_is_object(part);

	alter = fmt(d, "ALTER TABLE %s", tq);
#define ITEM(s) do {							\
		zn_buf_adds(&b, items++ ? ",\n    " : " (\n    ");	\
		zn_buf_adds(&b, (s));					\
	} while (0)
	zn_buf_addf(&b, "CREATE %sTABLE %s", streq(S(t, "persistence"),
	    "unlogged") ? "UNLOGGED " : "", tq);
	if (ispart)
		zn_buf_addf(&b, " %s", bound_sql(d, part));
	else {
		json_array_foreach(json_object_get(t, "columns"), i, c)
			if (!B(c, "inherited"))
				ITEM(coldef(d, c));
		if (json_is_object(pk))
			ITEM(constraint_item(d, pk));
		json_array_foreach(json_object_get(t, "uniques"), i, x)
			ITEM(constraint_item(d, x));
		json_array_foreach(json_object_get(t, "checks"), i, x)
			if (!B(x, "inherited") && !B(x, "not_valid"))
				ITEM(constraint_item(d, x));
		json_array_foreach(json_object_get(t, "exclusions"), i, x)
			ITEM(constraint_item(d, x));
		json_array_foreach(fks, i, x)
			ITEM(fmt(d, "CONSTRAINT %s %s", qi(d, S(x, "name")),
			    S(x, "definition")));
		zn_buf_adds(&b, items ? "\n)" : " ()");
		if (json_array_size(json_object_get(t, "inherits")) > 0) {
			zn_buf_adds(&b, " INHERITS (");
			json_array_foreach(json_object_get(t, "inherits"), i,
			    x) {
				if (i > 0)
					zn_buf_adds(&b, ", ");
				zn_buf_adds(&b, qn(d, S(x, "schema"),
				    S(x, "name")));
			}
			zn_buf_adds(&b, ")");
		}
	}
#undef ITEM
	if (S(t, "partition_key") != NULL)
		zn_buf_addf(&b, " PARTITION BY %s", S(t, "partition_key"));
	if (S(t, "access_method") != NULL &&
	    !streq(S(t, "access_method"), "heap"))
		zn_buf_addf(&b, " USING %s", qi(d, S(t, "access_method")));
	if (json_array_size(json_object_get(t, "options")) > 0)
		zn_buf_addf(&b, " WITH (%s)", optlist(d,
		    json_object_get(t, "options"), 1));
	addstr(out, keep(d, zn_buf_detach(&b)));
	if (ispart) {
		/* A partition's own constraints, not those of its parent. */
		if (json_is_object(pk))
			addstr(out, fmt(d, "%s ADD %s", alter,
			    constraint_item(d, pk)));
		json_array_foreach(json_object_get(t, "uniques"), i, x)
			addstr(out, fmt(d, "%s ADD %s", alter,
			    constraint_item(d, x)));
		json_array_foreach(json_object_get(t, "checks"), i, x)
			if (!B(x, "inherited") && !B(x, "not_valid"))
				addstr(out, fmt(d, "%s ADD %s", alter,
				    constraint_item(d, x)));
		json_array_foreach(json_object_get(t, "exclusions"), i, x)
			addstr(out, fmt(d, "%s ADD %s", alter,
			    constraint_item(d, x)));
		json_array_foreach(json_object_get(t, "columns"), i, c) {
			if (S(c, "default") != NULL &&
			    !json_is_object(json_object_get(c, "generated")))
				addstr(out, fmt(d, "%s ALTER COLUMN %s SET "
				    "DEFAULT %s", alter, qi(d, S(c, "name")),
				    S(c, "default")));
		}
	}
	/*
	 * What an inherited column has of its own: NOT NULL where its
	 * parent's is nullable, a default of its own in a child (a
	 * partition's defaults are all set above).
	 */
	json_array_foreach(json_object_get(t, "columns"), i, c) {
		const json_t *pc;

		if (!B(c, "inherited") ||
		    (pc = parentcol(d, t, S(c, "name"))) == NULL)
			continue;
		if (B(c, "not_null") && !B(pc, "not_null"))
			addstr(out, fmt(d, "%s ALTER COLUMN %s SET NOT NULL",
			    alter, qi(d, S(c, "name"))));
		if (!ispart && !streq(S(c, "default"), S(pc, "default")) &&
		    !json_is_object(json_object_get(c, "generated")))
			addstr(out, S(c, "default") != NULL ? fmt(d,
			    "%s ALTER COLUMN %s SET DEFAULT %s", alter,
			    qi(d, S(c, "name")), S(c, "default")) : fmt(d,
			    "%s ALTER COLUMN %s DROP DEFAULT", alter,
			    qi(d, S(c, "name"))));
	}
	json_array_foreach(json_object_get(t, "checks"), i, x)
		if (!B(x, "inherited") && B(x, "not_valid"))
			addstr(out, fmt(d, "%s ADD %s", alter,
			    constraint_item(d, x)));
	json_array_foreach(json_object_get(t, "indexes"), i, x)
		if (json_is_null(json_object_get(x, "parent")) ||
		    json_object_get(x, "parent") == NULL)
			addstr(out, indexdef(d, x, S(x, "name"), 0));
	if (!streq(S(t, "replica_identity"), "default") &&
	    !streq(S(t, "replica_identity"), "index"))
		addstr(out, fmt(d, "%s REPLICA IDENTITY %s", alter,
		    replident_sql(S(t, "replica_identity"))));
	if (B(json_object_get(t, "rls"), "enabled"))
		addstr(out, fmt(d, "%s ENABLE ROW LEVEL SECURITY", alter));
	if (B(json_object_get(t, "rls"), "forced"))
		addstr(out, fmt(d, "%s FORCE ROW LEVEL SECURITY", alter));
	if (S(t, "comment") != NULL)
		addstr(out, comment_sql(d, fmt(d, "TABLE %s", tq),
		    S(t, "comment")));
	json_array_foreach(json_object_get(t, "columns"), i, c)
		if (S(c, "comment") != NULL)
			addstr(out, comment_sql(d, fmt(d, "COLUMN %s.%s", tq,
			    qi(d, S(c, "name"))), S(c, "comment")));
	json_array_foreach(json_object_get(t, "columns"), i, c)
		colsettings(d, out, tq, S(c, "name"), NULL, c);
	if (json_is_object(pk) && S(pk, "comment") != NULL)
		addstr(out, comment_sql(d, fmt(d, "CONSTRAINT %s ON %s",
		    qi(d, S(pk, "name")), tq), S(pk, "comment")));
	{
		static const char *const lists[] = { "uniques", "checks",
		    "exclusions", NULL };
		size_t l;

		for (l = 0; lists[l] != NULL; l++)
			json_array_foreach(json_object_get(t, lists[l]), i,
			    x)
				if (S(x, "comment") != NULL &&
				    !B(x, "inherited"))
					addstr(out, comment_sql(d,
					    fmt(d, "CONSTRAINT %s ON %s",
					    qi(d, S(x, "name")), tq),
					    S(x, "comment")));
	}
	json_array_foreach(json_object_get(t, "indexes"), i, x) {
		if (S(x, "comment") != NULL)
			addstr(out, comment_sql(d, fmt(d, "INDEX %s",
			    qn(d, sc, S(x, "name"))), S(x, "comment")));
		idxstats(d, out, qn(d, sc, S(x, "name")), NULL, x);
	}
	privcreate(d, out, fmt(d, "TABLE %s", tq), t);
}

/* An op that validates constraint name of schema.table (check or FK). */
static struct zn_op *
validateop(struct d *d, const char *schema, const char *table,
    const char *name, int fk)
{
	struct zn_op *op;

	op = newop(d, ZN_OP_VALIDATE_CONSTRAINT, fk ? PH_VALIDATE_FK :
	    PH_VALIDATE, target(d, schema, table, name));
	args(op, schema, table, name);
	arg(op, "constraint", json_string(fk ? "foreign_key" : "check"));
	sql(op, fmt(d, "ALTER TABLE %s VALIDATE CONSTRAINT %s",
	    qn(d, schema, table), qi(d, name)));
	return op;
}

static const char *
fk_sql(struct d *d, const char *tq, const json_t *fk, int notvalid)
{
	const char *def = S(fk, "definition");
	size_t n = strlen(def);
	int has = n > 10 && strcmp(def + n - 10, " NOT VALID") == 0;

	return fmt(d, "ALTER TABLE %s ADD CONSTRAINT %s %s%s", tq,
	    qi(d, S(fk, "name")), def, notvalid && !has ? " NOT VALID" : "");
}

static void
fk_comment(struct d *d, struct zn_op *op, const char *tq, const json_t *fk)
{
	if (S(fk, "comment") != NULL)
		sql(op, comment_sql(d, fmt(d, "CONSTRAINT %s ON %s",
		    qi(d, S(fk, "name")), tq), S(fk, "comment")));
}

/* Foreign keys of a table; existing says whether it was there before. */
static void
addfk(struct d *d, const json_t *t, const json_t *fk, int existing)
{
	const char *sc = S(t, "schema"), *nm = S(t, "name");
	const char *tq = qn(d, sc, nm), *cq = qi(d, S(fk, "name"));
	const json_t *ref = json_object_get(fk, "references");
	struct zn_op *op;
	int notvalid = B(fk, "not_valid");

	/* PostgreSQL before 18 refuses NOT VALID on a partitioned table. */
	if (S(t, "partition_key") != NULL)
		existing = 0;
	op = newop(d, ZN_OP_ADD_FOREIGN_KEY, PH_FK,
	    target(d, sc, nm, S(fk, "name")));
	args(op, sc, nm, S(fk, "name"));
	arg(op, "columns", json_incref(json_object_get(fk, "columns")));
	arg(op, "references", json_incref((json_t *)ref));
	arg(op, "not_valid", json_boolean(existing || notvalid));
	arg(op, "new_table", json_boolean(!existing));
	sql(op, fk_sql(d, tq, fk, existing));
	fk_comment(d, op, tq, fk);
	rev(op, fmt(d, "ALTER TABLE %s DROP CONSTRAINT %s", tq, cq));
	need(op, fmt(d, "rel:%s", tq));
	need(op, fmt(d, "rel:%s", qn(d, S(ref, "schema"), S(ref, "table"))));
	need(op, fmt(d, "key:%s", qn(d, S(ref, "schema"), S(ref, "table"))));
	if (existing && !notvalid) {
		validateop(d, sc, nm, S(fk, "name"), 1);
	}
}

/*
 * Whether table t has key k (a primary key or unique constraint record
 * of the other side) as it is: then the plan does not touch it.
 */
static int
haskey(const json_t *t, const json_t *k)
{
	const json_t *pk = json_object_get(t, "primary_key"), *x;
	size_t i;

	if (json_is_object(pk) && json_equal(pk, (json_t *)k))
		return 1;
	json_array_foreach(json_object_get(t, "uniques"), i, x)
		if (json_equal(x, (json_t *)k))
			return 1;
	return 0;
}

/*
 * Whether foreign key fk of new table t is made by its CREATE TABLE: it
 * references a table that is there before the plan and stays, by a key
 * (primary or unique) that is there before and after, unchanged.  CREATE TABLE
 * takes the SHARE ROW EXCLUSIVE lock on the referenced table that a
 * separate ADD FOREIGN KEY would, and the new table has no rows to
 * check.  Not one declared NOT VALID (CREATE TABLE makes it valid), not
 * on a partitioned table or a partition, not one to a table made in the
 * same plan (those come after every table, which breaks cycles).
 */
static int
fkinline(struct d *d, const json_t *t, const json_t *fk)
{
	const json_t *ref = json_object_get(fk, "references"), *ra, *rb, *x;
	const json_t *cols = json_object_get(ref, "columns");
	size_t i;

	if (B(fk, "not_valid") || S(t, "partition_key") != NULL ||
	    json_is_object(json_object_get(t, "partition_of")) ||
	    (streq(S(ref, "schema"), S(t, "schema")) &&
	    streq(S(ref, "table"), S(t, "name"))) ||
	    renamedfrom(d, "table", S(ref, "schema"), NULL,
	    S(ref, "table")) != NULL)
		return 0;
	ra = lookup(d, &d->a, "table", S(ref, "schema"), NULL,
	    S(ref, "table"), NULL, NULL);
	rb = lookup(d, &d->b, "table", S(ref, "schema"), NULL,
	    S(ref, "table"), NULL, NULL);
	if (ra == NULL || rb == NULL)
		return 0;
	x = json_object_get(ra, "primary_key");
	if (json_is_object(x) && json_equal(json_object_get(x, "columns"),
	    (json_t *)cols))
		return haskey(rb, x);
	json_array_foreach(json_object_get(ra, "uniques"), i, x)
		if (json_equal(json_object_get(x, "columns"), (json_t *)cols))
			return haskey(rb, x);
	return 0;
}

static void
createtable(struct d *d, const json_t *t)
{
	const char *sc = S(t, "schema"), *nm = S(t, "name");
	const char *tq = qn(d, sc, nm);
	const json_t *x;
	struct zn_op *op;
	size_t i;

	json_t *with = json_array(), *names = json_array();

	if (with == NULL || names == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	json_array_foreach(json_object_get(t, "foreign_keys"), i, x)
		if (fkinline(d, t, x) && json_array_append(with,
		    (json_t *)x) != 0)
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	op = newop(d, ZN_OP_CREATE_TABLE, PH_TABLE, target(d, sc, nm, NULL));
	args(op, sc, nm, NULL);
	arg(op, "columns", json_integer((json_int_t)json_array_size(
	    json_object_get(t, "columns"))));
	if (json_is_object(json_object_get(t, "partition_of")))
		arg(op, "partition_of", json_incref(json_object_get(t,
		    "partition_of")));
	table_create_sql(d, op->sql, t, with);
	json_array_foreach(with, i, x) {
		const json_t *ref = json_object_get(x, "references");

		/* Its key stays as it is: nothing of the plan to wait for. */
		addstr(names, S(x, "name"));
		fk_comment(d, op, tq, x);
		need(op, fmt(d, "rel:%s", qn(d, S(ref, "schema"),
		    S(ref, "table"))));
	}
	if (json_array_size(names) > 0)
		arg(op, "foreign_keys", json_incref(names));
	json_decref(names);
	rev(op, fmt(d, "DROP TABLE %s", tq));
	provide(op, fmt(d, "rel:%s", tq));
	provide(op, fmt(d, "key:%s", tq));
	need(op, fmt(d, "schema:%s", sc));
	need(op, fmt(d, "gone:rel:%s", tq));
	needtypes(d, op, json_object_get(t, "columns"));
	relopcs(d, op, OPC_NEED, &d->b, t);
	json_array_foreach(json_object_get(t, "inherits"), i, x)
		need(op, fmt(d, "rel:%s", qn(d, S(x, "schema"),
		    S(x, "name"))));
	x = json_object_get(t, "partition_of");
	if (json_is_object(x))
		need(op, fmt(d, "rel:%s", qn(d, S(x, "schema"),
		    S(x, "name"))));
	json_array_foreach(json_object_get(t, "foreign_keys"), i, x)
		if (!inlist(with, x))
			addfk(d, t, x, 0);
	json_decref(with);
	policydiff(d, NULL, t, NULL, json_object_get(t, "policies"));
}

/* ---- what goes with parked data ---- */

/* Whether SQL text (an expression, a WHERE) names column col. */
static int
textuses(const char *text, const char *col)
{
	struct zn_toks ts;
	size_t i;
	int hit = 0;

	if (text == NULL)
		return 0;
	memset(&ts, 0, sizeof(ts));
	zn_sql_tokens(&ts, text);
	for (i = 0; !hit && i < ts.n; i++)
		if (ts.v[i].t == ZN_TK_WORD || ts.v[i].t == ZN_TK_QIDENT) {
			char *id = zn_tok_ident(&ts.v[i]);

			hit = strcmp(id, col) == 0;
			free(id);
		}
	zn_sql_tokens_release(&ts);
	return hit;
}

static int
listuses(const json_t *names, const char *col)
{
	const json_t *x;
	size_t i;

	json_array_foreach(names, i, x)
		if (streq(json_string_value(x), col))
			return 1;
	return 0;
}

/* Whether index x of a table (keys, INCLUDE, WHERE) uses column col. */
static int
indexuses(const json_t *x, const char *col)
{
	const json_t *k;
	size_t i;

	json_array_foreach(json_object_get(x, "keys"), i, k)
		if (streq(S(k, "column"), col) || textuses(S(k, "expression"),
		    col))
			return 1;
	return listuses(json_object_get(x, "include"), col) ||
	    textuses(S(x, "where"), col);
}

static void
went(struct d *d, json_t *ww, const char *kind, const char *name,
    const char *s1, const char *s2)
{
	json_t *e = json_pack("{s:s, s:s, s:[s]}", "kind", kind, "name", name,
	    "sql", s1);

	if (e == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	if (s2 != NULL)
		addstr(json_object_get(e, "sql"), s2);
	json_array_append_new(ww, e);
	(void)d;
}

/* A constraint added the online way: NOT VALID, then validated. */
static void
wentvalid(struct d *d, json_t *ww, const char *kind, const char *tq,
    const json_t *c)
{
	const char *cn = qi(d, S(c, "name"));

	went(d, ww, kind, S(c, "name"), fmt(d, "ALTER TABLE %s ADD CONSTRAINT "
	    "%s %s NOT VALID", tq, cn, S(c, "definition")),
	    fmt(d, "ALTER TABLE %s VALIDATE CONSTRAINT %s", tq, cn));
}

/*
 * The inbound foreign keys of table t's (column col, or any when NULL)
 * in the old graph: the plan drops them with what they reference.
 */
static void
wentinbound(struct d *d, json_t *ww, const json_t *t, const char *col)
{
	size_t i, j;
	const json_t *x, *r;
	const char *tn = S(t, "name");
	/*
	 * The table's name as a referencing record's line holds it, when it
	 * can: only those lines are parsed (every table of a large graph
	 * was, for each column or table parked).
	 */
	const char *as = tn != NULL && plainjson(tn) ? fmt(d, "\"%s\"", tn) :
	    NULL;

	for (i = 0; i < d->a.g->nrecs; i++) {
		if (!iskind(&d->a, i, "table") || (as != NULL &&
		    !inline_(&d->a, i, as)))
			continue;
		r = rec(&d->a, i);
		json_array_foreach(json_object_get(r, "foreign_keys"), j, x) {
			const json_t *ref = json_object_get(x, "references");

			if (!streq(S(ref, "schema"), S(t, "schema")) ||
			    !streq(S(ref, "table"), S(t, "name")))
				continue;
			if (col != NULL && !listuses(json_object_get(ref,
			    "columns"), col))
				continue;
			/* A table's own key to itself goes with the table. */
			if (col == NULL && r == t)
				continue;
			wentvalid(d, ww, "foreign_key", qn(d, S(r, "schema"),
			    S(r, "name")), x);
		}
	}
}

/*
 * What a parked column takes with it, as the SQL that brings each back
 * the online way (zn-artifact(1)): the indexes and constraints of its
 * table that use it, and the foreign keys that reference it; the plan
 * drops each of them before the column is parked.
 */
static json_t *
wentwith(struct d *d, const json_t *t, const char *tq, const char *col)
{
	const json_t *x, *pk = json_object_get(t, "primary_key");
	json_t *ww = json_array();
	size_t i;

	if (ww == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	if (col == NULL) {
		wentinbound(d, ww, t, NULL);
		return ww;
	}
	json_array_foreach(json_object_get(t, "indexes"), i, x) {
		const char *def = S(x, "definition"), *at;

		if (!indexuses(x, col) || def == NULL)
			continue;
		at = strstr(def, " INDEX ");
		if (at != NULL && strstr(def, " ON ONLY ") == NULL)
			went(d, ww, "index", S(x, "name"), fmt(d, "%.*s INDEX "
			    "CONCURRENTLY %s", (int)(at - def), def, at + 7),
			    NULL);
		else
			went(d, ww, "index", S(x, "name"), def, NULL);
	}
	json_array_foreach(json_object_get(t, "checks"), i, x)
		if (!B(x, "inherited") && textuses(S(x, "expression"), col))
			wentvalid(d, ww, "check", tq, x);
	json_array_foreach(json_object_get(t, "foreign_keys"), i, x)
		if (listuses(json_object_get(x, "columns"), col))
			wentvalid(d, ww, "foreign_key", tq, x);
	json_array_foreach(json_object_get(t, "uniques"), i, x)
		if (listuses(json_object_get(x, "columns"), col) ||
		    listuses(json_object_get(x, "include"), col))
			went(d, ww, "unique", S(x, "name"), fmt(d, "ALTER TABLE "
			    "%s ADD CONSTRAINT %s %s", tq, qi(d, S(x, "name")),
			    S(x, "definition")), NULL);
	json_array_foreach(json_object_get(t, "exclusions"), i, x)
		if (textuses(S(x, "definition"), col))
			went(d, ww, "exclusion", S(x, "name"), fmt(d, "ALTER "
			    "TABLE %s ADD CONSTRAINT %s %s", tq, qi(d, S(x,
			    "name")), S(x, "definition")), NULL);
	if (json_is_object(pk) && (listuses(json_object_get(pk, "columns"),
	    col) || listuses(json_object_get(pk, "include"), col)))
		went(d, ww, "primary_key", S(pk, "name"), fmt(d, "ALTER TABLE "
		    "%s ADD CONSTRAINT %s %s", tq, qi(d, S(pk, "name")),
		    S(pk, "definition")), NULL);
	wentinbound(d, ww, t, col);
	return ww;
}

/*
 * A parked table's indexes, those of its keys and constraints too, are
 * parked with it: their names are the schema's, and a table made again
 * under the table's name (zn down, then up) takes them.  The op's
 * "renamed" says what each was, for zn-artifact restore.
 */
static void
parkindexes(struct d *d, struct zn_op *op, const json_t *t)
{
	static const char *const lists[] = { "uniques", "exclusions",
	    "indexes" };
	const char *sc = S(t, "schema"), *nm, *pn;
	const json_t *pk = json_object_get(t, "primary_key"), *x;
	json_t *ren = json_array();
	size_t i, k;

	if (ren == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	for (k = 0; k <= sizeof(lists) / sizeof(lists[0]); k++) {
		const json_t *arr = k == 0 ? NULL : json_object_get(t,
		    lists[k - 1]);
		size_t n = k == 0 ? json_is_object(pk) : json_array_size(arr);

		for (i = 0; i < n; i++) {
			x = k == 0 ? pk : json_array_get(arr, i);
			if ((nm = S(x, "name")) == NULL)
				continue;
			pn = parked(d, "_zanith_dropped_", nm, qn(d, sc, nm));
			sql(op, fmt(d, "ALTER INDEX %s RENAME TO %s",
			    qn(d, sc, nm), qi(d, pn)));
			rev(op, fmt(d, "ALTER INDEX %s RENAME TO %s",
			    qn(d, sc, pn), qi(d, nm)));
			if (json_array_append_new(ren, json_pack("{s:s, s:s}",
			    "from", nm, "to", pn)) != 0)
				zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
		}
	}
	arg(op, "renamed", ren);
}

/* The rows of a table are parked or archived, or the table is dropped. */
static void
droptable(struct d *d, const json_t *t)
{
	const char *sc = S(t, "schema"), *nm = S(t, "name");
	const char *tq = qn(d, sc, nm), *tgt = target(d, sc, nm, NULL);
	const json_t *part = json_object_get(t, "partition_of");
	struct zn_op *op;
	const char *pk;

	switch (d->o->drop) {
	case ZN_DROP_SOFT:
		pk = parked(d, "_zanith_dropped_", nm, tq);
		op = newop(d, ZN_OP_SOFT_DROP_TABLE, PH_SOFT_DROP, tgt);
		args(op, sc, nm, NULL);
		arg(op, "parked_as", json_string(pk));
		arg(op, "went_with", wentwith(d, t, tq, NULL));
		parkin(d, sc);
		sql(op, fmt(d, "ALTER TABLE %s RENAME TO %s", tq, qi(d, pk)));
		rev(op, fmt(d, "ALTER TABLE %s RENAME TO %s",
		    qn(d, sc, pk), qi(d, nm)));
		parkindexes(d, op, t);
		break;
	case ZN_DROP_ARCHIVE:
		pk = parked(d, "", nm, tq);
		op = newop(d, ZN_OP_ARCHIVE_TABLE, PH_SOFT_DROP, tgt);
		args(op, sc, nm, NULL);
		arg(op, "archived_as", json_string(fmt(d, "_zanith_archive.%s",
		    pk)));
		arg(op, "went_with", wentwith(d, t, tq, NULL));
		sql(op, "CREATE SCHEMA IF NOT EXISTS _zanith_archive");
		sql(op, fmt(d, "ALTER TABLE %s RENAME TO %s", tq, qi(d, pk)));
		sql(op, fmt(d, "ALTER TABLE %s SET SCHEMA _zanith_archive",
		    qn(d, sc, pk)));
		rev(op, fmt(d, "ALTER TABLE %s SET SCHEMA %s",
		    qn(d, "_zanith_archive", pk), qi(d, sc)));
		rev(op, fmt(d, "ALTER TABLE %s RENAME TO %s",
		    qn(d, sc, pk), qi(d, nm)));
		break;
	default:
		/* Its foreign keys first, which breaks any cycle. */
		{
			const json_t *x;
			size_t i;

			json_array_foreach(json_object_get(t, "foreign_keys"),
			    i, x)
				dropsub(d, K_FK, t, x);
		}
		policydiff(d, t, t, json_object_get(t, "policies"), NULL);
		op = newop(d, ZN_OP_DROP_TABLE, PH_DROP_TABLE, tgt);
		args(op, sc, nm, NULL);
		sql(op, fmt(d, "DROP TABLE %s", tq));
		/* Its owned sequences go with it and come back with it. */
		{
			json_t *owners = json_array();
			size_t i;

			for (i = 0; i < d->a.g->nrecs; i++) {
				const json_t *q, *own;
				const char *sq;

				if (!iskind(&d->a, i, "sequence"))
					continue;
				q = rec(&d->a, i);
				own = json_object_get(q, "owned_by");
				if (!json_is_object(own) ||
				    !streq(S(own, "schema"), sc) ||
				    !streq(S(own, "table"), nm))
					continue;
				sq = qn(d, S(q, "schema"), S(q, "name"));
				rev(op, fmt(d, "CREATE SEQUENCE %s%s", sq,
				    seqopts(d, q, 1)));
				addstr(owners, fmt(d, "ALTER SEQUENCE %s "
				    "OWNED BY %s", sq, ownedby(d, own)));
			}
			table_create_sql(d, op->reverse, t, NULL);
			json_array_extend(op->reverse, owners);
			json_decref(owners);
		}
		provide(op, fmt(d, "droprel:%s", tq));
		relopcs(d, op, OPC_DROPUSE, &d->a, t);
		{
			const json_t *x;
			size_t i;

			/* Children first: a parent with children cannot go. */
			json_array_foreach(json_object_get(t, "inherits"), i,
			    x)
				provide(op, fmt(d, "dropchild:%s",
				    qn(d, S(x, "schema"), S(x, "name"))));
			if (json_is_object(part))
				provide(op, fmt(d, "dropchild:%s",
				    qn(d, S(part, "schema"), S(part, "name"))));
			need(op, fmt(d, "dropchild:%s", tq));
		}
		break;
	}
	/*
	 * Views that read it and routines that use its row type go first
	 * (by the name they use): edges, as their drops may come later in
	 * phase order once routines are ordered among them.
	 */
	need(op, fmt(d, "dropuse:rel:%s", tq));
	need(op, fmt(d, "dropview-dep:%s", tq));
	/* A view or table of the same name comes after. */
	provide(op, fmt(d, "gone:rel:%s", tq));
}

/* ---- columns of a table that exists on both sides ---- */

static void
addcolumn(struct d *d, const json_t *t, const json_t *c)
{
	const char *sc = S(t, "schema"), *nm = S(t, "name");
	const char *tq = qn(d, sc, nm), *cn = S(c, "name");
	int gen = json_is_object(json_object_get(c, "generated"));
	struct zn_op *op;

	/*
	 * A generated column reads others: after their type changes (the
	 * server refuses to change the type of a column one reads).
	 */
	op = newop(d, gen ? ZN_OP_ADD_GENERATED_COLUMN : ZN_OP_ADD_COLUMN,
	    gen ? PH_ALTER_COLUMN : PH_ADD_COLUMN, target(d, sc, nm, cn));
	args(op, sc, nm, cn);
	arg(op, "type", json_string(S(c, "type")));
	arg(op, "not_null", json_boolean(B(c, "not_null")));
	arg(op, "default", json_incref(json_object_get(c, "default")));
	arg(op, "identity", json_boolean(json_is_object(json_object_get(c,
	    "identity"))));
	if (gen)
		arg(op, "generated", json_incref(json_object_get(c,
		    "generated")));
	sql(op, fmt(d, "ALTER TABLE %s ADD COLUMN %s", tq, coldef(d, c)));
	if (S(c, "comment") != NULL)
		sql(op, comment_sql(d, fmt(d, "COLUMN %s.%s", tq, qi(d, cn)),
		    S(c, "comment")));
	colsettings(d, op->sql, tq, cn, NULL, c);
	rev(op, fmt(d, "ALTER TABLE %s DROP COLUMN %s", tq, qi(d, cn)));
	needtypes(d, op, json_object_get(t, "columns"));
	provide(op, fmt(d, "col:%s.%s", tq, qi(d, cn)));
}

/* Whether the n bytes at p hold the string w. */
/*
 * A child of table t (by inheritance) that has column cn on side A and
 * keeps it as its own on side B: a DROP COLUMN on t would take it from
 * the child where the child only inherited it, and a rename of t's would
 * rename the child's in any case.  Its name, or NULL.
 */
static const char *
keptbychild(struct d *d, const json_t *t, const char *cn)
{
	const json_t *ch, *x, *cb, *ca, *was;
	const size_t *k;
	size_t i, j, n, pos;

	/* Only a child is parsed. */
	k = kids(&d->b, &n);
	for (i = 0; i < n; i++) {
		ch = rec(&d->b, k[i]);
		json_array_foreach(json_object_get(ch, "inherits"), j, x) {
			if (!streq(S(x, "schema"), S(t, "schema")) ||
			    !streq(S(x, "name"), S(t, "name")))
				continue;
			cb = findcol(ch, cn);
			was = lookup(d, &d->a, "table", S(ch, "schema"), NULL,
			    S(ch, "name"), NULL, &pos);
			ca = was != NULL ? findcol(was, cn) : NULL;
			if (cb != NULL && !B(cb, "inherited") && ca != NULL)
				return target(d, S(ch, "schema"), S(ch, "name"),
				    NULL);
		}
	}
	return NULL;
}

static void
dropcolumn(struct d *d, const json_t *old, const json_t *t, const json_t *c)
{
	const char *sc = S(t, "schema"), *nm = S(t, "name");
	const char *tq = qn(d, sc, nm), *cn = S(c, "name"), *cq = qi(d, cn);
	const char *alt = fmt(d, "ALTER TABLE %s ALTER COLUMN %s", tq, cq);
	const char *tgt = target(d, sc, nm, cn), *pk;
	const json_t *key = json_object_get(t, "primary_key");
	struct zn_op *op;
	int nn = B(c, "not_null") && !json_is_object(json_object_get(c,
	    "identity"));
	int def = S(c, "default") != NULL;
	const char *child = keptbychild(d, t, cn), *only = "";

	/*
	 * A child that keeps the column as its own: dropped from this table
	 * alone, which leaves the child's (PostgreSQL makes it local).  A
	 * rename would rename the child's too, so it cannot be parked.
	 */
	if (child != NULL && (d->o->drop == ZN_DROP_SOFT ||
	    !json_is_object(key)))
		cannot(tgt, fmt(d, "table %s keeps this column as its own, and "
		    "parking it would rename the child's as well; plan with "
		    "--drop-policy archive (a primary key needed) or drop, "
		    "which drop it from this table ONLY and leave the "
		    "child's, or run ALTER TABLE ONLY ... DROP COLUMN", child));
	if (child != NULL)
		only = "ONLY ";
	if (d->o->drop == ZN_DROP_ARCHIVE && !json_is_object(key))
		zn_warn("%s: no primary key to archive the column by; it "
		    "is soft-dropped instead", tgt);
	if (d->o->drop == ZN_DROP_SOFT || (d->o->drop == ZN_DROP_ARCHIVE &&
	    !json_is_object(key))) {
		pk = parked(d, "_zanith_dropped_", cn, tgt);
		op = newop(d, ZN_OP_SOFT_DROP_COLUMN, PH_SOFT_DROP, tgt);
		args(op, sc, nm, cn);
		arg(op, "parked_as", json_string(pk));
		arg(op, "type", json_string(S(c, "type")));
		arg(op, "not_null", json_boolean(nn));
		arg(op, "default", json_incref(json_object_get(c,
		    "default")));
		arg(op, "collation", json_incref(json_object_get(c,
		    "collation")));
		if (json_is_object(key))
			arg(op, "key", json_incref(json_object_get(key,
			    "columns")));
		arg(op, "went_with", wentwith(d, old, tq, cn));
		/* Inserts that leave the column out must keep working. */
		if (nn)
			sql(op, fmt(d, "%s DROP NOT NULL", alt));
		if (def)
			sql(op, fmt(d, "%s DROP DEFAULT", alt));
		sql(op, fmt(d, "ALTER TABLE %s RENAME COLUMN %s TO %s", tq, cq,
		    qi(d, pk)));
		rev(op, fmt(d, "ALTER TABLE %s RENAME COLUMN %s TO %s", tq,
		    qi(d, pk), cq));
		if (def)
			rev(op, fmt(d, "%s SET DEFAULT %s", alt,
			    S(c, "default")));
		if (nn)
			rev(op, fmt(d, "%s SET NOT NULL", alt));
		return;
	}
	if (d->o->drop == ZN_DROP_ARCHIVE) {
		const char *an = parked(d, "", fmt(d, "%s_%s", nm, cn), tgt);
		const char *aq = qn(d, "_zanith_archive", an);
		const json_t *kc = json_object_get(key, "columns"), *k;
		struct zn_buf on = ZN_BUF_INIT;
		size_t i;

		json_array_foreach(kc, i, k)
			zn_buf_addf(&on, "%s t.%s = a.%s", i > 0 ? " AND" : "",
			    qi(d, json_string_value(k)),
			    qi(d, json_string_value(k)));
		op = newop(d, ZN_OP_ARCHIVE_COLUMN, PH_SOFT_DROP, tgt);
		args(op, sc, nm, cn);
		arg(op, "archived_as", json_string(fmt(d, "_zanith_archive.%s",
		    an)));
		arg(op, "key", json_incref((json_t *)kc));
		arg(op, "type", json_string(S(c, "type")));
		arg(op, "collation", json_incref(json_object_get(c,
		    "collation")));
		arg(op, "not_null", json_boolean(nn));
		arg(op, "default", json_incref(json_object_get(c,
		    "default")));
		arg(op, "went_with", wentwith(d, old, tq, cn));
		sql(op, "CREATE SCHEMA IF NOT EXISTS _zanith_archive");
		sql(op, fmt(d, "CREATE TABLE %s AS SELECT %s, %s FROM %s%s",
		    aq, collist(d, kc), cq, only, tq));
		sql(op, fmt(d, "ALTER TABLE %s%s DROP COLUMN %s", only, tq,
		    cq));
		rev(op, fmt(d, "ALTER TABLE %s ADD COLUMN %s %s%s%s", tq, cq,
		    S(c, "type"), S(c, "collation") != NULL ? " COLLATE " :
		    "", S(c, "collation") != NULL ? S(c, "collation") : ""));
		rev(op, fmt(d, "UPDATE %s%s t SET %s = a.%s FROM %s a WHERE%s",
		    only, tq, cq, cq, aq, on.buf));
		if (def)
			rev(op, fmt(d, "%s SET DEFAULT %s", alt,
			    S(c, "default")));
		if (nn)
			rev(op, fmt(d, "%s SET NOT NULL", alt));
		rev(op, fmt(d, "DROP TABLE %s", aq));
		zn_buf_release(&on);
		return;
	}
	op = newop(d, ZN_OP_DROP_COLUMN, PH_SOFT_DROP, tgt);
	args(op, sc, nm, cn);
	arg(op, "type", json_string(S(c, "type")));
	sql(op, fmt(d, "ALTER TABLE %s%s DROP COLUMN %s", only, tq, cq));
	rev(op, fmt(d, "ALTER TABLE %s ADD COLUMN %s", tq, coldef(d, c)));
	if (S(c, "comment") != NULL)
		rev(op, comment_sql(d, fmt(d, "COLUMN %s.%s", tq, cq),
		    S(c, "comment")));
	colsettings(d, op->reverse, tq, cn, NULL, c);
}

/* Unsupported changes stop the plan rather than leave it short. */
static ZN_NORETURN void
cannot(const char *tgt, const char *what)
{
	zn_die(ZN_EXIT_UNAVAILABLE, "%s: %s; zn-diff does not plan that "
	    "change: write it as a raw sql op in a migration file", tgt, what);
}

static void
alterid(struct d *d, struct zn_op *op, json_t *out, const char *alt,
    const json_t *from, const json_t *to)
{
	static const char *const opts[][2] = { { "increment",
	    "INCREMENT BY" }, { "min", "MINVALUE" }, { "max", "MAXVALUE" },
	    { "start", "START WITH" }, { "cache", "CACHE" } };
	size_t i;

	(void)op;
	if (!json_is_object(from) && json_is_object(to)) {
		addstr(out, fmt(d, "%s ADD %s", alt, identity_sql(d, to)));
		return;
	}
	if (json_is_object(from) && !json_is_object(to)) {
		addstr(out, fmt(d, "%s DROP IDENTITY", alt));
		return;
	}
	if (!streq(S(from, "generation"), S(to, "generation")))
		addstr(out, fmt(d, "%s SET GENERATED %s", alt,
		    streq(S(to, "generation"), "always") ? "ALWAYS" :
		    "BY DEFAULT"));
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!streq(S(from, opts[i][0]), S(to, opts[i][0])))
			addstr(out, fmt(d, "%s SET %s %s", alt, opts[i][1],
			    S(to, opts[i][0])));
	if (B(from, "cycle") != B(to, "cycle"))
		addstr(out, fmt(d, "%s SET %sCYCLE", alt, B(to, "cycle") ?
		    "" : "NO "));
	if (!streq(S(from, "sequence"), S(to, "sequence")))
		addstr(out, fmt(d, "ALTER SEQUENCE %s RENAME TO %s",
		    qn(d, S(from, "sequence_schema"), S(from, "sequence")),
		    qi(d, S(to, "sequence"))));
}

/* The sequence of side s owned by column cn of table t, if any. */
static const char *
ownedseq(struct d *d, struct side *s, const json_t *t, const char *cn)
{
	const json_t *q, *own;
	const char *tn = S(t, "name");
	/* The table's name as its sequences' lines hold it, when it can. */
	const char *as = tn != NULL && plainjson(tn) ? fmt(d, "\"%s\"", tn) :
	    NULL;
	size_t i;

	for (i = 0; i < s->g->nrecs; i++) {
		if (!iskind(s, i, "sequence") || (as != NULL &&
		    !inline_(s, i, as)))
			continue;
		q = rec(s, i);
		own = json_object_get(q, "owned_by");
		if (json_is_object(own) && streq(S(own, "schema"),
		    S(t, "schema")) && streq(S(own, "table"), S(t, "name")) &&
		    streq(S(own, "column"), cn))
			return qn(d, S(q, "schema"), S(q, "name"));
	}
	return NULL;
}

/*
 * After a column's numbering moves from one sequence to another (serial
 * to identity or back): the new one goes on from the column's largest
 * value, as the old one did, so no new row takes an existing number.
 */
static const char *
setval_sql(struct d *d, const char *tq, const char *cn, const char *seq)
{
	struct zn_buf t = ZN_BUF_INIT, c = ZN_BUF_INIT;
	const char *r, *cq = qi(d, cn);

	zn_pg_literal(&t, seq != NULL ? seq : tq);
	zn_pg_literal(&c, cn);
	/* A sequence not yet owned by the column is named. */
	r = fmt(d, "SELECT pg_catalog.setval(%s%s%s%s, max(%s)) FROM %s "
	    "HAVING max(%s) IS NOT NULL", seq != NULL ? "" :
	    "pg_catalog.pg_get_serial_sequence(", t.buf, seq != NULL ?
	    "::pg_catalog.regclass" : ", ", seq != NULL ? "" : fmt(d, "%s)",
	    c.buf), cq, tq, cq);
	zn_buf_release(&t);
	zn_buf_release(&c);
	return r;
}

/* The type is an enum of side s, by the name a column's type gives. */
static int
isenum(struct d *d, struct side *s, const char *ty)
{
	size_t i;

	for (i = 0; ty != NULL && i < s->g->nrecs; i++)
		if (iskind(s, i, "enum") && streq(qn(d, s->g->recs[i].schema,
		    s->g->recs[i].name), ty))
			return 1;
	return 0;
}

/* Whether type t (as format_type writes it) is a string type. */
static int
stringtype(const char *t)
{
	return streq(t, "text") || streq(t, "name") || streq(t, "\"char\"") ||
	    strncmp(t, "character varying", 17) == 0 ||
	    strncmp(t, "character", 9) == 0 || streq(t, "bpchar");
}

/*
 * Whether t is a built-in type that PostgreSQL makes from a string type
 * only by an explicit cast (its input function), as ALTER COLUMN TYPE
 * will not do without USING.  Domains and types of extensions are left
 * out: an explicit cast to a domain over varchar(n) would cut values
 * that the assignment cast refuses.
 */
static int
fromstringexplicit(const char *t)
{
	static const char *const whole[] = { "smallint", "integer",
	    "bigint", "real", "double precision", "numeric", "boolean",
	    "date", "interval", "uuid", "json", "jsonb", "inet", "cidr",
	    "macaddr", "macaddr8", "money", "bytea", "xml", "oid",
	    "tsvector", "tsquery" };
	static const char *const prefix[] = { "numeric(", "timestamp",
	    "time(", "time without", "time with", "interval ", "interval(",
	    "bit(",
	    "bit varying" };
	size_t i;

	if (streq(t, "time"))
		return 1;
	for (i = 0; i < sizeof(whole) / sizeof(whole[0]); i++)
		if (streq(t, whole[i]))
			return 1;
	for (i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (strncmp(t, prefix[i], strlen(prefix[i])) == 0)
			return 1;
	return 0;
}

/*
 * The USING clause of a type change that has no implicit or assignment
 * cast, which ALTER COLUMN TYPE needs: to an enum from another type
 * (text, another enum), through text; from a string type to a built-in
 * type its input function makes (text to integer, varchar to uuid); an
 * integer to boolean and back.  Arrays alike, element by element.  None
 * where an assignment cast exists: an explicit one may differ from it
 * (to varchar(n) it cuts what the assignment cast refuses).
 */
static const char *
using_(struct d *d, struct side *s, const char *cq, const char *from,
    const char *to)
{
	size_t nf, nt;

	if (streq(from, to))
		return "";
	if (isenum(d, s, to))
		return fmt(d, " USING %s::text::%s", cq, to);
	nf = strlen(from);
	nt = strlen(to);
	/* The same number of dimensions, and the element types. */
	while (nf > 2 && nt > 2 && strcmp(from + nf - 2, "[]") == 0 &&
	    strcmp(to + nt - 2, "[]") == 0) {
		nf -= 2;
		nt -= 2;
	}
	from = fmt(d, "%.*s", (int)nf, from);
	if ((stringtype(from) && !stringtype(fmt(d, "%.*s", (int)nt, to)) &&
	    fromstringexplicit(fmt(d, "%.*s", (int)nt, to))) ||
	    (streq(from, "integer") && strncmp(to, "boolean", nt) == 0 &&
	    nt == 7) || (streq(from, "boolean") && nt == 7 &&
	    strncmp(to, "integer", 7) == 0))
		return fmt(d, " USING %s::%s", cq, to);
	return "";
}

/*
 * The name of a valid CHECK (col IS NOT NULL) that the table has on
 * both sides, or NULL: SET NOT NULL trusts it and scans nothing.
 */
static const char *
nnproof(struct d *d, const json_t *ta, const json_t *tb, const char *cq)
{
	const char *want = fmt(d, "(%s IS NOT NULL)", cq);
	const json_t *x, *y;
	size_t i, j;

	json_array_foreach(json_object_get(ta, "checks"), i, x) {
		if (B(x, "not_valid") || !streq(S(x, "expression"), want))
			continue;
		json_array_foreach(json_object_get(tb, "checks"), j, y)
			if (streq(S(y, "name"), S(x, "name")) &&
			    streq(S(y, "expression"), want) &&
			    !B(y, "not_valid"))
				return S(x, "name");
	}
	return NULL;
}

/*
 * What PostgreSQL carries down an inheritance tree: ALTER TABLE on a
 * column (no ONLY) sets the default, NOT NULL or DROP NOT NULL of every
 * table that inherits the column too, partitions and children alike,
 * over whatever they had of their own.
 */
enum prop { PROP_DEFAULT, PROP_NOT_NULL, PROP_STATISTICS };

#define INHERIT_DEPTH 1000

/* Whether table ch is a partition or a child of t. */
static int
childof(const json_t *ch, const json_t *t)
{
	const json_t *x = json_object_get(ch, "partition_of");
	size_t i;

	if (json_is_object(x))
		return streq(S(x, "schema"), S(t, "schema")) &&
		    streq(S(x, "name"), S(t, "name"));
	json_array_foreach(json_object_get(ch, "inherits"), i, x)
		if (streq(S(x, "schema"), S(t, "schema")) &&
		    streq(S(x, "name"), S(t, "name")))
			return 1;
	return 0;
}

/* The table of side s that t inherits column cn from, or NULL. */
static const json_t *
parentof(struct d *d, struct side *s, const json_t *t, const char *cn)
{
	const json_t *part = json_object_get(t, "partition_of"), *x, *pt;
	size_t i;

	if (json_is_object(part))
		return lookup(d, s, "table", S(part, "schema"), NULL,
		    S(part, "name"), NULL, NULL);
	json_array_foreach(json_object_get(t, "inherits"), i, x) {
		pt = lookup(d, s, "table", S(x, "schema"), NULL, S(x, "name"),
		    NULL, NULL);
		if (pt != NULL && findcol(pt, cn) != NULL)
			return pt;
	}
	return NULL;
}

static int
propdiffers(const json_t *x, const json_t *y, enum prop p)
{
	if (p == PROP_DEFAULT)
		return !streq(S(x, "default"), S(y, "default"));
	if (p == PROP_STATISTICS)
		return !streq(S(x, "statistics"), S(y, "statistics"));
	return B(x, "not_null") != B(y, "not_null");
}

/*
 * Into out, after a statement on column cn of t (whose column is now
 * pc) that PostgreSQL carried into every table below t: the statements
 * that give each of those tables on side s its own value again, where
 * it differs from its parent's, parents first (each one is carried
 * down again).  A table new on side B is made before.
 */
static void
restoreprop(struct d *d, struct side *s, struct zn_op *op, json_t *out,
    const json_t *t, const json_t *pc, const char *cn, enum prop p,
    int depth)
{
	const json_t *ch, *c;
	const char *cq;
	const size_t *k;
	size_t n, j;

	if (depth > INHERIT_DEPTH)
		zn_die(ZN_EXIT_DATAERR, "%s: tables inherit from each other "
		    "more than %d deep, or in a cycle", S(t, "name"),
		    INHERIT_DEPTH);
	k = kids(s, &n);
	for (j = 0; j < n; j++) {
		ch = rec(s, k[j]);
		if (!childof(ch, t) || (c = findcol(ch, cn)) == NULL ||
		    !B(c, "inherited") || (p == PROP_DEFAULT &&
		    json_is_object(json_object_get(c, "generated"))))
			continue;
		if (propdiffers(c, pc, p)) {
			cq = fmt(d, "ALTER TABLE %s ALTER COLUMN %s",
			    qn(d, S(ch, "schema"), S(ch, "name")), qi(d, cn));
			if (p == PROP_NOT_NULL)
				addstr(out, fmt(d, "%s %s NOT NULL", cq,
				    B(c, "not_null") ? "SET" : "DROP"));
			else if (p == PROP_STATISTICS)
				addstr(out, fmt(d, "%s SET STATISTICS %s", cq,
				    S(c, "statistics") != NULL ?
				    S(c, "statistics") : "-1"));
			else if (S(c, "default") != NULL)
				addstr(out, fmt(d, "%s SET DEFAULT %s", cq,
				    S(c, "default")));
			else
				addstr(out, fmt(d, "%s DROP DEFAULT", cq));
			if (s == &d->b && lookup(d, &d->a, "table",
			    S(ch, "schema"), NULL, S(ch, "name"), NULL,
			    NULL) == NULL)
				need(op, fmt(d, "rel:%s", qn(d, S(ch, "schema"),
				    S(ch, "name"))));
		}
		restoreprop(d, s, op, out, ch, c, cn, p, depth + 1);
	}
}

/* Both ways: B's values after the statement, A's after its reverse. */
static void
restoreboth(struct d *d, struct zn_op *op, const json_t *ta,
    const json_t *ca, const json_t *tb, const json_t *cb, enum prop p)
{
	restoreprop(d, &d->b, op, op->sql, tb, cb, S(cb, "name"), p, 0);
	restoreprop(d, &d->a, op, op->reverse, ta, ca, S(ca, "name"), p, 0);
}

/*
 * Whether the plan changes prop of column cn of a table (from side A's
 * ca to side B's cb) by a statement PostgreSQL carries into the tables
 * below it: the checks altercolumn() makes.
 */
static int
propchange(struct d *d, const json_t *ca, const json_t *cb, enum prop p)
{
	const json_t *ib = json_object_get(cb, "identity");
	const char *da = S(ca, "default"), *db = S(cb, "default");

	if (p == PROP_STATISTICS)
		return d->privs && !streq(S(ca, "statistics"),
		    S(cb, "statistics"));
	if (p == PROP_NOT_NULL)
		return (B(ca, "not_null") && !B(cb, "not_null")) ||
		    (!B(ca, "not_null") && B(cb, "not_null") &&
		    !json_is_object(ib));
	if (!same(json_object_get(ca, "generated"), json_object_get(cb,
	    "generated")))
		return 0;
	if (!streq(mapt(d, S(ca, "type")), S(cb, "type")) ||
	    !streq(S(ca, "collation"), S(cb, "collation")))
		return da != NULL || db != NULL;
	return !streq(mapt(d, da), db) && !(json_is_object(json_object_get(ca,
	    "identity")) && json_is_object(ib));
}

/*
 * Whether a statement of the plan on column cn of tb (side B), or on a
 * table above it, is carried down into tb's children: then those
 * children have B's value of prop once it has run (restoreprop()).
 */
static int
carried(struct d *d, const json_t *tb, const char *cn, enum prop p,
    int depth)
{
	const json_t *ta, *ca, *cb;
	const char *from;

	if (tb == NULL)
		return 0;
	if (depth > INHERIT_DEPTH)
		zn_die(ZN_EXIT_DATAERR, "%s: tables inherit from each other "
		    "more than %d deep, or in a cycle", S(tb, "name"),
		    INHERIT_DEPTH);
	from = renamedfrom(d, "table", S(tb, "schema"), NULL, S(tb, "name"));
	ta = lookup(d, &d->a, "table", S(tb, "schema"), NULL, from != NULL ?
	    from : S(tb, "name"), NULL, NULL);
	if (ta == NULL || (cb = findcol(tb, cn)) == NULL ||
	    (ca = findcol(ta, cn)) == NULL)
		return 0;
	if (!B(ca, "inherited") && !B(cb, "inherited"))
		return propchange(d, ca, cb, p);
	if (!B(ca, "inherited") || !B(cb, "inherited"))
		return 0;
	return carried(d, parentof(d, &d->b, tb, cn), cn, p, depth + 1) ||
	    propdiffers(ca, cb, p);
}

static void altercolumn(struct d *, const json_t *, const json_t *,
    const json_t *, const json_t *);

/*
 * A column t inherits on both sides: what it has of its own (a default,
 * NOT NULL, a comment, statistics, options) compared with what it will
 * have once the statements on its parent's column have been carried
 * down, and changed after them.
 */
static void
inhcolumn(struct d *d, const json_t *ta, const json_t *t, const json_t *ca,
    const json_t *cb)
{
	static const char *const inherits[] = { "type", "collation",
	    "generated", "identity" };
	const char *cn = S(cb, "name");
	const json_t *pt = parentof(d, &d->b, t, cn);
	json_t *v;
	json_t *e = json_deep_copy(ca);
	size_t i, n0 = d->p->n;

	if (e == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	for (i = 0; i < sizeof(inherits) / sizeof(inherits[0]); i++) {
		v = json_object_get(cb, inherits[i]);
		if (json_object_set(e, inherits[i], v != NULL ? v :
		    json_null()) != 0)
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	}
	if (carried(d, pt, cn, PROP_DEFAULT, 0)) {
		v = json_object_get(cb, "default");
		if (json_object_set(e, "default", v != NULL ? v :
		    json_null()) != 0)
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	}
	if (carried(d, pt, cn, PROP_NOT_NULL, 0) &&
	    json_object_set(e, "not_null", json_boolean(B(cb, "not_null"))) !=
	    0)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	if (carried(d, pt, cn, PROP_STATISTICS, 0)) {
		v = json_object_get(cb, "statistics");
		if (json_object_set(e, "statistics", v != NULL ? v :
		    json_null()) != 0)
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	}
	altercolumn(d, ta, t, e, cb);
	json_decref(e);
	/* After the statements on the parent's column that PostgreSQL
	 * carries down, which would undo them. */
	for (i = n0; pt != NULL && i < d->p->n; i++)
		if (d->p->ops[i].kind == ZN_OP_ALTER_COLUMN_DEFAULT ||
		    d->p->ops[i].kind == ZN_OP_ALTER_COLUMN_NULLABLE ||
		    d->p->ops[i].kind == ZN_OP_ALTER_COLUMN_SETTINGS)
			need(&d->p->ops[i], fmt(d, "%s:%s.%s",
			    d->p->ops[i].kind == ZN_OP_ALTER_COLUMN_DEFAULT ?
			    "coldefault" : d->p->ops[i].kind ==
			    ZN_OP_ALTER_COLUMN_NULLABLE ? "colnn" : "colstats",
			    qn(d, S(pt, "schema"), S(pt, "name")), qi(d, cn)));
}

static void
altercolumn(struct d *d, const json_t *ta, const json_t *t,
    const json_t *ca, const json_t *c)
{
	const char *proof = NULL;
	const char *sc = S(t, "schema"), *nm = S(t, "name");
	const char *tq = qn(d, sc, nm), *cn = S(c, "name"), *cq = qi(d, cn);
	const char *alt = fmt(d, "ALTER TABLE %s ALTER COLUMN %s", tq, cq);
	const char *tgt = target(d, sc, nm, cn);
	const json_t *ga = json_object_get(ca, "generated");
	const json_t *gb = json_object_get(c, "generated");
	const json_t *ia = json_object_get(ca, "identity");
	const json_t *ib = json_object_get(c, "identity");
	const char *da = S(ca, "default"), *db = S(c, "default");
	int typechange, defchange;
	struct zn_op *op;

	if (!same(ga, gb))
		cannot(tgt, "the generation expression changes, or whether the "
		    "column is generated (PostgreSQL 15 cannot alter that: drop "
		    "the column and add it again with the new expression, and "
		    "the indexes and views that use it, in a migration file; "
		    "a generated column's values are computed again)");
	typechange = !streq(mapt(d, S(ca, "type")), S(c, "type")) ||
	    !streq(S(ca, "collation"), S(c, "collation"));
	defchange = !streq(mapt(d, da), db);
	if (typechange) {
		op = newop(d, ZN_OP_ALTER_COLUMN_TYPE, PH_ALTER_TYPE, tgt);
		args(op, sc, nm, cn);
		arg(op, "from_type", json_string(S(ca, "type")));
		arg(op, "to_type", json_string(S(c, "type")));
		arg(op, "from_collation", json_incref(json_object_get(ca,
		    "collation")));
		arg(op, "to_collation", json_incref(json_object_get(c,
		    "collation")));
		/*
		 * One statement, as PostgreSQL's manual writes it: the
		 * default goes before the type changes (it may not cast)
		 * and comes back after, in the same ALTER TABLE.
		 */
		sql(op, fmt(d, "%s%s%s TYPE %s%s%s%s%s%s%s", da != NULL ? alt :
		    "", da != NULL ? " DROP DEFAULT, ALTER COLUMN " : "ALTER "
		    "TABLE ", da != NULL ? cq : fmt(d, "%s ALTER COLUMN %s",
		    tq, cq), S(c, "type"), S(c, "collation") != NULL ?
		    " COLLATE " : "", S(c, "collation") != NULL ?
		    S(c, "collation") : "", using_(d, &d->b, cq,
		    mapt(d, S(ca, "type")), S(c, "type")), db != NULL ?
		    ", ALTER COLUMN " : "", db != NULL ? cq : "", db != NULL ?
		    fmt(d, " SET DEFAULT %s", db) : ""));
		rev(op, fmt(d, "%s%s%s TYPE %s%s%s%s%s%s%s", db != NULL ? alt :
		    "", db != NULL ? " DROP DEFAULT, ALTER COLUMN " : "ALTER "
		    "TABLE ", db != NULL ? cq : fmt(d, "%s ALTER COLUMN %s",
		    tq, cq), S(ca, "type"), S(ca, "collation") != NULL ?
		    " COLLATE " : "", S(ca, "collation") != NULL ?
		    S(ca, "collation") : "", using_(d, &d->a, cq, S(c, "type"),
		    S(ca, "type")), da != NULL ? ", ALTER COLUMN " : "",
		    da != NULL ? cq : "", da != NULL ? fmt(d, " SET DEFAULT %s",
		    da) : ""));
		needtypes(d, op, json_object_get(t, "columns"));
		/* After the views that read the table go, before they come. */
		need(op, fmt(d, "dropview-dep:%s", tq));
		provide(op, fmt(d, "col:%s.%s", tq, cq));
		provide(op, fmt(d, "coldefault:%s.%s", tq, cq));
		if (da != NULL || db != NULL)
			restoreboth(d, op, ta, ca, t, c, PROP_DEFAULT);
		json_object_set_new(d->changedcols, key3(d, sc, nm, cn),
		    json_true());
		json_object_set_new(d->changedcols, key3(d, S(ta, "schema"),
		    S(ta, "name"), S(ca, "name")), json_true());
	} else if (defchange && !(json_is_object(ia) &&
	    json_is_object(ib))) {
		/*
		 * Serial to identity or back, too: the default goes before
		 * the serial's sequence, which goes before the identity
		 * takes its name; or the identity goes, then its sequence,
		 * before the serial's is made under that name and used.
		 */
		const char *sa = ownedseq(d, &d->a, ta, S(ca, "name"));
		const char *sb = ownedseq(d, &d->b, t, cn);

		op = newop(d, ZN_OP_ALTER_COLUMN_DEFAULT, PH_ALTER_COLUMN, tgt);
		args(op, sc, nm, cn);
		arg(op, "default", json_incref(json_object_get(c, "default")));
		arg(op, "from_default", json_incref(json_object_get(ca,
		    "default")));
		sql(op, db != NULL ? fmt(d, "%s SET DEFAULT %s", alt, db) :
		    fmt(d, "%s DROP DEFAULT", alt));
		if (json_is_object(ia) && db != NULL)
			sql(op, setval_sql(d, tq, cn, sb));
		rev(op, da != NULL ? fmt(d, "%s SET DEFAULT %s", alt, da) :
		    fmt(d, "%s DROP DEFAULT", alt));
		if (json_is_object(ib) && da != NULL)
			rev(op, setval_sql(d, tq, cn, sa));
		provide(op, fmt(d, "nodefault:%s.%s", tq, cq));
		provide(op, fmt(d, "coldefault:%s.%s", tq, cq));
		restoreboth(d, op, ta, ca, t, c, PROP_DEFAULT);
		if (sa != NULL && da != NULL)
			provide(op, fmt(d, "seqfree:%s", sa));
		if (sb != NULL && db != NULL)
			need(op, fmt(d, "sequence:%s", sb));
		if (json_is_object(ia))
			need(op, fmt(d, "noidentity:%s.%s", tq, cq));
	}
	if (!same(ia, ib)) {
		op = newop(d, ZN_OP_ALTER_COLUMN_IDENTITY, PH_ALTER_COLUMN,
		    tgt);
		args(op, sc, nm, cn);
		arg(op, "identity", json_incref((json_t *)ib));
		alterid(d, op, op->sql, alt, ia, ib);
		if (json_is_object(ib) && !json_is_object(ia) && da != NULL)
			sql(op, setval_sql(d, tq, cn, NULL));
		alterid(d, op, op->reverse, alt, ib, ia);
		if (json_is_object(ia) && !json_is_object(ib) && db != NULL)
			rev(op, setval_sql(d, tq, cn, NULL));
		if (json_is_object(ib) && !json_is_object(ia)) {
			need(op, fmt(d, "nodefault:%s.%s", tq, cq));
			need(op, fmt(d, "goneseq:%s", qn(d,
			    S(ib, "sequence_schema"), S(ib, "sequence"))));
		}
		if (json_is_object(ia) && !json_is_object(ib)) {
			provide(op, fmt(d, "noidentity:%s.%s", tq, cq));
			provide(op, fmt(d, "goneseq:%s", qn(d,
			    S(ia, "sequence_schema"), S(ia, "sequence"))));
		}
	}
	if (B(ca, "not_null") && !B(c, "not_null")) {
		op = newop(d, ZN_OP_ALTER_COLUMN_NULLABLE, PH_ALTER_COLUMN,
		    tgt);
		args(op, sc, nm, cn);
		arg(op, "not_null", json_false());
		sql(op, fmt(d, "%s DROP NOT NULL", alt));
		rev(op, fmt(d, "%s SET NOT NULL", alt));
		provide(op, fmt(d, "colnn:%s.%s", tq, cq));
		restoreboth(d, op, ta, ca, t, c, PROP_NOT_NULL);
	} else if (!B(ca, "not_null") && B(c, "not_null") &&
	    !json_is_object(ib) && (proof = nnproof(d, ta, t, cq)) != NULL) {
		/* A valid CHECK that stays proves it already: no scan. */
		op = newop(d, ZN_OP_ALTER_COLUMN_NULLABLE, PH_SET_NOT_NULL,
		    tgt);
		args(op, sc, nm, cn);
		arg(op, "not_null", json_true());
		arg(op, "proven_by", json_string(proof));
		sql(op, fmt(d, "%s SET NOT NULL", alt));
		rev(op, fmt(d, "%s DROP NOT NULL", alt));
		provide(op, fmt(d, "colnn:%s.%s", tq, cq));
		restoreboth(d, op, ta, ca, t, c, PROP_NOT_NULL);
	} else if (!B(ca, "not_null") && B(c, "not_null") &&
	    !json_is_object(ib)) {
		/*
		 * SET NOT NULL scans under ACCESS EXCLUSIVE, unless a valid
		 * CHECK proves it (PostgreSQL 12 and later): add the check
		 * NOT VALID, validate it under SHARE UPDATE EXCLUSIVE, then
		 * set NOT NULL without a scan and drop the check.
		 */
		const char *ck = parked(d, "_zanith_nn_", cn, tgt);
		const char *ckq = qi(d, ck);

		op = newop(d, ZN_OP_ADD_CHECK, PH_NOT_NULL_CHECK,
		    target(d, sc, nm, ck));
		args(op, sc, nm, ck);
		arg(op, "column", json_string(cn));
		arg(op, "not_valid", json_true());
		arg(op, "purpose", json_string("not_null"));
		sql(op, fmt(d, "ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s IS "
		    "NOT NULL) NOT VALID", tq, ckq, cq));
		rev(op, fmt(d, "ALTER TABLE %s DROP CONSTRAINT %s", tq, ckq));
		provide(op, fmt(d, "nncheck:%s.%s", tq, ckq));
		/* In this order whatever the phases of what waits for them. */
		op = validateop(d, sc, nm, ck, 0);
		need(op, fmt(d, "nncheck:%s.%s", tq, ckq));
		provide(op, fmt(d, "nnvalid:%s.%s", tq, ckq));
		op = newop(d, ZN_OP_ALTER_COLUMN_NULLABLE, PH_SET_NOT_NULL,
		    tgt);
		need(op, fmt(d, "nnvalid:%s.%s", tq, ckq));
		args(op, sc, nm, cn);
		arg(op, "not_null", json_true());
		arg(op, "proven_by", json_string(ck));
		sql(op, fmt(d, "%s SET NOT NULL", alt));
		sql(op, fmt(d, "ALTER TABLE %s DROP CONSTRAINT %s", tq, ckq));
		rev(op, fmt(d, "ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s IS "
		    "NOT NULL) NOT VALID", tq, ckq, cq));
		rev(op, fmt(d, "%s DROP NOT NULL", alt));
		provide(op, fmt(d, "colnn:%s.%s", tq, cq));
		restoreboth(d, op, ta, ca, t, c, PROP_NOT_NULL);
	}
	if (!streq(S(ca, "comment"), S(c, "comment")))
		commentop(d, fmt(d, "COLUMN %s.%s", tq, cq), ca, c, tgt, sc,
		    nm, cn);
	if (d->privs && (!streq(S(ca, "statistics"), S(c, "statistics")) ||
	    !same(json_object_get(ca, "options"),
	    json_object_get(c, "options")))) {
		op = newop(d, ZN_OP_ALTER_COLUMN_SETTINGS, PH_ALTER_COLUMN,
		    tgt);
		args(op, sc, nm, cn);
		colsettings(d, op->sql, tq, cn, ca, c);
		colsettings(d, op->reverse, tq, cn, c, ca);
		/* SET STATISTICS is carried down; SET (options) is not. */
		if (!streq(S(ca, "statistics"), S(c, "statistics"))) {
			provide(op, fmt(d, "colstats:%s.%s", tq, cq));
			restoreboth(d, op, ta, ca, t, c, PROP_STATISTICS);
		}
	}
}

/* ---- constraints and indexes of a table on both sides ---- */

static const char *
mapcols(struct d *d, const char *schema, const char *table,
    const json_t *cols, int map)
{
	json_t *a = json_array();
	const json_t *c;
	const char *s;
	size_t i;

	json_array_foreach(cols, i, c)
		json_array_append_new(a, json_string(map ? newcolname(d,
		    schema, table, json_string_value(c)) :
		    json_string_value(c)));
	s = keep(d, zn_json_line(a));
	json_decref(a);
	return s;
}

/*
 * What makes two constraints or indexes the same apart from their name.
 * On the from side (map) the table and column names are taken through
 * the rename hints, so a renamed table keeps its foreign keys.
 */
static const char *
shape(struct d *d, enum ckind k, const json_t *t, const json_t *x, int map)
{
	const json_t *ref;
	const char *rs, *rt;

	switch (k) {
	case K_INDEX:
		return map ? mapt(d, indexshape(d, x)) : indexshape(d, x);
	case K_FK:
		ref = json_object_get(x, "references");
		rs = S(ref, "schema");
		rt = S(ref, "table");
		if (map)
			rt = newtablename(d, rs, rt);
		return fmt(d, "%s|%s.%s|%s|%s|%s|%s|%d|%d|%d",
		    mapcols(d, S(t, "schema"), S(t, "name"),
		    json_object_get(x, "columns"), map), rs, rt,
		    mapcols(d, rs, rt, json_object_get(ref, "columns"), map),
		    S(x, "match"), S(x, "on_delete"), S(x, "on_update"),
		    B(x, "deferrable"), B(x, "deferred"), B(x, "not_valid"));
	default:
		return map ? mapt(d, S(x, "definition")) : S(x, "definition");
	}
}

/* Valid and NOT VALID forms of a CHECK are the same check. */
static const char *
checkshape(struct d *d, const json_t *x)
{
	return fmt(d, "%s|%d", mapt(d, S(x, "expression")),
	    B(x, "no_inherit"));
}

static int
skipped(enum ckind k, const json_t *x)
{
	if (k == K_INDEX)
		return !json_is_null(json_object_get(x, "parent")) &&
		    json_object_get(x, "parent") != NULL;
	if (k == K_CHECK)
		return B(x, "inherited");
	return 0;
}

static void
rename_sub(struct d *d, enum ckind k, const char *sc, const char *tn,
    const char *from, const char *to)
{
	const char *tq = qn(d, sc, tn);
	struct zn_op *op;

	op = newop(d, k == K_INDEX ? ZN_OP_RENAME_INDEX :
	    ZN_OP_RENAME_CONSTRAINT, PH_RENAME, target(d, sc, tn, to));
	args(op, sc, tn, to);
	arg(op, "from", json_string(from));
	if (k == K_INDEX) {
		sql(op, fmt(d, "ALTER INDEX %s RENAME TO %s", qn(d, sc, from),
		    qi(d, to)));
		rev(op, fmt(d, "ALTER INDEX %s RENAME TO %s", qn(d, sc, to),
		    qi(d, from)));
	} else {
		sql(op, fmt(d, "ALTER TABLE %s RENAME CONSTRAINT %s TO %s", tq,
		    qi(d, from), qi(d, to)));
		rev(op, fmt(d, "ALTER TABLE %s RENAME CONSTRAINT %s TO %s",
		    tq, qi(d, to), qi(d, from)));
	}
}

static const char *
conkind(enum ckind k)
{
	switch (k) {
	case K_PK:
		return "primary_key";
	case K_UNIQUE:
		return "unique";
	case K_CHECK:
		return "check";
	case K_EXCL:
		return "exclusion";
	case K_FK:
		return "foreign_key";
	default:
		return "index";
	}
}

static void
dropsub(struct d *d, enum ckind k, const json_t *t, const json_t *x)
{
	const char *sc = S(t, "schema"), *tn = S(t, "name");
	const char *tq = qn(d, sc, tn), *nm = S(x, "name");
	static const enum zn_opkind dropkind[] = { ZN_OP_DROP_PRIMARY_KEY,
	    ZN_OP_DROP_UNIQUE, ZN_OP_DROP_CHECK, ZN_OP_DROP_EXCLUSION,
	    ZN_OP_DROP_FOREIGN_KEY, ZN_OP_DROP_INDEX };
	struct zn_op *op;
	int partitioned = S(t, "partition_key") != NULL;

	op = newop(d, dropkind[k], k == K_FK ? PH_DROP_FK : k == K_INDEX ?
	    PH_DROP_INDEX : PH_DROP_CONSTRAINT, target(d, sc, tn, nm));
	args(op, sc, tn, nm);
	if (k == K_INDEX) {
		op->transactional = partitioned;
		sql(op, fmt(d, "DROP INDEX %s%s", partitioned ? "" :
		    "CONCURRENTLY ", qn(d, sc, nm)));
		rev(op, indexdef(d, x, nm, !partitioned));
		if (S(x, "comment") != NULL)
			rev(op, comment_sql(d, fmt(d, "INDEX %s",
			    qn(d, sc, nm)), S(x, "comment")));
		idxstats(d, op->reverse, qn(d, sc, nm), NULL, x);
		provide(op, fmt(d, "dropindex:%s", qn(d, sc, nm)));
		indexopcs(d, op, OPC_DROPUSE, x);
		return;
	}
	if (k == K_EXCL)
		textopcs(d, op, OPC_DROPUSE, &d->a, S(x, "definition"));
	sql(op, fmt(d, "ALTER TABLE %s DROP CONSTRAINT %s", tq, qi(d, nm)));
	rev(op, fmt(d, "ALTER TABLE %s ADD %s", tq, constraint_item(d, x)));
	if (S(x, "comment") != NULL)
		rev(op, comment_sql(d, fmt(d, "CONSTRAINT %s ON %s",
		    qi(d, nm), tq), S(x, "comment")));
	if (k == K_PK || k == K_UNIQUE)
		provide(op, fmt(d, "dropkey:%s", tq));
	/* Foreign keys go before the keys they reference. */
	if (k == K_FK) {
		const json_t *ref = json_object_get(x, "references");

		/* For zn-classify: the referenced table is locked too. */
		arg(op, "references", json_string(qn(d, S(ref, "schema"),
		    S(ref, "table"))));
		provide(op, fmt(d, "dropfk:%s", qn(d, S(ref, "schema"),
		    S(ref, "table"))));
	} else if (k == K_PK || k == K_UNIQUE) {
		need(op, fmt(d, "dropfk:%s", tq));
		rekey(d, t, x);
	}
}

/* The same strings, in any order. */
static int
sameset(const json_t *x, const json_t *y)
{
	const json_t *v;
	size_t i;

	if (json_array_size(x) != json_array_size(y))
		return 0;
	json_array_foreach(x, i, v)
		if (!inlist(y, v))
			return 0;
	return 1;
}

/*
 * A primary key or unique constraint of t that is dropped while foreign
 * keys that stay the same reference its columns: they depend on its
 * index, so they are dropped before it and added again (NOT VALID, then
 * validated) once the key that replaces it is there.  Those that change
 * or go are dropped by their own diff.
 */
static void
rekey(struct d *d, const json_t *t, const json_t *x)
{
	const json_t *ta, *tb, *fa, *fb, *ref;
	size_t i, j, pos;

	for (i = 0; i < d->a.g->nrecs; i++) {
		if (!iskind(&d->a, i, "table"))
			continue;
		ta = rec(&d->a, i);
		json_array_foreach(json_object_get(ta, "foreign_keys"), j, fa) {
			ref = json_object_get(fa, "references");
			if (!streq(S(ref, "schema"), S(t, "schema")) ||
			    !streq(S(ref, "table"), S(t, "name")) ||
			    !sameset(json_object_get(ref, "columns"),
			    json_object_get(x, "columns")))
				continue;
			tb = lookup(d, &d->b, "table", S(ta, "schema"), NULL,
			    S(ta, "name"), NULL, &pos);
			fb = tb != NULL ? findnamed(json_object_get(tb,
			    "foreign_keys"), S(fa, "name")) : NULL;
			if (fb == NULL || !streq(S(fa, "definition"),
			    S(fb, "definition")))
				continue;
			if (json_object_get(d->rekeyed, key3(d, S(ta, "schema"),
			    S(ta, "name"), S(fa, "name"))) != NULL)
				continue;
			json_object_set_new(d->rekeyed, key3(d, S(ta, "schema"),
			    S(ta, "name"), S(fa, "name")), json_true());
			dropsub(d, K_FK, ta, fa);
			addfk(d, tb, fb, 1);
		}
	}
}

/*
 * An index of the old table that a new key can take over as it is:
 * unique, btree, on just its columns in order with default sorting,
 * the same INCLUDE and NULLS NOT DISTINCT, no predicate, and gone from
 * the new table's indexes.  Its name, or NULL.
 */
static const char *
adoptable(struct d *d, const json_t *tb, const json_t *x)
{
	const char *sc = S(tb, "schema"), *tn = S(tb, "name");
	const json_t *ta, *ix;
	size_t i, pos;
	struct zn_buf want = ZN_BUF_INIT;
	const char *w;

	ta = lookup(d, &d->a, "table", sc, NULL, tn, NULL, &pos);
	if (ta == NULL)
		return NULL;
	zn_buf_addf(&want, " USING btree (%s)", collist(d,
	    json_object_get(x, "columns")));
	if (json_array_size(json_object_get(x, "include")) > 0)
		zn_buf_addf(&want, " INCLUDE (%s)", collist(d,
		    json_object_get(x, "include")));
	if (B(x, "nulls_not_distinct"))
		zn_buf_adds(&want, " NULLS NOT DISTINCT");
	w = keep(d, zn_buf_detach(&want));
	json_array_foreach(json_object_get(ta, "indexes"), i, ix) {
		const char *def = S(ix, "definition"), *u;

		if (!B(ix, "unique") || !json_is_null(json_object_get(ix,
		    "where")) || (u = def != NULL ? strstr(def, " USING ") :
		    NULL) == NULL || !streq(u, w) ||
		    findnamed(json_object_get(tb, "indexes"), S(ix, "name"))
		    != NULL || json_object_get(d->adopted, fmt(d, "%s|%s",
		    qn(d, sc, tn), S(ix, "name"))) != NULL)
			continue;
		return S(ix, "name");
	}
	return NULL;
}

/* A unique index built concurrently, then made a constraint. */
static void
keyviaindex(struct d *d, enum ckind k, const json_t *t, const json_t *x)
{
	const char *sc = S(t, "schema"), *tn = S(t, "name");
	const char *tq = qn(d, sc, tn), *nm = S(x, "name"), *nq = qi(d, nm);
	struct zn_op *op;
	struct zn_buf b = ZN_BUF_INIT;
	const char *had = adoptable(d, t, x);

	/*
	 * A unique index that is there already becomes the key as it is:
	 * no second build, and uniqueness is enforced all along.  Undone
	 * by dropping the key, which takes the index, and building the
	 * index again.
	 */
	if (had != NULL) {
		const json_t *ta, *ix;
		size_t pos;

		json_object_set_new(d->adopted, fmt(d, "%s|%s", tq, had),
		    json_true());
		ta = lookup(d, &d->a, "table", sc, NULL, tn, NULL, &pos);
		ix = findnamed(json_object_get(ta, "indexes"), had);
		op = newop(d, k == K_PK ? ZN_OP_ADD_PRIMARY_KEY :
		    ZN_OP_ADD_UNIQUE, k == K_PK ? PH_KEY_USING_INDEX : PH_KEY,
		    target(d, sc, tn, nm));
		args(op, sc, tn, nm);
		arg(op, "columns", json_incref(json_object_get(x,
		    "columns")));
		arg(op, "using_index", json_string(had));
		sql(op, fmt(d, "ALTER TABLE %s ADD CONSTRAINT %s %s USING "
		    "INDEX %s%s", tq, nq, k == K_PK ? "PRIMARY KEY" :
		    "UNIQUE", qi(d, had), B(x, "deferrable") ? (B(x,
		    "deferred") ? " DEFERRABLE INITIALLY DEFERRED" :
		    " DEFERRABLE") : ""));
		if (S(x, "comment") != NULL)
			sql(op, comment_sql(d, fmt(d, "CONSTRAINT %s ON %s",
			    nq, tq), S(x, "comment")));
		rev(op, fmt(d, "ALTER TABLE %s DROP CONSTRAINT %s", tq, nq));
		rev(op, indexdef(d, ix, had, 0));
		if (S(ix, "comment") != NULL)
			rev(op, comment_sql(d, fmt(d, "INDEX %s", qn(d, sc,
			    had)), S(ix, "comment")));
		provide(op, fmt(d, "key:%s", tq));
		return;
	}

	zn_buf_addf(&b, "CREATE UNIQUE INDEX CONCURRENTLY %s ON %s (%s)", nq,
	    tq, collist(d, json_object_get(x, "columns")));
	if (json_array_size(json_object_get(x, "include")) > 0)
		zn_buf_addf(&b, " INCLUDE (%s)", collist(d,
		    json_object_get(x, "include")));
	if (B(x, "nulls_not_distinct"))
		zn_buf_adds(&b, " NULLS NOT DISTINCT");
	op = newop(d, ZN_OP_ADD_INDEX, PH_KEY_INDEX, target(d, sc, tn, nm));
	args(op, sc, tn, nm);
	arg(op, "unique", json_true());
	arg(op, "concurrently", json_true());
	arg(op, "for_constraint", json_string(conkind(k)));
	arg(op, "columns", json_incref(json_object_get(x, "columns")));
	op->transactional = 0;
	sql(op, keep(d, zn_buf_detach(&b)));
	rev(op, fmt(d, "DROP INDEX CONCURRENTLY IF EXISTS %s",
	    qn(d, sc, nm)));
	need(op, fmt(d, "dropindex:%s", qn(d, sc, nm)));
	provide(op, fmt(d, "keyindex:%s", qn(d, sc, nm)));
	/*
	 * A primary key made NOT NULL columns the long way (a helper check
	 * validated, then SET NOT NULL): it comes after them, or it scans
	 * the table for NULLs itself, under ACCESS EXCLUSIVE.  After its
	 * index, whatever the phase of what waits for the key.
	 */
	op = newop(d, k == K_PK ? ZN_OP_ADD_PRIMARY_KEY : ZN_OP_ADD_UNIQUE,
	    k == K_PK ? PH_KEY_USING_INDEX : PH_KEY, target(d, sc, tn, nm));
	args(op, sc, tn, nm);
	need(op, fmt(d, "keyindex:%s", qn(d, sc, nm)));
	if (k == K_PK) {
		const json_t *c;
		size_t j;

		json_array_foreach(json_object_get(x, "columns"), j, c)
			need(op, fmt(d, "colnn:%s.%s", tq,
			    qi(d, json_string_value(c))));
	}
	arg(op, "columns", json_incref(json_object_get(x, "columns")));
	arg(op, "using_index", json_string(nm));
	sql(op, fmt(d, "ALTER TABLE %s ADD CONSTRAINT %s %s USING INDEX %s%s",
	    tq, nq, k == K_PK ? "PRIMARY KEY" : "UNIQUE", nq,
	    B(x, "deferrable") ? (B(x, "deferred") ?
	    " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE") : ""));
	if (S(x, "comment") != NULL)
		sql(op, comment_sql(d, fmt(d, "CONSTRAINT %s ON %s", nq, tq),
		    S(x, "comment")));
	rev(op, fmt(d, "ALTER TABLE %s DROP CONSTRAINT %s", tq, nq));
	provide(op, fmt(d, "key:%s", tq));
}

/* Whether the old graph has table schema.name. */
static int
hadtable(struct d *d, const char *sc, const char *tn)
{
	size_t i;

	for (i = 0; i < d->a.g->nrecs; i++) {
		const json_t *r;

		if (!iskind(&d->a, i, "table"))
			continue;
		r = rec(&d->a, i);
		if (streq(S(r, "schema"), sc) && streq(S(r, "name"), tn))
			return 1;
	}
	return 0;
}

/*
 * A new index on a partitioned table that has rows the online way
 * (risk.md I4): the parent's ON ONLY (no build), each partition's built
 * CONCURRENTLY, then each attached, which makes the parent's valid.
 * Only when every partition is a plain table of the old graph with its
 * index in the new one; 0 otherwise, and nothing is planned.
 */
static int
partindex(struct d *d, const json_t *t, const json_t *x)
{
	const char *sc = S(t, "schema"), *tn = S(t, "name");
	const char *nm = S(x, "name"), *pq = qn(d, sc, nm);
	json_t *kids = json_array(), *kid;
	struct zn_op *op, *at;
	size_t i, j;

	if (kids == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	if (strstr(S(x, "definition"), " ON ONLY ") == NULL ||
	    !hadtable(d, sc, tn))
		goto no;
	for (i = 0; i < d->b.g->nrecs; i++) {
		const json_t *r, *po, *ix, *found = NULL;

		if (!iskind(&d->b, i, "table"))
			continue;
		r = rec(&d->b, i);
		po = json_object_get(r, "partition_of");
		if (!json_is_object(po) || !streq(S(po, "schema"), sc) ||
		    !streq(S(po, "name"), tn))
			continue;
		if (S(r, "partition_key") != NULL ||
		    !hadtable(d, S(r, "schema"), S(r, "name")))
			goto no;
		json_array_foreach(json_object_get(r, "indexes"), j, ix) {
			const json_t *pa = json_object_get(ix, "parent");

			if (json_is_object(pa) && streq(S(pa, "schema"), sc) &&
			    streq(S(pa, "name"), nm))
				found = ix;
		}
		if (found == NULL)
			goto no;
		json_array_append_new(kids, json_pack("{s:O, s:O}", "t", r,
		    "x", found));
	}
	if (json_array_size(kids) == 0)
		goto no;
	op = newop(d, ZN_OP_ADD_INDEX, PH_INDEX, target(d, sc, tn, nm));
	args(op, sc, tn, nm);
	arg(op, "unique", json_boolean(B(x, "unique")));
	arg(op, "method", json_string(S(x, "method")));
	arg(op, "concurrently", json_false());
	arg(op, "only", json_true());
	op->transactional = 1;
	sql(op, S(x, "definition"));
	rev(op, fmt(d, "DROP INDEX IF EXISTS %s", pq));
	need(op, fmt(d, "dropindex:%s", pq));
	provide(op, fmt(d, "onlyindex:%s", pq));
	indexopcs(d, op, OPC_NEED, x);
	at = newop(d, ZN_OP_ADD_INDEX, PH_INDEX_SWAP, target(d, sc, tn, nm));
	args(at, sc, tn, nm);
	arg(at, "attaches", json_true());
	at->transactional = 1;
	need(at, fmt(d, "onlyindex:%s", pq));
	json_array_foreach(kids, i, kid) {
		const json_t *kt = json_object_get(kid, "t");
		const json_t *kx = json_object_get(kid, "x");
		const char *ks = S(kt, "schema"), *kn = S(kx, "name");
		struct zn_op *b;

		b = newop(d, ZN_OP_ADD_INDEX, PH_INDEX, target(d, ks,
		    S(kt, "name"), kn));
		args(b, ks, S(kt, "name"), kn);
		arg(b, "unique", json_boolean(B(kx, "unique")));
		arg(b, "method", json_string(S(kx, "method")));
		arg(b, "concurrently", json_true());
		arg(b, "partition_of_index", json_string(pq));
		b->transactional = 0;
		sql(b, indexdef(d, kx, kn, 1));
		rev(b, fmt(d, "DROP INDEX CONCURRENTLY IF EXISTS %s",
		    qn(d, ks, kn)));
		need(b, fmt(d, "dropindex:%s", qn(d, ks, kn)));
		provide(b, fmt(d, "partindex:%s", qn(d, ks, kn)));
		indexopcs(d, b, OPC_NEED, kx);
		need(at, fmt(d, "partindex:%s", qn(d, ks, kn)));
		sql(at, fmt(d, "ALTER INDEX %s ATTACH PARTITION %s", pq,
		    qn(d, ks, kn)));
	}
	/*
	 * Undone by the parent's drop, which takes its partitions' (an
	 * attached index cannot be dropped alone); theirs and the parent's
	 * own reverses then find nothing.
	 */
	rev(at, fmt(d, "DROP INDEX %s", pq));
	json_decref(kids);
	return 1;
no:
	json_decref(kids);
	return 0;
}

static void
addsub(struct d *d, enum ckind k, const json_t *t, const json_t *x)
{
	const char *sc = S(t, "schema"), *tn = S(t, "name");
	const char *tq = qn(d, sc, tn), *nm = S(x, "name"), *nq = qi(d, nm);
	int partitioned = S(t, "partition_key") != NULL;
	struct zn_op *op;

	switch (k) {
	case K_FK:
		addfk(d, t, x, 1);
		return;
	case K_PK:
	case K_UNIQUE:
		if (!partitioned && !B(x, "deferrable") &&
		    !json_is_object(json_object_get(t, "partition_of"))) {
			keyviaindex(d, k, t, x);
			return;
		}
		op = newop(d, k == K_PK ? ZN_OP_ADD_PRIMARY_KEY :
		    ZN_OP_ADD_UNIQUE, PH_KEY, target(d, sc, tn, nm));
		args(op, sc, tn, nm);
		arg(op, "columns", json_incref(json_object_get(x,
		    "columns")));
		sql(op, fmt(d, "ALTER TABLE %s ADD %s", tq,
		    constraint_item(d, x)));
		provide(op, fmt(d, "key:%s", tq));
		break;
	case K_CHECK:
		op = newop(d, ZN_OP_ADD_CHECK, PH_CHECK, target(d, sc, tn, nm));
		args(op, sc, tn, nm);
		arg(op, "expression", json_string(S(x, "expression")));
		arg(op, "not_valid", json_true());
		sql(op, fmt(d, "ALTER TABLE %s ADD CONSTRAINT %s %s%s", tq, nq,
		    S(x, "definition"), B(x, "not_valid") ? "" :
		    " NOT VALID"));
		break;
	case K_EXCL:
		op = newop(d, ZN_OP_ADD_EXCLUSION, PH_EXCLUSION,
		    target(d, sc, tn, nm));
		args(op, sc, tn, nm);
		sql(op, fmt(d, "ALTER TABLE %s ADD %s", tq,
		    constraint_item(d, x)));
		textopcs(d, op, OPC_NEED, &d->b, S(x, "definition"));
		break;
	default:
		if (partitioned && partindex(d, t, x))
			goto extras;
		op = newop(d, ZN_OP_ADD_INDEX, PH_INDEX, target(d, sc, tn, nm));
		args(op, sc, tn, nm);
		arg(op, "unique", json_boolean(B(x, "unique")));
		arg(op, "method", json_string(S(x, "method")));
		arg(op, "concurrently", json_boolean(!partitioned));
		op->transactional = partitioned;
		sql(op, indexdef(d, x, nm, !partitioned));
		rev(op, fmt(d, "DROP INDEX %s%s", partitioned ? "" :
		    "CONCURRENTLY IF EXISTS ", qn(d, sc, nm)));
		need(op, fmt(d, "dropindex:%s", qn(d, sc, nm)));
		indexopcs(d, op, OPC_NEED, x);
extras:
		if (S(x, "comment") != NULL) {
			op = newop(d, ZN_OP_SET_COMMENT, PH_INDEX_SWAP,
			    target(d, sc, tn, nm));
			args(op, sc, tn, nm);
			arg(op, "object", json_string("index"));
			sql(op, comment_sql(d, fmt(d, "INDEX %s",
			    qn(d, sc, nm)), S(x, "comment")));
		}
		if (json_array_size(json_object_get(x, "statistics")) > 0) {
			op = newop(d, ZN_OP_ALTER_COLUMN_SETTINGS,
			    PH_INDEX_SWAP, target(d, sc, tn, nm));
			args(op, sc, tn, nm);
			idxstats(d, op->sql, qn(d, sc, nm), NULL, x);
			idxstats(d, op->reverse, qn(d, sc, nm), x, NULL);
		}
		return;
	}
	if (S(x, "comment") != NULL)
		sql(op, comment_sql(d, fmt(d, "CONSTRAINT %s ON %s", nq, tq),
		    S(x, "comment")));
	rev(op, fmt(d, "ALTER TABLE %s DROP CONSTRAINT %s", tq, nq));
	if (k == K_CHECK && !B(x, "not_valid")) {
		validateop(d, sc, tn, nm, 0);
	}
}

/* An index whose definition changes, swapped in without a gap. */
static void
replaceindex(struct d *d, const json_t *t, const json_t *xa,
    const json_t *xb)
{
	const char *sc = S(t, "schema"), *tn = S(t, "name");
	const char *nm = S(xb, "name"), *tgt = target(d, sc, tn, nm);
	const char *tmp = parked(d, "_zanith_new_", nm, tgt);
	struct zn_op *op;

	if (S(t, "partition_key") != NULL) {
		dropsub(d, K_INDEX, t, xa);
		addsub(d, K_INDEX, t, xb);
		return;
	}
	op = newop(d, ZN_OP_ADD_INDEX, PH_INDEX, tgt);
	args(op, sc, tn, nm);
	arg(op, "unique", json_boolean(B(xb, "unique")));
	arg(op, "method", json_string(S(xb, "method")));
	arg(op, "concurrently", json_true());
	arg(op, "replaces", json_string(nm));
	arg(op, "built_as", json_string(tmp));
	op->transactional = 0;
	sql(op, indexdef(d, xb, tmp, 1));
	rev(op, fmt(d, "DROP INDEX CONCURRENTLY IF EXISTS %s",
	    qn(d, sc, tmp)));
	indexopcs(d, op, OPC_NEED, xb);
	op = newop(d, ZN_OP_DROP_INDEX, PH_INDEX_SWAP, tgt);
	args(op, sc, tn, nm);
	op->transactional = 0;
	sql(op, fmt(d, "DROP INDEX CONCURRENTLY %s", qn(d, sc, nm)));
	rev(op, indexdef(d, xa, nm, 1));
	indexopcs(d, op, OPC_DROPUSE, xa);
	idxstats(d, op->reverse, qn(d, sc, nm), NULL, xa);
	op = newop(d, ZN_OP_RENAME_INDEX, PH_INDEX_SWAP, tgt);
	args(op, sc, tn, nm);
	arg(op, "from", json_string(tmp));
	sql(op, fmt(d, "ALTER INDEX %s RENAME TO %s", qn(d, sc, tmp),
	    qi(d, nm)));
	if (S(xb, "comment") != NULL)
		sql(op, comment_sql(d, fmt(d, "INDEX %s", qn(d, sc, nm)),
		    S(xb, "comment")));
	idxstats(d, op->sql, qn(d, sc, nm), NULL, xb);
	rev(op, fmt(d, "ALTER INDEX %s RENAME TO %s", qn(d, sc, nm),
	    qi(d, tmp)));
}

/* Whether the table or any of its columns is renamed by the plan. */
static int
renamed(struct d *d, const json_t *ta, const json_t *tb)
{
	const json_t *c;
	size_t i;

	if (!streq(S(ta, "name"), S(tb, "name")))
		return 1;
	json_array_foreach(json_object_get(ta, "columns"), i, c)
		if (!streq(newcolname(d, S(tb, "schema"), S(tb, "name"),
		    S(c, "name")), S(c, "name")))
			return 1;
	return 0;
}

/*
 * Pairs the constraints (or indexes) of one kind: by rename hint, by
 * name, then by shape; renames what moved, replaces what changed.
 */
static void
subdiff(struct d *d, enum ckind k, const json_t *ta, const json_t *tb,
    const json_t *la, const json_t *lb)
{
	size_t na = json_array_size(la), nb = json_array_size(lb), i, j;
	const json_t **pa = zn_xcalloc(nb + 1, sizeof(*pa));
	unsigned char *used = zn_xcalloc(na + 1, 1);
	const char *sc = S(tb, "schema"), *tn = S(tb, "name");
	const json_t *xa, *xb;
	const char *from;

	/* By hint, then by name. */
	for (j = 0; j < nb; j++) {
		xb = json_array_get(lb, j);
		if (skipped(k, xb))
			continue;
		from = renamedfrom(d, k == K_INDEX ? "index" : "constraint",
		    sc, tn, S(xb, "name"));
		for (i = 0; i < na; i++) {
			xa = json_array_get(la, i);
			if (!used[i] && !skipped(k, xa) && streq(S(xa, "name"),
			    from != NULL ? from : S(xb, "name"))) {
				used[i] = 1;
				pa[j] = xa;
				break;
			}
		}
	}
	/* By shape: auto-named objects of a renamed table, truncation. */
	for (j = 0; j < nb; j++) {
		xb = json_array_get(lb, j);
		if (pa[j] != NULL || skipped(k, xb))
			continue;
		for (i = 0; i < na; i++) {
			xa = json_array_get(la, i);
			if (used[i] || skipped(k, xa))
				continue;
			if (streq(shape(d, k, ta, xa, 1),
			    shape(d, k, tb, xb, 0))) {
				used[i] = 1;
				pa[j] = xa;
				break;
			}
		}
	}
	for (i = 0; i < na; i++) {
		xa = json_array_get(la, i);
		/* Taken over by a key, with its name: not dropped. */
		if (k == K_INDEX && json_object_get(d->adopted, fmt(d,
		    "%s|%s", qn(d, S(tb, "schema"), S(tb, "name")),
		    S(xa, "name"))) != NULL)
			continue;
		if (!used[i] && !skipped(k, xa))
			dropsub(d, k, ta, xa);
	}
	for (j = 0; j < nb; j++) {
		xb = json_array_get(lb, j);
		if (skipped(k, xb))
			continue;
		xa = pa[j];
		if (xa == NULL) {
			addsub(d, k, tb, xb);
			continue;
		}
		if (k == K_CHECK && streq(checkshape(d, xa),
		    checkshape(d, xb)) && B(xa, "not_valid") &&
		    !B(xb, "not_valid")) {
			struct zn_op *op;

			if (!streq(S(xa, "name"), S(xb, "name")))
				rename_sub(d, k, sc, tn, S(xa, "name"),
				    S(xb, "name"));
			op = validateop(d, sc, tn, S(xb, "name"), 0);
			/* Undone by making it NOT VALID again. */
			rev(op, fmt(d, "ALTER TABLE %s DROP CONSTRAINT %s",
			    qn(d, sc, tn), qi(d, S(xb, "name"))));
			rev(op, fmt(d, "ALTER TABLE %s ADD CONSTRAINT %s %s%s",
			    qn(d, sc, tn), qi(d, S(xb, "name")),
			    S(xb, "definition"), " NOT VALID"));
		} else if (k == K_FK && streq(shape(d, k, ta, xa, 1),
		    fmt(d, "%.*s1", (int)strlen(shape(d, k, tb, xb, 0)) - 1,
		    shape(d, k, tb, xb, 0))) && !B(xb, "not_valid")) {
			/* A NOT VALID foreign key that becomes valid. */
			struct zn_op *op;

			if (!streq(S(xa, "name"), S(xb, "name")))
				rename_sub(d, k, sc, tn, S(xa, "name"),
				    S(xb, "name"));
			op = validateop(d, sc, tn, S(xb, "name"), 1);
			rev(op, fmt(d, "ALTER TABLE %s DROP CONSTRAINT %s",
			    qn(d, sc, tn), qi(d, S(xb, "name"))));
			rev(op, fk_sql(d, qn(d, sc, tn), xb, 1));
		} else if (!streq(shape(d, k, ta, xa, 1),
		    shape(d, k, tb, xb, 0))) {
			/*
			 * Dropped under its old names before any rename,
			 * created under the new ones after.  An index of a
			 * table nothing renames is swapped in without a gap.
			 */
			if (k == K_INDEX && streq(S(xa, "name"),
			    S(xb, "name")) && !renamed(d, ta, tb))
				replaceindex(d, tb, xa, xb);
			else {
				dropsub(d, k, ta, xa);
				addsub(d, k, tb, xb);
			}
			continue;
		} else if (!streq(S(xa, "name"), S(xb, "name")))
			rename_sub(d, k, sc, tn, S(xa, "name"), S(xb, "name"));
		commentop(d, k == K_INDEX ? fmt(d, "INDEX %s",
		    qn(d, sc, S(xb, "name"))) : fmt(d, "CONSTRAINT %s ON %s",
		    qi(d, S(xb, "name")), qn(d, sc, tn)), xa, xb,
		    target(d, sc, tn, S(xb, "name")), sc, tn, S(xb, "name"));
		if (k == K_INDEX && d->privs && !same(json_object_get(xa,
		    "statistics"), json_object_get(xb, "statistics"))) {
			struct zn_op *op = newop(d, ZN_OP_ALTER_COLUMN_SETTINGS,
			    PH_ALTER_COLUMN, target(d, sc, tn, S(xb, "name")));

			args(op, sc, tn, S(xb, "name"));
			idxstats(d, op->sql, qn(d, sc, S(xb, "name")), xa, xb);
			idxstats(d, op->reverse, qn(d, sc, S(xb, "name")), xb,
			    xa);
		}
	}
	free(pa);
	free(used);
}

static json_t *
one(const json_t *x)
{
	json_t *a = json_array();

	if (json_is_object(x))
		json_array_append(a, (json_t *)x);
	return a;
}

static void
dropolicy(struct d *d, const json_t *ta, const json_t *xa)
{
	const char *sc = S(ta, "schema"), *tn = S(ta, "name");
	const char *tq = qn(d, sc, tn);
	struct zn_op *op;

	op = newop(d, ZN_OP_DROP_POLICY, PH_DROP_POLICY,
	    target(d, sc, tn, S(xa, "name")));
	args(op, sc, tn, S(xa, "name"));
	sql(op, fmt(d, "DROP POLICY %s ON %s", qi(d, S(xa, "name")), tq));
	rev(op, policy_sql(d, tq, xa));
	if (S(xa, "comment") != NULL)
		rev(op, comment_sql(d, fmt(d, "POLICY %s ON %s",
		    qi(d, S(xa, "name")), tq), S(xa, "comment")));
}

static void
policydiff(struct d *d, const json_t *ta, const json_t *tb, const json_t *la,
    const json_t *lb)
{
	const char *sc = S(tb, "schema"), *tn = S(tb, "name");
	const char *tq = qn(d, sc, tn);
	const json_t *xa, *xb;
	struct zn_op *op;
	size_t i;

	json_array_foreach(la, i, xa)
		if (findnamed(lb, S(xa, "name")) == NULL)
			dropolicy(d, ta, xa);
	json_array_foreach(lb, i, xb) {
		const char *pq = qi(d, S(xb, "name"));
		const char *what = fmt(d, "POLICY %s ON %s", pq, tq);

		xa = findnamed(la, S(xb, "name"));
		if (xa == NULL) {
			op = newop(d, ZN_OP_CREATE_POLICY, PH_POLICY,
			    target(d, sc, tn, S(xb, "name")));
			args(op, sc, tn, S(xb, "name"));
			arg(op, "command", json_string(S(xb, "command")));
			sql(op, policy_sql(d, tq, xb));
			if (S(xb, "comment") != NULL)
				sql(op, comment_sql(d, what, S(xb, "comment")));
			rev(op, fmt(d, "DROP POLICY %s ON %s", pq, tq));
			need(op, fmt(d, "rel:%s", tq));
			continue;
		}
		if (!same(json_object_get(xa, "command"),
		    json_object_get(xb, "command")) ||
		    B(xa, "permissive") != B(xb, "permissive") ||
		    !same(json_object_get(xa, "roles"),
		    json_object_get(xb, "roles")) ||
		    !same(json_object_get(xa, "using"),
		    json_object_get(xb, "using")) ||
		    !same(json_object_get(xa, "with_check"),
		    json_object_get(xb, "with_check"))) {
			/* Dropped before renames, created after. */
			dropolicy(d, ta, xa);
			op = newop(d, ZN_OP_CREATE_POLICY, PH_POLICY,
			    target(d, sc, tn, S(xb, "name")));
			args(op, sc, tn, S(xb, "name"));
			arg(op, "command", json_string(S(xb, "command")));
			sql(op, policy_sql(d, tq, xb));
			if (S(xb, "comment") != NULL)
				sql(op, comment_sql(d, what, S(xb, "comment")));
			rev(op, fmt(d, "DROP POLICY %s ON %s", pq, tq));
			continue;
		}
		commentop(d, what, xa, xb, target(d, sc, tn, S(xb, "name")),
		    sc, tn, S(xb, "name"));
	}
}

static void
tableprops(struct d *d, const json_t *a, const json_t *b)
{
	const char *sc = S(b, "schema"), *tn = S(b, "name");
	const char *tq = qn(d, sc, tn), *tgt = target(d, sc, tn, NULL);
	const char *alter = fmt(d, "ALTER TABLE %s", tq);
	const json_t *ra = json_object_get(a, "rls");
	const json_t *rb = json_object_get(b, "rls");
	const json_t *x, *pa, *pb;
	struct zn_op *op;
	size_t i;

	pa = json_object_get(a, "partition_of");
	pb = json_object_get(b, "partition_of");
	if (json_is_object(pa) && json_is_object(pb) &&
	    streq(S(pa, "schema"), S(pb, "schema")) &&
	    streq(S(pa, "name"), S(pb, "name")) &&
	    !streq(S(pa, "bound"), S(pb, "bound"))) {
		/*
		 * New bounds: detached and attached again, in one
		 * transaction; ATTACH checks the rows against them.
		 */
		const char *pq = qn(d, S(pb, "schema"), S(pb, "name"));

		op = newop(d, ZN_OP_ALTER_PARTITION_BOUND, PH_ALTER_TABLE,
		    tgt);
		args(op, sc, NULL, tn);
		arg(op, "from_bound", json_string(S(pa, "bound")));
		arg(op, "to_bound", json_string(S(pb, "bound")));
		sql(op, fmt(d, "ALTER TABLE %s DETACH PARTITION %s", pq, tq));
		sql(op, fmt(d, "ALTER TABLE %s ATTACH PARTITION %s %s", pq, tq,
		    S(pb, "bound")));
		rev(op, fmt(d, "ALTER TABLE %s DETACH PARTITION %s", pq, tq));
		rev(op, fmt(d, "ALTER TABLE %s ATTACH PARTITION %s %s", pq, tq,
		    S(pa, "bound")));
	} else if (!same(pa, pb))
		cannot(tgt, "the table's partition parent changes, or it "
		    "becomes or stops being a partition (detach it, or attach "
		    "it to its new parent, with ALTER TABLE ... DETACH "
		    "PARTITION and ATTACH PARTITION ... FOR VALUES in a "
		    "migration file; the columns must then match the parent's)");
	if (!streq(S(a, "partition_key"), S(b, "partition_key")))
		cannot(tgt, "the partition key changes (PostgreSQL cannot "
		    "alter it: create a new partitioned table, move the rows "
		    "and partitions to it, then rename it)");
	if (!streq(S(a, "access_method"), S(b, "access_method")))
		cannot(tgt, "the table access method changes");
	if (!streq(S(a, "persistence"), S(b, "persistence"))) {
		int logged = streq(S(b, "persistence"), "permanent");

		op = newop(d, ZN_OP_ALTER_TABLE_PERSISTENCE, PH_ALTER_TABLE,
		    tgt);
		args(op, sc, tn, NULL);
		arg(op, "persistence", json_string(S(b, "persistence")));
		sql(op, fmt(d, "%s SET %s", alter, logged ? "LOGGED" :
		    "UNLOGGED"));
		rev(op, fmt(d, "%s SET %s", alter, logged ? "UNLOGGED" :
		    "LOGGED"));
	}
	if (!same(json_object_get(a, "options"), json_object_get(b,
	    "options"))) {
		op = newop(d, ZN_OP_ALTER_TABLE_OPTIONS, PH_ALTER_TABLE, tgt);
		args(op, sc, tn, NULL);
		arg(op, "options", json_incref(json_object_get(b, "options")));
		reloptions(d, op, alter, json_object_get(a, "options"),
		    json_object_get(b, "options"));
	}
	if (!streq(S(a, "replica_identity"), S(b, "replica_identity"))) {
		if (streq(S(b, "replica_identity"), "index") ||
		    streq(S(a, "replica_identity"), "index"))
			cannot(tgt, "the replica identity index changes");
		op = newop(d, ZN_OP_ALTER_REPLICA_IDENTITY, PH_ALTER_TABLE,
		    tgt);
		args(op, sc, tn, NULL);
		sql(op, fmt(d, "%s REPLICA IDENTITY %s", alter,
		    replident_sql(S(b, "replica_identity"))));
		rev(op, fmt(d, "%s REPLICA IDENTITY %s", alter,
		    replident_sql(S(a, "replica_identity"))));
	}
	json_array_foreach(json_object_get(a, "inherits"), i, x)
		if (!inlist(json_object_get(b, "inherits"), x)) {
			op = newop(d, ZN_OP_ALTER_TABLE_INHERIT, PH_ALTER_TABLE,
			    tgt);
			args(op, sc, tn, NULL);
			sql(op, fmt(d, "%s NO INHERIT %s", alter,
			    qn(d, S(x, "schema"), S(x, "name"))));
			rev(op, fmt(d, "%s INHERIT %s", alter,
			    qn(d, S(x, "schema"), S(x, "name"))));
		}
	json_array_foreach(json_object_get(b, "inherits"), i, x)
		if (!inlist(json_object_get(a, "inherits"), x)) {
			op = newop(d, ZN_OP_ALTER_TABLE_INHERIT, PH_ALTER_TABLE,
			    tgt);
			args(op, sc, tn, NULL);
			sql(op, fmt(d, "%s INHERIT %s", alter,
			    qn(d, S(x, "schema"), S(x, "name"))));
			rev(op, fmt(d, "%s NO INHERIT %s", alter,
			    qn(d, S(x, "schema"), S(x, "name"))));
			need(op, fmt(d, "rel:%s", qn(d, S(x, "schema"),
			    S(x, "name"))));
		}
	if (B(ra, "enabled") != B(rb, "enabled")) {
		if (!B(rb, "enabled"))
			alter = fmt(d, "ALTER TABLE %s", qn(d, sc, S(a, "name")));
		op = newop(d, B(rb, "enabled") ? ZN_OP_ENABLE_RLS :
		    ZN_OP_DISABLE_RLS, B(rb, "enabled") ? PH_ENABLE_RLS :
		    PH_DISABLE_RLS, tgt);
		args(op, sc, tn, NULL);
		sql(op, fmt(d, "%s %s ROW LEVEL SECURITY", alter,
		    B(rb, "enabled") ? "ENABLE" : "DISABLE"));
		rev(op, fmt(d, "%s %s ROW LEVEL SECURITY", alter,
		    B(rb, "enabled") ? "DISABLE" : "ENABLE"));
	}
	if (B(ra, "forced") != B(rb, "forced")) {
		alter = fmt(d, "ALTER TABLE %s", qn(d, sc, B(rb, "forced") ?
		    tn : S(a, "name")));
		op = newop(d, B(rb, "forced") ? ZN_OP_ENABLE_RLS :
		    ZN_OP_DISABLE_RLS, B(rb, "forced") ? PH_ENABLE_RLS :
		    PH_DISABLE_RLS, tgt);
		args(op, sc, tn, NULL);
		arg(op, "force", json_true());
		sql(op, fmt(d, "%s %sFORCE ROW LEVEL SECURITY", alter,
		    B(rb, "forced") ? "" : "NO "));
		rev(op, fmt(d, "%s %sFORCE ROW LEVEL SECURITY", alter,
		    B(rb, "forced") ? "NO " : ""));
	}
	commentop(d, fmt(d, "TABLE %s", tq), a, b, tgt, sc, tn, NULL);
}

static void
tablediff(struct d *d, const json_t *a, const json_t *b)
{
	const char *sc = S(b, "schema"), *tn = S(b, "name");
	const json_t *ca, *cb;
	struct zn_op *op;
	size_t i, last = 0;

	if (!streq(S(a, "name"), tn)) {
		op = newop(d, ZN_OP_RENAME_TABLE, PH_RENAME,
		    target(d, sc, tn, NULL));
		args(op, sc, tn, NULL);
		arg(op, "from", json_string(S(a, "name")));
		sql(op, fmt(d, "ALTER TABLE %s RENAME TO %s",
		    qn(d, sc, S(a, "name")), qi(d, tn)));
		rev(op, fmt(d, "ALTER TABLE %s RENAME TO %s", qn(d, sc, tn),
		    qi(d, S(a, "name"))));
	}
	tableprops(d, a, b);
	/* Columns: renames, changes, additions; then what went away. */
	json_array_foreach(json_object_get(b, "columns"), i, cb) {
		const char *from;
		size_t k;

		if (B(cb, "inherited")) {
			ca = findcol(a, S(cb, "name"));
			if (ca != NULL && B(ca, "inherited"))
				inhcolumn(d, a, b, ca, cb);
			continue;
		}
		from = renamedfrom(d, "column", sc, tn, S(cb, "name"));
		ca = NULL;
		if (from != NULL && findcol(b, from) == NULL)
			ca = findcol(a, from);
		if (ca == NULL)
			ca = findcol(a, S(cb, "name"));
		if (ca == NULL) {
			addcolumn(d, b, cb);
			continue;
		}
		/* Column order: PostgreSQL only appends. */
		for (k = 0; k < json_array_size(json_object_get(a,
		    "columns")); k++)
			if (json_array_get(json_object_get(a, "columns"), k) ==
			    ca)
				break;
		if (k < last)
			zn_warn("%s: column '%s' comes before '%s' in the new "
			    "schema but after it in the old; PostgreSQL "
			    "cannot reorder columns, so the order is kept",
			    target(d, sc, tn, NULL), S(cb, "name"),
			    S(json_array_get(json_object_get(a, "columns"),
			    last), "name"));
		else
			last = k;
		if (!streq(S(ca, "name"), S(cb, "name"))) {
			op = newop(d, ZN_OP_RENAME_COLUMN, PH_RENAME,
			    target(d, sc, tn, S(cb, "name")));
			args(op, sc, tn, S(cb, "name"));
			arg(op, "from", json_string(S(ca, "name")));
			sql(op, fmt(d, "ALTER TABLE %s RENAME COLUMN %s TO %s",
			    qn(d, sc, tn), qi(d, S(ca, "name")),
			    qi(d, S(cb, "name"))));
			rev(op, fmt(d, "ALTER TABLE %s RENAME COLUMN %s TO %s",
			    qn(d, sc, tn), qi(d, S(cb, "name")),
			    qi(d, S(ca, "name"))));
		}
		if (B(ca, "inherited"))
			continue;
		altercolumn(d, a, b, ca, cb);
	}
	json_array_foreach(json_object_get(a, "columns"), i, ca) {
		const char *to = newcolname(d, sc, tn, S(ca, "name"));

		if (B(ca, "inherited") || findcol(b, to) != NULL)
			continue;
		dropcolumn(d, a, b, ca);
	}
	{
		json_t *pa = one(json_object_get(a, "primary_key"));
		json_t *pb = one(json_object_get(b, "primary_key"));

		subdiff(d, K_PK, a, b, pa, pb);
		json_decref(pa);
		json_decref(pb);
	}
	subdiff(d, K_UNIQUE, a, b, json_object_get(a, "uniques"),
	    json_object_get(b, "uniques"));
	subdiff(d, K_CHECK, a, b, json_object_get(a, "checks"),
	    json_object_get(b, "checks"));
	subdiff(d, K_EXCL, a, b, json_object_get(a, "exclusions"),
	    json_object_get(b, "exclusions"));
	subdiff(d, K_FK, a, b, json_object_get(a, "foreign_keys"),
	    json_object_get(b, "foreign_keys"));
	subdiff(d, K_INDEX, a, b, json_object_get(a, "indexes"),
	    json_object_get(b, "indexes"));
	policydiff(d, a, b, json_object_get(a, "policies"),
	    json_object_get(b, "policies"));
	privop(d, fmt(d, "TABLE %s", qn(d, S(b, "schema"), S(b, "name"))),
	    a, b, target(d, S(b, "schema"), S(b, "name"), NULL),
	    S(b, "schema"), S(b, "name"), NULL);
}

/* ---- views ---- */

static const char *
viewbody(struct d *d, const json_t *v)
{
	const char *def = S(v, "definition");
	size_t n = strlen(def);

	while (n > 0 && (def[n - 1] == ';' || def[n - 1] == ' ' ||
	    def[n - 1] == '\n'))
		n--;
	return fmt(d, "%.*s", (int)n, def);
}

static int
ismat(const json_t *v)
{
	return streq(S(v, "kind"), "materialized_view");
}

static void
view_create_sql(struct d *d, json_t *out, const json_t *v)
{
	const char *sc = S(v, "schema"), *nm = S(v, "name");
	const char *q = qn(d, sc, nm), *word;
	const json_t *opts = json_object_get(v, "options"), *c, *x;
	int mat = ismat(v);
	size_t i;

	word = mat ? "MATERIALIZED VIEW" : "VIEW";
	addstr(out, fmt(d, "CREATE %s %s%s%s%s%s AS\n%s%s", word, q,
	    mat && S(v, "access_method") != NULL &&
	    !streq(S(v, "access_method"), "heap") ? " USING " : "",
	    mat && S(v, "access_method") != NULL &&
	    !streq(S(v, "access_method"), "heap") ?
	    qi(d, S(v, "access_method")) : "",
	    json_array_size(opts) > 0 ? " WITH (" : "",
	    json_array_size(opts) > 0 ? fmt(d, "%s)", optlist(d, opts, 1)) :
	    "", viewbody(d, v), mat ? (B(v, "populated") ? "\nWITH DATA" :
	    "\nWITH NO DATA") : ""));
	json_array_foreach(json_object_get(v, "indexes"), i, x)
		addstr(out, S(x, "definition"));
	if (S(v, "comment") != NULL)
		addstr(out, comment_sql(d, fmt(d, "%s %s", word, q),
		    S(v, "comment")));
	json_array_foreach(json_object_get(v, "columns"), i, c)
		if (S(c, "comment") != NULL)
			addstr(out, comment_sql(d, fmt(d, "COLUMN %s.%s", q,
			    qi(d, S(c, "name"))), S(c, "comment")));
	json_array_foreach(json_object_get(v, "indexes"), i, x) {
		if (S(x, "comment") != NULL)
			addstr(out, comment_sql(d, fmt(d, "INDEX %s",
			    qn(d, sc, S(x, "name"))), S(x, "comment")));
		idxstats(d, out, qn(d, sc, S(x, "name")), NULL, x);
	}
	/* GRANT ... ON TABLE serves views too; a recreated view keeps them. */
	privcreate(d, out, fmt(d, "TABLE %s", q), v);
}

static void
needdeps(struct d *d, struct zn_op *op, const json_t *v)
{
	const json_t *x;
	size_t i;

	const json_t *c;
	size_t j;

	json_array_foreach(json_object_get(v, "depends_on"), i, x) {
		need(op, fmt(d, "rel:%s", qn(d, S(x, "schema"),
		    S(x, "name"))));
		json_array_foreach(json_object_get(x, "columns"), j, c)
			need(op, fmt(d, "col:%s.%s", qn(d, S(x, "schema"),
			    S(x, "name")), qi(d, json_string_value(c))));
	}
}

static void
createview(struct d *d, const json_t *v)
{
	const char *q = qn(d, S(v, "schema"), S(v, "name"));
	struct zn_op *op;

	op = newop(d, ismat(v) ? ZN_OP_CREATE_MATERIALIZED_VIEW :
	    ZN_OP_CREATE_VIEW, PH_VIEW, target(d, S(v, "schema"), S(v, "name"),
	    NULL));
	args(op, S(v, "schema"), NULL, S(v, "name"));
	if (ismat(v))
		arg(op, "populated", json_boolean(B(v, "populated")));
	view_create_sql(d, op->sql, v);
	rev(op, fmt(d, "DROP %s %s", ismat(v) ? "MATERIALIZED VIEW" : "VIEW",
	    q));
	provide(op, fmt(d, "rel:%s", q));
	needdeps(d, op, v);
	need(op, fmt(d, "schema:%s", S(v, "schema")));
	need(op, fmt(d, "gone:rel:%s", q));
	relopcs(d, op, OPC_NEED, &d->b, v);
}

/* Dropped (for good or to be recreated): dependants first. */
static void
dropview(struct d *d, const json_t *v)
{
	const char *q = qn(d, S(v, "schema"), S(v, "name"));
	struct zn_op *op;
	const json_t *x;
	size_t i;

	op = newop(d, ismat(v) ? ZN_OP_DROP_MATERIALIZED_VIEW :
	    ZN_OP_DROP_VIEW, PH_DROP_VIEW, target(d, S(v, "schema"),
	    S(v, "name"), NULL));
	args(op, S(v, "schema"), NULL, S(v, "name"));
	sql(op, fmt(d, "DROP %s %s", ismat(v) ? "MATERIALIZED VIEW" : "VIEW",
	    q));
	view_create_sql(d, op->reverse, v);
	json_array_foreach(json_object_get(v, "depends_on"), i, x)
		provide(op, fmt(d, "dropview-dep:%s", qn(d, S(x, "schema"),
		    S(x, "name"))));
	need(op, fmt(d, "dropview-dep:%s", q));
	need(op, fmt(d, "dropuse:rel:%s", q));
	provide(op, fmt(d, "gone:rel:%s", q));
	relopcs(d, op, OPC_DROPUSE, &d->a, v);
}

/* Columns of b start with those of a, unchanged: OR REPLACE works. */
static int
replaceable(const json_t *a, const json_t *b)
{
	const json_t *ca = json_object_get(a, "columns");
	const json_t *cb = json_object_get(b, "columns");
	size_t i;

	if (json_array_size(cb) < json_array_size(ca))
		return 0;
	for (i = 0; i < json_array_size(ca); i++)
		if (!streq(S(json_array_get(ca, i), "name"),
		    S(json_array_get(cb, i), "name")) ||
		    !streq(S(json_array_get(ca, i), "type"),
		    S(json_array_get(cb, i), "type")))
			return 0;
	return 1;
}

static const char *
vkey(struct d *d, const char *schema, const char *name)
{
	return key3(d, schema, name, NULL);
}

/*
 * Does anything on side A use relation schema.name: a view that reads
 * it, a routine that uses its row type or reads it, a trigger on it?
 */
static int
used(struct d *d, const char *schema, const char *name)
{
	const json_t *x, *u;
	size_t i, j;

	for (i = 0; i < d->a.g->nrecs; i++) {
		const struct zn_grec *r = &d->a.g->recs[i];

		if (iskind(&d->a, i, "trigger")) {
			if (streq(r->schema, schema) && streq(r->table, name))
				return 1;
			continue;
		}
		if (!iskind(&d->a, i, "view") &&
		    !iskind(&d->a, i, "materialized_view") &&
		    !iskind(&d->a, i, "function") &&
		    !iskind(&d->a, i, "procedure") &&
		    !iskind(&d->a, i, "aggregate"))
			continue;
		x = rec(&d->a, i);
		json_array_foreach(json_object_get(x, "depends_on"), j, u)
			if (streq(S(u, "schema"), schema) &&
			    streq(S(u, "name"), name) &&
			    (S(u, "kind") == NULL ||
			    streq(S(u, "kind"), "relation")))
				return 1;
	}
	return 0;
}

/*
 * Which views of both sides must be dropped and created again: a
 * materialized view whose query changes, a view whose columns change
 * other than by appending, and any view that reads a column whose type
 * changes, a relation that goes away, or a view that is recreated.
 */
static void
recreateset(struct d *d)
{
	int changed = 1;
	size_t i, j, pos;

	while (changed) {
		changed = 0;
		for (i = 0; i < d->a.g->nrecs; i++) {
			const json_t *va, *vb, *x, *c;
			const char *k;
			int must = 0;

			if (!iskind(&d->a, i, "view") &&
			    !iskind(&d->a, i, "materialized_view"))
				continue;
			va = rec(&d->a, i);
			k = vkey(d, S(va, "schema"), S(va, "name"));
			if (json_object_get(d->recreate, k) != NULL)
				continue;
			vb = lookup(d, &d->b, S(va, "kind"), S(va, "schema"),
			    NULL, S(va, "name"), NULL, &pos);
			if (vb == NULL) {
				/* Dropped: dependants must go first. */
				json_object_set_new(d->recreate, k,
				    json_false());
				changed = 1;
				continue;
			}
			if (!streq(mapt(d, S(va, "definition")),
			    S(vb, "definition")) &&
			    (ismat(va) || !replaceable(va, vb)))
				must = 1;
			/*
			 * The same query with other column types: what it
			 * calls (a function's or aggregate's result) changes.
			 * A call of such a routine anywhere in the query
			 * stops its DROP: made again around it as well.
			 */
			if (!must && !replaceable(va, vb))
				must = 1;
			if (!must && json_object_size(d->retyped) > 0) {
				const char *rk;
				json_t *rv;

				json_object_foreach(d->retyped, rk, rv)
					if (strstr(S(va, "definition"), rk) !=
					    NULL)
						must = 1;
			}
			/*
			 * Columns appended go by CREATE OR REPLACE, but its
			 * reverse drops the view: with what uses it around.
			 */
			if (!must && json_array_size(json_object_get(vb,
			    "columns")) > json_array_size(json_object_get(va,
			    "columns")) && used(d, S(va, "schema"),
			    S(va, "name")))
				must = 1;
			json_array_foreach(json_object_get(va, "depends_on"),
			    j, x) {
				size_t m;
				const char *rk = vkey(d, S(x, "schema"),
				    S(x, "name"));

				if (json_object_get(d->recreate, rk) != NULL ||
				    json_object_get(d->gone, rk) != NULL)
					must = 1;
				/* Its text names what a rename changes. */
				if (!streq(newtablename(d, S(x, "schema"),
				    S(x, "name")), S(x, "name")))
					must = 1;
				json_array_foreach(json_object_get(x,
				    "columns"), m, c)
					if (!streq(newcolname(d, S(x, "schema"),
					    newtablename(d, S(x, "schema"),
					    S(x, "name")), json_string_value(c)),
					    json_string_value(c)))
						must = 1;
				json_array_foreach(json_object_get(x,
				    "columns"), m, c)
					if (json_object_get(d->changedcols,
					    key3(d, S(x, "schema"),
					    S(x, "name"), json_string_value(c)))
					    != NULL || json_object_get(d->gone,
					    key3(d, S(x, "schema"),
					    S(x, "name"), json_string_value(c)))
					    != NULL)
						must = 1;
			}
			if (must) {
				json_object_set_new(d->recreate, k,
				    json_true());
				changed = 1;
			}
		}
	}
}

static void
viewdiff(struct d *d, const json_t *a, const json_t *b)
{
	const json_t *v = b != NULL ? b : a;
	const char *sc = S(v, "schema"), *nm = S(v, "name");
	const char *q = qn(d, sc, nm), *tgt = target(d, sc, nm, NULL);
	const char *word = ismat(v) ? "MATERIALIZED VIEW" : "VIEW";
	struct zn_op *op;
	size_t i;
	const json_t *c, *cb;

	if (a == NULL) {
		createview(d, b);
		return;
	}
	if (b == NULL) {
		dropview(d, a);
		return;
	}
	if (json_is_true(json_object_get(d->recreate, vkey(d, sc, nm)))) {
		dropview(d, a);
		createview(d, b);
		return;
	}
	if (!streq(mapt(d, S(a, "definition")), S(b, "definition"))) {
		op = newop(d, ZN_OP_REPLACE_VIEW, PH_VIEW, tgt);
		args(op, sc, NULL, nm);
		sql(op, fmt(d, "CREATE OR REPLACE VIEW %s AS\n%s", q,
		    viewbody(d, b)));
		/* The old query, with the new columns dropped from it. */
		if (json_array_size(json_object_get(a, "columns")) ==
		    json_array_size(json_object_get(b, "columns")))
			rev(op, fmt(d, "CREATE OR REPLACE VIEW %s AS\n%s", q,
			    viewbody(d, a)));
		else {
			rev(op, fmt(d, "DROP VIEW %s", q));
			view_create_sql(d, op->reverse, a);
		}
		provide(op, fmt(d, "rel:%s", q));
		needdeps(d, op, b);
	}
	if (!same(json_object_get(a, "options"), json_object_get(b,
	    "options"))) {
		op = newop(d, ZN_OP_ALTER_VIEW_OPTIONS, PH_VIEW, tgt);
		args(op, sc, NULL, nm);
		reloptions(d, op, fmt(d, "ALTER %s %s", word, q),
		    json_object_get(a, "options"), json_object_get(b,
		    "options"));
	}
	if (ismat(v) && B(a, "populated") != B(b, "populated")) {
		op = newop(d, ZN_OP_REFRESH_MATERIALIZED_VIEW, PH_VIEW, tgt);
		args(op, sc, NULL, nm);
		sql(op, fmt(d, "REFRESH MATERIALIZED VIEW %s%s", q,
		    B(b, "populated") ? "" : " WITH NO DATA"));
		rev(op, fmt(d, "REFRESH MATERIALIZED VIEW %s%s", q,
		    B(a, "populated") ? "" : " WITH NO DATA"));
	}
	if (ismat(v)) {
		json_t *fake_a = json_pack("{s:s, s:s}", "schema", sc,
		    "name", nm);
		json_t *fake_b = json_pack("{s:s, s:s}", "schema", sc,
		    "name", nm);

		subdiff(d, K_INDEX, fake_a, fake_b,
		    json_object_get(a, "indexes"),
		    json_object_get(b, "indexes"));
		json_decref(fake_a);
		json_decref(fake_b);
	}
	privop(d, fmt(d, "TABLE %s", q), a, b, tgt, sc, NULL, nm);
	commentop(d, fmt(d, "%s %s", word, q), a, b, tgt, sc, NULL, nm);
	json_array_foreach(json_object_get(b, "columns"), i, cb) {
		c = findcol(a, S(cb, "name"));
		if (c == NULL && S(cb, "comment") == NULL)
			continue;
		if (c == NULL) {
			op = newop(d, ZN_OP_SET_COMMENT, PH_VIEW, tgt);
			args(op, sc, NULL, nm);
			sql(op, comment_sql(d, fmt(d, "COLUMN %s.%s", q,
			    qi(d, S(cb, "name"))), S(cb, "comment")));
			rev(op, comment_sql(d, fmt(d, "COLUMN %s.%s", q,
			    qi(d, S(cb, "name"))), NULL));
			continue;
		}
		commentop(d, fmt(d, "COLUMN %s.%s", q, qi(d, S(cb, "name"))),
		    c, cb, target(d, sc, nm, S(cb, "name")), sc, nm,
		    S(cb, "name"));
	}
}

/* ---- functions, procedures, triggers ---- */

/*
 * What a routine uses (its depends_on): created before it, dropped after
 * it.  A relation's key is rel:, a type's type: (as tables and enums
 * provide them), another routine's func:.
 */
static const char *
usekey(struct d *d, const json_t *x)
{
	const char *q = qn(d, S(x, "schema"), S(x, "name"));

	if (streq(S(x, "kind"), "function"))
		return fmt(d, "func:%s(%s)", q, S(x, "arguments") != NULL ?
		    S(x, "arguments") : "");
	if (streq(S(x, "kind"), "type"))
		return fmt(d, "type:%s", q);
	if (streq(S(x, "kind"), "operator"))
		return oprkey(d, x);
	if (streq(S(x, "kind"), "operator_family"))
		return opfkey(d, x);
	return fmt(d, "rel:%s", q);
}

static void
routineuses(struct d *d, struct zn_op *op, const json_t *f, int drop)
{
	const json_t *x;
	size_t i;

	const json_t *c;
	size_t j;

	json_array_foreach(json_object_get(f, "depends_on"), i, x) {
		const char *q = qn(d, S(x, "schema"), S(x, "name"));

		if (drop)
			provide(op, fmt(d, "dropuse:%s", usekey(d, x)));
		else
			need(op, usekey(d, x));
		if (json_array_size(json_object_get(x, "columns")) == 0)
			continue;
		/*
		 * A body that reads columns: gone before their types change,
		 * as the views that read them, and made after.
		 */
		if (drop)
			provide(op, fmt(d, "dropview-dep:%s", q));
		else
			json_array_foreach(json_object_get(x, "columns"), j, c)
				need(op, fmt(d, "col:%s.%s", q,
				    qi(d, json_string_value(c))));
	}
}

static const char *
funckey(struct d *d, const json_t *f)
{
	return fmt(d, "func:%s(%s)", qn(d, S(f, "schema"), S(f, "name")),
	    S(f, "arguments"));
}

static const char *
routine(struct d *d, const json_t *f)
{
	return fmt(d, "%s %s(%s)", streq(S(f, "kind"), "procedure") ?
	    "PROCEDURE" : "FUNCTION", qn(d, S(f, "schema"), S(f, "name")),
	    S(f, "arguments"));
}

static void
routine_create(struct d *d, json_t *out, const json_t *f)
{
	/* Bodies are checked when called, as pg_dump restores them. */
	addstr(out, "SET LOCAL check_function_bodies = off");
	addstr(out, S(f, "definition"));
	if (S(f, "comment") != NULL)
		addstr(out, comment_sql(d, routine(d, f), S(f, "comment")));
	privcreate(d, out, routine(d, f), f);
}

/* The kind of relation schema.name is on side s, or NULL. */
static const char *
relkind(struct d *d, struct side *s, const char *schema, const char *name)
{
	static const char *const kinds[] = { "table", "view",
	    "materialized_view" };
	size_t k, pos;

	for (k = 0; k < 3; k++)
		if (lookup(d, s, kinds[k], schema, NULL, name, NULL, &pos) !=
		    NULL)
			return kinds[k];
	return NULL;
}

/*
 * A routine that uses a view's row type, or a trigger on a view, that is
 * dropped and created again around it: DROP VIEW refuses the first and
 * silently takes the second.
 */
static int
aroundview(struct d *d, const json_t *x)
{
	const json_t *u;
	size_t i;

	if (streq(S(x, "kind"), "trigger") || streq(S(x, "kind"), "rule"))
		return json_is_true(json_object_get(d->recreate,
		    vkey(d, S(x, "schema"), S(x, "table"))));
	json_array_foreach(json_object_get(x, "depends_on"), i, u) {
		const json_t *c;
		size_t j;

		if (!streq(S(u, "kind"), "relation"))
			continue;
		if (json_is_true(json_object_get(d->recreate,
		    vkey(d, S(u, "schema"), S(u, "name")))))
			return 1;
		/* A table that becomes a view of the same name, or back. */
		if (!streq(relkind(d, &d->a, S(u, "schema"), S(u, "name")),
		    relkind(d, &d->b, S(u, "schema"), S(u, "name"))))
			return 1;
		/* A column it reads changes type (BEGIN ATOMIC bodies). */
		json_array_foreach(json_object_get(u, "columns"), j, c)
			if (json_object_get(d->changedcols, key3(d,
			    S(u, "schema"), S(u, "name"),
			    json_string_value(c))) != NULL)
				return 1;
	}
	return 0;
}

static void
routinediff(struct d *d, const json_t *a, const json_t *b)
{
	const json_t *f = b != NULL ? b : a;
	const char *tgt = fmt(d, "%s.%s(%s)", S(f, "schema"), S(f, "name"),
	    S(f, "arguments"));
	int proc = streq(S(f, "kind"), "procedure");
	struct zn_op *op;

	if (a != NULL && b != NULL && aroundview(d, a)) {
		d->noparking = 1;
		routinediff(d, a, NULL);
		d->noparking = 0;
		routinediff(d, NULL, b);
		return;
	}
	if (a == NULL) {
		op = newop(d, proc ? ZN_OP_CREATE_PROCEDURE :
		    ZN_OP_CREATE_FUNCTION, PH_FUNCTION, tgt);
		args(op, S(f, "schema"), NULL, S(f, "name"));
		arg(op, "arguments", json_string(S(f, "arguments")));
		routine_create(d, op->sql, b);
		rev(op, fmt(d, "DROP %s", routine(d, b)));
		need(op, fmt(d, "schema:%s", S(f, "schema")));
		provide(op, funckey(d, b));
		routineuses(d, op, b, 0);
		/*
		 * After the drop of a routine of the same name: the same
		 * types under new parameter names are a new record, and
		 * CREATE OR REPLACE refuses to rename a parameter.
		 */
		if (S(f, "argument_types") != NULL)
			need(op, fmt(d, "goneroutine:%s(%s)", qn(d,
			    S(f, "schema"), S(f, "name")),
			    S(f, "argument_types")));
		return;
	}
	if (b == NULL && !d->noparking && parkeduses(d, fmt(d, "%s(",
	    qn(d, S(f, "schema"), S(f, "name"))))) {
		parkop(d, ZN_OP_SOFT_DROP_FUNCTION, proc ? "PROCEDURE" :
		    "FUNCTION", fmt(d, "%s(%s)", qn(d, S(f, "schema"),
		    S(f, "name")),
		    S(f, "arguments")), S(f, "schema"), S(f, "name"), tgt,
		    fmt(d, "(%s)", S(f, "arguments")));
		return;
	}
	if (b == NULL) {
		op = newop(d, proc ? ZN_OP_DROP_PROCEDURE : ZN_OP_DROP_FUNCTION,
		    PH_DROP_ROUTINE, tgt);
		args(op, S(f, "schema"), NULL, S(f, "name"));
		arg(op, "arguments", json_string(S(f, "arguments")));
		sql(op, fmt(d, "DROP %s", routine(d, a)));
		routine_create(d, op->reverse, a);
		routineuses(d, op, a, 1);
		need(op, fmt(d, "dropuse:%s", funckey(d, a)));
		if (S(f, "argument_types") != NULL)
			provide(op, fmt(d, "goneroutine:%s(%s)", qn(d,
			    S(f, "schema"), S(f, "name")),
			    S(f, "argument_types")));
		return;
	}
	if (!streq(mapt(d, S(a, "definition")), S(b, "definition"))) {
		op = newop(d, proc ? ZN_OP_REPLACE_PROCEDURE :
		    ZN_OP_REPLACE_FUNCTION, PH_FUNCTION, tgt);
		args(op, S(f, "schema"), NULL, S(f, "name"));
		arg(op, "arguments", json_string(S(f, "arguments")));
		if (!streq(S(a, "result"), S(b, "result"))) {
			sql(op, fmt(d, "DROP %s", routine(d, a)));
			rev(op, fmt(d, "DROP %s", routine(d, b)));
		}
		provide(op, funckey(d, b));
		routineuses(d, op, b, 0);
		sql(op, "SET LOCAL check_function_bodies = off");
		sql(op, S(b, "definition"));
		rev(op, "SET LOCAL check_function_bodies = off");
		rev(op, S(a, "definition"));
		if (!streq(S(a, "result"), S(b, "result"))) {
			if (S(b, "comment") != NULL)
				sql(op, comment_sql(d, routine(d, b),
				    S(b, "comment")));
			if (S(a, "comment") != NULL)
				rev(op, comment_sql(d, routine(d, a),
				    S(a, "comment")));
			privcreate(d, op->sql, routine(d, b), b);
			privcreate(d, op->reverse, routine(d, a), a);
			return;
		}
	}
	privop(d, routine(d, b), a, b, tgt, S(f, "schema"), NULL,
	    S(f, "name"));
	commentop(d, routine(d, b), a, b, tgt, S(f, "schema"), NULL,
	    S(f, "name"));
}

/* ---- aggregates ---- */

static void
aggregate_create(struct d *d, json_t *out, const json_t *f, int replace)
{
	const char *def = S(f, "definition");

	addstr(out, replace && strncmp(def, "CREATE AGGREGATE ", 17) == 0 ?
	    fmt(d, "CREATE OR REPLACE AGGREGATE %s", def + 17) : def);
	/* Replaced, it keeps its comment: commentop sees to that. */
	if (!replace && S(f, "comment") != NULL)
		addstr(out, comment_sql(d, fmt(d, "AGGREGATE %s(%s)",
		    qn(d, S(f, "schema"), S(f, "name")), S(f, "arguments")),
		    S(f, "comment")));
}

static void
aggregatediff(struct d *d, const json_t *a, const json_t *b)
{
	const json_t *f = b != NULL ? b : a;
	const char *sig = fmt(d, "%s(%s)", qn(d, S(f, "schema"),
	    S(f, "name")), S(f, "arguments"));
	const char *tgt = fmt(d, "%s.%s(%s)", S(f, "schema"), S(f, "name"),
	    S(f, "arguments"));
	struct zn_op *op;

	if (a == NULL) {
		op = newop(d, ZN_OP_CREATE_AGGREGATE, PH_FUNCTION, tgt);
		args(op, S(f, "schema"), NULL, S(f, "name"));
		arg(op, "arguments", json_string(S(f, "arguments")));
		aggregate_create(d, op->sql, b, 0);
		rev(op, fmt(d, "DROP AGGREGATE %s", sig));
		need(op, fmt(d, "schema:%s", S(f, "schema")));
		provide(op, fmt(d, "func:%s", sig));
		routineuses(d, op, b, 0);
		need(op, fmt(d, "goneroutine:%s", sig));
		return;
	}
	if (b == NULL) {
		op = newop(d, ZN_OP_DROP_AGGREGATE, PH_DROP_ROUTINE, tgt);
		args(op, S(f, "schema"), NULL, S(f, "name"));
		arg(op, "arguments", json_string(S(f, "arguments")));
		sql(op, fmt(d, "DROP AGGREGATE %s", sig));
		aggregate_create(d, op->reverse, a, 0);
		routineuses(d, op, a, 1);
		need(op, fmt(d, "dropuse:func:%s", sig));
		return;
	}
	if (!streq(S(a, "definition"), S(b, "definition"))) {
		op = newop(d, ZN_OP_REPLACE_AGGREGATE, PH_FUNCTION, tgt);
		args(op, S(f, "schema"), NULL, S(f, "name"));
		arg(op, "arguments", json_string(S(f, "arguments")));
		/*
		 * CREATE OR REPLACE cannot change the result type: the
		 * aggregate is dropped and made again, comment included.
		 */
		if (!streq(S(a, "result"), S(b, "result"))) {
			sql(op, fmt(d, "DROP AGGREGATE %s", sig));
			aggregate_create(d, op->sql, b, 0);
			rev(op, fmt(d, "DROP AGGREGATE %s", sig));
			aggregate_create(d, op->reverse, a, 0);
			routineuses(d, op, b, 0);
			return;
		}
		aggregate_create(d, op->sql, b, 1);
		aggregate_create(d, op->reverse, a, 1);
		routineuses(d, op, b, 0);
	}
	commentop(d, fmt(d, "AGGREGATE %s", sig), a, b, tgt, S(f, "schema"),
	    NULL, S(f, "name"));
}

static const char *
enable_sql(struct d *d, const char *tq, const json_t *t)
{
	const char *e = S(t, "enabled"), *how;

	if (streq(e, "disabled"))
		how = "DISABLE";
	else if (streq(e, "replica"))
		how = "ENABLE REPLICA";
	else if (streq(e, "always"))
		how = "ENABLE ALWAYS";
	else
		how = "ENABLE";
	return fmt(d, "ALTER TABLE %s %s TRIGGER %s", tq, how,
	    qi(d, S(t, "name")));
}

static void
trigger_create(struct d *d, json_t *out, const json_t *t)
{
	const char *tq = qn(d, S(t, "schema"), S(t, "table"));

	addstr(out, S(t, "definition"));
	if (!streq(S(t, "enabled"), "origin"))
		addstr(out, enable_sql(d, tq, t));
	if (S(t, "comment") != NULL)
		addstr(out, comment_sql(d, fmt(d, "TRIGGER %s ON %s",
		    qi(d, S(t, "name")), tq), S(t, "comment")));
}

static void
triggerdiff(struct d *d, const json_t *a, const json_t *b)
{
	const json_t *t = b != NULL ? b : a;
	const char *tq = qn(d, S(t, "schema"), S(t, "table"));
	const char *tgt = target(d, S(t, "schema"), S(t, "table"),
	    S(t, "name"));
	const char *drop = fmt(d, "DROP TRIGGER %s ON %s", qi(d, S(t, "name")),
	    tq);
	struct zn_op *op;

	if (a != NULL && b != NULL && aroundview(d, a)) {
		triggerdiff(d, a, NULL);
		triggerdiff(d, NULL, b);
		return;
	}
	if (a == NULL) {
		op = newop(d, ZN_OP_CREATE_TRIGGER, PH_TRIGGER, tgt);
		args(op, S(t, "schema"), S(t, "table"), S(t, "name"));
		trigger_create(d, op->sql, b);
		rev(op, drop);
		need(op, fmt(d, "rel:%s", tq));
		return;
	}
	if (b == NULL) {
		/* A trigger is parked with its table. */
		if (d->parking && json_object_get(d->gone, key3(d,
		    S(a, "schema"),
		    S(a, "table"), NULL)) != NULL)
			return;
		op = newop(d, ZN_OP_DROP_TRIGGER, PH_DROP_TRIGGER, tgt);
		args(op, S(t, "schema"), S(t, "table"), S(t, "name"));
		sql(op, fmt(d, "DROP TRIGGER %s ON %s", qi(d, S(a, "name")),
		    qn(d, S(a, "schema"), S(a, "table"))));
		trigger_create(d, op->reverse, a);
		provide(op, fmt(d, "dropuse:rel:%s", qn(d, S(a, "schema"),
		    S(a, "table"))));
		return;
	}
	if (!streq(mapt(d, S(a, "definition")), S(b, "definition"))) {
		/* Dropped before renames, created after. */
		triggerdiff(d, a, NULL);
		triggerdiff(d, NULL, b);
		return;
	}
	if (!streq(S(a, "enabled"), S(b, "enabled"))) {
		op = newop(d, ZN_OP_ALTER_TRIGGER, PH_TRIGGER, tgt);
		args(op, S(t, "schema"), S(t, "table"), S(t, "name"));
		arg(op, "enabled", json_string(S(b, "enabled")));
		sql(op, enable_sql(d, tq, b));
		rev(op, enable_sql(d, tq, a));
	}
	commentop(d, fmt(d, "TRIGGER %s ON %s", qi(d, S(t, "name")), tq), a, b,
	    tgt, S(t, "schema"), S(t, "table"), S(t, "name"));
}

/* ---- ordering ---- */

/*
 * x before y: by the phase each must come at (eff: its own, or the
 * earliest of the ops that must follow it), then its own phase, then
 * creation order.
 */
static int
before(const struct zn_op *x, const struct zn_op *y, int ex, int ey)
{
	if (ex != ey)
		return ex < ey;
	if (x->phase != y->phase)
		return x->phase < y->phase;
	return x->seq < y->seq;
}

static int
heapless(const struct zn_op *ops, const int *eff, size_t x, size_t y)
{
	return before(&ops[x], &ops[y], eff[x], eff[y]);
}

/* A binary heap of op positions, the first by before() on top. */
static void
heappush(size_t *h, size_t *n, size_t v, const struct zn_op *ops,
    const int *eff)
{
	size_t i = (*n)++, up;

	while (i > 0 && heapless(ops, eff, v, h[up = (i - 1) / 2])) {
		h[i] = h[up];
		i = up;
	}
	h[i] = v;
}

static size_t
heappop(size_t *h, size_t *n, const struct zn_op *ops, const int *eff)
{
	size_t top = h[0], v = h[--*n], i = 0, c;

	while ((c = 2 * i + 1) < *n) {
		if (c + 1 < *n && heapless(ops, eff, h[c + 1], h[c]))
			c++;
		if (!heapless(ops, eff, h[c], v))
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n > 0)
		h[i] = v;
	return top;
}

/*
 * Kahn's algorithm over the provides/requires edges, taking the ready op
 * that comes first by phase and creation order.  An op that an earlier
 * phase's op waits for takes that phase (a function dropped before the
 * view whose row type it returns goes before what follows the view
 * drop).  A cycle (which the phases are meant to rule out) is reported
 * and the rest keeps phase order.
 */
static void
order(struct d *d)
{
	struct zn_plan *p = d->p;
	size_t n = p->n, i, j, k, m, done = 0;
	json_t *prov = json_object(), *list;
	size_t *indeg = zn_xcalloc(n + 1, sizeof(*indeg));
	size_t **succ = zn_xcalloc(n + 1, sizeof(*succ));
	size_t *nsucc = zn_xcalloc(n + 1, sizeof(*nsucc));
	unsigned char *out = zn_xcalloc(n + 1, 1);
	struct zn_op *sorted = zn_xcalloc(n + 1, sizeof(*sorted));
	int *eff = zn_xcalloc(n + 1, sizeof(*eff));
	size_t *heap = zn_xcalloc(n + 1, sizeof(*heap)), nheap = 0;
	int changed;
	const json_t *v;

	for (i = 0; i < n; i++)
		json_array_foreach(p->ops[i].provides, j, v) {
			list = json_object_get(prov, json_string_value(v));
			if (list == NULL) {
				list = json_array();
				json_object_set_new(prov, json_string_value(v),
				    list);
			}
			json_array_append_new(list,
			    json_integer((json_int_t)i));
		}
	for (i = 0; i < n; i++)
		json_array_foreach(p->ops[i].requires, j, v) {
			list = json_object_get(prov, json_string_value(v));
			for (k = 0; k < json_array_size(list); k++) {
				m = (size_t)json_integer_value(
				    json_array_get(list, k));
				if (m == i)
					continue;
				succ[m] = zn_xreallocarray(succ[m],
				    nsucc[m] + 1, sizeof(**succ));
				succ[m][nsucc[m]++] = i;
				indeg[i]++;
			}
		}
	for (i = 0; i < n; i++)
		eff[i] = p->ops[i].phase;
	/* At most n rounds: each lowers some op's phase along a path. */
	for (m = 0, changed = 1; changed && m < n; m++) {
		changed = 0;
		for (i = n; i-- > 0;)
			for (k = 0; k < nsucc[i]; k++)
				if (eff[succ[i][k]] < eff[i]) {
					eff[i] = eff[succ[i][k]];
					changed = 1;
				}
	}
	/* The ready ops in a binary heap, first by before(). */
	for (i = 0; i < n; i++)
		if (indeg[i] == 0)
			heappush(heap, &nheap, i, p->ops, eff);
	while (done < n) {
		size_t best = n;

		while (nheap > 0 && best == n) {
			best = heappop(heap, &nheap, p->ops, eff);
			if (out[best])
				best = n;
		}
		if (best == n) {
			zn_warn("the ops depend on each other in a cycle; the "
			    "rest keep the order of their phases");
			for (i = 0; i < n; i++)
				if (!out[i] && (best == n ||
				    before(&p->ops[i], &p->ops[best],
				    p->ops[i].phase, p->ops[best].phase)))
					best = i;
		}
		out[best] = 1;
		sorted[done++] = p->ops[best];
		for (k = 0; k < nsucc[best]; k++)
			if (indeg[succ[best][k]] > 0 &&
			    --indeg[succ[best][k]] == 0 && !out[succ[best][k]])
				heappush(heap, &nheap, succ[best][k], p->ops,
				    eff);
	}
	if (n > 0)
		memcpy(p->ops, sorted, n * sizeof(*sorted));
	for (i = 0; i < n; i++)
		free(succ[i]);
	free(succ);
	free(nsucc);
	free(indeg);
	free(out);
	free(sorted);
	free(eff);
	free(heap);
	json_decref(prov);
}

/* ---- the whole diff ---- */

/* The from-side sequence that owns the same column as b, if unpaired. */
static const json_t *
ownedpair(struct d *d, const json_t *b, size_t *pos)
{
	const json_t *ob = json_object_get(b, "owned_by"), *a, *oa;
	size_t i;

	if (!json_is_object(ob))
		return NULL;
	for (i = 0; i < d->a.g->nrecs; i++) {
		if (d->a.used[i] || !iskind(&d->a, i, "sequence"))
			continue;
		a = rec(&d->a, i);
		if (!streq(S(a, "schema"), S(b, "schema")))
			continue;
		oa = json_object_get(a, "owned_by");
		if (json_is_object(oa) && streq(S(oa, "schema"),
		    S(ob, "schema")) && streq(newtablename(d, S(oa, "schema"),
		    S(oa, "table")), S(ob, "table")) && streq(newcolname(d,
		    S(oa, "schema"), S(ob, "table"), S(oa, "column")),
		    S(ob, "column")) && lookup(d, &d->b, "sequence",
		    S(a, "schema"), NULL, S(a, "name"), NULL, NULL) == NULL) {
			*pos = i;
			return a;
		}
	}
	return NULL;
}

/* The from-side record paired with to-side record i, or NULL. */
static const json_t *
pair(struct d *d, size_t i)
{
	const json_t *b = rec(&d->b, i), *a;
	const char *kind = S(b, "kind"), *from = NULL, *sub, *table;
	size_t pos;

	/* The table of a trigger, the role of default privileges. */
	sub = zn_graph_kind_sub(kind);
	table = S(b, sub != NULL ? sub : "table");

	if (streq(kind, "table") || streq(kind, "enum"))
		from = renamedfrom(d, kind, S(b, "schema"), NULL,
		    S(b, "name"));
	if (streq(kind, "trigger")) {
		const char *t = renamedfrom(d, "table", S(b, "schema"), NULL,
		    table);

		if (t != NULL)
			table = t;
	}
	a = NULL;
	if (from != NULL && lookup(d, &d->b, kind, S(b, "schema"), NULL,
	    from, NULL, NULL) == NULL)
		a = lookup(d, &d->a, kind, S(b, "schema"), NULL, from, NULL,
		    &pos);
	if (a == NULL)
		a = lookup(d, &d->a, kind, S(b, "schema"), table, S(b, "name"),
		    zn_graph_keyargs(b), &pos);
	if (a == NULL && streq(kind, "sequence"))
		a = ownedpair(d, b, &pos);
	if (a == NULL && S(b, "arguments") != NULL) {
		size_t j;

		/* A signature that names a renamed type. */
		for (j = 0; j < d->a.g->nrecs && a == NULL; j++) {
			const json_t *x;

			if (d->a.used[j] || !iskind(&d->a, j, kind))
				continue;
			x = rec(&d->a, j);
			if (streq(S(x, "schema"), S(b, "schema")) &&
			    streq(S(x, "name"), S(b, "name")) &&
			    streq(mapt(d, S(x, "arguments")),
			    S(b, "arguments"))) {
				a = x;
				pos = j;
			}
		}
	}
	if (a == NULL || d->a.used[pos])
		return NULL;
	d->a.used[pos] = 1;
	return a;
}

static void
addtext(struct d *d, const char *s)
{
	if (s != NULL) {
		zn_buf_adds(&d->parkedtext, s);
		zn_buf_addch(&d->parkedtext, '\n');
	}
}

static void
coltext(struct d *d, const json_t *c)
{
	addtext(d, S(c, "type"));
	addtext(d, S(c, "collation"));
	addtext(d, S(c, "default"));
	addtext(d, S(json_object_get(c, "generated"), "expression"));
}

/*
 * Tables and columns that go away, and the text of what they use, before
 * any op is made: removals of types, functions and sequences look at it.
 */
static void
collectgone(struct d *d, const json_t **paired)
{
	const json_t *t, *c, *x, *b;
	size_t i, j, k;

	for (i = 0; i < d->b.g->nrecs; i++) {
		t = paired[i];
		if (t == NULL || !iskind(&d->b, i, "table"))
			continue;
		b = rec(&d->b, i);
		json_array_foreach(json_object_get(t, "columns"), j, c)
			if (!B(c, "inherited") && findcol(b, newcolname(d,
			    S(b, "schema"), S(b, "name"), S(c, "name"))) ==
			    NULL) {
				json_object_set_new(d->gone, key3(d,
				    S(t, "schema"), S(t, "name"),
				    S(c, "name")), json_true());
				coltext(d, c);
			}
	}
	for (i = 0; i < d->a.g->nrecs; i++) {
		if (!iskind(&d->a, i, "table") || d->a.used[i])
			continue;
		t = rec(&d->a, i);
		json_array_foreach(json_object_get(t, "columns"), j, c)
			coltext(d, c);
		json_array_foreach(json_object_get(t, "checks"), j, x)
			addtext(d, S(x, "definition"));
		json_array_foreach(json_object_get(t, "exclusions"), j, x)
			addtext(d, S(x, "definition"));
		json_array_foreach(json_object_get(t, "indexes"), j, x)
			addtext(d, S(x, "definition"));
		relopcs(d, NULL, OPC_PARK, &d->a, t);
	}
	for (i = 0; i < d->a.g->nrecs; i++) {
		if (iskind(&d->a, i, "trigger") && json_object_get(d->gone,
		    key3(d, d->a.g->recs[i].schema, d->a.g->recs[i].table,
		    NULL)) != NULL)
			addtext(d, S(rec(&d->a, i), "definition"));
	}
	/*
	 * A domain, composite type or text search configuration that goes,
	 * but is parked as what is parked uses it, keeps what it is built
	 * on: domains over domains, last first, and the collations and
	 * dictionaries they use.
	 */
	for (j = 0, i = d->a.g->nrecs; i-- > 0 && j < d->a.g->nrecs;) {
		const char *q;

		if ((!iskind(&d->a, i, "domain") &&
		    !iskind(&d->a, i, "composite_type") &&
		    !iskind(&d->a, i, "text_search_configuration")) ||
		    d->a.used[i])
			continue;
		t = rec(&d->a, i);
		q = qn(d, S(t, "schema"), S(t, "name"));
		if (!parkeduses(d, q) || json_object_get(d->gone, fmt(d,
		    "domain:%s", q)) != NULL)
			continue;
		json_object_set_new(d->gone, fmt(d, "domain:%s", q),
		    json_true());
		if (S(t, "type") != NULL)
			addtext(d, S(t, "type"));
		if (S(t, "collation") != NULL)
			addtext(d, S(t, "collation"));
		json_array_foreach(json_object_get(t, "attributes"), k, x) {
			addtext(d, S(x, "type"));
			addtext(d, S(x, "collation"));
		}
		/* A configuration parked keeps its dictionaries. */
		json_array_foreach(json_object_get(t, "mappings"), k, x) {
			const json_t *v;
			size_t m;

			json_array_foreach(json_object_get(x, "dictionaries"),
			    m, v)
				addtext(d, json_string_value(v));
		}
		/* What it names may be a domain seen already: again. */
		i = d->a.g->nrecs;
		j++;
	}
}

static void
dispatch(struct d *d, const char *kind, const json_t *a, const json_t *b)
{
	if (streq(kind, "extension"))
		extensiondiff(d, a, b);
	else if (streq(kind, "schema"))
		schemadiff(d, a, b);
	else if (streq(kind, "default_privileges"))
		defacldiff(d, a, b);
	else if (streq(kind, "enum"))
		enumdiff(d, a, b);
	else if (streq(kind, "domain"))
		domaindiff(d, a, b);
	else if (streq(kind, "collation"))
		collationdiff(d, a, b);
	else if (streq(kind, "text_search_dictionary"))
		tsdictdiff(d, a, b);
	else if (streq(kind, "text_search_configuration"))
		tsconfigdiff(d, a, b);
	else if (streq(kind, "composite_type"))
		compositediff(d, a, b);
	else if (streq(kind, "sequence"))
		sequencediff(d, a, b);
	else if (streq(kind, "function") || streq(kind, "procedure"))
		routinediff(d, a, b);
	else if (streq(kind, "aggregate"))
		aggregatediff(d, a, b);
	else if (streq(kind, "view") || streq(kind, "materialized_view"))
		viewdiff(d, a, b);
	else if (streq(kind, "trigger"))
		triggerdiff(d, a, b);
	else if (defkind(kind) != NULL)
		defdiff(d, a, b);
	else if (streq(kind, "operator_family"))
		opfamilydiff(d, a, b);
	else if (streq(kind, "operator_class"))
		opclassdiff(d, a, b);
	else if (a == NULL)
		createtable(d, b);
	else if (b == NULL)
		droptable(d, a);
	else
		tablediff(d, a, b);
}

/*
 * The kinds whose records, the same on both sides, may still have to be
 * created again around what they use (aroundview).
 */
static int
late(const char *kind)
{
	return streq(kind, "function") || streq(kind, "procedure") ||
	    streq(kind, "aggregate") || streq(kind, "trigger") ||
	    streq(kind, "rule");
}

/* A graph made of a YAML declaration, offline or on a scratch database. */
static int
yamlgraph(const struct zn_graph *g)
{
	const char *path = zn_json_str(g->source, "path");
	size_t n = path != NULL ? strlen(path) : 0;

	if (zn_graph_offline(g))
		return 1;
	if (!streq(zn_json_str(g->source, "type"), "declared") || n < 4)
		return 0;
	/* A file with sql: declares privileges and every kind. */
	if (json_is_true(json_object_get(g->source, "complete")))
		return 0;
	return strcmp(path + n - 4, ".yml") == 0 || (n >= 5 &&
	    strcmp(path + n - 5, ".yaml") == 0);
}

void
zn_diff(struct zn_plan *p, const struct zn_graph *from,
    const struct zn_graph *to, const struct zn_diff_opts *o)
{
	/*
	 * Routines after views: which views are recreated decides which
	 * routines are recreated around them (the ops' order comes from
	 * their phases and edges, not from this).
	 */
	static const char *const passes[] = { "extension", "schema",
	    "default_privileges", "collation", "text_search_parser",
	    "text_search_template", "text_search_dictionary",
	    "text_search_configuration", "enum",
	    "domain", "composite_type", "range_type", "sequence", "table",
	    "foreign_table", "view",
	    "materialized_view", "function", "procedure", "aggregate",
	    "operator", "operator_family", "operator_class", "statistics",
	    "trigger", "rule", "cast", "foreign_data_wrapper",
	    "foreign_server", "user_mapping", "publication", "event_trigger",
	    NULL };
	const json_t **paired;
	unsigned char *same;
	struct d d;
	size_t i, k, pos;

	memset(p, 0, sizeof(*p));
	memset(&d, 0, sizeof(d));
	d.p = p;
	d.o = o;
	d.from_hash = from->hash;
	d.recreate = json_object();
	d.changedcols = json_object();
	d.gone = json_object();
	d.rekeyed = json_object();
	d.adopted = json_object();
	d.renames = json_array();
	d.parkedin = json_object();
	zn_buf_init(&d.parkedtext);
	d.parking = o->drop != ZN_DROP_DROP;
	/*
	 * A YAML declaration cannot hold privileges (zn-schema(5)): beside
	 * one, they are left as they are rather than revoked.
	 */
	d.privs = !yamlgraph(from) && !yamlgraph(to);
	if (to->renames != NULL)
		json_array_extend(d.renames, to->renames);
	if (o->renames != NULL)
		json_array_extend(d.renames, (json_t *)o->renames);
	load(&d, &d.a, from);
	load(&d, &d.b, to);
	d.defacls = json_array();
	for (i = 0; i < to->nrecs; i++)
		if (iskind(&d.b, i, "default_privileges"))
			json_array_append(d.defacls, rec(&d.b, i));

	/*
	 * A record whose line is the same on both sides needs no op, and
	 * is neither parsed nor compared: the common case of a large
	 * schema.  Not so with rename hints, which may give the same text
	 * another meaning, nor for views, which may have to be recreated
	 * around what they read.
	 */
	same = zn_xcalloc(to->nrecs + 1, 1);
	/*
	 * A graph made offline has no routines or views and no extension
	 * versions: those are left alone on both sides.
	 */
	if (zn_graph_offline(from) || zn_graph_offline(to)) {
		static const char *const kinds[] = { "function", "procedure",
		    "view", "materialized_view" };

		for (k = 0; k < 4; k++) {
			for (i = 0; i < to->nrecs; i++)
				if (iskind(&d.b, i, kinds[k]))
					same[i] = 1;
			for (i = 0; i < from->nrecs; i++)
				if (iskind(&d.a, i, kinds[k]))
					d.a.used[i] = 1;
		}
		for (i = 0; i < to->nrecs; i++)
			if (iskind(&d.b, i, "extension") &&
			    lookupkey(&d, &d.a, &to->recs[i], &pos))
				same[i] = d.a.used[pos] = 1;
	}
	/*
	 * A YAML declaration cannot hold domains, composite types,
	 * aggregates, collations, text search, range types, operators,
	 * operator families and classes, statistics objects, rules, the
	 * objects of the database or default privileges (zn-schema(5)):
	 * beside one they are left alone, as privileges and column
	 * settings are.
	 */
	if (!d.privs) {
		static const char *const kinds[] = { "domain",
		    "composite_type", "aggregate", "collation",
		    "text_search_dictionary", "text_search_configuration",
		    "range_type", "operator", "operator_family",
		    "operator_class", "statistics", "rule",
		    "text_search_parser", "text_search_template", "cast",
		    "foreign_data_wrapper", "foreign_server", "user_mapping",
		    "publication", "event_trigger", "foreign_table",
		    "default_privileges" };

		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			for (i = 0; i < to->nrecs; i++)
				if (iskind(&d.b, i, kinds[k]))
					same[i] = 1;
			for (i = 0; i < from->nrecs; i++)
				if (iskind(&d.a, i, kinds[k]))
					d.a.used[i] = 1;
		}
	}
	if (json_array_size(d.renames) == 0)
		for (i = 0; i < to->nrecs; i++) {
			const struct zn_grec *rb = &to->recs[i], *ra;

			if (iskind(&d.b, i, "view") ||
			    iskind(&d.b, i, "materialized_view"))
				continue;
			if (!lookupkey(&d, &d.a, rb, &pos))
				continue;
			ra = &from->recs[pos];
			if (ra->len == rb->len &&
			    memcmp(ra->line, rb->line, ra->len) == 0)
				same[i] = d.a.used[pos] = 1;
		}

	/* Pair tables first: what is gone decides about sequences. */
	paired = zn_xcalloc(to->nrecs + 1, sizeof(*paired));
	for (i = 0; i < to->nrecs; i++)
		if (!same[i] && iskind(&d.b, i, "table"))
			paired[i] = pair(&d, i);
	for (i = 0; i < from->nrecs; i++)
		if (iskind(&d.a, i, "table") && !d.a.used[i])
			json_object_set_new(d.gone, key3(&d,
			    from->recs[i].schema, from->recs[i].name, NULL),
			    json_true());
	for (i = 0; i < to->nrecs; i++)
		if (!same[i] && !iskind(&d.b, i, "table"))
			paired[i] = pair(&d, i);
	collectgone(&d, paired);
	/*
	 * A foreign table made again or dropped: what reads it goes around
	 * that, as around a view made again.
	 */
	for (i = 0; i < from->nrecs; i++) {
		const json_t *fa, *fb;

		if (!iskind(&d.a, i, "foreign_table"))
			continue;
		fa = rec(&d.a, i);
		fb = lookup(&d, &d.b, "foreign_table", S(fa, "schema"), NULL,
		    S(fa, "name"), NULL, &pos);
		if (fb != NULL && streq(S(fa, "definition"),
		    S(fb, "definition")) && streq(S(fa, "attach"),
		    S(fb, "attach")))
			continue;
		json_object_set_new(d.gone, key3(&d, S(fa, "schema"),
		    S(fa, "name"), NULL), json_true());
		json_object_set_new(d.recreate, vkey(&d, S(fa, "schema"),
		    S(fa, "name")), fb != NULL ? json_true() : json_false());
	}
	/*
	 * Routines whose result type changes are dropped and made again:
	 * the views that call them go around that (recreateset).
	 */
	d.retyped = json_object();
	for (i = 0; i < to->nrecs; i++) {
		const json_t *rb, *ra;

		if (same[i] || paired[i] == NULL || (!iskind(&d.b, i,
		    "function") && !iskind(&d.b, i, "aggregate")))
			continue;
		rb = rec(&d.b, i);
		ra = paired[i];
		if (!streq(S(ra, "result"), S(rb, "result")))
			json_object_set_new(d.retyped, fmt(&d, "%s(",
			    qn(&d, S(rb, "schema"), S(rb, "name"))),
			    json_true());
	}

	for (k = 0; passes[k] != NULL; k++) {
		if (streq(passes[k], "view"))
			recreateset(&d);
		for (i = 0; i < to->nrecs; i++) {
			if (!iskind(&d.b, i, passes[k]))
				continue;
			if (!same[i])
				dispatch(&d, passes[k], paired[i],
				    rec(&d.b, i));
			else if (late(passes[k]) &&
			    aroundview(&d, rec(&d.b, i)) &&
			    lookupkey(&d, &d.a, &to->recs[i], &pos))
				dispatch(&d, passes[k], rec(&d.a, pos),
				    rec(&d.b, i));
		}
		/* Schemas and extensions go last: parking may keep them. */
		if (k < 2)
			continue;
		for (i = 0; i < from->nrecs; i++)
			if (iskind(&d.a, i, passes[k]) && !d.a.used[i])
				dispatch(&d, passes[k], rec(&d.a, i), NULL);
	}
	for (k = 0; k < 2; k++)
		for (i = 0; i < from->nrecs; i++)
			if (iskind(&d.a, i, passes[k]) && !d.a.used[i])
				dispatch(&d, passes[k], rec(&d.a, i), NULL);
	order(&d);

	p->header = json_pack("{s:s, s:i, s:s, s:s, s:O, s:O, s:I, s:s}",
	    "kind", "plan", "v", 1, "from_hash", from->hash, "to_hash",
	    to->hash, "from", from->source != NULL ? from->source :
	    json_null(), "to", to->source != NULL ? to->source : json_null(),
	    "server_version_num", (json_int_t)(to->server_version_num != 0 ?
	    to->server_version_num : from->server_version_num),
	    "drop_policy", o->drop == ZN_DROP_SOFT ? "soft" :
	    o->drop == ZN_DROP_ARCHIVE ? "archive" : "drop");
	if (p->header == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot build the plan header");
	/* What neither side could see, for zn-apply and for people. */
	if (json_array_size(from->unmodelled) + json_array_size(to->unmodelled)
	    > 0) {
		json_t *u = json_array(), *e;

		json_array_foreach(from->unmodelled, i, e)
			json_array_append(u, e);
		json_array_foreach(to->unmodelled, i, e) {
			size_t j;
			json_t *f;

			json_array_foreach(from->unmodelled, j, f)
				if (json_equal(e, f))
					break;
			if (j == json_array_size(from->unmodelled))
				json_array_append(u, e);
		}
		json_object_set_new(p->header, "unmodelled", u);
	}

	free(paired);
	free(same);
	for (i = 0; i < from->nrecs; i++)
		json_decref(d.a.recs[i]);
	for (i = 0; i < to->nrecs; i++)
		json_decref(d.b.recs[i]);
	free(d.a.recs);
	free(d.b.recs);
	free(d.a.used);
	free(d.b.used);
	free(d.a.kids);
	free(d.b.kids);
	json_decref(d.a.index);
	json_decref(d.b.index);
	json_decref(d.recreate);
	json_decref(d.defacls);
	json_decref(d.retyped);
	json_decref(d.changedcols);
	json_decref(d.gone);
	json_decref(d.rekeyed);
	json_decref(d.adopted);
	json_decref(d.renames);
	json_decref(d.parkedin);
	zn_buf_release(&d.parkedtext);
	zn_arena_release(&d.arena);
}
