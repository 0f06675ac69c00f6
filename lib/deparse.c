/* SPDX-License-Identifier: ISC */
/*
 * deparse.c: check constraints, index expressions and index predicates
 * written from their stored node trees (pg_constraint.conbin,
 * pg_index.indexprs and indpred) byte for byte as the server's deparser
 * writes them without pretty-printing (ruleutils.c: get_rule_expr and
 * the functions it calls), so that the server need not open every table
 * to render them: building a table's cache entry is most of what
 * pg_get_constraintdef and pg_get_indexdef cost on a cold session.
 *
 * Only what is common is read: column references, constants of a few
 * types (boolean, integers, text and its kin, enums), operators,
 * function calls and casts, AND/OR/NOT, IS [NOT] NULL, IS [NOT]
 * TRUE/FALSE/UNKNOWN, AT TIME ZONE, op ANY/ALL (array) and ARRAY[...].
 * Anything else -- another node or field, a constant of another type or
 * collation, an operator or function the server would name otherwise, a
 * server whose byte order is not known -- makes zn_nt_parse() or
 * zn_nt_deparse() return failure, and the caller asks the server.
 * ZN_SNAPSHOT_CHECK=1 has the server render everything too and compares.
 *
 * The names of the operators, functions, types and enum labels a tree
 * refers to come from the server (zn_dpnames, one query for all the
 * trees of a batch), under the session's settings: an empty search path,
 * so that only pg_catalog's objects go unqualified.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "zn.h"

/* Deeper trees are left to the server. */
#define NT_MAXDEPTH 64

enum { NT_VAR, NT_CONST, NT_OPEXPR, NT_FUNCEXPR, NT_BOOLEXPR, NT_NULLTEST,
    NT_BOOLEANTEST, NT_RELABEL, NT_COERCEIO, NT_ARRAYCOERCE, NT_SAOP,
    NT_ARRAYEXPR, NT_LIST };

/* CoercionForm */
enum { CF_CALL, CF_EXPLICIT, CF_IMPLICIT, CF_SQL };

/* Type OIDs the deparser knows by number (pg_type.dat). */
#define BOOLOID 16
#define INT8OID 20
#define INT2OID 21
#define INT4OID 23
#define TEXTOID 25
#define BPCHAROID 1042
#define VARCHAROID 1043
#define NUMERICOID 1700
#define RECORDOID 2249

struct zn_nt {
	int tag;
	unsigned long oid;	/* opno, funcid, consttype */
	unsigned long type;	/* what exprType() says */
	long typmod;
	unsigned long coll;	/* what exprCollation() says */
	long num;		/* varattno, format, boolop, test type */
	int flag;		/* funcvariadic, argisrow, constisnull, useOr */
	long varno, levelsup;
	int byval, hasval;
	unsigned char *val;	/* a constant's bytes */
	size_t vlen;
	struct zn_nt **args;
	int nargs;
};

/* Slots a field is read into. */
enum { S_OID, S_TYPE, S_OIDTYPE, S_TYPMOD, S_COLL, S_NUM, S_FLAG, S_VARNO,
    S_LEVELSUP, S_BYVAL, S_ARG, S_ARGS, S_VALUE, S_BOOLOP, S_IGNORE,
    S_SKIP };

