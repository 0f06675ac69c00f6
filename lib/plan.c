/* SPDX-License-Identifier: ISC */
/*
 * plan: op streams and migration files (zn-records(5)).
 *
 * An op stream is a plan header, migration records and op records, and a
 * trailer with the number of ops and a checksum: the SHA-256 of the
 * canonical form of every record between header and trailer, one per
 * line.  A migration file holds the same ops as YAML, SQL in block
 * scalars, for people to review and edit; its checksum is taken from the
 * ops as read, so an edit changes it.
 */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "zn.h"

static const char *const opkeys[] = { "kind", "migration", "step", "op",
    "target", "transactional", "args", "sql", "reverse", NULL };

json_t *
zn_plan_oprec(const struct zn_plan *p, size_t i, const char *migration)
{
	const struct zn_op *op = &p->ops[i - 1];
	const char *mig = migration;
	json_t *r;
	const char *k;
	json_t *v;

	if (mig == NULL && op->extra != NULL)
		mig = zn_json_str(op->extra, "migration");
	r = json_object();
	json_object_set_new(r, "kind", json_string("op"));
	if (mig != NULL)
		json_object_set_new(r, "migration", json_string(mig));
	json_object_set_new(r, "step", json_integer((json_int_t)i));
	json_object_set_new(r, "op", json_string(op->op));
	json_object_set_new(r, "target", json_string(op->target));
	json_object_set_new(r, "transactional",
	    json_boolean(op->transactional));
	json_object_set(r, "args", zn_op_args(op));
	json_object_set(r, "sql", zn_op_sql(op));
	json_object_set(r, "reverse", zn_op_reverse(op));
	if (op->extra != NULL)
		json_object_foreach(op->extra, k, v) {
			size_t j;

			for (j = 0; opkeys[j] != NULL; j++)
				if (strcmp(opkeys[j], k) == 0)
					break;
			if (opkeys[j] == NULL)
				json_object_set(r, k, v);
		}
	if (op->risk != NULL)
		json_object_set_new(r, "risk", zn_op_risk(op));
	return r;
}

enum { LAZY_ARGS, LAZY_SQL, LAZY_REVERSE };

/*
 * A member of a read op, parsed from its line.  The line was checked
 * canonical when it was read, so this cannot fail.
 */
static json_t *
lazy(const struct zn_op *cop, json_t **slot, int which)
{
	struct zn_op *op = (struct zn_op *)cop;	/* a cache: still const */
	struct zn_buf tmp = ZN_BUF_INIT;
	struct zn_jscan s;
	json_t *v = NULL;

	if (*slot != NULL)
		return *slot;
	if (op->raw != NULL && op->lazy[which][1] > 0) {
		s.p = (const unsigned char *)op->raw + op->lazy[which][0];
		s.e = s.p + op->lazy[which][1];
		s.uesc = 0;
		v = zn_jscan_canon(&s, &tmp);
		zn_buf_release(&tmp);
		if (v == NULL)
			zn_die(ZN_EXIT_UNAVAILABLE, "step %s (%s): a member "
			    "checked when read does not parse", op->target,
			    op->op);
	}
	if (which == LAZY_ARGS ? !json_is_object(v) : !json_is_array(v)) {
		json_decref(v);
		v = which == LAZY_ARGS ? json_object() : json_array();
	}
	return *slot = v;
}

json_t *
zn_op_args(const struct zn_op *op)
{
	return lazy(op, (json_t **)&op->args, LAZY_ARGS);
}

json_t *
zn_op_sql(const struct zn_op *op)
{
	return lazy(op, (json_t **)&op->sql, LAZY_SQL);
}

json_t *
zn_op_reverse(const struct zn_op *op)
{
	return lazy(op, (json_t **)&op->reverse, LAZY_REVERSE);
}

void
zn_op_unload(struct zn_op *op)
{
	if (op->raw == NULL)
		return;
	json_decref(op->args);
	json_decref(op->sql);
	json_decref(op->reverse);
	op->args = op->sql = op->reverse = NULL;
}

char *
zn_op_script(const struct zn_op *op)
{
	struct zn_buf b = ZN_BUF_INIT;
	const json_t *v;
	size_t i;

	json_array_foreach(zn_op_sql(op), i, v) {
		zn_buf_adds(&b, json_string_value(v) != NULL ?
		    json_string_value(v) : "");
		zn_buf_adds(&b, ";\n");
	}
	return zn_buf_detach(&b);
}

int
zn_op_index(const struct zn_op *op, char **schema, char **name, int *create)
{
	const struct zn_opdef *d = zn_op_def(op);
	const json_t *args;
	const char *sc, *nm;

	*schema = *name = NULL;
	if (op->transactional)
		return 0;
	/* What zn-diff wrote; an op written by hand has no such args. */
	if (d != NULL && d->probe != ZN_PROBE_NONE) {
		args = zn_op_args(op);
		sc = zn_json_str(args, "schema");
		nm = zn_json_str(args, "built_as") != NULL ?
		    zn_json_str(args, "built_as") : zn_json_str(args, "name");
		if (sc != NULL && nm != NULL) {
			*schema = zn_xstrdup(sc);
			*name = zn_xstrdup(nm);
			*create = d->probe == ZN_PROBE_INDEX_VALID;
			return 1;
		}
	}
	return zn_sql_index(json_string_value(json_array_get(zn_op_sql(op),
	    0)), schema, name, create);
}

json_t *
zn_op_risk(const struct zn_op *op)
{
	struct zn_buf tmp = ZN_BUF_INIT;
	struct zn_jscan s;
	json_t *v;

	if (op->risk == NULL)
		return op->extra != NULL ? json_incref(json_object_get(
		    op->extra, "risk")) : NULL;
	s.p = (const unsigned char *)op->risk;
	s.e = s.p + strlen(op->risk);
	s.uesc = 0;
	v = zn_jscan_canon(&s, &tmp);
	zn_buf_release(&tmp);
	/* Reals (table sizes) are not canonical integers: jansson. */
	if (v == NULL || s.p != s.e) {
		json_decref(v);
		v = json_loads(op->risk, 0, NULL);
	}
	if (v == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "a risk does not read back: %s",
		    op->risk);
	return v;
}

