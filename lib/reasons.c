/* SPDX-License-Identifier: ISC */
/*
 * reasons.c: the words zn-classify scores with, kept apart from its
 * rules so that what reads plans can check them too: the reason codes
 * with their default scores and meanings (zn-classify(1), the one place
 * they are defined), the levels and their bands, and the check of the
 * suppressions an op carries.
 */
#define _POSIX_C_SOURCE 200809L
#include <string.h>

#include "zn.h"

static const struct code {
	const char *name;
	int score;
	const char *text;
} codes[ZN_NCODES] = {
	[ZN_RC_DROPS_TABLE] = { "drops_table_with_data", 80,
	    "a table's rows become unreachable: DROP TABLE, TRUNCATE, DROP "
	    "SCHEMA CASCADE (85 with CASCADE)" },
	[ZN_RC_DROPS_COLUMN] = { "drops_column_with_data", 80,
	    "DROP COLUMN: the column's values are gone" },
	[ZN_RC_NARROWS] = { "narrows_column_type", 80,
	    "a type change that silently changes stored values (80) or fails "
	    "on some (60)" },
	[ZN_RC_DROPS_OBJECT] = { "drops_stateful_object", 60,
	    "drops a sequence, type, domain, extension, function or "
	    "materialized view (80 with CASCADE)" },
	[ZN_RC_DROPS_CONSTRAINT] = { "drops_constraint", 35,
	    "weakens an integrity guarantee: DROP CONSTRAINT, DROP NOT NULL" },
	[ZN_RC_RENAME_TABLE] = { "rename_table", 60,
	    "renames or moves a table: running clients break" },
	[ZN_RC_RENAME_COLUMN] = { "rename_column", 60,
	    "renames a column: running clients break" },
	[ZN_RC_BREAKS] = { "breaks_client_contract", 35,
	    "changes what clients see without losing data: enum order or "
	    "labels, views, replica identity (60 for renames)" },
	[ZN_RC_REBUILDS] = { "rebuilds_table", 65,
	    "rewrites the table and every index under ACCESS EXCLUSIVE (95 on "
	    "a large table)" },
	[ZN_RC_CHANGES_TYPE] = { "changes_column_type", 20,
	    "changes a column's type or collation; 20 when proven not to "
	    "rewrite" },
	[ZN_RC_NOT_NULL] = { "changes_column_nullable_to_not_null", 55,
	    "SET NOT NULL scans the table under ACCESS EXCLUSIVE; 15 when a "
	    "valid CHECK proves it (PostgreSQL 12 and later)" },
	[ZN_RC_VALIDATES] = { "validates_under_strong_lock", 55,
	    "existing rows are checked while writes are blocked: a valid CHECK "
	    "or FOREIGN KEY, ATTACH PARTITION, ALTER DOMAIN ADD CHECK" },
	[ZN_RC_ADDS_INDEX] = { "adds_index", 50,
	    "builds an index: SHARE lock, writes blocked for the build (50); "
	    "CONCURRENTLY 15" },
	[ZN_RC_DROPS_INDEX] = { "drops_index", 30,
	    "drops an index: brief ACCESS EXCLUSIVE (30); CONCURRENTLY 15; "
	    "plans may regress" },
	[ZN_RC_ADDS_UNIQUE] = { "adds_unique_constraint", 60,
	    "UNIQUE, PRIMARY KEY or EXCLUDE building its own index under "
	    "ACCESS EXCLUSIVE (EXCLUDE 65); USING INDEX 15" },
	[ZN_RC_ADDS_FK] = { "adds_foreign_key", 15,
	    "a foreign key: SHARE ROW EXCLUSIVE on both tables; NOT VALID 15, "
	    "validated 55" },
	[ZN_RC_REQUIRED] = { "adds_required_column_without_default", 60,
	    "a NOT NULL column without a default on a table that may have "
	    "rows: fails (95 when the table has rows)" },
	[ZN_RC_AE_LOCK] = { "takes_access_exclusive_lock", 15,
	    "ACCESS EXCLUSIVE on an existing relation for a catalog change: "
	    "queues every query behind it while it waits" },
	[ZN_RC_NONTX] = { "non_transactional_step", 15,
	    "runs outside a transaction: no atomic rollback; a failure may "
	    "leave INVALID objects" },
	[ZN_RC_HOLDS] = { "holds_lock_across_statements", 35,
	    "a strong lock taken earlier in the transaction is held while a "
	    "later statement works" },
	[ZN_RC_BACKFILL] = { "requires_backfill", 35,
	    "moves rows: UPDATE, DELETE, INSERT, COPY; row locks, WAL and "
	    "replica lag" },
	[ZN_RC_RLS] = { "rls_change", 35,
	    "changes who sees what: row level security, policies, GRANT, "
	    "REVOKE, OWNER" },
	[ZN_RC_RAW] = { "raw_sql", 60,
	    "a statement the classifier cannot model" },
};