#define F(tag, name, slot) { tag, name, sizeof(name) - 1, slot }
static const struct {
	int tag;		/* -1: any */
	const char *name;
	size_t len;
	int slot;
} fields[] = {
	F(-1, "location", S_IGNORE),
	F(NT_VAR, "varno", S_VARNO),
	F(NT_VAR, "varattno", S_NUM),
	F(NT_VAR, "vartype", S_TYPE),
	F(NT_VAR, "vartypmod", S_TYPMOD),
	F(NT_VAR, "varcollid", S_COLL),
	F(NT_VAR, "varlevelsup", S_LEVELSUP),
	F(NT_VAR, "varnosyn", S_IGNORE),
	F(NT_VAR, "varattnosyn", S_IGNORE),
	F(NT_VAR, "varnullingrels", S_IGNORE),
	F(NT_VAR, "varnoold", S_IGNORE),
	F(NT_VAR, "varoattno", S_IGNORE),
	F(NT_CONST, "consttype", S_OIDTYPE),
	F(NT_CONST, "consttypmod", S_TYPMOD),
	F(NT_CONST, "constcollid", S_COLL),
	F(NT_CONST, "constlen", S_IGNORE),
	F(NT_CONST, "constbyval", S_BYVAL),
	F(NT_CONST, "constisnull", S_FLAG),
	F(NT_CONST, "constvalue", S_VALUE),
	F(NT_OPEXPR, "opno", S_OID),
	F(NT_OPEXPR, "opfuncid", S_IGNORE),
	F(NT_OPEXPR, "opresulttype", S_TYPE),
	F(NT_OPEXPR, "opretset", S_IGNORE),
	F(NT_OPEXPR, "opcollid", S_COLL),
	F(NT_OPEXPR, "inputcollid", S_IGNORE),
	F(NT_OPEXPR, "args", S_ARGS),
	F(NT_FUNCEXPR, "funcid", S_OID),
	F(NT_FUNCEXPR, "funcresulttype", S_TYPE),
	F(NT_FUNCEXPR, "funcretset", S_IGNORE),
	F(NT_FUNCEXPR, "funcvariadic", S_FLAG),
	F(NT_FUNCEXPR, "funcformat", S_NUM),
	F(NT_FUNCEXPR, "funccollid", S_COLL),
	F(NT_FUNCEXPR, "inputcollid", S_IGNORE),
	F(NT_FUNCEXPR, "args", S_ARGS),
	F(NT_BOOLEXPR, "boolop", S_BOOLOP),
	F(NT_BOOLEXPR, "args", S_ARGS),
	F(NT_NULLTEST, "arg", S_ARG),
	F(NT_NULLTEST, "nulltesttype", S_NUM),
	F(NT_NULLTEST, "argisrow", S_FLAG),
	F(NT_BOOLEANTEST, "arg", S_ARG),
	F(NT_BOOLEANTEST, "booltesttype", S_NUM),
	F(NT_RELABEL, "arg", S_ARG),
	F(NT_RELABEL, "resulttype", S_TYPE),
	F(NT_RELABEL, "resulttypmod", S_TYPMOD),
	F(NT_RELABEL, "resultcollid", S_COLL),
	F(NT_RELABEL, "relabelformat", S_NUM),
	F(NT_COERCEIO, "arg", S_ARG),
	F(NT_COERCEIO, "resulttype", S_TYPE),
	F(NT_COERCEIO, "resultcollid", S_COLL),
	F(NT_COERCEIO, "coerceformat", S_NUM),
	F(NT_ARRAYCOERCE, "arg", S_ARG),
	F(NT_ARRAYCOERCE, "elemexpr", S_SKIP),
	F(NT_ARRAYCOERCE, "resulttype", S_TYPE),
	F(NT_ARRAYCOERCE, "resulttypmod", S_TYPMOD),
	F(NT_ARRAYCOERCE, "resultcollid", S_COLL),
	F(NT_ARRAYCOERCE, "coerceformat", S_NUM),
	F(NT_SAOP, "opno", S_OID),
	F(NT_SAOP, "opfuncid", S_IGNORE),
	F(NT_SAOP, "hashfuncid", S_IGNORE),
	F(NT_SAOP, "negfuncid", S_IGNORE),
	F(NT_SAOP, "useOr", S_FLAG),
	F(NT_SAOP, "inputcollid", S_IGNORE),
	F(NT_SAOP, "args", S_ARGS),
	F(NT_ARRAYEXPR, "array_typeid", S_TYPE),
	F(NT_ARRAYEXPR, "array_collid", S_COLL),
	F(NT_ARRAYEXPR, "element_typeid", S_IGNORE),
	F(NT_ARRAYEXPR, "elements", S_ARGS),
	F(NT_ARRAYEXPR, "multidims", S_FLAG),
};
#undef F

static const struct {
	const char *name;
	int tag;
} tags[] = {
	{ "VAR", NT_VAR }, { "CONST", NT_CONST }, { "OPEXPR", NT_OPEXPR },
	{ "FUNCEXPR", NT_FUNCEXPR }, { "BOOLEXPR", NT_BOOLEXPR },
	{ "NULLTEST", NT_NULLTEST }, { "BOOLEANTEST", NT_BOOLEANTEST },
	{ "RELABELTYPE", NT_RELABEL }, { "COERCEVIAIO", NT_COERCEIO },
	{ "ARRAYCOERCEEXPR", NT_ARRAYCOERCE },
	{ "SCALARARRAYOPEXPR", NT_SAOP }, { "ARRAYEXPR", NT_ARRAYEXPR },
};

/* The reader of a node tree's text (the server's nodeToString). */
struct rd {
	const char *p;
	int depth;
};

/* Whether c ends a token: white space, a parenthesis or brace, NUL. */
static int
sep(unsigned char c)
{
	return c <= ' ' ? c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\0' : c == '(' || c == ')' || c == '{' || c == '}';
}

/* The next token (its length, 0 at the end), as pg_strtok splits them. */
static size_t
tok(struct rd *r, const char **s)
{
	const char *p = r->p;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	*s = p;
	if (*p == '\0') {
		r->p = p;
		return 0;
	}
	if (*p == '(' || *p == ')' || *p == '{' || *p == '}') {
		r->p = p + 1;
		return 1;
	}
	while (!sep((unsigned char)*p)) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		p++;
	}
	r->p = p;
	return (size_t)(p - *s);
}

static int
tokis(const char *s, size_t n, const char *w)
{
	return n == strlen(w) && memcmp(s, w, n) == 0;
}

/* A decimal integer token into *v; 0 when it is not one. */
static int
tokint(const char *s, size_t n, long *v)
{
	char buf[32], *end;

	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*v = strtol(buf, &end, 10);
	return *end == '\0' && end != buf;
}

/* Skips the rest of a value whose first token was ( or {. */
static int
skipnest(struct rd *r)
{
	const char *s;
	size_t n;
	long depth = 1;

	while (depth > 0) {
		if ((n = tok(r, &s)) == 0)
			return 0;
		if (n == 1 && (*s == '(' || *s == '{'))
			depth++;
		else if (n == 1 && (*s == ')' || *s == '}'))
			depth--;
	}
	return 1;
}

static struct zn_nt *node(struct rd *r);

static void
addarg(struct zn_nt *t, struct zn_nt *a)
{
	t->args = zn_xreallocarray(t->args, (size_t)t->nargs + 1,
	    sizeof(*t->args));
	t->args[t->nargs++] = a;
}

