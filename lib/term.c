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
	size_t *widths;		/* of each cell */
	size_t nrows, cap;	/* rows held, rows room is made for */
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

	size_t at = t->nrows * (size_t)t->ncols;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = zn_xreallocarray(t->cells, t->cap *
		    (size_t)t->ncols, sizeof(*t->cells));
		t->widths = zn_xreallocarray(t->widths, t->cap *
		    (size_t)t->ncols, sizeof(*t->widths));
	}
	for (i = 0; i < t->ncols; i++) {
		t->cells[at + (size_t)i] = zn_xstrdup(cells[i] != NULL ?
		    cells[i] : "");
		t->widths[at + (size_t)i] = zn_term_width(t->cells[at +
		    (size_t)i]);
	}
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
	static const char spaces[] = "                                ";
	size_t *w = zn_xcalloc((size_t)t->ncols, sizeof(*w)), r, i, pad, n;
	int c;

	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			i = r * (size_t)t->ncols + (size_t)c;
			if (t->widths[i] > w[c])
				w[c] = t->widths[i];
		}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			i = r * (size_t)t->ncols + (size_t)c;
			fputs(t->cells[i], fp);
			if (c + 1 == t->ncols)
				break;
			for (pad = w[c] - t->widths[i] + 2; pad > 0;
			    pad -= n) {
				n = pad < sizeof(spaces) - 1 ? pad :
				    sizeof(spaces) - 1;
				fwrite(spaces, 1, n, fp);
			}
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
	free(t->widths);
	free(t);
}