_Static_assert(ZN_RC_RAW + 1 == ZN_NCODES, "a row for every reason code");

static const char *const levels[] = { "safe", "low", "medium", "high",
    "destructive", "critical" };

const char *
zn_risk_code_name(int i)
{
	return i >= 0 && i < ZN_NCODES ? codes[i].name : NULL;
}

int
zn_risk_code_score(int i)
{
	return codes[i].score;
}

const char *
zn_risk_code_text(int i)
{
	return codes[i].text;
}

int
zn_risk_code(const char *name)
{
	int i;

	for (i = 0; i < ZN_NCODES; i++)
		if (strcmp(codes[i].name, name) == 0)
			return i;
	return -1;
}

/*
 * The names of the product this toolkit follows (zn-classify(1),
 * ALIASES): each stands for one of our codes raised by ops of certain
 * kinds, or, with code -1, for an op kind that raises no code of ours.
 */
static const struct alias {
	const char *name;
	int code;
	const char *ops[3];
} aliases[] = {
	{ "drops_unique_constraint", ZN_RC_DROPS_CONSTRAINT,
	    { "dropUnique", "dropPrimaryKey", NULL } },
	{ "drops_foreign_key", ZN_RC_DROPS_CONSTRAINT,
	    { "dropForeignKey", NULL, NULL } },
	{ "drops_extension", ZN_RC_DROPS_OBJECT,
	    { "dropExtension", NULL, NULL } },
	{ "adds_nullable_column", -1, { "addColumn", NULL, NULL } },
	{ "adds_extension", -1, { "createExtension", NULL, NULL } },
};

int
zn_risk_known(const char *name)
{
	size_t i;

	if (zn_risk_code(name) >= 0)
		return 1;
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(aliases[i].name, name) == 0)
			return 1;
	return 0;
}

int
zn_risk_alias_covers(const char *name, const char *op, const json_t *args,
    int code)
{
	size_t i, k;

	if (op == NULL)
		return 0;
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (strcmp(aliases[i].name, name) != 0)
			continue;
		for (k = 0; k < 3 && aliases[i].ops[k] != NULL; k++)
			if (strcmp(aliases[i].ops[k], op) == 0)
				break;
		if (k == 3 || aliases[i].ops[k] == NULL)
			return 0;
		/* A column added nullable: no NOT NULL in its args. */
		if (aliases[i].code < 0 && strcmp(op, "addColumn") == 0 &&
		    json_is_true(json_object_get(args, "not_null")))
			return 0;
		return aliases[i].code < 0 ? code < 0 :
		    code == aliases[i].code;
	}
	return 0;
}

void
zn_risk_aliases(FILE *fp)
{
	size_t i, k;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		fprintf(fp, "%-38s   -  alias: ", aliases[i].name);
		if (aliases[i].code >= 0)
			fprintf(fp, "%s on ", codes[aliases[i].code].name);
		else
			fputs("any ", fp);
		for (k = 0; k < 3 && aliases[i].ops[k] != NULL; k++)
			fprintf(fp, "%s%s", k > 0 ? ", " : "",
			    aliases[i].ops[k]);
		fputs(aliases[i].code < 0 && strcmp(aliases[i].ops[0],
		    "addColumn") == 0 ? " op without NOT NULL\n" :
		    aliases[i].code < 0 ? " op\n" : " ops\n", fp);
	}
}

int
zn_level_budget(const char *name)
{
	static const struct {
		const char *name;
		int max;
	} b[] = { { "safe", 9 }, { "low", 24 }, { "medium", 47 },
	    { "high", 69 }, { "destructive", 87 }, { "critical", 100 },
	    { "blocked", 100 } };
	size_t i;

	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		if (strcmp(b[i].name, name) == 0)
			return b[i].max;
	return -1;
}

const char *
zn_level_name(int level)
{
	return levels[level];
}

int
zn_level_of(int score)
{
	if (score < 10)
		return ZN_SAFE;
	if (score < 25)
		return ZN_LOW;
	if (score < 48)
		return ZN_MEDIUM;
	if (score < 70)
		return ZN_HIGH;
	if (score < 88)
		return ZN_DESTRUCTIVE;
	return ZN_CRITICAL;
}

char *
zn_suppress_check(const json_t *sup, const char **key)
{
	const char *k, *why;
	json_t *v;

	*key = NULL;
	if (!json_is_object(sup) || json_object_size(sup) == 0)
		return zn_xstrdup("'suppress' maps reason codes to why each "
		    "is accepted");
	json_object_foreach((json_t *)sup, k, v) {
		*key = k;
		if (!zn_risk_known(k))
			return zn_xasprintf("'%s' is no reason code "
			    "(zn-classify --list-codes)", k);
		why = json_string_value(v);
		if (why == NULL || strspn(why, " \t\n") == strlen(why))
			return zn_xasprintf("suppressing %s needs a reason, as "
			    "text", k);
	}
	*key = NULL;
	return NULL;
}