/* A list of nodes, "(" consumed: "{...} {...} )". */
static int
nodelist(struct rd *r, struct zn_nt *t)
{
	const char *s;
	size_t n;
	struct zn_nt *a;

	for (;;) {
		if ((n = tok(r, &s)) == 0)
			return 0;
		if (n == 1 && *s == ')')
			return 1;
		if (n != 1 || *s != '{' || (a = node(r)) == NULL)
			return 0;
		addarg(t, a);
	}
}

/* A constant's value: "<>", or "N [ b b ... ]" (bytes as signed chars). */
static int
constvalue(struct rd *r, struct zn_nt *t)
{
	const char *s;
	size_t n, cap = 0;
	long len, v;

	n = tok(r, &s);
	if (tokis(s, n, "<>"))
		return 1;
	if (!tokint(s, n, &len) || len < 0 || len > 1L << 30)
		return 0;
	n = tok(r, &s);
	if (!tokis(s, n, "["))
		return 0;
	for (;;) {
		n = tok(r, &s);
		if (tokis(s, n, "]"))
			break;
		if (!tokint(s, n, &v) || v < -128 || v > 255)
			return 0;
		if (t->vlen == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			t->val = zn_xrealloc(t->val, cap);
		}
		t->val[t->vlen++] = (unsigned char)(v & 0xff);
	}
	/* By value: the whole Datum, of which len bytes are the value. */
	if ((t->byval && (size_t)len > t->vlen) ||
	    (!t->byval && (size_t)len != t->vlen))
		return 0;
	t->hasval = 1;
	return 1;
}

void
zn_nt_free(struct zn_nt *t)
{
	int i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nargs; i++)
		zn_nt_free(t->args[i]);
	free(t->args);
	free(t->val);
	free(t);
}

/* A node, "{" consumed; NULL when it is not one read here. */
static struct zn_nt *
node(struct rd *r)
{
	const char *s;
	size_t n, i, k;
	long v;
	struct zn_nt *t, *a;
	int slot;

	if (++r->depth > NT_MAXDEPTH)
		return NULL;
	n = tok(r, &s);
	for (k = 0; k < sizeof(tags) / sizeof(tags[0]); k++)
		if (tokis(s, n, tags[k].name))
			break;
	if (k == sizeof(tags) / sizeof(tags[0]))
		return NULL;
	t = zn_xcalloc(1, sizeof(*t));
	t->tag = tags[k].tag;
	t->typmod = -1;
	if (t->tag == NT_BOOLEXPR || t->tag == NT_NULLTEST ||
	    t->tag == NT_BOOLEANTEST || t->tag == NT_SAOP)
		t->type = BOOLOID;
	for (;;) {
		n = tok(r, &s);
		if (n == 1 && *s == '}')
			break;
		if (n < 2 || *s != ':')
			goto bad;
		slot = -1;
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if ((fields[i].tag == -1 || fields[i].tag == t->tag) &&
			    fields[i].len == n - 1 &&
			    memcmp(s + 1, fields[i].name, n - 1) == 0) {
				slot = fields[i].slot;
				break;
			}
		if (slot < 0)
			goto bad;	/* a field whose meaning is not known */
		if (slot == S_ARGS) {
			n = tok(r, &s);
			if (tokis(s, n, "<>"))
				continue;
			if (n != 1 || *s != '(' || !nodelist(r, t))
				goto bad;
			continue;
		}
		if (slot == S_ARG) {
			n = tok(r, &s);
			if (n != 1 || *s != '{' || (a = node(r)) == NULL)
				goto bad;
			addarg(t, a);
			continue;
		}
		if (slot == S_VALUE) {
			if (!constvalue(r, t))
				goto bad;
			continue;
		}
		n = tok(r, &s);
		if (n == 0)
			goto bad;
		if (n == 1 && (*s == '(' || *s == '{')) {
			/* Sets of relations and the like; no expressions. */
			if ((slot != S_IGNORE && slot != S_SKIP) ||
			    (*s == '{' && slot != S_SKIP) || !skipnest(r))
				goto bad;
			continue;
		}
		if (slot == S_IGNORE || slot == S_SKIP)
			continue;
		if (slot == S_BOOLOP) {
			if (tokis(s, n, "and"))
				t->num = 0;
			else if (tokis(s, n, "or"))
				t->num = 1;
			else if (tokis(s, n, "not"))
				t->num = 2;
			else
				goto bad;
			continue;
		}
		if (slot == S_FLAG || slot == S_BYVAL) {
			if (!tokis(s, n, "true") && !tokis(s, n, "false"))
				goto bad;
			if (slot == S_FLAG)
				t->flag = *s == 't';
			else
				t->byval = *s == 't';
			continue;
		}
		if (!tokint(s, n, &v))
			goto bad;
		switch (slot) {
		case S_OID:
			t->oid = (unsigned long)v;
			break;
		case S_TYPE:
			t->type = (unsigned long)v;
			break;
		case S_OIDTYPE:
			t->oid = t->type = (unsigned long)v;
			break;
		case S_TYPMOD:
			t->typmod = v;
			break;
		case S_COLL:
			t->coll = (unsigned long)v;
			break;
		case S_NUM:
			t->num = v;
			break;
		case S_VARNO:
			t->varno = v;
			break;
		case S_LEVELSUP:
			t->levelsup = v;
			break;
		default:
			goto bad;
		}
	}
	r->depth--;
	if ((t->tag == NT_CONST && !t->flag && !t->hasval) ||
	    ((t->tag == NT_NULLTEST || t->tag == NT_BOOLEANTEST ||
	    t->tag == NT_RELABEL || t->tag == NT_COERCEIO ||
	    t->tag == NT_ARRAYCOERCE) && t->nargs != 1) ||
	    ((t->tag == NT_OPEXPR || t->tag == NT_BOOLEXPR) &&
	    t->nargs < 1) || (t->tag == NT_SAOP && t->nargs != 2))
		goto bad;
	return t;
bad:
	zn_nt_free(t);
	return NULL;
}

