/* SPDX-License-Identifier: ISC */
/*
 * declared.c: a declared schema, materialised.  The declaration is
 * applied to a scratch database and introspected there with the same
 * queries as a live database, so both sides of a comparison are text the
 * server rendered (DESIGN.md section 4).  A declaration is SQL (a file,
 * or a directory of .sql files applied in name order) or YAML
 * (zn-schema(5)), checked and rendered to DDL before any server is
 * started; the server's errors in that DDL are reported at the YAML.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "zn.h"

static int
issql(const char *name)
{
	return zn_path_endswith(name, ".sql");
}

/* The files to apply, in order; NULL-terminated, caller frees each. */
static char **
sqlfiles(const char *path)
{
	struct stat st;
	char **v = NULL;
	size_t n = 0;

	if (stat(path, &st) != 0)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot open '%s'", path);
	if (!S_ISDIR(st.st_mode)) {
		if (!issql(path) && !zn_path_is_yaml(path))
			zn_die(ZN_EXIT_USAGE, "'%s' is not a .sql or .yaml "
			    "file, nor a directory of .sql files", path);
		v = zn_xcalloc(2, sizeof(*v));
		v[0] = zn_xstrdup(path);
		return v;
	}
	v = zn_path_list(path, issql, &n);
	if (n == 0) {
		zn_strv_free(v);
		zn_die(ZN_EXIT_DATAERR, "%s: no .sql files to declare a schema "
		    "with", path);
	}
	return v;
}

static char *
slurp(const char *path, size_t *len)
{
	struct zn_buf b = ZN_BUF_INIT;

	zn_buf_readfile(&b, path);
	if (memchr(b.buf, '\0', b.len) != NULL)
		zn_die(ZN_EXIT_DATAERR, "%s: a NUL byte is not SQL", path);
	*len = b.len;
	return zn_buf_detach(&b);
}

/*
 * Line and column (1-based) of the character at position pos (1-based,
 * counted in characters as the server counts them) of a UTF-8 text.
 */
