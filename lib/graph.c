/* SPDX-License-Identifier: ISC */
/*
 * graph.c: the schema graph of zn-records(5): canonical order, the hash
 * of the body, and reading a stored graph back with every check a
 * consumer needs before it trusts one.
 */
#ifdef __linux__
#define _DEFAULT_SOURCE		/* MAP_POPULATE */
#endif
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "zn.h"

#define GRAPH_VERSION 1

/*
 * The shape of every record kind, as zn-records(5) gives it, checked
 * before anything reads a record's members: a record that passes has a
 * string wherever the planner takes one.  Member types: 's' string,
 * 'S' string or null, 'b' boolean, 'a' array of strings, 'o' object of
 * shape sub, 'O' that or null, 'A' array of objects of shape sub.  Only
 * 's' and 'o' must be present; an absent member of another type reads
 * as null, false or empty, as older graphs lack newer members.
 */
struct member {
	const char *name;
	char type;
	const struct member *sub;
};
#define END { NULL, 0, NULL }
static const struct member m_schname[] = { { "schema", 's', NULL },
	{ "name", 's', NULL }, END };
static const struct member m_keypart[] = { { "column", 'S', NULL },
	{ "expression", 'S', NULL }, { "opclass", 'S', NULL },
	{ "order", 'S', NULL }, { "nulls", 'S', NULL }, END };
static const struct member m_index[] = { { "name", 's', NULL },
	{ "definition", 's', NULL }, { "method", 's', NULL },
	{ "unique", 'b', NULL }, { "nulls_not_distinct", 'b', NULL },
	{ "valid", 'b', NULL }, { "keys", 'A', m_keypart },
	{ "include", 'a', NULL }, { "where", 'S', NULL },
	{ "options", 'a', NULL }, { "parent", 'O', m_schname },
	{ "statistics", 'a', NULL }, { "comment", 'S', NULL }, END };
static const struct member m_check[] = { { "name", 's', NULL },
	{ "expression", 's', NULL }, { "definition", 's', NULL },
	{ "not_valid", 'b', NULL }, { "no_inherit", 'b', NULL },
	{ "inherited", 'b', NULL }, { "comment", 'S', NULL }, END };
static const struct member m_generated[] = { { "expression", 's', NULL },
	{ "stored", 'b', NULL }, END };
static const struct member m_identity[] = { { "generation", 's', NULL },
	{ "sequence_schema", 's', NULL }, { "sequence", 's', NULL },
	{ "start", 's', NULL }, { "increment", 's', NULL },
	{ "min", 's', NULL }, { "max", 's', NULL }, { "cache", 's', NULL },
	{ "cycle", 'b', NULL }, END };
static const struct member m_column[] = { { "name", 's', NULL },
	{ "type", 's', NULL }, { "not_null", 'b', NULL },
	{ "default", 'S', NULL }, { "generated", 'O', m_generated },
	{ "identity", 'O', m_identity }, { "collation", 'S', NULL },
	{ "inherited", 'b', NULL }, { "comment", 'S', NULL },
	{ "statistics", 'S', NULL }, { "options", 'a', NULL }, END };
static const struct member m_exclusion[] = { { "name", 's', NULL },
	{ "deferrable", 'b', NULL }, { "deferred", 'b', NULL },
	{ "definition", 's', NULL }, { "comment", 'S', NULL }, END };
static const struct member m_references[] = { { "schema", 's', NULL },
	{ "table", 's', NULL }, { "columns", 'a', NULL }, END };
static const struct member m_fk[] = { { "name", 's', NULL },
	{ "columns", 'a', NULL }, { "references", 'o', m_references },
	{ "on_update", 's', NULL }, { "on_delete", 's', NULL },
	{ "match", 's', NULL }, { "deferrable", 'b', NULL },
	{ "deferred", 'b', NULL }, { "not_valid", 'b', NULL },
	{ "definition", 's', NULL }, { "comment", 'S', NULL }, END };
static const struct member m_partof[] = { { "schema", 's', NULL },
	{ "name", 's', NULL }, { "bound", 's', NULL }, END };
static const struct member m_policy[] = { { "name", 's', NULL },
	{ "command", 's', NULL }, { "permissive", 'b', NULL },
	{ "roles", 'a', NULL }, { "using", 'S', NULL },
	{ "with_check", 'S', NULL }, { "comment", 'S', NULL }, END };
static const struct member m_unique[] = { { "name", 's', NULL },
	{ "columns", 'a', NULL }, { "include", 'a', NULL },
	{ "deferrable", 'b', NULL }, { "deferred", 'b', NULL },
	{ "definition", 's', NULL }, { "comment", 'S', NULL },
	{ "nulls_not_distinct", 'b', NULL }, END };
static const struct member m_rls[] = { { "enabled", 'b', NULL },
	{ "forced", 'b', NULL }, END };
static const struct member m_viewcol[] = { { "name", 's', NULL },
	{ "type", 's', NULL }, { "comment", 'S', NULL }, END };
