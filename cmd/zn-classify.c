/* SPDX-License-Identifier: ISC */
/*
 * zn-classify: give every op of a stream a risk level, a score and the
 * reasons for them, check the plan against the gates, and write the
 * stream again with the verdict.  On a terminal it prints the plan for
 * people instead.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zn.h"

static const char usage[] =
"usage: zn-classify [-C dir] [-d conninfo | --offline] [--env name]\n"
"                   [--max-risk N] [--allow-destructive] [--fail-on codes]\n"
"                   [--allow codes] [--lock-timeout dur]\n"
"                   [--max-lock-timeout dur] [--probe-timeout dur]\n"
"                   [--no-preflight] [--stats file] [--server-version V]\n"
"                   [--small-rows N] [--large-rows N] [--large-bytes size]\n"
"                   [-v] [--json] [input]\n"
"       zn-classify --list-codes\n"
"\n"
"Give every op of an op stream (stdin, a file, a migration file or a\n"
"directory of them) a risk level, a score from 0 to 100 and its reason\n"
"codes; check the plan against the gates; write the stream again with\n"
"the verdict.  Exit 1 when a gate refuses.\n"
"\n"
"Options:\n"
"  -C, --directory=DIR       read DIR/zanith.yaml (default: .)\n"
"  -d, --dbname=CONNINFO     the live database: table sizes, old column\n"
"                            types, and the data probes\n"
"      --offline             no database, even if one is configured\n"
"      --env=NAME            the gates of environment NAME in zanith.yaml\n"
"      --max-risk=N          refuse an op scoring more than N\n"
"      --allow-destructive   let ops that lose data through\n"
"      --fail-on=CODES       refuse ops raising any of these codes\n"
"      --allow=CODES         refuse ops raising any code not listed\n"
"      --lock-timeout=DUR    the lock_timeout steps run with (5s)\n"
"      --max-lock-timeout=DUR\n"
"                            the most a step may set (60s)\n"
"      --probe-timeout=DUR   bound on each data probe (5s)\n"
"      --no-preflight        no data probes\n"
"      --stats=FILE          table sizes: CSV schema,table,rows,bytes\n"
"      --server-version=V    classify for PostgreSQL V (11, 12, 14.2, ...)\n"
"      --small-rows=N        below N rows a table is small (10000)\n"
"      --large-rows=N        from N rows a table is large (1000000)\n"
"      --large-bytes=SIZE    from SIZE a table is large (1GiB)\n"
"  -v, --verbose             on a terminal, the SQL and every reason\n"
"      --list-codes          print the reason codes and exit\n"
"      --json                records even when stdout is a terminal\n"
"      --help                show this help and exit\n"
"      --version             show the version and exit\n"
"\n"
"See zn-classify(1).\n";

static const struct option longopts[] = {
	{ "allow", required_argument, NULL, 'a' + 256 },
	{ "allow-destructive", no_argument, NULL, 'D' + 256 },
	{ "complete", no_argument, NULL, 'c' + 256 },
	{ "dbname", required_argument, NULL, 'd' },
	{ "directory", required_argument, NULL, 'C' },
	{ "env", required_argument, NULL, 'E' + 256 },
	{ "fail-on", required_argument, NULL, 'f' + 256 },
	{ "help", no_argument, NULL, 'h' + 256 },
	{ "json", no_argument, NULL, 'j' + 256 },
	{ "large-bytes", required_argument, NULL, 'B' + 256 },
	{ "large-rows", required_argument, NULL, 'L' + 256 },
	{ "list-codes", no_argument, NULL, 'l' + 256 },
	{ "lock-timeout", required_argument, NULL, 't' + 256 },
	{ "max-lock-timeout", required_argument, NULL, 'T' + 256 },
	{ "max-risk", required_argument, NULL, 'm' + 256 },
	{ "no-preflight", no_argument, NULL, 'P' + 256 },
	{ "offline", no_argument, NULL, 'O' + 256 },
	{ "probe-timeout", required_argument, NULL, 'p' + 256 },
	{ "server-version", required_argument, NULL, 's' + 256 },
	{ "small-rows", required_argument, NULL, 'S' + 256 },
	{ "stats", required_argument, NULL, 'x' + 256 },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' + 256 },
	{ NULL, 0, NULL, 0 }
};

/* A comma-separated list of reason codes; a bad one is a usage error. */
static char **
codelist(const char *opt, const char *arg)
{
	char **list = NULL, *copy = zn_xstrdup(arg), *s, *save = NULL;
	size_t n = 0;

	for (s = strtok_r(copy, ", ", &save); s != NULL;
	    s = strtok_r(NULL, ", ", &save)) {
		if (!zn_risk_known(s))
			zn_usage_error("%s: '%s' is no reason code "
			    "(zn-classify --list-codes)", opt, s);
		zn_strv_push(&list, &n, s);
	}
	free(copy);
	if (list == NULL)
		zn_strv_push(&list, &n, "");
	return list;
}