/* The migration id of op i (1-based), or the default. */
static const char *
opmig(const struct zn_plan *p, size_t i, const char *migration)
{
	const char *m = NULL;

	if (migration != NULL)
		return migration;
	if (p->ops[i - 1].extra != NULL)
		m = zn_json_str(p->ops[i - 1].extra, "migration");
	return m;
}

static json_t *
migrec(const struct zn_plan *p, const char *id)
{
	const json_t *m;
	size_t i;

	json_array_foreach(p->migrations, i, m)
		if (zn_json_str(m, "id") != NULL &&
		    strcmp(zn_json_str(m, "id"), id) == 0)
			return json_incref((json_t *)m);
	return json_pack("{s:s, s:s}", "kind", "migration", "id", id);
}

/*
 * Calls fn for every record between header and trailer, in order:
 * a migration record whenever the migration changes, then the op.
 */
static void
records(const struct zn_plan *p, const char *migration,
    void (*fn)(json_t *, const struct zn_op *, void *), void *arg)
{
	const char *cur = NULL, *m;
	size_t i;

	for (i = 1; i <= p->n; i++) {
		m = opmig(p, i, migration);
		if (m != NULL && (cur == NULL || strcmp(cur, m) != 0)) {
			json_t *r = migrec(p, m);

			fn(r, NULL, arg);
			json_decref(r);
			cur = m;
		}
		if (p->ops[i - 1].raw != NULL && migration == NULL)
			fn(NULL, &p->ops[i - 1], arg);
		else {
			json_t *r = zn_plan_oprec(p, i, migration);

			fn(r, NULL, arg);
			json_decref(r);
		}
	}
}

struct sum {
	struct zn_sha256 *h;
	struct zn_buf b;
	struct zn_jw w;
};

/* The canonical line of a read op, with its current risk. */
static void
rawline(struct zn_buf *b, const struct zn_op *op)
{
	const json_t *risk = json_object_get(op->extra, "risk");
	struct zn_jw w;

	zn_buf_reset(b);
	zn_buf_add(b, op->raw, op->riskat);
	if (op->risk != NULL) {
		zn_buf_adds(b, ",\"risk\":");
		zn_buf_adds(b, op->risk);
	} else if (risk != NULL) {
		zn_buf_adds(b, ",\"risk\":");
		zn_jw_init(&w, b);
		zn_jw_json(&w, risk);
	}
	zn_buf_add(b, op->raw + op->riskend, op->rawlen - op->riskend);
	zn_buf_addch(b, '\n');
}

static void
sumrec(json_t *r, const struct zn_op *op, void *arg)
{
	struct sum *s = arg;

	if (r == NULL) {
		rawline(&s->b, op);
		zn_sha256_update(s->h, s->b.buf, s->b.len);
		return;
	}
	zn_buf_reset(&s->b);
	zn_jw_init(&s->w, &s->b);
	/* The checksum of a migration record is not part of itself. */
	if (strcmp(zn_json_str(r, "kind"), "migration") == 0) {
		json_t *c = json_deep_copy(r);

		json_object_del(c, "checksum");
		zn_jw_json(&s->w, c);
		json_decref(c);
	} else
		zn_jw_json(&s->w, r);
	zn_buf_addch(&s->b, '\n');
	zn_sha256_update(s->h, s->b.buf, s->b.len);
}

void
zn_plan_checksum(const struct zn_plan *p, const char *migration,
    char out[ZN_SHA256_STRLEN])
{
	struct sum s;

	s.h = zn_sha256_new();
	zn_buf_init(&s.b);
	records(p, migration, sumrec, &s);
	zn_sha256_final(s.h, out);
	zn_buf_release(&s.b);
}

/* The checksum of one migration's ops, as its record carries it. */
static void
migsum(const struct zn_plan *p, const char *id, const char *migration,
    char out[ZN_SHA256_STRLEN])
{
	struct sum s;
	size_t i;

	s.h = zn_sha256_new();
	zn_buf_init(&s.b);
	for (i = 1; i <= p->n; i++) {
		const char *m = opmig(p, i, migration);

		if (m != NULL && strcmp(m, id) == 0) {
			json_t *r = zn_plan_oprec(p, i, migration);

			json_object_del(r, "step");
			/* What later stages add is not part of the file. */
			json_object_del(r, "risk");
			sumrec(r, NULL, &s);
			json_decref(r);
		}
	}
	zn_sha256_final(s.h, out);
	zn_buf_release(&s.b);
}

static void
emitcanon(FILE *fp, const json_t *r)
{
	struct zn_buf b = ZN_BUF_INIT;
	struct zn_jw w;

	zn_jw_init(&w, &b);
	zn_jw_json(&w, r);
	zn_buf_addch(&b, '\n');
	if (fwrite(b.buf, 1, b.len, fp) != b.len)
		zn_die_write(fp);
	zn_buf_release(&b);
}

/* Writing a stream: each record is summed as it is written. */
struct wr {
	struct sum s;
	FILE *fp;
};

/*
 * Records are written in their canonical form, the one the checksum is
 * taken over: a reader can check a line's bytes without re-encoding it.
 */
static void
emitrec(json_t *r, const struct zn_op *op, void *arg)
{
	struct wr *w = arg;

	sumrec(r, op, &w->s);
	/* sumrec leaves a migration record without its checksum. */
	if (r != NULL && strcmp(zn_json_str(r, "kind"), "migration") == 0)
		emitcanon(w->fp, r);
	else if (fwrite(w->s.b.buf, 1, w->s.b.len, w->fp) != w->s.b.len)
		zn_die_write(w->fp);
}

