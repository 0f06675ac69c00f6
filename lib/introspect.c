/* SPDX-License-Identifier: ISC */
/*
 * introspect.c: a live database read into a schema graph.  One
 * REPEATABLE READ, READ ONLY transaction and the same set-based catalog
 * queries whatever the number of tables (pg_dump's approach since
 * PostgreSQL 15: per-catalog queries restricted by an array of OIDs),
 * sent in three pipelines: the schemas, what needs only them
 * (readahead), what needs the relations; the relations' constraints,
 * indexes and the like in a second session on the first one's exported
 * snapshot where the server allows one.  Text is rendered by the server
 * under pg_dump's session settings, so the graph is the server's own
 * words; except keys, foreign keys and indexes, which are written here
 * byte for byte as pg_get_constraintdef and pg_get_indexdef would
 * (rendercon, renderindex): on a cold backend those walk the syscaches
 * once per object; and checks, index expressions and predicates, written
 * from their node trees by deparse.c (trees, checkdefs), since the
 * server's deparser opens each of their tables, which was most of its
 * time.  What the client cannot write the server renders in one more
 * query (serverchecks, serverindexes).  ZN_SNAPSHOT_CHECK=1 has the
 * server render everything too and compares.
 *
 * The per-table results come back sorted by relation OID and are
 * merge-joined here, one relation at a time: each record is written
 * straight into its canonical line (keys in canonical order by
 * construction, checked by reading graphs back), so memory follows the
 * size of the output, not of a tree of every table.  Column numbers in
 * keys are mapped to names here rather than by per-row subqueries.
 *
 * Column defaults are deparsed without their table (pg_get_expr with
 * relid 0): a default cannot refer to a column, so the text is the same,
 * and the server neither opens nor locks every table that has one.
 * Generated columns do refer to columns and keep their table.
 *
 * Sequence numbers (start, increment, bounds, cache) are written as
 * decimal strings: they span 64 bits, and common JSON tools (jq 1.6,
 * JavaScript) round integers beyond 2^53.
 *
 * Never part of a graph: system schemas, the schema _zanith_archive,
 * objects whose name starts with _zanith_ (the tool's ledger and parked
 * tables), columns parked as _zanith_dropped_*, and extension members.
 */
#define _POSIX_C_SOURCE 200809L
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "zn.h"

/* Conditions shared by the queries. */
#define NOT_OURS(col) "pg_catalog.left(" col ", 8) <> '_zanith_'"
#define NOT_MEMBER(cls, oid) \
	"NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e " \
	"WHERE e.classid = '" cls "'::pg_catalog.regclass " \
	"AND e.objid = " oid " AND e.deptype = 'e')"
#define COMMENT(alias, cls, oid, sub) \
	"LEFT JOIN pg_catalog.pg_description " alias " ON " alias \
	".classoid = '" cls "'::pg_catalog.regclass AND " alias ".objoid = " \
	oid " AND " alias ".objsubid = " sub " "

static const char q_schemas[] =
    "SELECT n.oid, n.nspname, d.description "
    "FROM pg_catalog.pg_namespace n "
    COMMENT("d", "pg_catalog.pg_namespace", "n.oid", "0")
    "WHERE n.nspname <> 'information_schema' "
    "AND n.nspname !~ '^pg_' AND " NOT_OURS("n.nspname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_namespace", "n.oid") " "
    /*
     * A schema of zanith's ledger (--ledger-schema): one other than
     * public, named as the ledger's ($1) or holding a ledger, that
     * holds nothing that is not zanith's.  Every object in a schema
     * depends on it ('n'); its identity is the schema's name, a dot
     * and its own.
     */
    "AND NOT (n.nspname <> 'public' AND (n.nspname = $1 OR EXISTS ("
    "  SELECT 1 FROM pg_catalog.pg_class l WHERE l.relnamespace = n.oid"
    "  AND l.relname = '_zanith_ledger')) AND NOT EXISTS (SELECT 1"
    "  FROM pg_catalog.pg_depend o WHERE o.refclassid ="
    "  'pg_catalog.pg_namespace'::pg_catalog.regclass"
    "  AND o.refobjid = n.oid AND o.deptype = 'n'"
    "  AND pg_catalog.substr((pg_catalog.pg_identify_object(o.classid,"
    "  o.objid, 0)).identity, pg_catalog.length(pg_catalog.quote_ident("
    "  n.nspname)) + 2, 8) <> '_zanith_')) "
    "ORDER BY n.nspname";

static const char q_extensions[] =
    "SELECT x.extname, n.nspname, x.extversion, d.description "
    "FROM pg_catalog.pg_extension x "
    "JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace "
    COMMENT("d", "pg_catalog.pg_extension", "x.oid", "0")
    "WHERE x.extnamespace = ANY ($1::pg_catalog.oid[]) "
    "OR (n.nspname = 'pg_catalog' AND x.extname <> 'plpgsql')";

static const char q_enums[] =
    "SELECT n.nspname, t.typname, ARRAY("
    "  SELECT e.enumlabel FROM pg_catalog.pg_enum e"
    "  WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)::pg_catalog.text[], "
    "d.description, t.oid "
    "FROM pg_catalog.pg_type t "
    "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
    COMMENT("d", "pg_catalog.pg_type", "t.oid", "0")
    "WHERE t.typtype = 'e' AND t.typnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("t.typname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_type", "t.oid");

/* Domains, and their check constraints (in order of domain OID, name). */
enum { DM_SCHEMA, DM_NAME, DM_TYPE, DM_NOTNULL, DM_DEFAULT, DM_COLLATION,
    DM_COMMENT, DM_OID };
static const char q_domains[] =
    "SELECT n.nspname, t.typname, "
    "pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull, "
    "pg_catalog.pg_get_expr(t.typdefaultbin, 0), "
    "CASE WHEN t.typcollation <> bt.typcollation THEN "
    "  pg_catalog.quote_ident(cn.nspname) || '.' || "
    "  pg_catalog.quote_ident(co.collname) END, d.description, t.oid "
    "FROM pg_catalog.pg_type t "
    "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
    "JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype "
    "LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation "
    "LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace "
    COMMENT("d", "pg_catalog.pg_type", "t.oid", "0")
    "WHERE t.typtype = 'd' AND t.typnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("t.typname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_type", "t.oid") " "
    "ORDER BY t.oid";
enum { DC_DOMAIN, DC_NAME, DC_DEF, DC_VALID, DC_COMMENT };
static const char q_domaincons[] =
    "SELECT c.contypid, c.conname, pg_catalog.pg_get_constraintdef(c.oid), "
    "c.convalidated, d.description "
    "FROM pg_catalog.pg_constraint c "
    "JOIN pg_catalog.pg_type t ON t.oid = c.contypid "
    COMMENT("d", "pg_catalog.pg_constraint", "c.oid", "0")
    "WHERE t.typnamespace = ANY ($1::pg_catalog.oid[]) AND c.contype = 'c' "
    "ORDER BY c.contypid, c.conname COLLATE \"C\"";

/*
 * Collations (libc and ICU) as CREATE COLLATION takes them; the
 * provider's version is not compared (pg_dump leaves it out too).
 */
enum { CO_SCHEMA, CO_NAME, CO_PROVIDER, CO_DETERMINISTIC, CO_COLLATE,
    CO_CTYPE, CO_LOCALE, CO_COMMENT };
static const char q_collations[] =
    "SELECT n.nspname, c.collname, CASE c.collprovider WHEN 'i' THEN 'icu' "
    "WHEN 'c' THEN 'libc' ELSE c.collprovider::pg_catalog.text END, "
    "c.collisdeterministic, c.collcollate, c.collctype, %s, d.description "
    "FROM pg_catalog.pg_collation c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.collnamespace "
    COMMENT("d", "pg_catalog.pg_collation", "c.oid", "0")
    "WHERE c.collnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("c.collname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_collation", "c.oid") " "
    "ORDER BY c.oid";

/* Text search dictionaries: their template and options as kept. */
enum { TD_SCHEMA, TD_NAME, TD_TEMPLATE, TD_OPTIONS, TD_COMMENT };
static const char q_tsdicts[] =
    "SELECT n.nspname, t.dictname, "
    "pg_catalog.quote_ident(tn.nspname) || '.' || "
    "pg_catalog.quote_ident(tt.tmplname), t.dictinitoption, d.description "
    "FROM pg_catalog.pg_ts_dict t "
    "JOIN pg_catalog.pg_namespace n ON n.oid = t.dictnamespace "
    "JOIN pg_catalog.pg_ts_template tt ON tt.oid = t.dicttemplate "
    "JOIN pg_catalog.pg_namespace tn ON tn.oid = tt.tmplnamespace "
    COMMENT("d", "pg_catalog.pg_ts_dict", "t.oid", "0")
    "WHERE t.dictnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("t.dictname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_ts_dict", "t.oid") " "
    "ORDER BY t.oid";

/*
 * Text search configurations, and their mappings as pg_dump reads them:
 * per token type of the parser, the dictionaries in the order they are
 * tried.
 */
enum { TC_OID, TC_SCHEMA, TC_NAME, TC_PARSER, TC_COMMENT };
static const char q_tsconfigs[] =
    "SELECT c.oid, n.nspname, c.cfgname, "
    "pg_catalog.quote_ident(pn.nspname) || '.' || "
    "pg_catalog.quote_ident(p.prsname), d.description "
    "FROM pg_catalog.pg_ts_config c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace "
    "JOIN pg_catalog.pg_ts_parser p ON p.oid = c.cfgparser "
    "JOIN pg_catalog.pg_namespace pn ON pn.oid = p.prsnamespace "
    COMMENT("d", "pg_catalog.pg_ts_config", "c.oid", "0")
    "WHERE c.cfgnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("c.cfgname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_ts_config", "c.oid") " "
    "ORDER BY c.oid";
enum { TM_CFG, TM_TOKEN, TM_DICT };
static const char q_tsmaps[] =
    "SELECT m.mapcfg, (SELECT t.alias FROM "
    "pg_catalog.ts_token_type(c.cfgparser) t WHERE t.tokid = "
    "m.maptokentype), pg_catalog.quote_ident(dn.nspname) || '.' || "
    "pg_catalog.quote_ident(dd.dictname) "
    "FROM pg_catalog.pg_ts_config_map m "
    "JOIN pg_catalog.pg_ts_config c ON c.oid = m.mapcfg "
    "JOIN pg_catalog.pg_ts_dict dd ON dd.oid = m.mapdict "
    "JOIN pg_catalog.pg_namespace dn ON dn.oid = dd.dictnamespace "
    "WHERE c.cfgnamespace = ANY ($1::pg_catalog.oid[]) "
    "ORDER BY m.mapcfg, m.maptokentype, m.mapseqno";

/* A routine named by its OID in col, qualified, or null. */
#define AGGFN(col) \
    "(SELECT pg_catalog.quote_ident(fn.nspname) || '.' || " \
    "pg_catalog.quote_ident(f.proname) FROM pg_catalog.pg_proc f JOIN " \
    "pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace WHERE f.oid = " \
    col ")"

/*
 * Range types, as CREATE TYPE ... AS RANGE with what is not the default
 * (pg_dump's dumpRangeType): the operator class and collation when not
 * the subtype's, the canonical and difference functions, the multirange.
 */
#define QNAME(nsp, name) "pg_catalog.quote_ident(" nsp ") || '.' || " \
    "pg_catalog.quote_ident(" name ")"
enum { RG_SCHEMA, RG_NAME, RG_SUBTYPE, RG_DEF, RG_COMMENT, RG_OID };
static const char q_ranges[] =
    "SELECT n.nspname, t.typname, "
    "pg_catalog.format_type(r.rngsubtype, NULL), "
    "'CREATE TYPE ' || " QNAME("n.nspname", "t.typname") " || "
    "' AS RANGE (subtype = ' || pg_catalog.format_type(r.rngsubtype, NULL) "
    "|| CASE WHEN NOT oc.opcdefault THEN ', subtype_opclass = ' || "
    QNAME("ocn.nspname", "oc.opcname") " ELSE '' END || "
    "CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation "
    "THEN ', collation = ' || (SELECT " QNAME("cn.nspname", "co.collname")
    " FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON "
    "cn.oid = co.collnamespace WHERE co.oid = r.rngcollation) ELSE '' END || "
    "CASE WHEN r.rngcanonical <> 0 THEN ', canonical = ' || "
    AGGFN("r.rngcanonical") " ELSE '' END || "
    "CASE WHEN r.rngsubdiff <> 0 THEN ', subtype_diff = ' || "
    AGGFN("r.rngsubdiff") " ELSE '' END || %s || ')', d.description, "
    "t.oid "
    "FROM pg_catalog.pg_range r "
    "JOIN pg_catalog.pg_type t ON t.oid = r.rngtypid "
    "JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype "
    "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
    "JOIN pg_catalog.pg_opclass oc ON oc.oid = r.rngsubopc "
    "JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace "
    COMMENT("d", "pg_catalog.pg_type", "t.oid", "0")
    "WHERE t.typnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("t.typname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_type", "t.oid") " "
    "ORDER BY t.oid";
#define RG_MULTIRANGE "', multirange_type_name = ' || (SELECT " \
    QNAME("mn.nspname", "mt.typname") " FROM pg_catalog.pg_type mt JOIN " \
    "pg_catalog.pg_namespace mn ON mn.oid = mt.typnamespace WHERE " \
    "mt.oid = r.rngmultitypid)"

/*
 * Operators (not shells), as pg_dump's dumpOpr writes them, with the
 * function behind them for ordering.
 */
#define OPRNAME(col) \
    "(SELECT 'OPERATOR(' || pg_catalog.quote_ident(on_.nspname) || '.' || " \
    "o2.oprname || ')' FROM pg_catalog.pg_operator o2 JOIN " \
    "pg_catalog.pg_namespace on_ ON on_.oid = o2.oprnamespace WHERE " \
    "o2.oid = " col ")"
enum { OP_SCHEMA, OP_NAME, OP_ARGS, OP_DEF, OP_FUNC, OP_COMMENT };
static const char q_operators[] =
    "SELECT n.nspname, o.oprname, CASE WHEN o.oprleft = 0 THEN 'NONE' "
    "ELSE pg_catalog.format_type(o.oprleft, NULL) END || ', ' || "
    "pg_catalog.format_type(o.oprright, NULL), "
    "'CREATE OPERATOR ' || pg_catalog.quote_ident(n.nspname) || '.' || "
    "o.oprname || ' (FUNCTION = ' || " AGGFN("o.oprcode") " || "
    "CASE WHEN o.oprleft <> 0 THEN ', LEFTARG = ' || "
    "pg_catalog.format_type(o.oprleft, NULL) ELSE '' END || "
    "', RIGHTARG = ' || pg_catalog.format_type(o.oprright, NULL) || "
    "CASE WHEN o.oprcom <> 0 THEN ', COMMUTATOR = ' || " OPRNAME("o.oprcom")
    " ELSE '' END || CASE WHEN o.oprnegate <> 0 THEN ', NEGATOR = ' || "
    OPRNAME("o.oprnegate") " ELSE '' END || "
    "CASE WHEN o.oprrest <> 0 THEN ', RESTRICT = ' || " AGGFN("o.oprrest")
    " ELSE '' END || CASE WHEN o.oprjoin <> 0 THEN ', JOIN = ' || "
    AGGFN("o.oprjoin") " ELSE '' END || "
    "CASE WHEN o.oprcanhash THEN ', HASHES' ELSE '' END || "
    "CASE WHEN o.oprcanmerge THEN ', MERGES' ELSE '' END || ')', "
    "(SELECT " QNAME("fn.nspname", "f.proname") " || '(' || "
    "pg_catalog.pg_get_function_identity_arguments(f.oid) || ')' FROM "
    "pg_catalog.pg_proc f JOIN pg_catalog.pg_namespace fn ON fn.oid = "
    "f.pronamespace WHERE f.oid = o.oprcode), d.description "
    "FROM pg_catalog.pg_operator o "
    "JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace "
    COMMENT("d", "pg_catalog.pg_operator", "o.oid", "0")
    "WHERE o.oprnamespace = ANY ($1::pg_catalog.oid[]) AND o.oprcode <> 0 "
    "AND " NOT_MEMBER("pg_catalog.pg_operator", "o.oid") " "
    "ORDER BY o.oid";

/* Extended statistics objects, and the table each is on. */
enum { ST_SCHEMA, ST_NAME, ST_DEF, ST_TARGET, ST_ON, ST_COMMENT };
static const char q_statistics[] =
    "SELECT n.nspname, s.stxname, pg_catalog.pg_get_statisticsobjdef(s.oid), "
    "CASE WHEN s.stxstattarget >= 0 THEN s.stxstattarget END, "
    QNAME("cn.nspname", "c.relname") ", d.description "
    "FROM pg_catalog.pg_statistic_ext s "
    "JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace "
    "JOIN pg_catalog.pg_class c ON c.oid = s.stxrelid "
    "JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace "
    COMMENT("d", "pg_catalog.pg_statistic_ext", "s.oid", "0")
    "WHERE s.stxnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("s.stxname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_statistic_ext", "s.oid") " "
    "ORDER BY s.oid";

/*
 * Kinds made by one statement, read alike (defobjects): each query gives
 * the object's OID, its schema (null for a kind that lives in no schema),
 * its name, then the members of its record in the order of keys[] (the
 * records' byte order), typed by a suffix: ":a" a text array, ":b" a
 * boolean, ":p" the privileges of the object (the column holds the kind
 * letter of q_acls), none a text.
 */
#define FUNCKEY(oid) \
    "(SELECT " QNAME("fn.nspname", "f.proname") " || '(' || " \
    "pg_catalog.pg_get_function_identity_arguments(f.oid) || ')' FROM " \
    "pg_catalog.pg_proc f JOIN pg_catalog.pg_namespace fn ON fn.oid = " \
    "f.pronamespace WHERE f.oid = " oid ")"
/* The routines of a list of OIDs outside pg_catalog, for ordering. */
#define FUNCKEYS(oids) \
    "ARRAY(SELECT " QNAME("fn.nspname", "f.proname") " || '(' " \
    "|| pg_catalog.pg_get_function_identity_arguments(f.oid) || ')' FROM " \
    "pg_catalog.pg_proc f JOIN pg_catalog.pg_namespace fn ON fn.oid = " \
    "f.pronamespace WHERE f.oid = ANY (ARRAY[" oids "]::pg_catalog.oid[]) " \
    "AND fn.nspname <> 'pg_catalog' ORDER BY 1)"
/* Generic options as written in the catalogs ("name=value"), sorted. */
#define OPTIONS(col) \
    "ARRAY(SELECT o FROM pg_catalog.unnest(" col ") o " \
    "ORDER BY o COLLATE \"C\")"

static const char q_tsparsers[] =
    "SELECT p.oid, n.nspname, p.prsname, d.description, "
    "'CREATE TEXT SEARCH PARSER ' || " QNAME("n.nspname", "p.prsname")
    " || ' (START = ' || " AGGFN("p.prsstart") " || ', GETTOKEN = ' || "
    AGGFN("p.prstoken") " || ', END = ' || " AGGFN("p.prsend") " || "
    "', LEXTYPES = ' || " AGGFN("p.prslextype") " || CASE WHEN "
    "p.prsheadline <> 0 THEN ', HEADLINE = ' || " AGGFN("p.prsheadline")
    " ELSE '' END || ')', "
    FUNCKEYS("p.prsstart, p.prstoken, p.prsend, p.prslextype, "
    "p.prsheadline") " "
    "FROM pg_catalog.pg_ts_parser p "
    "JOIN pg_catalog.pg_namespace n ON n.oid = p.prsnamespace "
    COMMENT("d", "pg_catalog.pg_ts_parser", "p.oid", "0")
    "WHERE p.prsnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("p.prsname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_ts_parser", "p.oid") " "
    "ORDER BY p.oid";

static const char q_tstemplates[] =
    "SELECT t.oid, n.nspname, t.tmplname, d.description, "
    "'CREATE TEXT SEARCH TEMPLATE ' || " QNAME("n.nspname", "t.tmplname")
    " || ' (' || CASE WHEN t.tmplinit <> 0 THEN 'INIT = ' || "
    AGGFN("t.tmplinit") " || ', ' ELSE '' END || 'LEXIZE = ' || "
    AGGFN("t.tmpllexize") " || ')', "
    FUNCKEYS("t.tmplinit, t.tmpllexize") " "
    "FROM pg_catalog.pg_ts_template t "
    "JOIN pg_catalog.pg_namespace n ON n.oid = t.tmplnamespace "
    COMMENT("d", "pg_catalog.pg_ts_template", "t.oid", "0")
    "WHERE t.tmplnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("t.tmplname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_ts_template", "t.oid") " "
    "ORDER BY t.oid";

/* Casts made by users (pg_dump's dumpCast: not those of initdb). */
static const char q_casts[] =
    "SELECT c.oid, NULL, '(' || pg_catalog.format_type(c.castsource, "
    "NULL) || ' AS ' || pg_catalog.format_type(c.casttarget, NULL) || ')', "
    "d.description, 'CREATE CAST (' || "
    "pg_catalog.format_type(c.castsource, NULL) || ' AS ' || "
    "pg_catalog.format_type(c.casttarget, NULL) || ') ' || CASE "
    "c.castmethod WHEN 'f' THEN 'WITH FUNCTION ' || " FUNCKEY("c.castfunc")
    " WHEN 'i' THEN 'WITH INOUT' ELSE 'WITHOUT FUNCTION' END || CASE "
    "c.castcontext WHEN 'a' THEN ' AS ASSIGNMENT' WHEN 'i' THEN "
    "' AS IMPLICIT' ELSE '' END, " FUNCKEYS("c.castfunc") ", "
    "pg_catalog.format_type(c.castsource, NULL), "
    "pg_catalog.format_type(c.casttarget, NULL) "
    "FROM pg_catalog.pg_cast c "
    COMMENT("d", "pg_catalog.pg_cast", "c.oid", "0")
    "WHERE c.oid >= 16384 "
    "AND " NOT_MEMBER("pg_catalog.pg_cast", "c.oid") " "
    /* Not a multirange's, which its range type makes. */
    "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE "
    "i.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND "
    "i.objid = c.oid AND i.deptype = 'i') "
    "ORDER BY c.oid";

static const char q_evtriggers[] =
    "SELECT et.oid, NULL, et.evtname, d.description, "
    "'CREATE EVENT TRIGGER ' || pg_catalog.quote_ident(et.evtname) || "
    "' ON ' || pg_catalog.quote_ident(et.evtevent) || CASE WHEN et.evttags "
    "IS NOT NULL THEN ' WHEN TAG IN (' || (SELECT "
    "pg_catalog.string_agg(pg_catalog.quote_literal(t), ', ') FROM "
    "pg_catalog.unnest(et.evttags) t) || ')' ELSE '' END || ' EXECUTE "
    "FUNCTION ' || " AGGFN("et.evtfoid") " || '()', "
    "CASE et.evtenabled WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica' "
    "WHEN 'A' THEN 'always' ELSE 'origin' END, " FUNCKEYS("et.evtfoid") " "
    "FROM pg_catalog.pg_event_trigger et "
    COMMENT("d", "pg_catalog.pg_event_trigger", "et.oid", "0")
    "WHERE " NOT_MEMBER("pg_catalog.pg_event_trigger", "et.oid") " "
    "AND " NOT_OURS("et.evtname") " "
    "ORDER BY et.oid";

static const char q_fdws[] =
    "SELECT w.oid, NULL, w.fdwname, d.description, "
    "'CREATE FOREIGN DATA WRAPPER ' || pg_catalog.quote_ident(w.fdwname) || "
    "CASE WHEN w.fdwhandler <> 0 THEN ' HANDLER ' || " AGGFN("w.fdwhandler")
    " ELSE '' END || CASE WHEN w.fdwvalidator <> 0 THEN ' VALIDATOR ' || "
    AGGFN("w.fdwvalidator") " ELSE '' END, "
    FUNCKEYS("w.fdwhandler, w.fdwvalidator") ", "
    AGGFN("NULLIF(w.fdwhandler, 0)") ", " OPTIONS("w.fdwoptions") ", 'w', "
    AGGFN("NULLIF(w.fdwvalidator, 0)") " "
    "FROM pg_catalog.pg_foreign_data_wrapper w "
    COMMENT("d", "pg_catalog.pg_foreign_data_wrapper", "w.oid", "0")
    "WHERE " NOT_MEMBER("pg_catalog.pg_foreign_data_wrapper", "w.oid") " "
    "ORDER BY w.oid";

static const char q_servers[] =
    "SELECT s.oid, NULL, s.srvname, d.description, "
    "'CREATE SERVER ' || pg_catalog.quote_ident(s.srvname) || CASE WHEN "
    "s.srvtype IS NOT NULL THEN ' TYPE ' || pg_catalog.quote_literal("
    "s.srvtype) ELSE '' END || CASE WHEN s.srvversion IS NOT NULL THEN "
    "' VERSION ' || pg_catalog.quote_literal(s.srvversion) ELSE '' END || "
    "' FOREIGN DATA WRAPPER ' || pg_catalog.quote_ident(w.fdwname), "
    OPTIONS("s.srvoptions") ", 's', s.srvtype, s.srvversion, w.fdwname "
    "FROM pg_catalog.pg_foreign_server s "
    "JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw "
    COMMENT("d", "pg_catalog.pg_foreign_server", "s.oid", "0")
    "WHERE " NOT_MEMBER("pg_catalog.pg_foreign_server", "s.oid") " "
    "ORDER BY s.oid";

/*
 * User mappings, options included as pg_dump writes them (they are read
 * through pg_user_mappings, which shows them to the server's owner, the
 * mapped user and superusers).
 */
static const char q_usermappings[] =
    "SELECT m.umid, NULL, 'FOR ' || CASE WHEN m.umuser = 0 THEN 'PUBLIC' "
    "ELSE m.usename END || ' SERVER ' || m.srvname, "
    "'CREATE USER MAPPING FOR ' || CASE WHEN m.umuser = 0 THEN 'PUBLIC' "
    "ELSE pg_catalog.quote_ident(m.usename) END || ' SERVER ' || "
    "pg_catalog.quote_ident(m.srvname), " OPTIONS("m.umoptions") ", "
    "CASE WHEN m.umuser = 0 THEN 'PUBLIC' ELSE m.usename END, m.srvname "
    "FROM pg_catalog.pg_user_mappings m "
    "WHERE " NOT_MEMBER("pg_catalog.pg_user_mapping", "m.umid") " "
    "ORDER BY m.umid";

/*
 * Publications: what they publish as the list of CREATE PUBLICATION (a
 * table ONLY, with its column list and row filter, as pg_dump writes
 * them), and the tables and schemas alone, for ALTER ... DROP.
 */
#define PUBTABLES(fmt) \
    "(SELECT pg_catalog.string_agg(" fmt ", ', ' ORDER BY " \
    QNAME("tn.nspname", "t.relname") " COLLATE \"C\") FROM " \
    "pg_catalog.pg_publication_rel pr JOIN pg_catalog.pg_class t ON t.oid " \
    "= pr.prrelid JOIN pg_catalog.pg_namespace tn ON tn.oid = " \
    "t.relnamespace WHERE pr.prpubid = p.oid)"
