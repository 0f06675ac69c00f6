/* SPDX-License-Identifier: ISC */
/*
 * zn-diff: compare two schema graphs and write the ops that turn the
 * first into the second, as an op stream or as a migration file.  On a
 * terminal it prints the plan for people instead.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "zn.h"

static const char usage[] =
"usage: zn-diff [-C dir] [-d conninfo] [-n pattern] [-N pattern]\n"
"               [--offline] [--drop-policy soft|archive|drop] [--exit-code]\n"
"               [--allow-unmodelled] [-o dir [--name name]]\n"
"               [--json | --sql | --yaml] [from] [to]\n"
"       zn-diff --read path [--json]\n"
"\n"
"Compare two schemas and write the ops that turn FROM into TO: an op\n"
"stream (JSON lines), or with -o a migration file.  FROM and TO are each\n"
"a stored graph (\"-\" for stdin), a declared schema (.yaml, .yml, .sql,\n"
"or a directory of .sql files, materialised in a scratch database), or\n"
"@ for the live database, or @empty for a database just made.  The\n"
"defaults: FROM is the live database, TO is the declared schema of\n"
"zanith.yaml.\n"
"\n"
"Options:\n"
"  -C, --directory=DIR       read DIR/zanith.yaml (default: .)\n"
"  -d, --dbname=CONNINFO     the live database\n"
"  -n, --schema=PATTERN      only schemas matching PATTERN (repeatable)\n"
"  -N, --exclude-schema=PATTERN\n"
"                            leave out schemas matching PATTERN\n"
"      --scratch-url=URL     materialise declared schemas on this server\n"
"      --offline             render YAML declarations without a server\n"
"                            (best effort; see zn-diff(1))\n"
"      --drop-policy=POLICY  removed tables and columns: soft (parked,\n"
"                            the default), archive, or drop\n"
"      --exit-code           exit 1 when there are differences\n"
"      --allow-unmodelled    plan even when a schema holds objects of kinds\n"
"                            the graph does not model (zn-records(5))\n"
"  -o, --output=DIR          write DIR/<YYYYMMDD_HHMMSS>_<name>.yaml\n"
"      --name=NAME           the migration's name (default: migration);\n"
"                            without -o, write into zanith.yaml's\n"
"                            migrations directory (default: migrations)\n"
"      --read=PATH           read an op stream, a migration file or a\n"
"                            directory of them; write one op stream\n"
"      --json                records even when stdout is a terminal\n"
"      --sql                 the plan as one SQL script (zn-diff @empty @\n"
"                            --sql: the live schema, as a declaration)\n"
"      --yaml                TO as a zn-schema(5) declaration, checked to\n"
"                            materialise to TO again (FROM is @empty)\n"
"      --help                show this help and exit\n"
"      --version             show the version and exit\n"
"\n"
"See zn-diff(1).\n";

static const struct option longopts[] = {
	{ "allow-unmodelled", no_argument, NULL, 'u' + 256 },
	{ "complete", no_argument, NULL, 'c' + 256 },
	{ "dbname", required_argument, NULL, 'd' },
	{ "directory", required_argument, NULL, 'C' },
	{ "drop-policy", required_argument, NULL, 'p' + 256 },
	{ "exclude-schema", required_argument, NULL, 'N' },
	{ "exit-code", no_argument, NULL, 'e' + 256 },
	{ "help", no_argument, NULL, 'h' + 256 },
	{ "json", no_argument, NULL, 'j' + 256 },
	{ "sql", no_argument, NULL, 'q' + 256 },
	{ "yaml", no_argument, NULL, 'y' + 256 },
	{ "name", required_argument, NULL, 'm' + 256 },
	{ "output", required_argument, NULL, 'o' },
	{ "read", required_argument, NULL, 'r' + 256 },
	{ "schema", required_argument, NULL, 'n' },
	{ "offline", no_argument, NULL, 'O' + 256 },
	{ "scratch-url", required_argument, NULL, 's' + 256 },
	{ "version", no_argument, NULL, 'v' + 256 },
	{ NULL, 0, NULL, 0 }
};

struct ctx {
	struct zn_config cfg;
	struct zn_snapshot_opts so;
	const char *dbname, *scratch;
	int major;		/* the live server's, once known */
	int offline;		/* declared schemas rendered without a server */
};

