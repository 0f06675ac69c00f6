#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# Plans that are not migration files: an op stream applied straight from
# a pipe (an ad hoc plan) takes no part in the files' order or status and
# is named by its ops alone; and a ledger kept in a schema of its own
# never appears in a graph or a plan.

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

@test "a plan applied from a pipe takes no part in the files' order or status" {
	printf 'CREATE TABLE public.a (id int);\n' >s1.sql
	run_zn 0 sh -c 'zn-diff -d "$1" s1.sql | zn-apply -d "$1"' _ "$ZN_TEST_DB"
	adhoc=$(ledger "SELECT id FROM _zanith_migrations")
	[[ $adhoc == plan_* ]] || fail "the ad hoc id is '$adhoc'"
	# The next change, as a migration file, through the dispatcher.
	printf 'CREATE TABLE public.a (id int);\nCREATE TABLE public.b (id int);\n' >s2.sql
	printf 'database: "dbname=%s"\nschema: s2.sql\nmigrations: migrations\n' \
	    "$ZN_TEST_DB" >zanith.yaml
	SOURCE_DATE_EPOCH=1767225600 run_zn 0 zn generate next
	run ls migrations
	assert_output 20260101_000000_next.yaml
	run_zn 0 zn up
	[ "$(ledger "SELECT to_regclass('public.b') IS NOT NULL")" = t ]
	run_zn 0 zn status --exit-code
	assert_line --regexp '^applied +20260101_000000_next  on '
	assert_line "1 migration: 1 applied"
	refute_output --partial "$adhoc"
	# The history has both, the stream's marked as ad hoc.
	run_zn 0 zn history
	assert_line --regexp "^✓ $adhoc  .*  ad hoc\$"
	assert_line --regexp '^✓ 20260101_000000_next  '
	refute_line --regexp '^✓ 20260101_000000_next  .*ad hoc'
	run_zn 0 zn-ledger history --json
	[ "$(jq -r 'select(.migration == "'"$adhoc"'") | .adhoc' <<<"$output")" = true ]
	[ "$(jq -r 'select(.migration == "20260101_000000_next") | .adhoc' <<<"$output")" = false ]
	# A file older than the ad hoc plan is not out of order for it.
	mig 20250101_000000_old "CREATE TABLE public.old (id int)"
	run_zn 4 zn status --exit-code
	assert_line "out of order   20250101_000000_old  older than the newest applied migration (20260101_000000_next)"
}

@test "an ad hoc plan's id depends only on its ops: refused once, applied later, one id" {
	zn_sql -c 'CREATE TABLE public.t (id int, v text)'
	zn-snapshot -o before.graph
	printf 'CREATE TABLE public.t (id int);\n' >s.sql
	zn-diff --drop-policy drop before.graph s.sql >plan
	# Refused by the budget: the refusal is on record under an id.
	run_zn 1 sh -c 'zn-classify --offline --max-risk 1 plan | zn-apply'
	refused=$(ledger "SELECT DISTINCT migration_id FROM _zanith_migration_steps WHERE status = 'refused'")
	[[ $refused == plan_* ]] || fail "no refusal on record: '$refused'"
	# The same ops, classified with another budget and with a new header
	# time, are the same plan.
	run_zn 0 sh -c 'zn-classify --offline --allow-destructive plan | zn-apply'
	[ "$(ledger "SELECT id FROM _zanith_migrations")" = "$refused" ]
	[ "$(ledger "SELECT count(DISTINCT migration_id) FROM _zanith_migration_steps")" = 1 ]
	run_zn 0 zn-ledger history
	assert_line --regexp "^✓ $refused  "
	refute_line --partial "refused"
}

@test "a migration file may not take an ad hoc plan's id" {
	mig plan_0123456789abcdef "CREATE TABLE public.x (id int)"
	run_zn 65 zn-apply migrations
	assert_equal "$stderr" "zn-apply: migrations/plan_0123456789abcdef.yaml: a migration's id may not begin with 'plan_': the ledger names ad hoc plans so; rename the file"
	[ "$(ledger "SELECT to_regclass('public.x') IS NULL")" = t ]
}