struct zn_nt *
zn_nt_parse(const char *text)
{
	struct rd r;
	const char *s;
	size_t n;
	struct zn_nt *t = NULL;

	r.p = text;
	r.depth = 0;
	n = tok(&r, &s);
	if (n == 1 && *s == '{')
		t = node(&r);
	else if (n == 1 && *s == '(') {
		t = zn_xcalloc(1, sizeof(*t));
		t->tag = NT_LIST;
		if (!nodelist(&r, t) || t->nargs == 0) {
			zn_nt_free(t);
			t = NULL;
		}
	}
	if (t != NULL && tok(&r, &s) != 0) {
		zn_nt_free(t);
		t = NULL;
	}
	return t;
}

int
zn_nt_count(const struct zn_nt *t)
{
	return t->tag == NT_LIST ? t->nargs : 1;
}

static const struct zn_nt *
elem(const struct zn_nt *t, int i)
{
	return t->tag == NT_LIST ? t->args[i] : t;
}

unsigned long
zn_nt_type(const struct zn_nt *t, int i)
{
	return elem(t, i)->type;
}

unsigned long
zn_nt_collation(const struct zn_nt *t, int i)
{
	return elem(t, i)->coll;
}

/* What looks_like_function() says: a function call, not a cast. */
int
zn_nt_funclike(const struct zn_nt *t, int i)
{
	t = elem(t, i);
	return t->tag == NT_FUNCEXPR && t->num == CF_CALL;
}

/* Appends ",oid" for each object the tree names. */
void
zn_nt_oids(const struct zn_nt *t, struct zn_buf *b)
{
	int i;

	if (t->tag == NT_OPEXPR || t->tag == NT_FUNCEXPR ||
	    t->tag == NT_SAOP)
		zn_buf_addf(b, ",%lu", t->oid);
	if (t->tag == NT_CONST && !t->flag && t->byval && t->vlen >= 4)
		/* An enum's label, perhaps. */
		zn_buf_addf(b, ",%lu", (unsigned long)t->val[0] |
		    (unsigned long)t->val[1] << 8 |
		    (unsigned long)t->val[2] << 16 |
		    (unsigned long)t->val[3] << 24);
	if (t->type != 0)
		zn_buf_addf(b, ",%lu", t->type);
	for (i = 0; i < t->nargs; i++)
		zn_nt_oids(t->args[i], b);
}

/*
 * The names: rows (kind, oid, name, schema, a, b, c) sorted by kind and
 * OID: 'e' an enum label; 'f' a function (a its argument types, b "t"
 * when it is a plain function that is not variadic); 'o' an operator
 * (a "left right", b its kind); 't' a type (name as format_type(oid,
 * -1), a the class of IsBinaryCoercible and category, b its collation,
 * c its element type); 'v' the server (name its version()).
 */
enum { N_KIND, N_OID, N_NAME, N_SCHEMA, N_A, N_B, N_C };

struct zn_dpnames {
	PGresult *r;
	int le;			/* the server's byte order is little-endian */
};

/* Whether version() names a little-endian machine ("... on ARCH-..."). */
static int
littleendian(const char *v)
{
	static const char *const le[] = { "x86_64", "amd64", "i386", "i486",
	    "i586", "i686", "aarch64", "arm64", "armv7l", "armv6l",
	    "riscv64", "loongarch64", "powerpc64le", "ppc64le", "mipsel",
	    "mips64el" };
	const char *a = strstr(v, " on ");
	size_t n, i;

	if (a == NULL)
		return 0;
	a += 4;
	n = strcspn(a, "-, ");
	for (i = 0; i < sizeof(le) / sizeof(le[0]); i++)
		if (n == strlen(le[i]) && strncmp(a, le[i], n) == 0)
			return 1;
	return 0;
}

static int
namerow(const struct zn_dpnames *d, int kind, unsigned long oid)
{
	const PGresult *r = d->r;
	int lo = 0, hi = PQntuples(r), mid, k;
	unsigned long o;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		k = PQgetvalue(r, mid, N_KIND)[0];
		o = strtoul(PQgetvalue(r, mid, N_OID), NULL, 10);
		if (k < kind || (k == kind && o < oid))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < PQntuples(r) && PQgetvalue(r, lo, N_KIND)[0] == kind &&
	    strtoul(PQgetvalue(r, lo, N_OID), NULL, 10) == oid)
		return lo;
	return -1;
}

