/* SPDX-License-Identifier: ISC */
/*
 * fixpoint.c: server-rendered expressions in the form the server gives
 * back once they are parsed again.
 *
 * PostgreSQL renders a constraint, index predicate, default or view in a
 * form that is not always its own fixed point: `s IN ('a', 'b')` on a
 * varchar column is rendered
 *
 *	((s)::text = ANY ((ARRAY['a'::character varying,
 *	    'b'::character varying])::text[]))
 *
 * and that text, parsed again (as zn-diff's ops do), is an array of text
 * built from cast elements (parse_expr.c, transformTypeCast hands the
 * target type down to transformArrayExpr):
 *
 *	((s)::text = ANY (ARRAY[('a'::character varying)::text,
 *	    ('b'::character varying)::text]))
 *
 * which renders as itself from then on.  A snapshot stores the second
 * form, so a plan that creates the object gives back the same graph and
 * a second diff is empty, whichever form the object was created with.
 * ruleutils.c writes a coercion of an element as (e)::t (get_coercion_expr,
 * never in pretty mode for these), and nothing for an element already of
 * type t, whose text then ends in ::t.
 *
 * The second case is a select list whose names nobody sees: a set
 * operation's later branches inside a subquery, EXISTS and IN subqueries.
 * ruleutils.c leaves out the name "?column?" of an untyped literal there,
 * which it writes with the type it was resolved to:
 *
 *	SELECT ru.release, NULL::integer FROM ru
 *
 * and that text, parsed again, names the column after its cast
 * (parse_target.c, FigureColname), which is shown from then on:
 *
 *	SELECT ru.release, NULL::integer AS int4 FROM ru
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <string.h>

#include "zn.h"

/* Past a quoted literal or identifier starting at s[i]; n when open. */
static size_t
skipquote(const char *s, size_t n, size_t i)
{
	char q = s[i];
	int esc = q == '\'' && i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e');

	for (i++; i < n; i++) {
		if (esc && s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] == q) {
			if (i + 1 < n && s[i + 1] == q) {
				i++;
				continue;
			}
			return i + 1;
		}
	}
	return n;
}

/* The ']' closing the '[' at s[i], at depth 0; n when there is none. */
static size_t
closing(const char *s, size_t n, size_t i)
{
	int depth = 0;

	while (i < n) {
		switch (s[i]) {
		case '\'':
		case '"':
			i = skipquote(s, n, i);
			continue;
		case '[':
		case '(':
			depth++;
			break;
		case ']':
		case ')':
			if (--depth == 0)
				return s[i] == ']' ? i : n;
			if (depth < 0)
				return n;
			break;
		}
		i++;
	}
	return n;
}

/*
 * The type name of a cast starting at s[i], up to its "[]": letters,
 * digits, spaces, dots, quoted parts and a type modifier in parentheses.
 * Sets *end past "[]"; 0 when the text is not such a type.
 */
static int
arraytype(const char *s, size_t n, size_t i, size_t *tend, size_t *end)
{
	int depth = 0;
	unsigned char ch;

	while (i < n) {
		ch = (unsigned char)s[i];
		if (ch == '"') {
			i = skipquote(s, n, i);
			continue;
		}
		if (depth == 0 && ch == '[') {
			if (i + 1 >= n || s[i + 1] != ']')
				return 0;
			/* An array of arrays is left alone. */
			if (i + 2 < n && s[i + 2] == '[')
				return 0;
			*tend = i;
			*end = i + 2;
			return 1;
		}
		if (ch == '(')
			depth++;
		else if (ch == ')') {
			if (--depth < 0)
				return 0;
		} else if (!(ch >= 'a' && ch <= 'z') && !(ch >= 'A' &&
		    ch <= 'Z') && !(ch >= '0' && ch <= '9') && ch != '_' &&
		    ch != ' ' && ch != '.' && ch != '$' && ch < 0x80 &&
		    !(depth > 0 && ch == ','))
			return 0;
		i++;
	}
	return 0;
}

static void fix(struct zn_buf *out, const char *s, size_t n);

