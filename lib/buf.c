/* SPDX-License-Identifier: ISC */
/* buf.c: the growable, always NUL-terminated string of zn.h. */
#ifdef __linux__
#define _DEFAULT_SOURCE		/* madvise */
#endif
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/mman.h>
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
/*
 * Maps the pages of [p, p + n) in one system call where the system can
 * (Linux 5.14's MADV_POPULATE_WRITE), rather than one fault per page on
 * first touch: a large block about to be filled.  Best effort.
 */
void
zn_prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t a, e;

	if (pg <= 0 || n < (size_t)pg * 64)
		return;
	a = ((uintptr_t)p + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1);
	e = ((uintptr_t)p + n) & ~((uintptr_t)pg - 1);
	if (e > a)
		(void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

int
zn_memfind(const char *h, size_t hn, const char *w, size_t wn)
{
	const unsigned char *hp = (const unsigned char *)h;
	const unsigned char *wp = (const unsigned char *)w;
	size_t skip[256], i;

	if (wn == 0)
		return 1;
	if (wn > hn)
		return 0;
	if (wn == 1)
		return memchr(h, w[0], hn) != NULL;
	for (i = 0; i < 256; i++)
		skip[i] = wn;
	for (i = 0; i < wn - 1; i++)
		skip[wp[i]] = wn - 1 - i;
	for (i = 0; i <= hn - wn; i += skip[hp[i + wn - 1]])
		if (hp[i + wn - 1] == wp[wn - 1] &&
		    memcmp(hp + i, wp, wn - 1) == 0)
			return 1;
	return 0;
}

/*
 * Dies when a line of [p, p + n) (the next part of input name, whose
 * current line is *line, *linelen bytes so far) is longer than
 * ZN_LINE_MAX.
 */
static void
linebound(const char *name, const char *p, size_t n, size_t *line,
    size_t *linelen)
{
	const char *e = p + n, *nl;

	for (; p < e; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(e - p));
		*linelen += (size_t)((nl != NULL ? nl : e) - p);
		if (*linelen > ZN_LINE_MAX)
			zn_die(ZN_EXIT_DATAERR, "%s:%zu: a line longer than "
			    "%d MiB: refused", name, *line,
			    ZN_LINE_MAX / 1024 / 1024);
		if (nl == NULL)
			break;
		(*line)++;
		*linelen = 0;
	}
}

void
zn_lines_bounded(const char *name, const char *p, size_t n)
{
	size_t line = 1, linelen = 0;

	linebound(name, p, n, &line, &linelen);
}

void
zn_buf_readfp(struct zn_buf *b, FILE *fp, const char *name)
{
	size_t n, want, start = b->len, line = 1, linelen = 0;

	/* Straight into b (sized by the caller when it knows the size). */
	for (;;) {
		if (b->alloc - b->len < 4097)
			zn_buf_grow(b, 65536);
		want = b->alloc - b->len - 1;
		n = fread(b->buf + b->len, 1, want, fp);
		linebound(name, b->buf + b->len, n, &line, &linelen);
		b->len += n;
		b->buf[b->len] = '\0';
		if (b->len - start > ZN_INPUT_MAX)
			zn_die(ZN_EXIT_DATAERR, "%s: longer than %d MiB: "
			    "refused", name, ZN_INPUT_MAX / 1024 / 1024);
		if (n < want)
			break;		/* the end, or an error */
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
	    st.st_size > 0 && (uintmax_t)st.st_size < ZN_INPUT_MAX) {
		zn_buf_grow(b, (size_t)st.st_size + 1);
		zn_prefault(b->buf + b->len, b->alloc - b->len);
	}
	zn_buf_readfp(b, fp, name);
	if (fp != stdin)
		fclose(fp);
	return name;
}