void
zn_plan_write(const struct zn_plan *p, FILE *fp, const char *migration)
{
	char sum[ZN_SHA256_STRLEN];
	struct zn_plan q = *p;
	json_t *end, *migs = NULL;

	if (migration != NULL) {
		migsum(p, migration, migration, sum);
		migs = json_pack("[{s:s, s:s, s:s}]", "kind", "migration",
		    "id", migration, "checksum", sum);
		q.migrations = migs;
	}
	emitcanon(fp, p->header);
	{
		struct wr w;

		w.s.h = zn_sha256_new();
		zn_buf_init(&w.s.b);
		w.fp = fp;
		records(&q, migration, emitrec, &w);
		zn_sha256_final(w.s.h, sum);
		zn_buf_release(&w.s.b);
	}
	if (p->trailer != NULL) {
		end = json_deep_copy(p->trailer);
		json_object_set_new(end, "ops", json_integer((json_int_t)p->n));
		json_object_set_new(end, "checksum", json_string(sum));
	} else
		end = json_pack("{s:s, s:I, s:s, s:n, s:b}", "kind", "end",
		    "ops", (json_int_t)p->n, "checksum", sum, "verdict",
		    "verified", 0);
	emitcanon(fp, end);
	json_decref(end);
	json_decref(migs);
}

/* ---- migration files ---- */

/* Whether s can be written as a YAML literal block scalar. */
static int
blockable(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (*u == '\0' || *u == ' ' || *u == '\t' || *u == '\n')
		return 0;
	for (; *u != '\0'; u++) {
		if ((*u < 0x20 && *u != '\n' && *u != '\t') || *u == 0x7f)
			return 0;
		/* NEL, LS, PS and BOM break or vanish in YAML. */
		if (u[0] == 0xC2 && u[1] == 0x85)
			return 0;
		if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA8 ||
		    u[2] == 0xA9))
			return 0;
		if (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
			return 0;
		/* A line of blanks followed by more text confuses indents. */
		if (u[0] == '\n' && (u[1] == ' ' || u[1] == '\t')) {
			const unsigned char *e = u + 1;

			while (*e == ' ' || *e == '\t')
				e++;
			if (*e == '\n' || *e == '\0')
				return 0;
		}
		if ((u[0] == ' ' || u[0] == '\t') && (u[1] == '\n' ||
		    u[1] == '\0'))
			return 0;
	}
	return 1;
}

static void
yscalar(FILE *fp, const json_t *v)
{
	char *s = zn_json_line(v);

	fputs(s, fp);
	free(s);
}

static void
ystrings(FILE *fp, const char *key, const json_t *arr)
{
	const json_t *v;
	const char *s, *line, *nl;
	size_t i, n;

	fprintf(fp, "    %s:", key);
	if (json_array_size(arr) == 0) {
		fputs(" []\n", fp);
		return;
	}
	fputc('\n', fp);
	json_array_foreach(arr, i, v) {
		s = json_string_value(v);
		if (!blockable(s)) {
			fputs("      - ", fp);
			yscalar(fp, v);
			fputc('\n', fp);
			continue;
		}
		n = strlen(s);
		fputs(n > 0 && s[n - 1] == '\n' ? (n > 1 && s[n - 2] == '\n' ?
		    "      - |+\n" : "      - |\n") : "      - |-\n", fp);
		for (line = s; *line != '\0'; line = nl + 1) {
			nl = strchr(line, '\n');
			if (nl == NULL)
				nl = line + strlen(line);
			if (nl > line)
				fprintf(fp, "        %.*s", (int)(nl - line),
				    line);
			fputc('\n', fp);
			if (*nl == '\0')
				break;
		}
	}
}

void
zn_plan_write_yaml(const struct zn_plan *p, FILE *fp, const char *id)
{
	const struct zn_op *op;
	size_t i;

	fprintf(fp, "# zanith migration %s\n", id);
	fprintf(fp, "# Review it before it is applied.  Ops may be edited, "
	    "reordered, removed\n# or added (op: %s with its sql); "
	    "once applied, it must not change.\n", zn_op_name(ZN_OP_RAW_SQL));
	{
		json_t *v = json_string(id);

		fputs("id: ", fp);
		yscalar(fp, v);
		fputc('\n', fp);
		json_decref(v);
	}
	fputs("from_hash: ", fp);
	yscalar(fp, json_object_get(p->header, "from_hash"));
	fputs("\nto_hash: ", fp);
	yscalar(fp, json_object_get(p->header, "to_hash"));
	fputs(p->n > 0 ? "\nops:\n" : "\nops: []\n", fp);
	for (i = 0; i < p->n; i++) {
		op = &p->ops[i];
		fprintf(fp, "  - op: %s\n", op->op);
		fputs("    target: ", fp);
		{
			json_t *t = json_string(op->target);

			yscalar(fp, t);
			json_decref(t);
		}
		fprintf(fp, "\n    transactional: %s\n", op->transactional ?
		    "true" : "false");
		fputs("    args: ", fp);
		yscalar(fp, zn_op_args(op));
		fputc('\n', fp);
		ystrings(fp, "sql", zn_op_sql(op));
		ystrings(fp, "reverse", zn_op_reverse(op));
	}
}

static struct zn_op *
pushop(struct zn_plan *p)
{
	struct zn_op *op;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->ops = zn_xreallocarray(p->ops, p->cap, sizeof(*p->ops));
	}
	op = &p->ops[p->n++];
	memset(op, 0, sizeof(*op));
	return op;
}

/* A list of SQL strings from a string or a list of strings. */
static json_t *
yamlsql(const struct zn_yaml *y, const json_t *o, const char *key, int need)
{
	const json_t *v = json_object_get(o, key), *e;
	size_t i;

	if (v == NULL) {
		if (need)
			zn_yaml_die(y, o, NULL, 0, "an op needs '%s'", key);
		return json_array();
	}
	if (json_is_string(v))
		return json_pack("[O]", v);
	if (!json_is_array(v))
		zn_yaml_die(y, o, key, 0, "'%s' must be SQL text or a list "
		    "of statements", key);
	json_array_foreach(v, i, e)
		if (!json_is_string(e))
			zn_yaml_die(y, v, NULL, i, "a statement must be text");
	if (need && json_array_size(v) == 0)
		zn_yaml_die(y, o, key, 0, "'%s' is empty", key);
	return json_incref((json_t *)v);
}

