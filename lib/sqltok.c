/* SPDX-License-Identifier: ISC */
/*
 * sqltok.c: SQL text split into tokens as PostgreSQL's scanner splits it
 * (scan.l): enough to recognise statements, not to parse expressions.
 * Comments nest; dollar quotes need their closing tag; E'' strings take
 * backslash escapes.  Anything unterminated marks the token list bad.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "zn.h"

static void
push(struct zn_toks *ts, enum zn_tk t, const char *s, size_t n)
{
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 64;
		ts->v = zn_xreallocarray(ts->v, ts->cap, sizeof(*ts->v));
	}
	ts->v[ts->n].t = t;
	ts->v[ts->n].s = s;
	ts->v[ts->n].n = n;
	ts->n++;
}

static int
identstart(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

static int
identcont(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* The end of a quoted run starting at s (after the opening quote). */
static const char *
quoted(const char *s, char q, int backslash)
{
	for (; *s != '\0'; s++) {
		if (backslash && *s == '\\' && s[1] != '\0') {
			s++;
			continue;
		}
		if (*s == q) {
			if (s[1] == q) {
				s++;
				continue;
			}
			return s + 1;
		}
	}
	return NULL;
}

void
zn_sql_tokens(struct zn_toks *ts, const char *text)
{
	const char *s = text, *e;
	static const char opchars[] = "+-*/<>=~!@#%^&|`?:";

	while (*s != '\0') {
		unsigned char c = (unsigned char)*s;

		if (isspace(c)) {
			s++;
			continue;
		}
		if (c == '-' && s[1] == '-') {
			while (*s != '\0' && *s != '\n')
				s++;
			continue;
		}
		if (c == '/' && s[1] == '*') {
			int depth = 1;

			for (s += 2; *s != '\0' && depth > 0; s++) {
				if (s[0] == '/' && s[1] == '*') {
					depth++;
					s++;
				} else if (s[0] == '*' && s[1] == '/') {
					depth--;
					s++;
				}
			}
			if (depth > 0) {
				ts->bad = 1;
				push(ts, ZN_TK_BAD, s, 0);
				return;
			}
			continue;
		}
		/* E'...', B'...', X'...', N'...', U&'...' */
		if ((c == 'e' || c == 'E' || c == 'b' || c == 'B' || c == 'x' ||
		    c == 'X' || c == 'n' || c == 'N') && s[1] == '\'') {
			e = quoted(s + 2, '\'', c == 'e' || c == 'E');
			if (e == NULL)
				goto bad;
			push(ts, ZN_TK_STRING, s, (size_t)(e - s));
			s = e;
			continue;
		}
		if ((c == 'u' || c == 'U') && s[1] == '&' && (s[2] == '\'' ||
		    s[2] == '"')) {
			e = quoted(s + 3, s[2], 0);
			if (e == NULL)
				goto bad;
			push(ts, s[2] == '"' ? ZN_TK_QIDENT : ZN_TK_STRING, s,
			    (size_t)(e - s));
			s = e;
			continue;
		}
		if (identstart(c)) {
			for (e = s + 1; identcont((unsigned char)*e); e++)
				;
			push(ts, ZN_TK_WORD, s, (size_t)(e - s));
			s = e;
			continue;
		}
		if (c == '"') {
			e = quoted(s + 1, '"', 0);
			if (e == NULL)
				goto bad;
			push(ts, ZN_TK_QIDENT, s, (size_t)(e - s));
			s = e;
			continue;
		}
		if (c == '\'') {
			e = quoted(s + 1, '\'', 0);
			if (e == NULL)
				goto bad;
			push(ts, ZN_TK_STRING, s, (size_t)(e - s));
			s = e;
			continue;
		}
		if (c == '$') {
			if (isdigit((unsigned char)s[1])) {
				for (e = s + 1; isdigit((unsigned char)*e); e++)
					;
				push(ts, ZN_TK_PARAM, s, (size_t)(e - s));
				s = e;
				continue;
			}
			/* $tag$ ... $tag$ */
			for (e = s + 1; *e != '\0' && *e != '$' &&
			    (isalnum((unsigned char)*e) || *e == '_' ||
			    (unsigned char)*e >= 0x80); e++)
				;
			if (*e == '$') {
				size_t tl = (size_t)(e - s) + 1;
				const char *end;

				for (end = e + 1; *end != '\0'; end++)
					if (strncmp(end, s, tl) == 0)
						break;
				if (*end == '\0')
					goto bad;
				push(ts, ZN_TK_STRING, s,
				    (size_t)(end + tl - s));
				s = end + tl;
				continue;
			}
			push(ts, ZN_TK_OP, s, 1);
			s++;
			continue;
		}
		if (isdigit(c) || (c == '.' && isdigit((unsigned char)s[1]))) {
			for (e = s; isalnum((unsigned char)*e) || *e == '.' ||
			    *e == '_' || ((*e == '+' || *e == '-') &&
			    (e[-1] == 'e' || e[-1] == 'E')); e++)
				if (*e == '.' && e[1] == '.')
					break;
			push(ts, ZN_TK_NUMBER, s, (size_t)(e - s));
			s = e;
			continue;
		}
		switch (c) {
		case '(':
			push(ts, ZN_TK_LPAREN, s++, 1);
			continue;
		case ')':
			push(ts, ZN_TK_RPAREN, s++, 1);
			continue;
		case '[':
			push(ts, ZN_TK_LBRACKET, s++, 1);
			continue;
		case ']':
			push(ts, ZN_TK_RBRACKET, s++, 1);
			continue;
		case ',':
			push(ts, ZN_TK_COMMA, s++, 1);
			continue;
		case ';':
			push(ts, ZN_TK_SEMI, s++, 1);
			continue;
		case '.':
			push(ts, ZN_TK_DOT, s++, 1);
			continue;
		}
		if (strchr(opchars, c) != NULL) {
			for (e = s; *e != '\0' && strchr(opchars, *e) != NULL &&
			    !(e[0] == '-' && e[1] == '-') &&
			    !(e[0] == '/' && e[1] == '*'); e++)
				;
			push(ts, ZN_TK_OP, s, (size_t)(e - s));
			s = e;
			continue;
		}
		push(ts, ZN_TK_OP, s, 1);
		s++;
	}
	return;
bad:
	ts->bad = 1;
	push(ts, ZN_TK_BAD, s, strlen(s));
}

