/* SPDX-License-Identifier: ISC */
/*
 * yaml.c: YAML documents read with libyaml into json_t, keeping the
 * source position of every value and key so that later checks can say
 * "file:line:col" about any node.
 *
 * Bounded: nesting at ZN_YAML_MAXDEPTH (as the JSON readers), and what
 * aliases expand to at ZN_YAML_MAXALIAS nodes and ZN_YAML_MAXALIASB
 * bytes of text, so that a few hundred bytes of nested aliases (the
 * "billion laughs") are refused at once instead of growing without
 * end.  Running out of memory is exit 2, never a malformed document.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "zn.h"

#define ZN_YAML_MAXDEPTH 512
#define ZN_YAML_MAXALIAS 1000000
#define ZN_YAML_MAXALIASB (64UL * 1024 * 1024)

struct mark {
	const json_t *container;
	char *key;		/* member name, or NULL for an array index */
	size_t index;
	int iskey;		/* the mark of the key itself */
	int line, col;
};

struct anchor {
	char *name;
	json_t *node;		/* borrowed from the tree */
};

struct frame {
	json_t *node;
	char *key;		/* pending mapping key, owned */
};

struct zn_yaml {
	char *name;
	json_t *root;
	struct mark *marks;
	size_t nmarks, capmarks;
	struct anchor *anchors;
	size_t nanchors;
	struct frame *stack;
	size_t depth, capstack;
	size_t aliasnodes, aliasbytes;	/* what aliases expanded to */
	const char *data;		/* the text, for reader errors */
	size_t len;
};

static ZN_NORETURN void
oom(void)
{
	zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
}

/* A new node, or exit 2: NULL from jansson here is memory. */
static json_t *
need(json_t *v)
{
	if (v == NULL)
		oom();
	return v;
}

static void
addmark(struct zn_yaml *y, const json_t *c, const char *key, size_t index,
    int iskey, yaml_mark_t m)
{
	struct mark *k;

	if (y->nmarks == y->capmarks) {
		y->capmarks = y->capmarks ? y->capmarks * 2 : 64;
		y->marks = zn_xreallocarray(y->marks, y->capmarks,
		    sizeof(*y->marks));
	}
	k = &y->marks[y->nmarks++];
	k->container = c;
	k->key = key != NULL ? zn_xstrdup(key) : NULL;
	k->index = index;
	k->iskey = iskey;
	k->line = (int)m.line + 1;
	k->col = (int)m.column + 1;
}

static ZN_NORETURN void
dieat(const struct zn_yaml *y, yaml_mark_t m, const char *fmt, ...)
    ZN_PRINTF(3, 4);

static void
dieat(const struct zn_yaml *y, yaml_mark_t m, const char *fmt, ...)
{
	struct zn_buf b = ZN_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	zn_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	zn_die(ZN_EXIT_DATAERR, "%s:%lu:%lu: %s", y->name,
	    (unsigned long)m.line + 1, (unsigned long)m.column + 1, b.buf);
}

static int
matches(const char *s, const char *const *set)
{
	for (; *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

/* Types a plain scalar by YAML 1.2's core schema. */
static json_t *
plain(const char *s)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL",
	    NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE",
	    NULL };
	const char *p = s;
	char *end;
	long long ll;
	double d;
	int digits = 0, dot = 0, exp = 0;

	if (matches(s, nulls))
		return json_null();
	if (matches(s, trues))
		return json_true();
	if (matches(s, falses))
		return json_false();
	if (*p == '-' || *p == '+')
		p++;
	for (; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '.' && !dot && !exp)
			dot = 1;
		else if ((*p == 'e' || *p == 'E') && digits && !exp) {
			exp = 1;
			if (p[1] == '-' || p[1] == '+')
				p++;
		} else
			return json_string(s);
	}
	if (digits == 0)
		return json_string(s);
	errno = 0;
	if (!dot && !exp) {
		ll = strtoll(s, &end, 10);
		if (errno == 0 && *end == '\0')
			return json_integer(ll);
		return json_string(s);
	}
	/*
	 * A decimal fraction keeps the text it was written as: binary
	 * floating point cannot (0.1 would come back 0.10000000000000001),
	 * and every reader here wants the text (SQL values, versions).
	 */
	(void)d;
	(void)end;
	return json_string(s);
}

static void
push(struct zn_yaml *y, json_t *node)
{
	if (y->depth == y->capstack) {
		y->capstack = y->capstack ? y->capstack * 2 : 16;
		y->stack = zn_xreallocarray(y->stack, y->capstack,
		    sizeof(*y->stack));
	}
	y->stack[y->depth].node = node;
	y->stack[y->depth].key = NULL;
	y->depth++;
}