static const char *
basename_(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static void
readyaml(struct zn_plan *p, const char *path)
{
	static const char *const top[] = { "id", "from_hash", "to_hash",
	    "ops", NULL };
	static const char *const keys[] = { "op", "target", "transactional",
	    "args", "sql", "reverse", "suppress", NULL };
	struct zn_yaml *y = zn_yaml_load(path);
	json_t *root = zn_yaml_root(y), *ops, *o, *v;
	const char *k, *base = basename_(path);
	char *id = zn_xstrndup(base, strlen(base) - (base[strlen(base) - 4]
	    == '.' ? 4 : 5));
	char sum[ZN_SHA256_STRLEN];
	size_t i, j, first = p->n;
	struct zn_op *op;

	if (zn_ledger_adhoc(id))
		zn_die(ZN_EXIT_DATAERR, "%s: a migration's id may not begin "
		    "with '%s': the ledger names ad hoc plans so; rename the "
		    "file", path, ZN_ADHOC_PREFIX);
	if (!json_is_object(root))
		zn_die(ZN_EXIT_DATAERR, "%s:1:1: a migration file is a mapping "
		    "with 'ops'", path);
	json_object_foreach(root, k, v) {
		for (j = 0; top[j] != NULL; j++)
			if (strcmp(top[j], k) == 0)
				break;
		if (top[j] == NULL)
			zn_yaml_die(y, root, k, 0, "unknown key '%s' in a "
			    "migration file", k);
	}
	v = json_object_get(root, "id");
	if (v != NULL && (!json_is_string(v) ||
	    strcmp(json_string_value(v), id) != 0))
		zn_yaml_die(y, root, "id", 0, "the id must be the file's name "
		    "without .yaml, '%s'", id);
	ops = json_object_get(root, "ops");
	if (!json_is_array(ops))
		zn_die(ZN_EXIT_DATAERR, "%s:1:1: a migration file needs a list "
		    "'ops'", path);
	json_array_foreach(ops, i, o) {
		if (!json_is_object(o))
			zn_yaml_die(y, ops, NULL, i, "an op must be a mapping");
		json_object_foreach(o, k, v) {
			for (j = 0; keys[j] != NULL; j++)
				if (strcmp(keys[j], k) == 0)
					break;
			if (keys[j] == NULL)
				zn_yaml_die(y, o, k, 0, "unknown key '%s' in "
				    "an op", k);
		}
		if (zn_json_str(o, "op") == NULL)
			zn_yaml_die(y, ops, NULL, i, "an op needs 'op', its "
			    "kind");
		v = json_object_get(o, "target");
		if (v != NULL && !json_is_string(v))
			zn_yaml_die(y, o, "target", 0, "'target' must be text");
		v = json_object_get(o, "transactional");
		if (v != NULL && !json_is_boolean(v))
			zn_yaml_die(y, o, "transactional", 0, "'transactional' "
			    "must be true or false");
		v = json_object_get(o, "args");
		if (v != NULL && !json_is_object(v))
			zn_yaml_die(y, o, "args", 0, "'args' must be a "
			    "mapping");
		op = pushop(p);
		op->op = zn_xstrdup(zn_json_str(o, "op"));
		op->kind = zn_op_kind(op->op);
		op->target = zn_xstrdup(zn_json_str(o, "target") != NULL ?
		    zn_json_str(o, "target") : "");
		op->transactional = !json_is_false(json_object_get(o,
		    "transactional"));
		op->args = v != NULL ? json_incref(v) : json_object();
		op->sql = yamlsql(y, o, "sql", 1);
		op->reverse = yamlsql(y, o, "reverse", 0);
		op->extra = json_pack("{s:s}", "migration", id);
		v = json_object_get(o, "suppress");
		if (v != NULL) {
			const char *code;
			char *msg = zn_suppress_check(v, &code);

			if (msg != NULL && code != NULL)
				zn_yaml_die(y, v, code, 0, "%s", msg);
			if (msg != NULL)
				zn_yaml_die(y, o, "suppress", 0, "%s", msg);
			json_object_set(op->extra, "suppress", v);
		}
		if (!op->transactional && json_array_size(op->sql) != 1)
			zn_yaml_die(y, o, "sql", 0, "a non-transactional op "
			    "runs exactly one statement");
	}
	{
		struct zn_plan one = *p;

		one.ops = p->ops + first;
		one.n = p->n - first;
		migsum(&one, id, NULL, sum);
	}
	if (p->migrations == NULL)
		p->migrations = json_array();
	json_array_append_new(p->migrations, json_pack("{s:s, s:s, s:s}",
	    "kind", "migration", "id", id, "checksum", sum));
	if (p->header == NULL)
		p->header = json_pack("{s:s, s:i, s:O?, s:O?}", "kind", "plan",
		    "v", 1, "from_hash", json_object_get(root, "from_hash"),
		    "to_hash", json_object_get(root, "to_hash"));
	else
		json_object_set(p->header, "to_hash",
		    json_object_get(root, "to_hash") != NULL ?
		    json_object_get(root, "to_hash") : json_null());
	free(id);
	zn_yaml_free(y);
}

static void
readdir_(struct zn_plan *p, const char *path)
{
	char **names = zn_path_list(path, zn_path_is_yaml, NULL);
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		readyaml(p, names[i]);
	zn_strv_free(names);
	if (p->header == NULL)
		zn_plan_empty(p);
}

void
zn_plan_empty(struct zn_plan *p)
{
	p->header = json_pack("{s:s, s:i, s:n, s:n}", "kind", "plan", "v", 1,
	    "from_hash", "to_hash");
	if (p->header == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
}

/*
 * Checking a stream read: the checksum of all its records and of each
 * migration's ops, in one pass.
 */
struct ver {
	struct sum all;
	struct {
		char *id;
		struct zn_sha256 *h;
	} *m;
	size_t n, cap, last;
	struct zn_buf b;
	struct zn_jw w;
};

static void
verifyrec(json_t *r, const struct zn_op *op, void *arg)
{
	struct ver *v = arg;
	const char *id;
	size_t i;

	sumrec(r, op, &v->all);
	if (strcmp(zn_json_str(r, "kind"), "op") != 0 ||
	    (id = zn_json_str(r, "migration")) == NULL)
		return;
	i = v->last;
	if (i >= v->n || strcmp(v->m[i].id, id) != 0) {
		for (i = 0; i < v->n; i++)
			if (strcmp(v->m[i].id, id) == 0)
				break;
		if (i == v->n) {
			if (v->n == v->cap) {
				v->cap = v->cap ? v->cap * 2 : 8;
				v->m = zn_xreallocarray(v->m, v->cap,
				    sizeof(*v->m));
			}
			v->m[i].id = zn_xstrdup(id);
			v->m[i].h = zn_sha256_new();
			v->n++;
		}
		v->last = i;
	}
	/* As migsum: no step, and nothing later stages add. */
	json_object_del(r, "step");
	json_object_del(r, "risk");
	zn_buf_reset(&v->b);
	zn_jw_init(&v->w, &v->b);
	zn_jw_json(&v->w, r);
	zn_buf_addch(&v->b, '\n');
	zn_sha256_update(v->m[i].h, v->b.buf, v->b.len);
}

/* The message is made before rec, which it may quote, is released. */
#define REFUSE(...) do {						\
		char *msg_ = zn_xasprintf(__VA_ARGS__);			\
		json_decref(rec);					\
		zn_jsonl_die(&r, "%s", msg_);				\
	} while (0)

static void
readstream(struct zn_plan *p, const char *name, const char *buf, size_t len)
{
	struct zn_jsonl r;
	json_t *rec = NULL, *v;
	const char *kind;
	char sum[ZN_SHA256_STRLEN];
	struct zn_op *op;

	zn_jsonl_open_mem(&r, name, buf, len);
	rec = zn_jsonl_next(&r);
	if (rec == NULL)
		zn_die(ZN_EXIT_DATAERR, "%s: empty input: no plan header",
		    r.name);
	if (strcmp(zn_json_str(rec, "kind"), "plan") != 0)
		REFUSE("not an op stream: the first record is '%s', not "
		    "'plan'", zn_json_str(rec, "kind"));
	v = json_object_get(rec, "v");
	if (!json_is_integer(v) || json_integer_value(v) != 1)
		REFUSE("op stream version is not 1");
	p->header = rec;
	rec = NULL;
	while ((rec = zn_jsonl_next(&r)) != NULL) {
		kind = zn_json_str(rec, "kind");
		if (p->trailer != NULL)
			REFUSE("record after the trailer");
		if (strcmp(kind, "end") == 0) {
			p->trailer = rec;
			rec = NULL;
			continue;
		}
		if (strcmp(kind, "migration") == 0) {
			if (zn_json_str(rec, "id") == NULL)
				REFUSE("migration record has no string "
				    "\"id\"");
			if (p->migrations == NULL)
				p->migrations = json_array();
			json_array_append_new(p->migrations, rec);
			continue;
		}
		if (strcmp(kind, "op") != 0)
			REFUSE("unknown record kind '%s' in an op stream",
			    kind);
		if (zn_json_str(rec, "op") == NULL)
			REFUSE("op record has no string \"op\"");
		v = json_object_get(rec, "step");
		if (!json_is_integer(v) || json_integer_value(v) !=
		    (json_int_t)p->n + 1)
			REFUSE("op record has step %s, expected %zu",
			    json_is_integer(v) ? "out of order" : "missing",
			    p->n + 1);
		if (!json_is_array(json_object_get(rec, "sql")) ||
		    json_array_size(json_object_get(rec, "sql")) == 0)
			REFUSE("op record has no \"sql\" list");
		if (!json_is_boolean(json_object_get(rec, "transactional")))
			REFUSE("op record has no boolean \"transactional\"");
		if ((v = json_object_get(rec, "target")) != NULL &&
		    !json_is_string(v))
			REFUSE("op record's \"target\" is not text");
		if ((v = json_object_get(rec, "args")) != NULL &&
		    !json_is_object(v))
			REFUSE("op record's \"args\" is not an object");
		if ((v = json_object_get(rec, "reverse")) != NULL &&
		    !json_is_array(v))
			REFUSE("op record's \"reverse\" is not a list");
		op = pushop(p);
		op->op = zn_xstrdup(zn_json_str(rec, "op"));
		op->kind = zn_op_kind(op->op);
		op->target = zn_xstrdup(zn_json_str(rec, "target") != NULL ?
		    zn_json_str(rec, "target") : "");
		op->transactional = json_is_true(json_object_get(rec,
		    "transactional"));
		v = json_object_get(rec, "args");
		op->args = json_is_object(v) ? json_incref(v) : json_object();
		op->sql = json_incref(json_object_get(rec, "sql"));
		v = json_object_get(rec, "reverse");
		op->reverse = json_is_array(v) ? json_incref(v) : json_array();
		op->extra = rec;
		rec = NULL;
	}
	if (p->trailer == NULL)
		zn_die(ZN_EXIT_DATAERR, "%s:%zu: truncated op stream: no "
		    "trailer record; nothing was acted on", r.name, r.lineno);
	v = json_object_get(p->trailer, "ops");
	if (!json_is_integer(v) || (size_t)json_integer_value(v) != p->n)
		zn_die(ZN_EXIT_DATAERR, "%s: truncated op stream: the trailer "
		    "counts %s ops but %zu were read", r.name,
		    json_is_integer(v) ? "other" : "no", p->n);
	/* Each migration's own checksum covers its ops. */
	{
		const json_t *m;
		struct ver vr;
		size_t i, j;

		memset(&vr, 0, sizeof(vr));
		vr.all.h = zn_sha256_new();
		zn_buf_init(&vr.all.b);
		zn_buf_init(&vr.b);
		records(p, NULL, verifyrec, &vr);
		zn_sha256_final(vr.all.h, sum);
		zn_buf_release(&vr.all.b);
		zn_buf_release(&vr.b);
		json_array_foreach(p->migrations, i, m) {
			const char *want = zn_json_str(m, "checksum");
			char got[ZN_SHA256_STRLEN];

			for (j = 0; j < vr.n; j++)
				if (strcmp(vr.m[j].id, zn_json_str(m, "id")) == 0)
					break;
			if (j < vr.n) {
				zn_sha256_final(vr.m[j].h, got);
				vr.m[j].h = NULL;
			} else
				zn_sha256(NULL, 0, got);
			if (ZN_CHECKSUMS && want != NULL &&
			    strcmp(want, got) != 0)
				zn_die(ZN_EXIT_DATAERR, "%s: checksum mismatch: "
				    "migration %s says %s but its ops sum to "
				    "%s", r.name, zn_json_str(m, "id"), want,
				    got);
		}
		for (j = 0; j < vr.n; j++) {
			if (vr.m[j].h != NULL) {
				char got[ZN_SHA256_STRLEN];

				zn_sha256_final(vr.m[j].h, got);
			}
			free(vr.m[j].id);
		}
		free(vr.m);
	}
	if (ZN_CHECKSUMS && (zn_json_str(p->trailer, "checksum") == NULL ||
	    strcmp(zn_json_str(p->trailer, "checksum"), sum) != 0))
		zn_die(ZN_EXIT_DATAERR, "%s: checksum mismatch: the trailer "
		    "says %s but the records sum to %s", r.name,
		    zn_json_str(p->trailer, "checksum") != NULL ?
		    zn_json_str(p->trailer, "checksum") : "nothing", sum);
	zn_jsonl_close(&r);
}

/*
 * The fast path.  A stream zanith wrote has every record on one line in
 * canonical form, so an op line is parsed in one pass that also checks
 * it is canonical (zn_jscan_canon), its bytes are summed as they stand,
 * and each migration's sum is taken over the same bytes without the
 * step and risk members.  The line is kept, so that writing the stream
 * again copies it and splices in the new risk.  Anything else (a stream
 * written by hand, damaged, truncated) goes to readstream, which parses
 * every record with jansson and refuses with the exact reason.
 */
struct fastmig {
	char *id;
	struct zn_sha256 *h;
};

struct fast {
	struct sum all;
	struct fastmig *m;
	size_t nm, cap, last;
	struct zn_buf tmp;
	json_t *mig;		/* the last op's migration, shared */
	json_t *extra;		/* the last {"migration": ...} extra, shared */
};

/*
 * v (stolen), or the value kept in *last when equal to it: consecutive
 * ops hold one copy.  *last keeps a reference to what is returned.
 */
static json_t *
shared(json_t **last, json_t *v)
{
	if (*last != NULL && json_equal(*last, v)) {
		json_decref(v);
		return json_incref(*last);
	}
	json_decref(*last);
	*last = json_incref(v);
	return v;
}

static struct zn_sha256 *
fastmigsum(struct fast *f, const char *id)
{
	size_t i = f->last;

	if (i < f->nm && strcmp(f->m[i].id, id) == 0)
		return f->m[i].h;
	for (i = 0; i < f->nm; i++)
		if (strcmp(f->m[i].id, id) == 0)
			break;
	if (i == f->nm) {
		if (f->nm == f->cap) {
			f->cap = f->cap ? f->cap * 2 : 8;
			f->m = zn_xreallocarray(f->m, f->cap, sizeof(*f->m));
		}
		f->m[i].id = zn_xstrdup(id);
		f->m[i].h = zn_sha256_new();
		f->nm++;
	}
	f->last = i;
	return f->m[i].h;
}

/*
 * One op line (without its newline, which follows it in the block).
 * Returns 0 when it is not a canonical, well-formed op of this stream.
 */
static int
fastop(struct zn_plan *p, struct fast *f, const char *line, size_t len)
{
	static const char head[] = "{\"kind\":\"op\"";
	struct zn_jscan s;
	const char *key, *prev = "kind", *mig = NULL;
	size_t kn, pn = 4, at, stepat = 0, stepend = 0, riskat = 0;
	size_t riskend = 0, cut[2][2], i, nc, vat, lzs[3][2];
	json_t *v, *extra, *opv = NULL, *target = NULL, *tx = NULL;
	json_t *step = NULL;
	struct zn_sha256 *h;
	struct zn_op *op;
	int esc, haverisk = 0, lz, sqlok = 0;

	if (len < sizeof(head) || memcmp(line, head, sizeof(head) - 1) != 0)
		return 0;
	s.p = (const unsigned char *)line + sizeof(head) - 1;
	s.e = (const unsigned char *)line + len;
	s.uesc = 0;
	memset(lzs, 0, sizeof(lzs));
	/* Its kind is always "op": written as such, never kept per op. */
	extra = json_object();
	for (;;) {
		at = (size_t)((const char *)s.p - line);
		if (s.p == s.e)
			goto bad;
		if (*s.p == '}')
			break;
		if (*s.p++ != ',' || !zn_jscan_string(&s, &key, &kn, &esc) ||
		    esc || s.p == s.e || *s.p++ != ':' ||
		    zn_jw_keycmp(prev, pn, key, kn) >= 0)
			goto bad;
		prev = key;
		pn = kn;
		/* Where the risk member is, or where it would go. */
		if (!haverisk && riskat == 0 &&
		    zn_jw_keycmp("risk", 4, key, kn) < 0)
			riskat = riskend = at;
#define IS(k) (kn == sizeof(k) - 1 && memcmp(key, k, kn) == 0)
		lz = IS("args") ? LAZY_ARGS : IS("sql") ? LAZY_SQL :
		    IS("reverse") ? LAZY_REVERSE : -1;
		if (lz >= 0) {
			/* Checked now, parsed when asked for (lazy). */
			vat = (size_t)((const char *)s.p - line);
			if (!zn_jscan_canon_check(&s, &f->tmp))
				goto bad;
			lzs[lz][0] = vat;
			lzs[lz][1] = (size_t)((const char *)s.p - line) - vat;
			if (lz == LAZY_SQL)
				sqlok = line[vat] == '[' && line[vat + 1] != ']';
			/* Any other shape: readstream says what is wrong. */
			if (line[vat] != (lz == LAZY_ARGS ? '{' : '['))
				goto bad;
			continue;
		}
		if ((v = zn_jscan_canon(&s, &f->tmp)) == NULL)
			goto bad;
		if (IS("op"))
			opv = v;
		else if (IS("target"))
			target = v;
		else if (IS("transactional"))
			tx = v;
		else if (IS("step")) {
			step = v;
			stepat = at;
			stepend = (size_t)((const char *)s.p - line);
		} else {
			if (IS("risk")) {
				haverisk = 1;
				riskat = at;
				riskend = (size_t)((const char *)s.p - line);
			} else if (IS("migration") && json_is_string(v)) {
				/* One string for the ops of a migration. */
				v = shared(&f->mig, v);
				mig = json_string_value(v);
			}
			json_object_setn_new_nocheck(extra, key, kn, v);
		}
#undef IS
	}
	if (s.p + 1 != s.e)
		goto bad;
	if (riskat == 0)
		riskat = riskend = len - 1;
	/* As readstream. */
	if (!json_is_string(opv) || !json_is_integer(step) ||
	    json_integer_value(step) != (json_int_t)p->n + 1 || !sqlok ||
	    (target != NULL && !json_is_string(target)) ||
	    !json_is_boolean(tx) || (json_object_get(extra, "migration") !=
	    NULL && mig == NULL))
		goto bad;
	/*
	 * The other members of most ops are their migration alone: one
	 * object for the ops of a migration (nothing changes such an
	 * object; zn-classify only takes a "risk" out, which it has not).
	 */
	if (mig != NULL && json_object_size(extra) == 1)
		extra = shared(&f->extra, extra);
	op = pushop(p);
	op->op = zn_xstrdup(json_string_value(opv));
	op->kind = zn_op_kind(op->op);
	op->target = zn_xstrdup(json_is_string(target) ?
	    json_string_value(target) : "");
	op->transactional = json_is_true(tx);
	memcpy(op->lazy, lzs, sizeof(lzs));
	op->extra = extra;
	op->raw = line;
	op->rawlen = len;
	op->riskat = riskat;
	op->riskend = riskend;
	/* The line and its newline, as written. */
	zn_sha256_update(f->all.h, line, len + 1);
	if (mig != NULL) {
		/* Without step and risk, as migsum: cut out in line order. */
		nc = 0;
		if (riskend > riskat)
			cut[nc][0] = riskat, cut[nc++][1] = riskend;
		cut[nc][0] = stepat, cut[nc++][1] = stepend;
		if (nc == 2 && cut[0][0] > cut[1][0]) {
			size_t t0 = cut[0][0], t1 = cut[0][1];

			cut[0][0] = cut[1][0], cut[0][1] = cut[1][1];
			cut[1][0] = t0, cut[1][1] = t1;
		}
		h = fastmigsum(f, mig);
		at = 0;
		for (i = 0; i < nc; i++) {
			zn_sha256_update(h, line + at, cut[i][0] - at);
			at = cut[i][1];
		}
		zn_sha256_update(h, line + at, len + 1 - at);
	}
	json_decref(opv);
	json_decref(target);
	json_decref(tx);
	json_decref(step);
	return 1;
bad:
	json_decref(extra);
	json_decref(opv);
	json_decref(target);
	json_decref(tx);
	json_decref(step);
	return 0;
}

/* A header, migration or trailer line parsed, or NULL. */
static json_t *
fastjson(const char *line, size_t len)
{
	json_t *v = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);

	if (!json_is_object(v) || zn_json_str(v, "kind") == NULL) {
		json_decref(v);
		return NULL;
	}
	return v;
}