#define PUBSCHEMAS \
    "(SELECT pg_catalog.string_agg('TABLES IN SCHEMA ' || " \
    "pg_catalog.quote_ident(sn.nspname), ', ' ORDER BY sn.nspname COLLATE " \
    "\"C\") FROM pg_catalog.pg_publication_namespace pn JOIN " \
    "pg_catalog.pg_namespace sn ON sn.oid = pn.pnnspid WHERE pn.pnpubid = " \
    "p.oid)"
#define PUBOBJECTS \
    "pg_catalog.concat_ws(', ', " PUBTABLES("'TABLE ONLY ' || " \
    QNAME("tn.nspname", "t.relname") " || COALESCE(' (' || (SELECT " \
    "pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER " \
    "BY k.i) FROM pg_catalog.unnest(pr.prattrs::pg_catalog.int2[]) WITH " \
    "ORDINALITY k(n, i) JOIN pg_catalog.pg_attribute a ON a.attrelid = " \
    "pr.prrelid AND a.attnum = k.n) || ')', '') || COALESCE(' WHERE (' || " \
    "pg_catalog.pg_get_expr(pr.prqual, pr.prrelid) || ')', '')") ", " \
    PUBSCHEMAS ")"
#define PUBPARAMS \
    "'publish = ' || pg_catalog.quote_literal(pg_catalog.concat_ws(', ', " \
    "CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN " \
    "'update' END, CASE WHEN p.pubdelete THEN 'delete' END, CASE WHEN " \
    "p.pubtruncate THEN 'truncate' END)) || ', publish_via_partition_root " \
    "= ' || p.pubviaroot"
static const char q_publications[] =
    "SELECT p.oid, NULL, p.pubname, p.puballtables, d.description, "
    "'CREATE PUBLICATION ' || pg_catalog.quote_ident(p.pubname) || CASE "
    "WHEN p.puballtables THEN ' FOR ALL TABLES' ELSE COALESCE(' FOR ' || "
    "NULLIF(" PUBOBJECTS ", ''), '') END || ' WITH (' || " PUBPARAMS " || "
    "')', NULLIF(" PUBOBJECTS ", ''), " PUBPARAMS ", "
    "ARRAY(SELECT pg_catalog.quote_ident(sn.nspname) FROM "
    "pg_catalog.pg_publication_namespace pn JOIN pg_catalog.pg_namespace "
    "sn ON sn.oid = pn.pnnspid WHERE pn.pnpubid = p.oid ORDER BY sn.nspname "
    "COLLATE \"C\"), ARRAY(SELECT " QNAME("tn.nspname", "t.relname")
    " FROM pg_catalog.pg_publication_rel pr JOIN pg_catalog.pg_class t ON "
    "t.oid = pr.prrelid JOIN pg_catalog.pg_namespace tn ON tn.oid = "
    "t.relnamespace WHERE pr.prpubid = p.oid ORDER BY tn.nspname "
    "COLLATE \"C\", t.relname COLLATE \"C\") "
    "FROM pg_catalog.pg_publication p "
    COMMENT("d", "pg_catalog.pg_publication", "p.oid", "0")
    "WHERE " NOT_MEMBER("pg_catalog.pg_publication", "p.oid") " "
    "ORDER BY p.oid";

/*
 * Foreign tables, as pg_dump writes them: their local columns (all of
 * them for a partition, which is attached afterwards, as pg_dump does)
 * with options, collation, default or generation and NOT NULL, their
 * CHECK constraints, parents and server; their options apart, as they
 * are altered in place.
 */
#define FTCOLS \
    "(SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || " \
    "' ' || pg_catalog.format_type(a.atttypid, a.atttypmod) || " \
    "COALESCE(' OPTIONS (' || (SELECT pg_catalog.string_agg(" \
    "pg_catalog.quote_ident(o.option_name) || ' ' || " \
    "pg_catalog.quote_literal(o.option_value), ', ') FROM " \
    "pg_catalog.pg_options_to_table(a.attfdwoptions) o) || ')', '') || " \
    "CASE WHEN a.attcollation <> t.typcollation THEN ' COLLATE ' || " \
    QNAME("cn.nspname", "co.collname") " ELSE '' END || CASE WHEN " \
    "a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || " \
    "pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) || ') STORED' WHEN " \
    "ad.adbin IS NOT NULL THEN ' DEFAULT ' || " \
    "pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) ELSE '' END || CASE " \
    "WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END, ', ' ORDER BY " \
    "a.attnum) FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t " \
    "ON t.oid = a.atttypid LEFT JOIN pg_catalog.pg_collation co ON co.oid " \
    "= a.attcollation LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = " \
    "co.collnamespace LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = " \
    "a.attrelid AND ad.adnum = a.attnum WHERE a.attrelid = c.oid AND " \
    "a.attnum > 0 AND NOT a.attisdropped AND (a.attislocal OR " \
    "c.relispartition))"
#define FTCHECKS \
    "(SELECT pg_catalog.string_agg('CONSTRAINT ' || " \
    "pg_catalog.quote_ident(k.conname) || ' ' || " \
    "pg_catalog.pg_get_constraintdef(k.oid), ', ' ORDER BY k.conname " \
    "COLLATE \"C\") FROM pg_catalog.pg_constraint k WHERE k.conrelid = " \
    "c.oid AND k.contype = 'c' AND (k.conislocal OR c.relispartition))"
#define FTPARENTS(agg, sep) \
    "(SELECT " agg "(" QNAME("pn.nspname", "pc.relname") sep " ORDER BY " \
    "h.inhseqno) FROM pg_catalog.pg_inherits h JOIN pg_catalog.pg_class pc " \
    "ON pc.oid = h.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = " \
    "pc.relnamespace WHERE h.inhrelid = c.oid)"
static const char q_foreigntables[] =
    "SELECT c.oid, n.nspname, c.relname, CASE WHEN c.relispartition THEN "
    "'ALTER TABLE ' || " FTPARENTS("pg_catalog.string_agg", ", ', '")
    " || ' ATTACH PARTITION ' || " QNAME("n.nspname", "c.relname") " || ' ' "
    "|| pg_catalog.pg_get_expr(c.relpartbound, c.oid) END, "
    "COALESCE((SELECT pg_catalog.array_agg(v.v ORDER BY a.attnum, v.o) FROM "
    "pg_catalog.pg_attribute a JOIN pg_catalog.pg_description ds ON "
    "ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND "
    "ds.objoid = a.attrelid AND ds.objsubid = a.attnum CROSS JOIN LATERAL "
    "(VALUES (1, a.attname::pg_catalog.text), (2, ds.description)) v(o, v) "
    "WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), "
    "'{}'), 'c', d.description, "
    "'CREATE FOREIGN TABLE ' || " QNAME("n.nspname", "c.relname") " || "
    "' (' || pg_catalog.concat_ws(', ', " FTCOLS ", " FTCHECKS ") || ')' || "
    "CASE WHEN NOT c.relispartition AND EXISTS (SELECT 1 FROM "
    "pg_catalog.pg_inherits h WHERE h.inhrelid = c.oid) THEN ' INHERITS (' "
    "|| " FTPARENTS("pg_catalog.string_agg", ", ', '") " || ')' ELSE '' END "
    "|| ' SERVER ' || pg_catalog.quote_ident(s.srvname), "
    OPTIONS("ft.ftoptions") ", 'r', s.srvname, "
    "COALESCE(" FTPARENTS("pg_catalog.array_agg", "") ", '{}'), "
    "ARRAY(SELECT DISTINCT pg_catalog.format_type(a.atttypid, NULL) FROM "
    "pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = "
    "a.atttypid WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT "
    "a.attisdropped AND t.typnamespace <> "
    "'pg_catalog'::pg_catalog.regnamespace ORDER BY 1) "
    "FROM pg_catalog.pg_class c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_catalog.pg_foreign_table ft ON ft.ftrelid = c.oid "
    "JOIN pg_catalog.pg_foreign_server s ON s.oid = ft.ftserver "
    COMMENT("d", "pg_catalog.pg_class", "c.oid", "0")
    "WHERE c.relkind = 'f' AND c.relnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("c.relname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_class", "c.oid") " "
    "ORDER BY c.oid";

static const struct defq {
	const char *kind, *what, *sql;
	int global;
	const char *keys[10];
} defqs[] = {
	{ "text_search_parser", "read text search parsers", q_tsparsers, 0,
	    { "comment", "definition", "functions:a" } },
	{ "text_search_template", "read text search templates",
	    q_tstemplates, 0, { "comment", "definition", "functions:a" } },
	{ "cast", "read casts", q_casts, 1, { "comment", "definition",
	    "functions:a", "source", "target" } },
	{ "event_trigger", "read event triggers", q_evtriggers, 1,
	    { "comment", "definition", "enabled", "functions:a" } },
	{ "foreign_data_wrapper", "read foreign-data wrappers", q_fdws, 1,
	    { "comment", "definition", "functions:a", "handler", "options:a",
	    "privileges:p", "validator" } },
	{ "foreign_server", "read foreign servers", q_servers, 1,
	    { "comment", "definition", "options:a", "privileges:p", "type",
	    "version", "wrapper" } },
	{ "user_mapping", "read user mappings", q_usermappings, 1,
	    { "definition", "options:a", "role", "server" } },
	{ "foreign_table", "read foreign tables", q_foreigntables, 0,
	    { "attach", "column_comments:m", "column_privileges:p", "comment",
	    "definition", "options:a", "privileges:p", "server", "tables:a",
	    "types:a" } },
	{ "publication", "read publications", q_publications, 1,
	    { "all_tables:b", "comment", "definition", "objects",
	    "parameters", "schemas:a", "tables:a" } },
};

/* Rules other than a view's own, by relation. */
enum { RU_REL, RU_NAME, RU_DEF, RU_ENABLED, RU_COMMENT };
static const char q_rules[] =
    "SELECT r.ev_class, r.rulename, pg_catalog.pg_get_ruledef(r.oid), "
    "r.ev_enabled, d.description "
    "FROM pg_catalog.pg_rewrite r "
    COMMENT("d", "pg_catalog.pg_rewrite", "r.oid", "0")
    "WHERE r.ev_class = ANY ($1::pg_catalog.oid[]) "
    "AND r.rulename <> '_RETURN' "
    "ORDER BY r.ev_class, r.rulename COLLATE \"C\"";

/* Composite types (by their relation's OID), and their attributes. */
enum { CT_REL, CT_SCHEMA, CT_NAME, CT_COMMENT, CT_OID };
static const char q_composites[] =
    "SELECT t.typrelid, n.nspname, t.typname, d.description, t.oid "
    "FROM pg_catalog.pg_type t "
    "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
    "JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c' "
    COMMENT("d", "pg_catalog.pg_type", "t.oid", "0")
    "WHERE t.typtype = 'c' AND t.typnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("t.typname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_type", "t.oid") " "
    "ORDER BY t.typrelid";
enum { CA_REL, CA_NAME, CA_TYPE, CA_COLLATION, CA_COMMENT };
static const char q_compattrs[] =
    "SELECT a.attrelid, a.attname, "
    "pg_catalog.format_type(a.atttypid, a.atttypmod), "
    "CASE WHEN a.attcollation <> t.typcollation THEN "
    "  pg_catalog.quote_ident(cn.nspname) || '.' || "
    "  pg_catalog.quote_ident(co.collname) END, d.description "
    "FROM pg_catalog.pg_attribute a "
    "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid AND c.relkind = 'c' "
    "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
    "LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation "
    "LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace "
    COMMENT("d", "pg_catalog.pg_class", "a.attrelid", "a.attnum")
    "WHERE c.relnamespace = ANY ($1::pg_catalog.oid[]) AND a.attnum > 0 "
    "AND NOT a.attisdropped "
    "ORDER BY a.attrelid, a.attnum";

/*
 * Aggregates (plain, ordered-set and hypothetical-set ones): the CREATE
 * AGGREGATE statement pg_dump would write, and the routines it names.
 */
enum { AG_SCHEMA, AG_NAME, AG_ARGS, AG_DEF, AG_COMMENT, AG_OID, AG_RESULT };
static const char q_aggregates[] =
    "SELECT n.nspname, p.proname, "
    "pg_catalog.pg_get_function_identity_arguments(p.oid), "
    "'CREATE AGGREGATE ' || pg_catalog.quote_ident(n.nspname) || '.' || "
    "pg_catalog.quote_ident(p.proname) || '(' || "
    "pg_catalog.pg_get_function_arguments(p.oid) || ') (SFUNC = ' || "
    AGGFN("a.aggtransfn") " || ', STYPE = ' || "
    "pg_catalog.format_type(a.aggtranstype, NULL) || "
    "CASE WHEN a.aggtransspace <> 0 THEN ', SSPACE = ' || a.aggtransspace "
    "ELSE '' END || "
    "CASE WHEN a.aggfinalfn <> 0 THEN ', FINALFUNC = ' || "
    AGGFN("a.aggfinalfn") " ELSE '' END || "
    "CASE WHEN a.aggfinalextra THEN ', FINALFUNC_EXTRA' ELSE '' END || "
    "CASE WHEN a.aggfinalfn <> 0 AND a.aggfinalmodify <> 'r' THEN "
    "', FINALFUNC_MODIFY = ' || CASE a.aggfinalmodify WHEN 's' THEN "
    "'SHAREABLE' ELSE 'READ_WRITE' END ELSE '' END || "
    "CASE WHEN a.aggcombinefn <> 0 THEN ', COMBINEFUNC = ' || "
    AGGFN("a.aggcombinefn") " ELSE '' END || "
    "CASE WHEN a.aggserialfn <> 0 THEN ', SERIALFUNC = ' || "
    AGGFN("a.aggserialfn") " ELSE '' END || "
    "CASE WHEN a.aggdeserialfn <> 0 THEN ', DESERIALFUNC = ' || "
    AGGFN("a.aggdeserialfn") " ELSE '' END || "
    "CASE WHEN a.agginitval IS NOT NULL THEN ', INITCOND = ' || "
    "pg_catalog.quote_literal(a.agginitval) ELSE '' END || "
    "CASE WHEN a.aggmtransfn <> 0 THEN ', MSFUNC = ' || "
    AGGFN("a.aggmtransfn") " || ', MINVFUNC = ' || "
    AGGFN("a.aggminvtransfn") " || ', MSTYPE = ' || "
    "pg_catalog.format_type(a.aggmtranstype, NULL) ELSE '' END || "
    "CASE WHEN a.aggmtransspace <> 0 THEN ', MSSPACE = ' || "
    "a.aggmtransspace ELSE '' END || "
    "CASE WHEN a.aggmfinalfn <> 0 THEN ', MFINALFUNC = ' || "
    AGGFN("a.aggmfinalfn") " ELSE '' END || "
    "CASE WHEN a.aggmfinalextra THEN ', MFINALFUNC_EXTRA' ELSE '' END || "
    "CASE WHEN a.aggmfinalfn <> 0 AND a.aggmfinalmodify <> 'r' THEN "
    "', MFINALFUNC_MODIFY = ' || CASE a.aggmfinalmodify WHEN 's' THEN "
    "'SHAREABLE' ELSE 'READ_WRITE' END ELSE '' END || "
    "CASE WHEN a.aggminitval IS NOT NULL THEN ', MINITCOND = ' || "
    "pg_catalog.quote_literal(a.aggminitval) ELSE '' END || "
    "CASE WHEN a.aggsortop <> 0 THEN ', SORTOP = ' || (SELECT "
    "'OPERATOR(' || pg_catalog.quote_ident(on_.nspname) || '.' || "
    "o.oprname || ')' FROM pg_catalog.pg_operator o JOIN "
    "pg_catalog.pg_namespace on_ ON on_.oid = o.oprnamespace WHERE o.oid "
    "= a.aggsortop) ELSE '' END || "
    "CASE p.proparallel WHEN 's' THEN ', PARALLEL = SAFE' WHEN 'r' THEN "
    "', PARALLEL = RESTRICTED' ELSE '' END || "
    "CASE WHEN a.aggkind = 'h' THEN ', HYPOTHETICAL' ELSE '' END || ')', "
    "d.description, p.oid, "
    "pg_catalog.pg_get_function_result(p.oid) "
    "FROM pg_catalog.pg_proc p "
    "JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid "
    "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
    COMMENT("d", "pg_catalog.pg_proc", "p.oid", "0")
    "WHERE p.pronamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("p.proname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_proc", "p.oid") " "
    "ORDER BY p.oid";

static const char q_sequences[] =
    "SELECT n.nspname, c.relname, "
    "pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, "
    "s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, "
    "tn.nspname, tc.relname, a.attname, d.description, c.oid "
    "FROM pg_catalog.pg_class c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid "
    "LEFT JOIN pg_catalog.pg_depend dep"
    " ON dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
    " AND dep.objid = c.oid AND dep.deptype IN ('a', 'i')"
    " AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
    " AND dep.refobjsubid > 0 "
    "LEFT JOIN pg_catalog.pg_class tc ON tc.oid = dep.refobjid "
    "LEFT JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace "
    "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = dep.refobjid"
    " AND a.attnum = dep.refobjsubid "
    COMMENT("d", "pg_catalog.pg_class", "c.oid", "0")
    "WHERE c.relkind = 'S' AND c.relnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("c.relname") " "
    "AND (dep.deptype IS NULL OR dep.deptype = 'a') "
    "AND (tc.relname IS NULL OR " NOT_OURS("tc.relname") ") "
    "AND (a.attname IS NULL"
    " OR pg_catalog.left(a.attname, 16) <> '_zanith_dropped_') "
    "AND " NOT_MEMBER("pg_catalog.pg_class", "c.oid");

enum { R_OID, R_SCHEMA, R_NAME, R_KIND, R_PERSIST, R_RLS, R_FORCE,
    R_OPTIONS, R_PARTKEY, R_BOUND, R_VIEWDEF, R_POPULATED, R_AM,
    R_TABLESPACE, R_REPLIDENT, R_COMMENT };
static const char q_relations[] =
    "SELECT c.oid, n.nspname, c.relname, c.relkind, c.relpersistence, "
    "c.relrowsecurity, c.relforcerowsecurity, "
    "ARRAY(SELECT o FROM pg_catalog.unnest(c.reloptions) o"
    "  ORDER BY o COLLATE \"C\"), "
    "CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END, "
    "CASE WHEN c.relispartition THEN "
    "  pg_catalog.pg_get_expr(c.relpartbound, c.oid) END, "
    "CASE WHEN c.relkind IN ('v', 'm') THEN "
    "  pg_catalog.pg_get_viewdef(c.oid, false) END, "
    "c.relispopulated, am.amname, ts.spcname, c.relreplident, "
    "d.description "
    "FROM pg_catalog.pg_class c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "LEFT JOIN pg_catalog.pg_am am ON am.oid = c.relam "
    "LEFT JOIN pg_catalog.pg_tablespace ts ON ts.oid = c.reltablespace "
    COMMENT("d", "pg_catalog.pg_class", "c.oid", "0")
    "WHERE c.relkind IN ('r', 'p', 'v', 'm') "
    "AND c.relnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("c.relname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_class", "c.oid") " "
    "ORDER BY c.oid";

/* What each view's query reads: relations and their columns. */
enum { V_REL, V_SCHEMA, V_NAME, V_COLUMNS };
static const char q_viewdeps[] =
    "SELECT r.ev_class, dn.nspname, dc.relname, "
    "pg_catalog.array_agg(DISTINCT a.attname::pg_catalog.text "
    "  COLLATE \"C\")"
    "  FILTER (WHERE a.attname IS NOT NULL) "
    "FROM pg_catalog.pg_rewrite r "
    "JOIN pg_catalog.pg_depend d"
    " ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass"
    " AND d.objid = r.oid"
    " AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
    " AND d.refobjid <> r.ev_class "
    "JOIN pg_catalog.pg_class dc ON dc.oid = d.refobjid "
    "JOIN pg_catalog.pg_namespace dn ON dn.oid = dc.relnamespace "
    "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid"
    " AND a.attnum = d.refobjsubid AND d.refobjsubid > 0 "
    "WHERE r.ev_class = ANY ($1::pg_catalog.oid[]) "
    "GROUP BY r.ev_class, dn.nspname, dc.relname "
    "ORDER BY r.ev_class, dn.nspname COLLATE \"C\", "
    "dc.relname COLLATE \"C\"";

enum { H_REL, H_SCHEMA, H_NAME };
static const char q_inherits[] =
    "SELECT h.inhrelid, pn.nspname, pc.relname "
    "FROM pg_catalog.pg_inherits h "
    "JOIN pg_catalog.pg_class pc ON pc.oid = h.inhparent "
    "JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace "
    "WHERE h.inhrelid = ANY ($1::pg_catalog.oid[]) "
    "ORDER BY h.inhrelid, h.inhseqno";

/*
 * What IsBinaryCoercible() asks of type t, then its category; %s is
 * whether t is an array type.
 */
#define TYPINFO "CASE WHEN t.typtype = 'd' THEN 'd' WHEN %s THEN CASE " \
    "WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_type e " \
    "WHERE e.oid = t.typelem AND e.typrelid <> 0) THEN 'A' ELSE 'a' END " \
    "WHEN t.typrelid <> 0 THEN 'c' " \
    "WHEN t.typtype IN ('e', 'r', 'm') THEN t.typtype::pg_catalog.text " \
    "ELSE 'o' END || t.typcategory::pg_catalog.text"

enum { C_REL, C_NUM, C_NAME, C_TYPE, C_NOTNULL, C_DEFAULT, C_IDENTITY,
    C_GENERATED, C_GENEXPR, C_COLLATION, C_INHERITED, C_COMMENT,
    C_STATISTICS, C_OPTIONS, C_TYPID, C_COLLID, C_TYPINFO };
static const char q_columns[] =
    "SELECT a.attrelid, a.attnum, a.attname, "
    "pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
    "CASE WHEN a.attgenerated = '' THEN "
    "  pg_catalog.pg_get_expr(ad.adbin, 0) END, "
    "a.attidentity, a.attgenerated, "
    "CASE WHEN a.attgenerated <> '' THEN "
    "  pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) END, "
    "CASE WHEN a.attcollation <> t.typcollation THEN "
    "  pg_catalog.quote_ident(cn.nspname) || '.' || "
    "  pg_catalog.quote_ident(co.collname) END, "
    "NOT a.attislocal, d.description, "
    "CASE WHEN a.attstattarget >= 0 THEN a.attstattarget END, "
    "a.attoptions, CASE WHEN t.typtype = 'd' THEN 0 ELSE a.atttypid END, "
    "a.attcollation, " TYPINFO " "
    "FROM pg_catalog.pg_attribute a "
    "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
    "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid "
    " AND ad.adnum = a.attnum "
    "LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation "
    "LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace "
    COMMENT("d", "pg_catalog.pg_class", "a.attrelid", "a.attnum")
    "WHERE a.attrelid = ANY ($1::pg_catalog.oid[]) AND a.attnum > 0 "
    "AND NOT a.attisdropped "
    "ORDER BY a.attrelid, a.attnum";

/* The sequences behind identity columns, by table and column number. */
enum { Y_REL, Y_NUM, Y_SCHEMA, Y_NAME, Y_START, Y_INC, Y_MIN, Y_MAX,
    Y_CACHE, Y_CYCLE };
static const char q_identities[] =
    "SELECT dep.refobjid, dep.refobjsubid, sn.nspname, sc.relname, "
    "s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, "
    "s.seqcycle "
    "FROM pg_catalog.pg_depend dep "
    "JOIN pg_catalog.pg_class sc ON sc.oid = dep.objid "
    "JOIN pg_catalog.pg_namespace sn ON sn.oid = sc.relnamespace "
    "JOIN pg_catalog.pg_sequence s ON s.seqrelid = dep.objid "
    "WHERE dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
    "AND dep.refobjid = ANY ($1::pg_catalog.oid[]) "
    "AND dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
    "AND dep.deptype = 'i' "
    "ORDER BY dep.refobjid, dep.refobjsubid";

/* Column names of tables that foreign keys reference from elsewhere. */
enum { F_REL, F_NUM, F_NAME };
static const char q_refcolumns[] =
    "SELECT a.attrelid, a.attnum, a.attname "
    "FROM pg_catalog.pg_attribute a "
    "WHERE a.attrelid IN (SELECT co.confrelid"
    "  FROM pg_catalog.pg_constraint co"
    "  WHERE co.conrelid = ANY ($1::pg_catalog.oid[]) AND co.contype = 'f') "
    "AND a.attrelid <> ALL ($1::pg_catalog.oid[]) AND a.attnum > 0 "
    "ORDER BY a.attrelid, a.attnum";

enum { K_REL, K_NAME, K_TYPE, K_DEF, K_DEFERRABLE, K_DEFERRED,
    K_VALIDATED, K_NOINHERIT, K_INHERITED, K_KEY, K_FREL, K_FSCHEMA,
    K_FTABLE, K_FKEY, K_UPD, K_DEL, K_MATCH, K_INDKEY,
    K_INDNKEY, K_INDNATTS, K_NND, K_COMMENT, K_CLIENT, K_TREE, K_OID };
/* Whether the client writes a constraint's definition (with ")"). */
#define CONCLIENT "(co.contype IN ('p', 'u', 'f') AND " \
    "fn.nspname IS DISTINCT FROM 'pg_catalog'"
static const char q_constraints[] =
    "SELECT co.conrelid, co.conname, co.contype, "
    "CASE WHEN %s THEN pg_catalog.pg_get_constraintdef(co.oid) END, "
    "co.condeferrable, "
    "co.condeferred, co.convalidated, co.connoinherit, NOT co.conislocal, "
    "co.conkey, co.confrelid, fn.nspname, fc.relname, co.confkey, "
    "co.confupdtype, co.confdeltype, co.confmatchtype, "
    "ix.indkey, ix.indnkeyatts, ix.indnatts, %s, d.description, %s, "
    "CASE WHEN co.contype = 'c' THEN co.conbin END, co.oid "
    "FROM pg_catalog.pg_constraint co "
    "LEFT JOIN pg_catalog.pg_class fc ON fc.oid = co.confrelid "
    "LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace "
    "LEFT JOIN pg_catalog.pg_index ix ON ix.indexrelid = co.conindid "
    " AND co.contype IN ('p', 'u') "
    COMMENT("d", "pg_catalog.pg_constraint", "co.oid", "0")
    "WHERE co.conrelid = ANY ($1::pg_catalog.oid[]) "
    "AND co.contype IN ('p', 'u', 'c', 'f', 'x') AND co.conparentid = 0 "
    "ORDER BY co.conrelid, co.conname";

/*
 * Every operator class, with what GetDefaultOpClass() weighs: the input
 * type, its category and preference, and which polymorphic type it is
 * (A anyarray, N anynonarray, E anyenum, R anyrange, M anymultirange,
 * and their anycompatible kin; C record, D record[]; Y any, anyelement
 * and anycompatible).
 */
enum { O_OID, O_NAME, O_DEFAULT, O_INTYPE, O_METHOD, O_SCHEMA, O_CLASS,
    O_CATEGORY, O_PREFERRED, O_POLY };
