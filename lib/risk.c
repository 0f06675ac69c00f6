/* SPDX-License-Identifier: ISC */
/*
 * risk.c: zn-classify's rule set.
 *
 * Each op is classified from the SQL it runs, statement by statement:
 * a recogniser turns every statement into facts (the lock it takes on
 * each relation that exists before the plan, the work it does under
 * that lock, data loss, what may fail on existing rows, whether it
 * breaks clients, whether it must run outside a transaction), the facts
 * into reason codes with scores, and the op's score is the highest of
 * them after the modifiers: objects created earlier in the same plan,
 * the server version, table sizes, data probes.  The op's args only
 * fill in what the SQL cannot say (the type a column had).  Statements
 * the recogniser does not know are raw_sql.  The codes and their
 * default scores are those of zn-classify(1), defined in reasons.c.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "zn.h"

/* A member with a key known to be valid UTF-8, as every literal here. */
#define SET(o, k, v) json_object_set_new_nocheck((o), (k), (v))

/* The codes (reasons.c) by the short names the rules use. */
enum {
	DROPS_TABLE = ZN_RC_DROPS_TABLE, DROPS_COLUMN = ZN_RC_DROPS_COLUMN,
	NARROWS = ZN_RC_NARROWS, DROPS_OBJECT = ZN_RC_DROPS_OBJECT,
	DROPS_CONSTRAINT = ZN_RC_DROPS_CONSTRAINT,
	RENAME_TABLE = ZN_RC_RENAME_TABLE, RENAME_COLUMN = ZN_RC_RENAME_COLUMN,
	BREAKS = ZN_RC_BREAKS, REBUILDS = ZN_RC_REBUILDS,
	CHANGES_TYPE = ZN_RC_CHANGES_TYPE, NOT_NULL = ZN_RC_NOT_NULL,
	VALIDATES = ZN_RC_VALIDATES, ADDS_INDEX = ZN_RC_ADDS_INDEX,
	DROPS_INDEX = ZN_RC_DROPS_INDEX, ADDS_UNIQUE = ZN_RC_ADDS_UNIQUE,
	ADDS_FK = ZN_RC_ADDS_FK, REQUIRED = ZN_RC_REQUIRED,
	AE_LOCK = ZN_RC_AE_LOCK, NONTX = ZN_RC_NONTX, HOLDS = ZN_RC_HOLDS,
	BACKFILL = ZN_RC_BACKFILL, RLS = ZN_RC_RLS, RAW = ZN_RC_RAW
};

/* The score one level down, for small tables (never below low). */
static int
banddown(int score)
{
	static const int anchor[] = { 5, 15, 15, 35, 60, 80 };

	return anchor[zn_level_of(score)];
}

void
zn_risk_opts_init(struct zn_risk_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_risk = -1;
	o->lock_timeout_ms = 5000;
	o->max_lock_timeout_ms = 60000;
	o->probe_timeout_ms = 5000;
	o->preflight = 1;
	o->small_rows = 10000;
	o->large_rows = 1000000;
	o->large_bytes = 1024.0 * 1024 * 1024;
}

/* ---- a string map ---- */

struct smap {
	char **k;
	void **v;
	size_t cap, n;
};