@test "a ledger in a schema of its own never appears in a graph or a plan" {
	psql -X -q -d postgres -c "CREATE DATABASE \"${ZN_TEST_DB}_b\""
	psql -X -q -d "${ZN_TEST_DB}_b" -c 'CREATE TABLE public.t (id int)'
	run_zn 0 zn-snapshot -o a.graph
	run_zn 0 zn-snapshot -d "${ZN_TEST_DB}_b" -o b.graph
	run_zn 0 sh -c 'zn-diff a.graph b.graph | zn-apply --ledger-schema zl'
	[ "$(ledger "SELECT count(*) FROM zl._zanith_migrations")" = 1 ]
	# The database now reads as B, ledger or not.
	run_zn 0 zn-snapshot -o a2.graph
	diff -u <(graph_body b.graph) <(graph_body a2.graph)
	run_zn 0 zn-diff --json a2.graph b.graph
	refute_output --partial '"kind":"op"'
	# A plan made from this database applies over the ledger schema.
	psql -X -q -d "${ZN_TEST_DB}_b" -c 'CREATE TABLE public.u (id int)'
	run_zn 0 zn-snapshot -d "${ZN_TEST_DB}_b" -o c.graph
	run_zn 0 sh -c 'zn-diff a2.graph c.graph | zn-apply --ledger-schema zl'
	refute_output --partial 'zl'
	[ "$(ledger "SELECT count(*) FROM zl._zanith_migrations")" = 2 ]
	# A schema that holds anything of the user's is the user's.
	zn_sql -c 'CREATE TABLE zl.mine (id int)'
	run_zn 0 zn-snapshot --json
	[ "$(jq -r 'select(.kind == "schema") | .name' <<<"$output" | sort | tr '\n' ' ')" = "public zl " ]
	refute_output --partial '_zanith_'
}

@test "a plan made for another schema leaves no ledger schema behind" {
	psql -X -q -d postgres -c "CREATE DATABASE \"${ZN_TEST_DB}_b\""
	psql -X -q -d "${ZN_TEST_DB}_b" -c 'CREATE TABLE public.t (id int)'
	run_zn 0 zn-snapshot -d "${ZN_TEST_DB}_b" -o b.graph
	psql -X -q -d "${ZN_TEST_DB}_b" -c 'CREATE TABLE public.u (id int)'
	run_zn 0 zn-snapshot -d "${ZN_TEST_DB}_b" -o c.graph
	run_zn 4 sh -c 'zn-diff b.graph c.graph | zn-apply --ledger-schema zl'
	[ "$(ledger "SELECT to_regnamespace('zl') IS NULL")" = t ]
	[ "$(ledger "SELECT count(*) FROM pg_class WHERE relname LIKE '\_zanith%'")" = 0 ]
}

@test "the owner of the ledger schema needs no CREATE on the database" {
	zn_sql -c 'CREATE ROLE zn_owner LOGIN' \
	    -c 'CREATE SCHEMA zl AUTHORIZATION zn_owner' \
	    -c 'CREATE SCHEMA app AUTHORIZATION zn_owner'
	[ "$(ledger "SELECT has_database_privilege('zn_owner', current_database(), 'CREATE')")" = f ]
	# Named as the ledger's, the empty schema is no part of the graph.
	export ZN_LEDGER_SCHEMA=zl
	run_zn 0 zn-snapshot -o a.graph
	run grep -c '"name":"zl"' a.graph
	assert_output 0
	printf 'CREATE SCHEMA app;\nCREATE TABLE app.t (id int);\n' >s.sql
	run_zn 0 sh -c 'zn-diff a.graph s.sql >plan'
	run_zn 0 zn-apply -d "dbname=$ZN_TEST_DB user=zn_owner" plan
	[ "$(ledger "SELECT tableowner FROM pg_tables WHERE schemaname = 'app'")" = zn_owner ]
	[ "$(ledger "SELECT count(*) FROM zl._zanith_migrations")" = 1 ]
	zn_sql -c 'DROP OWNED BY zn_owner CASCADE' -c 'DROP ROLE zn_owner'
}

@test "least privilege: a role that may only log in snapshots what a superuser does; pg_read_all_data classifies with probes as a superuser does" {
	zn_load_fixture full.sql
	zn_sql -c 'CREATE ROLE zn_reader LOGIN' -c 'CREATE ROLE zn_prober LOGIN IN ROLE pg_read_all_data'
	# Nothing granted: the catalogs are readable by every role.
	run_zn 0 zn-snapshot --json
	graph_body <(printf '%s\n' "$output") >super.body
	run_zn 0 zn-snapshot --json -d "dbname=$ZN_TEST_DB user=zn_reader"
	graph_body <(printf '%s\n' "$output") >reader.body
	diff -u super.body reader.body
	# Probes read rows: pg_read_all_data (14 and later) is enough.
	zn_sql -c 'CREATE TABLE public.dup (v text)' -c "INSERT INTO public.dup VALUES ('a'), ('a')"
	printf 'ops:\n  - op: rawSql\n    sql: ["ALTER TABLE public.dup ADD CONSTRAINT dup_v UNIQUE (v)"]\n' \
	    >migrations/20260101_000000_u.yaml
	run_zn '?' zn-classify --json -d "dbname=$ZN_TEST_DB" migrations
	jq -c 'select(.kind == "op") | .risk | del(.elapsed_ms)' <<<"$output" >super.risk
	run_zn '?' zn-classify --json -d "dbname=$ZN_TEST_DB user=zn_prober" migrations
	jq -c 'select(.kind == "op") | .risk | del(.elapsed_ms)' <<<"$output" >prober.risk
	diff -u super.risk prober.risk
	[ "$(jq -r '.facts.probes[0] | "\(.check) \(.status)"' prober.risk)" = "duplicates found" ] ||
	    fail "the probe did not find the duplicates: $(cat prober.risk)"
	zn_sql -c 'DROP ROLE zn_reader' -c 'DROP ROLE zn_prober'
}

