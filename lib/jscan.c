/* SPDX-License-Identifier: ISC */
/*
 * jscan.c: JSON text checked in place, without building anything
 * (zn_jscan_value), and JSON in zanith's canonical form (jw.c) turned
 * into json_t in one pass (zn_jscan_canon).  Both serve the fast paths
 * that read what zanith wrote: a line is taken as it stands only when
 * it is exactly what the writer would have written; anything else is
 * left to the slow path, which parses it with jansson and gives the
 * exact reason for a refusal.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zn.h"

#define SCAN_MAXDEPTH 512

void
zn_jscan_ws(struct zn_jscan *s)
{
	while (s->p < s->e && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/*
 * Whether the 8 bytes at p are all plain inside a JSON string: ASCII,
 * no control character, no quote, no backslash.  A word at a time; a
 * false "no" only sends them to the byte-by-byte path.
 */
static int
plain8(const unsigned char *p)
{
	uint64_t x, q, b;

	memcpy(&x, p, sizeof(x));
	q = x ^ (ONES * '"');
	b = x ^ (ONES * '\\');
	return (x & HIGHS) == 0 && ((x - ONES * 0x20) & HIGHS) == 0 &&
	    ((q - ONES) & ~q & HIGHS) == 0 && ((b - ONES) & ~b & HIGHS) == 0;
}

/* Length of the valid UTF-8 sequence at p (0 when invalid). */
static size_t
utf8len(const unsigned char *p, const unsigned char *e)
{
	unsigned int c = p[0], v;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	n = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if ((size_t)(e - p) < n)
		return 0;
	v = c & (0xff >> (n + 1));
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && v < 0x10000) ||
	    v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	return n;
}

int
zn_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	size_t k;

	while (p < e) {
		if ((k = utf8len(p, e)) == 0)
			return 0;
		p += k;
	}
	return 1;
}

/*
 * A string at s->p: its body in *v and *n, *esc when it has escapes
 * (then the body is not the value).
 */
int
zn_jscan_string(struct zn_jscan *s, const char **v, size_t *n, int *esc)
{
	const unsigned char *p = s->p, *e = s->e, *start;
	size_t k;
	int i;

	if (p == e || *p != '"')
		return 0;
	start = ++p;
	*esc = 0;
	while (p < e) {
		while (e - p >= 8 && plain8(p))
			p += 8;
		if (p == e)
			break;
		if (*p == '"') {
			*v = (const char *)start;
			*n = (size_t)(p - start);
			s->p = p + 1;
			return 1;
		}
		if (*p < 0x20)
			return 0;
		if (*p == '\\') {
			*esc = 1;
			if (++p == e)
				return 0;
			if (*p == 'u') {
				/* Surrogates and \u0000: left to jansson. */
				s->uesc = 1;
				for (i = 1; i <= 4; i++)
					if (p + i >= e || !((p[i] >= '0' &&
					    p[i] <= '9') || ((p[i] | 0x20) >=
					    'a' && (p[i] | 0x20) <= 'f')))
						return 0;
				p += 5;
			} else if (strchr("\"\\/bfnrt", *p) != NULL &&
			    *p != '\0')
				p++;
			else
				return 0;
			continue;
		}
		if ((k = utf8len(p, e)) == 0)
			return 0;
		p += k;
	}
	return 0;
}

static int
digits(struct zn_jscan *s)
{
	const unsigned char *p = s->p;

	while (s->p < s->e && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > p;
}

static int
number(struct zn_jscan *s)
{
	if (s->p < s->e && *s->p == '-')
		s->p++;
	if (s->p < s->e && *s->p == '0')
		s->p++;
	else if (!digits(s))
		return 0;
	if (s->p < s->e && *s->p == '.') {
		s->p++;
		if (!digits(s))
			return 0;
	}
	if (s->p < s->e && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->e && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!digits(s))
			return 0;
	}
	return 1;
}

static int
word(struct zn_jscan *s, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(s->e - s->p) < n || memcmp(s->p, w, n) != 0)
		return 0;
	s->p += n;
	return 1;
}

int
zn_jscan_value(struct zn_jscan *s, int depth)
{
	const char *v;
	size_t n;
	int esc, close;

	if (s->p == s->e)
		return 0;
	switch (*s->p) {
	case '"':
		return zn_jscan_string(s, &v, &n, &esc);
	case 't':
		return word(s, "true");
	case 'f':
		return word(s, "false");
	case 'n':
		return word(s, "null");
	case '{':
	case '[':
		if (depth >= SCAN_MAXDEPTH)
			return 0;
		close = *s->p == '{' ? '}' : ']';
		s->p++;
		zn_jscan_ws(s);
		if (s->p < s->e && *s->p == close) {
			s->p++;
			return 1;
		}
		for (;;) {
			if (close == '}') {
				if (!zn_jscan_string(s, &v, &n, &esc))
					return 0;
				zn_jscan_ws(s);
				if (s->p == s->e || *s->p++ != ':')
					return 0;
				zn_jscan_ws(s);
			}
			if (!zn_jscan_value(s, depth + 1))
				return 0;
			zn_jscan_ws(s);
			if (s->p == s->e)
				return 0;
			if (*s->p == close) {
				s->p++;
				return 1;
			}
			if (*s->p++ != ',')
				return 0;
			zn_jscan_ws(s);
		}
	default:
		return number(s);
	}
}


/* ---- canonical JSON into json_t ---- */

/*
 * The canonical parser builds its value when build is set; otherwise it
 * only checks the text and returns the (static) json_null() for a
 * canonical value.  NULL means not canonical.
 */