static const char q_opclasses[] =
    "SELECT oc.oid, pg_catalog.quote_ident(n.nspname) || '.' || "
    "pg_catalog.quote_ident(oc.opcname), oc.opcdefault, oc.opcintype, "
    "oc.opcmethod, n.nspname, oc.opcname, it.typcategory, "
    "it.typispreferred, CASE WHEN it.typnamespace = "
    "'pg_catalog'::pg_catalog.regnamespace THEN CASE it.typname "
    "  WHEN 'anyarray' THEN 'A' WHEN 'anycompatiblearray' THEN 'A' "
    "  WHEN 'anynonarray' THEN 'N' WHEN 'anycompatiblenonarray' THEN 'N' "
    "  WHEN 'anyenum' THEN 'E' WHEN 'anyrange' THEN 'R' "
    "  WHEN 'anycompatiblerange' THEN 'R' WHEN 'anymultirange' THEN 'M' "
    "  WHEN 'anycompatiblemultirange' THEN 'M' WHEN 'record' THEN 'C' "
    "  WHEN '_record' THEN 'D' WHEN 'any' THEN 'Y' WHEN 'anyelement' "
    "  THEN 'Y' WHEN 'anycompatible' THEN 'Y' END END "
    "FROM pg_catalog.pg_opclass oc "
    "JOIN pg_catalog.pg_namespace n ON n.oid = oc.opcnamespace "
    "JOIN pg_catalog.pg_type it ON it.oid = oc.opcintype "
    "ORDER BY oc.oid";

/* The casts IsBinaryCoercible() takes: binary and implicit. */
static const char q_bincasts[] =
    "SELECT c.castsource, c.casttarget FROM pg_catalog.pg_cast c "
    "WHERE c.castmethod = 'b' AND c.castcontext = 'i' ORDER BY 1, 2";

enum { I_REL, I_NAME, I_DEF, I_METHOD, I_UNIQUE, I_NND, I_VALID, I_KEY,
    I_CLASS, I_OPTION, I_NKEY, I_NATTS, I_EXPRS, I_ORDERED, I_PRED,
    I_OPTIONS, I_PSCHEMA, I_PNAME, I_COMMENT, I_STATS, I_OID, I_COLL,
    I_CLIENT, I_HASPRED, I_EXPRTREE, I_PREDTREE };
/*
 * The server's text of each key expression: splitindex() takes them and
 * the predicate from the definition instead, each of which would open
 * the table again.
 */
#define IDXEXPRS "CASE WHEN 0 = ANY (i.indkey::pg_catalog.int2[]) THEN " \
    "ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k.n, false) " \
    "FROM pg_catalog.generate_series(1, i.indnkeyatts) k(n) " \
    "WHERE i.indkey[k.n - 1] = 0 ORDER BY k.n) END"
/*
 * Whether the client may write an index's definition: it has no storage
 * parameters or operator class options, and is no partitioned index.
 * renderindex() also needs each key's operator class to be the default
 * for its type, and deparse.c to write its expressions and predicate.
 */
#define IDXCLIENT "(ic.relkind = 'i' AND ic.reloptions IS NULL AND " \
    "ia.opts IS NOT TRUE)"
static const char q_indexes[] =
    "SELECT i.indrelid, ic.relname, "
    "CASE WHEN %s THEN pg_catalog.pg_get_indexdef(i.indexrelid) END, "
    "am.amname, i.indisunique, %s, i.indisvalid, i.indkey, i.indclass, "
    "i.indoption, i.indnkeyatts, i.indnatts, "
    "CASE WHEN %s THEN " IDXEXPRS " END, "
    "pg_catalog.pg_indexam_has_property(am.oid, 'can_order'), "
    "CASE WHEN %s THEN pg_catalog.pg_get_expr(i.indpred, i.indrelid) END, "
    "ARRAY(SELECT o FROM pg_catalog.unnest(ic.reloptions) o"
    "  ORDER BY o COLLATE \"C\"), "
    "pn.nspname, pc.relname, d.description, ia.stats, i.indexrelid, "
    "i.indcollation, %s, i.indpred IS NOT NULL, "
    "CASE WHEN %s THEN i.indexprs END, CASE WHEN %s THEN i.indpred END "
    "FROM pg_catalog.pg_index i "
    "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
    /* The few index columns with a statistics target or options. */
    "LEFT JOIN (SELECT a.attrelid, pg_catalog.array_agg(a.attnum || '=' "
    "  || a.attstattarget ORDER BY a.attnum) FILTER (WHERE "
    "  a.attstattarget >= 0) AS stats, "
    "  pg_catalog.bool_or(a.attoptions IS NOT NULL) AS opts "
    "  FROM pg_catalog.pg_attribute a WHERE (a.attstattarget >= 0 "
    "  OR a.attoptions IS NOT NULL) AND a.attrelid IN (SELECT "
    "  x.indexrelid FROM pg_catalog.pg_index x "
    "  WHERE x.indrelid = ANY ($1::pg_catalog.oid[])) "
    "  GROUP BY a.attrelid) ia ON ia.attrelid = i.indexrelid "
    "JOIN pg_catalog.pg_am am ON am.oid = ic.relam "
    "LEFT JOIN pg_catalog.pg_inherits h ON h.inhrelid = i.indexrelid "
    "LEFT JOIN pg_catalog.pg_class pc ON pc.oid = h.inhparent "
    "LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace "
    COMMENT("d", "pg_catalog.pg_class", "i.indexrelid", "0")
    "WHERE i.indrelid = ANY ($1::pg_catalog.oid[]) "
    "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint x"
    "  WHERE x.conindid = i.indexrelid AND x.conrelid = i.indrelid"
    "  AND x.contype IN ('p', 'u', 'x')) "
    "ORDER BY i.indrelid, ic.relname";

enum { P_REL, P_NAME, P_CMD, P_PERMISSIVE, P_ROLES, P_USING, P_CHECK,
    P_COMMENT };
static const char q_policies[] =
    "SELECT p.polrelid, p.polname, p.polcmd, p.polpermissive, "
    "CASE WHEN p.polroles = '{0}' "
    "  THEN ARRAY['public']::pg_catalog.name[]"
    "  ELSE ARRAY(SELECT r.rolname FROM pg_catalog.pg_roles r"
    "   WHERE r.oid = ANY (p.polroles) ORDER BY r.rolname) END, "
    "pg_catalog.pg_get_expr(p.polqual, p.polrelid), "
    "pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), d.description "
    "FROM pg_catalog.pg_policy p "
    COMMENT("d", "pg_catalog.pg_policy", "p.oid", "0")
    "WHERE p.polrelid = ANY ($1::pg_catalog.oid[]) "
    "ORDER BY p.polrelid, p.polname";

static const char q_functions[] =
    "SELECT n.nspname, p.proname, p.prokind, "
    "pg_catalog.pg_get_function_identity_arguments(p.oid), "
    "pg_catalog.pg_get_function_result(p.oid), l.lanname, "
    "pg_catalog.pg_get_functiondef(p.oid), d.description, p.oid, "
    "pg_catalog.oidvectortypes(p.proargtypes) "
    "FROM pg_catalog.pg_proc p "
    "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
    "JOIN pg_catalog.pg_language l ON l.oid = p.prolang "
    COMMENT("d", "pg_catalog.pg_proc", "p.oid", "0")
    "WHERE p.pronamespace = ANY ($1::pg_catalog.oid[]) "
    "AND p.prokind IN ('f', 'p', 'w') AND " NOT_OURS("p.proname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_proc", "p.oid") " "
    /* Not a range type's constructors, which the type makes. */
    "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE "
    "i.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND "
    "i.objid = p.oid AND i.deptype = 'i') "
    "ORDER BY p.oid";

/*
 * Privileges: what an object's ACL grants beyond what a new object of
 * its kind has (acldefault; pg_init_privs for a schema made with the
 * database, such as public), and what it no longer grants of that.
 * Entries of the owner are left out, as owners are (pg_dump --no-owner
 * keeps them; zanith does not manage owners); so are the initial
 * owner's, taken as the current owner's (public, made by initdb for
 * pg_database_owner, may have another owner now).  By object kind (r a
 * relation, c a column of one, f a routine, n a schema, t a type, w a
 * foreign-data wrapper, s a foreign server; sorted bytewise, as aclrow
 * searches), OID, column name, grantee ("PUBLIC" for all), privilege.
 */
enum { A_KIND, A_OID, A_SUB, A_ACTION, A_GRANTEE, A_PRIV, A_GRANTABLE };
static const char q_acls[] =
    "WITH o AS ("
    "SELECT 'r'::pg_catalog.text AS k, c.oid, NULL::pg_catalog.text "
    "  AS sub, c.relowner AS "
    "  owner, c.relacl AS acl, pg_catalog.acldefault(CASE c.relkind "
    "  WHEN 'S' THEN 's'::\"char\" ELSE 'r'::\"char\" END, c.relowner) "
    "  AS def "
    " FROM pg_catalog.pg_class c "
    " WHERE c.relnamespace = ANY ($1::pg_catalog.oid[]) AND c.relkind IN "
    " ('r', 'p', 'v', 'm', 'S', 'f') AND c.relacl IS NOT NULL "
    "UNION ALL "
    "SELECT 'c', a.attrelid, a.attname::pg_catalog.text, c.relowner, "
    "  a.attacl, NULL "
    " FROM pg_catalog.pg_attribute a "
    " JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
    " WHERE c.relnamespace = ANY ($1::pg_catalog.oid[]) AND a.attnum > 0 "
    " AND NOT a.attisdropped AND a.attacl IS NOT NULL "
    "UNION ALL "
    "SELECT 'f', p.oid, NULL, p.proowner, p.proacl, "
    "  pg_catalog.acldefault('f', p.proowner) "
    " FROM pg_catalog.pg_proc p "
    " WHERE p.pronamespace = ANY ($1::pg_catalog.oid[]) "
    " AND p.proacl IS NOT NULL "
    "UNION ALL "
    "SELECT 'n', n.oid, NULL, n.nspowner, n.nspacl, COALESCE((SELECT "
    "  i.initprivs FROM pg_catalog.pg_init_privs i WHERE i.objoid = n.oid "
    "  AND i.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass "
    "  AND i.objsubid = 0), pg_catalog.acldefault('n', n.nspowner)) "
    " FROM pg_catalog.pg_namespace n "
    " WHERE n.oid = ANY ($1::pg_catalog.oid[]) AND n.nspacl IS NOT NULL "
    "UNION ALL "
    "SELECT 't', t.oid, NULL, t.typowner, t.typacl, "
    "  pg_catalog.acldefault('T', t.typowner) "
    " FROM pg_catalog.pg_type t "
    " WHERE t.typnamespace = ANY ($1::pg_catalog.oid[]) "
    " AND t.typacl IS NOT NULL "
    "UNION ALL "
    "SELECT 'w', w.oid, NULL, w.fdwowner, w.fdwacl, "
    "  pg_catalog.acldefault('F', w.fdwowner) "
    " FROM pg_catalog.pg_foreign_data_wrapper w WHERE w.fdwacl IS NOT NULL "
    "UNION ALL "
    "SELECT 's', s.oid, NULL, s.srvowner, s.srvacl, "
    "  pg_catalog.acldefault('S', s.srvowner) "
    " FROM pg_catalog.pg_foreign_server s WHERE s.srvacl IS NOT NULL"
    "), have AS ("
    "SELECT o.k, o.oid, o.sub, o.owner, x.grantee, x.privilege_type, "
    "  x.is_grantable FROM o, pg_catalog.aclexplode(o.acl) x"
    "), def AS ("
    "SELECT o.k, o.oid, o.sub, o.owner, CASE WHEN x.grantee = x.grantor "
    "  THEN o.owner ELSE x.grantee END, x.privilege_type, "
    "  x.is_grantable FROM o, pg_catalog.aclexplode(o.def) x"
    "), d AS ("
    "SELECT k, oid, sub, owner, 'grant' AS action, grantee, "
    "  privilege_type, is_grantable FROM "
    "  (SELECT * FROM have EXCEPT SELECT * FROM def) g "
    "UNION ALL "
    "SELECT k, oid, sub, owner, 'revoke', grantee, privilege_type, false "
    "  FROM (SELECT k, oid, sub, owner, grantee, privilege_type FROM def "
    "  EXCEPT SELECT k, oid, sub, owner, grantee, privilege_type FROM "
    "  have) r"
    ") SELECT k COLLATE \"C\", oid, sub COLLATE \"C\", action, "
    "  CASE WHEN grantee = 0 THEN 'PUBLIC' "
    "  ELSE pg_catalog.pg_get_userbyid(grantee)::pg_catalog.text END "
    "  COLLATE \"C\" AS g, privilege_type COLLATE \"C\", is_grantable "
    " FROM d WHERE grantee <> owner "
    " ORDER BY 1, 2, 3, 5, 6, 4";

/*
 * Default privileges (pg_default_acl), compared as pg_dump's
 * buildDefaultACLCommands compares them: a row for no schema against
 * what a new object of its kind has (acldefault), so that a missing row
 * is the built-in default; a row for a schema against nothing, since
 * its entries only add to the other.  The role's own entries count, as
 * the role is the row's identity rather than an owner left out.  By
 * schema (none first), role, objects, grantee, privilege.
 */
enum { DA_SCHEMA, DA_ROLE, DA_OBJECTS, DA_ACTION, DA_GRANTEE, DA_PRIV,
    DA_GRANTABLE };
#define Q_DEFACLS(global) \
    "WITH o AS (" \
    "SELECT d.oid, n.nspname, d.defaclrole AS role, d.defaclobjtype AS t, " \
    "  d.defaclacl AS acl, CASE WHEN d.defaclnamespace = 0 THEN " \
    "  pg_catalog.acldefault(CASE d.defaclobjtype WHEN 'S' THEN " \
    "  's'::\"char\" ELSE d.defaclobjtype END, d.defaclrole) ELSE " \
    "  NULL END AS def " \
    " FROM pg_catalog.pg_default_acl d " \
    " LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace " \
    " WHERE (d.defaclnamespace = 0 AND " global ") " \
    " OR d.defaclnamespace = ANY ($1::pg_catalog.oid[])" \
    "), have AS (" \
    "SELECT o.oid, x.grantee, x.privilege_type, x.is_grantable " \
    "  FROM o, pg_catalog.aclexplode(o.acl) x" \
    "), def AS (" \
    "SELECT o.oid, x.grantee, x.privilege_type, x.is_grantable " \
    "  FROM o, pg_catalog.aclexplode(o.def) x" \
    "), e AS (" \
    "SELECT oid, 'grant' AS action, grantee, privilege_type, is_grantable " \
    "  FROM (SELECT * FROM have EXCEPT SELECT * FROM def) g " \
    "UNION ALL " \
    "SELECT oid, 'revoke', grantee, privilege_type, false " \
    "  FROM (SELECT oid, grantee, privilege_type FROM def " \
    "  EXCEPT SELECT oid, grantee, privilege_type FROM have) r" \
    ") SELECT o.nspname, pg_catalog.pg_get_userbyid(o.role)::pg_catalog.text " \
    "  COLLATE \"C\" AS r, CASE o.t WHEN 'r' THEN 'TABLES' WHEN 'S' THEN " \
    "  'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' " \
    "  ELSE 'SCHEMAS' END COLLATE \"C\" AS t, e.action, CASE WHEN " \
    "  e.grantee = 0 THEN 'PUBLIC' " \
    "  ELSE pg_catalog.pg_get_userbyid(e.grantee)::pg_catalog.text END " \
    "  COLLATE \"C\" AS g, e.privilege_type COLLATE \"C\", e.is_grantable " \
    " FROM e JOIN o ON o.oid = e.oid " \
    " ORDER BY o.nspname COLLATE \"C\" NULLS FIRST, r, t, g, 6, 4"
static const char q_defacls_all[] = Q_DEFACLS("true");
static const char q_defacls_ns[] = Q_DEFACLS("false");

/*
 * What each routine uses, from pg_depend: the relations and types of
 * its signature (an array type counts as its element; a table's row
 * type as the table), the relations and routines a BEGIN ATOMIC body
 * reads, in the schemas read.  zn-diff orders creates and drops by it.
 */
enum { D_PROC, D_KIND, D_SCHEMA, D_NAME, D_ARGS, D_COLS, D_METHOD };
static const char q_routinedeps[] =
    "WITH d AS (SELECT d.objid, d.refclassid, d.refobjid, d.refobjsubid "
    " FROM pg_catalog.pg_proc p0 "
    " JOIN pg_catalog.pg_depend d "
    " ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass "
    " AND d.objid = p0.oid AND d.deptype = 'n' "
    " WHERE p0.pronamespace = ANY ($1::pg_catalog.oid[])) "
    "SELECT DISTINCT x.objid, x.kind, x.nspname COLLATE \"C\", "
    "x.name COLLATE \"C\", x.args COLLATE \"C\", x.cols FROM ("
    "SELECT d.objid, CASE WHEN c.oid IS NULL OR c.relkind = 'c' "
    "  THEN 'type' ELSE 'relation' END AS kind, n.nspname, "
    "  COALESCE(c.relname, t.typname)::pg_catalog.text AS name, "
    "  NULL::pg_catalog.text AS args, NULL::pg_catalog.text[] AS cols "
    " FROM d "
    " JOIN pg_catalog.pg_type t0 ON t0.oid = d.refobjid "
    " JOIN pg_catalog.pg_type t ON t.oid = CASE WHEN t0.typelem <> 0 "
    "  AND t0.typlen = -1 THEN t0.typelem ELSE t0.oid END "
    " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
    " LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid "
    " WHERE d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass "
    " AND t.typnamespace = ANY ($1::pg_catalog.oid[]) "
    "UNION ALL "
    "SELECT d.objid, CASE WHEN c.relkind = 'c' THEN 'type' "
    "  ELSE 'relation' END, n.nspname, c.relname::pg_catalog.text, NULL, "
    "  pg_catalog.array_agg(a.attname::pg_catalog.text ORDER BY "
    "  a.attname COLLATE \"C\") FILTER (WHERE a.attname IS NOT NULL) "
    " FROM d "
    " JOIN pg_catalog.pg_class c ON c.oid = d.refobjid "
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid "
    " AND a.attnum = d.refobjsubid AND d.refobjsubid > 0 "
    " WHERE d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
    " AND c.relnamespace = ANY ($1::pg_catalog.oid[]) "
    " GROUP BY d.objid, c.relkind, n.nspname, c.relname "
    "UNION ALL "
    "SELECT d.objid, 'function', n.nspname, p.proname::pg_catalog.text, "
    "  pg_catalog.pg_get_function_identity_arguments(p.oid), NULL "
    " FROM d "
    " JOIN pg_catalog.pg_proc p ON p.oid = d.refobjid "
    " JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
    " WHERE d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass "
    " AND d.objid <> d.refobjid "
    " AND p.pronamespace = ANY ($1::pg_catalog.oid[])"
    ") x ORDER BY 1, 2, 3, 4, 5";

/*
 * Operator families and classes (pg_dump's dumpOpfamily and
 * dumpOpclass).  A class is written as CREATE OPERATOR CLASS naming its
 * family always, so the family (made implicitly or not) is made first.
 */
enum { OF_OID, OF_SCHEMA, OF_NAME, OF_METHOD, OF_COMMENT };
static const char q_opfamilies[] =
    "SELECT f.oid, n.nspname, f.opfname, a.amname, d.description "
    "FROM pg_catalog.pg_opfamily f "
    "JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace "
    "JOIN pg_catalog.pg_am a ON a.oid = f.opfmethod "
    COMMENT("d", "pg_catalog.pg_opfamily", "f.oid", "0")
    "WHERE f.opfnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("f.opfname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_opfamily", "f.oid") " "
    "ORDER BY f.oid";
enum { OC_OID, OC_SCHEMA, OC_NAME, OC_METHOD, OC_HEAD, OC_TYPE, OC_STORAGE,
    OC_COMMENT };
static const char q_opclassdefs[] =
    "SELECT c.oid, n.nspname, c.opcname, a.amname, "
    "'CREATE OPERATOR CLASS ' || " QNAME("n.nspname", "c.opcname") " || "
    "CASE WHEN c.opcdefault THEN ' DEFAULT' ELSE '' END || ' FOR TYPE ' || "
    "pg_catalog.format_type(c.opcintype, NULL) || ' USING ' || "
    "pg_catalog.quote_ident(a.amname) || ' FAMILY ' || "
    QNAME("fn.nspname", "f.opfname") " || ' AS ', "
    "pg_catalog.format_type(c.opcintype, NULL), "
    "CASE WHEN c.opckeytype <> 0 THEN "
    "pg_catalog.format_type(c.opckeytype, NULL) END, d.description "
    "FROM pg_catalog.pg_opclass c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace "
    "JOIN pg_catalog.pg_am a ON a.oid = c.opcmethod "
    "JOIN pg_catalog.pg_opfamily f ON f.oid = c.opcfamily "
    "JOIN pg_catalog.pg_namespace fn ON fn.oid = f.opfnamespace "
    COMMENT("d", "pg_catalog.pg_opclass", "c.oid", "0")
    "WHERE c.opcnamespace = ANY ($1::pg_catalog.oid[]) "
    "AND " NOT_OURS("c.opcname") " "
    "AND " NOT_MEMBER("pg_catalog.pg_opclass", "c.oid") " "
    "ORDER BY c.oid";

/*
 * Whose members (pg_amop and pg_amproc rows, by the pg_depend row dep)
 * are read: a class's are those that depend on it; a family's, its loose
 * ones, that depend on the family itself (deptype a), not on a class.
 */
#define OPCLASS_OF(dep) \
    dep ".refclassid = 'pg_catalog.pg_opclass'::pg_catalog.regclass AND " \
    dep ".refobjid IN (SELECT c.oid FROM pg_catalog.pg_opclass c WHERE " \
    "c.opcnamespace = ANY ($1::pg_catalog.oid[]))"
#define OPFAMILY_OF(dep) \
    dep ".refclassid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass AND " \
    dep ".deptype = 'a' AND " dep ".refobjid IN (SELECT f.oid FROM " \
    "pg_catalog.pg_opfamily f WHERE f.opfnamespace = " \
    "ANY ($1::pg_catalog.oid[]))"

/*
 * The members, by owner: what names one in its family (ALTER OPERATOR
 * FAMILY ... DROP) and the item that adds it, as pg_dump writes them,
 * strategy and support numbers in order, then their types by name.
 */
enum { OM_OWNER, OM_NAME, OM_DEF };
#define OPMEMBERS(of) \
    "SELECT m.owner, CASE m.k WHEN 0 THEN 'OPERATOR ' ELSE 'FUNCTION ' " \
    "END || m.num || ' (' || m.lt || ', ' || m.rt || ')', m.def FROM (" \
    "SELECT dep.refobjid AS owner, 0 AS k, o.amopstrategy AS num, " \
    "pg_catalog.format_type(o.amoplefttype, NULL) AS lt, " \
    "pg_catalog.format_type(o.amoprighttype, NULL) AS rt, " \
    "'OPERATOR ' || o.amopstrategy || ' ' || " \
    "o.amopopr::pg_catalog.regoperator::pg_catalog.text || CASE WHEN " \
    "o.amoppurpose = 'o' THEN ' FOR ORDER BY ' || " \
    QNAME("sn.nspname", "sf.opfname") " ELSE '' END AS def " \
    "FROM pg_catalog.pg_amop o JOIN pg_catalog.pg_depend dep ON " \
    "dep.classid = 'pg_catalog.pg_amop'::pg_catalog.regclass AND " \
    "dep.objid = o.oid " \
    "LEFT JOIN pg_catalog.pg_opfamily sf ON sf.oid = o.amopsortfamily " \
    "LEFT JOIN pg_catalog.pg_namespace sn ON sn.oid = sf.opfnamespace " \
    "WHERE " of("dep") " " \
    "UNION ALL SELECT dep.refobjid, 1, p.amprocnum, " \
    "pg_catalog.format_type(p.amproclefttype, NULL), " \
    "pg_catalog.format_type(p.amprocrighttype, NULL), " \
    "'FUNCTION ' || p.amprocnum || ' (' || " \
    "pg_catalog.format_type(p.amproclefttype, NULL) || ', ' || " \
    "pg_catalog.format_type(p.amprocrighttype, NULL) || ') ' || " \
    "p.amproc::pg_catalog.regprocedure::pg_catalog.text " \
    "FROM pg_catalog.pg_amproc p JOIN pg_catalog.pg_depend dep ON " \
    "dep.classid = 'pg_catalog.pg_amproc'::pg_catalog.regclass AND " \
    "dep.objid = p.oid WHERE " of("dep") \
    ") m ORDER BY m.owner, m.k, m.num, m.lt COLLATE \"C\", " \
    "m.rt COLLATE \"C\""
static const char q_opclass_members[] = OPMEMBERS(OPCLASS_OF);
static const char q_opfamily_members[] = OPMEMBERS(OPFAMILY_OF);

/*
 * What each class or family uses, from pg_depend, of itself and of its
 * members (read as OPMEMBERS reads them), in the schemas read: types
 * (an array as its element, a table's row type as the table),
 * operators, routines and families (its own, a sort family), in the
 * columns of q_routinedeps.  zn-diff orders creates and drops by it.
 */
#define OPDEPS(cat, nsp, of) \
    "WITH o AS (SELECT x.oid AS owner, '" cat "'::pg_catalog.regclass AS " \
    "classid, x.oid AS objid FROM " cat " x WHERE x." nsp " = ANY " \
    "($1::pg_catalog.oid[]) UNION ALL SELECT dep.refobjid, dep.classid, " \
    "dep.objid FROM pg_catalog.pg_depend dep WHERE dep.classid IN " \
    "('pg_catalog.pg_amop'::pg_catalog.regclass, " \
    "'pg_catalog.pg_amproc'::pg_catalog.regclass) AND " of("dep") "), " \
    "r AS (SELECT o.owner, d.refclassid, d.refobjid FROM o JOIN " \
    "pg_catalog.pg_depend d ON d.classid = o.classid AND " \
    "d.objid = o.objid WHERE NOT (d.refclassid = '" cat "'::" \
    "pg_catalog.regclass AND d.refobjid = o.owner)) " \
    "SELECT DISTINCT x.owner, x.kind, x.nspname COLLATE \"C\", " \
    "x.name COLLATE \"C\", x.args COLLATE \"C\", NULL::pg_catalog.text[], " \
    "x.method COLLATE \"C\" FROM (" \
    "SELECT r.owner, CASE WHEN c.oid IS NULL OR c.relkind = 'c' THEN " \
    "'type' ELSE 'relation' END AS kind, n.nspname, " \
    "COALESCE(c.relname, t.typname)::pg_catalog.text AS name, " \
    "NULL::pg_catalog.text AS args, NULL::pg_catalog.text AS method " \
    "FROM r JOIN pg_catalog.pg_type t0 ON t0.oid = r.refobjid " \
    "JOIN pg_catalog.pg_type t ON t.oid = CASE WHEN t0.typelem <> 0 AND " \
    "t0.typlen = -1 THEN t0.typelem ELSE t0.oid END " \
    "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace " \
    "LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid " \
    "WHERE r.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass " \
    "AND t.typnamespace = ANY ($1::pg_catalog.oid[]) " \
    "UNION ALL SELECT r.owner, 'operator', n.nspname, " \
    "p.oprname::pg_catalog.text, CASE WHEN p.oprleft = 0 THEN 'NONE' " \
    "ELSE pg_catalog.format_type(p.oprleft, NULL) END || ', ' || " \
    "pg_catalog.format_type(p.oprright, NULL), NULL " \
    "FROM r JOIN pg_catalog.pg_operator p ON p.oid = r.refobjid " \
    "JOIN pg_catalog.pg_namespace n ON n.oid = p.oprnamespace " \
    "WHERE r.refclassid = 'pg_catalog.pg_operator'::pg_catalog.regclass " \
    "AND p.oprnamespace = ANY ($1::pg_catalog.oid[]) " \
    "UNION ALL SELECT r.owner, 'function', n.nspname, " \
    "p.proname::pg_catalog.text, " \
    "pg_catalog.pg_get_function_identity_arguments(p.oid), NULL " \
    "FROM r JOIN pg_catalog.pg_proc p ON p.oid = r.refobjid " \
    "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace " \
    "WHERE r.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass " \
    "AND p.pronamespace = ANY ($1::pg_catalog.oid[]) " \
    "UNION ALL SELECT r.owner, 'operator_family', n.nspname, " \
    "f.opfname::pg_catalog.text, NULL, a.amname::pg_catalog.text " \
    "FROM r JOIN pg_catalog.pg_opfamily f ON f.oid = r.refobjid " \
    "JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace " \
    "JOIN pg_catalog.pg_am a ON a.oid = f.opfmethod " \
    "WHERE r.refclassid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass " \
    "AND f.opfnamespace = ANY ($1::pg_catalog.oid[])" \
    ") x ORDER BY 1, 2, 3, 4, 5, 7"
