#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# Objects of kinds the graph does not model are never passed over in
# silence: zn-snapshot lists them in the graph's header and says so,
# zn-diff and zn-apply refuse to act beside them (exit 2, naming them)
# unless told they may, and a database without any lists none.

setup_file() {
	load helpers/common
	zn_pg_start
}

teardown_file() {
	load helpers/common
	zn_pg_stop
}

setup() {
	load helpers/common
	load helpers/ledger
	zn_db_new
	cd "$BATS_TEST_TMPDIR" || return 1
	mkdir -p migrations
}

# One object of every kind PostgreSQL 15's pg_dump writes that the graph
# does not model, each in schema app where it has a schema.  Not made
# here, though the query looks for them: a base type and a transform
# (they need C functions of their own), a subscription (another server)
# and a security label (a label provider module).
every_kind() {
	zn_sql -q <<-'SQL'
	CREATE EXTENSION postgres_fdw;
	CREATE SCHEMA app;
	CREATE DOMAIN app.email AS text CHECK (VALUE ~ '@');
	CREATE TYPE app.pair AS (a int, b text);
	CREATE TYPE app.span AS RANGE (subtype = float8);
	CREATE AGGREGATE app.total(int) (sfunc = int4pl, stype = int);
	CREATE COLLATION app.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
	CREATE TEXT SEARCH CONFIGURATION app.cfg (COPY = english);
	CREATE TEXT SEARCH DICTIONARY app.dict (TEMPLATE = simple);
	CREATE TEXT SEARCH TEMPLATE app.tmpl (INIT = dsimple_init, LEXIZE = dsimple_lexize);
	CREATE TEXT SEARCH PARSER app.prs (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, LEXTYPES = prsd_lextype);
	CREATE FUNCTION app.eq(int, int) RETURNS bool LANGUAGE sql AS 'SELECT $1 = $2';
	CREATE OPERATOR app.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = app.eq);
	CREATE OPERATOR FAMILY app.fam USING btree;
	CREATE OPERATOR CLASS app.cls FOR TYPE int USING hash AS OPERATOR 1 =;
	CREATE FUNCTION app.conv(int, int, cstring, internal, int, bool) RETURNS int LANGUAGE c AS '$libdir/utf8_and_iso8859_1', 'utf8_to_iso8859_1';
	CREATE CONVERSION app.cv FOR 'UTF8' TO 'LATIN1' FROM app.conv;
	CREATE TABLE app.t (a int, b text, c text);
	CREATE STATISTICS app.st ON a, b FROM app.t;
	ALTER TABLE app.t ALTER COLUMN a SET STATISTICS 500;
	ALTER TABLE app.t ALTER COLUMN b SET (n_distinct = 10);
	CREATE MATERIALIZED VIEW app.mv AS SELECT 1 AS x;
	ALTER MATERIALIZED VIEW app.mv ALTER COLUMN x SET STATISTICS 100;
	ALTER TABLE app.t ALTER COLUMN c SET STORAGE EXTERNAL;
	ALTER TABLE app.t ADD CONSTRAINT t_excl EXCLUDE USING btree (lower(b) WITH =);
	ALTER INDEX app.t_excl ALTER COLUMN 1 SET STATISTICS 300;
	CREATE INDEX t_lower ON app.t (lower(c));
	ALTER INDEX app.t_lower ALTER COLUMN 1 SET STATISTICS 300;
	CREATE RULE nothing AS ON INSERT TO app.t WHERE false DO INSTEAD NOTHING;
	CREATE ROLE zn_unmodelled_reader;
	GRANT SELECT ON app.t TO zn_unmodelled_reader;
	GRANT UPDATE (b) ON app.t TO zn_unmodelled_reader;
	GRANT USAGE ON SCHEMA app TO zn_unmodelled_reader;
	REVOKE EXECUTE ON FUNCTION app.eq(int, int) FROM PUBLIC;
	GRANT USAGE ON DOMAIN app.email TO zn_unmodelled_reader;
	ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO zn_unmodelled_reader;
	CREATE FUNCTION app.topair(int) RETURNS app.pair LANGUAGE sql AS 'SELECT $1, null::text';
	CREATE CAST (int AS app.pair) WITH FUNCTION app.topair(int);
	CREATE SERVER srv FOREIGN DATA WRAPPER postgres_fdw;
	CREATE USER MAPPING FOR zn_unmodelled_reader SERVER srv;
	CREATE FOREIGN TABLE app.ft (a int) SERVER srv;
	CREATE TRIGGER ft_touch BEFORE INSERT ON app.ft FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
	CREATE FOREIGN DATA WRAPPER fdw2;
	CREATE PUBLICATION pub FOR TABLE app.t;
	CREATE FUNCTION app.et() RETURNS event_trigger LANGUAGE plpgsql AS 'BEGIN END';
	CREATE EVENT TRIGGER et ON ddl_command_start EXECUTE FUNCTION app.et();
	CREATE FUNCTION app.h(internal) RETURNS index_am_handler LANGUAGE internal AS 'bthandler';
	CREATE ACCESS METHOD am2 TYPE INDEX HANDLER app.h;
	CREATE FUNCTION app.handler() RETURNS language_handler LANGUAGE c AS '$libdir/plpgsql', 'plpgsql_call_handler';
	CREATE LANGUAGE lang2 HANDLER app.handler;
	SQL
}

