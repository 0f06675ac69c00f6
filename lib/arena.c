/* SPDX-License-Identifier: ISC */
/*
 * arena.c: strings made while building something (SQL text, names,
 * records), kept until it is done and then freed together.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "zn.h"

char *
zn_arena_keep(struct zn_arena *a, char *s)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->v = zn_xreallocarray(a->v, a->cap, sizeof(*a->v));
	}
	a->v[a->n++] = s;
	return s;
}

const char *
zn_arena_strndup(struct zn_arena *a, const char *s, size_t n)
{
	char *d;

	/* Many small strings share a block: one malloc and one free. */
	if (n + 1 > a->size - a->used) {
		a->size = n + 1 > 65536 ? n + 1 : 65536;
		a->blk = zn_arena_keep(a, zn_xmalloc(a->size));
		a->used = 0;
	}
	d = a->blk + a->used;
	memcpy(d, s, n);
	d[n] = '\0';
	a->used += n + 1;
	return d;
}

const char *
zn_arena_ident(struct zn_arena *a, const char *s)
{
	struct zn_buf b = ZN_BUF_INIT;

	zn_pg_ident(&b, s);
	return zn_arena_keep(a, zn_buf_detach(&b));
}

const char *
zn_arena_qualified(struct zn_arena *a, const char *schema, const char *name)
{
	struct zn_buf b = ZN_BUF_INIT;

	zn_pg_ident(&b, schema);
	zn_buf_addch(&b, '.');
	zn_pg_ident(&b, name);
	return zn_arena_keep(a, zn_buf_detach(&b));
}

void
zn_arena_release(struct zn_arena *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
	a->blk = NULL;
	a->used = a->size = 0;
}
