/* SPDX-License-Identifier: ISC */
/*
 * ops.c: the registry of op kinds, the one place their names are
 * written.
 *
 * A row holds what every stage asks of a kind: zn-diff makes ops by
 * kind and takes their default transaction shape from here; the plan
 * readers turn a name read into its kind; zn-classify treats a name not
 * here as raw SQL; zn-apply asks what a step parks and which index a
 * step outside a transaction builds or drops.  The SQL itself, and the
 * reverse, are rendered by zn-diff; the row says how the reverse is
 * formed, for people and for the checks of the test suite.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "zn.h"

/* The row macros: kind, name, family, then what differs from the rest. */
#define ROW(k, n, f, rv) [k] = { k, n, f, ZN_TX_INSIDE, 0, NULL, \
	ZN_PROBE_NONE, rv, 0 }
#define PARK(k, n, f, art, rv) [k] = { k, n, f, ZN_TX_INSIDE, 1, art, \
	ZN_PROBE_NONE, rv, 0 }
#define CONCURRENT(k, n, f, pr, rv) [k] = { k, n, f, ZN_TX_CONCURRENT, 0, \
	NULL, pr, rv, 0 }
#define RAW(k, n, f) [k] = { k, n, f, ZN_TX_INSIDE, 0, NULL, \
	ZN_PROBE_NONE, ZN_REV_GIVEN, 1 }