static const char q_opclass_deps[] = OPDEPS("pg_catalog.pg_opclass",
    "opcnamespace", OPCLASS_OF);
static const char q_opfamily_deps[] = OPDEPS("pg_catalog.pg_opfamily",
    "opfnamespace", OPFAMILY_OF);

static const char q_triggers[] =
    "SELECT t.tgrelid, t.tgname, pg_catalog.pg_get_triggerdef(t.oid, false), "
    "t.tgenabled, d.description "
    "FROM pg_catalog.pg_trigger t "
    COMMENT("d", "pg_catalog.pg_trigger", "t.oid", "0")
    "WHERE t.tgrelid = ANY ($1::pg_catalog.oid[]) AND NOT t.tgisinternal"
    "%s";

/*
 * The objects of kinds the graph does not model, by kind, schema (null
 * for those of the database) and a name for people: none of them is
 * read, compared or planned, so the graph lists them in its header and
 * zn-diff and zn-apply refuse to act without consent.  Extension members
 * and objects made internally with another (a multirange's casts) are
 * left out, as are zanith's own.  Owners are not modelled and not
 * listed, as pg_dump --no-owner; nor are the privileges of a
 * multirange type or of a table's row type, which pg_dump leaves out.
 */
/*
 * The words the server's quote_ident() quotes (every keyword category
 * but unreserved), and whether it quotes everything: the rule of the
 * definitions this client writes the way the server's deparsers would.
 */
static const char q_keywords[] =
    "SELECT k.word COLLATE \"C\", "
    "pg_catalog.current_setting('quote_all_identifiers') "
    "FROM pg_catalog.pg_get_keywords() k WHERE k.catcode <> 'U' "
    "ORDER BY 1";

/*
 * What deparse.c needs to know of the objects node trees name, by OID
 * ($1): enum labels, functions, operators, types (formatted with TYPINFO,
 * so its %s), and the server's version() for its byte order.  The rows
 * of each kind sorted by OID (zn_dpnames_new).
 */
static const char q_names[] =
    "SELECT 'e' COLLATE \"C\", e.oid, e.enumlabel::pg_catalog.text, "
    "NULL::pg_catalog.text, NULL::pg_catalog.text, NULL::pg_catalog.text, "
    "NULL::pg_catalog.text FROM pg_catalog.pg_enum e "
    "WHERE e.oid = ANY ($1::pg_catalog.oid[]) "
    "UNION ALL SELECT 'f', p.oid, p.proname::pg_catalog.text, "
    "n.nspname::pg_catalog.text, p.proargtypes::pg_catalog.text, "
    "(p.prokind = 'f' AND p.provariadic = 0)::pg_catalog.text, NULL "
    "FROM pg_catalog.pg_proc p "
    "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
    "WHERE p.oid = ANY ($1::pg_catalog.oid[]) "
    "UNION ALL SELECT 'o', o.oid, o.oprname::pg_catalog.text, "
    "n.nspname::pg_catalog.text, o.oprleft::pg_catalog.text || ' ' || "
    "o.oprright::pg_catalog.text, o.oprkind::pg_catalog.text, NULL "
    "FROM pg_catalog.pg_operator o "
    "JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace "
    "WHERE o.oid = ANY ($1::pg_catalog.oid[]) "
    "UNION ALL SELECT 't', t.oid, pg_catalog.format_type(t.oid, -1), "
    "n.nspname::pg_catalog.text, " TYPINFO ", "
    "t.typcollation::pg_catalog.text, t.typelem::pg_catalog.text "
    "FROM pg_catalog.pg_type t "
    "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
    "WHERE t.oid = ANY ($1::pg_catalog.oid[]) "
    "UNION ALL SELECT 'v', 0, pg_catalog.version(), NULL, NULL, NULL, NULL "
    "ORDER BY 1, 2";

static const char q_unmodelled[] =
    "SELECT u.kind, u.schema, u.name FROM ( SELECT CASE t.typtype WHEN "
    "'d' THEN 'domain' WHEN 'c' THEN 'composite type' WHEN 'r' THEN "
    "'range type' ELSE 'base type' END, n.nspname::text, t.typname::text, "
    "'pg_catalog.pg_type'::regclass, t.oid FROM pg_catalog.pg_type t JOIN "
    "pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE "
    "t.typnamespace = ANY($1::pg_catalog.oid[]) AND "
    /*
     * Not an array type (every table has one): its element's typarray
     * names it.  Looked up by the element's OID, an index scan; by
     * typarray, which has no index, it was one scan of pg_type per
     * table (37 s at 15,000 tables).
     */
    "t.typtype = 'b' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type "
    "e WHERE e.oid = t.typelem AND e.typarray = t.oid) "
    "UNION ALL SELECT 'operator', n.nspname, o.oprname || '(' || CASE "
    "WHEN o.oprleft = 0 THEN 'NONE' ELSE "
    "pg_catalog.format_type(o.oprleft, NULL) END || ', ' || "
    "pg_catalog.format_type(o.oprright, NULL) || ')', "
    "'pg_catalog.pg_operator'::regclass, o.oid FROM "
    "pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = "
    "o.oprnamespace WHERE o.oprnamespace = ANY($1::pg_catalog.oid[]) "
    "AND o.oprcode = 0 "
    "UNION ALL SELECT 'conversion', n.nspname, c.conname, "
    "'pg_catalog.pg_conversion'::regclass, c.oid FROM "
    "pg_catalog.pg_conversion c JOIN pg_catalog.pg_namespace n ON n.oid = "
    "c.connamespace WHERE c.connamespace = ANY($1::pg_catalog.oid[]) "
    "UNION ALL SELECT 'trigger', "
    "n.nspname, t.tgname || ' ON ' || c.relname, "
    "'pg_catalog.pg_trigger'::regclass, t.oid FROM pg_catalog.pg_trigger "
    "t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid JOIN "
    "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
    "c.relnamespace = ANY($1::pg_catalog.oid[]) AND c.relkind = 'f' AND "
    "NOT t.tgisinternal AND " NOT_MEMBER("pg_catalog.pg_class", "c.oid") " "
    "UNION ALL SELECT 'rule', n.nspname, r.rulename || ' "
    "ON ' || c.relname, 'pg_catalog.pg_rewrite'::regclass, r.oid FROM "
    "pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = "
    "r.ev_class JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relnamespace = ANY($1::pg_catalog.oid[]) AND r.rulename <> "
    "'_RETURN' AND c.relkind = 'f' AND "
    NOT_MEMBER("pg_catalog.pg_class", "c.oid") " "
    "UNION ALL SELECT 'column setting', n.nspname, c.relname || "
    "'.' || a.attname || CASE WHEN (c.relkind = 'm' OR (c.relkind IN "
    "('i', 'I') AND EXISTS (SELECT 1 FROM pg_catalog.pg_constraint x "
    "WHERE x.conindid = c.oid))) AND "
    "a.attstattarget >= 0 THEN ' SET STATISTICS' ELSE '' END || CASE WHEN "
    "c.relkind IN ('m', 'i', 'I') AND a.attoptions IS NOT NULL THEN "
    "' SET (' || "
    "pg_catalog.array_to_string(a.attoptions, ', ') || ')' ELSE '' END || "
    "CASE WHEN a.attstorage <> t.typstorage AND c.relkind IN ('r', 'p', "
    "'m', 'f') THEN ' SET STORAGE' ELSE '' "
    "END, 'pg_catalog.pg_class'::regclass, "
    /* A constraint's index is internal to it: its table stands for it. */
    "COALESCE((SELECT x.indrelid FROM pg_catalog.pg_index x WHERE "
    "x.indexrelid = c.oid), c.oid) FROM "
    "pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = "
    "a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid WHERE c.relnamespace "
    "= ANY($1::pg_catalog.oid[]) AND c.relkind IN ('r', 'p', 'm', 'f', "
    "'i', 'I') "
    "AND " NOT_MEMBER("pg_catalog.pg_class", "c.oid") " "
    "AND a.attnum > 0 AND NOT a.attisdropped AND ((a.attstorage <> "
    "t.typstorage AND c.relkind IN ('r', 'p', 'm', 'f')) OR (c.relkind IN "
    "('m', 'i', 'I') AND a.attoptions IS NOT NULL) OR (a.attstattarget >= 0 "
    "AND (c.relkind = 'm' OR (c.relkind IN ('i', 'I') AND EXISTS (SELECT 1 "
    "FROM pg_catalog.pg_constraint x WHERE x.conindid = c.oid))))) "
    "UNION ALL SELECT 'language', NULL, l.lanname, "
    "'pg_catalog.pg_language'::regclass, l.oid FROM "
    "pg_catalog.pg_language l WHERE l.oid >= 16384 UNION ALL SELECT "
    "'transform', NULL, 'FOR ' || pg_catalog.format_type(t.trftype, NULL) "
    "|| ' LANGUAGE ' || l.lanname, 'pg_catalog.pg_transform'::regclass, "
    "t.oid FROM pg_catalog.pg_transform t JOIN pg_catalog.pg_language l "
    "ON l.oid = t.trflang WHERE t.oid >= 16384 UNION ALL SELECT 'access "
    "method', NULL, a.amname, 'pg_catalog.pg_am'::regclass, a.oid FROM "
    "pg_catalog.pg_am a WHERE a.oid >= 16384 UNION ALL SELECT "
    "'subscription', NULL, s.subname, "
    "'pg_catalog.pg_subscription'::regclass, s.oid FROM "
    "pg_catalog.pg_subscription s WHERE s.subdbid = (SELECT d.oid FROM "
    "pg_catalog.pg_database d WHERE d.datname = "
    "pg_catalog.current_database()) UNION ALL SELECT 'security label', "
    "NULL, pg_catalog.pg_describe_object(l.classoid, l.objoid, "
    "l.objsubid) || ' (' || l.provider || ')', l.classoid, l.objoid FROM "
    "pg_catalog.pg_seclabel l ) u(kind, schema, name, classid, objid) "
    "WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE "
    "e.classid = u.classid AND e.objid = u.objid AND e.deptype IN ('e', "
    "'i')) AND pg_catalog.left(u.name, 8) <> '_zanith_' AND "
    "pg_catalog.strpos(u.name, '._zanith_') = 0 AND "
    "pg_catalog.strpos(u.name, ' _zanith_') = 0 ORDER BY 1, 2, 3 ";

/* A result sorted by relation OID, read in step with the relations. */
struct ctx;
static void unmodelled(struct ctx *c, PGresult *r);
struct cursor {
	PGresult *r;
	int row, end;		/* the current relation's rows: [row, end) */
	int relcol;
};

/* The (relation, number) keys of a result, parsed once (findrow). */
struct rowkeys {
	const PGresult *r;
	unsigned long *rel;
	long *num;
};

/* A default operator class, as GetDefaultOpClass() weighs it. */
struct opc {
	unsigned long oid, intype, method;
	char category, preferred, poly;
};

/* A query sent ahead in a pipeline and its result, until run() takes it. */
struct pre {
	const char *what;
	char *sql;
	PGresult *r;
};

struct ctx {
	PGconn *conn;
	struct pre *pre;	/* read ahead: npre queries */
	struct zn_pgq *preq;	/* the same, until aheadrecv() */
	size_t npre;
	size_t ntaken;		/* of them, taken before aheadrecv() */
	PGresult *nsr;		/* the schemas, and which of them are read */
	unsigned char *nstake;
	PGresult *kw;		/* q_keywords */
	PGresult *bincasts;	/* q_bincasts */
	struct opc *opcs;	/* the default operator classes */
	struct rowkeys *keys;	/* of columns, refcolumns, identities */
	int nopcs;
	PGresult *idxdefs;	/* indexes rendered by the server on demand */
	PGresult *idxtexts;	/* expressions and predicates, likewise */
	struct zn_dpnames *names;	/* what the trees name (deparse.c) */
	const char *namesql;	/* q_names */
	struct zn_nt **ctree;	/* per row of the constraints: conbin */
	char **cdef;		/* and the definition written from it */
	PGresult *cdefs;	/* the server's, where it could not be */
	struct zn_nt **itree;	/* per row of the indexes: indexprs */
	struct zn_nt **ipred;	/* and indpred */
	struct idxmemo *im;	/* per row of the indexes: idxmemo() */
	int nim;
	int check;		/* ZN_SNAPSHOT_CHECK: compare the renderings */
	int decline;		/* ZN_SNAPSHOT_CHECK=fallback: ask the server */
	const struct zn_pg_onlock *onlock;	/* o->onlock */
	int version;
	const char *nsparam;	/* the namespace OID array literal */
	char *relparam;		/* the relation OID array literal */
	struct zn_graph *g;
	PGresult *rels, *columns, *identities, *refcolumns, *opclasses;
	PGresult *triggers, *rules, *acls, *rdeps;
	struct cursor inh, col, con, idx, pol, vdep;
	struct zn_buf line, scratch;
	struct zn_jw w;
	int colstart, colend;	/* this relation's rows of columns */
};

static unsigned long
oidval(const PGresult *r, int row, int col)
{
	return strtoul(PQgetvalue(r, row, col), NULL, 10);
}

/* The row whose column col is oid, in r sorted by it, or -1. */
static int
oidrow(const PGresult *r, int col, unsigned long oid)
{
	int lo = 0, hi = r != NULL ? PQntuples(r) : 0, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (oidval(r, mid, col) < oid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (r != NULL && lo < PQntuples(r) && oidval(r, lo, col) == oid)
		return lo;
	return -1;
}

/*
 * The result of sql: the one read ahead under the same name and text
 * when there is one, else from the server now.
 */
static PGresult *
run(const struct ctx *c, const char *what, const char *sql,
    const char *param)
{
	const char *params[1];
	PGresult *r;
	size_t i;

	/* Between the writers: what the other session has sent so far. */
	zn_pg_side_read();
	for (i = 0; i < c->npre; i++)
		if (c->pre[i].r != NULL && strcmp(c->pre[i].what, what) == 0 &&
		    strcmp(c->pre[i].sql, sql) == 0) {
			r = c->pre[i].r;
			c->pre[i].r = NULL;
			return r;
		}
#ifdef LIBPQ_HAS_PIPELINING
	/* Not while the relations' pipeline is in flight: a defect here. */
	if (PQpipelineStatus(c->conn) != PQ_PIPELINE_OFF)
		zn_die(ZN_EXIT_UNAVAILABLE, "internal error: '%s' was not read "
		    "ahead and cannot be asked inside a pipeline", what);
#endif
	params[0] = param;
	return zn_pg_exec_lk(c->conn, what, sql, param != NULL ? 1 : 0,
	    params, c->onlock);
}

/*
 * The catalog changed under the snapshot: an object the snapshot still
 * sees was dropped, so the server cannot render it any more.
 */
static ZN_NORETURN void
vanished(const char *what, const char *schema, const char *name)
{
	zn_die(ZN_EXIT_UNAVAILABLE, "%s '%s.%s' was dropped while the "
	    "snapshot was being taken; run it again", what, schema, name);
}

/* Writes "key": and the text of a field, or null. */
static void
kv(struct ctx *c, const char *key, const PGresult *r, int row, int col)
{
	zn_jw_key(&c->w, key);
	if (PQgetisnull(r, row, col))
		zn_jw_null(&c->w);
	else
		zn_jw_strn(&c->w, PQgetvalue(r, row, col),
		    (size_t)PQgetlength(r, row, col));
}

/*
 * An expression or definition the server rendered, in the form it gives
 * back when parsed again (zn_sql_fixpoint): what a plan creates from it
 * reads back the same.
 */
static void
kvx(struct ctx *c, const char *key, const PGresult *r, int row, int col)
{
	char *f;

	if (PQgetisnull(r, row, col) || (f = zn_sql_fixpoint(
	    PQgetvalue(r, row, col), (size_t)PQgetlength(r, row, col))) ==
	    NULL) {
		kv(c, key, r, row, col);
		return;
	}
	zn_jw_key(&c->w, key);
	zn_jw_str(&c->w, f);
	free(f);
}

static void
kvs(struct ctx *c, const char *key, const char *s)
{
	zn_jw_key(&c->w, key);
	zn_jw_str(&c->w, s);
}

static void kvb(struct ctx *, const char *, const PGresult *, int, int);

/* The first row of c->acls for object kind k and OID oid, or -1. */
static int
aclrow(const struct ctx *c, char k, unsigned long oid)
{
	const PGresult *r = c->acls;
	int lo = 0, hi = r != NULL ? PQntuples(r) : 0, mid;
	char mk;
	unsigned long mo;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		mk = PQgetvalue(r, mid, A_KIND)[0];
		mo = oidval(r, mid, A_OID);
		if (mk < k || (mk == k && mo < oid))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < (r != NULL ? PQntuples(r) : 0) &&
	    PQgetvalue(r, lo, A_KIND)[0] == k && oidval(r, lo, A_OID) == oid)
		return lo;
	return -1;
}

/*
 * The privileges of an object (kind k: r, f, n, t) or of its columns (c),
 * under key, when it has any: [{action, column, grantable, grantee,
 * privilege}], the column for c alone.
 */
static void
privileges(struct ctx *c, const char *key, char k, unsigned long oid)
{
	const PGresult *r = c->acls;
	int i = aclrow(c, k, oid), n = r != NULL ? PQntuples(r) : 0;

	if (i < 0)
		return;
	zn_jw_key(&c->w, key);
	zn_jw_arr(&c->w);
	for (; i < n && PQgetvalue(r, i, A_KIND)[0] == k &&
	    oidval(r, i, A_OID) == oid; i++) {
		zn_jw_obj(&c->w);
		kv(c, "action", r, i, A_ACTION);
		if (k == 'c')
			kv(c, "column", r, i, A_SUB);
		kvb(c, "grantable", r, i, A_GRANTABLE);
		kv(c, "grantee", r, i, A_GRANTEE);
		kv(c, "privilege", r, i, A_PRIV);
		zn_jw_end(&c->w, '}');
	}
	zn_jw_end(&c->w, ']');
}

static void
kvb(struct ctx *c, const char *key, const PGresult *r, int row, int col)
{
	zn_jw_key(&c->w, key);
	if (PQgetisnull(r, row, col))
		zn_jw_null(&c->w);
	else
		zn_jw_bool(&c->w, PQgetvalue(r, row, col)[0] == 't');
}

static void
kvbool(struct ctx *c, const char *key, int v)
{
	zn_jw_key(&c->w, key);
	zn_jw_bool(&c->w, v);
}

/*
 * Reads one element of a PostgreSQL array literal at p into e (quotes
 * and backslash escapes undone); sets *quoted and returns where the next
 * element starts.
 */
static const char *
arrelem(const char *p, struct zn_buf *e, int *quoted)
{
	zn_buf_reset(e);
	*quoted = *p == '"';
	if (*quoted) {
		for (p++; *p != '\0' && *p != '"'; p++) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			zn_buf_addch(e, *p);
		}
		if (*p == '"')
			p++;
	} else
		while (*p != '\0' && *p != ',' && *p != '}')
			zn_buf_addch(e, *p++);
	if (*p == ',')
		p++;
	return p;
}

/*
 * Writes a one-dimensional PostgreSQL array literal ({a,"b c",NULL}) as
 * a JSON array of strings.
 */
static void
textarray(struct ctx *c, const char *lit)
{
	struct zn_buf *e = &c->scratch;
	const char *p = lit;
	int quoted;

	zn_jw_arr(&c->w);
	if (*p++ != '{')
		zn_die(ZN_EXIT_UNAVAILABLE, "unexpected array from the "
		    "server: %s", lit);
	while (*p != '\0' && *p != '}') {
		p = arrelem(p, e, &quoted);
		if (!quoted && strcmp(e->buf, "NULL") == 0)
			zn_jw_null(&c->w);
		else
			zn_jw_strn(&c->w, e->buf, e->len);
	}
	zn_jw_end(&c->w, ']');
}

static void
kva(struct ctx *c, const char *key, const PGresult *r, int row, int col)
{
	zn_jw_key(&c->w, key);
	if (PQgetisnull(r, row, col))
		zn_jw_null(&c->w);
	else
		textarray(c, PQgetvalue(r, row, col));
}

/*
 * Reads the integers of an int2vector ("1 2 0") or an array ("{1,2}")
 * into v; returns how many (at most max).
 */
static int
ints(const char *s, long *v, int max)
{
	char *end;
	int n = 0;

	while (*s != '\0' && n < max) {
		if ((*s >= '0' && *s <= '9') || *s == '-') {
			v[n++] = strtol(s, &end, 10);
			s = end;
		} else
			s++;
	}
	return n;
}

#define MAXKEYS 64	/* INDEX_MAX_KEYS is 32 in a default build */

/*
 * Row of (rel, attnum) in a result sorted by both, or -1; k holds the
 * two columns as numbers, parsed at the first search of r.
 */
static int
findrow(struct rowkeys *k, const PGresult *r, int relcol, int numcol,
    unsigned long rel, long num)
{
	int lo = 0, hi = r != NULL ? PQntuples(r) : 0, mid;

	if (k->r != r) {
		free(k->rel);
		free(k->num);
		k->r = r;
		k->rel = zn_xcalloc((size_t)hi + 1, sizeof(*k->rel));
		k->num = zn_xcalloc((size_t)hi + 1, sizeof(*k->num));
		for (mid = 0; mid < hi; mid++) {
			k->rel[mid] = oidval(r, mid, relcol);
			k->num[mid] = strtol(PQgetvalue(r, mid, numcol), NULL,
			    10);
		}
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (k->rel[mid] < rel || (k->rel[mid] == rel &&
		    k->num[mid] < num))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < (r != NULL ? PQntuples(r) : 0) && k->rel[lo] == rel &&
	    k->num[lo] == num)
		return lo;
	return -1;
}

static void
freerowkeys(struct rowkeys *k)
{
	free(k->rel);
	free(k->num);
	memset(k, 0, sizeof(*k));
}

static const char *
attname_in(struct rowkeys *k, const PGresult *r, int relcol, int numcol,
    int namecol, unsigned long rel, long num)
{
	int row = findrow(k, r, relcol, numcol, rel, num);

	return row >= 0 ? PQgetvalue(r, row, namecol) : NULL;
}

static const char *
attname(const struct ctx *c, unsigned long rel, long num)
{
	const char *n;

	n = attname_in(&c->keys[0], c->columns, C_REL, C_NUM, C_NAME, rel,
	    num);
	if (n == NULL)
		n = attname_in(&c->keys[1], c->refcolumns, F_REL, F_NUM,
		    F_NAME, rel, num);
	if (n == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "column %ld of relation %lu was "
		    "dropped while the snapshot was being taken; run it "
		    "again", num, rel);
	return n;
}

/* Writes the names of columns given as numbers of relation rel. */
static void
colnames(struct ctx *c, unsigned long rel, const long *nums, int n)
{
	int i;

	zn_jw_arr(&c->w);
	for (i = 0; i < n; i++)
		zn_jw_str(&c->w, attname(c, rel, nums[i]));
	zn_jw_end(&c->w, ']');
}

/* Moves a cursor to the rows of relation oid. */
static void
seek(struct cursor *k, unsigned long oid)
{
	int n = PQntuples(k->r);

	k->row = k->end;
	while (k->row < n && oidval(k->r, k->row, k->relcol) < oid)
		k->row++;
	k->end = k->row;
	while (k->end < n && oidval(k->r, k->end, k->relcol) == oid)
		k->end++;
}

static void
cursor(struct cursor *k, PGresult *r, int relcol)
{
	k->r = r;
	k->row = k->end = 0;
	k->relcol = relcol;
}

/* Hands the line written so far to the graph and starts a new one. */
static void
emit(struct ctx *c, const char *kind, const char *schema, const char *table,
    const char *name, const char *args)
{
	size_t len = c->line.len;
	char *line = zn_xmalloc(len + 1);

	/* A copy of its size: the buffer stays, grown for the next. */
	memcpy(line, c->line.buf, len + 1);
	zn_graph_add_line(c->g, kind, schema, table, name, args, line, len);
	zn_buf_reset(&c->line);
	zn_jw_init(&c->w, &c->line);
}

static int
matchany(const char *const *pats, const char *s)
{
	for (; pats != NULL && *pats != NULL; pats++)
		if (fnmatch(*pats, s, 0) == 0)
			return 1;
	return 0;
}

/*
 * Reads the schemas and returns the OID array literal of those the
 * options select; writeschemas() writes them.
 */
static char *
schemas(struct ctx *c, const struct zn_snapshot_opts *o)
{
	struct zn_buf arr = ZN_BUF_INIT;
	PGresult *r;
	const char *name;
	int i;
	unsigned char *take;

	r = run(c, "read schemas", q_schemas, o != NULL &&
	    o->ledger_schema != NULL ? o->ledger_schema : "");
	take = zn_xcalloc((size_t)PQntuples(r) + 1, 1);
	zn_buf_addch(&arr, '{');
	for (i = 0; i < PQntuples(r); i++) {
		name = PQgetvalue(r, i, 1);
		if (o != NULL && o->schemas != NULL && *o->schemas != NULL &&
		    !matchany(o->schemas, name))
			continue;
		if (o != NULL && matchany(o->exclude_schemas, name))
			continue;
		if (arr.len > 1)
			zn_buf_addch(&arr, ',');
		zn_buf_adds(&arr, PQgetvalue(r, i, 0));
		take[i] = 1;
	}
	zn_buf_addch(&arr, '}');
	c->nsr = r;
	c->nstake = take;
	return zn_buf_detach(&arr);
}

