/* SPDX-License-Identifier: ISC */
/*
 * graph.c: the schema graph of zn-records(5): canonical order, the hash
 * of the body, and reading a stored graph back with every check a
 * consumer needs before it trusts one.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "zn.h"

#define GRAPH_VERSION 1

/*
 * The record kinds, in canonical order.  "table" says the record names
 * its table (triggers); "args" that it carries an identity argument list
 * that is part of its key (routines); "global" that it lives in no schema.
 */
static const struct kind {
	const char *name;
	int global, table, args;
} kinds[] = {
	{ "extension", 1, 0, 0 },
	{ "schema", 1, 0, 0 },
	{ "enum", 0, 0, 0 },
	{ "sequence", 0, 0, 0 },
	{ "table", 0, 0, 0 },
	{ "view", 0, 0, 0 },
	{ "materialized_view", 0, 0, 0 },
	{ "function", 0, 0, 1 },
	{ "procedure", 0, 0, 1 },
	{ "trigger", 0, 1, 0 },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* Arrays inside records whose order means nothing: sorted by name. */
static const char *const named_arrays[] = { "checks", "exclusions",
    "foreign_keys", "indexes", "policies", "uniques" };

int
zn_graph_kind_rank(const char *kind)
{
	size_t i;

	for (i = 0; kind != NULL && i < NKINDS; i++)
		if (strcmp(kinds[i].name, kind) == 0)
			return (int)i;
	return -1;
}

static int
strcmpnull(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int
cmprec(const void *pa, const void *pb)
{
	const struct zn_grec *a = pa, *b = pb;
	int c;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if ((c = strcmpnull(a->schema, b->schema)) != 0)
		return c;
	if ((c = strcmpnull(a->table, b->table)) != 0)
		return c;
	if ((c = strcmpnull(a->name, b->name)) != 0)
		return c;
	return strcmpnull(a->args, b->args);
}

static int
cmpnamed(const void *pa, const void *pb)
{
	return strcmpnull(zn_json_str(*(const json_t *const *)pa, "name"),
	    zn_json_str(*(const json_t *const *)pb, "name"));
}

/* Sorts the arrays of a table-like record whose order is not semantic. */
static void
sortarrays(json_t *rec)
{
	json_t *a, **v, *e;
	size_t i, j, n;

	for (i = 0; i < sizeof(named_arrays) / sizeof(named_arrays[0]); i++) {
		a = json_object_get(rec, named_arrays[i]);
		if (!json_is_array(a) || (n = json_array_size(a)) < 2)
			continue;
		v = zn_xreallocarray(NULL, n, sizeof(*v));
		json_array_foreach(a, j, e)
			v[j] = json_incref(e);
		qsort(v, n, sizeof(*v), cmpnamed);
		json_array_clear(a);
		for (j = 0; j < n; j++)
			json_array_append_new(a, v[j]);
		free(v);
	}
}

static char *
dupnull(const char *s)
{
	return s != NULL ? zn_xstrdup(s) : NULL;
}

void
zn_graph_add_line(struct zn_graph *g, const char *kind, const char *schema,
    const char *table, const char *name, const char *args, char *line,
    size_t len)
{
	struct zn_grec *r;

	if (g->nrecs == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->recs = zn_xreallocarray(g->recs, g->cap, sizeof(*g->recs));
	}
	r = &g->recs[g->nrecs++];
	r->rank = zn_graph_kind_rank(kind);
	r->schema = dupnull(schema);
	r->table = dupnull(table);
	r->name = dupnull(name);
	r->args = dupnull(args);
	r->line = line;
	r->len = len;
}

void
zn_graph_add(struct zn_graph *g, json_t *rec)
{
	struct zn_buf b = ZN_BUF_INIT;
	struct zn_jw w;
	size_t len;

	sortarrays(rec);
	zn_jw_init(&w, &b);
	zn_jw_json(&w, rec);
	len = b.len;
	zn_graph_add_line(g, zn_json_str(rec, "kind"),
	    zn_json_str(rec, "schema"), zn_json_str(rec, "table"),
	    zn_json_str(rec, "name"), zn_json_str(rec, "arguments"),
	    zn_buf_detach(&b), len);
	json_decref(rec);
}

void
zn_graph_finish(struct zn_graph *g)
{
	struct zn_sha256 *h;
	size_t i;

	qsort(g->recs, g->nrecs, sizeof(*g->recs), cmprec);
	h = zn_sha256_new();
	for (i = 0; i < g->nrecs; i++) {
		zn_sha256_update(h, g->recs[i].line, g->recs[i].len);
		zn_sha256_update(h, "\n", 1);
	}
	zn_sha256_final(h, g->hash);
}

json_t *
zn_graph_get(const struct zn_graph *g, size_t i)
{
	json_error_t err;
	json_t *v;

	v = json_loadb(g->recs[i].line, g->recs[i].len, 0, &err);
	if (v == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot read back a record: %s",
		    err.text);
	return v;
}

void
zn_graph_write(const struct zn_graph *g, FILE *fp)
{
	json_t *hdr, *end;
	size_t i;

	hdr = json_pack("{s:s, s:i, s:O, s:I, s:s}", "kind", "graph", "v",
	    GRAPH_VERSION, "source", g->source != NULL ? g->source :
	    json_null(), "server_version_num",
	    (json_int_t)g->server_version_num, "hash", g->hash);
	end = json_pack("{s:s, s:I, s:s}", "kind", "end", "objects",
	    (json_int_t)g->nrecs, "hash", g->hash);
	if (hdr == NULL || end == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot build the graph header");
	if (json_array_size(g->renames) > 0 &&
	    json_object_set(hdr, "renames", g->renames) != 0)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot build the graph header");
	zn_json_emit(fp, hdr);
	for (i = 0; i < g->nrecs; i++) {
		if (fwrite(g->recs[i].line, 1, g->recs[i].len, fp) !=
		    g->recs[i].len || putc('\n', fp) == EOF)
			zn_die_errno(ZN_EXIT_UNAVAILABLE, "write error");
	}
	zn_json_emit(fp, end);
	json_decref(hdr);
	json_decref(end);
}

void
zn_graph_release(struct zn_graph *g)
{
	size_t i;

	for (i = 0; i < g->nrecs; i++) {
		free(g->recs[i].schema);
		free(g->recs[i].table);
		free(g->recs[i].name);
		free(g->recs[i].args);
		free(g->recs[i].line);
	}
	free(g->recs);
	json_decref(g->source);
	json_decref(g->renames);
	memset(g, 0, sizeof(*g));
}

/*
 * Checks one body record's shape; on a fault formats the message,
 * releases rec and hdr, and dies with the record's line.
 */
#define BAD(...) do {							\
		char *msg_ = zn_xasprintf(__VA_ARGS__);			\
		json_decref(rec);					\
		json_decref(hdr);					\
		zn_jsonl_die(r, "%s", msg_);				\
	} while (0)

static void
checkrec(const struct zn_jsonl *r, json_t *rec, json_t *hdr)
{
	const char *kind = zn_json_str(rec, "kind");
	const struct kind *k;
	int rank = zn_graph_kind_rank(kind);

	if (rank < 0)
		BAD("unknown record kind '%s' in a graph", kind);
	k = &kinds[rank];
	if (zn_json_str(rec, "name") == NULL)
		BAD("%s record has no string \"name\"", kind);
	if (!k->global && zn_json_str(rec, "schema") == NULL)
		BAD("%s record has no string \"schema\"", kind);
	if (k->table && zn_json_str(rec, "table") == NULL)
		BAD("%s record has no string \"table\"", kind);
	if (k->args && zn_json_str(rec, "arguments") == NULL)
		BAD("%s record has no string \"arguments\"", kind);
	if (strcmp(kind, "table") == 0 &&
	    !json_is_array(json_object_get(rec, "columns")))
		BAD("table record has no \"columns\" array");
}

/*
 * The header's rename hints: [{kind, schema, table?, name, from}].
 * Returns NULL when they are well formed, else what is wrong.
 */
static const char *
badrenames(const json_t *v)
{
	static const char *const kinds_[] = { "table", "enum", "column",
	    "index", "constraint", "enum_value", NULL };
	const json_t *e;
	const char *k;
	size_t i, j;

	if (!json_is_array(v))
		return "\"renames\" must be an array";
	json_array_foreach(v, i, e) {
		k = zn_json_str(e, "kind");
		for (j = 0; k != NULL && kinds_[j] != NULL; j++)
			if (strcmp(k, kinds_[j]) == 0)
				break;
		if (k == NULL || kinds_[j] == NULL)
			return "a rename hint has no known \"kind\"";
		if (zn_json_str(e, "schema") == NULL ||
		    zn_json_str(e, "name") == NULL ||
		    zn_json_str(e, "from") == NULL)
			return "a rename hint needs string \"schema\", "
			    "\"name\" and \"from\"";
		if (strcmp(k, "table") != 0 && strcmp(k, "enum") != 0 &&
		    zn_json_str(e, "table") == NULL)
			return "a rename hint below a table or type needs "
			    "\"table\"";
	}
	return NULL;
}

/*
 * Dies for the record being read, after releasing what is in flight so
 * that a refused graph leaks nothing.
 */
#define REFUSE(...) do {						\
		char *msg_ = zn_xasprintf(__VA_ARGS__);			\
		json_decref(hdr);					\
		json_decref(end);					\
		json_decref(rec);					\
		zn_jsonl_die(&r, "%s", msg_);				\
	} while (0)

void
zn_graph_read(struct zn_graph *g, const char *path)
{
	struct zn_jsonl r;
	json_t *rec = NULL, *hdr, *end = NULL, *v;
	const char *kind, *hash;
	size_t i;

	memset(g, 0, sizeof(*g));
	zn_jsonl_open(&r, path);
	hdr = zn_jsonl_next(&r);
	if (hdr == NULL)
		zn_die(ZN_EXIT_DATAERR, "%s: empty input: no graph header",
		    r.name);
	kind = zn_json_str(hdr, "kind");
	if (strcmp(kind, "graph") != 0)
		REFUSE("not a schema graph: the first record is '%s', not "
		    "'graph'", kind);
	v = json_object_get(hdr, "v");
	if (!json_is_integer(v))
		REFUSE("graph header has no integer \"v\"");
	if (json_integer_value(v) != GRAPH_VERSION)
		REFUSE("graph version %" JSON_INTEGER_FORMAT " is not "
		    "supported (this version reads %d)",
		    json_integer_value(v), GRAPH_VERSION);
	if (zn_json_str(hdr, "hash") == NULL)
		REFUSE("graph header has no string \"hash\"");
	v = json_object_get(hdr, "server_version_num");
	if (v != NULL && !json_is_integer(v) && !json_is_null(v))
		REFUSE("\"server_version_num\" must be an integer");
	g->server_version_num = json_is_integer(v) ?
	    (long)json_integer_value(v) : 0;
	g->source = json_incref(json_object_get(hdr, "source"));
	v = json_object_get(hdr, "renames");
	if (v != NULL) {
		const char *why = badrenames(v);

		if (why != NULL)
			REFUSE("%s", why);
		g->renames = json_incref(v);
	}
	while ((rec = zn_jsonl_next(&r)) != NULL) {
		if (end != NULL)
			REFUSE("record after the graph trailer");
		if (strcmp(zn_json_str(rec, "kind"), "end") == 0) {
			end = rec;
			rec = NULL;
			v = json_object_get(end, "objects");
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    (size_t)json_integer_value(v) != g->nrecs)
				REFUSE("graph trailer counts %s objects but "
				    "%zu were read", json_is_integer(v) ?
				    "other" : "no", g->nrecs);
			continue;
		}
		checkrec(&r, rec, hdr);
		zn_graph_add(g, rec);
	}
	if (end == NULL) {
		json_decref(hdr);
		zn_die(ZN_EXIT_DATAERR, "%s:%zu: truncated graph: no trailer "
		    "record", r.name, r.lineno);
	}
	zn_graph_finish(g);
	for (i = 1; i < g->nrecs; i++)
		if (cmprec(&g->recs[i - 1], &g->recs[i]) == 0) {
			json_decref(hdr);
			json_decref(end);
			zn_die(ZN_EXIT_DATAERR, "%s: duplicate %s '%s'",
			    r.name, kinds[g->recs[i].rank].name,
			    g->recs[i].name);
		}
	hash = zn_json_str(hdr, "hash");
	if (strcmp(hash, g->hash) != 0)
		zn_die(ZN_EXIT_DATAERR, "%s: hash mismatch: the header says "
		    "%s but the records hash to %s", r.name, hash, g->hash);
	hash = zn_json_str(end, "hash");
	if (hash == NULL || strcmp(hash, g->hash) != 0)
		zn_die(ZN_EXIT_DATAERR, "%s: hash mismatch: the trailer says "
		    "%s but the records hash to %s", r.name,
		    hash != NULL ? hash : "nothing", g->hash);
	json_decref(hdr);
	json_decref(end);
	zn_jsonl_close(&r);
}
