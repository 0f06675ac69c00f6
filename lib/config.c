/* SPDX-License-Identifier: ISC */
/*
 * config.c: zanith.yaml and the ZN_* environment.  Only keys this
 * version understands are accepted; a misspelt key is an error, not a
 * silent default.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "zn.h"

static char *
getstr(const struct zn_yaml *y, const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v))
		zn_yaml_die(y, obj, key, 0, "'%s' must be a string", key);
	return zn_xstrdup(json_string_value(v));
}

/* sample_rows of o: a number of rows from 1 up; 0 when not there. */
static long
getrows(const struct zn_yaml *y, const json_t *o)
{
	const json_t *v = json_object_get(o, "sample_rows");

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > 1000000000)
		zn_yaml_die(y, o, "sample_rows", 0, "'sample_rows' is a number "
		    "of rows, from 1");
	return (long)json_integer_value(v);
}

static char **
getlist(const struct zn_yaml *y, const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key), *e;
	char **list;
	size_t i;

	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_string(v)) {
		list = zn_xcalloc(2, sizeof(*list));
		list[0] = zn_xstrdup(json_string_value(v));
		return list;
	}
	if (!json_is_array(v))
		zn_yaml_die(y, obj, key, 0,
		    "'%s' must be a string or a list of strings", key);
	list = zn_xcalloc(json_array_size(v) + 1, sizeof(*list));
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			zn_yaml_die(y, v, NULL, i,
			    "'%s' entries must be strings", key);
		list[i] = zn_xstrdup(json_string_value(e));
	}
	return list;
}

static void
known(const struct zn_yaml *y, const json_t *obj, const char *const *keys,
    const char *where)
{
	const char *key, *const *k;
	json_t *v;
	int line, col;

	json_object_foreach((json_t *)obj, key, v) {
		for (k = keys; *k != NULL; k++)
			if (strcmp(*k, key) == 0)
				break;
		if (*k != NULL)
			continue;
		if (zn_yaml_where_key(y, obj, key, &line, &col) == 0)
			zn_die(ZN_EXIT_DATAERR, "%s:%d:%d: unknown key '%s'%s",
			    zn_yaml_name(y), line, col, key, where);
		zn_die(ZN_EXIT_DATAERR, "%s: unknown key '%s'%s",
		    zn_yaml_name(y), key, where);
	}
}

long
zn_parse_ms(const char *s)
{
	char *end;
	double d;
	static const struct {
		const char *u;
		double ms;
	} units[] = { { "ms", 1 }, { "s", 1000 }, { "min", 60000 },
	    { "h", 3600000 }, { "d", 86400000 } };
	size_t i;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	d = strtod(s, &end);
	if (errno != 0 || end == s || d < 0)
		return -1;
	/*
	 * A bare number has no unit to go by (60 is 60 s to timeout(1),
	 * 60 ms to PostgreSQL): only 0 may go without one.
	 */
	if (*end == '\0')
		return d == 0 ? 0 : -1;
	while (*end == ' ')
		end++;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].u) == 0) {
			d *= units[i].ms;
			return d > 2147483647.0 ? -1 : (long)(d + 0.5);
		}
	return -1;
}

long
zn_duration_arg(const char *opt, const char *arg, int zero)
{
	long ms = zn_parse_ms(arg);

	if (ms < 0 || (ms == 0 && !zero))
		zn_usage_error("%s takes a duration%s with its unit, such as "
		    "60s, 500ms or 2min, not '%s'", opt, zero ? "" :
		    " above 0", arg);
	return ms;
}

double
zn_parse_bytes(const char *s)
{
	char *end;
	double d;
	static const struct {
		const char *u;
		double f;
	} units[] = { { "", 1 }, { "B", 1 }, { "kB", 1024 },
	    { "KiB", 1024 }, { "MB", 1048576 }, { "MiB", 1048576 },
	    { "GB", 1073741824.0 }, { "GiB", 1073741824.0 },
	    { "TB", 1099511627776.0 }, { "TiB", 1099511627776.0 } };
	size_t i;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	d = strtod(s, &end);
	if (errno != 0 || end == s || d < 0)
		return -1;
	while (*end == ' ')
		end++;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].u) == 0)
			return d * units[i].f;
	return -1;
}