cleanup_roles() {
	zn_sql -q -c "DROP OWNED BY zn_unmodelled_reader CASCADE" \
	    -c "DROP ROLE IF EXISTS zn_unmodelled_reader" 2>/dev/null || true
}

@test "a database without objects of other kinds lists none: extension members, initdb's privileges and plpgsql are not theirs" {
	zn_load_fixture full.sql
	zn_sql -q -c 'CREATE EXTENSION IF NOT EXISTS btree_gist' \
	    -c 'CREATE EXTENSION IF NOT EXISTS postgres_fdw'
	# Granted and revoked again: the privileges a new table has.
	cleanup_roles
	zn_sql -q -c 'CREATE ROLE zn_unmodelled_reader' \
	    -c 'CREATE TABLE public.granted (id int)' \
	    -c 'GRANT SELECT ON public.granted TO zn_unmodelled_reader' \
	    -c 'REVOKE SELECT ON public.granted FROM zn_unmodelled_reader'
	# What an extension brings with its relations (PostGIS's rules on
	# its geometry_columns view, settings of its tables' columns) is
	# the extension's, as the relations are.
	zn_sql -q -c 'CREATE TABLE public.ext_t (a int, b text)' \
	    -c 'ALTER TABLE public.ext_t ALTER COLUMN b SET STORAGE EXTERNAL' \
	    -c 'CREATE VIEW public.ext_v AS SELECT a FROM public.ext_t' \
	    -c 'CREATE RULE ext_ins AS ON INSERT TO public.ext_v DO INSTEAD NOTHING' \
	    -c 'ALTER EXTENSION btree_gist ADD TABLE public.ext_t' \
	    -c 'ALTER EXTENSION btree_gist ADD VIEW public.ext_v'
	run_zn 0 zn-snapshot --json
	[ "$(head -n 1 <<<"$output" | jq -c '.unmodelled')" = null ] ||
	    fail "listed: $(head -n 1 <<<"$output" | jq -c '.unmodelled')"
	assert_equal "$stderr" ""
	cleanup_roles
}