struct zn_dpnames *
zn_dpnames_new(PGresult *r)
{
	struct zn_dpnames *d = zn_xcalloc(1, sizeof(*d));
	int v;

	d->r = r;
	v = namerow(d, 'v', 0);
	d->le = v >= 0 && littleendian(PQgetvalue(r, v, N_NAME));
	return d;
}

void
zn_dpnames_free(struct zn_dpnames *d)
{
	if (d == NULL)
		return;
	PQclear(d->r);
	free(d);
}

/* A type's class of IsBinaryCoercible and category, or NULL. */
const char *
zn_dpnames_typinfo(const struct zn_dpnames *d, unsigned long type)
{
	int row = d != NULL ? namerow(d, 't', type) : -1;

	return row >= 0 ? PQgetvalue(d->r, row, N_A) : NULL;
}

/* One deparse. */
struct dp {
	const struct zn_dpctx *x;
	const struct zn_dpnames *d;
	struct zn_buf *b;
};

static int expr(struct dp *p, const struct zn_nt *t, int showimplicit);

/* format_type_with_typemod(type, typmod). */
static int
typename(struct dp *p, unsigned long type, long typmod)
{
	int row = namerow(p->d, 't', type);

	if (row < 0)
		return 0;
	if (typmod < 0) {
		zn_buf_adds(p->b, PQgetvalue(p->d->r, row, N_NAME));
		return 1;
	}
	switch (type) {
	case VARCHAROID:
		if (typmod < 4)
			return 0;
		zn_buf_addf(p->b, "character varying(%ld)", typmod - 4);
		return 1;
	case BPCHAROID:
		if (typmod < 4)
			return 0;
		zn_buf_addf(p->b, "character(%ld)", typmod - 4);
		return 1;
	case NUMERICOID:
		if (typmod < 4)
			return 0;
		/* numeric_typmod_scale(): 11 bits, signed since 15. */
		zn_buf_addf(p->b, "numeric(%ld,%ld)", ((typmod - 4) >> 16) &
		    0xffff, (((typmod - 4) & 0x7ff) ^ 1024) - 1024);
		return 1;
	default:
		return 0;
	}
}

static unsigned long
le32(const unsigned char *b)
{
	return (unsigned long)b[0] | (unsigned long)b[1] << 8 |
	    (unsigned long)b[2] << 16 | (unsigned long)b[3] << 24;
}

/* simple_quote_literal(): never E''. */
static void
quoteliteral(struct dp *p, const unsigned char *s, size_t n)
{
	size_t i;

	zn_buf_addch(p->b, '\'');
	for (i = 0; i < n; i++) {
		if (s[i] == '\'' || (s[i] == '\\' && !p->x->scs))
			zn_buf_addch(p->b, s[i]);
		zn_buf_addch(p->b, s[i]);
	}
	zn_buf_addch(p->b, '\'');
}

/* The bytes of a varlena constant of t: *s, *n; 0 when not plain. */
static int
varlena(const struct zn_nt *t, const unsigned char **s, size_t *n)
{
	const unsigned char *v = t->val;
	size_t len;

	if (t->byval || t->vlen < 1)
		return 0;
	if ((v[0] & 0x01) == 0x01) {
		if (v[0] == 0x01)
			return 0;	/* a TOAST pointer */
		len = v[0] >> 1;
		*s = v + 1;
		*n = len - 1;
	} else if ((v[0] & 0x03) == 0) {
		if (t->vlen < 4)
			return 0;
		len = le32(v) >> 2;
		*s = v + 4;
		*n = len >= 4 ? len - 4 : 0;
		if (len < 4)
			return 0;
	} else
		return 0;		/* compressed */
	return len == t->vlen;
}

/*
 * A numeric constant's text as numeric_out() writes it (get_str_from_var
 * over the stored NumericData: a short or long header, base-10,000
 * digits), into b; 0 for NaN, the infinities or a malformed value.
 */
static int
numeric(const struct zn_nt *t, struct zn_buf *b)
{
	const unsigned char *v;
	size_t n, nd;
	unsigned h, dig, d1, div;
	long weight, dscale, d, i;
	int neg, put;

	if (!varlena(t, &v, &n) || n < 2 || n % 2 != 0)
		return 0;
	h = (unsigned)v[0] | (unsigned)v[1] << 8;
	if ((h & 0xC000) == 0xC000)
		return 0;		/* NaN, Infinity */
	if ((h & 0xC000) == 0x8000) {	/* NUMERIC_SHORT */
		neg = (h & 0x2000) != 0;
		dscale = (h & 0x1F80) >> 7;
		weight = (long)(h & 0x003F);
		if ((h & 0x0040) != 0)
			weight -= 64;
		v += 2;
		n -= 2;
	} else {
		if (n < 4)
			return 0;
		neg = (h & 0xC000) == 0x4000;
		dscale = h & 0x3FFF;
		weight = (short)((unsigned)v[2] | (unsigned)v[3] << 8);
		v += 4;
		n -= 4;
	}
	nd = n / 2;
	for (i = 0; i < (long)nd; i++)
		if (((unsigned)v[2 * i] | (unsigned)v[2 * i + 1] << 8) > 9999)
			return 0;
#define DIGIT(k) ((k) >= 0 && (k) < (long)nd ? (unsigned)v[2 * (k)] | \
	(unsigned)v[2 * (k) + 1] << 8 : 0u)
	if (neg)
		zn_buf_addch(b, '-');
	if (weight < 0) {
		d = weight + 1;
		zn_buf_addch(b, '0');
	} else
		for (d = 0; d <= weight; d++) {
			dig = DIGIT(d);
			/* No leading zeroes in the first digit. */
			put = d > 0;
			for (div = 1000; div > 1; div /= 10) {
				d1 = dig / div;
				dig -= d1 * div;
				put |= d1 > 0;
				if (put)
					zn_buf_addch(b, (int)('0' + d1));
			}
			zn_buf_addch(b, (int)('0' + dig));
		}
	if (dscale > 0) {
		zn_buf_addch(b, '.');
		for (i = 0; i < dscale; d++, i += 4) {
			dig = DIGIT(d);
			for (div = 1000; div >= 1; div /= 10) {
				d1 = dig / div;
				dig -= d1 * div;
				/* The last group is cut at dscale. */
				if (i + (div == 1000 ? 0 : div == 100 ? 1 :
				    div == 10 ? 2 : 3) < dscale)
					zn_buf_addch(b, (int)('0' + d1));
			}
		}
	}