/* The schemas read, and the privileges of everything. */
static void
writeschemas(struct ctx *c)
{
	PGresult *r = c->nsr;
	unsigned char *take = c->nstake;
	int i;

	c->acls = run(c, "read privileges", q_acls, c->nsparam);
	for (i = 0; i < PQntuples(r); i++) {
		if (!take[i])
			continue;
		zn_jw_obj(&c->w);
		kvs(c, "kind", "schema");
		kv(c, "name", r, i, 1);
		kv(c, "comment", r, i, 2);
		privileges(c, "privileges", 'n', oidval(r, i, 0));
		zn_jw_end(&c->w, '}');
		emit(c, "schema", NULL, NULL, PQgetvalue(r, i, 1), NULL);
	}
	free(take);
	PQclear(r);
	c->nsr = NULL;
	c->nstake = NULL;
}

static void
extensions(struct ctx *c)
{
	PGresult *r = run(c, "read extensions", q_extensions, c->nsparam);
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		zn_jw_obj(&c->w);
		kvs(c, "kind", "extension");
		kv(c, "schema", r, i, 1);
		kv(c, "name", r, i, 0);
		kv(c, "comment", r, i, 3);
		kv(c, "version", r, i, 2);
		zn_jw_end(&c->w, '}');
		emit(c, "extension", PQgetvalue(r, i, 1), NULL,
		    PQgetvalue(r, i, 0), NULL);
	}
	PQclear(r);
}

/*
 * A record of a kind that lives in a schema, opened with its kind, schema
 * and name from columns cs and cn of row i, and closed and handed over.
 */
static void
recopen(struct ctx *c, const char *kind, const PGresult *r, int i, int cs,
    int cn)
{
	zn_jw_obj(&c->w);
	kvs(c, "kind", kind);
	kv(c, "schema", r, i, cs);
	kv(c, "name", r, i, cn);
}

static void
recclose(struct ctx *c, const char *kind, const PGresult *r, int i, int cs,
    int cn, const char *args)
{
	zn_jw_end(&c->w, '}');
	emit(c, kind, PQgetvalue(r, i, cs), NULL, PQgetvalue(r, i, cn), args);
}

/* Whether rows i and j of default privileges are of one record. */
static int
samedefacl(const PGresult *r, int i, int j)
{
	return PQgetisnull(r, i, DA_SCHEMA) == PQgetisnull(r, j, DA_SCHEMA) &&
	    strcmp(PQgetvalue(r, i, DA_SCHEMA), PQgetvalue(r, j, DA_SCHEMA)) ==
	    0 && strcmp(PQgetvalue(r, i, DA_ROLE), PQgetvalue(r, j,
	    DA_ROLE)) == 0 && strcmp(PQgetvalue(r, i, DA_OBJECTS),
	    PQgetvalue(r, j, DA_OBJECTS)) == 0;
}

/*
 * Default privileges: a record per row of pg_default_acl that differs
 * from what it is compared with (the server deletes the others).  Those
 * for no schema are of the whole database and are read, as pg_dump
 * dumps them, unless the schemas read are chosen (global false).
 */
static void
defacls(struct ctx *c, int global)
{
	PGresult *r;
	int i, n;

	r = run(c, "read default privileges", global ? q_defacls_all :
	    q_defacls_ns, c->nsparam);
	n = PQntuples(r);
	for (i = 0; i < n; i++) {
		if (i == 0 || !samedefacl(r, i, i - 1)) {
			zn_jw_obj(&c->w);
			kvs(c, "kind", "default_privileges");
			kv(c, "schema", r, i, DA_SCHEMA);
			kv(c, "name", r, i, DA_OBJECTS);
			zn_jw_key(&c->w, "privileges");
			zn_jw_arr(&c->w);
		}
		zn_jw_obj(&c->w);
		kv(c, "action", r, i, DA_ACTION);
		kvb(c, "grantable", r, i, DA_GRANTABLE);
		kv(c, "grantee", r, i, DA_GRANTEE);
		kv(c, "privilege", r, i, DA_PRIV);
		zn_jw_end(&c->w, '}');
		if (i + 1 == n || !samedefacl(r, i, i + 1)) {
			zn_jw_end(&c->w, ']');
			kv(c, "role", r, i, DA_ROLE);
			zn_jw_end(&c->w, '}');
			emit(c, "default_privileges", PQgetisnull(r, i,
			    DA_SCHEMA) ? NULL : PQgetvalue(r, i, DA_SCHEMA),
			    PQgetvalue(r, i, DA_ROLE), PQgetvalue(r, i,
			    DA_OBJECTS), NULL);
		}
	}
	PQclear(r);
}

static void
enums(struct ctx *c)
{
	PGresult *r = run(c, "read enums", q_enums, c->nsparam);
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		recopen(c, "enum", r, i, 0, 1);
		kv(c, "comment", r, i, 3);
		privileges(c, "privileges", 't', oidval(r, i, 4));
		kva(c, "values", r, i, 2);
		recclose(c, "enum", r, i, 0, 1, NULL);
	}
	PQclear(r);
}

static void
domains(struct ctx *c)
{
	PGresult *r = run(c, "read domains", q_domains, c->nsparam);
	struct cursor k;
	int i, j;

	cursor(&k, run(c, "read domain constraints", q_domaincons,
	    c->nsparam), DC_DOMAIN);

	for (i = 0; i < PQntuples(r); i++) {
		recopen(c, "domain", r, i, DM_SCHEMA, DM_NAME);
		zn_jw_key(&c->w, "checks");
		zn_jw_arr(&c->w);
		seek(&k, oidval(r, i, DM_OID));
		for (j = k.row; j < k.end; j++) {
			zn_jw_obj(&c->w);
			kv(c, "name", k.r, j, DC_NAME);
			kv(c, "comment", k.r, j, DC_COMMENT);
			kvx(c, "definition", k.r, j, DC_DEF);
			zn_jw_key(&c->w, "not_valid");
			zn_jw_bool(&c->w, PQgetvalue(k.r, j, DC_VALID)[0] != 't');
			zn_jw_end(&c->w, '}');
		}
		zn_jw_end(&c->w, ']');
		kv(c, "collation", r, i, DM_COLLATION);
		kv(c, "comment", r, i, DM_COMMENT);
		kvx(c, "default", r, i, DM_DEFAULT);
		kvb(c, "not_null", r, i, DM_NOTNULL);
		privileges(c, "privileges", 't', oidval(r, i, DM_OID));
		kv(c, "type", r, i, DM_TYPE);
		recclose(c, "domain", r, i, DM_SCHEMA, DM_NAME, NULL);
	}
	PQclear(r);
	PQclear(k.r);
}

static char *
collations_sql(const struct ctx *c)
{
	return zn_xasprintf(q_collations, c->version >= 150000 ?
	    "c.colliculocale" : "CASE WHEN c.collprovider = 'i' THEN "
	    "c.collcollate END");
}

static void
collations(struct ctx *c)
{
	char *sql = collations_sql(c);
	PGresult *r = run(c, "read collations", sql, c->nsparam);
	int i, icu;

	free(sql);
	for (i = 0; i < PQntuples(r); i++) {
		icu = strcmp(PQgetvalue(r, i, CO_PROVIDER), "icu") == 0;
		recopen(c, "collation", r, i, CO_SCHEMA, CO_NAME);
		kv(c, "comment", r, i, CO_COMMENT);
		if (PQgetvalue(r, i, CO_DETERMINISTIC)[0] != 't')
			kvbool(c, "deterministic", 0);
		if (!icu) {
			kv(c, "lc_collate", r, i, CO_COLLATE);
			kv(c, "lc_ctype", r, i, CO_CTYPE);
		} else
			kv(c, "locale", r, i, CO_LOCALE);
		kv(c, "provider", r, i, CO_PROVIDER);
		recclose(c, "collation", r, i, CO_SCHEMA, CO_NAME, NULL);
	}
	PQclear(r);
}

static void
tsdicts(struct ctx *c)
{
	PGresult *r = run(c, "read text search dictionaries", q_tsdicts,
	    c->nsparam);
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		recopen(c, "text_search_dictionary", r, i, TD_SCHEMA, TD_NAME);
		kv(c, "comment", r, i, TD_COMMENT);
		kv(c, "options", r, i, TD_OPTIONS);
		kv(c, "template", r, i, TD_TEMPLATE);
		recclose(c, "text_search_dictionary", r, i,
		    TD_SCHEMA, TD_NAME, NULL);
	}
	PQclear(r);
}

static void
tsconfigs(struct ctx *c)
{
	PGresult *r = run(c, "read text search configurations", q_tsconfigs,
	    c->nsparam);
	struct cursor k;
	int i, j;

	cursor(&k, run(c, "read text search mappings", q_tsmaps,
	    c->nsparam), TM_CFG);
	for (i = 0; i < PQntuples(r); i++) {
		recopen(c, "text_search_configuration", r, i,
		    TC_SCHEMA, TC_NAME);
		kv(c, "comment", r, i, TC_COMMENT);
		zn_jw_key(&c->w, "mappings");
		zn_jw_arr(&c->w);
		seek(&k, oidval(r, i, TC_OID));
		for (j = k.row; j < k.end; j++) {
			/* One entry per token type, its dictionaries in order. */
			if (j == k.row || strcmp(PQgetvalue(k.r, j, TM_TOKEN),
			    PQgetvalue(k.r, j - 1, TM_TOKEN)) != 0) {
				zn_jw_obj(&c->w);
				zn_jw_key(&c->w, "dictionaries");
				zn_jw_arr(&c->w);
			}
			zn_jw_strn(&c->w, PQgetvalue(k.r, j, TM_DICT),
			    (size_t)PQgetlength(k.r, j, TM_DICT));
			if (j + 1 == k.end || strcmp(PQgetvalue(k.r, j,
			    TM_TOKEN), PQgetvalue(k.r, j + 1, TM_TOKEN)) != 0) {
				zn_jw_end(&c->w, ']');
				kv(c, "token", k.r, j, TM_TOKEN);
				zn_jw_end(&c->w, '}');
			}
		}
		zn_jw_end(&c->w, ']');
		kv(c, "parser", r, i, TC_PARSER);
		recclose(c, "text_search_configuration", r, i,
		    TC_SCHEMA, TC_NAME, NULL);
	}
	PQclear(r);
	PQclear(k.r);
}

static char *
ranges_sql(const struct ctx *c)
{
	return zn_xasprintf(q_ranges, c->version >= 140000 ?
	    RG_MULTIRANGE : "''");
}

static void
ranges(struct ctx *c)
{
	char *sql = ranges_sql(c);
	PGresult *r = run(c, "read range types", sql, c->nsparam);
	int i;

	free(sql);
	for (i = 0; i < PQntuples(r); i++) {
		recopen(c, "range_type", r, i, RG_SCHEMA, RG_NAME);
		kv(c, "comment", r, i, RG_COMMENT);
		kv(c, "definition", r, i, RG_DEF);
		privileges(c, "privileges", 't', oidval(r, i, RG_OID));
		kv(c, "subtype", r, i, RG_SUBTYPE);
		recclose(c, "range_type", r, i, RG_SCHEMA, RG_NAME, NULL);
	}
	PQclear(r);
}

static void
operators(struct ctx *c)
{
	PGresult *r = run(c, "read operators", q_operators, c->nsparam);
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		if (PQgetisnull(r, i, OP_DEF))
			vanished("operator", PQgetvalue(r, i, OP_SCHEMA),
			    PQgetvalue(r, i, OP_NAME));
		recopen(c, "operator", r, i, OP_SCHEMA, OP_NAME);
		kv(c, "arguments", r, i, OP_ARGS);
		kv(c, "comment", r, i, OP_COMMENT);
		kv(c, "definition", r, i, OP_DEF);
		kv(c, "function", r, i, OP_FUNC);
		recclose(c, "operator", r, i,
		    OP_SCHEMA, OP_NAME, PQgetvalue(r, i, OP_ARGS));
	}
	PQclear(r);
}

static void
statistics(struct ctx *c)
{
	PGresult *r = run(c, "read statistics objects", q_statistics,
	    c->nsparam);
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		if (PQgetisnull(r, i, ST_DEF))
			vanished("statistics object", PQgetvalue(r, i,
			    ST_SCHEMA), PQgetvalue(r, i, ST_NAME));
		recopen(c, "statistics", r, i, ST_SCHEMA, ST_NAME);
		kv(c, "comment", r, i, ST_COMMENT);
		kvx(c, "definition", r, i, ST_DEF);
		kv(c, "on", r, i, ST_ON);
		if (!PQgetisnull(r, i, ST_TARGET))
			kv(c, "statistics", r, i, ST_TARGET);
		recclose(c, "statistics", r, i, ST_SCHEMA, ST_NAME, NULL);
	}
	PQclear(r);
}

/*
 * Under key, the objects {name, comment} of a text array that alternates
 * names and comments.
 */
static void
namedarray(struct ctx *c, const char *key, const char *lit)
{
	struct zn_buf *e = &c->scratch;
	const char *p = lit;
	int quoted, n = 0;

	zn_jw_key(&c->w, key);
	zn_jw_arr(&c->w);
	if (*p++ != '{')
		zn_die(ZN_EXIT_UNAVAILABLE, "unexpected array from the "
		    "server: %s", lit);
	while (*p != '\0' && *p != '}') {
		p = arrelem(p, e, &quoted);
		if (n++ % 2 == 0) {
			zn_jw_obj(&c->w);
			zn_jw_key(&c->w, "name");
			zn_jw_strn(&c->w, e->buf, e->len);
			continue;
		}
		zn_jw_key(&c->w, "comment");
		zn_jw_strn(&c->w, e->buf, e->len);
		zn_jw_end(&c->w, '}');
	}
	if (n % 2 != 0)
		zn_die(ZN_EXIT_UNAVAILABLE, "unexpected array from the "
		    "server: %s", lit);
	zn_jw_end(&c->w, ']');
}

/* The kinds of defqs: one record per row, members as keys[] says. */
static void
defobjects(struct ctx *c)
{
	enum { N = sizeof(defqs) / sizeof(defqs[0]) };
	size_t q, k;
	int i, col;

	for (q = 0; q < N; q++) {
		const struct defq *d = &defqs[q];
		PGresult *r = run(c, d->what, d->sql, d->global ? NULL :
		    c->nsparam);

		for (i = 0; i < PQntuples(r); i++) {
			zn_jw_obj(&c->w);
			kvs(c, "kind", d->kind);
			if (!d->global)
				kv(c, "schema", r, i, 1);
			kv(c, "name", r, i, 2);
			for (k = 0, col = 3; k < 10 && d->keys[k] != NULL;
			    k++, col++) {
				const char *key = d->keys[k];
				const char *t = strchr(key, ':');
				char name[32];

				if (t == NULL) {
					kv(c, key, r, i, col);
					continue;
				}
				snprintf(name, sizeof(name), "%.*s",
				    (int)(t - key), key);
				if (t[1] == 'a')
					kva(c, name, r, i, col);
				else if (t[1] == 'm')
					namedarray(c, name, PQgetvalue(r, i,
					    col));
				else if (t[1] == 'b')
					kvb(c, name, r, i, col);
				else
					privileges(c, name, PQgetvalue(r, i,
					    col)[0], oidval(r, i, 0));
			}
			zn_jw_end(&c->w, '}');
			emit(c, d->kind, d->global ? NULL : PQgetvalue(r, i, 1),
			    NULL, PQgetvalue(r, i, 2), NULL);
		}
		PQclear(r);
	}
}

static void
composites(struct ctx *c)
{
	PGresult *r = run(c, "read composite types", q_composites,
	    c->nsparam);
	struct cursor k;
	int i, j;

	cursor(&k, run(c, "read composite type attributes", q_compattrs,
	    c->nsparam), CA_REL);

	for (i = 0; i < PQntuples(r); i++) {
		recopen(c, "composite_type", r, i, CT_SCHEMA, CT_NAME);
		zn_jw_key(&c->w, "attributes");
		zn_jw_arr(&c->w);
		seek(&k, oidval(r, i, CT_REL));
		for (j = k.row; j < k.end; j++) {
			zn_jw_obj(&c->w);
			kv(c, "name", k.r, j, CA_NAME);
			kv(c, "collation", k.r, j, CA_COLLATION);
			kv(c, "comment", k.r, j, CA_COMMENT);
			kv(c, "type", k.r, j, CA_TYPE);
			zn_jw_end(&c->w, '}');
		}
		zn_jw_end(&c->w, ']');
		kv(c, "comment", r, i, CT_COMMENT);
		privileges(c, "privileges", 't', oidval(r, i, CT_OID));
		recclose(c, "composite_type", r, i, CT_SCHEMA, CT_NAME, NULL);
	}
	PQclear(r);
	PQclear(k.r);
}

/*
 * A routine's depends_on (the rows of q_routinedeps for routine oid),
 * when it uses anything: functions and aggregates each walk the result
 * with a cursor of their own.
 */
static void
routineuses(struct ctx *c, struct cursor *k, unsigned long oid)
{
	int j;

	seek(k, oid);
	if (k->row == k->end)
		return;
	zn_jw_key(&c->w, "depends_on");
	zn_jw_arr(&c->w);
	for (j = k->row; j < k->end; j++) {
		zn_jw_obj(&c->w);
		kv(c, "kind", k->r, j, D_KIND);
		kv(c, "schema", k->r, j, D_SCHEMA);
		kv(c, "name", k->r, j, D_NAME);
		if (!PQgetisnull(k->r, j, D_ARGS))
			kv(c, "arguments", k->r, j, D_ARGS);
		if (!PQgetisnull(k->r, j, D_COLS))
			kva(c, "columns", k->r, j, D_COLS);
		/* An operator family's access method (opuses). */
		if (PQnfields(k->r) > D_METHOD && !PQgetisnull(k->r, j,
		    D_METHOD))
			kv(c, "method", k->r, j, D_METHOD);
		zn_jw_end(&c->w, '}');
	}
	zn_jw_end(&c->w, ']');
}

/* Aggregates, with what they use as a routine's depends_on. */
static void
aggregates(struct ctx *c)
{
	PGresult *r = run(c, "read aggregates", q_aggregates, c->nsparam);
	struct cursor k;
	int i;

	cursor(&k, c->rdeps, D_PROC);

	for (i = 0; i < PQntuples(r); i++) {
		if (PQgetisnull(r, i, AG_DEF))
			vanished("aggregate", PQgetvalue(r, i, AG_SCHEMA),
			    PQgetvalue(r, i, AG_NAME));
		recopen(c, "aggregate", r, i, AG_SCHEMA, AG_NAME);
		kv(c, "arguments", r, i, AG_ARGS);
		kv(c, "comment", r, i, AG_COMMENT);
		kv(c, "definition", r, i, AG_DEF);
		routineuses(c, &k, oidval(r, i, AG_OID));
		kv(c, "result", r, i, AG_RESULT);
		recclose(c, "aggregate", r, i, AG_SCHEMA, AG_NAME,
		    PQgetvalue(r, i, AG_ARGS));
	}
	PQclear(r);
}

/* A class's or family's members, [{name, definition}], by its OID. */
static void
opmembers(struct ctx *c, struct cursor *k, unsigned long oid)
{
	int j;

	seek(k, oid);
	zn_jw_key(&c->w, "members");
	zn_jw_arr(&c->w);
	for (j = k->row; j < k->end; j++) {
		zn_jw_obj(&c->w);
		kv(c, "name", k->r, j, OM_NAME);
		kv(c, "definition", k->r, j, OM_DEF);
		zn_jw_end(&c->w, '}');
	}
	zn_jw_end(&c->w, ']');
}

static void
opfamilies(struct ctx *c)
{
	PGresult *r = run(c, "read operator families", q_opfamilies,
	    c->nsparam);
	struct cursor m, k;
	int i;

	/* Most schemas have none: no more round trips then. */
	if (PQntuples(r) == 0) {
		PQclear(r);
		return;
	}
	cursor(&m, run(c, "read operator family members",
	    q_opfamily_members, c->nsparam), OM_OWNER);
	cursor(&k, run(c, "read what operator families use",
	    q_opfamily_deps, c->nsparam), D_PROC);
	for (i = 0; i < PQntuples(r); i++) {
		recopen(c, "operator_family", r, i, OF_SCHEMA, OF_NAME);
		kv(c, "comment", r, i, OF_COMMENT);
		routineuses(c, &k, oidval(r, i, OF_OID));
		opmembers(c, &m, oidval(r, i, OF_OID));
		kv(c, "method", r, i, OF_METHOD);
		recclose(c, "operator_family", r, i, OF_SCHEMA, OF_NAME,
		    PQgetvalue(r, i, OF_METHOD));
	}
	PQclear(r);
	PQclear(m.r);
	PQclear(k.r);
}

/*
 * Classes, as CREATE OPERATOR CLASS with their members: STORAGE first
 * when there is one, and a STORAGE of the type itself when there is
 * nothing else to write (as pg_dump does; the server takes it as none).
 */
static void
opclasses(struct ctx *c)
{
	PGresult *r = run(c, "read operator classes", q_opclassdefs,
	    c->nsparam);
	struct cursor m, k;
	struct zn_buf def = ZN_BUF_INIT;
	int i, j;

	if (PQntuples(r) == 0) {
		PQclear(r);
		return;
	}
	cursor(&m, run(c, "read operator class members", q_opclass_members,
	    c->nsparam), OM_OWNER);
	cursor(&k, run(c, "read what operator classes use", q_opclass_deps,
	    c->nsparam), D_PROC);
	for (i = 0; i < PQntuples(r); i++) {
		zn_buf_reset(&def);
		zn_buf_adds(&def, PQgetvalue(r, i, OC_HEAD));
		if (!PQgetisnull(r, i, OC_STORAGE))
			zn_buf_addf(&def, "STORAGE %s",
			    PQgetvalue(r, i, OC_STORAGE));
		seek(&m, oidval(r, i, OC_OID));
		for (j = m.row; j < m.end; j++)
			zn_buf_addf(&def, "%s%s", j > m.row ||
			    !PQgetisnull(r, i, OC_STORAGE) ? ", " : "",
			    PQgetvalue(m.r, j, OM_DEF));
		if (m.row == m.end && PQgetisnull(r, i, OC_STORAGE))
			zn_buf_addf(&def, "STORAGE %s",
			    PQgetvalue(r, i, OC_TYPE));
		recopen(c, "operator_class", r, i, OC_SCHEMA, OC_NAME);
		kv(c, "comment", r, i, OC_COMMENT);
		kvs(c, "definition", def.buf);
		routineuses(c, &k, oidval(r, i, OC_OID));
		kv(c, "method", r, i, OC_METHOD);
		recclose(c, "operator_class", r, i, OC_SCHEMA, OC_NAME,
		    PQgetvalue(r, i, OC_METHOD));
	}
	zn_buf_release(&def);
	PQclear(r);
	PQclear(m.r);
	PQclear(k.r);
}

static void
sequences(struct ctx *c)
{
	PGresult *r = run(c, "read sequences", q_sequences, c->nsparam);
	int i;

	for (i = 0; i < PQntuples(r); i++) {
		zn_jw_obj(&c->w);
		kvs(c, "kind", "sequence");
		kv(c, "schema", r, i, 0);
		kv(c, "name", r, i, 1);
		kv(c, "cache", r, i, 7);
		kv(c, "comment", r, i, 12);
		kvb(c, "cycle", r, i, 8);
		kv(c, "increment", r, i, 4);
		kv(c, "max", r, i, 6);
		kv(c, "min", r, i, 5);
		zn_jw_key(&c->w, "owned_by");
		if (PQgetisnull(r, i, 10))
			zn_jw_null(&c->w);
		else {
			zn_jw_obj(&c->w);
			kv(c, "schema", r, i, 9);
			kv(c, "table", r, i, 10);
			kv(c, "column", r, i, 11);
			zn_jw_end(&c->w, '}');
		}
		privileges(c, "privileges", 'r', oidval(r, i, 13));
		kv(c, "start", r, i, 3);
		kv(c, "type", r, i, 2);
		zn_jw_end(&c->w, '}');
		emit(c, "sequence", PQgetvalue(r, i, 0), NULL,
		    PQgetvalue(r, i, 1), NULL);
	}
	PQclear(r);
}

static const char *
persistence(char p)
{
	switch (p) {
	case 'u':
		return "unlogged";
	case 't':
		return "temporary";
	default:
		return "permanent";
	}
}

static const char *
replident(char p)
{
	switch (p) {
	case 'n':
		return "nothing";
	case 'f':
		return "full";
	case 'i':
		return "index";
	default:
		return "default";
	}
}

static const char *
fkaction(char a)
{
	switch (a) {
	case 'r':
		return "RESTRICT";
	case 'c':
		return "CASCADE";
	case 'n':
		return "SET NULL";
	case 'd':
		return "SET DEFAULT";
	default:
		return "NO ACTION";
	}
}

static const char *
fkmatch(char m)
{
	switch (m) {
	case 'f':
		return "FULL";
	case 'p':
		return "PARTIAL";
	default:
		return "SIMPLE";
	}
}

static const char *
polcmd(char cmd)
{
	switch (cmd) {
	case 'r':
		return "SELECT";
	case 'a':
		return "INSERT";
	case 'w':
		return "UPDATE";
	case 'd':
		return "DELETE";
	default:
		return "ALL";
	}
}

static const char *
tgenabled(char e)
{
	switch (e) {
	case 'D':
		return "disabled";
	case 'R':
		return "replica";
	case 'A':
		return "always";
	default:
		return "origin";
	}
}

/* Is this column one the tool parked (soft-dropped)? */
static int
parked(const char *name)
{
	return strncmp(name, "_zanith_dropped_", 16) == 0;
}

static void
identity(struct ctx *c, const PGresult *r, int i)
{
	const char *id = PQgetvalue(r, i, C_IDENTITY);
	const PGresult *y = c->identities;
	int j;

	zn_jw_key(&c->w, "identity");
	if (*id == '\0') {
		zn_jw_null(&c->w);
		return;
	}
	j = findrow(&c->keys[2], y, Y_REL, Y_NUM, oidval(r, i, C_REL),
	    strtol(PQgetvalue(r, i, C_NUM), NULL, 10));
	if (j < 0)
		zn_die(ZN_EXIT_UNAVAILABLE, "the sequence of identity column "
		    "'%s' was dropped while the snapshot was being taken; "
		    "run it again", PQgetvalue(r, i, C_NAME));
	zn_jw_obj(&c->w);
	kv(c, "cache", y, j, Y_CACHE);
	kvb(c, "cycle", y, j, Y_CYCLE);
	kvs(c, "generation", *id == 'a' ? "always" : "by default");
	kv(c, "increment", y, j, Y_INC);
	kv(c, "max", y, j, Y_MAX);
	kv(c, "min", y, j, Y_MIN);
	kv(c, "sequence", y, j, Y_NAME);
	kv(c, "sequence_schema", y, j, Y_SCHEMA);
	kv(c, "start", y, j, Y_START);
	zn_jw_end(&c->w, '}');
}