static char **
jsoncodes(const json_t *v)
{
	char **list = NULL;
	size_t n = 0, i;
	const json_t *e;

	if (json_is_string(v))
		zn_strv_push(&list, &n, json_string_value(v));
	json_array_foreach(v, i, e)
		zn_strv_push(&list, &n, json_string_value(e));
	if (list == NULL)
		zn_strv_push(&list, &n, "");
	return list;
}

static long
jms(const json_t *v)
{
	char buf[64];

	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%lld",
		    (long long)json_integer_value(v));
		return zn_parse_ms(buf);
	}
	return zn_parse_ms(json_string_value(v));
}

/* Gates from zanith.yaml (checked when it was read). */
static void
applygates(struct zn_risk_opts *o, const json_t *g, char ***fail,
    char ***allow)
{
	const json_t *v;
	char buf[64];

	if (g == NULL)
		return;
	if ((v = json_object_get(g, "max_risk")) != NULL)
		o->max_risk = json_is_null(v) ? -1 : json_is_string(v) ?
		    zn_level_budget(json_string_value(v)) :
		    (int)json_integer_value(v);
	if ((v = json_object_get(g, "allow_destructive")) != NULL)
		o->allow_destructive = json_is_true(v);
	if ((v = json_object_get(g, "preflight")) != NULL)
		o->preflight = json_is_true(v);
	if ((v = json_object_get(g, "fail_on")) != NULL) {
		zn_strv_free(*fail);
		*fail = jsoncodes(v);
	}
	if ((v = json_object_get(g, "allow")) != NULL) {
		zn_strv_free(*allow);
		*allow = jsoncodes(v);
	}
	if ((v = json_object_get(g, "lock_timeout")) != NULL)
		o->lock_timeout_ms = jms(v);
	if ((v = json_object_get(g, "max_lock_timeout")) != NULL)
		o->max_lock_timeout_ms = jms(v);
	if ((v = json_object_get(g, "probe_timeout")) != NULL)
		o->probe_timeout_ms = jms(v);
	if ((v = json_object_get(g, "small_rows")) != NULL)
		o->small_rows = (double)json_integer_value(v);
	if ((v = json_object_get(g, "large_rows")) != NULL)
		o->large_rows = (double)json_integer_value(v);
	if ((v = json_object_get(g, "large_bytes")) != NULL) {
		if (json_is_integer(v)) {
			snprintf(buf, sizeof(buf), "%lld",
			    (long long)json_integer_value(v));
			o->large_bytes = zn_parse_bytes(buf);
		} else
			o->large_bytes = zn_parse_bytes(json_string_value(v));
	}
}

static double
countarg(const char *opt, const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || v < 0)
		zn_usage_error("%s takes a number, not '%s'", opt, arg);
	return v;
}

/* "15", "15.4", "14.2" or a server_version_num such as 140002. */
static long
versionarg(const char *arg)
{
	char *end;
	long major, minor = 0;

	errno = 0;
	major = strtol(arg, &end, 10);
	if (errno == 0 && *end == '\0' && major >= 90000)
		return major;
	if (errno != 0 || end == arg || (*end != '\0' && *end != '.'))
		goto bad;
	if (*end == '.') {
		const char *m = end + 1;

		minor = strtol(m, &end, 10);
		if (end == m || *end != '\0' || minor < 0 || minor > 99)
			goto bad;
	}
	if (major < 10 || major > 99)
		goto bad;
	return major * 10000 + minor;
bad:
	zn_usage_error("--server-version takes a version such as 15, 14.2 "
	    "or 150004, not '%s'", arg);
}