static const struct member m_depends[] = { { "schema", 's', NULL },
	{ "name", 's', NULL }, { "columns", 'a', NULL }, END };
static const struct member m_owner[] = { { "schema", 's', NULL },
	{ "table", 's', NULL }, { "column", 's', NULL }, END };

static const struct member m_priv[] = { { "action", 's', NULL },
	{ "column", 'S', NULL }, { "grantable", 'b', NULL },
	{ "grantee", 's', NULL }, { "privilege", 's', NULL }, END };

static const struct member r_extension[] = { { "schema", 's', NULL },
	{ "version", 'S', NULL },
	{ "comment", 'S', NULL }, END };
static const struct member r_schema[] = { { "comment", 'S', NULL },
	{ "privileges", 'A', m_priv }, END };
static const struct member r_defacl[] = { { "schema", 'S', NULL },
	{ "role", 's', NULL }, { "privileges", 'A', m_priv }, END };
static const struct member r_collation[] = { { "provider", 's', NULL },
	{ "locale", 'S', NULL }, { "lc_collate", 'S', NULL },
	{ "lc_ctype", 'S', NULL }, { "deterministic", 'b', NULL },
	{ "comment", 'S', NULL }, END };
static const struct member r_tsdict[] = { { "template", 's', NULL },
	{ "options", 'S', NULL }, { "comment", 'S', NULL }, END };
static const struct member m_tsmap[] = { { "token", 's', NULL },
	{ "dictionaries", 'a', NULL }, END };
static const struct member r_tsconfig[] = { { "parser", 's', NULL },
	{ "mappings", 'A', m_tsmap }, { "comment", 'S', NULL }, END };
static const struct member r_enum[] = { { "values", 'a', NULL },
	{ "comment", 'S', NULL }, { "privileges", 'A', m_priv }, END };
static const struct member m_dcheck[] = { { "name", 's', NULL },
	{ "definition", 's', NULL }, { "not_valid", 'b', NULL },
	{ "comment", 'S', NULL }, END };
static const struct member r_domain[] = { { "type", 's', NULL },
	{ "not_null", 'b', NULL }, { "default", 'S', NULL },
	{ "collation", 'S', NULL }, { "checks", 'A', m_dcheck },
	{ "comment", 'S', NULL }, { "privileges", 'A', m_priv }, END };
static const struct member m_attribute[] = { { "name", 's', NULL },
	{ "type", 's', NULL }, { "collation", 'S', NULL },
	{ "comment", 'S', NULL }, END };
static const struct member r_composite[] = {
	{ "attributes", 'A', m_attribute }, { "comment", 'S', NULL },
	{ "privileges", 'A', m_priv }, END };
static const struct member r_sequence[] = { { "type", 's', NULL },
	{ "start", 's', NULL }, { "increment", 's', NULL },
	{ "min", 's', NULL }, { "max", 's', NULL }, { "cache", 's', NULL },
	{ "cycle", 'b', NULL }, { "owned_by", 'O', m_owner },
	{ "comment", 'S', NULL }, { "privileges", 'A', m_priv }, END };
static const struct member r_table[] = { { "access_method", 'S', NULL },
	{ "checks", 'A', m_check }, { "columns", 'A', m_column },
	{ "comment", 'S', NULL }, { "exclusions", 'A', m_exclusion },
	{ "foreign_keys", 'A', m_fk }, { "indexes", 'A', m_index },
	{ "inherits", 'A', m_schname }, { "options", 'a', NULL },
	{ "partition_key", 'S', NULL }, { "partition_of", 'O', m_partof },
	{ "persistence", 's', NULL }, { "policies", 'A', m_policy },
	{ "primary_key", 'O', m_unique }, { "replica_identity", 's', NULL },
	{ "rls", 'O', m_rls }, { "tablespace", 'S', NULL },
	{ "uniques", 'A', m_unique }, { "privileges", 'A', m_priv },
	{ "column_privileges", 'A', m_priv }, END };
static const struct member r_view[] = { { "columns", 'A', m_viewcol },
	{ "definition", 's', NULL }, { "depends_on", 'A', m_depends },
	{ "options", 'a', NULL }, { "comment", 'S', NULL },
	{ "access_method", 'S', NULL }, { "indexes", 'A', m_index },
	{ "populated", 'b', NULL }, { "tablespace", 'S', NULL },
	{ "privileges", 'A', m_priv }, { "column_privileges", 'A', m_priv },
	END };
static const struct member m_uses[] = { { "kind", 's', NULL },
	{ "schema", 's', NULL }, { "name", 's', NULL },
	{ "arguments", 'S', NULL }, { "columns", 'a', NULL },
	{ "method", 'S', NULL }, END };
static const struct member r_routine[] = { { "result", 'S', NULL },
	{ "language", 's', NULL }, { "definition", 's', NULL },
	{ "depends_on", 'A', m_uses }, { "argument_types", 'S', NULL },
	{ "privileges", 'A', m_priv },
	{ "window", 'b', NULL }, { "comment", 'S', NULL }, END };