static const struct zn_opdef defs[ZN_OP_NKINDS] = {
	ROW(ZN_OP_CREATE_EXTENSION, "createExtension", ZN_FAM_EXTENSION,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_EXTENSION, "dropExtension", ZN_FAM_EXTENSION,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_ALTER_EXTENSION, "alterExtension", ZN_FAM_EXTENSION,
	    ZN_REV_INVERSE),

	ROW(ZN_OP_CREATE_SCHEMA, "createSchema", ZN_FAM_SCHEMA,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_SCHEMA, "dropSchema", ZN_FAM_SCHEMA, ZN_REV_RECREATE),
	PARK(ZN_OP_SOFT_DROP_SCHEMA, "softDropSchema", ZN_FAM_SCHEMA,
	    "soft_drop_schema", ZN_REV_UNPARK),

	ROW(ZN_OP_CREATE_ENUM, "createEnum", ZN_FAM_TYPE, ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_ENUM, "dropEnum", ZN_FAM_TYPE, ZN_REV_RECREATE),
	ROW(ZN_OP_RENAME_ENUM, "renameEnum", ZN_FAM_TYPE, ZN_REV_INVERSE),
	ROW(ZN_OP_RENAME_ENUM_VALUE, "renameEnumValue", ZN_FAM_TYPE,
	    ZN_REV_INVERSE),
	/* PostgreSQL cannot drop a label: the type is rebuilt without it. */
	ROW(ZN_OP_ADD_ENUM_VALUE, "addEnumValue", ZN_FAM_TYPE,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_REBUILD_ENUM, "rebuildEnum", ZN_FAM_TYPE, ZN_REV_RECREATE),
	PARK(ZN_OP_SOFT_DROP_TYPE, "softDropType", ZN_FAM_TYPE,
	    "soft_drop_type", ZN_REV_UNPARK),
	ROW(ZN_OP_CREATE_DOMAIN, "createDomain", ZN_FAM_TYPE, ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_DOMAIN, "dropDomain", ZN_FAM_TYPE, ZN_REV_RECREATE),
	ROW(ZN_OP_ALTER_DOMAIN, "alterDomain", ZN_FAM_TYPE, ZN_REV_INVERSE),
	ROW(ZN_OP_CREATE_TYPE, "createType", ZN_FAM_TYPE, ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_TYPE, "dropType", ZN_FAM_TYPE, ZN_REV_RECREATE),
	ROW(ZN_OP_ALTER_TYPE, "alterType", ZN_FAM_TYPE, ZN_REV_INVERSE),
	ROW(ZN_OP_CREATE_COLLATION, "createCollation", ZN_FAM_TYPE,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_COLLATION, "dropCollation", ZN_FAM_TYPE,
	    ZN_REV_RECREATE),
	PARK(ZN_OP_SOFT_DROP_COLLATION, "softDropCollation", ZN_FAM_TYPE,
	    "soft_drop_collation", ZN_REV_UNPARK),
	ROW(ZN_OP_CREATE_TEXT_SEARCH_DICTIONARY, "createTextSearchDictionary",
	    ZN_FAM_TYPE, ZN_REV_INVERSE),
	ROW(ZN_OP_ALTER_TEXT_SEARCH_DICTIONARY, "alterTextSearchDictionary",
	    ZN_FAM_TYPE, ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_TEXT_SEARCH_DICTIONARY, "dropTextSearchDictionary",
	    ZN_FAM_TYPE, ZN_REV_RECREATE),
	PARK(ZN_OP_SOFT_DROP_TEXT_SEARCH_DICTIONARY,
	    "softDropTextSearchDictionary", ZN_FAM_TYPE,
	    "soft_drop_text_search_dictionary", ZN_REV_UNPARK),
	ROW(ZN_OP_CREATE_TEXT_SEARCH_CONFIGURATION,
	    "createTextSearchConfiguration", ZN_FAM_TYPE, ZN_REV_INVERSE),
	ROW(ZN_OP_ALTER_TEXT_SEARCH_CONFIGURATION,
	    "alterTextSearchConfiguration", ZN_FAM_TYPE, ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_TEXT_SEARCH_CONFIGURATION,
	    "dropTextSearchConfiguration", ZN_FAM_TYPE, ZN_REV_RECREATE),
	PARK(ZN_OP_SOFT_DROP_TEXT_SEARCH_CONFIGURATION,
	    "softDropTextSearchConfiguration", ZN_FAM_TYPE,
	    "soft_drop_text_search_configuration", ZN_REV_UNPARK),

	ROW(ZN_OP_CREATE_SEQUENCE, "createSequence", ZN_FAM_SEQUENCE,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_SEQUENCE, "dropSequence", ZN_FAM_SEQUENCE,
	    ZN_REV_EMPTY),
	ROW(ZN_OP_RENAME_SEQUENCE, "renameSequence", ZN_FAM_SEQUENCE,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_ALTER_SEQUENCE, "alterSequence", ZN_FAM_SEQUENCE,
	    ZN_REV_INVERSE),
	PARK(ZN_OP_SOFT_DROP_SEQUENCE, "softDropSequence", ZN_FAM_SEQUENCE,
	    "soft_drop_sequence", ZN_REV_UNPARK),

	ROW(ZN_OP_CREATE_TABLE, "createTable", ZN_FAM_TABLE, ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_TABLE, "dropTable", ZN_FAM_TABLE, ZN_REV_EMPTY),
	PARK(ZN_OP_SOFT_DROP_TABLE, "softDropTable", ZN_FAM_TABLE,
	    "soft_drop_table", ZN_REV_UNPARK),
	/* Moved into _zanith_archive whole, and moved back. */
	PARK(ZN_OP_ARCHIVE_TABLE, "archiveTable", ZN_FAM_TABLE,
	    "archive_table", ZN_REV_UNPARK),
	ROW(ZN_OP_RENAME_TABLE, "renameTable", ZN_FAM_TABLE, ZN_REV_INVERSE),
	ROW(ZN_OP_ALTER_TABLE_PERSISTENCE, "alterTablePersistence",
	    ZN_FAM_TABLE, ZN_REV_INVERSE),
	ROW(ZN_OP_ALTER_TABLE_OPTIONS, "alterTableOptions", ZN_FAM_TABLE,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_ALTER_REPLICA_IDENTITY, "alterReplicaIdentity",
	    ZN_FAM_TABLE, ZN_REV_INVERSE),
	ROW(ZN_OP_ALTER_TABLE_INHERIT, "alterTableInherit", ZN_FAM_TABLE,
	    ZN_REV_INVERSE),
	/* Detached and attached again in one transaction. */
	ROW(ZN_OP_ALTER_PARTITION_BOUND, "alterPartitionBound", ZN_FAM_TABLE,
	    ZN_REV_INVERSE),
	/*
	 * A copy-swap rebuild: its artifact keeps the table's definition from
	 * before (and the old table, when the op parks it), forensic only.
	 */
	PARK(ZN_OP_REBUILD_TABLE, "rebuildTable", ZN_FAM_TABLE,
	    "rebuild_table", ZN_REV_GIVEN),

	ROW(ZN_OP_ADD_COLUMN, "addColumn", ZN_FAM_COLUMN, ZN_REV_INVERSE),
	ROW(ZN_OP_ADD_GENERATED_COLUMN, "addGeneratedColumn", ZN_FAM_COLUMN,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_COLUMN, "dropColumn", ZN_FAM_COLUMN, ZN_REV_EMPTY),
	PARK(ZN_OP_SOFT_DROP_COLUMN, "softDropColumn", ZN_FAM_COLUMN,
	    "soft_drop_column", ZN_REV_UNPARK),
	/* Its values go to a table in _zanith_archive, by the key. */
	PARK(ZN_OP_ARCHIVE_COLUMN, "archiveColumn", ZN_FAM_COLUMN,
	    "archive_column", ZN_REV_RESTORE),
	ROW(ZN_OP_RENAME_COLUMN, "renameColumn", ZN_FAM_COLUMN,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_ALTER_COLUMN_TYPE, "alterColumnType", ZN_FAM_COLUMN,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_ALTER_COLUMN_DEFAULT, "alterColumnDefault", ZN_FAM_COLUMN,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_ALTER_COLUMN_NULLABLE, "alterColumnNullable", ZN_FAM_COLUMN,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_ALTER_COLUMN_IDENTITY, "alterColumnIdentity", ZN_FAM_COLUMN,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_ALTER_COLUMN_SETTINGS, "alterColumnSettings", ZN_FAM_COLUMN,
	    ZN_REV_INVERSE),

	CONCURRENT(ZN_OP_ADD_INDEX, "addIndex", ZN_FAM_INDEX,
	    ZN_PROBE_INDEX_VALID, ZN_REV_INVERSE),
	CONCURRENT(ZN_OP_DROP_INDEX, "dropIndex", ZN_FAM_INDEX,
	    ZN_PROBE_INDEX_GONE, ZN_REV_RECREATE),
	ROW(ZN_OP_RENAME_INDEX, "renameIndex", ZN_FAM_INDEX, ZN_REV_INVERSE),

	ROW(ZN_OP_ADD_PRIMARY_KEY, "addPrimaryKey", ZN_FAM_CONSTRAINT,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_PRIMARY_KEY, "dropPrimaryKey", ZN_FAM_CONSTRAINT,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_ADD_UNIQUE, "addUnique", ZN_FAM_CONSTRAINT, ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_UNIQUE, "dropUnique", ZN_FAM_CONSTRAINT,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_ADD_FOREIGN_KEY, "addForeignKey", ZN_FAM_CONSTRAINT,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_FOREIGN_KEY, "dropForeignKey", ZN_FAM_CONSTRAINT,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_ADD_CHECK, "addCheck", ZN_FAM_CONSTRAINT, ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_CHECK, "dropCheck", ZN_FAM_CONSTRAINT,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_ADD_EXCLUSION, "addExclusion", ZN_FAM_CONSTRAINT,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_EXCLUSION, "dropExclusion", ZN_FAM_CONSTRAINT,
	    ZN_REV_RECREATE),
	/* A validated constraint guards what the NOT VALID one did. */
	ROW(ZN_OP_VALIDATE_CONSTRAINT, "validateConstraint",
	    ZN_FAM_CONSTRAINT, ZN_REV_NONE),
	ROW(ZN_OP_RENAME_CONSTRAINT, "renameConstraint", ZN_FAM_CONSTRAINT,
	    ZN_REV_INVERSE),

	ROW(ZN_OP_ENABLE_RLS, "enableRls", ZN_FAM_POLICY, ZN_REV_INVERSE),
	ROW(ZN_OP_DISABLE_RLS, "disableRls", ZN_FAM_POLICY, ZN_REV_INVERSE),
	ROW(ZN_OP_CREATE_POLICY, "createPolicy", ZN_FAM_POLICY,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_POLICY, "dropPolicy", ZN_FAM_POLICY, ZN_REV_RECREATE),

	ROW(ZN_OP_CREATE_VIEW, "createView", ZN_FAM_VIEW, ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_VIEW, "dropView", ZN_FAM_VIEW, ZN_REV_RECREATE),
	ROW(ZN_OP_REPLACE_VIEW, "replaceView", ZN_FAM_VIEW, ZN_REV_RECREATE),
	ROW(ZN_OP_ALTER_VIEW_OPTIONS, "alterViewOptions", ZN_FAM_VIEW,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_CREATE_MATERIALIZED_VIEW, "createMaterializedView",
	    ZN_FAM_VIEW, ZN_REV_INVERSE),
	/* Its rows are computed again from the old definition. */
	ROW(ZN_OP_DROP_MATERIALIZED_VIEW, "dropMaterializedView", ZN_FAM_VIEW,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_REFRESH_MATERIALIZED_VIEW, "refreshMaterializedView",
	    ZN_FAM_VIEW, ZN_REV_INVERSE),

	ROW(ZN_OP_CREATE_FUNCTION, "createFunction", ZN_FAM_ROUTINE,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_FUNCTION, "dropFunction", ZN_FAM_ROUTINE,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_REPLACE_FUNCTION, "replaceFunction", ZN_FAM_ROUTINE,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_CREATE_PROCEDURE, "createProcedure", ZN_FAM_ROUTINE,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_PROCEDURE, "dropProcedure", ZN_FAM_ROUTINE,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_REPLACE_PROCEDURE, "replaceProcedure", ZN_FAM_ROUTINE,
	    ZN_REV_RECREATE),
	/*
	 * Parked because a parked table or column still uses it; it holds
	 * no data of its own, so it records no artifact (zn-ledger(7)).
	 */
	PARK(ZN_OP_SOFT_DROP_FUNCTION, "softDropFunction", ZN_FAM_ROUTINE,
	    NULL, ZN_REV_UNPARK),
	ROW(ZN_OP_CREATE_AGGREGATE, "createAggregate", ZN_FAM_ROUTINE,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_AGGREGATE, "dropAggregate", ZN_FAM_ROUTINE,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_REPLACE_AGGREGATE, "replaceAggregate", ZN_FAM_ROUTINE,
	    ZN_REV_RECREATE),

	ROW(ZN_OP_CREATE_TRIGGER, "createTrigger", ZN_FAM_TRIGGER,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_TRIGGER, "dropTrigger", ZN_FAM_TRIGGER,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_ALTER_TRIGGER, "alterTrigger", ZN_FAM_TRIGGER,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_CREATE_RANGE_TYPE, "createRangeType", ZN_FAM_TYPE,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_RANGE_TYPE, "dropRangeType", ZN_FAM_TYPE,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_CREATE_OPERATOR, "createOperator", ZN_FAM_ROUTINE,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_OPERATOR, "dropOperator", ZN_FAM_ROUTINE,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_REPLACE_OPERATOR, "replaceOperator", ZN_FAM_ROUTINE,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_CREATE_OPERATOR_FAMILY, "createOperatorFamily",
	    ZN_FAM_ROUTINE, ZN_REV_INVERSE),
	ROW(ZN_OP_ALTER_OPERATOR_FAMILY, "alterOperatorFamily",
	    ZN_FAM_ROUTINE, ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_OPERATOR_FAMILY, "dropOperatorFamily", ZN_FAM_ROUTINE,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_CREATE_OPERATOR_CLASS, "createOperatorClass",
	    ZN_FAM_ROUTINE, ZN_REV_INVERSE),
	ROW(ZN_OP_REPLACE_OPERATOR_CLASS, "replaceOperatorClass",
	    ZN_FAM_ROUTINE, ZN_REV_RECREATE),
	ROW(ZN_OP_DROP_OPERATOR_CLASS, "dropOperatorClass", ZN_FAM_ROUTINE,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_CREATE_STATISTICS, "createStatistics", ZN_FAM_INDEX,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_STATISTICS, "dropStatistics", ZN_FAM_INDEX,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_REPLACE_STATISTICS, "replaceStatistics", ZN_FAM_INDEX,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_CREATE_RULE, "createRule", ZN_FAM_TRIGGER, ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_RULE, "dropRule", ZN_FAM_TRIGGER, ZN_REV_RECREATE),
	ROW(ZN_OP_REPLACE_RULE, "replaceRule", ZN_FAM_TRIGGER,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_CREATE_TEXT_SEARCH_PARSER, "createTextSearchParser",
	    ZN_FAM_TYPE, ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_TEXT_SEARCH_PARSER, "dropTextSearchParser",
	    ZN_FAM_TYPE, ZN_REV_RECREATE),
	ROW(ZN_OP_CREATE_TEXT_SEARCH_TEMPLATE, "createTextSearchTemplate",
	    ZN_FAM_TYPE, ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_TEXT_SEARCH_TEMPLATE, "dropTextSearchTemplate",
	    ZN_FAM_TYPE, ZN_REV_RECREATE),
	ROW(ZN_OP_CREATE_CAST, "createCast", ZN_FAM_ROUTINE, ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_CAST, "dropCast", ZN_FAM_ROUTINE, ZN_REV_RECREATE),
	ROW(ZN_OP_REPLACE_CAST, "replaceCast", ZN_FAM_ROUTINE,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_CREATE_FOREIGN_DATA_WRAPPER, "createForeignDataWrapper",
	    ZN_FAM_EXTENSION, ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_FOREIGN_DATA_WRAPPER, "dropForeignDataWrapper",
	    ZN_FAM_EXTENSION, ZN_REV_RECREATE),
	ROW(ZN_OP_ALTER_FOREIGN_DATA_WRAPPER, "alterForeignDataWrapper",
	    ZN_FAM_EXTENSION, ZN_REV_INVERSE),
	ROW(ZN_OP_CREATE_SERVER, "createServer", ZN_FAM_EXTENSION,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_SERVER, "dropServer", ZN_FAM_EXTENSION,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_ALTER_SERVER, "alterServer", ZN_FAM_EXTENSION,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_CREATE_USER_MAPPING, "createUserMapping", ZN_FAM_EXTENSION,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_USER_MAPPING, "dropUserMapping", ZN_FAM_EXTENSION,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_ALTER_USER_MAPPING, "alterUserMapping", ZN_FAM_EXTENSION,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_CREATE_PUBLICATION, "createPublication", ZN_FAM_EXTENSION,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_PUBLICATION, "dropPublication", ZN_FAM_EXTENSION,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_REPLACE_PUBLICATION, "replacePublication",
	    ZN_FAM_EXTENSION, ZN_REV_RECREATE),
	ROW(ZN_OP_ALTER_PUBLICATION, "alterPublication", ZN_FAM_EXTENSION,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_CREATE_EVENT_TRIGGER, "createEventTrigger", ZN_FAM_TRIGGER,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_EVENT_TRIGGER, "dropEventTrigger", ZN_FAM_TRIGGER,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_REPLACE_EVENT_TRIGGER, "replaceEventTrigger",
	    ZN_FAM_TRIGGER, ZN_REV_RECREATE),
	ROW(ZN_OP_ALTER_EVENT_TRIGGER, "alterEventTrigger", ZN_FAM_TRIGGER,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_CREATE_FOREIGN_TABLE, "createForeignTable", ZN_FAM_TABLE,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_DROP_FOREIGN_TABLE, "dropForeignTable", ZN_FAM_TABLE,
	    ZN_REV_RECREATE),
	/* A foreign table holds no data here: made again, nothing lost. */
	ROW(ZN_OP_REPLACE_FOREIGN_TABLE, "replaceForeignTable", ZN_FAM_TABLE,
	    ZN_REV_RECREATE),
	ROW(ZN_OP_ALTER_FOREIGN_TABLE, "alterForeignTable", ZN_FAM_TABLE,
	    ZN_REV_INVERSE),

	ROW(ZN_OP_SET_COMMENT, "setComment", ZN_FAM_COMMENT, ZN_REV_INVERSE),
	ROW(ZN_OP_SET_PRIVILEGES, "setPrivileges", ZN_FAM_PRIVILEGE,
	    ZN_REV_INVERSE),
	ROW(ZN_OP_SET_DEFAULT_PRIVILEGES, "setDefaultPrivileges",
	    ZN_FAM_PRIVILEGE, ZN_REV_INVERSE),

	/* Written by hand in migration files; zn-diff makes none. */
	ROW(ZN_OP_BACKFILL, "backfill", ZN_FAM_DATA, ZN_REV_GIVEN),
	ROW(ZN_OP_SPLIT_COLUMN, "splitColumn", ZN_FAM_DATA, ZN_REV_GIVEN),
	ROW(ZN_OP_MERGE_COLUMNS, "mergeColumns", ZN_FAM_DATA, ZN_REV_GIVEN),
	RAW(ZN_OP_RAW_SQL, "rawSql", ZN_FAM_RAW),
};