/* Places v (stolen) where the parser is: root, array element or member. */
static void
place(struct zn_yaml *y, json_t *v, yaml_mark_t m)
{
	struct frame *f;

	if (y->depth == 0) {
		y->root = v;
		return;
	}
	f = &y->stack[y->depth - 1];
	if (json_is_array(f->node)) {
		addmark(y, f->node, NULL, json_array_size(f->node), 0, m);
		if (json_array_append_new(f->node, v) != 0)
			oom();
		return;
	}
	addmark(y, f->node, f->key, 0, 0, m);
	if (json_object_set_new(f->node, f->key, v) != 0)
		oom();
	free(f->key);
	f->key = NULL;
}

static int
wantkey(const struct zn_yaml *y)
{
	const struct frame *f;

	if (y->depth == 0)
		return 0;
	f = &y->stack[y->depth - 1];
	return json_is_object(f->node) && f->key == NULL;
}

static void
setkey(struct zn_yaml *y, const char *key, yaml_mark_t m)
{
	struct frame *f = &y->stack[y->depth - 1];

	if (json_object_get(f->node, key) != NULL)
		dieat(y, m, "duplicate key '%s'", key);
	addmark(y, f->node, key, 0, 1, m);
	f->key = zn_xstrdup(key);
}

static void
anchor(struct zn_yaml *y, const yaml_char_t *name, json_t *node)
{
	if (name == NULL)
		return;
	y->anchors = zn_xreallocarray(y->anchors, y->nanchors + 1,
	    sizeof(*y->anchors));
	y->anchors[y->nanchors].name = zn_xstrdup((const char *)name);
	y->anchors[y->nanchors].node = node;
	y->nanchors++;
}

/*
 * Adds what node expands to (its nodes and the bytes of its text) to
 * the aliases' total; 0 once that is over the bounds.  Stops counting
 * there, so the count costs no more than the bound.
 */
static int
expands(struct zn_yaml *y, const json_t *node)
{
	const char *k;
	json_t *v;
	size_t i;

	if (++y->aliasnodes > ZN_YAML_MAXALIAS)
		return 0;
	if (json_is_string(node)) {
		y->aliasbytes += json_string_length(node);
		return y->aliasbytes <= ZN_YAML_MAXALIASB;
	}
	if (json_is_array(node)) {
		json_array_foreach(node, i, v)
			if (!expands(y, v))
				return 0;
	} else if (json_is_object(node)) {
		json_object_foreach((json_t *)node, k, v) {
			y->aliasbytes += strlen(k);
			if (!expands(y, v))
				return 0;
		}
	}
	return 1;
}

static json_t *
alias(struct zn_yaml *y, const yaml_char_t *name, yaml_mark_t m)
{
	size_t i;

	for (i = y->nanchors; i-- > 0;)
		if (strcmp(y->anchors[i].name, (const char *)name) == 0) {
			if (!expands(y, y->anchors[i].node))
				dieat(y, m, "aliases expand to more than %d "
				    "nodes or %lu MB of text: refused",
				    ZN_YAML_MAXALIAS,
				    ZN_YAML_MAXALIASB / 1024 / 1024);
			return need(json_deep_copy(y->anchors[i].node));
		}
	dieat(y, m, "unknown alias '*%s'", (const char *)name);
}

/* Where the reader stopped: libyaml gives an offset, not a mark. */
static yaml_mark_t
offsetmark(const struct zn_yaml *y, size_t off)
{
	yaml_mark_t m;
	size_t i;

	memset(&m, 0, sizeof(m));
	for (i = 0; i < off && i < y->len; i++) {
		if (y->data[i] == '\n') {
			m.line++;
			m.column = 0;
		} else if (((unsigned char)y->data[i] & 0xc0) != 0x80)
			m.column++;
	}
	return m;
}