static void
columns(struct ctx *c, int full)
{
	const PGresult *r = c->columns;
	const char *gen;
	int i;

	zn_jw_key(&c->w, "columns");
	zn_jw_arr(&c->w);
	for (i = c->colstart; i < c->colend; i++) {
		if (parked(PQgetvalue(r, i, C_NAME)))
			continue;
		zn_jw_obj(&c->w);
		kv(c, "name", r, i, C_NAME);
		if (!full) {
			kv(c, "comment", r, i, C_COMMENT);
			kv(c, "type", r, i, C_TYPE);
			zn_jw_end(&c->w, '}');
			continue;
		}
		kv(c, "collation", r, i, C_COLLATION);
		kv(c, "comment", r, i, C_COMMENT);
		kvx(c, "default", r, i, C_DEFAULT);
		zn_jw_key(&c->w, "generated");
		gen = PQgetvalue(r, i, C_GENERATED);
		if (*gen == '\0')
			zn_jw_null(&c->w);
		else {
			zn_jw_obj(&c->w);
			kvx(c, "expression", r, i, C_GENEXPR);
			kvbool(c, "stored", *gen == 's');
			zn_jw_end(&c->w, '}');
		}
		identity(c, r, i);
		kvb(c, "inherited", r, i, C_INHERITED);
		kvb(c, "not_null", r, i, C_NOTNULL);
		if (!PQgetisnull(r, i, C_OPTIONS))
			kva(c, "options", r, i, C_OPTIONS);
		if (!PQgetisnull(r, i, C_STATISTICS))
			kv(c, "statistics", r, i, C_STATISTICS);
		kv(c, "type", r, i, C_TYPE);
		zn_jw_end(&c->w, '}');
	}
	zn_jw_end(&c->w, ']');
}

/* The key columns of a constraint, by number, as names. */
static void
conkey(struct ctx *c, unsigned long rel, int row)
{
	long nums[MAXKEYS];

	colnames(c, rel, nums, ints(PQgetvalue(c->con.r, row, K_KEY), nums,
	    MAXKEYS));
}

/* The INCLUDE columns of the index behind a key: positions nkey..natts. */
static void
included(struct ctx *c, unsigned long rel, const PGresult *r, int row,
    int keycol, int nkeycol, int nattscol)
{
	long nums[MAXKEYS];
	int n, nkey;

	if (PQgetisnull(r, row, keycol)) {
		zn_jw_arr(&c->w);
		zn_jw_end(&c->w, ']');
		return;
	}
	n = ints(PQgetvalue(r, row, keycol), nums, MAXKEYS);
	nkey = atoi(PQgetvalue(r, row, nkeycol));
	if (atoi(PQgetvalue(r, row, nattscol)) < n)
		n = atoi(PQgetvalue(r, row, nattscol));
	if (nkey > n)
		nkey = n;
	colnames(c, rel, nums + nkey, n - nkey);
}

static int
contype(const struct ctx *c, int row)
{
	return PQgetvalue(c->con.r, row, K_TYPE)[0];
}

/*
 * Writes s to b as the server's quote_identifier() does, with the
 * server's own keywords (q_keywords).
 */
static void
qident(const struct ctx *c, struct zn_buf *b, const char *s)
{
	const char *p;
	int safe = (*s >= 'a' && *s <= 'z') || *s == '_';
	int lo = 0, hi = PQntuples(c->kw), mid, cmp;

	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '_'))
			safe = 0;
	if (safe && hi > 0 && strcmp(PQgetvalue(c->kw, 0, 1), "on") == 0)
		safe = 0;
	while (safe && lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = strcmp(PQgetvalue(c->kw, mid, 0), s);
		if (cmp == 0)
			safe = 0;
		else if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (safe)
		zn_buf_adds(b, s);
	else
		zn_pg_quoted(b, s);
}

/* A tree's columns are those of one relation (deparse.c). */
struct dparg {
	const struct ctx *c;
	unsigned long rel;
};

static const char *
dpcolumn(void *arg, long num)
{
	const struct dparg *a = arg;

	return attname_in(&a->c->keys[0], a->c->columns, C_REL, C_NUM,
	    C_NAME, a->rel, num);
}

static void
dpident(void *arg, struct zn_buf *b, const char *s)
{
	qident(((const struct dparg *)arg)->c, b, s);
}

/* Writes element i of tree t, an expression on rel, into b; or 0. */
static int
deparse(const struct ctx *c, unsigned long rel, const struct zn_nt *t,
    int i, struct zn_buf *b)
{
	struct dparg a;
	struct zn_dpctx x;
	const char *scs = PQparameterStatus(c->conn,
	    "standard_conforming_strings");

	if (t == NULL || c->names == NULL)
		return 0;
	a.c = c;
	a.rel = rel;
	x.names = c->names;
	x.column = dpcolumn;
	x.ident = dpident;
	x.arg = &a;
	x.scs = scs != NULL && strcmp(scs, "on") == 0;
	return zn_nt_deparse(t, i, &x, b);
}

/* "a, b": columns of rel by number, as decompile_column_index_array. */
static void
qcolumns(const struct ctx *c, struct zn_buf *b, unsigned long rel,
    const long *nums, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			zn_buf_adds(b, ", ");
		qident(c, b, attname(c, rel, nums[i]));
	}
}

/* A foreign key action as pg_get_constraintdef names it; "" for none. */
static const char *
fkclause(char a)
{
	if (a == 'a')
		return "";
	if (a == '\0' || strchr("rcnd", a) == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "unexpected foreign key action "
		    "'%c' from the server", a);
	return fkaction(a);
}

/*
 * The definition of a primary key, unique constraint or foreign key,
 * into b, byte for byte as pg_get_constraintdef(oid) writes it
 * (ruleutils.c, pg_get_constraintdef_worker without fullCommand): the
 * referenced table always schema-qualified, as the session's search
 * path is empty.
 */
static void
rendercon(const struct ctx *c, unsigned long rel, int i, struct zn_buf *b)
{
	const PGresult *r = c->con.r;
	long nums[MAXKEYS];
	int n, natts, type = contype(c, i);
	const char *a;

	n = ints(PQgetvalue(r, i, K_KEY), nums, MAXKEYS);
	if (type == 'f') {
		zn_buf_adds(b, "FOREIGN KEY (");
		qcolumns(c, b, rel, nums, n);
		zn_buf_adds(b, ") REFERENCES ");
		qident(c, b, PQgetvalue(r, i, K_FSCHEMA));
		zn_buf_addch(b, '.');
		qident(c, b, PQgetvalue(r, i, K_FTABLE));
		zn_buf_addch(b, '(');
		n = ints(PQgetvalue(r, i, K_FKEY), nums, MAXKEYS);
		qcolumns(c, b, oidval(r, i, K_FREL), nums, n);
		zn_buf_addch(b, ')');
		switch (PQgetvalue(r, i, K_MATCH)[0]) {
		case 'f':
			zn_buf_adds(b, " MATCH FULL");
			break;
		case 'p':
			zn_buf_adds(b, " MATCH PARTIAL");
			break;
		case 's':
			break;
		default:
			zn_die(ZN_EXIT_UNAVAILABLE, "unexpected foreign key "
			    "match type from the server");
		}
		if (*(a = fkclause(PQgetvalue(r, i, K_UPD)[0])) != '\0') {
			zn_buf_adds(b, " ON UPDATE ");
			zn_buf_adds(b, a);
		}
		if (*(a = fkclause(PQgetvalue(r, i, K_DEL)[0])) != '\0') {
			zn_buf_adds(b, " ON DELETE ");
			zn_buf_adds(b, a);
		}
	} else {
		zn_buf_adds(b, type == 'p' ? "PRIMARY KEY " : "UNIQUE ");
		if (type == 'u' && PQgetvalue(r, i, K_NND)[0] == 't')
			zn_buf_adds(b, "NULLS NOT DISTINCT ");
		zn_buf_addch(b, '(');
		qcolumns(c, b, rel, nums, n);
		zn_buf_addch(b, ')');
		natts = atoi(PQgetvalue(r, i, K_INDNATTS));
		if (natts > n) {
			long all[MAXKEYS];
			int nall = ints(PQgetvalue(r, i, K_INDKEY), all, MAXKEYS);

			if (nall <= n)
				zn_die(ZN_EXIT_UNAVAILABLE, "unexpected index "
				    "of a key from the server: %d columns, %d "
				    "included", nall, natts - n);
			zn_buf_adds(b, " INCLUDE (");
			qcolumns(c, b, rel, all + n, nall - n);
			zn_buf_addch(b, ')');
		}
	}
	if (PQgetvalue(r, i, K_DEFERRABLE)[0] == 't')
		zn_buf_adds(b, " DEFERRABLE");
	if (PQgetvalue(r, i, K_DEFERRED)[0] == 't')
		zn_buf_adds(b, " INITIALLY DEFERRED");
	if (PQgetvalue(r, i, K_VALIDATED)[0] == 'f')
		zn_buf_adds(b, " NOT VALID");
}

/* Writes "key": and a definition written by the client. */
static void
kvdef(struct ctx *c, const char *key, const char *s, size_t n)
{
	char *f = zn_sql_fixpoint(s, n);

	zn_jw_key(&c->w, key);
	if (f != NULL)
		zn_jw_str(&c->w, f);
	else
		zn_jw_strn(&c->w, s, n);
	free(f);
}

/*
 * The client's rendering of a definition disagrees with the server's
 * (ZN_SNAPSHOT_CHECK): a defect here, never a property of the schema.
 */
static ZN_NORETURN void
renderdiffers(const char *what, const char *server, const char *client)
{
	zn_die(ZN_EXIT_UNAVAILABLE, "internal error: the %s definition "
	    "written here differs from the server's: server \"%s\", here "
	    "\"%s\"", what, server, client);
}

/* "definition": of constraint row i, from the server or rendercon(). */
static void
condefinition(struct ctx *c, unsigned long rel, int i)
{
	const PGresult *r = c->con.r;
	struct zn_buf b = ZN_BUF_INIT;

	if (PQgetvalue(r, i, K_CLIENT)[0] != 't') {
		kvx(c, "definition", r, i, K_DEF);
		return;
	}
	rendercon(c, rel, i, &b);
	if (c->check && strcmp(b.buf, PQgetvalue(r, i, K_DEF)) != 0)
		renderdiffers("constraint", PQgetvalue(r, i, K_DEF), b.buf);
	kvdef(c, "definition", b.buf, b.len);
	zn_buf_release(&b);
}

/* Checks that the server could still render a constraint. */
static void
condef(const struct ctx *c, int row, const char *schema)
{
	if (PQgetisnull(c->con.r, row, K_DEF) &&
	    PQgetvalue(c->con.r, row, K_CLIENT)[0] != 't' &&
	    PQgetisnull(c->con.r, row, K_TREE))
		vanished("constraint", schema, PQgetvalue(c->con.r, row,
		    K_NAME));
}

/* A primary key or unique constraint. */
static void
keyconstraint(struct ctx *c, unsigned long rel, int i)
{
	const PGresult *r = c->con.r;
	int unique = contype(c, i) == 'u';

	zn_jw_obj(&c->w);
	kv(c, "name", r, i, K_NAME);
	zn_jw_key(&c->w, "columns");
	conkey(c, rel, i);
	kv(c, "comment", r, i, K_COMMENT);
	kvb(c, "deferrable", r, i, K_DEFERRABLE);
	kvb(c, "deferred", r, i, K_DEFERRED);
	condefinition(c, rel, i);
	zn_jw_key(&c->w, "include");
	included(c, rel, r, i, K_INDKEY, K_INDNKEY, K_INDNATTS);
	if (unique)
		kvb(c, "nulls_not_distinct", r, i, K_NND);
	zn_jw_end(&c->w, '}');
}

/*
 * A check's expression is the text inside "CHECK (...)" of its
 * definition (pg_get_constraintdef renders it with the same deparser as
 * pg_get_expr), so the server parses the expression once, not twice.
 */
static void
checkexpr(struct ctx *c, const char *def)
{
	const char *start, *end;
	size_t n = strlen(def);
	char *f;

	zn_jw_key(&c->w, "expression");
	end = def + n;
	if (n >= 10 && strncmp(end - 10, " NOT VALID", 10) == 0)
		end -= 10;
	if (end - def >= 11 && strncmp(end - 11, " NO INHERIT", 11) == 0)
		end -= 11;
	if (strncmp(def, "CHECK (", 7) != 0 || end <= def + 7 ||
	    end[-1] != ')') {
		zn_die(ZN_EXIT_UNAVAILABLE, "unexpected check constraint "
		    "from the server: %s", def);
	}
	start = def + 7;
	f = zn_sql_fixpoint(start, (size_t)(end - 1 - start));
	if (f != NULL)
		zn_jw_str(&c->w, f);
	else
		zn_jw_strn(&c->w, start, (size_t)(end - 1 - start));
	free(f);
}

/*
 * A check constraint: its definition written from its tree (c->cdef),
 * else the server's, in the constraints' query or c->cdefs.
 */
static void
check(struct ctx *c, unsigned long rel, int i)
{
	const PGresult *r = c->con.r, *dr = r;
	const char *def = c->cdef != NULL ? c->cdef[i] : NULL;
	int drow = i, dcol = K_DEF;

	if (def == NULL && PQgetisnull(r, i, K_DEF)) {
		dr = c->cdefs;
		dcol = 1;
		if (dr == NULL || (drow = oidrow(dr, 0, oidval(r, i,
		    K_OID))) < 0 || PQgetisnull(dr, drow, 1))
			vanished("constraint", PQgetvalue(c->rels,
			    oidrow(c->rels, R_OID, rel), R_SCHEMA),
			    PQgetvalue(r, i, K_NAME));
	}
	if (def != NULL && c->check && strcmp(def, PQgetvalue(r, i,
	    K_DEF)) != 0)
		renderdiffers("check constraint", PQgetvalue(r, i, K_DEF),
		    def);
	zn_jw_obj(&c->w);
	kv(c, "name", r, i, K_NAME);
	kv(c, "comment", r, i, K_COMMENT);
	if (def != NULL) {
		kvdef(c, "definition", def, strlen(def));
		checkexpr(c, def);
	} else {
		kvx(c, "definition", dr, drow, dcol);
		checkexpr(c, PQgetvalue(dr, drow, dcol));
	}
	kvb(c, "inherited", r, i, K_INHERITED);
	kvb(c, "no_inherit", r, i, K_NOINHERIT);
	kvbool(c, "not_valid", PQgetvalue(r, i, K_VALIDATED)[0] == 'f');
	zn_jw_end(&c->w, '}');
}

static void
exclusion(struct ctx *c, unsigned long rel, int i)
{
	const PGresult *r = c->con.r;

	(void)rel;
	zn_jw_obj(&c->w);
	kv(c, "name", r, i, K_NAME);
	kv(c, "comment", r, i, K_COMMENT);
	kvb(c, "deferrable", r, i, K_DEFERRABLE);
	kvb(c, "deferred", r, i, K_DEFERRED);
	kvx(c, "definition", r, i, K_DEF);
	zn_jw_end(&c->w, '}');
}

static void
foreignkey(struct ctx *c, unsigned long rel, int i)
{
	const PGresult *r = c->con.r;
	long nums[MAXKEYS];

	zn_jw_obj(&c->w);
	kv(c, "name", r, i, K_NAME);
	zn_jw_key(&c->w, "columns");
	conkey(c, rel, i);
	kv(c, "comment", r, i, K_COMMENT);
	kvb(c, "deferrable", r, i, K_DEFERRABLE);
	kvb(c, "deferred", r, i, K_DEFERRED);
	condefinition(c, rel, i);
	kvs(c, "match", fkmatch(PQgetvalue(r, i, K_MATCH)[0]));
	kvbool(c, "not_valid", PQgetvalue(r, i, K_VALIDATED)[0] == 'f');
	kvs(c, "on_delete", fkaction(PQgetvalue(r, i, K_DEL)[0]));
	kvs(c, "on_update", fkaction(PQgetvalue(r, i, K_UPD)[0]));
	zn_jw_key(&c->w, "references");
	zn_jw_obj(&c->w);
	kv(c, "schema", r, i, K_FSCHEMA);
	kv(c, "table", r, i, K_FTABLE);
	zn_jw_key(&c->w, "columns");
	colnames(c, oidval(r, i, K_FREL), nums,
	    ints(PQgetvalue(r, i, K_FKEY), nums, MAXKEYS));
	zn_jw_end(&c->w, '}');
	zn_jw_end(&c->w, '}');
}

/*
 * Writes "key": and an array of the relation's constraints of one type
 * (rows sorted by name), each written by one().
 */
static void
conarray(struct ctx *c, const char *key, int type, unsigned long rel,
    const char *schema, void (*one)(struct ctx *, unsigned long, int))
{
	int i;

	zn_jw_key(&c->w, key);
	zn_jw_arr(&c->w);
	for (i = c->con.row; i < c->con.end; i++)
		if (contype(c, i) == type) {
			condef(c, i, schema);
			one(c, rel, i);
		}
	zn_jw_end(&c->w, ']');
}

static const char *
opclass(const struct ctx *c, unsigned long oid)
{
	int row = oidrow(c->opclasses, O_OID, oid);

	return row >= 0 ? PQgetvalue(c->opclasses, row, O_NAME) : NULL;
}

/*
 * Whether a column of type typ (info: what q_columns says of its type)
 * coerces to input type target of polymorphic kind poly, as
 * IsBinaryCoercible() answers.
 */
static int
coercible(const struct ctx *c, unsigned long typ, const char *info,
    unsigned long target, char poly)
{
	const PGresult *r = c->bincasts;
	int array = info[0] == 'a' || info[0] == 'A', lo = 0, hi, mid;
	unsigned long s, t;

	if (typ == target)
		return 1;
	switch (poly) {
	case 'Y':
		return 1;
	case 'A':
		if (array)
			return 1;
		break;
	case 'N':
		if (!array)
			return 1;
		break;
	case 'E':
	case 'R':
	case 'M':
		if (info[0] == poly - 'A' + 'a')
			return 1;
		break;
	case 'C':
		if (info[0] == 'c')
			return 1;
		break;
	case 'D':
		if (info[0] == 'A')
			return 1;
		break;
	}
	hi = r != NULL ? PQntuples(r) : 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		s = oidval(r, mid, 0);
		t = oidval(r, mid, 1);
		if (s < typ || (s == typ && t < target))
			lo = mid + 1;
		else
			hi = mid;
	}
	return r != NULL && lo < PQntuples(r) && oidval(r, lo, 0) == typ &&
	    oidval(r, lo, 1) == target;
}

/*
 * The OID of the operator class GetDefaultOpClass(typ, method) chooses
 * for a column of type typ (not a domain); 0 for none, 1 when the server
 * would fail.
 */
static unsigned long
defaultclass(struct ctx *c, unsigned long typ, const char *info,
    unsigned long method)
{
	const PGresult *o = c->opclasses;
	unsigned long result = 0;
	int i, nexact = 0, npref = 0, ncompat = 0;

	if (c->opcs == NULL) {
		c->opcs = zn_xcalloc((size_t)PQntuples(o) + 1,
		    sizeof(*c->opcs));
		for (i = 0; i < PQntuples(o); i++) {
			struct opc *p = &c->opcs[c->nopcs];

			if (PQgetvalue(o, i, O_DEFAULT)[0] != 't')
				continue;
			p->oid = oidval(o, i, O_OID);
			p->intype = oidval(o, i, O_INTYPE);
			p->method = oidval(o, i, O_METHOD);
			p->category = PQgetvalue(o, i, O_CATEGORY)[0];
			p->preferred = PQgetvalue(o, i, O_PREFERRED)[0] == 't';
			p->poly = PQgetvalue(o, i, O_POLY)[0];
			c->nopcs++;
		}
	}
	for (i = 0; i < c->nopcs; i++) {
		const struct opc *p = &c->opcs[i];

		if (p->method != method)
			continue;
		if (p->intype == typ) {
			nexact++;
			result = p->oid;
		} else if (nexact == 0 && coercible(c, typ, info, p->intype,
		    p->poly)) {
			if (p->category == info[1] && p->preferred) {
				npref++;
				result = p->oid;
			} else if (npref == 0) {
				ncompat++;
				result = p->oid;
			}
		}
	}
	if (nexact == 1)
		return result;
	if (nexact > 1)
		return 1;
	if (npref == 1 || (npref == 0 && ncompat == 1))
		return result;
	return 0;
}

/*
 * The definition of index row i, into b, byte for byte as
 * pg_get_indexdef(oid) writes it (ruleutils.c, pg_get_indexdef_worker),
 * for an index IDXCLIENT lets the client write.  Returns 0, with b
 * undefined, when a key's collation is not its column's or expression's,
 * its operator class is not provably the default for the key's type
 * (that takes GetDefaultOpClass's rules of binary coercion), or deparse.c
 * cannot write a key's expression or the predicate: the server renders
 * those.
 */
