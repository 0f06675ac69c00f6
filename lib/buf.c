/* SPDX-License-Identifier: ISC */
/* buf.c: the growable, always NUL-terminated string of zn.h. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "zn.h"

/* Shared by every empty buffer; never written (alloc 0 means "not ours"). */
char zn_buf_empty[1];

void
zn_buf_init(struct zn_buf *b)
{
	b->buf = zn_buf_empty;
	b->len = 0;
	b->alloc = 0;
}

void
zn_buf_release(struct zn_buf *b)
{
	if (b->alloc != 0)
		free(b->buf);
	zn_buf_init(b);
}

char *
zn_buf_detach(struct zn_buf *b)
{
	char *s;

	if (b->alloc == 0)
		s = zn_xstrdup("");
	else
		s = b->buf;
	zn_buf_init(b);
	return s;
}

void
zn_buf_reset(struct zn_buf *b)
{
	b->len = 0;
	if (b->alloc != 0)
		b->buf[0] = '\0';
}

void
zn_buf_grow(struct zn_buf *b, size_t extra)
{
	size_t want;

	if (extra > (size_t)-1 / 2 - b->len)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	want = b->len + extra + 1;
	if (want <= b->alloc)
		return;
	if (want < b->alloc * 2)
		want = b->alloc * 2;
	if (want < 64)
		want = 64;
	if (b->alloc == 0) {
		b->buf = zn_xmalloc(want);
		b->buf[0] = '\0';
	} else
		b->buf = zn_xrealloc(b->buf, want);
	b->alloc = want;
}

void
zn_buf_add(struct zn_buf *b, const void *data, size_t n)
{
	zn_buf_grow(b, n);
	memcpy(b->buf + b->len, data, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void
zn_buf_adds(struct zn_buf *b, const char *s)
{
	zn_buf_add(b, s, strlen(s));
}

void
zn_buf_addch(struct zn_buf *b, int c)
{
	zn_buf_grow(b, 1);
	b->buf[b->len++] = (char)c;
	b->buf[b->len] = '\0';
}

void
zn_buf_vaddf(struct zn_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	zn_buf_grow(b, 64);
	va_copy(cp, ap);
	n = vsnprintf(b->buf + b->len, b->alloc - b->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot format a message");
	if ((size_t)n >= b->alloc - b->len) {
		zn_buf_grow(b, (size_t)n);
		n = vsnprintf(b->buf + b->len, b->alloc - b->len, fmt, ap);
		if (n < 0 || (size_t)n >= b->alloc - b->len)
			zn_die(ZN_EXIT_UNAVAILABLE, "cannot format a message");
	}
	b->len += (size_t)n;
}

void
zn_buf_addf(struct zn_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	zn_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

/*
 * Every input is read whole, within bounds: no line (a record, a
 * statement, a YAML line) longer than ZN_LINE_MAX and nothing longer
 * than ZN_INPUT_MAX in all, so that /dev/zero or a stream without
 * newlines is refused early instead of growing until the kernel steps
 * in.
 */
void
zn_buf_readfp(struct zn_buf *b, FILE *fp, const char *name)
{
	char chunk[65536];
	size_t n, i, start = b->len, line = 1, linelen = 0;

	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		for (i = 0; i < n; i++)
			if (chunk[i] == '\n') {
				line++;
				linelen = 0;
			} else if (++linelen > ZN_LINE_MAX)
				zn_die(ZN_EXIT_DATAERR, "%s:%zu: a line longer "
				    "than %d MiB: refused", name, line,
				    ZN_LINE_MAX / 1024 / 1024);
		if (b->len - start + n > ZN_INPUT_MAX)
			zn_die(ZN_EXIT_DATAERR, "%s: longer than %d MiB: "
			    "refused", name, ZN_INPUT_MAX / 1024 / 1024);
		zn_buf_add(b, chunk, n);
	}
	if (ferror(fp))
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot read '%s'", name);
}

void
zn_buf_readfile(struct zn_buf *b, const char *path)
{
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot open '%s'", path);
	zn_buf_readfp(b, fp, path);
	fclose(fp);
}

const char *
zn_buf_readpath(struct zn_buf *b, const char *path)
{
	const char *name;
	struct stat st;
	FILE *fp;

	if (path == NULL || strcmp(path, "-") == 0) {
		name = "<stdin>";
		fp = stdin;
	} else {
		name = path;
		if ((fp = fopen(path, "r")) == NULL)
			zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot open '%s'",
			    path);
	}
	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > 0)
		zn_buf_grow(b, (size_t)st.st_size + 1);
	zn_buf_readfp(b, fp, name);
	if (fp != stdin)
		fclose(fp);
	return name;
}