long
zn_parse_days(const char *s)
{
	char *end;
	long n;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	n = strtol(s, &end, 10);
	if (*end == 'd')
		end++;
	if (*end != '\0' || n < 1 || n > 36500)
		return -1;
	return n;
}

/* retention: days (30 or "30d"), into *days; else status 65. */
static void
getdays(const struct zn_yaml *y, const json_t *o, const char *k, long *days)
{
	const json_t *v = json_object_get(o, k);
	char buf[32];
	const char *t = json_is_string(v) ? json_string_value(v) : NULL;

	if (v == NULL || json_is_null(v))
		return;
	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%lld",
		    (long long)json_integer_value(v));
		t = buf;
	}
	if ((*days = zn_parse_days(t)) < 0)
		zn_yaml_die(y, o, k, 0, "'%s' is a number of days from 1 to "
		    "36500, such as 30 or 30d", k);
}

/* Checks a gates mapping (zn-classify(1), CONFIGURATION). */
static void
checkgates(const struct zn_yaml *y, const json_t *g, const char *where)
{
	static const char *const keys[] = { "max_risk", "allow_destructive",
	    "fail_on", "allow", "lock_timeout", "max_lock_timeout",
	    "probe_timeout", "preflight", "small_rows", "large_rows",
	    "large_bytes", NULL };
	const char *k;
	json_t *v;
	char buf[64];

	if (!json_is_object(g))
		zn_die(ZN_EXIT_DATAERR, "%s: %s must be a mapping",
		    zn_yaml_name(y), where);
	known(y, g, keys, where);
	json_object_foreach((json_t *)g, k, v) {
		if (strcmp(k, "max_risk") == 0) {
			if (!json_is_null(v) && !(json_is_string(v) &&
			    zn_level_budget(json_string_value(v)) >= 0) &&
			    (!json_is_integer(v) ||
			    json_integer_value(v) < 0 ||
			    json_integer_value(v) > 100))
				zn_yaml_die(y, g, k, 0, "max_risk is a score "
				    "from 0 to 100, a level (safe, low, medium, "
				    "high, destructive, critical), or null for "
				    "none");
		} else if (strcmp(k, "allow_destructive") == 0 ||
		    strcmp(k, "preflight") == 0) {
			if (!json_is_boolean(v))
				zn_yaml_die(y, g, k, 0, "'%s' must be true or "
				    "false", k);
		} else if (strcmp(k, "fail_on") == 0 ||
		    strcmp(k, "allow") == 0) {
			size_t i;
			json_t *e;

			if (json_is_string(v)) {
				if (!zn_risk_known(json_string_value(v)))
					zn_yaml_die(y, g, k, 0, "'%s' is no "
					    "reason code", json_string_value(v));
				continue;
			}
			if (!json_is_array(v))
				zn_yaml_die(y, g, k, 0, "'%s' must be a list "
				    "of reason codes", k);
			json_array_foreach(v, i, e)
				if (!json_is_string(e) ||
				    !zn_risk_known(json_string_value(e)))
					zn_yaml_die(y, v, NULL, i, "'%s' is no "
					    "reason code", json_is_string(e) ?
					    json_string_value(e) : "?");
		} else if (strcmp(k, "large_bytes") == 0) {
			const char *t = json_is_string(v) ?
			    json_string_value(v) : NULL;

			if (json_is_integer(v)) {
				snprintf(buf, sizeof(buf), "%lld",
				    (long long)json_integer_value(v));
				t = buf;
			}
			if (zn_parse_bytes(t) < 0)
				zn_yaml_die(y, g, k, 0, "'%s' must be a size, "
				    "such as 1GiB", k);
		} else if (strcmp(k, "small_rows") == 0 ||
		    strcmp(k, "large_rows") == 0) {
			if (!json_is_integer(v) || json_integer_value(v) < 0)
				zn_yaml_die(y, g, k, 0, "'%s' must be a number "
				    "of rows", k);
		} else {
			const char *t = json_is_string(v) ?
			    json_string_value(v) : NULL;

			if (json_is_integer(v)) {
				snprintf(buf, sizeof(buf), "%lld",
				    (long long)json_integer_value(v));
				t = buf;
			}
			if (zn_parse_ms(t) <= 0)
				zn_yaml_die(y, g, k, 0, "'%s' must be a "
				    "duration above 0 with its unit, such as "
				    "5s or 500ms", k);
		}
	}
}