static void
listcodes(void)
{
	int i;

	for (i = 0; i < ZN_NCODES; i++)
		printf("%-38s %3d  %s\n", zn_risk_code_name(i),
		    zn_risk_code_score(i), zn_risk_code_text(i));
	zn_risk_aliases(stdout);
}

static const char *const pillcolor[] = { "\033[30;47m", "\033[30;46m",
    "\033[30;43m", "\033[30;45m", "\033[97;41m", "\033[97;41;1m" };

static int
levelnum(const char *name)
{
	int i;

	for (i = 0; i <= ZN_CRITICAL; i++)
		if (strcmp(zn_level_name(i), name) == 0)
			return i;
	return ZN_CRITICAL;
}

static void
pill(FILE *fp, const char *level, int color)
{
	char up[16];
	size_t i;

	for (i = 0; level[i] != '\0' && i < sizeof(up) - 1; i++)
		up[i] = (char)toupper((unsigned char)level[i]);
	up[i] = '\0';
	if (color)
		fprintf(fp, "%s %-11s\033[0m", pillcolor[levelnum(level)], up);
	else
		fprintf(fp, "[%s]%*s", level, (int)(11 - strlen(level)), "");
}

/* The SQL, the details and the probes' samples of one op (-v). */
static void
details(FILE *fp, const struct zn_op *op, const json_t *risk)
{
	const json_t *c;
	size_t j;

	json_array_foreach(zn_op_sql(op), j, c)
		fprintf(fp, "      %s\n", json_string_value(c));
	json_array_foreach(json_object_get(json_object_get(risk,
	    "facts"), "details"), j, c)
		fprintf(fp, "      · %s (%d): %s\n", zn_json_str(c,
		    "code"), (int)json_integer_value(json_object_get(c,
		    "score")), zn_json_str(c, "detail"));
	json_array_foreach(json_object_get(json_object_get(risk,
	    "facts"), "notes"), j, c)
		fprintf(fp, "      · %s\n", json_string_value(c));
	json_array_foreach(json_object_get(json_object_get(risk,
	    "facts"), "probes"), j, c) {
		const json_t *row;
		size_t k;

		fprintf(fp, "      probe %s on %s: %s\n",
		    zn_json_str(c, "check"), zn_json_str(c, "relation"),
		    zn_json_str(c, "status"));
		json_array_foreach(json_object_get(c, "rows"), k, row)
			fprintf(fp, "        %s\n",
			    json_string_value(row));
	}
}

