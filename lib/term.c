/* SPDX-License-Identifier: ISC */
/* term.c: rendering records for people: tty checks, colour, aligned tables. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zn.h"

int
zn_term_isatty(FILE *fp)
{
	return isatty(fileno(fp));
}

int
zn_term_color(FILE *fp)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (nc != NULL && *nc != '\0')
		return 0;
	if (term != NULL && strcmp(term, "dumb") == 0)
		return 0;
	return zn_term_isatty(fp);
}

size_t
zn_term_width(const char *s)
{
	size_t w = 0;

	/* Count code points: every byte that does not continue one. */
	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

struct zn_table {
	int ncols;
	char **cells;		/* nrows * ncols, owned */
	size_t nrows;
};

struct zn_table *
zn_table_new(int ncols)
{
	struct zn_table *t = zn_xcalloc(1, sizeof(*t));

	t->ncols = ncols;
	return t;
}

void
zn_table_cells(struct zn_table *t, const char *const *cells)
{
	int i;

	t->cells = zn_xreallocarray(t->cells, (t->nrows + 1) *
	    (size_t)t->ncols, sizeof(*t->cells));
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * (size_t)t->ncols + (size_t)i] =
		    zn_xstrdup(cells[i] != NULL ? cells[i] : "");
	t->nrows++;
}

void
zn_table_row(struct zn_table *t, ...)
{
	const char **cells = zn_xcalloc((size_t)t->ncols, sizeof(*cells));
	va_list ap;
	int i;

	va_start(ap, t);
	for (i = 0; i < t->ncols; i++)
		cells[i] = va_arg(ap, const char *);
	va_end(ap);
	zn_table_cells(t, cells);
	free(cells);
}

void
zn_table_print(struct zn_table *t, FILE *fp)
{
	size_t *w = zn_xcalloc((size_t)t->ncols, sizeof(*w)), r, cw;
	const char *cell;
	int c;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			cw = zn_term_width(t->cells[r * (size_t)t->ncols +
			    (size_t)c]);
			if (cw > w[c])
				w[c] = cw;
		}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			cell = t->cells[r * (size_t)t->ncols + (size_t)c];
			fputs(cell, fp);
			if (c + 1 < t->ncols)
				fprintf(fp, "%*s", (int)(w[c] -
				    zn_term_width(cell) + 2), "");
		}
		fputc('\n', fp);
	}
	free(w);
}

void
zn_table_free(struct zn_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}