/*
 * The durable options of zn-apply (apply:) and zn-diff (diff:), which an
 * environment may set too (zn(7), CONFIGURATION).
 */
static const char *const applykeys[] = { "lock_wait", "statement_timeout",
    "retries", NULL };
static const char *const diffkeys[] = { "drop_policy", NULL };

/* Checks o's option k, if o has it; else status 65. */
static void
checkopt(const struct zn_yaml *y, const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	const char *t = json_is_string(v) ? json_string_value(v) : NULL;

	if (v == NULL || json_is_null(v))
		return;
	if (strcmp(k, "retries") == 0) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 100)
			zn_yaml_die(y, o, k, 0, "'retries' is a number from 0 "
			    "to 100");
	} else if (strcmp(k, "drop_policy") == 0) {
		if (t == NULL || (strcmp(t, "soft") != 0 &&
		    strcmp(t, "archive") != 0 && strcmp(t, "drop") != 0))
			zn_yaml_die(y, o, k, 0, "'drop_policy' is soft, "
			    "archive or drop");
	} else if (!(json_is_integer(v) && json_integer_value(v) == 0) &&
	    zn_parse_ms(t) < 0)
		zn_yaml_die(y, o, k, 0, "'%s' must be a duration with its "
		    "unit, such as 30s or 500ms, or 0", k);
}