@test "least privilege: the whole lifecycle as the owner of its schemas, and nothing else granted" {
	# Exactly what zn(7) says zn-apply needs: the owner of what the plan
	# changes and of the ledger's schema.  No CREATE on the database, no
	# role membership, no attribute.
	zn_sql -c 'CREATE ROLE deployer LOGIN' \
	    -c 'CREATE SCHEMA app AUTHORIZATION deployer' \
	    -c 'CREATE SCHEMA zl AUTHORIZATION deployer'
	[ "$(ledger "SELECT rolsuper OR rolcreatedb OR rolcreaterole OR rolbypassrls FROM pg_roles WHERE rolname = 'deployer'")" = f ]
	[ "$(ledger "SELECT has_database_privilege('deployer', current_database(), 'CREATE')")" = f ]
	[ "$(ledger "SELECT has_schema_privilege('deployer', 'public', 'CREATE')")" = f ]
	[ "$(ledger "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = 'deployer'")" = 0 ]
	cat >zanith.yaml <<-YAML
	database: "dbname=$ZN_TEST_DB user=deployer"
	ledger_schema: zl
	schema: schema.sql
	snapshot: {schemas: [app]}
	YAML
	cat >schema.sql <<-'SQL'
	CREATE SCHEMA app;
	CREATE TABLE app.users (id bigint PRIMARY KEY, email text NOT NULL,
	    nick text);
	CREATE INDEX users_email ON app.users (email);
	SQL
	# generate, plan (probes run as the deployer), up, status.
	SOURCE_DATE_EPOCH=1767225600 run_zn 0 zn generate init
	run_zn 0 zn plan
	run_zn 0 zn up
	run_zn 0 zn status --exit-code
	[ "$(ledger "SELECT tableowner FROM pg_tables WHERE schemaname = 'app'")" = deployer ]
	psql -X -q -d "dbname=$ZN_TEST_DB user=deployer" \
	    -c "INSERT INTO app.users VALUES (1, 'a@x', 'ann'), (2, 'b@x', 'bob')"
	# A column dropped: parked, not lost; and one added.
	cat >schema.sql <<-'SQL'
	CREATE SCHEMA app;
	CREATE TABLE app.users (id bigint PRIMARY KEY, email text NOT NULL,
	    seen timestamptz);
	CREATE INDEX users_email ON app.users (email);
	SQL
	SOURCE_DATE_EPOCH=1767225700 run_zn 0 zn generate second
	run_zn '?' zn plan
	run_zn 0 zn up
	run_zn 0 zn status --exit-code
	run_zn 0 zn history --json
	[ "$(jq -r 'select(.kind == "history") | "\(.migration) \(.state) \(.by)"' <<<"$output" | tr '\n' ' ')" = "20260101_000140_second applied deployer 20260101_000000_init applied deployer " ] ||
	    fail "history: $output"
	run_zn 0 zn ledger audit recoverable --json
	[[ "$output" == *nick* ]] || fail "the parked column is not recoverable: $output"
	# The parked data is still there, readable by its owner.
	parked=$(ledger "SELECT attname FROM pg_attribute WHERE attrelid = 'app.users'::regclass AND attnum > 0 AND NOT attisdropped AND attname NOT IN ('id', 'email', 'seen')")
	[ -n "$parked" ] || fail "no parked column"
	[ "$(psql -X -A -t -d "dbname=$ZN_TEST_DB user=deployer" -c "SELECT string_agg(\"$parked\", ',' ORDER BY id) FROM app.users")" = ann,bob ]
	# What the deployer sees is what a superuser sees.
	run_zn 0 zn-snapshot --json
	graph_body <(printf '%s\n' "$output") >deployer.body
	run_zn 0 zn-snapshot --json -d "dbname=$ZN_TEST_DB"
	graph_body <(printf '%s\n' "$output") >super.body
	diff -u super.body deployer.body
	# Nothing left to do: the parked column is no part of the schema.
	run_zn 0 zn-diff --exit-code @ schema.sql
	zn_sql -c 'DROP OWNED BY deployer CASCADE' -c 'DROP ROLE deployer'
}