static const char *const families[] = {
	[ZN_FAM_EXTENSION] = "extension", [ZN_FAM_SCHEMA] = "schema",
	[ZN_FAM_TYPE] = "type", [ZN_FAM_SEQUENCE] = "sequence",
	[ZN_FAM_TABLE] = "table", [ZN_FAM_COLUMN] = "column",
	[ZN_FAM_INDEX] = "index", [ZN_FAM_CONSTRAINT] = "constraint",
	[ZN_FAM_POLICY] = "policy", [ZN_FAM_VIEW] = "view",
	[ZN_FAM_ROUTINE] = "routine", [ZN_FAM_TRIGGER] = "trigger",
	[ZN_FAM_COMMENT] = "comment", [ZN_FAM_PRIVILEGE] = "privilege",
	[ZN_FAM_DATA] = "data",
	[ZN_FAM_RAW] = "raw"
};

/*
 * The rows in name order, for lookups: every op read from a stream is
 * looked up once, and a stream may hold many thousands.  Made on first
 * use; the commands run one thread.
 */
static const struct zn_opdef *byname[ZN_OP_NKINDS];
static size_t nbyname;

static int
cmpdef(const void *a, const void *b)
{
	const struct zn_opdef *x = *(const struct zn_opdef *const *)a;
	const struct zn_opdef *y = *(const struct zn_opdef *const *)b;

	return strcmp(x->name, y->name);
}