/*
 * A schema with objects of kinds the graph does not model: the plan
 * cannot see them, so it could break them (a table dropped that a rule
 * reads, a type changed under a domain).  Refused unless allowed.
 */
static void
unmodelled(const struct zn_graph *g, const char *what, int allow)
{
	char *text = zn_graph_unmodelled_text(g, 5);

	if (text == NULL)
		return;
	if (!allow)
		zn_die(ZN_EXIT_UNAVAILABLE, "%s holds %zu objects of kinds the "
		    "graph does not model, which a plan cannot see: %s; plan "
		    "anyway with --allow-unmodelled (allow_unmodelled: true in "
		    "zanith.yaml)", what, json_array_size(g->unmodelled),
		    text);
	zn_warn("%s holds %zu objects of kinds the graph does not model, "
	    "left as they are: %s", what, json_array_size(g->unmodelled),
	    text);
	free(text);
}

/*
 * Warns when the live schema g is not the one the ledger's newest
 * migration left (zn-ledger status names the changes): the plan starts
 * from the schema as it is, which is what it is told.
 */
static void
drifted(const struct ctx *x, PGconn *conn, const struct zn_graph *g)
{
	const char *schema = x->so.ledger_schema != NULL ?
	    x->so.ledger_schema : "public";
	struct zn_plan d;
	char *since;

	if (zn_ledger_drift(conn, schema, g, &d, &since) > 0)
		zn_warn("the live schema has drifted from the ledger since "
		    "migration %s (zn status names the changes): this plan "
		    "starts from the schema as it is", since);
	zn_plan_release(&d);
	free(since);
}

static void
live(struct ctx *x, struct zn_graph *g)
{
	PGconn *conn = zn_pg_connect(zn_pg_target(x->dbname, &x->cfg));

	zn_pg_cancel_at_signal(conn);
	x->major = PQserverVersion(conn) / 10000;
	zn_graph_from_db(g, conn, &x->so);
	drifted(x, conn, g);
	PQfinish(conn);
}

/*
 * @empty: the schema of a database just made, its public schema as
 * PostgreSQL makes it, when other (the side it is compared with) has a
 * public schema; nothing at all when other's schemas leave it out.
 */