/* On success the plan takes buf as its block. */
static int
fastread(struct zn_plan *p, char *buf, size_t len)
{
	char *l = buf, *e = buf + len, *nl;
	char sum[ZN_SHA256_STRLEN];
	const json_t *m;
	struct fast f;
	json_t *rec, *v;
	size_t n, i, j;
	int ok = 0;

	memset(p, 0, sizeof(*p));
	memset(&f, 0, sizeof(f));
	f.all.h = zn_sha256_new();
	zn_buf_init(&f.all.b);
	zn_buf_init(&f.tmp);
	for (; l < e; l = nl + 1) {
		if ((nl = memchr(l, '\n', (size_t)(e - l))) == NULL)
			goto out;	/* every record ends its line */
		n = (size_t)(nl - l);
		if (p->header == NULL) {
			if ((p->header = fastjson(l, n)) == NULL ||
			    strcmp(zn_json_str(p->header, "kind"), "plan") !=
			    0 || !json_is_integer(v = json_object_get(p->header,
			    "v")) || json_integer_value(v) != 1)
				goto out;
			continue;
		}
		if (p->trailer != NULL)
			goto out;
		if (n > 12 && memcmp(l, "{\"kind\":\"op\"", 12) == 0) {
			if (!fastop(p, &f, l, n))
				goto out;
			continue;
		}
		if ((rec = fastjson(l, n)) == NULL)
			goto out;
		if (strcmp(zn_json_str(rec, "kind"), "end") == 0)
			p->trailer = rec;
		else if (strcmp(zn_json_str(rec, "kind"), "migration") == 0 &&
		    zn_json_str(rec, "id") != NULL) {
			if (p->migrations == NULL)
				p->migrations = json_array();
			json_array_append_new(p->migrations, rec);
			sumrec(rec, NULL, &f.all);
		} else {
			json_decref(rec);
			goto out;
		}
	}
	zn_sha256_final(f.all.h, sum);
	f.all.h = NULL;
	if (p->trailer == NULL || !json_is_integer(v = json_object_get(
	    p->trailer, "ops")) || (size_t)json_integer_value(v) != p->n ||
	    zn_json_str(p->trailer, "checksum") == NULL ||
	    strcmp(zn_json_str(p->trailer, "checksum"), sum) != 0)
		goto out;
	json_array_foreach(p->migrations, i, m) {
		const char *want = zn_json_str(m, "checksum");

		for (j = 0; j < f.nm; j++)
			if (strcmp(f.m[j].id, zn_json_str(m, "id")) == 0)
				break;
		if (j < f.nm && f.m[j].h != NULL) {
			zn_sha256_final(f.m[j].h, sum);
			f.m[j].h = NULL;
		} else
			zn_sha256(NULL, 0, sum);
		if (want != NULL && strcmp(want, sum) != 0)
			goto out;
	}
	p->block = buf;
	ok = 1;
out:
	if (f.all.h != NULL)
		zn_sha256_final(f.all.h, sum);
	for (j = 0; j < f.nm; j++) {
		if (f.m[j].h != NULL)
			zn_sha256_final(f.m[j].h, sum);
		free(f.m[j].id);
	}
	free(f.m);
	json_decref(f.mig);
	json_decref(f.extra);
	zn_buf_release(&f.all.b);
	zn_buf_release(&f.tmp);
	if (!ok)
		zn_plan_release(p);
	return ok;
}