static int
cmpname(const void *key, const void *elt)
{
	return strcmp(key, (*(const struct zn_opdef *const *)elt)->name);
}

const struct zn_opdef *
zn_op_lookup(const char *name)
{
	const struct zn_opdef *const *d;
	size_t i;

	if (name == NULL)
		return NULL;
	if (nbyname == 0) {
		/* Row 0 is ZN_OP_UNKNOWN, which has no name. */
		for (i = 1; i < ZN_OP_NKINDS; i++)
			byname[nbyname++] = &defs[i];
		qsort(byname, nbyname, sizeof(*byname), cmpdef);
	}
	d = bsearch(name, byname, nbyname, sizeof(*byname), cmpname);
	return d != NULL ? *d : NULL;
}

enum zn_opkind
zn_op_kind(const char *name)
{
	const struct zn_opdef *d = zn_op_lookup(name);

	return d != NULL ? d->kind : ZN_OP_UNKNOWN;
}

const struct zn_opdef *
zn_op_kinddef(enum zn_opkind kind)
{
	if (kind <= ZN_OP_UNKNOWN || kind >= ZN_OP_NKINDS)
		return NULL;
	return &defs[kind];
}

const char *
zn_op_name(enum zn_opkind kind)
{
	const struct zn_opdef *d = zn_op_kinddef(kind);

	return d != NULL ? d->name : NULL;
}