static void
empty(struct zn_graph *g, const struct zn_graph *other)
{
	static const char pub[] = "{\"kind\":\"schema\",\"name\":\"public\",";
	size_t i;

	memset(g, 0, sizeof(*g));
	if ((g->source = json_pack("{s:s}", "type", "empty")) == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	for (i = 0; other != NULL && i < other->nrecs; i++)
		if (strncmp(other->recs[i].line, pub, sizeof(pub) - 1) == 0) {
			json_t *r = json_pack("{s:s, s:s, s:s}", "kind",
			    "schema", "name", "public", "comment",
			    "standard public schema");

			if (r == NULL)
				zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
			zn_graph_add(g, r);
			break;
		}
	zn_graph_finish(g);
}

/*
 * The plan as one SQL script, as a declaration (zn-schema(5)) or psql
 * takes it: each op's statements under a comment naming it, function
 * bodies not checked until the end (pg_dump's SET) instead of each
 * op's SET LOCAL.
 */
static void
sqlscript(const struct zn_plan *p, FILE *fp)
{
	size_t i, j;

	fputs("-- written by zn-diff --sql\n"
	    "SET check_function_bodies = false;\n", fp);
	for (i = 0; i < p->n; i++) {
		json_t *sql = zn_op_sql(&p->ops[i]);

		fprintf(fp, "\n-- %s", p->ops[i].op);
		if (p->ops[i].target != NULL) {
			/* A name may hold a newline: not in a comment. */
			const char *t;

			fputc(' ', fp);
			for (t = p->ops[i].target; *t != '\0'; t++)
				fputc(*t == '\n' || *t == '\r' ? ' ' : *t, fp);
		}
		fputc('\n', fp);
		for (j = 0; j < json_array_size(sql); j++) {
			const char *st = json_string_value(json_array_get(sql,
			    j));

			if (st == NULL || strncmp(st, "SET LOCAL "
			    "check_function_bodies", 31) == 0)
				continue;
			fputs(st, fp);
			fputs(";\n", fp);
		}
	}
	fputs("\nRESET check_function_bodies;\n", fp);
}

/* The pull's files, removed however the process ends. */
static char pulldir[4096], pullfile[4200];

static void
pullclean(void)
{
	if (pullfile[0] != '\0')
		(void)unlink(pullfile);
	if (pulldir[0] != '\0')
		(void)rmdir(pulldir);
}

static void
writefile(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot write '%s'", path);
	fputs(text, fp);
	if (fclose(fp) != 0)
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot write '%s'", path);
}

/*
 * --yaml: graph g (made from @empty by plan p) as a zn-schema(5)
 * declaration.  The YAML alone is materialised and diffed with g; that
 * plan's SQL completes the file (sql.last), and the whole is
 * materialised again and must come to g's hash, or nothing is written.
 */
static void
pull(struct ctx *x, const struct zn_plan *p, const struct zn_graph *g,
    const char *to)
{
	struct zn_diff_opts o = { ZN_DROP_DROP, NULL };
	struct zn_graph y, z;
	struct zn_plan fix, rest;
	const char *tmp = getenv("TMPDIR"), *title;
	const char *scratch = x->scratch != NULL ? x->scratch :
	    x->cfg.scratch;
	char *text;
	size_t i;

	title = strcmp(to, "@") == 0 ? zn_json_str(g->source, "dbname") : to;
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(pulldir, sizeof(pulldir), "%s/zn-pull.XXXXXX",
	    tmp) >= sizeof(pulldir) || mkdtemp(pulldir) == NULL) {
		pulldir[0] = '\0';
		zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot make a directory "
		    "in '%s'", tmp);
	}
	(void)snprintf(pullfile, sizeof(pullfile), "%s/pull.yaml", pulldir);
	atexit(pullclean);

	text = zn_pull_yaml(g, p, NULL, title);
	writefile(pullfile, text);
	zn_declared_not_input("the declaration pulled does not materialise "
	    "on the scratch server (pull it as SQL with --sql, or name a "
	    "server with the roles it grants to with --scratch-url)");
	zn_graph_from_declared(&y, pullfile, scratch, x->major, &x->so);
	/* The YAML alone is the schema: checked already. */
	if (strcmp(y.hash, g->hash) == 0) {
		fputs(text, stdout);
		free(text);
		zn_graph_release(&y);
		return;
	}
	free(text);
	zn_diff(&fix, &y, g, &o);
	text = zn_pull_yaml(g, p, &fix, title);
	writefile(pullfile, text);
	zn_graph_from_declared(&z, pullfile, scratch, x->major, &x->so);
	if (strcmp(z.hash, g->hash) != 0) {
		zn_diff(&rest, &z, g, &o);
		for (i = 0; i < rest.n && i < 5; i++) {
			fprintf(stderr, "%s: still to do: %s ", zn_progname,
			    rest.ops[i].op);
			zn_fputs_safe(rest.ops[i].target != NULL ?
			    rest.ops[i].target : "", stderr);
			fputc('\n', stderr);
		}
		if (rest.n == 0) {
			/* What no op changes: name the records. */
			struct zn_buf b = ZN_BUF_INIT;
			char *line, *nl;

			(void)zn_graph_differences(&z, g, 5, &b);
			for (line = b.buf; *line != '\0';
			    line = nl + 1) {
				nl = strchr(line, '\n');
				*nl = '\0';
				fprintf(stderr, "%s: pulled and live: ",
				    zn_progname);
				zn_fputs_safe(line, stderr);
				fputc('\n', stderr);
			}
			zn_buf_release(&b);
		}
		i = rest.n;
		/* What it holds goes before it dies. */
		free(text);
		zn_plan_release(&rest);
		zn_plan_release(&fix);
		zn_graph_release(&y);
		zn_graph_release(&z);
		zn_die(ZN_EXIT_UNAVAILABLE, "the declaration pulled does not "
		    "materialise to the same schema (its graph's hash differs; "
		    "%zu ops from it to the schema); pull it as SQL with "
		    "--sql", i);
	}
	fputs(text, stdout);
	free(text);
	zn_plan_release(&fix);
	zn_graph_release(&y);
	zn_graph_release(&z);
}