/* One element, cast to the type unless it is already of that type. */
static void
element(struct zn_buf *out, const char *e, size_t n, const char *t,
    size_t tn)
{
	while (n > 0 && e[0] == ' ')
		e++, n--;
	if (n > tn + 2 && memcmp(e + n - tn - 2, "::", 2) == 0 &&
	    memcmp(e + n - tn, t, tn) == 0) {
		fix(out, e, n);
		return;
	}
	zn_buf_addch(out, '(');
	fix(out, e, n);
	zn_buf_adds(out, ")::");
	zn_buf_add(out, t, tn);
}

static void
fix(struct zn_buf *out, const char *s, size_t n)
{
	static const char open[] = "(ARRAY[";
	size_t i = 0, j, k, tend, end, from;
	int depth;

	while (i < n) {
		if (s[i] == '\'' || s[i] == '"') {
			j = skipquote(s, n, i);
			zn_buf_add(out, s + i, j - i);
			i = j;
			continue;
		}
		if (n - i < sizeof(open) - 1 ||
		    memcmp(s + i, open, sizeof(open) - 1) != 0 ||
		    (j = closing(s, n, i + 6)) == n || j + 3 >= n ||
		    memcmp(s + j + 1, ")::", 3) != 0 ||
		    !arraytype(s, n, j + 4, &tend, &end)) {
			zn_buf_addch(out, s[i]);
			i++;
			continue;
		}
		/* (ARRAY[e, ...])::t[] becomes ARRAY[(e)::t, ...]. */
		zn_buf_adds(out, "ARRAY[");
		from = i + 7;
		depth = 0;
		for (k = from; k < j; k++) {
			if (s[k] == '\'' || s[k] == '"') {
				k = skipquote(s, n, k) - 1;
				continue;
			}
			if (s[k] == '(' || s[k] == '[')
				depth++;
			else if (s[k] == ')' || s[k] == ']')
				depth--;
			else if (s[k] == ',' && depth == 0) {
				element(out, s + from, k - from, s + j + 4,
				    tend - (j + 4));
				zn_buf_adds(out, ", ");
				from = k + 1;
			}
		}
		if (k > j)
			k = j;
		if (k > from)
			element(out, s + from, k - from, s + j + 4,
			    tend - (j + 4));
		zn_buf_addch(out, ']');
		i = end;
	}
}

/* Parentheses looked into for select lists; deeper ones are copied. */
#define ZN_FIXPOINT_DEPTH 256

static int
isword(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '_' || ch == '$' ||
	    (unsigned char)ch >= 0x80;
}

/* Is s[i..] the keyword kw, standing alone? */
static int
keyword(const char *s, size_t n, size_t i, const char *kw)
{
	size_t k = strlen(kw);

	if (n - i < k || memcmp(s + i, kw, k) != 0)
		return 0;
	if (i > 0 && (isword(s[i - 1]) || s[i - 1] == '"'))
		return 0;
	return i + k == n || !isword(s[i + k]);
}

/* What ends the select list of a SELECT at the same level. */
static int
listend(const char *s, size_t n, size_t i)
{
	static const char *const kw[] = {"FROM", "WHERE", "GROUP", "HAVING",
	    "WINDOW", "UNION", "INTERSECT", "EXCEPT", "ORDER", "LIMIT",
	    "OFFSET", "FETCH", "FOR"};
	size_t k;

	for (k = 0; k < sizeof(kw) / sizeof(kw[0]); k++)
		if (keyword(s, n, i, kw[k]))
			return 1;
	return 0;
}

/* Are the words of s interval fields (YEAR TO MONTH and the like)? */
static int
fields(const char *s)
{
	static const char *const f[] = {"year", "month", "day", "hour",
	    "minute", "second", "to"};
	size_t k, len;

	while (*s != '\0') {
		len = strcspn(s, " ");
		for (k = 0; k < sizeof(f) / sizeof(f[0]); k++)
			if (strlen(f[k]) == len && memcmp(s, f[k], len) == 0)
				break;
		if (k == sizeof(f) / sizeof(f[0]))
			return 0;
		s += len;
		s += strspn(s, " ");
	}
	return 1;
}

/*
 * The name the parser gives a column written as a cast to the type
 * written t[0..tn): the type's last name, in the grammar's spelling for
 * the types SQL spells in words (gram.y, SystemTypeName).  Empty when
 * t is not the text of a type name.
 */