/* The header's hashes: text or null, never anything else. */
static void
checkheader(const struct zn_plan *p, const char *name)
{
	static const char *const keys[] = { "from_hash", "to_hash" };
	const json_t *v;
	size_t i;

	for (i = 0; i < 2; i++)
		if ((v = json_object_get(p->header, keys[i])) != NULL &&
		    !json_is_string(v) && !json_is_null(v))
			zn_die(ZN_EXIT_DATAERR, "%s: the plan header's \"%s\" "
			    "is not text or null", name, keys[i]);
}

void
zn_plan_check(const struct zn_plan *p, const char *name)
{
	const struct zn_op *op;
	const json_t *sql, *e;
	json_t *risk;
	size_t i, j, n;

	for (i = 0; i < p->n; i++) {
		op = &p->ops[i];
		sql = zn_op_sql(op);
		if (json_array_size(sql) == 0)
			zn_die(ZN_EXIT_DATAERR, "%s: step %zu (%s): no SQL",
			    name, i + 1, op->op);
		n = 0;
		json_array_foreach(sql, j, e) {
			size_t k;

			if (!json_is_string(e))
				zn_die(ZN_EXIT_DATAERR, "%s: step %zu (%s): "
				    "statement %zu is not text", name, i + 1,
				    op->op, j + 1);
			if ((k = zn_sql_statements(json_string_value(e),
			    NULL)) == 0)
				zn_die(ZN_EXIT_DATAERR, "%s: step %zu (%s): "
				    "statement %zu is empty", name, i + 1,
				    op->op, j + 1);
			n += k;
		}
		if (!op->transactional && n != 1)
			zn_die(ZN_EXIT_DATAERR, "%s: step %zu (%s): it runs "
			    "outside a transaction, so it must be one "
			    "statement, not %zu", name, i + 1, op->op, n);
		/* zn-apply sets it as the step's lock_timeout. */
		risk = zn_op_risk(op);
		e = json_object_get(json_object_get(risk, "facts"),
		    "lock_timeout_ms");
		if (e != NULL && (!json_is_integer(e) ||
		    json_integer_value(e) < 1 ||
		    json_integer_value(e) > INT_MAX)) {
			json_decref(risk);
			zn_die(ZN_EXIT_DATAERR, "%s: step %zu (%s): its risk's "
			    "lock_timeout_ms is not a number of milliseconds "
			    "from 1 to %d", name, i + 1, op->op, INT_MAX);
		}
		json_decref(risk);
		json_array_foreach(zn_op_reverse(op), j, e)
			if (!json_is_string(e))
				zn_die(ZN_EXIT_DATAERR, "%s: step %zu (%s): "
				    "reverse statement %zu is not text", name,
				    i + 1, op->op, j + 1);
		/* A cache: a long plan is not to be held parsed. */
		zn_op_unload((struct zn_op *)op);
	}
}