static const struct member r_aggregate[] = { { "definition", 's', NULL },
	{ "depends_on", 'A', m_uses }, { "result", 'S', NULL },
	{ "comment", 'S', NULL }, END };
static const struct member r_range[] = { { "definition", 's', NULL },
	{ "subtype", 's', NULL }, { "comment", 'S', NULL },
	{ "privileges", 'A', m_priv }, END };
static const struct member r_operator[] = { { "definition", 's', NULL },
	{ "function", 's', NULL }, { "comment", 'S', NULL }, END };
static const struct member m_opmember[] = { { "name", 's', NULL },
	{ "definition", 's', NULL }, END };
static const struct member r_opfamily[] = { { "method", 's', NULL },
	{ "members", 'A', m_opmember }, { "depends_on", 'A', m_uses },
	{ "comment", 'S', NULL }, END };
static const struct member r_opclass[] = { { "method", 's', NULL },
	{ "definition", 's', NULL }, { "depends_on", 'A', m_uses },
	{ "comment", 'S', NULL }, END };
static const struct member r_statistics[] = { { "definition", 's', NULL },
	{ "on", 's', NULL }, { "statistics", 'S', NULL },
	{ "comment", 'S', NULL }, END };
static const struct member r_rule[] = { { "definition", 's', NULL },
	{ "enabled", 's', NULL }, { "comment", 'S', NULL }, END };
static const struct member r_tsdef[] = { { "definition", 's', NULL },
	{ "functions", 'a', NULL }, { "comment", 'S', NULL }, END };
static const struct member r_cast[] = { { "definition", 's', NULL },
	{ "functions", 'a', NULL }, { "source", 's', NULL },
	{ "target", 's', NULL }, { "comment", 'S', NULL }, END };
static const struct member r_evtrigger[] = { { "definition", 's', NULL },
	{ "enabled", 's', NULL }, { "functions", 'a', NULL },
	{ "comment", 'S', NULL }, END };
static const struct member r_fdw[] = { { "definition", 's', NULL },
	{ "functions", 'a', NULL }, { "handler", 'S', NULL },
	{ "validator", 'S', NULL }, { "options", 'a', NULL },
	{ "privileges", 'A', m_priv }, { "comment", 'S', NULL }, END };
static const struct member r_server[] = { { "definition", 's', NULL },
	{ "wrapper", 's', NULL }, { "type", 'S', NULL },
	{ "version", 'S', NULL }, { "options", 'a', NULL },
	{ "privileges", 'A', m_priv }, { "comment", 'S', NULL }, END };
static const struct member r_usermapping[] = {
	{ "definition", 's', NULL }, { "role", 's', NULL },
	{ "server", 's', NULL }, { "options", 'a', NULL }, END };
static const struct member r_publication[] = {
	{ "definition", 's', NULL }, { "all_tables", 'b', NULL },
	{ "objects", 'S', NULL }, { "parameters", 's', NULL },
	{ "schemas", 'a', NULL }, { "tables", 'a', NULL },
	{ "comment", 'S', NULL }, END };
static const struct member m_colcomment[] = { { "name", 's', NULL },
	{ "comment", 's', NULL }, END };
static const struct member r_foreigntable[] = {
	{ "definition", 's', NULL }, { "attach", 'S', NULL },
	{ "column_comments", 'A', m_colcomment },
	{ "options", 'a', NULL }, { "server", 's', NULL },
	{ "tables", 'a', NULL }, { "types", 'a', NULL },
	{ "privileges", 'A', m_priv }, { "column_privileges", 'A', m_priv },
	{ "comment", 'S', NULL }, END };
static const struct member r_trigger[] = { { "definition", 's', NULL },
	{ "enabled", 's', NULL }, { "comment", 'S', NULL }, END };
#undef END

/*
 * The record kinds, in canonical order.  "sub" names the member that is
 * part of the record's key beside its schema and name, and sorts before
 * the name: the table of a trigger or rule, the role of default
 * privileges; "args" that a member after its name is part of its key:
 * 1 its identity argument list (routines), 2 its access method
 * (operator classes and families, keyargs[]); "global" that it need not
 * live in a schema; "shape" its other members.
 */
