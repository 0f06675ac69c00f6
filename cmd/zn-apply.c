/* SPDX-License-Identifier: ISC */
/*
 * zn-apply: run the steps of an op stream or of migration files against
 * a live database, one step at a time, under the migration lock, each
 * step recorded in the ledger in the same transaction as its DDL
 * (zn-apply(1), zn-ledger(7)).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "zn.h"

static const char usage[] =
"usage: zn-apply [-C dir] [-d conninfo] [--ledger-schema name]\n"
"                [--lock-wait dur] [--lock-timeout dur]\n"
"                [--statement-timeout dur] [--retries N] [--atomic]\n"
"                [--allow-out-of-order] [--allow-unmodelled]\n"
"                [--require-verified] [--retention days]\n"
"                [--steps N] [--to ID] [--reverts ID,...]\n"
"                [--dry-run] [--json] [input]\n"
"\n"
"Apply an op stream (stdin or a file), a migration file or a directory\n"
"of them to the database, one step at a time, under the migration lock,\n"
"recording every step in the ledger.  A re-run resumes where a failed or\n"
"interrupted run stopped and runs nothing twice.\n"
"\n"
"Options:\n"
"  -C, --directory=DIR         read DIR/zanith.yaml (default: .)\n"
"  -d, --dbname=CONNINFO       the database (a direct connection)\n"
"      --ledger-schema=NAME    the ledger's schema (default: public)\n"
"      --lock-wait=DUR         wait for the migration lock, and for each\n"
"                              table lock the schema read before a\n"
"                              migration needs (60s)\n"
"      --lock-timeout=DUR      each step's lock_timeout when the plan\n"
"                              gives none (5s)\n"
"      --statement-timeout=DUR each transactional step's bound (0: none)\n"
"      --retries=N             retries of a step that times out on a lock\n"
"                              or deadlocks (5)\n"
"      --atomic                each migration in one transaction\n"
"      --allow-out-of-order    apply migrations older than applied ones\n"
"      --allow-unmodelled      apply even when the database holds objects\n"
"                              of kinds the graph does not model\n"
"      --require-verified      refuse a plan zn-shadow did not verify\n"
"      --retention=DAYS        keep what steps park DAYS days before it\n"
"                              expires (zanith.yaml retention; 30)\n"
"      --steps=N               run at most N steps\n"
"      --to=ID                 stop after migration ID\n"
"      --reverts=ID,...        a down run (zn down): the plan undoes\n"
"                              these applied migrations, which turn\n"
"                              pending with its last step\n"
"  -n, --dry-run               print what would run; write nothing\n"
"      --json                  one record per step event\n"
"      --help                  show this help and exit\n"
"      --version               show the version and exit\n"
"\n"
"Exit: 0 done, 1 a step failed or the plan is blocked, 2 cannot connect,\n"
"3 the lock is busy, 4 the ledger disagrees, 64 usage, 65 bad input,\n"
"130 signal.\n"
"See zn-apply(1).\n";

static const struct option longopts[] = {
	{ "allow-out-of-order", no_argument, NULL, 'O' + 256 },
	{ "allow-unmodelled", no_argument, NULL, 'U' + 256 },
	{ "atomic", no_argument, NULL, 'a' + 256 },
	{ "complete", no_argument, NULL, 'c' + 256 },
	{ "dbname", required_argument, NULL, 'd' },
	{ "directory", required_argument, NULL, 'C' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' + 256 },
	{ "json", no_argument, NULL, 'j' + 256 },
	{ "ledger-schema", required_argument, NULL, 'L' + 256 },
	{ "lock-timeout", required_argument, NULL, 't' + 256 },
	{ "lock-wait", required_argument, NULL, 'w' + 256 },
	{ "require-verified", no_argument, NULL, 'R' + 256 },
	{ "retention", required_argument, NULL, 'k' + 256 },
	{ "retries", required_argument, NULL, 'r' + 256 },
	{ "reverts", required_argument, NULL, 'D' + 256 },
	{ "statement-timeout", required_argument, NULL, 's' + 256 },
	{ "steps", required_argument, NULL, 'S' + 256 },
	{ "to", required_argument, NULL, 'T' + 256 },
	{ "version", no_argument, NULL, 'v' + 256 },
	{ NULL, 0, NULL, 0 }
};

static volatile sig_atomic_t stopsig;

static void
onsignal(int sig)
{
	stopsig = sig;
}

/* How zn-apply reports: records with --json, else lines for people. */
struct out {
	const char *runid;
	int json, color;
};