void
zn_plan_read(struct zn_plan *p, const char *path)
{
	struct zn_buf in = ZN_BUF_INIT;
	const char *name;
	struct stat st;

	memset(p, 0, sizeof(*p));
	if (path != NULL && strcmp(path, "-") != 0 && stat(path, &st) == 0 &&
	    S_ISDIR(st.st_mode)) {
		readdir_(p, path);
		return;
	}
	if (path != NULL && zn_path_is_yaml(path)) {
		readyaml(p, path);
		return;
	}
	name = zn_buf_readpath(&in, path);
	if (fastread(p, in.buf, in.len))
		zn_buf_init(&in);	/* the plan has it */
	else
		readstream(p, name, in.buf, in.len);
	checkheader(p, name);
	zn_buf_release(&in);
}

void
zn_op_release(struct zn_op *op)
{
	free(op->op);
	free(op->target);
	free(op->risk);
	json_decref(op->args);
	json_decref(op->sql);
	json_decref(op->reverse);
	json_decref(op->extra);
	json_decref(op->provides);
	json_decref(op->requires);
	memset(op, 0, sizeof(*op));
}

void
zn_plan_release(struct zn_plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		zn_op_release(&p->ops[i]);
	free(p->ops);
	free(p->block);
	json_decref(p->header);
	json_decref(p->migrations);
	json_decref(p->trailer);
	memset(p, 0, sizeof(*p));
}