static const struct kind {
	const char *name;
	int global;
	const char *sub;
	int args;
	const struct member *shape;
} kinds[] = {
	{ "extension", 1, NULL, 0, r_extension },
	{ "schema", 1, NULL, 0, r_schema },
	{ "default_privileges", 1, "role", 0, r_defacl },
	{ "collation", 0, NULL, 0, r_collation },
	{ "text_search_parser", 0, NULL, 0, r_tsdef },
	{ "text_search_template", 0, NULL, 0, r_tsdef },
	{ "text_search_dictionary", 0, NULL, 0, r_tsdict },
	{ "text_search_configuration", 0, NULL, 0, r_tsconfig },
	{ "enum", 0, NULL, 0, r_enum },
	{ "domain", 0, NULL, 0, r_domain },
	{ "composite_type", 0, NULL, 0, r_composite },
	{ "range_type", 0, NULL, 0, r_range },
	{ "sequence", 0, NULL, 0, r_sequence },
	{ "table", 0, NULL, 0, r_table },
	{ "foreign_table", 0, NULL, 0, r_foreigntable },
	{ "view", 0, NULL, 0, r_view },
	{ "materialized_view", 0, NULL, 0, r_view },
	{ "function", 0, NULL, 1, r_routine },
	{ "procedure", 0, NULL, 1, r_routine },
	{ "aggregate", 0, NULL, 1, r_aggregate },
	{ "operator", 0, NULL, 1, r_operator },
	{ "operator_family", 0, NULL, 2, r_opfamily },
	{ "operator_class", 0, NULL, 2, r_opclass },
	{ "statistics", 0, NULL, 0, r_statistics },
	{ "trigger", 0, "table", 0, r_trigger },
	{ "rule", 0, "table", 0, r_rule },
	{ "cast", 1, NULL, 0, r_cast },
	{ "foreign_data_wrapper", 1, NULL, 0, r_fdw },
	{ "foreign_server", 1, NULL, 0, r_server },
	{ "user_mapping", 1, NULL, 0, r_usermapping },
	{ "publication", 1, NULL, 0, r_publication },
	{ "event_trigger", 1, NULL, 0, r_evtrigger },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))
static const char *const keyargs[] = { NULL, "arguments", "method" };

/* Arrays inside records whose order means nothing: sorted by name. */
static const char *const named_arrays[] = { "checks", "exclusions",
    "foreign_keys", "indexes", "policies", "uniques" };

int
zn_graph_kind_rank(const char *kind)
{
	size_t i;

	/* Asked at every record of a scan: the first byte rules out most. */
	for (i = 0; kind != NULL && i < NKINDS; i++)
		if (kinds[i].name[0] == kind[0] &&
		    strcmp(kinds[i].name, kind) == 0)
			return (int)i;
	return -1;
}

static int cmprec(const void *, const void *);

const char *
zn_graph_kind_name(int rank)
{
	return rank >= 0 && (size_t)rank < NKINDS ? kinds[rank].name : "?";
}

/*
 * Up to max records in which graphs a and b differ (by identity, or by
 * text under the same identity), in canonical order, as "kind
 * schema.table.name (only in a | only in b | differs)" lines into out.
 * Their number in all.
 */
size_t
zn_graph_differences(const struct zn_graph *a, const struct zn_graph *b,
    size_t max, struct zn_buf *out)
{
	struct zn_buf ta = ZN_BUF_INIT, tb = ZN_BUF_INIT;
	size_t i = 0, j = 0, n = 0;
	const struct zn_grec *r;
	const char *what;
	int c;

	while (i < a->nrecs || j < b->nrecs) {
		if (i == a->nrecs)
			c = 1;
		else if (j == b->nrecs)
			c = -1;
		else
			c = cmprec(&a->recs[i], &b->recs[j]);
		if (c == 0 && a->recs[i].len == b->recs[j].len &&
		    memcmp(zn_graph_line(a, i, &ta), zn_graph_line(b, j, &tb),
		    a->recs[i].len) == 0) {
			i++;
			j++;
			continue;
		}
		r = c <= 0 ? &a->recs[i] : &b->recs[j];
		what = c < 0 ? "only in the first" : c > 0 ?
		    "only in the second" : "differs";
		if (n++ < max) {
			zn_buf_adds(out, zn_graph_kind_name(r->rank));
			zn_buf_addch(out, ' ');
			if (r->schema != NULL) {
				zn_buf_adds(out, r->schema);
				zn_buf_addch(out, '.');
			}
			if (r->table != NULL) {
				zn_buf_adds(out, r->table);
				zn_buf_addch(out, '.');
			}
			zn_buf_adds(out, r->name != NULL ? r->name : "");
			if (r->args != NULL)
				zn_buf_adds(out, r->args);
			zn_buf_adds(out, " (");
			zn_buf_adds(out, what);
			zn_buf_adds(out, ")\n");
		}
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	zn_buf_release(&ta);
	zn_buf_release(&tb);
	return n;
}

const char *
zn_graph_kind_sub(const char *kind)
{
	int rank = zn_graph_kind_rank(kind);

	return rank >= 0 ? kinds[rank].sub : NULL;
}

const char *
zn_graph_keyargs(const json_t *rec)
{
	int rank = zn_graph_kind_rank(zn_json_str(rec, "kind"));

	return zn_json_str(rec, keyargs[rank >= 0 && kinds[rank].args == 2 ?
	    2 : 1]);
}

/* The member that fills a record's table place in its key. */
static const char *
submember(int rank)
{
	return rank >= 0 && kinds[rank].sub != NULL ? kinds[rank].sub :
	    "table";
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
	r->off = 0;
	if (g->spill == NULL)
		return;
	if (fwrite(line, 1, len, g->spill) != len)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot keep the schema "
		    "graph in a temporary file in %s", g->spilldir);
	r->off = g->spilled;
	g->spilled += (off_t)len;
	r->line = NULL;
	free(line);
}