static void
event(void *arg, const struct zn_apply_event *e)
{
	const struct out *o = arg;

	if (o->json) {
		json_t *r = json_pack("{s:s, s:s, s:s, s:i, s:I, s:s, s:s, "
		    "s:s}", "kind", "step", "run", o->runid, "migration",
		    e->migration, "step", e->step, "plan_step",
		    (json_int_t)e->plan_step, "op", e->op, "target", e->target,
		    "status", e->status);

		if (e->ms >= 0)
			json_object_set_new(r, "elapsed_ms",
			    json_integer((json_int_t)e->ms));
		if (e->level != NULL)
			json_object_set_new(r, "level", json_string(e->level));
		if (e->detail != NULL)
			json_object_set_new(r, "detail",
			    json_string(e->detail));
		zn_json_emit(stdout, r);
		json_decref(r);
	} else {
		int ok = strcmp(e->status, "done") == 0;
		int skip = strcmp(e->status, "skipped") == 0;
		int would = strcmp(e->status, "would run") == 0;
		const char *sig = ok ? "✓" : skip ? "↻" : would ? "·" : "✗";
		const char *on = "", *off = "";

		if (o->color) {
			off = "\033[0m";
			on = !ok && !skip && !would ? "\033[1;31m" : ok ?
			    "\033[32m" : "\033[2m";
		}
		/* Names from files and plans, shown, not obeyed. */
		printf("%s%s%s ", on, sig, off);
		zn_fputs_safe(e->migration, stdout);
		printf(" %02d %-20s %-8s", e->step, e->op, e->level != NULL ?
		    e->level : "-");
		if (e->ms >= 0)
			printf(" %6.0f ms", e->ms);
		fputs("  ", stdout);
		zn_fputs_safe(e->target, stdout);
		if (!ok && !skip && !would)
			printf("  %s", e->status);
		putchar('\n');
		if (e->detail != NULL) {
			fputs("    ", stdout);
			zn_fputs_safe(e->detail, stdout);
			putchar('\n');
		}
		if (would)
			fputs(e->sql, stdout);
	}
	fflush(stdout);
}

/* A dry run's record of each migration's state in the ledger. */
static void
mstate(void *arg, const struct zn_mig *m)
{
	const struct out *o = arg;
	json_t *r;

	if (!o->json)
		return;
	r = json_pack("{s:s, s:s, s:s, s:s, s:I}", "kind", "migration",
	    "run", o->runid, "migration", m->id, "state",
	    zn_mstate_name(m->state), "steps", (json_int_t)m->n);
	if (m->problem != NULL)
		json_object_set_new(r, "detail", json_string(m->problem));
	zn_json_emit(stdout, r);
	json_decref(r);
}

/*
 * ZN_FAULT=step:N:POINT kills the process (SIGKILL, no cleanup) at POINT
 * of the Nth step this run executes: before_exec, after_exec (before the
 * commit), after_commit (before the next step), during (a
 * non-transactional step, once its statement is sent), or
 * ZN_FAULT=before_unlock; with ":term" after it, sends itself SIGTERM
 * there instead and goes on.  Test builds only.
 */