static void
castname(struct zn_buf *out, const char *t, size_t tn)
{
	static const struct {
		const char *sql, *name;
	} words[] = {
		{"bigint", "int8"}, {"bit", "bit"}, {"bit varying", "varbit"},
		{"boolean", "bool"}, {"character", "bpchar"},
		{"character varying", "varchar"},
		{"double precision", "float8"}, {"integer", "int4"},
		{"interval", "interval"}, {"numeric", "numeric"},
		{"real", "float4"}, {"smallint", "int2"},
		{"time with time zone", "timetz"},
		{"time without time zone", "time"},
		{"timestamp with time zone", "timestamptz"},
		{"timestamp without time zone", "timestamp"},
	};
	struct zn_buf w = ZN_BUF_INIT;
	size_t i = 0, last = 0, k;
	int depth = 0, spaced = 0;

	/* The words, without type modifiers, "[]" or doubled spaces. */
	while (i < tn) {
		if (t[i] == '"') {
			k = skipquote(t, tn, i);
			if (k == tn && t[tn - 1] != '"')
				goto bad;
			if (depth == 0) {
				last = w.len;
				zn_buf_add(&w, t + i, k - i);
			}
			i = k;
			continue;
		}
		if (t[i] == '(')
			depth++;
		else if (t[i] == ')') {
			if (--depth < 0)
				goto bad;
		} else if (depth > 0) {
			if (!isdigit((unsigned char)t[i]) && t[i] != ',' &&
			    t[i] != ' ')
				goto bad;
		} else if (t[i] == '[') {
			if (i + 1 >= tn || t[i + 1] != ']')
				goto bad;
			i++;
		} else if (t[i] == '.') {
			last = w.len + 1;
			zn_buf_addch(&w, '.');
		} else if (t[i] == ' ') {
			if (w.len > 0 && w.buf[w.len - 1] != ' ') {
				zn_buf_addch(&w, ' ');
				spaced = 1;
			}
		} else if (isword(t[i]))
			zn_buf_addch(&w, t[i]);
		else
			goto bad;
		i++;
	}
	if (depth != 0 || w.len == 0)
		goto bad;
	while (w.len > 0 && w.buf[w.len - 1] == ' ')
		w.len--;
	zn_buf_addch(&w, '\0');
	/* An interval's fields: interval day to second is an interval. */
	if (strncmp(w.buf, "interval ", 9) == 0 &&
	    strspn(w.buf + 9, "adehimnorstuy ") == strlen(w.buf + 9) &&
	    fields(w.buf + 9))
		w.buf[8] = '\0';
	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (strcmp(w.buf, words[k].sql) == 0) {
			zn_pg_ident(out, words[k].name);
			zn_buf_release(&w);
			return;
		}
	/* Words apart are no other type name: this was no cast alone. */
	if (spaced)
		goto bad;
	if (w.buf[last] == '"') {
		/* A quoted name: its text, quotes undoubled. */
		struct zn_buf u = ZN_BUF_INIT;

		for (i = last + 1; w.buf[i] != '\0' && w.buf[i + 1] != '\0';
		    i++) {
			zn_buf_addch(&u, w.buf[i]);
			if (w.buf[i] == '"')
				i++;
		}
		zn_buf_addch(&u, '\0');
		zn_pg_ident(out, u.buf);
		zn_buf_release(&u);
	} else
		zn_pg_ident(out, w.buf + last);
	zn_buf_release(&w);
	return;
bad:
	zn_buf_release(&w);
}

/*
 * Where a select-list item s[a..b) is an untyped literal written with
 * its type and no name (NULL::t, 'x'::t), the name it gets when parsed
 * again, else nothing.
 */