static size_t
strhash(const char *s)
{
	size_t h = 5381;

	for (; *s != '\0'; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

static void **
slot(struct smap *m, const char *k, int add)
{
	size_t i;

	if (add && (m->n + 1) * 2 > m->cap) {
		struct smap g = { NULL, NULL, m->cap ? m->cap * 2 : 64, 0 };

		g.k = zn_xcalloc(g.cap, sizeof(*g.k));
		g.v = zn_xcalloc(g.cap, sizeof(*g.v));
		for (i = 0; i < m->cap; i++)
			if (m->k[i] != NULL) {
				size_t j = strhash(m->k[i]) & (g.cap - 1);

				while (g.k[j] != NULL)
					j = (j + 1) & (g.cap - 1);
				g.k[j] = m->k[i];
				g.v[j] = m->v[i];
				g.n++;
			}
		free(m->k);
		free(m->v);
		*m = g;
	}
	if (m->cap == 0)
		return NULL;
	for (i = strhash(k) & (m->cap - 1); m->k[i] != NULL;
	    i = (i + 1) & (m->cap - 1))
		if (strcmp(m->k[i], k) == 0)
			return &m->v[i];
	if (!add)
		return NULL;
	m->k[i] = zn_xstrdup(k);
	m->n++;
	return &m->v[i];
}

static void
sset(struct smap *m, const char *k, void *v)
{
	*slot(m, k, 1) = v;
}

static void *
sget(struct smap *m, const char *k)
{
	void **p = slot(m, k, 0);

	return p != NULL ? *p : NULL;
}

static int
shas(struct smap *m, const char *k)
{
	return slot(m, k, 0) != NULL;
}

static void
sfree(struct smap *m, int values)
{
	size_t i;

	for (i = 0; i < m->cap; i++) {
		free(m->k[i]);
		if (values)
			free(m->v[i]);
	}
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* ---- facts ---- */

/* Lock modes by rank (zn_lock_rank), weakest first. */
enum { L_NONE, L_AS, L_RS, L_RE, L_SUE, L_S, L_SRE, L_EX, L_AE };
static const struct {
	const char *pg, *name;
} lockmodes[] = {
	{ "AccessShareLock", "ACCESS SHARE" },
	{ "RowShareLock", "ROW SHARE" },
	{ "RowExclusiveLock", "ROW EXCLUSIVE" },
	{ "ShareUpdateExclusiveLock", "SHARE UPDATE EXCLUSIVE" },
	{ "ShareLock", "SHARE" },
	{ "ShareRowExclusiveLock", "SHARE ROW EXCLUSIVE" },
	{ "ExclusiveLock", "EXCLUSIVE" },
	{ "AccessExclusiveLock", "ACCESS EXCLUSIVE" },
};

int
zn_lock_rank(const char *mode)
{
	size_t i;

	for (i = 0; mode != NULL && i < sizeof(lockmodes) /
	    sizeof(lockmodes[0]); i++)
		if (strcmp(mode, lockmodes[i].pg) == 0 ||
		    strcmp(mode, lockmodes[i].name) == 0)
			return (int)i + 1;
	return 0;
}

const char *
zn_lock_name(int rank)
{
	return rank >= 1 && (size_t)rank <= sizeof(lockmodes) /
	    sizeof(lockmodes[0]) ? lockmodes[rank - 1].name : "";
}
enum { W_NONE, W_SCAN, W_INDEX, W_REWRITE, W_DATA };
static const char *const workname[] = { "none", "scan", "index_build",
    "rewrite", "data_move" };
enum { MF_DUPES = 1, MF_ORPHANS = 2, MF_NULLS = 4, MF_ROWS = 8,
	MF_RANGE = 16, MF_CAST = 32, MF_VIOLATION = 64 };
static const char *const mfname[] = { "duplicates", "orphans", "nulls",
    "rows", "out_of_range", "cast", "violations" };

struct reason {
	int code, score;
	int sized;		/* table size changes the score */
	const char *rel;	/* the relation whose size matters */
	const char *detail;
};

struct lockf {
	const char *rel;
	int mode;
};

struct probe {
	const char *check;	/* duplicates, orphans, nulls, ... */
	const char *rel;
	const char *sql;	/* one SELECT of row texts */
	int code;		/* the reason a hit is evidence for */
	json_t *result;		/* what it found */
};

struct opr {
	struct reason *r;
	size_t nr, cr;
	struct lockf *locks;
	size_t nl, cl;
	struct probe *probes;
	size_t np, cp;
	int base;		/* floor of the score without codes */
	int work, holds, loss, mayfail;
	int outside;		/* a statement must run outside a tx */
	int txctl;		/* BEGIN, COMMIT, ... in the op */
	int nstmt;
	int raw;		/* rawSql or an unknown kind */
	long lt;		/* lock_timeout set by the op: -1 none */
	int ltunbounded;	/* set to 0, DEFAULT or RESET */
	int ltneed;		/* a strong lock with no bound of its own */
	int heldmode;		/* strongest lock held so far in the op */
	const char *heldrel;
	int allnew;		/* every relation touched is new */
	int touched;
	json_t *notes;
	json_t *suppress;	/* borrowed: the op's suppressions */
};

struct cx {
	const struct zn_risk_opts *o;
	struct zn_arena a;
	long ver;
	int collect;		/* first pass: what to look up */
	struct smap newrels;	/* created earlier in the plan */
	struct smap nnchecks;	/* "rel|con" -> "rel|col", not-null checks */
	struct smap proven;	/* "rel|col" with a valid not-null check */
	struct smap stats;	/* rel -> struct tstat */
	struct smap coltype;	/* "rel|col" -> type text */
	struct smap volatil;	/* function name -> "v" or "s" */
	struct smap wantrel, wantcol, wantfn, wanttype;
	struct smap cdomain;	/* type text -> domain with a CHECK */
	struct smap viewdeps;	/* "rel|col" -> views using it, ", " */
	struct smap colchecks;	/* "rel|col" -> its CHECKs' names */
	struct smap wantidx;	/* "rel|index" for PRIMARY KEY USING INDEX */
	struct smap idxnull;	/* "rel|index" -> its nullable columns */
	struct smap nnset;	/* "rel|col" SET NOT NULL by an earlier step */
	struct smap goneviews;	/* relations dropped by earlier steps */
	struct smap gonecons;	/* "rel|con" dropped by earlier steps */
	struct smap wantdrop;	/* relations dropped without CASCADE */
	struct smap wantcon;	/* "rel|con" of DROP CONSTRAINT */
	struct smap fkref;	/* "rel|con" -> the table a foreign key references */
	struct smap dropdeps;	/* rel -> "key\tlabel\n" of what needs it */
	struct smap later;	/* "rel|con" -> struct later, NOT VALID */
	const struct zn_op *op;	/* the op being classified */
	const char *tz;		/* the TimeZone the op sets, or NULL */
	int stmtonly;		/* the statement says ONLY: no recursion */
	struct smap labels;	/* enum labels the op adds: 'literal' */
	struct smap opnv;	/* "rel|con" the op adds NOT VALID */
	struct zn_buf fb;	/* fmt's scratch */
	struct zn_toks toks;	/* sqltext's, reused */
};

/* A constraint added NOT VALID: what its VALIDATE should probe. */
struct later {
	const char *check;
	int code;
	const char *sql;
};

struct tstat {
	double rows, bytes;
	const char *source;
	int partitioned;	/* a partitioned table (relkind p) */
	const char *parts;	/* its partitions and children, "a\nb\n" */
};

static const char *
keep(struct cx *x, char *s)
{
	return zn_arena_keep(&x->a, s);
}

static const char *
fmt(struct cx *x, const char *f, ...) ZN_PRINTF(2, 3);

static const char *
fmt(struct cx *x, const char *f, ...)
{
	va_list ap;

	zn_buf_reset(&x->fb);
	va_start(ap, f);
	zn_buf_vaddf(&x->fb, f, ap);
	va_end(ap);
	return zn_arena_strndup(&x->a, x->fb.buf, x->fb.len);
}

static int
isnew(struct cx *x, const char *rel)
{
	return rel != NULL && shas(&x->newrels, rel);
}

/*
 * A reason at a score of its own: the variants zn-classify(1) lists
 * beside a code (CONCURRENTLY, CASCADE, NOT VALID, ...).
 */
static void
reasonat(struct cx *x, struct opr *r, int code, int score, const char *rel,
    int sized, const char *detail)
{
	if (x->collect)
		return;
	if (r->nr == r->cr) {
		r->cr = r->cr ? r->cr * 2 : 8;
		r->r = zn_xreallocarray(r->r, r->cr, sizeof(*r->r));
	}
	r->r[r->nr].code = code;
	r->r[r->nr].score = score;
	r->r[r->nr].rel = rel;
	r->r[r->nr].sized = sized;
	r->r[r->nr].detail = detail;
	r->nr++;
}

/* A reason at its code's score (reasons.c). */
static void
reason(struct cx *x, struct opr *r, int code, const char *rel, int sized,
    const char *detail)
{
	reasonat(x, r, code, zn_risk_code_score(code), rel, sized, detail);
}

static void
note(struct cx *x, struct opr *r, const char *s)
{
	if (x->collect)
		return;
	if (r->notes == NULL)
		r->notes = json_array();
	json_array_append_new(r->notes, json_string(s));
}

/*
 * The statement takes mode on rel.  Locks on relations made earlier in
 * the plan are nobody else's concern and are not listed.
 */
static void lockone(struct cx *, struct opr *, const char *, int);

/*
 * A lock on rel, and on its partitions and inheritance children, which
 * a statement without ONLY takes too.
 */
static void
lock(struct cx *x, struct opr *r, const char *rel, int mode)
{
	const struct tstat *ts;
	const char *p, *nl;

	if (rel == NULL)
		return;
	lockone(x, r, rel, mode);
	if (x->collect || x->stmtonly || (ts = sget(&x->stats, rel)) == NULL ||
	    ts->parts == NULL)
		return;
	for (p = ts->parts; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		lockone(x, r, zn_arena_strndup(&x->a, p, (size_t)(nl - p)),
		    mode);
}

static void
lockone(struct cx *x, struct opr *r, const char *rel, int mode)
{
	size_t i;

	if (x->collect) {
		sset(&x->wantrel, rel, NULL);
		return;
	}
	r->touched = 1;
	if (isnew(x, rel))
		return;
	r->allnew = 0;
	for (i = 0; i < r->nl; i++)
		if (strcmp(r->locks[i].rel, rel) == 0) {
			if (mode > r->locks[i].mode)
				r->locks[i].mode = mode;
			return;
		}
	if (r->nl == r->cl) {
		r->cl = r->cl ? r->cl * 2 : 4;
		r->locks = zn_xreallocarray(r->locks, r->cl,
		    sizeof(*r->locks));
	}
	r->locks[r->nl].rel = rel;
	r->locks[r->nl].mode = mode;
	r->nl++;
}

static void
probe(struct cx *x, struct opr *r, const char *check, const char *rel,
    int code, const char *sql)
{
	if (x->collect || x->o->conn == NULL || !x->o->preflight ||
	    isnew(x, rel))
		return;
	if (r->np == r->cp) {
		r->cp = r->cp ? r->cp * 2 : 4;
		r->probes = zn_xreallocarray(r->probes, r->cp,
		    sizeof(*r->probes));
	}
	r->probes[r->np].check = check;
	r->probes[r->np].rel = rel;
	r->probes[r->np].code = code;
	r->probes[r->np].sql = sql;
	r->probes[r->np].result = NULL;
	r->np++;
}

/* The op scores at least n, with or without a code. */
static void
atleast(struct opr *r, int n)
{
	if (r->base < n)
		r->base = n;
}

/* ACCESS EXCLUSIVE on rel for a catalog change: code 18. */
static void
briefae(struct cx *x, struct opr *r, const char *rel)
{
	reason(x, r, AE_LOCK, rel, 0, fmt(x, "ACCESS EXCLUSIVE on %s, "
	    "briefly", rel));
}

/* ---- reading a statement ---- */

struct ps {
	const struct zn_tok *t;
	size_t i, n;
	const char *text;	/* the statement, for spans */
};

static const struct zn_tok *
cur(struct ps *p)
{
	return p->i < p->n ? &p->t[p->i] : NULL;
}

static int
at(struct ps *p, const char *w)
{
	return p->i < p->n && zn_tok_is(&p->t[p->i], w);
}

static int
atk(struct ps *p, enum zn_tk k)
{
	return p->i < p->n && p->t[p->i].t == k;
}

static int
eat(struct ps *p, const char *w)
{
	if (!at(p, w))
		return 0;
	p->i++;
	return 1;
}

/* Eats a sequence of words, all or none. */
static int
eats(struct ps *p, const char *w1, const char *w2, const char *w3)
{
	size_t i = p->i;

	if (eat(p, w1) && (w2 == NULL || eat(p, w2)) &&
	    (w3 == NULL || eat(p, w3)))
		return 1;
	p->i = i;
	return 0;
}

static int
isname(const struct zn_tok *t)
{
	return t != NULL && (t->t == ZN_TK_WORD || t->t == ZN_TK_QIDENT);
}

static const char *
ident(struct cx *x, struct ps *p)
{
	if (!isname(cur(p)))
		return NULL;
	return keep(x, zn_tok_ident(&p->t[p->i++]));
}

/*
 * A qualified name; unqualified names are taken to be in public, the
 * schema of an empty search_path's default.  Returns the relation key
 * (quoted and qualified, as people read it) and the parts.
 */
static const char *
qname(struct cx *x, struct ps *p, const char **schemap, const char **namep)
{
	const char *a, *b = NULL, *c = NULL;

	if ((a = ident(x, p)) == NULL)
		return NULL;
	if (atk(p, ZN_TK_DOT)) {
		p->i++;
		if ((b = ident(x, p)) == NULL)
			return NULL;
		if (atk(p, ZN_TK_DOT)) {
			p->i++;
			if ((c = ident(x, p)) == NULL)
				return NULL;
		}
	}
	if (c != NULL) {
		a = b;
		b = c;
	}
	if (b == NULL) {
		b = a;
		a = "public";
	}
	if (schemap != NULL)
		*schemap = a;
	if (namep != NULL)
		*namep = b;
	return zn_arena_qualified(&x->a, a, b);
}

/* The index after the balanced (...) or [...] group at t[j], up to to. */
static size_t
groupend(const struct zn_tok *t, size_t j, size_t to)
{
	int depth = 0;

	do {
		enum zn_tk k = t[j].t;

		if (k == ZN_TK_LPAREN || k == ZN_TK_LBRACKET)
			depth++;
		else if (k == ZN_TK_RPAREN || k == ZN_TK_RBRACKET)
			depth--;
		j++;
	} while (j < to && depth > 0);
	return j;
}

/* Skips a balanced (...) or [...] group at the cursor. */
static void
skipgroup(struct ps *p)
{
	p->i = groupend(p->t, p->i, p->n);
}

/* Skips to the next top-level comma (not eaten) or the end. */
static void
skipitem(struct ps *p)
{
	while (p->i < p->n && !atk(p, ZN_TK_COMMA)) {
		if (atk(p, ZN_TK_LPAREN) || atk(p, ZN_TK_LBRACKET))
			skipgroup(p);
		else
			p->i++;
	}
}

/* The text of tokens [from, to). */
static const char *
span(struct cx *x, struct ps *p, size_t from, size_t to)
{
	const char *s, *e;

	if (from >= to)
		return "";
	s = p->t[from].s;
	e = p->t[to - 1].s + p->t[to - 1].n;
	return keep(x, zn_xstrndup(s, (size_t)(e - s)));
}

/* The inside of the (...) group at the cursor, which is eaten. */
static const char *
inner(struct cx *x, struct ps *p, size_t *from, size_t *to)
{
	size_t b;

	if (!atk(p, ZN_TK_LPAREN))
		return NULL;
	b = p->i;
	skipgroup(p);
	if (from != NULL)
		*from = b + 1;
	if (to != NULL)
		*to = p->i - 1;
	return span(x, p, b + 1, p->i - 1);
}

/* A parenthesised list of column names, as identifiers. */
static json_t *
namelist(struct cx *x, struct ps *p)
{
	json_t *a = json_array();
	const char *s;

	if (!atk(p, ZN_TK_LPAREN))
		return a;
	p->i++;
	while (p->i < p->n && !atk(p, ZN_TK_RPAREN)) {
		if ((s = ident(x, p)) != NULL)
			json_array_append_new(a, json_string(s));
		while (p->i < p->n && !atk(p, ZN_TK_COMMA) &&
		    !atk(p, ZN_TK_RPAREN)) {
			if (atk(p, ZN_TK_LPAREN) || atk(p, ZN_TK_LBRACKET))
				skipgroup(p);
			else
				p->i++;
		}
		if (atk(p, ZN_TK_COMMA))
			p->i++;
	}
	if (atk(p, ZN_TK_RPAREN))
		p->i++;
	return a;
}


/*
 * Whether the op being read is an archiveColumn whose own statements
 * copy column col into _zanith_archive before dropping it.
 */
static int
archived(const struct cx *x, const char *col)
{
	const json_t *v;
	size_t i;
	const char *parks = x->op != NULL ? zn_op_parks(x->op) : NULL;

	if (parks == NULL || strcmp(parks, "archive_column") != 0 ||
	    col == NULL || zn_json_str(zn_op_args(x->op), "name") == NULL ||
	    strcmp(zn_json_str(zn_op_args(x->op), "name"), col) != 0)
		return 0;
	json_array_foreach(zn_op_sql(x->op), i, v)
		if (json_is_string(v) && strncmp(json_string_value(v),
		    "CREATE TABLE _zanith_archive.", 29) == 0)
			return 1;
	return 0;
}

static const char *
qident(struct cx *x, const char *s)
{
	return zn_arena_ident(&x->a, s);
}

/* ---- types ---- */

struct ty {
	char base[64];
	int a, b;		/* type modifiers, -1 when absent */
	int array;
};

/* The type written in tokens [from, to), normalised to one spelling. */
static void
typeof_(struct ty *ty, const struct zn_tok *t, size_t from, size_t to)
{
	struct zn_buf w = ZN_BUF_INIT;
	size_t i;
	int nmod = 0, tz = -1;
	static const char *const alias[][2] = {
		{ "int", "integer" }, { "int4", "integer" },
		{ "int8", "bigint" }, { "int2", "smallint" },
		{ "character varying", "varchar" },
		{ "char varying", "varchar" },
		{ "character", "bpchar" }, { "char", "bpchar" },
		{ "decimal", "numeric" }, { "float8", "double precision" },
		{ "float4", "real" }, { "bool", "boolean" },
		{ "timestamptz", "timestamptz" }, { "timetz", "timetz" },
		{ "bit varying", "varbit" }, { "serial4", "serial" },
		{ "serial8", "bigserial" }, { "serial2", "smallserial" },
		{ NULL, NULL }
	};

	ty->a = ty->b = -1;
	ty->array = 0;
	for (i = from; i < to; i++) {
		if (t[i].t == ZN_TK_LPAREN) {
			for (i++; i < to && t[i].t != ZN_TK_RPAREN; i++)
				if (t[i].t == ZN_TK_NUMBER) {
					int v = atoi(t[i].s);

					if (nmod == 0)
						ty->a = v;
					else if (nmod == 1)
						ty->b = v;
					nmod++;
				}
			continue;
		}
		if (t[i].t == ZN_TK_LBRACKET) {
			ty->array = 1;
			continue;
		}
		if (t[i].t == ZN_TK_RBRACKET || t[i].t == ZN_TK_NUMBER)
			continue;
		if (zn_tok_is(&t[i], "with") || zn_tok_is(&t[i], "without")) {
			tz = zn_tok_is(&t[i], "with");
			i += 2;	/* time zone */
			continue;
		}
		if (zn_tok_is(&t[i], "array")) {
			ty->array = 1;
			continue;
		}
		if (t[i].t == ZN_TK_DOT) {
			zn_buf_addch(&w, '.');
			continue;
		}
		if (w.len > 0 && w.buf[w.len - 1] != '.')
			zn_buf_addch(&w, ' ');
		{
			char *id = zn_tok_ident(&t[i]);

			zn_buf_adds(&w, id);
			free(id);
		}
	}
	for (i = 0; alias[i][0] != NULL; i++)
		if (strcmp(w.buf, alias[i][0]) == 0) {
			zn_buf_reset(&w);
			zn_buf_adds(&w, alias[i][1]);
			break;
		}
	if (strcmp(w.buf, "pg_catalog.") > 0 &&
	    strncmp(w.buf, "pg_catalog.", 11) == 0) {
		char *s = zn_xstrdup(w.buf + 11);

		zn_buf_reset(&w);
		zn_buf_adds(&w, s);
		free(s);
	}
	if (strcmp(w.buf, "float") == 0) {
		zn_buf_reset(&w);
		zn_buf_adds(&w, ty->a >= 0 && ty->a <= 24 ? "real" :
		    "double precision");
		ty->a = -1;
	}
	if (tz == 1 && strcmp(w.buf, "timestamp") == 0)
		zn_buf_adds(&w, "tz");
	if (tz == 1 && strcmp(w.buf, "time") == 0)
		zn_buf_adds(&w, "tz");
	snprintf(ty->base, sizeof(ty->base), "%s", w.buf);
	zn_buf_release(&w);
}

static void
typeof_text(struct ty *ty, const char *text)
{
	struct zn_toks ts = { NULL, 0, 0, 0 };

	zn_sql_tokens(&ts, text);
	typeof_(ty, ts.v, 0, ts.n);
	zn_sql_tokens_release(&ts);
}

static int
isbase(const struct ty *t, const char *b)
{
	return strcmp(t->base, b) == 0;
}

static int
intrank(const struct ty *t)
{
	if (isbase(t, "smallint"))
		return 1;
	if (isbase(t, "integer"))
		return 2;
	if (isbase(t, "bigint"))
		return 3;
	return 0;
}

static int
timeish(const struct ty *t)
{
	return isbase(t, "timestamp") || isbase(t, "timestamptz") ||
	    isbase(t, "time") || isbase(t, "timetz") ||
	    isbase(t, "interval");
}

static int
textish(const struct ty *t)
{
	return isbase(t, "text") || isbase(t, "varchar") ||
	    isbase(t, "bpchar");
}

/*
 * What a change from f to t does to the stored values.  Sets *rewrite
 * when the heap is rewritten, *narrow to 1 when values may fail and 2
 * when they are changed silently, and *why.  The table follows the
 * measured families of zn-classify(1), TYPE CHANGES, not pg_cast.
 */
/* Whether a TimeZone value (as the SET gives it) is UTC itself. */
static int
utczone(const char *v)
{
	static const char *const utc[] = { "utc", "etc/utc", "gmt",
	    "etc/gmt", "uct", "etc/uct", "universal", "etc/universal",
	    "zulu", "etc/zulu", "z", "0", "+00", "+00:00", "utc0",
	    "gmt0", "etc/gmt0", "etc/gmt+0", "etc/gmt-0", "greenwich",
	    "etc/greenwich", NULL };
	char buf[32];
	size_t i, n = 0;

	for (; *v != '\0' && n + 1 < sizeof(buf); v++)
		if (*v != '\'' && *v != '"' && *v != ' ')
			buf[n++] = (char)(*v >= 'A' && *v <= 'Z' ? *v + 32 :
			    *v);
	buf[n] = '\0';
	if (*v != '\0')
		return 0;
	for (i = 0; utc[i] != NULL; i++)
		if (strcmp(buf, utc[i]) == 0)
			return 1;
	return 0;
}

static void
typechange(struct cx *x, const struct ty *f, const struct ty *t, int using,
    int *rewrite, int *narrow, const char **why)
{
	int pf, pt;

	*rewrite = 1;
	*narrow = 0;
	*why = "the types are not binary compatible";
	if (f->array != t->array || (f->array && (strcmp(f->base, t->base) != 0
	    || f->a != t->a || f->b != t->b))) {
		*why = "array types are rewritten";
		if (f->array && t->array && strcmp(f->base, t->base) == 0)
			*narrow = (t->a >= 0 && (f->a < 0 || t->a < f->a)) ?
			    1 : 0;
		return;
	}
	if (using) {
		*why = "a USING expression rewrites every row";
		/* An explicit cast truncates instead of failing. */
		if (isbase(t, "varchar") && t->a >= 0 && (f->a < 0 ||
		    t->a < f->a))
			*narrow = 2;
		else if (isbase(t, "numeric") && t->b >= 0 &&
		    (isbase(f, "numeric") || isbase(f, "real") ||
		    isbase(f, "double precision")) && (f->b < 0 || t->b < f->b))
			*narrow = 2;
		else if (intrank(t) && (isbase(f, "numeric") ||
		    isbase(f, "real") || isbase(f, "double precision")))
			*narrow = 2;
		else if (intrank(t) && intrank(f) > intrank(t))
			*narrow = 1;
		else if (!textish(t) && textish(f))
			*narrow = 1;
		return;
	}
	if (strcmp(f->base, t->base) == 0 && f->a == t->a && f->b == t->b) {
		*rewrite = 0;
		*why = "the type is unchanged";
		return;
	}
	if (isbase(f, "varchar") && isbase(t, "varchar")) {
		if (t->a < 0 || (f->a >= 0 && t->a >= f->a)) {
			*rewrite = 0;
			*why = "a longer varchar is binary compatible";
		} else {
			*narrow = 1;
			*why = "a shorter varchar rewrites, and fails on "
			    "longer values";
		}
		return;
	}
	if ((isbase(f, "varchar") || isbase(f, "text")) &&
	    (isbase(t, "text") || (isbase(t, "varchar") && t->a < 0))) {
		*rewrite = 0;
		*why = "varchar and text are binary compatible";
		return;
	}
	if (isbase(f, "text") && isbase(t, "varchar")) {
		*narrow = 1;
		*why = "a length limit rewrites, and fails on longer values";
		return;
	}
	if (isbase(f, "numeric") && isbase(t, "numeric")) {
		pf = f->a;
		pt = t->a;
		if (t->a < 0) {
			*rewrite = f->a >= 0 ? 0 : 1;
			*why = "unconstrained numeric keeps every value";
			return;
		}
		if (f->a < 0) {
			*narrow = 2;
			*why = "a scale rounds unconstrained values";
			return;
		}
		if ((f->b < 0 ? 0 : f->b) == (t->b < 0 ? 0 : t->b)) {
			if (pt >= pf) {
				*rewrite = 0;
				*why = "more precision at the same scale is "
				    "binary compatible";
			} else {
				*narrow = 1;
				*why = "less precision fails on large values";
			}
			return;
		}
		if ((t->b < 0 ? 0 : t->b) < (f->b < 0 ? 0 : f->b)) {
			*narrow = 2;
			*why = "a smaller scale rounds stored values";
			return;
		}
		if (pt - t->b < pf - (f->b < 0 ? 0 : f->b))
			*narrow = 1;
		*why = "a scale change rewrites";
		return;
	}
	if (timeish(f) && timeish(t)) {
		int samefam = strcmp(f->base, t->base) == 0;
		int tzswap = (isbase(f, "timestamp") &&
		    isbase(t, "timestamptz")) || (isbase(f, "timestamptz") &&
		    isbase(t, "timestamp"));
		int pf6 = f->a < 0 ? 6 : f->a, pt6 = t->a < 0 ? 6 : t->a;

		if (!samefam && !tzswap)
			return;
		if (pt6 < pf6) {
			*narrow = 2;
			*why = "less precision rounds stored values";
			return;
		}
		if (tzswap && x->ver < 120000) {
			*why = "timestamp and timestamptz rewrite before "
			    "PostgreSQL 12";
			return;
		}
		if (tzswap && x->tz != NULL && !utczone(x->tz)) {
			*why = fmt(x, "the step sets TimeZone to %s: timestamp "
			    "and timestamptz are binary compatible only when "
			    "it is UTC", x->tz);
			return;
		}
		*rewrite = 0;
		*why = tzswap ? "timestamp and timestamptz are binary "
		    "compatible when the session time zone is UTC, as "
		    "zn-apply's is" : "more precision is binary compatible";
		return;
	}
	if (isbase(f, "varbit") && isbase(t, "varbit")) {
		if (t->a < 0 || (f->a >= 0 && t->a >= f->a)) {
			*rewrite = 0;
			*why = "a longer bit varying is binary compatible";
		} else
			*narrow = 1;
		return;
	}
	if (isbase(f, "cidr") && isbase(t, "inet")) {
		*rewrite = 0;
		*why = "cidr is binary compatible with inet";
		return;
	}
	if (isbase(f, "inet") && isbase(t, "cidr")) {
		*narrow = 1;
		*why = "inet values with host bits fail as cidr";
		return;
	}
	if (intrank(f) && intrank(t)) {
		if (intrank(t) < intrank(f)) {
			*narrow = 1;
			*why = "a smaller integer fails on large values";
		} else
			*why = "a wider integer rewrites every row";
		return;
	}
	if (intrank(t) && (isbase(f, "numeric") || isbase(f, "real") ||
	    isbase(f, "double precision"))) {
		*narrow = 2;
		*why = "an integer rounds fractions";
		return;
	}
	if (isbase(f, "double precision") && isbase(t, "real")) {
		*narrow = 2;
		*why = "real keeps fewer digits";
		return;
	}
	if (isbase(t, "numeric") && t->a >= 0 && (intrank(f) ||
	    isbase(f, "real") || isbase(f, "double precision"))) {
		*narrow = isbase(f, "real") || isbase(f, "double precision") ?
		    2 : 1;
		*why = "a bounded numeric may round or overflow";
		return;
	}
	if (textish(f) && !textish(t)) {
		*narrow = 1;
		*why = "text that does not parse as the new type fails";
		return;
	}
	if (isbase(t, "bpchar") && t->a >= 0 && textish(f)) {
		*narrow = 1;
		*why = "char(n) pads and fails on longer values";
		return;
	}
}

/* ---- the parts of statements ---- */

/*
 * Whether an expression may be volatile: it calls a function that is,
 * or one this version does not know (looked up on the live database
 * when there is one).
 */
static const char *const volatilefns[] = { "random", "gen_random_uuid",
    "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
    "clock_timestamp", "timeofday", "nextval", "setval", "setseed",
    "txid_current", "pg_current_xact_id", "random_normal", NULL };
static const char *const stablefns[] = { "now", "statement_timestamp",
    "transaction_timestamp", "current_setting", "to_char", "lower",
    "upper", "coalesce", "jsonb_build_object", "json_build_object",
    "jsonb_build_array", "json_build_array", "array", "row", "concat",
    "length", "abs", "round", "date_trunc", "timezone", "make_interval",
    "make_date", "to_jsonb", "to_json", "nullif", "greatest", "least",
    "md5", "btrim", "trim", "substring", "replace", "format",
    "current_date", "localtimestamp", "current_timestamp", "int4",
    "int8", "text", "numeric", "pg_catalog", "date", "interval",
    "timestamp", "timestamptz", "cast", "jsonb", "json", "uuid",
    "bool", "boolean", "float8", "varchar", "char", NULL };

static int
inlist(const char *const *l, const char *s)
{
	for (; *l != NULL; l++)
		if (strcmp(*l, s) == 0)
			return 1;
	return 0;
}

/* The first volatile (or unknown) function called in [from, to). */
static const char *
volatilein(struct cx *x, struct ps *p, size_t from, size_t to)
{
	size_t i;

	for (i = from; i + 1 < to; i++) {
		char *fn;
		const char *v;

		if (!isname(&p->t[i]) || p->t[i + 1].t != ZN_TK_LPAREN)
			continue;
		fn = zn_tok_ident(&p->t[i]);
		if (inlist(volatilefns, fn)) {
			const char *k = keep(x, fn);

			return k;
		}
		if (inlist(stablefns, fn)) {
			free(fn);
			continue;
		}
		if (x->collect) {
			sset(&x->wantfn, fn, NULL);
			free(fn);
			continue;
		}
		v = sget(&x->volatil, fn);
		if (v == NULL || strcmp(v, "s") != 0)
			return keep(x, fn);
		free(fn);
	}
	return NULL;
}

static const char *
colkey(struct cx *x, const char *rel, const char *col)
{
	return fmt(x, "%s|%s", rel, col);
}

/* The type of rel.col before the plan, when known. */
static const char *
oldtype(struct cx *x, const char *rel, const char *col)
{
	const char *k = colkey(x, rel, col);
	const json_t *args = x->op != NULL ? zn_op_args(x->op) : NULL;

	if (x->collect) {
		sset(&x->wantcol, k, NULL);
		return NULL;
	}
	if (args != NULL && zn_json_str(args, "from_type") != NULL &&
	    zn_json_str(args, "name") != NULL &&
	    strcmp(zn_json_str(args, "name"), col) == 0)
		return zn_json_str(args, "from_type");
	return sget(&x->coltype, k);
}

/* Statement-level state while reading one statement. */
struct st {
	struct cx *x;
	struct opr *r;
	struct ps *p;
	int mode;		/* strongest lock on the target */
	int work;
	const char *rel;
};

static void
work(struct st *s, int w)
{
	if (w > s->work)
		s->work = w;
}

/* ---- CREATE ---- */

static void
createtable(struct st *s)
{
	struct cx *x = s->x;
	struct ps *p = s->p;
	const char *rel;

	eats(p, "if", "not", "exists");
	if ((rel = qname(x, p, NULL, NULL)) == NULL) {
		reason(x, s->r, RAW, NULL, 0, "CREATE TABLE without a "
		    "name it can read");
		return;
	}
	/* Foreign keys lock what they reference, briefly. */
	while (p->i < p->n) {
		if (eat(p, "references")) {
			const char *ref = qname(x, p, NULL, NULL);

			if (ref != NULL && strcmp(ref, rel) != 0)
				lock(x, s->r, ref, L_SRE);
			continue;
		}
		if (eat(p, "partition") && eat(p, "of")) {
			const char *parent = qname(x, p, NULL, NULL);

			/* Attaching a new partition: AE on the parent. */
			lock(x, s->r, parent, L_AE);
			if (parent != NULL && !isnew(x, parent))
				reason(x, s->r, AE_LOCK, parent, 0,
				    fmt(x, "a new partition takes ACCESS "
				    "EXCLUSIVE on %s", parent));
			continue;
		}
		if (eat(p, "as") || eat(p, "like")) {
			atleast(s->r, 5);
			continue;
		}
		p->i++;
	}
	if (!x->collect)
		sset(&x->newrels, rel, NULL);
	s->r->touched = 1;
	atleast(s->r, 5);
}

/*
 * Probe SQL returning up to five rows as text; what is the FROM clause
 * and condition.
 */
static const char *
sample(struct cx *x, const char *select, const char *from,
    const char *where)
{
	return fmt(x, "SELECT left(row_to_json(z)::text, 200) FROM (SELECT "
	    "%s FROM %s%s%s LIMIT 5) z", select, from, where != NULL ?
	    " WHERE " : "", where != NULL ? where : "");
}

/* Index elements [from, to) as expressions to group by. */
static const char *
elements(struct cx *x, struct ps *p, size_t from, size_t to,
    const char **notnull)
{
	struct zn_buf b = ZN_BUF_INIT, nn = ZN_BUF_INIT;
	size_t i = from, e;

	while (i < to) {
		size_t j = i;

		/* An element: a name, f(...), or (...). */
		if (p->t[j].t == ZN_TK_LPAREN)
			j = groupend(p->t, j, to);
		else if (isname(&p->t[j])) {
			j++;
			while (j + 1 < to && p->t[j].t == ZN_TK_DOT)
				j += 2;
			if (j < to && p->t[j].t == ZN_TK_LPAREN)
				j = groupend(p->t, j, to);
		} else
			j++;
		e = j;
		if (b.len > 0) {
			zn_buf_adds(&b, ", ");
			zn_buf_adds(&nn, " AND ");
		}
		zn_buf_adds(&b, span(x, p, i, e));
		zn_buf_addf(&nn, "(%s) IS NOT NULL", span(x, p, i, e));
		/* Skip opclass, ordering, collation up to the comma. */
		while (j < to && p->t[j].t != ZN_TK_COMMA) {
			if (p->t[j].t == ZN_TK_LPAREN)
				j = groupend(p->t, j, to);
			else
				j++;
		}
		i = j + 1;
	}
	*notnull = keep(x, zn_buf_detach(&nn));
	return keep(x, zn_buf_detach(&b));
}

static const char *
dupsql(struct cx *x, const char *rel, const char *exprs,
    const char *notnull, const char *where, int nullsnotdistinct)
{
	struct zn_buf w = ZN_BUF_INIT;

	if (!nullsnotdistinct)
		zn_buf_adds(&w, notnull);
	if (where != NULL) {
		if (w.len > 0)
			zn_buf_adds(&w, " AND ");
		zn_buf_addf(&w, "(%s)", where);
	}
	const char *q;

	q = fmt(x, "SELECT left(row_to_json(z)::text, 200) FROM (SELECT "
	    "%s, count(*) AS count FROM %s%s%s GROUP BY %s HAVING count(*) "
	    "> 1 LIMIT 5) z", exprs, rel, w.len > 0 ? " WHERE " : "",
	    w.buf, exprs);
	zn_buf_release(&w);
	return q;
}

static void
createindex(struct st *s, int unique)
{
	struct cx *x = s->x;
	struct ps *p = s->p;
	int conc, only = 0, nnd = 0;
	const char *rel, *idx = NULL, *exprs = NULL, *nn = NULL;
	const char *where = NULL, *isch = NULL, *iname = NULL, *tsch;
	size_t from = 0, to = 0;

	conc = eat(s->p, "concurrently");
	eats(p, "if", "not", "exists");
	/* An index lives in its table's schema unless it says. */
	if (!at(p, "on") && (iname = ident(x, p)) != NULL &&
	    atk(p, ZN_TK_DOT)) {
		p->i++;
		isch = iname;
		iname = ident(x, p);
	}
	if (!eat(p, "on")) {
		reason(x, s->r, RAW, NULL, 0, "CREATE INDEX it cannot "
		    "read");
		return;
	}
	only = eat(p, "only");
	if ((rel = qname(x, p, &tsch, NULL)) == NULL) {
		reason(x, s->r, RAW, NULL, 0, "CREATE INDEX it cannot "
		    "read");
		return;
	}
	if (iname != NULL)
		idx = zn_arena_qualified(&x->a, isch != NULL ? isch : tsch,
		    iname);
	if (eat(p, "using"))
		p->i++;
	if (inner(x, p, &from, &to) != NULL)
		exprs = elements(x, p, from, to, &nn);
	while (p->i < p->n) {
		if (eats(p, "nulls", "not", "distinct")) {
			nnd = 1;
			continue;
		}
		if (eat(p, "where")) {
			where = span(x, p, p->i, p->n);
			break;
		}
		if (atk(p, ZN_TK_LPAREN))
			skipgroup(p);
		else
			p->i++;
	}
	if (idx != NULL && !x->collect)
		sset(&x->newrels, idx, NULL);
	s->rel = rel;
	if (conc) {
		const struct tstat *ts = sget(&x->stats, rel);

		lock(x, s->r, rel, L_SUE);
		s->r->outside = 1;
		work(s, W_INDEX);
		if (ts != NULL && ts->partitioned && !only)
			reasonat(x, s->r, ADDS_INDEX, 95, rel, 0,
			    fmt(x, "PostgreSQL refuses CREATE INDEX "
			    "CONCURRENTLY on %s, a partitioned table: build "
			    "each partition's index CONCURRENTLY, then CREATE "
			    "INDEX ON ONLY %s and ALTER INDEX ... ATTACH "
			    "PARTITION each", rel, rel));
		else if (x->ver >= 140000 && x->ver < 140004)
			reasonat(x, s->r, ADDS_INDEX, 95, rel, 0,
			    fmt(x, "CREATE INDEX CONCURRENTLY on PostgreSQL "
			    "%ld.%ld can silently corrupt the index (fixed "
			    "in 14.4)", x->ver / 10000, x->ver % 100));
		else
			reasonat(x, s->r, ADDS_INDEX, 15, rel, 0,
			    fmt(x, "builds %s concurrently: writes go on",
			    idx != NULL ? idx : "an index"));
		reason(x, s->r, NONTX, rel, 0, "CONCURRENTLY runs outside "
		    "a transaction; a failed build leaves an INVALID index");
	} else if (only) {
		/* The parent's alone, invalid until each partition's is in. */
		lock(x, s->r, rel, L_S);
		reasonat(x, s->r, ADDS_INDEX, 15, rel, 0, fmt(x, "ON ONLY "
		    "makes %s on %s alone, building nothing; each partition's "
		    "is built CONCURRENTLY and attached after",
		    idx != NULL ? idx : "the index", rel));
	} else {
		lock(x, s->r, rel, L_S);
		work(s, W_INDEX);
		reason(x, s->r, ADDS_INDEX, rel, 1, fmt(x, "builds %s "
		    "under SHARE: writes to %s wait for the whole build",
		    idx != NULL ? idx : "an index", rel));
	}
	if (unique && exprs != NULL) {
		s->r->mayfail |= MF_DUPES;
		probe(x, s->r, "duplicates", rel, conc ? ADDS_INDEX :
		    ADDS_INDEX, dupsql(x, rel, exprs, nn, where, nnd));
	}
}

static void
createother(struct st *s, int replace)
{
	struct cx *x = s->x;
	struct ps *p = s->p;
	const char *rel;

	if (eat(p, "materialized") && eat(p, "view")) {
		eats(p, "if", "not", "exists");
		rel = qname(x, p, NULL, NULL);
		if (rel != NULL && !x->collect)
			sset(&x->newrels, rel, NULL);
		atleast(s->r, 15);
		work(s, W_SCAN);
		note(x, s->r, "a materialized view runs its query once, under "
		    "ACCESS SHARE on the tables it reads");
		return;
	}
	if (eat(p, "view") || (eat(p, "recursive") && eat(p, "view"))) {
		rel = qname(x, p, NULL, NULL);
		if (replace && rel != NULL && !isnew(x, rel)) {
			lock(x, s->r, rel, L_AE);
			reason(x, s->r, AE_LOCK, rel, 0, fmt(x, "CREATE OR "
			    "REPLACE VIEW takes ACCESS EXCLUSIVE on %s", rel));
		} else if (rel != NULL && !x->collect)
			sset(&x->newrels, rel, NULL);
		atleast(s->r, 5);
		return;
	}
	if (eat(p, "function") || eat(p, "procedure")) {
		if (replace) {
			atleast(s->r, 15);
			note(x, s->r, "CREATE OR REPLACE changes what every "
			    "caller runs");
		} else
			atleast(s->r, 5);
		return;
	}
	if (eat(p, "trigger") || (eat(p, "constraint") &&
	    eat(p, "trigger"))) {
		while (p->i < p->n && !eat(p, "on"))
			p->i++;
		rel = qname(x, p, NULL, NULL);
		lock(x, s->r, rel, L_SRE);
		if (rel != NULL && !isnew(x, rel)) {
			atleast(s->r, 35);
			note(x, s->r, fmt(x, "CREATE TRIGGER takes SHARE ROW "
			    "EXCLUSIVE on %s and changes what writes do",
			    rel));
		} else
			atleast(s->r, 5);
		return;
	}
	if (eat(p, "policy")) {
		ident(x, p);
		eat(p, "on");
		rel = qname(x, p, NULL, NULL);
		lock(x, s->r, rel, L_AE);
		if (rel != NULL && !isnew(x, rel)) {
			reason(x, s->r, RLS, rel, 0, fmt(x, "a new policy "
			    "changes which rows of %s each role sees", rel));
			reason(x, s->r, AE_LOCK, rel, 0, fmt(x, "CREATE "
			    "POLICY takes ACCESS EXCLUSIVE on %s", rel));
		} else
			atleast(s->r, 5);
		return;
	}
	if (eat(p, "rule")) {
		ident(x, p);
		while (p->i < p->n && !eat(p, "to"))
			p->i++;
		rel = qname(x, p, NULL, NULL);
		lock(x, s->r, rel, L_AE);
		if (rel != NULL && !isnew(x, rel)) {
			reason(x, s->r, AE_LOCK, rel, 0, fmt(x, "CREATE RULE "
			    "takes ACCESS EXCLUSIVE on %s", rel));
			atleast(s->r, 35);
			note(x, s->r, fmt(x, "the rule rewrites what queries of "
			    "%s do", rel));
		} else
			atleast(s->r, 5);
		return;
	}
	if (eat(p, "sequence")) {
		eats(p, "if", "not", "exists");
		rel = qname(x, p, NULL, NULL);
		if (rel != NULL && !x->collect)
			sset(&x->newrels, rel, NULL);
		atleast(s->r, 5);
		return;
	}
	if (eat(p, "type") || eat(p, "domain") || eat(p, "schema") ||
	    eat(p, "extension") || eat(p, "collation") ||
	    eat(p, "aggregate") || eat(p, "operator") || eat(p, "cast") ||
	    eat(p, "statistics") || eat(p, "text") ||
	    eat(p, "conversion")) {
		atleast(s->r, 5);
		return;
	}
	if (eats(p, "event", "trigger", NULL)) {
		atleast(s->r, 15);
		note(x, s->r, "an event trigger runs on every later DDL "
		    "command of its event in the database, this plan's "
		    "included");
		return;
	}
	if (eats(p, "foreign", "table", NULL)) {
		eats(p, "if", "not", "exists");
		rel = qname(x, p, NULL, NULL);
		if (rel != NULL && !x->collect)
			sset(&x->newrels, rel, NULL);
		atleast(s->r, 5);
		return;
	}
	if (eats(p, "foreign", "data", "wrapper") || eat(p, "server") ||
	    eats(p, "user", "mapping", NULL)) {
		atleast(s->r, 5);
		return;
	}
	if (eat(p, "publication")) {
		atleast(s->r, 15);
		note(x, s->r, "a publication changes what logical replication "
		    "sends; the tables it names take SHARE UPDATE EXCLUSIVE");
		return;
	}
	reason(x, s->r, RAW, NULL, 0, "a CREATE statement it does not "
	    "model");
}

/* ---- ALTER TABLE ---- */

/* Reads a column definition after ADD COLUMN's name. */
static void
addcolumn(struct st *s, const char *rel, const char *col)
{
	struct cx *x = s->x;
	struct ps *p = s->p;
	size_t tfrom = p->i, tto;
	struct ty ty;
	int notnull = 0, hasdef = 0, ident_ = 0, gen = 0, check = 0, uniq = 0;
	int pk = 0;
	const char *ref = NULL, *vol = NULL, *defexpr = NULL, *cdom = NULL;
	static const char *const stop[] = { "not", "null", "default",
	    "constraint", "check", "unique", "primary", "references",
	    "generated", "collate", "compression", "storage", NULL };

	while (p->i < p->n && !atk(p, ZN_TK_COMMA)) {
		size_t k;

		for (k = 0; stop[k] != NULL; k++)
			if (at(p, stop[k]))
				break;
		if (stop[k] != NULL)
			break;
		if (atk(p, ZN_TK_LPAREN) || atk(p, ZN_TK_LBRACKET))
			skipgroup(p);
		else
			p->i++;
	}
	tto = p->i;
	typeof_(&ty, p->t, tfrom, tto);
	/* Whether it is a domain with a CHECK: the live database says. */
	if (tto > tfrom) {
		const char *tt = span(x, p, tfrom, tto);

		if (x->collect)
			sset(&x->wanttype, tt, NULL);
		else if (shas(&x->cdomain, tt))
			cdom = tt;
	}
	while (p->i < p->n && !atk(p, ZN_TK_COMMA)) {
		if (eats(p, "not", "null", NULL)) {
			notnull = 1;
			continue;
		}
		if (eat(p, "default")) {
			size_t b = p->i;

			hasdef = 1;
			while (p->i < p->n && !atk(p, ZN_TK_COMMA) &&
			    !at(p, "not") && !at(p, "null") &&
			    !at(p, "constraint") && !at(p, "check") &&
			    !at(p, "unique") && !at(p, "primary") &&
			    !at(p, "references") && !at(p, "collate")) {
				if (atk(p, ZN_TK_LPAREN))
					skipgroup(p);
				else
					p->i++;
			}
			defexpr = span(x, p, b, p->i);
			vol = volatilein(x, p, b, p->i);
			continue;
		}
		if (eat(p, "generated")) {
			if (eat(p, "always") || (eat(p, "by") &&
			    eat(p, "default"))) {
				eat(p, "as");
				if (eat(p, "identity"))
					ident_ = 1;
				else
					gen = 1;
			}
			continue;
		}
		if (eat(p, "check")) {
			check = 1;
			continue;
		}
		if (eat(p, "unique")) {
			uniq = 1;
			continue;
		}
		if (eats(p, "primary", "key", NULL)) {
			pk = 1;
			notnull = 1;
			continue;
		}
		if (eat(p, "references")) {
			ref = qname(x, p, NULL, NULL);
			continue;
		}
		if (atk(p, ZN_TK_LPAREN))
			skipgroup(p);
		else
			p->i++;
	}
	lock(x, s->r, rel, L_AE);
	reason(x, s->r, AE_LOCK, rel, 0, fmt(x, "ADD COLUMN %s takes "
	    "ACCESS EXCLUSIVE on %s, briefly", qident(x, col), rel));
	if (isbase(&ty, "serial") || isbase(&ty, "bigserial") ||
	    isbase(&ty, "smallserial") || ident_) {
		work(s, W_REWRITE);
		reason(x, s->r, REBUILDS, rel, 1, fmt(x, "a %s column "
		    "fills every existing row: %s and its indexes are "
		    "rewritten", ident_ ? "identity" : ty.base, rel));
	} else if (gen) {
		work(s, W_REWRITE);
		reason(x, s->r, REBUILDS, rel, 1, fmt(x, "a stored "
		    "generated column rewrites %s", rel));
	} else if (cdom != NULL) {
		/* Its CHECK is checked on every row, default or NULL. */
		work(s, W_REWRITE);
		reason(x, s->r, REBUILDS, rel, 1, fmt(x, "%s is a domain "
		    "with a CHECK: every row is written and checked, and %s "
		    "is rewritten; a plain column with a CHECK NOT VALID, "
		    "validated later, is not", cdom, rel));
	} else if (hasdef && vol != NULL) {
		work(s, W_REWRITE);
		reason(x, s->r, REBUILDS, rel, 1, fmt(x, "the default "
		    "calls %s(), which is volatile%s: every row is written "
		    "and %s is rewritten", vol, inlist(volatilefns, vol) ? "" :
		    " or unknown", rel));
	} else if (hasdef && x->ver < 110000) {
		work(s, W_REWRITE);
		reason(x, s->r, REBUILDS, rel, 1, "before PostgreSQL 11 "
		    "a column with a default rewrites the table");
	}
	if (notnull && !hasdef && !ident_ && !gen && !isbase(&ty, "serial") &&
	    !isbase(&ty, "bigserial") && !isbase(&ty, "smallserial")) {
		s->r->mayfail |= MF_ROWS;
		reason(x, s->r, REQUIRED, rel, 1, fmt(x, "NOT NULL "
		    "without a default fails if %s has any row, and breaks "
		    "INSERTs that do not name %s", rel, qident(x, col)));
		probe(x, s->r, "rows", rel, REQUIRED, sample(x, "*", rel,
		    NULL));
	}
	if (check) {
		work(s, W_SCAN);
		reason(x, s->r, VALIDATES, rel, 1, "an inline CHECK scans "
		    "the table under ACCESS EXCLUSIVE");
	}
	if (uniq || pk) {
		work(s, W_INDEX);
		reason(x, s->r, ADDS_UNIQUE, rel, 1, fmt(x, "an inline %s "
		    "builds its index under ACCESS EXCLUSIVE", pk ?
		    "PRIMARY KEY" : "UNIQUE"));
	}
	if (ref != NULL) {
		lock(x, s->r, ref, L_SRE);
		reason(x, s->r, ADDS_FK, rel, 0, fmt(x, "REFERENCES %s "
		    "takes SHARE ROW EXCLUSIVE on it; the new column is all "
		    "NULL, so nothing is scanned", ref));
	}
	(void)defexpr;
}

/* The columns of a CHECK (col IS NOT NULL), or NULL. */
static const char *
notnullcheck(struct cx *x, const char *expr)
{
	struct zn_toks ts = { NULL, 0, 0, 0 };
	const char *col = NULL;
	size_t i = 0;

	zn_sql_tokens(&ts, expr);
	while (i < ts.n && ts.v[i].t == ZN_TK_LPAREN)
		i++;
	if (i + 3 <= ts.n && isname(&ts.v[i]) && zn_tok_is(&ts.v[i + 1],
	    "is") && zn_tok_is(&ts.v[i + 2], "not") && i + 3 < ts.n &&
	    zn_tok_is(&ts.v[i + 3], "null")) {
		size_t j = i + 4;

		while (j < ts.n && ts.v[j].t == ZN_TK_RPAREN)
			j++;
		if (j == ts.n)
			col = keep(x, zn_tok_ident(&ts.v[i]));
	}
	zn_sql_tokens_release(&ts);
	return col;
}

static void
validatelater(struct cx *x, const char *rel, const char *con,
    const char *check, int code, const char *sql)
{
	struct later *l;

	if (x->collect)
		return;
	l = zn_xmalloc(sizeof(*l));
	l->check = check;
	l->code = code;
	l->sql = sql;
	{
		void **old = slot(&x->later, colkey(x, rel, con), 0);

		if (old != NULL)
			free(*old);
	}
	sset(&x->later, colkey(x, rel, con), l);
}

/*
 * PRIMARY KEY USING INDEX sets NOT NULL on the index's columns: one that
 * is nullable (cols, "a|b", less those an earlier step set NOT NULL) is
 * scanned for NULLs under ACCESS EXCLUSIVE, and the step fails on one.
 */
static void
pknulls(struct st *s, const char *rel, const char *cols)
{
	struct cx *x = s->x;
	struct zn_buf names = ZN_BUF_INIT, cond = ZN_BUF_INIT;
	const char *p = cols;

	while (p != NULL && *p != '\0') {
		const char *e = strchr(p, '|');
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
		char *c = zn_xstrndup(p, n);

		if (!shas(&x->nnset, colkey(x, rel, c))) {
			zn_buf_addf(&names, "%s%s", names.len ? ", " : "",
			    qident(x, c));
			zn_buf_addf(&cond, "%s%s IS NULL", cond.len ? " OR " :
			    "", qident(x, c));
		}
		free(c);
		p += n;
		if (*p == '|')
			p++;
	}
	if (names.len > 0) {
		work(s, W_SCAN);
		s->r->mayfail |= MF_NULLS;
		reason(x, s->r, NOT_NULL, rel, 1, fmt(x, "PRIMARY KEY USING "
		    "INDEX sets NOT NULL on %s, which scans %s under ACCESS "
		    "EXCLUSIVE and fails on a NULL; SET NOT NULL first, "
		    "through a validated CHECK", names.buf, rel));
		probe(x, s->r, "nulls", rel, NOT_NULL, sample(x, "*", rel,
		    cond.buf));
	}
	zn_buf_release(&names);
	zn_buf_release(&cond);
}

static void
addconstraint(struct st *s, const char *rel, const char *con)
{
	struct cx *x = s->x;
	struct ps *p = s->p;
	size_t b = p->i;
	int notvalid = 0;

	/* NOT VALID is the last word of the item. */
	skipitem(p);
	if (p->i >= b + 2 && zn_tok_is(&p->t[p->i - 1], "valid") &&
	    zn_tok_is(&p->t[p->i - 2], "not"))
		notvalid = 1;
	p->i = b;
	if (notvalid && con != NULL && !x->collect)
		sset(&x->opnv, colkey(x, rel, con), NULL);
	if (eat(p, "check")) {
		const char *expr = inner(x, p, NULL, NULL), *col;

		lock(x, s->r, rel, L_AE);
		if (expr != NULL && (col = notnullcheck(x, expr)) != NULL &&
		    con != NULL && !x->collect) {
			sset(&x->nnchecks, colkey(x, rel, con),
			    (void *)colkey(x, rel, col));
			if (!notvalid)
				sset(&x->proven, colkey(x, rel, col), NULL);
		}
		if (notvalid) {
			reason(x, s->r, AE_LOCK, rel, 0, fmt(x, "ADD CHECK "
			    "NOT VALID takes ACCESS EXCLUSIVE on %s, briefly, "
			    "and checks only new rows", rel));
			if (expr != NULL && con != NULL)
				validatelater(x, rel, con, "violations",
				    VALIDATES, sample(x, "*", rel, fmt(x,
				    "NOT (%s)", expr)));
		} else {
			work(s, W_SCAN);
			s->r->mayfail |= MF_VIOLATION;
			reason(x, s->r, VALIDATES, rel, 1, fmt(x, "a valid "
			    "CHECK scans %s under ACCESS EXCLUSIVE; add it NOT "
			    "VALID and VALIDATE it in a later step", rel));
			if (expr != NULL)
				probe(x, s->r, "violations", rel, VALIDATES,
				    sample(x, "*", rel, fmt(x, "NOT (%s)",
				    expr)));
		}
		skipitem(p);
		return;
	}
	if (eats(p, "foreign", "key", NULL)) {
		json_t *cols = namelist(x, p), *pcols;
		const char *ref;

		eat(p, "references");
		ref = qname(x, p, NULL, NULL);
		pcols = namelist(x, p);
		lock(x, s->r, rel, L_SRE);
		lock(x, s->r, ref, L_SRE);
		/* A later DROP CONSTRAINT of it locks ref too. */
		if (con != NULL && ref != NULL && !x->collect &&
		    sget(&x->fkref, colkey(x, rel, con)) == NULL)
			sset(&x->fkref, colkey(x, rel, con), zn_xstrdup(ref));
		if (notvalid)
			reason(x, s->r, ADDS_FK, rel, 0, fmt(x, "NOT VALID: "
			    "SHARE ROW EXCLUSIVE on %s and %s, briefly", rel,
			    ref != NULL ? ref : "the referenced table"));
		else {
			work(s, W_SCAN);
			s->r->mayfail |= MF_ORPHANS;
			reasonat(x, s->r, ADDS_FK, 55, rel, 0, fmt(x, "a valid "
			    "foreign key takes SHARE ROW EXCLUSIVE on %s and "
			    "%s for the whole check", rel, ref != NULL ? ref :
			    "the referenced table"));
			reason(x, s->r, VALIDATES, rel, 1, fmt(x, "every "
			    "row of %s is checked while writes to both tables "
			    "wait; add it NOT VALID, then VALIDATE", rel));
		}
		if (ref != NULL && json_array_size(cols) > 0 &&
		    json_array_size(pcols) == json_array_size(cols)) {
			struct zn_buf sel = ZN_BUF_INIT, w = ZN_BUF_INIT,
			    m = ZN_BUF_INIT;
			const char *q;
			size_t i;

			for (i = 0; i < json_array_size(cols); i++) {
				const char *c = qident(x, json_string_value(
				    json_array_get(cols, i)));
				const char *pc = qident(x, json_string_value(
				    json_array_get(pcols, i)));

				zn_buf_addf(&sel, "%sc.%s", i ? ", " : "", c);
				zn_buf_addf(&w, "%sc.%s IS NOT NULL", i ?
				    " AND " : "", c);
				zn_buf_addf(&m, "%sp.%s = c.%s", i ? " AND " :
				    "", pc, c);
			}
			q = fmt(x, "SELECT left(row_to_json(z)::text, 200) "
			    "FROM (SELECT %s FROM %s c WHERE %s AND NOT EXISTS "
			    "(SELECT 1 FROM %s p WHERE %s) LIMIT 5) z",
			    sel.buf, rel, w.buf, ref, m.buf);
			if (!notvalid)
				probe(x, s->r, "orphans", rel, ADDS_FK, q);
			else if (con != NULL)
				validatelater(x, rel, con, "orphans", ADDS_FK,
				    q);
			zn_buf_release(&sel);
			zn_buf_release(&w);
			zn_buf_release(&m);
		}
		json_decref(cols);
		json_decref(pcols);
		skipitem(p);
		return;
	}
	if (at(p, "unique") || at(p, "primary")) {
		int pk = eats(p, "primary", "key", NULL);
		int nnd = 0;

		if (!pk)
			eat(p, "unique");
		nnd = eats(p, "nulls", "not", "distinct");
		lock(x, s->r, rel, L_AE);
		if (eats(p, "using", "index", NULL)) {
			const char *idx = ident(x, p);

			reasonat(x, s->r, ADDS_UNIQUE, 15, rel, 0, fmt(x,
			    "USING INDEX %s: the index is built already",
			    idx != NULL ? qident(x, idx) : "?"));
			briefae(x, s->r, rel);
			if (pk && idx != NULL && x->collect)
				sset(&x->wantidx, colkey(x, rel, idx), NULL);
			else if (pk && idx != NULL)
				pknulls(s, rel, sget(&x->idxnull, colkey(x, rel,
				    idx)));
			if (pk)
				note(x, s->r, "PRIMARY KEY USING INDEX scans for "
				    "NULLs unless its columns are NOT NULL");
		} else {
			size_t from = 0, to = 0;
			const char *exprs = NULL, *nn = NULL;

			if (inner(x, p, &from, &to) != NULL)
				exprs = elements(x, p, from, to, &nn);
			work(s, W_INDEX);
			s->r->mayfail |= MF_DUPES;
			reason(x, s->r, ADDS_UNIQUE, rel, 1, fmt(x, "%s "
			    "builds its index while ACCESS EXCLUSIVE blocks "
			    "reads and writes of %s; build the index "
			    "CONCURRENTLY and add it USING INDEX", pk ?
			    "PRIMARY KEY" : "UNIQUE", rel));
			if (exprs != NULL)
				probe(x, s->r, "duplicates", rel, ADDS_UNIQUE,
				    dupsql(x, rel, exprs, nn, NULL, nnd));
			if (pk && exprs != NULL) {
				s->r->mayfail |= MF_NULLS;
				probe(x, s->r, "nulls", rel, ADDS_UNIQUE,
				    sample(x, "*", rel, fmt(x, "NOT (%s)",
				    nn)));
			}
		}
		skipitem(p);
		return;
	}
	if (eat(p, "exclude")) {
		lock(x, s->r, rel, L_AE);
		work(s, W_INDEX);
		s->r->mayfail |= MF_DUPES;
		reasonat(x, s->r, ADDS_UNIQUE, 65, rel, 1, fmt(x, "EXCLUDE "
		    "builds its index under ACCESS EXCLUSIVE on %s; it has no "
		    "online form", rel));
		skipitem(p);
		return;
	}
	reason(x, s->r, RAW, rel, 0, "a constraint it cannot read");
	skipitem(p);
}

/*
 * The views that use column col of rel and that no earlier step of the
 * plan drops, as "a, b"; NULL when none does.
 */
static const char *
usedbyviews(struct cx *x, const char *rel, const char *col)
{
	const char *all = sget(&x->viewdeps, colkey(x, rel, col)), *p;
	struct zn_buf b = ZN_BUF_INIT;

	if (all == NULL)
		return NULL;
	for (p = all; *p != '\0';) {
		const char *e = strstr(p, ", ");
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
		char *v = zn_xstrndup(p, n);

		if (!shas(&x->goneviews, v)) {
			if (b.len > 0)
				zn_buf_adds(&b, ", ");
			zn_buf_adds(&b, v);
		}
		free(v);
		p += n;
		if (*p != '\0')
			p += 2;
	}
	if (b.len == 0) {
		zn_buf_release(&b);
		return NULL;
	}
	return keep(x, zn_buf_detach(&b));
}

/* ALTER TABLE rel ALTER [COLUMN] col ... */
static void
altercolumn(struct st *s, const char *rel)
{
	struct cx *x = s->x;
	struct ps *p = s->p;
	const char *col;

	eat(p, "column");
	if ((col = ident(x, p)) == NULL) {
		reason(x, s->r, RAW, rel, 0, "ALTER COLUMN it cannot read");
		skipitem(p);
		return;
	}
	if (eats(p, "set", "data", "type") || eat(p, "type")) {
		size_t b = p->i, e;
		int using = 0, collate = 0, rewrite, narrow;
		const char *from, *why, *views, *checks;
		struct ty tf = { "", -1, -1, 0 }, tt;

		while (p->i < p->n && !atk(p, ZN_TK_COMMA) &&
		    !at(p, "using") && !at(p, "collate")) {
			if (atk(p, ZN_TK_LPAREN) || atk(p, ZN_TK_LBRACKET))
				skipgroup(p);
			else
				p->i++;
		}
		e = p->i;
		if (eat(p, "collate")) {
			collate = 1;
			ident(x, p);
		}
		using = at(p, "using");
		skipitem(p);
		typeof_(&tt, p->t, b, e);
		from = oldtype(x, rel, col);
		lock(x, s->r, rel, L_AE);
		if (x->collect)
			return;
		if ((views = usedbyviews(x, rel, col)) != NULL) {
			reasonat(x, s->r, CHANGES_TYPE, 95, rel, 0, fmt(x,
			    "fails: %s uses %s, and PostgreSQL cannot change "
			    "the type of a column a view uses; drop the view "
			    "first and create it again after", views,
			    qident(x, col)));
		}
		if (from == NULL) {
			rewrite = 1;
			narrow = 0;
			why = "the column's type before the change is not known "
			    "(no connection): assumed to rewrite";
		} else {
			typeof_text(&tf, from);
			typechange(x, &tf, &tt, using, &rewrite, &narrow, &why);
		}
		if (!rewrite && collate) {
			work(s, W_INDEX);
			reasonat(x, s->r, CHANGES_TYPE, 50, rel, 1, fmt(x, "a "
			    "collation change rebuilds the indexes on %s under "
			    "ACCESS EXCLUSIVE", qident(x, col)));
		} else
			reason(x, s->r, CHANGES_TYPE, rel, 0, fmt(x,
			    "%s %s%s%s: %s", qident(x, col), from != NULL ?
			    from : "", from != NULL ? " -> " : "to ",
			    span(x, p, b, e), why));
		if (!rewrite && (checks = sget(&x->colchecks, colkey(x, rel,
		    col))) != NULL) {
			/* Its CHECKs are checked again, row by row. */
			work(s, W_SCAN);
			reason(x, s->r, VALIDATES, rel, 1, fmt(x, "no rewrite, "
			    "but %s, the CHECK on %s, is checked again on every "
			    "row of %s under ACCESS EXCLUSIVE", checks,
			    qident(x, col), rel));
		}
		if (rewrite) {
			work(s, W_REWRITE);
			reason(x, s->r, REBUILDS, rel, 1, fmt(x, "%s and "
			    "all its indexes are rewritten under ACCESS "
			    "EXCLUSIVE", rel));
		} else
			reason(x, s->r, AE_LOCK, rel, 0, fmt(x, "no "
			    "rewrite; ACCESS EXCLUSIVE on %s, briefly", rel));
		if (narrow == 2)
			s->r->loss = s->r->loss > 1 ? s->r->loss : 1;
		if (narrow == 2)
			reason(x, s->r, NARROWS, rel, 0, fmt(x, "values of "
			    "%s are changed without an error (truncated or "
			    "rounded)", qident(x, col)));
		else if (narrow == 1) {
			const char *c = qident(x, col), *cond = NULL;

			s->r->mayfail |= MF_RANGE;
			reasonat(x, s->r, NARROWS, 60, rel, 0, fmt(x,
			    "the change fails if a value of %s does not fit",
			    c));
			if ((isbase(&tt, "varchar") || isbase(&tt, "bpchar"))
			    && tt.a >= 0)
				cond = fmt(x, "length(%s) > %d", c, tt.a);
			else if (isbase(&tt, "numeric") && tt.a >= 0)
				cond = fmt(x, "abs(%s) >= 10::numeric ^ %d", c,
				    tt.a - (tt.b < 0 ? 0 : tt.b));
			else if (isbase(&tt, "integer") && (intrank(&tf) ||
			    isbase(&tf, "numeric")))
				cond = fmt(x, "%s NOT BETWEEN -2147483648 AND "
				    "2147483647", c);
			else if (isbase(&tt, "smallint") && (intrank(&tf) ||
			    isbase(&tf, "numeric")))
				cond = fmt(x, "%s NOT BETWEEN -32768 AND 32767",
				    c);
			else if (intrank(&tt) && from != NULL && textish(&tf))
				cond = fmt(x, "%s::text !~ '^\\s*[-+]?[0-9]+"
				    "\\s*$'", c);
			if (cond != NULL)
				probe(x, s->r, "out_of_range", rel, NARROWS,
				    sample(x, c, rel, cond));
		}
		return;
	}
	if (eats(p, "set", "default", NULL) || eats(p, "drop", "default",
	    NULL)) {
		skipitem(p);
		lock(x, s->r, rel, L_AE);
		reason(x, s->r, AE_LOCK, rel, 0, fmt(x, "a default applies "
		    "to new rows only; ACCESS EXCLUSIVE on %s, briefly", rel));
		return;
	}
	if (eats(p, "set", "not", "null")) {
		const char *k = colkey(x, rel, col);
		int proven;

		skipitem(p);
		lock(x, s->r, rel, L_AE);
		if (x->collect) {
			sset(&x->wantcol, k, NULL);
			return;
		}
		proven = shas(&x->proven, k) && x->ver >= 120000;
		sset(&x->nnset, k, NULL);
		reason(x, s->r, AE_LOCK, rel, 0, fmt(x, "ACCESS EXCLUSIVE "
		    "on %s", rel));
		if (proven)
			reasonat(x, s->r, NOT_NULL, 15, rel, 0, fmt(x,
			    "a valid CHECK (%s IS NOT NULL) proves it: no scan",
			    qident(x, col)));
		else {
			work(s, W_SCAN);
			s->r->mayfail |= MF_NULLS;
			reason(x, s->r, NOT_NULL, rel, 1, fmt(x, "SET NOT "
			    "NULL scans %s under ACCESS EXCLUSIVE%s", rel,
			    shas(&x->proven, k) ? " (a CHECK proves it only "
			    "from PostgreSQL 12)" : "; add CHECK (col IS NOT "
			    "NULL) NOT VALID, VALIDATE it, then SET NOT NULL"));
			probe(x, s->r, "nulls", rel, NOT_NULL, sample(x, "*",
			    rel, fmt(x, "%s IS NULL", qident(x, col))));
		}
		return;
	}
	if (eats(p, "drop", "not", "null")) {
		skipitem(p);
		lock(x, s->r, rel, L_AE);
		reason(x, s->r, DROPS_CONSTRAINT, rel, 0, fmt(x, "readers "
		    "of %s may now see NULL", qident(x, col)));
		briefae(x, s->r, rel);
		return;
	}
	if (eats(p, "set", "statistics", NULL) || (at(p, "set") &&
	    p->i + 1 < p->n && p->t[p->i + 1].t == ZN_TK_LPAREN) ||
	    eat(p, "reset")) {
		skipitem(p);
		lock(x, s->r, rel, L_SUE);
		atleast(s->r, 5);
		return;
	}
	/* Identity, storage, compression, expression: catalog changes. */
	skipitem(p);
	lock(x, s->r, rel, L_AE);
	reason(x, s->r, AE_LOCK, rel, 0, fmt(x, "ACCESS EXCLUSIVE on "
	    "%s, briefly", rel));
}

static void
altertable(struct st *s)
{
	struct cx *x = s->x;
	struct ps *p = s->p;
	const char *rel, *col, *con, *sch = "public";

	eats(p, "if", "exists", NULL);
	eat(p, "only");
	if ((rel = qname(x, p, &sch, NULL)) == NULL) {
		reason(x, s->r, RAW, NULL, 0, "ALTER TABLE it cannot read");
		return;
	}
	s->rel = rel;
	if (at(p, "*"))
		p->i++;
	while (p->i < p->n) {
		if (atk(p, ZN_TK_COMMA)) {
			p->i++;
			continue;
		}
		if (eat(p, "add")) {
			con = NULL;
			if (eat(p, "constraint")) {
				con = ident(x, p);
				addconstraint(s, rel, con);
				continue;
			}
			if (at(p, "check") || at(p, "unique") ||
			    at(p, "primary") || at(p, "foreign") ||
			    at(p, "exclude")) {
				addconstraint(s, rel, NULL);
				continue;
			}
			eat(p, "column");
			eats(p, "if", "not", "exists");
			if ((col = ident(x, p)) == NULL) {
				reason(x, s->r, RAW, rel, 0, "ADD it cannot "
				    "read");
				skipitem(p);
				continue;
			}
			addcolumn(s, rel, col);
			continue;
		}
		if (eat(p, "drop")) {
			int cascade;
			size_t b;

			if (eat(p, "constraint")) {
				eats(p, "if", "exists", NULL);
				con = ident(x, p);
				b = p->i;
				skipitem(p);
				cascade = p->i > b && zn_tok_is(&p->t[p->i - 1],
				    "cascade");
				lock(x, s->r, rel, L_AE);
				if (con != NULL && x->collect)
					sset(&x->wantcon, colkey(x, rel, con),
					    NULL);
				else if (con != NULL) {
					const char *ref = sget(&x->fkref,
					    colkey(x, rel, con));

					sset(&x->gonecons, colkey(x, rel, con),
					    NULL);
					/* The referenced table: seen live. */
					if (ref != NULL)
						lock(x, s->r, zn_arena_strndup(
						    &x->a, ref, strlen(ref)), L_AE);
				}
				/* A temporary not-null check going is fine. */
				if (con != NULL && shas(&x->nnchecks,
				    colkey(x, rel, con)) && !cascade) {
					reason(x, s->r, AE_LOCK, rel, 0,
					    fmt(x, "drops the helper check %s, "
					    "briefly", qident(x, con)));
					continue;
				}
				reasonat(x, s->r, DROPS_CONSTRAINT, cascade ?
				    60 : 35, rel, 0, fmt(x, "%s no longer guards "
				    "%s; a dropped foreign key also takes ACCESS "
				    "EXCLUSIVE on the table it references%s",
				    con != NULL ? qident(x, con) : "it", rel,
				    cascade ? "; CASCADE drops what depends "
				    "on it" : ""));
				/* zn-diff names that table. */
				{
					const json_t *oa = x->op != NULL ?
					    zn_op_args(x->op) : NULL;
					const char *ref = zn_json_str(oa,
					    "references");

					if (ref != NULL && con != NULL &&
					    zn_json_str(oa, "name") != NULL &&
					    strcmp(zn_json_str(oa, "name"),
					    con) == 0)
						lock(x, s->r, zn_arena_strndup(
						    &x->a, ref, strlen(ref)),
						    L_AE);
				}
				briefae(x, s->r, rel);
				continue;
			}
			eat(p, "column");
			eats(p, "if", "exists", NULL);
			col = ident(x, p);
			b = p->i;
			skipitem(p);
			cascade = p->i > b && zn_tok_is(&p->t[p->i - 1],
			    "cascade");
			lock(x, s->r, rel, L_AE);
			if (col != NULL && x->collect)
				sset(&x->wantcol, colkey(x, rel, col), NULL);
			else if (col != NULL && !cascade) {
				const char *views = usedbyviews(x, rel, col);

				if (views != NULL)
					reasonat(x, s->r, BREAKS, 95, rel, 0,
					    fmt(x, "fails: %s uses %s, and "
					    "PostgreSQL refuses to drop it "
					    "without CASCADE; drop the view "
					    "first", views, qident(x, col)));
			}
			/*
			 * An archiveColumn step copies the values out first,
			 * and zn-apply records where (zn-artifact(1)): parked,
			 * not lost.
			 */
			if (archived(x, col)) {
				reason(x, s->r, RENAME_COLUMN, rel, 0, fmt(x,
				    "archives %s (its values are kept in "
				    "_zanith_archive until purged, restorable "
				    "with zn-artifact): clients using it break",
				    qident(x, col)));
				briefae(x, s->r, rel);
				continue;
			}
			s->r->loss = 2;
			reasonat(x, s->r, DROPS_COLUMN, cascade ? 85 : 80, rel,
			    0, fmt(x, "the values of %s are gone%s",
			    col != NULL ? qident(x, col) : "the column", cascade ?
			    "; CASCADE also drops the views using it" : ""));
			briefae(x, s->r, rel);
			continue;
		}
		if (eat(p, "alter")) {
			if (eat(p, "constraint")) {
				skipitem(p);
				lock(x, s->r, rel, L_AE);
				briefae(x, s->r, rel);
				continue;
			}
			altercolumn(s, rel);
			continue;
		}
		if (eat(p, "validate")) {
			eat(p, "constraint");
			con = ident(x, p);
			skipitem(p);
			lock(x, s->r, rel, L_SUE);
			work(s, W_SCAN);
			/*
			 * In the transaction that added it NOT VALID, the
			 * ADD's lock is still held while the rows are read.
			 */
			if (con != NULL && !x->collect && x->op != NULL &&
			    x->op->transactional && shas(&x->opnv, colkey(x,
			    rel, con)))
				reason(x, s->r, VALIDATES, rel, 1, fmt(x,
				    "VALIDATE in the transaction that added "
				    "it NOT VALID: every row of %s is checked "
				    "while the ADD's lock (ACCESS EXCLUSIVE for "
				    "a CHECK) is still held, as in the plain "
				    "form; VALIDATE it in a later step", rel));
			if (con != NULL && !x->collect) {
				const char *c = sget(&x->nnchecks,
				    colkey(x, rel, con));
				struct later *l = sget(&x->later,
				    colkey(x, rel, con));

				if (c != NULL)
					sset(&x->proven, c, NULL);
				if (l != NULL)
					probe(x, s->r, l->check, rel, l->code,
					    l->sql);
			}
			atleast(s->r, 15);
			note(x, s->r, fmt(x, "VALIDATE scans %s under SHARE "
			    "UPDATE EXCLUSIVE: reads and writes go on", rel));
			continue;
		}
		if (eat(p, "rename")) {
			const char *to;

			if (eat(p, "constraint")) {
				skipitem(p);
				lock(x, s->r, rel, L_AE);
				briefae(x, s->r, rel);
				continue;
			}
			if (eat(p, "to")) {
				to = ident(x, p);
				lock(x, s->r, rel, L_AE);
				reason(x, s->r, RENAME_TABLE, rel, 0, to !=
				    NULL && strncmp(to, "_zanith_dropped_", 16)
				    == 0 ? fmt(x, "parks %s (a soft drop, "
				    "reversible): clients using it break", rel) :
				    fmt(x, "clients using %s break", rel));
				briefae(x, s->r, rel);
				if (to != NULL && !x->collect && isnew(x, rel))
					sset(&x->newrels, zn_arena_qualified(
					    &x->a, sch, to), NULL);
				continue;
			}
			eat(p, "column");
			col = ident(x, p);
			eat(p, "to");
			to = ident(x, p);
			lock(x, s->r, rel, L_AE);
			reason(x, s->r, RENAME_COLUMN, rel, 0, to != NULL &&
			    strncmp(to, "_zanith_dropped_", 16) == 0 ?
			    fmt(x, "parks %s (a soft drop, reversible): "
			    "clients using it break", col != NULL ?
			    qident(x, col) : "the column") : fmt(x, "clients "
			    "using %s break", col != NULL ? qident(x, col) :
			    "the column"));
			briefae(x, s->r, rel);
			continue;
		}
		if (eat(p, "enable") || eat(p, "disable") || eat(p, "force") ||
		    eats(p, "no", "force", NULL)) {
			if (eats(p, "row", "level", "security")) {
				lock(x, s->r, rel, L_AE);
				reason(x, s->r, RLS, rel, 0, fmt(x, "row "
				    "level security changes which rows of %s "
				    "each role sees", rel));
				briefae(x, s->r, rel);
				continue;
			}
			skipitem(p);
			/* TRIGGER, RULE */
			lock(x, s->r, rel, L_SRE);
			atleast(s->r, 35);
			note(x, s->r, fmt(x, "changes what writes to %s do",
			    rel));
			continue;
		}
		if (eat(p, "set")) {
			if (eat(p, "logged") || eat(p, "unlogged") ||
			    eat(p, "tablespace") || eats(p, "access", "method",
			    NULL)) {
				skipitem(p);
				lock(x, s->r, rel, L_AE);
				work(s, W_REWRITE);
				reason(x, s->r, REBUILDS, rel, 1, fmt(x,
				    "%s is copied whole under ACCESS EXCLUSIVE",
				    rel));
				continue;
			}
			if (eat(p, "schema")) {
				skipitem(p);
				lock(x, s->r, rel, L_AE);
				reason(x, s->r, RENAME_TABLE, rel, 0, fmt(x,
				    "moving %s to another schema breaks its "
				    "clients", rel));
				briefae(x, s->r, rel);
				continue;
			}
			skipitem(p);
			/* SET (options), SET WITHOUT CLUSTER, ... */
			lock(x, s->r, rel, L_SUE);
			atleast(s->r, 5);
			continue;
		}
		if (eat(p, "reset") || eats(p, "cluster", "on", NULL)) {
			skipitem(p);
			lock(x, s->r, rel, L_SUE);
			atleast(s->r, 5);
			continue;
		}
		if (eats(p, "replica", "identity", NULL)) {
			skipitem(p);
			lock(x, s->r, rel, L_AE);
			reason(x, s->r, BREAKS, rel, 0, fmt(x, "changes "
			    "what logical replication sends for %s", rel));
			briefae(x, s->r, rel);
			continue;
		}
		/* A foreign table's options: the catalog only. */
		if (eat(p, "options")) {
			skipitem(p);
			lock(x, s->r, rel, L_AE);
			briefae(x, s->r, rel);
			continue;
		}
		if (eats(p, "owner", "to", NULL)) {
			skipitem(p);
			lock(x, s->r, rel, L_AE);
			reason(x, s->r, RLS, rel, 0, fmt(x, "a new owner "
			    "changes who may alter %s", rel));
			reason(x, s->r, AE_LOCK, rel, 0, fmt(x, "ACCESS "
			    "EXCLUSIVE on %s and its indexes", rel));
			continue;
		}
		if (eats(p, "attach", "partition", NULL)) {
			const char *part = qname(x, p, NULL, NULL);

			skipitem(p);
			lock(x, s->r, rel, L_SUE);
			lock(x, s->r, part, L_AE);
			if (part != NULL && !isnew(x, part)) {
				work(s, W_SCAN);
				reason(x, s->r, VALIDATES, part, 1, fmt(x,
				    "%s is scanned to prove its rows fit the "
				    "bound, under ACCESS EXCLUSIVE, unless a "
				    "valid CHECK implies it", part));
			}
			continue;
		}
		if (eats(p, "detach", "partition", NULL)) {
			const char *part = qname(x, p, NULL, NULL);
			int conc = eat(p, "concurrently");

			skipitem(p);
			if (conc) {
				lock(x, s->r, rel, L_SUE);
				s->r->outside = 1;
				reason(x, s->r, NONTX, rel, 0, "DETACH "
				    "CONCURRENTLY runs outside a transaction");
			} else {
				lock(x, s->r, rel, L_AE);
				lock(x, s->r, part, L_AE);
				reason(x, s->r, AE_LOCK, rel, 0, fmt(x,
				    "ACCESS EXCLUSIVE on %s and %s", rel,
				    part != NULL ? part : "the partition"));
			}
			continue;
		}
		if (eat(p, "inherit") || eats(p, "no", "inherit", NULL)) {
			const char *parent = qname(x, p, NULL, NULL);

			skipitem(p);
			lock(x, s->r, rel, L_AE);
			lock(x, s->r, parent, L_SUE);
			briefae(x, s->r, rel);
			continue;
		}
		reason(x, s->r, RAW, rel, 0, fmt(x, "an ALTER TABLE form "
		    "it does not model: %s", span(x, p, p->i, p->i + 1)));
		skipitem(p);
	}
}

/* ---- DROP ---- */


/*
 * A DROP without CASCADE of a relation that views or other tables'
 * foreign keys still need fails: what needs it, less what an earlier
 * step drops.
 */
static void
needscascade(struct cx *x, struct opr *r, const char *rel, int cascade)
{
	const char *deps, *p;
	struct zn_buf b = ZN_BUF_INIT;

	if (cascade)
		return;
	if (x->collect) {
		sset(&x->wantdrop, rel, NULL);
		return;
	}
	if ((deps = sget(&x->dropdeps, rel)) == NULL)
		return;
	for (p = deps; *p != '\0';) {
		const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
		char *key;

		if (tab == NULL || nl == NULL)
			break;
		key = zn_xstrndup(p, (size_t)(tab - p));
		/* A foreign key goes with its table, too. */
		{
			char *bar = strrchr(key, '|');

			if (bar != NULL) {
				*bar = '\0';
				if (shas(&x->goneviews, key)) {
					free(key);
					p = nl + 1;
					continue;
				}
				*bar = '|';
			}
		}
		if (!shas(&x->goneviews, key) && !shas(&x->gonecons, key)) {
			if (b.len > 0)
				zn_buf_adds(&b, ", ");
			zn_buf_add(&b, tab + 1, (size_t)(nl - tab - 1));
		}
		free(key);
		p = nl + 1;
	}
	if (b.len > 0)
		reasonat(x, r, BREAKS, 95, rel, 0, fmt(x, "fails: %s still "
		    "needs %s, and PostgreSQL refuses to drop it without "
		    "CASCADE; drop those first", b.buf, rel));
	zn_buf_release(&b);
}

static void
drop(struct st *s)
{
	struct cx *x = s->x;
	struct ps *p = s->p;
	int cascade = p->n > 0 && zn_tok_is(&p->t[p->n - 1], "cascade");
	const char *rel;

	if (eat(p, "table")) {
		eats(p, "if", "exists", NULL);
		while ((rel = qname(x, p, NULL, NULL)) != NULL) {
			lock(x, s->r, rel, L_AE);
			needscascade(x, s->r, rel, cascade);
			if (!x->collect)
				sset(&x->goneviews, rel, NULL);
			s->r->loss = 2;
			reasonat(x, s->r, DROPS_TABLE, cascade ? 85 : 80, rel,
			    0, fmt(x, "the rows of %s are gone%s; dropping a "
			    "table also takes ACCESS EXCLUSIVE on the tables "
			    "it references", rel, cascade ? ", and CASCADE "
			    "drops what depends on it" : ""));
			if (!atk(p, ZN_TK_COMMA))
				break;
			p->i++;
		}
		return;
	}
	if (eat(p, "index")) {
		int conc = eat(p, "concurrently");

		eats(p, "if", "exists", NULL);
		rel = qname(x, p, NULL, NULL);
		{
			const json_t *a = x->op != NULL ? zn_op_args(x->op) : NULL;
			const char *tbl = a != NULL && zn_json_str(a, "table")
			    != NULL && zn_json_str(a, "schema") != NULL ?
			    zn_arena_qualified(&x->a, zn_json_str(a, "schema"),
			    zn_json_str(a, "table")) : NULL;

			if (tbl != NULL)
				lock(x, s->r, tbl, conc ? L_SUE : L_AE);
			if (rel != NULL)
				lock(x, s->r, rel, conc ? L_SUE : L_AE);
			if (rel != NULL && isnew(x, rel)) {
				atleast(s->r, 5);
				return;
			}
			if (conc) {
				s->r->outside = 1;
				reasonat(x, s->r, DROPS_INDEX, 15, tbl, 0,
				    fmt(x, "drops %s concurrently; queries that "
				    "used it may slow down", rel != NULL ? rel :
				    "the index"));
				reason(x, s->r, NONTX, tbl, 0, "DROP INDEX "
				    "CONCURRENTLY runs outside a transaction");
			} else {
				reason(x, s->r, DROPS_INDEX, tbl, 0, fmt(x,
				    "drops %s under ACCESS EXCLUSIVE on its "
				    "table; queries that used it may slow down",
				    rel != NULL ? rel : "the index"));
				reason(x, s->r, AE_LOCK, tbl, 0, "ACCESS "
				    "EXCLUSIVE on the index's table, briefly");
			}
		}
		return;
	}
	if (eats(p, "materialized", "view", NULL)) {
		eats(p, "if", "exists", NULL);
		rel = qname(x, p, NULL, NULL);
		if (rel != NULL && !x->collect)
			sset(&x->goneviews, rel, NULL);
		reasonat(x, s->r, DROPS_OBJECT, cascade ? 80 : 60, rel, 0,
		    fmt(x, "drops materialized view %s and its stored rows",
		    rel != NULL ? rel : "?"));
		return;
	}
	if (eat(p, "view")) {
		eats(p, "if", "exists", NULL);
		rel = qname(x, p, NULL, NULL);
		if (rel != NULL)
			needscascade(x, s->r, rel, cascade);
		if (rel != NULL && !x->collect)
			sset(&x->goneviews, rel, NULL);
		reasonat(x, s->r, BREAKS, cascade ? 60 : 35, rel, 0, fmt(x,
		    "clients reading %s break", rel != NULL ? rel : "it"));
		return;
	}
	if (eat(p, "schema")) {
		eats(p, "if", "exists", NULL);
		rel = ident(x, p);
		if (cascade) {
			s->r->loss = 2;
			reasonat(x, s->r, DROPS_TABLE, 85, NULL, 0, fmt(x,
			    "DROP SCHEMA %s CASCADE drops every table in it",
			    rel != NULL ? qident(x, rel) : "?"));
		} else
			reason(x, s->r, DROPS_OBJECT, NULL, 0, fmt(x,
			    "drops schema %s", rel != NULL ? qident(x, rel) :
			    "?"));
		return;
	}
	if (at(p, "trigger") || at(p, "rule")) {
		int rule = eat(p, "rule");

		if (!rule)
			eat(p, "trigger");
		eats(p, "if", "exists", NULL);
		ident(x, p);
		eat(p, "on");
		rel = qname(x, p, NULL, NULL);
		lock(x, s->r, rel, L_AE);
		reason(x, s->r, AE_LOCK, rel, 0, fmt(x, "DROP %s takes ACCESS "
		    "EXCLUSIVE on %s", rule ? "RULE" : "TRIGGER", rel != NULL ?
		    rel : "?"));
		if (rel == NULL || !isnew(x, rel)) {
			atleast(s->r, 35);
			note(x, s->r, rule ? "queries stop being rewritten by "
			    "the rule" : "writes stop running the trigger");
		}
		return;
	}
	if (eat(p, "policy")) {
		eats(p, "if", "exists", NULL);
		ident(x, p);
		eat(p, "on");
		rel = qname(x, p, NULL, NULL);
		lock(x, s->r, rel, L_AE);
		reason(x, s->r, RLS, rel, 0, "a dropped policy changes "
		    "which rows each role sees");
		reason(x, s->r, AE_LOCK, rel, 0, "DROP POLICY takes ACCESS "
		    "EXCLUSIVE");
		return;
	}
	/* Objects that hold no rows of their own (a sequence's counter). */
	{
		size_t from = p->i;

		if (eat(p, "sequence") || eat(p, "type") || eat(p, "domain") ||
		    eat(p, "extension") || eat(p, "function") ||
		    eat(p, "procedure") || eat(p, "routine") ||
		    eat(p, "aggregate") || eat(p, "collation") ||
		    eat(p, "operator") || eat(p, "cast") ||
		    eat(p, "statistics") || eat(p, "publication") ||
		    eat(p, "server") || eat(p, "conversion") ||
		    eats(p, "event", "trigger", NULL) ||
		    eats(p, "foreign", "data", "wrapper") ||
		    eats(p, "foreign", "table", NULL) ||
		    eats(p, "user", "mapping", NULL) ||
		    (eats(p, "text", "search", NULL) && (eat(p, "parser") ||
		    eat(p, "template") || eat(p, "dictionary") ||
		    eat(p, "configuration")))) {
			const char *what, *name;

			/* DROP OPERATOR CLASS and FAMILY ... USING method. */
			if (!eat(p, "class"))
				eat(p, "family");
			what = span(x, p, from, p->i);
			eats(p, "if", "exists", NULL);
			rel = NULL;
			/*
			 * A cast's types, a user mapping's role and server,
			 * the name of an object of the database as it stands.
			 */
			if (atk(p, ZN_TK_LPAREN) || at(p, "for") ||
			    strcasecmp(what, "server") == 0 ||
			    strcasecmp(what, "publication") == 0 ||
			    strcasecmp(what, "event trigger") == 0 ||
			    strcasecmp(what, "foreign data wrapper") == 0)
				name = span(x, p, p->i, p->n);
			else
				name = (rel = qname(x, p, NULL, NULL)) != NULL ?
				    rel : "?";
			if (strcasecmp(what, "foreign table") == 0)
				lock(x, s->r, rel, L_AE);
			/* What CASCADE takes with it. */
			if (cascade || strcasecmp(what, "sequence") == 0)
				s->r->loss = 2;
			reasonat(x, s->r, DROPS_OBJECT, cascade ? 80 : 60,
			    NULL, 0, fmt(x, "drops %s %s%s", what, name,
			    cascade ? " and, by CASCADE, what depends on it" :
			    ""));
			return;
		}
	}
	reason(x, s->r, RAW, NULL, 0, "a DROP it does not model");
}

/* ---- ALTER (not TABLE) ---- */

static void
alterother(struct st *s)
{
	struct cx *x = s->x;
	struct ps *p = s->p;
	const char *rel;

	const char *sch = "public";

	if (eat(p, "index")) {
		eats(p, "if", "exists", NULL);
		rel = qname(x, p, &sch, NULL);
		lock(x, s->r, rel, L_SUE);
		if (eat(p, "rename")) {
			if (!x->collect && rel != NULL && isnew(x, rel)) {
				eat(p, "to");
				{
					const char *to = ident(x, p);

					if (to != NULL)
						sset(&x->newrels,
						    zn_arena_qualified(&x->a,
						    sch, to), NULL);
				}
			}
			atleast(s->r, 15);
			note(x, s->r, "ALTER INDEX RENAME takes SHARE UPDATE "
			    "EXCLUSIVE");
			return;
		}
		atleast(s->r, 5);
		return;
	}
	if (eat(p, "type")) {
		rel = qname(x, p, NULL, NULL);
		if (eats(p, "add", "value", NULL)) {
			int ordered;

			eats(p, "if", "not", "exists");
			if (p->i < p->n && p->t[p->i].t == ZN_TK_STRING) {
				char *l = zn_xstrndup(p->t[p->i].s,
				    p->t[p->i].n);

				sset(&x->labels, l, NULL);
				free(l);
			}
			p->i++;
			ordered = at(p, "before") || at(p, "after");
			if (x->ver < 120000) {
				s->r->outside = 1;
				reason(x, s->r, NONTX, NULL, 0, "before "
				    "PostgreSQL 12, ADD VALUE cannot run in a "
				    "transaction");
			}
			if (ordered) {
				atleast(s->r, 15);
				note(x, s->r, "ADD VALUE takes EXCLUSIVE on the "
				    "type only; the new label cannot be used "
				    "in the same transaction");
			} else
				reason(x, s->r, BREAKS, NULL, 0, fmt(x, "the "
				    "label is appended to %s: it sorts after "
				    "every other; say BEFORE or AFTER", rel !=
				    NULL ? rel : "the type"));
			return;
		}
		if (eats(p, "rename", "value", NULL)) {
			reasonat(x, s->r, BREAKS, 60, NULL, 0, "code using the "
			    "old label breaks");
			return;
		}
		if (eats(p, "rename", "to", NULL)) {
			reason(x, s->r, BREAKS, NULL, 0, "casts naming the "
			    "old type name break");
			return;
		}
		atleast(s->r, 35);
		note(x, s->r, "ALTER TYPE changes every column of the type");
		return;
	}
	if (eat(p, "sequence")) {
		eats(p, "if", "exists", NULL);
		rel = qname(x, p, &sch, NULL);
		if (eat(p, "rename")) {
			eat(p, "to");
			{
				const char *to = ident(x, p);

				if (to != NULL && rel != NULL && isnew(x, rel)
				    && !x->collect)
					sset(&x->newrels, zn_arena_qualified(
					    &x->a, sch, to), NULL);
			}
			reason(x, s->r, BREAKS, NULL, 0, "nextval() calls "
			    "naming the old sequence break");
			return;
		}
		atleast(s->r, 5);
		return;
	}
	if (eat(p, "view") || eats(p, "materialized", "view", NULL)) {
		eats(p, "if", "exists", NULL);
		rel = qname(x, p, NULL, NULL);
		lock(x, s->r, rel, L_AE);
		if (eats(p, "rename", "to", NULL) || eats(p, "set", "schema",
		    NULL))
			reasonat(x, s->r, BREAKS, 60, rel, 0, "clients reading "
			    "the view under its old name break");
		else if (rel != NULL && !isnew(x, rel))
			reason(x, s->r, AE_LOCK, rel, 0, fmt(x, "ACCESS "
			    "EXCLUSIVE on %s", rel));
		return;
	}
	if (eat(p, "domain")) {
		qname(x, p, NULL, NULL);
		if (eats(p, "add", "constraint", NULL) || eat(p, "add")) {
			int notvalid = p->n >= 2 && zn_tok_is(&p->t[p->n - 1],
			    "valid") && zn_tok_is(&p->t[p->n - 2], "not");

			if (notvalid)
				atleast(s->r, 5);
			else {
				work(s, W_SCAN);
				s->r->mayfail |= MF_VIOLATION;
				reason(x, s->r, VALIDATES, NULL, 1, "ALTER "
				    "DOMAIN ADD CHECK takes SHARE on every table "
				    "using the domain and scans each; add it NOT "
				    "VALID");
			}
			return;
		}
		if (eats(p, "drop", "constraint", NULL)) {
			reason(x, s->r, DROPS_CONSTRAINT, NULL, 0, "the "
			    "domain no longer guards its columns");
			return;
		}
		if (eats(p, "drop", "not", "null")) {
			reason(x, s->r, DROPS_CONSTRAINT, NULL, 0, "columns "
			    "of the domain may now hold NULL");
			return;
		}
		atleast(s->r, 35);
		note(x, s->r, "ALTER DOMAIN may check every column of the "
		    "domain");
		return;
	}
	if (eat(p, "policy")) {
		ident(x, p);
		eat(p, "on");
		rel = qname(x, p, NULL, NULL);
		lock(x, s->r, rel, L_AE);
		reason(x, s->r, RLS, rel, 0, "the policy changes which "
		    "rows each role sees");
		reason(x, s->r, AE_LOCK, rel, 0, "ALTER POLICY takes "
		    "ACCESS EXCLUSIVE");
		return;
	}
	if (eat(p, "extension")) {
		ident(x, p);
		if (eat(p, "update")) {
			atleast(s->r, 35);
			note(x, s->r, "an extension update runs its own "
			    "scripts");
			return;
		}
		atleast(s->r, 15);
		return;
	}
	if (eat(p, "schema")) {
		ident(x, p);
		if (eats(p, "rename", "to", NULL)) {
			reasonat(x, s->r, BREAKS, 60, NULL, 0, "every client "
			    "naming the schema breaks");
			return;
		}
		reason(x, s->r, RLS, NULL, 0, "changes who owns the "
		    "schema");
		return;
	}
	if (eats(p, "default", "privileges", NULL)) {
		reason(x, s->r, RLS, NULL, 0, "changes who may read or write "
		    "what is made later");
		return;
	}
	if (eats(p, "event", "trigger", NULL)) {
		atleast(s->r, 15);
		note(x, s->r, "changes when the event trigger runs");
		return;
	}
	if (eat(p, "publication")) {
		atleast(s->r, 15);
		note(x, s->r, "changes what logical replication sends; the "
		    "tables it names take SHARE UPDATE EXCLUSIVE");
		return;
	}
	/*
	 * ALTER OPERATOR, OPERATOR CLASS and FAMILY, of a wrapper, server,
	 * user mapping or text search object: the catalog only.
	 */
	if (eats(p, "foreign", "data", "wrapper") || eat(p, "server") ||
	    eats(p, "user", "mapping", NULL) || eats(p, "text", "search",
	    NULL)) {
		atleast(s->r, 15);
		return;
	}
	if (eat(p, "function") || eat(p, "procedure") || eat(p, "routine") ||
	    eat(p, "trigger") || eat(p, "statistics") ||
	    eat(p, "collation") || eat(p, "operator")) {
		atleast(s->r, 15);
		return;
	}
	reason(x, s->r, RAW, NULL, 0, "an ALTER it does not model");
}

/* ---- lock_timeout ---- */

/* Milliseconds of a lock_timeout value; -1 unbounded (0 or DEFAULT). */
static long
ltvalue(struct cx *x, struct ps *p)
{
	const struct zn_tok *t = cur(p);
	char *v, *end;
	double d;
	long unit = 1;

	if (t == NULL || zn_tok_is(t, "default") || zn_tok_is(t, "local"))
		return -1;
	if (t->t == ZN_TK_STRING && t->n >= 2 && t->s[0] == '\'')
		v = zn_xstrndup(t->s + 1, t->n - 2);
	else
		v = zn_xstrndup(t->s, t->n);
	errno = 0;
	d = strtod(v, &end);
	while (*end == ' ')
		end++;
	if (*end == '\0' || strcmp(end, "ms") == 0)
		unit = 1;
	else if (strcmp(end, "s") == 0)
		unit = 1000;
	else if (strcmp(end, "min") == 0)
		unit = 60000;
	else if (strcmp(end, "h") == 0)
		unit = 3600000;
	else if (strcmp(end, "us") == 0) {
		d /= 1000;
		unit = 1;
	} else if (strcmp(end, "d") == 0)
		unit = 86400000;
	else
		d = -1;
	free(v);
	(void)x;
	if (errno != 0 || d <= 0)
		return -1;
	return (long)(d * (double)unit + 0.5);
}

/* ---- one statement ---- */

static void
statement(struct cx *x, struct opr *r, const struct zn_tok *t, size_t n)
{
	struct ps p = { t, 0, n, NULL };
	struct st s = { x, r, &p, 0, W_NONE, NULL };
	size_t l0 = r->nl;
	int heldbefore = r->heldmode;
	size_t i;

	if (n == 0)
		return;
	r->nstmt++;
	x->stmtonly = 0;
	for (i = 1; i < n && i < 8; i++)
		if (zn_tok_is(&t[i], "only") && (zn_tok_is(&t[i - 1], "table") ||
		    zn_tok_is(&t[i - 1], "on") || zn_tok_is(&t[i - 1],
		    "truncate") || zn_tok_is(&t[i - 1], "exists")))
			x->stmtonly = 1;
	/*
	 * A label added earlier in the same transaction cannot be used
	 * before it commits ("unsafe use of new value").
	 */
	if (x->labels.n > 0 && x->op != NULL && x->op->transactional &&
	    !x->collect) {
		for (i = 0; i < n; i++) {
			char *l;

			if (t[i].t != ZN_TK_STRING)
				continue;
			l = zn_xstrndup(t[i].s, t[i].n);
			if (shas(&x->labels, l) && !(i >= 2 &&
			    zn_tok_is(&t[i - 1], "value") &&
			    zn_tok_is(&t[i - 2], "add")) && !(i >= 5 &&
			    zn_tok_is(&t[i - 1], "exists") &&
			    zn_tok_is(&t[i - 4], "value")))
				reasonat(x, r, BREAKS, 95, NULL, 0, fmt(x,
				    "fails: the enum label %s is added in "
				    "this step's transaction, and PostgreSQL "
				    "refuses to use a new label before that "
				    "commits (unsafe use of new value); use it "
				    "in a later step", l));
			free(l);
		}
	}
	if (eat(&p, "set")) {
		eat(&p, "session");
		eat(&p, "local");
		if (eat(&p, "lock_timeout")) {
			if (atk(&p, ZN_TK_OP) || at(&p, "to"))
				p.i++;
			r->lt = ltvalue(x, &p);
			r->ltunbounded = r->lt < 0;
		} else if (eat(&p, "timezone") || eats(&p, "time", "zone",
		    NULL)) {
			if (atk(&p, ZN_TK_OP) || at(&p, "to"))
				p.i++;
			x->tz = at(&p, "default") || at(&p, "local") ? NULL :
			    span(x, &p, p.i, p.n);
		}
		r->nstmt--;
		return;
	}
	if (eat(&p, "reset")) {
		if (at(&p, "lock_timeout") || at(&p, "all")) {
			r->lt = -1;
			r->ltunbounded = 1;
		}
		if (at(&p, "timezone") || at(&p, "all"))
			x->tz = NULL;
		r->nstmt--;
		return;
	}
	if (at(&p, "begin") || at(&p, "commit") || at(&p, "rollback") ||
	    at(&p, "end") || at(&p, "savepoint") || at(&p, "release") ||
	    eats(&p, "start", "transaction", NULL) || at(&p, "abort") ||
	    at(&p, "prepare")) {
		r->txctl++;
		return;
	}
	if (eat(&p, "create")) {
		int replace = eats(&p, "or", "replace", NULL);

		eat(&p, "temporary");
		eat(&p, "temp");
		eat(&p, "unlogged");
		eat(&p, "global");
		eat(&p, "local");
		if (eat(&p, "table"))
			createtable(&s);
		else if (eat(&p, "index"))
			createindex(&s, 0);
		else if (eats(&p, "unique", "index", NULL))
			createindex(&s, 1);
		else
			createother(&s, replace);
	} else if (eat(&p, "alter")) {
		if (eat(&p, "table") || eats(&p, "foreign", "table", NULL))
			altertable(&s);
		else
			alterother(&s);
	} else if (eat(&p, "drop")) {
		drop(&s);
	} else if (eat(&p, "truncate")) {
		int cascade = zn_tok_is(&t[n - 1], "cascade");
		const char *rel;

		eat(&p, "table");
		eat(&p, "only");
		while ((rel = qname(x, &p, NULL, NULL)) != NULL) {
			lock(x, r, rel, L_AE);
			r->loss = 2;
			reasonat(x, r, DROPS_TABLE, cascade ? 85 : 80, rel, 0,
			    fmt(x, "every row of %s is gone%s", rel, cascade ?
			    ", and of every table referencing it (CASCADE)" :
			    ""));
			/* New, empty storage (observed: a new relfilenode). */
			work(&s, W_REWRITE);
			if (!atk(&p, ZN_TK_COMMA))
				break;
			p.i++;
		}
	} else if (eat(&p, "comment")) {
		const char *rel = NULL, *a, *b = NULL, *c = NULL;

		/*
		 * On a relation or one of its columns: SHARE UPDATE
		 * EXCLUSIVE on it (observed on PostgreSQL 15).
		 */
		eat(&p, "on");
		if (eat(&p, "column")) {
			if ((a = ident(x, &p)) != NULL && atk(&p, ZN_TK_DOT)) {
				p.i++;
				b = ident(x, &p);
				if (b != NULL && atk(&p, ZN_TK_DOT)) {
					p.i++;
					c = ident(x, &p);
				}
			}
			if (c != NULL)
				rel = zn_arena_qualified(&x->a, a, b);
			else if (b != NULL)
				rel = zn_arena_qualified(&x->a, "public", a);
		} else if (eat(&p, "table") || eat(&p, "view") ||
		    eat(&p, "index") || eat(&p, "sequence") ||
		    (eat(&p, "materialized") && eat(&p, "view")) ||
		    (eat(&p, "foreign") && eat(&p, "table")))
			rel = qname(x, &p, NULL, NULL);
		lock(x, r, rel, L_SUE);
		atleast(r, 5);
	} else if (eat(&p, "grant") || eat(&p, "revoke")) {
		reason(x, r, RLS, NULL, 0, "changes who may read or write");
	} else if (eat(&p, "reindex")) {
		int conc;

		if (atk(&p, ZN_TK_LPAREN))
			skipgroup(&p);
		p.i++;	/* INDEX, TABLE, ... */
		conc = eat(&p, "concurrently");
		s.rel = qname(x, &p, NULL, NULL);
		if (conc) {
			lock(x, r, s.rel, L_SUE);
			r->outside = 1;
			work(&s, W_INDEX);
			reasonat(x, r, ADDS_INDEX, x->ver >= 140000 &&
			    x->ver < 140004 ? 95 : 15, s.rel, 0, "REINDEX "
			    "CONCURRENTLY builds new indexes beside the old");
			reason(x, r, NONTX, s.rel, 0, "REINDEX CONCURRENTLY "
			    "runs outside a transaction");
		} else {
			lock(x, r, s.rel, L_S);
			work(&s, W_REWRITE);
			reason(x, r, REBUILDS, s.rel, 1, "REINDEX blocks "
			    "writes, and reads that use the index, until it "
			    "ends");
		}
	} else if (eat(&p, "vacuum")) {
		int full = 0;

		if (atk(&p, ZN_TK_LPAREN)) {
			size_t b = p.i;

			skipgroup(&p);
			for (i = b; i < p.i; i++)
				full |= zn_tok_is(&t[i], "full");
		}
		full |= eat(&p, "full");
		while (p.i < n && !isname(cur(&p)))
			p.i++;
		while (eat(&p, "freeze") || eat(&p, "verbose") ||
		    eat(&p, "analyze"))
			;
		s.rel = qname(x, &p, NULL, NULL);
		r->outside = 1;
		if (full) {
			lock(x, r, s.rel, L_AE);
			work(&s, W_REWRITE);
			reason(x, r, REBUILDS, s.rel, 1, "VACUUM FULL "
			    "rewrites under ACCESS EXCLUSIVE");
		} else
			lock(x, r, s.rel, L_SUE);
		reason(x, r, NONTX, s.rel, 0, "VACUUM runs outside a "
		    "transaction");
	} else if (eat(&p, "cluster")) {
		s.rel = qname(x, &p, NULL, NULL);
		lock(x, r, s.rel, L_AE);
		work(&s, W_REWRITE);
		reason(x, r, REBUILDS, s.rel, 1, "CLUSTER rewrites under "
		    "ACCESS EXCLUSIVE");
	} else if (eat(&p, "analyze") || eat(&p, "analyse")) {
		atleast(r, 5);
	} else if (eats(&p, "refresh", "materialized", "view")) {
		int conc = eat(&p, "concurrently");

		s.rel = qname(x, &p, NULL, NULL);
		if (conc) {
			lock(x, r, s.rel, L_EX);
			work(&s, W_DATA);
			atleast(r, 15);
		} else {
			lock(x, r, s.rel, L_AE);
			work(&s, W_REWRITE);
			reason(x, r, REBUILDS, s.rel, 1, "REFRESH blocks "
			    "reads of the view until the query ends");
		}
	} else if (eat(&p, "lock")) {
		int mode = L_AE;

		eat(&p, "table");
		eat(&p, "only");
		s.rel = qname(x, &p, NULL, NULL);
		if (eat(&p, "in")) {
			if (eats(&p, "access", "share", NULL))
				mode = L_AS;
			else if (eats(&p, "row", "share", NULL))
				mode = L_RS;
			else if (eats(&p, "row", "exclusive", NULL))
				mode = L_RE;
			else if (eats(&p, "share", "update", "exclusive"))
				mode = L_SUE;
			else if (eats(&p, "share", "row", "exclusive"))
				mode = L_SRE;
			else if (eat(&p, "share"))
				mode = L_S;
			else if (eat(&p, "exclusive"))
				mode = L_EX;
		}
		lock(x, r, s.rel, mode);
		if (mode == L_AE)
			reason(x, r, AE_LOCK, s.rel, 0, "LOCK TABLE takes "
			    "ACCESS EXCLUSIVE until the transaction ends");
		else
			atleast(r, 15);
	} else if (at(&p, "update") || at(&p, "delete") || at(&p, "insert")
	    || at(&p, "merge") || at(&p, "copy") || at(&p, "with")) {
		int writes = !at(&p, "with");

		if (!writes)
			for (i = 0; i < n; i++)
				if (zn_tok_is(&t[i], "update") ||
				    zn_tok_is(&t[i], "delete") ||
				    zn_tok_is(&t[i], "insert"))
					writes = 1;
		if (writes) {
			p.i++;
			eat(&p, "from");
			eat(&p, "into");
			eat(&p, "only");
			s.rel = isname(cur(&p)) ? qname(x, &p, NULL, NULL) :
			    NULL;
			lock(x, r, s.rel, L_RE);
			work(&s, W_DATA);
			reason(x, r, BACKFILL, s.rel, 1, fmt(x, "moves rows%s%s"
			    " in one statement: row locks, WAL and replica "
			    "lag; batch it", s.rel != NULL ? " of " : "",
			    s.rel != NULL ? s.rel : ""));
		} else
			atleast(r, 5);
	} else if (at(&p, "select") || at(&p, "values") || at(&p, "show") ||
	    at(&p, "explain") || at(&p, "table")) {
		atleast(r, 5);
	} else if (at(&p, "do")) {
		reason(x, r, RAW, NULL, 0, "a DO block: what it does "
		    "cannot be known before it runs");
	} else if (at(&p, "call")) {
		reason(x, r, RAW, NULL, 0, "CALL runs a procedure whose "
		    "effects cannot be known");
	} else {
		reason(x, r, RAW, NULL, 0, fmt(x, "a statement it does not "
		    "model: %.*s", (int)t[0].n, t[0].s));
	}
	if (s.work > r->work)
		r->work = s.work;
	/*
	 * Lock facts of this statement: a strong lock with no bound of its
	 * own (raw SQL), and work done while an earlier statement's strong
	 * lock is still held.
	 */
	for (i = l0; i < r->nl; i++)
		if (r->locks[i].mode > r->heldmode) {
			r->heldmode = r->locks[i].mode;
			r->heldrel = r->locks[i].rel;
		}
	if (s.work != W_NONE) {
		int m = L_NONE;

		for (i = 0; i < r->nl; i++)
			if (s.rel != NULL && strcmp(r->locks[i].rel, s.rel) == 0
			    && r->locks[i].mode > m)
				m = r->locks[i].mode;
		if (m >= L_S)
			r->holds = 1;
	}
	if (heldbefore >= L_SRE && s.work != W_NONE && r->nstmt > 1 &&
	    r->outside == 0)
		reason(x, r, HOLDS, s.rel, 0, fmt(x, "%s taken by an "
		    "earlier statement of this step is held while this one "
		    "works", zn_lock_name(heldbefore)));
	for (i = 0; i < r->nl; i++)
		if (r->locks[i].mode >= L_S && (r->lt < 0 || r->ltunbounded))
			r->ltneed = 1;
}

/*
 * Splits SQL text into statements at top-level semicolons (a function
 * body in BEGIN ATOMIC ... END keeps its own) and classifies each.
 */
static void
sqltext(struct cx *x, struct opr *r, const char *text)
{
	struct zn_toks *tp = &x->toks;
	size_t i, b = 0;
	int depth = 0, atomic = 0;

	/* One token array for every text: statement() keeps no token. */
	tp->n = 0;
	tp->bad = 0;
	zn_sql_tokens(tp, text);
	if (tp->bad) {
		reason(x, r, RAW, NULL, 0, "SQL it cannot read: an "
		    "unterminated literal, identifier or comment");
		return;
	}
	for (i = 0; i <= tp->n; i++) {
		if (i < tp->n) {
			const struct zn_tok *t = &tp->v[i];

			if (t->t == ZN_TK_LPAREN)
				depth++;
			else if (t->t == ZN_TK_RPAREN)
				depth--;
			else if (zn_tok_is(t, "atomic") && i > b &&
			    zn_tok_is(&tp->v[i - 1], "begin"))
				atomic++;
			else if (atomic > 0 && zn_tok_is(t, "case"))
				atomic++;
			else if (atomic > 0 && zn_tok_is(t, "end"))
				atomic--;
			if (t->t != ZN_TK_SEMI || depth > 0 || atomic > 0)
				continue;
		}
		statement(x, r, tp->v + b, i - b);
		b = i + 1;
	}
}

/* ---- the live database ---- */

/* The keys of m as a PostgreSQL text[] literal. */
static void
pgarray(struct zn_buf *b, const struct smap *m)
{
	size_t i;

	zn_buf_addch(b, '{');
	for (i = 0; i < m->cap; i++)
		if (m->k[i] != NULL)
			zn_pg_array_add(b, m->k[i]);
	zn_buf_addch(b, '}');
}

/*
 * One catalog query for a set of keys ($1, a text[] of keys's): each
 * row's first column is a key, its second (when values) what into maps
 * it to; a key without a row is not in into.
 */
static void
readmap(PGconn *conn, const char *what, struct smap *keys, const char *sql,
    struct smap *into, int values)
{
	struct zn_buf b = ZN_BUF_INIT;
	const char *params[1];
	PGresult *res;
	int j;

	pgarray(&b, keys);
	params[0] = b.buf;
	res = zn_pg_exec(conn, what, sql, 1, params);
	for (j = 0; j < PQntuples(res); j++)
		sset(into, PQgetvalue(res, j, 0), values ?
		    zn_xstrdup(PQgetvalue(res, j, 1)) : NULL);
	PQclear(res);
	zn_buf_release(&b);
}

/* Table sizes, old column types, valid not-null checks, volatility. */
static void
lookup(struct cx *x)
{
	PGconn *conn = x->o->conn;
	struct zn_buf rels = ZN_BUF_INIT, cols = ZN_BUF_INIT,
	    fns = ZN_BUF_INIT;
	struct zn_buf b = ZN_BUF_INIT;
	PGresult *res;
	struct zn_pgres x1;
	const char *params[3];
	int j;

	/* Relation keys are quoted names: regclass reads them back. */
	pgarray(&rels, &x->wantrel);
	pgarray(&cols, &x->wantcol);
	pgarray(&fns, &x->wantfn);
	params[0] = rels.buf;
	/*
	 * Sizes: one query for every relation the plan touches.
	 * pg_total_relation_size takes ACCESS SHARE on each; a table
	 * someone holds locked falls back to the planner's page counts.
	 */
	{
		char set[64];

		snprintf(set, sizeof(set), "SET lock_timeout = %ld",
		    x->o->probe_timeout_ms);
		zn_pg_cmd(conn, "bound lock waits", set);
	}
	/*
	 * A table's size is its tree's: a partitioned table has no rows of
	 * its own, and ALTER TABLE without ONLY works on every partition
	 * and inheritance child (PostgreSQL rewrites, scans and locks each).
	 * Per table: the analysed rows summed (a relation never analysed
	 * counts none), the heaps' bytes and the total.
	 */
#define TREE(heap, total) \
	"SELECT k, sum(greatest(d.reltuples, 0))::float8, " heap ", " total \
	", bool_or(d.oid = c.oid AND c.relkind = 'p'), " \
	"string_agg(pg_catalog.format('%I.%I', dn.nspname, d.relname) || " \
	"E'\\n', '' ORDER BY d.relname) FILTER (WHERE d.oid <> c.oid) " \
	"FROM unnest($1::text[]) AS k " \
	"JOIN pg_catalog.pg_class c ON c.oid = to_regclass(k) " \
	"CROSS JOIN LATERAL (WITH RECURSIVE tree(oid) AS (SELECT c.oid " \
	"UNION SELECT i.inhrelid FROM pg_catalog.pg_inherits i " \
	"JOIN tree t ON i.inhparent = t.oid) SELECT oid FROM tree) tr " \
	"JOIN pg_catalog.pg_class d ON d.oid = tr.oid " \
	"JOIN pg_catalog.pg_namespace dn ON dn.oid = d.relnamespace GROUP BY k"
	if (!zn_pg_try(conn, &x1, TREE(
	    "sum(pg_relation_size(d.oid))::float8",
	    "sum(pg_total_relation_size(d.oid))::float8"), 1, params)) {
		if (strcmp(x1.state, "55P03") != 0)
			zn_pg_die(&x1, "read table sizes", NULL);
		zn_pgres_clear(&x1);
		zn_warn("a table is locked: its size is estimated from "
		    "pg_class.relpages");
		if (!zn_pg_try(conn, &x1, TREE("-1::float8",
		    "sum((d.relpages + coalesce((SELECT sum(i.relpages) "
		    "FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class i "
		    "ON i.oid = x.indexrelid WHERE x.indrelid = d.oid), 0) "
		    "+ coalesce((SELECT t.relpages FROM pg_catalog.pg_class t "
		    "WHERE t.oid = d.reltoastrelid), 0))::float8 * "
		    "current_setting('block_size')::float8)"), 1, params))
			zn_pg_die(&x1, "read table sizes", NULL);
	}
#undef TREE
	res = x1.r;
	x1.r = NULL;
	zn_pgres_clear(&x1);
	for (j = 0; j < PQntuples(res); j++) {
		struct tstat *ts;

		/*
		 * --stats wins for the size; the tree (what the statement
		 * locks besides) is the catalogs' still.
		 */
		if ((ts = sget(&x->stats, PQgetvalue(res, j, 0))) != NULL) {
			ts->partitioned |= strcmp(PQgetvalue(res, j, 4),
			    "t") == 0;
			if (ts->parts == NULL && !PQgetisnull(res, j, 5))
				ts->parts = keep(x, zn_xstrdup(PQgetvalue(res,
				    j, 5)));
			continue;
		}
		ts = zn_xcalloc(1, sizeof(*ts));
		ts->rows = atof(PQgetvalue(res, j, 1));
		ts->bytes = atof(PQgetvalue(res, j, 3));
		/*
		 * reltuples is an estimate: -1 never analysed, and 0 may
		 * be stale.  A heap of no pages is empty for certain; one
		 * with pages that the estimate calls empty is unknown,
		 * and so is one whose heap size could not be read.
		 */
		if (atof(PQgetvalue(res, j, 2)) == 0)
			ts->rows = 0;
		else if (ts->rows <= 0)
			ts->rows = -1;
		ts->source = "pg_class";
		ts->partitioned = strcmp(PQgetvalue(res, j, 4), "t") == 0;
		if (!PQgetisnull(res, j, 5))
			ts->parts = keep(x, zn_xstrdup(PQgetvalue(res, j, 5)));
		sset(&x->stats, PQgetvalue(res, j, 0), ts);
	}
	PQclear(res);
	/* Column types, and valid CHECK (col IS NOT NULL) for each. */
	params[0] = cols.buf;
	res = zn_pg_exec(conn, "read column types",
	    "SELECT k, pg_catalog.format_type(a.atttypid, a.atttypmod), "
	    /*
	     * A valid CHECK implies NOT NULL (PostgreSQL 12 and later skip
	     * the scan, as measured) when col IS NOT NULL, or NOT (col IS
	     * NULL), is one of its ANDed terms: no OR, no CASE around it.
	     */
	    "EXISTS (SELECT 1 FROM pg_catalog.pg_constraint n "
	    "WHERE n.conrelid = a.attrelid AND n.contype = 'c' "
	    "AND n.convalidated AND a.attnum = ANY (n.conkey) "
	    "AND pg_catalog.strpos(pg_catalog.pg_get_constraintdef(n.oid), "
	    "' OR ') = 0 AND pg_catalog.strpos(pg_catalog.upper("
	    "pg_catalog.pg_get_constraintdef(n.oid)), 'CASE') = 0 "
	    "AND (pg_catalog.strpos(pg_catalog.pg_get_constraintdef(n.oid), "
	    "'(' || pg_catalog.quote_ident(a.attname) || ' IS NOT NULL)') > 0 "
	    "OR pg_catalog.strpos(pg_catalog.pg_get_constraintdef(n.oid), "
	    "'NOT (' || pg_catalog.quote_ident(a.attname) || ' IS NULL)') > 0)), "
	    "(SELECT string_agg(pg_catalog.quote_ident(n.conname), ', ' "
	    "ORDER BY n.conname) FROM pg_catalog.pg_constraint n "
	    "WHERE n.conrelid = a.attrelid AND n.contype = 'c' "
	    "AND a.attnum = ANY (n.conkey)) "
	    "FROM unnest($1::text[]) AS k "
	    "JOIN pg_catalog.pg_attribute a ON a.attrelid = "
	    "to_regclass(split_part(k, '|', 1)) "
	    "AND a.attname = substr(k, length(split_part(k, '|', 1)) + 2) "
	    "AND a.attnum > 0 AND NOT a.attisdropped", 1, params);
	for (j = 0; j < PQntuples(res); j++) {
		sset(&x->coltype, PQgetvalue(res, j, 0),
		    zn_xstrdup(PQgetvalue(res, j, 1)));
		if (strcmp(PQgetvalue(res, j, 2), "t") == 0)
			sset(&x->proven, PQgetvalue(res, j, 0), NULL);
		if (!PQgetisnull(res, j, 3))
			sset(&x->colchecks, PQgetvalue(res, j, 0),
			    zn_xstrdup(PQgetvalue(res, j, 3)));
	}
	PQclear(res);
	params[0] = fns.buf;
	res = zn_pg_exec(conn, "read functions",
	    "SELECT proname, bool_or(provolatile = 'v') "
	    "FROM pg_catalog.pg_proc WHERE proname = ANY ($1::text[]) "
	    "GROUP BY proname", 1, params);
	for (j = 0; j < PQntuples(res); j++)
		sset(&x->volatil, PQgetvalue(res, j, 0),
		    zn_xstrdup(strcmp(PQgetvalue(res, j, 1), "t") == 0 ?
		    "v" : "s"));
	PQclear(res);
	/*
	 * The views (and rules) that use each column: PostgreSQL refuses to
	 * change its type or drop it (without CASCADE) while they do.
	 */
	readmap(conn, "read the views that use columns", &x->wantcol,
	    "SELECT k, string_agg(DISTINCT pg_catalog.format('%I.%I', "
	    "vn.nspname, v.relname), ', ') "
	    "FROM unnest($1::text[]) AS k "
	    "JOIN pg_catalog.pg_attribute a ON a.attrelid = "
	    "to_regclass(split_part(k, '|', 1)) "
	    "AND a.attname = substr(k, length(split_part(k, '|', 1)) + 2) "
	    "AND a.attnum > 0 AND NOT a.attisdropped "
	    "JOIN pg_catalog.pg_depend d ON d.refclassid = "
	    "'pg_catalog.pg_class'::regclass AND d.refobjid = a.attrelid "
	    "AND d.refobjsubid = a.attnum AND d.classid = "
	    "'pg_catalog.pg_rewrite'::regclass "
	    "JOIN pg_catalog.pg_rewrite w ON w.oid = d.objid "
	    "JOIN pg_catalog.pg_class v ON v.oid = w.ev_class "
	    "AND v.oid <> a.attrelid "
	    "JOIN pg_catalog.pg_namespace vn ON vn.oid = v.relnamespace "
	    "GROUP BY k", &x->viewdeps, 1);
	/* The nullable columns of indexes a primary key is to use. */
	readmap(conn, "read index columns", &x->wantidx, "SELECT k, "
	    "string_agg(a.attname, '|' ORDER BY a.attnum) "
	    "FROM unnest($1::text[]) AS k "
	    "JOIN pg_catalog.pg_index i ON i.indrelid = "
	    "to_regclass(split_part(k, '|', 1)) "
	    "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
	    "AND ic.relname = substr(k, length(split_part(k, '|', 1)) "
	    "+ 2) JOIN pg_catalog.pg_attribute a ON a.attrelid = "
	    "i.indrelid AND a.attnum = ANY (i.indkey) AND NOT "
	    "a.attnotnull GROUP BY k", &x->idxnull, 1);
	/*
	 * What needs each relation dropped without CASCADE: the views that
	 * read it and other tables' foreign keys to it, as "key<TAB>label"
	 * lines, the key being how an earlier step's drop is known.
	 */
	readmap(conn, "read what depends on dropped tables", &x->wantdrop,
	    "SELECT k, string_agg(key || E'\\t' || label || E'\\n', "
	    "'' ORDER BY label) FROM unnest($1::text[]) AS k, LATERAL ("
	    "SELECT pg_catalog.format('%I.%I', vn.nspname, v.relname) "
	    "AS key, 'view ' || pg_catalog.format('%I.%I', vn.nspname, "
	    "v.relname) AS label FROM pg_catalog.pg_depend d "
	    "JOIN pg_catalog.pg_rewrite w ON w.oid = d.objid "
	    "JOIN pg_catalog.pg_class v ON v.oid = w.ev_class "
	    "JOIN pg_catalog.pg_namespace vn ON vn.oid = v.relnamespace "
	    "WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND "
	    "d.refclassid = 'pg_catalog.pg_class'::regclass AND "
	    "d.refobjid = to_regclass(k) AND v.oid <> d.refobjid "
	    "UNION SELECT pg_catalog.format('%I.%I', n.nspname, "
	    "t.relname) || '|' || c.conname, 'foreign key ' || "
	    "pg_catalog.quote_ident(c.conname) || ' of ' || "
	    "pg_catalog.format('%I.%I', n.nspname, t.relname) "
	    "FROM pg_catalog.pg_constraint c "
	    "JOIN pg_catalog.pg_class t ON t.oid = c.conrelid "
	    "JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace "
	    "WHERE c.contype = 'f' AND c.confrelid = to_regclass(k) "
	    "AND c.conrelid <> c.confrelid) dep GROUP BY k", &x->dropdeps,
	    1);
	/*
	 * The table each dropped foreign key references: the drop takes
	 * ACCESS EXCLUSIVE on it too (its triggers go).
	 */
	readmap(conn, "read dropped foreign keys", &x->wantcon,
	    "SELECT k, pg_catalog.format('%I.%I', rn.nspname, r.relname) "
	    "FROM unnest($1::text[]) AS k "
	    "JOIN pg_catalog.pg_constraint c ON c.conrelid = "
	    "to_regclass(split_part(k, '|', 1)) AND c.conname = "
	    "substr(k, length(split_part(k, '|', 1)) + 2) AND "
	    "c.contype = 'f' AND c.confrelid <> c.conrelid "
	    "JOIN pg_catalog.pg_class r ON r.oid = c.confrelid "
	    "JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace",
	    &x->fkref, 1);
	/*
	 * The types of added columns that are domains with a CHECK, named
	 * as the step names them: under the default search_path.
	 */
	zn_pg_cmd(conn, "read domains", "BEGIN; "
	    "SET LOCAL search_path TO DEFAULT");
	readmap(conn, "read domains", &x->wanttype,
	    "WITH RECURSIVE d(k, t) AS (SELECT k, to_regtype(k) "
	    "FROM unnest($1::text[]) AS k WHERE to_regtype(k) IS NOT NULL "
	    "UNION SELECT d.k, y.typbasetype FROM d JOIN pg_catalog.pg_type y "
	    "ON y.oid = d.t AND y.typtype = 'd') "
	    "SELECT DISTINCT d.k FROM d JOIN pg_catalog.pg_constraint c "
	    "ON c.contypid = d.t AND c.contype = 'c'", &x->cdomain, 0);
	zn_pg_cmd(conn, "read domains", "COMMIT");
	zn_buf_release(&rels);
	zn_buf_release(&cols);
	zn_buf_release(&fns);
	zn_buf_release(&b);
}

/*
 * Runs one probe: read only, in its own transaction, bounded by the
 * probe timeout for both the query and the locks it waits for.
 */
static void
runprobe(struct cx *x, struct probe *pr)
{
	PGconn *conn = x->o->conn;
	PGresult *res;
	struct zn_pgres x1;
	char set[256];
	json_t *rows;
	int j;
	const char *state;

	/*
	 * The expressions of the DDL are read as the migration will run
	 * them: with the database's default search_path.
	 */
	snprintf(set, sizeof(set), "BEGIN ISOLATION LEVEL REPEATABLE READ "
	    "READ ONLY; SET LOCAL statement_timeout = %ld; SET LOCAL "
	    "lock_timeout = %ld; SET LOCAL search_path TO DEFAULT",
	    x->o->probe_timeout_ms, x->o->probe_timeout_ms);
	zn_pg_cmd(conn, "start a probe", set);
	/* The extended protocol runs exactly one statement. */
	if (zn_pg_try(conn, &x1, pr->sql, 0, NULL)) {
		res = x1.r;
		rows = json_array();
		for (j = 0; j < PQntuples(res); j++)
			json_array_append_new(rows, json_string(
			    PQgetvalue(res, j, 0)));
		pr->result = json_pack("{s:s, s:s, s:s, s:o}", "check",
		    pr->check, "relation", pr->rel, "status",
		    PQntuples(res) > 0 ? "found" : "clean", "rows", rows);
	} else {
		if (strcmp(x1.state, "57014") == 0 ||
		    strcmp(x1.state, "55P03") == 0)
			state = "timeout";
		else if (strcmp(x1.state, "25006") == 0)
			state = "refused_write";
		else
			state = "error";
		pr->result = json_pack("{s:s, s:s, s:s, s:s}", "check",
		    pr->check, "relation", pr->rel, "status", state,
		    "message", x1.primary);
		if (PQstatus(conn) != CONNECTION_OK)
			zn_die(ZN_EXIT_UNAVAILABLE, "the connection was lost "
			    "during a probe");
	}
	zn_pgres_clear(&x1);
	if (!zn_pg_try_script(conn, &x1, "ROLLBACK") &&
	    PQstatus(conn) != CONNECTION_OK)
		zn_die(ZN_EXIT_UNAVAILABLE, "the connection was lost "
		    "during a probe");
	zn_pgres_clear(&x1);
}

/* ---- --stats FILE ---- */

static void
readstats(struct cx *x, const char *path)
{
	struct zn_buf b = ZN_BUF_INIT;
	char *line, *next, *f[5];
	size_t lineno = 0;
	int nf;

	zn_buf_readfile(&b, path);
	for (line = b.buf; line != NULL && *line != '\0'; line = next) {
		char *s, *end;
		struct tstat *ts;
		double rows, bytes;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		if (*line == '\0' || *line == '#')
			continue;
		if (line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		nf = 0;
		for (s = line; nf < 5; nf++) {
			f[nf] = s;
			s = strchr(s, ',');
			if (s == NULL) {
				nf++;
				break;
			}
			*s++ = '\0';
		}
		if (nf != 4)
			zn_die(ZN_EXIT_DATAERR, "%s:%zu: a stats line is "
			    "schema,table,rows,bytes", path, lineno);
		if (lineno == 1 && strcmp(f[0], "schema") == 0)
			continue;
		errno = 0;
		rows = strtod(f[2], &end);
		if (errno != 0 || end == f[2] || *end != '\0' || rows < 0)
			zn_die(ZN_EXIT_DATAERR, "%s:%zu: rows must be a number, "
			    "not '%s'", path, lineno, f[2]);
		bytes = strtod(f[3], &end);
		if (errno != 0 || end == f[3] || *end != '\0' || bytes < 0)
			zn_die(ZN_EXIT_DATAERR, "%s:%zu: bytes must be a "
			    "number, not '%s'", path, lineno, f[3]);
		if (*f[0] == '\0' || *f[1] == '\0')
			zn_die(ZN_EXIT_DATAERR, "%s:%zu: schema and table "
			    "must not be empty", path, lineno);
		ts = zn_xcalloc(1, sizeof(*ts));
		ts->rows = rows;
		ts->bytes = bytes;
		ts->source = "stats";
		{
			const char *k = zn_arena_qualified(&x->a, f[0], f[1]);
			void **old = slot(&x->stats, k, 0);

			if (old != NULL)
				free(*old);
			sset(&x->stats, k, ts);
		}
	}
	zn_buf_release(&b);
}

/* ---- per op ---- */

/* The score of a reason after the new-object and size modifiers. */
static int
modified(struct cx *x, struct reason *rr, const char **why)
{
	struct tstat *ts;
	int sc = rr->score;

	*why = NULL;
	/* A step certain to fail fails on an empty or a new table too. */
	if (rr->score >= 95 && !rr->sized)
		return sc;
	if (rr->code >= REBUILDS && rr->code <= BACKFILL && rr->rel != NULL &&
	    isnew(x, rr->rel)) {
		*why = "created earlier in this plan";
		return 5;
	}
	if (rr->rel == NULL || (ts = sget(&x->stats, rr->rel)) == NULL)
		return sc;
	if (rr->code >= REBUILDS && rr->code <= BACKFILL && ts->rows == 0 &&
	    ts->bytes < x->o->large_bytes) {
		*why = "the table is empty";
		return 5;
	}
	if (!rr->sized)
		return sc;
	if (rr->code == REQUIRED && ts->rows > 0) {
		*why = "the table has rows";
		return 95;
	}
	if (ts->rows >= x->o->large_rows || ts->bytes >= x->o->large_bytes) {
		*why = "a large table";
		return 95;
	}
	if (ts->rows >= 0 && ts->rows < x->o->small_rows) {
		*why = "a small table";
		return banddown(sc) < 15 ? 15 : banddown(sc);
	}
	return sc;
}

static void
opfree(struct opr *r)
{
	size_t i;

	for (i = 0; i < r->np; i++)
		json_decref(r->probes[i].result);
	free(r->r);
	free(r->locks);
	free(r->probes);
	json_decref(r->notes);
	memset(r, 0, sizeof(*r));
}

static void
classifyop(struct cx *x, const struct zn_op *op, struct opr *r)
{
	const struct zn_opdef *def;
	const json_t *v;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->lt = -1;
	r->allnew = 1;
	x->op = op;
	x->tz = NULL;
	sfree(&x->labels, 0);
	sfree(&x->opnv, 0);
	def = zn_op_def(op);
	r->raw = def == NULL || def->raw;
	if (def == NULL)
		reason(x, r, RAW, NULL, 0, fmt(x, "op kind '%s' is not "
		    "one this version knows: classified as raw SQL",
		    op->op));
	json_array_foreach(zn_op_sql(op), i, v)
		if (json_is_string(v))
			sqltext(x, r, json_string_value(v));
		else
			reason(x, r, RAW, NULL, 0, "a statement that is not "
			    "text");
	x->op = NULL;
}

static int
listed(char **list, const char *code)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(*list, code) == 0)
			return 1;
	return 0;
}

/*
 * Whether a list (or a suppress mapping's keys) names code as raised by
 * op: by its name, or by an alias that covers it on that kind of op.
 */
static int
names(char **list, const json_t *sup, const struct zn_op *op, int code)
{
	const char *k;
	json_t *v;

	if (code >= 0 && (listed(list, zn_risk_code_name(code)) ||
	    (sup != NULL && json_object_get(sup, zn_risk_code_name(code)) !=
	    NULL)))
		return 1;
	for (; list != NULL && *list != NULL; list++)
		if (zn_risk_alias_covers(*list, op->op, zn_op_args(op), code))
			return 1;
	if (sup != NULL)
		json_object_foreach((json_t *)sup, k, v)
			if (zn_risk_alias_covers(k, op->op, zn_op_args(op),
			    code))
				return 1;
	return 0;
}

/* A refusal: on the op's risk and in the trailer's list. */
/*
 * What an op's risk says, gathered while it is classified and written
 * once, as canonical text (zn-records(5), "risk"): building a json_t
 * tree per op and encoding it cost more than classifying.
 */
struct det {
	const char *code, *detail, *rel, *modifier;
	int score, suppressed;
};

struct refusal {
	const char *gate, *why;
};

struct riskout {
	struct det *det;
	size_t ndet, capdet;
	int rs[ZN_NCODES];	/* the reasons, by score */
	size_t nrs;
	struct refusal *ref;
	size_t nref, capref;
	struct zn_buf b;
	struct zn_jw w;
};

static void
adddet(struct riskout *ro, const char *code, int score, const char *detail,
    const char *rel, const char *modifier, int suppressed)
{
	struct det *d;

	if (ro->ndet == ro->capdet) {
		ro->capdet = ro->capdet ? ro->capdet * 2 : 16;
		ro->det = zn_xreallocarray(ro->det, ro->capdet,
		    sizeof(*ro->det));
	}
	d = &ro->det[ro->ndet++];
	d->code = code;
	d->score = score;
	d->detail = detail;
	d->rel = rel;
	d->modifier = modifier;
	d->suppressed = suppressed;
}

/* why must live as long as the classification (fmt, or a literal). */
static void
refuse(struct riskout *ro, json_t *all, size_t step, const struct zn_op *op,
    const char *gate, const char *why)
{
	json_t *r;

	if (ro->nref == ro->capref) {
		ro->capref = ro->capref ? ro->capref * 2 : 4;
		ro->ref = zn_xreallocarray(ro->ref, ro->capref,
		    sizeof(*ro->ref));
	}
	ro->ref[ro->nref].gate = gate;
	ro->ref[ro->nref++].why = why;
	r = json_object();
	SET(r, "step", json_integer((json_int_t)step));
	SET(r, "op", json_string(op->op));
	SET(r, "target", json_string(op->target));
	SET(r, "gate", json_string(gate));
	SET(r, "reason", json_string(why));
	json_array_append_new(all, r);
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A number of --stats or pg_class, as jansson writes a real. */
static void
jwreal(struct zn_jw *w, double d)
{
	json_t *v = json_real(d);

	zn_jw_json(w, v);
	json_decref(v);
}

/* The risk member's value, keys in canonical order (jw.c). */
static char *
risktext(struct cx *x, struct riskout *ro, const struct opr *r,
    const json_t *sup, int lv, int score, int brk, size_t nsup)
{
	struct zn_jw *w = &ro->w;
	const char *small[16], **names;
	size_t j, n;
	int k;

	zn_buf_reset(&ro->b);
	zn_jw_init(w, &ro->b);
	zn_jw_obj(w);
	zn_jw_key(w, "facts");
	zn_jw_obj(w);
	zn_jw_key(w, "breaks_clients");
	zn_jw_bool(w, brk);
	zn_jw_key(w, "data_loss");
	zn_jw_str(w, r->loss == 2 ? "drop" : r->loss == 1 ? "silent_change" :
	    "none");
	zn_jw_key(w, "details");
	zn_jw_arr(w);
	for (j = 0; j < ro->ndet; j++) {
		const struct det *d = &ro->det[j];

		zn_jw_obj(w);
		zn_jw_key(w, "code");
		zn_jw_str(w, d->code);
		zn_jw_key(w, "detail");
		zn_jw_str(w, d->detail);
		if (d->modifier != NULL) {
			zn_jw_key(w, "modifier");
			zn_jw_str(w, d->modifier);
		}
		if (d->rel != NULL) {
			zn_jw_key(w, "relation");
			zn_jw_str(w, d->rel);
		}
		zn_jw_key(w, "score");
		zn_jw_int(w, d->score);
		if (d->suppressed) {
			zn_jw_key(w, "suppressed");
			zn_jw_bool(w, 1);
		}
		zn_jw_end(w, '}');
	}
	zn_jw_end(w, ']');
	zn_jw_key(w, "lock_held_during_work");
	zn_jw_bool(w, r->holds);
	zn_jw_key(w, "lock_timeout_ms");
	zn_jw_int(w, r->lt > 0 ? r->lt : x->o->lock_timeout_ms);
	zn_jw_key(w, "locks");
	zn_jw_arr(w);
	for (j = 0; j < r->nl; j++) {
		zn_jw_obj(w);
		zn_jw_key(w, "mode");
		zn_jw_str(w, zn_lock_name(r->locks[j].mode));
		zn_jw_key(w, "relation");
		zn_jw_str(w, r->locks[j].rel);
		zn_jw_end(w, '}');
	}
	zn_jw_end(w, ']');
	zn_jw_key(w, "may_fail_on");
	zn_jw_arr(w);
	for (k = 0; k < 7; k++)
		if (r->mayfail & (1 << k))
			zn_jw_str(w, mfname[k]);
	zn_jw_end(w, ']');
	zn_jw_key(w, "new_object");
	zn_jw_bool(w, r->touched && r->allnew);
	if (r->notes != NULL) {
		zn_jw_key(w, "notes");
		zn_jw_json(w, r->notes);
	}
	if (r->np > 0) {
		zn_jw_key(w, "probes");
		zn_jw_arr(w);
		for (j = 0; j < r->np; j++)
			zn_jw_json(w, r->probes[j].result);
		zn_jw_end(w, ']');
	}
	zn_jw_key(w, "server_version");
	zn_jw_int(w, x->ver);
	/* The sizes known of the locked tables, each once, by name. */
	names = r->nl <= 16 ? small : zn_xreallocarray(NULL, r->nl,
	    sizeof(*names));
	for (j = n = 0; j < r->nl; j++)
		if (sget(&x->stats, r->locks[j].rel) != NULL)
			names[n++] = r->locks[j].rel;
	if (n > 0) {
		qsort(names, n, sizeof(*names), cmpstr);
		zn_jw_key(w, "tables");
		zn_jw_obj(w);
		for (j = 0; j < n; j++) {
			struct tstat *ts = sget(&x->stats, names[j]);

			if (j > 0 && strcmp(names[j - 1], names[j]) == 0)
				continue;
			zn_jw_key(w, names[j]);
			zn_jw_obj(w);
			zn_jw_key(w, "bytes");
			jwreal(w, ts->bytes);
			zn_jw_key(w, "rows");
			if (ts->rows >= 0)
				jwreal(w, ts->rows);
			else
				zn_jw_null(w);
			zn_jw_key(w, "source");
			zn_jw_str(w, ts->source);
			zn_jw_end(w, '}');
		}
		zn_jw_end(w, '}');
	}
	if (names != small)
		free(names);
	zn_jw_key(w, "transaction");
	zn_jw_str(w, r->outside ? "outside" : "inside");
	zn_jw_key(w, "work");
	zn_jw_str(w, workname[r->work]);
	zn_jw_end(w, '}');
	zn_jw_key(w, "level");
	zn_jw_str(w, zn_level_name(lv));
	zn_jw_key(w, "reasons");
	zn_jw_arr(w);
	for (j = 0; j < ro->nrs; j++)
		zn_jw_str(w, zn_risk_code_name(ro->rs[j]));
	zn_jw_end(w, ']');
	if (ro->nref > 0) {
		zn_jw_key(w, "refused_by");
		zn_jw_arr(w);
		for (j = 0; j < ro->nref; j++) {
			zn_jw_obj(w);
			zn_jw_key(w, "gate");
			zn_jw_str(w, ro->ref[j].gate);
			zn_jw_key(w, "reason");
			zn_jw_str(w, ro->ref[j].why);
			zn_jw_end(w, '}');
		}
		zn_jw_end(w, ']');
	}
	zn_jw_key(w, "score");
	zn_jw_int(w, score);
	if (nsup > 0) {
		/* The codes suppressed, each once, by name. */
		names = zn_xreallocarray(NULL, nsup, sizeof(*names));
		for (j = n = 0; j < ro->ndet; j++)
			if (ro->det[j].suppressed)
				names[n++] = ro->det[j].code;
		qsort(names, n, sizeof(*names), cmpstr);
		zn_jw_key(w, "suppressed");
		zn_jw_obj(w);
		for (j = 0; j < n; j++) {
			const char *sk = names[j];
			const json_t *why = json_object_get(sup, sk);
			json_t *v;

			if (j > 0 && strcmp(names[j - 1], names[j]) == 0)
				continue;
			/* Suppressed by an alias: under the name written. */
			if (why == NULL && x->op != NULL)
				json_object_foreach((json_t *)sup, sk, v)
					if (zn_risk_alias_covers(sk, x->op->op,
					    zn_op_args(x->op),
					    zn_risk_code(names[j]))) {
						why = v;
						break;
					}
			if (why == NULL) {
				sk = names[j];
				why = json_null();
			}
			zn_jw_key(w, sk);
			zn_jw_json(w, why);
		}
		zn_jw_end(w, '}');
		free(names);
	}
	zn_jw_end(w, '}');
	return zn_xstrndup(ro->b.buf, ro->b.len);
}

int
zn_classify(struct zn_plan *p, const struct zn_risk_opts *o)
{
	struct cx x;
	struct opr r;
	size_t i, j;
	json_t *refusals = json_array(), *lvcount = json_object(),
	    *codecount = json_object();
	int worst = -1, maxscore = 0, blocked = 0;
	int nlevel[6] = { 0 }, ncode[ZN_NCODES] = { 0 };
	const json_t *hv;
	struct riskout ro;

	memset(&x, 0, sizeof(x));
	memset(&ro, 0, sizeof(ro));
	zn_buf_init(&ro.b);
	zn_buf_init(&x.fb);
	x.o = o;
	x.ver = o->server_version;
	if (x.ver == 0 && o->conn != NULL)
		x.ver = PQserverVersion(o->conn);
	if (x.ver == 0 && (hv = json_object_get(p->header,
	    "server_version_num")) != NULL && json_is_integer(hv) &&
	    json_integer_value(hv) > 0)
		x.ver = (long)json_integer_value(hv);
	if (x.ver == 0)
		x.ver = 150000;
	if (o->stats_path != NULL)
		readstats(&x, o->stats_path);
	for (i = 0; i < p->n; i++) {
		const json_t *sup = p->ops[i].extra != NULL ?
		    json_object_get(p->ops[i].extra, "suppress") : NULL;
		const char *k;
		char *msg;

		/*
		 * Checked as a migration file is read (plan.c), and
		 * here for a stream, with the same words.
		 */
		if (sup != NULL && (msg = zn_suppress_check(sup, &k)) != NULL)
			zn_die(ZN_EXIT_DATAERR, "step %zu (%s): %s", i + 1,
			    p->ops[i].op, msg);
	}
	/* First pass: what to look up on the live database. */
	if (o->conn != NULL) {
		x.collect = 1;
		for (i = 0; i < p->n; i++) {
			const json_t *a;

			classifyop(&x, &p->ops[i], &r);
			opfree(&r);
			/* The args' table too, for ops whose SQL does not say. */
			a = zn_op_args(&p->ops[i]);
			if (zn_json_str(a, "schema") != NULL &&
			    zn_json_str(a, "table") != NULL)
				sset(&x.wantrel, zn_arena_qualified(&x.a,
				    zn_json_str(a, "schema"),
				    zn_json_str(a, "table")), NULL);
			zn_op_unload(&p->ops[i]);
		}
		x.collect = 0;
		sfree(&x.newrels, 0);
		sfree(&x.nnchecks, 0);
		lookup(&x);
	}
	for (i = 0; i < p->n; i++) {
		struct zn_op *op = &p->ops[i];
		const json_t *sup;
		int score = 0, lv, best[ZN_NCODES], brk = 0;
		const char *mwhy = NULL;
		size_t nsup = 0;

		classifyop(&x, op, &r);
		sup = op->extra != NULL ? json_object_get(op->extra,
		    "suppress") : NULL;
		for (j = 0; j < ZN_NCODES; j++)
			best[j] = -1;
		ro.ndet = ro.nrs = ro.nref = 0;
		for (j = 0; j < r.nr; j++) {
			struct reason *rr = &r.r[j];
			const char *why;
			int sc = modified(&x, rr, &why), supd;

			if (why != NULL && mwhy == NULL)
				mwhy = why;
			supd = sup != NULL && names(NULL, sup, op, rr->code);
			adddet(&ro, zn_risk_code_name(rr->code), sc,
			    rr->detail != NULL ? rr->detail : "", rr->rel, why,
			    supd);
			if (supd) {
				nsup++;
				continue;
			}
			if (sc > best[rr->code])
				best[rr->code] = sc;
		}
		/* Probes: evidence that the op fails. */
		for (j = 0; j < r.np; j++) {
			struct probe *pr = &r.probes[j];

			runprobe(&x, pr);
			if (strcmp(zn_json_str(pr->result, "status"), "found")
			    == 0 && (sup == NULL || json_object_get(sup,
			    zn_risk_code_name(pr->code)) == NULL)) {
				best[pr->code] = 95;
				adddet(&ro, zn_risk_code_name(pr->code), 95,
				    "a probe found rows that make it fail",
				    pr->rel, NULL, 0);
			}
		}
		for (;;) {
			int top = -1;

			for (j = 0; j < ZN_NCODES; j++)
				if (best[j] >= 0 && (top < 0 ||
				    best[j] > best[top]))
					top = (int)j;
			if (top < 0)
				break;
			ro.rs[ro.nrs++] = top;
			ncode[top]++;
			if (best[top] > score)
				score = best[top];
			best[top] = -1;
		}
		if (r.base > score)
			score = r.base;
		/* Raw SQL must bound its own waits for strong locks. */
		/*
		 * The penalty never makes an op destructive or critical:
		 * those levels need lost data or evidence.
		 */
		if (r.raw && r.ltneed && r.nl > 0) {
			score = score >= 69 ? score : score + 10 > 69 ? 69 :
			    score + 10;
			adddet(&ro, "lock_timeout", 10, "+10: a statement "
			    "takes SHARE or stronger on an existing table with "
			    "no bounded lock_timeout set before it", NULL,
			    NULL, 0);
		}
		if (score > 100)
			score = 100;
		if (r.nr == 0 && r.base == 0 && r.nstmt == 0)
			score = 0;
		lv = zn_level_of(score);
		for (j = 0; j < ro.nrs; j++) {
			int c = ro.rs[j];

			brk |= c == RENAME_TABLE || c == RENAME_COLUMN ||
			    c == BREAKS || c == REQUIRED || c == DROPS_COLUMN ||
			    c == DROPS_TABLE;
		}

		/* The gates. */
		if (o->max_risk >= 0 && score > o->max_risk)
			refuse(&ro, refusals, i + 1, op, "max_risk", fmt(&x,
			    "scores %d · over the budget of %d", score,
			    o->max_risk));
		if (!o->allow_destructive) {
			for (j = 0; j < ro.nrs; j++) {
				int c = ro.rs[j];
				const char *n = zn_risk_code_name(c);

				if (c == DROPS_TABLE || c == DROPS_COLUMN ||
				    (c == DROPS_OBJECT && r.loss == 2) ||
				    (c == NARROWS && r.loss == 1)) {
					refuse(&ro, refusals, i + 1, op,
					    "allow_destructive", fmt(&x, "%s "
					    "loses data; pass --allow-"
					    "destructive or suppress it with "
					    "a reason", n));
					break;
				}
			}
		}
		for (j = 0; j < ro.nrs; j++) {
			const char *n = zn_risk_code_name(ro.rs[j]);

			{
				if (names(o->fail_on, NULL, op, ro.rs[j]))
					refuse(&ro, refusals, i + 1, op,
					    "fail_on", fmt(&x, "%s is on the "
					    "--fail-on list", n));
				if (o->allow != NULL && !names(o->allow, NULL,
				    op, ro.rs[j]))
					refuse(&ro, refusals, i + 1, op,
					    "allow", fmt(&x, "%s is not on the "
					    "--allow list", n));
			}
		}
		/* An alias for an op that raises no code of its own. */
		{
			char **f;

			for (f = o->fail_on; f != NULL && *f != NULL; f++)
				if (zn_risk_alias_covers(*f, op->op,
				    zn_op_args(op), -1))
					refuse(&ro, refusals, i + 1, op,
					    "fail_on", fmt(&x, "%s is on the "
					    "--fail-on list", *f));
		}
		if (r.raw && r.ltneed && r.nl > 0)
			refuse(&ro, refusals, i + 1, op, "lock_timeout",
			    r.ltunbounded ? "the step sets lock_timeout to no "
			    "bound before taking SHARE or stronger on an "
			    "existing table" : "raw SQL takes SHARE or stronger "
			    "on an existing table without SET lock_timeout "
			    "before it");
		else if (r.lt > o->max_lock_timeout_ms)
			refuse(&ro, refusals, i + 1, op, "lock_timeout",
			    fmt(&x, "the step sets lock_timeout to %ld ms, "
			    "over the maximum of %ld ms", r.lt,
			    o->max_lock_timeout_ms));
		else if (r.ltunbounded && r.heldmode >= L_S)
			refuse(&ro, refusals, i + 1, op, "lock_timeout",
			    "the step sets lock_timeout to no bound");
		for (j = 0; j < r.np; j++)
			if (strcmp(zn_json_str(r.probes[j].result, "status"),
			    "found") == 0 && (sup == NULL || json_object_get(
			    sup, zn_risk_code_name(r.probes[j].code)) == NULL))
				refuse(&ro, refusals, i + 1, op, "preflight",
				    fmt(&x, "%s probe found rows in %s that "
				    "make it fail", r.probes[j].check,
				    r.probes[j].rel));
		if (r.outside && op->transactional)
			refuse(&ro, refusals, i + 1, op, "transaction",
			    "a statement that cannot run in a transaction is "
			    "in a transactional step; mark the step "
			    "transactional: false");
		if (!op->transactional && r.nstmt > 1)
			refuse(&ro, refusals, i + 1, op, "transaction",
			    "a non-transactional step runs more than one "
			    "statement");
		if (r.txctl > 0)
			refuse(&ro, refusals, i + 1, op, "transaction",
			    "the step controls transactions itself (BEGIN, "
			    "COMMIT, ...); zn-apply owns them");
		if (sup != NULL) {
			const char *k;
			json_t *w;

			json_object_foreach((json_t *)sup, k, w) {
				int used = 0;

				for (j = 0; j < r.nr; j++)
					used |= r.r[j].code == zn_risk_code(k) ||
					    zn_risk_alias_covers(k, op->op,
					    zn_op_args(op), r.r[j].code);
				if (!used)
					refuse(&ro, refusals, i + 1, op,
					    "suppressions", fmt(&x, "suppress "
					    "names %s, which this step does not "
					    "raise", k));
			}
		}
		if (ro.nref > 0)
			blocked = 1;
		if (lv > worst)
			worst = lv;
		if (score > maxscore)
			maxscore = score;
		nlevel[lv]++;
		free(op->risk);
		op->risk = risktext(&x, &ro, &r, sup, lv, score, brk, nsup);
		/* A read op's SQL is read again from its line if need be. */
		zn_op_unload(op);
		if (op->extra != NULL)
			json_object_del(op->extra, "risk");
		opfree(&r);
	}
	for (i = 0; i < 6; i++)
		if (nlevel[i] > 0)
			json_object_set_new(lvcount, zn_level_name(i),
			    json_integer(nlevel[i]));
	for (i = 0; i < ZN_NCODES; i++)
		if (ncode[i] > 0)
			json_object_set_new(codecount, zn_risk_code_name(i),
			    json_integer(ncode[i]));
	if (p->trailer == NULL)
		p->trailer = json_pack("{s:s, s:I, s:n}", "kind", "end", "ops",
		    (json_int_t)p->n, "checksum");
	json_object_set_new(p->trailer, "verdict", json_string(blocked ?
	    "blocked" : "ok"));
	if (json_object_get(p->trailer, "verified") == NULL)
		json_object_set_new(p->trailer, "verified", json_false());
	json_object_set_new(p->trailer, "worst", worst >= 0 ?
	    json_string(zn_level_name(worst)) : json_null());
	json_object_set_new(p->trailer, "max_score", json_integer(maxscore));
	json_object_set_new(p->trailer, "levels", lvcount);
	json_object_set_new(p->trailer, "codes", codecount);
	json_object_set_new(p->trailer, "refusals", refusals);
	if (o->max_risk >= 0)
		json_object_set_new(p->trailer, "budget",
		    json_integer(o->max_risk));
	else
		json_object_set_new(p->trailer, "budget", json_null());
	sfree(&x.newrels, 0);
	sfree(&x.nnchecks, 0);
	sfree(&x.proven, 0);
	sfree(&x.stats, 1);
	sfree(&x.coltype, 1);
	sfree(&x.volatil, 1);
	sfree(&x.wantrel, 0);
	sfree(&x.wantcol, 0);
	sfree(&x.wantfn, 0);
	sfree(&x.wanttype, 0);
	sfree(&x.cdomain, 0);
	sfree(&x.viewdeps, 1);
	sfree(&x.colchecks, 1);
	sfree(&x.wantidx, 0);
	sfree(&x.idxnull, 1);
	sfree(&x.nnset, 0);
	sfree(&x.labels, 0);
	sfree(&x.opnv, 0);
	sfree(&x.goneviews, 0);
	sfree(&x.gonecons, 0);
	sfree(&x.wantdrop, 0);
	sfree(&x.wantcon, 0);
	sfree(&x.fkref, 1);
	sfree(&x.dropdeps, 1);
	sfree(&x.later, 1);
	zn_arena_release(&x.a);
	zn_buf_release(&x.fb);
	zn_sql_tokens_release(&x.toks);
	free(ro.det);
	free(ro.ref);
	zn_buf_release(&ro.b);
	return blocked;
}