static void
where(const char *text, long pos, int *line, int *col)
{
	const char *p = text;
	long ch = 1;

	*line = 1;
	*col = 1;
	for (; *p != '\0' && ch < pos; p++) {
		if (((unsigned char)*p & 0xC0) == 0x80)
			continue;
		ch++;
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

/* Notices from the declaration ("... does not exist, skipping") are noise. */
static void
quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/*
 * Whether an error is the server's doing rather than the declaration's:
 * connection trouble (08), resources (53), a lock or state (55), an
 * operator (57), the system (58) or an internal error (XX).
 */
static int
servers_fault(const char *state)
{
	static const char *const classes[] = { "08", "53", "55", "57", "58",
	    "XX", NULL };
	const char *const *c;

	for (c = classes; state != NULL && *c != NULL; c++)
		if (strncmp(state, *c, 2) == 0)
			return 1;
	return 0;
}

/*
 * Applies one file.  Returns NULL, or the message to die with (the
 * caller releases what it holds first, and dies with *status); the
 * message is the caller's.
 */
/* The byte offset of character pos (1-based) of a UTF-8 text. */
static size_t
byteoffset(const char *text, long pos)
{
	const char *p = text;
	long ch = 0;

	for (; *p != '\0'; p++)
		if (((unsigned char)*p & 0xC0) != 0x80 && ++ch == pos)
			break;
	return (size_t)(p - text);
}

static char *
apply(PGconn *conn, const char *path, char *sql,
    const struct zn_schema_map *map, int *status)
{
	const char *pos, *msg, *state;
	struct zn_pgres x;
	char *out;
	int line, col;

	if (zn_pg_try_script(conn, &x, sql) ||
	    PQresultStatus(x.r) == PGRES_EMPTY_QUERY) {
		zn_pgres_clear(&x);
		free(sql);
		return NULL;
	}
	msg = x.r != NULL ? PQresultErrorField(x.r, PG_DIAG_MESSAGE_PRIMARY) :
	    NULL;
	msg = msg != NULL ? x.primary : NULL;
	state = *x.state != '\0' ? x.state : NULL;
	pos = x.r != NULL ? PQresultErrorField(x.r,
	    PG_DIAG_STATEMENT_POSITION) : NULL;
	*status = PQstatus(conn) != CONNECTION_OK || msg == NULL ||
	    servers_fault(state) ? ZN_EXIT_UNAVAILABLE : ZN_EXIT_DATAERR;
	if (msg == NULL)
		out = zn_xstrdup(x.msg);
	else if (pos != NULL && map != NULL && zn_schema_where(map,
	    byteoffset(sql, atol(pos)), &line, &col) == 0)
		out = zn_xasprintf("%s:%d:%d: %s (SQLSTATE %s)", path, line,
		    col, msg, state != NULL ? state : "?");
	else if (pos != NULL && map == NULL) {
		where(sql, atol(pos), &line, &col);
		out = zn_xasprintf("%s:%d:%d: %s (SQLSTATE %s)", path, line,
		    col, msg, state != NULL ? state : "?");
	} else
		out = zn_xasprintf("%s: %s (SQLSTATE %s)", path, msg,
		    state != NULL ? state : "?");
	zn_pgres_clear(&x);
	free(sql);
	return out;
}

/* The files being applied; static so that an exit never loses them. */
static char **files;

static void
freefiles(void)
{
	zn_strv_free(files);
	files = NULL;
}

/*
 * Runs the declaration in conn's database: ddl rendered from YAML (map
 * ties it to its lines), or each .sql file as it is (ddl NULL).
 */
/* What a refused declaration is, when it is not the user's input. */
static const char *refused;

void
zn_declared_not_input(const char *what)
{
	refused = what;
}

static void
load(PGconn *conn, char *ddl, struct zn_schema_map *map)
{
	char *msg;
	size_t i, len;
	int status;

	PQsetNoticeProcessor(conn, quiet, NULL);
	/*
	 * The declaration runs as psql would run it: the default search
	 * path, and function bodies checked only when called, so that the
	 * order of the files matters no more than it does to pg_dump.
	 */
	zn_pg_cmd(conn, "prepare the scratch database",
	    "RESET search_path; SET check_function_bodies = off");
	for (i = 0; files[i] != NULL; i++)
		if ((msg = apply(conn, files[i], ddl != NULL ? ddl :
		    slurp(files[i], &len), ddl != NULL ? map : NULL,
		    &status)) != NULL) {
			PQfinish(conn);
			freefiles();
			if (status == ZN_EXIT_UNAVAILABLE)
				zn_die(status, "the scratch database failed: "
				    "%s", msg);
			if (refused != NULL)
				zn_die(ZN_EXIT_UNAVAILABLE, "%s: %s", refused,
				    msg);
			zn_die(status, "%s", msg);
		}
	zn_pg_cmd(conn, "end the declaration's settings",
	    "RESET check_function_bodies; "
	    "SELECT pg_catalog.set_config('search_path', '', false)");
	freefiles();
}

/* The files of path, and the DDL of a YAML declaration (else NULL). */
static char *
render(const char *path, struct zn_schema_map *map)
{
	struct zn_yaml *y;
	char *ddl = NULL;

	files = sqlfiles(path);
	if (zn_path_is_yaml(path)) {
		y = zn_yaml_load(path);
		ddl = zn_schema_render(y, map);
		zn_yaml_free(y);
	}
	return ddl;
}

int
zn_declared_load(PGconn *conn, const char *path, json_t **renames)
{
	struct zn_schema_map map = { NULL, 0, NULL, 0 };

	load(conn, render(path, &map), &map);
	if (renames != NULL)
		*renames = json_incref(map.renames);
	zn_schema_map_release(&map);
	return map.complete;
}

json_t *
zn_declared_source(const char *path, int complete)
{
	/* A YAML file with sql: declares privileges and every kind. */
	json_t *s = complete ? json_pack("{s:s, s:s, s:b}", "type",
	    "declared", "path", path, "complete", 1) : json_pack("{s:s, s:s}",
	    "type", "declared", "path", path);

	if (s == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot describe the declaration");
	return s;
}

void
zn_graph_from_declared(struct zn_graph *g, const char *path,
    const char *scratch_url, int major, const struct zn_snapshot_opts *o)
{
	struct zn_schema_map map = { NULL, 0, NULL, 0 };
	struct zn_scratch s;
	PGconn *conn;
	json_t *renames;
	char *ddl;

	/* YAML is checked before any server starts. */
	ddl = render(path, &map);
	zn_scratch_start(&s, scratch_url, major);
	conn = zn_scratch_newdb(&s, "declared");
	load(conn, ddl, &map);
	PQfinish(conn);
	renames = json_incref(map.renames);
	zn_schema_map_release(&map);

	conn = zn_scratch_connect(&s);
	zn_graph_from_db(g, conn, o);
	g->renames = renames;
	PQfinish(conn);
	zn_scratch_stop(&s);

	json_decref(g->source);
	g->source = zn_declared_source(path, map.complete);
}
