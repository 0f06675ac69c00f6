/* SPDX-License-Identifier: ISC */
/* err.c: program identity, messages, exit statuses and checked allocation. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zn.h"

#ifndef ZN_VERSION
#define ZN_VERSION "unknown"
#endif

const char *zn_progname = "zn";

#ifdef ZN_FUZZ
void (*zn_fuzz_exit)(int status);

static ZN_NORETURN void
leave(int status)
{
	if (zn_fuzz_exit != NULL)
		zn_fuzz_exit(status);
	exit(status);
}
#define exit(s) leave(s)
#endif

/*
 * jansson's allocations, checked as ours are: a json_t that could not be
 * made is exit 2 here, and never a NULL some caller drops (a member or an
 * element silently missing, a partial result reported as success).
 */
static void *
jsonalloc(size_t n)
{
	return zn_xmalloc(n);
}

void
zn_init(const char *argv0)
{
	const char *p;

	json_set_alloc_funcs(jsonalloc, free);

	if (argv0 != NULL && *argv0 != '\0') {
		p = strrchr(argv0, '/');
		zn_progname = p != NULL ? p + 1 : argv0;
	}
	/* Character classes follow the user's locale; numbers never do. */
	setlocale(LC_CTYPE, "");
}

/*
 * What SIGINT, SIGTERM and SIGHUP undo before the program ends with
 * status 130: run last registered first, each async-signal-safe.
 */
#define ZN_ATSIGNAL_MAX 8
static void (*sigfns[ZN_ATSIGNAL_MAX])(void);
static volatile sig_atomic_t nsigfns;

static void
onsignal(int sig)
{
	sig_atomic_t i;

	(void)sig;
	for (i = nsigfns; i-- > 0;)
		sigfns[i]();
	_exit(ZN_EXIT_SIGNAL);
}

void
zn_atsignal(void (*fn)(void))
{
	struct sigaction sa;
	sigset_t all, old;

	if (nsigfns == ZN_ATSIGNAL_MAX)
		zn_die(ZN_EXIT_UNAVAILABLE, "too many signal hooks");
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	sigfns[nsigfns] = fn;
	nsigfns = nsigfns + 1;
	if (nsigfns == 1) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = onsignal;
		sigfillset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

void
zn_help(const char *text)
{
	fputs(text, stdout);
	exit(zn_finish(ZN_EXIT_OK));
}

void
zn_version(void)
{
	printf("%s (zanith) %s\n", zn_progname, ZN_VERSION);
	exit(zn_finish(ZN_EXIT_OK));
}

void
zn_complete(const struct option *o)
{
	for (; o->name != NULL; o++) {
		if (strncmp(o->name, "complete", 8) == 0)
			continue;
		printf("--%s%s\n", o->name, o->has_arg ? "=" : "");
	}
	exit(zn_finish(ZN_EXIT_OK));
}

static void vwarn(const char *fmt, va_list ap, int errnum) ZN_PRINTF(1, 0);

/*
 * Writes s with its control characters shown, not obeyed: a name from a
 * file or a plan (a migration id, a target) may hold a newline or an
 * escape sequence, and a message is one line that a terminal prints as
 * it is.  \n, \r, \t, \e, else \xHH.
 */
void
zn_fputs_safe(const char *s, FILE *fp)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p >= 0x20 && *p != 0x7f) {
			putc(*p, fp);
			continue;
		}
		switch (*p) {
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		case 0x1b: fputs("\\e", fp); break;
		default: fprintf(fp, "\\x%02x", *p); break;
		}
	}
}

static void
vwarn(const char *fmt, va_list ap, int errnum)
{
	char small[1024], *big = NULL;
	va_list cp;
	int n;

	fflush(stdout);
	fprintf(stderr, "%s: ", zn_progname);
	/* Not zn_xmalloc: a message may be about memory running out. */
	va_copy(cp, ap);
	n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n >= (int)sizeof(small) && (big = malloc((size_t)n + 1)) != NULL)
		(void)vsnprintf(big, (size_t)n + 1, fmt, ap);
	if (n >= 0)
		zn_fputs_safe(big != NULL ? big : small, stderr);
	free(big);
	if (errnum != 0)
		fprintf(stderr, ": %s", strerror(errnum));
	fputc('\n', stderr);
}

void
zn_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap, 0);
	va_end(ap);
}

void
zn_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap, 0);
	va_end(ap);
	exit(status);
}

void
zn_die_errno(int status, const char *fmt, ...)
{
	va_list ap;
	int errnum = errno;

	va_start(ap, fmt);
	vwarn(fmt, ap, errnum);
	va_end(ap);
	exit(status);
}

void
zn_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap, 0);
	va_end(ap);
	zn_bad_option();
}

void
zn_bad_option(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n",
	    zn_progname);
	exit(ZN_EXIT_USAGE);
}

int
zn_finish(int status)
{
	int bad;

	bad = fflush(stdout) != 0;
	bad |= ferror(stdout) != 0;
	bad |= fclose(stdout) != 0;
	if (bad) {
		fprintf(stderr, "%s: write error on standard output: %s\n",
		    zn_progname, strerror(errno != 0 ? errno : EIO));
		if (status == ZN_EXIT_OK || status == ZN_EXIT_NEGATIVE)
			status = ZN_EXIT_UNAVAILABLE;
	}
	return status;
}

void *
zn_xmalloc(size_t n)
{
	void *p = malloc(n != 0 ? n : 1);

	if (p == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	return p;
}

void *
zn_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n != 0 ? n : 1, size != 0 ? size : 1);

	if (p == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	return p;
}

void *
zn_xrealloc(void *p, size_t n)
{
	p = realloc(p, n != 0 ? n : 1);
	if (p == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	return p;
}

void *
zn_xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > (size_t)-1 / size)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	return zn_xrealloc(p, nmemb * size);
}

char *
zn_xstrdup(const char *s)
{
	return zn_xstrndup(s, strlen(s));
}

void
zn_strv_push(char ***list, size_t *n, const char *s)
{
	*list = zn_xreallocarray(*list, *n + 2, sizeof(**list));
	(*list)[(*n)++] = zn_xstrdup(s);
	(*list)[*n] = NULL;
}

void
zn_strv_free(char **list)
{
	size_t i;

	for (i = 0; list != NULL && list[i] != NULL; i++)
		free(list[i]);
	free(list);
}

char *
zn_xstrndup(const char *s, size_t n)
{
	char *p;
	size_t len = strnlen(s, n);

	p = zn_xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
zn_xasprintf(const char *fmt, ...)
{
	struct zn_buf b = ZN_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	zn_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	return zn_buf_detach(&b);
}