/*
 * An unlinked file in $TMPDIR (else /tmp), or NULL when none can be
 * made there: the lines then stay in memory, as without spilling.
 */
void
zn_graph_spill(struct zn_graph *g)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd;

	if (g->spill != NULL || g->block != NULL)
		return;
	if (dir == NULL || *dir != '/')
		dir = "/tmp";
	path = zn_xasprintf("%s/zanith-graph.XXXXXX", dir);
	if ((fd = mkstemp(path)) >= 0) {
		unlink(path);
		if ((g->spill = fdopen(fd, "w+")) == NULL)
			close(fd);
		else
			g->spilldir = zn_xstrdup(dir);
	}
	free(path);
}

const char *
zn_graph_line(const struct zn_graph *g, size_t i, struct zn_buf *tmp)
{
	const struct zn_grec *r = &g->recs[i];
	size_t got = 0;
	ssize_t n;

	if (r->line != NULL || r->len == 0)
		return r->line != NULL ? r->line : "";
	zn_buf_reset(tmp);
	zn_buf_grow(tmp, r->len + 1);
	while (got < r->len) {
		n = pread(fileno(g->spill), tmp->buf + got, r->len - got,
		    r->off + (off_t)got);
		if (n <= 0)
			zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot read the "
			    "schema graph back from its temporary file in %s",
			    g->spilldir);
		got += (size_t)n;
	}
	tmp->len = r->len;
	tmp->buf[r->len] = '\0';
	return tmp->buf;
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
	    zn_json_str(rec, "schema"), zn_json_str(rec,
	    submember(zn_graph_kind_rank(zn_json_str(rec, "kind")))),
	    zn_json_str(rec, "name"), zn_graph_keyargs(rec),
	    zn_buf_detach(&b), len);
	json_decref(rec);
}

int
zn_graph_offline(const struct zn_graph *g)
{
	return json_is_true(json_object_get(g->source, "offline"));
}

char *
zn_graph_unmodelled_text(const struct zn_graph *g, size_t max)
{
	struct zn_buf b = ZN_BUF_INIT;
	const json_t *e;
	size_t i, n = json_array_size(g->unmodelled);

	if (n == 0)
		return NULL;
	json_array_foreach(g->unmodelled, i, e) {
		const char *sc = zn_json_str(e, "schema");

		if (i == max) {
			zn_buf_addf(&b, " and %zu more", n - max);
			break;
		}
		zn_buf_addf(&b, "%s%s %s%s%s", i > 0 ? ", " : "",
		    zn_json_str(e, "kind"), sc != NULL ? sc : "",
		    sc != NULL ? "." : "", zn_json_str(e, "name"));
	}
	return zn_buf_detach(&b);
}

void
zn_graph_finish(struct zn_graph *g)
{
	struct zn_buf tmp = ZN_BUF_INIT;
	struct zn_sha256 *h;
	size_t i;

	if (g->nrecs > 1)	/* recs is NULL in an empty graph */
		qsort(g->recs, g->nrecs, sizeof(*g->recs), cmprec);
	if (g->spill != NULL && fflush(g->spill) != 0)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot keep the schema "
		    "graph in a temporary file in %s", g->spilldir);
	h = zn_sha256_new();
	for (i = 0; i < g->nrecs; i++) {
		zn_sha256_update(h, zn_graph_line(g, i, &tmp),
		    g->recs[i].len);
		zn_sha256_update(h, "\n", 1);
	}
	zn_sha256_final(h, g->hash);
	zn_buf_release(&tmp);
}

json_t *
zn_graph_get(const struct zn_graph *g, size_t i)
{
	struct zn_buf tmp = ZN_BUF_INIT, text = ZN_BUF_INIT;
	const char *line;
	struct zn_jscan sc;
	json_error_t err;
	json_t *v;
	char *msg;

	/*
	 * What zanith wrote is its canonical form, read in one pass; any
	 * other text goes to jansson, which says what is wrong with it.
	 */
	line = zn_graph_line(g, i, &text);
	sc.p = (const unsigned char *)line;
	sc.e = sc.p + g->recs[i].len;
	sc.uesc = 0;
	v = zn_jscan_canon(&sc, &tmp);
	zn_buf_release(&tmp);
	if (v != NULL && sc.p != sc.e) {
		json_decref(v);
		v = NULL;
	}
	if (v == NULL)
		v = json_loadb(line, g->recs[i].len, JSON_REJECT_DUPLICATES,
		    &err);
	zn_buf_release(&text);
	if (v == NULL)
		zn_die(ZN_EXIT_DATAERR, "a record of the graph is not valid "
		    "JSON: %s", err.text);
	/* A stored graph read fast was not checked record by record. */
	if ((msg = zn_graph_badrec(v)) != NULL) {
		json_decref(v);
		zn_die(ZN_EXIT_DATAERR, "a record of the graph is malformed: "
		    "%s", msg);
	}
	return v;
}