size_t
zn_sql_statements(const char *sql, int *how)
{
	static const char *const control[] = { "abort", "begin", "commit",
	    "copy", "end", "prepare", "release", "rollback", "savepoint",
	    "start", NULL };
	struct zn_toks ts;
	size_t i, k, n = 0;
	int open = 0;

	memset(&ts, 0, sizeof(ts));
	zn_sql_tokens(&ts, sql);
	if (how != NULL)
		*how = ts.bad ? ZN_SQL_OPEN : 0;
	for (i = 0; i < ts.n; i++) {
		if (ts.v[i].t == ZN_TK_SEMI) {
			open = 0;
			continue;
		}
		if (!open) {
			n++;
			for (k = 0; how != NULL && control[k] != NULL; k++)
				if (zn_tok_is(&ts.v[i], control[k]))
					*how |= ZN_SQL_CONTROL;
		}
		open = 1;
	}
	zn_sql_tokens_release(&ts);
	return n;
}

void
zn_sql_tokens_release(struct zn_toks *ts)
{
	free(ts->v);
	memset(ts, 0, sizeof(*ts));
}

int
zn_tok_is(const struct zn_tok *t, const char *w)
{
	return t->t == ZN_TK_WORD && strlen(w) == t->n &&
	    strncasecmp(t->s, w, t->n) == 0;
}

char *
zn_tok_ident(const struct zn_tok *t)
{
	char *r, *d;
	size_t i;

	if (t->t == ZN_TK_QIDENT && t->s[0] == '"') {
		r = d = zn_xmalloc(t->n);
		for (i = 1; i + 1 < t->n; i++) {
			*d++ = t->s[i];
			if (t->s[i] == '"')
				i++;
		}
		*d = '\0';
		return r;
	}
	r = zn_xstrndup(t->s, t->n);
	if (t->t == ZN_TK_WORD)
		for (d = r; *d != '\0'; d++)
			if (*d >= 'A' && *d <= 'Z')
				*d = (char)(*d - 'A' + 'a');
	return r;
}
