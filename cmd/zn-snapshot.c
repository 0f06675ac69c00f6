/* SPDX-License-Identifier: ISC */
/*
 * zn-snapshot: read a live database, or a stored graph, and write the
 * schema graph of zn-records(5): a header, one canonical record per
 * object, a trailer.  On a terminal it prints a summary instead.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zn.h"

static const char usage[] =
"usage: zn-snapshot [-C dir] [-d conninfo] [-n pattern] [-N pattern]\n"
"                   [--lock-wait dur] [-o file] [--json]\n"
"       zn-snapshot --declared path [--scratch-url url] [-C dir]\n"
"                   [-d conninfo] [-n pattern] [-N pattern] [-o file]\n"
"                   [--json]\n"
"       zn-snapshot --graph file [-o file] [--json]\n"
"       zn-snapshot --declared file.yaml --sql [-o file]\n"
"       zn-snapshot --declared file.yaml --offline [-o file] [--json]\n"
"\n"
"Write the schema graph of a live database, of a declared schema\n"
"(materialised in a scratch database), or of a stored graph (read back,\n"
"checked and written canonically) as JSON lines.\n"
"\n"
"Options:\n"
"  -C, --directory=DIR       read DIR/zanith.yaml (default: .)\n"
"  -d, --dbname=CONNINFO     database: a name, a conninfo string or a URI\n"
"  -n, --schema=PATTERN      only schemas matching PATTERN (repeatable)\n"
"  -N, --exclude-schema=PATTERN\n"
"                            leave out schemas matching PATTERN\n"
"      --declared=PATH       a declared schema: a .yaml file (zn-schema(5)),\n"
"                            a .sql file, or a directory of .sql files\n"
"      --scratch-url=URL     materialise it in a new database on this\n"
"                            server (default: a throwaway local cluster)\n"
"      --graph=FILE          read a stored graph (\"-\" for stdin)\n"
"      --sql                 with a YAML --declared, write the DDL it\n"
"                            renders to, and start no server\n"
"      --offline             with a YAML --declared, write its graph\n"
"                            without a server: best effort\n"
"      --lock-wait=DUR       wait at most DUR (default 60s) for a table\n"
"                            another session locks; then exit 3\n"
"  -o, --output=FILE         write to FILE (replaced atomically)\n"
"      --json                records even when stdout is a terminal\n"
"      --help                show this help and exit\n"
"      --version             show the version and exit\n"
"\n"
"Without -d the database comes from ZN_DATABASE_URL, zanith.yaml,\n"
"DATABASE_URL, then libpq's PG* variables.  See zn-snapshot(1).\n";

static const struct option longopts[] = {
	{ "complete", no_argument, NULL, 'c' + 256 },
	{ "dbname", required_argument, NULL, 'd' },
	{ "declared", required_argument, NULL, 'D' + 256 },
	{ "directory", required_argument, NULL, 'C' },
	{ "exclude-schema", required_argument, NULL, 'N' },
	{ "graph", required_argument, NULL, 'g' + 256 },
	{ "help", no_argument, NULL, 'h' + 256 },
	{ "json", no_argument, NULL, 'j' + 256 },
	{ "lock-wait", required_argument, NULL, 'w' + 256 },
	{ "offline", no_argument, NULL, 'O' + 256 },
	{ "output", required_argument, NULL, 'o' },
	{ "schema", required_argument, NULL, 'n' },
	{ "scratch-url", required_argument, NULL, 's' + 256 },
	{ "sql", no_argument, NULL, 'S' + 256 },
	{ "version", no_argument, NULL, 'v' + 256 },
	{ NULL, 0, NULL, 0 }
};

static size_t
count(const json_t *rec, const char *key)
{
	json_t *v = json_object_get(rec, key);

	if (json_is_array(v))
		return json_array_size(v);
	return v != NULL && !json_is_null(v) ? 1 : 0;
}

/* The terminal rendering: what the graph holds, in numbers. */
static void
summary(const struct zn_graph *g, FILE *fp)
{
	static const char *const rows[] = { "schemas", "extensions", "enums",
	    "sequences", "tables", "columns", "primary keys", "uniques",
	    "checks", "exclusions", "foreign keys", "indexes", "policies",
	    "views", "materialized views", "functions", "procedures",
	    "triggers" };
	enum { SCH, EXT, ENU, SEQ, TAB, COL, PK, UNQ, CHK, EXC, FK, IDX, POL,
	    VIE, MAT, FUN, PRO, TRG, NROWS };
	size_t n[NROWS] = { 0 }, i;
	struct zn_table *t = zn_table_new(2);
	const char *kind, *db, *host;
	char num[32];
	int bold = zn_term_color(fp);

	for (i = 0; i < g->nrecs; i++) {
		json_t *r = zn_graph_get(g, i);

		kind = zn_json_str(r, "kind");
		if (strcmp(kind, "schema") == 0)
			n[SCH]++;
		else if (strcmp(kind, "extension") == 0)
			n[EXT]++;
		else if (strcmp(kind, "enum") == 0)
			n[ENU]++;
		else if (strcmp(kind, "sequence") == 0)
			n[SEQ]++;
		else if (strcmp(kind, "view") == 0)
			n[VIE]++;
		else if (strcmp(kind, "materialized_view") == 0) {
			n[MAT]++;
			n[IDX] += count(r, "indexes");
		} else if (strcmp(kind, "function") == 0)
			n[FUN]++;
		else if (strcmp(kind, "procedure") == 0)
			n[PRO]++;
		else if (strcmp(kind, "trigger") == 0)
			n[TRG]++;
		else if (strcmp(kind, "table") == 0) {
			n[TAB]++;
			n[COL] += count(r, "columns");
			n[PK] += count(r, "primary_key");
			n[UNQ] += count(r, "uniques");
			n[CHK] += count(r, "checks");
			n[EXC] += count(r, "exclusions");
			n[FK] += count(r, "foreign_keys");
			n[IDX] += count(r, "indexes");
			n[POL] += count(r, "policies");
		}
		json_decref(r);
	}
	db = zn_json_str(g->source, "dbname");
	host = zn_json_str(g->source, "host");
	if (db == NULL)
		db = zn_json_str(g->source, "file");
	fprintf(fp, "%s%s%s", bold ? "\033[1m" : "", db != NULL ? db :
	    "graph", bold ? "\033[0m" : "");
	if (host != NULL)
		fprintf(fp, " on %s", host);
	if (g->server_version_num > 0)
		fprintf(fp, " (PostgreSQL %ld.%ld)",
		    g->server_version_num / 10000,
		    g->server_version_num % 10000);
	fprintf(fp, "\n");
	for (i = 0; i < NROWS; i++) {
		if (n[i] == 0 && i != TAB)
			continue;
		snprintf(num, sizeof(num), "%zu", n[i]);
		zn_table_row(t, num, rows[i]);
	}
	zn_table_print(t, fp);
	zn_table_free(t);
	fprintf(fp, "%s\n", g->hash);
}

