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
 */
#define _POSIX_C_SOURCE 200809L
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

char *
zn_sql_fixpoint(const char *s, size_t n)
{
	struct zn_buf out = ZN_BUF_INIT;
	size_t i;

	/* The common case: no cast of an array constructor at all. */
	for (i = 0; i + 3 < n; i++)
		if (s[i] == ']' && s[i + 1] == ')' && s[i + 2] == ':' &&
		    s[i + 3] == ':')
			break;
	if (i + 3 >= n)
		return NULL;
	fix(&out, s, n);
	if (out.len == n && memcmp(out.buf, s, n) == 0) {
		zn_buf_release(&out);
		return NULL;
	}
	return zn_buf_detach(&out);
}