void
zn_plan_sqlsum(const struct zn_plan *p, char out[ZN_SHA256_STRLEN])
{
	struct zn_sha256 *h = zn_sha256_new();
	size_t i;

	for (i = 0; i < p->n; i++) {
		char *s = zn_op_script(&p->ops[i]);

		zn_sha256_update(h, s, strlen(s));
		free(s);
	}
	zn_sha256_final(h, out);
}

const char *
zn_plan_unverified(const struct zn_plan *p)
{
	const json_t *sh = json_object_get(p->trailer, "shadow");
	const char *want = zn_json_str(sh, "sql_sha256");
	char sum[ZN_SHA256_STRLEN];

	if (!json_is_true(json_object_get(p->trailer, "verified")))
		return "its trailer does not say verified: rehearse it with "
		    "zn-shadow first";
	if (want == NULL || strcmp(zn_json_str(sh, "verdict") != NULL ?
	    zn_json_str(sh, "verdict") : "", "ok") != 0)
		return "its trailer says verified, but carries no shadow "
		    "verdict ok with the digest of its SQL";
	zn_plan_sqlsum(p, sum);
	if (strcmp(sum, want) != 0)
		return "its SQL changed after zn-shadow verified it (the "
		    "digest of its steps is not the one verified)";
	return NULL;
}