static void
unnamed(struct zn_buf *out, const char *s, size_t a, size_t b)
{
	size_t i, len;

	while (a < b && isspace((unsigned char)s[a]))
		a++;
	while (b > a && isspace((unsigned char)s[b - 1]))
		b--;
	if (b - a > 9 && memcmp(s + a, "DISTINCT ", 9) == 0) {
		a += 9;
		if (b - a > 4 && memcmp(s + a, "ON (", 4) == 0) {
			/* Past DISTINCT ON (...), quotes in it skipped. */
			int depth = 0;

			for (i = a + 3; i < b; i++) {
				if (s[i] == '\'' || s[i] == '"') {
					i = skipquote(s, b, i) - 1;
					continue;
				}
				if (s[i] == '(')
					depth++;
				else if (s[i] == ')' && --depth == 0)
					break;
			}
			if (i >= b)
				return;
			a = i + 1;
			while (a < b && s[a] == ' ')
				a++;
		}
	}
	if (b - a > 6 && memcmp(s + a, "NULL::", 6) == 0)
		i = a + 4;
	else {
		i = a;
		if (i < b && s[i] == 'E')
			i++;
		if (i >= b || s[i] != '\'')
			return;
		i = skipquote(s, b, i);
		if (i + 2 >= b || s[i - 1] != '\'' || s[i] != ':' ||
		    s[i + 1] != ':')
			return;
	}
	i += 2;
	zn_buf_adds(out, " AS ");
	len = out->len;
	castname(out, s + i, b - i);
	if (out->len == len)
		out->len = 0;
}

/*
 * Names the unnamed literals of every select list of s (see the top of
 * this file), from the text written by fix().
 */
static void
names(struct zn_buf *out, const char *s, size_t n)
{
	/*
	 * Per open parenthesis, whether it is in a select list and where
	 * that list's current item began; deeper ones are not looked into.
	 */
	size_t stack[ZN_FIXPOINT_DEPTH], depth = 0, item = 0, i = 0, j, e;
	int lists[ZN_FIXPOINT_DEPTH], inlist = 0;

	while (i <= n) {
		if (i < n && (s[i] == '\'' || s[i] == '"')) {
			j = skipquote(s, n, i);
			zn_buf_add(out, s + i, j - i);
			i = j;
			continue;
		}
		if (inlist && (i == n || s[i] == ',' || s[i] == ')' ||
		    listend(s, n, i))) {
			/* One item ends: name it before the spaces it ends with. */
			e = i;
			while (e > item && isspace((unsigned char)s[e - 1]))
				e--;
			{
				struct zn_buf as = ZN_BUF_INIT;

				unnamed(&as, s, item, e);
				if (as.len > 0) {
					/* out ends with s[item..i) copied. */
					size_t tail = i - e;

					out->len -= tail;
					zn_buf_add(out, as.buf, as.len);
					zn_buf_add(out, s + e, tail);
				}
				zn_buf_release(&as);
			}
			if (i < n && s[i] == ',')
				item = i + 1;
			else
				inlist = 0;
		}
		if (i == n)
			break;
		if (s[i] == '(') {
			if (depth < ZN_FIXPOINT_DEPTH) {
				lists[depth] = inlist;
				stack[depth] = item;
			}
			depth++;
			inlist = 0;
		} else if (s[i] == ')' && depth > 0) {
			depth--;
			inlist = 0;
			if (depth < ZN_FIXPOINT_DEPTH) {
				inlist = lists[depth];
				item = stack[depth];
			}
		} else if (keyword(s, n, i, "SELECT")) {
			zn_buf_adds(out, "SELECT");
			i += 6;
			inlist = 1;
			item = i;
			continue;
		}
		zn_buf_addch(out, s[i]);
		i++;
	}
}

char *
zn_sql_fixpoint(const char *s, size_t n)
{
	struct zn_buf one = ZN_BUF_INIT, out = ZN_BUF_INIT;
	const char *orig = s;
	size_t i, orig_n = n;
	int arrays = 0, selects = 0;

	/* The common case: neither an array constructor cast nor a query. */
	for (i = 0; i + 3 < n; i++)
		if (s[i] == ']' && s[i + 1] == ')' && s[i + 2] == ':' &&
		    s[i + 3] == ':') {
			arrays = 1;
			break;
		}
	for (i = 0; i + 6 <= n; i++)
		if (s[i] == 'S' && keyword(s, n, i, "SELECT")) {
			selects = 1;
			break;
		}
	if (!arrays && !selects)
		return NULL;
	if (arrays) {
		fix(&one, s, n);
		s = one.buf;
		n = one.len;
	}
	if (selects)
		names(&out, s, n);
	else {
		out = one;
		one = (struct zn_buf)ZN_BUF_INIT;
	}
	zn_buf_release(&one);
	if (out.len == orig_n && memcmp(out.buf, orig, orig_n) == 0) {
		zn_buf_release(&out);
		return NULL;
	}
	return zn_buf_detach(&out);
}