/* Section name of root: a mapping of keys, each checked; kept in *into. */
static void
section(const struct zn_yaml *y, const json_t *root, const char *name,
    const char *const *keys, json_t **into)
{
	const json_t *s = json_object_get(root, name);
	char *where;
	size_t i;

	if (s == NULL || json_is_null(s))
		return;
	if (!json_is_object(s))
		zn_yaml_die(y, root, name, 0, "'%s' must be a mapping", name);
	where = zn_xasprintf(" in '%s'", name);
	known(y, s, keys, where);
	free(where);
	for (i = 0; keys[i] != NULL; i++)
		checkopt(y, s, keys[i]);
	if ((*into = json_deep_copy(s)) == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
}

static void
readfile(struct zn_config *c, const char *path)
{
	static const char *const top[] = { "database", "ledger_schema",
	    "migrations", "schema", "scratch", "shadow", "snapshot", "gates",
	    "environments", "allow_unmodelled", "retention", "apply", "diff",
	    NULL };
	static const char *const snap[] = { "schemas", "exclude_schemas",
	    NULL };
	struct zn_yaml *y = zn_yaml_load(path);
	json_t *root = zn_yaml_root(y), *s;

	c->path = zn_xstrdup(path);
	if (root == NULL) {
		zn_yaml_free(y);
		return;
	}
	if (!json_is_object(root))
		zn_die(ZN_EXIT_DATAERR, "%s:1:1: the configuration must be "
		    "a mapping", path);
	known(y, root, top, "");
	c->database = getstr(y, root, "database");
	c->ledger_schema = getstr(y, root, "ledger_schema");
	c->migrations = getstr(y, root, "migrations");
	c->scratch = getstr(y, root, "scratch");
	/* shadow: a URL, or {url, sample_rows}. */
	s = json_object_get(root, "shadow");
	if (json_is_object(s)) {
		static const char *const sh[] = { "url", "sample_rows", NULL };

		known(y, s, sh, " in 'shadow'");
		c->shadow = getstr(y, s, "url");
		c->sample_rows = getrows(y, s);
	} else
		c->shadow = getstr(y, root, "shadow");
	c->schema = getstr(y, root, "schema");
	getdays(y, root, "retention", &c->retention_days);
	s = json_object_get(root, "allow_unmodelled");
	if (s != NULL && !json_is_null(s)) {
		if (!json_is_boolean(s))
			zn_yaml_die(y, root, "allow_unmodelled", 0,
			    "'allow_unmodelled' must be true or false");
		c->allow_unmodelled = json_is_true(s);
	}
	s = json_object_get(root, "snapshot");
	if (s != NULL && !json_is_null(s)) {
		if (!json_is_object(s))
			zn_yaml_die(y, root, "snapshot", 0,
			    "'snapshot' must be a mapping");
		known(y, s, snap, " in 'snapshot'");
		c->schemas = getlist(y, s, "schemas");
		c->exclude_schemas = getlist(y, s, "exclude_schemas");
	}
	section(y, root, "apply", applykeys, &c->apply);
	section(y, root, "diff", diffkeys, &c->diff);
	s = json_object_get(root, "gates");
	if (s != NULL && !json_is_null(s)) {
		checkgates(y, s, " in 'gates'");
		c->gates = json_deep_copy(s);
	}
	s = json_object_get(root, "environments");
	if (s != NULL && !json_is_null(s)) {
		const char *k;
		json_t *e;

		if (!json_is_object(s))
			zn_yaml_die(y, root, "environments", 0, "'environments'"
			    " maps a name to its gates");
		json_object_foreach(s, k, e) {
			char *w = zn_xasprintf(" in environment '%s'", k);

			if (!json_is_object(e))
				zn_yaml_die(y, s, k, 0, "environment '%s' must "
				    "be a mapping of gates", k);
			/*
			 * Its retention, its options of zn-apply and
			 * zn-diff, and its gates.
			 */
			{
				static const char *const own[] = {
				    "retention", "lock_wait",
				    "statement_timeout", "retries",
				    "drop_policy", "database", "scratch",
				    "shadow", "sample_rows" };
				json_t *g = json_copy(e);
				long d = 0;
				size_t i;

				if (g == NULL)
					zn_die(ZN_EXIT_UNAVAILABLE, "out of "
					    "memory");
				getdays(y, e, "retention", &d);
				for (i = 0; i < sizeof(own) / sizeof(own[0]);
				    i++) {
					if (i == 8)
						(void)getrows(y, e);
					else if (i >= 5)	/* servers */
						free(getstr(y, e, own[i]));
					else if (i > 0)
						checkopt(y, e, own[i]);
					json_object_del(g, own[i]);
				}
				checkgates(y, g, w);
				json_decref(g);
			}
			free(w);
		}
		c->environments = json_deep_copy(s);
	}
	zn_yaml_free(y);
}

static void
server(char **into, const json_t *env, const char *key)
{
	const char *v = json_string_value(json_object_get(env, key));

	if (v != NULL) {
		free(*into);
		*into = zn_xstrdup(v);
	}
}

void
zn_config_load(struct zn_config *c, const char *dir)
{
	struct stat st;
	const char *env;
	char *path;

	memset(c, 0, sizeof(*c));
	/* A -C directory is a flag, and flags beat the environment. */
	env = dir == NULL ? getenv("ZN_CONFIG") : NULL;
	if (env != NULL && *env != '\0') {
		readfile(c, env);
	} else {
		path = zn_xasprintf("%s/zanith.yaml", dir != NULL ? dir : ".");
		if (stat(path, &st) == 0)
			readfile(c, path);
		else if (errno != ENOENT)
			zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot read '%s'",
			    path);
		else if (dir != NULL && stat(dir, &st) != 0)
			zn_die_errno(ZN_EXIT_UNAVAILABLE, "cannot use '%s'",
			    dir);
		free(path);
	}
	/* The environment's servers, over the file's. */
	if ((env = getenv("ZN_ENV")) != NULL && *env != '\0') {
		const json_t *e = json_object_get(c->environments, env);

		server(&c->database, e, "database");
		server(&c->scratch, e, "scratch");
		server(&c->shadow, e, "shadow");
		if (json_is_integer(json_object_get(e, "sample_rows")))
			c->sample_rows = (long)json_integer_value(
			    json_object_get(e, "sample_rows"));
	}
	if ((env = getenv("ZN_DATABASE_URL")) != NULL && *env != '\0') {
		free(c->database);
		c->database = zn_xstrdup(env);
	}
	if ((env = getenv("ZN_SCRATCH_URL")) != NULL && *env != '\0') {
		free(c->scratch);
		c->scratch = zn_xstrdup(env);
	}
	if ((env = getenv("ZN_SHADOW_URL")) != NULL && *env != '\0') {
		free(c->shadow);
		c->shadow = zn_xstrdup(env);
	}
	if ((env = getenv("ZN_LEDGER_SCHEMA")) != NULL && *env != '\0') {
		free(c->ledger_schema);
		c->ledger_schema = zn_xstrdup(env);
	}
	if ((env = getenv("ZN_ALLOW_UNMODELLED")) != NULL && *env != '\0') {
		if (strcmp(env, "1") != 0 && strcmp(env, "0") != 0)
			zn_die(ZN_EXIT_USAGE, "ZN_ALLOW_UNMODELLED must be 1 or "
			    "0, not '%s'", env);
		c->allow_unmodelled = strcmp(env, "1") == 0;
	}
	if (c->ledger_schema == NULL)
		c->ledger_schema = zn_xstrdup("public");
	if (c->migrations == NULL)
		c->migrations = zn_xstrdup("migrations");
	c->dir = dir != NULL ? zn_xstrdup(dir) : NULL;
}

