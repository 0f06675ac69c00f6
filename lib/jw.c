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
	sep(w);
	zn_buf_addf(w->b, "%lld", v);
}

/* Keys that lead every object, in this order; the rest in byte order. */
static const char *const leading[] = { "kind", "v", "schema", "table",
    "name" };
#define NLEADING (sizeof(leading) / sizeof(leading[0]))

static int
isleading(const char *k)
{
	size_t i;

	for (i = 0; i < NLEADING; i++)
		if (strcmp(k, leading[i]) == 0)
			return 1;
	return 0;
}

static int
cmpkey(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
zn_jw_json(struct zn_jw *w, const json_t *v)
{
	const char *key, **keys;
	json_t *child;
	size_t i, n;
	char *s;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		zn_jw_obj(w);
		for (i = 0; i < NLEADING; i++)
			if ((child = json_object_get(v, leading[i])) != NULL) {
				zn_jw_key(w, leading[i]);
				zn_jw_json(w, child);
			}
		keys = zn_xreallocarray(NULL, json_object_size(v) + 1,
		    sizeof(*keys));
		n = 0;
		json_object_foreach((json_t *)v, key, child)
			if (!isleading(key))
				keys[n++] = key;
		qsort(keys, n, sizeof(*keys), cmpkey);
		for (i = 0; i < n; i++) {
			zn_jw_key(w, keys[i]);
			zn_jw_json(w, json_object_get(v, keys[i]));
		}
		free(keys);
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
