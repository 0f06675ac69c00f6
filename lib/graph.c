/* SPDX-License-Identifier: ISC */
/*
 * graph.c: the schema graph of zn-records(5): canonical order, the hash
 * of the body, and reading a stored graph back with every check a
 * consumer needs before it trusts one.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

int
zn_graph_offline(const struct zn_graph *g)
{
	return json_is_true(json_object_get(g->source, "offline"));
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

	v = json_loadb(g->recs[i].line, g->recs[i].len, JSON_REJECT_DUPLICATES,
	    &err);
	if (v == NULL)
		zn_die(ZN_EXIT_DATAERR, "a record of the graph is not valid "
		    "JSON: %s", err.text);
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
			zn_die_write(fp);
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
		if (g->block == NULL)
			free(g->recs[i].line);
	}
	free(g->recs);
	free(g->block);
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

/*
 * Reads a graph line by line, parsing and canonicalising each record:
 * slow, but what a hand-made or damaged graph needs, and where every
 * refusal is made.
 */
static void
slowread(struct zn_graph *g, const char *name, const char *buf, size_t len)
{
	struct zn_jsonl r;
	json_t *rec = NULL, *hdr, *end = NULL, *v;
	const char *kind, *hash;
	size_t i;

	memset(g, 0, sizeof(*g));
	zn_jsonl_open_mem(&r, name, buf, len);
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

/*
 * The fast path.  A graph that zanith wrote is read without parsing its
 * records: each line is checked to be a JSON object (strictly, UTF-8
 * included) in one pass that also picks out the keys it sorts by, and
 * the graph is taken as it stands when its records are in canonical
 * order, their lines hash to the header's hash, and the header and the
 * trailer agree.  Anything else (a graph written by hand, spaced out,
 * reordered, damaged) goes to slowread, which canonicalises or refuses
 * it with the exact reason.  Records are parsed later, one at a time,
 * by whoever needs their fields (zn_graph_get).
 */
/* The keys a body record sorts by, picked out of its line. */
struct fastkeys {
	char *v[5];		/* kind, schema, table, name, arguments */
	int columns;		/* has a "columns" array */
};
static const char *const fastkeynames[5] = { "kind", "schema", "table",
    "name", "arguments" };

static void
fastkeys_free(struct fastkeys *k)
{
	int i;

	for (i = 0; i < 5; i++)
		free(k->v[i]);
	memset(k, 0, sizeof(*k));
}

/*
 * Checks that line is one JSON object with nothing around it and fills
 * k.  Returns 0 when the line is not for the fast path.
 */
static int
fastrec(const char *line, size_t len, struct fastkeys *k)
{
	struct zn_jscan s;
	const char *key, *v;
	size_t kn, vn;
	unsigned int seen = 0;
	int esc, vesc, i, hard = 0;

	memset(k, 0, sizeof(*k));
	s.p = (const unsigned char *)line;
	s.e = s.p + len;
	s.uesc = 0;
	if (len < 2 || line[0] != '{' || line[len - 1] != '}')
		return 0;
	s.p++;
	zn_jscan_ws(&s);
	if (s.p < s.e && *s.p == '}')
		s.p++;
	else
		for (;;) {
			if (!zn_jscan_string(&s, &key, &kn, &esc))
				goto bad;
			zn_jscan_ws(&s);
			if (s.p == s.e || *s.p++ != ':')
				goto bad;
			zn_jscan_ws(&s);
			for (i = 0; i < 5; i++)
				if (!esc && strlen(fastkeynames[i]) == kn &&
				    memcmp(fastkeynames[i], key, kn) == 0)
					break;
			if (esc)
				hard = 1;	/* an escaped key: let jansson see */
			if (i == 5 && !esc && kn == 7 &&
			    memcmp(key, "columns", 7) == 0)
				k->columns = s.p < s.e && *s.p == '[';
			else if (i == 5)
				i = 6;
			if (i < 6 && (seen & (1u << i)) != 0)
				goto bad;	/* a duplicate key */
			if (i < 6)
				seen |= 1u << i;
			if (i < 5 && s.p < s.e && *s.p == '"') {
				if (!zn_jscan_string(&s, &v, &vn, &vesc))
					goto bad;
				if (vesc)
					hard = 1;
				else
					k->v[i] = zn_xstrndup(v, vn);
			} else if (!zn_jscan_value(&s, 1))
				goto bad;
			zn_jscan_ws(&s);
			if (s.p == s.e)
				goto bad;
			if (*s.p == '}') {
				s.p++;
				break;
			}
			if (*s.p++ != ',')
				goto bad;
			zn_jscan_ws(&s);
		}
	if (s.p != s.e)
		goto bad;
	if (hard || s.uesc) {
		/* Escapes: jansson checks the line and gives the keys. */
		json_t *rec = json_loadb(line, len, JSON_REJECT_DUPLICATES,
		    NULL);

		fastkeys_free(k);
		if (!json_is_object(rec)) {
			json_decref(rec);
			return 0;
		}
		for (i = 0; i < 5; i++) {
			const char *x = zn_json_str(rec, fastkeynames[i]);

			k->v[i] = x != NULL ? zn_xstrdup(x) : NULL;
		}
		k->columns = json_is_array(json_object_get(rec, "columns"));
		json_decref(rec);
	}
	return 1;
bad:
	fastkeys_free(k);
	return 0;
}

/* Whether the keys make a well-formed body record (as checkrec). */
static int
fastok(const struct fastkeys *k)
{
	int rank = zn_graph_kind_rank(k->v[0]);

	if (rank < 0 || k->v[3] == NULL)
		return 0;
	if (!kinds[rank].global && k->v[1] == NULL)
		return 0;
	if (kinds[rank].table && k->v[2] == NULL)
		return 0;
	if (kinds[rank].args && k->v[4] == NULL)
		return 0;
	if (strcmp(k->v[0], "table") == 0 && !k->columns)
		return 0;
	return 1;
}

/* A header or trailer line parsed, or NULL. */
static json_t *
fastjson(const char *line, size_t len, const char *kind)
{
	json_t *v = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
	const char *k = zn_json_str(v, "kind");

	if (k == NULL || strcmp(k, kind) != 0) {
		json_decref(v);
		return NULL;
	}
	return v;
}

/*
 * On success the graph takes buf as its block: the records' lines are
 * in it, each ended by a NUL where its newline was.
 */
static int
fastread(struct zn_graph *g, char *buf, size_t len)
{
	char *p = buf, *e = buf + len, *nl;
	const char *hash;
	json_t *hdr = NULL, *end = NULL, *v;
	struct zn_sha256 *h = NULL;
	struct fastkeys k;
	struct zn_grec *r;
	size_t n;
	int ok = 0;

	memset(g, 0, sizeof(*g));
	if (len == 0 || (nl = memchr(p, '\n', len)) == NULL || (hdr = fastjson(p, (size_t)(nl - p), "graph")) ==
	    NULL)
		return 0;
	v = json_object_get(hdr, "v");
	if (!json_is_integer(v) || json_integer_value(v) != GRAPH_VERSION ||
	    (hash = zn_json_str(hdr, "hash")) == NULL)
		goto out;
	v = json_object_get(hdr, "server_version_num");
	if (v != NULL && !json_is_integer(v) && !json_is_null(v))
		goto out;
	g->server_version_num = json_is_integer(v) ?
	    (long)json_integer_value(v) : 0;
	v = json_object_get(hdr, "renames");
	if (v != NULL && badrenames(v) != NULL)
		goto out;
	h = zn_sha256_new();
	for (p = nl + 1; p < e; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(e - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(e - p);
		if (nl == NULL)
			nl = e;
		if (n > 14 && memcmp(p, "{\"kind\":\"end\"", 13) == 0) {
			if (nl < e && nl + 1 != e)
				goto out;	/* something after the trailer */
			end = fastjson(p, n, "end");
			break;
		}
		if (!fastrec(p, n, &k))
			goto out;
		if (!fastok(&k)) {
			fastkeys_free(&k);
			goto out;
		}
		zn_graph_add_line(g, k.v[0], k.v[1], k.v[2], k.v[3], k.v[4],
		    p, n);
		fastkeys_free(&k);
		r = &g->recs[g->nrecs - 1];
		if (g->nrecs > 1 && cmprec(r - 1, r) >= 0)
			goto out;
		zn_sha256_update(h, p, n);
		zn_sha256_update(h, "\n", 1);
	}
	if (end == NULL)
		goto out;
	zn_sha256_final(h, g->hash);
	h = NULL;
	v = json_object_get(end, "objects");
	if (strcmp(hash, g->hash) != 0 || !json_is_integer(v) ||
	    json_integer_value(v) < 0 ||
	    (size_t)json_integer_value(v) != g->nrecs ||
	    zn_json_str(end, "hash") == NULL ||
	    strcmp(zn_json_str(end, "hash"), g->hash) != 0)
		goto out;
	g->source = json_incref(json_object_get(hdr, "source"));
	g->renames = json_incref(json_object_get(hdr, "renames"));
	for (n = 0; n < g->nrecs; n++)
		g->recs[n].line[g->recs[n].len] = '\0';
	g->block = buf;
	ok = 1;
out:
	if (h != NULL) {
		char discard[ZN_SHA256_STRLEN];

		zn_sha256_final(h, discard);
	}
	json_decref(hdr);
	json_decref(end);
	if (!ok) {
		for (n = 0; n < g->nrecs; n++)
			g->recs[n].line = NULL;	/* they are in buf */
		zn_graph_release(g);
	}
	return ok;
}

void
zn_graph_read(struct zn_graph *g, const char *path)
{
	struct zn_buf in = ZN_BUF_INIT;
	const char *name = zn_buf_readpath(&in, path);

	if (fastread(g, in.buf, in.len))
		zn_buf_init(&in);	/* the graph has it */
	else
		slowread(g, name, in.buf, in.len);
	zn_buf_release(&in);
}