static void
load(struct ctx *x, struct zn_graph *g, const char *what)
{
	if (strcmp(what, "@empty") == 0)
		empty(g, NULL);
	else if (strcmp(what, "@") == 0)
		live(x, g);
	else if (zn_path_is_declared(what) && x->offline)
		zn_graph_from_offline(g, what);
	else if (zn_path_is_declared(what))
		zn_graph_from_declared(g, what, x->scratch != NULL ?
		    x->scratch : x->cfg.scratch, x->major, &x->so);
	else {
		zn_graph_read(g, what);
		/* Rendered without a server: not a base for zn-apply. */
		if (zn_graph_offline(g))
			zn_warn("'%s' was made offline (zn-snapshot --offline), "
			    "best effort: expressions as written, so ops on "
			    "checks, indexes, policies and triggers may be "
			    "false drift; to plan for zn-apply, diff the "
			    "declaration itself, without --offline", what);
	}
}

/* The plan for people: one line per op, then the totals. */
static void
summary(const struct zn_plan *p, FILE *fp)
{
	struct zn_table *t = zn_table_new(4);
	size_t i, nontx = 0, parked = 0;
	char step[32];
	int color = zn_term_color(fp);

	if (p->n == 0) {
		fprintf(fp, "No differences: the schemas are the same.\n");
		zn_table_free(t);
		return;
	}
	for (i = 0; i < p->n; i++) {
		const struct zn_op *op = &p->ops[i];
		const struct zn_opdef *def = zn_op_def(op);

		snprintf(step, sizeof(step), "%02zu", i + 1);
		zn_table_row(t, step, op->op, op->target, op->transactional ?
		    "" : "non-transactional");
		nontx += !op->transactional;
		parked += def != NULL && def->keeps;
	}
	fprintf(fp, "%s%zu op%s%s from %s to %s\n", color ? "\033[1m" : "",
	    p->n, p->n == 1 ? "" : "s", color ? "\033[0m" : "",
	    zn_json_str(p->header, "from_hash") != NULL ?
	    zn_json_str(p->header, "from_hash") + 7 : "?",
	    zn_json_str(p->header, "to_hash") != NULL ?
	    zn_json_str(p->header, "to_hash") + 7 : "?");
	zn_table_print(t, fp);
	zn_table_free(t);
	if (nontx > 0)
		fprintf(fp, "%zu op%s run%s outside a transaction "
		    "(CONCURRENTLY).\n", nontx, nontx == 1 ? "" : "s",
		    nontx == 1 ? "s" : "");
	if (parked > 0)
		fprintf(fp, "%zu removal%s park%s data, reversibly.\n", parked,
		    parked == 1 ? "" : "s", parked == 1 ? "s" : "");
	fprintf(fp, "Use --json for the op stream, -o DIR for a migration "
	    "file.\n");
}

static void
checkname(const char *name)
{
	const char *s;

	if (*name == '\0' || strlen(name) > 100)
		zn_usage_error("--name must be 1 to 100 characters");
	for (s = name; *s != '\0'; s++)
		if (!islower((unsigned char)*s) &&
		    !isdigit((unsigned char)*s) && *s != '_')
			zn_usage_error("--name may hold a-z, 0-9 and _, not "
			    "'%c'", *s);
}

/* Writes DIR/<stamp>_<name>.yaml; returns its path. */
static char *
writemigration(const struct zn_plan *p, const char *dir, const char *name)
{
	struct zn_out o;
	struct stat st;
	char stamp[32], *id, *path;
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t now = time(NULL);
	struct tm tm;
	char *end;
	long long v;

	/* Reproducible builds' convention, for repeatable file names. */
	if (sde != NULL && *sde != '\0') {
		errno = 0;
		v = strtoll(sde, &end, 10);
		if (errno != 0 || *end != '\0' || v < 0)
			zn_usage_error("SOURCE_DATE_EPOCH must be seconds since "
			    "1970, not '%s'", sde);
		now = (time_t)v;
	}

	if (stat(dir, &st) != 0) {
		char *d = zn_xstrdup(dir), *s;

		/* Like mkdir -p. */
		for (s = d + 1; *s != '\0'; s++)
			if (*s == '/') {
				*s = '\0';
				if (mkdir(d, 0777) != 0 && errno != EEXIST)
					zn_die_errno(ZN_EXIT_UNAVAILABLE,
					    "cannot make '%s'", d);
				*s = '/';
			}
		if (mkdir(d, 0777) != 0 && errno != EEXIST)
			zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot make '%s'",
			    d);
		free(d);
	} else if (!S_ISDIR(st.st_mode))
		zn_die(ZN_EXIT_UNAVAILABLE, "'%s' is not a directory", dir);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d_%H%M%S", &tm);
	id = zn_xasprintf("%s_%s", stamp, name);
	path = zn_xasprintf("%s/%s.yaml", dir, id);
	if (stat(path, &st) == 0)
		zn_die(ZN_EXIT_UNAVAILABLE, "'%s' exists already; wait a "
		    "second or choose another --name", path);
	zn_out_open(&o, path);
	zn_plan_write_yaml(p, o.fp, id);
	zn_out_commit(&o);
	free(id);
	return path;
}

