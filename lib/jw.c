/* SPDX-License-Identifier: ISC */
/*
 * jw.c: a streaming writer of compact JSON into a zn_buf, and the
 * canonical writer of json_t values built on it.  Every byte of a graph
 * record goes through here, whether the introspector writes it field by
 * field or a stored graph is written back, so both agree on escaping.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "zn.h"

void
zn_jw_init(struct zn_jw *w, struct zn_buf *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
}

/* Writes the separator a new value at this depth needs. */
static void
sep(struct zn_jw *w)
{
	if (w->afterkey) {
		w->afterkey = 0;
		return;
	}
	if (w->depth > 0 && w->count[w->depth - 1]++ > 0)
		zn_buf_addch(w->b, ',');
}

static void
open(struct zn_jw *w, int c)
{
	sep(w);
	zn_buf_addch(w->b, c);
	if (w->depth >= ZN_JW_MAXDEPTH)
		zn_die(ZN_EXIT_DATAERR, "JSON nested deeper than %d levels",
		    ZN_JW_MAXDEPTH);
	w->count[w->depth++] = 0;
}

void
zn_jw_obj(struct zn_jw *w)
{
	open(w, '{');
}

void
zn_jw_arr(struct zn_jw *w)
{
	open(w, '[');
}

void
zn_jw_end(struct zn_jw *w, int c)
{
	w->depth--;
	zn_buf_addch(w->b, c);
}

static void
quoted(struct zn_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s, *end = s + n;
	unsigned char c;

	zn_buf_grow(b, n + 2);
	zn_buf_addch(b, '"');
	for (; s < end; s++) {
		c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		zn_buf_add(b, run, (size_t)(s - run));
		run = s + 1;
		zn_buf_addch(b, '\\');
		switch (c) {
		case '"':
		case '\\':
			zn_buf_addch(b, c);
			break;
		case '\b':
			zn_buf_addch(b, 'b');
			break;
		case '\f':
			zn_buf_addch(b, 'f');
			break;
		case '\n':
			zn_buf_addch(b, 'n');
			break;
		case '\r':
			zn_buf_addch(b, 'r');
			break;
		case '\t':
			zn_buf_addch(b, 't');
			break;
		default:
			zn_buf_adds(b, "u00");
			zn_buf_addch(b, hex[c >> 4]);
			zn_buf_addch(b, hex[c & 15]);
		}
	}
	zn_buf_add(b, run, (size_t)(end - run));
	zn_buf_addch(b, '"');
}

void
zn_jw_key(struct zn_jw *w, const char *k)
{
	sep(w);
	quoted(w->b, k, strlen(k));
	zn_buf_addch(w->b, ':');
	w->afterkey = 1;
}

void
zn_jw_strn(struct zn_jw *w, const char *s, size_t n)
{
	sep(w);
	quoted(w->b, s, n);
}

void
zn_jw_str(struct zn_jw *w, const char *s)
{
	if (s == NULL)
		zn_jw_null(w);
	else
		zn_jw_strn(w, s, strlen(s));
}

void
zn_jw_null(struct zn_jw *w)
{
	sep(w);
	zn_buf_adds(w->b, "null");
}

void
zn_jw_bool(struct zn_jw *w, int v)
{
	sep(w);
	zn_buf_adds(w->b, v ? "true" : "false");
}

void
zn_jw_int(struct zn_jw *w, long long v)
{
	char d[24], *p = d + sizeof(d);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;

	sep(w);
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	zn_buf_add(w->b, p, (size_t)(d + sizeof(d) - p));
}

/* Keys that lead every object, in this order; the rest in byte order. */
static const char *const leading[] = { "kind", "v", "schema", "table",
    "name" };
#define NLEADING (sizeof(leading) / sizeof(leading[0]))

/* The place of a leading key, or NLEADING for the others. */
static size_t
leadrank(const char *k, size_t n)
{
	size_t i;

	switch (n) {	/* most keys are none of them: rule them out fast */
	case 1:
	case 4:
	case 5:
	case 6:
		break;
	default:
		return NLEADING;
	}
	for (i = 0; i < NLEADING; i++)
		if (strlen(leading[i]) == n && memcmp(k, leading[i], n) == 0)
			break;
	return i;
}

int
zn_jw_keycmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t ra = leadrank(a, an), rb = leadrank(b, bn);
	int c;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ra < NLEADING)
		return 0;
	/* Byte order, as strcmp: a key that is a prefix comes first. */
	c = memcmp(a, b, an < bn ? an : bn);
	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}

struct member {
	const char *k;
	size_t n;
	json_t *v;
};

static int
cmpmember(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	return zn_jw_keycmp(x->k, x->n, y->k, y->n);
}

void
zn_jw_json(struct zn_jw *w, const json_t *v)
{
	struct member small[16], *m;
	const char *key;
	json_t *child;
	size_t i, n, kn;
	int sorted = 1;
	char *s;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		zn_jw_obj(w);
		n = json_object_size(v);
		m = n <= 16 ? small : zn_xreallocarray(NULL, n, sizeof(*m));
		i = 0;
		json_object_keylen_foreach((json_t *)v, key, kn, child) {
			m[i].k = key;
			m[i].n = kn;
			m[i].v = child;
			if (i > 0 && sorted && zn_jw_keycmp(m[i - 1].k,
			    m[i - 1].n, key, kn) > 0)
				sorted = 0;
			i++;
		}
		if (!sorted)
			qsort(m, n, sizeof(*m), cmpmember);
		for (i = 0; i < n; i++) {
			zn_jw_key(w, m[i].k);
			zn_jw_json(w, m[i].v);
		}
		if (m != small)
			free(m);
		zn_jw_end(w, '}');
		break;
	case JSON_ARRAY:
		zn_jw_arr(w);
		json_array_foreach(v, i, child)
			zn_jw_json(w, child);
		zn_jw_end(w, ']');
		break;
	case JSON_STRING:
		zn_jw_strn(w, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		zn_jw_int(w, (long long)json_integer_value(v));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		zn_jw_bool(w, json_is_true(v));
		break;
	case JSON_NULL:
		zn_jw_null(w);
		break;
	default:
		/* Reals: jansson's shortest round-trip rendering. */
		sep(w);
		s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		if (s == NULL)
			zn_die(ZN_EXIT_UNAVAILABLE, "cannot encode a number");
		zn_buf_adds(w->b, s);
		free(s);
		break;
	}
}