static int
putfp(void *arg, const char *text, size_t len)
{
	return fwrite(text, 1, len, arg) != len;
}

void
zn_graph_write(const struct zn_graph *g, FILE *fp)
{
	if (zn_graph_emit(g, putfp, fp) != 0)
		zn_die_write(fp);
}

int
zn_graph_emit(const struct zn_graph *g,
    int (*fn)(void *, const char *, size_t), void *arg)
{
	struct zn_buf tmp = ZN_BUF_INIT;
	json_t *hdr, *end;
	char *text;
	size_t i;
	int rc = 0;

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
	if (json_array_size(g->unmodelled) > 0 &&
	    json_object_set(hdr, "unmodelled", g->unmodelled) != 0)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot build the graph header");
	text = zn_json_line(hdr);
	if ((rc = fn(arg, text, strlen(text))) == 0)
		rc = fn(arg, "\n", 1);
	free(text);
	for (i = 0; rc == 0 && i < g->nrecs; i++)
		if ((rc = fn(arg, zn_graph_line(g, i, &tmp),
		    g->recs[i].len)) == 0)
			rc = fn(arg, "\n", 1);
	if (rc == 0) {
		text = zn_json_line(end);
		if ((rc = fn(arg, text, strlen(text))) == 0)
			rc = fn(arg, "\n", 1);
		free(text);
	}
	zn_buf_release(&tmp);
	json_decref(hdr);
	json_decref(end);
	return rc;
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
	if (g->mapped != 0)
		munmap(g->block, g->mapped);
	else
		free(g->block);
	if (g->spill != NULL)
		fclose(g->spill);
	free(g->spilldir);
	json_decref(g->source);
	json_decref(g->renames);
	json_decref(g->unmodelled);
	memset(g, 0, sizeof(*g));
}

/*
 * What is wrong with the shape of obj (NULL when nothing): the path of
 * the first member that is not as shape says, such as "columns[2].name
 * is not a string", written into b.
 */
static int
badshape(const json_t *obj, const struct member *shape, struct zn_buf *b)
{
	const struct member *m;
	const json_t *v, *e;
	size_t i, mark;

	for (m = shape; m->name != NULL; m++) {
		v = json_object_get(obj, m->name);
		mark = b->len;
		switch (m->type) {
		case 's':
			if (json_is_string(v))
				continue;
			zn_buf_addf(b, "%s is not a string", m->name);
			return 1;
		case 'S':
			if (v == NULL || json_is_string(v) || json_is_null(v))
				continue;
			zn_buf_addf(b, "%s is neither a string nor null",
			    m->name);
			return 1;
		case 'b':
			if (v == NULL || json_is_boolean(v))
				continue;
			zn_buf_addf(b, "%s is not a boolean", m->name);
			return 1;
		case 'a':
			if (v != NULL && !json_is_array(v)) {
				zn_buf_addf(b, "%s is not an array", m->name);
				return 1;
			}
			json_array_foreach(v, i, e)
				if (!json_is_string(e)) {
					zn_buf_addf(b, "%s[%zu] is not a "
					    "string", m->name, i);
					return 1;
				}
			continue;
		case 'O':
			if (v == NULL || json_is_null(v))
				continue;
			/* FALLTHROUGH */
		case 'o':
			if (!json_is_object(v)) {
				zn_buf_addf(b, "%s is not an object", m->name);
				return 1;
			}
			zn_buf_addf(b, "%s.", m->name);
			if (badshape(v, m->sub, b))
				return 1;
			b->len = mark;
			continue;
		case 'A':
			if (v != NULL && !json_is_array(v)) {
				zn_buf_addf(b, "%s is not an array", m->name);
				return 1;
			}
			json_array_foreach(v, i, e) {
				if (!json_is_object(e)) {
					zn_buf_addf(b, "%s[%zu] is not an "
					    "object", m->name, i);
					return 1;
				}
				zn_buf_addf(b, "%s[%zu].", m->name, i);
				if (badshape(e, m->sub, b))
					return 1;
				b->len = mark;
			}
			continue;
		}
	}
	return 0;
}

/*
 * What the shape cannot say of default privileges: the objects are one
 * of those ALTER DEFAULT PRIVILEGES takes (SCHEMAS for no schema alone),
 * and the entries of a schema's are grants, since there is nothing in a
 * schema to revoke from (zn-records(5)).
 */