@test "every kind the graph does not model is listed in the header, and said on stderr" {
	cleanup_roles
	every_kind
	run_zn 0 zn-snapshot --json
	jq -r 'select(.kind == "graph") | .unmodelled[] | "\(.kind)|\(.schema)|\(.name)"' <<<"$output" >got
	cat >want <<-'EOF2'
	access method|null|am2
	column setting|app|mv.x SET STATISTICS
	column setting|app|t.c SET STORAGE
	column setting|app|t_excl.lower SET STATISTICS
	conversion|app|cv
	language|null|lang2
	trigger|app|ft_touch ON ft
	EOF2
	diff -u want got
	# Modelled now, so not listed: records of their own.
	jq -r 'select(.kind != "graph") | select(.kind | test("^(cast|event_trigger|foreign_data_wrapper|foreign_table|foreign_server|user_mapping|publication|text_search_parser|text_search_template)$")) | "\(.kind)|\(.name)"' <<<"$output" >got
	cat >want <<-'EOF2'
	text_search_parser|prs
	text_search_template|tmpl
	foreign_table|ft
	cast|(integer AS app.pair)
	foreign_data_wrapper|fdw2
	foreign_server|srv
	user_mapping|FOR zn_unmodelled_reader SERVER srv
	publication|pub
	event_trigger|et
	EOF2
	diff -u want got
	[[ "$stderr" == "zn-snapshot: 7 objects of kinds the graph does not model, listed in its header (unmodelled), not compared: access method am2, column setting app.mv.x SET STATISTICS, column setting app.t.c SET STORAGE, column setting app.t_excl.lower SET STATISTICS, conversion app.cv and 2 more; zn-diff and zn-apply refuse to act beside them without --allow-unmodelled" ]] ||
	    fail "stderr: $stderr"
	# Privileges on a type and default privileges are modelled: in the
	# domain's record, and in records of their own.
	[ "$(jq -c 'select(.kind == "domain" and .name == "email") | .privileges' <<<"$output")" = '[{"action":"grant","grantable":false,"grantee":"zn_unmodelled_reader","privilege":"USAGE"}]' ]
	[ "$(jq -c 'select(.kind == "default_privileges")' <<<"$output")" = '{"kind":"default_privileges","schema":"app","name":"TABLES","privileges":[{"action":"grant","grantable":false,"grantee":"zn_unmodelled_reader","privilege":"SELECT"}],"role":"postgres"}' ]
	# Operator classes and families are modelled: records, not listed.
	jq -r 'select(.kind == "operator_class" or .kind == "operator_family") | "\(.kind)|\(.schema)|\(.name)|\(.method)"' <<<"$output" >got
	cat >want <<-'EOF2'
	operator_family|app|cls|hash
	operator_family|app|fam|btree
	operator_class|app|cls|hash
	EOF2
	diff -u want got
	# A stored graph keeps them.
	printf '%s\n' "$output" >g.jsonl
	run_zn 0 zn-snapshot --graph g.jsonl
	assert_equal "$output" "$(cat g.jsonl)"
	cleanup_roles
}

@test "zn-diff refuses a schema with objects of other kinds, exit 2 naming them, unless allowed" {
	zn_sql -q -c 'CREATE CONVERSION public.email FOR '\''LATIN1'\'' TO '\''UTF8'\'' FROM iso8859_1_to_utf8' -c 'CREATE TABLE public.a (id int)'
	printf 'CREATE TABLE public.a (id int);\nCREATE TABLE public.b (id int);\n' >s.sql
	run_zn 2 zn-diff -d "$ZN_TEST_DB" @ s.sql
	assert_equal "$output" ""
	assert_equal "$stderr" "zn-diff: the live database holds 1 objects of kinds the graph does not model, which a plan cannot see: conversion public.email; plan anyway with --allow-unmodelled (allow_unmodelled: true in zanith.yaml)"
	run_zn 0 zn-diff -d "$ZN_TEST_DB" --allow-unmodelled @ s.sql
	[ "$(head -n 1 <<<"$output" | jq -c '.unmodelled')" = '[{"kind":"conversion","schema":"public","name":"email"}]' ]
	[[ "$stderr" == *"left as they are: conversion public.email"* ]]
	# The same from zanith.yaml and from the environment.
	printf 'allow_unmodelled: true\n' >zanith.yaml
	run_zn 0 zn-diff -d "$ZN_TEST_DB" @ s.sql
	printf 'allow_unmodelled: "yes"\n' >zanith.yaml
	run_zn 65 zn-diff -d "$ZN_TEST_DB" @ s.sql
	rm zanith.yaml
	ZN_ALLOW_UNMODELLED=1 run_zn 0 zn-diff -d "$ZN_TEST_DB" @ s.sql
	ZN_ALLOW_UNMODELLED=yes run_zn 64 zn-diff -d "$ZN_TEST_DB" @ s.sql
	# A declaration that makes one is refused the same way.
	printf 'CREATE CONVERSION public.email FOR '\''LATIN1'\'' TO '\''UTF8'\'' FROM iso8859_1_to_utf8;\nCREATE TABLE public.a (id int);\n' >d.sql
	zn_sql -q -c 'DROP CONVERSION public.email'
	run_zn 2 zn-diff -d "$ZN_TEST_DB" @ d.sql
	[[ "$stderr" == "zn-diff: d.sql holds 1 objects of kinds the graph does not model"* ]] ||
	    fail "stderr: $stderr"
}