/* The plan for people: one line per op, then the worst and the verdict. */
static void
render(const struct zn_plan *p, FILE *fp, int verbose)
{
	int color = zn_term_color(fp);
	const json_t *t = p->trailer, *v;
	size_t i, j, w = 0;

	if (p->n == 0) {
		fprintf(fp, "No ops: nothing to classify.\n");
		return;
	}
	for (i = 0; i < p->n; i++)
		if (strlen(p->ops[i].op) > w)
			w = strlen(p->ops[i].op);
	for (i = 0; i < p->n; i++) {
		const struct zn_op *op = &p->ops[i];
		json_t *risk = zn_op_risk(op);
		const json_t *reasons = json_object_get(risk, "reasons");
		const json_t *c;
		int first = 1;

		fprintf(fp, "%02zu ", i + 1);
		pill(fp, zn_json_str(risk, "level"), color);
		fprintf(fp, " %3d  %-*s %s", (int)json_integer_value(
		    json_object_get(risk, "score")), (int)w, op->op,
		    op->target);
		json_array_foreach(reasons, j, c) {
			fprintf(fp, "%s%s", first ? "  " : ", ",
			    json_string_value(c));
			first = 0;
		}
		if (json_object_get(risk, "refused_by") != NULL)
			fprintf(fp, "  %s✗ refused%s", color ? "\033[1;31m" :
			    "", color ? "\033[0m" : "");
		fputc('\n', fp);
		if (verbose)
			details(fp, op, risk);
		json_decref(risk);
	}
	fprintf(fp, "\nWorst risk: %s%s%s (%d) · %zu op%s:", color ?
	    "\033[1m" : "", zn_json_str(t, "worst"), color ? "\033[0m" : "",
	    (int)json_integer_value(json_object_get(t, "max_score")), p->n,
	    p->n == 1 ? "" : "s");
	for (i = 0; i <= ZN_CRITICAL; i++)
		if ((v = json_object_get(json_object_get(t, "levels"),
		    zn_level_name((int)i))) != NULL)
			fprintf(fp, " %d %s", (int)json_integer_value(v),
			    zn_level_name((int)i));
	fputc('\n', fp);
	if (strcmp(zn_json_str(t, "verdict"), "ok") == 0) {
		fprintf(fp, "Verdict: %sok%s\n", color ? "\033[1;32m" : "",
		    color ? "\033[0m" : "");
		return;
	}
	fprintf(fp, "Verdict: %sblocked%s\n", color ? "\033[1;31m" : "",
	    color ? "\033[0m" : "");
	json_array_foreach(json_object_get(t, "refusals"), i, v) {
		/* A refusal's step is 1-based. */
		const json_t *op = v;

		fprintf(fp, "  Step %02d (%s) %s\n", (int)json_integer_value(
		    json_object_get(op, "step")), zn_json_str(op, "op"),
		    zn_json_str(op, "reason"));
	}
	if (p->trailer != NULL && zn_json_str(p->trailer, "verdict") != NULL &&
	    !verbose)
		fprintf(fp, "Use -v for the SQL and every reason, --json for "
		    "the op stream.\n");
}