static int
baddefacl(const json_t *rec, struct zn_buf *b)
{
	static const char *const objs[] = { "TABLES", "SEQUENCES",
	    "FUNCTIONS", "TYPES", "SCHEMAS" };
	const char *name = zn_json_str(rec, "name"), *action;
	const json_t *e;
	size_t i;

	for (i = 0; i < sizeof(objs) / sizeof(objs[0]); i++)
		if (strcmp(name, objs[i]) == 0)
			break;
	if (i == sizeof(objs) / sizeof(objs[0])) {
		zn_buf_adds(b, "name is not TABLES, SEQUENCES, FUNCTIONS, "
		    "TYPES or SCHEMAS");
		return 1;
	}
	if (zn_json_str(rec, "schema") != NULL && strcmp(name,
	    "SCHEMAS") == 0) {
		zn_buf_adds(b, "SCHEMAS in a schema");
		return 1;
	}
	json_array_foreach(json_object_get(rec, "privileges"), i, e) {
		action = zn_json_str(e, "action");
		if (zn_json_str(e, "column") != NULL) {
			zn_buf_addf(b, "privileges[%zu].column is not null",
			    i);
			return 1;
		}
		if (strcmp(action, "grant") != 0 && (strcmp(action,
		    "revoke") != 0 || zn_json_str(rec, "schema") != NULL)) {
			zn_buf_addf(b, "privileges[%zu].action is not %s", i,
			    zn_json_str(rec, "schema") != NULL ? "grant (a "
			    "schema's default privileges only add)" :
			    "grant or revoke");
			return 1;
		}
	}
	return 0;
}

char *
zn_graph_badrec(const json_t *rec)
{
	const char *kind = zn_json_str(rec, "kind");
	int rank = zn_graph_kind_rank(kind);
	const struct kind *k;
	struct zn_buf b = ZN_BUF_INIT;

	if (rank < 0)
		return zn_xasprintf("unknown record kind '%s' in a graph",
		    kind != NULL ? kind : "");
	k = &kinds[rank];
	if (zn_json_str(rec, "name") == NULL)
		return zn_xasprintf("%s record has no string \"name\"",
		    kind);
	if (!k->global && zn_json_str(rec, "schema") == NULL)
		return zn_xasprintf("%s record has no string \"schema\"",
		    kind);
	if (k->sub != NULL && zn_json_str(rec, k->sub) == NULL)
		return zn_xasprintf("%s record has no string \"%s\"",
		    kind, k->sub);
	if (k->args && zn_json_str(rec, keyargs[k->args]) == NULL)
		return zn_xasprintf("%s record has no string \"%s\"", kind,
		    keyargs[k->args]);
	if (strcmp(kind, "table") == 0 &&
	    !json_is_array(json_object_get(rec, "columns")))
		return zn_xstrdup("table record has no \"columns\" array");
	if (!badshape(rec, k->shape, &b) && (strcmp(kind,
	    "default_privileges") != 0 || !baddefacl(rec, &b))) {
		zn_buf_release(&b);
		return NULL;
	}
	{
		char *msg = zn_xasprintf("%s record '%s': %.*s", kind,
		    zn_json_str(rec, "name"), (int)b.len, b.buf);

		zn_buf_release(&b);
		return msg;
	}
}

/*
 * Checks one body record's shape; on a fault releases rec and hdr and
 * dies with the record's line.
 */
static void
checkrec(const struct zn_jsonl *r, json_t *rec, json_t *hdr)
{
	char *msg = zn_graph_badrec(rec);

	if (msg != NULL) {
		json_decref(rec);
		json_decref(hdr);
		zn_jsonl_die(r, "%s", msg);
	}
}

/*
 * The header's list of objects of kinds the graph does not model:
 * [{kind, schema (string or null), name}].  NULL when well formed.
 */