#undef DIGIT
	return 1;
}

/* get_const_expr(): showtype -1 never labels, 0 when needed. */
static int
constant(struct dp *p, const struct zn_nt *t, int showtype)
{
	const unsigned char *s;
	size_t n;
	long long v;
	int needlabel = 0, row, i;
	const char *info;
	struct zn_buf num;

	if (t->flag) {
		zn_buf_adds(p->b, "NULL");
		if (showtype >= 0) {
			zn_buf_adds(p->b, "::");
			if (!typename(p, t->oid, t->typmod))
				return 0;
		}
		goto collation;
	}
	if (!p->d->le)
		return 0;
	row = namerow(p->d, 't', t->oid);
	info = row >= 0 ? PQgetvalue(p->d->r, row, N_A) : "";
	switch (t->oid) {
	case BOOLOID:
		if (!t->byval || t->vlen < 1)
			return 0;
		zn_buf_adds(p->b, t->val[0] != 0 ? "true" : "false");
		break;
	case INT2OID:
	case INT4OID:
	case INT8OID:
		n = t->oid == INT2OID ? 2 : t->oid == INT4OID ? 4 : 8;
		if (t->vlen < n)
			return 0;
		for (v = 0, i = (int)n - 1; i >= 0; i--)
			v = (long long)((unsigned long long)v << 8 | t->val[i]);
		if (n == 2)
			v = (short)v;
		else if (n == 4)
			v = (int)v;
		if (t->oid == INT4OID && v >= 0)
			zn_buf_addf(p->b, "%lld", v);
		else {
			zn_buf_addf(p->b, "'%lld'", v);
			needlabel = 1;
		}
		break;
	case TEXTOID:
	case VARCHAROID:
	case BPCHAROID:
		/* Text holds no NUL. */
		if (!varlena(t, &s, &n) || memchr(s, '\0', n) != NULL)
			return 0;
		quoteliteral(p, s, n);
		needlabel = 1;
		break;
	case NUMERICOID:
		/* Bare when it looks like a float: digits first, and a point. */
		zn_buf_init(&num);
		if (!numeric(t, &num)) {
			zn_buf_release(&num);
			return 0;
		}
		if (num.buf[0] >= '0' && num.buf[0] <= '9' &&
		    strchr(num.buf, '.') != NULL)
			zn_buf_adds(p->b, num.buf);
		else {
			quoteliteral(p, (const unsigned char *)num.buf,
			    num.len);
			needlabel = 1;
		}
		zn_buf_release(&num);
		needlabel |= t->typmod >= 0;
		break;
	default:
		/* An enum: its label. */
		if (info[0] != 'e' || !t->byval || t->vlen < 4 ||
		    (row = namerow(p->d, 'e', le32(t->val))) < 0)
			return 0;
		s = (const unsigned char *)PQgetvalue(p->d->r, row, N_NAME);
		quoteliteral(p, s, strlen((const char *)s));
		needlabel = 1;
		break;
	}
	if (showtype < 0)
		return 1;
	if (needlabel) {
		zn_buf_adds(p->b, "::");
		if (!typename(p, t->oid, t->typmod))
			return 0;
	}
collation:
	/* get_const_collation(): only the type's own is written here. */
	if (t->coll != 0) {
		row = namerow(p->d, 't', t->oid);
		if (row < 0 || strtoul(PQgetvalue(p->d->r, row, N_B), NULL,
		    10) != t->coll)
			return 0;
	}
	return 1;
}

/* get_coercion_expr(). */
static int
coercion(struct dp *p, const struct zn_nt *arg, unsigned long type,
    long typmod)
{
	if (arg->tag == NT_CONST && arg->oid == type && arg->typmod == -1) {
		if (!constant(p, arg, -1))
			return 0;
	} else {
		zn_buf_addch(p->b, '(');
		if (!expr(p, arg, 0))
			return 0;
		zn_buf_addch(p->b, ')');
	}
	zn_buf_adds(p->b, "::");
	return typename(p, type, typmod);
}

/* Whether a type list "a b ..." is the types of t's arguments. */
static int
argtypes(const struct zn_nt *t, const char *list)
{
	const char *q = list;
	char *end;
	int i;

	for (i = 0; i < t->nargs; i++) {
		if (strtoul(q, &end, 10) != t->args[i]->type || end == q)
			return 0;
		q = end;
	}
	while (*q == ' ')
		q++;
	return *q == '\0';
}

