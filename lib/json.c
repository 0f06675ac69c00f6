/* SPDX-License-Identifier: ISC */
/* json.c: writing and reading JSON-lines records. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "zn.h"

#define DUMP_FLAGS (JSON_COMPACT | JSON_ENCODE_ANY)

char *
zn_json_line(const json_t *v)
{
	char *s = json_dumps(v, DUMP_FLAGS);

	if (s == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot encode a record as JSON");
	return s;
}

void
zn_json_emit(FILE *fp, const json_t *v)
{
	char *s = zn_json_line(v);

	if (fputs(s, fp) == EOF || putc('\n', fp) == EOF) {
		free(s);
		zn_die_write(fp);
	}
	free(s);
}

const char *
zn_json_str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

void
zn_jsonl_open(struct zn_jsonl *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	if (path == NULL || strcmp(path, "-") == 0) {
		r->fp = stdin;
		r->name = zn_xstrdup("<stdin>");
		return;
	}
	r->fp = fopen(path, "r");
	if (r->fp == NULL)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot open '%s'", path);
	r->name = zn_xstrdup(path);
	r->close = 1;
}

void
zn_jsonl_open_mem(struct zn_jsonl *r, const char *name, const char *buf,
    size_t len)
{
	memset(r, 0, sizeof(*r));
	r->name = zn_xstrdup(name);
	/* fmemopen may refuse a size of 0. */
	r->fp = len > 0 ? fmemopen((void *)buf, len, "r") :
	    fopen("/dev/null", "r");
	if (r->fp == NULL)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot read '%s'", name);
	r->close = 1;
}

void
zn_jsonl_die(const struct zn_jsonl *r, const char *fmt, ...)
{
	struct zn_buf b = ZN_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	zn_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	zn_die(ZN_EXIT_DATAERR, "%s:%zu: %s", r->name, r->lineno, b.buf);
}

json_t *
zn_jsonl_next(struct zn_jsonl *r)
{
	json_error_t err;
	json_t *v;
	ssize_t n;

	errno = 0;
	n = getline(&r->line, &r->cap, r->fp);
	if (n < 0) {
		if (ferror(r->fp))
			zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot read '%s'",
			    r->name);
		return NULL;
	}
	r->lineno++;
	if (n > 0 && r->line[n - 1] == '\n')
		r->line[--n] = '\0';
	if (n == 0)
		zn_jsonl_die(r, "empty line where a record was expected");
	v = json_loadb(r->line, (size_t)n, JSON_REJECT_DUPLICATES, &err);
	if (v == NULL)
		zn_die(ZN_EXIT_DATAERR, "%s:%zu:%d: invalid JSON: %s",
		    r->name, r->lineno, err.column, err.text);
	if (!json_is_object(v)) {
		json_decref(v);
		zn_jsonl_die(r, "a record must be a JSON object");
	}
	if (zn_json_str(v, "kind") == NULL) {
		json_decref(v);
		zn_jsonl_die(r, "record has no string \"kind\"");
	}
	return v;
}

void
zn_jsonl_close(struct zn_jsonl *r)
{
	if (r->close && r->fp != NULL)
		fclose(r->fp);
	free(r->name);
	free(r->line);
	memset(r, 0, sizeof(*r));
}