char *
zn_config_path(const struct zn_config *c, const char *p)
{
	const char *slash;

	if (p == NULL)
		return NULL;
	if (p[0] != '/' && c->path == NULL && c->dir != NULL)
		return zn_xasprintf("%s/%s", c->dir, p);
	if (p[0] == '/' || c->path == NULL ||
	    (slash = strrchr(c->path, '/')) == NULL)
		return zn_xstrdup(p);
	return zn_xasprintf("%.*s/%s", (int)(slash - c->path), c->path, p);
}

void
zn_config_release(struct zn_config *c)
{
	free(c->path);
	free(c->database);
	free(c->ledger_schema);
	free(c->migrations);
	free(c->dir);
	free(c->scratch);
	free(c->shadow);
	free(c->schema);
	zn_strv_free(c->schemas);
	zn_strv_free(c->exclude_schemas);
	json_decref(c->gates);
	json_decref(c->environments);
	json_decref(c->apply);
	json_decref(c->diff);
	memset(c, 0, sizeof(*c));
}

long
zn_config_retention(const struct zn_config *c, const char *env)
{
	const json_t *e, *v;

	if (env == NULL && getenv("ZN_ENV") != NULL && *getenv("ZN_ENV"))
		env = getenv("ZN_ENV");
	if (env != NULL && (e = json_object_get(c->environments, env)) !=
	    NULL && (v = json_object_get(e, "retention")) != NULL) {
		char buf[32];
		const char *t = json_is_string(v) ? json_string_value(v) :
		    NULL;

		if (json_is_integer(v)) {
			snprintf(buf, sizeof(buf), "%lld",
			    (long long)json_integer_value(v));
			t = buf;
		}
		if (zn_parse_days(t) > 0)
			return zn_parse_days(t);
	}
	return c->retention_days > 0 ? c->retention_days : 30;
}

const char *
zn_config_opt(const struct zn_config *c, const char *section,
    const char *key, const char *var, char *buf, size_t n)
{
	const char *env = getenv("ZN_ENV"), *t;
	const json_t *e, *v = NULL;

	if (var != NULL && (t = getenv(var)) != NULL && *t != '\0')
		return t;
	if (env != NULL && *env != '\0' && (e = json_object_get(
	    c->environments, env)) != NULL)
		v = json_object_get(e, key);
	if (v == NULL || json_is_null(v)) {
		e = strcmp(section, "apply") == 0 ? c->apply :
		    strcmp(section, "diff") == 0 ? c->diff :
		    strcmp(section, "gates") == 0 ? c->gates : NULL;
		v = json_object_get(e, key);
	}
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	return NULL;
}