static int
renderindex(struct ctx *c, int i, struct zn_buf *b)
{
	const PGresult *r = c->idx.r;
	unsigned long rel = oidval(r, i, I_REL), dflt, typ, kcoll;
	const char *info;
	long key[MAXKEYS], cls[MAXKEYS], opt[MAXKEYS], coll[MAXKEYS];
	int nkey, natts, ncls, nopt, ncoll, k, col, oc, rrow, e = 0, paren;
	int ordered = PQgetvalue(r, i, I_ORDERED)[0] == 't';
	const struct zn_nt *xt = c->itree != NULL ? c->itree[i] : NULL;
	const struct zn_nt *pt = c->ipred != NULL ? c->ipred[i] : NULL;

	if (c->decline || (rrow = oidrow(c->rels, R_OID, rel)) < 0 ||
	    (xt == NULL && !PQgetisnull(r, i, I_EXPRTREE)) ||
	    (pt == NULL && !PQgetisnull(r, i, I_PREDTREE)))
		return 0;
	natts = ints(PQgetvalue(r, i, I_KEY), key, MAXKEYS);
	ncls = ints(PQgetvalue(r, i, I_CLASS), cls, MAXKEYS);
	nopt = ints(PQgetvalue(r, i, I_OPTION), opt, MAXKEYS);
	ncoll = ints(PQgetvalue(r, i, I_COLL), coll, MAXKEYS);
	if (atoi(PQgetvalue(r, i, I_NATTS)) < natts)
		natts = atoi(PQgetvalue(r, i, I_NATTS));
	nkey = atoi(PQgetvalue(r, i, I_NKEY));
	if (nkey > natts || ncls < nkey || ncoll < nkey || nopt < nkey)
		return 0;
	zn_buf_adds(b, PQgetvalue(r, i, I_UNIQUE)[0] == 't' ?
	    "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	qident(c, b, PQgetvalue(r, i, I_NAME));
	zn_buf_adds(b, " ON ");
	qident(c, b, PQgetvalue(c->rels, rrow, R_SCHEMA));
	zn_buf_addch(b, '.');
	qident(c, b, PQgetvalue(c->rels, rrow, R_NAME));
	zn_buf_adds(b, " USING ");
	qident(c, b, PQgetvalue(r, i, I_METHOD));
	zn_buf_adds(b, " (");
	for (k = 0; k < natts; k++) {
		if (key[k] < 0 || (key[k] == 0 && (k >= nkey || xt == NULL ||
		    e >= zn_nt_count(xt))))
			return 0;
		if (k == nkey)
			zn_buf_adds(b, ") INCLUDE (");
		else if (k > 0)
			zn_buf_adds(b, ", ");
		if (key[k] == 0) {
			/* pg_get_indexdef_worker: parentheses unless a call. */
			paren = !zn_nt_funclike(xt, e);
			if (paren)
				zn_buf_addch(b, '(');
			if (!deparse(c, rel, xt, e, b))
				return 0;
			if (paren)
				zn_buf_addch(b, ')');
			typ = zn_nt_type(xt, e);
			kcoll = zn_nt_collation(xt, e);
			info = zn_dpnames_typinfo(c->names, typ);
			e++;
		} else {
			qident(c, b, attname(c, rel, key[k]));
			if (k >= nkey)
				continue;
			col = findrow(&c->keys[0], c->columns, C_REL, C_NUM,
			    rel, key[k]);
			if (col < 0)
				return 0;
			typ = oidval(c->columns, col, C_TYPID);
			kcoll = oidval(c->columns, col, C_COLLID);
			info = PQgetvalue(c->columns, col, C_TYPINFO);
		}
		oc = oidrow(c->opclasses, O_OID, (unsigned long)cls[k]);
		/* A domain's default is its base type's: left to the server. */
		if (oc < 0 || info == NULL || info[0] == 'd' ||
		    info[1] == '\0' || (coll[k] != 0 &&
		    (unsigned long)coll[k] != kcoll))
			return 0;
		dflt = defaultclass(c, typ, info, oidval(c->opclasses, oc,
		    O_METHOD));
		if (dflt == 1)
			return 0;
		if (dflt != (unsigned long)cls[k]) {
			zn_buf_addch(b, ' ');
			if (strcmp(PQgetvalue(c->opclasses, oc, O_SCHEMA),
			    "pg_catalog") != 0) {
				qident(c, b, PQgetvalue(c->opclasses, oc,
				    O_SCHEMA));
				zn_buf_addch(b, '.');
			}
			qident(c, b, PQgetvalue(c->opclasses, oc, O_CLASS));
		}
		if (!ordered)
			continue;
		if ((opt[k] & 1) != 0) {
			zn_buf_adds(b, " DESC");
			if ((opt[k] & 2) == 0)
				zn_buf_adds(b, " NULLS LAST");
		} else if ((opt[k] & 2) != 0)
			zn_buf_adds(b, " NULLS FIRST");
	}
	if (xt != NULL && e != zn_nt_count(xt))
		return 0;
	zn_buf_addch(b, ')');
	if (PQgetvalue(r, i, I_NND)[0] == 't')
		zn_buf_adds(b, " NULLS NOT DISTINCT");
	if (pt != NULL) {
		zn_buf_adds(b, " WHERE ");
		if (!deparse(c, rel, pt, 0, b))
			return 0;
	}
	return 1;
}

/* The key expressions and predicate of an index, as spans of text. */
struct idxparts {
	const char *key[MAXKEYS];	/* a key's expression, or NULL */
	size_t keylen[MAXKEYS];
	int nkeys;
	const char *pred;		/* or NULL */
	size_t predlen;
};

/*
 * Splits a definition pg_get_indexdef() wrote into the text of each key
 * of its column list that holds an expression (what
 * pg_get_indexdef(oid, column, false) writes: a function call, or the
 * expression in parentheses, so up to the parenthesis that closes the
 * first one), and its predicate (what follows " WHERE ", as pg_get_expr
 * writes it).  Returns 0 when the text is not of that shape.
 */
static int
splitindex(const char *def, struct idxparts *p)
{
	struct zn_toks ts;
	const struct zn_tok *t;
	const char *end;
	size_t i, start;
	int depth, ok = 0;

	memset(&ts, 0, sizeof(ts));
	memset(p, 0, sizeof(*p));
	zn_sql_tokens(&ts, def);
	if (ts.bad)
		goto out;
	/* CREATE [UNIQUE] INDEX name ON [ONLY] table USING method ( */
	for (i = 0; i < ts.n && !(ts.v[i].t == ZN_TK_WORD &&
	    zn_tok_is(&ts.v[i], "USING")); i++)
		if (ts.v[i].t != ZN_TK_WORD && ts.v[i].t != ZN_TK_QIDENT &&
		    ts.v[i].t != ZN_TK_DOT)
			goto out;
	if (i + 2 >= ts.n || ts.v[i + 2].t != ZN_TK_LPAREN)
		goto out;
	for (i += 3;; i++) {
		if (p->nkeys == MAXKEYS)
			goto out;
		start = i;
		end = NULL;
		for (depth = 0; i < ts.n; i++) {
			t = &ts.v[i];
			if (t->t == ZN_TK_LPAREN || t->t == ZN_TK_LBRACKET)
				depth++;
			else if (t->t == ZN_TK_RPAREN ||
			    t->t == ZN_TK_RBRACKET) {
				if (depth == 0)
					break;
				if (--depth == 0 && end == NULL &&
				    t->t == ZN_TK_RPAREN)
					end = t->s + t->n;
			} else if (depth == 0 && t->t == ZN_TK_COMMA)
				break;
		}
		if (i >= ts.n || i == start)
			goto out;
		if (end != NULL) {
			p->key[p->nkeys] = ts.v[start].s;
			p->keylen[p->nkeys] = (size_t)(end - ts.v[start].s);
		}
		p->nkeys++;
		if (ts.v[i].t != ZN_TK_COMMA)
			break;
	}
	if (ts.v[i].t != ZN_TK_RPAREN)
		goto out;
	/* INCLUDE (...), NULLS NOT DISTINCT, WITH (...), WHERE pred */
	for (depth = 0, i++; i < ts.n; i++) {
		t = &ts.v[i];
		if (t->t == ZN_TK_LPAREN || t->t == ZN_TK_LBRACKET)
			depth++;
		else if (t->t == ZN_TK_RPAREN || t->t == ZN_TK_RBRACKET)
			depth--;
		else if (depth == 0 && t->t == ZN_TK_WORD &&
		    zn_tok_is(t, "WHERE")) {
			if (t->s[t->n] != ' ' || t->s[t->n + 1] == '\0')
				goto out;
			p->pred = t->s + t->n + 1;
			p->predlen = strlen(p->pred);
			break;
		}
	}
	ok = 1;
out:
	zn_sql_tokens_release(&ts);
	return ok;
}

/* Whether index row i has a key expression or a predicate. */
static int
hastexts(const PGresult *r, int i)
{
	long key[MAXKEYS];
	int n = ints(PQgetvalue(r, i, I_KEY), key, MAXKEYS), k;

	if (atoi(PQgetvalue(r, i, I_NKEY)) < n)
		n = atoi(PQgetvalue(r, i, I_NKEY));
	for (k = 0; k < n; k++)
		if (key[k] == 0)
			return 1;
	return PQgetvalue(r, i, I_HASPRED)[0] == 't';
}

/*
 * Splits index row i's definition def (renderindex's, or the server's),
 * checking that each key's expression is one of the definition's and the
 * predicate is there as the index has one.
 */
static int
indexparts(const struct ctx *c, const PGresult *r, int i, const char *def,
    struct idxparts *p)
{
	long key[MAXKEYS];
	int n = ints(PQgetvalue(r, i, I_KEY), key, MAXKEYS), k;

	if (c->decline || def == NULL || !splitindex(def, p))
		return 0;
	if (atoi(PQgetvalue(r, i, I_NKEY)) < n)
		n = atoi(PQgetvalue(r, i, I_NKEY));
	if (p->nkeys != n || (p->pred != NULL) !=
	    (PQgetvalue(r, i, I_HASPRED)[0] == 't'))
		return 0;
	for (k = 0; k < n; k++)
		if (key[k] == 0 && p->key[k] == NULL)
			return 0;
	return 1;
}

/*
 * What the client makes of index row i, once: its definition written by
 * renderindex() (NULL when the server must), and its key expressions and
 * predicate split from that definition or the server's (NULL when it has
 * none, or they cannot be taken apart).
 */
struct idxmemo {
	int done;
	char *def;
	struct idxparts *parts;
};

static const struct idxmemo *
idxmemo(struct ctx *c, int i)
{
	const PGresult *r = c->idx.r;
	struct idxmemo *m;
	struct zn_buf b = ZN_BUF_INIT;

	if (c->im == NULL) {
		c->nim = PQntuples(r);
		c->im = zn_xcalloc((size_t)c->nim + 1, sizeof(*c->im));
	}
	m = &c->im[i];
	if (m->done)
		return m;
	m->done = 1;
	if (PQgetvalue(r, i, I_CLIENT)[0] == 't' && renderindex(c, i, &b))
		m->def = zn_buf_detach(&b);
	zn_buf_release(&b);
	if (hastexts(r, i)) {
		m->parts = zn_xmalloc(sizeof(*m->parts));
		if (!indexparts(c, r, i, m->def != NULL ? m->def :
		    PQgetisnull(r, i, I_DEF) ? NULL : PQgetvalue(r, i, I_DEF),
		    m->parts)) {
			free(m->parts);
			m->parts = NULL;
		}
	}
	return m;
}

static void
idxmemo_release(struct ctx *c)
{
	int i;

	for (i = 0; i < c->nim; i++) {
		free(c->im[i].def);
		free(c->im[i].parts);
	}
	free(c->im);
	c->im = NULL;
	c->nim = 0;
}

/* Each OID of $1 and what the server's function f renders of it. */
#define RENDERED(f) "SELECT x.oid, pg_catalog." f "(x.oid) " \
    "FROM pg_catalog.unnest($1::pg_catalog.oid[]) x(oid) ORDER BY 1"

/*
 * Runs sql, whose $1 is an OID array, on the OIDs in column col of the
 * rows of r that want() picks; NULL when it picks none.
 */
static PGresult *
byoid(struct ctx *c, const char *what, const char *sql, const PGresult *r,
    int col, int (*want)(struct ctx *, int))
{
	struct zn_buf oids = ZN_BUF_INIT;
	PGresult *res = NULL;
	int i, n = 0;

	zn_buf_addch(&oids, '{');
	for (i = 0; i < PQntuples(r); i++) {
		if (!want(c, i))
			continue;
		if (n++ > 0)
			zn_buf_addch(&oids, ',');
		zn_buf_adds(&oids, PQgetvalue(r, i, col));
	}
	zn_buf_addch(&oids, '}');
	if (n > 0)
		res = run(c, what, sql, oids.buf);
	zn_buf_release(&oids);
	return res;
}

/* An index the client was to write but renderindex() cannot. */
static int
wantidxdef(struct ctx *c, int i)
{
	return PQgetvalue(c->idx.r, i, I_CLIENT)[0] == 't' &&
	    idxmemo(c, i)->def == NULL;
}

/* Expressions and predicates splitindex() cannot take apart. */
static int
wantidxtexts(struct ctx *c, int i)
{
	return hastexts(c->idx.r, i) && idxmemo(c, i)->parts == NULL;
}

/*
 * Before the snapshot's transaction ends: the server renders the indexes
 * the client was to write but renderindex() cannot (c->idxdefs), and the
 * texts of their keys and predicates (c->idxtexts).
 */
static void
serverindexes(struct ctx *c)
{
	c->idxdefs = byoid(c, "read index definitions",
	    RENDERED("pg_get_indexdef"), c->idx.r, I_OID, wantidxdef);
	c->idxtexts = byoid(c, "read index expressions",
	    "SELECT i.indexrelid, " IDXEXPRS ", "
	    "pg_catalog.pg_get_expr(i.indpred, i.indrelid) "
	    "FROM pg_catalog.pg_index i "
	    "WHERE i.indexrelid = ANY ($1::pg_catalog.oid[]) "
	    "ORDER BY 1", c->idx.r, I_OID, wantidxtexts);
}

/* Parses tree column col of row i of r into (*v)[i], adding its OIDs. */
static void
parsetree(const PGresult *r, int i, int col, struct zn_nt ***v,
    struct zn_buf *oids)
{
	if (*v == NULL)
		*v = zn_xcalloc((size_t)PQntuples(r) + 1, sizeof(**v));
	if (!PQgetisnull(r, i, col) && ((*v)[i] = zn_nt_parse(PQgetvalue(r,
	    i, col))) != NULL)
		zn_nt_oids((*v)[i], oids);
}

static int
cmpoid(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/*
 * ",a,b,a" in b made the array literal "{a,b}": the planner's estimate
 * of "= ANY" takes time for each element.
 */
static void
distinct(struct zn_buf *b)
{
	unsigned long *v = NULL;
	size_t n = 0, cap = 0, i;
	const char *p;
	char *end;

	for (p = b->buf; *p == ','; p = end) {
		if (n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			v = zn_xreallocarray(v, cap, sizeof(*v));
		}
		v[n++] = strtoul(p + 1, &end, 10);
	}
	qsort(v, n, sizeof(*v), cmpoid);
	zn_buf_reset(b);
	zn_buf_addch(b, '{');
	for (i = 0; i < n; i++)
		if (i == 0 || v[i] != v[i - 1])
			zn_buf_addf(b, i == 0 ? "%lu" : ",%lu", v[i]);
	zn_buf_addch(b, '}');
	free(v);
}

/*
 * Once the constraints and indexes are in: the node trees of checks and
 * of the indexes the client writes parsed, and the names they use read
 * (c->names).  Not when a text's bytes would reach the client converted
 * (another client encoding).
 */
static void
trees(struct ctx *c)
{
	const PGresult *r;
	struct zn_buf oids = ZN_BUF_INIT;
	const char *se = PQparameterStatus(c->conn, "server_encoding");
	const char *ce = PQparameterStatus(c->conn, "client_encoding");
	int i;

	if (c->decline || se == NULL || ce == NULL || strcmp(se, ce) != 0)
		return;
	for (r = c->con.r, i = 0; i < PQntuples(r); i++)
		parsetree(r, i, K_TREE, &c->ctree, &oids);
	for (r = c->idx.r, i = 0; i < PQntuples(r); i++)
		if (PQgetvalue(r, i, I_CLIENT)[0] == 't') {
			parsetree(r, i, I_EXPRTREE, &c->itree, &oids);
			parsetree(r, i, I_PREDTREE, &c->ipred, &oids);
		}
	if (oids.len > 0) {
		distinct(&oids);
		c->names = zn_dpnames_new(run(c, "read what expressions name",
		    c->namesql, oids.buf));
	}
	zn_buf_release(&oids);
}

/* Once the columns are in too: the checks written from their trees. */
static void
checkdefs(struct ctx *c)
{
	const PGresult *r = c->con.r;
	struct zn_buf b = ZN_BUF_INIT;
	unsigned long rel;
	int i;

	if (c->ctree == NULL)
		return;
	c->cdef = zn_xcalloc((size_t)PQntuples(r) + 1, sizeof(*c->cdef));
	for (i = 0; i < PQntuples(r); i++) {
		if (c->ctree[i] == NULL)
			continue;
		rel = oidval(r, i, K_REL);
		zn_buf_reset(&b);
		zn_buf_adds(&b, "CHECK (");
		if (!deparse(c, rel, c->ctree[i], 0, &b))
			continue;
		zn_buf_addch(&b, ')');
		/* pg_get_constraintdef_worker's order. */
		if (PQgetvalue(r, i, K_NOINHERIT)[0] == 't')
			zn_buf_adds(&b, " NO INHERIT");
		if (PQgetvalue(r, i, K_VALIDATED)[0] == 'f')
			zn_buf_adds(&b, " NOT VALID");
		c->cdef[i] = zn_xstrdup(b.buf);
	}
	zn_buf_release(&b);
}

/* A check the client did not write and the server has not yet. */
static int
wantcheck(struct ctx *c, int i)
{
	const PGresult *r = c->con.r;

	return !PQgetisnull(r, i, K_TREE) && PQgetisnull(r, i, K_DEF) &&
	    (c->cdef == NULL || c->cdef[i] == NULL);
}

/* The server's definitions of the checks checkdefs() could not write. */
static void
serverchecks(struct ctx *c)
{
	c->cdefs = byoid(c, "read check constraints",
	    RENDERED("pg_get_constraintdef"), c->con.r, K_OID, wantcheck);
}

/* "definition": of index row i: the server's, or renderindex()'s. */
static void
idxdefinition(struct ctx *c, int i, const char *schema)
{
	const PGresult *r = c->idx.r;
	const char *def = idxmemo(c, i)->def;
	int row;

	if (def != NULL) {
		if (c->check && strcmp(def, PQgetvalue(r, i, I_DEF)) != 0)
			renderdiffers("index", PQgetvalue(r, i, I_DEF), def);
		kvdef(c, "definition", def, strlen(def));
	} else if (!PQgetisnull(r, i, I_DEF))
		kvx(c, "definition", r, i, I_DEF);
	else if (c->idxdefs != NULL && (row = oidrow(c->idxdefs, 0,
	    oidval(r, i, I_OID))) >= 0 && !PQgetisnull(c->idxdefs, row, 1))
		kvx(c, "definition", c->idxdefs, row, 1);
	else
		vanished("index", schema, PQgetvalue(r, i, I_NAME));
}

/* Reads the expressions of an index ("{expr,...}") one by one. */
struct exprs {
	struct ctx *c;
	const char *p;
};

/*
 * Writes the next expression of x, or the one given (from splitindex),
 * which ZN_SNAPSHOT_CHECK compares with the server's next.
 */
static void
nextexpr(struct exprs *x, const char *given, size_t len)
{
	struct zn_buf *e = &x->c->scratch;
	int quoted, more = x->p != NULL && *x->p != '\0' && *x->p != '}';
	char *f;

	if (more)
		x->p = arrelem(x->p, e, &quoted);
	if (given != NULL) {
		if (x->c->check && (!more || e->len != len ||
		    memcmp(e->buf, given, len) != 0)) {
			char *g = zn_xasprintf("%.*s", (int)len, given);

			renderdiffers("index expression", more ? e->buf : "",
			    g);
		}
	} else if (more) {
		given = e->buf;
		len = e->len;
	} else {
		zn_jw_null(&x->c->w);
		return;
	}
	if ((f = zn_sql_fixpoint(given, len)) != NULL) {
		zn_jw_str(&x->c->w, f);
		free(f);
	} else
		zn_jw_strn(&x->c->w, given, len);
}

/*
 * Where index row i's key expressions and predicate come from: its
 * definition (*split), else the server's text: row i's own columns under
 * ZN_SNAPSHOT_CHECK, else the row of c->idxtexts.  Sets *tr, *trow and
 * the columns.
 */
static void
textsource(struct ctx *c, const PGresult *r, int i, const char *schema,
    const struct idxparts **p, int *split, const PGresult **tr, int *trow,
    int *ecol, int *pcol)
{
	*p = idxmemo(c, i)->parts;
	*split = *p != NULL;
	if (c->check) {
		*tr = r;
		*trow = i;
		*ecol = I_EXPRS;
		*pcol = I_PRED;
		return;
	}
	*tr = c->idxtexts;
	*trow = *split || !hastexts(r, i) ? -1 : oidrow(c->idxtexts, 0,
	    oidval(r, i, I_OID));
	*ecol = 1;
	*pcol = 2;
	if (!*split && hastexts(r, i) && *trow < 0)
		vanished("index", schema, PQgetvalue(r, i, I_NAME));
}

static void
indexkeys(struct ctx *c, unsigned long rel, const PGresult *r, int i,
    const struct idxparts *p, const PGresult *tr, int trow, int ecol)
{
	long key[MAXKEYS], cls[MAXKEYS], opt[MAXKEYS];
	int nkey, ncls, nopt, k, ordered;
	struct exprs x;

	nkey = ints(PQgetvalue(r, i, I_KEY), key, MAXKEYS);
	ncls = ints(PQgetvalue(r, i, I_CLASS), cls, MAXKEYS);
	nopt = ints(PQgetvalue(r, i, I_OPTION), opt, MAXKEYS);
	if (atoi(PQgetvalue(r, i, I_NKEY)) < nkey)
		nkey = atoi(PQgetvalue(r, i, I_NKEY));
	ordered = PQgetvalue(r, i, I_ORDERED)[0] == 't';
	x.c = c;
	x.p = trow < 0 || PQgetisnull(tr, trow, ecol) ? NULL :
	    PQgetvalue(tr, trow, ecol) + 1;
	zn_jw_arr(&c->w);
	for (k = 0; k < nkey; k++) {
		zn_jw_obj(&c->w);
		zn_jw_key(&c->w, "column");
		zn_jw_str(&c->w, key[k] != 0 ? attname(c, rel, key[k]) : NULL);
		zn_jw_key(&c->w, "expression");
		if (key[k] == 0)
			nextexpr(&x, p != NULL ? p->key[k] : NULL, p != NULL ?
			    p->keylen[k] : 0);
		else
			zn_jw_null(&c->w);
		zn_jw_key(&c->w, "nulls");
		zn_jw_str(&c->w, !ordered ? NULL : k < nopt &&
		    (opt[k] & 2) != 0 ? "first" : "last");
		zn_jw_key(&c->w, "opclass");
		zn_jw_str(&c->w, k < ncls ? opclass(c, (unsigned long)cls[k]) :
		    NULL);
		zn_jw_key(&c->w, "order");
		zn_jw_str(&c->w, !ordered ? NULL : k < nopt &&
		    (opt[k] & 1) != 0 ? "desc" : "asc");
		zn_jw_end(&c->w, '}');
	}
	zn_jw_end(&c->w, ']');
}

static void
indexes(struct ctx *c, unsigned long rel, const char *schema)
{
	const PGresult *r = c->idx.r, *tr;
	const struct idxparts *p;
	int i, split, trow, ecol, pcol;

	zn_jw_key(&c->w, "indexes");
	zn_jw_arr(&c->w);
	for (i = c->idx.row; i < c->idx.end; i++) {
		textsource(c, r, i, schema, &p, &split, &tr, &trow, &ecol,
		    &pcol);
		zn_jw_obj(&c->w);
		kv(c, "name", r, i, I_NAME);
		kv(c, "comment", r, i, I_COMMENT);
		idxdefinition(c, i, schema);
		zn_jw_key(&c->w, "include");
		included(c, rel, r, i, I_KEY, I_NKEY, I_NATTS);
		zn_jw_key(&c->w, "keys");
		indexkeys(c, rel, r, i, p, tr, trow, ecol);
		kv(c, "method", r, i, I_METHOD);
		kvb(c, "nulls_not_distinct", r, i, I_NND);
		kva(c, "options", r, i, I_OPTIONS);
		zn_jw_key(&c->w, "parent");
		if (PQgetisnull(r, i, I_PNAME))
			zn_jw_null(&c->w);
		else {
			zn_jw_obj(&c->w);
			kv(c, "schema", r, i, I_PSCHEMA);
			kv(c, "name", r, i, I_PNAME);
			zn_jw_end(&c->w, '}');
		}
		if (!PQgetisnull(r, i, I_STATS))
			kva(c, "statistics", r, i, I_STATS);
		kvb(c, "unique", r, i, I_UNIQUE);
		kvb(c, "valid", r, i, I_VALID);
		if (split && p->pred != NULL) {
			struct zn_buf b = ZN_BUF_INIT;

			zn_buf_add(&b, p->pred, p->predlen);
			if (c->check && (PQgetisnull(r, i, I_PRED) ||
			    strcmp(PQgetvalue(r, i, I_PRED), b.buf) != 0))
				renderdiffers("index predicate",
				    PQgetvalue(r, i, I_PRED), b.buf);
			kvdef(c, "where", b.buf, b.len);
			zn_buf_release(&b);
		} else if (trow >= 0 && !split)
			kvx(c, "where", tr, trow, pcol);
		else {
			if (c->check && !PQgetisnull(r, i, I_PRED))
				renderdiffers("index predicate",
				    PQgetvalue(r, i, I_PRED), "");
			kvs(c, "where", NULL);
		}
		zn_jw_end(&c->w, '}');
	}
	zn_jw_end(&c->w, ']');
}

static void
policies(struct ctx *c)
{
	const PGresult *r = c->pol.r;
	int i;

	zn_jw_key(&c->w, "policies");
	zn_jw_arr(&c->w);
	for (i = c->pol.row; i < c->pol.end; i++) {
		zn_jw_obj(&c->w);
		kv(c, "name", r, i, P_NAME);
		kvs(c, "command", polcmd(PQgetvalue(r, i, P_CMD)[0]));
		kv(c, "comment", r, i, P_COMMENT);
		kvb(c, "permissive", r, i, P_PERMISSIVE);
		kva(c, "roles", r, i, P_ROLES);
		kvx(c, "using", r, i, P_USING);
		kvx(c, "with_check", r, i, P_CHECK);
		zn_jw_end(&c->w, '}');
	}
	zn_jw_end(&c->w, ']');
}

/* Writes parents as [{schema, name}] (inherits) or one (partition_of). */
static void
parents(struct ctx *c, const PGresult *rels, int row)
{
	const PGresult *h = c->inh.r;
	int i, partition = !PQgetisnull(rels, row, R_BOUND);

	zn_jw_key(&c->w, "inherits");
	zn_jw_arr(&c->w);
	for (i = c->inh.row; !partition && i < c->inh.end; i++) {
		zn_jw_obj(&c->w);
		kv(c, "schema", h, i, H_SCHEMA);
		kv(c, "name", h, i, H_NAME);
		zn_jw_end(&c->w, '}');
	}
	zn_jw_end(&c->w, ']');
	kva(c, "options", rels, row, R_OPTIONS);
	kv(c, "partition_key", rels, row, R_PARTKEY);
	zn_jw_key(&c->w, "partition_of");
	if (!partition || c->inh.row == c->inh.end) {
		zn_jw_null(&c->w);
		return;
	}
	zn_jw_obj(&c->w);
	kv(c, "schema", h, c->inh.row, H_SCHEMA);
	kv(c, "name", h, c->inh.row, H_NAME);
	kv(c, "bound", rels, row, R_BOUND);
	zn_jw_end(&c->w, '}');
}

static void
table(struct ctx *c, int row, unsigned long rel)
{
	const PGresult *r = c->rels;
	const char *schema = PQgetvalue(r, row, R_SCHEMA);
	int i;

	zn_jw_obj(&c->w);
	kvs(c, "kind", "table");
	kv(c, "schema", r, row, R_SCHEMA);
	kv(c, "name", r, row, R_NAME);
	kv(c, "access_method", r, row, R_AM);
	conarray(c, "checks", 'c', rel, schema, check);
	privileges(c, "column_privileges", 'c', rel);
	columns(c, 1);
	kv(c, "comment", r, row, R_COMMENT);
	conarray(c, "exclusions", 'x', rel, schema, exclusion);
	conarray(c, "foreign_keys", 'f', rel, schema, foreignkey);
	indexes(c, rel, schema);
	parents(c, r, row);
	kvs(c, "persistence", persistence(PQgetvalue(r, row, R_PERSIST)[0]));
	policies(c);
	zn_jw_key(&c->w, "primary_key");
	for (i = c->con.row; i < c->con.end && contype(c, i) != 'p'; i++)
		;
	if (i < c->con.end) {
		condef(c, i, schema);
		keyconstraint(c, rel, i);
	} else
		zn_jw_null(&c->w);
	privileges(c, "privileges", 'r', rel);
	kvs(c, "replica_identity", replident(PQgetvalue(r, row,
	    R_REPLIDENT)[0]));
	zn_jw_key(&c->w, "rls");
	zn_jw_obj(&c->w);
	kvb(c, "enabled", r, row, R_RLS);
	kvb(c, "forced", r, row, R_FORCE);
	zn_jw_end(&c->w, '}');
	kv(c, "tablespace", r, row, R_TABLESPACE);
	conarray(c, "uniques", 'u', rel, schema, keyconstraint);
	zn_jw_end(&c->w, '}');
	emit(c, "table", schema, NULL, PQgetvalue(r, row, R_NAME), NULL);
}

/* The relations (and their columns) a view reads, by name. */
static void
viewdeps(struct ctx *c)
{
	const PGresult *r = c->vdep.r;
	int i;

	zn_jw_key(&c->w, "depends_on");
	zn_jw_arr(&c->w);
	for (i = c->vdep.row; i < c->vdep.end; i++) {
		zn_jw_obj(&c->w);
		kv(c, "schema", r, i, V_SCHEMA);
		kv(c, "name", r, i, V_NAME);
		zn_jw_key(&c->w, "columns");
		if (PQgetisnull(r, i, V_COLUMNS)) {
			zn_jw_arr(&c->w);
			zn_jw_end(&c->w, ']');
		} else
			textarray(c, PQgetvalue(r, i, V_COLUMNS));
		zn_jw_end(&c->w, '}');
	}
	zn_jw_end(&c->w, ']');
}

static void
view(struct ctx *c, int row, unsigned long rel, int materialized)
{
	const PGresult *r = c->rels;
	const char *schema = PQgetvalue(r, row, R_SCHEMA);
	const char *kind = materialized ? "materialized_view" : "view";

	if (PQgetisnull(r, row, R_VIEWDEF))
		vanished(kind, schema, PQgetvalue(r, row, R_NAME));
	zn_jw_obj(&c->w);
	kvs(c, "kind", kind);
	kv(c, "schema", r, row, R_SCHEMA);
	kv(c, "name", r, row, R_NAME);
	if (materialized)
		kv(c, "access_method", r, row, R_AM);
	privileges(c, "column_privileges", 'c', rel);
	columns(c, 0);
	kv(c, "comment", r, row, R_COMMENT);
	kvx(c, "definition", r, row, R_VIEWDEF);
	viewdeps(c);
	if (materialized)
		indexes(c, rel, schema);
	kva(c, "options", r, row, R_OPTIONS);
	if (materialized)
		kvb(c, "populated", r, row, R_POPULATED);
	privileges(c, "privileges", 'r', rel);
	if (materialized)
		kv(c, "tablespace", r, row, R_TABLESPACE);
	zn_jw_end(&c->w, '}');
	emit(c, kind, schema, NULL, PQgetvalue(r, row, R_NAME), NULL);
}

/*
 * Writes the tables, views and materialized views of rows lo to hi of
 * c->rels, merging by OID with the results read for them.
 */
static void
relations(struct ctx *c, int lo, int hi)
{
	const PGresult *r = c->rels;
	unsigned long rel;
	char kind;
	int row, n = PQntuples(c->columns);

	c->colend = 0;
	for (row = lo; row < hi; row++) {
		rel = oidval(r, row, R_OID);
		seek(&c->inh, rel);
		seek(&c->con, rel);
		seek(&c->idx, rel);
		seek(&c->pol, rel);
		seek(&c->vdep, rel);
		c->colstart = c->colend;
		while (c->colstart < n &&
		    oidval(c->columns, c->colstart, C_REL) < rel)
			c->colstart++;
		c->colend = c->colstart;
		while (c->colend < n &&
		    oidval(c->columns, c->colend, C_REL) == rel)
			c->colend++;
		kind = PQgetvalue(r, row, R_KIND)[0];
		if (kind == 'v' || kind == 'm')
			view(c, row, rel, kind == 'm');
		else
			table(c, row, rel);
	}
}

static void
functions(struct ctx *c)
{
	PGresult *r = run(c, "read functions", q_functions, c->nsparam);
	const char *kind;
	struct cursor k;
	unsigned long oid;
	int i;

	/* Kept for aggregates(), which walks it again. */
	c->rdeps = run(c, "read what routines use", q_routinedeps,
	    c->nsparam);
	cursor(&k, c->rdeps, D_PROC);

	for (i = 0; i < PQntuples(r); i++) {
		kind = PQgetvalue(r, i, 2)[0] == 'p' ? "procedure" :
		    "function";
		if (PQgetisnull(r, i, 6) || PQgetisnull(r, i, 3))
			vanished(kind, PQgetvalue(r, i, 0),
			    PQgetvalue(r, i, 1));
		zn_jw_obj(&c->w);
		kvs(c, "kind", kind);
		kv(c, "schema", r, i, 0);
		kv(c, "name", r, i, 1);
		kv(c, "argument_types", r, i, 9);
		kv(c, "arguments", r, i, 3);
		kv(c, "comment", r, i, 7);
		kv(c, "definition", r, i, 6);
		/* Both results are in OID order. */
		oid = oidval(r, i, 8);
		routineuses(c, &k, oid);
		kv(c, "language", r, i, 5);
		privileges(c, "privileges", 'f', oid);
		kv(c, "result", r, i, 4);
		kvbool(c, "window", PQgetvalue(r, i, 2)[0] == 'w');
		zn_jw_end(&c->w, '}');
		emit(c, kind, PQgetvalue(r, i, 0), NULL, PQgetvalue(r, i, 1),
		    PQgetvalue(r, i, 3));
	}
	PQclear(r);
}

/* Finds a relation's row by OID in the relation result (sorted by OID). */
static int
relrow(const struct ctx *c, unsigned long oid)
{
	int lo = 0, hi = PQntuples(c->rels), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (oidval(c->rels, mid, R_OID) < oid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < PQntuples(c->rels) && oidval(c->rels, lo, R_OID) == oid)
		return lo;
	return -1;
}

static void
triggers(struct ctx *c)
{
	const PGresult *r = c->triggers;
	const char *schema, *table;
	int i, row;

	for (i = 0; i < PQntuples(r); i++) {
		if ((row = relrow(c, oidval(r, i, 0))) < 0)
			continue;
		schema = PQgetvalue(c->rels, row, R_SCHEMA);
		table = PQgetvalue(c->rels, row, R_NAME);
		if (PQgetisnull(r, i, 2))
			vanished("trigger", schema, PQgetvalue(r, i, 1));
		zn_jw_obj(&c->w);
		kvs(c, "kind", "trigger");
		kvs(c, "schema", schema);
		kvs(c, "table", table);
		kv(c, "name", r, i, 1);
		kv(c, "comment", r, i, 4);
		kvx(c, "definition", r, i, 2);
		kvs(c, "enabled", tgenabled(PQgetvalue(r, i, 3)[0]));
		zn_jw_end(&c->w, '}');
		emit(c, "trigger", schema, table, PQgetvalue(r, i, 1), NULL);
	}
}

static void
rules(struct ctx *c)
{
	const PGresult *r = c->rules;
	const char *schema, *table;
	int i, row;

	for (i = 0; i < PQntuples(r); i++) {
		if ((row = relrow(c, oidval(r, i, RU_REL))) < 0)
			continue;
		schema = PQgetvalue(c->rels, row, R_SCHEMA);
		table = PQgetvalue(c->rels, row, R_NAME);
		if (PQgetisnull(r, i, RU_DEF))
			vanished("rule", schema, PQgetvalue(r, i, RU_NAME));
		zn_jw_obj(&c->w);
		kvs(c, "kind", "rule");
		kvs(c, "schema", schema);
		kvs(c, "table", table);
		kv(c, "name", r, i, RU_NAME);
		kv(c, "comment", r, i, RU_COMMENT);
		kvx(c, "definition", r, i, RU_DEF);
		kvs(c, "enabled", tgenabled(PQgetvalue(r, i, RU_ENABLED)[0]));
		zn_jw_end(&c->w, '}');
		emit(c, "rule", schema, table, PQgetvalue(r, i, RU_NAME), NULL);
	}
}

/* The OID array literal of the relations of rows lo to hi of r. */
static char *
relarray(const PGresult *r, int lo, int hi)
{
	struct zn_buf arr = ZN_BUF_INIT;
	int i;

	zn_buf_addch(&arr, '{');
	for (i = lo; i < hi; i++) {
		if (i > lo)
			zn_buf_addch(&arr, ',');
		zn_buf_adds(&arr, PQgetvalue(r, i, R_OID));
	}
	zn_buf_addch(&arr, '}');
	return zn_buf_detach(&arr);
}

/* The objects of kinds not modelled, into the graph's header. */
static void
unmodelled(struct ctx *c, PGresult *r)
{
	int i, n = PQntuples(r);

	if (n == 0)
		return;
	c->g->unmodelled = json_array();
	for (i = 0; i < n; i++) {
		json_t *e = json_pack("{s:s, s:s?, s:s}", "kind",
		    PQgetvalue(r, i, 0), "schema", PQgetisnull(r, i, 1) ?
		    NULL : PQgetvalue(r, i, 1), "name", PQgetvalue(r, i, 2));

		if (c->g->unmodelled == NULL || e == NULL ||
		    json_array_append_new(c->g->unmodelled, e) != 0)
			zn_die(ZN_EXIT_UNAVAILABLE, "out of memory");
	}
}

static void
batchq(struct zn_pgq *q, const char *what, const char *sql,
    const char *param)
{
	q->what = what;
	q->sql = sql;
	q->param = param;
	q->flush = 0;
}

/* Adds a query to be read ahead; sql is the caller's, or owned if own. */
static void
ahead(struct ctx *c, struct zn_pgq *q, size_t *n, const char *what,
    const char *sql, const char *param)
{
	batchq(&q[*n], what, sql, param);
	c->pre[*n].what = what;
	c->pre[*n].sql = zn_xstrdup(sql);
	c->pre[*n].r = NULL;
	(*n)++;
}

/*
 * Sends every query that needs only the schemas read, in one pipeline
 * (the server runs them back to back instead of waiting on the client
 * between them); the readers below take their results through run()
 * once aheadrecv() has them.  The relations too: last (RELS_LAST), or
 * first (RELS_FIRST), for aheadfirst() to take before the rest while
 * another session reads what the relations hold.
 */
enum { RELS_LAST, RELS_FIRST };
static void
readahead(struct ctx *c, int global, int rels)
{
	enum { NDEF = sizeof(defqs) / sizeof(defqs[0]), MAX = NDEF + 32 };
	struct zn_pgq *q;
	const char *ns = c->nsparam;
	char *colls = collations_sql(c), *rngs = ranges_sql(c);
	size_t n = 0, i;

	c->pre = zn_xcalloc(MAX, sizeof(*c->pre));
	c->preq = q = zn_xcalloc(MAX, sizeof(*c->preq));
	if (rels == RELS_FIRST) {
		ahead(c, q, &n, "read tables and views", q_relations, ns);
		q[0].flush = 1;
	}
	ahead(c, q, &n, "read keywords", q_keywords, NULL);
	ahead(c, q, &n, "read binary coercions", q_bincasts, NULL);
	ahead(c, q, &n, "read privileges", q_acls, ns);
	ahead(c, q, &n, "read extensions", q_extensions, ns);
	ahead(c, q, &n, "read default privileges", global ? q_defacls_all :
	    q_defacls_ns, ns);
	ahead(c, q, &n, "read collations", colls, ns);
	ahead(c, q, &n, "read text search dictionaries", q_tsdicts, ns);
	ahead(c, q, &n, "read text search configurations", q_tsconfigs, ns);
	ahead(c, q, &n, "read text search mappings", q_tsmaps, ns);
	ahead(c, q, &n, "read enums", q_enums, ns);
	ahead(c, q, &n, "read domains", q_domains, ns);
	ahead(c, q, &n, "read domain constraints", q_domaincons, ns);
	ahead(c, q, &n, "read composite types", q_composites, ns);
	ahead(c, q, &n, "read composite type attributes", q_compattrs, ns);
	ahead(c, q, &n, "read range types", rngs, ns);
	ahead(c, q, &n, "read sequences", q_sequences, ns);
	ahead(c, q, &n, "read functions", q_functions, ns);
	ahead(c, q, &n, "read what routines use", q_routinedeps, ns);
	ahead(c, q, &n, "read aggregates", q_aggregates, ns);
	ahead(c, q, &n, "read operators", q_operators, ns);
	ahead(c, q, &n, "read operator families", q_opfamilies, ns);
	ahead(c, q, &n, "read operator family members", q_opfamily_members,
	    ns);
	ahead(c, q, &n, "read what operator families use", q_opfamily_deps,
	    ns);
	ahead(c, q, &n, "read operator classes", q_opclassdefs, ns);
	ahead(c, q, &n, "read operator class members", q_opclass_members,
	    ns);
	ahead(c, q, &n, "read what operator classes use", q_opclass_deps,
	    ns);
	ahead(c, q, &n, "read statistics objects", q_statistics, ns);
	for (i = 0; i < NDEF; i++)
		ahead(c, q, &n, defqs[i].what, defqs[i].sql, defqs[i].global ?
		    NULL : ns);
	if (rels == RELS_LAST)
		ahead(c, q, &n, "read tables and views", q_relations, ns);
	ahead(c, q, &n, "read objects of other kinds", q_unmodelled, ns);
	/* Without pipelining the statements run at aheadrecv(): keep them. */
	for (i = 0; i < n; i++)
		q[i].sql = c->pre[i].sql;
	c->npre = n;
	zn_pg_batch_send(c->conn, q, n, c->onlock);
	free(colls);
	free(rngs);
}

/* The result of the first query readahead() sent, for run() to take. */
static void
aheadfirst(struct ctx *c)
{
	zn_pg_batch_take(c->conn, c->preq, 1, &c->pre[0].r, c->onlock);
	c->ntaken = 1;
}

/* The results of what readahead() sent, for run() to take. */
static void
aheadrecv(struct ctx *c)
{
	PGresult **res = zn_xcalloc(c->npre + 1, sizeof(*res));
	size_t i;

	zn_pg_batch_recv(c->conn, c->preq + c->ntaken, c->npre - c->ntaken,
	    res, c->onlock);
	for (i = c->ntaken; i < c->npre; i++)
		c->pre[i].r = res[i - c->ntaken];
	free(res);
	free(c->preq);
	c->preq = NULL;
}

/* Frees what was read ahead and not taken. */
static void
endahead(struct ctx *c)
{
	size_t i;

	for (i = 0; i < c->npre; i++) {
		PQclear(c->pre[i].r);
		free(c->pre[i].sql);
	}
	free(c->pre);
	free(c->preq);
	c->pre = NULL;
	c->preq = NULL;
	c->npre = 0;
}

/*
 * The sessions to read in: ZN_SNAPSHOT_CONNECTIONS 1 or 2 says; else two
 * when the database holds at least SMALLSCHEMA tables, views and the
 * like outside the system schemas, one below that, where the second
 * session's connection costs more than the work it takes over.
 */
#define SMALLSCHEMA 100
static int
connections(PGconn *conn)
{
	const char *e = getenv("ZN_SNAPSHOT_CONNECTIONS");
	char n[32];
	const char *params[1] = { n };
	struct zn_pgres x;
	int two;

	if (e != NULL && (strcmp(e, "1") == 0 || strcmp(e, "2") == 0))
		return *e - '0';
	snprintf(n, sizeof(n), "%d", SMALLSCHEMA);
	if (!zn_pg_try(conn, &x, "SELECT count(*) >= $1::int FROM ("
	    "SELECT FROM pg_catalog.pg_class c "
	    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	    "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname "
	    "NOT IN ('pg_catalog', 'information_schema') "
	    "LIMIT $1::int) r", 1, params)) {
		zn_pgres_clear(&x);
		return 2;
	}
	two = PQntuples(x.r) == 1 && strcmp(PQgetvalue(x.r, 0, 0), "t") == 0;
	zn_pgres_clear(&x);
	return two ? 2 : 1;
}

/*
 * Exports this transaction's snapshot for *conn2, with the lock_timeout
 * its reads are to keep.  Should the export fail (it aborts the
 * transaction), the transaction starts again and *conn2 is let go.
 */
static void
exportsnap(PGconn *conn, PGconn **conn2, char **snap, char **lockto)
{
	struct zn_pgres x;

	if (zn_pg_try(conn, &x, "SELECT pg_catalog.pg_export_snapshot(), "
	    "pg_catalog.current_setting('lock_timeout')", 0, NULL) &&
	    PQntuples(x.r) == 1) {
		*snap = zn_xstrdup(PQgetvalue(x.r, 0, 0));
		*lockto = zn_xstrdup(PQgetvalue(x.r, 0, 1));
		zn_pgres_clear(&x);
		return;
	}
	zn_pgres_clear(&x);
	PQfinish(*conn2);
	*conn2 = NULL;
	zn_pg_cmd(conn, "start a read-only transaction", "ROLLBACK; "
	    "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
}

/*
 * The relations read in one batch, at most: more are read a batch at a
 * time, each batch's results freed before the next is read (the
 * results of 15,000 tables at once are some 40 MB).  ZN_SNAPSHOT_BATCH
 * sets another size, for tests.
 */
#define RELBATCH 2000

/* The end of the batch of relations (rows of c->rels) from row lo. */
static int
batchend(const struct ctx *c, int lo)
{
	const char *e = getenv("ZN_SNAPSHOT_BATCH");
	long n = RELBATCH;
	char *end;

	if (e != NULL && *e != '\0') {
		n = strtol(e, &end, 10);
		if (*end != '\0' || n < 1)
			n = RELBATCH;
	}
	return PQntuples(c->rels) - lo > n ? lo + (int)n : PQntuples(c->rels);
}

/*
 * Read in batches, the relations' queries are read by index: the planner
 * takes a batch's thousands of OIDs for a good part of pg_attribute or
 * pg_constraint and scans the whole catalog once per batch (2.2 s for
 * 15,000 tables in batches of 2,000, 1.2 s by index, 1.5 s unbatched).
 */
static void
indexed(PGconn *conn)
{
	zn_pg_cmd(conn, "read the catalogs by index",
	    "SET LOCAL enable_seqscan = off");
}

/* Lets go of n trees and of v, and sets it to NULL. */
static void
freetrees(struct zn_nt ***v, int n)
{
	int i;

	for (i = 0; *v != NULL && i < n; i++)
		zn_nt_free((*v)[i]);
	free(*v);
	*v = NULL;
}

/* Lets go of what a batch's queries returned, and what was made of it. */
static void
batchdone(struct ctx *c)
{
	int i, n = c->con.r != NULL ? PQntuples(c->con.r) : 0;

	freetrees(&c->ctree, n);
	for (i = 0; c->cdef != NULL && i < n; i++)
		free(c->cdef[i]);
	free(c->cdef);
	c->cdef = NULL;
	n = c->idx.r != NULL ? PQntuples(c->idx.r) : 0;
	freetrees(&c->itree, n);
	freetrees(&c->ipred, n);
	PQclear(c->inh.r);
	PQclear(c->columns);
	PQclear(c->identities);
	PQclear(c->refcolumns);
	PQclear(c->con.r);
	PQclear(c->opclasses);
	PQclear(c->idx.r);
	PQclear(c->pol.r);
	PQclear(c->vdep.r);
	PQclear(c->triggers);
	PQclear(c->rules);
	PQclear(c->idxdefs);
	PQclear(c->idxtexts);
	PQclear(c->cdefs);
	zn_dpnames_free(c->names);
	c->names = NULL;
	c->cdefs = NULL;
	c->columns = c->identities = c->refcolumns = c->opclasses = NULL;
	c->triggers = c->rules = c->idxdefs = c->idxtexts = NULL;
	cursor(&c->inh, NULL, H_REL);
	cursor(&c->con, NULL, K_REL);
	cursor(&c->idx, NULL, I_REL);
	cursor(&c->pol, NULL, P_REL);
	cursor(&c->vdep, NULL, V_REL);
	for (i = 0; i < 3; i++)
		freerowkeys(&c->keys[i]);
	idxmemo_release(c);
	free(c->opcs);
	c->opcs = NULL;
	c->nopcs = 0;
	free(c->relparam);
	c->relparam = NULL;
}

/*
 * The relations' queries: NCOLQ first, on the first session when there
 * are two, then the others, of which the first NTREEQ hold the node
 * trees (trees()).
 */
enum { NQ = 11, NCOLQ = 3, NTREEQ = 3 };

/* The relations' queries, on the relations c->relparam names. */
static void
relqueries(struct ctx *c, struct zn_pgq *q, const char *csql,
    const char *isql, const char *colsql, const char *tsql)
{
	batchq(&q[0], "read inheritance", q_inherits, c->relparam);
	batchq(&q[1], "read identity sequences", q_identities, c->relparam);
	batchq(&q[2], "read referenced columns", q_refcolumns, c->relparam);
	batchq(&q[3], "read constraints", csql, c->relparam);
	batchq(&q[4], "read operator classes", q_opclasses, NULL);
	batchq(&q[5], "read indexes", isql, c->relparam);
	batchq(&q[6], "read columns", colsql, c->relparam);
	batchq(&q[7], "read policies", q_policies, c->relparam);
	batchq(&q[8], "read triggers", tsql, c->relparam);
	batchq(&q[9], "read view dependencies", q_viewdeps, c->relparam);
	batchq(&q[10], "read rules", q_rules, c->relparam);
}

json_t *
zn_unmodelled_from_db(PGconn *conn, const struct zn_snapshot_opts *o)
{
	struct zn_graph g;
	struct ctx c;
	PGresult *r;
	json_t *u;
	char *ns;

	memset(&g, 0, sizeof(g));
	memset(&c, 0, sizeof(c));
	c.conn = conn;
	c.onlock = o != NULL ? o->onlock : NULL;
	c.g = &g;
	c.version = PQserverVersion(conn);
	zn_buf_init(&c.line);
	zn_buf_init(&c.scratch);
	zn_jw_init(&c.w, &c.line);
	ns = schemas(&c, o);
	PQclear(c.nsr);
	free(c.nstake);
	r = run(&c, "read objects of other kinds", q_unmodelled, ns);
	unmodelled(&c, r);
	PQclear(r);
	u = g.unmodelled;
	g.unmodelled = NULL;
	zn_graph_release(&g);
	zn_buf_release(&c.line);
	zn_buf_release(&c.scratch);
	free(ns);
	return u;
}

void
zn_graph_from_db(struct zn_graph *g, PGconn *conn,
    const struct zn_snapshot_opts *o)
{
	struct ctx c;
	struct zn_pgq q[NQ];
	PGresult *r, *res[NQ];
	char *ns, *csql, *isql, *tsql, *colsql, *conserver, *namesql;
	char *snap = NULL, *lockto = NULL;
	PGconn *conn2 = NULL;
	int lo, hi = 0;
	const char *conclient, *isarray, *check = getenv("ZN_SNAPSHOT_CHECK");
	const char *host = PQhost(conn), *port = PQport(conn);
	const char *nnd = PQserverVersion(conn) >= 150000 ?
	    "ix.indnullsnotdistinct" : "false";

	memset(g, 0, sizeof(*g));
	memset(&c, 0, sizeof(c));
	if (o != NULL && o->spill)
		zn_graph_spill(g);
	c.conn = conn;
	c.onlock = o != NULL ? o->onlock : NULL;
	c.g = g;
	c.version = PQserverVersion(conn);
	zn_buf_init(&c.line);
	zn_buf_init(&c.scratch);
	zn_jw_init(&c.w, &c.line);
	g->server_version_num = c.version;
	c.decline = check != NULL && strcmp(check, "fallback") == 0;
	c.check = check != NULL && *check != '\0' && !c.decline;
	c.keys = zn_xcalloc(3, sizeof(*c.keys));
	g->source = json_pack("{s:s, s:s, s:s?, s:s?}", "type", "database",
	    "dbname", PQdb(conn), "host", host != NULL && *host != '\0' ?
	    host : NULL, "port", port != NULL && *port != '\0' ? port : NULL);
	if (g->source == NULL)
		zn_die(ZN_EXIT_UNAVAILABLE, "cannot describe the connection");
	/*
	 * A second session, when it can be had, reads the relations on the
	 * same snapshot while this one reads everything else: the server
	 * spends most of a snapshot building the cache entries of tables
	 * whose checks and indexes it deparses, and that work then runs
	 * beside the rest (pg_dump -j's exported snapshot).
	 */
	if (PQtransactionStatus(conn) == PQTRANS_IDLE && connections(conn) > 1)
		conn2 = zn_pg_connect_like(conn);
	zn_pg_cmd(conn, "start a read-only transaction",
	    "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
	if (conn2 != NULL)
		exportsnap(conn, &conn2, &snap, &lockto);

	ns = schemas(&c, o);
	c.nsparam = ns;
	readahead(&c, o == NULL || o->schemas == NULL || *o->schemas == NULL,
	    conn2 != NULL ? RELS_FIRST : RELS_LAST);
	if (conn2 != NULL && (!zn_pg_connect_end(conn2, 10000) ||
	    !zn_pg_join_snapshot(conn2, snap, lockto))) {
		PQfinish(conn2);
		conn2 = NULL;
	}
	/* A signal cancels its queries as it does this session's. */
	if (conn2 != NULL)
		zn_pg_cancel_too(conn, conn2);
	free(snap);
	free(lockto);
	/*
	 * Everything about the relations, in one pipeline, which the server
	 * works on while the kinds read ahead are written.
	 *
	 * Keys, foreign keys and indexes on plain columns are written here
	 * from the catalogs (rendercon, renderindex), as the server's
	 * deparsers would write them, which saves the server a syscache
	 * walk per object; the server renders the rest, and everything
	 * when ZN_SNAPSHOT_CHECK asks to compare the two.
	 */
	conclient = c.version >= 150000 ? CONCLIENT
	    " AND co.confdelsetcols IS NULL)" : CONCLIENT ")";
	conserver = zn_xasprintf("NOT %s AND co.contype <> 'c'", conclient);
	csql = zn_xasprintf(q_constraints, c.check ? "true" : conserver, nnd,
	    conclient);
	free(conserver);
	isql = zn_xasprintf(q_indexes, c.check ? "true" : "NOT " IDXCLIENT,
	    c.version >= 150000 ? "i.indnullsnotdistinct" : "false",
	    c.check ? "true" : "false", c.check ? "true" : "false",
	    IDXCLIENT, IDXCLIENT, IDXCLIENT);
	isarray = c.version >= 140000 ? "t.typsubscript = "
	    "'pg_catalog.array_subscript_handler'::pg_catalog.regproc" :
	    "(t.typelem <> 0 AND t.typlen = -1)";
	colsql = zn_xasprintf(q_columns, isarray);
	namesql = zn_xasprintf(q_names, isarray);
	c.namesql = namesql;
	tsql = zn_xasprintf(q_triggers, c.version >= 130000 ?
	    " AND t.tgparentid = 0" : "");
	if (conn2 != NULL) {
		/* Read first by this session, while the other one starts. */
		aheadfirst(&c);
		c.rels = run(&c, "read tables and views", q_relations, ns);
		hi = batchend(&c, 0);
		if (hi < PQntuples(c.rels))
			indexed(conn2);
		c.relparam = relarray(c.rels, 0, hi);
		relqueries(&c, q, csql, isql, colsql, tsql);
		zn_pg_batch_send(conn2, q + NCOLQ, NQ - NCOLQ, c.onlock);
		zn_pg_side(conn2, q[NCOLQ].what, c.onlock);
	}
	aheadrecv(&c);
	c.kw = run(&c, "read keywords", q_keywords, NULL);
	c.bincasts = run(&c, "read binary coercions", q_bincasts, NULL);
	if (conn2 == NULL) {
		c.rels = run(&c, "read tables and views", q_relations, ns);
		hi = batchend(&c, 0);
		c.relparam = relarray(c.rels, 0, hi);
		relqueries(&c, q, csql, isql, colsql, tsql);
	}
	/*
	 * The columns here, after the sequences their defaults name (in the
	 * same session, whose caches hold them), the rest in the other.
	 */
	if (hi < PQntuples(c.rels))
		indexed(conn);
	zn_pg_batch_send(conn, q, conn2 != NULL ? NCOLQ : NQ, c.onlock);
	writeschemas(&c);
	extensions(&c);
	defacls(&c, o == NULL || o->schemas == NULL || *o->schemas == NULL);
	collations(&c);
	tsdicts(&c);
	tsconfigs(&c);
	enums(&c);
	domains(&c);
	composites(&c);
	ranges(&c);
	sequences(&c);
	functions(&c);
	aggregates(&c);
	operators(&c);
	opfamilies(&c);
	opclasses(&c);
	statistics(&c);
	defobjects(&c);
	/*
	 * The relations a batch at a time (batchend), each batch's results
	 * let go once its records are written: a schema of many thousand
	 * tables is never held whole as query results.
	 */
	for (lo = 0;;) {
		zn_pg_batch_recv(conn, q, conn2 != NULL ? NCOLQ : NQ, res,
		    c.onlock);
		if (lo == 0) {
			r = run(&c, "read objects of other kinds",
			    q_unmodelled, ns);
			unmodelled(&c, r);
			PQclear(r);
			endahead(&c);
		}
		/*
		 * The other session's constraints and indexes, then the names
		 * their trees use read on this session (idle, and still there
		 * if the other one has gone after its work) while the other
		 * one reads the columns.
		 */
		if (conn2 != NULL) {
			zn_pg_side(NULL, NULL, NULL);
			zn_pg_batch_take(conn2, q + NCOLQ, NTREEQ,
			    res + NCOLQ, c.onlock);
		}
		cursor(&c.con, res[3], K_REL);
		cursor(&c.idx, res[5], I_REL);
		trees(&c);
		if (conn2 != NULL)
			zn_pg_batch_recv(conn2, q + NCOLQ + NTREEQ,
			    NQ - NCOLQ - NTREEQ, res + NCOLQ + NTREEQ,
			    c.onlock);
		cursor(&c.inh, res[0], H_REL);
		c.identities = res[1];
		c.refcolumns = res[2];
		c.opclasses = res[4];
		c.columns = res[6];
		cursor(&c.pol, res[7], P_REL);
		c.triggers = res[8];
		cursor(&c.vdep, res[9], V_REL);
		c.rules = res[10];
		checkdefs(&c);
		/*
		 * What the server must still render, on the session whose
		 * cache holds the relations.
		 */
		if (conn2 != NULL)
			c.conn = conn2;
		if (!c.check) {
			serverchecks(&c);
			serverindexes(&c);
		}
		c.conn = conn;
		triggers(&c);
		rules(&c);
		relations(&c, lo, hi);
		batchdone(&c);
		if ((lo = hi) >= PQntuples(c.rels))
			break;
		hi = batchend(&c, lo);
		c.relparam = relarray(c.rels, lo, hi);
		relqueries(&c, q, csql, isql, colsql, tsql);
		if (conn2 != NULL) {
			zn_pg_batch_send(conn2, q + NCOLQ, NQ - NCOLQ,
			    c.onlock);
			zn_pg_side(conn2, q[NCOLQ].what, c.onlock);
		}
		zn_pg_batch_send(conn, q, conn2 != NULL ? NCOLQ : NQ,
		    c.onlock);
	}
	free(csql);
	free(isql);
	free(tsql);
	free(colsql);
	free(namesql);
	/* Its transaction ends with it; it exported nothing. */
	if (conn2 != NULL)
		zn_pg_cancel_too(conn, NULL);
	PQfinish(conn2);
	zn_pg_cmd(conn, "end the read-only transaction", "COMMIT");
	zn_graph_finish(g);

	PQclear(c.rels);
	PQclear(c.acls);
	PQclear(c.rdeps);
	free(c.keys);
	PQclear(c.kw);
	PQclear(c.bincasts);
	zn_buf_release(&c.line);
	zn_buf_release(&c.scratch);
	free(ns);
}