#define MADE(v) (build ? (v) : json_null())

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;		/* upper case is not canonical */
}

/*
 * A canonical string at s->p: only the escapes jw.c writes (\" \\ \b
 * \f \n \r \t, and \u00xx for the other control characters, never
 * \u0000, which jansson refuses), raw bytes of 0x20 and up in valid
 * UTF-8.
 */
static json_t *
canonstr(struct zn_jscan *s, struct zn_buf *tmp, int build)
{
	const unsigned char *p = s->p + 1, *e = s->e, *run;
	size_t k;
	int c, h, l, esc = 0;

	zn_buf_reset(tmp);
	for (run = p; p < e; ) {
		if (*p == '"') {
			s->p = p + 1;
			if (!esc)
				return MADE(json_stringn_nocheck(
				    (const char *)run, (size_t)(p - run)));
			zn_buf_add(tmp, run, (size_t)(p - run));
			return MADE(json_stringn_nocheck(tmp->buf, tmp->len));
		}
		if (*p == '\\') {
			zn_buf_add(tmp, run, (size_t)(p - run));
			esc = 1;
			if (++p == e)
				return NULL;
			switch (*p) {
			case '"':
			case '\\':
				c = *p;
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case 'u':
				if (e - p < 5 || p[1] != '0' || p[2] != '0' ||
				    (h = hexval(p[3])) < 0 || h > 1 ||
				    (l = hexval(p[4])) < 0)
					return NULL;
				c = h * 16 + l;
				if (c == 0 || c == '\b' || c == '\f' ||
				    c == '\n' || c == '\r' || c == '\t')
					return NULL;
				p += 4;
				break;
			default:
				return NULL;
			}
			zn_buf_addch(tmp, c);
			run = ++p;
			continue;
		}
		if (*p < 0x20)
			return NULL;
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((k = utf8len(p, e)) == 0)
			return NULL;
		p += k;
	}
	return NULL;
}

/* A canonical integer: no sign on zero, no leading zeros, no fraction. */
static json_t *
canonint(struct zn_jscan *s, int build)
{
	const unsigned char *p = s->p, *start = p;
	char num[24];
	long long v;
	char *end;

	if (p < s->e && *p == '-')
		p++;
	if (p == s->e || *p < '0' || *p > '9')
		return NULL;
	if (*p == '0' && (p != start || (p + 1 < s->e && p[1] >= '0' &&
	    p[1] <= '9')))
		return NULL;	/* -0 or 01 */
	while (p < s->e && *p >= '0' && *p <= '9')
		p++;
	if (p < s->e && (*p == '.' || *p == 'e' || *p == 'E'))
		return NULL;	/* reals go to the slow path */
	if ((size_t)(p - start) >= sizeof(num))
		return NULL;
	memcpy(num, start, (size_t)(p - start));
	num[p - start] = '\0';
	errno = 0;
	v = strtoll(num, &end, 10);
	if (errno != 0)
		return NULL;
	s->p = p;
	return MADE(json_integer((json_int_t)v));
}

static json_t *
canon(struct zn_jscan *s, struct zn_buf *tmp, int depth, int build)
{
	const char *key, *prev = NULL;
	size_t kn, pn = 0;
	json_t *v, *c;
	int esc;

	if (s->p == s->e)
		return NULL;
	switch (*s->p) {
	case '"':
		return canonstr(s, tmp, build);
	case 't':
		return word(s, "true") ? json_true() : NULL;
	case 'f':
		return word(s, "false") ? json_false() : NULL;
	case 'n':
		return word(s, "null") ? json_null() : NULL;
	case '[':
		if (depth >= SCAN_MAXDEPTH)
			return NULL;
		v = MADE(json_array());
		if (++s->p < s->e && *s->p == ']') {
			s->p++;
			return v;
		}
		for (;;) {
			if ((c = canon(s, tmp, depth + 1, build)) == NULL ||
			    (build && json_array_append_new(v, c) != 0))
				break;
			if (s->p == s->e)
				break;
			if (*s->p == ']') {
				s->p++;
				return v;
			}
			if (*s->p++ != ',')
				break;
		}
		json_decref(v);
		return NULL;
	case '{':
		if (depth >= SCAN_MAXDEPTH)
			return NULL;
		v = MADE(json_object());
		if (++s->p < s->e && *s->p == '}') {
			s->p++;
			return v;
		}
		for (;;) {
			if (!zn_jscan_string(s, &key, &kn, &esc) || esc ||
			    s->p == s->e || *s->p++ != ':')
				break;
			/* Keys in canonical order, each once. */
			if (prev != NULL && zn_jw_keycmp(prev, pn, key, kn) >= 0)
				break;
			prev = key;
			pn = kn;
			if ((c = canon(s, tmp, depth + 1, build)) == NULL)
				break;
			if (build && json_object_setn_new_nocheck(v, key, kn,
			    c) != 0)
				break;
			if (s->p == s->e)
				break;
			if (*s->p == '}') {
				s->p++;
				return v;
			}
			if (*s->p++ != ',')
				break;
		}
		json_decref(v);
		return NULL;
	default:
		return canonint(s, build);
	}
}

json_t *
zn_jscan_canon(struct zn_jscan *s, struct zn_buf *tmp)
{
	return canon(s, tmp, 0, 1);
}

int
zn_jscan_canon_check(struct zn_jscan *s, struct zn_buf *tmp)
{
	return canon(s, tmp, 0, 0) != NULL;
}