#ifdef ZN_FAULTS
static void
fault(struct zn_apply *a, const char *point, int nth, const char *sql)
{
	const char *f = getenv("ZN_FAULT");
	char want[64];

	if (f == NULL)
		return;
	if (nth > 0)
		snprintf(want, sizeof(want), "step:%d:%s", nth, point);
	else
		snprintf(want, sizeof(want), "%s", point);
	if (strncmp(f, want, strlen(want)) == 0 &&
	    strcmp(f + strlen(want), ":term") == 0) {
		raise(SIGTERM);
		return;
	}
	if (strcmp(f, want) != 0)
		return;
	if (sql != NULL) {
		/* Killed with the statement running on the server. */
		PQsendQuery(a->conn, sql);
		PQflush(a->conn);
		zn_sleep_ms(300, NULL);
	}
	fflush(stdout);
	fprintf(stderr, "zn-apply: fault %s: killed\n", want);
	kill(getpid(), SIGKILL);
}
#endif

static long
number(const char *opt, const char *arg)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno != 0 || *end != '\0' || end == arg || n < 0)
		zn_usage_error("%s takes a number, not '%s'", opt, arg);
	return n;
}

int
main(int argc, char *argv[])
{
	static struct zn_plan p;
	struct zn_snapshot_opts snap;
	struct zn_config cfg;
	struct zn_apply a;
	struct out o;
	struct sigaction sa;
	const char *dir = NULL, *dbname = NULL, *input = "-", *lschema = NULL;
	const char *verdict;
	struct stat sb;
	size_t i;
	int ch, status, refused;
	int setwait = 0, setlock = 0, setstmt = 0, setretries = 0;
	long retention = 0;
	char buf[32];
	const char *t;

	zn_init(argv[0]);
	zn_apply_init(&a);
	memset(&o, 0, sizeof(o));
	while ((ch = getopt_long(argc, argv, "C:d:n", longopts, NULL)) != -1)
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'd':
			dbname = optarg;
			break;
		case 'n':
			a.dry = 1;
			break;
		case 'O' + 256:
			a.allowooo = 1;
			break;
		case 'U' + 256:
			a.allow_unmodelled = 1;
			break;
		case 'a' + 256:
			a.atomic = 1;
			break;
		case 'c' + 256:
			zn_complete(longopts);
		case 'h' + 256:
			fputs(usage, stdout);
			return zn_finish(ZN_EXIT_OK);
		case 'j' + 256:
			o.json = 1;
			break;
		case 'L' + 256:
			lschema = optarg;
			break;
		case 't' + 256:
			a.locktimeout = zn_duration_arg("--lock-timeout",
			    optarg, 0);
			setlock = 1;
			break;
		case 'w' + 256:
			a.lockwait = zn_duration_arg("--lock-wait", optarg, 1);
			setwait = 1;
			break;
		case 'r' + 256:
			a.retries = (int)number("--retries", optarg);
			setretries = 1;
			break;
		case 'R' + 256:
			a.require_verified = 1;
			break;
		case 'k' + 256:
			if ((retention = zn_parse_days(optarg)) < 0)
				zn_usage_error("--retention: days from 1 to "
				    "36500, such as 30 or 30d, not '%s'", optarg);
			break;
		case 's' + 256:
			a.stmttimeout = zn_duration_arg(
			    "--statement-timeout", optarg, 1);
			setstmt = 1;
			break;
		case 'S' + 256:
			a.maxsteps = number("--steps", optarg);
			break;
		case 'T' + 256:
			a.to = optarg;
			break;
		case 'D' + 256:
			if (*optarg == ',' || strchr(optarg, '\n') != NULL ||
			    strstr(optarg, ",,") != NULL ||
			    optarg[strlen(optarg) - 1] == ',')
				zn_usage_error("--reverts: migration ids, "
				    "comma-separated, not '%s'", optarg);
			a.reverts = optarg;
			break;
		case 'v' + 256:
			zn_version();
		default:
			fputs(usage, stderr);
			return ZN_EXIT_USAGE;
		}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		zn_usage_error("one input at most");
	if (argc == 1)
		input = argv[0];
	zn_config_load(&cfg, dir);
	/* Flags, ZN_* variables, then the environment's and the file's. */
	if (!setwait && (t = zn_config_opt(&cfg, "apply", "lock_wait",
	    "ZN_LOCK_WAIT", buf, sizeof(buf))) != NULL)
		a.lockwait = zn_duration_arg("lock_wait", t, 1);
	if (!setlock && (t = zn_config_opt(&cfg, "gates", "lock_timeout",
	    "ZN_LOCK_TIMEOUT", buf, sizeof(buf))) != NULL)
		a.locktimeout = zn_duration_arg("lock_timeout", t, 0);
	if (!setstmt && (t = zn_config_opt(&cfg, "apply", "statement_timeout",
	    "ZN_STATEMENT_TIMEOUT", buf, sizeof(buf))) != NULL)
		a.stmttimeout = zn_duration_arg("statement_timeout", t, 1);
	if (!setretries && (t = zn_config_opt(&cfg, "apply", "retries",
	    "ZN_RETRIES", buf, sizeof(buf))) != NULL)
		a.retries = (int)number("retries", t);
	a.allow_unmodelled |= cfg.allow_unmodelled;
	a.retention_days = retention > 0 ? retention :
	    zn_config_retention(&cfg, NULL);
	a.schema = lschema != NULL ? lschema : cfg.ledger_schema != NULL ?
	    cfg.ledger_schema : "public";
	memset(&snap, 0, sizeof(snap));
	snap.schemas = (const char *const *)cfg.schemas;
	snap.exclude_schemas = (const char *const *)cfg.exclude_schemas;
	snap.ledger_schema = a.schema;
	a.snap = &snap;
	o.color = !o.json && zn_term_color(stdout);
	a.quiet = o.json;
	a.event = event;
	a.mstate = mstate;
	a.arg = &o;
	a.stop = &stopsig;
