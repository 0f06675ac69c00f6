#!/usr/bin/env bats
# SPDX-License-Identifier: ISC
# zn init: a new project, empty or with the live schema pulled into its
# declaration (zn-diff --sql @empty @), which materialises back to the
# graph the live database has: zero drift from the first day.

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
	zn_db_new
	cd "$BATS_TEST_TMPDIR" || return 1
}

# The graph hash of the live database and of the pulled declaration
# (materialised in an ephemeral cluster, as a project's zn-diff does).
same_graph() {
	local live pulled
	live=$(zn-snapshot -d "$1" | head -n 1 | jq -r .hash)
	pulled=$(zn-snapshot --declared "$2" | head -n 1 | jq -r .hash)
	[ -n "$live" ] && [ "$live" = "$pulled" ] ||
	    fail "live $live, pulled $pulled"
}

@test "zn init: zanith.yaml, migrations/ and schema.sql that zn reads; nothing written over a file that is there" {
	run_zn 0 zn init p
	assert_output "wrote p/zanith.yaml, p/schema.sql and p/migrations/"
	[ -d p/migrations ]
	grep -q '^schema: schema.sql$' p/zanith.yaml
	grep -q '^# database:' p/zanith.yaml
	cd p
	run_zn 0 zn status
	assert_line "0 migrations"
	# Every key it writes is one zn reads: a plan of an empty
	# declaration against an empty database is empty.
	run_zn 0 zn-diff --exit-code --json
	cp zanith.yaml was.yaml
	echo 'CREATE TABLE t (id int);' >>schema.sql
	run_zn 1 zn init
	[[ "$stderr" == *"./zanith.yaml is there: nothing written"* ]]
	cmp zanith.yaml was.yaml
	grep -q 'CREATE TABLE t' schema.sql
	run_zn 1 zn init --schema schema.sql .
	run_zn 64 zn init --schema ../x.sql q
	run_zn 64 zn init --schema x.yaml q
	run_zn 64 zn init a b
	run_zn 64 zn init --bogus
	[ ! -e q ] && [ ! -e a ]
	run_zn 0 zn -n init -d 'dbname=x y' q
	assert_output "zn-diff -d 'dbname=x y' --sql @empty @ > q/schema.sql"
}

@test "zn init -d with the database down, or refusing: exit 2 and nothing written" {
	PGHOST=/nonexistent run_zn 2 zn init -d "dbname=$ZN_TEST_DB" p
	[ ! -e p ]
	run_zn 2 zn init -d "dbname=no_such_db_$$" q
	[ ! -e q ]
	mkdir r
	run_zn 2 zn init -d "dbname=no_such_db_$$" r
	[ -z "$(ls -A r)" ]
}

@test "zn init -d: the example project's live schema pulled; it materialises to the same graph, and zn-diff finds nothing to do" {
	zn_sql -f "$ZN_TOP/examples/schema.sql"
	run_zn 0 zn init -d "dbname=$ZN_TEST_DB" p
	grep -q "^database: 'dbname=$ZN_TEST_DB'$" p/zanith.yaml
	grep -q '^CREATE TABLE app.orgs ($' p/schema.sql
	same_graph "dbname=$ZN_TEST_DB" p/schema.sql
	cd p
	run_zn 0 zn-diff --exit-code --json
	assert_line --partial '"ops":0'
	run_zn 0 zn generate first
	[[ "$stderr" == *"no differences; no migration written"* ]]
	# A conninfo with a password stays out of the file.
	cd ..
	run_zn 0 zn init -d "dbname=$ZN_TEST_DB password=s3cret" q
	! grep -q s3cret q/zanith.yaml
	run_zn 0 zn init -d "postgresql://$(psql -X -A -t -c 'SELECT current_user'):s3cret@/$ZN_TEST_DB?host=$PGHOST" r
	! grep -q s3cret r/zanith.yaml
	cmp p/schema.sql q/schema.sql
}

@test "zn init -d on 300 generated tables with foreign keys, checks and indexes: the same graph" {
	sh "$ZN_TOP/bench/gen-schema" 300 1 | zn_sql
	run_zn 0 zn init -d "dbname=$ZN_TEST_DB" p
	same_graph "dbname=$ZN_TEST_DB" p/schema.sql
}

@test "zn-diff --sql: the plan as a script psql runs; @empty is a database just made; hostile names stay in their quotes" {
	zn_sql -c 'CREATE SCHEMA "we""ird
sch"; CREATE TABLE "we""ird
sch"."t;x" (id int PRIMARY KEY, "c'\''d" text DEFAULT $$a;b$$)' \
	    -c "SET check_function_bodies = off; CREATE FUNCTION public.n() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM public.later'" \
	    -c 'CREATE TABLE public.later (id int)'
	run_zn 0 zn-diff -d "dbname=$ZN_TEST_DB" --sql @empty @
	printf '%s\n' "$output" >pulled.sql
	# A name's newline does not end its comment line.
	[ "$(grep -c '^-- createTable' pulled.sql)" = 2 ]
	psql -X -q -d postgres -c 'CREATE DATABASE pulled' >/dev/null
	psql -X -q -v ON_ERROR_STOP=1 -d pulled -f pulled.sql >/dev/null
	[ "$(zn-snapshot -d pulled | head -n 1 | jq -r .hash)" = "$(zn-snapshot | head -n 1 | jq -r .hash)" ]
	psql -X -q -d postgres -c 'DROP DATABASE pulled' >/dev/null
	run_zn 64 zn-diff --sql --json @empty @
	run_zn 64 zn-diff --sql -o x @empty @
	run_zn 64 zn-diff @empty @empty
	run_zn 0 zn-diff --json @ @empty
	assert_line --partial '"op":"softDropTable"'
}

@test "zn config check: zanith.yaml as every command reads it, and what each durable option comes to: ZN_* variable, environment, file" {
	run_zn 0 zn init p
	cd p
	run_zn 0 zn config check
	assert_line "./zanith.yaml: ok"
	assert_line "gates.max_risk           35"
	assert_line "apply.lock_wait          60s"
	assert_line "diff.drop_policy         soft"
	printf 'environments:\n  production: {max_risk: 60, lock_wait: 30s}\n' >>zanith.yaml
	ZN_ENV=production run_zn 0 zn config check
	assert_line "./zanith.yaml: ok, environment production"
	assert_line "gates.max_risk           60  (environment)"
	assert_line "apply.lock_wait          30s  (environment)"
	ZN_ENV=production ZN_LOCK_WAIT=5s run_zn 0 zn config --json
	[ "$(printf '%s\n' "$output" | jq -r '"\(.environment) \(."apply.lock_wait") \(."gates.max_risk") \(.environments | join(","))"')" = "production 5s 60 production" ]
	ZN_ENV=staging run_zn 65 zn config check
	[[ "$stderr" == *"ZN_ENV names environment staging, which zanith.yaml does not have"* ]]
	printf 'apply:\n  lock_wait: soon\n' >../bad.yaml
	ZN_CONFIG=../bad.yaml run_zn 65 zn config check
	[[ "$stderr" == *"bad.yaml:2:"*"lock_wait"* ]]
	printf 'bogus: 1\n' >>zanith.yaml
	run_zn 65 zn config check
	[[ "$stderr" == *"zanith.yaml:"*"unknown key 'bogus'"* ]]
	run_zn 64 zn-ledger -C .. config extra
}
