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

static void
readfile(struct zn_config *c, const char *path)
{
	static const char *const top[] = { "database", "ledger_schema",
	    "migrations", "schema", "scratch", "snapshot", NULL };
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
	c->schema = getstr(y, root, "schema");
	s = json_object_get(root, "snapshot");
	if (s != NULL && !json_is_null(s)) {
		if (!json_is_object(s))
			zn_yaml_die(y, root, "snapshot", 0,
			    "'snapshot' must be a mapping");
		known(y, s, snap, " in 'snapshot'");
		c->schemas = getlist(y, s, "schemas");
		c->exclude_schemas = getlist(y, s, "exclude_schemas");
	}
	zn_yaml_free(y);
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
	if ((env = getenv("ZN_DATABASE_URL")) != NULL && *env != '\0') {
		free(c->database);
		c->database = zn_xstrdup(env);
	}
	if ((env = getenv("ZN_SCRATCH_URL")) != NULL && *env != '\0') {
		free(c->scratch);
		c->scratch = zn_xstrdup(env);
	}
	if ((env = getenv("ZN_LEDGER_SCHEMA")) != NULL && *env != '\0') {
		free(c->ledger_schema);
		c->ledger_schema = zn_xstrdup(env);
	}
	if (c->ledger_schema == NULL)
		c->ledger_schema = zn_xstrdup("public");
	if (c->migrations == NULL)
		c->migrations = zn_xstrdup("migrations");
}

void
zn_config_release(struct zn_config *c)
{
	free(c->path);
	free(c->database);
	free(c->ledger_schema);
	free(c->migrations);
	free(c->scratch);
	free(c->schema);
	zn_strv_free(c->schemas);
	zn_strv_free(c->exclude_schemas);
	memset(c, 0, sizeof(*c));
}