@test "zn-apply refuses beside objects of other kinds with nothing run, unless allowed or the plan knew them" {
	zn_sql -q -c 'CREATE TABLE public.a (id int)'
	printf 'CREATE TABLE public.a (id int);\nCREATE TABLE public.b (id int);\n' >s.sql
	run_zn 0 sh -c 'zn-diff -d "$1" @ s.sql >plan' _ "$ZN_TEST_DB"
	zn_sql -q -c "CREATE CONVERSION public.total FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8"
	run_zn 2 zn-apply -d "$ZN_TEST_DB" plan
	assert_equal "$stderr" "zn-apply: the database holds 1 objects of kinds the graph does not model, which the plan cannot see: conversion public.total; nothing was run; apply anyway with --allow-unmodelled (allow_unmodelled: true in zanith.yaml)"
	[ "$(ledger "SELECT to_regclass('public.b') IS NULL AND to_regclass('public._zanith_migrations') IS NULL")" = t ]
	# A plan made knowing it goes through without the flag.
	run_zn 0 sh -c 'zn-diff -d "$1" --allow-unmodelled @ s.sql >plan2' _ "$ZN_TEST_DB"
	run_zn 0 zn-apply -d "$ZN_TEST_DB" plan2
	[[ "$stderr" == *"left as they are: conversion public.total"* ]]
	[ "$(ledger "SELECT to_regclass('public.b') IS NOT NULL")" = t ]
	# One more that the plan did not know: refused again.
	printf 'ops:\n  - op: rawSql\n    sql: ["CREATE TABLE public.c (id int)"]\n' >migrations/20260101_000000_c.yaml
	zn_sql -q -c 'CREATE CONVERSION public.email FOR '\''LATIN1'\'' TO '\''UTF8'\'' FROM iso8859_1_to_utf8'
	run_zn 2 zn-apply -d "$ZN_TEST_DB" migrations
	[[ "$stderr" == *"2 objects"*"conversion public.email, conversion public.total"* ]] ||
	    fail "stderr: $stderr"
	run_zn 0 zn-apply -d "$ZN_TEST_DB" --allow-unmodelled migrations
	[ "$(ledger "SELECT to_regclass('public.c') IS NOT NULL")" = t ]
	# Nothing pending: nothing to refuse.
	run_zn 0 zn-apply -d "$ZN_TEST_DB" migrations
}

@test "a stored graph's list of objects of other kinds is checked; zn-apply --dry-run refuses as a run would" {
	zn_sql -q -c 'CREATE CONVERSION public.email FOR '\''LATIN1'\'' TO '\''UTF8'\'' FROM iso8859_1_to_utf8'
	run_zn 0 zn-snapshot --json
	printf '%s\n' "$output" >g.jsonl
	# Damaged lists, in a graph whose hash is right (it leaves the
	# header out): refused at the header, by every reader.
	for bad in '"x"' '[1]' '[{"kind":"domain"}]' '[{"kind":"domain","name":"e","schema":7}]'; do
		{ head -n 1 g.jsonl | jq -c ".unmodelled = $bad"; sed 1d g.jsonl; } >bad.jsonl
		run_zn 65 zn-snapshot --graph bad.jsonl
		[[ "$stderr" == *"unmodelled"* ]] || fail "$bad: $stderr"
		run_zn 65 zn-diff --allow-unmodelled bad.jsonl g.jsonl
	done
	printf 'ops:\n  - op: rawSql\n    sql: ["CREATE TABLE public.c (id int)"]\n' >migrations/20260101_000000_c.yaml
	run_zn 2 zn-apply -d "$ZN_TEST_DB" --dry-run migrations
	[[ "$stderr" == *"conversion public.email"*"nothing was run"* ]] || fail "stderr: $stderr"
	run_zn 0 zn-apply -d "$ZN_TEST_DB" --dry-run --allow-unmodelled migrations
	[ "$(ledger "SELECT to_regclass('public.c') IS NULL")" = t ]
}