#define ANYENUM "3500 3500"
#define ANYARRAY "2277 2277"

/* Whether type is of class cls (TYPINFO's first letter). */
static int
polyarg(struct dp *p, unsigned long type, int cls)
{
	const char *info = zn_dpnames_typinfo(p->d, type);

	return info != NULL && info[0] == cls;
}

/* generate_operator_name(): 0 when the server might name it otherwise. */
static int
opname(struct dp *p, unsigned long opno, unsigned long left,
    unsigned long right, int *kind)
{
	int row = namerow(p->d, 'o', opno);
	char types[64];
	const char *schema;

	if (row < 0)
		return 0;
	*kind = PQgetvalue(p->d->r, row, N_B)[0];
	schema = PQgetvalue(p->d->r, row, N_SCHEMA);
	if (strcmp(schema, "pg_catalog") == 0) {
		/*
		 * The operator the parser finds by name and exact types, or
		 * the one of anyenum or anyarray for two values of one enum
		 * or array type: no other is a candidate.
		 */
		snprintf(types, sizeof(types), "%lu %lu", left, right);
		if (strcmp(PQgetvalue(p->d->r, row, N_A), types) != 0 &&
		    !(left == right && *kind == 'b' && ((strcmp(PQgetvalue(
		    p->d->r, row, N_A), ANYENUM) == 0 && polyarg(p, left,
		    'e')) || (strcmp(PQgetvalue(p->d->r, row, N_A),
		    ANYARRAY) == 0 && polyarg(p, left, 'a')))))
			return 0;
		zn_buf_adds(p->b, PQgetvalue(p->d->r, row, N_NAME));
		return 1;
	}
	zn_buf_adds(p->b, "OPERATOR(");
	p->x->ident(p->x->arg, p->b, schema);
	zn_buf_addch(p->b, '.');
	zn_buf_adds(p->b, PQgetvalue(p->d->r, row, N_NAME));
	zn_buf_addch(p->b, ')');
	return 1;
}

/* A list of expressions, ", " between them (ruleutils.c's T_List). */
static int
exprlist(struct dp *p, const struct zn_nt *t)
{
	int i;

	for (i = 0; i < t->nargs; i++) {
		if (i > 0)
			zn_buf_adds(p->b, ", ");
		if (!expr(p, t->args[i], 1))
			return 0;
	}
	return 1;
}

static int
opexpr(struct dp *p, const struct zn_nt *t)
{
	int kind;

	zn_buf_addch(p->b, '(');
	if (t->nargs == 2) {
		if (!expr(p, t->args[0], 1))
			return 0;
		zn_buf_addch(p->b, ' ');
		if (!opname(p, t->oid, t->args[0]->type, t->args[1]->type,
		    &kind) || kind != 'b')
			return 0;
		zn_buf_addch(p->b, ' ');
		if (!expr(p, t->args[1], 1))
			return 0;
	} else if (t->nargs == 1) {
		if (!opname(p, t->oid, 0, t->args[0]->type, &kind) ||
		    kind != 'l')
			return 0;
		zn_buf_addch(p->b, ' ');
		if (!expr(p, t->args[0], 1))
			return 0;
	} else
		return 0;
	zn_buf_addch(p->b, ')');
	return 1;
}

static int
funcexpr(struct dp *p, const struct zn_nt *t, int showimplicit)
{
	int row;
	long typmod = -1;
	const char *schema, *name;

	if (t->nargs < 1 && t->num != CF_CALL)
		return 0;
	if (t->num == CF_IMPLICIT && !showimplicit)
		return expr(p, t->args[0], 0);
	if (t->num == CF_EXPLICIT || t->num == CF_IMPLICIT) {
		/* exprIsLengthCoercion(): the typmod is the second argument. */
		if (t->nargs >= 2 && t->args[1]->tag == NT_CONST &&
		    t->args[1]->oid == INT4OID && !t->args[1]->flag) {
			if (!p->d->le || t->args[1]->vlen < 4)
				return 0;
			typmod = (int)le32(t->args[1]->val);
		}
		return coercion(p, t->args[0], t->type, typmod);
	}
	if ((row = namerow(p->d, 'f', t->oid)) < 0)
		return 0;
	schema = PQgetvalue(p->d->r, row, N_SCHEMA);
	name = PQgetvalue(p->d->r, row, N_NAME);
	if (t->num == CF_SQL) {
		/* get_func_sql_syntax(): of its cases, AT TIME ZONE only. */
		if (strcmp(schema, "pg_catalog") != 0 ||
		    strcmp(name, "timezone") != 0 || t->nargs != 2)
			return 0;
		zn_buf_addch(p->b, '(');
		if (!expr(p, t->args[1], 0))
			return 0;
		zn_buf_adds(p->b, " AT TIME ZONE ");
		if (!expr(p, t->args[0], 0))
			return 0;
		zn_buf_addch(p->b, ')');
		return 1;
	}
	if (t->num != CF_CALL || t->flag ||
	    PQgetvalue(p->d->r, row, N_B)[0] != 't')
		return 0;
	/* generate_function_name(): found by name and exact types. */
	if (strcmp(schema, "pg_catalog") == 0) {
		if (!argtypes(t, PQgetvalue(p->d->r, row, N_A)))
			return 0;
	} else {
		p->x->ident(p->x->arg, p->b, schema);
		zn_buf_addch(p->b, '.');
	}
	p->x->ident(p->x->arg, p->b, name);
	zn_buf_addch(p->b, '(');
	if (!exprlist(p, t))
		return 0;
	zn_buf_addch(p->b, ')');
	return 1;
}