int
main(int argc, char *argv[])
{
	struct zn_config cfg;
	struct zn_risk_opts o, fl;
	/*
	 * The plan is not freed at exit: the kernel takes the memory back
	 * at once, where free() would walk every record (a fifth of the
	 * run on 10,000 ops).  Static, it stays reachable, so leak checkers
	 * do not count it; sanitizer builds free it, so that the releases
	 * are checked too.
	 */
	static struct zn_plan p;
	char **fail = NULL, **allow = NULL, **ffail = NULL, **fallow = NULL;
	const char *dir = NULL, *dbname = NULL, *env = NULL, *input = "-";
	const char *conninfo;
	int ch, jflag = 0, verbose = 0, offline = 0, blocked;
	int set_max = 0, set_destr = 0, set_lt = 0, set_mlt = 0, set_pt = 0;
	int set_pre = 0, set_small = 0, set_large = 0, set_bytes = 0;

	zn_init(argv[0]);
	zn_risk_opts_init(&fl);
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	while ((ch = getopt_long(argc, argv, "C:d:v", longopts, NULL)) != -1)
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'd':
			dbname = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'a' + 256:
			zn_strv_free(fallow);
			fallow = codelist("--allow", optarg);
			break;
		case 'D' + 256:
			fl.allow_destructive = set_destr = 1;
			break;
		case 'c' + 256:
			zn_complete(longopts);
		case 'E' + 256:
			env = optarg;
			break;
		case 'f' + 256:
			zn_strv_free(ffail);
			ffail = codelist("--fail-on", optarg);
			break;
		case 'h' + 256:
			zn_help(usage);
		case 'j' + 256:
			jflag = 1;
			break;
		case 'B' + 256:
			fl.large_bytes = zn_parse_bytes(optarg);
			if (fl.large_bytes < 0)
				zn_usage_error("--large-bytes takes a size "
				    "such as 1GiB, not '%s'", optarg);
			set_bytes = 1;
			break;
		case 'L' + 256:
			fl.large_rows = countarg("--large-rows", optarg);
			set_large = 1;
			break;
		case 'l' + 256:
			listcodes();
			return zn_finish(ZN_EXIT_OK);
		case 't' + 256:
			fl.lock_timeout_ms = zn_duration_arg("--lock-timeout",
			    optarg, 0);
			set_lt = 1;
			break;
		case 'T' + 256:
			fl.max_lock_timeout_ms = zn_duration_arg(
			    "--max-lock-timeout", optarg, 0);
			set_mlt = 1;
			break;
		case 'm' + 256: {
			char *end;
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (zn_level_budget(optarg) >= 0)
				v = zn_level_budget(optarg);
			else if (errno != 0 || end == optarg || *end != '\0' ||
			    v < 0 || v > 100)
				zn_usage_error("--max-risk takes a score from "
				    "0 to 100 or a level (safe, low, medium, "
				    "high, destructive, critical), not '%s'",
				    optarg);
			fl.max_risk = (int)v;
			set_max = 1;
			break;
		}
		case 'P' + 256:
			fl.preflight = 0;
			set_pre = 1;
			break;
		case 'O' + 256:
			offline = 1;
			break;
		case 'p' + 256:
			fl.probe_timeout_ms = zn_duration_arg(
			    "--probe-timeout", optarg, 0);
			set_pt = 1;
			break;
		case 's' + 256:
			fl.server_version = versionarg(optarg);
			break;
		case 'S' + 256:
			fl.small_rows = countarg("--small-rows", optarg);
			set_small = 1;
			break;
		case 'x' + 256:
			fl.stats_path = optarg;
			break;
		case 'V' + 256:
			zn_version();
		default:
			zn_bad_option();
		}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		zn_usage_error("unexpected argument '%s'", argv[1]);
	if (argc == 1)
		input = argv[0];
	if (offline && dbname != NULL)
		zn_usage_error("--offline and -d exclude each other");

	/* Defaults < zanith.yaml gates < environment < flags. */
	zn_config_load(&cfg, dir);
	zn_risk_opts_init(&o);
	applygates(&o, cfg.gates, &fail, &allow);
	if (env == NULL && getenv("ZN_ENV") != NULL && *getenv("ZN_ENV"))
		env = getenv("ZN_ENV");
	if (env != NULL) {
		const json_t *e = json_object_get(cfg.environments, env);

		if (e == NULL)
			zn_usage_error("no environment '%s' in %s", env,
			    cfg.path != NULL ? cfg.path : "zanith.yaml (none "
			    "found)");
		applygates(&o, e, &fail, &allow);
	}
	if (set_max)
		o.max_risk = fl.max_risk;
	if (set_destr)
		o.allow_destructive = 1;
	if (set_lt)
		o.lock_timeout_ms = fl.lock_timeout_ms;
	if (set_mlt)
		o.max_lock_timeout_ms = fl.max_lock_timeout_ms;
	if (set_pt)
		o.probe_timeout_ms = fl.probe_timeout_ms;
	if (set_pre)
		o.preflight = 0;
	if (set_small)
		o.small_rows = fl.small_rows;
	if (set_large)
		o.large_rows = fl.large_rows;
	if (set_bytes)
		o.large_bytes = fl.large_bytes;
	o.server_version = fl.server_version;
	o.stats_path = fl.stats_path;
	if (ffail != NULL) {
		zn_strv_free(fail);
		fail = ffail;
	}
	if (fallow != NULL) {
		zn_strv_free(allow);
		allow = fallow;
	}
	o.fail_on = fail;
	o.allow = allow;
	if (o.lock_timeout_ms > o.max_lock_timeout_ms)
		zn_usage_error("the lock timeout (%ld ms) is over the maximum "
		    "(%ld ms)", o.lock_timeout_ms, o.max_lock_timeout_ms);

	zn_plan_read(&p, input);
	conninfo = dbname != NULL ? dbname : zn_pg_target(NULL, &cfg);
	if (!offline && (dbname != NULL || conninfo != NULL)) {
		o.conn = zn_pg_connect(conninfo);
		zn_pg_cancel_at_signal(o.conn);
	}
	blocked = zn_classify(&p, &o);
	if (!jflag && zn_term_isatty(stdout))
		render(&p, stdout, verbose);
	else
		zn_plan_write(&p, stdout, NULL);
	if (o.conn != NULL)
		PQfinish(o.conn);
#ifdef ZN_FREE_AT_EXIT
	zn_plan_release(&p);
#endif
	zn_config_release(&cfg);
	zn_strv_free(fail);
	zn_strv_free(allow);
	return zn_finish(blocked ? ZN_EXIT_NEGATIVE : ZN_EXIT_OK);
}