static void
parse(struct zn_yaml *y, yaml_parser_t *p)
{
	yaml_event_t ev;
	json_t *v;
	int docs = 0, done = 0;
	const char *text, *tag;

	while (!done) {
		if (!yaml_parser_parse(p, &ev)) {
			if (p->error == YAML_MEMORY_ERROR)
				oom();
			if (p->error == YAML_READER_ERROR)
				dieat(y, offsetmark(y, p->problem_offset),
				    "%s", p->problem != NULL ? p->problem :
				    "invalid text");
			if (p->context != NULL)
				dieat(y, p->problem_mark, "%s %s", p->problem,
				    p->context);
			dieat(y, p->problem_mark, "%s",
			    p->problem != NULL ? p->problem : "invalid YAML");
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1)
				dieat(y, ev.start_mark,
				    "only one YAML document is allowed");
			break;
		case YAML_SCALAR_EVENT:
			text = (const char *)ev.data.scalar.value;
			if (strlen(text) != ev.data.scalar.length)
				dieat(y, ev.start_mark,
				    "NUL character in a scalar");
			if (wantkey(y)) {
				setkey(y, text, ev.start_mark);
				break;
			}
			tag = (const char *)ev.data.scalar.tag;
			/* Checked first: jansson's NULL then means memory. */
			if (!zn_utf8_valid(text, ev.data.scalar.length))
				dieat(y, ev.start_mark,
				    "scalar is not valid UTF-8");
			if (ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
			    (tag == NULL || strcmp(tag, "!") == 0))
				v = need(plain(text));
			else
				v = need(json_string(text));
			anchor(y, ev.data.scalar.anchor, v);
			place(y, v, ev.start_mark);
			break;
		case YAML_ALIAS_EVENT:
			if (wantkey(y))
				dieat(y, ev.start_mark,
				    "an alias cannot be a mapping key");
			place(y, alias(y, ev.data.alias.anchor,
			    ev.start_mark), ev.start_mark);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (wantkey(y))
				dieat(y, ev.start_mark,
				    "mapping keys must be plain scalars");
			if (y->depth >= ZN_YAML_MAXDEPTH)
				dieat(y, ev.start_mark, "nested deeper than "
				    "%d levels: refused", ZN_YAML_MAXDEPTH);
			v = need(ev.type == YAML_SEQUENCE_START_EVENT ?
			    json_array() : json_object());
			anchor(y, ev.type == YAML_SEQUENCE_START_EVENT ?
			    ev.data.sequence_start.anchor :
			    ev.data.mapping_start.anchor, v);
			place(y, v, ev.start_mark);
			push(y, v);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			y->depth--;
			free(y->stack[y->depth].key);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
}

struct zn_yaml *
zn_yaml_load_buf(const char *name, const char *data, size_t len)
{
	struct zn_yaml *y = zn_xcalloc(1, sizeof(*y));
	yaml_parser_t p;

	y->name = zn_xstrdup(name);
	y->data = data;
	y->len = len;
	if (!yaml_parser_initialize(&p))
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot start the YAML parser");
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	parse(y, &p);
	yaml_parser_delete(&p);
	y->data = NULL;
	return y;
}

struct zn_yaml *
zn_yaml_load(const char *path)
{
	struct zn_buf b = ZN_BUF_INIT;
	struct zn_yaml *y;

	zn_buf_readfile(&b, path);
	y = zn_yaml_load_buf(path, b.buf, b.len);
	zn_buf_release(&b);
	return y;
}

json_t *
zn_yaml_root(const struct zn_yaml *y)
{
	return y->root;
}

const char *
zn_yaml_name(const struct zn_yaml *y)
{
	return y->name;
}

static int
find(const struct zn_yaml *y, const json_t *c, const char *key,
    size_t index, int iskey, int *line, int *col)
{
	size_t i;

	for (i = 0; i < y->nmarks; i++) {
		const struct mark *k = &y->marks[i];

		if (k->container != c || k->iskey != iskey)
			continue;
		if (key == NULL ? (k->key == NULL && k->index == index) :
		    (k->key != NULL && strcmp(k->key, key) == 0)) {
			*line = k->line;
			*col = k->col;
			return 0;
		}
	}
	return -1;
}

int
zn_yaml_where(const struct zn_yaml *y, const json_t *container,
    const char *key, size_t index, int *line, int *col)
{
	return find(y, container, key, index, 0, line, col);
}

int
zn_yaml_where_key(const struct zn_yaml *y, const json_t *container,
    const char *key, int *line, int *col)
{
	return find(y, container, key, 0, 1, line, col);
}

void
zn_yaml_die(const struct zn_yaml *y, const json_t *container,
    const char *key, size_t index, const char *fmt, ...)
{
	struct zn_buf b = ZN_BUF_INIT;
	va_list ap;
	int line = 0, col = 0;

	va_start(ap, fmt);
	zn_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (zn_yaml_where(y, container, key, index, &line, &col) == 0)
		zn_die(ZN_EXIT_DATAERR, "%s:%d:%d: %s", y->name, line, col,
		    b.buf);
	zn_die(ZN_EXIT_DATAERR, "%s: %s", y->name, b.buf);
}

void
zn_yaml_free(struct zn_yaml *y)
{
	size_t i;

	if (y == NULL)
		return;
	for (i = 0; i < y->nmarks; i++)
		free(y->marks[i].key);
	for (i = 0; i < y->nanchors; i++)
		free(y->anchors[i].name);
	for (i = 0; i < y->depth; i++)
		free(y->stack[i].key);
	free(y->marks);
	free(y->anchors);
	free(y->stack);
	json_decref(y->root);
	free(y->name);
	free(y);
}