const char *
zn_op_family_name(enum zn_opfamily family)
{
	if ((size_t)family >= sizeof(families) / sizeof(families[0]))
		return NULL;
	return families[family];
}

const struct zn_opdef *
zn_op_def(const struct zn_op *op)
{
	if (op->kind != ZN_OP_UNKNOWN)
		return zn_op_kinddef(op->kind);
	return zn_op_lookup(op->op);
}

const char *
zn_op_parks(const struct zn_op *op)
{
	const struct zn_opdef *d = zn_op_def(op);

	return d != NULL ? d->parks : NULL;
}

int
zn_sql_index(const char *sql, char **schema, char **name, int *create)
{
	struct zn_toks ts;
	size_t i = 0, n;
	int ok = 0;

	*schema = *name = NULL;
	if (sql == NULL)
		return 0;
	memset(&ts, 0, sizeof(ts));
	zn_sql_tokens(&ts, sql);
	n = ts.n;
	if (n > 4 && zn_tok_is(&ts.v[0], "create")) {
		i = 1;
		if (zn_tok_is(&ts.v[i], "unique"))
			i++;
		if (i + 3 < n && zn_tok_is(&ts.v[i], "index") &&
		    zn_tok_is(&ts.v[i + 1], "concurrently")) {
			i += 2;
			if (i + 3 < n && zn_tok_is(&ts.v[i], "if"))
				i += 3;
			*name = zn_tok_ident(&ts.v[i]);
			if (i + 2 < n && zn_tok_is(&ts.v[i + 1], "on")) {
				i += 2;
				if (zn_tok_is(&ts.v[i], "only"))
					i++;
				if (i + 2 < n && ts.v[i + 1].t == ZN_TK_DOT)
					*schema = zn_tok_ident(&ts.v[i]);
				ok = 1;
				*create = 1;
			}
		}
	} else if (n > 3 && zn_tok_is(&ts.v[0], "drop") &&
	    zn_tok_is(&ts.v[1], "index") &&
	    zn_tok_is(&ts.v[2], "concurrently")) {
		i = 3;
		if (i + 2 < n && zn_tok_is(&ts.v[i], "if"))
			i += 2;
		if (i + 2 < n && ts.v[i + 1].t == ZN_TK_DOT) {
			*schema = zn_tok_ident(&ts.v[i]);
			i += 2;
		}
		if (i < n) {
			*name = zn_tok_ident(&ts.v[i]);
			ok = 1;
			*create = 0;
		}
	}
	zn_sql_tokens_release(&ts);
	if (!ok) {
		free(*schema);
		free(*name);
		*schema = *name = NULL;
		return 0;
	}
	if (*schema == NULL)
		*schema = zn_xstrdup("public");
	return 1;
}