/* The drop policy named s into o: 0 when s names none. */
static int
droppolicy(struct zn_diff_opts *o, const char *s)
{
	if (strcmp(s, "soft") == 0)
		o->drop = ZN_DROP_SOFT;
	else if (strcmp(s, "archive") == 0)
		o->drop = ZN_DROP_ARCHIVE;
	else if (strcmp(s, "drop") == 0)
		o->drop = ZN_DROP_DROP;
	else
		return 0;
	return 1;
}

int
main(int argc, char *argv[])
{
	struct ctx x;
	struct zn_graph ga, gb;
	struct zn_plan p;
	struct zn_diff_opts o;
	char **incl = NULL, **excl = NULL, *schema = NULL, *path;
	const char *dir = NULL, *outdir = NULL, *name = "migration";
	const char *readpath = NULL, *from, *to;
	size_t nincl = 0, nexcl = 0;
	int ch, jflag = 0, exitcode = 0, status, namegiven = 0, allow = 0;
	int sqlflag = 0, yamlflag = 0;
	int policyset = 0;
	char *migdir = NULL, buf[32];
	const char *policy;

	zn_init(argv[0]);
	memset(&x, 0, sizeof(x));
	memset(&o, 0, sizeof(o));
	o.drop = ZN_DROP_SOFT;
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
			x.dbname = optarg;
			break;
		case 'n':
			zn_strv_push(&incl, &nincl, optarg);
			break;
		case 'o':
			outdir = optarg;
			break;
		case 'u' + 256:
			allow = 1;
			break;
		case 'c' + 256:
			zn_complete(longopts);
		case 'e' + 256:
			exitcode = 1;
			break;
		case 'h' + 256:
			zn_help(usage);
		case 'j' + 256:
			jflag = 1;
			break;
		case 'q' + 256:
			sqlflag = 1;
			break;
		case 'y' + 256:
			yamlflag = 1;
			break;
		case 'm' + 256:
			namegiven = 1;
			name = optarg;
			checkname(name);
			break;
		case 'p' + 256:
			if (!droppolicy(&o, optarg))
				zn_usage_error("--drop-policy is soft, archive "
				    "or drop, not '%s'", optarg);
			policyset = 1;
			break;
		case 'r' + 256:
			readpath = optarg;
			break;
		case 'O' + 256:
			x.offline = 1;
			break;
		case 's' + 256:
			x.scratch = optarg;
			break;
		case 'v' + 256:
			zn_version();
		default:
			zn_bad_option();
		}
	argc -= optind;
	argv += optind;
	if (argc > 2)
		zn_usage_error("unexpected argument '%s'", argv[2]);
	if (outdir != NULL && *outdir == '\0')
		zn_usage_error("-o needs a directory");
	if (sqlflag && (jflag || outdir != NULL || namegiven))
		zn_usage_error("--sql writes a script: not with --json, -o or "
		    "--name");
	if (yamlflag && (sqlflag || jflag || outdir != NULL || namegiven ||
	    x.offline))
		zn_usage_error("--yaml writes a declaration: not with --sql, "
		    "--json, --offline, -o or --name");
	if (yamlflag && (argc != 2 || strcmp(argv[0], "@empty") != 0))
		zn_usage_error("--yaml writes TO as a declaration: give FROM "
		    "as @empty, and TO");

	if (readpath != NULL) {
		if (argc > 0 || outdir != NULL)
			zn_usage_error("--read takes no other schemas and no "
			    "-o");
		zn_plan_read(&p, readpath);
		zn_plan_write(&p, stdout, NULL);
		zn_plan_release(&p);
		return zn_finish(ZN_EXIT_OK);
	}

	zn_config_load(&x.cfg, dir);
	/* The flag, then ZN_DROP_POLICY, the environment's, the file's. */
	if (!policyset && (policy = zn_config_opt(&x.cfg, "diff",
	    "drop_policy", "ZN_DROP_POLICY", buf, sizeof(buf))) != NULL &&
	    !droppolicy(&o, policy))
		zn_usage_error("ZN_DROP_POLICY is soft, archive or drop, not "
		    "'%s'", policy);
	x.so.schemas = (const char *const *)(incl != NULL ? incl :
	    x.cfg.schemas);
	x.so.exclude_schemas = (const char *const *)(excl != NULL ? excl :
	    x.cfg.exclude_schemas);
	x.so.ledger_schema = x.cfg.ledger_schema;
	from = argc >= 2 ? argv[0] : "@";
	to = argc >= 2 ? argv[1] : argc == 1 ? argv[0] : NULL;
	if (to == NULL) {
		schema = zn_config_path(&x.cfg, x.cfg.schema);
		if (schema == NULL)
			zn_die(ZN_EXIT_UNAVAILABLE, "no schema to compare "
			    "with: give FROM and TO, or set 'schema' in "
			    "zanith.yaml");
		to = schema;
	}
	if (strcmp(from, "-") == 0 && strcmp(to, "-") == 0)
		zn_usage_error("only one of FROM and TO can be stdin");
	/* The live side first: a declaration renders as its server would. */
	if (strcmp(from, "@empty") == 0 && strcmp(to, "@empty") == 0)
		zn_usage_error("only one of FROM and TO can be @empty");
	if (strcmp(to, "@") == 0 || strcmp(from, "@empty") == 0) {
		load(&x, &gb, to);
		load(&x, &ga, from);
	} else {
		load(&x, &ga, from);
		load(&x, &gb, to);
	}
	/* The empty side has what a new database has, as the other sees it. */
	if (strcmp(from, "@empty") == 0) {
		zn_graph_release(&ga);
		empty(&ga, &gb);
	} else if (strcmp(to, "@empty") == 0) {
		zn_graph_release(&gb);
		empty(&gb, &ga);
	}
	if (ga.server_version_num / 10000 != gb.server_version_num / 10000 &&
	    ga.server_version_num != 0 && gb.server_version_num != 0)
		zn_die(ZN_EXIT_UNAVAILABLE, "the graphs come from PostgreSQL "
		    "%ld and %ld: text rendered by different major versions "
		    "cannot be compared", ga.server_version_num / 10000,
		    gb.server_version_num / 10000);
	allow |= x.cfg.allow_unmodelled;
	unmodelled(&ga, strcmp(from, "@") == 0 ? "the live database" : from,
	    allow);
	unmodelled(&gb, strcmp(to, "@") == 0 ? "the live database" : to,
	    allow);
	zn_diff(&p, &ga, &gb, &o);

	status = exitcode && p.n > 0 ? ZN_EXIT_NEGATIVE : ZN_EXIT_OK;
	/* --name alone writes into the configured migrations directory. */
	if (outdir == NULL && namegiven)
		outdir = migdir = zn_config_path(&x.cfg, x.cfg.migrations);
	if (outdir != NULL) {
		if (p.n == 0)
			fprintf(stderr, "%s: no differences; no migration "
			    "written\n", zn_progname);
		else {
			path = writemigration(&p, outdir, name);
			if (zn_term_isatty(stdout) && !jflag)
				printf("%s\n", path);
			else
				fprintf(stderr, "%s: wrote %s (%zu ops)\n",
				    zn_progname, path, p.n);
			free(path);
		}
	} else if (sqlflag)
		sqlscript(&p, stdout);
	else if (yamlflag)
		pull(&x, &p, &gb, to);
	else if (!jflag && zn_term_isatty(stdout))
		summary(&p, stdout);
	else
		zn_plan_write(&p, stdout, NULL);
	zn_plan_release(&p);
	zn_graph_release(&ga);
	zn_graph_release(&gb);
	zn_config_release(&x.cfg);
	free(schema);
	free(migdir);
	zn_strv_free(incl);
	zn_strv_free(excl);
	return zn_finish(status);
}