static const char *
badunmodelled(const json_t *v)
{
	const json_t *e, *sc;
	size_t i;

	if (!json_is_array(v))
		return "\"unmodelled\" must be an array";
	json_array_foreach(v, i, e) {
		sc = json_object_get(e, "schema");
		if (zn_json_str(e, "kind") == NULL ||
		    zn_json_str(e, "name") == NULL ||
		    (sc != NULL && !json_is_string(sc) && !json_is_null(sc)))
			return "an unmodelled object needs string \"kind\" "
			    "and \"name\", and \"schema\" a string or null";
	}
	return NULL;
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
	v = json_object_get(hdr, "unmodelled");
	if (v != NULL) {
		const char *why = badunmodelled(v);

		if (why != NULL)
			REFUSE("%s", why);
		g->unmodelled = json_incref(v);
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
	if (ZN_CHECKSUMS && strcmp(hash, g->hash) != 0)
		zn_die(ZN_EXIT_DATAERR, "%s: hash mismatch: the header says "
		    "%s but the records hash to %s", r.name, hash, g->hash);
	hash = zn_json_str(end, "hash");
	if (ZN_CHECKSUMS && (hash == NULL || strcmp(hash, g->hash) != 0))
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
#define NFAST 7
struct fastkeys {
	char *v[NFAST];		/* fastkeynames */
	int columns;		/* has a "columns" array */
};
static const char *const fastkeynames[NFAST] = { "kind", "schema",
    "table", "name", "arguments", "role", "method" };

static void
fastkeys_free(struct fastkeys *k)
{
	int i;

	for (i = 0; i < NFAST; i++)
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
			for (i = 0; i < NFAST; i++)
				if (!esc && strlen(fastkeynames[i]) == kn &&
				    memcmp(fastkeynames[i], key, kn) == 0)
					break;
			if (esc)
				hard = 1;	/* an escaped key: let jansson see */
			if (i == NFAST && !esc && kn == 7 &&
			    memcmp(key, "columns", 7) == 0)
				k->columns = s.p < s.e && *s.p == '[';
			else if (i == NFAST)
				i = NFAST + 1;
			if (i <= NFAST && (seen & (1u << i)) != 0)
				goto bad;	/* a duplicate key */
			if (i <= NFAST)
				seen |= 1u << i;
			if (i < NFAST && s.p < s.e && *s.p == '"') {
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
		for (i = 0; i < NFAST; i++) {
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

/* The key that fills a record's table place (as submember). */
static const char *
fastsub(const struct fastkeys *k)
{
	int rank = zn_graph_kind_rank(k->v[0]);

	return rank >= 0 && kinds[rank].sub != NULL &&
	    strcmp(kinds[rank].sub, "role") == 0 ? k->v[5] : k->v[2];
}

/* The key after the name (zn_graph_keyargs), of keys k of a known kind. */
static const char *
fastargs(const struct fastkeys *k)
{
	return k->v[kinds[zn_graph_kind_rank(k->v[0])].args == 2 ? 6 : 4];
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
	if (kinds[rank].sub != NULL && fastsub(k) == NULL)
		return 0;
	if (kinds[rank].args && fastargs(k) == NULL)
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
	v = json_object_get(hdr, "unmodelled");
	if (v != NULL && badunmodelled(v) != NULL)
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
		zn_graph_add_line(g, k.v[0], k.v[1], fastsub(&k), k.v[3],
		    fastargs(&k), p, n);
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
	g->unmodelled = json_incref(json_object_get(hdr, "unmodelled"));
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

/* Said when a mapped graph file is cut short under the reader. */
static char busmsg[256];
static size_t busmsglen;

static void
onbus(int sig)
{
	(void)sig;
	if (write(STDERR_FILENO, busmsg, busmsglen) < 0)
		_exit(ZN_EXIT_UNAVAILABLE);
	_exit(ZN_EXIT_UNAVAILABLE);
}

/*
 * A file another process truncates while it is mapped raises SIGBUS
 * where its pages were: that stops the command with a message and
 * status 2 instead of a core dump.
 */
static void
catchbus(void)
{
	struct sigaction sa;
	int n;

	if (busmsglen != 0)
		return;
	n = snprintf(busmsg, sizeof(busmsg), "%s: a graph file was cut short "
	    "while it was being read; run it again\n", zn_progname);
	busmsglen = n < 0 ? 0 : (size_t)n < sizeof(busmsg) ? (size_t)n :
	    sizeof(busmsg) - 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onbus;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

void
zn_graph_read(struct zn_graph *g, const char *path)
{
	struct zn_buf in = ZN_BUF_INIT;
	const char *name;
	struct stat st;
	char *map;
	int fd;

	/*
	 * A file is mapped, not copied: the records are read in place.  A
	 * FIFO or a device is read as a stream, opened once.
	 */
	if (path != NULL && strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	    S_ISREG(st.st_mode) && (fd = open(path, O_RDONLY)) >= 0) {
		map = MAP_FAILED;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_size > 0 && (uintmax_t)st.st_size < ZN_INPUT_MAX) {
			catchbus();
			map = mmap(NULL, (size_t)st.st_size, PROT_READ,
#ifdef MAP_POPULATE
			    MAP_PRIVATE | MAP_POPULATE,
#else
			    MAP_PRIVATE,
#endif
			    fd, 0);
		}
		close(fd);
		if (map != MAP_FAILED) {
			zn_lines_bounded(path, map, (size_t)st.st_size);
			if (fastread(g, map, (size_t)st.st_size)) {
				g->mapped = (size_t)st.st_size;
				return;
			}
			slowread(g, path, map, (size_t)st.st_size);
			munmap(map, (size_t)st.st_size);
			return;
		}
	}
	name = zn_buf_readpath(&in, path);
	if (fastread(g, in.buf, in.len))
		zn_buf_init(&in);	/* the graph has it */
	else
		slowread(g, name, in.buf, in.len);
	zn_buf_release(&in);
}

void
zn_graph_read_text(struct zn_graph *g, const char *name, char *text,
    size_t len)
{
	zn_lines_bounded(name, text, len);
	if (!fastread(g, text, len)) {
		slowread(g, name, text, len);
		free(text);
	}
}