/* Writes the graph to path, replacing a regular file atomically. */
static void
writefile(const struct zn_graph *g, const char *path)
{
	struct zn_out o;

	zn_out_open(&o, path);
	zn_graph_write(g, o.fp);
	zn_out_commit(&o);
}

/* The DDL a YAML declaration renders to. */
static void
rendersql(const char *path, const char *output)
{
	struct zn_schema_map map = { NULL, 0, NULL, 0 };
	struct zn_yaml *y = zn_yaml_load(path);
	struct zn_out o;
	char *ddl = zn_schema_render(y, &map);

	zn_yaml_free(y);
	zn_schema_map_release(&map);
	if (output != NULL) {
		zn_out_open(&o, output);
		fputs(ddl, o.fp);
		zn_out_commit(&o);
	} else
		fputs(ddl, stdout);
	free(ddl);
}

int
main(int argc, char *argv[])
{
	struct zn_snapshot_opts o;
	struct zn_config cfg;
	struct zn_graph g;
	char **incl = NULL, **excl = NULL;
	const char *dir = NULL, *dbname = NULL, *graph = NULL;
	const char *output = NULL, *declared = NULL, *scratch = NULL;
	size_t nincl = 0, nexcl = 0;
	int ch, jflag = 0, sqlflag = 0, offline = 0, major;
	long lockwait = 60000;
	PGconn *conn;

	zn_init(argv[0]);
	/* Graphs run to megabytes: write them in large pieces. */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	while ((ch = getopt_long(argc, argv, "C:N:d:n:o:", longopts,
	    NULL)) != -1)
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'N':
			zn_strv_push(&excl, &nexcl, optarg);
			break;
		case 'd':
			dbname = optarg;
			break;
		case 'n':
			zn_strv_push(&incl, &nincl, optarg);
			break;
		case 'o':
			output = optarg;
			break;
		case 'c' + 256:
			zn_complete(longopts);
		case 'D' + 256:
			declared = optarg;
			break;
		case 's' + 256:
			scratch = optarg;
			break;
		case 'g' + 256:
			graph = optarg;
			break;
		case 'S' + 256:
			sqlflag = 1;
			break;
		case 'O' + 256:
			offline = 1;
			break;
		case 'w' + 256:
			lockwait = zn_duration_arg("--lock-wait", optarg, 1);
			break;
		case 'h' + 256:
			zn_help(usage);
		case 'j' + 256:
			jflag = 1;
			break;
		case 'v' + 256:
			zn_version();
		default:
			zn_bad_option();
		}
	argc -= optind;
	argv += optind;
	if (argc > 0)
		zn_usage_error("unexpected argument '%s'", argv[0]);
	if (graph != NULL && (dbname != NULL || incl != NULL ||
	    excl != NULL || dir != NULL || declared != NULL ||
	    scratch != NULL))
		zn_usage_error("--graph cannot be combined with -C, -d, -n, "
		    "-N, --declared or --scratch-url");
	if (scratch != NULL && declared == NULL)
		zn_usage_error("--scratch-url goes with --declared");
	if (output != NULL && *output == '\0')
		zn_usage_error("-o needs a file name");

	if (offline && (declared == NULL || !zn_path_is_yaml(declared)))
		zn_usage_error("--offline goes with a YAML --declared");
	if (offline && (sqlflag || scratch != NULL || dbname != NULL ||
	    incl != NULL || excl != NULL))
		zn_usage_error("--offline cannot be combined with --sql, "
		    "--scratch-url, -d, -n or -N");
	if (sqlflag) {
		if (declared == NULL || !zn_path_is_yaml(declared))
			zn_usage_error("--sql goes with a YAML --declared");
		rendersql(declared, output);
		zn_strv_free(incl);
		zn_strv_free(excl);
		return zn_finish(ZN_EXIT_OK);
	}
	if (graph != NULL) {
		size_t i;

		zn_graph_read(&g, graph);
		/* Read fast, a graph that hashes right is not yet parsed. */
		for (i = 0; i < g.nrecs; i++)
			json_decref(zn_graph_get(&g, i));
	} else if (offline) {
		zn_graph_from_offline(&g, declared);
	} else {
		zn_config_load(&cfg, dir);
		memset(&o, 0, sizeof(o));
		o.schemas = (const char *const *)(incl != NULL ? incl :
		    cfg.schemas);
		o.exclude_schemas = (const char *const *)(excl != NULL ?
		    excl : cfg.exclude_schemas);
		o.ledger_schema = cfg.ledger_schema;
		if (declared != NULL) {
			/* With -d, render as that database's server would. */
			major = 0;
			if (dbname != NULL) {
				conn = zn_pg_connect(dbname);
				major = PQserverVersion(conn) / 10000;
				PQfinish(conn);
			}
			zn_graph_from_declared(&g, declared, scratch != NULL ?
			    scratch : cfg.scratch, major, &o);
		} else {
			struct zn_pg_onlock lk;
			char set[64], hint[200];

			conn = zn_pg_connect(zn_pg_target(dbname, &cfg));
			zn_pg_cancel_at_signal(conn);
			/*
			 * The catalog functions lock the tables they read: a
			 * DDL statement in flight would hold the read up for
			 * as long as it runs.  --lock-wait bounds that.
			 */
			snprintf(set, sizeof(set), "SET lock_timeout = %ld",
			    lockwait > 0 ? lockwait : 1);
			zn_pg_cmd(conn, "bound the lock waits", set);
			snprintf(hint, sizeof(hint), "another session held a "
			    "lock on a table for longer than %ld ms "
			    "(--lock-wait); nothing was written", lockwait);
			lk.status = ZN_EXIT_BUSY;
			lk.hint = hint;
			o.onlock = &lk;
			zn_graph_from_db(&g, conn, &o);
			PQfinish(conn);
		}
		zn_config_release(&cfg);
	}

	/* Read from a server, said loudly; a stored graph says it again. */
	if (graph == NULL) {
		char *text = zn_graph_unmodelled_text(&g, 5);

		if (text != NULL)
			zn_warn("%zu objects of kinds the graph does not model, "
			    "listed in its header (unmodelled), not compared: "
			    "%s; zn-diff and zn-apply refuse to act beside them "
			    "without --allow-unmodelled",
			    json_array_size(g.unmodelled), text);
		free(text);
	}
	if (output != NULL)
		writefile(&g, output);
	else if (!jflag && zn_term_isatty(stdout))
		summary(&g, stdout);
	else
		zn_graph_write(&g, stdout);
	zn_graph_release(&g);
	zn_strv_free(incl);
	zn_strv_free(excl);
	return zn_finish(ZN_EXIT_OK);
}