#ifdef ZN_FAULTS
	a.fault = fault;
#endif

	/* A truncated or damaged input dies here: nothing has run. */
	zn_plan_read(&p, input);
	zn_plan_check(&p, input != NULL && strcmp(input, "-") != 0 ? input :
	    "<stdin>");
	zn_apply_prepare(&a, &p);
	o.runid = a.runid;
	a.conninfo = zn_pg_target(dbname, &cfg);
	a.conn = zn_pg_connect(a.conninfo);
	zn_lock_nopooler(a.conn, a.conninfo, "zn-apply");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onsignal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	verdict = zn_json_str(p.trailer, "verdict");
	refused = a.require_verified && zn_plan_unverified(&p) != NULL;
	status = zn_apply_run(&a);
	if (a.dry && o.json && stat(input, &sb) == 0 && S_ISDIR(sb.st_mode))
		/* The whole directory: what the ledger has and no file has. */
		for (i = 0; i < a.st.ngone; i++) {
			json_t *r = json_pack("{s:s, s:s, s:s, s:s, s:s}",
			    "kind", "migration", "run", a.runid, "migration",
			    a.st.gone[i].id, "state",
			    zn_mstate_name(ZN_MS_GONE), "applied_at",
			    a.st.gone[i].applied_at);

			zn_json_emit(stdout, r);
			json_decref(r);
		}
	if (!o.json && (verdict == NULL || strcmp(verdict, "blocked") != 0) &&
	    !refused) {
		if (a.atomic && !a.dry && status == ZN_EXIT_OK)
			printf("%d step%s applied atomically, %d already "
			    "applied\n", a.ran, a.ran == 1 ? "" : "s",
			    a.skipped);
		else if (!a.atomic || a.dry)
			printf("%s%d step%s %s, %d already applied%s, %.0f "
			    "ms\n", a.dry ? "dry run: " : "", a.ran, a.ran ==
			    1 ? "" : "s", a.dry ? "would run" : "applied",
			    a.skipped, a.failed ? ", 1 failed" : "",
			    a.elapsed_ms);
	}
	if (status == ZN_EXIT_SIGNAL)
		zn_warn("interrupted: the current step was rolled back and the "
		    "lock released");
	zn_apply_release(&a);
	PQfinish(a.conn);
	zn_plan_release(&p);
	zn_config_release(&cfg);
	return zn_finish(status);
}