static int
boolexpr(struct dp *p, const struct zn_nt *t)
{
	int i;

	zn_buf_addch(p->b, '(');
	if (t->num == 2) {
		if (t->nargs != 1)
			return 0;
		zn_buf_adds(p->b, "NOT ");
		if (!expr(p, t->args[0], 0))
			return 0;
	} else
		for (i = 0; i < t->nargs; i++) {
			if (i > 0)
				zn_buf_adds(p->b, t->num == 0 ? " AND " :
				    " OR ");
			if (!expr(p, t->args[i], 0))
				return 0;
		}
	zn_buf_addch(p->b, ')');
	return 1;
}

static int
nulltest(struct dp *p, const struct zn_nt *t)
{
	const char *info = zn_dpnames_typinfo(p->d, t->args[0]->type);

	/* A row type's test is written IS [NOT] DISTINCT FROM NULL. */
	if (t->flag || info == NULL || info[0] == 'c' || info[0] == 'd' ||
	    t->args[0]->type == RECORDOID || t->num < 0 || t->num > 1)
		return 0;
	zn_buf_addch(p->b, '(');
	if (!expr(p, t->args[0], 1))
		return 0;
	zn_buf_adds(p->b, t->num == 0 ? " IS NULL)" : " IS NOT NULL)");
	return 1;
}

static int
booleantest(struct dp *p, const struct zn_nt *t)
{
	static const char *const test[] = { " IS TRUE", " IS NOT TRUE",
	    " IS FALSE", " IS NOT FALSE", " IS UNKNOWN", " IS NOT UNKNOWN" };

	if (t->num < 0 || t->num > 5)
		return 0;
	zn_buf_addch(p->b, '(');
	if (!expr(p, t->args[0], 0))
		return 0;
	zn_buf_adds(p->b, test[t->num]);
	zn_buf_addch(p->b, ')');
	return 1;
}

static int
saop(struct dp *p, const struct zn_nt *t)
{
	int row = namerow(p->d, 't', t->args[1]->type), kind;
	unsigned long elemtype;

	/* get_base_element_type() of a type that is not a domain. */
	if (row < 0 || PQgetvalue(p->d->r, row, N_A)[0] == 'd' ||
	    (elemtype = strtoul(PQgetvalue(p->d->r, row, N_C), NULL,
	    10)) == 0)
		return 0;
	zn_buf_addch(p->b, '(');
	if (!expr(p, t->args[0], 1))
		return 0;
	zn_buf_addch(p->b, ' ');
	if (!opname(p, t->oid, t->args[0]->type, elemtype, &kind) ||
	    kind != 'b')
		return 0;
	zn_buf_adds(p->b, t->flag ? " ANY (" : " ALL (");
	if (!expr(p, t->args[1], 1))
		return 0;
	zn_buf_adds(p->b, "))");
	return 1;
}

static int
arrayexpr(struct dp *p, const struct zn_nt *t)
{
	zn_buf_adds(p->b, "ARRAY[");
	if (!exprlist(p, t))
		return 0;
	zn_buf_addch(p->b, ']');
	if (t->nargs == 0) {
		zn_buf_adds(p->b, "::");
		return typename(p, t->type, -1);
	}
	return 1;
}

/* get_rule_expr() without pretty-printing. */
static int
expr(struct dp *p, const struct zn_nt *t, int showimplicit)
{
	const char *col;

	switch (t->tag) {
	case NT_VAR:
		if (t->varno != 1 || t->levelsup != 0 || t->num <= 0 ||
		    (col = p->x->column(p->x->arg, t->num)) == NULL)
			return 0;
		p->x->ident(p->x->arg, p->b, col);
		return 1;
	case NT_CONST:
		return constant(p, t, 0);
	case NT_OPEXPR:
		return opexpr(p, t);
	case NT_FUNCEXPR:
		return funcexpr(p, t, showimplicit);
	case NT_BOOLEXPR:
		return boolexpr(p, t);
	case NT_NULLTEST:
		return nulltest(p, t);
	case NT_BOOLEANTEST:
		return booleantest(p, t);
	case NT_RELABEL:
	case NT_COERCEIO:
	case NT_ARRAYCOERCE:
		if (t->num == CF_IMPLICIT && !showimplicit)
			return expr(p, t->args[0], 0);
		if (t->num != CF_IMPLICIT && t->num != CF_EXPLICIT)
			return 0;
		return coercion(p, t->args[0], t->type, t->typmod);
	case NT_SAOP:
		return saop(p, t);
	case NT_ARRAYEXPR:
		return arrayexpr(p, t);
	default:
		return 0;
	}
}

int
zn_nt_deparse(const struct zn_nt *t, int i, const struct zn_dpctx *x,
    struct zn_buf *b)
{
	struct dp p;

	if (x->names == NULL || i < 0 || i >= zn_nt_count(t))
		return 0;
	p.x = x;
	p.d = x->names;
	p.b = b;
	return expr(&p, elem(t, i), 0);
}
